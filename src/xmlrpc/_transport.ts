/**
 * Python's `xmlrpc.client.Transport`: one XML-RPC call as an HTTP POST on
 * netkit's `HTTPConnection`, kept open between calls (HTTP/1.1 keep-alive)
 * and retried once when a kept connection turns out to be closed.
 *
 * The overridable steps are Python's: `request` → `singleRequest` →
 * `sendRequest` (`makeConnection`, `sendHeaders`, `sendContent`) →
 * `parseResponse`; `getHostInfo` turns `user:pass@host` into Basic auth.
 *
 * Differences from Python, for safety: every call has a timeout (60 s per
 * connect, read or write by default); response bodies are read within a
 * size limit (20 MiB by default, the limit Python puts on gzip-decoded
 * bodies) and gzip responses are decoded within it too; an error response
 * without a Content-Length closes the connection rather than leaving it
 * unusable; credentials never appear in a `ProtocolError`'s URL; a 200 response
 * that is not XML-RPC at all (an HTML page, JSON, nothing) is a `ResponseError`
 * saying what came back (its Content-Type, size and first bytes), where Python
 * raises the parser's first complaint (`ExpatError: mismatched tag`).
 *
 * An idle kept-alive connection does not keep the process alive (see
 * `HTTPConnection`): a script that forgets `close()` still exits.
 *
 * @module
 */

import {
  BrokenPipeError,
  ConnectionAbortedError,
  ConnectionResetError,
  OSError,
  pyRepr,
} from "../errors/index.js";
import { HTTPConnection, type HTTPResponse, RemoteDisconnected } from "../http/client.js";
import { HTTPException } from "../http/errors.js";
import { unquoteToBytes } from "../urllib/parse.js";
import { Fault, ProtocolError, ResponseError } from "./_errors.js";
import { gzipDecode, gzipEncode } from "./_gzip.js";
import { MAX_DEPTH, MAX_DOCUMENT_SIZE } from "./_limits.js";
import { getparser, type Unmarshaller, type XmlParser } from "./_unmarshal.js";

/** The User-Agent netkit sends (Python sends `Python-xmlrpc/3.11`). */
export const USER_AGENT = "netkit-xmlrpc/0.1";

/** Headers as pairs or an object. */
export type HeaderList = ReadonlyArray<readonly [string, string]> | Readonly<Record<string, string>>;

/** Options for `Transport`, Python's keyword arguments plus netkit's limits. */
export interface TransportOptions {
  /** Return `dateTime.iso8601` values as `Date`. @default false */
  useDatetime?: boolean;
  /** Return `Date` and `Buffer` for times and base64. @default false */
  useBuiltinTypes?: boolean;
  /** Extra headers sent with every request. @default none */
  headers?: HeaderList;
  /** Seconds for connecting and for each read or write; `null` waits forever, as Python. @default 60 */
  timeout?: number | null;
  /** Largest response body read (and largest gzip-decoded body), in bytes. @default 20 MiB */
  maxResponseSize?: number;
  /** Deepest element nesting accepted in a response. @default 1000 */
  maxDepth?: number;
}

function headerPairs(headers: HeaderList | undefined): Array<[string, string]> {
  if (!headers) return [];
  if (Array.isArray(headers)) return headers.map(([k, v]) => [k, v]);
  return Object.entries(headers as Record<string, string>);
}

/** The first element of a document (after the XML declaration, comments, a DOCTYPE) is `<methodResponse>`. */
function isMethodResponse(body: Buffer): boolean {
  const head = body.subarray(0, 4096).toString("latin1");
  return /<([A-Za-z_][\w.:-]*)/.exec(head)?.[1] === "methodResponse";
}

/** Longest part of an unusable response quoted in the error. */
const QUOTED_BYTES = 120;

/**
 * The error for a 200 response whose body is not XML-RPC at all (an HTML
 * login page, a proxy's error page, JSON, nothing), saying what came back:
 * `Cannot read the XML-RPC response: the server sent text/html (1234 bytes):
 * '<!DOCTYPE html><html><head><title>Sign in</title>...'`. Python raises
 * whatever the parser met first (`ExpatError: mismatched tag`, an empty
 * `ResponseError()`), which names none of it. The parser's error is the cause.
 */
function notXmlRpc(response: HTTPResponse, body: Buffer, cause: Error): ResponseError {
  const type = response.getheader("Content-Type", "") || "no Content-Type";
  const what = body.length === 0 ? `${type} with an empty body` : `${type} (${body.length} bytes)`;
  const text = body.subarray(0, QUOTED_BYTES).toString("utf8").replace(/\s+/g, " ");
  const quoted = body.length === 0 ? "" : `: ${pyRepr(body.length > QUOTED_BYTES ? `${text}...` : text)}`;
  return new ResponseError(`Cannot read the XML-RPC response: the server sent ${what}${quoted}`, { cause });
}

/** Python's `urllib.parse._splituser`: `"user:pw@host"` → `["user:pw", "host"]`. */
function splituser(host: string): [string | null, string] {
  const at = host.lastIndexOf("@");
  return at < 0 ? [null, host] : [host.slice(0, at), host.slice(at + 1)];
}

/**
 * Python's `xmlrpc.client.Transport`: sends XML-RPC requests over HTTP.
 * Subclass and override a step to change one thing (headers, connection).
 */
export class Transport {
  /** The User-Agent header (Python's `user_agent`). */
  userAgent: string = USER_AGENT;
  /** Ask for gzip responses (Python's `accept_gzip_encoding`). @default true */
  acceptGzipEncoding = true;
  /** Gzip request bodies longer than this many bytes; `null` never (Python's `encode_threshold`). @default null */
  encodeThreshold: number | null = null;
  /** Print response bodies (set per request from `verbose`). */
  verbose = false;
  /** Seconds per connect, read or write. */
  timeout: number | null;
  /** Largest response body, in bytes. */
  maxResponseSize: number;
  readonly #useDatetime: boolean;
  readonly #useBuiltinTypes: boolean;
  readonly #maxDepth: number;
  #connection: [string | null, HTTPConnection | null] = [null, null];
  readonly #headers: Array<[string, string]>;
  #extraHeaders: Array<[string, string]> = [];

  constructor(options: TransportOptions = {}) {
    this.#useDatetime = options.useDatetime ?? false;
    this.#useBuiltinTypes = options.useBuiltinTypes ?? false;
    this.#headers = headerPairs(options.headers);
    this.timeout = options.timeout === undefined ? 60 : options.timeout;
    this.maxResponseSize = options.maxResponseSize ?? MAX_DOCUMENT_SIZE;
    this.#maxDepth = options.maxDepth ?? MAX_DEPTH;
  }

  /**
   * Python's `request(host, handler, request_body, verbose)`: sends the body
   * and returns the response's parameters, retrying once when a kept-alive
   * connection was closed by the server (reset, aborted, broken pipe,
   * closed without a response).
   * @throws Fault, ProtocolError, ResponseError, ExpatError, OSError
   */
  async request(host: string, handler: string, requestBody: Uint8Array, verbose = false): Promise<unknown[]> {
    for (let i = 0; ; i++) {
      try {
        return await this.singleRequest(host, handler, requestBody, verbose);
      } catch (err) {
        const retryable =
          err instanceof RemoteDisconnected ||
          err instanceof ConnectionResetError ||
          err instanceof ConnectionAbortedError ||
          err instanceof BrokenPipeError;
        if (i > 0 || !retryable) throw err;
      }
    }
  }

  /** Python's `single_request`: one attempt; any error but a Fault closes the connection. */
  async singleRequest(
    host: string,
    handler: string,
    requestBody: Uint8Array,
    verbose = false,
  ): Promise<unknown[]> {
    let resp: HTTPResponse;
    try {
      const conn = await this.sendRequest(host, handler, requestBody, verbose);
      resp = await conn.getresponse();
      if (resp.status === 200) {
        this.verbose = verbose;
        return await this.parseResponse(resp);
      }
    } catch (err) {
      if (!(err instanceof Fault)) this.close();
      throw err;
    }
    // An error response: discard its body (within the limit) so the connection can be reused.
    const length = Number(resp.getheader("content-length", "") || Number.NaN);
    if (Number.isInteger(length) && length >= 0 && length <= this.maxResponseSize) {
      try {
        await resp.read();
      } catch (err) {
        if (!(err instanceof OSError || err instanceof HTTPException)) throw err;
        this.close();
      }
    } else this.close();
    throw new ProtocolError(
      splituser(host)[1] + handler,
      resp.status,
      resp.reason,
      Object.fromEntries(resp.getheaders()),
    );
  }

  /** Python's `getparser()`: a parser and unmarshaller with this transport's options. */
  getparser(): [XmlParser, Unmarshaller] {
    return getparser({
      useDatetime: this.#useDatetime,
      useBuiltinTypes: this.#useBuiltinTypes,
      maxSize: this.maxResponseSize,
      maxDepth: this.#maxDepth,
    });
  }

  /**
   * Python's `get_host_info(host)`: the host without credentials, and the
   * Basic `Authorization` header for `user:password@` (percent-decoded).
   */
  getHostInfo(host: string): [string, Array<[string, string]>] {
    const [auth, rest] = splituser(host);
    if (auth === null) return [rest, []];
    const encoded = unquoteToBytes(auth).toString("base64");
    return [rest, [["Authorization", `Basic ${encoded}`]]];
  }

  /** Python's `make_connection(host)`: the kept connection for `host`, or a new one. */
  makeConnection(host: string): HTTPConnection {
    const [cachedHost, cached] = this.#connection;
    if (cached && host === cachedHost) return cached;
    this.close();
    const [chost, extra] = this.getHostInfo(host);
    this.#extraHeaders = extra;
    const conn = this.newConnection(chost);
    this.#connection = [host, conn];
    return conn;
  }

  /** Builds the connection for `makeConnection` (a plain `HTTPConnection`; `SafeTransport` overrides it). */
  protected newConnection(chost: string): HTTPConnection {
    return new HTTPConnection(chost, null, { timeout: this.timeout });
  }

  /** Python's `close()`: closes the kept connection. */
  close(): void {
    const [, conn] = this.#connection;
    if (conn) {
      this.#connection = [null, null];
      conn.close();
    }
  }

  /** Python's `send_request(host, handler, request_body, debug)`: the request line, headers and body. */
  async sendRequest(
    host: string,
    handler: string,
    requestBody: Uint8Array,
    debug = false,
  ): Promise<HTTPConnection> {
    const connection = this.makeConnection(host);
    if (debug) connection.setDebuglevel(1);
    const headers: Array<[string, string]> = [...this.#headers, ...this.#extraHeaders];
    if (this.acceptGzipEncoding) {
      connection.putrequest("POST", handler, { skipAcceptEncoding: true });
      headers.push(["Accept-Encoding", "gzip"]);
    } else connection.putrequest("POST", handler);
    headers.push(["Content-Type", "text/xml"]);
    headers.push(["User-Agent", this.userAgent]);
    this.sendHeaders(connection, headers);
    await this.sendContent(connection, requestBody);
    return connection;
  }

  /** Python's `send_headers(connection, headers)`. */
  sendHeaders(connection: HTTPConnection, headers: ReadonlyArray<readonly [string, string]>): void {
    for (const [key, val] of headers) connection.putheader(key, val);
  }

  /** Python's `send_content(connection, request_body)`: gzips past `encodeThreshold`, sets Content-Length, sends. */
  async sendContent(connection: HTTPConnection, requestBody: Uint8Array): Promise<void> {
    let body = requestBody;
    if (this.encodeThreshold !== null && this.encodeThreshold < body.length) {
      connection.putheader("Content-Encoding", "gzip");
      body = gzipEncode(body);
    }
    connection.putheader("Content-Length", String(body.length));
    await connection.endheaders(body);
  }

  /**
   * Python's `parse_response(response)`: reads the body (gunzipping it when
   * the server says so) within `maxResponseSize`, and unmarshals it.
   * @throws ResponseError past the size limit, and what `loads` throws
   */
  async parseResponse(response: HTTPResponse): Promise<unknown[]> {
    const max = this.maxResponseSize;
    const declared = Number(response.getheader("content-length", "") || Number.NaN);
    if (Number.isInteger(declared) && declared > max) {
      response.close();
      throw new ResponseError(`XML-RPC response of ${declared} bytes exceeds the limit of ${max} bytes`);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for (;;) {
      const piece = await response.read(65536);
      if (piece.length === 0) break;
      size += piece.length;
      if (size > max) {
        response.close();
        throw new ResponseError(`XML-RPC response exceeds the limit of ${max} bytes`);
      }
      chunks.push(piece);
    }
    let body: Buffer = Buffer.concat(chunks);
    if (response.getheader("Content-Encoding", "") === "gzip") body = gzipDecode(body, max);
    if (this.verbose) console.log("body:", JSON.stringify(body.toString("latin1")));
    const [p, u] = this.getparser();
    try {
      p.feed(body);
      p.close();
      return u.close();
    } catch (err) {
      if (err instanceof ResponseError && !isMethodResponse(body)) throw notXmlRpc(response, body, err);
      throw err;
    }
  }
}
