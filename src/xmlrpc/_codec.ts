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
import { asBuffer } from "../_buffer.js";
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
  const buf = asBuffer(data);
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

/**
 * The ASCII bytes expat requires an encoding to leave as they are: all but
 * its `BT_OTHER` ones (dollar, at, backslash, caret, grave accent, braces,
 * tilde, DEL) and the control bytes XML forbids (expat's `XmlInitUnknownEncoding`).
 */
const EXPAT_FIXED_ASCII = Array.from({ length: 128 }, (_, b) => b).filter(
  (b) => (b >= 0x20 || b === 9 || b === 10 || b === 13) && !"$@\\^`{}~\x7f".includes(String.fromCharCode(b)),
);

/** The characters of {@link EXPAT_FIXED_ASCII}. */
const EXPAT_FIXED_CHARS = new Set(EXPAT_FIXED_ASCII.map((b) => String.fromCharCode(b)));

/**
 * The encoding pyexpat makes of a codec expat does not know, as its
 * unknown-encoding handler does: the codec decodes bytes 0-255 at once with
 * `replace`; 256 characters are a table of one character per byte (a
 * U+FFFD in it marks a byte that is not valid), anything else is a
 * multi-byte encoding. So a stateful codec (ISO-2022-JP, HZ) reads a
 * document as ASCII, its escape and shift bytes not valid.
 * @returns the table's codec, or `"multi-byte"`, or `"unknown"` when the table
 *   changes an ASCII byte expat needs as it is, or gives another byte one of
 *   those characters (expat's "unknown encoding")
 */
export function expatTableCodec(codec: Codec): Codec | "multi-byte" | "unknown" {
  const table = [...codec.decode(Buffer.from(Array.from({ length: 256 }, (_, b) => b)), "replace")];
  if (table.length !== 256) return "multi-byte";
  if (EXPAT_FIXED_ASCII.some((b) => table[b] !== String.fromCharCode(b))) return "unknown";
  // Nor may another byte stand for one of those characters (mac_arabic's right-to-left space, 0xA0).
  if (table.some((ch, b) => ch !== String.fromCharCode(b) && EXPAT_FIXED_CHARS.has(ch))) return "unknown";
  return {
    name: codec.name,
    module: codec.module,
    asciiCompatible: true,
    encode: (text, errors) => codec.encode(text, errors),
    decode(bytes, errors) {
      let out = "";
      for (let i = 0; i < bytes.length; i++) {
        const ch = table[bytes[i]!]!;
        if (ch === "\ufffd" && errors === "strict")
          throw new UnicodeDecodeError(codec.name, bytes, i, i + 1, "invalid byte");
        out += ch;
      }
      return out;
    },
  };
}
