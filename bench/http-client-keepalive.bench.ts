/**
 * Keep-alive GETs of a 1 KiB body, one at a time over one connection, from
 * netkit's HTTPConnection, node:http's client (keep-alive Agent) and undici's
 * Client, against the same raw node:http server (pinned to its own core).
 * Goal (issue 3): netkit at least 1.0x node:http.
 *
 *   npm run bench -- http-client-keepalive     (4 s per client, best of 3 rounds)
 */
import { join } from "node:path";
import { BUILT_PEERS, machine, PEERS, type Row, record, runJson, startPeer } from "./_lib.js";

const seconds = Number(process.argv[2] ?? 4);
const rounds = Number(process.argv[3] ?? 3);
const clients: Array<[string, string, string[], boolean]> = [
  ["node:http client (keep-alive Agent)", join(PEERS, "http-get-clients.mjs"), ["node-http"], false],
  ["undici Client", join(PEERS, "http-get-clients.mjs"), ["undici"], false],
  ["netkit HTTPConnection", join(BUILT_PEERS, "netkit-http-get.js"), [], true],
];
const rows: Row[] = clients.map(([name, , , netkit]) => ({ name, value: 0, unit: "req/s", netkit }));
const server = await startPeer("node:http server", process.execPath, [join(PEERS, "http-server.mjs")], 0);
try {
  for (let round = 0; round < rounds; round++) {
    for (const [i, [, script, args]] of clients.entries()) {
      const r = await runJson<{ rps: number }>(script, [...args, String(server.port), String(seconds)], 1);
      rows[i]!.value = Math.max(rows[i]!.value, r.rps);
    }
  }
} finally {
  await server.stop();
}
const ratio = rows[2]!.value / rows[0]!.value;
record({
  bench: "http-client-keepalive",
  title: "HTTP client: keep-alive GETs of 1 KiB over one connection (higher is better)",
  better: "higher",
  command: "npm run bench -- http-client-keepalive",
  date: new Date().toISOString().slice(0, 10),
  machine: machine(),
  rows,
  goal: { text: `netkit at least 1.0x node:http (measured ${ratio.toFixed(2)}x)`, met: ratio >= 1.0 },
});
