/**
 * examples/async_chat_server.ts, run as a program: two clients chat through
 * it, one renames itself, one quits, and SIGTERM stops it.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { test } from "node:test";
import { Socket } from "../../src/socket/index.js";

const root = join(import.meta.dirname, "..", "..");

async function client(port: number) {
  const sock = new Socket();
  sock.settimeout(30);
  await sock.connect(["127.0.0.1", port]);
  const rfile = sock.makefile("rb");
  return {
    sock,
    readline: async () => (await rfile.readline()).toString(),
    send: (line: string) => sock.sendall(Buffer.from(`${line}\r\n`)),
  };
}

test("examples/async_chat_server.ts relays lines between two clients until each quits", {
  timeout: 120_000,
}, async () => {
  const server = spawn(
    process.execPath,
    ["--import", "tsx", join(root, "examples/async_chat_server.ts"), "--port", "0"],
    {
      cwd: root,
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  try {
    const lines = createInterface({ input: server.stdout! });
    const [first] = (await once(lines, "line")) as [string];
    const port = Number(/port (\d+)/.exec(first)?.[1]);
    assert.ok(port > 0, first);

    const a = await client(port);
    assert.equal(await a.readline(), "Welcome to TestChat\r\n");
    const b = await client(port);
    assert.equal(await b.readline(), "Welcome to TestChat\r\n");
    const [, aPort] = a.sock.getsockname() as [string, number];

    await a.send("/name alice");
    const renamed = `* 127.0.0.1:${aPort} is now alice\r\n`;
    assert.equal(await a.readline(), renamed);
    assert.equal(await b.readline(), renamed);

    await a.send("hello, b");
    assert.equal(await a.readline(), "alice: hello, b\r\n");
    assert.equal(await b.readline(), "alice: hello, b\r\n");

    await b.send("/quit");
    assert.equal(await b.readline(), "Goodbye\r\n");
    assert.equal(await b.readline(), "", "the server closed b's connection");
    b.sock.close();

    await a.send("anyone?");
    assert.equal(await a.readline(), "alice: anyone?\r\n");
    a.sock.close();

    server.kill("SIGTERM");
    const [code] = (await once(server, "exit")) as [number | null];
    assert.equal(code, 0);
  } finally {
    server.kill();
  }
});
