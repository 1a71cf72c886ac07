/**
 * The generator's fast helpers (src/email/_bytes.ts) against the plain
 * ways they replace: `encodeSurrogateEscapeAll(pieces)` against
 * `encodeSurrogateEscape(pieces.join(""))`, and `toLinesep` against a
 * regular expression over every line end; then against python3's
 * `str.encode('ascii', 'surrogateescape')` and `_write_lines`.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import {
  encodeLinesLf,
  encodeSurrogateEscape,
  encodeSurrogateEscapeAll,
  toLinesep,
} from "../../src/email/_bytes.js";
import { decodeB } from "../../src/email/message.js";
import { UnicodeEncodeError } from "../../src/errors/index.js";
import { python } from "../_support/python.js";

const SEED = 20261209;

/** Text of ASCII, escaped bytes, and now and then a character that does not encode. */
const piece = fc
  .array(
    fc.oneof(
      { weight: 20, arbitrary: fc.string({ maxLength: 8 }) },
      { weight: 4, arbitrary: fc.integer({ min: 0xdc80, max: 0xdcff }).map((c) => String.fromCharCode(c)) },
      {
        weight: 1,
        arbitrary: fc.constantFrom("é", "\x80", "\xff", "Ł", "\u0141", "東", "😀", "\udc7f", "\ud800"),
      },
    ),
    { maxLength: 12 },
  )
  .map((xs) => xs.join(""));

function outcome(f: () => Buffer): string {
  try {
    return f().toString("hex");
  } catch (e) {
    assert.ok(e instanceof UnicodeEncodeError, String(e));
    return "UnicodeEncodeError";
  }
}

test("encodeSurrogateEscapeAll() writes the bytes of encodeSurrogateEscape() of the joined pieces, or throws as it does (fast-check)", () => {
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => {
      assert.equal(
        outcome(() => encodeSurrogateEscapeAll(pieces)),
        outcome(() => encodeSurrogateEscape(pieces.join(""))),
      );
    }),
    { numRuns: 3000, seed: SEED },
  );
});

test("encodeSurrogateEscapeAll() refuses a non-ASCII character in the last piece, however short the room after it", () => {
  for (const last of ["é", "éa", "aé", "東a", "😀", "ab😀", "\udc7f"]) {
    assert.throws(() => encodeSurrogateEscapeAll(["abc", last]), UnicodeEncodeError, JSON.stringify(last));
    assert.throws(() => encodeSurrogateEscapeAll([last]), UnicodeEncodeError, JSON.stringify(last));
  }
  assert.deepEqual(encodeSurrogateEscapeAll(["a", "\udce9b", ""]), Buffer.from([0x61, 0xe9, 0x62]));
});

const lines = fc
  .array(fc.constantFrom("a", "bc", " ", "\r", "\n", "\r\n", "\r\r\n", "\n\r", "=\r\n", "x".repeat(90)), {
    maxLength: 40,
  })
  .map((xs) => xs.join(""));

test("toLinesep() makes every \\r\\n, \\r and \\n the line end given, as a regular expression does (fast-check)", () => {
  fc.assert(
    fc.property(lines, fc.constantFrom("\n", "\r\n", "\r"), (text, nl) => {
      assert.equal(toLinesep(text, nl), text.replace(/\r\n|\r|\n/g, nl), JSON.stringify(text));
    }),
    { numRuns: 3000, seed: SEED + 1 },
  );
});

test("encodeSurrogateEscapeAll() and toLinesep() agree with python3's encode('ascii', 'surrogateescape') and _write_lines", async () => {
  const texts = fc.sample(lines, { numRuns: 200, seed: SEED + 2 });
  const pieces = fc.sample(piece, { numRuns: 300, seed: SEED + 3 });
  const expected = await python<{ lines: string[]; encoded: (string | null)[] }>(
    `
import json, sys, io
from email.generator import Generator
d = json.load(sys.stdin)
def write_lines(text, nl):
    g = Generator(io.StringIO())
    g._NL = nl
    out = []
    g.write = out.append
    g._write_lines(text)
    return "".join(out)
def enc(s):
    try: return s.encode("ascii", "surrogateescape").hex()
    except UnicodeEncodeError: return None
print(json.dumps({"lines": [write_lines(t, nl) for t in d["texts"] for nl in ("\\n", "\\r\\n")],
                  "encoded": [enc(p) for p in d["pieces"]]}))
`,
    // JSON carries lone surrogates as \\u escapes, which Python reads back as the same code units.
    { texts, pieces },
  );
  let i = 0;
  for (const text of texts) {
    for (const nl of ["\n", "\r\n"]) {
      assert.equal(toLinesep(text, nl), expected.lines[i++], JSON.stringify(text));
    }
  }
  for (const [j, p] of pieces.entries()) {
    const got = outcome(() => encodeSurrogateEscapeAll([p]));
    assert.equal(got, expected.encoded[j] ?? "UnicodeEncodeError", JSON.stringify(p));
  }
});

test("encodeLinesLf() writes the bytes of encodeSurrogateEscape(toLinesep(text, '\\n')), or throws as it does (fast-check)", () => {
  const text = fc.array(fc.oneof(lines, piece), { maxLength: 6 }).map((xs) => xs.join(""));
  fc.assert(
    fc.property(text, (t) => {
      assert.equal(
        outcome(() => encodeLinesLf(t)),
        outcome(() => encodeSurrogateEscape(toLinesep(t, "\n"))),
        JSON.stringify(t),
      );
    }),
    { numRuns: 3000, seed: SEED + 4 },
  );
  assert.deepEqual(encodeLinesLf("a\r\r\nb\rc\r"), Buffer.from("a\n\nb\nc\n"));
  assert.deepEqual(encodeLinesLf("\r\n\r\n"), Buffer.from("\n\n"));
});

test("decodeB() gives python3's email._encoded_words.decode_b bytes and defects (base64.b64decode is strict_mode in 3.11)", async () => {
  const texts = fc.sample(
    fc
      .array(fc.constantFrom(..."ABCDabcd0189+/", "=", "==", "\n", " ", "-", "!", "QUJD"), { maxLength: 16 })
      .map((xs) => xs.join("")),
    { numRuns: 800, seed: SEED + 5 },
  );
  texts.push("QUJD=", "QQ", "QQ=", "QQ==QQ==", "=QQ=", "Q", "QUJDQ");
  const expected = await python<[string, string[]][]>(
    `
import json, sys
from email._encoded_words import decode_b
out = []
for t in json.load(sys.stdin):
    value, defects = decode_b(t.encode("latin-1"))
    out.append([value.hex(), [type(d).__name__ for d in defects]])
print(json.dumps(out))
`,
    texts,
  );
  for (const [i, t] of texts.entries()) {
    const [value, defects] = decodeB(Buffer.from(t, "latin1"));
    assert.deepEqual(
      [value.toString("hex"), defects.map((d) => d.constructor.name)],
      expected[i],
      JSON.stringify(t),
    );
  }
});
