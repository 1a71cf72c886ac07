/**
 * Header-word parsing of Python's `http.cookiejar` (internal; re-exported by
 * `netkit/http/cookiejar`): `splitHeaderWords`, `joinHeaderWords`,
 * `parseNsHeaders`. Python's regular expressions are Unicode-aware here (no
 * `re.ASCII`), so `\s` is Python's whitespace set and `\w` is letters, digits
 * and `_` in any script. `splitHeaderWords` applies Python's patterns as
 * plain scans over indexes instead of slicing the text as Python does, so a
 * header costs time linear in its length, and little per word.
 *
 * @module
 */

import { BACKSLASH, COMMA, DQUOTE, EQUALS, LF, SEMICOLON } from "../../_ascii.js";
import { isPySpace, PY_END, pyStrip } from "../../_pystr.js";
import { withCode } from "../../errors/index.js";
import { http2time } from "./dates.js";

/** One `key=value` pair of a header word; `value` is `null` for a lone token. */
export type HeaderPair = [key: string, value: string | null];

/** A character of Python's `[^=\\s;,]`: what a token (a name) is made of. */
function isTokenChar(c: number): boolean {
  return c !== EQUALS && c !== SEMICOLON && c !== COMMA && !isPySpace(c);
}

/** The first index at or after `at` that is not whitespace. */
function skipSpace(text: string, at: number): number {
  let i = at;
  while (i < text.length && isPySpace(text.charCodeAt(i))) i++;
  return i;
}

/**
 * Where a quoted string whose body starts at `from` ends (the index of its
 * closing `"`), or -1 when it does not: a `\\` escapes any character but LF,
 * and a `\\` before LF or at the end stops it.
 */
function quotedEnd(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === DQUOTE) return i;
    if (c === BACKSLASH) {
      if (i + 1 >= text.length || text.charCodeAt(i + 1) === LF) return -1;
      i++;
    }
  }
  return -1;
}

/**
 * Python's `HEADER_ESCAPE_RE.sub(r"\1", body)` on the body of a quoted
 * string `quotedEnd` accepted: every `\\` there escapes the character after it.
 */
function unescapeQuoted(text: string, from: number, to: number): string {
  // The body on its own, so that looking for `\\` stops at its end (a search
  // over the rest of the header for every value made a header of many quoted
  // values quadratic).
  const body = text.slice(from, to);
  let i = body.indexOf("\\");
  if (i < 0) return body;
  let out = "";
  let done = 0;
  for (; i >= 0; i = body.indexOf("\\", i + 2)) {
    out += body.slice(done, i);
    done = i + 1;
  }
  return out + body.slice(done);
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
    throw withCode(
      new TypeError("splitHeaderWords() takes a list of strings, not a string"),
      "ERR_INVALID_ARG_TYPE",
    );
  const result: HeaderPair[][] = [];
  for (const text of headerValues) {
    // null until the word has a pair: a word of one pair costs one small array, not a growable one.
    let pairs: HeaderPair[] | null = null;
    const n = text.length;
    let at = 0;
    // Python's regular expressions, each as a plain scan (none of them can
    // backtrack into a different match): no regex call, no slice, per word.
    while (at < n) {
      const p = skipSpace(text, at);
      let q = p;
      while (q < n && isTokenChar(text.charCodeAt(q))) q++;
      if (q > p) {
        // HEADER_TOKEN_RE `\s*([^=\s;,]+)`, then a value if `=` follows.
        const name = text.slice(p, q);
        at = q;
        let value: string | null = null;
        const eq = skipSpace(text, q);
        if (eq < n && text.charCodeAt(eq) === EQUALS) {
          const v = skipSpace(text, eq + 1);
          const close = v < n && text.charCodeAt(v) === DQUOTE ? quotedEnd(text, v + 1) : -1;
          if (close >= 0) {
            // HEADER_QUOTED_VALUE_RE `\s*=\s*"([^"\\]*(?:\\.[^"\\]*)*)"`
            value = unescapeQuoted(text, v + 1, close);
            at = close + 1;
          } else {
            // HEADER_VALUE_RE `\s*=\s*([^\s;,]*)`
            let e = v;
            while (e < n) {
              const c = text.charCodeAt(e);
              if (c === SEMICOLON || c === COMMA || isPySpace(c)) break;
              e++;
            }
            value = text.slice(v, e);
            at = e;
          }
        }
        if (pairs === null) pairs = [[name, value]];
        else pairs.push([name, value]);
      } else if (p < n && text.charCodeAt(p) === COMMA) {
        // concatenated headers, as per RFC 2616 section 4.2
        at = p + 1;
        if (pairs !== null) result.push(pairs);
        pairs = null;
      } else {
        // skip junk: no token, so "=", ";" or whitespace is here (or only whitespace is left)
        let e = at;
        while (e < n) {
          const c = text.charCodeAt(e);
          if (c !== EQUALS && c !== SEMICOLON && !isPySpace(c)) break;
          e++;
        }
        at = Math.max(e, at + 1);
      }
    }
    if (pairs !== null) result.push(pairs);
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
    // Python's `enumerate(ns_header.split(";"))`, one piece at a time: a
    // header of 65536 semicolons makes no array of 65537 strings.
    for (let ii = 0, start = 0; start <= nsHeader.length; ii++) {
      let end = nsHeader.indexOf(";", start);
      if (end < 0) end = nsHeader.length;
      const param = pyStrip(nsHeader.slice(start, end));
      start = end + 1;
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
