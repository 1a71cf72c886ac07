/**
 * Python's `binascii.a2b_base64` and `binascii.b2a_base64` (internal; used by
 * netkit/email for base64 bodies and encoded words, and by netkit/xmlrpc for
 * `<base64>`), with CPython 3.11's exact rules:
 *
 * - not strict (the default): characters outside the alphabet are skipped,
 *   a pad sequence that completes a quad ends the data, a pad anywhere else
 *   is skipped;
 * - strict (`strictMode`): a leading pad, a character outside the alphabet
 *   (a newline too), data after the padding or between pads are errors;
 * - both: one data character too many for a quad, or a quad cut short
 *   without its pads, are errors.
 *
 * Text as mail and XML carry it (the alphabet in lines, padded only at the
 * end) takes Node's native decoder; anything else takes a loop that follows
 * CPython's `binascii.c` step by step. The two agree: the native path is
 * taken only when every character but the line ends and final pads is a
 * data character, which the length of Node's output proves (see
 * {@link decodeWhole}).
 *
 * @module
 */
import { isAscii as bufferIsAscii } from "node:buffer";
import { asBuffer } from "./_buffer.js";
import { nameErrors, ValueError } from "./errors/index.js";

/** Python's `binascii.Error` (a `ValueError`): base64 that does not decode. */
export class BinasciiError extends ValueError {
  /** The stable code for matching without `instanceof`: `"ERR_BINASCII"`. */
  override readonly code: string = "ERR_BINASCII";
  static pythonName = "binascii.Error";
}

/** Options of {@link a2bBase64}. */
export interface A2bBase64Options {
  /** Python's `strict_mode`: refuse anything but the alphabet and the final pads. @default false */
  strictMode?: boolean;
}

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
/** A byte's 6-bit value, -1 outside the alphabet. */
const TABLE = new Int8Array(256).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) TABLE[ALPHABET.charCodeAt(i)] = i;
const PAD = 0x3d;

/**
 * Node's decoder on text made of data characters, line ends (`\n` or
 * `\r\n`) and at most two final pads: the bytes CPython's decoder gives,
 * or `null` when the text is not of that shape (the caller then takes the
 * exact loop).
 *
 * Why the length proves the shape: Node's decoder turns each data
 * character into 6 bits and skips or stops at anything else; it also reads
 * the base64url characters `-` and `_` as data, and only a character's low
 * byte, which is why those and non-ASCII text are sent to the loop first.
 * So with D characters that are not line ends, P of them the final pads,
 * Node writes (D - P) * 3 / 4 bytes only when every one of the D - P
 * others is a data character: then the text is well-formed base64, which
 * every decoder reads alike.
 */
function decodeWhole(text: string, strict: boolean): Buffer | null {
  if (Buffer.byteLength(text, "utf8") !== text.length || text.includes("-") || text.includes("_"))
    return null;
  let breaks = 0;
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) {
    breaks += i > 0 && text.charCodeAt(i - 1) === 13 ? 2 : 1;
  }
  if (strict && breaks > 0) return null;
  let end = text.length;
  while (end > 0 && (text.charCodeAt(end - 1) === 10 || text.charCodeAt(end - 1) === 13)) end--;
  let pads = 0;
  while (pads < end && text.charCodeAt(end - 1 - pads) === PAD) pads++;
  const chars = text.length - breaks;
  if (pads > 2 || chars % 4 !== 0) return null;
  const out = Buffer.from(text, "base64");
  return out.length === (chars / 4) * 3 - pads ? out : null;
}

/**
 * Well-formed base64 in lines (data characters, `\n` or `\r\n` line ends,
 * at most two final pads) decoded, or `null` for any other text: the
 * bytes every base64 decoder of Python's gives for it (netkit/email's
 * bodies, whose decoding records defects for text that is not
 * well-formed).
 */
export function decodeBase64Lines(text: string): Buffer | null {
  return decodeWhole(text, false);
}

/**
 * Python's `binascii.a2b_base64(data, strict_mode=False)`.
 * @param data the base64 text, as bytes or ASCII text
 * @param options `strictMode`
 * @returns the decoded bytes
 * @throws {ValueError} for text that is not ASCII (Python: "string argument should contain only ASCII characters")
 * @throws {BinasciiError} for a bad length or padding, and in strict mode for anything but the alphabet and the final pads
 */
export function a2bBase64(data: Uint8Array | string, options: A2bBase64Options = {}): Buffer {
  const strict = options.strictMode === true;
  let text: string;
  let bytes: Uint8Array;
  if (typeof data === "string") {
    text = data;
    const whole = decodeWhole(text, strict);
    if (whole !== null) return whole;
    if (Buffer.byteLength(text, "utf8") !== text.length) {
      throw new ValueError("string argument should contain only ASCII characters");
    }
    bytes = Buffer.from(text, "latin1");
  } else {
    bytes = data;
    const buf = asBuffer(data);
    if (bufferIsAscii(buf)) {
      const whole = decodeWhole(buf.toString("latin1"), strict);
      if (whole !== null) return whole;
    }
  }
  return decodeLoop(bytes, strict);
}

/** CPython's `binascii_a2b_base64_impl`, byte by byte. */
function decodeLoop(data: Uint8Array, strict: boolean): Buffer {
  const len = data.length;
  if (strict && len > 0 && data[0] === PAD) throw new BinasciiError("Leading padding not allowed");
  const out = Buffer.allocUnsafe(Math.floor((len * 3) / 4) + 3);
  let n = 0;
  let quad = 0;
  let left = 0;
  let pads = 0;
  let paddingStarted = false;
  for (let i = 0; i < len; i++) {
    const ch = data[i]!;
    if (ch === PAD) {
      paddingStarted = true;
      if (quad >= 2 && quad + ++pads >= 4) {
        // A pad sequence ends the data (strict: it must end the input too).
        if (strict && i + 1 < len) throw new BinasciiError("Excess data after padding");
        return Buffer.from(out.subarray(0, n));
      }
      continue;
    }
    const v = TABLE[ch]!;
    if (v < 0) {
      if (strict) throw new BinasciiError("Only base64 data is allowed");
      continue;
    }
    if (strict && paddingStarted) throw new BinasciiError("Discontinuous padding not allowed");
    pads = 0;
    switch (quad) {
      case 0:
        quad = 1;
        left = v;
        break;
      case 1:
        quad = 2;
        out[n++] = (left << 2) | (v >> 4);
        left = v & 0x0f;
        break;
      case 2:
        quad = 3;
        out[n++] = ((left << 4) | (v >> 2)) & 0xff;
        left = v & 0x03;
        break;
      default:
        quad = 0;
        out[n++] = ((left << 6) | v) & 0xff;
        left = 0;
    }
  }
  if (quad === 1) {
    throw new BinasciiError(
      `Invalid base64-encoded string: number of data characters (${Math.floor(n / 3) * 4 + 1}) cannot be 1 more than a multiple of 4`,
    );
  }
  if (quad !== 0) throw new BinasciiError("Incorrect padding");
  // A copy the size of the data: the buffer allowed for every character being data.
  return Buffer.from(out.subarray(0, n));
}

/**
 * Python's `binascii.b2a_base64(data, newline=True)`, as text (Python's
 * bytes are ASCII).
 * @param data the bytes
 * @param newline end with `\n`
 */
export function b2aBase64(data: Uint8Array, newline = true): string {
  const text = asBuffer(data).toString("base64");
  return newline ? `${text}\n` : text;
}

// Each class's `name`, written out: a minifier renames the classes themselves.
nameErrors({ BinasciiError });
