/**
 * Python's `ftplib` exception tree, with a stable `code` on every class:
 *
 * ```text
 * Error (ftplib.Error)          ERR_FTP        a line past MAXLINE, netkit's own refusals
 *  ├── error_reply              ERR_FTP_REPLY  an unexpected 1xx, 2xx or 3xx reply
 *  ├── error_temp               ERR_FTP_TEMP   a 4xx reply
 *  ├── error_perm               ERR_FTP_PERM   a 5xx reply
 *  └── error_proto              ERR_FTP_PROTO  a reply that is not a reply (first digit not 1-5)
 * ```
 *
 * As in Python, the message is the server's whole reply (`"550 No such
 * file"`, lines joined by `\n`), and `all_errors` lists what a caller
 * catches around an FTP session: these, `OSError` (socket errors and
 * `TimeoutError`), `EOFError` (the server closed the control connection)
 * and `SSLError`.
 *
 * @module
 */
import { EOFError, nameErrors, OSError } from "../errors/index.js";
import { SSLError } from "../socket/tls.js";

/**
 * Python's `ftplib.Error` (exported under that name and as `FTPError`): the
 * base of the ftplib errors. Thrown itself for a control or listing line
 * longer than `MAXLINE` (`"got more than 8192 bytes"`, as Python) and for
 * what netkit refuses on its own.
 */
export class FTPError extends Error {
  /** The stable code for matching without `instanceof` (see the module doc). */
  readonly code: string;
  /** The server's reply, when the error is one (Python's `args[0]`). */
  readonly resp: string;

  /**
   * @param resp the reply (or message)
   * @param code the stable code @default the class's `defaultCode`
   */
  constructor(resp = "", code?: string, options?: { cause?: unknown }) {
    super(resp, options);
    this.resp = resp;
    this.code = code ?? (new.target as typeof FTPError).defaultCode;
  }

  /** The `code` of an instance built without one. */
  static defaultCode = "ERR_FTP";
}

/** Python's `error_reply`: a reply the command did not expect (a 2xx where 1xx was due, a 3xx where 2xx was). */
export class error_reply extends FTPError {
  static override defaultCode = "ERR_FTP_REPLY";
}

/** Python's `error_temp`: a 4xx reply (transient failure: try again later). */
export class error_temp extends FTPError {
  static override defaultCode = "ERR_FTP_TEMP";
}

/** Python's `error_perm`: a 5xx reply (permanent failure: no such file, not logged in, unknown command). */
export class error_perm extends FTPError {
  static override defaultCode = "ERR_FTP_PERM";
}

/**
 * Python's `error_proto`: a reply that breaks the protocol (its first digit
 * is not 1 to 5, a PASV or EPSV reply without an address, an ABOR answered
 * with the wrong code). netkit also throws it for a reply line that is not
 * `DDD text` at all, and for a reply of more than 1000 lines.
 */
export class error_proto extends FTPError {
  static override defaultCode = "ERR_FTP_PROTO";
}

/** An error class `all_errors` lists. */
export type ErrorClass = abstract new (...args: never[]) => Error;

/**
 * Python's `all_errors`: the classes of every error an FTP session may
 * throw that is not a programming mistake: `Error` (and its four
 * subclasses), `OSError` (sockets, `TimeoutError`), `EOFError` and
 * `SSLError`. `isFtpError(err)` checks against all of them.
 *
 * @example
 * ```ts
 * try {
 *   throw new error_perm("550 /missing: No such file or directory");
 * } catch (err) {
 *   if (!all_errors.some((E) => err instanceof E)) throw err; // Python's `except ftplib.all_errors`
 *   console.log(isFtpError(err)); // true
 * }
 * ```
 */
export const all_errors: readonly ErrorClass[] = Object.freeze([FTPError, OSError, EOFError, SSLError]);

/** True when `err` is of one of the `all_errors` classes (Python's `except ftplib.all_errors`). */
export function isFtpError(err: unknown): boolean {
  return all_errors.some((E) => err instanceof E);
}

// Each class's `name`, written out: a minifier renames the classes themselves.
nameErrors({ Error: FTPError, error_reply, error_temp, error_perm, error_proto });
