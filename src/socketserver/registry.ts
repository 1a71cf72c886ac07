/**
 * Which handlers are running on which server, so a server's `serverClose()`
 * can close the connections that sit idle between requests (an HTTP
 * keep-alive connection waiting for its next request, an SMTP session
 * waiting for its next command) while requests in flight finish. Not in
 * Python: its `server_close()` leaves such connections to daemon threads
 * that die with the process; here they would keep the process alive.
 *
 * ```text
 * handler.setup()    ─► trackHandler(server, handler)  ─► untrack (in finish())
 * server.serverClose() ─► closeIdleHandlers(server) ─► handler.closeWhenIdle() on each
 *                                                      (and on any handler that starts later)
 * after a grace period ─► closeRunningHandlers(server) ─► each handler's connection closed
 * ```
 *
 * `http.server`'s `BaseHTTPRequestHandler` and `HTTPServer`, and
 * `xmlrpc.server`'s `SimpleXMLRPCServer`, use it; so can any server whose
 * connections carry more than one request.
 *
 * @module
 */
import { OSError } from "../errors/index.js";

/** What a server asks of a running handler when it closes. */
export interface IdleClosable {
  /**
   * Closes the connection now if it is waiting for the next request; else
   * closes it once the current request is answered. Called at most once per
   * `closeIdleHandlers()`; it must not throw.
   */
  closeWhenIdle(): void;
  /**
   * The handler's connection (a request handler's `request`): what
   * `closeRunningHandlers()` closes when the server gives up waiting.
   */
  readonly request?: unknown;
}

const running = new WeakMap<object, Set<IdleClosable>>();
const closing = new WeakSet<object>();

/**
 * Records `handler` as running on `server`, typically in the handler's
 * `setup()`. If the server is already closing, `handler.closeWhenIdle()` is
 * called at once, so a connection accepted during `serverClose()` does not
 * linger. Servers are held weakly: a server that is dropped is forgotten.
 * @param server the server the handler runs on (its `this.server`)
 * @param handler the handler to tell when the server closes
 * @returns the function that forgets the handler; call it in `finish()`
 * @example
 * ```ts
 * import { StreamRequestHandler, trackHandler } from "netkit/socketserver";
 * class Session extends StreamRequestHandler {
 *   #untrack = () => {};
 *   #waiting = false; // true while reading the next command
 *   #lastOne = false; // true: close after the current command
 *   override async setup() { await super.setup(); this.#untrack = trackHandler(this.server, this); }
 *   override async finish() { this.#untrack(); await super.finish(); }
 *   closeWhenIdle() {
 *     this.#lastOne = true;
 *     if (this.#waiting) this.connection.close();
 *   }
 * }
 * ```
 */
export function trackHandler(server: object, handler: IdleClosable): () => void {
  let set = running.get(server);
  if (!set) {
    set = new Set();
    running.set(server, set);
  }
  set.add(handler);
  if (closing.has(server)) handler.closeWhenIdle();
  return () => set.delete(handler);
}

/**
 * Tells every handler running on `server` (and any that starts later) to
 * close when idle: call it first thing in the server's `serverClose()`.
 * @param server the server that is closing
 * @example
 * ```ts
 * import { closeIdleHandlers, ThreadingTCPServer } from "netkit/socketserver";
 * class SessionServer extends ThreadingTCPServer {
 *   override async serverClose() {
 *     closeIdleHandlers(this);
 *     await super.serverClose();
 *   }
 * }
 * ```
 */
export function closeIdleHandlers(server: object): void {
  closing.add(server);
  for (const handler of running.get(server) ?? []) handler.closeWhenIdle();
}

/**
 * Closes the connection of every handler still running on `server`, even
 * mid-request: the last step of a server that gave its requests in flight
 * a grace period (`serveUntilInterrupted` calls it). Each handler's
 * `request` is closed if it can be (a connected `Socket`); the handler's
 * next read or write then fails and it ends.
 * @param server the server whose handlers to cut off
 * @returns how many connections were closed
 */
export function closeRunningHandlers(server: object): number {
  let closed = 0;
  for (const handler of running.get(server) ?? []) {
    const connection = handler.request as { close?: () => unknown } | null | undefined;
    if (typeof connection?.close !== "function") continue;
    try {
      connection.close();
      closed++;
    } catch (err) {
      if (!(err instanceof OSError)) throw err; // an OSError: already closed, nothing to cut off
    }
  }
  return closed;
}
