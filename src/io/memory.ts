/**
 * Sources and sinks that are not sockets: bytes in memory (Python's
 * `io.BytesIO`, one class for each direction) and adapters over Node
 * streams, so a `BufferedReader` can read a child process's stdout or a file
 * with the same code that reads a socket, and parsers can be tested on bytes
 * cut into any chunks.
 *
 * @module
 */
import { finished, Readable, type Writable } from "node:stream";
import { asBuffer } from "../_buffer.js";
import { BrokenPipeError, EPIPE, toError, ValueError, withCode } from "../errors/index.js";
import type { ByteSink, ByteSource } from "./source.js";

const EMPTY = Buffer.alloc(0);

/**
 * Bytes in memory as a `ByteSource` (the reading half of Python's
 * `io.BytesIO`): one Buffer or string (UTF-8), cut into chunks, or a list of
 * chunks delivered as they are (empty ones skipped, since an empty chunk
 * means end of stream). Chunks are views of the input, not copies.
 *
 * @example
 * ```ts
 * import { BufferedReader, BytesSource } from "netkit/io";
 * // "ab", "c\n", "de": a line that straddles two chunks
 * const reader = new BufferedReader(new BytesSource("abc\nde", 2));
 * await reader.readline(); // <Buffer "abc\n">
 * ```
 */
export class BytesSource implements ByteSource {
  readonly #chunks: Buffer[] = [];
  #index = 0;

  /**
   * @param data the bytes, or the chunks to deliver one by one
   * @param chunking cut each piece of `data` into chunks of this size, or of
   *   these sizes in turn (repeating the list) @default whole pieces
   */
  constructor(
    data: Uint8Array | string | ReadonlyArray<Uint8Array | string>,
    chunking?: number | readonly number[],
  ) {
    const pieces =
      typeof data === "string" || data instanceof Uint8Array ? [asBuffer(data)] : data.map(asBuffer);
    const sizes = chunking === undefined ? [] : typeof chunking === "number" ? [chunking] : chunking;
    if (sizes.some((s) => !(s >= 1))) {
      throw new ValueError(`Cannot cut bytes into chunks of ${JSON.stringify(chunking)}: sizes must be >= 1`);
    }
    let k = 0;
    for (const piece of pieces) {
      if (sizes.length === 0) {
        if (piece.length > 0) this.#chunks.push(piece);
        continue;
      }
      for (let i = 0; i < piece.length; k++) {
        const size = sizes[k % sizes.length]!;
        this.#chunks.push(piece.subarray(i, i + size));
        i += size;
      }
    }
  }

  /** Chunks not yet delivered. */
  get remaining(): number {
    return this.#chunks.length - this.#index;
  }

  /** The next chunk, or an empty Buffer at the end (never `null`: memory is always ready). */
  readChunkNow(): Buffer {
    return this.#chunks[this.#index++] ?? EMPTY;
  }

  /** The next chunk, or an empty Buffer at the end. */
  readChunk(): Promise<Buffer> {
    return Promise.resolve(this.readChunkNow());
  }
}

/**
 * A `ByteSink` that keeps what is written (the writing half of Python's
 * `io.BytesIO`): `getvalue()` returns it all. Each write is copied.
 *
 * @example
 * ```ts
 * const sink = new BytesSink();
 * const w = new BufferedWriter(sink, { bufferSize: 0 });
 * await w.write(Buffer.from("220 ready\r\n"));
 * sink.getvalue().toString(); // "220 ready\r\n"
 * ```
 */
export class BytesSink implements ByteSink {
  #parts: Buffer[] = [];
  #ended = false;

  /** Takes a copy of `data`; always wants more. @throws ValueError after `end()` */
  writeNow(data: Buffer): boolean {
    if (this.#ended) throw new ValueError("write to closed file");
    if (data.length > 0) this.#parts.push(Buffer.from(data));
    return true;
  }

  /** Takes a copy of `data`. Rejects with ValueError after `end()`. */
  write(data: Buffer): Promise<void> {
    try {
      this.writeNow(data);
      return Promise.resolve();
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** Ends the sink; later writes fail. */
  end(): Promise<void> {
    this.#ended = true;
    return Promise.resolve();
  }

  /** True after `end()`. */
  get ended(): boolean {
    return this.#ended;
  }

  /** Python's `getvalue()`: everything written so far. */
  getvalue(): Buffer {
    if (this.#parts.length > 1) this.#parts = [Buffer.concat(this.#parts)];
    return this.#parts[0] ?? EMPTY;
  }
}

/** `readableSource`'s implementation: reads in paused mode, one waiting read at a time. */
class ReadableSource implements ByteSource {
  readonly #stream: Readable;
  #ended = false;
  #error: Error | undefined;
  #waiter: ((chunk: Buffer | Error) => void) | undefined;

  constructor(stream: Readable) {
    this.#stream = stream;
    if (stream.errored) this.#error = toError(stream.errored);
    if (stream.readableEnded || stream.destroyed) this.#ended = true;
    // A 'readable' listener keeps the stream paused: it buffers up to its
    // high-water mark and then stops pulling from its own source.
    stream.on("readable", this.#wake);
    stream.on("end", this.#onEnd);
    // Destroyed without an error (a closed pipe): the end, like 'end'.
    stream.on("close", this.#onEnd);
    stream.on("error", this.#onError);
  }

  readonly #onEnd = (): void => {
    this.#ended = true;
    this.#wake();
  };

  readonly #onError = (err: unknown): void => {
    this.#error ??= toError(err);
    this.#wake();
  };

  readonly #wake = (): void => {
    const waiter = this.#waiter;
    if (waiter === undefined) return;
    let chunk: Buffer | null;
    try {
      chunk = this.readChunkNow();
    } catch (err) {
      this.#waiter = undefined;
      waiter(toError(err));
      return;
    }
    if (chunk === null) return;
    this.#waiter = undefined;
    waiter(chunk);
  };

  readChunkNow(): Buffer | null {
    if (this.#error !== undefined) throw this.#error;
    const chunk: unknown = this.#stream.read();
    if (chunk !== null) return asBuffer(chunk as Uint8Array | string);
    if (this.#ended || this.#stream.readableEnded) return EMPTY;
    return null;
  }

  onNextChunk(onChunk: (chunk: Buffer | Error) => void): void {
    let chunk: Buffer | null;
    try {
      chunk = this.readChunkNow();
    } catch (err) {
      onChunk(toError(err));
      return;
    }
    if (chunk !== null) {
      onChunk(chunk);
      return;
    }
    if (this.#waiter !== undefined) {
      onChunk(
        withCode(
          new Error("Cannot read from the stream: another read is already waiting"),
          "ERR_READ_IN_PROGRESS",
        ),
      );
      return;
    }
    this.#waiter = onChunk;
  }

  readChunk(): Promise<Buffer> {
    return new Promise<Buffer>((resolve, reject) => {
      this.onNextChunk((chunk) => (chunk instanceof Error ? reject(chunk) : resolve(chunk)));
    });
  }
}

/**
 * Any async iterable of bytes (an async generator, a web stream) as a
 * `ByteSource`. Empty chunks are skipped, since an empty chunk means the end.
 */
export function iterableSource(iterable: AsyncIterable<Uint8Array>): ByteSource {
  const it = iterable[Symbol.asyncIterator]();
  return {
    async readChunk(): Promise<Buffer> {
      for (;;) {
        const next = await it.next();
        if (next.done) return Buffer.alloc(0);
        const v = next.value;
        if (v.length > 0) return asBuffer(v);
      }
    },
  };
}

/**
 * A Node readable stream as a `ByteSource`. The stream is read on demand in
 * paused mode, so unread data stays within its own high-water mark (the
 * stream stops pulling from its origin: backpressure). Its `'error'` rejects
 * the waiting read and every later one; its end (or a close without error)
 * is end of stream. Strings from a stream with an encoding set are UTF-8
 * encoded. An old-style stream is wrapped first (`Readable.wrap`).
 *
 * @example
 * ```ts
 * import { createReadStream } from "node:fs";
 * let count = 0;
 * const reader = new BufferedReader(readableSource(createReadStream("package.json")));
 * for await (const line of reader) count++;
 * ```
 */
export function readableSource(stream: NodeJS.ReadableStream | Readable): ByteSource {
  return new ReadableSource(stream instanceof Readable ? stream : new Readable().wrap(stream));
}

/** `writableSink`'s implementation. */
class WritableSink implements ByteSink {
  readonly #stream: Writable;
  #error: Error | undefined;

  constructor(stream: Writable) {
    this.#stream = stream;
    stream.on("error", (err: unknown) => {
      this.#error ??= toError(err);
    });
  }

  writeNow(data: Buffer): boolean {
    if (this.#error !== undefined) throw this.#error;
    if (this.#stream.writableNeedDrain) return false;
    this.#stream.write(data);
    return true;
  }

  write(data: Buffer): Promise<void> {
    if (this.#error !== undefined) return Promise.reject(this.#error);
    const stream = this.#stream;
    return new Promise<void>((resolve, reject) => {
      const ok = stream.write(data, (err) => {
        if (err) reject(err);
      });
      if (ok) {
        resolve();
        return;
      }
      const settle = (err?: Error): void => {
        stream.off("drain", onDrain);
        stream.off("error", onError);
        stream.off("close", onClose);
        if (err) reject(err);
        else resolve();
      };
      const onDrain = (): void => settle();
      const onError = (err: unknown): void => settle(toError(err));
      // Closed while full: the bytes will never be written.
      const onClose = (): void => settle(this.#error ?? new BrokenPipeError(EPIPE));
      stream.on("drain", onDrain);
      stream.on("error", onError);
      stream.on("close", onClose);
    });
  }

  end(): Promise<void> {
    if (this.#error !== undefined) return Promise.reject(this.#error);
    const stream = this.#stream;
    return new Promise<void>((resolve, reject) => {
      if (!stream.writableEnded) stream.end();
      finished(stream, { readable: false }, (err) => (err ? reject(err) : resolve()));
    });
  }
}

/**
 * A Node writable stream as a `ByteSink`: a write resolves at once while the
 * stream is under its high-water mark, else on `'drain'` (backpressure); a
 * stream error rejects the waiting write and every later one; a stream closed
 * while full rejects with `BrokenPipeError`. `end()` ends the stream and
 * resolves when everything is flushed.
 *
 * @example
 * ```ts
 * const out = new BufferedWriter(writableSink(process.stdout));
 * await out.write(Buffer.from("hello\n"));
 * await out.flush();
 * ```
 */
export function writableSink(stream: Writable | NodeJS.WritableStream): ByteSink {
  return new WritableSink(stream as Writable);
}
