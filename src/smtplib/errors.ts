/**
 * Python's `smtplib` exception tree, with Python's fields and a stable
 * `code` on every class:
 *
 * ```text
 * OSError
 *  └── SMTPException                       ERR_SMTP
 *       ├── SMTPNotSupportedError          ERR_SMTP_NOT_SUPPORTED
 *       ├── SMTPServerDisconnected         ERR_SMTP_SERVER_DISCONNECTED
 *       │    └── SMTPTimeoutError (netkit) ERR_SMTP_TIMEOUT
 *       ├── SMTPRecipientsRefused          ERR_SMTP_RECIPIENTS_REFUSED  (recipients)
 *       └── SMTPResponseException          ERR_SMTP_RESPONSE            (smtpCode, smtpError)
 *            ├── SMTPSenderRefused         ERR_SMTP_SENDER_REFUSED      (sender)
 *            ├── SMTPDataError             ERR_SMTP_DATA
 *            ├── SMTPConnectError          ERR_SMTP_CONNECT
 *            ├── SMTPHeloError             ERR_SMTP_HELO
 *            └── SMTPAuthenticationError   ERR_SMTP_AUTHENTICATION
 * ```
 *
 * `smtpError` is always a `Buffer` (Python's is `bytes` from the server, and
 * a `str` for the few texts smtplib makes up itself, such as `"Line too long."`).
 * The message reads as Python's `str(err)`: `(550, b'No such user')`.
 *
 * @module
 */

import { reprBytes } from "../_pyrepr.js";
import { nameErrors, OSError } from "../errors/index.js";

/** A refused recipient's reply: `[code, text]`, as Python's `(code, resp)` tuple. */
export type SMTPReply = [code: number, text: Buffer];

/** Python's `SMTPException` (an `OSError`): the base of every smtplib error. */
export class SMTPException extends OSError {
  static override defaultCode = "ERR_SMTP";
  /** @param message what went wrong */
  constructor(message = "", options?: { cause?: unknown }) {
    super(undefined, message, undefined, options);
  }
}

/** Python's `SMTPNotSupportedError`: the server does not offer the command or option asked for. */
export class SMTPNotSupportedError extends SMTPException {
  static override defaultCode = "ERR_SMTP_NOT_SUPPORTED";
}

/**
 * Python's `SMTPServerDisconnected`: not connected, or the server closed the
 * connection (or the socket failed) while a command or reply was on its way.
 * The socket error, when there is one, is the `cause`.
 */
export class SMTPServerDisconnected extends SMTPException {
  static override defaultCode = "ERR_SMTP_SERVER_DISCONNECTED";
}

/**
 * netkit's: the server did not answer (or take the bytes) within the
 * connection's `timeout`. Python raises its parent `SMTPServerDisconnected`
 * ("Connection unexpectedly closed: timed out"), so code written for Python
 * still catches it; the connection is closed, as Python closes it.
 */
export class SMTPTimeoutError extends SMTPServerDisconnected {
  static override defaultCode = "ERR_SMTP_TIMEOUT";
}

/** Formats Python's `str()` of an exception whose `args` are `(code, msg, ...)`. */
function argsText(args: unknown[]): string {
  const parts = args.map((a) =>
    a instanceof Uint8Array ? reprBytes(a) : typeof a === "string" ? `'${a}'` : String(a),
  );
  return `(${parts.join(", ")})`;
}

/**
 * Python's `SMTPResponseException`: the server answered with an error code.
 * `smtpCode` is the reply code (`-1` when the reply line had none), `smtpError`
 * the reply text (lines joined with `\n`).
 */
export class SMTPResponseException extends SMTPException {
  static override defaultCode = "ERR_SMTP_RESPONSE";
  /** The reply code (Python's `smtp_code`). */
  readonly smtpCode: number;
  /** The reply text (Python's `smtp_error`). */
  readonly smtpError: Buffer;
  /**
   * @param code the reply code
   * @param msg the reply text (a string is encoded as UTF-8)
   */
  constructor(code: number, msg: Buffer | string, extra: unknown[] = []) {
    const text = typeof msg === "string" ? Buffer.from(msg) : msg;
    super(argsText([code, typeof msg === "string" ? msg : text, ...extra]));
    this.smtpCode = code;
    this.smtpError = text;
  }
}

/** Python's `SMTPSenderRefused`: the server refused `MAIL FROM`; `sender` is the address. */
export class SMTPSenderRefused extends SMTPResponseException {
  static override defaultCode = "ERR_SMTP_SENDER_REFUSED";
  /** The refused sender address. */
  readonly sender: string;
  /**
   * @param code the reply code
   * @param msg the reply text
   * @param sender the address the server refused
   */
  constructor(code: number, msg: Buffer | string, sender: string) {
    super(code, msg, [sender]);
    this.sender = sender;
  }
}

/**
 * Python's `SMTPRecipientsRefused`: every recipient was refused (or the server
 * closed with 421 during RCPT). `recipients` maps each refused address to its
 * reply, as `sendmail` returns for a partial refusal.
 */
export class SMTPRecipientsRefused extends SMTPException {
  static override defaultCode = "ERR_SMTP_RECIPIENTS_REFUSED";
  /** Each refused recipient's `[code, text]`, in the order they were sent. */
  readonly recipients: Map<string, SMTPReply>;
  /** @param recipients the refused recipients and their replies */
  constructor(recipients: Map<string, SMTPReply>) {
    const entries = [...recipients].map(([addr, [code, text]]) => `'${addr}': (${code}, ${reprBytes(text)})`);
    super(`{${entries.join(", ")}}`);
    this.recipients = recipients;
  }
}

/** Python's `SMTPDataError`: the server refused DATA or the message. */
export class SMTPDataError extends SMTPResponseException {
  static override defaultCode = "ERR_SMTP_DATA";
}

/** Python's `SMTPConnectError`: the server's greeting was not 220. */
export class SMTPConnectError extends SMTPResponseException {
  static override defaultCode = "ERR_SMTP_CONNECT";
}

/** Python's `SMTPHeloError`: the server refused both EHLO and HELO. */
export class SMTPHeloError extends SMTPResponseException {
  static override defaultCode = "ERR_SMTP_HELO";
}

/** Python's `SMTPAuthenticationError`: the server refused the credentials (or the mechanism). */
export class SMTPAuthenticationError extends SMTPResponseException {
  static override defaultCode = "ERR_SMTP_AUTHENTICATION";
}

nameErrors({
  SMTPException,
  SMTPNotSupportedError,
  SMTPServerDisconnected,
  SMTPTimeoutError,
  SMTPResponseException,
  SMTPSenderRefused,
  SMTPRecipientsRefused,
  SMTPDataError,
  SMTPConnectError,
  SMTPHeloError,
  SMTPAuthenticationError,
});
