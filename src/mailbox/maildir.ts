/**
 * Python's `mailbox.Maildir`: one file per message in `new/` (unread) or
 * `cur/`, delivered atomically (written and fsynced in `tmp/`, then linked
 * into place), the flags in the name after the colon (`KEY:2,FRS`), and
 * folders as `.NAME` subfolders (the Maildir++ layout Courier and Dovecot use).
 *
 * A key is the unique part of the file name (`SECONDS.MmicrosPpidQcount.HOST`).
 * Changes go to the disk at once, so `flush`, `lock`, `unlock` and `close`
 * do nothing, as in Python.
 *
 * @module
 */
import { closeSync, createReadStream, linkSync, renameSync, unlinkSync } from "node:fs";
import { mkdir, open, readdir, rename, rmdir, stat, unlink, utimes } from "node:fs/promises";
import { hostname } from "node:os";
import { basename, dirname, join } from "node:path";
import type { Readable } from "node:stream";
import { KeyError } from "../errors/index.js";
import {
  createCarefullyFd,
  dumpMessage,
  ensureFolder,
  isCode,
  type MessageInput,
  readMessageFile,
  syncCloseFd,
  writeAt,
} from "./_file.js";
import { ExternalClashError, NotEmptyError } from "./errors.js";
import { Mailbox, type MailboxOptions, noSuchKey } from "./mailbox.js";
import { MaildirMessage } from "./message.js";

/** Options of `Maildir`. */
export interface MaildirOptions extends MailboxOptions {
  /** The character between a key and its info: Python's `Maildir.colon` (`"!"` on file systems without `:`). @default ":" */
  colon?: string;
}

/** Python's `Maildir._count`: the Q part of new names, for the whole process. */
let deliveries = 1;

/** Python's `mailbox.Maildir`. */
export class Maildir extends Mailbox<string, MaildirMessage> {
  /** Python's `Maildir.colon`. */
  colon: string;
  #toc = new Map<string, string>();
  #tocMtimes: Record<"cur" | "new", number> = { cur: 0, new: 0 };
  #lastRead = 0;
  /** Python's `_skewfactor`: seconds added to the 2-second mtime resolution guard. */
  skewfactor = 0.1;
  #onetime: AsyncGenerator<string> | null = null;

  /** Use `Maildir.open`: the folders are made or checked there. */
  protected constructor(path: string, options: MaildirOptions = {}) {
    super(path, options);
    this.colon = options.colon ?? ":";
  }

  /**
   * Python's `Maildir(dirname, factory, create)`: opens a Maildir, making
   * it (with `tmp/`, `new/`, `cur/`, mode 0700) when missing and `create`.
   * @throws {NoSuchMailboxError} when it is missing and `create` is false
   */
  static async open(path: string, options: MaildirOptions = {}): Promise<Maildir> {
    const box = new Maildir(path, options);
    await ensureFolder(box._path, options.create !== false, async () => {
      for (const sub of ["tmp", "new", "cur"]) await mkdir(join(box._path, sub), 0o700);
    });
    return box;
  }

  /** Python's `add`: delivers through `tmp/` and returns the new key. */
  async add(message: MessageInput): Promise<string> {
    const data = dumpMessage(message, false, false);
    const { fd, name } = this.#createTmp();
    try {
      await writeAt(fd, data, 0);
    } catch (err) {
      closeSync(fd);
      unlinkSync(name);
      throw err;
    }
    await syncCloseFd(fd);
    let subdir = "new";
    let suffix = "";
    if (message instanceof MaildirMessage) {
      subdir = message.getSubdir();
      suffix = message.getInfo() === "" ? "" : this.colon + message.getInfo();
    }
    const uniq = basename(name).split(this.colon)[0]!;
    const dest = join(this._path, subdir, uniq + suffix);
    if (message instanceof MaildirMessage) {
      const st = await stat(name);
      await utimes(name, st.atimeMs / 1000, message.getDate());
    }
    try {
      try {
        linkSync(name, dest);
      } catch (err) {
        if (!isCode(err, "EPERM", "EACCES")) throw err;
        renameSync(name, dest);
        return uniq;
      }
      unlinkSync(name);
    } catch (err) {
      await unlink(name).catch(() => undefined);
      if (isCode(err, "EEXIST")) throw new ExternalClashError(`Name clash with existing message: ${dest}`);
      throw err;
    }
    return uniq;
  }

  /** Python's `remove`. */
  async remove(key: string): Promise<void> {
    await unlink(join(this._path, await this.#lookup(key)));
  }

  /** Python's `discard`: also quiet when the file went away meanwhile. */
  override async discard(key: string): Promise<void> {
    try {
      await super.discard(key);
    } catch (err) {
      if (!isCode(err, "ENOENT")) throw err;
    }
  }

  /**
   * Python's `__setitem__`: the new message takes the key; it keeps the old
   * subdir and info unless it is a `MaildirMessage`, which brings its own.
   */
  async replace(key: string, message: MessageInput): Promise<void> {
    const oldSubpath = await this.#lookup(key);
    const tempKey = await this.add(message);
    const tempSubpath = await this.#lookup(tempKey);
    const dominant = message instanceof MaildirMessage ? tempSubpath : oldSubpath;
    const subdir = dirname(dominant);
    const suffix = dominant.includes(this.colon) ? this.colon + dominant.split(this.colon).at(-1) : "";
    await this.discard(key);
    const tmpPath = join(this._path, tempSubpath);
    const newPath = join(this._path, subdir, key + suffix);
    if (message instanceof MaildirMessage) {
      const st = await stat(tmpPath);
      await utimes(tmpPath, st.atimeMs / 1000, message.getDate());
    }
    await rename(tmpPath, newPath);
    this.#toc.delete(tempKey);
  }

  /** Python's `get_message`: a `MaildirMessage` with subdir, info and date (the file's mtime). */
  async getMessage(key: string): Promise<MaildirMessage> {
    const subpath = await this.#lookup(key);
    const path = join(this._path, subpath);
    const msg = new MaildirMessage(await readMessageFile(path, key));
    const name = basename(subpath);
    msg.setSubdir(dirname(subpath));
    if (name.includes(this.colon)) msg.setInfo(name.split(this.colon).at(-1)!);
    msg.setDate((await stat(path)).mtimeMs / 1000);
    return msg;
  }

  /** Python's `get_bytes`. */
  async getBytes(key: string): Promise<Buffer> {
    return readMessageFile(join(this._path, await this.#lookup(key)), key);
  }

  /** Python's `get_file`: a stream of the message file. */
  async getFile(key: string): Promise<Readable> {
    const fh = await open(join(this._path, await this.#lookup(key)), "r");
    return createReadStream("", { fd: fh });
  }

  /** Python's `iterkeys`. */
  async *iterKeys(): AsyncGenerator<string> {
    await this.#refresh();
    for (const key of [...this.#toc.keys()]) {
      try {
        await this.#lookup(key);
      } catch (err) {
        if (err instanceof KeyError) continue;
        throw err;
      }
      yield key;
    }
  }

  /** Python's `__contains__`. */
  async contains(key: string): Promise<boolean> {
    await this.#refresh();
    return this.#toc.has(key);
  }

  /** Python's `__len__`. */
  async length(): Promise<number> {
    await this.#refresh();
    return this.#toc.size;
  }

  /** Nothing to do: Maildir changes are written at once. */
  async flush(): Promise<void> {}
  /** Nothing to do: Maildir needs no lock. */
  async lock(): Promise<void> {}
  /** Nothing to do. */
  async unlock(): Promise<void> {}
  /** Nothing to do. */
  async close(): Promise<void> {}

  /** Python's `list_folders`: the names of the `.NAME` subfolders. */
  async listFolders(): Promise<string[]> {
    const out: string[] = [];
    for (const entry of await readdir(this._path, { withFileTypes: true })) {
      if (entry.name.length > 1 && entry.name[0] === "." && entry.isDirectory())
        out.push(entry.name.slice(1));
    }
    return out;
  }

  /**
   * Python's `get_folder`.
   * @throws {NoSuchMailboxError} when there is no such folder
   */
  getFolder(folder: string): Promise<Maildir> {
    return Maildir.open(join(this._path, `.${folder}`), {
      factory: this._factory,
      create: false,
      colon: this.colon,
    });
  }

  /** Python's `add_folder`: makes the folder (and its `maildirfolder` marker) and returns it. */
  async addFolder(folder: string): Promise<Maildir> {
    const path = join(this._path, `.${folder}`);
    const result = await Maildir.open(path, { factory: this._factory, colon: this.colon });
    await (await open(join(path, "maildirfolder"), "a", 0o666)).close();
    return result;
  }

  /**
   * Python's `remove_folder`.
   * @throws {NotEmptyError} when it holds messages or subfolders
   */
  async removeFolder(folder: string): Promise<void> {
    const path = join(this._path, `.${folder}`);
    for (const sub of ["new", "cur"]) {
      for (const entry of await readdir(join(path, sub))) {
        if (entry.length < 1 || entry[0] !== ".")
          throw new NotEmptyError(`Folder contains message(s): ${folder}`);
      }
    }
    for (const entry of await readdir(path, { withFileTypes: true })) {
      if (!["new", "cur", "tmp"].includes(entry.name) && entry.isDirectory())
        throw new NotEmptyError(`Folder contains subdirectory '${entry.name}': ${folder}`);
    }
    await removeTree(path);
  }

  /** Python's `clean`: deletes files in `tmp/` not accessed for 36 hours. */
  async clean(): Promise<void> {
    const now = Date.now();
    const tmp = join(this._path, "tmp");
    for (const entry of await readdir(tmp)) {
      const path = join(tmp, entry);
      if (now - (await stat(path)).atimeMs > 129_600_000) await unlink(path);
    }
  }

  /**
   * Python's `next` (kept from the old API): the next message of one pass
   * over the keys, `null` at the end.
   */
  async next(): Promise<MaildirMessage | null> {
    this.#onetime ??= this.iterKeys();
    for (;;) {
      const r = await this.#onetime.next();
      if (r.done) return null;
      const msg = await this.get(r.value);
      if (msg !== undefined) return msg;
    }
  }

  /** Python's `_create_tmp`: a new, uniquely named file in `tmp/`. */
  #createTmp(): { fd: number; name: string } {
    const now = Date.now() / 1000;
    const host = hostname().replaceAll("/", "\\057").replaceAll(":", "\\072");
    const micros = Math.floor((now % 1) * 1e6);
    const uniq = `${Math.floor(now)}.M${micros}P${process.pid}Q${deliveries}.${host}`;
    const path = join(this._path, "tmp", uniq);
    deliveries++;
    try {
      return { fd: createCarefullyFd(path), name: path };
    } catch (err) {
      if (isCode(err, "EEXIST")) throw new ExternalClashError(`Name clash prevented file creation: ${path}`);
      throw err;
    }
  }

  /**
   * Python's `_refresh`: re-reads `new/` and `cur/` unless neither changed.
   * An mtime has a 1-2 second resolution on some file systems, so within 2
   * seconds (plus `skewfactor`) of the last read it always re-reads.
   */
  async #refresh(): Promise<void> {
    if (Date.now() / 1000 - this.#lastRead > 2 + this.skewfactor) {
      let refresh = false;
      for (const sub of ["cur", "new"] as const) {
        const mtime = (await stat(join(this._path, sub))).mtimeMs / 1000;
        if (mtime > this.#tocMtimes[sub]) refresh = true;
        this.#tocMtimes[sub] = mtime;
      }
      if (!refresh) return;
    }
    const toc = new Map<string, string>();
    for (const sub of ["cur", "new"]) {
      for (const entry of await readdir(join(this._path, sub), { withFileTypes: true })) {
        if (entry.isDirectory()) continue;
        toc.set(entry.name.split(this.colon)[0]!, join(sub, entry.name));
      }
    }
    this.#toc = toc;
    this.#lastRead = Date.now() / 1000;
  }

  /** Python's `_lookup`: the key's path below the Maildir. */
  async #lookup(key: string): Promise<string> {
    const known = this.#toc.get(key);
    if (known !== undefined) {
      try {
        await stat(join(this._path, known));
        return known;
      } catch (err) {
        if (!isCode(err, "ENOENT")) throw err;
      }
    }
    await this.#refresh();
    const found = this.#toc.get(key);
    if (found === undefined) throw noSuchKey(key);
    return found;
  }
}

/** Removes a folder and everything in it (Python's bottom-up `os.walk` delete). */
async function removeTree(path: string): Promise<void> {
  for (const entry of await readdir(path, { withFileTypes: true })) {
    const p = join(path, entry.name);
    if (entry.isDirectory()) await removeTree(p);
    else await unlink(p);
  }
  await rmdir(path);
}
