import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { ValueError } from "../../src/errors/index.js";
import { BytesSink } from "../../src/io/memory.js";
import type { ByteSink } from "../../src/io/source.js";
import { BufferedWriter } from "../../src/io/writer.js";

/** A sink that records each write it gets, accepting each after `delayMs`; with `now`, also `writeNow`. */
function recordingSink(delayMs = 0, now = false): ByteSink & { writes: string[] } {
  const writes: string[] = [];
  const sink: ByteSink & { writes: string[] } = {
    writes,
    write(data: Buffer) {
      // Recorded at call time, as a stream queues it; settles later.
      writes.push(data.toString());
      return delayMs ? new Promise((r) => setTimeout(r, delayMs)) : Promise.resolve();
    },
  };
  if (now) {
    let calls = 0;
    // Takes every other offer, so both paths run.
    sink.writeNow = (data: Buffer) => {
      if (++calls % 2 === 0) return false;
      writes.push(data.toString());
      return true;
    };
  }
  return sink;
}

const b = (s: string): Buffer => Buffer.from(s);

describe("BufferedWriter", () => {
  test("write() gathers small writes until flush(), and resolves with the byte count", async () => {
    const sink = recordingSink();
    const w = new BufferedWriter(sink, { bufferSize: 16 });
    assert.equal(await w.write(b("ab")), 2);
    assert.equal(await w.write(new Uint8Array([0x63, 0x64])), 2);
    assert.equal(await w.write(b("")), 0);
    assert.equal(w.buffered, 4);
    assert.deepEqual(sink.writes, []);
    await w.flush();
    assert.equal(w.buffered, 0);
    assert.deepEqual(sink.writes, ["abcd"]);
    await w.flush();
    assert.deepEqual(sink.writes, ["abcd"]);
  });

  test("write() flushes when the buffer would overflow; a larger write goes straight through", async () => {
    const sink = recordingSink();
    const w = new BufferedWriter(sink, { bufferSize: 4 });
    await w.write(b("abc"));
    await w.write(b("d"));
    assert.deepEqual(sink.writes, []);
    await w.write(b("e"));
    assert.deepEqual(sink.writes, ["abcd"]);
    await w.write(b("0123456789"));
    assert.deepEqual(sink.writes, ["abcd", "e", "0123456789"]);
    await w.write(b("wxyz")); // fits in the empty buffer: gathered, as Python does
    assert.equal(w.buffered, 4);
    await w.write(b("!"));
    assert.deepEqual(sink.writes, ["abcd", "e", "0123456789", "wxyz"]);
  });

  test("write() copies gathered bytes, so the caller may reuse its buffer", async () => {
    const sink = new BytesSink();
    const w = new BufferedWriter(sink, { bufferSize: 10 });
    const scratch = Buffer.from("aa");
    await w.write(scratch);
    scratch.fill(0x62);
    await w.write(scratch);
    scratch.fill(0x63);
    await w.write(scratch);
    scratch.fill(0x64);
    await w.write(scratch);
    await w.write(scratch); // overflows: flushes "aabbccdd" and starts over
    scratch.fill(0x65);
    await w.write(scratch);
    await w.flush();
    assert.equal(sink.getvalue().toString(), "aabbccddddee");
  });

  test("bufferSize 0 writes through, one sink write per call", async () => {
    const sink = recordingSink();
    const w = new BufferedWriter(sink, { bufferSize: 0 });
    await w.write(b("x"));
    assert.deepEqual(sink.writes, ["x"]);
    await w.write(b(""));
    await w.write(b("yz"));
    assert.deepEqual(sink.writes, ["x", "yz"]);
    assert.equal(w.buffered, 0);
  });

  for (const [label, bufferSize, now] of [
    ["write-through", 0, false],
    ["write-through with writeNow", 0, true],
    ["buffered", 3, false],
    ["buffered with writeNow", 3, true],
  ] as const) {
    test(`writes keep their order when the caller does not await each one (${label})`, async () => {
      const sink = recordingSink(2, now);
      const w = new BufferedWriter(sink, { bufferSize });
      const parts = ["1", "22", "333", "4", "55555", "6", "77"];
      for (const part of parts) void w.write(b(part));
      await w.flush();
      assert.equal(sink.writes.join(""), parts.join(""));
    });
  }

  test("writes of any sizes reach the sink whole and in order (property)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.uint8Array({ maxLength: 40 }), { maxLength: 30 }),
        fc.integer({ min: 0, max: 32 }),
        fc.boolean(),
        fc.boolean(),
        async (parts, bufferSize, awaitEach, now) => {
          const sink = recordingSink(0, now);
          const seen: Buffer[] = [];
          const base = sink.write.bind(sink);
          sink.write = (data) => {
            seen.push(Buffer.from(data));
            return base(data);
          };
          if (sink.writeNow) {
            const offer = sink.writeNow.bind(sink);
            sink.writeNow = (data) => {
              if (!offer(data)) return false;
              seen.push(Buffer.from(data));
              return true;
            };
          }
          const w = new BufferedWriter(sink, { bufferSize });
          for (const part of parts) {
            const p = w.write(part);
            if (awaitEach) assert.equal(await p, part.length);
          }
          await w.close();
          assert.ok(Buffer.concat(seen).equals(Buffer.concat(parts)));
          // Gathered writes never exceed the buffer, except single large writes.
          if (bufferSize > 0) for (const s of seen) assert.ok(s.length <= Math.max(bufferSize, 40));
        },
      ),
      { numRuns: 300, seed: 20261131 },
    );
  });

  test("writeDone() sends what is buffered first; a sink without writeDone gets a copy, so the caller may refill", async () => {
    const sink = new BytesSink();
    const writer = new BufferedWriter(sink);
    await writer.write(Buffer.from("head:"));
    const chunk = Buffer.from("first");
    await writer.writeDone(chunk);
    chunk.write("XXXXX");
    await writer.writeDone(chunk);
    await writer.flush();
    assert.equal(sink.getvalue().toString(), "head:firstXXXXX");
  });

  test("a sink error rejects that write and every later write and flush", async () => {
    const broken = new Error("broken pipe");
    const w = new BufferedWriter({ write: () => Promise.reject(broken) }, { bufferSize: 0 });
    await assert.rejects(w.write(b("a")), (e: unknown) => e === broken);
    await assert.rejects(w.write(b("b")), (e: unknown) => e === broken);
    await assert.rejects(w.flush(), (e: unknown) => e === broken);
  });

  test("a sink error on a buffered flush rejects the flush, and later writes", async () => {
    const broken = new Error("reset");
    const w = new BufferedWriter({ write: () => Promise.reject(broken) }, { bufferSize: 8 });
    assert.equal(await w.write(b("abc")), 3); // only buffered: nothing failed yet
    await assert.rejects(w.flush(), (e: unknown) => e === broken);
    await assert.rejects(w.write(b("d")), (e: unknown) => e === broken);
  });

  test("a sink that throws, or whose writeNow throws, fails the write the same way", async () => {
    const broken = new Error("EPIPE");
    const throwing = new BufferedWriter(
      {
        write: () => {
          throw broken;
        },
      },
      { bufferSize: 0 },
    );
    await assert.rejects(throwing.write(b("a")), (e: unknown) => e === broken);
    await assert.rejects(throwing.write(b("a")), (e: unknown) => e === broken);
    const nowThrowing = new BufferedWriter(
      {
        write: () => Promise.resolve(),
        writeNow: () => {
          throw broken;
        },
      },
      { bufferSize: 0 },
    );
    await assert.rejects(nowThrowing.write(b("a")), (e: unknown) => e === broken);
    await assert.rejects(nowThrowing.flush(), (e: unknown) => e === broken);
  });

  test("writes fired without await on a broken sink do not crash the process; flush() reports the error", async () => {
    const broken = new Error("gone");
    let unhandled = 0;
    const onUnhandled = () => unhandled++;
    process.on("unhandledRejection", onUnhandled);
    try {
      const w = new BufferedWriter(
        { write: () => new Promise((_, reject) => setTimeout(reject, 1, broken)) },
        { bufferSize: 0 },
      );
      void w.write(b("a"));
      void w.write(b("b"));
      await assert.rejects(w.flush(), (e: unknown) => e === broken);
      await new Promise((r) => setTimeout(r, 10));
      assert.equal(unhandled, 0);
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
  });

  test("write() waits for the sink's backpressure in write-through mode", async () => {
    let release!: () => void;
    const w = new BufferedWriter(
      { write: () => new Promise<void>((resolve) => (release = resolve)) },
      { bufferSize: 0 },
    );
    let done = false;
    const p = w.write(b("abc")).then((n) => {
      done = true;
      return n;
    });
    await new Promise((r) => setImmediate(r));
    assert.equal(done, false);
    release();
    assert.equal(await p, 3);
  });

  test("close() flushes and ends the sink; writing or flushing afterwards is a ValueError", async () => {
    const sink = new BytesSink();
    const w = new BufferedWriter(sink);
    await w.write(b("data"));
    assert.equal(w.closed, false);
    await w.close();
    assert.equal(w.closed, true);
    assert.equal(sink.getvalue().toString(), "data");
    assert.ok(sink.ended);
    await assert.rejects(
      w.write(b("x")),
      (e: unknown) => e instanceof ValueError && e.message === "write to closed file",
    );
    await assert.rejects(
      w.flush(),
      (e: unknown) => e instanceof ValueError && e.message === "flush of closed file",
    );
    await w.close();
  });

  test("close() ends the sink even when the flush fails, and throws the flush's error", async () => {
    const broken = new Error("broken");
    let ended = false;
    const w = new BufferedWriter({
      write: () => Promise.reject(broken),
      end: async () => {
        ended = true;
      },
    });
    await w.write(b("x"));
    await assert.rejects(w.close(), (e: unknown) => e === broken);
    assert.equal(ended, true);
    assert.equal(w.closed, true);
  });

  test("close() reports the sink's end() error", async () => {
    const w = new BufferedWriter({
      write: async () => {},
      end: () => Promise.reject(new Error("end failed")),
    });
    await assert.rejects(w.close(), /end failed/);
  });

  test("writelines() writes each in order; await using closes", async () => {
    const sink = new BytesSink();
    {
      await using w = new BufferedWriter(sink, { bufferSize: 4 });
      await w.writelines([b("a\n"), b("bcd\n"), b("e\n")]);
    }
    assert.equal(sink.getvalue().toString(), "a\nbcd\ne\n");
    assert.ok(sink.ended);
  });

  test("the constructor refuses a negative bufferSize", () => {
    assert.throws(() => new BufferedWriter(new BytesSink(), { bufferSize: -1 }), ValueError);
  });
});
