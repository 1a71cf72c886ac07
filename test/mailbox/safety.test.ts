/**
 * "Nothing lost": two processes adding to one mbox under the dot lock keep
 * all their messages (netkit with netkit, netkit with python3's mailbox);
 * a process killed in the middle of `flush()` leaves the old mailbox or the
 * new one, never a cut one; the lock is seen across processes and by python3.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { copyFileSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { ExternalClashError, mbox } from "../../src/mailbox/index.js";
import { PYTHON, python } from "../_support/python.js";

const root = join(import.meta.dirname, "..", "..");
const work = mkdtempSync(join(tmpdir(), "netkit-mailbox-safety-"));
after(() => rmSync(work, { recursive: true, force: true }));
const DEADLINE_MS = 240_000;

interface Ending {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a child (node with tsx, or python3) to its end; `onLine` sees each stdout line as it comes. */
function run(
  cmd: string,
  args: string[],
  onLine?: (line: string, kill: () => void) => void,
): Promise<Ending> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    const kill = () => child.kill("SIGKILL");
    child.stdout.on("data", (b: Buffer) => {
      for (const line of b.toString().split("\n")) if (line) onLine?.(line, kill);
      stdout += b.toString();
    });
    child.stderr.on("data", (b: Buffer) => (stderr += b.toString()));
    const timer = setTimeout(kill, DEADLINE_MS);
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const src = JSON.stringify(join(root, "src/mailbox/index.ts"));

/**
 * A netkit child adding `n` messages, five under each hold of the lock
 * (retrying while another holds it): without the lock, the two children's
 * appends overwrite each other (checked by disabling the lock).
 */
function netkitAdder(path: string, tag: string, n: number): Promise<Ending> {
  const code = `
import { mbox, ExternalClashError } from ${src};
const box = await mbox.open(${JSON.stringify(path)});
const deadline = Date.now() + ${DEADLINE_MS};
for (let i = 0; i < ${n}; i++) {
  for (;;) {
    try { await box.lock(); break; } catch (e) {
      if (!(e instanceof ExternalClashError) || Date.now() > deadline) throw e;
      await new Promise((r) => setImmediate(r));
    }
  }
  for (const end = Math.min(i + 5, ${n}); i < end; i++)
    await box.add("From: ${tag}@example.org\\nSubject: ${tag} " + i + "\\n\\nFrom ${tag} body " + i + "\\n");
  i--;
  await box.flush();
  await box.unlock();
}
await box.close();
console.log("done");
`;
  return run(process.execPath, ["--import", "tsx", "--input-type=module", "-e", code]);
}

/** A python3 child doing the same with python's mailbox (lockf and the dot lock). */
function pythonAdder(path: string, tag: string, n: number): Promise<Ending> {
  const code = `
import mailbox, time
box = mailbox.mbox(${JSON.stringify(path)})
deadline = time.time() + ${DEADLINE_MS / 1000}
for i in range(${n}):
    while True:
        try:
            box.lock(); break
        except mailbox.ExternalClashError:
            if time.time() > deadline: raise
            time.sleep(0.001)
    box.add(("From: ${tag}@example.org\\nSubject: ${tag} %d\\n\\nFrom ${tag} body %d\\n" % (i, i)).encode())
    box.flush()
    box.unlock()
box.close()
print("done")
`;
  return run(PYTHON, ["-c", code]);
}

async function subjects(path: string): Promise<string[]> {
  const box = await mbox.open(path);
  const out: string[] = [];
  for await (const m of box.iterValues()) out.push(String(m.get("subject")));
  await box.close();
  return out;
}

function expectAll(got: string[], tags: string[], n: number): void {
  const want = tags.flatMap((t) => Array.from({ length: n }, (_, i) => `${t} ${i}`)).sort();
  assert.deepEqual([...got].sort(), want);
}

test("mbox.add() under lock() keeps every message of two netkit processes adding at once", async () => {
  const path = join(work, "two-netkit");
  const ends = await Promise.all([netkitAdder(path, "a", 200), netkitAdder(path, "b", 200)]);
  for (const e of ends) assert.equal(e.stdout.trim(), "done", `exit ${e.code}: ${e.stderr}`);
  expectAll(await subjects(path), ["a", "b"], 200);
  assert.deepEqual(
    readdirSync(work).filter((f) => f.includes(".lock")),
    [],
  );
});

test("mbox.add() under lock() keeps every message when python3's mailbox adds at the same time", async () => {
  const path = join(work, "netkit-python");
  const ends = await Promise.all([netkitAdder(path, "n", 200), pythonAdder(path, "p", 200)]);
  for (const e of ends) assert.equal(e.stdout.trim(), "done", `exit ${e.code}: ${e.stderr}`);
  expectAll(await subjects(path), ["n", "p"], 200);
  const count = await python<number>(
    `import mailbox, json; print(json.dumps(len(mailbox.mbox(${JSON.stringify(path)}))))`,
  );
  assert.equal(count, 400);
});

test("mbox.lock() fails with ExternalClashError while another process (or python3) holds the lock", async () => {
  const path = join(work, "locked");
  const a = await mbox.open(path);
  await a.lock();
  const b = await mbox.open(path);
  await assert.rejects(b.lock(), ExternalClashError);
  await assert.rejects(b.lock(), { code: "ERR_MAILBOX_EXTERNAL_CLASH" });
  const py = await python<string>(
    `import mailbox, json\ntry:\n  mailbox.mbox(${JSON.stringify(path)}).lock(); print(json.dumps("locked"))\nexcept mailbox.ExternalClashError: print(json.dumps("clash"))`,
  );
  assert.equal(py, "clash");
  await a.unlock();
  await b.lock();
  await b.close();
  await a.close();
});

test("mbox.flush() killed at any point leaves the old mailbox or the new one, never a cut one", async (t) => {
  const master = join(work, "flush-master");
  const box = await mbox.open(master);
  const big = "x".repeat(70).concat("\n").repeat(150);
  for (let i = 0; i < 300; i++) await box.add(`Subject: m ${i}\n\n${big}From line ${i}\n`);
  await box.close();
  const old = Array.from({ length: 300 }, (_, i) => `m ${i}`);
  const outcomes = new Set<string>();
  for (const delay of [0, 1, 2, 4, 8, 16, 32, 64, 128, 1000]) {
    const path = join(work, `flush-${delay}`);
    copyFileSync(master, path);
    const code = `
import { mbox } from ${src};
const box = await mbox.open(${JSON.stringify(path)});
await box.remove(0);
console.log("go");
await box.flush();
console.log("flushed");
`;
    const end = await run(
      process.execPath,
      ["--import", "tsx", "--input-type=module", "-e", code],
      (line, kill) => {
        if (line === "go") setTimeout(kill, delay);
      },
    );
    const got = await subjects(path);
    const state = got.length === 300 ? "old" : "new";
    outcomes.add(state);
    assert.deepEqual(
      got,
      state === "old" ? old : old.slice(1),
      `killed after ${delay} ms (exit ${end.code}) ${end.stderr}`,
    );
  }
  t.diagnostic(`outcomes: ${[...outcomes].join(", ")}`);
});
