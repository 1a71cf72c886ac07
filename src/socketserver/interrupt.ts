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
 * @module
 */
import type { BaseServer } from "./base.js";

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
}

/**
 * Runs `server.serveForever()` until SIGINT (Ctrl-C), which prints
 * Python's "Keyboard interrupt received, exiting." and calls
 * `server.shutdown()`, or until `options.signal` aborts. Not in Python,
 * where the `try`/`except KeyboardInterrupt` above does this.
 *
 * The SIGINT listener is there only while the server serves, and only for
 * the first Ctrl-C: a second one, while the caller's `serverClose()` waits
 * for requests in flight, meets whatever listened before (Node's default:
 * the process ends at once). Closing the server is the caller's.
 * @param server the server to run (bound: `serveForever()` awaits `ready`)
 * @param options where the message goes, what else stops the server, and the banner hook
 * @returns when `serveForever()` has returned
 * @throws whatever `serveForever()` throws (an OSError if the server could not bind)
 * @example
 * ```ts
 * import { serveUntilInterrupted, ThreadingTCPServer } from "netkit/socketserver";
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
  const stop = () => void server.shutdown();
  const onSigint = () => {
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
