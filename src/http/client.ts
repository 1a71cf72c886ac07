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
 * `connect()` opens TCP (with TCP_NODELAY), then, after `setTunnel`, sends
 * `CONNECT host:port` to the proxy it reached; `HTTPSConnection` then starts
 * TLS (through `netkit/ssl`), inside the tunnel when there is one.
 *
 * Response framing follows Python: Content-Length, chunked (trailers read
 * and discarded), close-delimited, no body for HEAD, 1xx, 204 and 304;
 * interim (1xx) responses are skipped. Limits: 65536 bytes per status,
 * header, trailer or chunk-size line, 100 header or trailer lines, 16
 * interim responses, and the response head within twice `timeout`, each a
 * typed error.
 *
 * Safer than Python 3.11, on purpose:
 * - Both directions are held to RFC 9110/9112's grammar (`_grammar.ts`).
 *   Sent: the method and header names must be tokens, header values free of
 *   control characters but HTAB, several values of one `putheader` joined by
 *   ", " rather than folded. Received: the status line, header and trailer
 *   lines, Content-Length, chunk-size lines and the line end after each
 *   chunk (see `HTTPResponse`); Python reads each leniently, and a server or
 *   proxy that frames a response differently from the client can split it.
 * - Every 1xx response but 101 is skipped, not only 100 (Python hands a
 *   `103 Early Hints` over as the response).
 * - HTTPS verifies certificates and host names by default (as Python does
 *   since 3.4.3), and `checkHostname: false` never changes a shared context.
 * - The proxy's CONNECT reply may have at most 100 header lines (Python 3.12's
 *   limit; 3.11 reads without end), and `setTunnel` refuses CR/LF in the
 *   host and headers (3.11 sends them as they are). An IPv6 tunnel host is
 *   bracketed (`CONNECT [::1]:443`, as 3.12 does).
 * - A failed tunnel or TLS handshake closes the socket.
 * - Debug text goes to standard error (Python prints to standard output),
 *   or to `debugOutput`.
 *
 * Node's manners: a connection kept alive and idle between requests does not
 * keep the process alive (node:http's Agent unrefs its free sockets too), so
 * a script that is done exits without `close()`, as a Python script does; a
 * connection with a request or a response under way does. Every public
 * entry point checks its arguments' types (a TypeError with code
 * `ERR_INVALID_ARG_TYPE`, naming the function and the argument).
 *
 * @module
 */

import { domainToASCII } from "node:url";
import { checkOptions, checkString } from "../_args.js";
import { ASCII_CODEC } from "../_codecs.js";
import { fieldValueFaultAt, nonTokenAt } from "../_http_grammar.js";
import {
  argTypeError,
  ENOPROTOOPT,
  OSError,
  pyRepr,
  RuntimeError,
  UnicodeError,
  ValueError,
} from "../errors/index.js";
import type { BufferedReader } from "../io/reader.js";
import { IPPROTO_TCP, TCP_NODELAY } from "../socket/constants.js";
import { createConnection } from "../socket/create.js";
import type { Socket } from "../socket/socket.js";
import {
  CERT_NONE,
  createDefaultContext,
  PROTOCOL_TLS_CLIENT,
  SSLContext,
  type SSLContextOptions,
} from "../socket/tls.js";
import { type DebugOutput, printLine, stderrOutput, valueRepr } from "./_client/debug.js";
import { HTTPResponse, readStatusLine, withinHeadDeadline } from "./_client/response.js";
import {
  CannotSendHeader,
  CannotSendRequest,
  InvalidURL,
  LineTooLong,
  NotConnected,
  ResponseNotReady,
  TooManyHeaders,
} from "./errors.js";
import { MAX_HEADERS, MAX_LINE } from "./message.js";

export { SSLContext, type SSLContextOptions } from "../socket/tls.js";
export type { DebugOutput } from "./_client/debug.js";
export { HTTPResponse, type HTTPResponseOptions } from "./_client/response.js";
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
/** A character `str.encode("ascii")` refuses: Python encodes the request line as ASCII. */
const BEYOND_ASCII = /[^\0-\x7f]/;

/**
 * Python's `_validate_method`, and RFC 9110 9.1: a method is a token.
 * @throws ValueError (Python's message for a control character)
 */
function validateMethod(method: string): void {
  const at = nonTokenAt(method);
  if (at < 0) return;
  const bad = DISALLOWED_METHOD_CHAR.exec(method);
  if (bad) {
    throw new ValueError(
      `method can't contain control characters. ${pyRepr(method)} (found at least ${pyRepr(bad[0])})`,
    );
  }
  const found = method === "" ? "" : ` (found at least ${pyRepr(method.charAt(at))})`;
  throw new ValueError(`Invalid method ${pyRepr(method)}: a method is a token${found}`);
}

/**
 * Python's check on `putheader`'s name, held to RFC 9110 5.1: a token.
 * @throws ValueError ("Invalid header name ...", Python's message)
 */
function validateHeaderName(name: string): void {
  if (nonTokenAt(name) >= 0) throw new ValueError(`Invalid header name ${pyRepr(name)}`);
}

/**
 * Python's check on `putheader`'s values, held to RFC 9110 5.5: no control
 * character but HTAB (so no CR, LF or NUL).
 * @throws UnicodeError beyond latin-1; ValueError ("Invalid header value ...", Python's message)
 */
function validateHeaderValue(value: string): void {
  checkLatin1(value, "header");
  if (fieldValueFaultAt(value) >= 0) throw new ValueError(`Invalid header value ${pyRepr(value)}`);
}

type State = "Idle" | "Request-started" | "Request-sent";

/**
 * A file-like body: Python's "readable" (anything with `read(size)`), read
 * `blocksize` bytes at a time; `read` may be async (a netkit `BufferedReader`,
 * a `FileHandle`-like wrapper). An empty result ends it.
 */
export interface ReadableBody {
  /** Returns up to `size` bytes (text is sent as latin-1, as Python does); an empty result ends the body. */
  read(size: number): Uint8Array | string | Promise<Uint8Array | string>;
}

/**
 * A request body: bytes, text (sent as latin-1, as Python does), chunks to
 * send in turn, or a readable.
 */
export type Body =
  | Uint8Array
  | string
  | Iterable<Uint8Array | string>
  | AsyncIterable<Uint8Array | string>
  | ReadableBody;

/** Options for `HTTPConnection`, Python's keyword arguments. */
export interface HTTPConnectionOptions {
  /** Seconds for connecting and for each read or write (`null`: none). @default null (the socket default) */
  timeout?: number | null;
  /** Local `[host, port]` to connect from. @default none */
  sourceAddress?: [string, number];
  /** Bytes read from a readable body per send. @default 8192 */
  blocksize?: number;
  /** Where `setDebuglevel` text goes. @default standard error */
  debugOutput?: DebugOutput;
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

const BEYOND_LATIN1 = /[\u0100-\u{10ffff}]/u;

/** Throws Python's UnicodeError when `text` has a character latin-1 cannot encode. */
function checkLatin1(text: string, what: string): void {
  const beyond = BEYOND_LATIN1.exec(text);
  if (beyond) {
    throw new UnicodeError(
      `'latin-1' codec can't encode character '\\u${beyond[0].charCodeAt(0).toString(16).padStart(4, "0")}' in position ${beyond.index}: ordinal not in range(256) (${what} should be encoded as UTF-8)`,
    );
  }
}

/** `text` as latin-1 bytes. @throws UnicodeError for a character beyond U+00FF */
function latin1(text: string, what: string): Buffer {
  checkLatin1(text, what);
  return Buffer.from(text, "latin1");
}

function isReadable(body: unknown): body is ReadableBody {
  return (
    typeof body === "object" &&
    body !== null &&
    !(body instanceof Uint8Array) &&
    typeof (body as { read?: unknown }).read === "function"
  );
}

// ---- argument checks: what a caller without a type checker gets for a wrong type ----

/** What `Body` is, for the messages. */
const BODY_TYPES = "bytes, str, an iterable of chunks or a readable";

/** Checks a body argument (`null`/`undefined` allowed where `optional`). */
function checkBody(fn: string, name: string, value: unknown, optional: boolean): void {
  if (optional && (value === null || value === undefined)) return;
  if (typeof value === "string" || value instanceof Uint8Array || isReadable(value)) return;
  if (
    typeof value === "object" &&
    value !== null &&
    (Symbol.iterator in value || Symbol.asyncIterator in value)
  )
    return;
  throw argTypeError(fn, name, BODY_TYPES, value);
}

/** Checks a port: an integer, or `null`/`undefined` for the default. */
function checkPort(fn: string, name: string, value: unknown): void {
  if (value === null || value === undefined || Number.isInteger(value)) return;
  throw argTypeError(fn, name, "int or null", value);
}

/** Checks one header value: text or a number, as `putheader` sends them. */
function checkHeaderValue(fn: string, name: string, value: unknown): void {
  if (typeof value !== "string" && typeof value !== "number")
    throw argTypeError(fn, name, "str or int", value);
}

/**
 * Headers given as an object or `[name, value]` pairs, checked, as pairs.
 * @throws TypeError (`ERR_INVALID_ARG_TYPE`) for anything else
 */
function headerPairs(fn: string, headers: unknown): Array<[string, string | number]> {
  if (headers === undefined || headers === null) return [];
  if (typeof headers !== "object")
    throw argTypeError(fn, "headers", "an object or [name, value] pairs", headers);
  const pairs: unknown[] = Array.isArray(headers) ? headers : Object.entries(headers);
  return pairs.map((pair) => {
    if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== "string") {
      throw argTypeError(fn, "headers", "an object or [name, value] pairs", pair);
    }
    checkHeaderValue(fn, `headers[${pyRepr(pair[0])}]`, pair[1]);
    return pair as [string, string | number];
  });
}

/** Python's `_strip_ipv6_iface`: `[fe80::1%eth0]` → `[fe80::1]`. */
function stripIPv6Iface(name: string): string {
  const at = name.indexOf("%");
  return at < 0 ? name : `${name.slice(0, at)}]`;
}

/** Python's `host.encode("ascii")`, falling back to IDNA for other names. */
function asciiHost(host: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ASCII is the point
  if (/^[\x00-\x7f]*$/.test(host)) return host;
  const ascii = domainToASCII(host);
  if (!ascii) throw new UnicodeError(`encoding with 'idna' codec failed: ${pyRepr(host)}`);
  return ascii;
}

/**
 * Python's `http.client.HTTPConnection`: one HTTP/1.1 connection to a host,
 * reused across requests while the server keeps it open.
 *
 * Methods for callers: `request`, `getresponse`, `close`, `setTunnel`,
 * `setDebuglevel`, and the low-level `putrequest`, `putheader`,
 * `endheaders`, `send`. Subclasses override `connect` (as `HTTPSConnection`
 * does) and may replace `sock` there.
 *
 * @example
 * ```ts world
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
  /** Python's `response_class`: what `getresponse` makes. */
  static responseClass: typeof HTTPResponse = HTTPResponse;
  /** The HTTP version sent: 11. */
  readonly httpVsn = 11;
  /** The HTTP version string sent. */
  readonly httpVsnStr = "HTTP/1.1";
  /** Connect on first use (Python's `auto_open`). @default true */
  autoOpen = true;
  /** Python's `debuglevel`: above 0, the exchange is printed (see `setDebuglevel`). @default 0 */
  debuglevel = 0;
  /** Where debug text goes (Python prints to standard output). @default standard error */
  debugOutput: DebugOutput;
  /** The host connected to, without brackets. */
  readonly host: string;
  /** The port connected to (80 or 443 unless given). */
  readonly port: number;
  /** Seconds for connecting and for each read or write; `null` for none, `undefined` for the socket default. */
  timeout: number | null | undefined;
  /** Local `[host, port]` to connect from, when given. */
  readonly sourceAddress: [string, number] | undefined;
  /** Bytes read from a readable body per send. */
  readonly blocksize: number;
  /** The socket, once connected (Python's `sock`). */
  sock: Socket | null = null;
  #reader: BufferedReader | null = null;
  #readerSock: Socket | null = null;
  #state: State = "Idle";
  #response: HTTPResponse | null = null;
  #method: string | null = null;
  /** The request line and header lines so far (Python's `_buffer`), as latin-1 text ending in CRLF. */
  #head = "";
  #tunnelHost: string | null = null;
  #tunnelPort: number | null = null;
  #tunnelHeaders: Array<[string, string]> = [];

  /**
   * @param host a host name or address; `"host:port"` and `"[v6]:port"` work too (not a URL)
   * @param port the port @default 80
   * @throws InvalidURL for a non-numeric port or control characters in the host;
   *   TypeError (`ERR_INVALID_ARG_TYPE`) for an argument or option of the wrong type
   */
  constructor(host: string, port?: number | null, options: HTTPConnectionOptions = {}) {
    const fn = new.target.name;
    checkString(fn, "host", host);
    checkPort(fn, "port", port);
    checkOptions(fn, options, "{ timeout, sourceAddress, blocksize, debugOutput }");
    const { timeout, sourceAddress, blocksize, debugOutput } = options;
    if (timeout !== undefined && timeout !== null && typeof timeout !== "number") {
      throw argTypeError(fn, "timeout", "a number of seconds or null", timeout);
    }
    if (sourceAddress !== undefined && !Array.isArray(sourceAddress)) {
      throw argTypeError(fn, "sourceAddress", "a (host, port) tuple", sourceAddress);
    }
    if (blocksize !== undefined && !Number.isInteger(blocksize)) {
      throw argTypeError(fn, "blocksize", "int", blocksize);
    }
    if (debugOutput !== undefined && typeof debugOutput !== "function") {
      throw argTypeError(fn, "debugOutput", "a function", debugOutput);
    }
    [this.host, this.port] = getHostPort(host, port ?? null, this.#defaultPort());
    validateHost(this.host);
    this.timeout = options.timeout;
    this.sourceAddress = options.sourceAddress;
    this.blocksize = options.blocksize ?? 8192;
    this.debugOutput = options.debugOutput ?? stderrOutput;
  }

  #defaultPort(): number {
    return (this.constructor as typeof HTTPConnection).defaultPort;
  }

  #debug(...parts: string[]): void {
    if (this.debuglevel > 0) this.debugOutput(printLine(...parts));
  }

  /** The host `setTunnel` named (Python's `_tunnel_host`), or null. */
  get tunnelHost(): string | null {
    return this.#tunnelHost;
  }

  /** The port `setTunnel` named (Python's `_tunnel_port`), or null. */
  get tunnelPort(): number | null {
    return this.#tunnelPort;
  }

  /**
   * Python's `set_tunnel(host, port, headers)`: connect through the HTTP
   * proxy this connection was made for, to `host:port`, with `CONNECT`.
   * `headers` go with the CONNECT request (e.g. `Proxy-Authorization`).
   * Call it before the connection opens.
   * @throws RuntimeError when already connected;
   *   InvalidURL / ValueError for control characters in the host or headers
   */
  setTunnel(
    host: string,
    port?: number | null,
    headers?: Record<string, string | number> | Array<[string, string | number]> | null,
  ): void {
    checkString("setTunnel", "host", host);
    checkPort("setTunnel", "port", port);
    const pairs = headerPairs("setTunnel", headers);
    if (this.sock) throw new RuntimeError("Can't set up tunnel for established connection");
    const [h, p] = getHostPort(host, port ?? null, this.#defaultPort());
    validateHost(h);
    const checked = pairs.map(([k, v]): [string, string] => {
      const value = String(v);
      validateHeaderName(k);
      validateHeaderValue(value);
      return [k, value];
    });
    this.#tunnelHost = h;
    this.#tunnelPort = p;
    this.#tunnelHeaders = checked;
  }

  /**
   * Python's `set_debuglevel(level)`: above 0, prints what is sent
   * (`send: b'...'`), the status line (`reply: '...'`) and each header
   * (`header: Name: value`), in Python's words, to `debugOutput`.
   */
  setDebuglevel(level: number): void {
    this.debuglevel = level;
  }

  /** Sends CONNECT and reads the proxy's reply (Python's `_tunnel`). */
  async #tunnel(): Promise<void> {
    const host = asciiHost(this.#tunnelHost!);
    const target = host.includes(":") ? `[${host}]` : host;
    let head = `CONNECT ${target}:${this.#tunnelPort} HTTP/1.0\r\n`;
    for (const [k, v] of this.#tunnelHeaders) head += `${k}: ${v}\r\n`;
    head += "\r\n";
    try {
      await this.send(latin1(head, "header"));
      const sock = this.sock!;
      const reader = this.#readerFor(sock);
      await withinHeadDeadline(sock, async () => {
        // Python reads this reply without printing it (the response has no debuglevel).
        const [, code, message] = await readStatusLine(reader);
        if (code !== 200) throw new OSError(undefined, `Tunnel connection failed: ${code} ${message.trim()}`);
        for (let count = 0; ; count++) {
          const line = await reader.readline(MAX_LINE + 1);
          if (line.length > MAX_LINE) throw new LineTooLong("header line");
          if (line.length === 0) break; // for sites which EOF without sending a trailer
          if (line.equals(CRLF) || line.equals(LF)) break;
          if (count >= MAX_HEADERS) throw new TooManyHeaders(MAX_HEADERS);
          this.#debug("header:", line.toString("utf8"));
        }
      });
    } catch (err) {
      this.close();
      throw err;
    }
  }

  /**
   * Python's `connect()`: opens the TCP connection (with TCP_NODELAY, as
   * Python sets) and, after `setTunnel`, the tunnel through the proxy.
   * @throws OSError (ConnectionRefusedError, TimeoutError, "Tunnel connection failed: 407 ..."), LineTooLong, HTTPException
   */
  async connect(): Promise<void> {
    const sock = await createConnection([this.host, this.port], {
      ...(this.timeout !== undefined ? { timeout: this.timeout } : {}),
      ...(this.sourceAddress ? { sourceAddress: this.sourceAddress } : {}),
    });
    try {
      sock.setsockopt(IPPROTO_TCP, TCP_NODELAY, 1);
    } catch (err) {
      if (!(err instanceof OSError && err.errno === ENOPROTOOPT)) {
        sock.close();
        throw err;
      }
    }
    this.sock = sock;
    if (this.#tunnelHost) await this.#tunnel();
  }

  /** The buffered reader over `sock` (made again when a subclass replaces the socket). */
  #readerFor(sock: Socket): BufferedReader {
    if (this.#readerSock !== sock || !this.#reader) {
      this.#reader = sock.makefile("rb", { maxLineLength: MAX_LINE });
      this.#readerSock = sock;
    }
    return this.#reader;
  }

  /** Python's `close()`: closes the connection; a response being read keeps its own hold. */
  close(): void {
    this.#state = "Idle";
    const sock = this.sock;
    this.sock = null;
    this.#reader = null;
    this.#readerSock = null;
    const response = this.#response;
    this.#response = null;
    if (sock && response && !response.isclosed()) response.takeOver(sock);
    else sock?.close();
  }

  /**
   * Python's `send(data)`: sends bytes, text (latin-1), each chunk of an
   * iterable, or a readable `blocksize` bytes at a time, connecting first
   * when `autoOpen`.
   * @throws NotConnected when not connected and `autoOpen` is off;
   *   TypeError (`ERR_INVALID_ARG_TYPE`) for data of another type
   */
  async send(data: Body): Promise<void> {
    checkBody("send", "data", data, false);
    if (!this.sock) {
      if (!this.autoOpen) throw new NotConnected();
      await this.connect();
    }
    const sock = this.sock!;
    sock.ref(); // in use again (see #idle)
    // The repr is built only when printed: send() is on every request's path.
    if (this.debuglevel > 0) this.#debug("send:", valueRepr(data));
    if (isReadable(data)) {
      this.#debug("sending a readable");
      for await (const block of this.#readBlocks(data)) await sock.sendall(block);
      return;
    }
    if (typeof data === "string") await sock.sendall(latin1(data, "body"));
    else if (data instanceof Uint8Array) await sock.sendall(data);
    else {
      for await (const chunk of data as AsyncIterable<Uint8Array | string>) {
        await sock.sendall(typeof chunk === "string" ? latin1(chunk, "body") : chunk);
      }
    }
  }

  /** Reads a readable `blocksize` bytes at a time (text blocks sent as latin-1, as Python does). */
  async *#readBlocks(readable: ReadableBody): AsyncGenerator<Uint8Array> {
    let first = true;
    for (;;) {
      const block = await readable.read(this.blocksize);
      if (block.length === 0) return;
      if (typeof block === "string") {
        if (first) this.#debug("encoding file using iso-8859-1");
        first = false;
        yield latin1(block, "body");
      } else {
        first = false;
        yield block;
      }
    }
  }

  /**
   * Python's `putrequest(method, url)`: starts a request; adds `Host` and
   * `Accept-Encoding: identity` unless skipped. Nothing is sent before
   * `endheaders()`, and nothing changes when it throws (Python is left
   * mid-request).
   *
   * Differs from Python: the method must be a token (RFC 9110 9.1; Python
   * refuses control characters only, so a method such as `"GET /admin"` went
   * out and moved the request line's words along).
   * @throws CannotSendRequest while a request or an unread response is pending;
   *   ValueError for a method that is not a token; InvalidURL for control characters
   *   or a space in the URL; UnicodeEncodeError for a character beyond ASCII (as Python);
   *   TypeError (`ERR_INVALID_ARG_TYPE`) for an argument of the wrong type
   */
  putrequest(
    method: string,
    url: string,
    options: { skipHost?: boolean; skipAcceptEncoding?: boolean } = {},
  ): void {
    checkString("putrequest", "method", method);
    checkString("putrequest", "url", url);
    checkOptions("putrequest", options, "{ skipHost, skipAcceptEncoding }");
    if (this.#response?.isclosed()) this.#response = null;
    if (this.#state !== "Idle") throw new CannotSendRequest(this.#state);
    validateMethod(method);
    const target = url || "/";
    const badUrl = DISALLOWED_URL_CHAR.exec(target);
    if (badUrl)
      throw new InvalidURL(
        `URL can't contain control characters. ${pyRepr(target)} (found at least ${pyRepr(badUrl[0])})`,
      );
    const requestLine = `${method} ${target} ${this.httpVsnStr}`;
    // Python's request.encode("ascii"), for its UnicodeEncodeError (netkit would send latin-1 bytes, or worse).
    if (BEYOND_ASCII.test(requestLine)) ASCII_CODEC.encode(requestLine, "strict");
    this.#state = "Request-started";
    this.#method = method;
    this.#head = `${requestLine}\r\n`;
    if (!options.skipHost) {
      let netloc = "";
      if (target.startsWith("http")) {
        const m = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/([^/?#]*)/.exec(target);
        netloc = m?.[1] ?? "";
      }
      if (netloc) this.putheader("Host", stripIPv6Iface(asciiHost(netloc)));
      else {
        const host = asciiHost(this.#tunnelHost ?? this.host);
        const port = this.#tunnelHost ? this.#tunnelPort : this.port;
        const name = host.includes(":") ? stripIPv6Iface(`[${host}]`) : host;
        this.putheader("Host", port === this.#defaultPort() ? name : `${name}:${port}`);
      }
    }
    if (!options.skipAcceptEncoding) this.putheader("Accept-Encoding", "identity");
  }

  /**
   * Python's `putheader(header, *values)`: adds a header line; several
   * values are joined by ", " (RFC 9110 5.3), where Python folds them onto
   * continuation lines, which RFC 9112 5.2 forbids a sender (and servers
   * refuse, netkit's among them).
   *
   * Differs from Python: the name must be a token (Python refuses only
   * CR, LF, whitespace at the start and a colon; NUL went out), and a value
   * may hold no control character but HTAB (Python lets NUL through, and a
   * CR or LF followed by a space or tab, which folds the line).
   * @throws CannotSendHeader outside a request; ValueError for an illegal name or value;
   *   UnicodeError for a character beyond latin-1; TypeError (`ERR_INVALID_ARG_TYPE`)
   *   for a name that is not a string or a value that is neither a string nor a number
   */
  putheader(header: string, ...values: Array<string | number>): void {
    checkString("putheader", "header", header);
    for (const [i, v] of values.entries()) checkHeaderValue("putheader", `values[${i}]`, v);
    if (this.#state !== "Request-started") throw new CannotSendHeader();
    validateHeaderName(header);
    const texts = values.map((v) => (typeof v === "number" ? String(v) : v));
    for (const text of texts) validateHeaderValue(text);
    this.#head += `${header}: ${texts.join(", ")}\r\n`;
  }

  /**
   * Python's `endheaders(message_body)`: sends the request line and headers,
   * then the body if given (chunked with `encodeChunked`).
   * @throws CannotSendHeader when no request was started;
   *   TypeError (`ERR_INVALID_ARG_TYPE`) for a body or options of the wrong type
   */
  async endheaders(messageBody?: Body | null, options: { encodeChunked?: boolean } = {}): Promise<void> {
    checkBody("endheaders", "messageBody", messageBody, true);
    checkOptions("endheaders", options, "{ encodeChunked }");
    if (this.#state !== "Request-started") throw new CannotSendHeader();
    this.#state = "Request-sent";
    await this.#sendOutput(messageBody ?? null, options.encodeChunked ?? false);
  }

  /** Python's `_send_output`: the head in one send, then each chunk of the body in its own. */
  async #sendOutput(body: Body | null, encodeChunked: boolean): Promise<void> {
    const head = Buffer.from(`${this.#head}\r\n`, "latin1");
    this.#head = "";
    await this.send(head);
    if (body === null) return;
    let chunks: Iterable<Uint8Array | string> | AsyncIterable<Uint8Array | string>;
    if (isReadable(body)) {
      this.#debug("reading a readable");
      chunks = this.#readBlocks(body);
    } else if (typeof body === "string" || body instanceof Uint8Array) chunks = [body];
    else chunks = body;
    const chunked = encodeChunked && this.httpVsn === 11;
    for await (const chunk of chunks) {
      const bytes = typeof chunk === "string" ? latin1(chunk, "body") : chunk;
      if (bytes.length === 0) {
        this.#debug("Zero length chunk ignored"); // an empty chunk would end a chunked body early
        continue;
      }
      if (chunked)
        await this.send(
          Buffer.concat([Buffer.from(`${bytes.length.toString(16).toUpperCase()}\r\n`), bytes, CRLF]),
        );
      else await this.send(bytes);
    }
    if (chunked) await this.send(Buffer.from("0\r\n\r\n"));
  }

  /**
   * Python's `request(method, url, body, headers)`: sends a whole request,
   * adding Content-Length (or chunked encoding for an iterable or readable
   * body), Host and Accept-Encoding unless the headers already have them.
   *
   * Python's positional `body` and `headers` go in the options object:
   * `request("POST", "/", { body, headers })`.
   * @throws TypeError (`ERR_INVALID_ARG_TYPE`) for an argument or option of
   *   the wrong type; and what `putrequest`, `putheader` and `endheaders` throw
   */
  async request(method: string, url: string, options: RequestOptions = {}): Promise<void> {
    checkString("request", "method", method);
    checkString("request", "url", url);
    checkOptions("request", options, "{ body, headers, encodeChunked }");
    checkBody("request", "body", options.body, true);
    const headers = headerPairs("request", options.headers);
    const names = new Set(headers.map(([k]) => k.toLowerCase()));
    this.putrequest(method, url, {
      skipHost: names.has("host"),
      skipAcceptEncoding: names.has("accept-encoding"),
    });
    let encodeChunked = options.encodeChunked ?? false;
    let body = options.body ?? null;
    if (!names.has("content-length")) {
      if (!names.has("transfer-encoding")) {
        encodeChunked = false;
        const length = contentLength(body, method);
        if (length === null) {
          if (body !== null) {
            this.#debug(`Unable to determine size of ${valueRepr(body)}`);
            encodeChunked = true;
            this.putheader("Transfer-Encoding", "chunked");
          }
        } else this.putheader("Content-Length", String(length));
      }
    } else encodeChunked = false;
    for (const [k, v] of headers) this.putheader(k, v);
    if (typeof body === "string") body = latin1(body, "body"); // RFC 2616 §3.7.1: ISO-8859-1 by default
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
    if (!sock) throw new ResponseNotReady(this.#state);
    const reader = this.#readerFor(sock);
    const Response = (this.constructor as typeof HTTPConnection).responseClass;
    const response: HTTPResponse = new Response(
      sock,
      reader,
      this.#method ?? "GET",
      () => {
        if (this.sock !== sock) return;
        if (response.willClose) this.close();
        else this.#idle(sock);
      },
      { debuglevel: this.debuglevel, debugOutput: this.debugOutput },
    );
    try {
      await response.begin();
    } catch (err) {
      this.close();
      throw err;
    }
    this.#state = "Idle";
    this.#response = response;
    if (response.willClose) this.close(); // the response takes the socket over and closes it when read
    return response;
  }

  /**
   * The response is read and the server keeps the connection: it waits for
   * the next request without keeping the process alive (as node:http's Agent
   * unrefs its free sockets), so a script that is done exits, as a Python
   * script does without `close()`. `send` makes it hold the process again.
   */
  #idle(sock: Socket): void {
    sock.unref();
  }

  /** `await using conn = new HTTPConnection(...)`. */
  async [Symbol.asyncDispose](): Promise<void> {
    this.close();
  }
}

const CRLF = Buffer.from("\r\n");
const LF = Buffer.from("\n");

/** Options for `HTTPSConnection`: `HTTPConnection`'s plus the TLS ones. */
export interface HTTPSConnectionOptions extends HTTPConnectionOptions {
  /**
   * Python's `context`: an `SSLContext`, or Node TLS options to make one
   * from (`ca`, `cert`, `key`, `rejectUnauthorized`, `minVersion`,
   * `ALPNProtocols`, ... — see `SSLContextOptions`; a `ca` there replaces
   * the default CAs).
   * @default createDefaultContext() offering ALPN "http/1.1", as Python's default
   */
  context?: SSLContext | SSLContextOptions | undefined;
  /**
   * Python's `check_hostname`: `false` keeps verifying the certificate chain
   * but not the host name. Unlike Python, the context itself is not changed.
   * @default the context's `checkHostname`
   */
  checkHostname?: boolean | undefined;
}

/**
 * Python's `http.client.HTTPSConnection`: HTTP over TLS, with the
 * certificate and the host name verified by default.
 *
 * Python's deprecated `key_file`/`cert_file` are not offered: load a client
 * certificate into the context (`context.loadCertChain(...)` or
 * `{ context: { cert, key } }`).
 *
 * @example A server with a private CA
 * ```ts world
 * import { readFileSync } from "node:fs";
 * const conn = new HTTPSConnection("localhost", 8443, { context: { ca: readFileSync("ca.pem") }, timeout: 10 });
 * await conn.request("GET", "/");
 * const res = await conn.getresponse();
 * ```
 * @throws ValueError when `checkHostname` is asked of a context that does not verify
 */
export class HTTPSConnection extends HTTPConnection {
  /** @default 443 */
  static override defaultPort = HTTPS_PORT;
  /** The TLS settings (Python's `_context`). */
  readonly context: SSLContext;
  /** Whether the host name is checked on this connection. */
  readonly checkHostname: boolean;

  constructor(host: string, port?: number | null, options: HTTPSConnectionOptions = {}) {
    super(host, port, options);
    let context: SSLContext;
    if (options.context instanceof SSLContext) context = options.context;
    else if (options.context === undefined) {
      context = createDefaultContext();
      context.setAlpnProtocols(["http/1.1"]);
    } else {
      const given = options.context;
      context = new SSLContext(PROTOCOL_TLS_CLIENT, given);
      if (given.ca === undefined) context.loadDefaultCerts();
      if (given.ALPNProtocols === undefined) context.setAlpnProtocols(["http/1.1"]);
    }
    const willVerify = context.verifyMode !== CERT_NONE;
    const checkHostname = options.checkHostname ?? context.checkHostname;
    if (checkHostname && !willVerify)
      throw new ValueError("check_hostname needs a SSL context with either CERT_OPTIONAL or CERT_REQUIRED");
    this.context = context;
    this.checkHostname = checkHostname;
  }

  /**
   * Python's `connect()`: TCP (and the tunnel, if set), then the TLS
   * handshake for the host (the tunnel's host through a proxy).
   * @throws SSLCertVerificationError, SSLError, SSLEOFError, TimeoutError, and what `HTTPConnection.connect` throws
   */
  override async connect(): Promise<void> {
    await super.connect();
    const raw = this.sock!;
    try {
      this.sock = await this.context.wrapSocket(raw, {
        serverHostname: this.tunnelHost ?? this.host,
        checkHostname: this.checkHostname,
      });
    } catch (err) {
      raw.close();
      this.sock = null;
      throw err;
    }
  }
}

/** Python's `_get_content_length`: known for bytes and text, 0 for no body where one is expected. */
function contentLength(body: Body | null, method: string): number | null {
  if (body === null) return METHODS_EXPECTING_BODY.has(method.toUpperCase()) ? 0 : null;
  if (isReadable(body)) return null;
  if (typeof body === "string") return body.length;
  if (body instanceof Uint8Array) return body.length;
  return null;
}

/** Python's `_validate_host` (CVE-2019-18348). */
function validateHost(host: string): void {
  const bad = DISALLOWED_URL_CHAR.exec(host);
  if (bad)
    throw new InvalidURL(
      `URL can't contain control characters. ${pyRepr(host)} (found at least ${pyRepr(bad[0])})`,
    );
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
