import assert from "node:assert/strict";
import { PassThrough, Writable } from "node:stream";
import { describe, test } from "node:test";
import { UnicodeError, ValueError } from "../../src/errors/index.js";
import { BytesSink, BytesSource, readableSource, writableSink } from "../../src/io/memory.js";
import { BufferedReader } from "../../src/io/reader.js";
import type { ByteSink } from "../../src/io/source.js";
import { TextIOWrapper } from "../../src/io/text.js";
import { BufferedWriter } from "../../src/io/writer.js";

/** A sink that records each write it gets, accepting each after `delayMs`. */
function recordingSink(delayMs = 0): ByteSink & { writes: string[] } {
  const writes: string[] = [];
  return {
    writes,
    async write(data: Buffer) {
      if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
      writes.push(data.toString());
    },
  };
}

describe("BufferedWriter", () => {
  test("write() gathers small writes until flush()", async () => {
    const sink = recordingSink();
    const w = new BufferedWriter(sink, { bufferSize: 16 });
    assert.equal(await w.write(Buffer.from("ab")), 2);
    await w.write(Buffer.from("cd"));
    assert.deepEqual(sink.writes, []);
    await w.flush();
    assert.deepEqual(sink.writes, ["abcd"]);
  });

  test("write() flushes when the buffer would overflow, and large writes go straight through", async () => {
    const sink = recordingSink();
    const w = new BufferedWriter(sink, { bufferSize: 4 });
    await w.write(Buffer.from("abc"));
    await w.write(Buffer.from("de"));
    assert.deepEqual(sink.writes, ["abc"]);
    await w.write(Buffer.from("0123456789"));
    assert.deepEqual(sink.writes, ["abc", "de", "0123456789"]);
  });

  test("bufferSize 0 writes through", async () => {
    const sink = recordingSink();
    const w = new BufferedWriter(sink, { bufferSize: 0 });
    await w.write(Buffer.from("x"));
    assert.deepEqual(sink.writes, ["x"]);
  });

  test("writes keep their order when the caller does not await each one", async () => {
    const sink = recordingSink(2);
    const w = new BufferedWriter(sink, { bufferSize: 0 });
    void w.write(Buffer.from("1"));
    void w.write(Buffer.from("2"));
    void w.write(Buffer.from("3"));
    await w.flush();
    assert.deepEqual(sink.writes, ["1", "2", "3"]);
  });

  test("a sink error rejects that write and every later one", async () => {
    const w = new BufferedWriter(
      {
        async write() {
          throw new Error("broken pipe");
        },
      },
      { bufferSize: 0 },
    );
    await assert.rejects(w.write(Buffer.from("a")), /broken pipe/);
    await assert.rejects(w.write(Buffer.from("b")), /broken pipe/);
    await assert.rejects(w.flush(), /broken pipe/);
  });

  test("close() flushes and ends the sink; writing afterwards is a ValueError", async () => {
    const sink = new BytesSink();
    const w = new BufferedWriter(sink);
    await w.write(Buffer.from("data"));
    await w.close();
    assert.equal(sink.getvalue().toString(), "data");
    assert.ok(sink.ended);
    await assert.rejects(
      w.write(Buffer.from("x")),
      (e: unknown) => e instanceof ValueError && e.message === "write to closed file",
    );
    await w.close();
  });
});

describe("Node stream adapters", () => {
  test("readableSource() reads a stream to its end through BufferedReader", async () => {
    const stream = new PassThrough();
    const r = new BufferedReader(readableSource(stream));
    stream.write("first\nsec");
    setTimeout(() => stream.end("ond\n"), 5);
    assert.equal((await r.readline()).toString(), "first\n");
    assert.equal((await r.readline()).toString(), "second\n");
    assert.equal((await r.readline()).length, 0);
  });

  test("readableSource() passes a stream error to the reader", async () => {
    const stream = new PassThrough();
    const r = new BufferedReader(readableSource(stream));
    setTimeout(() => stream.destroy(new Error("stream failed")), 5);
    await assert.rejects(r.read(), /stream failed/);
  });

  test("writableSink() waits for 'drain' when the stream is full", async () => {
    const seen: string[] = [];
    const slow = new Writable({
      highWaterMark: 1,
      write(chunk: Buffer, _enc, done) {
        seen.push(chunk.toString());
        setTimeout(done, 5);
      },
    });
    const w = new BufferedWriter(writableSink(slow), { bufferSize: 0 });
    const started = performance.now();
    for (const part of ["a", "b", "c"]) await w.write(Buffer.from(part));
    await w.close();
    assert.deepEqual(seen, ["a", "b", "c"]);
    assert.ok(performance.now() - started >= 10);
  });
});

describe("TextIOWrapper", () => {
  test("readline() decodes a 4-byte UTF-8 character split across chunks", async () => {
    const bytes = Buffer.from("a😀b\nz\n");
    const text = new TextIOWrapper(new BufferedReader(new BytesSource(bytes, 1)));
    assert.equal(await text.readline(), "a😀b\n");
    assert.equal(await text.readline(), "z\n");
    assert.equal(await text.readline(), "");
  });

  test("strict decoding throws UnicodeError; replace substitutes U+FFFD", async () => {
    const bad = Buffer.from([0x61, 0xff, 0x0a]);
    await assert.rejects(
      new TextIOWrapper(new BufferedReader(new BytesSource(bad))).readline(),
      UnicodeError,
    );
    const lax = new TextIOWrapper(new BufferedReader(new BytesSource(bad)), undefined, { errors: "replace" });
    assert.equal(await lax.readline(), "a\ufffd\n");
  });

  test("write() encodes; latin-1 refuses what it cannot encode", async () => {
    const sink = new BytesSink();
    const text = new TextIOWrapper(undefined, new BufferedWriter(sink), { encoding: "latin-1" });
    assert.equal(await text.write("café"), 4);
    await text.flush();
    assert.deepEqual([...sink.getvalue()], [0x63, 0x61, 0x66, 0xe9]);
    await assert.rejects(text.write("€"), UnicodeError);
  });
});
