/**
 * `netkit http.server` run as a user runs it (a child process, on a real
 * terminal for Ctrl-C): the "Serving HTTP on" line, a file and a listing
 * fetched by python3's urllib, Python's log line on stderr, HTTP/1.1
 * keep-alive by default (`-p HTTP/1.0` for Python's default), links out of
 * the folder left out of the listing, and Ctrl-C during a download: the
 * first stops the server within the grace period, a second at once.
 */
import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { connect, type Socket as NodeSocket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { hasCommand, peerSkip } from "../_support/peers.js";
import { python } from "../_support/python.js";
import { hasScript, inTerminal, type Running, startNetkit } from "./cli-support.js";

const terminal = peerSkip("script (util-linux)", hasScript);
let dir = "";
let outside = "";

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "netkit-httpd-cli-"));
  outside = await mkdtemp(join(tmpdir(), "netkit-httpd-outside-"));
  await writeFile(join(dir, "hello.txt"), "hello from netkit\n");
  await writeFile(join(dir, "big.bin"), Buffer.alloc(64 * 1024 * 1024, 1));
  await mkdir(join(dir, "sub & <dir>"));
  await writeFile(join(outside, "secret.txt"), "not served\n");
  await symlink(join(outside, "secret.txt"), join(dir, "link-out.txt"));
  await symlink(join(dir, "hello.txt"), join(dir, "link-in.txt"));
});
after(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  if (outside) await rm(outside, { recursive: true, force: true });
});

const FETCH = `
import json, sys, urllib.request, urllib.error
out = []
for path in sys.argv[1:]:
    try:
        with urllib.request.urlopen(path, timeout=10) as r:
            out.append([r.status, r.headers.get_content_type(), r.read().decode()])
    except urllib.error.HTTPError as e:
        out.append([e.code, "", ""])
print(json.dumps(out))
`;

/** The port in the "Serving HTTP on" line, once it is printed. */
async function servingPort(run: Running): Promise<number> {
  await run.waitFor((out) => /Serving HTTP on .* port \d+ /.test(out), "the Serving HTTP line");
  return Number(/Serving HTTP on .* port (\d+) /.exec(run.stdout)![1]);
}

/** Sends `requests` on one connection; resolves with everything received until the server closes (10 s at most). */
function exchange(port: number, requests: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    let got = "";
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(`${got}<open>`);
    }, 10_000);
    socket.on("data", (b: Buffer) => {
      got += b.toString("latin1");
    });
    socket.on("error", reject);
    socket.on("close", () => {
      clearTimeout(timer);
      resolve(got);
    });
    socket.write(requests);
  });
}

describe("netkit http.server", () => {
  test("serves a folder to python3's urllib and stops on SIGINT with Python's message", {
    skip: peerSkip("python3", hasCommand("python3")),
  }, async () => {
    const run = startNetkit(["http.server", "0", "-b", "127.0.0.1", "-d", dir]);
    try {
      const port = await servingPort(run);
      assert.match(
        run.stdout,
        /^Serving HTTP on 127\.0\.0\.1 port \d+ \(http:\/\/127\.0\.0\.1:\d+\/\) \.\.\.\n/,
      );
      const base = `http://127.0.0.1:${port}`;
      const [file, listing, out] = await python<Array<[number, string, string]>>(
        `import sys; sys.argv = ["x", "${base}/hello.txt", "${base}/", "${base}/link-out.txt"]\n${FETCH}`,
      );
      assert.deepEqual(file, [200, "text/plain", "hello from netkit\n"]);
      assert.equal(listing![0], 200);
      assert.match(listing![2], /<a href="sub%20%26%20%3Cdir%3E\/">sub &amp; &lt;dir&gt;\/<\/a>/);
      // A link inside the folder is listed (with Python's @); one leading out is neither listed nor served.
      assert.match(listing![2], /<a href="link-in\.txt">link-in\.txt@<\/a>/);
      assert.doesNotMatch(listing![2], /link-out/);
      assert.equal(out![0], 404);
      assert.match(run.stderr, /^127\.0\.0\.1 - - \[[^\]]+\] "GET \/hello\.txt HTTP\/1\.1" 200 -$/m);

      run.child.kill("SIGINT");
      const done = await run.finished;
      assert.equal(done.code, 0);
      assert.match(done.stdout, /\nKeyboard interrupt received, exiting\.\n$/);
    } finally {
      run.kill();
    }
  });

  test("speaks HTTP/1.1 and keeps the connection alive by default; -p HTTP/1.0 is Python's one request per connection", async () => {
    const twice =
      "GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\nGET /hello.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    for (const [argv, version, answers] of [
      [[], "HTTP/1.1", 2],
      [["-p", "HTTP/1.0"], "HTTP/1.0", 1],
    ] as const) {
      const run = startNetkit(["http.server", "0", "-b", "127.0.0.1", "-d", dir, ...argv]);
      try {
        const got = await exchange(await servingPort(run), twice);
        const statuses = got.match(/^HTTP\/1\.[01] 200 OK\r$/gm) ?? [];
        assert.equal(statuses.length, answers, got);
        assert.ok(statuses.every((s) => s.startsWith(version)));
        assert.equal(got.split("hello from netkit\n").length - 1, answers);
      } finally {
        run.kill();
      }
    }
  });
});

/** A client that asks for big.bin and then stops reading (a download in flight that never finishes by itself). */
function stalledDownload(port: number): Promise<NodeSocket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    socket.on("error", () => {});
    socket.once("data", () => {
      socket.pause();
      resolve(socket);
    });
    socket.once("close", () => reject(new Error("closed before any byte")));
    socket.write("GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n");
  });
}

describe("netkit http.server on a terminal", { skip: terminal }, () => {
  test("Ctrl-C during a download stops the server after the grace period, not after the download", async () => {
    const run = inTerminal(["http.server", "0", "-b", "127.0.0.1", "-d", dir]);
    let client: NodeSocket | undefined;
    try {
      client = await stalledDownload(await servingPort(run));
      const t0 = performance.now();
      run.ctrlC();
      const done = await run.finished;
      const seconds = (performance.now() - t0) / 1000;
      assert.equal(done.code, 0, done.stdout);
      assert.match(done.stdout, /\r\nKeyboard interrupt received, exiting\.\r\n/);
      // 3 s of grace, then the connection is closed; far from the download's end (it never ends).
      assert.ok(seconds < 25, `exited after ${seconds.toFixed(1)} s`);
    } finally {
      client?.destroy();
      run.kill();
    }
  });

  test("a second Ctrl-C ends the server at once", async () => {
    const run = inTerminal(["http.server", "0", "-b", "127.0.0.1", "-d", dir]);
    let client: NodeSocket | undefined;
    try {
      client = await stalledDownload(await servingPort(run));
      run.ctrlC();
      await run.waitFor(
        (out) => out.includes("Keyboard interrupt received, exiting."),
        "the first Ctrl-C's message",
      );
      run.ctrlC();
      const done = await run.finished;
      assert.equal(done.code, 130, "ended by the second SIGINT, not by the graceful stop");
    } finally {
      client?.destroy();
      run.kill();
    }
  });
});
