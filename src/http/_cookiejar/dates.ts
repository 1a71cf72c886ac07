/**
 * The date functions of Python's `http.cookiejar` (internal; re-exported by
 * `netkit/http/cookiejar`): `http2time`, `iso2time`, `time2isoz`,
 * `time2netscape`, with Python 3.11's regular expressions translated so they
 * match the same text (ASCII `\s`, `\d`, `\w`; `$` before a final newline).
 *
 * @module
 */

import { ASCII_WS, PY_END, pyInt, pyLstrip } from "../../_pystr.js";
import { MONTH_ABBRS, WEEKDAY_ABBRS } from "../../_time.js";
import { OverflowError, pyRepr, ValueError } from "../../errors/index.js";

const DAYS = WEEKDAY_ABBRS;
const MONTHS = MONTH_ABBRS;
const MONTHS_LOWER = MONTHS.map((m) => m.toLowerCase());
const EPOCH_YEAR = 1970;
const MAX_YEAR = 9999;

/** Python's `datetime.utcfromtimestamp(t)` fields (half-even rounding to microseconds, years 1..9999). */
function utcFields(t: number | undefined): Date {
  if (t === undefined) return new Date(Math.floor(Date.now() / 1000) * 1000);
  if (Number.isNaN(t)) throw new ValueError("Invalid value NaN (not a number)");
  if (!Number.isFinite(t)) throw new OverflowError("cannot convert float infinity to integer");
  let whole = Math.trunc(t);
  const us = roundHalfEven((t - whole) * 1e6);
  if (us >= 1e6) whole += 1;
  else if (us < 0) whole -= 1;
  const date = new Date(whole * 1000);
  const year = date.getUTCFullYear();
  if (Number.isNaN(date.getTime()) || year < 1 || year > MAX_YEAR) {
    throw new ValueError(`year ${Number.isNaN(year) ? "?" : year} is out of range`);
  }
  return date;
}

/** C's `round()` (half away from zero), then Python's half-even correction. */
function roundHalfEven(x: number): number {
  const cround = (v: number) => {
    const a = Math.abs(v);
    let r = Math.floor(a);
    if (a - r >= 0.5) r += 1;
    return v < 0 ? -r : r;
  };
  let r = cround(x);
  if (Math.abs(x - r) === 0.5) r = 2 * cround(x / 2);
  return r;
}

const pad = (n: number, width: number) => String(n).padStart(width, "0");

/**
 * Python's `http.cookiejar.time2isoz(t)`: `"YYYY-MM-DD hh:mm:ssZ"` in UTC.
 *
 * @param t seconds since the epoch; the current time when omitted
 * @throws {ValueError} for a time outside the years 1..9999 (as Python)
 * @example
 * ```ts
 * time2isoz(0); // "1970-01-01 00:00:00Z"
 * ```
 */
export function time2isoz(t?: number): string {
  const d = utcFields(t);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)} ${pad(
    d.getUTCHours(),
    2,
  )}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}Z`;
}

/**
 * Python's `http.cookiejar.time2netscape(t)`: `"Wed, DD-Mon-YYYY HH:MM:SS GMT"`.
 *
 * @param t seconds since the epoch; the current time when omitted
 * @throws {ValueError} for a time outside the years 1..9999 (as Python)
 * @example
 * ```ts
 * time2netscape(0); // "Thu, 01-Jan-1970 00:00:00 GMT"
 * ```
 */
export function time2netscape(t?: number): string {
  const d = utcFields(t);
  return `${DAYS[(d.getUTCDay() + 6) % 7]}, ${pad(d.getUTCDate(), 2)}-${MONTHS[d.getUTCMonth()]}-${pad(
    d.getUTCFullYear(),
    4,
  )} ${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)} GMT`;
}

/** Python's `calendar.timegm` behind `_timegm`'s range check; `null` outside it. */
function timegm(
  year: number,
  month: number,
  mday: number,
  hour: number,
  min: number,
  sec: number,
): number | null {
  if (
    !(
      year >= EPOCH_YEAR &&
      month >= 1 &&
      month <= 12 &&
      mday >= 1 &&
      mday <= 31 &&
      hour >= 0 &&
      hour <= 24 &&
      min >= 0 &&
      min <= 59 &&
      sec >= 0 &&
      sec <= 61
    )
  ) {
    return null;
  }
  const days = Date.UTC(year, month - 1, 1) / 86_400_000 + mday - 1;
  return ((days * 24 + hour) * 60 + min) * 60 + sec;
}

const TIMEZONE_RE = new RegExp(`^([-+])?(\\d\\d?):?(\\d\\d)?${PY_END}`);
const UTC_ZONES = new Set(["GMT", "UTC", "UT", "Z"]);

/** Python's `offset_from_tz_string`: seconds east of UTC, or `null` for an unknown zone. */
function offsetFromTzString(tz: string): number | null {
  if (UTC_ZONES.has(tz)) return 0;
  const m = TIMEZONE_RE.exec(tz);
  if (!m) return null;
  let offset = 3600 * Number(m[2]);
  if (m[3]) offset += 60 * Number(m[3]);
  return m[1] === "-" ? -offset : offset;
}

/** Python's `int()` of a run of ASCII digits the regex already checked. */
function intOf(text: string): number {
  const n = pyInt(text);
  if (n === undefined) throw new ValueError(`invalid literal for int() with base 10: ${pyRepr(text)}`);
  return n;
}

/** Python's `_str2time`. */
function str2time(
  dayText: string,
  monText: string,
  yrText: string,
  hrText: string | undefined,
  minText: string | undefined,
  secText: string | undefined,
  tzText: string | undefined,
): number | null {
  let yr = intOf(yrText);
  if (yr > MAX_YEAR) return null;
  let mon = MONTHS_LOWER.indexOf(monText.toLowerCase()) + 1;
  if (mon === 0) {
    const imon = pyInt(monText);
    if (imon === undefined || imon < 1 || imon > 12) return null;
    mon = imon;
  }
  const day = intOf(dayText);
  const hr = intOf(hrText ?? "0");
  const min = intOf(minText ?? "0");
  const sec = intOf(secText ?? "0");
  if (yr < 1000) {
    // Python picks the century that brings a 2-digit year closest to the local current year.
    const curYr = new Date().getFullYear();
    let m = curYr % 100;
    const tmp = yr;
    yr = yr + curYr - m;
    m = m - tmp;
    if (Math.abs(m) > 50) yr += m > 0 ? 100 : -100;
  }
  let t = timegm(yr, mon, day, hr, min, sec);
  if (t !== null) {
    const offset = offsetFromTzString((tzText ?? "UTC").toUpperCase());
    if (offset === null) return null;
    t -= offset;
  }
  return t;
}

const STRICT_DATE_RE = new RegExp(
  `^[SMTWF][a-z][a-z], (\\d\\d) ([JFMASOND][a-z][a-z]) (\\d\\d\\d\\d) (\\d\\d):(\\d\\d):(\\d\\d) GMT${PY_END}`,
);
const WEEKDAY_RE = new RegExp(`^(?:Sun|Mon|Tue|Wed|Thu|Fri|Sat)[a-z]*,?[${ASCII_WS}]*`, "i");
const S = `[${ASCII_WS}]`;
const LOOSE_HTTP_DATE_RE = new RegExp(
  `^(\\d\\d?)(?:${S}+|[-/])(\\w+)(?:${S}+|[-/])(\\d+)` +
    `(?:(?:${S}+|:)(\\d\\d?):(\\d\\d)(?::(\\d\\d))?)?${S}*` +
    `(?:([-+]?\\d{2,4}|(?![APap][Mm]\\b)[A-Za-z]+)${S}*)?` +
    `(?:\\(\\w+\\)${S}*)?${PY_END}`,
);

/**
 * Python's `http.cookiejar.http2time(text)`: seconds since the epoch of an
 * HTTP date in any of the loose forms Python accepts (RFC 1123, RFC 850,
 * asctime-less variants, numeric zones), or `null` when the text is not one.
 * Two-digit years take the century closest to the current year. A strict
 * RFC 1123 date returns Python's float seconds (a whole number here).
 *
 * @throws {ValueError} where Python raises: a strict-looking date whose month
 *   is not a month name (`"Wed, 09 Jxx 1994 22:23:32 GMT"`)
 * @example
 * ```ts
 * http2time("Wed, 09 Feb 1994 22:23:32 GMT"); // 760833812
 * http2time("08-Feb-94 14:15:29 GMT");        // 760716929
 * ```
 */
export function http2time(text: string): number | null {
  const strict = STRICT_DATE_RE.exec(text);
  if (strict) {
    const mon = MONTHS_LOWER.indexOf(strict[2]!.toLowerCase()) + 1;
    if (mon === 0) throw new ValueError(`${pyRepr(strict[2]!.toLowerCase())} is not in list`);
    return timegm(
      Number(strict[3]),
      mon,
      Number(strict[1]),
      Number(strict[4]),
      Number(strict[5]),
      Number(strict[6]),
    );
  }
  const cleaned = pyLstrip(text).replace(WEEKDAY_RE, "");
  const m = LOOSE_HTTP_DATE_RE.exec(cleaned);
  if (!m) return null;
  return str2time(m[1]!, m[2]!, m[3]!, m[4], m[5], m[6], m[7]);
}

const ISO_DATE_RE = new RegExp(
  `^(\\d{4})[-/]?(\\d\\d?)[-/]?(\\d\\d?)` +
    `(?:(?:${S}+|[-:Tt])(\\d\\d?):?(\\d\\d)(?::?(\\d\\d(?:\\.\\d*)?))?)?${S}*` +
    `(?:([-+]?\\d\\d?:?(:?\\d\\d)?|Z|z)${S}*)?${PY_END}`,
);

/**
 * Python's `http.cookiejar.iso2time(text)`: seconds since the epoch of an
 * ISO 8601 date (`1994-02-03 14:15:29 -0100`, `19940203T141529Z`,
 * `1994-02-03`), or `null`.
 *
 * @throws {ValueError} where Python raises: fractional seconds (`"...:29.5"`),
 *   which the pattern accepts and `int()` then refuses
 * @example
 * ```ts
 * iso2time("1994-02-03 14:15:29 -0100"); // 760288529
 * ```
 */
export function iso2time(text: string): number | null {
  const m = ISO_DATE_RE.exec(pyLstrip(text));
  if (!m) return null;
  return str2time(m[3]!, m[2]!, m[1]!, m[4], m[5], m[6], m[7]);
}
