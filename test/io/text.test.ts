import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { LookupError, UnicodeDecodeError, UnicodeEncodeError, ValueError } from "../../src/errors/index.js";
import { LineTooLongError } from "../../src/io/errors.js";
import { BytesSink, BytesSource } from "../../src/io/memory.js";
import { BufferedReader } from "../../src/io/reader.js";
import { TextIOWrapper, type TextIOWrapperOptions } from "../../src/io/text.js";
import { BufferedWriter } from "../../src/io/writer.js";
import { python } from "../_support/python.js";
import { everySource } from "./_sources.js";

const textReader = (
  data: Buffer | string,
  chunk?: number,
  options: TextIOWrapperOptions = {},
  max?: number,
) =>
  new TextIOWrapper(
    new BufferedReader(new BytesSource(data, chunk), max === undefined ? {} : { maxLineLength: max }),
    undefined,
    options,
  );

async function writeAll(text: string[], options: TextIOWrapperOptions = {}): Promise<Buffer> {
  const sink = new BytesSink();
  const t = new TextIOWrapper(new BufferedWriter(sink), undefined, options);
  for (const s of text) await t.write(s);
  await t.close();
  return sink.getvalue();
}

describe("TextIOWrapper reading", () => {
  test("readline() decodes a 4-byte UTF-8 character split across chunks, from every kind of source", async () => {
    const bytes = Buffer.from("a😀b\nz€\n\u00e9");
    for (const { label, make } of everySource(bytes)) {
      const t = new TextIOWrapper(new BufferedReader(make()));
      assert.deepEqual(await t.readlines(), ["a😀b\n", "z€\n", "é"], label);
      assert.equal(await t.readline(), "", label);
    }
  });

  test("read() decodes to the end across chunk boundaries", async () => {
    assert.equal(await textReader("x😀y€", 1).read(), "x😀y€");
    const t = textReader("line\n😀😀", 3);
    assert.equal(await t.readline(), "line\n");
    assert.equal(await t.read(), "😀😀");
    assert.equal(await t.read(), "");
  });

  test("any UTF-8 text, cut anywhere, reads back line by line (property)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: "grapheme", maxLength: 60 }),
        fc.integer({ min: 1, max: 9 }),
        async (s, size) => {
          const t = textReader(Buffer.from(s), size);
          const lines: string[] = [];
          for await (const line of t) lines.push(line);
          assert.equal(lines.join(""), s);
          for (const line of lines.slice(0, -1)) assert.ok(line.endsWith("\n"));
        },
      ),
      { numRuns: 300, seed: 20261132 },
    );
  });

  test("lines keep their \\r\\n by default", async () => {
    assert.deepEqual(await textReader("250-a\r\n250 b\r\n", 2).readlines(), ["250-a\r\n", "250 b\r\n"]);
  });

  test('newline "\\r\\n" ends lines only at \\r\\n and keeps the line limit', async () => {
    const t = textReader("a\nb\r\nc\r\r\nd", 1, { newline: "\r\n" });
    assert.deepEqual(await t.readlines(), ["a\nb\r\n", "c\r\r\n", "d"]);
    await assert.rejects(textReader("abcdef\r\n", 2, { newline: "\r\n" }, 7).readline(), LineTooLongError);
    assert.equal(await textReader("abcde\r\n", 2, { newline: "\r\n" }, 7).readline(), "abcde\r\n");
  });

  test("strict decoding throws Python's UnicodeDecodeError; replace substitutes U+FFFD", async () => {
    const cases: Array<[number[], number, number, string]> = [
      [[0x61, 0xff, 0x0a], 1, 2, "invalid start byte"],
      [[0x61, 0xe2, 0x82, 0x41], 1, 3, "invalid continuation byte"],
      [[0x61, 0xe2, 0x82], 1, 3, "unexpected end of data"],
      [[0xed, 0xa0, 0x80], 0, 1, "invalid continuation byte"],
      [[0xf0, 0x9f, 0x98], 0, 3, "unexpected end of data"],
    ];
    for (const [bytes, start, end, reason] of cases) {
      await assert.rejects(textReader(Buffer.from(bytes)).readline(), (e: unknown) => {
        assert.ok(e instanceof UnicodeDecodeError);
        assert.deepEqual([e.encoding, e.start, e.end, e.reason], ["utf-8", start, end, reason]);
        return true;
      });
    }
    const lax = textReader(Buffer.from([0x61, 0xff, 0x0a]), 1, { errors: "replace" });
    assert.equal(await lax.readline(), "a\ufffd\n");
    assert.equal(await textReader(Buffer.from([0xe2, 0x82]), 1, { errors: "replace" }).read(), "\ufffd");
  });

  test("the strict UTF-8 error message is Python's", async () => {
    await assert.rejects(
      textReader(Buffer.from([0x61, 0xff])).read(),
      (e: unknown) =>
        e instanceof UnicodeDecodeError &&
        e.message === "'utf-8' codec can't decode byte 0xff in position 1: invalid start byte",
    );
  });

  test("latin-1 and ascii decode as Python does", async () => {
    assert.equal(
      await textReader(Buffer.from([0x63, 0xe9, 0x0a]), 1, { encoding: "latin-1" }).readline(),
      "cé\n",
    );
    assert.equal(await textReader(Buffer.from([0x63, 0xe9]), 1, { encoding: "ISO-8859-1" }).read(), "cé");
    await assert.rejects(
      textReader(Buffer.from([0x63, 0xe9]), 1, { encoding: "ascii" }).read(),
      (e: unknown) =>
        e instanceof UnicodeDecodeError &&
        e.message === "'ascii' codec can't decode byte 0xe9 in position 1: ordinal not in range(128)",
    );
    assert.equal(
      await textReader(Buffer.from([0x63, 0xe9]), 1, { encoding: "ascii", errors: "replace" }).read(),
      "c\ufffd",
    );
  });

  test("Python's names for latin-1 and ascii decode as python3 decodes them, not as WHATWG's windows-1252", async () => {
    // TextDecoder reads "latin1" and "ascii" as windows-1252 (0x80 is "€"); Python does not.
    const names = ["latin1", "L1", "csISOLatin1", "iso_ir_100", "ISO_8859-1:1987", "IBM819", "cp819"];
    names.push("us-ascii", "ANSI_X3.4-1968", "iso646-us", "csASCII", "cp367", " Latin-1 ", "utf8", "U8");
    const bytes = [0x41, 0x80, 0xe9, 0x0a];
    const expected = await python<Array<[string, number] | [null, number]>>(
      `import json, sys
out = []
for name in json.load(sys.stdin):
    try:
        out.append([bytes(${JSON.stringify(bytes)}).decode(name), -1])
    except UnicodeDecodeError as e:
        out.append([None, e.start])
print(json.dumps(out))`,
      names,
    );
    for (const [i, name] of names.entries()) {
      const reading = textReader(Buffer.from(bytes), 1, { encoding: name }).read();
      const [text, badAt] = expected[i]!;
      if (text !== null) assert.equal(await reading, text, name);
      else
        await assert.rejects(
          reading,
          (e: unknown) => e instanceof UnicodeDecodeError && e.start === badAt,
          name,
        );
    }
  });

  test("other ASCII-compatible encodings read with Python's tables", async () => {
    // Shift_JIS "日本\n": no byte of a character is 0x0A.
    const sjis = Buffer.from([0x93, 0xfa, 0x96, 0x7b, 0x0a]);
    assert.equal(await textReader(sjis, 1, { encoding: "shift_jis" }).readline(), "日本\n");
    assert.equal(
      await textReader(Buffer.from([0xc1, 0xc2, 0x0a]), 1, { encoding: "koi8-r" }).readline(),
      "аб\n",
    );
    // Python's cp1252 leaves 0x81 undefined (WHATWG's maps it to U+0081).
    await assert.rejects(textReader(Buffer.from([0x61, 0x81, 0x0a]), 1, { encoding: "cp1252" }).readline(), {
      name: "UnicodeDecodeError",
      message: "'charmap' codec can't decode byte 0x81 in position 1: character maps to <undefined>",
    });
    // Python's shift_jis has no NEC extensions (WHATWG's Shift_JIS is Windows-31J): 0x8740 is an error.
    assert.equal(
      await textReader(Buffer.from([0x87, 0x40, 0x0a]), 1, {
        encoding: "shift_jis",
        errors: "replace",
      }).readline(),
      "\ufffd@\n",
    );
  });

  test("utf-8-sig drops the mark at the start of the stream only", async () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from("a\n\ufeffb\n")]);
    assert.deepEqual(await textReader(bytes, 2, { encoding: "utf-8-sig" }).readlines(), ["a\n", "\ufeffb\n"]);
    assert.deepEqual(await textReader("a\n", 1, { encoding: "utf_8_sig" }).readlines(), ["a\n"]);
  });

  test("unknown encodings are a LookupError; UTF-16 and encodings with state are refused", () => {
    const r = new BufferedReader(new BytesSource(""));
    assert.throws(
      () => new TextIOWrapper(r, undefined, { encoding: "klingon" }),
      (e: unknown) => {
        return e instanceof LookupError && e.message === "unknown encoding: klingon";
      },
    );
    for (const encoding of ["utf-16le", "utf-32", "utf-7", "iso2022_jp", "hz"]) {
      assert.throws(() => new TextIOWrapper(r, undefined, { encoding }), ValueError, encoding);
    }
  });
});

describe("TextIOWrapper writing", () => {
  test("write() encodes UTF-8 and returns the number of code points", async () => {
    const sink = new BytesSink();
    const t = new TextIOWrapper(new BufferedWriter(sink));
    assert.equal(await t.write("a😀é"), 3);
    await t.flush();
    assert.equal(sink.getvalue().toString(), "a😀é");
  });

  test("write() refuses lone surrogates in strict mode and writes ? with replace", async () => {
    const t = new TextIOWrapper(new BufferedWriter(new BytesSink()));
    await assert.rejects(t.write("ab\ud800c"), (e: unknown) => {
      assert.ok(e instanceof UnicodeEncodeError);
      assert.deepEqual([e.start, e.end, e.reason], [2, 3, "surrogates not allowed"]);
      return true;
    });
    assert.equal((await writeAll(["a\udc00b😀"], { errors: "replace" })).toString(), "a?b😀");
  });

  test("latin-1 and ascii encode as Python does, with Python's errors", async () => {
    assert.deepEqual([...(await writeAll(["café"], { encoding: "latin-1" }))], [0x63, 0x61, 0x66, 0xe9]);
    const t = new TextIOWrapper(new BufferedWriter(new BytesSink()), undefined, { encoding: "latin-1" });
    await assert.rejects(
      t.write("a€€b"),
      (e: unknown) =>
        e instanceof UnicodeEncodeError &&
        e.message === "'latin-1' codec can't encode characters in position 1-2: ordinal not in range(256)",
    );
    const a = new TextIOWrapper(new BufferedWriter(new BytesSink()), undefined, { encoding: "ascii" });
    await assert.rejects(
      a.write("é"),
      (e: unknown) =>
        e instanceof UnicodeEncodeError &&
        e.message === "'ascii' codec can't encode character '\\xe9' in position 0: ordinal not in range(128)",
    );
    assert.equal((await writeAll(["é😀x"], { encoding: "ascii", errors: "replace" })).toString(), "??x");
  });

  test('newline "\\r\\n" writes \\n as \\r\\n', async () => {
    assert.equal(
      (await writeAll(["EHLO a\n", "QUIT\n"], { newline: "\r\n" })).toString(),
      "EHLO a\r\nQUIT\r\n",
    );
    assert.equal((await writeAll(["a\r\n"])).toString(), "a\r\n");
  });

  test("lineBuffering flushes on a newline", async () => {
    const sink = new BytesSink();
    const t = new TextIOWrapper(new BufferedWriter(sink), undefined, { lineBuffering: true });
    await t.write("abc");
    assert.equal(sink.getvalue().length, 0);
    await t.write("d\n");
    assert.equal(sink.getvalue().toString(), "abcd\n");
  });
});

describe("TextIOWrapper", () => {
  test("wraps a [reader, writer] pair, as makefile('rw') gives", async () => {
    const sink = new BytesSink();
    const pair = [new BufferedReader(new BytesSource("hi\n")), new BufferedWriter(sink)] as const;
    const t = new TextIOWrapper(pair);
    assert.equal(await t.readline(), "hi\n");
    await t.write("ok\n");
    await t.close();
    assert.equal(sink.getvalue().toString(), "ok\n");
    assert.equal(pair[0].closed, true);
    assert.equal(pair[1].closed, true);
  });

  test("reading a writer-only wrapper, or writing a reader-only one, is a ValueError", async () => {
    const w = new TextIOWrapper(new BufferedWriter(new BytesSink()));
    await assert.rejects(
      w.readline(),
      (e: unknown) => e instanceof ValueError && e.message === "not readable",
    );
    const r = new TextIOWrapper(new BufferedReader(new BytesSource("")));
    await assert.rejects(
      r.write("x"),
      (e: unknown) => e instanceof ValueError && e.message === "not writable",
    );
  });

  test("after close() every call is a ValueError, and close() twice is harmless", async () => {
    const t = textReader("abc");
    assert.equal(t.closed, false);
    await t.close();
    await t.close();
    assert.equal(t.closed, true);
    await assert.rejects(t.readline(), ValueError);
    await assert.rejects(t.read(), ValueError);
    await assert.rejects(t.write("x"), ValueError);
    await assert.rejects(t.flush(), ValueError);
  });

  test("encoding and errors are reported as given", () => {
    const t = textReader("", undefined, { encoding: "Latin-1", errors: "replace" });
    assert.equal(t.encoding, "Latin-1");
    assert.equal(t.errors, "replace");
    assert.equal(textReader("").encoding, "utf-8");
  });
});

describe("TextIOWrapper against python3's io.TextIOWrapper (newline='\\n')", () => {
  const ENCODINGS = [
    "utf-8",
    "utf-8-sig",
    "latin-1",
    "ascii",
    "cp1252",
    "koi8_r",
    "iso8859_7",
    "mac_roman",
    "cp437",
    "shift_jis",
    "cp932",
    "euc_jp",
    "gbk",
    "gb18030",
    "big5",
    "big5hkscs",
    "euc_kr",
    "cp949",
    "johab",
  ];
  const DECODE_ERRORS = ["strict", "replace", "ignore", "surrogateescape", "backslashreplace"];
  const ENCODE_ERRORS = ["strict", "replace", "ignore", "xmlcharrefreplace", "backslashreplace"];
  type Outcome = ["ok", string[] | string] | ["error", string];

  // Bytes with many line ends and high bytes: lead bytes before a newline, lone trail bytes.
  const someBytes = fc.array(
    fc.oneof(
      { weight: 3, arbitrary: fc.integer({ min: 0x20, max: 0x7e }) },
      { weight: 2, arbitrary: fc.constantFrom(0x0a, 0x0d) },
      { weight: 4, arbitrary: fc.integer({ min: 0x80, max: 0xff }) },
      { weight: 1, arbitrary: fc.integer({ min: 0, max: 0xff }) },
    ),
    { maxLength: 40 },
  );
  const someText = fc
    .string({ unit: "binary", maxLength: 20 })
    .map((t) => t.replace(/[\ud800-\udfff]/g, "x"));

  test("readlines() gives the same lines (or both fail) for generated bytes in 19 encodings and 5 error handlers", async () => {
    const cases = fc.sample(
      fc.record({
        encoding: fc.constantFrom(...ENCODINGS),
        errors: fc.constantFrom(...DECODE_ERRORS),
        data: someBytes,
      }),
      { numRuns: 600, seed: 20261208 },
    );
    const expected = await python<Outcome[]>(
      `
import io, json, sys
out = []
for c in json.load(sys.stdin):
    t = io.TextIOWrapper(io.BytesIO(bytes(c["data"])), encoding=c["encoding"], errors=c["errors"], newline="\\n")
    try:
        out.append(["ok", t.readlines()])
    except UnicodeDecodeError as e:
        out.append(["error", type(e).__name__])
print(json.dumps(out))
`,
      cases,
    );
    for (const [i, c] of cases.entries()) {
      const t = textReader(Buffer.from(c.data), 7, { encoding: c.encoding, errors: c.errors });
      let got: Outcome;
      try {
        got = ["ok", await t.readlines()];
      } catch (err) {
        if (!(err instanceof UnicodeDecodeError)) throw err;
        got = ["error", "UnicodeDecodeError"];
      }
      assert.deepEqual(got, expected[i], `${c.encoding} ${c.errors} ${Buffer.from(c.data).toString("hex")}`);
    }
  });

  test("write() gives the same bytes (or both fail) for generated text in 19 encodings and 5 error handlers", async () => {
    const cases = fc.sample(
      fc.record({
        encoding: fc.constantFrom(...ENCODINGS),
        errors: fc.constantFrom(...ENCODE_ERRORS),
        parts: fc.array(someText, { maxLength: 3 }),
      }),
      { numRuns: 600, seed: 20261208 },
    );
    const expected = await python<Outcome[]>(
      `
import io, json, sys
out = []
for c in json.load(sys.stdin):
    raw = io.BytesIO()
    t = io.TextIOWrapper(raw, encoding=c["encoding"], errors=c["errors"], newline="\\n")
    try:
        for part in c["parts"]:
            t.write(part)
        t.flush()
        out.append(["ok", raw.getvalue().hex()])
    except UnicodeEncodeError as e:
        out.append(["error", type(e).__name__])
print(json.dumps(out))
`,
      cases,
    );
    for (const [i, c] of cases.entries()) {
      let got: Outcome;
      try {
        got = ["ok", (await writeAll(c.parts, { encoding: c.encoding, errors: c.errors })).toString("hex")];
      } catch (err) {
        if (!(err instanceof UnicodeEncodeError)) throw err;
        got = ["error", "UnicodeEncodeError"];
      }
      assert.deepEqual(got, expected[i], `${c.encoding} ${c.errors} ${JSON.stringify(c.parts)}`);
    }
  });
});
