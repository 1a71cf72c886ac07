/**
 * Differential: netkit's `a2bBase64` and `b2aBase64` (src/_binascii.ts,
 * shared by netkit/email and netkit/xmlrpc) against python3's
 * `binascii.a2b_base64(data, strict_mode=...)` and `binascii.b2a_base64`,
 * one python3 run per property:
 *
 * 1. generated text near base64 (the alphabet, pads, CR, LF, spaces,
 *    base64url's `-` and `_`, punctuation, 8-bit bytes), as bytes and as
 *    text, strict and not: the same bytes or the same error and message;
 * 2. well-formed base64 of random bytes cut in lines (LF, CRLF, CR, lines
 *    of any length), then one character changed, added or dropped: the
 *    inputs that sit on the edge of the native fast path;
 * 3. `b2a_base64` with and without its newline.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { a2bBase64, BinasciiError, b2aBase64, decodeBase64Lines } from "../../src/_binascii.js";
import { ValueError } from "../../src/errors/index.js";
import { hasCommand, peerSkip } from "../_support/peers.js";
import { python } from "../_support/python.js";

const skip = peerSkip("python3", hasCommand("python3"));
const SEED = 20261207;
const SLOW = { timeout: 300_000 };

/** One case: the input as latin-1 text, whether it goes in as text (`str`) or bytes, strict or not. */
interface Case {
  data: string;
  str: boolean;
  strict: boolean;
}
type Answer = { ok: string } | { err: [string, string] };

const PY_A2B = `
import binascii, json, sys
out = []
for c in json.load(sys.stdin):
    data = c["data"] if c["str"] else c["data"].encode("latin-1")
    try:
        out.append({"ok": binascii.a2b_base64(data, strict_mode=c["strict"]).hex()})
    except Exception as e:
        out.append({"err": [type(e).__name__, str(e)]})
print(json.dumps(out))
`;

function netkit(c: Case): Answer {
  try {
    const data = c.str ? c.data : Buffer.from(c.data, "latin1");
    return { ok: a2bBase64(data, { strictMode: c.strict }).toString("hex") };
  } catch (e) {
    if (e instanceof BinasciiError) return { err: ["Error", e.message] };
    if (e instanceof ValueError) return { err: ["ValueError", e.message] };
    throw e;
  }
}

async function agree(cases: Case[]): Promise<void> {
  const expected = await python<Answer[]>(PY_A2B, cases);
  for (const [i, c] of cases.entries()) {
    const got = netkit(c);
    assert.deepEqual(
      got,
      expected[i],
      `a2bBase64(${JSON.stringify(c)}): netkit ${JSON.stringify(got)}, python3 ${JSON.stringify(expected[i])}`,
    );
  }
}

const nearBase64 = fc
  .array(
    fc.oneof(
      {
        weight: 12,
        arbitrary: fc.constantFrom(..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"),
      },
      { weight: 3, arbitrary: fc.constant("=") },
      { weight: 2, arbitrary: fc.constantFrom("\n", "\r\n", "\r") },
      { weight: 1, arbitrary: fc.constantFrom(" ", "\t", "-", "_", "!", "*", ".", "\x00", "\x7f") },
      { weight: 1, arbitrary: fc.integer({ min: 0x80, max: 0xff }).map((c) => String.fromCharCode(c)) },
    ),
    { maxLength: 40 },
  )
  .map((xs) => xs.join(""));

/** Well-formed base64 of random bytes in lines of `width` characters. */
const wellFormed = fc
  .tuple(
    fc.uint8Array({ maxLength: 200 }),
    fc.integer({ min: 1, max: 90 }),
    fc.constantFrom("\n", "\r\n", "\r", ""),
    fc.boolean(),
  )
  .map(([bytes, width, eol, finalEol]) => {
    const text = Buffer.from(bytes).toString("base64");
    const lines: string[] = [];
    for (let i = 0; i < text.length; i += width) lines.push(text.slice(i, i + width));
    return lines.join(eol) + (finalEol ? eol : "");
  });

/** A well-formed text with one character changed, added or dropped (or left alone). */
const nearlyWellFormed = fc
  .tuple(
    wellFormed,
    fc.nat(),
    fc.constantFrom("keep", "change", "add", "drop"),
    fc.constantFrom("=", "-", "_", " ", "\r", "\n", "A", "é", "\x80", "*"),
  )
  .map(([text, at, how, ch]) => {
    const i = text.length === 0 ? 0 : at % text.length;
    if (how === "change") return text.slice(0, i) + ch + text.slice(i + 1);
    if (how === "add") return text.slice(0, i) + ch + text.slice(i);
    if (how === "drop") return text.slice(0, i) + text.slice(i + 1);
    return text;
  });

const asCases = (data: string): Case[] =>
  [false, true].flatMap((str) => [false, true].map((strict) => ({ data, str, strict })));

describe("binascii base64 against python3", { skip }, () => {
  test("a2bBase64() gives python3's bytes or error on text near base64", SLOW, async () => {
    const inputs = fc.sample(nearBase64, { seed: SEED, numRuns: 1500 });
    inputs.push(
      "",
      "=",
      "==",
      "QQ",
      "QQ=",
      "QQ==",
      "QQ=\n=",
      "=QQ==",
      "QQ==QQ==",
      "QUJD=",
      "Q",
      "QUJDQ",
      "QQ===",
    );
    await agree(inputs.flatMap(asCases));
  });

  test(
    "a2bBase64() gives python3's bytes or error on base64 in lines, well-formed or one character off",
    SLOW,
    async () => {
      const inputs = fc.sample(nearlyWellFormed, { seed: SEED + 1, numRuns: 1500 });
      await agree(inputs.flatMap(asCases));
    },
  );

  test("b2aBase64() writes python3's text, with and without the newline", SLOW, async () => {
    const inputs = fc.sample(fc.uint8Array({ maxLength: 100 }), { seed: SEED + 2, numRuns: 300 });
    const expected = await python<string[][]>(
      `
import binascii, json, sys
print(json.dumps([[binascii.b2a_base64(bytes.fromhex(h)).decode(), binascii.b2a_base64(bytes.fromhex(h), newline=False).decode()] for h in json.load(sys.stdin)]))
`,
      inputs.map((b) => Buffer.from(b).toString("hex")),
    );
    for (const [i, b] of inputs.entries()) {
      assert.deepEqual(
        [b2aBase64(b), b2aBase64(b, false)],
        expected[i],
        `b2aBase64(${Buffer.from(b).toString("hex")})`,
      );
    }
  });
});

describe("decodeBase64Lines", () => {
  test("decodeBase64Lines() decodes well-formed base64 in lines as a2bBase64() does, and refuses the rest", () => {
    fc.assert(
      fc.property(nearlyWellFormed, (text) => {
        const fast = decodeBase64Lines(text);
        if (fast === null) return;
        // Taken only for text that is well-formed: no defect, no error, the strict decoder's bytes.
        const joined = text.replace(/\r?\n/g, "");
        assert.deepEqual(fast, a2bBase64(joined, { strictMode: true }), JSON.stringify(text));
      }),
      { seed: SEED + 3, numRuns: 3000 },
    );
  });

  test("decodeBase64Lines() refuses text with anything but data characters, line ends and final pads", () => {
    for (const text of [
      "QUJD\r\rQQ==",
      "QU JD",
      "QUJD-A==",
      "QUJD_A==",
      "QUJDQQ=A",
      "QQ=\n=",
      "QUJD\u0141QQ==",
      "QUJDQ",
      "QUJD====",
    ]) {
      assert.equal(decodeBase64Lines(text), null, JSON.stringify(text));
    }
    assert.deepEqual(decodeBase64Lines("QUJD\r\nQQ==\r\n"), Buffer.from("ABCA"));
    assert.deepEqual(decodeBase64Lines("QUJD\nQUI=\n\n"), Buffer.from("ABCAB"));
  });
});
