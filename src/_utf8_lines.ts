/**
 * UTF-8 text files read leniently, a line at a time (internal; used by
 * mimetypes, http.cookiejar's file loaders and mailcap): where Python's
 * `open(...).read()` raises UnicodeDecodeError for the whole file at one bad
 * byte, these parsers skip the line that holds it and read the rest, as they
 * skip any other line they cannot use.
 *
 * @module
 */
import { hasCode } from "./errors/index.js";

const UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** The text of UTF-8 bytes, with the lines that are not UTF-8 emptied, and which lines those were. */
export interface Utf8Lines {
  /** The text; a line that is not UTF-8 is empty here, its line break kept. A BOM is kept, as Python keeps it. */
  text: string;
  /** Indexes of the emptied lines, counting lines as universal newlines do (LF, CRLF or a lone CR ends one). */
  bad: number[];
}

/**
 * Decodes `bytes` as UTF-8, emptying each line that is not UTF-8 (its line
 * break kept). Lines end at LF, CR or CRLF: ASCII bytes, which never sit
 * inside a UTF-8 character, so a bad byte spoils only its own line.
 *
 * @param bytes a file's content
 * @returns the text and the indexes of the lines left out
 */
export function decodeUtf8Lines(bytes: Uint8Array): Utf8Lines {
  try {
    return { text: UTF8.decode(bytes), bad: [] };
  } catch (err) {
    if (!hasCode(err, "ERR_ENCODING_INVALID_ENCODED_DATA")) throw err;
    // Some line is not UTF-8: decode line by line and keep the ones that are.
  }
  let text = "";
  const bad: number[] = [];
  let start = 0;
  for (let line = 0; start < bytes.length; line++) {
    let end = start;
    while (end < bytes.length && bytes[end] !== 0x0a && bytes[end] !== 0x0d) end++;
    const next = bytes[end] === 0x0d && bytes[end + 1] === 0x0a ? end + 2 : end + 1;
    try {
      text += UTF8.decode(bytes.subarray(start, end));
    } catch (err) {
      if (!hasCode(err, "ERR_ENCODING_INVALID_ENCODED_DATA")) throw err;
      bad.push(line);
    }
    text += Buffer.from(bytes.subarray(end, Math.min(next, bytes.length))).toString("latin1");
    start = next;
  }
  return { text, bad };
}
