/**
 * netkit/http/client on loopback with scripted servers (the rest of
 * Python's HTTPResponse/HTTPConnection surface: read1, peek, readinto,
 * fileno, info, geturl, getcode, chunkLeft, readable bodies and blocksize,
 * sourceAddress, encodeChunked) and netkit/ssl's SSLContext rules, which
 * need no peer.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { FileNotFoundError, ValueError } from "../../src/errors/index.js";
import {
  HTTPConnection,
  HTTPResponse,
  HTTPSConnection,
  IncompleteRead,
  InvalidURL,
  ResponseNotReady,
} from "../../src/http/client.js";
import { Socket } from "../../src/socket/socket.js";
import {
  CERT_NONE,
  CERT_OPTIONAL,
  CERT_REQUIRED,
  createDefaultContext,
  DERCertToPEMCert,
  PEMCertToDERCert,
  PROTOCOL_TLS_CLIENT,
  PROTOCOL_TLS_SERVER,
  Purpose,
  SSLCertVerificationError,
  SSLContext,
  SSLEOFError,
  SSLError,
  SSLSocket,
  toSSLError,
} from "../../src/socket/tls.js";
import { peerSkip } from "../_support/peers.js";
import { HAS_OPENSSL, makePKI } from "../_support/tls.js";

interface Scripted {
  port: number;
  requests: Buffer[];
  stop: () => void;
}

/** Answers each connection's request (read until `until` appears) with `reply`, then closes. */
async function scripted(reply: string | Buffer, until = "\r\n\r\n"): Promise<Scripted> {
  const sock = new Socket();
  await sock.bind(["127.0.0.1", 0]);
  await sock.listen();
  const requests: Buffer[] = [];
  void (async () => {
    for (;;) {
      const [conn] = await sock.accept().catch(() => [null] as const);
      if (!conn) return;
      conn.settimeout(5);
      let got = Buffer.alloc(0);
      const chunks: Buffer[] = [];
      while (!got.includes(until)) {
        const piece = await conn.recv(65536).catch(() => Buffer.alloc(0));
        if (piece.length === 0) break;
        chunks.push(piece);
        got = Buffer.concat(chunks);
      }
      requests.push(got);
      await conn.sendall(typeof reply === "string" ? Buffer.from(reply, "latin1") : reply).catch(() => {});
      conn.close();
    }
  })();
  return { port: (sock.getsockname() as [string, number])[1], requests, stop: () => sock.close() };
}

async function open(reply: string, method = "GET"): Promise<[HTTPConnection, HTTPResponse, Scripted]> {
  const s = await scripted(reply);
  const conn = new HTTPConnection("127.0.0.1", s.port, { timeout: 5 });
  await conn.request(method, "/");
  return [conn, await conn.getresponse(), s];
}

describe("HTTPResponse's file methods", () => {
  test("read1() and peek() stay inside a sized body; readinto() fills a buffer", async () => {
    const [conn, res, s] = await open("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789NEXT");
    assert.equal(res.length, 10);
    assert.equal((await res.peek()).toString(), "0123456789");
    assert.equal((await res.read1(3)).toString(), "012");
    assert.equal(res.length, 7);
    const buf = Buffer.alloc(4);
    assert.equal(await res.readinto(buf), 4);
    assert.equal(buf.toString(), "3456");
    assert.equal((await res.read1()).toString(), "789");
    assert.ok(res.isclosed());
    assert.equal((await res.read1()).length, 0);
    assert.equal((await res.peek()).length, 0);
    assert.equal(await res.readinto(buf), 0);
    conn.close();
    s.stop();
  });

  test("readinto() stops at Content-Length, and a body cut short gives what came, then 0 (as Python)", async () => {
    const [conn, res, s] = await open("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789NEXT");
    const big = Buffer.alloc(64);
    assert.equal(await res.readinto(big), 10);
    assert.equal(big.subarray(0, 10).toString(), "0123456789");
    assert.ok(res.isclosed());
    assert.equal(await res.readinto(big), 0);
    conn.close();
    s.stop();
    const [conn2, short, s2] = await open("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n012345");
    assert.equal(await short.readinto(big), 6);
    assert.equal(short.length, 4);
    assert.equal(await short.readinto(big), 0);
    assert.ok(short.isclosed());
    conn2.close();
    s2.stop();
  });

  test("read1() and peek() on a chunked body follow the chunks; chunkLeft counts down", async () => {
    const [conn, res, s] = await open(
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n",
    );
    assert.ok(res.chunked);
    assert.equal(res.chunkLeft, null);
    assert.equal((await res.peek(100)).toString(), "hello");
    assert.equal((await res.read1(2)).toString(), "he");
    assert.equal(res.chunkLeft, 3);
    assert.equal((await res.read1()).toString(), "llo");
    const buf = Buffer.alloc(10);
    assert.equal(await res.readinto(buf), 6);
    assert.equal(buf.subarray(0, 6).toString(), " world");
    assert.equal((await res.read1()).length, 0);
    assert.ok(res.isclosed());
    conn.close();
    s.stop();
  });

  test("a chunked body cut short: read1 throws IncompleteRead, then peek returns nothing", async () => {
    const [conn, res, s] = await open("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n");
    await assert.rejects(res.read1(), IncompleteRead);
    assert.ok(res.isclosed());
    assert.equal((await res.peek()).length, 0);
    const [conn2, res2, s2] = await open("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n");
    assert.equal((await res2.peek()).length, 0); // peek does not judge the framing (Python)
    conn2.close();
    s2.stop();
    conn.close();
    s.stop();
  });

  test("info, getcode, geturl, msg, fileno, readable, willClose, version", async () => {
    const [conn, res, s] = await open("HTTP/1.0 201 Made\r\nX-A: 1\r\n\r\nuntil close");
    assert.equal(res.info(), res.headers);
    assert.equal(res.msg, res.headers);
    assert.equal(res.getcode(), 201);
    assert.equal(res.code, 201);
    assert.equal(res.geturl(), null);
    assert.equal(res.version, 10);
    assert.ok(res.willClose);
    assert.equal(res.length, null);
    assert.ok(res.fileno() > 0);
    assert.ok(res.readable());
    assert.equal((await res.read()).toString(), "until close");
    assert.equal(res.fileno(), -1);
    conn.close();
    s.stop();
  });

  test("getheader() before begin() is ResponseNotReady, as in Python", async () => {
    const s = await scripted("HTTP/1.1 204 No Content\r\n\r\n");
    const conn = new HTTPConnection("127.0.0.1", s.port, { timeout: 5 });
    await conn.connect();
    const sock = conn.sock!;
    const res = new HTTPResponse(sock, sock.makefile("rb"), "GET");
    assert.throws(() => res.getheader("x"), ResponseNotReady);
    assert.throws(() => res.getheaders(), ResponseNotReady);
    conn.close();
    s.stop();
  });
});

describe("HTTPConnection's request surface", () => {
  test("a readable body is read blocksize bytes at a time and sent chunked", async () => {
    const s = await scripted("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", "0\r\n\r\n");
    const conn = new HTTPConnection("127.0.0.1", s.port, { timeout: 5, blocksize: 4 });
    const sizes: number[] = [];
    let left = Buffer.from("abcdefghij");
    const readable = {
      async read(size: number) {
        sizes.push(size);
        const out = left.subarray(0, size);
        left = left.subarray(size);
        return out;
      },
    };
    await conn.request("POST", "/", { body: readable });
    await (await conn.getresponse()).read();
    conn.close();
    s.stop();
    assert.deepEqual(sizes, [4, 4, 4, 4]);
    const text = s.requests[0]!.toString("latin1");
    assert.match(text, /\r\nTransfer-Encoding: chunked\r\n/);
    assert.ok(text.endsWith("\r\n\r\n4\r\nabcd\r\n4\r\nefgh\r\n2\r\nij\r\n0\r\n\r\n"), text);
  });

  test("encodeChunked with an explicit Transfer-Encoding header chunks the body; the response follows", async () => {
    const s = await scripted("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", "0\r\n\r\n");
    const conn = new HTTPConnection("127.0.0.1", s.port, { timeout: 5 });
    await conn.request("PUT", "/", {
      body: ["ab", Buffer.from("cde")],
      headers: { "Transfer-Encoding": "chunked" },
      encodeChunked: true,
    });
    assert.equal((await (await conn.getresponse()).read()).toString(), "ok");
    conn.close();
    s.stop();
    assert.ok(s.requests[0]!.toString().endsWith("\r\n\r\n2\r\nab\r\n3\r\ncde\r\n0\r\n\r\n"));
  });

  test("sourceAddress picks the local address and port", async () => {
    const s = await scripted("HTTP/1.1 204 No Content\r\n\r\n");
    const probe = new Socket();
    await probe.bind(["127.0.0.1", 0]);
    const local = (probe.getsockname() as [string, number])[1];
    probe.close();
    const conn = new HTTPConnection("127.0.0.1", s.port, { timeout: 5, sourceAddress: ["127.0.0.1", local] });
    await conn.connect();
    assert.deepEqual(conn.sock!.getsockname(), ["127.0.0.1", local]);
    conn.close();
    s.stop();
  });

  test("a host with control characters is InvalidURL (CVE-2019-18348); an IPv6 scope id leaves Host as Python strips it", async () => {
    assert.throws(() => new HTTPConnection("evil\r\nX: 1"), InvalidURL);
    const s = await scripted("HTTP/1.1 204 No Content\r\n\r\n");
    const conn = new HTTPConnection("127.0.0.1", s.port, { timeout: 5 });
    await conn.request("GET", "http://[fe80::1%25eth0]:8080/x");
    await conn.getresponse();
    conn.close();
    s.stop();
    // Python's _strip_ipv6_iface cuts at "%" and closes the bracket, so the port goes too.
    assert.match(s.requests[0]!.toString(), /\r\nHost: \[fe80::1\]\r\n/);
  });

  test("HTTPSConnection defaults: port 443, a verifying context offering http/1.1", () => {
    const conn = new HTTPSConnection("example.org");
    assert.equal(conn.port, 443);
    assert.equal(conn.context.verifyMode, CERT_REQUIRED);
    assert.ok(conn.context.checkHostname);
    assert.deepEqual(conn.context.alpnProtocols, ["http/1.1"]);
    assert.ok(conn.checkHostname);
    assert.equal(
      new HTTPSConnection("h", null, { context: { ALPNProtocols: ["h2"] } }).context.alpnProtocols?.[0],
      "h2",
    );
  });
});

describe("SSLContext follows Python's rules", () => {
  test("protocol defaults; checkHostname and verifyMode constrain each other", () => {
    const client = new SSLContext(PROTOCOL_TLS_CLIENT);
    assert.equal(client.verifyMode, CERT_REQUIRED);
    assert.ok(client.checkHostname);
    assert.throws(() => {
      client.verifyMode = CERT_NONE;
    }, /Cannot set verify_mode to CERT_NONE when check_hostname is enabled\./);
    client.checkHostname = false;
    client.verifyMode = CERT_NONE;
    client.checkHostname = true;
    assert.equal(client.verifyMode, CERT_REQUIRED);
    const server = new SSLContext(PROTOCOL_TLS_SERVER);
    assert.equal(server.verifyMode, CERT_NONE);
    assert.equal(server.checkHostname, false);
    assert.equal(createDefaultContext(Purpose.CLIENT_AUTH).protocol, PROTOCOL_TLS_SERVER);
    assert.equal(new SSLContext(PROTOCOL_TLS_CLIENT, { rejectUnauthorized: false }).verifyMode, CERT_NONE);
    assert.equal(new SSLContext(PROTOCOL_TLS_SERVER, { requestCert: true }).verifyMode, CERT_REQUIRED);
    assert.equal(
      new SSLContext(PROTOCOL_TLS_SERVER, { verifyMode: CERT_OPTIONAL }).verifyMode,
      CERT_OPTIONAL,
    );
    assert.throws(() => new SSLContext(99), ValueError);
  });

  test("wrapSocket refuses the wrong side, a missing server name, and non-stream sockets", async () => {
    const s = new Socket();
    await assert.rejects(
      new SSLContext(PROTOCOL_TLS_CLIENT).wrapSocket(s, { serverSide: true }),
      /PROTOCOL_TLS_CLIENT/,
    );
    await assert.rejects(new SSLContext(PROTOCOL_TLS_SERVER).wrapSocket(s), /PROTOCOL_TLS_SERVER/);
    await assert.rejects(
      new SSLContext(PROTOCOL_TLS_CLIENT).wrapSocket(s),
      /check_hostname requires server_hostname/,
    );
    await assert.rejects(
      new SSLContext(PROTOCOL_TLS_CLIENT).wrapSocket(s, { serverHostname: ".bad" }),
      /server_hostname cannot be an empty string or start with a leading dot/,
    );
    s.close();
    assert.throws(
      () => new (SSLSocket as unknown as new () => SSLSocket)(),
      /does not have a public constructor/,
    );
  });

  test("loading files: a missing file is FileNotFoundError, a file without certificates SSLError", () => {
    const dir = mkdtempSync(join(tmpdir(), "netkit-ssl-"));
    after(() => rmSync(dir, { recursive: true, force: true }));
    const ctx = new SSLContext();
    assert.throws(() => ctx.loadVerifyLocations({ cafile: join(dir, "missing.pem") }), FileNotFoundError);
    writeFileSync(join(dir, "empty.pem"), "nothing here\n");
    assert.throws(
      () => ctx.loadVerifyLocations(join(dir, "empty.pem")),
      (e: unknown) => e instanceof SSLError && e.reason === "NO_CERTIFICATE_OR_CRL_FOUND",
    );
    assert.throws(() => ctx.loadVerifyLocations({}), TypeError);
    assert.throws(() => ctx.loadCertChain(join(dir, "missing.pem")), FileNotFoundError);
    assert.throws(() => ctx.setCiphers("NO-SUCH-CIPHER"), SSLError);
  });

  test("CA certificates load from a file, a directory, PEM text and DER bytes", {
    skip: peerSkip("openssl", HAS_OPENSSL),
  }, () => {
    const pki = makePKI();
    const der = PEMCertToDERCert(pki.ca);
    assert.equal(DERCertToPEMCert(der).trim(), pki.ca.trim());
    const fromFile = new SSLContext();
    fromFile.loadVerifyLocations({ cafile: pki.caFile });
    const fromData = new SSLContext();
    fromData.loadVerifyLocations({ cadata: Buffer.concat([der, PEMCertToDERCert(pki.server.cert)]) });
    assert.equal(fromData.certStoreStats().x509, 2);
    assert.equal(fromData.certStoreStats().x509_ca, 1);
    const fromText = new SSLContext();
    fromText.loadVerifyLocations({ cadata: pki.ca });
    const fromDir = new SSLContext();
    fromDir.loadVerifyLocations({ capath: pki.dir });
    assert.ok(fromDir.certStoreStats().x509 >= 7);
    const [decoded] = fromFile.getCaCerts() as Array<{ subject: unknown; issuer: unknown }>;
    assert.deepEqual(decoded?.subject, [[["commonName", "netkit test CA"]]]);
    assert.deepEqual(fromText.getCaCerts(true)[0], der);
    assert.throws(() => PEMCertToDERCert("garbage"), ValueError);
    const bad = new SSLContext();
    assert.throws(() => bad.loadCertChain(pki.server.certFile, pki.client.keyFile), SSLError);
  });

  test("toSSLError() maps node:tls errors to Python's classes", () => {
    const expired = toSSLError(
      Object.assign(new Error("certificate has expired"), { code: "CERT_HAS_EXPIRED" }),
    );
    assert.ok(expired instanceof SSLCertVerificationError && expired.verifyCode === 10);
    const leaf = toSSLError(
      Object.assign(new Error("unable to verify the first certificate"), {
        code: "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
      }),
    );
    assert.ok(leaf instanceof SSLCertVerificationError && leaf.verifyCode === 20);
    const version = toSSLError(
      Object.assign(new Error("x"), {
        code: "ERR_SSL_WRONG_VERSION_NUMBER",
        reason: "wrong version number",
        library: "SSL routines",
      }),
    );
    assert.ok(version instanceof SSLError);
    assert.equal(version.message, "[SSL: WRONG_VERSION_NUMBER] wrong version number");
    assert.equal(version.code, "ERR_SSL_WRONG_VERSION_NUMBER");
    const eof = toSSLError(
      Object.assign(new Error("Client network socket disconnected"), { code: "ECONNRESET" }),
    );
    assert.ok(eof instanceof SSLEOFError && eof.errno === 8);
    const reset = toSSLError(
      Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET", syscall: "read", errno: -104 }),
    );
    assert.ok(!(reset instanceof SSLError) && reset.name === "ConnectionResetError");
  });
});
