import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { ValueError } from "../../src/errors/index.js";
import { BufferedReader } from "../../src/io/reader.js";
import type { ByteSource } from "../../src/io/source.js";
import { ProtocolError, ReplyError } from "../../src/textproto/errors.js";
import { LINE_LIMITS } from "../../src/textproto/limits.js";
import { type DotBlockOptions, parseCodeLine, Reader } from "../../src/textproto/reader.js";
import { CHUNKINGS, cut, SOURCE_KINDS } from "../io/_sources.js";
import { NEAR_MISS_REPLY_LINES, readerOver, rejectsWith, texts } from "./_support.js";

describe("Reader lines", () => {
  test("readLine() strips CRLF or a bare LF and keeps a lone CR, under every chunking", async () => {
    for (const { name, sizes } of CHUNKINGS) {
      const r = readerOver("a\r\nb\nc\rd\r\n\r\nlast", sizes);
      const got = [];
      for (let i = 0; i < 5; i++) got.push((await r.readLine()).toString("latin1"));
      assert.deepEqual(got, ["a", "b", "c\rd", "", "last"], name);
      assert.equal(r.lastLineEnded, false, name);
      await rejectsWith(r.readLine(), "ERR_TEXTPROTO_EOF");
    }
  });

  test("readLine() accepts a line of exactly maxLine bytes and refuses one byte more", async () => {
    const ok = readerOver(`${"x".repeat(8)}\r\n`, undefined, { maxLine: 10 });
    assert.equal((await ok.readLine()).length, 8);
    const long = readerOver(`${"x".repeat(9)}\r\n`, undefined, { maxLine: 10 });
    const err = await rejectsWith(long.readLine(), "ERR_TEXTPROTO_LINE_TOO_LONG");
    assert.ok(err instanceof ProtocolError);
    assert.equal((err as ProtocolError).line?.length, 11);
    const explicit = readerOver("abcdef\n");
    await rejectsWith(explicit.readLine(6), "ERR_TEXTPROTO_LINE_TOO_LONG");
  });

  test("readLine() keeps at most 256 bytes of an over-long line on the error", async () => {
    const r = readerOver("y".repeat(5000), [100]);
    const err = (await rejectsWith(r.readLine(1000), "ERR_TEXTPROTO_LINE_TOO_LONG")) as ProtocolError;
    assert.equal(err.line?.length, 256);
  });

  test("readLineRaw() keeps the line end and returns empty at EOF", async () => {
    const r = readerOver("a\r\nb");
    assert.equal((await r.readLineRaw()).toString(), "a\r\n");
    assert.equal((await r.readLineRaw()).toString(), "b");
    assert.equal((await r.readLineRaw()).length, 0);
    await assert.rejects(r.readLineRaw(-1), ValueError);
  });

  test("Reader() refuses limits below 1 and defaults to smtplib's line limit", () => {
    assert.throws(() => readerOver("", undefined, { maxLine: 0 }), ValueError);
    assert.throws(() => readerOver("", undefined, { maxReplyLines: 0 }), ValueError);
    assert.equal(readerOver("").maxLine, LINE_LIMITS.smtplib);
    assert.equal(readerOver("").maxReplyLines, LINE_LIMITS.maxReplyLines);
  });

  test("readContinuedLine() joins lines that start with SP or HT, without their line ends", async () => {
    for (const { name, sizes } of CHUNKINGS) {
      const r = readerOver("Subject: a\r\n b\r\n\tc\r\nTo: d\r\n\r\n", sizes);
      assert.equal((await r.readContinuedLine()).toString(), "Subject: a b\tc", name);
      assert.equal((await r.readContinuedLine()).toString(), "To: d", name);
      assert.equal((await r.readContinuedLine()).length, 0, name);
    }
    const atEnd = readerOver("X: 1\r\n");
    assert.equal((await atEnd.readContinuedLine()).toString(), "X: 1");
    await rejectsWith(atEnd.readContinuedLine(), "ERR_TEXTPROTO_EOF");
  });

  test("readContinuedLine() bounds the folded line as a whole", async () => {
    const r = readerOver("A: 12345\r\n 6789\r\n", undefined, { maxLine: 16 });
    await rejectsWith(r.readContinuedLine(), "ERR_TEXTPROTO_LINE_TOO_LONG");
    const fits = readerOver("A: 12345\r\n 6789\r\n", undefined, { maxLine: 17 });
    assert.equal((await fits.readContinuedLine()).toString(), "A: 12345 6789");
  });
});

describe("parseCodeLine()", () => {
  test("parseCodeLine() takes apart DDD, DDD text and DDD-text", () => {
    assert.deepEqual(parseCodeLine(Buffer.from("250")), { code: 250, more: false, text: Buffer.alloc(0) });
    assert.deepEqual(parseCodeLine(Buffer.from("250 ok")), {
      code: 250,
      more: false,
      text: Buffer.from("ok"),
    });
    assert.deepEqual(parseCodeLine(Buffer.from("250-a b")), {
      code: 250,
      more: true,
      text: Buffer.from("a b"),
    });
    assert.deepEqual(parseCodeLine(Buffer.from("999 ")), { code: 999, more: false, text: Buffer.from("") });
  });

  test("parseCodeLine() refuses near misses that smtplib would take", () => {
    for (const line of NEAR_MISS_REPLY_LINES) {
      assert.equal(parseCodeLine(Buffer.from(line)), undefined, JSON.stringify(line));
    }
  });
});

describe("Reader replies", () => {
  test("readResponse() reads SMTP's multi-line form under every chunking", async () => {
    for (const { name, sizes } of CHUNKINGS) {
      const r = readerOver("250-mail.example.com\r\n250-SIZE 1000\r\n250 HELP\r\n220 next\r\n", sizes);
      const reply = await r.readResponse(2);
      assert.equal(reply.code, 250, name);
      assert.deepEqual(texts(reply.lines), ["mail.example.com", "SIZE 1000", "HELP"], name);
      assert.equal(reply.text.toString(), "mail.example.com\nSIZE 1000\nHELP", name);
      assert.equal((await r.readResponse(220)).text.toString(), "next", name);
    }
  });

  test("readResponse() reads RFC 959's multi-line form, keeping the middle lines whole", async () => {
    const wire =
      "123-First line\r\nSecond line\r\n  234 A line beginning with numbers\r\n123-dash\r\n456 other\r\n123 The last line\r\n";
    const reply = await readerOver(wire, [5]).readResponse(1);
    assert.equal(reply.code, 123);
    assert.deepEqual(texts(reply.lines), [
      "First line",
      "Second line",
      "  234 A line beginning with numbers",
      "dash",
      "456 other",
      "The last line",
    ]);
    assert.deepEqual(texts(reply.rawLines), [
      "123-First line",
      "Second line",
      "  234 A line beginning with numbers",
      "123-dash",
      "456 other",
      "123 The last line",
    ]);
  });

  test("readResponse() takes a bare DDD as the last line", async () => {
    const reply = await readerOver("250-a\r\n250\r\n").readResponse();
    assert.deepEqual(texts(reply.lines), ["a", ""]);
    assert.equal(reply.text.toString(), "a\n");
  });

  test("readResponse() matches expect as a prefix of the code", async () => {
    const table: Array<[string, number | undefined, boolean]> = [
      ["250 ok", 2, true],
      ["250 ok", 25, true],
      ["250 ok", 250, true],
      ["251 ok", 25, true],
      ["251 ok", 250, false],
      ["354 go", 2, false],
      ["354 go", 3, true],
      ["550 no", 55, true],
      ["550 no", 5, true],
      ["550 no", 25, false],
      ["199 x", 1, true],
      ["199 x", undefined, true],
    ];
    for (const [line, expect, ok] of table) {
      const r = readerOver(`${line}\r\n`);
      if (ok) assert.equal((await r.readResponse(expect)).code, Number(line.slice(0, 3)));
      else await rejectsWith(r.readResponse(expect), "ERR_TEXTPROTO_REPLY");
    }
  });

  test("readResponse() reads the whole refused reply before throwing ReplyError, so the next reply is in step", async () => {
    const r = readerOver("550-No such user\r\n550 here\r\n250 next\r\n", [3]);
    const err = await rejectsWith(r.readResponse(2), "ERR_TEXTPROTO_REPLY");
    assert.ok(err instanceof ReplyError);
    assert.equal(err.replyCode, 550);
    assert.equal(err.text.toString(), "No such user\nhere");
    assert.deepEqual(texts(err.lines), ["No such user", "here"]);
    assert.equal(err.expected, 2);
    assert.match(err.message, /^Unexpected reply 550 "No such user\\nhere": expected 2xx$/);
    assert.equal(err.name, "ReplyError");
    assert.equal((await r.readResponse(250)).text.toString(), "next");
  });

  test("readResponse() and readCodeLine() refuse an expect that is not a code prefix", async () => {
    for (const expect of [0, -2, 1000, 2.5, Number.NaN]) {
      await assert.rejects(readerOver("250 ok\r\n").readResponse(expect), ValueError);
      await assert.rejects(readerOver("250 ok\r\n").readCodeLine(expect), ValueError);
    }
  });

  test("readResponse() throws ERR_TEXTPROTO_BAD_REPLY for near-miss first lines", async () => {
    for (const line of [...NEAR_MISS_REPLY_LINES, "hello"]) {
      const err = await rejectsWith(
        readerOver(Buffer.from(`${line}\r\n250 ok\r\n`)).readResponse(),
        "ERR_TEXTPROTO_BAD_REPLY",
      );
      assert.ok(err instanceof ProtocolError, line);
      assert.equal((err as ProtocolError).line?.toString(), line);
    }
  });

  test("readResponse() throws ERR_TEXTPROTO_EOF when the peer closes inside a reply or cuts a reply line", async () => {
    for (const wire of [
      "",
      "250-a\r\n",
      "250-a\r\n250-b\r\n",
      "250 ok",
      "250-a\r\n250",
      "123-First\r\nmiddle\r\n",
    ]) {
      await rejectsWith(readerOver(wire).readResponse(), "ERR_TEXTPROTO_EOF");
    }
  });

  test("readResponse() stops at maxReplyLines with ERR_TEXTPROTO_TOO_MANY_LINES", async () => {
    const wire = `${"250-x\r\n".repeat(4)}250 end\r\n`;
    assert.equal((await readerOver(wire, undefined, { maxReplyLines: 5 }).readResponse()).lines.length, 5);
    await rejectsWith(
      readerOver(wire, undefined, { maxReplyLines: 4 }).readResponse(),
      "ERR_TEXTPROTO_TOO_MANY_LINES",
    );
    // A server that sends "250-" forever is stopped by the default bound.
    const endless = `${"250-x\r\n".repeat(LINE_LIMITS.maxReplyLines + 5)}`;
    await rejectsWith(readerOver(endless).readResponse(), "ERR_TEXTPROTO_TOO_MANY_LINES");
  });

  test("readResponse() stops a reply line past maxLine with ERR_TEXTPROTO_LINE_TOO_LONG", async () => {
    const wire = `250 ${"x".repeat(LINE_LIMITS.smtplib)}\r\n`;
    await rejectsWith(readerOver(wire, [4096]).readResponse(), "ERR_TEXTPROTO_LINE_TOO_LONG");
  });

  test("readCodeLine() reads one line and refuses a multi-line reply", async () => {
    const r = readerOver("220 ready\r\n250-a\r\n250 b\r\n");
    const reply = await r.readCodeLine(220);
    assert.deepEqual([reply.code, reply.text.toString()], [220, "ready"]);
    await rejectsWith(r.readCodeLine(), "ERR_TEXTPROTO_BAD_REPLY");
    await rejectsWith(readerOver("550 no\r\n").readCodeLine(2), "ERR_TEXTPROTO_REPLY");
    await rejectsWith(readerOver("55 no\r\n").readCodeLine(), "ERR_TEXTPROTO_BAD_REPLY");
  });

  test("readResponse() parses any reply the SMTP grammar allows, however it is cut (fast-check)", async () => {
    const text = fc
      .uint8Array({ maxLength: 30 })
      .map((a) => Buffer.from(a.filter((b) => b !== 0x0a && b !== 0x0d)));
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 100, max: 999 }),
        fc.array(text, { minLength: 1, maxLength: 8 }),
        fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 6 }),
        async (code, lines, sizes) => {
          const wire = Buffer.concat(
            lines.map((t, i) =>
              Buffer.concat([
                Buffer.from(`${code}${i < lines.length - 1 ? "-" : " "}`),
                t,
                Buffer.from("\r\n"),
              ]),
            ),
          );
          const reply = await readerOver(wire, sizes).readResponse(Math.floor(code / 100));
          assert.equal(reply.code, code);
          assert.deepEqual(reply.lines, lines);
        },
      ),
      { numRuns: 300, seed: 20261207 },
    );
  });
});

describe("Reader dot-terminated blocks", () => {
  test("readDotLines() reads to the . line, unstuffing a leading .., under every chunking", async () => {
    for (const { name, sizes } of CHUNKINGS) {
      const r = readerOver("a\r\n..b\r\n.c\r\n...\r\n\r\nbare lf\n.\r\n250 after\r\n", sizes);
      assert.deepEqual(texts(await r.readDotLines()), ["a", ".b", ".c", "..", "", "bare lf"], name);
      assert.equal((await r.readLine()).toString(), "250 after", name);
    }
  });

  test("readDotLines() with dropLeadingDot drops the first dot of every line, as RFC 5321 4.5.2 and Python's smtpd do", async () => {
    for (const { name, sizes } of CHUNKINGS) {
      const r = readerOver("a\r\n..b\r\n.c\r\n...\r\n.\r\n250 after\r\n", sizes);
      assert.deepEqual(texts(await r.readDotLines({ dropLeadingDot: true })), ["a", ".b", "c", ".."], name);
      assert.equal((await r.readLine()).toString(), "250 after", name);
    }
  });

  test("readDotLines() takes .LF as the end by default, as Python's clients do", async () => {
    assert.deepEqual(texts(await readerOver("a\n.\nrest").readDotLines()), ["a"]);
  });

  test("readDotLines() throws ERR_TEXTPROTO_EOF for a block cut before its . line, or a . line cut by EOF", async () => {
    for (const wire of ["", "a\r\n", "a\r\nb", "a\r\n.", "a\r\n..\r\n", "a\r\n.\r"]) {
      await rejectsWith(readerOver(wire).readDotLines(), "ERR_TEXTPROTO_EOF");
    }
  });

  test("readDotLines() throws ERR_TEXTPROTO_TOO_LARGE past maxBytes, at once or after draining", async () => {
    const wire = "12345\r\n67890\r\n.\r\n250 next\r\n";
    assert.equal((await readerOver(wire).readDotLines({ maxBytes: 14 })).length, 2);
    await rejectsWith(readerOver(wire).readDotLines({ maxBytes: 13 }), "ERR_TEXTPROTO_TOO_LARGE");
    const r = readerOver(wire, [2]);
    await rejectsWith(r.readDotLines({ maxBytes: 3, drain: true }), "ERR_TEXTPROTO_TOO_LARGE");
    assert.equal((await r.readLine()).toString(), "250 next");
    await assert.rejects(readerOver(wire).readDotLines({ maxBytes: -1 }), ValueError);
  });

  test("readDotLines() throws ERR_TEXTPROTO_LINE_TOO_LONG for a long line, and drains past it when asked", async () => {
    const wire = `ok\r\n${"x".repeat(50)}\r\n.\r\n..\r\n.\r\n250 next\r\n`;
    await rejectsWith(
      readerOver(wire, undefined, { maxLine: 20 }).readDotLines(),
      "ERR_TEXTPROTO_LINE_TOO_LONG",
    );
    const r = readerOver(wire, [7], { maxLine: 20 });
    await rejectsWith(r.readDotLines({ drain: true }), "ERR_TEXTPROTO_LINE_TOO_LONG");
    // The block ended at the first "." line, not inside the long line.
    assert.deepEqual(texts(await r.readDotLines()), ["."]);
    assert.equal((await r.readLine()).toString(), "250 next");
    // A line one byte too long, its LF the last byte read: the next line starts a line.
    const edge = readerOver(`${"y".repeat(19)}\r\n.\r\n250 next\r\n`, [4], { maxLine: 20 });
    await rejectsWith(edge.readDotLines({ drain: true }), "ERR_TEXTPROTO_LINE_TOO_LONG");
    assert.equal((await edge.readLine()).toString(), "250 next");
  });

  test("readDotLines() with strictLineEnds ends only at CRLF.CRLF and refuses the block after draining it", async () => {
    for (const smuggle of ["\r.\r\n", "\n.\n", "\n.\r\n", "\r.\n", "\r\n.\n", "\r\n.\r"]) {
      const r = readerOver(`a${smuggle}MAIL FROM:<x>\r\n.\r\n250 next\r\n`, [3]);
      const err = await rejectsWith(r.readDotLines({ strictLineEnds: true }), "ERR_TEXTPROTO_BARE_LINE_END");
      assert.ok(err instanceof ProtocolError, JSON.stringify(smuggle));
      assert.equal((await r.readLine()).toString(), "250 next", JSON.stringify(smuggle));
    }
    const clean = readerOver("a\r\n..\r\nb\r\n.\r\n");
    assert.deepEqual(texts(await clean.readDotLines({ strictLineEnds: true })), ["a", ".", "b"]);
  });

  test("dotBlock() yields the unstuffed block with CRLF line ends, in chunks of whole lines", async () => {
    for (const { name, sizes } of CHUNKINGS) {
      const r = readerOver("a\n..b\r\nc\r\n.\r\n250 after\r\n", sizes);
      const chunks: Buffer[] = [];
      for await (const chunk of r.dotBlock()) chunks.push(chunk);
      assert.equal(Buffer.concat(chunks).toString(), "a\r\n.b\r\nc\r\n", name);
      for (const chunk of chunks) assert.ok(chunk.toString().endsWith("\r\n"), name);
      assert.equal((await r.readLine()).toString(), "250 after", name);
    }
  });

  test("dotBlock() gathers a large block into chunks of at least 64 KiB when the bytes are there", async () => {
    const line = `${"z".repeat(998)}\r\n`;
    const r = readerOver(`${line.repeat(200)}.\r\n`, undefined, { maxLine: 1000 });
    const sizes: number[] = [];
    for await (const chunk of r.dotBlock()) sizes.push(chunk.length);
    assert.equal(
      sizes.reduce((a, b) => a + b, 0),
      200_000,
    );
    assert.ok(sizes.length <= 4, `${sizes.length} chunks`);
  });

  test("dotBlock() throws the same errors from the iteration", async () => {
    const drain = async (it: AsyncIterable<Buffer>) => {
      for await (const _ of it);
    };
    await rejectsWith(drain(readerOver("a\r\n").dotBlock()), "ERR_TEXTPROTO_EOF");
    await rejectsWith(drain(readerOver("abc\r\n.\r\n").dotBlock({ maxBytes: 2 })), "ERR_TEXTPROTO_TOO_LARGE");
    await rejectsWith(
      drain(readerOver("a\n.\r\n.\r\n").dotBlock({ strictLineEnds: true })),
      "ERR_TEXTPROTO_BARE_LINE_END",
    );
  });
});

describe("readDotLines() and readDotBytes() in strict mode: the one-search path agrees with the line-at-a-time path", () => {
  /** What a read gave: its lines (joined, as dotBlock gives them) or its error code, then the next line. */
  async function outcome(
    read: (r: ReturnType<typeof readerOver>) => Promise<Buffer>,
    data: Buffer,
    sizes: number[],
  ) {
    const r = readerOver(data, sizes, { maxLine: 16 });
    let result: string;
    try {
      result = (await read(r)).toString("latin1");
    } catch (err) {
      result = `error ${(err as { code?: string }).code}`;
    }
    let after: string;
    try {
      after = (await r.readLine()).toString("latin1");
    } catch (err) {
      after = `error ${(err as { code?: string }).code}`;
    }
    return { result, after };
  }

  test("readDotLines() and readDotBytes() give dotBlock()'s bytes and errors for any block of dots, CRs, LFs and letters, under any chunking", async () => {
    // dotBlock() always reads a line at a time: it is the oracle. Blocks are
    // bytes from a small alphabet, so dot lines, bare CR/LF, over-long lines
    // (maxLine 16) and terminators come often; a drained read leaves the
    // connection at the line after the block, which must agree too.
    const piece = fc.constantFrom("a", "bc", ".", "..", "\r", "\n", "\r\n", "\r\n.\r\n", "xxxxxxxxxx");
    await fc.assert(
      fc.asyncProperty(
        fc.array(piece, { maxLength: 30 }),
        fc.array(fc.integer({ min: 1, max: 9 }), { maxLength: 6 }),
        fc.record({
          drain: fc.boolean(),
          dropLeadingDot: fc.boolean(),
          maxBytes: fc.constantFrom(1e9, 8, 40),
        }),
        async (pieces, sizes, opts) => {
          const data = Buffer.from(`${pieces.join("")}\r\n.\r\nNEXT\r\n`, "latin1");
          const options = { ...opts, strictLineEnds: true };
          const lines = await outcome(
            async (r) =>
              Buffer.concat((await r.readDotLines(options)).flatMap((l) => [l, Buffer.from("\r\n")])),
            data,
            sizes,
          );
          const stream = await outcome(
            async (r) => {
              const parts: Buffer[] = [];
              for await (const chunk of r.dotBlock(options)) parts.push(chunk);
              return Buffer.concat(parts);
            },
            data,
            sizes,
          );
          const bytes = await outcome(async (r) => r.readDotBytes(options), data, sizes);
          const where = JSON.stringify({ data: data.toString("latin1"), opts });
          assert.deepEqual(lines.result, stream.result, where);
          // A block read whole holds no bare CR or LF, so its CRLF line ends are LF in readDotBytes().
          assert.deepEqual(bytes.result, stream.result.replaceAll("\r\n", "\n"), where);
          // Without drain, a failed read leaves the connection out of step (it must be closed): only a drained or successful read's next line counts.
          if (opts.drain || !lines.result.startsWith("error"))
            assert.deepEqual(lines.after, stream.after, where);
          if (opts.drain || !bytes.result.startsWith("error"))
            assert.deepEqual(bytes.after, stream.after, where);
        },
      ),
      { numRuns: 1500, seed: 20261207 },
    );
  });
});

describe("Reader blocks from any kind of source: lines already buffered are read without waiting, the rest by waiting", () => {
  /** What reading the block gave (its lines, or its error code) and the line after it. */
  async function outcome(kind: (typeof SOURCE_KINDS)[number], chunks: Buffer[], options: DotBlockOptions) {
    const r = new Reader(new BufferedReader(kind.make(chunks)), { maxLine: 16 });
    let result: string;
    try {
      result = texts(await r.readDotLines(options)).join("|");
    } catch (err) {
      result = `error ${(err as { code?: string }).code}`;
    }
    const stream = new Reader(new BufferedReader(kind.make(chunks)), { maxLine: 16 });
    let streamed: string;
    try {
      const parts: Buffer[] = [];
      for await (const chunk of stream.dotBlock(options)) parts.push(chunk);
      streamed = Buffer.concat(parts).toString("latin1");
    } catch (err) {
      streamed = `error ${(err as { code?: string }).code}`;
    }
    let after: string;
    try {
      after = (await r.readLine()).toString("latin1");
    } catch (err) {
      after = `error ${(err as { code?: string }).code}`;
    }
    return { result, streamed, after };
  }

  test("readDotLines() and dotBlock() give the same lines, errors and next line from every kind of source as from bytes in memory (fast-check)", async () => {
    const piece = fc.constantFrom("a", "bc", ".", "..", "\r", "\n", "\r\n", "\r\n.\r\n", "xxxxxxxxxx");
    await fc.assert(
      fc.asyncProperty(
        fc.array(piece, { maxLength: 30 }),
        fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 6 }),
        fc.record({
          drain: fc.boolean(),
          dropLeadingDot: fc.boolean(),
          strictLineEnds: fc.boolean(),
          maxBytes: fc.constantFrom(1e9, 8, 40),
        }),
        async (pieces, sizes, options) => {
          const data = Buffer.from(`${pieces.join("")}\r\n.\r\nNEXT\r\n`, "latin1");
          const chunks = cut(data, sizes);
          const whole = await outcome(SOURCE_KINDS[0]!, [data], options);
          for (const kind of SOURCE_KINDS) {
            const got = await outcome(kind, chunks, options);
            const where = JSON.stringify({ kind: kind.name, data: data.toString("latin1"), sizes, options });
            assert.equal(got.result, whole.result, where);
            assert.equal(got.streamed, whole.streamed, where);
            if (options.drain || !whole.result.startsWith("error"))
              assert.equal(got.after, whole.after, where);
          }
        },
      ),
      { numRuns: 400, seed: 20261208 },
    );
  });

  test("readLineRawNow() gives a buffered line at once, undefined before all of it has come, and readLineRaw()'s errors", async () => {
    const queue: Buffer[] = [];
    const source: ByteSource = {
      readChunk: () => Promise.reject(new Error("not used")),
      readChunkNow: () => queue.shift() ?? null,
    };
    const r = new Reader(new BufferedReader(source), { maxLine: 6 });
    assert.equal(r.readLineRawNow(), undefined);
    queue.push(Buffer.from("12"));
    assert.equal(r.readLineRawNow(), undefined);
    queue.push(Buffer.from("3\r\n4567890\r\n"));
    assert.equal(r.readLineRawNow()!.toString(), "123\r\n");
    assert.throws(
      () => r.readLineRawNow(),
      (err: unknown) => {
        assert.ok(err instanceof ProtocolError);
        assert.equal(err.code, "ERR_TEXTPROTO_LINE_TOO_LONG");
        return true;
      },
    );
    assert.throws(() => r.readLineRawNow(-1), ValueError);
    queue.push(Buffer.alloc(0));
    assert.equal(r.readLineRawNow()!.toString(), "\r\n"); // maxLine + 1 bytes went with the error, as with readLineRaw
    assert.equal(r.readLineRawNow()!.length, 0);
  });
});
