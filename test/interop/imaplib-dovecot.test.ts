/**
 * netkit's imaplib against a real IMAP server, Debian's Dovecot (a private
 * instance from test/_support/dovecot.ts), and differentially against
 * python3's imaplib: the same script of every Python 3.11 command runs in
 * both, each on its own user with the same mail, and every `[typ, data]`
 * (and every exception's class and message) must be the same once the
 * values that differ by nature (UIDVALIDITY, Dovecot's timings, the user's
 * name) are masked.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { IMAP4, IMAP4_SSL, IMAP4_stream, type IMAPArg } from "../../src/imaplib/index.js";
import { createDefaultContext, SSLCertVerificationError } from "../../src/socket/tls.js";
import { type Dovecot, HAS_DOVECOT, startDovecot } from "../_support/dovecot.js";
import { peerSkip } from "../_support/peers.js";
import { python } from "../_support/python.js";

/** One step: a method (Python's name) and its arguments (`"$USER"`/`"$PASS"` filled in per side). */
type Step = [method: string, ...args: (string | boolean | null)[]];

const MESSAGES = [
  "From: ann@netkit.test\r\nTo: user@netkit.test\r\nSubject: hello world\r\nMessage-ID: <1@netkit.test>\r\n\r\nfirst body\r\n",
  "From: bo@netkit.test\r\nTo: user@netkit.test\r\nSubject: Re: hello world\r\nMessage-ID: <2@netkit.test>\r\nIn-Reply-To: <1@netkit.test>\r\nReferences: <1@netkit.test>\r\n\r\nsecond body\r\n",
  "From: cy@netkit.test\r\nTo: user@netkit.test\r\nSubject: another subject\r\nMessage-ID: <3@netkit.test>\r\n\r\nthird body\nwith a bare LF\r\n",
];

/** Every Python 3.11 command, in an order a session allows. */
const SCRIPT: Step[] = [
  ["noop"],
  ["capability"],
  ["login", "$USER", "wrong password"],
  ["login", "$USER", "$PASS"],
  ["capability"],
  ["namespace"],
  ["list"],
  ["list", '""', '"INBOX"'],
  ["create", "Work"],
  ["create", '"Two Words"'],
  ["create", "Work"],
  ["list", '""', "*"],
  ["subscribe", "Work"],
  ["lsub"],
  ["unsubscribe", "Work"],
  ["lsub", '""', "*"],
  ["rename", "Work", "Play"],
  ["status", "INBOX", "(MESSAGES RECENT UNSEEN UIDNEXT)"],
  ["getquotaroot", "INBOX"],
  ["getquota", '"User quota"'],
  ["setquota", '"User quota"', "(STORAGE 100)"],
  ["myrights", "INBOX"],
  ["getacl", "INBOX"],
  ["setacl", "Play", "anyone", "lr"],
  ["getacl", "Play"],
  ["deleteacl", "Play", "anyone"],
  ["getacl", "Play"],
  ["getannotation", "INBOX", '"/comment"', '"value.priv"'],
  ["setannotation", "INBOX", '"/comment"', '("value.priv" "x")'],
  ["enable", "CONDSTORE"],
  ["proxyauth", "nobody"],
  ["check"],
  ["select", "INBOX", true],
  ["response", "FLAGS"],
  ["response", "PERMANENTFLAGS"],
  ["response", "READ-ONLY"],
  ["store", "1", "+FLAGS", "\\Seen"],
  ["select", "INBOX"],
  ["response", "READ-WRITE"],
  ["fetch", "1:*", "(FLAGS INTERNALDATE RFC822.SIZE)"],
  ["fetch", "1", "(RFC822)"],
  ["fetch", "2", "(BODY.PEEK[HEADER] BODY.PEEK[TEXT])"],
  ["fetch", "3", "(BODY.PEEK[HEADER.FIELDS (SUBJECT)])"],
  ["fetch", "99", "(FLAGS)"],
  ["partial", "1", "RFC822", "0", "10"],
  ["search", null, "ALL"],
  ["search", "UTF-8", "SUBJECT", "hello"],
  ["search", null, "SUBJECT", '"another"'],
  ["search", null, "BOGUS"],
  ["sort", "SUBJECT", "UTF-8", "ALL"],
  ["sort", "(REVERSE DATE)", "UTF-8", "ALL"],
  ["thread", "REFERENCES", "UTF-8", "ALL"],
  ["thread", "ORDEREDSUBJECT", "UTF-8", "ALL"],
  ["store", "1", "+FLAGS", "\\Flagged"],
  ["store", "1:2", "FLAGS.SILENT", "(\\Answered)"],
  ["fetch", "1:*", "(FLAGS)"],
  ["copy", "1", "Play"],
  ["copy", "1", "Nowhere"],
  ["uid", "SEARCH", "ALL"],
  ["uid", "FETCH", "1:*", "(UID FLAGS)"],
  ["uid", "STORE", "1", "-FLAGS", "(\\Flagged)"],
  ["uid", "COPY", "2", "Play"],
  ["uid", "SORT", "(SUBJECT)", "UTF-8", "ALL"],
  ["uid", "THREAD", "REFERENCES", "UTF-8", "ALL"],
  ["uid", "MOVE", "3", "Play"],
  ["response", "EXPUNGE"],
  ["uid", "BOGUS", "1"],
  ["_simple_command", "MOVE", "1", '"Two Words"'],
  ["response", "EXPUNGE"],
  ["append", "INBOX", "\\Seen", '"01-Jan-2020 10:00:00 +0000"', "Subject: appended\nDate: x\n\nbody\n"],
  ["append", null, null, null, "Subject: plain\r\n\r\nx\r\n"],
  ["append", "Nowhere", null, null, "Subject: nowhere\r\n\r\nx\r\n"],
  ["noop"],
  ["response", "EXISTS"],
  ["recent"],
  ["xatom", "ID", "NIL"],
  ["response", "ID"],
  ["xatom", "BOGUSX"],
  ["store", "1:*", "+FLAGS", "(\\Deleted)"],
  ["expunge"],
  ["unselect"],
  ["fetch", "1", "(FLAGS)"],
  ["select", "Play"],
  ["fetch", "1:*", "(FLAGS BODY.PEEK[HEADER.FIELDS (SUBJECT)])"],
  ["close"],
  ["select", "Nowhere"],
  ["delete", "Play"],
  ["delete", '"Two Words"'],
  ["delete", "Nowhere"],
  ["logout"],
];

/** A result as both sides report it: bytes as "b:" + Latin-1 text, tuples and lists as arrays. */
type Out = unknown;

const PY_DRIVER = `
import imaplib, json, sys
a = json.load(sys.stdin)
def enc(v):
    if isinstance(v, bytes): return "b:" + v.decode("latin-1")
    if isinstance(v, (list, tuple)): return [enc(x) for x in v]
    if isinstance(v, str): return "s:" + v
    return v
M = imaplib.IMAP4("127.0.0.1", a["port"])
out = []
for step in a["script"]:
    name, args = step[0], [a["user"] if x == "$USER" else a["password"] if x == "$PASS" else x for x in step[1:]]
    if name == "append": args[-1] = args[-1].encode("latin-1")
    try:
        out.append(enc(list(getattr(M, name)(*args))))
    except M.error as e:
        out.append({"error": type(e).__name__, "msg": str(e)})
out.append(["state", M.state])
print(json.dumps(out))
`;

function enc(v: unknown): Out {
  if (Buffer.isBuffer(v)) return `b:${v.toString("latin1")}`;
  if (Array.isArray(v)) return v.map(enc);
  if (typeof v === "string") return `s:${v}`;
  return v;
}

const METHODS: Record<string, string> = { _simple_command: "simpleCommand", login_cram_md5: "loginCramMd5" };

async function runNetkit(dc: Dovecot, user: string, script: Step[]): Promise<Out[]> {
  const M = await IMAP4.open("127.0.0.1", dc.ports.imap, { timeout: 60 });
  const out: Out[] = [];
  for (const [name, ...raw] of script) {
    const args: unknown[] = raw.map((x) => (x === "$USER" ? user : x === "$PASS" ? dc.password(user) : x));
    if (name === "append") args[args.length - 1] = Buffer.from(args.at(-1) as string, "latin1");
    const method = (M as unknown as Record<string, (...a: unknown[]) => unknown>)[METHODS[name] ?? name];
    assert.ok(method, `netkit's IMAP4 has no method for ${name}`);
    try {
      out.push(enc(await method.apply(M, args)));
    } catch (err) {
      if (!(err instanceof IMAP4.error)) throw err;
      const kind =
        err instanceof IMAP4.readonly ? "readonly" : err instanceof IMAP4.abort ? "abort" : "error";
      out.push({ error: kind, msg: err.message });
    }
  }
  out.push(["state", M.state]);
  return out;
}

/** Masks what differs between two users and two runs: names, UIDVALIDITY, timings. */
function mask(out: Out[], user: string): string {
  return JSON.stringify(out, null, 1)
    .replaceAll(user, "USER")
    .replace(/(UIDVALIDITY|APPENDUID|COPYUID) \d+/g, "$1 N")
    .replace(/\(\d+\.\d+ \+ \d+\.\d+(?: \+ \d+\.\d+)? secs\)/g, "(T secs)");
}

function deliverAll(dc: Dovecot, user: string): void {
  const date = new Date("2024-03-01T12:00:00Z");
  for (const [i, m] of MESSAGES.entries()) {
    dc.deliver(user, m, { date: new Date(date.getTime() + i * 60_000), ...(i === 2 ? { flags: "S" } : {}) });
  }
}

function verifyingContext(dc: Dovecot) {
  const ctx = createDefaultContext();
  ctx.loadVerifyLocations({ cafile: dc.caFile });
  return ctx;
}

describe("imaplib against Dovecot", { skip: peerSkip("dovecot (as root)", HAS_DOVECOT) }, () => {
  let dc: Dovecot;
  before(async () => {
    dc = await startDovecot({
      users: [
        { name: "pyuser", password: "py-secret" },
        { name: "nkuser", password: "nk-secret" },
        { name: "carol", password: "c-secret" },
        { name: "dave", password: "d-secret" },
        { name: "erin", password: "e-secret" },
      ],
    });
  });
  after(() => dc?.stop());

  test("IMAP4 runs every Python 3.11 command with python3's [typ, data] results", async () => {
    deliverAll(dc, "pyuser");
    deliverAll(dc, "nkuser");
    const [py, nk] = await Promise.all([
      python<Out[]>(PY_DRIVER, {
        port: dc.ports.imap,
        user: "pyuser",
        password: "py-secret",
        script: SCRIPT,
      }),
      runNetkit(dc, "nkuser", SCRIPT),
    ]);
    const p = JSON.parse(mask(py, "pyuser")) as Out[];
    const n = JSON.parse(mask(nk, "nkuser")) as Out[];
    assert.equal(n.length, p.length);
    for (const [i, step] of SCRIPT.entries()) {
      assert.deepEqual(
        n[i],
        p[i],
        `${JSON.stringify(step)}\npython: ${JSON.stringify(p[i])}\nnetkit: ${JSON.stringify(n[i])}`,
      );
    }
    assert.deepEqual(n.at(-1), p.at(-1));
    // The script did meet every kind of answer.
    const text = JSON.stringify(n);
    for (const needle of ['"s:NO"', '"error":"error"', '"s:BYE"', "EXPUNGE", "QUOTA", "lrwstipekxacd"]) {
      assert.ok(text.includes(needle), `no ${needle} in the results`);
    }
  });

  test("login_cram_md5() and authenticate() with an authenticator log in; a refused one is IMAP4.error", async () => {
    const M = await IMAP4.open("127.0.0.1", dc.ports.imap, { timeout: 60 });
    await assert.rejects(M.loginCramMd5("carol", "wrong"), (e: Error) => e instanceof IMAP4.error);
    assert.deepEqual(await M.loginCramMd5("carol", "c-secret"), ["OK", [Buffer.from("Logged in")]]);
    assert.equal(M.state, "AUTH");
    await M.logout();
    const N = await IMAP4.open("127.0.0.1", dc.ports.imap, { timeout: 60 });
    const challenges: Buffer[] = [];
    const [typ] = await N.authenticate("plain", (challenge) => {
      challenges.push(challenge);
      return "\0carol\0c-secret";
    });
    assert.equal(typ, "OK");
    assert.deepEqual(challenges, [Buffer.alloc(0)]);
    await N.logout();
    const O = await IMAP4.open("127.0.0.1", dc.ports.imap, { timeout: 60 });
    await assert.rejects(
      O.authenticate("PLAIN", () => null),
      (e: Error) => e instanceof IMAP4.error,
    );
    await O.logout();
  });

  test("starttls() and IMAP4_SSL verify Dovecot's certificate with the test CA, and refuse without it", async () => {
    const M = await IMAP4.open("localhost", dc.ports.imap, { timeout: 60 });
    assert.ok(M.capabilities.includes("STARTTLS"));
    assert.deepEqual(await M.starttls(verifyingContext(dc)), ["OK", [null]]);
    assert.ok(!M.capabilities.includes("STARTTLS"), "CAPABILITY is asked again after TLS");
    await assert.rejects(M.starttls(verifyingContext(dc)), (e: Error) => e instanceof IMAP4.abort);
    await M.login("carol", "c-secret");
    assert.deepEqual((await M.select())[0], "OK");
    await M.logout();

    const S = await IMAP4_SSL.open("localhost", dc.ports.imaps, {
      sslContext: verifyingContext(dc),
      timeout: 60,
    });
    assert.equal((await S.login("carol", "c-secret"))[0], "OK");
    assert.equal((await S.logout())[0], "BYE");

    await assert.rejects(
      IMAP4_SSL.open("localhost", dc.ports.imaps, { timeout: 60 }),
      (e: Error) => e instanceof SSLCertVerificationError,
    );
    const T = await IMAP4.open("localhost", dc.ports.imap, { timeout: 60 });
    await assert.rejects(T.starttls(), (e: Error) => e instanceof SSLCertVerificationError);
  });

  test("append() uploads a 5 MB message as a literal and fetch() reads the same bytes back", async () => {
    const line = `${"x".repeat(76)}\r\n`;
    const body = Buffer.from(`Subject: big\r\n\r\n${line.repeat(Math.ceil(5_000_000 / line.length))}`);
    const M = await IMAP4.open("127.0.0.1", dc.ports.imap, { timeout: 60 });
    await M.login("dave", "d-secret");
    const [typ, data] = await M.append("INBOX", null, null, body);
    assert.equal(typ, "OK", String(data));
    await M.select("INBOX");
    const [, fetched] = await M.fetch("1", "(RFC822)");
    const [header, message] = fetched[0] as [Buffer, Buffer];
    assert.match(header.toString(), new RegExp(`RFC822 \\{${body.length}\\}$`));
    assert.equal(
      createHash("sha256").update(message).digest("hex"),
      createHash("sha256").update(body).digest("hex"),
    );
    await M.logout();
  });

  test("idle() yields EXISTS for a message another connection appends, and for one delivered to the Maildir", async () => {
    const M = await IMAP4.open("127.0.0.1", dc.ports.imap, { timeout: 60 });
    await M.login("erin", "e-secret");
    const [, [exists]] = await M.select("INBOX");
    const start = Number(String(exists));
    const other = await IMAP4.open("127.0.0.1", dc.ports.imap, { timeout: 60 });
    await other.login("erin", "e-secret");
    // Whether the APPEND lands before or after Dovecot's "+ idling", IDLE yields the EXISTS.
    const iterator = M.idle({ duration: 60 });
    const first = iterator.next();
    await other.append("INBOX", null, null, "Subject: via another connection\r\n\r\nx\r\n");
    const r1 = await first;
    assert.equal(r1.done, false);
    assert.deepEqual(r1.value, ["EXISTS", [Buffer.from(String(start + 1))]]);
    await iterator.return(undefined);
    assert.equal(M.state, "SELECTED");
    assert.equal((await M.noop())[0], "OK", "the connection is in step after IDLE");

    // A message filed straight into the Maildir (no IMAP) shows up too.
    let count = start + 1;
    const seen: string[] = [];
    const delivered = (async () => {
      for await (const [typ, data] of M.idle({ duration: 60 })) {
        seen.push(typ);
        if (typ === "EXISTS") {
          count = Number(String(data[0]));
          break;
        }
      }
    })();
    dc.deliver("erin", "Subject: delivered\r\n\r\nx\r\n");
    await delivered;
    assert.equal(count, start + 2, `IDLE saw ${seen.join(", ")}`);
    await M.logout();
    await other.logout();
  });

  test("idle() ends by itself after its duration with the server's OK", async () => {
    const M = await IMAP4.open("127.0.0.1", dc.ports.imap, { timeout: 60 });
    await M.login("carol", "c-secret");
    await M.select();
    const t0 = Date.now();
    const seen: unknown[] = [];
    for await (const r of M.idle({ duration: 0.3 })) seen.push(r);
    assert.ok(Date.now() - t0 >= 250);
    assert.deepEqual(seen, []);
    assert.equal((await M.noop())[0], "OK");
    await M.logout();
  });

  test("search() with non-ASCII text after enable('UTF8=ACCEPT') finds what python3's does", async () => {
    for (const user of ["pyuser", "nkuser"]) {
      dc.deliver(
        user,
        "Subject: =?utf-8?q?Gr=C3=BC=C3=9Fe?=\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nGrüße aus Köln\r\n",
      );
    }
    const script = `
import imaplib, json, sys
a = json.load(sys.stdin)
M = imaplib.IMAP4("127.0.0.1", a["port"]); M.login(a["user"], a["password"])
typ, data = M.enable("UTF8=ACCEPT")
r = [[typ, [d.decode() for d in data]], M.utf8_enabled]
M.select("INBOX")
for crit in (["SUBJECT", '"Grüße"'], ["BODY", '"Köln"'], ["TEXT", '"nirgends"']):
    typ, data = M.search(None, *crit)
    r.append([typ, [d.decode() for d in data]])
try:
    M.search("UTF-8", "ALL")
except M.error as e:
    r.append(str(e))
M.logout()
print(json.dumps(r))`;
    const py = await python<unknown[]>(script, {
      port: dc.ports.imap,
      user: "pyuser",
      password: "py-secret",
    });
    const M = await IMAP4.open("127.0.0.1", dc.ports.imap, { timeout: 60 });
    await M.login("nkuser", "nk-secret");
    const nk: unknown[] = [
      (await M.enable("UTF8=ACCEPT")).map((x) => (Array.isArray(x) ? x.map(String) : x)),
      M.utf8Enabled,
    ];
    await M.select("INBOX");
    for (const crit of [
      ["SUBJECT", '"Grüße"'],
      ["BODY", '"Köln"'],
      ["TEXT", '"nirgends"'],
    ] as IMAPArg[][]) {
      const [typ, data] = await M.search(null, ...crit);
      nk.push([typ, data.map(String)]);
    }
    await assert.rejects(M.search("UTF-8", "ALL"), (e: Error) => {
      nk.push(e.message);
      return e instanceof IMAP4.error;
    });
    await M.logout();
    assert.deepEqual(nk, py);
    const found = nk[2] as [string, string[]];
    assert.notEqual(found[1][0], "", "the non-ASCII subject was found");
  });

  test("IMAP4_stream talks to Dovecot's imap binary through its stdin and stdout", async () => {
    dc.deliver("carol", "Subject: by stream\r\n\r\nx\r\n");
    // Dovecot's imap refuses a socket as stdin/stdout (node's child pipes are sockets): cat in between.
    const M = await IMAP4_stream.open(
      `cat | /usr/lib/dovecot/imap -c ${dc.dir}/dovecot.conf -u carol 2>/dev/null | cat`,
    );
    assert.equal(M.state, "AUTH", "PREAUTH");
    const [typ, [count]] = await M.select();
    assert.equal(typ, "OK");
    const [, data] = await M.fetch(String(count), "(BODY.PEEK[HEADER.FIELDS (SUBJECT)])");
    assert.equal((data[0] as [Buffer, Buffer])[1].toString().trim(), "Subject: by stream");
    assert.equal((await M.logout())[0], "BYE");
  });
});
