import assert from "node:assert/strict";
import { EventEmitter } from "node:events";
import { PassThrough, Readable, Writable } from "node:stream";
import { describe, test } from "node:test";
import { BrokenPipeError, ValueError } from "../../src/errors/index.js";
import { BytesSink, BytesSource, readableSource, writableSink } from "../../src/io/memory.js";
import { BufferedReader } from "../../src/io/reader.js";
import { BufferedWriter } from "../../src/io/writer.js";

const drain = (source: BytesSource): string[] => {
  const out: string[] = [];
  for (let c = source.readChunkNow(); c.length > 0; c = source.readChunkNow()) out.push(c.toString());
  return out;
};

const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));

describe("BytesSource", () => {
  test("BytesSource() cuts bytes into chunks of one size, or of a list of sizes in turn", () => {
    assert.deepEqual(drain(new BytesSource("abcdefg", 3)), ["abc", "def", "g"]);
    assert.deepEqual(drain(new BytesSource("abcdefg", [1, 2])), ["a", "bc", "d", "ef", "g"]);
    assert.deepEqual(drain(new BytesSource("abc")), ["abc"]);
    assert.deepEqual(drain(new BytesSource(new Uint8Array([0x61, 0x62]), 1)), ["a", "b"]);
  });

  test("BytesSource() delivers a list of chunks as they are, skipping empty ones", () => {
    assert.deepEqual(drain(new BytesSource(["ab", "", Buffer.from("c")])), ["ab", "c"]);
    assert.deepEqual(drain(new BytesSource(["abc", "de"], 2)), ["ab", "c", "de"]);
    assert.deepEqual(drain(new BytesSource([])), []);
  });

  test("BytesSource() ends with empty chunks, again and again, and counts what remains", async () => {
    const source = new BytesSource("ab", 1);
    assert.equal(source.remaining, 2);
    source.readChunkNow();
    assert.equal(source.remaining, 1);
    assert.equal((await source.readChunk()).toString(), "b");
    assert.equal((await source.readChunk()).length, 0);
    assert.equal(source.readChunkNow().length, 0);
  });

  test("BytesSource() refuses chunk sizes below 1", () => {
    assert.throws(() => new BytesSource("abc", 0), ValueError);
    assert.throws(() => new BytesSource("abc", [2, 0]), ValueError);
  });
});

describe("BytesSink", () => {
  test("getvalue() returns copies of everything written", async () => {
    const sink = new BytesSink();
    const scratch = Buffer.from("ab");
    await sink.write(scratch);
    scratch.fill(0x78);
    assert.equal(sink.writeNow(Buffer.from("cd")), true);
    assert.equal(sink.getvalue().toString(), "abcd");
    await sink.write(Buffer.from("e"));
    assert.equal(sink.getvalue().toString(), "abcde");
    assert.equal(new BytesSink().getvalue().length, 0);
  });

  test("write() after end() is a ValueError", async () => {
    const sink = new BytesSink();
    await sink.end();
    assert.equal(sink.ended, true);
    await assert.rejects(sink.write(Buffer.from("x")), ValueError);
    assert.throws(() => sink.writeNow(Buffer.from("x")), ValueError);
  });
});

describe("readableSource()", () => {
  test("readableSource() reads a PassThrough through BufferedReader as data comes", async () => {
    const stream = new PassThrough();
    const r = new BufferedReader(readableSource(stream));
    stream.write("first\nsec");
    setTimeout(() => stream.write("o"), 2);
    setTimeout(() => stream.end("nd\nlast"), 5);
    assert.equal((await r.readline()).toString(), "first\n");
    assert.equal((await r.readline()).toString(), "second\n");
    assert.equal((await r.readline()).toString(), "last");
    assert.equal((await r.readline()).length, 0);
    assert.equal((await r.read()).length, 0);
  });

  test("readableSource() serves every read method, with readexactly across writes", async () => {
    const stream = new PassThrough();
    const r = new BufferedReader(readableSource(stream));
    (async () => {
      for (const part of ["AB", "CD", "EF\r\n", "\r\nbody"]) {
        await tick(1);
        stream.write(part);
      }
      stream.end();
    })();
    assert.equal((await r.readexactly(3)).toString(), "ABC");
    assert.equal((await r.readuntil("\r\n\r\n")).toString(), "DEF\r\n\r\n");
    assert.equal((await r.read()).toString(), "body");
  });

  test("readableSource() passes a stream error to the waiting read and to later reads", async () => {
    const stream = new PassThrough();
    const r = new BufferedReader(readableSource(stream));
    setTimeout(() => stream.destroy(new Error("stream failed")), 5);
    await assert.rejects(r.read(), /stream failed/);
    await assert.rejects(r.readline(), /stream failed/);
  });

  test("readableSource() treats a close without error as end of stream", async () => {
    const stream = new PassThrough();
    const r = new BufferedReader(readableSource(stream));
    stream.write("partial");
    setTimeout(() => stream.destroy(), 5);
    const got = await r.read();
    assert.ok(got.toString() === "partial" || got.length === 0);
    assert.equal((await r.read()).length, 0);
  });

  test("readableSource() of an already-ended stream is at end", async () => {
    const stream = Readable.from([Buffer.from("x")]);
    stream.resume();
    await new Promise((r) => stream.on("end", r));
    const r = new BufferedReader(readableSource(stream));
    assert.equal((await r.read()).length, 0);
  });

  test("readableSource() encodes strings from a stream with an encoding", async () => {
    const stream = new PassThrough();
    stream.setEncoding("utf8");
    stream.end(Buffer.from("héllo\n"));
    const r = new BufferedReader(readableSource(stream));
    assert.equal((await r.readline()).toString("utf8"), "héllo\n");
  });

  test("readableSource() wraps an old-style stream", async () => {
    const old = Object.assign(new EventEmitter(), {
      readable: true,
      pause() {
        return old;
      },
      resume() {
        return old;
      },
    }) as unknown as NodeJS.ReadableStream;
    const r = new BufferedReader(readableSource(old));
    setTimeout(() => {
      (old as unknown as EventEmitter).emit("data", Buffer.from("a\nb"));
      (old as unknown as EventEmitter).emit("end");
    }, 2);
    assert.deepEqual((await r.readlines()).map(String), ["a\n", "b"]);
  });

  test("readableSource() keeps the stream paused: unread data stays within its high-water mark", async () => {
    let produced = 0;
    const endless = new Readable({
      highWaterMark: 64,
      read() {
        produced += 16;
        this.push(Buffer.alloc(16, 0x61));
      },
    });
    const r = new BufferedReader(readableSource(endless));
    assert.equal((await r.read(10)).length, 10);
    await tick(30);
    // Flowing mode would have produced megabytes by now.
    assert.ok(produced <= 64 + 2 * 16 + 64, `produced ${produced}`);
    const before = produced;
    await r.read(1000);
    assert.ok(produced >= before + 900);
    endless.destroy();
  });

  test("a second waiting read on one source is refused", async () => {
    const source = readableSource(new PassThrough());
    const first = source.readChunk();
    await assert.rejects(source.readChunk(), /another read is already waiting/);
    void first;
  });
});

describe("writableSink()", () => {
  test("writableSink() waits for 'drain' when the stream is full, keeping order", async () => {
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
    // Unawaited writes still arrive in order.
    void w.write(Buffer.from("d"));
    void w.write(Buffer.from("e"));
    await w.close();
    assert.deepEqual(seen, ["a", "b", "c", "d", "e"]);
    assert.ok(performance.now() - started >= 10);
    assert.equal(slow.writableFinished, true);
  });

  test("writableSink() write resolves only after the stream drains", async () => {
    let finishWrite!: () => void;
    const slow = new Writable({
      highWaterMark: 1,
      write(_chunk, _enc, done) {
        finishWrite = done;
      },
    });
    const sink = writableSink(slow);
    let resolved = false;
    const p = sink.write(Buffer.from("xy")).then(() => {
      resolved = true;
    });
    await tick(5);
    assert.equal(resolved, false);
    finishWrite();
    await p;
    assert.equal(resolved, true);
  });

  test("writableSink() rejects the waiting write and later writes on a stream error", async () => {
    const failing = new Writable({
      highWaterMark: 1,
      write(_chunk, _enc, done) {
        setTimeout(() => done(new Error("disk full")), 2);
      },
    });
    const sink = writableSink(failing);
    await assert.rejects(sink.write(Buffer.from("abc")), /disk full/);
    await assert.rejects(sink.write(Buffer.from("d")), /disk full/);
    assert.throws(() => sink.writeNow!(Buffer.from("d")), /disk full/);
    await assert.rejects(sink.end!(), /disk full/);
  });

  test("writableSink() rejects with BrokenPipeError when the stream closes while full", async () => {
    const stuck = new Writable({ highWaterMark: 1, write() {} });
    const sink = writableSink(stuck);
    const p = sink.write(Buffer.from("abc"));
    setTimeout(() => stuck.destroy(), 2);
    await assert.rejects(
      p,
      (e: unknown) => e instanceof BrokenPipeError || (e as Error).message.includes("destroyed"),
    );
  });

  test("writableSink() offers writeNow until the stream needs to drain", async () => {
    const chunks: string[] = [];
    const stream = new Writable({
      highWaterMark: 4,
      write(chunk: Buffer, _enc, done) {
        chunks.push(chunk.toString());
        setImmediate(done);
      },
    });
    const sink = writableSink(stream);
    assert.equal(sink.writeNow!(Buffer.from("ab")), true);
    assert.equal(sink.writeNow!(Buffer.from("cdef")), true); // taken; now over the mark
    assert.equal(sink.writeNow!(Buffer.from("g")), false);
    await sink.write(Buffer.from("g"));
    await sink.end!();
    assert.equal(chunks.join(""), "abcdefg");
  });

  test("a BufferedWriter over a PassThrough feeds a BufferedReader: random bytes round-trip", async () => {
    const pipe = new PassThrough({ highWaterMark: 256 });
    const w = new BufferedWriter(writableSink(pipe), { bufferSize: 100 });
    const r = new BufferedReader(readableSource(pipe));
    const parts = Array.from({ length: 200 }, (_, i) => Buffer.alloc((i * 37) % 300, i));
    const writing = (async () => {
      for (const part of parts) await w.write(part);
      await w.close();
    })();
    const got = await r.read();
    await writing;
    assert.ok(got.equals(Buffer.concat(parts)));
  });
});
