import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { OSError, TimeoutError } from "../../src/errors/index.js";
import type { INETAddress } from "../../src/socket/address.js";
import { AF_INET, AF_INET6, AF_UNIX, SOCK_DGRAM, SOCK_STREAM } from "../../src/socket/constants.js";
import { createConnection, createServer, literalAddress, socketpair } from "../../src/socket/create.js";
import { gaierror, herror, timeout } from "../../src/socket/errors.js";
import { htonl, htons, inet_aton, inet_ntop, inet_pton, ntohl, ntohs } from "../../src/socket/inet.js";
import { getaddrinfo, getservbyname } from "../../src/socket/names.js";

describe("socket helpers", () => {
  test("createServer() listens and createConnection() reaches it by name", async () => {
    const server = await createServer(["127.0.0.1", 0]);
    const [, port] = server.getsockname() as INETAddress;
    const client = await createConnection(["localhost", port], { timeout: 5 });
    const [conn] = await server.accept();
    await client.sendall(Buffer.from("hi"));
    assert.equal((await conn.recv(10)).toString(), "hi");
    assert.equal(client.gettimeout(), 5);
    for (const s of [client, conn, server]) s.close();
  });

  test("createServer() on AF_INET6 and dual stack", async () => {
    const server = await createServer(["::", 0], { family: AF_INET6, dualstackIpv6: true });
    const port = (server.getsockname() as [string, number])[1];
    const v4 = await createConnection(["127.0.0.1", port]);
    const [, address] = await server.accept();
    assert.equal((address as string[])[0], "::ffff:127.0.0.1");
    v4.close();
    server.close();
  });

  test("createConnection() to a closed port throws the connection error; an unknown host is gaierror", async () => {
    const probe = await createServer(["127.0.0.1", 0]);
    const port = (probe.getsockname() as INETAddress)[1];
    probe.close();
    await new Promise((r) => setTimeout(r, 20));
    await assert.rejects(
      createConnection(["127.0.0.1", port]),
      (e: unknown) => e instanceof OSError && e.errno === 111,
    );
    await assert.rejects(createConnection(["nonexistent.invalid", 80]), (e: unknown) => {
      assert.ok(e instanceof gaierror);
      assert.ok(e instanceof OSError);
      assert.equal(e.errno, -2);
      assert.equal(e.code, "EAI_NONAME");
      assert.equal(e.message, "[Errno -2] Name or service not known");
      return true;
    });
  });

  test("literalAddress() answers an address literal as getaddrinfo(host, port, 0, SOCK_STREAM) does, and leaves the rest to it", async () => {
    // createConnection() skips the resolver for these; its answer must be the resolver's.
    const v4 = fc.uint8Array({ minLength: 4, maxLength: 4 }).map((b) => inet_ntop(AF_INET, b));
    const v6 = fc
      .array(fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 255 })), { minLength: 16, maxLength: 16 })
      .map((b) => inet_ntop(AF_INET6, Buffer.from(b)));
    // Other spellings of the same addresses, and things that are not literals at all.
    const other = fc.oneof(
      v6.map((t) => t.toUpperCase()),
      fc.uint8Array({ minLength: 4, maxLength: 4 }).map((b) => `::ffff:${inet_ntop(AF_INET, b)}`),
      fc.constantFrom(
        "127.1",
        "0x7f.0.0.1",
        "0177.0.0.1",
        "127.000.0.1",
        "::1%lo",
        "fe80::1%1",
        "0:0:0:0:0:0:0:1",
      ),
      fc.constantFrom("localhost", "", "1.2.3.4.5", "::g", "[::1]", " 127.0.0.1"),
    );
    const port = fc.oneof(fc.integer({ min: 0, max: 65535 }), fc.constantFrom(-1, 65536, 1.5, "80", "http"));
    const hosts: Array<[string, number | string]> = fc.sample(fc.tuple(fc.oneof(v4, v6, other), port), {
      numRuns: 300,
      seed: 12,
    });
    hosts.push(["127.0.0.1", 8000], ["::1", 8000], ["0:0:0:0:0:0:0:1", 0], ["::ffff:127.0.0.1", 1]);
    let fast = 0;
    for (const [host, p] of hosts) {
      const literal = literalAddress(host, p);
      if (literal === undefined) continue;
      fast++;
      assert.deepEqual(
        literal,
        await getaddrinfo(host, p, 0, SOCK_STREAM),
        `literalAddress(${JSON.stringify(host)}, ${p})`,
      );
    }
    // Canonical literals with a port number take the short path.
    assert.ok(
      literalAddress("127.0.0.1", 80) && literalAddress("::1", 80) && literalAddress("2001:DB8::1", 0),
    );
    assert.ok(fast > 80, `only ${fast} of ${hosts.length} took the short path`);
    for (const [host, p] of [
      ["127.1", 80],
      ["::1%lo", 80],
      ["localhost", 80],
      ["127.0.0.1", "80"],
      ["127.0.0.1", 65536],
    ] as const)
      assert.equal(literalAddress(host, p), undefined, `literalAddress(${host}, ${p})`);
  });

  test("socketpair() gives two connected sockets, stream and datagram", async () => {
    const [a, b] = await socketpair();
    assert.equal(a.family, AF_UNIX);
    await a.sendall(Buffer.from("ping"));
    assert.equal((await b.recv(10)).toString(), "ping");
    a.close();
    b.close();
    const [c, d] = await socketpair(AF_UNIX, SOCK_DGRAM);
    await c.send(Buffer.from("dgram"));
    assert.equal((await d.recv(10)).toString(), "dgram");
    c.close();
    d.close();
  });

  test("timeout is TimeoutError; herror and gaierror carry Python's fields", () => {
    assert.equal(timeout, TimeoutError);
    const h = new herror(1, "Unknown host");
    assert.equal(String(h), "herror: [Errno 1] Unknown host");
    assert.equal(new gaierror(-8).message, "[Errno -8] Servname not supported for ai_socktype");
    assert.equal(new gaierror(-8).code, "EAI_SERVICE");
  });

  test("conversions: round trips and Python's errors", () => {
    assert.equal(inet_ntop(AF_INET6, inet_pton(AF_INET6, "2001:db8::1")), "2001:db8::1");
    assert.deepEqual([...inet_aton("10.1")], [10, 0, 0, 1]);
    assert.equal(ntohs(htons(0x1234)), 0x1234);
    assert.equal(ntohl(htonl(0x12345678)), 0x12345678);
    assert.throws(() => htons(70000), /Python int too large to convert to C 16-bit unsigned integer/);
    assert.throws(
      () => inet_aton("1.2.3.4.5"),
      (e: unknown) => e instanceof OSError && e.message === "illegal IP address string passed to inet_aton",
    );
    assert.equal(getservbyname("http"), 80);
  });
});
