/**
 * Unit tests of netkit/urllib/robotparser's pure parts: groups, first-match
 * rules, agents, crawl-delay and request-rate, sitemaps, the line limit and
 * the errors. python3 agreement is in test/conformance/robotparser.test.ts;
 * read() over HTTP in robotparser-read.test.ts.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ValueError } from "../../src/errors/index.js";
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

  test("parse() raises ValueError where Python's int() refuses a digit that isdigit() accepts", () => {
    assert.throws(() => parsed("User-agent: *\nCrawl-delay: ²\n"), ValueError);
    assert.equal(parsed("User-agent: *\nCrawl-delay: ٣\n").crawlDelay("x"), 3);
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
