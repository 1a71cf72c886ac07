/**
 * The Gopher client: Python 2.5's `gopherlib` (`send_selector`,
 * `send_query`, `get_directory`, `get_textfile`, `get_alt_textfile`,
 * `get_binary`, `get_alt_binary`), async, bounded, on netkit's socket and
 * textproto layers.
 *
 * ```text
 * sendSelector(selector, host, port) ─► connect, send "selector CRLF", shut down writing
 *   └─► GopherReply ─┬─ readMenu()    textproto readDotLines (line and byte limits) ─► parseMenuLine each line
 *                    ├─ readText()    textproto readDotLines: lines up to ".", ".." unstuffed
 *                    └─ readBinary()  bytes until the server closes, up to maxBytes
 * sendQuery(selector, query, ...) = sendSelector("selector TAB query", ...)   (type 7 search)
 * ```
 *
 * Differences from Python 2, on purpose:
 * - every read is bounded: menu and text lines (`maxLine`), menus, text and
 *   binaries (`maxBytes`); past a bound a typed error, never a grown buffer;
 * - a timeout: 60 seconds per step by default (Python waited forever);
 * - a selector or query holding CR, LF or NUL is refused before anything is
 *   sent (textproto's `CommandError`), and one past 1024 bytes too;
 * - a menu or text that ends without its `.` line is a defect
 *   (`terminated: false`) where Python printed "(Unexpected EOF from
 *   server)"; with `requireTerminator` it is an error.
 *
 * @module
 */
import { ValueError, withCode } from "../errors/index.js";
import { BufferedReader } from "../io/reader.js";
import type { ByteSource } from "../io/source.js";
import { SHUT_WR } from "../socket/constants.js";
import { createConnection } from "../socket/create.js";
import type { Socket } from "../socket/socket.js";
import { CommandError } from "../textproto/errors.js";
import { Reader } from "../textproto/reader.js";
import { checkArgument } from "../textproto/writer.js";
import { GopherTooLargeError, GopherUnterminatedError } from "./errors.js";
import { GOPHER_LIMITS } from "./limits.js";
import { addLine, type Menu, type MenuItem } from "./menu.js";
import { DEF_PORT } from "./url.js";

/** The seconds each step may take when the caller gives no timeout. */
export const DEFAULT_TIMEOUT = 60;

/** Options of `sendSelector` and `sendQuery`. */
export interface SendOptions {
  /**
   * Seconds the connection and each read may take (`null`: no limit).
   * @default 60
   */
  timeout?: number | null;
}

/** Options of `readMenu` and `readText`. */
export interface ReadBlockOptions {
  /** Most bytes of the whole menu or text (its `.` line not counted). @default 4 MiB for a menu, 64 MiB for text */
  maxBytes?: number;
  /** Longest line, line end included. @default 16 KiB for a menu, 1 MiB for text */
  maxLine?: number;
  /** Throw `GopherUnterminatedError` when the server closes before the `.` line. @default false */
  requireTerminator?: boolean;
}

/** Options of `readMenu`. */
export interface ReadMenuOptions extends ReadBlockOptions {
  /** How the menu's bytes are decoded (`"latin1"` keeps every byte of a selector). @default "utf-8" */
  encoding?: BufferEncoding;
}

/** A text file as `readText` returns it. */
export interface TextReply {
  /** The lines, without their line ends, a leading `..` unstuffed to `.`. */
  lines: Buffer[];
  /** True when the text ended with its `.` line; false when the server just closed. */
  terminated: boolean;
}

/** Options of `readBinary`. */
export interface ReadBinaryOptions {
  /** Most bytes to take. @default 256 MiB */
  maxBytes?: number;
}

const CRLF = Buffer.from("\r\n");
const DOT_LINE = Buffer.from(".\r\n");
const CRLF_DOT_LINE = Buffer.from("\r\n.\r\n");
const RECV_SIZE = 64 * 1024;

/**
 * The socket as a `ByteSource` that can add a `.` line where the stream
 * ends: a menu or text whose server closed without one then reads to its
 * end through textproto's dot reader like any other, and `ended` tells that
 * the line was added. Binary reads leave it unarmed.
 */
class EndMarkSource implements ByteSource {
  /** Add the `.` line at the end of the stream. */
  armed = false;
  /** True once the stream ended (and, if armed, the `.` line was added). */
  ended = false;
  #last = 0x0a;
  #done = false;
  readonly #sock: Socket;

  constructor(sock: Socket) {
    this.#sock = sock;
  }

  async readChunk(): Promise<Buffer> {
    if (this.#done) return Buffer.alloc(0);
    const chunk = await this.#sock.recv(RECV_SIZE);
    if (chunk.length > 0) {
      this.#last = chunk[chunk.length - 1]!;
      return chunk;
    }
    this.ended = true;
    this.#done = true;
    if (!this.armed) return chunk;
    return this.#last === 0x0a ? Buffer.from(DOT_LINE) : Buffer.from(CRLF_DOT_LINE);
  }
}

/**
 * What `sendSelector` returns: the open connection with the server's reply
 * on its way (Python returned `s.makefile('rb')`). Read it once, as a menu,
 * a text or a binary, then close it (`await using` does).
 *
 * @example
 * ```ts
 * import { mkdtempSync, writeFileSync } from "node:fs";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * const dir = mkdtempSync(join(tmpdir(), "gopher-"));
 * writeFileSync(join(dir, "about.txt"), "Hello, Gopher.\n");
 * await using server = new GopherServer(["127.0.0.1", 0], { directory: dir });
 * await server.ready;
 * const serving = server.serveForever(0.05);
 * const port = server.serverAddress[1] as number;
 * {
 *   await using reply = await sendSelector("", "127.0.0.1", port, { timeout: 10 });
 *   const menu = await reply.readMenu();
 *   for (const item of menu.items) console.log(item.type, item.display); // 0 about.txt
 * }
 * await server.shutdown();
 * await serving;
 * ```
 */
export class GopherReply implements AsyncDisposable {
  /** The connection. */
  readonly socket: Socket;
  /** The reply's bytes, buffered (Python's file object). */
  readonly reader: BufferedReader;
  readonly #source: EndMarkSource;

  /** @param sock a connected socket whose selector has been sent */
  constructor(sock: Socket) {
    this.socket = sock;
    this.#source = new EndMarkSource(sock);
    this.reader = new BufferedReader(this.#source);
  }

  /**
   * Reads the reply as a menu: its lines up to the `.` line, each parsed
   * (Python's `get_directory`, with the defects kept instead of printed).
   * @param options limits, encoding, whether the `.` line is required
   * @returns the menu
   * @throws ProtocolError (textproto) `ERR_TEXTPROTO_LINE_TOO_LONG` past
   *   `maxLine`, `ERR_TEXTPROTO_TOO_LARGE` past `maxBytes`;
   *   GopherUnterminatedError with `requireTerminator`; the socket's errors (`TimeoutError`)
   */
  async readMenu(options: ReadMenuOptions = {}): Promise<Menu> {
    const encoding = options.encoding ?? "utf-8";
    const { lines, terminated } = await this.#readBlock(
      options,
      GOPHER_LIMITS.menuLine,
      GOPHER_LIMITS.menuBytes,
    );
    const menu: Menu = { items: [], defects: [], terminated };
    for (const [i, line] of lines.entries()) addLine(menu, line.toString(encoding), i + 1);
    return menu;
  }

  /**
   * Reads the reply as a text file: lines up to the `.` line, a leading
   * `..` unstuffed (Python's `get_textfile`).
   * @param options limits, whether the `.` line is required
   * @returns the lines, and whether the `.` line came
   * @throws as `readMenu`
   */
  readText(options: ReadBlockOptions = {}): Promise<TextReply> {
    return this.#readBlock(options, GOPHER_LIMITS.textLine, GOPHER_LIMITS.textBytes);
  }

  async #readBlock(options: ReadBlockOptions, maxLine: number, maxBytes: number): Promise<TextReply> {
    this.#source.armed = true;
    const reader = new Reader(this.reader, { maxLine: options.maxLine ?? maxLine });
    const lines = await reader.readDotLines({ maxBytes: options.maxBytes ?? maxBytes });
    const terminated = !this.#source.ended;
    if (!terminated && options.requireTerminator) {
      throw new GopherUnterminatedError(
        'Cannot read reply: the server closed the connection before the "." line',
      );
    }
    return { lines, terminated };
  }

  /**
   * Reads the reply as bytes until the server closes (Python's `get_binary`).
   * @param options the byte limit
   * @returns the bytes
   * @throws GopherTooLargeError past `maxBytes` (the connection is closed);
   *   the socket's errors (`TimeoutError` when a read takes longer than the timeout)
   */
  async readBinary(options: ReadBinaryOptions = {}): Promise<Buffer> {
    const chunks: Buffer[] = [];
    let total = 0;
    for await (const chunk of this.chunks(RECV_SIZE, options)) {
      chunks.push(chunk);
      total += chunk.length;
    }
    return Buffer.concat(chunks, total);
  }

  /**
   * The reply's bytes as they come, until the server closes (Python's
   * `get_alt_binary`, as an async iterator).
   * @param blocksize most bytes per chunk @default 65536
   * @param options the byte limit
   * @returns the chunks
   * @throws as `readBinary`, from the iteration
   */
  async *chunks(
    blocksize = RECV_SIZE,
    options: ReadBinaryOptions = {},
  ): AsyncGenerator<Buffer, void, undefined> {
    if (!(Number.isInteger(blocksize) && blocksize >= 1)) {
      throw new ValueError(`Cannot read blocks of ${blocksize} bytes: must be a positive integer`);
    }
    const maxBytes = options.maxBytes ?? GOPHER_LIMITS.binaryBytes;
    let total = 0;
    for (;;) {
      const chunk = await this.reader.read1(blocksize);
      if (chunk.length === 0) return;
      total += chunk.length;
      if (total > maxBytes) {
        this.close();
        throw new GopherTooLargeError(`Cannot read reply: larger than ${maxBytes} bytes`);
      }
      yield chunk;
    }
  }

  /** Closes the connection. */
  close(): void {
    this.reader.close();
    this.socket.close();
  }

  /** `await using`: closes the connection. */
  async [Symbol.asyncDispose](): Promise<void> {
    this.close();
  }
}

/** Python's `host:port` reading: `"h:7070"` with no port is `["h", 7070]`. */
function splitHostPort(host: string, port: number | string): [string, number] {
  let p: number | string = port;
  if (!p) {
    const colon = host.indexOf(":");
    // "::1" is an address, not a host and a port.
    if (colon >= 0 && colon === host.lastIndexOf(":")) {
      p = host.slice(colon + 1);
      host = host.slice(0, colon);
    }
  }
  if (!p) return [host, DEF_PORT];
  if (typeof p === "string") {
    if (!/^[0-9]{1,5}$/.test(p.trim()))
      throw new ValueError(`invalid literal for int() with base 10: '${p}'`);
    p = Number(p.trim());
  }
  if (!(Number.isInteger(p) && p >= 0 && p <= 65535))
    throw new ValueError(`Cannot connect to port ${p}: must be 0-65535`);
  return [host, p];
}

/** The request line's bytes, checked. */
function requestLine(parts: (string | Uint8Array)[]): Buffer {
  for (const part of parts) checkArgument(part, "selector");
  const line = Buffer.concat(
    parts.flatMap((part, i) => [...(i > 0 ? [Buffer.from("\t")] : []), Buffer.from(part)]),
  );
  if (line.length > GOPHER_LIMITS.selector) {
    throw withCode(
      new ValueError(`Cannot send selector of ${line.length} bytes: longer than ${GOPHER_LIMITS.selector}`),
      "ERR_GOPHER_SELECTOR_TOO_LONG",
    );
  }
  return Buffer.concat([line, CRLF]);
}

async function send(
  line: Buffer,
  host: string,
  port: number | string,
  options: SendOptions,
): Promise<GopherReply> {
  const [h, p] = splitHostPort(host, port);
  const timeout = options.timeout === undefined ? DEFAULT_TIMEOUT : options.timeout;
  if (timeout === 0) throw new ValueError("Non-blocking socket (timeout=0) is not supported");
  const sock = await createConnection([h, p], { timeout });
  try {
    await sock.sendall(line);
    sock.shutdown(SHUT_WR);
  } catch (err) {
    sock.close();
    throw err;
  }
  return new GopherReply(sock);
}

/**
 * Python's `send_selector(selector, host, port=0)`: connects, sends the
 * selector and CRLF, shuts down writing, and returns the reply to read.
 * A `host` of `"name:port"` is split when no port is given.
 * @param selector the selector (strings are sent as UTF-8)
 * @param host the server
 * @param port its port; 0 (or none) for the one in `host`, else 70
 * @param options the timeout
 * @returns the reply
 * @throws CommandError (textproto) for CR, LF or NUL in the selector;
 *   ValueError `ERR_GOPHER_SELECTOR_TOO_LONG` past 1024 bytes, or for a bad
 *   port; OSError when the connection fails
 * @example
 * ```ts
 * import { mkdtempSync, writeFileSync } from "node:fs";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * const dir = mkdtempSync(join(tmpdir(), "gopher-"));
 * writeFileSync(join(dir, "about.txt"), "Hello, Gopher.\n");
 * await using server = new GopherServer(["127.0.0.1", 0], { directory: dir });
 * await server.ready;
 * const serving = server.serveForever(0.05);
 * const port = server.serverAddress[1] as number;
 * {
 *   await using reply = await sendSelector("/about.txt", "127.0.0.1", port, { timeout: 10 });
 *   const { lines } = await reply.readText();
 *   console.log(lines.map(String)); // ["Hello, Gopher."]
 * }
 * await server.shutdown();
 * await serving;
 * ```
 */
export async function sendSelector(
  selector: string | Uint8Array,
  host: string,
  port: number | string = 0,
  options: SendOptions = {},
): Promise<GopherReply> {
  return send(requestLine([selector]), host, port, options);
}

/**
 * Python's `send_query(selector, query, host, port=0)`: a type 7 search,
 * the selector and the query joined by a TAB. The reply is a menu.
 * @param selector the search item's selector
 * @param query the search string (no TAB: it would start a gopher+ field)
 * @param host the server
 * @param port its port (see `sendSelector`)
 * @param options the timeout
 * @returns the reply
 * @throws as `sendSelector`; CommandError for a TAB in the selector or the query
 */
export async function sendQuery(
  selector: string | Uint8Array,
  query: string | Uint8Array,
  host: string,
  port: number | string = 0,
  options: SendOptions = {},
): Promise<GopherReply> {
  for (const [part, what] of [
    [selector, "selector"],
    [query, "query"],
  ] as const) {
    if (typeof part === "string" ? part.includes("\t") : part.includes(0x09)) {
      throw new CommandError(
        `Cannot send ${what} ${JSON.stringify(String(part).slice(0, 80))}: it holds a TAB`,
      );
    }
  }
  return send(requestLine([selector, query]), host, port, options);
}

/**
 * Python's `get_directory(f)`: the items of a menu reply (`readMenu` also
 * gives the defects and whether the menu was complete).
 * @param f the reply
 * @returns the items
 */
export async function getDirectory(f: GopherReply): Promise<MenuItem[]> {
  return (await f.readMenu()).items;
}

/**
 * Python's `get_textfile(f)`: the lines of a text reply, without line ends.
 * @param f the reply
 * @returns the lines
 */
export async function getTextfile(f: GopherReply): Promise<Buffer[]> {
  return (await f.readText()).lines;
}

/**
 * Python's `get_alt_textfile(f, func)`: calls `func` with each line of a text reply.
 * @param f the reply
 * @param func called once per line, in order
 */
export async function getAltTextfile(f: GopherReply, func: (line: Buffer) => unknown): Promise<void> {
  for (const line of (await f.readText()).lines) await func(line);
}

/**
 * Python's `get_binary(f)`: a binary reply's bytes, until the server closes.
 * @param f the reply
 * @returns the bytes
 */
export function getBinary(f: GopherReply): Promise<Buffer> {
  return f.readBinary();
}

/**
 * Python's `get_alt_binary(f, func, blocksize)`: calls `func` with each block of a binary reply.
 * @param f the reply
 * @param func called once per block, in order
 * @param blocksize most bytes per block
 */
export async function getAltBinary(
  f: GopherReply,
  func: (data: Buffer) => unknown,
  blocksize: number,
): Promise<void> {
  for await (const chunk of f.chunks(blocksize)) await func(chunk);
}
