/**
 * EmailMessage / MIMEPart and the raw data content manager against python3:
 * the same build programs (setContent, addAttachment, addAlternative,
 * addRelated, makeMixed/Alternative/Related, headers) run on both sides,
 * with policy default and SMTP, and the bytes written by asBytes() must
 * match, as must getContent() of every leaf. Boundaries are set by both
 * sides after the build (Python picks random ones).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import type { Policy } from "../../src/email/_policybase.js";
import { EmailMessage, type MIMEPart } from "../../src/email/mimepart.js";
import { defaultPolicy, SMTP } from "../../src/email/policy.js";
import { python } from "../_support/python.js";

/** Content given to setContent / addX: text, bytes (base64), or a message built by a sub-program. */
type Obj = { str: string } | { bytes: string } | { msg: Op[] };
/** One step of a build program. */
type Op =
  | ["set_content" | "add_attachment" | "add_alternative" | "add_related", Obj, Record<string, unknown>]
  | ["make_mixed" | "make_alternative" | "make_related"]
  | ["header", string, string];
interface Case {
  name: string;
  policy: "default" | "SMTP";
  ops: Op[];
}

const PY_BUILD = `
import sys, json, base64
from email.message import EmailMessage
from email import policy as P
def obj(o, pol):
    if 'str' in o: return o['str']
    if 'bytes' in o: return base64.b64decode(o['bytes'])
    return build(o['msg'], pol)
def build(ops, pol):
    m = EmailMessage(policy=pol)
    for op in ops:
        if op[0] == 'header': m[op[1]] = op[2]
        elif op[0].startswith('make_'): getattr(m, op[0])()
        else: getattr(m, op[0])(obj(op[1], pol), **op[2])
    return m
def content(p):
    c = p.get_content()
    if isinstance(c, str): return ['str', c]
    if isinstance(c, bytes): return ['bytes', base64.b64encode(c).decode()]
    return ['msg', base64.b64encode(c.as_bytes()).decode()]
def run(case):
    pol = getattr(P, case['policy'])
    try:
        m = build(case['ops'], pol)
        for i, p in enumerate(m.walk()):
            if p.get_content_maintype() == 'multipart': p.set_boundary('==b%d==' % i)
        contents = [content(p) for p in m.walk() if not p.is_multipart()]
        return dict(bytes=base64.b64encode(m.as_bytes()).decode(), contents=contents, string=m.as_string())
    except Exception as e:
        # Python's AttributeError (None.decode on a part with no payload) is netkit's TypeError.
        return dict(error='TypeError' if isinstance(e, AttributeError) else type(e).__name__)
print(json.dumps([run(c) for c in json.load(sys.stdin)]))
`;

const POLICIES: Record<Case["policy"], Policy> = {
  default: defaultPolicy,
  SMTP: SMTP,
};

function obj(o: Obj, policy: Policy): unknown {
  if ("str" in o) return o.str;
  if ("bytes" in o) return Buffer.from(o.bytes, "base64");
  return build(o.msg, policy);
}

function build(ops: Op[], policy: Policy): EmailMessage {
  const m = new EmailMessage(policy);
  for (const op of ops) {
    if (op[0] === "header") m.set(op[1], op[2]);
    else if (op[0] === "make_mixed") m.makeMixed();
    else if (op[0] === "make_alternative") m.makeAlternative();
    else if (op[0] === "make_related") m.makeRelated();
    else {
      const method = {
        set_content: "setContent",
        add_attachment: "addAttachment",
        add_alternative: "addAlternative",
        add_related: "addRelated",
      }[op[0]] as "setContent";
      const [, o, kw] = op as [string, Obj, Record<string, unknown>];
      m[method](obj(o, policy), kw);
    }
  }
  return m;
}

function content(p: MIMEPart): [string, string] {
  const c = p.getContent();
  if (typeof c === "string") return ["str", c];
  if (Buffer.isBuffer(c)) return ["bytes", c.toString("base64")];
  return ["msg", (c as MIMEPart).asBytes().toString("base64")];
}

function run(c: Case): unknown {
  try {
    const m = build(c.ops, POLICIES[c.policy]);
    let i = 0;
    for (const p of m.walk()) {
      if (p.getContentMaintype() === "multipart") p.setBoundary(`==b${i}==`);
      i++;
    }
    const contents = [...m.walk()].filter((p) => !p.isMultipart()).map(content);
    return { bytes: m.asBytes().toString("base64"), contents, string: m.asString() };
  } catch (e) {
    return { error: (e as Error).name };
  }
}

const b64 = (s: string | Buffer) => (typeof s === "string" ? Buffer.from(s, "latin1") : s).toString("base64");
const long = (s: string, n: number) => s.repeat(Math.ceil(n / s.length)).slice(0, n);
const lines = (s: string, n: number) => Array.from({ length: n }, (_, i) => `${s} ${i}`).join("\n");

const TEXTS: [string, string][] = [
  ["ascii short", "Hello, world.\n"],
  ["ascii no final newline", "Hello"],
  ["empty", ""],
  ["ascii long line", `${long("abcdefghij ", 200)}\n`],
  ["ascii CRLF", "one\r\ntwo\r\nthree\r\n"],
  ["latin-1 short", "Ça va, déjà vu.\n"],
  ["latin-1 long", `${long("Ça va, déjà vu. ", 300)}\n`],
  ["utf-8 mostly non-ASCII long", `${long("日本語のテキスト", 200)}\n`],
  ["utf-8 many lines", lines("ligne café", 30)],
  ["utf-8 many long lines", lines(long("naïve ", 120), 15)],
  ["ascii many long lines", lines(long("x", 100), 12)],
  ["trailing spaces", "a line with trailing spaces   \nand tab\t\n"],
  ["From line", "From here\nFrom there\n"],
  ["dot line", ".\n..\n"],
];

const CHARSETS = ["utf-8", "latin-1", "iso-8859-1", "ascii", "UTF-8"];
const CTES = [null, "7bit", "8bit", "quoted-printable", "base64"];

function cases(): Case[] {
  const out: Case[] = [];
  for (const policy of ["default", "SMTP"] as const) {
    for (const [tname, text] of TEXTS) {
      for (const charset of CHARSETS) {
        for (const cte of CTES) {
          const kw: Record<string, unknown> = { charset };
          if (cte !== null) kw.cte = cte;
          out.push({
            name: `text ${tname} ${charset} ${cte}`,
            policy,
            ops: [["set_content", { str: text }, kw]],
          });
        }
      }
      out.push({
        name: `text html ${tname}`,
        policy,
        ops: [["set_content", { str: text }, { subtype: "html", disposition: "inline", cid: "<c1@x>" }]],
      });
    }
    const datas: [string, Buffer][] = [
      ["empty", Buffer.alloc(0)],
      ["binary", Buffer.from(Array.from({ length: 700 }, (_, i) => (i * 37) % 256))],
      ["ascii lines", Buffer.from("line one\nline two\r\nline three =\n")],
      ["ascii long", Buffer.from(long("0123456789", 300))],
      ["png-ish", Buffer.from("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "latin1")],
    ];
    for (const [dname, data] of datas) {
      for (const cte of ["base64", "quoted-printable", "7bit", "8bit", "binary"]) {
        out.push({
          name: `bytes ${dname} ${cte}`,
          policy,
          ops: [
            ["set_content", { bytes: b64(data) }, { maintype: "application", subtype: "octet-stream", cte }],
          ],
        });
      }
      out.push({
        name: `bytes ${dname} image with filename and params`,
        policy,
        ops: [
          [
            "set_content",
            { bytes: b64(data) },
            {
              maintype: "image",
              subtype: "png",
              filename: "pic.png",
              params: { name: "pic.png" },
              cid: "<p@x>",
            },
          ],
        ],
      });
    }
    for (const filename of [
      "report.pdf",
      "café.pdf",
      "日本語.txt",
      "a b;c.txt",
      "x".repeat(90),
      `${"é".repeat(40)}.txt`,
    ]) {
      out.push({
        name: `attachment filename ${filename}`,
        policy,
        ops: [
          ["header", "Subject", "files"],
          ["set_content", { str: "See attached.\n" }, {}],
          [
            "add_attachment",
            { bytes: b64("%PDF-1.4 data") },
            { maintype: "application", subtype: "pdf", filename },
          ],
        ],
      });
    }
    out.push({
      name: "non-ASCII and long headers set by the program",
      policy,
      ops: [
        ["header", "Subject", "budget naïve the données réunion"],
        ["header", "From", "Jörg Müller <joerg@example.org>"],
        ["header", "X-Long", "word ".repeat(40)],
        ["set_content", { str: "x\n" }, {}],
      ],
    });
    out.push({
      name: "alternative then related then mixed",
      policy,
      ops: [
        ["header", "From", "a@example.com"],
        ["header", "To", "b@example.com"],
        ["header", "Subject", "hi"],
        ["set_content", { str: "plain body\n" }, {}],
        ["add_alternative", { str: "<p>html body</p>\n" }, { subtype: "html" }],
        ["add_attachment", { str: "notes\n" }, { filename: "notes.txt" }],
        [
          "add_attachment",
          { bytes: b64("GIF89a...") },
          { maintype: "image", subtype: "gif", filename: "x.gif" },
        ],
      ],
    });
    out.push({
      name: "related with inline image",
      policy,
      ops: [
        ["set_content", { str: '<img src="cid:img1@x">\n' }, { subtype: "html" }],
        ["add_related", { bytes: b64("GIF89a...") }, { maintype: "image", subtype: "gif", cid: "<img1@x>" }],
      ],
    });
    out.push({
      name: "make_mixed on empty then attachments",
      policy,
      ops: [
        ["make_mixed"],
        ["add_attachment", { str: "a\n" }, {}],
        ["add_attachment", { str: "b\n" }, { subtype: "html" }],
      ],
    });
    out.push({
      name: "make_related on mixed is an error",
      policy,
      ops: [["make_mixed"], ["make_related"]],
    });
    out.push({
      name: "make_mixed twice is an error",
      policy,
      ops: [["make_mixed"], ["make_mixed"]],
    });
    out.push({
      name: "set_content on multipart is an error",
      policy,
      ops: [["make_mixed"], ["set_content", { str: "x" }, {}]],
    });
    out.push({
      name: "bytes without a type is an error",
      policy,
      ops: [["set_content", { bytes: b64("x") }, {}]],
    });
    out.push({
      name: "7bit cte on non-ASCII text is an error",
      policy,
      ops: [["set_content", { str: "é" }, { cte: "7bit" }]],
    });
    out.push({
      name: "unknown cte is an error",
      policy,
      ops: [["set_content", { str: "x" }, { cte: "x-uue" }]],
    });
    const inner: Op[] = [
      ["header", "Subject", "inner"],
      ["set_content", { str: "inner body é\n" }, {}],
    ];
    out.push({ name: "message/rfc822", policy, ops: [["set_content", { msg: inner }, {}]] });
    out.push({
      name: "message/rfc822 attachment",
      policy,
      ops: [
        ["set_content", { str: "fwd\n" }, {}],
        ["add_attachment", { msg: inner }, {}],
      ],
    });
    out.push({
      name: "message/external-body",
      policy,
      ops: [
        ["set_content", { msg: [["header", "Content-Type", "text/plain"]] }, { subtype: "external-body" }],
      ],
    });
    out.push({
      name: "message/rfc822 with cte base64 is an error",
      policy,
      ops: [["set_content", { msg: inner }, { cte: "base64" }]],
    });
    out.push({
      name: "message/partial is an error",
      policy,
      ops: [["set_content", { msg: inner }, { subtype: "partial" }]],
    });
    out.push({
      name: "extra headers",
      policy,
      ops: [["set_content", { str: "x\n" }, { headers: ["X-One: 1", "X-Two:   two words"] }]],
    });
  }
  return out;
}

/** Runs `all` on both sides; every difference, with the case and both answers (and how many python3 built without error). */
async function differences(all: Case[]): Promise<string[] & { built?: number }> {
  const expected = await python<unknown[]>(PY_BUILD, all);
  const failures: string[] & { built?: number } = [];
  failures.built = expected.filter((e) => !(e as { error?: string }).error).length;
  all.forEach((c, i) => {
    const got = run(c);
    try {
      assert.deepEqual(got, expected[i]);
    } catch {
      const show = (v: unknown) => {
        const r = v as { bytes?: string };
        return r.bytes
          ? JSON.stringify(Buffer.from(r.bytes, "base64").toString("latin1"))
          : JSON.stringify(v);
      };
      failures.push(
        `${c.policy} ${c.name}\n  python: ${show(expected[i])}\n  netkit: ${show(got)}\n  program: ${JSON.stringify(c.ops).slice(0, 600)}`,
      );
    }
  });
  return failures;
}

test("EmailMessage builds the same bytes and contents as python3 (default and SMTP policies)", async () => {
  const all = cases();
  const failures = await differences(all);
  assert.equal(
    failures.length,
    0,
    `${failures.length} of ${all.length} differ:\n${failures.slice(0, 8).join("\n")}`,
  );
});

const textArb = fc.oneof(
  fc.string({ unit: "grapheme", maxLength: 200 }),
  fc
    .array(fc.constantFrom("abc", "déjà", "日本", " ", "\t", "\n", "\r\n", "=", ".", "x".repeat(50)), {
      maxLength: 40,
    })
    .map((a) => a.join("")),
);
const ctePick = fc.constantFrom<string | null>(null, null, "quoted-printable", "base64", "8bit");
const textObj = fc
  .record({ text: textArb, cte: ctePick, subtype: fc.constantFrom("plain", "html") })
  .map(({ text, cte, subtype }): [Obj, Record<string, unknown>] => {
    const kw: Record<string, unknown> = { subtype };
    if (cte !== null) kw.cte = cte;
    if (/^[\0-\xff]*$/.test(text) && text.length % 2 === 0) kw.charset = "latin-1";
    return [{ str: text }, kw];
  });
const bytesObj = fc
  .record({
    data: fc.uint8Array({ maxLength: 300 }),
    maintype: fc.constantFrom("application", "image", "audio", "video"),
    cte: fc.constantFrom("base64", "quoted-printable"),
    filename: fc.option(fc.constantFrom("a.bin", "rés umé.pdf", "x;y.txt"), { nil: undefined }),
    disposition: fc.option(fc.constantFrom("inline", "attachment"), { nil: undefined }),
  })
  .map(({ data, maintype, cte, filename, disposition }): [Obj, Record<string, unknown>] => {
    const kw: Record<string, unknown> = { maintype, subtype: "x-test", cte };
    if (filename !== undefined) kw.filename = filename;
    if (disposition !== undefined) kw.disposition = disposition;
    return [{ bytes: Buffer.from(data).toString("base64") }, kw];
  });
const addOp = fc
  .tuple(
    fc.constantFrom("add_attachment", "add_alternative", "add_related") as fc.Arbitrary<"add_attachment">,
    fc.oneof(textObj, bytesObj),
  )
  .map(([name, [o, kw]]): Op => [name, o, kw]);
const programArb = fc
  .tuple(
    fc.option(textObj, { nil: undefined }),
    fc.array(addOp, { maxLength: 4 }),
    fc.constantFrom<Case["policy"]>("default", "SMTP"),
  )
  .map(([first, adds, policy]): Case => {
    const ops: Op[] = [["header", "Subject", "generated"]];
    if (first !== undefined) ops.push(["set_content", first[0], first[1]]);
    ops.push(...adds);
    return { name: "generated", policy, ops };
  });

test("EmailMessage builds the same bytes as python3 for generated programs (fast-check)", async () => {
  const all = fc.sample(programArb, { seed: 20261207, numRuns: 300 });
  const failures = await differences(all);
  assert.equal(
    failures.length,
    0,
    `${failures.length} of ${all.length} differ:\n${failures.slice(0, 4).join("\n")}`,
  );
  // Most programs must build (an error on both sides agrees, but tests less).
  assert.ok((failures.built ?? 0) > all.length / 2, `only ${failures.built} of ${all.length} built`);
});

test("setContent() headers: python3's invalid headers are refused, valid ones kept (policy default)", async () => {
  const headers = [
    "X-Plain: value",
    "To: Bob <bob@example.org>",
    // ("To: not an address <" makes python3 3.11.7's parser throw IndexError; netkit's ValueError.)
    "To: @example.org",
    "Date: not a date",
    "Message-ID: <id@example.org>",
    "Content-Language: en",
  ];
  const all: Case[] = headers.map((h) => ({
    name: `header ${h}`,
    policy: "default",
    ops: [["set_content", { str: "x\n" }, { headers: [h] }]],
  }));
  const failures = await differences(all);
  assert.deepEqual([...failures], []);
  // at least one is refused and at least one kept, on both sides
  const results = all.map((c) => run(c) as { error?: string });
  assert.ok(results.some((r) => r.error === "ValueError") && results.some((r) => !r.error));
});
