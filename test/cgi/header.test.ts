/**
 * `parseHeader` and `splitHeader` against a reference model: CPython 3.11's
 * `cgi.parse_header` and `_parseparam` transcribed line for line (its
 * quadratic quote counting included), on generated values biased toward
 * what the one-pass parser treats specially (./_header-values.ts). (The
 * differential test against python3 itself is test/conformance/cgi-helpers.test.ts.)
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { pyStrip } from "../../src/_pystr.js";
import { parseHeader, splitHeader } from "../../src/cgi/header.js";
import { headerValue } from "./_header-values.js";

/** Python's `s.count(sub, 0, end)`: non-overlapping occurrences in `s[0:end]`. */
function count(s: string, sub: string, end: number): number {
  let k = 0;
  for (let i = s.indexOf(sub); i >= 0 && i + sub.length <= end; i = s.indexOf(sub, i + sub.length)) k++;
  return k;
}

/** CPython's `cgi._parseparam(s)`, a generator made a list. */
function pythonParseparam(text: string): string[] {
  const out: string[] = [];
  let s = text;
  while (s.slice(0, 1) === ";") {
    s = s.slice(1);
    let end = s.indexOf(";");
    while (end > 0 && (count(s, '"', end) - count(s, '\\"', end)) % 2 !== 0) end = s.indexOf(";", end + 1);
    if (end < 0) end = s.length;
    out.push(pyStrip(s.slice(0, end)));
    s = s.slice(end);
  }
  return out;
}

/** CPython's `cgi.parse_header(line)`. */
function pythonParseHeader(line: string): [string, Record<string, string>] {
  const [key, ...parts] = pythonParseparam(`;${line}`);
  const pdict: Record<string, string> = Object.create(null);
  for (const p of parts) {
    const i = p.indexOf("=");
    if (i < 0) continue;
    const name = pyStrip(p.slice(0, i)).toLowerCase();
    let value = pyStrip(p.slice(i + 1));
    if (value.length >= 2 && value[0] === '"' && value[value.length - 1] === '"') {
      value = value.slice(1, -1).replaceAll("\\\\", "\\").replaceAll('\\"', '"');
    }
    pdict[name] = value;
  }
  return [key!, pdict];
}

test("parseHeader() splits every value as CPython's parse_header does (fast-check, 5000 runs)", () => {
  fc.assert(
    fc.property(headerValue, (line) => {
      const [key, params] = parseHeader(line);
      const [wantKey, wantParams] = pythonParseHeader(line);
      assert.deepEqual([key, { ...params }], [wantKey, { ...wantParams }], JSON.stringify(line));
    }),
    { numRuns: 5000, seed: 20261207 },
  );
});

test("parseHeader() unquotes long runs of escapes as Python's two replaces do", () => {
  for (const line of [
    `form-data; name="${'\\"'.repeat(100)}"`,
    `form-data; name="${"\\\\".repeat(99)}\\"`,
    `form-data; name="${'\\\\"'.repeat(50)}x"`,
    `form-data; name="${'\\";'.repeat(70)}"; filename="${"\u65e5".repeat(40)}\\\\\u{1f600}"`,
    `form-data; name="${";".repeat(100)}"; x=${'"'.repeat(101)}; y=1`,
  ]) {
    const [key, params] = parseHeader(line);
    const [wantKey, wantParams] = pythonParseHeader(line);
    assert.deepEqual([key, { ...params }], [wantKey, { ...wantParams }], JSON.stringify(line));
  }
});

test("splitHeader() stops past maxParams pieces, with or without `=`", () => {
  assert.deepEqual(
    splitHeader("a; b=1; c=2", 2)?.[1],
    Object.assign(Object.create(null), { b: "1", c: "2" }),
  );
  assert.equal(splitHeader("a; b=1; c=2; d=3", 2), null);
  assert.equal(splitHeader("a;;;", 2), null);
  assert.equal(splitHeader('a; b="1;2;3;4"', 1)?.[1].b, "1;2;3;4"); // `;` inside quotes cut nothing
  assert.equal(splitHeader("a", 0)?.[0], "a");
  assert.equal(splitHeader("a;", 0), null);
});

test("parseHeader() gives the same answers whatever the lengths of the values before it", () => {
  // Short, grown, past the reused array's 65,536 units, then short again: no unit of one value leaks into the next.
  const lines = [300, 5000, 70_000, 40, 65_536, 3].map(
    (n, i) => `form-data; name="${'\\"'.repeat(n >> 2)}${"x".repeat(n - 2 * (n >> 2))}"; i=${i}`,
  );
  for (const line of [...lines, ...lines.reverse()]) {
    const [key, params] = parseHeader(line);
    const [wantKey, wantParams] = pythonParseHeader(line);
    assert.deepEqual([key, { ...params }], [wantKey, { ...wantParams }], `${line.length} characters`);
  }
});
