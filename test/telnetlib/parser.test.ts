/**
 * TelnetParser, the pure receive state machine: tables of byte streams
 * (commands, escaped IAC, CR NUL, SB ... SE, sequences cut between two
 * receives), its limits, and a fast-check property against python3's own
 * `process_rawq`: the same stream cut at random places gives the same
 * cooked bytes after each chunk, the same commands and the same SB data.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import {
  TELNET_LIMITS,
  TelnetCommandFloodError,
  TelnetParser,
  TelnetSubnegotiationError,
} from "../../src/telnetlib/index.js";
import { type ParserCase, type ParserOutcome, pythonParse } from "./_python.js";

const IAC = 255;
const DO = 253;
const WILL = 251;
const SB = 250;
const SE = 240;

/** Runs a case through TelnetParser the way Telnet does, recording as the python3 script records. */
function netkitParse(c: ParserCase, parser = new TelnetParser()): ParserOutcome {
  const events: (number[] | string)[] = [];
  const cooked: string[] = [];
  for (const chunk of c.chunks) {
    const out = parser.process(Buffer.from(chunk, "hex"), (cmd, opt) => {
      events.push([cmd, opt]);
      if (c.takeAtSE && cmd === SE) events.push(parser.takeSbData().toString("hex"));
    });
    cooked.push(out.toString("hex"));
  }
  return { cooked, events, sb: parser.takeSbData().toString("hex") };
}

/** `bytes` cut before each index in `cuts`, as hex chunks. */
function cut(bytes: number[], cuts: number[]): string[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: string[] = [];
  let from = 0;
  for (const p of [...points, bytes.length]) {
    if (p > from) chunks.push(Buffer.from(bytes.slice(from, p)).toString("hex"));
    from = Math.max(from, p);
  }
  return chunks;
}

const hex = (...parts: (string | number[])[]) =>
  Buffer.concat(
    parts.map((p) => (typeof p === "string" ? Buffer.from(p, "latin1") : Buffer.from(p))),
  ).toString("hex");

const TABLE: [string, ParserCase][] = [
  ["plain text", { chunks: [hex("hello\r\n")], takeAtSE: false }],
  ["an escaped IAC is one data byte 255", { chunks: [hex("a", [IAC, IAC], "b")], takeAtSE: false }],
  ["CR NUL arrives as CR, DC1 is dropped", { chunks: [hex("x\r\0y\x11z")], takeAtSE: false }],
  ["DO ECHO between data", { chunks: [hex("a", [IAC, DO, 1], "b")], takeAtSE: false }],
  ["IAC cut from its command", { chunks: [hex("a", [IAC]), hex([DO, 1], "b")], takeAtSE: false }],
  ["a command cut from its option", { chunks: [hex([IAC, WILL]), hex([3], "c")], takeAtSE: false }],
  ["an escaped IAC cut in two", { chunks: [hex([IAC]), hex([IAC])], takeAtSE: false }],
  ["a two-byte command (NOP, AYT)", { chunks: [hex("a", [IAC, 241, IAC, 246], "b")], takeAtSE: false }],
  [
    "SB ... SE with data after",
    { chunks: [hex([IAC, SB, 24, 0], "xterm", [IAC, SE], "ok")], takeAtSE: true },
  ],
  [
    "SB ... SE cut in three",
    { chunks: [hex([IAC, SB, 24]), hex("vt1", [IAC]), hex([SE], "z")], takeAtSE: true },
  ],
  ["SB data without SE is kept as SB data", { chunks: [hex("a", [IAC, SB], "bcd")], takeAtSE: false }],
  [
    "a second SB in the same receive keeps the first one's data (Python's quirk)",
    { chunks: [hex([IAC, SB], "ab", [IAC, SB], "cd", [IAC, SE])], takeAtSE: false },
  ],
  [
    "a second SB in the next receive drops the first one's data",
    { chunks: [hex([IAC, SB], "ab"), hex([IAC, SB], "cd", [IAC, SE])], takeAtSE: false },
  ],
  ["SE without SB", { chunks: [hex("a", [IAC, SE], "b")], takeAtSE: true }],
  ["an escaped IAC inside SB", { chunks: [hex([IAC, SB, 1, IAC, IAC, 2, IAC, SE])], takeAtSE: true }],
];

describe("TelnetParser", () => {
  test("process() reads each table stream as python3's process_rawq does", async () => {
    const expected = await pythonParse(TABLE.map(([, c]) => c));
    for (const [i, [name, c]] of TABLE.entries()) {
      assert.deepEqual(netkitParse(c), expected[i], `${name}: ${JSON.stringify(c)}`);
    }
  });

  test("process() keeps a command cut between two receives", () => {
    const parser = new TelnetParser();
    const seen: number[][] = [];
    assert.equal(parser.process(Buffer.from([104, IAC]), (c, o) => seen.push([c, o])).toString(), "h");
    assert.equal(parser.inCommand, true);
    assert.equal(parser.process(Buffer.from([DO]), (c, o) => seen.push([c, o])).length, 0);
    assert.equal(parser.process(Buffer.from([1, 105]), (c, o) => seen.push([c, o])).toString(), "i");
    assert.deepEqual(seen, [[DO, 1]]);
    assert.equal(parser.inCommand, false);
  });

  test("process() throws TelnetSubnegotiationError past maxSbData bytes without SE", () => {
    const parser = new TelnetParser({ maxSbData: 100 });
    parser.process(Buffer.from([IAC, SB]), () => {});
    parser.process(Buffer.alloc(100, 0x41), () => {});
    assert.throws(
      () => parser.process(Buffer.from([0x41]), () => {}),
      (err: unknown) =>
        err instanceof TelnetSubnegotiationError &&
        err.code === "ERR_TELNET_SB_TOO_LONG" &&
        err.limit === 100,
    );
  });

  test("process() counts SB data held in one receive across two subnegotiations, as Python keeps it", () => {
    const sub = [IAC, SB, ...Buffer.alloc(6, 0x41)];
    // Two in one receive, the first never ended: Python's second SB keeps its data (12 bytes held).
    assert.throws(
      () => new TelnetParser({ maxSbData: 10 }).process(Buffer.from([...sub, ...sub]), () => {}),
      TelnetSubnegotiationError,
    );
    // One per receive: the second SB drops the data not taken, so 6 bytes are held.
    const parser = new TelnetParser({ maxSbData: 10 });
    parser.process(Buffer.from(sub), () => {});
    parser.process(Buffer.from(sub), () => {});
    assert.equal(parser.takeSbData().length, 6);
  });

  test("process() throws TelnetCommandFloodError past maxCommands commands without data", () => {
    const parser = new TelnetParser({ maxCommands: 10 });
    const nops = (n: number) => Buffer.from(Array.from({ length: n }, () => [IAC, 241]).flat());
    parser.process(nops(10), () => {});
    parser.process(Buffer.from("x"), () => {}); // data resets the count
    parser.process(nops(10), () => {});
    assert.throws(
      () => parser.process(nops(1), () => {}),
      (err: unknown) => err instanceof TelnetCommandFloodError && err.code === "ERR_TELNET_TOO_MANY_COMMANDS",
    );
  });

  test("process() takes a stream of a million commands with no limit when maxCommands is null", () => {
    const parser = new TelnetParser({ maxCommands: null });
    let n = 0;
    const chunk = Buffer.from(Array.from({ length: 1000 }, () => [IAC, DO, 1]).flat());
    for (let i = 0; i < 1000; i++) parser.process(chunk, () => n++);
    assert.equal(n, 1_000_000);
  });

  test("TELNET_LIMITS holds the documented defaults", () => {
    assert.deepEqual(TELNET_LIMITS, { maxSbData: 65536, maxCommands: 4096, maxQueue: 64 * 1024 * 1024 });
  });

  test("process() gives the same cooked bytes and commands however the stream is cut", () => {
    const whole = (chunks: Uint8Array[]) => {
      const parser = new TelnetParser({ maxCommands: null, maxSbData: null });
      const commands: number[][] = [];
      const cooked = Buffer.concat(
        chunks.map((c) => parser.process(c, (cmd, opt) => commands.push([cmd, opt]))),
      );
      return { cooked: cooked.toString("hex"), commands };
    };
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(0, 1, 13, 0x11, 65, 240, 241, 250, 251, 252, 253, 254, 255), {
          maxLength: 200,
        }),
        fc.array(fc.nat(), { maxLength: 10 }),
        (bytes, cuts) => {
          const chunks = cut(bytes, cuts).map((h) => Buffer.from(h, "hex"));
          assert.deepEqual(whole(chunks), whole([Buffer.from(bytes)]));
        },
      ),
      { numRuns: 1000, seed: 7 },
    );
  });

  test("process() gives python3's cooked bytes, commands and SB data for any stream cut anywhere", async () => {
    // Bytes biased to the ones that matter: IAC, the commands, NUL, DC1, CR.
    const byte = fc.oneof(
      { weight: 4, arbitrary: fc.integer({ min: 0, max: 255 }) },
      { weight: 4, arbitrary: fc.constantFrom(255, 254, 253, 252, 251, 250, 240, 241) },
      { weight: 1, arbitrary: fc.constantFrom(0, 0x11, 13, 10) },
    );
    const arb = fc.record({
      bytes: fc.array(byte, { maxLength: 120 }),
      cuts: fc.array(fc.nat(), { maxLength: 8 }),
      takeAtSE: fc.boolean(),
    });
    const samples = fc.sample(arb, { numRuns: 400, seed: 17 });
    const cases = samples.map((s) => ({ chunks: cut(s.bytes, s.cuts), takeAtSE: s.takeAtSE }));
    const expected = await pythonParse(cases);
    for (const [i, c] of cases.entries()) {
      const got = netkitParse(c, new TelnetParser({ maxCommands: null, maxSbData: null }));
      assert.deepEqual(got, expected[i], `case ${JSON.stringify(c)}\npython: ${JSON.stringify(expected[i])}`);
    }
  });
});
