/**
 * Differential: netkit's textproto and the same logic in python3's own
 * modules, fed the same bytes. smtplib's `getreply` (reply parsing),
 * nntplib's and poplib's `_getlongresp` (dot-unstuffing) and smtplib's
 * `data()` (dot-stuffing of a str message) run over a fake socket file; all
 * cases go to one python3 run per test.
 *
 * Where netkit is stricter on purpose (a reply line smtplib reads with
 * `int()` but that is not `DDD`, `DDD text` or `DDD-text`; poplib dropping a
 * leading CR of an LF-ended line), the test checks netkit refuses or
 * differs only in those cases.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { LINE_LIMITS } from "../../src/textproto/limits.js";
import { parseCodeLine } from "../../src/textproto/reader.js";
import { dotStuff } from "../../src/textproto/writer.js";
import { hasCommand, peerSkip } from "../_support/peers.js";
import { python } from "../_support/python.js";
import { readerOver } from "../textproto/_support.js";

const skip = peerSkip("python3", hasCommand("python3"));
const b64 = (b: Uint8Array) => Buffer.from(b).toString("base64");
const unb64 = (s: string) => Buffer.from(s, "base64");
const show = (b: Buffer) => JSON.stringify(b.toString("latin1"));

const REPLY_SCRIPT = `
import io, json, sys, base64, smtplib
out = []
for wire in json.load(sys.stdin):
    s = smtplib.SMTP()
    s.file = io.BytesIO(base64.b64decode(wire))
    got = []
    try:
        while True:
            code, text = s.getreply()
            got.append([code, base64.b64encode(text).decode()])
            if code == -1:
                break
    except smtplib.SMTPServerDisconnected:
        got.append("eof")
    except smtplib.SMTPResponseException as e:
        got.append(["toolong", e.smtp_code])
    out.append(got)
print(json.dumps(out))
`;

type PyReply = [number, string] | "eof" | ["toolong", number];

/** smtplib's per-line strip (`strip(b' \\t\\r\\n')`), to compare its text with netkit's lines. */
function pyStrip(line: Buffer): Buffer {
  const ws = (b: number | undefined) => b === 0x20 || b === 0x09 || b === 0x0d || b === 0x0a;
  let a = 0;
  let z = line.length;
  while (a < z && ws(line[a])) a++;
  while (z > a && ws(line[z - 1])) z--;
  return line.subarray(a, z);
}

/** Reads replies until an error, in the same shape as the python side. */
async function netkitReplies(wire: Buffer): Promise<Array<[number, Buffer] | string>> {
  const r = readerOver(wire, [5], { maxLine: LINE_LIMITS.smtplib });
  const got: Array<[number, Buffer] | string> = [];
  for (;;) {
    try {
      const reply = await r.readResponse();
      got.push([
        reply.code,
        Buffer.concat(reply.lines.map(pyStrip).flatMap((l, i) => (i ? [Buffer.from("\n"), l] : [l]))),
      ]);
    } catch (err) {
      got.push((err as { code: string }).code);
      return got;
    }
  }
}

const replyText = fc
  .array(fc.oneof(fc.constantFrom(" ", "\t", "a", "Z", "-", "0", "\u00e9"), fc.string({ maxLength: 3 })), {
    maxLength: 12,
  })
  .map((parts) => parts.join("").replace(/[\r\n]/g, ""));
const wellFormedReply = fc
  .tuple(
    fc.integer({ min: 100, max: 999 }),
    fc.array(replyText, { minLength: 1, maxLength: 5 }),
    fc.constantFrom("\r\n", "\n"),
  )
  .map(([code, lines, eol]) =>
    lines
      .map((t, i) => `${code}${i < lines.length - 1 ? "-" : t === "" && i % 2 ? "" : " "}${t}${eol}`)
      .join(""),
  );
const nearMiss = fc
  .constantFrom(
    "25 ok",
    "2500 ok",
    "25O ok",
    " 250 ok",
    "+25 ok",
    "2_5 ok",
    "250\tok",
    "250x",
    "099 ok",
    "000 ok",
    "-25 no",
    "abc",
    "",
    "250\rok",
    "250:ok",
    "1234",
    "12",
  )
  .map((l) => `${l}\r\n`);

describe("textproto against python3", () => {
  test("readResponse() reads replies as smtplib's getreply does: same code and text", { skip }, async () => {
    const cases = fc.sample(
      fc.array(fc.oneof({ weight: 4, arbitrary: wellFormedReply }, { weight: 1, arbitrary: nearMiss }), {
        minLength: 1,
        maxLength: 4,
      }),
      { numRuns: 400, seed: 20261207 },
    );
    // Line limit boundaries: smtplib reads _MAXLINE + 1 and refuses more than _MAXLINE.
    for (const total of [8191, 8192, 8193, 9000]) cases.push([`250 ${"x".repeat(total - 6)}\r\n`]);
    cases.push(["250-a\r\n250-b\r\n"], []);
    const wires = cases.map((replies) => Buffer.from(replies.join(""), "utf8"));
    const py = await python<PyReply[][]>(REPLY_SCRIPT, wires.map(b64));
    let refusedByBoth = 0;
    let stricter = 0;
    for (const [i, wire] of wires.entries()) {
      const ours = await netkitReplies(wire);
      const theirs = py[i]!;
      const where = `getreply(${show(wire)}) / python: ${JSON.stringify(theirs)} / netkit: ${JSON.stringify(ours.map((x) => (typeof x === "string" ? x : [x[0], x[1].toString("latin1")])))}`;
      for (const [k, p] of theirs.entries()) {
        const n = ours[k];
        if (p === "eof") {
          assert.equal(n, "ERR_TEXTPROTO_EOF", where);
        } else if (p[0] === "toolong") {
          assert.equal(n, "ERR_TEXTPROTO_LINE_TOO_LONG", where);
        } else if (p[0] === -1) {
          assert.equal(n, "ERR_TEXTPROTO_BAD_REPLY", where);
          refusedByBoth++;
          break;
        } else if (n === "ERR_TEXTPROTO_BAD_REPLY") {
          // netkit is stricter: smtplib took a line that is not DDD, "DDD text" or "DDD-text".
          const first = Buffer.from(cases[i]![k]!.split("\n")[0]!.replace(/\r$/, ""), "utf8");
          assert.equal(parseCodeLine(first), undefined, where);
          stricter++;
          break;
        } else {
          assert.ok(Array.isArray(n), where);
          assert.equal(n[0], p[0], where);
          assert.equal(n[1].toString("latin1"), unb64(p[1]).toString("latin1"), where);
        }
      }
    }
    assert.ok(
      refusedByBoth > 10 && stricter > 10,
      `refused by both ${refusedByBoth}, only by netkit ${stricter}`,
    );
  });

  test("parseCodeLine() accepts only lines smtplib reads with the same code", { skip }, async () => {
    const lines = fc.sample(
      fc.array(fc.constantFrom(..."0123456789 -+_\tx\u0660"), { maxLength: 6 }).map((a) => a.join("")),
      { numRuns: 2000, seed: 20261211 },
    );
    const script = `
import json, sys
out = []
for line in json.load(sys.stdin):
    b = line.encode()
    try:
        out.append([int(b[:3]), b[3:4] == b"-"])
    except ValueError:
        out.append(None)
print(json.dumps(out))
`;
    const py = await python<Array<[number, boolean] | null>>(script, lines);
    for (const [i, line] of lines.entries()) {
      const ours = parseCodeLine(Buffer.from(line));
      if (ours === undefined) continue;
      assert.deepEqual(
        [ours.code, ours.more],
        py[i],
        `parseCodeLine(${JSON.stringify(line)}) / python: ${JSON.stringify(py[i])} / netkit: ${JSON.stringify(ours)}`,
      );
    }
  });

  const BLOCK_SCRIPT = `
import io, json, sys, base64, nntplib, poplib
def b64(b): return base64.b64encode(b).decode()
out = []
for case in json.load(sys.stdin):
    block = base64.b64decode(case)
    n = nntplib.NNTP.__new__(nntplib.NNTP)
    n.debugging = 0
    n.encoding = "utf-8"
    n.errors = "surrogateescape"
    n.file = io.BytesIO(b"222 0 <a@b> article\\r\\n" + block)
    try:
        nn = [b64(l) for l in n._getlongresp()[1]]
    except EOFError:
        nn = "eof"
    except nntplib.NNTPDataError:
        nn = "toolong"
    p = poplib.POP3.__new__(poplib.POP3)
    p._debugging = 0
    p.file = io.BytesIO(b"+OK\\r\\n" + block)
    try:
        pp = [b64(l) for l in p._getlongresp()[1]]
    except poplib.error_proto as e:
        pp = "eof" if "EOF" in str(e) else "toolong"
    out.append([nn, pp])
print(json.dumps(out))
`;

  test("readDotLines() unstuffs blocks as nntplib's and poplib's _getlongresp do", { skip }, async () => {
    const line = fc
      .tuple(
        fc.array(fc.constantFrom(".", ".", "a", " ", "\r", "\u00e9"), { maxLength: 5 }),
        fc.constantFrom("\r\n", "\n"),
      )
      .map(([chars, eol]) => chars.join("") + eol);
    const blocks = fc
      .sample(fc.tuple(fc.array(line, { maxLength: 8 }), fc.constantFrom(".\r\n", ".\n", "")), {
        numRuns: 400,
        seed: 20261212,
      })
      .map(([lines, end]) => Buffer.from(lines.join("") + end, "utf8"));
    // Line limit boundaries: both read _MAXLINE (2048) + 1 and refuse more.
    for (const total of [2047, 2048, 2049]) blocks.push(Buffer.from(`${"y".repeat(total - 2)}\r\n.\r\n`));
    const py = await python<Array<[string[] | string, string[] | string]>>(BLOCK_SCRIPT, blocks.map(b64));
    let poplibQuirk = 0;
    for (const [i, block] of blocks.entries()) {
      let ours: string[] | string;
      try {
        const r = readerOver(block, [3], { maxLine: LINE_LIMITS.nntplib });
        ours = (await r.readDotLines()).map((l) => l.toString("latin1"));
      } catch (err) {
        ours = (err as { code: string }).code === "ERR_TEXTPROTO_EOF" ? "eof" : "toolong";
      }
      const [nn, pp] = py[i]!;
      const decode = (x: string[] | string) =>
        typeof x === "string" ? x : x.map((l) => unb64(l).toString("latin1"));
      const where = (who: string, theirs: string[] | string) =>
        `_getlongresp(${show(block)}) / ${who}: ${JSON.stringify(decode(theirs))} / netkit: ${JSON.stringify(ours)}`;
      assert.deepEqual(ours, decode(nn), where("nntplib", nn));
      // poplib drops the first byte of an LF-ended line that starts with CR ("\r.\n" even ends its block).
      if (/(^|\n)\r[^\n]*(?<!\r)\n/.test(block.toString("latin1"))) {
        poplibQuirk++;
        continue;
      }
      assert.deepEqual(ours, decode(pp), where("poplib", pp));
    }
    assert.ok(poplibQuirk < blocks.length / 2, `${poplibQuirk} blocks skipped for poplib`);
  });

  test("dotStuff() sends what smtplib's data() sends for a str message", { skip }, async () => {
    const messages = fc.sample(
      fc
        .array(fc.constantFrom(".", "\r", "\n", "a", " ", "\r\n", "\n."), { maxLength: 20 })
        .map((a) => a.join("")),
      { numRuns: 500, seed: 20261213 },
    );
    messages.push("", ".", "\r", "\n", "a\r.\r\nb", "a\n.\nb", "a\n.\r\nb", "a\r.\nb");
    const script = `
import json, sys, base64, smtplib
out = []
for msg in json.load(sys.stdin):
    s = smtplib.SMTP()
    sent = []
    replies = iter([(354, b"go"), (250, b"ok")])
    s.putcmd = lambda *a: None
    s.getreply = lambda: next(replies)
    s.send = sent.append
    s.data(msg)
    out.append(base64.b64encode(sent[0]).decode())
print(json.dumps(out))
`;
    const py = await python<string[]>(script, messages);
    for (const [i, msg] of messages.entries()) {
      const ours = dotStuff(msg).toString("latin1");
      const theirs = unb64(py[i]!).toString("latin1");
      assert.equal(
        ours,
        theirs,
        `data(${JSON.stringify(msg)}) / python: ${JSON.stringify(theirs)} / netkit: ${JSON.stringify(ours)}`,
      );
    }
  });
});
