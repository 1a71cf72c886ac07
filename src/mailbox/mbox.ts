/**
 * Python's `mailbox.mbox` (and `_mboxMMDF`, what it shares with MMDF): the
 * classic Unix mailbox, each message after a `From ` envelope line and
 * followed by an empty line; a body line starting with `From ` is written
 * as `>From ` (mboxo), and a message starts at every line that starts with
 * `From ` (as Python and mutt read it).
 *
 * @module
 */
import type { Readable } from "node:stream";
import { Message as EmailMessage, messageFromBytes } from "../email/index.js";
import {
  dumpMessage,
  fileSize,
  LINESEP,
  type MessageInput,
  readAt,
  scanLines,
  stringToBytes,
} from "./_file.js";
import { asctimeUTC } from "./_time.js";
import { FormatError } from "./errors.js";
import { MAILBOX_LIMITS } from "./limits.js";
import type { MailboxOptions } from "./mailbox.js";
import { MboxMMDFMessage, mboxMessage } from "./message.js";
import { checkEnvelope, SingleFileMailbox } from "./singlefile.js";

/** Python's `_mboxMMDF`: the `From `-line formats. */
export abstract class MboxMMDFMailbox<M extends MboxMMDFMessage> extends SingleFileMailbox<M> {
  /** Python's `_mangle_from_`. */
  protected _mangleFrom = true;
  /** Python's `_append_newline`: every message ends with a line end. */
  protected _appendNewline = false;

  /** The format's message class built from a message's bytes. */
  protected abstract _messageFactory(data: Buffer): M;

  /**
   * Python's `get_message`: the message, with its `From ` line's text.
   * @throws {KeyError} when there is no such message
   * @throws {FormatError} when the `From ` line passes the envelope-line limit
   */
  async getMessage(key: number): Promise<M> {
    const { fromLine, body } = await this.#read(key, false);
    const msg = this._messageFactory(body);
    msg.setFrom(fromLine.subarray(5).toString("latin1"));
    return msg;
  }

  /**
   * Python's `get_bytes(key, from_)`: the message's bytes, with its `From `
   * line when `from` is true.
   */
  override async getBytes(key: number, from = false): Promise<Buffer> {
    const { body, all } = await this.#read(key, from);
    return from ? all! : body;
  }

  /** Python's `get_string(key, from_)`. */
  override async getString(key: number, from = false): Promise<string> {
    return messageFromBytes(await this.getBytes(key, from)).asString({ unixfrom: from });
  }

  /** Python's `get_file(key, from_)`: a stream of the message's bytes. */
  async getFile(key: number, from = false): Promise<Readable> {
    const { start, afterLine, allEnd, bodyEnd } = await this.#bounds(key);
    return from ? this._stream(start, allEnd) : this._stream(afterLine, bodyEnd);
  }

  /**
   * Where a message's parts are. Python reads `stop - tell()` bytes, and a
   * negative count (a damaged file's table of contents) reads to the end of
   * the file: so does netkit, to read damaged files as Python does.
   * @throws {FormatError} when the `From ` line passes the envelope-line limit
   */
  async #bounds(key: number): Promise<{ start: number; afterLine: number; allEnd: number; bodyEnd: number }> {
    const [start, stop] = await this._lookup(key);
    const size = fileSize(this._file);
    const head = await readAt(this._file, start, Math.min(size - start, MAILBOX_LIMITS.maxEnvelopeLine + 1));
    const nl = head.indexOf(0x0a);
    if (nl < 0 && head.length > MAILBOX_LIMITS.maxEnvelopeLine) throw envelopeTooLong(start);
    const afterLine = nl < 0 ? start + head.length : start + nl + 1;
    return {
      start,
      afterLine,
      allEnd: stop < start ? size : stop,
      bodyEnd: stop < afterLine ? size : stop,
    };
  }

  /** A message's `From ` line (without its line end), its body, and (when `withAll`) both together. */
  async #read(key: number, withAll: boolean): Promise<{ fromLine: Buffer; body: Buffer; all?: Buffer }> {
    // The usual case in one read: the whole message, its From line ending within the limit.
    // Each read (and stat) is a trip through libuv's thread pool, and they cost more than
    // parsing a 10 KiB message; anything unusual takes the exact path below.
    const [begin, stop] = await this._lookup(key);
    if (stop > begin) {
      const all = await readAt(this._file, begin, stop - begin);
      const nl = all.indexOf(0x0a);
      if (all.length === stop - begin && nl >= 0 && nl <= MAILBOX_LIMITS.maxEnvelopeLine) {
        const parts = { fromLine: all.subarray(0, nl), body: all.subarray(nl + 1) };
        return withAll ? { ...parts, all } : parts;
      }
    }
    const { start, afterLine, allEnd, bodyEnd } = await this.#bounds(key);
    const line = await readAt(this._file, start, afterLine - start);
    const fromLine = line.at(-1) === 0x0a ? line.subarray(0, -1) : line;
    const body = await readAt(this._file, afterLine, bodyEnd - afterLine);
    if (!withAll) return { fromLine, body };
    return { fromLine, body, all: await readAt(this._file, start, allEnd - start) };
  }

  /** Python's `_install_message`: the `From ` line, then the message. */
  protected _installMessage(message: MessageInput): Buffer {
    let fromLine: Buffer | null = null;
    let body: MessageInput = typeof message === "string" ? stringToBytes(message) : message;
    if (body instanceof Uint8Array && Buffer.from(body.subarray(0, 5)).toString("latin1") === "From ") {
      const bytes = Buffer.from(body);
      const nl = bytes.indexOf(0x0a);
      fromLine = nl < 0 ? bytes : bytes.subarray(0, nl);
      body = nl < 0 ? Buffer.alloc(0) : bytes.subarray(nl + 1);
    } else if (body instanceof MboxMMDFMessage) {
      fromLine = Buffer.from(`From ${checkEnvelope(body.getFrom())}`, "latin1");
    } else if (body instanceof EmailMessage) {
      const unixfrom = body.getUnixfrom();
      if (unixfrom !== null) fromLine = Buffer.from(checkEnvelope(unixfrom), "latin1");
    }
    fromLine ??= Buffer.from(`From MAILER-DAEMON ${asctimeUTC()}`);
    return Buffer.concat([fromLine, LINESEP, dumpMessage(body, this._mangleFrom, this._appendNewline)]);
  }
}

/** Python's `mailbox.mbox`. */
export class mbox extends MboxMMDFMailbox<mboxMessage> {
  protected override _appendNewline = true;

  /**
   * Python's `mbox(path, factory, create)`: opens an mbox file, creating it
   * when missing and `create`.
   * @throws {NoSuchMailboxError} when it is missing and `create` is false
   */
  static async open(path: string, options: MailboxOptions = {}): Promise<mbox> {
    const box = new mbox(path, options);
    await box._open(options);
    return box;
  }

  protected _messageFactory(data: Buffer): mboxMessage {
    return new mboxMessage(data);
  }

  /** An empty line after each message. */
  protected override _postMessageHook(): Buffer {
    return LINESEP;
  }

  /**
   * Python's `mbox._generate_toc`: a message starts at each line starting
   * with `From ` and ends before the empty line before the next one.
   */
  protected async _generateToc(): Promise<void> {
    const starts: number[] = [];
    const stops: number[] = [];
    let lastWasEmpty = false;
    let end = 0;
    for await (const batch of scanLines(this._file))
      for (const line of batch) {
        end = line.pos + line.length;
        if (startsWith(line.head, "From ")) {
          if (stops.length < starts.length) stops.push(lastWasEmpty ? line.pos - LINESEP.length : line.pos);
          starts.push(line.pos);
          lastWasEmpty = false;
        } else {
          lastWasEmpty = line.length === 1 && line.head[0] === 0x0a;
        }
      }
    if (stops.length < starts.length) stops.push(lastWasEmpty ? end - LINESEP.length : end);
    this._toc = new Map(starts.map((s, i) => [i, [s, stops[i]!]]));
    this._nextKey = this._toc.size;
    this._fileLength = end;
  }
}

/** True when `buf` starts with the ASCII `prefix`. */
export function startsWith(buf: Buffer, prefix: string): boolean {
  return buf.length >= prefix.length && buf.toString("latin1", 0, prefix.length) === prefix;
}

function envelopeTooLong(pos: number): FormatError {
  return new FormatError(
    `Cannot read From line at byte ${pos}: longer than ${MAILBOX_LIMITS.maxEnvelopeLine} bytes`,
  );
}
