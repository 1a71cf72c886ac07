/**
 * Python's `base64.encodebytes` and `base64.decodebytes` (binascii's
 * non-strict `a2b_base64`), which `<base64>` uses on both sides.
 *
 * @module
 */
import { nameErrors, UnicodeEncodeError, ValueError } from "../errors/index.js";

/** Python's `binascii.Error` (a `ValueError`): bad base64 text. */
export class BinasciiError extends ValueError {
  override readonly code: string = "ERR_BINASCII";
  static pythonName = "binascii.Error";
}

/**
 * Python's `base64.encodebytes(data)`: standard base64 in lines of 76
 * characters, each ending with `\n`; empty data gives `""`.
 */
export function encodebytes(data: Uint8Array): string {
  const text = Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString("base64");
  let out = "";
  for (let i = 0; i < text.length; i += 76) out += `${text.slice(i, i + 76)}\n`;
  return out;
}

const TABLE = new Int8Array(128).fill(-1);
for (const [i, ch] of [..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"].entries()) {
  TABLE[ch.charCodeAt(0)] = i;
}

/** Text the fast path takes: the alphabet and newlines, then at most two pads and a newline. */
const PLAIN = /^[A-Za-z0-9+/\n]*(={0,2})\n?$/;

/**
 * Node's decoder on text whose quads are whole (newlines, which both
 * decoders skip, aside) and padded only at the end: the bytes Python's
 * decoder gives. `null` for any other text.
 */
function decodePlain(text: string): Buffer | null {
  const m = PLAIN.exec(text);
  if (m === null) return null;
  let newlines = 0;
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) newlines++;
  const pads = m[1]!.length;
  const data = text.length - newlines - pads;
  return (data + pads) % 4 === 0 ? Buffer.from(text, "base64") : null;
}
// biome-ignore lint/suspicious/noControlCharactersInRegex: ASCII is defined by its control range too
const NON_ASCII = /[^\x00-\x7f]/;

/**
 * Python's `base64.decodebytes(text.encode("ascii"))`: characters outside
 * the alphabet are skipped; decoding stops at the padding that ends a quad.
 * @throws UnicodeEncodeError for non-ASCII text, BinasciiError for a bad length or padding
 */
export function decodebytes(text: string): Buffer {
  const plain = decodePlain(text);
  if (plain !== null) return plain;
  const nonAscii = text.search(NON_ASCII);
  if (nonAscii >= 0) {
    const pos = [...text.slice(0, nonAscii)].length;
    throw new UnicodeEncodeError("ascii", text, pos, pos + 1, "ordinal not in range(128)");
  }
  const out = Buffer.allocUnsafe(Math.floor((text.length * 3) / 4) + 3);
  let n = 0;
  let quadPos = 0;
  let left = 0;
  let pads = 0;
  let done = false;
  for (let i = 0; i < text.length && !done; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x3d) {
      // '=': a pad sequence after two or three data characters ends the data
      if (quadPos >= 2 && quadPos + ++pads >= 4) done = true;
      continue;
    }
    const v = TABLE[c]!;
    if (v < 0) continue;
    pads = 0;
    switch (quadPos) {
      case 0:
        quadPos = 1;
        left = v;
        break;
      case 1:
        quadPos = 2;
        out[n++] = ((left << 2) | (v >> 4)) & 0xff;
        left = v & 0x0f;
        break;
      case 2:
        quadPos = 3;
        out[n++] = ((left << 4) | (v >> 2)) & 0xff;
        left = v & 0x03;
        break;
      default:
        quadPos = 0;
        out[n++] = ((left << 6) | v) & 0xff;
        left = 0;
    }
  }
  if (!done && quadPos !== 0) {
    if (quadPos === 1) {
      throw new BinasciiError(
        `Invalid base64-encoded string: number of data characters (${Math.floor(n / 3) * 4 + 1}) cannot be 1 more than a multiple of 4`,
      );
    }
    throw new BinasciiError("Incorrect padding");
  }
  return Buffer.from(out.subarray(0, n));
}

// Each class's `name`, written out: a minifier renames the classes themselves.
nameErrors({ BinasciiError });
