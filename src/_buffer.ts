/**
 * Bytes as a `Buffer` (internal): the public API takes any `Uint8Array`
 * (and, in places, text) and the code works on Node's `Buffer`; this is the
 * one conversion, for io, textproto, ftplib and urllib.parse alike.
 *
 * @module
 */

/**
 * `data` as a `Buffer`: a `Buffer` as it is, any other `Uint8Array` viewed
 * without copying (the view shares its memory), text encoded as UTF-8.
 */
export function asBuffer(data: Uint8Array | string): Buffer {
  if (typeof data === "string") return Buffer.from(data, "utf8");
  return Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}
