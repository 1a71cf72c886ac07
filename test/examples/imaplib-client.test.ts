/**
 * examples/imaplib_client.ts against a private Dovecot: STARTTLS with the
 * test CA, the INBOX's subjects, and IDLE reporting a message delivered
 * while it waits.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { imapClient } from "../../examples/imaplib_client.js";
import { HAS_DOVECOT, startDovecot } from "../_support/dovecot.js";
import { peerSkip } from "../_support/peers.js";

test("examples/imaplib_client.ts lists the INBOX over STARTTLS and reports new mail from IDLE", {
  skip: peerSkip("dovecot (as root)", HAS_DOVECOT),
}, async () => {
  await using dc = await startDovecot();
  dc.deliver("alice", "Subject: first one\r\n\r\nx\r\n");
  dc.deliver("alice", "Subject: a folded\r\n  subject\r\n\r\nx\r\n");
  const lines = await imapClient(dc.host, dc.ports.imap, {
    user: "alice",
    password: dc.password("alice"),
    cafile: dc.caFile,
    idle: 60,
    print: (line) => {
      if (line.startsWith("Waiting")) dc.deliver("alice", "Subject: arrived while idle\r\n\r\nx\r\n");
    },
  });
  assert.deepEqual(lines, [
    "STARTTLS: the rest of the session is encrypted",
    "INBOX: 2 messages",
    "1: first one",
    "2: a folded subject",
    "Waiting 60 s for new mail...",
    "New mail: 3: arrived while idle",
  ]);
});
