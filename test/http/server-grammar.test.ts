/**
 * netkit/http/server held to RFC 9110/9112: the named regressions of issue
 * 12 (`HTTP/1.1000` reached doGET; a request line of CRs cost the square of
 * its length) and the rest of the class (versions, empty lines before the
 * request line, the request target, Transfer-Encoding codings, what
 * sendHeader and sendResponse let out, the chunk size of a chunked body),
 * and the header block read in one piece against the same read line by line.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { ValueError } from "../../src/errors/index.js";
import { parseRequestLine } from "../../src/http/_server/request.js";
import { type HTTPMessage, parseHeaderBlock } from "../../src/http/message.js";
import { BaseHTTPRequestHandler } from "../../src/http/server.js";
import { BytesSink, BytesSource } from "../../src/io/memory.js";
import { BufferedReader } from "../../src/io/reader.js";
import { BufferedWriter } from "../../src/io/writer.js";
import { ThreadingXMLRPCServer } from "../../src/xmlrpc/server.js";
import { rawRequest, runHandler, statusOf } from "./server-support.js";

/** Records each request that reached a do-method. */
class Reached extends BaseHTTPRequestHandler {
  static seen: string[] = [];
  override protocolVersion = "HTTP/1.1";
  override logMessage(): void {}
  async doGET(): Promise<void> {
    Reached.seen.push(`${this.command} ${this.path} ${this.requestVersion}`);
    this.sendResponse(200);
    this.sendHeader("Content-Length", 0);
    await this.endHeaders();
  }
  async doPOST(): Promise<void> {
    await this.doGET();
  }
}

async function answer(raw: string): Promise<{ status: number; text: string; seen: string[] }> {
  Reached.seen = [];
  const out = (await runHandler(Reached, Buffer.from(raw, "latin1"))).toString("latin1");
  return { status: statusOf(out), text: out, seen: Reached.seen };
}

describe("the request line", () => {
  test("HTTP/1.1000 is 400 and never reaches doGET (regression: Python serves it)", async () => {
    const r = await answer("GET / HTTP/1.1000\r\nHost: h\r\n\r\n");
    assert.deepEqual(r.seen, []);
    assert.match(r.text, /Bad request version \('HTTP\/1\.1000'\)/);
    assert.match(r.text, /Error code: 400/);
  });

  test("versions: 505 for a major version other than 1 (HTTP/0.9 written out too), 400 for any other shape", async () => {
    for (const [version, status] of [
      ["HTTP/2.0", 505],
      ["HTTP/0.9", 505],
      ["HTTP/3.1", 505],
      ["HTTP/1.10", 400],
      ["HTTP/01.1", 400],
      ["HTTP/1", 400],
      ["http/1.1", 400],
    ] as const) {
      const r = await answer(`GET / ${version}\r\nHost: h\r\n\r\n`);
      assert.deepEqual(r.seen, [], version);
      assert.match(r.text, new RegExp(`Error code: ${status}`), version);
    }
    assert.deepEqual((await answer("GET /x HTTP/1.2\r\nHost: h\r\n\r\n")).seen, ["GET /x HTTP/1.2"]);
    // HTTP/0.9's two-word line is served as Python serves it (no status line).
    assert.deepEqual((await answer("GET /x\r\n")).seen, ["GET /x HTTP/0.9"]);
  });

  test("the method is a token, one SP apart, the target visible ASCII: else 400", async () => {
    for (const line of [
      "GE(T / HTTP/1.1",
      "GET  / HTTP/1.1",
      " GET / HTTP/1.1",
      "GET / HTTP/1.1 ",
      "GET\t/ HTTP/1.1",
      "GET /a b HTTP/1.1",
      "GET /\x85 HTTP/1.1",
      "GET /\xa0x HTTP/1.1",
      "GET /caf\xe9 HTTP/1.1",
      "GET /\x01 HTTP/1.1",
      "GET / HTTP/1.1\r",
    ]) {
      const r = await answer(`${line}\r\nHost: h\r\n\r\n`);
      assert.deepEqual(r.seen, [], JSON.stringify(line));
      assert.match(r.text, /Error code: 400/, JSON.stringify(line));
    }
  });

  test("up to 8 empty lines before a request line are skipped (RFC 9112 2.2); a 9th closes as Python does", async () => {
    const ok = await answer(`${"\r\n".repeat(7)}\nGET /x HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n`);
    assert.deepEqual(ok.seen, ["GET /x HTTP/1.1"]);
    const pipelined = await answer(
      "POST /a HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n\r\nGET /b HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n",
    );
    assert.deepEqual(pipelined.seen, ["POST /a HTTP/1.1", "GET /b HTTP/1.1"]);
    const many = await answer(`${"\r\n".repeat(9)}GET /x HTTP/1.1\r\nHost: h\r\n\r\n`);
    assert.deepEqual(many.seen, []);
    assert.equal(many.text, "");
  });

  test("a run of CRs before or in the request line costs its length, not its square (regression: 7 s for 60 KB)", async () => {
    // Linear parsing takes about as long for 60 KB of CR as for 60 KB of path; the quadratic
    // regular expression it replaces took thousands of times longer.
    const time = async (raw: string) => {
      const started = process.cpuUsage();
      const r = await answer(raw);
      const used = process.cpuUsage(started);
      return { ...r, seconds: (used.user + used.system) / 1e6 };
    };
    const plain = await time(`GET /${"a".repeat(60000)} HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n`);
    assert.equal(plain.seen.length, 1);
    for (const raw of [
      `${"\r".repeat(60000)}GET / HTTP/1.1\r\nHost: h\r\n\r\n`,
      `GET / HTTP/1.1${"\r".repeat(60000)}\nHost: h\r\n\r\n`,
      `GET${" ".repeat(60000)}/ HTTP/1.1\r\nHost: h\r\n\r\n`,
    ]) {
      const r = await time(raw);
      assert.match(r.text, /Error code: 400/);
      assert.ok(r.seconds < 20 * plain.seconds + 0.5, `${r.seconds} s against ${plain.seconds} s`);
    }
    const started = process.cpuUsage();
    const line = parseRequestLine(`${"\r".repeat(60000)}GET / HTTP/1.1\r\n`, "HTTP/1.1");
    const used = process.cpuUsage(started);
    assert.ok(line && "error" in line && line.error.code === 400);
    assert.ok(used.user + used.system < 500_000, `${used.user + used.system} µs`);
  });
});

describe("the framing", () => {
  test("Transfer-Encoding: 501 for a coding netkit does not decode, 400 when chunked is not last or comes twice", async () => {
    for (const [te, status] of [
      ["gzip, chunked", 501],
      ['x-custom;q="1", chunked', 501],
      ["chunked, gzip", 400],
      ["chunked, chunked", 400],
      ["gzip", 400],
      ["chunked x", 400],
    ] as const) {
      const r = await answer(`POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: ${te}\r\n\r\n0\r\n\r\n`);
      assert.deepEqual(r.seen, [], te);
      assert.equal(r.status, status, te);
    }
    const ok = await answer("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: ,Chunked\r\n\r\n0\r\n\r\n");
    assert.deepEqual(ok.seen, ["POST / HTTP/1.1"]);
  });

  test("Content-Length: a sign, values that differ or a non-number are 400; a repeated value is one", async () => {
    for (const cl of ["+5", "-5", "5, 6", "5,", "0x5", "5 5", "05, 5"]) {
      const r = await answer(`POST / HTTP/1.1\r\nHost: h\r\nContent-Length: ${cl}\r\n\r\nhello`);
      assert.equal(r.status, 400, cl);
    }
    const ok = await answer(
      "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5, 5\r\nContent-Length: 5\r\n\r\nhello",
    );
    assert.deepEqual(ok.seen, ["POST / HTTP/1.1"]);
  });

  test("SimpleXMLRPCServer's chunked body reader refuses 0x10, signs and spaces around the size", async () => {
    const server = new ThreadingXMLRPCServer(["127.0.0.1", 0], { logRequests: false });
    server.registerFunction((a: number, b: number) => a + b, "add");
    await server.ready;
    const serving = server.serveForever(0.05);
    const port = server.serverAddress[1];
    try {
      const call = Buffer.from(
        "<?xml version='1.0'?><methodCall><methodName>add</methodName><params><param><value><int>2</int></value></param><param><value><int>3</int></value></param></params></methodCall>",
      );
      const head =
        "POST /RPC2 HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n";
      const good = await rawRequest(port, `${head}${call.length.toString(16)};x=1\r\n${call}\r\n0\r\n\r\n`);
      assert.equal(statusOf(good), 200);
      for (const size of [
        `0x${call.length.toString(16)}`,
        `+${call.length.toString(16)}`,
        ` ${call.length.toString(16)}`,
      ]) {
        const bad = await rawRequest(port, `${head}${size}\r\n${call}\r\n0\r\n\r\n`);
        assert.equal(statusOf(bad), 400, size);
        assert.match(bad.toString("latin1"), /Invalid chunk size/);
      }
    } finally {
      await server.shutdown();
      await serving;
      await server.serverClose();
    }
  });
});

describe("what the handler sends", () => {
  test("sendHeader() refuses NUL and other controls, and a name that is not a token; sendResponse() a bad status or reason", async () => {
    const outcomes: string[] = [];
    class Headers extends BaseHTTPRequestHandler {
      override logMessage(): void {}
      async doGET(): Promise<void> {
        const tries: Array<() => void> = [
          () => this.sendHeader("X-Nul", "a\x00b"),
          () => this.sendHeader("X-Esc", "a\x1bb"),
          () => this.sendHeader("X-Del", "a\x7f"),
          () => this.sendHeader("X Space", "v"),
          () => this.sendHeader("X:Colon", "v"),
          () => this.sendHeader("", "v"),
          () => this.sendResponseOnly(1000),
          () => this.sendResponseOnly(99),
          () => this.sendResponseOnly(200, "OK\r\nSet-Cookie: x=1"),
          () => this.sendHeader("X-Tab", "a\tb"),
        ];
        for (const attempt of tries) {
          try {
            attempt();
            outcomes.push("sent");
          } catch (err) {
            outcomes.push(err instanceof ValueError ? "ValueError" : String(err));
          }
        }
        this.sendResponseOnly(200);
        this.sendHeader("Content-Length", 0);
        await this.endHeaders();
      }
    }
    const res = (await runHandler(Headers, Buffer.from("GET / HTTP/1.1\r\nHost: x\r\n\r\n"))).toString(
      "latin1",
    );
    assert.deepEqual(outcomes, [...Array(9).fill("ValueError"), "sent"]);
    assert.doesNotMatch(res, /X-Nul|X-Esc|X Space|Set-Cookie|1000/);
    assert.match(res, /X-Tab: a\tb\r\n/);
  });
});

describe("the header block read in one piece", () => {
  /** The handler's answer to `raw`, read from memory in chunks of `chunk` bytes, and whether doGET ran. */
  async function inMemory(raw: Buffer, chunk: number): Promise<string> {
    Reached.seen = [];
    const handler = new Reached({} as never, ["127.0.0.1", 1], {} as never);
    const sink = new BytesSink();
    handler.rfile = new BufferedReader(new BytesSource(raw, chunk));
    handler.wfile = new BufferedWriter(sink, { bufferSize: 0 });
    handler.headerTimeout = null;
    await handler.handle();
    return `${Reached.seen.join("|")}\n${sink
      .getvalue()
      .toString("latin1")
      .replace(/^Date: .*\r\n/gm, "")}`;
  }

  test("answers as line by line does, whatever the chunks (fast-check, 300 runs)", async () => {
    const line = fc.oneof(
      {
        weight: 30,
        arbitrary: fc.constantFrom(
          "A:b",
          "X: \xe9",
          "Connection: keep-alive",
          "Content-Length: 0",
          "Y:\t z ",
        ),
      },
      {
        weight: 1,
        arbitrary: fc.constantFrom("Bad : x", " folded", "X: a\x00", "X: a\rb", "nocolon", "Host: h"),
      },
    );
    const eol = fc.constantFrom("\r\n", "\n");
    const head = fc
      .tuple(
        fc.constantFrom("GET / HTTP/1.1", "GET /a HTTP/1.0", "POST /p HTTP/1.1"),
        eol,
        // Few lines, or about as many as the limit allows (100 with the blank one).
        fc.oneof(
          fc.array(fc.tuple(line, eol), { maxLength: 8 }),
          fc.array(fc.tuple(line, eol), { minLength: 96, maxLength: 102 }),
        ),
        eol,
        fc.constantFrom("", "GET /next HTTP/1.1\r\nConnection: close\r\n\r\n"),
      )
      .map(([l, e1, lines, e2, more]) => l + e1 + lines.map(([a, b]) => a + b).join("") + e2 + more);
    await fc.assert(
      fc.asyncProperty(head, async (raw) => {
        const data = Buffer.from(raw, "latin1");
        const whole = await inMemory(data, data.length);
        for (const chunk of [1, 7, 64]) {
          assert.equal(await inMemory(data, chunk), whole, `${JSON.stringify(raw)} in chunks of ${chunk}`);
        }
      }),
      { numRuns: 300, seed: 31 },
    );
  });

  test("a refused head leaves headers as Python's parser reads the lines", async () => {
    let seen: HTTPMessage | undefined;
    class Look extends BaseHTTPRequestHandler {
      override logMessage(): void {}
      override async sendError(code: number, message?: string): Promise<void> {
        seen = this.headers;
        await super.sendError(code, message);
      }
    }
    const block = "Host: h\r\nBad : x\r\nAfter: y\r\n\r\n";
    await runHandler(Look, Buffer.from(`GET / HTTP/1.1\r\n${block}`, "latin1"));
    assert.ok(seen);
    assert.deepEqual(seen.items(), parseHeaderBlock(block).items());
    assert.deepEqual(seen.items(), [["Host", "h"]]);
  });
});
