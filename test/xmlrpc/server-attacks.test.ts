/**
 * Hostile requests against one SimpleXMLRPCServer (one connection at a
 * time, the easiest to wedge): each gets a clear fault or HTTP error, fast,
 * without the server reading or holding more than its limits, and after
 * each one the same server answers a normal call.
 */
import assert from "node:assert/strict";
import { connect } from "node:net";
import { after, before, test } from "node:test";
import { createGzip } from "node:zlib";
import { loads, ServerProxy } from "../../src/xmlrpc/client.js";
import { SimpleXMLRPCRequestHandler, SimpleXMLRPCServer } from "../../src/xmlrpc/server.js";
import { callBody, exchange, post, type RawResponse, type Running, serve } from "./server-support.js";

class Handler extends SimpleXMLRPCRequestHandler {
  override bodyTimeout = 10;
  override logMessage(): void {}
}

/** For the stall test: a short body timeout. */
class Impatient extends Handler {
  override bodyTimeout = 0.5;
}

let srv: Running<SimpleXMLRPCServer>;

before(async () => {
  const server = new SimpleXMLRPCServer(["127.0.0.1", 0], { requestHandler: Handler, logRequests: false });
  server.registerFunction((x: unknown) => x, "echo");
  server.registerFunction((x: number, y: number) => x + y, "add");
  srv = await serve(server);
});

after(async () => {
  await srv.close();
});

/** The server still answers a normal call (on a new connection). */
async function stillServes(): Promise<void> {
  await using proxy = new ServerProxy(srv.url, { timeout: 60 });
  assert.equal(await proxy.call("add", 20, 22), 42);
}

/** The fault in a 200 response. */
function faultOf(r: RawResponse): { faultCode: number; faultString: string } {
  assert.equal(r.status, 200);
  try {
    loads(r.body);
  } catch (err) {
    const f = err as { faultCode?: number; faultString?: string };
    assert.equal(typeof f.faultCode, "number", `a Fault, not ${String(err)}`);
    return { faultCode: f.faultCode!, faultString: f.faultString! };
  }
  assert.fail(`expected a fault, got ${r.body.toString().slice(0, 200)}`);
}

/** A guard, not a speed test: each attack, if it worked, would take minutes or never end. */
const MAX_MS = 30_000;

test("attack: billion laughs (entity expansion) is a fault, not a billion laughs", async () => {
  const entities = ['<!ENTITY lol "lol">'];
  for (let i = 1; i <= 9; i++)
    entities.push(`<!ENTITY lol${i} "${`&lol${i === 1 ? "" : i - 1};`.repeat(10)}">`);
  const body = `<?xml version="1.0"?>\n<!DOCTYPE lolz [\n${entities.join("\n")}\n]>\n${callBody("echo", "<param><value><string>&lol9;</string></value></param>")}`;
  const started = Date.now();
  const { responses } = await exchange(srv.port, post("/RPC2", body));
  const fault = faultOf(responses[0]!);
  assert.equal(fault.faultCode, 1);
  assert.match(fault.faultString, /DOCTYPE|DTD/i);
  assert.ok(responses[0]!.body.length < 2000);
  assert.ok(Date.now() - started < MAX_MS);
  await stillServes();
});

test("attack: an external entity (file:///etc/passwd) is never read", async () => {
  const body = `<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n${callBody("echo", "<param><value><string>&e;</string></value></param>")}`;
  const { responses } = await exchange(srv.port, post("/RPC2", body));
  const fault = faultOf(responses[0]!);
  assert.equal(fault.faultCode, 1);
  assert.doesNotMatch(responses[0]!.body.toString(), /root:/);
  // and a reference to an undeclared entity without a DTD is an error too, not a file read
  const bare = callBody("echo", "<param><value><string>&e;</string></value></param>");
  const r2 = (await exchange(srv.port, post("/RPC2", bare))).responses[0]!;
  assert.match(faultOf(r2).faultString, /undefined entity/);
  await stillServes();
});

test("attack: a 100 MB Content-Length is refused (413) before any of it is read", async () => {
  const started = Date.now();
  const { responses, closed } = await exchange(
    srv.port,
    `POST /RPC2 HTTP/1.1\r\nHost: x\r\nContent-Type: text/xml\r\nContent-Length: ${100 * 1024 * 1024}\r\n\r\n<?xml`,
  );
  assert.equal(responses[0]!.status, 413);
  assert.equal(responses[0]!.headers.connection, "close");
  assert.equal(closed, true);
  assert.ok(Date.now() - started < MAX_MS);
  await stillServes();
});

/**
 * Streams up to `total` bytes after `head` and reports how much the server
 * let in before answering and closing, and its answer.
 */
function streamUntilRefused(
  head: string,
  piece: Buffer,
  total: number,
): Promise<{ written: number; reply: string; elapsed: number }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const sock = connect(srv.port, "127.0.0.1");
    let written = 0;
    let reply = "";
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.destroy();
      resolve({ written, reply, elapsed: Date.now() - started });
    };
    const timer = setTimeout(() => {
      done = true;
      sock.destroy();
      reject(new Error(`the server kept reading: ${written} bytes in 60 s`));
    }, 60_000);
    sock.on("data", (b: Buffer) => {
      reply += b.toString("latin1");
    });
    sock.on("close", finish);
    sock.on("error", finish);
    const pump = () => {
      while (!done && written < total) {
        written += piece.length;
        if (!sock.write(piece)) {
          sock.once("drain", pump);
          return;
        }
      }
      if (written >= total) sock.end();
    };
    sock.on("connect", () => {
      sock.write(head);
      pump();
    });
  });
}

const HUNDRED_MB = 100 * 1024 * 1024;

test("attack: a 100 MB chunked body is cut off (413) at the 20 MiB limit", async () => {
  const data = Buffer.alloc(64 * 1024, 0x61);
  const piece = Buffer.concat([Buffer.from(`${data.length.toString(16)}\r\n`), data, Buffer.from("\r\n")]);
  const { written, reply, elapsed } = await streamUntilRefused(
    "POST /RPC2 HTTP/1.1\r\nHost: x\r\nContent-Type: text/xml\r\nTransfer-Encoding: chunked\r\n\r\n",
    piece,
    HUNDRED_MB,
  );
  assert.match(reply, /^HTTP\/1\.1 413 /);
  assert.ok(
    written < 40 * 1024 * 1024,
    `the client got ${written} bytes in before the server stopped reading`,
  );
  assert.ok(elapsed < MAX_MS);
  await stillServes();
});

test("attack: a small Content-Length followed by 100 MB: the rest is not read as a body", async () => {
  const { written, reply } = await streamUntilRefused(
    "POST /RPC2 HTTP/1.1\r\nHost: x\r\nContent-Type: text/xml\r\nContent-Length: 10\r\n\r\n",
    Buffer.alloc(64 * 1024, 0x61),
    HUNDRED_MB,
  );
  // A fault for the 10 bytes; then the next "request line" is over-long: 414 and the connection
  // closes (that 414 may be lost to the reset the close causes, while the client is still sending).
  assert.match(reply, /^HTTP\/1\.1 200 OK[\s\S]*<fault>/);
  assert.ok(written < 40 * 1024 * 1024, `the client got ${written} bytes in`);
  await stillServes();
});

test("attack: 100,000-deep nesting is a fault (depth limit), answered fast", async () => {
  const depth = 100_000;
  const body = `<?xml version="1.0"?><methodCall><methodName>echo</methodName><params><param>${"<value><array><data>".repeat(depth)}${"</data></array></value>".repeat(depth)}</param></params></methodCall>`;
  const started = Date.now();
  const { responses } = await exchange(srv.port, post("/RPC2", body));
  const fault = faultOf(responses[0]!);
  assert.equal(fault.faultCode, 1);
  assert.match(fault.faultString, /depth|nest/i);
  assert.ok(Date.now() - started < MAX_MS);
  await stillServes();
});

test("attack: invalid UTF-8 is a fault", async () => {
  const body = Buffer.concat([
    Buffer.from(
      "<?xml version='1.0'?><methodCall><methodName>echo</methodName><params><param><value><string>",
    ),
    Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xed, 0xa0, 0x80]),
    Buffer.from("</string></value></param></params></methodCall>"),
  ]);
  const fault = faultOf((await exchange(srv.port, post("/RPC2", body))).responses[0]!);
  assert.equal(fault.faultCode, 1);
  assert.match(fault.faultString, /ExpatError|not well-formed|invalid/i);
  await stillServes();
});

test("attack: a body that is not XML is a fault", async () => {
  for (const body of ["GET / HTTP/1.1", '{"json": true}', "\u0000\u0001\u0002", "<methodCall>"]) {
    const fault = faultOf((await exchange(srv.port, post("/RPC2", body))).responses[0]!);
    assert.equal(fault.faultCode, 1, body);
  }
  await stillServes();
});

test("attack: a truncated request (client closes mid-body) gets 400 and is not dispatched", async () => {
  const full = post(
    "/RPC2",
    callBody("add", "<param><value><int>1</int></value></param><param><value><int>2</int></value></param>"),
  );
  const { responses, closed } = await exchange(srv.port, full.subarray(0, full.length - 40), {
    halfClose: true,
  });
  assert.equal(responses[0]!.status, 400);
  assert.equal(responses[0]!.reason, "Request body ended early");
  assert.equal(closed, true);
  await stillServes();
});

test("attack: a client that stalls mid-body gets 408 after bodyTimeout, and the server moves on", async () => {
  const server = new SimpleXMLRPCServer(["127.0.0.1", 0], { requestHandler: Impatient, logRequests: false });
  server.registerFunction((x: number, y: number) => x + y, "add");
  const own = await serve(server);
  try {
    const started = Date.now();
    const full = post("/RPC2", callBody("add", "<param><value><int>1</int></value></param>"));
    const { responses, closed } = await exchange(own.port, full.subarray(0, full.length - 20));
    const elapsed = Date.now() - started;
    assert.equal(responses[0]!.status, 408);
    assert.equal(closed, true);
    assert.ok(elapsed >= 400 && elapsed < MAX_MS, `answered after ${elapsed} ms`);
    await using proxy = new ServerProxy(`http://127.0.0.1:${own.port}/RPC2`, { timeout: 60 });
    assert.equal(await proxy.call("add", 1, 2), 3);
  } finally {
    await own.close();
  }
});

test("attack: a gzip bomb (100 MB of zeros) is refused at 20 MiB decoded, memory stays bounded", async () => {
  const bomb = await new Promise<Buffer>((resolve) => {
    const gz = createGzip({ level: 9 });
    const out: Buffer[] = [];
    gz.on("data", (b: Buffer) => out.push(b));
    gz.on("end", () => resolve(Buffer.concat(out)));
    const zeros = Buffer.alloc(1024 * 1024);
    for (let i = 0; i < 100; i++) gz.write(zeros);
    gz.end();
  });
  assert.ok(bomb.length < 1024 * 1024, "the bomb is small on the wire");
  const before = process.memoryUsage().rss;
  const r = (await exchange(srv.port, post("/RPC2", bomb, ["Content-Encoding: gzip"]))).responses[0]!;
  assert.equal(r.statusLine, "HTTP/1.1 400 error decoding gzip content");
  const grew = process.memoryUsage().rss - before;
  assert.ok(grew < 80 * 1024 * 1024, `rss grew by ${grew} bytes`);
  await stillServes();
});
