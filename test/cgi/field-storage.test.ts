/**
 * `FieldStorage`: generated forms read back (names with quotes and
 * non-ASCII, binary files with boundary-like bytes, nested parts, any
 * chunking), the limits, temporary files, the dictionary methods, and
 * `parse` / `parseMultipart`.
 */
import assert from "node:assert/strict";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { after, before, test } from "node:test";
import fc from "fast-check";
import {
  type Field,
  FieldStorage,
  KeyError,
  MiniFieldStorage,
  parse,
  parseMultipart,
} from "../../src/cgi/index.js";
import { ValueError } from "../../src/errors/index.js";
import { BytesSource } from "../../src/io/memory.js";
import { BufferedReader } from "../../src/io/reader.js";
import { MultipartError } from "../../src/multipart/reader.js";
import { chunked, chunkSizesArb, encodeForm, formArb, type GenPart, iterate } from "../multipart/_forms.js";

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), "netkit-cgi-test-"));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

function post(body: Buffer | string, ctype: string, extra: Record<string, string> = {}) {
  const b = typeof body === "string" ? Buffer.from(body, "latin1") : body;
  return {
    fp: Readable.from([b]),
    environ: { REQUEST_METHOD: "POST", CONTENT_TYPE: ctype, CONTENT_LENGTH: String(b.length), ...extra },
  };
}

function checkPart(got: Field, want: GenPart): void {
  assert.ok(got instanceof FieldStorage);
  assert.equal(got.name, want.name);
  assert.equal(got.filename, want.filename);
  if (want.nested) {
    assert.equal(got.type, "multipart/mixed");
    assert.equal(got.list!.length, want.nested.parts.length);
    for (const [i, p] of want.nested.parts.entries()) checkPart(got.list![i]!, p);
    return;
  }
  if (want.filename !== null) assert.deepEqual(got.value, want.body);
  else assert.equal(got.value, want.body.toString("utf8"));
  assert.equal(got.type, want.contentType === null ? "text/plain" : want.contentType.split(";")[0]);
}

test("FieldStorage.read() round-trips generated forms (nested parts, any chunking)", async () => {
  await fc.assert(
    fc.asyncProperty(formArb({ nested: true }), chunkSizesArb, fc.boolean(), async (form, sizes, spill) => {
      const body = encodeForm(form);
      const fs = await FieldStorage.read({
        fp: iterate(chunked(body, sizes)),
        environ: { REQUEST_METHOD: "POST", CONTENT_TYPE: `multipart/form-data; boundary="${form.boundary}"` },
        spillSize: spill ? 8 : 65536,
        tmpdir: dir,
      });
      try {
        assert.equal(fs.list!.length, form.parts.length);
        for (const [i, p] of form.parts.entries()) checkPart(fs.list![i]!, p);
      } finally {
        await fs.close();
      }
    }),
    { numRuns: 300 },
  );
  assert.deepEqual(await readdir(dir), [], "every temporary file removed");
});

test("FieldStorage.read() spills large values to a temporary file and close() removes it", async () => {
  const big = Buffer.alloc(300_000, 7);
  const body = Buffer.concat([
    Buffer.from('--B\r\nContent-Disposition: form-data; name="up"; filename="a.bin"\r\n\r\n'),
    big,
    Buffer.from('\r\n--B\r\nContent-Disposition: form-data; name="t"\r\n\r\nsmall\r\n--B--\r\n'),
  ]);
  const fs = await FieldStorage.read({ ...post(body, "multipart/form-data; boundary=B"), tmpdir: dir });
  const up = fs.get("up") as FieldStorage;
  assert.equal(up.file!.inMemory, false);
  assert.ok(up.file!.path!.startsWith(dir));
  assert.deepEqual(await readdir(dir), [up.file!.path!.slice(dir.length + 1)]);
  assert.deepEqual(up.value, big);
  assert.deepEqual(await up.file!.read(), big);
  const streamed: Buffer[] = [];
  for await (const c of up.file!.stream()) streamed.push(c as Buffer);
  assert.deepEqual(Buffer.concat(streamed), big);
  assert.equal((fs.get("t") as FieldStorage).file!.inMemory, true);
  await fs.close();
  assert.deepEqual(await readdir(dir), []);
  assert.throws(() => up.value, /closed file/);
});

test("FieldStorage.read() removes temporary files when reading fails", async () => {
  const body = Buffer.concat([
    Buffer.from('--B\r\nContent-Disposition: form-data; name="up"; filename="a.bin"\r\n\r\n'),
    Buffer.alloc(100_000, 1),
    Buffer.from("\r\n--B\r\nContent-Type: multipart/mixed\r\n\r\nx\r\n--B--"),
  ]);
  await assert.rejects(
    FieldStorage.read({ ...post(body, "multipart/form-data; boundary=B"), spillSize: 10, tmpdir: dir }),
    /Invalid boundary in multipart form: b''/,
  );
  assert.deepEqual(await readdir(dir), []);
});

test("FieldStorage: the dictionary methods", async () => {
  const fs = await FieldStorage.read({ environ: { REQUEST_METHOD: "GET", QUERY_STRING: "a=1&b=2&a=3&c=" } });
  assert.deepEqual(fs.keys(), ["a", "b"]);
  assert.deepEqual([...fs], ["a", "b"]);
  assert.ok(fs.has("a"));
  assert.ok(!fs.has("c"));
  assert.deepEqual(fs.getvalue("a"), ["1", "3"]);
  assert.equal(fs.getvalue("b"), "2");
  assert.equal(fs.getvalue("zz", "dflt"), "dflt");
  assert.equal(fs.getfirst("a"), "1");
  assert.equal(fs.getfirst("zz"), undefined);
  assert.deepEqual(fs.getlist("a"), ["1", "3"]);
  assert.deepEqual(fs.getlist("zz"), []);
  assert.ok(fs.get("b") instanceof MiniFieldStorage);
  assert.equal(String(fs.get("b")), "MiniFieldStorage('b', '2')");
  assert.throws(() => fs.get("zz"), KeyError);
  assert.equal(fs.type, "application/x-www-form-urlencoded");
  assert.equal(
    String(fs),
    "FieldStorage(None, None, [MiniFieldStorage('a', '1'), MiniFieldStorage('b', '2'), MiniFieldStorage('a', '3')])",
  );
  const kept = await FieldStorage.read({
    environ: { REQUEST_METHOD: "GET", QUERY_STRING: "a=1&c=" },
    keepBlankValues: true,
  });
  assert.equal(kept.getvalue("c"), "");
});

test("FieldStorage: a single value is not indexable", async () => {
  const fs = await FieldStorage.read({
    fp: Readable.from([Buffer.from("just text\n")]),
    environ: { REQUEST_METHOD: "POST", CONTENT_TYPE: "text/plain" },
  });
  assert.equal(fs.value, "just text\n");
  assert.throws(() => fs.keys(), TypeError);
  assert.throws(() => fs.has("a"), TypeError);
});

test("FieldStorage: a POST with a query string gets both, query fields after body fields", async () => {
  const fs = await FieldStorage.read(
    post("x=1&y=2", "application/x-www-form-urlencoded", { QUERY_STRING: "q=9" }),
  );
  assert.deepEqual(
    fs.list!.map((f) => [f.name, f.value]),
    [
      ["x", "1"],
      ["y", "2"],
      ["q", "9"],
    ],
  );
});

test("FieldStorage reads from a BufferedReader and leaves it after the declared body", async () => {
  const body = "--B\r\n\r\nv\r\n--B--\r\nepilogue";
  const reader = new BufferedReader(new BytesSource(`${body}NEXT REQUEST`, 3));
  const fs = await FieldStorage.read({
    fp: reader,
    environ: {
      REQUEST_METHOD: "POST",
      CONTENT_TYPE: "multipart/form-data; boundary=B",
      CONTENT_LENGTH: String(body.length),
    },
  });
  assert.equal(fs.list!.length, 1);
  assert.equal(fs.bytesRead, body.length);
  assert.equal((await reader.read()).toString(), "NEXT REQUEST");
});

test("FieldStorage limits: maxNumFields", async () => {
  const parts = (n: number) => `${"--B\r\n\r\nv\r\n".repeat(n)}--B--\r\n`;
  const ok = await FieldStorage.read({
    ...post(parts(3), "multipart/form-data; boundary=B"),
    maxNumFields: 3,
  });
  assert.equal(ok.list!.length, 3);
  await assert.rejects(
    FieldStorage.read({ ...post(parts(4), "multipart/form-data; boundary=B"), maxNumFields: 3 }),
    /Max number of fields exceeded/,
  );
  await assert.rejects(
    FieldStorage.read({ environ: { REQUEST_METHOD: "GET", QUERY_STRING: "a=1&b=2" }, maxNumFields: 1 }),
    /Max number of fields exceeded/,
  );
  // The default is 1000.
  await assert.rejects(
    FieldStorage.read({ environ: { REQUEST_METHOD: "GET", QUERY_STRING: "a=1&".repeat(1001) } }),
    /Max number of fields exceeded/,
  );
});

test("FieldStorage limits: maxBytes on the declared length and on what is read", async () => {
  await assert.rejects(
    FieldStorage.read({ ...post("a=1", "application/x-www-form-urlencoded"), maxBytes: 2 }),
    /Maximum content length exceeded/,
  );
  // No Content-Length: counted while reading.
  await assert.rejects(
    FieldStorage.read({
      fp: iterate(chunked(Buffer.from(`--B\r\n\r\n${"x".repeat(1000)}\r\n--B--`), [10])),
      environ: { REQUEST_METHOD: "POST", CONTENT_TYPE: "multipart/form-data; boundary=B" },
      maxBytes: 500,
    }),
    /Maximum content length exceeded/,
  );
});

test("FieldStorage limits: part headers and nesting", async () => {
  await assert.rejects(
    FieldStorage.read({
      ...post(`--B\r\n${"X: y\r\n".repeat(100)}\r\nv\r\n--B--`, "multipart/form-data; boundary=B"),
      maxHeaderBytes: 200,
    }),
    { code: "ERR_MULTIPART_HEADERS_TOO_LARGE" },
  );
  const lines = (n: number) =>
    post(`--B\r\n${"X: y\r\n".repeat(n)}\r\nv\r\n--B--`, "multipart/form-data; boundary=B");
  await assert.rejects(FieldStorage.read(lines(101)), { code: "ERR_MULTIPART_TOO_MANY_HEADERS" });
  assert.equal((await FieldStorage.read(lines(100))).list!.length, 1);
  assert.equal((await FieldStorage.read({ ...lines(101), maxHeaderCount: 101 })).list!.length, 1);
  let body = "v";
  for (let i = 4; i >= 1; i--)
    body = `--b${i}\r\nContent-Type: multipart/mixed; boundary=b${i + 1}\r\n\r\n${body}\r\n--b${i}--`;
  const ok = await FieldStorage.read({ ...post(body, "multipart/mixed; boundary=b1"), maxDepth: 5 });
  assert.equal(ok.list!.length, 1);
  await assert.rejects(
    FieldStorage.read({ ...post(body, "multipart/mixed; boundary=b1"), maxDepth: 3 }),
    /nested deeper than 3 levels/,
  );
});

test("FieldStorage limits: parameters of a part's Content-Disposition and Content-Type", async () => {
  const form = (cd: string, ct = "text/plain") =>
    post(
      `--B\r\nContent-Disposition: ${cd}\r\nContent-Type: ${ct}\r\n\r\nv\r\n--B--`,
      "multipart/form-data; boundary=B",
    );
  const params = (n: number) => Array.from({ length: n }, (_, i) => `; p${i}=${i}`).join("");
  // 32 by default, each `;` counted (with `=` or not, quoted `;` not).
  const ok = await FieldStorage.read(form(`form-data; name="a"${params(31)}`, `text/plain${params(32)}`));
  assert.equal(ok.list![0]!.name, "a");
  assert.equal(ok.list![0]!.typeOptions.p31, "31");
  for (const [cd, ct] of [
    [`form-data; name="a"${params(32)}`, "text/plain"],
    ['form-data; name="a"', `text/plain${params(33)}`],
    [`form-data; name="a"${";".repeat(32)}`, "text/plain"],
  ] as const) {
    await assert.rejects(FieldStorage.read(form(cd, ct)), (err: unknown) => {
      assert.ok(err instanceof MultipartError);
      assert.ok(err instanceof ValueError);
      assert.equal(err.code, "ERR_MULTIPART_TOO_MANY_PARAMS");
      assert.match(
        err.message,
        /^Cannot split multipart part header "Content-(Disposition|Type)": more than 32 parameters$/,
      );
      return true;
    });
  }
  assert.equal(
    (await FieldStorage.read(form(`form-data; name="${";".repeat(100)}"`))).list![0]!.name,
    ";".repeat(100),
  );
  const more = await FieldStorage.read({ ...form(`form-data; name="a"${params(99)}`), maxHeaderParams: 100 });
  assert.equal(more.list![0]!.dispositionOptions.p98, "98");
  // The request's own Content-Type is Python's, unlimited.
  const top = await FieldStorage.read(post("a=1", `application/x-www-form-urlencoded${params(1000)}`));
  assert.equal(top.typeOptions.p999, "999");
});

test("FieldStorage reads the forms browsers, curl and mail clients send, within every default limit", async () => {
  const forms: Array<[string, string, string[]]> = [
    // curl 7.88 -F 'name=Ada' -F 'file=@a.txt' -F 'doc=@a.txt;type=text/plain;filename=résumé.txt', as sent.
    [
      "------------------------39a7f1610ae98adf",
      '--------------------------39a7f1610ae98adf\r\nContent-Disposition: form-data; name="name"\r\n\r\nAda\r\n--------------------------39a7f1610ae98adf\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\nhello\n\r\n--------------------------39a7f1610ae98adf\r\nContent-Disposition: form-data; name="doc"; filename="r\xc3\xa9sum\xc3\xa9.txt"\r\nContent-Type: text/plain\r\n\r\nhello\n\r\n--------------------------39a7f1610ae98adf--\r\n',
      ["name", "file:a.txt", "doc:r\u00e9sum\u00e9.txt"],
    ],
    // Chrome and Safari (WebKit): a quoted name with %22 for a quote, an empty file input.
    [
      "----WebKitFormBoundary7MA4YWxkTrZu0gW",
      '------WebKitFormBoundary7MA4YWxkTrZu0gW\r\nContent-Disposition: form-data; name="q%22uote"\r\n\r\nx\r\n------WebKitFormBoundary7MA4YWxkTrZu0gW\r\nContent-Disposition: form-data; name="photo"; filename=""\r\nContent-Type: application/octet-stream\r\n\r\n\r\n------WebKitFormBoundary7MA4YWxkTrZu0gW--\r\n',
      ["q%22uote", "photo:"],
    ],
    // Firefox.
    [
      "---------------------------9051914041544843365972754266",
      '-----------------------------9051914041544843365972754266\r\nContent-Disposition: form-data; name="text"\r\n\r\ntext default\r\n-----------------------------9051914041544843365972754266\r\nContent-Disposition: form-data; name="file1"; filename="a.html"\r\nContent-Type: text/html\r\n\r\n<!DOCTYPE html><title>Content of a.html.</title>\n\r\n-----------------------------9051914041544843365972754266--\r\n',
      ["text", "file1:a.html"],
    ],
    // A mail client's attachment: RFC 2183 dates and size, a long file name cut in 12 by RFC 2231, a charset.
    [
      "mail",
      `--mail\r\nContent-Type: text/plain; charset="utf-8"; format=flowed; delsp=yes\r\nContent-Disposition: attachment; name="att"; ${Array.from({ length: 12 }, (_, i) => `\r\n filename*${i}*=${i === 0 ? "utf-8''" : ""}%E6%97%A5%E6%9C%AC%E8%AA%9E`).join(";")};\r\n creation-date="Wed, 12 Feb 1997 16:29:51 -0500"; modification-date="Wed, 12 Feb 1997 16:29:51 -0500";\r\n read-date="Wed, 12 Feb 1997 16:29:51 -0500"; size=6\r\n\r\nhello\n\r\n--mail--\r\n`,
      ["att"],
    ],
  ];
  for (const [boundary, body, want] of forms) {
    const fs = await FieldStorage.read(post(body, `multipart/form-data; boundary=${boundary}`));
    assert.deepEqual(
      fs.list!.map((f) => (f.filename === null ? f.name : `${f.name}:${f.filename}`)),
      want,
      boundary,
    );
    await fs.close();
  }
});

test("FieldStorage refuses invalid boundaries as Python does", async () => {
  for (const ctype of [
    "multipart/form-data",
    "multipart/form-data; boundary=",
    `multipart/form-data; boundary=${"a".repeat(202)}`,
  ]) {
    await assert.rejects(FieldStorage.read(post("--x\r\n", ctype)), /Invalid boundary in multipart form/);
  }
});

test("FieldStorage: a nested part is followed by more fields (Python drops them)", async () => {
  const body =
    '--O\r\nContent-Disposition: form-data; name="n"\r\nContent-Type: multipart/mixed; boundary=I\r\n\r\n' +
    '--I\r\nContent-Disposition: file; filename="a.txt"\r\n\r\none\r\n--I--\r\n' +
    '--O\r\nContent-Disposition: form-data; name="after"\r\n\r\nyes\r\n--O--\r\n';
  const fs = await FieldStorage.read(post(body, "multipart/form-data; boundary=O"));
  assert.deepEqual(fs.keys(), ["n", "after"]);
  const n = fs.get("n") as FieldStorage;
  assert.deepEqual((n.list![0] as FieldStorage).value, Buffer.from("one"));
  assert.equal(fs.getvalue("after"), "yes");
});

test("parse() reads the query string and urlencoded POSTs", async () => {
  assert.deepEqual(
    { ...(await parse({ environ: { QUERY_STRING: "a=1&a=2&b=3" } })) },
    { a: ["1", "2"], b: ["3"] },
  );
  const body = Buffer.from("x=%E9&y=2");
  const got = await parse({
    fp: Readable.from([body]),
    environ: {
      REQUEST_METHOD: "POST",
      CONTENT_TYPE: "application/x-www-form-urlencoded",
      CONTENT_LENGTH: String(body.length),
      QUERY_STRING: "q=1",
    },
  });
  assert.deepEqual({ ...got }, { x: ["é"], y: ["2"], q: ["1"] }); // latin-1 for a binary fp, as Python
  await assert.rejects(
    parse({ fp: Readable.from([]), environ: { REQUEST_METHOD: "POST" } }),
    (err: unknown) => err instanceof KeyError,
  );
});

test("parseMultipart() returns names to values, text and bytes", async () => {
  const body =
    '--B\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--B\r\nContent-Disposition: form-data; name="a"\r\n\r\n2\r\n' +
    '--B\r\nContent-Disposition: form-data; name="f"; filename="x"\r\n\r\n\x00\xff\r\n--B--\r\n';
  const got = await parseMultipart(Readable.from([Buffer.from(body, "latin1")]), {
    boundary: Buffer.from("B"),
  });
  assert.deepEqual(got.a, ["1", "2"]);
  assert.deepEqual(got.f, [Buffer.from([0, 0xff])]);
  await assert.rejects(parseMultipart(Readable.from([]), {}), KeyError);
});
