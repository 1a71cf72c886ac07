/**
 * The generator's boundary check (src/email/_boundary.ts) against python3's
 * `_make_boundary` pattern, on generated texts dense in hyphens, line ends
 * and near-boundaries, as text and as bytes.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { holdsBoundaryLine, searchable } from "../../src/email/_boundary.js";
import { makeBoundary } from "../../src/email/generator.js";
import { python } from "../_support/python.js";

const BOUNDARIES = ["b", "==b==", "===============1234==", "a.b"];

test("holdsBoundaryLine agrees with python3's '^--b(--)?$' (MULTILINE) on 3,000 generated texts, as text and as bytes", async () => {
  const piece = fc.constantFrom(
    "-",
    "--",
    "\n",
    "\r",
    "\r\n",
    "b",
    "==",
    "=",
    "x",
    "é",
    "1234",
    ".",
    "a",
    " ",
    ...BOUNDARIES,
  );
  const cases = fc.sample(
    fc.record({
      text: fc.array(piece, { maxLength: 14 }).map((p) => p.join("")),
      b: fc.constantFrom(...BOUNDARIES),
    }),
    { numRuns: 3000, seed: 20261208 },
  );
  const expected = await python<boolean[]>(
    `
import json, re, sys
print(json.dumps([bool(re.compile('^--' + re.escape(c["b"]) + '(--)?$', re.MULTILINE).search(c["text"])) for c in json.load(sys.stdin)]))
`,
    cases,
  );
  for (const [i, { text, b }] of cases.entries()) {
    assert.equal(holdsBoundaryLine(text, b), expected[i], `${JSON.stringify(text)} ${b}`);
    assert.equal(
      holdsBoundaryLine(Buffer.from(text, "utf8"), b),
      expected[i],
      `bytes ${JSON.stringify(text)} ${b}`,
    );
  }
});

test("searchable joins parts by the line end, as text or as bytes, with the same lines", () => {
  assert.equal(searchable([["a", "b"], ["c"]], "\n"), "ab\nc");
  const bytes = searchable([["a", Buffer.from([0x2d, 0x2d, 0xff])], ["é"]], "\r\n");
  assert.deepEqual(bytes, Buffer.from([0x61, 0x2d, 0x2d, 0xff, 0x0d, 0x0a, 0xc3, 0xa9]));
});

test("makeBoundary has Python's form; a line of it, with or without closing hyphens, is found", () => {
  const first = makeBoundary();
  assert.match(first, /^={15}\d{19}==$/);
  assert.equal(holdsBoundaryLine(`x\n--${first}--\n`, first), true);
  assert.equal(holdsBoundaryLine(`x\n --${first}\n`, first), false);
});
