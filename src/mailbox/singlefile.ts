/**
 * Python's `_singlefileMailbox`: what mbox, MMDF and Babyl share, a file of
 * messages with a table of contents (`key -> [start, stop]` byte offsets)
 * read on first use.
 *
 * `add` appends to the file (so two programs adding under the lock keep
 * all their messages); `remove` and `replace` only mark the mailbox
 * pending, and `flush` then writes the whole mailbox to a temporary file in
 * the same folder, fsyncs it and renames it over the old one: a crash
 * leaves the old mailbox or the new one, never a cut one. `flush` refuses
 * (`ExternalClashError`) when the file's size changed since it was read.
 *
 * Format classes implement `_generateToc` and `_installMessage` and may
 * override the hooks (`_preMailboxHook`, `_preMessageHook`, `_postMessageHook`).
 *
 * @module
 */
import { createReadStream } from "node:fs";
import { chmod, type FileHandle, open, rename, stat, unlink } from "node:fs/promises";
import { dirname } from "node:path";
import type { Readable } from "node:stream";
import { ValueError } from "../errors/index.js";
import {
  createTemporary,
  dotLock,
  dotUnlock,
  fileSize,
  GatheredWriter,
  isCode,
  type MessageInput,
  syncClose,
  WindowReader,
  writeAt,
} from "./_file.js";
import { ExternalClashError, NoSuchMailboxError } from "./errors.js";
import { MAILBOX_LIMITS } from "./limits.js";
import { Mailbox, type MailboxOptions, noSuchKey } from "./mailbox.js";
import type { Message } from "./message.js";

/** Python's `_singlefileMailbox`. */
export abstract class SingleFileMailbox<M extends Message> extends Mailbox<number, M> {
  /** The open mailbox file (read-only when the file or folder is). */
  protected _file!: FileHandle;
  /** Python's `_toc`: key to `[start, stop]`, `null` until read. */
  protected _toc: Map<number, [number, number]> | null = null;
  /** Python's `_next_key`. */
  protected _nextKey = 0;
  /** Python's `_pending`: a remove or replace waits for `flush`. */
  protected _pending = false;
  /** Python's `_pending_sync`: an add waits for fsync. */
  protected _pendingSync = false;
  /** Python's `_locked`. */
  protected _locked = false;
  /** Python's `_file_length`: the size when last read or written. */
  protected _fileLength: number | null = null;
  /** The last write in flight: writes on one mailbox object run one at a time, as Python's (synchronous) ones do. */
  #writing: Promise<unknown> = Promise.resolve();

  /** Runs `fn` after the writes before it. */
  protected _serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#writing.then(fn, fn);
    this.#writing = run.catch(() => undefined);
    return run;
  }

  /** Opens (or creates) the file: Python's `_singlefileMailbox.__init__`. */
  protected async _open(options: MailboxOptions): Promise<void> {
    try {
      this._file = await open(this._path, "r+");
    } catch (err) {
      if (isCode(err, "ENOENT")) {
        if (options.create === false) throw new NoSuchMailboxError(this._path);
        this._file = await open(this._path, "w+");
      } else if (isCode(err, "EACCES", "EROFS")) {
        this._file = await open(this._path, "r");
      } else throw err;
    }
  }

  /** Python's `add`: appends the message and returns its key. */
  add(message: MessageInput): Promise<number> {
    return this._serial(() => this.#add(message));
  }

  async #add(message: MessageInput): Promise<number> {
    const toc = await this._lookupAll();
    toc.set(this._nextKey, await this._appendMessage(message));
    this._nextKey++;
    this._pendingSync = true;
    return this._nextKey - 1;
  }

  /** Python's `remove`: marks the message removed (the file changes at `flush`). */
  async remove(key: number): Promise<void> {
    await this._lookup(key);
    this._toc!.delete(key);
    this._pending = true;
  }

  /** Python's `__setitem__`: appends the new message under the old key (the file is rewritten at `flush`). */
  replace(key: number, message: MessageInput): Promise<void> {
    return this._serial(() => this.#replace(key, message));
  }

  async #replace(key: number, message: MessageInput): Promise<void> {
    await this._lookup(key);
    this._toc!.set(key, await this._appendMessage(message));
    this._pending = true;
  }

  /** Python's `iterkeys`: the keys, in the file's order. */
  async *iterKeys(): AsyncGenerator<number> {
    yield* [...(await this._lookupAll()).keys()];
  }

  /** Python's `__contains__`. */
  async contains(key: number): Promise<boolean> {
    return (await this._lookupAll()).has(key);
  }

  /** Python's `__len__`. */
  async length(): Promise<number> {
    return (await this._lookupAll()).size;
  }

  /**
   * Python's `lock`: the dot lock `PATH.lock` (see the module comment of
   * `netkit/mailbox` for why there is no `lockf`).
   * @throws {ExternalClashError} when another program holds it
   */
  async lock(): Promise<void> {
    if (!this._locked) {
      await dotLock(this._path);
      this._locked = true;
    }
  }

  /** Python's `unlock`. */
  async unlock(): Promise<void> {
    if (this._locked) {
      await dotUnlock(this._path);
      this._locked = false;
    }
  }

  /**
   * Python's `flush`: after adds only, fsyncs the file; after a remove or
   * replace, writes the mailbox anew (temporary file, fsync, rename).
   * @throws {ExternalClashError} when another program changed the file's size
   */
  flush(): Promise<void> {
    return this._serial(() => this.#flush());
  }

  async #flush(): Promise<void> {
    if (!this._pending) {
      if (this._pendingSync) {
        await this._file.sync();
        this._pendingSync = false;
      }
      return;
    }
    const toc = this._toc!;
    const curLen = fileSize(this._file);
    if (curLen !== this._fileLength)
      throw new ExternalClashError(
        `Size of mailbox file changed (expected ${this._fileLength}, found ${curLen})`,
      );
    const { fh: out, name } = await createTemporary(this._path);
    const newToc = new Map<number, [number, number]>();
    const source = new WindowReader(this._file);
    const dest = new GatheredWriter(out);
    try {
      await dest.put(await this._preMailboxHook());
      for (const key of [...toc.keys()].sort((a, b) => a - b)) {
        const [start, stop] = toc.get(key)!;
        await dest.put(this._preMessageHook());
        const newStart = dest.pos;
        for (let at = start; at < stop; ) {
          const chunk = await source.read(at, Math.min(MAILBOX_LIMITS.scanChunk, stop - at));
          if (chunk.length === 0) break;
          await dest.put(chunk);
          at += chunk.length;
        }
        newToc.set(key, [newStart, dest.pos]);
        await dest.put(this._postMessageHook());
      }
      await dest.flush();
      this._fileLength = dest.pos;
      await syncClose(out);
    } catch (err) {
      await out.close().catch(() => undefined);
      await unlink(name);
      throw err;
    }
    await this._file.close();
    await chmod(name, (await stat(this._path)).mode);
    await rename(name, this._path);
    await syncDir(dirname(this._path));
    this._file = await open(this._path, "r+");
    this._toc = newToc;
    this._pending = false;
    this._pendingSync = false;
  }

  /** Python's `close`: flush, unlock, close the file. */
  async close(): Promise<void> {
    try {
      await this.flush();
    } finally {
      try {
        if (this._locked) await this.unlock();
      } finally {
        await this._file.close();
      }
    }
  }

  /** A stream of the file's bytes from `start` to `stop`. */
  protected _stream(start: number, stop: number): Readable {
    if (stop <= start) return createReadStream("/dev/null");
    return createReadStream(this._path, { start, end: stop - 1 });
  }

  /** Python's `_lookup(key)`: the message's `[start, stop]`. */
  protected async _lookup(key: number): Promise<[number, number]> {
    const found = (await this._lookupAll()).get(key);
    if (found === undefined) throw noSuchKey(key);
    return found;
  }

  /** Python's `_lookup()`: the table of contents, read on first use. */
  protected async _lookupAll(): Promise<Map<number, [number, number]>> {
    if (this._toc === null) await this._generateToc();
    return this._toc!;
  }

  /** Python's `_append_message`: appends hooks and message at the end of the file; undone on failure. */
  protected async _appendMessage(message: MessageInput): Promise<[number, number]> {
    const before = fileSize(this._file);
    const parts: Buffer[] = [];
    const toc = await this._lookupAll();
    if (toc.size === 0 && !this._pending) parts.push(await this._preMailboxHook());
    parts.push(this._preMessageHook());
    const start = before + parts.reduce((n, b) => n + b.length, 0);
    const body = this._installMessage(message);
    parts.push(body, this._postMessageHook());
    const data = Buffer.concat(parts);
    try {
      await writeAt(this._file, data, before);
    } catch (err) {
      await this._file.truncate(before).catch(() => undefined);
      throw err;
    }
    this._fileLength = before + data.length;
    return [start, start + body.length];
  }

  /** Python's `_generate_toc`: reads the table of contents (and `_nextKey`, `_fileLength`). */
  protected abstract _generateToc(): Promise<void>;

  /**
   * Python's `_install_message`: the bytes of one message as the format stores it.
   * @throws {ValueError} when text is not ASCII
   */
  protected abstract _installMessage(message: MessageInput): Buffer;

  /** The bytes before the first message (Babyl's options). */
  protected async _preMailboxHook(): Promise<Buffer> {
    return Buffer.alloc(0);
  }

  /** The bytes before each message. */
  protected _preMessageHook(): Buffer {
    return Buffer.alloc(0);
  }

  /** The bytes after each message. */
  protected _postMessageHook(): Buffer {
    return Buffer.alloc(0);
  }
}

/** Makes a rename in `dir` durable (fsync of the folder); quiet where a folder cannot be fsynced. */
async function syncDir(dir: string): Promise<void> {
  let fh: FileHandle | undefined;
  try {
    fh = await open(dir, "r");
    await fh.sync();
  } catch {
    // Some file systems refuse to fsync a folder; the rename itself is already atomic.
  } finally {
    await fh?.close();
  }
}

/**
 * The envelope text of a `From ` line, refused when it holds a line end
 * (netkit's: Python would write a line end and so a second, forged message).
 * @throws {ValueError} when `text` holds CR or LF
 */
export function checkEnvelope(text: string): string {
  if (/[\r\n]/.test(text)) throw new ValueError(`Cannot write From line "${text}": it contains a line end`);
  return text;
}
