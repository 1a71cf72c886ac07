/**
 * Python's string semantics that netkit's parsers lean on (internal; used by
 * http.cookiejar, urllib.robotparser, urllib.parse and cgi): `str.strip()`,
 * `int(str)`, `str.isdigit()`, the Unicode `\s` and `\w` of Python's `re`,
 * and `$` (end of text or before a final newline).
 *
 * JavaScript differs from each of these in small ways (`trim()` removes
 * U+FEFF but keeps U+001C..U+001F and U+0085; `\w` is ASCII; `$` is the end
 * only), and those small ways decide whether a cookie is kept, so the
 * differential tests would notice.
 *
 * @module
 */
import { pyRepr, ValueError } from "./errors/index.js";

/** The characters of Python's `str.isspace()` and Unicode `\s`, as a regex class body. */
export const PY_WS =
  "\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
/** Python's ASCII `\s` (`re.ASCII`), as a regex class body. */
export const ASCII_WS = " \\t\\n\\r\\f\\v";
/** Python's `$` without MULTILINE: the end, or just before a final newline. */
export const PY_END = "(?=\\n?$)";

/** The UTF-16 units of `PY_WS`: what `str.isspace()` accepts and `str.strip()` removes. */
const PY_SPACE = new Set([
  0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x85, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002,
  0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000,
]);

/** Python's `str.isspace()` for one UTF-16 unit (the units of `PY_WS`); ASCII without a set lookup. */
export function isPySpace(unit: number): boolean {
  if (unit <= 0x20) return unit === 0x20 || (unit >= 0x09 && unit <= 0x0d) || unit >= 0x1c;
  return unit >= 0x85 && PY_SPACE.has(unit);
}

/** Python's `str.strip()` with no argument (JavaScript's `trim()` differs on U+FEFF, U+001C..1F, U+0085). */
export function pyStrip(text: string): string {
  return pyRstrip(pyLstrip(text));
}

/** Python's `str.lstrip()` with no argument. */
export function pyLstrip(text: string): string {
  let start = 0;
  while (start < text.length && isPySpace(text.charCodeAt(start))) start++;
  return start === 0 ? text : text.slice(start);
}

/** Python's `str.rstrip()` with no argument. */
export function pyRstrip(text: string): string {
  let end = text.length;
  while (end > 0 && isPySpace(text.charCodeAt(end - 1))) end--;
  return end === text.length ? text : text.slice(0, end);
}

const ND = /\p{Nd}/u;

/** The value of a decimal digit (Unicode category Nd): its distance from the start of its run of ten. */
function digitValue(cp: number): number {
  if (cp >= 0x30 && cp <= 0x39) return cp - 0x30;
  // Unicode encodes decimal digits in contiguous runs of ten, 0 to 9; adjacent
  // runs (the mathematical digits) start on a zero, so the run's start fixes the value.
  let start = cp;
  while (start > 0 && ND.test(String.fromCodePoint(start - 1))) start--;
  return (cp - start) % 10;
}

const INT_RE = new RegExp(`^[${PY_WS}]*([+-]?)(\\p{Nd}+(?:_\\p{Nd}+)*)[${PY_WS}]*$`, "u");

/**
 * Python's `int(text)` for a string in base 10: surrounding whitespace, a
 * sign, any Unicode decimal digits, single underscores between digits.
 * Returns `undefined` where Python raises ValueError. Values beyond 2**53
 * lose precision (Python's are exact); past the double range they are ±Infinity.
 */
export function pyInt(text: string): number | undefined {
  const m = INT_RE.exec(text);
  if (!m) return undefined;
  let digits = "";
  for (const ch of m[2]!) {
    if (ch === "_") continue;
    digits += String(digitValue(ch.codePointAt(0)!));
  }
  const n = Number(digits);
  return m[1] === "-" ? -n : n;
}

/** Python's `int(text)`, throwing Python's ValueError where it does. */
export function pyIntOrThrow(text: string): number {
  const n = pyInt(text);
  if (n === undefined) throw new ValueError(`invalid literal for int() with base 10: ${pyRepr(text)}`);
  return n;
}

// Characters whose Numeric_Type is Digit (not Decimal): `str.isdigit()` accepts them, `int()` refuses them.
// Generated from Python 3.11's unicodedata (Unicode 14.0).
const DIGIT_NOT_DECIMAL =
  /[\u00b2\u00b3\u00b9\u1369-\u1371\u19da\u2070\u2074-\u2079\u2080-\u2089\u2460-\u2468\u2474-\u247c\u2488-\u2490\u24ea\u24f5-\u24fd\u24ff\u2776-\u277e\u2780-\u2788\u278a-\u2792\u{10a40}-\u{10a43}\u{10e60}-\u{10e68}\u{11052}-\u{1105a}\u{1f100}-\u{1f10a}]/u;

/** Python's `str.isdigit()`: non-empty, every character a decimal or digit character. */
export function pyIsdigit(text: string): boolean {
  if (text === "") return false;
  for (const ch of text) if (!ND.test(ch) && !DIGIT_NOT_DECIMAL.test(ch)) return false;
  return true;
}

/** Python's ordering of strings: by code point (JavaScript's `<` compares UTF-16 units). */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x - y;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}

/** Python's `len(str)`: code points, not UTF-16 units. */
export function pyLen(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** Python's `type(x).__name__` of a value: the one implementation lives in netkit/errors. */
export { pyTypeName } from "./errors/index.js";
