/** The gophermap subset netkit's server reads (gophernicus's syntax): a table per directive. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { parseGophermap } from "../../src/gopherlib/gophermap.js";

const CONTEXT = { directory: "/docs/", host: "127.0.0.1", port: 7070 };

test("parseGophermap() turns links, info lines and titles into items", () => {
  const map = parseGophermap(
    [
      "!Welcome",
      "plain text line",
      "# a comment",
      "0About\tabout.txt",
      "1Absolute\t/other/",
      "0Same name",
      "0Name only\t",
      "1Elsewhere\t/\texample.test\t70",
      "1Elsewhere, default port\t/\texample.test",
      "hWeb\tURL:http://example.test/",
      "~",
      "%",
      ".",
      "0After the end\tx",
    ].join("\r\n"),
    CONTEXT,
  );
  const rows = map.entries.map((e) =>
    e.kind === "item" ? [e.item.type, e.item.display, e.item.selector, e.item.host, e.item.port] : [e.kind],
  );
  assert.deepEqual(rows, [
    ["i", "Welcome", "", "error.host", 1],
    ["i", "plain text line", "", "error.host", 1],
    ["0", "About", "/docs/about.txt", "127.0.0.1", 7070],
    ["1", "Absolute", "/other/", "127.0.0.1", 7070],
    ["i", "0Same name", "", "error.host", 1],
    ["0", "Name only", "/docs/Name only", "127.0.0.1", 7070],
    ["1", "Elsewhere", "/", "example.test", 70],
    ["1", "Elsewhere, default port", "/", "example.test", 7070],
    ["h", "Web", "URL:http://example.test/", "127.0.0.1", 7070],
  ]);
});

test("parseGophermap() reads hidden names, type overrides, includes and the listing", () => {
  const map = parseGophermap("-secret.txt\n:png=I\n:bad\n=other.map\n*\n0not read\tx\n", CONTEXT);
  assert.deepEqual([...map.hidden], ["secret.txt"]);
  assert.deepEqual([...map.types], [["png", "I"]]);
  assert.deepEqual(map.entries, [{ kind: "include", file: "other.map" }, { kind: "listing" }]);
});
