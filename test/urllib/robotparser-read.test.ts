/**
 * RobotFileParser.read() over HTTP on loopback: robots.txt files served by
 * `python3 -m http.server` from a temporary directory (a BOM, a file over the
 * size limit, invalid UTF-8), and a scripted python3 server answering
 * 401/403/404/500 with Python's consequences.
 */
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { MAX_ROBOTS_BYTES, RobotFileParser } from "../../src/urllib/robotparser.js";
import { hasCommand, peerSkip } from "../_support/peers.js";
import { PYTHON, startPython } from "../_support/python.js";

const skip = peerSkip("python3", hasCommand("python3"));

const STATUS_SERVER = `
import http.server, sys
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        code = int(self.path.strip("/").split("/")[0])
        self.send_response(code)
        self.send_header("Content-Length", "0")
        self.end_headers()
    def log_message(self, *a): pass
srv = http.server.HTTPServer(("127.0.0.1", 0), H)
print(srv.server_address[1])
srv.serve_forever()
`;

function startFileServer(dir: string): Promise<{ child: ChildProcess; port: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, ["-u", "-m", "http.server", "--bind", "127.0.0.1", "--directory", dir, "0"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    const timer = setTimeout(() => reject(new Error(`http.server did not start: ${out}`)), 60_000);
    child.stdout!.on("data", (b: Buffer) => {
      out += b.toString();
      const m = /port (\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, port: Number(m[1]) });
      }
    });
    child.on("exit", (code) => reject(new Error(`http.server exited with ${code}`)));
  });
}

describe("RobotFileParser.read()", { skip }, () => {
  let dir: string;
  let files: { child: ChildProcess; port: number };
  let status: { child: ChildProcess; firstLine: string };
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "netkit-robots-"));
    await writeFile(
      join(dir, "robots.txt"),
      "User-agent: *\nDisallow: /private\nCrawl-delay: 2\nSitemap: http://x/s.xml\n",
    );
    await writeFile(join(dir, "bom.txt"), "\ufeffUser-agent: *\nDisallow: /bom\n");
    await writeFile(
      join(dir, "latin1.txt"),
      Buffer.from("User-agent: *\nDisallow: /caf\xe9\nDisallow: /x\n", "latin1"),
    );
    const filler = `# ${"x".repeat(1000)}\n`.repeat(Math.ceil(MAX_ROBOTS_BYTES / 1003) + 10);
    await writeFile(join(dir, "big.txt"), `User-agent: *\nDisallow: /early\n${filler}Disallow: /late\n`);
    files = await startFileServer(dir);
    status = await startPython(STATUS_SERVER);
  });
  after(async () => {
    files?.child.kill();
    status?.child.kill();
    await rm(dir, { recursive: true, force: true });
  });

  const fileUrl = (name: string) => `http://127.0.0.1:${files.port}/${name}`;
  const statusUrl = (code: number) => `http://127.0.0.1:${status.firstLine}/${code}/robots.txt`;

  test("reads and parses a served robots.txt", async () => {
    const rp = new RobotFileParser(fileUrl("robots.txt"));
    await rp.read();
    assert.equal(rp.canFetch("bot", fileUrl("private/x")), false);
    assert.equal(rp.canFetch("bot", fileUrl("public")), true);
    assert.equal(rp.crawlDelay("bot"), 2);
    assert.deepEqual(rp.siteMaps(), ["http://x/s.xml"]);
    assert.ok(rp.mtime() > 0);
  });

  test("skips a UTF-8 BOM (Python would ignore the first line) and reads invalid UTF-8 as U+FFFD", async () => {
    const bom = new RobotFileParser(fileUrl("bom.txt"));
    await bom.read();
    assert.equal(bom.canFetch("bot", "/bom"), false);
    const latin1 = new RobotFileParser(fileUrl("latin1.txt"));
    await latin1.read();
    assert.equal(latin1.canFetch("bot", "/x"), false, "the lines after the bad byte still count");
  });

  test("parses only the first 512 KiB of a larger file", async () => {
    const rp = new RobotFileParser(fileUrl("big.txt"));
    await rp.read();
    assert.equal(rp.canFetch("bot", "/early"), false);
    assert.equal(rp.canFetch("bot", "/late"), true, "the rule past the limit is not read");
  });

  test("401 and 403 disallow everything, 404 allows everything, 500 leaves it unread", async () => {
    for (const code of [401, 403]) {
      const rp = new RobotFileParser(statusUrl(code));
      await rp.read();
      assert.equal(rp.disallowAll, true, String(code));
      assert.equal(rp.canFetch("bot", "/anything"), false);
    }
    const notFound = new RobotFileParser(statusUrl(404));
    await notFound.read();
    assert.equal(notFound.allowAll, true);
    assert.equal(notFound.canFetch("bot", "/anything"), true);
    const broken = new RobotFileParser(statusUrl(500));
    await broken.read();
    assert.equal(broken.allowAll || broken.disallowAll, false);
    assert.equal(broken.canFetch("bot", "/anything"), false, "nothing was read");
  });
});
