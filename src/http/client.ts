/**
 * `netkit/http/client`: Python's `http.client` (httplib), the HTTP/1.1
 * client under `urllib.request`, on netkit's socket, io and header layers.
 *
 * ```text
 *   (null)
 *     │ putrequest()            request() does all of these
 *     ▼
 *   Request-started ──putheader()*──► endheaders() / send body
 *     │
 *     ▼
 *   Request-sent ──getresponse()──► HTTPResponse (read until done)
 *     │                                  │
 *     └──────────── Idle ◄───────────────┘  (keep-alive: the next request reuses the socket)
 * ```
 *
 * Response framing follows Python: Content-Length, chunked (trailers read
 * and discarded), close-delimited, no body for HEAD, 1xx, 204 and 304;
 * 100-continue responses are skipped. Limits: 65536 bytes per status,
 * header or chunk-size line and 100 headers, each a typed error.
 * Safer than Python nowhere yet: it is Python's behaviour, including the
 * CR/LF checks on method, URL and headers that Python has.
 *
 * Not yet here (see the project's issues): HTTPS, `setTunnel`, `setDebuglevel`.
 *
 * @module
 */

import { pyRepr, UnicodeError, ValueError } from "../errors/index.js";
import type { BufferedReader } from "../io/reader.js";
import { IPPROTO_TCP, TCP_NODELAY } from "../socket/constants.js";
import { createConnection } from "../socket/create.js";
import type { Socket } from "../socket/socket.js";
import {
  BadStatusLine,
  CannotSendHeader,
  CannotSendRequest,
  IncompleteRead,
  InvalidURL,
  LineTooLong,
  NotConnected,
  RemoteDisconnected,
  ResponseNotReady,
  UnknownProtocol,
} from "./errors.js";
import { type HTTPMessage, MAX_LINE, parseHeaders, readHeaders } from "./message.js";

export * from "./errors.js";
export { HTTPStatus, responses } from "./index.js";
export { HTTPMessage, parseHeaders } from "./message.js";

/** Python's `http.client.HTTP_PORT`. */
export const HTTP_PORT = 80;
/** Python's `http.client.HTTPS_PORT`. */
export const HTTPS_PORT = 443;

const METHODS_EXPECTING_BODY = new Set(["PATCH", "POST", "PUT"]);
// Python's _contains_disallowed_url_pchar_re and _contains_disallowed_method_pchar_re:
// control characters are exactly what these must find.
// biome-ignore lint/suspicious/noControlCharactersInRegex: see above
const DISALLOWED_URL_CHAR = /[\x00-\x20\x7f]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: see above
const DISALLOWED_METHOD_CHAR = /[\x00-\x1f]/;
const LEGAL_HEADER_NAME = /^[^:\s][^:\r\n]*$/;
const ILLEGAL_HEADER_VALUE = /\n(?![ \t])|\r(?![ \t\n])/;

type State = "Idle" | "Request-started" | "Request-sent";

/** A request body: bytes, text (sent as latin-1, as Python does), or chunks to send in turn. */
export type Body = Uint8Array | string | Iterable<Uint8Array | string> | AsyncIterable<Uint8Array | string>;

/** Options for `HTTPConnection`, Python's keyword arguments. */
export interface HTTPConnectionOptions {
  /** Seconds for connecting and for each read or write (`null`: none). @default null (the socket default) */
  timeout?: number | null;
  /** Local `[host, port]` to connect from. @default none */
  sourceAddress?: [string, number];
  /** Bytes read from a body file per send. @default 8192 */
  blocksize?: number;
}

/** Options for `request`. */
export interface RequestOptions {
  /** The body. @default none */
  body?: Body | null;
  /** Headers to send, as an object or pairs. @default {} */
  headers?: Record<string, string | number> | Array<[string, string | number]>;
  /** Send the body with Transfer-Encoding: chunked (when a header asks for it). @default false */
  encodeChunked?: boolean;
}

function latin1(text: string, what: string): Buffer {
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) > 0xff) {
      throw new UnicodeError(
        `'latin-1' codec can't encode character '\\u${text.charCodeAt(i).toString(16).padStart(4, "0")}' in position ${i}: ordinal not in range(256) (${what} should be encoded as UTF-8)`,
      );
    }
  }
  return Buffer.from(text, "latin1");
}

/**
 * Python's `http.client.HTTPConnection`: one HTTP/1.1 connection to a host,
 * reused across requests while the server keeps it open.
 *
 * @example
 * ```ts
 * const conn = new HTTPConnection("localhost", 8000, { timeout: 10 });
 * await conn.request("GET", "/");
 * const res = await conn.getresponse();
 * console.log(res.status, res.reason, (await res.read()).toString());
 * conn.close();
 * ```
 */
export class HTTPConnection {
  /** @default 80 */
  static defaultPort = HTTP_PORT;
  /** The HTTP version sent: 11. */
  readonly httpVsn = 11;
  /** The HTTP version string sent. */
  readonly httpVsnStr = "HTTP/1.1";
  /** Connect on first use (Python's `auto_open`). @default true */
  autoOpen = true;
  readonly host: string;
  readonly port: number;
  timeout: number | null | undefined;
  readonly sourceAddress: [string, number] | undefined;
  readonly blocksize: number;
  /** The socket, once connected (Python's `sock`). */
  sock: Socket | null = null;
  #reader: BufferedReader | null = null;
  #state: State = "Idle";
  #response: HTTPResponse | null = null;
  #method: string | null = null;
  #buffer: Buffer[] = [];

  /**
   * @param host a host name or address; `"host:port"` and `"[v6]:port"` work too
   * @param port the port @default 80
   * @throws InvalidURL for a non-numeric port
   */
  constructor(host: string, port?: number | null, options: HTTPConnectionOptions = {}) {
    [this.host, this.port] = getHostPort(
      host,
      port ?? null,
      (this.constructor as typeof HTTPConnection).defaultPort,
    );
    this.timeout = options.timeout;
    this.sourceAddress = options.sourceAddress;
    this.blocksize = options.blocksize ?? 8192;
  }

  /** Python's `connect()`: opens the TCP connection (with TCP_NODELAY, as Python sets). */
  async connect(): Promise<void> {
    const sock = await createConnection([this.host, this.port], {
      ...(this.timeout !== undefined ? { timeout: this.timeout } : {}),
      ...(this.sourceAddress ? { sourceAddress: this.sourceAddress } : {}),
    });
    sock.setsockopt(IPPROTO_TCP, TCP_NODELAY, 1);
    this.sock = sock;
    this.#reader = sock.makefile("rb", { maxLineLength: MAX_LINE });
  }

  /** Python's `close()`: closes the connection; a response being read keeps its own hold. */
  close(): void {
    this.#state = "Idle";
    const sock = this.sock;
    this.sock = null;
    this.#reader = null;
    const response = this.#response;
    this.#response = null;
    if (sock && response && !response.isclosed()) response.takeOver(sock);
    else sock?.close();
  }

  /**
   * Python's `send(data)`: sends bytes (or each chunk of an iterable) as they are,
   * connecting first when `autoOpen`.
   * @throws NotConnected when not connected and `autoOpen` is off
   */
  async send(data: Body): Promise<void> {
    if (!this.sock) {
      if (!this.autoOpen) throw new NotConnected();
      await this.connect();
    }
    const sock = this.sock!;
    if (typeof data === "string") await sock.sendall(latin1(data, "body"));
    else if (data instanceof Uint8Array) await sock.sendall(data);
    else {
      for await (const chunk of data as AsyncIterable<Uint8Array | string>) {
        await sock.sendall(typeof chunk === "string" ? latin1(chunk, "body") : chunk);
      }
    }
  }

  /**
   * Python's `putrequest(method, url)`: starts a request; adds `Host` and
   * `Accept-Encoding: identity` unless skipped.
   * @throws CannotSendRequest while a request or an unread response is pending; InvalidURL / ValueError for control characters
   */
  putrequest(
    method: string,
    url: string,
    options: { skipHost?: boolean; skipAcceptEncoding?: boolean } = {},
  ): void {
    if (this.#response?.isclosed()) this.#response = null;
    if (this.#state !== "Idle") throw new CannotSendRequest(this.#state);
    const bad = DISALLOWED_METHOD_CHAR.exec(method);
    if (bad)
      throw new ValueError(
        `method can't contain control characters. ${pyRepr(method)} (found at least ${pyRepr(bad[0])})`,
      );
    const target = url || "/";
    const badUrl = DISALLOWED_URL_CHAR.exec(target);
    if (badUrl)
      throw new InvalidURL(
        `URL can't contain control characters. ${pyRepr(target)} (found at least ${pyRepr(badUrl[0])})`,
      );
    this.#state = "Request-started";
    this.#method = method;
    this.#buffer = [Buffer.from(`${method} ${target} ${this.httpVsnStr}`, "latin1")];
    if (!options.skipHost) {
      let netloc = "";
      if (target.startsWith("http")) {
        const m = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/([^/?#]*)/.exec(target);
        netloc = m?.[1] ?? "";
      }
      if (netloc) this.putheader("Host", netloc);
      else {
        const host = this.host.includes(":") ? `[${this.host}]` : this.host;
        const defaultPort = (this.constructor as typeof HTTPConnection).defaultPort;
        this.putheader("Host", this.port === defaultPort ? host : `${host}:${this.port}`);
      }
    }
    if (!options.skipAcceptEncoding) this.putheader("Accept-Encoding", "identity");
  }

  /**
   * Python's `putheader(header, *values)`: adds a header line; several values
   * are joined as folded lines, as Python does.
   * @throws CannotSendHeader outside a request; ValueError-like for an illegal name or a value with CR/LF
   */
  putheader(header: string, ...values: Array<string | number>): void {
    if (this.#state !== "Request-started") throw new CannotSendHeader();
    if (!LEGAL_HEADER_NAME.test(header)) throw new ValueError(`Invalid header name ${pyRepr(header)}`);
    const encoded = values.map((v) => (typeof v === "number" ? Buffer.from(String(v)) : latin1(v, "header")));
    for (const v of encoded) {
      if (ILLEGAL_HEADER_VALUE.test(v.toString("latin1"))) {
        throw new ValueError(`Invalid header value ${pyRepr(v.toString("latin1"))}`);
      }
    }
    this.#buffer.push(
      Buffer.concat([
        latin1(header, "header"),
        Buffer.from(": "),
        Buffer.concat(joinWith(encoded, Buffer.from("\r\n\t"))),
      ]),
    );
  }

  /**
   * Python's `endheaders(message_body)`: sends the request line and headers,
   * then the body if given (chunked with `encodeChunked`).
   * @throws CannotSendHeader when no request was started
   */
  async endheaders(messageBody?: Body | null, options: { encodeChunked?: boolean } = {}): Promise<void> {
    if (this.#state !== "Request-started") throw new CannotSendHeader();
    this.#state = "Request-sent";
    const head = Buffer.concat(
      joinWith([...this.#buffer, Buffer.alloc(0), Buffer.alloc(0)], Buffer.from("\r\n")),
    );
    this.#buffer = [];
    await this.send(head);
    if (messageBody === undefined || messageBody === null) return;
    if (!options.encodeChunked) {
      await this.send(messageBody);
      return;
    }
    const chunks: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string> =
      typeof messageBody === "string" || messageBody instanceof Uint8Array ? [messageBody] : messageBody;
    for await (const chunk of chunks) {
      const bytes = typeof chunk === "string" ? latin1(chunk, "body") : chunk;
      if (bytes.length === 0) continue; // an empty chunk would end the body early
      await this.send(
        Buffer.concat([
          Buffer.from(`${bytes.length.toString(16).toUpperCase()}\r\n`),
          bytes,
          Buffer.from("\r\n"),
        ]),
      );
    }
    await this.send(Buffer.from("0\r\n\r\n"));
  }

  /**
   * Python's `request(method, url, body, headers)`: sends a whole request,
   * adding Content-Length (or chunked encoding for an iterable body), Host
   * and Accept-Encoding unless the headers already have them.
   */
  async request(method: string, url: string, options: RequestOptions = {}): Promise<void> {
    const headers: Array<[string, string | number]> = Array.isArray(options.headers)
      ? options.headers
      : Object.entries(options.headers ?? {});
    const names = new Set(headers.map(([k]) => k.toLowerCase()));
    this.putrequest(method, url, {
      skipHost: names.has("host"),
      skipAcceptEncoding: names.has("accept-encoding"),
    });
    let encodeChunked = options.encodeChunked ?? false;
    const body = options.body ?? null;
    if (!names.has("content-length")) {
      if (!names.has("transfer-encoding")) {
        encodeChunked = false;
        const length = contentLength(body, method);
        if (length === null) {
          if (body !== null) {
            encodeChunked = true;
            this.putheader("Transfer-Encoding", "chunked");
          }
        } else this.putheader("Content-Length", String(length));
      }
    } else encodeChunked = false;
    for (const [k, v] of headers) this.putheader(k, v);
    await this.endheaders(body, { encodeChunked });
  }

  /**
   * Python's `getresponse()`: reads the status line and headers of the
   * response to the request just sent. Read it to the end (or close it)
   * before the next request on this connection.
   * @throws ResponseNotReady, BadStatusLine, RemoteDisconnected, LineTooLong, HTTPException
   */
  async getresponse(): Promise<HTTPResponse> {
    if (this.#response?.isclosed()) this.#response = null;
    if (this.#state !== "Request-sent" || this.#response) throw new ResponseNotReady(this.#state);
    const sock = this.sock;
    const reader = this.#reader;
    if (!sock || !reader) throw new ResponseNotReady(this.#state);
    const response = new HTTPResponse(sock, reader, this.#method ?? "GET", () => {
      if (this.sock === sock && response.willClose) this.close();
    });
    try {
      await response.begin();
    } catch (err) {
      this.close();
      throw err;
    }
    this.#state = "Idle";
    if (response.willClose) {
      this.#response = response;
      this.close(); // the response takes the socket over and closes it when read
    } else this.#response = response;
    return response;
  }

  /** `await using conn = new HTTPConnection(...)`. */
  async [Symbol.asyncDispose](): Promise<void> {
    this.close();
  }
}

function joinWith(parts: Buffer[], sep: Buffer): Buffer[] {
  const out: Buffer[] = [];
  parts.forEach((p, i) => {
    if (i > 0) out.push(sep);
    out.push(p);
  });
  return out;
}

function contentLength(body: Body | null, method: string): number | null {
  if (body === null) return METHODS_EXPECTING_BODY.has(method.toUpperCase()) ? 0 : null;
  if (typeof body === "string") return body.length;
  if (body instanceof Uint8Array) return body.length;
  return null;
}

/** Python's `HTTPConnection._get_hostport`. */
function getHostPort(host: string, port: number | null, defaultPort: number): [string, number] {
  if (port !== null) return [host, port];
  let h = host;
  let p = defaultPort;
  const colon = h.lastIndexOf(":");
  const bracket = h.lastIndexOf("]");
  if (colon > bracket) {
    const text = h.slice(colon + 1);
    if (text === "") p = defaultPort;
    else if (/^\d+$/.test(text)) p = Number(text);
    else throw new InvalidURL(`nonnumeric port: '${text}'`);
    h = h.slice(0, colon);
  }
  if (h.startsWith("[") && h.endsWith("]")) h = h.slice(1, -1);
  return [h, p];
}

/**
 * Python's `http.client.HTTPResponse`: the status, the headers, and the body
 * to read like a file (`read(n)`, `read()`, `readline`, async iteration).
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
  /** True when the connection closes after this response. */
  willClose = false;
  /** True for a chunked body. */
  chunked = false;
  /** Bytes of body left, when known (Python's `length`). */
  length: number | null = null;
  readonly #reader: BufferedReader;
  readonly #method: string;
  #sock: Socket | null;
  #owned = false;
  #closed = false;
  #chunkLeft: number | null = null;
  readonly #onDone: () => void;

  constructor(sock: Socket, reader: BufferedReader, method: string, onDone: () => void = () => {}) {
    this.#sock = sock;
    this.#reader = reader;
    this.#method = method;
    this.#onDone = onDone;
  }

  /** Python's `code`. */
  get code(): number {
    return this.status;
  }

  /** Python's `msg`: the headers. */
  get msg(): HTTPMessage {
    return this.headers;
  }

  /** @internal The connection hands its socket over when it closes while this response is read. */
  takeOver(sock: Socket): void {
    this.#sock = sock;
    this.#owned = true;
  }

  async #readStatus(): Promise<[string, number, string]> {
    const raw = await this.#reader.readline(MAX_LINE + 1);
    if (raw.length > MAX_LINE) throw new LineTooLong("status line");
    const line = raw.toString("latin1");
    if (line === "") throw new RemoteDisconnected();
    const parts = line.trim().split(/\s+/);
    const version = parts[0] ?? "";
    const words = line.replace(/^\s+/, "").split(/\s+/);
    const status = words[1] ?? "";
    const reasonMatch = /^\s*\S+\s+\S+\s+([\s\S]*)$/.exec(line);
    const reason = reasonMatch ? reasonMatch[1]! : "";
    if (!version.startsWith("HTTP/")) {
      this.#closeConn();
      throw new BadStatusLine(line);
    }
    if (!/^\s*[+-]?\d+\s*$/.test(status) || Number(status) < 100 || Number(status) > 999) {
      throw new BadStatusLine(line);
    }
    return [version, Number(status), reason];
  }

  /** Python's `begin()`: reads the status line (skipping 100 Continue) and the headers, and works out the framing. */
  async begin(): Promise<void> {
    let version: string;
    let status: number;
    let reason: string;
    for (;;) {
      [version, status, reason] = await this.#readStatus();
      if (status !== 100) break;
      await readHeaders(this.#reader); // skip the 100 response's headers
    }
    this.status = status;
    this.reason = reason.trim();
    if (version === "HTTP/1.0" || version === "HTTP/0.9") this.version = 10;
    else if (version.startsWith("HTTP/1.")) this.version = 11;
    else throw new UnknownProtocol(version);
    this.headers = await parseHeaders(this.#reader);
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
    if (this.#closed) return Buffer.alloc(0);
    if (this.#method === "HEAD") {
      this.#closeConn();
      return Buffer.alloc(0);
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
      throw new IncompleteRead(Buffer.alloc(0));
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

  /** Python's `readline()`: one line of the body (of a Content-Length or close-delimited body). */
  async readline(limit = -1): Promise<Buffer> {
    if (this.#closed || this.#method === "HEAD") return Buffer.alloc(0);
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

  /** Python's `getheader(name, default)`: the header's values joined by ", ". */
  getheader(name: string, defaultValue?: string): string | undefined {
    const values = this.headers?.getAll(name);
    return values ? values.join(", ") : defaultValue;
  }

  /** Python's `getheaders()`: `[name, value]` pairs. */
  getheaders(): Array<[string, string]> {
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
