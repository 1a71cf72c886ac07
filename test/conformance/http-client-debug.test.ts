/**
 * Differential: `setDebuglevel(1)` prints what python3's http.client prints
 * for the same exchange. Generated requests (method, path, header value,
 * bytes / text / list bodies) and generated replies (reason phrases and
 * header values over latin-1, 100 Continue, chunked or sized bodies) go to
 * one scripted server from both clients; the debug texts must be equal.
 * Also: a CONNECT tunnel, and the TLS errors and peer certificate python3's
 * ssl module reports for the same servers.
 */
import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import * as net from "node:net";
import { after, before, describe, test } from "node:test";
import fc from "fast-check";
import { HTTPConnection, HTTPSConnection } from "../../src/http/client.js";
import type { SSLSocket } from "../../src/socket/tls.js";
import { hasCommand, peerSkip } from "../_support/peers.js";
import { python, startPython } from "../_support/python.js";
import { HAS_OPENSSL, makePKI } from "../_support/tls.js";

const skipPython = peerSkip("python3", hasCommand("python3"));
const skipTLS = skipPython || peerSkip("openssl", HAS_OPENSSL);
const cleanups: Array<() => void> = [];
after(() => {
  for (const f of cleanups) f();
});

type BodySpec = null | { bytes: number[] } | { text: string } | { chunks: number[][] };
interface Case {
  method: string;
  path: string;
  value: string;
  body: BodySpec;
  reason: string;
  replyValue: string;
  chunkedReply: boolean;
  continue100: boolean;
}

function replyFor(c: Case): Buffer {
  let out = c.continue100 ? "HTTP/1.1 100 Continue\r\nX-Skip: me\r\n\r\n" : "";
  out += `HTTP/1.1 200 ${c.reason}\r\nX-Gen: ${c.replyValue}\r\n`;
  out += c.chunkedReply
    ? "Transfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n"
    : "Content-Length: 2\r\n\r\nok";
  return Buffer.from(out, "latin1");
}

/** A server answering `/c/<i>...` with case i's reply once the whole request has come. */
async function scriptedServer(cases: () => Case[]): Promise<number> {
  const server = net.createServer((sock) => {
    sock.on("error", () => {});
    let buf = Buffer.alloc(0);
    sock.on("data", (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      const end = buf.indexOf("\r\n\r\n");
      if (end < 0) return;
      const head = buf.subarray(0, end).toString("latin1");
      const rest = buf.subarray(end + 4);
      const length = /\r\ncontent-length: (\d+)/i.exec(head);
      const complete = /\r\ntransfer-encoding: chunked/i.test(head)
        ? rest.includes("0\r\n\r\n")
        : rest.length >= Number(length?.[1] ?? 0);
      if (!complete) return;
      const index = Number(/^\S+ \/c\/(\d+)/.exec(head)?.[1] ?? -1);
      const c = cases()[index];
      sock.end(c ? replyFor(c) : Buffer.from("HTTP/1.1 404 No\r\nContent-Length: 0\r\n\r\n"));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanups.push(() => server.close());
  return (server.address() as net.AddressInfo).port;
}

const PY_RUN = `
import contextlib, http.client, io, json, sys
a = json.load(sys.stdin)
out = []
for i, c in enumerate(a["cases"]):
    b = c["body"]
    if b is None: body = None
    elif "bytes" in b: body = bytes(b["bytes"])
    elif "text" in b: body = b["text"]
    else: body = [bytes(x) for x in b["chunks"]]
    text = io.StringIO()
    with contextlib.redirect_stdout(text):
        conn = http.client.HTTPConnection("127.0.0.1", a["port"], timeout=10)
        conn.set_debuglevel(1)
        conn.request(c["method"], "/c/%d%s" % (i, c["path"]), body=body, headers={"X-Val": c["value"]})
        r = conn.getresponse(); r.read(); conn.close()
    out.append(text.getvalue())
print(json.dumps(out))
`;

async function ours(port: number, i: number, c: Case): Promise<string> {
  let text = "";
  const conn = new HTTPConnection("127.0.0.1", port, { timeout: 10, debugOutput: (t) => (text += t) });
  conn.setDebuglevel(1);
  const b = c.body;
  const body =
    b === null
      ? null
      : "bytes" in b
        ? Buffer.from(b.bytes)
        : "text" in b
          ? b.text
          : b.chunks.map((x) => Buffer.from(x));
  await conn.request(c.method, `/c/${i}${c.path}`, { body, headers: { "X-Val": c.value } });
  const res = await conn.getresponse();
  await res.read();
  conn.close();
  return text;
}

const latin1Char = (from: number, to: number) =>
  fc.integer({ min: from, max: to }).map((n) => String.fromCharCode(n));
const latin1Text = fc
  .array(fc.oneof(latin1Char(0x20, 0x7e), latin1Char(0x80, 0xff)), { maxLength: 12 })
  .map((a) => a.join(""));
const caseArb: fc.Arbitrary<Case> = fc.record({
  method: fc.constantFrom("GET", "POST", "PUT", "DELETE"),
  path: fc.stringMatching(/^[A-Za-z0-9._~!$&'()*+,;=:@/-]{0,16}$/),
  value: latin1Text,
  body: fc.oneof(
    fc.constant(null),
    fc.record({ bytes: fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 24 }) }),
    fc.record({ text: latin1Text }),
    fc.record({
      chunks: fc.array(fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 6 }), { maxLength: 3 }),
    }),
  ),
  reason: latin1Text,
  replyValue: fc
    .array(fc.oneof(latin1Char(0x21, 0x7e), latin1Char(0xa1, 0xff)), { minLength: 1, maxLength: 10 })
    .map((a) => a.join("")),
  chunkedReply: fc.boolean(),
  continue100: fc.boolean(),
});

describe("setDebuglevel() prints what python3 prints", { skip: skipPython }, () => {
  let cases: Case[] = [];
  let port = 0;
  before(async () => {
    port = await scriptedServer(() => cases);
  });

  test("send:/reply:/header:/headers: lines for 40 generated exchanges", async () => {
    cases = fc.sample(caseArb, { numRuns: 40, seed: 20241125 });
    const theirs = await python<string[]>(PY_RUN, { port, cases });
    for (const [i, c] of cases.entries()) {
      assert.equal(await ours(port, i, c), theirs[i], `case ${i}: ${JSON.stringify(c)}`);
    }
    // The texts really do carry the generated parts.
    assert.ok(theirs.some((t) => t.includes("headers: [b'X-Skip: me\\r\\n', b'\\r\\n']")));
    assert.ok(theirs.some((t) => t.includes("Unable to determine size of [")));
  });

  test("through a CONNECT tunnel: the CONNECT send and the proxy's header: lines", async () => {
    cases = fc.sample(caseArb, { numRuns: 1, seed: 7 });
    const proxy = net.createServer((client) => {
      client.on("error", () => {});
      client.once("data", () => {
        const upstream = net.connect(port, "127.0.0.1", () => {
          client.write("HTTP/1.0 200 Connection established\r\nX-Proxy: yes\r\nVia: 1.1 test\r\n\r\n");
          client.pipe(upstream);
          upstream.pipe(client);
        });
        upstream.on("error", () => client.destroy());
      });
    });
    await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
    cleanups.push(() => proxy.close());
    const proxyPort = (proxy.address() as net.AddressInfo).port;
    const theirs = await python<string>(
      `
import contextlib, http.client, io, json, sys
a = json.load(sys.stdin)
text = io.StringIO()
with contextlib.redirect_stdout(text):
    c = http.client.HTTPConnection("127.0.0.1", a["proxy"], timeout=10)
    c.set_debuglevel(1)
    c.set_tunnel("localhost", a["port"], {"Proxy-Authorization": "Basic eDp5"})
    c.request("GET", "/c/0"); c.getresponse().read(); c.close()
print(json.dumps(text.getvalue()))
`,
      { proxy: proxyPort, port },
    );
    let text = "";
    const conn = new HTTPConnection("127.0.0.1", proxyPort, { timeout: 10, debugOutput: (t) => (text += t) });
    conn.setDebuglevel(1);
    conn.setTunnel("localhost", port, { "Proxy-Authorization": "Basic eDp5" });
    await conn.request("GET", "/c/0");
    await (await conn.getresponse()).read();
    conn.close();
    assert.equal(text, theirs);
    assert.match(
      text,
      /^send: b'CONNECT localhost:\d+ HTTP\/1\.0\\r\\nProxy-Authorization: Basic eDp5\\r\\n\\r\\n'\nheader: X-Proxy: yes\r\n\n/,
    );
  });
});

describe("TLS results agree with python3's ssl module", { skip: skipTLS }, () => {
  let child: ChildProcess | undefined;
  let ports: Record<string, number> = {};
  after(() => child?.kill("SIGKILL"));
  before(async () => {
    const pki = makePKI();
    const started = await startPython(
      `
import socket, ssl, sys, json, threading
d = sys.argv[1]
ports = {}
def serve(name):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER); ctx.load_cert_chain(f"{d}/{name}.pem", f"{d}/{name}.key")
    s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen()
    def run():
        while True:
            c, _ = s.accept()
            try:
                c = ctx.wrap_socket(c, server_side=True); c.recv(65536)
                c.sendall(b"HTTP/1.0 200 OK\\r\\nContent-Length: 2\\r\\n\\r\\nok"); c.close()
            except Exception:
                c.close()
    threading.Thread(target=run, daemon=True).start()
    ports[name] = s.getsockname()[1]
for name in sys.argv[2:]: serve(name)
print(json.dumps(ports), flush=True)
threading.Event().wait()
`,
      [pki.dir, "server", "expired", "wronghost", "self", "unknownca"],
    );
    child = started.child;
    ports = JSON.parse(started.firstLine) as Record<string, number>;
  });

  test("the same error class, verify code, verify message and text for each bad certificate", async () => {
    const pki = makePKI();
    const hosts = ["localhost", "127.0.0.1"];
    const names = ["server", "expired", "wronghost", "self", "unknownca"];
    const theirs = await python<Array<[string, number | null, string | null, string]>>(
      `
import http.client, json, re, ssl, sys
a = json.load(sys.stdin)
out = []
for name in a["names"]:
    for host in a["hosts"]:
        c = http.client.HTTPSConnection(host, a["ports"][name], context=ssl.create_default_context(cafile=a["ca"]), timeout=10)
        try:
            c.request("GET", "/"); r = c.getresponse(); out.append(["ok", r.status, None, r.read().decode()])
        except ssl.SSLError as e:
            out.append([type(e).__name__, getattr(e, "verify_code", None), getattr(e, "verify_message", None), re.sub(r" \\(_ssl\\.c:\\d+\\)$", "", str(e))])
        c.close()
print(json.dumps(out))
`,
      { names, hosts, ports, ca: pki.caFile },
    );
    const mine: Array<[string, number | null, string | null, string]> = [];
    for (const name of names) {
      for (const host of hosts) {
        const conn = new HTTPSConnection(host, ports[name], { context: { ca: pki.ca }, timeout: 10 });
        try {
          await conn.request("GET", "/");
          const res = await conn.getresponse();
          mine.push(["ok", res.status, null, (await res.read()).toString()]);
        } catch (err) {
          const e = err as Error & { verifyCode?: number; verifyMessage?: string };
          mine.push([e.name, e.verifyCode ?? null, e.verifyMessage ?? null, e.message]);
        }
        conn.close();
      }
    }
    assert.deepEqual(mine, theirs);
    assert.equal(theirs.filter(([kind]) => kind === "ok").length, 2);
  });

  test("getpeercert() gives python3's dictionary for the server's certificate", async () => {
    const pki = makePKI();
    const theirs = await python<unknown>(
      `
import json, socket, ssl, sys
a = json.load(sys.stdin)
ctx = ssl.create_default_context(cafile=a["ca"])
with socket.create_connection(("127.0.0.1", a["port"]), timeout=10) as raw:
    with ctx.wrap_socket(raw, server_hostname="localhost") as s:
        print(json.dumps(s.getpeercert()))
`,
      { port: ports.server, ca: pki.caFile },
    );
    const conn = new HTTPSConnection("localhost", ports.server, { context: { ca: pki.ca }, timeout: 10 });
    await conn.connect();
    const sock = conn.sock as SSLSocket;
    assert.deepEqual(JSON.parse(JSON.stringify(sock.getpeercert())), theirs);
    conn.close();
  });
});
