/**
 * Differential: netkit's BufferedReader and python3's io.BufferedReader read
 * the same generated inputs with the same calls and must return the same bytes.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { BytesSource } from "../../src/io/memory.js";
import { BufferedReader } from "../../src/io/reader.js";
import { hasCommand, peerSkip } from "../_support/peers.js";
import { python } from "../_support/python.js";

type Call = ["readline", number] | ["read", number] | ["read1", number] | ["readlines"];

const SCRIPT = `
import io, json, sys, base64
out = []
for case in json.load(sys.stdin):
    r = io.BufferedReader(io.BytesIO(base64.b64decode(case["data"])))
    results = []
    for call in case["calls"]:
        if call[0] == "readlines":
            results.append([base64.b64encode(x).decode() for x in r.readlines()])
        else:
            results.append(base64.b64encode(getattr(r, call[0])(call[1])).decode())
    out.append(results)
print(json.dumps(out))
`;

test("BufferedReader agrees with python3's io.BufferedReader on readline/read/read1/readlines", {
  skip: peerSkip("python3", hasCommand("python3")),
}, async () => {
  const call: fc.Arbitrary<Call> = fc.oneof(
    fc.tuple(fc.constant("readline" as const), fc.integer({ min: -1, max: 12 })),
    fc.tuple(fc.constant("read" as const), fc.integer({ min: -1, max: 12 })),
    fc.tuple(fc.constant("read1" as const), fc.integer({ min: 1, max: 12 })),
    fc.tuple(fc.constant("readlines" as const)),
  );
  const cases = fc.sample(
    fc.record({
      data: fc.uint8Array({ maxLength: 80 }).map((b) => Buffer.from(b.map((x) => (x % 5 === 0 ? 10 : x)))),
      calls: fc.array(call, { minLength: 1, maxLength: 8 }),
    }),
    { numRuns: 500, seed: 20261125 },
  );
  const expected = await python<Array<Array<string | string[]>>>(
    SCRIPT,
    cases.map((c) => ({ data: c.data.toString("base64"), calls: c.calls })),
  );
  for (const [i, c] of cases.entries()) {
    // Python's read1 on BytesIO returns up to n bytes of what is there; a single chunk source does the same.
    const r = new BufferedReader(new BytesSource(c.data), { maxLineLength: 1 << 20 });
    const got: Array<string | string[]> = [];
    for (const [name, n] of c.calls) {
      if (name === "readlines") got.push((await r.readlines()).map((b) => b.toString("base64")));
      else got.push((await r[name](n as number)).toString("base64"));
    }
    assert.deepEqual(
      got,
      expected[i],
      `case ${i}: ${JSON.stringify(c.calls)} on ${c.data.toString("base64")}`,
    );
  }
});
