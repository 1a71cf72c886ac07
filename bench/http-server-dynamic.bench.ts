/**
 * A small dynamic answer over HTTP/1.1 keep-alive, loaded with wrk: a
 * minimal BaseHTTPRequestHandler subclass whose doGET sends a 14-byte body
 * (netkit, compiled, its own process) against python3's BaseHTTPRequestHandler
 * doing the same (protocol_version HTTP/1.1; as Python ships it, and with
 * disable_nagle_algorithm, which netkit's handler turns on by default) and
 * raw node:http. Request
 * logging off everywhere; each answer is checked before it is timed. Server on
 * core 0, wrk (one thread) on core 1.
 *
 *   npm run bench -- http-server-dynamic     (seconds per run = 5, rounds = 3; best of the rounds)
 */
import { join } from "node:path";
import { BUILT_PEERS, fmt, machine, PYTHON, type Row, record } from "./_lib.js";
import { checkBody, PEERS, runWrk, startPeer, type WrkResult } from "./peers/http-server-wrk.js";

const seconds = Math.min(Number(process.argv[2] ?? 5), 30);
const rounds = Math.min(Number(process.argv[3] ?? 3), 5);
const only = process.argv[4];
const BODY = Buffer.from("Hello, World!\n");
// 50 connections as the static benchmark (the issue's wrk -c50); 1 shows the per-request cost.
const CONNECTIONS = [1, 50];
const node = process.execPath;

const SERVERS: Array<[string, string, string[], boolean]> = [
  [
    "netkit BaseHTTPRequestHandler (HTTP/1.1)",
    node,
    [join(BUILT_PEERS, "netkit-http-server.js"), "dynamic"],
    true,
  ],
  [
    "python3 BaseHTTPRequestHandler (HTTP/1.1)",
    PYTHON,
    [join(PEERS, "python_http_server.py"), "dynamic", "-", "HTTP/1.1"],
    false,
  ],
  [
    "python3 BaseHTTPRequestHandler (HTTP/1.1, TCP_NODELAY)",
    PYTHON,
    [join(PEERS, "python_http_server.py"), "dynamic", "-", "HTTP/1.1", "nodelay"],
    false,
  ],
  ["raw node:http", node, [join(PEERS, "raw-http-server.mjs"), "dynamic"], false],
].filter(([name]) => !only || (name as string).includes(only)) as Array<[string, string, string[], boolean]>;

const best = new Map<string, WrkResult>();
const loads: number[] = [];
for (let round = 0; round < rounds; round++) {
  for (const [name, cmd, args] of SERVERS) {
    const peer = await startPeer(name, cmd, args, 0);
    try {
      await checkBody(peer.port, "/", BODY);
      await runWrk(peer.port, "/", 8, 1); // warm-up
      for (const c of CONNECTIONS) {
        const r = await runWrk(peer.port, "/", c, seconds);
        loads.push(r.load);
        console.log(
          `  round ${round + 1} ${name.padEnd(44)} c=${String(c).padStart(2)} ${fmt(r.rps).padStart(8)} req/s  p99 ${(r.p99_us / 1000).toFixed(2)} ms  load ${r.load.toFixed(2)}`,
        );
        if (r.status > 0) throw new Error(`${name}: ${r.status} non-2xx answers`);
        const k = `${name}|${c}`;
        if (!best.has(k) || best.get(k)!.rps < r.rps) best.set(k, r);
      }
    } finally {
      await peer.stop();
    }
  }
}

const netkit = SERVERS.find((s) => s[3])?.[0];
for (const c of CONNECTIONS) {
  const rows: Row[] = SERVERS.map(([name, , , isNetkit]) => ({
    name,
    value: best.get(`${name}|${c}`)!.rps,
    unit: "req/s",
    netkit: isNetkit,
  }));
  const notes: string[] = [];
  if (netkit) {
    const ours = best.get(`${netkit}|${c}`)!.rps;
    const ratios = SERVERS.filter((s) => !s[3]).map(
      ([name]) => `${name} ${(ours / best.get(`${name}|${c}`)!.rps).toFixed(2)}x`,
    );
    notes.push(`netkit / peer: ${ratios.join("; ")}.`);
  }
  notes.push(
    `wrk -t1 -c${c} -d${seconds}s, best of ${rounds} rounds; load average (1 min) at the start of the runs: ${Math.min(...loads).toFixed(2)} to ${Math.max(...loads).toFixed(2)}. Request logging off.`,
  );
  const raw = best.get(`raw node:http|${c}`)?.rps;
  const ratio = netkit && raw ? best.get(`${netkit}|${c}`)!.rps / raw : undefined;
  record({
    ...(ratio === undefined
      ? {}
      : {
          goal: {
            text: `netkit at least 0.8x raw node:http (measured ${ratio.toFixed(2)}x)`,
            met: ratio >= 0.8,
          },
        }),
    bench: `http-server-dynamic-c${c}`,
    title: `HTTP server, 14-byte doGET answer, ${c} keep-alive connection${c > 1 ? "s" : ""} (wrk; higher is better)`,
    better: "higher",
    command: "npm run bench -- http-server-dynamic",
    date: new Date().toISOString().slice(0, 10),
    machine: machine(),
    rows,
    notes,
  });
}
