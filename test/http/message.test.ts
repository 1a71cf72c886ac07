import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  HeadersTooLarge,
  HTTPException,
  IncompleteRead,
  LineTooLong,
  RemoteDisconnected,
  TooManyHeaders,
} from "../../src/http/errors.js";
import * as message from "../../src/http/message.js";
import { parseHeaders, readHeaders } from "../../src/http/message.js";
import { BytesSource } from "../../src/io/memory.js";
import { BufferedReader } from "../../src/io/reader.js";
import * as header from "../../src/textproto/header.js";

const reader = (text: string) => new BufferedReader(new BytesSource(Buffer.from(text, "latin1"), 5));

describe("http/message", () => {
  test("http/message re-exports textproto's header parser under its old names", () => {
    assert.equal(message.HTTPMessage, header.HTTPMessage);
    assert.equal(message.parseHeaderBlock, header.parseHeaderBlock);
    assert.equal(message.splitLines, header.splitLines);
    assert.equal(message.MAX_LINE, 65536);
    assert.equal(message.MAX_HEADERS, 100);
  });

  test("readHeaders() turns textproto's errors into Python's, for trailers too", async () => {
    await assert.rejects(
      readHeaders(reader(`X: ${"a".repeat(70)}\r\n`), { maxLineLength: 50, lineType: "trailer line" }),
      (e: unknown) => {
        assert.ok(e instanceof LineTooLong);
        assert.equal(e.lineType, "trailer line");
        return true;
      },
    );
    await assert.rejects(
      readHeaders(reader("A: 1\r\nB: 2\r\n\r\n"), { maxHeaders: 2, lineType: "trailer line" }),
      (e: unknown) => {
        assert.ok(e instanceof TooManyHeaders);
        assert.equal(e.message, "got more than 2 trailer lines");
        return true;
      },
    );
  });

  test("readHeaders() applies no total size limit unless asked, as Python applies none", async () => {
    const big = `${`X: ${"v".repeat(59_995)}\r\n`.repeat(20)}\r\n`;
    assert.equal((await readHeaders(new BufferedReader(new BytesSource(big, 65536)))).length, 21);
    await assert.rejects(readHeaders(reader("A: 1\r\n\r\n"), { maxBytes: 5 }), (e: unknown) => {
      assert.ok(e instanceof HeadersTooLarge);
      assert.equal(e.code, "ERR_HTTP_HEADERS_TOO_LARGE");
      assert.equal(e.message, "got more than 5 bytes of header lines");
      return true;
    });
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
