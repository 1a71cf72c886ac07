/**
 * The two `time` functions the mailbox formats use: `time.asctime` of a UTC
 * time (the date on a made-up `From ` line) and `time.strptime` with
 * `"%a %b %d %H:%M:%S %Y"` (reading that date back), as Python 3.11 does
 * them. Pure; private to `netkit/mailbox`.
 *
 * @module
 */

import { asctime, MONTH_ABBRS, MONTH_NAMES, WEEKDAY_ABBRS, WEEKDAY_NAMES } from "../_time.js";

// strptime's %a and %b match without case, the short or the long name.
const DAYS = [...WEEKDAY_ABBRS, ...WEEKDAY_NAMES].map((d) => d.toLowerCase());
const MONTHS = MONTH_ABBRS.map((m) => m.toLowerCase());
const LONG_MONTHS = MONTH_NAMES.map((m) => m.toLowerCase());

/**
 * Python's `time.asctime(time.gmtime(seconds))`: `Mon Dec  7 21:56:31 2026`
 * (the day of the month padded with a space).
 * @param seconds seconds since the epoch (default: now)
 */
export function asctimeUTC(seconds: number = Date.now() / 1000): string {
  return asctime(new Date(Math.floor(seconds) * 1000), true);
}

/**
 * Python's `calendar.timegm(time.strptime(text, "%a %b %d %H:%M:%S %Y"))`:
 * the seconds since the epoch, or `null` where Python raises `ValueError`.
 * Names match without case, short or long; the weekday is not checked
 * against the date (strptime does not either).
 * @param text the last five words of a `From ` line, joined by spaces
 */
export function parseAsctime(text: string): number | null {
  const m = /^\s*([A-Za-z]+)\s+([A-Za-z]+)\s+(\d{1,2})\s+(\d{1,2}):(\d{1,2}):(\d{1,2})\s+(\d{4})\s*$/.exec(
    text,
  );
  if (!m) return null;
  const [, wd, mon, dd, hh, mi, ss, yy] = m as unknown as string[];
  const w = wd!.toLowerCase();
  if (!DAYS.includes(w)) return null;
  const mo = mon!.toLowerCase();
  let month = MONTHS.indexOf(mo);
  if (month < 0) month = LONG_MONTHS.indexOf(mo);
  if (month < 0) return null;
  const day = Number(dd);
  const hour = Number(hh);
  const minute = Number(mi);
  const second = Number(ss);
  if (day < 1 || day > 31 || hour > 23 || minute > 59 || second > 61) return null;
  const year = Number(yy);
  // strptime checks the day against the month's length (ValueError: day is out of range).
  const monthDays = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  if (day > monthDays) return null;
  const t = new Date(0);
  t.setUTCFullYear(year, month, day);
  t.setUTCHours(hour, minute, second, 0);
  return t.getTime() / 1000;
}
