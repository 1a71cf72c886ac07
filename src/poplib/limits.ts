/**
 * poplib's limits, each with its source and reason. The line limit itself
 * lives with every other line protocol's in `textproto`'s `LINE_LIMITS`.
 *
 * @module
 */
import { LINE_LIMITS } from "../textproto/index.js";

/**
 * The bounds a POP3 client reads within.
 *
 * @example
 * ```ts
 * import { POP3_LIMITS } from "netkit/poplib";
 * POP3_LIMITS.maxLine; // 2048
 * ```
 */
export const POP3_LIMITS = {
  /**
   * Python's `_MAXLINE`: one status or message line, its line end included
   * (RFC 1939 allows 512; Python chose 2048 "to be on the safe side"). A
   * longer line is `error_proto('line too long')`, as in Python.
   */
  maxLine: LINE_LIMITS.poplib,
  /**
   * netkit's: the bytes of one multi-line response (RETR, TOP, LIST, UIDL,
   * CAPA) as they come on the wire, the `.` line not counted. Python has no
   * bound, so a server that never sends the `.` line grows the client's
   * memory without end. 64 MiB holds a message with 40 MiB of attachments
   * (base64 adds a third); the `maxResponseBytes` option moves it.
   */
  maxResponseBytes: 64 * 1024 * 1024,
} as const;
