/**
 * netkit's Gopher client against netkit's GopherServer on loopback: menus
 * (listings and gophermaps), dot-stuffed text, binaries byte for byte,
 * search, and every way out of the root refused (.., dotfiles, links).
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import {
  GopherReply,
  getBinary,
  getDirectory,
  getTextfile,
  sendQuery,
  sendSelector,
} from "../../src/gopherlib/client.js";
import { infoItem } from "../../src/gopherlib/menu.js";
import { GopherServer } from "../../src/gopherlib/server.js";
import { BINARY, makeTree, TEXT_LINES } from "./_tree.js";

let tree: ReturnType<typeof makeTree>;
let server: GopherServer;
let serving: Promise<void>;
let port: number;

before(async () => {
  tree = makeTree();
  server = new GopherServer(["127.0.0.1", 0], {
    directory: tree.root,
    search: (selector, query) => [infoItem(`searched ${selector} for ${query}`)],
  });
  await server.ready;
  serving = server.serveForever(0.05);
  port = server.serverAddress[1] as number;
});

after(async () => {
  await server.shutdown();
  await serving;
  await server.serverClose();
  tree.cleanup();
});

async function menuOf(selector: string) {
  await using reply = await sendSelector(selector, "127.0.0.1", port, { timeout: 10 });
  return await reply.readMenu({ requireTerminator: true });
}

test("GopherServer lists a folder without a gophermap, sorted, dotfiles and outside links left out", async () => {
  const menu = await menuOf("");
  assert.deepEqual(
    menu.items.map((i) => [i.type, i.display, i.selector, i.host, i.port]),
    [
      ["9", "blob.bin", "/blob.bin", "127.0.0.1", port],
      ["0", "hello.txt", "/hello.txt", "127.0.0.1", port],
      ["0", "inside-link.txt", "/inside-link.txt", "127.0.0.1", port],
      ["1", "mapped", "/mapped/", "127.0.0.1", port],
      ["1", "sub", "/sub/", "127.0.0.1", port],
    ],
  );
  assert.deepEqual(menu.defects, []);
  assert.equal(menu.terminated, true);
});

test("GopherServer serves a gophermap: title, info, links, hidden names, then the listing", async () => {
  const menu = await menuOf("/mapped");
  assert.deepEqual(
    menu.items.map((i) => [i.type, i.display, i.selector]),
    [
      ["i", "Mapped folder", ""],
      ["i", "Welcome to the mapped folder.", ""],
      ["0", "Hello", "/hello.txt"],
      ["1", "Up", "/"],
      ["0", "shown.txt", "/mapped/shown.txt"],
    ],
  );
});

test("sendSelector() reads a text dot-stuffed by the server back line for line", async () => {
  await using reply = await sendSelector("/hello.txt", "127.0.0.1", port, { timeout: 10 });
  const text = await reply.readText({ requireTerminator: true });
  assert.deepEqual(text.lines.map(String), TEXT_LINES);
  assert.equal(text.terminated, true);
});

test("getBinary() reads a binary byte for byte, and getDirectory(), getTextfile() as Python 2", async () => {
  assert.deepEqual(await getBinary(await sendSelector("/blob.bin", `127.0.0.1:${port}`)), BINARY);
  const items = await getDirectory(await sendSelector("/sub/", "127.0.0.1", String(port)));
  assert.deepEqual(
    items.map((i) => i.selector),
    ["/sub/inner.txt"],
  );
  assert.deepEqual((await getTextfile(await sendSelector("sub/inner.txt", "127.0.0.1", port))).map(String), [
    "inner",
  ]);
});

test("sendQuery() sends a type 7 search to the server's search hook", async () => {
  await using reply = await sendQuery("/find", "cats and dogs", "127.0.0.1", port, { timeout: 10 });
  const menu = await reply.readMenu();
  assert.deepEqual(
    menu.items.map((i) => i.display),
    ["searched /find for cats and dogs"],
  );
});

test("GopherServer answers a type 3 error for every way out of the root", async () => {
  for (const selector of [
    "/../outside/secret.txt",
    "/escape/secret.txt",
    "/secret-link.txt",
    "/.hidden.txt",
    "/nope",
    "/sub/../../outside/secret.txt",
  ]) {
    const menu = await menuOf(selector);
    assert.equal(menu.items.length, 1, selector);
    assert.equal(menu.items[0]!.type, "3", selector);
    assert.match(menu.items[0]!.display, /^Not found/, selector);
  }
});

test("GopherServer answers a selector past 1024 bytes with an error and closes", async () => {
  const { createConnection } = await import("../../src/socket/create.js");
  const sock = await createConnection(["127.0.0.1", port], { timeout: 10 });
  await sock.sendall(Buffer.from(`${"a".repeat(5000)}\r\n`));
  const reply = new GopherReply(sock);
  const menu = await reply.readMenu();
  reply.close();
  assert.deepEqual(
    menu.items.map((i) => [i.type, i.display]),
    [["3", "Selector too long"]],
  );
});

test("sendSelector() refuses CR, LF and NUL, and a selector past 1024 bytes, before connecting", async () => {
  for (const bad of ["a\r\nb", "a\nb", "a\0b"]) {
    await assert.rejects(sendSelector(bad, "127.0.0.1", 1), { name: "CommandError" });
  }
  await assert.rejects(sendSelector("a".repeat(1025), "127.0.0.1", 1), {
    code: "ERR_GOPHER_SELECTOR_TOO_LONG",
  });
  await assert.rejects(sendQuery("/s", "a\tb", "127.0.0.1", 1), { name: "CommandError" });
});

test("GopherServer drops a client that sends no selector within its timeout", async () => {
  const quick = new GopherServer(["127.0.0.1", 0], { directory: tree.root, timeout: 0.2 });
  await quick.ready;
  const running = quick.serveForever(0.05);
  try {
    const { createConnection } = await import("../../src/socket/create.js");
    const sock = await createConnection(["127.0.0.1", quick.serverAddress[1] as number], { timeout: 10 });
    const started = Date.now();
    assert.equal((await sock.recv(1024)).length, 0);
    assert.ok(Date.now() - started < 9000);
    sock.close();
  } finally {
    await quick.shutdown();
    await running;
    await quick.serverClose();
  }
});

test("GopherServer never waits on a FIFO: left out of the listing, Not found when asked for", async () => {
  const dir = mkdtempSync(join(tmpdir(), "netkit-gopher-fifo-"));
  writeFileSync(join(dir, "plain"), "plain text\n");
  const made = spawnSync("mkfifo", [join(dir, "notes")]);
  assert.equal(made.status, 0, String(made.stderr));
  const fifoServer = new GopherServer(["127.0.0.1", 0], { directory: dir });
  await fifoServer.ready;
  const running = fifoServer.serveForever(0.05);
  const fifoPort = fifoServer.serverAddress[1] as number;
  try {
    // Four times over: a FIFO open that waited would take one thread-pool thread each time.
    for (let i = 0; i < 4; i++) {
      await using root = await sendSelector("/", "127.0.0.1", fifoPort, { timeout: 10 });
      const listing = await root.readMenu();
      assert.deepEqual(
        listing.items.map((item) => [item.type, item.display]),
        [["0", "plain"]],
      );
      await using asked = await sendSelector("/notes", "127.0.0.1", fifoPort, { timeout: 10 });
      const menu = await asked.readMenu();
      assert.equal(menu.items[0]?.type, "3");
      assert.match(menu.items[0]!.display, /^Not found/);
    }
  } finally {
    await fifoServer.shutdown();
    await running;
    await fifoServer.serverClose();
    rmSync(dir, { recursive: true, force: true });
  }
});
