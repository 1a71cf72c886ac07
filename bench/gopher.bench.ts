/**
 * Gopher, both sides: netkit's `GopherServer` against Debian's gophernicus
 * (the real server, one process per connection as inetd runs it), and
 * netkit's client (`sendSelector` + `readMenu` / `readBinary`) against a
 * python3 client of a few lines over `socket` (Python 3 has no gopherlib;
 * Python 2's read the same way: send the selector, read to the end, split
 * menu lines on tabs) and curl, with raw Node (node:net alone) as the floor
 * of any Node client. Two tables, each client against each server:
 *
 * - menus/s: the root menu of a folder of 40 files, one connection each
 *   (connect, selector, read the menu to its `.` line, parse it, close);
 * - MB/s: a 10 MiB binary file (type 9), read to the server's close.
 *
 * Servers run pinned to core 0 (gophernicus under a small inetd, test/gopherlib/_gophernicus.ts,
 * itself pinned there, so its children are too), clients to core 1, one at
 * a time, each timing its own loop after start-up and half a second of
 * untimed warm-up (menus, then one file); best of the rounds, the
 * order alternating from round to round. netkit runs as a user gets it:
 * the default options (`ThreadingTCPServer`, 60 s timeouts, bounded reads).
 * Goal (issue 17): netkit ahead of every peer (its server ahead of
 * gophernicus for every client, its client ahead of python3 and curl for
 * every server).
 *
 *   npm run bench -- gopher        (2 s per menu run, 3 rounds)
 *   node .bench-out/build/bench/gopher.bench.js [seconds] [rounds]
 *
 * Needs gophernicus, curl, python3.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { machine, PEERS, PYTHON, type Row, record, runCommandJson, startPeer } from "./_lib.js";

const SELF = fileURLToPath(import.meta.url);
const FILE_BYTES = 10 * 1024 * 1024;
const MENU_FILES = 40;
/** Bounds of every client loop. */
const MAX_MENUS = 200_000;
const FILE_FETCHES = 5;
/** Seconds of untimed menus (and one untimed file) before each client's timed loop. */
const WARMUP = 0.5;

type Timing = { count: number; seconds: number; bytes: number };

/** Server mode: `gopher.bench.ts server netkit|gophernicus DIR` prints `PORT n` and serves until killed. */
async function server(kind: string, dir: string): Promise<void> {
  if (kind === "netkit") {
    const { GopherServer } = await import("../src/gopherlib/index.js");
    const srv = new GopherServer(["127.0.0.1", 0], { directory: dir });
    await srv.ready;
    console.log(`PORT ${srv.serverAddress[1]}`);
    await srv.serveForever(0.5);
  } else {
    const { startGophernicus } = await import("../test/gopherlib/_gophernicus.js");
    const g = await startGophernicus(dir);
    console.log(`PORT ${g.port}`);
    process.once("SIGTERM", () => void g.stop().then(() => process.exit(0)));
  }
}

/** Client mode: `gopher.bench.ts client menu|file PORT SECONDS` prints a Timing. */
async function client(what: string, port: number, seconds: number): Promise<void> {
  const { sendSelector } = await import("../src/gopherlib/index.js");
  const menu = async () => {
    await using reply = await sendSelector("", "127.0.0.1", port);
    const { items } = await reply.readMenu();
    if (items.length < MENU_FILES) throw new Error(`short menu: ${items.length} items`);
  };
  const file = async () => {
    await using reply = await sendSelector("/big.bin", "127.0.0.1", port);
    return (await reply.readBinary()).length;
  };
  // Warm-up, untimed (as the python3 client's): the JIT, not the network, would be measured.
  const warm = performance.now() + WARMUP * 1000;
  for (let i = 0; i < MAX_MENUS && performance.now() < warm; i++) await menu();
  if (what === "file") await file();
  const start = performance.now();
  const until = start + seconds * 1000;
  let count = 0;
  let bytes = 0;
  if (what === "menu") {
    for (; count < MAX_MENUS && (count === 0 || performance.now() < until); count++) await menu();
  } else {
    for (; count < FILE_FETCHES; count++) bytes += await file();
  }
  console.log(JSON.stringify({ count, seconds: (performance.now() - start) / 1000, bytes }));
}

const PY_CLIENT = `
import json, socket, sys, time
what, port, seconds = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])

def fetch(selector):
    s = socket.create_connection(("127.0.0.1", port), timeout=60)
    s.sendall(selector.encode() + b"\\r\\n")
    parts = []
    while True:
        b = s.recv(65536)
        if not b: break
        parts.append(b)
    s.close()
    return b"".join(parts)

def menu():
    items = []
    for line in fetch("").decode().split("\\r\\n"):
        if line == ".": break
        if line: items.append([line[0]] + line[1:].split("\\t"))
    if len(items) < ${MENU_FILES}: raise SystemExit("short menu: %d items" % len(items))

warm = time.perf_counter() + ${WARMUP}
while time.perf_counter() < warm: menu()
if what == "file": fetch("/big.bin")
start = time.perf_counter()
count = nbytes = 0
if what == "menu":
    while count < ${MAX_MENUS} and (count == 0 or time.perf_counter() - start < seconds):
        menu()
        count += 1
else:
    for count in range(1, ${FILE_FETCHES} + 1):
        nbytes += len(fetch("/big.bin"))
print(json.dumps({"count": count, "seconds": time.perf_counter() - start, "bytes": nbytes}))
`;

/** curl fetching `url` `n` times in one process (one connection each, as Gopher has). */
function curlArgs(url: string, n: number): string[] {
  const args = ["-s", "-w", "%{size_download}\\n"];
  for (let i = 0; i < n; i++) args.push("-o", "/dev/null", url);
  return args;
}

async function curlRun(url: string, n: number): Promise<Timing> {
  const start = performance.now();
  const run = spawnSync("taskset", ["-c", "1", "curl", ...curlArgs(url, n)], { encoding: "utf8" });
  const seconds = (performance.now() - start) / 1000;
  if (run.status !== 0) throw new Error(`curl exited with ${run.status}: ${run.stderr}`);
  const sizes = run.stdout.trim().split("\n").map(Number);
  return { count: sizes.length, seconds, bytes: sizes.reduce((a, b) => a + b, 0) };
}

async function main(): Promise<void> {
  const seconds = Number(process.argv[2] ?? 2);
  const rounds = Number(process.argv[3] ?? 3);
  const dir = mkdtempSync(join(tmpdir(), "netkit-gopher-bench-"));
  const root = join(dir, "root");
  mkdirSync(root);
  for (let i = 0; i < MENU_FILES; i++)
    writeFileSync(join(root, `file-${String(i).padStart(2, "0")}.txt`), `file ${i}\n`);
  const big = Buffer.alloc(FILE_BYTES);
  for (let i = 0; i < big.length; i++) big[i] = (i * 131) & 0xff;
  writeFileSync(join(root, "big.bin"), big);
  const servers = {
    netkit: await startPeer(
      "netkit GopherServer",
      process.execPath,
      [...tsx(), SELF, "server", "netkit", root],
      0,
    ),
    gophernicus: await startPeer(
      "gophernicus",
      process.execPath,
      [...tsx(), SELF, "server", "gophernicus", root],
      0,
    ),
  };
  const load: number[] = [];
  try {
    type Client = "netkit" | "python3" | "curl" | "raw Node";
    type Key = `${Client} → ${"netkit" | "gophernicus"}`;
    const menus = new Map<Key, number>();
    const files = new Map<Key, number>();
    const clientRun = (who: Client, what: "menu" | "file", port: number): Promise<Timing> => {
      if (who === "netkit")
        return runCommandJson<Timing>(
          process.execPath,
          [...tsx(), SELF, "client", what, String(port), String(seconds)],
          1,
        );
      if (who === "python3")
        return runCommandJson<Timing>(PYTHON, ["-c", PY_CLIENT, what, String(port), String(seconds)], 1);
      if (who === "raw Node")
        return runCommandJson<Timing>(
          process.execPath,
          [
            join(PEERS, "gopher-raw-client.mjs"),
            what,
            ...[port, seconds, WARMUP, MENU_FILES, FILE_FETCHES, MAX_MENUS].map(String),
          ],
          1,
        );
      return what === "menu"
        ? curlRun(`gopher://127.0.0.1:${port}/1/`, 200)
        : curlRun(`gopher://127.0.0.1:${port}/9/big.bin`, FILE_FETCHES);
    };
    const combos: Array<[Client, "netkit" | "gophernicus"]> = [];
    for (const who of ["netkit", "python3", "curl", "raw Node"] as const)
      for (const srv of ["netkit", "gophernicus"] as const) combos.push([who, srv]);
    for (let round = 0; round < rounds; round++) {
      load.push(loadavg()[0]!);
      const order = round % 2 === 0 ? combos : [...combos].reverse();
      for (const [who, srv] of order) {
        const key: Key = `${who} → ${srv}`;
        const port = servers[srv].port;
        const m = await clientRun(who, "menu", port);
        menus.set(key, Math.max(menus.get(key) ?? 0, m.count / m.seconds));
        const f = await clientRun(who, "file", port);
        if (f.bytes !== FILE_FETCHES * FILE_BYTES) throw new Error(`${key} got ${f.bytes} bytes`);
        files.set(key, Math.max(files.get(key) ?? 0, f.bytes / 1e6 / f.seconds));
      }
    }
    const rows = (values: Map<Key, number>, unit: string): Row[] =>
      combos.map(([who, srv]) => ({
        name: `${who === "netkit" ? "netkit client" : who} → ${srv === "netkit" ? "netkit GopherServer" : "gophernicus"}`,
        value: values.get(`${who} → ${srv}`)!,
        unit,
        ...(who === "netkit" || srv === "netkit" ? { netkit: true } : {}),
      }));
    const goal = (values: Map<Key, number>): { text: string; met: boolean } => {
      // Server: netkit's against gophernicus for each client; client: netkit's against each peer client per server.
      const ratios: number[] = [];
      for (const who of ["netkit", "python3", "curl"] as const)
        ratios.push(values.get(`${who} → netkit`)! / values.get(`${who} → gophernicus`)!);
      for (const srv of ["netkit", "gophernicus"] as const)
        for (const peer of ["python3", "curl"] as const)
          ratios.push(values.get(`netkit → ${srv}`)! / values.get(`${peer} → ${srv}`)!);
      const worst = Math.min(...ratios);
      return {
        text: `netkit ahead of every peer: its server against gophernicus per client, its client against python3 and curl per server (worst ratio ${worst.toFixed(2)}x)`,
        met: worst > 1,
      };
    };
    const notes = [
      `load average (1 min) at each round's start: ${load.map((l) => l.toFixed(1)).join(", ")} on ${machine()}`,
      "gophernicus runs one process per connection, started by a Node inetd (test/gopherlib/_gophernicus.ts) pinned to the server core.",
      "curl fetches all its URLs in one process; python3, netkit and raw Node time their loop after start-up and warm-up.",
      "raw Node (bench/peers/gopher-raw-client.mjs: node:net alone) is the floor of any Node client, outside the goal.",
    ];
    const table = (bench: string, title: string, values: Map<Key, number>, unit: string) => {
      const g = goal(values);
      record({
        bench,
        title,
        better: "higher",
        command: "npm run bench -- gopher",
        date: new Date().toISOString().slice(0, 10),
        machine: machine(),
        rows: rows(values, unit),
        goal: { text: g.text, met: g.met },
        notes,
      });
    };
    table(
      "gopher-menus",
      `Gopher menus/s: a ${MENU_FILES}-item root menu, one connection each (higher is better)`,
      menus,
      "menus/s",
    );
    table("gopher-file", "Gopher binary download: 10 MiB, type 9 (higher is better)", files, "MB/s");
  } finally {
    await servers.netkit.stop();
    await servers.gophernicus.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Node flags to run this file: none once compiled (`npm run bench`), tsx's loader when run as TypeScript. */
function tsx(): string[] {
  return SELF.endsWith(".ts") ? ["--import", "tsx"] : [];
}

if (process.argv[2] === "server") await server(process.argv[3]!, process.argv[4]!);
else if (process.argv[2] === "client")
  await client(process.argv[3]!, Number(process.argv[4]), Number(process.argv[5]));
else await main();
