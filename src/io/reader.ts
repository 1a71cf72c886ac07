/**
 * `BufferedReader`: Python's `io.BufferedReader` over any `ByteSource` (a
 * socket, a Node stream, bytes in memory), plus asyncio's `readexactly` and
 * `readuntil`. It is the `rfile` of every netkit protocol, so it is a hot
 * path and is written for it:
 *
 * - Bytes are kept as the chunks the source delivered (a list with a head
 *   offset), never copied to be searched. A line inside one chunk comes back
 *   as a view of it (`subarray`, no copy: sources never reuse a chunk, see
 *   `ByteSource`); only a line that spans chunks is joined.
 * - Separators are found with `Buffer.indexOf` on each chunk. When a search
 *   fails, where it stopped is remembered, so the next search (after one more
 *   chunk) starts there: no byte is searched twice, whatever the chunking. A
 *   multi-byte separator that straddles chunks is found in a small window
 *   around each chunk boundary.
 * - When the source already has bytes (`readChunkNow`), or can call back
 *   inside its data event (`onNextChunk`), a line costs one promise at most.
 * - Lines are bounded: past `maxLineLength` without a newline, `readline()`
 *   throws `LineTooLongError`; the reader never holds more than the limit
 *   plus one chunk for it.
 *
 * One read at a time: a read started while another waits for the source is
 * refused (Python's buffered objects refuse reentrant calls too; asyncio's
 * StreamReader refuses a second waiter).
 *
 * @module
 */

import { LF } from "../_ascii.js";
import { asBuffer } from "../_buffer.js";
import { toError, ValueError, withCode } from "../errors/index.js";
import { IncompleteReadError, LimitOverrunError, LineTooLongError } from "./errors.js";
import type { ByteSource } from "./source.js";

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

/** A separator the scan state can belong to: one byte, or several. */
type Separator = number | Buffer;

function sameSeparator(a: Separator | undefined, b: Separator): boolean {
  if (typeof b === "number") return a === b;
  return a !== undefined && typeof a !== "number" && a.equals(b);
}

/**
 * Python's `io.BufferedReader`, async, with asyncio's `readexactly` and
 * `readuntil`.
 *
 * Methods for the caller: `read`, `read1`, `readline`, `readlines`,
 * `readexactly`, `readuntil`, `peek`, `close`, and `for await` over lines.
 * `buffered` tells how many bytes are held (for pipelining decisions).
 *
 * Differences from Python: every read is async; `readline()` without a size
 * is bounded by `maxLineLength` (Python's is unbounded; http.client bounds it
 * by hand); a closed reader says `I/O operation on closed file.` for every
 * call.
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
  /** Chunks held; `#chunks[#first]` is the oldest, read from `#head`. */
  #chunks: Buffer[] = [];
  #first = 0;
  #head = 0;
  /** Bytes held, over all chunks. */
  #size = 0;
  /**
   * Where the last failed search stopped: it searched for `#scanSep` in every
   * chunk before `#scanIdx` (an index into `#chunks`), which starts
   * `#scanBase` bytes from the front. `undefined` when nothing is known;
   * consuming bytes forgets it.
   */
  #scanSep: Separator | undefined;
  #scanIdx = 0;
  #scanBase = 0;
  #eof = false;
  #closed = false;
  /** True while a read waits for the source. */
  #waiting = false;

  /**
   * @param source where the bytes come from
   * @param options the line limit
   */
  constructor(source: ByteSource, options: BufferedReaderOptions = {}) {
    const max = options.maxLineLength ?? 65536;
    if (!(max >= 1))
      throw new ValueError(`Cannot create BufferedReader with maxLineLength ${max}: must be at least 1`);
    this.#source = source;
    this.#maxLine = max;
  }

  /** Bytes held: read from the source but not yet returned. */
  get buffered(): number {
    return this.#size;
  }

  /** The line limit in force (`maxLineLength`). */
  get maxLineLength(): number {
    return this.#maxLine;
  }

  /** True after `close()`. */
  get closed(): boolean {
    return this.#closed;
  }

  /** True once the source has reported end of stream (bytes may still be buffered). */
  get eof(): boolean {
    return this.#eof;
  }

  /**
   * Python's `close()`: drops what is buffered; later reads throw
   * `ValueError`. Does not close the source (as `makefile()`'s files leave
   * the socket open). Closing twice is harmless.
   */
  close(): void {
    this.#closed = true;
    this.#chunks = [];
    this.#first = 0;
    this.#head = 0;
    this.#size = 0;
    this.#scanSep = undefined;
  }

  /** `await using reader = ...` closes it. */
  async [Symbol.asyncDispose](): Promise<void> {
    this.close();
  }

  /** Throws when a read cannot start: closed, or another read is waiting. */
  #check(method: string): void {
    if (this.#closed) throw new ValueError("I/O operation on closed file.");
    if (this.#waiting) {
      throw withCode(
        new Error(`Cannot start ${method}(): another read on this reader is waiting for data`),
        "ERR_READ_IN_PROGRESS",
      );
    }
  }

  // ---- the buffer --------------------------------------------------------

  /**
   * Reads one more chunk from the source; false at end of stream. Answers
   * without a promise when the source already has bytes (the hot path).
   */
  #fill(): boolean | Promise<boolean> {
    if (this.#eof) return false;
    const now = this.#source.readChunkNow?.();
    if (now !== undefined && now !== null) return this.#push(now);
    let next: Promise<Buffer>;
    try {
      next = this.#source.readChunk();
    } catch (err) {
      // A source that throws instead of rejecting: the same to the caller.
      return Promise.reject(err);
    }
    this.#waiting = true;
    return next.then(this.#pushBound, this.#failBound);
  }

  /**
   * Reads what the source has ready (no waiting) until `want` bytes are
   * buffered. True when the caller can finish now (enough bytes, or end of
   * stream); false when it must wait for the source.
   */
  #fillNow(want: number): boolean {
    while (this.#size < want && !this.#eof) {
      const now = this.#source.readChunkNow?.();
      if (now === undefined || now === null) return false;
      this.#push(now);
    }
    return true;
  }

  readonly #pushBound = (chunk: Buffer): boolean => this.#push(chunk);
  readonly #failBound = (err: unknown): never => {
    this.#waiting = false;
    throw err;
  };

  /** Adds a chunk from the source; false (and EOF noted) for an empty one. */
  #push(chunk: Buffer): boolean {
    this.#waiting = false;
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
    this.#scanSep = undefined;
    if (n === 0) return EMPTY;
    const chunk = this.#chunks[this.#first]!;
    const head = this.#head;
    if (n < chunk.length - head) {
      this.#head = head + n;
      this.#size -= n;
      return chunk.subarray(head, head + n);
    }
    if (n === chunk.length - head) {
      this.#dropFirst();
      this.#size -= n;
      return head === 0 ? chunk : chunk.subarray(head);
    }
    const out = Buffer.allocUnsafe(n);
    let filled = 0;
    while (filled < n) {
      const c = this.#chunks[this.#first]!;
      const h = this.#head;
      const count = Math.min(n - filled, c.length - h);
      c.copy(out, filled, h, h + count);
      filled += count;
      if (h + count === c.length) this.#dropFirst();
      else this.#head = h + count;
    }
    this.#size -= n;
    return out;
  }

  /** Forgets the first chunk (all read), compacting the list now and then. */
  #dropFirst(): void {
    this.#head = 0;
    const next = this.#first + 1;
    if (next === this.#chunks.length) {
      this.#chunks = [];
      this.#first = 0;
    } else if (next >= 64 && next * 2 >= this.#chunks.length) {
      this.#chunks = this.#chunks.slice(next);
      this.#first = 0;
    } else {
      this.#chunks[this.#first] = EMPTY;
      this.#first = next;
    }
  }

  /** The buffered bytes as one chunk (joining them once), so `peek` can show them all. */
  #flatten(): Buffer {
    const first = this.#chunks[this.#first]!;
    if (this.#chunks.length - this.#first === 1) return first.subarray(this.#head);
    const all = this.#take(this.#size);
    this.#chunks = [all];
    this.#first = 0;
    this.#head = 0;
    this.#size = all.length;
    return all;
  }

  /**
   * Position (from the front) of the first `sep` in the buffered bytes, or -1.
   * Resumes where the last failed search for the same separator stopped.
   */
  #search(sep: Separator): number {
    const chunks = this.#chunks;
    const width = typeof sep === "number" ? 1 : sep.length;
    let idx = this.#first;
    let base = 0;
    if (sameSeparator(this.#scanSep, sep)) {
      idx = this.#scanIdx;
      base = this.#scanBase;
    }
    for (; idx < chunks.length; idx++) {
      const chunk = chunks[idx]!;
      const start = idx === this.#first ? this.#head : 0;
      if (width > 1 && idx > this.#first) {
        const at = this.#searchBoundary(sep as Buffer, idx, base);
        if (at >= 0) return at;
      }
      const at = chunk.indexOf(sep, start);
      if (at >= 0) return base + at - start;
      base += chunk.length - start;
    }
    this.#scanSep = sep;
    this.#scanIdx = idx;
    this.#scanBase = base;
    return -1;
  }

  /**
   * A match of `sep` that straddles the start of chunk `idx` (at `base` from
   * the front), or -1. Looks at up to `sep.length - 1` bytes each side, which
   * may come from several small chunks. Every straddling match lies in the
   * window of the last boundary it crosses, so checking each boundary once,
   * in order, finds the first match.
   */
  #searchBoundary(sep: Buffer, idx: number, base: number): number {
    const reach = sep.length - 1;
    const chunks = this.#chunks;
    const window = Buffer.allocUnsafe(2 * reach);
    // Left side: walk back from chunk idx - 1.
    let left = 0;
    for (let i = idx - 1; i >= this.#first && left < reach; i--) {
      const c = chunks[i]!;
      const start = i === this.#first ? this.#head : 0;
      const count = Math.min(reach - left, c.length - start);
      c.copy(window, reach - left - count, c.length - count, c.length);
      left += count;
    }
    // Right side: walk forward from chunk idx.
    let right = 0;
    for (let i = idx; i < chunks.length && right < reach; i++) {
      const c = chunks[i]!;
      const count = Math.min(reach - right, c.length);
      c.copy(window, reach + right, 0, count);
      right += count;
    }
    const at = window.subarray(reach - left, reach + right).indexOf(sep);
    return at < 0 ? -1 : base - left + at;
  }

  // ---- reading -----------------------------------------------------------

  /**
   * Python's `read(n)`: exactly `n` bytes unless the stream ends first (then
   * fewer, possibly none); with no argument or -1, everything up to the end.
   * @param n how many bytes; -1 for all @default -1
   * @returns the bytes; empty at end of stream
   * @throws ValueError for `n` below -1, or when the reader is closed
   * @example
   * ```ts
   * const reader = new BufferedReader(new BytesSource("GIF89a..."));
   * const header = await reader.read(4);
   * ```
   */
  read(n = -1): Promise<Buffer> {
    try {
      this.#check("read");
      if (n < -1) throw new ValueError("read length must be non-negative or -1");
      const want = n === -1 ? Number.POSITIVE_INFINITY : n;
      if (this.#fillNow(want)) return Promise.resolve(this.#take(Math.min(want, this.#size)));
      return this.#readSlow(want);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  async #readSlow(want: number): Promise<Buffer> {
    while (this.#size < want && (await this.#fill())) {}
    return this.#take(Math.min(want, this.#size));
  }

  /**
   * Python's `read1(n)`: at most one read from the source. Returns buffered
   * bytes when there are any (at most `n`), else waits for one chunk and
   * returns at most `n` bytes of it (the rest stays buffered).
   * @param n most bytes to return; -1 for whatever one read gives @default -1
   * @returns the bytes; empty at end of stream (or for `n` = 0)
   * @example
   * ```ts
   * const reader = new BufferedReader(new BytesSource(["ab", "cd"]));
   * const out = new BytesSink();
   * for (let b = await reader.read1(); b.length > 0; b = await reader.read1()) out.write(b);
   * ```
   */
  async read1(n = -1): Promise<Buffer> {
    this.#check("read1");
    if (n === 0) return EMPTY;
    if (this.#size === 0 && !(await this.#fill())) return EMPTY;
    return this.#take(n < 0 ? this.#size : Math.min(n, this.#size));
  }

  /**
   * Python's `readinto(b)`: fills `target` from the stream, buffered bytes
   * first, and resolves with how many bytes it got: `target.length` unless
   * the stream ended first. When nothing is buffered, a source that can
   * (a socket) writes straight into `target`: no Buffer per read.
   * @returns the number of bytes written into `target`; 0 at end of stream
   * @example
   * ```ts
   * const reader = new BufferedReader(new BytesSource("some bytes"));
   * const out = new BufferedWriter(new BytesSink());
   * const block = Buffer.allocUnsafe(1 << 20);
   * for (let n = await reader.readinto(block); n > 0; n = await reader.readinto(block)) await out.write(block.subarray(0, n));
   * ```
   */
  async readinto(target: Uint8Array): Promise<number> {
    this.#check("readinto");
    let filled = this.#copyBuffered(target, 0);
    while (filled < target.length && !this.#eof) {
      if (!this.#source.readInto) {
        if (!(await this.#fill())) break;
        filled = this.#copyBuffered(target, filled);
        continue;
      }
      this.#waiting = true;
      let n: number;
      try {
        n = await this.#source.readInto(target.subarray(filled), true);
      } finally {
        this.#waiting = false;
      }
      if (this.#closed) throw new ValueError("I/O operation on closed file.");
      if (n === 0) this.#eof = true;
      filled += n;
    }
    return filled;
  }

  /** Moves buffered bytes into `target` from `offset` on; returns the new fill. */
  #copyBuffered(target: Uint8Array, offset: number): number {
    let filled = offset;
    while (filled < target.length && this.#size > 0) {
      const chunk = this.#chunks[this.#first]!;
      const piece = this.#take(Math.min(target.length - filled, chunk.length - this.#head));
      target.set(piece, filled);
      filled += piece.length;
    }
    return filled;
  }

  /**
   * Python's `readline(size)`: the next line, newline included; an empty
   * Buffer at end of stream (the last line may lack its newline).
   *
   * With `size` >= 0, at most `size` bytes (the rest of the line stays, as in
   * Python; no error). Without it, a line longer than `maxLineLength` bytes
   * throws; the bytes stay buffered.
   * @param size most bytes to return; -1 for a whole line @default -1
   * @throws LineTooLongError (`code` `"ERR_LINE_TOO_LONG"`) for an over-long line
   * @example
   * ```ts
   * const rfile = new BufferedReader(new BytesSource("GET / HTTP/1.1\r\nHost: a\r\n\r\n"));
   * const requestLine = await rfile.readline(); // <Buffer "GET / HTTP/1.1\r\n">
   * ```
   */
  readline(size = -1): Promise<Buffer> {
    let line: Buffer | undefined;
    try {
      this.#check("readline");
      line = this.#scanLine(size);
    } catch (err) {
      return Promise.reject(err);
    }
    if (line !== undefined) return Promise.resolve(line);
    if (this.#source.onNextChunk) {
      // The source calls back with the next chunk and the line is finished
      // from there: one promise per line, state in fields, no closures.
      return new Promise<Buffer>((resolve, reject) => {
        this.#pendingResolve = resolve;
        this.#pendingReject = reject;
        this.#pendingSize = size;
        const now = this.#waitNext();
        if (now !== undefined) this.#onChunk(now);
      });
    }
    return this.#readlineSlow(size);
  }

  /**
   * `readline(size)` without waiting: the line when it can be finished from
   * what is buffered and what the source already holds (`readChunkNow`),
   * else `undefined` and nothing is consumed (call `readline` to wait). A
   * loop over lines that are already there (a multi-line response that came
   * in one read) then costs no promise per line.
   * @param size as for `readline` @default -1
   * @returns the line (as `readline` would resolve with it), or `undefined`
   * @throws LineTooLongError as `readline`; ValueError when closed, or while
   *   another read waits
   */
  readlineNow(size = -1): Buffer | undefined {
    this.#check("readline");
    for (;;) {
      const line = this.#scanLine(size);
      if (line !== undefined) return line;
      const now = this.#source.readChunkNow?.();
      if (now === undefined || now === null) return undefined;
      this.#push(now);
    }
  }

  #pendingResolve: ((line: Buffer) => void) | undefined;
  #pendingReject: ((err: unknown) => void) | undefined;
  #pendingSize = -1;

  /** True while `onNextChunk` is being called: a chunk given back at once is stashed, not recursed on. */
  #registering = false;
  #stash: Buffer | Error | undefined;

  /**
   * Asks the source for the next chunk for the waiting `readline()`. A
   * source may answer before returning; then the caller's loop goes on with
   * the stashed chunk instead of nesting one call per chunk.
   */
  #waitNext(): Buffer | Error | undefined {
    this.#waiting = true;
    this.#stash = undefined;
    this.#registering = true;
    try {
      this.#source.onNextChunk!(this.#onChunk);
    } catch (err) {
      // A source that throws instead of calling back: the same to the caller.
      this.#stash = toError(err);
    } finally {
      this.#registering = false;
    }
    const stashed = this.#stash;
    this.#stash = undefined;
    return stashed;
  }

  /** The source's callback for a waiting `readline()` (made once per reader). */
  readonly #onChunk = (chunk: Buffer | Error): void => {
    if (this.#registering) {
      this.#stash = chunk;
      return;
    }
    let line: Buffer | undefined;
    try {
      let next: Buffer | Error | null | undefined = chunk;
      for (;;) {
        if (next instanceof Error) {
          this.#waiting = false;
          throw next;
        }
        this.#push(next);
        line = this.#scanLine(this.#pendingSize);
        if (line !== undefined) break;
        // A source may have more already: take it without a callback.
        next = this.#source.readChunkNow?.();
        if (next === undefined || next === null) {
          next = this.#waitNext();
          if (next === undefined) return;
        }
      }
    } catch (err) {
      const reject = this.#pendingReject!;
      this.#pendingResolve = this.#pendingReject = undefined;
      reject(err);
      return;
    }
    const resolve = this.#pendingResolve!;
    this.#pendingResolve = this.#pendingReject = undefined;
    resolve(line);
  };

  async #readlineSlow(size: number): Promise<Buffer> {
    for (;;) {
      await this.#fill();
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
    // Fast path: the whole line is in the first chunk, which was not searched yet.
    if (this.#scanSep !== LF && this.#size > 0) {
      const first = this.#chunks[this.#first]!;
      const at = first.indexOf(LF, this.#head);
      if (at >= 0) {
        const length = at - this.#head + 1;
        if (size < 0 ? length <= this.#maxLine : length <= size) return this.#take(length);
      }
    }
    const at = this.#search(LF);
    if (size >= 0) {
      if (at >= 0 && at < size) return this.#take(at + 1);
      if (this.#size >= size) return this.#take(size);
    } else if (at >= 0) {
      if (at < this.#maxLine) return this.#take(at + 1);
      throw new LineTooLongError(this.#maxLine);
    } else if (this.#size > this.#maxLine) {
      // A line of exactly maxLineLength bytes may still end at EOF, so only
      // one byte more is proof; memory stays under the limit plus one chunk.
      throw new LineTooLongError(this.#maxLine);
    }
    if (this.#eof) return this.#take(this.#size);
    return undefined;
  }

  /**
   * Python's `readlines(hint)`: lines until the end, or until the lines read
   * add up to more than `hint` bytes.
   * @param hint stop after this many bytes; 0 or less for no limit @default -1
   * @throws LineTooLongError as `readline()` does
   */
  async readlines(hint = -1): Promise<Buffer[]> {
    const lines: Buffer[] = [];
    let total = 0;
    for (;;) {
      const line = await this.readline();
      if (line.length === 0) return lines;
      lines.push(line);
      total += line.length;
      // Python stops once the total exceeds the hint (not when it reaches it).
      if (hint > 0 && total > hint) return lines;
    }
  }

  /**
   * asyncio's `StreamReader.readexactly(n)`: exactly `n` bytes.
   * @throws IncompleteReadError (an `EOFError`, with `partial` and `expected`)
   *   when the stream ends first; what was read is in `partial` and is consumed
   * @throws ValueError for a negative `n`
   * @example
   * ```ts
   * const rfile = new BufferedReader(new BytesSource("hello"));
   * const contentLength = 5;
   * const body = await rfile.readexactly(contentLength);
   * ```
   */
  readexactly(n: number): Promise<Buffer> {
    try {
      this.#check("readexactly");
      if (n < 0) throw new ValueError("readexactly size can not be less than zero");
      if (this.#fillNow(n)) return Promise.resolve(this.#exactly(n));
      return this.#readexactlySlow(n);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  async #readexactlySlow(n: number): Promise<Buffer> {
    while (this.#size < n && (await this.#fill())) {}
    return this.#exactly(n);
  }

  #exactly(n: number): Buffer {
    if (this.#size < n) throw new IncompleteReadError(this.#take(this.#size), n);
    return this.#take(n);
  }

  /**
   * asyncio's `StreamReader.readuntil(separator)`: bytes up to and including
   * the separator, which may be several bytes and may straddle chunks.
   *
   * The limit counts the bytes before the separator, as asyncio's does: up to
   * `limit` bytes and then the separator are accepted.
   * @param separator what ends the result; a string is UTF-8 encoded @default "\n"
   * @param limit most bytes before the separator @default maxLineLength
   * @throws IncompleteReadError at end of stream without the separator
   *   (`partial` holds the rest of the stream, `expected` is `null`)
   * @throws LimitOverrunError (`code` `"ERR_LIMIT_OVERRUN"`) when the
   *   separator is not within `limit` bytes; the bytes stay buffered and
   *   `consumed` says how many may be dropped
   * @throws ValueError for an empty separator
   * @example
   * ```ts
   * const rfile = new BufferedReader(new BytesSource("GET / HTTP/1.1\r\nHost: a\r\n\r\nbody"));
   * const head = await rfile.readuntil("\r\n\r\n");
   * ```
   */
  readuntil(separator: Uint8Array | string = "\n", limit: number = this.#maxLine): Promise<Buffer> {
    let sep: Separator;
    let width: number;
    try {
      this.#check("readuntil");
      if (typeof separator === "string" && separator.length === 1 && separator.charCodeAt(0) < 0x80) {
        // The common case ("\n", ";"): one byte, no Buffer made.
        sep = separator.charCodeAt(0);
        width = 1;
      } else {
        const bytes = asBuffer(separator);
        width = bytes.length;
        if (width === 0) throw new ValueError("Separator should be at least one-byte string");
        // Copied: the scan state keeps it, and the caller may change theirs.
        sep = width === 1 ? bytes[0]! : Buffer.from(bytes);
      }
      for (;;) {
        const result = this.#until(sep, width, limit);
        if (result !== undefined) return Promise.resolve(result);
        const now = this.#source.readChunkNow?.();
        if (now === undefined || now === null) break;
        this.#push(now);
      }
    } catch (err) {
      return Promise.reject(err);
    }
    return this.#readuntilSlow(sep, width, limit);
  }

  async #readuntilSlow(sep: Separator, width: number, limit: number): Promise<Buffer> {
    for (;;) {
      await this.#fill();
      const result = this.#until(sep, width, limit);
      if (result !== undefined) return result;
    }
  }

  /**
   * One step of `readuntil` on what is buffered: the result, or `undefined`
   * when more bytes are needed.
   * @throws LimitOverrunError, IncompleteReadError (at end of stream)
   */
  #until(sep: Separator, width: number, limit: number): Buffer | undefined {
    const at = this.#search(sep);
    if (at >= 0) {
      if (at > limit) throw new LimitOverrunError("Separator is found, but chunk is longer than limit", at);
      return this.#take(at + width);
    }
    const offset = this.#size + 1 - width;
    if (offset > limit)
      throw new LimitOverrunError("Separator is not found, and chunk exceed the limit", offset);
    if (this.#eof) throw new IncompleteReadError(this.#take(this.#size), null);
    return undefined;
  }

  /**
   * Python's `peek(n)`: buffered bytes without consuming them, reading one
   * chunk first only if nothing is buffered. Returns at least
   * `min(n, buffered)` bytes, possibly more (the first chunk, or everything
   * buffered), and an empty Buffer at end of stream.
   * @param n bytes wanted at least, when buffered @default 1
   * @example
   * ```ts
   * const rfile = new BufferedReader(new BytesSource(Buffer.from([0x16, 3, 1])));
   * const isTLS = (await rfile.peek(1))[0] === 0x16;
   * ```
   */
  async peek(n = 1): Promise<Buffer> {
    this.#check("peek");
    if (this.#size === 0 && !(await this.#fill())) return EMPTY;
    const first = this.#chunks[this.#first]!;
    if (first.length - this.#head >= n) return first.subarray(this.#head);
    return this.#flatten();
  }

  /**
   * Lines until end of stream (`for await (const line of reader)`), each as
   * `readline()` returns it. Leaving the loop early leaves the reader open.
   */
  [Symbol.asyncIterator](): AsyncIterator<Buffer> {
    const done: IteratorResult<Buffer> = { done: true, value: undefined };
    const step = (line: Buffer): IteratorResult<Buffer> =>
      line.length > 0 ? { done: false, value: line } : done;
    return {
      next: () => {
        // A line already buffered resolves without chaining a second promise.
        let line: Buffer | undefined;
        try {
          this.#check("readline");
          line = this.#scanLine(-1);
        } catch (err) {
          return Promise.reject(err);
        }
        return line !== undefined ? Promise.resolve(step(line)) : this.readline().then(step);
      },
      return: () => Promise.resolve(done),
    };
  }
}
