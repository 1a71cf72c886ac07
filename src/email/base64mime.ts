/**
 * Python's `email.base64mime`: base64 for MIME bodies and RFC 2047 "B"
 * encoded words (RFC 2045 section 6.8, RFC 2047 section 4.1).
 *
 * @module
 */
import { a2bBase64, b2aBase64, encodeRawUnicodeEscape } from "./_bytes.js";

/** The length of the fixed parts of an encoded word (`=?` `?b?` `?=`): Python's `MISC_LEN`. */
export const MISC_LEN = 7;

/**
 * Python's `header_length`: how long `bytes` is once base64-encoded.
 * @param bytes the bytes to measure
 * @returns the encoded length
 */
export function headerLength(bytes: Uint8Array): number {
  const groups = Math.floor(bytes.length / 3);
  return groups * 4 + (bytes.length % 3 ? 4 : 0);
}

/**
 * Python's `header_encode`: one RFC 2047 "B" encoded word.
 * @param headerBytes the bytes (or text, encoded as UTF-8... in Python as `charset`)
 * @param charset the charset named in the word
 * @returns `=?charset?b?...?=`, or `""` for empty input
 */
export function headerEncode(headerBytes: Uint8Array | string, charset = "iso-8859-1"): string {
  if (headerBytes.length === 0) return "";
  const bytes = typeof headerBytes === "string" ? Buffer.from(headerBytes, "utf8") : headerBytes;
  return `=?${charset}?b?${b2aBase64(bytes, false)}?=`;
}

/**
 * Python's `body_encode`: base64 lines of at most `maxlinelen` characters, each ending with `eol`.
 * @param bytes the body
 * @param maxlinelen the longest line
 * @param eol the line end
 * @returns the encoded body, `""` for empty input
 */
export function bodyEncode(bytes: Uint8Array, maxlinelen = 76, eol = "\n"): string {
  if (bytes.length === 0) return "";
  const maxUnencoded = Math.floor((maxlinelen * 3) / 4);
  const out: string[] = [];
  for (let i = 0; i < bytes.length; i += maxUnencoded) {
    out.push(b2aBase64(bytes.subarray(i, i + maxUnencoded), false), eol);
  }
  return out.join("");
}

/**
 * Python's `decode` (also `body_decode`, `decodestring`): base64 text or bytes to bytes.
 * @throws {Error} binascii's "Incorrect padding" for data that cannot be decoded
 */
export function decode(data: string | Uint8Array): Buffer {
  if (data.length === 0) return Buffer.alloc(0);
  return a2bBase64(typeof data === "string" ? encodeRawUnicodeEscape(data) : data);
}

export { decode as bodyDecode, decode as decodestring };
