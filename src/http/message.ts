/**
 * HTTP header blocks, as Python's `http.client.parse_headers` reads them:
 * `readHeaders` takes lines off a `BufferedReader` with Python's limits
 * (65536 bytes a line, 100 lines), and `parseHeaderBlock` turns the text
 * into an `HTTPMessage` the way Python's email `FeedParser` (compat32 policy)
 * does. The HTTP client and the HTTP server share this one parser.
 *
 * Python's rules, kept on purpose so both sides agree on what a message says:
 * lines end at CRLF, LF or a lone CR; a line starting with space or tab
 * continues the previous header (the value keeps the line break); a line that
 * is not `name:` ends the headers and, with the lines after it, becomes the
 * payload (with a `MissingHeaderBodySeparatorDefect`); `:value` with no name
 * is skipped with an `InvalidHeaderDefect`. netkit's HTTP client and server
 * read messages by RFC 9112's stricter grammar instead (`_grammar.ts`: no
 * malformed lines, no control characters, obs-fold refused or unfolded), so
 * two parsers cannot disagree on what a message says.
 *
 * Not done here: the MIME structure of a body (multipart, message/rfc822),
 * which Python's email package parses too; that belongs to `netkit/email`.
 *
 * @module
 */

import { KeyError } from "../errors/index.js";
import type { BufferedReader } from "../io/reader.js";
import { LineTooLong, TooManyHeaders } from "./errors.js";

/** Python's `http.client._MAXLINE`: longest status or header line. */
export const MAX_LINE = 65536;
/** Python's `http.client._MAXHEADERS`: most header lines in one block. */
export const MAX_HEADERS = 100;

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

/** The email parser's test for a header line (CPython's `feedparser.headerRE`). */
const HEADER_LINE = /^(?:From |[\x21-\x39\x3b-\x7e]*:|[\t ])/;
const LINE_END = /^(?:\r\n|\r|\n)/;
const TRAILING_EOL = /(?:\r\n|\r|\n)$/;

/** Splits text into lines that keep their ends: CRLF, LF, or a lone CR (as the email parser does). */
export function splitLines(text: string): string[] {
  const lines: string[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a || c === 0x0d) {
      const end = c === 0x0d && text.charCodeAt(i + 1) === 0x0a ? i + 2 : i + 1;
      lines.push(text.slice(start, end));
      start = end;
      i = end - 1;
    }
  }
  if (start < text.length) lines.push(text.slice(start));
  return lines;
}

/**
 * Parses a header block (text, one char per byte: decode bytes as latin-1)
 * into an `HTTPMessage`, following Python's `email.parser.Parser` with the
 * compat32 policy. Pure: no I/O.
 */
export function parseHeaderBlock(text: string): HTTPMessage {
  const msg = new HTTPMessage();
  const lines = splitLines(text);
  let bodyStart = lines.length;
  const headerLines: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (!HEADER_LINE.test(line)) {
      if (LINE_END.test(line)) {
        bodyStart = i + 1; // the blank separator line is dropped
      } else {
        msg.defects.push({ name: "MissingHeaderBodySeparatorDefect" });
        bodyStart = i; // this line starts the payload
      }
      break;
    }
    headerLines.push(line);
  }
  const unread = addHeaders(msg, headerLines);
  msg.payload = (unread ?? "") + lines.slice(bodyStart).join("");
  return msg;
}

/**
 * CPython's `FeedParser._parse_headers` with compat32's `header_source_parse`.
 * Returns a trailing `From ` line to push back into the payload, if any.
 */
function addHeaders(msg: HTTPMessage, lines: string[]): string | undefined {
  let lastName = "";
  let lastLines: string[] = [];
  const flush = () => {
    if (!lastName) return;
    const first = lastLines[0]!;
    const value = first.slice(first.indexOf(":") + 1).replace(/^[ \t]+/, "") + lastLines.slice(1).join("");
    msg.add(first.slice(0, first.indexOf(":")), value.replace(/[\r\n]+$/, ""));
    lastName = "";
    lastLines = [];
  };
  for (const [n, line] of lines.entries()) {
    if (line[0] === " " || line[0] === "\t") {
      if (!lastName) {
        msg.defects.push({ name: "FirstHeaderLineIsContinuationDefect", line });
        continue;
      }
      lastLines.push(line);
      continue;
    }
    flush();
    if (line.startsWith("From ")) {
      if (n === 0) {
        msg.unixfrom = line.replace(TRAILING_EOL, "");
        continue;
      }
      if (n === lines.length - 1) return line; // probably the body's first line
      msg.defects.push({ name: "MisplacedEnvelopeHeaderDefect", line });
      continue;
    }
    const colon = line.indexOf(":");
    if (colon === 0) {
      msg.defects.push({ name: "InvalidHeaderDefect", line });
      continue;
    }
    lastName = line.slice(0, colon);
    lastLines = [line];
  }
  flush();
  return undefined;
}

/** Limits for `readHeaders`. */
export interface HeaderLimits {
  /** Longest line, in bytes. @default 65536 */
  maxLineLength?: number;
  /** Most lines. @default 100 */
  maxHeaders?: number;
  /** What the lines are, for the errors: `"header line"` or `"trailer line"`. @default "header line" */
  lineType?: string;
}

/**
 * Python's `http.client._read_headers`: reads header lines up to and
 * including the blank line (or the end of the stream).
 * @throws LineTooLong ("header line") past `maxLineLength`, TooManyHeaders
 *   ("got more than 100 headers", a plain HTTPException in Python) past `maxHeaders`
 */
export async function readHeaders(reader: BufferedReader, limits: HeaderLimits = {}): Promise<Buffer[]> {
  const maxLine = limits.maxLineLength ?? MAX_LINE;
  const maxHeaders = limits.maxHeaders ?? MAX_HEADERS;
  const lineType = limits.lineType ?? "header line";
  const lines: Buffer[] = [];
  for (;;) {
    const line = await reader.readline(maxLine + 1);
    if (line.length > maxLine) throw new LineTooLong(lineType);
    lines.push(line);
    if (lines.length > maxHeaders) throw new TooManyHeaders(maxHeaders, lineType);
    if (
      line.length === 0 ||
      (line.length === 1 && line[0] === 0x0a) ||
      (line.length === 2 && line[0] === 0x0d && line[1] === 0x0a)
    ) {
      return lines;
    }
  }
}

/**
 * Python's `http.client.parse_headers(fp)`: reads a header block from
 * `reader` and parses it.
 * @throws LineTooLong, TooManyHeaders
 */
export async function parseHeaders(reader: BufferedReader, limits: HeaderLimits = {}): Promise<HTTPMessage> {
  const lines = await readHeaders(reader, limits);
  return parseHeaderBlock(Buffer.concat(lines).toString("latin1"));
}
