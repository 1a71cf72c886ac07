/**
 * Python's `mailbox.Babyl`: Emacs Rmail's format. The file starts with
 * `BABYL OPTIONS:` (version, the user labels); each message follows a
 * `\x1f\x0c` line, starts with its label line (`1, unseen,, mylabel,`),
 * then the original headers, `*** EOOH ***`, the visible headers, and the
 * body, and ends with `\x1f`.
 *
 * @module
 */
import { Readable } from "node:stream";
import { Message as EmailMessage } from "../email/index.js";
import {
  fileSize,
  flattenMessage,
  LINESEP,
  type MessageInput,
  readAt,
  scanLines,
  stringToBytes,
  wholeLine,
} from "./_file.js";
import type { MailboxOptions } from "./mailbox.js";
import { BabylMessage } from "./message.js";
import { SingleFileMailbox } from "./singlefile.js";

const EOOH = Buffer.from("*** EOOH ***\n");
/** The labels Babyl itself gives meaning to; the others are the user's. */
const SPECIAL_LABELS = new Set(["unseen", "deleted", "filed", "answered", "forwarded", "edited", "resent"]);

/** Python's `mailbox.Babyl`. */
export class Babyl extends SingleFileMailbox<BabylMessage> {
  /** Python's `_labels`: each message's labels, by key. */
  #labels = new Map<number, string[]>();

  /**
   * Python's `Babyl(path, factory, create)`.
   * @throws {NoSuchMailboxError} when it is missing and `create` is false
   */
  static async open(path: string, options: MailboxOptions = {}): Promise<Babyl> {
    const box = new Babyl(path, options);
    await box._open(options);
    return box;
  }

  /** Python's `add`: also keeps a `BabylMessage`'s labels. */
  override async add(message: MessageInput): Promise<number> {
    const key = await super.add(message);
    if (message instanceof BabylMessage) this.#labels.set(key, message.getLabels());
    return key;
  }

  /** Python's `remove`. */
  override async remove(key: number): Promise<void> {
    await super.remove(key);
    this.#labels.delete(key);
  }

  /** Python's `__setitem__`. */
  override async replace(key: number, message: MessageInput): Promise<void> {
    await super.replace(key, message);
    if (message instanceof BabylMessage) this.#labels.set(key, message.getLabels());
  }

  /** Python's `get_message`: the original headers and body, with labels and visible headers. */
  async getMessage(key: number): Promise<BabylMessage> {
    const { original, visible, body } = await this.#parts(key);
    const msg = new BabylMessage(Buffer.concat([original, body]));
    msg.setVisible(visible);
    const labels = this.#labels.get(key);
    if (labels !== undefined) msg.setLabels(labels);
    return msg;
  }

  /** Python's `get_bytes`: the original headers and the body. */
  async getBytes(key: number): Promise<Buffer> {
    const { original, body } = await this.#parts(key);
    return Buffer.concat([original, body]);
  }

  /** Python's `get_file`. */
  async getFile(key: number): Promise<Readable> {
    return Readable.from([await this.getBytes(key)]);
  }

  /** Python's `get_labels`: the user labels of every message (Babyl's own left out). */
  async getLabels(): Promise<string[]> {
    await this._lookupAll();
    const labels = new Set<string>();
    for (const list of this.#labels.values()) for (const l of list) labels.add(l);
    return [...labels].filter((l) => !SPECIAL_LABELS.has(l));
  }

  /** A message's label line skipped, split into original headers, visible headers and body. */
  async #parts(key: number): Promise<{ original: Buffer; visible: Buffer; body: Buffer }> {
    const [start, stop] = await this._lookup(key);
    const data = await readAt(this._file, start, stop - start);
    let pos = nextLine(data, 0);
    const origStart = pos;
    let origEnd = data.length;
    while (pos < data.length) {
      const next = nextLine(data, pos);
      if (data.subarray(pos, next).equals(EOOH)) {
        origEnd = pos;
        pos = next;
        break;
      }
      pos = next;
      origEnd = pos;
    }
    const visStart = pos;
    let visEnd = pos;
    while (pos < data.length) {
      const next = nextLine(data, pos);
      if (next - pos === 1 && data[pos] === 0x0a) {
        visEnd = pos;
        pos = next;
        break;
      }
      pos = next;
      visEnd = pos;
    }
    return {
      original: data.subarray(origStart, origEnd),
      visible: data.subarray(visStart, visEnd),
      body: data.subarray(pos),
    };
  }

  /** Python's `Babyl._generate_toc`: messages after `\x1f\x0c` lines, each with its label line. */
  protected async _generateToc(): Promise<void> {
    const starts: number[] = [];
    const stops: number[] = [];
    const labelLists: string[][] = [];
    let wantLabels = false;
    let end = 0;
    for await (const batch of scanLines(this._file))
      for (const line of batch) {
        end = line.pos + line.length;
        if (wantLabels) {
          // Python reads the line after "\x1f\x0c" as the label line, whatever it holds.
          const text = wholeLine(line, "a Babyl label line").subarray(1).toString("latin1");
          labelLists.push(
            text
              .split(",")
              .map((l) => l.trim())
              .filter(Boolean),
          );
          wantLabels = false;
          continue;
        }
        const h = line.head.toString("latin1");
        if (h === "\x1f\x0c\n") {
          if (stops.length < starts.length) stops.push(line.pos - LINESEP.length);
          starts.push(end);
          wantLabels = true;
        } else if (h === "\x1f" || h === "\x1f\n") {
          if (stops.length < starts.length) stops.push(line.pos - LINESEP.length);
        }
      }
    if (wantLabels) labelLists.push([]);
    stops.push(end - LINESEP.length);
    this._toc = new Map(starts.map((s, i) => [i, [s, stops[i]!]]));
    this.#labels = new Map(labelLists.map((l, i) => [i, l]));
    this._nextKey = this._toc.size;
    this._fileLength = fileSize(this._file);
  }

  /** `BABYL OPTIONS:`, the version and the user labels. */
  protected override async _preMailboxHook(): Promise<Buffer> {
    const labels = await this.getLabels();
    return Buffer.from(`BABYL OPTIONS:\nVersion: 5\nLabels:${labels.join(",")}\n\x1f`, "utf8");
  }

  protected override _preMessageHook(): Buffer {
    return Buffer.from("\x0c\n", "latin1");
  }

  protected override _postMessageHook(): Buffer {
    return Buffer.from("\n\x1f", "latin1");
  }

  /** Python's `Babyl._install_message`: label line, original headers, EOOH, visible headers, body. */
  protected _installMessage(message: MessageInput): Buffer {
    const out: Buffer[] = [];
    if (message instanceof BabylMessage) {
      const labels = message.getLabels();
      const special = labels.filter((l) => SPECIAL_LABELS.has(l));
      const user = labels.filter((l) => !SPECIAL_LABELS.has(l));
      out.push(
        Buffer.from(`1${special.map((l) => `, ${l}`).join("")},,${user.map((l) => ` ${l},`).join("")}\n`),
      );
    } else {
      out.push(Buffer.from("1,,\n"));
    }
    if (message instanceof EmailMessage) {
      const orig = flattenMessage(message, false);
      const headEnd = headerBlockEnd(orig);
      out.push(orig.subarray(0, headEnd), EOOH);
      if (message instanceof BabylMessage) {
        const vis = flattenMessage(message.getVisible(), false);
        out.push(vis.subarray(0, headerBlockEnd(vis)));
      } else {
        out.push(orig.subarray(0, headEnd));
      }
      out.push(orig.subarray(headEnd));
    } else {
      const bytes = typeof message === "string" ? stringToBytes(message) : Buffer.from(message);
      const sep = bytes.indexOf("\n\n");
      if (sep >= 0) {
        const head = bytes.subarray(0, sep + 2);
        out.push(head, EOOH, head, bytes.subarray(sep + 2));
      } else {
        out.push(EOOH, LINESEP, bytes);
      }
    }
    return Buffer.concat(out);
  }
}

/** Where the line after the one at `pos` starts. */
function nextLine(data: Buffer, pos: number): number {
  const nl = data.indexOf(0x0a, pos);
  return nl < 0 ? data.length : nl + 1;
}

/**
 * The end of the header block as Python's readline loop finds it: after the
 * first empty line (`\n`), or the end. Python's loop also stops at the
 * empty line when it is the very first line.
 */
function headerBlockEnd(data: Buffer): number {
  let pos = 0;
  while (pos < data.length) {
    const next = nextLine(data, pos);
    if (next - pos === 1 && data[pos] === 0x0a) return next;
    pos = next;
  }
  return data.length;
}
