/**
 * The MIME header reader every text protocol shares (RFC 5322 header
 * blocks: HTTP, CGI output, multipart parts, mail and news articles), as
 * Python reads them: `readHeaders` takes the lines off a `BufferedReader`
 * within limits on line length, line count and total size, and
 * `parseHeaderBlock` turns the text into an `HTTPMessage` the way Python's
 * email `FeedParser` (compat32 policy) does. Go's `ReadMIMEHeader` has this
 * job in net/textproto; it moved here from `http/message.ts`, which keeps
 * http's names (`parseHeaders`, Python's `LineTooLong` and `TooManyHeaders`)
 * on top of it.
 *
 * Python's rules, kept on purpose so every reader agrees on what a message
 * says: lines end at CRLF, LF or a lone CR; a line starting with space or tab
 * continues the previous header (the value keeps the line break); a line that
 * is not `name:` ends the headers and, with the lines after it, becomes the
 * payload (with a `MissingHeaderBodySeparatorDefect`); `:value` with no name
 * is skipped with an `InvalidHeaderDefect`. netkit's HTTP client and server
 * read messages by RFC 9112's stricter grammar instead (`_http_grammar.ts`:
 * no malformed lines, no control characters, obs-fold refused or unfolded),
 * so two parsers cannot disagree on what a message says.
 *
 * Not done here: the MIME structure of a body (multipart, message/rfc822),
 * which Python's email package parses too; that belongs to `netkit/email`.
 *
 * @module
 */

import { COLON, CR, HTAB, LF, SP } from "../_ascii.js";
import { KeyError } from "../errors/index.js";
import type { BufferedReader } from "../io/reader.js";
import { ProtocolError } from "./errors.js";
import { LINE_LIMITS } from "./limits.js";

/** Python's `http.client._MAXLINE`: longest status or header line, in bytes (line end included). */
export const MAX_LINE = LINE_LIMITS.http;
/** Python's `http.client._MAXHEADERS`: most header lines in one block. */
export const MAX_HEADERS = 100;
/**
 * Most bytes of one header block `readHeaders` reads by default, line ends
 * and the blank line included: Go's net/http `DefaultMaxHeaderBytes`.
 * Python has no such limit (100 lines of 64 KiB, 6.5 MB, is its bound).
 */
export const MAX_HEADER_BYTES = 1 << 20;

/** A problem the parser noted and stepped over (Python's `email.errors` defects, by name). */
export interface HeaderDefect {
  /** Python's defect class name, e.g. `"MissingHeaderBodySeparatorDefect"`. */
  name: string;
  /** The line concerned, when there is one. */
  line?: string;
}

/**
 * Python's `http.client.HTTPMessage` (an `email.message.Message`): header
 * names and values in wire order, looked up without regard to case.
 * Iterating yields the names, as iterating a Python message does.
 *
 * @example
 * ```ts
 * const msg = parseHeaderBlock("Content-Type: text/html\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\n\r\n");
 * msg.get("content-type"); // "text/html"
 * msg.getAll("Set-Cookie"); // ["a=1", "b=2"]
 * ```
 */
export class HTTPMessage implements Iterable<string> {
  /** Names as written, in wire order; `#lower` holds them lower-cased (made once, not per look-up), `#values` their values. */
  #names: string[] = [];
  #lower: string[] = [];
  #values: string[] = [];
  /** What the parser noted and stepped over. */
  readonly defects: HeaderDefect[] = [];
  /** Text after the header block (Python's `get_payload()`); usually empty. */
  payload = "";
  /** A leading `From ` line (Python's `get_unixfrom()`), or null. */
  unixfrom: string | null = null;

  /** Python's `len(msg)`: how many header lines. */
  get length(): number {
    return this.#names.length;
  }

  /** Python's `msg.get(name, failobj)`: the first value of `name`, any case. */
  get(name: string): string | undefined;
  get<T>(name: string, failobj: T): string | T;
  get<T>(name: string, failobj?: T): string | T | undefined {
    const at = this.#lower.indexOf(name.toLowerCase());
    return at < 0 ? failobj : this.#values[at];
  }

  /** Python's `get_all(name)`: every value of `name` in wire order, or `undefined` when there is none. */
  getAll(name: string): string[] | undefined {
    const lower = name.toLowerCase();
    let at = this.#lower.indexOf(lower);
    if (at < 0) return undefined;
    const values: string[] = [];
    for (; at >= 0; at = this.#lower.indexOf(lower, at + 1)) values.push(this.#values[at]!);
    return values;
  }

  /** Python's `name in msg`. */
  has(name: string): boolean {
    return this.#lower.includes(name.toLowerCase());
  }

  /** Python's `msg[name] = value`: appends a header (it does not replace one). */
  add(name: string, value: string): void {
    this.#names.push(name);
    this.#lower.push(name.toLowerCase());
    this.#values.push(value);
  }

  /** Python's `del msg[name]`: removes every header called `name`. */
  delete(name: string): void {
    const lower = name.toLowerCase();
    const keep = (_: string, i: number) => this.#lower[i] !== lower;
    this.#names = this.#names.filter(keep);
    this.#values = this.#values.filter(keep);
    this.#lower = this.#lower.filter((k) => k !== lower);
  }

  /**
   * Python's `replace_header(name, value)`: replaces the first `name`, keeping its place.
   * @throws KeyError when there is no such header
   */
  replaceHeader(name: string, value: string): void {
    const at = this.#lower.indexOf(name.toLowerCase());
    if (at < 0) throw new KeyError(name);
    this.#values[at] = value;
  }

  /** Python's `keys()`: the names, in wire order, as they were written. */
  keys(): string[] {
    return [...this.#names];
  }

  /** Python's `values()`. */
  values(): string[] {
    return [...this.#values];
  }

  /** Python's `items()`: `[name, value]` pairs in wire order. */
  items(): Array<[string, string]> {
    return this.#names.map((k, i) => [k, this.#values[i]!]);
  }

  /** Iterates the names, as `for name in msg` does in Python. */
  [Symbol.iterator](): Iterator<string> {
    return this.keys()[Symbol.iterator]();
  }

  /** Python's `str(msg)` for a header-only message: `Name: value` lines, a blank line, the payload. */
  toString(): string {
    return `${this.#names.map((k, i) => `${k}: ${this.#values[i]}\n`).join("")}\n${this.payload}`;
  }
}

const UPPER_F = 0x46;
/** `rom ` after the `F` of an envelope line. */
const ROM = [0x72, 0x6f, 0x6d, SP];
/** Characters of a line read one at a time before the native search takes over (a call costs about that many). */
const SHORT_LINE = 32;

/**
 * The ends of the lines of one text. A short line is read a character at a
 * time; past `SHORT_LINE` characters the native search takes over, and the
 * next CR and the next LF it found are kept until a line passes them, so the
 * text is searched once whatever its lines.
 */
class LineEnds {
  readonly #text: string;
  /** The next CR and LF the native search found; `text.length` when there is none. */
  #cr = -1;
  #lf = -1;

  constructor(text: string) {
    this.#text = text;
  }

  /** Just past the end of the line that goes on at `from`: past its CRLF, LF or lone CR, or the end of the text. */
  after(from: number): number {
    const text = this.#text;
    const n = text.length;
    const stop = Math.min(n, from + SHORT_LINE);
    for (let i = from; i < stop; i++) {
      const c = text.charCodeAt(i);
      if (c === LF) return i + 1;
      if (c === CR) return text.charCodeAt(i + 1) === LF ? i + 2 : i + 1;
    }
    if (stop === n) return n;
    if (this.#cr < stop) {
      const i = text.indexOf("\r", stop);
      this.#cr = i < 0 ? n : i;
    }
    if (this.#lf < stop) {
      const i = text.indexOf("\n", stop);
      this.#lf = i < 0 ? n : i;
    }
    const cr = this.#cr;
    const lf = this.#lf;
    if (lf < cr) return lf + 1;
    if (cr === n) return n;
    return lf === cr + 1 ? cr + 2 : cr + 1;
  }
}

/**
 * Splits text into lines that keep their ends: CRLF, LF, or a lone CR (as
 * the email parser does). Pure.
 * @param text the text
 * @returns its lines, each with its line end (the last may have none)
 */
export function splitLines(text: string): string[] {
  const lines: string[] = [];
  const ends = new LineEnds(text);
  for (let start = 0; start < text.length; ) {
    const end = ends.after(start);
    lines.push(text.slice(start, end));
    start = end;
  }
  return lines;
}

/** Options of `parseHeaderBlock`. */
export interface HeaderBlockOptions {
  /**
   * Most header lines (continuation lines count; the blank line that ends
   * the block does not). Python's email parser has no limit; `readHeaders`
   * applies `MAX_HEADERS` to the lines it reads, so an HTTP message needs none here.
   * @default Infinity
   */
  maxHeaders?: number;
}

/**
 * Parses a header block (text, one char per byte: decode bytes as latin-1)
 * into an `HTTPMessage`, following Python's `email.parser.Parser` with the
 * compat32 policy (CPython's `FeedParser._parsegen` and `_parse_headers`,
 * compat32's `header_source_parse`). Pure: no I/O.
 *
 * One pass over the text, each header made of two slices of it: a header's
 * value, from its first line to the end of its last continuation line, is
 * one piece of the text. Each byte is looked at a bounded number of times,
 * whatever the lines (many short ones, runs of CR, long folds).
 *
 * @param text the block: header lines, then usually a blank line and a payload
 * @param options the most header lines
 * @returns the headers, the defects noted, the payload (what follows the blank line)
 * @throws ProtocolError `"ERR_TEXTPROTO_TOO_MANY_HEADERS"` past
 *   `options.maxHeaders` header lines
 */
export function parseHeaderBlock(text: string, options: HeaderBlockOptions = {}): HTTPMessage {
  const maxHeaders = options.maxHeaders ?? Number.POSITIVE_INFINITY;
  const msg = new HTTPMessage();
  const n = text.length;
  const ends = new LineEnds(text);
  let count = 0; // header lines so far (Python's `lineno` of the next is `count`)
  // The header being read: its name (empty: none) and its value's start; the value ends where its last line ends.
  let name = "";
  let valueStart = 0;
  let valueEnd = 0;
  // A `From ` line after the first: a defect unless it is the last header line (then the payload's first line).
  let fromAt = -1;
  let fromEnd = 0;
  let separatorDefect = false;
  let pos = 0;
  while (pos < n) {
    const c = text.charCodeAt(pos);
    if (c === CR || c === LF) {
      pos = ends.after(pos); // the blank line between headers and payload is dropped
      break;
    }
    // Python's `headerRE`: `From `, a name of printable ASCII but `:` then `:`, or a leading space or tab.
    let colon = -1;
    const from = c === UPPER_F && isFromLine(text, pos);
    if (c !== SP && c !== HTAB && !from) {
      const q = nameEnd(text, pos);
      if (text.charCodeAt(q) !== COLON) {
        separatorDefect = true; // the line starts the payload
        break;
      }
      colon = q;
    }
    if (++count > maxHeaders) throw tooManyHeaders(maxHeaders);
    const end = ends.after(colon < 0 ? pos : colon);
    if (fromAt >= 0) {
      msg.defects.push({ name: "MisplacedEnvelopeHeaderDefect", line: text.slice(fromAt, fromEnd) });
      fromAt = -1;
    }
    if (c === SP || c === HTAB) {
      // A continuation line: part of the value above, line break and all.
      if (name) valueEnd = end;
      else msg.defects.push({ name: "FirstHeaderLineIsContinuationDefect", line: text.slice(pos, end) });
      pos = end;
      continue;
    }
    if (name) addHeader(msg, name, text, valueStart, valueEnd);
    name = "";
    if (from) {
      if (count === 1) msg.unixfrom = text.slice(pos, withoutLineBreak(text, pos, end));
      else {
        fromAt = pos;
        fromEnd = end;
      }
    } else if (colon === pos) {
      msg.defects.push({ name: "InvalidHeaderDefect", line: text.slice(pos, end) });
    } else {
      name = text.slice(pos, colon);
      // compat32 strips spaces and tabs before the value (not line breaks).
      valueStart = blanksEnd(text, colon + 1);
      valueEnd = end;
    }
    pos = end;
  }
  if (name) addHeader(msg, name, text, valueStart, valueEnd);
  // Python notes the missing separator while it collects the lines, before it parses any of them.
  if (separatorDefect) msg.defects.unshift({ name: "MissingHeaderBodySeparatorDefect" });
  // A `From ` line last among the headers is "probably the body's first line": Python pushes it back.
  msg.payload = fromAt >= 0 ? text.slice(fromAt, fromEnd) + text.slice(pos) : text.slice(pos);
  return msg;
}

/**
 * `text.startsWith("From ", at)` for a text with an `F` at `at`, compared a
 * character at a time: `startsWith` on every line cost a tenth of the
 * parse of a block of short lines, and an eighth of one of `From ` lines.
 */
function isFromLine(text: string, at: number): boolean {
  for (let i = 0; i < ROM.length; i++) if (text.charCodeAt(at + 1 + i) !== ROM[i]) return false;
  return true;
}

/** A run of a header name's characters (Python's `[\041-\071\073-\176]`). */
const NAME_RUN = /[\x21-\x39\x3b-\x7e]*/y;
/** A run of spaces and tabs. */
const BLANKS_RUN = /[ \t]*/y;

/**
 * Where the run of header-name characters that starts at `from` ends (at a
 * `:` if the line is a header line). A character at a time for a short
 * name, the native search for a long one.
 */
function nameEnd(text: string, from: number): number {
  const stop = Math.min(text.length, from + SHORT_LINE);
  let q = from;
  for (; q < stop; q++) {
    const d = text.charCodeAt(q);
    if (d < 0x21 || d > 0x7e || d === COLON) return q;
  }
  return runEnd(NAME_RUN, text, q);
}

/** Where the run of spaces and tabs that starts at `from` ends, as `nameEnd` does it. */
function blanksEnd(text: string, from: number): number {
  const stop = Math.min(text.length, from + SHORT_LINE);
  let q = from;
  for (; q < stop; q++) {
    const d = text.charCodeAt(q);
    if (d !== SP && d !== HTAB) return q;
  }
  return runEnd(BLANKS_RUN, text, q);
}

/**
 * Where the run that `re` (a sticky run of one character class) matches at
 * `from` ends. (A positive class run to its end costs two thirds of a
 * search for the first character outside it.)
 */
function runEnd(re: RegExp, text: string, from: number): number {
  re.lastIndex = from;
  re.test(text);
  return re.lastIndex;
}

/** Adds a header whose value is `text[start, end)` less its trailing CR and LF (compat32's `rstrip('\r\n')`). */
function addHeader(msg: HTTPMessage, name: string, text: string, start: number, end: number): void {
  let e = end;
  while (e > start && (text.charCodeAt(e - 1) === LF || text.charCodeAt(e - 1) === CR)) e--;
  msg.add(name, text.slice(start, e));
}

/** Where the line `text[start, end)` ends without its line break (its one CRLF, LF or CR: Python's `NLCRE_eol`). */
function withoutLineBreak(text: string, start: number, end: number): number {
  let e = end;
  if (e > start && text.charCodeAt(e - 1) === LF) e--;
  if (e > start && text.charCodeAt(e - 1) === CR) e--; // a CR before the LF can only be its CRLF
  return e;
}

/** The error for a header block past its line count. */
function tooManyHeaders(limit: number): ProtocolError {
  return new ProtocolError(
    `Cannot read header block: more than ${limit} header lines`,
    "ERR_TEXTPROTO_TOO_MANY_HEADERS",
  );
}

/** Limits for `readHeaders`. */
export interface HeaderLimits {
  /** Longest line, in bytes, line end included. @default 65536 (`MAX_LINE`) */
  maxLineLength?: number;
  /** Most lines, the blank line that ends the block included. @default 100 (`MAX_HEADERS`) */
  maxHeaders?: number;
  /**
   * Most bytes of the whole block, line ends and the blank line included.
   * @default 1048576 (`MAX_HEADER_BYTES`)
   */
  maxBytes?: number;
}

/**
 * Reads header lines up to and including the blank line (or the end of the
 * stream), each with its line end (Python's `http.client._read_headers`, Go's
 * `ReadMIMEHeader` before parsing). Parse them with `parseHeaderBlock` after
 * decoding as latin-1.
 * @param reader where the block comes from
 * @param limits line length, line count and total size
 * @returns the lines, the blank line last (absent when the stream ended first)
 * @throws ProtocolError `"ERR_TEXTPROTO_LINE_TOO_LONG"` past `maxLineLength`,
 *   `"ERR_TEXTPROTO_TOO_MANY_HEADERS"` past `maxHeaders`,
 *   `"ERR_TEXTPROTO_TOO_LARGE"` past `maxBytes`; the connection is then out
 *   of step (the rest of the block is unread)
 * @example
 * ```ts
 * import { BufferedReader, BytesSource } from "netkit/io";
 * const reader = new BufferedReader(new BytesSource("Subject: hi\r\nFrom: a@example.com\r\n\r\nbody"));
 * const lines = await readHeaders(reader, { maxHeaders: 50, maxBytes: 16384 });
 * const msg = parseHeaderBlock(Buffer.concat(lines).toString("latin1"));
 * msg.get("subject"); // "hi"
 * ```
 */
export async function readHeaders(reader: BufferedReader, limits: HeaderLimits = {}): Promise<Buffer[]> {
  const maxLine = limits.maxLineLength ?? MAX_LINE;
  const maxHeaders = limits.maxHeaders ?? MAX_HEADERS;
  const maxBytes = limits.maxBytes ?? MAX_HEADER_BYTES;
  const lines: Buffer[] = [];
  let total = 0;
  for (;;) {
    const line = await reader.readline(maxLine + 1);
    if (line.length > maxLine) {
      throw new ProtocolError(
        `Cannot read header line: longer than ${maxLine} bytes`,
        "ERR_TEXTPROTO_LINE_TOO_LONG",
        line,
      );
    }
    lines.push(line);
    if (lines.length > maxHeaders) throw tooManyHeaders(maxHeaders);
    total += line.length;
    if (total > maxBytes) {
      throw new ProtocolError(
        `Cannot read header block: larger than ${maxBytes} bytes`,
        "ERR_TEXTPROTO_TOO_LARGE",
      );
    }
    if (
      line.length === 0 ||
      (line.length === 1 && line[0] === LF) ||
      (line.length === 2 && line[0] === CR && line[1] === LF)
    ) {
      return lines;
    }
  }
}
