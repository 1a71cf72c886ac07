/**
 * A script that has finished its work exits, as a Python script does, even
 * when a client still holds an idle kept-alive connection and nobody called
 * `close()`: each case runs a child process doing one call against a
 * keep-alive server in this process and checks that the child exits on its
 * own (a generous deadline; past it the child is killed and the test fails).
 * HTTPConnection, HTTPSConnection, urlopen, and ServerProxy over Transport
 * and SafeTransport.
 *
 * And the other half: a connection in use still keeps the process alive. The
 * server holds its answer (or the body after the head) back for a while; the
 * child must wait for it and print it, where an unref'd socket would let it
 * exit early with its top-level await unsettled (exit code 13). These
 * clients have no timeout, so no timer keeps the child alive in the
 * socket's place. The hold only makes an early exit easier to see, so a
 * slow machine cannot fail it.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { pathToFileURL } from "node:url";
import { BaseHTTPRequestHandler, ThreadingHTTPServer } from "../../src/http/server.js";
import type { Address } from "../../src/socket/address.js";
import type { Socket } from "../../src/socket/socket.js";
import type { TCPServer } from "../../src/socketserver/servers.js";
import { PROTOCOL_TLS_SERVER, SSLContext } from "../../src/ssl.js";
import { ThreadingXMLRPCServer } from "../../src/xmlrpc/server.js";
import { peerSkip } from "../_support/peers.js";
import { HAS_OPENSSL, makePKI } from "../_support/tls.js";

const root = join(import.meta.dirname, "..", "..");
const src = (path: string) => JSON.stringify(pathToFileURL(join(root, "src", path)).href);

/** How long the server holds an answer back in the "in use" cases. */
const HOLD_MS = 700;
/** How long a child may take to finish and exit on a busy machine. */
const DEADLINE_MS = 90_000;

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Answers every GET with a Content-Length body on a kept-alive HTTP/1.1 connection. */
class KeepAlive extends BaseHTTPRequestHandler {
  override protocolVersion = "HTTP/1.1";
  override logMessage(): void {}
  async doGET(): Promise<void> {
    const body = Buffer.from(`hello ${this.path}`);
    if (this.path === "/slow") await delay(HOLD_MS);
    this.sendResponse(200);
    this.sendHeader("Content-Length", String(body.length));
    await this.endHeaders();
    if (this.path === "/slow-body") {
      await this.wfile.flush();
      await delay(HOLD_MS);
    }
    await this.wfile.write(body);
  }
}

/** `Base` over TLS: each accepted connection does the handshake with `context` first. */
// biome-ignore lint/suspicious/noExplicitAny: a mixin's constructor takes any arguments
function overTLS<T extends new (...args: any[]) => TCPServer>(Base: T, context: SSLContext) {
  return class extends Base {
    override async getRequest(): Promise<[Socket, Address | null]> {
      const [conn, address] = await super.getRequest();
      conn.settimeout(30);
      return [await context.wrapSocket(conn, { serverSide: true }), address];
    }
  };
}

/** A child process's end: how it ended, what it printed, whether the deadline killed it. */
interface Ending {
  code: number | null;
  stdout: string;
  stderr: string;
  killed: boolean;
}

/** Runs `code` (an ES module, TypeScript imports allowed) in a child Node and waits for it to exit. */
function runChild(code: string): Promise<Ending> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", code], {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let killed = false;
    child.stdout.on("data", (b: Buffer) => (stdout += b.toString()));
    child.stderr.on("data", (b: Buffer) => (stderr += b.toString()));
    const timer = setTimeout(() => {
      killed = true;
      child.kill("SIGKILL");
    }, DEADLINE_MS);
    child.once("exit", (exitCode) => {
      clearTimeout(timer);
      resolve({ code: exitCode, stdout, stderr, killed });
    });
  });
}

/** The child exited by itself, with code 0, having printed `expected`. */
function assertExited(end: Ending, expected: string): void {
  assert.ok(!end.killed, `the child was still running after ${DEADLINE_MS} ms (stdout: ${end.stdout})`);
  assert.equal(end.code, 0, `exit code ${end.code}; stderr: ${end.stderr}`);
  assert.equal(end.stdout.trim(), expected, end.stderr);
}

describe("a client's idle kept-alive connection does not keep the process alive", () => {
  let http: ThreadingHTTPServer;
  let httpServing: Promise<void>;
  let port = 0;
  let xmlrpc: ThreadingXMLRPCServer;
  let xmlrpcServing: Promise<void>;
  let rpcPort = 0;

  before(async () => {
    http = new ThreadingHTTPServer(["127.0.0.1", 0], KeepAlive);
    await http.ready;
    port = http.serverAddress[1];
    httpServing = http.serveForever(0.05);
    xmlrpc = new ThreadingXMLRPCServer(["127.0.0.1", 0], { logRequests: false });
    xmlrpc.registerFunction((a: number, b: number) => a + b, "add");
    xmlrpc.registerFunction(async (x: number) => {
      await delay(HOLD_MS);
      return x;
    }, "slowEcho");
    await xmlrpc.ready;
    rpcPort = xmlrpc.serverAddress[1];
    xmlrpcServing = xmlrpc.serveForever(0.05);
  });

  after(async () => {
    void http.shutdown();
    void xmlrpc.shutdown();
    await Promise.all([httpServing, xmlrpcServing]);
    await Promise.all([http.serverClose(), xmlrpc.serverClose()]);
  });

  test("HTTPConnection: one request, the response read, no close(): the script exits", async () => {
    const end = await runChild(`
import { HTTPConnection } from ${src("http/client.ts")};
const conn = new HTTPConnection("127.0.0.1", ${port}, { timeout: 30 });
await conn.request("GET", "/one");
const res = await conn.getresponse();
console.log((await res.read()).toString(), res.willClose);
`);
    assertExited(end, "hello /one false");
  });

  test("HTTPConnection: the idle connection is reused after a pause, and the script still exits", async () => {
    const end = await runChild(`
import { HTTPConnection } from ${src("http/client.ts")};
const conn = new HTTPConnection("127.0.0.1", ${port}, { timeout: 30 });
await conn.request("GET", "/a");
const a = await conn.getresponse();
const first = (await a.read()).toString();
const sock = conn.sock;
await new Promise((resolve) => setTimeout(resolve, 50));
await conn.request("GET", "/b");
const b = await conn.getresponse();
console.log(first, (await b.read()).toString(), conn.sock === sock);
`);
    assertExited(end, "hello /a hello /b true");
  });

  test("urlopen(): a response read to the end, not closed: the script exits", async () => {
    const end = await runChild(`
import { urlopen } from ${src("urllib/request.ts")};
const res = await urlopen("http://127.0.0.1:${port}/url", { timeout: 30 });
console.log((await res.read()).toString());
`);
    assertExited(end, "hello /url");
  });

  test("ServerProxy (Transport): one call, no close(): the script exits", async () => {
    const end = await runChild(`
import { ServerProxy } from ${src("xmlrpc/client.ts")};
const proxy = new ServerProxy("http://127.0.0.1:${rpcPort}/RPC2");
console.log(await proxy.add(2, 3), await proxy.add(4, 5));
`);
    assertExited(end, "5 9");
  });

  describe("over TLS", { skip: peerSkip("openssl", HAS_OPENSSL) }, () => {
    let https: ThreadingHTTPServer;
    let rpcs: ThreadingXMLRPCServer;
    let serving: Promise<unknown>;
    let tlsPort = 0;
    let rpcsPort = 0;
    let caFile = "";

    before(async () => {
      const pki = makePKI();
      caFile = pki.caFile;
      const context = new SSLContext(PROTOCOL_TLS_SERVER);
      context.loadCertChain(pki.server.certFile, pki.server.keyFile);
      https = new (overTLS(ThreadingHTTPServer, context))(["127.0.0.1", 0], KeepAlive);
      rpcs = new (overTLS(ThreadingXMLRPCServer, context))(["127.0.0.1", 0], { logRequests: false });
      rpcs.registerFunction((a: number, b: number) => a * b, "mul");
      await Promise.all([https.ready, rpcs.ready]);
      tlsPort = https.serverAddress[1];
      rpcsPort = rpcs.serverAddress[1];
      serving = Promise.all([https.serveForever(0.05), rpcs.serveForever(0.05)]);
    });

    after(async () => {
      void https.shutdown();
      void rpcs.shutdown();
      await serving;
      await Promise.all([https.serverClose(), rpcs.serverClose()]);
    });

    test("ServerProxy (SafeTransport): one call, no close(): the script exits", async () => {
      const end = await runChild(`
import { readFileSync } from "node:fs";
import { ServerProxy } from ${src("xmlrpc/client.ts")};
const proxy = new ServerProxy("https://127.0.0.1:${rpcsPort}/RPC2", { context: { ca: readFileSync(${JSON.stringify(caFile)}) } });
console.log(await proxy.mul(6, 7));
`);
      assertExited(end, "42");
    });

    test("HTTPSConnection: one request, no close(): the script exits", async () => {
      const end = await runChild(`
import { readFileSync } from "node:fs";
import { HTTPSConnection } from ${src("http/client.ts")};
const conn = new HTTPSConnection("127.0.0.1", ${tlsPort}, { timeout: 30, context: { ca: readFileSync(${JSON.stringify(caFile)}) } });
await conn.request("GET", "/tls");
const res = await conn.getresponse();
console.log((await res.read()).toString(), res.willClose);
`);
      assertExited(end, "hello /tls false");
    });
  });

  test("HTTPConnection: a request waiting for its answer keeps the script alive", async () => {
    const end = await runChild(`
import { HTTPConnection } from ${src("http/client.ts")};
const conn = new HTTPConnection("127.0.0.1", ${port}); // no timeout: no timer holds the process either
await conn.request("GET", "/one");
await (await conn.getresponse()).read(); // the connection goes idle, then back in use
await conn.request("GET", "/slow");
const res = await conn.getresponse();
console.log((await res.read()).toString());
`);
    assertExited(end, "hello /slow");
  });

  test("HTTPConnection: a response whose body is still coming keeps the script alive", async () => {
    const end = await runChild(`
import { HTTPConnection } from ${src("http/client.ts")};
const conn = new HTTPConnection("127.0.0.1", ${port});
await conn.request("GET", "/one");
await (await conn.getresponse()).read();
await conn.request("GET", "/slow-body");
const res = await conn.getresponse();
console.log((await res.read()).toString());
`);
    assertExited(end, "hello /slow-body");
  });

  test("ServerProxy: a call waiting for its answer on a kept connection keeps the script alive", async () => {
    const end = await runChild(`
import { ServerProxy } from ${src("xmlrpc/client.ts")};
const proxy = new ServerProxy("http://127.0.0.1:${rpcPort}/RPC2", { timeout: null });
console.log(await proxy.add(1, 1), await proxy.slowEcho("late"));
`);
    assertExited(end, "2 late");
  });
});
