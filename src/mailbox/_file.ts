/**
 * The file helpers every mailbox format shares (Python's `_lock_file`,
 * `_unlock_file`, `_create_carefully`, `_create_temporary`, `_sync_close`,
 * `Mailbox._dump_message`), plus the bounded line scanner the single-file
 * formats build their table of contents with. Private to `netkit/mailbox`.
 *
 * Locking: Python takes `fcntl.lockf` and a dot-lock file `NAME.lock`.
 * Node has no `lockf`, so netkit takes the dot lock alone, made as Python
 * (and mutt, procmail, s-nail) make it: a uniquely named file hard-linked to
 * `NAME.lock`, which fails when the name exists. Every dot-locking program
 * (Python's `mailbox` included) then sees the lock; a program that takes
 * only `lockf` does not.
 *
 * @module
 */
import { closeSync, fstatSync, fsync, openSync, write, writeSync } from "node:fs";
import { type FileHandle, link, mkdir, open, rename, stat, unlink } from "node:fs/promises";
import { hostname } from "node:os";
import { promisify } from "node:util";
import { BytesGenerator, Message as EmailMessage } from "../email/index.js";
import { ValueError, withCode } from "../errors/index.js";
import { ExternalClashError, FormatError, NoSuchMailboxError } from "./errors.js";
import { MAILBOX_LIMITS } from "./limits.js";
import { noSuchKey } from "./mailbox.js";

/** The line end the formats write (Python's `os.linesep`, on the POSIX systems netkit runs on). */
export const LINESEP = Buffer.from("\n");

/** True when `err` is a Node system error with this `code`. */
export function isCode(err: unknown, ...codes: string[]): boolean {
  return err instanceof Error && codes.includes((err as NodeJS.ErrnoException).code ?? "");
}

/**
 * A folder mailbox's message file (Maildir, MH), read whole: their
 * `get_bytes`.
 * @throws {KeyError} `No message with key: KEY` when the file is missing
 */
export async function readMessageFile(path: string, key: string | number): Promise<Buffer> {
  try {
    const fh = await open(path, "r");
    try {
      return await fh.readFile();
    } finally {
      await fh.close();
    }
  } catch (err) {
    if (isCode(err, "ENOENT")) throw noSuchKey(key);
    throw err;
  }
}

/**
 * Python's `_create_carefully`: creates `path`, failing when it exists
 * (`O_CREAT | O_EXCL`), open for reading and writing.
 */
export function createCarefully(path: string): Promise<FileHandle> {
  return open(path, "wx+", 0o666);
}

/** Python's `_create_temporary`: `PATH.SECONDS.HOST.PID`, created carefully. */
export async function createTemporary(path: string): Promise<{ fh: FileHandle; name: string }> {
  const name = `${path}.${Math.floor(Date.now() / 1000)}.${hostname()}.${process.pid}`;
  return { fh: await createCarefully(name), name };
}

/**
 * Opens a folder mailbox (Maildir, MH): when `path` is missing, makes it
 * (mode 0700) and calls `populate`, or throws when `create` is false.
 * @throws {NoSuchMailboxError} when it is missing and `create` is false
 */
export async function ensureFolder(
  path: string,
  create: boolean,
  populate: () => Promise<void>,
): Promise<void> {
  try {
    await stat(path);
  } catch (err) {
    if (!isCode(err, "ENOENT")) throw err;
    if (!create) throw new NoSuchMailboxError(path);
    await mkdir(path, 0o700);
    await populate();
  }
}

/** Python's `_sync_close`: fsync, then close. */
export async function syncClose(fh: FileHandle): Promise<void> {
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/**
 * Python's `_lock_file` (the dot-lock half): makes `PATH.lock` by linking a
 * temporary file to it. Without write access to the folder it gives up
 * quietly, as Python does.
 * @throws {ExternalClashError} when `PATH.lock` exists (another program holds the lock)
 */
export async function dotLock(path: string): Promise<void> {
  let pre: { fh: FileHandle; name: string };
  try {
    pre = await createTemporary(`${path}.lock`);
  } catch (err) {
    if (isCode(err, "EACCES", "EROFS")) return;
    throw err;
  }
  await pre.fh.close();
  try {
    await link(pre.name, `${path}.lock`);
  } catch (err) {
    if (isCode(err, "EEXIST")) {
      await unlink(pre.name);
      throw new ExternalClashError(`Cannot lock mailbox "${path}": dot lock unavailable`);
    }
    if (!isCode(err, "EPERM", "EACCES")) {
      await unlink(pre.name);
      throw err;
    }
    // A file system without hard links: Python renames instead.
    await rename(pre.name, `${path}.lock`);
    return;
  }
  await unlink(pre.name);
}

/** Python's `_unlock_file` (the dot-lock half): removes `PATH.lock` if it is there. */
export async function dotUnlock(path: string): Promise<void> {
  try {
    await unlink(`${path}.lock`);
  } catch (err) {
    if (!isCode(err, "ENOENT")) throw err;
  }
}

/** What a mailbox stores: a message, bytes, or ASCII text. */
export type MessageInput = EmailMessage | Uint8Array | string;

/**
 * Python's `_string_to_bytes`: text must be ASCII (anything else most
 * likely came from reading a file in text mode, and leads to mojibake).
 * @throws {ValueError} when `text` is not ASCII
 */
export function stringToBytes(text: string): Buffer {
  // Every non-ASCII UTF-16 unit takes two or more bytes in UTF-8 (a lone surrogate three),
  // so equal lengths mean ASCII; V8 counts them far faster than a regular expression scans.
  if (Buffer.byteLength(text, "utf8") !== text.length)
    throw new ValueError("String input must be ASCII-only; use bytes or a Message instead");
  return Buffer.from(text, "latin1");
}

/** A message as bytes, the way `BytesGenerator(buf, mangleFrom, 0)` writes it. */
export function flattenMessage(msg: EmailMessage, mangleFrom: boolean): Buffer {
  const out: Buffer[] = [];
  new BytesGenerator({ write: (b: Buffer) => out.push(b) }, mangleFrom, 0).flatten(msg);
  return Buffer.concat(out);
}

/**
 * Python's `Mailbox._dump_message`: the bytes a format stores for a
 * message. A message is flattened; bytes and text are stored as they are,
 * with `From ` at a line start after the first mangled to `>From ` when
 * `mangleFrom`. With `appendNewline` the result ends with a line end.
 * @throws {ValueError} when text is not ASCII
 * @throws {TypeError} when `message` is none of these
 */
export function dumpMessage(message: MessageInput, mangleFrom: boolean, appendNewline: boolean): Buffer {
  let data: Buffer;
  if (message instanceof EmailMessage) {
    data = flattenMessage(message, mangleFrom);
  } else if (typeof message === "string" || message instanceof Uint8Array) {
    data = typeof message === "string" ? stringToBytes(message) : Buffer.from(message);
    if (mangleFrom) data = replaceAll(data, "\nFrom ", "\n>From ");
  } else {
    throw withCode(new TypeError(`Invalid message type: ${typeof message}`), "ERR_INVALID_ARG_TYPE");
  }
  if (appendNewline && (data.length === 0 || data[data.length - 1] !== 0x0a))
    data = Buffer.concat([data, LINESEP]);
  return data;
}

/** `data` with every `from` replaced by `to` (Python's `bytes.replace`). */
export function replaceAll(data: Buffer, from: string, to: string): Buffer {
  const f = Buffer.from(from, "latin1");
  const t = Buffer.from(to, "latin1");
  let i = data.indexOf(f);
  if (i < 0) return data;
  const parts: Buffer[] = [];
  let last = 0;
  while (i >= 0) {
    parts.push(data.subarray(last, i), t);
    last = i + f.length;
    i = data.indexOf(f, last);
  }
  parts.push(data.subarray(last));
  return Buffer.concat(parts);
}

/** One line of a file, as the scanner sees it. */
export interface ScannedLine {
  /** Where the line starts in the file. */
  pos: number;
  /** Its length, line end included. */
  length: number;
  /** Its first bytes (all of it when shorter than the scanner's `head`), line end included. */
  head: Buffer;
}

/**
 * Reads `fh` from `start` line by line (Python's `readline()` loop) in
 * bounded memory: each line's start, length and first `head` bytes. A line
 * longer than `head` is skipped through, never held whole. The lines come in
 * batches, one per read of the file: a mailbox has hundreds of thousands of
 * lines, and a promise per line cost more than the scan itself.
 * @param fh the file
 * @param start where to start
 * @param head how many bytes of each line to keep (default: the envelope-line limit)
 */
export async function* scanLines(
  fh: FileHandle,
  start = 0,
  head: number = MAILBOX_LIMITS.maxEnvelopeLine,
): AsyncGenerator<ScannedLine[]> {
  let filePos = start;
  let lineStart = start;
  let headParts: Buffer[] = [];
  let headLen = 0;
  for (;;) {
    // A fresh buffer per read: the lines' heads are views of it, not copies.
    const chunk = Buffer.allocUnsafe(MAILBOX_LIMITS.scanChunk);
    const { bytesRead } = await fh.read(chunk, 0, chunk.length, filePos);
    if (bytesRead === 0) break;
    const buf = chunk.subarray(0, bytesRead);
    const lines: ScannedLine[] = [];
    let from = 0;
    while (from < buf.length) {
      const nl = buf.indexOf(0x0a, from);
      const end = nl < 0 ? buf.length : nl + 1;
      if (headLen < head) {
        const take = buf.subarray(from, Math.min(end, from + head - headLen));
        headParts.push(take);
        headLen += take.length;
      }
      if (nl < 0) break;
      const pos = lineStart;
      lineStart = filePos + end;
      lines.push({
        pos,
        length: lineStart - pos,
        head: headParts.length === 1 ? headParts[0]! : Buffer.concat(headParts),
      });
      headParts = [];
      headLen = 0;
      from = end;
    }
    filePos += bytesRead;
    if (lines.length > 0) yield lines;
  }
  if (filePos > lineStart)
    yield [{ pos: lineStart, length: filePos - lineStart, head: Buffer.concat(headParts) }];
}

/**
 * The whole of a line the scanner saw, when it is within the envelope-line limit.
 * @throws {FormatError} when the line is longer
 */
export function wholeLine(line: ScannedLine, what: string): Buffer {
  if (line.length > line.head.length)
    throw new FormatError(
      `Cannot read ${what} at byte ${line.pos}: longer than ${MAILBOX_LIMITS.maxEnvelopeLine} bytes`,
    );
  return line.head;
}

/** Reads `length` bytes at `pos`. */
export async function readAt(fh: FileHandle, pos: number, length: number): Promise<Buffer> {
  const buf = Buffer.alloc(Math.max(0, length));
  let done = 0;
  while (done < buf.length) {
    const { bytesRead } = await fh.read(buf, done, buf.length - done, pos + done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  return done === buf.length ? buf : buf.subarray(0, done);
}

/**
 * The largest write made synchronously. Python's mailbox appends and
 * rewrites with blocking writes; here two thread-pool trips per message
 * (stat, write) were four fifths of an add, while a write of this size to the
 * page cache blocks for microseconds. Larger writes go through the thread
 * pool, so a big message never holds the event loop for long.
 */
const SYNC_WRITE_MAX = 256 * 1024;

/** The file's size now (an fstat, which never waits on the disk, so made synchronously). */
export function fileSize(fh: FileHandle): number {
  return fstatSync(fh.fd).size;
}

/**
 * Reads a file front to back through a window: a rewrite asks for each kept
 * message, and one read per window (not one per message) serves them.
 */
export class WindowReader {
  #window: Buffer = Buffer.alloc(0);
  #at = 0;
  /**
   * @param fh the file
   * @param size the window's size
   */
  constructor(
    readonly fh: FileHandle,
    readonly size = SYNC_WRITE_MAX,
  ) {}

  /** Up to `length` bytes at `pos` (fewer only at the end of the file); a view of the window when it holds them. */
  async read(pos: number, length: number): Promise<Buffer> {
    const from = pos - this.#at;
    if (from >= 0 && from + length <= this.#window.length) return this.#window.subarray(from, from + length);
    if (length >= this.size) return readAt(this.fh, pos, length);
    this.#window = await readAt(this.fh, pos, this.size);
    this.#at = pos;
    return this.#window.subarray(0, Math.min(length, this.#window.length));
  }
}

/** Writes a file front to back from offset 0, gathered into writes of about `size` bytes. */
export class GatheredWriter {
  #parts: Buffer[] = [];
  #pending = 0;
  /** Where the next byte goes: the bytes put so far, written or not. */
  pos = 0;
  /**
   * @param fh the file
   * @param size how many bytes to gather before a write
   */
  constructor(
    readonly fh: FileHandle,
    readonly size = SYNC_WRITE_MAX,
  ) {}

  /** Appends `data` (kept by reference until written). */
  async put(data: Buffer): Promise<void> {
    if (data.length === 0) return;
    this.#parts.push(data);
    this.#pending += data.length;
    this.pos += data.length;
    if (this.#pending >= this.size) await this.flush();
  }

  /** Writes what is gathered. */
  async flush(): Promise<void> {
    if (this.#pending === 0) return;
    const data = this.#parts.length === 1 ? this.#parts[0]! : Buffer.concat(this.#parts, this.#pending);
    const at = this.pos - this.#pending;
    this.#parts = [];
    this.#pending = 0;
    await writeAt(this.fh, data, at);
  }
}

/** Writes all of `data` at `pos`. */
export async function writeAt(file: FileHandle | number, data: Uint8Array, pos: number): Promise<void> {
  const fd = typeof file === "number" ? file : file.fd;
  let done = 0;
  if (data.length <= SYNC_WRITE_MAX) {
    while (done < data.length) done += writeSync(fd, data, done, data.length - done, pos + done);
    return;
  }
  while (done < data.length) {
    const { bytesWritten } = await writeFd(fd, data, done, data.length - done, pos + done);
    done += bytesWritten;
  }
}

const writeFd = promisify(write);
const fsyncFd = promisify(fsync);

/**
 * Python's `_create_carefully` for a file descriptor: creates `path` (it must
 * not exist) and opens it for reading and writing. Synchronous, as the
 * metadata calls of a delivery are: each is microseconds on a local disk,
 * where a thread-pool trip each made Maildir delivery half python3's rate.
 * Only the fsync, which waits on the disk, goes through the thread pool.
 */
export function createCarefullyFd(path: string): number {
  return openSync(path, "wx+", 0o666);
}

/** Python's `_sync_close` for a file descriptor: fsync (through the thread pool), then close. */
export async function syncCloseFd(fd: number): Promise<void> {
  try {
    await fsyncFd(fd);
  } finally {
    closeSync(fd);
  }
}
