/**
 * netkit's Telnet against python3's telnetlib, on the same scripted byte
 * streams (test/telnetlib/_scripted.ts): every read_* call gives the same
 * bytes (or the same EOFError), expect the same index and text, the option
 * callback sees the same commands and SB data, and the server receives the
 * same bytes from both (option refusals, doubled IACs). Covered: option
 * refusal, read_some/read_eager stopping where one 50-byte receive ends, a
 * command cut between two receives, CR NUL, SB data with and without a
 * callback, a stalling peer (timeouts return what came), a closing peer
 * (EOFError where Python raises it).
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { type Case, runNetkit, runPython, scriptedServer } from "./_scripted.js";

const IAC = 255;
const [DONT, DO, WONT, WILL, SB, SE, NOP] = [254, 253, 252, 251, 250, 240, 241];

/** Hex of text (latin1) and byte lists joined. */
const hex = (...parts: (string | number[])[]) =>
  Buffer.concat(
    parts.map((p) => (typeof p === "string" ? Buffer.from(p, "latin1") : Buffer.from(p))),
  ).toString("hex");

const LONG = "0123456789".repeat(12); // 120 bytes: three receives of at most 50

export const CASES: Case[] = [
  {
    name: "options refused, then a login dialogue",
    steps: [
      {
        send: hex([IAC, DO, 1, IAC, WILL, 3, IAC, DO, 24, IAC, DONT, 5, IAC, WONT, 1], "Welcome\r\nlogin: "),
      },
      { send: hex("Password: ") },
      { send: hex("\r\nLast login: never\r\n$ ") },
    ],
    ops: [
      ["read_until", hex("login: "), null],
      ["write", hex("user\r\n")],
      ["next"],
      ["read_until", hex("Password: "), 10],
      ["write", hex("pw\r\n")],
      ["next"],
      ["expect", ["\\$ $", "# $"], 10],
      ["read_very_lazy"],
    ],
  },
  {
    name: "read_some gives one receive's cooked bytes",
    steps: [{ send: hex(LONG) }],
    ops: [["wait"], ["read_some"], ["read_some"], ["read_some"], ["read_very_lazy"]],
  },
  {
    name: "read_eager stops at the first cooked bytes, read_very_eager takes the rest",
    steps: [{ send: hex("abc", [IAC, NOP], LONG) }],
    ops: [["wait"], ["read_eager"], ["read_very_eager"], ["read_very_lazy"], ["read_lazy"]],
  },
  {
    name: "read_eager reads past a receive that held only commands",
    steps: [{ send: hex(Array.from({ length: 30 }, () => [IAC, NOP]).flat(), "x") }],
    ops: [["wait"], ["read_eager"], ["read_eager"]],
  },
  {
    name: "a command cut between two receives",
    steps: [{ send: hex("a".repeat(49), [IAC, DO, 1], "prompt> ", "b".repeat(47), [IAC, IAC], "c") }],
    ops: [
      ["read_until", hex("prompt> "), null],
      ["read_until", hex("c"), 10],
    ],
  },
  {
    name: "CR NUL and DC1 are dropped, CR LF kept, read_all to the close",
    steps: [{ send: hex("line1\r\nx\r\0y\x11z\r\n", [IAC, IAC], "end"), close: true }],
    ops: [["read_all"], ["read_all"], ["read_some"]],
  },
  {
    name: "expect picks the first pattern in list order and keeps the rest",
    steps: [{ send: hex("error: 42\r\nok\r\n") }, { send: hex("more") }],
    ops: [["expect", ["ok", "(\\d+)"], 10], ["expect", ["\\n"], 10], ["next"], ["expect", ["o.e"], 10]],
  },
  {
    name: "a stalling peer: read_until and expect return what came at the timeout",
    steps: [{ send: hex("partial") }],
    ops: [
      ["wait"], // the bytes are there before the clock starts, however loaded the machine
      ["read_until", hex("never"), 0.5],
      ["expect", ["never"], 0.5],
      ["read_until", hex("never"), 0.3],
      ["read_very_eager"],
    ],
  },
  {
    name: "a closing peer: EOFError where Python raises it",
    steps: [{ send: hex("bye"), close: true }],
    ops: [
      ["read_until", hex("zzz"), null],
      ["read_until", hex("zzz"), null],
      ["read_very_eager"],
      ["read_eager"],
      ["read_lazy"],
      ["read_very_lazy"],
      ["read_all"],
      ["read_some"],
      ["expect", ["x"], null],
      ["expect", ["x"], 1],
    ],
  },
  {
    name: "a peer that closes after a command with no data",
    steps: [{ send: hex([IAC, DO, 1]), close: true }],
    ops: [["read_until", hex("x"), 5], ["read_very_lazy"]],
  },
  {
    name: "SB data for read_sb_data without a callback",
    steps: [{ send: hex([IAC, SB, 24, 0], "vt100", [IAC, SE], "ok") }],
    ops: [["read_until", hex("ok"), null], ["read_sb_data"], ["read_sb_data"]],
  },
  {
    name: "the option callback sees every command and the SB data at SE, and nothing is refused",
    callback: true,
    steps: [
      { send: hex([IAC, DO, 24, IAC, WILL, 1, IAC, SB, 24, 1, IAC, SE, IAC, NOP], "hi", [IAC, SB, 5]) },
    ],
    ops: [["read_until", hex("hi"), null], ["read_sb_data"], ["read_very_eager"]],
  },
  {
    name: "write doubles IAC",
    steps: [{ send: hex("ready") }, { send: hex("done") }],
    ops: [
      ["read_until", hex("ready"), null],
      ["write", hex([IAC, 1, IAC], "x")],
      ["next"],
      ["read_until", hex("done"), null],
    ],
  },
];

describe("Telnet against python3's telnetlib", () => {
  test("Telnet reads, expects, answers and sends as python3's telnetlib on scripted streams", async () => {
    const pyServer = await scriptedServer(CASES);
    const nkServer = await scriptedServer(CASES);
    try {
      const [py, nk] = await Promise.all([runPython(pyServer.port, CASES), runNetkit(nkServer.port, CASES)]);
      await Promise.all([pyServer.closedAll(CASES.length), nkServer.closedAll(CASES.length)]);
      for (const [k, c] of CASES.entries()) {
        const want = { ...py[k]!, received: pyServer.received[k]!.toString("hex") };
        const got = { ...nk[k]!, received: nkServer.received[k]!.toString("hex") };
        assert.deepEqual(
          got,
          want,
          `${c.name}\nops: ${JSON.stringify(c.ops)}\npython: ${JSON.stringify(want)}\nnetkit: ${JSON.stringify(got)}`,
        );
      }
    } finally {
      pyServer.server.close();
      nkServer.server.close();
    }
  });
});
