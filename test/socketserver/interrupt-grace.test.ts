/**
 * How a server stops after Ctrl-C (src/socketserver/interrupt.ts): idle
 * kept-alive connections close at once, a request in flight gets the grace
 * period and is then cut off (through the handler registry, and through
 * ThreadingMixIn's `closeTimeout`, whose "not waiting for them" now closes
 * their connections). The `netkit http.server` command built on it is
 * tested with a real terminal's Ctrl-C in test/cli/.
 */
import assert from "node:assert/strict";
import { connect, type Socket as NodeSocket } from "node:net";
import { test } from "node:test";
import { BaseHTTPRequestHandler, HTTPServer, ThreadingHTTPServer } from "../../src/http/server.js";
import type { RequestHandlerClass } from "../../src/socketserver/base.js";
import {
  closeRunningHandlers,
  StreamRequestHandler,
  serveUntilInterrupted,
  ThreadingTCPServer,
} from "../../src/socketserver/index.js";

/** `/quick` answers at once; anything else sends 1 KiB every 20 ms for minutes (a long download). */
class Slow extends BaseHTTPRequestHandler {
  override protocolVersion = "HTTP/1.1";
  override logMessage(): void {}
  async doGET(): Promise<void> {
    const quick = this.path === "/quick";
    this.sendResponse(200);
    this.sendHeader("Content-Length", quick ? "2" : String(10_000 * 1024));
    await this.endHeaders();
    if (quick) return void (await this.wfile.write(Buffer.from("ok")));
    for (let i = 0; i < 10_000; i++) {
      await this.wfile.write(Buffer.alloc(1024, 120));
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

/** A client that sends `request` and reads until the server closes; resolves with what came and when. */
function client(
  port: number,
  request: string,
): { socket: NodeSocket; got: Promise<{ bytes: number; at: number }> } {
  const socket = connect(port, "127.0.0.1");
  socket.write(request);
  let bytes = 0;
  socket.on("data", (b: Buffer) => {
    bytes += b.length;
  });
  const got = new Promise<{ bytes: number; at: number }>((resolve) => {
    socket.once("close", () => resolve({ bytes, at: performance.now() }));
    socket.once("error", () => {});
  });
  return { socket, got };
}

/** Resolves once `socket` has received something. */
function firstData(socket: NodeSocket): Promise<void> {
  return new Promise((resolve) => socket.once("data", () => resolve()));
}

/** Serves `server` until a SIGINT emitted in-process once `ready` resolves; resolves when serving ends. */
async function interruptWhen(
  server: HTTPServer,
  ready: () => Promise<void>,
  grace: number,
): Promise<{ interruptedAt: number; returnedAt: number; closedAt: number }> {
  let interruptedAt = 0;
  const serving = serveUntilInterrupted(server, {
    out: { write: () => true },
    grace,
    onServing: () => {
      void ready().then(() => {
        interruptedAt = performance.now();
        process.emit("SIGINT", "SIGINT");
      });
    },
  });
  await serving;
  const returnedAt = performance.now();
  await server.serverClose();
  return { interruptedAt, returnedAt, closedAt: performance.now() };
}

test("serveUntilInterrupted() closes an idle kept-alive connection at once, not after the grace period", async () => {
  // One request at a time: serveForever() is inside the idle connection's handler until it closes.
  const server = new HTTPServer(["127.0.0.1", 0], Slow as RequestHandlerClass);
  await server.ready;
  const port = (server.serverAddress as [string, number])[1];
  const idle = client(port, "GET /quick HTTP/1.1\r\nHost: x\r\n\r\n");
  const times = await interruptWhen(server, () => firstData(idle.socket), 60);
  const { at } = await idle.got;
  assert.ok(at - times.interruptedAt < 30_000, "closed long before the 60 s grace period");
  assert.ok(times.closedAt - times.interruptedAt < 30_000, "serverClose() did not wait for the grace period");
});

test("serveUntilInterrupted() lets a threading server's request run for the grace period, then cuts it off", async () => {
  const server = new ThreadingHTTPServer(["127.0.0.1", 0], Slow as RequestHandlerClass);
  await server.ready;
  const port = (server.serverAddress as [string, number])[1];
  const download = client(port, "GET /big HTTP/1.1\r\nHost: x\r\n\r\n");
  const times = await interruptWhen(server, () => firstData(download.socket), 0.5);
  const { bytes, at } = await download.got;
  assert.ok(
    at - times.interruptedAt >= 450,
    `ran for the grace period (${(at - times.interruptedAt).toFixed(0)} ms)`,
  );
  assert.ok(at - times.interruptedAt < 20_000, "then was cut off");
  assert.ok(bytes < 10_000 * 1024, "before it could finish");
  assert.equal(server.activeRequests, 0);
});

test("serveUntilInterrupted() cuts off the request a one-at-a-time server is inside after the grace period", async () => {
  const server = new HTTPServer(["127.0.0.1", 0], Slow as RequestHandlerClass);
  await server.ready;
  const port = (server.serverAddress as [string, number])[1];
  const download = client(port, "GET /big HTTP/1.1\r\nHost: x\r\n\r\n");
  const times = await interruptWhen(server, () => firstData(download.socket), 0.5);
  // serveForever() is inside the handler until the handler ends: it returns only once the request is cut off.
  assert.ok(times.returnedAt - times.interruptedAt >= 450);
  assert.ok(times.returnedAt - times.interruptedAt < 20_000);
  const { bytes } = await download.got;
  assert.ok(bytes < 10_000 * 1024);
});

/** Reads lines until the client goes: a connection with a read always pending. */
class Lines extends StreamRequestHandler {
  static started = 0;
  override async handle(): Promise<void> {
    Lines.started++;
    while ((await this.rfile.readline()).length > 0) {}
  }
}

test("ThreadingMixIn.serverClose() closes the connections still running after closeTimeout, and they end", async () => {
  const server = new ThreadingTCPServer(["127.0.0.1", 0], Lines);
  await server.ready;
  server.closeTimeout = 0.3;
  const serving = server.serveForever();
  const port = (server.serverAddress as [string, number])[1];
  const held = client(port, "hello\n");
  const started = Lines.started;
  while (Lines.started === started) await new Promise((r) => setTimeout(r, 10));
  await server.shutdown();
  await serving;
  const stderr = process.stderr.write;
  let logged = "";
  process.stderr.write = ((text: string) => {
    logged += text;
    return true;
  }) as typeof process.stderr.write;
  try {
    const t0 = performance.now();
    await server.serverClose();
    assert.ok(performance.now() - t0 < 20_000);
  } finally {
    process.stderr.write = stderr;
  }
  assert.equal(logged, "serverClose(): 1 request(s) still running after 0.3 s; closing their connections\n");
  assert.equal(server.activeRequests, 0, "the handler ended once its connection closed");
  await held.got; // the client sees the connection close
});

test("closeRunningHandlers() closes the connection of each tracked handler and counts them", async () => {
  const server = new ThreadingHTTPServer(["127.0.0.1", 0], Slow as RequestHandlerClass);
  await server.ready;
  const serving = server.serveForever();
  const port = (server.serverAddress as [string, number])[1];
  const download = client(port, "GET /big HTTP/1.1\r\nHost: x\r\n\r\n");
  await firstData(download.socket);
  assert.equal(closeRunningHandlers(server), 1);
  await download.got;
  await server.shutdown();
  await serving;
  await server.serverClose();
  assert.equal(closeRunningHandlers(server), 0);
});
