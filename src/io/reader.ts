/**
 * `BufferedReader`: Python's `io.BufferedReader` over any `ByteSource` (a
 * socket, a Node stream, bytes in memory), plus asyncio's `readexactly` and
 * `readuntil`. It is the `rfile` of every netkit protocol.
 *
 * Bytes are kept as the chunks the source delivered (a list with a head
 * offset), never copied to be searched: `readline` runs `indexOf` over each
 * chunk once, and a line inside one chunk is returned as a view of it. Lines
 * are bounded: past `maxLineLength` without a newline, `readline()` throws
 * instead of growing memory.
 *
 * @module
 */
import { ValueError } from "../errors/index.js";
import { IncompleteReadError, LimitOverrunError, LineTooLongError } from "./errors.js";
import type { ByteSource } from "./source.js";

const NEWLINE = 0x0a;
const EMPTY = Buffer.alloc(0);

/** Options for `BufferedReader`. */
export interface BufferedReaderOptions {
  /**
   * Longest line `readline()` (without a size) returns, newline included;
   * a longer one throws `LineTooLongError`. Also `readuntil`'s default limit.
   * @default 65536 (Python's http.client `_MAXLINE`)
   */
  maxLineLength?: number;
}

/**
 * Python's `io.BufferedReader`, async.
 *
 * @example
 * ```ts
 * import { BufferedReader, BytesSource } from "netkit/io";
 * const reader = new BufferedReader(new BytesSource(Buffer.from("a\nb\n")));
 * for await (const line of reader) console.log(line.toString()); // "a\n", "b\n"
 * ```
 */
export class BufferedReader implements AsyncIterable<Buffer> {
  readonly #source: ByteSource;
  readonly #maxLine: number;
  #chunks: Buffer[] = [];
  #first = 0;
  #head = 0;
  #size = 0;
  /** Bytes at the front already searched for a newline without finding one. */
  #scanned = 0;
  #eof = false;
  #closed = false;

  constructor(source: ByteSource, options: BufferedReaderOptions = {}) {
    this.#source = source;
    this.#maxLine = options.maxLineLength ?? 65536;
  }

  /** Bytes held, read from the source but not yet returned. */
  get buffered(): number {
    return this.#size;
  }

  /** The line limit in force. */
  get maxLineLength(): number {
    return this.#maxLine;
  }

  /** True after `close()`. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Python's `close()`: drops what is buffered; later reads throw ValueError. Does not close the source. */
  close(): void {
    this.#closed = true;
    this.#chunks = [];
    this.#first = 0;
    this.#head = 0;
    this.#size = 0;
  }

  #checkOpen(): void {
    if (this.#closed) throw new ValueError("I/O operation on closed file.");
  }

  /**
   * Reads one more chunk from the source; false at end of stream. Answers
   * without a promise when the source already has bytes (the hot path).
   */
  #fill(): boolean | Promise<boolean> {
    if (this.#eof) return false;
    const now = this.#source.readChunkNow?.();
    if (now !== undefined && now !== null) return this.#push(now);
    return this.#source.readChunk().then(this.#pushBound);
  }

  readonly #pushBound = (chunk: Buffer): boolean => this.#push(chunk);

  #push(chunk: Buffer): boolean {
    if (this.#closed) throw new ValueError("I/O operation on closed file.");
    if (chunk.length === 0) {
      this.#eof = true;
      return false;
    }
    this.#chunks.push(chunk);
    this.#size += chunk.length;
    return true;
  }

  /** Removes and returns the first `n` bytes (n <= buffered): a view when they lie in one chunk. */
  #take(n: number): Buffer {
    if (n === 0) return EMPTY;
    const chunk = this.#chunks[this.#first]!;
    const available = chunk.length - this.#head;
    let out: Buffer;
    if (n <= available) {
      out = this.#head === 0 && n === chunk.length ? chunk : chunk.subarray(this.#head, this.#head + n);
      this.#advance(n);
    } else {
      out = Buffer.allocUnsafe(n);
      let filled = 0;
      while (filled < n) {
        const c = this.#chunks[this.#first]!;
        const piece = c.subarray(this.#head, this.#head + Math.min(n - filled, c.length - this.#head));
        out.set(piece, filled);
        filled += piece.length;
        this.#advance(piece.length);
      }
    }
    return out;
  }

  /** Drops `n` bytes from the front of the first chunk (n <= its remaining bytes). */
  #advance(n: number): void {
    const chunk = this.#chunks[this.#first]!;
    this.#head += n;
    this.#size -= n;
    this.#scanned = Math.max(0, this.#scanned - n);
    if (this.#head === chunk.length) {
      this.#chunks[this.#first] = EMPTY;
      this.#first++;
      this.#head = 0;
      if (this.#first === this.#chunks.length) {
        this.#chunks = [];
        this.#first = 0;
      } else if (this.#first >= 32 && this.#first * 2 >= this.#chunks.length) {
        this.#chunks = this.#chunks.slice(this.#first);
        this.#first = 0;
      }
    }
  }

  /** Position (from the front) of the first `byte` at or after `from`, or -1. */
  #indexOfByte(byte: number, from: number): number {
    let base = 0;
    for (let i = this.#first; i < this.#chunks.length; i++) {
      const chunk = this.#chunks[i]!;
      const start = i === this.#first ? this.#head : 0;
      const length = chunk.length - start;
      if (from < base + length) {
        const at = chunk.indexOf(byte, start + Math.max(0, from - base));
        if (at >= 0) return base + (at - start);
      }
      base += length;
    }
    return -1;
  }

  /** The buffered bytes as one Buffer, from the front (joining chunks, for searches that straddle them). */
  #flatten(): Buffer {
    if (this.#chunks.length - this.#first === 1) {
      const only = this.#chunks[this.#first]!;
      return this.#head === 0 ? only : only.subarray(this.#head);
    }
    const all = this.#take(this.#size);
    this.#chunks = [all];
    this.#first = 0;
    this.#head = 0;
    this.#size = all.length;
    return all;
  }

  /**
   * Python's `read(n)`: exactly `n` bytes unless the stream ends first (then
   * fewer, possibly none); with no argument or -1, everything up to the end.
   */
  async read(n = -1): Promise<Buffer> {
    this.#checkOpen();
    if (n < 0) {
      while (await this.#fill()) {}
      return this.#take(this.#size);
    }
    while (this.#size < n && (await this.#fill())) {}
    return this.#take(Math.min(n, this.#size));
  }

  /**
   * Python's `read1(n)`: at most one read from the source. Returns buffered
   * bytes when there are any, else waits for one chunk (at most `n` bytes of it).
   */
  async read1(n = -1): Promise<Buffer> {
    this.#checkOpen();
    if (this.#size === 0) await this.#fill();
    const first = this.#chunks[this.#first];
    const available = first ? first.length - this.#head : 0;
    return this.#take(n < 0 ? available : Math.min(n, available));
  }

  /**
   * Python's `readline(size)`: the next line, newline included; an empty
   * Buffer at end of stream (the last line may lack its newline).
   * With `size` >= 0, at most `size` bytes (the rest of the line stays).
   * Without it, a line longer than `maxLineLength` throws.
   * @throws LineTooLongError
   */
  readline(size = -1): Promise<Buffer> {
    try {
      this.#checkOpen();
      const line = this.#scanLine(size);
      if (line !== undefined) return Promise.resolve(line);
    } catch (err) {
      return Promise.reject(err);
    }
    if (this.#pendingResolve) {
      // Python's BufferedReader refuses this too ("reentrant call").
      return Promise.reject(
        new Error("readline() called while another readline() on this reader is waiting"),
      );
    }
    if (this.#source.onNextChunk) {
      // The source calls back with the next chunk and the line is resolved
      // from there: one promise per line, state in fields, no closures.
      return new Promise<Buffer>((resolve, reject) => {
        this.#pendingResolve = resolve;
        this.#pendingReject = reject;
        this.#pendingSize = size;
        this.#source.onNextChunk!(this.#onChunk);
      });
    }
    return this.#readlineSlow(size);
  }

  #pendingResolve: ((line: Buffer) => void) | undefined;
  #pendingReject: ((err: unknown) => void) | undefined;
  #pendingSize = -1;

  /** The source's callback for a pending `readline()` (created once per reader). */
  readonly #onChunk = (chunk: Buffer | Error): void => {
    try {
      if (chunk instanceof Error) throw chunk;
      this.#push(chunk);
      const line = this.#scanLine(this.#pendingSize);
      if (line === undefined) {
        this.#source.onNextChunk!(this.#onChunk);
        return;
      }
      const resolve = this.#pendingResolve!;
      this.#pendingResolve = this.#pendingReject = undefined;
      resolve(line);
    } catch (err) {
      const reject = this.#pendingReject!;
      this.#pendingResolve = this.#pendingReject = undefined;
      reject(err);
    }
  };

  async #readlineSlow(size: number): Promise<Buffer> {
    for (;;) {
      const now = this.#source.readChunkNow?.();
      this.#push(now ?? (await this.#source.readChunk()));
      const line = this.#scanLine(size);
      if (line !== undefined) return line;
    }
  }

  /**
   * The next line from what is buffered, without reading: the line, what is
   * left at end of stream, or `undefined` when more bytes are needed.
   * @throws LineTooLongError
   */
  #scanLine(size: number): Buffer | undefined {
    // Fast path: the whole line is in the first chunk.
    const first = this.#chunks[this.#first];
    if (first !== undefined && this.#scanned === 0) {
      const at = first.indexOf(NEWLINE, this.#head);
      if (at >= 0) {
        const length = at - this.#head + 1;
        if ((size < 0 && length <= this.#maxLine) || (size >= 0 && length <= size)) return this.#take(length);
      }
    }
    const cap = size >= 0 ? size : this.#maxLine;
    const at = this.#indexOfByte(NEWLINE, this.#scanned);
    if (at >= 0) {
      const length = at + 1;
      if (length <= cap) return this.#take(length);
      if (size >= 0) return this.#take(size);
      throw new LineTooLongError(this.#maxLine);
    }
    this.#scanned = this.#size;
    if (this.#size >= cap) {
      if (size >= 0) return this.#take(size);
      throw new LineTooLongError(this.#maxLine);
    }
    if (this.#eof) return this.#take(this.#size);
    return undefined;
  }

  /** Python's `readlines(hint)`: lines until the end, or until `hint` bytes have been read. */
  async readlines(hint = -1): Promise<Buffer[]> {
    const lines: Buffer[] = [];
    let total = 0;
    for (;;) {
      const line = await this.readline();
      if (line.length === 0) return lines;
      lines.push(line);
      total += line.length;
      if (hint > 0 && total >= hint) return lines;
    }
  }

  /**
   * asyncio's `readexactly(n)`: exactly `n` bytes.
   * @throws IncompleteReadError (with what was read) when the stream ends first
   */
  async readexactly(n: number): Promise<Buffer> {
    this.#checkOpen();
    if (n < 0) throw new ValueError("readexactly size can not be less than zero");
    while (this.#size < n && (await this.#fill())) {}
    if (this.#size < n) throw new IncompleteReadError(this.#take(this.#size), n);
    return this.#take(n);
  }

  /**
   * asyncio's `readuntil(separator)`: bytes up to and including the separator.
   * @param limit longest result allowed @default maxLineLength
   * @throws IncompleteReadError at end of stream without the separator (with what was read),
   *   LimitOverrunError when the separator is not within `limit` bytes (the bytes stay buffered)
   */
  async readuntil(separator: Uint8Array | string = "\n", limit = this.#maxLine): Promise<Buffer> {
    this.#checkOpen();
    const sep =
      typeof separator === "string"
        ? Buffer.from(separator)
        : Buffer.from(separator.buffer, separator.byteOffset, separator.byteLength);
    if (sep.length === 0) throw new ValueError("Separator should be at least one-byte string");
    for (;;) {
      let at = -1;
      if (sep.length === 1) at = this.#indexOfByte(sep[0]!, this.#scanned);
      else if (this.#size > 0) at = this.#flatten().indexOf(sep, Math.max(0, this.#scanned - sep.length + 1));
      if (at >= 0) {
        this.#scanned = 0;
        if (at + sep.length > limit) {
          throw new LimitOverrunError("Separator is found, but chunk is longer than limit", at);
        }
        return this.#take(at + sep.length);
      }
      this.#scanned = this.#size;
      if (this.#size > limit) {
        this.#scanned = 0;
        throw new LimitOverrunError("Separator is not found, and chunk exceed the limit", this.#size);
      }
      if (!(await this.#fill())) {
        this.#scanned = 0;
        throw new IncompleteReadError(this.#take(this.#size), null);
      }
    }
  }

  /**
   * Python's `peek(n)`: buffered bytes without consuming them (reading one
   * chunk first if nothing is buffered). May return more or fewer than `n`.
   */
  async peek(_n = 1): Promise<Buffer> {
    this.#checkOpen();
    if (this.#size === 0) await this.#fill();
    const first = this.#chunks[this.#first];
    return first ? first.subarray(this.#head) : EMPTY;
  }

  /** Yields lines until the end of the stream (`for await (const line of reader)`). */
  async *[Symbol.asyncIterator](): AsyncIterator<Buffer> {
    for (;;) {
      const line = await this.readline();
      if (line.length === 0) return;
      yield line;
    }
  }
}
