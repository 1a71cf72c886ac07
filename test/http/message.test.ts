import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { HTTPException, IncompleteRead, LineTooLong, RemoteDisconnected } from "../../src/http/errors.js";
import { HTTPMessage, parseHeaderBlock, parseHeaders, splitLines } from "../../src/http/message.js";
import { BytesSource } from "../../src/io/memory.js";
import { BufferedReader } from "../../src/io/reader.js";

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
  });
});

describe("parseHeaders()", () => {
  test("reads up to the blank line and leaves the body in the reader", async () => {
    const r = reader("Content-Length: 4\r\n\r\nbody");
    const msg = await parseHeaders(r);
    assert.equal(msg.get("content-length"), "4");
    assert.equal((await r.read()).toString(), "body");
  });

  test("refuses a header line over 65536 bytes with LineTooLong", async () => {
    await assert.rejects(parseHeaders(reader(`X: ${"a".repeat(70_000)}\r\n\r\n`)), (e: unknown) => {
      assert.ok(e instanceof LineTooLong);
      assert.ok(e instanceof HTTPException);
      assert.equal(e.message, "got more than 65536 bytes when reading header line");
      assert.equal(e.code, "ERR_HTTP_LINE_TOO_LONG");
      return true;
    });
  });

  test("refuses more than 100 header lines", async () => {
    await assert.rejects(parseHeaders(reader(`${"X: y\r\n".repeat(101)}\r\n`)), (e: unknown) => {
      assert.ok(e instanceof HTTPException);
      assert.equal(e.message, "got more than 100 headers");
      return true;
    });
    assert.equal((await parseHeaders(reader(`${"X: y\r\n".repeat(99)}\r\n`))).length, 99);
  });
});

describe("http errors", () => {
  test("carry Python's messages and stable codes", () => {
    assert.equal(
      new IncompleteRead(Buffer.from("abc"), 7).message,
      "IncompleteRead(3 bytes read, 7 more expected)",
    );
    const gone = new RemoteDisconnected();
    assert.equal(gone.message, "Remote end closed connection without response");
    assert.equal(gone.name, "RemoteDisconnected");
    assert.equal(gone.code, "ECONNRESET");
  });
});
