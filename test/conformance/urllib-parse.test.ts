/**
 * Differential: netkit's `urllib/parse` against python3's `urllib.parse` on
 * the same generated inputs, 10,000 or more per function. Outputs must be
 * equal, and an input that raises in one must raise in the other with the
 * same exception class and message (class only for `LookupError`, whose
 * message names netkit's supported encodings).
 *
 * Transport: values travel as JSON. Lone surrogates survive (both sides
 * escape them as `\udXXX`); bytes travel as `{"$b": hex}`, floats as
 * `{"$f": n}` (so `1.5e20` stays a float), tuples as `{"$t": [...]}`, dicts
 * as `{"$d": [[k, v], ...]}`; named-tuple results come back as
 * `{"$r": class, "f": fields}` and exceptions as `{"$e": [class, message]}`.
 *
 * netkit follows the CPython security releases after 3.11.7 (README, "Where
 * netkit differs"), so the inputs those releases answer differently are
 * excluded from the comparison with 3.11.7 and compared instead with python3
 * running a model of the later behaviour (`LATER` in test/_support/urllib-parse-diff.ts), one per CPython issue:
 * - gh-105704 (CVE-2025-0938; 3.12.9, 3.13.2): brackets in a netloc only
 *   around the whole host, only `:port` after them;
 * - gh-67693 (3.11.10): `urlunsplit` keeps an empty authority before a path
 *   starting with `//`, so the path is not read back as a host.
 */
import { describe, test } from "node:test";
import fc from "fast-check";
import {
  ASCII_WORD,
  type Case,
  compare,
  ENCODING,
  ERRORS,
  kwargs,
  PERCENT,
  PyPairs,
  RUNS,
  SAFE,
  SEED,
  SLOW,
  SOUP,
  sample,
  skip,
  TOKEN,
  UNICODE,
  URL_TEXT,
} from "../_support/urllib-parse-diff.js";

describe("urllib.parse agrees with python3", { skip }, () => {
  test("quote() and quotePlus() on 10,000 inputs each (safe, encoding, errors, bytes)", SLOW, async () => {
    const arb = fc.tuple(
      fc.oneof(
        { weight: 5, arbitrary: URL_TEXT },
        { weight: 1, arbitrary: URL_TEXT.map((s) => Buffer.from(s)) },
      ),
      fc.option(SAFE, { nil: undefined }),
      ENCODING,
      ERRORS,
      fc.integer({ min: 0, max: 19 }),
    );
    const cases: Case[] = [];
    for (const f of ["quote", "quote_plus"]) {
      for (const [input, safe, encoding, errors, pick] of sample(arb, RUNS, SEED + f.length)) {
        // Python rejects encoding/errors for bytes; keep a few such cases, not most.
        const text = typeof input === "string";
        cases.push({
          f,
          a: [input],
          k: kwargs([
            ["safe", safe],
            ["encoding", text || pick === 0 ? encoding : undefined],
            ["errors", text ? errors : undefined],
          ]),
        });
      }
    }
    await compare(cases);
  });

  test("quoteFromBytes() on 10,000 byte strings", SLOW, async () => {
    const arb = fc.tuple(
      fc.oneof(
        fc.uint8Array({ maxLength: 24 }),
        URL_TEXT.map((s) => Buffer.from(s, "utf8")),
      ),
      fc.option(SAFE, { nil: undefined }),
    );
    await compare(
      sample(arb).map(([b, safe]) => ({
        f: "quote_from_bytes",
        a: [Buffer.from(b)],
        k: kwargs([["safe", safe]]),
      })),
    );
  });

  test("unquote(), unquotePlus(), unquoteToBytes() on 10,000 inputs each", SLOW, async () => {
    const text = fc.array(fc.oneof({ weight: 3, arbitrary: PERCENT }, { weight: 2, arbitrary: TOKEN }), {
      maxLength: 12,
    });
    const arb = fc.tuple(
      text.map((t) => t.join("")),
      ENCODING,
      ERRORS,
      fc.integer({ min: 0, max: 9 }),
    );
    const cases: Case[] = [];
    for (const [s, encoding, errors, pick] of sample(arb)) {
      const bytes = pick === 0;
      const input = bytes ? Buffer.from(s, "utf8") : s;
      cases.push({
        f: "unquote",
        a: [input],
        k: kwargs([
          ["encoding", encoding],
          ["errors", errors],
        ]),
      });
      cases.push({
        f: "unquote_plus",
        a: [s],
        k: kwargs([
          ["encoding", encoding],
          ["errors", errors],
        ]),
      });
      cases.push({ f: "unquote_to_bytes", a: [input], k: {} });
    }
    await compare(cases);
  });

  test(
    "urlencode() on 10,000 mappings and pair lists (doseq, safe, quote_via, value types)",
    SLOW,
    async () => {
      const scalar = fc.oneof(
        { weight: 5, arbitrary: SOUP },
        { weight: 1, arbitrary: SOUP.map((s) => Buffer.from(s.replace(/[\u0100-\uffff]/g, ""), "latin1")) },
        { weight: 1, arbitrary: fc.integer({ min: -1e6, max: 1e6 }) },
        {
          weight: 1,
          arbitrary: fc.constantFrom(
            0.5,
            -2.25,
            1.5e-5,
            1.5e20,
            1e16 + 2,
            123.456,
            1e-7,
            Number.NaN,
            Number.POSITIVE_INFINITY,
          ),
        },
        { weight: 1, arbitrary: fc.constantFrom(true, false, null) },
      );
      const value = fc.oneof(
        { weight: 4, arbitrary: scalar },
        { weight: 1, arbitrary: fc.array(scalar, { maxLength: 3 }) },
      );
      const key = fc.oneof(
        { weight: 4, arbitrary: SOUP },
        { weight: 1, arbitrary: fc.integer({ min: 0, max: 99 }) },
      );
      const arb = fc.tuple(
        fc.array(fc.tuple(key, value), { maxLength: 5 }),
        fc.integer({ min: 0, max: 2 }),
        fc.boolean(),
        fc.option(SAFE, { nil: undefined }),
        fc.constantFrom(undefined, "quote", "quote_plus"),
        fc.constantFrom<string | undefined>(undefined, undefined, "latin-1", "ascii"),
        fc.constantFrom<string | undefined>(undefined, "replace", "xmlcharrefreplace"),
      );
      const cases: Case[] = sample(arb).map(([pairs, shape, doseq, safe, via, encoding, errors]) => {
        // shape 0: pair list; 1: dict (Map on our side); 2: dict with string keys (plain object on our side)
        let q: unknown;
        if (shape === 0) q = new PyPairs(pairs);
        else if (shape === 1) q = new Map(pairs);
        else q = Object.fromEntries(pairs.map(([k, v]) => [`k${String(k)}`, v]));
        return {
          f: "urlencode",
          a: [q],
          k: kwargs([
            ["doseq", doseq || undefined],
            ["safe", safe],
            ["quote_via", via && { $fn: via }],
            ["encoding", encoding],
            ["errors", errors],
          ]),
        };
      });
      await compare(cases);
    },
  );

  test(
    "parseQsl() and parseQs() on 10,000 query strings each (options, separators, bytes)",
    SLOW,
    async () => {
      const qtoken = fc.oneof(
        { weight: 4, arbitrary: ASCII_WORD },
        { weight: 3, arbitrary: fc.constantFrom("&", "=", "+", ";", "&&", "==", "&=", "=&") },
        { weight: 2, arbitrary: PERCENT },
        { weight: 1, arbitrary: UNICODE },
      );
      const arb = fc.tuple(
        fc.array(qtoken, { maxLength: 12 }).map((t) => t.join("")),
        fc.boolean(),
        fc.boolean(),
        fc.option(fc.integer({ min: 0, max: 6 }), { nil: undefined, freq: 3 }),
        fc.constantFrom<string | Uint8Array | undefined>(
          undefined,
          undefined,
          "&",
          ";",
          "&&",
          "=",
          Buffer.from(";"),
        ),
        fc.integer({ min: 0, max: 7 }),
        ENCODING,
        ERRORS,
      );
      const cases: Case[] = [];
      for (const [qs, keep, strict, max, sep, pick, encoding, errors] of sample(arb)) {
        const input =
          pick === 0
            ? Buffer.from(qs, "utf8")
            : pick === 1
              ? Buffer.from(qs.replace(/[\u0080-\uffff]/g, ""))
              : qs;
        const k = kwargs([
          ["keep_blank_values", keep || undefined],
          ["strict_parsing", strict || undefined],
          ["max_num_fields", max],
          ["separator", sep],
          ["encoding", encoding],
          ["errors", errors],
        ]);
        cases.push({ f: "parse_qsl", a: [input], k }, { f: "parse_qs", a: [input], k });
      }
      await compare(cases);
    },
  );
});
