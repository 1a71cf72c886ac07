import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import type { Address } from "../../src/socket/address.js";
import { AF_INET, AF_INET6, AF_UNIX, SHUT_WR, SOCK_DGRAM } from "../../src/socket/constants.js";
import { Socket } from "../../src/socket/socket.js";
import { ForkingTCPServer, ForkingUnixStreamServer } from "../../src/socketserver/forking.js";
import {
  BaseRequestHandler,
  DatagramRequestHandler,
  StreamRequestHandler,
} from "../../src/socketserver/handlers.js";
import {
  TCPServer,
  UDPServer,
  UnixDatagramServer,
  UnixStreamServer,
} from "../../src/socketserver/servers.js";
import { ThreadingTCPServer, ThreadingUDPServer } from "../../src/socketserver/threading.js";
import { captureStderr, exchange } from "../_support/net.js";

const dir = mkdtempSync(join(tmpdir(), "netkit-ss-"));
after(() => rmSync(dir, { recursive: true, force: true }));

class UpperEcho extends StreamRequestHandler {
  override async handle(): Promise<void> {
    for await (const line of this.rfile) {
      await this.wfile.write(Buffer.from(line.toString().toUpperCase()));
    }
  }
}

class UpperDatagram extends DatagramRequestHandler {
  override async handle(): Promise<void> {
    const data = await this.rfile.read();
    await this.wfile.write(Buffer.from(data.toString().toUpperCase()));
  }
}

const talk = (address: Address, family: number, text: string) => exchange(address, text, family);

/** Captures what handleError would print, so tests stay quiet and can assert on it. */
function quietErrors<T extends { handleError: (...args: never[]) => Promise<void> }>(server: T): unknown[] {
  const errors: unknown[] = [];
  (server as unknown as { handleError: (r: unknown, a: unknown, e: unknown) => Promise<void> }).handleError =
    async (_r, _a, e) => {
      errors.push(e);
    };
  return errors;
}

describe("TCPServer", () => {
  test("serveForever() serves StreamRequestHandler clients; serverAddress has the real port", async () => {
    const server = new TCPServer(["127.0.0.1", 0], UpperEcho);
    await server.ready;
    const [host, port] = server.serverAddress;
    assert.equal(host, "127.0.0.1");
    assert.ok(port > 0);
    const serving = server.serveForever(0.05);
    assert.equal(await talk(server.serverAddress, AF_INET, "hello\nworld\n"), "HELLO\nWORLD\n");
    assert.equal(await talk(server.serverAddress, AF_INET, "again\n"), "AGAIN\n");
    await server.shutdown();
    await serving;
    await server.serverClose();
  });

  test("ready rejects with EADDRINUSE when the port is taken", async () => {
    const first = new TCPServer(["127.0.0.1", 0], UpperEcho);
    await first.ready;
    const second = new TCPServer(first.serverAddress, UpperEcho);
    await assert.rejects(second.ready, (e: unknown) => (e as { code?: string }).code === "EADDRINUSE");
    await first.serverClose();
  });

  test("a handler that throws is reported to handleError and the next client is served", async () => {
    class Flaky extends StreamRequestHandler {
      override async handle(): Promise<void> {
        const line = (await this.rfile.readline()).toString();
        if (line.startsWith("boom")) throw new Error("handler failed");
        await this.wfile.write(Buffer.from(`ok ${line}`));
      }
    }
    const server = new TCPServer(["127.0.0.1", 0], Flaky);
    const errors = quietErrors(server);
    await server.ready;
    const serving = server.serveForever(0.05);
    assert.equal(await talk(server.serverAddress, AF_INET, "boom\n"), "");
    assert.equal(await talk(server.serverAddress, AF_INET, "fine\n"), "ok fine\n");
    assert.equal(errors.length, 1);
    assert.match(String(errors[0]), /handler failed/);
    await server.shutdown();
    await serving;
    await server.serverClose();
  });

  test("handleError() prints Python's block with the client address", async () => {
    const server = new TCPServer(["127.0.0.1", 0], UpperEcho, false);
    const text = await captureStderr(() =>
      server.handleError(undefined as never, ["127.0.0.1", 5555], new Error("bad")),
    );
    assert.match(
      text,
      /^-{40}\nException occurred during processing of request from \('127\.0\.0\.1', 5555\)\n/,
    );
    assert.match(text, /Error: bad/);
  });

  test("handleRequest() handles one request, and calls handleTimeout() when none comes in time", async () => {
    let timeouts = 0;
    class Timed extends TCPServer {
      override timeout = 0.05;
      override async handleTimeout(): Promise<void> {
        timeouts++;
      }
    }
    const server = new Timed(["127.0.0.1", 0], UpperEcho);
    await server.handleRequest();
    assert.equal(timeouts, 1);
    const reply = talk(server.serverAddress, AF_INET, "one\n");
    await server.handleRequest();
    assert.equal(await reply, "ONE\n");
    await server.serverClose();
  });

  test("verifyRequest() returning false closes the connection unhandled", async () => {
    class Picky extends TCPServer {
      override verifyRequest(): boolean {
        return false;
      }
    }
    const server = new Picky(["127.0.0.1", 0], UpperEcho);
    await server.ready;
    const reply = talk(server.serverAddress, AF_INET, "x\n");
    await server.handleRequest();
    assert.equal(await reply, "");
    await server.serverClose();
  });

  test("a plain TCPServer handles one connection at a time, in order", async () => {
    const order: string[] = [];
    let aStarted!: () => void;
    const started = new Promise<void>((r) => (aStarted = r));
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    class Slow extends StreamRequestHandler {
      override async handle(): Promise<void> {
        const line = (await this.rfile.readline()).toString().trim();
        order.push(`start ${line}`);
        if (line === "a") {
          aStarted();
          await released;
        }
        order.push(`end ${line}`);
        await this.wfile.write(Buffer.from("done\n"));
      }
    }
    const server = new TCPServer(["127.0.0.1", 0], Slow);
    await server.ready;
    const serving = server.serveForever(0.05);
    const a = talk(server.serverAddress, AF_INET, "a\n");
    await started; // b connects while a is being handled
    const sock = new Socket();
    sock.settimeout(60);
    await sock.connect(server.serverAddress);
    await sock.sendall(Buffer.from("b\n"));
    sock.shutdown(SHUT_WR);
    // A server that handles both at once would start b now; give it the chance, then let a end.
    await new Promise((r) => setTimeout(r, 50));
    release();
    assert.equal(await a, "done\n");
    assert.equal((await sock.recv(100)).toString(), "done\n");
    sock.close();
    assert.deepEqual(order, ["start a", "end a", "start b", "end b"]);
    await server.shutdown();
    await serving;
    await server.serverClose();
  });

  test("a line over maxLineLength is refused with LineTooLongError and the server serves the next client", async () => {
    const server = new TCPServer(["127.0.0.1", 0], UpperEcho);
    const errors = quietErrors(server);
    await server.ready;
    const serving = server.serveForever(0.05);
    const huge = "x".repeat(70_000);
    // The server closes with the rest of the line unread, so Linux resets the connection (as with Python).
    const reply = await talk(server.serverAddress, AF_INET, `${huge}\n`).catch((e: Error) => e.name);
    assert.ok(reply === "" || reply === "ConnectionResetError", `got ${reply}`);
    assert.equal((errors[0] as Error).name, "LineTooLongError");
    assert.equal(await talk(server.serverAddress, AF_INET, "next\n"), "NEXT\n");
    await server.shutdown();
    await serving;
    await server.serverClose();
  });

  test("StreamRequestHandler.timeout drops a client that stalls", async () => {
    class Patient extends StreamRequestHandler {
      override timeout = 0.05;
      override async handle(): Promise<void> {
        await this.rfile.readline();
      }
    }
    const server = new TCPServer(["127.0.0.1", 0], Patient);
    const errors = quietErrors(server);
    await server.ready;
    const sock = new Socket();
    sock.settimeout(5);
    await sock.connect(server.serverAddress);
    await server.handleRequest();
    assert.equal((await sock.recv(10)).length, 0, "the server closed the stalled connection");
    assert.equal((errors[0] as Error).name, "TimeoutError");
    sock.close();
    await server.serverClose();
  });

  test("serverClose() closes connections nobody accepted and says so on stderr", async () => {
    const server = new TCPServer(["127.0.0.1", 0], UpperEcho);
    await server.ready;
    const waiting = new Socket();
    waiting.settimeout(5);
    await waiting.connect(server.serverAddress);
    await new Promise((r) => setTimeout(r, 20));
    const text = await captureStderr(() => server.serverClose());
    assert.match(text, /closed 1 connection\(s\) that arrived after the server stopped serving/);
    const end = await waiting.recv(10).catch((e: Error) => e.name);
    assert.ok(end === "ConnectionResetError" || (Buffer.isBuffer(end) && end.length === 0));
    waiting.close();
  });

  test("await using shuts the server down and closes it", async () => {
    let address: Address;
    {
      await using server = new TCPServer(["127.0.0.1", 0], UpperEcho);
      await server.ready;
      address = server.serverAddress;
      void server.serveForever(0.05);
      assert.equal(await talk(address, AF_INET, "x\n"), "X\n");
    }
    const probe = new Socket();
    await assert.rejects(
      probe.connect(address),
      (e: unknown) => (e as { code?: string }).code === "ECONNREFUSED",
    );
  });

  test("serveForever() after shutdown() returns at once (the disposal came first); on a closed socket it rejects with EBADF", async () => {
    let serving: Promise<void>;
    {
      await using server = new TCPServer(["127.0.0.1", 0], UpperEcho);
      await server.ready;
      serving = server.serveForever(0.05); // still at its first await when the block ends
    }
    await serving; // Python's serve_forever after shutdown(): returns at once, the request forgotten

    const closed = new TCPServer(["127.0.0.1", 0], UpperEcho);
    await closed.ready;
    await closed.serverClose();
    await assert.rejects(
      closed.serveForever(0.05),
      (e: unknown) => (e as { code?: string }).code === "EBADF",
    );

    // The shutdown request is forgotten once serveForever returns: the next one serves.
    const again = new TCPServer(["127.0.0.1", 0], UpperEcho);
    await again.ready;
    await again.shutdown();
    await again.serveForever(0.05);
    const next = again.serveForever(0.05);
    assert.equal(await talk(again.serverAddress, AF_INET, "y\n"), "Y\n");
    await again.shutdown();
    await next;
    await again.serverClose();
  });

  test("serveForever(0) polls without starving the event loop, and serves", async () => {
    class Counting extends TCPServer {
      calls = 0;
      override async serviceActions(): Promise<void> {
        // A loop that never yields would spin here forever: stop it, so the test fails instead of hanging.
        if (++this.calls === 100_000) void this.shutdown();
      }
    }
    const server = new Counting(["127.0.0.1", 0], UpperEcho);
    await server.ready;
    const serving = server.serveForever(0);
    await new Promise((resolve) => setImmediate(resolve));
    assert.ok(server.calls < 1000, `serviceActions() ran ${server.calls} times before the event loop turned`);
    assert.equal(await talk(server.serverAddress, AF_INET, "zero\n"), "ZERO\n");
    await server.shutdown();
    await serving;
    await server.serverClose();
  });

  test("serveForever() calls serviceActions() every pollInterval while idle; shutdown() wakes it at once", async () => {
    let ticked: () => void;
    const threeTicks = new Promise<void>((resolve) => (ticked = resolve));
    class Ticking extends TCPServer {
      calls = 0;
      override async serviceActions(): Promise<void> {
        if (++this.calls === 3) ticked();
      }
    }
    const server = new Ticking(["127.0.0.1", 0], UpperEcho);
    await server.ready;
    const serving = server.serveForever(0.01);
    await threeTicks;
    await server.shutdown();
    await serving;
    // A poll interval of an hour does not hold shutdown() up.
    const slow = server.serveForever(3600);
    assert.equal(await talk(server.serverAddress, AF_INET, "x\n"), "X\n");
    const started = performance.now();
    await server.shutdown();
    await slow;
    assert.ok(performance.now() - started < 5000, "shutdown() waited for the poll interval");
    await server.serverClose();
  });
});

describe("ThreadingTCPServer", () => {
  test("handles connections concurrently", async () => {
    let inside = 0;
    let most = 0;
    let overlapped!: () => void;
    const overlap = new Promise<void>((r) => (overlapped = r));
    class Overlap extends StreamRequestHandler {
      override async handle(): Promise<void> {
        inside++;
        most = Math.max(most, inside);
        if (inside > 1) overlapped();
        await this.rfile.readline();
        // Stay inside until another handler is inside too (a server handling one connection at
        // a time never gets there: each handler then gives up after 5 s).
        await Promise.race([overlap, new Promise((r) => setTimeout(r, 5000).unref())]);
        inside--;
        await this.wfile.write(Buffer.from("ok\n"));
      }
    }
    const server = new ThreadingTCPServer(["127.0.0.1", 0], Overlap);
    await server.ready;
    const serving = server.serveForever(0.05);
    const replies = await Promise.all(
      Array.from({ length: 10 }, () => talk(server.serverAddress, AF_INET, "go\n")),
    );
    assert.deepEqual(replies, Array(10).fill("ok\n"));
    assert.ok(most > 1, `expected overlap, most at once was ${most}`);
    await server.shutdown();
    await serving;
    await server.serverClose();
  });

  test("shutdown() with handlers in flight: serverClose() waits for them to finish", async () => {
    let finished = 0;
    class Long extends StreamRequestHandler {
      override async handle(): Promise<void> {
        await this.rfile.readline();
        await new Promise((r) => setTimeout(r, 100));
        await this.wfile.write(Buffer.from("finished\n"));
        finished++;
      }
    }
    const server = new ThreadingTCPServer(["127.0.0.1", 0], Long);
    await server.ready;
    const serving = server.serveForever(0.05);
    const replies = Array.from({ length: 3 }, () => talk(server.serverAddress, AF_INET, "go\n"));
    const deadline = Date.now() + 60_000;
    while (server.activeRequests < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    assert.equal(server.activeRequests, 3, "the three requests are in their handlers");
    await server.shutdown();
    await serving;
    await server.serverClose();
    assert.equal(finished, 3);
    assert.deepEqual(await Promise.all(replies), Array(3).fill("finished\n"));
  });
});

describe("UDPServer", () => {
  test("answers each datagram through DatagramRequestHandler's wfile", async () => {
    const server = new UDPServer(["127.0.0.1", 0], UpperDatagram);
    await server.ready;
    const serving = server.serveForever(0.05);
    const client = new Socket(AF_INET, SOCK_DGRAM);
    client.settimeout(5);
    await client.sendto(Buffer.from("ping"), server.serverAddress);
    const [reply, from] = await client.recvfrom(100);
    assert.equal(reply.toString(), "PING");
    assert.deepEqual(from, server.serverAddress);
    client.close();
    await server.shutdown();
    await serving;
    await server.serverClose();
  });

  test("ThreadingUDPServer answers many clients", async () => {
    const server = new ThreadingUDPServer(["127.0.0.1", 0], UpperDatagram);
    await server.ready;
    const serving = server.serveForever(0.05);
    const replies = await Promise.all(
      Array.from({ length: 5 }, async (_, i) => {
        const client = new Socket(AF_INET, SOCK_DGRAM);
        client.settimeout(5);
        await client.sendto(Buffer.from(`m${i}`), server.serverAddress);
        const [reply] = await client.recvfrom(100);
        client.close();
        return reply.toString();
      }),
    );
    assert.deepEqual(replies, ["M0", "M1", "M2", "M3", "M4"]);
    await server.shutdown();
    await serving;
    await server.serverClose();
  });
});

describe("Unix servers", () => {
  test("UnixStreamServer serves on a path", async () => {
    const path = join(dir, "stream.sock");
    const server = new UnixStreamServer(path, UpperEcho);
    await server.ready;
    assert.equal(server.serverAddress, path);
    const serving = server.serveForever(0.05);
    assert.equal(await talk(path, AF_UNIX, "unix\n"), "UNIX\n");
    await server.shutdown();
    await serving;
    await server.serverClose();
  });

  test("UnixDatagramServer answers a bound client", async () => {
    const path = join(dir, "dgram.sock");
    const server = new UnixDatagramServer(path, UpperDatagram);
    await server.ready;
    const serving = server.serveForever(0.05);
    const client = new Socket(AF_UNIX, SOCK_DGRAM);
    client.settimeout(5);
    await client.bind(join(dir, "client.sock"));
    await client.sendto(Buffer.from("dgram"), path);
    const [reply] = await client.recvfrom(100);
    assert.equal(reply.toString(), "DGRAM");
    client.close();
    await server.shutdown();
    await serving;
    await server.serverClose();
  });
});

describe("BaseRequestHandler", () => {
  test("run() calls setup, handle and finish, and finish even when handle throws", async () => {
    const calls: string[] = [];
    class Traced extends BaseRequestHandler {
      override async setup() {
        calls.push("setup");
      }
      override async handle() {
        calls.push("handle");
        throw new Error("x");
      }
      override async finish() {
        calls.push("finish");
      }
    }
    const server = new TCPServer(["127.0.0.1", 0], Traced, false);
    await assert.rejects(new Traced(null, null, server).run(), /x/);
    assert.deepEqual(calls, ["setup", "handle", "finish"]);
  });
});

describe("serverAddress types", () => {
  test("serverAddress is typed by the server's family: [host, port] or a path, no cast needed", async () => {
    // Compile-time half (npm run lint type-checks tests): each line below needs no cast,
    // and each @ts-expect-error line must stay an error.
    const tcp = new ThreadingTCPServer(["127.0.0.1", 0], UpperEcho);
    const udp = new UDPServer(["127.0.0.1", 0], UpperDatagram);
    const forking = new ForkingTCPServer(["127.0.0.1", 0], UpperEcho, false);
    const unix = new UnixStreamServer(join(dir, "typed.sock"), UpperEcho);
    const unixForking = new ForkingUnixStreamServer(join(dir, "typed-forking.sock"), UpperEcho, false);
    await Promise.all([tcp.ready, udp.ready, unix.ready]);
    try {
      const [host, port]: [string, number] = [tcp.serverAddress[0], tcp.serverAddress[1]];
      const udpPort: number = udp.serverAddress[1];
      const forkingPort: number = forking.serverAddress[1];
      const path: string = unix.serverAddress;
      const forkingPath: string = unixForking.serverAddress;
      // @ts-expect-error a TCP server's address is not a path
      const tcpPath: string = tcp.serverAddress;
      // @ts-expect-error a Unix server's address is not a (host, port) tuple
      const unixPort: number = unix.serverAddress[1];
      // @ts-expect-error a Unix server is not given a (host, port) tuple
      new UnixStreamServer(["127.0.0.1", 0], UpperEcho, false);
      // @ts-expect-error a TCP server is not given a path
      new TCPServer(join(dir, "x.sock"), UpperEcho, false);
      // Runtime half: the values are what the types say.
      assert.equal(host, "127.0.0.1");
      assert.ok(port > 0 && udpPort > 0);
      assert.equal(forkingPort, 0);
      assert.equal(path, join(dir, "typed.sock"));
      assert.equal(forkingPath, join(dir, "typed-forking.sock"));
      assert.ok(Array.isArray(tcpPath) && typeof unixPort === "string");
    } finally {
      await Promise.all([tcp.serverClose(), udp.serverClose(), unix.serverClose()]);
    }
  });

  test("an AF_INET6 TCPServer's serverAddress is Python's 4-tuple, typed as host and port first", async () => {
    class V6 extends TCPServer {
      override addressFamily = AF_INET6;
    }
    const server = new V6(["::1", 0], UpperEcho);
    try {
      await server.ready;
    } catch (err) {
      if ((err as { code?: string }).code === "EADDRNOTAVAIL") return; // no IPv6 loopback here
      throw err;
    }
    try {
      const [host, port, flowinfo, scopeId] = server.serverAddress;
      assert.deepEqual([host, typeof port, flowinfo, scopeId], ["::1", "number", 0, 0]);
    } finally {
      await server.serverClose();
    }
  });
});
