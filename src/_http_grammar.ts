/**
 * The HTTP/1.1 grammar netkit's client and server both hold messages to,
 * from RFC 9110 (semantics) and RFC 9112 (HTTP/1.1): tokens, field lines
 * and values, the HTTP version, Content-Length, chunk-size lines with their
 * extensions, and Transfer-Encoding lists. Pure functions, no I/O.
 *
 * Python's `http.client` and `http.server` are lenient at each of these
 * places (`HTTP/1.1000`, a Content-Length of `+5`, a chunk size of `0x10` or
 * ` 5 `, a method with a space in it). Two HTTP parsers that disagree on
 * where a message ends are how requests are smuggled and responses split,
 * so both of netkit's sides read the one grammar written here, and refuse
 * what it does not describe.
 *
 * Every function is one left-to-right scan, or a regular expression that
 * cannot backtrack (one character class, no nested repetition): no input
 * costs more than its length.
 *
 * @module
 */

import { BACKSLASH, COLON, COMMA, CR, DQUOTE, EQUALS, HTAB, LF, SEMICOLON, SP } from "./_ascii.js";
import { HTTPMessage } from "./textproto/header.js";

/** Content-Length values longer than this many digits are refused (beyond Number.MAX_SAFE_INTEGER). */
export const MAX_CONTENT_LENGTH_DIGITS = 15;

/** RFC 9110 5.6.2 `tchar`, by character code. */
const TCHAR = new Uint8Array(256);
for (const c of "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") {
  TCHAR[c.charCodeAt(0)] = 1;
}

/** Field-value characters (RFC 9110 5.5: HTAB, SP, VCHAR, obs-text), by character code. */
const FIELD_CHAR = new Uint8Array(256);
for (let c = 0; c < 256; c++) FIELD_CHAR[c] = c === HTAB || (c >= SP && c !== 0x7f) ? 1 : 0;

/** A character that is not a `tchar`. */
const NOT_TCHAR = /[^!#$%&'*+\-.^_`|~0-9A-Za-z]/;

/**
 * Characters a field value (RFC 9110 5.5) or a reason phrase (RFC 9112 4)
 * may not hold: the controls other than HTAB (NUL, CR and LF among them)
 * and DEL. What is left is SP, HTAB, VCHAR and obs-text (and, in a string,
 * characters beyond latin-1, which the callers refuse on their own terms).
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this finds
const NOT_FIELD_CHAR = /[\x00-\x08\x0a-\x1f\x7f]/;

/** True when `text` is an RFC 9110 `token` (`1*tchar`): a method, a field name, a coding. */
export function isToken(text: string): boolean {
  return text.length > 0 && !NOT_TCHAR.test(text);
}

/** Where the first character of `text` that is not a `tchar` is; -1 when `text` is a token; 0 when empty. */
export function nonTokenAt(text: string): number {
  if (text.length === 0) return 0;
  const m = NOT_TCHAR.exec(text);
  return m === null ? -1 : m.index;
}

/** Where the first character a field value may not hold (see above) is in `text`, or -1. */
export function fieldValueFaultAt(text: string): number {
  const m = NOT_FIELD_CHAR.exec(text);
  return m === null ? -1 : m.index;
}

/** `text` without its line end: CRLF, or a lone LF (RFC 9112 2.2); `null` when it has none. */
export function stripLineEnd(text: string): string | null {
  const end = text.length;
  if (text.charCodeAt(end - 1) !== LF) return null;
  return text.slice(0, text.charCodeAt(end - 2) === CR ? end - 2 : end - 1);
}

/**
 * RFC 9112 2.3: `HTTP-version = "HTTP/" DIGIT "." DIGIT`, case-sensitive and
 * nothing longer. Returns `[major, minor]`, or `null` for anything else
 * (`HTTP/1.1000`, `HTTP/01.1`, `HTTP/2`, `http/1.1`).
 */
export function parseHttpVersion(text: string): [number, number] | null {
  if (text.length !== 8 || !text.startsWith("HTTP/") || text.charCodeAt(6) !== 0x2e) return null;
  const major = text.charCodeAt(5) - 0x30;
  const minor = text.charCodeAt(7) - 0x30;
  if (major < 0 || major > 9 || minor < 0 || minor > 9) return null;
  return [major, minor];
}

/** Index past the optional whitespace (`OWS`, `BWS`: SP and HTAB) at `i`. */
function skipOWS(text: string, i: number): number {
  let at = i;
  for (let c = text.charCodeAt(at); c === SP || c === HTAB; c = text.charCodeAt(++at));
  return at;
}

/** Index past the `tchar`s at `i` (equal to `i` when there is none). */
function skipToken(text: string, i: number): number {
  let at = i;
  while (at < text.length && TCHAR[text.charCodeAt(at)] === 1) at++;
  return at;
}

/** `qdtext` (RFC 9110 5.6.4): HTAB, SP, VCHAR except `"` and `\`, obs-text. */
function isQdtext(c: number): boolean {
  return c === HTAB || (c >= SP && c <= 0xff && c !== DQUOTE && c !== BACKSLASH && c !== 0x7f);
}

/** Index past the `quoted-string` starting at `i` (a DQUOTE), or -1 when it is malformed or unterminated. */
function skipQuotedString(text: string, i: number): number {
  let at = i + 1;
  while (at < text.length) {
    const c = text.charCodeAt(at);
    if (c === DQUOTE) return at + 1;
    if (c === BACKSLASH) {
      // quoted-pair = "\" ( HTAB / SP / VCHAR / obs-text )
      const next = text.charCodeAt(at + 1);
      if (!(next === HTAB || (next >= SP && next <= 0xff && next !== 0x7f))) return -1;
      at += 2;
    } else if (isQdtext(c)) at++;
    else return -1;
  }
  return -1;
}

/**
 * Index past `*( OWS ";" OWS token [ BWS "=" BWS ( token / quoted-string ) ] )`
 * from `i`: the parameters of a transfer coding (a value required) or the
 * extensions of a chunk (RFC 9112 7.1.1, value optional). Whitespace after
 * the last parameter is not taken: the caller decides what may follow.
 * Returns -1 for a malformed parameter.
 */
function skipParameters(text: string, i: number, valueRequired: boolean): number {
  let at = i;
  for (;;) {
    const semi = skipOWS(text, at);
    if (text.charCodeAt(semi) !== SEMICOLON) return at;
    const name = skipOWS(text, semi + 1);
    const nameEnd = skipToken(text, name);
    if (nameEnd === name) return -1;
    at = nameEnd;
    const equals = skipOWS(text, nameEnd);
    if (text.charCodeAt(equals) === EQUALS) {
      const value = skipOWS(text, equals + 1);
      const valueEnd =
        text.charCodeAt(value) === DQUOTE ? skipQuotedString(text, value) : skipToken(text, value);
      if (valueEnd <= value) return -1;
      at = valueEnd;
    } else if (valueRequired) return -1;
  }
}

/**
 * RFC 9112 7.1: a chunk-size line, line end removed, is
 * `1*HEXDIG [ chunk-ext ]`. Returns the size, or `null` for anything else: a
 * sign, a `0x` prefix, whitespace around the digits (only before a `;`
 * does the grammar allow it), `_` separators, a malformed extension, or a
 * size beyond Number.MAX_SAFE_INTEGER. Leading zeros are digits like any
 * other; the line's length is the reader's limit to set.
 */
export function parseChunkSize(line: string): number | null {
  let size = 0;
  let at = 0;
  for (; at < line.length; at++) {
    const c = line.charCodeAt(at);
    const digit =
      c >= 0x30 && c <= 0x39
        ? c - 0x30
        : c >= 0x61 && c <= 0x66
          ? c - 0x57
          : c >= 0x41 && c <= 0x46
            ? c - 0x37
            : -1;
    if (digit < 0) break;
    size = size * 16 + digit;
    if (size > Number.MAX_SAFE_INTEGER) return null;
  }
  if (at === 0) return null;
  return skipParameters(line, at, false) === line.length ? size : null;
}

/**
 * The transfer codings a `Transfer-Encoding` field lists (RFC 9112 6.1:
 * `#transfer-coding`, each `token *( OWS ";" OWS transfer-parameter )`),
 * lower-cased, in order, over all its field lines; empty list elements are
 * skipped (RFC 9110 5.6.1). `null` when a member breaks the grammar.
 * Parameters are checked, then dropped.
 */
export function transferCodings(values: readonly string[]): string[] | null {
  const codings: string[] = [];
  for (const value of values) {
    let at = 0;
    for (;;) {
      at = skipOWS(value, at);
      if (at >= value.length) break;
      if (value.charCodeAt(at) === COMMA) {
        at++;
        continue;
      }
      const end = skipToken(value, at);
      if (end === at) return null;
      const name = value.slice(at, end).toLowerCase();
      const params = skipParameters(value, end, true);
      if (params < 0) return null;
      at = skipOWS(value, params);
      if (at < value.length && value.charCodeAt(at) !== COMMA) return null;
      codings.push(name);
    }
  }
  return codings;
}

/**
 * RFC 9110 8.6 with RFC 9112 6.3 item 5: `Content-Length = 1*DIGIT`, and a
 * list of identical values (over one field line or several: `5, 5`) stands
 * for one. Returns the length, or `null` for a sign, a space inside, an
 * empty element, values that differ (`5, 05` differ too), or more than
 * `MAX_CONTENT_LENGTH_DIGITS` digits.
 */
export function parseContentLength(values: readonly string[]): number | null {
  let first: string | null = null;
  for (const value of values) {
    let at = 0;
    for (;;) {
      const start = skipOWS(value, at);
      let end = start;
      for (let c = value.charCodeAt(end); c >= 0x30 && c <= 0x39; c = value.charCodeAt(++end));
      if (end === start || end - start > MAX_CONTENT_LENGTH_DIGITS) return null;
      const digits = value.slice(start, end);
      if (first === null) first = digits;
      else if (digits !== first) return null;
      at = skipOWS(value, end);
      if (at === value.length) break;
      if (value.charCodeAt(at) !== COMMA) return null;
      at++;
    }
  }
  return first === null ? null : Number(first);
}

/** Why a block of field lines was refused, and the line (line end excluded). */
export interface FieldLineFault {
  /**
   * `"obs-fold"`: a line starting with SP or HTAB (RFC 9112 5.2), where it
   * is refused; `"malformed"`: not `token ":" value` (no colon, an empty
   * name, whitespace before the colon, a name that is not a token: RFC
   * 9112 5.1); `"control"`: a control character in the value (RFC 9110 5.5).
   */
  fault: "obs-fold" | "malformed" | "control";
  line: string;
}

/** Removes trailing SP and HTAB, without a regular expression (`/[ \t]+$/` is quadratic on long runs). */
function trimEndOWS(text: string): string {
  let end = text.length;
  for (let c = text.charCodeAt(end - 1); c === SP || c === HTAB; c = text.charCodeAt(--end - 1));
  return end === text.length ? text : text.slice(0, end);
}

/**
 * Parses a block of header or trailer lines (latin-1 text, as read: each
 * line with its line end, CRLF or LF; a blank line ends the block) by RFC
 * 9112 5 into an `HTTPMessage`: each line `field-name ":" OWS field-value`,
 * the name a token, the value free of control characters. The value loses
 * its leading whitespace and keeps the rest, as Python's parser keeps it.
 *
 * `obsFold` says what a line starting with SP or HTAB (obsolete line
 * folding) gets: `"reject"` (a server: RFC 9112 5.2 lets it answer 400), or
 * `"unfold"` (a user agent: the fold becomes one SP, as 5.2 requires).
 * Python keeps the line break inside the value.
 *
 * One pass over the text, no line copied but the name and value kept.
 */
export function parseFieldBlock(text: string, obsFold: "reject" | "unfold"): HTTPMessage | FieldLineFault {
  const msg = new HTTPMessage();
  let name = "";
  let value = "";
  for (let next = 0; next < text.length; ) {
    const lineStart = next;
    // Most lines are well-formed: one scan takes `token ":" OWS value` and the line end.
    let at = lineStart;
    let c = text.charCodeAt(at);
    while (TCHAR[c] === 1) c = text.charCodeAt(++at);
    if (at > lineStart && c === COLON) {
      const nameEnd = at;
      c = text.charCodeAt(++at);
      while (c === SP || c === HTAB) c = text.charCodeAt(++at);
      const valueStart = at;
      while (FIELD_CHAR[c] === 1) c = text.charCodeAt(++at);
      const valueEnd = at;
      if (c === CR) c = text.charCodeAt(++at);
      if (c === LF) {
        if (name !== "") msg.add(name, value);
        name = text.slice(lineStart, nameEnd);
        value = text.slice(valueStart, valueEnd);
        next = at + 1;
        continue;
      }
    }
    // Anything else: the end of the block, a fold, or a fault to name.
    const lf = text.indexOf("\n", lineStart);
    next = lf < 0 ? text.length : lf + 1;
    // The line without its end: CRLF or LF (the last line, at the end of input, may have none).
    const end = lf < 0 ? next : lf > lineStart && text.charCodeAt(lf - 1) === CR ? lf - 1 : lf;
    if (end === lineStart) break; // the blank line: the end of the block
    const first = text.charCodeAt(lineStart);
    if (first === SP || first === HTAB) {
      if (obsFold === "reject" || name === "") return { fault: "obs-fold", line: text.slice(lineStart, end) };
      const more = text.slice(skipOWS(text, lineStart), end);
      if (fieldValueFaultAt(more) >= 0) return { fault: "control", line: text.slice(lineStart, end) };
      value = more === "" ? value : `${trimEndOWS(value)} ${more}`;
      continue;
    }
    // A colon past this line's end means none in it: the line is refused, so no scan runs twice.
    const colon = text.indexOf(":", lineStart);
    const fieldName = colon > lineStart && colon < end ? text.slice(lineStart, colon) : "";
    if (fieldName === "" || NOT_TCHAR.test(fieldName))
      return { fault: "malformed", line: text.slice(lineStart, end) };
    const raw = text.slice(skipOWS(text, colon + 1), end);
    if (fieldValueFaultAt(raw) >= 0) return { fault: "control", line: text.slice(lineStart, end) };
    if (name !== "") msg.add(name, value);
    name = fieldName;
    value = raw;
  }
  if (name !== "") msg.add(name, value);
  return msg;
}
