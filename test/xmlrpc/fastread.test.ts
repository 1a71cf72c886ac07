/**
 * The fast path of `loads` (src/xmlrpc/_fastread.ts) against the general
 * path (the tokenizer's events into an `Unmarshaller`), which is the
 * reference (checked against python3 in test/conformance/xmlrpc-marshal.test.ts):
 *
 * 1. generated values, dumped: the fast reader takes every document
 *    `dumps` writes (so the fast path is what runs), and the two paths
 *    give deep-equal results, under each option set;
 * 2. the same documents rewritten (whitespace and `\r\n` between elements,
 *    characters as references, an XML declaration with an encoding,
 *    self-closing forms, a DOCTYPE, comments, CDATA) and mutated (a
 *    character dropped, doubled or replaced, a tag renamed): the two paths
 *    give the same result or the same error (class and message), as
 *    strings and as bytes, with the default limits and small depth limits.
 *
 * The general path runs as `loads` ran before the fast path: `parseXml`
 * into an `Unmarshaller` (a subclass, which the fast path leaves alone).
 * `getparser()`'s `XmlParser` (what `Transport` uses) is checked too.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { readFast } from "../../src/xmlrpc/_fastread.js";
import { parseXml } from "../../src/xmlrpc/_xml.js";
import {
  Binary,
  DateTime,
  Double,
  dumps,
  Fault,
  loads,
  Unmarshaller,
  XmlParser,
} from "../../src/xmlrpc/client.js";

const SEED = 20251125;

class GeneralPath extends Unmarshaller {}

type Options = { useDatetime?: boolean; useBuiltinTypes?: boolean; maxDepth?: number };
type Outcome = { ok: [unknown[], string | null] } | { error: [string, string] };

function outcome(run: () => [unknown[], string | null]): Outcome {
  try {
    return { ok: run() };
  } catch (e) {
    return { error: [(e as Error).constructor.name, (e as Error).message] };
  }
}

function fast(doc: string | Uint8Array, options: Options): Outcome {
  return outcome(() => loads(doc, options));
}

/** `loads` as it was before the fast path: the whole document's events into an `Unmarshaller`. */
function general(doc: string | Uint8Array, options: Options): Outcome {
  return outcome(() => {
    const u = new GeneralPath(options);
    parseXml(doc, u, options);
    return [u.close(), u.getmethodname()];
  });
}

/** `getparser()`'s way, which `Transport` takes: through the fast path too when the target is an `Unmarshaller`. */
function viaParser(doc: string | Uint8Array, options: Options, target: Unmarshaller): Outcome {
  return outcome(() => {
    const p = new XmlParser(target, options);
    p.feed(doc);
    p.close();
    return [target.close(), target.getmethodname()];
  });
}

function same(doc: string, options: Options = {}): void {
  assert.deepStrictEqual(fast(doc, options), general(doc, options), doc);
  const bytes = Buffer.from(doc, "utf8");
  const reference = general(bytes, options);
  assert.deepStrictEqual(fast(bytes, options), reference, doc);
  assert.deepStrictEqual(viaParser(bytes, options, new Unmarshaller(options)), reference, doc);
  assert.deepStrictEqual(viaParser(bytes, options, new GeneralPath(options)), reference, doc);
}

// ---------------------------------------------------------------------------
// Generators

const text = fc.oneof(
  {
    weight: 5,
    arbitrary: fc
      .string({ unit: "grapheme", maxLength: 10 })
      // biome-ignore lint/suspicious/noControlCharactersInRegex: the characters XML forbids
      .map((s) => s.replace(/[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]/g, "")),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom("", "<", ">", "&", "]]", "a&amp;b", "\r\n", " x ", "é", "😀", "__proto__"),
  },
);
const i4 = fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 });
const date = fc
  .date({ min: new Date(Date.UTC(1, 0, 1)), max: new Date(Date.UTC(9999, 11, 31)), noInvalidDate: true })
  .map((d) => new Date(Math.floor(d.getTime() / 1000) * 1000));
const leaf = fc.oneof(
  i4,
  fc.double({ noNaN: true }).filter((x) => !Number.isInteger(x)),
  fc.double().map((x) => new Double(x)),
  fc.boolean(),
  text,
  fc.constant(null),
  fc.uint8Array({ maxLength: 80 }).map((b) => new Binary(b)),
  date,
  date.map((d) => new DateTime(d)),
);
const { value } = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    { weight: 5, arbitrary: leaf },
    { weight: 1, arbitrary: fc.array(tie("value"), { maxLength: 4 }) },
    { weight: 1, arbitrary: fc.dictionary(text, tie("value"), { maxKeys: 4 }) },
  ),
}));
const document = fc.oneof(
  fc.tuple(value).map((v) => dumps(v, { methodresponse: true, allowNone: true })),
  fc
    .tuple(fc.array(value, { maxLength: 3 }), fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_.]{0,12}$/))
    .map(([params, m]) => dumps(params, { methodname: m, allowNone: true })),
  fc.tuple(i4, text).map(([code, s]) => dumps(new Fault(code, s))),
);
const options = fc.record(
  {
    useDatetime: fc.boolean(),
    useBuiltinTypes: fc.boolean(),
    maxDepth: fc.oneof(fc.constant(1000), fc.integer({ min: 1, max: 14 })),
  },
  { requiredKeys: [] },
);

/** Rewrites that keep a document valid XML-RPC but leave Python's exact layout. */
function rewrite(doc: string, how: number, at: number): string {
  const tags = [...doc.matchAll(/<[^>]*>/g)];
  const tag = tags.length ? tags[at % tags.length]! : null;
  const pos = tag ? tag.index! : 0;
  switch (how % 12) {
    case 0:
      return doc.replace(/>\n</g, ">\r\n <");
    case 1:
      return doc.replace(/></g, ">\t\n<");
    case 2: // a character as a reference
      return doc.replace(/>([^<]*?)([A-Za-zé])/, (_m, a, c) => `>${a}&#${(c as string).codePointAt(0)};`);
    case 3:
      return doc.replace(
        />([^<]*?)([A-Za-z])/,
        (_m, a, c) => `>${a}&#x${(c as string).charCodeAt(0).toString(16)};`,
      );
    case 4:
      return doc.replace("<?xml version='1.0'?>", '<?xml version="1.0" encoding="utf-8"?>');
    case 5:
      return doc.replace("<nil/>", "<nil></nil>").replace("<value><string></string>", "<value><string/>");
    case 6:
      return `${doc.slice(0, pos)}<!-- c -->${doc.slice(pos)}`;
    case 7:
      return doc.replace(/<string>([^<]*)<\/string>/, "<string><![CDATA[$1]]></string>");
    case 8:
      return doc.replace("<?xml version='1.0'?>", "<?xml version='1.0'?><!DOCTYPE x>");
    case 9: // a tag renamed
      return tag ? `${doc.slice(0, pos + 1)}x${doc.slice(pos + 1)}` : doc;
    case 10: // typed values without their type
      return doc.replace(/<value><string>([^<]*)<\/string><\/value>/, "<value>$1</value>");
    default:
      return doc.replace(/<int>/, "<i4>").replace(/<\/int>/, "</i4>");
  }
}

/** Mutations that mostly break a document. */
function mutate(doc: string, how: number, at: number): string {
  const i = at % Math.max(doc.length, 1);
  switch (how % 4) {
    case 0:
      return doc.slice(0, i) + doc.slice(i + 1);
    case 1:
      return doc.slice(0, i) + doc.charAt(i) + doc.slice(i);
    case 2:
      return `${doc.slice(0, i)}${"<>&;/ \r\n\u0001x9".charAt(at % 12)}${doc.slice(i + 1)}`;
    default:
      return doc.slice(0, i);
  }
}

// ---------------------------------------------------------------------------

describe("xmlrpc loads: the fast path gives what the general path gives", () => {
  test("every document dumps writes is read by the fast reader, with the general path's result (600 runs)", () => {
    fc.assert(
      fc.property(document, options, (doc, opts) => {
        const fastResult = readFast(doc, {
          useDatetime: Boolean(opts.useDatetime || opts.useBuiltinTypes),
          useBytes: Boolean(opts.useBuiltinTypes),
          maxDepth: 1000,
        });
        assert.notEqual(fastResult, null, doc);
        same(doc, opts);
      }),
      { seed: SEED, numRuns: 600 },
    );
  });

  test("rewritten documents: the same result or the same error (1,200 runs)", () => {
    fc.assert(
      fc.property(document, options, fc.nat(), fc.nat(), (doc, opts, how, at) => {
        same(rewrite(doc, how, at), opts);
      }),
      { seed: SEED + 1, numRuns: 1200 },
    );
  });

  test("mutated documents: the same result or the same error (1,200 runs)", () => {
    fc.assert(
      fc.property(document, options, fc.nat(), fc.nat(), fc.nat(), (doc, opts, how, at, how2) => {
        same(mutate(rewrite(doc, how2, at), how, at * 7 + how), opts);
      }),
      { seed: SEED + 2, numRuns: 1200 },
    );
  });

  test("an Unmarshaller with its own handlers gets every event", () => {
    const doc = dumps([{ a: [1, "x"] }], { methodresponse: true });
    const seen: string[] = [];
    const u = new Unmarshaller();
    const start = u.start.bind(u);
    Object.assign(u, {
      start: (name: string) => {
        seen.push(name);
        start(name);
      },
    });
    const p = new XmlParser(u);
    p.feed(doc);
    p.close();
    assert.deepStrictEqual(u.close(), [{ a: [1, "x"] }]);
    assert.deepStrictEqual(seen.slice(0, 5), ["methodResponse", "params", "param", "value", "struct"]);
  });

  test("hand-picked edges", () => {
    const R = (v: string) =>
      `<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n${v}\n</param>\n</params>\n</methodResponse>\n`;
    for (const v of [
      "<value></value>",
      "<value>\n</value>",
      "<value> <int> 7 </int> </value>",
      "<value><int>-0</int></value>",
      "<value><int>+5</int></value>",
      "<value><i8>9007199254740993</i8></value>",
      "<value><int>1_000</int></value>",
      "<value><int>١٢</int></value>",
      "<value><double>1e400</double></value>",
      "<value><double>-0.0</double></value>",
      "<value><double>nan</double></value>",
      "<value><double>1_0.5</double></value>",
      "<value><boolean>2</boolean></value>",
      "<value><boolean> 1</boolean></value>",
      "<value><base64>QQ==QQ==</base64></value>",
      "<value><base64>QUI</base64></value>",
      "<value><base64>Q U I =</base64></value>",
      "<value><base64>é</base64></value>",
      "<value><dateTime.iso8601> 20240131T12:30:00 </dateTime.iso8601></value>",
      "<value><dateTime.iso8601>20240230T12:30:00</dateTime.iso8601></value>",
      "<value><struct><member><name>__proto__</name><value><int>1</int></value></member></struct></value>",
      "<value><struct><member><name>a</name><value>1</value></member><member><name>a</name><value>2</value></member></struct></value>",
      "<value><struct><member><value>1</value><name>a</name></member></struct></value>",
      "<value><array><data><value>&amp;&lt;&gt;&quot;&apos;&#0;</value></data></array></value>",
      "<value><array><data><value>&#xD;&#13;&#x1F600;</value></data></array></value>",
      "<value><array><data><value>&bogus;</value></data></array></value>",
      "<value><array><data/></array></value>",
      "<value><array><value>1</value></array></value>",
      "<value><bigdecimal>1.5</bigdecimal></value>",
      "<value><ex:nil/></value>",
      "<value><foo>1</foo></value>",
      "<value>a]]>b</value>",
    ]) {
      for (const opts of [{}, { useBuiltinTypes: true }, { maxDepth: 5 }]) same(R(v), opts);
    }
    same("<methodCall><methodName>f</methodName></methodCall>");
    same("<methodCall><methodName>f</methodName></methodCall>", { maxDepth: 1 });
    same("<methodCall><methodName>a&amp;b</methodName><params></params></methodCall>");
    same("<methodResponse><fault><value><struct></struct></value></fault></methodResponse>");
    same("<methodResponse><params/></methodResponse>");
    same("<params><param><value>1</value></param></params>");
    same("\uFEFF<methodResponse><params></params></methodResponse>");
    same("<?xml version='1.0' standalone='yes'?><methodResponse><params></params></methodResponse>");
    same("<methodResponse><params></params></methodResponse><!-- after -->");
    same("<methodResponse><params></params></methodResponse>junk");
  });

  test("a document nested past the depth limit, or deeper than the stack, falls back to the general path", () => {
    const nested = (n: number) =>
      `<methodResponse><params><param>${"<value><array><data>".repeat(n)}${"</data></array></value>".repeat(n)}</param></params></methodResponse>`;
    same(nested(5000));
    same(nested(300), { maxDepth: 100_000 });
    // Deeper than the fast reader's recursion can go: it gives up, the general path answers.
    const depth = (v: unknown): number => {
      let d = 0;
      for (let x = v; Array.isArray(x); x = x[0]) d++;
      return d;
    };
    const [[result]] = loads(nested(50_000), { maxDepth: 1_000_000 });
    assert.equal(depth(result), 50_000);
  });
});
