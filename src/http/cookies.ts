/**
 * `netkit/http/cookies`: Python's `http.cookies` (the old `Cookie` module),
 * with Python 3.11's behaviour: the same parse of a `Cookie:` header, the same
 * `Set-Cookie:` text, the same errors.
 *
 * ```text
 * BaseCookie  (a Map of name → Morsel; values kept as given)
 *  └── SimpleCookie  (values quoted on the way out, unquoted on the way in)
 * Morsel      (one name=value pair and its attributes: expires, Path, Comment,
 *              Domain, Max-Age, Secure, HttpOnly, Version, SameSite)
 * CookieError (every error this module raises)
 * ```
 *
 * The extension contract, as in Python:
 * - for the caller: `load(header)`, `set(name, value)`, `get(name)`,
 *   `output()`, `jsOutput()`, and on a Morsel `get(attr)`,
 *   `setAttribute(attr, value)`, `outputString()`;
 * - to override in a subclass of `BaseCookie`: `valueDecode(coded)` (network
 *   text → `[real, coded]`) and `valueEncode(value)` (value → `[real, coded]`).
 *
 * How `load()` reads a header is Python's `_CookiePattern` regular expression
 * applied again and again from the left, with all its quirks: a name may hold
 * `=`, `,` and `/` (and a name that `Morsel.set` then refuses makes `load()`
 * throw), `$Version` before the first cookie is skipped, `$Path` after one sets
 * an attribute, an `expires=Wed, 09 Jun 2021 10:18:14 GMT` date keeps its comma
 * and spaces, and a piece the pattern does not match ends the scan silently.
 * A string with a name but no `=`, or an attribute before any cookie, is invalid
 * as a whole and changes nothing. Here the pattern is a hand-written scanner
 * that gives the same matches in linear time: Python's backtracking regex takes
 * quadratic time on inputs such as `"=" * 20000 + '"'` (12 seconds in CPython
 * 3.11; netkit scans 65536 characters of it in milliseconds).
 *
 * Where netkit differs from Python 3.11, on purpose:
 * - `load()` refuses (CookieError) strings longer than {@link MAX_COOKIE_STRING}
 *   (65536) characters, the longest header line netkit's HTTP readers accept;
 *   Python has no limit.
 * - Rendering (`output`, `outputString`, `jsOutput`) refuses (CookieError) a
 *   morsel whose text would hold a control character other than tab (U+0000
 *   to U+001F, U+007F; RFC 6265bis section 5.6 "CTL"): Python 3.11 writes CR
 *   and LF from an attribute such as `Path="\015\012X: y"` straight into the
 *   header, which is header injection (later CPython releases reject control
 *   characters in morsels too: gh-143919, gh-145599). `repr()` still shows them.
 * - A JavaScript number that is an integer plays Python's `int`, any other
 *   number Python's `float`: `expires: 3600` is "an hour from now", as in
 *   Python; `expires: 1.5` is written as `1.5`.
 * - `Morsel.get("Max-Age")` ignores case and throws CookieError for a name that
 *   is not an attribute (Python's `morsel["Max-Age"]` raises KeyError).
 *
 * @example
 * ```ts
 * import { SimpleCookie } from "netkit/http/cookies";
 * const c = new SimpleCookie();
 * c.load("chips=ahoy; vienna=finger");
 * c.get("chips")?.value;   // "ahoy"
 * c.set("fig", "newton");
 * c.get("fig")!.path = "/";
 * c.output();  // "Set-Cookie: chips=ahoy\r\nSet-Cookie: fig=newton; Path=/\r\nSet-Cookie: vienna=finger"
 * ```
 *
 * @module
 */
import { compareCodePoints } from "../_pystr.js";
import { MONTH_ABBRS, WEEKDAY_ABBRS } from "../_time.js";
import {
  EOVERFLOW,
  nameClasses,
  nameErrors,
  OSError,
  OverflowError,
  pyRepr,
  pyTypeName,
} from "../errors/index.js";
import { MAX_LINE } from "./message.js";

/**
 * Python's `http.cookies.CookieError`: a cookie name is reserved or has
 * illegal characters, an attribute name is unknown, or a cookie string is too
 * long or would render a control character. The message reads as Python's
 * (`Illegal key 'a b'`, `Invalid attribute 'port'`).
 */
export class CookieError extends Error {
  /** A stable code for matching without `instanceof`. */
  readonly code: string = "ERR_COOKIE";
}

/**
 * Longest string `load()` parses, in UTF-16 code units: 65536, the longest
 * header line netkit's HTTP readers accept (Python's `http.client._MAXLINE`),
 * so no `Cookie:` header that reached netkit over HTTP is refused for length.
 * Python has no limit; netkit's scanner is linear, the limit only bounds memory.
 */
export const MAX_COOKIE_STRING = MAX_LINE;

// ---------------------------------------------------------------------------
// Quoting: Python's _quote and _unquote (RFC 2109 quoted-string, with octal
// escapes for everything outside the RFC 2068 "text" set, and for "," and ";",
// because browsers split on them).

/** Python's `_LegalChars`: a name made only of these needs no quotes. */
const LEGAL_KEY = /^[A-Za-z0-9!#$%&'*+\-.^_`|~:]+$/;
/** Python's `_UnescapedChars`: written as themselves inside quotes. */
const UNESCAPED =
  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$%&'*+-.^_`|~: ()/<=>?@[]{}";
/** Python's `_Translator`: what each code unit below 256 becomes inside quotes. */
const TRANSLATOR: ReadonlyArray<string | undefined> = Array.from({ length: 256 }, (_, c) => {
  if (c === 0x22) return '\\"';
  if (c === 0x5c) return "\\\\";
  if (UNESCAPED.includes(String.fromCharCode(c))) return undefined;
  return `\\${c.toString(8).padStart(3, "0")}`;
});

/**
 * Python's private `http.cookies._quote`: `text` as it is when every
 * character is legal in a cookie name, else in double quotes with `"` and `\`
 * backslash-escaped and every other character below U+0100 outside the
 * RFC 2068 text set (controls, `,`, `;`, `\x7f`-`\xff`) as a 3-digit octal
 * escape. Characters from U+0100 up are kept as they are, as Python keeps them.
 *
 * @example
 * ```ts
 * quote("abc");           // "abc"
 * quote("some,funky;é");  // '"some\\054funky\\073\\351"'
 * ```
 */
export function quote(text: string): string {
  if (LEGAL_KEY.test(text)) return text;
  let out = '"';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    out += (c < 256 ? TRANSLATOR[c] : undefined) ?? text[i];
  }
  return `${out}"`;
}

/** True when `text[at..at+3]` is Python's `_OctalPatt` `\\[0-3][0-7][0-7]` after its backslash. */
function isOctalEscape(text: string, at: number): boolean {
  const a = text.charCodeAt(at + 1);
  const b = text.charCodeAt(at + 2);
  const c = text.charCodeAt(at + 3);
  return a >= 0x30 && a <= 0x33 && b >= 0x30 && b <= 0x37 && c >= 0x30 && c <= 0x37;
}

/**
 * Python's private `http.cookies._unquote`: a string in double quotes loses
 * them, `\ooo` (octal, `\000`-`\377`) becomes that character and `\x` becomes
 * `x`; anything else is returned as it is. As in Python, a backslash before a
 * line feed, or at the end, stays.
 *
 * @example
 * ```ts
 * unquote('"a\\"b\\012"'); // 'a"b\n'
 * unquote("plain");        // "plain"
 * ```
 */
export function unquote(text: string): string {
  if (text.length < 2 || text[0] !== '"' || text[text.length - 1] !== '"') return text;
  const s = text.slice(1, -1);
  const n = s.length;
  let out = "";
  let done = 0; // s[..done] is in out
  let from = 0; // where to look for the next backslash
  while (from < n) {
    const bs = s.indexOf("\\", from);
    if (bs < 0) break;
    // _QuotePatt is `[\\].`: `.` matches anything but a line feed.
    if (bs + 1 >= n || s.charCodeAt(bs + 1) === 0x0a) {
      from = bs + 1;
      continue;
    }
    out += s.slice(done, bs);
    // At the first usable backslash both patterns may match; the octal one wins a tie.
    if (bs + 3 < n && isOctalEscape(s, bs)) {
      out += String.fromCharCode(Number.parseInt(s.slice(bs + 1, bs + 4), 8));
      done = bs + 4;
    } else {
      out += s[bs + 1];
      done = bs + 2;
    }
    from = done;
  }
  return out + s.slice(done);
}

// ---------------------------------------------------------------------------
// Python's str() of the values a morsel may hold.

/** Python's `repr(float)`: shortest round-trip digits, exponent below 1e-4 and from 1e16. */
function floatRepr(value: number): string {
  if (Number.isNaN(value)) return "nan";
  if (!Number.isFinite(value)) return value > 0 ? "inf" : "-inf";
  const [mantissa, exponent] = Math.abs(value).toExponential().split("e") as [string, string];
  const exp = Number(exponent);
  const digits = mantissa.replace(".", "");
  const sign = value < 0 || Object.is(value, -0) ? "-" : "";
  if (exp < -4 || exp >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${m}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  }
  if (exp < 0) return `${sign}0.${"0".repeat(-exp - 1)}${digits}`;
  if (digits.length <= exp + 1) return `${sign}${digits}${"0".repeat(exp + 1 - digits.length)}.0`;
  return `${sign}${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
}

/** Python's `str(value)`, reading an integral number as `int` and any other as `float`. */
function pyStr(value: string | number | boolean | null): string {
  if (typeof value === "string") return value;
  if (value === null) return "None";
  if (typeof value === "boolean") return value ? "True" : "False";
  return Number.isInteger(value) ? BigInt(value).toString() : floatRepr(value);
}

/** Python's `isinstance(value, int)`: integral numbers and booleans. */
function isPyInt(value: MorselAttributeValue): value is number | boolean {
  return typeof value === "boolean" || (typeof value === "number" && Number.isInteger(value));
}

/** Python's truth value: "" and 0 and None and False are false, NaN is true. */
function pyTruthy(value: MorselAttributeValue): boolean {
  if (typeof value === "number") return value !== 0;
  return value !== null && value !== false && value !== "";
}

/** Python's `==` between two attribute values (`True == 1`, `1 == 1.0`, `"1" != 1`). */
function pyEquals(a: MorselAttributeValue, b: MorselAttributeValue): boolean {
  const numeric = (v: MorselAttributeValue) => typeof v === "number" || typeof v === "boolean";
  if (numeric(a) && numeric(b)) return Number(a) === Number(b);
  return a === b;
}

// ---------------------------------------------------------------------------
// Dates: Python's _getdate.

const WEEKDAYS = WEEKDAY_ABBRS;
const MONTHS = MONTH_ABBRS;
const pad2 = (n: number) => String(n).padStart(2, "0");

/** Proleptic Gregorian `[year, month 1-12, day]` for a count of days since 1970-01-01 (H. Hinnant's civil_from_days). */
function civilFromDays(days: number): [number, number, number] {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (month <= 2 ? 1 : 0), month, day];
}

/** 2**63: time_t's range on the 64-bit Linux Python runs on. */
const TIME_T_LIMIT = 2 ** 63;
/** glibc's gmtime stores year - 1900 in an int. */
const INT_MAX = 2147483647;

/**
 * Python's private `http.cookies._getdate`: the time `future` seconds after
 * `now`, in the `expires` format `Wdy, DD Mon YYYY HH:MM:SS GMT`. The seconds
 * are floored and the calendar is the proleptic Gregorian one, as Python's
 * `time.gmtime` has them on Linux, for every year it supports (the year is
 * padded to four places with spaces, as Python's `%4d` does).
 *
 * @param future - seconds from `now` (negative for the past).
 * @param now - seconds since the epoch; defaults to {@link Morsel.clock}.
 * @throws OverflowError `timestamp out of range for platform time_t` beyond ±2**63
 *   seconds; OSError `[Errno 75] Value too large for defined data type` for a
 *   year beyond what glibc's `gmtime` holds (about ±2.1 billion).
 *
 * @example
 * ```ts
 * getdate(3600, 0); // "Thu, 01 Jan 1970 01:00:00 GMT"
 * ```
 */
export function getdate(future = 0, now: number = Morsel.clock()): string {
  const t = Math.floor(now + future);
  if (!(t >= -TIME_T_LIMIT && t < TIME_T_LIMIT)) {
    throw new OverflowError("timestamp out of range for platform time_t");
  }
  const days = Math.floor(t / 86400);
  const secs = t - days * 86400;
  const [year, month, day] = civilFromDays(days);
  if (year - 1900 > INT_MAX || year - 1900 < -INT_MAX - 1) throw new OSError(EOVERFLOW);
  const weekday = ((days % 7) + 7 + 3) % 7; // 1970-01-01 was a Thursday (Monday is 0)
  const hh = Math.floor(secs / 3600);
  const mm = Math.floor((secs % 3600) / 60);
  return (
    `${WEEKDAYS[weekday]}, ${pad2(day)} ${MONTHS[month - 1]} ${String(year).padStart(4, " ")} ` +
    `${pad2(hh)}:${pad2(mm)}:${pad2(secs % 60)} GMT`
  );
}

// ---------------------------------------------------------------------------
// Morsel

/**
 * A morsel attribute's value. `""` means "not set" (left out of the output);
 * `null` is Python's `None` (a `$Path` with no value sets it); numbers and
 * booleans are kept as given and written as Python writes `int`, `float` and
 * `bool` (`expires` and `max-age` give integers a meaning, see {@link Morsel}).
 */
export type MorselAttributeValue = string | number | boolean | null;

/** A value for `BaseCookie.set`: converted with Python's `str()` (`7` → `"7"`, `null` → `"None"`). */
export type CookieValue = string | number | boolean | null;

/**
 * Which attributes to write: `null`/`undefined` for all of them, else the
 * lower-case names to keep (`["path", "max-age"]`). A string is tested with
 * Python's `in` on strings, i.e. as a substring: `"path domain"` keeps both.
 */
export type AttributeFilter = Iterable<string> | string | null | undefined;

/** Options for `Morsel.output` (Python's keyword arguments). */
export interface MorselOutputOptions {
  /**
   * Which attributes to write.
   * @default null (all)
   */
  attrs?: AttributeFilter;
  /**
   * The text before the cookie.
   * @default "Set-Cookie:"
   */
  header?: string;
}

/** Options for `BaseCookie.output` (Python's keyword arguments). */
export interface CookieOutputOptions extends MorselOutputOptions {
  /**
   * What goes between two cookies' lines.
   * @default "\r\n"
   */
  sep?: string;
}

/** Python's `Morsel._reserved`: attribute name → how it is written. Order matters (iteration). */
const RESERVED: ReadonlyMap<string, string> = new Map([
  ["expires", "expires"],
  ["path", "Path"],
  ["comment", "Comment"],
  ["domain", "Domain"],
  ["max-age", "Max-Age"],
  ["secure", "Secure"],
  ["httponly", "HttpOnly"],
  ["version", "Version"],
  ["samesite", "SameSite"],
]);
/** Python's `Morsel._flags`: attributes written as a bare word when true. */
const FLAGS: ReadonlySet<string> = new Set(["secure", "httponly"]);
/** `sorted(morsel.items())` sorts by attribute name; the names never change. */
const SORTED_ATTRIBUTES = [...RESERVED.keys()].sort();

/** A control character that must not reach a header (RFC 6265bis section 5.6: CTL but HTAB). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters refused.
const CONTROL = /[\x00-\x08\x0a-\x1f\x7f]/;

/** The lower-case attribute name for `attr`, or CookieError as Python raises it. */
function attributeKey(attr: string): string {
  const key = attr.toLowerCase();
  if (!RESERVED.has(key)) throw new CookieError(`Invalid attribute ${pyRepr(key)}`);
  return key;
}

/** A membership test for an attribute filter, with Python's `in` semantics. */
function attributeTest(attrs: AttributeFilter): (key: string) => boolean {
  if (attrs === null || attrs === undefined) return () => true;
  if (typeof attrs === "string") return (key) => attrs.includes(key);
  const set = new Set(attrs);
  return (key) => set.has(key);
}

/** True for an options object (not an attribute filter) as the first argument of `output`. */
function isOptions<T extends MorselOutputOptions>(value: AttributeFilter | T): value is T {
  return typeof value === "object" && value !== null && !(Symbol.iterator in value);
}

/**
 * Python's `http.cookies.Morsel`: one cookie (its name, `key`; its value,
 * `value`; the text that goes on the wire, `codedValue`) and its attributes.
 *
 * The attributes are Python's nine reserved names (`expires`, `path`,
 * `comment`, `domain`, `max-age`, `secure`, `httponly`, `version`,
 * `samesite`), each `""` (unset) until given a value. Read and write them with
 * `get(attr)` / `setAttribute(attr, value)` (any case; Python's `m[attr]`), or
 * with the properties (`m.path = "/"`, `m.maxAge = 3600`). Iterating yields
 * `[attr, value]` pairs in Python's order.
 *
 * When written out, attributes come in alphabetical order and unset ones are
 * left out. `expires` given as an integer is "that many seconds from now"
 * (written as a date, using {@link Morsel.clock}), `max-age` as an integer is
 * written as one, `comment` is quoted like a value, `secure` and `httponly`
 * become the bare words `Secure` and `HttpOnly` when true; the rest are
 * written with Python's `str()`.
 *
 * @example
 * ```ts
 * const m = new Morsel();
 * m.set("session", "abc 123", '"abc 123"');
 * m.setAttribute("Path", "/");
 * m.httponly = true;
 * m.outputString(); // 'session="abc 123"; HttpOnly; Path=/'
 * ```
 */
export class Morsel implements Iterable<[string, MorselAttributeValue]> {
  /**
   * The clock `expires` integers count from: seconds since the epoch, as
   * Python's `time.time()`. Replace it to make output reproducible.
   * @default () => Date.now() / 1000
   */
  static clock: () => number = () => Date.now() / 1000;

  /** Python's `Morsel._reserved`: each attribute name and how it is written. */
  static readonly reserved: Readonly<Record<string, string>> = Object.freeze(Object.fromEntries(RESERVED));

  #key: string | null = null;
  #value: string | null = null;
  #codedValue: string | null = null;
  #attrs = new Map<string, MorselAttributeValue>([...RESERVED.keys()].map((k) => [k, ""]));

  /** The cookie's name, or null before `set()`. */
  get key(): string | null {
    return this.#key;
  }

  /** The cookie's value, or null before `set()`. */
  get value(): string | null {
    return this.#value;
  }

  /** The value as written on the wire (Python's `coded_value`), or null before `set()`. */
  get codedValue(): string | null {
    return this.#codedValue;
  }

  /**
   * Python's `Morsel.set(key, val, coded_val)`: names the cookie and gives its
   * value and wire text.
   * @throws CookieError `Attempt to set a reserved key 'path'` when `key` is an
   *   attribute name (any case); `Illegal key 'a b'` when `key` is empty or has
   *   a character outside `A-Z a-z 0-9 !#$%&'*+-.^_\`|~:`.
   */
  set(key: string, val: string, codedVal: string): void {
    if (RESERVED.has(key.toLowerCase()))
      throw new CookieError(`Attempt to set a reserved key ${pyRepr(key)}`);
    if (!LEGAL_KEY.test(key)) throw new CookieError(`Illegal key ${pyRepr(key)}`);
    this.#key = key;
    this.#value = val;
    this.#codedValue = codedVal;
  }

  /**
   * An attribute's value (Python's `morsel[attr]`), the name in any case.
   * @throws CookieError `Invalid attribute 'port'` for a name that is not an attribute.
   */
  get(attr: string): MorselAttributeValue {
    return this.#attrs.get(attributeKey(attr))!;
  }

  /**
   * Sets an attribute (Python's `morsel[attr] = value`), the name in any case.
   * `""` unsets it.
   * @throws CookieError `Invalid attribute 'port'` for a name that is not an attribute.
   */
  setAttribute(attr: string, value: MorselAttributeValue): this {
    this.#attrs.set(attributeKey(attr), value);
    return this;
  }

  /**
   * Python's `Morsel.setdefault(key, val)`: every attribute always has a
   * value, so this returns the current one after checking the name.
   * @throws CookieError for a name that is not an attribute.
   */
  setdefault(attr: string, _value: MorselAttributeValue = null): MorselAttributeValue {
    return this.#attrs.get(attributeKey(attr))!;
  }

  /**
   * Python's `Morsel.update(values)`: sets several attributes at once, from
   * an object or from `[name, value]` pairs. All names are checked first, so
   * on error nothing changes.
   * @throws CookieError for a name that is not an attribute.
   */
  update(
    values:
      | Readonly<Record<string, MorselAttributeValue>>
      | Iterable<readonly [string, MorselAttributeValue]>,
  ): void {
    const pairs = Symbol.iterator in values ? [...values] : Object.entries(values);
    const checked = pairs.map(([k, v]) => [attributeKey(k), v] as const);
    for (const [k, v] of checked) this.#attrs.set(k, v);
  }

  /** Python's `Morsel.isReservedKey(K)`: whether `name` (any case) is an attribute name. */
  isReservedKey(name: string): boolean {
    return RESERVED.has(name.toLowerCase());
  }

  /**
   * Python's `morsel == other`: same name, value, wire text and attributes
   * (compared as Python compares them: `true` equals `1`).
   */
  equals(other: unknown): boolean {
    if (!(other instanceof Morsel)) return false;
    if (this.#key !== other.#key || this.#value !== other.#value || this.#codedValue !== other.#codedValue) {
      return false;
    }
    for (const [k, v] of this.#attrs) if (!pyEquals(v, other.#attrs.get(k)!)) return false;
    return true;
  }

  /** Python's `Morsel.copy()`: a new, equal Morsel. */
  copy(): Morsel {
    const m = new Morsel();
    m.#key = this.#key;
    m.#value = this.#value;
    m.#codedValue = this.#codedValue;
    m.#attrs = new Map(this.#attrs);
    return m;
  }

  /** How many attributes there are (always 9: Python's `len(morsel)`). */
  get size(): number {
    return this.#attrs.size;
  }

  /** The attribute names, in Python's order (`expires`, `path`, ...). */
  keys(): IterableIterator<string> {
    return this.#attrs.keys();
  }

  /** The attribute values, in the order of `keys()`. */
  values(): IterableIterator<MorselAttributeValue> {
    return this.#attrs.values();
  }

  /** `[name, value]` for every attribute (Python's `morsel.items()`). */
  entries(): IterableIterator<[string, MorselAttributeValue]> {
    return this.#attrs.entries();
  }

  /** Same as `entries()`. */
  [Symbol.iterator](): IterableIterator<[string, MorselAttributeValue]> {
    return this.#attrs.entries();
  }

  /**
   * Python's `Morsel.OutputString(attrs)`: `name=coded` followed by the set
   * attributes, alphabetically, joined with `"; "`.
   * @param attrs - which attributes to write (all by default).
   * @throws CookieError when the text would hold a control character (see the module notes).
   */
  outputString(attrs?: AttributeFilter): string {
    const text = this.#render(attrs);
    const bad = CONTROL.exec(text);
    if (bad) {
      throw new CookieError(
        `Cannot output cookie ${pyRepr(pyStr(this.#key))}: control character ${pyRepr(bad[0])} in ${pyRepr(text)}`,
      );
    }
    return text;
  }

  /** Python's spelling of {@link Morsel.outputString}. */
  OutputString(attrs?: AttributeFilter): string {
    return this.outputString(attrs);
  }

  /**
   * Python's `Morsel.output(attrs, header)`: `header`, a space, then `outputString(attrs)`.
   * Takes Python's positional arguments or one options object.
   * @example
   * ```ts
   * const m = new Morsel();
   * m.set("a", "b", "b");
   * m.path = "/";
   * m.output();                       // "Set-Cookie: a=b; Path=/"
   * m.output({ header: "Cookie:" });  // "Cookie: a=b; Path=/"
   * ```
   */
  output(attrs?: AttributeFilter, header?: string): string;
  output(options: MorselOutputOptions): string;
  output(attrsOrOptions?: AttributeFilter | MorselOutputOptions, header = "Set-Cookie:"): string {
    if (isOptions(attrsOrOptions)) {
      return `${attrsOrOptions.header ?? "Set-Cookie:"} ${this.outputString(attrsOrOptions.attrs)}`;
    }
    return `${header} ${this.outputString(attrsOrOptions)}`;
  }

  /**
   * Python's `Morsel.js_output(attrs)`: a `<script>` element that sets
   * `document.cookie`, byte for byte as Python writes it.
   */
  jsOutput(attrs?: AttributeFilter): string {
    const text = this.outputString(attrs).replaceAll('"', '\\"');
    return `
        <script type="text/javascript">
        <!-- begin hiding
        document.cookie = "${text}";
        // end hiding -->
        </script>
        `;
  }

  /** Python's `repr(morsel)`: `<Morsel: name=coded; Path=/>` (control characters shown as they are). */
  repr(): string {
    return `<${pyTypeName(this)}: ${this.#render(undefined)}>`;
  }

  /** Python's `str(morsel)`: `output()`. */
  toString(): string {
    return this.output();
  }

  /** OutputString without the control-character check. */
  #render(attrs: AttributeFilter): string {
    const wanted = attributeTest(attrs);
    const parts = [`${pyStr(this.#key)}=${pyStr(this.#codedValue)}`];
    for (const key of SORTED_ATTRIBUTES) {
      const value = this.#attrs.get(key)!;
      if (value === "" || !wanted(key)) continue;
      const name = RESERVED.get(key)!;
      if (key === "expires" && isPyInt(value)) parts.push(`${name}=${getdate(Number(value))}`);
      else if (key === "max-age" && isPyInt(value)) parts.push(`${name}=${pyStr(Number(value))}`);
      else if (key === "comment" && typeof value === "string") parts.push(`${name}=${quote(value)}`);
      else if (FLAGS.has(key)) {
        if (pyTruthy(value)) parts.push(name);
      } else parts.push(`${name}=${pyStr(value)}`);
    }
    return parts.join("; ");
  }

  /** The `expires` attribute: a date string, or an integer number of seconds from now. */
  get expires(): MorselAttributeValue {
    return this.#attrs.get("expires")!;
  }
  /** Sets the attribute; an empty string means none. */
  set expires(value: MorselAttributeValue) {
    this.#attrs.set("expires", value);
  }

  /** The `Path` attribute. */
  get path(): MorselAttributeValue {
    return this.#attrs.get("path")!;
  }
  /** Sets the attribute; an empty string means none. */
  set path(value: MorselAttributeValue) {
    this.#attrs.set("path", value);
  }

  /** The `Comment` attribute (quoted like a value when written). */
  get comment(): MorselAttributeValue {
    return this.#attrs.get("comment")!;
  }
  /** Sets the attribute; an empty string means none. */
  set comment(value: MorselAttributeValue) {
    this.#attrs.set("comment", value);
  }

  /** The `Domain` attribute. */
  get domain(): MorselAttributeValue {
    return this.#attrs.get("domain")!;
  }
  /** Sets the attribute; an empty string means none. */
  set domain(value: MorselAttributeValue) {
    this.#attrs.set("domain", value);
  }

  /** The `Max-Age` attribute (Python's `morsel["max-age"]`). */
  get maxAge(): MorselAttributeValue {
    return this.#attrs.get("max-age")!;
  }
  /** Sets the attribute; an empty string means none. */
  set maxAge(value: MorselAttributeValue) {
    this.#attrs.set("max-age", value);
  }

  /** The `Secure` flag: written as the bare word when true. */
  get secure(): MorselAttributeValue {
    return this.#attrs.get("secure")!;
  }
  /** Sets the attribute; an empty string means none. */
  set secure(value: MorselAttributeValue) {
    this.#attrs.set("secure", value);
  }

  /** The `HttpOnly` flag: written as the bare word when true. */
  get httponly(): MorselAttributeValue {
    return this.#attrs.get("httponly")!;
  }
  /** Sets the attribute; an empty string means none. */
  set httponly(value: MorselAttributeValue) {
    this.#attrs.set("httponly", value);
  }

  /** The `Version` attribute. */
  get version(): MorselAttributeValue {
    return this.#attrs.get("version")!;
  }
  /** Sets the attribute; an empty string means none. */
  set version(value: MorselAttributeValue) {
    this.#attrs.set("version", value);
  }

  /** The `SameSite` attribute (`"Strict"`, `"Lax"`, `"None"`). */
  get samesite(): MorselAttributeValue {
    return this.#attrs.get("samesite")!;
  }
  /** Sets the attribute; an empty string means none. */
  set samesite(value: MorselAttributeValue) {
    this.#attrs.set("samesite", value);
  }
}

// ---------------------------------------------------------------------------
// The scanner: Python's _CookiePattern, matched from the left again and again.
//
//   \s* (?P<key>[K]+?) ( \s*=\s* (?P<val> "(?:[^\\"]|\\.)*"
//                                        | \w{3},\s[\w\d\s-]{9,11}\s[\d:]{8}\sGMT
//                                        | [V]* ) )? \s* (\s+|;|$)
//
// compiled with re.ASCII, so \s is [ \t\n\r\f\v] and \w is [A-Za-z0-9_].
// The regex backtracks; the scanner reaches the same first match by trying the
// same alternatives in the same order, with the runs of whitespace, name
// characters and value characters measured once, up front, so each alternative
// costs O(1) and a whole scan is linear.

const WS = 1;
const WORD = 2;
const DIGIT = 4;
const KEY = 8;
const VALUE = 16;
/** The classes of each ASCII character (the scanner treats everything else as in none). */
const CLASS = Uint8Array.from({ length: 128 }, (_, c) => {
  const ch = String.fromCharCode(c);
  let f = 0;
  if (" \t\n\r\f\v".includes(ch)) f |= WS;
  if (/[A-Za-z0-9_]/.test(ch)) f |= WORD | KEY | VALUE;
  if (/[0-9]/.test(ch)) f |= DIGIT;
  // Python's _LegalKeyChars besides \w; _LegalValueChars adds [ and ].
  if ("!#%&'~`><@,:/$*+-.^|)(?}{=".includes(ch)) f |= KEY | VALUE;
  if ("[]".includes(ch)) f |= VALUE;
  return f;
});

/** One piece of a cookie string: `key`, its value (null when there is no `=`), and where the match ended. */
export interface CookieToken {
  /** The name as written (`$Path`, `Max-Age`, `a`). */
  key: string;
  /** The value as written (quotes included), or null when the piece has no `=`. */
  value: string | null;
  /** Index just past the match (past its `;` or trailing whitespace). */
  end: number;
}

/** Counts the scanner's steps, so tests can show a scan is linear. */
export interface ScanCounter {
  /** Incremented once per character measured and once per candidate name end tried. */
  steps: number;
}

/**
 * Splits a cookie string into pieces exactly as Python's `_CookiePattern`
 * does when `BaseCookie.load` applies it from the start, then from the end of
 * each match, until it no longer matches (the rest is ignored, as in Python).
 * Runs in time linear in `text.length`.
 *
 * @param text - a `Cookie:` or `Set-Cookie:` header value.
 * @param counter - when given, receives the number of steps taken.
 * @example
 * ```ts
 * tokenizeCookie('a=b; $Path="/"; secure');
 * // [{ key: "a", value: "b", end: 4 }, { key: "$Path", value: '"/"', end: 15 },
 * //  { key: "secure", value: null, end: 22 }]
 * ```
 */
export function tokenizeCookie(text: string, counter?: ScanCounter): CookieToken[] {
  return [...scanCookie(text, counter)];
}

/** {@link tokenizeCookie}, lazily: `load()` stops pulling at the first invalid piece, as Python does. */
function* scanCookie(text: string, counter: ScanCounter = { steps: 0 }): Generator<CookieToken> {
  const n = text.length;
  const cls = (i: number): number => {
    const c = text.charCodeAt(i);
    return c < 128 ? CLASS[c]! : 0;
  };
  // wsEnd[i]: end of the whitespace run starting at i (i itself when none); likewise
  // keyEnd / valueEnd for name and value characters. quoteStop[i]: where the body of
  // a quoted string read from i stops: at a `"`, at a `\` it cannot pair (before
  // a line feed or at the end), or at n.
  const wsEnd = new Int32Array(n + 1);
  const keyEnd = new Int32Array(n + 1);
  const valueEnd = new Int32Array(n + 1);
  const quoteStop = new Int32Array(n + 1);
  wsEnd[n] = keyEnd[n] = valueEnd[n] = quoteStop[n] = n;
  for (let i = n - 1; i >= 0; i--) {
    const f = cls(i);
    wsEnd[i] = f & WS ? wsEnd[i + 1]! : i;
    keyEnd[i] = f & KEY ? keyEnd[i + 1]! : i;
    valueEnd[i] = f & VALUE ? valueEnd[i + 1]! : i;
    const c = text.charCodeAt(i);
    if (c === 0x22) quoteStop[i] = i;
    else if (c === 0x5c) quoteStop[i] = i + 1 < n && text.charCodeAt(i + 1) !== 0x0a ? quoteStop[i + 2]! : i;
    else quoteStop[i] = quoteStop[i + 1]!;
  }
  counter.steps += n;

  // `\s*(\s+|;|$)` from x: the end of the match, or -1.
  const tail = (x: number): number => {
    const y = wsEnd[x]!;
    if (y < n && text.charCodeAt(y) === 0x3b) return y + 1;
    if (y === n) return n;
    return y > x ? y : -1; // `\s*` gives back one space for `\s+`
  };

  // `\w{3},\s[\w\d\s-]{9,11}\s[\d:]{8}\sGMT` at b, then the tail; the longest date that lets the tail match.
  const date = (b: number): [number, number] | null => {
    if (b + 5 > n || !(cls(b) & WORD && cls(b + 1) & WORD && cls(b + 2) & WORD)) return null;
    if (text.charCodeAt(b + 3) !== 0x2c || !(cls(b + 4) & WS)) return null;
    let run = 0;
    while (run < 11 && b + 5 + run < n) {
      const f = cls(b + 5 + run);
      if (!(f & (WORD | WS) || text.charCodeAt(b + 5 + run) === 0x2d)) break;
      run++;
    }
    for (let len = run; len >= 9; len--) {
      const x = b + 5 + len; // the \s before the time
      if (x + 13 > n || !(cls(x) & WS) || !(cls(x + 9) & WS) || text.slice(x + 10, x + 13) !== "GMT")
        continue;
      let time = true;
      for (let k = x + 1; k <= x + 8 && time; k++)
        time = (cls(k) & DIGIT) !== 0 || text.charCodeAt(k) === 0x3a;
      if (!time) continue;
      const t = tail(x + 13);
      if (t >= 0) return [x + 13, t];
    }
    return null;
  };

  // The optional group `\s*=\s*(?P<val>...)` after a name ending at e, then the tail.
  const valueGroup = (e: number): { value: string; end: number } | null => {
    const a = wsEnd[e]!;
    if (a >= n || text.charCodeAt(a) !== 0x3d) return null;
    const b = wsEnd[a + 1]!;
    if (b < n && text.charCodeAt(b) === 0x22) {
      const s = quoteStop[b + 1]!;
      if (s < n && text.charCodeAt(s) === 0x22) {
        const t = tail(s + 1);
        if (t >= 0) return { value: text.slice(b, s + 1), end: t };
      }
    }
    const d = date(b);
    if (d) return { value: text.slice(b, d[0]), end: d[1] };
    const c = valueEnd[b]!;
    const t = tail(c);
    if (t >= 0) return { value: text.slice(b, c), end: t };
    // Backtracking the `\s*` after `=` by one space leaves an empty value that the
    // tail accepts (`a= "x` gives a=""), whenever there was a space to give back.
    if (b > a + 1) return { value: "", end: b };
    return null;
  };

  let i = 0;
  while (i < n) {
    const p = wsEnd[i]!;
    if (p >= n || !(cls(p) & KEY)) return;
    let token: CookieToken | null = null;
    // The name is lazy (`+?`): the shortest name for which the rest matches.
    for (let e = p + 1; e <= keyEnd[p]! && token === null; e++) {
      counter.steps++;
      const g = valueGroup(e);
      if (g) token = { key: text.slice(p, e), value: g.value, end: g.end };
      else {
        const t = tail(e);
        if (t >= 0) token = { key: text.slice(p, e), value: null, end: t };
      }
    }
    if (token === null) return;
    yield token;
    i = token.end;
  }
}

// ---------------------------------------------------------------------------
// BaseCookie and SimpleCookie

/** What `load()` and the constructor take besides a string: names → values or Morsels. */
export type CookieMapping =
  | Readonly<Record<string, CookieValue | Morsel>>
  | Iterable<readonly [string, CookieValue | Morsel]>;

/**
 * Python's `http.cookies.BaseCookie`: a Map of cookie name → {@link Morsel},
 * in insertion order, that reads `Cookie:` headers (`load`) and writes
 * `Set-Cookie:` headers (`output`, sorted by name as Python sorts them).
 *
 * `set(name, value)` (Python's `cookie[name] = value`) passes `value` through
 * `valueEncode` and stores the result in the name's Morsel, creating it or
 * keeping its attributes; a Morsel given as `value` is stored as it is.
 * BaseCookie's `valueEncode`/`valueDecode` keep values as they are; override
 * them, or use {@link SimpleCookie}, to quote.
 *
 * @example
 * ```ts
 * const c = new BaseCookie("a=1; b=2");
 * c.get("a")?.value; // "1"
 * [...c.keys()];     // ["a", "b"]
 * ```
 */
export class BaseCookie implements Iterable<[string, Morsel]> {
  /**
   * Longest string `load()` accepts; subclasses may change it.
   * @default MAX_COOKIE_STRING (65536)
   */
  static maxStringLength: number = MAX_COOKIE_STRING;

  #morsels = new Map<string, Morsel>();

  /**
   * @param input - when given (and not empty), passed to `load()`.
   * @throws CookieError as `load()` does.
   */
  constructor(input?: string | CookieMapping | null) {
    if (input !== undefined && input !== null && input !== "") this.load(input);
  }

  /**
   * Python's `value_decode(val)`: turns the text read from a header into
   * `[realValue, codedValue]`. BaseCookie keeps it as it is; override to decode.
   */
  valueDecode(val: string): [string, string] {
    return [val, val];
  }

  /**
   * Python's `value_encode(val)`: turns a value given to `set()` into
   * `[realValue, codedValue]`. BaseCookie uses Python's `str(val)` for both;
   * override to encode.
   */
  valueEncode(val: CookieValue): [string, string] {
    const s = pyStr(val);
    return [s, s];
  }

  /** The Morsel for `name`, or undefined. */
  get(name: string): Morsel | undefined {
    return this.#morsels.get(name);
  }

  /**
   * Python's `cookie[name] = value`: a Morsel is stored as it is; any other
   * value goes through `valueEncode` into the name's Morsel (created when new,
   * attributes kept when not).
   * @throws CookieError when `name` is an attribute name or has illegal characters.
   */
  set(name: string, value: CookieValue | Morsel): this {
    if (value instanceof Morsel) {
      this.#morsels.set(name, value);
    } else {
      const [real, coded] = this.valueEncode(value);
      this.#setValue(name, real, coded);
    }
    return this;
  }

  /** Whether there is a cookie named `name`. */
  has(name: string): boolean {
    return this.#morsels.has(name);
  }

  /** Removes the cookie named `name`; true when there was one. */
  delete(name: string): boolean {
    return this.#morsels.delete(name);
  }

  /** Removes every cookie. */
  clear(): void {
    this.#morsels.clear();
  }

  /** How many cookies there are. */
  get size(): number {
    return this.#morsels.size;
  }

  /** The names, in insertion order. */
  keys(): IterableIterator<string> {
    return this.#morsels.keys();
  }

  /** The Morsels, in insertion order. */
  values(): IterableIterator<Morsel> {
    return this.#morsels.values();
  }

  /** `[name, morsel]` pairs, in insertion order. */
  entries(): IterableIterator<[string, Morsel]> {
    return this.#morsels.entries();
  }

  /** Same as `entries()`. */
  [Symbol.iterator](): IterableIterator<[string, Morsel]> {
    return this.#morsels.entries();
  }

  /**
   * Python's `BaseCookie.load(rawdata)`: reads a cookie string (a `Cookie:`
   * header, or a `Set-Cookie:` value with attributes), or sets every
   * name → value of a mapping as `set()` would.
   *
   * A string is read as Python reads it (see the module notes): `name=value`
   * pieces separated by `;` or whitespace, attributes after the cookie they
   * belong to. When a piece is a name without `=`, or an attribute comes
   * before any cookie, the whole string is ignored; at a piece the pattern
   * cannot match at all, reading stops and what came before is kept.
   *
   * @throws CookieError when the string is longer than `maxStringLength`; when
   *   a name is legal to the parser but not to `Morsel.set` (`a/b=1`:
   *   `Illegal key 'a/b'`); when a `$` attribute is unknown (`$Port=80`:
   *   `Invalid attribute 'port'`). As in Python, cookies before the failing
   *   piece are already stored.
   * @example
   * ```ts
   * const c = new SimpleCookie();
   * c.load('keebler="E=everybody; L=\\"Loves\\"; fudge=\\012;";');
   * c.get("keebler")?.value; // 'E=everybody; L="Loves"; fudge=\n;'
   * ```
   */
  load(rawdata: string | CookieMapping): void {
    if (typeof rawdata === "string") {
      const limit = (this.constructor as typeof BaseCookie).maxStringLength;
      if (rawdata.length > limit) {
        throw new CookieError(
          `Cannot load cookie string of ${rawdata.length} characters: longer than the limit of ${limit}`,
        );
      }
      this.#parseString(rawdata);
      return;
    }
    const pairs = Symbol.iterator in rawdata ? rawdata : Object.entries(rawdata);
    for (const [name, value] of pairs) this.set(name, value);
  }

  /**
   * Python's `BaseCookie.output(attrs, header, sep)`: each Morsel's
   * `output(attrs, header)`, sorted by name, joined with `sep`.
   * Takes Python's positional arguments or one options object.
   * @throws CookieError when a morsel would render a control character.
   * @example
   * ```ts
   * const c = new SimpleCookie("a=1; b=2");
   * c.output();                                         // "Set-Cookie: a=1\r\nSet-Cookie: b=2"
   * c.output({ attrs: [], header: "Cookie:", sep: "; " }); // "Cookie: a=1; Cookie: b=2"
   * ```
   */
  output(attrs?: AttributeFilter, header?: string, sep?: string): string;
  output(options: CookieOutputOptions): string;
  output(
    attrsOrOptions?: AttributeFilter | CookieOutputOptions,
    header = "Set-Cookie:",
    sep = "\r\n",
  ): string {
    let attrs: AttributeFilter;
    if (isOptions(attrsOrOptions)) {
      attrs = attrsOrOptions.attrs;
      header = attrsOrOptions.header ?? "Set-Cookie:";
      sep = attrsOrOptions.sep ?? "\r\n";
    } else {
      attrs = attrsOrOptions;
    }
    return this.#sorted()
      .map(([, m]) => m.output(attrs, header))
      .join(sep);
  }

  /** Python's `BaseCookie.js_output(attrs)`: every Morsel's `jsOutput(attrs)`, sorted by name, concatenated. */
  jsOutput(attrs?: AttributeFilter): string {
    return this.#sorted()
      .map(([, m]) => m.jsOutput(attrs))
      .join("");
  }

  /** Python's `repr(cookie)`: `<SimpleCookie: a='1' b='2'>`. */
  repr(): string {
    const items = this.#sorted().map(([k, m]) => `${k}=${m.value === null ? "None" : pyRepr(m.value)}`);
    return `<${pyTypeName(this)}: ${items.join(" ")}>`;
  }

  /** Python's `str(cookie)`: `output()`. */
  toString(): string {
    return this.output();
  }

  #sorted(): Array<[string, Morsel]> {
    return [...this.#morsels].sort(([a], [b]) => compareCodePoints(a, b));
  }

  /** Python's private `__set`: the name's Morsel (new or existing) gets the value. */
  #setValue(name: string, real: string, coded: string): void {
    const m = this.#morsels.get(name) ?? new Morsel();
    m.set(name, real, coded);
    this.#morsels.set(name, m);
  }

  /** Python's private `__parse_string`: check the whole string, then apply it. */
  #parseString(text: string): void {
    type Item =
      | { kind: "attribute"; key: string; value: MorselAttributeValue }
      | { kind: "cookie"; key: string; real: string; coded: string };
    const items: Item[] = [];
    let morselSeen = false;
    for (const { key, value } of scanCookie(text)) {
      const lower = key.toLowerCase();
      if (key[0] === "$") {
        // $Version and the like before the first cookie are about the whole header (RFC 2965): skipped.
        if (!morselSeen) continue;
        items.push({ kind: "attribute", key: key.slice(1), value });
      } else if (RESERVED.has(lower)) {
        if (!morselSeen) return; // an attribute with no cookie: the string is invalid
        if (value === null) {
          if (!FLAGS.has(lower)) return; // `Path` without a value: invalid
          items.push({ kind: "attribute", key, value: true });
        } else {
          items.push({ kind: "attribute", key, value: unquote(value) });
        }
      } else if (value !== null) {
        const [real, coded] = this.valueDecode(value);
        items.push({ kind: "cookie", key, real, coded });
        morselSeen = true;
      } else {
        return; // a name with no value: invalid
      }
    }
    let current: Morsel | undefined;
    for (const item of items) {
      if (item.kind === "attribute") {
        current!.setAttribute(item.key, item.value);
      } else {
        this.#setValue(item.key, item.real, item.coded);
        current = this.#morsels.get(item.key);
      }
    }
  }
}

/**
 * Python's `http.cookies.SimpleCookie`: a {@link BaseCookie} whose values are
 * strings, quoted with Python's `_quote` on the way out (`"a b"` becomes
 * `"\"a b\""`, `,` and `;` and non-ASCII Latin-1 become octal escapes) and
 * unquoted on the way in.
 *
 * @example
 * ```ts
 * const c = new SimpleCookie();
 * c.set("val", "some,funky;stuff");
 * c.output(); // 'Set-Cookie: val="some\\054funky\\073stuff"'
 * c.load('a="x\\"y"');
 * c.get("a")?.value; // 'x"y'
 * ```
 */
export class SimpleCookie extends BaseCookie {
  /** Unquotes the header text: `[unquote(val), val]`. */
  override valueDecode(val: string): [string, string] {
    return [unquote(val), val];
  }

  /** `str(val)`, quoted for the wire: `[str(val), quote(str(val))]`. */
  override valueEncode(val: CookieValue): [string, string] {
    const s = pyStr(val);
    return [s, quote(s)];
  }
}

// Each class's `name`, written out: a minifier renames the classes themselves.
nameErrors({ CookieError });

nameClasses({ Morsel, BaseCookie, SimpleCookie });
