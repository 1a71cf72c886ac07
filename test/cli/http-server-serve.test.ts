/** `netkit http.server` (serve): Python's command line, its "Serving HTTP on" line, a clean stop. */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { serve } from "../../src/cli/http_server.js";
import { CGIHTTPRequestHandler, type ThreadingHTTPServer } from "../../src/http/server.js";
import { captureStderr } from "../_support/net.js";
import { hasCommand, peerSkip } from "../_support/peers.js";
import { startPython } from "../_support/python.js";
import { rawRequest, statusOf } from "../http/server-support.js";

const dir = mkdtempSync(join(tmpdir(), "netkit-httpd-cli-"));
writeFileSync(join(dir, "x.txt"), "from the cli\n");
after(() => rmSync(dir, { recursive: true, force: true }));

/** Runs serve(argv) until the test aborts it; resolves the banner and the server. */
async function start(argv: string[]) {
  const stop = new AbortController();
  let banner = "";
  let ready!: (s: ThreadingHTTPServer) => void;
  const listening = new Promise<ThreadingHTTPServer>((r) => {
    ready = r;
  });
  const done = serve(argv, {
    signal: stop.signal,
    out: { write: (t: string) => (banner += t) },
    onListening: ready,
  });
  done.catch(() => {});
  const server = await Promise.race([listening, done.then(() => undefined as never)]);
  return { server, banner: () => banner, stop: () => stop.abort(), done };
}

describe("serve()", () => {
  test("serves -d DIRECTORY on -b ADDRESS, prints Python's line, stops on abort", async () => {
    const s = await start(["0", "-b", "127.0.0.1", "-d", dir, "-p", "HTTP/1.1"]);
    const port = s.server.serverAddress[1];
    assert.equal(s.banner(), `Serving HTTP on 127.0.0.1 port ${port} (http://127.0.0.1:${port}/) ...\n`);
    await captureStderr(async () => {
      const res = (await rawRequest(port, "GET /x.txt HTTP/1.1\r\nConnection: close\r\n\r\n")).toString();
      assert.match(res, /^HTTP\/1\.1 200 OK[\s\S]*from the cli\n$/);
    });
    s.stop();
    await s.done;
    assert.ok(s.server.socket.closed);
  });

  test("an IPv6 address is bracketed in the URL", async () => {
    const s = await start(["0", "--bind", "::1", "--directory", dir]);
    const port = s.server.serverAddress[1];
    assert.equal(s.banner(), `Serving HTTP on ::1 port ${port} (http://[::1]:${port}/) ...\n`);
    s.stop();
    await s.done;
  });

  test("--cgi serves with CGIHTTPRequestHandler", async () => {
    const s = await start(["--cgi", "0", "-b", "127.0.0.1", "-d", dir]);
    assert.equal(s.server.RequestHandlerClass.prototype instanceof CGIHTTPRequestHandler, true);
    const port = s.server.serverAddress[1];
    await captureStderr(async () => {
      assert.equal(statusOf(await rawRequest(port, "GET /x.txt HTTP/1.0\r\n\r\n")), 200);
    });
    s.stop();
    await s.done;
  });

  test("bad arguments throw a UsageError with argparse's message", async () => {
    await assert.rejects(serve(["abc"]), {
      name: "UsageError",
      message: "argument port: invalid int value: 'abc'",
    });
    await assert.rejects(serve(["1", "2"]), { name: "UsageError", message: "unrecognized arguments: 2" });
    await assert.rejects(serve(["--nope"]), {
      name: "UsageError",
      message: "unrecognized arguments: --nope",
    });
  });

  test("the line matches python3 -m http.server's", {
    skip: peerSkip("python3", hasCommand("python3")),
  }, async () => {
    const { child, firstLine } = await startPython(
      "import runpy, sys; sys.argv = ['http.server', '0', '-b', '127.0.0.1']; runpy.run_module('http.server', run_name='__main__')",
    );
    child.kill("SIGKILL");
    const s = await start(["0", "-b", "127.0.0.1", "-d", dir]);
    const port = s.server.serverAddress[1];
    const pyPort = /port (\d+)/.exec(firstLine)![1]!;
    assert.equal(s.banner().trim(), firstLine.replaceAll(pyPort, String(port)));
    let status = 0;
    const log = await captureStderr(async () => {
      status = statusOf(await rawRequest(port, "HEAD /x.txt HTTP/1.0\r\n\r\n"));
    });
    assert.equal(status, 200);
    assert.match(log, /"HEAD \/x\.txt HTTP\/1\.0" 200 -/);
    s.stop();
    await s.done;
  });
});
