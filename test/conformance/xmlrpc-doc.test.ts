/**
 * The documentation page against python3's DocXMLRPCServer: the markup of
 * generated doc texts byte for byte (Python's `ServerHTMLDoc.markup`), and
 * a whole page compared by what it documents — the method names, their
 * signatures, their doc texts and links, the server's name, title and text.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { ServerHTMLDoc, SimpleXMLRPCDispatcher, XMLRPCDocGenerator } from "../../src/xmlrpc/server.js";
import { hasCommand, peerSkip } from "../_support/peers.js";
import { PYTHON, python } from "../_support/python.js";

const skip = peerSkip("python3", hasCommand(PYTHON));

const WORDS = [
  "add",
  "add(",
  "pow",
  "self.x",
  "RFC 1952",
  "RFC-822",
  "rfc 1",
  "PEP 8",
  "PEP8",
  "http://example.com/a?b=1&c=2",
  "https://x.org/",
  "ftp://h/p.",
  "system.listMethods(",
  "a.b.c",
  "é",
  "中文",
  "<b>",
  "&amp;",
  '"q"',
  "'s'",
  "x_y2",
];
const SEPS = [" ", "  ", "\t", "\n", "\n\n", "\n\n\n", ", ", "(", ")", ".", "<", ">", "&", ""];

const docText = fc
  .array(fc.tuple(fc.constantFrom(...WORDS), fc.constantFrom(...SEPS)), { maxLength: 12 })
  .map((parts) => parts.map(([w, s]) => w + s).join(""));

test("ServerHTMLDoc.markup() equals python3's on generated doc texts", { skip }, async () => {
  const texts = fc.sample(docText, { numRuns: 300, seed: 20240229 });
  texts.push(
    "",
    "plain",
    "Tabs\tand\tcolumns\n\tindented",
    "trailing space \n",
    "RFC  12 PEP-0008 pow(2, 3)",
  );
  const fdict = { add: "#-add", "system.listMethods": "#-system.listMethods" };
  const want = await python<string[]>(
    `
import json, sys
from xmlrpc.server import ServerHTMLDoc
d = json.load(sys.stdin)
h = ServerHTMLDoc()
print(json.dumps([h.markup(t, h.preformat, d["fdict"]) for t in d["texts"]]))
`,
    { texts, fdict },
  );
  const doc = new ServerHTMLDoc();
  const got = texts.map((t) => doc.markup(t, (s) => doc.preformat(s), fdict));
  for (let i = 0; i < texts.length; i++) assert.equal(got[i], want[i], JSON.stringify(texts[i]));
});

/** The entries of a documentation page: name → [signature, doc text, links], tags stripped, entities decoded. */
function entries(page: string): Map<string, [string, string, string[]]> {
  const decode = (s: string) =>
    s
      .replace(/<br>\n?/g, "\n")
      .replace(/<[^>]+>/g, "")
      .replaceAll("&nbsp;", " ")
      .replaceAll("&lt;", "<")
      .replaceAll("&gt;", ">")
      .replaceAll("&quot;", '"')
      .replaceAll("&#x27;", "'")
      .replaceAll("&amp;", "&");
  const out = new Map<string, [string, string, string[]]>();
  for (const m of page.matchAll(
    /<dl><dt><a name="([^"]*)"><strong>(.*?)<\/strong><\/a>(.*?)<\/dt>(?:<dd><tt>([\s\S]*?)<\/tt><\/dd>)?<\/dl>/g,
  )) {
    const links = [...(m[4] ?? "").matchAll(/href="([^"]*)"/g)].map((l) => l[1]!);
    out.set(decode(m[2]!), [decode(m[3]!), decode(m[4] ?? ""), links]);
  }
  return out;
}

function headOf(page: string): { title: string; name: string; doc: string } {
  const title = /<title>(.*?)<\/title>/.exec(page)?.[1] ?? "";
  const name = /<big><big><strong>(.*?)<\/strong><\/big><\/big>/.exec(page)?.[1] ?? "";
  const doc = /<p><tt>([\s\S]*?)<\/tt><\/p>/.exec(page)?.[1] ?? "";
  return { title, name, doc };
}

const DOCS: Record<string, string> = {
  add: "Add two numbers: see add() and pow(x, y).\n\n    Indented detail, RFC 1952, PEP 8,\n    http://example.com/x?a=1&b=2 and self.value.",
  pow: "pow(x, y) => x ** y",
  "dotted.name": "A <dotted> & 'quoted' name.",
  undocumented: "",
};

class Generator extends XMLRPCDocGenerator(SimpleXMLRPCDispatcher) {}

test("DocXMLRPCServer's page documents the same methods, signatures and texts as python3's", {
  skip,
}, async () => {
  const page = await python<string>(
    `
import json, sys
from xmlrpc.server import DocXMLRPCServer
d = json.load(sys.stdin)
s = DocXMLRPCServer(("127.0.0.1", 0), logRequests=False, bind_and_activate=False)
def add(x, y): pass
def pow(x, y, z=None): pass
def dotted(a, *rest, key="k", **more): pass
def undocumented(): pass
for f, name in [(add, "add"), (pow, "pow"), (dotted, "dotted.name"), (undocumented, "undocumented")]:
    f.__doc__ = d["docs"][name] or None
    s.register_function(f, name)
s.register_introspection_functions()
s.register_multicall_functions()
s.set_server_title(d["title"]); s.set_server_name(d["name"]); s.set_server_documentation(d["doc"])
print(json.dumps(s.generate_html_documentation()))
s.server_close()
`,
    {
      docs: DOCS,
      title: "Maths & <more>",
      name: "The 'maths' server",
      doc: "Offers add() and pow(); RFC 1952.",
    },
  );
  const gen = new Generator();
  const doc = (fn: (...a: never[]) => unknown, name: string) =>
    gen.registerFunction(Object.assign(fn, DOCS[name] ? { __doc__: DOCS[name] } : {}), name);
  doc((x: number, y: number) => x + y, "add");
  doc(function pow(x: number, y: number, z = null) {
    return [x, y, z];
  }, "pow");
  doc(
    Object.assign((..._a: unknown[]) => 0, { __signature__: "(a, *rest, key='k', **more)" }),
    "dotted.name",
  );
  doc(function undocumented() {}, "undocumented");
  gen.registerIntrospectionFunctions();
  gen.registerMulticallFunctions();
  gen.setServerTitle("Maths & <more>");
  gen.setServerName("The 'maths' server");
  gen.setServerDocumentation("Offers add() and pow(); RFC 1952.");
  const ours = gen.generateHtmlDocumentation();

  const a = entries(ours);
  const b = entries(page);
  assert.equal(a.size, 8);
  assert.deepEqual([...a.keys()], [...b.keys()], "the same methods in the same order");
  for (const [name, [sig, text, links]] of b) {
    const [ourSig, ourText, ourLinks] = a.get(name)!;
    // Python prints z=None; JavaScript's default is null.
    assert.equal(ourSig.replace("z=null", "z=None"), sig, `${name}: signature`);
    assert.equal(ourText, text, `${name}: doc text`);
    assert.deepEqual(ourLinks, links, `${name}: links`);
  }
  assert.deepEqual(headOf(ours), headOf(page));
});
