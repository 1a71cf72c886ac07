import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { EOFError, ValueError } from "../../src/errors/index.js";
import { IncompleteReadError, LimitOverrunError, LineTooLongError } from "../../src/io/errors.js";
import { BytesSource } from "../../src/io/memory.js";
import { BufferedReader } from "../../src/io/reader.js";
import type { ByteSource } from "../../src/io/source.js";
import { callbackSource, cut, everySource, promiseSource, SOURCE_KINDS } from "./_sources.js";

const text = (b: Buffer): string => b.toString("latin1");

/** What a call gave: its bytes as text, or its error's class name and fields. */
async function outcome(p: Promise<Buffer | Buffer[]>): Promise<unknown> {
  try {
    const got = await p;
    return Array.isArray(got) ? got.map(text) : text(got);
  } catch (err) {
    if (err instanceof IncompleteReadError)
      return { error: err.name, partial: text(err.partial), expected: err.expected };
    if (err instanceof LimitOverrunError) return { error: err.name, consumed: err.consumed };
    if (err instanceof LineTooLongError) return { error: err.name, limit: err.limit };
    if (err instanceof Error) return { error: err.name, message: err.message };
    throw err;
  }
}

interface Case {
  name: string;
  data: string;
  max?: number;
  calls: (r: BufferedReader) => Array<Promise<Buffer | Buffer[]>> | Promise<Buffer | Buffer[]>[];
  expect: unknown[];
}

/** Calls run one after another, each awaited before the next starts. */
function seq(...calls: Array<(r: BufferedReader) => Promise<Buffer | Buffer[]>>) {
  return calls;
}

const CASES: Array<
  Omit<Case, "calls"> & { calls: Array<(r: BufferedReader) => Promise<Buffer | Buffer[]>> }
> = [
  {
    name: "readline() splits at \\n and keeps \\r\\n, even when the pair is split",
    data: "one\ntwo\r\n\nlast",
    calls: seq(
      (r) => r.readline(),
      (r) => r.readline(),
      (r) => r.readline(),
      (r) => r.readline(),
      (r) => r.readline(),
      (r) => r.readline(),
    ),
    expect: ["one\n", "two\r\n", "\n", "last", "", ""],
  },
  {
    name: "readline() of an empty stream is empty",
    data: "",
    calls: seq(
      (r) => r.readline(),
      (r) => r.read(),
      (r) => r.read1(),
      (r) => r.peek(),
    ),
    expect: ["", "", "", ""],
  },
  {
    name: "readline(size) returns at most size bytes and keeps the rest of the line",
    data: "abcdef\nxy\nz",
    calls: seq(
      (r) => r.readline(4),
      (r) => r.readline(),
      (r) => r.readline(0),
      (r) => r.readline(3),
      (r) => r.readline(10),
      (r) => r.readline(10),
    ),
    expect: ["abcd", "ef\n", "", "xy\n", "z", ""],
  },
  {
    name: "readline(size) larger than maxLineLength is not an error (Python's size wins)",
    data: "0123456789\n",
    max: 4,
    calls: seq((r) => r.readline(20)),
    expect: ["0123456789\n"],
  },
  {
    name: "readline() accepts a line of exactly maxLineLength bytes",
    data: "abcd\nabc",
    max: 5,
    calls: seq(
      (r) => r.readline(),
      (r) => r.readline(),
    ),
    expect: ["abcd\n", "abc"],
  },
  {
    name: "readline() accepts a last line of exactly maxLineLength bytes without newline",
    data: "abcde",
    max: 5,
    calls: seq(
      (r) => r.readline(),
      (r) => r.readline(),
    ),
    expect: ["abcde", ""],
  },
  {
    name: "readline() refuses a line one byte over maxLineLength, with or without newline",
    data: "abcde\n",
    max: 5,
    calls: seq(
      (r) => r.readline(),
      (r) => r.readline(3),
    ),
    expect: [{ error: "LineTooLongError", limit: 5 }, "abc"],
  },
  {
    name: "readline() refuses a last line one byte over maxLineLength at EOF",
    data: "abcdef",
    max: 5,
    calls: seq((r) => r.readline()),
    expect: [{ error: "LineTooLongError", limit: 5 }],
  },
  {
    name: "read(n) waits for n bytes unless the stream ends; read(0) is empty; read() reads to the end",
    data: "0123456789",
    calls: seq(
      (r) => r.read(4),
      (r) => r.read(0),
      (r) => r.read(),
      (r) => r.read(5),
      (r) => r.read(),
    ),
    expect: ["0123", "", "456789", "", ""],
  },
  {
    name: "read(n) past the end returns what is left",
    data: "abc",
    calls: seq(
      (r) => r.read(10),
      (r) => r.read(1),
    ),
    expect: ["abc", ""],
  },
  {
    name: "read(-1) reads to the end; read(-2) is a ValueError",
    data: "abc",
    calls: seq(
      (r) => r.read(-2),
      (r) => r.read(-1),
    ),
    expect: [{ error: "ValueError", message: "read length must be non-negative or -1" }, "abc"],
  },
  {
    name: "read1(0) is empty and reads nothing",
    data: "abc",
    calls: seq(
      (r) => r.read1(0),
      (r) => r.read(3),
    ),
    expect: ["", "abc"],
  },
  {
    name: "readexactly() returns exactly n bytes, then IncompleteReadError at EOF",
    data: "abcdef",
    calls: seq(
      (r) => r.readexactly(0),
      (r) => r.readexactly(4),
      (r) => r.readexactly(5),
      (r) => r.readexactly(1),
    ),
    expect: [
      "",
      "abcd",
      { error: "IncompleteReadError", partial: "ef", expected: 5 },
      { error: "IncompleteReadError", partial: "", expected: 1 },
    ],
  },
  {
    name: "readexactly(-1) is a ValueError",
    data: "a",
    calls: seq((r) => r.readexactly(-1)),
    expect: [{ error: "ValueError", message: "readexactly size can not be less than zero" }],
  },
  {
    name: "readuntil() finds a multi-byte separator wherever the chunks cut it",
    data: "head\r\nmore\r\n\r\nbody\r\n\r",
    calls: seq(
      (r) => r.readuntil("\r\n\r\n"),
      (r) => r.readuntil(Buffer.from("\r\n")),
      (r) => r.readuntil(new Uint8Array([13, 10, 13, 10])),
    ),
    expect: [
      "head\r\nmore\r\n\r\n",
      "body\r\n",
      { error: "IncompleteReadError", partial: "\r", expected: null },
    ],
  },
  {
    name: "readuntil() finds overlapping separators at their first position",
    data: "aaab;aab;b",
    calls: seq(
      (r) => r.readuntil("aab"),
      (r) => r.readuntil("aab"),
      (r) => r.readuntil("b"),
      (r) => r.readuntil("b"),
    ),
    expect: ["aaab", ";aab", ";b", { error: "IncompleteReadError", partial: "", expected: null }],
  },
  {
    name: "readuntil() defaults to \\n",
    data: "x\ny",
    calls: seq(
      (r) => r.readuntil(),
      (r) => r.readuntil(),
    ),
    expect: ["x\n", { error: "IncompleteReadError", partial: "y", expected: null }],
  },
  {
    name: "readuntil() accepts up to limit bytes before the separator (asyncio's rule)",
    data: "abcde;;rest",
    calls: seq(
      (r) => r.readuntil(";;", 5),
      (r) => r.read(),
    ),
    expect: ["abcde;;", "rest"],
  },
  {
    name: "readuntil() throws LimitOverrunError when the separator lies past limit, and keeps the bytes",
    data: "abcdef;rest",
    calls: seq(
      (r) => r.readuntil(";", 5),
      (r) => r.readuntil(";", 6),
    ),
    expect: [{ error: "LimitOverrunError", consumed: 6 }, "abcdef;"],
  },
  {
    name: "readuntil() with an empty separator is a ValueError",
    data: "abc",
    calls: seq((r) => r.readuntil("")),
    expect: [{ error: "ValueError", message: "Separator should be at least one-byte string" }],
  },
  {
    name: "readuntil() and readline() do not share a failed search",
    data: "ab;cd\nef;",
    max: 4,
    calls: seq(
      (r) => r.readline(),
      (r) => r.readuntil(";"),
      (r) => r.readuntil("\n"),
      (r) => r.readline(),
    ),
    expect: [{ error: "LineTooLongError", limit: 4 }, "ab;", "cd\n", "ef;"],
  },
  {
    name: "peek() shows bytes without consuming them",
    data: "hello world",
    calls: seq(
      (r) => r.read(2),
      (r) => r.peek(3),
      (r) => r.read(3),
      (r) => r.readline(),
    ),
    expect: [
      "he",
      // peek's length depends on the chunking: a non-empty prefix of the rest
      "PEEK:llo world",
      "llo",
      " world",
    ],
  },
  {
    name: "readlines() reads every line, or stops once more than hint bytes are read",
    data: "aa\nbb\ncc\ndd\nee\nff",
    calls: seq(
      (r) => r.readlines(4),
      (r) => r.readlines(3),
      (r) => r.readlines(0),
      (r) => r.readlines(),
    ),
    expect: [["aa\n", "bb\n"], ["cc\n", "dd\n"], ["ee\n", "ff"], []],
  },
  {
    name: "readlines() stops with LineTooLongError on an over-long line",
    data: "ok\ntoolong\n",
    max: 4,
    calls: seq((r) => r.readlines()),
    expect: [{ error: "LineTooLongError", limit: 4 }],
  },
];

describe("BufferedReader tables", () => {
  for (const c of CASES) {
    test(`${c.name}`, async () => {
      for (const { label, make } of everySource(c.data)) {
        const r = new BufferedReader(make(), c.max === undefined ? {} : { maxLineLength: c.max });
        const got: unknown[] = [];
        for (const [i, call] of c.calls.entries()) {
          const want = c.expect[i];
          const result = await outcome(call(r));
          if (typeof want === "string" && want.startsWith("PEEK:")) {
            assert.equal(typeof result, "string", label);
            const rest = want.slice(5);
            assert.ok(
              (result as string).length > 0 && rest.startsWith(result as string),
              `${label}: ${result}`,
            );
            got.push(want);
          } else {
            got.push(result);
          }
        }
        assert.deepEqual(got, c.expect, label);
      }
    });
  }
});

describe("BufferedReader", () => {
  test("readline() returns a view of the source's chunk when the line lies in one chunk", async () => {
    const chunk = Buffer.from("one\ntwo\n");
    const r = new BufferedReader(new BytesSource([chunk]));
    const line = await r.readline();
    assert.equal(line.buffer, chunk.buffer);
    assert.equal(line.byteOffset, chunk.byteOffset);
    assert.equal(r.buffered, 4);
  });

  test("readlineNow() gives a line once all of it is there, and undefined, consuming nothing, before", () => {
    const queue: Buffer[] = [];
    const source: ByteSource = {
      readChunk: () => Promise.reject(new Error("not used")),
      readChunkNow: () => queue.shift() ?? null,
    };
    const r = new BufferedReader(source, { maxLineLength: 8 });
    assert.equal(r.readlineNow(), undefined);
    queue.push(Buffer.from("ab"));
    assert.equal(r.readlineNow(), undefined);
    assert.equal(r.buffered, 2);
    queue.push(Buffer.from("cd\nef"));
    assert.equal(text(r.readlineNow()!), "abcd\n");
    assert.equal(r.readlineNow(), undefined);
    assert.equal(text(r.readlineNow(1)!), "e");
    queue.push(Buffer.from("012345678\n"));
    assert.throws(() => r.readlineNow(), LineTooLongError);
    assert.equal(text(r.readlineNow(20)!), "f012345678\n"); // the over-long line stayed buffered
    queue.push(Buffer.alloc(0));
    assert.equal(r.readlineNow()!.length, 0); // end of stream: an empty line, as readline()
    r.close();
    assert.throws(() => r.readlineNow(), ValueError);
  });

  test("buffered counts the bytes held", async () => {
    const r = new BufferedReader(new BytesSource(["abc\nde", "f\n"]));
    assert.equal(r.buffered, 0);
    await r.readline();
    assert.equal(r.buffered, 2);
    await r.readline();
    assert.equal(r.buffered, 0);
  });

  test("peek(n) returns at least n bytes when they are buffered across chunks", async () => {
    const r = new BufferedReader(new BytesSource("abcdef", 1));
    await r.read(0);
    await r.readexactly(3); // buffers "a", "b", "c" and consumes them
    assert.equal(text(await r.peek(1)), "d");
    const all = new BufferedReader(new BytesSource(["ab", "cd", "ef"]));
    await all.readexactly(5); // consumes "abcde", "f" stays
    assert.equal(text(await all.peek(5)), "f");
    const spread = new BufferedReader(new BytesSource(["a", "b", "c\n"]));
    await assert.rejects(spread.readuntil("x", 3), LimitOverrunError); // all three chunks now buffered
    assert.equal(text(await spread.peek(3)), "abc\n");
    assert.equal(text(await spread.read()), "abc\n");
  });

  test("read1() returns buffered bytes first, else one chunk (at most n bytes, the rest kept)", async () => {
    const r = new BufferedReader(new BytesSource(["abc", "defg", "h"]));
    assert.equal(text(await r.read1(2)), "ab");
    assert.equal(text(await r.read1()), "c");
    assert.equal(text(await r.read1(10)), "defg");
    assert.equal(text(await r.read1(-1)), "h");
    assert.equal(text(await r.read1()), "");
  });

  test("readinto() fills the buffer (buffered bytes first) and is short only at EOF (fast-check)", async () => {
    // Sources with and without readInto (the socket's direct path) must read alike.
    const withReadInto = (chunks: Buffer[]): ByteSource => {
      const source = promiseSource(chunks);
      let pending: Buffer = Buffer.alloc(0);
      return {
        readChunk: () => source.readChunk(),
        async readInto(target) {
          if (pending.length === 0) pending = await source.readChunk();
          const n = Math.min(target.length, pending.length);
          target.set(pending.subarray(0, n));
          pending = pending.subarray(n);
          return n;
        },
      };
    };
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 300 }),
        fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 20 }),
        fc.array(fc.integer({ min: 0, max: 70 }), { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 0, max: 20 }),
        fc.boolean(),
        async (bytes, sizes, targets, lineFirst, direct) => {
          const data = Buffer.from(bytes);
          const chunks = cut(data, sizes);
          const r = new BufferedReader(direct ? withReadInto(chunks) : promiseSource(chunks));
          const got: Buffer[] = [];
          got.push(await r.read(Math.min(lineFirst, data.length))); // leaves bytes buffered
          let offset = got[0]!.length;
          for (const size of targets) {
            const target = Buffer.alloc(size);
            const n = await r.readinto(target);
            assert.equal(n, Math.min(size, data.length - offset));
            got.push(target.subarray(0, n));
            offset += n;
          }
          const rest = Buffer.alloc(data.length);
          got.push(rest.subarray(0, await r.readinto(rest)));
          assert.deepEqual(Buffer.concat(got), data);
          assert.equal(await r.readinto(Buffer.alloc(4)), 0);
        },
      ),
      { numRuns: 300 },
    );
  });

  test("read1() never waits for a second chunk", async () => {
    let calls = 0;
    const r = new BufferedReader({
      readChunk: async () => {
        calls++;
        return Buffer.from(calls === 1 ? "ab" : "cd");
      },
    });
    assert.equal(text(await r.read1(10)), "ab");
    assert.equal(calls, 1);
  });

  test("reads after close() throw ValueError, for every method", async () => {
    const r = new BufferedReader(new BytesSource("x\ny\n"));
    await r.readline();
    assert.equal(r.closed, false);
    r.close();
    r.close();
    assert.equal(r.closed, true);
    assert.equal(r.buffered, 0);
    const calls: Array<() => Promise<unknown>> = [
      () => r.read(),
      () => r.read(1),
      () => r.read1(),
      () => r.readline(),
      () => r.readlines(),
      () => r.readexactly(1),
      () => r.readuntil("\n"),
      () => r.peek(),
      () => r[Symbol.asyncIterator]().next(),
    ];
    for (const call of calls) {
      await assert.rejects(
        call(),
        (e: unknown) => e instanceof ValueError && e.message === "I/O operation on closed file.",
      );
    }
  });

  test("close() while a read waits makes that read fail with ValueError", async () => {
    let deliver!: (b: Buffer) => void;
    const r = new BufferedReader({ readChunk: () => new Promise<Buffer>((resolve) => (deliver = resolve)) });
    const pending = r.read(5);
    r.close();
    deliver(Buffer.from("hello"));
    await assert.rejects(pending, ValueError);
  });

  test("a second read while one waits is refused, and the first still completes", async () => {
    for (const kind of SOURCE_KINDS) {
      let deliver!: (chunk: Buffer) => void;
      const gate = new Promise<Buffer>((resolve) => (deliver = resolve));
      const source: ByteSource = {
        readChunk: () => gate,
        ...(kind.name.startsWith("callback")
          ? { onNextChunk: (cb: (c: Buffer | Error) => void) => void gate.then(cb) }
          : {}),
      };
      const r = new BufferedReader(source);
      const first = r.readline();
      await assert.rejects(r.readline(), /Cannot start readline\(\): another read on this reader is waiting/);
      await assert.rejects(r.read(1), /Cannot start read\(\)/);
      await assert.rejects(r.peek(), /Cannot start peek\(\)/);
      deliver(Buffer.from("line\n"));
      assert.equal(text(await first), "line\n", kind.name);
    }
  });

  test("a source error reaches the caller unchanged, from every kind of source", async () => {
    const failure = new Error("connection reset");
    const sources: ByteSource[] = [
      { readChunk: () => Promise.reject(failure) },
      { readChunk: () => Promise.reject(failure), onNextChunk: (cb) => cb(failure) },
      { readChunk: () => Promise.reject(failure), onNextChunk: (cb) => setImmediate(cb, failure) },
      {
        readChunk: () => Promise.reject(failure),
        readChunkNow: () => {
          throw failure;
        },
      },
    ];
    for (const source of sources) {
      for (const call of [
        (r: BufferedReader) => r.readline(),
        (r: BufferedReader) => r.read(),
        (r: BufferedReader) => r.readexactly(3),
        (r: BufferedReader) => r.readuntil("\r\n"),
        (r: BufferedReader) => r.peek(),
      ]) {
        const r = new BufferedReader(source);
        await assert.rejects(call(r), (e: unknown) => e === failure);
        // The reader is usable again: the next read asks the source again.
        await assert.rejects(r.read1(), (e: unknown) => e === failure);
      }
    }
  });

  test("a source that throws instead of rejecting fails the read, and the reader stays usable", async () => {
    let calls = 0;
    const failure = new Error("sync failure");
    const fail = () => {
      if (++calls === 1) throw failure;
    };
    const throwing: ByteSource = {
      readChunk: () => {
        fail();
        return Promise.resolve(Buffer.from("ok\n"));
      },
    };
    const r = new BufferedReader(throwing);
    await assert.rejects(r.readline(), (e: unknown) => e === failure);
    assert.equal(text(await r.readline()), "ok\n");
    calls = 0;
    const callback = new BufferedReader({
      readChunk: () => Promise.reject(new Error("unused")),
      onNextChunk: (cb) => {
        fail();
        cb(Buffer.from("ok\n"));
      },
    });
    await assert.rejects(callback.readline(), (e: unknown) => e === failure);
    assert.equal(text(await callback.readline()), "ok\n");
  });

  test("a source error after some bytes leaves them buffered for nobody: the error is thrown", async () => {
    let n = 0;
    const r = new BufferedReader({
      readChunk: async () => {
        if (n++ === 0) return Buffer.from("partial");
        throw new Error("reset");
      },
    });
    await assert.rejects(r.readline(), /reset/);
    assert.equal(r.buffered, 7);
  });

  test("for await yields lines until EOF; breaking out leaves the reader open", async () => {
    const r = new BufferedReader(new BytesSource("a\nb\nc\n", 1));
    const seen: string[] = [];
    for await (const line of r) {
      seen.push(text(line));
      if (seen.length === 2) break;
    }
    assert.deepEqual(seen, ["a\n", "b\n"]);
    assert.equal(r.closed, false);
    assert.equal(text(await r.readline()), "c\n");
  });

  test("await using closes the reader", async () => {
    let outer: BufferedReader;
    {
      await using r = new BufferedReader(new BytesSource("x"));
      outer = r;
    }
    assert.equal(outer.closed, true);
  });

  test("a line spread over 100,000 one-byte chunks is read in linear time, from every kind of source", async () => {
    const line = Buffer.concat([Buffer.alloc(100_000, 0x61), Buffer.from("\n")]);
    for (const kind of SOURCE_KINDS.filter((k) => k.name !== "promise")) {
      const r = new BufferedReader(kind.make(cut(line, [1])), { maxLineLength: 200_000 });
      // CPU time, not wall time: other processes on a busy machine stretch the latter.
      // Linear takes a few hundred ms; quadratic, seconds.
      const started = process.cpuUsage();
      assert.equal((await r.readline()).length, 100_001);
      const used = process.cpuUsage(started);
      const ms = (used.user + used.system) / 1000;
      assert.ok(ms < 5000, `${kind.name}: ${Math.round(ms)} ms of CPU`);
    }
    // A four-byte separator over one-byte chunks: each boundary is checked once.
    const head = Buffer.concat([Buffer.alloc(50_000, 0x0d), Buffer.from("\r\n\r\n")]);
    const r = new BufferedReader(new BytesSource(head, 1), { maxLineLength: 100_000 });
    assert.equal((await r.readuntil("\r\n\r\n")).length, 50_004);
  });

  test("the constructor refuses a maxLineLength below 1", () => {
    assert.throws(() => new BufferedReader(new BytesSource(""), { maxLineLength: 0 }), ValueError);
    assert.equal(new BufferedReader(new BytesSource("")).maxLineLength, 65536);
  });
});

describe("netkit/io errors", () => {
  test("LineTooLongError is a ValueError with a code, a limit and Python's wording", () => {
    const e = new LineTooLongError(65536);
    assert.ok(e instanceof ValueError);
    assert.equal(e.code, "ERR_LINE_TOO_LONG");
    assert.equal(e.limit, 65536);
    assert.equal(e.name, "LineTooLongError");
    assert.equal(e.message, "Line is longer than 65536 bytes");
    assert.equal(new LineTooLongError(10, "Header line").message, "Header line is longer than 10 bytes");
  });

  test("IncompleteReadError is an EOFError with asyncio's message", () => {
    const e = new IncompleteReadError(Buffer.from("abc"), 5);
    assert.ok(e instanceof EOFError);
    assert.equal(e.code, "ERR_INCOMPLETE_READ");
    assert.equal(e.message, "3 bytes read on a total of 5 expected bytes");
    assert.equal(
      new IncompleteReadError(Buffer.alloc(0), null).message,
      "0 bytes read on a total of None expected bytes",
    );
  });

  test("LimitOverrunError is a ValueError with consumed", () => {
    const e = new LimitOverrunError("Separator is not found, and chunk exceed the limit", 7);
    assert.ok(e instanceof ValueError);
    assert.equal(e.code, "ERR_LIMIT_OVERRUN");
    assert.equal(e.consumed, 7);
    assert.equal(e.name, "LimitOverrunError");
  });
});

describe("BufferedReader properties", () => {
  /** Bytes with plenty of newlines, and a chunking of them. */
  const chunked = fc
    .tuple(
      fc.uint8Array({ maxLength: 300 }),
      fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 10 }),
      fc.constantFrom(...SOURCE_KINDS),
    )
    .map(([bytes, sizes, kind]) => {
      const data = Buffer.from(bytes.map((b) => (b % 7 === 0 ? 10 : b % 5 === 0 ? 13 : b)));
      const chunks = cut(data, sizes);
      return { data, chunks, kind: kind.name, source: () => kind.make(chunks) };
    });

  test("readline() over any chunking gives back the input, each line ending at its first newline", async () => {
    await fc.assert(
      fc.asyncProperty(chunked, async ({ data, source }) => {
        const r = new BufferedReader(source(), { maxLineLength: 1 << 20 });
        const lines: Buffer[] = [];
        for (;;) {
          const line = await r.readline();
          if (line.length === 0) break;
          const nl = line.indexOf(10);
          assert.ok(nl === -1 || nl === line.length - 1);
          lines.push(line);
        }
        assert.ok(Buffer.concat(lines).equals(data));
      }),
      { numRuns: 400, seed: 20261125 },
    );
  });

  test("readline(size) over any chunking agrees with splitting the whole input", async () => {
    await fc.assert(
      fc.asyncProperty(chunked, fc.integer({ min: 0, max: 12 }), async ({ data, source }, size) => {
        const r = new BufferedReader(source(), { maxLineLength: 1 << 20 });
        let offset = 0;
        for (let round = 0; round <= data.length + 1; round++) {
          const got = await r.readline(size);
          const nl = data.indexOf(10, offset);
          const end = Math.min(nl < 0 ? data.length : nl + 1, offset + size);
          assert.ok(got.equals(data.subarray(offset, end)));
          offset = end;
          if (size === 0) break;
          if (got.length === 0) break;
        }
      }),
      { numRuns: 300, seed: 20261126 },
    );
  });

  test("readlineNow(), with readline() when it gives undefined, agrees with readline() alone, from every kind of source", async () => {
    await fc.assert(
      fc.asyncProperty(chunked, async ({ data, chunks, kind, source }) => {
        const alone = new BufferedReader(source(), { maxLineLength: 1 << 20 });
        const expected: string[] = [];
        for (let line = await alone.readline(); line.length > 0; line = await alone.readline()) {
          expected.push(text(line));
        }
        const r = new BufferedReader(SOURCE_KINDS.find((k) => k.name === kind)!.make(chunks), {
          maxLineLength: 1 << 20,
        });
        const got: string[] = [];
        for (let round = 0; round <= data.length + 1; round++) {
          const before = r.buffered;
          const now = r.readlineNow();
          // Nothing consumed when it cannot finish: what was held is still held.
          if (now === undefined) assert.ok(r.buffered >= before);
          const line = now ?? (await r.readline());
          if (line.length === 0) break;
          got.push(text(line));
        }
        assert.deepEqual(got, expected);
      }),
      { numRuns: 400, seed: 20261207 },
    );
  });

  test("readexactly() sequences rebuild the input", async () => {
    await fc.assert(
      fc.asyncProperty(chunked, fc.integer({ min: 1, max: 17 }), async ({ data, source }, step) => {
        const r = new BufferedReader(source());
        const parts: Buffer[] = [];
        for (let left = data.length; left > 0; left -= step)
          parts.push(await r.readexactly(Math.min(step, left)));
        assert.ok(Buffer.concat(parts).equals(data));
        await assert.rejects(r.readexactly(1), IncompleteReadError);
        assert.equal((await r.read()).length, 0);
      }),
      { numRuns: 300, seed: 20261125 },
    );
  });

  test("mixed calls (read, read1, readline, readexactly, peek) over any chunking rebuild the input", async () => {
    const op = fc.tuple(
      fc.constantFrom("read", "read1", "readline", "readexactly", "peek"),
      fc.integer({ min: 0, max: 9 }),
    );
    await fc.assert(
      fc.asyncProperty(
        chunked,
        fc.array(op, { minLength: 1, maxLength: 40 }),
        async ({ data, source }, ops) => {
          const r = new BufferedReader(source(), { maxLineLength: 1 << 20 });
          const parts: Buffer[] = [];
          for (const [name, n] of ops) {
            if (name === "peek") {
              const before = r.buffered;
              const seen = await r.peek(n);
              const rest = data.subarray(Buffer.concat(parts).length);
              assert.ok(seen.equals(rest.subarray(0, seen.length)));
              assert.ok(seen.length >= Math.min(n, Math.max(before, seen.length)));
              continue;
            }
            try {
              parts.push(await r[name as "read"](n));
            } catch (err) {
              assert.ok(err instanceof IncompleteReadError);
              parts.push(err.partial);
            }
          }
          parts.push(await r.read());
          assert.ok(Buffer.concat(parts).equals(data));
        },
      ),
      { numRuns: 300, seed: 20261127 },
    );
  });

  test("readuntil() with random separators agrees with a naive reference", async () => {
    const alphabet = fc.constantFrom(0x61, 0x62, 0x0d, 0x0a);
    await fc.assert(
      fc.asyncProperty(
        fc.array(alphabet, { maxLength: 200 }),
        fc.array(alphabet, { minLength: 1, maxLength: 4 }),
        fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 0, max: 40 }),
        fc.constantFrom(...SOURCE_KINDS),
        async (bytes, sepBytes, sizes, limit, kind) => {
          const data = Buffer.from(bytes);
          const sep = Buffer.from(sepBytes);
          const r = new BufferedReader(kind.make(cut(data, sizes)));
          let offset = 0;
          for (;;) {
            // The reference: asyncio's rules on the whole remaining input.
            const at = data.indexOf(sep, offset);
            const rest = data.length - offset;
            if (at >= 0 && at - offset <= limit) {
              const got = await r.readuntil(sep, limit);
              assert.ok(got.equals(data.subarray(offset, at + sep.length)));
              offset = at + sep.length;
              continue;
            }
            if (at < 0 && rest + 1 - sep.length <= limit) {
              await assert.rejects(
                r.readuntil(sep, limit),
                (e: unknown) => e instanceof IncompleteReadError && e.partial.equals(data.subarray(offset)),
              );
              return;
            }
            await assert.rejects(
              r.readuntil(sep, limit),
              (e: unknown) => e instanceof LimitOverrunError && e.consumed > limit,
            );
            // Nothing was lost: the bytes stay buffered.
            assert.ok((await r.read()).equals(data.subarray(offset)));
            return;
          }
        },
      ),
      { numRuns: 500, seed: 20261128 },
    );
  });

  test("a long line throws before the reader holds more than maxLineLength plus one chunk", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 300 }),
        fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 8 }),
        fc.constantFrom("promise", "callback", "callback+now", "ready"),
        async (limit, sizes, kind) => {
          // An endless line: chunks of the given sizes, never a newline.
          let delivered = 0;
          let k = 0;
          const next = (): Buffer => {
            const size = sizes[k++ % sizes.length]!;
            delivered += size;
            return Buffer.alloc(size, 0x78);
          };
          const source: ByteSource =
            kind === "promise"
              ? { readChunk: async () => next() }
              : kind === "ready"
                ? { readChunk: async () => next(), readChunkNow: next }
                : {
                    readChunk: async () => next(),
                    onNextChunk: (cb) => (k % 2 ? cb(next()) : setImmediate(() => cb(next()))),
                    ...(kind === "callback+now" ? { readChunkNow: () => (k % 3 ? next() : null) } : {}),
                  };
          const r = new BufferedReader(source, { maxLineLength: limit });
          await assert.rejects(r.readline(), LineTooLongError);
          const largest = Math.max(...sizes);
          assert.ok(
            delivered <= limit + largest,
            `held ${delivered} with limit ${limit}, chunks up to ${largest}`,
          );
          assert.ok(r.buffered > limit);
        },
      ),
      { numRuns: 300, seed: 20261129 },
    );
  });

  test("BytesSource with promise and callback sources agree on readline", async () => {
    // Same data and chunking through the three delivery styles gives the same lines.
    await fc.assert(
      fc.asyncProperty(chunked, async ({ chunks }) => {
        const results: string[][] = [];
        for (const source of [new BytesSource(chunks), promiseSource(chunks), callbackSource(chunks, true)]) {
          const r = new BufferedReader(source, { maxLineLength: 1 << 20 });
          results.push((await r.readlines()).map(text));
        }
        assert.deepEqual(results[1], results[0]);
        assert.deepEqual(results[2], results[0]);
      }),
      { numRuns: 100, seed: 20261130 },
    );
  });
});
