/**
 * `netkit telnet` (src/cli/telnet.ts): Python's `python -m telnetlib`, run
 * as a user runs it: on a pseudo-terminal against a scripted Telnet server
 * (its greeting appears, a line typed reaches the server with the option
 * refusal before it, the server's close ends the session), with piped
 * stdin, and with bad arguments.
 */
import assert from "node:assert/strict";
import { createServer, type Server, type Socket } from "node:net";
import { describe, test } from "node:test";
import { peerSkip } from "../_support/peers.js";
import { hasScript, inTerminal, runNetkit, startNetkit } from "./cli-support.js";

const IAC = 255;
const DO = 253;
const WONT = 252;
const ECHO = 1;

/** A Telnet server that greets with IAC DO ECHO and text, answers the first line, and closes. */
async function scriptedServer(): Promise<{ server: Server; port: number; received: Promise<Buffer> }> {
  let resolveReceived!: (b: Buffer) => void;
  const received = new Promise<Buffer>((resolve) => {
    resolveReceived = resolve;
  });
  const server = createServer((sock: Socket) => {
    let got = Buffer.alloc(0);
    sock.on("error", () => {});
    sock.write(
      Buffer.concat([Buffer.from([IAC, DO, ECHO]), Buffer.from("Welcome to the scripted server\r\n")]),
    );
    sock.on("data", (chunk: Buffer) => {
      got = Buffer.concat([got, chunk]);
      const nl = got.indexOf(10);
      if (nl < 0) return;
      const line = got.subarray(3, nl).toString("latin1");
      sock.end(`you said: ${line}\r\n`);
      resolveReceived(got);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, port: (server.address() as { port: number }).port, received };
}

describe("netkit telnet", () => {
  test("netkit telnet HOST PORT shows the server's text on a terminal and sends each typed line", {
    skip: peerSkip("script (util-linux)", hasScript),
  }, async () => {
    const { server, port, received } = await scriptedServer();
    const run = inTerminal(["telnet", "127.0.0.1", String(port)]);
    try {
      await run.waitFor((out) => out.includes("Welcome to the scripted server"), "the greeting");
      run.child.stdin!.write("hello\r"); // Enter, as a terminal sends it
      const got = await received;
      assert.deepEqual(got, Buffer.concat([Buffer.from([IAC, WONT, ECHO]), Buffer.from("hello\n")]));
      await run.waitFor((out) => out.includes("*** Connection closed by remote host ***"), "the close");
      const done = await run.finished;
      assert.equal(done.code, 0, done.stdout);
      assert.match(done.stdout, /you said: hello\r?\r\n/);
    } finally {
      run.kill();
      server.close();
    }
  });

  test("netkit telnet sends piped lines and ends with stdin", async () => {
    const { server, port, received } = await scriptedServer();
    const run = startNetkit(["telnet", "127.0.0.1", String(port)]);
    try {
      await run.waitFor((out) => out.includes("Welcome"), "the greeting");
      run.child.stdin!.end("piped line\n");
      assert.equal((await received).subarray(3).toString(), "piped line\n");
      const done = await run.finished;
      assert.equal(done.code, 0, done.stderr);
    } finally {
      run.kill();
      server.close();
    }
  });

  test("netkit telnet -d prints the negotiation as python3's -d does", async () => {
    const { server, port } = await scriptedServer();
    const run = startNetkit(["telnet", "-d", "127.0.0.1", String(port)]);
    try {
      await run.waitFor((out) => out.includes("IAC DO 1"), "the debug line");
      run.child.stdin!.end("x\n");
      const done = await run.finished;
      assert.match(
        done.stdout,
        new RegExp(`Telnet\\(127\\.0\\.0\\.1,${port}\\): recv b'\\\\xff\\\\xfd\\\\x01Welcome`),
      );
      assert.match(done.stdout, /: send b'x\\n'/);
    } finally {
      run.kill();
      server.close();
    }
  });

  test("netkit telnet fails with status 1 when nothing listens, and 2 for a bad port", async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const port = (probe.address() as { port: number }).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const refused = await runNetkit(["telnet", "127.0.0.1", String(port)]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /^netkit telnet: \[Errno 111\] Connection refused/);
    const bad = await runNetkit(["telnet", "127.0.0.1", "no-such-service"]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /argument PORT: unknown service: 'no-such-service'/);
  });
});
