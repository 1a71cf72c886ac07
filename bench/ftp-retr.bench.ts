/**
 * FTP download speed: RETR of a 256 MiB file from Debian's pure-ftpd
 * (passive, binary), the data thrown away as it arrives: netkit's
 * `retrbinary` against python3's `ftplib.retrbinary`, the npm `basic-ftp`
 * (`downloadTo` a null stream), `curl ftp://... -o /dev/null`, and the
 * floor of any Node client: node:net alone, counting Node's own 'data'
 * events (bench/peers/ftp-raw-client.mjs), so a gap to curl that raw Node
 * shares is Node's, not ftplib's. Each
 * client runs alone, pinned to its own core, and times its whole session
 * (connect, login, RETR, QUIT); MB/s is the file's size over that time,
 * best of the rounds. The issue names vsftpd; Debian's vsftpd conflicts
 * with pure-ftpd here, so pure-ftpd serves (run as test/ftplib/_peers.ts
 * runs it: virtual user, own passive range). The file lives in the server's
 * temporary home and is removed with it.
 * Goal (issue 17): netkit at least 0.9x curl and ahead of the rest.
 *
 *   npm run bench -- ftp-retr     (3 rounds; MiB as first argument)
 *
 * Needs root (pure-ftpd) and pure-ftpd, curl, python3.
 */
import { closeSync, ftruncateSync, openSync, writeSync } from "node:fs";
import { join } from "node:path";
import { Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import { machine, PEERS, PYTHON, type Row, record, runCommandJson } from "./_lib.js";

const SELF = fileURLToPath(import.meta.url);
const BLOCK = 256 * 1024;

/** Client mode: `ftp-retr.bench.ts client netkit|npm PORT FILE` prints `{ "seconds": s, "bytes": n }`. */
async function client(kind: string, port: number, file: string): Promise<void> {
  const { PASSWORD, USER } = await import("../test/ftplib/_peers.js");
  // Loaded before the clock starts: compiling the module is not the download.
  const { FTP } = await import("../src/ftplib/index.js");
  const { Client } = await import("basic-ftp");
  const start = performance.now();
  let bytes = 0;
  if (kind === "netkit") {
    const ftp = await FTP.open("127.0.0.1", { port, user: USER, passwd: PASSWORD, timeout: 60 });
    await ftp.retrbinary(
      `RETR ${file}`,
      (b) => {
        bytes += b.length;
      },
      { blocksize: BLOCK },
    );
    await ftp.quit();
  } else {
    const c = new Client(60_000);
    await c.access({ host: "127.0.0.1", port, user: USER, password: PASSWORD });
    const sink = new Writable({
      write(chunk: Buffer, _enc, cb) {
        bytes += chunk.length;
        cb();
      },
    });
    await c.downloadTo(sink, file);
    c.close();
  }
  console.log(JSON.stringify({ seconds: (performance.now() - start) / 1000, bytes }));
}

const PY_CLIENT = `
import ftplib, json, sys, time
port, file, user, pw = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
start = time.perf_counter()
n = 0
def cb(b):
    global n
    n += len(b)
f = ftplib.FTP(timeout=60)
f.connect('127.0.0.1', port)
f.login(user, pw)
f.retrbinary('RETR ' + file, cb, ${BLOCK})
f.quit()
print(json.dumps({'seconds': time.perf_counter() - start, 'bytes': n}))
`;

async function main(): Promise<void> {
  const mib = Number(process.argv[2] ?? 256);
  const rounds = Number(process.argv[3] ?? 3);
  const size = mib * 1024 * 1024;
  const { PASSWORD, putFile, startPureFtpd, USER } = await import("../test/ftplib/_peers.js");
  const server = await startPureFtpd();
  try {
    const path = putFile(server, "big.bin", "");
    const fd = openSync(path, "r+");
    const chunk = Buffer.alloc(1024 * 1024);
    for (let i = 0; i < chunk.length; i++) chunk[i] = (i * 131) & 0xff;
    ftruncateSync(fd, 0);
    for (let done = 0; done < size; done += chunk.length)
      writeSync(fd, chunk, 0, Math.min(chunk.length, size - done));
    closeSync(fd);
    const rows: Row[] = [
      { name: "curl ftp:// -o /dev/null", value: 0, unit: "MB/s" },
      { name: "python3 ftplib.retrbinary (256 KiB blocks)", value: 0, unit: "MB/s" },
      { name: "npm basic-ftp downloadTo", value: 0, unit: "MB/s" },
      { name: "netkit ftplib.retrbinary (256 KiB blocks)", value: 0, unit: "MB/s", netkit: true },
      { name: "raw Node (node:net 'data' events, no library)", value: 0, unit: "MB/s" },
    ];
    type Timing = { seconds: number; bytes: number };
    const runs: Array<() => Promise<Timing>> = [
      () =>
        runCommandJson<Timing>("sh", [
          "-c",
          `curl -s -o /dev/null -w '{"seconds": %{time_total}, "bytes": %{size_download}}' ftp://${USER}:${PASSWORD}@127.0.0.1:${server.port}/big.bin`,
        ]),
      () => runCommandJson<Timing>(PYTHON, ["-c", PY_CLIENT, String(server.port), "big.bin", USER, PASSWORD]),
      () =>
        runCommandJson<Timing>(process.execPath, [
          "--import",
          "tsx",
          SELF,
          "client",
          "npm",
          String(server.port),
          "big.bin",
        ]),
      () =>
        runCommandJson<Timing>(process.execPath, [
          "--import",
          "tsx",
          SELF,
          "client",
          "netkit",
          String(server.port),
          "big.bin",
        ]),
      () =>
        runCommandJson<Timing>(process.execPath, [
          join(PEERS, "ftp-raw-client.mjs"),
          String(server.port),
          "big.bin",
          USER,
          PASSWORD,
        ]),
    ];
    for (let round = 0; round < rounds; round++) {
      // Alternate the order from round to round: figures drift on these machines.
      const order = round % 2 === 0 ? [0, 1, 2, 3, 4] : [4, 3, 2, 1, 0];
      for (const i of order) {
        const t = await runs[i]!();
        if (t.bytes !== size) throw new Error(`${rows[i]!.name} got ${t.bytes} bytes of ${size}`);
        rows[i]!.value = Math.max(rows[i]!.value, size / 1e6 / t.seconds);
      }
    }
    const [curl, py, npm, netkit, raw] = rows.map((r) => r.value) as [number, number, number, number, number];
    record({
      bench: "ftp-retr",
      title: `FTP RETR of ${mib} MiB from pure-ftpd, passive binary (higher is better)`,
      better: "higher",
      command: "npm run bench -- ftp-retr",
      date: new Date().toISOString().slice(0, 10),
      machine: machine(),
      rows,
      goal: {
        text: `netkit at least 0.9x curl and ahead of python3 and basic-ftp (measured ${(netkit / curl).toFixed(2)}x curl)`,
        met: netkit >= 0.9 * curl && netkit > py && netkit > npm,
      },
      notes: [
        "pure-ftpd serves (vsftpd, named by the issue, conflicts with it in Debian).",
        `netkit at ${(netkit / raw).toFixed(2)}x raw Node (node:net alone) in this run.`,
      ],
    });
  } finally {
    await server.stop();
  }
}

if (process.argv[2] === "client") await client(process.argv[3]!, Number(process.argv[4]), process.argv[5]!);
else await main();
