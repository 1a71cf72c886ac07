/**
 * The pure menu parser and formatter of netkit/gopherlib: tables of the
 * lines servers send (RFC 1436's examples, gophernicus's, broken ones),
 * and fast-check properties: any item formats and parses back to itself;
 * any bytes parse without throwing, into lines no longer than the input.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import {
  errorItem,
  formatMenu,
  formatMenuLine,
  infoItem,
  itemToList,
  type MenuItem,
  parseMenu,
  parseMenuLine,
} from "../../src/gopherlib/menu.js";
import { itemKind, typeForFile, typeToName } from "../../src/gopherlib/types.js";

const item = (fields: Partial<MenuItem>): MenuItem => ({
  type: "0",
  display: "",
  selector: "",
  host: "",
  port: 0,
  plus: "",
  extra: [],
  ...fields,
});

test("parseMenuLine() reads RFC 1436's example lines", () => {
  assert.deepEqual(parseMenuLine("0About internet Gopher\tStuff:About us\trawBits.micro.umn.edu\t70"), {
    item: item({
      display: "About internet Gopher",
      selector: "Stuff:About us",
      host: "rawBits.micro.umn.edu",
      port: 70,
    }),
  });
  assert.deepEqual(parseMenuLine("7Search\t/search\thost\t7070\t+"), {
    item: item({ type: "7", display: "Search", selector: "/search", host: "host", port: 7070, plus: "+" }),
  });
});

test("parseMenuLine() skips a link with missing fields, keeps an info line", () => {
  assert.deepEqual(parseMenuLine("1Docs\t/docs"), { defect: "missing-fields" });
  assert.deepEqual(parseMenuLine("0no tabs at all"), { defect: "missing-fields" });
  assert.deepEqual(parseMenuLine("iJust text"), {
    item: item({ type: "i", display: "Just text" }),
    defect: "missing-fields",
  });
  assert.deepEqual(parseMenuLine("3Oops\t\terror.host"), {
    item: item({ type: "3", display: "Oops", host: "error.host" }),
    defect: "missing-fields",
  });
  assert.deepEqual(parseMenuLine(""), { defect: "empty-line" });
});

test("parseMenuLine() flags a bad port and extra fields, keeping the item", () => {
  assert.deepEqual(parseMenuLine("0a\t/a\th\tseventy"), {
    item: item({ display: "a", selector: "/a", host: "h" }),
    defect: "bad-port",
  });
  assert.equal(parseMenuLine("0a\t/a\th\t70000").defect, "bad-port");
  assert.deepEqual(parseMenuLine("0a\t/a\th\t70\t+\tx\ty"), {
    item: item({ display: "a", selector: "/a", host: "h", port: 70, plus: "+", extra: ["x", "y"] }),
    defect: "extra-fields",
  });
  assert.equal(parseMenuLine("i\t\tnull.host\t1").defect, undefined);
});

test("parseMenu() stops at the . line and records where the data ended", () => {
  const menu = parseMenu("iHi\t\terror.host\t1\r\n0a\t/a\th\t70\n\n.\r\n0after\t/x\th\t70\r\n");
  assert.deepEqual(
    menu.items.map((i) => [i.type, i.display]),
    [
      ["i", "Hi"],
      ["0", "a"],
    ],
  );
  assert.deepEqual(menu.defects, [{ line: 3, kind: "empty-line", text: "" }]);
  assert.equal(menu.terminated, true);
  assert.equal(parseMenu("0a\t/a\th\t70\r\n").terminated, false);
  assert.equal(parseMenu("").terminated, false);
});

test("parseMenu() skips a 1 MB line with a defect, and reads the lines after it", () => {
  const long = `0${"x".repeat(1024 * 1024)}\t/a\th\t70\r\n`;
  const menu = parseMenu(Buffer.from(`${long}1ok\t/ok/\th\t70\r\n.\r\n`), { maxLine: 16 * 1024 });
  assert.equal(menu.items.length, 1);
  assert.equal(menu.items[0]!.selector, "/ok/");
  assert.equal(menu.defects[0]!.kind, "line-too-long");
  assert.equal(menu.defects[0]!.text.length, 200);
  assert.equal(menu.terminated, true);
});

test("parseMenu() decodes with the encoding asked for", () => {
  const bytes = Buffer.from([0x30, 0xe9, 0x09, 0x2f, 0xe9, 0x09, 0x68, 0x09, 0x37, 0x30, 0x0d, 0x0a]);
  assert.equal(parseMenu(bytes, { encoding: "latin1" }).items[0]!.selector, "/é");
  assert.equal(parseMenu(bytes).items[0]!.selector, "/\ufffd");
});

test("formatMenuLine() refuses fields that would break the line", () => {
  const ok = item({ display: "a", selector: "/a", host: "h", port: 70 });
  assert.equal(formatMenuLine(ok), "0a\t/a\th\t70");
  for (const bad of [
    { ...ok, selector: "/a\tb" },
    { ...ok, display: "a\r\n.\r\n" },
    { ...ok, host: "h\n" },
    { ...ok, type: "" },
    { ...ok, type: "01" },
    { ...ok, type: "." },
    { ...ok, port: 70000 },
    { ...ok, port: 1.5 },
  ]) {
    assert.throws(() => formatMenuLine(bad), { name: "ValueError" }, JSON.stringify(bad));
  }
  assert.equal(
    formatMenu([ok, infoItem("hi\tthere")]),
    "0a\t/a\th\t70\r\nihi there\t\terror.host\t1\r\n.\r\n",
  );
  assert.equal(formatMenuLine(errorItem("Not found")), "3Not found\t\terror.host\t1");
});

test("itemToList() gives Python 2's get_directory list", () => {
  const { item: parsed } = parseMenuLine("1Docs\t/docs/\th\t70\t+");
  assert.deepEqual(itemToList(parsed!), ["1", "Docs", "/docs/", "h", "70", "+"]);
});

test("typeToName(), itemKind() and typeForFile() know RFC 1436 and the extensions", () => {
  assert.equal(typeToName("0"), "TEXT");
  assert.equal(typeToName("7"), "INDEX");
  assert.equal(typeToName("i"), "INFO");
  assert.equal(typeToName("Z"), "TYPE='Z'");
  assert.deepEqual(
    ["0", "1", "7", "9", "g", "I", "h", "i", "3", "8", "T", "2", "4", "6", "5", "s", "d", ";", "+", "Z"].map(
      itemKind,
    ),
    [
      "text",
      "menu",
      "menu",
      "binary",
      "binary",
      "binary",
      "binary",
      "info",
      "error",
      "session",
      "session",
      "session",
      "text",
      "text",
      "binary",
      "binary",
      "binary",
      "binary",
      "binary",
      "binary",
    ],
  );
  assert.deepEqual(
    [
      "a.txt",
      "README",
      "x.html",
      "p.gif",
      "p.png",
      "s.mp3",
      "v.mp4",
      "d.pdf",
      "a.zip",
      "a.bin",
      "a.hqx",
      "a.c",
    ].map(typeForFile),
    ["0", "0", "h", "g", "I", "s", ";", "d", "5", "9", "4", "0"],
  );
});

/** A field: any text but TAB, CR, LF and NUL. */
const field = fc.string({ unit: "grapheme", maxLength: 40 }).filter((s) => !/[\t\r\n\0]/.test(s));
const menuItem = fc
  .record({
    type: fc.constantFrom(..."0123456789+TgIihsdM;:<"),
    display: field,
    selector: field,
    host: field,
    port: fc.integer({ min: 0, max: 65535 }),
    plus: fc.constantFrom("", "+"),
    extra: fc.constant([] as string[]),
  })
  .map((r): MenuItem => ({ ...r, extra: [] })); // a plain object: fast-check's have a null prototype

test("parseMenuLine() reads back any item formatMenuLine() writes", () => {
  fc.assert(
    fc.property(menuItem, (it) => {
      assert.deepEqual(parseMenuLine(formatMenuLine(it)).item, it);
    }),
    { seed: 1436, numRuns: 500 },
  );
});

test("parseMenu() reads back any menu formatMenu() writes, with no defect", () => {
  fc.assert(
    fc.property(fc.array(menuItem, { maxLength: 20 }), (items) => {
      const menu = parseMenu(formatMenu(items));
      assert.deepEqual(menu.items, items);
      assert.deepEqual(menu.defects, []);
      assert.equal(menu.terminated, true);
    }),
    { seed: 70, numRuns: 200 },
  );
});

test("parseMenu() never throws on any bytes, and keeps what it returns bounded by its input", () => {
  const chunk = fc.oneof(
    fc.uint8Array({ maxLength: 64 }),
    fc.constantFrom(..."\t\r\n.0i3".split("").map((c) => Buffer.from(c))),
  );
  fc.assert(
    fc.property(fc.array(chunk, { maxLength: 40 }), fc.integer({ min: 1, max: 80 }), (chunks, maxLine) => {
      const bytes = Buffer.concat(chunks);
      const menu = parseMenu(bytes, { maxLine });
      assert.ok(menu.items.length + menu.defects.length <= bytes.length + 1);
      for (const it of menu.items) assert.ok(Buffer.byteLength(it.display) <= bytes.length * 3);
    }),
    { seed: 4266, numRuns: 500 },
  );
});
