/**
 * Python's `utf_7` codec (RFC 2152), as CPython's `PyUnicode_DecodeUTF7` and
 * `_PyUnicode_EncodeUTF7` do it (internal to `src/_codecs.ts`). Mail used
 * UTF-7 for 7-bit transports; IMAP's folder names use a modified form
 * (RFC 3501's "&" variant), which is not this codec.
 *
 * Encoding never fails: a character is written as itself when RFC 2152 lets
 * it (sets D and O, and white space), `+` as `+-`, and every other one,
 * lone surrogates included, as UTF-16 in modified base64 after `+`; the
 * shift ends before the next direct character, with `-` when that
 * character could be read as base64 (or is `-`).
 *
 * Decoding reports CPython's errors, named `utf7`: a byte above 0x7F outside
 * a shift ("unexpected special character"), `+` followed by a byte that is
 * neither base64 nor `-` ("ill-formed sequence"), a shift that ends with a
 * partial character or non-zero padding bits (from its `+` through the
 * terminating byte), and one that the input ends inside with bits or a
 * first surrogate left ("unterminated shift sequence", from its `+`). A
 * first surrogate not followed by a second is kept as a lone surrogate, as
 * in Python's str.
 *
 * @module
 */
import { type Codec, registryDecodeError } from "./_codec_handlers.js";

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const FROM_B64 = new Int8Array(128).fill(-1);
for (let i = 0; i < 64; i++) FROM_B64[B64.charCodeAt(i)] = i;
const isBase64 = (c: number) => c < 128 && FROM_B64[c]! >= 0;

/** ASCII Python writes as itself: all but NUL, the C0 controls other than tab, LF and CR, `+`, `\`, `~` and DEL. */
const direct = (c: number) =>
  c > 0 &&
  c < 127 &&
  (c >= 0x20 || c === 9 || c === 10 || c === 13) &&
  c !== 0x2b &&
  c !== 0x5c &&
  c !== 0x7e;

function encode(text: string): Buffer {
  let out = "";
  let inShift = false;
  let bits = 0;
  let buffer = 0;
  const pushUnit = (unit: number) => {
    buffer = ((buffer << 16) | unit) >>> 0;
    bits += 16;
    while (bits >= 6) {
      out += B64[(buffer >>> (bits - 6)) & 0x3f];
      bits -= 6;
    }
    buffer &= (1 << bits) - 1;
  };
  // UTF-16 units: a character beyond the BMP is its surrogate pair, a lone surrogate itself.
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (direct(c)) {
      if (inShift) {
        if (bits > 0) out += B64[(buffer << (6 - bits)) & 0x3f];
        bits = 0;
        buffer = 0;
        inShift = false;
        if (isBase64(c) || c === 0x2d) out += "-";
      }
      out += String.fromCharCode(c);
    } else if (c === 0x2b && !inShift) {
      out += "+-";
    } else {
      if (!inShift) {
        out += "+";
        inShift = true;
      }
      pushUnit(c);
    }
  }
  if (bits > 0) out += B64[(buffer << (6 - bits)) & 0x3f];
  if (inShift) out += "-";
  return Buffer.from(out, "latin1");
}

const isHigh = (u: number) => u >= 0xd800 && u <= 0xdbff;
const isLow = (u: number) => u >= 0xdc00 && u <= 0xdfff;

function decode(bytes: Buffer, errors: string): string {
  const n = bytes.length;
  let out = "";
  let inShift = false;
  let bits = 0;
  let buffer = 0;
  let surrogate = 0;
  let start = 0;
  let i = 0;
  const fail = (from: number, end: number, reason: string) => {
    const [text, resume] = registryDecodeError("utf7", "utf_7", bytes, errors, { start: from, end, reason });
    out += text;
    i = resume;
  };
  while (i < n) {
    const c = bytes[i]!;
    if (inShift) {
      if (isBase64(c)) {
        buffer = (buffer << 6) | FROM_B64[c]!;
        bits += 6;
        i++;
        if (bits >= 16) {
          const unit = (buffer >>> (bits - 16)) & 0xffff;
          bits -= 16;
          buffer &= (1 << bits) - 1;
          if (surrogate) {
            if (isLow(unit)) {
              out += String.fromCharCode(surrogate, unit);
              surrogate = 0;
              continue;
            }
            out += String.fromCharCode(surrogate);
            surrogate = 0;
          }
          if (isHigh(unit)) surrogate = unit;
          else out += String.fromCharCode(unit);
        }
        continue;
      }
      // Leaving the shift: its leftover bits must be fewer than a character, and zero.
      inShift = false;
      if (bits >= 6 || (bits > 0 && buffer !== 0)) {
        fail(
          start,
          i + 1,
          bits >= 6 ? "partial character in shift sequence" : "non-zero padding bits in shift sequence",
        );
        continue;
      }
      if (surrogate && c <= 0x7f && c !== 0x2b) out += String.fromCharCode(surrogate);
      surrogate = 0;
      if (c === 0x2d) i++; // "-" ends the shift and is absorbed
      continue;
    }
    if (c === 0x2b) {
      start = i++;
      if (i < n && bytes[i] === 0x2d) {
        i++;
        out += "+";
      } else if (i < n && !isBase64(bytes[i]!)) {
        fail(start, i + 1, "ill-formed sequence");
      } else {
        inShift = true;
        surrogate = 0;
        bits = 0;
        buffer = 0;
      }
    } else if (c <= 0x7f) {
      out += String.fromCharCode(c);
      i++;
    } else {
      fail(i, i + 1, "unexpected special character");
    }
  }
  // Python's handlers end this range at the end of the input (surrogateescape refuses it: it starts with "+").
  if (inShift && (surrogate || bits >= 6 || (bits > 0 && buffer !== 0)))
    fail(start, n, "unterminated shift sequence");
  return out;
}

/** Python's `utf_7` codec. */
export const UTF7_CODEC: Codec = {
  name: "utf-7",
  module: "utf_7",
  asciiCompatible: false,
  encode: (text) => encode(text),
  decode,
};
