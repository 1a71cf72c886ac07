/**
 * netkit/http/client held to RFC 9110/9112 on loopback, against scripted
 * servers sending what Python's http.client reads leniently: the named
 * regressions of issue 12 (a method with a space, a NUL in a header name,
 * a `0x10` chunk size, a `+5` Content-Length, an endless stream of
 * `100 Continue`, endless trailers, header bytes trickled one at a time)
 * and the rest of the class (status lines, obs-fold, whitespace before the
 * colon, Transfer-Encoding with Content-Length, interim responses).
 */
import assert from "node:assert/strict";
import * as net from "node:net";
import { after, describe, test } from "node:test";
import { TimeoutError, UnicodeEncodeError, ValueError } from "../../src/errors/index.js";
import {
  HTTPConnection,
  IncompleteRead,
  InvalidChunk,
  InvalidContentLength,
  InvalidHeader,
  TooManyHeaders,
  TooManyInterimResponses,
} from "../../src/http/client.js";

const servers: net.Server[] = [];
after(() => {
  for (const s of servers) s.close();
});

interface Scripted {
  port: number;
  /** Connections accepted so far. */
  connections: () => number;
  /** Bytes received so far, all connections. */
  received: () => Buffer;
}

/**
 * A server that, once a connection's request head has come, hands the
 * socket to `answer` (which may write for as long as it likes; it stops
 * when the client goes away).
 */
async function scripted(answer: (sock: net.Socket) => void | Promise<void>): Promise<Scripted> {
  let connections = 0;
  const received: Buffer[] = [];
  const server = net.createServer((sock) => {
    connections++;
    sock.on("error", () => {});
    let head = Buffer.alloc(0);
    let answered = false;
    sock.on("data", (d: Buffer) => {
      received.push(d);
      head = Buffer.concat([head, d]);
      if (!answered && head.includes("\r\n\r\n")) {
        answered = true;
        head = Buffer.alloc(0);
        void answer(sock);
      } else if (answered && d.includes("\r\n\r\n")) {
        void answer(sock); // a second request on the same connection
      }
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    connections: () => connections,
    received: () => Buffer.concat(received),
  };
}

/** Writes `piece` up to `times` times, waiting for the socket to drain, until the client goes away. */
async function writeRepeatedly(sock: net.Socket, piece: string, times: number): Promise<number> {
  const data = Buffer.from(piece, "latin1");
  let n = 0;
  for (; n < times && !sock.destroyed && sock.writable; n++) {
    if (!sock.write(data)) {
      await new Promise<void>((resolve) => {
        sock.once("drain", resolve);
        sock.once("close", resolve);
      });
    }
  }
  return n;
}

/** Writes `head`, then a byte every 20 ms for up to 60 s (each read well inside a 1 s timeout), until the client goes away. */
async function trickle(sock: net.Socket, head: string): Promise<void> {
  sock.write(head);
  for (let i = 0; i < 3000 && !sock.destroyed; i++) {
    sock.write("a");
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Sends one GET and returns [connection, the response or the error getresponse() threw]. */
async function get(
  port: number,
  timeout = 10,
): Promise<[HTTPConnection, Awaited<ReturnType<HTTPConnection["getresponse"]>> | Error]> {
  const conn = new HTTPConnection("127.0.0.1", port, { timeout });
  await conn.request("GET", "/");
  try {
    return [conn, await conn.getresponse()];
  } catch (err) {
    return [conn, err as Error];
  }
}

describe("what the client sends", () => {
  test("putrequest() refuses a method with a space before a byte is sent (regression: it went out)", async () => {
    const s = await scripted((sock) => void sock.end("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));
    const conn = new HTTPConnection("127.0.0.1", s.port, { timeout: 10 });
    for (const method of ["GET /x HTTP/1.1\r\nX:", "GE T", "GET ", "", "G(T", "GÉT", "G\x7fT"]) {
      await assert.rejects(conn.request(method, "/"), ValueError, JSON.stringify(method));
    }
    await assert.rejects(conn.request("GET\x00", "/"), /method can't contain control characters/);
    assert.equal(conn.sock, null);
    assert.equal(s.connections(), 0);
    // The connection is still usable: nothing was left half-started.
    await conn.request("PATCH", "/");
    assert.equal((await conn.getresponse()).status, 200);
    conn.close();
  });

  test("putheader() refuses NUL and every non-tchar in a name, and controls in a value", () => {
    const conn = new HTTPConnection("127.0.0.1", 9);
    conn.putrequest("GET", "/");
    for (const name of ["X\x00Y", "X Y", "X:Y", " X", "X\t", "(X)", "X\u00e9", ""]) {
      assert.throws(
        () => conn.putheader(name, "v"),
        /^ValueError: Invalid header name/,
        JSON.stringify(name),
      );
    }
    for (const value of ["a\x00b", "a\r\n b", "a\n\tb", "a\rb", "a\x1bb", "a\x7f"]) {
      assert.throws(
        () => conn.putheader("X", value),
        /^ValueError: Invalid header value/,
        JSON.stringify(value),
      );
    }
    conn.putheader("X", "tab\tand obs-text \u00e9");
  });

  test("putheader() joins several values with a comma instead of folding them (RFC 9112 5.2)", async () => {
    const s = await scripted((sock) => void sock.end("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));
    const conn = new HTTPConnection("127.0.0.1", s.port, { timeout: 10 });
    conn.putrequest("GET", "/");
    conn.putheader("Accept", "text/html", "text/plain", 3);
    await conn.endheaders();
    await (await conn.getresponse()).read();
    conn.close();
    assert.match(s.received().toString("latin1"), /\r\nAccept: text\/html, text\/plain, 3\r\n/);
  });

  test("a URL with a character beyond ASCII is Python's UnicodeEncodeError, not latin-1 bytes", () => {
    const conn = new HTTPConnection("127.0.0.1", 9);
    assert.throws(
      () => conn.putrequest("GET", "/\u6771\u4eac"),
      (e: unknown) =>
        e instanceof UnicodeEncodeError &&
        e.message === "'ascii' codec can't encode characters in position 5-6: ordinal not in range(128)",
    );
    conn.putrequest("GET", "/ok");
  });
});

describe("what the client reads", () => {
  test("a 0x10 chunk size is InvalidChunk, and the connection is not reused (regression: Python reads 16)", async () => {
    const s = await scripted((sock) => {
      sock.write(
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0x10\r\n0123456789abcdef\r\n0\r\n\r\n",
      );
    });
    const [conn, res] = await get(s.port);
    assert.ok(!(res instanceof Error));
    await assert.rejects(
      res.read(),
      (e: unknown) =>
        e instanceof InvalidChunk &&
        e instanceof IncompleteRead &&
        e.code === "ERR_HTTP_INVALID_CHUNK" &&
        /'0x10'/.test(e.message),
    );
    assert.ok(res.isclosed());
    assert.equal(conn.sock, null);
  });

  test("chunk data longer than its size is InvalidChunk (Python skips any two bytes after it)", async () => {
    const s = await scripted((sock) => {
      sock.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcdef\r\n0\r\n\r\n");
    });
    const [conn, res] = await get(s.port);
    assert.ok(!(res instanceof Error));
    await assert.rejects(
      res.read(),
      (e: unknown) => e instanceof InvalidChunk && e.partial.toString() === "abc",
    );
    conn.close();
  });

  test("a +5 Content-Length is InvalidContentLength (regression: Python reads 5 bytes)", async () => {
    const s = await scripted((sock) => void sock.write("HTTP/1.1 200 OK\r\nContent-Length: +5\r\n\r\nhello"));
    const [conn, res] = await get(s.port);
    assert.ok(res instanceof InvalidContentLength, String(res));
    assert.equal(res.code, "ERR_HTTP_INVALID_CONTENT_LENGTH");
    assert.equal(res.value, "+5");
    assert.equal(conn.sock, null);
  });

  test("an endless stream of 100 Continue ends in TooManyInterimResponses (regression: read for ever)", async () => {
    let written = 0;
    const s = await scripted(async (sock) => {
      written = await writeRepeatedly(sock, "HTTP/1.1 100 Continue\r\n\r\n", 1_000_000);
    });
    const [conn, res] = await get(s.port);
    assert.ok(res instanceof TooManyInterimResponses, String(res));
    assert.equal(res.code, "ERR_HTTP_TOO_MANY_INTERIM_RESPONSES");
    assert.equal(res.limit, 16);
    assert.equal(conn.sock, null);
    assert.ok(written < 1_000_000, "the server stopped once the client went away");
  });

  test("other 1xx responses are skipped too (Python hands a 103 over as the response); 101 is the response", async () => {
    const s = await scripted((sock) => {
      sock.write(
        "HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\nHTTP/1.1 100 Continue\r\n\r\n" +
          "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
      );
    });
    const [conn, res] = await get(s.port);
    assert.ok(!(res instanceof Error));
    assert.equal(res.status, 200);
    assert.equal((await res.read()).toString(), "ok");
    conn.close();
    const up = await scripted(
      (sock) => void sock.write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\n\r\n"),
    );
    const [conn2, res2] = await get(up.port);
    assert.ok(!(res2 instanceof Error));
    assert.equal(res2.status, 101);
    conn2.close();
  });

  test("endless trailers end in TooManyHeaders for trailer lines (regression: read for ever)", async () => {
    const s = await scripted(async (sock) => {
      sock.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n");
      await writeRepeatedly(sock, "X-Trailer: y\r\n", 1_000_000);
    });
    const [conn, res] = await get(s.port);
    assert.ok(!(res instanceof Error));
    await assert.rejects(
      res.read(),
      (e: unknown) =>
        e instanceof TooManyHeaders &&
        e.lineType === "trailer line" &&
        e.message === "got more than 100 trailer lines" &&
        e.code === "ERR_HTTP_TOO_MANY_HEADERS",
    );
    assert.equal(conn.sock, null);
  });

  test("trickled header bytes time out after twice the timeout, however often a byte comes (regression: no end)", async () => {
    const s = await scripted((sock) => trickle(sock, "HTTP/1.1 200 OK\r\nX-Slow: "));
    const started = performance.now();
    const [conn, res] = await get(s.port, 1);
    const elapsed = (performance.now() - started) / 1000;
    assert.ok(res instanceof TimeoutError, String(res));
    assert.equal(res.code, "ETIMEDOUT");
    assert.match(res.message, /response head within 2 s/);
    assert.ok(elapsed >= 1.5 && elapsed < 30, `took ${elapsed} s`);
    assert.equal(conn.sock, null);
  });

  test("Transfer-Encoding overrides Content-Length, and such a response's connection is not reused", async () => {
    const s = await scripted((sock) => {
      sock.write(
        "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
      );
    });
    const conn = new HTTPConnection("127.0.0.1", s.port, { timeout: 10 });
    for (let i = 0; i < 2; i++) {
      await conn.request("GET", "/");
      const res = await conn.getresponse();
      assert.equal(res.chunked, true);
      assert.equal(res.willClose, true);
      assert.equal((await res.read()).toString(), "hello");
    }
    conn.close();
    assert.equal(s.connections(), 2);
  });

  test("a response's Transfer-Encoding not ending in chunked runs to the close; a 204 has no body whatever it says", async () => {
    const s = await scripted(
      (sock) => void sock.end("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nraw bytes"),
    );
    const [conn, res] = await get(s.port);
    assert.ok(!(res instanceof Error));
    assert.equal(res.chunked, false);
    assert.equal((await res.read()).toString(), "raw bytes");
    conn.close();
    const n = await scripted((sock) => {
      sock.write("HTTP/1.1 204 No Content\r\nTransfer-Encoding: chunked\r\n\r\n");
    });
    const [conn2, res2] = await get(n.port);
    assert.ok(!(res2 instanceof Error));
    assert.equal(res2.chunked, false);
    assert.equal((await res2.read()).length, 0);
    assert.ok(res2.isclosed());
    conn2.close();
  });

  test("header lines: obs-fold becomes one space; whitespace before the colon, or a NUL, is InvalidHeader", async () => {
    const fold = await scripted((sock) => {
      sock.write("HTTP/1.1 200 OK\r\nX-Fold: a \r\n   b\r\n\tc\r\nContent-Length: 0\r\n\r\n");
    });
    const [conn, res] = await get(fold.port);
    assert.ok(!(res instanceof Error));
    assert.equal(res.getheader("X-Fold"), "a b c");
    conn.close();
    for (const bad of ["Content-Length : 0", "X\x00: y", "X: a\x00b", "X: a\rb", "no colon", " X: leading"]) {
      const s = await scripted(
        (sock) => void sock.write(`HTTP/1.1 200 OK\r\n${bad}\r\nContent-Length: 0\r\n\r\n`),
      );
      const [c, r] = await get(s.port);
      assert.ok(
        r instanceof InvalidHeader && r.code === "ERR_HTTP_INVALID_HEADER",
        `${JSON.stringify(bad)}: ${String(r)}`,
      );
      assert.equal(c.sock, null);
    }
  });

  test("a CONNECT reply trickled byte by byte times out too", async () => {
    const proxy = await scripted((sock) => trickle(sock, "HTTP/1.0 200 Connection established\r\nX: "));
    const conn = new HTTPConnection("127.0.0.1", proxy.port, { timeout: 1 });
    conn.setTunnel("example.com", 80);
    await assert.rejects(
      conn.connect(),
      (e: unknown) => e instanceof TimeoutError && /response head/.test(e.message),
    );
    assert.equal(conn.sock, null);
  });
});
