/**
 * netkit/poplib against servers that misbehave: a line past 2048 bytes, a
 * multi-line response with no terminating '.', a close mid-response, a
 * stall, a response that never ends. Each is a typed error within the
 * timeout (never a hang, never unbounded memory), and the connection is
 * closed on our side. Where Python raises the same error_proto, python3's
 * poplib plays the same script and must raise it too.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { TimeoutError, ValueError } from "../../src/errors/index.js";
import { error_proto, POP3, POP3_LIMITS } from "../../src/poplib/index.js";
import { CommandError } from "../../src/textproto/index.js";
import { python } from "../_support/python.js";
import { type Step, scriptedPeer } from "../smtplib/_peer.js";

/** Connects to a peer playing `steps`, runs `client`, and resolves with what it throws (or returns). */
async function outcome(
  steps: Step[],
  client: (pop: POP3) => Promise<unknown>,
  timeout = 20,
): Promise<unknown> {
  const peer = await scriptedPeer(steps);
  try {
    const pop = await POP3.open("127.0.0.1", peer.port, { timeout });
    let closedByFailure = true;
    const result = await client(pop).catch((e: unknown) => {
      closedByFailure = pop.sock === null;
      return e;
    });
    pop.close(); // before waiting for the peer, which waits for the client to close
    assert.ok(closedByFailure, "the connection is closed after the failure");
    return result;
  } finally {
    peer.server.close();
    await peer.done;
  }
}

/** What python3's poplib raises running `op` (a method name and args) against a peer playing `steps`: [type, args[0]]. */
async function pythonOutcome(steps: Step[], op: [string, ...unknown[]]): Promise<[string, string]> {
  const peer = await scriptedPeer(steps);
  try {
    return await python<[string, string]>(
      "import json, sys, poplib\n" +
        "cfg = json.load(sys.stdin)\n" +
        "p = poplib.POP3('127.0.0.1', cfg['port'], timeout=20)\n" +
        "try:\n" +
        "    r = getattr(p, cfg['op'][0])(*cfg['op'][1:])\n" +
        "    print(json.dumps(['ok', repr(r)]))\n" +
        "except Exception as e:\n" +
        "    a = e.args[0] if e.args else ''\n" +
        "    print(json.dumps([type(e).__name__, a.decode('latin1') if isinstance(a, bytes) else str(a)]))\n" +
        "p.close()\n",
      { port: peer.port, op },
    );
  } finally {
    peer.server.close();
    await peer.done;
  }
}

const HELLO: Step = { send: "+OK hi\r\n" };

describe("faults", () => {
  test("retr() throws error_proto('line too long') for a message line past 2048 bytes, as python3", async () => {
    const steps: Step[] = [
      HELLO,
      { expect: "RETR 1\r\n" },
      { send: `+OK\r\nshort\r\n${"x".repeat(4000)}\r\nmore\r\n.\r\n` },
    ];
    const err = await outcome(steps, (pop) => pop.retr(1));
    assert.ok(err instanceof error_proto, String(err));
    assert.equal(err.code, "ERR_POP3_LINE_TOO_LONG");
    assert.equal(err.message, "line too long");
    assert.equal((err.cause as { code?: string }).code, "ERR_TEXTPROTO_LINE_TOO_LONG");
    assert.deepEqual(await pythonOutcome(steps, ["retr", 1]), ["error_proto", "line too long"]);
  });

  test("a status line of exactly 2048 bytes is read and one of 2049 is refused, as python3's _MAXLINE", async () => {
    assert.equal(POP3_LIMITS.maxLine, 2048);
    const fits = `+OK ${"y".repeat(2048 - 6)}\r\n`;
    const ok = await outcome([HELLO, { expect: "NOOP\r\n" }, { send: fits }], (pop) => pop.noop());
    assert.deepEqual(ok, Buffer.from(fits.slice(0, -2)));
    const over: Step[] = [HELLO, { expect: "NOOP\r\n" }, { send: `+OK ${"y".repeat(2048 - 5)}\r\n` }];
    const err = await outcome(over, (pop) => pop.noop());
    assert.ok(err instanceof error_proto && err.code === "ERR_POP3_LINE_TOO_LONG", String(err));
    assert.deepEqual(await pythonOutcome(over, ["noop"]), ["error_proto", "line too long"]);
  });

  test("retr() throws error_proto('-ERR EOF') when the server closes before the '.' line, as python3", async () => {
    const steps: Step[] = [
      HELLO,
      { expect: "RETR 1\r\n" },
      { send: "+OK\r\nline one\r\nline two\r\n" },
      { close: true },
    ];
    const err = await outcome(steps, (pop) => pop.retr(1));
    assert.ok(err instanceof error_proto, String(err));
    assert.equal(err.code, "ERR_POP3_EOF");
    assert.equal(err.message, "-ERR EOF");
    assert.deepEqual(await pythonOutcome(steps, ["retr", 1]), ["error_proto", "-ERR EOF"]);
  });

  test("retr() throws error_proto('-ERR EOF') when the server closes inside a line", async () => {
    const err = await outcome(
      [HELLO, { expect: "RETR 1\r\n" }, { send: "+OK\r\nline one\r\nhalf a li" }, { close: true }],
      (pop) => pop.retr(1),
    );
    assert.ok(err instanceof error_proto && err.code === "ERR_POP3_EOF", String(err));
  });

  test("noop() throws error_proto('-ERR EOF') for a status line cut by the end of the stream (python3 returns it less a byte)", async () => {
    const steps: Step[] = [HELLO, { expect: "NOOP\r\n" }, { send: "+OK fin" }, { close: true }];
    const err = await outcome(steps, (pop) => pop.noop());
    assert.ok(err instanceof error_proto && err.code === "ERR_POP3_EOF", String(err));
    assert.deepEqual(await pythonOutcome(steps, ["noop"]), ["ok", "b'+OK fi'"]);
  });

  test("retr() throws TimeoutError after the timeout when a multi-line response stalls with no '.' line", async () => {
    const started = Date.now();
    const err = await outcome(
      [HELLO, { expect: "RETR 1\r\n" }, { send: "+OK\r\nline one\r\nline two\r\n" }, { stall: true }],
      (pop) => pop.retr(1),
      0.5,
    );
    assert.ok(err instanceof TimeoutError, String(err));
    assert.equal(err.code, "ETIMEDOUT");
    assert.ok(Date.now() - started >= 400, "waited about the timeout");
  });

  test("a stall mid-line, and a server that never greets, throw TimeoutError", async () => {
    const err = await outcome(
      [HELLO, { expect: "STAT\r\n" }, { send: "+OK 1" }, { stall: true }],
      (pop) => pop.stat(),
      0.3,
    );
    assert.ok(err instanceof TimeoutError, String(err));
    const peer = await scriptedPeer([{ stall: true }]);
    try {
      const greet = await POP3.open("127.0.0.1", peer.port, { timeout: 0.3 }).catch((e: unknown) => e);
      assert.ok(greet instanceof TimeoutError, String(greet));
    } finally {
      peer.server.close();
      await peer.done;
    }
  });

  test("retr() throws error_proto ERR_POP3_TOO_LARGE for a response past maxResponseBytes, reading no further", async () => {
    const peer = await scriptedPeer([
      HELLO,
      { expect: "RETR 1\r\n" },
      { send: `+OK\r\n${"z".repeat(70)}\r\n`.repeat(1) + `${"z".repeat(70)}\r\n`.repeat(20_000) },
      { stall: true },
    ]);
    let pop: POP3 | undefined;
    try {
      pop = await POP3.open("127.0.0.1", peer.port, { timeout: 20, maxResponseBytes: 64 * 1024 });
      const err = await pop.retr(1).catch((e: unknown) => e);
      assert.ok(err instanceof error_proto, String(err));
      assert.equal(err.code, "ERR_POP3_TOO_LARGE");
      assert.equal(err.message, "Cannot read multi-line response: larger than 65536 bytes");
      assert.equal(pop.sock, null);
    } finally {
      pop?.close();
      peer.server.close();
      await peer.done;
    }
  });

  test("a -ERR greeting is error_proto with the line, and the connection is closed", async () => {
    const peer = await scriptedPeer([{ send: "-ERR go away\r\n" }]);
    try {
      const err = await POP3.open("127.0.0.1", peer.port, { timeout: 20 }).catch((e: unknown) => e);
      assert.ok(err instanceof error_proto, String(err));
      assert.equal(err.code, "ERR_POP3_RESPONSE");
      assert.deepEqual(err.response, Buffer.from("-ERR go away"));
      assert.equal(err.message, "b'-ERR go away'");
    } finally {
      peer.server.close();
      await peer.done;
    }
  });

  test("stat() throws error_proto ERR_POP3_BAD_RESPONSE for '+OK' without numbers (python3: IndexError)", async () => {
    const steps: Step[] = [HELLO, { expect: "STAT\r\n" }, { send: "+OK\r\n" }];
    const err = await outcome(steps, (pop) => pop.stat().finally(() => pop.close()));
    assert.ok(err instanceof error_proto && err.code === "ERR_POP3_BAD_RESPONSE", String(err));
    assert.equal((await pythonOutcome(steps, ["stat"]))[0], "IndexError");
  });
});

describe("misuse", () => {
  test("user(), pass() and retr() refuse CR, LF and NUL in an argument before sending anything", async () => {
    const peer = await scriptedPeer([
      { send: "+OK hi <1.2@x>\r\n" },
      { expect: "NOOP\r\n" },
      { send: "+OK\r\n" },
    ]);
    try {
      const pop = await POP3.open("127.0.0.1", peer.port, { timeout: 20 });
      for (const call of <(() => Promise<unknown>)[]>[
        () => pop.user("bob\r\nDELE 1"),
        () => pop.pass("pw\nDELE 1"),
        () => pop.retr("1\0"),
        () => pop.apop("bob\r", "x"),
      ]) {
        const err = await Promise.resolve()
          .then(call)
          .catch((e: unknown) => e);
        assert.ok(err instanceof CommandError, String(err));
        assert.ok(err instanceof ValueError);
        assert.equal(err.code, "ERR_TEXTPROTO_ILLEGAL_CHAR");
      }
      assert.deepEqual(await pop.noop(), Buffer.from("+OK"), "the connection is still in step");
      pop.close();
    } finally {
      peer.server.close();
    }
    assert.equal((await peer.done).received.toString(), "NOOP\r\n");
  });

  test("a command after close() throws error_proto ERR_POP3_NOT_CONNECTED", async () => {
    const err = await new POP3("127.0.0.1").noop().catch((e: unknown) => e);
    assert.ok(err instanceof error_proto, String(err));
    assert.equal(err.code, "ERR_POP3_NOT_CONNECTED");
  });

  test("the constructor refuses timeout 0 as python3, and a negative maxResponseBytes", () => {
    assert.throws(() => new POP3("h", 0, { timeout: 0 }), {
      name: "ValueError",
      message: "Non-blocking socket (timeout=0) is not supported",
    });
    assert.throws(() => new POP3("h", 0, { maxResponseBytes: -1 }), ValueError);
    assert.equal(new POP3("h").port, 110);
  });
});
