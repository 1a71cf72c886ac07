/**
 * Request/response through an echo server: 50 concurrent connections each
 * send a 64-byte line and wait for the echo. netkit's ThreadingTCPServer +
 * StreamRequestHandler (readline/write) against a raw node:net echo server and
 * python3's ThreadingTCPServer. Goal (issue 2): at least 0.9x raw node:net.
 *
 *   npm run bench -- socketserver-rr     (seconds per run = 4, rounds = 3; best of the rounds)
 */
import { join } from "node:path";
import { BUILT_PEERS, machine, PEERS, PYTHON, type Row, record, runJson, startPeer } from "./_lib.js";

const seconds = Number(process.argv[2] ?? 4);
const peers: Array<[string, string, string[], boolean]> = [
  ["raw node:net echo", process.execPath, [join(PEERS, "raw-echo.mjs")], false],
  [
    "netkit ThreadingTCPServer (readline/write)",
    process.execPath,
    [join(BUILT_PEERS, "netkit-echo.js")],
    true,
  ],
  ["python3 ThreadingTCPServer", PYTHON, [join(PEERS, "python_echo.py")], false],
];

// Peers take turns over several rounds and each keeps its best: a burst of
// load from elsewhere then hits every peer alike instead of one.
const rounds = Number(process.argv[3] ?? 3);
const rows: Row[] = peers.map(([name, , , netkit]) => ({ name, value: 0, unit: "req/s", netkit }));
for (let round = 0; round < rounds; round++) {
  for (const [i, [name, cmd, args]] of peers.entries()) {
    const peer = await startPeer(name, cmd, args, 0);
    try {
      const r = await runJson<{ rps: number }>(
        join(PEERS, "rr-client.mjs"),
        [String(peer.port), "50", String(seconds), "1"],
        1,
      );
      rows[i]!.value = Math.max(rows[i]!.value, r.rps);
    } finally {
      await peer.stop();
    }
  }
}
const raw = rows[0]!.value;
const ours = rows[1]!.value;
record({
  bench: "socketserver-rr",
  title: "Request/response: 50 connections, 64-byte line echo (higher is better)",
  better: "higher",
  command: "npm run bench -- socketserver-rr",
  date: new Date().toISOString().slice(0, 10),
  machine: machine(),
  rows,
  goal: {
    text: `netkit at least 0.9x raw node:net (measured ${(ours / raw).toFixed(2)}x)`,
    met: ours / raw >= 0.9,
  },
});
