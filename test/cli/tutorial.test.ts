/**
 * The tutorial's programs (src/cli/tutorial/): netkit's simple_server
 * against the tutorial's Python client, the tutorial's Python server against
 * netkit's simple_client, the socketserver versions, and the `netkit`
 * command and the examples that run them.
 */
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { join } from "node:path";
import { test } from "node:test";
import { simpleClient } from "../../src/cli/tutorial/simple_client.js";
import { simpleServer } from "../../src/cli/tutorial/simple_server.js";
import { output, serve } from "../../src/cli/tutorial/socketserver_server.js";
import { Server as ThreadingServer } from "../../src/cli/tutorial/threading_server.js";
import { TCPServer } from "../../src/socketserver/servers.js";
import { hasCommand, peerSkip } from "../_support/peers.js";
import { python, startPython } from "../_support/python.js";

const skip = peerSkip("python3", hasCommand("python3"));
const root = join(import.meta.dirname, "..", "..");

const PY_CLIENT = `
import json, socket, sys
port = json.load(sys.stdin)
s = socket.socket()
s.connect(("127.0.0.1", port))
print(json.dumps(s.recv(1024).decode()))
s.close()
`;

const PY_SERVER = `
import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(5)
print(s.getsockname()[1], flush=True)
c, addr = s.accept()
print("Got connection from", addr, flush=True)
c.send(b"Thank you for connecting")
c.close()
`;

test("simple_server answers the tutorial's Python client and prints Python's line", { skip }, async () => {
  const lines: string[] = [];
  let listening!: (a: [string, number]) => void;
  const ready = new Promise<[string, number]>((r) => (listening = r));
  const server = simpleServer({
    host: "127.0.0.1",
    port: 0,
    count: 1,
    onListening: listening,
    print: (l) => lines.push(l),
  });
  const [, port] = await ready;
  assert.equal(await python<string>(PY_CLIENT, port), "Thank you for connecting");
  await server;
  assert.match(lines[0]!, /^Got connection from \('127\.0\.0\.1', \d+\)$/);
});

test("simple_client reads the tutorial's Python server", { skip }, async () => {
  const { child, firstLine } = await startPython(PY_SERVER);
  try {
    assert.equal(await simpleClient("127.0.0.1", Number(firstLine)), "Thank you for connecting");
  } finally {
    child.kill();
  }
});

test("the socketserver versions (TCPServer, ThreadingMixIn) greet each client", async () => {
  for (const Server of [TCPServer, ThreadingServer]) {
    const seen: string[] = [];
    output.print = (l) => seen.push(l);
    let listening!: (a: [string, number]) => void;
    const ready = new Promise<[string, number]>((r) => (listening = r));
    const serving = serve(Server, "127.0.0.1", 0, { count: 2, onListening: listening });
    const [host, port] = await ready;
    const replies = await Promise.all([simpleClient(host, port), simpleClient(host, port)]);
    await serving;
    assert.deepEqual(replies, ["Thank you for connecting", "Thank you for connecting"]);
    assert.equal(seen.length, 2);
  }
});

test("netkit --help lists the commands; an unknown command exits 2", () => {
  const run = (args: string[]) =>
    spawnSync(process.execPath, ["--import", "tsx", join(root, "src/cli/main.ts"), ...args], {
      encoding: "utf8",
      timeout: 120_000,
    });
  const help = run(["--help"]);
  assert.equal(help.status, 0);
  for (const name of ["simple-server", "simple-client", "echo-server", "forking-server"])
    assert.match(help.stdout, new RegExp(name));
  const unknown = run(["nope"]);
  assert.equal(unknown.status, 2);
  assert.match(
    unknown.stderr,
    /^usage: netkit \[-h\] \[--version\] COMMAND \[ARGS\]\nnetkit: error: argument COMMAND: invalid choice: 'nope' \(choose from /,
  );
  assert.match(run(["simple-server", "--help"]).stdout, /usage: netkit simple-server/);
});

for (const [what, server, client] of [
  [
    "netkit simple-server and simple-client",
    ["src/cli/main.ts", "simple-server"],
    ["src/cli/main.ts", "simple-client"],
  ],
  [
    "examples/simple_server.ts and simple_client.ts",
    ["examples/simple_server.ts"],
    ["examples/simple_client.ts"],
  ],
] as const) {
  test(`${what} talk to each other as separate processes`, async () => {
    const [serverScript, ...serverArgs] = server;
    const [clientScript, ...clientArgs] = client;
    const child = spawn(
      process.execPath,
      ["--import", "tsx", join(root, serverScript), ...serverArgs, "--port", "0", "--count", "1"],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    let err = "";
    let out = "";
    child.stdout.on("data", (b: Buffer) => {
      out += b.toString();
    });
    const exited = new Promise((r) => child.once("exit", r));
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no port: ${err}`)), 60_000);
      child.stderr.on("data", (b: Buffer) => {
        err += b.toString();
        const m = /port (\d+)/.exec(err);
        if (m) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
      });
    });
    const reply = spawnSync(
      process.execPath,
      ["--import", "tsx", join(root, clientScript), ...clientArgs, "--port", String(port)],
      { encoding: "utf8", timeout: 120_000 },
    );
    assert.equal(reply.stdout.trim(), "Thank you for connecting", reply.stderr);
    assert.equal(await exited, 0);
    assert.match(out, /Got connection from \('127\.0\.0\.1', \d+\)/);
  });
}
