/**
 * `decodeHeader`: Python's `nntplib.decode_header`, which joins what
 * `email.header.decode_header` returns: RFC 2047 encoded words
 * (`=?charset?q?...?=`, `=?charset?b?...?=`) decoded with their charsets,
 * the rest kept. netkit/email's `decodeHeader` does the splitting, with
 * CPython 3.11's quirks (the differential tests compare the two on random
 * input); each chunk is then decoded strictly with its charset, ASCII for
 * plain text. Pure.
 *
 * @module
 */
import { lookupCodec } from "../_codecs.js";
import { decodeHeader as decodeEncodedWords } from "../email/header.js";

/**
 * Python's `nntplib.decode_header(header_str)`: the header with its RFC 2047
 * encoded words decoded.
 * @param header a raw header value
 * @returns the decoded text
 * @throws HeaderParseError for an encoded word whose base64 does not decode;
 *   LookupError for an unknown charset; UnicodeDecodeError for bytes the charset refuses
 */
export function decodeHeader(header: string): string {
  return decodeEncodedWords(header)
    .map(([text, charset]) =>
      typeof text === "string" ? text : lookupCodec(charset || "ascii").decode(text, "strict"),
    )
    .join("");
}
