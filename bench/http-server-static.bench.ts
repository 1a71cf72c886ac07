/**
 * Static files over HTTP/1.1 keep-alive, loaded with wrk: the `netkit
 * http.server` command as a user starts it (`netkit http.server PORT` in
 * the folder to serve: no options, its request log on stderr), netkit's
 * ThreadingHTTPServer tuned for the benchmark (its own process, no request
 * log, listen backlog 1024), python3's http.server (HTTP/1.0 as `python3
 * -m http.server` speaks by default, and HTTP/1.1 so it keeps connections
 * alive too), npm's http-server, serve and sirv-cli, and raw node:http with
 * fs.createReadStream (the floor a Node server can reach). All serve the
 * same temporary directory holding 1 KiB, 64 KiB and 1 MiB files; the peers
 * run with request logging, caching and compression off; each answer is
 * checked (200, the file's exact bytes) before it is timed. Server on core
 * 0, wrk (one thread) on core 1. The goal is the command's.
 *
 *   npm run bench -- http-server-static     (seconds per run = 5, rounds = 2; best of the rounds)
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
// Imported so the command is compiled with the benchmarks (tsconfig.bench.json) and runs as plain JavaScript, as `netkit` does.
import { NETKIT as NETKIT_COMMAND } from "../src/cli/main.js";
import { BUILT_PEERS, fmt, machine, type Peer, PYTHON, type Row, record } from "./_lib.js";
import {
  checkBody,
  freePort,
  PEERS,
  runWrk,
  startOnPort,
  startPeer,
  type WrkResult,
} from "./peers/http-server-wrk.js";

const seconds = Math.min(Number(process.argv[2] ?? 5), 30);
const rounds = Math.min(Number(process.argv[3] ?? 2), 5);
const only = process.argv[4]; // a server name substring, to profile one
const bin = (pkg: string, file: string) => join(import.meta.dirname, "../../../node_modules", pkg, file);
/** The `netkit` command, compiled beside this file (.bench-out/build/src/cli/main.js). */
const NETKIT = join(import.meta.dirname, "../src/cli/main.js");

const FILES: Array<[string, string, number]> = [
  ["1k", "1 KiB", 1024],
  ["64k", "64 KiB", 64 * 1024],
  ["1m", "1 MiB", 1024 * 1024],
];
// 50 connections is the issue's measure (wrk -c50); 1 shows the per-request cost.
const CONNECTIONS = [1, 50];

const dir = mkdtempSync(join(tmpdir(), "netkit-bench-static-"));
const contents = new Map<string, Buffer>();
for (const [key, , size] of FILES) {
  const data = randomBytes(size);
  contents.set(key, data);
  writeFileSync(join(dir, `${key}.bin`), data);
}

interface Server {
  name: string;
  netkit?: boolean;
  /** The row the goal is about. */
  goal?: boolean;
  start(): Promise<Peer>;
}
const node = process.execPath;
const SERVERS: Server[] = [
  {
    name: `${NETKIT_COMMAND.prog} http.server (the command, no options)`,
    netkit: true,
    goal: true,
    start: async () => {
      // `cd DIR && netkit http.server PORT`: the folder is the current one, as a user serves it.
      const port = await freePort();
      const args = ["-c", 'cd "$0" && exec "$@"', dir, node, NETKIT, "http.server", String(port)];
      return startOnPort("netkit http.server", "sh", args, port, 0);
    },
  },
  {
    name: "netkit ThreadingHTTPServer, tuned (no log)",
    netkit: true,
    start: () => startPeer("netkit", node, [join(BUILT_PEERS, "netkit-http-server.js"), "static", dir], 0),
  },
  {
    name: "python3 http.server (HTTP/1.0, its default)",
    start: () =>
      startPeer("python3", PYTHON, [join(PEERS, "python_http_server.py"), "static", dir, "HTTP/1.0"], 0),
  },
  {
    name: "python3 http.server (HTTP/1.1)",
    start: () =>
      startPeer("python3", PYTHON, [join(PEERS, "python_http_server.py"), "static", dir, "HTTP/1.1"], 0),
  },
  {
    name: "npm http-server",
    start: async () => {
      const port = await freePort();
      const args = [
        bin("http-server", "bin/http-server"),
        dir,
        "-p",
        String(port),
        "-a",
        "127.0.0.1",
        "-c-1",
        "-s",
      ];
      return startOnPort("http-server", node, args, port, 0);
    },
  },
  {
    name: "npm serve",
    start: async () => {
      const port = await freePort();
      const args = [
        bin("serve", "build/main.js"),
        "-l",
        `tcp://127.0.0.1:${port}`,
        "-n",
        "-u",
        "-L",
        "--no-etag",
        "--no-port-switching",
        dir,
      ];
      return startOnPort("serve", node, args, port, 0);
    },
  },
  {
    name: "npm sirv-cli",
    start: async () => {
      const port = await freePort();
      const args = [bin("sirv-cli", "bin.js"), dir, "--port", String(port), "--host", "127.0.0.1", "--quiet"];
      return startOnPort("sirv", node, args, port, 0);
    },
  },
  {
    name: "raw node:http + fs.createReadStream",
    start: () => startPeer("raw node:http", node, [join(PEERS, "raw-http-server.mjs"), "static", dir], 0),
  },
].filter((s) => !only || s.name.includes(only));

// best[server][file][connections]
const best = new Map<string, WrkResult>();
const key = (s: string, f: string, c: number) => `${s}|${f}|${c}`;
const loads: number[] = [];
try {
  for (let round = 0; round < rounds; round++) {
    for (const server of SERVERS) {
      const peer = await server.start();
      try {
        for (const [f] of FILES) await checkBody(peer.port, `/${f}.bin`, contents.get(f)!);
        await runWrk(peer.port, "/1k.bin", 8, 1); // warm-up
        for (const [f] of FILES) {
          for (const c of CONNECTIONS) {
            const r = await runWrk(peer.port, `/${f}.bin`, c, seconds);
            loads.push(r.load);
            const errors = r.connect + r.read + r.write + r.status + r.timeout;
            console.log(
              `  round ${round + 1} ${server.name.padEnd(44)} ${f.padStart(3)} c=${String(c).padStart(2)} ${fmt(r.rps).padStart(8)} req/s  p99 ${(r.p99_us / 1000).toFixed(2)} ms  load ${r.load.toFixed(2)}${errors ? `  errors ${JSON.stringify({ c: r.connect, r: r.read, w: r.write, s: r.status, t: r.timeout })}` : ""}`,
            );
            if (r.status > 0) throw new Error(`${server.name}: ${r.status} non-2xx answers`);
            const k = key(server.name, f, c);
            if (!best.has(k) || best.get(k)!.rps < r.rps) best.set(k, r);
          }
        }
      } finally {
        await peer.stop();
      }
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const netkitName = (SERVERS.find((s) => s.goal) ?? SERVERS.find((s) => s.netkit))?.name;
const date = new Date().toISOString().slice(0, 10);
const loadText = `load average (1 min) at the start of the runs: ${Math.min(...loads).toFixed(2)} to ${Math.max(...loads).toFixed(2)}`;
for (const [f, label, size] of FILES) {
  for (const c of CONNECTIONS) {
    const rows: Row[] = SERVERS.map((s) => ({
      name: s.name,
      value: best.get(key(s.name, f, c))!.rps,
      unit: "req/s",
      netkit: s.netkit === true,
    }));
    const mib = SERVERS.map((s) => `${s.name} ${fmt((best.get(key(s.name, f, c))!.rps * size) / 2 ** 20)}`);
    const notes = [`Body throughput (MiB/s): ${mib.join("; ")}.`];
    if (netkitName) {
      const ours = best.get(key(netkitName, f, c))!.rps;
      const ratios = SERVERS.filter((s) => !s.netkit).map(
        (s) => `${s.name} ${(ours / best.get(key(s.name, f, c))!.rps).toFixed(2)}x`,
      );
      notes.push(`${netkitName} / peer: ${ratios.join("; ")}.`);
    }
    notes.push(
      `wrk -t1 -c${c} -d${seconds}s, best of ${rounds} rounds; ${loadText}. Each server was checked to answer 200 with the file's exact bytes before timing. The netkit command runs as a user starts it: \`netkit http.server PORT\` in the folder, logging each request to stderr (a pipe here), listen backlog 511. The others run with request logging, caching and compression off (http-server -c-1 -s, serve -u -L --no-etag, sirv --quiet); listen backlog 1024 for python3 and the tuned netkit.`,
    );
    // The goal (1 KiB and 1 MiB, 50 connections): ahead of every peer.
    let goal: { text: string; met: boolean } | undefined;
    if (netkitName && c === 50 && f !== "64k") {
      const ours = best.get(key(netkitName, f, c))!.rps;
      const others = SERVERS.filter((s) => !s.netkit).map((s) => best.get(key(s.name, f, c))!.rps);
      const lead = ours / Math.max(...others);
      goal = {
        text: `${netkitName} ahead of every peer (measured ${lead.toFixed(2)}x the best peer)`,
        met: lead > 1,
      };
    }
    record({
      ...(goal ? { goal } : {}),
      bench: `http-server-static-${f}-c${c}`,
      title: `HTTP server, static ${label} file, ${c} keep-alive connection${c > 1 ? "s" : ""} (wrk; higher is better)`,
      better: "higher",
      command: "npm run bench -- http-server-static",
      date,
      machine: machine(),
      rows,
      notes,
    });
  }
}
