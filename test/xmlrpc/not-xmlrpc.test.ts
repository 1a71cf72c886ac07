/**
 * A server that answers an XML-RPC call with a 200 that is not XML-RPC at
 * all (an HTML login page, a proxy's JSON, nothing): `ResponseError` saying
 * what came back (the Content-Type, the size, the first bytes), with the
 * parser's own complaint as its cause. Python raises that complaint alone
 * (`ExpatError: mismatched tag`, an empty `ResponseError()`), which names
 * none of it. A methodResponse that is merely broken keeps Python's errors.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { BaseHTTPRequestHandler, ThreadingHTTPServer } from "../../src/http/server.js";
import { ExpatError, ResponseError, ServerProxy } from "../../src/xmlrpc/client.js";

/** Content-Type and body by path. */
const ANSWERS: Record<string, [string, string]> = {
  "/login": [
    "text/html; charset=utf-8",
    "<!DOCTYPE html>\n<html><head><title>Sign in</title></head><body><form>\n<p>User<br><input name=u></p></form></body></html>",
  ],
  "/xhtml": ["text/html", "<html><body>ok</body></html>"],
  "/json": ["application/json", '{"error": "use JSON-RPC"}'],
  "/empty": ["text/xml", ""],
  "/long": ["text/plain", `${"x".repeat(500)}`],
  "/broken": [
    "text/xml",
    "<?xml version='1.0'?>\n<methodResponse><params><param><value><int>1</int></value>",
  ],
  "/unknown-tag": [
    "text/xml",
    "<methodResponse><params><param><value><blob>1</blob></value></param></params></methodResponse>",
  ],
};

class Canned extends BaseHTTPRequestHandler {
  override protocolVersion = "HTTP/1.1";
  override logMessage(): void {}
  async doPOST(): Promise<void> {
    await this.rfile.read(Number(this.headers.get("content-length") ?? 0));
    const [type, text] = ANSWERS[this.path] ?? ["text/plain", "?"];
    const body = Buffer.from(text);
    this.sendResponse(200);
    this.sendHeader("Content-Type", type);
    this.sendHeader("Content-Length", String(body.length));
    await this.endHeaders();
    await this.wfile.write(body);
  }
}

let server: ThreadingHTTPServer;
let serving: Promise<void>;
let base = "";
before(async () => {
  server = new ThreadingHTTPServer(["127.0.0.1", 0], Canned);
  await server.ready;
  base = `http://127.0.0.1:${server.serverAddress[1]}`;
  serving = server.serveForever(0.05);
});
after(async () => {
  void server.shutdown();
  await serving;
  await server.serverClose();
});

/** What one call to `path` throws. */
async function failure(path: string): Promise<Error> {
  await using proxy = new ServerProxy(`${base}${path}`);
  try {
    await proxy.anything(1);
  } catch (err) {
    return err as Error;
  }
  throw new Error(`the call to ${path} did not fail`);
}

test("ServerProxy: an HTML page with a 200 is a ResponseError that says what came back", async () => {
  const err = await failure("/login");
  assert.ok(err instanceof ResponseError && !(err instanceof ExpatError), String(err));
  assert.equal(err.code, "ERR_XMLRPC_RESPONSE");
  assert.equal(
    err.message,
    "Cannot read the XML-RPC response: the server sent text/html; charset=utf-8 (120 bytes): " +
      "'<!DOCTYPE html> <html><head><title>Sign in</title></head><body><form> <p>User<br><input name=u></p></form></body></html>'",
  );
  assert.ok(err.cause instanceof ResponseError, "the parser's error is the cause");
});

test("ServerProxy: well-formed HTML, JSON, an empty body and long text each say what came back", async () => {
  const expected: Record<string, string> = {
    "/xhtml": "the server sent text/html (28 bytes): '<html><body>ok</body></html>'",
    "/json": `the server sent application/json (25 bytes): '{"error": "use JSON-RPC"}'`,
    "/empty": "the server sent text/xml with an empty body",
    "/long": `the server sent text/plain (500 bytes): '${"x".repeat(120)}...'`,
  };
  for (const [path, tail] of Object.entries(expected)) {
    const err = await failure(path);
    assert.ok(err instanceof ResponseError, `${path}: ${String(err)}`);
    assert.equal(err.message, `Cannot read the XML-RPC response: ${tail}`, path);
  }
});

test("ServerProxy: a broken methodResponse keeps Python's errors", async () => {
  const broken = await failure("/broken");
  assert.ok(broken instanceof ExpatError, String(broken));
  assert.match(broken.message, /^no element found: line 2, column \d+$/);
  const unknown = await failure("/unknown-tag");
  assert.ok(unknown instanceof ResponseError && !(unknown instanceof ExpatError), String(unknown));
  assert.doesNotMatch(unknown.message, /Cannot read the XML-RPC response/);
});
