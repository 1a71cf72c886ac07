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
import { fork } from "node:child_process";
import { join } from "node:path";
import { test } from "node:test";
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

// The no-run examples (type-checked only) need a server the reader runs at a
// fixed address, the internet, a file the reader has, or a process that
// serves until killed. A ratchet: the number may go down, never up.
const MAX_NO_RUN = 37;

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
  const runnable = generated.filter((g) => !g.noRun);
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
