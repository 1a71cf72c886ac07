/**
 * Connections per second, one client, one request per connection: each
 * iteration connects, sends one request, reads the whole reply and closes,
 * as HTTP/1.0 clients and servers do (Python's default for `http.server` and
 * `SimpleXMLRPCServer`). For each layer, a server table (servers on core 0,
 * one fixed load client on core 1) and a client table (clients on core 1,
 * one fixed raw server on core 0), so only one thing changes per row:
 *
 * | table | rows | fixed other side |
 * | --- | --- | --- |
 * | socket, server | netkit `Socket` accept loop, node:net, python3 `socket` | node:net client |
 * | socket, client | netkit `Socket`, node:net, python3 `socket` | node:net server |
 * | socketserver, server | netkit `TCPServer` / `ThreadingTCPServer` + `StreamRequestHandler`, node:net, python3 the same | node:net client |
 * | http, server | netkit `HTTPServer` (HTTP/1.0, its default), node:http (`Connection: close`), python3 `http.server` | node:net client sending a canned GET |
 * | http, client | netkit `HTTPConnection`, node:http (no keep-alive Agent), python3 `http.client` | node:net server answering a canned response |
 * | xmlrpc, server | netkit `SimpleXMLRPCServer`, node:http answering the canned response, python3 `SimpleXMLRPCServer`, npm `xmlrpc` | node:net client POSTing a canned `add(1, 2)` |
 * | xmlrpc, client | netkit `ServerProxy`, node:http POST of the canned call, python3 `ServerProxy`, npm `xmlrpc` | node:net server answering a canned response |
 *
 * Besides the rate, every run measures CPU time per connection on both
 * sides (the client's own `process.cpuUsage` / `time.process_time`, the
 * server's utime + stime from /proc over the same window): on a shared
 * machine the rate is noisy, CPU per connection much less so.
 *
 * Goal (issue 12, section 11): every netkit row at least 1.2x its python3
 * peer and at least 0.9x raw Node.
 *
 *   npm run bench -- conn-rate     (3 s per run after 1 s of warm-up, best of 4 rounds)
 *   node .bench-out/build/bench/conn-rate.bench.js [seconds] [rounds] [table filter]
 */
import { spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { BUILT_PEERS, fmt, machine, PEERS, PYTHON, pinned, type Row, record, startPeer } from "./_lib.js";

const seconds = Number(process.argv[2] ?? 3);
const rounds = Number(process.argv[3] ?? 4);
const only = process.argv[4];

type Kind = "netkit" | "python3" | "raw" | "npm";

/** One side of a connection: how to start it, and which row it is compared with. */
interface Side {
  key: string;
  label: string;
  kind: Kind;
  command: string;
  args: string[];
  /** For a netkit row: the key of its python3 peer. */
  python?: string;
}

interface Table {
  bench: string;
  title: string;
  /** What the rows are: servers (one fixed client) or clients (one fixed server). */
  rows: "server" | "client";
  sides: Side[];
  /** The fixed other side. */
  other: Side;
}

const node = process.execPath;
const rawServer = (mode: string, label: string): Side => ({
  key: `raw-server-${mode}`,
  label,
  kind: "raw",
  command: node,
  args: [join(PEERS, "conn-raw-server.mjs"), mode],
});
const rawClient = (mode: string, label: string): Side => ({
  key: `raw-client-${mode}`,
  label,
  kind: "raw",
  command: node,
  args: [join(PEERS, "conn-raw-client.mjs"), mode],
});
const netkitServer = (mode: string, label: string, python: string): Side => ({
  key: `netkit-server-${mode}`,
  label,
  kind: "netkit",
  command: node,
  args: [join(BUILT_PEERS, "conn-netkit-server.js"), mode],
  python: `python3-server-${python}`,
});
const netkitClient = (mode: string, label: string): Side => ({
  key: `netkit-client-${mode}`,
  label,
  kind: "netkit",
  command: node,
  args: [join(BUILT_PEERS, "conn-netkit-client.js"), mode],
  python: `python3-client-${mode}`,
});
const pythonServer = (mode: string, label: string): Side => ({
  key: `python3-server-${mode}`,
  label,
  kind: "python3",
  command: PYTHON,
  args: [join(PEERS, "conn_server.py"), mode],
});
const pythonClient = (mode: string, label: string): Side => ({
  key: `python3-client-${mode}`,
  label,
  kind: "python3",
  command: PYTHON,
  args: [join(PEERS, "conn_client.py"), mode],
});
const npm = (role: "server" | "client", label: string): Side => ({
  key: `npm-${role}`,
  label,
  kind: "npm",
  command: node,
  args: [join(PEERS, "conn-npm-xmlrpc.mjs"), role],
});

const ALL_TABLES: Table[] = [
  {
    bench: "conn-rate-socket-server",
    title: "Connections/s, socket server: accept, one 64-byte line each way, close (higher is better)",
    rows: "server",
    sides: [
      netkitServer("socket", "netkit Socket accept loop", "socket"),
      rawServer("line", "node:net server"),
      pythonServer("socket", "python3 socket accept loop"),
    ],
    other: rawClient("line", "node:net client"),
  },
  {
    bench: "conn-rate-socket-client",
    title: "Connections/s, socket client: connect, one 64-byte line each way, close (higher is better)",
    rows: "client",
    sides: [
      netkitClient("socket", "netkit Socket"),
      rawClient("line", "node:net client"),
      pythonClient("socket", "python3 socket"),
    ],
    other: rawServer("line", "node:net server"),
  },
  {
    bench: "conn-rate-socketserver",
    title: "Connections/s, socketserver: one 64-byte line each way per connection (higher is better)",
    rows: "server",
    sides: [
      netkitServer("tcpserver", "netkit TCPServer + StreamRequestHandler", "tcpserver"),
      netkitServer("threading", "netkit ThreadingTCPServer + StreamRequestHandler", "threading"),
      rawServer("line", "node:net server"),
      pythonServer("tcpserver", "python3 TCPServer + StreamRequestHandler"),
      pythonServer("threading", "python3 ThreadingTCPServer + StreamRequestHandler"),
    ],
    other: rawClient("line", "node:net client"),
  },
  {
    bench: "conn-rate-http-server",
    title: "Connections/s, HTTP server: one GET per connection, 14-byte body (higher is better)",
    rows: "server",
    sides: [
      netkitServer("http", "netkit HTTPServer (HTTP/1.0)", "http"),
      rawServer("node-http", "node:http server (Connection: close)"),
      pythonServer("http", "python3 http.server HTTPServer (HTTP/1.0)"),
    ],
    other: rawClient("http", "node:net client, canned GET"),
  },
  {
    bench: "conn-rate-http-client",
    title: "Connections/s, HTTP client: one GET per connection, 14-byte body (higher is better)",
    rows: "client",
    sides: [
      netkitClient("http", "netkit HTTPConnection"),
      rawClient("node-http", "node:http request (no keep-alive Agent)"),
      pythonClient("http", "python3 http.client HTTPConnection"),
    ],
    other: rawServer("http", "node:net server, canned response"),
  },
  {
    bench: "conn-rate-xmlrpc-server",
    title: "Connections/s, XML-RPC server: one add(1, 2) per connection (higher is better)",
    rows: "server",
    sides: [
      netkitServer("xmlrpc", "netkit SimpleXMLRPCServer", "xmlrpc"),
      rawServer("node-http-xmlrpc", "node:http server, canned response"),
      pythonServer("xmlrpc", "python3 SimpleXMLRPCServer"),
      npm("server", "npm xmlrpc server"),
    ],
    other: rawClient("xmlrpc", "node:net client, canned POST"),
  },
  {
    bench: "conn-rate-xmlrpc-client",
    title: "Connections/s, XML-RPC client: one add(1, 2) per connection (higher is better)",
    rows: "client",
    sides: [
      netkitClient("xmlrpc", "netkit ServerProxy"),
      rawClient("node-http-xmlrpc", "node:http POST of the canned call"),
      pythonClient("xmlrpc", "python3 ServerProxy"),
      npm("client", "npm xmlrpc client"),
    ],
    other: rawServer("xmlrpc", "node:net server, canned response"),
  },
];
const TABLES = ALL_TABLES.filter((t) => !only || t.bench.includes(only));

const CLK_TCK = Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout.trim()) || 100;

/** A process's CPU time so far (user + system, all threads), in µs, from /proc. */
function cpuMicros(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1e6) / CLK_TCK;
}

interface Run {
  rate: number;
  /** The median time one connection took, in µs (a burst of load elsewhere moves it less than the rate). */
  median: number;
  /** CPU µs per connection of the server and of the client. */
  serverCpu: number;
  clientCpu: number;
}

/** Starts `server`, runs `client` against it, and measures both over the client's timed window. */
async function run(server: Side, client: Side): Promise<Run> {
  const peer = await startPeer(server.label, server.command, server.args, 0);
  const pid = peer.child.pid!;
  try {
    const [cmd, argv] = pinned(1, client.command, [...client.args, String(peer.port), String(seconds)]);
    const child = spawn(cmd, argv, { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    let serverStart = Number.NaN;
    let serverEnd = Number.NaN;
    child.stdout!.on("data", (b: Buffer) => {
      out += b.toString();
      if (Number.isNaN(serverStart) && /^GO$/m.test(out)) serverStart = cpuMicros(pid);
      if (Number.isNaN(serverEnd) && /^STOP$/m.test(out)) serverEnd = cpuMicros(pid);
    });
    const result = await new Promise<{ connections: number; rate: number; cpuUs: number; medianUs: number }>(
      (resolve, reject) => {
        const timer = setTimeout(
          () => {
            child.kill("SIGKILL");
            reject(new Error(`${client.label} ran longer than ${seconds + 60} s`));
          },
          (seconds + 60) * 1000,
        );
        child.once("exit", (code) => {
          clearTimeout(timer);
          if (code !== 0) return reject(new Error(`${client.label} → ${server.label}: exited with ${code}`));
          try {
            resolve(JSON.parse(out.trim().split("\n").pop() ?? ""));
          } catch (e) {
            reject(new Error(`${client.label} printed no JSON: ${out.slice(-300)}`, { cause: e }));
          }
        });
      },
    );
    return {
      rate: result.rate,
      median: result.medianUs,
      serverCpu: (serverEnd - serverStart) / result.connections,
      clientCpu: result.cpuUs,
    };
  } finally {
    await peer.stop();
  }
}

const started = Date.now();
const loads: number[] = [];
/** Best rate and least CPU per connection of each pair over the rounds. */
const best = new Map<string, Run>();
const pairKey = (server: Side, client: Side) => `${server.key} <- ${client.key}`;
const pairs = (table: Table): Array<[Side, Side]> =>
  table.sides.map((side) => (table.rows === "server" ? [side, table.other] : [table.other, side]));

for (let round = 0; round < rounds; round++) {
  const done = new Set<string>();
  for (const table of TABLES) {
    // Alternate the order, so that a burst of load elsewhere does not always hit the same row.
    const order = round % 2 === 0 ? pairs(table) : pairs(table).reverse();
    for (const [server, client] of order) {
      const key = pairKey(server, client);
      if (done.has(key)) continue; // the same pair in another table (node:net ↔ node:net)
      done.add(key);
      loads.push(loadavg()[0]!);
      const r = await run(server, client);
      console.log(
        `  round ${round + 1}: ${client.label} → ${server.label}: ${fmt(r.rate)} conn/s, median ${r.median.toFixed(0)} µs, CPU µs/conn server ${r.serverCpu.toFixed(0)}, client ${r.clientCpu.toFixed(0)}`,
      );
      const old = best.get(key);
      best.set(key, {
        rate: Math.max(old?.rate ?? 0, r.rate),
        median: Math.min(old?.median ?? Number.POSITIVE_INFINITY, r.median),
        serverCpu: Math.min(old?.serverCpu ?? Number.POSITIVE_INFINITY, r.serverCpu),
        clientCpu: Math.min(old?.clientCpu ?? Number.POSITIVE_INFINITY, r.clientCpu),
      });
    }
  }
}

for (const table of TABLES) {
  const result = new Map<string, Run>();
  for (const [server, client] of pairs(table)) {
    result.set(table.rows === "server" ? server.key : client.key, best.get(pairKey(server, client))!);
  }
  const rate = (key: string) => result.get(key)!.rate;
  const raw = table.sides.find((s) => s.kind === "raw")!;
  const verdicts = table.sides
    .filter((s) => s.kind === "netkit")
    .map((s) => {
      const py = table.sides.find((p) => p.key === s.python)!;
      const vsPython = rate(s.key) / rate(py.key);
      const vsRaw = rate(s.key) / rate(raw.key);
      return {
        met: vsPython >= 1.2 && vsRaw >= 0.9,
        text: `${s.label}: ${vsPython.toFixed(2)}x ${py.label}, ${vsRaw.toFixed(2)}x ${raw.label} (${vsPython >= 1.2 && vsRaw >= 0.9 ? "met" : "not met"})`,
      };
    });
  const side = table.rows;
  const cpu = (key: string) => (side === "server" ? result.get(key)!.serverCpu : result.get(key)!.clientCpu);
  // Where a netkit row misses 1.2x python3: how raw Node itself compares, measured in the same run.
  const floors = table.sides
    .filter((s) => s.kind === "netkit" && rate(s.key) < 1.2 * rate(s.python!))
    .map((s) => {
      const py = table.sides.find((p) => p.key === s.python)!;
      const rawVsPython = rate(raw.key) / rate(py.key);
      return `${s.label} misses 1.2x ${py.label}; ${raw.label} itself is ${rawVsPython.toFixed(2)}x it, so the goal asks ${(1.2 / rawVsPython).toFixed(2)}x ${raw.label} of netkit. CPU per connection, ${side}: netkit ${cpu(s.key).toFixed(0)} µs, ${raw.label} ${cpu(raw.key).toFixed(0)} µs, ${py.label} ${cpu(py.key).toFixed(0)} µs.`;
    });
  const rows: Row[] = table.sides.map((s) => ({
    name: s.label,
    value: rate(s.key),
    unit: "conn/s",
    netkit: s.kind === "netkit",
  }));
  record({
    bench: table.bench,
    title: table.title,
    better: "higher",
    command: "npm run bench -- conn-rate",
    date: new Date().toISOString().slice(0, 10),
    machine: machine(),
    rows,
    goal: {
      text: `each netkit ${side} at least 1.2x python3 and 0.9x raw Node (${verdicts.map((v) => v.text).join("; ")})`,
      met: verdicts.every((v) => v.met),
    },
    notes: [
      `Median time of one connection (least over the rounds; less moved by load elsewhere than the rate): ${table.sides
        .map((s) => `${s.label} ${result.get(s.key)!.median.toFixed(0)} µs`)
        .join("; ")}.`,
      `CPU time per connection, ${side} side (least over the rounds): ${table.sides
        .map(
          (s) =>
            `${s.label} ${(side === "server" ? result.get(s.key)!.serverCpu : result.get(s.key)!.clientCpu).toFixed(0)} µs`,
        )
        .join(
          "; ",
        )}. The ${side === "server" ? "client" : "server"}, ${table.other.label}, spent ${table.sides
        .map((s) =>
          (side === "server" ? result.get(s.key)!.clientCpu : result.get(s.key)!.serverCpu).toFixed(0),
        )
        .join(" / ")} µs per connection in the same runs.`,
      ...floors,
      `One ${side === "server" ? "client" : "server"} for every row: ${table.other.label}. ${seconds} s per run after 1 s of warm-up, best rate of ${rounds} rounds, rows taking turns; load average (1 min) at the start of the runs: ${Math.min(...loads).toFixed(2)} to ${Math.max(...loads).toFixed(2)} (2 cores shared with other work: compare rows within this table only).`,
    ],
  });
}
console.log(`(${((Date.now() - started) / 1000).toFixed(1)} s)`);
