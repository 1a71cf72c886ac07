/**
 * The byte-level helpers the email package shares (internal): Python's
 * `ascii`/`surrogateescape` codec, which carries 8-bit message bytes through
 * the text model (byte 0x80..0xFF is the lone surrogate U+DC80..U+DCFF, as in
 * CPython), `raw-unicode-escape`, and the parts of `binascii` the package
 * uses besides base64 (`a2b_qp`, `b2a_qp`, `a2b_uu`; base64 is the shared
 * `src/_binascii.ts`), with CPython's lenient decoding rules.
 *
 * @module
 */
import { isAscii as bufferIsAscii } from "node:buffer";
import { a2bBase64, BinasciiError } from "../_binascii.js";
import { asBuffer } from "../_buffer.js";
import { isWellFormed } from "../_codec_handlers.js";
import { UnicodeEncodeError } from "../errors/index.js";

const HIGH_BYTES = /[\x80-\xff]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: Python's character classes name control characters
const NON_ASCII = /[^\x00-\x7f]/;

/** `bytes.decode('ascii', 'surrogateescape')`: bytes 0x80..0xFF become U+DC80..U+DCFF. */
export function decodeSurrogateEscape(bytes: Uint8Array): string {
  const buf = asBuffer(bytes);
  const text = buf.toString("latin1");
  if (bufferIsAscii(buf)) return text;
  return text.replace(HIGH_BYTES, escapeByte);
}

const escapeByte = (c: string) => String.fromCharCode(0xdc00 + c.charCodeAt(0));

/**
 * Bytes read as latin-1 text (`bytes.decode('latin-1')`, one character
 * per byte) made the `surrogateescape` text of the same bytes: 0x80..0xFF
 * become U+DC80..U+DCFF. The byte parser reads a message as latin-1 (one
 * byte per character, the fast kind of string) and escapes only the text
 * it keeps.
 */
export function escapeLatin1(text: string): string {
  if (text.length < 64 ? !NON_ASCII.test(text) : Buffer.byteLength(text, "utf8") === text.length) return text;
  return text.replace(HIGH_BYTES, escapeByte);
}

/**
 * `str.encode('ascii', 'surrogateescape')`.
 * @throws {UnicodeEncodeError} for a character that is neither ASCII nor an escaped byte
 */
export function encodeSurrogateEscape(text: string): Buffer {
  if (isAscii(text)) return Buffer.from(text, "latin1");
  const out = Buffer.allocUnsafe(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) out[i] = c;
    else if (c >= 0xdc80 && c <= 0xdcff) out[i] = c - 0xdc00;
    else {
      throw new UnicodeEncodeError("ascii", text, i, i + 1, "ordinal not in range(128)");
    }
  }
  return out;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: ASCII is defined by its control range too
const NOT_ESCAPED_ASCII = /[^\x00-\x7f\udc80-\udcff]/;

/**
 * `"".join(pieces).encode('ascii', 'surrogateescape')`, written piece by
 * piece into one buffer (no joined copy of the whole text).
 *
 * A piece is written as UTF-8 first: that writes as many bytes as the
 * piece has characters only when every character is ASCII (the buffer
 * keeps 4 spare bytes at its end, so a piece cut short there still writes
 * more bytes than characters). Only a piece holding something else is
 * looked at character by character: escaped bytes (U+DC80..U+DCFF, whose
 * low byte is the byte) written as latin-1, anything else an error.
 * Pieces that are bytes already are copied as they are.
 * @throws {UnicodeEncodeError} for a character that is neither ASCII nor an escaped byte (its piece named)
 */
export function encodeSurrogateEscapeAll(pieces: readonly (string | Uint8Array)[]): Buffer {
  let total = 0;
  for (const piece of pieces) total += piece.length;
  const out = Buffer.allocUnsafe(total + 4);
  let at = 0;
  for (const piece of pieces) {
    if (typeof piece !== "string") out.set(piece, at);
    else if (out.write(piece, at, "utf8") !== piece.length) {
      const bad = piece.search(NOT_ESCAPED_ASCII);
      if (bad >= 0) throw new UnicodeEncodeError("ascii", piece, bad, bad + 1, "ordinal not in range(128)");
      out.write(piece, at, "latin1");
    }
    at += piece.length;
  }
  return out.subarray(0, total);
}

/**
 * `text` with every line end (`\r\n`, `\r`, `\n`) made `nl`: the CRLF pairs
 * first, then lone CRs (a CR left before an LF by the first step was lone
 * in `text`: "\r\r\n" is two line ends either way). String replacement,
 * not a regular expression: several times faster on a large body.
 */
export function toLinesep(text: string, nl: string): string {
  let lf = text;
  if (text.includes("\r")) {
    lf = text.replaceAll("\r\n", "\n");
    if (lf.includes("\r")) lf = lf.replaceAll("\r", "\n");
  }
  return nl === "\n" ? lf : lf.replaceAll("\n", nl);
}
/**
 * `encodeSurrogateEscape(toLinesep(text, "\n"))`, the line ends made `\n`
 * in the bytes, in place (a native search for each CR and one move of the
 * bytes up to the next), not in a second copy of the text.
 * @throws {UnicodeEncodeError} as {@link encodeSurrogateEscapeAll}
 */
export function encodeLinesLf(text: string): Buffer {
  const out = encodeSurrogateEscapeAll([text]);
  const n = out.length;
  let r = out.indexOf(13);
  if (r < 0) return out;
  let w = r;
  while (r < n) {
    // out[r] is a CR: it and an LF after it are one line end.
    out[w++] = 10;
    r += out[r + 1] === 10 ? 2 : 1;
    let next = out.indexOf(13, r);
    if (next < 0) next = n;
    out.copyWithin(w, r, next);
    w += next - r;
    r = next;
  }
  return out.subarray(0, w);
}

/** Python's `email.utils._has_surrogates`: the text holds a lone surrogate (escaped bytes). */
export function hasSurrogates(text: string): boolean {
  return !isWellFormed(text);
}

/** True when every character of `text` is ASCII. */
export function isAscii(text: string): boolean {
  // Node's UTF-8 length (SIMD) is faster than a regular expression on long text.
  return text.length < 64 ? !NON_ASCII.test(text) : Buffer.byteLength(text, "utf8") === text.length;
}

/** `str.encode('raw-unicode-escape')`: code points below 256 as one byte, others as `\uXXXX`/`\UXXXXXXXX`. */
export function encodeRawUnicodeEscape(text: string): Buffer {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: Python's character classes name control characters
  if (!/[^\x00-\xff]/.test(text)) return Buffer.from(text, "latin1");
  let out = "";
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x100) out += ch;
    else if (cp < 0x10000) out += `\\u${cp.toString(16).padStart(4, "0")}`;
    else out += `\\U${cp.toString(16).padStart(8, "0")}`;
  }
  return Buffer.from(out, "latin1");
}

/** `str.encode('latin-1')` for text known to be below U+0100 (`bytes.decode('latin1')`'s inverse). */
export function latin1(text: string): Buffer {
  return Buffer.from(text, "latin1");
}

export { a2bBase64, BinasciiError, b2aBase64 } from "../_binascii.js";

/**
 * `base64.b64decode(data, validate)`: Python 3.11's is
 * `binascii.a2b_base64(data, strict_mode=validate)`.
 * @throws {BinasciiError} as {@link a2bBase64}
 */
export function b64decode(data: Uint8Array, validate: boolean): Buffer {
  return a2bBase64(data, { strictMode: validate });
}

const isHex = (c: number | undefined) =>
  c !== undefined && ((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66));
const hexValue = (c: number) => (c <= 0x39 ? c - 0x30 : (c | 0x20) - 0x57);

/** `binascii.a2b_qp(data, header)`: quoted-printable decoding, lenient as CPython's. */
export function a2bQp(data: Uint8Array, header = false): Buffer {
  const out = Buffer.allocUnsafe(data.length);
  let n = 0;
  let i = 0;
  const len = data.length;
  while (i < len) {
    const c = data[i]!;
    if (c === 0x3d) {
      i++;
      if (i >= len) break;
      const d = data[i]!;
      if (d === 0x0a || d === 0x0d) {
        // A soft line break: skip to the end of the line.
        if (d !== 0x0a) while (i < len && data[i] !== 0x0a) i++;
        if (i < len) i++;
      } else if (d === 0x3d) {
        out[n++] = 0x3d;
        i++;
      } else if (i + 1 < len && isHex(d) && isHex(data[i + 1])) {
        out[n++] = (hexValue(d) << 4) | hexValue(data[i + 1]!);
        i += 2;
      } else {
        out[n++] = 0x3d;
      }
    } else if (header && c === 0x5f) {
      out[n++] = 0x20;
      i++;
    } else {
      out[n++] = c;
      i++;
    }
  }
  return out.subarray(0, n);
}

/**
 * `binascii.a2b_uu(line)`: one uuencoded line.
 * @throws {BinasciiError} "Illegal char" or "Trailing garbage"
 */
export function a2bUu(line: Uint8Array): Buffer {
  let pos = 0;
  let remaining = line.length;
  let binLen = remaining > 0 ? (line[pos++]! - 0x20) & 0x3f : 0;
  remaining--;
  const out: number[] = [];
  let left = 0;
  let bits = 0;
  for (; binLen > 0; remaining--, pos++) {
    let ch = remaining > 0 ? line[pos]! : 0;
    if (ch === 0x0a || ch === 0x0d || remaining <= 0) ch = 0;
    else {
      if (ch < 0x20 || ch > 0x60) throw new BinasciiError("Illegal char");
      ch = (ch - 0x20) & 0x3f;
    }
    left = (left << 6) | ch;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push((left >> bits) & 0xff);
      left &= (1 << bits) - 1;
      binLen--;
    }
  }
  while (remaining-- > 0) {
    const ch = line[pos++]!;
    if (ch !== 0x20 && ch !== 0x60 && ch !== 0x0a && ch !== 0x0d) throw new BinasciiError("Trailing garbage");
  }
  return Buffer.from(out);
}

/** Python's `bytes.splitlines()` / `str.splitlines()` line ends for bytes: `\r\n`, `\r`, `\n`. */
export function splitBytesLines(data: Buffer): Buffer[] {
  const lines: Buffer[] = [];
  let start = 0;
  for (let i = 0; i < data.length; i++) {
    const c = data[i];
    if (c === 0x0a || c === 0x0d) {
      lines.push(data.subarray(start, i));
      if (c === 0x0d && data[i + 1] === 0x0a) i++;
      start = i + 1;
    }
  }
  if (start < data.length) lines.push(data.subarray(start));
  return lines;
}

/**
 * Python's `str.splitlines()`: splits at `\n`, `\r`, `\r\n`, `\v`, `\f`,
 * `\x1c`-`\x1e`, `\x85`, U+2028 and U+2029, dropping the line ends.
 */
export function splitlines(text: string): string[] {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: Python's character classes name control characters
  const lines = text.split(/\r\n|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]/);
  if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/** Python's whitespace (`str.isspace()`, `str.strip()`): JavaScript's `\s` differs (U+FEFF, U+001C..U+001F, U+0085). */
const PY_WS =
  "\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
const IS_SPACE = new RegExp(`^[${PY_WS}]+$`);
const LEADING_WS = new RegExp(`^[${PY_WS}]+`);
const TRAILING_WS = new RegExp(`[${PY_WS}]+$`);

/** Python's `str.isspace()`. */
export function isSpace(text: string): boolean {
  return IS_SPACE.test(text);
}

/** Python's `str.lstrip()`. */
export const lstrip = (text: string): string => text.replace(LEADING_WS, "");
/** Python's `str.rstrip()`. */
export const rstrip = (text: string): string => text.replace(TRAILING_WS, "");
/** Python's `str.strip()`. */
export const strip = (text: string): string => rstrip(lstrip(text));

const QP_MAXLINESIZE = 76;

/**
 * `binascii.b2a_qp(data, quotetabs, istext, header)`: quoted-printable
 * as CPython's C encoder writes it (soft breaks before column 76, CRLF line
 * ends when the first line end is CRLF, trailing blanks encoded). With
 * `istext` false, CR and LF are data and come out as `=0D` and `=0A`.
 */
export function b2aQp(data: Uint8Array, quotetabs = false, header = false, istext = true): Buffer {
  const len = data.length;
  const nl = data.indexOf(0x0a);
  const crlf = nl > 0 && data[nl - 1] === 0x0d;
  const out: number[] = [];
  const hex = (c: number) => {
    const h = "0123456789ABCDEF";
    out.push(0x3d, h.charCodeAt(c >> 4), h.charCodeAt(c & 15));
  };
  const softBreak = () => {
    out.push(0x3d);
    if (crlf) out.push(0x0d);
    out.push(0x0a);
  };
  let linelen = 0;
  let i = 0;
  while (i < len) {
    const c = data[i]!;
    const next = data[i + 1];
    const needsQuote =
      c > 126 ||
      c === 0x3d ||
      (header && c === 0x5f) ||
      (!istext && (c === 0x0d || c === 0x0a)) ||
      (c === 0x2e && linelen === 0 && (i + 1 === len || next === 0x0a || next === 0x0d || next === 0)) ||
      ((c === 0x09 || c === 0x20) && i + 1 === len) ||
      (c < 33 && c !== 0x0d && c !== 0x0a && (quotetabs || (c !== 0x09 && c !== 0x20)));
    if (needsQuote) {
      if (linelen + 3 >= QP_MAXLINESIZE) {
        softBreak();
        linelen = 0;
      }
      hex(c);
      i++;
      linelen += 3;
    } else if (istext && (c === 0x0a || (i + 1 < len && c === 0x0d && next === 0x0a))) {
      linelen = 0;
      // Protect whitespace at the end of a line.
      const last = out[out.length - 1];
      if (out.length > 0 && (last === 0x20 || last === 0x09)) {
        out.pop();
        hex(last!);
      }
      if (crlf) out.push(0x0d);
      out.push(0x0a);
      i += c === 0x0d ? 2 : 1;
    } else {
      if (i + 1 !== len && next !== 0x0a && linelen + 1 >= QP_MAXLINESIZE) {
        softBreak();
        linelen = 0;
      }
      linelen++;
      out.push(header && c === 0x20 ? 0x5f : c);
      i++;
    }
  }
  return Buffer.from(out);
}
