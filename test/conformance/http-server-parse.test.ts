/**
 * Differential: BaseHTTPRequestHandler's request parsing against python3's,
 * on generated raw requests (request lines with Python's odd whitespace,
 * versions, header blocks, pipelined requests). Both run the same echo
 * handler; their whole output (minus Date and Server) must be equal where
 * every request in the input follows RFC 9112's grammar (judged by the
 * oracle below, written apart from netkit's parser). Where one does not,
 * netkit may refuse where Python serves (RFC 9112 wins: python3 is lenient),
 * and then its last answer must be the refusal: 400 or 505 (or, for a line
 * without a version, the bare error page Python sends there too).
 * Empty lines before a request are skipped by netkit (RFC 9112 2.2) and end
 * the connection in Python, so Python is given the input without them.
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

const sp = fc.oneof(
  { weight: 20, arbitrary: fc.constant(" ") },
  { weight: 3, arbitrary: fc.constantFrom("  ", "\t", "\x0b", "\x0c", "\x1c", "\x85", "\xa0") },
);
const method = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom("GET", "GET", "POST", "HEAD", "PUT", "get", "BREW") },
  { weight: 1, arbitrary: fc.constantFrom("G\x00T", "G(T", "GET\xa0") },
);
const target = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom("/", "/a?b=c", "//evil.com/x", "///x", "/%2e%2e/", "*", "http://h/p", "/x#f"),
  },
  { weight: 3, arbitrary: fc.stringMatching(/^\/[!-~]{0,12}$/) },
  { weight: 1, arbitrary: fc.constantFrom("/\x7f", "/\x01", "/\x85") },
  { weight: 1, arbitrary: fc.stringMatching(/^\/[!-~\x80-\xff]{0,12}$/) },
);
const version = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom("HTTP/1.0", "HTTP/1.1") },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
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
      "HTTP/1.1000",
      "HTTP/1.2",
    ),
  },
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

// The oracle: RFC 9112's request head, as regular expressions written from the RFC (not from netkit).
const TOKEN = "[!#$%&'*+\\-.^_`|~0-9A-Za-z]+";
const REQUEST_LINE = new RegExp(`^(?:${TOKEN} [!-~]+ HTTP/1\\.[0-9]|GET [!-~]+)\r?\n`);
const FIELD_LINE = new RegExp(`^${TOKEN}:[\t -~\x80-\xff]*\r?\n`);
const EMPTY_LINE = /^\r?\n/;

/** True when every request head in `raw` follows RFC 9112 (and has at most one Host). */
function rfcValid(raw: string): boolean {
  let rest = raw.replace(/^(?:\r?\n){1,8}/, "");
  while (rest !== "") {
    const line = REQUEST_LINE.exec(rest);
    if (!line) return false;
    rest = rest.slice(line[0].length);
    if (!line[0].includes(" HTTP/")) return true; // HTTP/0.9: no headers, and the connection ends
    let hosts = 0;
    for (let field = FIELD_LINE.exec(rest); field; field = FIELD_LINE.exec(rest)) {
      if (/^host:/i.test(field[0])) hosts++;
      rest = rest.slice(field[0].length);
    }
    const end = EMPTY_LINE.exec(rest);
    if (!end || hosts > 1) return rest === "" && hosts <= 1; // a head cut short by the end of input
    rest = rest.slice(end[0].length);
  }
  return true;
}

describe("BaseHTTPRequestHandler parsing against python3", { skip }, () => {
  test("600 generated raw requests: same responses where RFC 9112 holds, else a refusal", async () => {
    const cases = fc.sample(fc.record({ raw, proto: fc.constantFrom("HTTP/1.0", "HTTP/1.1") }), {
      numRuns: 600,
      seed: 424242,
    });
    // Python closes at an empty line where netkit skips it: Python gets the rest.
    const forPython = (text: string) => text.replace(/^(?:\r?\n){1,8}/, "");
    const py = await python<string[]>(
      PY_RUN,
      cases.map((c) => ({ raw: Buffer.from(forPython(c.raw), "latin1").toString("base64"), proto: c.proto })),
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
      const mineText = stripVolatile(mine);
      const theirsText = stripVolatile(Buffer.from(theirs, "base64"));
      const label = `request ${JSON.stringify(c.raw)} (${c.proto})\npython: ${JSON.stringify(theirsText.slice(0, 200))}\nnetkit: ${JSON.stringify(mineText.slice(0, 200))}`;
      if (rfcValid(c.raw) || mineText === theirsText) {
        compared++;
        assert.equal(mineText, theirsText, label);
        continue;
      }
      refused++;
      // The last answer is the refusal: its error page (after a status line, or bare where the
      // request named no usable version, as Python sends it), or for HEAD its status line alone.
      const lastOf = (re: RegExp) => [...mineText.matchAll(re)].pop()?.[1];
      if (mineText.endsWith("</html>\n")) {
        assert.match(lastOf(/Error code: (\d{3})/g) ?? "", /^(?:400|505)$/, label);
      } else {
        assert.match(lastOf(/(?:^|\n)HTTP\/1\.[01] (\d{3}) /g) ?? "", /^(?:400|505)$/, label);
        assert.ok(mineText.endsWith("\r\n\r\n"), label);
      }
    }
    assert.ok(compared > 250, `compared ${compared}, refused ${refused}`);
    assert.ok(refused > 100, `the generator should reach RFC 9112's refusals (refused ${refused})`);
  });
});
