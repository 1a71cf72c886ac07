/**
 * The character encodings of XML-RPC documents: every codec of netkit's
 * `_codecs` (UTF-8 by default, Latin-1, ASCII, the ISO 8859, Windows, DOS,
 * KOI8 and Mac charsets, UTF-16, UTF-32), under Python's names and aliases.
 * Encoding uses Python's `xmlcharrefreplace` (what `ServerProxy` and the
 * dispatcher apply), decoding is strict and reports where the bytes went bad.
 *
 * @module
 */
import { isAscii, isUtf8 } from "node:buffer";
import {
  type Codec,
  findCodec,
  firstUtf8Error,
  LATIN1_CODEC,
  lookupCodec,
  UnicodeDecodeError,
  UTF8_CODEC,
} from "../_codecs.js";

export type { Codec };
export { findCodec, lookupCodec };

/**
 * Python's `text.encode(encoding, "xmlcharrefreplace")`: characters the
 * encoding cannot hold (and lone surrogates) become `&#N;`.
 * @throws LookupError for an encoding netkit lacks
 */
export function encodeText(text: string, encoding: string): Buffer {
  return lookupCodec(encoding).encode(text, "xmlcharrefreplace");
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
  if (codec === LATIN1_CODEC) return { text: buf.toString("latin1"), badOffset: -1 };
  if (codec === UTF8_CODEC) {
    // ASCII (checked natively) decodes the same as Latin-1, which builds the string far faster.
    if (isAscii(buf)) return { text: buf.toString("latin1"), badOffset: -1 };
    if (isUtf8(buf)) return { text: buf.toString("utf8"), badOffset: -1 };
    const bad = firstUtf8Error(buf)?.start ?? -1;
    return { text: buf.toString("utf8", 0, bad), badOffset: bad };
  }
  try {
    return { text: codec.decode(buf, "strict"), badOffset: -1 };
  } catch (err) {
    if (!(err instanceof UnicodeDecodeError)) throw err;
    return { text: codec.decode(buf.subarray(0, err.start), "strict"), badOffset: err.start };
  }
}
