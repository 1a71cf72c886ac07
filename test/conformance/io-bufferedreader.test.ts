/**
 * Differential: netkit's BufferedReader and python3's io.BufferedReader read
 * the same generated inputs, cut into the same chunks (a raw stream whose
 * readinto returns at most the rest of one chunk, as a socket's recv does),
 * with the same calls, and must return the same bytes. All cases go to one
 * python3 run.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { BytesSource } from "../../src/io/memory.js";
import { BufferedReader } from "../../src/io/reader.js";
import { hasCommand, peerSkip } from "../_support/peers.js";
import { python } from "../_support/python.js";
import { cut } from "../io/_sources.js";

type Call =
  | ["readline", number]
  | ["read", number]
  | ["read1", number]
  | ["peek", number]
  | ["readlines", number];

const SCRIPT = `
import io, json, sys, base64

class Chunked(io.RawIOBase):
    """A raw stream that gives at most the rest of one chunk per read, like recv."""
    def __init__(self, chunks):
        self.chunks = chunks
        self.i = 0
        self.off = 0
    def readable(self):
        return True
    def readinto(self, b):
        if self.i >= len(self.chunks):
            return 0
        chunk = self.chunks[self.i]
        n = min(len(b), len(chunk) - self.off)
        b[:n] = chunk[self.off:self.off + n]
        self.off += n
        if self.off == len(chunk):
            self.i += 1
            self.off = 0
        return n

out = []
for case in json.load(sys.stdin):
    chunks = [base64.b64decode(c) for c in case["chunks"]]
    r = io.BufferedReader(Chunked(chunks))
    results = []
    for name, n in case["calls"]:
        if name == "readlines":
            results.append([base64.b64encode(x).decode() for x in r.readlines(n)])
        elif name == "peek":
            results.append(base64.b64encode(r.peek(n)).decode())
        else:
            results.append(base64.b64encode(getattr(r, name)(n)).decode())
    out.append(results)
print(json.dumps(out))
`;

test("BufferedReader agrees with python3's io.BufferedReader on readline/read/read1/peek/readlines over chunked input", {
  skip: peerSkip("python3", hasCommand("python3")),
}, async () => {
  const call: fc.Arbitrary<Call> = fc.oneof(
    fc.tuple(fc.constant("readline" as const), fc.integer({ min: -1, max: 12 })),
    fc.tuple(fc.constant("read" as const), fc.integer({ min: -1, max: 12 })),
    fc.tuple(fc.constant("read1" as const), fc.integer({ min: -1, max: 12 })),
    fc.tuple(fc.constant("peek" as const), fc.integer({ min: 0, max: 12 })),
    fc.tuple(fc.constant("readlines" as const), fc.integer({ min: -1, max: 20 })),
  );
  const cases = fc.sample(
    fc.record({
      data: fc
        .uint8Array({ maxLength: 120 })
        .map((b) => Buffer.from(b.map((x) => (x % 5 === 0 ? 10 : x % 7 === 0 ? 13 : x)))),
      sizes: fc.oneof(
        fc.constant([1 << 20]),
        fc.array(fc.integer({ min: 1, max: 16 }), { minLength: 1, maxLength: 6 }),
      ),
      calls: fc.array(call, { minLength: 1, maxLength: 10 }),
    }),
    { numRuns: 600, seed: 20261201 },
  );
  const prepared = cases.map((c) => ({ ...c, chunks: cut(c.data, c.sizes) }));
  const expected = await python<Array<Array<string | string[]>>>(
    SCRIPT,
    prepared.map((c) => ({ chunks: c.chunks.map((x) => x.toString("base64")), calls: c.calls })),
  );
  assert.equal(expected.length, prepared.length);
  for (const [i, c] of prepared.entries()) {
    const r = new BufferedReader(new BytesSource(c.chunks), { maxLineLength: 1 << 20 });
    const got: Array<string | string[]> = [];
    for (const [name, n] of c.calls) {
      if (name === "readlines") got.push((await r.readlines(n)).map((b) => b.toString("base64")));
      else got.push((await r[name](n)).toString("base64"));
    }
    assert.deepEqual(
      got,
      expected[i],
      `case ${i}: ${JSON.stringify(c.calls)} on chunks ${JSON.stringify(c.sizes)} of ${c.data.toString("base64")}`,
    );
  }
});
