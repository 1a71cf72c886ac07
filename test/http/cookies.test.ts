/**
 * Unit tests for netkit/http/cookies: tables for every class and method, the
 * examples from Python's module documentation, cases after CPython's
 * Lib/test/test_http_cookies.py, the error paths, and the two guarantees
 * Python does not give (a linear scanner with a length limit, no control
 * characters in rendered headers). Expected values were taken from python3.11.
 */
import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, test } from "node:test";
import fc from "fast-check";
import { OSError, OverflowError } from "../../src/errors/index.js";
import {
  BaseCookie,
  CookieError,
  getdate,
  MAX_COOKIE_STRING,
  Morsel,
  type MorselAttributeValue,
  quote,
  type ScanCounter,
  SimpleCookie,
  tokenizeCookie,
  unquote,
} from "../../src/http/cookies.js";

/** Freezes Morsel.clock for the tests of a describe block. */
function fixedClock(now: number): void {
  const real = Morsel.clock;
  beforeEach(() => {
    Morsel.clock = () => now;
  });
  afterEach(() => {
    Morsel.clock = real;
  });
}

function morsel(key = "k", value = "v", coded = "cv"): Morsel {
  const m = new Morsel();
  m.set(key, value, coded);
  return m;
}

/** The message of the CookieError `f` throws. */
function cookieErrorOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof CookieError, `expected a CookieError, got ${String(e)}`);
    assert.equal(e.code, "ERR_COOKIE");
    return e.message;
  }
  assert.fail("expected a CookieError");
}

// ---------------------------------------------------------------------------

describe("Python's module documentation examples", () => {
  test("SimpleCookie() set and output() as in the docstring", () => {
    const c = new SimpleCookie();
    c.set("fig", "newton");
    c.set("sugar", "wafer");
    assert.equal(c.output(), "Set-Cookie: fig=newton\r\nSet-Cookie: sugar=wafer");
  });

  test("SimpleCookie.output() takes a header and attrs", () => {
    const c = new SimpleCookie();
    c.set("rocky", "road");
    c.get("rocky")!.setAttribute("path", "/cookie");
    assert.equal(c.output(undefined, "Cookie:"), "Cookie: rocky=road; Path=/cookie");
    assert.equal(c.output({ header: "Cookie:" }), "Cookie: rocky=road; Path=/cookie");
    assert.equal(c.output([], "Cookie:"), "Cookie: rocky=road");
    assert.equal(c.output({ attrs: [], header: "Cookie:" }), "Cookie: rocky=road");
  });

  test("SimpleCookie.load() reads HTTP_COOKIE", () => {
    const c = new SimpleCookie();
    c.load("chips=ahoy; vienna=finger");
    assert.equal(c.output(), "Set-Cookie: chips=ahoy\r\nSet-Cookie: vienna=finger");
  });

  test("SimpleCookie.load() is not confused by escaped quotes and nested semicolons", () => {
    const c = new SimpleCookie();
    c.load('keebler="E=everybody; L=\\"Loves\\"; fudge=\\012;";');
    assert.equal(String(c), 'Set-Cookie: keebler="E=everybody; L=\\"Loves\\"; fudge=\\012;"');
    assert.equal(c.get("keebler")!.value, 'E=everybody; L="Loves"; fudge=\n;');
  });

  test("Morsel attributes and value as in the docstring", () => {
    const c = new SimpleCookie();
    c.set("oreo", "doublestuff");
    c.get("oreo")!.path = "/";
    assert.equal(c.toString(), "Set-Cookie: oreo=doublestuff; Path=/");
    c.set("twix", "none for you");
    assert.equal(c.get("twix")!.value, "none for you");
  });

  test("SimpleCookie.set() converts values with str()", () => {
    const c = new SimpleCookie();
    c.set("number", 7);
    c.set("string", "seven");
    assert.equal(c.get("number")!.value, "7");
    assert.equal(c.get("string")!.value, "seven");
    assert.equal(c.output(), "Set-Cookie: number=7\r\nSet-Cookie: string=seven");
  });
});

// ---------------------------------------------------------------------------

describe("quote() and unquote()", () => {
  const quoted: Array<[string, string]> = [
    ["abc", "abc"],
    ["a:b", "a:b"],
    ["", '""'],
    ["a b", '"a b"'],
    ['a"b', '"a\\"b"'],
    ["a\\b", '"a\\\\b"'],
    ["some,funky;stuff", '"some\\054funky\\073stuff"'],
    ["é", '"\\351"'],
    ["€", '"€"'],
    ["\x00\x7f", '"\\000\\177"'],
    ["\t\n", '"\\011\\012"'],
    ["()/<=>?@[]{}", '"()/<=>?@[]{}"'],
  ];
  for (const [input, output] of quoted) {
    test(`quote() turns ${JSON.stringify(input)} into ${output}`, () => {
      assert.equal(quote(input), output);
      assert.equal(unquote(output), input);
    });
  }

  // After CPython's test_unquote, plus the edge cases of _unquote.
  const unquoted: Array<[string, string]> = [
    [String.raw`"b=\""`, 'b="'],
    [String.raw`"b=\\"`, "b=\\"],
    [String.raw`"b=\="`, "b=="],
    [String.raw`"b=\n"`, "b=n"],
    [String.raw`"b=\042"`, 'b="'],
    [String.raw`"b=\134"`, "b=\\"],
    [String.raw`"b=\377"`, "b=\xff"],
    [String.raw`"b=\400"`, "b=400"],
    [String.raw`"b=\42"`, "b=42"],
    [String.raw`"b=\\042"`, "b=\\042"],
    [String.raw`"b=\\134"`, "b=\\134"],
    [String.raw`"b=\\\""`, 'b=\\"'],
    [String.raw`"b=\\\042"`, 'b=\\"'],
    [String.raw`"b=\134\""`, 'b=\\"'],
    [String.raw`"b=\134\042"`, 'b=\\"'],
    [String.raw`"\0123"`, "\n3"],
    [String.raw`"\8"`, "8"],
    ['"a\\\n"', "a\\\n"],
    ['"a\\"', "a\\"],
    ["x", "x"],
    ['"', '"'],
    ['""', ""],
    ['"abc', '"abc'],
    ['abc"', 'abc"'],
  ];
  for (const [input, output] of unquoted) {
    test(`unquote() turns ${input} into ${JSON.stringify(output)}`, () => {
      assert.equal(unquote(input), output);
    });
  }

  test("unquote() inverts quote() for any string", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 30 }), (s) => {
        assert.equal(unquote(quote(s)), s);
      }),
      { seed: 11, numRuns: 2000 },
    );
  });

  test("unquote() handles a million escapes in linear time", () => {
    for (const sequence of ["\\\\", "\\134"]) {
      const value = unquote(`"b=${sequence.repeat(1_000_000)};"`);
      assert.equal(value.length, 1_000_003);
      assert.equal(value.slice(0, 3), "b=\\");
      assert.equal(value.slice(-2), "\\;");
    }
  });
});

// ---------------------------------------------------------------------------

describe("tokenizeCookie()", () => {
  const table: Array<[string, Array<[string, string | null, number]>]> = [
    [
      'a=b; $Path="/"; secure',
      [
        ["a", "b", 4],
        ["$Path", '"/"', 15],
        ["secure", null, 22],
      ],
    ],
    ["keebler=E=mc2", [["keebler", "E=mc2", 13]]],
    ["a==b", [["a", "=b", 4]]],
    ["=a", [["=a", null, 2]]],
    ['a= "x', [["a", "", 3]]],
    ['a="x"y', []],
    ['a="\\\n"', []],
    ["a/b=c", [["a/b", "c", 5]]],
    [
      "a=Wed, 09 Jun 2021 10:18:14 GMTx",
      [
        ["a", "Wed,", 7],
        ["09", null, 10],
        ["Jun", null, 14],
        ["2021", null, 19],
        ["10:18:14", null, 28],
        ["GMTx", null, 32],
      ],
    ],
    [
      "a=Wed, 09 Jun 2021 10:18:14 GMT x",
      [
        ["a", "Wed, 09 Jun 2021 10:18:14 GMT", 32],
        ["x", null, 33],
      ],
    ],
    ["a=Wed, 1 Jun 2021  10:18:14 GMT", [["a", "Wed, 1 Jun 2021  10:18:14 GMT", 31]]],
    [
      "a=Wed, 01 Jan 20 x 10:00:00 GMT 10:00:00 GMT",
      [
        ["a", "Wed, 01 Jan 20 x 10:00:00 GMT", 32],
        ["10:00:00", null, 41],
        ["GMT", null, 44],
      ],
    ],
    ["[foo=x", []],
    [
      "  a  =  b  ;  c",
      [
        ["a", "b", 12],
        ["c", null, 15],
      ],
    ],
    [
      'a="b\\"c"; d=e',
      [
        ["a", '"b\\"c"', 9],
        ["d", "e", 13],
      ],
    ],
    ["a=b\n", [["a", "b", 4]]],
    [
      "a b c",
      [
        ["a", null, 2],
        ["b", null, 4],
        ["c", null, 5],
      ],
    ],
    ["a=b;;c=d", [["a", "b", 4]]],
    ["x\x00=1", []],
    [
      "a=b, c=d",
      [
        ["a", "b,", 5],
        ["c", "d", 8],
      ],
    ],
    ["a=\tb", [["a", "b", 4]]],
    ["a=é", []],
    ["", []],
  ];
  for (const [input, tokens] of table) {
    test(`tokenizeCookie() splits ${JSON.stringify(input)} as _CookiePattern does`, () => {
      assert.deepEqual(
        tokenizeCookie(input).map((t) => [t.key, t.value, t.end]),
        tokens,
      );
    });
  }

  // Python's regex backtracks quadratically on these; the scanner must stay linear.
  const adversarial = fc.oneof(
    fc.constantFrom("=", "a=", "a", "$", " ", "a= ", '="', "a=Wed, ", '\\"', 'a="\\'),
    fc
      .array(fc.constantFrom("a", "=", '"', "\\", " ", ";", ",", "[", "Wed, ", "GMT"), {
        minLength: 1,
        maxLength: 6,
      })
      .map((p) => p.join("")),
  );
  test("tokenizeCookie() takes at most 2 steps a character on long adversarial input", () => {
    fc.assert(
      fc.property(
        adversarial,
        fc.integer({ min: 1000, max: 60_000 }),
        fc.constantFrom("", '"', "[", "\x00", "=x"),
        (unit, length, end) => {
          const text = unit.repeat(Math.ceil(length / unit.length)).slice(0, length) + end;
          const counter: ScanCounter = { steps: 0 };
          tokenizeCookie(text, counter);
          assert.ok(
            counter.steps <= 2 * text.length + 1,
            `${counter.steps} steps for ${text.length} characters`,
          );
        },
      ),
      { seed: 7, numRuns: 200 },
    );
  });

  test("tokenizeCookie() scans '=' * 60000 + '\"' in linear steps", () => {
    const text = `${"=".repeat(60_000)}"`;
    const counter: ScanCounter = { steps: 0 };
    assert.deepEqual(tokenizeCookie(text, counter), []);
    assert.ok(counter.steps <= 2 * text.length + 1);
  });
});

// ---------------------------------------------------------------------------

describe("BaseCookie.load()", () => {
  // After CPython's test_basic: data, repr, output(sep="\n"), values.
  const basic: Array<[string, string, string, Record<string, string>]> = [
    [
      "chips=ahoy; vienna=finger",
      "<SimpleCookie: chips='ahoy' vienna='finger'>",
      "Set-Cookie: chips=ahoy\nSet-Cookie: vienna=finger",
      { chips: "ahoy", vienna: "finger" },
    ],
    [
      'keebler="E=mc2; L=\\"Loves\\"; fudge=;"',
      `<SimpleCookie: keebler='E=mc2; L="Loves"; fudge=;'>`,
      'Set-Cookie: keebler="E=mc2; L=\\"Loves\\"; fudge=;"',
      { keebler: 'E=mc2; L="Loves"; fudge=;' },
    ],
    ["keebler=E=mc2", "<SimpleCookie: keebler='E=mc2'>", "Set-Cookie: keebler=E=mc2", { keebler: "E=mc2" }],
    [
      "key:term=value:term",
      "<SimpleCookie: key:term='value:term'>",
      "Set-Cookie: key:term=value:term",
      { "key:term": "value:term" },
    ],
    [
      "a=b; c=[; d=r; f=h",
      "<SimpleCookie: a='b' c='[' d='r' f='h'>",
      "Set-Cookie: a=b\nSet-Cookie: c=[\nSet-Cookie: d=r\nSet-Cookie: f=h",
      { a: "b", c: "[", d: "r", f: "h" },
    ],
    ["a=b c=d", "<SimpleCookie: a='b' c='d'>", "Set-Cookie: a=b\nSet-Cookie: c=d", { a: "b", c: "d" }],
    [
      "a=1; A=2; a=3; Max-Age=9",
      "<SimpleCookie: A='2' a='3'>",
      "Set-Cookie: A=2\nSet-Cookie: a=3; Max-Age=9",
      { a: "3", A: "2" },
    ],
    [
      'a=b; $Path="/x"; $Domain',
      "<SimpleCookie: a='b'>",
      'Set-Cookie: a=b; Domain=None; Path="/x"',
      { a: "b" },
    ],
    ['a=b; path="/a\\073b"', "<SimpleCookie: a='b'>", "Set-Cookie: a=b; Path=/a;b", { a: "b" }],
    ["$Version=1; a=b; $Path=/", "<SimpleCookie: a='b'>", "Set-Cookie: a=b; Path=/", { a: "b" }],
    ["a=b; secure=0; HttpOnly", "<SimpleCookie: a='b'>", "Set-Cookie: a=b; HttpOnly; Secure", { a: "b" }],
    [
      "eggs  =  scrambled  ;  secure  ;  path  =  bar   ; foo=foo   ",
      "<SimpleCookie: eggs='scrambled' foo='foo'>",
      "Set-Cookie: eggs=scrambled; Path=bar; Secure\nSet-Cookie: foo=foo",
      { eggs: "scrambled", foo: "foo" },
    ],
  ];
  for (const [data, repr, output, values] of basic) {
    test(`SimpleCookie.load() reads ${JSON.stringify(data)}`, () => {
      const c = new SimpleCookie();
      c.load(data);
      assert.equal(c.repr(), repr);
      assert.equal(c.output(undefined, undefined, "\n"), output);
      assert.equal(c.output({ sep: "\n" }), output);
      for (const [k, v] of Object.entries(values)) assert.equal(c.get(k)?.value, v);
      assert.equal(c.size, Object.keys(values).length);
    });
  }

  // CPython's test_invalid_cookies: accepting these could be a security issue.
  const invalid = [
    "]foo=x",
    "[foo=x",
    "blah]foo=x",
    "blah[foo=x",
    "Set-Cookie: foo=bar",
    "Set-Cookie: foo",
    "foo=bar; baz",
    "baz; foo=bar",
    "secure;foo=bar",
    "Version=1;foo=bar",
    "a=b; Path",
    "a=b;c",
    "",
  ];
  for (const data of invalid) {
    test(`BaseCookie.load() ignores the invalid string ${JSON.stringify(data)}`, () => {
      const c = new SimpleCookie();
      c.load(data);
      assert.equal(c.size, 0);
      assert.equal(c.output(), "");
    });
  }

  const raising: Array<[string, string, string]> = [
    ["a=b; c,d=e", "Illegal key 'c,d'", "<SimpleCookie: a='b'>"],
    ["a=1; b/c=2; d=3", "Illegal key 'b/c'", "<SimpleCookie: a='1'>"],
    ["a=b; $Port=80", "Invalid attribute 'port'", "<SimpleCookie: a='b'>"],
    ["a=b; $=1", "Invalid attribute ''", "<SimpleCookie: a='b'>"],
  ];
  for (const [data, message, after] of raising) {
    test(`BaseCookie.load() throws ${message} for ${JSON.stringify(data)}, keeping the cookies before`, () => {
      const c = new SimpleCookie();
      assert.equal(
        cookieErrorOf(() => c.load(data)),
        message,
      );
      assert.equal(c.repr(), after);
    });
  }

  test("BaseCookie.load() keeps attributes as Python does (CPython test_load, test_quoted_meta)", () => {
    for (const data of [
      'Customer="WILE_E_COYOTE"; Version=1; Path=/acme',
      'Customer="WILE_E_COYOTE"; Version="1"; Path="/acme"',
    ]) {
      const c = new SimpleCookie();
      c.load(data);
      const m = c.get("Customer")!;
      assert.equal(m.value, "WILE_E_COYOTE");
      assert.equal(m.get("version"), "1");
      assert.equal(m.get("path"), "/acme");
      assert.equal(c.output(["path"]), 'Set-Cookie: Customer="WILE_E_COYOTE"; Path=/acme');
      assert.equal(
        c.jsOutput(),
        `
        <script type="text/javascript">
        <!-- begin hiding
        document.cookie = "Customer=\\"WILE_E_COYOTE\\"; Path=/acme; Version=1";
        // end hiding -->
        </script>
        `,
      );
      assert.equal(c.jsOutput(["path"]).includes('"Customer=\\"WILE_E_COYOTE\\"; Path=/acme"'), true);
    }
  });

  test("BaseCookie.load() keeps expires dates with their comma (CPython test_special_attrs)", () => {
    for (const date of [
      "Wed, 01 Jan 2010 00:00:00 GMT",
      "Wed, 01 Jan 98 00:00:00 GMT",
      "Sun, 06-Nov-94 08:49:37 GMT",
    ]) {
      const c = new SimpleCookie();
      c.load(`Customer="W"; expires=${date}`);
      assert.equal(c.get("Customer")!.get("expires"), date);
    }
  });

  test("BaseCookie.load() ignores a string with an RFC 850 date, as Python 3.11 does", () => {
    // `\w{3},` wants a three-letter day: "Saturday, 01-Jan-83" splits into pieces,
    // and "01-Jan-83" is a name without a value. (Python 3.14 accepts these dates.)
    for (const date of ["Saturday, 01-Jan-83 00:00:00 GMT", "Sunday, 06-Nov-94 08:49:37 GMT"]) {
      assert.equal(new SimpleCookie(`Customer="W"; expires=${date}`).size, 0);
    }
  });

  test("BaseCookie.load() reads flags with and without values (CPython issue 16611)", () => {
    const c = new SimpleCookie();
    c.load("eggs=scrambled; Path=/bacon");
    assert.equal(c.get("eggs")!.httponly, "");
    assert.equal(c.get("eggs")!.secure, "");
    c.load("eggs=scrambled; httponly; secure; Path=/bacon");
    assert.equal(c.get("eggs")!.httponly, true);
    assert.equal(c.get("eggs")!.secure, true);
    c.load("eggs=scrambled; httponly=foo; secure=bar; Path=/bacon");
    assert.equal(c.get("eggs")!.get("httponly"), "foo");
    assert.equal(c.get("eggs")!.get("secure"), "bar");
  });

  test("BaseCookie.load() reads SameSite in any case", () => {
    for (const v of ["Strict", "Lax", "strict", "lax"]) {
      const c = new SimpleCookie(`Customer="WILL_E_COYOTE"; SameSite=${v}`);
      assert.equal(c.get("Customer")!.samesite, v);
      assert.equal(c.output(), `Set-Cookie: Customer="WILL_E_COYOTE"; SameSite=${v}`);
    }
  });

  test("BaseCookie.load() keeps values raw where SimpleCookie unquotes them", () => {
    const raw = 'a="\\"x\\""';
    assert.equal(new SimpleCookie(raw).get("a")!.value, '"x"');
    assert.equal(new BaseCookie(raw).get("a")!.value, '"\\"x\\""');
    assert.equal(new BaseCookie(raw).repr(), `<BaseCookie: a='"\\\\"x\\\\""'>`);
    assert.equal(new SimpleCookie(raw).output(), new BaseCookie(raw).output());
  });

  test("BaseCookie.load() keeps a morsel's attributes when its cookie comes again", () => {
    const c = new SimpleCookie("a=1; Path=/x");
    c.load("a=2");
    assert.equal(c.get("a")!.value, "2");
    assert.equal(c.get("a")!.path, "/x");
  });

  test("BaseCookie.load() takes a mapping, calling set() for each entry", () => {
    const m = morsel("other", "o", "o");
    const c = new SimpleCookie();
    c.load({ a: "x y", n: 7 });
    c.load(
      new Map<string, string | Morsel>([
        ["b", "1"],
        ["m", m],
      ]),
    );
    assert.equal(
      c.output(),
      'Set-Cookie: a="x y"\r\nSet-Cookie: b=1\r\nSet-Cookie: other=o\r\nSet-Cookie: n=7',
    );
    assert.equal(c.get("m"), m);
    assert.equal(
      cookieErrorOf(() => c.load({ "a b": "1" })),
      "Illegal key 'a b'",
    );
  });

  test(`BaseCookie.load() refuses strings over MAX_COOKIE_STRING (${MAX_COOKIE_STRING}) characters`, () => {
    const ok = `a=${"x".repeat(MAX_COOKIE_STRING - 2)}`;
    assert.equal(new SimpleCookie(ok).get("a")!.value!.length, MAX_COOKIE_STRING - 2);
    assert.equal(
      cookieErrorOf(() => new SimpleCookie(`${ok}x`)),
      `Cannot load cookie string of ${MAX_COOKIE_STRING + 1} characters: longer than the limit of ${MAX_COOKIE_STRING}`,
    );
    class Small extends SimpleCookie {
      static override maxStringLength = 10;
    }
    assert.equal(new Small("a=12345678").get("a")!.value, "12345678");
    assert.throws(() => new Small("a=123456789"), CookieError);
    assert.equal(new Small({ a: "x".repeat(100) }).get("a")!.value!.length, 100);
  });
});

// ---------------------------------------------------------------------------

describe("BaseCookie as a Map", () => {
  test("BaseCookie keeps insertion order but output() sorts by name", () => {
    const c = new SimpleCookie();
    c.set("b", 1);
    c.set("a", "x y");
    c.set("B", 1.5);
    assert.deepEqual([...c.keys()], ["b", "a", "B"]);
    assert.deepEqual(
      [...c].map(([k, m]) => [k, m.value]),
      [
        ["b", "1"],
        ["a", "x y"],
        ["B", "1.5"],
      ],
    );
    assert.deepEqual(
      [...c.entries()].map(([k]) => k),
      ["b", "a", "B"],
    );
    assert.deepEqual(
      [...c.values()].map((m) => m.key),
      ["b", "a", "B"],
    );
    assert.equal(c.repr(), "<SimpleCookie: B='1.5' a='x y' b='1'>");
    assert.equal(c.output(), 'Set-Cookie: B=1.5\r\nSet-Cookie: a="x y"\r\nSet-Cookie: b=1');
  });

  test("BaseCookie.output() sorts names by code point, as Python does", () => {
    const c = new BaseCookie();
    c.set("\u{1F600}", morsel("emoji", "1", "1"));
    c.set("\uffff", morsel("bmp", "2", "2"));
    assert.equal(c.output([], "X:", " | "), "X: bmp=2 | X: emoji=1");
  });

  test("BaseCookie has(), delete(), clear() and size work as on a Map", () => {
    const c = new BaseCookie("a=1; b=2");
    assert.equal(c.size, 2);
    assert.equal(c.has("a"), true);
    assert.equal(c.delete("a"), true);
    assert.equal(c.delete("a"), false);
    assert.equal(c.has("a"), false);
    assert.equal(c.get("a"), undefined);
    c.clear();
    assert.equal(c.size, 0);
    assert.equal(c.toString(), "");
  });

  test("BaseCookie.set() stores a Morsel as it is and keeps a morsel's attributes on a new value", () => {
    const c = new SimpleCookie();
    const m = morsel("real", "v", "v");
    assert.equal(c.set("alias", m), c);
    assert.equal(c.get("alias"), m);
    assert.equal(c.output(), "Set-Cookie: real=v");
    c.set("a", "1");
    const first = c.get("a")!;
    first.path = "/p";
    c.set("a", "2");
    assert.equal(c.get("a"), first);
    assert.equal(c.output(), "Set-Cookie: a=2; Path=/p\r\nSet-Cookie: real=v");
  });

  const encoded: Array<[string | number | boolean | null, string, string]> = [
    ["seven", "seven", "seven"],
    ["x y", "x y", '"x y"'],
    [7, "7", "7"],
    [1.5, "1.5", "1.5"],
    [1e-7, "1e-07", "1e-07"],
    [0.1, "0.1", "0.1"],
    [1e22, "10000000000000000000000", "10000000000000000000000"],
    [true, "True", "True"],
    [null, "None", "None"],
    ["", "", '""'],
  ];
  for (const [value, real, coded] of encoded) {
    test(`SimpleCookie.set() stores ${JSON.stringify(value)} as ${real} / ${coded}`, () => {
      const c = new SimpleCookie();
      c.set("a", value);
      assert.equal(c.get("a")!.value, real);
      assert.equal(c.get("a")!.codedValue, coded);
      const b = new BaseCookie();
      b.set("a", value);
      assert.equal(b.get("a")!.codedValue, real);
    });
  }

  const badNames: Array<[string, string]> = [
    ["path", "Attempt to set a reserved key 'path'"],
    ["Max-Age", "Attempt to set a reserved key 'Max-Age'"],
    ["a b", "Illegal key 'a b'"],
    ["", "Illegal key ''"],
    ["é", "Illegal key 'é'"],
    ["a\n", "Illegal key 'a\\n'"],
    ["a=b", "Illegal key 'a=b'"],
  ];
  for (const [name, message] of badNames) {
    test(`BaseCookie.set() refuses the name ${JSON.stringify(name)}`, () => {
      const c = new SimpleCookie();
      assert.equal(
        cookieErrorOf(() => c.set(name, "v")),
        message,
      );
      assert.equal(c.size, 0);
    });
  }

  test("BaseCookie subclasses override valueEncode() and valueDecode()", () => {
    class HexCookie extends BaseCookie {
      override valueEncode(val: string | number | boolean | null): [string, string] {
        const s = String(val);
        return [s, Buffer.from(s).toString("hex")];
      }
      override valueDecode(val: string): [string, string] {
        return [Buffer.from(val, "hex").toString(), val];
      }
    }
    const c = new HexCookie();
    c.set("a", "hi there");
    assert.equal(c.output(), "Set-Cookie: a=6869207468657265");
    const d = new HexCookie("a=6869207468657265; Path=/");
    assert.equal(d.get("a")!.value, "hi there");
    assert.equal(d.output(), "Set-Cookie: a=6869207468657265; Path=/");
  });

  test("BaseCookie constructor loads a non-empty input only", () => {
    assert.equal(new BaseCookie().size, 0);
    assert.equal(new BaseCookie("").size, 0);
    assert.equal(new BaseCookie(null).size, 0);
    assert.equal(new BaseCookie({}).size, 0);
    assert.equal(new BaseCookie({ a: "1" }).size, 1);
    assert.equal(new BaseCookie([["a", "1"]]).size, 1);
  });

  test("BaseCookie.jsOutput() concatenates each morsel's script in name order", () => {
    const c = new SimpleCookie("b=2; a=1");
    assert.equal(c.jsOutput(), c.get("a")!.jsOutput() + c.get("b")!.jsOutput());
  });
});

// ---------------------------------------------------------------------------

describe("Morsel", () => {
  const ATTRS = [
    "expires",
    "path",
    "comment",
    "domain",
    "max-age",
    "secure",
    "httponly",
    "version",
    "samesite",
  ];

  test("Morsel() starts with no key and every attribute empty", () => {
    const m = new Morsel();
    assert.equal(m.key, null);
    assert.equal(m.value, null);
    assert.equal(m.codedValue, null);
    assert.deepEqual([...m.keys()], ATTRS);
    assert.deepEqual([...m.values()], Array(9).fill(""));
    assert.equal(m.size, 9);
    assert.deepEqual(Object.keys(Morsel.reserved), ATTRS);
    assert.equal(m.repr(), "<Morsel: None=None>");
    assert.equal(String(m), "Set-Cookie: None=None");
  });

  test("Morsel.setAttribute() and get() take any case and refuse unknown names (CPython test_reserved_keys)", () => {
    const m = new Morsel();
    for (const a of ATTRS) {
      assert.equal(m.isReservedKey(a), true);
      assert.equal(m.isReservedKey(a.toUpperCase()), true);
      m.setAttribute(a.toUpperCase(), `${a}_value`);
    }
    for (const a of ATTRS) assert.equal(m.get(a), `${a}_value`);
    assert.equal(m.get("Max-Age"), "max-age_value");
    for (const word of ["the", "holy", "hand", "grenade"]) {
      assert.equal(m.isReservedKey(word), false);
      assert.equal(
        cookieErrorOf(() => m.setAttribute(word, "x")),
        `Invalid attribute '${word}'`,
      );
      assert.equal(
        cookieErrorOf(() => m.get(word)),
        `Invalid attribute '${word}'`,
      );
    }
    assert.equal(
      cookieErrorOf(() => m.setAttribute("Port", "x")),
      "Invalid attribute 'port'",
    );
  });

  test("Morsel properties read and write the attributes", () => {
    const m = new Morsel();
    m.expires = 10;
    m.path = "/";
    m.comment = "c";
    m.domain = "d";
    m.maxAge = 5;
    m.secure = true;
    m.httponly = false;
    m.version = 1;
    m.samesite = "Lax";
    assert.deepEqual(
      [...m],
      [
        ["expires", 10],
        ["path", "/"],
        ["comment", "c"],
        ["domain", "d"],
        ["max-age", 5],
        ["secure", true],
        ["httponly", false],
        ["version", 1],
        ["samesite", "Lax"],
      ],
    );
    assert.deepEqual(
      [m.expires, m.path, m.comment, m.domain, m.maxAge, m.secure, m.httponly, m.version, m.samesite],
      [10, "/", "c", "d", 5, true, false, 1, "Lax"],
    );
  });

  test("Morsel.set() refuses reserved and illegal names (CPython test_setter)", () => {
    const m = new Morsel();
    for (const a of ATTRS) {
      assert.equal(
        cookieErrorOf(() => m.set(a, "v", "v")),
        `Attempt to set a reserved key '${a}'`,
      );
    }
    for (const name of ["thou", "cast", "_the-", "!holy!", "^hand|", "+*grenade~"]) {
      m.path = "/foo";
      m.set(name, `${name}_val`, `${name}_coded_val`);
      assert.equal(m.key, name);
      assert.equal(m.value, `${name}_val`);
      assert.equal(m.codedValue, `${name}_coded_val`);
      assert.equal(m.output(), `Set-Cookie: ${name}=${name}_coded_val; Path=/foo`);
      assert.equal(
        m.jsOutput(),
        `
        <script type="text/javascript">
        <!-- begin hiding
        document.cookie = "${name}=${name}_coded_val; Path=/foo";
        // end hiding -->
        </script>
        `,
      );
    }
    for (const name of ["foo bar", "foo@bar"]) {
      assert.equal(
        cookieErrorOf(() => m.set(name, "v", "v")),
        `Illegal key '${name}'`,
      );
    }
  });

  test("Morsel.setdefault() returns the current value and checks the name (CPython test_setdefault)", () => {
    const m = new Morsel();
    m.update({ domain: "example.com", version: 2 });
    assert.equal(m.setdefault("expires", "value"), "");
    assert.equal(m.get("expires"), "");
    assert.equal(m.setdefault("Version", 1), 2);
    assert.equal(m.setdefault("DOMAIN", "value"), "example.com");
    assert.equal(
      cookieErrorOf(() => m.setdefault("invalid", "value")),
      "Invalid attribute 'invalid'",
    );
  });

  test("Morsel.update() takes objects, pairs and Maps, and changes nothing on error (CPython test_update)", () => {
    const attribs = { expires: 1, Version: 2, DOMAIN: "example.com" };
    for (const input of [attribs, Object.entries(attribs), new Map(Object.entries(attribs))]) {
      const m = new Morsel();
      m.update(input);
      assert.equal(m.get("expires"), 1);
      assert.equal(m.get("version"), 2);
      assert.equal(m.get("domain"), "example.com");
    }
    const m = new Morsel();
    assert.equal(
      cookieErrorOf(() => m.update({ path: "/", invalid: "value" })),
      "Invalid attribute 'invalid'",
    );
    assert.equal(m.path, "");
  });

  test("Morsel.equals() compares key, values and attributes as Python does (CPython test_eq)", () => {
    const attribs = { path: "/", comment: "foo", domain: "example.com", version: 2 };
    const make = (k: string, v: string, c: string) => {
      const m = new Morsel();
      m.update(attribs);
      m.set(k, v, c);
      return m;
    };
    const a = make("key", "value", '"value"');
    assert.equal(a.equals(make("key", "value", '"value"')), true);
    assert.equal(a.equals(make("key", "value", "mismatch")), false);
    assert.equal(a.equals(make("key", "mismatch", '"value"')), false);
    assert.equal(a.equals(make("mismatch", "value", '"value"')), false);
    const b = make("key", "value", '"value"');
    b.comment = "bar";
    assert.equal(a.equals(b), false);
    assert.equal(new Morsel().equals(1), false);
    assert.equal(new Morsel().equals(""), false);
    assert.equal(new Morsel().equals([...new Morsel()]), false);
    const t = new Morsel();
    const one = new Morsel();
    t.secure = true;
    one.secure = 1;
    assert.equal(t.equals(one), true);
    one.secure = "1";
    assert.equal(t.equals(one), false);
  });

  test("Morsel.copy() makes an equal, independent Morsel (CPython test_copy)", () => {
    const a = morsel("foo", "bar", "baz");
    a.update({ version: 2, comment: "foo" });
    const b = a.copy();
    assert.ok(b instanceof Morsel);
    assert.notEqual(b, a);
    assert.equal(b.equals(a), true);
    b.path = "/x";
    assert.equal(a.path, "");
    assert.equal(b.equals(a), false);
  });

  test("Morsel.repr() and toString() as in CPython test_repr", () => {
    const m = morsel("key", "val", "coded_val");
    assert.equal(m.repr(), "<Morsel: key=coded_val>");
    assert.equal(String(m), "Set-Cookie: key=coded_val");
    m.update({ path: "/", comment: "foo", domain: "example.com", "max-age": 0, secure: 0, version: 1 });
    assert.equal(
      m.repr(),
      "<Morsel: key=coded_val; Comment=foo; Domain=example.com; Max-Age=0; Path=/; Version=1>",
    );
    m.secure = true;
    m.httponly = 1;
    assert.equal(
      String(m),
      "Set-Cookie: key=coded_val; Comment=foo; Domain=example.com; HttpOnly; Max-Age=0; Path=/; Secure; Version=1",
    );
  });

  describe("with the clock at 1700000000.5", () => {
    fixedClock(1_700_000_000.5);
    const rendered: Array<[string, MorselAttributeValue, string]> = [
      ["expires", 3600, "k=cv; expires=Tue, 14 Nov 2023 23:13:20 GMT"],
      ["expires", 0, "k=cv; expires=Tue, 14 Nov 2023 22:13:20 GMT"],
      ["expires", true, "k=cv; expires=Tue, 14 Nov 2023 22:13:21 GMT"],
      ["expires", 1.5, "k=cv; expires=1.5"],
      ["expires", "Wed, 01 Jan 2010 00:00:00 GMT", "k=cv; expires=Wed, 01 Jan 2010 00:00:00 GMT"],
      ["max-age", 10, "k=cv; Max-Age=10"],
      ["max-age", 1.5, "k=cv; Max-Age=1.5"],
      ["max-age", true, "k=cv; Max-Age=1"],
      ["max-age", "10", "k=cv; Max-Age=10"],
      ["comment", "a b", 'k=cv; Comment="a b"'],
      ["comment", 5, "k=cv; Comment=5"],
      ["secure", 0, "k=cv"],
      ["secure", "0", "k=cv; Secure"],
      ["secure", Number.NaN, "k=cv; Secure"],
      ["secure", null, "k=cv"],
      ["httponly", false, "k=cv"],
      ["path", null, "k=cv; Path=None"],
      ["path", 5, "k=cv; Path=5"],
      ["version", false, "k=cv; Version=False"],
      ["samesite", "Lax", "k=cv; SameSite=Lax"],
      ["domain", 1e-7, "k=cv; Domain=1e-07"],
      ["domain", 1.5e-5, "k=cv; Domain=1.5e-05"],
      ["domain", 1e16, "k=cv; Domain=10000000000000000"],
      ["domain", "", "k=cv"],
    ];
    for (const [attr, value, text] of rendered) {
      test(`Morsel.outputString() writes ${attr}=${JSON.stringify(value)} as ${JSON.stringify(text)}`, () => {
        const m = morsel();
        m.setAttribute(attr, value);
        assert.equal(m.outputString(), text);
        assert.equal(m.OutputString(), text);
      });
    }
  });

  const filters: Array<[Iterable<string> | string | null | undefined, string]> = [
    [undefined, "k=cv; Domain=x.org; HttpOnly; Max-Age=0; Path=/; Secure"],
    [null, "k=cv; Domain=x.org; HttpOnly; Max-Age=0; Path=/; Secure"],
    [[], "k=cv"],
    [["path"], "k=cv; Path=/"],
    [new Set(["secure", "httponly"]), "k=cv; HttpOnly; Secure"],
    ["path max-age", "k=cv; Max-Age=0; Path=/"],
    ["Path", "k=cv"],
    ["", "k=cv"],
  ];
  for (const [attrs, text] of filters) {
    test(`Morsel.outputString() keeps the attributes ${JSON.stringify(attrs instanceof Set ? [...attrs] : attrs)}`, () => {
      const m = morsel();
      m.update({ path: "/", "max-age": 0, secure: true, httponly: 1, domain: "x.org" });
      assert.equal(m.outputString(attrs), text);
      assert.equal(m.output(attrs, "Cookie:"), `Cookie: ${text}`);
      assert.equal(m.output({ attrs, header: "H:" }), `H: ${text}`);
    });
  }

  test("Morsel.jsOutput() escapes double quotes", () => {
    const m = morsel("a", 'x"y', '"x\\"y"');
    m.comment = "c d";
    assert.equal(
      m.jsOutput(),
      `
        <script type="text/javascript">
        <!-- begin hiding
        document.cookie = "a=\\"x\\\\"y\\"; Comment=\\"c d\\"";
        // end hiding -->
        </script>
        `,
    );
  });

  test("Morsel.outputString() refuses control characters Python would write into the header", () => {
    const m = morsel();
    m.path = "/\r\nSet-Cookie: evil=1";
    assert.match(
      cookieErrorOf(() => m.outputString()),
      /^Cannot output cookie 'k': control character '\\r'/,
    );
    assert.throws(() => m.output(), CookieError);
    assert.throws(() => m.jsOutput(), CookieError);
    assert.equal(m.repr(), "<Morsel: k=cv; Path=/\r\nSet-Cookie: evil=1>");
    m.path = "/a\tb"; // tab is allowed, as in RFC 6265bis
    assert.equal(m.outputString(), "k=cv; Path=/a\tb");
    m.path = "/\x7f";
    assert.throws(() => m.outputString(), CookieError);
    assert.equal(m.outputString([]), "k=cv");

    const raw = new BaseCookie();
    raw.set("a", "x\ny");
    assert.throws(() => raw.output(), CookieError);
    const quoted = new SimpleCookie();
    quoted.set("a", "x\ny");
    assert.equal(quoted.output(), 'Set-Cookie: a="x\\012y"');
    const loaded = new SimpleCookie('a=b; Path="\\015\\012X-Evil: 1"');
    assert.equal(loaded.get("a")!.path, "\r\nX-Evil: 1");
    assert.throws(() => loaded.output(), CookieError);
  });
});

// ---------------------------------------------------------------------------

describe("getdate()", () => {
  const dates: Array<[number, number, string]> = [
    [0, 0, "Thu, 01 Jan 1970 00:00:00 GMT"],
    [3600, 0, "Thu, 01 Jan 1970 01:00:00 GMT"],
    [-1, 0, "Wed, 31 Dec 1969 23:59:59 GMT"],
    [0.9, 0, "Thu, 01 Jan 1970 00:00:00 GMT"],
    [-0.5, 0, "Wed, 31 Dec 1969 23:59:59 GMT"],
    [31_536_000, 0, "Fri, 01 Jan 1971 00:00:00 GMT"],
    [951_782_400, 0, "Tue, 29 Feb 2000 00:00:00 GMT"],
    [-62_135_596_801, 0, "Sun, 31 Dec    0 23:59:59 GMT"],
    [1e15, 0, "Sun, 05 Jul 31690708 01:46:40 GMT"],
    [6.7e16, 0, "Sat, 15 Dec 2123147449 23:06:40 GMT"],
    [3600, 1_700_000_000.5, "Tue, 14 Nov 2023 23:13:20 GMT"],
  ];
  for (const [future, now, text] of dates) {
    test(`getdate(${future}, ${now}) is ${JSON.stringify(text)}`, () => {
      assert.equal(getdate(future, now), text);
    });
  }

  test("getdate() throws Python's errors beyond gmtime's range", () => {
    assert.throws(
      () => getdate(6.8e16, 0),
      (e: unknown) => e instanceof OSError && e.errno === 75,
    );
    assert.throws(() => getdate(2 ** 63, 0), OverflowError);
    assert.throws(() => getdate(Number.POSITIVE_INFINITY, 0), OverflowError);
  });

  test("getdate() counts from Morsel.clock by default", () => {
    const real = Morsel.clock;
    try {
      Morsel.clock = () => 86_400;
      assert.equal(getdate(), "Fri, 02 Jan 1970 00:00:00 GMT");
    } finally {
      Morsel.clock = real;
    }
  });
});

test("CookieError() is an Error with Python's name and a stable code", () => {
  const e = new CookieError("Illegal key 'x y'");
  assert.ok(e instanceof Error);
  assert.equal(e.name, "CookieError");
  assert.equal(e.code, "ERR_COOKIE");
  assert.equal(e.message, "Illegal key 'x y'");
});
