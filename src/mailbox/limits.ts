/**
 * The limits of netkit's mailbox readers, in one place, each with its
 * reason. Python's `mailbox` has none: it reads a `From ` line or a Babyl
 * label line whole, however long. Past a limit netkit throws `FormatError`.
 *
 * @module
 */

/** The limits, in bytes. */
export const MAILBOX_LIMITS = {
  /**
   * The longest envelope line netkit reads whole (an mbox/MMDF `From ` line,
   * a Babyl label line, an MH sequences line): real ones are under 1000
   * bytes (RFC 5322's line limit); 64 KiB leaves room and bounds memory.
   */
  maxEnvelopeLine: 65536,
  /** How many bytes the table-of-contents scan reads at a time (memory per scan). */
  scanChunk: 65536,
} as const;
