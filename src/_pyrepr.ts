/**
 * Python's `repr()` and `str()` of values, for the messages and conversions
 * of `urllib.parse` and `cgi` (internal, shared: netkit's modules import it,
 * users do not).
 *
 * Error messages quote values with `%r` and `urlencode` converts non-string
 * values with `str()`, so matching CPython's output means matching these
 * conversions exactly: `repr` escapes every non-printable code point (Unicode
 * categories C* and Z* except the space), `str(1.5e-05)` keeps Python's
 * exponent rule, `str(None)` is `None`.
 *
 * @module
 */
import { pyRepr as reprText } from "./errors/index.js";

/** Python's `repr(str)`: the one implementation lives in netkit/errors. */
export const reprStr = reprText;

/** Python's `repr(bytes)`: `b'...'` with `\xhh` for everything outside printable ASCII. */
export function reprBytes(bytes: Uint8Array): string {
  const hasSingle = bytes.includes(0x27);
  const quote = hasSingle && !bytes.includes(0x22) ? '"' : "'";
  let out = `b${quote}`;
  for (const b of bytes) {
    const ch = String.fromCharCode(b);
    if (ch === quote || ch === "\\") out += `\\${ch}`;
    else if (ch === "\t") out += "\\t";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (b < 0x20 || b >= 0x7f) out += `\\x${b.toString(16).padStart(2, "0")}`;
    else out += ch;
  }
  return out + quote;
}

/**
 * Python's `repr(float)`: shortest round-trip digits, exponent form when the
 * decimal exponent is below -4 or at least 16 (`1e+16`, `1.5e-05`).
 */
export function reprFloat(value: number): string {
  if (Number.isNaN(value)) return "nan";
  if (value === Number.POSITIVE_INFINITY) return "inf";
  if (value === Number.NEGATIVE_INFINITY) return "-inf";
  if (value === 0) return Object.is(value, -0) ? "-0.0" : "0.0";
  const sign = value < 0 ? "-" : "";
  const [mantissa, exp] = Math.abs(value).toExponential().split("e") as [string, string];
  const e = Number(exp);
  const digits = mantissa.replace(".", "");
  if (e < -4 || e >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${m}e${e < 0 ? "-" : "+"}${String(Math.abs(e)).padStart(2, "0")}`;
  }
  if (e < 0) return `${sign}0.${"0".repeat(-e - 1)}${digits}`;
  if (digits.length <= e + 1) return `${sign}${digits}${"0".repeat(e + 1 - digits.length)}.0`;
  return `${sign}${digits.slice(0, e + 1)}.${digits.slice(e + 1)}`;
}

/**
 * Python's `str()` of a JavaScript value, reading the value as the Python
 * object it stands for: a safe integer as `int`, any other number as `float`,
 * `null`/`undefined` as `None`, booleans as `True`/`False`, a `Uint8Array` as
 * `bytes`, an array as a `list`, a `Map` or plain object as a `dict`.
 */
export function pyStr(value: unknown): string {
  if (typeof value === "string") return value;
  return pyRepr(value);
}

/** Python's `repr()` of a JavaScript value, under the same reading as {@link pyStr}. */
export function pyRepr(value: unknown): string {
  switch (typeof value) {
    case "string":
      return reprStr(value);
    case "number":
      return Number.isSafeInteger(value) && !Object.is(value, -0) ? String(value) : reprFloat(value);
    case "bigint":
      return String(value);
    case "boolean":
      return value ? "True" : "False";
    case "undefined":
      return "None";
    default:
      break;
  }
  if (value === null) return "None";
  if (value instanceof Uint8Array) return reprBytes(value);
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(", ")}]`;
  if (value instanceof Set) return value.size === 0 ? "set()" : `{${[...value].map(pyRepr).join(", ")}}`;
  if (value instanceof Map) {
    return `{${[...value].map(([k, v]) => `${pyRepr(k)}: ${pyRepr(v)}`).join(", ")}}`;
  }
  if (typeof value === "object" && isPlainObject(value)) {
    return `{${Object.entries(value)
      .map(([k, v]) => `${reprStr(k)}: ${pyRepr(v)}`)
      .join(", ")}}`;
  }
  return String(value);
}

/** True for `{}` literals and null-prototype objects. */
export function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
