/**
 * Differential: the same bodies and CGI environments given to python3's
 * `cgi.FieldStorage` and to netkit's. Generated cases (1,500 by default):
 * well-formed multipart forms (nested parts, quotes and non-ASCII in names,
 * binary files full of boundary-like bytes, CRLF and LF, padding, preamble
 * and epilogue), the same forms broken (cut short, bytes deleted, junk and
 * stray delimiters inserted, wrong or invalid boundaries), bodies made of
 * adversarial pieces (runs of CR, LF and `-`, near-boundaries, boundaries
 * with padding, boundaries of 1 to 70 bytes), urlencoded POSTs
 * with a query string, GETs, and field limits. Every field must agree
 * (name, filename, type and options, disposition and options, value as
 * text or bytes, nesting); where Python raises, netkit must raise too.
 *
 * Not generated, because netkit differs from Python on purpose there (see
 * `FieldStorage`'s docs): a nested multipart part followed by more parts or
 * broken, an urlencoded part inside a multipart body, a non-form POST with a
 * Content-Length (Python 3.11 raises TypeError).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { type Environ, type Field, FieldStorage, MiniFieldStorage } from "../../src/cgi/index.js";
import { hasCommand, peerSkip } from "../_support/peers.js";
import { PYTHON, python } from "../_support/python.js";
import { adversarialBoundary, adversarialPiece } from "../multipart/_adversarial.js";
import { chunked, encodeForm, formArb, iterate } from "../multipart/_forms.js";

process.env.PYTHONUTF8 = "1";
const RUNS = Number(process.env.NETKIT_CGI_CASES ?? 1500);
const SEED = Number(process.env.NETKIT_FC_SEED ?? 20231107);

const SCRIPT = `
import warnings; warnings.simplefilter("ignore")
import base64, cgi, io, json, sys
def ser(fs):
    if isinstance(fs, cgi.MiniFieldStorage):
        return {"mini": True, "name": fs.name, "value": fs.value}
    d = {"name": fs.name, "filename": fs.filename, "type": fs.type, "typeOptions": fs.type_options,
         "disposition": fs.disposition, "dispositionOptions": fs.disposition_options}
    if fs.list is not None:
        d["list"] = [ser(x) for x in fs.list]
    else:
        v = fs.value
        if isinstance(v, bytes): d["bytes"] = base64.b64encode(v).decode()
        elif v is None: d["none"] = True
        else: d["text"] = v
    return d
out = []
for c in json.load(sys.stdin):
    try:
        fs = cgi.FieldStorage(fp=io.BytesIO(base64.b64decode(c["body"])), environ=c["environ"],
                              keep_blank_values=c["keep"], strict_parsing=c["strict"], max_num_fields=c["max"])
        out.append(ser(fs))
    except Exception as e:
        out.append({"error": type(e).__name__ + ": " + str(e)[:200]})
print(json.dumps(out))
`;

interface Case {
  what: string;
  body: Buffer;
  environ: Record<string, string>;
  keep: boolean;
  strict: boolean;
  max: number | null;
  chunks: readonly number[];
}

function serialize(f: Field): unknown {
  if (f instanceof MiniFieldStorage) return { mini: true, name: f.name, value: f.value };
  const d: Record<string, unknown> = {
    name: f.name,
    filename: f.filename,
    type: f.type,
    typeOptions: { ...f.typeOptions },
    disposition: f.disposition,
    dispositionOptions: { ...f.dispositionOptions },
  };
  if (f.list !== null) d.list = f.list.map(serialize);
  else {
    const v = f.value;
    if (Buffer.isBuffer(v)) d.bytes = v.toString("base64");
    else if (v === null) d.none = true;
    else d.text = v;
  }
  return d;
}

const SNIPPETS = [
  "\r\n",
  "\n",
  "\r",
  "--",
  " ",
  ":",
  "\x00",
  "\xff\xfe",
  "\r\n\r\n",
  'Content-Disposition: form-data; name="zz"\r\n',
  'Content-Disposition: form-data; name="q\\"q"; filename="f.bin"\r\n',
  "Content-Type: text/html\r\n",
];

function mutationArb(boundary: string): fc.Arbitrary<(b: Buffer) => [string, Buffer]> {
  const snippet = fc.oneof(
    fc.constantFrom(
      ...SNIPPETS,
      `--${boundary}`,
      `--${boundary}--`,
      `\r\n--${boundary}\r\n`,
      `\r\n--${boundary}--\r\n`,
      `\n--${boundary}\n\n`,
    ),
    fc.uint8Array({ minLength: 1, maxLength: 8 }).map((u) => Buffer.from(u).toString("latin1")),
  );
  return fc.oneof(
    fc.nat().map((n) => (b: Buffer): [string, Buffer] => {
      const at = n % (b.length + 1);
      return [`truncated at ${at}`, b.subarray(0, at)];
    }),
    fc.tuple(fc.nat(), fc.integer({ min: 1, max: 12 })).map(([n, len]) => (b: Buffer): [string, Buffer] => {
      const at = n % (b.length + 1);
      return [`${len} bytes deleted at ${at}`, Buffer.concat([b.subarray(0, at), b.subarray(at + len)])];
    }),
    fc.tuple(fc.nat(), snippet).map(([n, s]) => (b: Buffer): [string, Buffer] => {
      const at = n % (b.length + 1);
      return [
        `${JSON.stringify(s)} inserted at ${at}`,
        Buffer.concat([b.subarray(0, at), Buffer.from(s, "latin1"), b.subarray(at)]),
      ];
    }),
  );
}

const chunksArb = fc.oneof(
  fc.constant([1]),
  fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 4 }),
);
const common = {
  keep: fc.boolean(),
  strict: fc.boolean().map((b) => b && Math.random() < 0.2),
  max: fc.option(fc.integer({ min: 0, max: 6 }), { nil: null, freq: 3 }),
  chunks: chunksArb,
  withLength: fc.boolean(),
  qs: fc.option(fc.constantFrom("a=1", "q=x&q=y", "", "b=%C3%A9&c", "z=1;y=2"), { nil: null }),
};

function multipartEnv(
  body: Buffer,
  ctype: string,
  withLength: boolean,
  qs: string | null,
): Record<string, string> {
  const env: Record<string, string> = { REQUEST_METHOD: "POST", CONTENT_TYPE: ctype };
  if (withLength) env.CONTENT_LENGTH = String(body.length);
  if (qs !== null) env.QUERY_STRING = qs;
  return env;
}

const validMultipart: fc.Arbitrary<Case> = fc
  .record({ form: formArb({ nested: true }), ...common })
  .map(({ form, withLength, qs, ...rest }) => {
    const body = encodeForm(form);
    const quoted = form.boundary.includes(" ") || Math.random() < 0.3;
    const ctype = `multipart/form-data; boundary=${quoted ? `"${form.boundary}"` : form.boundary}`;
    return { what: "valid multipart", body, environ: multipartEnv(body, ctype, withLength, qs), ...rest };
  });

const brokenMultipart: fc.Arbitrary<Case> = formArb()
  .chain((form) =>
    fc.record({
      form: fc.constant(form),
      mutations: fc.array(mutationArb(form.boundary), { minLength: 1, maxLength: 3 }),
      ...common,
    }),
  )
  .map(({ form, mutations, withLength, qs, ...rest }) => {
    let body = encodeForm(form);
    const notes: string[] = [];
    for (const m of mutations) {
      const [note, next] = m(body);
      notes.push(note);
      body = next;
    }
    const ctype = `multipart/form-data; boundary=${form.boundary.includes(" ") ? `"${form.boundary}"` : form.boundary}`;
    return {
      what: `broken multipart: ${notes.join(", ")}`,
      body,
      environ: multipartEnv(body, ctype, withLength, qs),
      ...rest,
    };
  });

const oddContentType: fc.Arbitrary<Case> = fc
  .record({
    form: formArb({ maxParts: 2 }),
    ctype: fc.constantFrom(
      "multipart/form-data",
      "multipart/form-data; boundary=",
      'multipart/form-data; boundary=""',
      "multipart/form-data; boundary=Other",
      `multipart/form-data; boundary=${"x".repeat(202)}`,
      "multipart/form-data; boundary=é",
      "multipart/form-data; boundary=bad ",
      'multipart/form-data; boundary="bad "',
      "Multipart/Form-Data; boundary=B",
      "multipart/mixed; boundary=B",
      "multipart/form-data; charset=utf-8; BOUNDARY=B",
      "multipart/form-data; boundary=B; boundary=C",
    ),
    ...common,
  })
  .map(({ form, ctype, withLength, qs, ...rest }) => {
    const body = encodeForm({ ...form, boundary: "B" });
    const env = multipartEnv(body, ctype, withLength, qs);
    // A non-form type with a Content-Length makes Python 3.11 raise TypeError (see above).
    if (!ctype.startsWith("multipart/")) delete env.CONTENT_LENGTH;
    return { what: `content type ${ctype}`, body, environ: env, ...rest };
  });

const qsText = fc.string({
  unit: fc.constantFrom("a", "b", "=", "&", ";", "%", "2", "0", "C3", "%A9", "+", " ", "é", "x"),
  maxLength: 30,
});

const urlencoded: fc.Arbitrary<Case> = fc
  .record({ text: qsText, method: fc.constantFrom("POST", "GET", "HEAD", "post", "PUT"), ...common })
  .map(({ text, method, withLength, qs, ...rest }) => {
    const body = Buffer.from(text, "utf8");
    const env: Record<string, string> = { REQUEST_METHOD: method };
    if (method !== "PUT" || Math.random() < 0.5) env.CONTENT_TYPE = "application/x-www-form-urlencoded";
    if (withLength && env.CONTENT_TYPE) env.CONTENT_LENGTH = String(body.length);
    if (method.toUpperCase() === "GET" || method === "HEAD") env.QUERY_STRING = text;
    else if (qs !== null) env.QUERY_STRING = qs;
    return { what: `${method} urlencoded`, body, environ: env, ...rest };
  });

/** Bodies made of the pieces that stress the boundary search (runs of CR, LF, `-`, near-boundaries, padding). */
const adversarialMultipart: fc.Arbitrary<Case> = adversarialBoundary
  .chain((boundary) =>
    fc.record({
      boundary: fc.constant(boundary),
      head: fc.constantFrom(
        "",
        `--${boundary}\r\n`,
        `--${boundary}\r\nContent-Disposition: form-data; name="a"\r\n\r\n`,
      ),
      pieces: fc.array(adversarialPiece(boundary), { maxLength: 25 }),
      ...common,
    }),
  )
  .map(({ boundary, head, pieces, withLength, qs, ...rest }) => {
    const body = Buffer.from(head + pieces.join(""), "latin1");
    const env = multipartEnv(body, `multipart/form-data; boundary="${boundary}"`, withLength, qs);
    return { what: "adversarial multipart", body, environ: env, ...rest };
  });

const allCases = fc.oneof(
  { weight: 4, arbitrary: validMultipart },
  { weight: 3, arbitrary: adversarialMultipart },
  { weight: 5, arbitrary: brokenMultipart },
  { weight: 1, arbitrary: oddContentType },
  { weight: 2, arbitrary: urlencoded },
);

test("FieldStorage.read() agrees with python3's cgi.FieldStorage on generated and broken forms", {
  skip: peerSkip("python3", hasCommand(PYTHON)),
}, async () => {
  const cases = fc.sample(allCases, { numRuns: RUNS, seed: SEED });
  const want = await python<unknown[]>(
    SCRIPT,
    cases.map((c) => ({
      body: c.body.toString("base64"),
      environ: c.environ,
      keep: c.keep,
      strict: c.strict,
      max: c.max,
    })),
    120_000,
  );
  let errors = 0;
  for (const [i, c] of cases.entries()) {
    const expected = want[i] as Record<string, unknown>;
    let got: unknown;
    try {
      const fs = await FieldStorage.read({
        fp: iterate(chunked(c.body, c.chunks)),
        environ: c.environ as Environ,
        keepBlankValues: c.keep,
        strictParsing: c.strict,
        maxNumFields: c.max ?? Number.POSITIVE_INFINITY,
        maxBytes: Number.POSITIVE_INFINITY,
      });
      try {
        got = serialize(fs);
      } finally {
        await fs.close();
      }
    } catch (err) {
      got = { error: String(err) };
      if (process.env.DBG) console.log(i, c.what, (err as Error).stack?.split("\n")[1]);
    }
    const context = `case ${i} (${c.what}); keep ${c.keep} strict ${c.strict} max ${c.max}; environ ${JSON.stringify(c.environ)}; body ${JSON.stringify(c.body.toString("latin1"))}`;
    if ("error" in expected) {
      errors++;
      assert.ok(
        got && typeof got === "object" && "error" in got,
        `python raised ${expected.error}, netkit did not: ${context}`,
      );
    } else {
      assert.deepEqual(got, expected, context);
    }
  }
  // The generator must exercise both outcomes.
  assert.ok(errors > RUNS / 50, `only ${errors} error cases`);
  assert.ok(errors < RUNS / 2, `${errors} error cases`);
});
