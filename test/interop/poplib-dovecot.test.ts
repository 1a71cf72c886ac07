/**
 * netkit's poplib against a real POP3 server, Debian's dovecot-pop3d (a
 * private instance from test/_support/dovecot.ts), and python3's poplib
 * against the same server with the same commands: both must return the
 * same values. Every command, STLS and POP3S with the test CA, RETR and TOP
 * of messages whose lines start with '.', APOP (Dovecot offers it with
 * `auth_mechanisms = ... apop`: its greeting then carries a timestamp).
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { error_proto, POP3, POP3_SSL } from "../../src/poplib/index.js";
import { createDefaultContext, SSLCertVerificationError } from "../../src/ssl.js";
import { type Dovecot, HAS_DOVECOT, startDovecot } from "../_support/dovecot.js";
import { peerSkip } from "../_support/peers.js";
import {
  type Encoded,
  netkitSession,
  type Op,
  pythonSession,
  type SessionOptions,
} from "../poplib/_session.js";

const skip = peerSkip("dovecot", HAS_DOVECOT);

/** Messages with the lines a POP3 server must dot-stuff, and one of 100 KiB. */
const MESSAGES = [
  "From: a@example.org\r\nSubject: dots\r\n\r\n.leading dot\r\n..two dots\r\n.\r\n...\r\n. space\r\nend\r\n",
  "From: b@example.org\r\nSubject: plain\r\n\r\nline one\r\nline two\r\nline three\r\n",
  `From: c@example.org\r\nSubject: big\r\n\r\n${`${"x".repeat(76)}\r\n.${"y".repeat(75)}\r\n`.repeat(640)}`,
];

let dc: Dovecot;

/** Replaces the APOP timestamp in a greeting, which differs per connection. */
function sameGreeting(values: Encoded[]): Encoded[] {
  const [first, ...rest] = values as [{ b: string }, ...Encoded[]];
  return [{ b: first.b.replace(/<[^>]*>/, "<timestamp>") }, ...rest];
}

/** Runs `ops` through netkit and python3 against Dovecot; asserts equal values; returns netkit's. */
async function both(port: number, ops: Op[], options: SessionOptions = {}): Promise<Encoded[]> {
  const ours = sameGreeting(await netkitSession(port, ops, options));
  const theirs = sameGreeting(await pythonSession(port, ops, options));
  assert.deepEqual(
    ours,
    theirs,
    `ops ${JSON.stringify(ops)}\npython: ${JSON.stringify(theirs)}\nnetkit: ${JSON.stringify(ours)}`,
  );
  return ours;
}

describe("poplib against Dovecot, differential with python3's poplib", { skip }, () => {
  before(async () => {
    dc = await startDovecot({
      config: "auth_mechanisms = plain login cram-md5 apop\n",
      users: [
        { name: "alice", password: "alice-secret" },
        { name: "bob", password: "bob-secret" },
      ],
    });
    for (const m of MESSAGES) dc.deliver("alice", m);
    dc.deliver("bob", "Subject: to delete\r\n\r\nbye\r\n");
    dc.deliver("bob", "Subject: to keep\r\n\r\nhi\r\n");
  });
  after(() => dc?.stop());

  test("every command returns python3's values: capa, user, pass, stat, list, uidl, retr, top, dele, rset, noop, utf8, quit", async () => {
    const b = (s: string) => ({ b: s });
    const values = await both(dc.ports.pop3, [
      ["capa"],
      ["user", "alice"],
      ["pass_", "alice-secret"],
      ["stat"],
      ["list"],
      ["list", 2],
      ["uidl"],
      ["uidl", 1],
      ["retr", 1],
      ["retr", 2],
      ["retr", 3],
      ["top", 1, 0],
      ["top", 3, 2],
      ["dele", 2],
      ["retr", 2],
      ["rset"],
      ["noop"],
      ["retr", 99],
      ["list", 99],
      ["utf8"],
      ["rpop", "alice"],
      ["quit"],
    ]);
    assert.deepEqual(values[4], [3, MESSAGES.reduce((n, m) => n + m.length, 0)]);
    const [, lines, octets] = values[9] as [Encoded, Encoded[], number];
    assert.deepEqual(lines.slice(3), [
      b(".leading dot"),
      b("..two dots"),
      b("."),
      b("..."),
      b(". space"),
      b("end"),
    ]);
    assert.equal(octets, MESSAGES[0]!.length);
    const big = values[11] as [Encoded, Encoded[], number];
    assert.equal(big[2], MESSAGES[2]!.length);
    assert.equal(big[1].length, 3 + 1280);
    assert.ok((values[15] as { err: { b: string } }).err.b.startsWith("-ERR"), "a deleted message is gone");
  });

  test("a wrong password is error_proto with Dovecot's answer, and the session goes on", async () => {
    const values = await both(dc.ports.pop3, [["user", "alice"], ["pass_", "wrong"], ["noop"]]);
    assert.ok(JSON.stringify(values[2]).includes("-ERR"), JSON.stringify(values[2]));
  });

  test("apop() logs in with the greeting's timestamp", async () => {
    const values = await both(dc.ports.pop3, [["apop", "alice", "alice-secret"], ["stat"], ["quit"]]);
    assert.deepEqual(values[1], { b: "+OK Logged in." });
    assert.match((values[0] as { b: string }).b, /^\+OK .*<timestamp>$/);
  });

  test("stls() upgrades with the test CA, and the session goes on over TLS", async () => {
    const options = { cafile: dc.caFile, context: createDefaultContext(undefined, { cafile: dc.caFile }) };
    const values = await both(
      dc.ports.pop3,
      [["stls"], ["user", "alice"], ["pass_", "alice-secret"], ["stat"], ["retr", 1], ["stls"], ["quit"]],
      options,
    );
    assert.deepEqual(values[6], { err: "-ERR TLS session already established" });
  });

  test("POP3_SSL on the POP3S port with the test CA", async () => {
    const options = {
      ssl: true,
      cafile: dc.caFile,
      context: createDefaultContext(undefined, { cafile: dc.caFile }),
    };
    await both(
      dc.ports.pop3s,
      [["capa"], ["user", "alice"], ["pass_", "alice-secret"], ["uidl"], ["top", 1, 1], ["stls"], ["quit"]],
      options,
    );
  });

  test("stls() and POP3_SSL verify the certificate by default (Python's default context does not)", async () => {
    const pop = await POP3.open(dc.host, dc.ports.pop3, { timeout: 20 });
    const err = await pop.stls().catch((e: unknown) => e);
    assert.ok(err instanceof SSLCertVerificationError, String(err));
    assert.equal(pop.sock, null, "the connection is closed");
    const err2 = await POP3_SSL.open(dc.host, dc.ports.pop3s, { timeout: 20 }).catch((e: unknown) => e);
    assert.ok(err2 instanceof SSLCertVerificationError, String(err2));
  });

  test("quit() commits dele(); close() and await using do not", async () => {
    {
      await using pop = await POP3.open(dc.host, dc.ports.pop3, { timeout: 20 });
      await pop.user("bob");
      await pop.pass("bob-secret");
      assert.deepEqual((await pop.stat())[0], 2);
      await pop.dele(1);
    }
    const pop = await POP3.open(dc.host, dc.ports.pop3, { timeout: 20 });
    await pop.user("bob");
    await pop.pass("bob-secret");
    assert.equal((await pop.stat())[0], 2, "await using closed without QUIT: nothing deleted");
    await pop.dele(1);
    assert.deepEqual(await pop.quit(), Buffer.from("+OK Logging out, messages deleted."));
    assert.equal(pop.sock, null);
    const again = await POP3.open(dc.host, dc.ports.pop3, { timeout: 20 });
    await again.user("bob");
    await again.pass("bob-secret");
    const [, lines] = await again.retr(1);
    assert.equal(lines[0]?.toString(), "Subject: to keep");
    assert.equal((await again.stat())[0], 1);
    await again.quit();
    const err = await again.noop().catch((e: unknown) => e);
    assert.ok(err instanceof error_proto && err.code === "ERR_POP3_NOT_CONNECTED", String(err));
  });
});
