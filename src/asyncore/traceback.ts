/**
 * Python's `asyncore.compact_traceback()`: a one-line summary of where an
 * error came from, for `dispatcher.handleError`'s log line.
 *
 * @module
 */
import { toError } from "../errors/index.js";

/** One stack frame: `[file, function, line]`, as Python's tuple of strings. */
export type TracebackFrame = [file: string, fn: string, line: string];

/** `compactTraceback`'s result: `[innermost frame, type name, error, info]`. */
export type CompactTraceback = [frame: TracebackFrame, type: string, value: Error, info: string];

/** `    at fn (file:line:col)`, `    at file:line:col`. */
const FRAME = /^\s*at (?:(.+?) \()?(.+?):(\d+):\d+\)?$/;

/**
 * Python's `compact_traceback()`. Python reads the exception being handled
 * from `sys.exc_info()`; JavaScript has no such thing, so the error is passed.
 * The frames come from V8's `stack`, outermost first as in Python's
 * traceback; `info` is `[file|function|line] [file|function|line] ...`.
 *
 * @param error what was thrown (a non-Error value is wrapped, see `toError`)
 * @returns `[[file, function, line] of the innermost frame, the error's type name, the error, info]`
 * @example
 * ```ts
 * import { compactTraceback } from "netkit/asyncore";
 * const [[, fn], type] = compactTraceback(new RangeError("bad"));
 * console.log(type, fn); // RangeError and the function that made the error
 * ```
 */
export function compactTraceback(error: unknown): CompactTraceback {
  const err = toError(error);
  const frames: TracebackFrame[] = [];
  for (const line of (err.stack ?? "").split("\n").slice(1)) {
    const m = FRAME.exec(line);
    if (m) frames.push([m[2]!, m[1] ?? "<module>", m[3]!]);
  }
  frames.reverse();
  const innermost = frames.at(-1) ?? ["?", "?", "0"];
  const info = frames.map(([file, fn, n]) => `[${file}|${fn}|${n}]`).join(" ");
  return [innermost, err.name, err, info];
}
