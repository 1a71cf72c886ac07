/**
 * nntplib's conversations, byte for byte: a scripted loopback peer plays
 * the server, and python3's nntplib plays the same script against a second
 * peer; both clients must send the same bytes and return the same values
 * (login, MODE READER before and after AUTHINFO, POST and its dot-stuffing,
 * NEWGROUPS with an old server's two-digit year, XOVER when OVER is not
 * offered, QUIT on dispose).
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ValueError } from "../../src/errors/index.js";
import { NNTP, NNTPPermanentError, NNTPReplyError } from "../../src/nntplib/index.js";
import { python } from "../_support/python.js";
import { type Step, scriptedPeer } from "../smtplib/_peer.js";

const CAPS = (...caps: string[]) => `101 Capability list:\r\n${caps.map((c) => `${c}\r\n`).join("")}.\r\n`;

interface Case {
  name: string;
  steps: Step[];
  /** netkit's side; returns a JSON-able value. */
  netkit: (port: number) => Promise<unknown>;
  /** python3's side: `s` is unset, `port` is set; assigns `result`. */
  py: string;
}

const PY_RUN = `
import json, sys, warnings, datetime
warnings.simplefilter("ignore")
import nntplib
req = json.load(sys.stdin)
port = req["port"]
result = None
try:
    exec(req["code"])
except nntplib.NNTPError as e:
    result = {"error": [type(e).__name__, e.response]}
print(json.dumps(result))
`;

async function run(steps: Step[], client: (port: number) => Promise<unknown>): Promise<[unknown, string]> {
  const peer = await scriptedPeer(steps);
  try {
    const result = await client(peer.port);
    const { received, errors } = await peer.done;
    assert.deepEqual(errors, [], "the client sent what the script expects");
    return [result, received.toString("latin1")];
  } finally {
    peer.server.close();
  }
}

const asError = (err: unknown) => {
  if (err instanceof Error && "response" in err)
    return { error: [err.name, (err as { response: string }).response] };
  throw err;
};

const CASES: Case[] = [
  {
    name: "open() with user and password: AUTHINFO USER, PASS, then CAPABILITIES again",
    steps: [
      { send: "200 ready\r\n" },
      { expect: "CAPABILITIES\r\n" },
      { send: CAPS("VERSION 2", "AUTHINFO USER", "READER") },
      { expect: "authinfo user joe\r\n" },
      { send: "381 Password required\r\n" },
      { expect: "authinfo pass secret\r\n" },
      { send: "281 Authentication accepted\r\n" },
      { expect: "CAPABILITIES\r\n" },
      { send: CAPS("VERSION 2", "READER", "POST") },
      { expect: "QUIT\r\n" },
      { send: "205 bye\r\n" },
    ],
    netkit: async (port) => {
      const s = await NNTP.open("127.0.0.1", port, { user: "joe", password: "secret", timeout: 20 });
      const caps = [...(await s.getcapabilities()).keys()];
      return [caps, await s.quit()];
    },
    py: `s = nntplib.NNTP("127.0.0.1", port, user="joe", password="secret", timeout=20)
result = [list(s.getcapabilities().keys()), s.quit()]`,
  },
  {
    name: "readermode: MODE READER refused with 480 is sent again after login",
    steps: [
      { send: "200 ready\r\n" },
      { expect: "CAPABILITIES\r\n" },
      { send: CAPS("VERSION 2", "MODE-READER", "AUTHINFO USER") },
      { expect: "mode reader\r\n" },
      { send: "480 Authentication required\r\n" },
      { expect: "authinfo user joe\r\n" },
      { send: "281 Ok\r\n" },
      { expect: "CAPABILITIES\r\n" },
      { send: CAPS("VERSION 2", "MODE-READER") },
      { expect: "mode reader\r\n" },
      { send: "200 Reader mode, posting allowed\r\n" },
      { expect: "CAPABILITIES\r\n" },
      { send: CAPS("VERSION 2", "READER") },
      { expect: "QUIT\r\n" },
      { send: "205 bye\r\n" },
    ],
    netkit: async (port) => {
      const s = await NNTP.open("127.0.0.1", port, { user: "joe", readermode: true, timeout: 20 });
      return [s.getwelcome(), await s.quit()];
    },
    py: `s = nntplib.NNTP("127.0.0.1", port, user="joe", readermode=True, timeout=20)
result = [s.getwelcome(), s.quit()]`,
  },
  {
    name: "login() with a refused password (481) is NNTPTemporaryError, as every 4xx",
    steps: [
      { send: "200 ready\r\n" },
      { expect: "CAPABILITIES\r\n" },
      { send: "500 What?\r\n" },
      { expect: "authinfo user joe\r\n" },
      { send: "381 Password required\r\n" },
      { expect: "authinfo pass bad\r\n" },
      { send: "481 Authentication failed\r\n" },
    ],
    netkit: async (port) => {
      const s = await NNTP.open("127.0.0.1", port, { timeout: 20 });
      const r = await s.login("joe", "bad").catch(asError);
      s.close();
      return r;
    },
    py: `s = nntplib.NNTP("127.0.0.1", port, timeout=20)
try:
    s.login("joe", "bad")
finally:
    s.sock.close()`,
  },
  {
    name: "post() of bytes: bare CR and LF made CRLF, leading dots doubled, the '.' line added",
    steps: [
      { send: "200 ready\r\n" },
      { expect: "CAPABILITIES\r\n" },
      { send: CAPS("VERSION 2", "READER", "POST") },
      { expect: "POST\r\n" },
      { send: "340 Ok, send article\r\n" },
      { expect: "Subject: hi\r\n\r\n..one\r\n...two\r\nbare\r\ncr\r\n.\r\n" },
      { send: "240 Article received\r\n" },
      { expect: "QUIT\r\n" },
      { send: "205 bye\r\n" },
    ],
    netkit: async (port) => {
      const s = await NNTP.open("127.0.0.1", port, { timeout: 20 });
      return [await s.post(Buffer.from("Subject: hi\n\n.one\r\n..two\nbare\rcr")), await s.quit()];
    },
    py: `s = nntplib.NNTP("127.0.0.1", port, timeout=20)
result = [s.post(b"Subject: hi\\n\\n.one\\r\\n..two\\nbare\\rcr"), s.quit()]`,
  },
  {
    name: "post() of lines: each line ended with CRLF, a refusal is NNTPTemporaryError",
    steps: [
      { send: "201 ready, no posting\r\n" },
      { expect: "CAPABILITIES\r\n" },
      { send: CAPS("VERSION 2", "READER") },
      { expect: "POST\r\n" },
      { send: "340 Ok\r\n" },
      { expect: "From: a@b\r\n\r\n..dot\r\nend\r\n.\r\n" },
      { send: "441 Posting failed\r\n" },
      { expect: "POST\r\n" },
      { send: "440 Posting not permitted\r\n" },
    ],
    netkit: async (port) => {
      const s = await NNTP.open("127.0.0.1", port, { timeout: 20 });
      const lines = ["From: a@b\r\n", "\n", ".dot", "end\r\n"].map((l) => Buffer.from(l));
      const r = [await s.post(lines).catch(asError), await s.post(Buffer.from("x")).catch(asError)];
      s.close();
      return r;
    },
    py: `s = nntplib.NNTP("127.0.0.1", port, timeout=20)
result = []
for data in ([b"From: a@b\\r\\n", b"\\n", b".dot", b"end\\r\\n"], b"x"):
    try:
        result.append(s.post(data))
    except nntplib.NNTPError as e:
        result.append({"error": [type(e).__name__, e.response]})
s.sock.close()`,
  },
  {
    name: "newgroups() and newnews() send a two-digit year to a server without VERSION 2",
    steps: [
      { send: "200 ready\r\n" },
      { expect: "CAPABILITIES\r\n" },
      { send: "500 What?\r\n" },
      { expect: "NEWGROUPS 991231 235958\r\n" },
      { send: "231 list follows\r\nalt.new 0000000005 0000000001 y\r\n.\r\n" },
      { expect: "NEWNEWS alt.* 991231 235958\r\n" },
      { send: "230 list follows\r\n<a@b>\r\n<c@d>\r\n.\r\n" },
      { expect: "QUIT\r\n" },
      { send: "205 bye\r\n" },
    ],
    netkit: async (port) => {
      const s = await NNTP.open("127.0.0.1", port, { timeout: 20 });
      const when = new Date("1999-12-31T23:59:58Z");
      const [r1, groups] = await s.newgroups(when);
      return [r1, groups.map((g) => [...g]), await s.newnews("alt.*", when), s.nntpVersion, await s.quit()];
    },
    py: `s = nntplib.NNTP("127.0.0.1", port, timeout=20)
when = datetime.datetime(1999, 12, 31, 23, 59, 58)
r1, groups = s.newgroups(when)
result = [r1, [list(g) for g in groups], list(s.newnews("alt.*", when)), s.nntp_version, s.quit()]`,
  },
  {
    name: "over() sends XOVER when OVER is not offered, and the default format when LIST OVERVIEW.FMT is refused",
    steps: [
      { send: "200 ready\r\n" },
      { expect: "CAPABILITIES\r\n" },
      { send: CAPS("VERSION 2", "READER") },
      { expect: "XOVER 5-\r\n" },
      { send: "224 follows\r\n5\tSubj\tme\tdate\t<id>\t<r>\t123\t4\tXref: a:5\r\n.\r\n" },
      { expect: "LIST OVERVIEW.FMT\r\n" },
      { send: "503 Not supported\r\n" },
      { expect: "XOVER 5-6\r\n" },
      { send: "224 follows\r\n6\ts\tf\td\t<m>\t\t1\t1\r\n.\r\n" },
      { expect: "QUIT\r\n" },
      { send: "205 bye\r\n" },
    ],
    netkit: async (port) => {
      const s = await NNTP.open("127.0.0.1", port, { timeout: 20 });
      const show = ([r, o]: [string, [number, Map<string, string | null>][]]) => [
        r,
        o.map(([n, f]) => [n, Object.fromEntries(f)]),
      ];
      return [show(await s.over([5, null])), show(await s.xover(5, 6)), await s.quit()];
    },
    py: `s = nntplib.NNTP("127.0.0.1", port, timeout=20)
show = lambda r: [r[0], [[n, f] for n, f in r[1]]]
result = [show(s.over((5, None))), show(s.xover(5, 6)), s.quit()]`,
  },
  {
    name: "stat() without an argument, group() with a short reply, an unexpected reply is NNTPReplyError",
    steps: [
      { send: "200 ready\r\n" },
      { expect: "CAPABILITIES\r\n" },
      { send: CAPS("VERSION 2", "READER") },
      { expect: "STAT\r\n" },
      { send: "223 7 <x@y> status\r\n" },
      { expect: "GROUP Misc.Test\r\n" },
      { send: "211 3 1\r\n" },
      { expect: "GROUP alt.other\r\n" },
      { send: "200 huh\r\n" },
      { expect: "QUIT\r\n" },
      { send: "205 bye\r\n" },
    ],
    netkit: async (port) => {
      const s = await NNTP.open("127.0.0.1", port, { timeout: 20 });
      return [
        await s.stat(),
        await s.group("Misc.Test"),
        await s.group("alt.other").catch(asError),
        await s.quit(),
      ];
    },
    py: `s = nntplib.NNTP("127.0.0.1", port, timeout=20)
r = [s.stat(), s.group("Misc.Test")]
try:
    s.group("alt.other")
except nntplib.NNTPError as e:
    r.append({"error": [type(e).__name__, e.response]})
r.append(s.quit())
result = r`,
  },
];

describe("transcripts (netkit and python3 against the same script)", () => {
  for (const c of CASES) {
    test(`NNTP ${c.name}`, async () => {
      const [mine, mineSent] = await run(c.steps, c.netkit);
      const [theirs, theirSent] = await run(c.steps, (port) => python(PY_RUN, { port, code: c.py }));
      assert.equal(mineSent, theirSent, "the same bytes on the wire");
      assert.deepEqual(
        JSON.parse(JSON.stringify(mine)),
        theirs,
        `python: ${JSON.stringify(theirs)}\nnetkit: ${JSON.stringify(mine)}`,
      );
    });
  }
});

describe("transcripts (netkit only)", () => {
  test("NNTP [Symbol.asyncDispose]() sends QUIT and closes; a server already gone is fine", async () => {
    const [, sent] = await run(
      [
        { send: "200 ready\r\n" },
        { expect: "CAPABILITIES\r\n" },
        { send: "500 What?\r\n" },
        { expect: "QUIT\r\n" },
        { send: "205 bye\r\n" },
      ],
      async (port) => {
        await using s = await NNTP.open("127.0.0.1", port, { timeout: 20 });
        assert.equal(s.getwelcome(), "200 ready");
      },
    );
    assert.equal(sent, "CAPABILITIES\r\nQUIT\r\n");
    await run(
      [{ send: "200 ready\r\n" }, { expect: "CAPABILITIES\r\n" }, { send: "500 What?\r\n" }, { close: true }],
      async (port) => {
        await using s = await NNTP.open("127.0.0.1", port, { timeout: 20 });
        assert.equal(s.nntpVersion, 1);
      },
    );
  });

  test("NNTP.login() refuses a second login, and starttls() after it (RFC 4642 2.2.2)", async () => {
    await run(
      [
        { send: "200 ready\r\n" },
        { expect: "CAPABILITIES\r\n" },
        { send: "500 What?\r\n" },
        { expect: "authinfo user joe\r\n" },
        { send: "281 Ok\r\n" },
        { expect: "CAPABILITIES\r\n" },
        { send: "500 What?\r\n" },
      ],
      async (port) => {
        const s = await NNTP.open("127.0.0.1", port, { timeout: 20 });
        await s.login("joe", null, false);
        assert.equal(s.authenticated, true);
        await assert.rejects(
          s.login("joe"),
          (e: unknown) => e instanceof ValueError && e.message === "Already logged in.",
        );
        await assert.rejects(s.starttls(), /TLS cannot be started after authentication/);
        s.close();
      },
    );
  });

  test("NNTP.newgroups() and newnews() refuse what is not a valid Date before sending", async () => {
    const [, sent] = await run(
      [{ send: "200 ready\r\n" }, { expect: "CAPABILITIES\r\n" }, { send: "500 What?\r\n" }],
      async (port) => {
        const s = await NNTP.open("127.0.0.1", port, { timeout: 20 });
        await assert.rejects(s.newgroups("20200101" as unknown as Date), { code: "ERR_INVALID_ARG_TYPE" });
        await assert.rejects(s.newnews("*", new Date(Number.NaN)), { code: "ERR_VALUE" });
        s.close();
      },
    );
    assert.equal(sent, "CAPABILITIES\r\n");
  });

  test("NNTP.login() without a password when one is asked for is NNTPReplyError", async () => {
    await run(
      [
        { send: "200 ready\r\n" },
        { expect: "CAPABILITIES\r\n" },
        { send: "500 What?\r\n" },
        { expect: "authinfo user joe\r\n" },
        { send: "381 Password required\r\n" },
      ],
      async (port) => {
        const s = await NNTP.open("127.0.0.1", port, { timeout: 20 });
        await assert.rejects(
          s.login("joe"),
          (e: unknown) => e instanceof NNTPReplyError && e.response === "381 Password required",
        );
        s.close();
      },
    );
  });

  test("NNTP.starttls() refused by the server is NNTPPermanentError and the connection stays plain", async () => {
    await run(
      [
        { send: "200 ready\r\n" },
        { expect: "CAPABILITIES\r\n" },
        { send: CAPS("VERSION 2") },
        { expect: "STARTTLS\r\n" },
        { send: "580 Can not initiate TLS negotiation\r\n" },
        { expect: "DATE\r\n" },
        { send: "111 20261207000000\r\n" },
      ],
      async (port) => {
        const s = await NNTP.open("127.0.0.1", port, { timeout: 20 });
        await assert.rejects(s.starttls(), (e: unknown) => e instanceof NNTPPermanentError);
        assert.equal(s.tlsOn, false);
        assert.match((await s.date())[0], /^111 /);
        s.close();
      },
    );
  });
});
