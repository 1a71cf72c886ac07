/**
 * `netkit urlopen` and `netkit urlretrieve` run as a user runs them (a child
 * process), against python3's http.server serving a folder; and the progress
 * report's text.
 */
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { formatBytes, formatDuration, progressLine, progressReporter } from "../../src/cli/progress.js";
import { hasCommand, peerSkip } from "../_support/peers.js";
import { startPython } from "../_support/python.js";

const skip = peerSkip("python3", hasCommand("python3"));
const MAIN = fileURLToPath(new URL("../../src/cli/main.ts", import.meta.url));
const TSX = fileURLToPath(new URL("../../node_modules/tsx/dist/cli.mjs", import.meta.url));
let server: ChildProcess | undefined;
let dir = "";
let base = "";

before(async () => {
  if (skip) return;
  dir = await mkdtemp(join(tmpdir(), "netkit-cli-"));
  await writeFile(join(dir, "hello.txt"), "hello from python3\n");
  await writeFile(join(dir, "blob.bin"), Buffer.alloc(200_000, 7));
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

/** Runs `netkit ARGS` in `cwd`; resolves with exit code and output (bounded to 60 s). */
function netkit(args: string[], cwd = dir): Promise<{ code: number | null; stdout: Buffer; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [TSX, MAIN, ...args], { cwd, stdio: ["ignore", "pipe", "pipe"] });
    const out: Buffer[] = [];
    let err = "";
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.stderr.on("data", (b: Buffer) => {
      err += b.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(out), stderr: err });
    });
  });
}

describe("netkit urlopen / urlretrieve", { skip }, () => {
  test("urlopen writes the body; -i adds the status line and headers", async () => {
    const plain = await netkit(["urlopen", `${base}/hello.txt`]);
    assert.equal(plain.code, 0, plain.stderr);
    assert.equal(plain.stdout.toString(), "hello from python3\n");
    const withHeaders = await netkit(["urlopen", "-i", `${base}/hello.txt`]);
    const text = withHeaders.stdout.toString();
    assert.match(text, /^200 OK\r\n/);
    assert.match(text, /\r\nContent-Length: 19\r\n/);
    assert.ok(text.endsWith("\r\n\r\nhello from python3\n"));
  });

  test("urlopen of a missing page prints the error page and exits 1", async () => {
    const missing = await netkit(["urlopen", `${base}/nope`]);
    assert.equal(missing.code, 1);
    assert.match(missing.stdout.toString(), /404/);
    assert.match(missing.stderr, /HTTP Error 404: File not found/);
  });

  test("urlretrieve saves the file under the URL's name and reports progress on stderr", async () => {
    const out = await mkdtemp(join(tmpdir(), "netkit-cli-out-"));
    try {
      const run = await netkit(["urlretrieve", `${base}/blob.bin`], out);
      assert.equal(run.code, 0, run.stderr);
      assert.equal(run.stdout.toString().trim(), "blob.bin");
      assert.deepEqual(await readFile(join(out, "blob.bin")), Buffer.alloc(200_000, 7));
      assert.match(run.stderr, /195\.3 KiB \/ 195\.3 KiB {2}100%/);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });
});

describe("progress report", () => {
  test("formats sizes, durations and lines", () => {
    assert.equal(formatBytes(512), "512 B");
    assert.equal(formatBytes(1536), "1.5 KiB");
    assert.equal(formatBytes(5 * 1024 ** 3), "5.0 GiB");
    assert.equal(formatDuration(65), "1:05");
    assert.equal(formatDuration(3725), "1:02:05");
    assert.equal(progressLine(50, 100, 1), "50 B / 100 B  50%  50 B/s  ETA 0:01");
    assert.equal(progressLine(2048, -1, 2), "2.0 KiB  1.0 KiB/s");
    const bar = progressLine(50, 100, 1, 80);
    assert.equal(bar.length, 80);
    assert.match(bar, /^\[#+\.+\] {2}50 B/);
  });

  test("redraws one line on a terminal, prints plain lines (at most one a second) elsewhere", () => {
    let clock = 0;
    const plain: string[] = [];
    const report = progressReporter({ write: (t: string) => plain.push(t) }, () => clock);
    report.hook(0, 10, 100);
    clock = 500;
    report.hook(5, 10, 100); // within the second: not drawn
    clock = 1500;
    report.hook(8, 10, 100);
    report.finish(100);
    assert.deepEqual(
      plain.map((l) => l.split("  ")[0]),
      ["0 B / 100 B", "80 B / 100 B", "100 B / 100 B"],
    );
    assert.ok(plain.every((l) => l.endsWith("\n") && !l.includes("\r")));
    const tty: string[] = [];
    const redraw = progressReporter(
      { write: (t: string) => tty.push(t), isTTY: true, columns: 60 },
      () => clock,
    );
    redraw.hook(1, 10, 100);
    redraw.finish(100);
    assert.ok(tty.every((l) => l.startsWith("\r")));
    assert.ok(tty.at(-1)!.endsWith("\n"));
  });
});
