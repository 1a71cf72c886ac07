/**
 * nntplib's pure parsers: overview lines and the overview format, the
 * DATE/NEWNEWS timestamps, and `decodeHeader`. Tables of known cases, then
 * fast-check: thousands of generated inputs (fixed seed) fed to netkit and,
 * in one batch, to python3's nntplib (`_parse_overview`,
 * `_parse_overview_fmt`, `_parse_datetime`, `_unparse_datetime`,
 * `decode_header`); the answers must match, errors included (netkit's
 * `NNTPDataError` where Python lets `ValueError`/`IndexError` escape).
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import {
  ArticleInfo,
  DEFAULT_OVERVIEW_FMT,
  decodeHeader,
  GroupInfo,
  HeaderParseError,
  NNTPDataError,
  parseDatetime,
  parseOverview,
  parseOverviewFmt,
  unparseDatetime,
} from "../../src/nntplib/index.js";
import { python } from "../_support/python.js";

const SEED = 20261207;

/** An outcome both sides can print: a value, or the name of the error. */
type Outcome = { ok: unknown } | { error: string };

function outcome(fn: () => unknown): Outcome {
  try {
    return { ok: fn() };
  } catch (err) {
    if (err instanceof NNTPDataError) return { error: "data" };
    if (err instanceof Error) return { error: err.name };
    throw err;
  }
}

/** python3 running `expr` (with `x` bound to each input) over every input, in one process. */
const PY_BATCH = `
import json, sys, warnings, datetime
warnings.simplefilter("ignore")
import nntplib
from email.errors import HeaderParseError
req = json.load(sys.stdin)
out = []
for x in req["inputs"]:
    try:
        out.append({"ok": eval(req["expr"])})
    except Exception as e:
        if isinstance(e, (UnicodeDecodeError, HeaderParseError)) or type(e) is LookupError:
            out.append({"error": type(e).__name__})
        elif isinstance(e, (ValueError, IndexError, TypeError, nntplib.NNTPDataError)):
            out.append({"error": "data"})
        else:
            raise
print(json.dumps(out))
`;

async function differential<T>(inputs: T[], expr: string, mine: (x: T) => unknown): Promise<void> {
  const theirs = await python<Outcome[]>(PY_BATCH, { inputs, expr });
  for (const [i, x] of inputs.entries()) {
    const got = JSON.parse(JSON.stringify(outcome(() => mine(x))));
    assert.deepEqual(
      got,
      theirs[i],
      `input: ${JSON.stringify(x)}\npython: ${JSON.stringify(theirs[i])}\nnetkit: ${JSON.stringify(got)}`,
    );
  }
}

const FMT = [...DEFAULT_OVERVIEW_FMT, "xref"];

describe("parse tables", () => {
  test("parseOverviewFmt() lower-cases names, maps Bytes:/Lines:, keeps a metadata name's colon", () => {
    const lines = [
      "Subject:",
      "From:",
      "Date:",
      "Message-ID:",
      "References:",
      "Bytes:",
      "Lines:",
      "Xref:full",
      ":x-meta:suffix",
    ];
    assert.deepEqual(parseOverviewFmt(lines), [...DEFAULT_OVERVIEW_FMT, "xref", ":x-meta"]);
    assert.throws(() => parseOverviewFmt(lines.slice(0, 6)), {
      message: "LIST OVERVIEW.FMT response too short",
    });
    assert.throws(() => parseOverviewFmt(["From:", ...lines.slice(1)]), {
      message: "LIST OVERVIEW.FMT redefines default fields",
    });
  });

  test("parseOverview() cuts an extra header's name, makes an empty one null", () => {
    const [[n, fields]] = parseOverview(["12\ts\tf\td\t<m>\t\t10\t2\tXREF: g:12"], FMT) as [
      [number, Map<string, string | null>],
    ];
    assert.equal(n, 12);
    assert.equal(fields.get("xref"), "g:12");
    assert.equal(parseOverview(["1\ts\tf\td\t<m>\t\t1\t1\t"], FMT)[0]![1].get("xref"), null);
  });

  test("parseDatetime() reads DATE's 14 digits and the two-digit years as Python guesses them", () => {
    assert.equal(parseDatetime("20261207123456").toISOString(), "2026-12-07T12:34:56.000Z");
    assert.equal(parseDatetime("691231", "235959").toISOString(), "2069-12-31T23:59:59.000Z");
    assert.equal(parseDatetime("700101", "000000").toISOString(), "1970-01-01T00:00:00.000Z");
    assert.throws(() => parseDatetime("20260230000000"), NNTPDataError);
  });

  test("unparseDatetime() writes YYYYMMDD (YYMMDD with legacy) and hhmmss from the UTC fields", () => {
    const d = new Date("2005-03-04T05:06:07Z");
    assert.deepEqual(unparseDatetime(d), ["20050304", "050607"]);
    assert.deepEqual(unparseDatetime(d, true), ["050304", "050607"]);
  });

  test("GroupInfo and ArticleInfo unpack in Python's field order", () => {
    assert.deepEqual([...new GroupInfo("g", "9", "1", "y")], ["g", "9", "1", "y"]);
    const lines = [Buffer.from("x")];
    assert.deepEqual([...new ArticleInfo(3, "<m>", lines)], [3, "<m>", lines]);
  });

  test("decodeHeader() decodes q and b words, drops the space between them, keeps plain text", () => {
    assert.equal(decodeHeader("Re: =?utf-8?q?caf=C3=A9?= =?iso-8859-1?b?6Q==?="), "Re: caféé");
    assert.equal(decodeHeader("no encoded words at all"), "no encoded words at all");
    assert.equal(decodeHeader("=?utf-8?q?a_b?="), "a b");
    assert.throws(() => decodeHeader("=?utf-8?b?Q?="), HeaderParseError);
    assert.throws(() => decodeHeader("=?x-no-such?q?a?="), { name: "LookupError" });
  });
});

describe("parse properties (fast-check, differential against python3)", () => {
  const noTab = fc
    .string({ unit: fc.constantFrom("a", "Z", " ", "é", ":", "<", ">", "@", "1", "-", "\u00a0") })
    .map((s) => s);
  const token = fc.oneof(
    noTab,
    noTab.map((s) => `Xref: ${s}`),
    noTab.map((s) => `xREF: ${s}`),
    fc.constant(""),
    fc.constantFrom("Xref:", "Xref", "X-Extra: v"),
  );
  const number = fc.oneof(
    fc.nat({ max: 1e9 }).map(String),
    fc.constantFrom("x1", " 7 ", "+3", "-2", "1_0", "", "1__0", "\u0663", "0x10"),
  );
  const overviewLine = fc
    .tuple(number, fc.array(token, { maxLength: 11 }))
    .map(([n, t]) => [n, ...t].join("\t"));
  const fmt = fc
    .subarray(["xref", ":extra", "x-extra", ":lines2"])
    .map((extra) => [...DEFAULT_OVERVIEW_FMT, ...extra]);

  test("parseOverview() answers as python3's _parse_overview (1500 generated blocks)", async () => {
    const inputs = fc.sample(fc.tuple(fc.array(overviewLine, { maxLength: 4 }), fmt), {
      numRuns: 1500,
      seed: SEED,
    });
    await differential(
      inputs,
      "[[n, sorted(f.items())] for n, f in nntplib._parse_overview(x[0], x[1])]",
      ([lines, f]) =>
        parseOverview(lines, f).map(([n, fields]) => [
          n,
          [...fields].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)),
        ]),
    );
  });

  test("parseOverviewFmt() answers as python3's _parse_overview_fmt (1500 generated formats)", async () => {
    const name = fc.constantFrom(
      "Subject:",
      "subject:",
      "From:",
      "Date:",
      "Message-ID:",
      "References:",
      "Bytes:",
      ":bytes",
      "Lines:",
      ":lines",
      "Xref:full",
      "Xref:",
      ":x:y",
      "X-Foo",
      "",
      ":",
      "Date",
    );
    const inputs = fc.sample(
      fc.oneof(
        fc.array(name, { maxLength: 10 }),
        fc
          .array(name, { maxLength: 3 })
          .map((extra) => [
            "Subject:",
            "From:",
            "Date:",
            "Message-ID:",
            "References:",
            ":bytes",
            ":lines",
            ...extra,
          ]),
      ),
      { numRuns: 1500, seed: SEED },
    );
    await differential(inputs, "nntplib._parse_overview_fmt(x)", (lines) => parseOverviewFmt(lines));
  });

  test("parseDatetime() answers as python3's _parse_datetime (3000 generated DATE strings)", async () => {
    const digit = fc.constantFrom(..."0123456789");
    const odd = fc.constantFrom(..."0123456789 +-_\u0663");
    const str14 = fc
      .array(fc.oneof({ weight: 8, arbitrary: digit }, { weight: 1, arbitrary: odd }), {
        minLength: 14,
        maxLength: 14,
      })
      .map((a) => a.join(""));
    const valid = fc
      .date({
        min: new Date("1970-01-01T00:00:00Z"),
        max: new Date("9999-12-31T23:59:59Z"),
        noInvalidDate: true,
      })
      .map((d) => unparseDatetime(d).join(""));
    const inputs = fc.sample(fc.oneof(str14, valid), { numRuns: 3000, seed: SEED });
    await differential(inputs, "nntplib._parse_datetime(x).isoformat()", (s) =>
      parseDatetime(s).toISOString().slice(0, 19),
    );
  });

  test("unparseDatetime() answers as python3's _unparse_datetime, and parseDatetime() reads it back", async () => {
    const dates = fc.sample(
      fc.date({
        min: new Date("0100-01-01T00:00:00Z"),
        max: new Date("9999-12-31T23:59:59Z"),
        noInvalidDate: true,
      }),
      { numRuns: 1000, seed: SEED },
    );
    const inputs = dates.flatMap(
      (d) =>
        [
          [d.toISOString().slice(0, 19), false],
          [d.toISOString().slice(0, 19), true],
        ] as [string, boolean][],
    );
    await differential(
      inputs,
      "list(nntplib._unparse_datetime(datetime.datetime.fromisoformat(x[0]), x[1]))",
      ([iso, legacy]) => unparseDatetime(new Date(`${iso}Z`), legacy),
    );
    for (const d of dates) {
      const whole = new Date(Math.floor(d.getTime() / 1000) * 1000);
      assert.equal(parseDatetime(...unparseDatetime(whole)).getTime(), whole.getTime(), whole.toISOString());
    }
  });

  test("decodeHeader() answers as python3's nntplib.decode_header (3000 generated headers)", async () => {
    const text = fc.string({
      unit: fc.constantFrom("a", "b", "Z", " ", "é", "€", "=", "?", "_", "\u00ff"),
      maxLength: 8,
    });
    const b64 = (s: string, cs: BufferEncoding) => Buffer.from(s, cs).toString("base64");
    const qp = (s: string, cs: BufferEncoding) =>
      [...Buffer.from(s, cs)]
        .map((b) =>
          b === 0x20
            ? "_"
            : /[A-Za-z0-9]/.test(String.fromCharCode(b))
              ? String.fromCharCode(b)
              : `=${b.toString(16).toUpperCase().padStart(2, "0")}`,
        )
        .join("");
    const word = fc.oneof(
      text.map((s) => `=?utf-8?b?${b64(s, "utf8")}?=`),
      text.map((s) => `=?UTF-8?Q?${qp(s, "utf8")}?=`),
      text.map((s) => `=?iso-8859-1?q?${qp(s.replace(/€/g, "e"), "latin1")}?=`),
      text.map((s) => `=?utf-8?b?${b64(s, "utf8").replace(/=+$/, "")}?=`),
      fc.constantFrom(
        "=?us-ascii?q?plain?=",
        "=??q?empty_charset?=",
        "=?x-unknown?q?a?=",
        "=?utf-8?b?QQ?=",
        "=?utf-8?b?Q?=",
        "=?utf-8?q?=FF?=",
        "=?utf-8?q?=zz?=",
        "=?utf-8?x?a?=",
        "=?",
        "?=",
        "=?utf-8?q??=",
      ),
    );
    const piece = fc.oneof(word, text, fc.constantFrom(" ", "\t", "  ", "\n", "\r\n ", "\x85"));
    const inputs = fc.sample(
      fc.array(piece, { maxLength: 6 }).map((p) => p.join("")),
      { numRuns: 3000, seed: SEED },
    );
    await differential(inputs, "nntplib.decode_header(x)", (h) => decodeHeader(h));
  });

  test("decodeHeader() reads back any text encoded as UTF-8 words, b or q (property)", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 30 }), fc.boolean(), (s, useB) => {
        const bytes = Buffer.from(s, "utf8");
        const encoded = useB
          ? `=?utf-8?b?${bytes.toString("base64")}?=`
          : `=?utf-8?q?${[...bytes].map((b) => `=${b.toString(16).padStart(2, "0")}`).join("")}?=`;
        assert.equal(decodeHeader(encoded), s);
      }),
      { numRuns: 2000, seed: SEED },
    );
  });
});
