/**
 * python3's `xmlrpc.client` calling netkit's ThreadingXMLRPCServer: every
 * XML-RPC type both ways (with and without use_builtin_types), faults,
 * multicall, introspection, gzip both ways, and a keep-alive sequence on one
 * connection. The same client script runs against python3's own
 * SimpleXMLRPCServer with the same functions, and both transcripts must be
 * equal; what only netkit's side can see (connections, encodings) is checked
 * on the server.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { ValueError } from "../../src/errors/index.js";
import { SimpleXMLRPCRequestHandler, ThreadingXMLRPCServer } from "../../src/xmlrpc/server.js";
import { hasCommand, peerSkip } from "../_support/peers.js";
import { PYTHON, python, startPython } from "../_support/python.js";
import { type Running, serve } from "../xmlrpc/server-support.js";

const skip = peerSkip("python3", hasCommand(PYTHON));

/** What netkit's server saw: one entry per request. */
const seen: Array<{ client: string; contentEncoding: string; gzippedReply: boolean }> = [];

class Recording extends SimpleXMLRPCRequestHandler {
  override logMessage(): void {}
  override async decodeRequestContent(data: Buffer): Promise<Buffer | null> {
    const addr = this.clientAddress as [string, number];
    seen.push({
      client: `${addr[0]}:${addr[1]}`,
      contentEncoding: this.headers.get("Content-Encoding", "identity"),
      gzippedReply: false,
    });
    return super.decodeRequestContent(data);
  }
  override sendHeader(keyword: string, value: string | number): void {
    if (keyword === "Content-Encoding" && value === "gzip" && seen.length > 0)
      seen[seen.length - 1]!.gzippedReply = true;
    super.sendHeader(keyword, value);
  }
}

/** Python's type(x).__name__ for what a netkit function receives. */
function kind(x: unknown): string {
  if (x === null || x === undefined) return "NoneType";
  if (Buffer.isBuffer(x)) return "bytes";
  if (x instanceof Date) return "datetime";
  if (typeof x === "boolean") return "bool";
  if (typeof x === "string") return "str";
  if (typeof x === "number") return Number.isInteger(x) ? "int" : "float";
  if (typeof x === "bigint") return "int";
  if (Array.isArray(x)) return "list";
  const name = (x as object).constructor?.name;
  return name === "Object" ? "dict" : (name ?? "object");
}

function netkitServer(useBuiltinTypes: boolean): ThreadingXMLRPCServer {
  const server = new ThreadingXMLRPCServer(["127.0.0.1", 0], {
    requestHandler: Recording,
    logRequests: false,
    allowNone: true,
    useBuiltinTypes,
  });
  server.registerFunction((x: unknown) => x, "echo");
  server.registerFunction((x: unknown) => kind(x), "kind");
  server.registerFunction(
    Object.assign((x: number, y: number) => x + y, { __doc__: "Add two numbers.\n\n    Returns their sum." }),
    "add",
  );
  server.registerFunction(() => null, "nothing");
  server.registerFunction(() => {
    throw new ValueError("bad value");
  }, "fail");
  server.registerFunction((n: number) => "z".repeat(n), "repeat");
  server.registerIntrospectionFunctions();
  server.registerMulticallFunctions();
  return server;
}

const PY_SERVER = `
import sys
from socketserver import ThreadingMixIn
from xmlrpc.server import SimpleXMLRPCServer
class S(ThreadingMixIn, SimpleXMLRPCServer): daemon_threads = True
srv = S(('127.0.0.1', 0), logRequests=False, allow_none=True, use_builtin_types=sys.argv[1] == '1')
srv.register_function(lambda x: x, 'echo')
srv.register_function(lambda x: type(x).__name__, 'kind')
def add(x, y):
    """Add two numbers.

    Returns their sum."""
    return x + y
srv.register_function(add)
srv.register_function(lambda: None, 'nothing')
def fail(): raise ValueError('bad value')
srv.register_function(fail)
srv.register_function(lambda n: 'z' * n, 'repeat')
srv.register_introspection_functions()
srv.register_multicall_functions()
print(srv.server_address[1], flush=True)
srv.serve_forever()
`;

/** The client: every call's outcome as text (repr of the result, or the fault). */
const PY_CLIENT = `
import json, sys, datetime, http.client
import xmlrpc.client as xc
d = json.load(sys.stdin)
url = "http://127.0.0.1:%d/RPC2" % d["port"]
builtin = d["builtin"]
out = {}
class T(xc.Transport):
    encodings = []
    def parse_response(self, response):
        T.encodings.append(response.getheader("Content-Encoding"))
        return super().parse_response(response)
t = T(use_builtin_types=builtin)
p = xc.ServerProxy(url, allow_none=True, use_builtin_types=builtin, transport=t)
import re
def rec(name, f):
    try:
        out[name] = re.sub(r" at 0x[0-9a-f]+>", " at ADDR>", repr(f()))
    except xc.Fault as e:
        out[name] = "Fault(%d, %r)" % (e.faultCode, e.faultString)
    except Exception as e:
        out[name] = "%s: %s" % (type(e).__name__, e)
values = {
    "int": 42, "negint": -7, "maxint": 2**31 - 1, "minint": -2**31,
    "true": True, "false": False,
    "double": 2.5, "tiny": 1e-300, "negzero": -0.0, "bigdouble": 1.7976931348623157e308,
    "string": "<&>\\"' plain", "unicode": "\\u00e9\\u4e2d\\U0001F600", "crlf": "a\\r\\nb\\rc", "empty": "",
    "bytes": b"\\x00\\x01\\xfe\\xff binary",
    "binary": xc.Binary(b"\\x00\\xffdata"),
    "datetime": datetime.datetime(2024, 2, 29, 23, 59, 58),
    "DateTime": xc.DateTime("20240229T23:59:58"),
    "array": [1, "two", 3.5, [4, [5]], {"six": 6}],
    "struct": {"a": 1, "b": [True, None], "c": {"d": "e"}, "k\\u00e9y": "v"},
    "nil": None,
}
for name, v in values.items():
    rec("echo " + name, lambda v=v: p.echo(v))
    rec("kind " + name, lambda v=v: p.kind(v))
rec("add", lambda: p.add(2, 3))
rec("nothing", lambda: p.nothing())
rec("fail", lambda: p.fail())
rec("unknown", lambda: p.nope(1))
rec("wrong args", lambda: p.add(1))
rec("overflow", lambda: p.add(2**31 - 1, 1))
rec("listMethods", lambda: p.system.listMethods())
rec("methodHelp add", lambda: p.system.methodHelp("add"))
rec("methodHelp listMethods", lambda: p.system.methodHelp("system.listMethods"))
rec("methodHelp unknown", lambda: p.system.methodHelp("nope"))
rec("methodSignature", lambda: p.system.methodSignature("add"))
def multi():
    m = xc.MultiCall(p)
    m.add(1, 2); m.echo("x"); m.fail(); m.nope(); m.kind([1])
    r = m()
    items = []
    for i in range(5):
        try: items.append(repr(r[i]))
        except xc.Fault as e: items.append("Fault(%d, %r)" % (e.faultCode, e.faultString))
    return items
rec("multicall", multi)
# i8 is read (Python's client cannot send it: a raw body, through http.client)
def raw(body):
    c = http.client.HTTPConnection("127.0.0.1", d["port"], timeout=10)
    c.request("POST", "/RPC2", body=body.encode(), headers={"Content-Type": "text/xml"})
    r = c.getresponse(); data = r.read(); c.close()
    try: return xc.loads(data, use_builtin_types=builtin)[0]
    except xc.Fault as e: return "Fault(%d, %r)" % (e.faultCode, e.faultString)
call = "<?xml version='1.0'?><methodCall><methodName>%s</methodName><params><param><value>%s</value></param></params></methodCall>"
rec("i8 small", lambda: raw(call % ("echo", "<i8>7</i8>")))
rec("i8 kind", lambda: raw(call % ("kind", "<i8>-9</i8>")))
rec("i8 large", lambda: raw(call % ("echo", "<i8>4294967296</i8>")))
rec("nil element", lambda: raw(call % ("kind", "<nil/>")))
rec("ex:nil element", lambda: raw("<?xml version='1.0'?><methodCall xmlns:ex='x'><methodName>kind</methodName><params><param><value><ex:nil/></value></param></params></methodCall>"))
# gzip both ways: a big response (gzipped by the server), then gzipped requests
T.encodings.clear()
rec("big reply", lambda: len(p.repeat(5000)))
out["big reply encoding"] = T.encodings[-1]
t.encode_threshold = 0
rec("gzip request", lambda: p.add(20, 22))
rec("gzip request big", lambda: len(p.echo("q" * 3000)))
t.encode_threshold = None
# keep-alive: a sequence of calls on one proxy
rec("sequence", lambda: [p.add(i, i) for i in range(5)])
p("close")()
print(json.dumps(out))
`;

let nk: Running<ThreadingXMLRPCServer>;
let nkBuiltin: Running<ThreadingXMLRPCServer>;
let pyServers: Array<{ child: import("node:child_process").ChildProcess; port: number }> = [];

before(async () => {
  if (skip) return;
  nk = await serve(netkitServer(false));
  nkBuiltin = await serve(netkitServer(true));
  pyServers = await Promise.all(
    ["0", "1"].map(async (flag) => {
      const { child, firstLine } = await startPython(PY_SERVER, [flag]);
      return { child, port: Number(firstLine) };
    }),
  );
});

after(async () => {
  for (const s of pyServers) s.child.kill("SIGKILL");
  await nk?.close();
  await nkBuiltin?.close();
});

for (const builtin of [false, true]) {
  test(`python3's xmlrpc.client gets the same answers from netkit as from python3 (use_builtin_types=${builtin})`, {
    skip,
  }, async () => {
    const server = builtin ? nkBuiltin : nk;
    seen.length = 0;
    const [ours, theirs] = await Promise.all([
      python<Record<string, string>>(PY_CLIENT, { port: server.port, builtin }),
      python<Record<string, string>>(PY_CLIENT, { port: pyServers[builtin ? 1 : 0]!.port, builtin }),
    ]);
    assert.ok(Object.keys(theirs).length > 60, "the client ran every case");
    const differences = Object.keys(theirs)
      .filter((key) => ours[key] !== theirs[key])
      .map((key) => `${key}: netkit ${ours[key]} / python3 ${theirs[key]}`);
    // JavaScript's own differences, known and documented: one number type (a whole double is a
    // whole number to a JS method, and 1.8e308 goes back as an int too large for XML-RPC; -0 goes
    // back as -0.0), and functions do not check how many arguments they get. Nothing else may differ.
    assert.deepEqual(differences, [
      "kind negzero: netkit 'int' / python3 'float'",
      `echo bigdouble: netkit Fault(1, "<class 'OverflowError'>:int exceeds XML-RPC limits") / python3 1.7976931348623157e+308`,
      "kind bigdouble: netkit 'int' / python3 'float'",
      `wrong args: netkit nan / python3 Fault(1, "<class 'TypeError'>:add() missing 1 required positional argument: 'y'")`,
    ]);
    assert.deepEqual(Object.keys(ours).sort(), Object.keys(theirs).sort());

    // Spot checks, so the transcript cannot agree on nothing.
    assert.equal(ours.add, "5");
    assert.equal(ours.fail, `Fault(1, "<class 'ValueError'>:bad value")`);
    assert.equal(ours.unknown, `Fault(1, '<class \\'Exception\\'>:method "nope" is not supported')`);
    assert.equal(
      ours["echo bytes"],
      builtin ? "b'\\x00\\x01\\xfe\\xff binary'" : "<xmlrpc.client.Binary object at ADDR>",
    );
    assert.equal(ours["kind datetime"], builtin ? "'datetime'" : "'DateTime'");
    assert.equal(ours["kind bytes"], builtin ? "'bytes'" : "'Binary'");
    assert.equal(ours["big reply"], "5000");
    assert.equal(ours["big reply encoding"], "gzip");
    assert.equal(ours.sequence, "[0, 2, 4, 6, 8]");
    assert.equal(ours["methodHelp add"], "'Add two numbers.\\n\\nReturns their sum.'");

    // What the server saw: gzip requests, gzip replies, one connection for the whole client.
    assert.ok(
      seen.some((s) => s.contentEncoding === "gzip"),
      "some requests came gzipped",
    );
    assert.ok(
      seen.some((s) => s.gzippedReply),
      "some replies went gzipped",
    );
    // Every call through the proxy's transport shares one kept-alive connection; the 5 raw
    // http.client calls have one each.
    const connections = new Set(seen.map((s) => s.client));
    assert.equal(connections.size, 1 + 5, `connections used: ${[...connections].join(" ")}`);
    assert.ok(seen.length > 60, `requests seen: ${seen.length}`);
  });
}
