/**
 * netkit's http.client against python3's http.server (a real server netkit
 * did not write), and against a scripted server for the broken replies.
 */
import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import { after, describe, test } from "node:test";
import { ValueError } from "../../src/errors/index.js";
import {
  BadStatusLine,
  CannotSendRequest,
  HTTPConnection,
  IncompleteRead,
  LineTooLong,
  RemoteDisconnected,
  ResponseNotReady,
} from "../../src/http/client.js";
import { HTTPException, InvalidURL } from "../../src/http/errors.js";
import { Socket } from "../../src/socket/socket.js";
import { hasCommand, peerSkip } from "../_support/peers.js";
import { startPython } from "../_support/python.js";

const skip = peerSkip("python3", hasCommand("python3"));
const children: ChildProcess[] = [];
after(() => {
  for (const c of children) c.kill("SIGKILL");
});

const PY_SERVER = `
import http.server, sys
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *a): pass
    def do_GET(self):
        if self.path == "/fixed":
            body = b"hello world"
            self.send_response(200); self.send_header("Content-Length", str(len(body))); self.end_headers()
            if self.command != "HEAD": self.wfile.write(body)
        elif self.path == "/chunked":
            self.send_response(200); self.send_header("Transfer-Encoding", "chunked"); self.send_header("X-Multi", "a"); self.send_header("X-Multi", "b"); self.end_headers()
            for part in (b"first ", b"second ", b"third"):
                self.wfile.write(b"%x\\r\\n%s\\r\\n" % (len(part), part))
            self.wfile.write(b"0\\r\\nTrailer: x\\r\\n\\r\\n")
        elif self.path == "/chunked-lines":
            self.send_response(200); self.send_header("Transfer-Encoding", "chunked"); self.end_headers()
            for part in (b"one\\ntwo", b" spans\\n", b"end"):
                self.wfile.write(b"%x\\r\\n%s\\r\\n" % (len(part), part))
            self.wfile.write(b"0\\r\\n\\r\\n")
        elif self.path == "/nocontent":
            self.send_response(204); self.end_headers()
        elif self.path == "/close":
            self.send_response(200); self.send_header("Connection", "close"); self.end_headers(); self.wfile.write(b"until close")
            self.close_connection = True
        elif self.path == "/continue":
            self.wfile.write(b"HTTP/1.1 100 Continue\\r\\nX-Skip: me\\r\\n\\r\\n")
            self.send_response(200); self.send_header("Content-Length", "4"); self.end_headers(); self.wfile.write(b"done")
        elif self.path == "/port":
            body = str(self.client_address[1]).encode()
            self.send_response(200); self.send_header("Content-Length", str(len(body))); self.end_headers(); self.wfile.write(body)
        else:
            self.send_error(404)
    do_HEAD = do_GET
    def do_POST(self):
        if self.headers.get("Transfer-Encoding") == "chunked":
            data = b""
            while True:
                size = int(self.rfile.readline().split(b";")[0], 16)
                if size == 0:
                    self.rfile.readline(); break
                data += self.rfile.read(size); self.rfile.readline()
        else:
            data = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        body = b"%s %s %s" % (self.command.encode(), self.headers.get("Host", "").encode(), data)
        self.send_response(201); self.send_header("Content-Length", str(len(body))); self.end_headers(); self.wfile.write(body)
srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
print(srv.server_address[1], flush=True)
srv.serve_forever()
`;

let port = 0;
async function server(): Promise<number> {
  if (port) return port;
  const { child, firstLine } = await startPython(PY_SERVER);
  children.push(child);
  port = Number(firstLine);
  return port;
}

describe("HTTPConnection against python3's http.server", { skip }, () => {
  test("GET with Content-Length: status, reason, version, headers, body", async () => {
    const conn = new HTTPConnection("127.0.0.1", await server(), { timeout: 10 });
    await conn.request("GET", "/fixed");
    const res = await conn.getresponse();
    assert.equal(res.status, 200);
    assert.equal(res.reason, "OK");
    assert.equal(res.version, 11);
    assert.equal(res.getheader("content-length"), "11");
    assert.match(res.getheader("Server") ?? "", /BaseHTTP/);
    assert.equal((await res.read()).toString(), "hello world");
    assert.ok(res.isclosed());
    conn.close();
  });

  test("a chunked body is decoded (trailers dropped); getheader joins repeated headers", async () => {
    const conn = new HTTPConnection(`127.0.0.1:${await server()}`);
    await conn.request("GET", "/chunked");
    const res = await conn.getresponse();
    assert.ok(res.chunked);
    assert.equal(res.getheader("X-Multi"), "a, b");
    assert.equal((await res.read(3)).toString(), "fir");
    assert.equal((await res.read()).toString(), "st second third");
    conn.close();
    const again = new HTTPConnection("127.0.0.1", port);
    await again.request("GET", "/chunked-lines");
    const lines = await again.getresponse();
    assert.equal((await lines.readline()).toString(), "one\n");
    assert.equal((await lines.readline()).toString(), "two spans\n");
    assert.equal((await lines.readline()).toString(), "end");
    assert.equal((await lines.readline()).toString(), "");
    again.close();
    conn.close();
  });

  test("keep-alive: several requests reuse one connection", async () => {
    const conn = new HTTPConnection("127.0.0.1", await server());
    const ports = new Set<string>();
    for (let i = 0; i < 3; i++) {
      await conn.request("GET", "/port");
      ports.add((await (await conn.getresponse()).read()).toString());
    }
    assert.equal(ports.size, 1);
    conn.close();
  });

  test("HEAD, 204 and 100-continue have Python's framing; Connection: close ends the body at EOF", async () => {
    const conn = new HTTPConnection("127.0.0.1", await server());
    await conn.request("HEAD", "/fixed");
    const head = await conn.getresponse();
    assert.equal(head.getheader("Content-Length"), "11");
    assert.equal((await head.read()).length, 0);
    await conn.request("GET", "/nocontent");
    const empty = await conn.getresponse();
    assert.equal(empty.status, 204);
    assert.equal((await empty.read()).length, 0);
    await conn.request("GET", "/continue");
    const cont = await conn.getresponse();
    assert.equal(cont.status, 200);
    assert.equal(cont.getheader("X-Skip"), undefined);
    assert.equal((await cont.read()).toString(), "done");
    await conn.request("GET", "/close");
    const closing = await conn.getresponse();
    assert.ok(closing.willClose);
    assert.equal((await closing.read()).toString(), "until close");
    conn.close();
  });

  test("POST sends Content-Length for bytes and chunked encoding for an iterable body; Host is added", async () => {
    const p = await server();
    const conn = new HTTPConnection("127.0.0.1", p);
    await conn.request("POST", "/", { body: "payload", headers: { "Content-Type": "text/plain" } });
    assert.equal((await (await conn.getresponse()).read()).toString(), `POST 127.0.0.1:${p} payload`);
    await conn.request("POST", "/", { body: [Buffer.from("pa"), "rt", Buffer.from("s")] });
    const res = await conn.getresponse();
    assert.equal(res.status, 201);
    assert.equal((await res.read()).toString(), `POST 127.0.0.1:${p} parts`);
    conn.close();
  });

  test("the state machine follows Python's: ResponseNotReady until the previous body is read", async () => {
    const conn = new HTTPConnection("127.0.0.1", await server());
    await assert.rejects(conn.getresponse(), ResponseNotReady);
    await conn.request("GET", "/fixed");
    const first = await conn.getresponse();
    // Python lets the next request go out now, but not the next getresponse().
    await conn.request("GET", "/port");
    await assert.rejects(conn.request("GET", "/fixed"), CannotSendRequest);
    await assert.rejects(conn.getresponse(), ResponseNotReady);
    assert.equal((await first.read()).toString(), "hello world");
    assert.match((await (await conn.getresponse()).read()).toString(), /^\d+$/);
    conn.close();
  });
});

describe("HTTPConnection input checks", () => {
  test("control characters in method, URL or header are refused before anything is sent", async () => {
    const conn = new HTTPConnection("127.0.0.1", 9);
    await assert.rejects(
      conn.request("GET", "/a b"),
      (e: unknown) => e instanceof InvalidURL && /can't contain control characters/.test(e.message),
    );
    const c2 = new HTTPConnection("127.0.0.1", 9);
    await assert.rejects(c2.request("GET\r\n", "/"), (e: unknown) => e instanceof ValueError);
    const c3 = new HTTPConnection("127.0.0.1", 9);
    await assert.rejects(
      c3.request("GET", "/", { headers: { "X-Bad": "a\r\nInjected: 1" } }),
      (e: unknown) => e instanceof ValueError && /Invalid header value/.test(e.message),
    );
    assert.throws(
      () => new HTTPConnection("host:port"),
      (e: unknown) => e instanceof InvalidURL && e.message === "nonnumeric port: 'port'",
    );
  });
});

/** A server that answers every connection with `reply` (then closes), ignoring the request. */
async function scripted(reply: Buffer): Promise<{ port: number; stop: () => void }> {
  const sock = new Socket();
  await sock.bind(["127.0.0.1", 0]);
  await sock.listen();
  let running = true;
  void (async () => {
    while (running) {
      const [conn] = await sock.accept().catch(() => [null] as const);
      if (!conn) return;
      await conn.recv(65536).catch(() => {});
      await conn.sendall(reply).catch(() => {});
      conn.close();
    }
  })();
  return {
    port: (sock.getsockname() as [string, number])[1],
    stop: () => {
      running = false;
      sock.close();
    },
  };
}

async function fetchFrom(reply: string | Buffer): Promise<unknown> {
  const s = await scripted(typeof reply === "string" ? Buffer.from(reply, "latin1") : reply);
  const conn = new HTTPConnection("127.0.0.1", s.port, { timeout: 5 });
  try {
    await conn.request("GET", "/");
    const res = await conn.getresponse();
    return await res.read();
  } catch (e) {
    return e;
  } finally {
    conn.close();
    s.stop();
  }
}

describe("HTTPResponse faults", () => {
  test("a garbage status line is BadStatusLine; silence is RemoteDisconnected", async () => {
    const garbage = await fetchFrom("garbage\r\n\r\n");
    assert.ok(garbage instanceof BadStatusLine);
    assert.equal(garbage.line, "garbage\r\n"); // as Python keeps it
    assert.ok((await fetchFrom("HTTP/1.1 99 Low\r\n\r\n")) instanceof BadStatusLine);
    const gone = await fetchFrom("");
    assert.ok(gone instanceof RemoteDisconnected, String(gone));
  });

  test("over-long status and header lines, and too many headers, are typed errors", async () => {
    const long = await fetchFrom(`HTTP/1.1 200 ${"x".repeat(70_000)}\r\n\r\n`);
    assert.ok(
      long instanceof LineTooLong && long.message === "got more than 65536 bytes when reading status line",
    );
    const header = await fetchFrom(`HTTP/1.1 200 OK\r\nX: ${"y".repeat(70_000)}\r\n\r\n`);
    assert.ok(header instanceof LineTooLong && /header line/.test(header.message));
    const many = await fetchFrom(`HTTP/1.1 200 OK\r\n${"X: y\r\n".repeat(101)}\r\n`);
    assert.ok(many instanceof HTTPException && many.message === "got more than 100 headers");
  });

  test("a body shorter than its Content-Length is IncompleteRead with what came", async () => {
    const short = await fetchFrom("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhello");
    assert.ok(short instanceof IncompleteRead);
    assert.equal(short.partial.toString(), "hello");
    assert.equal(short.expected, 5);
    assert.equal(short.message, "IncompleteRead(5 bytes read, 5 more expected)");
  });

  test("a chunked body with a bad size line, or cut short, is IncompleteRead", async () => {
    const bad = await fetchFrom(
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n",
    );
    assert.ok(bad instanceof IncompleteRead);
    const cut = await fetchFrom("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab");
    assert.ok(cut instanceof IncompleteRead);
    assert.equal(cut.partial.toString(), "");
  });
});
