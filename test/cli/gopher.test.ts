/**
 * `netkit gopher URL` and `netkit gopher.server`: the client lists a menu
 * readably, writes a text unstuffed and a binary as it came, fails on a
 * type 3 answer; the server serves -d DIR on -b ADDRESS, prints its line,
 * stops on abort.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { gopherCommand } from "../../src/cli/gopher.js";
import { serve } from "../../src/cli/gopher_server.js";
import type { GopherServer } from "../../src/gopherlib/server.js";
import { BINARY, makeTree, TEXT_LINES } from "../gopherlib/_tree.js";

let tree: ReturnType<typeof makeTree>;
let stop: AbortController;
let done: Promise<void>;
let server: GopherServer;
let banner = "";

before(async () => {
  tree = makeTree();
  stop = new AbortController();
  let ready!: (s: GopherServer) => void;
  const listening = new Promise<GopherServer>((resolve) => {
    ready = resolve;
  });
  done = serve(["0", "-b", "127.0.0.1", "-d", tree.root], {
    signal: stop.signal,
    out: { write: (text: string) => (banner += text) },
    onListening: ready,
  });
  done.catch(() => {});
  server = await Promise.race([listening, done.then(() => undefined as never)]);
});

after(async () => {
  stop.abort();
  await done;
  tree.cleanup();
});

/** Runs `netkit gopher ARGS`; resolves with what it wrote. */
async function gopher(...argv: string[]): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const stdout = {
    write: (data: Uint8Array | string) => {
      chunks.push(Buffer.from(data));
      return true;
    },
    once: () => {},
  };
  await gopherCommand(argv, stdout);
  return Buffer.concat(chunks);
}

test("gopher.server serves -d DIR on -b ADDRESS and prints where", () => {
  const port = server.serverAddress[1];
  assert.equal(banner, `Serving Gopher on 127.0.0.1 port ${port} (gopher://127.0.0.1:${port}/) ...\n`);
  assert.equal(server.directory, tree.root);
});

test("gopher lists a menu one item a line, with each link's URL", async () => {
  const base = `gopher://127.0.0.1:${server.serverAddress[1]}`;
  assert.equal(
    (await gopher(`${base}/1/mapped/`)).toString(),
    [
      "        Mapped folder",
      "        Welcome to the mapped folder.",
      `(TEXT)  Hello  ${base}/0/hello.txt`,
      `(MENU)  Up  ${base}/1/`,
      `(TEXT)  shown.txt  ${base}/0/mapped/shown.txt`,
      "",
    ].join("\n"),
  );
});

test("gopher writes a text unstuffed, a binary as it came, and --raw the wire bytes", async () => {
  const base = `gopher://127.0.0.1:${server.serverAddress[1]}`;
  assert.equal((await gopher(`${base}/0/hello.txt`)).toString(), `${TEXT_LINES.join("\n")}\n`);
  assert.deepEqual(await gopher(`${base}/9/blob.bin`), BINARY);
  assert.match(
    (await gopher("--raw", `${base}/0/hello.txt`)).toString(),
    /^Hello, Gopher\.\r\n\.\.hidden line\r\n[\s\S]*\r\n\.\r\n$/,
  );
});

test("gopher fails when the server answers a file with a type 3 error", async () => {
  const base = `gopher://127.0.0.1:${server.serverAddress[1]}`;
  for (const url of [`${base}/0/nope.txt`, `${base}/9/escape/secret.txt`]) {
    await assert.rejects(gopher(url), {
      code: "ERR_GOPHER",
      message: /The server answered with an error: Not found/,
    });
  }
  await assert.rejects(gopher("http://127.0.0.1/"), { code: "ERR_GOPHER_BAD_URL" });
});
