/**
 * examples/email_content.ts: python3 (policy default) finds the same body
 * and attachments in the message it builds, and it runs as a program.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { test } from "node:test";
import { buildReport, REPORT, readReport } from "../../examples/email_content.js";
import { python } from "../_support/python.js";

test("email_content example: python3 reads the same body and attachments from buildReport()'s bytes", async () => {
  const bytes = buildReport();
  const lines = readReport(bytes);
  assert.deepEqual(lines, [
    "body: text/html: <p>Hello team,<br>the report is <b>attached</b>. Grüße!</p>",
    `attachment: report.pdf application/pdf ${REPORT.length} bytes`,
  ]);
  const py = await python<string[]>(
    `import sys, json, base64, email
from email import policy
m = email.message_from_bytes(base64.b64decode(json.load(sys.stdin)), policy=policy.default)
b = m.get_body(('html', 'plain'))
out = ['body: %s: %s' % (b.get_content_type(), b.get_content().strip())]
for a in m.iter_attachments():
    out.append('attachment: %s %s %d bytes' % (a.get_filename(), a.get_content_type(), len(a.get_content())))
print(json.dumps(out))`,
    bytes.toString("base64"),
  );
  assert.deepEqual(py, lines);
});

test("email_content example runs as a program", () => {
  const run = spawnSync(
    process.execPath,
    ["--import", "tsx", join(import.meta.dirname, "../../examples/email_content.ts")],
    { encoding: "utf8", timeout: 60_000 },
  );
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /attachment: report\.pdf application\/pdf \d+ bytes/);
});
