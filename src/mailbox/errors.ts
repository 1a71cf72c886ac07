/**
 * Python's `mailbox` exception tree, with a stable `code` on every class:
 *
 * ```text
 * Error (mailbox.Error)                ERR_MAILBOX
 *  ├── NoSuchMailboxError              ERR_MAILBOX_NO_SUCH_MAILBOX
 *  ├── NotEmptyError                   ERR_MAILBOX_NOT_EMPTY
 *  ├── ExternalClashError              ERR_MAILBOX_EXTERNAL_CLASH
 *  └── FormatError                     ERR_MAILBOX_FORMAT
 * ```
 *
 * A missing key is `KeyError` from `netkit/errors` (code `ERR_KEY`), as
 * Python raises `KeyError`. The base class is exported as `Error`, Python's
 * name; import it under another name (`import { Error as MailboxError }`)
 * where the global `Error` is needed too.
 *
 * @module
 */
import { nameErrors } from "../errors/index.js";

/** Python's `mailbox.Error`: the base of the mailbox module's exceptions. */
export class MailboxError extends Error {
  /** The stable code for matching without `instanceof`. */
  readonly code: string = "ERR_MAILBOX";
}

/** Python's `NoSuchMailboxError`: the mailbox does not exist and `create` is false. */
export class NoSuchMailboxError extends MailboxError {
  override readonly code: string = "ERR_MAILBOX_NO_SUCH_MAILBOX";
}

/** Python's `NotEmptyError`: a folder to remove still holds messages. */
export class NotEmptyError extends MailboxError {
  override readonly code: string = "ERR_MAILBOX_NOT_EMPTY";
}

/**
 * Python's `ExternalClashError`: another program got in the way: the mailbox
 * is locked, a file name is taken, or the mailbox file changed under us.
 */
export class ExternalClashError extends MailboxError {
  override readonly code: string = "ERR_MAILBOX_EXTERNAL_CLASH";
}

/** Python's `FormatError`: a mailbox file cannot be parsed (or passes a netkit limit). */
export class FormatError extends MailboxError {
  override readonly code: string = "ERR_MAILBOX_FORMAT";
}

nameErrors({ Error: MailboxError, NoSuchMailboxError, NotEmptyError, ExternalClashError, FormatError });
