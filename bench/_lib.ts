/**
 * Shared pieces of the benchmarks: start a peer server in its own process
 * (pinned to one core, the load on the other, as the measurements in the
 * issues were taken), read its port, record results for `bench/report.ts`.
 *
 * Every benchmark is bounded in time and count and stops on its own.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { dirname, join } from "node:path";

function findRoot(from: string): string {
  let dir = from;
  while (!existsSync(join(dir, "package.json"))) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`No package.json above ${from}`);
    dir = up;
  }
  return dir;
}

/** The repository root, whether this runs from bench/ or from the compiled .bench-out/build/bench/. */
export const ROOT = findRoot(import.meta.dirname);
export const OUT_DIR = join(ROOT, ".bench-out");
/** Peers written in plain JavaScript or Python, run from the source tree. */
export const PEERS = join(ROOT, "bench/peers");
/** netkit peers, compiled by `npm run bench` (tsconfig.bench.json). */
export const BUILT_PEERS = join(ROOT, ".bench-out/build/bench/peers");

/**
 * python3's interpreter itself, not a wrapper script (pyenv's shim), so that
 * a signal stops a python peer rather than the wrapper around it.
 */
export const PYTHON =
  spawnSync("python3", ["-c", "import sys; print(sys.executable)"], { encoding: "utf8" }).stdout?.trim() ||
  "python3";
const hasTaskset = spawnSync("taskset", ["--version"], { stdio: "ignore" }).status === 0;
const twoCores = cpus().length >= 2;

/** Prefixes a command with `taskset -c CPU` where that is possible. */
export function pinned(cpu: number, command: string, args: string[]): [string, string[]] {
  if (!hasTaskset || !twoCores) return [command, args];
  return ["taskset", ["-c", String(cpu), command, ...args]];
}

export interface Peer {
  name: string;
  child: ChildProcess;
  port: number;
  stop(): Promise<void>;
}

/**
 * Starts a server that prints `PORT <n>` on its first stdout line, pinned to `cpu`.
 * Rejects if it prints nothing within 20 s.
 */
export function startPeer(name: string, command: string, args: string[], cpu = 0): Promise<Peer> {
  const [cmd, argv] = pinned(cpu, command, args);
  const child = spawn(cmd, argv, { stdio: ["ignore", "pipe", "pipe"] });
  let err = "";
  child.stderr!.on("data", (b: Buffer) => {
    err += b.toString();
  });
  return new Promise((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${name} did not start within 20 s: ${err}`));
    }, 20_000);
    child.stdout!.on("data", (b: Buffer) => {
      out += b.toString();
      const match = /PORT (\d+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve({
          name,
          child,
          port: Number(match[1]),
          stop: () =>
            new Promise((done) => {
              if (child.exitCode !== null) return done();
              child.once("exit", () => done());
              child.kill("SIGTERM");
              setTimeout(() => child.kill("SIGKILL"), 3000).unref();
            }),
        });
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code}: ${err}`));
    });
  });
}

/** Resident memory of a process in MB, from /proc (Linux). */
export function rssMB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const match = /VmRSS:\s+(\d+) kB/.exec(status);
  return match ? Number(match[1]) / 1024 : Number.NaN;
}

/** Runs a Node script pinned to `cpu` and resolves with the JSON it prints last. */
export function runJson<T>(script: string, args: string[], cpu = 1, timeoutMs = 120_000): Promise<T> {
  return runCommandJson<T>(process.execPath, [script, ...args], cpu, timeoutMs);
}

/**
 * Runs any command (a Node script, a python3 program) pinned to `cpu` and
 * resolves with the JSON it prints last; rejects when it exits non-zero,
 * prints no JSON, or runs longer than `timeoutMs`.
 */
export function runCommandJson<T>(command: string, args: string[], cpu = 1, timeoutMs = 120_000): Promise<T> {
  const [cmd, argv] = pinned(cpu, command, args);
  const child = spawn(cmd, argv, { stdio: ["ignore", "pipe", "inherit"] });
  const what = `${command} ${args.join(" ")}`;
  let out = "";
  child.stdout!.on("data", (b: Buffer) => {
    out += b.toString();
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${what} ran longer than ${timeoutMs} ms`));
    }, timeoutMs);
    child.once("exit", (code) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new Error(`${what} exited with ${code}`));
      const last = out.trim().split("\n").pop() ?? "";
      try {
        resolve(JSON.parse(last) as T);
      } catch (e) {
        reject(new Error(`${what} printed no JSON: ${out.slice(-300)}`, { cause: e }));
      }
    });
  });
}

/**
 * Stops a server peer and returns the counts it prints as `LABEL <n>` lines
 * when it gets SIGTERM (`{ CONNECTIONS: 1, MESSAGES: 5012 }`): the
 * connections it accepted, the messages it took in. A count it did not
 * print is missing from the result.
 */
export async function stopAndReadCounts(peer: Peer): Promise<Record<string, number>> {
  let out = "";
  peer.child.stdout!.on("data", (b: Buffer) => {
    out += b.toString();
  });
  await peer.stop();
  const counts: Record<string, number> = {};
  for (const m of out.matchAll(/^([A-Z]+) (\d+)$/gm)) counts[m[1]!] = Number(m[2]);
  return counts;
}

export interface Row {
  /** What was measured: "netkit ThreadingTCPServer", "python3 ThreadingTCPServer", ... */
  name: string;
  value: number;
  unit: string;
  /** True for netkit's own rows, which the chart highlights. */
  netkit?: boolean;
}

export interface Result {
  bench: string;
  title: string;
  /** Which way is better. */
  better: "higher" | "lower";
  command: string;
  date: string;
  machine: string;
  rows: Row[];
  /** Goal text from the issue, and whether it was met. */
  goal?: { text: string; met: boolean };
  notes?: string[];
}

/** The machine line every result carries. */
export function machine(): string {
  const py = spawnSync("python3", ["--version"], { encoding: "utf8" }).stdout.trim();
  return `${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, Node ${process.version}, ${py}, ${hasTaskset && twoCores ? "server and load pinned to separate cores" : "not pinned"}`;
}

/** Writes a result to .bench-out/<bench>.json and prints it as a table. */
export function record(result: Result): void {
  mkdirSync(OUT_DIR, { recursive: true });
  writeFileSync(join(OUT_DIR, `${result.bench}.json`), `${JSON.stringify(result, null, 2)}\n`);
  console.log(`\n${result.title}`);
  const best =
    result.better === "higher"
      ? Math.max(...result.rows.map((r) => r.value))
      : Math.min(...result.rows.map((r) => r.value));
  for (const row of result.rows) {
    console.log(
      `  ${row.name.padEnd(44)} ${fmt(row.value).padStart(12)} ${row.unit.padEnd(8)} ${(row.value / best).toFixed(2)}x of best`,
    );
  }
  if (result.goal) console.log(`  goal: ${result.goal.text} — ${result.goal.met ? "met" : "NOT met"}`);
}

export function fmt(n: number): string {
  if (n >= 100) return Math.round(n).toLocaleString("en-US");
  return n.toFixed(2);
}

/**
 * A mail message of `size` bytes (CRLF lines of 72 characters), numbered `i`,
 * for the mail-access benchmarks; with `dotLines`, every tenth body line
 * starts with a dot, so the server must dot-stuff it and the client unstuff it.
 */
export function mailMessage(i: number, size: number, dotLines = false): Buffer {
  let text = `From: bench@example.test\r\nTo: rcpt@example.test\r\nSubject: message ${i}\r\n\r\n`;
  const line = "The quick brown fox jumps over the lazy dog. ".repeat(2);
  for (let n = 0; text.length < size - 80; n++) {
    const dot = dotLines && n % 10 === 9 ? "." : "";
    text += `${dot}${`${String(n).padStart(4, "0")} ${line}`.slice(0, 72)}\r\n`;
  }
  text += `${"x".repeat(size - text.length - 2)}\r\n`;
  return Buffer.from(text, "latin1");
}

/** How `bestRate` times: warm-up calls, then the best of `rounds` runs of about `seconds` each. */
export interface RateOptions {
  seconds: number;
  rounds: number;
  warmup: number;
}

/** Best calls per second of `fn` (see `RateOptions`), measured in wall-clock time. */
export function bestRate(fn: () => unknown, { seconds, rounds, warmup }: RateOptions): number {
  for (let i = 0; i < warmup; i++) fn();
  let best = 0;
  for (let r = 0; r < rounds; r++) {
    let n = 0;
    const start = performance.now();
    let elapsed = 0;
    while (elapsed < seconds * 1000) {
      fn();
      n++;
      elapsed = performance.now() - start;
    }
    best = Math.max(best, (n * 1000) / elapsed);
  }
  return best;
}

/** `bestRate` for an async `fn`, each call awaited before the next. */
export async function bestRateAsync(
  fn: () => Promise<unknown>,
  { seconds, rounds, warmup }: RateOptions,
): Promise<number> {
  for (let i = 0; i < warmup; i++) await fn();
  let best = 0;
  for (let r = 0; r < rounds; r++) {
    let n = 0;
    const start = performance.now();
    let elapsed = 0;
    while (elapsed < seconds * 1000) {
      await fn();
      n++;
      elapsed = performance.now() - start;
    }
    best = Math.max(best, (n * 1000) / elapsed);
  }
  return best;
}

/**
 * mulberry32: a small seeded PRNG, so a benchmark's corpus is the same on
 * every run. Returns numbers in [0, 1), as `Math.random` does.
 */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
