/**
 * Hostile input: every case must end quickly in a typed error — never a
 * hang, a crash, a stack overflow or an unbounded allocation. Covers the
 * parser (`loads`), the dispatcher (which must answer with a fault) and the
 * transport (a server streaming 100 MB, a gzip bomb, a server that never
 * answers).
 */
import assert from "node:assert/strict";
import { once } from "node:events";
import { createServer, type Socket as NetSocket, type Server } from "node:net";
import { after, describe, test } from "node:test";
import { gzipSync } from "node:zlib";
import { TimeoutError, ValueError } from "../../src/errors/index.js";
import { dumps, ExpatError, loads, ResponseError, ServerProxy, Transport } from "../../src/xmlrpc/client.js";
import { SimpleXMLRPCDispatcher } from "../../src/xmlrpc/server.js";

const LOL = `<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol">${Array.from({ length: 8 }, (_, i) => `<!ENTITY lol${i + 2} "${`&lol${i === 0 ? "" : i + 1};`.repeat(10)}">`).join("")}]>
<methodResponse><params><param><value><string>&lol9;</string></value></param></params></methodResponse>`;
const XXE = `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<methodResponse><params><param><value><string>&xxe;</string></value></param></params></methodResponse>`;

function deep(n: number): string {
  return `<methodResponse><params><param>${"<value><array><data>".repeat(n)}${"</data></array></value>".repeat(n)}</param></params></methodResponse>`;
}

const servers: Server[] = [];
after(() => {
  for (const s of servers) s.close();
});

/** A raw TCP server on 127.0.0.1: `onConnection` scripts the reply. */
async function rawServer(onConnection: (sock: NetSocket) => void): Promise<number> {
  const server = createServer(onConnection);
  servers.push(server);
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return (server.address() as { port: number }).port;
}

describe("xmlrpc parser attacks", () => {
  test("loads() refuses billion laughs at the DOCTYPE, before any expansion", () => {
    const t0 = Date.now();
    assert.throws(
      () => loads(LOL),
      (e: unknown) => e instanceof ResponseError && /DOCTYPE/.test(e.message),
    );
    // Expanding the entities would take gigabytes and minutes; refusing takes microseconds.
    assert.ok(Date.now() - t0 < 10_000);
  });

  test("loads() refuses an external entity (XXE): nothing is read", () => {
    assert.throws(
      () => loads(XXE),
      (e: unknown) => e instanceof ResponseError && !/root:/.test(e.message),
    );
  });

  test("loads() refuses a 100 MB document by its size, before parsing it", () => {
    // Only spaces: parsed first, it would be "no element found", not the size error.
    const huge = Buffer.alloc(100 * 1024 * 1024, 0x20);
    assert.throws(() => loads(huge), {
      name: "ResponseError",
      message: /exceeds the limit of 20971520 bytes/,
    });
    // a smaller limit can be chosen, and a larger one
    assert.throws(() => loads("<a/>", { maxSize: 3 }), ResponseError);
  });

  test("loads() refuses 100,000-deep nesting without exhausting the stack", () => {
    assert.throws(() => loads(deep(100_000)), {
      name: "ResponseError",
      message: /deeper than the limit of 1000/,
    });
    assert.deepEqual(loads(deep(300))[0].length, 1);
    assert.throws(() => loads(deep(10), { maxDepth: 20 }), ResponseError);
  });

  test("loads() reports invalid UTF-8, non-XML and truncated input as ExpatError (a ResponseError)", () => {
    const cases: Array<[Buffer | string, RegExp]> = [
      [
        Buffer.from([0x3c, 0x61, 0x3e, 0xff, 0xfe, 0x3c, 0x2f, 0x61, 0x3e]),
        /^not well-formed \(invalid token\): line 1, column 3$/,
      ],
      ["just some text", /^syntax error: line 1, column 0$/],
      ['{"json": true}', /^syntax error/],
      ["<methodResponse><params><param><value><int>1", /^no element found: line 1, column 44$/],
      ["<methodResponse><params><param><value><int", /^unclosed token/],
      ["", /^no element found: line 1, column 0$/],
      [Buffer.from([0x00, 0x01, 0x02]), /^not well-formed \(invalid token\)/],
    ];
    for (const [input, message] of cases) {
      assert.throws(
        () => loads(input),
        (e: unknown) => e instanceof ExpatError && e instanceof ResponseError && message.test(e.message),
      );
    }
  });

  test("random bytes never crash or hang loads(): every failure is a typed error", () => {
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const alphabet = Buffer.from("<>/&;#x!-?[]CDATA\"'= valuestrgint\n\r\t\xff\xc3");
    for (let i = 0; i < 3000; i++) {
      const n = Math.floor(rnd() * 60);
      const b = Buffer.alloc(n);
      for (let j = 0; j < n; j++) b[j] = alphabet[Math.floor(rnd() * alphabet.length)]!;
      try {
        loads(b);
      } catch (e) {
        assert.ok(
          e instanceof ResponseError ||
            e instanceof ValueError ||
            e instanceof TypeError ||
            (e as Error).name === "Fault",
          `${b.toString("latin1")}: ${e}`,
        );
      }
    }
  });

  test("dumps() refuses 100,000-deep and recursive values with typed errors", () => {
    let v: unknown[] = [];
    for (let i = 0; i < 100_000; i++) v = [v];
    assert.throws(() => dumps([v]), { name: "ValueError" });
    const loop: unknown[] = [];
    loop.push(loop);
    assert.throws(() => dumps([loop]), { name: "TypeError", message: "cannot marshal recursive sequences" });
    const obj: Record<string, unknown> = {};
    obj.self = obj;
    assert.throws(() => dumps([obj]), {
      name: "TypeError",
      message: "cannot marshal recursive dictionaries",
    });
    // the same array twice side by side is not recursion
    const shared = [1];
    assert.doesNotThrow(() => dumps([[shared, shared]]));
  });

  test("the dispatcher answers hostile bodies with faults", async () => {
    const d = new SimpleXMLRPCDispatcher();
    d.registerFunction(() => 1, "f");
    for (const [body, expected] of [
      [LOL, "xmlrpc.client.ResponseError"],
      [XXE, "xmlrpc.client.ResponseError"],
      [deep(100_000).replace("methodResponse", "methodCall"), "xmlrpc.client.ResponseError"],
      ["not xml", "xml.parsers.expat.ExpatError"],
    ] as const) {
      const reply = await d._marshaledDispatch(body);
      assert.throws(
        () => loads(reply),
        (e: unknown) =>
          (e as { faultString?: string }).faultString?.startsWith(`<class '${expected}'>`) === true,
      );
    }
  });
});

describe("xmlrpc transport attacks", () => {
  test("a 100 MB response is refused by its Content-Length without reading it", async () => {
    let sent = 0;
    const port = await rawServer((sock) => {
      sock.once("data", () => {
        sock.write("HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: 104857600\r\n\r\n");
        const chunk = Buffer.alloc(65536, 0x20);
        const pump = () => {
          while (sent < 104857600 && sock.write(chunk)) sent += chunk.length;
        };
        sock.on("drain", pump);
        sock.on("error", () => {});
        pump();
      });
    });
    await using proxy = new ServerProxy(`http://127.0.0.1:${port}/`);
    await assert.rejects(proxy.f(), { name: "ResponseError", message: /104857600 bytes exceeds the limit/ });
  });

  test("a 100 MB response without a length stops at the limit, not at the end", async () => {
    let sent = 0;
    const port = await rawServer((sock) => {
      sock.once("data", () => {
        sock.write("HTTP/1.0 200 OK\r\nContent-Type: text/xml\r\n\r\n");
        const chunk = Buffer.alloc(65536, 0x20);
        const pump = () => {
          while (sent < 104857600 && !sock.destroyed && sock.write(chunk)) sent += chunk.length;
          if (sent >= 104857600) sock.end();
        };
        sock.on("drain", pump);
        sock.on("error", () => {});
        pump();
      });
    });
    await using proxy = new ServerProxy(`http://127.0.0.1:${port}/`, { maxResponseSize: 1024 * 1024 });
    await assert.rejects(proxy.f(), { name: "ResponseError", message: /exceeds the limit of 1048576 bytes/ });
    assert.ok(sent < 50 * 1024 * 1024, `server pushed ${sent} bytes before the client stopped`);
  });

  test("a gzip bomb (100 MB of zeros) is stopped at the decode limit", async () => {
    const bomb = gzipSync(Buffer.alloc(100 * 1024 * 1024));
    const port = await rawServer((sock) => {
      sock.once("data", () => {
        sock.end(
          Buffer.concat([
            Buffer.from(
              `HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: ${bomb.length}\r\n\r\n`,
            ),
            bomb,
          ]),
        );
      });
    });
    await using proxy = new ServerProxy(`http://127.0.0.1:${port}/`);
    await assert.rejects(proxy.f(), { name: "ValueError", message: "max gzipped payload length exceeded" });
  });

  test("a server that never answers times out", async () => {
    const port = await rawServer((sock) => {
      sock.on("error", () => {});
    });
    await using proxy = new ServerProxy(`http://127.0.0.1:${port}/`, {
      transport: new Transport({ timeout: 0.3 }),
    });
    const t0 = Date.now();
    await assert.rejects(proxy.f(), TimeoutError);
    // The 0.3 s timeout, not a longer one (a busy machine may add seconds).
    assert.ok(Date.now() - t0 < 30_000);
  });
});
