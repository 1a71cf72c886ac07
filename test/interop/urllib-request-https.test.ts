/**
 * urllib.request over HTTPS against python3's http.server wrapped in its ssl
 * module, with certificates from a CA made at test time: verification on by
 * default (an unknown CA and a wrong host name are URLErrors whose reason is
 * the certificate error), `urlopen(url, { context })`, `HTTPSHandler` with
 * cookies and redirects, and `checkHostname: false`.
 */
import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import { after, before, describe, test } from "node:test";
import { CookieJar } from "../../src/http/cookiejar.js";
import { SSLCertVerificationError } from "../../src/socket/tls.js";
import {
  buildOpener,
  HTTPCookieProcessor,
  HTTPSHandler,
  URLError,
  urlopen,
} from "../../src/urllib/request.js";
import { hasCommand, peerSkip } from "../_support/peers.js";
import { startPython } from "../_support/python.js";
import { HAS_OPENSSL, makePKI, type TestPKI } from "../_support/tls.js";

const skip = peerSkip("python3", hasCommand("python3")) || peerSkip("openssl", HAS_OPENSSL);

/** One python3 HTTPS server per certificate name: /login sets a cookie, /whoami shows it, /go redirects. */
const PY_HTTPS = `
import http.server, ssl, sys, json, threading
d = sys.argv[1]
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *a): pass
    def answer(self, status, body, extra=()):
        body = body.encode()
        self.send_response(status)
        for k, v in extra: self.send_header(k, v)
        self.send_header("Content-Length", str(len(body))); self.end_headers(); self.wfile.write(body)
    def do_GET(self):
        if self.path == "/login": self.answer(200, "in", [("Set-Cookie", "sid=s3cret; Path=/; Secure")])
        elif self.path == "/go": self.answer(302, "", [("Location", "/whoami")])
        elif self.path == "/whoami": self.answer(200, "cookie=" + self.headers.get("Cookie", "-") + " via " + self.connection.version())
        else: self.answer(200, "hello " + self.path)
ports = {}
for name in sys.argv[2:]:
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER); ctx.load_cert_chain(f"{d}/{name}.pem", f"{d}/{name}.key")
    srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    ports[name] = srv.server_address[1]
    threading.Thread(target=srv.serve_forever, daemon=True).start()
print(json.dumps(ports), flush=True)
threading.Event().wait()
`;

let child: ChildProcess | undefined;
let pki: TestPKI;
let ports: Record<string, number> = {};

before(async () => {
  if (skip) return;
  pki = makePKI();
  const started = await startPython(PY_HTTPS, [pki.dir, "server", "wronghost"]);
  child = started.child;
  ports = JSON.parse(started.firstLine) as Record<string, number>;
});
after(() => child?.kill("SIGKILL"));

const url = (name: string, path: string) => `https://localhost:${ports[name]}${path}`;

/** Asserts `promise` rejects with a URLError whose reason is a certificate error saying `why`. */
async function rejectsCertificate(promise: Promise<unknown>, why: RegExp): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof URLError, `expected URLError, got ${String(err)}`);
    assert.ok(err.reason instanceof SSLCertVerificationError, `reason: ${String(err.reason)}`);
    assert.match(err.reason.message, why);
    return true;
  });
}

describe("urllib.request over HTTPS (python3 ssl server)", { skip }, () => {
  test("the default opener verifies the chain: a private CA is refused", async () => {
    await rejectsCertificate(urlopen(url("server", "/x"), { timeout: 10 }), /certificate/);
  });

  test("urlopen with a context trusting the CA reads the body", async () => {
    await using res = await urlopen(url("server", "/x"), { context: { ca: pki.ca }, timeout: 10 });
    assert.equal(res.status, 200);
    assert.equal((await res.read()).toString(), "hello /x");
    assert.equal(res.url, url("server", "/x"));
  });

  test("the host name is checked, unless checkHostname is false", async () => {
    await rejectsCertificate(
      urlopen(url("wronghost", "/x"), { context: { ca: pki.ca }, timeout: 10 }),
      /hostname|Hostname|match/,
    );
    const opener = buildOpener(new HTTPSHandler({ context: { ca: pki.ca }, checkHostname: false }));
    await using res = await opener.open(url("wronghost", "/y"), { timeout: 10 });
    assert.equal((await res.read()).toString(), "hello /y");
  });

  test("HTTPSHandler with a cookie jar: a Secure cookie goes back over TLS, across a redirect", async () => {
    const jar = new CookieJar();
    const opener = buildOpener(new HTTPSHandler({ context: { ca: pki.ca } }), new HTTPCookieProcessor(jar));
    await (await opener.open(url("server", "/login"), { timeout: 10 })).read();
    assert.deepEqual(
      [...jar].map((c) => c.name),
      ["sid"],
    );
    await using res = await opener.open(url("server", "/go"), { timeout: 10 });
    assert.equal(res.url, url("server", "/whoami"));
    assert.match((await res.read()).toString(), /^cookie=sid=s3cret via TLSv1\.[23]$/);
  });
});
