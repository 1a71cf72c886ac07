/**
 * `FieldFile`: where `FieldStorage` keeps a field's bytes. Small values stay
 * in memory; past `spillSize` bytes they move to a temporary file in
 * `os.tmpdir()` (mode 0600, a random name), which `close()` removes. Files
 * still there when the process exits are removed by an exit hook, so an
 * upload is never left behind by a forgotten `close()`.
 *
 * Mirrors the file objects Python's `FieldStorage.make_file()` returns
 * (`tempfile.TemporaryFile`, spilled from a `BytesIO` past 1000 bytes).
 * Python's temporary files have no name; netkit's have a `path`, so an
 * upload can be moved into place (`fs.rename`) instead of copied.
 *
 * @module
 */
import { randomBytes } from "node:crypto";
import { closeSync, createReadStream, type ReadStream, readFileSync, unlinkSync } from "node:fs";
import { type FileHandle, open, readFile, unlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { isSystemError, ValueError } from "../errors/index.js";

/** Temporary files not yet removed, for the exit hook. */
const LIVE = new Set<string>();
let hooked = false;

function removeLeftovers(): void {
  for (const path of LIVE) {
    try {
      unlinkSync(path);
    } catch (err) {
      if (!isSystemError(err)) throw err;
      // Already gone: nothing to do.
    }
  }
  LIVE.clear();
}

/** Options of `FieldFile`. */
export interface FieldFileOptions {
  /**
   * Bytes kept in memory before the value moves to a temporary file.
   * @default 65536 (Python spills past 1000)
   */
  spillSize?: number;
  /** Directory for the temporary file. @default os.tmpdir() */
  tmpdir?: string;
}

/**
 * A field's bytes, in memory or in a temporary file (Python's
 * `FieldStorage.file`). Written once by the parser, then read any number of
 * times: `readSync()` / `read()` for all of it, `stream()` for a stream.
 *
 * @example
 * ```ts world
 * import { rename } from "node:fs/promises";
 * declare const form: FieldStorage; // read from a request with an upload
 * const upload = form.get("file") as FieldStorage;
 * if (upload.file?.path) await rename(upload.file.path, "uploads/a.bin"); // no copy
 * ```
 */
export class FieldFile {
  readonly #spillSize: number;
  /** Where to spill (os.tmpdir() when not given: looked up only when needed, it reads the environment). */
  readonly #dir: string | undefined;
  #chunks: Buffer[] = [];
  #size = 0;
  #path: string | null = null;
  #handle: FileHandle | null = null;
  #closed = false;

  /** @param options where and when to spill */
  constructor(options: FieldFileOptions = {}) {
    this.#spillSize = options.spillSize ?? 65536;
    this.#dir = options.tmpdir;
  }

  /** Bytes held. */
  get size(): number {
    return this.#size;
  }

  /** The temporary file's path, or `null` while the bytes are in memory (or after `close()`). */
  get path(): string | null {
    return this.#closed ? null : this.#path;
  }

  /** True while the bytes are in memory. */
  get inMemory(): boolean {
    return this.#path === null;
  }

  /** True after `close()`. */
  get closed(): boolean {
    return this.#closed;
  }

  /** @internal Appends bytes (the parser's side). Moves to a temporary file past `spillSize`. */
  async write(chunk: Buffer): Promise<void> {
    if (this.#closed) throw new ValueError("I/O operation on closed file.");
    if (chunk.length === 0) return;
    this.#size += chunk.length;
    if (this.#handle === null) {
      if (this.#size <= this.#spillSize) {
        this.#chunks.push(Buffer.from(chunk));
        return;
      }
      await this.#spill();
    }
    await this.#handle!.write(chunk);
  }

  async #spill(): Promise<void> {
    if (!hooked) {
      hooked = true;
      process.once("exit", removeLeftovers);
    }
    const path = join(this.#dir ?? tmpdir(), `netkit-cgi-${randomBytes(12).toString("hex")}`);
    this.#handle = await open(path, "wx", 0o600);
    this.#path = path;
    LIVE.add(path);
    for (const c of this.#chunks) await this.#handle.write(c);
    this.#chunks = [];
  }

  /** @internal Ends writing (closes the temporary file's handle; the file stays until `close()`). */
  async finish(): Promise<void> {
    const handle = this.#handle;
    this.#handle = null;
    await handle?.close();
    if (this.#chunks.length > 1) this.#chunks = [Buffer.concat(this.#chunks)];
  }

  #check(): void {
    if (this.#closed) throw new ValueError("I/O operation on closed file.");
  }

  /**
   * All the bytes, read at once (synchronously from the temporary file, when
   * there is one: what Python's `value` does; use `read()` or `stream()` in
   * a server).
   * @throws ValueError after `close()`
   */
  readSync(): Buffer {
    this.#check();
    if (this.#path !== null) return readFileSync(this.#path);
    return this.#chunks[0] ?? Buffer.alloc(0);
  }

  /** All the bytes. @throws ValueError after `close()` */
  async read(): Promise<Buffer> {
    this.#check();
    if (this.#path !== null) return readFile(this.#path);
    return this.#chunks[0] ?? Buffer.alloc(0);
  }

  /** The bytes as a Node stream (read from disk in chunks for a spilled file). @throws ValueError after `close()` */
  stream(): Readable | ReadStream {
    this.#check();
    if (this.#path !== null) return createReadStream(this.#path);
    return Readable.from(this.#chunks);
  }

  /** Python's `file.close()`: drops the bytes and removes the temporary file. Closing twice is harmless. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#chunks = [];
    const handle = this.#handle;
    this.#handle = null;
    await handle?.close().catch(() => {});
    const path = this.#path;
    if (path !== null) {
      LIVE.delete(path);
      await unlink(path).catch(() => {});
    }
  }

  /** The same as `close()`, synchronously. */
  closeSync(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#chunks = [];
    const handle = this.#handle;
    this.#handle = null;
    if (handle !== null) {
      try {
        closeSync(handle.fd);
      } catch (err) {
        if (!isSystemError(err)) throw err;
        // Already closed.
      }
    }
    const path = this.#path;
    if (path !== null) {
      LIVE.delete(path);
      try {
        unlinkSync(path);
      } catch (err) {
        if (!isSystemError(err)) throw err;
        // Already gone.
      }
    }
  }

  /** `await using file = ...` closes it. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
