/**
 * Python's `socketserver.BaseServer`: the request loop every netkit server
 * runs, split into small overridable steps exactly as CPython splits it.
 *
 * ```text
 * serveForever ─► (socket readable) ─► handleRequestNoblock
 *                                        ├─ getRequest        (accept / recvfrom)
 *                                        ├─ verifyRequest     (false: drop it)
 *                                        └─ processRequest    (mixins override this one)
 *                                             ├─ finishRequest  (handler: setup, handle, finish)
 *                                             └─ shutdownRequest ─► closeRequest
 * handleRequest ─► same, once, honouring `timeout`, else handleTimeout
 * ```
 *
 * Methods for the caller: `ready`, `serveForever`, `handleRequest`,
 * `shutdown`, `serverClose`, `fileno`.
 * Methods to override: `serverBind`, `serverActivate`, `getRequest`,
 * `verifyRequest`, `processRequest`, `finishRequest`, `shutdownRequest`,
 * `closeRequest`, `handleError`, `handleTimeout`, `serviceActions`.
 * Attributes to override (class fields): `timeout`, and in subclasses
 * `addressFamily`, `socketType`, `requestQueueSize`, `allowReuseAddress`,
 * `allowReusePort`, `maxPacketSize`.
 *
 * Construction cannot be async in JavaScript, so the constructor starts
 * binding and `ready` settles when the server is bound and listening;
 * `serveForever` and `handleRequest` await it themselves. Field overrides in a
 * subclass (`override allowReuseAddress = true`) are in place before binding
 * starts.
 *
 * @module
 */
import { argTypeError, EBADF, OSError, withCode } from "../errors/index.js";
import type { Address } from "../socket/address.js";
import { formatAddress } from "../socket/address.js";
import type { Socket } from "../socket/socket.js";
import type { BaseRequestHandler } from "./handlers.js";

/** Any server, whatever its request type (for handler and mixin signatures). */
// biome-ignore lint/suspicious/noExplicitAny: the request type varies by server
export type AnyServer = BaseServer<any>;

/** The constructor of a request handler a server instantiates per request. */
export type RequestHandlerClass = new (
  // biome-ignore lint/suspicious/noExplicitAny: each server passes its own request type
  request: any,
  clientAddress: Address | null,
  server: AnyServer,
) => BaseRequestHandler;

/** Longest delay a Node timer takes (about 24.8 days); a longer poll interval never ticks. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Runs one request to the end the way a concurrent server must (Python's
 * `process_request_thread`, and the child's part in `ForkingMixIn`): the
 * handler, `handleError` if it throws, and `shutdownRequest` whatever happens.
 */
export async function serveRequest<R>(
  server: BaseServer<R>,
  request: R,
  clientAddress: Address | null,
): Promise<void> {
  try {
    await server.finishRequest(request, clientAddress);
  } catch (err) {
    await server.handleError(request, clientAddress, err);
  } finally {
    await server.shutdownRequest(request);
  }
}

/**
 * Python's `socketserver.BaseServer`: see the module doc.
 *
 * @typeParam Request what `getRequest` yields (a connected `Socket`, a datagram and its socket)
 * @typeParam ServerAddress the type of `serverAddress`: `[host, port]` for
 *   TCP and UDP servers, a path for Unix servers
 */
export abstract class BaseServer<Request = unknown, ServerAddress extends Address = Address>
  implements AsyncDisposable
{
  /** The address the server was asked to bind; after binding, the real one (port 0 resolved). */
  serverAddress: ServerAddress;
  /** The handler class instantiated for each request. */
  RequestHandlerClass: RequestHandlerClass;
  /**
   * Seconds `handleRequest()` waits for a request before calling
   * `handleTimeout()`; `null` waits without limit.
   * @default null
   */
  timeout: number | null = null;
  /**
   * Settles when the server is bound and activated (rejects with the bind
   * error, e.g. EADDRINUSE). `serveForever`/`handleRequest` await it.
   */
  readonly ready: Promise<void>;

  #shutdownRequested = false;
  #serving: Promise<void> | undefined;
  #stop: AbortController | undefined;

  /**
   * @param serverAddress where to listen: `[host, port]` (port 0 picks one), or a path for Unix servers
   * @param RequestHandlerClass the handler class, instantiated once per request
   * @param bindAndActivate bind and listen now; pass `false` to call `serverBind()`/`serverActivate()` yourself
   * @throws TypeError (`ERR_INVALID_ARG_TYPE`) when `RequestHandlerClass` is not a class
   *   (Python fails later, at the first request)
   */
  constructor(
    serverAddress: ServerAddress,
    RequestHandlerClass: RequestHandlerClass,
    bindAndActivate = true,
  ) {
    if (typeof RequestHandlerClass !== "function") {
      throw argTypeError(
        new.target.name,
        "RequestHandlerClass",
        "a request handler class",
        RequestHandlerClass,
      );
    }
    this.serverAddress = serverAddress;
    this.RequestHandlerClass = RequestHandlerClass;
    // Deferred one microtask so subclass field initialisers have run.
    this.ready = bindAndActivate
      ? Promise.resolve().then(async () => {
          try {
            await this.serverBind();
            await this.serverActivate();
          } catch (err) {
            await this.serverClose();
            throw err;
          }
        })
      : Promise.resolve();
    // Marked handled here; whoever awaits `ready` still sees the rejection.
    this.ready.catch(() => {});
  }

  /** Binds the socket (TCPServer: to `serverAddress`). */
  async serverBind(): Promise<void> {}

  /** Starts accepting (TCPServer: `listen`). */
  async serverActivate(): Promise<void> {}

  /** The socket requests arrive on. */
  abstract get socket(): Socket;

  /** Python's `fileno()`: the listening socket's file descriptor. */
  fileno(): number {
    return this.socket.fileno();
  }

  /**
   * Python's `serve_forever(poll_interval)`: handles requests until
   * `shutdown()`. Every `pollInterval` seconds it calls `serviceActions()`,
   * also when idle (0 polls as often as Node's timers allow, every
   * millisecond). `shutdown()` wakes it at once (no poll wait). As in
   * Python, a `shutdown()` that came first (`await using` disposing of the
   * server before the loop started) makes it return at once; the request
   * is forgotten when it returns.
   * @throws OSError `EBADF` when the server's socket is closed (by
   *   `serverClose()` without `shutdown()`): Python's `select()` fails the same way
   */
  async serveForever(pollInterval = 0.5): Promise<void> {
    await this.ready;
    if (this.#serving)
      throw withCode(
        new Error("serveForever() is already running on this server"),
        "ERR_SERVER_ALREADY_SERVING",
      );
    // One timer for the whole loop, not one per wait: each tick ends the wait
    // in progress (as Python's select() times out), and shutdown() ends it at
    // once. A server taking a connection per request waits once per request.
    this.#stop = new AbortController();
    const ms = pollInterval * 1000;
    const ticker = ms < MAX_TIMER_MS ? setInterval(() => this.#stop?.abort(), Math.max(1, ms)) : undefined;
    const loop = async () => {
      while (!this.#shutdownRequested) {
        // A closed socket is always "readable": without this the loop would spin.
        if (this.socket.closed) throw new OSError(EBADF, "Cannot serve: the server's socket is closed");
        if (this.#stop!.signal.aborted) this.#stop = new AbortController();
        const readable = await this.socket.waitReadable(null, this.#stop!.signal);
        if (this.#shutdownRequested) break;
        if (readable) await this.handleRequestNoblock();
        await this.serviceActions();
      }
    };
    this.#serving = loop();
    try {
      await this.#serving;
    } finally {
      clearInterval(ticker);
      this.#shutdownRequested = false;
      this.#serving = undefined;
      this.#stop = undefined;
    }
  }

  /**
   * Python's `shutdown()`: tells `serveForever` to stop and resolves when it
   * has returned (after the request it is handling, if any). Requests handled
   * concurrently (`ThreadingMixIn`) go on; `serverClose()` waits for them.
   *
   * As in Python, a handler of a one-at-a-time server must not `await` this
   * (the loop is waiting for that very handler); call it without `await`.
   */
  async shutdown(): Promise<void> {
    this.#shutdownRequested = true;
    this.#stop?.abort();
    await this.#serving?.catch(() => {});
  }

  /**
   * Python's `handle_request()`: handles one request, waiting at most
   * `timeout` seconds (the smaller of the server's `timeout` and its
   * socket's) and calling `handleTimeout()` when none comes.
   */
  async handleRequest(): Promise<void> {
    await this.ready;
    let timeout = this.socket.gettimeout();
    if (timeout === null) timeout = this.timeout;
    else if (this.timeout !== null) timeout = Math.min(timeout, this.timeout);
    const readable = await this.socket.waitReadable(timeout);
    if (readable) await this.handleRequestNoblock();
    else await this.handleTimeout();
  }

  /** Python's `_handle_request_noblock()`: takes one waiting request and processes it. */
  async handleRequestNoblock(): Promise<void> {
    let request: Request;
    let clientAddress: Address | null;
    try {
      [request, clientAddress] = await this.getRequest();
    } catch (err) {
      // Python ignores an OSError from accept (the client went away); any
      // other error is a bug in an override and propagates, as in Python.
      if (err instanceof OSError) return;
      throw err;
    }
    let verified = false;
    try {
      verified = await this.verifyRequest(request, clientAddress);
    } catch (err) {
      await this.handleError(request, clientAddress, err);
      await this.shutdownRequest(request);
      return;
    }
    if (!verified) {
      await this.shutdownRequest(request);
      return;
    }
    try {
      await this.processRequest(request, clientAddress);
    } catch (err) {
      await this.handleError(request, clientAddress, err);
      await this.shutdownRequest(request);
    }
  }

  /** Takes the next request: `[request, clientAddress]`. */
  abstract getRequest(): Promise<[Request, Address | null]>;

  /** Python's `verify_request`: return false to drop the request unhandled. @default true */
  verifyRequest(_request: Request, _clientAddress: Address | null): boolean | Promise<boolean> {
    return true;
  }

  /**
   * Python's `process_request`: runs the handler, then closes the request.
   * `ThreadingMixIn` and `ForkingMixIn` override this one step.
   */
  async processRequest(request: Request, clientAddress: Address | null): Promise<void> {
    await this.finishRequest(request, clientAddress);
    await this.shutdownRequest(request);
  }

  /** Python's `finish_request`: instantiates the handler class and runs it (setup, handle, finish). */
  finishRequest(request: Request, clientAddress: Address | null): Promise<void> {
    const Handler = this.RequestHandlerClass as unknown as new (
      request: Request,
      clientAddress: Address | null,
      server: this,
    ) => BaseRequestHandler;
    // No async frame of its own: a server holding 10,000 idle connections holds 10,000 of these.
    return new Handler(request, clientAddress, this).run();
  }

  /** Python's `shutdown_request`: ends the request's connection (TCP: SHUT_WR, then close). */
  async shutdownRequest(request: Request): Promise<void> {
    await this.closeRequest(request);
  }

  /** Python's `close_request`: releases the request's resources. */
  async closeRequest(_request: Request): Promise<void> {}

  /**
   * Python's `handle_error`: a handler threw. Logs the error with the client
   * address to stderr, in Python's layout; the server keeps serving.
   */
  async handleError(_request: Request, clientAddress: Address | null, error: unknown): Promise<void> {
    const line = "-".repeat(40);
    const detail = error instanceof Error ? (error.stack ?? String(error)) : String(error);
    process.stderr.write(
      `${line}\nException occurred during processing of request from ${formatAddress(clientAddress)}\n${detail}\n${line}\n`,
    );
  }

  /** Python's `handle_timeout`: `handleRequest()` waited `timeout` seconds for nothing. */
  async handleTimeout(): Promise<void> {}

  /** Python's `service_actions`: called on every turn of `serveForever`'s loop. */
  async serviceActions(): Promise<void> {}

  /** Python's `server_close`: releases the listening socket. */
  async serverClose(): Promise<void> {}

  /** `await using server = new TCPServer(...)`: shuts down and closes at the end of the block. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.shutdown();
    await this.serverClose();
  }
}
