/**
 * Differential over the network: the same crafted raw requests (well-formed
 * and malformed) to python3's http.server (SimpleHTTPRequestHandler and an
 * echo BaseHTTPRequestHandler, under HTTP/1.0 and HTTP/1.1) and to netkit's,
 * serving the same directory. Status lines, headers (minus Date and Server,
 * and the ETag / Accept-Ranges netkit adds) and bodies must be equal.
 */
import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { SimpleHTTPRequestHandler } from "../../src/http/server.js";
import { hasCommand, peerSkip } from "../_support/peers.js";
import { startPython } from "../_support/python.js";
import {
  EchoHandler,
  PY_ECHO_HANDLER,
  rawRequest,
  startServer,
  stripVolatile,
} from "../http/server-support.js";

const skip = peerSkip("python3", hasCommand("python3"));
const dir = mkdtempSync(join(tmpdir(), "netkit-httpd-diff-"));
const children: ChildProcess[] = [];
const closers: Array<() => Promise<void>> = [];

const PY_SERVERS = `${PY_ECHO_HANDLER}
import functools, sys
d, proto = sys.argv[1], sys.argv[2]
class S(http.server.SimpleHTTPRequestHandler):
    protocol_version = proto
    def log_message(self, *a): pass
H.protocol_version = proto
simple = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(S, directory=d))
echo = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
import threading
threading.Thread(target=echo.serve_forever, daemon=True).start()
print(simple.server_address[1], echo.server_address[1], flush=True)
simple.serve_forever()
`;

function fixture(): void {
  const files: Record<string, string> = {
    "a.txt": "hello\n",
    "with space.txt": "space\n",
    "ünïcode.html": "<p>u</p>\n",
    "<script>&.txt": "x\n",
    "file.tar.gz": "gz",
    "data.JSON": "{}",
    ".hidden": "h",
    "sub/index.html": "<h1>index</h1>\n",
    "sub2/b.css": "b{}",
    "sub2/c.unknownext": "?",
    "sub3/index.htm": "htm",
  };
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), content);
    utimesSync(join(dir, name), 1_600_000_000, 1_600_000_000.75);
  }
  mkdirSync(join(dir, "empty"));
}

const SIMPLE_CASES: string[] = [
  "GET / HTTP/1.0\r\n\r\n",
  "GET /a.txt HTTP/1.0\r\n\r\n",
  "HEAD /a.txt HTTP/1.0\r\n\r\n",
  "GET /a.txt?x=1#frag HTTP/1.0\r\n\r\n",
  "GET /sub HTTP/1.0\r\n\r\n",
  "GET /sub?q=1 HTTP/1.0\r\n\r\n",
  "GET //sub HTTP/1.0\r\n\r\n",
  "GET ///sub HTTP/1.0\r\n\r\n",
  "GET /sub/ HTTP/1.0\r\n\r\n",
  "GET /sub2/ HTTP/1.0\r\n\r\n",
  "GET /sub3/ HTTP/1.0\r\n\r\n",
  "GET /empty/ HTTP/1.0\r\n\r\n",
  "HEAD /sub2/ HTTP/1.0\r\n\r\n",
  "GET /nope HTTP/1.0\r\n\r\n",
  "GET /a.txt/ HTTP/1.0\r\n\r\n",
  "GET /with%20space.txt HTTP/1.0\r\n\r\n",
  "GET /%C3%BCn%C3%AFcode.html HTTP/1.0\r\n\r\n",
  "GET /%3Cscript%3E&.txt HTTP/1.0\r\n\r\n",
  "GET /file.tar.gz HTTP/1.0\r\n\r\n",
  "GET /data.JSON HTTP/1.0\r\n\r\n",
  "GET /sub2/c.unknownext HTTP/1.0\r\n\r\n",
  "GET /sub2/b.css HTTP/1.0\r\n\r\n",
  "GET /../../../etc/passwd HTTP/1.0\r\n\r\n",
  "GET /%2e%2e/%2e%2e/etc/passwd HTTP/1.0\r\n\r\n",
  "GET /sub/../a.txt HTTP/1.0\r\n\r\n",
  "GET /a.txt HTTP/1.0\r\nIf-Modified-Since: Sun, 13 Sep 2020 12:26:40 GMT\r\n\r\n",
  "GET /a.txt HTTP/1.0\r\nIf-Modified-Since: Sun, 13 Sep 2020 12:26:39 GMT\r\n\r\n",
  "GET /a.txt HTTP/1.0\r\nIf-Modified-Since: Sun, 13 Sep 2030 12:26:40 +0100\r\n\r\n",
  "GET /a.txt HTTP/1.0\r\nIf-Modified-Since: 13 Sep 2030 12:26:40\r\n\r\n",
  "GET /a.txt HTTP/1.0\r\nIf-Modified-Since: Sunday, 13-Sep-30 12:26:40 GMT\r\n\r\n",
  "GET /a.txt HTTP/1.0\r\nIf-Modified-Since: garbage\r\n\r\n",
  "GET /a.txt HTTP/1.0\r\nIf-Modified-Since: Sun, 31 Feb 2030 12:26:40 GMT\r\n\r\n",
  "POST / HTTP/1.0\r\n\r\n",
  "BREW /pot HTTP/1.0\r\n\r\n",
  "GET / HTTP/x\r\n\r\n",
  "GET / HTTP/2.0\r\n\r\n",
  "GET /a.txt\r\n",
  "GET\r\n\r\n",
  "GET / HTTP/1.0 extra\r\n\r\n",
  `GET / HTTP/1.0\r\nX: ${"a".repeat(65534)}`,
  `GET / HTTP/1.0\r\n${"X: y\r\n".repeat(101)}\r\n`,
  `GET /${"a".repeat(65536)}`,
  "GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\nGET /sub2/b.css HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
  "GET /a.txt HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\nHEAD /nope HTTP/1.0\r\n\r\n",
  "GET /a.txt HTTP/1.1\r\nExpect: 100-continue\r\n\r\n",
  "GET /a.txt HTTP/1.0\r\nRange: bytes=0-1\r\n\r\n".replace("Range", "X-Not-Range"),
];

const ECHO_CASES: string[] = [
  "GET /x?y=1 HTTP/1.0\r\nHost: h\r\nX-A: 1\r\nX-A: 2\r\n\r\n",
  "POST /p HTTP/1.1\r\nContent-Length: 0\r\n\r\n",
  "GET /a HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\nConnection: close\r\n\r\n",
  "GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /b HTTP/1.0\r\n\r\n",
  "HEAD /h HTTP/1.1\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n",
  "PUT /x HTTP/1.1\r\n\r\n",
  "GET  /two-spaces  HTTP/1.1\r\nConnection: close\r\n\r\n",
  "GET /a HTTP/1.1\nX:lf-only\n\n",
  "GET /%00 HTTP/1.0\r\n\r\n",
  "GET /\x01 HTTP/1.0\r\n\r\n",
  "GET /a HTTP/1.0\r\nX: caf\xe9\r\n\r\n",
];

/** Requests python3 serves and netkit refuses on purpose (RFC 9112's grammar), with netkit's status line. */
const DELIBERATE = new Map<string, RegExp>([
  // A control character in the target.
  ["GET /\x01 HTTP/1.0\r\n\r\n", /^HTTP\/1\.[01] 400 Bad request: control character/],
  // Two spaces: RFC 9112 3 separates the parts with one SP (Python splits on any run of whitespace).
  ["GET  /two-spaces  HTTP/1.1\r\nConnection: close\r\n\r\n", /^HTTP\/1\.[01] 400 Bad request syntax/],
]);

/** What netkit adds to Python's responses (compared separately). */
const ADDED = ["ETag", "Accept-Ranges"];

describe("netkit http.server against python3's http.server", { skip }, () => {
  const ports: Record<string, { py: number; nk: number }> = {};
  before(async () => {
    fixture();
    for (const proto of ["HTTP/1.0", "HTTP/1.1"]) {
      const { child, firstLine } = await startPython(PY_SERVERS, [dir, proto]);
      children.push(child);
      const [pySimple, pyEcho] = firstLine.split(" ").map(Number) as [number, number];
      class Simple extends SimpleHTTPRequestHandler {
        override protocolVersion = proto;
        override logMessage(): void {}
      }
      class Echo extends EchoHandler {
        override protocolVersion = proto;
      }
      class SimpleAsync extends Simple {
        override syncFileCalls = false;
      }
      const simple = await startServer(Simple.withOptions({ directory: dir }));
      const simpleAsync = await startServer(SimpleAsync.withOptions({ directory: dir }));
      const echo = await startServer(Echo);
      closers.push(simple.close, simpleAsync.close, echo.close);
      ports[`simple ${proto}`] = { py: pySimple, nk: simple.port };
      ports[`simple ${proto} async`] = { py: pySimple, nk: simpleAsync.port };
      ports[`echo ${proto}`] = { py: pyEcho, nk: echo.port };
    }
  });
  after(async () => {
    for (const close of closers) await close();
    for (const child of children) child.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  });

  for (const proto of ["HTTP/1.0", "HTTP/1.1"]) {
    // Small files are read synchronously by default; the asynchronous path must answer alike.
    for (const mode of ["", " async"]) {
      const name = `SimpleHTTPRequestHandler${mode ? " (syncFileCalls false)" : ""}, ${proto}`;
      test(`${name}: ${SIMPLE_CASES.length} requests answer the same`, async () => {
        const { py, nk } = ports[`simple ${proto}${mode}`]!;
        for (const req of SIMPLE_CASES) {
          const [theirs, mine] = await Promise.all([rawRequest(py, req), rawRequest(nk, req)]);
          const label = JSON.stringify(req.slice(0, 120));
          assert.ok(theirs.length > 0, `python3 answered ${label}`);
          assert.equal(stripVolatile(mine, ADDED), stripVolatile(theirs, ADDED), label);
        }
      });
    }
    test(`BaseHTTPRequestHandler (echo), ${proto}: ${ECHO_CASES.length} requests answer the same`, async () => {
      const { py, nk } = ports[`echo ${proto}`]!;
      for (const req of ECHO_CASES) {
        const [theirs, mine] = await Promise.all([rawRequest(py, req), rawRequest(nk, req)]);
        const label = JSON.stringify(req);
        const refusal = DELIBERATE.get(req);
        if (refusal) {
          assert.match(mine.toString("latin1"), refusal, label);
          assert.match(theirs.toString("latin1"), /^HTTP\/1\.[01] 200 /, label);
          continue;
        }
        assert.equal(stripVolatile(mine), stripVolatile(theirs), label);
      }
    });
  }
});
