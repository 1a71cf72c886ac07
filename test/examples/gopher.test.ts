/**
 * examples/gopher_server.ts and examples/gopher_client.ts (the tour's
 * Gopher stop): the client browses the example site, reads its menu, its
 * text (dot-stuffed on the wire, read back whole) and a search; and curl
 * reads the same menu bytes from the example server.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { rmSync } from "node:fs";
import { test } from "node:test";
import { promisify } from "node:util";
import { gopherClient } from "../../examples/gopher_client.js";
import { buildServer, makeSite } from "../../examples/gopher_server.js";
import { sendSelector } from "../../src/gopherlib/client.js";
import { hasCommand, peerSkip } from "../_support/peers.js";
import { whileServing } from "../gopherlib/_tree.js";

async function withExample(fn: (port: number) => Promise<void>): Promise<void> {
  const dir = makeSite();
  try {
    await whileServing(buildServer(dir, "127.0.0.1", 0), fn);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("examples/gopher_client.ts browses examples/gopher_server.ts: menu, text, search", async () => {
  await withExample(async (port) => {
    const base = `gopher://127.0.0.1:${port}`;
    assert.deepEqual(await gopherClient("127.0.0.1", port), [
      `Menu of ${base}/ (5 items):`,
      "          netkit's gopherspace",
      "          Lines without a TAB are info lines.",
      `  (TEXT)  About this server  ${base}/0/about.txt`,
      `  (INDEX) Search the titles  ${base}/7/search`,
      `  (MENU)  Documents  ${base}/1/docs/`,
      'Text "About this server":',
      "  | This server is netkit/gopherlib's GopherServer.",
      "  | .A line starting with a dot travels stuffed.",
      'Search "Search the titles" for "gopher":',
      "  (TEXT)  This server is netkit/gopherlib's GopherServer.",
      "  (TEXT)  The Internet Gopher Protocol.",
      "  (TEXT)  The gopher URI Scheme.",
    ]);
  });
});

test("curl reads the example server's menu as netkit's client does", {
  skip: peerSkip("curl", hasCommand("curl")),
}, async () => {
  await withExample(async (port) => {
    const { stdout } = await promisify(execFile)(
      "curl",
      ["-sS", "--max-time", "20", `gopher://127.0.0.1:${port}/1/docs/`],
      {
        encoding: "buffer",
      },
    );
    await using reply = await sendSelector("/docs/", "127.0.0.1", port, { timeout: 10 });
    assert.deepEqual(stdout, await reply.readBinary());
    assert.match(stdout.toString(), /^0rfc1436\.txt\t\/docs\/rfc1436\.txt\t127\.0\.0\.1\t\d+\r\n/);
  });
});
