/**
 * Python's imaplib exceptions, `IMAP4.error`, `IMAP4.abort` and
 * `IMAP4.readonly`, as classes with a stable `code` on each:
 *
 * ```text
 * Error
 *  └── IMAP4Error (IMAP4.error)           ERR_IMAP            a logical error: a refused LOGIN, BAD, a command in the wrong state
 *       └── IMAP4Abort (IMAP4.abort)      ERR_IMAP_ABORT      the connection is broken: close it and start again
 *            └── IMAP4Readonly (IMAP4.readonly) ERR_IMAP_READONLY  the mailbox became read-only
 * ```
 *
 * An abort for a named cause carries a more precise code (the class stays
 * `IMAP4Abort`):
 * - `ERR_IMAP_EOF`: the server closed the connection (also inside a literal)
 * - `ERR_IMAP_TIMEOUT`: nothing came (or nothing could be sent) within `timeout`
 * - `ERR_IMAP_SOCKET`: the connection failed otherwise
 * - `ERR_IMAP_LINE_TOO_LONG`: a response line past `maxLine` bytes
 * - `ERR_IMAP_LITERAL_TOO_LARGE`: a literal announced larger than `maxLiteral`
 * - `ERR_IMAP_RESPONSE_TOO_LARGE`: one command's untagged responses past `maxResponseBytes`
 * - `ERR_IMAP_BYE`: the server said BYE (it is closing the connection)
 * - `ERR_IMAP_UNEXPECTED_RESPONSE`: a line that is no IMAP response, or a
 *   tagged response for a command that is not waiting
 *
 * and an error for a caller's mistake: `ERR_IMAP_BUSY` (a command started
 * while another has not finished; await each).
 *
 * @module
 */
import { nameErrors } from "../errors/index.js";

/** Options of every imaplib error: a precise code and the error behind it. */
export interface IMAP4ErrorOptions {
  /** A more precise stable code than the class's (see the module notes). */
  code?: string;
  /** The error behind this one (a socket error, a textproto `ProtocolError`). */
  cause?: unknown;
}

/**
 * Python's `IMAP4.error`: a logical error (the server refused LOGIN or
 * AUTHENTICATE, answered BAD, a command was called in a state that does not
 * allow it). The connection is still usable.
 */
export class IMAP4Error extends Error {
  /** The code an instance has when none is given. */
  static defaultCode = "ERR_IMAP";
  /** The stable code for matching without `instanceof` (see the module notes). */
  readonly code: string;

  /**
   * @param message what went wrong, as Python words it
   * @param options a precise code, the cause
   */
  constructor(message = "", options: IMAP4ErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = options.code ?? (new.target as typeof IMAP4Error).defaultCode;
  }
}

/**
 * Python's `IMAP4.abort`: the connection is broken or out of step (the
 * server closed it, sent what no IMAP server sends, passed a limit, or said
 * BYE). Close it and start again.
 */
export class IMAP4Abort extends IMAP4Error {
  static override defaultCode = "ERR_IMAP_ABORT";
}

/**
 * Python's `IMAP4.readonly`: the selected mailbox was opened (or became)
 * read-only while the caller asked for read-write. Select it again.
 */
export class IMAP4Readonly extends IMAP4Abort {
  static override defaultCode = "ERR_IMAP_READONLY";
}

nameErrors({ IMAP4Error, IMAP4Abort, IMAP4Readonly });
