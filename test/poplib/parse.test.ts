/**
 * poplib's response parsing, checked against python3's poplib on the same
 * bytes (fast-check, fixed seeds, every batch in one python3 run): whole
 * streams of status lines and multi-line responses read by netkit's
 * `readStatus`/`readLongResponse` (over textproto's Reader, cut into random
 * chunks) and by Python's `_getresp`/`_getlongresp` (over `io.BytesIO`);
 * STAT's numbers, CAPA's lines and APOP's timestamp.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { BufferedReader, BytesSource } from "../../src/io/index.js";
import { error_proto } from "../../src/poplib/index.js";
import { apopDigest, apopTimestamp, commandLine, parseCapa, parseStat } from "../../src/poplib/parse.js";
import { readLongResponse, readStatus } from "../../src/poplib/response.js";
import { LINE_LIMITS, Reader } from "../../src/textproto/index.js";
import { python } from "../_support/python.js";

const latin1 = (b: Buffer): string => b.toString("latin1");

/** One response of a generated stream: a status line alone, or with lines. */
interface Response {
  long: boolean;
  status: Buffer;
  lines: Buffer[];
}

/** Bytes of one line: any byte but LF (a CR inside a line is data), short or near the 2048 limit. */
const lineBytes = fc
  .oneof(
    { weight: 20, arbitrary: fc.uint8Array({ maxLength: 40 }) },
    {
      weight: 4,
      arbitrary: fc
        .constantFrom(".", "..", "...", ". ", "", "\r", ".\r")
        .map((s) => Buffer.from(s, "latin1")),
    },
    { weight: 1, arbitrary: fc.integer({ min: 2040, max: 2052 }).map((n) => Buffer.alloc(n, 0x61)) },
  )
  .map((a) => Buffer.from(a).filter((b) => b !== 0x0a) as Buffer);

const status = fc.oneof(
  { weight: 6, arbitrary: lineBytes.map((t) => Buffer.concat([Buffer.from("+OK "), t])) },
  { weight: 1, arbitrary: lineBytes.map((t) => Buffer.concat([Buffer.from("-ERR "), t])) },
  { weight: 1, arbitrary: lineBytes },
);

const response: fc.Arbitrary<Response> = fc.record({
  long: fc.boolean(),
  status,
  lines: fc.array(
    lineBytes.map((l) => Buffer.from(l)),
    { maxLength: 12 },
  ),
});

/** A stream as a conforming server sends it: CRLF line ends, leading dots doubled, a '.' line after each block. */
function wireOf(responses: Response[]): Buffer {
  const parts: Buffer[] = [];
  for (const r of responses) {
    parts.push(r.status, Buffer.from("\r\n"));
    if (!r.long) continue;
    for (const line of r.lines)
      parts.push(line[0] === 0x2e ? Buffer.from(".") : Buffer.alloc(0), line, Buffer.from("\r\n"));
    parts.push(Buffer.from(".\r\n"));
  }
  return Buffer.concat(parts);
}

type Result = string | [string, string[], number] | { err: string } | { errb: string };

function errorResult(err: unknown): Result {
  if (!(err instanceof error_proto)) throw err;
  return typeof err.response === "string" ? { err: err.response } : { errb: latin1(err.response) };
}

/** netkit reads `kinds` off `wire`, cut into chunks of `sizes`; stops at the first error. */
async function netkitReads(wire: Buffer, kinds: boolean[], sizes: number[]): Promise<Result[]> {
  const reader = new Reader(new BufferedReader(new BytesSource(wire, sizes)), {
    maxLine: LINE_LIMITS.poplib,
  });
  const out: Result[] = [];
  for (const long of kinds) {
    try {
      if (long) {
        const [resp, lines, octets] = await readLongResponse(reader, Number.POSITIVE_INFINITY);
        out.push([latin1(resp), lines.map(latin1), octets]);
      } else out.push(latin1(await readStatus(reader)));
    } catch (err) {
      out.push(errorResult(err));
      break;
    }
  }
  return out;
}

const PY_READS = `
import json, sys, io, poplib
out = []
for case in json.load(sys.stdin):
    p = poplib.POP3.__new__(poplib.POP3)
    p._debugging = 0
    p.file = io.BytesIO(case['wire'].encode('latin1'))
    res = []
    for long in case['kinds']:
        try:
            if long:
                r, lines, octets = p._getlongresp()
                res.append([r.decode('latin1'), [l.decode('latin1') for l in lines], octets])
            else:
                res.append(p._getresp().decode('latin1'))
        except poplib.error_proto as e:
            a = e.args[0]
            res.append({'errb': a.decode('latin1')} if isinstance(a, bytes) else {'err': a})
            break
    out.append(res)
print(json.dumps(out))
`;

describe("responses, differential with python3's poplib", () => {
  test("readStatus() and readLongResponse() read any conforming stream as python3 does, however it is cut (fast-check)", async () => {
    const cases = fc.sample(
      fc.record({
        responses: fc.array(response, { minLength: 1, maxLength: 5 }),
        sizes: fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 5 }),
      }),
      { numRuns: 300, seed: 20261207 },
    );
    const inputs = cases.map((c) => ({
      wire: latin1(wireOf(c.responses)),
      kinds: c.responses.map((r) => r.long),
    }));
    const theirs = await python<Result[][]>(PY_READS, inputs);
    for (const [i, c] of cases.entries()) {
      const input = inputs[i]!;
      const ours = await netkitReads(Buffer.from(input.wire, "latin1"), input.kinds, c.sizes);
      assert.deepEqual(
        ours,
        theirs[i],
        `wire ${JSON.stringify(input.wire)}\npython: ${JSON.stringify(theirs[i])}\nnetkit: ${JSON.stringify(ours)}`,
      );
    }
  });

  test("a stream cut anywhere gives python3's values, then error_proto('-ERR EOF') (python3 returns a cut status line less a byte) (fast-check)", async () => {
    const cases = fc.sample(
      fc.record({
        responses: fc.array(response, { minLength: 1, maxLength: 4 }),
        cut: fc.double({ min: 0, max: 1, noNaN: true }),
      }),
      { numRuns: 300, seed: 7 },
    );
    const inputs = cases.map((c) => {
      const wire = wireOf(c.responses);
      return {
        wire: latin1(wire.subarray(0, Math.floor(wire.length * c.cut))),
        kinds: c.responses.map((r) => r.long),
      };
    });
    const theirs = await python<Result[][]>(PY_READS, inputs);
    for (const [i, input] of inputs.entries()) {
      const ours = await netkitReads(Buffer.from(input.wire, "latin1"), input.kinds, [7]);
      const py = theirs[i]!;
      const show = `wire ${JSON.stringify(input.wire)}\npython: ${JSON.stringify(py)}\nnetkit: ${JSON.stringify(ours)}`;
      const last = ours[ours.length - 1];
      if (JSON.stringify(ours) === JSON.stringify(py)) continue;
      // The one documented difference: the last thing read was a status line the cut ended.
      assert.deepEqual(ours.slice(0, -1), py.slice(0, ours.length - 1), show);
      assert.deepEqual(last, { err: "-ERR EOF" }, show);
      assert.ok(!input.wire.endsWith("\n"), show);
    }
  });
});

describe("pure parts, differential with python3", () => {
  test("parseStat(), parseCapa() and apopTimestamp() give python3's answers for any bytes (fast-check)", async () => {
    const word = fc.oneof(
      fc.constantFrom(
        "+OK",
        "12",
        "+3",
        "-4",
        "1_000",
        "1__0",
        "0x1",
        "\xd9\xa3",
        " ",
        "\t",
        "\x0b",
        "\x1c",
        "\xa0",
        "\x85",
        "<",
        ">",
        "@",
      ),
      fc.string({ maxLength: 4 }).map((s) => [...s].filter((c) => c.charCodeAt(0) <= 0xff).join("")),
    );
    const line = fc
      .tuple(fc.array(word, { maxLength: 6 }), fc.constantFrom(" ", "  ", "\t"))
      .map(([words, sep]) => words.join(sep).replace(/\n/g, ""));
    const cases = fc.sample(line, { numRuns: 500, seed: 42 });
    const theirs = await python<[string | null, string[] | null, string | null][]>(
      `
import json, sys, re, poplib
out = []
for text in json.load(sys.stdin):
    b = text.encode('latin1')
    try:
        rets = b.split()
        stat = [int(rets[1]), int(rets[2])]
    except (IndexError, ValueError):
        stat = None
    try:
        lst = b.decode('ascii').split()
        capa = [lst[0], lst[1:]] if lst else None
    except UnicodeDecodeError:
        capa = 'decode'
    m = poplib.POP3.timestamp.match(b)
    out.append([stat, capa, m.group(1).decode('latin1') if m else None])
print(json.dumps(out))
`,
      cases,
    );
    for (const [i, text] of cases.entries()) {
      const b = Buffer.from(text, "latin1");
      let stat: [number, number] | null = null;
      try {
        stat = parseStat(b);
      } catch (err) {
        assert.ok(err instanceof error_proto && err.code === "ERR_POP3_BAD_RESPONSE");
      }
      let capa: unknown = null;
      try {
        const m = parseCapa([b]);
        capa = m.size === 0 ? null : [...m][0];
      } catch (err) {
        assert.equal((err as Error).name, "UnicodeDecodeError");
        capa = "decode";
      }
      const stamp = apopTimestamp(b);
      const ours = [stat, capa, stamp === undefined ? null : latin1(stamp)];
      assert.deepEqual(
        ours,
        theirs[i],
        `line ${JSON.stringify(text)}\npython: ${JSON.stringify(theirs[i])}\nnetkit: ${JSON.stringify(ours)}`,
      );
    }
  });

  test("apopDigest() computes RFC 1939's example", () => {
    const welcome = Buffer.from("+OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>");
    assert.equal(apopDigest(welcome, "tanstaaf"), "c4c9334bac560ecc979e58001b3e22fb");
    assert.throws(() => apopDigest(Buffer.from("+OK ready"), "x"), { code: "ERR_POP3_NOT_SUPPORTED" });
  });

  test("parseCapa() keeps the server's order, lets a repeated name replace the earlier, skips empty lines", () => {
    const caps = parseCapa([
      Buffer.from("TOP"),
      Buffer.from(""),
      Buffer.from("SASL PLAIN"),
      Buffer.from("SASL  LOGIN\tX"),
    ]);
    assert.deepEqual(
      [...caps],
      [
        ["TOP", []],
        ["SASL", ["LOGIN", "X"]],
      ],
    );
  });

  test("commandLine() joins with spaces, encodes UTF-8, and refuses CR, LF and NUL", () => {
    assert.equal(commandLine("TOP", 1, "10").toString(), "TOP 1 10\r\n");
    assert.deepEqual(commandLine("USER", "jörg"), Buffer.from("USER jörg\r\n", "utf8"));
    for (const bad of ["a\rb", "a\nb", "a\0b"])
      assert.throws(() => commandLine("USER", bad), { code: "ERR_TEXTPROTO_ILLEGAL_CHAR" });
  });
});
