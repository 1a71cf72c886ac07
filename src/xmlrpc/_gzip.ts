/**
 * Python's `xmlrpc.client.gzip_encode` and `gzip_decode` (RFC 1952 gzip
 * bodies, `Content-Encoding: gzip`), on node:zlib.
 *
 * @module
 */
import { gunzipSync, gzipSync } from "node:zlib";
import { EOFError, ValueError } from "../errors/index.js";
import { MAX_GZIP_DECODE } from "./_limits.js";

/**
 * Python's `gzip_encode(data)`: gzip at compression level 1, as Python's.
 * (The header's timestamp differs from Python's: Node writes none.)
 */
export function gzipEncode(data: Uint8Array): Buffer {
  return gzipSync(data, { level: 1 });
}

/**
 * Python's `gzip_decode(data, max_decode=20971520)`: decodes a gzip body,
 * refusing to produce more than `maxDecode` bytes (a negative value: no
 * limit). Decoding stops at the limit: a gzip bomb is never inflated whole.
 * @throws ValueError `invalid data` for data that is not gzip, `max gzipped payload length exceeded` past the limit;
 *   EOFError for data cut short, as Python's GzipFile raises
 */
export function gzipDecode(data: Uint8Array, maxDecode: number = MAX_GZIP_DECODE): Buffer {
  if (data.length === 0) return Buffer.alloc(0);
  let decoded: Buffer;
  try {
    decoded =
      maxDecode < 0 ? gunzipSync(data) : gunzipSync(data, { maxOutputLength: Math.max(1, maxDecode + 1) });
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === "ERR_BUFFER_TOO_LARGE") throw new ValueError("max gzipped payload length exceeded");
    if (code === "Z_BUF_ERROR") {
      throw new EOFError("Compressed file ended before the end-of-stream marker was reached");
    }
    throw new ValueError("invalid data");
  }
  if (maxDecode >= 0 && decoded.length > maxDecode)
    throw new ValueError("max gzipped payload length exceeded");
  return decoded;
}
