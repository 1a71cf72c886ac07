/**
 * `netkit urlretrieve` run as a user runs it: a child process, on a real
 * terminal where it matters (`script`: the progress line, Ctrl-C typed
 * there). The server is netkit's own SimpleHTTPRequestHandler (Range, ETag,
 * If-Range), which can also stall a download after its first bytes (until
 * the client goes) or cut it short; and python3's http.server, which
 * ignores Range.
 */
import assert from "node:assert/strict";
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { nameFromUrl, parseContentRange } from "../../src/cli/download.js";
import { formatBytes } from "../../src/cli/progress.js";
import { type FileBody, SimpleHTTPRequestHandler, ThreadingHTTPServer } from "../../src/http/server.js";
import type { BufferedWriter } from "../../src/io/writer.js";
import type { RequestHandlerClass } from "../../src/socketserver/base.js";
import { hasCommand, peerSkip } from "../_support/peers.js";
import { startPython } from "../_support/python.js";
import { hasScript, inTerminal, runNetkit, startNetkit } from "./cli-support.js";

const terminal = peerSkip("script (util-linux)", hasScript);
/** What ends each redraw of the progress line: erase to the end of the line, as a pattern. */
const ERASE = "\\x1b\\[K";
const SIZE = 3 * 1024 * 1024 + 17;
/** Bytes a stalled or short download sends before it stops. */
const FIRST = 300_000;
const DATA = Buffer.alloc(SIZE);
for (let i = 0; i < SIZE; i++) DATA[i] = (i * 7 + (i >> 12)) & 0xff;

/** What each GET asked for. */
const seen: Array<{ path: string; range: string | undefined; ifRange: string | undefined }> = [];
let root = "";
let base = "";
let server: ThreadingHTTPServer | undefined;
let serving: Promise<void> | undefined;

/**
 * netkit's file server, quiet, recording each GET. `/stall/NAME` and
 * `/short/NAME` serve NAME, but a GET without Range gets only FIRST bytes:
 * `stall` then waits for the client to go, `short` closes the connection.
 */
class Files extends SimpleHTTPRequestHandler {
  override protocolVersion = "HTTP/1.1";
  override logMessage(): void {}

  override translatePath(path: string): string {
    return super.translatePath(path.replace(/^\/(stall|short)\//, "/"));
  }

  override async doGET(): Promise<void> {
    seen.push({ path: this.path, range: this.headers.get("Range"), ifRange: this.headers.get("If-Range") });
    await super.doGET();
  }

  override async copyfile(source: FileBody | Buffer, outputfile: BufferedWriter): Promise<void> {
    const mode = /^\/(stall|short)\//.exec(this.path)?.[1];
    if (!mode || this.headers.get("Range") !== undefined || Buffer.isBuffer(source)) {
      return super.copyfile(source, outputfile);
    }
    const first = Buffer.alloc(FIRST);
    await source.read(first, 0, FIRST, 0);
    await outputfile.write(Buffer.concat([this.takeHeadersBuffer(), first]));
    if (mode === "stall") await this.rfile.read(1); // until the client goes
    this.closeConnection = true;
  }
}

before(async () => {
  root = await mkdtemp(join(tmpdir(), "netkit-urlretrieve-"));
  await mkdir(join(root, "www"));
  await writeFile(join(root, "www", "big.bin"), DATA);
  server = new ThreadingHTTPServer(
    ["127.0.0.1", 0],
    Files.withOptions({ directory: join(root, "www") }) as RequestHandlerClass,
  );
  await server.ready;
  serving = server.serveForever();
  base = `http://127.0.0.1:${(server.serverAddress as [string, number])[1]}`;
});
after(async () => {
  await server?.shutdown();
  await server?.serverClose();
  await serving;
  if (root) await rm(root, { recursive: true, force: true });
});

let folders = 0;
/** A fresh, empty folder to download into. */
async function folder(): Promise<string> {
  const dir = join(root, `out${++folders}`);
  await mkdir(dir);
  return dir;
}

describe("netkit urlretrieve on a terminal", { skip: terminal }, () => {
  test("Ctrl-C finishes the progress line, removes the partial file and exits 130", async () => {
    const out = await folder();
    const run = inTerminal(["urlretrieve", `${base}/stall/big.bin`], out);
    try {
      await run.waitFor((text) => text.includes("%"), "a progress line");
      run.ctrlC();
      const done = await run.finished;
      assert.equal(done.code, 130, done.stdout);
      // The terminal shows the last redraw, the ^C it echoes, and the newline that ends the line.
      assert.match(done.stdout, new RegExp(`${ERASE}(\\^C)?\r\n$`));
      assert.deepEqual(await readdir(out), []);
    } finally {
      run.kill();
    }
  });

  test("a failure ends the progress line before the message, and removes the partial file", async () => {
    const out = await folder();
    const run = inTerminal(["urlretrieve", `${base}/short/big.bin`], out);
    const done = await run.finished;
    assert.equal(done.code, 1, done.stdout);
    assert.match(
      done.stdout,
      new RegExp(
        `\\x1b\\[K\\r\\nnetkit urlretrieve: <urlopen error retrieval incomplete: got only ${FIRST} out of ${SIZE} bytes>\\r\\n$`,
      ),
    );
    assert.deepEqual(await readdir(out), []);
  });

  test("the progress line keeps its width and ends with a newline", async () => {
    const out = await folder();
    const done = await inTerminal(["urlretrieve", `${base}/big.bin`], out).finished;
    assert.equal(done.code, 0, done.stdout);
    const draws = done.stdout.split("\r").filter((d) => d.includes("%"));
    assert.ok(draws.length >= 2, done.stdout);
    const widths = new Set(draws.map((d) => d.slice(0, d.indexOf("\x1b[K")).length));
    assert.equal(widths.size, 1, `every redraw is as wide: ${[...widths]}`);
    assert.match(draws.at(-1)!, new RegExp(`^100% \\[#+\\] .* in .*${ERASE}$`));
    assert.ok(done.stdout.endsWith("\x1b[K\r\nbig.bin\r\n"), "the last line is finished before the path");
    assert.deepEqual(await readFile(join(out, "big.bin")), DATA);
  });

  test("-c: Ctrl-C keeps FILE.part and what resumes it; the next -c run resumes with Range and If-Range", async () => {
    const out = await folder();
    const url = `${base}/stall/big.bin`;
    const run = inTerminal(["urlretrieve", "-c", url], out);
    try {
      // Ctrl-C once every byte before the stall has arrived (the line is redrawn every
      // 200 ms): the first line, at 0 B, comes before them on a busy machine.
      const first = `${formatBytes(FIRST)} /`;
      await run.waitFor((text) => text.includes(first), `a progress line at ${first}`);
      run.ctrlC();
      const done = await run.finished;
      assert.equal(done.code, 130, done.stdout);
      assert.match(done.stdout, new RegExp(`\\r\\nKept ${FIRST} bytes in big\\.bin\\.part: `));
    } finally {
      run.kill();
    }
    assert.deepEqual((await readdir(out)).sort(), ["big.bin.part", "big.bin.part.json"]);
    assert.equal((await stat(join(out, "big.bin.part"))).size, FIRST);
    const saved = JSON.parse(await readFile(join(out, "big.bin.part.json"), "utf8")) as Record<
      string,
      unknown
    >;
    assert.equal(saved.url, url);
    assert.equal(saved.length, SIZE);
    assert.match(String(saved.etag), /^"/);

    const before = seen.length;
    const resumed = await runNetkit(["urlretrieve", "-c", url], out);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.deepEqual(seen.slice(before), [
      { path: "/stall/big.bin", range: `bytes=${FIRST}-`, ifRange: saved.etag },
    ]);
    assert.match(resumed.stderr, new RegExp(`^Resuming big\\.bin\\.part from byte ${FIRST} `));
    assert.deepEqual(await readdir(out), ["big.bin"]);
    assert.deepEqual(await readFile(join(out, "big.bin")), DATA);
  });
});

describe("netkit urlretrieve", () => {
  test("without a terminal, progress goes to stderr as lines and the path to stdout", async () => {
    const out = await folder();
    const done = await runNetkit(["urlretrieve", `${base}/big.bin`, "copy.bin"], out);
    assert.equal(done.code, 0, done.stderr);
    assert.equal(done.stdout, "copy.bin\n");
    assert.ok(!done.stderr.includes("\r") && !done.stderr.includes("\x1b"), "no redraws");
    assert.match(done.stderr, /^100% {5}3\.0 MiB \/ {4}3\.0 MiB .* in .*\n$/m);
    assert.deepEqual(await readFile(join(out, "copy.bin")), DATA);
  });

  test("SIGTERM removes the partial file and ends the command by that signal", async () => {
    const out = await folder();
    const run = startNetkit(["urlretrieve", `${base}/stall/big.bin`], out);
    try {
      await run.waitFor((_, err) => err.includes("%"), "a progress line");
      run.child.kill("SIGTERM");
      const done = await run.finished;
      assert.equal(done.signal, "SIGTERM");
      assert.deepEqual(await readdir(out), []);
    } finally {
      run.kill();
    }
  });

  test("a failure with -c keeps FILE.part and says how to resume", async () => {
    const out = await folder();
    const done = await runNetkit(["urlretrieve", "-q", "--continue", `${base}/short/big.bin`], out);
    assert.equal(done.code, 1);
    assert.equal(
      done.stderr,
      `Kept ${FIRST} bytes in big.bin.part: run the same command again to resume.\n` +
        `netkit urlretrieve: <urlopen error retrieval incomplete: got only ${FIRST} out of ${SIZE} bytes>\n`,
    );
    assert.equal((await stat(join(out, "big.bin.part"))).size, FIRST);
  });

  test("-c starts over when the file changed (If-Range does not hold: 200)", async () => {
    const out = await folder();
    await writeFile(join(out, "big.bin.part"), Buffer.alloc(1000, 1));
    const url = `${base}/big.bin`;
    await writeFile(join(out, "big.bin.part.json"), JSON.stringify({ url, etag: '"stale"', length: SIZE }));
    const before = seen.length;
    const done = await runNetkit(["urlretrieve", "-c", url], out);
    assert.equal(done.code, 0, done.stderr);
    assert.deepEqual(seen.slice(before), [{ path: "/big.bin", range: "bytes=1000-", ifRange: '"stale"' }]);
    assert.match(
      done.stderr,
      /The server sent the whole file \(it changed, or it does not resume\): starting over\./,
    );
    assert.deepEqual(await readFile(join(out, "big.bin")), DATA);
    assert.deepEqual(await readdir(out), ["big.bin"]);
  });

  test("-c with the whole file already in FILE.part finishes on the 416", async () => {
    const out = await folder();
    const url = `${base}/big.bin`;
    const probe = await runNetkit(["urlopen", "-i", `${url}`], out);
    const etag = /\r\nETag: ("[^"]*")\r\n/.exec(probe.stdout)?.[1];
    assert.ok(etag, probe.stdout.slice(0, 500));
    await writeFile(join(out, "big.bin.part"), DATA);
    await writeFile(join(out, "big.bin.part.json"), JSON.stringify({ url, etag, length: SIZE }));
    const before = seen.length;
    const done = await runNetkit(["urlretrieve", "-C", "-", url], out);
    assert.equal(done.code, 0, done.stderr);
    assert.deepEqual(seen.slice(before), [{ path: "/big.bin", range: `bytes=${SIZE}-`, ifRange: etag }]);
    assert.match(done.stderr, /big\.bin\.part was already complete\./);
    assert.deepEqual(await readdir(out), ["big.bin"]);
    assert.deepEqual(await readFile(join(out, "big.bin")), DATA);
  });

  test("-c against python3's http.server, which ignores Range, starts over and gets the file", {
    skip: peerSkip("python3", hasCommand("python3")),
  }, async () => {
    const { child, firstLine } = await startPython(
      `
import functools, http.server, sys
h = functools.partial(http.server.SimpleHTTPRequestHandler, directory=sys.argv[1])
h.func.log_message = lambda *a: None
s = http.server.ThreadingHTTPServer(("127.0.0.1", 0), h)
print(s.server_address[1], flush=True)
s.serve_forever()
`,
      [join(root, "www")],
    );
    try {
      const out = await folder();
      const url = `http://127.0.0.1:${firstLine}/big.bin`;
      await writeFile(join(out, "big.bin.part"), DATA.subarray(0, 5000));
      await writeFile(
        join(out, "big.bin.part.json"),
        JSON.stringify({ url, lastModified: "Mon, 01 Jan 2024 00:00:00 GMT", length: SIZE }),
      );
      const done = await runNetkit(["urlretrieve", "-c", url], out);
      assert.equal(done.code, 0, done.stderr);
      assert.match(done.stderr, /Resuming big\.bin\.part from byte 5000 [\s\S]*starting over\./);
      assert.deepEqual(await readFile(join(out, "big.bin")), DATA);
      assert.deepEqual(await readdir(out), ["big.bin"]);
    } finally {
      child.kill("SIGKILL");
    }
  });

  test("a directory as FILE saves inside it under the URL's name; a name that is a directory is refused first", async () => {
    const out = await folder();
    await mkdir(join(out, "sub"));
    const into = await runNetkit(["urlretrieve", "-q", `${base}/big.bin`, "sub"], out);
    assert.equal(into.code, 0, into.stderr);
    assert.equal(into.stdout, `${join("sub", "big.bin")}\n`);
    assert.deepEqual(await readFile(join(out, "sub", "big.bin")), DATA);

    await mkdir(join(out, "big.bin"));
    const before = seen.length;
    const refused = await runNetkit(["urlretrieve", `${base}/big.bin`], out);
    assert.deepEqual(
      [refused.code, refused.stderr],
      [1, "netkit urlretrieve: Cannot save to 'big.bin': it is a directory\n"],
    );
    assert.equal(seen.length, before, "nothing was downloaded");
    assert.deepEqual((await readdir(out)).sort(), ["big.bin", "sub"]);
    const missing = await runNetkit(["urlretrieve", `${base}/big.bin`, "nowhere/"], out);
    assert.deepEqual(
      [missing.code, missing.stderr],
      [1, "netkit urlretrieve: Cannot save to 'nowhere/': no such directory\n"],
    );
    assert.equal(seen.length, before, "nothing was downloaded");
  });

  test("an invalid URL gets urllib's message", async () => {
    const out = await folder();
    const done = await runNetkit(["urlretrieve", "not a url"], out);
    assert.deepEqual([done.code, done.stderr], [1, "netkit urlretrieve: unknown url type: 'not a url'\n"]);
    assert.deepEqual(await readdir(out), []);
  });
});

describe("urlretrieve's helpers", () => {
  test("nameFromUrl() takes the last path segment, percent-decoded, never a path or a dot name", () => {
    assert.equal(nameFromUrl("http://h/dir/file.tar.gz?x=1#y"), "file.tar.gz");
    assert.equal(nameFromUrl("http://h/a%20b.txt"), "a b.txt");
    assert.equal(nameFromUrl("http://h/x/..%2F..%2Fetc%2Fpasswd"), "passwd");
    assert.equal(nameFromUrl("http://h/dir/"), "index.html");
    assert.equal(nameFromUrl("http://h"), "index.html");
    assert.equal(nameFromUrl("http://h/%2e%2e"), "index.html");
    assert.equal(nameFromUrl("http://h/a%00b"), "index.html");
    assert.equal(nameFromUrl("http://[::1/x"), "index.html");
  });

  test("parseContentRange() reads a 206's and a 416's Content-Range", () => {
    assert.deepEqual(parseContentRange("bytes 100-199/200"), { start: 100, total: 200 });
    assert.deepEqual(parseContentRange("bytes 100-199/*"), { start: 100, total: -1 });
    assert.deepEqual(parseContentRange("bytes */200"), { start: -1, total: 200 });
    assert.equal(parseContentRange("items 1-2/3"), undefined);
    assert.equal(parseContentRange(undefined), undefined);
  });
});
