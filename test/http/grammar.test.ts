/**
 * RFC 9110/9112's grammar as netkit's HTTP client and server both read it
 * (src/http/_grammar.ts): tables of each rule, then fast-check near-misses
 * of each (a valid token with one bad byte, a chunk size with a sign, a
 * space, a prefix, an underscore or an overflow, Content-Length lists,
 * versions with an extra digit) that both sides must refuse, with the valid
 * forms they must accept. The client side is judged on HTTPResponse over
 * bytes in memory and on putrequest/putheader (nothing is sent); the server
 * side on the pure parsers BaseHTTPRequestHandler runs.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import {
  isToken,
  parseChunkSize,
  parseContentLength,
  parseFieldBlock,
  parseHttpVersion,
  transferCodings,
} from "../../src/_http_grammar.js";
import { ValueError } from "../../src/errors/index.js";
import { HTTPResponse } from "../../src/http/_client/response.js";
import { checkFraming, parseHeaderLines, parseRequestLine } from "../../src/http/_server/request.js";
import { HTTPConnection } from "../../src/http/client.js";
import {
  BadStatusLine,
  HTTPException,
  InvalidChunk,
  InvalidContentLength,
  InvalidHeader,
} from "../../src/http/errors.js";
import { HTTPMessage, parseHeaderBlock } from "../../src/http/message.js";
import { BytesSource } from "../../src/io/memory.js";
import { BufferedReader } from "../../src/io/reader.js";
import type { Socket } from "../../src/socket/socket.js";

const TCHARS = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
const token = fc.stringMatching(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,12}$/);
/** Any latin-1 character that is not a tchar. */
const nonTchar = fc
  .integer({ min: 0, max: 255 })
  .map((c) => String.fromCharCode(c))
  .filter((c) => !TCHARS.includes(c));
/** A valid token with one character replaced by, or one inserted that is, not a tchar. */
const nearToken = fc.tuple(token, nonTchar, fc.nat(), fc.boolean()).map(([t, bad, at, replace]) => {
  const i = at % (t.length + (replace ? 0 : 1));
  return t.slice(0, i) + bad + t.slice(replace ? i + 1 : i);
});

/** A socket stand-in for an HTTPResponse read from memory: nothing to close, no timeout. */
const NO_SOCKET = { close() {}, fileno: () => -1, gettimeout: () => null } as unknown as Socket;

/** An HTTPResponse over `raw` (latin-1), read from memory in chunks of 7 bytes. */
function responseOf(raw: string, method = "GET"): HTTPResponse {
  return new HTTPResponse(
    NO_SOCKET,
    new BufferedReader(new BytesSource(Buffer.from(raw, "latin1"), 7)),
    method,
  );
}

/** What reading the whole of `raw` as a response gives: the body, or the error. */
async function readResponse(raw: string, method = "GET"): Promise<Buffer | Error> {
  const res = responseOf(raw, method);
  try {
    await res.begin();
    return await res.read();
  } catch (err) {
    return err as Error;
  }
}

/** The server's answer to a request head: "ok", or the status it refuses with. */
function serverVerdict(head: string): "ok" | number {
  const nl = head.indexOf("\n");
  const line = parseRequestLine(head.slice(0, nl + 1), "HTTP/1.1");
  if (line === null) return 0;
  if ("error" in line) return line.error.code;
  const fields = parseHeaderLines(head.slice(nl + 1));
  if (!(fields instanceof HTTPMessage)) return fields.code;
  const framing = checkFraming(fields, line.ok.requestVersion);
  return "code" in framing ? framing.code : "ok";
}

describe("the grammar's rules", () => {
  test("isToken() takes RFC 9110's tchar and nothing else", () => {
    assert.ok(isToken("GET"));
    assert.ok(isToken(TCHARS));
    for (const bad of ["", "GE T", "G\x00T", "a:b", "(x)", "é", "a\tb", "a\x7f", "\u0100"]) {
      assert.equal(isToken(bad), false, JSON.stringify(bad));
    }
  });

  test("parseHttpVersion() takes HTTP/ DIGIT . DIGIT exactly", () => {
    assert.deepEqual(parseHttpVersion("HTTP/1.1"), [1, 1]);
    assert.deepEqual(parseHttpVersion("HTTP/2.0"), [2, 0]);
    for (const bad of [
      "HTTP/1.1000",
      "HTTP/1.10",
      "HTTP/01.1",
      "HTTP/1",
      "HTTP/1.",
      "http/1.1",
      "HTTP/1,1",
      "HTTP/².",
    ]) {
      assert.equal(parseHttpVersion(bad), null, bad);
    }
  });

  test("parseChunkSize() takes 1*HEXDIG [chunk-ext] and nothing else", () => {
    assert.equal(parseChunkSize("10"), 16);
    assert.equal(parseChunkSize("fF"), 255);
    assert.equal(parseChunkSize("0000000000000000000001"), 1); // leading zeros are digits
    assert.equal(parseChunkSize("5;name"), 5);
    assert.equal(parseChunkSize('5 ; name = value ;x="q;\\"uoted"'), 5);
    assert.equal(parseChunkSize("1fffffffffffff"), 2 ** 53 - 1);
    for (const bad of [
      "0x10", // the regression: int("0x10", 16) is 16 in Python
      "+5",
      "-5",
      " 5",
      "5 ",
      "5\t",
      "5_0",
      "",
      "g",
      "5;",
      "5;=x",
      "5;a=",
      '5;a="open',
      "5;a=b c",
      "20000000000000", // 2^53: past Number.MAX_SAFE_INTEGER
      "5\r",
    ]) {
      assert.equal(parseChunkSize(bad), null, JSON.stringify(bad));
    }
  });

  test("parseContentLength() takes 1*DIGIT, or a list of one value repeated", () => {
    assert.equal(parseContentLength(["42"]), 42);
    assert.equal(parseContentLength(["42, 42", "42"]), 42);
    assert.equal(parseContentLength([" 0 "]), 0);
    for (const bad of [
      ["+5"],
      ["-1"],
      ["5, 6"],
      ["5", "6"],
      ["5,"],
      [""],
      ["1 2"],
      ["0x5"],
      ["5.0"],
      ["1".repeat(16)],
    ]) {
      assert.equal(parseContentLength(bad), null, JSON.stringify(bad));
    }
  });

  test("transferCodings() lists the codings, checking parameters and skipping empty elements", () => {
    assert.deepEqual(transferCodings(["gzip, Chunked"]), ["gzip", "chunked"]);
    assert.deepEqual(transferCodings([" , chunked ;q=1", "", "x"]), ["chunked", "x"]);
    assert.deepEqual(transferCodings(['chunked;a="b,c"']), ["chunked"]);
    for (const bad of [["chun ked"], ["chunked;"], ["chunked;a"], ["chunked x"], ["(x)"]]) {
      assert.equal(transferCodings(bad), null, JSON.stringify(bad));
    }
  });

  test("parseFieldBlock() refuses or unfolds obs-fold, and refuses malformed lines and controls", () => {
    const reject = parseFieldBlock("A: 1\r\n  two \r\nB:\t3 \r\n\r\n", "reject");
    assert.deepEqual(reject, { fault: "obs-fold", line: "  two " });
    const unfold = parseFieldBlock("A: 1 \r\n  two \r\n\tthree\r\nB:\t3 \n\n", "unfold");
    assert.ok(unfold instanceof HTTPMessage);
    assert.deepEqual(unfold.items(), [
      ["A", "1 two three"],
      ["B", "3 "],
    ]);
    assert.deepEqual(parseFieldBlock(" A: 1\r\n", "unfold"), { fault: "obs-fold", line: " A: 1" });
    for (const [block, fault] of [
      ["A : 1\r\n", "malformed"],
      ["A\x00: 1\r\n", "malformed"],
      [": 1\r\n", "malformed"],
      ["no colon\r\n", "malformed"],
      ["A: 1\x00\r\n", "control"],
      ["A: 1\rB: 2\r\n", "control"],
      ["A: 1\x7f\r\n", "control"],
      ["A: 1\r\n \x01\r\n", "control"],
    ] as const) {
      const got = parseFieldBlock(block, "unfold");
      assert.ok(!(got instanceof HTTPMessage), JSON.stringify(block));
      assert.equal(got.fault, fault, JSON.stringify(block));
    }
  });

  test("parseFieldBlock() makes what Python's parser makes of every block it accepts (fast-check, 1000 runs)", () => {
    const name = fc.oneof(token, fc.constantFrom("A b", " X", "", "X\x00"));
    const value = fc.string({
      unit: fc.constantFrom(" ", "\t", "a", ":", ";", "\u00e9", "\u00ff", "\x00", "\r", "\x7f"),
      maxLength: 12,
    });
    const line = fc
      .tuple(name, fc.constantFrom(":", ": ", " :"), value, fc.constantFrom("\r\n", "\n"))
      .map((p) => p.join(""));
    fc.assert(
      fc.property(fc.array(line, { maxLength: 8 }), fc.constantFrom("\r\n", "\n", ""), (lines, end) => {
        const text = lines.join("") + end;
        const strict = parseFieldBlock(text, "reject");
        if (!(strict instanceof HTTPMessage)) return;
        assert.deepEqual(strict.items(), parseHeaderBlock(text).items(), JSON.stringify(text));
      }),
      { numRuns: 1000, seed: 9112 },
    );
  });
});

describe("near-misses: the client and the server both refuse them (fast-check)", () => {
  test("a method or field name with one non-tchar byte: putrequest/putheader throw ValueError, the server answers 400", () => {
    fc.assert(
      fc.property(nearToken, token, (bad, good) => {
        const conn = new HTTPConnection("127.0.0.1", 9);
        assert.throws(
          () => conn.putrequest(bad, "/"),
          (e: unknown) => e instanceof ValueError,
          `putrequest(${JSON.stringify(bad)})`,
        );
        conn.putrequest(good, "/");
        assert.throws(
          () => conn.putheader(bad, "v"),
          (e: unknown) => e instanceof ValueError && /^Invalid header name/.test((e as Error).message),
          `putheader(${JSON.stringify(bad)})`,
        );
        conn.putheader(good, "v");
        // The server: as a method, and as a header name (an LF ends the line there: another test's business).
        if (bad.includes("\n")) return;
        assert.equal(
          serverVerdict(`${bad} / HTTP/1.1\r\nHost: h\r\n\r\n`),
          400,
          `method ${JSON.stringify(bad)}`,
        );
        // (A colon in a name is, on the wire, where the name ends: "a:b: v" is the field "a".)
        if (!bad.includes(":")) {
          assert.equal(
            serverVerdict(`GET / HTTP/1.1\r\n${bad}: v\r\n\r\n`),
            400,
            `name ${JSON.stringify(bad)}`,
          );
        }
        assert.equal(serverVerdict(`${good} / HTTP/1.1\r\n${good}: v\r\n\r\n`), "ok");
      }),
      { numRuns: 400, seed: 1 },
    );
  });

  test("a header value with a control character: putheader throws, the server answers 400, the client refuses the response", async () => {
    const control = fc.constantFrom(..."\x00\x01\x08\x0a\x0b\x0c\x0d\x1b\x1f\x7f".split(""));
    const text = fc.stringMatching(/^[ -~\x80-\xff\t]{0,10}$/);
    await fc.assert(
      fc.asyncProperty(text, control, text, async (a, c, b) => {
        const bad = a + c + b;
        const conn = new HTTPConnection("127.0.0.1", 9);
        conn.putrequest("GET", "/");
        assert.throws(() => conn.putheader("X", bad), ValueError, JSON.stringify(bad));
        conn.putheader("X", a + b);
        // A CR or LF would end the line early on the wire: test the others in place.
        if (c === "\n") return;
        assert.equal(serverVerdict(`GET / HTTP/1.1\r\nX: ${bad}\r\n\r\n`), 400, JSON.stringify(bad));
        const got = await readResponse(`HTTP/1.1 200 OK\r\nX: ${bad}\r\nContent-Length: 0\r\n\r\n`);
        assert.ok(got instanceof InvalidHeader, `${JSON.stringify(bad)}: ${String(got)}`);
      }),
      { numRuns: 200, seed: 2 },
    );
  });

  test("versions with an extra or missing digit, a sign or a case change: 400 on the server, BadStatusLine on the client", async () => {
    const digit = fc.integer({ min: 0, max: 9 }).map(String);
    const nearVersion = fc.oneof(
      fc.tuple(digit, digit, fc.stringMatching(/^[0-9]{1,4}$/)).map(([a, b, c]) => `HTTP/${a}.${b}${c}`),
      fc.tuple(digit, digit, fc.stringMatching(/^[0-9]{1,3}$/)).map(([a, b, c]) => `HTTP/${a}${c}.${b}`),
      fc
        .tuple(digit, digit, fc.constantFrom("+", "-", " ", "x", ","))
        .map(([a, b, s]) => `HTTP/${a}${s}${b}`),
      fc.tuple(digit, digit).map(([a, b]) => `http/${a}.${b}`),
      digit.map((a) => `HTTP/${a}`),
      digit.map((a) => `HTTP/${a}.`),
    );
    await fc.assert(
      fc.asyncProperty(nearVersion, async (version) => {
        const verdict = serverVerdict(`GET / ${version}\r\nHost: h\r\n\r\n`);
        assert.equal(verdict, 400, version);
        const got = await readResponse(`${version} 200 OK\r\nContent-Length: 0\r\n\r\n`);
        assert.ok(got instanceof BadStatusLine, `${version}: ${String(got)}`);
      }),
      { numRuns: 300, seed: 3 },
    );
    for (const [version, verdict] of [
      ["HTTP/1.0", "ok"],
      ["HTTP/1.1", "ok"],
      ["HTTP/1.9", "ok"],
      ["HTTP/2.0", 505],
      ["HTTP/0.9", 505],
    ] as const) {
      assert.equal(serverVerdict(`GET / ${version}\r\nHost: h\r\n\r\n`), verdict, version);
    }
  });

  test("a chunk size with a sign, whitespace, a 0x prefix, an underscore or an overflow: InvalidChunk on the client", async () => {
    const hex = fc.stringMatching(/^[0-9a-fA-F]{1,6}$/);
    const near = fc.oneof(
      fc.tuple(fc.constantFrom("+", "-", " ", "\t", "0x", "0X", "_"), hex).map(([p, h]) => p + h),
      fc.tuple(hex, fc.constantFrom(" ", "\t", "_", "h", "x", ".")).map(([h, s]) => h + s),
      fc.tuple(hex, hex).map(([a, b]) => `${a}_${b}`),
      hex.map((h) => `fffffffffffff${h}`), // past 2^53
    );
    await fc.assert(
      fc.asyncProperty(near, async (size) => {
        assert.equal(parseChunkSize(size), null, size);
        const got = await readResponse(
          `HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n${size}\r\n${"x".repeat(16)}\r\n0\r\n\r\n`,
        );
        assert.ok(got instanceof InvalidChunk, `${JSON.stringify(size)}: ${String(got)}`);
        assert.equal(got.code, "ERR_HTTP_INVALID_CHUNK");
      }),
      { numRuns: 300, seed: 4 },
    );
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 300 }), fc.boolean(), async (n, upper) => {
        const size = upper ? n.toString(16).toUpperCase() : n.toString(16);
        const got = await readResponse(
          `HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n${size};ext=1\r\n${"y".repeat(n)}\r\n0\r\nT: x\r\n\r\n`,
        );
        assert.ok(Buffer.isBuffer(got) && got.length === n, `${size}: ${String(got)}`);
      }),
      { numRuns: 100, seed: 5 },
    );
  });

  test("Content-Length lists: one value repeated is one; a sign, values that differ or a non-number fail on both sides", async () => {
    const length = fc.integer({ min: 0, max: 40 });
    const sep = fc.constantFrom(",", ", ", " ,", " , ");
    const valid = fc
      .tuple(length, fc.integer({ min: 1, max: 3 }), sep, fc.boolean())
      .map(([n, times, s, lines]): [number, string[]] => [
        n,
        lines
          ? Array.from({ length: times }, () => String(n))
          : [Array.from({ length: times }, () => String(n)).join(s)],
      ]);
    const invalid = fc.oneof(
      length.map((n) => [`+${n}`]),
      length.map((n) => [`-${n}`]),
      fc
        .tuple(length, length)
        .filter(([a, b]) => a !== b)
        .map(([a, b]) => [`${a}, ${b}`]),
      fc
        .tuple(length, length)
        .filter(([a, b]) => a !== b)
        .map(([a, b]) => [String(a), String(b)]),
      length.map((n) => [`${n},`]),
      length.map((n) => [`0${n}, ${n}`]),
      length.map((n) => [`${n}.0`]),
      length.map((n) => [`0x${n}`]),
      length.map((n) => [`${n} ${n}`]),
      fc.constant(["1".repeat(16)]),
    );
    await fc.assert(
      fc.asyncProperty(valid, async ([n, values]) => {
        const head = values.map((v) => `Content-Length: ${v}\r\n`).join("");
        assert.equal(parseContentLength(values), n);
        assert.equal(serverVerdict(`POST / HTTP/1.1\r\n${head}\r\n`), "ok", head);
        const got = await readResponse(`HTTP/1.1 200 OK\r\n${head}\r\n${"z".repeat(n)}NEXT`);
        assert.ok(Buffer.isBuffer(got) && got.toString() === "z".repeat(n), `${head}: ${String(got)}`);
      }),
      { numRuns: 150, seed: 6 },
    );
    await fc.assert(
      fc.asyncProperty(invalid, async (values) => {
        const head = values.map((v) => `Content-Length: ${v}\r\n`).join("");
        assert.equal(serverVerdict(`POST / HTTP/1.1\r\n${head}\r\n`), 400, head);
        const got = await readResponse(`HTTP/1.1 200 OK\r\n${head}\r\nbody`);
        assert.ok(got instanceof InvalidContentLength, `${head}: ${String(got)}`);
        assert.equal(got.code, "ERR_HTTP_INVALID_CONTENT_LENGTH");
      }),
      { numRuns: 200, seed: 7 },
    );
  });

  test("a status code that is not three digits is BadStatusLine; three digits from 100 are taken", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.integer({ min: 0, max: 99 }).map(String),
          fc.integer({ min: 1000, max: 99999 }).map(String),
          fc.integer({ min: 100, max: 999 }).map((n) => `+${n}`),
          fc.integer({ min: 100, max: 99 * 10 }).map((n) => `0${n}`),
          fc.integer({ min: 100, max: 999 }).map((n) => `${String(n).slice(0, 1)}_${String(n).slice(1)}`),
          fc.integer({ min: 100, max: 999 }).map((n) => ` ${n}`),
        ),
        async (code) => {
          const got = await readResponse(`HTTP/1.1 ${code} Reason\r\nContent-Length: 0\r\n\r\n`);
          assert.ok(got instanceof BadStatusLine, `${JSON.stringify(code)}: ${String(got)}`);
        },
      ),
      { numRuns: 200, seed: 8 },
    );
    for (const code of [200, 299, 404, 599, 999]) {
      const res = responseOf(`HTTP/1.1 ${code} R\r\nContent-Length: 0\r\n\r\n`);
      await res.begin();
      assert.equal(res.status, code);
    }
    assert.ok((await readResponse("HTTP/1.1 200 OK\x00\r\n\r\n")) instanceof BadStatusLine);
    assert.ok((await readResponse("HTTP/1.1  200 OK\r\n\r\n")) instanceof BadStatusLine);
    assert.ok((await readResponse("HTTP/1.1\t200 OK\r\n\r\n")) instanceof BadStatusLine);
    assert.ok(await readResponse("HTTP/1.1 204\r\n\r\n"), "no reason, no space: taken");
    assert.ok(!((await readResponse("HTTP/1.1 204\r\n\r\n")) instanceof HTTPException));
  });
});
