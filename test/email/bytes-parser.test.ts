/**
 * `BytesParser` reads bytes as latin-1 text and escapes only the text a
 * message keeps (see FeedParser's `#latin1`). These check that this gives
 * the tree of Python's way (the bytes decoded with `surrogateescape`, then
 * parsed as text) on messages whose 8-bit bytes sit everywhere the parser
 * looks: header values and continuations, the envelope line, boundaries
 * (raw, quoted, RFC 2231 in latin-1), preambles, epilogues and bodies;
 * against python3 too.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { decodeSurrogateEscape } from "../../src/email/_bytes.js";
import { messageFromBytes } from "../../src/email/index.js";
import { BytesParser, Parser } from "../../src/email/parser.js";
import { python } from "../_support/python.js";
import { dumpMessage, PY_DUMP } from "./_dump.js";

const SEED = 20261208;

const PIECES = [
  "From caf\xe9@example.com Mon Dec  7 10:00:00 2026\n",
  "Subject: caf\xe9 \xff\n",
  " folded \xe9 continuation\n",
  "\tfolded tab\n",
  'Content-Type: multipart/mixed; boundary="z\xe9"\n',
  "Content-Type: multipart/mixed; boundary=z\xe9\n",
  "Content-Type: multipart/mixed; boundary*=iso-8859-1''z%E9\n",
  "Content-Type: multipart/alternative; boundary=plain\n",
  "Content-Type: text/plain; charset=latin-1\n",
  "Content-Type: message/rfc822\n",
  "Content-Transfer-Encoding: base64\n",
  "Content-Transfer-Encoding: quoted-printable\n",
  'Content-Disposition: attachment; filename="f\xe9.txt"\n',
  "\n",
  "\r\n",
  "--z\xe9\n",
  "--z\xe9--\n",
  "--z\xe9 \r\n",
  "--z\n",
  "--plain\n",
  "--plain--\n",
  "SGVsbG8=\n",
  "QUJD\r\nQUI=\r\n",
  "=E9t=E9=\n",
  "caf\xe9 body \xff\xfe\n",
  "preamble \x80\n",
  "\xe9: header named in 8 bits\n",
  ": nameless\n",
  "From \xe9 misplaced\n",
  "no newline at end \xe9",
  "\r",
];

const messages = fc.array(fc.constantFrom(...PIECES), { maxLength: 30 }).map((pieces) => {
  return Buffer.from(pieces.join(""), "latin1");
});

/** Python's way: the bytes as surrogateescape text, parsed as text. */
function viaText(data: Buffer) {
  return dumpMessage(() => new Parser().parsestr(decodeSurrogateEscape(data)));
}

test("BytesParser.parsebytes() gives the tree of the text parser on the escaped text (fast-check)", () => {
  fc.assert(
    fc.property(messages, (data) => {
      assert.deepEqual(
        dumpMessage(() => messageFromBytes(data)),
        viaText(data),
        JSON.stringify(data.toString("latin1")),
      );
    }),
    { numRuns: 600, seed: SEED },
  );
});

test("BytesParser.parse() of chunks gives the tree of Parser.parse() on the escaped text, line ends made \\n (fast-check)", () => {
  fc.assert(
    fc.property(
      messages,
      fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 20 }),
      (data, cuts) => {
        const chunks: Buffer[] = [];
        for (let at = 0, i = 0; at < data.length; i++) {
          const n = cuts[i % cuts.length]!;
          chunks.push(data.subarray(at, at + n));
          at += n;
        }
        const text = decodeSurrogateEscape(data).replace(/\r\n?/g, "\n");
        assert.deepEqual(
          dumpMessage(() => new BytesParser().parse(chunks)),
          dumpMessage(() => new Parser().parse(text)),
          JSON.stringify(data.toString("latin1")),
        );
      },
    ),
    { numRuns: 300, seed: SEED + 1 },
  );
});

test("messageFromBytes() agrees with python3 on messages with 8-bit bytes in headers, boundaries and bodies (fast-check)", async () => {
  const corpus = fc.sample(messages, { numRuns: 300, seed: SEED + 2 });
  const expected = await python<Record<string, unknown>>(
    PY_DUMP,
    corpus.map((data, i) => ({ name: String(i), data: data.toString("base64") })),
    120_000,
  );
  for (const [i, data] of corpus.entries()) {
    assert.deepEqual(
      dumpMessage(() => messageFromBytes(data)),
      expected[String(i)],
      JSON.stringify(data.toString("latin1")),
    );
  }
});

test("BytesParser uses a Parser subclass's own parsestr(), as Python hands it the text", () => {
  class Upper extends Parser {
    override parsestr(text: string, headersonly = false) {
      return super.parsestr(text.replace("subject", "Subject"), headersonly);
    }
  }
  const p = new BytesParser();
  (p as { parser: Parser }).parser = new Upper();
  assert.equal(p.parsebytes(Buffer.from("subject: caf\xe9\n\nbody\n", "latin1")).get("Subject"), "caf\ufffd");
});
