/**
 * Python's `xmlrpc.server.SimpleXMLRPCRequestHandler`, `SimpleXMLRPCServer`
 * and `MultiPathXMLRPCServer`, on `netkit/http/server` and
 * `netkit/socketserver`, plus `ThreadingXMLRPCServer` (concurrent clients).
 *
 * ```text
 * POST path ─► isRpcPathValid? ── no ──► 404 "No such page"
 *            └─ body: Content-Length (none: 411; > maxRequestSize: 413)
 *                     or chunked (past maxRequestSize: 413), within bodyTimeout (408)
 *            └─ decodeRequestContent: identity, gzip (bomb-safe: 400 past 20 MiB), else 501
 *            └─ server._marshaledDispatch(body, handler._dispatch?, path)
 *                 ├─ a result or a Fault ─► 200 text/xml (gzip past encodeThreshold when accepted)
 *                 └─ it throws (a bug) ──► 500, X-exception/X-traceback when _sendTracebackHeader
 * ```
 *
 * @module
 */

import { parseChunkSize } from "../_http_grammar.js";
import {
  EOFError,
  KeyError,
  nameErrors,
  OSError,
  pyRepr,
  TimeoutError,
  ValueError,
} from "../errors/index.js";
import { BaseHTTPRequestHandler } from "../http/server.js";
import { SHUT_WR } from "../socket/constants.js";
import type { AnyServer, RequestHandlerClass } from "../socketserver/base.js";
import { closeIdleHandlers } from "../socketserver/registry.js";
import { type InetServerAddress, TCPServer } from "../socketserver/servers.js";
import { ThreadingMixIn } from "../socketserver/threading.js";
import { encodeText } from "./_codec.js";
import { type DispatcherOptions, XMLRPCDispatcherMixIn } from "./_dispatcher.js";
import { Fault, pyClassRepr, pyExceptionStr } from "./_errors.js";
import { gzipDecode, gzipEncode } from "./_gzip.js";
import { dumps } from "./_marshal.js";
import {
  DEFAULT_BODY_TIMEOUT,
  LINGER_BYTES,
  LINGER_SECONDS,
  MAX_CHUNK_LINE,
  MAX_DECODED_SIZE,
  MAX_REQUEST_SIZE,
  MAX_TRAILERS,
  READ_CHUNK,
} from "./_serverLimits.js";

/** What `SimpleXMLRPCRequestHandler` asks of its server (any `SimpleXMLRPCServer` has it). */
export interface XMLRPCHandlerServer {
  /** Log each request (Python's `logRequests`). */
  logRequests?: boolean;
  /** Send the exception and traceback of a dispatcher bug in headers (debugging only). */
  _sendTracebackHeader?: boolean;
  /** Python's `_marshaled_dispatch(data, dispatch_method, path)`. */
  _marshaledDispatch(
    data: Buffer,
    dispatchMethod?: ((method: string | null, params: unknown[]) => unknown) | null,
    path?: string | null,
  ): Promise<Uint8Array> | Uint8Array;
}

/** A response already went out (or the connection is beyond saving): nothing to dispatch. */
class Answered extends Error {}

/** The body did not arrive within `bodyTimeout`. */
class BodyTimeout extends Error {}

/** Python's `aepattern`: one content coding of Accept-Encoding, with its optional q. */
const AE_PATTERN = /^\s*([^\s;]+)\s*(;\s*q\s*=\s*([0-9.]+))?/i;

/** Python's backslashreplace to ASCII, with controls escaped too so the value is one header line `sendHeader` takes. */
function headerSafe(text: string): string {
  let out = "";
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if ((cp < 0x20 && ch !== "\t") || cp === 0x7f) out += `\\x${cp.toString(16).padStart(2, "0")}`;
    else if (cp < 0x80) out += ch;
    else if (cp <= 0xff) out += `\\x${cp.toString(16).padStart(2, "0")}`;
    else if (cp <= 0xffff) out += `\\u${cp.toString(16).padStart(4, "0")}`;
    else out += `\\U${cp.toString(16).padStart(8, "0")}`;
  }
  return out;
}

/**
 * Python's `SimpleXMLRPCRequestHandler`: answers XML-RPC calls POSTed to one
 * of `rpcPaths` by handing the body to the server's `_marshaledDispatch`.
 *
 * Attributes to override (class fields): `rpcPaths`, `encodeThreshold`,
 * `maxRequestSize`, `maxDecodedSize`, `bodyTimeout`, and those of
 * `BaseHTTPRequestHandler` (`protocolVersion`, `timeout`, `headerTimeout`).
 * Methods to override: `_dispatch(method, params)` (when defined, calls go
 * to it instead of the server's, as in Python), `decodeRequestContent`,
 * `acceptEncodings`, `isRpcPathValid`, `report404`, `logRequest`, `keepAliveAllowed`.
 *
 * Where netkit differs from Python 3.11, on purpose:
 * - `protocolVersion` is `"HTTP/1.1"`: on a concurrent server
 *   (`ThreadingXMLRPCServer`) connections stay open between calls; on a
 *   one-at-a-time server each response closes its connection (unless the
 *   next request is already there), as Python's HTTP/1.0 handler does, so
 *   an idle client cannot hold the others off (see `keepAliveAllowed`).
 * - A request without Content-Length gets 411 (Python answers 500); a
 *   chunked body is read (Python answers 500), within the same limit.
 * - A body over `maxRequestSize` (20 MiB) gets 413 without being read
 *   (Python reads any size); a body not complete within `bodyTimeout`
 *   (60 s) gets 408; a body cut short by the client gets 400 and is not
 *   dispatched (Python dispatches the part it got).
 * - A truncated gzip body is a 400 like any undecodable one (Python: 500).
 * - `X-traceback` (only with the server's `_sendTracebackHeader`, for
 *   debugging) has its line ends escaped as `\n`: a header cannot hold them.
 * - A 404 for a POST whose body was not read closes the connection.
 *
 * @example A handler answering on /xmlrpc only
 * ```ts
 * class Handler extends SimpleXMLRPCRequestHandler {
 *   override rpcPaths = ["/xmlrpc"];
 * }
 * const server = new SimpleXMLRPCServer(["127.0.0.1", 8000], { requestHandler: Handler });
 * ```
 */
export class SimpleXMLRPCRequestHandler<
  Server extends AnyServer = AnyServer,
> extends BaseHTTPRequestHandler<Server> {
  /**
   * Python's `rpc_paths`: the request paths (query included) served; others
   * get 404. Empty: every path. (`/pydoc.css` is Python's, for the
   * documenting server's style sheet.)
   * @default ["/", "/RPC2", "/pydoc.css"]
   */
  rpcPaths: readonly string[] = ["/", "/RPC2", "/pydoc.css"];
  /**
   * Python's `encode_threshold`: responses longer than this many bytes are
   * gzipped when the client accepts gzip; `null` never gzips.
   * @default 1400
   */
  encodeThreshold: number | null = 1400;
  /** Largest request body read, before decoding (netkit's; Python has none). @default 20 MiB */
  maxRequestSize = MAX_REQUEST_SIZE;
  /** Largest gzip-decoded request body (Python's `gzip_decode` limit). @default 20 MiB */
  maxDecodedSize = MAX_DECODED_SIZE;
  /** Seconds the client has to send the whole body, or `null` (netkit's; Python has none). @default 60 */
  bodyTimeout: number | null = DEFAULT_BODY_TIMEOUT;
  /** Keeps connections alive between calls (Python 3.11: `"HTTP/1.0"`). @default "HTTP/1.1" */
  override protocolVersion = "HTTP/1.1";
  /** Python's `wbufsize = -1`: the head and the body go out together. @default -1 */
  override wbufsize = -1;
  /** Python's `disable_nagle_algorithm = True`. @default true */
  override disableNagleAlgorithm = true;

  #status = 0;

  /**
   * Whether the connection may stay open after this response: on a server
   * handling connections concurrently (`ThreadingXMLRPCServer`, any
   * `ThreadingMixIn` server), yes; on a one-at-a-time server only when the
   * client already sent its next request, since an idle kept-alive
   * connection would hold off every other client there (Python's handler
   * speaks HTTP/1.0 and closes after each response).
   */
  keepAliveAllowed(): boolean {
    const server = this.server as unknown as { processRequestThread?: unknown };
    return typeof server.processRequestThread === "function" || this.rfile.buffered > 0;
  }

  override sendResponseOnly(code: number, message?: string): void {
    this.#status = code;
    super.sendResponseOnly(code, message);
  }

  /** `endHeaders()`, closing the connection after a final response when `keepAliveAllowed()` says so. */
  override async endHeaders(): Promise<void> {
    if (this.#status >= 200 && !this.closeConnection && !this.keepAliveAllowed()) {
      this.sendHeader("Connection", "close");
    }
    await super.endHeaders();
  }

  /** The server, as this handler uses it. */
  protected get rpcServer(): XMLRPCHandlerServer {
    return this.server as unknown as XMLRPCHandlerServer;
  }

  /** Python's `accept_encodings()`: the Accept-Encoding codings and their q values. */
  acceptEncodings(): Map<string, number> {
    const r = new Map<string, number>();
    const ae = this.headers.get("Accept-Encoding", "");
    for (const e of ae.split(",")) {
      const match = AE_PATTERN.exec(e);
      if (match) {
        const v = match[3];
        const q = v ? Number.parseFloat(v) : 1.0;
        r.set(match[1]!, Number.isNaN(q) ? 0 : q);
      }
    }
    return r;
  }

  /** Python's `is_rpc_path_valid()`: `path` is one of `rpcPaths` (or `rpcPaths` is empty). */
  isRpcPathValid(): boolean {
    return this.rpcPaths.length === 0 || this.rpcPaths.includes(this.path);
  }

  /**
   * Python's `do_POST()`: reads the call, dispatches it, sends the response
   * (see the class notes for the status codes).
   */
  async doPOST(): Promise<void> {
    if (!this.isRpcPathValid()) {
      if (this.framing.kind !== "none") this.closeConnection = true;
      await this.report404();
      return;
    }
    let response: Uint8Array;
    try {
      const raw = await this.readBody();
      const data = await this.decodeRequestContent(raw);
      if (data === null) return; // the response has been sent
      const hook = (this as { _dispatch?: unknown })._dispatch;
      const dispatchMethod =
        typeof hook === "function"
          ? (method: string | null, params: unknown[]) => hook.call(this, method, params)
          : null;
      response = await this.rpcServer._marshaledDispatch(data, dispatchMethod, this.path);
    } catch (err) {
      if (err instanceof Answered) return;
      // Only a bug gets here (the dispatcher turns errors into faults): Python's 500.
      this.sendResponse(500);
      if (this.rpcServer._sendTracebackHeader) {
        this.sendHeader("X-exception", headerSafe(err instanceof Error ? err.message : String(err)));
        this.sendHeader("X-traceback", headerSafe(err instanceof Error ? (err.stack ?? "") : String(err)));
      }
      this.sendHeader("Content-length", "0");
      await this.endHeaders();
      this.logError("Internal error while dispatching: %s", err instanceof Error ? err.message : String(err));
      return;
    }
    this.sendResponse(200);
    this.sendHeader("Content-type", "text/xml");
    if (this.encodeThreshold !== null && response.length > this.encodeThreshold) {
      const q = this.acceptEncodings().get("gzip") ?? 0;
      if (q) {
        response = gzipEncode(response);
        this.sendHeader("Content-Encoding", "gzip");
      }
    }
    this.sendHeader("Content-length", String(response.length));
    await this.endHeaders();
    await this.wfile.write(response);
  }

  /**
   * Reads the request body as its framing says, within `maxRequestSize`
   * and `bodyTimeout`, answering 411, 413, 408 or 400 itself when it cannot.
   * Not in Python (its `do_POST` reads Content-Length bytes inline).
   * @throws an internal marker when a response has been sent instead
   */
  protected async readBody(): Promise<Buffer> {
    const framing = this.framing;
    if (framing.kind === "none") {
      await this.refuse(411, "Length Required", "XML-RPC requests need a Content-Length.");
    } else if (framing.kind === "length" && framing.length > this.maxRequestSize) {
      await this.refuse(
        413,
        "Request body too large",
        `The request body of ${framing.length} bytes exceeds the limit of ${this.maxRequestSize} bytes.`,
      );
    }
    const deadline = this.bodyTimeout === null ? null : performance.now() + this.bodyTimeout * 1000;
    try {
      if (framing.kind === "length") return await this.#readExactly(framing.length, deadline);
      return await this.#readChunked(deadline);
    } catch (err) {
      if (err instanceof BodyTimeout || err instanceof TimeoutError) {
        await this.refuse(408, "Request Timeout", "The request body did not arrive in time.");
      }
      if (err instanceof EOFError) {
        await this.refuse(400, "Request body ended early", err.message);
      }
      throw err;
    }
  }

  /**
   * Sends an error response, closes the connection after it (lingering: see
   * `LINGER_SECONDS`), and stops the request.
   */
  protected async refuse(code: number, message: string, explain: string): Promise<never> {
    this.closeConnection = true;
    try {
      await this.sendError(code, message, explain);
      await this.wfile.flush();
      this.connection.shutdown(SHUT_WR);
      await this.#discardInput();
    } catch (err) {
      if (!(err instanceof OSError)) throw err; // the client is gone; nothing more to tell it
    }
    throw new Answered();
  }

  /** Reads and drops what the client still sends, for at most LINGER_SECONDS and LINGER_BYTES. */
  async #discardInput(): Promise<void> {
    const deadline = performance.now() + LINGER_SECONDS * 1000;
    let dropped = 0;
    try {
      while (dropped < LINGER_BYTES) {
        const chunk = await this.#timed(this.rfile.read1(READ_CHUNK), deadline);
        if (chunk.length === 0) return;
        dropped += chunk.length;
      }
    } catch (err) {
      // the deadline passed, or the client went away: either way, done
      if (!(err instanceof BodyTimeout || err instanceof OSError)) throw err;
    }
  }

  /** Awaits `p`, at most until `deadline` (a `performance.now()` time). */
  async #timed<T>(p: Promise<T>, deadline: number | null): Promise<T> {
    if (deadline === null) return p;
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new BodyTimeout()), Math.max(0, deadline - performance.now()));
    });
    try {
      return await Promise.race([p, expired]);
    } catch (err) {
      if (err instanceof BodyTimeout) p.catch(() => {}); // the read is abandoned with the connection
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  /** `n` bytes of body, read in `READ_CHUNK` steps. @throws EOFError when the client stops short */
  async #readExactly(n: number, deadline: number | null): Promise<Buffer> {
    const parts: Buffer[] = [];
    let remaining = n;
    while (remaining > 0) {
      const want = Math.min(remaining, READ_CHUNK);
      // A small call usually arrives with its head: bytes already read need no deadline (and no timer).
      const read =
        this.rfile.buffered >= want ? this.rfile.read(want) : this.#timed(this.rfile.read(want), deadline);
      const chunk = await read;
      if (chunk.length === 0) {
        throw new EOFError(`Connection closed after ${n - remaining} of ${n} body bytes`);
      }
      parts.push(chunk);
      remaining -= chunk.length;
    }
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  }

  /** A chunked body (RFC 9112 7.1), at most `maxRequestSize` bytes of data. */
  async #readChunked(deadline: number | null): Promise<Buffer> {
    const parts: Buffer[] = [];
    let total = 0;
    const line = async (what: string): Promise<string> => {
      const raw = await this.#timed(this.rfile.readline(MAX_CHUNK_LINE + 1), deadline);
      if (raw.length === 0 || raw[raw.length - 1] !== 0x0a) {
        if (raw.length > MAX_CHUNK_LINE) {
          await this.refuse(400, "Bad chunked body", `The ${what} line is too long.`);
        }
        throw new EOFError(`Connection closed in the ${what} of a chunked body`);
      }
      return raw.toString("latin1").replace(/\r?\n$/, "");
    };
    for (;;) {
      // RFC 9112 7.1, as netkit's client reads it: 1*HEXDIG [chunk-ext], nothing around.
      const sizeLine = await line("chunk size");
      const size = parseChunkSize(sizeLine);
      if (size === null) {
        return this.refuse(400, "Bad chunked body", `Invalid chunk size ${pyRepr(sizeLine.slice(0, 40))}.`);
      }
      if (size === 0) break;
      if (total + size > this.maxRequestSize) {
        await this.refuse(
          413,
          "Request body too large",
          `The chunked request body exceeds the limit of ${this.maxRequestSize} bytes.`,
        );
      }
      parts.push(await this.#readExactly(size, deadline));
      total += size;
      if ((await line("chunk end")) !== "") {
        await this.refuse(400, "Bad chunked body", "A chunk is longer than its size.");
      }
    }
    for (let i = 0; ; i++) {
      if (i > MAX_TRAILERS) await this.refuse(400, "Bad chunked body", "Too many trailer lines.");
      if ((await line("trailer")) === "") break;
    }
    return Buffer.concat(parts);
  }

  /**
   * Python's `decode_request_content(data)`: the body as sent
   * (`Content-Encoding: identity`) or gunzipped (`gzip`, at most
   * `maxDecodedSize` bytes); `null` after answering 400 (undecodable, or a
   * gzip bomb) or 501 (another coding), as Python does.
   */
  async decodeRequestContent(data: Buffer): Promise<Buffer | null> {
    const encoding = this.headers.get("content-encoding", "identity").toLowerCase();
    if (encoding === "identity") return data;
    if (encoding === "gzip") {
      try {
        return gzipDecode(data, this.maxDecodedSize);
      } catch (err) {
        if (!(err instanceof ValueError || err instanceof EOFError)) throw err;
        this.sendResponse(400, "error decoding gzip content");
      }
    } else {
      this.sendResponse(501, `encoding ${pyRepr(encoding)} not supported`);
    }
    this.sendHeader("Content-length", "0");
    await this.endHeaders();
    return null;
  }

  /** Python's `report_404()`: 404 with the text body `No such page`. */
  async report404(): Promise<void> {
    this.sendResponse(404);
    const response = Buffer.from("No such page");
    this.sendHeader("Content-type", "text/plain");
    this.sendHeader("Content-length", String(response.length));
    await this.endHeaders();
    await this.wfile.write(response);
  }

  /** Python's `log_request()`: logs only when the server's `logRequests` is on. */
  override logRequest(code: number | string = "-", size: number | string = "-"): void {
    if (this.rpcServer.logRequests ?? true) super.logRequest(code, size);
  }
}

/** Options for `SimpleXMLRPCServer`: Python's keyword arguments, plus the dispatcher's limits. */
export interface SimpleXMLRPCServerOptions extends DispatcherOptions {
  /** Python's `requestHandler`: the handler class. @default SimpleXMLRPCRequestHandler */
  requestHandler?: RequestHandlerClass;
  /** Python's `logRequests`: log each request to stderr. @default true */
  logRequests?: boolean;
  /** Python's `bind_and_activate`: bind and listen at once. @default true */
  bindAndActivate?: boolean;
}

/**
 * Python's `xmlrpc.server.SimpleXMLRPCServer`: a `TCPServer` that is also a
 * `SimpleXMLRPCDispatcher` (Python mixes the two classes in; here
 * `XMLRPCDispatcherMixIn(TCPServer)`), so functions are registered on the
 * server itself and a subclass may override `_dispatch`.
 *
 * It handles one connection at a time, as Python's does: a client keeping
 * its connection open holds the others off. Use `ThreadingXMLRPCServer`
 * for concurrent clients.
 *
 * Differences from Python 3.11: the handler keeps connections alive and
 * enforces limits (see `SimpleXMLRPCRequestHandler`); requests are parsed
 * within `limits` (no DTD, 20 MiB, 1000 levels; see `SimpleXMLRPCDispatcher`);
 * `serverClose()` also closes kept-alive connections waiting for a request.
 * `_sendTracebackHeader` (default false) sends a dispatcher bug's stack to
 * the client: never turn it on in production, as Python warns.
 *
 * @example
 * ```ts serves=xmlrpc:8000
 * import { SimpleXMLRPCServer } from "netkit/xmlrpc/server";
 * await using server = new SimpleXMLRPCServer(["127.0.0.1", 8000]);
 * server.registerFunction((x: number, y: number) => x + y, "add");
 * server.registerIntrospectionFunctions();
 * await server.serveForever();
 * ```
 */
export class SimpleXMLRPCServer extends XMLRPCDispatcherMixIn(TCPServer) {
  /** Python's `allow_reuse_address = True`. @default true */
  override allowReuseAddress = true;
  /** Python's `logRequests`. @default true */
  logRequests: boolean;
  /** Python's `_send_traceback_header`: debugging only, never in production. @default false */
  _sendTracebackHeader = false;

  /**
   * @param addr `[host, port]` to listen on (port 0 picks one)
   * @param options Python's keyword arguments
   */
  constructor(addr: InetServerAddress, options: SimpleXMLRPCServerOptions = {}) {
    super(addr, options.requestHandler ?? SimpleXMLRPCRequestHandler, options.bindAndActivate ?? true);
    this.logRequests = options.logRequests ?? true;
    this.initDispatcher(options);
  }

  /** Python's `server_close()`, plus: kept-alive connections waiting for a request are closed. */
  override async serverClose(): Promise<void> {
    closeIdleHandlers(this);
    await super.serverClose();
  }
}

/**
 * `ThreadingMixIn(SimpleXMLRPCServer)`: each connection served concurrently
 * on the event loop. Python has no such class; its documentation's recipe is
 * `class ThreadingXMLRPCServer(ThreadingMixIn, SimpleXMLRPCServer)`, and this
 * is that class, so Python code reads the same. `serverClose()` waits (up to
 * `closeTimeout` seconds) for calls in flight.
 *
 * @example
 * ```ts serves=xmlrpc:8000
 * import { setTimeout as sleep } from "node:timers/promises";
 * const server = new ThreadingXMLRPCServer(["127.0.0.1", 8000], { allowNone: true });
 * server.registerFunction(async (ms: number) => { await sleep(ms); return ms; }, "sleep");
 * await server.serveForever(); // a slow call does not hold up the others
 * ```
 */
export class ThreadingXMLRPCServer extends ThreadingMixIn(SimpleXMLRPCServer) {
  /** As Python's `ThreadingHTTPServer` (no threads here; kept for Python code). @default true */
  override daemonThreads = true;

  /**
   * @param addr `[host, port]` to listen on
   * @param options as `SimpleXMLRPCServer`'s
   */
  constructor(addr: InetServerAddress, options: SimpleXMLRPCServerOptions = {}) {
    super(addr, options);
  }
}

/** What `MultiPathXMLRPCServer` needs of a dispatcher: Python's `_marshaled_dispatch`. */
export interface PathDispatcher {
  _marshaledDispatch(
    data: Uint8Array | string,
    dispatchMethod?: ((method: string | null, params: unknown[]) => unknown) | null,
    path?: string | null,
  ): Promise<Uint8Array> | Uint8Array;
}

/**
 * Python's `MultiPathXMLRPCServer`: one dispatcher per request path, so
 * several "virtual" XML-RPC servers share a port. The handler must accept
 * the paths (set its `rpcPaths`, or make it empty); a call to a path with no
 * dispatcher gets Python's fault (`<class 'KeyError'>:'/path'`).
 *
 * @example
 * ```ts
 * class Handler extends SimpleXMLRPCRequestHandler { override rpcPaths = []; }
 * const server = new MultiPathXMLRPCServer(["127.0.0.1", 8000], { requestHandler: Handler });
 * const math = server.addDispatcher("/math", new SimpleXMLRPCDispatcher());
 * math.registerFunction((x: number, y: number) => x + y, "add");
 * ```
 */
export class MultiPathXMLRPCServer extends SimpleXMLRPCServer {
  /** Python's `dispatchers`: path → dispatcher. */
  readonly dispatchers = new Map<string, PathDispatcher>();

  /** Python's `add_dispatcher(path, dispatcher)`: returns the dispatcher. */
  addDispatcher<D extends PathDispatcher>(path: string, dispatcher: D): D {
    this.dispatchers.set(path, dispatcher);
    return dispatcher;
  }

  /**
   * Python's `get_dispatcher(path)`.
   * @throws KeyError when no dispatcher has that path
   */
  getDispatcher(path: string): PathDispatcher {
    const d = this.dispatchers.get(path);
    if (d === undefined) throw new KeyError(path);
    return d;
  }

  /**
   * Python's `_marshaled_dispatch`: the path's dispatcher answers; an error
   * it lets through (or a path without one) becomes a fault.
   */
  override async _marshaledDispatch(
    data: Uint8Array | string,
    dispatchMethod?: ((method: string | null, params: unknown[]) => unknown) | null,
    path?: string | null,
  ): Promise<Buffer> {
    try {
      const dispatcher = this.dispatchers.get(path ?? "");
      if (path === null || path === undefined || dispatcher === undefined) throw new KeyError(path ?? null);
      const response = await dispatcher._marshaledDispatch(data, dispatchMethod, path);
      return Buffer.isBuffer(response) ? response : Buffer.from(response);
    } catch (exc) {
      // report low level exception back to server (each dispatcher should have handled their own)
      const text = dumps(new Fault(1, `${pyClassRepr(exc)}:${pyExceptionStr(exc)}`), {
        encoding: this.encoding,
        allowNone: this.allowNone,
      });
      return encodeText(text, this.encoding);
    }
  }
}

// Each class's `name`, written out: a minifier renames the classes themselves.
nameErrors({ Answered, BodyTimeout });
