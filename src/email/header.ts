/**
 * Python's `email.header`: RFC 2047 encoded words both ways, and the header
 * folding of the `compat32` policy.
 *
 * - `Header`: a header value made of chunks, each in a charset; `encode()`
 *   folds it to a line length, writing non-ASCII chunks as encoded words
 *   (RFC 2047 section 2) split so that each line fits.
 * - `decodeHeader`: a raw header value to its `[text or bytes, charset]`
 *   chunks; `makeHeader` builds a `Header` back from them.
 *
 * @module
 */
import { lookupCodec } from "../_codecs.js";
import { encodeRawUnicodeEscape, encodeSurrogateEscape, isSpace, lstrip, splitlines } from "./_bytes.js";
import { decode as b64decode } from "./base64mime.js";
import { Charset, encodeIn, UNKNOWN8BIT } from "./charset.js";
import { HeaderParseError } from "./errors.js";
import { headerDecode } from "./quoprimime.js";

const MAXLINELEN = 78;
const USASCII = new Charset("us-ascii");
const UTF8 = new Charset("utf-8");

/** An RFC 2047 encoded word: charset, encoding, encoded text (Python's `ecre`). */
const ECRE = /=\?([^?]*?)\?([qQbB])\?(.*?)\?=/;
const ECRE_SPLIT = /=\?([^?]*?)\?([qQbB])\?(.*?)\?=/g;
const EMBEDDED_HEADER = /\n[^ \t]+:/;

/** One chunk `decodeHeader` returns: the text (or bytes, when encoded words were present) and its charset. */
export type DecodedChunk = [string | Buffer, string | null];

/**
 * Python's `email.header.decode_header`: splits a header value into its
 * encoded and plain chunks. Without encoded words it returns the value as
 * it is; with them, each chunk is bytes with its charset (`null` for plain
 * text), adjacent chunks of one charset joined.
 * @param header the raw value, or a `Header`
 * @returns the chunks
 * @throws {HeaderParseError} for a "B" word that is not base64
 */
export function decodeHeader(header: string | Header): DecodedChunk[] {
  if (header instanceof Header) {
    return header.chunks.map(([s, cs]) => [encodeIn(s, String(cs)), String(cs)]);
  }
  if (!ECRE.test(header)) return [[header, null]];
  const words: [string, string | null, string | null][] = [];
  for (const line of splitlines(header)) {
    const parts = line.split(ECRE_SPLIT);
    let first = true;
    while (parts.length > 0) {
      let unencoded = parts.shift()!;
      if (first) {
        unencoded = lstrip(unencoded);
        first = false;
      }
      if (unencoded) words.push([unencoded, null, null]);
      if (parts.length > 0) {
        const charset = parts.shift()!.toLowerCase();
        const encoding = parts.shift()!.toLowerCase();
        const encoded = parts.shift()!;
        words.push([encoded, encoding, charset]);
      }
    }
  }
  // Whitespace between two encoded words is dropped (RFC 2047 section 6.2).
  const drop: number[] = [];
  for (let n = 2; n < words.length; n++) {
    if (words[n]![1] && words[n - 2]![1] && isSpace(words[n - 1]![0])) drop.push(n - 1);
  }
  for (const d of drop.reverse()) words.splice(d, 1);
  const decoded: [string | Buffer, string | null][] = [];
  for (const [text, encoding, charset] of words) {
    if (encoding === null) decoded.push([text, charset]);
    else if (encoding === "q") decoded.push([headerDecode(text), charset]);
    else {
      const padErr = text.length % 4;
      const padded = padErr ? text + "===".slice(0, 4 - padErr) : text;
      try {
        decoded.push([b64decode(padded), charset]);
      } catch {
        throw new HeaderParseError("Base64 decoding error");
      }
    }
  }
  const collapsed: DecodedChunk[] = [];
  let lastWord: Buffer | null = null;
  let lastCharset: string | null = null;
  for (const [word, charset] of decoded) {
    const bytes = typeof word === "string" ? encodeRawUnicodeEscape(word) : word;
    if (lastWord === null) {
      lastWord = bytes;
      lastCharset = charset;
    } else if (charset !== lastCharset) {
      collapsed.push([lastWord, lastCharset]);
      lastWord = bytes;
      lastCharset = charset;
    } else if (lastCharset === null) {
      lastWord = Buffer.concat([lastWord, Buffer.from(" "), bytes]);
    } else {
      lastWord = Buffer.concat([lastWord, bytes]);
    }
  }
  collapsed.push([lastWord!, lastCharset]);
  return collapsed;
}

/** Options of `Header` and `makeHeader`. */
export interface HeaderOptions {
  /** The longest line `encode()` makes. @default 78 */
  maxlinelen?: number | null;
  /** The header's name, so the first line leaves room for it. */
  headerName?: string | null;
  /** What starts a continuation line. @default " " */
  continuationWs?: string;
}

/**
 * Python's `email.header.make_header`: a `Header` from `decodeHeader`'s chunks.
 * @param decoded the chunks
 * @param options line length, header name, continuation whitespace
 */
export function makeHeader(
  decoded: readonly (readonly [string | Uint8Array, string | Charset | null])[],
  options: HeaderOptions = {},
): Header {
  const h = new Header(null, null, options);
  for (const [s, charset] of decoded) {
    h.append(s, charset === null || charset instanceof Charset ? charset : new Charset(charset));
  }
  return h;
}

const nonctext = (s: string) => isSpace(s) || s === "(" || s === ")" || s === "\\";
const isPlain = (cs: Charset | null) => cs === null || cs.equals("us-ascii");

/**
 * Python's `email.header.Header`: a header value as chunks of text, each in
 * a charset, which `encode()` writes as ASCII (plain text and RFC 2047
 * encoded words) folded to a line length. `String(header)` is the text, with
 * spaces between chunks as Python puts them.
 */
export class Header {
  #charset: Charset;
  #continuationWs: string;
  #maxlinelen: number;
  #headerlen: number;
  /** The chunks: text and its charset (Python's `_chunks`). */
  chunks: [string, Charset][] = [];

  /**
   * @param s the first chunk (text, or bytes in `charset`)
   * @param charset its charset (default `us-ascii`; non-ASCII text then goes as UTF-8)
   * @param options line length, header name, continuation whitespace, and
   *   the error handler for decoding bytes
   * @throws {UnicodeError} when `s` does not fit `charset`
   */
  constructor(
    s: string | Uint8Array | null = null,
    charset: Charset | string | null = null,
    options: HeaderOptions & { errors?: string } = {},
  ) {
    this.#charset = charset === null ? USASCII : charset instanceof Charset ? charset : new Charset(charset);
    this.#continuationWs = options.continuationWs ?? " ";
    if (s !== null) this.append(s, this.#charset, options.errors ?? "strict");
    this.#maxlinelen = options.maxlinelen ?? MAXLINELEN;
    this.#headerlen = options.headerName == null ? 0 : options.headerName.length + 2;
  }

  /** Python's `str(header)`: the chunks' text joined, unknown-8bit bytes shown as U+FFFD. */
  toString(): string {
    this.#normalize();
    const out: string[] = [];
    let lastcs: Charset | null = null;
    let lastspace = false;
    for (const [chunk, charset] of this.chunks) {
      let string = chunk;
      let nextcs: Charset | null = charset;
      if (nextcs.equals(UNKNOWN8BIT)) {
        string = encodeSurrogateEscape(string)
          .toString("latin1")
          .replace(/[\x80-\xff]/g, "\ufffd");
      }
      if (out.length > 0) {
        const hasspace = string.length > 0 && nonctext(string[0]!);
        if (!isPlain(lastcs)) {
          if (isPlain(nextcs) && !hasspace) {
            out.push(" ");
            nextcs = null;
          }
        } else if (!isPlain(nextcs) && !lastspace) {
          out.push(" ");
        }
      }
      lastspace = string.length > 0 && nonctext(string[string.length - 1]!);
      lastcs = nextcs;
      out.push(string);
    }
    return out.join("");
  }

  /** Python's `__eq__`: equal to a string when `String(header)` is. */
  equals(other: unknown): boolean {
    return String(other) === this.toString();
  }

  /**
   * Python's `append`: adds a chunk. Text that the charset cannot encode
   * goes as UTF-8 when the charset is `us-ascii`.
   * @param s text, or bytes in `charset`'s input codec
   * @param charset the chunk's charset (default: the header's)
   * @param errors the error handler for decoding bytes
   * @throws {UnicodeError} when `s` does not fit `charset`
   */
  append(s: string | Uint8Array, charset: Charset | string | null = null, errors = "strict"): void {
    let cs = charset === null ? this.#charset : charset instanceof Charset ? charset : new Charset(charset);
    let text: string;
    if (typeof s === "string") text = s;
    else {
      const input = cs.inputCodec || "us-ascii";
      text =
        input === UNKNOWN8BIT
          ? Buffer.from(s)
              .toString("latin1")
              .replace(/[\x80-\xff]/g, (c) => String.fromCharCode(0xdc00 + c.charCodeAt(0)))
          : lookupCodec(input).decode(Buffer.from(s), errors);
    }
    const output = cs.outputCodec || "us-ascii";
    if (output !== UNKNOWN8BIT) {
      try {
        lookupCodec(output).encode(text, errors);
      } catch (e) {
        if (output !== "us-ascii") throw e;
        cs = UTF8;
      }
    }
    this.chunks.push([text, cs]);
  }

  /**
   * Python's `encode`: the value folded to `maxlinelen` (0: never), lines
   * joined with `linesep`, non-ASCII chunks as RFC 2047 encoded words.
   * `splitchars` are the characters preferred as fold points, in order.
   * @throws {HeaderParseError} when the result would contain an embedded header
   */
  encode(splitchars = ";, \t", maxlinelen: number | null = null, linesep = "\n"): string {
    this.#normalize();
    let maxlen = maxlinelen ?? this.#maxlinelen;
    if (maxlen === 0) maxlen = 1000000;
    const formatter = new ValueFormatter(this.#headerlen, maxlen, this.#continuationWs, splitchars);
    let lastcs: Charset | null = null;
    let hasspace: boolean | null = null;
    let lastspace = false;
    for (const [string, charset] of this.chunks) {
      if (hasspace !== null) {
        hasspace = string.length > 0 && nonctext(string[0]!);
        if (!isPlain(lastcs)) {
          if (!hasspace || !isPlain(charset)) formatter.addTransition();
        } else if (!isPlain(charset) && !lastspace) {
          formatter.addTransition();
        }
      }
      lastspace = string.length > 0 && nonctext(string[string.length - 1]!);
      lastcs = charset;
      hasspace = false;
      const lines = splitlines(string);
      formatter.feed("", lines[0] ?? "", charset);
      for (const line of lines.slice(1)) {
        formatter.newline();
        if (charset.headerEncoding !== null) {
          formatter.feed(this.#continuationWs, ` ${lstrip(line)}`, charset);
        } else {
          const sline = lstrip(line);
          formatter.feed(line.slice(0, line.length - sline.length), sline, charset);
        }
      }
      if (lines.length > 1) formatter.newline();
    }
    if (this.chunks.length > 0) formatter.addTransition();
    const value = formatter.str(linesep);
    if (EMBEDDED_HEADER.test(value)) {
      throw new HeaderParseError(
        `header value appears to contain an embedded header: ${JSON.stringify(value)}`,
      );
    }
    return value;
  }

  #normalize(): void {
    const chunks: [string, Charset][] = [];
    let lastCharset: Charset | null = null;
    let lastChunk: string[] = [];
    for (const [string, charset] of this.chunks) {
      if (lastCharset !== null && charset.equals(lastCharset)) lastChunk.push(string);
      else {
        if (lastCharset !== null) chunks.push([lastChunk.join(" "), lastCharset]);
        lastChunk = [string];
        lastCharset = charset;
      }
    }
    if (lastChunk.length > 0 && lastCharset !== null) chunks.push([lastChunk.join(" "), lastCharset]);
    this.chunks = chunks;
  }
}

type Part = [fws: string, text: string];

/** Python's `_Accumulator`: the parts of the line being built, and the room the header name takes. */
class Accumulator {
  parts: Part[] = [];
  initialSize: number;
  constructor(initialSize = 0) {
    this.initialSize = initialSize;
  }
  push(fws: string, text: string): void {
    this.parts.push([fws, text]);
  }
  popFrom(i: number): Part[] {
    return this.parts.splice(i);
  }
  pop(): Part {
    return this.parts.pop() ?? ["", ""];
  }
  get length(): number {
    let n = this.initialSize;
    for (const [fws, text] of this.parts) n += fws.length + text.length;
    return n;
  }
  toString(): string {
    let s = "";
    for (const [fws, text] of this.parts) s += fws + text;
    return s;
  }
  reset(start: Part[] = []): void {
    this.parts = start;
    this.initialSize = 0;
  }
  isOnlyWs(): boolean {
    return this.initialSize === 0 && (this.parts.length === 0 || isSpace(this.toString()));
  }
}

/** Python's `_ValueFormatter`: the folding algorithm behind `Header.encode`. */
class ValueFormatter {
  #maxlen: number;
  #continuationWs: string;
  #splitchars: string;
  #lines: string[] = [];
  #current: Accumulator;

  constructor(headerlen: number, maxlen: number, continuationWs: string, splitchars: string) {
    this.#maxlen = maxlen;
    this.#continuationWs = continuationWs;
    this.#splitchars = splitchars;
    this.#current = new Accumulator(headerlen);
  }

  str(linesep: string): string {
    this.newline();
    return this.#lines.join(linesep);
  }

  newline(): void {
    const end = this.#current.pop();
    if (end[0] !== " " || end[1] !== "") this.#current.push(end[0], end[1]);
    if (this.#current.length > 0) {
      if (this.#current.isOnlyWs() && this.#lines.length > 0) {
        this.#lines[this.#lines.length - 1] += this.#current.toString();
      } else {
        this.#lines.push(this.#current.toString());
      }
    }
    this.#current.reset();
  }

  addTransition(): void {
    this.#current.push(" ", "");
  }

  feed(fws: string, string: string, charset: Charset): void {
    if (charset.headerEncoding === null) {
      this.#asciiSplit(fws, string);
      return;
    }
    const self = this;
    function* maxlengths() {
      yield self.#maxlen - self.#current.length;
      for (;;) yield self.#maxlen - self.#continuationWs.length;
    }
    const encoded = charset.headerEncodeLines(string, maxlengths());
    if (encoded.length === 0) return;
    const first = encoded.shift()!;
    if (first !== null) this.#appendChunk(fws, first);
    if (encoded.length === 0) return;
    const last = encoded.pop()!;
    this.newline();
    this.#current.push(this.#continuationWs, last!);
    for (const line of encoded) this.#lines.push(this.#continuationWs + line);
  }

  #asciiSplit(fws: string, string: string): void {
    const parts = (fws + string).split(/([ \t]+)/);
    if (parts[0]) parts.unshift("");
    else parts.shift();
    for (let i = 0; i + 1 < parts.length; i += 2) this.#appendChunk(parts[i]!, parts[i + 1]!);
  }

  #appendChunk(fws: string, string: string): void {
    const cur = this.#current;
    cur.push(fws, string);
    if (cur.length <= this.#maxlen) return;
    let split = -1;
    outer: for (const ch of this.#splitchars) {
      for (let i = cur.parts.length - 1; i > 0; i--) {
        if (isSpace(ch)) {
          const f = cur.parts[i]![0];
          if (f && f[0] === ch) {
            split = i;
            break outer;
          }
        }
        const prev = cur.parts[i - 1]![1];
        if (prev && prev[prev.length - 1] === ch) {
          split = i;
          break outer;
        }
      }
    }
    if (split < 0) {
      let [f, part] = cur.pop();
      if (cur.initialSize > 0) {
        this.newline();
        if (!f) f = " ";
      }
      this.#current.push(f, part);
      return;
    }
    const remainder = cur.popFrom(split);
    this.#lines.push(cur.toString());
    cur.reset(remainder);
  }
}
