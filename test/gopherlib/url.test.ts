/**
 * gopher: URLs (RFC 4266) and Python 2's selector helpers, pure: tables of
 * the URLs curl, lynx and Python 2 met, and fast-check properties:
 * formatGopherUrl and parseGopherUrl are inverses; selectorPath never
 * leaves the root.
 */
import assert from "node:assert/strict";
import { posix } from "node:path";
import { test } from "node:test";
import fc from "fast-check";
import { selectorPath } from "../../src/gopherlib/server.js";
import {
  formatGopherUrl,
  type GopherURL,
  parseGopherUrl,
  pathToDatatypeName,
  pathToSelector,
  splitgophertype,
} from "../../src/gopherlib/url.js";

const url = (fields: Partial<GopherURL>): GopherURL => ({
  host: "h",
  port: 70,
  type: "1",
  selector: "",
  search: null,
  gopherPlus: null,
  ...fields,
});

test("parseGopherUrl() reads the type from the path's first character", () => {
  const cases: [string, GopherURL][] = [
    ["gopher://h", url({})],
    ["gopher://h/", url({})],
    ["gopher://H:7070/1/docs/", url({ port: 7070, selector: "/docs/" })],
    ["gopher://h/0/a%20b.txt", url({ type: "0", selector: "/a b.txt" })],
    ["gopher://h/0about", url({ type: "0", selector: "about" })],
    ["gopher://h/7/search%09cats%20dogs", url({ type: "7", selector: "/search", search: "cats dogs" })],
    ["gopher://h/7/search%09q%09+", url({ type: "7", selector: "/search", search: "q", gopherPlus: "+" })],
    ["gopher://h/7/search?cats", url({ type: "7", selector: "/search", search: "cats" })],
    ["gopher://h/0/cgi?x=1", url({ type: "0", selector: "/cgi?x=1" })],
    ["gopher://h/0/a#frag", url({ type: "0", selector: "/a" })],
    ["gopher://[::1]:7070/9/b", url({ host: "::1", port: 7070, type: "9", selector: "/b" })],
    ["gopher://h/%3C/sound", url({ type: "<", selector: "/sound" })],
    ["gopher://h/h/URL:http://example.test/", url({ type: "h", selector: "/URL:http://example.test/" })],
  ];
  for (const [text, want] of cases) assert.deepEqual(parseGopherUrl(text), want, text);
});

test("parseGopherUrl() refuses what is not a usable gopher: URL, with a typed error", () => {
  for (const bad of ["http://h/", "gopher:///1/", "gopher://h:99999/", "gopher://h:x/"]) {
    assert.throws(() => parseGopherUrl(bad), { name: "GopherURLError", code: "ERR_GOPHER_BAD_URL" }, bad);
  }
});

test("formatGopherUrl() writes what curl and lynx read", () => {
  assert.equal(formatGopherUrl({ host: "h", type: "0", selector: "/a b.txt" }), "gopher://h/0/a%20b.txt");
  assert.equal(formatGopherUrl({ host: "::1", port: 7070, selector: "/" }), "gopher://[::1]:7070/1/");
  assert.equal(
    formatGopherUrl({ host: "h", type: "7", selector: "/s?x", search: "a\tb" }),
    "gopher://h/7/s%3Fx%09a%09b",
  );
});

test("splitgophertype(), pathToSelector() and pathToDatatypeName() as Python 2", () => {
  assert.deepEqual(splitgophertype("/1/docs"), ["1", "/docs"]);
  assert.deepEqual(splitgophertype("/"), [null, "/"]);
  assert.deepEqual(splitgophertype("docs"), [null, "docs"]);
  assert.equal(pathToSelector("/"), "/");
  assert.equal(pathToSelector("/0/about.txt"), "/about.txt");
  assert.equal(pathToDatatypeName("/"), "TYPE='unknown'");
  assert.equal(pathToDatatypeName("/0/about.txt"), "TEXT");
});

/** Text without TAB (a TAB would start the search) and without lone surrogates (not UTF-8). */
const text = fc.string({ unit: "grapheme", maxLength: 30 }).filter((s) => !s.includes("\t"));
const gopherUrl = fc
  .record({
    host: fc.constantFrom("h", "example.test", "127.0.0.1", "::1"),
    port: fc.integer({ min: 1, max: 65535 }),
    type: fc.constantFrom(..."0123456789+TgIihsd;:<"),
    selector: text,
    search: fc.option(text, { nil: null }),
    gopherPlus: fc.option(fc.string({ unit: "grapheme", maxLength: 10 }), { nil: null }),
  })
  .map((r): GopherURL => ({ ...r }));

test("parseGopherUrl() reads back any URL formatGopherUrl() writes", () => {
  fc.assert(
    fc.property(gopherUrl, (parts) => {
      const text = formatGopherUrl(parts);
      const back = parseGopherUrl(text);
      // A gopher+ string needs a search before it: an absent search comes back empty.
      const want = parts.gopherPlus !== null && parts.search === null ? { ...parts, search: "" } : parts;
      assert.deepEqual(back, want, text);
    }),
    { seed: 4266, numRuns: 500 },
  );
});

test("selectorPath() never names a path outside the root, nor a dotfile", () => {
  const segment = fc.oneof(
    fc.constantFrom("..", ".", "", ".hidden", "a", "..."),
    fc.string({ maxLength: 6 }),
  );
  fc.assert(
    fc.property(fc.array(segment, { maxLength: 8 }), fc.boolean(), (segments, absolute) => {
      const selector = (absolute ? "/" : "") + segments.join("/");
      const path = selectorPath(selector, "/srv/gopher");
      if (path === undefined) return;
      assert.ok(path === "/srv/gopher" || path.startsWith("/srv/gopher/"), `${selector} -> ${path}`);
      assert.equal(posix.normalize(path), path.replace(/\/$/, "") || "/");
      assert.ok(!path.split("/").some((p) => p.startsWith(".")), `${selector} -> ${path}`);
    }),
    { seed: 1, numRuns: 1000 },
  );
  assert.equal(selectorPath("/../etc/passwd", "/srv"), undefined);
  assert.equal(selectorPath("a\\..\\b", "/srv"), undefined);
  assert.equal(selectorPath("/etc/passwd", "/srv"), "/srv/etc/passwd");
  assert.equal(selectorPath("", "/srv"), "/srv");
});
