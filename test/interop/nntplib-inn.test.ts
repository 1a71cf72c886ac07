/**
 * netkit's nntplib against a real news server, Debian's INN (inn2), run as
 * a private instance on loopback (test/_support/inn.ts): groups made with
 * `ctlinnd newgroup`, articles posted and read back; then python3's nntplib
 * (3.11, the reference) runs the same commands on the same server and must
 * return the same values; then IHAVE on a feed connection, STARTTLS with a
 * test certificate, the `file` argument, and the errors INN answers with.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { after, before, describe, test } from "node:test";
import {
  ArticleInfo,
  GroupInfo,
  NNTP,
  NNTP_SSL,
  NNTPError,
  NNTPPermanentError,
  NNTPTemporaryError,
} from "../../src/nntplib/index.js";
import { createDefaultContext } from "../../src/ssl.js";
import { INN_AVAILABLE, INN_USER, type Inn, startInn } from "../_support/inn.js";
import { peerSkip } from "../_support/peers.js";
import { python } from "../_support/python.js";
import { HAS_OPENSSL, makePKI } from "../_support/tls.js";

const GROUP = "netkit.test";
const OTHER = "netkit.other";

/** The articles posted in `before`: dots, a bare LF, an encoded subject, a cross-post, a long header. */
const ARTICLES = [
  `From: Ann <ann@example.org>\r\nNewsgroups: ${GROUP}\r\nSubject: first\r\nMessage-ID: <one@netkit.test>\r\n\r\n.leading dot\r\n..two dots\nbare lf\r\n.\r\nlast line`,
  `From: =?utf-8?q?J=C3=B6rg?= <joerg@example.org>\r\nNewsgroups: ${GROUP},${OTHER}\r\nSubject: =?utf-8?b?R3LDvMOfZQ==?= and more\r\nMessage-ID: <two@netkit.test>\r\nReferences: <one@netkit.test>\r\n\r\nHallo, Welt.\r\n`,
  `From: ann@example.org\r\nNewsgroups: ${GROUP}\r\nSubject: third ${"x".repeat(300)}\r\nMessage-ID: <three@netkit.test>\r\n\r\n${"line\r\n".repeat(50)}`,
];

/** One command for both clients: the method name and its arguments as JSON. */
type Step = [method: string, ...args: unknown[]];

const STEPS: Step[] = [
  ["getwelcome"],
  ["getcapabilities"],
  ["group", GROUP],
  ["list", "netkit.*"],
  ["descriptions", "netkit.*"],
  ["description", OTHER],
  ["description", "no.such.*"],
  ["over", [1, null]],
  ["over", "<two@netkit.test>"],
  ["xover", 1, 3],
  ["stat", 1],
  ["stat"],
  ["next"],
  ["next"],
  ["last"],
  ["head", "<one@netkit.test>"],
  ["body", 1],
  ["article", 2],
  ["article", "<three@netkit.test>"],
  ["article"],
  ["newgroups", "2020-01-01T00:00:00"],
  ["newnews", "netkit.*", "2020-01-01T00:00:00"],
  ["xhdr", "subject", "1-3"],
  ["help"],
  ["group", OTHER],
  ["group", "no.such.group"],
  ["article", "<nope@netkit.test>"],
  ["stat", 999],
  ["next"],
  ["slave"],
];

/** python3's nntplib running the steps; values made JSON as `toJson` makes netkit's. */
const PY_STEPS = `
import datetime, json, sys, warnings
warnings.simplefilter("ignore")
import nntplib

def js(v):
    if isinstance(v, (bytes, bytearray)):
        return {"b": bytes(v).decode("latin-1")}
    if isinstance(v, datetime.datetime):
        return {"dt": v.isoformat()}
    if isinstance(v, dict):
        return {"map": sorted([[k, js(x)] for k, x in v.items()])}
    if isinstance(v, (list, tuple)):
        return [js(x) for x in v]
    return v

req = json.load(sys.stdin)
s = nntplib.NNTP("127.0.0.1", req["port"], readermode=True, timeout=60)
out = []
for method, *args in req["steps"]:
    args = [datetime.datetime.fromisoformat(a) if isinstance(a, str) and a.startswith("2020-") else a for a in args]
    if method == "over" and isinstance(args[0], list):
        args[0] = tuple(args[0])
    try:
        out.append({"ok": js(getattr(s, method)(*args))})
    except nntplib.NNTPError as e:
        out.append({"error": [type(e).__name__, e.response]})
s.quit()
print(json.dumps(out))
`;

/** netkit's values as JSON, the shapes Python's `js` gives. */
function toJson(v: unknown): unknown {
  if (Buffer.isBuffer(v)) return { b: v.toString("latin1") };
  if (v instanceof Date) return { dt: v.toISOString().slice(0, 19) };
  if (v instanceof Map) {
    return {
      map: [...v.entries()]
        .map(([k, x]) => [k, toJson(x)])
        .sort((a, b) => ((a[0] as string) < (b[0] as string) ? -1 : 1)),
    };
  }
  if (v instanceof GroupInfo || v instanceof ArticleInfo) return [...v].map(toJson);
  if (Array.isArray(v)) return v.map(toJson);
  return v === undefined ? null : v;
}

async function netkitSteps(port: number, steps: Step[]): Promise<unknown[]> {
  await using s = await NNTP.open("127.0.0.1", port, { readermode: true, timeout: 60 });
  const out: unknown[] = [];
  for (const [method, ...raw] of steps) {
    const args = raw.map((a) => (typeof a === "string" && a.startsWith("2020-") ? new Date(`${a}Z`) : a));
    try {
      const fn = (s as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[method]!;
      out.push({ ok: toJson(await fn.apply(s, args)) });
    } catch (err) {
      if (!(err instanceof NNTPError)) throw err;
      out.push({ error: [err.name, err.response] });
    }
  }
  return out;
}

describe("INN (Debian's inn2, a private innd on loopback)", {
  skip: peerSkip("inn2 (as root)", INN_AVAILABLE),
}, () => {
  let inn: Inn;
  let work: string;

  before(async () => {
    const pki = HAS_OPENSSL ? makePKI() : undefined;
    inn = await startInn({
      groups: [
        [GROUP, "y", "netkit's test group"],
        [OTHER, "y", "Ünïcödé description: another group"],
      ],
      ...(pki ? { tls: { cert: pki.server.cert, key: pki.server.key } } : {}),
    });
    work = mkdtempSync(join(tmpdir(), "netkit-nntp-"));
    await using s = await NNTP.open("127.0.0.1", inn.port, { readermode: true, timeout: 60 });
    for (const article of ARTICLES) assert.match(await s.post(Buffer.from(article)), /^240 /);
  });

  after(async () => {
    await inn?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test("post() and article() round-trip an article through INN: dots unstuffed, line ends CRLF", async () => {
    await using s = await NNTP.open("127.0.0.1", inn.port, { readermode: true, timeout: 60 });
    const [resp, count, first, last, name] = await s.group(GROUP);
    assert.deepEqual([resp.slice(0, 4), count, first, last, name], ["211 ", 3, 1, 3, GROUP]);
    const [, info] = await s.body("<one@netkit.test>");
    assert.deepEqual(
      info.lines.map((l) => l.toString()),
      [".leading dot", "..two dots", "bare lf", ".", "last line"],
    );
    const [, overviews] = await s.over([1, null]);
    assert.deepEqual(
      overviews.map(([n, f]) => [n, f.get("message-id"), f.get("references")]),
      [
        [1, "<one@netkit.test>", ""],
        [2, "<two@netkit.test>", "<one@netkit.test>"],
        [3, "<three@netkit.test>", ""],
      ],
    );
    assert.equal(overviews[1]![1].get("xref"), `netkit.test ${GROUP}:2 ${OTHER}:1`);
  });

  test("every command returns what python3's nntplib returns from the same INN", async () => {
    const [mine, theirs] = await Promise.all([
      netkitSteps(inn.port, STEPS),
      python<unknown[]>(PY_STEPS, { port: inn.port, steps: STEPS }),
    ]);
    assert.equal(mine.length, theirs.length);
    for (const [i, step] of STEPS.entries()) {
      assert.deepEqual(
        mine[i],
        theirs[i],
        `${JSON.stringify(step)}\npython: ${JSON.stringify(theirs[i])}\nnetkit: ${JSON.stringify(mine[i])}`,
      );
    }
  });

  test("date() reads INN's clock as python3 does", async () => {
    await using s = await NNTP.open("127.0.0.1", inn.port, { readermode: true, timeout: 60 });
    const [resp, date] = await s.date();
    const theirs = await python<[string, string]>(
      `import json, sys, warnings; warnings.simplefilter("ignore"); import nntplib
s = nntplib.NNTP("127.0.0.1", json.load(sys.stdin), readermode=True, timeout=60)
r, d = s.date(); s.quit(); print(json.dumps([r, d.isoformat()]))`,
      inn.port,
    );
    assert.match(resp, /^111 \d{14}$/);
    assert.ok(
      Math.abs(date.getTime() - Date.parse(`${theirs[1]}Z`)) < 120_000,
      `${resp} / python: ${theirs[0]}`,
    );
    assert.ok(Math.abs(date.getTime() - Date.now()) < 120_000);
  });

  test("article(), head() and body() with a file: the same bytes python3 writes", async () => {
    await using s = await NNTP.open("127.0.0.1", inn.port, { readermode: true, timeout: 60 });
    const mineFile = join(work, "netkit.txt");
    const [resp, info] = await s.article("<one@netkit.test>", { file: mineFile });
    assert.deepEqual(
      [resp.slice(0, 4), info.number, info.messageId, info.lines],
      ["220 ", 0, "<one@netkit.test>", []],
    );
    const chunks: Buffer[] = [];
    const sink = new Writable({
      highWaterMark: 16, // small: back-pressure is met
      write(chunk: Buffer, _enc, cb) {
        chunks.push(chunk);
        setImmediate(cb);
      },
    });
    await s.group(GROUP);
    await s.body(3, { file: sink });
    const theirFile = join(work, "python.txt");
    const theirBody = await python<string>(
      `import json, sys, warnings, io; warnings.simplefilter("ignore"); import nntplib
req = json.load(sys.stdin)
s = nntplib.NNTP("127.0.0.1", req["port"], readermode=True, timeout=60)
s.group("${GROUP}")
s.article("<one@netkit.test>", file=req["file"])
buf = io.BytesIO(); s.body(3, file=buf); s.quit()
print(json.dumps(buf.getvalue().decode("latin-1")))`,
      { port: inn.port, file: theirFile },
    );
    assert.deepEqual(readFileSync(mineFile), readFileSync(theirFile));
    assert.equal(Buffer.concat(chunks).toString("latin1"), theirBody);
    assert.equal((await s.group(GROUP))[1], 3, "the connection is still in step");
  });

  test("ihave() on a feed connection (no MODE READER): 235, then 435 for the same message-id", async () => {
    await using feed = await NNTP.open("127.0.0.1", inn.port, { timeout: 60 });
    assert.ok((await feed.getcapabilities()).has("IHAVE"));
    const article = `Path: elsewhere!not-for-mail\r\nFrom: feed@example.org\r\nNewsgroups: ${OTHER}\r\nSubject: fed\r\nDate: ${new Date().toUTCString()}\r\nMessage-ID: <fed@netkit.test>\r\n\r\n.fed body\r\n`;
    assert.match(await feed.ihave("<fed@netkit.test>", [Buffer.from(article)]), /^235 /);
    await assert.rejects(feed.ihave("<fed@netkit.test>", Buffer.from(article)), (err: unknown) => {
      assert.ok(err instanceof NNTPTemporaryError, String(err));
      assert.match(err.response, /^435 /);
      return true;
    });
    await using reader = await NNTP.open("127.0.0.1", inn.port, { readermode: true, timeout: 60 });
    const [, info] = await reader.body("<fed@netkit.test>");
    assert.deepEqual(info.lines.map(String), [".fed body"]);
  });

  test("starttls() upgrades the connection (INN's nnrpd, a test certificate) and reads the capabilities again", {
    skip: peerSkip("openssl", HAS_OPENSSL),
  }, async () => {
    const context = createDefaultContext(undefined, { cafile: makePKI().caFile });
    await using s = await NNTP.open("localhost", inn.port, { readermode: true, timeout: 60 });
    assert.ok((await s.getcapabilities()).has("STARTTLS"));
    await s.starttls(context);
    assert.equal(s.tlsOn, true);
    assert.ok(!(await s.getcapabilities()).has("STARTTLS"), "no STARTTLS once TLS is on");
    assert.equal((await s.group(GROUP))[1], 3);
    await assert.rejects(s.starttls(context), /TLS is already enabled/);
  });

  test("NNTP_SSL talks to INN's nnrpd over TLS from the first byte, and refuses an untrusted certificate", {
    skip: peerSkip("openssl", HAS_OPENSSL),
  }, async () => {
    const pki = makePKI();
    const sslContext = createDefaultContext(undefined, { cafile: pki.caFile });
    await using s = await NNTP_SSL.open("localhost", inn.tlsPort, { sslContext, timeout: 60 });
    assert.match(s.getwelcome(), /^200 /);
    assert.ok((await s.getcapabilities()).has("READER"));
    const [, info] = await s.head("<two@netkit.test>");
    assert.ok(info.lines.some((l) => l.toString() === "Message-ID: <two@netkit.test>"));
    const other = createDefaultContext(undefined, { cafile: pki.otherCaFile });
    await assert.rejects(NNTP_SSL.open("localhost", inn.tlsPort, { sslContext: other, timeout: 60 }), {
      name: "SSLCertVerificationError",
    });
  });

  test("login() authenticates with AUTHINFO USER/PASS (INN's ckpasswd) as python3 does; a wrong password is 481 (NNTPTemporaryError)", async () => {
    const { user, password } = INN_USER;
    await using s = await NNTP.open("127.0.0.1", inn.port, { readermode: true, user, password, timeout: 60 });
    assert.equal(s.authenticated, true);
    const mine = [...(await s.getcapabilities()).keys()];
    assert.equal((await s.group(GROUP))[1], 3);
    const theirs = await python<string[]>(
      `import json, sys, warnings; warnings.simplefilter("ignore"); import nntplib
req = json.load(sys.stdin)
s = nntplib.NNTP("127.0.0.1", req["port"], user=req["user"], password=req["password"], readermode=True, timeout=60)
caps = list(s.getcapabilities()); s.quit(); print(json.dumps(caps))`,
      { port: inn.port, user, password },
    );
    assert.deepEqual(mine, theirs);
    await using bad = await NNTP.open("127.0.0.1", inn.port, { readermode: true, timeout: 60 });
    await assert.rejects(bad.login(user, "wrong"), (err: unknown) => {
      assert.ok(err instanceof NNTPTemporaryError, String(err)); // a 4xx, as Python's _getresp makes it
      assert.match(err.response, /^481 /);
      return true;
    });
  });

  test("a refused command is the typed error python3 raises, and the connection goes on", async () => {
    await using s = await NNTP.open("127.0.0.1", inn.port, { readermode: true, timeout: 60 });
    await assert.rejects(s.group("no.such.group"), (err: unknown) => {
      assert.ok(err instanceof NNTPTemporaryError);
      assert.equal(err.code, "ERR_NNTP_TEMPORARY");
      assert.match(err.response, /^411 /);
      return true;
    });
    await assert.rejects(
      s.slave(),
      (err: unknown) => err instanceof NNTPPermanentError && /^500 /.test(err.response),
    );
    assert.equal((await s.stat("<two@netkit.test>"))[2], "<two@netkit.test>");
  });
});
