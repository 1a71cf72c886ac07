/**
 * Python's `nntplib` exception tree, with Python's `response` field and a
 * stable `code` on every class:
 *
 * ```text
 * Error
 *  └── NNTPError                 ERR_NNTP            (response)
 *       ├── NNTPReplyError       ERR_NNTP_REPLY      an unexpected 1xx/2xx/3xx reply
 *       ├── NNTPTemporaryError   ERR_NNTP_TEMPORARY  a 4xx reply
 *       ├── NNTPPermanentError   ERR_NNTP_PERMANENT  a 5xx reply
 *       ├── NNTPProtocolError    ERR_NNTP_PROTOCOL   a reply that does not start with 1 to 5
 *       └── NNTPDataError        ERR_NNTP_DATA       data that does not parse, a line past 2048 bytes
 * ```
 *
 * As in Python, `NNTPError` is a plain exception, not an `OSError`: a
 * dropped connection is Python's `EOFError` (netkit's, code `ERR_EOF`) and a
 * timeout is `TimeoutError`, as Python raises them.
 *
 * `HeaderParseError` is netkit/email's (Python's `email.errors.HeaderParseError`),
 * which `decode_header` lets through for a broken base64 encoded word.
 *
 * @module
 */
import { nameErrors } from "../errors/index.js";

/**
 * Python's `NNTPError`: the base of every nntplib error. `response` is the
 * server's reply line when one is to blame (Python's `args[0]`), else
 * `"No response given"`.
 *
 * @example
 * ```ts
 * const err = new NNTPTemporaryError("411 No such group no.such.group");
 * err.response; // "411 No such group no.such.group", as a server sends it to GROUP
 * err.code; // "ERR_NNTP_TEMPORARY"
 * err instanceof NNTPError; // true
 * ```
 */
export class NNTPError extends Error {
  /** The stable code for matching without `instanceof` (one per class, see the module doc). */
  readonly code: string = "ERR_NNTP";
  /** The server's reply line, or what went wrong (Python's `response`). */
  readonly response: string;

  /**
   * @param response the reply line, or the message; Python's `args[0]`
   * @param options the underlying error, as `cause`
   */
  constructor(response?: string, options?: { cause?: unknown }) {
    super(response ?? "", options);
    this.response = response ?? "No response given";
  }
}

/** Python's `NNTPReplyError`: a well-formed reply, but not the one the command expects (`"211"` for GROUP). */
export class NNTPReplyError extends NNTPError {
  /** `"ERR_NNTP_REPLY"`. */
  override readonly code: string = "ERR_NNTP_REPLY";
}

/** Python's `NNTPTemporaryError`: a 4xx reply (no such group, no such article, posting not allowed now). */
export class NNTPTemporaryError extends NNTPError {
  /** `"ERR_NNTP_TEMPORARY"`. */
  override readonly code: string = "ERR_NNTP_TEMPORARY";
}

/** Python's `NNTPPermanentError`: a 5xx reply (unknown command, access refused). */
export class NNTPPermanentError extends NNTPError {
  /** `"ERR_NNTP_PERMANENT"`. */
  override readonly code: string = "ERR_NNTP_PERMANENT";
}

/** Python's `NNTPProtocolError`: a reply line that does not start with 1, 2, 3, 4 or 5. */
export class NNTPProtocolError extends NNTPError {
  /** `"ERR_NNTP_PROTOCOL"`. */
  override readonly code: string = "ERR_NNTP_PROTOCOL";
}

/**
 * Python's `NNTPDataError`: the server's data does not parse (an overview
 * line, a DATE reply, an overview format), or a line is longer than 2048
 * bytes (`"line too long"`, as Python says), or a block is larger than
 * `maxBlockBytes` (netkit's bound). Where Python lets an `int()` or unpacking
 * error escape (`ValueError`, `IndexError`, `TypeError`) for broken server
 * data, netkit throws this.
 */
export class NNTPDataError extends NNTPError {
  /** `"ERR_NNTP_DATA"`. */
  override readonly code: string = "ERR_NNTP_DATA";
}

/** Python's `email.errors.HeaderParseError`, which `decodeHeader` lets through: netkit/email's own class. */
export { HeaderParseError } from "../email/errors.js";

// Each class's `name`, written out: a minifier renames the classes themselves.
nameErrors({
  NNTPError,
  NNTPReplyError,
  NNTPTemporaryError,
  NNTPPermanentError,
  NNTPProtocolError,
  NNTPDataError,
});
