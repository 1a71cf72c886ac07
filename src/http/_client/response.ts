/**
 * Python's `http.client.HTTPResponse` (re-exported by `netkit/http/client`):
 * the status line, the headers, and the body read like a file, framed by
 * Content-Length, chunked encoding or the end of the connection.
 *
 * @module
 */
import { pyRepr } from "../../errors/index.js";
import type { BufferedReader } from "../../io/reader.js";
import type { Socket } from "../../socket/socket.js";
import {
  BadStatusLine,
  IncompleteRead,
  LineTooLong,
  RemoteDisconnected,
  ResponseNotReady,
  UnknownProtocol,
} from "../errors.js";
import { type HTTPMessage, MAX_LINE, parseHeaders, readHeaders } from "../message.js";
import { bytesRepr, type DebugOutput, printLine, stderrOutput } from "./debug.js";

const EMPTY = Buffer.alloc(0);

/**
 * Python's `HTTPResponse._read_status`: one status line, split into
 * `[version, status, reason]` (reason with its line ending, as Python keeps it).
 * `debug` gets the `reply: '...'` text when given.
 * @throws LineTooLong, RemoteDisconnected (nothing came), BadStatusLine
 */
export async function readStatusLine(
  reader: BufferedReader,
  debug: DebugOutput | null = null,
  onBadVersion: () => void = () => {},
): Promise<[string, number, string]> {
  const raw = await reader.readline(MAX_LINE + 1);
  if (raw.length > MAX_LINE) throw new LineTooLong("status line");
  const line = raw.toString("latin1");
  debug?.(printLine("reply:", pyRepr(line)));
  if (line === "") throw new RemoteDisconnected();
  // Python's line.split(None, 2): runs of whitespace separate, the reason keeps the rest.
  const m = /^\s*(\S+)(?:\s+(\S+)(?:\s+([\s\S]*))?)?/.exec(line);
  const status = m?.[2] ?? "";
  const version = status === "" ? "" : (m?.[1] ?? ""); // one word: Python's version = ""
  const reason = m?.[3] ?? "";
  if (!version.startsWith("HTTP/")) {
    onBadVersion();
    throw new BadStatusLine(line);
  }
  if (!/^\s*[+-]?\d+\s*$/.test(status) || Number(status) < 100 || Number(status) > 999) {
    throw new BadStatusLine(line);
  }
  return [version, Number(status), reason];
}

/** Options for `HTTPResponse`, Python's keyword arguments. */
export interface HTTPResponseOptions {
  /** Python's `debuglevel`: above 0 prints `reply:` and `header:` lines. @default 0 */
  debuglevel?: number;
  /** Python's `url` (what `geturl()` returns; urllib sets it). @default null */
  url?: string | null;
  /** Where debug text goes. @default standard error */
  debugOutput?: DebugOutput;
}

/**
 * Python's `http.client.HTTPResponse`: the status, the headers, and the body
 * to read like a file (`read(n)`, `read()`, `readline`, `read1`, `peek`,
 * `readinto`, async iteration). `HTTPConnection.getresponse()` makes it.
 *
 * Differs from Python: `peek()` never returns bytes past the end of the
 * body, and `read1`/`readline` hand the connection back as soon as the
 * body's last byte is read.
 */
export class HTTPResponse implements AsyncIterable<Buffer> {
  /** Status code (Python's `status` and `code`). */
  status = 0;
  /** Reason phrase. */
  reason = "";
  /** 10 for HTTP/1.0, 11 for HTTP/1.1. */
  version = 0;
  /** The headers (Python's `headers` and `msg`). */
  headers!: HTTPMessage;
  /** True when the connection closes after this response (Python's `will_close`). */
  willClose = false;
  /** True for a chunked body. */
  chunked = false;
  /** Bytes of body left, when known (Python's `length`). */
  length: number | null = null;
  /** Python's `debuglevel`. */
  debuglevel: number;
  /** Python's `url`: what `geturl()` returns. */
  url: string | null;
  /** Where debug text goes. */
  debugOutput: DebugOutput;
  readonly #reader: BufferedReader;
  readonly #method: string;
  #sock: Socket | null;
  #owned = false;
  #closed = false;
  #chunkLeft: number | null = null;
  readonly #onDone: () => void;

  /**
   * @param sock the connection's socket
   * @param reader the buffered reader over `sock` the response is read from
   * @param method the request's method (HEAD has no body)
   * @param onDone called once the body has been read or the response closed
   */
  constructor(
    sock: Socket,
    reader: BufferedReader,
    method = "GET",
    onDone: () => void = () => {},
    options: HTTPResponseOptions = {},
  ) {
    this.#sock = sock;
    this.#reader = reader;
    this.#method = method;
    this.#onDone = onDone;
    this.debuglevel = options.debuglevel ?? 0;
    this.url = options.url ?? null;
    this.debugOutput = options.debugOutput ?? stderrOutput;
  }

  /** Python's `code`. */
  get code(): number {
    return this.status;
  }

  /** Python's `msg`: the headers. */
  get msg(): HTTPMessage {
    return this.headers;
  }

  /** Python's `chunk_left`: bytes left in the current chunk (null between chunks or when not chunked). */
  get chunkLeft(): number | null {
    return this.#chunkLeft;
  }

  /** Python's `info()`: the headers. */
  info(): HTTPMessage {
    return this.headers;
  }

  /** Python's `geturl()`: the URL set by whoever made the response (urllib), else null. */
  geturl(): string | null {
    return this.url;
  }

  /** Python's `getcode()`: the status. */
  getcode(): number {
    return this.status;
  }

  /** Python's `fileno()`: the socket's descriptor, or -1 once the body is done. */
  fileno(): number {
    return this.#sock?.fileno() ?? -1;
  }

  /** Python's `readable()`: always true. */
  readable(): boolean {
    return true;
  }

  /** Python's `flush()`: nothing to flush on a response. */
  flush(): void {}

  /** @internal The connection hands its socket over when it closes while this response is read. */
  takeOver(sock: Socket): void {
    this.#sock = sock;
    this.#owned = true;
  }

  #debug(): DebugOutput | null {
    return this.debuglevel > 0 ? this.debugOutput : null;
  }

  /** Python's `begin()`: reads the status line (skipping 100 Continue) and the headers, and works out the framing. */
  async begin(): Promise<void> {
    if (this.headers !== undefined) return;
    let version: string;
    let status: number;
    let reason: string;
    const debug = this.#debug();
    for (;;) {
      [version, status, reason] = await readStatusLine(this.#reader, debug, () => this.#closeConn());
      if (status !== 100) break;
      const skipped = await readHeaders(this.#reader); // skip the 100 response's headers
      debug?.(printLine("headers:", `[${skipped.map(bytesRepr).join(", ")}]`));
    }
    this.status = status;
    this.reason = reason.trim();
    if (version === "HTTP/1.0" || version === "HTTP/0.9") this.version = 10;
    else if (version.startsWith("HTTP/1.")) this.version = 11;
    else throw new UnknownProtocol(version);
    this.headers = await parseHeaders(this.#reader);
    if (debug) for (const [k, v] of this.headers.items()) debug(printLine("header:", `${k}:`, v));
    const te = this.headers.get("transfer-encoding");
    this.chunked = te !== undefined && te.toLowerCase() === "chunked";
    this.willClose = this.#checkClose();
    const length = this.headers.get("content-length");
    this.length = null;
    if (length && !this.chunked && /^\s*[+-]?\d+\s*$/.test(length) && Number(length) >= 0)
      this.length = Number(length);
    if (status === 204 || status === 304 || (status >= 100 && status < 200) || this.#method === "HEAD")
      this.length = 0;
    if (!this.willClose && !this.chunked && this.length === null) this.willClose = true;
    if (this.length === 0 && !this.chunked) this.#closeConn();
  }

  #checkClose(): boolean {
    const conn = this.headers.get("connection");
    if (this.version === 11) return conn?.toLowerCase().includes("close") ?? false;
    if (this.headers.get("keep-alive")) return false;
    if (conn?.toLowerCase().includes("keep-alive")) return false;
    const pconn = this.headers.get("proxy-connection");
    if (pconn?.toLowerCase().includes("keep-alive")) return false;
    return true;
  }

  /** Marks the body done: the socket closes (if this response owns it) or goes back to the connection. */
  #closeConn(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#owned || this.willClose) this.#sock?.close();
    this.#sock = null;
    this.#onDone();
  }

  /** Python's `isclosed()`: the body has been read (or the response closed). */
  isclosed(): boolean {
    return this.#closed;
  }

  /** Python's `closed`. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Python's `close()`: stops reading; the connection closes unless the body was complete. */
  close(): void {
    if (!this.#closed) {
      this.willClose = true;
      this.#closeConn();
    }
  }

  /**
   * Python's `read(amt)`: with `amt`, at most that many bytes of the body;
   * without, the whole rest.
   * @throws IncompleteRead when the body ends before its length says
   */
  async read(amt?: number): Promise<Buffer> {
    if (this.#closed) return EMPTY;
    if (this.#method === "HEAD") {
      this.#closeConn();
      return EMPTY;
    }
    if (this.chunked) return this.#readChunked(amt);
    if (amt !== undefined) {
      const n = this.length !== null && amt > this.length ? this.length : amt;
      const s = await this.#reader.read(n);
      if (s.length === 0 && n > 0) this.#closeConn();
      else if (this.length !== null) {
        this.length -= s.length;
        if (this.length === 0) this.#closeConn();
      }
      return s;
    }
    let s: Buffer;
    if (this.length === null) s = await this.#reader.read();
    else {
      s = await this.#safeRead(this.length).catch((err) => {
        this.willClose = true;
        this.#closeConn();
        throw err;
      });
      this.length = 0;
    }
    this.#closeConn();
    return s;
  }

  /**
   * Python's `readinto(b)`: reads up to `b.length` bytes of the body into
   * `b` and resolves with how many.
   * @throws IncompleteRead as `read` does
   */
  async readinto(b: Uint8Array): Promise<number> {
    if (this.#closed || this.#method === "HEAD" || this.chunked) {
      const data = await this.read(b.length);
      b.set(data);
      return data.length;
    }
    // As Python: fill from the socket (straight into `b` when nothing is buffered).
    const target = this.length !== null && b.length > this.length ? b.subarray(0, this.length) : b;
    const n = await this.#reader.readinto(target);
    if (n === 0 && target.length > 0) this.#closeConn();
    else if (this.length !== null) {
      this.length -= n;
      if (this.length === 0) this.#closeConn();
    }
    return n;
  }

  /**
   * Python's `read1(n)`: body bytes from at most one read of the socket
   * (buffered bytes first); -1 for whatever comes.
   * @throws IncompleteRead when a chunked body breaks off
   */
  async read1(n = -1): Promise<Buffer> {
    if (this.#closed || this.#method === "HEAD") return EMPTY;
    if (this.chunked) {
      const left = await this.#chunkLeftNow();
      if (left === null || n === 0) return EMPTY;
      const want = n < 0 || n > left ? left : n;
      const got = await this.#reader.read1(want);
      this.#chunkLeft = left - got.length;
      if (got.length === 0) throw new IncompleteRead(EMPTY);
      return got;
    }
    const want = this.length !== null && (n < 0 || n > this.length) ? this.length : n;
    const result = await this.#reader.read1(want);
    if (result.length === 0 && want !== 0) this.#closeConn();
    else if (this.length !== null) {
      this.length -= result.length;
      if (this.length === 0) this.#closeConn();
    }
    return result;
  }

  /**
   * Python's `peek(n)`: body bytes that can be read without waiting again
   * (waits for some when none are buffered), without consuming them. May
   * return more or fewer than `n`; never past the body's end.
   */
  async peek(n = -1): Promise<Buffer> {
    if (this.#closed || this.#method === "HEAD") return EMPTY;
    if (this.chunked) {
      let left: number | null;
      try {
        left = await this.#chunkLeftNow();
      } catch (err) {
        if (err instanceof IncompleteRead) return EMPTY; // peek does not judge the framing
        throw err;
      }
      if (left === null) return EMPTY;
      return (await this.#reader.peek(Math.max(1, n))).subarray(0, left);
    }
    if (this.length === 0) return EMPTY;
    const bytes = await this.#reader.peek(Math.max(1, n));
    return this.length === null ? bytes : bytes.subarray(0, this.length);
  }

  async #safeRead(amt: number): Promise<Buffer> {
    const data = await this.#reader.read(amt);
    if (data.length < amt) throw new IncompleteRead(data, amt - data.length);
    return data;
  }

  async #readChunkSize(): Promise<number> {
    const raw = await this.#reader.readline(MAX_LINE + 1);
    if (raw.length > MAX_LINE) throw new LineTooLong("chunk size");
    let line = raw.toString("latin1");
    const semi = line.indexOf(";");
    if (semi >= 0) line = line.slice(0, semi);
    if (!/^\s*[+-]?[0-9a-fA-F]+\s*$/.test(line)) {
      this.willClose = true;
      this.#closeConn();
      throw new IncompleteRead(EMPTY);
    }
    return Number.parseInt(line.trim(), 16);
  }

  async #chunkLeftNow(): Promise<number | null> {
    let left = this.#chunkLeft;
    if (!left) {
      if (left !== null) await this.#safeRead(2); // the CRLF after a chunk
      left = await this.#readChunkSize();
      if (left === 0) {
        for (;;) {
          const raw = await this.#reader.readline(MAX_LINE + 1);
          if (raw.length > MAX_LINE) throw new LineTooLong("trailer line");
          const t = raw.toString("latin1");
          if (t === "" || t === "\r\n" || t === "\n") break;
        }
        this.#chunkLeft = null;
        this.#closeConn();
        return null;
      }
      this.#chunkLeft = left;
    }
    return left;
  }

  async #readChunked(amt?: number): Promise<Buffer> {
    const value: Buffer[] = [];
    let want = amt;
    try {
      for (;;) {
        if (this.#closed) break;
        const left = await this.#chunkLeftNow();
        if (left === null) break;
        if (want !== undefined && want <= left) {
          value.push(await this.#safeRead(want));
          this.#chunkLeft = left - want;
          break;
        }
        value.push(await this.#safeRead(left));
        if (want !== undefined) want -= left;
        this.#chunkLeft = 0;
      }
      return Buffer.concat(value);
    } catch (err) {
      if (err instanceof IncompleteRead) {
        this.willClose = true;
        this.#closeConn();
        throw new IncompleteRead(Buffer.concat(value));
      }
      throw err;
    }
  }

  /** Python's `readline(limit)`: one line of the body. */
  async readline(limit = -1): Promise<Buffer> {
    if (this.#closed || this.#method === "HEAD") return EMPTY;
    if (this.chunked) return this.#readlineChunked(limit);
    const max = this.length === null ? limit : limit < 0 ? this.length : Math.min(limit, this.length);
    const line = await this.#reader.readline(max < 0 ? -1 : max);
    if (line.length === 0) this.#closeConn();
    else if (this.length !== null) {
      this.length -= line.length;
      if (this.length === 0) this.#closeConn();
    }
    return line;
  }

  /** A line of a chunked body, which may span chunks. */
  async #readlineChunked(limit: number): Promise<Buffer> {
    const parts: Buffer[] = [];
    let total = 0;
    while (limit < 0 || total < limit) {
      const left = await this.#chunkLeftNow();
      if (left === null) break;
      const piece = await this.#reader.readline(Math.min(left, limit < 0 ? left : limit - total));
      if (piece.length === 0) {
        this.willClose = true;
        this.#closeConn();
        throw new IncompleteRead(Buffer.concat(parts));
      }
      this.#chunkLeft = left - piece.length;
      parts.push(piece);
      total += piece.length;
      if (piece[piece.length - 1] === 0x0a) break;
    }
    return Buffer.concat(parts);
  }

  /**
   * Python's `getheader(name, default)`: the header's values joined by ", ".
   * @throws ResponseNotReady before the headers were read
   */
  getheader(name: string, defaultValue?: string): string | undefined {
    if (this.headers === undefined) throw new ResponseNotReady();
    const values = this.headers.getAll(name);
    return values ? values.join(", ") : defaultValue;
  }

  /**
   * Python's `getheaders()`: `[name, value]` pairs.
   * @throws ResponseNotReady before the headers were read
   */
  getheaders(): Array<[string, string]> {
    if (this.headers === undefined) throw new ResponseNotReady();
    return this.headers.items();
  }

  /** Reads the body in pieces of up to 8192 bytes. */
  async *[Symbol.asyncIterator](): AsyncIterator<Buffer> {
    for (;;) {
      const piece = await this.read(8192);
      if (piece.length === 0) return;
      yield piece;
    }
  }
}
