import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { ValueError } from "../../src/errors/index.js";
import { BytesSink } from "../../src/io/memory.js";
import { BufferedWriter } from "../../src/io/writer.js";
import { CommandError } from "../../src/textproto/errors.js";
import { checkArgument, DotStuffer, dotStuff, formatCommand, Writer } from "../../src/textproto/writer.js";
import { cut } from "../io/_sources.js";
import { readerOver } from "./_support.js";

/** Bodies rich in what dot-stuffing must get right: dots, CR, LF, at every position. */
const body = fc
  .array(fc.constantFrom(..."..\r\n\r\nab.\0\u00ff"), { maxLength: 60 })
  .map((chars) => Buffer.from(chars.join(""), "latin1"));
const anyBody = fc.oneof(
  body,
  fc.uint8Array({ maxLength: 200 }).map((a) => Buffer.from(a)),
);
const sizes = fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 8 });

/** The lines a body reads back as: every CRLF, bare CR and bare LF a line end; a last line without one still a line. */
function normalisedLines(data: Buffer): string[] {
  const lines = data.toString("latin1").split(/\r\n|\r|\n/);
  if (lines.length > 1 && lines.at(-1) === "") lines.pop();
  return lines;
}

function stuffInChunks(data: Buffer, chunkSizes: readonly number[]): Buffer {
  const stuffer = new DotStuffer();
  const parts = cut(data, chunkSizes).map((c) => stuffer.push(c));
  parts.push(stuffer.end());
  return Buffer.concat(parts);
}

describe("formatCommand()", () => {
  test("formatCommand() joins the parts by one space and appends CRLF", () => {
    assert.equal(formatCommand("NOOP").toString(), "NOOP\r\n");
    assert.equal(formatCommand("MAIL", "FROM:<a@b>", "SIZE=10").toString(), "MAIL FROM:<a@b> SIZE=10\r\n");
    assert.equal(formatCommand("VRFY", "jös").toString("latin1"), "VRFY jÃ¶s\r\n");
    assert.deepEqual(formatCommand("X", new Uint8Array([0xe9])), Buffer.from([0x58, 0x20, 0xe9, 0x0d, 0x0a]));
  });

  test("formatCommand() refuses CR, LF and NUL in any part, string or bytes", () => {
    for (const bad of ["a\rb", "a\nb", "a\0b", "\r\n", "x\r\nDATA"]) {
      for (const part of [bad, Buffer.from(bad), new Uint8Array(Buffer.from(bad))]) {
        assert.throws(
          () => formatCommand("RCPT", part),
          (err: unknown) => {
            assert.ok(err instanceof CommandError && err instanceof ValueError);
            assert.equal(err.code, "ERR_TEXTPROTO_ILLEGAL_CHAR");
            assert.equal(err.name, "CommandError");
            return true;
          },
        );
        assert.throws(() => formatCommand(part), CommandError);
      }
    }
  });

  test("checkArgument() names what it checked in the message", () => {
    assert.doesNotThrow(() => checkArgument("<a@b>"));
    assert.throws(
      () => checkArgument("a\nb", "recipient"),
      /^CommandError: Cannot send recipient "a\\nb": it holds CR, LF or NUL$/,
    );
  });
});

describe("DotStuffer and dotStuff()", () => {
  test("dotStuff() normalises line ends, doubles leading dots and ends the block", () => {
    const table: Array<[string, string]> = [
      ["", "\r\n.\r\n"],
      ["a", "a\r\n.\r\n"],
      ["a\r\n", "a\r\n.\r\n"],
      [".", "..\r\n.\r\n"],
      ["a\n.\nb", "a\r\n..\r\nb\r\n.\r\n"],
      ["a\r.\r\n", "a\r\n..\r\n.\r\n"],
      ["a\n.\r\n", "a\r\n..\r\n.\r\n"],
      ["a\r.\n", "a\r\n..\r\n.\r\n"],
      ["\r\r\n\n", "\r\n\r\n\r\n.\r\n"],
      ["x.y\r\n.z", "x.y\r\n..z\r\n.\r\n"],
      ["a\r", "a\r\n.\r\n"],
    ];
    for (const [input, want] of table) {
      assert.equal(dotStuff(input).toString("latin1"), want, JSON.stringify(input));
    }
  });

  test("DotStuffer gives the same bytes however the input is cut, a CR at a chunk end included (fast-check)", () => {
    fc.assert(
      fc.property(anyBody, sizes, (data, chunkSizes) => {
        assert.deepEqual(stuffInChunks(data, chunkSizes), dotStuff(data));
      }),
      { numRuns: 500, seed: 20261207 },
    );
    // The named case: CR ends one chunk, LF starts the next: one line end.
    const stuffer = new DotStuffer();
    const out = Buffer.concat([
      stuffer.push(Buffer.from("a\r")),
      stuffer.push(Buffer.from("\n.b")),
      stuffer.end(),
    ]);
    assert.equal(out.toString(), "a\r\n..b\r\n.\r\n");
  });

  test("DotStuffer resets after end() for the next block", () => {
    const stuffer = new DotStuffer();
    stuffer.push(Buffer.from("abc\r"));
    stuffer.end();
    assert.equal(Buffer.concat([stuffer.push(Buffer.from(".x")), stuffer.end()]).toString(), "..x\r\n.\r\n");
    assert.equal(stuffer.end().toString(), "\r\n.\r\n");
  });

  test("dotStuff() output has only CRLF line ends and no . line before the end (fast-check)", () => {
    fc.assert(
      fc.property(anyBody, (data) => {
        const out = dotStuff(data).toString("latin1");
        assert.ok(out.endsWith("\r\n.\r\n") || out === "\r\n.\r\n");
        // Every CR is followed by LF and every LF preceded by CR.
        assert.doesNotMatch(out, /\r(?!\n)|(?<!\r)\n/);
        const lines = out.split("\r\n");
        assert.equal(lines.pop(), "");
        assert.equal(lines.pop(), ".");
        assert.ok(!lines.includes("."), "a . line before the end");
      }),
      { numRuns: 500, seed: 20261208 },
    );
  });

  test("dotStuff() then Reader.readDotLines() round-trips any bytes, lines normalised (fast-check)", async () => {
    await fc.assert(
      fc.asyncProperty(anyBody, sizes, fc.boolean(), async (data, chunkSizes, strict) => {
        const wire = Buffer.concat([dotStuff(data), Buffer.from("250 after\r\n")]);
        const r = readerOver(wire, chunkSizes, { maxLine: 1000 });
        const lines = await r.readDotLines({ strictLineEnds: strict });
        assert.deepEqual(
          lines.map((l) => l.toString("latin1")),
          normalisedLines(data),
        );
        assert.equal((await r.readLine()).toString(), "250 after");
      }),
      { numRuns: 400, seed: 20261209 },
    );
  });

  test("dotStuff() then Reader.dotBlock() round-trips any bytes as CRLF text (fast-check)", async () => {
    await fc.assert(
      fc.asyncProperty(anyBody, sizes, async (data, chunkSizes) => {
        const r = readerOver(dotStuff(data), chunkSizes, { maxLine: 1000 });
        const chunks: Buffer[] = [];
        for await (const chunk of r.dotBlock({ strictLineEnds: true })) chunks.push(chunk);
        assert.equal(Buffer.concat(chunks).toString("latin1"), `${normalisedLines(data).join("\r\n")}\r\n`);
      }),
      { numRuns: 300, seed: 20261210 },
    );
  });

  test("dotStuff() keeps the smuggling sequences inside the block, for reader and strict reader", async () => {
    for (const smuggle of ["\r.\r\n", "\n.\n", "\n.\r\n", "\r.\n"]) {
      const data = `Subject: x\r\n\r\nhi${smuggle}MAIL FROM:<evil>\r\n`;
      for (const strict of [false, true]) {
        const lines = await readerOver(dotStuff(data)).readDotLines({ strictLineEnds: strict });
        assert.deepEqual(
          lines.map((l) => l.toString()),
          ["Subject: x", "", "hi", ".", "MAIL FROM:<evil>"],
          JSON.stringify(smuggle),
        );
      }
    }
  });
});

describe("Writer", () => {
  test("Writer.cmd() writes and flushes one command line", async () => {
    const sink = new BytesSink();
    const w = new Writer(new BufferedWriter(sink));
    await w.cmd("EHLO", "client.example");
    assert.equal(sink.getvalue().toString(), "EHLO client.example\r\n");
    await assert.rejects(w.cmd("RCPT", "TO:<a>\r\nDATA"), CommandError);
    assert.equal(
      sink.getvalue().toString(),
      "EHLO client.example\r\n",
      "nothing sent after a refused command",
    );
  });

  test("Writer.writeDotBlock() sends bytes or chunks, stuffed and flushed", async () => {
    const sink = new BytesSink();
    const w = new Writer(new BufferedWriter(sink));
    await w.writeDotBlock(Buffer.from(".a\nb\r"));
    async function* chunks() {
      yield Buffer.from("x\r");
      yield Buffer.from("\n.");
      yield new Uint8Array([0x79]);
    }
    await w.writeDotBlock(chunks());
    assert.equal(sink.getvalue().toString(), "..a\r\nb\r\n.\r\nx\r\n..y\r\n.\r\n");
  });
});
