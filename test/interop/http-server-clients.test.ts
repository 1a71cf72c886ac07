/**
 * Real clients against netkit's http.server: python3's http.client and
 * urllib.request, and curl, against SimpleHTTPRequestHandler (files,
 * listings, redirects, ranges, conditional requests, keep-alive) and a
 * BaseHTTPRequestHandler of our own (POST bodies, 100-continue).
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { promisify } from "node:util";
import { BaseHTTPRequestHandler, SimpleHTTPRequestHandler } from "../../src/http/server.js";
import { hasCommand, peerSkip } from "../_support/peers.js";
import { python } from "../_support/python.js";
import { startServer } from "../http/server-support.js";

const run = promisify(execFile);
const pySkip = peerSkip("python3", hasCommand("python3"));
const curlSkip = peerSkip("curl", hasCommand("curl"));
const dir = mkdtempSync(join(tmpdir(), "netkit-httpd-clients-"));
const big = Buffer.alloc(5 * 1024 * 1024 + 123);
for (let i = 0; i < big.length; i++) big[i] = (i * 31 + 7) & 0xff;
const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");

class Files extends SimpleHTTPRequestHandler {
  override protocolVersion = "HTTP/1.1";
  override logMessage(): void {}
}
class App extends BaseHTTPRequestHandler {
  override protocolVersion = "HTTP/1.1";
  override logMessage(): void {}
  async doPOST(): Promise<void> {
    const body = await this.rfile.readexactly(Number(this.headers.get("Content-Length", "0")));
    const reply = Buffer.from(
      JSON.stringify({
        path: this.path,
        body: body.toString(),
        type: this.headers.get("Content-Type") ?? null,
      }),
    );
    this.sendResponse(201);
    this.sendHeader("Content-Type", "application/json");
    this.sendHeader("Content-Length", String(reply.length));
    await this.endHeaders();
    await this.wfile.write(reply);
  }
  async doGET(): Promise<void> {
    if (this.path === "/missing") return this.sendError(404, "No such thing", "It is not here <at all>");
    const reply = Buffer.from(`GET ${this.path}`);
    this.sendResponse(200);
    this.sendHeader("Content-Length", String(reply.length));
    await this.endHeaders();
    await this.wfile.write(reply);
  }
}

let files: Awaited<ReturnType<typeof startServer>>;
let app: Awaited<ReturnType<typeof startServer>>;
before(async () => {
  mkdirSync(join(dir, "docs"));
  writeFileSync(join(dir, "big.bin"), big);
  writeFileSync(join(dir, "hello.txt"), "hello world\n");
  writeFileSync(join(dir, "docs", "page.html"), "<p>page</p>");
  files = await startServer(Files.withOptions({ directory: dir }));
  app = await startServer(App);
});
after(async () => {
  await files?.close();
  await app?.close();
  rmSync(dir, { recursive: true, force: true });
});

const PY_CLIENT = `
import json, sys, hashlib, http.client, urllib.request, urllib.error
cfg = json.load(sys.stdin)
fp, ap = cfg["files"], cfg["app"]
out = {}
c = http.client.HTTPConnection("127.0.0.1", fp, timeout=10)
seen = []
for path in ["/hello.txt", "/big.bin", "/docs/", "/docs/page.html", "/nope"]:
    c.request("GET", path)
    r = c.getresponse()
    body = r.read()
    seen.append([path, r.status, r.getheader("Content-Type"), len(body), hashlib.sha256(body).hexdigest()])
c.request("HEAD", "/big.bin"); r = c.getresponse(); r.read()
seen.append(["HEAD", r.status, r.getheader("Content-Length")])
c.request("GET", "/big.bin", headers={"Range": "bytes=100-199"}); r = c.getresponse(); b = r.read()
seen.append(["range", r.status, r.getheader("Content-Range"), hashlib.sha256(b).hexdigest()])
etag = r.getheader("ETag")
c.request("GET", "/big.bin", headers={"If-None-Match": etag}); r = c.getresponse(); r.read()
seen.append(["inm", r.status])
out["httpclient"] = seen
out["sock_reused"] = c.sock is not None
c.close()
# urllib follows the directory redirect and reads the listing
with urllib.request.urlopen(f"http://127.0.0.1:{fp}/docs", timeout=10) as r:
    out["urllib_listing"] = [r.status, r.url, r.read().decode()]
try:
    urllib.request.urlopen(f"http://127.0.0.1:{ap}/missing", timeout=10)
except urllib.error.HTTPError as e:
    out["urllib_error"] = [e.code, e.reason, e.read().decode()]
req = urllib.request.Request(f"http://127.0.0.1:{ap}/submit", data=b"a=1&b=2", method="POST")
with urllib.request.urlopen(req, timeout=10) as r:
    out["urllib_post"] = [r.status, json.loads(r.read())]
c = http.client.HTTPConnection("127.0.0.1", ap, timeout=10)
for i in range(3):
    c.request("POST", f"/n{i}", body=b"x" * (i * 1000), headers={"Content-Type": "text/plain"})
    r = c.getresponse(); out.setdefault("keepalive_posts", []).append([r.status, json.loads(r.read())["body"].__len__()])
print(json.dumps(out))
`;

describe("python3's http.client and urllib against netkit", { skip: pySkip }, () => {
  test("files, listing, redirect, range, If-None-Match, keep-alive, POST, error page", async () => {
    const out = await python<Record<string, unknown>>(PY_CLIENT, { files: files.port, app: app.port });
    const seen = out.httpclient as unknown[][];
    assert.deepEqual(seen[0], ["/hello.txt", 200, "text/plain", 12, sha(Buffer.from("hello world\n"))]);
    assert.deepEqual(seen[1], ["/big.bin", 200, "application/octet-stream", big.length, sha(big)]);
    assert.equal(seen[2]![1], 200);
    assert.equal(seen[2]![2], "text/html; charset=utf-8");
    assert.deepEqual(seen[3]!.slice(1, 4), [200, "text/html", 11]);
    assert.deepEqual(seen[4]!.slice(0, 2), ["/nope", 404]);
    assert.deepEqual(seen[5], ["HEAD", 200, String(big.length)]);
    assert.deepEqual(seen[6], ["range", 206, `bytes 100-199/${big.length}`, sha(big.subarray(100, 200))]);
    assert.deepEqual(seen[7], ["inm", 304]);
    assert.equal(out.sock_reused, true, "one connection served all requests (HTTP/1.1 keep-alive)");
    const [status, url, listing] = out.urllib_listing as [number, string, string];
    assert.equal(status, 200);
    assert.ok(url.endsWith("/docs/"), url);
    assert.match(listing, /<a href="page.html">page.html<\/a>/);
    const [code, reason, page] = out.urllib_error as [number, string, string];
    assert.deepEqual([code, reason], [404, "No such thing"]);
    assert.match(page, /It is not here &lt;at all&gt;/);
    assert.deepEqual(out.urllib_post, [
      201,
      { path: "/submit", body: "a=1&b=2", type: "application/x-www-form-urlencoded" },
    ]);
    assert.deepEqual(out.keepalive_posts, [
      [201, 0],
      [201, 1000],
      [201, 2000],
    ]);
  });
});

describe("curl against netkit", { skip: curlSkip }, () => {
  const curl = async (...args: string[]) =>
    (await run("curl", ["-sS", "--max-time", "20", ...args], { encoding: "buffer", maxBuffer: 64 << 20 }))
      .stdout as Buffer;
  test("downloads, HEAD, ranges, resume, keep-alive, redirects, POST with 100-continue", async () => {
    const base = `http://127.0.0.1:${files.port}`;
    assert.equal(sha(await curl(`${base}/big.bin`)), sha(big));
    const head = (await curl("-I", `${base}/big.bin`)).toString();
    assert.match(head, /^HTTP\/1\.1 200 OK/);
    assert.match(head, new RegExp(`Content-Length: ${big.length}`));
    assert.match(head, /Accept-Ranges: bytes/);
    assert.deepEqual(await curl("-r", "1000-1999", `${base}/big.bin`), big.subarray(1000, 2000));
    assert.deepEqual(await curl("-r", "-10", `${base}/big.bin`), big.subarray(big.length - 10));
    const partial = join(dir, "partial.out");
    writeFileSync(partial, big.subarray(0, 777));
    await curl("-C", "-", "-o", partial, `${base}/big.bin`);
    assert.equal(sha((await import("node:fs")).readFileSync(partial)), sha(big));
    rmSync(partial);
    const verbose = await run(
      "curl",
      ["-sS", "-v", "--max-time", "20", `${base}/hello.txt`, `${base}/docs/page.html`],
      {
        encoding: "utf8",
      },
    );
    assert.equal(verbose.stdout, "hello world\n<p>page</p>");
    assert.match(verbose.stderr, /Re-using existing connection/);
    assert.equal((await curl("-L", `${base}/docs`)).toString().includes("page.html"), true);
    const status = (
      await curl("-o", "/dev/null", "-w", "%{http_code}", `${base}/big.bin`, "-H", "Range: bytes=99999999-")
    ).toString();
    assert.equal(status, "416");
    const post = JSON.parse(
      (
        await curl(
          "-H",
          "Expect: 100-continue",
          "--data-binary",
          `@${join(dir, "hello.txt")}`,
          `http://127.0.0.1:${app.port}/up`,
        )
      ).toString(),
    );
    assert.deepEqual(post, { path: "/up", body: "hello world\n", type: "application/x-www-form-urlencoded" });
    const pathAsIs = (
      await curl("--path-as-is", "-o", "/dev/null", "-w", "%{http_code}", `${base}/../../etc/passwd`)
    ).toString();
    assert.equal(pathAsIs, "404");
  });
});
