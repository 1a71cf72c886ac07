/**
 * `netkit/mailbox`: Python's `mailbox`, reading and writing mailboxes on
 * disk in five formats, on netkit/email's messages:
 *
 * ```text
 * Mailbox (interface, mailbox.ts)
 *  ├── Maildir    one file per message, folders .NAME    keys: strings
 *  ├── MH         one numbered file per message          keys: numbers   (the old mhlib)
 *  └── SingleFileMailbox (singlefile.ts)                  keys: numbers
 *       ├── mbox   From_ lines                 (mbox.ts)
 *       ├── MMDF   ^A^A^A^A separators         (mmdf.ts)
 *       └── Babyl  Emacs Rmail                 (babyl.ts)
 * Message (netkit/email's Message) ── MaildirMessage, mboxMessage, MMDFMessage, MHMessage, BabylMessage
 * ```
 *
 * Async where it touches the disk, and only there: opening
 * (`await mbox.open(path)`, Python's `mailbox.mbox(path)`), every mailbox
 * method, iteration (`for await (const [key, msg] of box)`). The message
 * classes and their flag, sequence and label conversions are synchronous
 * and pure. See `Mailbox` for how Python's operators map (`box[key]` is
 * `await box.getItem(key)`, `box[key] = m` is `await box.replace(key, m)`).
 *
 * Where netkit differs from Python 3.11:
 * - Locking is the dot lock alone (`NAME.lock`, made by linking a unique
 *   file, as Python, mutt and procmail make it): Node has no `lockf`. Every
 *   dot-locking program (Python's mailbox, mutt, s-nail, procmail) sees it;
 *   one that only takes `fcntl` locks does not. Like Python's, a lock left
 *   by a crashed program stays until removed (Python has no stale-lock rule).
 * - Single-file `flush` also fsyncs the folder after the rename.
 * - A `From ` line (or Babyl label line) past 64 KiB is a `FormatError`;
 *   an MH range `1-999999999` costs time in proportion to the existing
 *   messages, not to the range; a `From ` text with a line end is refused.
 * - Babyl labels read from a file are strings (Python's are bytes, which
 *   then fail its own label conversions).
 *
 * @example
 * ```ts
 * import { mbox, mboxMessage } from "netkit/mailbox";
 * import { mkdtempSync } from "node:fs";
 * import { tmpdir } from "node:os";
 * const box = await mbox.open(`${mkdtempSync(`${tmpdir()}/mb-`)}/inbox`);
 * await box.lock();
 * const key = await box.add("From: a@example.org\nSubject: hi\n\nHello\n");
 * await box.flush();
 * await box.unlock();
 * const msg: mboxMessage = await box.getMessage(key);
 * msg.get("subject"); // "hi"
 * await box.close();
 * ```
 *
 * @module
 */
export type { MessageInput } from "./_file.js";
export { Babyl } from "./babyl.js";
export {
  ExternalClashError,
  FormatError,
  MailboxError as Error,
  MailboxError,
  NoSuchMailboxError,
  NotEmptyError,
} from "./errors.js";
export { MAILBOX_LIMITS } from "./limits.js";
export { Mailbox, type MailboxOptions, type MessageFactory, type UpdateSource } from "./mailbox.js";
export { Maildir, type MaildirOptions } from "./maildir.js";
export { MboxMMDFMailbox, mbox } from "./mbox.js";
export {
  BabylMessage,
  MaildirMessage,
  MboxMMDFMessage,
  Message,
  type MessageSource,
  MHMessage,
  MMDFMessage,
  mboxMessage,
} from "./message.js";
export { MH, type Sequences } from "./mh.js";
export { MMDF } from "./mmdf.js";
export { SingleFileMailbox } from "./singlefile.js";
