/**
 * Differential: netkit's header reader and parser against python3's
 * `http.client.parse_headers` on generated header blocks, including broken
 * ones (folded lines, bare CR and LF, missing colons, empty names, `From `
 * lines, non-ASCII bytes). Headers, payload, defects and errors must agree.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { TooManyHeaders } from "../../src/http/errors.js";
import { parseHeaders } from "../../src/http/message.js";
import { BytesSource } from "../../src/io/memory.js";
import { BufferedReader } from "../../src/io/reader.js";
import { hasCommand, peerSkip } from "../_support/peers.js";
import { python } from "../_support/python.js";

const SCRIPT = `
import base64, http.client, io, json, sys
out = []
for b64 in json.load(sys.stdin):
    try:
        m = http.client.parse_headers(io.BytesIO(base64.b64decode(b64)))
        out.append({"items": [list(i) for i in m.items()], "payload": m.get_payload(), "defects": [type(d).__name__ for d in m.defects]})
    except Exception as e:
        out.append({"error": type(e).__name__, "message": str(e)})
print(json.dumps(out))
`;

const name = fc.oneof(
  fc.constantFrom(
    "Host",
    "Content-Length",
    "X-Thing",
    "set-cookie",
    "SET-COOKIE",
    "A",
    "From",
    "x_y",
    "a.b",
    "",
  ),
  fc.stringMatching(/^[!-9;-~]{1,12}$/),
);
const value = fc.oneof(
  fc.constantFrom("", "1", " spaced ", "a:b", "x\ty", "\xe9t\xe9", "v\xff"),
  fc.stringMatching(/^[ -~]{0,20}$/),
);
const eol = fc.constantFrom("\r\n", "\n", "\r", "\r\n", "\r\n");
const line = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.tuple(name, fc.constantFrom(":", ": ", ":  "), value, eol).map((p) => p.join("")),
  },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(" ", "\t", "  "), value, eol).map((p) => p.join("")) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom("From x", "no colon", "bad name: v", "\x00x: y", ": v"), eol)
      .map((p) => p.join("")),
  },
);
const block = fc
  .tuple(
    fc.array(line, { maxLength: 12 }),
    fc.constantFrom("\r\n", "\n", "", "\r\n"),
    fc.constantFrom("", "body\r\n", "More: x\r\n"),
  )
  .map(([lines, end, after]) => lines.join("") + end + after)
  // Content-Type multipart/message makes Python parse the body's MIME structure: netkit/email's job.
  .filter((text) => !/content-type/i.test(text));

test("parseHeaders() agrees with python3's http.client.parse_headers on 3,000 generated blocks", {
  skip: peerSkip("python3", hasCommand("python3")),
}, async () => {
  const inputs = fc.sample(block, { numRuns: 3000, seed: 20261125 }).map((t) => Buffer.from(t, "latin1"));
  inputs.push(
    Buffer.from(`${"X: y\r\n".repeat(101)}\r\n`),
    Buffer.from(`X: ${"a".repeat(70000)}\r\n\r\n`),
    Buffer.from(`${"X: y\r\n".repeat(99)}\r\n`),
  );
  const expected = await python<Array<Record<string, unknown>>>(
    SCRIPT,
    inputs.map((b) => b.toString("base64")),
  );
  // The generated set must reach the interesting paths, or the comparison proves little.
  const count = (f: (e: Record<string, unknown>) => boolean) => expected.filter(f).length;
  assert.ok(count((e) => Array.isArray(e.defects) && e.defects.length > 0) > 100, "defects");
  assert.ok(count((e) => typeof e.payload === "string" && e.payload !== "") > 100, "payloads");
  assert.ok(
    count((e) => Array.isArray(e.items) && (e.items as string[][]).some(([, v]) => v!.includes("\n"))) > 20,
    "folds",
  );
  assert.equal(
    count((e) => e.error !== undefined),
    2,
    "the two over-limit blocks",
  );
  for (const [i, input] of inputs.entries()) {
    let got: Record<string, unknown>;
    try {
      const msg = await parseHeaders(new BufferedReader(new BytesSource(input, 7)));
      got = { items: msg.items(), payload: msg.payload, defects: msg.defects.map((d) => d.name) };
    } catch (e) {
      // netkit's TooManyHeaders is the plain HTTPException Python raises, with a code of its own.
      const name = e instanceof TooManyHeaders ? "HTTPException" : (e as Error).name;
      got = { error: name, message: (e as Error).message };
    }
    assert.deepEqual(got, expected[i], `input ${JSON.stringify(input.toString("latin1").slice(0, 300))}`);
  }
});
