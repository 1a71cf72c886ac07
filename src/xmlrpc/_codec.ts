/**
 * The character encodings XML-RPC documents use here: UTF-8 (the default),
 * Latin-1 and ASCII, under Python's names and aliases. Encoding uses
 * Python's `xmlcharrefreplace` (what `ServerProxy` and the dispatcher
 * apply), decoding is strict and reports where the bytes went bad.
 *
 * @module
 */
import { isAscii, isUtf8 } from "node:buffer";
import { LookupError } from "../errors/index.js";

/** The encodings netkit reads and writes. */
export type Codec = "utf-8" | "latin-1" | "ascii";

const ALIASES: Record<string, Codec> = {};
for (const n of ["utf_8", "utf8", "u8", "utf", "utf8_ucs2", "utf8_ucs4", "cp65001"]) ALIASES[n] = "utf-8";
for (const n of [
  "latin_1",
  "latin1",
  "latin",
  "l1",
  "iso8859_1",
  "iso_8859_1",
  "iso_8859_1_1987",
  "8859",
  "cp819",
  "csisolatin1",
  "ibm819",
  "iso_ir_100",
]) {
  ALIASES[n] = "latin-1";
}
for (const n of [
  "ascii",
  "us_ascii",
  "us",
  "646",
  "ansi_x3.4_1968",
  "ansi_x3_4_1968",
  "ansi_x3.4_1986",
  "cp367",
  "csascii",
  "ibm367",
  "iso646_us",
  "iso_646.irv_1991",
  "iso_ir_6",
]) {
  ALIASES[n] = "ascii";
}

/** The codec for an encoding name (Python's spelling rules: case, `-`, `_`, spaces), or `undefined`. */
export function findCodec(name: string): Codec | undefined {
  if (name === "utf-8") return "utf-8"; // the default, on every call's path
  const key = name
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9.]+/g, "_");
  return Object.hasOwn(ALIASES, key) ? ALIASES[key] : undefined;
}

/**
 * The codec for an encoding name.
 * @throws LookupError for an encoding netkit does not support
 */
export function lookupCodec(name: string): Codec {
  const codec = findCodec(name);
  if (!codec)
    throw new LookupError(`unknown encoding: ${name} (netkit's XML-RPC supports utf-8, latin-1 and ascii)`);
  return codec;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: ASCII is defined by its control range too
const NON_ASCII = /[^\x00-\x7f]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: Latin-1 is defined by its control range too
const NON_LATIN1 = /[^\x00-\xff]/;

/**
 * Python's `text.encode(encoding, "xmlcharrefreplace")`: characters the
 * encoding cannot hold (and lone surrogates) become `&#N;`.
 */
export function encodeText(text: string, encoding: string): Buffer {
  const codec = lookupCodec(encoding);
  const limit = codec === "ascii" ? 0x7f : codec === "latin-1" ? 0xff : 0x10ffff;
  // Fast path: nothing to replace.
  if (codec === "utf-8") {
    if (!LONE_SURROGATE.test(text)) return Buffer.from(text, "utf8");
  } else if (!(limit === 0x7f ? NON_ASCII : NON_LATIN1).test(text)) return Buffer.from(text, "latin1");
  let out = "";
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    const lone = cp >= 0xd800 && cp <= 0xdfff;
    out += cp > limit || lone ? `&#${cp};` : ch;
  }
  return Buffer.from(out, codec === "utf-8" ? "utf8" : "latin1");
}

/** The decoded text, or where the first byte that does not decode sits. */
export interface Decoded {
  /** The text of the bytes before `badOffset` (all of them when it is -1). */
  text: string;
  /** The byte offset of the first undecodable byte, or -1. */
  badOffset: number;
}

/** Strict decoding: the longest valid prefix and where it ends. */
export function decodeBytes(data: Uint8Array, codec: Codec): Decoded {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (codec === "latin-1") return { text: buf.toString("latin1"), badOffset: -1 };
  if (codec === "ascii") {
    const bad = buf.findIndex((b) => b > 0x7f);
    const end = bad < 0 ? buf.length : bad;
    return { text: buf.toString("latin1", 0, end), badOffset: bad };
  }
  // ASCII (checked natively) decodes the same as Latin-1, which builds the string far faster.
  if (isAscii(buf)) return { text: buf.toString("latin1"), badOffset: -1 };
  if (isUtf8(buf)) return { text: buf.toString("utf8"), badOffset: -1 };
  const bad = utf8Valid(buf);
  return { text: buf.toString("utf8", 0, bad), badOffset: bad };
}

/** The offset of the first byte that starts an invalid UTF-8 sequence, or -1. */
function utf8Valid(b: Buffer): number {
  let i = 0;
  const n = b.length;
  while (i < n) {
    const c = b[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (c >= 0xc2 && c <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (c >= 0xe0 && c <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else return i;
    if (i + need >= n) return i;
    let cp = c & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const cc = b[i + k]!;
      if ((cc & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (cc & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}
