/**
 * `netkit/imaplib`: Python's `imaplib`, an IMAP4rev1 client (RFC 3501) with
 * Python 3.11's commands and results, on `netkit/textproto`, plus IDLE
 * (RFC 2177) as an async iterator.
 *
 * - `IMAP4`, `IMAP4_SSL`, `IMAP4_stream`: the clients (`await IMAP4.open(host)`
 *   is Python's `IMAP4(host)`). Every command returns Python's
 *   `[typ, data]`, literals as `[header, bytes]` pairs.
 * - `IMAP4.error`, `IMAP4.abort`, `IMAP4.readonly` (also exported as
 *   `IMAP4Error`, `IMAP4Abort`, `IMAP4Readonly`), each with a stable `code`.
 * - `Internaldate2tuple`, `Int2AP`, `ParseFlags`, `Time2Internaldate`,
 *   `Commands`, the ports.
 * - `parseResponseLine`, `literalSize`, `parseResponseCode`: the pure
 *   response parser.
 * - `IMAP_LIMITS`: the line, literal and response bounds, with their reasons.
 *
 * Safer than Python 3.11: literals and a command's untagged responses are
 * bounded (Python reads a `{1099511627776}` literal), CR/LF in arguments are
 * refused, TLS verifies the server by default, a timeout or broken
 * connection is an `IMAP4.abort` with a code. The details are on `IMAP4`.
 *
 * A session (it needs a mail server, so it is not an `@example` the docs
 * test runs; docs/imaplib.md holds the same, type-checked):
 *
 * ```ts
 * import { IMAP4_SSL } from "netkit/imaplib";
 * await using M = await IMAP4_SSL.open("imap.example.org", 993, { timeout: 30 });
 * await M.login("me", "secret");
 * await M.select("INBOX");
 * const [, [ids]] = await M.search(null, "UNSEEN");
 * for (const num of String(ids).split(" ").filter(Boolean)) {
 *   const [, data] = await M.fetch(num, "(RFC822)");
 *   const [header, message] = data[0] as [Buffer, Buffer];
 * }
 * ```
 *
 * @module
 */
export type { Authenticator } from "./auth.js";
export { IMAP4Abort, IMAP4Error, type IMAP4ErrorOptions, IMAP4Readonly } from "./errors.js";
export {
  Int2AP,
  type InternalDateInput,
  Internaldate2tuple,
  ParseFlags,
  type StructTime,
  Time2Internaldate,
} from "./helpers.js";
export {
  AllowedVersions,
  Commands,
  CRLF,
  type IdleOptions,
  IMAP4,
  IMAP4_PORT,
  IMAP4_SSL_PORT,
  type IMAP4Options,
  type IMAP4State,
  type IMAPArg,
  type IMAPDatum,
  type IMAPResult,
} from "./imap4.js";
export { IMAP_LIMITS } from "./limits.js";
export {
  type ContinuationLine,
  literalSize,
  parseResponseCode,
  parseResponseLine,
  type ResponseCode,
  type ResponseLine,
  type TaggedLine,
  type UntaggedLine,
} from "./parse.js";
export { IMAP4_SSL, type IMAP4_SSLOptions } from "./ssl.js";
export { IMAP4_stream, type IMAP4_streamOptions } from "./stream.js";
