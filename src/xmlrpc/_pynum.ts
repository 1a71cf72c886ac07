/**
 * Python's number text: `repr(float)` (what `<double>` carries on the wire)
 * and the parsing of `int(text)` and `float(text)` (what Python's
 * unmarshaller applies to `<int>` and `<double>` contents).
 *
 * @module
 */
import { pyRepr, ValueError } from "../errors/index.js";

/**
 * Python's `repr(x)` of a float: the shortest digits that round-trip (the
 * same digits JavaScript picks), laid out as Python does: fixed notation
 * with at least one fractional digit for exponents -4 to 15, else
 * `d.ddde+XX` with a two-digit exponent at least; `inf`, `-inf`, `nan`.
 */
export function floatRepr(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (x === Number.POSITIVE_INFINITY) return "inf";
  if (x === Number.NEGATIVE_INFINITY) return "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  // From 1e-4 to 1e16 both languages write fixed notation with the same shortest digits
  // (JavaScript up to 1e21); Python adds ".0" to a whole number.
  const ax = Math.abs(x);
  if (ax >= 1e-4 && ax < 1e16) {
    const s = String(x);
    return s.includes(".") ? s : `${s}.0`;
  }
  const sign = x < 0 ? "-" : "";
  const [mantissa, expText] = Math.abs(x).toExponential().split("e") as [string, string];
  const digits = mantissa.replace(".", "");
  const exp = Number(expText);
  if (exp < -4 || exp >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const e = String(Math.abs(exp)).padStart(2, "0");
    return `${sign}${m}e${exp < 0 ? "-" : "+"}${e}`;
  }
  if (exp < 0) return `${sign}0.${"0".repeat(-exp - 1)}${digits}`;
  if (digits.length <= exp + 1) return `${sign}${digits}${"0".repeat(exp + 1 - digits.length)}.0`;
  return `${sign}${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
}

/** Python's `str.isspace()` characters, which `int()` and `float()` strip. */
const PY_SPACE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: Python's whitespace includes the \x1c-\x1f separators
  /^[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+|[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/gu;

/** Python's `str.strip()` with no argument. */
export function pyStrip(text: string): string {
  // Fast path: printable ASCII at both ends (every Python space is below 0x21 or above 0x7e).
  const first = text.charCodeAt(0);
  const last = text.charCodeAt(text.length - 1);
  if (first > 0x20 && first < 0x7f && last > 0x20 && last < 0x7f) return text;
  return text.replace(PY_SPACE, "");
}

const ND = /\p{Nd}/u;

/**
 * Unicode decimal digits (category Nd: `٤٢`, `４２`) as ASCII, as Python's
 * `int()` and `float()` read them. Every Unicode Nd run is a whole 0-9
 * sequence, so a digit's value is its distance from the start of its run, mod 10.
 */
function asciiDigits(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ASCII is the fast path
  if (/^[\x00-\x7f]*$/.test(text)) return text;
  let out = "";
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x80 || !ND.test(ch)) {
      out += ch;
      continue;
    }
    let start = cp;
    while (ND.test(String.fromCodePoint(start - 1))) start--;
    out += String((cp - start) % 10);
  }
  return out;
}

const INT_TEXT = /^[+-]?[0-9]+(?:_[0-9]+)*$/;
const DIGITPART = "[0-9]+(?:_[0-9]+)*";
const FLOAT_TEXT = new RegExp(
  `^[+-]?(?:(?:${DIGITPART})?\\.${DIGITPART}|${DIGITPART}\\.?)(?:[eE][+-]?${DIGITPART})?$`,
);
const SIMPLE_INT = /^-?[0-9]{1,15}$/;
const SIMPLE_FLOAT = /^-?[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$/;
const FLOAT_SPECIAL = /^([+-]?)(inf|infinity|nan)$/i;

/**
 * Python's `int(text)` (base 10): surrounding whitespace, a sign, `_`
 * between digits and Unicode digits are accepted. Values past
 * `Number.MAX_SAFE_INTEGER` come back as `bigint`, the rest as `number`.
 * @throws ValueError `invalid literal for int() with base 10: '...'`
 */
export function pyInt(text: string): number | bigint {
  // Fast path: plain decimal text within 15 digits is exact as a number (`|| 0` turns -0 into Python's 0).
  if (SIMPLE_INT.test(text)) return Number(text) || 0;
  const t = asciiDigits(pyStrip(text));
  if (!INT_TEXT.test(t)) throw new ValueError(`invalid literal for int() with base 10: ${pyRepr(text)}`);
  const big = BigInt(t.replaceAll("_", ""));
  if (big <= BigInt(Number.MAX_SAFE_INTEGER) && big >= BigInt(Number.MIN_SAFE_INTEGER)) return Number(big);
  return big;
}

/**
 * Python's `float(text)`: whitespace, sign, `_` between digits, `inf`,
 * `infinity`, `nan` in any case, Unicode digits.
 * @throws ValueError `could not convert string to float: '...'`
 */
export function pyFloat(text: string): number {
  // Fast path: the decimal forms repr() writes, which Number() reads to the same (correctly rounded) value.
  if (SIMPLE_FLOAT.test(text)) return Number(text);
  const t = asciiDigits(pyStrip(text));
  const special = FLOAT_SPECIAL.exec(t);
  if (special) {
    if (special[2]!.toLowerCase() === "nan") return Number.NaN;
    return special[1] === "-" ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  }
  if (!FLOAT_TEXT.test(t)) throw new ValueError(`could not convert string to float: ${pyRepr(text)}`);
  return Number(t.replaceAll("_", ""));
}
