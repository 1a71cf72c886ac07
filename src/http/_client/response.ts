/**
 * Python's `http.client.HTTPResponse` (re-exported by `netkit/http/client`):
 * the status line, the headers, and the body read like a file, framed by
 * Content-Length, chunked encoding or the end of the connection.
 *
 * The head and the framing are held to RFC 9112 (`../_grammar.ts`), where
 * Python reads leniently: a status line is `HTTP/d.d SP 3DIGIT [SP reason]`;
 * header lines are `token ":" value` without control characters (obs-fold
 * becomes one SP, RFC 9112 5.2); Content-Length is `1*DIGIT` (or a list of
 * one repeated value); a chunk-size line is `1*HEXDIG [chunk-ext]` and chunk
 * data ends with its line end; Transfer-Encoding overrides Content-Length
 * and a response with both is never followed by another on its connection.
 * Each refusal is a typed error (`InvalidHeader`, `InvalidContentLength`,
 * `InvalidChunk`, `BadStatusLine`). Interim responses, trailer lines and the
 * time the head takes are bounded (`./limits.ts`).
 *
 * @module
 */

import { CR, LF } from "../../_ascii.js";
import {
  fieldValueFaultAt,
  parseChunkSize,
  parseContentLength,
  parseFieldBlock,
  parseHttpVersion,
  stripLineEnd,
  transferCodings,
} from "../../_http_grammar.js";
import { pyRepr, TimeoutError } from "../../errors/index.js";
import type { BufferedReader } from "../../io/reader.js";
import type { Socket } from "../../socket/socket.js";
import {
  BadStatusLine,
  IncompleteRead,
  InvalidChunk,
  InvalidContentLength,
  InvalidHeader,
  LineTooLong,
  RemoteDisconnected,
  ResponseNotReady,
  TooManyInterimResponses,
  UnknownProtocol,
} from "../errors.js";
import { HTTPMessage, MAX_LINE, readHeaders } from "../message.js";
import { bytesRepr, type DebugOutput, printLine, stderrOutput } from "./debug.js";
import { HEAD_TIMEOUT_FACTOR, MAX_INTERIM_RESPONSES, MAX_TRAILER_LINES } from "./limits.js";

const EMPTY = Buffer.alloc(0);
/** RFC 9112 4: `status-code = 3DIGIT`, and Python's range (100 to 999). */
const STATUS_CODE = /^[1-9][0-9][0-9]$/;

/**
 * Python's `HTTPResponse._read_status`: one status line, split into
 * `[version, status, reason]` (reason with its line ending, as Python keeps it).
 * `debug` gets the `reply: '...'` text when given.
 *
 * RFC 9112 4, where Python splits on any whitespace and takes what `int()`
 * takes: `HTTP-version SP status-code [SP reason-phrase]`, one SP between
 * the parts, the version `HTTP/` DIGIT `.` DIGIT, the code three digits,
 * the reason free of control characters. (The SP before an empty reason may
 * be left out, as many servers do.)
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
  // The last line before the connection closed may lack its end.
  const content = stripLineEnd(line) ?? line;
  const space = content.indexOf(" ");
  const version = space < 0 ? content : content.slice(0, space);
  if (!version.startsWith("HTTP/")) {
    onBadVersion();
    throw new BadStatusLine(line);
  }
  const code = content.slice(space + 1, space + 4);
  const end = space + 4;
  if (
    space < 0 ||
    parseHttpVersion(version) === null ||
    !STATUS_CODE.test(code) ||
    (end < content.length && content.charCodeAt(end) !== 0x20) ||
    fieldValueFaultAt(content) >= 0
  ) {
    throw new BadStatusLine(line);
  }
  return [version, Number(code), end < content.length ? line.slice(end + 1) : ""];
}

/**
 * Runs `read` (the reading of a response head) within `HEAD_TIMEOUT_FACTOR`
 * times `sock`'s timeout, closing `sock` when the time is up: the timeout
 * bounds each read, which a server sending a byte now and then never trips.
 * No limit when the socket has none (Python's blocking mode).
 * @throws TimeoutError (`code` "ETIMEDOUT") when the time ran out, else what `read` throws
 */
export async function withinHeadDeadline<T>(sock: Socket | null, read: () => Promise<T>): Promise<T> {
  const timeout = sock?.gettimeout() ?? null;
  if (sock === null || timeout === null || !(timeout > 0)) return read();
  const limit = timeout * HEAD_TIMEOUT_FACTOR;
  let expired = false;
  const timer = setTimeout(
    () => {
      expired = true;
      sock.close();
    },
    Math.min(limit * 1000, 2 ** 31 - 1),
  );
  const timedOut = () =>
    new TimeoutError(
      undefined,
      `Cannot read the response head within ${limit} s (${HEAD_TIMEOUT_FACTOR} times the timeout): timed out`,
    );
  try {
    const result = await read();
    if (expired) throw timedOut();
    return result;
  } catch (err) {
    if (expired) throw timedOut();
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

/** What an `InvalidHeader` says for each fault. */
const FIELD_FAULTS = {
  "obs-fold": "a continuation line before any header",
  malformed: "not a token, a colon and a value",
  control: "a control character in the value",
} as const;

/**
 * Header (or trailer) lines parsed by RFC 9112 5, obs-fold unfolded.
 * @throws InvalidHeader
 */
function parseFields(lines: Buffer[]): HTTPMessage {
  const parsed = parseFieldBlock(Buffer.concat(lines).toString("latin1"), "unfold");
  if (parsed instanceof HTTPMessage) return parsed;
  throw new InvalidHeader(parsed.line.slice(0, 100), FIELD_FAULTS[parsed.fault]);
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

  /**
   * Python's `begin()`: reads the status line (skipping interim responses)
   * and the headers, and works out the framing (RFC 9112 6.3).
   *
   * Differs from Python: every 1xx but 101 is skipped (Python skips only
   * 100 and returns a 103 as if it were the response, whose real one then
   * answers the next request), at most `MAX_INTERIM_RESPONSES` of them; the
   * whole head must arrive within twice the socket's timeout; the head and
   * the framing headers are held to RFC 9112 (see the module comment).
   * @throws BadStatusLine, RemoteDisconnected, LineTooLong, TooManyHeaders, InvalidHeader,
   *   InvalidContentLength, TooManyInterimResponses, UnknownProtocol, TimeoutError
   */
  async begin(): Promise<void> {
    if (this.headers !== undefined) return;
    const [version, status, reason, headers] = await withinHeadDeadline(this.#sock, () => this.#readHead());
    const debug = this.#debug();
    this.status = status;
    this.reason = reason.trim();
    if (version === "HTTP/1.0" || version === "HTTP/0.9") this.version = 10;
    else if (version.startsWith("HTTP/1.")) this.version = 11;
    else throw new UnknownProtocol(version);
    this.headers = headers;
    if (debug) for (const [k, v] of this.headers.items()) debug(printLine("header:", `${k}:`, v));
    this.willClose = this.#checkClose();
    // RFC 9112 6.3 item 1: no body, whatever the headers say.
    const noBody =
      status === 204 || status === 304 || (status >= 100 && status < 200) || this.#method === "HEAD";
    const te = this.headers.getAll("transfer-encoding");
    this.chunked = false;
    this.length = null;
    if (noBody) this.length = 0;
    else if (te) {
      // Item 3: Transfer-Encoding wins; chunked must be the last coding, else the body runs to the close.
      const codings = transferCodings(te);
      this.chunked = codings !== null && codings[codings.length - 1] === "chunked";
      // With Content-Length too, the response may be an attempt to split the
      // stream: read it by Transfer-Encoding, then drop the connection (6.1).
      if (this.headers.has("content-length")) this.willClose = true;
    } else {
      const lengths = this.headers.getAll("content-length");
      if (lengths) {
        // Item 5: an invalid Content-Length is an unrecoverable framing error (Python reads to the close).
        const length = parseContentLength(lengths);
        if (length === null) throw new InvalidContentLength(lengths.join(", "));
        this.length = length;
      }
    }
    if (!this.willClose && !this.chunked && this.length === null) this.willClose = true;
    if (this.length === 0 && !this.chunked) this.#closeConn();
  }

  /** The status line and headers of the final response, interim ones read and dropped. */
  async #readHead(): Promise<[string, number, string, HTTPMessage]> {
    const debug = this.#debug();
    for (let interim = 0; ; interim++) {
      const [version, status, reason] = await readStatusLine(this.#reader, debug, () => this.#closeConn());
      const lines = await readHeaders(this.#reader);
      const headers = parseFields(lines);
      // RFC 9110 15.2: 1xx responses come before the final one; 101 ends HTTP/1.1 on this connection.
      if (status >= 200 || status === 101) return [version, status, reason, headers];
      debug?.(printLine("headers:", `[${lines.map(bytesRepr).join(", ")}]`));
      if (interim >= MAX_INTERIM_RESPONSES) throw new TooManyInterimResponses(MAX_INTERIM_RESPONSES);
    }
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

  /**
   * The next chunk-size line (RFC 9112 7.1: `1*HEXDIG [chunk-ext]`; Python
   * takes what `int(x, 16)` takes after cutting at `;`).
   * @throws LineTooLong, IncompleteRead (the body broke off), InvalidChunk
   */
  async #readChunkSize(): Promise<number> {
    const raw = await this.#reader.readline(MAX_LINE + 1);
    if (raw.length > MAX_LINE) throw new LineTooLong("chunk size");
    const line = stripLineEnd(raw.toString("latin1"));
    if (line === null) throw new IncompleteRead(EMPTY);
    const size = parseChunkSize(line);
    if (size === null) throw new InvalidChunk(EMPTY, `invalid chunk size line ${pyRepr(line.slice(0, 100))}`);
    return size;
  }

  /**
   * The line end after a chunk's data: CRLF, or a lone LF (RFC 9112 2.2).
   * Python skips any two bytes there; anything else means the chunk was
   * longer than its size, and the stream is out of step.
   * @throws IncompleteRead, InvalidChunk
   */
  async #readChunkEnd(): Promise<void> {
    let b = await this.#reader.read(1);
    if (b[0] === CR) b = await this.#reader.read(1);
    if (b.length === 0) throw new IncompleteRead(EMPTY);
    if (b[0] !== LF) throw new InvalidChunk(EMPTY, "no line end after a chunk's data (longer than its size)");
  }

  /** Bytes left in the current chunk, reading the next chunk-size line (and at the end the trailers) when needed; null at the end. */
  async #chunkLeftNow(): Promise<number | null> {
    let left = this.#chunkLeft;
    if (left) return left;
    try {
      if (left !== null) await this.#readChunkEnd();
      left = await this.#readChunkSize();
      if (left === 0) {
        // The trailer section (7.1.2): field lines, bounded, checked, dropped (as Python drops them).
        parseFields(
          await readHeaders(this.#reader, { lineType: "trailer line", maxHeaders: MAX_TRAILER_LINES }),
        );
        this.#chunkLeft = null;
        this.#closeConn();
        return null;
      }
    } catch (err) {
      // The framing is lost: this connection cannot carry another response.
      this.willClose = true;
      this.#closeConn();
      throw err;
    }
    this.#chunkLeft = left;
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
        const partial = Buffer.concat(value);
        throw err instanceof InvalidChunk
          ? new InvalidChunk(partial, err.detail)
          : new IncompleteRead(partial);
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
