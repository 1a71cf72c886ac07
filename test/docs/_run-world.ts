/**
 * Runs one `world` or `serves=` example (test/docs/_examples.ts) in the
 * reader's setting, inside a network namespace of its own that
 * test/docs/examples.test.ts made (so ports 8000, 8443 and 9999 are free),
 * with the current folder holding the files the examples name (`ca.pem`,
 * `cert.pem`, `key.pem`, `cookies.lwp`, `cookies.txt`). Exits 0 when the
 * example did its job, else 1 with the reason on stderr.
 *
 *     node --import tsx test/docs/_run-world.ts SETTING FILE TIMEOUT_MS
 *
 * - `world`: the reader's servers start first (HTTP on 127.0.0.1:8000 and
 *   [::1]:8000, TLS on 127.0.0.1:8443 and [::1]:8443), then the values the
 *   example declares are made, then it runs to its end.
 * - `serves=PROBE:ADDRESS`: the example is started and not awaited (it serves
 *   until killed); PROBE then connects to ADDRESS, retrying while nothing
 *   listens there yet, until it gets the answer that server should give.
 *
 * A `ForkingMixIn` example forks workers that run this file again: there,
 * only the example runs (its workers handle what the primary accepts).
 */
import { execFile } from "node:child_process";
import cluster from "node:cluster";
import { createSocket } from "node:dgram";
import { readFileSync } from "node:fs";
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { connect, createServer as createNetServer, type Server } from "node:net";
import { Readable } from "node:stream";
import { connect as tlsConnect } from "node:tls";
import { pathToFileURL } from "node:url";
import { FieldStorage } from "../../src/cgi/index.js";
import { BaseHTTPRequestHandler, HTTPServer } from "../../src/http/server.js";
import { createConnection, createServer } from "../../src/socket/index.js";
import { ForkingTCPServer } from "../../src/socketserver/forking.js";
import { StreamRequestHandler } from "../../src/socketserver/handlers.js";
import { setProvided } from "./_world-values.js";

const [setting = "", file = "", timeoutArg = "30000"] = process.argv.slice(2);
const deadline = Date.now() + Number(timeoutArg);

type Example = { default: () => Promise<void> };
const load = (): Promise<Example> => import(pathToFileURL(file).href) as Promise<Example>;

/** What the reader's HTTP server answers: status, content type, body, more headers. */
type Answer = [status: number, type: string, body: string | Buffer, headers?: Record<string, string>];

/** The reader's HTTP server: the paths the examples ask for. */
function answer(req: IncomingMessage, body: Buffer): Answer {
  const path = req.url ?? "/";
  if (path === "/robots.txt") return [200, "text/plain", "User-agent: *\nDisallow: /private\n"];
  if (path === "/private") {
    const ok = req.headers.authorization === `Basic ${Buffer.from("alice:s3cret").toString("base64")}`;
    if (ok) return [200, "text/plain", "welcome, alice\n"];
    return [401, "text/plain", "who are you?\n", { "WWW-Authenticate": 'Basic realm="realm"' }];
  }
  if (path === "/form" && req.method === "POST") return [200, "text/plain", `you sent ${body}\n`];
  if (path === "/big.iso") return [200, "application/octet-stream", Buffer.alloc(256 * 1024, 7)];
  if (path === "/RPC2" && req.method === "POST") {
    // The one call the XML-RPC examples make: examples.getStateName(41), as in Python's docs.
    const call = /<methodName>examples\.getStateName<\/methodName>.*<(?:int|i4)>41<\/(?:int|i4)>/s.test(
      String(body),
    );
    const value = call
      ? "<params><param><value><string>South Dakota</string></value></param></params>"
      : "<fault><value><struct><member><name>faultCode</name><value><int>1</int></value></member>" +
        "<member><name>faultString</name><value><string>unknown call</string></value></member></struct></value></fault>";
    return [200, "text/xml", `<?xml version="1.0"?><methodResponse>${value}</methodResponse>`];
  }
  return [
    200,
    "text/html; charset=utf-8",
    "<!DOCTYPE html><title>hello</title><p>hello from the reader's server</p>\n",
  ];
}

/** Listens on `port` at 127.0.0.1 and, where the namespace has IPv6, at ::1 (for `localhost`). */
async function listenBoth(make: () => Server, port: number): Promise<void> {
  await new Promise<void>((resolve, reject) =>
    make().once("error", reject).listen(port, "127.0.0.1", resolve),
  );
  await new Promise<void>((resolve) =>
    make()
      .once("error", () => resolve())
      .listen(port, "::1", resolve),
  );
}

async function startReadersServers(): Promise<void> {
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const [status, type, body, headers] = answer(req, Buffer.concat(chunks));
      res.writeHead(status, { "Content-Type": type, "Content-Length": Buffer.byteLength(body), ...headers });
      res.end(body);
    });
  };
  await listenBoth(() => createHttpServer(handler), 8000);
  const tls = { cert: readFileSync("cert.pem"), key: readFileSync("key.pem") };
  await listenBoth(() => createHttpsServer(tls, handler), 8443);
}

/** Makes the values the example declares (only those it uses). */
async function provideValues(source: string): Promise<void> {
  const wants = (name: string) => source.includes(`provide("${name}")`);
  if (wants("sock")) {
    // "connected to an SMTP server": one that greets nothing and answers every line with 250.
    const smtp = createNetServer((c) => {
      c.on("error", () => {});
      c.on("data", () => c.write("250 mail.example.org\r\n"));
    });
    await new Promise<void>((resolve) => smtp.listen(2525, "127.0.0.1", resolve));
    setProvided("sock", await createConnection(["127.0.0.1", 2525], { timeout: 10 }));
  }
  if (wants("listener")) {
    // "bound and listening": a TLS client that trusts the test CA connects once the example accepts.
    const listener = await createServer(["127.0.0.1", 0]);
    const [, port] = listener.getsockname() as [string, number];
    setProvided("listener", listener);
    const client = tlsConnect({
      port,
      host: "127.0.0.1",
      servername: "localhost",
      ca: readFileSync("ca.pem"),
    });
    client.on("error", (err) => fail(`the TLS client of "listener" failed: ${err.message}`));
  }
  if (wants("form")) {
    // "read from a request with an upload": big enough to be in a temporary file.
    const body = multipartBody(Buffer.alloc(200 * 1024, 1));
    const form = await FieldStorage.read({
      fp: Readable.from([body.bytes]),
      headers: { "content-type": body.type, "content-length": String(body.bytes.length) },
      environ: { REQUEST_METHOD: "POST" },
    });
    setProvided("form", form);
  }
  if (wants("req")) {
    // "in doPOST": a netkit server's handler, held in doPOST until this process ends.
    let handOver: (req: BaseHTTPRequestHandler) => void = () => {};
    const held = new Promise<BaseHTTPRequestHandler>((resolve) => (handOver = resolve));
    class Held extends BaseHTTPRequestHandler {
      async doPOST(): Promise<void> {
        handOver(this);
        await new Promise(() => {});
      }
    }
    const server = new HTTPServer(["127.0.0.1", 0], Held);
    void server.serveForever();
    await server.ready;
    const [, port] = server.serverAddress as [string, number];
    const body = multipartBody(Buffer.from("an upload"));
    const post = connect(port, "127.0.0.1");
    post.on("error", () => {});
    post.write(`POST /upload HTTP/1.1\r\nHost: x\r\nContent-Type: ${body.type}\r\n`);
    post.write(`Content-Length: ${body.bytes.length}\r\n\r\n`);
    post.write(body.bytes);
    setProvided("req", await held);
  }
  if (wants("server")) {
    const server = new ForkingTCPServer(["127.0.0.1", 0], StreamRequestHandler);
    await server.ready;
    setProvided("server", server);
  }
}

/** A multipart/form-data body: a text field `name` and a file field `file` holding `upload`. */
function multipartBody(upload: Buffer): { type: string; bytes: Buffer } {
  const boundary = "netkit-example-boundary";
  const head =
    `--${boundary}\r\nContent-Disposition: form-data; name="name"\r\n\r\nvalue\r\n` +
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.bin"\r\n` +
    "Content-Type: application/octet-stream\r\n\r\n";
  const bytes = Buffer.concat([Buffer.from(head), upload, Buffer.from(`\r\n--${boundary}--\r\n`)]);
  return { type: `multipart/form-data; boundary=${boundary}`, bytes };
}

function fail(reason: string): never {
  process.stderr.write(`${reason}\n`);
  process.exit(1);
}

/** Connects, says `request`, and resolves with everything said back once `done(reply)` holds; null if refused. */
function tcpProbe(
  target: number | string,
  request: string,
  done: (reply: string) => boolean,
): Promise<string | null> {
  return new Promise((resolve) => {
    const s = typeof target === "number" ? connect(target, "127.0.0.1") : connect(target);
    let reply = "";
    s.setTimeout(5000, () => s.destroy());
    s.on("connect", () => s.write(request));
    s.on("data", (d: Buffer) => {
      reply += d.toString("latin1");
      if (done(reply)) {
        s.destroy();
        resolve(reply);
      }
    });
    s.on("error", () => resolve(null));
    s.on("close", () => resolve(done(reply) ? reply : null));
  });
}

function udpProbe(port: number): Promise<string | null> {
  return new Promise((resolve) => {
    const s = createSocket("udp4");
    const timer = setTimeout(() => {
      s.close();
      resolve(null);
    }, 1000);
    s.on("message", (m) => {
      clearTimeout(timer);
      s.close();
      resolve(m.toString());
    });
    s.send("hello", port, "127.0.0.1");
  });
}

/**
 * Node has no AF_UNIX datagram socket: python3 sends the datagram. Not
 * execFileSync: a forking server's primary (this process) relays the reply.
 */
function unixDatagramProbe(path: string): Promise<string | null> {
  const script = `
import os, socket, sys, tempfile
me = os.path.join(tempfile.mkdtemp(), "probe")
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); s.bind(me); s.settimeout(5)
s.sendto(b"hello", sys.argv[1]); sys.stdout.write(s.recv(100).decode())`;
  return new Promise((resolve) => {
    execFile("python3", ["-c", script, path], { encoding: "utf8", timeout: 10_000 }, (error, stdout) =>
      resolve(error ? null : stdout),
    );
  });
}

const XMLRPC_CALL =
  '<?xml version="1.0"?><methodCall><methodName>system.listMethods</methodName><params/></methodCall>';

/** One attempt of PROBE at ADDRESS: the answer, or null when nothing (right) answered yet. */
async function probeOnce(probe: string, address: string): Promise<string | null> {
  const port = Number(address);
  switch (probe) {
    case "http":
      return tcpProbe(port, "GET / HTTP/1.0\r\n\r\n", (r) => /^HTTP\/1\.[01] \d{3} .*\r\n/.test(r));
    case "xmlrpc":
      return tcpProbe(
        port,
        `POST /RPC2 HTTP/1.0\r\nContent-Type: text/xml\r\nContent-Length: ${XMLRPC_CALL.length}\r\n\r\n${XMLRPC_CALL}`,
        (r) => /^HTTP\/1\.[01] 200 /.test(r) && r.includes("</methodResponse>"),
      );
    case "echo":
      return tcpProbe(port, "hello\n", (r) => r === "hello\n");
    case "unix-echo":
      return tcpProbe(address, "hello\n", (r) => r === "hello\n");
    case "udp-echo":
      return udpProbe(port);
    case "unix-udp-echo":
      return unixDatagramProbe(address);
    default:
      return fail(`unknown probe "${probe}"`);
  }
}

async function main(): Promise<void> {
  if (cluster.isWorker) {
    await (await load()).default(); // a ForkingMixIn worker: the primary probes
    return;
  }
  const timer = setTimeout(() => fail(`did not finish within ${timeoutArg} ms`), deadline - Date.now());
  process.on("unhandledRejection", (error) => fail(`unhandled rejection: ${String(error)}`));
  if (setting === "world") {
    await startReadersServers();
    await provideValues(readFileSync(file, "utf8"));
    await (await load()).default();
    clearTimeout(timer);
    process.exit(0);
  }
  const [, probe = "", address = ""] = /^serves=([\w-]+):(.+)$/.exec(setting) ?? [];
  if (!probe) fail(`unknown setting "${setting}"`);
  const example = await load();
  let ended: string | null = null;
  example.default().then(
    () => (ended = "the example returned before it served"),
    (error: unknown) => (ended = error instanceof Error ? (error.stack ?? error.message) : String(error)),
  );
  // Bounded by the deadline above; each attempt waits for the server's answer or its refusal.
  for (;;) {
    if (ended) fail(ended);
    if ((await probeOnce(probe, address)) !== null) {
      clearTimeout(timer);
      process.exit(0);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

await main();
