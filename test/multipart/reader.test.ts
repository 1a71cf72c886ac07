/**
 * `MultipartReader`: generated forms encoded independently and read back
 * (names, headers and binary bodies byte for byte, whatever the chunking and
 * line ends), plus tables for the delimiter rules and the limits.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { BytesSource } from "../../src/io/memory.js";
import { BufferedReader } from "../../src/io/reader.js";
import { MultipartError, MultipartReader, type MultipartSource } from "../../src/multipart/reader.js";
import {
  adversarialBoundary,
  adversarialCase,
  adversarialPiece,
  type Limits,
  type ModelPart,
  type ModelResult,
  modelRead,
} from "./_adversarial.js";
import { chunked, chunkSizesArb, encodeForm, formArb, iterate, quoteParam } from "./_forms.js";

async function readAll(source: MultipartSource, boundary: string) {
  const reader = new MultipartReader(source, boundary);
  const parts: Array<{ cd: string | undefined; ct: string | undefined; body: Buffer }> = [];
  for await (const part of reader) {
    parts.push({
      cd: part.headers.get("content-disposition"),
      ct: part.headers.get("content-type"),
      body: await part.bytes(),
    });
  }
  return { parts, state: reader.state };
}

function body(s: string): Buffer {
  return Buffer.from(s, "latin1");
}

test("MultipartReader round-trips generated forms over async iterables, any chunking", async () => {
  await fc.assert(
    fc.asyncProperty(formArb(), chunkSizesArb, async (form, sizes) => {
      const encoded = encodeForm(form);
      const { parts, state } = await readAll(iterate(chunked(encoded, sizes)), form.boundary);
      assert.equal(state, "end");
      assert.equal(parts.length, form.parts.length);
      for (const [i, want] of form.parts.entries()) {
        const got = parts[i]!;
        assert.deepEqual(got.body, want.body, `part ${i} body`);
        if (want.name !== null) assert.ok(got.cd?.includes(`name=${quoteParam(want.name)}`));
        else if (want.filename === null) assert.equal(got.cd, undefined);
        if (want.contentType !== null) assert.equal(got.ct, want.contentType);
      }
    }),
    { numRuns: 400 },
  );
});

test("MultipartReader round-trips generated forms over a BufferedReader", async () => {
  await fc.assert(
    fc.asyncProperty(formArb(), chunkSizesArb, async (form, sizes) => {
      const encoded = encodeForm(form);
      const reader = new BufferedReader(new BytesSource(encoded, sizes));
      const { parts, state } = await readAll(reader, form.boundary);
      assert.equal(state, "end");
      assert.deepEqual(
        parts.map((p) => p.body),
        form.parts.map((p) => p.body),
      );
    }),
    { numRuns: 200 },
  );
});

test("MultipartReader reads a part body in small pieces with read(n)", async () => {
  await fc.assert(
    fc.asyncProperty(formArb(), chunkSizesArb, fc.integer({ min: 1, max: 7 }), async (form, sizes, n) => {
      const reader = new MultipartReader(iterate(chunked(encodeForm(form), sizes)), form.boundary);
      const bodies: Buffer[] = [];
      for await (const part of reader) {
        const pieces: Buffer[] = [];
        for (let b = await part.read(n); b.length > 0; b = await part.read(n)) {
          assert.ok(b.length <= n);
          pieces.push(b);
        }
        assert.ok(part.ended);
        bodies.push(Buffer.concat(pieces));
      }
      assert.deepEqual(
        bodies,
        form.parts.map((p) => p.body),
      );
    }),
    { numRuns: 150 },
  );
});

const CASES: Array<[string, string, string[], string]> = [
  // [what, body, bodies read, final state]
  ["CRLF form", "--B\r\nA: 1\r\n\r\nx\r\n--B\r\n\r\ny\r\n--B--\r\n", ["x", "y"], "end"],
  ["LF-only form", "--B\nA: 1\n\nx\n--B\n\ny\n--B--\n", ["x", "y"], "end"],
  ["close delimiter at EOF without a line break", "--B\r\n\r\nx\r\n--B--", ["x"], "end"],
  ["padding after boundaries", "--B \t\r\n\r\nx\r\n--B  \r\n\r\ny\r\n--B-- \r\n", ["x", "y"], "end"],
  ["boundary not at line start is data", "--B\r\n\r\na--B\r\n--B--\r\n", ["a--B"], "end"],
  ["boundary prefix of a longer word is data", "--B\r\n\r\n\r\n--Bx\r\n--B--", ["\r\n--Bx"], "end"],
  ["empty body", "--B\r\n\r\n--B--\r\n", [""], "end"],
  ["blank line then boundary", "--B\r\n\r\n\r\n--B--\r\n", [""], "end"],
  ["body ending in CR keeps it", "--B\r\n\r\nx\r\r\n--B--\r\n", ["x\r"], "end"],
  ["missing close delimiter: last line break dropped", "--B\r\n\r\nabc\r\n", ["abc"], "eof"],
  ["missing close delimiter: lone CR dropped", "--B\r\n\r\nabc\r", ["abc"], "eof"],
  ["headers cut off by EOF", "--B\r\nA: 1\r\n", [""], "eof"],
  ["stream ends right after a boundary", "--B\r\n", [], "eof"],
  ["preamble with spaces around the boundary", "junk\r\n  --B  \r\n\r\nx\r\n--B--", ["x"], "end"],
  ["close delimiter in the preamble is preamble", "--B--\r\n--B\r\n\r\nx\r\n--B--", ["x"], "end"],
  ["no boundary at all", "nothing here\r\n", [], "eof"],
  ["whitespace-only line ends the headers", "--B\r\nA: 1\r\n  \r\nx\r\n--B--", ["x"], "end"],
  ["epilogue is not read as parts", "--B\r\n\r\nx\r\n--B--\r\n--B\r\n\r\ny\r\n", ["x"], "end"],
];

for (const [what, text, bodies, state] of CASES) {
  test(`MultipartReader: ${what}`, async () => {
    for (const sizes of [[1], [2], [3], [1000]]) {
      const got = await readAll(iterate(chunked(body(text), sizes)), "B");
      assert.deepEqual(
        got.parts.map((p) => p.body.toString("latin1")),
        bodies,
        `chunks of ${sizes}`,
      );
      assert.equal(got.state, state);
    }
  });
}

test("MultipartReader: a boundary line longer than maxLineLength is preamble, whatever the chunking", async () => {
  // The padded line is 36 bytes: too long to be the boundary line with a limit of 16.
  const text = `${" ".repeat(30)}--B\r\n\r\n--B\r\n\r\nx\r\n--B--`;
  for (const sizes of [[1], [5], [16], [1000]]) {
    const reader = new MultipartReader(iterate(chunked(body(text), sizes)), "B", { maxLineLength: 16 });
    const bodies: string[] = [];
    for await (const part of reader) bodies.push((await part.bytes()).toString("latin1"));
    assert.deepEqual(bodies, ["x"], `chunks of ${sizes}`);
  }
});

test("MultipartReader parses part headers with the HTTP header parser", async () => {
  const src = body('--B\r\nContent-Disposition: form-data;\r\n name="a"\r\nX: \xc3\xa9\r\n\r\nv\r\n--B--');
  const reader = new MultipartReader(iterate([src]), "B");
  const part = (await reader.nextPart())!;
  assert.equal(part.headers.get("content-disposition"), 'form-data;\r\n name="a"');
  assert.equal(part.headers.get("x"), "é");
  assert.equal(
    part.rawHeaders.toString("latin1"),
    'Content-Disposition: form-data;\r\n name="a"\r\nX: \xc3\xa9\r\n\r\n',
  );
});

test("MultipartReader skips the rest of a part when the next is asked for", async () => {
  const reader = new MultipartReader(
    iterate([body("--B\r\n\r\nfirst body\r\n--B\r\n\r\nsecond\r\n--B--")]),
    "B",
  );
  const first = (await reader.nextPart())!;
  assert.equal((await first.read(3)).toString(), "fir");
  const second = (await reader.nextPart())!;
  assert.equal((await first.read()).length, 0, "the old part reads as empty");
  assert.ok(first.ended);
  assert.equal((await second.bytes()).toString(), "second");
  assert.equal(await reader.nextPart(), null);
  assert.equal(reader.bytesRead, 39); // every byte, the last line included
});

test("MultipartReader refuses a header line over maxLineLength", async () => {
  const src = body(`--B\r\nX: ${"a".repeat(200)}\r\n\r\nv\r\n--B--`);
  const reader = new MultipartReader(iterate(chunked(src, [7])), "B", { maxLineLength: 100 });
  await assert.rejects(reader.nextPart(), (err: unknown) => {
    assert.ok(err instanceof MultipartError);
    assert.equal(err.code, "ERR_MULTIPART_HEADER_LINE_TOO_LONG");
    return true;
  });
});

test("MultipartReader refuses a header block over maxHeaderBytes", async () => {
  const src = body(`--B\r\n${"X: 123456789\r\n".repeat(20)}\r\nv\r\n--B--`);
  const reader = new MultipartReader(iterate([src]), "B", { maxHeaderBytes: 100 });
  await assert.rejects(reader.nextPart(), { code: "ERR_MULTIPART_HEADERS_TOO_LARGE" });
  // Exactly at the limit is fine.
  const ok = new MultipartReader(iterate([src]), "B", { maxHeaderBytes: 20 * 14 + 2 });
  assert.ok(await ok.nextPart());
});

test("MultipartReader refuses a header block of more than maxHeaderCount lines, however the lines end", async () => {
  const refused = async (headers: string, options: { maxHeaderCount?: number } = {}) => {
    const reader = new MultipartReader(iterate([body(`--B\r\n${headers}\r\nv\r\n--B--`)]), "B", options);
    await assert.rejects(reader.nextPart(), (err: unknown) => {
      assert.ok(err instanceof MultipartError);
      assert.equal(err.code, "ERR_MULTIPART_TOO_MANY_HEADERS");
      assert.equal(
        err.message,
        `Cannot read multipart part headers: more than ${options.maxHeaderCount ?? 100} lines`,
      );
      return true;
    });
  };
  const accepted = async (headers: string, options: { maxHeaderCount?: number } = {}) => {
    const reader = new MultipartReader(iterate([body(`--B\r\n${headers}\r\nv\r\n--B--`)]), "B", options);
    const part = (await reader.nextPart())!;
    assert.equal((await part.bytes()).toString(), "v");
    return part.headers;
  };
  // 100 by default (http.client's _MAXHEADERS); continuation lines count.
  assert.equal((await accepted("a: 1\r\n".repeat(100))).length, 100);
  await refused("a: 1\r\n".repeat(101));
  assert.equal((await accepted(`a: 1\r\n${" 2\r\n".repeat(99)}`)).length, 1);
  await refused(`a: 1\r\n${" 2\r\n".repeat(100)}`);
  // Lines that end in a lone CR are lines to the header parser, though not to the block's scanner.
  await refused(`${"a: 1\r".repeat(4)}\r\n`, { maxHeaderCount: 3 });
  // A run of CR after a header is a blank line and a payload, not lines.
  assert.deepEqual((await accepted(`a: 1\r${"\r".repeat(500)}\n`)).items(), [["a", "1"]]);
  assert.equal((await accepted("a: 1\r\n".repeat(500), { maxHeaderCount: 500 })).length, 500);
});

test("MultipartReader refuses unusable boundaries", () => {
  for (const b of ["", "a\r\nb", "a\nb"]) {
    assert.throws(() => new MultipartReader(iterate([]), b), { code: "ERR_MULTIPART_BOUNDARY" });
  }
});

test("MultipartReader streams a large body: pieces stay chunk-sized", async () => {
  const chunk = Buffer.alloc(16384, 0x61);
  async function* source() {
    yield body("--B\r\n\r\n");
    for (let i = 0; i < 64; i++) yield chunk; // 1 MiB, no line breaks
    yield body("\r\n--B--\r\n");
  }
  const reader = new MultipartReader(source(), "B");
  const part = (await reader.nextPart())!;
  let total = 0;
  let largest = 0;
  for await (const piece of part) {
    total += piece.length;
    largest = Math.max(largest, piece.length);
  }
  assert.equal(total, 64 * 16384);
  assert.ok(largest <= 16384 + 16, `largest piece ${largest}`);
  assert.equal(reader.state, "end");
});

test("MultipartReader reads a nested multipart from a part", async () => {
  const inner = "--I\r\n\r\none\r\n--I\r\n\r\ntwo\r\n--I--\r\n";
  const outer = body(
    `--O\r\nContent-Type: multipart/mixed; boundary=I\r\n\r\n${inner}\r\n--O\r\n\r\nafter\r\n--O--`,
  );
  const reader = new MultipartReader(iterate(chunked(outer, [3])), "O");
  const part = (await reader.nextPart())!;
  const nested = await readAll(part, "I");
  assert.deepEqual(
    nested.parts.map((p) => p.body.toString()),
    ["one", "two"],
  );
  const after = (await reader.nextPart())!;
  assert.equal((await after.bytes()).toString(), "after");
});

test("MultipartPart.bytes() enforces its limit", async () => {
  const reader = new MultipartReader(iterate([body("--B\r\n\r\n0123456789\r\n--B--")]), "B");
  const part = (await reader.nextPart())!;
  await assert.rejects(part.bytes(5), { code: "ERR_MULTIPART_BODY_TOO_LARGE" });
});

async function readModelShape(
  source: MultipartSource,
  boundary: string,
  limits: Limits,
): Promise<ModelResult> {
  const reader = new MultipartReader(source, Buffer.from(boundary, "latin1"), limits);
  const parts: ModelPart[] = [];
  try {
    for await (const part of reader) {
      parts.push({
        rawHeaders: part.rawHeaders.toString("latin1"),
        body: (await part.bytes()).toString("latin1"),
      });
    }
  } catch (err) {
    if (!(err instanceof MultipartError)) throw err;
    return { parts, state: err.code };
  }
  return { parts, state: reader.state };
}

test("MultipartReader reads adversarial bodies as the reference reader does, any chunking", async () => {
  await fc.assert(
    fc.asyncProperty(adversarialCase, async ({ boundary, text, limits, sizes }) => {
      const want = modelRead(text, boundary, limits);
      const got = await readModelShape(
        iterate(chunked(Buffer.from(text, "latin1"), sizes)),
        boundary,
        limits,
      );
      assert.deepEqual(got, want, `boundary ${JSON.stringify(boundary)} body ${JSON.stringify(text)}`);
    }),
    { numRuns: 500, seed: 20261207 },
  );
});

test("MultipartReader output does not depend on the chunking of long adversarial runs", async () => {
  const bigCase = adversarialBoundary.chain((boundary) =>
    fc.record({
      boundary: fc.constant(boundary),
      pieces: fc.array(fc.tuple(adversarialPiece(boundary), fc.integer({ min: 1, max: 60 })), {
        minLength: 1,
        maxLength: 12,
      }),
      sizes: fc.array(fc.integer({ min: 1, max: 300 }), { minLength: 1, maxLength: 4 }),
    }),
  );
  await fc.assert(
    fc.asyncProperty(bigCase, async ({ boundary, pieces, sizes }) => {
      // Each piece repeated: runs of thousands of bytes, cut across chunk edges.
      const text = `--${boundary}\r\n\r\n${pieces.map(([p, n]) => p.repeat(n)).join("")}`.slice(0, 8000);
      const bytes = Buffer.from(text, "latin1");
      const limits = { maxLineLength: 65536, maxHeaderBytes: 65536 };
      const whole = await readModelShape(iterate([bytes]), boundary, limits);
      const cut = await readModelShape(iterate(chunked(bytes, sizes)), boundary, limits);
      const byte = await readModelShape(new BufferedReader(new BytesSource(bytes, 1)), boundary, limits);
      assert.deepEqual(cut, whole, `chunks of ${sizes}`);
      assert.deepEqual(byte, whole, "chunks of 1");
    }),
    { numRuns: 25, seed: 7 },
  );
});

/** Adversarial bodies of about `n` bytes (at least a few boundaries long) for `boundary`. */
function costShapes(boundary: string, n: number): Record<string, string> {
  const d = `--${boundary}`;
  const form = (body: string) => `${d}\r\n\r\n${body}\r\n${d}--\r\n`;
  const after = `\n${d}\r\n\r\nx\r\n${d}--`;
  const times = (unit: string) => unit.repeat(Math.ceil(n / unit.length));
  return {
    "preamble CRLF run": times("\r\n") + after,
    "preamble CR run": times("\r") + after,
    "preamble LF run": times("\n") + after,
    "preamble dash run": times("-") + after,
    "preamble padded boundaries": times(`${" ".repeat(n / 10)}${d} x\n`) + after,
    "preamble near-boundaries": times(`\r\n${d.slice(0, -1)}`) + after,
    "preamble dense boundaries": times(` ${d}`) + after,
    "body CRLF run": form(times("\r\n")),
    "body CR run": form(times("\r")),
    "body near-boundaries": form(times(`\r\n${d.slice(0, -1)}`)),
    "body boundary then x": form(times(`\r\n${d}x`)),
    "body boundary then dash": form(times(`\n${d}-`)),
    "body long padding": form(times(`\r\n${d}${" ".repeat(n / 3)}x`)),
    "many header lines": `${d}\r\n${times("a:\r\n")}\r\nx\r\n${d}--`,
    "long header line": `${d}\r\nX: ${times("v")}\r\n\r\nx\r\n${d}--`,
    "many tiny parts": `${times(`${d}\r\n\r\nx\r\n`)}${d}--`,
  };
}

test("MultipartReader examines each byte a bounded number of times, whatever the shape and chunking", async () => {
  // Not a timing test: the reader counts the bytes its searches examine. A
  // search that starts again from the front of a long run at each chunk, or a
  // suffix scan restarted at each byte, multiplies this by the run's length.
  // Chunks of one byte on smaller bodies, to keep the test quick.
  const runs: Array<[number, number]> = [
    [65536, 6000],
    [200, 6000],
    [7, 6000],
    [1, 800],
  ];
  for (const boundary of ["B", "----WebKitFormBoundary7MA4YWxkTrZu0gW", "-".repeat(70)]) {
    for (const [size, n] of runs) {
      for (const [shape, text] of Object.entries(costShapes(boundary, n))) {
        const bytes = Buffer.from(text, "latin1");
        const reader = new MultipartReader(iterate(chunked(bytes, [size])), boundary, {
          maxHeaderBytes: 1 << 20,
          maxHeaderCount: Number.POSITIVE_INFINITY, // the searches' cost, not the parser's
        });
        for await (const part of reader) await part.skip();
        const chunks = Math.ceil(bytes.length / size);
        // Each byte a few times, plus the boundary's length kept from one chunk to the next.
        const bound = 4 * bytes.length + chunks * (boundary.length + 10);
        assert.ok(
          reader.scanned <= bound,
          `${shape}, boundary of ${boundary.length}, chunks of ${size}: ${reader.scanned} bytes examined for ${bytes.length} (bound ${bound})`,
        );
      }
    }
  }
});
