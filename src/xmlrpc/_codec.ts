/**
 * The character encodings XML-RPC documents use here: UTF-8 (the default),
 * Latin-1 and ASCII, under Python's names and aliases. Encoding uses
 * Python's `xmlcharrefreplace` (what `ServerProxy` and the dispatcher
 * apply), decoding is strict and reports where the bytes went bad.
 *
 * @module
 */
import { isAscii, isUtf8 } from "node:buffer";
import { findCodec as findSharedCodec, firstUtf8Error } from "../_codecs.js";
import { LookupError } from "../errors/index.js";

/** The encodings netkit reads and writes. */
export type Codec = "utf-8" | "latin-1" | "ascii";

/** The codec for an encoding name, found by Python's rules (see `findCodec` of `_codecs`), or `undefined`. */
export function findCodec(name: string): Codec | undefined {
  return findSharedCodec(name)?.name as Codec | undefined;
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
  const bad = firstUtf8Error(buf)?.start ?? -1;
  return { text: buf.toString("utf8", 0, bad), badOffset: bad };
}
