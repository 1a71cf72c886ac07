/** Unit tests of netkit/mimetypes: the look-up rules, reading mime.types text and files, init(). */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import fc from "fast-check";
import { OSError } from "../../src/errors/index.js";
import * as mimetypes from "../../src/mimetypes.js";
import { MimeTypes, readMimeTypes, splitext } from "../../src/mimetypes.js";

const dir = mkdtempSync(join(tmpdir(), "netkit-mimetypes-"));
after(() => rmSync(dir, { recursive: true, force: true }));

describe("MimeTypes", () => {
  test("guessType() peels suffix maps and encodings as Python does", () => {
    const db = new MimeTypes();
    assert.deepEqual(db.guessType("a.tar.gz"), ["application/x-tar", "gzip"]);
    assert.deepEqual(db.guessType("a.tgz"), ["application/x-tar", "gzip"]);
    assert.deepEqual(db.guessType("a.TGZ"), ["application/x-tar", "gzip"]);
    assert.deepEqual(db.guessType("a.tar.GZ"), [null, null]); // encodings are case-sensitive, then .GZ is no type
    assert.deepEqual(db.guessType("A.HTML"), ["text/html", null]);
    assert.deepEqual(db.guessType(".bashrc"), [null, null]);
    assert.deepEqual(db.guessType("x.webp"), [null, null]);
    assert.deepEqual(db.guessType("x.webp", false), ["image/webp", null]);
    assert.deepEqual(db.guessType("data:image/png;base64,AAAA"), ["image/png", null]);
    assert.deepEqual(db.guessType("DATA:a=b,x"), ["text/plain", null]);
    assert.deepEqual(db.guessType("data:nocomma"), [null, null]);
    assert.deepEqual(db.guessType("http://h/p/file.pdf?x"), [null, null]);
    assert.deepEqual(db.guessType("http://h/p/file.pdf"), ["application/pdf", null]);
  });

  test("addType() and guessAllExtensions() keep insertion order; strict and lenient tables", () => {
    const db = new MimeTypes();
    db.addType("text/x-netkit", ".nk");
    db.addType("text/x-netkit", ".netkit");
    db.addType("text/x-netkit", ".lenient", false);
    assert.deepEqual(db.guessAllExtensions("TEXT/X-NETKIT"), [".nk", ".netkit"]);
    assert.deepEqual(db.guessAllExtensions("text/x-netkit", false), [".nk", ".netkit", ".lenient"]);
    assert.equal(db.guessExtension("text/x-netkit"), ".nk");
    assert.equal(db.guessExtension("no/such"), null);
    assert.deepEqual(db.guessType("a.lenient"), [null, null]);
    assert.deepEqual(db.guessType("a.lenient", false), ["text/x-netkit", null]);
  });

  test("readfp() reads mime.types text: comments, CR line ends, Python's whitespace", () => {
    const db = new MimeTypes();
    db.readfp("# comment\r\ntext/x-a  aa ab # ac\rtext/x-b\u00a0bb\u2003bc\n\n  \ntext/x-c #cc\n");
    assert.deepEqual(db.guessAllExtensions("text/x-a"), [".aa", ".ab"]);
    assert.deepEqual(db.guessAllExtensions("text/x-b"), [".bb", ".bc"]);
    assert.deepEqual(db.guessAllExtensions("text/x-c"), []);
  });

  test("read() and readMimeTypes() read files; errors are Python's", () => {
    const file = join(dir, "mime.types");
    writeFileSync(file, "application/x-test\ttst tst2\n");
    const db = new MimeTypes([file]);
    assert.deepEqual(db.guessType("a.tst2"), ["application/x-test", null]);
    assert.equal(readMimeTypes(file)?.get(".tst"), "application/x-test");
    assert.equal(readMimeTypes(join(dir, "missing")), null);
    assert.throws(() => new MimeTypes([join(dir, "missing")]), OSError);
  });

  test("read() skips a line that is not UTF-8 and reads the others, where Python raises UnicodeDecodeError", () => {
    const latin = join(dir, "latin.types");
    writeFileSync(
      latin,
      Buffer.concat([
        Buffer.from("text/x-before bf\r# caf"),
        Buffer.from([0xe9]),
        Buffer.from(" comment\na/b c"),
        Buffer.from([0xe9, 0x0a]),
        Buffer.from("text/x-after af\n"),
      ]),
    );
    const db = new MimeTypes([latin]);
    assert.deepEqual(db.guessType("x.bf"), ["text/x-before", null]);
    assert.deepEqual(db.guessType("x.af"), ["text/x-after", null]);
    assert.deepEqual(db.guessAllExtensions("a/b"), []);
    assert.equal(readMimeTypes(latin)?.get(".af"), "text/x-after");
  });

  test("read() never throws on junk lines between valid ones, and loses none of the valid ones", () => {
    const valid = fc
      .tuple(
        fc.constantFrom("text/x-a", "image/x-b", "application/x-c"),
        fc.constantFrom("aa", "bb", "cc", "dd"),
      )
      .map(([type, ext]) => Buffer.from(`${type} ${ext}`));
    const noBreak = (b: number) => b !== 0x0a && b !== 0x0d;
    // Lines netkit reads past: bytes that are not UTF-8 (words around them included),
    // comments, blank lines, a type without extensions.
    const junk = fc.oneof(
      fc
        .tuple(
          fc.uint8Array({ maxLength: 12 }),
          fc.constantFrom([0xff], [0xc3, 0x28], [0xe2, 0x82, 0x28], [0xed, 0xa0, 0x80], [0xc0, 0xaf], [0xf8]),
          fc.uint8Array({ maxLength: 12 }),
        )
        .map(([a, bad, b]) => Buffer.from([...a.filter(noBreak), ...bad, ...b.filter(noBreak)])),
      fc
        .constantFrom(
          "# text/x-a zz",
          "",
          "   ",
          "\t",
          "text/x-lonely",
          "text/x-a # aa",
          "\0\0",
          "x".repeat(100_000),
        )
        .map((t) => Buffer.from(t)),
    );
    const answers = (db: MimeTypes) => [
      [...db.typesMap[1]].sort(),
      ["text/x-a", "image/x-b", "application/x-c"].map((t) => db.guessAllExtensions(t)),
    ];
    let n = 0;
    fc.assert(
      fc.property(
        fc.array(valid, { maxLength: 8 }),
        fc.array(fc.tuple(fc.nat(), junk), { maxLength: 6 }),
        fc.constantFrom("\n", "\r\n", "\r"),
        (lines, inserts, eol) => {
          const mixed = [...lines];
          for (const [at, line] of inserts) mixed.splice(at % (mixed.length + 1), 0, line);
          const write = (parts: Buffer[]) => {
            const f = join(dir, `junk${n++}.types`);
            writeFileSync(f, Buffer.concat(parts.flatMap((p) => [p, Buffer.from(eol)])));
            return f;
          };
          const clean = new MimeTypes([write(lines)]);
          const dirty = new MimeTypes([write(mixed)]);
          assert.deepStrictEqual(answers(dirty), answers(clean));
        },
      ),
      { numRuns: 300, seed: 20250722 },
    );
  });

  test("splitext() is posixpath.splitext", () => {
    assert.deepEqual(splitext("a/b.c"), ["a/b", ".c"]);
    assert.deepEqual(splitext("a.b/c"), ["a.b/c", ""]);
    assert.deepEqual(splitext("..x"), ["..x", ""]);
    assert.deepEqual(splitext("a..x"), ["a.", ".x"]);
    assert.deepEqual(splitext("/.bashrc"), ["/.bashrc", ""]);
  });
});

describe("module functions", () => {
  test("init(files) adds files to the shared database and rebinds the tables", () => {
    const file = join(dir, "extra.types");
    writeFileSync(file, "application/x-extra xtr\n");
    mimetypes.init();
    assert.equal(mimetypes.inited, true);
    assert.deepEqual(mimetypes.guessType("a.xtr"), [null, null]);
    mimetypes.init([file]);
    assert.deepEqual(mimetypes.guessType("a.xtr"), ["application/x-extra", null]);
    assert.equal(mimetypes.typesMap.get(".xtr"), "application/x-extra");
    mimetypes.addType("application/x-added", ".added");
    assert.equal(mimetypes.guessExtension("application/x-added"), ".added");
    mimetypes.init(); // a fresh database: the additions are gone
    assert.deepEqual(mimetypes.guessType("a.xtr"), [null, null]);
    assert.equal(mimetypes.commonTypes.get(".webp"), "image/webp");
    assert.equal(mimetypes.encodingsMap.get(".br"), "br");
    assert.equal(mimetypes.suffixMap.get(".svgz"), ".svg.gz");
  });
});
