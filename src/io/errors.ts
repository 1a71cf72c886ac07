/**
 * The errors the buffered streams raise, on Python's tree: `LineTooLongError`
 * and `LimitOverrunError` are `ValueError`s, `IncompleteReadError` is an
 * `EOFError` (as asyncio's is), each with a stable `code`.
 *
 * @module
 */
import { EOFError, ValueError } from "../errors/index.js";

/** A line grew past the reader's `maxLineLength` without a newline (Python's http.client `LineTooLong`). */
export class LineTooLongError extends ValueError {
  override readonly code: string = "ERR_LINE_TOO_LONG";
  /** The limit that was passed, in bytes. */
  readonly limit: number;
  constructor(limit: number, what = "Line") {
    super(`${what} is longer than ${limit} bytes`);
    this.limit = limit;
  }
}

/** The stream ended before `expected` bytes came (asyncio's `IncompleteReadError`). */
export class IncompleteReadError extends EOFError {
  override readonly code: string = "ERR_INCOMPLETE_READ";
  /** What was read before the end. */
  readonly partial: Buffer;
  /** How many bytes were wanted; `null` when reading up to a separator. */
  readonly expected: number | null;
  constructor(partial: Buffer, expected: number | null) {
    super(
      `${partial.length} bytes read on a total of ${expected === null ? "undefined" : expected} expected bytes`,
    );
    this.partial = partial;
    this.expected = expected;
  }
}

/** `readuntil` passed its limit before (or without) finding the separator (asyncio's `LimitOverrunError`). */
export class LimitOverrunError extends ValueError {
  override readonly code: string = "ERR_LIMIT_OVERRUN";
  /** How many bytes the separator search covered. */
  readonly consumed: number;
  constructor(message: string, consumed: number) {
    super(message);
    this.consumed = consumed;
  }
}
