/**
 * The response parser: tables, fast-check properties (no input throws; any
 * chunking of a response stream gives the same `[typ, data]`), and a
 * differential run of thousands of generated lines against python3's own
 * imaplib patterns (`tagre`, `Untagged_response`, `Untagged_status`,
 * `Continuation`, `Literal`, `Response_code`) as `_get_response` applies them.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import {
  IMAP4,
  type IMAPResult,
  literalSize,
  parseResponseCode,
  parseResponseLine,
} from "../../src/imaplib/index.js";
import { iterableSource } from "../../src/io/memory.js";
import { BufferedReader } from "../../src/io/reader.js";
import { Reader } from "../../src/textproto/index.js";
import { python } from "../_support/python.js";

const b = (s: string) => Buffer.from(s, "latin1");

describe("parseResponseLine()", () => {
  test("parseResponseLine() reads tagged, untagged, status and continuation lines as Python does", () => {
    assert.deepEqual(parseResponseLine(b("ABCD12 OK [READ-WRITE] done"), "ABCD"), {
      kind: "tagged",
      tag: "ABCD12",
      type: "OK",
      data: b("[READ-WRITE] done"),
    });
    assert.deepEqual(parseResponseLine(b("* 3 EXISTS"), "ABCD"), {
      kind: "untagged",
      type: "EXISTS",
      data: b("3"),
    });
    assert.deepEqual(parseResponseLine(b("* 1 FETCH (FLAGS ())"), "ABCD"), {
      kind: "untagged",
      type: "FETCH",
      data: b("1 (FLAGS ())"),
    });
    // Python: `if dat2: dat = dat + b' ' + dat2`; an empty data2 adds nothing.
    assert.deepEqual(parseResponseLine(b("* 1 EXISTS "), "ABCD"), {
      kind: "untagged",
      type: "EXISTS",
      data: b("1"),
    });
    assert.deepEqual(parseResponseLine(b("* OK"), "ABCD"), { kind: "untagged", type: "OK", data: b("") });
    assert.deepEqual(parseResponseLine(b("+"), "ABCD"), { kind: "continuation", data: null });
    assert.deepEqual(parseResponseLine(b("+ idling"), "ABCD"), { kind: "continuation", data: b("idling") });
    // Python's tagre needs a space after the type: a bare "TAG OK" is no response at all.
    assert.equal(parseResponseLine(b("ABCD1 OK"), "ABCD"), undefined);
    assert.equal(parseResponseLine(b("EFGH1 OK other prefix"), "ABCD"), undefined);
    assert.equal(parseResponseLine(b(""), "ABCD"), undefined);
  });

  test("literalSize() finds {N} at the end only; a huge N is infinite, never small", () => {
    assert.equal(literalSize(b("1 (RFC822 {10240}")), 10240);
    assert.equal(literalSize(b("{0}")), 0);
    assert.equal(literalSize(b("1 (RFC822 {12} x")), undefined);
    assert.equal(literalSize(b("1 (RFC822 {12a}")), undefined);
    assert.equal(literalSize(b(`x {${"9".repeat(16)}}`)), Number.POSITIVE_INFINITY);
    assert.equal(literalSize(b(`x {${"9".repeat(60)}}`)), Number.POSITIVE_INFINITY);
  });

  test("parseResponseCode() reads a bracketed code, its data running to the last ']'", () => {
    assert.deepEqual(parseResponseCode(b("[READ-ONLY] ok")), { type: "READ-ONLY", data: null });
    assert.deepEqual(parseResponseCode(b("[UIDVALIDITY 42] ok")), { type: "UIDVALIDITY", data: b("42") });
    assert.deepEqual(parseResponseCode(b("[PERMANENTFLAGS (\\Seen x]y)] ok [z]")), {
      type: "PERMANENTFLAGS",
      data: b("(\\Seen x]y)] ok [z"),
    });
    assert.equal(parseResponseCode(b("no code")), undefined);
    assert.equal(parseResponseCode(b("[lower] x")), undefined);
  });

  test("parseResponseLine() never throws, and what it returns is a part of the line", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const line = Buffer.from(bytes.filter((x) => x !== 0x0a));
        const r = parseResponseLine(line, "ABCD");
        if (r === undefined || r.kind === "continuation") return;
        if (r.kind === "tagged") assert.ok(line.toString("latin1").startsWith(`${r.tag} ${r.type} `));
        literalSize(r.data);
        parseResponseCode(r.data);
      }),
      { seed: 16, numRuns: 2000 },
    );
  });
});

const TOKENS = [
  "*",
  " ",
  " ",
  "+",
  "OK",
  "NO",
  "BAD",
  "BYE",
  "EXISTS",
  "FETCH",
  "X-Y",
  "ok",
  "1",
  "23",
  "{5}",
  "{0}",
  "{123456789012}",
  "{",
  "}",
  "[",
  "]",
  "READ-ONLY",
  "UIDVALIDITY",
  "(",
  ")",
  "\\Seen",
  '"',
  "a",
  "\r",
  "\xe9",
  "-",
  "ABCD",
  "ABCD7",
  "ABCE7",
];

const PY_CLASSIFY = `
import imaplib, json, re, sys
a = json.load(sys.stdin)
tagre = re.compile(br'(?P<tag>' + a["prefix"].encode() + br'\\d+) (?P<type>[A-Z]+) (?P<data>.*)', re.ASCII)
status = re.compile(imaplib._Untagged_status, re.ASCII)
literal = re.compile(imaplib._Literal, re.ASCII)
def code(dat):
    mo = imaplib.Response_code.match(dat)
    if not mo: return None
    d = mo.group("data")
    return [mo.group("type").decode(), None if d is None else d.decode("latin-1")]
out = []
for s in a["lines"]:
    resp = s.encode("latin-1")
    mo = tagre.match(resp)
    if mo:
        out.append(["tagged", mo.group("tag").decode(), mo.group("type").decode(), mo.group("data").decode("latin-1"), None, code(mo.group("data"))])
        continue
    dat2 = None
    mo = imaplib.Untagged_response.match(resp)
    if not mo:
        mo = status.match(resp)
        if mo: dat2 = mo.group("data2")
    if mo is None:
        mo = imaplib.Continuation.match(resp)
        if mo:
            d = mo.group("data")
            out.append(["continuation", None if d is None else d.decode("latin-1")])
        else:
            out.append(None)
        continue
    typ = mo.group("type").decode()
    dat = mo.group("data") or b""
    if dat2: dat = dat + b" " + dat2
    lit = literal.match(dat)
    out.append(["untagged", typ, dat.decode("latin-1"), int(lit.group("size")) if lit else None, code(dat)])
print(json.dumps(out))
`;

function classify(line: string, prefix: string): unknown {
  const r = parseResponseLine(b(line), prefix);
  if (r === undefined) return null;
  if (r.kind === "continuation") return ["continuation", r.data === null ? null : r.data.toString("latin1")];
  const c = parseResponseCode(r.data);
  const codeOut = c === undefined ? null : [c.type, c.data === null ? null : c.data.toString("latin1")];
  if (r.kind === "tagged") return ["tagged", r.tag, r.type, r.data.toString("latin1"), null, codeOut];
  return ["untagged", r.type, r.data.toString("latin1"), literalSize(r.data) ?? null, codeOut];
}

test("parseResponseLine() classifies generated lines exactly as python3's imaplib patterns do", async () => {
  const line = fc.array(fc.constantFrom(...TOKENS), { maxLength: 12 }).map((t) => t.join(""));
  const starts = fc.constantFrom("* ", "+", "ABCD3 ", "* 1 ", "");
  const lines = fc.sample(
    fc.tuple(starts, line).map(([s, l]) => s + l),
    { seed: 1611, numRuns: 3000 },
  );
  const py = await python<unknown[]>(PY_CLASSIFY, { prefix: "ABCD", lines });
  for (const [i, l] of lines.entries()) {
    const nk = classify(l, "ABCD");
    assert.deepEqual(
      nk,
      py[i],
      `parseResponseLine(${JSON.stringify(l)})\npython: ${JSON.stringify(py[i])}\nnetkit: ${JSON.stringify(nk)}`,
    );
  }
});

/** An IMAP4 over bytes in memory: the server's stream is `responses(tagpre)`, cut into the given chunks. */
class MemoryIMAP extends IMAP4 {
  sent: Buffer[] = [];
  constructor(
    private readonly responses: (tagpre: string) => Buffer,
    private readonly cuts: number[],
  ) {
    super("memory", 143);
  }
  override async open(): Promise<void> {
    const self = this;
    async function* chunks(): AsyncGenerator<Buffer> {
      yield b("* OK ready\r\n");
      const all = self.responses(self.tagpre);
      let at = 0;
      for (const cut of self.cuts) {
        if (at >= all.length) break;
        yield all.subarray(at, at + cut);
        at += cut;
      }
      if (at < all.length) yield all.subarray(at);
    }
    this.reader = new Reader(new BufferedReader(iterableSource(chunks())), { maxLine: this.maxLine });
  }
  override async send(data: Uint8Array): Promise<void> {
    this.sent.push(Buffer.from(data));
  }
  override async shutdown(): Promise<void> {
    this.reader = null;
  }
}

test("fetch() returns the same [header, literal] pairs however the response stream is cut", async () => {
  const message = fc.record({
    num: fc.integer({ min: 1, max: 9999 }),
    body: fc.uint8Array({ maxLength: 300 }).map((u) => Buffer.from(u)),
  });
  await fc.assert(
    fc.asyncProperty(
      fc.array(message, { minLength: 1, maxLength: 5 }),
      fc.array(fc.integer({ min: 1, max: 64 }), { maxLength: 200 }),
      async (messages, cuts) => {
        const expected: IMAPResult = ["OK", []];
        const M = new MemoryIMAP(
          (tag) =>
            Buffer.concat([
              b(`* CAPABILITY IMAP4rev1\r\n${tag}0 OK done\r\n`),
              ...messages.flatMap((m) => [
                b(`* ${m.num} FETCH (RFC822 {${m.body.length}}\r\n`),
                m.body,
                b(")\r\n"),
              ]),
              b(`${tag}1 OK fetched\r\n`),
            ]),
          cuts,
        );
        for (const m of messages)
          expected[1].push([b(`${m.num} (RFC822 {${m.body.length}}`), m.body], b(")"));
        await M.start();
        M.state = "SELECTED";
        assert.deepEqual(await M.fetch("1:*", "(RFC822)"), expected);
      },
    ),
    { seed: 1612, numRuns: 200 },
  );
});
