/**
 * netkit/smtplib against servers that misbehave: a connection dropped after
 * MAIL, garbage instead of a reply, a stall in the middle of a reply, a
 * 1 MB reply line, a reply that never ends. Each gives a typed error (or
 * Python's code -1 reply), and a dropped connection is closed on our side.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ValueError } from "../../src/errors/index.js";
import {
  SMTP,
  SMTPConnectError,
  SMTPResponseException,
  SMTPSenderRefused,
  SMTPServerDisconnected,
  SMTPTimeoutError,
} from "../../src/smtplib/index.js";
import { python } from "../_support/python.js";
import { type Step, scriptedPeer } from "./_peer.js";

const OPTS = { localHostname: "me", timeout: 20 };

/** Connects to a peer playing `steps` and resolves with what `client` throws (or returns). */
async function outcome(steps: Step[], client: (port: number) => Promise<unknown>): Promise<unknown> {
  const peer = await scriptedPeer(steps);
  try {
    return await client(peer.port).catch((e: unknown) => e);
  } finally {
    peer.server.close();
    await peer.done;
  }
}

describe("faults", () => {
  test("sendmail() throws SMTPServerDisconnected when the server drops the connection after MAIL", async () => {
    let client: SMTP | undefined;
    const err = await outcome(
      [
        { send: "220 mx\r\n" },
        { expect: "ehlo me\r\n" },
        { send: "250 mx\r\n" },
        { expect: "mail FROM:<a@x>\r\n" },
        { close: true },
      ],
      async (port) => {
        client = await SMTP.open("127.0.0.1", port, OPTS);
        return client.sendmail("a@x", "b@x", "hello");
      },
    );
    assert.ok(err instanceof SMTPServerDisconnected, String(err));
    assert.equal(err.code, "ERR_SMTP_SERVER_DISCONNECTED");
    assert.equal(err.message, "Connection unexpectedly closed");
    assert.equal(client?.sock, null, "the connection is closed");
    const again = await client!.noop().catch((e: unknown) => e);
    assert.ok(again instanceof SMTPServerDisconnected);
    assert.equal(again.message, "please run connect() first");
  });

  test("SMTP.open() reads a garbage greeting as python3 does: code -1, SMTPConnectError", async () => {
    const err = await outcome([{ send: "hello there\r\n" }], (port) => SMTP.open("127.0.0.1", port, OPTS));
    assert.ok(err instanceof SMTPConnectError, String(err));
    const py = await pythonGreeting("hello there\r\n");
    assert.deepEqual([err.smtpCode, err.smtpError.toString("latin1")], py);
  });

  test("sendmail() reports a garbage MAIL reply as SMTPSenderRefused with code -1", async () => {
    const err = await outcome(
      [
        { send: "220 mx\r\n" },
        { expect: "ehlo me\r\n" },
        { send: "250 mx\r\n" },
        { expect: "mail FROM:<a@x>\r\n" },
        { send: "\x00\xff garbage\r\n" },
        { expect: "rset\r\n" },
        { send: "250 ok\r\n" },
      ],
      async (port) => {
        const smtp = await SMTP.open("127.0.0.1", port, OPTS);
        try {
          return await smtp.sendmail("a@x", "b@x", "hello");
        } finally {
          smtp.close();
        }
      },
    );
    assert.ok(err instanceof SMTPSenderRefused, String(err));
    assert.equal(err.smtpCode, -1);
  });

  test("getreply() throws SMTPTimeoutError (an SMTPServerDisconnected) when the server stalls mid-reply", async () => {
    let client: SMTP | undefined;
    const started = Date.now();
    const err = await outcome(
      [
        { send: "220 mx\r\n" },
        { expect: "noop\r\n" },
        { send: "250-first line\r\n250 half a li" },
        { stall: true },
      ],
      async (port) => {
        client = await SMTP.open("127.0.0.1", port, { ...OPTS, timeout: 0.5 });
        return client.noop();
      },
    );
    assert.ok(err instanceof SMTPTimeoutError, String(err));
    assert.ok(err instanceof SMTPServerDisconnected);
    assert.equal(err.code, "ERR_SMTP_TIMEOUT");
    assert.equal(err.message, "Connection unexpectedly closed: timed out");
    assert.equal((err.cause as { code?: string }).code, "ETIMEDOUT");
    assert.ok(Date.now() - started >= 400, "waited about the timeout");
    assert.equal(client?.sock, null);
  });

  test("SMTP.open() times out on a server that never greets", async () => {
    const err = await outcome([{ stall: true }], (port) =>
      SMTP.open("127.0.0.1", port, { ...OPTS, timeout: 0.3 }),
    );
    assert.ok(err instanceof SMTPTimeoutError, String(err));
  });

  test("getreply() throws SMTPResponseException(500, 'Line too long.') for a 1 MB reply line, as python3", async () => {
    let client: SMTP | undefined;
    const err = await outcome(
      [{ send: "220 mx\r\n" }, { expect: "noop\r\n" }, { send: `250 ${"x".repeat(1 << 20)}\r\n` }],
      async (port) => {
        client = await SMTP.open("127.0.0.1", port, OPTS);
        return client.noop();
      },
    );
    assert.ok(err instanceof SMTPResponseException, String(err));
    assert.equal(err.code, "ERR_SMTP_RESPONSE");
    assert.equal(err.smtpCode, 500);
    assert.equal(err.smtpError.toString(), "Line too long.");
    assert.equal(err.message, "(500, 'Line too long.')");
    assert.equal(client?.sock, null);
  });

  test("getreply() accepts a line of exactly 8192 bytes and refuses 8193, as python3's _MAXLINE", async () => {
    const ok = `250 ${"y".repeat(8192 - 6)}\r\n`;
    const reply = await outcome([{ send: ok }], async (port) => {
      const s = new SMTP("", 0, OPTS);
      const r = await s.connect("127.0.0.1", port);
      s.close();
      return r;
    });
    assert.deepEqual(reply, [250, Buffer.from("y".repeat(8192 - 6))]);
    const err = await outcome([{ send: `250 ${"y".repeat(8192 - 5)}\r\n` }], (port) =>
      new SMTP("", 0, OPTS).connect("127.0.0.1", port),
    );
    assert.ok(err instanceof SMTPResponseException && err.smtpCode === 500, String(err));
  });

  test("getreply() refuses a reply of more than 1000 lines", async () => {
    const err = await outcome([{ send: `${"220-more\r\n".repeat(1000)}220 last\r\n` }], (port) =>
      new SMTP("", 0, OPTS).connect("127.0.0.1", port),
    );
    assert.ok(err instanceof SMTPResponseException, String(err));
    assert.equal(err.smtpError.toString(), "Too many reply lines.");
  });

  test("getreply() throws SMTPServerDisconnected when the server closes inside a reply line", async () => {
    const err = await outcome(
      [{ send: "220 mx\r\n" }, { expect: "noop\r\n" }, { send: "250 o" }, { close: true }],
      async (port) => (await SMTP.open("127.0.0.1", port, OPTS)).noop(),
    );
    assert.ok(err instanceof SMTPServerDisconnected, String(err));
  });
});

describe("misuse", () => {
  test("noop() before connect() throws SMTPServerDisconnected as python3", async () => {
    const err = await new SMTP().noop().catch((e: unknown) => e);
    assert.ok(err instanceof SMTPServerDisconnected);
    assert.equal(err.message, "please run connect() first");
  });

  test("connect() refuses timeout 0 and a non-numeric port suffix", async () => {
    const zero = await new SMTP("", 0, { timeout: 0 }).connect("127.0.0.1", 25).catch((e: unknown) => e);
    assert.ok(zero instanceof ValueError);
    assert.equal(zero.message, "Non-blocking socket (timeout=0) is not supported");
    const port = await new SMTP().connect("localhost:smtp").catch((e: unknown) => e);
    assert.equal((port as Error).message, "nonnumeric port");
  });

  test("connect() takes the port from a host:port string", async () => {
    const reply = await outcome([{ send: "220 hi\r\n" }], async (port) => {
      const s = new SMTP("", 0, OPTS);
      const r = await s.connect(`127.0.0.1:${port}`);
      s.close();
      return r;
    });
    assert.deepEqual(reply, [220, Buffer.from("hi")]);
  });
});

/** What python3's smtplib.SMTP(...) raises for a server that sends `greeting`: [smtp_code, smtp_error]. */
async function pythonGreeting(greeting: string): Promise<[number, string]> {
  const peer = await scriptedPeer([{ send: greeting }]);
  const out = await python<[number, string]>(
    "import json, sys, smtplib\n" +
      "try:\n" +
      "    smtplib.SMTP('127.0.0.1', json.load(sys.stdin), local_hostname='me', timeout=20)\n" +
      "except smtplib.SMTPConnectError as e:\n" +
      "    print(json.dumps([e.smtp_code, e.smtp_error.decode('latin-1')]))",
    peer.port,
  );
  peer.server.close();
  await peer.done;
  return out;
}
