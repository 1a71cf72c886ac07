/**
 * XML-RPC calls per second: sequential `add(a, b)` calls, one at a time,
 * over one kept-alive connection, each result checked, client and server
 * in separate processes pinned to separate cores (as users run them):
 *
 * | client | server |
 * | --- | --- |
 * | netkit `ServerProxy` | netkit `SimpleXMLRPCServer` (a handler whose `keepAliveAllowed()` is true, so the connection stays open) |
 * | python3 `ServerProxy` | python3 `SimpleXMLRPCServer` (HTTP/1.1, so the connection stays open) |
 * | npm `xmlrpc` client (keep-alive Agent, one socket) | npm `xmlrpc` server |
 * | netkit `ServerProxy` | python3 `SimpleXMLRPCServer` |
 * | python3 `ServerProxy` | netkit `SimpleXMLRPCServer` |
 *
 * The cross pairs show which side the time goes to. Two last rows, the
 * floors, are node:http's keep-alive client against a raw node:http server
 * (GETs of 1 KiB, no XML-RPC), and 64-byte round trips through a raw
 * node:net echo server (no HTTP): what one round trip between two Node
 * processes costs here before any HTTP or XML-RPC work. Every XML-RPC server prints how
 * many connections it accepted, so a pair that did not keep its connection
 * alive shows in the notes. Goal (the XML-RPC issue): netkit + netkit at
 * least 3x the faster of python3 + python3 and npm + npm.
 *
 *   npm run bench -- xmlrpc-calls     (4 s per pair after 1 s of warm-up, best of 3 rounds)
 */
import { loadavg } from "node:os";
import { join } from "node:path";
import {
  BUILT_PEERS,
  machine,
  PEERS,
  PYTHON,
  type Row,
  record,
  runCommandJson,
  startPeer,
  stopAndReadCounts,
} from "./_lib.js";

const seconds = Number(process.argv[2] ?? 4);
const rounds = Number(process.argv[3] ?? 3);

type Command = [string, string[]];
const SERVERS: Record<string, Command> = {
  netkit: [process.execPath, [join(BUILT_PEERS, "xmlrpc-netkit-server.js")]],
  python3: [PYTHON, [join(PEERS, "xmlrpc_server.py")]],
  npm: [process.execPath, [join(PEERS, "xmlrpc-npm-server.mjs")]],
};
const CLIENTS: Record<string, Command> = {
  netkit: [process.execPath, [join(BUILT_PEERS, "xmlrpc-netkit-client.js")]],
  python3: [PYTHON, [join(PEERS, "xmlrpc_client.py")]],
  npm: [process.execPath, [join(PEERS, "xmlrpc-npm-client.mjs")]],
};
/** A client's arguments after its script; PORT SECONDS unless given here. */
const CLIENT_ARGS: Record<string, (port: number) => string[]> = {};
const LABEL: Record<string, string> = {
  netkit: "netkit",
  python3: "python3",
  npm: "npm xmlrpc",
};
// The floor: node:http's keep-alive client and a raw node:http server (GETs of
// 1 KiB, no XML-RPC at all), the peers of bench/http-client-keepalive.bench.ts.
SERVERS.floor = [process.execPath, [join(PEERS, "http-server.mjs")]];
CLIENTS.floor = [process.execPath, [join(PEERS, "http-get-clients.mjs"), "node-http"]];
LABEL.floor = "node:http";
// The lower floor: one connection of 64-byte lines through a raw node:net
// echo server, the peers of bench/socketserver-rr.bench.ts (the client takes
// the connection count before the seconds).
SERVERS.tcp = [process.execPath, [join(PEERS, "raw-echo.mjs")]];
CLIENTS.tcp = [process.execPath, [join(PEERS, "rr-client.mjs")]];
CLIENT_ARGS.tcp = (port) => [String(port), "1", String(seconds)];
LABEL.tcp = "node:net";
const PAIRS: Array<[client: string, server: string]> = [
  ["netkit", "netkit"],
  ["python3", "python3"],
  ["npm", "npm"],
  ["netkit", "python3"],
  ["python3", "netkit"],
  ["floor", "floor"],
  ["tcp", "tcp"],
];
const FLOORS = new Set(["floor", "tcp"]);

/** Runs a client pinned to core 1 and resolves with the JSON it prints last. */
function runClient(name: string, port: number): Promise<{ rps: number }> {
  const [command, args] = CLIENTS[name]!;
  const tail = CLIENT_ARGS[name]?.(port) ?? [String(port), String(seconds)];
  return runCommandJson(command, [...args, ...tail], 1, (seconds + 60) * 1000);
}

const started = Date.now();
const loadAtStart = loadavg()[0]!;
const rows: Row[] = PAIRS.map(([c, s]) => ({
  name:
    c === "floor"
      ? "floor: node:http client → node:http server (GET, no XML-RPC)"
      : c === "tcp"
        ? "floor: node:net 64-byte round trips, one connection (no HTTP)"
        : `${LABEL[c]} client → ${LABEL[s]} server`,
  value: 0,
  unit: "calls/s",
  netkit: c === "netkit" || s === "netkit",
}));
const connections: number[] = PAIRS.map(() => 0);
// Pairs take turns over several rounds and each keeps its best: a burst of
// load from elsewhere then hits every pair alike instead of one.
for (let round = 0; round < rounds; round++) {
  for (const [i, [c, s]] of PAIRS.entries()) {
    const [cmd, args] = SERVERS[s]!;
    const peer = await startPeer(`${s} server`, cmd, args, 0);
    let r: { rps: number };
    try {
      r = await runClient(c, peer.port);
    } finally {
      const n = (await stopAndReadCounts(peer)).CONNECTIONS ?? Number.NaN;
      if (!Number.isNaN(n)) connections[i] = Math.max(connections[i]!, n);
    }
    console.log(`  round ${round + 1}: ${rows[i]!.name}: ${Math.round(r.rps)} calls/s`);
    rows[i]!.value = Math.max(rows[i]!.value, r.rps);
  }
}

const ours = rows[0]!.value;
const python = rows[1]!.value;
const npm = rows[2]!.value;
const reference = Math.max(python, npm);
const httpFloor = rows[PAIRS.findIndex(([c]) => c === "floor")]!.value;
const tcpFloor = rows[PAIRS.findIndex(([c]) => c === "tcp")]!.value;
const ratio = ours / reference;
record({
  bench: "xmlrpc-calls",
  title: "XML-RPC: sequential add(a, b) calls over one kept-alive connection (higher is better)",
  better: "higher",
  command: "npm run bench -- xmlrpc-calls",
  date: new Date().toISOString().slice(0, 10),
  machine: machine(),
  rows,
  goal: {
    text: `netkit client + server at least 3x the faster of python3 + python3 and npm xmlrpc + npm xmlrpc (measured ${ratio.toFixed(2)}x ${python >= npm ? "python3" : "npm xmlrpc"})`,
    met: ratio >= 3,
  },
  notes: [
    `netkit + netkit: ${(ours / python).toFixed(2)}x python3 + python3, ${(ours / npm).toFixed(2)}x npm xmlrpc + npm xmlrpc.`,
    `Connections each XML-RPC server accepted per run (1 = the client kept its connection): ${PAIRS.filter(
      ([c]) => !FLOORS.has(c),
    )
      .map(([c, s], i) => `${LABEL[c]} → ${LABEL[s]} ${connections[i]}`)
      .join(", ")}.`,
    `The floor rows are the transport alone on this machine. node:http keep-alive GETs of 1 KiB against a raw node:http server (no XML-RPC): netkit + netkit is ${(ours / httpFloor).toFixed(2)}x of it, and 3x python3 + python3 would be ${((3 * python) / httpFloor).toFixed(2)}x of it. Bare 64-byte round trips between two Node processes (no HTTP): netkit + netkit is ${(ours / tcpFloor).toFixed(2)}x of them; 3x python3 + python3 would leave ${Math.max(0, 1e6 / (3 * python) - 1e6 / tcpFloor).toFixed(0)} µs per call for both sides' HTTP and XML-RPC work.`,
    `${seconds} s per pair after 1 s of warm-up, best of ${rounds} rounds; every call's result is checked.`,
    `Load average (1 min) at the start and end of the run: ${loadAtStart.toFixed(2)}, ${loadavg()[0]!.toFixed(2)} (2 cores; other work on the machine makes the numbers noisier).`,
  ],
});
console.log(`(${((Date.now() - started) / 1000).toFixed(1)} s)`);
