/**
 * The `@example` blocks of the TSDoc in src/ compile and run, so the
 * reference docs cannot rot: each ```ts block is written out as a module
 * (test/docs/_examples.ts), the lot is type-checked with the repository's
 * compiler options, and every block not marked `no-run` is run, in one child
 * process, each within a time bound. Examples use loopback servers on port 0
 * that they start themselves.
 */
import assert from "node:assert/strict";
import { fork } from "node:child_process";
import { join } from "node:path";
import { test } from "node:test";
import { extractExamples, type Generated, generateExamples, root, typeCheck } from "./_examples.js";

const examples = extractExamples();
const generated = generateExamples(examples, join(root, "test-artifacts", "examples"));

test("@example blocks: there are some, and few are marked no-run", () => {
  assert.ok(examples.length >= 100, `found only ${examples.length} examples`);
  const noRun = examples.filter((e) => e.noRun);
  assert.ok(
    noRun.length <= examples.length / 5,
    `too many no-run examples: ${noRun.map((e) => e.where).join(", ")}`,
  );
});

test("@example blocks type-check", { timeout: 300_000 }, () => {
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
