/**
 * `setTunnel`: HTTP CONNECT through a small test proxy (written here on
 * node:net) to python3's http.server, plain and over ssl; the proxy's
 * refusals and misbehaviour (407, silence, endless or over-long headers)
 * are typed errors; python3's http.client sends the same CONNECT bytes.
 */
import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import * as net from "node:net";
import { after, before, describe, test } from "node:test";
import { OSError, RuntimeError, TimeoutError, ValueError } from "../../src/errors/index.js";
import { HTTPConnection, HTTPException, HTTPSConnection, LineTooLong } from "../../src/http/client.js";
import { SSLCertVerificationError, SSLSocket } from "../../src/socket/tls.js";
import { hasCommand, peerSkip } from "../_support/peers.js";
import { python, startPython } from "../_support/python.js";
import { HAS_OPENSSL, makePKI, type TestPKI } from "../_support/tls.js";

const skip = peerSkip("python3", hasCommand("python3")) || peerSkip("openssl", HAS_OPENSSL);
const children: ChildProcess[] = [];
const cleanups: Array<() => void> = [];
after(() => {
  for (const c of children) c.kill("SIGKILL");
  for (const f of cleanups) f();
});

const PY_TARGETS = `
import http.server, ssl, sys, json, threading
d = sys.argv[1]
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *a): pass
    def do_GET(self):
        body = ("%s %s" % (self.path, self.headers.get("Host"))).encode()
        self.send_response(200); self.send_header("Content-Length", str(len(body))); self.end_headers(); self.wfile.write(body)
ports = {}
for name in ("plain", "tls"):
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
    if name == "tls":
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER); ctx.load_cert_chain(f"{d}/server.pem", f"{d}/server.key")
        srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    ports[name] = srv.server_address[1]
    threading.Thread(target=srv.serve_forever, daemon=True).start()
print(json.dumps(ports), flush=True)
threading.Event().wait()
`;

type Mode = "ok" | "stall" | "endless" | "longline";
const AUTH = "Basic dXNlcjpwYXNz"; // user:pass

/**
 * A CONNECT proxy. "ok" asks for `AUTH` when `auth` is set (407 otherwise)
 * and connects every tunnel to 127.0.0.1:port whatever the host named;
 * the other modes misbehave after reading the request. `heads` records each
 * request head as received.
 */
async function proxy(mode: Mode, auth = false): Promise<{ port: number; heads: string[] }> {
  const heads: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    sockets.add(client);
    client.on("error", () => {});
    let buf = Buffer.alloc(0);
    const onData = (data: Buffer) => {
      buf = Buffer.concat([buf, data]);
      const end = buf.indexOf("\r\n\r\n");
      if (end < 0) {
        if (buf.length > 65536) client.destroy();
        return;
      }
      client.off("data", onData);
      client.pause();
      const head = buf.subarray(0, end + 4).toString("latin1");
      heads.push(head);
      if (mode === "stall") return;
      if (mode === "endless") {
        client.write("HTTP/1.1 200 OK\r\n");
        for (let i = 0; i < 1000; i++) client.write(`X-N: ${i}\r\n`);
        return;
      }
      if (mode === "longline") {
        client.write(`HTTP/1.1 200 OK\r\nX-Long: ${"a".repeat(70_000)}\r\n\r\n`);
        return;
      }
      if (auth && !head.includes(`\r\nProxy-Authorization: ${AUTH}\r\n`)) {
        client.end(
          'HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test"\r\nContent-Length: 0\r\n\r\n',
        );
        return;
      }
      const m = /^CONNECT (.+):(\d+) HTTP\/1\.[01]\r\n/.exec(head);
      if (!m) {
        client.end("HTTP/1.1 400 Bad Request\r\n\r\n");
        return;
      }
      const upstream = net.connect(Number(m[2]), "127.0.0.1", () => {
        client.write("HTTP/1.0 200 Connection established\r\nX-Proxy: netkit-test\r\n\r\n");
        upstream.write(buf.subarray(end + 4));
        client.pipe(upstream);
        upstream.pipe(client);
        client.resume();
      });
      sockets.add(upstream);
      upstream.on("error", () => client.destroy());
    };
    client.on("data", onData);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanups.push(() => {
    for (const s of sockets) s.destroy();
    server.close();
  });
  return { port: (server.address() as net.AddressInfo).port, heads };
}

let pki: TestPKI;
let targets: { plain: number; tls: number };
before(async () => {
  if (skip) return;
  pki = makePKI();
  const { child, firstLine } = await startPython(PY_TARGETS, [pki.dir]);
  children.push(child);
  targets = JSON.parse(firstLine) as { plain: number; tls: number };
});

async function failure(conn: HTTPConnection): Promise<unknown> {
  try {
    await conn.request("GET", "/");
    await (await conn.getresponse()).read();
  } catch (err) {
    return err;
  } finally {
    conn.close();
  }
  return new Error("no error");
}

describe("setTunnel through a CONNECT proxy", { skip }, () => {
  test("HTTP: CONNECT with Proxy-Authorization, then requests for the tunnel's host reuse the tunnel", async () => {
    const p = await proxy("ok", true);
    const conn = new HTTPConnection("127.0.0.1", p.port, { timeout: 10 });
    conn.setTunnel("localhost", targets.plain, { "Proxy-Authorization": AUTH });
    assert.equal(conn.tunnelHost, "localhost");
    for (const path of ["/a", "/b"]) {
      await conn.request("GET", path);
      const res = await conn.getresponse();
      assert.equal((await res.read()).toString(), `${path} localhost:${targets.plain}`);
    }
    conn.close();
    assert.deepEqual(p.heads, [
      `CONNECT localhost:${targets.plain} HTTP/1.0\r\nProxy-Authorization: ${AUTH}\r\n\r\n`,
    ]);
  });

  test("HTTPS: TLS starts inside the tunnel and verifies the tunnel's host name", async () => {
    const p = await proxy("ok");
    const conn = new HTTPSConnection("127.0.0.1", p.port, { context: { ca: pki.ca }, timeout: 10 });
    conn.setTunnel("localhost", targets.tls);
    await conn.request("GET", "/secure");
    const res = await conn.getresponse();
    assert.equal((await res.read()).toString(), `/secure localhost:${targets.tls}`);
    assert.ok(conn.sock instanceof SSLSocket);
    assert.equal(conn.sock.serverHostname, "localhost");
    assert.deepEqual(conn.sock.getpeername(), ["127.0.0.1", p.port]);
    await conn.request("GET", "/again");
    assert.equal((await (await conn.getresponse()).read()).toString(), `/again localhost:${targets.tls}`);
    conn.close();
    const wrong = new HTTPSConnection("127.0.0.1", p.port, { context: { ca: pki.ca }, timeout: 10 });
    wrong.setTunnel("other.example", targets.tls);
    const err = await failure(wrong);
    assert.ok(err instanceof SSLCertVerificationError, String(err));
    assert.equal(err.verifyMessage, "Hostname mismatch, certificate is not valid for 'other.example'.");
  });

  test("a 407 from the proxy is OSError 'Tunnel connection failed: 407 ...' and the socket is closed", async () => {
    const p = await proxy("ok", true);
    const conn = new HTTPConnection("127.0.0.1", p.port, { timeout: 10 });
    conn.setTunnel("localhost", targets.plain);
    const err = await failure(conn);
    assert.ok(err instanceof OSError, String(err));
    assert.equal(err.message, "Tunnel connection failed: 407 Proxy Authentication Required");
    assert.equal(err.errno, undefined);
    assert.equal(conn.sock, null);
  });

  test("a proxy that never answers: TimeoutError after the connection's timeout", async () => {
    const p = await proxy("stall");
    const conn = new HTTPSConnection("127.0.0.1", p.port, { context: { ca: pki.ca }, timeout: 0.3 });
    conn.setTunnel("localhost", targets.tls);
    const started = Date.now();
    const err = await failure(conn);
    assert.ok(err instanceof TimeoutError, String(err));
    // The 0.3 s timeout, not a longer one (a busy machine may add seconds).
    assert.ok(Date.now() - started < 30_000);
  });

  test("endless headers stop at 100 lines; an over-long line is LineTooLong", async () => {
    const endless = await proxy("endless");
    const conn = new HTTPConnection("127.0.0.1", endless.port, { timeout: 10 });
    conn.setTunnel("localhost", 1);
    const err = await failure(conn);
    assert.ok(err instanceof HTTPException && err.message === "got more than 100 headers", String(err));
    const long = await proxy("longline");
    const c2 = new HTTPConnection("127.0.0.1", long.port, { timeout: 10 });
    c2.setTunnel("localhost", 1);
    const err2 = await failure(c2);
    assert.ok(err2 instanceof LineTooLong && err2.lineType === "header line", String(err2));
  });

  test("setTunnel checks its arguments; an IPv6 host is bracketed; not after connecting", async () => {
    const p = await proxy("ok");
    const conn = new HTTPConnection("127.0.0.1", p.port, { timeout: 10 });
    assert.throws(() => conn.setTunnel("h", 1, { "X-Bad": "a\r\nInjected: 1" }), ValueError);
    assert.throws(() => conn.setTunnel("h\r\nX: 1", 1), /can't contain control characters/);
    conn.setTunnel(`[::1]:${targets.plain}`);
    assert.equal(conn.tunnelHost, "::1");
    assert.equal(conn.tunnelPort, targets.plain);
    await conn.request("GET", "/v6");
    assert.equal((await (await conn.getresponse()).read()).toString(), `/v6 [::1]:${targets.plain}`);
    assert.equal(p.heads[0], `CONNECT [::1]:${targets.plain} HTTP/1.0\r\n\r\n`);
    assert.throws(() => conn.setTunnel("other", 1), RuntimeError);
    conn.close();
  });

  test("python3's http.client sends the same CONNECT request", async () => {
    const ours = await proxy("ok");
    const conn = new HTTPConnection("127.0.0.1", ours.port, { timeout: 10 });
    conn.setTunnel("localhost", targets.plain, [
      ["Proxy-Authorization", AUTH],
      ["X-Extra", "1"],
    ]);
    await conn.request("GET", "/");
    await (await conn.getresponse()).read();
    conn.close();
    const theirs = await proxy("ok");
    await python(
      `
import http.client, json, sys
a = json.load(sys.stdin)
c = http.client.HTTPConnection("127.0.0.1", a["proxy"], timeout=10)
c.set_tunnel("localhost", a["port"], {"Proxy-Authorization": a["auth"], "X-Extra": "1"})
c.request("GET", "/"); c.getresponse().read(); c.close()
print("null")
`,
      { proxy: theirs.port, port: targets.plain, auth: AUTH },
    );
    assert.equal(ours.heads.length, 1);
    assert.deepEqual(ours.heads, theirs.heads);
  });
});
