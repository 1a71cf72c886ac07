/**
 * `BufferedWriter`: Python's `io.BufferedWriter` over any `ByteSink`. With a
 * buffer it gathers small writes into one; with `bufferSize: 0` every write
 * goes to the sink at once (what socketserver's `wfile` does, like Python's
 * unbuffered `_SocketWriter`). Writes reach the sink in call order even when
 * the caller does not await each one (the sink keeps call order, see
 * `ByteSink`), and each write's promise carries the sink's backpressure.
 *
 * @module
 */
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

function asBuffer(data: Uint8Array): Buffer {
  return Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

/**
 * Python's `io.BufferedWriter`, async.
 *
 * @example
 * ```ts
 * import { BufferedWriter, BytesSink } from "netkit/io";
 * const sink = new BytesSink();
 * const writer = new BufferedWriter(sink);
 * await writer.write(Buffer.from("hello "));
 * await writer.write(Buffer.from("world"));
 * await writer.flush();
 * console.log(sink.getvalue().toString()); // "hello world"
 * ```
 */
export class BufferedWriter {
  readonly #sink: ByteSink;
  readonly #bufferSize: number;
  /** Gathered writes; created on first use (write-through writers never need it). */
  #pending: Buffer[] | undefined;
  #pendingSize = 0;
  /** The last write handed to the sink: settled means all earlier ones are too. */
  #last: Promise<void> = Promise.resolve();
  #error: unknown;
  #closed = false;

  constructor(sink: ByteSink, options: BufferedWriterOptions = {}) {
    this.#sink = sink;
    this.#bufferSize = Math.max(0, options.bufferSize ?? 8192);
  }

  /** True after `close()`. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Bytes gathered and not yet handed to the sink. */
  get buffered(): number {
    return this.#pendingSize;
  }

  /** Hands `data` to the sink (which keeps call order), recording the first failure. */
  #send(data: Buffer): Promise<void> {
    if (this.#error !== undefined) return Promise.reject(this.#error);
    let sent: Promise<void>;
    try {
      sent = this.#sink.write(data);
    } catch (err) {
      sent = Promise.reject(err);
    }
    const tracked = sent.catch((err: unknown) => {
      this.#error ??= err;
      throw err;
    });
    this.#last = tracked;
    return tracked;
  }

  /**
   * Python's `write(b)`: resolves with the number of bytes written, once the
   * sink is ready for more. Bytes may wait in the buffer until `flush()`.
   * The caller must not change `data` until it is flushed.
   * @throws ValueError after `close()`, or the sink's error (e.g. `BrokenPipeError`)
   */
  write(data: Uint8Array): Promise<number> {
    if (this.#closed) return Promise.reject(new ValueError("write to closed file"));
    if (this.#error !== undefined) return Promise.reject(this.#error);
    const buf = asBuffer(data);
    if (this.#bufferSize === 0) {
      if (this.#sink.writeNow) {
        try {
          if (this.#sink.writeNow(buf)) return Promise.resolve(buf.length);
        } catch (err) {
          this.#error ??= err;
          return Promise.reject(err);
        }
      }
      return this.#send(buf).then(() => buf.length);
    }
    return this.#writeBuffered(buf);
  }

  async #writeBuffered(buf: Buffer): Promise<number> {
    if (this.#pendingSize + buf.length > this.#bufferSize) {
      const flushed = this.#flushPending();
      if (buf.length >= this.#bufferSize) {
        await Promise.all([flushed, this.#send(buf)]);
        return buf.length;
      }
      (this.#pending ??= []).push(buf);
      this.#pendingSize += buf.length;
      await flushed;
      return buf.length;
    }
    (this.#pending ??= []).push(buf);
    this.#pendingSize += buf.length;
    return buf.length;
  }

  #flushPending(): Promise<void> {
    const pending = this.#pending;
    if (this.#pendingSize === 0 || !pending) return Promise.resolve();
    const data = pending.length === 1 ? pending[0]! : Buffer.concat(pending, this.#pendingSize);
    this.#pending = undefined;
    this.#pendingSize = 0;
    return this.#send(data);
  }

  /**
   * Python's `flush()`: hands everything buffered to the sink and resolves
   * when the sink has accepted all writes so far.
   */
  async flush(): Promise<void> {
    if (this.#closed) throw new ValueError("flush of closed file");
    await this.#flushPending();
    await this.#last.catch(() => {});
    if (this.#error !== undefined) throw this.#error;
  }

  /** Python's `close()`: flushes, then ends the sink (if it can end). Closing twice is harmless. */
  async close(): Promise<void> {
    if (this.#closed) return;
    try {
      await this.flush();
    } finally {
      this.#closed = true;
    }
    await this.#sink.end?.();
  }
}
