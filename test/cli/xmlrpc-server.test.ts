/**
 * `netkit xmlrpc.server [port]` (src/cli/xmlrpc_server.ts): Python's demo server —
 * the banner, the demo methods called by python3's xmlrpc.client and netkit's
 * ServerProxy, argument errors, pow() as Python's, and Ctrl-C in a child process.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { test } from "node:test";
import { pathToFileURL } from "node:url";
import { main } from "../../src/cli/main.js";
import { pyPow, serve } from "../../src/cli/xmlrpc_server.js";
import { MultiCall, ServerProxy } from "../../src/xmlrpc/client.js";
import type { SimpleXMLRPCServer } from "../../src/xmlrpc/server.js";
import { hasCommand, peerSkip } from "../_support/peers.js";
import { PYTHON, python } from "../_support/python.js";

interface Demo {
  getData(): string;
  pow(x: number, y: number): number;
}

async function start(): Promise<{ port: number; lines: string[]; stop: () => Promise<void> }> {
  const controller = new AbortController();
  const lines: string[] = [];
  let listening!: (s: SimpleXMLRPCServer) => void;
  const ready = new Promise<SimpleXMLRPCServer>((r) => {
    listening = r;
  });
  const done = serve(["0"], {
    signal: controller.signal,
    host: "127.0.0.1",
    out: { write: (t: string) => lines.push(t) },
    onListening: listening,
  });
  const server = await Promise.race([
    ready,
    done.then(() => Promise.reject(new Error("serve() ended early"))),
  ]);
  server.logRequests = false;
  return {
    port: server.serverAddress[1],
    lines,
    stop: async () => {
      controller.abort();
      await done;
    },
  };
}

test("serve() prints Python's banner and serves the demo methods to netkit's ServerProxy", async () => {
  const srv = await start();
  try {
    assert.deepEqual(srv.lines, [
      `Serving XML-RPC on 127.0.0.1 port ${srv.port}\n`,
      "It is advisable to run this example server within a secure, closed network.\n",
    ]);
    await using proxy = new ServerProxy<Demo>(`http://127.0.0.1:${srv.port}`, { timeout: 5 });
    assert.equal(await proxy.call("pow", 2, 9), 512);
    assert.equal(await proxy.call("add", 1, 2), 3);
    assert.equal(await proxy.call("getData"), "42");
    assert.match(String(await proxy.call("currentTime.getCurrentTime")), /^\d{8}T\d\d:\d\d:\d\d$/);
    const multi = new MultiCall<Demo>(proxy);
    multi.getData();
    multi.pow(2, 10);
    assert.deepEqual([...(await multi())], ["42", 1024]);
  } finally {
    await srv.stop();
  }
});

test("serve() answers python3's xmlrpc.client as python3 -m xmlrpc.server does", {
  skip: peerSkip("python3", hasCommand(PYTHON)),
}, async () => {
  const srv = await start();
  try {
    const got = await python<unknown[]>(
      `
import json, sys, datetime
import xmlrpc.client as xc
p = xc.ServerProxy("http://127.0.0.1:%d" % json.load(sys.stdin))
out = [type(p.currentTime.getCurrentTime()).__name__, p.pow(2, 9), p.pow(3, 4, 5), p.pow(2, -1), p.add(1, 2)]
m = xc.MultiCall(p); m.getData(); m.pow(2, 9); m.add(1, 2)
out.append(list(m()))
try:
    p.pow(2, 100)
except xc.Fault as e:
    out.append(e.faultString)
print(json.dumps(out))
`,
      srv.port,
    );
    assert.deepEqual(got, [
      "DateTime",
      512,
      1,
      0.5,
      3,
      ["42", 512, 3],
      "<class 'OverflowError'>:int exceeds XML-RPC limits",
    ]);
  } finally {
    await srv.stop();
  }
});

test("pyPow() follows Python's pow() for the cases the demo can carry", () => {
  assert.equal(pyPow(2, 9), 512);
  assert.equal(pyPow(-3, 3), -27);
  assert.equal(pyPow(2, -2), 0.25);
  assert.equal(pyPow(2.5, 2), 6.25);
  assert.equal(pyPow(3, 200, 7), 2); // pow(3, 200, 7) == 2
  assert.equal(pyPow(-3, 3, 5), 3); // Python: pow(-3, 3, 5) == 3
  assert.equal(pyPow(3, 3, -5), -3); // Python: pow(3, 3, -5) == -3
  assert.throws(() => pyPow(2, 1_000_000_000), { name: "OverflowError" });
  assert.throws(() => pyPow(2, 3, 0), { name: "ValueError" });
  assert.throws(() => pyPow(2.5, 3, 5), TypeError);
});

test("netkit xmlrpc.server refuses bad arguments with the usage line and exits 2", async () => {
  const usage = "usage: netkit xmlrpc.server [-h] [--version] [port]";
  for (const [argv, message] of [
    [["x"], "argument port: invalid int value: 'x'"],
    [["1", "2"], "unrecognized arguments: 2"],
    [["--nope"], "unrecognized arguments: --nope"],
  ] as const) {
    let stderr = "";
    const code = await main(["xmlrpc.server", ...argv], {
      stdout: { write: () => true },
      stderr: { write: (t: string) => (stderr += t) },
    });
    assert.equal(code, 2);
    assert.equal(stderr, `${usage}\nnetkit xmlrpc.server: error: ${message}\n`);
  }
  let help = "";
  const code = await main(["xmlrpc.server", "-h"], {
    stdout: { write: (t: string) => (help += t) },
    stderr: { write: () => true },
  });
  assert.equal(code, 0);
  assert.ok(help.startsWith(`${usage}\n`));
  assert.match(help, /^ {2}port {8}bind to this port \(default: 8000\)$/m);
});

test("serve() stops on Ctrl-C (SIGINT) with Python's message", async () => {
  const root = resolve(import.meta.dirname, "../..");
  const dir = await mkdtemp(join(tmpdir(), "netkit-xmlrpc-cli-"));
  const main = join(dir, "main.mts");
  await writeFile(
    main,
    `import { serve } from ${JSON.stringify(pathToFileURL(join(root, "src/cli/xmlrpc_server.ts")).href)};\nawait serve(["0"], { host: "127.0.0.1" });\n`,
  );
  const child = spawn(process.execPath, ["--import", "tsx", main], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
  const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
  try {
    await new Promise<void>((r) => {
      child.stdout.on("data", (b: Buffer) => {
        out += b.toString();
        if (out.includes("closed network.")) r();
      });
    });
    child.kill("SIGINT");
    assert.equal(await exited, 0);
    assert.match(
      out,
      /^Serving XML-RPC on 127\.0\.0\.1 port \d+\nIt is advisable to run this example server within a secure, closed network\.\n\nKeyboard interrupt received, exiting\.\n$/,
    );
  } finally {
    clearTimeout(timer);
    child.kill("SIGKILL");
    await rm(dir, { recursive: true, force: true });
  }
});
