/**
 * Sources and sinks that are not sockets: bytes in memory (Python's
 * `io.BytesIO` in each direction) and adapters over Node streams, so a
 * `BufferedReader` can read a child process's stdout or a file stream with
 * the same code that reads a socket.
 *
 * @module
 */
import type { Readable, Writable } from "node:stream";
import type { ByteSink, ByteSource } from "./source.js";

const EMPTY = Buffer.alloc(0);

function asBuffer(data: Uint8Array | string): Buffer {
  if (typeof data === "string") return Buffer.from(data);
  return Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

/**
 * Bytes in memory as a `ByteSource`: one Buffer, cut into chunks of
 * `chunkSize` bytes if given, or a list of chunks delivered as they are.
 */
export class BytesSource implements ByteSource {
  #chunks: Buffer[];
  #index = 0;

  /**
   * @param data the bytes, or the chunks to deliver one by one
   * @param chunkSize cut `data` into chunks of this size @default whole
   */
  constructor(data: Uint8Array | string | Array<Uint8Array | string>, chunkSize?: number) {
    const parts = Array.isArray(data) ? data.map(asBuffer) : [asBuffer(data)];
    this.#chunks = [];
    for (const part of parts) {
      if (chunkSize === undefined || chunkSize <= 0) {
        if (part.length > 0) this.#chunks.push(part);
      } else {
        for (let i = 0; i < part.length; i += chunkSize) this.#chunks.push(part.subarray(i, i + chunkSize));
      }
    }
  }

  readChunkNow(): Buffer {
    return this.#chunks[this.#index++] ?? EMPTY;
  }

  async readChunk(): Promise<Buffer> {
    return this.readChunkNow();
  }
}

/** A `ByteSink` that keeps what is written: Python's `BytesIO` for output. */
export class BytesSink implements ByteSink {
  #parts: Buffer[] = [];
  #ended = false;

  async write(data: Buffer): Promise<void> {
    if (this.#ended) throw new Error("write after end");
    this.#parts.push(Buffer.from(data));
  }

  async end(): Promise<void> {
    this.#ended = true;
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

/**
 * A Node `Readable` as a `ByteSource`. The stream is read on demand
 * (paused mode), so it buffers at most its own high-water mark; its `'error'`
 * rejects the pending read; its end is an empty chunk.
 */
export function readableSource(stream: Readable): ByteSource {
  let ended = false;
  let error: unknown;
  let wake: (() => void) | undefined;
  const signal = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  stream.on("readable", signal);
  stream.on("end", () => {
    ended = true;
    signal();
  });
  stream.on("close", () => {
    ended = true;
    signal();
  });
  stream.on("error", (err) => {
    error = err;
    signal();
  });
  const now = (): Buffer | null => {
    const chunk: unknown = stream.read();
    if (chunk !== null) return asBuffer(chunk as Uint8Array | string);
    if (error !== undefined) throw error;
    if (ended || stream.readableEnded) return EMPTY;
    return null;
  };
  return {
    readChunkNow: now,
    async readChunk() {
      for (;;) {
        const chunk = now();
        if (chunk !== null) return chunk;
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
      }
    },
  };
}

/**
 * A Node `Writable` as a `ByteSink`: a write resolves at once while the
 * stream is under its high-water mark, else on `'drain'`; a stream error rejects.
 */
export function writableSink(stream: Writable): ByteSink {
  let error: unknown;
  stream.on("error", (err) => {
    error = err;
  });
  return {
    write(data: Buffer): Promise<void> {
      if (error !== undefined) return Promise.reject(error);
      return new Promise((resolve, reject) => {
        const ok = stream.write(data, (err) => {
          if (err) reject(err);
        });
        if (ok) {
          resolve();
          return;
        }
        const onDrain = () => {
          stream.off("error", onError);
          resolve();
        };
        const onError = (err: unknown) => {
          stream.off("drain", onDrain);
          reject(err);
        };
        stream.once("drain", onDrain);
        stream.once("error", onError);
      });
    },
    end(): Promise<void> {
      if (error !== undefined) return Promise.reject(error);
      return new Promise((resolve, reject) => {
        stream.once("error", reject);
        stream.end(() => {
          stream.off("error", reject);
          resolve();
        });
      });
    },
  };
}
