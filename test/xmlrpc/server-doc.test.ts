/**
 * DocXMLRPCServer over HTTP (the page on GET, the style sheet, 404, POST
 * still served), escaping of everything the page shows, an instance's doc
 * hooks, functionSignature(), and DocCGIXMLRPCRequestHandler's GET.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { functionSignature } from "../../src/xmlrpc/_doc.js";
import { ServerProxy } from "../../src/xmlrpc/client.js";
import {
  DocCGIXMLRPCRequestHandler,
  DocXMLRPCRequestHandler,
  DocXMLRPCServer,
  ThreadingDocXMLRPCServer,
} from "../../src/xmlrpc/server.js";
import { exchange, serve } from "./server-support.js";

class Quiet extends DocXMLRPCRequestHandler {
  override logMessage(): void {}
}

const get = (path: string) => `GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`;

test("DocXMLRPCServer: GET / is the HTML page, /pydoc.css the style sheet, other paths 404; POST still works", async () => {
  const server = new ThreadingDocXMLRPCServer(["127.0.0.1", 0], {
    requestHandler: Quiet,
    logRequests: false,
  });
  server.registerFunction(
    Object.assign((x: number, y: number) => x + y, { __doc__: "Add two numbers." }),
    "add",
  );
  server.registerIntrospectionFunctions();
  const srv = await serve(server);
  try {
    const page = (await exchange(srv.port, get("/"))).responses[0]!;
    assert.equal(page.status, 200);
    assert.equal(page.headers["content-type"], "text/html; charset=UTF-8");
    assert.equal(Number(page.headers["content-length"]), page.body.length);
    const html = page.body.toString();
    assert.match(html, /<title>Python: XML-RPC Server Documentation<\/title>/);
    assert.match(
      html,
      /<a name="-add"><strong>add<\/strong><\/a>\(x, y\)<\/dt><dd><tt>Add&nbsp;two&nbsp;numbers\.<\/tt><\/dd>/,
    );
    for (const name of ["system.listMethods", "system.methodHelp", "system.methodSignature"]) {
      assert.ok(html.includes(`<a name="-${name}"><strong>${name}</strong></a>(`), name);
    }
    assert.equal((await exchange(srv.port, get("/RPC2"))).responses[0]!.body.toString(), html);
    const css = (await exchange(srv.port, get("/pydoc.css"))).responses[0]!;
    assert.equal(css.headers["content-type"], "text/css; charset=UTF-8");
    assert.match(css.body.toString(), /\.functions-decor/);
    const missing = (await exchange(srv.port, get("/elsewhere"))).responses[0]!;
    assert.equal(missing.status, 404);
    assert.equal(missing.body.toString(), "No such page");
    await using proxy = new ServerProxy(srv.url, { timeout: 5 });
    assert.equal(await proxy.call("add", 1, 2), 3);
  } finally {
    await srv.close();
  }
});

test("DocXMLRPCServer escapes method names, signatures, docs, title, name and server text", async () => {
  const server = new DocXMLRPCServer(["127.0.0.1", 0], { logRequests: false, bindAndActivate: false });
  const evil = "<script>alert(1)</script>";
  server.registerFunction(
    Object.assign(() => 1, { __doc__: `Docs ${evil} & more` }),
    evil,
  );
  server.registerFunction(
    Object.assign((_a = "<img src=x onerror=alert(1)>") => 1, { __doc__: "default value" }),
    "withDefault",
  );
  server.registerFunction(
    Object.assign(() => 1, { __signature__: `(x="${evil}")` }),
    "declared",
  );
  server.setServerTitle(`T ${evil}`);
  server.setServerName(`N ${evil}`);
  server.setServerDocumentation(`D ${evil} http://x/"onmouseover=alert(1)`);
  const html = server.generateHtmlDocumentation();
  assert.doesNotMatch(html, /<script>|<img|"onmouseover/);
  assert.ok(html.includes("&lt;script&gt;alert(1)&lt;/script&gt;"));
  assert.ok(html.includes('<a name="-&lt;script&gt;alert(1)&lt;/script&gt;">'));
  assert.ok(html.includes("<title>Python: T &lt;script&gt;alert(1)&lt;/script&gt;</title>"));
  assert.ok(html.includes('(_a="&lt;img src=x onerror=alert(1)&gt;")'));
  assert.ok(html.includes('<a href="http://x/&quot;onmouseover=alert(1">'));
  await server.serverClose();
});

test("DocXMLRPCServer documents an instance: its methods, or its _getMethodArgstring/_methodHelp hooks", async () => {
  const plain = new DocXMLRPCServer(["127.0.0.1", 0], { logRequests: false, bindAndActivate: false });
  class Service {
    greet(name: string, punctuation = "!") {
      return `hi ${name}${punctuation}`;
    }
  }
  Object.assign(Service.prototype.greet, { __doc__: "Greets someone." });
  plain.registerInstance(new Service());
  const html = plain.generateHtmlDocumentation();
  assert.ok(
    html.includes(
      "<strong>greet</strong></a>(name, punctuation=&quot;!&quot;)</dt><dd><tt>Greets&nbsp;someone.</tt>",
    ) ||
      html.includes(
        '<strong>greet</strong></a>(name, punctuation="!")</dt><dd><tt>Greets&nbsp;someone.</tt>',
      ),
    html,
  );

  const hooked = new DocXMLRPCServer(["127.0.0.1", 0], { logRequests: false, bindAndActivate: false });
  hooked.registerInstance({
    _listMethods: () => ["a", "b"],
    _getMethodArgstring: (m: string) => (m === "a" ? "(alpha)" : null),
    _methodHelp: (m: string) => `help for ${m}`,
    _dispatch: () => 0,
  });
  const h = hooked.generateHtmlDocumentation();
  assert.ok(h.includes("<strong>a</strong></a>(alpha)</dt><dd><tt>help&nbsp;for&nbsp;a</tt></dd>"), h);
  assert.ok(h.includes("<strong>b</strong></a>(...)</dt><dd><tt>help&nbsp;for&nbsp;b</tt></dd>"), h);
  await plain.serverClose();
  await hooked.serverClose();
});

test("functionSignature() reads parameter lists as Python prints them", () => {
  const cases: Array<[unknown, string]> = [
    [(x: number, y: number) => x + y, "(x, y)"],
    [(x: number) => x, "(x)"],
    [
      function f(a: number, b = 2, ...rest: number[]) {
        return [a, b, rest];
      },
      "(a, b=2, ...rest)",
    ],
    [
      async function g({ a, b }: { a: number; b: number }, [c] = [1]) {
        return a + b + c;
      },
      "({a,b}, [c]=[1])",
    ],
    [(s = "a,(b)=c") => s, '(s="a,(b)=c")'],
    [() => 0, "()"],
    [Math.max, "(...)"],
    [((x: number) => x).bind(null), "(...)"],
    [class K {}, "(...)"],
    [Object.assign(() => 0, { __signature__: "(declared)" }), "(declared)"],
    ["not a function", "(...)"],
  ];
  // esbuild (tsx) prints destructuring without spaces; the source text is what is shown
  const compact = (s: string) => s.replace(/\{ (.*?) \}/g, "{$1}").replace(/, (?=[a-z]\b[^(]*\})/g, ",");
  for (const [fn, want] of cases) assert.equal(compact(functionSignature(fn)), want, String(fn));
});

test("DocCGIXMLRPCRequestHandler: GET prints the page; POST is still XML-RPC", async () => {
  const out: Buffer[] = [];
  const stdout = {
    write(chunk: Uint8Array | string, cb?: (err?: Error | null) => void) {
      out.push(Buffer.from(chunk));
      cb?.();
      return true;
    },
  };
  const h = new DocCGIXMLRPCRequestHandler({ environ: { REQUEST_METHOD: "GET" }, stdout, stdin: [] });
  h.registerFunction(
    Object.assign((x: number) => x, { __doc__: "Echo <x>." }),
    "echo",
  );
  await h.handleRequest();
  const text = Buffer.concat(out).toString();
  const [head, body] = text.split("\n\n", 2) as [string, string];
  assert.equal(head, `Content-Type: text/html\nContent-Length: ${Buffer.byteLength(text) - head.length - 2}`);
  assert.match(body, /<strong>echo<\/strong><\/a>\(x\)<\/dt><dd><tt>Echo&nbsp;&lt;x&gt;\.<\/tt>/);
});
