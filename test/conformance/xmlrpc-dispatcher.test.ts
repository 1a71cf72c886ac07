/**
 * Differential: netkit's `SimpleXMLRPCDispatcher._marshaledDispatch` against
 * python3's `SimpleXMLRPCDispatcher._marshaled_dispatch`. python3 writes
 * 2,000 request bodies (generated calls to the same functions registered on
 * both sides: echo of every type, arithmetic that overflows, exceptions,
 * Faults, None with and without allow_none, introspection, multicall,
 * instance methods, private and unknown names, and truncated bodies); both
 * dispatchers answer each, with three encodings, and the response bytes
 * must be equal.
 *
 * Not generated, because the JS mapping differs on purpose (documented in
 * `dumps`): whole-number doubles (JS has one number type) and struct keys
 * that look like array indices (JS objects put those first).
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { ValueError } from "../../src/errors/index.js";
import { Binary, DateTime, Fault } from "../../src/xmlrpc/client.js";
import { SimpleXMLRPCDispatcher } from "../../src/xmlrpc/server.js";
import { hasCommand, peerSkip } from "../_support/peers.js";
import { python } from "../_support/python.js";

const skip = peerSkip("python3", hasCommand("python3"));
const SEED = 20250613;

type Tagged = { t: string; [k: string]: unknown };

const i4 = fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 });
const text = fc.oneof(
  { weight: 5, arbitrary: fc.string({ unit: "binary", maxLength: 10 }) },
  { weight: 2, arbitrary: fc.constantFrom("", "<&>", "]]>", "\r\n", "é€😀", "method") },
);
const key = text.filter((k) => !/^(0|[1-9][0-9]*)$/.test(k));
const floatHex = (x: number) => {
  const b = Buffer.alloc(8);
  b.writeDoubleBE(x);
  return b.toString("hex");
};
const leaf: fc.Arbitrary<Tagged> = fc.oneof(
  i4.map((n) => ({ t: "int", v: String(n) })),
  fc
    .double()
    .filter((x) => !Number.isInteger(x))
    .map((x) => ({ t: "float", hex: floatHex(x) })),
  fc.boolean().map((v) => ({ t: "bool", v })),
  text.map((v) => ({ t: "str", v })),
  fc.constant({ t: "none" }),
  fc.uint8Array({ maxLength: 60 }).map((b) => ({ t: "bytes", hex: Buffer.from(b).toString("hex") })),
  fc.stringMatching(/^[0-9]{8}T[0-9]{2}:[0-9]{2}:[0-9]{2}$/).map((v) => ({ t: "DT", v })),
);
const { tree } = fc.letrec((tie) => ({
  tree: fc.oneof(
    { depthSize: "small" },
    { weight: 5, arbitrary: leaf },
    { weight: 1, arbitrary: fc.array(tie("tree"), { maxLength: 3 }).map((v) => ({ t: "list", v })) },
    {
      weight: 1,
      arbitrary: fc
        .uniqueArray(fc.tuple(key, tie("tree")), { maxLength: 3, selector: ([k]) => k })
        .map((v) => ({ t: "dict", v })),
    },
  ),
})) as { tree: fc.Arbitrary<Tagged> };

const call: fc.Arbitrary<[string, Tagged[]]> = fc.oneof(
  fc.array(tree, { maxLength: 4 }).map((p) => ["echo", p] as [string, Tagged[]]),
  fc.tuple(i4, i4).map(
    ([a, b]) =>
      [
        "add",
        [
          { t: "int", v: String(a) },
          { t: "int", v: String(b) },
        ],
      ] as [string, Tagged[]],
  ),
  text.map((m) => ["fail", [{ t: "str", v: m }]] as [string, Tagged[]]),
  fc.tuple(i4, text).map(
    ([c, s]) =>
      [
        "fault",
        [
          { t: "int", v: String(c) },
          { t: "str", v: s },
        ],
      ] as [string, Tagged[]],
  ),
  fc.constantFrom<[string, Tagged[]]>(
    ["none", []],
    ["big", []],
    ["valueerr", []],
    ["typeerr", []],
    ["doc", []],
    [
      "mul",
      [
        { t: "int", v: "6" },
        { t: "int", v: "7" },
      ],
    ],
    ["_private", []],
    ["nope", []],
    ["constructor", []],
    ["toString", []],
    ["sub.x", []],
    ["system.listMethods", []],
    ["system.methodHelp", [{ t: "str", v: "doc" }]],
    ["system.methodHelp", [{ t: "str", v: "mul" }]],
    ["system.methodHelp", [{ t: "str", v: "nope" }]],
    ["system.methodSignature", [{ t: "str", v: "add" }]],
  ),
);
const multicall: fc.Arbitrary<[string, Tagged[]]> = fc.array(call, { maxLength: 4 }).map((calls) => [
  "system.multicall",
  [
    {
      t: "list",
      v: calls.map(([m, p]) => ({
        t: "dict",
        v: [
          ["methodName", { t: "str", v: m }],
          ["params", { t: "list", v: p }],
        ],
      })),
    },
  ],
]);
const request = fc.record({
  call: fc.oneof({ weight: 5, arbitrary: call }, { weight: 1, arbitrary: multicall }),
  allowNone: fc.boolean(),
  encoding: fc.constantFrom(null, "utf-8", "iso-8859-1"),
  cut: fc.oneof({ weight: 9, arbitrary: fc.constant(-1) }, { weight: 1, arbitrary: fc.nat(300) }),
  asResponse: fc.oneof(
    { weight: 30, arbitrary: fc.constant(false) },
    { weight: 1, arbitrary: fc.constant(true) },
  ),
});

const PY = `
import json, sys, struct, xmlrpc.client as X
from xmlrpc.server import SimpleXMLRPCDispatcher
def build(t):
    k = t['t']
    if k == 'int': return int(t['v'])
    if k == 'float': return struct.unpack('>d', bytes.fromhex(t['hex']))[0]
    if k in ('bool', 'str'): return t['v']
    if k == 'none': return None
    if k == 'bytes': return bytes.fromhex(t['hex'])
    if k == 'DT': return X.DateTime(t['v'])
    if k == 'list': return [build(x) for x in t['v']]
    if k == 'dict': return {kk: build(vv) for kk, vv in t['v']}
def echo(*a): return list(a)
def add(a, b): return a + b
def fail(m): raise Exception(m)
def fault(c, s): raise X.Fault(c, s)
def none(): return None
def big(): return 2 ** 31
def valueerr(): raise ValueError('bad value')
def typeerr(): raise TypeError('bad type')
def doc():
    """Documented
       function, indented."""
    return 1
class Inst:
    def mul(self, a, b): return a * b
    def _private(self): return 1
out = []
for r in json.load(sys.stdin):
    name, params = r['call']
    params = tuple(build(p) for p in params)
    if r['asResponse']: body = X.dumps((params[0] if params else 1,), methodresponse=True, allow_none=True)
    else: body = X.dumps(params, name, allow_none=True)
    body = body.encode('utf-8', 'xmlcharrefreplace')
    if r['cut'] >= 0: body = body[:r['cut']]
    d = SimpleXMLRPCDispatcher(allow_none=r['allowNone'], encoding=r['encoding'])
    for f in (echo, add, fail, fault, none, big, valueerr, typeerr, doc): d.register_function(f)
    d.register_introspection_functions()
    d.register_multicall_functions()
    d.register_instance(Inst())
    out.append([body.hex(), d._marshaled_dispatch(body).hex()])
print(json.dumps(out))
`;

class Inst {
  mul(a: number, b: number): number {
    return a * b;
  }
  _private(): number {
    return 1;
  }
}

function dispatcher(allowNone: boolean, encoding: string | null): SimpleXMLRPCDispatcher {
  const d = new SimpleXMLRPCDispatcher({ allowNone, encoding });
  d.registerFunction(function echo(...a: unknown[]) {
    return a;
  });
  d.registerFunction(function add(a: number, b: number) {
    return a + b;
  });
  d.registerFunction(function fail(m: string) {
    throw new Error(m);
  });
  d.registerFunction(function fault(c: number, s: string) {
    throw new Fault(c, s);
  });
  d.registerFunction(async function none() {
    return null;
  });
  d.registerFunction(function big() {
    return 2 ** 31;
  });
  d.registerFunction(function valueerr() {
    throw new ValueError("bad value");
  });
  d.registerFunction(function typeerr() {
    throw new TypeError("bad type");
  });
  const doc = Object.assign(() => 1, { __doc__: "Documented\n       function, indented." });
  d.registerFunction(doc, "doc");
  d.registerIntrospectionFunctions();
  d.registerMulticallFunctions();
  d.registerInstance(new Inst());
  return d;
}

describe("SimpleXMLRPCDispatcher against python3's", { skip }, () => {
  test("_marshaledDispatch() answers 2,000 python-written requests with python's bytes", async () => {
    const requests = fc.sample(request, { numRuns: 2000, seed: SEED });
    const py = await python<Array<[string, string]>>(PY, requests);
    const kinds = new Map<string, number>();
    for (const [i, r] of requests.entries()) {
      const [bodyHex, expectedHex] = py[i]!;
      const got = await dispatcher(r.allowNone, r.encoding)._marshaledDispatch(Buffer.from(bodyHex, "hex"));
      assert.equal(
        got.toString("latin1"),
        Buffer.from(expectedHex, "hex").toString("latin1"),
        `request ${i}: ${Buffer.from(bodyHex, "hex").toString()}`,
      );
      const kind = /<name>faultString<\/name>\n<value><string>([^:]*)/.exec(got.toString())?.[1] ?? "result";
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    }
    // the generated requests reach results and each kind of fault
    for (const k of [
      "result",
      "&lt;class 'Exception'&gt;",
      "&lt;class 'xml.parsers.expat.ExpatError'&gt;",
      "&lt;class 'TypeError'&gt;",
      "&lt;class 'OverflowError'&gt;",
    ]) {
      assert.ok((kinds.get(k) ?? 0) > 5, `too few ${k}: ${JSON.stringify([...kinds])}`);
    }
  });

  test("Binary and DateTime parameters reach functions as wrappers, or as Buffer and Date with useBuiltinTypes", async () => {
    const seen: unknown[] = [];
    const body = Buffer.from(
      "<methodCall><methodName>f</methodName><params><param><value><base64>aGk=</base64></value></param><param><value><dateTime.iso8601>20240131T12:30:05</dateTime.iso8601></value></param></params></methodCall>",
    );
    for (const useBuiltinTypes of [false, true]) {
      const d = new SimpleXMLRPCDispatcher({ useBuiltinTypes });
      d.registerFunction((...a: unknown[]) => {
        seen.push(...a);
        return 0;
      }, "f");
      await d._marshaledDispatch(body);
    }
    assert.ok(seen[0] instanceof Binary && seen[1] instanceof DateTime);
    assert.ok(Buffer.isBuffer(seen[2]) && seen[3] instanceof Date);
    assert.equal((seen[3] as Date).toISOString(), "2024-01-31T12:30:05.000Z");
  });
});
