/**
 * Attacks on netkit's http.server, each bounded in time and count: path
 * traversal in its variants, open redirects, slowloris, huge and numerous
 * headers, request smuggling, short bodies, clients leaving mid-download,
 * handlers that throw, and shutdown while a download is in flight.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { BaseHTTPRequestHandler, SimpleHTTPRequestHandler } from "../../src/http/server.js";
import { Socket } from "../../src/socket/socket.js";
import { captureStderr } from "../_support/net.js";
import { rawRequest, startServer, statusOf } from "./server-support.js";

const base = mkdtempSync(join(tmpdir(), "netkit-httpd-attack-"));
const root = join(base, "www");
const BIG = 24 * 1024 * 1024;

class Quiet extends SimpleHTTPRequestHandler {
  override logMessage(): void {}
}

before(() => {
  mkdirSync(join(root, "sub"), { recursive: true });
  mkdirSync(join(root, "evil.com"));
  mkdirSync(join(root, "http:", "evil.com"), { recursive: true });
  mkdirSync(join(base, "outside"));
  writeFileSync(join(base, "secret.txt"), "TOPSECRET");
  writeFileSync(join(base, "outside", "x.txt"), "TOPSECRET2");
  writeFileSync(join(root, "a.txt"), "hello\n");
  writeFileSync(join(root, "big.bin"), Buffer.alloc(BIG, 7));
  symlinkSync(join(base, "secret.txt"), join(root, "link-out"));
  symlinkSync(join(base, "outside"), join(root, "dirlink"));
  symlinkSync(join(root, "a.txt"), join(root, "link-in"));
});
after(() => rmSync(base, { recursive: true, force: true }));

/** Open file descriptors of this process that point at `path`. */
function openHandlesTo(path: string): number {
  let n = 0;
  for (const fd of readdirSync("/proc/self/fd")) {
    try {
      if (readlinkSync(`/proc/self/fd/${fd}`) === path) n++;
    } catch {
      // closed meanwhile
    }
  }
  return n;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Resolves true when the server closes `s` (end of stream, or reset) before sending anything. */
async function closedByPeer(s: Socket): Promise<boolean | string> {
  try {
    const data = await s.recv(1024);
    return data.length === 0 || `the server sent ${JSON.stringify(data.toString("latin1"))}`;
  } catch (err) {
    if ((err as { code?: string }).code === "ECONNRESET") return true;
    throw err;
  }
}

/**
 * `count` connections that have sent the first line of a request's head, and
 * nothing more. Their timeout (90 s) outlasts the tests' 60 s deadlines.
 */
async function slowClients(port: number, count: number): Promise<Socket[]> {
  const slow: Socket[] = [];
  for (let i = 0; i < count; i++) {
    const s = new Socket();
    s.settimeout(90);
    slow.push(s);
    await s.connect(["127.0.0.1", port]);
    await s.sendall(Buffer.from("GET / HTTP/1.1\r\n"));
  }
  return slow;
}

describe("path traversal", () => {
  const TARGETS = [
    "/../secret.txt",
    "/../../secret.txt",
    "/%2e%2e/secret.txt",
    "/%2E%2E/secret.txt",
    "/%2e%2e%2fsecret.txt",
    "/..%2fsecret.txt",
    "/..\\secret.txt",
    "/..%5csecret.txt",
    "/%5c..%5csecret.txt",
    "/sub/..%5c..%5csecret.txt",
    "/%00/../secret.txt",
    "/a.txt%00.html",
    "/....//secret.txt",
    "/./../secret.txt",
    "/%252e%252e/secret.txt",
    "/link-out",
    "/dirlink/x.txt",
    "/dirlink/",
    "http://x/../secret.txt",
    "/sub/../../secret.txt",
  ];
  for (const syncFileCalls of [true, false]) {
    test(`${TARGETS.length} traversal variants never reach a file outside the directory (syncFileCalls ${syncFileCalls})`, async () => {
      class Handler extends Quiet {
        override syncFileCalls = syncFileCalls;
      }
      const srv = await startServer(Handler.withOptions({ directory: root }));
      try {
        for (const target of TARGETS) {
          const res = (await rawRequest(srv.port, `GET ${target} HTTP/1.0\r\n\r\n`)).toString("latin1");
          assert.doesNotMatch(res, /TOPSECRET/, target);
          assert.ok([400, 404].includes(statusOf(res)), `${target} gave ${statusOf(res)}`);
        }
        // A link that stays inside is served.
        assert.match(
          (await rawRequest(srv.port, "GET /link-in HTTP/1.0\r\n\r\n")).toString(),
          /200 OK[\s\S]*hello/,
        );
      } finally {
        await srv.close();
      }
    });
  }
  test("followSymlinks serves what links point at outside the directory", async () => {
    const srv = await startServer(Quiet.withOptions({ directory: root, followSymlinks: true }));
    try {
      assert.match((await rawRequest(srv.port, "GET /link-out HTTP/1.0\r\n\r\n")).toString(), /TOPSECRET/);
      // Lexical traversal stays refused.
      assert.equal(statusOf(await rawRequest(srv.port, "GET /../secret.txt HTTP/1.0\r\n\r\n")), 404);
    } finally {
      await srv.close();
    }
  });
});

describe("special files", () => {
  // Opening a FIFO for reading waits for a writer: the event loop (sync calls)
  // or a thread-pool thread (async calls) would hang on it for good.
  for (const syncFileCalls of [true, false]) {
    test(`a FIFO is refused at once and the server goes on serving (syncFileCalls ${syncFileCalls})`, async () => {
      const dir = mkdtempSync(join(base, "fifo-"));
      mkdirSync(join(dir, "sub"));
      writeFileSync(join(dir, "a.txt"), "hello\n");
      for (const fifo of ["pipe", "sub/index.html"]) {
        const made = spawnSync("mkfifo", [join(dir, fifo)]);
        assert.equal(made.status, 0, String(made.stderr));
      }
      class Handler extends Quiet {
        override syncFileCalls = syncFileCalls;
      }
      const srv = await startServer(Handler.withOptions({ directory: dir }));
      try {
        for (let i = 0; i < 6; i++) {
          assert.equal(statusOf(await rawRequest(srv.port, "GET /pipe HTTP/1.0\r\n\r\n")), 404);
        }
        // The FIFO is not taken for the directory's index: the listing is served.
        assert.match(
          (await rawRequest(srv.port, "GET /sub/ HTTP/1.0\r\n\r\n")).toString(),
          /200 OK[\s\S]*Directory listing/,
        );
        assert.match(
          (await rawRequest(srv.port, "GET /a.txt HTTP/1.0\r\n\r\n")).toString(),
          /200 OK[\s\S]*hello/,
        );
        assert.equal(openHandlesTo(join(dir, "pipe")), 0);
      } finally {
        await srv.close();
      }
    });
  }
});

describe("open redirect", () => {
  test("a directory redirect never points at another host", async () => {
    const srv = await startServer(Quiet.withOptions({ directory: root }));
    try {
      for (const target of [
        "//evil.com",
        "///evil.com",
        "/\\evil.com",
        "http://evil.com",
        "//evil.com?x=//y",
      ]) {
        const res = (await rawRequest(srv.port, `GET ${target} HTTP/1.0\r\n\r\n`)).toString("latin1");
        const location = /^Location: (.*)\r$/m.exec(res)?.[1];
        if (location === undefined) {
          assert.ok([400, 404].includes(statusOf(res)), `${target}: ${res.slice(0, 40)}`);
          continue;
        }
        assert.equal(statusOf(res), 301, target);
        assert.match(location, /^\/(?![/\\])/, `${target} redirected to ${location}`);
      }
    } finally {
      await srv.close();
    }
  });
});

describe("slow and oversized requests", () => {
  test("slowloris: clients trickling headers are dropped after headerTimeout; others are served meanwhile", async () => {
    class Patient extends Quiet {
      override headerTimeout = null;
    }
    class Strict extends Quiet {
      override headerTimeout = 1;
    }
    // Served meanwhile: 20 clients hold connections mid-head (nothing drops them here), and
    // normal requests are still answered (a server stuck on them would answer none).
    const patient = await startServer(Patient.withOptions({ directory: root }));
    const holders = await slowClients(patient.port, 20);
    try {
      const served = await Promise.all(
        Array.from({ length: 5 }, () => rawRequest(patient.port, "GET /a.txt HTTP/1.0\r\n\r\n")),
      );
      for (const r of served) assert.equal(statusOf(r), 200);
    } finally {
      for (const s of holders) s.close();
      await patient.close();
    }
    // Dropped: 20 clients trickle a byte every 150 ms for as long as they are connected, so
    // only a limit on the whole head (headerTimeout) ends them, not an idle timeout.
    const srv = await startServer(Strict.withOptions({ directory: root }));
    const slow = await slowClients(srv.port, 20);
    try {
      let open = slow.length;
      const ends = slow.map(async (s) => {
        try {
          return await closedByPeer(s);
        } finally {
          open--;
        }
      });
      for (const end of ends) end.catch(() => {}); // awaited below
      const deadline = Date.now() + 60_000;
      while (open > 0 && Date.now() < deadline) {
        await sleep(150);
        for (const s of slow) await s.sendall(Buffer.from("X")).catch(() => {});
      }
      assert.equal(open, 0, `${open} slow clients still connected after 60 s of trickling`);
      assert.deepEqual(await Promise.all(ends), Array(slow.length).fill(true));
    } finally {
      for (const s of slow) s.close();
      await srv.close();
    }
  });

  test("the handler's timeout bounds the whole head too: a client trickling a byte every 300 ms is dropped", async () => {
    class Timed extends Quiet {
      override timeout = 1;
      override headerTimeout = null;
    }
    const srv = await startServer(Timed.withOptions({ directory: root }));
    const s = new Socket();
    s.settimeout(90);
    try {
      await s.connect(["127.0.0.1", srv.port]);
      // Trickle for as long as the connection lasts: an idle timeout alone would never end it.
      let open = true;
      const end = closedByPeer(s).finally(() => {
        open = false;
      });
      end.catch(() => {}); // awaited below
      const deadline = Date.now() + 60_000;
      for (let i = 0; open && Date.now() < deadline; i++) {
        await sleep(300);
        if (open) await s.sendall(Buffer.from(i === 0 ? "GET / HTTP/1.0\r\n" : "X")).catch(() => {});
      }
      assert.equal(open, false, "still connected after 60 s of trickling");
      assert.equal(await end, true);
    } finally {
      s.close();
      await srv.close();
    }
  });

  test("a 1 MB header line gets 431 (or a reset) without the server buffering it; the server goes on", async () => {
    const srv = await startServer(Quiet.withOptions({ directory: root }));
    try {
      const res = await rawRequest(srv.port, `GET / HTTP/1.1\r\nX: ${"a".repeat(1024 * 1024)}\r\n\r\n`).catch(
        () => Buffer.alloc(0),
      );
      if (res.length > 0) assert.equal(statusOf(res), 431);
      const exact = await rawRequest(srv.port, `GET / HTTP/1.1\r\nX: ${"a".repeat(65534)}`);
      assert.equal(statusOf(exact), 431);
      assert.match(exact.toString(), /Line too long/);
      assert.equal(statusOf(await rawRequest(srv.port, "GET /a.txt HTTP/1.0\r\n\r\n")), 200);
    } finally {
      await srv.close();
    }
  });

  test("10,000 headers get 431 Too many headers (or a reset); the server goes on", async () => {
    const srv = await startServer(Quiet.withOptions({ directory: root }));
    try {
      const res = await rawRequest(srv.port, `GET / HTTP/1.1\r\n${"X: y\r\n".repeat(10_000)}\r\n`).catch(() =>
        Buffer.alloc(0),
      );
      if (res.length > 0) {
        assert.equal(statusOf(res), 431);
        assert.match(res.toString(), /Too many headers/);
      }
      assert.equal(statusOf(await rawRequest(srv.port, "GET /a.txt HTTP/1.0\r\n\r\n")), 200);
    } finally {
      await srv.close();
    }
  });

  test("a header block over 1 MiB in lines under every other limit gets 431 (or a reset); 1 MiB exactly is served", async () => {
    const srv = await startServer(Quiet.withOptions({ directory: root }));
    try {
      // 20 lines of 60,000 bytes: each line and the count within Python's limits, 1.2 MB in all.
      const line = `X: ${"a".repeat(59_995)}\r\n`;
      const res = await rawRequest(srv.port, `GET /a.txt HTTP/1.1\r\n${line.repeat(20)}\r\n`).catch(() =>
        Buffer.alloc(0),
      );
      if (res.length > 0) {
        assert.equal(statusOf(res), 431);
        assert.match(res.toString(), /Request header fields too large/);
      }
      // The block at the limit (1 MiB, the blank line included) is read and answered.
      const head = "GET /a.txt HTTP/1.0\r\n";
      const filler = 1024 * 1024 - 17 * line.length - "Y: \r\n\r\n".length;
      const atLimit = `${head}${line.repeat(17)}Y: ${"b".repeat(filler)}\r\n\r\n`;
      assert.equal(Buffer.byteLength(atLimit) - head.length, 1024 * 1024);
      assert.equal(statusOf(await rawRequest(srv.port, atLimit)), 200);
      assert.equal(statusOf(await rawRequest(srv.port, "GET /a.txt HTTP/1.0\r\n\r\n")), 200);
    } finally {
      await srv.close();
    }
  });

  test("a request line over 65536 bytes gets 414", async () => {
    const srv = await startServer(Quiet.withOptions({ directory: root }));
    try {
      assert.equal(statusOf(await rawRequest(srv.port, `GET /${"a".repeat(65536)}`)), 414);
    } finally {
      await srv.close();
    }
  });
});

describe("request smuggling", () => {
  const CASES: Array<[string, string]> = [
    ["both framings", "POST / HTTP/1.1\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"],
    ["conflicting lengths", "POST / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello"],
    ["length list", "POST / HTTP/1.1\r\nContent-Length: 5, 6\r\n\r\nhello"],
    ["signed length", "POST / HTTP/1.1\r\nContent-Length: +5\r\n\r\nhello"],
    ["hex length", "POST / HTTP/1.1\r\nContent-Length: 0x5\r\n\r\nhello"],
    ["huge length", `POST / HTTP/1.1\r\nContent-Length: ${"9".repeat(30)}\r\n\r\n`],
    ["not chunked last", "POST / HTTP/1.1\r\nTransfer-Encoding: chunked, gzip\r\n\r\n"],
    ["TE in HTTP/1.0", "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"],
    ["obs-fold", "GET / HTTP/1.1\r\nX-A: 1\r\n folded\r\n\r\n"],
    ["space before colon", "GET / HTTP/1.1\r\nContent-Length : 5\r\n\r\nhello"],
    ["no colon", "GET / HTTP/1.1\r\nnot a header\r\n\r\n"],
    ["two hosts", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"],
    ["bare CR", "GET / HTTP/1.1\r\nX-A: 1\rTransfer-Encoding: chunked\r\n\r\n"],
    ["NUL in value", "GET / HTTP/1.1\r\nX-A: a\x00b\r\n\r\n"],
  ];
  test(`${CASES.length} ambiguous requests get one 400 and the connection closes (nothing smuggled)`, async () => {
    class Echo extends BaseHTTPRequestHandler {
      override protocolVersion = "HTTP/1.1";
      override logMessage(): void {}
      async doPOST(): Promise<void> {
        this.sendResponse(200);
        this.sendHeader("Content-Length", "0");
        await this.endHeaders();
      }
      async doGET(): Promise<void> {
        await this.doPOST();
      }
    }
    const srv = await startServer(Echo);
    try {
      for (const [name, req] of CASES) {
        const res = (await rawRequest(srv.port, `${req}GET /smuggled HTTP/1.1\r\n\r\n`)).toString("latin1");
        assert.equal(statusOf(res), 400, `${name}: ${res.slice(0, 60)}`);
        assert.match(res, /Bad request: /, name);
        assert.equal(res.match(/^HTTP\/1\.1 /gm)?.length, 1, `${name}: one response only`);
      }
    } finally {
      await srv.close();
    }
  });

  test("a GET with a body to the file handler is answered, then the connection closes", async () => {
    class Keep extends Quiet {
      override protocolVersion = "HTTP/1.1";
    }
    const srv = await startServer(Keep.withOptions({ directory: root }));
    try {
      const smuggled = "GET /sub/ HTTP/1.1\r\n\r\n";
      const res = (
        await rawRequest(
          srv.port,
          `GET /a.txt HTTP/1.1\r\nContent-Length: ${smuggled.length}\r\n\r\n${smuggled}`,
        )
      ).toString();
      assert.equal(res.match(/^HTTP\/1\.1 /gm)?.length, 1, res);
      assert.match(res, /hello/);
    } finally {
      await srv.close();
    }
  });
});

describe("bodies, errors and disconnects", () => {
  class Reader extends BaseHTTPRequestHandler {
    override logMessage(_format: string, ..._args: unknown[]): void {}
    async doPOST(): Promise<void> {
      const n = Number(this.headers.get("Content-Length"));
      const body = await this.rfile.readexactly(n);
      this.sendResponse(200);
      this.sendHeader("Content-Length", String(body.length));
      await this.endHeaders();
      await this.wfile.write(body);
    }
    async doGET(): Promise<void> {
      if (this.path === "/throw") throw new Error("handler bug");
      if (this.path === "/throw-late") {
        this.sendResponse(200);
        await this.endHeaders();
        throw new Error("late bug");
      }
      this.sendResponse(204);
      await this.endHeaders();
    }
  }

  test("a short body makes the handler fail with 500; the server goes on", async () => {
    const srv = await startServer(Reader);
    try {
      const log = await captureStderr(async () => {
        const res = await rawRequest(srv.port, "POST / HTTP/1.0\r\nContent-Length: 100\r\n\r\nonly ten b");
        assert.equal(statusOf(res), 500);
      });
      assert.match(log, /IncompleteReadError/);
      assert.equal(
        statusOf(await rawRequest(srv.port, "POST / HTTP/1.0\r\nContent-Length: 2\r\n\r\nok")),
        200,
      );
    } finally {
      await srv.close();
    }
  });

  test("a body that stops arriving is timed out by the handler's timeout", async () => {
    class Timed extends Reader {
      override timeout = 0.5;
      override logMessage(format: string, ...args: unknown[]): void {
        if (format.startsWith("Request timed out")) messages.push(String(args[0]));
      }
    }
    const messages: string[] = [];
    const srv = await startServer(Timed);
    try {
      const t = Date.now();
      const res = await rawRequest(srv.port, "POST / HTTP/1.0\r\nContent-Length: 100\r\n\r\nabc", {
        keepOpen: true,
      });
      assert.equal(res.length, 0);
      assert.equal(messages.length, 1);
      // The 0.5 s timeout, not a longer one (a busy machine may add seconds).
      assert.ok(Date.now() - t < 30_000);
    } finally {
      await srv.close();
    }
  });

  test("a handler that throws before answering gives 500; after answering, the connection just closes", async () => {
    const srv = await startServer(Reader);
    try {
      let res = "";
      const log = await captureStderr(async () => {
        res = (await rawRequest(srv.port, "GET /throw HTTP/1.0\r\n\r\n")).toString();
      });
      assert.equal(statusOf(res), 500);
      assert.match(res, /Error code: 500/);
      assert.match(log, /Exception occurred during processing of request[\s\S]*handler bug/);
      let late = "";
      await captureStderr(async () => {
        late = (await rawRequest(srv.port, "GET /throw-late HTTP/1.0\r\n\r\n")).toString();
      });
      assert.equal(late.match(/^HTTP\/1\.0 /gm)?.length, 1, late);
      assert.equal(statusOf(late), 200);
      assert.equal(statusOf(await rawRequest(srv.port, "GET /fine HTTP/1.0\r\n\r\n")), 204);
    } finally {
      await srv.close();
    }
  });

  test("a client leaving mid-download frees the file handle; the server goes on", async () => {
    const srv = await startServer(Quiet.withOptions({ directory: root }));
    const file = join(root, "big.bin");
    try {
      const s = new Socket();
      s.settimeout(60);
      await s.connect(["127.0.0.1", srv.port]);
      await s.sendall(Buffer.from("GET /big.bin HTTP/1.0\r\n\r\n"));
      let got = 0;
      while (got < 1024 * 1024) got += (await s.recv(65536)).length;
      assert.equal(openHandlesTo(file), 1, "the download holds the file open");
      s.close();
      // The server notices the close in its own time.
      const deadline = Date.now() + 30_000;
      while (openHandlesTo(file) > 0 && Date.now() < deadline) await sleep(50);
      assert.equal(openHandlesTo(file), 0, "the handle is closed");
      assert.equal(statusOf(await rawRequest(srv.port, "GET /a.txt HTTP/1.0\r\n\r\n")), 200);
    } finally {
      await srv.close();
    }
  });

  test("shutdown while a download is in flight: it finishes; idle kept-alive connections close at once", async () => {
    class Keep extends Quiet {
      override protocolVersion = "HTTP/1.1";
    }
    const srv = await startServer(Keep.withOptions({ directory: root }));
    const idle = new Socket();
    idle.settimeout(60);
    await idle.connect(["127.0.0.1", srv.port]);
    await idle.sendall(Buffer.from("GET /a.txt HTTP/1.1\r\n\r\n"));
    assert.equal(statusOf(await idle.recv(4096)), 200); // now idle, kept alive
    const s = new Socket();
    s.settimeout(60);
    await s.connect(["127.0.0.1", srv.port]);
    await s.sendall(Buffer.from("GET /big.bin HTTP/1.1\r\nConnection: close\r\n\r\n"));
    let first = await s.recv(65536);
    while (first.indexOf("\r\n\r\n") < 0) first = Buffer.concat([first, await s.recv(65536)]);
    let got = first.length - (first.indexOf("\r\n\r\n") + 4);
    const closing = srv.close();
    assert.equal((await idle.recv(10)).length, 0, "the idle connection was closed");
    for (;;) {
      await sleep(1); // a slow reader
      const chunk = await s.recv(256 * 1024);
      if (chunk.length === 0) break;
      got += chunk.length;
    }
    await closing;
    assert.equal(got, BIG);
    s.close();
    idle.close();
  });
});

describe("large files", () => {
  test("concurrent downloads of different multi-chunk files, some read slowly, arrive byte for byte", async () => {
    // copyfile reads each file into a 512 KiB chunk that is refilled, and
    // goes back to a pool, only when the socket is done with it: a chunk
    // refilled too early would put other bytes into a download.
    const files = [1_300_000, 9_000_000, 700_000].map((size, i) => {
      const data = Buffer.alloc(size);
      for (let j = 0; j + 4 <= size; j += 4) data.writeUInt32LE((j * 2654435761 + i * 97) >>> 0, j);
      writeFileSync(join(root, `chunked-${i}.bin`), data);
      return data;
    });
    class Keep extends Quiet {
      override protocolVersion = "HTTP/1.1";
    }
    const srv = await startServer(Keep.withOptions({ directory: root }));
    try {
      const download = async (i: number, slow: boolean): Promise<void> => {
        const s = new Socket();
        s.settimeout(20);
        await s.connect(["127.0.0.1", srv.port]);
        for (const round of [0, 1]) {
          await s.sendall(Buffer.from(`GET /chunked-${i}.bin HTTP/1.1\r\nHost: x\r\n\r\n`));
          // A slow reader first lets the kernel's buffers fill, so the
          // server's chunks wait in its socket queue.
          if (slow) await sleep(300);
          let got = Buffer.alloc(0);
          let bodyStart = -1;
          while (bodyStart < 0 || got.length - bodyStart < files[i]!.length) {
            if (slow) await sleep(1);
            const chunk = await s.recv(64 * 1024);
            assert.ok(chunk.length > 0, `download ${i} round ${round} ended early`);
            got = Buffer.concat([got, chunk]);
            if (bodyStart < 0 && got.indexOf("\r\n\r\n") >= 0) bodyStart = got.indexOf("\r\n\r\n") + 4;
          }
          assert.equal(statusOf(got), 200);
          assert.ok(got.subarray(bodyStart).equals(files[i]!), `download ${i} round ${round} differs`);
        }
        s.close();
      };
      await Promise.all([0, 1, 2, 0, 1, 2].map((i, k) => download(i, k % 2 === 1)));
    } finally {
      await srv.close();
    }
  });
});

describe("response head safety", () => {
  test("sendHeader refuses CR/LF; sendError escapes HTML in the message", async () => {
    class Inject extends BaseHTTPRequestHandler {
      override logMessage(): void {}
      async doGET(): Promise<void> {
        if (this.path.startsWith("/err")) {
          await this.sendError(404, `<script>alert(1)</script> ${this.path}`);
          return;
        }
        this.sendResponse(200);
        this.sendHeader("X-Echo", decodeURIComponent(this.path.slice(1)));
        await this.endHeaders();
      }
    }
    const srv = await startServer(Inject);
    try {
      const err = (await rawRequest(srv.port, "GET /err<b> HTTP/1.0\r\n\r\n")).toString();
      assert.doesNotMatch(err.split("\r\n\r\n")[1]!, /<script>|<b>/);
      assert.match(err, /&lt;script&gt;alert\(1\)&lt;\/script&gt; \/err&lt;b&gt;/);
      let res = "";
      await captureStderr(async () => {
        res = (await rawRequest(srv.port, "GET /a%0d%0aSet-Cookie:%20x=1 HTTP/1.0\r\n\r\n")).toString();
      });
      assert.equal(statusOf(res), 500);
      assert.doesNotMatch(res, /^Set-Cookie/m);
    } finally {
      await srv.close();
    }
  });
});
