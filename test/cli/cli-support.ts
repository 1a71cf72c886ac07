/**
 * Running `netkit` as a user runs it, for the command-line tests: a child
 * process (`runNetkit`, `startNetkit`), or one on a real terminal
 * (`inTerminal`: util-linux `script` gives it a pseudo-terminal, and a
 * Ctrl-C typed there reaches it as the terminal's SIGINT). Every wait is
 * bounded; every child is killed when a test ends.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { join } from "node:path";

export const ROOT = join(import.meta.dirname, "..", "..");
export const MAIN = join(ROOT, "src/cli/main.ts");
/** tsx's loader by absolute URL, so the command runs from any folder. */
export const TSX = import.meta.resolve("tsx");
/** The command line of `netkit`, as argv. */
export const NETKIT = [process.execPath, "--import", TSX, MAIN];

/** True when util-linux `script` is here (Debian's bsdutils). */
export const hasScript = spawnSync("script", ["--version"], { stdio: "ignore" }).status === 0;

/** A finished command: its status (or the signal that ended it) and what it wrote. */
export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A running command: what it has written so far, and ways to wait on it. */
export class Running {
  readonly child: ChildProcess;
  stdout = "";
  stderr = "";
  readonly finished: Promise<Finished>;
  readonly #waiters = new Set<() => void>();
  readonly #killer: NodeJS.Timeout;

  constructor(child: ChildProcess, limitMs: number) {
    this.child = child;
    this.#killer = setTimeout(() => child.kill("SIGKILL"), limitMs);
    child.stdout?.on("data", (b: Buffer) => {
      this.stdout += b.toString("latin1");
      this.#wake();
    });
    child.stderr?.on("data", (b: Buffer) => {
      this.stderr += b.toString("latin1");
      this.#wake();
    });
    this.finished = new Promise((resolve, reject) => {
      child.once("error", reject);
      child.once("close", (code, signal) => {
        clearTimeout(this.#killer);
        this.#wake();
        resolve({ code, signal, stdout: this.stdout, stderr: this.stderr });
      });
    });
  }

  #wake(): void {
    for (const w of this.#waiters) w();
  }

  /** Resolves once `test(stdout, stderr)` holds; rejects if the command ends first or after `ms`. */
  waitFor(test: (stdout: string, stderr: string) => boolean, what: string, ms = 60_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (test(this.stdout, this.stderr)) done(resolve);
        else if (this.child.exitCode !== null || this.child.signalCode !== null)
          done(() => reject(new Error(`ended before ${what}:\n${this.stdout}\n${this.stderr}`)));
      };
      const timer = setTimeout(
        () => done(() => reject(new Error(`no ${what} within ${ms} ms:\n${this.stdout}\n${this.stderr}`))),
        ms,
      );
      const done = (then: () => void) => {
        clearTimeout(timer);
        this.#waiters.delete(check);
        then();
      };
      this.#waiters.add(check);
      check();
    });
  }

  /** Kills the command if it still runs (for `finally`). */
  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill("SIGKILL");
  }
}

/** Starts `netkit ARGS` in `cwd` with stdin, stdout and stderr as pipes. */
export function startNetkit(args: string[], cwd = ROOT, limitMs = 90_000): Running {
  const [node, ...rest] = NETKIT;
  return new Running(spawn(node!, [...rest, ...args], { cwd, stdio: ["pipe", "pipe", "pipe"] }), limitMs);
}

/** Runs `netkit ARGS` to the end. */
export function runNetkit(args: string[], cwd = ROOT, limitMs = 90_000): Promise<Finished> {
  const running = startNetkit(args, cwd, limitMs);
  running.child.stdin?.end();
  return running.finished;
}

/** `word` quoted for sh. */
function shQuote(word: string): string {
  return `'${word.replaceAll("'", "'\\''")}'`;
}

/**
 * Starts `netkit ARGS` on a pseudo-terminal of its own (`script -qfec`):
 * its stdout and stderr both reach the terminal, which `stdout` collects,
 * and `ctrlC()` types Ctrl-C there. `script` ends with the command's status
 * (128 + n when a signal ended it).
 *
 * `script` runs the command through `$SHELL -c` (`/bin/sh` when SHELL is
 * unset, as under CI). bash execs a lone command, but dash stays as its
 * parent, in the terminal's process group: Ctrl-C killed dash, and `script`
 * reported 130 for a netkit that had stopped cleanly with 0. `exec` makes
 * netkit the only process there, whatever the shell.
 */
export function inTerminal(args: string[], cwd = ROOT, limitMs = 90_000): Running & { ctrlC(): void } {
  const command = `exec ${[...NETKIT, ...args].map(shQuote).join(" ")}`;
  const child = spawn("script", ["-qfec", command, "/dev/null"], {
    cwd,
    env: { ...process.env, SHELL: "/bin/sh" },
    stdio: ["pipe", "pipe", "pipe"],
  });
  const running = new Running(child, limitMs) as Running & { ctrlC(): void };
  running.ctrlC = () => child.stdin?.write("\x03");
  return running;
}

/** A shell command line (for `bash -c`) that runs `netkit ARGS`. */
export function netkitShell(args: string[]): string {
  return [...NETKIT, ...args].map(shQuote).join(" ");
}
