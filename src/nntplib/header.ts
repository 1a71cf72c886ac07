/**
 * `decodeHeader`: Python's `nntplib.decode_header`, which joins what
 * `email.header.decode_header` returns: RFC 2047 encoded words
 * (`=?charset?q?...?=`, `=?charset?b?...?=`) decoded with their charsets,
 * the rest kept. Pure.
 *
 * It follows CPython 3.11 step by step, quirks included, because the
 * differential tests compare the two on random input: the header is split
 * into lines as `str.splitlines` splits; each line's leading white space is
 * dropped; white space between two encoded words is dropped; the words are
 * turned into bytes with `raw-unicode-escape` (so a non-Latin-1 character
 * outside an encoded word becomes the text `\uXXXX`); neighbours with the
 * same charset are joined (unencoded ones with a space); and each run is
 * decoded strictly with its charset, ASCII for the unencoded ones.
 *
 * @module
 */
import { lookupCodec } from "../_codecs.js";
import { isPySpace, pyLen, pyLstrip } from "../_pystr.js";
import { HeaderParseError } from "./errors.js";

/** `email.header.ecre`: one encoded word (Python's `.` is anything but LF). */
const ENCODED_WORD = /=\?([^?]*?)\?([qQbB])\?([^\n]*?)\?=/;
const ENCODED_WORD_SPLIT = new RegExp(ENCODED_WORD.source, "g");
/** `str.splitlines()`'s line boundaries. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the separators (FS, GS, RS) are line breaks to str.splitlines
const LINE_BREAK = /\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/;
/** `quoprimime.header_decode`'s escapes. */
const QP_ESCAPE = /=[a-fA-F0-9]{2}/g;

/** A word: its text (Latin-1 code points for decoded bytes), its transfer encoding and charset (`null` when unencoded). */
type Word = [text: string, encoding: string | null, charset: string | null];

/** Python's `str.splitlines()` (no empty last line after a final break). */
function splitlines(text: string): string[] {
  const lines = text.split(LINE_BREAK);
  if (lines.length > 1 && lines[lines.length - 1] === "") lines.pop();
  return text === "" ? [] : lines;
}

/** Python's `str.isspace()`: non-empty and all white space. */
function isspace(text: string): boolean {
  if (text === "") return false;
  for (let i = 0; i < text.length; i++) if (!isPySpace(text.charCodeAt(i))) return false;
  return true;
}

/** Python's `str.encode("raw-unicode-escape")`: Latin-1 bytes, `\uXXXX` / `\UXXXXXXXX` above. */
function rawUnicodeEscape(text: string): Buffer {
  let out = "";
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x100) out += ch;
    else if (cp < 0x10000) out += `\\u${cp.toString(16).padStart(4, "0")}`;
    else out += `\\U${cp.toString(16).padStart(8, "0")}`;
  }
  return Buffer.from(out, "latin1");
}

const B64_VALUE = new Map(
  [..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"].map((c, i) => [c.charCodeAt(0), i]),
);

/**
 * `binascii.a2b_base64` in its default, lenient mode (CPython 3.11): bytes
 * outside the alphabet are skipped, a pad after two or three data
 * characters ends the input, and a quad left incomplete is an error.
 * @returns the bytes, or `undefined` where Python raises `binascii.Error`
 */
function a2bBase64(input: Buffer): Buffer | undefined {
  const out: number[] = [];
  let quad = 0;
  let left = 0;
  let pads = 0;
  for (const byte of input) {
    if (byte === 0x3d) {
      if (quad >= 2 && quad + ++pads >= 4) return Buffer.from(out);
      continue;
    }
    const v = B64_VALUE.get(byte);
    if (v === undefined) continue;
    pads = 0;
    if (quad === 0) {
      left = v;
      quad = 1;
    } else if (quad === 1) {
      out.push(((left << 2) | (v >> 4)) & 0xff);
      left = v & 0x0f;
      quad = 2;
    } else if (quad === 2) {
      out.push(((left << 4) | (v >> 2)) & 0xff);
      left = v & 0x03;
      quad = 3;
    } else {
      out.push(((left << 6) | v) & 0xff);
      quad = 0;
    }
  }
  return quad === 0 ? Buffer.from(out) : undefined;
}

/** `email.header.decode_header`'s first steps: the words of each line. */
function splitWords(header: string): Word[] {
  const words: Word[] = [];
  for (const line of splitlines(header)) {
    // String.split with a capturing regex gives Python's re.split list:
    // unencoded, charset, encoding, encoded, unencoded, ...
    const parts = line.split(ENCODED_WORD_SPLIT);
    for (let i = 0; i < parts.length; i += 4) {
      const unencoded = i === 0 ? pyLstrip(parts[0]!) : parts[i]!;
      if (unencoded) words.push([unencoded, null, null]);
      if (i + 3 < parts.length) {
        words.push([parts[i + 3]!, parts[i + 2]!.toLowerCase(), parts[i + 1]!.toLowerCase()]);
      }
    }
  }
  // White space between two encoded words goes (RFC 2047 6.2), as Python's droplist does.
  const drop = new Set<number>();
  for (let n = 2; n < words.length; n++) {
    if (words[n]![1] && words[n - 2]![1] && isspace(words[n - 1]![0])) drop.add(n - 1);
  }
  return words.filter((_, i) => !drop.has(i));
}

/** One word's bytes: unencoded text as `raw-unicode-escape`, encoded words decoded. */
function wordBytes([text, encoding]: Word): Buffer {
  if (encoding === null) return rawUnicodeEscape(text);
  if (encoding === "q") {
    const decoded = text
      .replaceAll("_", " ")
      .replace(QP_ESCAPE, (m) => String.fromCharCode(Number.parseInt(m.slice(1), 16)));
    return rawUnicodeEscape(decoded);
  }
  const missing = pyLen(text) % 4;
  const padded = missing ? text + "===".slice(0, 4 - missing) : text;
  const bytes = a2bBase64(rawUnicodeEscape(padded));
  if (bytes === undefined) throw new HeaderParseError("Base64 decoding error");
  return bytes;
}

/**
 * Python's `nntplib.decode_header(header_str)`: a header value with its
 * RFC 2047 encoded words decoded, as one string.
 *
 * @param header the header value as the server sent it (text)
 * @returns the readable value
 * @throws HeaderParseError for an encoded word whose base64 does not decode
 * @throws LookupError for a charset Python (or netkit) does not know
 * @throws UnicodeDecodeError for bytes the charset does not decode, or
 *   non-ASCII text outside the encoded words of a header that has some
 *   (as Python)
 * @example
 * ```ts
 * import { decodeHeader } from "netkit/nntplib";
 * decodeHeader("Re: =?utf-8?q?caf=C3=A9?= =?iso-8859-1?b?6Q==?="); // "Re: caféé"
 * ```
 */
export function decodeHeader(header: string): string {
  if (!ENCODED_WORD.test(header)) return header;
  // Neighbours with the same charset join: unencoded ones with a space, encoded ones directly.
  const runs: [Buffer[], string | null][] = [];
  for (const word of splitWords(header)) {
    const bytes = wordBytes(word);
    const charset = word[2];
    const last = runs[runs.length - 1];
    if (last === undefined || last[1] !== charset) runs.push([[bytes], charset]);
    else if (charset === null) last[0].push(Buffer.from(" "), bytes);
    else last[0].push(bytes);
  }
  return runs
    .map(([parts, charset]) => lookupCodec(charset || "ascii").decode(Buffer.concat(parts), "strict"))
    .join("");
}
