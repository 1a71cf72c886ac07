/**
 * Header-word parsing of Python's `http.cookiejar` (internal; re-exported by
 * `netkit/http/cookiejar`): `splitHeaderWords`, `joinHeaderWords`,
 * `parseNsHeaders`. Python's regular expressions are Unicode-aware here (no
 * `re.ASCII`), so `\s` is Python's whitespace set and `\w` is letters, digits
 * and `_` in any script. The scan walks a sticky index instead of slicing the
 * text as Python does, so long headers cost linear time.
 *
 * @module
 */

import { PY_END, PY_WS, pyStrip } from "../../_pystr.js";
import { http2time } from "./dates.js";

/** One `key=value` pair of a header word; `value` is `null` for a lone token. */
export type HeaderPair = [key: string, value: string | null];

const TOKEN_RE = new RegExp(`[${PY_WS}]*([^=${PY_WS};,]+)`, "y");
const QUOTED_VALUE_RE = new RegExp(`[${PY_WS}]*=[${PY_WS}]*"([^"\\\\]*(?:\\\\[^\\n][^"\\\\]*)*)"`, "y");
const VALUE_RE = new RegExp(`[${PY_WS}]*=[${PY_WS}]*([^${PY_WS};,]*)`, "y");
const ESCAPE_RE = /\\([^\n])/g;
const JUNK_RE = new RegExp(`[=${PY_WS};]*`, "y");
const LEADING_WS_RE = new RegExp(`[${PY_WS}]*`, "y");

function matchAt(re: RegExp, text: string, at: number): RegExpExecArray | null {
  re.lastIndex = at;
  return re.exec(text);
}

/**
 * Python's `http.cookiejar.split_header_words(header_values)`: parses header
 * values into lists of `[key, value]` pairs. `,` separates words (several
 * values count as one joined by commas), `;` or spaces separate pairs, a
 * value may be a quoted string with backslash escapes; a lone token's value
 * is `null`.
 *
 * @example
 * ```ts
 * splitHeaderWords(['foo="bar"; port="80,81"; discard, bar=baz']);
 * // [[["foo", "bar"], ["port", "80,81"], ["discard", null]], [["bar", "baz"]]]
 * ```
 */
export function splitHeaderWords(headerValues: Iterable<string>): HeaderPair[][] {
  if (typeof headerValues === "string")
    throw new TypeError("splitHeaderWords() takes a list of strings, not a string");
  const result: HeaderPair[][] = [];
  for (const text of headerValues) {
    let pairs: HeaderPair[] = [];
    let at = 0;
    while (at < text.length) {
      const token = matchAt(TOKEN_RE, text, at);
      if (token) {
        at = TOKEN_RE.lastIndex;
        const name = token[1]!;
        let value: string | null;
        const quoted = matchAt(QUOTED_VALUE_RE, text, at);
        if (quoted) {
          at = QUOTED_VALUE_RE.lastIndex;
          value = quoted[1]!.replace(ESCAPE_RE, "$1");
        } else {
          const plain = matchAt(VALUE_RE, text, at);
          if (plain) {
            at = VALUE_RE.lastIndex;
            value = plain[1]!;
          } else {
            value = null;
          }
        }
        pairs.push([name, value]);
        continue;
      }
      matchAt(LEADING_WS_RE, text, at);
      const afterWs = LEADING_WS_RE.lastIndex;
      if (text[afterWs] === ",") {
        // concatenated headers, as per RFC 2616 section 4.2
        at = afterWs + 1;
        if (pairs.length > 0) result.push(pairs);
        pairs = [];
      } else {
        // skip junk: the token pattern failed, so at least one of "=", ";" or whitespace is here
        matchAt(JUNK_RE, text, at);
        at = Math.max(JUNK_RE.lastIndex, at + 1);
      }
    }
    if (pairs.length > 0) result.push(pairs);
  }
  return result;
}

const WORD_RE = new RegExp(`^[\\p{L}\\p{N}_]+${PY_END}`, "u");

/**
 * Python's `http.cookiejar.join_header_words(lists)`: the inverse (almost) of
 * {@link splitHeaderWords}. Values that are not all word characters are
 * quoted, with `"` and `\` escaped.
 *
 * @example
 * ```ts
 * joinHeaderWords([[["text/plain", null], ["charset", "iso-8859-1"]]]);
 * // 'text/plain; charset="iso-8859-1"'
 * ```
 */
export function joinHeaderWords(lists: Iterable<Iterable<readonly [string, string | null]>>): string {
  const headers: string[] = [];
  for (const pairs of lists) {
    const attr: string[] = [];
    for (const [k, v] of pairs) {
      let item = k;
      if (v !== null) {
        const value = WORD_RE.test(v) ? v : `"${v.replace(/(["\\])/g, "\\$1")}"`;
        item = `${k}=${value}`;
      }
      attr.push(item);
    }
    if (attr.length > 0) headers.push(attr.join("; "));
  }
  return headers.join(", ");
}

/** Python's `strip_quotes`: one leading and one trailing `"` removed. */
function stripQuotes(text: string): string {
  let t = text;
  if (t.startsWith('"')) t = t.slice(1);
  if (t.endsWith('"')) t = t.slice(0, -1);
  return t;
}

const KNOWN_ATTRS = new Set(["expires", "domain", "path", "secure", "version", "port", "max-age"]);

/** A value in {@link parseNsHeaders}' output: text, `null` for absent, a number for a parsed `expires`. */
export type NsValue = string | number | null;

/**
 * Python's `http.cookiejar.parse_ns_headers(ns_headers)`: the ad-hoc parser
 * for Netscape (and RFC 2109) `Set-Cookie` values. Splits on `;`, keeps the
 * first pair as the cookie, lower-cases the known attribute names, converts
 * `expires` to seconds since the epoch (`null` when the date is not valid),
 * strips quotes from `version`, and adds `["version", "0"]` when no version
 * was given.
 *
 * @throws {ValueError} where Python's `http2time` raises (see there)
 * @example
 * ```ts
 * parseNsHeaders(["foo=bar; path=/; secure"]);
 * // [[["foo", "bar"], ["path", "/"], ["secure", null], ["version", "0"]]]
 * ```
 */
export function parseNsHeaders(nsHeaders: Iterable<string>): Array<Array<[string, NsValue]>> {
  const result: Array<Array<[string, NsValue]>> = [];
  for (const nsHeader of nsHeaders) {
    const pairs: Array<[string, NsValue]> = [];
    let versionSet = false;
    const params = nsHeader.split(";");
    for (let ii = 0; ii < params.length; ii++) {
      const param = pyStrip(params[ii]!);
      const eq = param.indexOf("=");
      let key = pyStrip(eq < 0 ? param : param.slice(0, eq));
      if (!key) {
        if (ii === 0) break;
        continue;
      }
      let val: NsValue = eq < 0 ? null : pyStrip(param.slice(eq + 1));
      if (ii !== 0) {
        const lc = key.toLowerCase();
        if (KNOWN_ATTRS.has(lc)) key = lc;
        if (key === "version") {
          if (val !== null) val = stripQuotes(val);
          versionSet = true;
        } else if (key === "expires") {
          if (val !== null) val = http2time(stripQuotes(val));
        }
      }
      pairs.push([key, val]);
    }
    if (pairs.length > 0) {
      if (!versionSet) pairs.push(["version", "0"]);
      result.push(pairs);
    }
  }
  return result;
}
