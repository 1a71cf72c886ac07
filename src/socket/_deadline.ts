/**
 * The time limit of one name look-up: `RESOLVE_TIMEOUT`, the
 * `ResolveOptions` that set it, and the `Deadline` every query of a call
 * races against (`Expired` when it passes).
 *
 * @module
 */
import { nameErrors, ValueError } from "../errors/index.js";

/**
 * Seconds a name look-up may take by default before it fails as an
 * unanswered DNS query does (`gaierror` EAI_AGAIN): well above glibc's own
 * limit for one query with the default resolv.conf (5 s × 2 attempts), so a
 * slow but answering server still answers.
 */
export const RESOLVE_TIMEOUT = 30;

/** Options of the look-ups that may wait on the network. */
export interface ResolveOptions {
  /**
   * Seconds the whole call may take. Past it the call fails as the C
   * library fails when name servers do not answer: `gaierror` EAI_AGAIN
   * (`herror` TRY_AGAIN for `gethostbyname_ex` and `gethostbyaddr`). A
   * `dns.lookup` already handed to the C library finishes in the
   * background; its answer is dropped.
   * @default RESOLVE_TIMEOUT (30)
   */
  timeout?: number;
}

/** Raised inside a look-up when its deadline passes. */
export class Expired extends Error {}

/** One call's time budget, shared by all the queries it makes. */
export class Deadline {
  readonly #end: number;

  constructor(options: ResolveOptions | undefined) {
    const seconds = options?.timeout ?? RESOLVE_TIMEOUT;
    if (typeof seconds !== "number" || !Number.isFinite(seconds) || !(seconds > 0)) {
      throw new ValueError(`Cannot resolve with timeout ${String(seconds)}: it must be a positive number`);
    }
    this.#end = Date.now() + seconds * 1000;
  }

  /** Settles as `promise` does, or rejects with `Expired` (after `onExpire`) when time runs out first. */
  race<T>(promise: Promise<T>, onExpire?: () => void): Promise<T> {
    // The loser's rejection must not surface as an unhandled rejection.
    promise.catch(() => {});
    const left = this.#end - Date.now();
    if (left <= 0) {
      onExpire?.();
      return Promise.reject(new Expired());
    }
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(
        () => {
          onExpire?.();
          reject(new Expired());
        },
        Math.min(left, 2 ** 31 - 1),
      );
      promise.then(
        (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        (error: unknown) => {
          clearTimeout(timer);
          reject(error);
        },
      );
    });
  }
}

// Each class's `name`, written out: a minifier renames the classes themselves.
nameErrors({ Expired });
