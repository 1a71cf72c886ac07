/**
 * Python's `email.quoprimime`: quoted-printable for MIME bodies and RFC 2047
 * "Q" encoded words (RFC 2045 section 6.7, RFC 2047 section 4.2). Text here
 * is Latin-1 text: one character per byte, as in Python.
 *
 * @module
 */
import { ValueError } from "../errors/index.js";
import { rstrip, splitlines } from "./_bytes.js";

const QUOPRI_MAP: string[] = Array.from(
  { length: 256 },
  (_, c) => `=${c.toString(16).toUpperCase().padStart(2, "0")}`,
);
const HEADER_MAP = QUOPRI_MAP.slice();
const BODY_MAP = QUOPRI_MAP.slice();
for (const ch of "-!*+/ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") {
  HEADER_MAP[ch.charCodeAt(0)] = ch;
}
HEADER_MAP[0x20] = "_";
for (const ch of " !\"#$%&'()*+,-./0123456789:;<>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~\t") {
  BODY_MAP[ch.charCodeAt(0)] = ch;
}
const BODY_ENCODE_MAP = BODY_MAP.slice();
BODY_ENCODE_MAP[0x0d] = "\r";
BODY_ENCODE_MAP[0x0a] = "\n";

/** Python's `header_check`: the byte needs encoding in a header. */
export const headerCheck = (octet: number): boolean => HEADER_MAP[octet] !== String.fromCharCode(octet);
/** Python's `body_check`: the byte needs encoding in a body. */
export const bodyCheck = (octet: number): boolean => BODY_MAP[octet] !== String.fromCharCode(octet);

/** Python's `header_length`: the length of `bytes` "Q"-encoded. */
export function headerLength(bytes: Uint8Array): number {
  let n = 0;
  for (const b of bytes) n += HEADER_MAP[b]!.length;
  return n;
}

/** Python's `body_length`: the length of `bytes` quoted-printable encoded. */
export function bodyLength(bytes: Uint8Array): number {
  let n = 0;
  for (const b of bytes) n += BODY_MAP[b]!.length;
  return n;
}

/** Python's `quote`: `=XX` for one character. */
export const quote = (c: string): string => QUOPRI_MAP[c.charCodeAt(0)]!;
/** Python's `unquote`: the character for `=XX`. */
export const unquote = (s: string): string => String.fromCharCode(Number.parseInt(s.slice(1, 3), 16));

/**
 * Python's `header_encode`: one RFC 2047 "Q" encoded word.
 * @returns `=?charset?q?...?=`, or `""` for empty input
 */
export function headerEncode(headerBytes: Uint8Array, charset = "iso-8859-1"): string {
  if (headerBytes.length === 0) return "";
  let encoded = "";
  for (const b of headerBytes) encoded += HEADER_MAP[b];
  return `=?${charset}?q?${encoded}?=`;
}

function translate(text: string, map: string[]): string {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    out += c < 256 ? map[c] : text[i];
  }
  return out;
}

/**
 * Python's `body_encode`: quoted-printable lines of at most `maxlinelen`
 * characters with soft breaks, trailing whitespace encoded.
 * @param body Latin-1 text (one character per byte)
 * @throws {ValueError} when `maxlinelen` is below 4
 */
export function bodyEncode(body: string, maxlinelen = 76, eol = "\n"): string {
  if (maxlinelen < 4) throw new ValueError("maxlinelen must be at least 4");
  if (!body) return body;
  const text = translate(body, BODY_ENCODE_MAP);
  const softBreak = `=${eol}`;
  const max1 = maxlinelen - 1;
  const out: string[] = [];
  for (const line of text.split(/\r\n|\r|\n/).slice(0, /[\r\n]$/.test(text) ? -1 : undefined)) {
    let start = 0;
    const lastStart = line.length - 1 - maxlinelen;
    while (start <= lastStart) {
      const stop = start + max1;
      if (line[stop - 2] === "=") {
        out.push(line.slice(start, stop - 1));
        start = stop - 2;
      } else if (line[stop - 1] === "=") {
        out.push(line.slice(start, stop));
        start = stop - 1;
      } else {
        out.push(`${line.slice(start, stop)}=`);
        start = stop;
      }
    }
    const last = line[line.length - 1];
    if (last === " " || last === "\t") {
      const room = start - lastStart;
      let q: string;
      if (room >= 3) q = quote(last);
      else if (room === 2) q = last + softBreak;
      else q = softBreak + quote(last);
      out.push(line.slice(start, -1) + q);
    } else {
      out.push(line.slice(start));
    }
  }
  const end = body[body.length - 1];
  if (end === "\r" || end === "\n") out.push("");
  return out.join(eol);
}

const HEX = /^[0-9a-fA-F]$/;

/**
 * Python's `decode` (also `body_decode`, `decodestring`): quoted-printable
 * text to text, line ends becoming `eol`.
 */
export function decode(encoded: string, eol = "\n"): string {
  if (!encoded) return encoded;
  let decoded = "";
  for (const raw of splitlines(encoded)) {
    const line = rstrip(raw);
    if (!line) {
      decoded += eol;
      continue;
    }
    let i = 0;
    const n = line.length;
    while (i < n) {
      const c = line[i]!;
      if (c !== "=") {
        decoded += c;
        i++;
      } else if (i + 1 === n) {
        i++;
        continue;
      } else if (i + 2 < n && HEX.test(line[i + 1]!) && HEX.test(line[i + 2]!)) {
        decoded += unquote(line.slice(i, i + 3));
        i += 3;
      } else {
        decoded += c;
        i++;
      }
      if (i === n) decoded += eol;
    }
  }
  const last = encoded[encoded.length - 1]!;
  if (last !== "\r" && last !== "\n" && decoded.endsWith(eol)) decoded = decoded.slice(0, -1);
  return decoded;
}

export { decode as bodyDecode, decode as decodestring };

/** Python's `header_decode`: "Q" text (`_` for space, `=XX` escapes) to Latin-1 text. */
export function headerDecode(s: string): string {
  return s.replaceAll("_", " ").replace(/=[a-fA-F0-9]{2}/g, (m) => unquote(m));
}
