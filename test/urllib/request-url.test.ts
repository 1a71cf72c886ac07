/**
 * WHATWG `URL` objects wherever urllib.request takes a URL string (what
 * Node users hold): `Request`, `urlopen`, `OpenerDirector.open`,
 * `urlretrieve`, the password manager, `ProxyHandler`, `RobotFileParser`
 * and `ServerProxy` read a `URL` as its `href`, with the same outcome as the
 * string. `HTTPConnection` takes a host, not a URL, and says so.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { pathToFileURL } from "node:url";
import { HTTPConnection } from "../../src/http/client.js";
import {
  buildOpener,
  HTTPPasswordMgr,
  ProxyHandler,
  Request,
  urlopen,
  urlretrieve,
} from "../../src/urllib/request.js";
import { RobotFileParser } from "../../src/urllib/robotparser.js";
import { ServerProxy } from "../../src/xmlrpc/client.js";
import { EchoHandler, startServer } from "../http/server-support.js";

const dir = mkdtempSync(join(tmpdir(), "netkit-url-"));
after(() => rmSync(dir, { recursive: true, force: true }));

/** What a Request made its URL into. */
const fields = (r: Request) => [r.type, r.host, r.selector, r.fragment, r.fullUrl, r.originReqHost];

test("new Request(new URL(...)) reads the URL as its href, as the same string would", () => {
  for (const text of [
    "http://example.com/a/b?q=1#frag",
    "https://user:pw@[::1]:8443/x",
    "http://h/sp%20ace?x=%41",
    "file:///etc/hosts",
    "data:,hello",
  ]) {
    const url = new URL(text);
    assert.deepEqual(fields(new Request(url)), fields(new Request(url.href)), text);
  }
  const req = new Request("http://a/");
  req.fullUrl = new URL("http://b/c");
  assert.deepEqual([req.host, req.selector], ["b", "/c"]);
});

test("urlopen(), opener.open() and urlretrieve() take a URL (data:, file: and http:)", async () => {
  const data = await urlopen(new URL("data:text/plain,hello%20url"));
  assert.equal((await data.read()).toString(), "hello url");

  const file = join(dir, "page.txt");
  writeFileSync(file, "from a file");
  const local = await buildOpener().open(pathToFileURL(file));
  assert.equal((await local.read()).toString(), "from a file");
  await local.close();

  const target = join(dir, "copy.txt");
  const [path] = await urlretrieve(pathToFileURL(file), target);
  assert.equal(path, target);
  assert.equal(readFileSync(target, "utf8"), "from a file");

  const server = await startServer(EchoHandler);
  try {
    const res = await urlopen(new URL(`http://127.0.0.1:${server.port}/echo?x=1`), { timeout: 30 });
    assert.equal(res.status, 200);
    const [command, echoedPath] = JSON.parse((await res.read()).toString()) as [string, string];
    assert.deepEqual([command, echoedPath], ["GET", "/echo?x=1"]);
  } finally {
    await server.close();
  }
});

test("HTTPPasswordMgr, ProxyHandler and RobotFileParser take URLs too", () => {
  const mgr = new HTTPPasswordMgr();
  mgr.addPassword("realm", new URL("http://h:8080/private/"), "alice", "s3cret");
  assert.deepEqual(mgr.findUserPassword("realm", "http://h:8080/private/page"), ["alice", "s3cret"]);
  mgr.addPassword("list", [new URL("http://a/"), "http://b/"], "bob", "pw");
  assert.deepEqual(mgr.findUserPassword("list", "http://a/x"), ["bob", "pw"]);

  const proxy = new ProxyHandler({ http: new URL("http://proxy.example:3128") });
  assert.equal(proxy.proxies.http, "http://proxy.example:3128/");

  const robots = new RobotFileParser(new URL("http://h/robots.txt"));
  assert.deepEqual([robots.url, robots.host, robots.path], ["http://h/robots.txt", "h", "/robots.txt"]);
  robots.setUrl(new URL("http://other/robots.txt"));
  assert.equal(robots.host, "other");
  robots.parse(["User-agent: *", "Disallow: /private"]);
  assert.equal(robots.canFetch("bot", new URL("http://other/private/x")), false);
  assert.equal(robots.canFetch("bot", new URL("http://other/public")), true);
});

test("new ServerProxy(new URL(...)) is the proxy for the same string", () => {
  const url = new URL("http://user:pw@127.0.0.1:8000/RPC2");
  assert.equal(String(new ServerProxy(url)), String(new ServerProxy(url.href)));
  assert.equal(
    String(new ServerProxy(new URL("http://127.0.0.1:8000"))),
    "<ServerProxy for 127.0.0.1:8000/>",
  );
});

test("new HTTPConnection(new URL(...)) is a TypeError: it takes a host (Python's too)", () => {
  assert.throws(() => new HTTPConnection(new URL("http://h/") as unknown as string), {
    name: "TypeError",
    code: "ERR_INVALID_ARG_TYPE",
    message: "HTTPConnection() argument 'host' must be str, not URL",
  });
});
