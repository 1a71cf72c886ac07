import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { AF_INET, SOCK_DGRAM, SOCK_STREAM } from "../../src/socket/constants.js";
import { Socket } from "../../src/socket/socket.js";
import { exchange } from "../_support/net.js";
import { hasCommand, peerSkip } from "../_support/peers.js";
import { python } from "../_support/python.js";

// Each test runs test/socketserver/fixtures/forking-echo.ts as its own
// process tree (a primary and its workers), as a user's script would run.
// Workers boot (Node and tsx) in their own time, slowly on a busy machine:
// every wait is for an event or a state, bounded by a deadline no busy
// machine reaches (a hang fails with what the fixture printed).
const fixture = join(import.meta.dirname, "fixtures", "forking-echo.ts");
/** Longest wait for anything the fixture does (boot a worker, answer, exit). */
const DEADLINE_MS = 60_000;
const started: ChildProcess[] = [];
/** Where the "freeze" fixture looks for its marker file. */
const scratch = mkdtempSync(join(tmpdir(), "netkit-forking-"));
after(() => {
  for (const child of started)
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  rmSync(scratch, { recursive: true, force: true });
});

interface Fixture {
  child: ChildProcess;
  port: number;
  /** stdout and stderr so far (the workers share the primary's). */
  output: () => string;
  /** Resolves with the match once the output matches `pattern` (rejects after DEADLINE_MS, or if the fixture exits first). */
  waitOutput: (pattern: RegExp) => Promise<RegExpExecArray>;
  /** Resolves with the exit code (rejects after DEADLINE_MS). */
  exit: () => Promise<number | null>;
}

async function start(mode = "tcp", closeTimeout?: number, env: NodeJS.ProcessEnv = {}): Promise<Fixture> {
  const args = ["--import", "tsx", fixture, mode];
  if (closeTimeout !== undefined) args.push(String(closeTimeout));
  const child = spawn(process.execPath, args, {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, ...env },
  });
  started.push(child);
  let out = "";
  const watchers = new Set<() => void>();
  const collect = (b: Buffer) => {
    out += b.toString();
    for (const watch of watchers) watch();
  };
  child.stdout!.on("data", collect);
  child.stderr!.on("data", collect);
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((resolve) =>
    child.once("exit", (code) => {
      exitCode = code;
      for (const watch of watchers) watch();
      resolve(code);
    }),
  );
  const waitOutput = (pattern: RegExp) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        watchers.delete(watch);
      };
      const watch = () => {
        const m = pattern.exec(out);
        if (m) {
          done();
          resolve(m);
        } else if (exitCode !== undefined) {
          done();
          reject(new Error(`fixture exited (${exitCode}) without printing ${pattern}:\n${out}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`fixture printed no ${pattern} within ${DEADLINE_MS} ms:\n${out}`));
      }, DEADLINE_MS);
      watchers.add(watch);
      watch();
    });
  const exit = () =>
    Promise.race([
      exited,
      new Promise<never>((_, reject) =>
        setTimeout(
          () => reject(new Error(`fixture did not exit within ${DEADLINE_MS} ms:\n${out}`)),
          DEADLINE_MS,
        ).unref(),
      ),
    ]);
  const port = Number((await waitOutput(/PORT (\d+)\n/))[1]);
  return { child, port, output: () => out, waitOutput, exit };
}

const ask = (port: number, line: string) =>
  exchange(["127.0.0.1", port], `${line}\n`, AF_INET, DEADLINE_MS / 1000);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pidOf = (reply: string) => Number(reply.split(" ")[0]);

/**
 * Runs `attempt` (which waits on the server) until it returns a value, every
 * 50 ms, for at most DEADLINE_MS; then throws what `message()` says then,
 * with the last error as the cause.
 */
async function until<T>(attempt: () => Promise<T | undefined>, message: () => string): Promise<T> {
  const deadline = Date.now() + DEADLINE_MS;
  let last: unknown;
  for (;;) {
    try {
      const value = await attempt();
      if (value !== undefined) return value;
    } catch (e) {
      last = e;
    }
    if (Date.now() >= deadline) throw new Error(`${message()} within ${DEADLINE_MS} ms`, { cause: last });
    await sleep(50);
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Asserts every pid is gone, allowing the OS time to reap them. */
async function assertGone(pids: Iterable<number>): Promise<void> {
  const list = [...pids];
  await until(
    async () => (list.some(alive) ? undefined : true),
    () => `workers ${list.filter(alive)} outlived the server`,
  );
}

/**
 * Connections to `port` whose socket process `pid` has open (Linux: from
 * /proc), listening socket excepted: what the primary still holds.
 */
function heldConnections(pid: number, port: number): number {
  const inodes = new Set<string>();
  for (const line of readFileSync("/proc/net/tcp", "utf8").split("\n").slice(1)) {
    const f = line.trim().split(/\s+/);
    // f[1] local address "0100007F:1F90", f[3] state ("0A" is LISTEN), f[9] inode
    if (f.length > 9 && Number.parseInt(f[1]!.split(":")[1]!, 16) === port && f[3] !== "0A")
      inodes.add(f[9]!);
  }
  let held = 0;
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m && inodes.has(m[1]!)) held++;
    } catch {
      // closed while we looked
    }
  }
  return held;
}

/** Waits until the primary holds no client connection (each went to a worker, or was closed). */
async function assertNoneHeld(pid: number, port: number): Promise<void> {
  await until(
    async () => (heldConnections(pid, port) === 0 ? true : undefined),
    () => `the primary still holds ${heldConnections(pid, port)} connection(s)`,
  );
}

/** Asks until `count` different workers have answered (they boot in their own time). */
async function warmUp(port: number, count: number): Promise<Set<number>> {
  const seen = new Set<number>();
  return until(
    async () => {
      seen.add(pidOf(await ask(port, "warm up")));
      return seen.size >= count ? seen : undefined;
    },
    () => `expected ${count} workers to answer, got ${[...seen]}`,
  );
}

/** Connects, sends `line` and resolves with the first line of the reply; the socket stays open. */
async function firstLine(port: number, line: string): Promise<[Socket, string]> {
  const sock = new Socket(AF_INET, SOCK_STREAM);
  sock.settimeout(DEADLINE_MS / 1000);
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
    const { child, port, output, waitOutput, exit } = await start();
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
    await waitOutput(/ERROR handler failed on purpose/);
    assert.match(await ask(port, "after boom"), /^\d+ after boom\n$/);

    const victim = [...pids][0]!;
    process.kill(victim, "SIGKILL");
    // Asked at once: some connections go to the victim before the primary sees it go. A
    // connection handed to a worker that dies before taking it goes to another worker.
    const again = await Promise.all(Array.from({ length: 10 }, () => ask(port, "still there")));
    for (const reply of again) {
      assert.match(reply, /^\d+ still there\n$/);
      assert.notEqual(pidOf(reply), victim);
    }
    await assertNoneHeld(child.pid!, port);
    const fresh = Number((await waitOutput(/^FORKED 3 (\d+)$/m))[1]);
    pids.add(fresh);

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
s = socket.create_connection(("127.0.0.1", port), timeout=60)
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
    const { child, port, output, waitOutput, exit } = await start();
    const pids = await warmUp(port, 2);
    const t0 = Date.now();
    const slow = ask(port, "sleep 700");
    await waitOutput(/^\d+ HANDLING sleep 700$/m); // the request is in a worker now
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
      // The hung handler never ends: the fixture exits only because serverClose() kills it.
      child.kill("SIGTERM");
      assert.equal(await exit(), 0);
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
    const { child, port, output, waitOutput, exit } = await start("crash");
    // maxChildren 1: five replacements in a minute, then the primary gives up. The reply waits
    // for six workers to boot and die, one after the other: seconds on a busy machine.
    const reply = await ask(port, "anyone");
    assert.equal(reply, `${child.pid} anyone\n`);
    await waitOutput(/ERROR Cannot keep worker processes running: 5 replaced within a minute/);
    assert.equal((output().match(/^Error: worker failed to start on purpose/gm) ?? []).length, 6);
    child.kill("SIGTERM");
    assert.equal(await exit(), 0);
  });
});

describe("ForkingTCPServer, a worker dying with connections handed to it", () => {
  /** Starts the "freeze" fixture; resolves once its worker is frozen on the first of `lines` and the rest are handed to it too. */
  async function freeze(lines: string[], closeTimeout?: number) {
    const marker = join(scratch, `marker-${lines[0]}`);
    const f = await start("freeze", closeTimeout, { FORKING_MARKER: marker });
    const first = ask(f.port, lines[0]!);
    const frozen = Number((await f.waitOutput(/^(\d+) FROZEN$/m))[1]);
    const rest = lines.slice(1).map((line) => ask(f.port, line));
    const replies = [first, ...rest];
    for (const reply of replies) reply.catch(() => {}); // awaited by the caller; a hang fails there
    // Each connection is with the frozen worker (the only one) or on its way to it.
    await until(
      async () => ((f.output().match(/^DISPATCHED$/gm) ?? []).length >= lines.length ? true : undefined),
      () => `expected ${lines.length} connections handed over:\n${f.output()}`,
    );
    return { ...f, marker, frozen, replies };
  }

  test("processRequest() hands each connection a dying worker never took to the next worker", async () => {
    const lines = Array.from({ length: 8 }, (_, i) => `redo${i}`);
    const { child, port, marker, frozen, replies, output, waitOutput, exit } = await freeze(lines);
    writeFileSync(marker, ""); // the frozen worker dies, having taken none
    const answered = await Promise.all(replies);
    for (const [i, reply] of answered.entries()) {
      assert.match(reply, new RegExp(`^\\d+ ${lines[i]}\\n$`), `client ${i}:\n${output()}`);
      assert.notEqual(pidOf(reply), frozen);
    }
    await assertNoneHeld(child.pid!, port);
    child.kill("SIGTERM");
    await waitOutput(/^CLOSED/m);
    child.kill("SIGTERM");
    assert.equal(await exit(), 0, `${child.signalCode} ${output()}`);
  });

  test("serverClose() closes the connections a worker it killed never took", async () => {
    const lines = Array.from({ length: 4 }, (_, i) => `gone${i}`);
    const { child, port, frozen, replies, output, waitOutput, exit } = await freeze(lines, 0.5);
    // No marker: the worker stays frozen until serverClose() kills it after 0.5 s.
    child.kill("SIGTERM");
    await waitOutput(/^CLOSED 0$/m);
    assert.match(output(), /1 worker process\(es\) still running after 0\.5 s; killing them/);
    // Closed by serverClose() (the primary lives on), not left hanging, and not served. The
    // unread request makes the close a reset.
    const ends = await Promise.all(
      replies.map((reply) =>
        reply.catch((err: unknown) => {
          if ((err as Error).name === "ConnectionResetError") return "reset";
          throw err;
        }),
      ),
    );
    for (const end of ends) assert.ok(end === "" || end === "reset", `expected EOF or a reset, got ${end}`);
    assert.equal(heldConnections(child.pid!, port), 0);
    await assertGone([frozen]);
    child.kill("SIGTERM");
    assert.equal(await exit(), 0);
  });
});

describe("ForkingUDPServer", () => {
  test("serveForever() handles datagrams in workers and sends their replies from the server's socket", async () => {
    const { child, port, exit } = await start("udp");
    const client = new Socket(AF_INET, SOCK_DGRAM);
    client.settimeout(DEADLINE_MS / 1000);
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
