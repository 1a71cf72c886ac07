/**
 * Test helpers for netkit/io: the same bytes delivered by sources of every
 * kind the reader supports (ready at once, promise only, callback), cut into
 * chunks of any sizes.
 */
import { BytesSource } from "../../src/io/memory.js";
import type { ByteSource } from "../../src/io/source.js";

/** Cuts `data` into chunks of `sizes` in turn (repeating the list). */
export function cut(data: Buffer, sizes: readonly number[]): Buffer[] {
  const chunks: Buffer[] = [];
  for (let i = 0, k = 0; i < data.length; k++) {
    const size = sizes[k % sizes.length]!;
    chunks.push(data.subarray(i, i + size));
    i += size;
  }
  return chunks;
}

/** A deterministic pseudo-random chunking (sizes 1..max) for "random" table rows. */
export function randomSizes(seed: number, count = 32, max = 9): number[] {
  let x = seed >>> 0 || 1;
  const sizes: number[] = [];
  for (let i = 0; i < count; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    sizes.push(((x >>> 0) % max) + 1);
  }
  return sizes;
}

/** The chunkings every table test runs under. */
export const CHUNKINGS: ReadonlyArray<{ name: string; sizes: readonly number[] | undefined }> = [
  { name: "whole", sizes: undefined },
  { name: "1", sizes: [1] },
  { name: "2", sizes: [2] },
  { name: "3", sizes: [3] },
  { name: "7", sizes: [7] },
  { name: "random", sizes: randomSizes(7) },
];

/** A source that only has `readChunk`, settling after a microtask or a macrotask in turn. */
export function promiseSource(chunks: readonly Buffer[]): ByteSource & { delivered: number } {
  let i = 0;
  const source = {
    delivered: 0,
    readChunk(): Promise<Buffer> {
      const chunk = chunks[i++] ?? Buffer.alloc(0);
      source.delivered += chunk.length;
      if (i % 2 === 0) return new Promise((resolve) => setImmediate(resolve, chunk));
      return Promise.resolve(chunk);
    },
  };
  return source;
}

/**
 * A source that delivers through `onNextChunk`, calling back at once for
 * some chunks and later for others, and offering `readChunkNow` only when
 * `withNow` (then it says "nothing yet" every third call).
 */
export function callbackSource(chunks: readonly Buffer[], withNow: boolean): ByteSource {
  let i = 0;
  let calls = 0;
  const next = (): Buffer => chunks[i++] ?? Buffer.alloc(0);
  const source: ByteSource = {
    readChunk: () => new Promise((resolve) => setImmediate(() => resolve(next()))),
    onNextChunk(onChunk) {
      if (++calls % 2 === 0) onChunk(next());
      else setImmediate(() => onChunk(next()));
    },
  };
  if (withNow) source.readChunkNow = () => (++calls % 3 === 0 ? null : next());
  return source;
}

/** The kinds of source every table test runs under. */
export const SOURCE_KINDS: ReadonlyArray<{ name: string; make: (chunks: Buffer[]) => ByteSource }> = [
  { name: "ready", make: (chunks) => new BytesSource(chunks) },
  { name: "promise", make: (chunks) => promiseSource(chunks) },
  { name: "callback", make: (chunks) => callbackSource(chunks, false) },
  { name: "callback+now", make: (chunks) => callbackSource(chunks, true) },
];

/** Every (source kind × chunking) pair, for tables. */
export function* everySource(data: Buffer | string): Generator<{ label: string; make: () => ByteSource }> {
  const bytes = typeof data === "string" ? Buffer.from(data, "latin1") : data;
  for (const kind of SOURCE_KINDS) {
    for (const chunking of CHUNKINGS) {
      const chunks = chunking.sizes ? cut(bytes, chunking.sizes) : bytes.length ? [bytes] : [];
      yield { label: `${kind.name}/${chunking.name}`, make: () => kind.make(chunks) };
    }
  }
}
