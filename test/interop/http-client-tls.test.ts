/**
 * HTTPSConnection and netkit/ssl against python3: python3's http.server
 * wrapped in its ssl module (valid, expired, wrong-host, self-signed and
 * unknown-CA certificates from a CA made at test time with openssl), a
 * python3 server that requires client certificates, and python3's
 * http.client against a netkit TLS server.
 */
import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import { after, before, describe, test } from "node:test";
import { TimeoutError, ValueError } from "../../src/errors/index.js";
import { HTTPSConnection } from "../../src/http/client.js";
import { Socket } from "../../src/socket/socket.js";
import {
  CERT_NONE,
  CERT_REQUIRED,
  createDefaultContext,
  PROTOCOL_TLS_SERVER,
  Purpose,
  SSLCertVerificationError,
  SSLContext,
  SSLEOFError,
  SSLError,
  SSLSocket,
} from "../../src/socket/tls.js";
import { hasCommand, peerSkip } from "../_support/peers.js";
import { python, startPython } from "../_support/python.js";
import { HAS_OPENSSL, makePKI, type TestPKI } from "../_support/tls.js";

const skip = peerSkip("python3", hasCommand("python3")) || peerSkip("openssl", HAS_OPENSSL);
const children: ChildProcess[] = [];
after(() => {
  for (const c of children) c.kill("SIGKILL");
});

/** python3 https servers, one per certificate name; `clientca` makes them require client certificates. */
const PY_HTTPS = `
import http.server, ssl, sys, json, threading
d = sys.argv[1]
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *a): pass
    def do_GET(self):
        peer = self.connection.getpeercert() if hasattr(self.connection, "getpeercert") else None
        who = dict(x[0] for x in peer["subject"])["commonName"] if peer else "-"
        body = ("%s %s %s %s" % (self.path, self.headers.get("Host"), self.connection.version(), who)).encode()
        self.send_response(200); self.send_header("Content-Length", str(len(body))); self.end_headers(); self.wfile.write(body)
ports = {}
for spec in sys.argv[2:]:
    name, _, mode = spec.partition(":")
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER); ctx.load_cert_chain(f"{d}/{name}.pem", f"{d}/{name}.key")
    if mode == "clientca":
        ctx.verify_mode = ssl.CERT_REQUIRED; ctx.load_verify_locations(f"{d}/ca.pem")
    srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    ports[spec] = srv.server_address[1]
    threading.Thread(target=srv.serve_forever, daemon=True).start()
print(json.dumps(ports), flush=True)
threading.Event().wait()
`;

let pki: TestPKI;
let ports: Record<string, number> = {};
const NAMES = ["server", "expired", "wronghost", "self", "unknownca", "server:clientca"];

before(async () => {
  if (skip) return;
  pki = makePKI();
  const { child, firstLine } = await startPython(PY_HTTPS, [pki.dir, ...NAMES]);
  children.push(child);
  ports = JSON.parse(firstLine) as Record<string, number>;
});

async function get(conn: HTTPSConnection, path = "/x"): Promise<[number, string]> {
  try {
    await conn.request("GET", path);
    const res = await conn.getresponse();
    return [res.status, (await res.read()).toString()];
  } finally {
    conn.close();
  }
}

async function failure(conn: HTTPSConnection): Promise<unknown> {
  try {
    await get(conn);
  } catch (err) {
    return err;
  }
  return new Error("no error");
}

describe("HTTPSConnection against python3's http.server over ssl", { skip }, () => {
  test("succeeds with the CA as Node options, as an SSLContext, by name and by address", async () => {
    const viaOptions = new HTTPSConnection("localhost", ports.server, {
      context: { ca: pki.ca },
      timeout: 10,
    });
    const [status, body] = await get(viaOptions);
    assert.equal(status, 200);
    assert.match(body, new RegExp(`^/x localhost:${ports.server} TLSv1\\.3 -$`));
    const ctx = createDefaultContext(Purpose.SERVER_AUTH, { cafile: pki.caFile });
    const byAddress = new HTTPSConnection(`127.0.0.1:${ports.server}`, null, { context: ctx, timeout: 10 });
    assert.equal((await get(byAddress))[0], 200);
  });

  test("keeps one TLS connection for several requests; the socket is an SSLSocket", async () => {
    const conn = new HTTPSConnection("localhost", ports.server, { context: { ca: pki.ca }, timeout: 10 });
    await conn.request("GET", "/1");
    const first = await conn.getresponse();
    await first.read();
    const sock = conn.sock;
    assert.ok(sock instanceof SSLSocket);
    assert.equal(sock.version(), "TLSv1.3");
    assert.equal(sock.serverHostname, "localhost");
    const cert = sock.getpeercert();
    assert.ok(cert && "subjectAltName" in cert);
    assert.deepEqual(cert.subjectAltName?.[0], ["DNS", "localhost"]);
    await conn.request("GET", "/2");
    assert.match((await (await conn.getresponse()).read()).toString(), /^\/2 /);
    assert.equal(conn.sock, sock);
    conn.close();
  });

  test("verifies by default: our private CA is not trusted by the default context", async () => {
    const err = await failure(new HTTPSConnection("localhost", ports.server, { timeout: 10 }));
    assert.ok(err instanceof SSLCertVerificationError, String(err));
    assert.equal(err.verifyCode, 20);
    assert.equal(err.verifyMessage, "unable to get local issuer certificate");
  });

  const cases: Array<[string, string, number, string]> = [
    ["expired", "localhost", 10, "certificate has expired"],
    ["wronghost", "localhost", 62, "Hostname mismatch, certificate is not valid for 'localhost'."],
    ["wronghost", "127.0.0.1", 64, "IP address mismatch, certificate is not valid for '127.0.0.1'."],
    ["self", "localhost", 18, "self-signed certificate"],
    ["unknownca", "localhost", 20, "unable to get local issuer certificate"],
  ];
  for (const [name, host, code, message] of cases) {
    test(`refuses the ${name} certificate (for ${host}) with SSLCertVerificationError ${code}`, async () => {
      const err = await failure(
        new HTTPSConnection(host, ports[name], { context: { ca: pki.ca }, timeout: 10 }),
      );
      assert.ok(err instanceof SSLCertVerificationError, String(err));
      assert.ok(err instanceof SSLError);
      assert.equal(err.verifyCode, code);
      assert.equal(err.verifyMessage, message);
      assert.equal(err.errno, 1);
      assert.equal(err.library, "SSL");
      assert.equal(err.reason, "CERTIFICATE_VERIFY_FAILED");
      assert.equal(err.code, "ERR_SSL_CERTIFICATE_VERIFY_FAILED");
      assert.equal(err.message, `[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: ${message}`);
    });
  }

  test("checkHostname false skips only the host name check", async () => {
    const wrong = new HTTPSConnection("localhost", ports.wronghost, {
      context: { ca: pki.ca },
      checkHostname: false,
      timeout: 10,
    });
    assert.equal((await get(wrong))[0], 200);
    const stillChecked = await failure(
      new HTTPSConnection("localhost", ports.self, {
        context: { ca: pki.ca },
        checkHostname: false,
        timeout: 10,
      }),
    );
    assert.ok(stillChecked instanceof SSLCertVerificationError && stillChecked.verifyCode === 18);
    // The shared context is not changed by one connection's checkHostname.
    const ctx = createDefaultContext(Purpose.SERVER_AUTH, { cafile: pki.caFile });
    new HTTPSConnection("localhost", 1, { context: ctx, checkHostname: false });
    assert.equal(ctx.checkHostname, true);
  });

  test("rejectUnauthorized false (CERT_NONE) accepts any certificate; checkHostname then is a ValueError", async () => {
    const lax = new HTTPSConnection("localhost", ports.self, {
      context: { rejectUnauthorized: false },
      timeout: 10,
    });
    assert.equal((await get(lax))[0], 200);
    assert.throws(
      () =>
        new HTTPSConnection("localhost", 1, { context: { rejectUnauthorized: false }, checkHostname: true }),
      (e: unknown) => e instanceof ValueError && /check_hostname needs a SSL context/.test(e.message),
    );
    const none = new SSLContext();
    none.checkHostname = false;
    none.verifyMode = CERT_NONE;
    assert.equal(
      (await get(new HTTPSConnection("localhost", ports.expired, { context: none, timeout: 10 })))[0],
      200,
    );
  });

  test("a client certificate is sent when the server requires one", async () => {
    const port = ports["server:clientca"]!;
    const withCert = new HTTPSConnection("localhost", port, {
      context: { ca: pki.ca, cert: pki.client.cert, key: pki.client.key },
      timeout: 10,
    });
    assert.match((await get(withCert))[1], / client$/);
    const ctx = createDefaultContext(Purpose.SERVER_AUTH, { cafile: pki.caFile });
    ctx.loadCertChain(pki.client.certFile, pki.client.keyFile);
    assert.match(
      (await get(new HTTPSConnection("localhost", port, { context: ctx, timeout: 10 })))[1],
      / client$/,
    );
    // Without one, TLS 1.3 reports the server's alert at the first read.
    const without = await failure(
      new HTTPSConnection("localhost", port, { context: { ca: pki.ca }, timeout: 10 }),
    );
    assert.ok(without instanceof SSLError, String(without));
    assert.match(without.message, /^\[SSL: TLSV13_ALERT_CERTIFICATE_REQUIRED\]/);
  });
});

/** A TCP server that runs `onConn` for each connection (netkit sockets). */
async function tcpServer(
  onConn: (conn: Socket) => Promise<void>,
): Promise<{ port: number; stop: () => void }> {
  const sock = new Socket();
  await sock.bind(["127.0.0.1", 0]);
  await sock.listen();
  void (async () => {
    for (;;) {
      const [conn] = await sock.accept().catch(() => [null] as const);
      if (!conn) return;
      void onConn(conn).catch(() => conn.close());
    }
  })();
  return { port: (sock.getsockname() as [string, number])[1], stop: () => sock.close() };
}

describe("HTTPSConnection faults are typed errors", { skip }, () => {
  test("a plain-HTTP server: SSLError WRONG_VERSION_NUMBER", async () => {
    const srv = await tcpServer(async (c) => {
      await c.recv(1024);
      await c.sendall(Buffer.from("HTTP/1.0 400 Bad request\r\n\r\n"));
      c.close();
    });
    const err = await failure(new HTTPSConnection("localhost", srv.port, { timeout: 10 }));
    srv.stop();
    assert.ok(err instanceof SSLError, String(err));
    assert.equal(err.reason, "WRONG_VERSION_NUMBER");
    assert.equal(err.message, "[SSL: WRONG_VERSION_NUMBER] wrong version number");
  });

  test("a server that hangs up during the handshake: SSLEOFError", async () => {
    const srv = await tcpServer(async (c) => c.close());
    const err = await failure(new HTTPSConnection("localhost", srv.port, { timeout: 10 }));
    srv.stop();
    assert.ok(err instanceof SSLEOFError, String(err));
    assert.equal(err.errno, 8);
    assert.equal(err.message, "[SSL: UNEXPECTED_EOF_WHILE_READING] EOF occurred in violation of protocol");
  });

  test("a server that never answers the handshake: TimeoutError after the connection's timeout", async () => {
    const held: Socket[] = [];
    const srv = await tcpServer(async (c) => {
      held.push(c);
    });
    const started = Date.now();
    const err = await failure(new HTTPSConnection("localhost", srv.port, { timeout: 0.3 }));
    srv.stop();
    for (const c of held) c.close();
    assert.ok(err instanceof TimeoutError, String(err));
    // The 0.3 s timeout, not a longer one (a busy machine may add seconds).
    assert.ok(Date.now() - started < 30_000);
  });
});

describe("a netkit TLS server (wrapSocket serverSide)", { skip }, () => {
  async function tlsServer(ctx: SSLContext, reply: (conn: SSLSocket) => string) {
    const errors: unknown[] = [];
    const srv = await tcpServer(async (raw) => {
      raw.settimeout(10);
      let conn: SSLSocket;
      try {
        conn = await ctx.wrapSocket(raw, { serverSide: true });
      } catch (err) {
        errors.push(err);
        return;
      }
      const reader = conn.makefile("rb");
      while ((await reader.readline()).length > 2) {}
      const body = reply(conn);
      await conn.sendall(
        Buffer.from(`HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`),
      );
      conn.close();
    });
    return { ...srv, errors };
  }

  test("python3's http.client reads a response from it and verifies its certificate", async () => {
    const ctx = new SSLContext(PROTOCOL_TLS_SERVER);
    ctx.loadCertChain(pki.server.certFile, pki.server.keyFile);
    const srv = await tlsServer(ctx, (c) => `${c.version()} ${c.serverSide}`);
    const out = await python<[number, string]>(
      `
import http.client, ssl, json, sys
a = json.load(sys.stdin)
c = http.client.HTTPSConnection("localhost", a["port"], context=ssl.create_default_context(cafile=a["ca"]), timeout=10)
c.request("GET", "/"); r = c.getresponse()
print(json.dumps([r.status, r.read().decode()]))
`,
      { port: srv.port, ca: pki.caFile },
    );
    srv.stop();
    assert.deepEqual(out, [200, "TLSv1.3 true"]);
  });

  test("with CERT_REQUIRED it reads the client's certificate, and refuses a client without one", async () => {
    const ctx = new SSLContext(PROTOCOL_TLS_SERVER);
    ctx.loadCertChain(pki.server.certFile, pki.server.keyFile);
    ctx.loadVerifyLocations({ cafile: pki.caFile });
    ctx.verifyMode = CERT_REQUIRED;
    const srv = await tlsServer(ctx, (c) => {
      const cert = c.getpeercert();
      return cert && "subject" in cert ? (cert.subject[0]?.[0]?.[1] ?? "?") : "none";
    });
    const client = createDefaultContext(Purpose.SERVER_AUTH, { cafile: pki.caFile });
    client.loadCertChain(pki.client.certFile, pki.client.keyFile);
    const ok = await get(new HTTPSConnection("localhost", srv.port, { context: client, timeout: 10 }));
    assert.deepEqual(ok, [200, "client"]);
    const refused = await failure(
      new HTTPSConnection("localhost", srv.port, { context: { ca: pki.ca }, timeout: 10 }),
    );
    srv.stop();
    assert.ok(refused instanceof SSLError, String(refused));
    assert.equal(srv.errors.length, 1);
    assert.ok(srv.errors[0] instanceof SSLError, String(srv.errors[0]));
  });
});
