/**
 * The errors of netkit/asyncore and netkit/asynchat: Python's `ExitNow`, and
 * `TerminatorNotFoundError` for netkit's bound on a record that never ends.
 *
 * @module
 */
import { nameErrors, ValueError } from "../errors/index.js";

/**
 * Python's `asyncore.ExitNow`: thrown from a handler, it leaves the loop (the
 * promise `loop()` returns rejects with it) instead of going to
 * `handleError`, as `KeyboardInterrupt` and `SystemExit` do in Python.
 *
 * @example
 * ```ts
 * import { ExitNow } from "netkit/asyncore";
 * const stop = new ExitNow("done");
 * stop.code; // "ERR_ASYNCORE_EXIT_NOW"
 * ```
 */
export class ExitNow extends Error {
  /** The stable code for matching without `instanceof`: `"ERR_ASYNCORE_EXIT_NOW"`. */
  readonly code: string = "ERR_ASYNCORE_EXIT_NOW";
}

/**
 * An `async_chat` collected more than `acMaxTerminatorSearch` bytes without
 * finding its bytes terminator (netkit's bound; Python has none). Thrown from
 * `handleRead`, so it reaches `handleError`, which closes the channel.
 */
export class TerminatorNotFoundError extends ValueError {
  /** The stable code for matching without `instanceof`: `"ERR_TERMINATOR_NOT_FOUND"`. */
  override readonly code: string = "ERR_TERMINATOR_NOT_FOUND";
  /** The limit that was passed, in bytes. */
  readonly limit: number;
  /** The terminator that was not found. */
  readonly terminator: Buffer;
  /**
   * @param limit the bound in bytes
   * @param terminator the terminator looked for
   */
  constructor(limit: number, terminator: Buffer) {
    super(
      `Cannot find terminator ${JSON.stringify(terminator.toString("latin1"))}: more than ${limit} bytes came without it`,
    );
    this.limit = limit;
    this.terminator = terminator;
  }
}

nameErrors({ ExitNow, TerminatorNotFoundError });
