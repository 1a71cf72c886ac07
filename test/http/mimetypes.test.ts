/** Unit tests of netkit/mimetypes: the look-up rules, reading mime.types text and files, init(). */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { OSError, UnicodeDecodeError } from "../../src/errors/index.js";
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
    const latin = join(dir, "latin.types");
    writeFileSync(latin, Buffer.from([0x61, 0x2f, 0x62, 0x20, 0xe9, 0x0a]));
    assert.throws(() => new MimeTypes([latin]), UnicodeDecodeError);
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
