/**
 * The `@example` blocks of the TSDoc in src/ compile and run, so the
 * reference docs cannot rot: each ```ts block is written out as a module
 * (test/docs/_examples.ts), the lot is type-checked with the repository's
 * compiler options, and every block not marked `no-run` is run, in one child
 * process, each within a time bound. Examples use loopback servers on port 0
 * that they start themselves. The ```ts snippets of the guides in docs/ are
 * type-checked too.
 */
import assert from "node:assert/strict";
import { fork, spawn, spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { peerSkip } from "../_support/peers.js";
import { HAS_OPENSSL, makePKI } from "../_support/tls.js";
import {
  extractExamples,
  extractGuideSnippets,
  type Generated,
  generateExamples,
  root,
  typeCheck,
} from "./_examples.js";

const examples = extractExamples();
const guides = extractGuideSnippets();
const generated = generateExamples([...examples, ...guides], join(root, "test-artifacts", "examples"));

// The no-run examples (type-checked only) need what no test has: the
// internet. A ratchet: the number may go down, never up.
const MAX_NO_RUN = 1;

test("@example blocks: there are some, and at most MAX_NO_RUN are marked no-run", () => {
  assert.ok(examples.length >= 100, `found only ${examples.length} examples`);
  const noRun = examples.filter((e) => e.noRun);
  assert.ok(
    noRun.length <= MAX_NO_RUN,
    `${noRun.length} no-run examples, more than ${MAX_NO_RUN}: ${noRun.map((e) => e.where).join(", ")}`,
  );
});

test("the guides in docs/ have snippets", () => {
  assert.ok(guides.length >= 4, `found only ${guides.length} snippets in docs/*.md`);
});

test("@example blocks and the guides' snippets type-check", { timeout: 300_000 }, () => {
  const errors = typeCheck(generated);
  assert.deepEqual(errors, [], `examples that do not compile:\n${errors.join("\n")}`);
});

test("@example blocks run", { timeout: 300_000 }, async () => {
  const runnable = generated.filter((g) => !g.noRun && !g.setting);
  const failures = await runAll(runnable, 30_000);
  assert.deepEqual(failures, [], `examples that failed:\n${failures.join("\n\n")}`);
});

/** Runs the examples in one child process; the failures, each with its place in src/. */
function runAll(runnable: Generated[], perExampleMs: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const failures: string[] = [];
    const seen = new Set<number>();
    const child = fork(
      join(import.meta.dirname, "_run-examples.ts"),
      [String(perExampleMs), ...runnable.map((g) => g.path)],
      { execArgv: ["--import", "tsx"], stdio: ["ignore", "ignore", "pipe", "ipc"], cwd: root },
    );
    let stderr = "";
    child.stderr!.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    // The whole run is bounded too: every example's bound, plus start-up.
    const overall = setTimeout(() => child.kill("SIGKILL"), perExampleMs * runnable.length + 60_000);
    child.on("message", (message: { index: number; error: string | null }) => {
      seen.add(message.index);
      if (message.error !== null) failures.push(`${runnable[message.index]!.where}: ${message.error}`);
    });
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      clearTimeout(overall);
      if (seen.size < runnable.length) {
        const missing = runnable.filter((_, i) => !seen.has(i)).map((g) => g.where);
        failures.push(`the runner exited (${code ?? signal}) before ${missing.join(", ")}:\n${stderr}`);
      }
      resolve(failures);
    });
  });
}

/** Brings up loopback in the new network namespace, then runs the command. */
const NAMESPACE_UP = 'PATH="$PATH:/usr/sbin:/sbin"; ip link set lo up && exec "$@"';
/** True when this machine gives a process a network namespace of its own (`unshare -rn`, `ip`). */
const hasNamespaces =
  spawnSync("unshare", ["-rn", "sh", "-c", NAMESPACE_UP, "sh", "true"], { stdio: "ignore" }).status === 0;

test("@example blocks of a reader's world or a server run, each in a network namespace of its own", {
  skip: peerSkip("unshare -rn and ip (a network namespace per example)", hasNamespaces && HAS_OPENSSL),
  timeout: 600_000,
}, async () => {
  const settled = generated.filter((g) => g.setting);
  assert.ok(settled.length >= 30, `found only ${settled.length} world and serves= examples`);
  const failures: string[] = [];
  const queue = [...settled];
  // Three at a time: each is a process with its own servers, and some fork workers.
  await Promise.all(
    [1, 2, 3].map(async () => {
      for (let g = queue.shift(); g; g = queue.shift()) {
        const error = await runInWorld(g, 60_000);
        if (error !== null) failures.push(`${g.where} (${g.setting}): ${error}`);
      }
    }),
  );
  assert.deepEqual(failures, [], `examples that failed:\n${failures.join("\n\n")}`);
});

/** The files a reader's folder holds: the test CA and a server certificate, cookie files. */
function readersFolder(): string {
  const pki = makePKI();
  const dir = mkdtempSync(join(tmpdir(), "netkit-example-"));
  mkdirSync(join(dir, "uploads"));
  copyFileSync(pki.caFile, join(dir, "ca.pem"));
  copyFileSync(pki.server.certFile, join(dir, "cert.pem"));
  copyFileSync(pki.server.keyFile, join(dir, "key.pem"));
  writeFileSync(
    join(dir, "cookies.lwp"),
    '#LWP-Cookies-2.0\nSet-Cookie3: sid=abc; path="/"; domain="example.org"; path_spec; discard; version=0\n',
  );
  writeFileSync(
    join(dir, "cookies.txt"),
    "# Netscape HTTP Cookie File\n.example.org\tTRUE\t/\tFALSE\t4102444800\tsid\tabc\n",
  );
  return dir;
}

/** Runs one example through test/docs/_run-world.ts in a namespace and folder of its own; null when it passed. */
function runInWorld(g: Generated, limitMs: number): Promise<string | null> {
  const dir = readersFolder();
  const runner = join(import.meta.dirname, "_run-world.ts");
  const args = [
    "-rn",
    "sh",
    "-c",
    NAMESPACE_UP,
    "sh",
    process.execPath,
    "--import",
    import.meta.resolve("tsx"),
    runner,
  ];
  const child = spawn("unshare", [...args, g.setting!, g.path, String(limitMs)], {
    cwd: dir,
    detached: true,
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  // The runner has its own deadline; this one also ends what it forked, if it hangs anyway.
  const killer = setTimeout(() => process.kill(-child.pid!, "SIGKILL"), limitMs + 30_000);
  return new Promise((resolve) => {
    child.on("close", (code, signal) => {
      clearTimeout(killer);
      try {
        process.kill(-child.pid!, "SIGKILL"); // forked workers, when the example had them
      } catch {
        // the group is gone already
      }
      rmSync(dir, { recursive: true, force: true });
      resolve(code === 0 ? null : `exit ${code ?? signal}: ${stderr}`);
    });
  });
}
