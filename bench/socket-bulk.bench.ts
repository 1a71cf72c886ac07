/**
 * Bulk transfer: one connection streams 256 MiB through an echo server and
 * back. netkit's Socket (sendall/recv on both ends) against raw node:net on
 * both ends. Goal (issue 2): at least 0.9x raw node:net.
 *
 *   npx tsx bench/socket-bulk.bench.ts [mebibytes=256]
 */
import { join } from "node:path";
import { BUILT_PEERS, machine, PEERS, type Row, record, runJson, startPeer } from "./_lib.js";

const mib = process.argv[2] ?? "256";
const rows: Row[] = [];
const pairs: Array<[string, string, string, boolean]> = [
  [
    "raw node:net (pipe echo, write/data client)",
    join(PEERS, "raw-echo.mjs"),
    join(PEERS, "bulk-client-raw.mjs"),
    false,
  ],
  [
    "netkit Socket (recv/sendall both ends)",
    join(BUILT_PEERS, "netkit-socket-echo.js"),
    join(BUILT_PEERS, "bulk-client-netkit.js"),
    true,
  ],
];
// Best of five rounds, each side alike: a run takes a third of a second, and
// which core the kernel wakes decides a lot in so short a time.
for (let round = 0; round < 5; round++) {
  for (const [name, server, client, netkit] of pairs) {
    const peer = await startPeer(name, process.execPath, [server], 0);
    try {
      const r = await runJson<{ mbps: number }>(client, [String(peer.port), mib], 1, 180_000);
      const existing = rows.find((row) => row.name === name);
      if (!existing) rows.push({ name, value: r.mbps, unit: "MB/s", netkit });
      else existing.value = Math.max(existing.value, r.mbps);
    } finally {
      await peer.stop();
    }
  }
}

const ratio = rows[1]!.value / rows[0]!.value;
record({
  bench: "socket-bulk",
  title: `Bulk: ${mib} MiB through an echo server and back, one connection (higher is better)`,
  better: "higher",
  command: "npm run bench -- socket-bulk",
  date: new Date().toISOString().slice(0, 10),
  machine: machine(),
  rows,
  goal: { text: `netkit at least 0.9x raw node:net (measured ${ratio.toFixed(2)}x)`, met: ratio >= 0.9 },
});
