/**
 * What the HTTP server benchmarks share: start a server in its own process
 * (pinned to core 0), check what it answers, and load it with wrk (pinned to
 * core 1) for a fixed time, reading wrk's summary from a Lua `done` hook.
 *
 * Every wait here is bounded: a server must accept within 20 s, a check
 * must answer within 10 s, wrk is killed 30 s after its duration.
 */
import { type ChildProcess, spawn } from "node:child_process";
import http from "node:http";
import { createConnection, createServer } from "node:net";
import { loadavg } from "node:os";
import { join } from "node:path";
import { PEERS, type Peer, pinned, sleep, startPeer } from "../_lib.js";

export { PEERS, startPeer };

/** A port nothing listens on right now (for servers that cannot print the one they got). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const c = createConnection({ port, host: "127.0.0.1" });
    c.once("connect", () => {
      c.destroy();
      resolve(true);
    });
    c.once("error", () => resolve(false));
  });
}

/** Starts a server that listens on `port` (given on its command line), pinned to `cpu`; resolves once it accepts. */
export async function startOnPort(
  name: string,
  command: string,
  args: string[],
  port: number,
  cpu = 0,
): Promise<Peer> {
  const [cmd, argv] = pinned(cpu, command, args);
  const child: ChildProcess = spawn(cmd, argv, { stdio: ["ignore", "ignore", "pipe"] });
  let err = "";
  child.stderr!.on("data", (b: Buffer) => {
    err = (err + b.toString()).slice(-4000);
  });
  const stop = () =>
    new Promise<void>((done) => {
      if (child.exitCode !== null || child.signalCode !== null) return done();
      child.once("exit", () => done());
      child.kill("SIGTERM");
      setTimeout(() => child.kill("SIGKILL"), 3000).unref();
    });
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}: ${err}`);
    if (await canConnect(port)) return { name, child, port, stop };
    await sleep(100);
  }
  await stop();
  throw new Error(`${name} did not accept on port ${port} within 20 s: ${err}`);
}

/** GETs `path` once (10 s at most) and throws unless the answer is 200 with exactly `expected` as its body. */
export function checkBody(port: number, path: string, expected: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: "127.0.0.1", port, path, agent: false }, (res) => {
      const parts: Buffer[] = [];
      res.on("data", (b: Buffer) => parts.push(b));
      res.on("end", () => {
        const body = Buffer.concat(parts);
        if (res.statusCode !== 200) return reject(new Error(`GET ${path}: status ${res.statusCode}`));
        if (body.length !== expected.length)
          return reject(new Error(`GET ${path}: ${body.length} bytes, expected ${expected.length}`));
        if (!body.equals(expected)) return reject(new Error(`GET ${path}: wrong bytes`));
        resolve();
      });
      res.on("error", reject);
    });
    req.setTimeout(10_000, () => req.destroy(new Error(`GET ${path}: no answer within 10 s`)));
    req.on("error", reject);
  });
}

/** wrk's summary (the Lua hook's JSON) plus the load average when the run started. */
export interface WrkResult {
  requests: number;
  bytes: number;
  duration_us: number;
  connect: number;
  read: number;
  write: number;
  status: number;
  timeout: number;
  p50_us: number;
  p99_us: number;
  rps: number;
  load: number;
}

/** Runs `wrk -t1 -c<connections> -d<seconds>s` against `path`, pinned to `cpu`. */
export function runWrk(
  port: number,
  path: string,
  connections: number,
  seconds: number,
  cpu = 1,
): Promise<WrkResult> {
  const load = loadavg()[0]!;
  const [cmd, argv] = pinned(cpu, "wrk", [
    "-t1",
    `-c${connections}`,
    `-d${seconds}s`,
    "--timeout",
    "10s",
    "-s",
    join(PEERS, "http-server-wrk.lua"),
    `http://127.0.0.1:${port}${path}`,
  ]);
  const child = spawn(cmd, argv, { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout.on("data", (b: Buffer) => {
    out += b.toString();
  });
  child.stderr.on("data", (b: Buffer) => {
    out += b.toString();
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), (seconds + 30) * 1000);
    child.once("exit", (code) => {
      clearTimeout(timer);
      const line = out
        .trim()
        .split("\n")
        .reverse()
        .find((l) => l.startsWith("{"));
      if (code !== 0 || !line) return reject(new Error(`wrk exited with ${code}: ${out.slice(-500)}`));
      const r = JSON.parse(line) as WrkResult;
      r.rps = r.requests / (r.duration_us / 1e6);
      r.load = load;
      resolve(r);
    });
  });
}
