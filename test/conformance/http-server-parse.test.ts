/**
 * Differential: BaseHTTPRequestHandler's request parsing against python3's,
 * on generated raw requests (request lines with Python's odd whitespace,
 * versions, header blocks, pipelined requests). Both run the same echo
 * handler; their whole output (minus Date and Server) must be equal, except
 * where netkit refuses on purpose (its "Bad request: ..." 400s), which are
 * counted and checked to be 400s.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { hasCommand, peerSkip } from "../_support/peers.js";
import { python } from "../_support/python.js";
import { EchoHandler, PY_ECHO_HANDLER, runHandler, stripVolatile } from "../http/server-support.js";

const skip = peerSkip("python3", hasCommand("python3"));

const PY_RUN = `${PY_ECHO_HANDLER}
import base64, io, sys
cfg = json.load(sys.stdin)
out = []
for case in cfg:
    h = H.__new__(H)
    h.rfile = io.BufferedReader(io.BytesIO(base64.b64decode(case["raw"])))
    h.wfile = io.BytesIO()
    h.client_address = ("127.0.0.1", 1)
    h.server = None
    h.protocol_version = case["proto"]
    try:
        h.handle()
        out.append(base64.b64encode(h.wfile.getvalue()).decode())
    except Exception as e:
        out.append("EXC " + repr(e))
print(json.dumps(out))
`;

const sp = fc.constantFrom(" ", " ", " ", "  ", "\t", "\x0b", "\x0c", "\x1c", "\x85", "\xa0");
const method = fc.constantFrom("GET", "GET", "POST", "HEAD", "PUT", "get", "BREW", "G\x00T");
const target = fc.oneof(
  fc.constantFrom(
    "/",
    "/a?b=c",
    "//evil.com/x",
    "///x",
    "/%2e%2e/",
    "*",
    "http://h/p",
    "/x#f",
    "/\x7f",
    "/\x01",
  ),
  fc.stringMatching(/^\/[!-~\x80-\xff]{0,12}$/),
);
const version = fc.constantFrom(
  "HTTP/1.0",
  "HTTP/1.1",
  "HTTP/1.1",
  "HTTP/2.0",
  "HTTP/0.9",
  "HTTP/1",
  "HTTP/1.1.1",
  "HTTP/01.01",
  "http/1.1",
  "HTTP/1.x",
  "HTTP/12345678901.1",
  "HTTP/².1",
  "HTTP/1.10",
);
const eol = fc.constantFrom("\r\n", "\r\n", "\n");
const requestLine = fc.oneof(
  { weight: 8, arbitrary: fc.tuple(method, sp, target, sp, version).map((p) => p.join("")) },
  { weight: 1, arbitrary: fc.tuple(method, sp, target).map((p) => p.join("")) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(method, sp, target, sp, version, sp, fc.constantFrom("x", "HTTP/1.1"))
      .map((p) => p.join("")),
  },
  { weight: 1, arbitrary: fc.constantFrom("", " ", "GET", "\t\t") },
);
const headerName = fc.constantFrom("Host", "Connection", "Content-Type", "X-A", "Accept", "Expect", "Cookie");
const headerValue = fc.oneof(
  fc.constantFrom("close", "keep-alive", "Keep-Alive", "100-continue", "x", "", " spaced ", "a:b"),
  fc.stringMatching(/^[ -~]{0,10}$/),
);
const header = fc
  .tuple(headerName, fc.constantFrom(": ", ":", ":  "), headerValue)
  .map(([n, s, v]) => `${n}${s}${v}`);
const request = fc
  .tuple(requestLine, eol, fc.array(fc.tuple(header, eol), { maxLength: 5 }), eol)
  .map(([line, e1, headers, e2]) => `${line}${e1}${headers.map(([h, e]) => h + e).join("")}${e2}`);
const raw = fc.oneof(
  { weight: 5, arbitrary: request },
  { weight: 1, arbitrary: fc.tuple(request, request).map(([a, b]) => a + b) },
  { weight: 1, arbitrary: fc.tuple(requestLine, eol).map(([l, e]) => l + e) },
);

describe("BaseHTTPRequestHandler parsing against python3", { skip }, () => {
  test("600 generated raw requests: same responses, or a deliberate 400", async () => {
    const cases = fc.sample(fc.record({ raw, proto: fc.constantFrom("HTTP/1.0", "HTTP/1.1") }), {
      numRuns: 600,
      seed: 424242,
    });
    const py = await python<string[]>(
      PY_RUN,
      cases.map((c) => ({ raw: Buffer.from(c.raw, "latin1").toString("base64"), proto: c.proto })),
    );
    let compared = 0;
    let refused = 0;
    for (const [i, c] of cases.entries()) {
      class Echo extends EchoHandler {
        override protocolVersion = c.proto;
        override headerTimeout = null;
      }
      const mine = await runHandler(Echo, Buffer.from(c.raw, "latin1"));
      const theirs = py[i]!;
      assert.ok(!theirs.startsWith("EXC"), `python3 raised on ${JSON.stringify(c.raw)}: ${theirs}`);
      const mineText = mine.toString("latin1");
      const theirsText = Buffer.from(theirs, "base64").toString("latin1");
      if (mineText.includes("Message: Bad request: ")) {
        refused++;
        // A 400, or for an HTTP/0.9 request the bare error page (no status line, as Python sends).
        assert.match(
          mineText,
          /^(?:HTTP\/1\.[01] 400 Bad request: |<!DOCTYPE HTML>)/,
          `refusal for ${JSON.stringify(c.raw)}`,
        );
        assert.match(mineText, /Error code: 400/);
        continue;
      }
      compared++;
      assert.equal(
        stripVolatile(mineText),
        stripVolatile(theirsText),
        `request ${JSON.stringify(c.raw)} (${c.proto})`,
      );
    }
    assert.ok(compared > 450, `compared ${compared}, refused ${refused}`);
    assert.ok(refused > 5, `the generator should reach netkit's strict checks (refused ${refused})`);
  });
});
