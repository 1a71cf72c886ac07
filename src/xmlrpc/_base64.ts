/**
 * Python's `base64.encodebytes` and `base64.decodebytes` (binascii's
 * non-strict `a2b_base64`, shared with netkit/email in `src/_binascii.ts`),
 * which `<base64>` uses on both sides.
 *
 * @module
 */
import { a2bBase64 } from "../_binascii.js";
import { asBuffer } from "../_buffer.js";
import { UnicodeEncodeError } from "../errors/index.js";

export { BinasciiError } from "../_binascii.js";

/**
 * Python's `base64.encodebytes(data)`: standard base64 in lines of 76
 * characters, each ending with `\n`; empty data gives `""`.
 */
export function encodebytes(data: Uint8Array): string {
  const text = asBuffer(data).toString("base64");
  let out = "";
  for (let i = 0; i < text.length; i += 76) out += `${text.slice(i, i + 76)}\n`;
  return out;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: ASCII is defined by its control range too
const NON_ASCII = /[^\x00-\x7f]/;

/**
 * Python's `base64.decodebytes(text.encode("ascii"))`: characters outside
 * the alphabet are skipped; decoding stops at the padding that ends a quad.
 * @throws UnicodeEncodeError for non-ASCII text, BinasciiError for a bad length or padding
 */
export function decodebytes(text: string): Buffer {
  if (Buffer.byteLength(text, "utf8") !== text.length) {
    const pos = [...text.slice(0, text.search(NON_ASCII))].length;
    throw new UnicodeEncodeError("ascii", text, pos, pos + 1, "ordinal not in range(128)");
  }
  return a2bBase64(text);
}
