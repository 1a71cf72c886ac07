/**
 * What nntplib reads out of the server's text, as pure functions (no I/O),
 * each Python's private helper of the same job: the overview format and
 * overview lines (`_parse_overview_fmt`, `_parse_overview`), the DATE and
 * NEWNEWS/NEWGROUPS timestamps (`_parse_datetime`, `_unparse_datetime`),
 * the CAPABILITIES list, group lists (`_grouplist`) and the article
 * reply line (`_statparse`); and Python's two named tuples, `GroupInfo` and
 * `ArticleInfo`.
 *
 * Where Python lets `int()`'s `ValueError` (or an unpacking error) escape
 * for broken server data, these throw `NNTPDataError`, so every fault of
 * the server's making is one typed error.
 *
 * @module
 */
import { PY_WS, pyInt } from "../_pystr.js";
import { NNTPDataError, NNTPReplyError } from "./errors.js";

/** Python's `_DEFAULT_OVERVIEW_FMT`: the seven fields every overview line starts with (RFC 3977 8.4). */
export const DEFAULT_OVERVIEW_FMT: readonly string[] = Object.freeze([
  "subject",
  "from",
  "date",
  "message-id",
  "references",
  ":bytes",
  ":lines",
]);

/** Python's `_OVERVIEW_FMT_ALTERNATIVES`: old names for the metadata fields. */
const FMT_ALTERNATIVES: Record<string, string> = { bytes: ":bytes", lines: ":lines" };

/** Python's `_LONGRESP`: the reply codes a dot-terminated block follows. */
export const LONGRESP: ReadonlySet<string> = new Set([
  "100", // HELP
  "101", // CAPABILITIES
  "211", // LISTGROUP (not multi-line with GROUP)
  "215", // LIST
  "220", // ARTICLE
  "221", // HEAD, XHDR
  "222", // BODY
  "224", // OVER, XOVER
  "225", // HDR
  "230", // NEWNEWS
  "231", // NEWGROUPS
  "282", // XGTITLE
]);

const WS_RUN = new RegExp(`[${PY_WS}]+`);

/** Python's `str.split()` with no argument: runs of white space separate, none at either end. */
export function pySplit(text: string): string[] {
  return text.split(WS_RUN).filter((w) => w !== "");
}

/** Python's `int(text)`, or `NNTPDataError` saying what could not be read. */
function intField(text: string, what: string, line: string): number {
  const n = pyInt(text);
  if (n === undefined)
    throw new NNTPDataError(`Cannot parse ${what} ${JSON.stringify(text)} in ${JSON.stringify(line)}`);
  return n;
}

/**
 * Python's `GroupInfo` named tuple: one line of LIST ACTIVE or NEWGROUPS,
 * each field the server's text. Iterable, so `const [group, last, first,
 * flag] = info` reads as Python's unpacking.
 */
export class GroupInfo implements Iterable<string> {
  /**
   * @param group the newsgroup's name
   * @param last the highest article number, as sent (`"0000000012"`)
   * @param first the lowest article number, as sent
   * @param flag the posting status: `y`, `n`, `m` (moderated), `x`, `j`, `=other.group`
   */
  constructor(
    readonly group: string,
    readonly last: string,
    readonly first: string,
    readonly flag: string,
  ) {}

  /** The fields in Python's order: group, last, first, flag. */
  *[Symbol.iterator](): Iterator<string> {
    yield this.group;
    yield this.last;
    yield this.first;
    yield this.flag;
  }
}

/**
 * Python's `ArticleInfo` named tuple: what ARTICLE, HEAD and BODY return.
 * `lines` are the block's lines, unstuffed, without line ends (empty when
 * the block went to a `file`). Iterable as `[number, messageId, lines]`.
 */
export class ArticleInfo implements Iterable<number | string | Buffer[]> {
  /**
   * @param number the article number (0 when asked for by message-id, as INN answers)
   * @param messageId the message-id, `<...>` (Python's `message_id`)
   * @param lines the lines, as bytes
   */
  constructor(
    readonly number: number,
    readonly messageId: string,
    readonly lines: Buffer[],
  ) {}

  /** The fields in Python's order: number, message_id, lines. */
  *[Symbol.iterator](): Iterator<number | string | Buffer[]> {
    yield this.number;
    yield this.messageId;
    yield this.lines;
  }
}

/**
 * Python's `_grouplist`: LIST ACTIVE / NEWGROUPS lines, `group last first flag`.
 * @throws NNTPDataError for a line that is not four fields (Python: TypeError)
 */
export function parseGroupList(lines: readonly string[]): GroupInfo[] {
  return lines.map((line) => {
    const f = pySplit(line);
    if (f.length !== 4)
      throw new NNTPDataError(`Cannot parse group line ${JSON.stringify(line)}: expected 4 fields`);
    return new GroupInfo(f[0]!, f[1]!, f[2]!, f[3]!);
  });
}

/**
 * The CAPABILITIES lines as Python's dict: capability → its arguments.
 * @throws NNTPDataError for an empty line (Python: ValueError)
 */
export function parseCapabilities(lines: readonly string[]): Map<string, string[]> {
  const caps = new Map<string, string[]>();
  for (const line of lines) {
    const [name, ...tokens] = pySplit(line);
    if (name === undefined)
      throw new NNTPDataError(`Cannot parse capability line ${JSON.stringify(line)}: it is empty`);
    caps.set(name, tokens);
  }
  return caps;
}

/**
 * Python's `_statparse`: the article number and message-id of a STAT, NEXT,
 * LAST, ARTICLE, HEAD or BODY reply (`223 3 <id@host> status`).
 * @returns `[number, messageId]`
 * @throws NNTPReplyError when the reply does not start with `22`;
 *   NNTPDataError when it lacks the number or the id (Python: ValueError, IndexError)
 */
export function parseStatReply(resp: string): [number, string] {
  if (!resp.startsWith("22")) throw new NNTPReplyError(resp);
  const words = pySplit(resp);
  if (words.length < 3)
    throw new NNTPDataError(
      `Cannot parse article reply ${JSON.stringify(resp)}: expected a number and a message-id`,
    );
  return [intField(words[1]!, "article number", resp), words[2]!];
}

/**
 * Python's `_parse_overview_fmt`: the field names of LIST OVERVIEW.FMT
 * (RFC 3977 8.4), lower-cased, old names made new (`Bytes:` is `:bytes`).
 * @throws NNTPDataError when the list is shorter than the seven default
 *   fields or changes them, or holds an empty line (Python: IndexError)
 */
export function parseOverviewFmt(lines: readonly string[]): string[] {
  const fmt = lines.map((line) => {
    if (line === "") throw new NNTPDataError("LIST OVERVIEW.FMT response has an empty line");
    // A metadata name (":bytes") keeps its colon; a header name ("Xref:full") loses what follows its colon.
    const name = line[0] === ":" ? `:${line.slice(1).split(":", 1)[0]}` : line.split(":", 1)[0]!;
    const lower = name.toLowerCase();
    return FMT_ALTERNATIVES[lower] ?? lower;
  });
  if (fmt.length < DEFAULT_OVERVIEW_FMT.length)
    throw new NNTPDataError("LIST OVERVIEW.FMT response too short");
  if (DEFAULT_OVERVIEW_FMT.some((name, i) => fmt[i] !== name)) {
    throw new NNTPDataError("LIST OVERVIEW.FMT redefines default fields");
  }
  return fmt;
}

/** One overview entry: the article number and its fields (name → value; `null` for an empty extra header). */
export type Overview = [number: number, fields: Map<string, string | null>];

/** Python's `token[:n]` and `token[n:]`, counting code points. */
function splitAtCodePoint(text: string, n: number): [string, string] {
  let i = 0;
  for (let k = 0; k < n && i < text.length; k++) i += text.codePointAt(i)! > 0xffff ? 2 : 1;
  return [text.slice(0, i), text.slice(i)];
}

/**
 * Python's `_parse_overview`: OVER/XOVER lines (`number TAB field TAB ...`)
 * read with the format `fmt`. Fields past the format are dropped (as Python
 * does: servers add headers without saying so); an extra header field
 * (after the seven defaults) must start with its name, `Xref: `, which is
 * cut off, and an empty one is `null`.
 * @throws NNTPDataError for an article number that is not an integer
 *   (Python: ValueError), or an extra header field without its name
 */
export function parseOverview(lines: readonly string[], fmt: readonly string[]): Overview[] {
  const nDefaults = DEFAULT_OVERVIEW_FMT.length;
  return lines.map((line) => {
    const [first, ...tokens] = line.split("\t");
    const number = intField(first!, "article number", line);
    const fields = new Map<string, string | null>();
    for (const [i, raw] of tokens.entries()) {
      if (i >= fmt.length) continue;
      const name = fmt[i]!;
      let token: string | null = raw;
      if (i >= nDefaults && !name.startsWith(":")) {
        const h = `${name}: `;
        const [head, rest] = splitAtCodePoint(raw, [...h].length);
        if (raw && head.toLowerCase() !== h) {
          throw new NNTPDataError("OVER/XOVER response doesn't include names of additional headers");
        }
        token = raw ? rest : null;
      }
      fields.set(name, token);
    }
    return [number, fields];
  });
}

/** Python's `s[start:end]` on code points, with negative indexes from the end. */
function pySlice(cps: readonly string[], start: number | undefined, end: number | undefined): string {
  const n = cps.length;
  const at = (i: number | undefined, dflt: number) =>
    i === undefined ? dflt : i < 0 ? Math.max(0, n + i) : Math.min(i, n);
  return cps.slice(at(start, 0), at(end, n)).join("");
}

function daysIn(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * Python's `_parse_datetime(date_str, time_str)`: `YYYYMMDD` (or `YYMMDD`)
 * and `hhmmss`, or both run together when `timeStr` is missing (the DATE
 * reply, RFC 3977 7.1). A two-digit year below 70 is 20xx, else 19xx, as
 * Python guesses. Each part is read as Python's `int()` reads (a sign,
 * spaces, underscores between digits).
 * @returns the time as a `Date` whose UTC fields are the ones given (Python's naive `datetime`)
 * @throws NNTPDataError where Python raises ValueError (a part that is not a
 *   number, a month, day, hour, minute or second out of range)
 */
export function parseDatetime(dateStr: string, timeStr?: string): Date {
  let date = [...dateStr];
  let time: string[];
  if (timeStr === undefined) {
    time = [...pySlice(date, -6, undefined)];
    date = [...pySlice(date, undefined, -6)];
  } else {
    time = [...timeStr];
  }
  const whole = timeStr === undefined ? dateStr : `${dateStr} ${timeStr}`;
  const hours = intField(pySlice(time, undefined, 2), "hours", whole);
  const minutes = intField(pySlice(time, 2, 4), "minutes", whole);
  const seconds = intField(pySlice(time, 4, undefined), "seconds", whole);
  let year = intField(pySlice(date, undefined, -4), "year", whole);
  const month = intField(pySlice(date, -4, -2), "month", whole);
  const day = intField(pySlice(date, -2, undefined), "day", whole);
  // RFC 3977 does not say how to read a two-digit year; Python assumes no Usenet before 1970.
  if (year < 70) year += 2000;
  else if (year < 100) year += 1900;
  const bad = (what: string) => new NNTPDataError(`Cannot parse date ${JSON.stringify(whole)}: ${what}`);
  if (!(year >= 1 && year <= 9999)) throw bad(`year ${year} is out of range`);
  if (!(month >= 1 && month <= 12)) throw bad("month must be in 1..12");
  if (!(day >= 1 && day <= daysIn(year, month))) throw bad("day is out of range for month");
  if (!(hours >= 0 && hours <= 23)) throw bad("hour must be in 0..23");
  if (!(minutes >= 0 && minutes <= 59)) throw bad("minute must be in 0..59");
  if (!(seconds >= 0 && seconds <= 59)) throw bad("second must be in 0..59");
  const result = new Date(0);
  result.setUTCFullYear(year, month - 1, day);
  result.setUTCHours(hours, minutes, seconds, 0);
  return result;
}

/**
 * Python's `_unparse_datetime(dt, legacy)`: the date and time arguments of
 * NEWGROUPS and NEWNEWS, from the `Date`'s UTC fields: `YYYYMMDD` and
 * `hhmmss`, or `YYMMDD` with `legacy` (servers older than RFC 3977).
 * @returns `[date, time]`
 */
export function unparseDatetime(dt: Date, legacy = false): [string, string] {
  const two = (n: number) => String(n).padStart(2, "0");
  const time = `${two(dt.getUTCHours())}${two(dt.getUTCMinutes())}${two(dt.getUTCSeconds())}`;
  const y = dt.getUTCFullYear();
  const year = legacy ? two(y % 100) : String(y).padStart(4, "0");
  return [`${year}${two(dt.getUTCMonth() + 1)}${two(dt.getUTCDate())}`, time];
}
