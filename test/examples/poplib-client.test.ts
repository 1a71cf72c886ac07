/**
 * examples/poplib_client.ts against Dovecot (test/_support/dovecot.ts):
 * it upgrades with STLS (trusting the test CA), logs in, and lists each
 * message's size and Subject, leaving the mailbox as it was.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { listMailbox } from "../../examples/poplib_client.js";
import { HAS_DOVECOT, startDovecot } from "../_support/dovecot.js";
import { peerSkip } from "../_support/peers.js";

test("examples/poplib_client.ts lists a Dovecot mailbox over STLS", {
  skip: peerSkip("dovecot", HAS_DOVECOT),
}, async () => {
  await using dc = await startDovecot();
  dc.deliver("alice", "Subject: first\r\n\r\nhello\r\n");
  dc.deliver("alice", "From: x@example.org\r\nsubject: second one\r\n\r\n.dot\r\n");
  const options = {
    host: dc.host,
    port: dc.ports.pop3,
    user: "alice",
    password: dc.password("alice"),
    cafile: dc.caFile,
  };
  const lines = await listMailbox(options);
  assert.match(lines[0]!, /^Greeting: \+OK /);
  assert.deepEqual(lines.slice(1), [
    "STLS: the rest of the session is encrypted",
    "2 messages, 75 octets",
    "1: 25 octets, first",
    "2: 50 octets, second one",
  ]);
  assert.deepEqual(
    (await listMailbox(options)).slice(2, 3),
    ["2 messages, 75 octets"],
    "nothing was deleted",
  );
});
