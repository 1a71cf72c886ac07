/**
 * imaplib's limits, each with its source and reason. Python bounds only the
 * line (`_MAXLINE`); it reads any literal the server announces and keeps
 * every untagged response until it is asked for, so a hostile or broken
 * server can make it allocate without end. netkit bounds both, and each
 * bound is an option of `IMAP4`.
 *
 * @module
 */
import { LINE_LIMITS } from "../textproto/index.js";

/** The defaults of `IMAP4`'s `maxLine`, `maxLiteral` and `maxResponseBytes` options. */
export const IMAP_LIMITS = {
  /**
   * One response line, its CRLF included: Python's `_MAXLINE`, 1,000,000
   * bytes ("the response to, for example, a search command can be quite
   * large"). Literals are not lines: they are read by length.
   */
  maxLine: LINE_LIMITS.imaplib,
  /**
   * One literal (`{N}` then N bytes): netkit's, 64 MiB. Python has none, so
   * `{1099511627776}` makes it try to read a terabyte. Large enough for any
   * message a mail server takes (Dovecot's default is unlimited, most
   * providers stop at 25-50 MB); raise it to fetch larger.
   */
  maxLiteral: 64 * 1024 * 1024,
  /**
   * The untagged responses of one command (or one response during IDLE),
   * in bytes, each response counted with 64 bytes for its bookkeeping:
   * netkit's, 256 MiB. Python keeps all of them, so a server that floods
   * `* 1 EXISTS` and never answers grows its memory without end. A FETCH
   * of a whole large mailbox in one command can need more: raise it, or
   * fetch in ranges.
   */
  maxResponseBytes: 256 * 1024 * 1024,
} as const;

/** What one stored untagged response costs beyond its bytes, for `maxResponseBytes`. */
export const RESPONSE_OVERHEAD = 64;
