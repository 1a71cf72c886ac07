/**
 * netkit/asyncore on loopback: the dispatcher's events, recv/send as
 * non-blocking calls, the loop's bounds, file_dispatcher. Every test runs its
 * own map, and every loop has a round count and a timeout.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import {
  closeAll,
  compactTraceback,
  dispatcher,
  dispatcher_with_send,
  ExitNow,
  file_dispatcher,
  loop,
  poll,
  type SocketMap,
} from "../../src/asyncore/index.js";
import { SEND_QUEUE_LIMIT } from "../../src/asyncore/limits.js";
import { BlockingIOError } from "../../src/errors/index.js";
import { type Address, Socket } from "../../src/socket/index.js";
import { socketPair } from "./_pair.js";

/** Rounds a test loop may run at most (each round waits at most 5 s for an event). */
const ROUNDS = 10_000;

function port(d: dispatcher): number {
  return (d.socket!.getsockname() as [string, number])[1];
}

/** A dispatcher whose log lines are kept instead of printed. */
function logged<T extends dispatcher>(d: T): T & { lines: string[] } {
  const lines: string[] = [];
  d.logInfo = (message: string, type = "info") => {
    if (!d.ignoreLogTypes.has(type)) lines.push(`${type}: ${message}`);
  };
  return Object.assign(d, { lines });
}

class EchoHandler extends dispatcher_with_send {
  override handleRead(): void {
    const data = this.recv(8192);
    if (data.length) this.send(data);
  }
  override handleClose(): void {
    this.close();
  }
}

class EchoServer extends dispatcher {
  handlers: EchoHandler[] = [];
  constructor(readonly map: SocketMap) {
    super(null, map);
    this.createSocket();
    this.setReuseAddr();
    void this.bind(["127.0.0.1", 0]);
    void this.listen(5);
  }
  override handleAccepted(sock: Socket): void {
    this.handlers.push(new EchoHandler(sock, this.map));
  }
}

/** Sends `payload`, reads until it all came back, then closes itself and the server. */
class EchoClient extends dispatcher_with_send {
  received: Buffer[] = [];
  got = 0;
  constructor(
    map: SocketMap,
    address: Address,
    readonly payload: Buffer,
    readonly server: dispatcher,
  ) {
    super(null, map);
    this.createSocket();
    void this.connect(address);
    this.send(payload);
  }
  override handleConnect(): void {}
  override handleRead(): void {
    const data = this.recv(8192);
    this.received.push(data);
    this.got += data.length;
    if (this.got >= this.payload.length) {
      this.close();
      this.server.close();
    }
  }
}

test("dispatcher_with_send echoes bytes back in Python's EchoHandler shape", async () => {
  const map: SocketMap = new Map();
  const server = new EchoServer(map);
  await server.ready;
  // Larger than the send queue and than one read-ahead chunk: partial sends and many reads.
  const payload = Buffer.alloc(700_000);
  for (let i = 0; i < payload.length; i++) payload[i] = (i * 7) & 0xff;
  const client = new EchoClient(map, ["127.0.0.1", port(server)], payload, server);
  // Runs until the map is empty: the client closes itself and the server, the handler sees the end.
  await loop({ timeout: 5, map, count: ROUNDS });
  assert.equal(map.size, 0);
  assert.equal(server.handlers.length, 1);
  assert.ok(Buffer.concat(client.received).equals(payload));
});

test("dispatcher.connect() to a closed port reaches handleError, which logs one line and closes", async () => {
  const map: SocketMap = new Map();
  const probe = new Socket();
  await probe.bind(["127.0.0.1", 0]);
  const closedPort = (probe.getsockname() as [string, number])[1];
  probe.close();
  const client = logged(new dispatcher(null, map));
  client.createSocket();
  void client.connect(["127.0.0.1", closedPort]);
  await loop({ timeout: 5, map, count: 100 });
  assert.equal(map.size, 0);
  assert.equal(client.lines.length, 1, client.lines.join("\n"));
  assert.match(
    client.lines[0]!,
    /^error: uncaptured exception, closing channel <dispatcher 127\.0\.0\.1:\d+> \(ConnectionRefusedError:\[Errno 111\] Connection refused \[/,
  );
});

test("dispatcher.recv() returns empty and calls handleClose at the end of the stream", async () => {
  const map: SocketMap = new Map();
  const [conn, client] = await socketPair();
  await client.sendall(Buffer.from("last words"));
  client.close();
  const events: string[] = [];
  class Reader extends dispatcher {
    override writable(): boolean {
      return false;
    }
    override handleRead(): void {
      events.push(`read ${JSON.stringify(this.recv(100).toString())}`);
    }
    override handleClose(): void {
      events.push("close");
      this.close();
    }
  }
  new Reader(conn, map);
  await loop({ timeout: 5, map, count: 100 });
  // recv() calls handleClose before it returns the empty bytes, as Python's does.
  assert.deepEqual(events, ['read "last words"', "close", 'read ""']);
});

test("dispatcher.recv() throws BlockingIOError when nothing has come, as on a non-blocking socket", async () => {
  const map: SocketMap = new Map();
  const [a, b] = await socketPair();
  const d = new dispatcher(a, map);
  assert.equal(d.connected, true);
  assert.throws(() => d.recv(10), BlockingIOError);
  d.close();
  b.close();
});

test("dispatcher.send() takes at most the send queue's room, then returns 0 until it drains", async () => {
  const map: SocketMap = new Map();
  const [a, b] = await socketPair();
  const d = new dispatcher(a, map);
  const chunk = Buffer.alloc(100_000);
  let total = 0;
  let sent = d.send(chunk);
  // Bounded: the queue holds SEND_QUEUE_LIMIT bytes, so this ends within a few calls.
  for (let i = 0; i < 100 && sent > 0; i++) {
    total += sent;
    sent = d.send(chunk);
  }
  assert.equal(sent, 0);
  assert.equal(total, SEND_QUEUE_LIMIT);
  d.close();
  b.close();
});

test("dispatcher.bind() to a port in use rejects ready and reaches handleError", async () => {
  const map: SocketMap = new Map();
  const taken = new Socket();
  await taken.bind(["127.0.0.1", 0]);
  await taken.listen(1);
  const d = logged(new dispatcher(null, map));
  d.createSocket();
  void d.bind(taken.getsockname());
  void d.listen(1);
  await assert.rejects(d.ready, { code: "EADDRINUSE" });
  await loop({ timeout: 5, map, count: 10 });
  taken.close();
  assert.equal(map.size, 0);
  assert.match(d.lines[0] ?? "", /^error: uncaptured exception, closing channel .*Address already in use/);
});

test("loop() rejects with an ExitNow thrown from a handler, and runs at most count rounds", async () => {
  const map: SocketMap = new Map();
  const [a, b] = await socketPair();
  let writes = 0;
  class Writer extends dispatcher {
    override readable(): boolean {
      return false;
    }
    override handleWrite(): void {
      writes++;
    }
  }
  const w = new Writer(a, map);
  await loop({ timeout: 5, map, count: 3 });
  assert.equal(writes, 3);
  w.handleWrite = () => {
    throw new ExitNow("stop");
  };
  await assert.rejects(loop(5, false, map, 10), ExitNow);
  assert.equal(map.size, 1, "ExitNow leaves the channel open");
  closeAll(map);
  assert.equal(map.size, 0);
  b.close();
});

test("loop() resolves at once on an empty map, and poll() sleeps its timeout when nothing is watched", async () => {
  await loop({ map: new Map(), timeout: 30 });
  const map: SocketMap = new Map();
  const [a, b] = await socketPair();
  class Idle extends dispatcher {
    override readable(): boolean {
      return false;
    }
    override writable(): boolean {
      return false;
    }
  }
  new Idle(a, map);
  const start = performance.now();
  await poll(0.05, map);
  assert.ok(performance.now() - start >= 40);
  closeAll(map);
  b.close();
});

test("dispatcher.handleAccepted() by default closes the connection (and logs a warning nobody sees)", async () => {
  const map: SocketMap = new Map();
  const server = new dispatcher(null, map);
  server.createSocket();
  void server.bind(["127.0.0.1", 0]);
  void server.listen(5);
  await server.ready;
  const client = new Socket();
  await client.connect(["127.0.0.1", port(server)]);
  await loop({ timeout: 5, map, count: 1 });
  assert.equal((await client.recv(10)).length, 0, "the connection was closed");
  server.close();
  client.close();
});

test("dispatcher.toString() reads as Python's repr", async () => {
  const map: SocketMap = new Map();
  const server = new dispatcher(null, map);
  server.createSocket();
  void server.bind(["127.0.0.1", 0]);
  void server.listen(5);
  assert.equal(String(server), "<dispatcher listening 127.0.0.1:0>");
  await server.ready;
  server.close();
  assert.equal(String(new EchoHandler(null, map)), "<EchoHandler>");
});

test("compactTraceback() lists frames outermost first, innermost last", () => {
  function inner(): Error {
    return new RangeError("bad");
  }
  const [[file, fn, line], type, value, info] = compactTraceback(inner());
  assert.equal(type, "RangeError");
  assert.equal(value.message, "bad");
  assert.match(file, /asyncore\.test\.ts$/);
  assert.equal(fn, "inner");
  assert.match(line, /^\d+$/);
  assert.ok(info.endsWith(`[${file}|inner|${line}]`), info);
});

test("file_dispatcher reads a child's output to the end, then handleClose", async () => {
  const map: SocketMap = new Map();
  const child = spawn(process.execPath, [
    "-e",
    "process.stdout.write('one\\n'); setTimeout(() => console.log('two'), 20)",
  ]);
  let text = "";
  let closed = false;
  class Reader extends file_dispatcher {
    override writable(): boolean {
      return false;
    }
    override handleRead(): void {
      text += this.recv(1024).toString();
    }
    override handleClose(): void {
      closed = true;
      this.close();
    }
  }
  new Reader(child.stdout, map);
  await loop({ timeout: 5, map, count: 1000 });
  assert.equal(text, "one\ntwo\n");
  assert.ok(closed);
});

test("file_dispatcher over a file descriptor reads the file to the end, and close() closes the descriptor", async () => {
  const map: SocketMap = new Map();
  const dir = mkdtempSync(join(tmpdir(), "asyncore-"));
  const path = join(dir, "data");
  writeFileSync(path, "x".repeat(100_000));
  const fd = openSync(path, "r");
  let got = 0;
  class Reader extends file_dispatcher {
    override writable(): boolean {
      return false;
    }
    override handleRead(): void {
      got += this.recv(30_000).length;
    }
    override handleClose(): void {
      this.close();
    }
  }
  const reader = new Reader(fd, map);
  assert.equal(reader.file?.fileno(), fd);
  await loop({ timeout: 5, map, count: 1000 });
  assert.equal(got, 100_000);
  await new Promise((resolve) => setTimeout(resolve, 50)); // the fs stream closes it asynchronously
  assert.throws(() => closeSync(fd), { code: "EBADF" });
  rmSync(dir, { recursive: true });
});

test("poll() lets Node's I/O run between rounds: a channel that is always writable still gets its bytes", async () => {
  const map: SocketMap = new Map();
  const [a, b] = await socketPair();
  let got = "";
  let writes = 0;
  class Busy extends dispatcher {
    override handleWrite(): void {
      writes++;
    }
    override handleRead(): void {
      got += this.recv(100).toString();
      if (got === "ping") this.close();
    }
  }
  new Busy(a, map);
  // Sent once the loop runs: only an event-loop turn between rounds lets it in.
  setTimeout(() => void b.sendall(Buffer.from("ping")), 20);
  await loop({ timeout: 5, map, count: 1_000_000 });
  b.close();
  assert.equal(got, "ping");
  assert.ok(writes > 0);
});

test("dispatcher.setSocket() with a socket timeout set: listening and reading wait past it", async () => {
  const map: SocketMap = new Map();
  let got = "";
  class Reader extends dispatcher {
    override writable(): boolean {
      return !this.connected;
    }
    override handleConnect(): void {}
    override handleWrite(): void {}
    override handleRead(): void {
      got += this.recv(100).toString();
      if (got === "late") this.close();
    }
  }
  class Server extends dispatcher {
    override handleAccepted(conn: Socket): void {
      // Bytes come only after the client's socket timeout has passed.
      setTimeout(() => void conn.sendall(Buffer.from("late")).then(() => conn.close()), 300);
      this.close();
    }
  }
  const server = new Server(null, map);
  const listening = new Socket();
  listening.settimeout(0.05);
  server.setSocket(listening);
  void server.bind(["127.0.0.1", 0]);
  void server.listen(5);
  await server.ready;
  // The connection comes only after the listening socket's timeout has passed.
  setTimeout(() => {
    const client = new Reader(null, map);
    const sock = new Socket();
    sock.settimeout(0.05);
    client.setSocket(sock);
    void client.connect(["127.0.0.1", port(server)]);
  }, 300);
  await loop({ timeout: 5, map, count: 100 });
  assert.equal(got, "late");
});

test("dispatcher.handleConnect() runs before connected turns true, as Python's handle_connect_event orders it", async () => {
  const map: SocketMap = new Map();
  const listener = new Socket();
  await listener.bind(["127.0.0.1", 0]);
  await listener.listen(1);
  const seen: string[] = [];
  class Client extends dispatcher {
    override handleConnect(): void {
      seen.push(`connect: connected=${this.connected} connecting=${this.connecting}`);
    }
    override handleWrite(): void {
      seen.push(`write: connected=${this.connected} connecting=${this.connecting}`);
      this.close();
    }
  }
  const client = new Client(null, map);
  client.createSocket();
  void client.connect(listener.getsockname());
  await loop({ timeout: 5, map, count: 10 });
  listener.close();
  assert.deepEqual(seen, [
    "connect: connected=false connecting=true",
    "write: connected=true connecting=false",
  ]);
});
