/**
 * swaks (a real SMTP test client, in Debian) against netkit's smtpd:
 * plain, pipelined, and STARTTLS with AUTH PLAIN and AUTH LOGIN. Installed by
 * scripts/install-peers.sh.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { after, test } from "node:test";
import { promisify } from "node:util";
import { hasCommand, peerSkip } from "../_support/peers.js";
import { HAS_OPENSSL } from "../_support/tls.js";
import { startTLSRecorder, stopAll } from "../smtpd/_server.js";

const run = promisify(execFile);
const skip = peerSkip("swaks", hasCommand("swaks", ["--version"])) || peerSkip("openssl", HAS_OPENSSL);
after(stopAll);

async function swaks(port: number, extra: string[]): Promise<string> {
  const { stdout } = await run(
    "swaks",
    [
      "--server",
      `127.0.0.1:${port}`,
      "--from",
      "a@example.org",
      "--to",
      "b@example.org",
      "--timeout",
      "60",
      ...extra,
    ],
    { timeout: 120_000 },
  );
  return stdout;
}

test("swaks delivers to netkit's smtpd: plain, pipelined, STARTTLS + AUTH PLAIN and LOGIN", {
  skip,
}, async () => {
  const server = await startTLSRecorder("u", "p");
  const port = server.serverAddress[1];
  const plain = await swaks(port, ["--body", "hello\n.dot line"]);
  assert.match(plain, /<- {2}250 OK\n -> QUIT/);
  const piped = await swaks(port, ["--pipeline", "--body", "piped"]);
  assert.match(piped, /<- {2}354 End data/);
  for (const mech of ["PLAIN", "LOGIN"]) {
    const out = await swaks(port, [
      "--tls",
      "--auth",
      mech,
      "--auth-user",
      "u",
      "--auth-password",
      "p",
      "--body",
      mech,
    ]);
    assert.match(out, /Ready to start TLS/);
    assert.match(out, /235 2\.7\.0 Authentication successful/);
  }
  const refused = await swaks(port, [
    "--tls",
    "--auth",
    "PLAIN",
    "--auth-user",
    "u",
    "--auth-password",
    "wrong",
  ]).then(
    () => assert.fail("swaks succeeded with a wrong password"),
    (err: { code?: number; stdout?: string }) => err,
  );
  assert.equal(refused.code, 28); // swaks: authentication failed
  assert.match(String(refused.stdout), /<~\* {1,2}535 5\.7\.8 Error: authentication failed/);
  assert.equal(server.received.length, 4);
  const bodies = server.received.map((m) => m.data.toString());
  assert.ok(bodies[0]?.includes("\n\nhello\n.dot line\n"), bodies[0]);
  assert.ok(bodies[1]?.includes("\n\npiped\n"), bodies[1]);
  assert.ok(bodies[3]?.includes("\n\nLOGIN\n"), bodies[3]);
});
