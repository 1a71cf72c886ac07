/**
 * Runs python3 (the reference implementation) from tests.
 *
 * `python(script, input)` sends `input` as JSON on stdin and parses the JSON
 * the script prints. Batch many cases into one call: starting python3 costs
 * about 20 ms, a case inside one run costs microseconds.
 */
import { spawn } from "node:child_process";

export const PYTHON = process.env.NETKIT_PYTHON ?? "python3";

/**
 * Runs `script` under python3 with `input` as JSON on stdin and returns the
 * JSON it writes to stdout. Rejects with python's stderr when it exits non-zero
 * or runs longer than `timeoutMs`: a guard against a hang, not a speed limit,
 * so generous (a batch of 400 cookie jars took over 60 s on a 2-core machine
 * running three test suites at once).
 */
export function python<T = unknown>(script: string, input: unknown = null, timeoutMs = 240_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, ["-c", script], { stdio: ["pipe", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`python3 ran longer than ${timeoutMs} ms`));
    }, timeoutMs);
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.stderr.on("data", (b: Buffer) => err.push(b));
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      if (code !== 0) {
        reject(new Error(`python3 exited with ${code}: ${Buffer.concat(err).toString()}`));
        return;
      }
      try {
        resolve(JSON.parse(Buffer.concat(out).toString()) as T);
      } catch (e) {
        reject(
          new Error(`python3 printed no JSON: ${Buffer.concat(out).toString().slice(0, 500)}`, { cause: e }),
        );
      }
    });
    child.stdin.end(JSON.stringify(input));
  });
}

/**
 * Starts a long-running python3 program (a server for an interop test) and
 * resolves once it prints its first line, which by convention is the port or
 * address it listens on. The caller kills it in `after()`.
 */
export function startPython(
  script: string,
  args: string[] = [],
  timeoutMs = 60_000,
): Promise<{ child: import("node:child_process").ChildProcess; firstLine: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, ["-u", "-c", script, ...args], { stdio: ["pipe", "pipe", "pipe"] });
    let buffered = "";
    let stderr = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`python3 printed nothing in ${timeoutMs} ms: ${stderr}`));
    }, timeoutMs);
    child.stderr!.on("data", (b: Buffer) => {
      stderr += b.toString();
    });
    const onData = (b: Buffer) => {
      buffered += b.toString();
      const nl = buffered.indexOf("\n");
      if (nl >= 0) {
        clearTimeout(timer);
        child.stdout!.off("data", onData);
        resolve({ child, firstLine: buffered.slice(0, nl).trim() });
      }
    };
    child.stdout!.on("data", onData);
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`python3 exited with ${code} before printing: ${stderr}`));
    });
  });
}
