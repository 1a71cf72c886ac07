/**
 * `netkit/smtplib`: Python's `smtplib`, an SMTP/ESMTP/LMTP client (RFC 5321,
 * RFC 1869's extensions, RFC 3207 STARTTLS, RFC 4954 AUTH, RFC 2920
 * PIPELINING, RFC 6531 SMTPUTF8, RFC 2033 LMTP), on `netkit/textproto`.
 *
 * - `SMTP`, `SMTP_SSL`, `LMTP`: the client classes (`await SMTP.open(host)`
 *   is Python's `SMTP(host)`).
 * - The exception tree: `SMTPException` and its subclasses, with Python's
 *   fields (`smtpCode`, `smtpError`, `sender`, `recipients`) and stable codes.
 * - `quoteaddr`, and the ports `SMTP_PORT`, `SMTP_SSL_PORT`, `LMTP_PORT`.
 *
 * Safer than Python 3.11: CR, LF and NUL in a command argument are refused
 * before sending; every bare CR and LF in a message becomes CRLF before
 * dot-stuffing (no SMTP smuggling); TLS verifies the server by default and
 * drops bytes sent before the STARTTLS handshake; every read and write
 * honours `timeout`; a reply line past 8192 bytes or 1000 lines is an error.
 * `sendMessage` takes a serialised message (text or bytes) until
 * netkit/email exists. The details are on `SMTP`.
 *
 * A session (it needs a mail server, so it is not an `@example` the docs
 * test runs; docs/smtp.md holds the same, type-checked):
 *
 * ```ts
 * import { SMTP } from "netkit/smtplib";
 * await using smtp = await SMTP.open("localhost", 25, { timeout: 30 });
 * await smtp.sendmail("me@example.org", ["you@example.org"], "Subject: hi\r\n\r\nHello\r\n");
 * ```
 *
 * @module
 */
export {
  SMTPAuthenticationError,
  SMTPConnectError,
  SMTPDataError,
  SMTPException,
  SMTPHeloError,
  SMTPNotSupportedError,
  SMTPRecipientsRefused,
  type SMTPReply,
  SMTPResponseException,
  SMTPSenderRefused,
  SMTPServerDisconnected,
  SMTPTimeoutError,
} from "./errors.js";
export { LMTP } from "./lmtp.js";
export { quoteaddr } from "./parse.js";
export {
  type AuthObject,
  type AuthOptions,
  CRLF,
  LMTP_PORT,
  type MessageData,
  type RefusedRecipients,
  type SendMessageOptions,
  type SendmailOptions,
  SMTP,
  SMTP_PORT,
  SMTP_SSL_PORT,
  type SMTPOptions,
} from "./smtp.js";
export { SMTP_SSL, type SMTP_SSLOptions } from "./ssl.js";
