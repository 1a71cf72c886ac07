/**
 * `netkit http.server` run as a user runs it (a child process): the
 * "Serving HTTP on" line, a file and a directory listing fetched by python3's
 * urllib, Python's log line on stderr, and Ctrl-C (SIGINT) ending it cleanly.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { hasCommand, peerSkip } from "../_support/peers.js";
import { python } from "../_support/python.js";

const skip = peerSkip("python3", hasCommand("python3"));
const MAIN = fileURLToPath(new URL("../../src/cli/main.ts", import.meta.url));
const TSX = fileURLToPath(new URL("../../node_modules/tsx/dist/cli.mjs", import.meta.url));
let dir = "";

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "netkit-httpd-cli-"));
  await writeFile(join(dir, "hello.txt"), "hello from netkit\n");
  await mkdir(join(dir, "sub & <dir>"));
});
after(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const FETCH = `
import json, sys, urllib.request
out = []
for path in sys.argv[1:]:
    with urllib.request.urlopen(path, timeout=10) as r:
        out.append([r.status, r.headers.get_content_type(), r.read().decode()])
print(json.dumps(out))
`;

test("netkit http.server serves a folder to python3's urllib and stops on SIGINT", { skip }, async () => {
  const child = spawn(process.execPath, [TSX, MAIN, "http.server", "0", "-b", "127.0.0.1", "-d", dir], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  const killer = setTimeout(() => child.kill("SIGKILL"), 60_000);
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (b: Buffer) => {
    stdout += b.toString();
  });
  child.stderr.on("data", (b: Buffer) => {
    stderr += b.toString();
  });
  try {
    while (!stdout.includes("\n")) await once(child.stdout, "data");
    const m = /^Serving HTTP on 127\.0\.0\.1 port (\d+) \(http:\/\/127\.0\.0\.1:(\d+)\/\) \.\.\.\n/.exec(
      stdout,
    );
    assert.ok(m, stdout);
    const base = `http://127.0.0.1:${m[1]}`;
    const [file, listing] = await python<Array<[number, string, string]>>(
      `import sys; sys.argv = ["x", "${base}/hello.txt", "${base}/"]\n${FETCH}`,
    );
    assert.deepEqual(file, [200, "text/plain", "hello from netkit\n"]);
    assert.equal(listing![0], 200);
    assert.equal(listing![1], "text/html");
    assert.match(listing![2], /<a href="sub%20%26%20%3Cdir%3E\/">sub &amp; &lt;dir&gt;\/<\/a>/);
    assert.match(stderr, /^127\.0\.0\.1 - - \[[^\]]+\] "GET \/hello\.txt HTTP\/1\.1" 200 -$/m);

    child.kill("SIGINT");
    const [code] = (await once(child, "exit")) as [number | null];
    assert.equal(code, 0);
    assert.match(stdout, /\nKeyboard interrupt received, exiting\.\n$/);
  } finally {
    clearTimeout(killer);
    child.kill("SIGKILL");
  }
});
