/**
 * The errors the buffered streams raise, on Python's tree: `LineTooLongError`
 * and `LimitOverrunError` are `ValueError`s, `IncompleteReadError` is an
 * `EOFError` (as asyncio's is), each with a stable `code` to match on.
 *
 * Mirrors http.client's `LineTooLong` (as a limit of the reader itself) and
 * asyncio's `IncompleteReadError` and `LimitOverrunError`.
 *
 * @module
 */
import { EOFError, nameErrors, ValueError } from "../errors/index.js";

/**
 * A line grew past the reader's `maxLineLength` without a newline (the job of
 * Python's http.client `LineTooLong`, done once in the reader for every
 * protocol). The bytes read so far stay buffered; protocols drop the
 * connection.
 *
 * @example
 * ```ts
 * import { BufferedReader, BytesSource } from "netkit/io";
 * const rfile = new BufferedReader(new BytesSource("x".repeat(70_000)));
 * try {
 *   await rfile.readline();
 * } catch (err) {
 *   if (err instanceof LineTooLongError) console.log(err.message); // "Line is longer than 65536 bytes"
 * }
 * ```
 */
export class LineTooLongError extends ValueError {
  /** The stable code for matching without `instanceof`: `"ERR_LINE_TOO_LONG"`. */
  override readonly code: string = "ERR_LINE_TOO_LONG";
  /** The limit that was passed, in bytes. */
  readonly limit: number;
  /**
   * @param limit the limit in bytes
   * @param what what was too long, for the message @default "Line"
   */
  constructor(limit: number, what = "Line") {
    super(`${what} is longer than ${limit} bytes`);
    this.limit = limit;
  }
}

/**
 * The stream ended before `expected` bytes came, or before the separator
 * (asyncio's `IncompleteReadError`, an `EOFError`). The message is asyncio's:
 * `3 bytes read on a total of 5 expected bytes`.
 *
 * @example
 * ```ts
 * import { BufferedReader, BytesSource } from "netkit/io";
 * const rfile = new BufferedReader(new BytesSource("abc"));
 * try {
 *   await rfile.readexactly(5);
 * } catch (err) {
 *   if (err instanceof IncompleteReadError) console.log(err.partial.length, err.expected);
 * }
 * ```
 */
export class IncompleteReadError extends EOFError {
  /** The stable code for matching without `instanceof`: `"ERR_INCOMPLETE_READ"`. */
  override readonly code: string = "ERR_INCOMPLETE_READ";
  /** What was read before the end (consumed from the reader). */
  readonly partial: Buffer;
  /** How many bytes were wanted; `null` when reading up to a separator (asyncio's `None`). */
  readonly expected: number | null;
  /**
   * @param partial the bytes read before the end
   * @param expected the bytes wanted, or `null` for `readuntil`
   */
  constructor(partial: Buffer, expected: number | null) {
    super(
      `${partial.length} bytes read on a total of ${expected === null ? "None" : expected} expected bytes`,
    );
    this.partial = partial;
    this.expected = expected;
  }
}

/**
 * `readuntil` did not find the separator within its limit (asyncio's
 * `LimitOverrunError`, here a `ValueError`). The bytes stay buffered;
 * `consumed` says how many bytes the search covered.
 *
 * @example
 * ```ts
 * import { BufferedReader, BytesSource } from "netkit/io";
 * const rfile = new BufferedReader(new BytesSource(`${"x".repeat(9000)}\r\n\r\n`));
 * try {
 *   await rfile.readuntil("\r\n\r\n", 8192);
 * } catch (err) {
 *   if (err instanceof LimitOverrunError) await rfile.read(err.consumed); // skip them
 * }
 * ```
 */
export class LimitOverrunError extends ValueError {
  /** The stable code for matching without `instanceof`: `"ERR_LIMIT_OVERRUN"`. */
  override readonly code: string = "ERR_LIMIT_OVERRUN";
  /** How many bytes the search covered (asyncio's `consumed`). */
  readonly consumed: number;
  /**
   * @param message asyncio's message
   * @param consumed the bytes the search covered
   */
  constructor(message: string, consumed: number) {
    super(message);
    this.consumed = consumed;
  }
}

// Each class's `name`, written out: a minifier renames the classes themselves.
nameErrors({ LineTooLongError, IncompleteReadError, LimitOverrunError });
