/**
 * Interop: netkit's MozillaCookieJar and curl's cookie engine share
 * cookies.txt files. A loopback HTTP server sets cookies; `curl -c` writes
 * them, netkit loads the file and sends them back; netkit saves a jar and
 * `curl -b` sends what it reads, which the server echoes.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { promisify } from "node:util";
import { Cookie, type CookieRequest, MozillaCookieJar } from "../../src/http/cookiejar.js";
import { hasCommand, peerSkip } from "../_support/peers.js";

const run = promisify(execFile);
const skip = peerSkip("curl", hasCommand("curl"));

class FakeRequest implements CookieRequest {
  readonly headers = new Map<string, string>();
  readonly host: string;
  readonly type = "http";
  readonly unverifiable = false;
  readonly originReqHost = "127.0.0.1";
  constructor(readonly fullUrl: string) {
    this.host = new globalThis.URL(fullUrl).host;
  }
  hasHeader(name: string) {
    return this.headers.has(name);
  }
  getHeader(name: string, d?: string) {
    return this.headers.get(name) ?? d;
  }
  addUnredirectedHeader(k: string, v: string) {
    this.headers.set(k, v);
  }
}

describe("MozillaCookieJar and curl", { skip }, () => {
  let server: Server;
  let base: string;
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "netkit-curl-"));
    server = createServer((req, res) => {
      if (req.url === "/set") {
        const far = new Date(Date.now() + 86400_000).toUTCString();
        res.setHeader("Set-Cookie", [
          "session=s1; Path=/",
          `persistent=p1; Path=/; Expires=${far}`,
          `httponly=h1; Path=/; HttpOnly; Expires=${far}`,
          `scoped=x1; Path=/app; Expires=${far}`,
        ]);
        res.end("set\n");
      } else {
        res.end(req.headers.cookie ?? "");
      }
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    await new Promise((resolve) => server.close(resolve));
    await rm(dir, { recursive: true, force: true });
  });

  test("a file written by curl -c loads, and its cookies go back to the server", async () => {
    const file = join(dir, "from-curl.txt");
    await run("curl", ["-sS", "--max-time", "10", "-c", file, `${base}/set`]);
    const jar = new MozillaCookieJar(file);
    await jar.load(undefined, { ignoreDiscard: true });
    const byName = new Map([...jar].map((c) => [c.name, c]));
    assert.deepEqual([...byName.keys()].sort(), ["httponly", "persistent", "scoped", "session"]);
    assert.equal(byName.get("session")?.discard, true, "curl's expiry 0 is a session cookie");
    assert.equal(byName.get("httponly")?.hasNonstandardAttr("HTTPOnly"), true);
    assert.equal(byName.get("scoped")?.path, "/app");
    const req = new FakeRequest(`${base}/app/page`);
    jar.addCookieHeader(req);
    const sent = req.getHeader("Cookie")?.split("; ") ?? [];
    assert.equal(sent[0], "scoped=x1", "the longest path goes first");
    assert.deepEqual(sent.slice(1).sort(), ["httponly=h1", "persistent=p1", "session=s1"]);
    const root = new FakeRequest(`${base}/`);
    jar.addCookieHeader(root);
    assert.deepEqual(root.getHeader("Cookie")?.split("; ").sort(), [
      "httponly=h1",
      "persistent=p1",
      "session=s1",
    ]);
  });

  test("a file netkit saves is read by curl -b", async () => {
    const file = join(dir, "from-netkit.txt");
    const jar = new MozillaCookieJar(file);
    const far = Math.floor(Date.now() / 1000) + 3600;
    jar.setCookie(new Cookie({ name: "a", value: "1", domain: "127.0.0.1", path: "/", expires: far }));
    jar.setCookie(
      new Cookie({
        name: "h",
        value: "2",
        domain: "127.0.0.1",
        path: "/",
        expires: far,
        rest: { HTTPOnly: "" },
      }),
    );
    jar.setCookie(new Cookie({ name: "deep", value: "3", domain: "127.0.0.1", path: "/deep", expires: far }));
    jar.setCookie(new Cookie({ name: "other", value: "4", domain: "example.com", path: "/", expires: far }));
    jar.setCookie(new Cookie({ name: "s", value: "5", domain: "127.0.0.1", path: "/", discard: true }));
    // Python's format (an empty expiry for a session cookie): curl skips that line.
    await jar.save(undefined, { ignoreDiscard: true });
    const python = await run("curl", ["-sS", "--max-time", "10", "-b", file, `${base}/echo`]);
    assert.deepEqual(python.stdout.split("; ").sort(), ["a=1", "h=2"]);
    await jar.save(undefined, { ignoreDiscard: true, curlSessionExpiry: true });
    const { stdout } = await run("curl", ["-sS", "--max-time", "10", "-b", file, `${base}/echo`]);
    assert.deepEqual(stdout.split("; ").sort(), ["a=1", "h=2", "s=5"]);
    const deep = await run("curl", ["-sS", "--max-time", "10", "-b", file, `${base}/deep/x`]);
    assert.deepEqual(deep.stdout.split("; ").sort(), ["a=1", "deep=3", "h=2", "s=5"]);
  });

  test("curl -c, netkit load and save, curl -b: the cookies survive the round trip", async () => {
    const first = join(dir, "trip-1.txt");
    const second = join(dir, "trip-2.txt");
    await run("curl", ["-sS", "--max-time", "10", "-c", first, `${base}/set`]);
    const jar = new MozillaCookieJar();
    await jar.load(first, { ignoreDiscard: true });
    await jar.save(second, { ignoreDiscard: true, curlSessionExpiry: true });
    const { stdout } = await run("curl", ["-sS", "--max-time", "10", "-b", second, `${base}/app/x`]);
    assert.deepEqual(stdout.split("; ").sort(), ["httponly=h1", "persistent=p1", "scoped=x1", "session=s1"]);
  });
});
