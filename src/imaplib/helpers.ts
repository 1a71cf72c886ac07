/**
 * imaplib's module functions: `Int2AP` (the tag prefix's letters),
 * `ParseFlags` (the flags of a FETCH response), `Internaldate2tuple` and
 * `Time2Internaldate` (RFC 3501's `date-time`, `"17-Jul-1996 02:44:25 -0700"`).
 * Pure; the local time zone is the process's, as Python's `time.localtime`.
 *
 * @module
 */

import { MONTH_ABBRS } from "../_time.js";
import { KeyError, ValueError } from "../errors/index.js";

/**
 * Python's `time.struct_time` as a tuple: year, month (1-12), day, hour,
 * minute, second, weekday (Monday 0), day of the year (1-366), DST flag.
 */
export type StructTime = [
  year: number,
  mon: number,
  mday: number,
  hour: number,
  min: number,
  sec: number,
  wday: number,
  yday: number,
  isdst: number,
];

/** Python's `Months`: index 1 is "Jan". */
const MONTHS: readonly string[] = ["", ...MONTH_ABBRS];

/** Python's `InternalDate` pattern (matched at the start, `.` stopping at LF). */
const INTERNAL_DATE =
  /^[^\n]*INTERNALDATE "([ 0123][0-9])-([A-Z][a-z][a-z])-([0-9]{4}) ([0-9]{2}):([0-9]{2}):([0-9]{2}) ([-+])([0-9]{2})([0-9]{2})"/;

/** Python's `Flags` pattern. */
const FLAGS = /^[^\n]*FLAGS \(([^)]*)\)/;

/**
 * Python's `Int2AP(num)`: `num` in base 16 with the digits A to P (imaplib
 * makes its tag prefix so).
 * @returns the letters as bytes; empty for 0
 * @example
 * ```ts
 * Int2AP(4096).toString(); // "BAAA"
 * ```
 */
export function Int2AP(num: number): Buffer {
  let n = Math.trunc(Math.abs(num));
  let out = "";
  while (n > 0) {
    out = String.fromCharCode(0x41 + (n % 16)) + out;
    n = Math.floor(n / 16);
  }
  return Buffer.from(out, "latin1");
}

/**
 * Python's `ParseFlags(resp)`: the flags of a FETCH response's `FLAGS (...)`.
 * @param resp a FETCH response (bytes, or text read as Latin-1)
 * @returns the flags, split on ASCII whitespace; empty when there is no `FLAGS (...)`
 * @example
 * ```ts
 * ParseFlags(Buffer.from("1 (FLAGS (\\Seen \\Flagged))")).map(String); // ["\\Seen", "\\Flagged"]
 * ```
 */
export function ParseFlags(resp: Uint8Array | string): Buffer[] {
  const text = typeof resp === "string" ? resp : Buffer.from(resp).toString("latin1");
  const m = FLAGS.exec(text);
  if (m === null) return [];
  // bytes.split(): runs of ASCII whitespace (space, \t, \n, \v, \f, \r).
  return (m[1] as string)
    .split(/[ \t\n\v\f\r]+/)
    .filter((f) => f !== "")
    .map((f) => Buffer.from(f, "latin1"));
}

/** The local time of `ms` (since the epoch) as Python's `time.localtime` returns it. */
export function localStructTime(ms: number): StructTime {
  const d = new Date(ms);
  const start = new Date(d.getFullYear(), 0, 1);
  const yday =
    Math.round(
      (Date.UTC(d.getFullYear(), d.getMonth(), d.getDate()) - Date.UTC(start.getFullYear(), 0, 1)) /
        86_400_000,
    ) + 1;
  const jan = new Date(d.getFullYear(), 0, 1).getTimezoneOffset();
  const jul = new Date(d.getFullYear(), 6, 1).getTimezoneOffset();
  const isdst = jan !== jul && d.getTimezoneOffset() === Math.min(jan, jul) ? 1 : 0;
  return [
    d.getFullYear(),
    d.getMonth() + 1,
    d.getDate(),
    d.getHours(),
    d.getMinutes(),
    d.getSeconds(),
    (d.getDay() + 6) % 7,
    yday,
    isdst,
  ];
}

/**
 * Python's `Internaldate2tuple(resp)`: the `INTERNALDATE "..."` of a FETCH
 * response as local time.
 * @param resp a FETCH response (bytes, or text read as Latin-1)
 * @returns the local time; `null` when the response has no well-formed INTERNALDATE
 * @throws KeyError for a month name that is not one (`"Foo"`), as Python
 * @example
 * ```ts
 * Internaldate2tuple(Buffer.from('1 (INTERNALDATE "17-Jul-1996 02:44:25 -0700")'));
 * // in UTC: [1996, 7, 17, 9, 44, 25, 2, 199, 0]
 * ```
 */
export function Internaldate2tuple(resp: Uint8Array | string): StructTime | null {
  const text = typeof resp === "string" ? resp : Buffer.from(resp).toString("latin1");
  const m = INTERNAL_DATE.exec(text);
  if (m === null) return null;
  const [, day, monName, year, hour, min, sec, zonen, zoneh, zonem] = m as unknown as string[];
  const mon = MONTHS.indexOf(monName as string);
  if (mon < 1) throw new KeyError(monName as string);
  let zone = (Number(zoneh) * 60 + Number(zonem)) * 60;
  if (zonen === "-") zone = -zone;
  const utc =
    Date.UTC(Number(year), mon - 1, Number((day as string).trim()), Number(hour), Number(min), Number(sec)) /
      1000 -
    zone;
  return localStructTime(utc * 1000);
}

/** A date `Time2Internaldate` takes. */
export type InternalDateInput = number | Date | StructTime | readonly number[] | string;

function pad(n: number, width = 2): string {
  return String(n).padStart(width, "0");
}

/** `"DD-Mon-YYYY HH:MM:SS +HHMM"` for the wall-clock fields and offset (minutes east of UTC). */
function format(y: number, mo: number, d: number, h: number, mi: number, s: number, offset: number): string {
  const sign = offset < 0 ? "-" : "+";
  const abs = Math.abs(offset);
  return `"${pad(d)}-${MONTHS[mo]}-${pad(y, 4)} ${pad(h)}:${pad(mi)}:${pad(s)} ${sign}${pad(Math.floor(abs / 60))}${pad(abs % 60)}"`;
}

/**
 * Python's `Time2Internaldate(date_time)`: a date as RFC 3501's quoted
 * `date-time`, for APPEND.
 * @param dateTime seconds since the epoch, or a `Date` (both shown in the
 *   local time zone, as Python shows a timestamp); a local time tuple
 *   (`time.localtime()`'s fields); or a string already in double quotes
 *   (returned as it is). Python's aware `datetime` keeps its own zone; a
 *   `Date` has none, so it is shown in local time.
 * @returns `"DD-Mon-YYYY HH:MM:SS +HHMM"`, quotes included
 * @throws ValueError for anything else ("date_time not of a known type")
 * @example
 * ```ts
 * Time2Internaldate(0); // in UTC: '"01-Jan-1970 00:00:00 +0000"'
 * ```
 */
export function Time2Internaldate(dateTime: InternalDateInput): string {
  if (typeof dateTime === "number" || dateTime instanceof Date) {
    const d = typeof dateTime === "number" ? new Date(dateTime * 1000) : dateTime;
    if (Number.isNaN(d.getTime())) throw new ValueError("date_time not of a known type");
    const [y, mo, day, h, mi, sec] = localStructTime(d.getTime());
    return format(y, mo, day, h, mi, sec, -d.getTimezoneOffset());
  }
  if (Array.isArray(dateTime) && dateTime.length >= 6) {
    const [y, mo, d, h, mi, s] = dateTime as number[];
    // The tuple is local time: its offset is the local zone's at that moment.
    const local = new Date(y as number, (mo as number) - 1, d, h, mi, s);
    return format(
      y as number,
      mo as number,
      d as number,
      h as number,
      mi as number,
      s as number,
      -local.getTimezoneOffset(),
    );
  }
  if (typeof dateTime === "string" && dateTime.length > 0 && dateTime[0] === '"' && dateTime.at(-1) === '"') {
    return dateTime;
  }
  throw new ValueError("date_time not of a known type");
}
