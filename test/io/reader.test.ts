import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { ValueError } from "../../src/errors/index.js";
import { IncompleteReadError, LimitOverrunError, LineTooLongError } from "../../src/io/errors.js";
import { BytesSource } from "../../src/io/memory.js";
import { BufferedReader } from "../../src/io/reader.js";

const reader = (data: string | Buffer | string[], chunk?: number, maxLineLength?: number) =>
  new BufferedReader(new BytesSource(data, chunk), maxLineLength === undefined ? {} : { maxLineLength });

async function allLines(r: BufferedReader): Promise<string[]> {
  const out: string[] = [];
  for await (const line of r) out.push(line.toString("latin1"));
  return out;
}

describe("BufferedReader", () => {
  for (const chunk of [undefined, 1, 2, 3, 7]) {
    test(`readline() splits lines at every chunk size (${chunk ?? "whole"})`, async () => {
      assert.deepEqual(await allLines(reader("one\ntwo\r\n\nlast", chunk)), [
        "one\n",
        "two\r\n",
        "\n",
        "last",
      ]);
    });
  }

  test("readline() returns an empty Buffer at end of stream, again and again", async () => {
    const r = reader("x\n");
    assert.equal((await r.readline()).toString(), "x\n");
    assert.equal((await r.readline()).length, 0);
    assert.equal((await r.readline()).length, 0);
  });

  test("readline(size) returns at most size bytes and keeps the rest of the line", async () => {
    const r = reader("abcdef\nxy\n", 2);
    assert.equal((await r.readline(4)).toString(), "abcd");
    assert.equal((await r.readline()).toString(), "ef\n");
    assert.equal((await r.readline(0)).toString(), "");
    assert.equal((await r.readline(10)).toString(), "xy\n");
  });

  test("readline() accepts a line of exactly maxLineLength bytes and refuses one more", async () => {
    const ok = reader(`${"a".repeat(9)}\n`, 3, 10);
    assert.equal((await ok.readline()).length, 10);
    const over = reader(`${"a".repeat(10)}\n`, 3, 10);
    await assert.rejects(over.readline(), (e: unknown) => {
      assert.ok(e instanceof LineTooLongError);
      assert.ok(e instanceof ValueError);
      assert.equal(e.code, "ERR_LINE_TOO_LONG");
      assert.equal(e.limit, 10);
      assert.equal(e.message, "Line is longer than 10 bytes");
      return true;
    });
  });

  test("readline() refuses an endless line before holding much more than the limit", async () => {
    let delivered = 0;
    const source = {
      async readChunk() {
        delivered += 1000;
        return Buffer.alloc(1000, 0x61);
      },
    };
    const r = new BufferedReader(source, { maxLineLength: 5000 });
    await assert.rejects(r.readline(), LineTooLongError);
    assert.ok(delivered <= 6000, `read ${delivered} bytes`);
    assert.ok(r.buffered <= 6000);
  });

  test("read(n) waits for n bytes unless the stream ends; read() reads to the end", async () => {
    const r = reader("0123456789", 3);
    assert.equal((await r.read(4)).toString(), "0123");
    assert.equal((await r.read(0)).toString(), "");
    assert.equal((await r.read()).toString(), "456789");
    assert.equal((await r.read(5)).length, 0);
  });

  test("read1() returns buffered bytes or one chunk", async () => {
    const r = reader(["abc", "def"]);
    assert.equal((await r.read1()).toString(), "abc");
    assert.equal((await r.read1(2)).toString(), "de");
    assert.equal((await r.read1()).toString(), "f");
    assert.equal((await r.read1()).length, 0);
  });

  test("readexactly() throws IncompleteReadError with what it got at end of stream", async () => {
    const r = reader("abc", 1);
    assert.equal((await r.readexactly(2)).toString(), "ab");
    await assert.rejects(r.readexactly(5), (e: unknown) => {
      assert.ok(e instanceof IncompleteReadError);
      assert.equal(e.partial.toString(), "c");
      assert.equal(e.expected, 5);
      return true;
    });
  });

  test("readuntil() finds a separator split across chunks", async () => {
    const r = reader("head\r\n\r\nbody", 3);
    assert.equal((await r.readuntil("\r\n\r\n")).toString(), "head\r\n\r\n");
    await assert.rejects(
      r.readuntil("\r\n"),
      (e: unknown) => e instanceof IncompleteReadError && e.partial.toString() === "body",
    );
  });

  test("readuntil() throws LimitOverrunError past its limit", async () => {
    await assert.rejects(
      reader("aaaaaaaaaa;", 2).readuntil(";", 5),
      (e: unknown) => e instanceof LimitOverrunError,
    );
    await assert.rejects(
      reader("aaaaaaaaaa", 2).readuntil(";", 5),
      (e: unknown) => e instanceof LimitOverrunError && e.code === "ERR_LIMIT_OVERRUN",
    );
  });

  test("peek() shows bytes without consuming them", async () => {
    const r = reader("hello");
    assert.equal((await r.peek()).toString(), "hello");
    assert.equal((await r.read(2)).toString(), "he");
    assert.equal((await r.peek()).toString(), "llo");
  });

  test("readlines() reads every line, or stops after hint bytes", async () => {
    assert.deepEqual((await reader("a\nb\nc").readlines()).map(String), ["a\n", "b\n", "c"]);
    assert.deepEqual((await reader("aa\nbb\ncc\n").readlines(4)).map(String), ["aa\n", "bb\n"]);
  });

  test("reads after close() throw ValueError", async () => {
    const r = reader("x");
    r.close();
    await assert.rejects(
      r.read(),
      (e: unknown) => e instanceof ValueError && e.message === "I/O operation on closed file.",
    );
  });

  test("readline() while another readline() waits is refused, and the first still completes", async () => {
    let deliver!: (chunk: Buffer | Error) => void;
    const r = new BufferedReader({
      readChunk: () => Promise.reject(new Error("unused")),
      onNextChunk: (cb) => {
        deliver = cb;
      },
    });
    const first = r.readline();
    await assert.rejects(r.readline(), /another readline\(\) on this reader is waiting/);
    deliver(Buffer.from("line\n"));
    assert.equal((await first).toString(), "line\n");
  });

  test("a source error reaches the caller", async () => {
    const r = new BufferedReader({
      async readChunk(): Promise<Buffer> {
        throw new Error("reset");
      },
    });
    await assert.rejects(r.readline(), /reset/);
  });
});

describe("BufferedReader properties", () => {
  const chunked = fc
    .tuple(
      fc.uint8Array({ maxLength: 300 }),
      fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 10 }),
    )
    .map(([bytes, sizes]) => {
      const data = Buffer.from(bytes.map((b) => (b % 7 === 0 ? 10 : b)));
      const chunks: Buffer[] = [];
      for (let i = 0, k = 0; i < data.length; k++) {
        const size = sizes[k % sizes.length]!;
        chunks.push(data.subarray(i, i + size));
        i += size;
      }
      return { data, chunks };
    });

  test("readline() over any chunking gives back the input, each line ending at its first newline", async () => {
    await fc.assert(
      fc.asyncProperty(chunked, async ({ data, chunks }) => {
        const r = new BufferedReader(new BytesSource(chunks), { maxLineLength: 1 << 20 });
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
      { numRuns: 300, seed: 20261125 },
    );
  });

  test("readexactly() sequences rebuild the input", async () => {
    await fc.assert(
      fc.asyncProperty(chunked, fc.integer({ min: 1, max: 17 }), async ({ data, chunks }, step) => {
        const r = new BufferedReader(new BytesSource(chunks));
        const parts: Buffer[] = [];
        for (let left = data.length; left > 0; left -= step)
          parts.push(await r.readexactly(Math.min(step, left)));
        assert.ok(Buffer.concat(parts).equals(data));
        assert.equal((await r.read()).length, 0);
      }),
      { numRuns: 300, seed: 20261125 },
    );
  });

  test("readuntil() agrees with a plain indexOf over the whole input", async () => {
    await fc.assert(
      fc.asyncProperty(
        chunked,
        fc.uint8Array({ minLength: 1, maxLength: 3 }),
        async ({ data, chunks }, sepBytes) => {
          const sep = Buffer.from(sepBytes);
          const r = new BufferedReader(new BytesSource(chunks), { maxLineLength: 1 << 20 });
          let offset = 0;
          for (;;) {
            const at = data.indexOf(sep, offset);
            if (at < 0) {
              await assert.rejects(
                r.readuntil(sep),
                (e: unknown) => e instanceof IncompleteReadError && e.partial.equals(data.subarray(offset)),
              );
              return;
            }
            const got = await r.readuntil(sep);
            assert.ok(got.equals(data.subarray(offset, at + sep.length)));
            offset = at + sep.length;
          }
        },
      ),
      { numRuns: 300, seed: 20261125 },
    );
  });
});
