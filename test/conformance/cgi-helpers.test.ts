/**
 * Differential: `parseHeader` and `validBoundary` against python3's
 * `cgi.parse_header` and `cgi.valid_boundary` on generated input (quotes,
 * escapes, semicolons inside quotes, whitespace), and the HTML of
 * `printForm`, `printEnviron` and `printEnvironUsage` against Python's
 * `print_form`, `print_environ` and `print_environ_usage` for the same forms.
 */
import assert from "node:assert/strict";
import { Readable } from "node:stream";
import { test } from "node:test";
import fc from "fast-check";
import {
  FieldStorage,
  parseHeader,
  printEnviron,
  printEnvironUsage,
  printForm,
  validBoundary,
} from "../../src/cgi/index.js";
import { hasCommand, peerSkip } from "../_support/peers.js";
import { PYTHON, python } from "../_support/python.js";
import { headerValue } from "../cgi/_header-values.js";

process.env.PYTHONUTF8 = "1";
const skip = peerSkip("python3", hasCommand(PYTHON));

const headerText = fc.string({
  unit: fc.constantFrom("a", "B", "=", ";", '"', "\\", " ", "\t", "é", "x", "-", "/", "name", "filename"),
  maxLength: 40,
});

/** Long runs of what makes the parameter split work hard: escapes, quotes, `;` in and out of quotes. */
const adversarialHeader = fc
  .array(
    fc.tuple(
      fc.constantFrom('\\"', '\\";', ";", '"', '";', "; a=b", '; n="', " ", "\\", "\\\\", "=", 'x="y;z"'),
      fc.integer({ min: 1, max: 300 }),
    ),
    { minLength: 1, maxLength: 4 },
  )
  .map((runs) => `form-data${runs.map(([unit, n]) => unit.repeat(n)).join("")}`);

test("parseHeader() and validBoundary() agree with python3", { skip }, async () => {
  const lines = [
    ...fc.sample(headerText, { numRuns: 1500, seed: 7 }),
    ...fc.sample(adversarialHeader, { numRuns: 300, seed: 9 }),
    ...fc.sample(headerValue, { numRuns: 1500, seed: 10 }),
  ];
  const boundaries = fc.sample(
    fc.oneof(
      fc.string({ unit: fc.constantFrom("a", " ", "~", "\x7f", "é", "\n", "-", "\t"), maxLength: 8 }),
      fc.integer({ min: 195, max: 205 }).map((n) => "b".repeat(n)),
    ),
    { numRuns: 500, seed: 8 },
  );
  const want = await python<{ headers: Array<[string, Record<string, string>]>; valid: boolean[] }>(
    `
import warnings; warnings.simplefilter("ignore")
import cgi, json, sys
d = json.load(sys.stdin)
print(json.dumps({"headers": [list(cgi.parse_header(l)) for l in d["lines"]],
                  "valid": [bool(cgi.valid_boundary(b)) for b in d["boundaries"]]}))
`,
    { lines, boundaries },
  );
  for (const [i, line] of lines.entries()) {
    const [key, params] = parseHeader(line);
    assert.deepEqual([key, { ...params }], want.headers[i], JSON.stringify(line));
  }
  for (const [i, b] of boundaries.entries()) assert.equal(validBoundary(b), want.valid[i], JSON.stringify(b));
});

function sink() {
  let text = "";
  return {
    write(s: string) {
      text += s;
    },
    get text() {
      return text;
    },
  };
}

test("printForm(), printEnviron(), printEnvironUsage() write Python's HTML", { skip }, async () => {
  const cases = [
    { environ: { REQUEST_METHOD: "GET", QUERY_STRING: "b=<2>&a=1&a='x'&z=%26" }, body: "" },
    { environ: { REQUEST_METHOD: "GET", QUERY_STRING: "" }, body: "" },
    {
      environ: { REQUEST_METHOD: "POST", CONTENT_TYPE: "multipart/form-data; boundary=B" },
      body: '--B\r\nContent-Disposition: form-data; name="t"\r\n\r\nhé\r\n--B\r\nContent-Disposition: form-data; name="f"; filename="a&b.txt"\r\n\r\n\x00bin"\'\r\n--B--\r\n',
    },
  ];
  const want = await python<string[]>(
    `
import warnings; warnings.simplefilter("ignore")
import cgi, io, json, sys, contextlib
out = []
for c in json.load(sys.stdin):
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        fs = cgi.FieldStorage(fp=io.BytesIO(c["body"].encode("latin-1")), environ=c["environ"])
        cgi.print_form(fs)
        cgi.print_environ(c["environ"])
        cgi.print_environ_usage()
    out.append(buf.getvalue())
print(json.dumps(out))
`,
    cases,
  );
  for (const [i, c] of cases.entries()) {
    const out = sink();
    const fs = await FieldStorage.read({
      fp: Readable.from([Buffer.from(c.body, "latin1")]),
      environ: c.environ,
    });
    await printForm(fs, out);
    await printEnviron(c.environ, out);
    await printEnvironUsage(out);
    assert.equal(out.text, want[i]);
  }
});
