/**
 * Python's `email._encoded_words`: one RFC 2047 encoded word
 * (`=?charset*lang?cte?text?=`) decoded to text with the defects found, or
 * text encoded as one word ("q" or "b", whichever is shorter, as Python
 * picks). Internal: the header value parser and its folder use it.
 *
 * @module
 */
import { findCodec } from "../_codecs.js";
import { decodeSurrogateEscape, encodeSurrogateEscape } from "./_bytes.js";
import { CharsetError, type MessageDefect, UndecodableBytesDefect } from "./errors.js";
import { decodeB } from "./message.js";

/** A defect an encoded word can carry: Python records a `CharsetError` there too. */
export type EwDefect = MessageDefect | CharsetError;

const Q_HEX = /=([a-fA-F0-9]{2})/g;

/** Python's `decode_q`: `_` is a space, `=XX` a byte. */
function decodeQ(encoded: string): Buffer {
  return encodeSurrogateEscape(
    encoded
      .replaceAll("_", " ")
      .replace(Q_HEX, (_m, hex: string) => decodeSurrogateEscape(Buffer.from([Number.parseInt(hex, 16)]))),
  );
}

/** Thrown by {@link decode} for text that is not an encoded word (Python raises ValueError or KeyError). */
export class InvalidEncodedWord extends Error {}

/** What {@link decode} returns: the text, the charset and language named, the defects. */
export interface DecodedWord {
  text: string;
  charset: string;
  lang: string;
  defects: EwDefect[];
}

/**
 * Python's `_encoded_words.decode`: one encoded word to text. Bytes the
 * charset cannot decode become surrogate escapes with an
 * `UndecodableBytesDefect`; an unknown charset decodes as ASCII with
 * escapes and a `CharsetError` (none for `unknown-8bit`).
 * @throws {InvalidEncodedWord} when `ew` does not have the five `?` fields or its encoding is not q/b
 */
export function decode(ew: string): DecodedWord {
  const fields = ew.split("?");
  if (fields.length !== 5) throw new InvalidEncodedWord(`not an encoded word: ${ew}`);
  const star = fields[1]!.indexOf("*");
  const charset = star < 0 ? fields[1]! : fields[1]!.slice(0, star);
  const lang = star < 0 ? "" : fields[1]!.slice(star + 1);
  const cte = fields[2]!.toLowerCase();
  const text = fields[3]!;
  // Python encodes the text as ASCII with surrogateescape: anything else is a ValueError.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ASCII and escaped bytes are what may appear
  if (/[^\x00-\x7f\udc80-\udcff]/.test(text)) throw new InvalidEncodedWord(`not ASCII: ${ew}`);
  let bytes: Buffer;
  let defects: EwDefect[];
  if (cte === "q") [bytes, defects] = [decodeQ(text), []];
  else if (cte === "b") [bytes, defects] = decodeB(encodeSurrogateEscape(text));
  else throw new InvalidEncodedWord(`unknown encoding: ${ew}`);
  const codec = findCodec(charset);
  let out: string;
  if (codec === undefined) {
    out = decodeSurrogateEscape(bytes);
    if (charset.toLowerCase() !== "unknown-8bit") {
      defects.push(
        new CharsetError(`Unknown charset '${charset}' in encoded word; decoded as unknown bytes`),
      );
    }
  } else {
    try {
      out = codec.decode(bytes, "strict");
    } catch {
      defects.push(
        new UndecodableBytesDefect(`Encoded word contains bytes not decodable using '${charset}' charset`),
      );
      out = codec.decode(bytes, "surrogateescape");
    }
  }
  return { text: out, charset, lang, defects };
}

/** Bytes "q" writes as themselves (Python's `_QByteMap.safe`). */
const Q_SAFE = new Uint8Array(256);
for (const c of Buffer.from("-!*+/abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"))
  Q_SAFE[c] = 1;

/** Python's `len_q` for one byte: 1 for a safe byte or a space, else 3. */
export const qByteLength = (b: number): number => (Q_SAFE[b] || b === 0x20 ? 1 : 3);

function encodeQ(bytes: Buffer): string {
  let out = "";
  for (const b of bytes) {
    if (b === 0x20) out += "_";
    else if (Q_SAFE[b]) out += String.fromCharCode(b);
    else out += `=${b.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

/** Python's `len_b`. */
export const bLength = (n: number): number => Math.floor(n / 3) * 4 + (n % 3 ? 4 : 0);

/** The bytes `text` encodes to in `charset` (`unknown-8bit`: the escaped bytes). */
export function encodeBytes(text: string, charset: string): Buffer {
  if (charset === "unknown-8bit") return encodeSurrogateEscape(text);
  const codec = findCodec(charset);
  if (codec === undefined) throw new CharsetError(`Cannot encode to unknown charset '${charset}'`);
  return codec.encode(text, "strict");
}

/**
 * Python's `_encoded_words.encode`: `text` as one encoded word in
 * `charset`, with "q" unless "b" is at least 5 characters shorter.
 */
export function encode(
  text: string,
  charset = "utf-8",
  encoding: "q" | "b" | null = null,
  lang = "",
): string {
  const bytes = encodeBytes(text, charset);
  if (encoding === null) {
    let qlen = 0;
    for (const b of bytes) qlen += qByteLength(b);
    encoding = qlen - bLength(bytes.length) < 5 ? "q" : "b";
  }
  const encoded = encoding === "q" ? encodeQ(bytes) : bytes.toString("base64");
  return `=?${charset}${lang ? `*${lang}` : ""}?${encoding}?${encoded}?=`;
}
