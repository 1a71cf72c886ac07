/**
 * Argument checks shared by netkit's public entry points (internal): what a
 * plain-JavaScript caller, who has no type checker, gets for a value of the
 * wrong type. Each check throws netkit/errors' `argTypeError` (a native
 * `TypeError`, code `ERR_INVALID_ARG_TYPE`, naming the function and the
 * argument) instead of letting the value reach code that fails with a
 * Node-internal "Cannot read properties of null".
 *
 * URLs: wherever netkit takes a URL string it also takes a WHATWG `URL`
 * (what Node users hold), read as its `href`.
 *
 * @module
 */
import { argTypeError } from "./errors/index.js";

/**
 * Checks an options argument: a plain object, or `undefined` for none.
 * `null`, a string or an array is refused, so a caller who passes Python's
 * positional arguments (`request("GET", "/", null, headers)`) learns that
 * the rest go in one options object.
 *
 * @param fn the function's name
 * @param value the argument
 * @param fields the options' names, for the message (`"{ data, timeout }"`)
 * @throws TypeError `ERR_INVALID_ARG_TYPE`: `urlopen() argument 'options' must be an options object { data, timeout, ... }, not str`
 */
export function checkOptions(
  fn: string,
  value: unknown,
  fields: string,
): asserts value is object | undefined {
  if (value === undefined) return;
  if (typeof value !== "object" || value === null || Array.isArray(value) || value instanceof Uint8Array) {
    throw argTypeError(fn, "options", `an options object ${fields}`, value);
  }
}

/**
 * Checks a string argument.
 * @throws TypeError `ERR_INVALID_ARG_TYPE`: `putrequest() argument 'method' must be str, not int`
 */
export function checkString(fn: string, name: string, value: unknown): asserts value is string {
  if (typeof value !== "string") throw argTypeError(fn, name, "str", value);
}

/**
 * A URL argument as the string netkit parses: a string as it is, a WHATWG
 * `URL` as its `href`.
 *
 * @param fn the function's name
 * @param name the argument's name
 * @param value the argument
 * @param expected what the argument takes, for the message @default "str or URL"
 * @throws TypeError `ERR_INVALID_ARG_TYPE`: `ServerProxy() argument 'uri' must be str or URL, not int`
 */
export function urlString(fn: string, name: string, value: unknown, expected = "str or URL"): string {
  if (typeof value === "string") return value;
  if (value instanceof URL) return value.href;
  throw argTypeError(fn, name, expected, value);
}
