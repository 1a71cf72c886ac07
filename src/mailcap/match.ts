/**
 * Using the mailcap database: Python 3.11's `mailcap.lookup` and
 * `findmatch`, and the runner for `test=` commands.
 *
 * ```text
 * findmatch(caps, type, { key, filename, plist })
 *   filename unsafe? ──► [null, null] + warning
 *   lookup(caps, type, key): entries of type, then of major/*, by lineno
 *   for each: test= command? run it (sh -c, timeout): non-zero ─► next entry
 *             subst(entry[key]) null (unsafe %t or %{...}) ─► next entry
 *             else ─► [command, entry]
 * ```
 *
 * A `test=` command runs as `/bin/sh -c TEST` (Python's `os.system`), with
 * the environment of this process, stdin and stdout and stderr on
 * `/dev/null` (as Debian's `run-mailcap` runs it; Python leaves them on the
 * terminal), in a process group of its own; after `timeout` seconds the
 * group is killed and the test counts as failed (Python waits forever).
 * Python 3.11 substitutes the test with its arguments shifted (the file name
 * for `%t`, and a `%s` raises TypeError); netkit substitutes it as the
 * command itself, with the same checks.
 *
 * @module
 */
import { spawn } from "node:child_process";
import { ValueError } from "../errors/index.js";
import { DEFAULT_TEST_TIMEOUT } from "./limits.js";
import type { MailcapCaps, MailcapEntry } from "./parse.js";
import { isUnsafe, subst, unsafeFilenameMessage, warnUnsafe } from "./subst.js";

/**
 * Python's `mailcap.lookup(caps, MIMEtype, key)`: the entries for
 * `MIMEtype`, then those for its major type's wildcard (`text/*`), those
 * without `key` left out, sorted by `lineno` (entries without one last; the
 * sort is stable). `MIMEtype` is used as given: the table's keys are lower
 * case, so pass a lower-case type.
 *
 * @param key keep only entries that have this field @default null (keep all)
 * @example
 * ```ts
 * const caps = readmailcapfile("text/*; less %s\ntext/plain; cat %s; copiousoutput\n");
 * lookup(caps, "text/plain").map((e) => e.view); // ["cat %s", "less %s"]
 * ```
 */
export function lookup(caps: MailcapCaps, MIMEtype: string, key: string | null = null): MailcapEntry[] {
  let entries = [...(caps.get(MIMEtype) ?? []), ...(caps.get(`${MIMEtype.split("/")[0]}/*`) ?? [])];
  if (key !== null) entries = entries.filter((e) => key in e);
  // Python's lineno_sort_key: (0, lineno) for numbered entries, (1, 0) for the others.
  return entries.sort((a, b) => {
    if (a.lineno === undefined) return b.lineno === undefined ? 0 : 1;
    if (b.lineno === undefined) return -1;
    return a.lineno - b.lineno;
  });
}

/**
 * Runs a `test=` command with `/bin/sh -c`: true when it exits 0 within
 * `timeout` seconds. The command's process group is killed at the deadline.
 * What `findmatch` uses unless it is given its own `runTest`.
 *
 * @param command the substituted test command
 * @param timeout seconds to wait (`Infinity`: no deadline) @default DEFAULT_TEST_TIMEOUT
 * @returns whether the test passed (false too when the shell cannot start)
 * @throws ValueError (a rejection) when `timeout` is negative or not a number
 */
export function runTestCommand(command: string, timeout: number = DEFAULT_TEST_TIMEOUT): Promise<boolean> {
  if (typeof timeout !== "number" || Number.isNaN(timeout) || timeout < 0) {
    const error = new ValueError(
      `Cannot run test command: timeout ${String(timeout)} is not a number of seconds`,
    );
    return Promise.reject(error);
  }
  // A NUL cannot reach a command line (Python's os.system raises ValueError): the test fails.
  if (command.includes("\0")) return Promise.resolve(false);
  return new Promise((resolve) => {
    const child = spawn("/bin/sh", ["-c", command], { stdio: "ignore", detached: true });
    // Past setTimeout's range (Infinity included) there is no deadline, as in Python.
    const timer =
      timeout * 1000 >= 2 ** 31
        ? undefined
        : setTimeout(() => {
            try {
              process.kill(-child.pid!, "SIGKILL");
            } catch (err) {
              // ESRCH: the group ended between the deadline and the kill.
              if ((err as NodeJS.ErrnoException).code !== "ESRCH") throw err;
            }
            resolve(false);
          }, timeout * 1000);
    child.once("error", () => {
      clearTimeout(timer);
      resolve(false);
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve(code === 0);
    });
  });
}

/** Options of {@link findmatch}: Python's keyword arguments, and the test runner's. */
export interface FindmatchOptions {
  /** The action: the field whose command is wanted (`view`, `edit`, `compose`, `print`, ...). @default "view" */
  key?: string;
  /** The file for `%s`. @default "/dev/null" */
  filename?: string;
  /** MIME parameters as `"name=value"` strings, for `%{name}`. @default [] */
  plist?: readonly string[];
  /** Seconds a `test=` command may run before it is killed and counts as failed (`Infinity`: no deadline). @default 5 */
  timeout?: number;
  /**
   * Runs a substituted `test=` command and says whether it passed; replaces
   * the shell (to log tests, or to run none: `() => false`).
   * @default runTestCommand
   */
  runTest?: (command: string) => boolean | Promise<boolean>;
}

/**
 * Python's `mailcap.findmatch(caps, MIMEtype, key, filename, plist)`: the
 * command for the first entry (in {@link lookup}'s order) that has `key`,
 * passes its `test=` command and substitutes safely, with that entry.
 * Flags such as `needsterminal` and `copiousoutput` are in the entry for the
 * caller to honour, as in Python.
 *
 * @param caps the database, from `getcaps()`
 * @param MIMEtype the type, lower case (`"text/plain"`)
 * @returns `[command, entry]`, or `[null, null]` when no entry fits or the
 *   file name is unsafe (then with an {@link UnsafeMailcapInput} warning)
 * @example
 * ```ts
 * const caps = readmailcapfile("text/plain; less %s; needsterminal\n");
 * await findmatch(caps, "text/plain", { filename: "/tmp/a.txt" });
 * // ["less /tmp/a.txt", { view: "less %s", needsterminal: "" }]
 * ```
 */
export async function findmatch(
  caps: MailcapCaps,
  MIMEtype: string,
  options: FindmatchOptions = {},
): Promise<[string, MailcapEntry] | [null, null]> {
  const { key = "view", filename = "/dev/null", plist = [], timeout = DEFAULT_TEST_TIMEOUT } = options;
  const runTest = options.runTest ?? ((command: string) => runTestCommand(command, timeout));
  if (isUnsafe(filename)) {
    warnUnsafe(unsafeFilenameMessage(filename));
    return [null, null];
  }
  for (const entry of lookup(caps, MIMEtype, key)) {
    const test = entry.test;
    if (typeof test === "string") {
      const command = subst(test, MIMEtype, filename, plist);
      if (command === null) continue;
      if (command !== "" && !(await runTest(command))) continue;
    }
    const field = entry[key];
    if (typeof field !== "string") continue;
    const command = subst(field, MIMEtype, filename, plist);
    if (command !== null) return [command, entry];
  }
  return [null, null];
}
