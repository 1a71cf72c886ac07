/**
 * Differential: netkit's `urllib/robotparser` against python3's
 * `urllib.robotparser` on the same robots.txt lines and the same questions,
 * one python3 run per property:
 *
 * 1. every file of test/fixtures/robots/ (wildcards, odd casing, a BOM, rules
 *    before any user-agent, Allow/Disallow order, percent-encoding, unicode
 *    paths and digits, crawl-delay and request-rate edge cases, CR and CRLF
 *    line ends), decoded and split by python3's `splitlines()`, with a fixed
 *    set of agents and URLs: `can_fetch`, `crawl_delay`, `request_rate`,
 *    `site_maps`, `str()`;
 * 2. 2,500 fast-check generated files (lines drawn from a pool of keys in odd
 *    casings, paths with `%`-escapes, broken URLs, wildcards, comments, blank
 *    lines, numbers in several scripts) with generated agents and URLs: the
 *    same answers. Where python3's parse raises ValueError on a line (a rule
 *    path `urlparse` refuses, a number `int()` refuses), netkit reads past
 *    it: python3 is then asked about the file as netkit reads it, the rule
 *    line left out and the number replaced by one that is no number;
 * 3. our `splitlines` against `str.splitlines` on generated text.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import fc from "fast-check";
import { RobotFileParser, splitlines } from "../../src/urllib/robotparser.js";
import { hasCommand, peerSkip } from "../_support/peers.js";
import { python } from "../_support/python.js";

const skip = peerSkip("python3", hasCommand("python3"));
const SEED = 20250718;
const FIXTURES = join(import.meta.dirname, "..", "fixtures", "robots");

interface Case {
  lines: string[];
  queries: Array<[string, string]>;
}
interface Answer {
  /** python3's parse raised on the file as given (netkit's never does). */
  raised?: boolean;
  can: boolean[];
  delay: Array<number | null>;
  rate: Array<[number, number] | null>;
  sitemaps: string[] | null;
  str: string;
}

// python3's parse raises ValueError on a line netkit skips; `readable` rewrites such a
// line as netkit reads it (a bad rule line left out, a number int() refuses made "x"),
// so python3 answers for the same file. `raised` records that python3 alone would have raised.
const PY = `
import json, sys, urllib.parse, urllib.robotparser as rp

def readable(line):
    text = line
    i = text.find('#')
    if i >= 0:
        text = text[:i]
    parts = text.strip().split(':', 1)
    if len(parts) != 2:
        return line
    key = parts[0].strip().lower()
    value = urllib.parse.unquote(parts[1].strip())
    if key in ('allow', 'disallow'):
        try:
            rp.RuleLine(value, key == 'allow')
        except ValueError:
            return None
    elif key == 'crawl-delay' or key == 'request-rate':
        for number in value.split('/'):
            if number.strip().isdigit():
                try:
                    int(number)
                except ValueError:
                    return key + ': x'
    return line

out = []
for case in json.load(sys.stdin):
    p = rp.RobotFileParser()
    raised = False
    try:
        p.parse(case["lines"])
    except ValueError:
        raised = True
        p = rp.RobotFileParser()
        p.parse([l for l in map(readable, case["lines"]) if l is not None])
    out.append({
        "raised": raised,
        "can": [p.can_fetch(a, u) for a, u in case["queries"]],
        "delay": [p.crawl_delay(a) for a, u in case["queries"]],
        "rate": [list(r) if r else None for r in (p.request_rate(a) for a, u in case["queries"])],
        "sitemaps": p.site_maps(),
        "str": str(p),
    })
print(json.dumps(out))
`;

function netkit(c: Case): Answer {
  const p = new RobotFileParser();
  p.parse(c.lines);
  return {
    can: c.queries.map(([a, u]) => p.canFetch(a, u)),
    delay: c.queries.map(([a]) => p.crawlDelay(a)),
    rate: c.queries.map(([a]) => {
      const r = p.requestRate(a);
      return r ? [r.requests, r.seconds] : null;
    }),
    sitemaps: p.siteMaps(),
    str: String(p),
  };
}

const AGENTS = [
  "Googlebot/2.1",
  "googlebot",
  "mybot",
  "MyBot/1.0 (+http://x)",
  "FigTree/0.1 Robot libwww-perl/5.04",
  "figtree",
  "cybermapper",
  "slowbot",
  "badbot/3",
  "negbot",
  "examplebot",
  "bot",
  "late",
  "a",
  "c",
  "*",
  "",
];
const PATHS = [
  "/",
  "",
  "/index.html",
  "/cgi-bin/x",
  "/tmp",
  "/tmp/",
  "/tmpfile",
  "/~joe/",
  "/%7Ejoe/index.html",
  "/~joe/index.html",
  "/a%3cd.html",
  "/a<d.html",
  "/a%2fb.html",
  "/a/b.html",
  "/private/x",
  "/privateer",
  "/Secret",
  "/secret/public/1",
  "/secret/x",
  "/folder1/myfile.html",
  "/folder1/other",
  "/x.gif",
  "/a b",
  "/a%20b",
  "/€uro",
  "/%E2%82%ACuro",
  "/%e2%82%ac",
  "/c/d",
  "/c%2Fd",
  "/q?x=1",
  "/q?x=2",
  "/p;params",
  "/p;other",
  "/%zz",
  "/été",
  "/%C3%A9t%C3%A9/encoded",
  "/日本",
  "/fragment#x",
  "/crlf",
  "/cr-only",
  "/first",
  "/second",
  "/a/b/c/d",
  "/a/b",
  "/a/x",
  "/only-bot",
  "/before-any-agent",
  "/empty-agent",
  "/after-whitespace-line",
  "/nospace",
  "/tabbed",
  "/arabic-digits",
  "/absolute",
  "/netloc",
  "/cyberworld/map/index.html",
  "/x",
];
const HOSTS = ["http://example.com", "https://www.example.com:8080", "http://EXAMPLE.com", ""];

function fixedQueries(): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const agent of AGENTS) {
    for (const path of PATHS)
      out.push([agent, `${HOSTS[(agent.length + path.length) % HOSTS.length]}${path}`]);
  }
  return out;
}

function fileLines(name: string): string[] {
  // As python3 decodes (strict UTF-8, BOM kept) and splits the file.
  const text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(
    readFileSync(join(FIXTURES, name)),
  );
  return splitlines(text);
}

// ---------------------------------------------------------------------------
// Generators

const KEY = fc.constantFrom(
  "User-agent",
  "user-agent",
  "USER-AGENT",
  "User-Agent ",
  " user-agent",
  "useragent",
  "Disallow",
  "disallow",
  "DISALLOW",
  "Allow",
  "allow",
  "aLLow",
  "Crawl-delay",
  "crawl-DELAY",
  "Request-rate",
  "request-rate",
  "Sitemap",
  "SITEMAP",
  "Host",
  "Noindex",
);
const AGENT_VALUE = fc.constantFrom(
  "*",
  "googlebot",
  "Googlebot",
  "bot",
  "MyBot",
  "figtree",
  "",
  "my bot",
  "*bot",
  "ß",
  "BOT/1.0",
);
const PATH_VALUE = fc.oneof(
  fc.constantFrom(
    "/",
    "",
    "/a",
    "/a/",
    "/a/b",
    "/A",
    "*",
    "/*",
    "/*.gif$",
    "/a$",
    "/%7E",
    "/~",
    "/%2F",
    "/%2f",
    "/%20",
    "/ ",
    "/%E2%82%AC",
    "/€",
    "/%zz",
    "/%",
    "/q?x=1",
    "/p;a",
    "http://example.com/a",
    "//h/a",
    "/é",
    "a",
    "/a#b",
  ),
  fc
    .array(
      fc.constantFrom("/", "a", "b", "%", "2", "F", "7", "e", "*", "$", "?", ";", "=", " ", "é", ".", "~"),
      {
        maxLength: 8,
      },
    )
    .map((a) => a.join("")),
);
/** Rule paths urlparse refuses: python3's parse raises, netkit's skips the line. */
const BROKEN_PATH = fc.constantFrom("//[x", "//x]", "//[127.0.0.1]", "//%E2%84%80", "//\u2100/", "/\udc00");
const NUMBER_VALUE = fc.constantFrom(
  "1",
  "10",
  " 5 ",
  "0",
  "1.5",
  "-1",
  "abc",
  "",
  "١٢",
  "²",
  "1_0",
  "3/15",
  "1 / 5",
  "x/1",
  "1/2/3",
  "/",
  "09/010",
  "٣/٩",
);
const COMMENT = fc.constantFrom("", "", " # comment", "#", " #x:y");
const LINE = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .tuple(
        KEY,
        fc.constantFrom(":", ": ", " : ", ":\t"),
        fc.oneof(AGENT_VALUE, PATH_VALUE, NUMBER_VALUE, BROKEN_PATH),
        COMMENT,
      )
      .map(([k, s, v, c]) => `${k}${s}${v}${c}`),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      "",
      "",
      " ",
      "\t",
      "# only a comment",
      "NoColon",
      "\ufeffUser-agent: *",
      ":",
      "::",
    ),
  },
);
const FILE = fc.array(LINE, { maxLength: 14 });
const URL_PATH = fc.oneof(
  PATH_VALUE.map((p) => (p.startsWith("/") ? p : `/${p}`)),
  fc.constantFrom("", "/", "/a/b/c", "/a?x=1#f", "/%61", "/%2561"),
);
const URL = fc.tuple(fc.constantFrom(...HOSTS), URL_PATH).map(([h, p]) => `${h}${p}`);
const QUERIES = fc.array(fc.tuple(fc.constantFrom(...AGENTS, "Googlebot", "BOT", "ß-bot"), URL), {
  minLength: 1,
  maxLength: 6,
});

describe("urllib.robotparser against python3", { skip }, () => {
  test("RobotFileParser answers as python3 on every file of the fixture corpus", async () => {
    const names = readdirSync(FIXTURES)
      .filter((n) => n.endsWith(".txt"))
      .sort();
    assert.ok(names.length >= 20, "the corpus has its files");
    const queries = fixedQueries();
    const cases: Case[] = names.map((name) => ({ lines: fileLines(name), queries }));
    const expected = await python<Answer[]>(PY, cases);
    names.forEach((name, i) => {
      const { raised, ...answer } = expected[i]!;
      assert.equal(raised, false, `python3 reads fixture ${name}`);
      assert.deepStrictEqual(netkit(cases[i]!), answer, `fixture ${name}`);
    });
    // The corpus decides things: not everything is allowed, not everything refused.
    const all = expected.flatMap((a) => a.can);
    assert.ok(all.includes(true) && all.includes(false));
  });

  test("RobotFileParser answers as python3 on 2,500 generated files and URLs", async () => {
    const cases = fc.sample(fc.record({ lines: FILE, queries: QUERIES }), { numRuns: 2500, seed: SEED });
    const expected = await python<Answer[]>(PY, cases);
    let disagreements = 0;
    cases.forEach((c, i) => {
      const got = netkit(c);
      const { raised: _, ...answer } = expected[i]!;
      if (JSON.stringify(got) !== JSON.stringify(answer)) {
        disagreements++;
        assert.deepStrictEqual(got, answer, `case ${JSON.stringify(c)}`);
      }
    });
    assert.equal(disagreements, 0);
    // The generator reaches the interesting branches, python3's ValueError among them.
    assert.ok(expected.filter((a) => a.raised).length >= 20);
    assert.ok(expected.some((a) => a.delay.some((d) => d !== null)));
    assert.ok(expected.some((a) => a.rate.some((r) => r !== null)));
    assert.ok(expected.some((a) => a.can.includes(false)));
  });

  test("splitlines() splits as str.splitlines()", async () => {
    const texts = fc.sample(
      fc
        .array(
          fc.constantFrom(
            "a",
            " ",
            "\n",
            "\r",
            "\r\n",
            "\v",
            "\f",
            "\x1c",
            "\x1d",
            "\x1e",
            "\x85",
            "\u2028",
            "\u2029",
            "\t",
            "é",
          ),
          {
            maxLength: 12,
          },
        )
        .map((a) => a.join("")),
      { numRuns: 2000, seed: SEED },
    );
    const expected = await python<string[][]>(
      "import json,sys\nprint(json.dumps([t.splitlines() for t in json.load(sys.stdin)]))",
      texts,
    );
    for (const [i, t] of texts.entries())
      assert.deepStrictEqual(splitlines(t), expected[i], JSON.stringify(t));
  });
});
