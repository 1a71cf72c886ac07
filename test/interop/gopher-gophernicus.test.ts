/**
 * netkit's Gopher client against Debian's gophernicus (started here on
 * loopback, one process per connection: see test/gopherlib/_gophernicus.ts), serving a
 * temp folder: menus, a gophermap, text, binary, a type 7 search through
 * a CGI script; and netkit's GopherServer serving the same folder, so the
 * two servers are compared item for item and byte for byte.
 *
 * Learned from gophernicus 3.1.1: text files go out with LF turned into
 * CRLF but no "." line and no dot-stuffing (the client reads them to the
 * close: `terminated` is false); errors are plain text, not a type 3 menu;
 * a search's query reaches a CGI script as QUERY_STRING and SEARCHREQUEST.
 */
import assert from "node:assert/strict";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { sendQuery, sendSelector } from "../../src/gopherlib/client.js";
import { GopherServer } from "../../src/gopherlib/server.js";
import { peerSkip } from "../_support/peers.js";
import { hasGophernicus, startGophernicus } from "../gopherlib/_gophernicus.js";

const skip = peerSkip("gophernicus", hasGophernicus());
const TEXT = "Hello from the text file.\nSecond line\tafter a TAB.\n\nLast line.\n";
const BINARY = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7) % 256));

let base: string;
let gophernicus: Awaited<ReturnType<typeof startGophernicus>> | undefined;
let netkit: GopherServer | undefined;
let serving: Promise<void> | undefined;

before(async () => {
  if (skip) return;
  base = mkdtempSync(join(tmpdir(), "netkit-gophernicus-"));
  const root = join(base, "root");
  mkdirSync(join(root, "sub"), { recursive: true });
  mkdirSync(join(root, "cgi-bin"));
  mkdirSync(join(root, "mapped"));
  writeFileSync(join(root, "hello.txt"), TEXT);
  writeFileSync(join(root, "blob.bin"), BINARY);
  writeFileSync(join(root, "sub", "inner.txt"), "inner\n");
  writeFileSync(join(root, "mapped", "gophermap"), "0Hello\t/hello.txt\n1Sub\t/sub/\n");
  writeFileSync(
    join(root, "cgi-bin", "search"),
    "#!/bin/sh\nprintf '0Result for %s\\t/hello.txt\\t127.0.0.1\\t70\\r\\n.\\r\\n' \"$QUERY_STRING\"\n",
  );
  chmodSync(join(root, "cgi-bin", "search"), 0o755);
  chmodSync(base, 0o755);
  gophernicus = await startGophernicus(root);
  netkit = new GopherServer(["127.0.0.1", 0], { directory: root });
  await netkit.ready;
  serving = netkit.serveForever(0.05);
});

after(async () => {
  await gophernicus?.stop();
  if (netkit) {
    await netkit.shutdown();
    await serving;
    await netkit.serverClose();
  }
  if (base) rmSync(base, { recursive: true, force: true });
});

test("sendSelector() reads gophernicus's menu of a folder", { skip }, async () => {
  await using reply = await sendSelector("", "127.0.0.1", gophernicus!.port, { timeout: 10 });
  const menu = await reply.readMenu({ requireTerminator: true });
  assert.deepEqual(menu.defects, []);
  assert.deepEqual(
    menu.items.map((i) => [i.type, i.display, i.selector, i.host, i.port]),
    [
      ["1", "cgi-bin", "/cgi-bin/", "127.0.0.1", gophernicus!.port],
      ["1", "mapped", "/mapped/", "127.0.0.1", gophernicus!.port],
      ["1", "sub", "/sub/", "127.0.0.1", gophernicus!.port],
      ["9", "blob.bin", "/blob.bin", "127.0.0.1", gophernicus!.port],
      ["0", "hello.txt", "/hello.txt", "127.0.0.1", gophernicus!.port],
    ],
  );
});

test("sendSelector() reads a gophermap served by gophernicus", { skip }, async () => {
  await using reply = await sendSelector("/mapped/", "127.0.0.1", gophernicus!.port, { timeout: 10 });
  const menu = await reply.readMenu();
  const links = menu.items.filter((i) => i.type !== "i").map((i) => [i.type, i.display, i.selector]);
  assert.deepEqual(links, [
    ["0", "Hello", "/hello.txt"],
    ["1", "Sub", "/sub/"],
  ]);
});

test("readText() reads gophernicus's text to the close, and readBinary() its binary byte for byte", {
  skip,
}, async () => {
  {
    await using reply = await sendSelector("/hello.txt", "127.0.0.1", gophernicus!.port, { timeout: 10 });
    const text = await reply.readText();
    assert.deepEqual(text.lines.map(String), TEXT.split("\n").slice(0, -1));
    assert.equal(text.terminated, false);
  }
  await using reply = await sendSelector("/blob.bin", "127.0.0.1", gophernicus!.port, { timeout: 10 });
  assert.deepEqual(await reply.readBinary(), BINARY);
});

test("sendQuery() searches through gophernicus (a CGI script gets the query)", { skip }, async () => {
  await using reply = await sendQuery("/cgi-bin/search", "cats and dogs", "127.0.0.1", gophernicus!.port, {
    timeout: 10,
  });
  const menu = await reply.readMenu({ requireTerminator: true });
  assert.deepEqual(
    menu.items.map((i) => [i.type, i.display, i.selector]),
    [["0", "Result for cats and dogs", "/hello.txt"]],
  );
});

test("GopherServer and gophernicus serve the same folder alike: the same items, the same bytes", {
  skip,
}, async () => {
  const items = async (port: number, selector: string) => {
    await using reply = await sendSelector(selector, "127.0.0.1", port, { timeout: 10 });
    const menu = await reply.readMenu();
    return menu.items.map((i) => `${i.type} ${i.display} ${i.selector}`).sort();
  };
  for (const selector of ["", "/sub/"]) {
    assert.deepEqual(
      await items(netkit!.serverAddress[1] as number, selector),
      await items(gophernicus!.port, selector),
      selector,
    );
  }
  const binary = async (port: number) => {
    await using reply = await sendSelector("/blob.bin", "127.0.0.1", port, { timeout: 10 });
    return await reply.readBinary();
  };
  assert.deepEqual(await binary(netkit!.serverAddress[1] as number), await binary(gophernicus!.port));
  const text = async (port: number) => {
    await using reply = await sendSelector("/hello.txt", "127.0.0.1", port, { timeout: 10 });
    return (await reply.readText()).lines.map(String);
  };
  assert.deepEqual(await text(netkit!.serverAddress[1] as number), await text(gophernicus!.port));
});
