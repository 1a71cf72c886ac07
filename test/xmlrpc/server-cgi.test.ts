/**
 * CGIXMLRPCRequestHandler as a real CGI script: a small script bundled with
 * netkit's source into one .mjs (test/_support/cgi-script.ts: as root the
 * script runs as nobody, who may not read the clone), run by node under
 * netkit's CGIHTTPRequestHandler,
 * called with netkit's ServerProxy and with python3's xmlrpc.client; GET
 * gets Python's 400 page (the Doc variant: the HTML page). Plus the
 * handler on in-memory streams: CONTENT_LENGTH, the size limit.
 */
import assert from "node:assert/strict";
import { chmod, mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { CGIHTTPRequestHandler } from "../../src/http/_server/cgi.js";
import { ThreadingHTTPServer } from "../../src/http/server.js";
import { ServerProxy } from "../../src/xmlrpc/client.js";
import { CGIXMLRPCRequestHandler } from "../../src/xmlrpc/server.js";
import { writeCgiScript } from "../_support/cgi-script.js";
import { hasCommand, peerSkip } from "../_support/peers.js";
import { PYTHON, python } from "../_support/python.js";
import { callBody, exchange } from "./server-support.js";

function script(className: string): string {
  return `import { ${className} } from "./src/xmlrpc/server.ts";
const handler = new ${className}({ allowNone: true });
handler.registerFunction(Object.assign((x, y) => x + y, { __doc__: "Add two numbers." }), "add");
handler.registerFunction((x) => x, "echo");
handler.registerFunction(() => { throw new Error("from the script"); }, "fail");
handler.registerFunction(() => process.env.REQUEST_METHOD + " " + process.env.CONTENT_LENGTH, "env");
handler.registerIntrospectionFunctions();
handler.registerMulticallFunctions();
await handler.handleRequest();
`;
}

let dir: string;
let httpd: ThreadingHTTPServer;
let serving: Promise<void>;
let base = "";

class Handler extends CGIHTTPRequestHandler {
  override cgiTimeout = 30;
  override logMessage(): void {}
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "netkit-xmlrpc-cgi-"));
  await chmod(dir, 0o755);
  await mkdir(join(dir, "cgi-bin"));
  await chmod(join(dir, "cgi-bin"), 0o755);
  await writeCgiScript(join(dir, "cgi-bin", "rpc.mjs"), script("CGIXMLRPCRequestHandler"));
  await writeCgiScript(join(dir, "cgi-bin", "doc.mjs"), script("DocCGIXMLRPCRequestHandler"));
  httpd = new ThreadingHTTPServer(["127.0.0.1", 0], Handler.withOptions({ directory: dir }));
  await httpd.ready;
  base = `http://127.0.0.1:${httpd.serverPort}`;
  serving = httpd.serveForever(0.05);
});

after(async () => {
  void httpd.shutdown();
  await serving;
  await httpd.serverClose();
  await rm(dir, { recursive: true, force: true });
});

test("CGIXMLRPCRequestHandler behind CGIHTTPRequestHandler answers netkit's ServerProxy", async () => {
  await using proxy = new ServerProxy(`${base}/cgi-bin/rpc.mjs`, { timeout: 30, allowNone: true });
  assert.equal(await proxy.call("add", 2, 3), 5);
  assert.deepEqual(await proxy.call("echo", { a: [1, "two", null] }), { a: [1, "two", null] });
  assert.match(String(await proxy.call("env")), /^POST \d+$/);
  await assert.rejects(proxy.call("fail"), {
    faultCode: 1,
    faultString: "<class 'Exception'>:from the script",
  });
  assert.deepEqual(await proxy.call("system.listMethods"), [
    "add",
    "echo",
    "env",
    "fail",
    "system.listMethods",
    "system.methodHelp",
    "system.methodSignature",
    "system.multicall",
  ]);
});

test("CGIXMLRPCRequestHandler answers python3's xmlrpc.client (calls, faults, multicall, introspection)", {
  skip: peerSkip("python3", hasCommand(PYTHON)),
}, async () => {
  const got = await python<Record<string, unknown>>(
    `
import json, sys
import xmlrpc.client as xc
p = xc.ServerProxy(json.load(sys.stdin), allow_none=True)
out = {"add": p.add(40, 2), "echo": p.echo([1.5, "\\u00e9<&>", True, None]), "help": p.system.methodHelp("add")}
try:
    p.fail()
except xc.Fault as e:
    out["fault"] = [e.faultCode, e.faultString]
m = xc.MultiCall(p); m.add(1, 1); m.nope()
r = m()
out["multi0"] = r[0]
try:
    r[1]
except xc.Fault as e:
    out["multi1"] = e.faultString
print(json.dumps(out))
`,
    `${base}/cgi-bin/rpc.mjs`,
  );
  assert.deepEqual(got, {
    add: 42,
    echo: [1.5, "é<&>", true, null],
    help: "Add two numbers.",
    fault: [1, "<class 'Exception'>:from the script"],
    multi0: 2,
    multi1: `<class 'Exception'>:method "nope" is not supported`,
  });
});

test("CGIXMLRPCRequestHandler answers GET with Python's 400 page; the Doc variant with the HTML page", async () => {
  const port = httpd.serverPort;
  const get = (path: string) => `GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`;
  const plain = (await exchange(port, get("/cgi-bin/rpc.mjs"), { timeoutMs: 30_000 })).responses[0]!;
  assert.equal(plain.status, 400);
  assert.match(plain.body.toString(), /<p>Error code: 400<\/p>/);
  const doc = (await exchange(port, get("/cgi-bin/doc.mjs"), { timeoutMs: 30_000 })).responses[0]!;
  assert.equal(doc.status, 200);
  assert.equal(doc.headers["content-type"], "text/html");
  assert.match(
    doc.body.toString(),
    /<strong>add<\/strong><\/a>\(x, y\)<\/dt><dd><tt>Add&nbsp;two&nbsp;numbers\.<\/tt>/,
  );
});

/** Runs a handler on in-memory streams; resolves with what it printed. */
async function runCgi(
  environ: Record<string, string>,
  body: Buffer[],
  maxRequestSize?: number,
): Promise<string> {
  const out: Buffer[] = [];
  const h = new CGIXMLRPCRequestHandler({
    environ,
    stdin: body,
    stdout: {
      write(chunk, cb) {
        out.push(Buffer.from(chunk));
        cb?.();
        return true;
      },
    },
    ...(maxRequestSize === undefined ? {} : { maxRequestSize }),
  });
  h.registerFunction((x: number, y: number) => x + y, "add");
  await h.handleRequest();
  return Buffer.concat(out).toString();
}

test("CGIXMLRPCRequestHandler.handleRequest() reads CONTENT_LENGTH bytes, or all without it; refuses past its limit", async () => {
  const call = Buffer.from(
    callBody("add", "<param><value><int>2</int></value></param><param><value><int>3</int></value></param>"),
  );
  const exact = await runCgi({ REQUEST_METHOD: "POST", CONTENT_LENGTH: String(call.length) }, [
    call.subarray(0, 10),
    call.subarray(10),
    Buffer.from("junk after"),
  ]);
  assert.match(exact, /^Content-Type: text\/xml\nContent-Length: \d+\n\n<\?xml[\s\S]*<int>5<\/int>/);
  const all = await runCgi({ REQUEST_METHOD: "POST" }, [call]);
  assert.match(all, /<int>5<\/int>/);
  const tooBig = await runCgi({ REQUEST_METHOD: "POST", CONTENT_LENGTH: "1000" }, [call], 100);
  assert.match(
    tooBig,
    /^Status: 413 Request Entity Too Large\n|^Status: 413 Content Too Large\n|^Status: 413 /,
  );
  const streamedTooBig = await runCgi({ REQUEST_METHOD: "POST" }, [call, call], 200);
  assert.match(streamedTooBig, /^Status: 413 /);
  const printed: Buffer[] = [];
  const given = new CGIXMLRPCRequestHandler({
    stdout: {
      write: (c, cb) => {
        printed.push(Buffer.from(c));
        cb?.();
      },
    },
    environ: { REQUEST_METHOD: "GET" },
  });
  given.registerFunction(() => 1, "one");
  await given.handleRequest(callBody("one")); // text given: a call even under GET, as Python
  assert.match(Buffer.concat(printed).toString(), /^Content-Type: text\/xml\n[\s\S]*<int>1<\/int>/);
});
