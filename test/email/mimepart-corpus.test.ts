/**
 * MIMEPart's reading API against python3 on CPython 3.11's own email test
 * messages (Lib/test/test_email/data/msg_*.txt): parsed as EmailMessage
 * (python3 and netkit with policy default), getBody() with several
 * preference lists, iterAttachments(), iterParts(), isAttachment() and
 * getContent() of every part must agree. Parts are named by their index in
 * walk order.
 */
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import fc from "fast-check";
import { messageFromBytes } from "../../src/email/index.js";
import { EmailMessage, type MIMEPart } from "../../src/email/mimepart.js";
import { defaultPolicy } from "../../src/email/policy.js";
import { python } from "../_support/python.js";

const DATA = "/root/.pyenv/versions/3.11.7/lib/python3.11/test/test_email/data";
const dataDir = existsSync(DATA)
  ? DATA
  : await python<string>(
      "import test.test_email, os, json; print(json.dumps(os.path.join(os.path.dirname(test.test_email.__file__), 'data')))",
    );

const PREFS = [["related", "html", "plain"], ["plain"], ["html", "plain"], ["related"]];

const PY = `
import sys, json, base64, email
from email import policy
PREFS = ${JSON.stringify(PREFS)}
def dump(data):
    m = email.message_from_bytes(base64.b64decode(data), policy=policy.default)
    parts = list(m.walk())
    idx = lambda p: None if p is None else next(i for i, q in enumerate(parts) if q is p)
    out = dict(bodies=[idx(m.get_body(pl)) for pl in PREFS], parts=[])
    for p in parts:
        try:
            c = p.get_content()
            if isinstance(c, str): c = ['str', c]
            elif isinstance(c, bytes): c = ['bytes', base64.b64encode(c).decode()]
            else: c = ['msg', idx(c)]
        except Exception as e:
            c = ['error', 'TypeError' if isinstance(e, AttributeError) else type(e).__name__]
        out['parts'].append(dict(
            attachment=p.is_attachment(),
            attachments=[idx(a) for a in p.iter_attachments()],
            subparts=[idx(a) for a in p.iter_parts()],
            content=c))
    return out
print(json.dumps({c['name']: dump(c['data']) for c in json.load(sys.stdin)}))
`;

function dump(data: Buffer): unknown {
  const m = messageFromBytes(data, { factory: EmailMessage, policy: defaultPolicy }) as MIMEPart;
  const parts = [...m.walk()];
  const idx = (p: unknown) => (p === null ? null : parts.indexOf(p as MIMEPart));
  return {
    bodies: PREFS.map((pl) => idx(m.getBody(pl))),
    parts: parts.map((p) => {
      let c: [string, unknown];
      try {
        const v = p.getContent();
        if (typeof v === "string") c = ["str", v];
        else if (Buffer.isBuffer(v)) c = ["bytes", v.toString("base64")];
        else c = ["msg", idx(v)];
      } catch (e) {
        c = ["error", (e as Error).name];
      }
      return {
        attachment: p.isAttachment(),
        attachments: [...p.iterAttachments()].map(idx),
        subparts: [...p.iterParts()].map(idx),
        content: c,
      };
    }),
  };
}

test("MIMEPart reading API agrees with python3 on every msg_*.txt of CPython's test data", async () => {
  const names = readdirSync(dataDir)
    .filter((n) => /^msg_.*\.txt$/.test(n))
    .sort();
  assert.ok(names.length >= 40, `found only ${names.length} test messages in ${dataDir}`);
  const cases = names.map((name) => ({ name, data: readFileSync(join(dataDir, name)).toString("base64") }));
  const expected = await python<Record<string, unknown>>(PY, cases);
  const failures: string[] = [];
  for (const { name, data } of cases) {
    const got = dump(Buffer.from(data, "base64"));
    try {
      assert.deepEqual(got, expected[name]);
    } catch (e) {
      failures.push(`${name}: ${(e as Error).message.slice(0, 2000)}`);
    }
  }
  assert.equal(failures.length, 0, failures.join("\n"));
});

/** A generated part: a leaf of some type, or a multipart; either may carry a disposition and a Content-ID. */
type Tree =
  | { leaf: string; disp: string | null; cid: number | null }
  | { multi: string; start: number | null; parts: Tree[]; disp: string | null; cid: number | null };

const leafArb = fc.record({
  leaf: fc.constantFrom(
    "text/plain",
    "text/html",
    "text/enriched",
    "image/png",
    "application/pdf",
    "message/rfc822",
  ),
  disp: fc.constantFrom(null, null, "attachment", "inline", "ATTACHMENT; filename=x"),
  cid: fc.option(fc.integer({ min: 1, max: 4 }), { nil: null }),
});
const treeArb: fc.Arbitrary<Tree> = fc.letrec<{ tree: Tree }>((tie) => ({
  tree: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    leafArb,
    fc.record({
      multi: fc.constantFrom("mixed", "alternative", "related", "related", "signed"),
      start: fc.option(fc.integer({ min: 1, max: 4 }), { nil: null }),
      parts: fc.array(tie("tree"), { maxLength: 4 }),
      disp: fc.constantFrom(null, null, "attachment"),
      cid: fc.option(fc.integer({ min: 1, max: 4 }), { nil: null }),
    }),
  ),
})).tree;

/** The message text of a tree (boundaries by depth and position, so they never collide). */
function render(t: Tree, path = "0"): string {
  const head: string[] = [];
  if (t.disp !== null) head.push(`Content-Disposition: ${t.disp}`);
  if (t.cid !== null) head.push(`Content-ID: <c${t.cid}@x>`);
  if ("leaf" in t) {
    if (t.leaf === "message/rfc822") {
      return [
        `Content-Type: message/rfc822`,
        ...head,
        "",
        "Subject: inner",
        "Content-Type: text/html",
        "",
        "<p>inner</p>",
        "",
      ].join("\n");
    }
    return [`Content-Type: ${t.leaf}`, ...head, "", `body of ${path}`, ""].join("\n");
  }
  const b = `b-${path}`;
  const start = t.start === null ? "" : `; start="<c${t.start}@x>"`;
  const out = [`Content-Type: multipart/${t.multi}; boundary="${b}"${start}`, ...head, ""];
  t.parts.forEach((p, i) => {
    out.push(`--${b}`, render(p, `${path}.${i}`));
  });
  out.push(`--${b}--`, "");
  return out.join("\n");
}

test("MIMEPart reading API agrees with python3 on generated multipart trees (fast-check)", async () => {
  const trees = fc.sample(treeArb, { seed: 20261207, numRuns: 300 });
  const cases = trees.map((t, i) => ({
    name: `tree ${i}`,
    data: Buffer.from(`Subject: t\n${render(t)}`).toString("base64"),
  }));
  const expected = await python<Record<string, unknown>>(PY, cases);
  const failures: string[] = [];
  for (const { name, data } of cases) {
    const got = dump(Buffer.from(data, "base64"));
    try {
      assert.deepEqual(got, expected[name]);
    } catch (e) {
      failures.push(
        `${name}: ${Buffer.from(data, "base64").toString()}\n${(e as Error).message.slice(0, 1500)}`,
      );
    }
  }
  assert.equal(
    failures.length,
    0,
    `${failures.length} of ${cases.length} differ:\n${failures.slice(0, 3).join("\n")}`,
  );
});
