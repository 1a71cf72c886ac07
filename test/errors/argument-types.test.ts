/**
 * Every public entry point of urllib.request, http.client, xmlrpc.client and
 * the socketserver servers, called as plain JavaScript would call it (the
 * wrong type, cast through `unknown`): a native TypeError with code
 * `ERR_INVALID_ARG_TYPE` (netkit/errors' `argTypeError`) whose message names
 * the function and the argument, never a Node-internal "Cannot read
 * properties of ...". Python's positional arguments (`request("GET", "/",
 * null, headers)`, `urlopen(url, data)`) are among the cases.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { argTypeError, pyTypeName } from "../../src/errors/index.js";
import { HTTPConnection, HTTPSConnection } from "../../src/http/client.js";
import { BaseRequestHandler } from "../../src/socketserver/handlers.js";
import { TCPServer, UDPServer, UnixStreamServer } from "../../src/socketserver/servers.js";
import { ThreadingTCPServer } from "../../src/socketserver/threading.js";
import {
  buildOpener,
  HTTPPasswordMgr,
  installOpener,
  OpenerDirector,
  ProxyHandler,
  Request,
  urlopen,
  urlretrieve,
} from "../../src/urllib/request.js";
import { RobotFileParser } from "../../src/urllib/robotparser.js";
import { dumps, loads, ServerProxy } from "../../src/xmlrpc/client.js";

/** The value as any type, the way a plain-JavaScript caller passes it. */
const js = (value: unknown): never => value as never;
/** A method called with any arguments, as plain JavaScript may call it. */
type Loose = { request(...args: unknown[]): Promise<void> };

/** A connection that never connects (the checks come first). */
const conn = () => new HTTPConnection("127.0.0.1", 9);
/** A connection mid-request, for putheader. */
const started = () => {
  const c = conn();
  c.putrequest("GET", "/");
  return c;
};

/** [call, function named in the message, argument named in the message]. */
const CASES: Array<[string, () => unknown, string, string]> = [
  // urllib.request
  ["urlopen(42)", () => urlopen(js(42)), "urlopen", "url"],
  ["urlopen(null)", () => urlopen(js(null)), "urlopen", "url"],
  ["urlopen(url, null)", () => urlopen("data:,x", js(null)), "urlopen", "options"],
  [
    "urlopen(url, data) (Python's positional data)",
    () => urlopen("data:,x", js("q=1")),
    "urlopen",
    "options",
  ],
  ["urlopen(url, { timeout: '5' })", () => urlopen("data:,x", js({ timeout: "5" })), "urlopen", "timeout"],
  ["urlopen(url, { signal: true })", () => urlopen("data:,x", js({ signal: true })), "urlopen", "signal"],
  ["new Request(42)", () => new Request(js(42)), "Request", "url"],
  ["new Request(url, null)", () => new Request("http://h/", js(null)), "Request", "options"],
  [
    "new Request(url, { data: 'text' })",
    () => new Request("http://h/", js({ data: "q=1" })),
    "Request",
    "data",
  ],
  ["new Request(url, { data: 42 })", () => new Request("http://h/", js({ data: 42 })), "Request", "data"],
  [
    "new Request(url, { headers: 5 })",
    () => new Request("http://h/", js({ headers: 5 })),
    "Request",
    "headers",
  ],
  [
    "new Request(url, { headers: [['a']] })",
    () => new Request("http://h/", js({ headers: [["a"]] })),
    "Request",
    "headers",
  ],
  [
    "new Request(url, { headers: { X: 1 } })",
    () => new Request("http://h/", js({ headers: { X: 1 } })),
    "Request",
    "headers['X']",
  ],
  ["new Request(url, { method: 5 })", () => new Request("http://h/", js({ method: 5 })), "Request", "method"],
  [
    "new Request(url, { unverifiable: 'yes' })",
    () => new Request("http://h/", js({ unverifiable: "yes" })),
    "Request",
    "unverifiable",
  ],
  ["request.addHeader(1, 'v')", () => new Request("http://h/").addHeader(js(1), "v"), "addHeader", "key"],
  [
    "request.addHeader('k', null)",
    () => new Request("http://h/").addHeader("k", js(null)),
    "addHeader",
    "val",
  ],
  ["request.fullUrl = 42", () => (new Request("http://h/").fullUrl = js(42)), "Request.fullUrl", "url"],
  ["urlretrieve(42)", () => urlretrieve(js(42)), "urlretrieve", "url"],
  ["urlretrieve(url, 42)", () => urlretrieve("data:,x", js(42)), "urlretrieve", "filename"],
  ["urlretrieve(url, f, null)", () => urlretrieve("data:,x", null, js(null)), "urlretrieve", "options"],
  [
    "urlretrieve(url, f, { reporthook: 1 })",
    () => urlretrieve("data:,x", null, js({ reporthook: 1 })),
    "urlretrieve",
    "reporthook",
  ],
  ["buildOpener(42)", () => buildOpener(js(42)), "buildOpener", "handlers[0]"],
  ["buildOpener(Object)", () => buildOpener(js(Object)), "buildOpener", "handlers[0]"],
  ["opener.open(42)", () => buildOpener().open(js(42)), "open", "url"],
  ["opener.open(url, 'data')", () => buildOpener().open("data:,x", js("data")), "open", "options"],
  ["opener.addHandler({})", () => new OpenerDirector().addHandler(js({})), "addHandler", "handler"],
  ["installOpener({})", () => installOpener(js({})), "installOpener", "opener"],
  ["new ProxyHandler('http://p')", () => new ProxyHandler(js("http://p")), "ProxyHandler", "proxies"],
  ["new ProxyHandler({ http: 1 })", () => new ProxyHandler(js({ http: 1 })), "ProxyHandler", "proxies.http"],
  [
    "passwordMgr.addPassword(null, 42, ...)",
    () => new HTTPPasswordMgr().addPassword(null, js(42), "u", "p"),
    "addPassword",
    "uri",
  ],
  [
    "passwordMgr.addPassword(null, uri, 'u', null)",
    () => new HTTPPasswordMgr().addPassword(null, "http://h/", "u", js(null)),
    "addPassword",
    "passwd",
  ],
  ["new RobotFileParser(42)", () => new RobotFileParser(js(42)), "RobotFileParser", "url"],
  ["robots.setUrl(null)", () => new RobotFileParser().setUrl(js(null)), "setUrl", "url"],
  [
    "robots.canFetch(1, url)",
    () => new RobotFileParser().canFetch(js(1), "http://h/"),
    "canFetch",
    "useragent",
  ],
  ["robots.canFetch(ua, 1)", () => new RobotFileParser().canFetch("ua", js(1)), "canFetch", "url"],
  // http.client
  ["new HTTPConnection(42)", () => new HTTPConnection(js(42)), "HTTPConnection", "host"],
  ["new HTTPConnection(null)", () => new HTTPConnection(js(null)), "HTTPConnection", "host"],
  [
    "new HTTPConnection(new URL(...))",
    () => new HTTPConnection(js(new URL("http://h/"))),
    "HTTPConnection",
    "host",
  ],
  ["new HTTPConnection(h, '80')", () => new HTTPConnection("h", js("80")), "HTTPConnection", "port"],
  [
    "new HTTPConnection(h, 80, null)",
    () => new HTTPConnection("h", 80, js(null)),
    "HTTPConnection",
    "options",
  ],
  [
    "new HTTPConnection(h, 80, { timeout: '5' })",
    () => new HTTPConnection("h", 80, js({ timeout: "5" })),
    "HTTPConnection",
    "timeout",
  ],
  ["new HTTPSConnection(42)", () => new HTTPSConnection(js(42)), "HTTPSConnection", "host"],
  [
    'request("GET", "/", null, headers) (Python\'s positional body)',
    () => (conn() as unknown as Loose).request("GET", "/", null, { Accept: "*/*" }),
    "request",
    "options",
  ],
  ["request(42, '/')", () => conn().request(js(42), "/"), "request", "method"],
  ["request('GET', 42)", () => conn().request("GET", js(42)), "request", "url"],
  [
    "request('GET', '/', { body: 42 })",
    () => conn().request("GET", "/", js({ body: 42 })),
    "request",
    "body",
  ],
  [
    "request('GET', '/', { headers: 5 })",
    () => conn().request("GET", "/", js({ headers: 5 })),
    "request",
    "headers",
  ],
  [
    "request('GET', '/', { headers: { X: null } })",
    () => conn().request("GET", "/", js({ headers: { X: null } })),
    "request",
    "headers['X']",
  ],
  ["putrequest(null, '/')", () => conn().putrequest(js(null), "/"), "putrequest", "method"],
  ["putrequest('GET', null)", () => conn().putrequest("GET", js(null)), "putrequest", "url"],
  ["putheader(42, 'v')", () => started().putheader(js(42), "v"), "putheader", "header"],
  ["putheader('X', null)", () => started().putheader("X", js(null)), "putheader", "values[0]"],
  ["send(42)", () => conn().send(js(42)), "send", "data"],
  ["send(null)", () => conn().send(js(null)), "send", "data"],
  ["endheaders(42)", () => started().endheaders(js(42)), "endheaders", "messageBody"],
  ["setTunnel(42)", () => conn().setTunnel(js(42)), "setTunnel", "host"],
  // xmlrpc.client
  ["new ServerProxy(42)", () => new ServerProxy(js(42)), "ServerProxy", "uri"],
  ["new ServerProxy(uri, null)", () => new ServerProxy("http://h/", js(null)), "ServerProxy", "options"],
  [
    "new ServerProxy(uri, { transport: {} })",
    () => new ServerProxy("http://h/", js({ transport: {} })),
    "ServerProxy",
    "transport",
  ],
  ["proxy.call(42)", () => new ServerProxy("http://h/").call(js(42)), "call", "name"],
  ["dumps(42)", () => dumps(js(42)), "dumps", "params"],
  ["dumps('text')", () => dumps(js("text")), "dumps", "params"],
  ["dumps([1], null)", () => dumps([1], js(null)), "dumps", "options"],
  ["dumps([1], { methodname: 5 })", () => dumps([1], js({ methodname: 5 })), "dumps", "methodname"],
  ["loads(42)", () => loads(js(42)), "loads", "data"],
  ["loads(null)", () => loads(js(null)), "loads", "data"],
  ["loads('<x/>', 'utf-8')", () => loads("<x/>", js("utf-8")), "loads", "options"],
  // socketserver
  ["new TCPServer(42, H)", () => new TCPServer(js(42), BaseRequestHandler), "TCPServer", "serverAddress"],
  [
    "new TCPServer(['127.0.0.1'], H)",
    () => new TCPServer(js(["127.0.0.1"]), BaseRequestHandler),
    "TCPServer",
    "serverAddress",
  ],
  [
    "new TCPServer([0, '127.0.0.1'], H)",
    () => new TCPServer(js([0, "127.0.0.1"]), BaseRequestHandler),
    "TCPServer",
    "serverAddress",
  ],
  [
    "new TCPServer(addr, 42)",
    () => new TCPServer(["127.0.0.1", 0], js(42), false),
    "TCPServer",
    "RequestHandlerClass",
  ],
  ["new UDPServer(null, H)", () => new UDPServer(js(null), BaseRequestHandler), "UDPServer", "serverAddress"],
  [
    "new UnixStreamServer(42, H)",
    () => new UnixStreamServer(js(42), BaseRequestHandler),
    "UnixStreamServer",
    "serverAddress",
  ],
  [
    "new ThreadingTCPServer(addr, null)",
    () => new ThreadingTCPServer(["127.0.0.1", 0], js(null), false),
    "ThreadingTCPServer",
    "RequestHandlerClass",
  ],
];

describe("a wrong argument type is a TypeError naming the function and the argument", () => {
  for (const [call, run, fn, arg] of CASES) {
    test(`${call}: TypeError ERR_INVALID_ARG_TYPE, "${fn}() argument '${arg}' ..."`, async () => {
      // async: a sync throw and a rejection are both a rejection here.
      await assert.rejects(
        async () => run(),
        (err: unknown) => {
          assert.ok(err instanceof TypeError, `${call}: not a TypeError: ${String(err)}`);
          assert.equal((err as { code?: unknown }).code, "ERR_INVALID_ARG_TYPE", `${call}: ${err.message}`);
          assert.ok(
            err.message.startsWith(`${fn}() argument '${arg}' must be `),
            `${call}: the message names ${fn}() and '${arg}': ${err.message}`,
          );
          assert.doesNotMatch(err.message, /Cannot read properties|is not a function|undefined/);
          return true;
        },
      );
    });
  }
});

test("argTypeError() is a native TypeError with Node's code, in Python's argument-parser wording", () => {
  const err = argTypeError("urlopen", "url", "str, URL or Request", 42);
  assert.ok(err instanceof TypeError);
  assert.equal(err.name, "TypeError");
  assert.equal(err.code, "ERR_INVALID_ARG_TYPE");
  assert.equal(err.message, "urlopen() argument 'url' must be str, URL or Request, not int");
  assert.equal(String(err), "TypeError: urlopen() argument 'url' must be str, URL or Request, not int");
});

test("pyTypeName() names values as Python's messages do", () => {
  const names: Array<[unknown, string]> = [
    [undefined, "NoneType"],
    [null, "NoneType"],
    ["s", "str"],
    [1, "int"],
    [1.5, "float"],
    [1n, "int"],
    [true, "bool"],
    [Buffer.from("x"), "bytes"],
    [[1], "list"],
    [{}, "dict"],
    [new Map(), "dict"],
    [new Set(), "set"],
    [new URL("http://h/"), "URL"],
    [() => 1, "function"],
  ];
  for (const [value, name] of names) assert.equal(pyTypeName(value), name, String(value));
});
