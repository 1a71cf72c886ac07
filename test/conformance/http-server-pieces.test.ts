/**
 * Differential: the pieces of netkit's http.server against python3's, on
 * generated input: translate_path, the directory listing page, the
 * If-Modified-Since reading (parsedate_to_datetime and send_head's rules),
 * guess_type, and the responses table.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { ifModifiedSinceSeconds } from "../../src/http/_server/dates.js";
import { listingPage, translatePath } from "../../src/http/_server/files.js";
import { RESPONSES, SimpleHTTPRequestHandler } from "../../src/http/server.js";
import { hasCommand, peerSkip } from "../_support/peers.js";
import { python } from "../_support/python.js";

const skip = peerSkip("python3", hasCommand("python3"));

const PY = `
import json, sys, io, os, datetime, email.utils, http.server
from unittest import mock
cfg = json.load(sys.stdin)
out = {}
h = http.server.SimpleHTTPRequestHandler.__new__(http.server.SimpleHTTPRequestHandler)
h.directory = "/srv/www"
out["translate"] = [h.translate_path(p) for p in cfg["paths"]]
out["types"] = [h.guess_type(p) for p in cfg["names"]]
def ims(v):
    try:
        d = email.utils.parsedate_to_datetime(v)
    except (TypeError, IndexError, OverflowError, ValueError):
        return None
    if d.tzinfo is None:
        d = d.replace(tzinfo=datetime.timezone.utc)
    if d.tzinfo is datetime.timezone.utc:
        return d.timestamp()
    return None
out["ims"] = [ims(v) for v in cfg["dates"]]
pages = []
for case in cfg["listings"]:
    h.path = case["path"]
    h.send_response = lambda *a: None
    h.send_header = lambda *a: None
    h.end_headers = lambda *a: None
    entries = case["entries"]
    with mock.patch("os.listdir", return_value=[e[0] for e in entries]), \\
         mock.patch("os.path.isdir", side_effect=lambda p: any(p.endswith("/" + e[0]) and e[1] for e in entries)), \\
         mock.patch("os.path.islink", side_effect=lambda p: any(p.endswith("/" + e[0]) and e[2] for e in entries)):
        pages.append(h.list_directory("/d").read().decode("utf-8", "surrogateescape"))
out["pages"] = pages
out["responses"] = {str(k): list(v) for k, v in http.server.BaseHTTPRequestHandler.responses.items()}
print(json.dumps(out))
`;

describe("http.server pieces against python3", { skip }, () => {
  test("translatePath, guessType, If-Modified-Since, listings and responses agree on generated input", async () => {
    const pathArb = fc.oneof(
      fc.string({
        unit: fc.constantFrom(
          "/",
          ".",
          "..",
          "%2e",
          "%2F",
          "%",
          "a",
          "b",
          "?",
          "#",
          " ",
          "%00",
          "\\",
          "é",
          "%C3%A9",
          "%ff",
        ),
        maxLength: 12,
      }),
      fc.constantFrom(
        "/",
        "",
        "//x",
        "/a/b/",
        "/a/./b/../c",
        "/../../etc/passwd",
        "/a?x=/../..#/..",
        "/a%20b/ ",
      ),
    );
    const paths = fc.sample(pathArb, { numRuns: 800, seed: 99 });
    const names = fc.sample(
      fc
        .tuple(
          fc.constantFrom("a", "dir/b", ".x", "c.d"),
          fc.constantFrom(
            ".gz",
            ".GZ",
            ".Z",
            ".z",
            ".bz2",
            ".xz",
            ".html",
            ".HTML",
            ".tar.gz",
            ".tgz",
            ".unknown",
            "",
            ".json",
            ".svgz",
            ".py",
            ".webp",
          ),
        )
        .map(([a, b]) => a + b),
      { numRuns: 200, seed: 4 },
    );
    const dateArb = fc.oneof(
      fc.date({ min: new Date(0), max: new Date(4e12), noInvalidDate: true }).map((d) => d.toUTCString()),
      fc
        .tuple(
          fc.constantFrom("", "Sun, ", "Sunday, ", "mon "),
          fc.integer({ min: 0, max: 32 }),
          fc.constantFrom("Jan", "feb", "March", "XYZ", "Dec"),
          fc.constantFrom("1994", "94", "69", "68", "2038", "0", "99999"),
          fc.constantFrom("08:49:37", "8:49", "24:00:00", "08.49.37", "08:61:00", ""),
          fc.constantFrom("GMT", "UTC", "+0000", "-0000", "+0100", "EST", "Z", "", "+9999", "-2400"),
        )
        .map(([d, n, m, y, t, z]) => `${d}${n} ${m} ${y} ${t} ${z}`.trim()),
      fc.string({ maxLength: 20 }),
    );
    const dates = fc.sample(dateArb, { numRuns: 800, seed: 12 });
    const entryArb = fc.tuple(
      fc.oneof(
        fc.constantFrom(
          "a",
          "B",
          "<b>",
          "a&b",
          "x y",
          "é",
          "É",
          "😀",
          "\u00e9",
          "Z",
          "z",
          ".h",
          "%41",
          '"q"',
        ),
        fc.string({ minLength: 1, maxLength: 6 }).filter((s) => !s.includes("/") && !s.includes("\0")),
      ),
      fc.boolean(),
      fc.boolean(),
    );
    const listings = fc.sample(
      fc.record({
        path: fc.constantFrom("/", "/d/", "/%3Cscript%3E/", "/a%20b/", "/é/", "/%ff/"),
        entries: fc.uniqueArray(entryArb, { selector: (e) => e[0], maxLength: 8 }),
      }),
      { numRuns: 150, seed: 8 },
    );
    const py = await python<{
      translate: string[];
      types: string[];
      ims: Array<number | null>;
      pages: string[];
      responses: Record<string, [string, string]>;
    }>(PY, { paths, names, dates, listings });
    paths.forEach((p, i) => {
      assert.equal(translatePath(p, "/srv/www"), py.translate[i], `translatePath(${JSON.stringify(p)})`);
    });
    const h = Object.create(SimpleHTTPRequestHandler.prototype) as SimpleHTTPRequestHandler;
    Object.assign(h, {
      extensionsMap: new SimpleHTTPRequestHandler({} as never, null, {} as never).extensionsMap,
    });
    names.forEach((n, i) => {
      assert.equal(h.guessType(n), py.types[i], `guessType(${JSON.stringify(n)})`);
    });
    dates.forEach((d, i) => {
      assert.equal(ifModifiedSinceSeconds(d), py.ims[i], `If-Modified-Since: ${JSON.stringify(d)}`);
    });
    listings.forEach((l, i) => {
      const page = listingPage(
        l.path,
        l.entries.map(([name, isDir, isLink]) => ({ name, isDir, isLink })),
      );
      assert.equal(page.toString("utf8"), py.pages[i], `listing of ${JSON.stringify(l)}`);
    });
    assert.deepEqual(
      Object.fromEntries(Object.entries(RESPONSES).map(([k, v]) => [k, [...v]])),
      py.responses,
    );
  });
});
