/**
 * Python's `poplib.error_proto`, the one exception poplib raises, with a
 * stable `code` for each way a session fails:
 *
 * ```text
 * Error
 *  └── error_proto                      (response)
 *        code ERR_POP3_RESPONSE          the server answered -ERR (or anything but +...)
 *             ERR_POP3_LINE_TOO_LONG     a line past 2048 bytes (Python: 'line too long')
 *             ERR_POP3_EOF               the server closed the connection (Python: '-ERR EOF')
 *             ERR_POP3_TOO_LARGE         a multi-line response past maxResponseBytes (netkit)
 *             ERR_POP3_BAD_RESPONSE      a STAT answer that is not "+OK count size" (netkit)
 *             ERR_POP3_NOT_SUPPORTED     no APOP timestamp, no CAPA, no STLS
 *             ERR_POP3_TLS_ACTIVE        stls() on a connection already in TLS
 *             ERR_POP3_NOT_CONNECTED     a command after close() (netkit)
 * ```
 *
 * Python's `error_proto` is a plain `Exception`; so is this one (an
 * `Error`), not an `OSError`. Timeouts and socket failures are not
 * `error_proto`, in Python as here: they are the socket's `TimeoutError`
 * and `OSError`s, passed up unchanged.
 *
 * @module
 */
import { reprBytes } from "../_pyrepr.js";
import { nameErrors } from "../errors/index.js";

/** The codes an {@link error_proto} carries (see the module doc). */
export type POP3ErrorCode =
  | "ERR_POP3_RESPONSE"
  | "ERR_POP3_LINE_TOO_LONG"
  | "ERR_POP3_EOF"
  | "ERR_POP3_TOO_LARGE"
  | "ERR_POP3_BAD_RESPONSE"
  | "ERR_POP3_NOT_SUPPORTED"
  | "ERR_POP3_TLS_ACTIVE"
  | "ERR_POP3_NOT_CONNECTED";

/**
 * Python's `poplib.error_proto`: the server refused a command (`-ERR ...`),
 * broke the protocol, or closed the connection; or the command is not
 * possible on this server or connection. `response` is what Python passes
 * as the exception's argument: the server's status line as bytes for a
 * refusal, a text such as `"-ERR EOF"` or `"line too long"` otherwise. The
 * message reads as Python's `str(err)`: `b'-ERR no such message'`,
 * `-ERR EOF`.
 *
 * @example
 * ```ts
 * import { error_proto } from "netkit/poplib";
 * const err = new error_proto(Buffer.from("-ERR no such message"));
 * err.message; // "b'-ERR no such message'"
 * err.code; // "ERR_POP3_RESPONSE"
 * ```
 */
export class error_proto extends Error {
  /** The stable code (see the module doc). */
  readonly code: POP3ErrorCode;
  /** Python's `err.args[0]`: the status line (bytes) or Python's own text. */
  readonly response: Buffer | string;

  /**
   * @param response the server's status line, or the text Python raises with
   * @param code the stable code @default "ERR_POP3_RESPONSE"
   * @param options the `cause` (the textproto or socket error behind it)
   */
  constructor(
    response: Buffer | string,
    code: POP3ErrorCode = "ERR_POP3_RESPONSE",
    options?: { cause?: unknown },
  ) {
    super(typeof response === "string" ? response : reprBytes(response), options);
    this.code = code;
    this.response = response;
  }
}

nameErrors({ error_proto });
