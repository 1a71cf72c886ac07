/**
 * Unit tests for `netkit/xmlrpc/client` and the dispatcher: the proxy's
 * shape (local names, `then`, repr, typed interfaces), keep-alive retry
 * against a scripted server, MultiCall, the wrappers, marshalling errors,
 * and the dispatcher's instance rules (safer than Python's).
 */
import assert from "node:assert/strict";
import { once } from "node:events";
import { createServer, type Server } from "node:net";
import { after, describe, test } from "node:test";
import { OSError } from "../../src/errors/index.js";
import {
  Binary,
  DateTime,
  Double,
  dumps,
  Fault,
  gzipDecode,
  gzipEncode,
  loads,
  MultiCall,
  MultiCallIterator,
  ServerProxy,
  Transport,
  escape as xmlEscape,
} from "../../src/xmlrpc/client.js";
import { SimpleXMLRPCDispatcher } from "../../src/xmlrpc/server.js";

const servers: Server[] = [];
after(() => {
  for (const s of servers) s.close();
});

function response(value: unknown): Buffer {
  const body = Buffer.from(dumps([value], { methodresponse: true }));
  return Buffer.concat([
    Buffer.from(`HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: ${body.length}\r\n\r\n`),
    body,
  ]);
}

/** An XML-RPC server that answers `requests seen so far` and, when `dropAfterReply`, closes each kept connection after one reply. */
async function scriptedServer(dropAfterReply: boolean): Promise<{ port: number; connections: () => number }> {
  let connections = 0;
  let requests = 0;
  const server = createServer((sock) => {
    connections++;
    let buf = "";
    sock.on("data", (d) => {
      buf += d.toString("latin1");
      const end = buf.indexOf("\r\n\r\n");
      const len = Number(/content-length: (\d+)/i.exec(buf)?.[1] ?? -1);
      if (end < 0 || buf.length < end + 4 + len) return;
      buf = "";
      requests++;
      sock.write(response(requests));
      // a server that silently drops kept-alive connections (Python retries once on this)
      if (dropAfterReply) setTimeout(() => sock.destroy(), 20);
    });
    sock.on("error", () => {});
  });
  servers.push(server);
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return { port: (server.address() as { port: number }).port, connections: () => connections };
}

describe("ServerProxy", () => {
  test("keeps one connection for consecutive calls", async () => {
    const { port, connections } = await scriptedServer(false);
    await using proxy = new ServerProxy(`http://127.0.0.1:${port}`);
    assert.equal(await proxy.a(), 1);
    assert.equal(await proxy.b(), 2);
    assert.equal(await proxy.call("c"), 3);
    assert.equal(connections(), 1);
  });

  test("retries once on a fresh connection when the kept one was closed by the server", async () => {
    const { port, connections } = await scriptedServer(true);
    await using proxy = new ServerProxy(`http://127.0.0.1:${port}/x`);
    assert.equal(await proxy.a(), 1);
    await new Promise((r) => setTimeout(r, 60));
    assert.equal(await proxy.b(), 2);
    assert.equal(connections(), 2);
  });

  test("local names stay local; `then` is not remote; repr hides credentials", async () => {
    const proxy = new ServerProxy("http://u:p@example.invalid:81");
    assert.equal(String(proxy), "<ServerProxy for example.invalid:81/RPC2>");
    assert.equal(typeof proxy.close, "function");
    assert.ok(proxy.transport instanceof Transport);
    assert.ok(proxy instanceof ServerProxy);
    assert.equal((proxy as unknown as { then?: unknown }).then, undefined);
    assert.equal(await Promise.resolve(proxy), proxy);
    assert.equal(typeof proxy.some.dotted.name, "function");
    assert.equal((proxy.some.dotted as { then?: unknown }).then, undefined);
    proxy.close();
  });

  test("refuses other schemes as Python does", () => {
    assert.throws(
      () => new ServerProxy("ftp://x/"),
      (e: unknown) => e instanceof OSError && e.message === "unsupported XML-RPC protocol",
    );
  });

  test("typed interfaces: methods return promises of their results (compile-time contract)", () => {
    interface Api {
      math: { add(a: number, b: number): number };
      name(): Promise<string>;
    }
    const typed = new ServerProxy<Api>("http://127.0.0.1:1");
    const check = async () => {
      const n: number = await typed.math.add(1, 2);
      const s: string = await typed.name();
      // @ts-expect-error wrong argument type
      await typed.math.add("1", 2);
      // @ts-expect-error not in the interface
      await typed.other();
      const m = new MultiCall<Api>(typed);
      m.math.add(1, 2);
      // @ts-expect-error recorded calls return nothing
      const r: number = m.math.add(1, 2);
      return [n, s, r];
    };
    assert.equal(typeof check, "function");
    typed.close();
  });
});

describe("MultiCall", () => {
  test("records dotted calls and sends them as one system.multicall", async () => {
    const d = new SimpleXMLRPCDispatcher();
    d.registerMulticallFunctions();
    d.registerFunction((a: number, b: number) => a + b, "math.add");
    const transport = new (class extends Transport {
      override async request(_h: string, _p: string, body: Uint8Array): Promise<unknown[]> {
        return loads(await d._marshaledDispatch(body))[0];
      }
    })();
    const proxy = new ServerProxy("http://in-process/", { transport });
    const multi = new MultiCall(proxy);
    assert.ok(multi instanceof MultiCall);
    multi.math.add(1, 2);
    multi.nope();
    const results = await multi();
    assert.ok(results instanceof MultiCallIterator);
    assert.equal(results.get(0), 3);
    assert.throws(() => results.get(1), {
      name: "Fault",
      faultString: "<class 'Exception'>:method \"nope\" is not supported",
    });
    assert.throws(() => new MultiCallIterator(5), { name: "ValueError" });
    assert.throws(() => new MultiCallIterator([5]).get(0), {
      name: "ValueError",
      message: "unexpected type in multicall result",
    });
  });
});

describe("values", () => {
  test("Binary copies, compares and refuses non-bytes as Python", () => {
    const src = Buffer.from("ab");
    const b = new Binary(src);
    src[0] = 0x7a;
    assert.equal(b.toString(), "ab");
    assert.ok(b.equals(Buffer.from("ab")) && b.equals(new Binary(Buffer.from("ab"))));
    assert.throws(() => new Binary("text" as unknown as Uint8Array), {
      name: "TypeError",
      message: "expected bytes or bytearray, not str",
    });
  });

  test("DateTime: from text, Date (UTC), time tuple; compares", () => {
    assert.equal(new DateTime(new Date(Date.UTC(999, 0, 2, 3, 4, 5))).value, "09990102T03:04:05");
    assert.equal(new DateTime([2024, 2, 29, 23, 59, 58, 0, 0, 0]).value, "20240229T23:59:58");
    assert.ok(new DateTime("20240101T00:00:00").equals(new Date(Date.UTC(2024, 0, 1))));
    assert.equal(new DateTime("20240101T00:00:00").compare("20230101T00:00:00"), 1);
    assert.match(new DateTime().value, /^\d{8}T\d\d:\d\d:\d\d$/);
  });

  test("loads with useDatetime applies strptime's rules", () => {
    const doc = (t: string) =>
      `<methodResponse><params><param><value><dateTime.iso8601>${t}</dateTime.iso8601></value></param></params></methodResponse>`;
    assert.equal(
      (loads(doc("20240229T01:02:03"), { useDatetime: true })[0][0] as Date).toISOString(),
      "2024-02-29T01:02:03.000Z",
    );
    assert.equal(
      (loads(doc("2024011T1:2:3"), { useDatetime: true })[0][0] as Date).toISOString(),
      "2024-01-01T01:02:03.000Z",
    );
    assert.throws(() => loads(doc("20230229T01:02:03"), { useDatetime: true }), {
      message: "day is out of range for month",
    });
    assert.throws(() => loads(doc(" 20240101T00:00:00"), { useDatetime: true }), { name: "ValueError" });
  });

  test("marshalling errors are Python's", () => {
    assert.throws(() => dumps([2 ** 31]), { name: "OverflowError", message: "int exceeds XML-RPC limits" });
    assert.throws(() => dumps([-(2n ** 31n) - 1n]), { name: "OverflowError" });
    assert.throws(() => dumps([null]), { message: "cannot marshal None unless allow_none is enabled" });
    assert.throws(() => dumps([() => 1]), {
      name: "TypeError",
      message: "cannot marshal <class 'function'> objects",
    });
    assert.throws(() => dumps([new Map([[1, 2]])]), {
      name: "TypeError",
      message: "dictionary key must be string",
    });
    assert.throws(() => dumps([1, 2], { methodresponse: true }), { name: "ValueError" });
    assert.throws(() => dumps("x" as unknown as unknown[]), { name: "TypeError" });
    assert.match(dumps([new Double(1e22)]), /<double>1e\+22<\/double>/);
    assert.match(dumps([undefined], { allowNone: true }), /<value><nil\/><\/value><\/param>/);
  });

  test("method names are escaped (Python writes them raw)", () => {
    const doc = dumps([], { methodname: "a<b&c" });
    assert.match(doc, /<methodName>a&lt;b&amp;c<\/methodName>/);
    assert.equal(loads(doc)[1], "a<b&c");
    assert.equal(xmlEscape("<a & b>"), "&lt;a &amp; b&gt;");
  });

  test("a struct key __proto__ is plain data, never a prototype", () => {
    const doc =
      "<methodResponse><params><param><value><struct><member><name>__proto__</name><value><struct><member><name>polluted</name><value>yes</value></member></struct></value></member></struct></value></param></params></methodResponse>";
    const [[v]] = loads(doc) as unknown as [[Record<string, unknown>]];
    assert.equal(Object.getPrototypeOf(v), Object.prototype);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.deepEqual(Object.keys(v), ["__proto__"]);
  });

  test("gzipEncode() and gzipDecode() round-trip; the decode limit holds", () => {
    const data = Buffer.alloc(5000, 0x61);
    assert.deepEqual(gzipDecode(gzipEncode(data)), data);
    assert.throws(() => gzipDecode(gzipEncode(data), 4999), {
      message: "max gzipped payload length exceeded",
    });
    assert.equal(gzipDecode(gzipEncode(data), -1).length, 5000);
  });

  test("Fault's message is Python's repr", () => {
    assert.equal(new Fault(4, "it's").message, `<Fault 4: "it's">`);
  });
});

describe("SimpleXMLRPCDispatcher", () => {
  const call = async (d: SimpleXMLRPCDispatcher, method: string, ...params: unknown[]) => {
    try {
      return loads(await d._marshaledDispatch(dumps(params, { methodname: method })))[0][0];
    } catch (e) {
      if (e instanceof Fault) return `fault:${e.faultString}`;
      throw e;
    }
  };

  test("an instance exposes its own and its classes' methods, never Object's or private ones", async () => {
    class Base {
      inherited() {
        return "base";
      }
    }
    class Svc extends Base {
      secret = { deep: () => "deep" };
      hello(n: string) {
        return `hi ${n}`;
      }
      _hidden() {
        return "no";
      }
    }
    const d = new SimpleXMLRPCDispatcher();
    d.registerInstance(new Svc());
    d.registerIntrospectionFunctions();
    assert.equal(await call(d, "hello", "x"), "hi x");
    assert.equal(await call(d, "inherited"), "base");
    for (const name of [
      "_hidden",
      "constructor",
      "toString",
      "hasOwnProperty",
      "__proto__",
      "valueOf",
      "secret.deep",
    ]) {
      assert.equal(await call(d, name), `fault:<class 'Exception'>:method "${name}" is not supported`);
    }
    assert.deepEqual(await call(d, "system.listMethods"), [
      "hello",
      "inherited",
      "system.listMethods",
      "system.methodHelp",
      "system.methodSignature",
    ]);
    // dotted names only when allowed, and still never through constructor or "_"
    d.registerInstance(new Svc(), { allowDottedNames: true });
    assert.equal(await call(d, "secret.deep"), "deep");
    assert.match(String(await call(d, "hello.constructor.constructor")), /is not supported/);
  });

  test("an instance's _dispatch receives every unregistered method", async () => {
    const d = new SimpleXMLRPCDispatcher();
    d.registerInstance({ _dispatch: async (m: string, p: unknown[]) => `${m}:${p.length}` });
    d.registerFunction(function direct() {
      return "direct";
    });
    assert.equal(await call(d, "any.thing", 1, 2), "any.thing:2");
    assert.equal(await call(d, "direct"), "direct");
  });

  test("registerFunction: by own name, by given name, as a registrar; anonymous needs a name", async () => {
    const d = new SimpleXMLRPCDispatcher({ allowNone: true });
    d.registerFunction(function own() {
      return 1;
    });
    d.registerFunction(() => 2, "given");
    d.registerFunction({ name: "viaRegistrar" })(() => 3);
    assert.throws(() => d.registerFunction(() => 4), TypeError);
    assert.deepEqual(
      [await call(d, "own"), await call(d, "given"), await call(d, "viaRegistrar")],
      [1, 2, 3],
    );
    d.funcs.set("disabled", null);
    assert.equal(await call(d, "disabled"), `fault:<class 'Exception'>:method "disabled" is not supported`);
  });

  test("_marshaledDispatch passes a dispatchMethod and answers in the chosen encoding", async () => {
    const d = new SimpleXMLRPCDispatcher({ encoding: "us-ascii" });
    const reply = await d._marshaledDispatch(dumps(["é€"], { methodname: "m" }), (method, params) => [
      method,
      ...params,
    ]);
    assert.equal(
      reply.toString("latin1"),
      "<?xml version='1.0' encoding='us-ascii'?>\n<methodResponse>\n<params>\n<param>\n<value><array><data>\n<value><string>m</string></value>\n<value><string>&#233;&#8364;</string></value>\n</data></array></value>\n</param>\n</params>\n</methodResponse>\n",
    );
  });
});
