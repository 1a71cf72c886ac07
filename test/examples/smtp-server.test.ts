/**
 * examples/smtp_server.ts: its `Filer` (an `SMTPServer` that files each
 * message) takes a message from python3's smtplib and files it byte for
 * byte, with CRLF line ends, whatever its charset.
 */
import assert from "node:assert/strict";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { Filer } from "../../examples/smtp_server.js";
import { python } from "../_support/python.js";

test("examples/smtp_server.ts files a message from python3's smtplib as it came, 8-bit bytes and dot lines included", async () => {
  const folder = await mkdtemp(join(tmpdir(), "netkit-filer-"));
  const server = new Filer(["127.0.0.1", 0], null);
  server.folder = folder;
  const logged: string[] = [];
  server.log = (line) => logged.push(line);
  await server.ready;
  const serving = server.serveForever();
  try {
    // Latin-1 bytes that are not UTF-8, and a line starting with a dot (smtplib doubles it).
    const message = "Subject: caf\xe9\r\n\r\nna\xefve\r\n.dot line\r\nlast\r\n";
    await python(
      `import smtplib, sys, json
cfg = json.load(sys.stdin)
with smtplib.SMTP("127.0.0.1", cfg["port"], timeout=30) as s:
    s.sendmail("a@example.test", ["b@example.test"], cfg["message"].encode("latin-1"))
print("null")`,
      { port: server.serverAddress[1], message },
    );
    const files = await readdir(folder);
    assert.equal(files.length, 1, String(files));
    assert.deepEqual(
      await readFile(join(folder, files[0]!)),
      Buffer.from("Subject: caf\xe9\r\n\r\nna\xefve\r\n.dot line\r\nlast\r\n", "latin1"),
    );
    assert.deepEqual(logged, [`a@example.test -> b@example.test: ${join(folder, files[0]!)}`]);
  } finally {
    server.shutdown();
    await serving;
    await server.serverClose();
    await rm(folder, { recursive: true, force: true });
  }
});
