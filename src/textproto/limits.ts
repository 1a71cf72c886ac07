/**
 * Every line limit of netkit's line protocols, in one table, each with its
 * source. CPython keeps one `_MAXLINE` per module; netkit keeps them here so
 * a protocol module names its limit instead of repeating a number.
 *
 * A line limit counts the bytes of a line including its line end, as
 * CPython's `readline(_MAXLINE + 1)` checks do: a line of exactly the limit
 * is accepted, one byte more is refused.
 *
 * @module
 */

/**
 * Line limits by protocol, in bytes (line end included), plus the bound on
 * the lines of one multi-line reply.
 *
 * @example
 * ```ts
 * import { LINE_LIMITS, Reader } from "netkit/textproto";
 * import { BufferedReader, BytesSource } from "netkit/io";
 * const reader = new Reader(new BufferedReader(new BytesSource("220 ready\r\n")), {
 *   maxLine: LINE_LIMITS.smtplib,
 * });
 * ```
 */
export const LINE_LIMITS = {
  /** http.client `_MAXLINE`: status, header and chunk-size lines. */
  http: 65536,
  /** smtplib `_MAXLINE`: one reply line (past it Python raises `SMTPResponseException(500, "Line too long.")`). */
  smtplib: 8192,
  /** ftplib `MAXLINE`: one control-connection line. */
  ftplib: 8192,
  /** poplib `_MAXLINE`: one response or message line. */
  poplib: 2048,
  /** nntplib `_MAXLINE`: one response or article line. */
  nntplib: 2048,
  /** imaplib `_MAXLINE`: one response line (literals are read by length). */
  imaplib: 1_000_000,
  /** smtpd `SMTPChannel.command_size_limit`: one command line. */
  smtpdCommand: 512,
  /** RFC 5321 4.5.3.1.6: a text line of DATA is at most 998 characters plus CRLF. */
  smtpdData: 1000,
  /**
   * Lines in one multi-line reply: netkit's own bound (CPython has none, so a
   * server sending `250-` forever grows the client's memory without end).
   * EHLO answers carry a dozen lines; FTP's HELP a few dozen.
   */
  maxReplyLines: 1000,
} as const;
