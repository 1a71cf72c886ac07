/**
 * Dates as the HTTP server writes and reads them: Python's
 * `email.utils.formatdate(usegmt=True)` for `Date` and `Last-Modified`,
 * `BaseHTTPRequestHandler.log_date_time_string` for log lines, and
 * `email.utils.parsedate_to_datetime` (CPython's `_parsedate_tz`, ported
 * with its quirks) for `If-Modified-Since`.
 *
 * @module
 */
import { parsedateTz } from "../../_parsedate.js";
import { MONTH_ABBRS, pyWeekday, WEEKDAY_ABBRS } from "../../_time.js";

export { type ParsedDate, parsedateTz } from "../../_parsedate.js";

const MONTHS = MONTH_ABBRS;
const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** Python's `email.utils.formatdate(timestamp, usegmt=True)`: `Sun, 06 Nov 1994 08:49:37 GMT`. */
export function formatHttpDate(timestamp: number): string {
  const d = new Date(Math.floor(timestamp) * 1000);
  return `${WEEKDAY_ABBRS[pyWeekday(d.getUTCDay())]}, ${pad(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${pad(d.getUTCFullYear(), 4)} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} GMT`;
}

/** Python's `log_date_time_string()` for `timestamp` (local time): `06/Nov/1994 08:49:37`. */
export function formatLogDate(timestamp: number): string {
  const d = new Date(timestamp * 1000);
  return `${pad(d.getDate())}/${MONTHS[d.getMonth()]}/${pad(d.getFullYear(), 4)} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
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
