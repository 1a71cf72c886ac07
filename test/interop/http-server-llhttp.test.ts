/**
 * Differential: which request heads netkit's HTTPServer accepts (its
 * `parseRequest` passes, so a do-method is dispatched) and which it refuses
 * (an error status, or a close), against Node's own HTTP server (llhttp, with
 * `insecureHTTPParser` off: its `request` event fires or it does not), on the
 * same generated requests over loopback.
 *
 * Each request is a valid one with at most one deviation, of a known kind.
 * RFC 9110/9112 decide what netkit must do with each kind (`rfc`); llhttp
 * must do the same, except for the kinds in the table below, where llhttp
 * and the RFC disagree and netkit follows the RFC. Nothing is filtered out:
 * a kind that is not in the table and disagrees fails the test.
 */
import assert from "node:assert/strict";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import fc from "fast-check";
import { BaseHTTPRequestHandler } from "../../src/http/server.js";
import { rawRequest, startServer } from "../http/server-support.js";

type Verdict = "accept" | "refuse";

interface Kind {
  /** What the deviation is. */
  name: string;
  /** What RFC 9110/9112 say a server does with it (and netkit does). */
  rfc: Verdict;
  /** llhttp's verdict where it differs from the RFC's: the table of known disagreements. */
  llhttp?: Verdict;
  /** Why, with the RFC section. */
  why: string;
  /** Generates a request with this deviation. */
  make: fc.Arbitrary<string>;
}

const TCHARS = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
/** Methods llhttp knows (it refuses every other token). */
const METHOD = fc.constantFrom("GET", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "HEAD");
const PATH = fc.oneof(
  fc.constantFrom("/", "/p?q=1", "/a/b.html", "*", "http://h/p", "/x#f", "/%2e%2e/"),
  fc.stringMatching(/^\/[A-Za-z0-9._~!$&'()*+,;=:@%/-]{0,16}$/),
);
const NAME = fc.oneof(
  fc.constantFrom("Accept", "X-A", "User-Agent", "Cookie", "x_y"),
  fc
    .stringMatching(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,10}$/)
    .filter((n) => !/^(host|content-length|transfer-encoding|connection|expect|upgrade)$/i.test(n)),
);
const VALUE = fc.stringMatching(/^[!-~\x80-\xff]([ \t!-~\x80-\xff]{0,14}[!-~\x80-\xff])?$/);
const FIELDS = fc
  .array(fc.tuple(NAME, fc.constantFrom(": ", ":", ":\t"), VALUE), { maxLength: 4 })
  .map((fields) => fields.map(([n, s, v]) => `${n}${s}${v}\r\n`).join(""));

/** A valid request: `line`, `fields` and the framing headers and body given. */
function request(line: string, fields = "", framing = "", body = ""): string {
  return `${line}\r\nHost: h\r\n${fields}${framing}Connection: close\r\n\r\n${body}`;
}
const validLine = fc.tuple(METHOD, PATH).map(([m, p]) => `${m} ${p} HTTP/1.1`);

/** A character that is not a tchar (LF excluded: it ends the line instead). */
const nonTchar = fc
  .integer({ min: 0, max: 255 })
  .map((c) => String.fromCharCode(c))
  .filter((c) => !TCHARS.includes(c) && c !== "\n");
const insert = (text: string, bad: string, at: number) => {
  const i = 1 + (at % text.length);
  return text.slice(0, i) + bad + text.slice(i);
};

const KINDS: Kind[] = [
  {
    name: "none: a valid request",
    rfc: "accept",
    why: "RFC 9112 3, 5",
    make: fc
      .tuple(validLine, FIELDS, fc.constantFrom("", "\r\n", "\r\n\r\n"))
      .map(([l, f, lead]) => lead + request(l, f)),
  },
  {
    name: "a body framed by Content-Length or chunked",
    rfc: "accept",
    why: "RFC 9112 6",
    make: fc.oneof(
      fc
        .integer({ min: 0, max: 20 })
        .map((n) => request("POST / HTTP/1.1", "", `Content-Length: ${n}\r\n`, "b".repeat(n))),
      fc
        .constantFrom("chunked", "Chunked", ", chunked", "chunked;a=b")
        .map((te) => request("POST / HTTP/1.1", "", `Transfer-Encoding: ${te}\r\n`, "3\r\nabc\r\n0\r\n\r\n")),
    ),
  },
  {
    name: "a method with a byte that is not a tchar",
    rfc: "refuse",
    why: "RFC 9110 9.1: method = token",
    make: fc.tuple(METHOD, nonTchar, fc.nat()).map(([m, c, at]) => request(`${insert(m, c, at)} / HTTP/1.1`)),
  },
  {
    name: "a control character, DEL or a byte past ASCII in the target",
    rfc: "refuse",
    why: "RFC 9112 3.2: the target is URI characters",
    make: fc
      .tuple(
        fc.oneof(
          fc.integer({ min: 0, max: 0x1f }).filter((c) => c !== 0x0a),
          fc.integer({ min: 0x7f, max: 0xff }),
        ),
        fc.nat(),
      )
      .map(([c, at]) => request(`GET ${insert("/abc", String.fromCharCode(c), at)} HTTP/1.1`)),
  },
  {
    name: "a version with a digit too many or missing, or the wrong case",
    rfc: "refuse",
    why: "RFC 9112 2.3: HTTP-version = HTTP-name '/' DIGIT '.' DIGIT",
    make: fc
      .constantFrom(
        "HTTP/1.1000",
        "HTTP/1.10",
        "HTTP/11.1",
        "HTTP/01.1",
        "HTTP/1",
        "HTTP/1.",
        "http/1.1",
        "HTTP/1,1",
        "HTTP/3.0",
      )
      .map((v) => request(`GET / ${v}`)),
  },
  {
    name: "a bare CR ending the request line",
    rfc: "refuse",
    why: "RFC 9112 2.2: a bare CR is invalid",
    make: fc.constant("GET / HTTP/1.1\r\r\nHost: h\r\nConnection: close\r\n\r\n"),
  },
  {
    name: "a field name with a byte that is not a tchar, or whitespace before the colon",
    rfc: "refuse",
    why: "RFC 9112 5.1: field-name = token, no whitespace before the colon",
    make: fc.oneof(
      fc
        .tuple(
          NAME,
          nonTchar.filter((c) => c !== ":" && c !== "\r"),
          fc.nat(),
        )
        .map(([n, c, at]) => request("GET / HTTP/1.1", `${insert(`${n}x`, c, at)}: v\r\n`)),
      fc
        .tuple(NAME, fc.constantFrom(" ", "\t", "  "))
        .map(([n, ws]) => request("GET / HTTP/1.1", `${n}${ws}: v\r\n`)),
    ),
  },
  {
    name: "obs-fold",
    rfc: "refuse",
    why: "RFC 9112 5.2: a server may refuse it with 400 (netkit does)",
    make: fc.constantFrom(" ", "\t", "  ").map((ws) => request("GET / HTTP/1.1", `X-A: a\r\n${ws}b\r\n`)),
  },
  {
    name: "a control character (NUL, bare CR, ...) or DEL in a field value",
    rfc: "refuse",
    why: "RFC 9110 5.5: field-vchar; CR, LF and NUL must be refused or replaced",
    make: fc
      .tuple(
        fc.integer({ min: 0, max: 0x1f }).filter((c) => c !== 0x09 && c !== 0x0a),
        fc.boolean(),
      )
      .map(([c, del]) => request("GET / HTTP/1.1", `X-A: a${del ? "\x7f" : String.fromCharCode(c)}b\r\n`)),
  },
  {
    name: "a Content-Length with a sign, junk, or values that differ",
    rfc: "refuse",
    why: "RFC 9110 8.6: Content-Length = 1*DIGIT; RFC 9112 6.3 item 5",
    make: fc
      .constantFrom("+5", "-5", "5a", "0x5", "5 5", "5.0", "", "5\r\nContent-Length: 6")
      .map((cl) => request("POST / HTTP/1.1", "", `Content-Length: ${cl}\r\n`, "hello")),
  },
  {
    name: "Transfer-Encoding not ending in chunked, chunked twice, or with Content-Length",
    rfc: "refuse",
    why: "RFC 9112 6.1, 6.3 items 3 and 4",
    make: fc
      .constantFrom("chunked, gzip", "chunked\r\nTransfer-Encoding: chunked", "chunked\r\nContent-Length: 5")
      .map((te) => request("POST / HTTP/1.1", "", `Transfer-Encoding: ${te}\r\n`, "0\r\n\r\n")),
  },
  // ---- The table: where llhttp and the RFCs disagree, and netkit follows the RFCs. ----
  {
    name: "more than one SP between the parts of the request line",
    rfc: "refuse",
    llhttp: "accept",
    why: "RFC 9112 3: one SP; parsing on any whitespace is allowed but named a smuggling risk, and netkit does not",
    make: fc.constantFrom("GET  / HTTP/1.1", "GET /  HTTP/1.1", "GET /   HTTP/1.1").map((l) => request(l)),
  },
  {
    name: "a minor version above 1",
    rfc: "accept",
    llhttp: "refuse",
    why: "RFC 9110 2.5: a higher minor version is read as the highest one the server implements",
    make: fc.integer({ min: 2, max: 9 }).map((m) => request(`GET / HTTP/1.${m}`)),
  },
  {
    name: "HTTP/2.0 or HTTP/0.9 written out in an HTTP/1 request line",
    rfc: "refuse",
    llhttp: "accept",
    why: "RFC 9110 15.6.6: 505 for a major version the server does not support",
    make: fc.constantFrom("HTTP/2.0", "HTTP/0.9").map((v) => request(`GET / ${v}`)),
  },
  {
    name: "bare CRs before the request line",
    rfc: "refuse",
    llhttp: "accept",
    why: "RFC 9112 2.2: only empty lines (CRLF) may come first; a bare CR is invalid",
    make: fc.constantFrom("\r", "\r\r", "\r\r\n").map((lead) => lead + request("GET / HTTP/1.1")),
  },
  {
    name: "LF alone as the line end",
    rfc: "accept",
    llhttp: "refuse",
    why: "RFC 9112 2.2: a recipient may take a lone LF as a line end (Python does)",
    make: fc
      .tuple(validLine, fc.boolean())
      .map(([l, all]) =>
        all ? `${l}\nHost: h\nConnection: close\n\n` : `${l}\r\nHost: h\nConnection: close\r\n\r\n`,
      ),
  },
  {
    name: "a Content-Length list of one value repeated",
    rfc: "accept",
    llhttp: "refuse",
    why: "RFC 9110 8.6 and RFC 9112 6.3 item 5: such a list may be taken as the one value",
    make: fc
      .constantFrom("5, 5", "5,5", "5\r\nContent-Length: 5")
      .map((cl) => request("POST / HTTP/1.1", "", `Content-Length: ${cl}\r\n`, "hello")),
  },
  {
    name: "a transfer coding before chunked that the server does not implement",
    rfc: "refuse",
    llhttp: "accept",
    why: "RFC 9112 6.1: a server answers 501 to a transfer coding it does not understand",
    make: fc
      .constantFrom("gzip, chunked", "x-custom, chunked")
      .map((te) => request("POST / HTTP/1.1", "", `Transfer-Encoding: ${te}\r\n`, "0\r\n\r\n")),
  },
  {
    name: "Transfer-Encoding in an HTTP/1.0 request",
    rfc: "refuse",
    llhttp: "accept",
    why: "RFC 9112 6.1: an HTTP/1.0 message with Transfer-Encoding was likely forwarded without decoding it",
    make: fc.constant(request("POST / HTTP/1.0", "", "Transfer-Encoding: chunked\r\n", "0\r\n\r\n")),
  },
  {
    name: "two Host lines",
    rfc: "refuse",
    llhttp: "accept",
    why: "RFC 9112 3.2: a server must answer 400 to more than one Host",
    make: fc.constant(request("GET / HTTP/1.1", "Host: h\r\n")),
  },
  {
    name: "a method llhttp does not list (methods are extensible tokens)",
    rfc: "accept",
    llhttp: "refuse",
    why: "RFC 9110 9.1: method = token; 16.1: new methods are registered, not fixed",
    make: fc.constantFrom("BREW", "get", "X-CUSTOM", "Q~!").map((m) => request(`${m} / HTTP/1.1`)),
  },
];

let netkitAccepted = 0;
class Probe extends BaseHTTPRequestHandler {
  override protocolVersion = "HTTP/1.1";
  override logMessage(): void {}
  override async parseRequest(): Promise<boolean> {
    const ok = await super.parseRequest();
    if (ok) {
      netkitAccepted++;
      // Answer every method here: which do-methods exist is not what is compared.
      this.command = "GET";
    }
    return ok;
  }
  async doGET(): Promise<void> {
    this.sendResponse(200);
    this.sendHeader("Content-Length", 0);
    await this.endHeaders();
  }
}

let llhttpAccepted = 0;
const node = http.createServer({ insecureHTTPParser: false, requireHostHeader: false }, (req, res) => {
  llhttpAccepted++;
  req.resume();
  res.end("ok");
});

let netkit: Awaited<ReturnType<typeof startServer>>;
let nodePort = 0;
before(async () => {
  netkit = await startServer(Probe);
  await new Promise<void>((resolve) => node.listen(0, "127.0.0.1", resolve));
  nodePort = (node.address() as AddressInfo).port;
});
after(async () => {
  await netkit.close();
  node.close();
});

/** Whether each server accepted `raw`. */
async function verdicts(raw: string): Promise<{ netkit: Verdict; llhttp: Verdict }> {
  const n = netkitAccepted;
  const l = llhttpAccepted;
  await Promise.all([rawRequest(netkit.port, raw), rawRequest(nodePort, raw)]);
  return {
    netkit: netkitAccepted > n ? "accept" : "refuse",
    llhttp: llhttpAccepted > l ? "accept" : "refuse",
  };
}

describe(`HTTPServer's accept/refuse decisions against llhttp ${process.versions.llhttp} (node:http)`, () => {
  for (const kind of KINDS) {
    test(`${kind.name}: netkit ${kind.rfc}s (${kind.why})${kind.llhttp ? `; llhttp ${kind.llhttp}s` : ""}`, async () => {
      const cases = [...new Set(fc.sample(kind.make, { numRuns: 25, seed: 9112 }))];
      for (const raw of cases) {
        const got = await verdicts(raw);
        const label = `${JSON.stringify(raw)}: netkit ${got.netkit}ed, llhttp ${got.llhttp}ed`;
        assert.equal(got.netkit, kind.rfc, label);
        assert.equal(got.llhttp, kind.llhttp ?? kind.rfc, label);
      }
    });
  }
});
