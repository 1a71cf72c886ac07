/**
 * The serving loop of the `python -m MODULE` servers (`netkit http.server`,
 * `netkit xmlrpc.server`): serve until Ctrl-C or an AbortSignal.
 *
 * @module
 */

/** What `serveUntilInterrupted` drives: a netkit socketserver server. */
export interface InterruptibleServer {
  serveForever(): Promise<void>;
  shutdown(): Promise<void>;
}

/** Where the command writes, and what else may stop it. */
export interface InterruptOptions {
  /** Where "Keyboard interrupt received, exiting." goes. */
  out: { write(text: string): unknown };
  /** Stops the server when aborted (besides SIGINT). */
  signal?: AbortSignal | undefined;
}

/**
 * Serves until SIGINT (printing Python's "Keyboard interrupt received,
 * exiting.") or until `options.signal` aborts. `announce` runs once the
 * SIGINT handler is in place, so whoever reads the banner may press Ctrl-C
 * at once. Resolves when the server has stopped; closing it is the caller's.
 */
export async function serveUntilInterrupted(
  server: InterruptibleServer,
  options: InterruptOptions,
  announce: () => void,
): Promise<void> {
  const stop = () => void server.shutdown();
  const onSigint = () => {
    options.out.write("\nKeyboard interrupt received, exiting.\n");
    stop();
  };
  process.once("SIGINT", onSigint);
  options.signal?.addEventListener("abort", stop, { once: true });
  try {
    announce();
    if (!options.signal?.aborted) await server.serveForever();
  } finally {
    process.off("SIGINT", onSigint);
    options.signal?.removeEventListener("abort", stop);
  }
}
