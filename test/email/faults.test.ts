/**
 * Hostile and broken messages: each parses with its defects recorded, in
 * bounded time and memory, never a throw, a stack overflow or a hang; where
 * python3 can parse the same input, the trees agree. Then fast-check:
 * messages assembled from broken pieces parse to python3's tree, and any
 * chunking of the input through `BytesFeedParser` gives the same tree as
 * one `feed()`.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { NestingTooDeepDefect } from "../../src/email/errors.js";
import { BytesFeedParser, MAX_NESTING_DEPTH } from "../../src/email/feedparser.js";
import { messageFromBytes, messageFromString } from "../../src/email/index.js";
import type { Message } from "../../src/email/message.js";
import { python } from "../_support/python.js";
import { dumpMessage, PY_DUMP } from "./_dump.js";

const SEED = 20261207;

async function agreeWithPython(cases: { name: string; data: Buffer }[]): Promise<void> {
  const expected = await python<Record<string, unknown>>(
    PY_DUMP,
    cases.map((c) => ({ name: c.name, data: c.data.toString("base64") })),
    120_000,
  );
  for (const { name, data } of cases) {
    assert.deepEqual(
      dumpMessage(() => messageFromBytes(data)),
      expected[name],
      `${name}: ${JSON.stringify(data.toString("latin1").slice(0, 300))}`,
    );
  }
}

test("messageFromBytes() records python3's defects for truncated, unterminated and garbled messages", async () => {
  const mp = "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n";
  const cases: Record<string, string> = {
    "truncated multipart": `${mp}--b\nContent-Type: text/plain\n\nhello`,
    "boundary never ends": `${mp}preamble only\nno boundary at all\n`,
    "start but no close": `${mp}--b\n\none\n--b\n\ntwo\n`,
    "no boundary parameter": "Content-Type: multipart/mixed\n\nbody\n",
    "multipart with base64 CTE": `${mp.replace("\n\n", "\nContent-Transfer-Encoding: base64\n\n")}--b\n\nx\n--b--\n`,
    "base64 garbage": "Content-Transfer-Encoding: base64\n\nSGVsbG8g!!!V29y*bGQ\n",
    "base64 bad padding": "Content-Transfer-Encoding: base64\n\nSGVsbG8\n",
    "base64 impossible length": "Content-Transfer-Encoding: base64\n\nSGVsb\n",
    "quoted-printable junk": "Content-Transfer-Encoding: quoted-printable\n\n=ZZ=4=\n=41=\r\n",
    "uuencode without begin": "Content-Transfer-Encoding: x-uuencode\n\nM86)C\nend\n",
    "uuencode truncated": "Content-Transfer-Encoding: uuencode\n\nbegin 644 f\n#86)C\n",
    "invalid charset": "Content-Type: text/plain; charset=no-such-charset\n\nh\xe9llo\n",
    "non-ASCII charset name": "Content-Type: text/plain; charset=\xe9\n\nx\n",
    "RFC 2231 bad charset":
      "Content-Type: text/plain; charset*=bogus''%E9\nContent-Disposition: attachment; filename*=bogus''%E9%E8\n\nx\n",
    "continuation first": " folded\nSubject: x\n\nbody\n",
    "no separator": "Subject: x\nthis is not a header\nbody\n",
    "misplaced From": "Subject: x\nFrom nobody\nTo: y\n\nbody\n",
    "missing header name": ": value\nSubject: x\n\nbody\n",
    digest: "Content-Type: multipart/digest; boundary=d\n\n--d\n\nSubject: inner\n\nbody\n--d--\n",
    "delivery-status":
      "Content-Type: message/delivery-status\n\nReporting-MTA: dns; x\n\nFinal-Recipient: rfc822; y\nAction: failed\n",
    "8-bit headers": "Subject: caf\xe9 \xff\nFrom: J\xf6rg <j@x>\n\nbody \xe9\n",
    "bare CR line ends": "Subject: x\rContent-Type: multipart/mixed; boundary=c\r\r--c\r\rone\r--c--\r",
    empty: "",
    "only blank": "\n\n\n",
  };
  await agreeWithPython(
    Object.entries(cases).map(([name, text]) => ({ name, data: Buffer.from(text, "latin1") })),
  );
});

test("messageFromBytes() parses a 10 MB header line and a 10 MB body line in bounded time", () => {
  const big = "x".repeat(10 * 1024 * 1024);
  const started = performance.now();
  const msg = messageFromBytes(Buffer.from(`Subject: ${big}\nX-No-Colon-${big}\n\nbody\n${big}\n`));
  assert.equal(msg.get("subject")!.length, big.length);
  assert.equal(msg.defects.length, 1);
  assert.equal(msg.defects[0]!.name, "MissingHeaderBodySeparatorDefect");
  const noColon = messageFromString(`${big}\n\nbody\n`);
  assert.equal(noColon.keys().length, 0);
  assert.ok(performance.now() - started < 30_000, "took longer than 30 s");
});

test(`FeedParser stops nesting at MAX_NESTING_DEPTH (${MAX_NESTING_DEPTH}): 10,000 nested multiparts and 10,000 nested message/rfc822 parse without a stack overflow`, () => {
  const depth = 10_000;
  let nested = "";
  for (let i = 0; i < depth; i++) nested += `Content-Type: multipart/mixed; boundary=b${i}\n\n--b${i}\n`;
  nested += "\ninnermost\n";
  for (let i = depth - 1; i >= 0; i--) nested += `--b${i}--\n`;
  const started = performance.now();
  const msg = messageFromString(nested);
  let levels = 0;
  let part: Message = msg;
  while (part.isMultipart()) {
    part = (part.getPayload() as Message[])[0]!;
    levels++;
  }
  assert.equal(levels, MAX_NESTING_DEPTH);
  assert.ok(part.defects.some((d) => d instanceof NestingTooDeepDefect));
  assert.equal(typeof part.getPayload(), "string");
  // The tree writes back and walks.
  assert.ok(msg.asString().length > 0);
  assert.equal([...msg.walk()].length, MAX_NESTING_DEPTH + 1);

  const rfc822 = `${"Content-Type: message/rfc822\n\n".repeat(depth)}Subject: in\n\nbody\n`;
  const m2 = messageFromString(rfc822);
  assert.equal([...m2.walk()].length, MAX_NESTING_DEPTH + 1);
  assert.ok(performance.now() - started < 30_000);
});

test("FeedParser handles 10,000 sibling parts and 100,000 empty boundaries", () => {
  let body = "Content-Type: multipart/mixed; boundary=s\n\n";
  for (let i = 0; i < 10_000; i++) body += `--s\nContent-Type: text/plain\n\npart ${i}\n`;
  body += "--s--\n";
  const msg = messageFromString(body);
  assert.equal((msg.getPayload() as Message[]).length, 10_000);
  assert.equal(msg.asString(), body);
  const empty = messageFromString(
    `Content-Type: multipart/mixed; boundary=e\n\n${"--e\n".repeat(100_000)}--e--\n`,
  );
  assert.ok(empty.isMultipart());
});

const PIECES = [
  "Subject: hello\n",
  "Content-Type: multipart/mixed; boundary=zz\n",
  'Content-Type: multipart/alternative; boundary="zz"\n',
  "Content-Type: message/rfc822\n",
  "Content-Type: text/plain; charset=utf-8\n",
  "Content-Transfer-Encoding: base64\n",
  "Content-Transfer-Encoding: quoted-printable\n",
  "Content-Disposition: attachment; filename*=utf-8''f%C3%A9.txt\n",
  " folded continuation\n",
  "From someone\n",
  "\n",
  "\r\n",
  "--zz\n",
  "--zz--\n",
  "--zz  \r\n",
  "SGVsbG8=\n",
  "=E9t=E9=\n",
  "plain body text\n",
  "caf\xe9 \xff\n",
  "no newline at end",
  "\r",
  ": nameless\n",
];

test("BytesFeedParser agrees with python3 on messages assembled from broken pieces (fast-check)", async () => {
  const corpus = fc.sample(fc.array(fc.constantFrom(...PIECES), { maxLength: 30 }), {
    numRuns: 500,
    seed: SEED,
  });
  await agreeWithPython(
    corpus.map((pieces, i) => ({ name: String(i), data: Buffer.from(pieces.join(""), "latin1") })),
  );
});

test("BytesFeedParser gives the same tree for any chunking of the input (fast-check)", () => {
  fc.assert(
    fc.property(
      fc.array(fc.constantFrom(...PIECES), { maxLength: 30 }),
      fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 50 }),
      (pieces, cuts) => {
        const data = Buffer.from(pieces.join(""), "latin1");
        const whole = dumpMessage(() => messageFromBytes(data));
        const chunked = dumpMessage(() => {
          const p = new BytesFeedParser();
          let at = 0;
          for (let i = 0; at < data.length; i++) {
            const n = cuts[i % cuts.length]!;
            p.feed(data.subarray(at, at + n));
            at += n;
          }
          return p.close();
        });
        assert.deepEqual(chunked, whole);
      },
    ),
    { numRuns: 400, seed: SEED },
  );
});
