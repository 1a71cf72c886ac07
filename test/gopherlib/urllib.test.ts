/**
 * `urlopen("gopher://...")` through urllib's GopherHandler, against
 * GopherServer on loopback: the type from the path's first character, the
 * selector percent-decoded, a search after %09 (or ?query on type 7), the
 * reply's bytes as they came; and the URLErrors Python 2 raised.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { infoItem, parseMenu } from "../../src/gopherlib/menu.js";
import { GopherServer } from "../../src/gopherlib/server.js";
import { buildOpener, GopherHandler, urlopen } from "../../src/urllib/request.js";
import { BINARY, makeTree } from "./_tree.js";

let tree: ReturnType<typeof makeTree>;
let server: GopherServer;
let serving: Promise<void>;
let base: string;

before(async () => {
  tree = makeTree();
  server = new GopherServer(["127.0.0.1", 0], {
    directory: tree.root,
    search: (selector, query) => [infoItem(`${selector} ? ${query}`)],
  });
  await server.ready;
  serving = server.serveForever(0.05);
  base = `gopher://127.0.0.1:${server.serverAddress[1]}`;
});

after(async () => {
  await server.shutdown();
  await serving;
  await server.serverClose();
  tree.cleanup();
});

async function body(url: string): Promise<Buffer> {
  await using res = await urlopen(url, { timeout: 10 });
  return await res.read();
}

test("urlopen() opens a gopher: menu, text and binary", async () => {
  const menu = parseMenu(await body(`${base}/1/sub/`));
  assert.deepEqual(
    menu.items.map((i) => i.selector),
    ["/sub/inner.txt"],
  );
  assert.equal(menu.terminated, true);
  assert.equal((await body(`${base}/0/sub/inner.txt`)).toString(), "inner\r\n.\r\n");
  assert.deepEqual(await body(`${base}/9/blob.bin`), BINARY);
  assert.deepEqual(parseMenu(await body(base)).items.length, 5);
});

test("urlopen() sends a search after %09, or after ? on a type 7 URL", async () => {
  assert.equal(parseMenu(await body(`${base}/7/find%09cats%20dogs`)).items[0]!.display, "/find ? cats dogs");
  assert.equal(parseMenu(await body(`${base}/7/find?cats`)).items[0]!.display, "/find ? cats");
});

test("urlopen() answers a gopher: response with the URL and no headers", async () => {
  await using res = await urlopen(`${base}/0/sub/inner.txt`, { timeout: 10 });
  assert.equal(res.url, `${base}/0/sub/inner.txt`);
  assert.equal(res.status, null);
  assert.deepEqual(res.headers.keys(), []);
});

test("urlopen() fails a gopher: URL with URLError: no host, a refused connection", async () => {
  await assert.rejects(urlopen("gopher:///1/", { timeout: 10 }), {
    name: "URLError",
    message: /no host given/,
  });
  const closed = new GopherServer(["127.0.0.1", 0], { directory: tree.root });
  await closed.ready;
  const port = closed.serverAddress[1];
  await closed.serverClose();
  await assert.rejects(
    urlopen(`gopher://127.0.0.1:${port}/`, { timeout: 10 }),
    (err: Error & { reason?: unknown }) => {
      assert.equal(err.name, "URLError");
      assert.equal((err.reason as Error).name, "ConnectionRefusedError");
      return true;
    },
  );
});

test("buildOpener() has GopherHandler among its defaults", () => {
  assert.ok(buildOpener().handlers.some((h) => h instanceof GopherHandler));
});
