/**
 * netkit's `LMTP` delivering to a real LMTP server: Dovecot's (Debian's
 * dovecot-lmtpd), in the private instance of test/_support/dovecot.ts.
 * After the message Dovecot answers once per accepted recipient (RFC 2033
 * 4.2), and a recipient over its quota is refused there, not at RCPT
 * (Dovecot's `lmtp_rcpt_check_quota` is off by default): the case Python
 * 3.11's LMTP reads wrong. What arrived is read back from the Maildirs.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { LMTP, SMTPRecipientsRefused } from "../../src/smtplib/index.js";
import { type Dovecot, HAS_DOVECOT_LMTP, startDovecot } from "../_support/dovecot.js";
import { peerSkip } from "../_support/peers.js";

const MESSAGE = "From: a@netkit.test\r\nSubject: lmtp\r\n\r\nhello over LMTP\r\n";
/** Bigger than the 1 KiB quota of `tiny`. */
const BIG = `From: a@netkit.test\r\nSubject: big\r\n\r\n${"x".repeat(4000)}\r\n`;

describe("LMTP against Dovecot's LMTP server", { skip: peerSkip("dovecot-lmtpd", HAS_DOVECOT_LMTP) }, () => {
  let dc: Dovecot;
  before(async () => {
    dc = await startDovecot({
      users: [
        { name: "alice", password: "alice-secret" },
        { name: "bob", password: "bob-secret" },
        { name: "tiny", password: "tiny-secret", quota: "1K" },
      ],
    });
  });
  after(() => dc?.stop());

  /** The messages in `user`'s INBOX (new/ and cur/), as text. */
  function inbox(user: string): string[] {
    const box = dc.maildir(user);
    return ["new", "cur"].flatMap((sub) =>
      readdirSync(join(box, sub)).map((f) => readFileSync(join(box, sub, f), "latin1")),
    );
  }

  test("sendmail() delivers to each recipient and returns the unknown one refused at RCPT", async () => {
    await using lmtp = await LMTP.open(dc.host, dc.ports.lmtp, { localHostname: "netkit.test", timeout: 30 });
    const refused = await lmtp.sendmail("a@netkit.test", ["alice", "nobody-here", "bob"], MESSAGE);
    assert.deepEqual([...refused.keys()], ["nobody-here"]);
    assert.equal(refused.get("nobody-here")![0], 550, dc.log());
    for (const user of ["alice", "bob"]) {
      assert.ok(
        inbox(user).some((m) => m.includes("hello over LMTP")),
        `${user}'s INBOX has the message`,
      );
    }
    assert.equal((await lmtp.noop())[0], 250, "the connection is in step after the transaction");
  });

  test("sendmail() reads the reply of each recipient after the message: one over quota is refused, the others get it", async () => {
    await using lmtp = await LMTP.open(dc.host, dc.ports.lmtp, { localHostname: "netkit.test", timeout: 30 });
    const before = inbox("alice").length;
    const refused = await lmtp.sendmail("a@netkit.test", ["tiny", "alice"], BIG);
    assert.deepEqual([...refused.keys()], ["tiny"], dc.log());
    const [code, text] = refused.get("tiny")!;
    assert.ok(code >= 400, `tiny's reply: ${code} ${text}`);
    assert.match(text.toString(), /quota/i);
    assert.equal(inbox("alice").length, before + 1, "alice got the message");
    assert.equal(inbox("tiny").length, 0, "tiny got nothing");
    // Python 3.11 would take tiny's or alice's reply as the answer to this NOOP.
    assert.deepEqual((await lmtp.noop())[0], 250);
  });

  test("sendmail() throws SMTPRecipientsRefused with each reply when no recipient was delivered to", async () => {
    await using lmtp = await LMTP.open(dc.host, dc.ports.lmtp, { localHostname: "netkit.test", timeout: 30 });
    const err = await lmtp.sendmail("a@netkit.test", ["tiny"], BIG).catch((e: unknown) => e);
    assert.ok(err instanceof SMTPRecipientsRefused, String(err));
    assert.deepEqual([...err.recipients.keys()], ["tiny"]);
    assert.equal((await lmtp.noop())[0], 250);
  });
});
