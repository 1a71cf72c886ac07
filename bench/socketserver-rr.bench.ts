/**
 * Request/response through an echo server: 50 concurrent connections each
 * send a 64-byte line and wait for the echo. netkit's ThreadingTCPServer +
 * StreamRequestHandler (readline/write) against a raw node:net echo server and
 * python3's ThreadingTCPServer. Goal (issue 2): at least 0.9x raw node:net.
 *
 *   npx tsx bench/socketserver-rr.bench.ts [seconds=5]
 */
import { join } from "node:path";
import { BUILT_PEERS, machine, PEERS, type Row, record, runJson, startPeer } from "./_lib.js";

const seconds = Number(process.argv[2] ?? 5);
const peers: Array<[string, string, string[], boolean]> = [
  ["raw node:net echo", process.execPath, [join(PEERS, "raw-echo.mjs")], false],
  [
    "netkit ThreadingTCPServer (readline/write)",
    process.execPath,
    [join(BUILT_PEERS, "netkit-echo.js")],
    true,
  ],
  ["python3 ThreadingTCPServer", "python3", [join(PEERS, "python_echo.py")], false],
];

const rows: Row[] = [];
for (const [name, cmd, args, netkit] of peers) {
  const peer = await startPeer(name, cmd, args, 0);
  try {
    const r = await runJson<{ rps: number }>(
      join(PEERS, "rr-client.mjs"),
      [String(peer.port), "50", String(seconds), "1"],
      1,
    );
    rows.push({ name, value: r.rps, unit: "req/s", netkit });
  } finally {
    await peer.stop();
  }
}
const raw = rows[0]!.value;
const ours = rows[1]!.value;
record({
  bench: "socketserver-rr",
  title: "Request/response: 50 connections, 64-byte line echo (higher is better)",
  better: "higher",
  command: "npx tsx bench/socketserver-rr.bench.ts",
  date: new Date().toISOString().slice(0, 10),
  machine: machine(),
  rows,
  goal: {
    text: `netkit at least 0.9x raw node:net (measured ${(ours / raw).toFixed(2)}x)`,
    met: ours / raw >= 0.9,
  },
});
