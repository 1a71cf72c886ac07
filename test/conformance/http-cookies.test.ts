/**
 * Differential: netkit's `http/cookies` against python3's `http.cookies` on
 * the same generated inputs, one python3 run per property:
 *
 * 1. the scanner (`tokenizeCookie`) against `_CookiePattern.match` applied
 *    from the left, on random strings over a character soup that hits every
 *    branch of the pattern;
 * 2. `SimpleCookie().load(header)` and `BaseCookie().load(header)` on
 *    generated Cookie/Set-Cookie-like headers: the error raised, every
 *    morsel's key/value/coded_value/attributes, `output()`, `js_output()`,
 *    each `OutputString()` and `repr()`;
 * 3. cookies built from generated operations (`C[k] = v`, `C[k][attr] = v`,
 *    `update`, stored Morsels, `Morsel.set`, `load`): which operations raise
 *    CookieError and with what message, then the outputs byte for byte, with
 *    the clock fixed on both sides for `expires` integers;
 * 4. `getdate` against `_getdate` across the whole range of `time.gmtime`,
 *    errors included.
 *
 * netkit's one deliberate difference is checked too: where Python's
 * `OutputString()` holds a control character other than tab, netkit throws
 * CookieError instead of writing it.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import fc from "fast-check";
import {
  type AttributeFilter,
  BaseCookie,
  CookieError,
  type CookieValue,
  getdate,
  Morsel,
  type MorselAttributeValue,
  SimpleCookie,
  tokenizeCookie,
} from "../../src/http/cookies.js";
import { hasCommand, peerSkip } from "../_support/peers.js";
import { python } from "../_support/python.js";

const skip = peerSkip("python3", hasCommand("python3"));
const SEED = 20250717;
// biome-ignore lint/suspicious/noControlCharactersInRegex: the characters netkit refuses to render.
const CONTROL = /[\x00-\x08\x0a-\x1f\x7f]/;
/** Python's `sorted()` order of names: by code point, which UTF-8 byte order preserves. */
const byName = ([a]: [string, unknown], [b]: [string, unknown]) =>
  Buffer.compare(Buffer.from(a), Buffer.from(b));

// ---------------------------------------------------------------------------
// 1. The scanner

const SCAN_PY = `
import json, sys
from http.cookies import _CookiePattern as P
out = []
for s in json.load(sys.stdin):
    toks, i, n = [], 0, len(s)
    while 0 <= i < n:
        m = P.match(s, i)
        if not m:
            break
        toks.append([m.group("key"), m.group("val"), s[m.end():]])
        i = m.end()
    out.append(toks)
print(json.dumps(out))
`;

// Every character class the pattern distinguishes: the structural ones often,
// the rest (other whitespace, controls, non-ASCII, date and escape fragments) now and then.
const COMMON = ["a", "Z", "0", "_", "$", "=", "=", ";", ",", " ", " ", '"', '"', "\\"];
const RARE = [
  ..."\t\n\r\v\f[]()-:/é\x1c\x00",
  "😀",
  "\\012",
  "\\\n",
  "a=",
  "Wed, 01 Jan 2020 10:00:00 GMT",
  "Wed, 01-Jan-20 10:00:00 GMT",
  "Wed, 1 Jan 2020 10:00:00 GMT",
  " GMT",
  "10:00:00",
];
const soupString = (maxLength: number) =>
  fc
    .array(fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...COMMON) }, fc.constantFrom(...RARE)), {
      maxLength,
    })
    .map((parts) => parts.join(""));

// ---------------------------------------------------------------------------
// 2. Headers

const casing = (word: string) =>
  fc
    .array(fc.boolean(), { minLength: word.length, maxLength: word.length })
    .map((ups) => [...word].map((ch, i) => (ups[i] ? ch.toUpperCase() : ch)).join(""));
const reservedName = fc
  .constantFrom(
    "expires",
    "path",
    "comment",
    "domain",
    "max-age",
    "secure",
    "httponly",
    "version",
    "samesite",
  )
  .chain(casing);
const dollarName = fc.constantFrom(
  "$Version",
  "$Path",
  "$Domain",
  "$Port",
  "$",
  "$expires",
  "$SECURE",
  "$max-age",
);
const name = fc.oneof(
  { weight: 6, arbitrary: fc.stringMatching(/^[a-z]{1,5}$/) },
  { weight: 3, arbitrary: reservedName },
  { weight: 2, arbitrary: dollarName },
  { weight: 2, arbitrary: fc.stringMatching(/^[A-Za-z0-9_!#%&'~`<>@,:/$*+\-.^|(){}?=]{1,6}$/) },
  { weight: 1, arbitrary: fc.constantFrom("a[b", '"q"', "é", "a b", "Set-Cookie:", "k\x00") },
);
const quotedPart = fc.constantFrom(
  "a",
  "Z9",
  " ",
  ";",
  ",",
  "=",
  '\\"',
  "\\\\",
  "\\012",
  "\\015\\012",
  "\\377",
  "\\400",
  "\\8",
  "\\x",
  "\\",
  "\\\n",
  "é",
  "\x01",
  "\\177",
  "\\011",
  "😀",
);
const quoted = fc
  .tuple(fc.array(quotedPart, { maxLength: 6 }), fc.constantFrom('"', '"', '"', ""))
  .map(([parts, close]) => `"${parts.join("")}${close}`);
const date = fc.constantFrom(
  "Wed, 09 Jun 2021 10:18:14 GMT",
  "Saturday, 01-Jan-83 00:00:00 GMT",
  "Wed, 09-Jun-2021 10:18:14 GMT",
  "Wed, 9 Jun 2021 10:18:14 GMT",
  "Wed, 09 Jun 2021 10:18:14 GMTx",
  "Wed,09 Jun 2021 10:18:14 GMT",
  "Wed, 09  Jun  2021 10:18:14 GMT",
  "Wed, 09 Jun 21 1:18:14 GMT",
  "Wed, 09 Jun 2021 10:18:14 gmt",
  "Thu, 01 Jan 1970 00:00:00 GMT;",
);
const value = fc.oneof(
  { weight: 6, arbitrary: fc.stringMatching(/^[A-Za-z0-9_[\]=,:/(){}.-]{0,8}$/) },
  { weight: 3, arbitrary: quoted },
  { weight: 2, arbitrary: date },
  { weight: 1, arbitrary: fc.constantFrom("", "a b", "x\x00y", "é", "[]", "1;2") },
);
const flag = fc.constantFrom("secure", "HttpOnly", "SECURE", "httponly", "$Secure");
const piece = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(name, fc.constantFrom("=", "=", " = ", "= ", " =", "=\t"), value) },
  { weight: 1, arbitrary: name.map((n) => [n, "", ""] as [string, string, string]) },
  { weight: 1, arbitrary: flag.map((n) => [n, "", ""] as [string, string, string]) },
);
const separator = fc.constantFrom("; ", "; ", ";", " ", ", ", ",", "\t", "\n", " ; ", ";;", "");
const header = fc.oneof(
  {
    weight: 8,
    arbitrary: fc
      .tuple(
        fc.constantFrom("", " ", "\t"),
        fc.array(fc.tuple(piece, separator), { minLength: 1, maxLength: 6 }),
        fc.constantFrom("", "", " ", ";", "\n", " garbage", '"'),
      )
      .map(
        ([lead, pieces, trail]) =>
          lead + pieces.map(([[k, eq, v], sep]) => k + eq + v + sep).join("") + trail,
      ),
  },
  { weight: 2, arbitrary: soupString(30) },
);

/** A header with a few characters inserted or deleted: near misses of every branch. */
const mutatedHeader = fc
  .tuple(
    header,
    fc.array(fc.tuple(fc.nat(), fc.constantFrom(...COMMON, ...RARE), fc.boolean()), {
      minLength: 1,
      maxLength: 3,
    }),
  )
  .map(([text, edits]) => {
    for (const [at, insert, isInsert] of edits) {
      if (isInsert)
        text = text.slice(0, at % (text.length + 1)) + insert + text.slice(at % (text.length + 1));
      else if (text.length > 0) text = text.slice(0, at % text.length) + text.slice((at % text.length) + 1);
    }
    return text;
  });

const LOAD_PY = `
import json, re, sys
from http.cookies import SimpleCookie, BaseCookie, CookieError
CTL = re.compile(r'[\\x00-\\x08\\x0a-\\x1f\\x7f]')
out = []
for text in json.load(sys.stdin):
    row = []
    for cls in (SimpleCookie, BaseCookie):
        c = cls()
        try:
            c.load(text)
            err = None
        except CookieError as e:
            err = str(e)
        morsels = [[k, m.key, m.value, m.coded_value, [[a, v] for a, v in m.items()]] for k, m in c.items()]
        strings = [m.OutputString() for k, m in sorted(c.items())]
        clean = not any(CTL.search(s) for s in strings)
        row.append({
            "error": err, "morsels": morsels, "strings": strings, "repr": repr(c),
            "output": c.output() if clean else None, "js": c.js_output() if clean else None,
        })
    out.append(row)
print(json.dumps(out))
`;

interface LoadResult {
  error: string | null;
  morsels: Array<
    [string, string | null, string | null, string | null, Array<[string, MorselAttributeValue]>]
  >;
  strings: string[];
  repr: string;
  output: string | null;
  js: string | null;
}

/** The generated set must reach the interesting paths, or the comparison proves little. */
function atLeast(count: number, min: number, what: string): void {
  assert.ok(count >= min, `only ${count} cases with ${what} (want ${min})`);
}

/** Runs `f`; its CookieError message, or null when it returns. */
function cookieError(f: () => unknown): string | null {
  try {
    f();
    return null;
  } catch (e) {
    if (e instanceof CookieError) return e.message;
    throw e;
  }
}

/** netkit's side of LOAD_PY for one class, with the control-character rule applied. */
function loadResult(c: BaseCookie, text: string, expected: LoadResult): LoadResult {
  const error = cookieError(() => c.load(text));
  const morsels = [...c].map(
    ([k, m]) => [k, m.key, m.value, m.codedValue, [...m]] as LoadResult["morsels"][number],
  );
  const sorted = [...c].sort(byName);
  return {
    error,
    morsels,
    strings: sorted.map(([, m], i) => rendered(expected.strings[i], () => m.outputString(), true) ?? ""),
    repr: c.repr(),
    output: rendered(expected.output, () => c.output()),
    js: rendered(expected.js, () => c.jsOutput()),
  };
}

// ---------------------------------------------------------------------------
// 3. Building cookies

type Op =
  | ["set", string, CookieValue]
  | ["attr", string, string, MorselAttributeValue]
  | ["update", string, Array<[string, MorselAttributeValue]>]
  | ["morsel", string, string, string, string]
  | ["load", string]
  | ["mset", string, string, string]
  | ["mattr", string, MorselAttributeValue];

const keyName = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom("a", "b", "sid", "Z", "x:y", "t~1") },
  { weight: 2, arbitrary: fc.stringMatching(/^[A-Za-z0-9!#$%&'*+\-.^_`|~:]{1,5}$/) },
  { weight: 1, arbitrary: reservedName },
  { weight: 1, arbitrary: fc.constantFrom("", "a b", "a=b", "a;b", "é", "a\n", "(x)", "[x]", "a/b") },
);
const textValue = fc.oneof(
  { weight: 4, arbitrary: fc.stringMatching(/^[A-Za-z0-9]{0,6}$/) },
  { weight: 3, arbitrary: fc.string({ maxLength: 8 }) },
  {
    weight: 2,
    arbitrary: fc
      .array(fc.constantFrom(...'a ;,"\\é€😀\x00\x7f\t\n\r()[]{}=/<>?@:'), { maxLength: 8 })
      .map((a) => a.join("")),
  },
  // Not arbitrary graphemes: repr() of code points newer than Python 3.11's Unicode 14 differs.
  { weight: 1, arbitrary: fc.constantFrom("€", "😀", "中文", "\u00a0", "\u2028", "ÿĀ", "\u200b") },
);
const number = fc.oneof(
  fc.integer({ min: -10_000_000_000, max: 10_000_000_000 }),
  fc.integer({ min: -100, max: 100 }),
  fc.constantFrom(0, 1, -1, 0.5, 1.5, -2.25, 1e-7, 1.5e16, 3600.75, 123456789.125),
);
const anyValue: fc.Arbitrary<CookieValue> = fc.oneof(
  { weight: 5, arbitrary: textValue },
  { weight: 2, arbitrary: number },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(null) },
);
const attrName = fc.oneof(
  { weight: 8, arbitrary: reservedName },
  { weight: 1, arbitrary: fc.constantFrom("port", "max_age", "Expires ", "", "HTTPONLY", "sameSite", "é") },
);
const attrValue: fc.Arbitrary<MorselAttributeValue> = fc.oneof(
  { weight: 3, arbitrary: anyValue },
  { weight: 1, arbitrary: date },
  { weight: 1, arbitrary: fc.constantFrom("", "", "/", "/a b", "example.com", "Lax", "Strict", "0") },
);
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(fc.constant("set" as const), keyName, anyValue) },
  { weight: 6, arbitrary: fc.tuple(fc.constant("attr" as const), keyName, attrName, attrValue) },
  {
    weight: 2,
    arbitrary: fc.tuple(
      fc.constant("update" as const),
      keyName,
      fc.array(fc.tuple(attrName, attrValue), { maxLength: 3 }),
    ),
  },
  {
    weight: 1,
    arbitrary: fc.tuple(
      fc.constant("morsel" as const),
      fc.string({ maxLength: 3 }),
      keyName,
      textValue,
      textValue,
    ),
  },
  { weight: 1, arbitrary: fc.tuple(fc.constant("load" as const), header) },
  { weight: 1, arbitrary: fc.tuple(fc.constant("mset" as const), keyName, textValue, textValue) },
  { weight: 1, arbitrary: fc.tuple(fc.constant("mattr" as const), attrName, attrValue) },
);
const attrsArg = fc.oneof(
  fc.constant(null),
  fc.subarray([
    "expires",
    "path",
    "comment",
    "domain",
    "max-age",
    "secure",
    "httponly",
    "version",
    "samesite",
  ]),
  fc.constantFrom("path max-age", "secure", "", "Path"),
);
const buildCase = fc.record({
  simple: fc.boolean(),
  ops: fc.array(op, { minLength: 1, maxLength: 8 }),
  attrs: attrsArg,
  header: fc.constantFrom("Set-Cookie:", "Cookie:", ""),
  sep: fc.constantFrom("\r\n", "\n", "; ", ""),
});
type BuildCase = typeof buildCase extends fc.Arbitrary<infer T> ? T : never;

const NOW = 1_700_000_000.5;
const BUILD_PY = `
import json, re, sys, time
from http.cookies import SimpleCookie, BaseCookie, CookieError, Morsel
time.time = lambda: ${NOW}
CTL = re.compile(r'[\\x00-\\x08\\x0a-\\x1f\\x7f]')

def attempt(f):
    try:
        f()
        return None
    except CookieError as e:
        return str(e)

def setattr_(c, k, a, v):
    if k in c:
        c[k][a] = v

def update(c, k, pairs):
    if k in c:
        c[k].update(pairs)

def store(c, k, mk, mv, mc):
    m = Morsel()
    m.set(mk, mv, mc)
    c[k] = m

def mattr(a, v):
    Morsel()[a] = v

out = []
for case in json.load(sys.stdin):
    c = SimpleCookie() if case["simple"] else BaseCookie()
    errors = []
    for op in case["ops"]:
        kind = op[0]
        if kind == "set":
            errors.append(attempt(lambda: c.__setitem__(op[1], op[2])))
        elif kind == "attr":
            errors.append(attempt(lambda: setattr_(c, op[1], op[2], op[3])))
        elif kind == "update":
            errors.append(attempt(lambda: update(c, op[1], op[2])))
        elif kind == "morsel":
            errors.append(attempt(lambda: store(c, op[1], op[2], op[3], op[4])))
        elif kind == "load":
            errors.append(attempt(lambda: c.load(op[1])))
        elif kind == "mset":
            errors.append(attempt(lambda: Morsel().set(op[1], op[2], op[3])))
        else:
            errors.append(attempt(lambda: mattr(op[1], op[2])))
    items = sorted(c.items())
    strings = [m.OutputString() for k, m in items]
    filtered = [m.OutputString(case["attrs"]) for k, m in items]
    clean = not any(CTL.search(s) for s in strings)
    clean_f = not any(CTL.search(s) for s in filtered)
    out.append({
        "errors": errors,
        "morsels": [[k, m.key, m.value, m.coded_value, [[a, v] for a, v in m.items()]] for k, m in c.items()],
        "strings": strings,
        "filtered": filtered,
        "repr": repr(c),
        "reprs": [repr(m) for k, m in items],
        "output": c.output() if clean else None,
        "outputF": c.output(case["attrs"], case["header"], case["sep"]) if clean_f else None,
        "js": c.js_output() if clean else None,
        "jsF": c.js_output(case["attrs"]) if clean_f else None,
    })
print(json.dumps(out))
`;

interface BuildResult {
  errors: Array<string | null>;
  morsels: LoadResult["morsels"];
  strings: Array<string | null>;
  filtered: Array<string | null>;
  repr: string;
  reprs: string[];
  output: string | null;
  outputF: string | null;
  js: string | null;
  jsF: string | null;
}

function runOp(c: BaseCookie, o: Op): string | null {
  return cookieError(() => {
    switch (o[0]) {
      case "set":
        c.set(o[1], o[2]);
        return;
      case "attr":
        c.get(o[1])?.setAttribute(o[2], o[3]);
        return;
      case "update":
        c.get(o[1])?.update(o[2]);
        return;
      case "morsel": {
        const m = new Morsel();
        m.set(o[2], o[3], o[4]);
        c.set(o[1], m);
        return;
      }
      case "load":
        c.load(o[1]);
        return;
      case "mset":
        new Morsel().set(o[1], o[2], o[3]);
        return;
      case "mattr":
        new Morsel().setAttribute(o[1], o[2]);
        return;
    }
  });
}

/**
 * `f()`, or python's text after checking `f` throws CookieError where that
 * text holds a control character (per morsel), or where python's whole output
 * was left out (null) because one of its morsels did.
 */
function rendered(py: string | null | undefined, f: () => string, perMorsel = false): string | null {
  if (py === null || py === undefined || (perMorsel && CONTROL.test(py))) {
    assert.throws(f, CookieError);
    return py ?? null;
  }
  return f();
}

function buildResult(k: BuildCase, expected: BuildResult): BuildResult {
  const c = k.simple ? new SimpleCookie() : new BaseCookie();
  const errors = k.ops.map((o) => runOp(c, o));
  const items = [...c].sort(byName);
  const attrs: AttributeFilter = k.attrs;
  return {
    errors,
    morsels: [...c].map(
      ([key, m]) => [key, m.key, m.value, m.codedValue, [...m]] as LoadResult["morsels"][number],
    ),
    strings: items.map(([, m], i) => rendered(expected.strings[i], () => m.outputString(), true)),
    filtered: items.map(([, m], i) => rendered(expected.filtered[i], () => m.OutputString(attrs), true)),
    repr: c.repr(),
    reprs: items.map(([, m]) => m.repr()),
    output: rendered(expected.output, () => c.output()),
    outputF: rendered(expected.outputF, () => c.output(attrs, k.header, k.sep)),
    js: rendered(expected.js, () => c.jsOutput()),
    jsF: rendered(expected.jsF, () => c.jsOutput(attrs)),
  };
}

// ---------------------------------------------------------------------------
// 4. Dates

const DATE_PY = `
import json, sys, time
from http.cookies import _getdate
out = []
for now, future in json.load(sys.stdin):
    time.time = lambda: now
    try:
        out.append(_getdate(future))
    except Exception as e:
        out.append([type(e).__name__, str(e)])
print(json.dumps(out))
`;

const seconds = fc.oneof(
  fc.integer({ min: -4_000_000_000, max: 4_000_000_000 }),
  fc.double({ min: -1e11, max: 1e11, noNaN: true }),
  fc.double({ min: -7e16, max: 7e16, noNaN: true }),
  fc.constantFrom(
    0,
    -1,
    86399.999,
    -62135596801,
    253402300800,
    6.7e16,
    6.8e16,
    -6.8e16,
    1e19,
    -1e19,
    2 ** 63,
  ),
);

// ---------------------------------------------------------------------------

describe("http.cookies differential", { skip }, () => {
  const clock = Morsel.clock;
  before(() => {
    Morsel.clock = () => NOW;
  });
  after(() => {
    Morsel.clock = clock;
  });

  test("tokenizeCookie() matches _CookiePattern on 20,000 random strings", async () => {
    const inputs = fc.sample(soupString(40), { numRuns: 20_000, seed: SEED });
    const expected = await python<Array<Array<[string, string | null, string]>>>(SCAN_PY, inputs);
    // The comparison proves little unless the soup reaches the pattern's branches.
    const tokens = expected.flat();
    atLeast(tokens.filter(([, v]) => v?.startsWith('"')).length, 30, "quoted values");
    atLeast(tokens.filter(([, v]) => v?.endsWith("GMT")).length, 10, "dates");
    atLeast(tokens.filter(([, v]) => v === null).length, 5000, "names without values");
    atLeast(tokens.filter(([k]) => k.includes("=")).length, 800, "names holding '='");
    for (const [i, text] of inputs.entries()) {
      const got = tokenizeCookie(text).map((t) => [t.key, t.value, text.slice(t.end)]);
      assert.deepEqual(got, expected[i], `input ${JSON.stringify(text)}`);
    }
  });

  test("tokenizeCookie() matches _CookiePattern on 20,000 generated headers and near misses", async () => {
    const inputs = [
      ...fc.sample(header, { numRuns: 10_000, seed: SEED + 1 }),
      ...fc.sample(mutatedHeader, { numRuns: 10_000, seed: SEED + 4 }),
    ];
    const expected = await python<Array<Array<[string, string | null, string]>>>(SCAN_PY, inputs);
    const tokens = expected.flat();
    atLeast(tokens.filter(([, v]) => v?.startsWith('"')).length, 2000, "quoted values");
    atLeast(tokens.filter(([, v]) => v?.endsWith("GMT")).length, 800, "dates");
    atLeast(
      tokens.filter(([, v, rest]) => v === "" && rest.startsWith('"')).length,
      500,
      "empty values before a stray quote",
    );
    for (const [i, text] of inputs.entries()) {
      const got = tokenizeCookie(text).map((t) => [t.key, t.value, text.slice(t.end)]);
      assert.deepEqual(got, expected[i], `input ${JSON.stringify(text)}`);
    }
  });

  test("SimpleCookie/BaseCookie load() agree with python3 on 10,000 generated headers and near misses", async () => {
    const inputs = [
      ...fc.sample(header, { numRuns: 6000, seed: SEED + 2 }),
      ...fc.sample(mutatedHeader, { numRuns: 4000, seed: SEED + 5 }),
    ];
    inputs.push(
      'keebler="E=everybody; L=\\"Loves\\"; fudge=\\012;";',
      'a=b; Path="\\015\\012X-Evil: 1"',
      "a=b; $Port=80",
      "a=b; c,d=e",
      'Customer="WILE_E_COYOTE"; Version=1; Path=/acme; expires=Wed, 09 Jun 2021 10:18:14 GMT; secure',
    );
    const expected = await python<Array<[LoadResult, LoadResult]>>(LOAD_PY, inputs);
    const all = expected.flat();
    atLeast(all.filter((r) => r.morsels.length > 0).length, 3000, "cookies loaded");
    atLeast(all.filter((r) => r.error !== null).length, 1000, "CookieErrors raised");
    atLeast(all.filter((r) => r.morsels.some((m) => m[4].some(([, v]) => v === true))).length, 150, "flags");
    atLeast(all.filter((r) => r.morsels.some((m) => m[4].some(([, v]) => v === null))).length, 50, "$attrs");
    atLeast(all.filter((r) => r.output === null).length, 100, "control characters in output");
    for (const [i, text] of inputs.entries()) {
      const [simple, base] = expected[i]!;
      assert.deepEqual(
        loadResult(new SimpleCookie(), text, simple),
        simple,
        `SimpleCookie ${JSON.stringify(text)}`,
      );
      assert.deepEqual(loadResult(new BaseCookie(), text, base), base, `BaseCookie ${JSON.stringify(text)}`);
    }
  });

  test("getdate() agrees with _getdate on 5,000 times, up to the edges of time_t and gmtime", async () => {
    const inputs = fc.sample(fc.tuple(fc.double({ min: 0, max: 2e9, noNaN: true }), seconds), {
      numRuns: 5000,
      seed: SEED + 6,
    });
    const expected = await python<Array<string | [string, string]>>(DATE_PY, inputs);
    atLeast(expected.filter((e) => Array.isArray(e)).length, 3, "errors");
    for (const [i, [now, future]] of inputs.entries()) {
      let got: string | [string, string];
      try {
        got = getdate(future, now);
      } catch (e) {
        got = [(e as Error).name, (e as Error).message];
      }
      assert.deepEqual(got, expected[i], `getdate(${future}, ${now})`);
    }
  });

  test("built cookies: errors, output(), js_output(), OutputString() and repr() agree on 8,000 cases", async () => {
    const cases = fc.sample(buildCase, { numRuns: 8000, seed: SEED + 3 });
    const expected = await python<BuildResult[]>(BUILD_PY, cases);
    const errors = expected.flatMap((r) => r.errors).filter((e) => e !== null) as string[];
    for (const kind of ["Invalid attribute", "Illegal key", "Attempt to set a reserved key"]) {
      atLeast(errors.filter((e) => e.startsWith(kind)).length, 150, kind);
    }
    atLeast(expected.filter((r) => r.output?.includes(" GMT")).length, 80, "expires dates");
    atLeast(expected.filter((r) => r.output?.includes("\\")).length, 400, "quoted values");
    for (const [i, k] of cases.entries()) {
      assert.deepEqual(buildResult(k, expected[i]!), expected[i], `case ${JSON.stringify(k)}`);
    }
  });
});
