/**
 * A small, safe XML reader for XML-RPC: the subset expat parses for Python's
 * `xmlrpc.client`, reported as start / data / end events.
 *
 * What it reads, with expat's semantics: the XML declaration (version,
 * encoding, standalone), elements and attributes (checked, then dropped:
 * XML-RPC has none), character data with `\r\n` and `\r` read as `\n`,
 * CDATA sections, comments and processing instructions (skipped), the five
 * predefined entities and numeric character references. Encodings: UTF-8
 * (the default; a BOM is allowed), UTF-16 with a BOM, and every single-byte
 * charset of netkit's codecs that agrees with ASCII (Latin-1, ASCII, ISO
 * 8859, Windows, KOI8, Mac, ...) under Python's names, as pyexpat reads
 * them; multi-byte encodings are refused as Python refuses them.
 *
 * What it refuses (safer than Python, which hands a DTD to expat): any
 * `<!DOCTYPE`, so there are no entity declarations to expand (billion
 * laughs) and no external entities (XXE). Limits: the document size and
 * the element depth. Errors read as expat's (`mismatched tag: line 1,
 * column 26`) and are `ExpatError`s; a limit or a DOCTYPE is a `ResponseError`.
 *
 * @module
 */

import { asBuffer } from "../_buffer.js";
import { isMultibyteCodec, missingPythonCodec, UTF8_CODEC } from "../_codecs.js";
import { hasCode, ValueError } from "../errors/index.js";
import { type Codec, decodeBytes, expatTableCodec, findCodec, lookupCodec } from "./_codec.js";
import { ExpatError, ResponseError } from "./_errors.js";
import { MAX_DEPTH, MAX_DOCUMENT_SIZE } from "./_limits.js";

/** Receives the document's events, as expat's handlers do. */
export interface XmlHandler {
  /** An element opens (attributes are not passed: XML-RPC has none). */
  start(name: string): void;
  /** Character data (possibly in several pieces). */
  data(text: string): void;
  /** An element closes. */
  end(name: string): void;
}

/** Limits for `parseXml`. */
export interface XmlLimits {
  /** Largest document, in bytes (UTF-16 code units for a string). @default 20 MiB */
  maxSize?: number;
  /** Deepest element nesting. @default 1000 */
  maxDepth?: number;
}

const NAME_START =
  ":A-Z_a-z\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02FF\\u0370-\\u037D\\u037F-\\u1FFF\\u200C-\\u200D\\u2070-\\u218F\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFFD\\u{10000}-\\u{EFFFF}";
const NAME_CHAR = `${NAME_START}\\-.0-9\\u00B7\\u0300-\\u036F\\u203F-\\u2040`;
const NAME = new RegExp(`[${NAME_START}][${NAME_CHAR}]*`, "uy");
const WS = /[ \t\r\n]*/y;
const REF = /&(?:#([0-9]+)|#x([0-9a-fA-F]+)|([^\s&;<>"']+));/y;
const BAD_CHAR =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly the characters XML forbids
  /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/**
 * A quick first pass for BAD_CHAR: the forbidden characters and every
 * surrogate (paired ones are fine, so a hit here is checked with BAD_CHAR).
 */
const MAYBE_BAD =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly the characters XML forbids
  /[\x00-\x08\x0B\x0C\x0E-\x1F\uD800-\uDFFF\uFFFE\uFFFF]/;
/** BAD_CHAR without the surrogate cases, for text decoded from bytes (which holds no lone surrogate). */
const BAD_DECODED =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly the characters XML forbids
  /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]/;
export const PREDEFINED: Readonly<Record<string, string>> = {
  lt: "<",
  gt: ">",
  amp: "&",
  quot: '"',
  apos: "'",
};
/** XML-RPC's element names by their first character, for the start-tag fast path (most frequent first). */
const KNOWN_TAGS: Array<readonly string[] | undefined> = Array.from({ length: 128 }, () => undefined);
for (const name of [
  "value",
  "member",
  "name",
  "string",
  "int",
  "i4",
  "i8",
  "i1",
  "i2",
  "double",
  "boolean",
  "base64",
  "dateTime.iso8601",
  "struct",
  "array",
  "data",
  "nil",
  "ex:nil",
  "param",
  "params",
  "methodResponse",
  "methodCall",
  "methodName",
  "fault",
  "float",
  "biginteger",
  "bigdecimal",
]) {
  const c = name.charCodeAt(0);
  KNOWN_TAGS[c] = [...(KNOWN_TAGS[c] ?? []), name];
}
/** The UTF-16 names expat knows itself; Python's other spellings go to Python's codecs (and are refused). */
const EXPAT_UTF16 = /^utf-16(le|be)?$/i;

/** True for a code point XML allows (`Char` in XML 1.0). */
export function isXmlChar(cp: number): boolean {
  return (
    cp === 0x9 ||
    cp === 0xa ||
    cp === 0xd ||
    (cp >= 0x20 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd) ||
    (cp >= 0x10000 && cp <= 0x10ffff)
  );
}

/**
 * Parses a whole XML document, calling `handler` for each event.
 * @throws ExpatError for XML that is not well-formed; ResponseError for a DOCTYPE or a limit; LookupError for an unknown encoding
 */
export function parseXml(input: Uint8Array | string, handler: XmlHandler, limits: XmlLimits = {}): void {
  tokenizeXml(prepareXml(input, limits), handler, limits);
}

/** A document decoded to text and checked for size and forbidden characters, ready to tokenize. */
export interface PreparedXml {
  /** The text, cut before the first character or byte that is not allowed. */
  readonly text: string;
  /** Why the text was cut (expat's reason), or `null` when it is the whole document. */
  readonly cut: { reason: string } | null;
  /** The declaration names UTF-16 for bytes that are not. */
  readonly declEncodingWrong: boolean;
  /** The bytes started with a byte order mark, which expat counts as a column of line 1. */
  readonly bom?: boolean;
}

/**
 * The first half of `parseXml`: the size limit, the encoding, the forbidden characters.
 * @throws ResponseError past the size limit; LookupError for an unknown encoding; ExpatError for bad UTF-16
 */
export function prepareXml(input: Uint8Array | string, limits: XmlLimits = {}): PreparedXml {
  const maxSize = limits.maxSize ?? MAX_DOCUMENT_SIZE;
  if (input.length > maxSize) {
    throw new ResponseError(
      `XML-RPC document of ${input.length} bytes exceeds the limit of ${maxSize} bytes`,
    );
  }
  let text: string;
  let cut: { reason: string } | null = null;
  let declEncodingWrong = false;
  let bytesClean = false;
  let bom = false;
  if (typeof input === "string") text = input;
  else {
    const decoded = decodeDocument(input);
    text = decoded.text;
    declEncodingWrong = decoded.declEncodingWrong;
    bom = decoded.bom === true;
    bytesClean = decoded.bytesClean;
    if (decoded.badReason) cut = { reason: decoded.badReason };
  }
  // Text decoded from bytes (strict UTF-8, UTF-16 or a one-byte codec) holds no lone surrogate,
  // so only the forbidden characters are looked for; a string is checked in full.
  const bad = bytesClean
    ? null
    : typeof input === "string"
      ? MAYBE_BAD.test(text)
        ? BAD_CHAR.exec(text)
        : null
      : BAD_DECODED.exec(text);
  if (bad) {
    text = text.slice(0, bad.index);
    cut = { reason: "not well-formed (invalid token)" };
  }
  return { text, cut, declEncodingWrong, bom };
}

/**
 * The second half of `parseXml`: the events of a prepared document.
 * @throws ExpatError for XML that is not well-formed; ResponseError for a DOCTYPE or the depth limit
 */
export function tokenizeXml(doc: PreparedXml, handler: XmlHandler, limits: XmlLimits = {}): void {
  new Tokenizer(doc, handler, limits.maxDepth ?? MAX_DEPTH).run();
}

interface DecodedDocument {
  text: string;
  /** True when the bytes were seen to hold none of the characters XML forbids (so the text holds none). */
  bytesClean: boolean;
  /** Set when the bytes stop decoding: the text ends there and this is expat's reason. */
  badReason: string | null;
  declEncodingWrong: boolean;
  /** A byte order mark came first (and is not in `text`). */
  bom?: boolean;
}

/** Picks the encoding (BOM, then the declaration, then UTF-8) and decodes. */
function decodeDocument(bytes: Uint8Array): DecodedDocument {
  const b0 = bytes[0];
  const b1 = bytes[1];
  if ((b0 === 0xfe && b1 === 0xff) || (b0 === 0xff && b1 === 0xfe)) {
    try {
      const decoder = new TextDecoder(b0 === 0xfe ? "utf-16be" : "utf-16le", { fatal: true });
      return {
        text: decoder.decode(bytes.subarray(2)),
        badReason: null,
        declEncodingWrong: false,
        bytesClean: false,
        bom: true,
      };
    } catch (err) {
      if (!hasCode(err, "ERR_ENCODING_INVALID_ENCODED_DATA")) throw err;
      throw new ExpatError("not well-formed (invalid token)", 1, 0);
    }
  }
  // Expat also recognises UTF-16 without a BOM by the "<?" it starts with.
  const utf16 = b0 === 0x3c && b1 === 0 && bytes[2] === 0x3f && bytes[3] === 0 ? "le" : undefined;
  const utf16be = b0 === 0 && b1 === 0x3c && bytes[2] === 0 && bytes[3] === 0x3f ? "be" : undefined;
  if (utf16 || utf16be) return decodeUtf16Document(bytes, (utf16 ?? utf16be)!);
  let body = bytes;
  const bom = b0 === 0xef && b1 === 0xbb && bytes[2] === 0xbf;
  if (bom) body = bytes.subarray(3);
  let codec: Codec = UTF8_CODEC;
  let declEncodingWrong = false;
  const decl = declaredEncoding(body);
  // A name that is no EncName is expat's "not well-formed" (see #xmlDecl), not a lookup.
  if (decl !== null && badEncNameAt(decl.name) < 0) {
    if (EXPAT_UTF16.test(decl.name)) declEncodingWrong = true;
    else codec = declaredCodec(decl.name, decl.at + (bom ? 1 : 0));
  }
  const { text, badOffset } = decodeBytes(body, codec);
  // In UTF-8 and the ASCII-compatible single-byte charsets the forbidden characters are these bytes (U+FFFE and U+FFFF only
  // in UTF-8), so large documents are checked with native byte searches instead of a regex.
  const bytesClean = body.length >= 16384 && !holdsForbiddenBytes(body);
  if (badOffset < 0) return { text, badReason: null, declEncodingWrong, bytesClean, bom };
  const partial = codec === UTF8_CODEC && isPartialAtEnd(body, badOffset);
  return {
    text,
    badReason: partial ? "partial character" : "not well-formed (invalid token)",
    declEncodingWrong,
    bytesClean,
    bom,
  };
}

/**
 * A document in UTF-16 without a BOM, as expat reads it: the declaration
 * must name UTF-16 in that byte order (`UTF-16`, `UTF-16LE`); another of
 * expat's UTF-16 names is "incorrect", any other name goes to Python's codecs.
 */
function decodeUtf16Document(bytes: Uint8Array, order: "le" | "be"): DecodedDocument {
  let text: string;
  try {
    text = new TextDecoder(order === "le" ? "utf-16le" : "utf-16be", { fatal: true }).decode(bytes);
  } catch (err) {
    if (!hasCode(err, "ERR_ENCODING_INVALID_ENCODED_DATA")) throw err;
    throw new ExpatError("not well-formed (invalid token)", 1, 0);
  }
  const decl = declaredEncoding(Buffer.from(text, "latin1"));
  if (decl !== null && badEncNameAt(decl.name) < 0) {
    if (!EXPAT_UTF16.test(decl.name)) declaredCodec(decl.name, decl.at);
    const name = decl.name.toLowerCase();
    const wrong = name !== "utf-16" && name !== `utf-16${order}`;
    return { text, badReason: null, declEncodingWrong: wrong, bytesClean: false };
  }
  return { text, badReason: null, declEncodingWrong: false, bytesClean: false };
}

/**
 * The codec for a declared encoding, as pyexpat takes it: expat's own
 * encodings, else Python's codec when it is a single-byte one that agrees
 * with ASCII, else the 256-byte table pyexpat makes of the codec (so a
 * document declared ISO-2022-JP, HZ or UTF-8-SIG reads as ASCII).
 * @throws ValueError "multi-byte encodings are not supported" for UTF-32 and
 *   Python's East Asian codecs (Python's message); ExpatError "unknown
 *   encoding" for a charset whose table changes ASCII (cp864, EBCDIC);
 *   LookupError for another encoding netkit lacks
 */
function declaredCodec(name: string, at: number): Codec {
  const codec = findCodec(name);
  if (!codec) {
    const missing = missingPythonCodec(name);
    if (missing?.multibyte) throw new ValueError("multi-byte encodings are not supported");
    return lookupCodec(name); // throws Python's LookupError, naming a codec netkit lacks
  }
  if (codec.module.startsWith("utf_16") || codec.module.startsWith("utf_32") || isMultibyteCodec(codec)) {
    throw new ValueError("multi-byte encodings are not supported");
  }
  if (codec.asciiCompatible) return codec;
  // What pyexpat does with the rest (cp864, EBCDIC, the stateful ISO-2022-JP and HZ): a table of one
  // character per byte, if the codec gives one.
  const table = expatTableCodec(codec);
  if (table === "multi-byte") throw new ValueError("multi-byte encodings are not supported");
  if (table === "unknown") throw new ExpatError("unknown encoding", 1, at);
  return table;
}

/** The control bytes XML forbids: 0x00-0x1F but tab, line feed and carriage return. */
const FORBIDDEN_BYTES = Array.from({ length: 32 }, (_, b) => b).filter(
  (b) => b !== 9 && b !== 10 && b !== 13,
);
const UTF8_FFFE = Buffer.from([0xef, 0xbf, 0xbe]);
const UTF8_FFFF = Buffer.from([0xef, 0xbf, 0xbf]);

/** True when `bytes` (UTF-8 or an ASCII-compatible single-byte charset) may encode a character XML forbids. */
function holdsForbiddenBytes(bytes: Uint8Array): boolean {
  const buf = asBuffer(bytes);
  for (const b of FORBIDDEN_BYTES) if (buf.includes(b)) return true;
  return buf.includes(UTF8_FFFE) || buf.includes(UTF8_FFFF);
}

/**
 * The `encoding` pseudo-attribute of an XML declaration at the start of
 * `bytes`, if any, and the column its value starts at (the declaration is on line 1).
 */
function declaredEncoding(bytes: Uint8Array): { name: string; at: number } | null {
  if (bytes.length < 6) return null;
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 1024)).toString("latin1");
  if (!/^<\?xml[ \t\r\n]/.test(head)) return null;
  const end = head.indexOf("?>");
  const decl = end < 0 ? head : head.slice(0, end);
  const m = /[ \t\r\n]encoding[ \t\r\n]*=[ \t\r\n]*(?:"([^"]*)"|'([^']*)')/.exec(decl);
  if (!m) return null;
  const name = m[1] ?? m[2] ?? "";
  return { name, at: m.index + m[0].length - name.length - 1 };
}

/** True when the bytes from `offset` are the start of a UTF-8 sequence cut off by the end of data. */
function isPartialAtEnd(b: Uint8Array, offset: number): boolean {
  const c = b[offset]!;
  const need = c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : 0;
  if (need === 0 || offset + need < b.length) return false;
  for (let i = offset + 1; i < b.length; i++) if ((b[i]! & 0xc0) !== 0x80) return false;
  return true;
}

/** The tokenizer proper, over decoded text. */
class Tokenizer {
  readonly #s: string;
  readonly #cut: { reason: string } | null;
  readonly #declEncodingWrong: boolean;
  /** Columns of line 1 start here: 1 after a byte order mark, which expat counts. */
  readonly #firstColumn: number;
  readonly #h: XmlHandler;
  readonly #maxDepth: number;
  #pos = 0;
  readonly #stack: string[] = [];

  constructor(doc: PreparedXml, h: XmlHandler, maxDepth: number) {
    this.#s = doc.text;
    this.#cut = doc.cut;
    this.#declEncodingWrong = doc.declEncodingWrong;
    this.#firstColumn = doc.bom ? 1 : 0;
    this.#h = h;
    this.#maxDepth = maxDepth;
  }

  /** An ExpatError at text position `pos`, with expat's line and column. */
  #error(reason: string, pos: number): ExpatError {
    const s = this.#s;
    let line = 1;
    let lineStart = 0;
    for (let i = 0; i < pos && i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c === 0x0a || (c === 0x0d && s.charCodeAt(i + 1) !== 0x0a)) {
        line++;
        lineStart = i + 1;
      }
    }
    // expat counts columns in characters: a surrogate pair is one
    let column = pos - lineStart;
    for (let i = lineStart; i < pos - 1; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff) {
        const d = s.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) {
          column--;
          i++;
        }
      }
    }
    return new ExpatError(reason, line, line === 1 ? column + this.#firstColumn : column);
  }

  /** The error for running out of text: the undecodable byte where the text was cut, else `reason` at `pos`. */
  #eof(reason: string, pos: number): ExpatError {
    if (this.#cut) return this.#error(this.#cut.reason, this.#s.length);
    return this.#error(reason, pos);
  }

  /** An error at `pos` when the text goes on there, else the end-of-text error for the token at `tokenStart`. */
  #invalidAt(pos: number, tokenStart: number): ExpatError {
    if (pos >= this.#s.length) return this.#eof("unclosed token", tokenStart);
    return this.#error("not well-formed (invalid token)", pos);
  }

  #skipWs(): void {
    WS.lastIndex = this.#pos;
    WS.exec(this.#s);
    this.#pos = WS.lastIndex;
  }

  #name(at: number): string | null {
    NAME.lastIndex = at;
    const m = NAME.exec(this.#s);
    return m ? m[0] : null;
  }

  run(): void {
    const s = this.#s;
    if (s.startsWith("<?xml") && /^[ \t\r\n]/.test(s.charAt(5))) this.#xmlDecl();
    // Prolog: whitespace, comments, PIs, until the root element.
    for (;;) {
      this.#skipWs();
      if (this.#pos >= s.length) throw this.#eof("no element found", this.#pos);
      if (s.charCodeAt(this.#pos) !== 0x3c) throw this.#error("syntax error", this.#pos);
      if (s.startsWith("<!--", this.#pos)) this.#comment();
      else if (s.startsWith("<?", this.#pos)) this.#pi();
      else if (s.startsWith("<!DOCTYPE", this.#pos)) {
        throw new ResponseError(
          "XML-RPC data must not contain a DOCTYPE (netkit refuses DTDs and entity declarations)",
        );
      } else if (this.#pos + 1 >= s.length) throw this.#eof("unclosed token", this.#pos);
      else if (s.startsWith("<!", this.#pos)) throw this.#invalidAt(this.#pos + 2, this.#pos);
      else break;
    }
    this.#startTag();
    this.#content();
    // Epilog: only whitespace, comments and PIs may follow the root element.
    for (;;) {
      this.#skipWs();
      if (this.#pos >= s.length) {
        if (this.#cut) throw this.#eof("", this.#pos);
        return;
      }
      if (s.startsWith("<!--", this.#pos)) this.#comment();
      else if (s.startsWith("<?", this.#pos)) this.#pi();
      else if (s.charCodeAt(this.#pos) === 0x3c && this.#pos + 1 >= s.length)
        throw this.#eof("unclosed token", this.#pos);
      else throw this.#error("junk after document element", this.#pos);
    }
  }

  /** The XML declaration at position 0: `version`, then `encoding`, then `standalone`. */
  #xmlDecl(): void {
    const s = this.#s;
    const end = s.indexOf("?>");
    if (end < 0) throw this.#eof("unclosed token", 0);
    const wanted = ["version", "encoding", "standalone"];
    let pos = 5;
    let index = 0;
    for (;;) {
      WS.lastIndex = pos;
      WS.exec(s);
      const afterWs = WS.lastIndex;
      if (afterWs === end) break;
      const m = /([A-Za-z]+)[ \t\r\n]*=[ \t\r\n]*(?:"([^"]*)"|'([^']*)')/y;
      m.lastIndex = afterWs;
      const hit = afterWs > pos ? m.exec(s) : null;
      if (!hit || m.lastIndex > end) throw this.#error("XML declaration not well-formed", afterWs);
      const name = hit[1]!;
      const value = hit[2] ?? hit[3] ?? "";
      let found = wanted.indexOf(name, index);
      if (found < 0 || (index === 0 && found !== 0)) found = -1;
      if (found < 0) throw this.#error("XML declaration not well-formed", afterWs);
      const valueAt = afterWs + hit[0].length - value.length - 1;
      // expat checks the characters of the version and the encoding name
      // (not the version number itself) and reports the first bad one.
      if (name === "version") {
        const bad = firstBadChar(value, VERSION_CHAR, VERSION_CHAR);
        if (bad >= 0) throw this.#error("XML declaration not well-formed", valueAt + bad);
      }
      if (name === "encoding") {
        const bad = badEncNameAt(value);
        if (bad >= 0) throw this.#error("XML declaration not well-formed", valueAt + bad);
        if (this.#declEncodingWrong)
          throw this.#error("encoding specified in XML declaration is incorrect", valueAt);
      }
      if (name === "standalone" && value !== "yes" && value !== "no") {
        throw this.#error("XML declaration not well-formed", valueAt);
      }
      index = found + 1;
      pos = m.lastIndex;
    }
    if (index === 0) throw this.#error("XML declaration not well-formed", 5);
    this.#pos = end + 2;
  }

  #comment(): void {
    const start = this.#pos;
    const s = this.#s;
    const dash = s.indexOf("--", start + 4);
    if (dash < 0) throw this.#eof("unclosed token", start);
    if (dash + 2 >= s.length) throw this.#eof("unclosed token", start);
    if (s.charCodeAt(dash + 2) !== 0x3e) throw this.#error("not well-formed (invalid token)", dash + 2);
    this.#pos = dash + 3;
  }

  #pi(): void {
    const start = this.#pos;
    const s = this.#s;
    const target = this.#name(start + 2);
    if (target === null) throw this.#invalidAt(start + 2, start);
    const afterTarget = start + 2 + target.length;
    if (afterTarget >= s.length) throw this.#eof("unclosed token", start);
    if (target.toLowerCase() === "xml") {
      if (target === "xml") throw this.#error("XML or text declaration not at start of entity", start);
      throw this.#error("not well-formed (invalid token)", afterTarget);
    }
    if (!s.startsWith("?>", afterTarget)) {
      if (afterTarget >= s.length) throw this.#eof("unclosed token", start);
      if (!/[ \t\r\n]/.test(s.charAt(afterTarget)))
        throw this.#error("not well-formed (invalid token)", afterTarget);
    }
    const end = s.indexOf("?>", afterTarget);
    if (end < 0) throw this.#eof("unclosed token", start);
    this.#pos = end + 2;
  }

  /** A start tag at `#pos` (known to begin with `<`): checks attributes, emits `start`. */
  #startTag(): void {
    const s = this.#s;
    const start = this.#pos;
    const name = this.#name(start + 1);
    if (name === null) throw this.#invalidAt(start + 1, start);
    let pos = start + 1 + name.length;
    const seen = new Set<string>();
    for (;;) {
      if (pos >= s.length) throw this.#eof("unclosed token", start);
      const c = s.charCodeAt(pos);
      if (c === 0x3e) {
        pos++;
        break;
      }
      if (c === 0x2f) {
        if (pos + 1 >= s.length) throw this.#eof("unclosed token", start);
        if (s.charCodeAt(pos + 1) !== 0x3e) throw this.#error("not well-formed (invalid token)", pos + 1);
        this.#pos = pos + 2;
        this.#open(name, start);
        this.#close(name);
        return;
      }
      WS.lastIndex = pos;
      WS.exec(s);
      if (WS.lastIndex === pos) throw this.#error("not well-formed (invalid token)", pos);
      pos = WS.lastIndex;
      if (pos >= s.length) throw this.#eof("unclosed token", start);
      const cc = s.charCodeAt(pos);
      if (cc === 0x3e || cc === 0x2f) continue;
      const attr = this.#name(pos);
      if (attr === null) throw this.#invalidAt(pos, start);
      if (seen.has(attr)) throw this.#error("duplicate attribute", pos);
      seen.add(attr);
      pos += attr.length;
      WS.lastIndex = pos;
      WS.exec(s);
      pos = WS.lastIndex;
      if (s.charCodeAt(pos) !== 0x3d) throw this.#invalidAt(pos, start);
      WS.lastIndex = pos + 1;
      WS.exec(s);
      pos = WS.lastIndex;
      const quote = s.charAt(pos);
      if (quote !== '"' && quote !== "'") throw this.#invalidAt(pos, start);
      const close = s.indexOf(quote, pos + 1);
      const valueEnd = close < 0 ? s.length : close;
      const lt = s.indexOf("<", pos + 1);
      if (lt >= 0 && lt < valueEnd) throw this.#error("not well-formed (invalid token)", lt);
      this.#checkRefs(s.slice(pos + 1, valueEnd), pos + 1, start);
      if (close < 0) throw this.#eof("unclosed token", start);
      pos = close + 1;
      if (pos < s.length && !/[ \t\r\n/>]/.test(s.charAt(pos)))
        throw this.#error("not well-formed (invalid token)", pos);
    }
    this.#pos = pos;
    this.#open(name, start);
  }

  /** Checks the references in an attribute value (expat reports a bad one at the tag's start). */
  #checkRefs(value: string, offset: number, tagStart: number): void {
    let i = value.indexOf("&");
    while (i >= 0) {
      REF.lastIndex = i;
      const m = REF.exec(value);
      if (!m) {
        if (value.indexOf(";", i) < 0 && offset + value.length >= this.#s.length)
          throw this.#eof("unclosed token", tagStart);
        throw this.#error("not well-formed (invalid token)", offset + i + 1);
      }
      this.#refText(m, offset + i, tagStart);
      i = value.indexOf("&", REF.lastIndex);
    }
  }

  #open(name: string, at: number): void {
    if (this.#stack.length >= this.#maxDepth) {
      throw new ResponseError(
        `XML-RPC data nests elements deeper than the limit of ${this.#maxDepth} (at offset ${at})`,
      );
    }
    this.#stack.push(name);
    this.#h.start(name);
  }

  #close(name: string): void {
    this.#stack.pop();
    this.#h.end(name);
  }

  /** The text of a matched reference, or the error expat gives for it. */
  #refText(m: RegExpExecArray, at: number, reportAt: number): string {
    if (m[3] !== undefined) {
      const t = PREDEFINED[m[3]];
      if (t === undefined || !Object.hasOwn(PREDEFINED, m[3])) {
        if (this.#name(at + 1) !== m[3]) throw this.#error("not well-formed (invalid token)", at + 1);
        throw this.#error("undefined entity", reportAt);
      }
      return t;
    }
    const digits = m[1] ?? m[2]!;
    const cp = digits.length > 8 ? -1 : Number.parseInt(digits, m[1] !== undefined ? 10 : 16);
    if (!isXmlChar(cp)) throw this.#error("reference to invalid character number", at);
    return String.fromCodePoint(cp);
  }

  /**
   * Element content until the root element closes.
   *
   * The fast paths give exactly the general path's events and errors: a
   * start tag that is a known XML-RPC name followed by `>` (or `/>`), an
   * end tag that names the open element followed by `>`, and text between
   * tags found with `indexOf` (the next `&`, `]]>` and `\r` are found once
   * and reused until the position passes them). Anything else (attributes,
   * whitespace in tags, other names, mismatches) takes the general path.
   */
  #content(): void {
    const s = this.#s;
    const h = this.#h;
    const stack = this.#stack;
    const len = s.length;
    let nextAmp = -1;
    let nextCdataEnd = -1;
    let nextCr = -1;
    while (stack.length > 0) {
      const pos = this.#pos;
      if (pos >= len) throw this.#eof("no element found", pos);
      const c = s.charCodeAt(pos);
      if (c === 0x3c) {
        if (pos + 1 >= len) throw this.#eof("unclosed token", pos);
        const c1 = s.charCodeAt(pos + 1);
        if (c1 === 0x2f) {
          const top = stack[stack.length - 1]!;
          const after = pos + 2 + top.length;
          if (s.charCodeAt(after) === 0x3e && s.startsWith(top, pos + 2)) {
            this.#pos = after + 1;
            this.#close(top);
          } else this.#endTag();
        } else if (c1 === 0x21) {
          if (s.startsWith("<!--", pos)) this.#comment();
          else if (s.startsWith("<![CDATA[", pos)) {
            const end = s.indexOf("]]>", pos + 9);
            if (end < 0) {
              if (this.#cut) throw this.#eof("", pos);
              throw this.#error("unclosed CDATA section", s.length);
            }
            if (end > pos + 9) h.data(newlines(s.slice(pos + 9, end)));
            this.#pos = end + 3;
          } else if (
            "<![CDATA[".startsWith(s.slice(pos, pos + 9)) ||
            "<!--".startsWith(s.slice(pos, pos + 4))
          ) {
            throw this.#eof("unclosed token", pos);
          } else
            throw this.#error(
              "not well-formed (invalid token)",
              s.charCodeAt(pos + 2) === 0x2d ? pos + 3 : pos + 2,
            );
        } else if (c1 === 0x3f) this.#pi();
        else if (!this.#knownStartTag(pos, c1)) this.#startTag();
      } else if (c === 0x26) {
        REF.lastIndex = pos;
        const m = REF.exec(s);
        if (!m) {
          const semi = s.indexOf(";", pos);
          const name = this.#name(pos + 1);
          if (semi < 0 && (name === null ? pos + 1 >= s.length : pos + 1 + name.length >= s.length)) {
            throw this.#eof("unclosed token", pos);
          }
          if (s.charAt(pos + 1) === "#") {
            const num = /#(x[0-9a-fA-F]*|[0-9]*)/y;
            num.lastIndex = pos + 1;
            num.exec(s);
            if (num.lastIndex >= s.length) throw this.#eof("unclosed token", pos);
            throw this.#error("not well-formed (invalid token)", num.lastIndex);
          }
          throw this.#error(
            "not well-formed (invalid token)",
            name === null ? pos + 1 : pos + 1 + name.length,
          );
        }
        h.data(this.#refText(m, pos, pos));
        this.#pos = REF.lastIndex;
      } else {
        let end = s.indexOf("<", pos);
        if (end < 0) end = len;
        if (nextAmp < pos) {
          nextAmp = s.indexOf("&", pos);
          if (nextAmp < 0) nextAmp = len;
        }
        if (nextAmp < end) end = nextAmp;
        // `]]>` holds neither `<` nor `&`: one starting before `end` lies wholly in this text.
        if (nextCdataEnd < pos) {
          nextCdataEnd = s.indexOf("]]>", pos);
          if (nextCdataEnd < 0) nextCdataEnd = len;
        }
        if (nextCdataEnd < end) throw this.#error("not well-formed (invalid token)", nextCdataEnd + 2);
        if (nextCr < pos) {
          nextCr = s.indexOf("\r", pos);
          if (nextCr < 0) nextCr = len;
        }
        const chunk = s.slice(pos, end);
        h.data(nextCr < end ? chunk.replace(/\r\n?/g, "\n") : chunk);
        this.#pos = end;
      }
    }
  }

  /**
   * The fast path of a start tag at `pos`: one of XML-RPC's names followed
   * by `>` or `/>` (which the general path reads the same way). False,
   * having read nothing, for anything else.
   */
  #knownStartTag(pos: number, c1: number): boolean {
    const names = c1 < 128 ? KNOWN_TAGS[c1] : undefined;
    if (names === undefined) return false;
    const s = this.#s;
    for (const name of names) {
      const after = pos + 1 + name.length;
      const c = s.charCodeAt(after);
      if (c === 0x3e) {
        if (!s.startsWith(name, pos + 1)) continue;
        this.#pos = after + 1;
        this.#open(name, pos);
        return true;
      }
      if (c === 0x2f && s.charCodeAt(after + 1) === 0x3e && s.startsWith(name, pos + 1)) {
        this.#pos = after + 2;
        this.#open(name, pos);
        this.#close(name);
        return true;
      }
    }
    return false;
  }

  #endTag(): void {
    const s = this.#s;
    const start = this.#pos;
    const name = this.#name(start + 2);
    if (name === null) throw this.#invalidAt(start + 2, start);
    let pos = start + 2 + name.length;
    WS.lastIndex = pos;
    WS.exec(s);
    pos = WS.lastIndex;
    if (pos >= s.length) throw this.#eof("unclosed token", start);
    if (s.charCodeAt(pos) !== 0x3e) throw this.#error("not well-formed (invalid token)", pos);
    if (this.#stack[this.#stack.length - 1] !== name) throw this.#error("mismatched tag", start + 2);
    this.#pos = pos + 1;
    this.#close(name);
  }
}

/** XML's end-of-line handling: `\r\n` and a lone `\r` read as `\n`. */
function newlines(text: string): string {
  return text.includes("\r") ? text.replace(/\r\n?/g, "\n") : text;
}

/** The characters expat allows in the version (any number of them; no ":", unlike XML 1.0's VersionNum). */
const VERSION_CHAR = /[A-Za-z0-9_.-]/;
/** XML 1.0's EncName: a letter, then letters, digits, `.`, `_` and `-`. */
const ENCODING_FIRST_CHAR = /[A-Za-z]/;
const ENCODING_CHAR = /[A-Za-z0-9._-]/;

/** Where `name` stops being an EncName (0 for an empty one), or -1 when it is one. */
function badEncNameAt(name: string): number {
  return name === "" ? 0 : firstBadChar(name, ENCODING_FIRST_CHAR, ENCODING_CHAR);
}

/** The index of the first character of `value` outside the allowed ones, or -1. */
function firstBadChar(value: string, first: RegExp, rest: RegExp): number {
  for (let i = 0; i < value.length; i++) {
    if (!(i === 0 ? first : rest).test(value[i]!)) return i;
  }
  return -1;
}
