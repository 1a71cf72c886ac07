/**
 * netkit's `ServerProxy` calling python3's `SimpleXMLRPCServer` (a real
 * server netkit did not write): every type both ways, faults, unknown
 * methods, multicall, introspection, gzip responses and gzip requests,
 * allow_none, use_builtin_types, keep-alive on one connection, basic auth,
 * extra headers, HTTP errors as ProtocolError, and the typed proxy.
 */
import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import type { HTTPResponse } from "../../src/http/client.js";
import {
  Binary,
  DateTime,
  Double,
  Fault,
  MultiCall,
  ProtocolError,
  SafeTransport,
  ServerProxy,
  Transport,
} from "../../src/xmlrpc/client.js";
import { hasCommand, peerSkip } from "../_support/peers.js";
import { startPython } from "../_support/python.js";
import { HAS_OPENSSL, makePKI } from "../_support/tls.js";

const skip = peerSkip("python3", hasCommand("python3"));

const SERVER = `
import sys, datetime, socketserver, xmlrpc.client as X
from xmlrpc.server import SimpleXMLRPCServer, SimpleXMLRPCRequestHandler
class H(SimpleXMLRPCRequestHandler):
    protocol_version = 'HTTP/1.1'
    def log_message(self, *a): pass
    ports = []
    last = {}
    prev = {}
    def do_POST(self):
        H.ports.append(self.client_address[1])
        H.prev = H.last
        H.last = {k.lower(): v for k, v in self.headers.items()}
        super().do_POST()
class S(socketserver.ThreadingMixIn, SimpleXMLRPCServer):
    daemon_threads = True
srv = S(('127.0.0.1', 0), requestHandler=H, allow_none=True, logRequests=False)
srv.register_introspection_functions()
srv.register_multicall_functions()
def echo(*a): return list(a)
def add(a, b): return a + b
def types():
    return [7, -2**31, 2.5, 2.0, True, 'h\\xe9llo <&>', None, b'\\x00\\xffbytes', X.Binary(b'bin'),
            datetime.datetime(2024, 1, 31, 12, 30, 5), X.DateTime('20000101T00:00:00'), [1, [2]], {'k': {'n': 1}}]
def big(n):
    """Returns n x's."""
    return 'x' * n
def fail(): raise ValueError('nope')
def fault(): raise X.Fault(42, 'custom')
def ports(): return H.ports
def headers(): return H.last
def prevHeaders(): return H.prev
def getStateName(n): return {41: 'South Dakota'}.get(n, 'unknown')
for f in (echo, add, types, big, fail, fault, ports, headers, prevHeaders): srv.register_function(f)
srv.register_function(getStateName, 'examples.getStateName')
print(srv.server_address[1], flush=True)
srv.serve_forever()
`;

interface Api {
  examples: { getStateName(n: number): string };
  add(a: number, b: number): number;
}

describe("ServerProxy against python3's SimpleXMLRPCServer", { skip }, () => {
  let child: ChildProcess | undefined;
  let url = "";
  before(async () => {
    const started = await startPython(SERVER);
    child = started.child;
    url = `http://127.0.0.1:${started.firstLine}`;
  });
  after(() => child?.kill("SIGKILL"));

  test("every type goes to python and comes back equal", async () => {
    await using proxy = new ServerProxy(url, { allowNone: true });
    const values = [
      7,
      -(2 ** 31),
      2.5,
      new Double(3),
      true,
      false,
      "h\u00e9llo <&> \u{1F600}",
      null,
      Buffer.from([0, 255, 1]),
      new Binary(Buffer.from("bin")),
      new Date(Date.UTC(2024, 0, 31, 12, 30, 5)),
      new DateTime("20000101T00:00:00"),
      [1, [2, "three"]],
      { k: { n: 1 }, "a b": [] },
      12n,
    ];
    const back = (await proxy.echo(...values)) as unknown[];
    assert.equal(back.length, values.length);
    assert.deepEqual(back.slice(0, 3), [7, -(2 ** 31), 2.5]);
    assert.equal(back[3], 3);
    assert.deepEqual(back.slice(4, 8), [true, false, "h\u00e9llo <&> \u{1F600}", null]);
    assert.ok(back[8] instanceof Binary && back[8].equals(Buffer.from([0, 255, 1])));
    assert.ok(back[9] instanceof Binary && back[9].toString() === "bin");
    assert.ok(back[10] instanceof DateTime && back[10].value === "20240131T12:30:05");
    assert.ok(back[11] instanceof DateTime && back[11].value === "20000101T00:00:00");
    assert.deepEqual(back.slice(12), [[1, [2, "three"]], { k: { n: 1 }, "a b": [] }, 12]);
  });

  test("python's values arrive as the documented JS types; useBuiltinTypes gives Buffer and Date", async () => {
    await using plain = new ServerProxy(url);
    const v = (await plain.types()) as unknown[];
    assert.deepEqual(v.slice(0, 8), [7, -(2 ** 31), 2.5, 2, true, "h\u00e9llo <&>", null, v[7]]);
    assert.ok(v[7] instanceof Binary && v[7].equals(Buffer.from("\x00\xffbytes", "latin1")));
    assert.ok(v[9] instanceof DateTime && v[9].value === "20240131T12:30:05");
    assert.deepEqual(v.slice(11), [[1, [2]], { k: { n: 1 } }]);
    await using builtin = new ServerProxy(url, { useBuiltinTypes: true });
    const w = (await builtin.types()) as unknown[];
    assert.ok(Buffer.isBuffer(w[7]) && Buffer.isBuffer(w[8]));
    assert.ok(w[9] instanceof Date && w[9].toISOString() === "2024-01-31T12:30:05.000Z");
    assert.ok(w[10] instanceof Date && w[10].toISOString() === "2000-01-01T00:00:00.000Z");
  });

  test("a python exception is Fault 1 with python's text; a raised Fault keeps its code; an unknown method faults", async () => {
    await using proxy = new ServerProxy(url);
    await assert.rejects(proxy.fail(), (e: unknown) => {
      assert.ok(e instanceof Fault);
      assert.equal(e.faultCode, 1);
      assert.equal(e.faultString, "<class 'ValueError'>:nope");
      return true;
    });
    await assert.rejects(proxy.fault(), { faultCode: 42, faultString: "custom" });
    await assert.rejects(proxy.call("no.such"), {
      name: "Fault",
      faultString: "<class 'Exception'>:method \"no.such\" is not supported",
    });
    // an int outside i4 fails locally, before anything is sent
    await assert.rejects(proxy.add(2 ** 31, 1), { name: "OverflowError" });
    // null without allowNone fails locally too
    await assert.rejects(proxy.echo(null), {
      name: "TypeError",
      message: "cannot marshal None unless allow_none is enabled",
    });
  });

  test("MultiCall sends one system.multicall; a fault surfaces when its result is read", async () => {
    await using proxy = new ServerProxy(url);
    const multi = new MultiCall(proxy);
    multi.add(2, 3);
    multi.examples.getStateName(41);
    multi.fail();
    multi.add(1, 1);
    const results = await multi();
    assert.equal(results.length, 4);
    assert.equal(results.get(0), 5);
    assert.equal(results.get(1), "South Dakota");
    assert.throws(() => results.get(2), { name: "Fault", faultCode: 1 });
    const seen: unknown[] = [];
    assert.throws(() => {
      for (const r of results) seen.push(r);
    }, Fault);
    assert.deepEqual(seen, [5, "South Dakota"]);
  });

  test("introspection: system.listMethods, methodHelp, methodSignature", async () => {
    await using proxy = new ServerProxy(url);
    const methods = (await proxy.system.listMethods()) as string[];
    for (const m of ["add", "echo", "examples.getStateName", "system.multicall", "system.listMethods"]) {
      assert.ok(methods.includes(m), m);
    }
    assert.deepEqual(methods, [...methods].sort());
    assert.equal(await proxy.system.methodHelp("big"), "Returns n x's.");
    assert.equal(await proxy.system.methodSignature("big"), "signatures not supported");
  });

  test("gzip: a large response arrives gzipped and is decoded; requests can be gzipped too", async () => {
    const encodings: string[] = [];
    class Recording extends Transport {
      override async parseResponse(response: HTTPResponse): Promise<unknown[]> {
        encodings.push(response.getheader("Content-Encoding", "none")!);
        return super.parseResponse(response);
      }
    }
    await using proxy = new ServerProxy(url, { transport: new Recording() });
    assert.equal(((await proxy.big(200_000)) as string).length, 200_000);
    assert.equal(((await proxy.headers()) as Record<string, string>)["accept-encoding"], "gzip");
    assert.deepEqual(encodings.slice(0, 1), ["gzip"]);
    const transport = new Transport();
    transport.encodeThreshold = 100;
    await using zipped = new ServerProxy(url, { transport });
    const long = "y".repeat(5000);
    assert.deepEqual(await zipped.echo(long), [long]);
    assert.equal(((await zipped.prevHeaders()) as Record<string, string>)["content-encoding"], "gzip");
  });

  test("keep-alive: consecutive calls share one TCP connection", async () => {
    await using proxy = new ServerProxy(url);
    const before = ((await proxy.ports()) as number[]).length;
    for (let i = 0; i < 5; i++) await proxy.add(i, i);
    const ports = ((await proxy.ports()) as number[]).slice(before - 1);
    assert.equal(new Set(ports).size, 1, `ports: ${ports}`);
  });

  test("basic auth from the URL, extra headers, and the User-Agent are sent", async () => {
    const port = new URL(url).port;
    await using proxy = new ServerProxy(`http://us%20er:p%40ss@127.0.0.1:${port}/RPC2`, {
      headers: { "X-Test": "yes" },
    });
    const h = (await proxy.headers()) as Record<string, string>;
    assert.equal(h.authorization, `Basic ${Buffer.from("us er:p@ss").toString("base64")}`);
    assert.equal(h["x-test"], "yes");
    assert.equal(h["content-type"], "text/xml");
    assert.match(h["user-agent"] ?? "", /^netkit-xmlrpc\//);
    assert.equal(String(proxy), `<ServerProxy for 127.0.0.1:${port}/RPC2>`);
  });

  test("an HTTP error status is a ProtocolError without the credentials", async () => {
    const port = new URL(url).port;
    await using proxy = new ServerProxy(`http://u:secret@127.0.0.1:${port}/not-rpc`);
    await assert.rejects(proxy.add(1, 2), (e: unknown) => {
      assert.ok(e instanceof ProtocolError);
      assert.equal(e.errcode, 404);
      assert.equal(e.url, `127.0.0.1:${port}/not-rpc`);
      assert.doesNotMatch(e.message, /secret/);
      return true;
    });
  });

  test("a typed proxy: methods of the interface return promises of their results", async () => {
    await using proxy = new ServerProxy<Api>(url);
    const name: string = await proxy.examples.getStateName(41);
    const sum: number = await proxy.add(40, 2);
    assert.equal(name, "South Dakota");
    assert.equal(sum, 42);
  });
});

describe("ServerProxy over https against python3's SimpleXMLRPCServer with ssl", {
  skip: skip || peerSkip("openssl", HAS_OPENSSL),
}, () => {
  let child: ChildProcess | undefined;
  let port = "";
  before(async () => {
    const pki = makePKI();
    const started = await startPython(
      `
import ssl, sys
from xmlrpc.server import SimpleXMLRPCServer
srv = SimpleXMLRPCServer(('127.0.0.1', 0), logRequests=False)
ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
ctx.load_cert_chain(sys.argv[1], sys.argv[2])
srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
srv.register_function(lambda a, b: a + b, 'add')
print(srv.server_address[1], flush=True)
srv.serve_forever()
`,
      [pki.server.certFile, pki.server.keyFile],
    );
    child = started.child;
    port = started.firstLine;
  });
  after(() => child?.kill("SIGKILL"));

  test("an https URI uses SafeTransport and verifies the server against the given CA", async () => {
    const pki = makePKI();
    await using proxy = new ServerProxy(`https://127.0.0.1:${port}/RPC2`, { context: { ca: pki.ca } });
    assert.ok(proxy.transport instanceof SafeTransport);
    assert.equal(await proxy.add(40, 2), 42);
  });

  test("without the CA the certificate is refused", async () => {
    await using proxy = new ServerProxy(`https://127.0.0.1:${port}/RPC2`, {
      context: { ca: readFileSync(makePKI().otherCaFile, "utf8") },
    });
    await assert.rejects(proxy.add(1, 2), (e: unknown) =>
      /SSL|certificate/i.test(String((e as Error).name) + String((e as Error).message)),
    );
  });
});
