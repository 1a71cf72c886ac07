/**
 * mailbox throughput: netkit/mailbox against python3's `mailbox` (3.11) on
 * the same files, in one run:
 *
 * - read: open an mbox of 2,000 messages of 10 KiB (20 MB), build its table
 *   of contents and parse every message (`for await (const m of
 *   box.iterValues())` / `for m in box`), in messages/s;
 * - add: append 1,000 messages to an mbox under the lock and flush, in messages/s;
 * - rewrite: remove every other message and flush (the temporary-file
 *   rewrite), in MB/s of the old file;
 * - Maildir: deliver 1,000 messages (tmp/, fsync, link into new/), in messages/s.
 *
 * No npm package reads these formats as a library, so python3 is the only peer.
 *
 *   npx tsx bench/mailbox-mbox.bench.ts
 *
 * Each measurement is the best of 3 passes; the script takes about a minute
 * and a half here (the fsyncs of add, flush and Maildir delivery dominate).
 * Results go to .bench-out/mailbox-mbox.json.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Maildir, mbox } from "../src/mailbox/index.js";
import { machine, mailMessage, type Row, record } from "./_lib.js";

const N = 2000;
const ADD = 1000;
const ROUNDS = 3;
const work = mkdtempSync(join(tmpdir(), "netkit-bench-mailbox-"));
const MESSAGES = Array.from({ length: N }, (_, i) =>
  Buffer.from(
    mailMessage(i, 10 * 1024)
      .toString("latin1")
      .replaceAll("\r\n", "\n"),
    "latin1",
  ),
);

/** The best time of `ROUNDS` passes of `fn`, in seconds. */
async function best(fn: (round: number) => Promise<void>): Promise<number> {
  let min = Number.POSITIVE_INFINITY;
  for (let r = 0; r < ROUNDS; r++) {
    const start = performance.now();
    await fn(r);
    min = Math.min(min, (performance.now() - start) / 1000);
  }
  return min;
}

// The shared input: a 20 MB mbox written once.
const source = join(work, "source.mbox");
{
  const box = await mbox.open(source);
  for (const m of MESSAGES) await box.add(m);
  await box.close();
}
const sourceMB = statSync(source).size / 1e6;

const ours = {
  read: await best(async () => {
    const box = await mbox.open(source);
    let n = 0;
    for await (const m of box.iterValues()) if (m.get("subject")) n++;
    await box.close();
    if (n !== N) throw new Error(`read ${n} messages, not ${N}`);
  }),
  add: await best(async (r) => {
    const box = await mbox.open(join(work, `nk-add-${r}`));
    await box.lock();
    for (let i = 0; i < ADD; i++) await box.add(MESSAGES[i]!);
    await box.flush();
    await box.unlock();
    await box.close();
  }),
  rewrite: await best(async (r) => {
    const path = join(work, `nk-rw-${r}`);
    copyFileSync(source, path);
    const box = await mbox.open(path);
    for (let i = 0; i < N; i += 2) await box.remove(i);
    await box.flush();
    await box.close();
  }),
  maildir: await best(async (r) => {
    const box = await Maildir.open(join(work, `nk-md-${r}`));
    for (let i = 0; i < ADD; i++) await box.add(MESSAGES[i]!);
  }),
};

const PY = `
import json, mailbox, os, shutil, sys, time
c = json.load(sys.stdin)
work, source, n, add = c["work"], c["source"], c["n"], c["add"]
msgs = [bytes(m, "latin-1") for m in c["messages"]]
def best(fn):
    t = float("inf")
    for r in range(3):
        s = time.perf_counter(); fn(r); t = min(t, time.perf_counter() - s)
    return t
def read(r):
    box = mailbox.mbox(source); k = sum(1 for m in box if m["subject"]); box.close()
    assert k == n
def add_(r):
    box = mailbox.mbox(os.path.join(work, "py-add-%d" % r)); box.lock()
    for m in msgs[:add]: box.add(m)
    box.flush(); box.unlock(); box.close()
def rewrite(r):
    p = os.path.join(work, "py-rw-%d" % r); shutil.copyfile(source, p)
    box = mailbox.mbox(p)
    for k in range(0, n, 2): box.remove(k)
    box.flush(); box.close()
def maildir(r):
    box = mailbox.Maildir(os.path.join(work, "py-md-%d" % r))
    for m in msgs[:add]: box.add(m)
print(json.dumps({"read": best(read), "add": best(add_), "rewrite": best(rewrite), "maildir": best(maildir)}))
`;
const py = spawnSync("python3", ["-c", PY], {
  input: JSON.stringify({
    work,
    source,
    n: N,
    add: ADD,
    messages: MESSAGES.slice(0, ADD).map((m) => m.toString("latin1")),
  }),
  encoding: "utf8",
  timeout: 600_000,
  maxBuffer: 64 * 1024 * 1024,
});
if (py.status !== 0) throw new Error(`python3 failed: ${py.stderr}`);
const theirs = JSON.parse(py.stdout) as typeof ours;
rmSync(work, { recursive: true, force: true });

const rows: Row[] = [
  { name: "netkit mbox read + parse", value: N / ours.read, unit: "msg/s", netkit: true },
  { name: "python3 mailbox.mbox read + parse", value: N / theirs.read, unit: "msg/s" },
];
const ratio = (a: number, b: number) => (b / a).toFixed(2);
record({
  bench: "mailbox-mbox",
  title: `mailbox: read and parse an mbox of ${N} messages of 10 KiB (${sourceMB.toFixed(1)} MB)`,
  better: "higher",
  command: "npx tsx bench/mailbox-mbox.bench.ts",
  date: new Date().toISOString(),
  machine: machine(),
  rows,
  notes: [
    `read + parse: netkit ${ratio(ours.read, theirs.read)}x python3.`,
    `add ${ADD} under the lock, then flush: netkit ${Math.round(ADD / ours.add)} msg/s, python3 ${Math.round(ADD / theirs.add)} msg/s (${ratio(ours.add, theirs.add)}x).`,
    `remove every other message and flush (rewrite through a temporary file, fsync, rename): netkit ${(sourceMB / ours.rewrite).toFixed(1)} MB/s, python3 ${(sourceMB / theirs.rewrite).toFixed(1)} MB/s (${ratio(ours.rewrite, theirs.rewrite)}x).`,
    `Maildir delivery (tmp/, fsync, link): netkit ${Math.round(ADD / ours.maildir)} msg/s, python3 ${Math.round(ADD / theirs.maildir)} msg/s (${ratio(ours.maildir, theirs.maildir)}x).`,
    `Best of ${ROUNDS} passes each; no npm package reads these formats as a library, so python3 is the only peer.`,
  ],
});
