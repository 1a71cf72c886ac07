/**
 * The names and the one text form of a date that Python's `time` module
 * gives every protocol (internal): the C locale's month and weekday names,
 * short and long, and `time.asctime`'s `Mon Dec  7 21:56:31 2026`. HTTP,
 * cookies, email, mailbox and imaplib format and read their own date lines
 * with these, so no module keeps its own copy of the names.
 *
 * @module
 */

/** Python's `calendar.month_abbr[1:]` in the C locale: `"Jan"` ... `"Dec"` (index = JavaScript's month). */
export const MONTH_ABBRS = [
  "Jan",
  "Feb",
  "Mar",
  "Apr",
  "May",
  "Jun",
  "Jul",
  "Aug",
  "Sep",
  "Oct",
  "Nov",
  "Dec",
] as const;

/** Python's `calendar.month_name[1:]` in the C locale: `"January"` ... `"December"` (index = JavaScript's month). */
export const MONTH_NAMES = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
] as const;

/** Python's `calendar.day_abbr` in the C locale: `"Mon"` ... `"Sun"` (index = Python's `tm_wday`, Monday 0). */
export const WEEKDAY_ABBRS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"] as const;

/** Python's `calendar.day_name` in the C locale: `"Monday"` ... `"Sunday"` (index = Python's `tm_wday`, Monday 0). */
export const WEEKDAY_NAMES = [
  "Monday",
  "Tuesday",
  "Wednesday",
  "Thursday",
  "Friday",
  "Saturday",
  "Sunday",
] as const;

/** Python's `tm_wday` (Monday 0) of JavaScript's `getDay()` (Sunday 0). */
export function pyWeekday(jsDay: number): number {
  return (jsDay + 6) % 7;
}

/**
 * Python's `time.asctime(t)` (and `time.ctime`): `Mon Dec  7 21:56:31 2026`,
 * the day of the month padded with a space.
 * @param d the time
 * @param utc the UTC fields (`time.gmtime`), else the local ones (`time.localtime`)
 */
export function asctime(d: Date, utc: boolean): string {
  const two = (n: number) => String(n).padStart(2, "0");
  const [day, month, date, hours, minutes, seconds, year] = utc
    ? [
        d.getUTCDay(),
        d.getUTCMonth(),
        d.getUTCDate(),
        d.getUTCHours(),
        d.getUTCMinutes(),
        d.getUTCSeconds(),
        d.getUTCFullYear(),
      ]
    : [d.getDay(), d.getMonth(), d.getDate(), d.getHours(), d.getMinutes(), d.getSeconds(), d.getFullYear()];
  return `${WEEKDAY_ABBRS[pyWeekday(day)]} ${MONTH_ABBRS[month]} ${String(date).padStart(2, " ")} ${two(hours)}:${two(minutes)}:${two(seconds)} ${year}`;
}
