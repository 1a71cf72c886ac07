/**
 * Serving until Ctrl-C: Python's
 *
 * ```python
 * try:
 *     server.serve_forever()
 * except KeyboardInterrupt:
 *     print("\nKeyboard interrupt received, exiting.")
 * ```
 *
 * (the `test()` of `http.server`, the demo of `xmlrpc.server`) for a netkit
 * server. Node has no `KeyboardInterrupt`: SIGINT is an event, so this
 * listens for it while the server serves, and stops the server when it comes.
 *
 * Python's process dies with its daemon threads, and a download under way
 * dies with it. Here the first Ctrl-C stops the server in steps, so the
 * process can end by itself within a bounded time:
 *
 * ```text
 * Ctrl-C ─► "Keyboard interrupt received, exiting."
 *        ─► shutdown()             stop accepting
 *        ─► closeIdleHandlers()    drop kept-alive connections waiting for a request
 *        ─► requests in flight get `grace` seconds to finish (a threading or forking
 *           server's `closeTimeout` becomes `grace`), then their connections are closed
 * Ctrl-C again ─► the process ends at once (Node's default: the listener is gone)
 * ```
 *
 * @module
 */
import type { BaseServer } from "./base.js";
import { closeIdleHandlers, closeRunningHandlers } from "./registry.js";

/** Options for `serveUntilInterrupted`. */
export interface ServeUntilInterruptedOptions {
  /** Where "Keyboard interrupt received, exiting." goes. @default process.stdout */
  out?: { write(text: string): unknown };
  /** Stops the server when aborted, as SIGINT does (without the message). */
  signal?: AbortSignal | undefined;
  /**
   * Called once the SIGINT listener is in place, just before serving:
   * print the "Serving on ..." banner here, so whoever reads it may press
   * Ctrl-C at once.
   */
  onServing?: () => void;
  /**
   * Seconds the requests in flight may take to finish after Ctrl-C (or the
   * abort) before their connections are closed. A threading or forking
   * server's `closeTimeout` is lowered to it, so the caller's
   * `serverClose()` waits no longer either.
   * @default 3
   */
  grace?: number;
}

/** What `serveUntilInterrupted` may find on a server besides `serveForever` and `shutdown`. */
interface Stoppable {
  /** ThreadingMixIn's and ForkingMixIn's longest wait in `serverClose()`. */
  closeTimeout?: number | null;
  /** ForkingMixIn: true in a worker process, where Ctrl-C is the primary's business. */
  isWorker?: boolean;
}

/**
 * Runs `server.serveForever()` until SIGINT (Ctrl-C), which prints
 * Python's "Keyboard interrupt received, exiting." and stops the server as
 * the module comment draws: no new connections, idle ones closed, requests
 * in flight given `grace` seconds, then closed. `options.signal` does the
 * same, silently. Not in Python, where the `try`/`except KeyboardInterrupt`
 * above does this.
 *
 * The SIGINT listener is there only while the server serves, and only for
 * the first Ctrl-C: a second one, while the caller's `serverClose()` waits
 * for requests in flight, meets whatever listened before (Node's default:
 * the process ends at once). Closing the server is the caller's. In a
 * `ForkingMixIn` worker (which gets the terminal's Ctrl-C too), SIGINT is
 * ignored quietly: the primary stops the workers.
 * @param server the server to run (bound: `serveForever()` awaits `ready`)
 * @param options where the message goes, what else stops the server, the banner hook, the grace period
 * @returns when `serveForever()` has returned
 * @throws whatever `serveForever()` throws (an OSError if the server could not bind)
 * @example
 * ```ts serves=echo:8000
 * import { serveUntilInterrupted, StreamRequestHandler, ThreadingTCPServer } from "netkit/socketserver";
 * class Echo extends StreamRequestHandler {
 *   override async handle() {
 *     for await (const line of this.rfile) await this.wfile.write(line);
 *   }
 * }
 * const server = new ThreadingTCPServer(["127.0.0.1", 8000], Echo);
 * try {
 *   await serveUntilInterrupted(server, { onServing: () => console.log("Serving on port 8000 ...") });
 * } finally {
 *   await server.serverClose();
 * }
 * ```
 */
export async function serveUntilInterrupted(
  server: Pick<BaseServer, "serveForever" | "shutdown">,
  options: ServeUntilInterruptedOptions = {},
): Promise<void> {
  const out = options.out ?? process.stdout;
  const grace = options.grace ?? 3;
  const target = server as typeof server & Stoppable;
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void server.shutdown();
    if (target.closeTimeout !== undefined && (target.closeTimeout === null || target.closeTimeout > grace)) {
      target.closeTimeout = grace;
    }
    closeIdleHandlers(server);
    // A server that handles one request at a time is inside that request until it ends:
    // close it after the grace period. (A threading server's serverClose() does the same.)
    // Not cleared when serving ends: a threading server's handlers are still running then.
    setTimeout(() => closeRunningHandlers(server), grace * 1000).unref();
  };
  const onSigint = target.isWorker
    ? () => {}
    : () => {
        out.write("\nKeyboard interrupt received, exiting.\n");
        stop();
      };
  process.once("SIGINT", onSigint);
  options.signal?.addEventListener("abort", stop, { once: true });
  try {
    options.onServing?.();
    if (!options.signal?.aborted) await server.serveForever();
  } finally {
    process.off("SIGINT", onSigint);
    options.signal?.removeEventListener("abort", stop);
  }
}
