/**
 * `netkit/textproto`: what every line protocol shares, written once (Go's
 * `net/textproto` is the model; CPython repeats it in smtplib, ftplib,
 * nntplib and poplib). smtplib, smtpd, poplib, imaplib, nntplib, ftplib and
 * the Gopher server build on it.
 *
 * ```text
 *   BufferedReader ──▶ Reader   readLine, readCodeLine, readResponse,
 *                               readDotLines, dotBlock, readContinuedLine
 *   BufferedWriter ◀── Writer   cmd (formatCommand), writeDotBlock (DotStuffer)
 * ```
 *
 * - `Reader` reads bounded lines, numeric replies (SMTP's `250-`/`250 ` and
 *   RFC 959's multi-line form, with an expected code prefix), dot-terminated
 *   blocks (unstuffed, as lines or as a stream) and folded lines.
 * - `formatCommand` and `Writer.cmd` refuse CR, LF and NUL in any argument
 *   before anything is sent; `DotStuffer` normalises every bare CR and LF to
 *   CRLF before doubling leading dots, so no body can end a block early.
 * - Errors: `ReplyError` (the peer refused: a reply with the wrong code)
 *   apart from `ProtocolError` (the peer broke the protocol), and
 *   `CommandError` (the caller passed a line break); each with a stable `code`.
 * - `LINE_LIMITS`: every protocol's line limit, with its source.
 *
 * Parsing and formatting are pure (`parseCodeLine`, `formatCommand`,
 * `dotStuff`), tested without sockets.
 *
 * @example
 * ```ts
 * import { BufferedReader, BufferedWriter, BytesSink, BytesSource } from "netkit/io";
 * import { Reader, Writer } from "netkit/textproto";
 * const reader = new Reader(new BufferedReader(new BytesSource("220 ready\r\n250 OK\r\n")));
 * const sink = new BytesSink();
 * const writer = new Writer(new BufferedWriter(sink));
 * await reader.readResponse(220);
 * await writer.cmd("NOOP");
 * await reader.readResponse(250);
 * ```
 *
 * @module
 */
export { CommandError, ProtocolError, type ProtocolErrorCode, ReplyError } from "./errors.js";
export { LINE_LIMITS } from "./limits.js";
export {
  type CodeLine,
  type DotBlockOptions,
  parseCodeLine,
  Reader,
  type ReaderOptions,
  type Reply,
} from "./reader.js";
export { checkArgument, DotStuffer, dotStuff, formatCommand, Writer } from "./writer.js";
