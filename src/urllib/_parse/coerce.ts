/**
 * Python's `str`/`bytes` argument coercion for `urllib.parse` (internal).
 *
 * Mirrors CPython's `_coerce_args`, `_decode_args` and `_encode_result`: a
 * function given `bytes` decodes them as strict ASCII, works on text, and
 * encodes its results back as strict ASCII; mixing `str` with non-empty
 * `bytes` is a `TypeError`.
 *
 * @module
 */

import { asBuffer } from "../../_buffer.js";
import { ASCII_CODEC } from "../../_codecs.js";
import { withCode } from "../../errors/index.js";

/** A Python `str` or `bytes` argument. */
export type StrOrBytes = string | Uint8Array;

/** Views a `Uint8Array` as a `Buffer` without copying (the shared `src/_buffer.ts`). */
export { asBuffer };

/** Python truthiness of a `str`/`bytes` argument: non-empty. */
export function truthy(value: StrOrBytes | null | undefined): boolean {
  return value != null && value.length > 0;
}

/** `bytes.decode('ascii')`, strict: `UnicodeDecodeError` at the first byte above 0x7F. */
export function decodeAscii(bytes: Uint8Array): string {
  return ASCII_CODEC.decode(asBuffer(bytes), "strict");
}

/** `str.encode('ascii')`, strict: `UnicodeEncodeError` for any non-ASCII character. */
export function encodeAscii(text: string): Buffer {
  return ASCII_CODEC.encode(text, "strict");
}

/**
 * CPython's `_coerce_args`: returns the arguments as strings and whether the
 * call is in bytes mode (decided by the first argument). Empty arguments of
 * the other type are allowed, as Python allows them for default arguments.
 *
 * @throws {TypeError} "Cannot mix str and non-str arguments".
 */
export function coerceArgs(args: ReadonlyArray<StrOrBytes | null | undefined>): [string[], boolean] {
  const strInput = typeof args[0] === "string";
  for (let i = 1; i < args.length; i++) {
    const arg = args[i];
    if (truthy(arg) && (typeof arg === "string") !== strInput) {
      throw withCode(new TypeError("Cannot mix str and non-str arguments"), "ERR_INVALID_ARG_TYPE");
    }
  }
  const out = new Array<string>(args.length);
  for (let i = 0; i < args.length; i++) {
    const x = args[i];
    // In text mode an empty argument of the other type reads as "" (CPython treats it as falsy).
    if (strInput) out[i] = typeof x === "string" ? x : "";
    else out[i] = truthy(x) ? decodeAscii(x as Uint8Array) : "";
  }
  return [out, !strInput];
}
