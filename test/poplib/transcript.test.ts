/**
 * netkit/poplib against scripted peers: the exact bytes both ways. Every
 * session is played twice, to netkit and to python3's poplib: both must
 * send the same bytes and return the same values (`_session.ts` puts both
 * in one JSON shape). Then what Python does not do: CR/LF/NUL refused in
 * arguments, the debug output.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { POP3 } from "../../src/poplib/index.js";
import { python } from "../_support/python.js";
import { type PeerResult, type Step, scriptedPeer } from "../smtplib/_peer.js";
import { type Encoded, netkitSession, type Op, pythonSession } from "./_session.js";

/** Plays `steps` to netkit and to python3 running `ops`; both must match the script, each other, and `want`. */
async function differential(steps: Step[], ops: Op[]): Promise<{ netkit: Encoded[]; wire: Buffer }> {
  const run = async (client: (port: number) => Promise<Encoded[]>): Promise<[Encoded[], PeerResult]> => {
    const peer = await scriptedPeer(steps);
    try {
      const value = await client(peer.port);
      return [value, await peer.done];
    } finally {
      peer.server.close();
    }
  };
  const [ours, ourWire] = await run((port) => netkitSession(port, ops));
  const [theirs, theirWire] = await run((port) => pythonSession(port, ops));
  assert.deepEqual(ourWire.errors, [], "netkit did not follow the script");
  assert.deepEqual(theirWire.errors, [], "python3 did not follow the script");
  assert.equal(
    ourWire.received.toString("latin1"),
    theirWire.received.toString("latin1"),
    "netkit sent other bytes than python3",
  );
  assert.deepEqual(
    ours,
    theirs,
    `ops ${JSON.stringify(ops)}\npython: ${JSON.stringify(theirs)}\nnetkit: ${JSON.stringify(ours)}`,
  );
  return { netkit: ours, wire: ourWire.received };
}

const GREETING = "+OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>\r\n";
const b = (s: string): { b: string } => ({ b: s });

describe("transcripts equal to python3's", () => {
  test("a whole session: capa, user, pass, stat, list, uidl, retr, top, dele, rset, noop, quit", async () => {
    const steps: Step[] = [
      { send: GREETING },
      { expect: "CAPA\r\n" },
      {
        send: "+OK Capability list follows\r\nTOP\r\nUSER\r\nSASL PLAIN LOGIN\r\nIMPLEMENTATION Shlemazle Plus\r\n.\r\n",
      },
      { expect: "USER bob\r\n" },
      { send: "+OK bob\r\n" },
      { expect: "PASS secret\r\n" },
      { send: "+OK bob's maildrop has 2 messages (320 octets)\r\n" },
      { expect: "STAT\r\n" },
      { send: "+OK 2 320\r\n" },
      { expect: "LIST\r\n" },
      { send: "+OK 2 messages (320 octets)\r\n1 120\r\n2 200\r\n.\r\n" },
      { expect: "LIST 1\r\n" },
      { send: "+OK 1 120\r\n" },
      { expect: "UIDL\r\n" },
      { send: "+OK\r\n1 whqtswO00WBw418f9t5JxYwZ\r\n2 QhdPYR:00WBw1Ph7x7\r\n.\r\n" },
      { expect: "UIDL 2\r\n" },
      { send: "+OK 2 QhdPYR:00WBw1Ph7x7\r\n" },
      { expect: "RETR 1\r\n" },
      {
        send: "+OK 120 octets\r\nSubject: dots\r\n\r\n..leading dot\r\n...two dots\r\n.. \r\n\r\nlast\r\n.\r\n",
      },
      { expect: "TOP 1 0\r\n" },
      { send: "+OK\r\nSubject: dots\r\n\r\n.\r\n" },
      { expect: "DELE 2\r\n" },
      { send: "+OK message 2 deleted\r\n" },
      { expect: "RSET\r\n" },
      { send: "+OK maildrop has 2 messages\r\n" },
      { expect: "NOOP\r\n" },
      { send: "+OK\r\n" },
      { expect: "RETR 9\r\n" },
      { send: "-ERR no such message\r\n" },
      { expect: "UTF8\r\n" },
      { send: "-ERR unknown command\r\n" },
      { expect: "QUIT\r\n" },
      { send: "+OK dewey POP3 server signing off\r\n" },
    ];
    const { netkit } = await differential(steps, [
      ["capa"],
      ["user", "bob"],
      ["pass_", "secret"],
      ["stat"],
      ["list"],
      ["list", 1],
      ["uidl"],
      ["uidl", "2"],
      ["retr", 1],
      ["top", 1, 0],
      ["dele", 2],
      ["rset"],
      ["noop"],
      ["retr", 9],
      ["utf8"],
      ["quit"],
    ]);
    assert.deepEqual(netkit[4], [2, 320]);
    assert.deepEqual(netkit[9], [
      b("+OK 120 octets"),
      [b("Subject: dots"), b(""), b(".leading dot"), b("..two dots"), b(". "), b(""), b("last")],
      15 + 2 + 14 + 12 + 4 + 2 + 6,
    ]);
    assert.deepEqual(netkit[14], { err: b("-ERR no such message") });
  });

  test("apop() sends RFC 1939's digest for the greeting's timestamp", async () => {
    const { wire } = await differential(
      [
        { send: GREETING },
        { expect: "APOP mrose c4c9334bac560ecc979e58001b3e22fb\r\n" },
        { send: "+OK maildrop has 1 message (369 octets)\r\n" },
      ],
      [["apop", "mrose", "tanstaaf"]],
    );
    assert.equal(wire.toString(), "APOP mrose c4c9334bac560ecc979e58001b3e22fb\r\n");
  });

  test("apop() refuses a greeting with no timestamp, sending nothing", async () => {
    const { netkit, wire } = await differential([{ send: "+OK ready\r\n" }], [["apop", "mrose", "tanstaaf"]]);
    assert.deepEqual(netkit[1], { err: "-ERR APOP not supported by server" });
    assert.equal(wire.length, 0);
  });

  test("rpop(), and a refused pass() that leaves the connection usable", async () => {
    await differential(
      [
        { send: "+OK hi\r\n" },
        { expect: "USER bob\r\n" },
        { send: "+OK\r\n" },
        { expect: "PASS wrong\r\n" },
        { send: "-ERR [AUTH] Authentication failed.\r\n" },
        { expect: "RPOP bob\r\n" },
        { send: "-ERR not here\r\n" },
        { expect: "NOOP\r\n" },
        { send: "+OK\r\n" },
      ],
      [["user", "bob"], ["pass_", "wrong"], ["rpop", "bob"], ["noop"]],
    );
  });

  test("capa() turns a refusal into '-ERR CAPA not supported by server'", async () => {
    const { netkit } = await differential(
      [{ send: "+OK hi\r\n" }, { expect: "CAPA\r\n" }, { send: "-ERR what?\r\n" }],
      [["capa"]],
    );
    assert.deepEqual(netkit[1], { err: "-ERR CAPA not supported by server" });
  });

  test("stls() refuses a server whose CAPA lacks STLS, before sending STLS", async () => {
    const { wire } = await differential(
      [{ send: "+OK hi\r\n" }, { expect: "CAPA\r\n" }, { send: "+OK\r\nUSER\r\n.\r\n" }],
      [["stls"]],
    );
    assert.equal(wire.toString(), "CAPA\r\n");
  });

  test("a bare-LF server's lines are split as python3 splits them; octets count CRLF (documented)", async () => {
    const steps: Step[] = [
      { send: "+OK hi\n" },
      { expect: "LIST\r\n" },
      { send: "\r+OK listing\n1 100\n2 200\r\n.\n" },
      { expect: "NOOP\r\n" },
      { send: "+OK\r\n" },
    ];
    const ops: Op[] = [["list"], ["noop"]];
    const peer = await scriptedPeer(steps);
    const ours = await netkitSession(peer.port, ops).finally(() => peer.server.close());
    assert.deepEqual((await peer.done).errors, []);
    const peer2 = await scriptedPeer(steps);
    const theirs = await pythonSession(peer2.port, ops).finally(() => peer2.server.close());
    assert.deepEqual((await peer2.done).errors, []);
    const [resp, lines, octets] = ours[1] as [Encoded, Encoded, number];
    const [pyResp, pyLines, pyOctets] = theirs[1] as [Encoded, Encoded, number];
    assert.deepEqual([ours[0], resp, lines, ours[2]], [theirs[0], pyResp, pyLines, theirs[2]]);
    assert.deepEqual([resp, lines], [b("+OK listing"), [b("1 100"), b("2 200")]]);
    assert.equal(pyOctets, 6 + 7);
    assert.equal(octets, 7 + 7, "netkit counts two bytes for every line end");
  });

  test("a message number may be a string; its text is sent as it is", async () => {
    await differential(
      [{ send: "+OK hi\r\n" }, { expect: "DELE 007\r\n" }, { send: "+OK\r\n" }],
      [["dele", "007"]],
    );
  });
});

describe("setDebuglevel()", () => {
  /** What python3's poplib prints at `level` running user, stat, list against `steps`. */
  async function pythonDebug(steps: Step[], level: number): Promise<string> {
    const peer = await scriptedPeer(steps);
    try {
      return await python<string>(
        "import json, sys, io, contextlib, poplib\n" +
          "cfg = json.load(sys.stdin)\n" +
          "p = poplib.POP3('127.0.0.1', cfg['port'], timeout=20)\n" +
          "p.set_debuglevel(cfg['level'])\n" +
          "buf = io.StringIO()\n" +
          "with contextlib.redirect_stdout(buf):\n" +
          "    p.user('bob'); p.stat(); p.list()\n" +
          "p.close()\n" +
          "print(json.dumps(buf.getvalue()))\n",
        { port: peer.port, level },
      );
    } finally {
      peer.server.close();
      await peer.done;
    }
  }

  test("setDebuglevel(1) and (2) print python3's lines to stdout", async () => {
    const steps: Step[] = [
      { send: "+OK hi\r\n" },
      { expect: "USER bob\r\n" },
      { send: "+OK\r\n" },
      { expect: "STAT\r\n" },
      { send: "+OK 2 320\r\n" },
      { expect: "LIST\r\n" },
      { send: "+OK 2 messages\r\n1 120\r\n..2 200\r\n.\r\n" },
    ];
    for (const level of [1, 2]) {
      const peer = await scriptedPeer(steps);
      let ours: string;
      try {
        const pop = await POP3.open("127.0.0.1", peer.port, { timeout: 20 });
        pop.setDebuglevel(level);
        ours = await captureStdout(async () => {
          await pop.user("bob");
          await pop.stat();
          await pop.list();
        });
        pop.close();
      } finally {
        peer.server.close();
        await peer.done;
      }
      assert.equal(ours, await pythonDebug(steps, level), `level ${level}`);
    }
  });
});

/** Runs `fn` with process.stdout captured; resolves with what was written. */
async function captureStdout(fn: () => Promise<unknown>): Promise<string> {
  const written: string[] = [];
  const original = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  }) as typeof process.stdout.write;
  try {
    await fn();
  } finally {
    process.stdout.write = original;
  }
  return written.join("");
}
