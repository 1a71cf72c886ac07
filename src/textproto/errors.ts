/**
 * The errors of netkit's line protocols, on Go's net/textproto split: the
 * peer refused (`ReplyError`: a well-formed reply with the wrong code) apart
 * from the peer broke the protocol (`ProtocolError`: a line too long, a reply
 * line that is not a reply, the connection closed mid-reply). Callers pass
 * both up unchanged; protocol modules turn them into their own Python
 * exceptions (smtplib's `SMTPResponseException`, ftplib's `error_perm`).
 * `CommandError` is the caller's mistake: a command argument that would
 * smuggle a second command (CR, LF) or a NUL.
 *
 * Every class has a stable `code`.
 *
 * @module
 */

import { asBuffer } from "../_buffer.js";
import { nameErrors, ValueError } from "../errors/index.js";
import type { Reply } from "./reader.js";

/** The bytes of an offending line kept on a `ProtocolError`: enough to see what came, never a megabyte. */
const LINE_SAMPLE = 256;

/** The codes a {@link ProtocolError} carries. */
export type ProtocolErrorCode =
  | "ERR_TEXTPROTO_LINE_TOO_LONG"
  | "ERR_TEXTPROTO_BAD_REPLY"
  | "ERR_TEXTPROTO_EOF"
  | "ERR_TEXTPROTO_TOO_MANY_LINES"
  | "ERR_TEXTPROTO_TOO_LARGE"
  | "ERR_TEXTPROTO_TOO_MANY_HEADERS"
  | "ERR_TEXTPROTO_BARE_LINE_END";

/** Shows bytes in a message: quoted as JSON, cut to 80 characters. */
export function quoteBytes(bytes: Uint8Array): string {
  const text = asBuffer(bytes).toString("latin1");
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}...` : text);
}

/**
 * The peer broke the protocol (Go's `textproto.ProtocolError`): a line past
 * its limit, a reply line that is not `DDD`, `DDD text` or `DDD-text`, the
 * connection closed before a line, reply or block was complete, too many
 * lines in one reply, a block past its byte limit, a header block past its
 * line count, or (when asked for) a bare CR or LF where only CRLF may end a
 * line. The connection is in an unknown
 * state afterwards unless the method that threw says otherwise; protocol
 * modules close it.
 *
 * `code` is one of:
 * - `"ERR_TEXTPROTO_LINE_TOO_LONG"`: a line passed its limit
 * - `"ERR_TEXTPROTO_BAD_REPLY"`: a reply line that is not a reply line
 * - `"ERR_TEXTPROTO_EOF"`: the peer closed before the line, reply or block was complete
 * - `"ERR_TEXTPROTO_TOO_MANY_LINES"`: a multi-line reply past `maxReplyLines`
 * - `"ERR_TEXTPROTO_TOO_LARGE"`: a dot-terminated block or a header block past its `maxBytes`
 * - `"ERR_TEXTPROTO_TOO_MANY_HEADERS"`: a header block past its `maxHeaders` lines
 * - `"ERR_TEXTPROTO_BARE_LINE_END"`: a bare CR or LF in a block read with `strictLineEnds`
 *
 * @example
 * ```ts
 * import { BufferedReader, BytesSource } from "netkit/io";
 * const reader = new Reader(new BufferedReader(new BytesSource("25 not a reply\r\n")));
 * try {
 *   await reader.readResponse();
 * } catch (err) {
 *   if (err instanceof ProtocolError && err.code === "ERR_TEXTPROTO_BAD_REPLY") {
 *     console.log(err.line?.toString()); // "25 not a reply"
 *   }
 * }
 * ```
 */
export class ProtocolError extends Error {
  /** The stable code for matching without `instanceof` (see the class doc). */
  readonly code: ProtocolErrorCode;
  /** The offending line (or its first 256 bytes), when one is to blame. */
  readonly line?: Buffer;

  /**
   * @param message what went wrong, in sentence case
   * @param code the stable code
   * @param line the offending line; a copy of its first 256 bytes is kept
   */
  constructor(message: string, code: ProtocolErrorCode, line?: Uint8Array) {
    super(message);
    this.code = code;
    if (line !== undefined) this.line = Buffer.from(line.subarray(0, LINE_SAMPLE));
  }
}

/**
 * The peer answered with a well-formed reply, but not with the code the
 * caller expected (Go's `textproto.Error`). The whole reply has been read,
 * so the connection is still in step. Protocol modules map it to their own
 * exception (smtplib's `SMTPResponseException(code, text)`).
 *
 * @example
 * ```ts
 * import { BufferedReader, BytesSource } from "netkit/io";
 * const reader = new Reader(new BufferedReader(new BytesSource("550-No such user\r\n550 here\r\n")));
 * try {
 *   await reader.readResponse(2);
 * } catch (err) {
 *   if (err instanceof ReplyError) console.log(err.replyCode, err.text.toString());
 * }
 * ```
 */
export class ReplyError extends Error {
  /** The stable code for matching without `instanceof`: `"ERR_TEXTPROTO_REPLY"`. */
  readonly code = "ERR_TEXTPROTO_REPLY";
  /** The reply's three-digit code (smtplib's `smtp_code`). */
  readonly replyCode: number;
  /** The text of each reply line (see `Reply.lines`). */
  readonly lines: Buffer[];
  /** The lines joined by `\n`, as smtplib joins them (its `smtp_error`). */
  readonly text: Buffer;
  /** The code prefix that was expected (`2` for any 2xx), if one was. */
  readonly expected: number | undefined;

  /**
   * @param reply the reply that came
   * @param expected the code prefix that was expected
   */
  constructor(reply: Reply, expected?: number) {
    const want = expected === undefined ? "" : `: expected ${String(expected).padEnd(3, "x")}`;
    super(`Unexpected reply ${reply.code} ${quoteBytes(reply.text)}${want}`);
    this.replyCode = reply.code;
    this.lines = reply.lines;
    this.text = reply.text;
    this.expected = expected;
  }
}

/**
 * A command argument holds CR, LF or NUL, which would end the command early
 * and let the rest run as a second command (command injection, the SMTP and
 * FTP CVEs of CPython's history). Thrown before anything is sent. A
 * `ValueError`, as Python's smtplib `putcmd` raises for CR and LF; netkit
 * refuses NUL too, and checks every protocol, not only SMTP.
 *
 * @example
 * ```ts
 * try {
 *   formatCommand("RCPT", "TO:<a@example.com>\r\nDATA");
 * } catch (err) {
 *   if (err instanceof CommandError) console.log(err.code); // "ERR_TEXTPROTO_ILLEGAL_CHAR"
 * }
 * ```
 */
export class CommandError extends ValueError {
  /** The stable code for matching without `instanceof`: `"ERR_TEXTPROTO_ILLEGAL_CHAR"`. */
  override readonly code: string = "ERR_TEXTPROTO_ILLEGAL_CHAR";
}

// Each class's `name`, written out: a minifier renames the classes themselves.
nameErrors({ ProtocolError, ReplyError, CommandError });
