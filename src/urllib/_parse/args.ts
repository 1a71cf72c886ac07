/**
 * Argument checks of `netkit/urllib/parse` (internal): the TypeErrors a
 * plain-JavaScript caller gets for a value of the wrong type, in the form
 * CPython's argument parser uses (`encode() argument 'encoding' must be str,
 * not int`), instead of a Node-internal "Cannot read properties of null".
 *
 * Python itself lets many of these through to an AttributeError deep inside
 * (`'int' object has no attribute 'decode'`), or reads `None` as empty bytes;
 * netkit refuses them at the door, naming the function and the argument
 * (netkit/errors' `argTypeError`: code `ERR_INVALID_ARG_TYPE`).
 *
 * @module
 */
import { argTypeError } from "../../errors/index.js";
import type { StrOrBytes } from "./coerce.js";

export { argTypeError };

/**
 * Checks a `str`-or-`bytes` argument (a string or any `Uint8Array`).
 * @throws {TypeError} `fn() argument 'name' must be str or bytes, not int`
 */
export function checkStrOrBytes(fn: string, name: string, value: unknown): asserts value is StrOrBytes {
  if (typeof value !== "string" && !(value instanceof Uint8Array)) {
    throw argTypeError(fn, name, "str or bytes", value);
  }
}

/**
 * Checks an optional `str`-or-`bytes` argument: `undefined` means "not given".
 * @throws {TypeError} as {@link checkStrOrBytes}, `null` included
 */
export function checkOptionalStrOrBytes(
  fn: string,
  name: string,
  value: unknown,
): asserts value is StrOrBytes | undefined {
  if (value !== undefined) checkStrOrBytes(fn, name, value);
}

/**
 * Checks the `encoding` and `errors` options of an encode or decode step, with
 * the message CPython's `str.encode` / `bytes.decode` give.
 * @throws {TypeError} `encode() argument 'encoding' must be str, not int`
 */
export function checkCodecOptions(op: "encode" | "decode", encoding: unknown, errors: unknown): void {
  if (encoding !== undefined && typeof encoding !== "string") {
    throw argTypeError(op, "encoding", "str", encoding);
  }
  if (errors !== undefined && typeof errors !== "string") throw argTypeError(op, "errors", "str", errors);
}
