/**
 * The boundary check of Python's `_make_boundary` (a line of the rendered
 * parts that is `--b` or `--b--`), made for large bodies: searched, not
 * matched by a regular expression, and over bytes when the parts are bytes.
 * Internal to `email/generator.ts`.
 *
 * @module
 */

import type { OutputPiece } from "./generator.js";

const LF = 0x0a;
const HYPHEN = 0x2d;

/**
 * Whether a line of `text` is `--b` or `--b--`: Python's
 * `re.search('^--' + re.escape(b) + '(--)?$', text, re.MULTILINE)` (lines
 * end at `\n` only), by search rather than a regular expression, which
 * tried every position of a 10 MB body.
 */
export function holdsBoundaryLine(text: string | Buffer, b: string): boolean {
  const needle = `--${b}`;
  const at = typeof text === "string" ? (i: number) => text.charCodeAt(i) : (i: number) => text[i];
  for (let i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
    if (i > 0 && at(i - 1) !== LF) continue;
    const end = i + needle.length;
    if (end === text.length || at(end) === LF) return true;
    if (at(end) === HYPHEN && at(end + 1) === HYPHEN && (end + 2 === text.length || at(end + 2) === LF))
      return true;
  }
  return false;
}

/**
 * The rendered parts joined by `nl`, to look for a boundary line in: text
 * when every piece is text, else bytes (text pieces as UTF-8). Both hold the
 * same lines: an ASCII character is its own byte, anything else is bytes
 * of 0x80 and up, which neither a boundary nor a line end holds. Bytes spare
 * decoding a large encoded body back to text only to search it.
 */
export function searchable(texts: readonly (readonly OutputPiece[])[], nl: string): string | Buffer {
  if (texts.every((pieces) => pieces.every((piece) => typeof piece === "string"))) {
    return texts.map((pieces) => pieces.join("")).join(nl);
  }
  const separator = Buffer.from(nl);
  const parts: Buffer[] = [];
  for (const [i, pieces] of texts.entries()) {
    if (i > 0) parts.push(separator);
    for (const piece of pieces) parts.push(typeof piece === "string" ? Buffer.from(piece, "utf8") : piece);
  }
  return Buffer.concat(parts);
}
