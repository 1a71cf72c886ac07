/**
 * `netkit urlopen` run as a user runs it (a child process), against
 * python3's http.server serving a folder: the body, `-i`, an error page,
 * the library's message for a bad URL, and a stdout closed early
 * (`| head -c 10`) ending the command quietly with curl's status 23.
 */
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { hasCommand, peerSkip } from "../_support/peers.js";
import { startPython } from "../_support/python.js";
import { netkitShell, runNetkit } from "./cli-support.js";

const skip = peerSkip("python3", hasCommand("python3"));
let server: ChildProcess | undefined;
let dir = "";
let base = "";

before(async () => {
  if (skip) return;
  dir = await mkdtemp(join(tmpdir(), "netkit-cli-"));
  await writeFile(join(dir, "hello.txt"), "hello from python3\n");
  await writeFile(join(dir, "blob.bin"), Buffer.alloc(3_000_000, 7));
  const started = await startPython(
    `
import functools, http.server, sys
h = functools.partial(http.server.SimpleHTTPRequestHandler, directory=sys.argv[1])
h.func.log_message = lambda *a: None
s = http.server.ThreadingHTTPServer(("127.0.0.1", 0), h)
print(s.server_address[1], flush=True)
s.serve_forever()
`,
    [dir],
  );
  server = started.child;
  base = `http://127.0.0.1:${started.firstLine}`;
});
after(async () => {
  server?.kill("SIGKILL");
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Runs a shell pipeline under bash with pipefail; resolves with its status and stderr. */
function pipeline(script: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("bash", ["-c", `set -o pipefail; ${script}`], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    const timer = setTimeout(() => child.kill("SIGKILL"), 90_000);
    child.stdout.on("data", (b: Buffer) => {
      stdout += b.toString();
    });
    child.stderr.on("data", (b: Buffer) => {
      stderr += b.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe("netkit urlopen", { skip }, () => {
  test("urlopen writes the body; -i adds the status line and headers", async () => {
    const plain = await runNetkit(["urlopen", `${base}/hello.txt`]);
    assert.equal(plain.code, 0, plain.stderr);
    assert.equal(plain.stdout, "hello from python3\n");
    const withHeaders = await runNetkit(["urlopen", "-i", `${base}/hello.txt`]);
    assert.match(withHeaders.stdout, /^200 OK\r\n/);
    assert.match(withHeaders.stdout, /\r\nContent-Length: 19\r\n/);
    assert.ok(withHeaders.stdout.endsWith("\r\n\r\nhello from python3\n"));
  });

  test("urlopen of a missing page prints the error page and exits 1", async () => {
    const missing = await runNetkit(["urlopen", `${base}/nope`]);
    assert.equal(missing.code, 1);
    assert.match(missing.stdout, /404/);
    assert.equal(missing.stderr, "netkit urlopen: HTTP Error 404: File not found\n");
  });

  test("urlopen of a URL urllib cannot open says what urllib says, on one line", async () => {
    const bad = await runNetkit(["urlopen", "not a url"]);
    assert.deepEqual([bad.code, bad.stderr], [1, "netkit urlopen: unknown url type: 'not a url'\n"]);
  });

  test("urlopen into a pipe closed early ends quietly with status 23", async () => {
    const run = await pipeline(`${netkitShell(["urlopen", `${base}/blob.bin`])} | head -c 10 | wc -c`);
    assert.equal(run.stdout.trim(), "10");
    assert.equal(run.stderr, "", "no stack trace, no message");
    assert.equal(run.code, 23, "pipefail reports netkit's status: curl's write error");
  });
});
