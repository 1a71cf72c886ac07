/**
 * examples/email_headers.ts: what it reads from the message matches
 * python3's header objects, its folded headers are byte-equal to
 * python3's, and it runs as a program.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { test } from "node:test";
import { describeHeaders, foldForSmtp, RAW } from "../../examples/email_headers.js";
import { python } from "../_support/python.js";

test("email_headers example: describeHeaders() reads what python3's policy.default reads", async () => {
  const lines = describeHeaders(RAW);
  assert.deepEqual(lines, [
    "From: Jörg Müller <joerg@example.de>",
    "To: Doe, Jane <jane@example.com>",
    "To: group Team: - <bob@example.com>, - <eve@example.com>",
    "Date: 2026-12-07T20:56:31.000Z (offset 3600s)",
    "Subject: Grüße from the team",
    'Content-Type: text/plain {"charset":"utf-8","name":"€-rates.txt"}',
  ]);
  const py = await python<unknown>(
    `import sys, json, base64, email
from email import policy
m = email.message_from_bytes(base64.b64decode(json.load(sys.stdin)), policy=policy.default)
print(json.dumps([str(m['from']), [[g.display_name, [a.addr_spec for a in g.addresses]] for g in m['to'].groups],
    m['date'].datetime.isoformat(), str(m['subject']), m['content-type'].content_type, dict(m['content-type'].params)]))`,
    RAW.toString("base64"),
  );
  assert.deepEqual(py, [
    "Jörg Müller <joerg@example.de>",
    [
      [null, ["jane@example.com"]],
      ["Team", ["bob@example.com", "eve@example.com"]],
    ],
    "2026-12-07T21:56:31+01:00",
    "Grüße from the team",
    "text/plain",
    { charset: "utf-8", name: "€-rates.txt" },
  ]);
});

test("email_headers example: foldForSmtp() writes the bytes python3's policy.SMTP writes", async () => {
  const py = await python<string>(`import json
from email import policy
from email.headerregistry import Address, Group
to = policy.SMTP.header_factory('To', [Address('Jörg Müller', 'joerg', 'example.de'), Group('Team', [Address(addr_spec='bob@example.com')])])
subject = policy.SMTP.header_factory('Subject', 'Grüße aus Köln: the quarterly report is attached, please read it')
print(json.dumps(policy.SMTP.fold('To', to) + policy.SMTP.fold('Subject', subject)))`);
  assert.equal(foldForSmtp(), py);
});

test("email_headers example runs as a program", () => {
  const run = spawnSync(
    process.execPath,
    ["--import", "tsx", join(import.meta.dirname, "../../examples/email_headers.ts")],
    { encoding: "utf8", timeout: 60_000 },
  );
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /Subject: =\?utf-8\?b\?R3LDvMOfZSBhdXMgS8O2bG46\?= the quarterly report is\r\n/);
});
