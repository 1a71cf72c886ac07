import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { AF_INET, SOCK_DGRAM } from "../../src/socket/constants.js";
import { Socket } from "../../src/socket/socket.js";
import { exchange } from "../_support/net.js";
import { hasCommand, peerSkip } from "../_support/peers.js";
import { python } from "../_support/python.js";

const fixture = join(import.meta.dirname, "fixtures", "forking-echo.ts");
const started: ChildProcess[] = [];
after(() => {
  for (const child of started) child.kill("SIGKILL");
});

async function start(
  ...args: string[]
): Promise<{ child: ChildProcess; port: number; output: () => string }> {
  const child = spawn(process.execPath, ["--import", "tsx", fixture, ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  started.push(child);
  let out = "";
  child.stdout!.on("data", (b: Buffer) => {
    out += b.toString();
  });
  child.stderr!.on("data", (b: Buffer) => {
    out += b.toString();
  });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`fixture did not start: ${out}`)), 20_000);
    const check = () => {
      const m = /PORT (\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        child.stdout!.off("data", check);
        resolve(Number(m[1]));
      }
    };
    child.stdout!.on("data", check);
    child.once("exit", (code) => reject(new Error(`fixture exited with ${code}: ${out}`)));
  });
  return { child, port, output: () => out };
}

const ask = (port: number, line: string) => exchange(["127.0.0.1", port], `${line}\n`);

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function stop(child: ChildProcess): Promise<number | null> {
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  child.kill("SIGTERM");
  return exited;
}

describe("ForkingTCPServer", () => {
  test("workers answer many clients, spread over more than one process, and survive a failing handler and a killed worker", async () => {
    const { child, port, output } = await start();
    // Workers boot in their own time: ask until two have answered (bounded).
    const seen = new Set<string>();
    for (let i = 0; i < 50 && seen.size < 2; i++) {
      seen.add((await ask(port, "warm up")).split(" ")[0]!);
      if (seen.size < 2) await new Promise((r) => setTimeout(r, 100));
    }
    const replies = await Promise.all(Array.from({ length: 40 }, (_, i) => ask(port, `hello ${i}`)));
    const pids = new Set<number>();
    for (const [i, reply] of replies.entries()) {
      const [pid, ...rest] = reply.trim().split(" ");
      assert.equal(rest.join(" "), `hello ${i}`);
      pids.add(Number(pid));
    }
    assert.ok(!pids.has(child.pid!), "handlers run in workers, not the primary");
    assert.ok(pids.size > 1, `expected more than one worker, got ${[...pids]}`);

    assert.equal(await ask(port, "boom"), "");
    assert.match(await ask(port, "after boom"), /^\d+ after boom\n$/);

    const victim = [...pids][0]!;
    process.kill(victim, "SIGKILL");
    await new Promise((r) => setTimeout(r, 300));
    const again = await Promise.all(Array.from({ length: 10 }, () => ask(port, "still there")));
    for (const reply of again) assert.match(reply, /^\d+ still there\n$/);

    const workerPids = new Set(again.map((r) => Number(r.split(" ")[0])));
    assert.equal(await stop(child), 0);
    assert.match(output(), /CLOSED/);
    await new Promise((r) => setTimeout(r, 200));
    for (const pid of workerPids) assert.ok(!alive(pid), `worker ${pid} outlived the server`);
  });

  test("python3's socket client is served by a forked worker", {
    skip: peerSkip("python3", hasCommand("python3")),
  }, async () => {
    const { child, port } = await start();
    const reply = await python<string>(
      `import json, socket, sys
port = json.load(sys.stdin)
s = socket.create_connection(("127.0.0.1", port), timeout=10)
s.sendall(b"from python\\n"); s.shutdown(socket.SHUT_WR)
data = b""
while True:
    chunk = s.recv(1024)
    if not chunk: break
    data += chunk
print(json.dumps(data.decode()))`,
      port,
    );
    assert.match(reply, /^\d+ from python\n$/);
    await stop(child);
  });
});

describe("ForkingUDPServer", () => {
  test("datagrams are handled in workers and the replies come back through the primary", async () => {
    const { child, port } = await start("udp");
    const client = new Socket(AF_INET, SOCK_DGRAM);
    client.settimeout(10);
    for (let i = 0; i < 5; i++) {
      await client.sendto(Buffer.from(`d${i}`), ["127.0.0.1", port]);
      const [reply, from] = await client.recvfrom(100);
      assert.match(reply.toString(), new RegExp(`^\\d+ d${i}$`));
      assert.notEqual(Number(reply.toString().split(" ")[0]), child.pid);
      assert.deepEqual(from, ["127.0.0.1", port]);
    }
    client.close();
    assert.equal(await stop(child), 0);
  });
});
