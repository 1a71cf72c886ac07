/**
 * Unit tests of netkit/urllib/robotparser's pure parts: groups, first-match
 * rules, agents, crawl-delay and request-rate, sitemaps, the line limit and
 * the errors. python3 agreement is in test/conformance/robotparser.test.ts;
 * read() over HTTP in robotparser-read.test.ts.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { MAX_ROBOTS_LINE, RequestRate, RobotFileParser, splitlines } from "../../src/urllib/robotparser.js";

function parsed(text: string): RobotFileParser {
  const rp = new RobotFileParser("http://example.com/robots.txt");
  rp.parse(splitlines(text));
  return rp;
}

describe("RobotFileParser", () => {
  test("canFetch() is false until robots.txt was read or parsed", () => {
    const rp = new RobotFileParser("http://example.com/robots.txt");
    assert.equal(rp.mtime(), 0);
    assert.equal(rp.canFetch("bot", "http://example.com/"), false);
    assert.equal(rp.crawlDelay("bot"), null);
    rp.parse([]);
    assert.ok(rp.mtime() > 0);
    assert.equal(rp.canFetch("bot", "http://example.com/"), true);
  });

  test("setUrl() splits host and path", () => {
    const rp = new RobotFileParser("https://www.example.com:8443/robots.txt");
    assert.equal(rp.host, "www.example.com:8443");
    assert.equal(rp.path, "/robots.txt");
  });

  test("the first matching rule decides, and the default group is asked last", () => {
    const rp = parsed(
      "User-agent: *\nDisallow: /private\n\nUser-agent: goodbot\nAllow: /private/ok\nDisallow: /private\n",
    );
    assert.equal(rp.canFetch("GoodBot/2.0", "http://example.com/private/ok/page"), true);
    assert.equal(rp.canFetch("GoodBot/2.0", "http://example.com/private/no"), false);
    assert.equal(rp.canFetch("other", "http://example.com/private/ok/page"), false);
    assert.equal(rp.canFetch("other", "http://example.com/public"), true);
    assert.equal(
      String(rp),
      "User-agent: goodbot\nAllow: /private/ok\nDisallow: /private\n\nUser-agent: *\nDisallow: /private",
    );
  });

  test("an empty Disallow allows everything; Disallow: / refuses everything", () => {
    assert.equal(parsed("User-agent: *\nDisallow:\n").canFetch("x", "/anything"), true);
    assert.equal(parsed("User-agent: *\nDisallow: /\n").canFetch("x", "/"), false);
  });

  test("paths compare percent-decoded and re-quoted", () => {
    const rp = parsed("User-agent: *\nDisallow: /%7Ejoe/\nDisallow: /a%3cd\n");
    assert.equal(rp.canFetch("x", "http://example.com/~joe/index.html"), false);
    assert.equal(rp.canFetch("x", "http://example.com/%7ejoe/index.html"), false);
    assert.equal(rp.canFetch("x", "http://example.com/a<d"), false);
  });

  test("crawlDelay() and requestRate() read well-formed numbers only", () => {
    const rp = parsed(
      "User-agent: slow\nCrawl-delay: 10\nRequest-rate: 3/15\nDisallow:\n\nUser-agent: *\nCrawl-delay: 1.5\nRequest-rate: x/2\nDisallow:\n",
    );
    assert.equal(rp.crawlDelay("slow"), 10);
    const rate = rp.requestRate("slow");
    assert.ok(rate instanceof RequestRate);
    assert.deepEqual([...rate], [3, 15]);
    assert.equal(String(rate), "RequestRate(requests=3, seconds=15)");
    assert.equal(rp.crawlDelay("other"), null);
    assert.equal(rp.requestRate("other"), null);
  });

  test("parse() reads a number int() refuses (²) as no number, where Python raises ValueError", () => {
    const rp = parsed("User-agent: *\nCrawl-delay: ²\nRequest-rate: 1/²\nDisallow: /x\n");
    assert.equal(rp.crawlDelay("bot"), null);
    assert.equal(rp.requestRate("bot"), null);
    assert.equal(rp.canFetch("bot", "/x"), false, "the lines after it are read");
    assert.equal(parsed("User-agent: *\nCrawl-delay: ٣\n").crawlDelay("x"), 3);
  });

  test("parse() skips a rule line whose path urlparse() refuses, where Python raises ValueError", () => {
    for (const bad of ["//[x", "//x]", "//[::1", "//[127.0.0.1]/", "//[::1]x/", "//℀/", "/\ud800"]) {
      const rp = parsed(
        `User-agent: bot\nDisallow: ${bad}\nDisallow: /private\n\nUser-agent: *\nDisallow: /\n`,
      );
      assert.equal(rp.canFetch("bot", "/private/x"), false, bad);
      assert.equal(rp.canFetch("bot", "/public"), true, bad);
      assert.equal(rp.canFetch("other", "/public"), false, bad);
      assert.equal(rp.entries[0]?.rulelines.length, 1, bad);
    }
  });

  test("parse() leaves the group as it was after a skipped rule line", () => {
    // The bad line is as if it were not there: both agents share the group that follows.
    const rp = parsed("User-agent: a\nDisallow: //[x\nUser-agent: b\nDisallow: /x\n");
    assert.equal(rp.entries.length, 1);
    assert.deepEqual(rp.entries[0]?.useragents, ["a", "b"]);
  });

  test("parse() never throws on junk lines between valid ones, and loses none of the valid ones", () => {
    const valid = fc.array(
      fc.oneof(
        fc.constantFrom("User-agent: *", "User-agent: bot", "user-agent: other", "Sitemap: http://a/s.xml"),
        fc
          .constantFrom("Disallow:", "Allow:")
          .chain((k) =>
            fc.constantFrom("/", "/a", "/a/b", "/%7Ejoe", "/q?x=1", "*", "").map((p) => `${k} ${p}`),
          ),
        fc.constantFrom("Crawl-delay: 3", "Request-rate: 1/5", "Crawl-delay: x", "", "# comment"),
      ),
      { maxLength: 12 },
    );
    // What a file may hold that netkit must read past: broken URLs, odd numbers,
    // lone surrogates, control characters, lines without a colon or with an unknown key.
    const junk = fc.oneof(
      fc
        .constantFrom("Disallow:", "Allow:", "disallow :")
        .chain((k) =>
          fc
            .constantFrom(
              "//[x",
              "//]",
              "//[::1]x",
              "//[v1.x",
              "//[1.2.3.4]",
              "//%E2%84%80",
              "//\u2100/",
              "/\udc00",
              "//[",
            )
            .map((p) => `${k} ${p}`),
        ),
      fc.string({ unit: "binary", maxLength: 20 }).filter((t) => t !== "" && !t.includes(":")), // no key, and not the empty line that ends a group
      fc.constantFrom(
        "Host: x",
        "Noindex: /a",
        "\ud800: \udfff",
        "::",
        "\x00\x01: \x7f",
        "\0\0",
        "x".repeat(40_000),
      ),
    );
    const agents = ["bot", "other", "x"];
    const paths = ["/", "/a", "/a/b", "/~joe/x", "/q?x=1", "/z"];
    const answers = (rp: RobotFileParser) => ({
      can: agents.flatMap((a) => paths.map((p) => rp.canFetch(a, `http://h${p}`))),
      delay: agents.map((a) => rp.crawlDelay(a)),
      rate: agents.map((a) => String(rp.requestRate(a))),
      sitemaps: rp.siteMaps(),
      str: String(rp),
    });
    fc.assert(
      fc.property(valid, fc.array(fc.tuple(fc.nat(), junk), { maxLength: 6 }), (lines, inserts) => {
        const mixed = [...lines];
        for (const [at, line] of inserts) mixed.splice(at % (mixed.length + 1), 0, line);
        const clean = new RobotFileParser();
        clean.parse(lines);
        const dirty = new RobotFileParser();
        dirty.parse(mixed);
        assert.deepStrictEqual(answers(dirty), answers(clean));
      }),
      { numRuns: 1000, seed: 20250719 },
    );
  });

  test("siteMaps() lists Sitemap lines wherever they stand, or null", () => {
    assert.equal(parsed("User-agent: *\nDisallow:\n").siteMaps(), null);
    assert.deepEqual(parsed("Sitemap: http://a/1.xml\nUser-agent: *\nSITEMAP: http://a/2.xml\n").siteMaps(), [
      "http://a/1.xml",
      "http://a/2.xml",
    ]);
  });

  test("a line longer than MAX_ROBOTS_LINE is cut, not read whole", () => {
    const long = `Disallow: /${"a".repeat(MAX_ROBOTS_LINE)}`;
    const rp = new RobotFileParser();
    rp.parse(["User-agent: *", long]);
    assert.equal(rp.defaultEntry?.rulelines[0]?.path.length, MAX_ROBOTS_LINE - "Disallow: ".length);
  });

  test("a BOM given to parse() stays part of the first line, as in Python", () => {
    const rp = parsed("\ufeffUser-agent: *\nDisallow: /x\n");
    assert.equal(rp.canFetch("bot", "/x"), true, "the first line is not a user-agent line");
  });
});
