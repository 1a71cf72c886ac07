/**
 * netkit/smtplib's TLS and LMTP paths against scripted peers: STARTTLS
 * (bytes sent after the 220 dropped, verification on by default), SMTP_SSL,
 * and LMTP over a UNIX socket path.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import type { Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { TLSSocket } from "node:tls";
import {
  LMTP,
  SMTP,
  SMTP_SSL,
  SMTPNotSupportedError,
  SMTPRecipientsRefused,
  SMTPServerDisconnected,
} from "../../src/smtplib/index.js";
import { createDefaultContext, SSLCertVerificationError } from "../../src/ssl.js";
import { peerSkip } from "../_support/peers.js";
import { HAS_OPENSSL, makePKI } from "../_support/tls.js";
import { type PeerResult, type Step, scriptedPeer } from "./_peer.js";

const OPTS = { localHostname: "me", timeout: 20 };
const skip = peerSkip("openssl", HAS_OPENSSL);

/** The server side of a TLS handshake on `sock`, with the test CA's server certificate. */
function serverTLS(sock: Socket): Promise<Socket> {
  const pki = makePKI();
  return new Promise((resolve) => {
    const t = new TLSSocket(sock, { isServer: true, cert: pki.server.cert, key: pki.server.key });
    t.once("secure", () => resolve(t));
    t.once("error", () => resolve(t));
    t.once("close", () => resolve(t));
    sock.once("close", () => resolve(t));
  });
}

async function run(steps: Step[], client: (port: number) => Promise<void>): Promise<PeerResult> {
  const peer = await scriptedPeer(steps);
  try {
    await client(peer.port);
  } finally {
    peer.server.close();
  }
  const result = await peer.done;
  assert.deepEqual(result.errors, []);
  return result;
}

describe("STARTTLS", { skip }, () => {
  test("starttls() drops what the server sent after its 220, and forgets the features", async () => {
    const ctx = createDefaultContext(undefined, { cafile: makePKI().caFile });
    const result = await run(
      [
        { send: "220 mx\r\n" },
        { expect: "ehlo me\r\n" },
        { send: "250-mx\r\n250 STARTTLS\r\n" },
        { expect: "STARTTLS\r\n" },
        // A man in the middle's plaintext, in the same write as the 220.
        { send: "220 go ahead\r\n250-injected\r\n250 AUTH PLAIN\r\n" },
        { tls: serverTLS },
        { expect: "ehlo me\r\n" },
        { send: "250-mx over TLS\r\n250 SIZE 1000\r\n" },
        { expect: "noop\r\n" },
        { send: "250 ok\r\n" },
      ],
      async (port) => {
        const smtp = await SMTP.open("127.0.0.1", port, OPTS);
        assert.deepEqual(await smtp.starttls({ context: ctx }), [220, Buffer.from("go ahead")]);
        assert.equal(smtp.doesEsmtp, false);
        assert.equal(smtp.esmtpFeatures.size, 0);
        assert.deepEqual(await smtp.ehlo(), [250, Buffer.from("mx over TLS\nSIZE 1000")]);
        assert.equal(smtp.hasExtn("auth"), false, "the injected reply was not read");
        assert.deepEqual(await smtp.noop(), [250, Buffer.from("ok")]);
        smtp.close();
      },
    );
    assert.equal(result.received.toString("latin1"), "ehlo me\r\nSTARTTLS\r\nehlo me\r\nnoop\r\n");
  });

  test("starttls() verifies the certificate by default, and closes when it does not verify", async () => {
    await run(
      [
        { send: "220 mx\r\n" },
        { expect: "ehlo me\r\n" },
        { send: "250-mx\r\n250 STARTTLS\r\n" },
        { expect: "STARTTLS\r\n" },
        { send: "220 go ahead\r\n" },
        { tls: serverTLS },
      ],
      async (port) => {
        const smtp = await SMTP.open("127.0.0.1", port, OPTS);
        const err = await smtp.starttls().catch((e: unknown) => e);
        assert.ok(err instanceof SSLCertVerificationError, String(err));
        assert.equal(smtp.sock, null);
      },
    );
  });

  test("starttls() throws SMTPNotSupportedError when the server does not offer it", async () => {
    await run([{ send: "220 mx\r\n" }, { expect: "ehlo me\r\n" }, { send: "250 mx\r\n" }], async (port) => {
      const smtp = await SMTP.open("127.0.0.1", port, OPTS);
      const err = await smtp.starttls().catch((e: unknown) => e);
      assert.ok(err instanceof SMTPNotSupportedError);
      assert.equal(err.message, "STARTTLS extension not supported by server.");
      smtp.close();
    });
  });

  test("SMTP_SSL talks TLS from the first byte and checks the host name", async () => {
    const ctx = createDefaultContext(undefined, { cafile: makePKI().caFile });
    const result = await run(
      [{ tls: serverTLS }, { send: "220 mx\r\n" }, { expect: "noop\r\n" }, { send: "250 ok\r\n" }],
      async (port) => {
        const smtp = await SMTP_SSL.open("localhost", port, { ...OPTS, context: ctx });
        assert.deepEqual(await smtp.noop(), [250, Buffer.from("ok")]);
        smtp.close();
      },
    );
    assert.equal(result.received.toString("latin1"), "noop\r\n");
    await run([{ tls: serverTLS }], async (port) => {
      const err = await SMTP_SSL.open("127.0.0.1", port, OPTS).catch((e: unknown) => e);
      assert.ok(err instanceof SSLCertVerificationError, "the default context trusts no test CA");
    });
  });
});

describe("LMTP", () => {
  const dir = mkdtempSync(join(tmpdir(), "netkit-lmtp-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test("LMTP connects to a UNIX socket path and greets with LHLO", async () => {
    const path = join(dir, "lmtp.sock");
    const peer = await scriptedPeer(
      [
        { send: "220 lmtp ready\r\n" },
        { expect: "lhlo me\r\n" },
        { send: "250-lmtp\r\n250 PIPELINING\r\n" },
        { expect: "mail FROM:<a@x>\r\nrcpt TO:<b@x>\r\ndata\r\n" },
        { send: "250 ok\r\n250 ok\r\n354 go\r\n" },
        { expect: "hi\r\n.\r\n" },
        { send: "250 2.0.0 <b@x> delivered\r\n" },
      ],
      path,
    );
    const lmtp = await LMTP.open(path, undefined, OPTS);
    assert.deepEqual(await lmtp.sendmail("a@x", "b@x", "hi"), new Map());
    lmtp.close();
    const result = await peer.done;
    assert.deepEqual(result.errors, []);
  });

  /** An LMTP session over TCP up to the message; `pipelining` decides how the envelope goes. */
  function envelope(pipelining: boolean, rcpts: string[], rcptReplies: string[]): Step[] {
    const hello: Step[] = [
      { send: "220 lmtp ready\r\n" },
      { expect: "lhlo me\r\n" },
      { send: pipelining ? "250-lmtp\r\n250 PIPELINING\r\n" : "250 lmtp\r\n" },
    ];
    const rcptLines = rcpts.map((r) => `rcpt TO:<${r}>\r\n`);
    if (pipelining) {
      return [
        ...hello,
        { expect: `mail FROM:<a@x>\r\n${rcptLines.join("")}data\r\n` },
        { send: `250 ok\r\n${rcptReplies.join("")}354 go\r\n` },
      ];
    }
    return [
      ...hello,
      { expect: "mail FROM:<a@x>\r\n" },
      { send: "250 ok\r\n" },
      ...rcptLines.flatMap((line, i): Step[] => [{ expect: line }, { send: rcptReplies[i]! }]),
      { expect: "data\r\n" },
      { send: "354 go\r\n" },
    ];
  }

  for (const pipelining of [true, false]) {
    const how = pipelining ? "pipelined" : "one command at a time";
    test(`LMTP sendmail() reads a reply per accepted recipient and returns those not delivered to (${how})`, async () => {
      const peer = await scriptedPeer([
        ...envelope(pipelining, ["b@x", "c@x", "d@x"], ["250 ok\r\n", "550 no such user\r\n", "250 ok\r\n"]),
        { expect: "hi\r\n.\r\n" },
        // One reply per accepted recipient, in RCPT order: b@x, then d@x.
        { send: "250 2.0.0 <b@x> delivered\r\n452 4.2.2 <d@x> mailbox full\r\n" },
        { expect: "noop\r\n" },
        { send: "250 2.0.0 still in step\r\n" },
      ]);
      const lmtp = await LMTP.open("127.0.0.1", peer.port, OPTS);
      const refused = await lmtp.sendmail("a@x", ["b@x", "c@x", "d@x"], "hi");
      assert.deepEqual(
        refused,
        new Map([
          ["c@x", [550, Buffer.from("no such user")]],
          ["d@x", [452, Buffer.from("4.2.2 <d@x> mailbox full")]],
        ]),
      );
      assert.deepEqual(await lmtp.noop(), [250, Buffer.from("2.0.0 still in step")]);
      lmtp.close();
      assert.deepEqual((await peer.done).errors, []);
    });
  }

  test("LMTP sendmail() throws SMTPRecipientsRefused when no recipient was delivered to", async () => {
    const peer = await scriptedPeer([
      ...envelope(true, ["b@x", "c@x"], ["250 ok\r\n", "250 ok\r\n"]),
      { expect: "hi\r\n.\r\n" },
      { send: "452 4.2.2 <b@x> full\r\n552 5.2.2 <c@x> too big\r\n" },
      { expect: "noop\r\n" },
      { send: "250 ok\r\n" },
    ]);
    const lmtp = await LMTP.open("127.0.0.1", peer.port, OPTS);
    const err = await lmtp.sendmail("a@x", ["b@x", "c@x"], "hi").catch((e: unknown) => e);
    assert.ok(err instanceof SMTPRecipientsRefused, String(err));
    assert.deepEqual(
      err.recipients,
      new Map([
        ["b@x", [452, Buffer.from("4.2.2 <b@x> full")]],
        ["c@x", [552, Buffer.from("5.2.2 <c@x> too big")]],
      ]),
    );
    assert.deepEqual(await lmtp.noop(), [250, Buffer.from("ok")], "the connection stays in step");
    lmtp.close();
    assert.deepEqual((await peer.done).errors, []);
  });

  test("LMTP sendmail(): a 421 among the replies ends the connection; the recipients after it count as not delivered", async () => {
    const peer = await scriptedPeer([
      ...envelope(true, ["b@x", "c@x", "d@x"], ["250 ok\r\n", "250 ok\r\n", "250 ok\r\n"]),
      { expect: "hi\r\n.\r\n" },
      { send: "250 ok\r\n421 4.3.2 shutting down\r\n" },
    ]);
    const lmtp = await LMTP.open("127.0.0.1", peer.port, OPTS);
    const refused = await lmtp.sendmail("a@x", ["b@x", "c@x", "d@x"], "hi");
    const closing = [421, Buffer.from("4.3.2 shutting down")];
    assert.deepEqual(
      refused,
      new Map([
        ["c@x", closing],
        ["d@x", closing],
      ]),
    );
    await assert.rejects(lmtp.noop(), SMTPServerDisconnected);
    await peer.done;
  });

  test("LMTP connect() to a missing path throws FileNotFoundError", async () => {
    const err = await new LMTP("", undefined, OPTS)
      .connect(join(dir, "missing.sock"))
      .catch((e: unknown) => e);
    assert.equal((err as { code?: string }).code, "ENOENT");
  });
});
