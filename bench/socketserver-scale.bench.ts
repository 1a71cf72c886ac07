/**
 * Scale: 10,000 concurrent idle connections held by one server process, each
 * having echoed one line (so its handler is running, blocked in readline).
 * Reports the server's resident memory. Goal (issue 2): netkit's
 * ThreadingTCPServer under 150 MB.
 *
 *   npx tsx bench/socketserver-scale.bench.ts [connections=10000]
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import {
  BUILT_PEERS,
  machine,
  PEERS,
  PYTHON,
  pinned,
  type Row,
  record,
  rssMB,
  sleep,
  startPeer,
} from "./_lib.js";

const connections = Number(process.argv[2] ?? 10_000);
const peers: Array<[string, string, string[], boolean]> = [
  ["netkit ThreadingTCPServer", process.execPath, [join(BUILT_PEERS, "netkit-echo.js")], true],
  ["raw node:net echo", process.execPath, [join(PEERS, "raw-echo.mjs")], false],
  ["python3 ThreadingTCPServer (a thread each)", PYTHON, [join(PEERS, "python_echo.py")], false],
];

async function hold(port: number): Promise<() => void> {
  const [cmd, args] = pinned(1, process.execPath, [
    join(PEERS, "idle-client.mjs"),
    String(port),
    String(connections),
  ]);
  const child = spawn(cmd, args, { stdio: ["pipe", "pipe", "inherit"] });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("clients did not connect within 120 s")), 120_000);
    child.stdout!.once("data", () => {
      clearTimeout(timer);
      resolve();
    });
    child.once("exit", (code) => reject(new Error(`idle clients exited with ${code}`)));
  });
  return () => {
    child.stdin!.end("stop\n");
    child.kill("SIGTERM");
  };
}

const rows: Row[] = [];
for (const [name, cmd, args, netkit] of peers) {
  const peer = await startPeer(name, cmd, args, 0);
  const pid = Number(peer.child.pid);
  try {
    const base = rssMB(pid);
    const release = await hold(peer.port);
    await sleep(1000);
    rows.push({
      name: `${name}: ${connections.toLocaleString("en-US")} idle connections`,
      value: rssMB(pid),
      unit: "MB RSS",
      netkit,
    });
    rows.push({ name: `${name}: at start`, value: base, unit: "MB RSS", netkit });
    release();
  } finally {
    await peer.stop();
  }
}
const ours = rows[0]!.value;
record({
  bench: "socketserver-scale",
  title: `Scale: resident memory of one server process holding ${connections.toLocaleString("en-US")} idle connections (lower is better)`,
  better: "lower",
  command: "npm run bench -- socketserver-scale",
  date: new Date().toISOString().slice(0, 10),
  machine: machine(),
  rows,
  goal: { text: `netkit under 150 MB (measured ${ours.toFixed(0)} MB)`, met: ours < 150 },
});
