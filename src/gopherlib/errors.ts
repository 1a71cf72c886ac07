/**
 * The errors of `netkit/gopherlib`. Python 2.5's gopherlib had no exception
 * of its own (socket errors came through, a short reply was printed and
 * ignored); urllib2 had `GopherError`, a `URLError`. netkit keeps one base
 * class with a stable `code` per failure:
 *
 * ```text
 * OSError
 *  └── GopherError                   ERR_GOPHER
 *       ├── GopherTooLargeError      ERR_GOPHER_TOO_LARGE       a reply past its byte limit
 *       ├── GopherUnterminatedError  ERR_GOPHER_UNTERMINATED    a menu or text without its "." line (strict mode)
 *       └── GopherURLError           ERR_GOPHER_BAD_URL         a gopher: URL that cannot be used
 * ```
 *
 * A line past its limit, or a connection closed inside a line, comes up as
 * textproto's `ProtocolError` (`ERR_TEXTPROTO_LINE_TOO_LONG`,
 * `ERR_TEXTPROTO_TOO_LARGE`), unchanged, as every line protocol passes it;
 * a selector holding CR, LF or NUL as textproto's `CommandError`.
 *
 * @module
 */
import { nameErrors, OSError } from "../errors/index.js";

/** The base of gopherlib's errors (an `OSError`, as a failed transfer is in Python). */
export class GopherError extends OSError {
  static override defaultCode = "ERR_GOPHER";
  /** @param message what went wrong */
  constructor(message = "", options?: { cause?: unknown }) {
    super(undefined, message, undefined, options);
  }
}

/** A reply (binary, text or menu) passed the byte limit the caller set. Nothing past the limit was kept. */
export class GopherTooLargeError extends GopherError {
  static override defaultCode = "ERR_GOPHER_TOO_LARGE";
}

/**
 * The server closed before the `.` line that ends a menu or a text file, and
 * the caller asked for it (`requireTerminator`). By default this is a defect
 * (`terminated: false`), as in Python 2, since many servers (gophernicus
 * among them) send text files with no `.` line.
 */
export class GopherUnterminatedError extends GopherError {
  static override defaultCode = "ERR_GOPHER_UNTERMINATED";
}

/** A `gopher:` URL that cannot be used: no host, a bad port, a bad percent escape. */
export class GopherURLError extends GopherError {
  static override defaultCode = "ERR_GOPHER_BAD_URL";
}

nameErrors({ GopherError, GopherTooLargeError, GopherUnterminatedError, GopherURLError });
