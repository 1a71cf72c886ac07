/**
 * SimpleXMLRPCRequestHandler's HTTP behaviour on a real server, with raw
 * requests: paths, methods, framing, gzip both ways, keep-alive, the
 * `_dispatch` hook, logging, the 500 path; MultiPathXMLRPCServer and
 * ThreadingXMLRPCServer; and the same raw requests answered by python3's
 * SimpleXMLRPCServer, compared.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { gunzipSync, gzipSync } from "node:zlib";
import type { RequestHandlerClass } from "../../src/socketserver/base.js";
import { dumps, loads, ServerProxy } from "../../src/xmlrpc/client.js";
import {
  MultiPathXMLRPCServer,
  SimpleXMLRPCDispatcher,
  SimpleXMLRPCRequestHandler,
  SimpleXMLRPCServer,
  ThreadingXMLRPCServer,
} from "../../src/xmlrpc/server.js";
import { captureStderr } from "../_support/net.js";
import { hasCommand, peerSkip } from "../_support/peers.js";
import { PYTHON, startPython } from "../_support/python.js";
import { callBody, exchange, post, serve } from "./server-support.js";

class Quiet extends SimpleXMLRPCRequestHandler {
  override logMessage(): void {}
}

function makeServer(Handler: RequestHandlerClass = Quiet, opts: { allowNone?: boolean } = {}) {
  const server = new ThreadingXMLRPCServer(["127.0.0.1", 0], {
    requestHandler: Handler,
    logRequests: false,
    ...opts,
  });
  server.registerFunction((x: number, y: number) => x + y, "add");
  server.registerFunction((n: number) => "x".repeat(n), "repeat");
  server.registerFunction(() => {
    throw new Error("boom");
  }, "fail");
  server.registerIntrospectionFunctions();
  server.registerMulticallFunctions();
  return serve(server);
}

const ADD = callBody(
  "add",
  "<param><value><int>2</int></value></param>\n<param><value><int>3</int></value></param>\n",
);
const addReply = () => dumps([5], { methodresponse: true });

test("SimpleXMLRPCServer answers a POST to /RPC2 and / with text/xml and keeps the connection", async () => {
  const srv = await makeServer();
  try {
    const { responses, closed } = await exchange(srv.port, [post("/RPC2", ADD), post("/", ADD)], {
      count: 2,
    });
    assert.equal(responses.length, 2);
    for (const r of responses) {
      assert.equal(r.statusLine, "HTTP/1.1 200 OK");
      assert.equal(r.headers["content-type"], "text/xml");
      assert.deepEqual(r.headerNames, ["Server", "Date", "Content-type", "Content-length"]);
      assert.equal(r.body.toString(), addReply());
    }
    assert.equal(closed, false, "HTTP/1.1 keeps the connection alive");
  } finally {
    await srv.close();
  }
});

test("SimpleXMLRPCServer: 404 for other paths (connection closed, body unread), 411 without Content-Length", async () => {
  const srv = await makeServer();
  try {
    const notFound = await exchange(srv.port, post("/other", ADD), { closes: true });
    assert.equal(notFound.responses[0]!.status, 404);
    assert.equal(notFound.responses[0]!.body.toString(), "No such page");
    assert.equal(notFound.responses[0]!.headers["content-type"], "text/plain");
    assert.equal(notFound.closed, true);
    const withQuery = await exchange(srv.port, post("/RPC2?x=1", ADD));
    assert.equal(withQuery.responses[0]!.status, 404, "rpcPaths compare the path with its query");
    const noLength = await exchange(srv.port, `POST /RPC2 HTTP/1.1\r\nHost: x\r\n\r\n${ADD}`);
    assert.equal(noLength.responses[0]!.status, 411);
    assert.equal(noLength.closed, true);
  } finally {
    await srv.close();
  }
});

test("SimpleXMLRPCServer: GET and HEAD get 501 (only the Doc server answers GET)", async () => {
  const srv = await makeServer();
  try {
    for (const method of ["GET", "HEAD", "PUT"]) {
      const { responses } = await exchange(
        srv.port,
        `${method} /RPC2 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
        {
          head: method === "HEAD",
        },
      );
      assert.equal(responses[0]!.status, 501, method);
      assert.equal(responses[0]!.reason, `Unsupported method ('${method}')`);
    }
  } finally {
    await srv.close();
  }
});

test("SimpleXMLRPCRequestHandler.rpcPaths: a custom list, and [] for every path", async () => {
  class Only extends Quiet {
    override rpcPaths = ["/api"];
  }
  class Any extends Quiet {
    override rpcPaths: string[] = [];
  }
  const only = await makeServer(Only);
  const any = await makeServer(Any);
  try {
    assert.equal((await exchange(only.port, post("/RPC2", ADD))).responses[0]!.status, 404);
    assert.equal((await exchange(only.port, post("/api", ADD))).responses[0]!.status, 200);
    assert.equal((await exchange(any.port, post("/anything/at/all?q", ADD))).responses[0]!.status, 200);
  } finally {
    await only.close();
    await any.close();
  }
});

test("SimpleXMLRPCServer gzips responses past encodeThreshold when the client accepts gzip", async () => {
  class NoGzip extends Quiet {
    override encodeThreshold = null;
  }
  const srv = await makeServer();
  const plain = await makeServer(NoGzip);
  try {
    const big = callBody("repeat", "<param><value><int>5000</int></value></param>\n");
    const small = callBody("repeat", "<param><value><int>10</int></value></param>\n");
    const expectBig = dumps(["x".repeat(5000)], { methodresponse: true });
    const cases: Array<[number, string, string, boolean]> = [
      [srv.port, big, "Accept-Encoding: gzip", true],
      [srv.port, big, "Accept-Encoding: deflate, gzip;q=0.5", true],
      [srv.port, big, "Accept-Encoding: gzip;q=0", false],
      [srv.port, big, "Accept-Encoding: identity", false],
      [srv.port, small, "Accept-Encoding: gzip", false],
      [plain.port, big, "Accept-Encoding: gzip", false],
    ];
    for (const [port, body, ae, gzipped] of cases) {
      const r = (await exchange(port, post("/RPC2", body, [ae]))).responses[0]!;
      assert.equal(r.status, 200);
      assert.equal(r.headers["content-encoding"], gzipped ? "gzip" : undefined, ae);
      const text = (gzipped ? gunzipSync(r.body) : r.body).toString();
      if (body === big) assert.equal(text, expectBig);
    }
  } finally {
    await srv.close();
    await plain.close();
  }
});

test("SimpleXMLRPCServer decodes gzip request bodies; bad gzip is 400, other codings 501", async () => {
  const srv = await makeServer();
  try {
    const ok = await exchange(srv.port, post("/RPC2", gzipSync(ADD), ["Content-Encoding: gzip"]));
    assert.equal(ok.responses[0]!.body.toString(), addReply());
    const bad = await exchange(srv.port, post("/RPC2", "not gzip at all", ["Content-Encoding: gzip"]));
    assert.equal(bad.responses[0]!.statusLine, "HTTP/1.1 400 error decoding gzip content");
    const cut = gzipSync(ADD);
    const truncated = await exchange(
      srv.port,
      post("/RPC2", cut.subarray(0, cut.length - 10), ["Content-Encoding: gzip"]),
    );
    assert.equal(truncated.responses[0]!.status, 400);
    const br = await exchange(srv.port, post("/RPC2", ADD, ["Content-Encoding: br"]));
    assert.equal(br.responses[0]!.statusLine, "HTTP/1.1 501 encoding 'br' not supported");
    // and the connection still serves after a refused coding
    const after = await exchange(
      srv.port,
      [post("/RPC2", ADD, ["Content-Encoding: br"]), post("/RPC2", ADD)],
      { count: 2 },
    );
    assert.equal(after.responses[1]!.body.toString(), addReply());
  } finally {
    await srv.close();
  }
});

test("SimpleXMLRPCServer reads a chunked request body", async () => {
  const srv = await makeServer();
  try {
    const body = Buffer.from(ADD);
    const chunks = `${(20).toString(16)}\r\n${body.subarray(0, 20)}\r\n${(body.length - 20).toString(16)};ext=1\r\n${body.subarray(20)}\r\n0\r\nX-Trailer: 1\r\n\r\n`;
    const { responses } = await exchange(
      srv.port,
      `POST /RPC2 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n${chunks}`,
    );
    assert.equal(responses[0]!.body.toString(), addReply());
    const bad = await exchange(
      srv.port,
      "POST /RPC2 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
    );
    assert.equal(bad.responses[0]!.status, 400);
  } finally {
    await srv.close();
  }
});

test("SimpleXMLRPCRequestHandler._dispatch, when defined, receives every call", async () => {
  class Hooked extends Quiet {
    _dispatch(method: string, params: unknown[]): unknown {
      return `${method}:${params.length}:${this.path}`;
    }
  }
  const srv = await makeServer(Hooked);
  try {
    const r = (await exchange(srv.port, post("/RPC2", ADD))).responses[0]!;
    assert.deepEqual(loads(r.body)[0], ["add:2:/RPC2"]);
  } finally {
    await srv.close();
  }
});

test("SimpleXMLRPCServer logs requests only with logRequests", async () => {
  for (const logRequests of [true, false]) {
    const server = new SimpleXMLRPCServer(["127.0.0.1", 0], { logRequests });
    server.registerFunction((x: number, y: number) => x + y, "add");
    const srv = await serve(server);
    try {
      const log = await captureStderr(() => exchange(srv.port, post("/RPC2", ADD)));
      if (logRequests) assert.match(log, /^127\.0\.0\.1 - - \[.+\] "POST \/RPC2 HTTP\/1\.1" 200 -\n/);
      else assert.equal(log, "");
    } finally {
      await srv.close();
    }
  }
});

test("SimpleXMLRPCServer: a dispatcher bug is a 500; X-exception/X-traceback only with _sendTracebackHeader", async () => {
  class Buggy extends SimpleXMLRPCServer {
    override async _marshaledDispatch(): Promise<Buffer> {
      throw new Error("broken\nline");
    }
  }
  for (const send of [false, true]) {
    const server = new Buggy(["127.0.0.1", 0], { requestHandler: Quiet, logRequests: false });
    server._sendTracebackHeader = send;
    const srv = await serve(server);
    try {
      const { responses } = await exchange(srv.port, [post("/RPC2", ADD), post("/RPC2", ADD)], { count: 2 });
      const r = responses[0]!;
      assert.equal(r.status, 500);
      assert.equal(r.headers["content-length"], "0");
      if (send) {
        assert.equal(r.headers["x-exception"], "broken\\nline");
        assert.match(r.headers["x-traceback"] ?? "", /^Error: broken\\nline\\n {4}at /);
      } else {
        assert.equal(r.headers["x-exception"], undefined);
        assert.equal(r.headers["x-traceback"], undefined);
      }
      assert.equal(responses[1]!.status, 500, "the connection survives a 500");
    } finally {
      await srv.close();
    }
  }
});

test("SimpleXMLRPCServer: 413 for a Content-Length over maxRequestSize, without reading it", async () => {
  class Small extends Quiet {
    override maxRequestSize = 1000;
  }
  const srv = await makeServer(Small);
  try {
    const { responses, closed } = await exchange(
      srv.port,
      "POST /RPC2 HTTP/1.1\r\nHost: x\r\nContent-Length: 1001\r\n\r\n",
    );
    assert.equal(responses[0]!.status, 413);
    assert.equal(closed, true);
    assert.equal((await exchange(srv.port, post("/RPC2", ADD))).responses[0]!.status, 200);
  } finally {
    await srv.close();
  }
});

test("SimpleXMLRPCServer (one at a time) closes after each response unless the next request is waiting", async () => {
  const server = new SimpleXMLRPCServer(["127.0.0.1", 0], { requestHandler: Quiet, logRequests: false });
  server.registerFunction((x: number, y: number) => x + y, "add");
  const srv = await serve(server);
  try {
    const one = await exchange(srv.port, post("/RPC2", ADD));
    assert.equal(one.responses[0]!.headers.connection, "close");
    assert.equal(one.closed, true);
    const pipelined = await exchange(srv.port, Buffer.concat([post("/RPC2", ADD), post("/RPC2", ADD)]), {
      count: 2,
    });
    assert.equal(pipelined.responses[0]!.headers.connection, undefined);
    assert.equal(pipelined.responses[1]!.headers.connection, "close");
    assert.equal(pipelined.responses[1]!.body.toString(), addReply());
    // a second client is not held off by the first one's connection
    await using p1 = new ServerProxy(srv.url, { timeout: 5 });
    await using p2 = new ServerProxy(srv.url, { timeout: 5 });
    assert.equal(await p1.call("add", 1, 1), 2);
    assert.equal(await p2.call("add", 2, 2), 4);
  } finally {
    await srv.close();
  }
});

test("SimpleXMLRPCServer is a SimpleXMLRPCDispatcher; faults are Python's", async () => {
  const srv = await makeServer();
  try {
    assert.ok(srv.server instanceof SimpleXMLRPCDispatcher);
    assert.ok(!(srv.server instanceof MultiPathXMLRPCServer));
    await using proxy = new ServerProxy(srv.url, { timeout: 10 });
    await assert.rejects(proxy.call("fail"), { faultCode: 1, faultString: "<class 'Exception'>:boom" });
    await assert.rejects(proxy.call("nope"), {
      faultCode: 1,
      faultString: `<class 'Exception'>:method "nope" is not supported`,
    });
  } finally {
    await srv.close();
  }
});

test("MultiPathXMLRPCServer: a dispatcher per path; an unknown path is Python's KeyError fault", async () => {
  class Any extends Quiet {
    override rpcPaths: string[] = [];
  }
  const server = new MultiPathXMLRPCServer(["127.0.0.1", 0], { requestHandler: Any, logRequests: false });
  const a = server.addDispatcher("/a", new SimpleXMLRPCDispatcher());
  a.registerFunction(() => "A", "who");
  const b = server.addDispatcher("/b", new SimpleXMLRPCDispatcher());
  b.registerFunction(() => "B", "who");
  assert.equal(server.getDispatcher("/a"), a);
  assert.throws(() => server.getDispatcher("/zz"), { name: "KeyError", message: "'/zz'" });
  const srv = await serve(server);
  try {
    await using pa = new ServerProxy(`http://127.0.0.1:${srv.port}/a`, { timeout: 10 });
    await using pb = new ServerProxy(`http://127.0.0.1:${srv.port}/b`, { timeout: 10 });
    await using pc = new ServerProxy(`http://127.0.0.1:${srv.port}/c`, { timeout: 10 });
    assert.equal(await pa.call("who"), "A");
    assert.equal(await pb.call("who"), "B");
    await assert.rejects(pc.call("who"), { faultCode: 1, faultString: "<class 'KeyError'>:'/c'" });
  } finally {
    await srv.close();
  }
});

test("ThreadingXMLRPCServer serves a second client while a first call is slow", async () => {
  const server = new ThreadingXMLRPCServer(["127.0.0.1", 0], { logRequests: false });
  let release!: () => void;
  const gate = new Promise<void>((r) => {
    release = r;
  });
  server.registerFunction(async () => {
    await gate;
    return "slow";
  }, "slow");
  server.registerFunction(() => "fast", "fast");
  const srv = await serve(server);
  try {
    await using p1 = new ServerProxy(srv.url, { timeout: 10 });
    await using p2 = new ServerProxy(srv.url, { timeout: 10 });
    const slow = p1.call("slow");
    assert.equal(await p2.call("fast"), "fast");
    release();
    assert.equal(await slow, "slow");
  } finally {
    release();
    await srv.close();
  }
});

const skipPy = peerSkip("python3", hasCommand(PYTHON));

test("SimpleXMLRPCServer answers raw requests as python3's SimpleXMLRPCServer does", {
  skip: skipPy,
}, async () => {
  const { child, firstLine } = await startPython(`
from xmlrpc.server import SimpleXMLRPCServer
srv = SimpleXMLRPCServer(('127.0.0.1', 0), logRequests=False)
srv.register_function(lambda x, y: x + y, 'add')
srv.register_function(lambda n: 'x' * n, 'repeat')
def fail(): raise Exception('boom')
srv.register_function(fail)
srv.register_introspection_functions()
srv.register_multicall_functions()
print(srv.server_address[1], flush=True)
srv.serve_forever()
`);
  const ours = await makeServer();
  const close = ["Connection: close"];
  const requests: Array<[string, Buffer | string]> = [
    ["call", post("/RPC2", ADD, close)],
    ["call on /", post("/", ADD, close)],
    ["404", post("/nope", ADD, close)],
    ["404 with query", post("/RPC2?q=1", ADD, close)],
    ["GET", "GET /RPC2 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"],
    ["HEAD", "HEAD / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"],
    ["unknown method", post("/RPC2", callBody("nope"), close)],
    ["exception", post("/RPC2", callBody("fail"), close)],
    ["empty body", post("/RPC2", "", close)],
    ["not XML", post("/RPC2", "hello", close)],
    ["gzip request", post("/RPC2", gzipSync(ADD), ["Content-Encoding: gzip", ...close])],
    ["bad gzip", post("/RPC2", "xx", ["Content-Encoding: gzip", ...close])],
    ["br", post("/RPC2", ADD, ["Content-Encoding: br", ...close])],
    [
      "gzip response",
      post("/RPC2", callBody("repeat", "<param><value><int>3000</int></value></param>"), [
        "Accept-Encoding: gzip",
        ...close,
      ]),
    ],
    ["listMethods", post("/RPC2", callBody("system.listMethods"), close)],
    [
      "methodHelp",
      post(
        "/RPC2",
        callBody("system.methodHelp", "<param><value><string>system.listMethods</string></value></param>"),
        close,
      ),
    ],
    [
      "methodSignature",
      post(
        "/RPC2",
        callBody("system.methodSignature", "<param><value><string>add</string></value></param>"),
        close,
      ),
    ],
  ];
  try {
    const pyPort = Number(firstLine);
    for (const [name, raw] of requests) {
      const head = name === "HEAD";
      const [py, nk] = await Promise.all([
        exchange(pyPort, raw, { head }),
        exchange(ours.port, raw, { head }),
      ]);
      const a = py.responses[0]!;
      const b = nk.responses[0]!;
      assert.equal(b.status, a.status, `${name}: status`);
      assert.equal(b.reason, a.reason, `${name}: reason`);
      for (const h of ["content-type", "content-encoding"])
        assert.equal(b.headers[h], a.headers[h], `${name}: ${h}`);
      const body = (r: typeof a) =>
        (r.headers["content-encoding"] === "gzip" ? gunzipSync(r.body) : r.body).toString();
      if (a.status === 501 || a.status === 400) continue; // error pages: same status and reason is the contract
      assert.equal(body(b), body(a), `${name}: body`);
    }
  } finally {
    child.kill("SIGKILL");
    await ours.close();
  }
});
