import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { BytesSource } from "../../src/io/memory.js";
import { BufferedReader } from "../../src/io/reader.js";
import { ProtocolError } from "../../src/textproto/errors.js";
import {
  HTTPMessage,
  MAX_HEADER_BYTES,
  parseHeaderBlock,
  readHeaders,
  splitLines,
} from "../../src/textproto/header.js";
import { rejectsWith } from "./_support.js";

const reader = (text: string) => new BufferedReader(new BytesSource(Buffer.from(text, "latin1"), 5));

describe("HTTPMessage", () => {
  test("get() is case-insensitive and returns the first; getAll() keeps wire order", () => {
    const msg = parseHeaderBlock("Set-Cookie: a=1\r\nHost: h\r\nset-cookie: b=2\r\n\r\n");
    assert.equal(msg.get("HOST"), "h");
    assert.equal(msg.get("set-cookie"), "a=1");
    assert.deepEqual(msg.getAll("Set-Cookie"), ["a=1", "b=2"]);
    assert.equal(msg.getAll("missing"), undefined);
    assert.equal(msg.get("missing", "default"), "default");
    assert.deepEqual([...msg], ["Set-Cookie", "Host", "set-cookie"]);
    assert.equal(msg.length, 3);
  });

  test("add() appends, delete() removes every match, replaceHeader() keeps the place", () => {
    const msg = new HTTPMessage();
    msg.add("A", "1");
    msg.add("B", "2");
    msg.add("a", "3");
    msg.replaceHeader("b", "two");
    msg.delete("A");
    assert.deepEqual(msg.items(), [["B", "two"]]);
    assert.throws(() => msg.replaceHeader("nope", "x"), /KeyError/);
    assert.equal(msg.toString(), "B: two\n\n");
  });

  test("a folded header keeps its line breaks, as Python's compat32 policy does", () => {
    assert.deepEqual(parseHeaderBlock("A: 1\r\n folded\r\n\tmore\r\nC: 3\r\n\r\n").items(), [
      ["A", "1\r\n folded\r\n\tmore"],
      ["C", "3"],
    ]);
  });

  test("a line without a colon ends the headers and starts the payload, with a defect", () => {
    const msg = parseHeaderBlock("A: 1\r\nnocolon\r\nC: 3\r\n\r\n");
    assert.deepEqual(msg.items(), [["A", "1"]]);
    assert.equal(msg.payload, "nocolon\r\nC: 3\r\n\r\n");
    assert.deepEqual(
      msg.defects.map((d) => d.name),
      ["MissingHeaderBodySeparatorDefect"],
    );
  });

  test("splitLines() ends lines at CRLF, LF and a lone CR", () => {
    assert.deepEqual(splitLines("a\r\nb\nc\rd"), ["a\r\n", "b\n", "c\r", "d"]);
    assert.deepEqual(splitLines("\r\r\n\n\r"), ["\r", "\r\n", "\n", "\r"]);
    assert.deepEqual(splitLines(""), []);
  });
});

/**
 * The reference model: parseHeaderBlock as it was written first, a line at
 * a time with Python's regexes (CPython's `feedparser.headerRE`, `NLCRE`,
 * `NLCRE_eol`) and `_parse_headers` rule for rule. Slow on adversarial
 * blocks (a regex and a few strings a line); the one-pass parser must make
 * the same message of every block.
 */
function referenceParse(text: string): HTTPMessage {
  const HEADER_LINE = /^(?:From |[\x21-\x39\x3b-\x7e]*:|[\t ])/;
  const msg = new HTTPMessage();
  const lines = splitLines(text);
  let bodyStart = lines.length;
  const headerLines: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (!HEADER_LINE.test(line)) {
      if (/^(?:\r\n|\r|\n)/.test(line)) bodyStart = i + 1;
      else {
        msg.defects.push({ name: "MissingHeaderBodySeparatorDefect" });
        bodyStart = i;
      }
      break;
    }
    headerLines.push(line);
  }
  let unread = "";
  let lastLines: string[] = [];
  const flush = () => {
    if (lastLines.length === 0) return;
    const first = lastLines[0]!;
    const colon = first.indexOf(":");
    const value = first.slice(colon + 1).replace(/^[ \t]+/, "") + lastLines.slice(1).join("");
    msg.add(first.slice(0, colon), value.replace(/[\r\n]+$/, ""));
    lastLines = [];
  };
  for (const [n, line] of headerLines.entries()) {
    if (line[0] === " " || line[0] === "\t") {
      if (lastLines.length === 0) msg.defects.push({ name: "FirstHeaderLineIsContinuationDefect", line });
      else lastLines.push(line);
      continue;
    }
    flush();
    if (line.startsWith("From ")) {
      if (n === 0) msg.unixfrom = line.replace(/(?:\r\n|\r|\n)$/, "");
      else if (n === headerLines.length - 1) unread = line;
      else msg.defects.push({ name: "MisplacedEnvelopeHeaderDefect", line });
      continue;
    }
    if (line.indexOf(":") === 0) {
      msg.defects.push({ name: "InvalidHeaderDefect", line });
      continue;
    }
    lastLines = [line];
  }
  flush();
  msg.payload = unread + lines.slice(bodyStart).join("");
  return msg;
}

/** Everything a parsed message holds, for comparing two. */
function summary(msg: HTTPMessage) {
  return { items: msg.items(), defects: msg.defects, payload: msg.payload, unixfrom: msg.unixfrom };
}

describe("parseHeaderBlock()", () => {
  // Pieces biased toward what is costly or tricky for a line parser: runs
  // of CR, LF and CRLF, runs of spaces and tabs (folds), `From ` lines,
  // colons first, names of every printable character, non-ASCII and
  // invalid-UTF-8 replacement characters; runs up to 40 long, so that
  // lines, names and blanks cross the 32 characters read one at a time
  // before a native search takes over.
  const run = (unit: string) => fc.integer({ min: 1, max: 40 }).map((k) => unit.repeat(k));
  const piece = fc.oneof(
    fc.constantFrom("\r\n", "\n", "\r", " ", "\t", ":", "From ", "From", "a:", "A-b:", ": ", ";", "=", '"'),
    fc.constantFrom("\u00e9", "\u00ff", "\ufffd", "\u0000", "\u007f", "\u2028", "\ud800", "\u{1f600}"),
    fc.stringMatching(/^[!-~]{1,6}$/),
    run("\r"),
    run("\n"),
    run("\r\n"),
    run(" "),
    run("\t"),
    run(" \t"),
    run("x"),
    run("A-b_"),
    run(" \r\n"),
    run("a:\r\n"),
    run("From \r\n"),
  );
  const block = fc.array(piece, { maxLength: 30 }).map((p) => p.join(""));

  test("parseHeaderBlock() makes what the line-at-a-time reference model makes (fast-check, 5000 runs)", () => {
    fc.assert(
      fc.property(block, (text) => {
        assert.deepEqual(
          summary(parseHeaderBlock(text)),
          summary(referenceParse(text)),
          JSON.stringify(text),
        );
      }),
      { numRuns: 5000, seed: 20261207 },
    );
  });

  test("parseHeaderBlock() agrees with the reference model on large adversarial blocks", () => {
    const blocks = [
      "a:\r\n".repeat(5000),
      `X: a\r\n${" \r\n".repeat(5000)}Y: b\r\n\r\nbody`,
      `X: a${"\r".repeat(5000)}\n`,
      `X:${" ".repeat(5000)}\r\n${"\t".repeat(5000)}\r\n`,
      `From x\r\n${"From \r\n".repeat(2000)}A: 1\r\n${"From y\n"}`,
      `${":".repeat(3000)}\r\n${"\u00e9:\r\n".repeat(100)}`,
      `${"x".repeat(5000)}: v\r\n${"x".repeat(5000)}`,
    ];
    for (const text of blocks)
      assert.deepEqual(summary(parseHeaderBlock(text)), summary(referenceParse(text)));
  });

  test("parseHeaderBlock() refuses more than maxHeaders header lines with ERR_TEXTPROTO_TOO_MANY_HEADERS, continuation lines included", () => {
    const refuse = (text: string) =>
      assert.throws(
        () => parseHeaderBlock(text, { maxHeaders: 3 }),
        (e: unknown) => {
          assert.ok(e instanceof ProtocolError);
          assert.equal(e.code, "ERR_TEXTPROTO_TOO_MANY_HEADERS");
          assert.equal(e.message, "Cannot read header block: more than 3 header lines");
          return true;
        },
      );
    refuse("A: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\n");
    refuse("A: 1\r\n 2\r\n 3\r\n 4\r\n");
    refuse("A: 1\rB: 2\rC: 3\rD: 4\r"); // lone CRs end lines too
    refuse("From a\r\nFrom b\r\n: c\r\n d\r\n");
    // The blank line and the payload do not count.
    assert.equal(
      parseHeaderBlock("A: 1\r\nB: 2\r\nC: 3\r\n\r\nD: 4\r\nE: 5\r\n", { maxHeaders: 3 }).length,
      3,
    );
    assert.equal(parseHeaderBlock(`A: 1\r${"\r".repeat(100)}`, { maxHeaders: 3 }).length, 1);
    assert.equal(parseHeaderBlock("A: 1\r\nB: 2\r\nC: 3\r\nnot a header\r\n", { maxHeaders: 3 }).length, 3);
    assert.equal(parseHeaderBlock("A: 1\r\n".repeat(1000)).length, 1000); // no limit by default, as in Python
  });
});

describe("readHeaders()", () => {
  test("readHeaders() reads up to the blank line, keeping line ends, and leaves the body", async () => {
    for (const sizes of [1, 3, 64]) {
      const r = new BufferedReader(new BytesSource("A: 1\r\n b\nC: 2\r\n\r\nbody", sizes));
      const lines = await readHeaders(r);
      assert.deepEqual(
        lines.map((l) => l.toString()),
        ["A: 1\r\n", " b\n", "C: 2\r\n", "\r\n"],
      );
      assert.equal((await r.read()).toString(), "body");
    }
    const cut = await readHeaders(reader("A: 1\r\n"));
    assert.deepEqual(
      cut.map((l) => l.toString()),
      ["A: 1\r\n", ""],
    );
  });

  test("readHeaders() refuses a line past maxLineLength with ERR_TEXTPROTO_LINE_TOO_LONG", async () => {
    await rejectsWith(readHeaders(reader(`X: ${"a".repeat(70_000)}\r\n\r\n`)), "ERR_TEXTPROTO_LINE_TOO_LONG");
    // The line end counts: 10 bytes with CRLF fit a limit of 10, 11 do not.
    assert.equal((await readHeaders(reader("X: 123\r\n\r\n"), { maxLineLength: 8 })).length, 2);
    await rejectsWith(
      readHeaders(reader("X: 1234\r\n\r\n"), { maxLineLength: 8 }),
      "ERR_TEXTPROTO_LINE_TOO_LONG",
    );
  });

  test("readHeaders() refuses more than maxHeaders lines, the blank one included, with ERR_TEXTPROTO_TOO_MANY_HEADERS", async () => {
    assert.equal((await readHeaders(reader(`${"X: y\r\n".repeat(99)}\r\n`))).length, 100);
    const err = await rejectsWith(
      readHeaders(reader(`${"X: y\r\n".repeat(100)}\r\n`)),
      "ERR_TEXTPROTO_TOO_MANY_HEADERS",
    );
    assert.ok(err instanceof ProtocolError);
    await rejectsWith(
      readHeaders(reader("A: 1\r\nB: 2\r\n\r\n"), { maxHeaders: 2 }),
      "ERR_TEXTPROTO_TOO_MANY_HEADERS",
    );
  });

  test("readHeaders() refuses a block past maxBytes with ERR_TEXTPROTO_TOO_LARGE, 1 MiB by default", async () => {
    const block = "A: 1234\r\nB: 5678\r\n\r\n"; // 20 bytes
    assert.equal((await readHeaders(reader(block), { maxBytes: 20 })).length, 3);
    const err = await rejectsWith(readHeaders(reader(block), { maxBytes: 19 }), "ERR_TEXTPROTO_TOO_LARGE");
    assert.equal(err.message, "Cannot read header block: larger than 19 bytes");
    // 20 lines of 60000 bytes: within the line and count limits, past the total.
    const big = `${`X: ${"v".repeat(59_995)}\r\n`.repeat(20)}\r\n`;
    assert.ok(big.length > MAX_HEADER_BYTES);
    await rejectsWith(
      readHeaders(new BufferedReader(new BytesSource(big, 65536))),
      "ERR_TEXTPROTO_TOO_LARGE",
    );
    assert.equal(
      (await readHeaders(new BufferedReader(new BytesSource(big, 65536)), { maxBytes: 2 << 20 })).length,
      21,
    );
  });
});
