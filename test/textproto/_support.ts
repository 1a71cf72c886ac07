/**
 * Test helpers for netkit/textproto: a `Reader` over bytes in memory, cut
 * into chunks, and a check that a promise rejects with a given code.
 */
import assert from "node:assert/strict";
import { BytesSource } from "../../src/io/memory.js";
import { BufferedReader } from "../../src/io/reader.js";
import { Reader, type ReaderOptions } from "../../src/textproto/reader.js";
import { cut } from "../io/_sources.js";

/** A Reader over `data`, delivered in chunks of `sizes` (whole when omitted). */
export function readerOver(
  data: string | Uint8Array,
  sizes?: readonly number[],
  options: ReaderOptions = {},
): Reader {
  const bytes = typeof data === "string" ? Buffer.from(data, "latin1") : Buffer.from(data);
  const chunks = sizes === undefined ? [bytes] : cut(bytes, sizes);
  return new Reader(new BufferedReader(new BytesSource(chunks)), options);
}

/** Asserts that `promise` rejects with an error whose `code` is `code`; returns the error. */
export async function rejectsWith(
  promise: Promise<unknown>,
  code: string,
): Promise<Error & { code: string }> {
  let caught: unknown;
  await promise.then(
    (value) => assert.fail(`expected ${code}, got ${JSON.stringify(String(value))}`),
    (err: unknown) => {
      caught = err;
    },
  );
  const err = caught as Error & { code: string };
  assert.equal(err.code, code, `expected ${code}, got ${err.code}: ${err.message}`);
  return err;
}

/** Latin-1 text of each buffer (bytes shown one to one). */
export const texts = (bufs: readonly Buffer[]): string[] => bufs.map((b) => b.toString("latin1"));
