/**
 * HTTP header blocks with http.client's names and exceptions, over the MIME
 * header reader of `netkit/textproto` (`textproto/header.ts`, where the
 * parser and `HTTPMessage` live since the line protocols share them).
 *
 * This file keeps what http has always exported from here: `HTTPMessage`,
 * `parseHeaderBlock`, `splitLines`, `MAX_LINE`, `MAX_HEADERS`, and
 * `readHeaders`/`parseHeaders` that throw Python's `LineTooLong` and
 * `TooManyHeaders` (textproto throws its own `ProtocolError`s). No total
 * size limit is applied by default here: Python has none, and 100 lines of
 * 64 KiB already bound a block. The server passes `MAX_HEADER_BYTES`
 * (`_server/limits.ts`) and gets `HeadersTooLarge` past it.
 *
 * @module
 */

import type { BufferedReader } from "../io/reader.js";
import { ProtocolError } from "../textproto/errors.js";
import {
  type HTTPMessage,
  MAX_HEADERS,
  MAX_LINE,
  parseHeaderBlock,
  readHeaders as readHeaderLines,
} from "../textproto/header.js";
import { HeadersTooLarge, LineTooLong, TooManyHeaders } from "./errors.js";

export {
  type HeaderBlockOptions,
  type HeaderDefect,
  HTTPMessage,
  MAX_HEADERS,
  MAX_LINE,
  parseHeaderBlock,
  splitLines,
} from "../textproto/header.js";

/** Limits for `readHeaders`. */
export interface HeaderLimits {
  /** Longest line, in bytes. @default 65536 */
  maxLineLength?: number;
  /** Most lines. @default 100 */
  maxHeaders?: number;
  /** Most bytes of the block, line ends included. @default no limit (Python has none) */
  maxBytes?: number;
  /** What the lines are, for the errors: `"header line"` or `"trailer line"`. @default "header line" */
  lineType?: string;
}

/**
 * Python's `http.client._read_headers`: reads header lines up to and
 * including the blank line (or the end of the stream).
 * @throws LineTooLong ("header line") past `maxLineLength`, TooManyHeaders
 *   ("got more than 100 headers", a plain HTTPException in Python) past
 *   `maxHeaders`, HeadersTooLarge past `maxBytes`
 */
export async function readHeaders(reader: BufferedReader, limits: HeaderLimits = {}): Promise<Buffer[]> {
  const maxHeaders = limits.maxHeaders ?? MAX_HEADERS;
  const maxBytes = limits.maxBytes ?? Number.POSITIVE_INFINITY;
  try {
    return await readHeaderLines(reader, {
      maxLineLength: limits.maxLineLength ?? MAX_LINE,
      maxHeaders,
      maxBytes,
    });
  } catch (err) {
    if (err instanceof ProtocolError) {
      const lineType = limits.lineType ?? "header line";
      if (err.code === "ERR_TEXTPROTO_LINE_TOO_LONG") throw new LineTooLong(lineType);
      if (err.code === "ERR_TEXTPROTO_TOO_MANY_HEADERS") throw new TooManyHeaders(maxHeaders, lineType);
      if (err.code === "ERR_TEXTPROTO_TOO_LARGE") throw new HeadersTooLarge(maxBytes, lineType);
    }
    throw err;
  }
}

/**
 * Python's `http.client.parse_headers(fp)`: reads a header block from
 * `reader` and parses it.
 * @throws LineTooLong, TooManyHeaders, HeadersTooLarge
 */
export async function parseHeaders(reader: BufferedReader, limits: HeaderLimits = {}): Promise<HTTPMessage> {
  const lines = await readHeaders(reader, limits);
  return parseHeaderBlock(Buffer.concat(lines).toString("latin1"));
}
