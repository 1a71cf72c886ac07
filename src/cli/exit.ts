/**
 * How a `netkit` command ends: its exit status, a stdout that closes early
 * (`netkit urlopen URL | head -c 10`), and the signals that interrupt it.
 *
 * | status | when |
 * | --- | --- |
 * | 0 | success (a server stopped by Ctrl-C too, as `python3 -m http.server`) |
 * | 1 | failure: the message is on stderr |
 * | 2 | usage error: the usage line and argparse's message on stderr |
 * | 23 | stdout closed before everything was written (curl's "write error") |
 * | 128 + n | killed by signal n after cleaning up (130: Ctrl-C), as shells report it |
 *
 * @module
 */

/** The exit statuses (see the module comment). */
export const EXIT = { ok: 0, failure: 1, usage: 2, stdoutClosed: 23 } as const;

/** The signals that interrupt a command that has something to clean up. */
const SIGNALS: readonly NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];

/**
 * A command stopped by a signal, its cleanup done. `main` then raises the
 * same signal again, so the shell sees the process end by it (status 130
 * for SIGINT) and a script looping over the command stops too.
 */
export class Interrupted extends Error {
  override name = "Interrupted";
  /** netkit's stable error code. */
  readonly code = "ERR_INTERRUPTED";
  /** The signal that came. */
  readonly signal: NodeJS.Signals;

  constructor(signal: NodeJS.Signals) {
    super(`Interrupted by ${signal}`);
    this.signal = signal;
  }
}

/**
 * Runs `body` with a signal that aborts (its reason an `Interrupted`) on
 * SIGINT, SIGTERM or SIGHUP, so `body` stops and cleans up in its own
 * `finally`. The listeners are there only while `body` runs: a second
 * Ctrl-C during the cleanup ends the process at once (Node's default).
 * @param body the work; it must pass `signal` on to what it awaits
 * @returns what `body` returns
 * @throws Interrupted when a signal came (after `body` has settled), else what `body` throws
 */
export async function interruptible<T>(body: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const listeners = SIGNALS.map((signal) => {
    const listener = () => {
      for (const [s, l] of listeners) process.off(s, l);
      controller.abort(new Interrupted(signal));
    };
    process.once(signal, listener);
    return [signal, listener] as const;
  });
  let result: T;
  try {
    result = await body(controller.signal);
  } catch (err) {
    throw controller.signal.aborted ? controller.signal.reason : err;
  } finally {
    for (const [signal, listener] of listeners) process.off(signal, listener);
  }
  // A body that finished despite the signal still stops here.
  if (controller.signal.aborted) throw controller.signal.reason;
  return result;
}

/**
 * Makes a closed stdout end the process quietly with status 23 (the reader
 * has gone: `| head` has what it wanted), as curl does, instead of Node's
 * unhandled EPIPE stack trace; and a closed stderr lose its messages
 * quietly. Called once by the `netkit` entry point.
 */
export function guardStdio(): void {
  process.stdout.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code === "EPIPE" || err.code === "ERR_STREAM_DESTROYED") process.exit(EXIT.stdoutClosed);
    throw err;
  });
  process.stderr.on("error", () => {});
}
