/**
 * `BufferedWriter`: Python's `io.BufferedWriter` over any `ByteSink`.
 *
 * With a buffer it gathers small writes into one sink write (copying them,
 * as Python does, so the caller may reuse its bytes); with `bufferSize: 0`
 * every write goes to the sink at once, uncopied (what socketserver's `wfile`
 * does, like Python's unbuffered `_SocketWriter`). Writes reach the sink in
 * call order even when the caller does not await each one (the sink keeps
 * call order, see `ByteSink`), and each write's promise carries the sink's
 * backpressure. The first sink error is kept: it rejects the write that met
 * it and every later write, flush and close.
 *
 * @module
 */

import { asBuffer } from "../_buffer.js";
import { ValueError } from "../errors/index.js";
import type { ByteSink } from "./source.js";

/** Options for `BufferedWriter`. */
export interface BufferedWriterOptions {
  /**
   * Bytes gathered before they go to the sink; 0 writes through.
   * @default 8192 (Python's io.DEFAULT_BUFFER_SIZE)
   */
  bufferSize?: number;
}

const RESOLVED: Promise<void> = Promise.resolve();
const noop = (): void => {};

/**
 * Marks `p` as handled so a caller that fires writes without awaiting them
 * (`w.write(a); w.write(b); await w.flush()`) does not crash the process on
 * a sink error: the error still rejects `p`, and `flush()` reports it.
 */
function handled<T>(p: Promise<T>): Promise<T> {
  p.catch(noop);
  return p;
}

/**
 * Python's `io.BufferedWriter`, async.
 *
 * Methods for the caller: `write`, `writelines`, `flush`, `close`;
 * `buffered` tells how many bytes wait for `flush()`.
 *
 * @example
 * ```ts
 * import { BufferedWriter, BytesSink } from "netkit/io";
 * const sink = new BytesSink();
 * const writer = new BufferedWriter(sink);
 * writer.write(Buffer.from("hello "));
 * writer.write(Buffer.from("world"));
 * await writer.flush();
 * console.log(sink.getvalue().toString()); // "hello world"
 * ```
 */
export class BufferedWriter {
  readonly #sink: ByteSink;
  readonly #bufferSize: number;
  /**
   * Where writes are gathered: bytes `#start` to `#end` wait for the sink.
   * A flush hands that slice over and the next writes go after it, so the
   * sink can keep the slice while the buffer is reused; a new one is made
   * when the rest is too small.
   */
  #buffer: Buffer | undefined;
  #start = 0;
  #end = 0;
  /** The last write handed to the sink: settled means all earlier ones are too. */
  #last: Promise<void> = RESOLVED;
  #failed = false;
  #error: unknown;
  #closed = false;

  /**
   * @param sink where the bytes go
   * @param options the buffer size
   */
  constructor(sink: ByteSink, options: BufferedWriterOptions = {}) {
    const size = options.bufferSize ?? 8192;
    if (!(size >= 0))
      throw new ValueError(`Cannot create BufferedWriter with bufferSize ${size}: must be >= 0`);
    this.#sink = sink;
    this.#bufferSize = size;
  }

  /** True after `close()`. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Bytes gathered and not yet handed to the sink. */
  get buffered(): number {
    return this.#end - this.#start;
  }

  /** Records the first sink error (later writes reject with it) and rethrows. */
  readonly #onSendError = (err: unknown): never => {
    if (!this.#failed) {
      this.#failed = true;
      this.#error = err;
    }
    throw err;
  };

  /** Hands `data` to the sink (which keeps call order): without a promise when it takes it at once. */
  #send(data: Buffer): Promise<void> {
    const sink = this.#sink;
    if (sink.writeNow) {
      try {
        if (sink.writeNow(data)) return RESOLVED;
      } catch (err) {
        return handled(Promise.reject(err).catch(this.#onSendError));
      }
    }
    let sent: Promise<void>;
    try {
      sent = sink.write(data);
    } catch (err) {
      sent = Promise.reject(err);
    }
    const tracked = handled(sent.catch(this.#onSendError));
    this.#last = tracked;
    return tracked;
  }

  /**
   * Python's `write(b)`: resolves with the number of bytes written (all of
   * them) once the sink is ready for more. With a buffer, small writes wait
   * in it until it would overflow or `flush()` is called; a write as large as
   * the buffer goes to the sink after what is buffered. In write-through mode
   * (and for writes that large) `data` goes to the sink as it is: do not
   * change it afterwards.
   * @throws ValueError after `close()`, or the sink's error (e.g. `BrokenPipeError`)
   * @example
   * ```ts
   * const wfile = new BufferedWriter(new BytesSink());
   * await wfile.write(Buffer.from("HTTP/1.0 200 OK\r\n"));
   * ```
   */
  write(data: Uint8Array): Promise<number> {
    if (this.#closed) return handled(Promise.reject(new ValueError("write to closed file")));
    if (this.#failed) return handled(Promise.reject(this.#error));
    const buf = asBuffer(data);
    const n = buf.length;
    if (this.#bufferSize === 0) {
      if (n === 0) return Promise.resolve(0);
      const sent = this.#send(buf);
      return sent === RESOLVED ? Promise.resolve(n) : handled(sent.then(() => n));
    }
    if (this.#end - this.#start + n <= this.#bufferSize) {
      this.#gather(buf);
      return Promise.resolve(n);
    }
    const flushed = this.#flushBuffer();
    if (n >= this.#bufferSize) {
      const sent = this.#send(buf);
      if (flushed === RESOLVED && sent === RESOLVED) return Promise.resolve(n);
      return handled(Promise.all([flushed, sent]).then(() => n));
    }
    this.#gather(buf);
    return flushed === RESOLVED ? Promise.resolve(n) : handled(flushed.then(() => n));
  }

  /** Copies `buf` (which fits) after what is gathered. */
  #gather(buf: Buffer): void {
    if (buf.length === 0) return;
    if (this.#buffer === undefined || this.#buffer.length - this.#end < buf.length) {
      // The rest of this buffer is too small: a new one, taking along what is gathered.
      const fresh = Buffer.allocUnsafe(this.#bufferSize);
      const kept = this.#end - this.#start;
      if (kept > 0) this.#buffer!.copy(fresh, 0, this.#start, this.#end);
      this.#buffer = fresh;
      this.#start = 0;
      this.#end = kept;
    }
    buf.copy(this.#buffer, this.#end);
    this.#end += buf.length;
  }

  /** Hands what is gathered to the sink. */
  #flushBuffer(): Promise<void> {
    if (this.#end === this.#start) return RESOLVED;
    const data = this.#buffer!.subarray(this.#start, this.#end);
    this.#start = this.#end;
    return this.#send(data);
  }

  /**
   * Writes `data` after what is buffered and resolves once neither this
   * writer nor its sink holds a reference to it: the caller may then refill
   * the same buffer (a file server reading chunk after chunk into one
   * buffer allocates nothing per chunk). Not in Python, whose writes copy or
   * block. A sink that cannot tell when it is done with bytes gets a copy.
   * @throws as `write` does; after a rejection `data` may still be in use
   * @example
   * ```ts
   * import { open } from "node:fs/promises";
   * await using fileHandle = await open("package.json");
   * const wfile = new BufferedWriter(new BytesSink());
   * const chunk = Buffer.allocUnsafe(512 * 1024);
   * for (;;) {
   *   const { bytesRead } = await fileHandle.read(chunk, 0, chunk.length);
   *   if (bytesRead === 0) break;
   *   await wfile.writeDone(chunk.subarray(0, bytesRead)); // then chunk may be refilled
   * }
   * ```
   */
  async writeDone(data: Uint8Array): Promise<void> {
    if (this.#closed) throw new ValueError("write to closed file");
    if (this.#failed) throw this.#error;
    const flushed = this.#flushBuffer();
    const sink = this.#sink;
    if (!sink.writeDone) {
      await Promise.all([flushed, this.#send(Buffer.from(data))]);
      return;
    }
    let sent: Promise<void>;
    try {
      sent = sink.writeDone(asBuffer(data));
    } catch (err) {
      sent = Promise.reject(err);
    }
    const tracked = handled(sent.catch(this.#onSendError));
    this.#last = tracked;
    await Promise.all([flushed, tracked]);
  }

  /**
   * Python's `writelines(lines)`: writes each in turn (no separators added).
   * @throws as `write` does
   */
  async writelines(lines: Iterable<Uint8Array>): Promise<void> {
    for (const line of lines) await this.write(line);
  }

  /**
   * Python's `flush()`: hands everything buffered to the sink and resolves
   * when the sink has accepted all writes so far.
   * @throws ValueError after `close()` (`flush of closed file`), or the sink's first error
   */
  async flush(): Promise<void> {
    if (this.#closed) throw new ValueError("flush of closed file");
    if (this.#failed) throw this.#error;
    await this.#flushBuffer();
    await this.#last.catch(noop);
    if (this.#failed) throw this.#error;
  }

  /**
   * Python's `close()`: flushes, then ends the sink (if it can end), even
   * when the flush failed (then the flush's error is thrown). Closing twice
   * is harmless.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    let failure: { err: unknown } | undefined;
    try {
      await this.flush();
    } catch (err) {
      failure = { err };
    }
    this.#closed = true;
    this.#buffer = undefined;
    try {
      await this.#sink.end?.();
    } catch (err) {
      failure ??= { err };
    }
    if (failure) throw failure.err;
  }

  /** `await using writer = ...` closes it. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
