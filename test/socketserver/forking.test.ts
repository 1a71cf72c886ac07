import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { AF_INET, SOCK_DGRAM, SOCK_STREAM } from "../../src/socket/constants.js";
import { Socket } from "../../src/socket/socket.js";
import { exchange } from "../_support/net.js";
import { hasCommand, peerSkip } from "../_support/peers.js";
import { python } from "../_support/python.js";

// Each test runs test/socketserver/fixtures/forking-echo.ts as its own
// process tree (a primary and its workers), as a user's script would run.
const fixture = join(import.meta.dirname, "fixtures", "forking-echo.ts");
const started: ChildProcess[] = [];
after(() => {
  for (const child of started)
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
});

interface Fixture {
  child: ChildProcess;
  port: number;
  /** stdout and stderr so far. */
  output: () => string;
  /** Resolves with the exit code (rejects after `ms`). */
  exit: (ms?: number) => Promise<number | null>;
}

async function start(mode = "tcp", closeTimeout?: number): Promise<Fixture> {
  const args = ["--import", "tsx", fixture, mode];
  if (closeTimeout !== undefined) args.push(String(closeTimeout));
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
  started.push(child);
  let out = "";
  const collect = (b: Buffer) => {
    out += b.toString();
  };
  child.stdout!.on("data", collect);
  child.stderr!.on("data", collect);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`fixture did not start: ${out}`)), 20_000);
    const check = () => {
      const m = /PORT (\d+)/.exec(out);
      if (!m) return;
      clearTimeout(timer);
      child.stdout!.off("data", check);
      resolve(Number(m[1]));
    };
    child.stdout!.on("data", check);
    void exited.then((code) => reject(new Error(`fixture exited with ${code}: ${out}`)));
  });
  const exit = (ms = 15_000) =>
    Promise.race([
      exited,
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error(`fixture did not exit within ${ms} ms: ${out}`)), ms).unref(),
      ),
    ]);
  return { child, port, output: () => out, exit };
}

const ask = (port: number, line: string) => exchange(["127.0.0.1", port], `${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pidOf = (reply: string) => Number(reply.split(" ")[0]);

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Asserts every pid is gone, allowing the OS a moment to reap them. */
async function assertGone(pids: Iterable<number>): Promise<void> {
  const list = [...pids];
  for (let i = 0; i < 40 && list.some(alive); i++) await sleep(50);
  for (const pid of list) assert.ok(!alive(pid), `worker ${pid} outlived the server`);
}

/** Waits (bounded) until the fixture's output matches `pattern`. */
async function waitOutput(output: () => string, pattern: RegExp): Promise<void> {
  for (let i = 0; i < 100 && !pattern.test(output()); i++) await sleep(50);
  assert.match(output(), pattern);
}

/** Asks until `count` different workers have answered (they boot in their own time). */
async function warmUp(port: number, count: number): Promise<Set<number>> {
  const seen = new Set<number>();
  for (let i = 0; i < 100 && seen.size < count; i++) {
    seen.add(pidOf(await ask(port, "warm up")));
    if (seen.size < count) await sleep(50);
  }
  assert.equal(seen.size, count, `expected ${count} workers to answer, got ${[...seen]}`);
  return seen;
}

/** Connects, sends `line` and resolves with the first line of the reply; the socket stays open. */
async function firstLine(port: number, line: string): Promise<[Socket, string]> {
  const sock = new Socket(AF_INET, SOCK_STREAM);
  sock.settimeout(10);
  await sock.connect(["127.0.0.1", port]);
  await sock.sendall(Buffer.from(`${line}\n`));
  let text = "";
  for (let i = 0; i < 100 && !text.includes("\n"); i++) {
    const chunk = await sock.recv(1024);
    if (chunk.length === 0) break;
    text += chunk.toString();
  }
  return [sock, text];
}

describe("ForkingTCPServer", () => {
  test("serveForever() spreads 40 concurrent clients over the workers and survives a failing handler and a killed worker", async () => {
    const { child, port, output, exit } = await start();
    const pids = await warmUp(port, 2);
    const replies = await Promise.all(Array.from({ length: 40 }, (_, i) => ask(port, `hello ${i}`)));
    const used = new Set<number>();
    for (const [i, reply] of replies.entries()) {
      assert.match(reply, new RegExp(`^\\d+ hello ${i}\\n$`));
      used.add(pidOf(reply));
    }
    assert.ok(!used.has(child.pid!), "handlers run in workers, not in the primary");
    assert.equal(used.size, 2, `expected both workers to be used, got ${[...used]}`);

    assert.equal(await ask(port, "boom"), "");
    await waitOutput(output, /ERROR handler failed on purpose/);
    assert.match(await ask(port, "after boom"), /^\d+ after boom\n$/);

    const victim = [...pids][0]!;
    process.kill(victim, "SIGKILL");
    await sleep(300);
    // The replacement boots in its own time; ask until a new pid answers.
    let fresh: number | undefined;
    for (let i = 0; i < 100 && fresh === undefined; i++) {
      const pid = pidOf(await ask(port, "who"));
      if (!pids.has(pid)) fresh = pid;
      else await sleep(50);
    }
    assert.ok(fresh !== undefined && fresh !== child.pid, "a replacement worker answers");
    pids.add(fresh);
    const again = await Promise.all(Array.from({ length: 10 }, () => ask(port, "still there")));
    for (const reply of again) {
      assert.match(reply, /^\d+ still there\n$/);
      assert.notEqual(pidOf(reply), victim);
    }

    child.kill("SIGTERM");
    assert.equal(await exit(), 0);
    assert.match(output(), /CHILDREN 2\n/);
    assert.match(output(), /CLOSED 0\n/);
    await assertGone(pids);
  });

  test("serveForever() serves python3's socket client from a worker", {
    skip: peerSkip("python3", hasCommand("python3")),
  }, async () => {
    const { child, port, exit } = await start();
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
    assert.notEqual(pidOf(reply), child.pid);
    child.kill("SIGTERM");
    assert.equal(await exit(), 0);
  });

  test("a worker keeps its side open after the client's SHUT_WR until the reply is written", async () => {
    const { child, port, exit } = await start();
    await warmUp(port, 2);
    const t0 = Date.now();
    // exchange() sends, then SHUT_WR at once; the reply comes 300 ms later.
    assert.match(await ask(port, "sleep 300"), /^\d+ sleep 300\n$/);
    assert.ok(Date.now() - t0 >= 250, "the handler's delay was honoured");
    child.kill("SIGTERM");
    assert.equal(await exit(), 0);
  });

  test("serverClose() lets workers finish the requests they hold", async () => {
    const { child, port, output, exit } = await start();
    const pids = await warmUp(port, 2);
    const t0 = Date.now();
    const slow = ask(port, "sleep 700");
    await sleep(250); // the request is in a worker now
    child.kill("SIGTERM");
    assert.match(await slow, /^\d+ sleep 700\n$/);
    assert.ok(Date.now() - t0 >= 650, "the reply came after the handler's delay");
    assert.equal(await exit(), 0);
    assert.match(output(), /CLOSED/);
    await assertGone(pids);
  });

  test("serverClose() kills a worker still busy after closeTimeout", async () => {
    const { child, port, output, exit } = await start("tcp", 0.5);
    const pids = await warmUp(port, 2);
    const [sock, line] = await firstLine(port, "hang");
    try {
      const hung = pidOf(line);
      assert.ok(pids.has(hung), `the hung request is in a worker: ${line}`);
      const t0 = Date.now();
      child.kill("SIGTERM");
      assert.equal(await exit(), 0);
      assert.ok(Date.now() - t0 < 5000, "serverClose() waited about closeTimeout, not longer");
      assert.match(output(), /1 worker process\(es\) still running after 0\.5 s; killing them/);
      await assertGone(pids);
      // The killed worker's connection is closed, not left hanging.
      assert.equal((await sock.recv(1024)).length, 0);
    } finally {
      sock.close();
    }
  });

  test("shutdown() called in a worker's handler shuts the whole server down", async () => {
    const { port, output, exit } = await start();
    const pids = await warmUp(port, 2);
    assert.match(await ask(port, "quit"), /^\d+ quit\n$/);
    assert.equal(await exit(), 0);
    assert.match(output(), /CLOSED/);
    await assertGone(pids);
  });

  test("handleRequest() in a loop serves in workers, which exit when the primary closes", async () => {
    const { child, port, output, exit } = await start("loop");
    const pids = await warmUp(port, 2);
    const replies = await Promise.all(Array.from({ length: 10 }, (_, i) => ask(port, `loop ${i}`)));
    for (const [i, reply] of replies.entries()) {
      assert.match(reply, new RegExp(`^\\d+ loop ${i}\\n$`));
      assert.notEqual(pidOf(reply), child.pid);
    }
    child.kill("SIGTERM");
    assert.equal(await exit(), 0);
    assert.match(output(), /CLOSED/);
    await assertGone(pids);
  });

  test("processRequest() handles requests in the primary once workers keep dying", async () => {
    const { child, port, output, exit } = await start("crash");
    // maxChildren 1: five replacements in a minute, then the primary gives up. The reply waits for
    // six worker processes to start and fail, which takes far longer than ask()'s 10 s on a busy machine.
    const reply = await exchange(["127.0.0.1", port], "anyone\n", AF_INET, 120);
    assert.equal(reply, `${child.pid} anyone\n`);
    await waitOutput(output, /ERROR Cannot keep worker processes running: 5 replaced within a minute/);
    assert.equal((output().match(/^Error: worker failed to start on purpose/gm) ?? []).length, 6);
    child.kill("SIGTERM");
    assert.equal(await exit(), 0);
  });
});

describe("ForkingUDPServer", () => {
  test("serveForever() handles datagrams in workers and sends their replies from the server's socket", async () => {
    const { child, port, exit } = await start("udp");
    const client = new Socket(AF_INET, SOCK_DGRAM);
    client.settimeout(10);
    try {
      const pids = new Set<number>();
      for (let i = 0; i < 6; i++) {
        await client.sendto(Buffer.from(`d${i}`), ["127.0.0.1", port]);
        const [reply, from] = await client.recvfrom(100);
        assert.match(reply.toString(), new RegExp(`^\\d+ d${i}$`));
        assert.notEqual(pidOf(reply.toString()), child.pid);
        assert.deepEqual(from, ["127.0.0.1", port]);
        pids.add(pidOf(reply.toString()));
      }
      child.kill("SIGTERM");
      assert.equal(await exit(), 0);
      await assertGone(pids);
    } finally {
      client.close();
    }
  });
});
