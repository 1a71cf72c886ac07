/**
 * Python's `email.charset`: what the email package knows of each character
 * set it writes: how to encode its headers (RFC 2047 "Q", "B", or the
 * shorter) and bodies (quoted-printable, base64, or none), and which charset
 * to convert to for output. Texts are encoded through netkit's one codec
 * module (`src/_codecs.ts`), so a charset netkit has no codec for is a
 * `LookupError` where it must be encoded.
 *
 * @module
 */
import { lookupCodec } from "../_codecs.js";
import { ValueError } from "../errors/index.js";
import { encodeSurrogateEscape, isAscii } from "./_bytes.js";
import * as base64mime from "./base64mime.js";
import { encode7or8bit } from "./encoders.js";
import { CharsetError } from "./errors.js";
import type { Message } from "./message.js";
import * as quoprimime from "./quoprimime.js";

/** Quoted-printable. */
export const QP = 1;
/** Base64. */
export const BASE64 = 2;
/** The shorter of quoted-printable and base64 (headers only). */
export const SHORTEST = 3;
/** An encoding choice: {@link QP}, {@link BASE64}, {@link SHORTEST}, or `null` for none. */
export type Encoding = typeof QP | typeof BASE64 | typeof SHORTEST | null;

const RFC2047_CHROME_LEN = 7;
/** The default charset: `us-ascii`. */
export const DEFAULT_CHARSET = "us-ascii";
/** The pseudo-charset of raw 8-bit bytes of unknown charset. */
export const UNKNOWN8BIT = "unknown-8bit";

/** Python's `CHARSETS`: charset to [header encoding, body encoding, output charset]. */
const CHARSETS = new Map<string, [Encoding, Encoding, string | null]>([
  ["iso-8859-1", [QP, QP, null]],
  ["iso-8859-2", [QP, QP, null]],
  ["iso-8859-3", [QP, QP, null]],
  ["iso-8859-4", [QP, QP, null]],
  ["iso-8859-9", [QP, QP, null]],
  ["iso-8859-10", [QP, QP, null]],
  ["iso-8859-13", [QP, QP, null]],
  ["iso-8859-14", [QP, QP, null]],
  ["iso-8859-15", [QP, QP, null]],
  ["iso-8859-16", [QP, QP, null]],
  ["windows-1252", [QP, QP, null]],
  ["viscii", [QP, QP, null]],
  ["us-ascii", [null, null, null]],
  ["big5", [BASE64, BASE64, null]],
  ["gb2312", [BASE64, BASE64, null]],
  ["euc-jp", [BASE64, null, "iso-2022-jp"]],
  ["shift_jis", [BASE64, null, "iso-2022-jp"]],
  ["iso-2022-jp", [BASE64, null, null]],
  ["koi8-r", [BASE64, BASE64, null]],
  ["utf-8", [SHORTEST, BASE64, "utf-8"]],
]);

/** Python's `ALIASES`: charset names the email package renames. */
const ALIASES = new Map<string, string>([
  ["latin_1", "iso-8859-1"],
  ["latin-1", "iso-8859-1"],
  ["latin_2", "iso-8859-2"],
  ["latin-2", "iso-8859-2"],
  ["latin_3", "iso-8859-3"],
  ["latin-3", "iso-8859-3"],
  ["latin_4", "iso-8859-4"],
  ["latin-4", "iso-8859-4"],
  ["latin_5", "iso-8859-9"],
  ["latin-5", "iso-8859-9"],
  ["latin_6", "iso-8859-10"],
  ["latin-6", "iso-8859-10"],
  ["latin_7", "iso-8859-13"],
  ["latin-7", "iso-8859-13"],
  ["latin_8", "iso-8859-14"],
  ["latin-8", "iso-8859-14"],
  ["latin_9", "iso-8859-15"],
  ["latin-9", "iso-8859-15"],
  ["latin_10", "iso-8859-16"],
  ["latin-10", "iso-8859-16"],
  ["cp949", "ks_c_5601-1987"],
  ["euc_jp", "euc-jp"],
  ["euc_kr", "euc-kr"],
  ["ascii", "us-ascii"],
]);

/** Python's `CODEC_MAP`: charset to codec name (`null`: no codec, ASCII). */
const CODEC_MAP = new Map<string, string | null>([
  ["gb2312", "eucgb2312_cn"],
  ["big5", "big5_tw"],
  ["us-ascii", null],
]);

/**
 * Python's `add_charset`: registers how to encode a charset.
 * @throws {ValueError} for `SHORTEST` as the body encoding
 */
export function addCharset(
  charset: string,
  headerEnc: Encoding = null,
  bodyEnc: Encoding = null,
  outputCharset: string | null = null,
): void {
  if (bodyEnc === SHORTEST) throw new ValueError("SHORTEST not allowed for body_enc");
  CHARSETS.set(charset, [headerEnc, bodyEnc, outputCharset]);
}

/** Python's `ALIASES.get(name, name)`: the canonical name of an alias (case-sensitive, as the dict look-up), else `name`. */
export function resolveAlias(name: string): string {
  return ALIASES.get(name) ?? name;
}

/** Python's `add_alias`: `alias` names the charset `canonical`. */
export function addAlias(alias: string, canonical: string): void {
  ALIASES.set(alias, canonical);
}

/** Python's `add_codec`: the codec that encodes `charset`. */
export function addCodec(charset: string, codecname: string): void {
  CODEC_MAP.set(charset, codecname);
}

/** Python's `charset._encode`: `text` in `codec` (escaped bytes kept as they are for unknown-8bit). */
export function encodeIn(text: string, codec: string): Buffer {
  if (codec === UNKNOWN8BIT) return encodeSurrogateEscape(text);
  return lookupCodec(codec).encode(text, "strict");
}

/** A header encoder: base64mime or quoprimime. */
interface HeaderEncoder {
  headerEncode(bytes: Uint8Array, charset: string): string;
  headerLength(bytes: Uint8Array): number;
}

/**
 * Python's `email.charset.Charset`: a charset's name, its codecs and how to
 * encode its headers and bodies. `String(charset)` is its lower-cased input
 * name, as Python's `str(charset)`.
 */
export class Charset {
  /** The charset asked for, lower-cased and with aliases resolved. */
  readonly inputCharset: string;
  /** How headers are encoded: `QP`, `BASE64`, `SHORTEST` or `null`. */
  headerEncoding: Encoding;
  /** How bodies are encoded: `QP`, `BASE64` or `null`. */
  bodyEncoding: Encoding;
  /** The charset written out (`iso-2022-jp` for `euc-jp`). */
  readonly outputCharset: string;
  /** The codec that decodes input (`null`: ASCII). */
  readonly inputCodec: string | null;
  /** The codec that encodes output (`null`: ASCII). */
  readonly outputCodec: string | null;

  /**
   * @param inputCharset the charset's name (or its ASCII bytes)
   * @throws {CharsetError} for a name that is not ASCII
   */
  constructor(inputCharset: string | Uint8Array = DEFAULT_CHARSET) {
    let name = typeof inputCharset === "string" ? inputCharset : Buffer.from(inputCharset).toString("latin1");
    if (!isAscii(name)) throw new CharsetError(name);
    name = name.toLowerCase();
    this.inputCharset = ALIASES.get(name) ?? name;
    const [henc, benc, conv] = CHARSETS.get(this.inputCharset) ?? [SHORTEST, BASE64, null];
    const out = conv || this.inputCharset;
    this.headerEncoding = henc;
    this.bodyEncoding = benc;
    this.outputCharset = ALIASES.get(out) ?? out;
    this.inputCodec = CODEC_MAP.has(this.inputCharset)
      ? CODEC_MAP.get(this.inputCharset)!
      : this.inputCharset;
    this.outputCodec = CODEC_MAP.has(this.outputCharset)
      ? CODEC_MAP.get(this.outputCharset)!
      : this.outputCharset;
  }

  /** The lower-cased input charset. */
  toString(): string {
    return this.inputCharset.toLowerCase();
  }

  /** Python's `__eq__`: same name, ignoring case (against a `Charset` or a string). */
  equals(other: Charset | string | null | undefined): boolean {
    return other != null && this.toString() === String(other).toLowerCase();
  }

  /**
   * Python's `get_body_encoding`: `"quoted-printable"`, `"base64"`, or the
   * `encode7or8bit` function when the body needs no encoding.
   */
  getBodyEncoding(): string | ((msg: Message) => void) {
    if (this.bodyEncoding === QP) return "quoted-printable";
    if (this.bodyEncoding === BASE64) return "base64";
    return encode7or8bit;
  }

  /** Python's `get_output_charset`. */
  getOutputCharset(): string {
    return this.outputCharset || this.inputCharset;
  }

  #encoder(bytes: Uint8Array): HeaderEncoder | null {
    if (this.headerEncoding === BASE64) return base64mime;
    if (this.headerEncoding === QP) return quoprimime;
    if (this.headerEncoding === SHORTEST) {
      return base64mime.headerLength(bytes) < quoprimime.headerLength(bytes) ? base64mime : quoprimime;
    }
    return null;
  }

  /**
   * Python's `header_encode`: `text` as one encoded word (or as it is, when
   * the charset needs no header encoding).
   */
  headerEncode(text: string): string {
    const codec = this.outputCodec || "us-ascii";
    const bytes = encodeIn(text, codec);
    const encoder = this.#encoder(bytes);
    if (encoder === null) return text;
    return encoder.headerEncode(bytes, codec);
  }

  /**
   * Python's `header_encode_lines`: `text` as encoded words, each fitting
   * the next length `maxlengths` yields; a `null` first entry means not
   * even one character fits the first line.
   */
  headerEncodeLines(text: string, maxlengths: Iterator<number>): (string | null)[] {
    const codec = this.outputCodec || "us-ascii";
    const encoder = this.#encoder(encodeIn(text, codec))!;
    const charset = this.getOutputCharset();
    const extra = charset.length + RFC2047_CHROME_LEN;
    const lines: (string | null)[] = [];
    let current: string[] = [];
    let maxlen = maxlengths.next().value! - extra;
    for (const ch of text) {
      current.push(ch);
      const length = encoder.headerLength(encodeIn(current.join(""), charset));
      if (length > maxlen) {
        current.pop();
        if (lines.length === 0 && current.length === 0) lines.push(null);
        else lines.push(encoder.headerEncode(encodeIn(current.join(""), codec), codec));
        current = [ch];
        maxlen = maxlengths.next().value! - extra;
      }
    }
    lines.push(encoder.headerEncode(encodeIn(current.join(""), codec), codec));
    return lines;
  }

  /**
   * Python's `body_encode`: a body in the charset's body encoding. Text is
   * encoded in the output charset first; for no encoding, text comes back as
   * (ASCII-checked) text.
   */
  bodyEncode(body: string | Uint8Array | null): string | Uint8Array | null {
    if (body === null || body.length === 0) return body;
    if (this.bodyEncoding === BASE64) {
      const bytes = typeof body === "string" ? lookupCodec(this.outputCharset).encode(body, "strict") : body;
      return base64mime.bodyEncode(bytes);
    }
    if (this.bodyEncoding === QP) {
      const bytes = typeof body === "string" ? lookupCodec(this.outputCharset).encode(body, "strict") : body;
      return quoprimime.bodyEncode(Buffer.from(bytes).toString("latin1"));
    }
    if (typeof body === "string") {
      return lookupCodec("ascii").decode(lookupCodec(this.outputCharset).encode(body, "strict"), "strict");
    }
    return body;
  }
}
