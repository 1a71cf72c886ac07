/**
 * Debian's Gopher clients against netkit's GopherServer on loopback:
 * `curl gopher://...` gets the same menu and file bytes netkit's client
 * reads, and `lynx -dump` shows the same menu, with the same links as
 * netkit formats them.
 *
 * Learned: curl and lynx (2.9.0dev.12) show a text file's bytes as they
 * come: they neither unstuff a `..` line nor hide the `.` line that ends
 * it (RFC 1436's framing is the reading client's job, and neither does
 * it); curl writes a menu's bytes raw, `.` line included.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { test } from "node:test";
import { promisify } from "node:util";
import { sendSelector } from "../../src/gopherlib/client.js";
import { GopherServer } from "../../src/gopherlib/server.js";
import { formatGopherUrl } from "../../src/gopherlib/url.js";
import { hasCommand, peerSkip } from "../_support/peers.js";
import { BINARY, makeTree, TEXT, whileServing } from "../gopherlib/_tree.js";

const run = promisify(execFile);
const curlSkip = peerSkip("curl", hasCommand("curl"));
const lynxSkip = peerSkip("lynx", hasCommand("lynx", ["-version"]));

/** Runs `fn` with a GopherServer serving a fresh tree on loopback. */
async function withServer(fn: (port: number) => Promise<void>): Promise<void> {
  const tree = makeTree();
  try {
    await whileServing(new GopherServer(["127.0.0.1", 0], { directory: tree.root }), fn);
  } finally {
    tree.cleanup();
  }
}

async function curl(url: string): Promise<Buffer> {
  const { stdout } = await run("curl", ["-sS", "--max-time", "20", url], {
    encoding: "buffer",
    timeout: 30_000,
  });
  return stdout;
}

async function lynx(url: string): Promise<string> {
  const { stdout } = await run("lynx", ["-dump", "-nolist", url], {
    timeout: 30_000,
    env: { ...process.env, TERM: "dumb" },
  });
  return stdout;
}

async function lynxWithLinks(url: string): Promise<string> {
  const { stdout } = await run("lynx", ["-dump", url], {
    timeout: 30_000,
    env: { ...process.env, TERM: "dumb" },
  });
  return stdout;
}

/** What netkit's server sends for `selector`, read raw by netkit's client. */
async function raw(port: number, selector: string): Promise<Buffer> {
  await using reply = await sendSelector(selector, "127.0.0.1", port, { timeout: 10 });
  return await reply.readBinary();
}

test("curl gets GopherServer's menu, text and binary bytes as netkit's client does", {
  skip: curlSkip,
}, async () => {
  await withServer(async (port) => {
    const base = `gopher://127.0.0.1:${port}`;
    assert.deepEqual(await curl(`${base}/1/`), await raw(port, ""));
    assert.deepEqual(await curl(`${base}/1/mapped/`), await raw(port, "/mapped/"));
    const text = await curl(`${base}/0/hello.txt`);
    assert.deepEqual(text, await raw(port, "/hello.txt"));
    assert.equal(text.toString(), `${TEXT.replace(/^\./gm, "..").replaceAll("\n", "\r\n")}.\r\n`);
    assert.deepEqual(await curl(`${base}/9/blob.bin`), BINARY);
    assert.deepEqual(
      await curl(`${base}/0/escape/secret.txt`),
      Buffer.from("3Not found: /escape/secret.txt\t\terror.host\t1\r\n.\r\n"),
    );
  });
});

test("lynx -dump shows GopherServer's menus, and links to every item where netkit's URLs point", {
  skip: lynxSkip,
}, async () => {
  await withServer(async (port) => {
    const base = `gopher://127.0.0.1:${port}`;
    for (const selector of ["/", "/mapped/"]) {
      await using reply = await sendSelector(selector, "127.0.0.1", port, { timeout: 10 });
      const menu = await reply.readMenu();
      const shown = await lynxWithLinks(`${base}/1${selector}`);
      for (const item of menu.items) assert.ok(shown.includes(item.display), `${item.display} in\n${shown}`);
      const references = [...shown.matchAll(/^\s+\d+\. (gopher:\S+)$/gm)].map((m) => m[1]);
      const links = menu.items.filter((i) => i.type !== "i").map((i) => formatGopherUrl(i));
      assert.deepEqual(references, links);
    }
    // lynx shows the text's "." line as text (see the file comment).
    assert.equal((await lynx(`${base}/0/sub/inner.txt`)).trim(), "inner\n.");
  });
});
