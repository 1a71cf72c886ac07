/**
 * Python's `mailbox.MH` (the old `mhlib`): a folder with one file per
 * message named by its number, sequences (`unseen`, `replied`, `flagged`,
 * the user's) in `.mh_sequences` as `name: 1-3 7`, and folders as plain
 * subfolders. `pack` renumbers the messages 1..n, sequences following.
 *
 * `lock` takes the dot lock of `.mh_sequences` (Python also `lockf`s each
 * message file while locked; see `netkit/mailbox` on advisory locks).
 *
 * @module
 */
import { createReadStream } from "node:fs";
import { link, open, readdir, rename, rmdir, stat, unlink } from "node:fs/promises";
import { join } from "node:path";
import type { Readable } from "node:stream";
import {
  createCarefully,
  dotLock,
  dotUnlock,
  dumpMessage,
  ensureFolder,
  isCode,
  type MessageInput,
  readMessageFile,
  syncClose,
  writeAt,
} from "./_file.js";
import { FormatError, NotEmptyError } from "./errors.js";
import { MAILBOX_LIMITS } from "./limits.js";
import { Mailbox, type MailboxOptions, noSuchKey } from "./mailbox.js";
import { MHMessage } from "./message.js";

/** Sequences by name: the message numbers in each. */
export type Sequences = Record<string, number[]>;

/** Python's `mailbox.MH`. */
export class MH extends Mailbox<number, MHMessage> {
  #locked = false;

  /**
   * Python's `MH(path, factory, create)`: opens an MH folder, making it
   * (with an empty `.mh_sequences`) when missing and `create`.
   * @throws {NoSuchMailboxError} when it is missing and `create` is false
   */
  static async open(path: string, options: MailboxOptions = {}): Promise<MH> {
    const box = new MH(path, options);
    await ensureFolder(box._path, options.create !== false, async () => {
      await (await open(join(box._path, ".mh_sequences"), "wx", 0o600)).close();
    });
    return box;
  }

  /** Python's `add`: the next number after the highest, its sequences recorded for an `MHMessage`. */
  async add(message: MessageInput): Promise<number> {
    const keys = await this.keys();
    const key = keys.length === 0 ? 1 : Math.max(...keys) + 1;
    const path = join(this._path, String(key));
    const data = dumpMessage(message, false, false);
    const fh = await createCarefully(path);
    try {
      await writeAt(fh, data, 0);
    } catch (err) {
      await syncClose(fh);
      await unlink(path);
      throw err;
    }
    await syncClose(fh);
    if (message instanceof MHMessage) await this.#dumpSequences(message, key);
    return key;
  }

  /**
   * Python's `remove`.
   * @throws {KeyError} when there is no such message
   */
  async remove(key: number): Promise<void> {
    try {
      await unlink(this.#path(key));
    } catch (err) {
      if (isCode(err, "ENOENT")) throw noSuchKey(key);
      throw err;
    }
  }

  /** Python's `__setitem__`: rewrites the message file in place. */
  async replace(key: number, message: MessageInput): Promise<void> {
    const data = dumpMessage(message, false, false);
    let fh: Awaited<ReturnType<typeof open>>;
    try {
      fh = await open(this.#path(key), "r+");
    } catch (err) {
      if (isCode(err, "ENOENT")) throw noSuchKey(key);
      throw err;
    }
    try {
      await fh.truncate(0);
      await writeAt(fh, data, 0);
      if (message instanceof MHMessage) await this.#dumpSequences(message, key);
    } finally {
      await syncClose(fh);
    }
  }

  /** Python's `get_message`: an `MHMessage` with the sequences it is in. */
  async getMessage(key: number): Promise<MHMessage> {
    const msg = new MHMessage(await this.getBytes(key));
    for (const [name, keys] of Object.entries(await this.getSequences())) {
      if (keys.includes(key)) msg.addSequence(name);
    }
    return msg;
  }

  /** Python's `get_bytes`. */
  async getBytes(key: number): Promise<Buffer> {
    return readMessageFile(this.#path(key), key);
  }

  /** Python's `get_file`. */
  async getFile(key: number): Promise<Readable> {
    try {
      return createReadStream("", { fd: await open(this.#path(key), "r") });
    } catch (err) {
      if (isCode(err, "ENOENT")) throw noSuchKey(key);
      throw err;
    }
  }

  /** Python's `iterkeys`: the numeric file names, ascending. */
  async *iterKeys(): AsyncGenerator<number> {
    const keys = (await readdir(this._path)).filter((e) => /^[0-9]+$/.test(e)).map(Number);
    yield* keys.sort((a, b) => a - b);
  }

  /** Python's `__contains__`. */
  async contains(key: number): Promise<boolean> {
    try {
      await stat(this.#path(key));
      return true;
    } catch (err) {
      if (isCode(err, "ENOENT", "ENOTDIR")) return false;
      throw err;
    }
  }

  /** Python's `__len__`. */
  async length(): Promise<number> {
    return (await this.keys()).length;
  }

  /**
   * Python's `lock`: the dot lock of `.mh_sequences`.
   * @throws {ExternalClashError} when another program holds it
   */
  async lock(): Promise<void> {
    if (!this.#locked) {
      await dotLock(join(this._path, ".mh_sequences"));
      this.#locked = true;
    }
  }

  /** Python's `unlock`. */
  async unlock(): Promise<void> {
    if (this.#locked) {
      await dotUnlock(join(this._path, ".mh_sequences"));
      this.#locked = false;
    }
  }

  /** Nothing to do: MH changes are written at once. */
  async flush(): Promise<void> {}

  /** Python's `close`: unlocks. */
  async close(): Promise<void> {
    await this.unlock();
  }

  /** Python's `list_folders`: the names of the subfolders. */
  async listFolders(): Promise<string[]> {
    return (await readdir(this._path, { withFileTypes: true }))
      .filter((e) => e.isDirectory())
      .map((e) => e.name);
  }

  /**
   * Python's `get_folder`.
   * @throws {NoSuchMailboxError} when there is no such folder
   */
  getFolder(folder: string): Promise<MH> {
    return MH.open(join(this._path, folder), { factory: this._factory, create: false });
  }

  /** Python's `add_folder`: makes (or opens) the folder. */
  addFolder(folder: string): Promise<MH> {
    return MH.open(join(this._path, folder), { factory: this._factory });
  }

  /**
   * Python's `remove_folder`.
   * @throws {NotEmptyError} when it holds anything but `.mh_sequences`
   */
  async removeFolder(folder: string): Promise<void> {
    const path = join(this._path, folder);
    const entries = await readdir(path);
    if (entries.length === 1 && entries[0] === ".mh_sequences") await unlink(join(path, ".mh_sequences"));
    else if (entries.length !== 0) throw new NotEmptyError(`Folder not empty: ${this._path}`);
    await rmdir(path);
  }

  /**
   * Python's `get_sequences`: each sequence's messages that exist, ascending;
   * empty sequences left out.
   * @throws {FormatError} when a line is not `name: numbers and ranges`
   */
  async getSequences(): Promise<Sequences> {
    const text = await readSequencesFile(join(this._path, ".mh_sequences"));
    return parseSequences(text, new Set(await this.keys()));
  }

  /** Python's `set_sequences`: writes `.mh_sequences` (empty sequences left out). */
  async setSequences(sequences: Sequences): Promise<void> {
    const fh = await open(join(this._path, ".mh_sequences"), "r+");
    try {
      await fh.truncate(0);
      const data = Buffer.from(formatSequences(sequences), "ascii");
      await writeAt(fh, data, 0);
    } finally {
      await syncClose(fh);
    }
  }

  /** Python's `pack`: renumbers the messages 1..n without gaps; sequences follow. */
  async pack(): Promise<void> {
    const sequences = await this.getSequences();
    let prev = 0;
    const changes: [number, number][] = [];
    for (const key of await this.keys()) {
      if (key - 1 !== prev) {
        changes.push([key, prev + 1]);
        const from = this.#path(key);
        const to = this.#path(prev + 1);
        try {
          await link(from, to);
          await unlink(from);
        } catch (err) {
          if (!isCode(err, "EPERM", "EACCES")) throw err;
          await rename(from, to);
        }
      }
      prev++;
    }
    if (changes.length === 0) return;
    for (const list of Object.values(sequences)) {
      for (const [oldKey, newKey] of changes) {
        const i = list.indexOf(oldKey);
        if (i >= 0) list[i] = newKey;
      }
    }
    await this.setSequences(sequences);
  }

  #path(key: number): string {
    return join(this._path, String(key));
  }

  /** Python's `_dump_sequences`: the message's sequences take `key`; the others drop it. */
  async #dumpSequences(message: MHMessage, key: number): Promise<void> {
    const pending = message.getSequences();
    const all = await this.getSequences();
    for (const [name, list] of Object.entries(all)) {
      if (pending.includes(name)) list.push(key);
      else if (list.includes(key)) list.splice(list.indexOf(key), 1);
    }
    for (const name of pending) if (!(name in all)) all[name] = [key];
    await this.setSequences(all);
  }
}

/** Reads `.mh_sequences`, bounded (the whole file is at most 64 lines' worth of the envelope-line limit). */
async function readSequencesFile(path: string): Promise<string> {
  const fh = await open(path, "r");
  try {
    const limit = MAILBOX_LIMITS.maxEnvelopeLine * 64;
    const { size } = await fh.stat();
    if (size > limit) throw new FormatError(`Cannot read "${path}": longer than ${limit} bytes`);
    const text = (await fh.readFile()).toString("latin1");
    // Python reads it as ASCII text and fails on anything else.
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the ASCII range is the point
    if (!/^[\x00-\x7f]*$/.test(text)) throw new FormatError(`Cannot read "${path}": it is not ASCII`);
    return text;
  } finally {
    await fh.close();
  }
}

/**
 * Python's `get_sequences` parser: `name: 1 3-5` lines; only keys in `existing` are kept.
 * @throws {FormatError} when a line is not of that form
 */
export function parseSequences(text: string, existing: ReadonlySet<number>): Sequences {
  const results: Sequences = {};
  const lines = text.split(/(?<=\n)/).filter((l) => l !== "");
  for (const line of lines) {
    const parts = line.split(":");
    const bad = () => new FormatError(`Invalid sequence specification: ${line.trimEnd()}`);
    if (parts.length !== 2) throw bad();
    const [name, contents] = parts as [string, string];
    const keys = new Set<number>();
    for (const spec of contents.split(/\s+/).filter(Boolean)) {
      if (/^[0-9]+$/.test(spec)) keys.add(Number(spec));
      else {
        const range = spec.split("-");
        if (range.length !== 2 || !range.every((x) => /^\s*[+-]?[0-9]+\s*$/.test(x))) throw bad();
        const start = Number(range[0]);
        const stop = Number(range[1]);
        // A huge range would take unbounded time and memory: keep only the keys that exist.
        for (const k of existing) if (k >= start && k <= stop) keys.add(k);
      }
    }
    const kept = [...keys].filter((k) => existing.has(k)).sort((a, b) => a - b);
    if (kept.length > 0) results[name] = kept;
    else delete results[name];
  }
  return results;
}

/** Python's `set_sequences` writer: `name: 1-3 7\n` per non-empty sequence, runs written as ranges. */
export function formatSequences(sequences: Sequences): string {
  let out = "";
  for (const [name, keys] of Object.entries(sequences)) {
    if (keys.length === 0) continue;
    out += `${name}:`;
    let prev: number | null = null;
    let completing = false;
    for (const key of [...new Set(keys)].sort((a, b) => a - b)) {
      if (prev !== null && key - 1 === prev) {
        if (!completing) {
          completing = true;
          out += "-";
        }
      } else if (completing) {
        completing = false;
        out += `${prev} ${key}`;
      } else out += ` ${key}`;
      prev = key;
    }
    out += completing ? `${prev}\n` : "\n";
  }
  return out;
}
