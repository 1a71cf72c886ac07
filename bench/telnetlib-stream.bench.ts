/**
 * telnetlib receive throughput: a server sends an 8 MiB session (80-byte
 * lines, an escaped IAC in each, an IAC NOP every fourth line) and closes;
 * the client reads it all through the Telnet state machine. netkit's
 * `readSome()` loop and `readAll()` against python3's telnetlib
 * `read_some()` loop (both receive 50 bytes at a time, Python's size), in
 * one run, alternating, median of 3 rounds each. Server on one core,
 * client on the other.
 *
 *   npx tsx bench/telnetlib-stream.bench.ts   (or npm run bench -- telnetlib)
 */
import { join } from "node:path";
import { BUILT_PEERS, machine, PEERS, PYTHON, type Row, record, runCommandJson, startPeer } from "./_lib.js";

const SIZE = 8 * 1024 * 1024;
const ROUNDS = 3;

const clients: Array<[string, boolean, string, string[]]> = [
  ["netkit Telnet.readSome() loop", true, process.execPath, [join(BUILT_PEERS, "telnet-netkit-client.js")]],
  ["netkit Telnet.readAll()", true, process.execPath, [join(BUILT_PEERS, "telnet-netkit-client.js")]],
  ["python3 telnetlib read_some() loop", false, PYTHON, [join(PEERS, "telnet_client.py")]],
];

const server = await startPeer(
  "telnet stream server",
  process.execPath,
  [join(PEERS, "telnet-stream-server.mjs"), String(SIZE)],
  0,
);
const rates = new Map<string, number[]>(clients.map(([name]) => [name, []]));
try {
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, , cmd, args] of clients) {
      const mode = name.includes("readAll") ? ["all"] : [];
      const r = await runCommandJson<{ bytes: number; seconds: number }>(
        cmd,
        [...args, String(server.port), ...mode],
        1,
        300_000,
      );
      rates.get(name)!.push(r.bytes / r.seconds / 1e6);
    }
  }
} finally {
  await server.stop();
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const rows: Row[] = clients.map(([name, netkit]) => ({
  name,
  value: median(rates.get(name)!),
  unit: "MB/s",
  netkit,
}));
record({
  bench: "telnetlib-stream",
  title:
    "telnetlib: an 8 MiB session read through the Telnet state machine (MB/s of cooked data, higher is better)",
  better: "higher",
  command: "npm run bench -- telnetlib",
  date: new Date().toISOString().slice(0, 10),
  machine: machine(),
  rows,
  notes: [
    "Both receive 50 bytes at a time (Python's fill_rawq size, kept so that readSome and readEager return Python's bytes).",
    "python3's read_all() is not measured: it concatenates the cooked queue after every receive, quadratic in the session's size.",
  ],
});
