#!/usr/bin/env node
// Runs the test suite on Node's own test runner with tsx as the TypeScript loader.
// Node 20's `--test` does not expand globs, so this script finds the files.
//   node scripts/run-tests.mjs [dir-or-file ...] [--exclude dir ...]
// Extra flags after `--` go to `node --test` (e.g. `-- --test-name-pattern=urlsplit`).
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const args = process.argv.slice(2);
const dashdash = args.indexOf("--");
const passthrough = dashdash >= 0 ? args.slice(dashdash + 1) : [];
const own = dashdash >= 0 ? args.slice(0, dashdash) : args;
const roots = [];
const excludes = [];
for (let i = 0; i < own.length; i++) {
  if (own[i] === "--exclude") excludes.push(own[++i]);
  else roots.push(own[i]);
}
if (roots.length === 0) roots.push("test");

function walk(path, out) {
  const rel = relative(process.cwd(), path);
  if (excludes.some((ex) => rel === ex || rel.startsWith(`${ex}/`))) return out;
  if (statSync(path).isDirectory()) {
    for (const name of readdirSync(path).sort()) walk(join(path, name), out);
  } else if (/\.test\.(ts|mts|js|mjs)$/.test(path)) {
    out.push(path);
  }
  return out;
}

const files = roots.flatMap((root) => walk(root, []));
if (files.length === 0) {
  console.error(`No test files found under ${roots.join(", ")}`);
  process.exit(1);
}
// Network tests mostly wait on sockets, so run more files than cores.
// NETKIT_TEST_CONCURRENCY overrides (to measure, or to spare a busy machine).
const concurrency = Number(process.env.NETKIT_TEST_CONCURRENCY) || Math.max(2, availableParallelism() * 2);
// Each file, and each test without its own timeout, is stopped after 10 minutes.
// A guard against hangs, not a speed limit: on a loaded machine the slowest files
// (npm pack, the differential property tests) take minutes.
// The suite runs in its own process group, so what it leaves running (a server
// a test file started, orphaned when the runner stopped that file at its
// timeout) is stopped with it instead of outliving the run.
// TAP goes to the terminal as it comes; the failures, gathered by a second
// reporter into a file, are printed again after the suite, so they end the log.
const failuresDir = mkdtempSync(join(tmpdir(), "netkit-test-"));
const failuresFile = join(failuresDir, "failures.txt");
const failuresReporter = fileURLToPath(new URL("./test-failures-reporter.mjs", import.meta.url));
const suite = spawn(
  process.execPath,
  [
    "--import",
    "tsx",
    "--test",
    `--test-concurrency=${concurrency}`,
    "--test-timeout=600000",
    "--test-reporter=tap",
    "--test-reporter-destination=stdout",
    `--test-reporter=${failuresReporter}`,
    `--test-reporter-destination=${failuresFile}`,
    ...passthrough,
    ...files,
  ],
  { stdio: "inherit", detached: process.platform !== "win32" },
);
/** Sends `signal` to the suite's process group; false when the group is empty. */
function signalGroup(signal) {
  try {
    process.kill(-suite.pid, signal);
    return true;
  } catch {
    return false;
  }
}
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(signal, () => {
    if (process.platform === "win32" || !signalGroup(signal)) suite.kill(signal);
  });
}
/** Prints what the failures reporter gathered (nothing when every test passed), then removes its file. */
function printFailures() {
  try {
    const text = readFileSync(failuresFile, "utf8");
    if (text) process.stdout.write(text);
  } catch {
    // No file: the suite ended before its reporters did (a signal); TAP said what it could.
  }
  rmSync(failuresDir, { recursive: true, force: true });
}
suite.on("exit", (code) => {
  if (process.platform !== "win32") signalGroup("SIGKILL");
  printFailures();
  process.exit(code ?? 1);
});
