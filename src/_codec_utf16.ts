/**
 * Python's UTF-16 and UTF-32 codecs, little- and big-endian, and with a byte
 * order mark (internal to `src/_codecs.ts`): `utf-16`, `utf-16-le`,
 * `utf-16-be`, `utf-32`, `utf-32-le`, `utf-32-be`.
 *
 * As CPython's: `utf-16`/`utf-32` write a BOM and little-endian data (the
 * byte order of the machines netkit runs on), and read a BOM to choose the
 * byte order (little-endian without one), their errors then naming the codec
 * that order picked (`utf-16-le`); the error ranges and reasons are CPython's
 * ("truncated data", "illegal UTF-16 surrogate", "illegal encoding",
 * "unexpected end of data", "code point not in range(0x110000)", "code point
 * in surrogate code point range(0xd800, 0xe000)"), and `surrogatepass` lets
 * a lone surrogate through both ways.
 *
 * @module
 */
import {
  asRegistryError,
  type Codec,
  type DecodeError,
  decodeErrorRange,
  type EncodeTarget,
  encodeSlow,
  isSurrogate,
  isWellFormed,
} from "./_codec_handlers.js";

type Width = 2 | 4;

/** Writes `value` as a `width`-byte unit in the byte order `le`. */
function pushUnit(out: number[], value: number, width: Width, le: boolean): void {
  const bytes =
    width === 2
      ? [value & 0xff, value >>> 8]
      : [value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, value >>> 24];
  if (!le) bytes.reverse();
  out.push(...bytes);
}

function readUnit(bytes: Buffer, i: number, width: Width, le: boolean): number {
  if (width === 2) return le ? bytes.readUInt16LE(i) : bytes.readUInt16BE(i);
  return le ? bytes.readUInt32LE(i) : bytes.readUInt32BE(i);
}

function encodeTarget(name: string, width: Width, le: boolean): EncodeTarget {
  const ascii = (text: string, out: number[]) => {
    for (let i = 0; i < text.length; i++) pushUnit(out, text.charCodeAt(i), width, le);
  };
  return {
    codec: name,
    reason: "surrogates not allowed",
    isBad: isSurrogate,
    good(cp, out) {
      if (width === 4 || cp < 0x10000) pushUnit(out, cp, width, le);
      else {
        pushUnit(out, 0xd800 + ((cp - 0x10000) >> 10), 2, le);
        pushUnit(out, 0xdc00 + ((cp - 0x10000) & 0x3ff), 2, le);
      }
    },
    ascii,
    surrogate: (cp, out) => pushUnit(out, cp, width, le),
    // A byte from surrogateescape is half a unit: CPython's UTF-16/32 encoders refuse it.
    rawBytes: false,
  };
}

/** What decoding one unit at `i` gives: the text and where the next unit starts, or an error. */
type Step = { text: string; next: number } | DecodeError;

/** UTF-16's unit at `i`: a character, a surrogate pair, or CPython's error for it. */
function utf16Step(bytes: Buffer, i: number, le: boolean): Step {
  const n = bytes.length;
  if (n - i < 2) return { start: i, end: n, reason: "truncated data" };
  const u = readUnit(bytes, i, 2, le);
  if (!isSurrogate(u)) return { text: String.fromCharCode(u), next: i + 2 };
  if (u >= 0xdc00) return { start: i, end: i + 2, reason: "illegal encoding" };
  if (n - i < 4) return { start: i, end: n, reason: "unexpected end of data" };
  const v = readUnit(bytes, i + 2, 2, le);
  if (v < 0xdc00 || v > 0xdfff) return { start: i, end: i + 2, reason: "illegal UTF-16 surrogate" };
  return { text: String.fromCharCode(u, v), next: i + 4 };
}

/** UTF-32's unit at `i`: a character, or CPython's error for it. */
function utf32Step(bytes: Buffer, i: number, le: boolean): Step {
  const n = bytes.length;
  if (n - i < 4) return { start: i, end: n, reason: "truncated data" };
  const cp = readUnit(bytes, i, 4, le);
  if (cp > 0x10ffff) return { start: i, end: i + 4, reason: "code point not in range(0x110000)" };
  if (isSurrogate(cp)) {
    return { start: i, end: i + 4, reason: "code point in surrogate code point range(0xd800, 0xe000)" };
  }
  return { text: String.fromCodePoint(cp), next: i + 4 };
}

/** Decodes from `start` with `step`, passing each error to the handler. */
function decodeUnits(
  name: string,
  bytes: Buffer,
  start: number,
  errors: string,
  width: Width,
  le: boolean,
  registry?: string,
): string {
  const step = width === 2 ? utf16Step : utf32Step;
  // surrogatepass: a whole unit holding a surrogate goes through as it is.
  const surrogate = (b: Buffer, at: number): [string, number] | undefined => {
    if (b.length - at < width) return undefined;
    const u = readUnit(b, at, width, le);
    return isSurrogate(u) ? [String.fromCharCode(u), at + width] : undefined;
  };
  let out = "";
  let i = start;
  while (i < bytes.length) {
    const r = step(bytes, i, le);
    if ("text" in r) {
      out += r.text;
      i = r.next;
      continue;
    }
    let text: string;
    let next: number;
    try {
      [text, next] = decodeErrorRange(name, bytes, errors, r, surrogate);
    } catch (e) {
      throw registry === undefined ? e : asRegistryError(e, registry);
    }
    out += text;
    i = next;
  }
  return out;
}

/** A fixed-order codec (`utf-16-le`, `utf-32-be`, ...). */
function fixedCodec(name: string, module: string, width: Width, le: boolean): Codec {
  const target = encodeTarget(name, width, le);
  return {
    name,
    module,
    asciiCompatible: false,
    encode(text, errors) {
      if (width === 2 && le && isWellFormed(text)) return Buffer.from(text, "utf16le");
      return encodeSlow(target, text, errors);
    },
    decode(bytes, errors) {
      // Reached through Python's codec registry (only utf-16 and utf-32 have a fast path in bytes.decode).
      return decodeUnits(name, bytes, 0, errors, width, le, module);
    },
  };
}

const UTF16_LE = fixedCodec("utf-16-le", "utf_16_le", 2, true);
const UTF16_BE = fixedCodec("utf-16-be", "utf_16_be", 2, false);
const UTF32_LE = fixedCodec("utf-32-le", "utf_32_le", 4, true);
const UTF32_BE = fixedCodec("utf-32-be", "utf_32_be", 4, false);

/** A codec with a byte order mark (`utf-16`, `utf-32`): written little-endian, read in the BOM's order. */
function bomCodec(name: string, module: string, width: Width, le: Codec, be: Codec): Codec {
  const bomLE = width === 2 ? Buffer.from([0xff, 0xfe]) : Buffer.from([0xff, 0xfe, 0, 0]);
  const bomBE = Buffer.from(bomLE).reverse();
  // Encoding errors name this codec; decoding errors the one the BOM picked, as in CPython.
  const target = encodeTarget(name, width, true);
  return {
    name,
    module,
    asciiCompatible: false,
    encode(text, errors) {
      const data =
        width === 2 && isWellFormed(text) ? Buffer.from(text, "utf16le") : encodeSlow(target, text, errors);
      return Buffer.concat([bomLE, data]);
    },
    decode(bytes, errors) {
      if (bytes.length >= width && bytes.subarray(0, width).equals(bomBE)) {
        return decodeUnits(be.name, bytes, width, errors, width, false);
      }
      const start = bytes.length >= width && bytes.subarray(0, width).equals(bomLE) ? width : 0;
      return decodeUnits(le.name, bytes, start, errors, width, true);
    },
  };
}

/** The six codecs. */
export const UTF16_CODECS: readonly Codec[] = [
  bomCodec("utf-16", "utf_16", 2, UTF16_LE, UTF16_BE),
  UTF16_LE,
  UTF16_BE,
  bomCodec("utf-32", "utf_32", 4, UTF32_LE, UTF32_BE),
  UTF32_LE,
  UTF32_BE,
];
