/**
 * Interop: netkit's `findmatch` against Debian's `run-mailcap --norun` on
 * this machine's /etc/mailcap (package `mailcap`), for every type in it plus
 * wildcard and unknown ones, for the actions view, edit and print: the same
 * command, or both finding none.
 *
 * run-mailcap is not Python, and where its semantics differ the test says so
 * and adjusts what it expects, rather than leaving the type out:
 * - a command without `%s` gets the file on stdin (`cmd <file`, or before
 *   the first `|`); Python's (and netkit's) `findmatch` leave it as it is;
 * - a `needsterminal` entry is skipped when stdout is no terminal (and no
 *   DISPLAY): run-mailcap runs under `script`, on a pseudo-terminal, so it
 *   takes them as Python does;
 * - a `copiousoutput` entry is piped to a pager: `--nopager` turns that off;
 * - a command that is `false` (or ends in `/false`) is skipped by run-mailcap
 *   only: a type whose netkit command is that is left out, and counted;
 * - `%{name}` is an environment variable to run-mailcap, a MIME parameter to
 *   Python: no parameters are passed here, and Debian's file has none.
 * Both run the `test=` commands, with DISPLAY unset for both.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { findmatch, getcaps, type MailcapCaps, type MailcapEntry } from "../../src/mailcap/index.js";
import { hasCommand, peerSkip } from "../_support/peers.js";

const skip =
  peerSkip(
    "mailcap (run-mailcap, /etc/mailcap)",
    existsSync("/usr/bin/run-mailcap") && existsSync("/etc/mailcap"),
  ) || peerSkip("script (bsdutils)", hasCommand("script", ["--version"]));

const dir = mkdtempSync(join(tmpdir(), "netkit-run-mailcap-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const file = join(dir, "file.dat"); // only safe characters: run-mailcap would alias any other name
writeFileSync(file, "hello\n");

const ENV: NodeJS.ProcessEnv = { ...process.env, MAILCAPS: "/etc/mailcap", SHELL: "/bin/sh" };
delete ENV.DISPLAY;

/** run-mailcap's answer for each type, one line each: the command, or its "Error: ..." line. */
function runMailcap(action: string, types: string[]): Promise<string[]> {
  const args = types.map((t) => `'${t}:${file}'`).join(" ");
  const command = `exec run-mailcap --norun --nopager --action=${action} ${args}`;
  return new Promise((resolve, reject) => {
    // script(1) gives run-mailcap a terminal, so it takes needsterminal entries as Python does.
    execFile("script", ["-qec", command, "/dev/null"], { env: ENV, timeout: 120_000 }, (err, stdout) => {
      // run-mailcap exits non-zero when some type has no rule; its lines are what counts.
      if (err?.killed) {
        reject(err);
        return;
      }
      const lines = stdout
        .split(/\r?\n/)
        .filter((l) => l !== "" && !l.startsWith("       (for more information"));
      resolve(lines);
    });
  });
}

/** What run-mailcap prints for netkit's command: the command, with `<file` when it has no %s. */
function expected(command: string | null, field: string | undefined): string {
  if (command === null) return "Error";
  if (field !== undefined && /[^%]%s/.test(field)) return command;
  return command.includes("|") ? command.replace("|", `<${file} |`) : `${command} <${file}`;
}

describe("mailcap against run-mailcap (Debian)", { skip }, () => {
  const caps: MailcapCaps = (() => {
    const old = process.env.MAILCAPS;
    process.env.MAILCAPS = "/etc/mailcap";
    try {
      return getcaps();
    } finally {
      if (old === undefined) delete process.env.MAILCAPS;
      else process.env.MAILCAPS = old;
    }
  })();
  const types = [...caps.keys()].filter((t) => !t.includes("*"));
  for (const major of new Set(types.map((t) => t.split("/")[0]!))) types.push(`${major}/x-netkit-unknown`);
  types.push("application/x-netkit-none");

  for (const action of ["view", "edit", "print"]) {
    test(`findmatch() gives run-mailcap's ${action} command for each type in /etc/mailcap`, async () => {
      const theirs = await runMailcap(action, types);
      assert.equal(theirs.length, types.length, `one line a type:\n${theirs.join("\n")}`);
      let compared = 0;
      for (let i = 0; i < types.length; i++) {
        const type = types[i]!;
        const savedDisplay = process.env.DISPLAY;
        delete process.env.DISPLAY;
        let command: string | null;
        let entry: MailcapEntry | null;
        try {
          [command, entry] = await findmatch(caps, type, { key: action, filename: file });
        } finally {
          if (savedDisplay !== undefined) process.env.DISPLAY = savedDisplay;
        }
        if (command !== null && /(^|\/)false$/i.test(command)) continue; // run-mailcap skips such entries
        const want = expected(command, entry?.[action] as string | undefined);
        const got = theirs[i]!;
        if (want === "Error")
          assert.match(got, /^Error: no /, `${action} ${type}: netkit finds none, run-mailcap: ${got}`);
        else assert.equal(got, want, `${action} ${type}: run-mailcap / netkit`);
        compared++;
      }
      assert.ok(compared >= types.length - 2, `compared ${compared} of ${types.length}`);
    });
  }
});
