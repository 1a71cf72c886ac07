/**
 * Argument types of every public function of netkit/urllib/parse, called
 * from plain JavaScript with values of the wrong type: each throws a
 * TypeError naming the function, the argument and the value's Python type
 * (Python's own message where Python has one), never a Node-internal one
 * ("Cannot read properties of null", "x is not iterable").
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import * as P from "../../src/urllib/parse.js";

/** Wrong values, with the Python type name each message must give. */
const WRONG: Array<[string, unknown, string]> = [
  ["null", null, "NoneType"],
  ["undefined", undefined, "NoneType"],
  ["a number", 5, "int"],
  ["a float", 1.5, "float"],
  ["a bigint", 5n, "int"],
  ["a boolean", true, "bool"],
  ["an empty array", [], "list"],
  ["an array", [1], "list"],
  ["an empty object", {}, "dict"],
  ["an object", { a: 1 }, "dict"],
  ["a Map", new Map(), "dict"],
  ["a symbol", Symbol("s"), "symbol"],
  ["a function", () => 1, "function"],
  ["an ArrayBuffer", new ArrayBuffer(2), "ArrayBuffer"],
];

type Call = (value: unknown) => unknown;
const any = P as unknown as Record<string, (...args: unknown[]) => unknown>;

/** Each function and argument position, and the message a wrong value there gives (`{type}` is replaced). */
const CALLS: Array<[string, Call, string]> = [
  ["quote(string)", (v) => any.quote!(v), "quote_from_bytes() expected bytes"],
  ["quotePlus(string)", (v) => any.quotePlus!(v), "quote_from_bytes() expected bytes"],
  ["quoteFromBytes(bytes)", (v) => any.quoteFromBytes!(v), "quote_from_bytes() expected bytes"],
  [
    "quote(s, {safe})",
    (v) => any.quote!("a b", { safe: v }),
    "quote() argument 'safe' must be str or bytes, not {type}",
  ],
  [
    "quotePlus(s, {safe})",
    (v) => any.quotePlus!("a b", { safe: v }),
    "quote_plus() argument 'safe' must be str or bytes, not {type}",
  ],
  [
    "quoteFromBytes(b, {safe})",
    (v) => any.quoteFromBytes!(Buffer.from("a"), { safe: v }),
    "quote_from_bytes() argument 'safe' must be str or bytes, not {type}",
  ],
  [
    "quote(s, {encoding})",
    (v) => any.quote!("a", { encoding: v }),
    "encode() argument 'encoding' must be str, not {type}",
  ],
  [
    "quote(s, {errors})",
    (v) => any.quote!("a", { errors: v }),
    "encode() argument 'errors' must be str, not {type}",
  ],
  ["unquote(string)", (v) => any.unquote!(v), "unquote() argument 'string' must be str or bytes, not {type}"],
  [
    "unquote(s, {encoding})",
    (v) => any.unquote!("%41", { encoding: v }),
    "decode() argument 'encoding' must be str, not {type}",
  ],
  [
    "unquote(s, {errors})",
    (v) => any.unquote!("%41", { errors: v }),
    "decode() argument 'errors' must be str, not {type}",
  ],
  [
    "unquotePlus(string)",
    (v) => any.unquotePlus!(v),
    "unquote_plus() argument 'string' must be str, not {type}",
  ],
  [
    "unquoteToBytes(string)",
    (v) => any.unquoteToBytes!(v),
    "unquote_to_bytes() argument 'string' must be str or bytes, not {type}",
  ],
  [
    "urlencode(query, {safe})",
    (v) => any.urlencode!({ a: "b" }, { safe: v }),
    "urlencode() argument 'safe' must be str or bytes, not {type}",
  ],
  [
    "urlencode(query, {encoding})",
    (v) => any.urlencode!({ a: "b" }, { encoding: v }),
    "encode() argument 'encoding' must be str, not {type}",
  ],
  ["parseQs(qs)", (v) => any.parseQs!(v), "parse_qs() argument 'qs' must be str or bytes, not {type}"],
  ["parseQsl(qs)", (v) => any.parseQsl!(v), "parse_qsl() argument 'qs' must be str or bytes, not {type}"],
  [
    "parseQsl(qs, {encoding})",
    (v) => any.parseQsl!("a=1", { encoding: v }),
    "decode() argument 'encoding' must be str, not {type}",
  ],
  ["urlsplit(url)", (v) => any.urlsplit!(v), "urlsplit() argument 'url' must be str or bytes, not {type}"],
  [
    "urlsplit(url, {scheme})",
    (v) => any.urlsplit!("x", { scheme: v }),
    "urlsplit() argument 'scheme' must be str or bytes, not {type}",
  ],
  ["urlparse(url)", (v) => any.urlparse!(v), "urlparse() argument 'url' must be str or bytes, not {type}"],
  [
    "urlparse(url, {scheme})",
    (v) => any.urlparse!("x", { scheme: v }),
    "urlparse() argument 'scheme' must be str or bytes, not {type}",
  ],
  [
    "urljoin(base)",
    (v) => any.urljoin!(v, "x"),
    "urljoin() argument 'base' must be str or bytes, not {type}",
  ],
  [
    "urljoin(base, url)",
    (v) => any.urljoin!("http://a/", v),
    "urljoin() argument 'url' must be str or bytes, not {type}",
  ],
  ["urldefrag(url)", (v) => any.urldefrag!(v), "urldefrag() argument 'url' must be str or bytes, not {type}"],
  ["unwrap(url)", (v) => any.unwrap!(v), "unwrap() argument 'url' must be str, not {type}"],
  [
    "urlunsplit([..., item])",
    (v) => any.urlunsplit!(["http", "h", "/p", "", v]),
    "urlunsplit() components must be str or bytes, not {type}",
  ],
  [
    "urlunparse([..., item])",
    (v) => any.urlunparse!(["http", "h", "/p", "", "", v]),
    "urlunparse() components must be str or bytes, not {type}",
  ],
  [
    "SplitResult.encode({encoding})",
    (v) => P.urlsplit("http://h/").encode({ encoding: v as string }),
    "encode() argument 'encoding' must be str, not {type}",
  ],
  [
    "SplitResultBytes.decode({errors})",
    (v) => P.urlsplit(Buffer.from("http://h/")).decode({ errors: v as string }),
    "decode() argument 'errors' must be str, not {type}",
  ],
];

/** Node's own messages, which must never reach a caller of these functions. */
const NODE_INTERNAL =
  /Cannot read properties|is not iterable|is not a function|The first argument must be|Cannot convert/;

/** Values a position accepts (null/undefined components are Python's None; an absent option is its default). */
function accepted(call: string, value: unknown): boolean {
  if (call.startsWith("urlunsplit([") || call.startsWith("urlunparse(["))
    return value === null || value === undefined;
  return call.includes("{") && value === undefined;
}

describe("urllib.parse argument types", () => {
  for (const [call, fn, message] of CALLS) {
    test(`${call} throws a TypeError naming the argument for every wrong type`, () => {
      for (const [what, value, type] of WRONG) {
        if (accepted(call, value)) {
          assert.doesNotThrow(() => fn(value), `${call} with ${what}`);
          continue;
        }
        assert.throws(
          () => fn(value),
          (err: unknown) => {
            assert.ok(err instanceof TypeError, `${call} with ${what}: ${String(err)}`);
            assert.doesNotMatch(err.message, NODE_INTERNAL, `${call} with ${what}`);
            assert.equal(err.message, message.replace("{type}", type), `${call} with ${what}`);
            return true;
          },
        );
      }
    });
  }

  test("urlencode() keeps Python's message for a query that is no mapping or sequence of pairs", () => {
    for (const [what, value] of WRONG) {
      if (Array.isArray(value) && value.length === 0) continue; // an empty sequence of pairs is ""
      if (
        value instanceof Map ||
        (value !== null &&
          typeof value === "object" &&
          !Array.isArray(value) &&
          !(value instanceof ArrayBuffer))
      )
        continue;
      assert.throws(
        () => any.urlencode!(value),
        { name: "TypeError", message: "not a valid non-string sequence or mapping object" },
        what,
      );
    }
    assert.throws(() => any.urlencode!({ a: 1 }, { quoteVia: 5 }), {
      name: "TypeError",
      message: "urlencode() argument 'quote_via' must be callable, not int",
    });
  });

  test("urlunsplit() and urlunparse() name a components argument that is no iterable", () => {
    for (const [what, value, type] of WRONG) {
      if (Array.isArray(value) || value instanceof Map) continue;
      for (const fn of ["urlunsplit", "urlunparse"]) {
        assert.throws(
          () => any[fn]!(value),
          {
            name: "TypeError",
            message: `${fn}() argument 'components' must be an iterable of str or bytes, not ${type}`,
          },
          `${fn} with ${what}`,
        );
      }
    }
  });

  test("parseQsl() names a maxNumFields that is no number, and keeps Python's ValueError for a bad separator", () => {
    assert.throws(() => any.parseQsl!("a=1", { maxNumFields: "2" }), {
      name: "TypeError",
      message: "parse_qsl() argument 'max_num_fields' must be int or None, not str",
    });
    assert.deepEqual(P.parseQsl("a=1&b=2", { maxNumFields: 2n as unknown as number }), [
      ["a", "1"],
      ["b", "2"],
    ]);
    for (const separator of [null, 5, [], ""]) {
      assert.throws(() => any.parseQsl!("a=1", { separator }), {
        name: "ValueError",
        message: "Separator must be of type string or bytes.",
      });
    }
  });

  test("unquotePlus() keeps Python's message for bytes", () => {
    assert.throws(() => any.unquotePlus!(Buffer.from("a+b")), {
      name: "TypeError",
      message: "a bytes-like object is required, not 'str'",
    });
  });
});
