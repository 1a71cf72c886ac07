/**
 * The private Dovecot of test/_support/dovecot.ts, checked with python3's
 * own imaplib and poplib: plain, STARTTLS/STLS and implicit TLS with the test
 * CA, a message delivered before and one delivered while a client is
 * connected, two instances at once, and a stop() that leaves no process and
 * no folder behind.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { connect } from "node:net";
import { after, before, describe, test } from "node:test";
import { type Dovecot, HAS_DOVECOT, instanceProcesses, startDovecot } from "../_support/dovecot.js";
import { peerSkip } from "../_support/peers.js";
import { PYTHON, python } from "../_support/python.js";

const READ_ALL = `
import imaplib, poplib, ssl, json, sys
a = json.load(sys.stdin)
ctx = ssl.create_default_context(cafile=a["ca"])
out = {}
def imap(M):
    M.login(a["user"], a["password"])
    typ, data = M.select("INBOX", readonly=True)
    n = int(data[0])
    typ, msg = M.fetch(str(n), "(RFC822)")
    M.logout()
    return [n, msg[0][1].decode()]
out["imap"] = imap(imaplib.IMAP4("127.0.0.1", a["imap"]))
M = imaplib.IMAP4("127.0.0.1", a["imap"]); M.starttls(ssl_context=ctx)
out["imap_starttls"] = imap(M)
out["imaps"] = imap(imaplib.IMAP4_SSL("localhost", a["imaps"], ssl_context=ctx))
def pop(P):
    P.user(a["user"]); P.pass_(a["password"])
    n = P.stat()[0]
    lines = P.retr(n)[1]
    P.quit()
    return [n, "\\r\\n".join(l.decode() for l in lines) + "\\r\\n"]
out["pop3"] = pop(poplib.POP3("127.0.0.1", a["pop3"]))
P = poplib.POP3("127.0.0.1", a["pop3"]); P.stls(context=ctx)
out["pop3_stls"] = pop(P)
out["pop3s"] = pop(poplib.POP3_SSL("localhost", a["pop3s"], context=ctx))
print(json.dumps(out))
`;

/** Selects INBOX, says "ready", waits for a line on stdin, then NOOPs until a new message shows and prints it. */
const WAIT_FOR_NEW = `
import imaplib, json, sys
a = json.loads(sys.argv[1])
M = imaplib.IMAP4("127.0.0.1", a["imap"])
M.login(a["user"], a["password"])
n = int(M.select("INBOX")[1][0])
print("ready", flush=True)
sys.stdin.readline()
for _ in range(600):
    M.noop()
    typ, data = M.response("EXISTS")
    if data[-1] is not None and int(data[-1]) > n:
        break
    import time; time.sleep(0.05)
typ, msg = M.fetch(str(n + 1), "(BODY.PEEK[HEADER.FIELDS (SUBJECT)])")
M.logout()
print(json.dumps([n, msg[0][1].decode().strip()]))
`;

function message(subject: string): string {
  return `From: a@netkit.test\r\nTo: alice@netkit.test\r\nSubject: ${subject}\r\n\r\nbody of ${subject}\r\n`;
}

function args(dc: Dovecot, user = "alice") {
  return { ...dc.ports, ca: dc.caFile, user, password: dc.password(user) };
}

describe("startDovecot() (test/_support/dovecot.ts)", {
  skip: peerSkip("dovecot (as root)", HAS_DOVECOT),
}, () => {
  let dc: Dovecot;
  before(async () => {
    dc = await startDovecot();
  });
  after(() => dc?.stop());

  test("startDovecot() serves a delivered message to python3's imaplib and poplib, in plain text and TLS", async () => {
    dc.deliver("alice", message("first"));
    dc.deliver("alice", message("second"), { flags: "S" });
    const out = await python<Record<string, [number, string]>>(READ_ALL, args(dc));
    for (const [how, [n, text]] of Object.entries(out)) {
      assert.equal(n, 2, how);
      assert.match(text, /Subject: (first|second)\r\n/, how);
    }
    assert.ok(existsSync(dc.maildir("alice")));
  });

  test("deliver() files a message a connected client sees with NOOP", async () => {
    const child = spawn(PYTHON, ["-u", "-c", WAIT_FOR_NEW, JSON.stringify(args(dc, "bob"))], {
      stdio: ["pipe", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stderr.on("data", (b: Buffer) => {
      err += b.toString();
    });
    const done = new Promise<number | null>((resolve) => child.on("exit", resolve));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on("data", (b: Buffer) => {
        out += b.toString();
        if (out.startsWith("ready\n")) resolve();
      });
      child.on("exit", () => reject(new Error(`python3 exited early: ${err}`)));
    });
    dc.deliver("bob", message("while connected"));
    child.stdin.end("go\n");
    assert.equal(await done, 0, err);
    assert.deepEqual(JSON.parse(out.slice("ready\n".length)), [0, "Subject: while connected"]);
  });

  test("startDovecot() runs instances side by side and stop() leaves nothing behind", async () => {
    const started = await Promise.allSettled([
      startDovecot(),
      startDovecot({ users: [{ name: "carol", password: "c" }] }),
    ]);
    const failed = started.find((s) => s.status === "rejected");
    if (failed) {
      // Stop the one that did start before failing, so nothing outlives the test.
      await Promise.all(started.map((s) => (s.status === "fulfilled" ? s.value.stop() : undefined)));
      throw failed.reason;
    }
    const [one, two] = started.map((s) => (s as PromiseFulfilledResult<Dovecot>).value) as [Dovecot, Dovecot];
    try {
      assert.notDeepEqual(one.ports, two.ports);
      one.deliver("alice", message("one"));
      two.deliver("carol", message("two"));
      const [a, b] = await Promise.all([
        python<Record<string, [number, string]>>(READ_ALL, args(one)),
        python<Record<string, [number, string]>>(READ_ALL, args(two, "carol")),
      ]);
      assert.match(a.imap?.[1] ?? "", /Subject: one/);
      assert.ok(instanceProcesses(one.name, one.dir).length >= 3, "the master and its children are found");
      assert.match(b.pop3s?.[1] ?? "", /Subject: two/);
    } finally {
      await Promise.all([one.stop(), two.stop()]);
    }
    for (const d of [one, two]) {
      assert.equal(existsSync(d.dir), false, d.dir);
      assert.deepEqual(instanceProcesses(d.name, d.dir), [], `processes of ${d.name} still run`);
    }
    await one.stop(); // twice is fine
  });

  test("stop() also ends the children of a master that was killed (they outlive it)", async () => {
    const d = await startDovecot();
    // A logged-in client keeps an imap process (and the log process) alive past the master's death.
    const client = connect(d.ports.imap, "127.0.0.1");
    try {
      let seen = "";
      await new Promise<void>((resolve, reject) => {
        client.on("error", reject);
        client.on("data", (b: Buffer) => {
          seen += b.toString();
          if (seen.includes("a OK")) resolve();
        });
        client.write(`a LOGIN alice ${d.password("alice")}\r\n`);
      });
      process.kill(d.pid, "SIGKILL");
    } finally {
      await d.stop();
      client.destroy();
    }
    assert.deepEqual(instanceProcesses(d.name, d.dir), []);
    assert.equal(existsSync(d.dir), false);
  });
});
