/**
 * The two small contracts the buffered streams are built on. A `Socket`, a
 * Node stream or bytes in memory each implement them, so `BufferedReader` and
 * `BufferedWriter` never know what is underneath (Python's `RawIOBase` role).
 *
 * @module
 */

/** Where a reader gets bytes. */
export interface ByteSource {
  /**
   * Resolves with the next bytes available: at least one byte, or an empty
   * Buffer at end of stream. Rejects with the source's error (a timeout, a
   * reset). The returned Buffer belongs to the caller; the source never
   * writes into it again.
   */
  readChunk(): Promise<Buffer>;
  /**
   * Takes bytes that are already waiting, without waiting: a Buffer of at
   * least one byte, an empty Buffer at end of stream, or `null` when nothing
   * is ready yet. Lets a reader skip a promise when data is already there.
   */
  readChunkNow?(): Buffer | null;
  /**
   * Reads at least one byte into `target` (at most its length) and resolves
   * with how many; 0 at end of stream. With `fill`, it may wait for more
   * until `target` is full (fewer bytes only at the end of the stream).
   * Optional: lets a reader with nothing buffered fill its caller's buffer
   * without a Buffer per read.
   */
  readInto?(target: Uint8Array, fill?: boolean): Promise<number>;
  /**
   * Calls `onChunk` once with the next bytes (as `readChunk` would resolve:
   * at least one byte, or empty at end of stream) or with the error, as soon
   * as they come, possibly before returning. Optional: lets a reader finish a
   * line inside the data event instead of one promise later.
   */
  onNextChunk?(onChunk: (chunk: Buffer | Error) => void): void;
}

/** Where a writer puts bytes. */
export interface ByteSink {
  /**
   * Queues `data` for writing. Resolves once the sink is ready for more
   * (immediately while under its high-water mark, else when it drains);
   * rejects when the sink is broken (`BrokenPipeError`, a timeout).
   * The caller must not change `data` afterwards. `write` may be called
   * again before an earlier write settles; the sink keeps the order of the
   * calls (as Node's streams and sockets do).
   */
  write(data: Buffer): Promise<void>;
  /**
   * Offers `data` without a promise: returns true when the sink took it and
   * wants more; returns false, having taken nothing, when the caller must use
   * `write` instead (the sink is full). Throws when the sink is broken.
   * Optional: the fast path of write-through writers.
   */
  writeNow?(data: Buffer): boolean;
  /**
   * Queues `data` (in call order with `write`) and resolves once the sink
   * holds no reference to it, so the caller may refill the buffer; rejects
   * as `write` does. Optional: lets a file server reuse its read buffers.
   */
  writeDone?(data: Buffer): Promise<void>;
  /** Ends the sink after everything written so far. Optional. */
  end?(): Promise<void>;
}
