/**
 * Dates as the HTTP server writes and reads them: Python's
 * `email.utils.formatdate(usegmt=True)` for `Date` and `Last-Modified`,
 * `BaseHTTPRequestHandler.log_date_time_string` for log lines, and
 * `email.utils.parsedate_to_datetime` (CPython's `_parsedate_tz`, ported
 * with its quirks) for `If-Modified-Since`.
 *
 * @module
 */

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** Python's `email.utils.formatdate(timestamp, usegmt=True)`: `Sun, 06 Nov 1994 08:49:37 GMT`. */
export function formatHttpDate(timestamp: number): string {
  const d = new Date(Math.floor(timestamp) * 1000);
  return `${DAYS[d.getUTCDay()]}, ${pad(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${pad(d.getUTCFullYear(), 4)} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} GMT`;
}

/** Python's `log_date_time_string()` for `timestamp` (local time): `06/Nov/1994 08:49:37`. */
export function formatLogDate(timestamp: number): string {
  const d = new Date(timestamp * 1000);
  return `${pad(d.getDate())}/${MONTHS[d.getMonth()]}/${pad(d.getFullYear(), 4)} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

const MONTH_NAMES = [
  "jan",
  "feb",
  "mar",
  "apr",
  "may",
  "jun",
  "jul",
  "aug",
  "sep",
  "oct",
  "nov",
  "dec",
  "january",
  "february",
  "march",
  "april",
  "may",
  "june",
  "july",
  "august",
  "september",
  "october",
  "november",
  "december",
];
const DAY_NAMES = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
const ZONES: Record<string, number> = {
  UT: 0,
  UTC: 0,
  GMT: 0,
  Z: 0,
  AST: -400,
  ADT: -300,
  EST: -500,
  EDT: -400,
  CST: -600,
  CDT: -500,
  MST: -700,
  MDT: -600,
  PST: -800,
  PDT: -700,
};
// biome-ignore lint/suspicious/noControlCharactersInRegex: Python's whitespace includes \x1c-\x1f
const PY_SPACE = /[\t\n\v\f\r \x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;

/** Python's `int(text)` for ASCII decimal text (surrounding spaces, a sign, `_` between digits); NaN otherwise. */
function pyInt(text: string): number {
  const m = /^[\t\n\v\f\r ]*([+-]?)(\d+(?:_\d+)*)[\t\n\v\f\r ]*$/.exec(text);
  if (!m) return Number.NaN;
  const n = Number(m[2]!.replaceAll("_", ""));
  return m[1] === "-" ? -n : n;
}

/** A parsed date: the wall-clock fields and the zone offset in seconds (`null`: `-0000` or no zone). */
export interface ParsedDate {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  tzoffset: number | null;
}

/** CPython's `email._parseaddr._parsedate_tz`, field for field; `null` where it returns None. */
export function parsedateTz(input: string): ParsedDate | null {
  if (!input) return null;
  let data = input.split(PY_SPACE).filter((w) => w !== "");
  if (data.length === 0) return null;
  if (data[0]!.endsWith(",") || DAY_NAMES.includes(data[0]!.toLowerCase())) data.shift();
  else {
    const i = data[0]!.lastIndexOf(",");
    if (i >= 0) data[0] = data[0]!.slice(i + 1);
  }
  if (data.length === 3) {
    const stuff = data[0]!.split("-");
    if (stuff.length === 3) data = [...stuff, ...data.slice(1)];
  }
  if (data.length === 4) {
    const s = data[3]!;
    let i = s.indexOf("+");
    if (i === -1) i = s.indexOf("-");
    if (i > 0) data.splice(3, 1, s.slice(0, i), s.slice(i));
    else data.push("");
  }
  if (data.length < 5) return null;
  let [dd, mm, yy, tm, tz] = data.slice(0, 5) as [string, string, string, string, string];
  if (!(dd && mm && yy)) return null;
  mm = mm.toLowerCase();
  if (!MONTH_NAMES.includes(mm)) {
    [dd, mm] = [mm, dd.toLowerCase()];
    if (!MONTH_NAMES.includes(mm)) return null;
  }
  let month = MONTH_NAMES.indexOf(mm) + 1;
  if (month > 12) month -= 12;
  if (dd.endsWith(",")) dd = dd.slice(0, -1);
  if (yy.indexOf(":") > 0) [yy, tm] = [tm, yy];
  if (yy.endsWith(",")) {
    yy = yy.slice(0, -1);
    if (!yy) return null;
  }
  if (!/^\d/.test(yy)) [yy, tz] = [tz, yy];
  if (tm.endsWith(",")) tm = tm.slice(0, -1);
  let parts = tm.split(":");
  let thh: string;
  let tmm: string;
  let tss = "0";
  if (parts.length === 2) [thh, tmm] = parts as [string, string];
  else if (parts.length === 3) [thh, tmm, tss] = parts as [string, string, string];
  else if (parts.length === 1 && parts[0]!.includes(".")) {
    parts = parts[0]!.split(".");
    if (parts.length === 2) [thh, tmm] = parts as [string, string];
    else if (parts.length === 3) [thh, tmm, tss] = parts as [string, string, string];
    else return null;
  } else return null;
  let year = pyInt(yy);
  const day = pyInt(dd);
  const hour = pyInt(thh);
  const minute = pyInt(tmm);
  const second = pyInt(tss);
  if ([year, day, hour, minute, second].some(Number.isNaN)) return null;
  if (year < 100) year += year > 68 ? 1900 : 2000;
  let tzoffset: number | null = null;
  const zone = tz.toUpperCase();
  if (Object.hasOwn(ZONES, zone)) tzoffset = ZONES[zone]!;
  else {
    const n = pyInt(zone);
    if (!Number.isNaN(n)) tzoffset = n;
    if (tzoffset === 0 && zone.startsWith("-")) tzoffset = null;
  }
  if (tzoffset) {
    const sign = tzoffset < 0 ? -1 : 1;
    const abs = Math.abs(tzoffset);
    tzoffset = sign * (Math.floor(abs / 100) * 3600 + (abs % 100) * 60);
  }
  return { year, month, day, hour, minute, second, tzoffset };
}

function daysIn(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
}

/**
 * What `SimpleHTTPRequestHandler.send_head` makes of `If-Modified-Since`:
 * the time in seconds since the epoch when the date parses, is a valid
 * `datetime`, and is in UTC (or names no zone); `null` when Python ignores
 * the header (ill-formed, or an offset other than zero).
 */
export function ifModifiedSinceSeconds(value: string): number | null {
  const d = parsedateTz(value);
  if (d === null) return null;
  // datetime(...) and timezone(timedelta(seconds=tz)) raise ValueError for these:
  if (d.year < 1 || d.year > 9999 || d.month < 1 || d.month > 12) return null;
  if (d.day < 1 || d.day > daysIn(d.year, d.month)) return null;
  if (d.hour < 0 || d.hour > 23 || d.minute < 0 || d.minute > 59 || d.second < 0 || d.second > 59)
    return null;
  if (d.tzoffset !== null && Math.abs(d.tzoffset) >= 86400) return null;
  if (d.tzoffset !== null && d.tzoffset !== 0) return null; // only timezone.utc is compared
  const ms = Date.UTC(2000, d.month - 1, d.day, d.hour, d.minute, d.second);
  const shift = new Date(ms);
  shift.setUTCFullYear(d.year);
  return shift.getTime() / 1000;
}
