/**
 * examples/email_message.ts: the message it builds parses in python3 to the
 * same parts, and it runs as a program.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { test } from "node:test";
import { buildMessage, DOT_PNG, describe } from "../../examples/email_message.js";
import { python } from "../_support/python.js";

test("email_message example: buildMessage() writes a message python3 parses to the same parts describe() lists", async () => {
  const bytes = buildMessage();
  const lines = describe(bytes);
  assert.deepEqual(lines.slice(1), [
    "multipart/mixed",
    "multipart/alternative",
    "text/plain 38 bytes",
    "text/html 62 bytes",
    `image/png (dot.png) ${DOT_PNG.length} bytes`,
  ]);
  const py = await python<string[]>(
    `import sys, json, base64, email
m = email.message_from_bytes(base64.b64decode(json.load(sys.stdin)))
out = []
for p in m.walk():
    size = '' if p.is_multipart() else ' %d bytes' % len(p.get_payload(decode=True))
    name = p.get_filename()
    out.append(p.get_content_type() + (' (%s)' % name if name else '') + size)
print(json.dumps(out))`,
    bytes.toString("base64"),
  );
  assert.deepEqual(py, lines.slice(1));
});

test("email_message example runs as a program", () => {
  const run = spawnSync(
    process.execPath,
    ["--import", "tsx", join(import.meta.dirname, "../../examples/email_message.ts")],
    {
      encoding: "utf8",
      timeout: 60_000,
    },
  );
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /image\/png \(dot\.png\) 70 bytes/);
});
