/**
 * CPython's `email._parseaddr._parsedate_tz`, the lenient RFC 2822 date
 * parser, written once: http.server reads `If-Modified-Since` with it and
 * netkit/email's `parsedateTz` returns its fields as Python's 10-tuple.
 *
 * @module
 */

import { MONTH_ABBRS, MONTH_NAMES, WEEKDAY_ABBRS } from "./_time.js";

// _parseaddr's _monthnames and _daynames: the short month names, then the long ones (index mod 12 is the month).
const MONTHS = [...MONTH_ABBRS, ...MONTH_NAMES].map((m) => m.toLowerCase());
const DAYS = WEEKDAY_ABBRS.map((d) => d.toLowerCase());
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

/** CPython's `email._parseaddr._parsedate_tz`, field for field; `null` where it returns None. Pure. */
export function parsedateTz(input: string): ParsedDate | null {
  if (!input) return null;
  let data = input.split(PY_SPACE).filter((w) => w !== "");
  if (data.length === 0) return null;
  if (data[0]!.endsWith(",") || DAYS.includes(data[0]!.toLowerCase())) data.shift();
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
  if (!MONTHS.includes(mm)) {
    [dd, mm] = [mm, dd.toLowerCase()];
    if (!MONTHS.includes(mm)) return null;
  }
  let month = MONTHS.indexOf(mm) + 1;
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
