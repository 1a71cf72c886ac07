/**
 * The terminator search of Python's `async_chat.handle_read`, as pure
 * functions (no I/O), so it is tested on any chunking without a socket:
 * `findPrefixAtEnd` (Python's `find_prefix_at_end`) and `splitStep`, one turn
 * of handle_read's loop.
 *
 * @module
 */
import { asBuffer } from "../_buffer.js";

/**
 * What `async_chat` splits its input on: bytes (found anywhere), a byte count
 * (the next `n` bytes), or nothing (`null`, `0` or empty bytes: every byte is
 * collected and `foundTerminator` is never called).
 */
export type Terminator = Buffer | number | null;

/** One turn of the split: what to collect, what stays, what comes next. */
export interface SplitStep {
  /** Bytes for `collectIncomingData`, or `undefined` for none (Python never reports an empty string). */
  collect: Buffer | undefined;
  /** The bytes still to look at (Python's `ac_in_buffer`). */
  rest: Buffer;
  /** True when the terminator ended here: `foundTerminator` comes next. */
  found: boolean;
  /** The terminator after this turn (a count goes down as bytes come, to 0 when met). */
  terminator: Terminator;
  /** True when `rest` is a partial terminator that must wait for more bytes. */
  wait: boolean;
}

const EMPTY = Buffer.alloc(0);

/**
 * Python's `asynchat.find_prefix_at_end(haystack, needle)`: how many bytes at
 * the end of `haystack` are the start of `needle` (the longest such prefix,
 * shorter than `needle`); 0 when none (-1 for an empty `needle`, as in Python). Assumes `needle` itself is not in
 * `haystack` (the caller looked first).
 *
 * @example
 * ```ts
 * import { find_prefix_at_end } from "netkit/asynchat";
 * find_prefix_at_end(Buffer.from("qwerty\r"), Buffer.from("\r\n")); // 1
 * find_prefix_at_end(Buffer.from("qwertydkjf"), Buffer.from("\r\n")); // 0
 * ```
 */
export function find_prefix_at_end(haystack: Uint8Array, needle: Uint8Array): number {
  const hay = asBuffer(haystack);
  const ndl = asBuffer(needle);
  // Python's loop, quirk included: an empty needle gives -1.
  if (ndl.length === 0) return -1;
  let l = ndl.length - 1;
  // Bounded: at most len(needle) - 1 comparisons.
  while (l > 0 && !(l <= hay.length && hay.subarray(hay.length - l).equals(ndl.subarray(0, l)))) l--;
  return l;
}

/** True for Python's falsy terminators: `None`, `0`, `b''`. */
export function isNoTerminator(terminator: Terminator): boolean {
  return terminator === null || terminator === 0 || (Buffer.isBuffer(terminator) && terminator.length === 0);
}

/**
 * One turn of `async_chat.handle_read`'s loop over a non-empty `buffer`,
 * exactly as Python 3.11 takes it:
 * - no terminator: collect everything;
 * - a count `n`: collect up to `n` bytes; the count goes down, and at 0 the
 *   terminator is found;
 * - bytes: collect up to the terminator and find it; else keep a partial
 *   terminator at the end (`wait`) and collect what comes before; else
 *   collect everything.
 *
 * @param buffer the bytes not yet looked at (at least one)
 * @param terminator the current terminator
 */
export function splitStep(buffer: Buffer, terminator: Terminator): SplitStep {
  const lb = buffer.length;
  if (terminator === null || isNoTerminator(terminator)) {
    return { collect: buffer, rest: EMPTY, found: false, terminator, wait: false };
  }
  if (typeof terminator === "number") {
    if (lb < terminator)
      return { collect: buffer, rest: EMPTY, found: false, terminator: terminator - lb, wait: false };
    return {
      collect: buffer.subarray(0, terminator),
      rest: buffer.subarray(terminator),
      found: true,
      terminator: 0,
      wait: false,
    };
  }
  const index = buffer.indexOf(terminator);
  if (index !== -1) {
    return {
      collect: index > 0 ? buffer.subarray(0, index) : undefined,
      rest: buffer.subarray(index + terminator.length),
      found: true,
      terminator,
      wait: false,
    };
  }
  const prefix = find_prefix_at_end(buffer, terminator);
  if (prefix > 0) {
    return {
      collect: prefix !== lb ? buffer.subarray(0, lb - prefix) : undefined,
      rest: prefix !== lb ? buffer.subarray(lb - prefix) : buffer,
      found: false,
      terminator,
      wait: true,
    };
  }
  return { collect: buffer, rest: EMPTY, found: false, terminator, wait: false };
}
