import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { OSError, TimeoutError } from "../../src/errors/index.js";
import type { INETAddress } from "../../src/socket/address.js";
import { AF_INET6, AF_UNIX, SOCK_DGRAM } from "../../src/socket/constants.js";
import { createConnection, createServer, socketpair } from "../../src/socket/create.js";
import { gaierror, herror, timeout } from "../../src/socket/errors.js";
import { htonl, htons, inet_aton, inet_ntop, inet_pton, ntohl, ntohs } from "../../src/socket/inet.js";
import { getservbyname } from "../../src/socket/names.js";

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
