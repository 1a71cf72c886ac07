/**
 * Python's `email.utils`: quoting, RFC 2231 parameter values, addresses
 * and dates for mail headers.
 *
 * @module
 */
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { lookupCodec } from "../_codecs.js";
import { MONTH_ABBRS, WEEKDAY_ABBRS } from "../_time.js";
import { LookupError, ValueError } from "../errors/index.js";
import { quote as urlQuote, unquote as urlUnquote } from "../urllib/parse.js";
import { encodeRawUnicodeEscape, isAscii } from "./_bytes.js";
import { AddressList, type AddressPair, type DateTuple, parsedateTzRaw } from "./_parseaddr.js";
import { Charset } from "./charset.js";

export type { AddressPair, DateTuple };

/** An RFC 2231 parameter value: `[charset, language, text]` (Python's 3-tuple). */
export type Rfc2231Value = [charset: string | null, language: string | null, value: string];
/** A MIME parameter value: plain text, or an RFC 2231 value. */
export type ParamValue = string | Rfc2231Value;

/**
 * Python's `email.utils.quote`: backslash-escapes `\` and `"` for a quoted string.
 * @param str the text
 * @returns the escaped text (without the surrounding quotes)
 */
export function quote(str: string): string {
  return str.replaceAll("\\", "\\\\").replaceAll('"', '\\"');
}

/**
 * Python's `email.utils.unquote`: removes one pair of surrounding double
 * quotes (undoing `\\` and `\"`) or angle brackets.
 */
export function unquote(str: string): string {
  if (str.length > 1) {
    if (str.startsWith('"') && str.endsWith('"')) {
      return str.slice(1, -1).replaceAll("\\\\", "\\").replaceAll('\\"', '"');
    }
    if (str.startsWith("<") && str.endsWith(">")) return str.slice(1, -1);
  }
  return str;
}

/**
 * Python's `decode_rfc2231`: splits `charset'language'text`.
 * @returns the three parts, or `[null, null, s]` when `s` has fewer than two `'`
 */
export function decodeRfc2231(s: string): Rfc2231Value {
  const first = s.indexOf("'");
  const second = first < 0 ? -1 : s.indexOf("'", first + 1);
  if (second < 0) return [null, null, s];
  return [s.slice(0, first), s.slice(first + 1, second), s.slice(second + 1)];
}

/**
 * Python's `encode_rfc2231`: percent-encodes `s` in `charset` and, when a
 * charset or language is given, prefixes `charset'language'`.
 * @throws {UnicodeEncodeError} when `s` does not fit the charset (ASCII by default)
 */
export function encodeRfc2231(
  s: string,
  charset: string | null = null,
  language: string | null = null,
): string {
  const encoded = urlQuote(s, { safe: "", encoding: charset || "ascii" });
  if (charset === null && language === null) return encoded;
  return `${charset}'${language ?? ""}'${encoded}`;
}

const RFC2231_CONTINUATION = /^(?<name>[A-Za-z0-9_]+)\*((?<num>[0-9]+)\*?)?$/;

/**
 * Python's `decode_params`: joins RFC 2231 continuations (`name*0`,
 * `name*1*`, ...) and decodes extended values into `[charset, language,
 * "quoted text"]`. The first parameter (the content type) is kept as it is.
 * @param params `[name, value]` pairs as parsed
 */
export function decodeParams(params: [string, string][]): [string, ParamValue][] {
  const out: [string, ParamValue][] = [params[0]!];
  const rfc2231 = new Map<string, [number | null, string, boolean][]>();
  for (const [rawName, rawValue] of params.slice(1)) {
    const encoded = rawName.endsWith("*");
    const value = unquote(rawValue);
    const mo = RFC2231_CONTINUATION.exec(rawName);
    if (mo) {
      const name = mo.groups!.name!;
      const num = mo.groups!.num === undefined ? null : Number.parseInt(mo.groups!.num, 10);
      let list = rfc2231.get(name);
      if (!list) rfc2231.set(name, (list = []));
      list.push([num, value, encoded]);
    } else {
      out.push([rawName, `"${quote(value)}"`]);
    }
  }
  for (const [name, continuations] of rfc2231) {
    const parts: string[] = [];
    let extended = false;
    continuations.sort(compareContinuations);
    for (const [, s, encoded] of continuations) {
      if (encoded) {
        parts.push(urlUnquote(s, { encoding: "latin-1" }));
        extended = true;
      } else parts.push(s);
    }
    const value = quote(parts.join(""));
    if (extended) {
      const [charset, language, text] = decodeRfc2231(value);
      out.push([name, [charset, language, `"${text}"`]]);
    } else out.push([name, `"${value}"`]);
  }
  return out;
}

/** Python sorts `(num, value, encoded)` tuples: `None` before numbers is a TypeError there, here it sorts first. */
function compareContinuations(
  a: [number | null, string, boolean],
  b: [number | null, string, boolean],
): number {
  const an = a[0] ?? -1;
  const bn = b[0] ?? -1;
  if (an !== bn) return an - bn;
  if (a[1] !== b[1]) return a[1] < b[1] ? -1 : 1;
  return Number(a[2]) - Number(b[2]);
}

/**
 * Python's `collapse_rfc2231_value`: a parameter value as text. An RFC 2231
 * value is decoded from its charset (with `errors`; `fallbackCharset` when
 * it names none); a plain one is unquoted.
 */
export function collapseRfc2231Value(
  value: ParamValue,
  errors = "replace",
  fallbackCharset = "us-ascii",
): string {
  if (typeof value === "string") return unquote(value);
  const [charset, , text] = value;
  const raw = encodeRawUnicodeEscape(text);
  try {
    return lookupCodec(charset ?? fallbackCharset).decode(raw, errors);
  } catch (e) {
    if (e instanceof LookupError) return unquote(text);
    throw e;
  }
}

// ---------------------------------------------------------------------------
// Addresses

const SPECIALSRE = /[\][\\()<>@,:;".]/;
const ESCAPESRE = /[\\"]/g;

/**
 * Python's `formataddr`: `"Name" <addr>` for a `[realname, address]` pair,
 * quoting the name when it has specials, RFC 2047 encoding it in `charset`
 * when it is not ASCII; the bare address when there is no name.
 * @throws {UnicodeEncodeError} when the address is not ASCII
 */
export function formataddr(pair: readonly [string, string], charset: string | Charset = "utf-8"): string {
  const [name, address] = pair;
  lookupCodec("ascii").encode(address, "strict");
  if (name) {
    if (!isAscii(name)) {
      const cs = typeof charset === "string" ? new Charset(charset) : charset;
      return `${cs.headerEncode(name)} <${address}>`;
    }
    const quotes = SPECIALSRE.test(name) ? '"' : "";
    return `${quotes}${name.replace(ESCAPESRE, "\\$&")}${quotes} <${address}>`;
  }
  return address;
}

/** Python's `_iter_escaped_chars`: characters, a backslash and the next as one. */
function* iterEscapedChars(addr: string): Generator<[number, string]> {
  let escaped = false;
  let pos = 0;
  for (pos = 0; pos < addr.length; pos++) {
    const ch = addr[pos]!;
    if (escaped) {
      yield [pos, `\\${ch}`];
      escaped = false;
    } else if (ch === "\\") escaped = true;
    else yield [pos, ch];
  }
  if (escaped) yield [pos - 1, "\\"];
}

/** Python's `_strip_quoted_realnames`: the value without its quoted strings. */
function stripQuotedRealnames(addr: string): string {
  if (!addr.includes('"')) return addr;
  let start = 0;
  let openPos: number | null = null;
  const result: string[] = [];
  for (const [pos, ch] of iterEscapedChars(addr)) {
    if (ch !== '"') continue;
    if (openPos === null) openPos = pos;
    else {
      if (start !== openPos) result.push(addr.slice(start, openPos));
      start = pos + 1;
      openPos = null;
    }
  }
  if (start < addr.length) result.push(addr.slice(start));
  return result.join("");
}

/** Python's `_check_parenthesis`: the comments' parentheses balance (outside quoted names). */
function checkParenthesis(addr: string): boolean {
  let opens = 0;
  for (const [, ch] of iterEscapedChars(stripQuotedRealnames(addr))) {
    if (ch === "(") opens++;
    else if (ch === ")") {
      opens--;
      if (opens < 0) return false;
    }
  }
  return opens === 0;
}

const preParse = (values: string[]) => values.map((v) => (checkParenthesis(v) ? v : "('', '')"));
const postParse = (pairs: AddressPair[]): AddressPair[] =>
  pairs.map((p) => (p[1].includes("[") ? ["", ""] : p));

/** Options of `parseaddr` and `getaddresses`. */
export interface AddressOptions {
  /**
   * Refuse malformed input (`["", ""]`) instead of guessing: the strict
   * parsing of Python's later 3.11 security releases (gh-102988), which
   * 3.11.7 lacks. @default true
   */
  strict?: boolean;
}

/**
 * Python's `getaddresses`: every `[realname, address]` in the header
 * values. Strict (the default): a value whose parentheses do not balance,
 * an address with a `[` left in it, or more or fewer addresses than the
 * values' commas promise, make the answer `[["", ""]]`.
 */
export function getaddresses(fieldvalues: readonly unknown[], options: AddressOptions = {}): AddressPair[] {
  if (options.strict === false) return new AddressList(fieldvalues.map(String).join(", ")).addresslist;
  const values = preParse(fieldvalues.map(String));
  const result = postParse(new AddressList(values.join(", ")).addresslist);
  let n = 0;
  for (const v of values) n += 1 + stripQuotedRealnames(v).split(",").length - 1;
  if (result.length !== n) return [["", ""]];
  return result;
}

/**
 * Python's `parseaddr`: the `[realname, address]` of one address, `["", ""]`
 * when it cannot be parsed (strict: also when there is more than one).
 */
export function parseaddr(addr: unknown, options: AddressOptions = {}): AddressPair {
  if (options.strict === false) {
    const addrs = new AddressList(String(addr)).addresslist;
    return addrs[0] ?? ["", ""];
  }
  let a = addr;
  if (Array.isArray(a)) a = a[0];
  if (typeof a !== "string") return ["", ""];
  const addrs = postParse(new AddressList(preParse([a])[0]!).addresslist);
  if (addrs.length !== 1) return ["", ""];
  return addrs[0]!;
}

// ---------------------------------------------------------------------------
// Dates

const DAYS = WEEKDAY_ABBRS;
const MONTHS = MONTH_ABBRS;
const p2 = (n: number) => String(n).padStart(2, "0");

/** The RFC 2822 text of wall-clock fields and a zone. */
function formatFields(d: Date, zone: string): string {
  const wd = (d.getUTCDay() + 6) % 7;
  return `${DAYS[wd]}, ${p2(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${String(d.getUTCFullYear()).padStart(4, "0")} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} ${zone}`;
}

/** `+HHMM`/`-HHMM` for an offset in seconds east of UTC. */
function zoneText(offset: number): string {
  const sign = offset < 0 ? "-" : "+";
  const a = Math.abs(offset);
  const s = a % 60;
  return `${sign}${p2(Math.floor(a / 3600))}${p2(Math.floor((a % 3600) / 60))}${s ? p2(s) : ""}`;
}

/** Options of `formatDatetime`. */
export interface FormatDatetimeOptions {
  /** Write `GMT` instead of `+0000` (HTTP's form); the offset must be 0. @default false */
  usegmt?: boolean;
  /**
   * The offset from UTC in seconds to write the time in (`null`: a naive
   * time, written in UTC with `-0000`, as Python writes a naive datetime). @default 0
   */
  utcoffset?: number | null;
}

/**
 * Python's `format_datetime`: an RFC 2822 date (`Fri, 09 Nov 2001 01:08:47 +0000`).
 * A `Date` is an instant; `utcoffset` says which zone to write it in.
 * @throws {ValueError} for `usegmt` with a non-zero or no offset
 */
export function formatDatetime(dt: Date, options: FormatDatetimeOptions = {}): string {
  const offset = options.utcoffset === undefined ? 0 : options.utcoffset;
  if (options.usegmt) {
    if (offset !== 0) throw new ValueError("usegmt option requires a UTC datetime");
    return formatFields(dt, "GMT");
  }
  if (offset === null) return formatFields(dt, "-0000");
  return formatFields(new Date(dt.getTime() + offset * 1000), zoneText(offset));
}

/**
 * Python's `formatdate`: the RFC 2822 date of `timeval` (seconds since the
 * epoch; default now): in UTC with `-0000`, or in the local zone, or with `GMT`.
 */
export function formatdate(timeval: number | null = null, localtime = false, usegmt = false): string {
  const ms = (timeval ?? Date.now() / 1000) * 1000;
  const d = new Date(Math.floor(ms / 1000) * 1000);
  if (localtime) return formatDatetime(d, { utcoffset: -d.getTimezoneOffset() * 60 });
  if (usegmt) return formatDatetime(d, { usegmt: true });
  return formatDatetime(d, { utcoffset: null });
}

/** Python's `parsedate_tz`: the date's 10-tuple (offset 0 when it has none), or `null`. */
export function parsedateTz(data: string | null | undefined): DateTuple | null {
  const res = parsedateTzRaw(data);
  if (!res) return null;
  if (res[9] === null) res[9] = 0;
  return res;
}

/** Python's `parsedate`: the first nine fields of `parsedateTz`, or `null`. */
export function parsedate(data: string | null | undefined): number[] | null {
  const t = parsedateTz(data);
  return t ? (t.slice(0, 9) as number[]) : null;
}

/** Python's `mktime_tz`: seconds since the epoch of a `parsedateTz` tuple (local time when it has no offset). */
export function mktimeTz(data: DateTuple): number {
  const [y, mo, d, h, mi, s] = data;
  if (data[9] === null) return new Date(y, mo - 1, d, h, mi, s).getTime() / 1000;
  return Date.UTC(y, mo - 1, d, h, mi, s) / 1000 - data[9];
}

/** What `parsedateToDatetime` returns. */
export interface ParsedDate {
  /** The instant the date names. */
  date: Date;
  /** The offset from UTC the text gave, in seconds east; `null` for `-0000` (Python's naive datetime). */
  utcoffset: number | null;
}

/**
 * Python's `parsedate_to_datetime`: the instant a date names. A date with
 * `-0000` (no zone, Python's naive datetime) is read as UTC; its
 * `utcoffset` is `null`.
 * @returns the instant and the offset the text gave
 * @throws {ValueError} for text that is not a date
 */
export function parsedateToDatetime(data: string): ParsedDate {
  const t = parsedateTzRaw(data);
  if (t === null) throw new ValueError(`Invalid date value or format "${data}"`);
  const [y, mo, d, h, mi, s, , , , tz] = t;
  if (
    mo < 1 ||
    mo > 12 ||
    d < 1 ||
    d > new Date(Date.UTC(y, mo, 0)).getUTCDate() ||
    h > 23 ||
    mi > 59 ||
    s > 59 ||
    y < 1 ||
    y > 9999
  ) {
    throw new ValueError(`Invalid date value or format "${data}"`);
  }
  const utc = new Date(0);
  utc.setUTCFullYear(y, mo - 1, d);
  utc.setUTCHours(h, mi, s, 0);
  return { date: new Date(utc.getTime() - (tz ?? 0) * 1000), utcoffset: tz };
}

/**
 * Python's `make_msgid`: `<centiseconds.pid.random64[.idstring]@domain>`.
 * @param idstring text to add for uniqueness
 * @param domain the part after `@` (default: this host's name)
 */
export function makeMsgid(idstring: string | null = null, domain: string | null = null): string {
  const timeval = Math.floor(Date.now() / 10);
  const randint = randomBytes(8).readBigUInt64BE();
  const id = idstring === null ? "" : `.${idstring}`;
  return `<${timeval}.${process.pid}.${randint}${id}@${domain ?? hostname()}>`;
}
