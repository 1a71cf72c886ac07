/**
 * Differential: netkit's URL splitting and joining (`urlsplit`, `urlparse`,
 * `urlunsplit`, `urlunparse`, `urljoin`, `urldefrag`, `unwrap`) against
 * python3's `urllib.parse`, 10,000 generated inputs per function, with the
 * harness and the exclusions of test/conformance/urllib-parse.test.ts (a
 * file of its own so that each file runs within the test runner's time on
 * a loaded machine).
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import {
  type Case,
  compare,
  kwargs,
  PATH,
  SCHEME,
  SLOW,
  SOUP,
  sample,
  skip,
  URL_ARG,
  URL_TEXT,
} from "../_support/urllib-parse-diff.js";

describe("urllib.parse splitting and joining agree with python3", { skip }, () => {
  test(
    "urlsplit() and urlparse() on 10,000 URLs each, with hostname, port, username, password, geturl()",
    SLOW,
    async () => {
      const arb = fc.tuple(
        URL_ARG,
        fc.constantFrom<string | undefined>(undefined, undefined, "", "http", " ftp\t", "HTTPS"),
        fc.option(fc.boolean(), { nil: undefined }),
        fc.integer({ min: 0, max: 19 }),
      );
      const cases: Case[] = [];
      for (const [url, text, allow, pick] of sample(arb)) {
        // The scheme mostly has the URL's type; one case in twenty mixes them (a TypeError).
        const scheme = text === undefined || typeof url === "string" ? text : Buffer.from(text);
        const mixed = typeof scheme === "string" ? Buffer.from(`${scheme}x`) : "x";
        const k = kwargs([
          ["scheme", pick === 0 ? mixed : scheme],
          ["allow_fragments", allow],
        ]);
        cases.push({ f: "urlsplit+props", a: [url], k }, { f: "urlparse+props", a: [url], k });
      }
      const later = await compare(cases);
      assert.ok(
        (later.get("gh-105704") ?? 0) > 50,
        `brackets around part of a host: ${later.get("gh-105704")}`,
      );
      assert.ok((later.get("gh-67693") ?? 0) > 10, `geturl() of a '//' path: ${later.get("gh-67693")}`);
    },
  );

  test("urlunsplit() and urlunparse() on 10,000 component tuples each", SLOW, async () => {
    const part = fc.oneof(
      { weight: 3, arbitrary: fc.constant("") },
      { weight: 3, arbitrary: SOUP },
      { weight: 1, arbitrary: SCHEME.map((s) => s.replace(":", "")) },
      { weight: 1, arbitrary: fc.constantFrom("//x", "/p", "p", "//", "a:b") },
    );
    const arb = fc.tuple(fc.array(part, { minLength: 6, maxLength: 6 }), fc.integer({ min: 0, max: 9 }));
    const cases: Case[] = [];
    for (const [parts, pick] of sample(arb)) {
      const asBytes = (p: string[]) =>
        p.map((s) => Buffer.from(pick === 1 ? s : s.replace(/[\u0080-\uffff]/g, ""), "utf8"));
      const five = parts.slice(0, 5);
      const six = parts;
      if (pick <= 1) {
        cases.push(
          { f: "urlunsplit", a: [asBytes(five)], k: {} },
          { f: "urlunparse", a: [asBytes(six)], k: {} },
        );
      } else if (pick === 2) {
        // Wrong lengths and mixed types.
        cases.push(
          { f: "urlunsplit", a: [parts.slice(0, 4)], k: {} },
          { f: "urlunparse", a: [[...parts, "x"]], k: {} },
        );
        cases.push({ f: "urlunsplit", a: [[five[0]!, Buffer.from("b"), ...five.slice(2)]], k: {} });
      } else {
        cases.push({ f: "urlunsplit", a: [five], k: {} }, { f: "urlunparse", a: [six], k: {} });
      }
    }
    const later = await compare(cases);
    assert.ok((later.get("gh-67693") ?? 0) > 50, `'//' paths: ${later.get("gh-67693")}`);
  });

  test(
    "urljoin() on 10,000 generated base × reference pairs and the RFC 3986 section 5.4 examples",
    SLOW,
    async () => {
      const base = fc.oneof(
        { weight: 2, arbitrary: URL_TEXT },
        {
          weight: 1,
          arbitrary: fc.constantFrom(
            "http://a/b/c/d;p?q",
            "http://a/b/c/d;p?q#f",
            "https://h/",
            "file:///x/y",
            "svn+ssh://h/a/b",
            "mailto:x@y",
            "a/b/c",
            "",
          ),
        },
      );
      const ref = fc.oneof(
        { weight: 2, arbitrary: URL_TEXT },
        { weight: 2, arbitrary: PATH },
        {
          weight: 1,
          arbitrary: fc.constantFrom(
            "",
            "g",
            "../g",
            "../../../g",
            "./",
            ".",
            "..",
            "?y",
            "#s",
            "//g",
            ";x",
            "g;x?y#s",
            "/./g",
            "g/..",
            "http:g",
            "HTTP:g",
            "//[::1]/",
          ),
        },
      );
      const arb = fc.tuple(
        base,
        ref,
        fc.option(fc.boolean(), { nil: undefined }),
        fc.integer({ min: 0, max: 9 }),
      );
      const cases: Case[] = sample(arb).map(([b, r, allow, pick]) => {
        const k = kwargs([["allow_fragments", allow]]);
        if (pick === 0) {
          const ascii = (s: string) => Buffer.from(s.replace(/[\u0080-\uffff]/g, ""));
          return { f: "urljoin", a: [ascii(b), ascii(r)], k };
        }
        if (pick === 1) return { f: "urljoin", a: [b, Buffer.from(r)], k };
        return { f: "urljoin", a: [b, r], k };
      });
      const rfcBase = "http://a/b/c/d;p?q";
      const rfc = [
        "g:h",
        "g",
        "./g",
        "g/",
        "/g",
        "//g",
        "?y",
        "g?y",
        "#s",
        "g#s",
        "g?y#s",
        ";x",
        "g;x",
        "g;x?y#s",
        "",
        ".",
        "./",
        "..",
        "../",
        "../g",
        "../..",
        "../../",
        "../../g",
        "../../../g",
        "../../../../g",
        "/./g",
        "/../g",
        "g.",
        ".g",
        "g..",
        "..g",
        "./../g",
        "./g/.",
        "g/./h",
        "g/../h",
        "g;x=1/./y",
        "g;x=1/../y",
        "g?y/./x",
        "g?y/../x",
        "g#s/./x",
        "g#s/../x",
        "http:g",
      ];
      for (const r of rfc) cases.push({ f: "urljoin", a: [rfcBase, r], k: {} });
      await compare(cases);
    },
  );

  test("urldefrag() and unwrap() on 10,000 inputs each", SLOW, async () => {
    const wrapped = fc
      .tuple(
        fc.constantFrom("", " ", "\t\n", "\u3000", "\u0085", "\uFEFF", "\x1c"),
        fc.constantFrom("", "<", "< "),
        fc.constantFrom("", "URL:", "URL: ", "url:", " URL:"),
        URL_TEXT,
        fc.constantFrom("", ">", " >", "> "),
        fc.constantFrom("", " ", "\u2029", "\x1f"),
      )
      .map((p) => p.join(""));
    const cases: Case[] = [];
    for (const [u, w] of sample(fc.tuple(URL_ARG, wrapped))) {
      cases.push({ f: "urldefrag", a: [u], k: {} }, { f: "unwrap", a: [w], k: {} });
    }
    await compare(cases);
  });
});
