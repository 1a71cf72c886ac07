import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import fc from "fast-check";
import {
  BlockingIOError,
  BrokenPipeError,
  ConnectionRefusedError,
  ConnectionResetError,
  OSError,
  OverflowError,
  TimeoutError,
  ValueError,
} from "../../src/errors/index.js";
import type { Address, INETAddress } from "../../src/socket/address.js";
import {
  AF_INET,
  AF_INET6,
  AF_UNIX,
  IPPROTO_TCP,
  MSG_PEEK,
  SHUT_RD,
  SHUT_WR,
  SO_KEEPALIVE,
  SO_RCVBUF,
  SO_TYPE,
  SOCK_DGRAM,
  SOCK_STREAM,
  SOL_SOCKET,
  TCP_NODELAY,
} from "../../src/socket/constants.js";
import { getdefaulttimeout, Socket, setdefaulttimeout } from "../../src/socket/socket.js";

const dir = mkdtempSync(join(tmpdir(), "netkit-socket-"));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A listening socket on loopback and a client connected to it, plus the accepted end. */
async function pair(
  family = AF_INET,
): Promise<{ server: Socket; client: Socket; conn: Socket; close: () => void }> {
  const server = new Socket(family);
  await server.bind(
    family === AF_INET6 ? ["::1", 0] : family === AF_UNIX ? join(dir, `s${Math.random()}`) : ["127.0.0.1", 0],
  );
  await server.listen(5);
  const client = new Socket(family);
  await client.connect(server.getsockname());
  const [conn] = await server.accept();
  return {
    server,
    client,
    conn,
    close: () => {
      client.close();
      conn.close();
      server.close();
    },
  };
}

describe("Socket stream", () => {
  test("recv() gets what sendall() sent, and an empty Buffer after the peer closes", async () => {
    const { client, conn, close } = await pair();
    await client.sendall(Buffer.from("hello"));
    assert.equal((await conn.recv(1024)).toString(), "hello");
    client.close();
    assert.equal((await conn.recv(1024)).length, 0);
    close();
  });

  test("recv(n) returns at most n bytes and keeps the rest", async () => {
    const { client, conn, close } = await pair();
    await client.sendall(Buffer.from("abcdef"));
    const first = await conn.recv(2);
    assert.equal(first.toString(), "ab");
    let rest = "";
    while (rest.length < 4) rest += (await conn.recv(100)).toString();
    assert.equal(rest, "cdef");
    close();
  });

  test("recv(0) resolves at once with an empty Buffer; recv(-1) is a ValueError", async () => {
    const { conn, close } = await pair();
    assert.equal((await conn.recv(0)).length, 0);
    await assert.rejects(
      conn.recv(-1),
      (e: unknown) => e instanceof ValueError && /negative buffersize/.test(e.message),
    );
    close();
  });

  test("recv() with MSG_PEEK leaves the bytes to be read again", async () => {
    const { client, conn, close } = await pair();
    await client.sendall(Buffer.from("peek"));
    assert.equal((await conn.recv(10, MSG_PEEK)).toString(), "peek");
    assert.equal((await conn.recv(10)).toString(), "peek");
    close();
  });

  test("recvInto() fills the given buffer", async () => {
    const { client, conn, close } = await pair();
    await client.sendall(Buffer.from("xyz"));
    const buf = Buffer.alloc(8);
    const n = await conn.recvInto(buf);
    assert.equal(n, 3);
    assert.equal(buf.subarray(0, n).toString(), "xyz");
    close();
  });

  test("connect() to a closed port throws ConnectionRefusedError with errno 111", async () => {
    const probe = new Socket();
    await probe.bind(["127.0.0.1", 0]);
    const port = (probe.getsockname() as INETAddress)[1];
    probe.close();
    await new Promise((r) => setTimeout(r, 20));
    const sock = new Socket();
    await assert.rejects(sock.connect(["127.0.0.1", port]), (e: unknown) => {
      assert.ok(e instanceof ConnectionRefusedError);
      assert.equal(e.errno, 111);
      assert.equal(e.code, "ECONNREFUSED");
      assert.equal(e.message, "[Errno 111] Connection refused");
      return true;
    });
    assert.equal(await new Socket().connectEx(["127.0.0.1", port]), 111);
    sock.close();
  });

  test("bind() to an address in use throws OSError EADDRINUSE naming the address", async () => {
    const first = new Socket();
    await first.bind(["127.0.0.1", 0]);
    const port = (first.getsockname() as INETAddress)[1];
    const second = new Socket();
    await assert.rejects(second.bind(["127.0.0.1", port]), (e: unknown) => {
      assert.ok(e instanceof OSError);
      assert.equal(e.errno, 98);
      assert.equal(e.code, "EADDRINUSE");
      assert.match(e.message, new RegExp(`Address already in use: \\('127\\.0\\.0\\.1', ${port}\\)`));
      return true;
    });
    first.close();
    second.close();
  });

  test("bind() checks the address like Python (port range, tuple shape)", async () => {
    const sock = new Socket();
    await assert.rejects(
      sock.bind(["127.0.0.1", 70000]),
      (e: unknown) => e instanceof OverflowError && e.message === "bind(): port must be 0-65535.",
    );
    await assert.rejects(
      sock.bind("x"),
      (e: unknown) =>
        e instanceof TypeError && e.message === "bind(): AF_INET address must be tuple, not str",
    );
    sock.close();
  });

  test("calls after close() throw OSError EBADF, and close() twice is harmless", async () => {
    const { conn, close } = await pair();
    conn.close();
    conn.close();
    await assert.rejects(conn.recv(1), (e: unknown) => e instanceof OSError && e.errno === 9);
    await assert.rejects(
      conn.sendall(Buffer.from("x")),
      (e: unknown) => e instanceof OSError && e.errno === 9,
    );
    assert.equal(conn.fileno(), -1);
    close();
  });

  test("recv() throws TimeoutError('timed out') when nothing arrives in time", async () => {
    const { conn, close } = await pair();
    conn.settimeout(0.05);
    const started = performance.now();
    await assert.rejects(
      conn.recv(1),
      (e: unknown) => e instanceof TimeoutError && e.message === "timed out",
    );
    assert.ok(performance.now() - started >= 40);
    close();
  });

  test("accept() throws TimeoutError when no client comes; BlockingIOError when non-blocking", async () => {
    const server = new Socket();
    await server.bind(["127.0.0.1", 0]);
    await server.listen();
    server.settimeout(0.05);
    await assert.rejects(server.accept(), TimeoutError);
    server.setblocking(false);
    assert.equal(server.getblocking(), false);
    await assert.rejects(server.accept(), (e: unknown) => e instanceof BlockingIOError && e.errno === 11);
    server.close();
  });

  test("accept() on a socket that is not listening is OSError EINVAL", async () => {
    const sock = new Socket();
    await assert.rejects(sock.accept(), (e: unknown) => e instanceof OSError && e.errno === 22);
    sock.close();
  });

  test("shutdown(SHUT_WR) ends the stream for the peer, which can still reply (half-close)", async () => {
    const { client, conn, close } = await pair();
    await client.sendall(Buffer.from("question"));
    client.shutdown(SHUT_WR);
    let got = "";
    for (;;) {
      const chunk = await conn.recv(100);
      if (chunk.length === 0) break;
      got += chunk.toString();
    }
    assert.equal(got, "question");
    await conn.sendall(Buffer.from("answer"));
    conn.close();
    let reply = "";
    for (;;) {
      const chunk = await client.recv(100);
      if (chunk.length === 0) break;
      reply += chunk.toString();
    }
    assert.equal(reply, "answer");
    await assert.rejects(client.sendall(Buffer.from("more")), BrokenPipeError);
    close();
  });

  test("shutdown(SHUT_RD) makes later recv() return empty", async () => {
    const { client, conn, close } = await pair();
    await client.sendall(Buffer.from("ignored"));
    conn.shutdown(SHUT_RD);
    assert.equal((await conn.recv(10)).length, 0);
    close();
  });

  test("a peer that resets mid-stream gives ConnectionResetError", async () => {
    const { client, conn, close } = await pair();
    // Unread data at close(2) makes Linux send RST instead of FIN.
    await conn.sendall(Buffer.from("unread"));
    await new Promise((r) => setTimeout(r, 20));
    client.close();
    await new Promise((r) => setTimeout(r, 20));
    await assert.rejects(
      (async () => {
        for (let i = 0; i < 50; i++) await conn.sendall(Buffer.alloc(65536));
      })(),
      (e: unknown) => e instanceof ConnectionResetError || e instanceof BrokenPipeError,
    );
    close();
  });

  test("unread data is bounded: a sender to a reader that never reads stalls and times out", async () => {
    const { client, conn, close } = await pair();
    conn.setsockopt(SOL_SOCKET, SO_RCVBUF, 64 * 1024);
    client.settimeout(0.5);
    let sent = 0;
    await assert.rejects(
      (async () => {
        for (let i = 0; i < 4096; i++) {
          await client.sendall(Buffer.alloc(64 * 1024));
          sent += 64 * 1024;
        }
      })(),
      TimeoutError,
    );
    assert.ok(sent < 256 * 1024 * 1024, `sender should stall long before 256 MiB, sent ${sent}`);
    // The receiving side holds at most its bound plus one chunk, not everything sent.
    let held = 0;
    conn.setblocking(false);
    try {
      held = (await conn.recv(1 << 30)).length;
    } catch {}
    assert.ok(held <= 64 * 1024 + 65536 * 2, `held ${held}`);
    close();
  });

  test("send() that throws BlockingIOError or TimeoutError has queued nothing: the peer gets exactly what send() counted", async () => {
    // A caller retries a send that failed; had the failed call queued its
    // bytes, they would arrive twice. Each send carries its own index.
    for (const mode of ["non-blocking", "timeout"] as const) {
      const { client, conn, close } = await pair();
      if (mode === "non-blocking") client.setblocking(false);
      else client.settimeout(0.2);
      const chunk = (i: number) => Buffer.alloc(64 * 1024, i % 251);
      let sent = 0;
      let failure: unknown;
      for (let i = 0; i < 4096 && failure === undefined; i++) {
        try {
          assert.equal(await client.send(chunk(i)), 64 * 1024);
          sent++;
        } catch (err) {
          failure = err;
        }
      }
      assert.ok(
        mode === "non-blocking" ? failure instanceof BlockingIOError : failure instanceof TimeoutError,
        `${mode}: ${String(failure)}`,
      );
      // The failed send is retried once there is room, as a caller would.
      client.settimeout(null);
      const retried = client.send(chunk(sent)).then(() => client.shutdown(SHUT_WR));
      const parts: Buffer[] = [];
      for (;;) {
        const got = await conn.recv(1 << 20);
        if (got.length === 0) break;
        parts.push(got);
      }
      await retried;
      const all = Buffer.concat(parts);
      assert.equal(all.length, (sent + 1) * 64 * 1024, `${mode}: ${sent + 1} sends counted`);
      for (let i = 0; i <= sent; i++)
        assert.equal(all[i * 64 * 1024], i % 251, `${mode}: send ${i} in place`);
      close();
    }
  });

  test("sendall() of 8 MiB arrives whole and in order", async () => {
    const { client, conn, close } = await pair();
    const data = Buffer.alloc(8 * 1024 * 1024);
    for (let i = 0; i < data.length; i += 4) data.writeUInt32LE(i, i);
    const sending = client.sendall(data).then(() => client.shutdown(SHUT_WR));
    const parts: Buffer[] = [];
    for (;;) {
      const chunk = await conn.recv(1 << 20);
      if (chunk.length === 0) break;
      parts.push(chunk);
    }
    await sending;
    assert.ok(Buffer.concat(parts).equals(data));
    close();
  });

  test("accepted connections receiving at once each get their own bytes", async () => {
    // Their reads share one buffer, and large ones come in buffers of each
    // connection's own, handed to the reader: no read may land in another's.
    const server = new Socket();
    await server.bind(["127.0.0.1", 0]);
    await server.listen(8);
    const streams = [1, 2, 3, 4].map((seed) => {
      const data = Buffer.alloc(3 * 1024 * 1024 + seed * 1000);
      for (let i = 0; i < data.length; i++) data[i] = (i * seed + (i >> 10)) & 0xff;
      return data;
    });
    const clients = streams.map(() => new Socket());
    const accepted: Socket[] = [];
    for (const client of clients) {
      await client.connect(server.getsockname());
      accepted.push((await server.accept())[0]);
    }
    try {
      const sending = clients.map((client, i) =>
        client.sendall(streams[i]!).then(() => client.shutdown(SHUT_WR)),
      );
      const received = await Promise.all(
        accepted.map(async (conn, i) => {
          conn.settimeout(10);
          const parts: Buffer[] = [];
          for (let n = 0; ; n++) {
            // Alternate large and small reads, so both buffers are in play.
            const chunk = await conn.recv(n % 3 === 2 ? 1000 + i : 1 << 20);
            if (chunk.length === 0) return Buffer.concat(parts);
            parts.push(chunk); // kept as given: a later read overwriting it shows below
          }
        }),
      );
      await Promise.all(sending);
      for (const [i, got] of received.entries()) assert.ok(got.equals(streams[i]!), `connection ${i}`);
    } finally {
      for (const sock of [...clients, ...accepted, server]) sock.close();
    }
  });

  test("recvInto(), recv() and makefile readinto() mixed get every byte in order (fast-check)", async () => {
    // Either end reads through the shared buffer (the connecting one from
    // the start, the accepted one from its first read): a waiting recvInto
    // takes bytes straight into its buffer, a makefile readinto of 64 KiB or
    // more has the kernel read into it, and bytes that come between two
    // readinto calls wait in the connection's spare buffer. recv() and
    // read1() hand out views of what is queued, and large reads come in
    // buffers of their own, which later reads must not overwrite.
    const read = fc.record({
      kind: fc.constantFrom("recvInto", "recv", "readinto"),
      size: fc.oneof(fc.integer({ min: 100, max: 2_000 }), fc.integer({ min: 60_000, max: 400_000 })),
      pauseMs: fc.constantFrom(0, 0, 5),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 300_000 }), { minLength: 1, maxLength: 6 }),
        fc.array(read, { minLength: 1, maxLength: 8 }),
        fc.boolean(),
        async (sends, reads, acceptedReads) => {
          const ends = await pair();
          const { close } = ends;
          const [client, conn] = acceptedReads ? [ends.conn, ends.client] : [ends.client, ends.conn];
          // A read or send that never finishes fails the run instead of the whole file.
          client.settimeout(10);
          conn.settimeout(10);
          try {
            const total = sends.reduce((a, b) => a + b, 0);
            // Every byte differs from its neighbours, so a lost, doubled or misplaced piece shows.
            const stream = Buffer.alloc(total);
            for (let i = 0; i < total; i++) stream[i] = (i * 7 + (i >> 9)) & 0xff;
            const sending = (async () => {
              let at = 0;
              for (const n of sends) {
                await conn.sendall(stream.subarray(at, at + n));
                at += n;
              }
              conn.shutdown(SHUT_WR);
            })();
            const file = client.makefile("rb");
            const got: Buffer[] = [];
            let usedFile = false;
            for (let i = 0; ; i++) {
              const { kind, size, pauseMs } = reads[i % reads.length]!;
              // Pauses early on, while the sender is still sending; later ones would only make a run slow.
              if (pauseMs && i < 12) await new Promise((r) => setTimeout(r, pauseMs));
              let piece: Buffer;
              // Once the file has read, its buffer may hold bytes: keep reading through it.
              usedFile ||= kind === "readinto";
              if (usedFile && kind === "recv") {
                piece = await file.read1(size);
              } else if (usedFile) {
                const target = Buffer.alloc(size);
                piece = target.subarray(0, await file.readinto(target));
              } else if (kind === "recv") {
                piece = await client.recv(size);
              } else {
                const target = Buffer.alloc(size);
                piece = target.subarray(0, await client.recvInto(target));
              }
              if (piece.length === 0) break;
              got.push(piece); // kept as given: a later read overwriting it shows below
            }
            await sending;
            assert.ok(Buffer.concat(got).equals(stream));
          } finally {
            close();
          }
        },
      ),
      { numRuns: 40, endOnFailure: true }, // shrinking megabyte streams would take minutes
    );
  });

  test("a readinto that times out while the kernel was to read into its buffer leaves that buffer alone", async () => {
    const { client, conn, close } = await pair();
    try {
      client.settimeout(0.2);
      const file = client.makefile("rb");
      const target = Buffer.alloc(256 * 1024);
      // 1000 bytes arrive, then nothing: the next read was set to land in target.
      await conn.sendall(Buffer.alloc(1000, 1));
      await assert.rejects(file.readinto(target), TimeoutError);
      target.fill(0xee); // the caller's memory again
      const later = Buffer.alloc(5000);
      for (let i = 0; i < later.length; i++) later[i] = i & 0xff;
      await conn.sendall(later);
      await new Promise((r) => setTimeout(r, 50));
      assert.ok(
        target.every((b) => b === 0xee),
        "bytes read after the timeout landed in the abandoned buffer",
      );
      client.settimeout(5);
      const rest = Buffer.alloc(later.length);
      let filled = 0;
      while (filled < rest.length) filled += await client.recvInto(rest.subarray(filled));
      assert.ok(rest.equals(later));
    } finally {
      close();
    }
  });

  test("makefile writeDone() resolves only when the socket is done with the buffer, which may then be refilled", async () => {
    // One 512 KiB buffer, refilled after each writeDone, while the peer
    // reads nothing for a while: the kernel's buffers fill up and later
    // chunks wait whole in Node's queue (under its 1 MiB high-water mark,
    // where a plain write() would already resolve).
    const { client, conn, close } = await pair();
    try {
      const writer = client.makefile("wb");
      const buffer = Buffer.alloc(512 * 1024);
      const expected: Buffer[] = [];
      const sending = (async () => {
        for (let i = 0; i < 48; i++) {
          for (let j = 0; j < buffer.length; j += 4) buffer.writeUInt32LE((i * 0x9e3779b1 + j) >>> 0, j);
          expected.push(Buffer.from(buffer));
          await writer.writeDone(buffer);
        }
        await writer.flush();
        client.shutdown(SHUT_WR);
      })();
      await new Promise((r) => setTimeout(r, 300));
      const parts: Buffer[] = [];
      for (;;) {
        const chunk = await conn.recv(1024 * 1024);
        if (chunk.length === 0) break;
        parts.push(chunk);
      }
      await sending;
      assert.ok(
        Buffer.concat(parts).equals(Buffer.concat(expected)),
        "a refilled buffer changed bytes still to be sent",
      );
    } finally {
      close();
    }
  });

  test("small and large sends in one turn, then close(), arrive whole and in order", async () => {
    // Small writes wait for the end of the event-loop turn to leave as one;
    // a larger write, a shutdown or a close must not overtake or drop them.
    const size = fc.oneof(fc.integer({ min: 0, max: 64 }), fc.integer({ min: 1, max: 40_000 }));
    const step = fc.record({ size, awaited: fc.boolean() });
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { minLength: 1, maxLength: 12 }),
        fc.boolean(),
        async (steps, halfClose) => {
          const { client, conn, close } = await pair();
          try {
            const sent: Buffer[] = [];
            const pending: Promise<unknown>[] = [];
            for (const [i, { size, awaited }] of steps.entries()) {
              const data = Buffer.alloc(size, i % 251);
              sent.push(data);
              const sending = i % 2 === 0 ? client.sendall(data) : client.send(data);
              if (awaited) await sending;
              else pending.push(sending);
            }
            await Promise.all(pending);
            if (halfClose) client.shutdown(SHUT_WR);
            else client.close();
            const parts: Buffer[] = [];
            for (;;) {
              const chunk = await conn.recv(1 << 16);
              if (chunk.length === 0) break;
              parts.push(chunk);
            }
            assert.ok(Buffer.concat(parts).equals(Buffer.concat(sent)));
          } finally {
            close();
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  test("getsockname()/getpeername() give Python's tuples; accept() gives the client address", async () => {
    const server = new Socket();
    await server.bind(["127.0.0.1", 0]);
    await server.listen(1);
    const [host, port] = server.getsockname() as INETAddress;
    assert.equal(host, "127.0.0.1");
    assert.ok(port > 0);
    const client = new Socket();
    await client.connect(["127.0.0.1", port]);
    const [conn, address] = await server.accept();
    assert.deepEqual(address, client.getsockname());
    assert.deepEqual(client.getpeername(), ["127.0.0.1", port]);
    assert.match(
      String(server),
      /^<socket\.socket fd=\d+, family=2, type=1, proto=0, laddr=\('127\.0\.0\.1', \d+\)>$/,
    );
    conn.close();
    client.close();
    server.close();
  });

  test("AF_INET6 on ::1 uses 4-tuples", async () => {
    const { server, client, conn, close } = await pair(AF_INET6);
    const name = server.getsockname() as Address[];
    assert.equal(name.length, 4);
    assert.equal(name[0], "::1");
    await client.sendall(Buffer.from("six"));
    assert.equal((await conn.recv(10)).toString(), "six");
    close();
  });

  test("AF_UNIX stream sockets connect by path", async () => {
    const { server, client, conn, close } = await pair(AF_UNIX);
    assert.equal(typeof server.getsockname(), "string");
    assert.equal(client.getpeername(), server.getsockname());
    await conn.sendall(Buffer.from("unix"));
    assert.equal((await client.recv(10)).toString(), "unix");
    close();
  });

  test("a client may bind its local address before connect()", async () => {
    const server = new Socket();
    await server.bind(["127.0.0.1", 0]);
    await server.listen();
    const client = new Socket();
    await client.bind(["127.0.0.1", 0]);
    const local = client.getsockname() as INETAddress;
    await client.connect(server.getsockname());
    const [conn, address] = await server.accept();
    assert.deepEqual(address, local);
    conn.close();
    client.close();
    server.close();
  });

  test("setsockopt()/getsockopt() honour TCP_NODELAY, SO_KEEPALIVE, SO_TYPE; unknown options are ENOPROTOOPT", async () => {
    const { client, close } = await pair();
    client.setsockopt(IPPROTO_TCP, TCP_NODELAY, 1);
    client.setsockopt(SOL_SOCKET, SO_KEEPALIVE, true);
    assert.equal(client.getsockopt(IPPROTO_TCP, TCP_NODELAY), 1);
    assert.equal(client.getsockopt(SOL_SOCKET, SO_KEEPALIVE), 1);
    assert.equal(client.getsockopt(SOL_SOCKET, SO_TYPE), SOCK_STREAM);
    assert.throws(
      () => client.setsockopt(SOL_SOCKET, 12345, 1),
      (e: unknown) => e instanceof OSError && e.errno === 92,
    );
    close();
  });

  test("settimeout() validates like Python; setdefaulttimeout() applies to new sockets", () => {
    const sock = new Socket();
    assert.throws(
      () => sock.settimeout(-1),
      (e: unknown) => e instanceof ValueError && e.message === "Timeout value out of range",
    );
    assert.equal(getdefaulttimeout(), null);
    setdefaulttimeout(2.5);
    try {
      assert.equal(new Socket().gettimeout(), 2.5);
    } finally {
      setdefaulttimeout(null);
    }
    sock.close();
  });

  test("makefile('rb') reads lines and makefile('wb') writes through", async () => {
    const { client, conn, close } = await pair();
    const rfile = conn.makefile("rb");
    const wfile = client.makefile("wb", { buffering: 0 });
    await wfile.write(Buffer.from("line one\nline two\n"));
    assert.equal((await rfile.readline()).toString(), "line one\n");
    assert.equal((await rfile.readline()).toString(), "line two\n");
    close();
  });

  test("await using closes the socket at the end of the block", async () => {
    let outer: Socket;
    {
      await using sock = new Socket();
      outer = sock;
      await sock.bind(["127.0.0.1", 0]);
    }
    assert.equal(outer.fileno(), -1);
  });
});

describe("Socket datagram", () => {
  test("sendto()/recvfrom() carry datagrams with the sender's address", async () => {
    const a = new Socket(AF_INET, SOCK_DGRAM);
    const b = new Socket(AF_INET, SOCK_DGRAM);
    await a.bind(["127.0.0.1", 0]);
    await b.bind(["127.0.0.1", 0]);
    assert.equal(await b.sendto(Buffer.from("ping"), a.getsockname()), 4);
    const [data, from] = await a.recvfrom(100);
    assert.equal(data.toString(), "ping");
    assert.deepEqual(from, b.getsockname());
    a.close();
    b.close();
  });

  test("recvfrom(n) truncates a longer datagram and drops the rest, as the kernel does", async () => {
    const a = new Socket(AF_INET, SOCK_DGRAM);
    await a.bind(["127.0.0.1", 0]);
    const b = new Socket(AF_INET, SOCK_DGRAM);
    await b.sendto(Buffer.from("0123456789"), a.getsockname());
    await b.sendto(Buffer.from("next"), a.getsockname());
    assert.equal((await a.recv(4)).toString(), "0123");
    assert.equal((await a.recv(100)).toString(), "next");
    a.close();
    b.close();
  });

  test("send() on an unconnected datagram socket is OSError EDESTADDRREQ; connect() enables send/recv", async () => {
    const a = new Socket(AF_INET, SOCK_DGRAM);
    await a.bind(["127.0.0.1", 0]);
    const b = new Socket(AF_INET, SOCK_DGRAM);
    await assert.rejects(b.send(Buffer.from("x")), (e: unknown) => e instanceof OSError && e.errno === 89);
    await b.connect(a.getsockname());
    await b.send(Buffer.from("hi"));
    const [data, from] = await a.recvfrom(10);
    assert.equal(data.toString(), "hi");
    await a.sendto(Buffer.from("back"), from as Address);
    assert.equal((await b.recv(10)).toString(), "back");
    assert.deepEqual(b.getpeername(), a.getsockname());
    a.close();
    b.close();
  });

  test("recvfrom() times out and is BlockingIOError when non-blocking", async () => {
    const a = new Socket(AF_INET, SOCK_DGRAM);
    await a.bind(["127.0.0.1", 0]);
    a.settimeout(0.05);
    await assert.rejects(a.recvfrom(10), TimeoutError);
    a.setblocking(false);
    await assert.rejects(a.recv(10), BlockingIOError);
    a.close();
  });

  test("AF_INET6 datagrams on ::1", async () => {
    const a = new Socket(AF_INET6, SOCK_DGRAM);
    await a.bind(["::1", 0]);
    const b = new Socket(AF_INET6, SOCK_DGRAM);
    await b.sendto(Buffer.from("v6"), a.getsockname());
    const [data, from] = await a.recvfrom(10);
    assert.equal(data.toString(), "v6");
    assert.equal((from as Address[]).length, 4);
    a.close();
    b.close();
  });

  test("AF_UNIX datagrams by path; an unnamed sender's address is null, as in Python", async () => {
    const path = join(dir, "dgram.sock");
    const a = new Socket(AF_UNIX, SOCK_DGRAM);
    await a.bind(path);
    const b = new Socket(AF_UNIX, SOCK_DGRAM);
    await b.sendto(Buffer.from("local"), path);
    const [data, from] = await a.recvfrom(10);
    assert.equal(data.toString(), "local");
    assert.equal(from, null);
    const namedPath = join(dir, "dgram-b.sock");
    const c = new Socket(AF_UNIX, SOCK_DGRAM);
    await c.bind(namedPath);
    await c.sendto(Buffer.from("named"), path);
    const [, from2] = await a.recvfrom(10);
    assert.equal(from2, namedPath);
    a.close();
    b.close();
    c.close();
  });
});
