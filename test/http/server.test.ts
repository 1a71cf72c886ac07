/** Unit tests of netkit/http/server: the pure parsers (tables and fast-check) and the handler over a socket pair. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { htmlEscape } from "../../src/_html.js";
import { pyFormat } from "../../src/_pyformat.js";
import { ValueError } from "../../src/errors/index.js";
import { formatHttpDate, ifModifiedSinceSeconds, parsedateTz } from "../../src/http/_server/dates.js";
import { parseETagList, parseRange, translatePath, weakMatch } from "../../src/http/_server/files.js";
import { escapeLogControls } from "../../src/http/_server/format.js";
import {
  checkFraming,
  checkHeaderLines,
  collapseLeadingSlashes,
  parseHeaderLines,
  parseRequestLine,
} from "../../src/http/_server/request.js";
import { redirectTarget } from "../../src/http/_server/simple.js";
import { HTTPMessage, parseHeaderBlock } from "../../src/http/message.js";
import { BaseHTTPRequestHandler, HTTPServer, RESPONSES, ThreadingHTTPServer } from "../../src/http/server.js";
import { captureStderr } from "../_support/net.js";
import { EchoHandler, runHandler, statusOf } from "./server-support.js";

describe("parseRequestLine()", () => {
  test("reads RFC 9112's request line, with Python's answers where Python refuses too", () => {
    const ok = (raw: string, proto = "HTTP/1.1") => {
      const r = parseRequestLine(raw, proto);
      assert.ok(r && "ok" in r, raw);
      return r.ok;
    };
    assert.deepEqual(ok("GET / HTTP/1.1\r\n"), {
      command: "GET",
      path: "/",
      requestVersion: "HTTP/1.1",
      closeConnection: false,
    });
    assert.equal(ok("GET / HTTP/1.1\r\n", "HTTP/1.0").closeConnection, true);
    assert.equal(ok("GET //evil.com/x HTTP/1.0").path, "/evil.com/x");
    assert.equal(ok("GET /x").requestVersion, "HTTP/0.9");
    assert.equal(ok("GET / HTTP/1.2").closeConnection, false);
    assert.equal(ok("PATCH /a?b HTTP/1.1\n").command, "PATCH");
    assert.equal(parseRequestLine("\r\n", "HTTP/1.0"), null);
    const err = (raw: string) => {
      const r = parseRequestLine(raw, "HTTP/1.1");
      assert.ok(r && "error" in r, raw);
      return [r.error.code, r.error.message, r.requestVersion];
    };
    assert.deepEqual(err("GET / HTTP/2.0"), [505, "Invalid HTTP version (2.0)", "HTTP/0.9"]);
    assert.deepEqual(err("GET / HTTP/0.9"), [505, "Invalid HTTP version (0.9)", "HTTP/0.9"]);
    assert.deepEqual(err("GET / HTTP/1.1.1"), [400, "Bad request version ('HTTP/1.1.1')", "HTTP/0.9"]);
    assert.deepEqual(err("GET / HTTP/1.1000"), [400, "Bad request version ('HTTP/1.1000')", "HTTP/0.9"]);
    assert.deepEqual(err("GET / HTTP/01.01"), [400, "Bad request version ('HTTP/01.01')", "HTTP/0.9"]);
    assert.deepEqual(err("GET / HTTP/1.0 x"), [400, "Bad request version ('x')", "HTTP/0.9"]);
    assert.deepEqual(err("A B C HTTP/1.0"), [400, "Bad request syntax ('A B C HTTP/1.0')", "HTTP/1.0"]);
    assert.deepEqual(err("GET  / HTTP/1.0"), [400, "Bad request syntax ('GET  / HTTP/1.0')", "HTTP/1.0"]);
    assert.deepEqual(err("  "), [400, "Bad request version ('')", "HTTP/0.9"]);
    assert.deepEqual(err("GE(T / HTTP/1.1"), [400, "Bad request method ('GE(T')", "HTTP/1.1"]);
    assert.deepEqual(err("GET /\xe9 HTTP/1.1"), [400, "Bad request target ('/\xe9')", "HTTP/1.1"]);
    assert.equal(err("GET\t/ HTTP/1.0")[0], 400);
    assert.equal(err("GET\x85/x\xa0HTTP/1.0")[0], 400);
    assert.equal(err("GET / HTTP/1.1\r\r\n")[0], 400);
    assert.deepEqual(err("POST /"), [400, "Bad HTTP/0.9 request type ('POST')", "HTTP/0.9"]);
    assert.deepEqual(err("GET"), [400, "Bad request syntax ('GET')", "HTTP/0.9"]);
    assert.equal(err("GET /\x00 HTTP/1.0")[0], 400);
    assert.equal(err("G\x7fT / HTTP/1.0")[0], 400);
  });

  test("never throws, and what it accepts is RFC 9112's request line or HTTP/0.9's (fast-check, 2000 runs)", () => {
    fc.assert(
      fc.property(
        fc.string({
          unit: fc.integer({ min: 0, max: 255 }).map((c) => String.fromCharCode(c)),
          maxLength: 40,
        }),
        fc.constantFrom("HTTP/1.0", "HTTP/1.1"),
        (raw, proto) => {
          const r = parseRequestLine(raw, proto);
          if (r === null) return /^(?:\r?\n)?$/.test(raw);
          if ("error" in r) return r.error.code === 400 || r.error.code === 505;
          const { command, path } = r.ok;
          return (
            /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+ [!-~]+(?: HTTP\/1\.[0-9])?(?:\r?\n)?$/.test(raw) &&
            raw.startsWith(`${command} `) &&
            !path.startsWith("//")
          );
        },
      ),
      { numRuns: 2000, seed: 11 },
    );
  });

  test("collapseLeadingSlashes() cuts any run of leading slashes to one", () => {
    assert.equal(collapseLeadingSlashes("////a//b"), "/a//b");
    assert.equal(collapseLeadingSlashes("/a"), "/a");
    assert.equal(collapseLeadingSlashes("//"), "/");
  });
});

describe("checkHeaderLines() and checkFraming()", () => {
  test("refuse obs-fold, malformed lines, control characters; accept ordinary headers", () => {
    assert.equal(checkHeaderLines(["Host: a\r\n", "X-Y:z\n", "\r\n"]), null);
    assert.match(checkHeaderLines(["A: b\r\n", " c\r\n"])!.message, /obsolete line folding/);
    assert.match(checkHeaderLines(["A b: c\r\n"])!.message, /malformed header line/);
    assert.match(checkHeaderLines(["A : c\r\n"])!.message, /malformed header line/);
    assert.match(checkHeaderLines([": c\r\n"])!.message, /malformed header line/);
    assert.match(checkHeaderLines(["A: b\rC: d\r\n"])!.message, /control character/);
    assert.equal(checkHeaderLines(["A: tab\there\r\n"]), null);
  });
  test("parseHeaderLines() makes what parseHeaderBlock() makes of every block it accepts (fast-check, 2000 runs)", () => {
    // The server's one-pass parse stands in for Python's lenient parser
    // only where the strict checks pass; there the two must agree.
    const name = fc.oneof(
      fc.stringMatching(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,12}$/),
      fc.constantFrom("From", "From x", "", " X", "\tY", "A b", "Content-Length"),
    );
    const value = fc.oneof(
      fc.string({
        unit: fc.constantFrom(" ", "\t", "a", "Z", "0", ":", ";", "=", "\u00e9", "\u00ff", "~"),
        maxLength: 20,
      }),
      fc.constantFrom("", "  lead", "trail  ", "a\rb", "nul\u0000", "del\u007f", "x\u001fy"),
    );
    const line = fc
      .tuple(name, fc.constantFrom(":", ": ", ":\t ", " :"), value, fc.constantFrom("\r\n", "\n"))
      .map(([n, sep, v, end]) => n + sep + v + end);
    const ending = fc.constantFrom(["\r\n"], ["\n"], [""], [] as string[]);
    fc.assert(
      fc.property(fc.array(line, { maxLength: 8 }), ending, (lines, last) => {
        const block = [...lines, ...last];
        const fields = parseHeaderLines(block);
        const check = checkHeaderLines(block);
        if (!(fields instanceof HTTPMessage)) {
          assert.deepEqual(check, fields);
          assert.equal(fields.code, 400);
          return;
        }
        assert.equal(check, null);
        const python = parseHeaderBlock(block.join(""));
        assert.deepEqual(fields.items(), python.items());
        assert.deepEqual(fields.defects, python.defects);
        assert.equal(fields.payload, python.payload);
      }),
      { numRuns: 2000 },
    );
  });
  const framing = (head: string, version = "HTTP/1.1") => checkFraming(parseHeaderBlock(head), version);
  test("Content-Length and Transfer-Encoding per RFC 9112 6", () => {
    assert.deepEqual(framing("Content-Length: 10\r\n\r\n"), { kind: "length", length: 10 });
    assert.deepEqual(framing("Content-Length: 10\r\nContent-Length: 10\r\n\r\n"), {
      kind: "length",
      length: 10,
    });
    assert.deepEqual(framing("Content-Length: 7, 7\r\n\r\n"), { kind: "length", length: 7 });
    assert.deepEqual(framing("Transfer-Encoding: Chunked\r\n\r\n"), { kind: "chunked" });
    assert.deepEqual(framing('Transfer-Encoding: ,chunked;x="a,b" , \r\n\r\n'), { kind: "chunked" });
    const unknown = framing("Transfer-Encoding: gzip, Chunked\r\n\r\n");
    assert.ok("code" in unknown && unknown.code === 501, JSON.stringify(unknown));
    assert.deepEqual(framing("\r\n"), { kind: "none" });
    for (const bad of [
      "Content-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n",
      "Content-Length: 1\r\nContent-Length: 2\r\n\r\n",
      "Content-Length: -1\r\n\r\n",
      "Content-Length: 1.0\r\n\r\n",
      "Content-Length: \r\n\r\n",
      `Content-Length: ${"1".repeat(16)}\r\n\r\n`,
      "Transfer-Encoding: chunked, identity\r\n\r\n",
      "Transfer-Encoding: chunked, chunked\r\n\r\n",
      "Transfer-Encoding: chunked;x\r\n\r\n",
      "Transfer-Encoding: chun ked\r\n\r\n",
      "Transfer-Encoding: \r\n\r\n",
      "Content-Length: +5\r\n\r\n",
      "Content-Length: 5,\r\n\r\n",
      "Content-Length: 5, 05\r\n\r\n",
      "Host: a\r\nHost: a\r\n\r\n",
    ]) {
      const r = framing(bad);
      assert.ok("code" in r && r.code === 400, bad);
    }
    assert.ok("code" in framing("Transfer-Encoding: chunked\r\n\r\n", "HTTP/1.0"));
  });
});

describe("files", () => {
  test("parseRange() follows RFC 9110 14.1", () => {
    assert.deepEqual(parseRange("bytes=0-9", 100), [{ start: 0, end: 9 }]);
    assert.deepEqual(parseRange("bytes=90-", 100), [{ start: 90, end: 99 }]);
    assert.deepEqual(parseRange("bytes=-10", 100), [{ start: 90, end: 99 }]);
    assert.deepEqual(parseRange("bytes=-1000", 100), [{ start: 0, end: 99 }]);
    assert.deepEqual(parseRange("bytes=50-1000", 100), [{ start: 50, end: 99 }]);
    assert.deepEqual(parseRange("Bytes = 0-0, 5-5", 100), [
      { start: 0, end: 0 },
      { start: 5, end: 5 },
    ]);
    assert.equal(parseRange("bytes=100-", 100), "unsatisfiable");
    assert.equal(parseRange("bytes=-0", 100), "unsatisfiable");
    assert.equal(parseRange("bytes=0-0", 0), "unsatisfiable");
    for (const bad of [
      "bytes=5-1",
      "bytes=a-b",
      "items=0-1",
      "bytes=-",
      "bytes=",
      "bytes=1-2-3",
      `bytes=${"0-0,".repeat(17)}`,
    ]) {
      assert.equal(parseRange(bad, 100), "ignore", bad);
    }
  });
  test("parseRange() only returns ranges inside the content (fast-check, 1000 runs)", () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 30 }).map((s) => `bytes=${s}`),
        fc.nat(1000),
        (header, size) => {
          const r = parseRange(header, size);
          if (typeof r === "string") return true;
          return r.every((x) => x.start >= 0 && x.start <= x.end && x.end < size);
        },
      ),
      { numRuns: 1000, seed: 3 },
    );
  });
  test("entity tags", () => {
    assert.deepEqual(parseETagList('"a", W/"b" ,"c,d"'), ['"a"', 'W/"b"', '"c,d"']);
    assert.equal(parseETagList(" * "), "*");
    assert.ok(weakMatch('W/"x"', '"x"'));
    assert.ok(!weakMatch('"x"', '"y"'));
  });
  test("translatePath() never leaves the directory (fast-check, 2000 runs)", () => {
    fc.assert(
      fc.property(
        fc.string({
          unit: fc.constantFrom("/", ".", "%", "2", "e", "E", "f", "a", "\\", "?", "#"),
          maxLength: 30,
        }),
        (path) => {
          const out = translatePath(path, "/srv/www");
          return (out === "/srv/www" || out.startsWith("/srv/www/")) && !out.split("/").includes("..");
        },
      ),
      { numRuns: 2000, seed: 5 },
    );
  });
  test("redirectTarget() stays on this server", () => {
    assert.equal(redirectTarget("/dir", "a=1", ""), "/dir/?a=1");
    assert.equal(redirectTarget("//evil.com", "", ""), "/evil.com/");
    assert.equal(redirectTarget("/\\evil.com", "", ""), "/evil.com/");
    assert.equal(redirectTarget("/a\\b", "", "f"), "/a%5Cb/#f");
    assert.equal(redirectTarget("", "", ""), "/");
  });
});

describe("format and dates", () => {
  test("pyFormat() does %s %d %r %% and %(name)s", () => {
    assert.equal(pyFormat("code %d, message %s", 404, "x"), "code 404, message x");
    assert.equal(pyFormat("%r and 100%%", "it's"), `"it's" and 100%`);
    assert.equal(pyFormat("%(code)d - %(explain)s", { code: 5, explain: "e" }), "5 - e");
  });
  test("htmlEscape() and escapeLogControls()", () => {
    assert.equal(htmlEscape(`<a href="x">&'`), "&lt;a href=&quot;x&quot;&gt;&amp;&#x27;");
    assert.equal(htmlEscape(`<"'>`, false), `&lt;"'&gt;`);
    assert.equal(escapeLogControls("a\nb\x1b[31m\\\x9b"), "a\\x0ab\\x1b[31m\\\\\\x9b");
  });
  test("formatHttpDate() and the If-Modified-Since reading", () => {
    assert.equal(formatHttpDate(784111777.9), "Sun, 06 Nov 1994 08:49:37 GMT");
    assert.equal(ifModifiedSinceSeconds("Sun, 06 Nov 1994 08:49:37 GMT"), 784111777);
    assert.equal(ifModifiedSinceSeconds("Sunday, 06-Nov-94 08:49:37 GMT"), 784111777);
    assert.equal(ifModifiedSinceSeconds("Sun Nov  6 08:49:37 1994"), 784111777);
    assert.equal(ifModifiedSinceSeconds("Sun, 06 Nov 1994 08:49:37 +0100"), null);
    assert.equal(ifModifiedSinceSeconds("Sun, 30 Feb 1994 08:49:37 GMT"), null);
    assert.equal(ifModifiedSinceSeconds("nonsense"), null);
    assert.deepEqual(parsedateTz("6 Nov 1994 08:49 -0000")?.tzoffset, null);
  });
});

describe("BaseHTTPRequestHandler", () => {
  test("responses is Python's table; dispatch finds do<METHOD>; 501 without one", async () => {
    assert.deepEqual(RESPONSES[404], ["Not Found", "Nothing matches the given URI"]);
    const res = (await runHandler(EchoHandler, Buffer.from("BREW /pot HTTP/1.0\r\n\r\n"))).toString();
    assert.match(res, /^HTTP\/1\.0 501 Unsupported method \('BREW'\)\r\n/);
    assert.match(
      res,
      /Connection: close\r\nContent-Type: text\/html;charset=utf-8\r\nContent-Length: \d+\r\n\r\n<!DOCTYPE HTML>/,
    );
    const head = (await runHandler(EchoHandler, Buffer.from("HEAD /x HTTP/1.0\r\n\r\n"))).toString();
    assert.match(head, /Content-Length: 30\r\n\r\n$/); // the length GET would send, no body
  });

  test("HTTP/1.1 keeps the connection for pipelined requests; Connection: close ends it", async () => {
    class Keep extends EchoHandler {
      override protocolVersion = "HTTP/1.1";
    }
    const res = (
      await runHandler(
        Keep,
        Buffer.from(
          "GET /1 HTTP/1.1\r\n\r\nGET /2 HTTP/1.1\r\nConnection: close\r\n\r\nGET /3 HTTP/1.1\r\n\r\n",
        ),
      )
    ).toString();
    assert.equal(res.match(/HTTP\/1\.1 200/g)?.length, 2);
    assert.doesNotMatch(res, /"\/3"/);
  });

  test("Expect: 100-continue gets 100 Continue before the response", async () => {
    class Keep extends EchoHandler {
      override protocolVersion = "HTTP/1.1";
    }
    const res = (
      await runHandler(
        Keep,
        Buffer.from("POST /u HTTP/1.1\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n"),
      )
    ).toString();
    assert.match(res, /^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 200 OK\r\n/);
  });

  test("logMessage() writes Python's line to stderr, control characters escaped", async () => {
    class Logged extends BaseHTTPRequestHandler {
      async doGET(): Promise<void> {
        this.sendResponse(204);
        await this.endHeaders();
        this.logMessage("agent %s", this.headers.get("User-Agent"));
      }
    }
    const log = await captureStderr(() =>
      runHandler(Logged, Buffer.from("GET /a HTTP/1.0\r\nUser-Agent: x\x9b[2J\\y\r\n\r\n", "latin1")),
    );
    const stamp = String.raw`127\.0\.0\.1 - - \[\d\d/[A-Z][a-z]{2}/\d{4} \d\d:\d\d:\d\d\]`;
    assert.match(
      log,
      new RegExp(String.raw`^${stamp} "GET /a HTTP/1\.0" 204 -\n${stamp} agent x\\x9b\[2J\\\\y\n$`),
    );
  });

  test("versionString(), dateTimeString(), addressString()", async () => {
    let seen: string[] = [];
    class Probe extends BaseHTTPRequestHandler {
      override logMessage(): void {}
      async doGET(): Promise<void> {
        seen = [this.versionString(), this.dateTimeString(0), this.addressString()];
        this.sendResponse(204);
        await this.endHeaders();
      }
    }
    await runHandler(Probe, Buffer.from("GET / HTTP/1.0\r\n\r\n"));
    assert.deepEqual(seen, [
      `BaseHTTP/0.6 Node.js/${process.versions.node}`,
      "Thu, 01 Jan 1970 00:00:00 GMT",
      "127.0.0.1",
    ]);
  });

  test("HTTPServer records serverName and serverPort; ThreadingHTTPServer has daemonThreads", async () => {
    const httpd = new HTTPServer(["127.0.0.1", 0], EchoHandler);
    await httpd.ready;
    assert.equal(httpd.serverName, "localhost");
    assert.equal(httpd.serverPort, httpd.serverAddress[1]);
    assert.equal(httpd.allowReuseAddress, true);
    await httpd.serverClose();
    const threading = new ThreadingHTTPServer(["127.0.0.1", 0], EchoHandler);
    await threading.ready;
    assert.equal(threading.daemonThreads, true);
    await threading.serverClose();
  });

  test("sendHeader() refuses CR or LF and characters beyond latin-1, and reads Connection in any case", async () => {
    const outcomes: string[] = [];
    class Headers extends BaseHTTPRequestHandler {
      override protocolVersion = "HTTP/1.1";
      override logMessage(): void {}
      async doGET(): Promise<void> {
        const tries: Array<[string, string]> = [
          ["X-Split", "a\r\nInjected: 1"],
          ["X-Bare-LF", "a\nb"],
          ["X-Name\r", "v"],
          ["X-Snow", "caf\u00e9 \u2603"],
          ["X-Latin1", "caf\u00e9"],
        ];
        for (const [name, value] of tries) {
          try {
            this.sendHeader(name, value);
            outcomes.push("sent");
          } catch (err) {
            outcomes.push(err instanceof ValueError ? err.message : String(err));
          }
        }
        this.sendHeader("CONNECTION", "Close");
        outcomes.push(`close=${this.closeConnection}`);
        this.sendHeader("connection", "KEEP-ALIVE");
        outcomes.push(`close=${this.closeConnection}`);
        this.sendResponseOnly(200);
        this.sendHeader("Content-Length", 0);
        await this.endHeaders();
      }
    }
    const res = (await runHandler(Headers, Buffer.from("GET / HTTP/1.1\r\nHost: x\r\n\r\n"))).toString(
      "latin1",
    );
    assert.deepEqual(outcomes, [
      "Cannot send header 'X-Split': CR or LF in its name or value",
      "Cannot send header 'X-Bare-LF': CR or LF in its name or value",
      "Cannot send header 'X-Name\\r': CR or LF in its name or value",
      "Cannot encode header 'X-Snow: caf\u00e9 \u2603': character beyond latin-1 at 13",
      "sent",
      "close=true",
      "close=false",
    ]);
    // Only the headers that passed went out; é as one latin-1 byte, as Python encodes it.
    assert.match(res, /X-Latin1: caf\xe9\r\nCONNECTION: Close\r\nconnection: KEEP-ALIVE\r\n/);
    assert.doesNotMatch(res, /Injected|X-Split|X-Snow/);
  });

  test("a status line never carries a character beyond latin-1", async () => {
    class Bad extends BaseHTTPRequestHandler {
      override logMessage(): void {}
      async doGET(): Promise<void> {
        this.sendResponse(200, "OK \u2603");
        await this.endHeaders();
      }
    }
    let res = "";
    await captureStderr(async () => {
      res = (await runHandler(Bad, Buffer.from("GET / HTTP/1.0\r\n\r\n"))).toString();
    });
    assert.equal(statusOf(res), 500);
  });
});
