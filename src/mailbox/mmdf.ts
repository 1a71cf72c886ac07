/**
 * Python's `mailbox.MMDF`: each message between lines of four `\x01`
 * bytes, with its `From ` line inside, `From ` in the body mangled as in mbox.
 *
 * @module
 */
import { fileSize, LINESEP, scanLines } from "./_file.js";
import type { MailboxOptions } from "./mailbox.js";
import { MboxMMDFMailbox } from "./mbox.js";
import { MMDFMessage } from "./message.js";

const SEPARATOR = Buffer.from("\x01\x01\x01\x01\n", "latin1");

/** Python's `mailbox.MMDF`. */
export class MMDF extends MboxMMDFMailbox<MMDFMessage> {
  /**
   * Python's `MMDF(path, factory, create)`.
   * @throws {NoSuchMailboxError} when it is missing and `create` is false
   */
  static async open(path: string, options: MailboxOptions = {}): Promise<MMDF> {
    const box = new MMDF(path, options);
    await box._open(options);
    return box;
  }

  protected _messageFactory(data: Buffer): MMDFMessage {
    return new MMDFMessage(data);
  }

  protected override _preMessageHook(): Buffer {
    return SEPARATOR;
  }

  protected override _postMessageHook(): Buffer {
    return Buffer.concat([LINESEP, SEPARATOR]);
  }

  /** Python's `MMDF._generate_toc`: a message runs from a separator line to the next (or the end). */
  protected async _generateToc(): Promise<void> {
    const starts: number[] = [];
    const stops: number[] = [];
    let inside = false;
    let end = 0;
    for await (const batch of scanLines(this._file))
      for (const line of batch) {
        end = line.pos + line.length;
        const isSep = line.length === SEPARATOR.length && line.head.equals(SEPARATOR);
        if (!inside) {
          if (isSep) {
            starts.push(end);
            inside = true;
          }
        } else if (isSep) {
          stops.push(line.pos - LINESEP.length);
          inside = false;
        }
      }
    if (inside) stops.push(end);
    this._toc = new Map(starts.map((s, i) => [i, [s, stops[i]!]]));
    this._nextKey = this._toc.size;
    this._fileLength = fileSize(this._file);
  }
}
