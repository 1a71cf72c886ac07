/**
 * The MIME classes against python3: a fast-check corpus of message trees
 * (text in several charsets, application data under each encoder, images
 * and sounds typed from their bytes, enclosed messages, nested multiparts
 * with preambles and epilogues, headers with non-ASCII text) is built by
 * both sides from one description and written out under compat32 and its
 * variants (CRLF, no folding, short lines, 7bit): the bytes must match.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { Compat32 } from "../../src/email/_policybase.js";
import { encode7or8bit, encodeBase64, encodeNoop, encodeQuopri } from "../../src/email/encoders.js";
import { MultipartConversionError } from "../../src/email/errors.js";
import type { Message } from "../../src/email/message.js";
import {
  MIMEApplication,
  MIMEAudio,
  MIMEImage,
  MIMEMessage,
  MIMEMultipart,
  MIMEText,
  whatAudio,
  whatImage,
} from "../../src/email/mime/index.js";
import { python } from "../_support/python.js";

const SEED = 20261207;

type Node =
  | { kind: "text"; text: string; subtype: string; charset: string | null; headers: [string, string][] }
  | { kind: "app"; data: string; subtype: string; encoder: string; headers: [string, string][] }
  | { kind: "image"; data: string; headers: [string, string][] }
  | { kind: "audio"; data: string; headers: [string, string][] }
  | { kind: "message"; child: Node; headers: [string, string][] }
  | {
      kind: "multipart";
      subtype: string;
      boundary: string;
      parts: Node[];
      preamble: string | null;
      epilogue: string | null;
      headers: [string, string][];
    };

const PY_BUILD = `
import sys, json, base64
from email import encoders
from email.mime.text import MIMEText
from email.mime.application import MIMEApplication
from email.mime.image import MIMEImage
from email.mime.audio import MIMEAudio
from email.mime.message import MIMEMessage
from email.mime.multipart import MIMEMultipart
from email.policy import compat32
ENC = {'base64': encoders.encode_base64, 'quopri': encoders.encode_quopri, '7or8bit': encoders.encode_7or8bit, 'noop': encoders.encode_noop}
def build(n):
    k = n['kind']
    if k == 'text':
        m = MIMEText(n['text'], n['subtype'], n['charset'])
    elif k == 'app':
        m = MIMEApplication(base64.b64decode(n['data']), n['subtype'], ENC[n['encoder']])
    elif k == 'image':
        m = MIMEImage(base64.b64decode(n['data']))
    elif k == 'audio':
        m = MIMEAudio(base64.b64decode(n['data']))
    elif k == 'message':
        m = MIMEMessage(build(n['child']))
    else:
        m = MIMEMultipart(n['subtype'], n['boundary'], [build(p) for p in n['parts']])
        m.preamble = n['preamble']
        m.epilogue = n['epilogue']
    for h, v in n['headers']:
        m[h] = v
    return m
POLICIES = [compat32, compat32.clone(linesep='\\r\\n'), compat32.clone(max_line_length=0), compat32.clone(max_line_length=40), compat32.clone(cte_type='7bit')]
def out(n):
    res = []
    for p in POLICIES:
        try:
            res.append(base64.b64encode(build(n).as_bytes(policy=p)).decode())
        except Exception as e:
            res.append('ERROR ' + type(e).__name__)
    try:
        res.append(build(n).as_string())
    except Exception as e:
        res.append('ERROR ' + type(e).__name__)
    return res
print(json.dumps([out(n) for n in json.load(sys.stdin)]))
`;

const ENCODERS: Record<string, (m: Message) => void> = {
  base64: encodeBase64,
  quopri: encodeQuopri,
  "7or8bit": encode7or8bit,
  noop: encodeNoop,
};

function build(n: Node): Message {
  let m: Message;
  if (n.kind === "text") m = new MIMEText(n.text, n.subtype, n.charset);
  else if (n.kind === "app")
    m = new MIMEApplication(Buffer.from(n.data, "base64"), n.subtype, ENCODERS[n.encoder]);
  else if (n.kind === "image") m = new MIMEImage(Buffer.from(n.data, "base64"));
  else if (n.kind === "audio") m = new MIMEAudio(Buffer.from(n.data, "base64"));
  else if (n.kind === "message") m = new MIMEMessage(build(n.child));
  else if (n.kind === "multipart") {
    m = new MIMEMultipart(n.subtype, n.boundary, n.parts.map(build));
    m.preamble = n.preamble;
    m.epilogue = n.epilogue;
  } else throw new Error("unknown node");
  for (const [h, v] of n.headers) m.set(h, v);
  return m;
}

const POLICIES = [
  new Compat32(),
  new Compat32({ linesep: "\r\n" }),
  new Compat32({ maxLineLength: 0 }),
  new Compat32({ maxLineLength: 40 }),
  new Compat32({ cteType: "7bit" }),
];

function out(n: Node): string[] {
  const res: string[] = [];
  for (const policy of POLICIES) {
    try {
      res.push(build(n).asBytes({ policy }).toString("base64"));
    } catch (e) {
      res.push(`ERROR ${(e as Error).name}`);
    }
  }
  try {
    res.push(build(n).asString());
  } catch (e) {
    res.push(`ERROR ${(e as Error).name}`);
  }
  return res;
}

const words = fc.constantFrom(
  "hello",
  "wörld",
  "naïve café",
  "日本語",
  "From me",
  "a",
  " ",
  "\n",
  "\r\n",
  "line\twith tab ",
  "=",
  ".",
  "€",
  "long-word-".repeat(9),
);
const text = fc.array(words, { maxLength: 20 }).map((a) => a.join(""));
const headerValue = fc
  .array(fc.constantFrom("Re:", "hello", "wörld", "x,y;z", " ", "a-rather-long-subject-word", "日本"), {
    minLength: 1,
    maxLength: 12,
  })
  .map((a) => a.join(" "));
const headers = fc.array(fc.tuple(fc.constantFrom("Subject", "X-Note", "Comments"), headerValue), {
  maxLength: 2,
});
const MAGIC = [
  "\x89PNG\r\n\x1a\n",
  "GIF89a",
  "\xff\xd8\xff\xdb",
  "BM",
  "P6\n",
  "#define x",
  "RIFF\0\0\0\0WEBP",
];
const AUDIO = [".snd", "FORM\0\0\0\0AIFF", "RIFF\0\0\0\0WAVEfmt "];
const bytes = fc.uint8Array({ maxLength: 200 });

const leaf: fc.Arbitrary<Node> = fc.oneof(
  fc.record({
    kind: fc.constant("text" as const),
    text,
    subtype: fc.constantFrom("plain", "html"),
    charset: fc.constantFrom(null, "utf-8", "iso-8859-1", "us-ascii"),
    headers,
  }),
  fc.record({
    kind: fc.constant("app" as const),
    data: bytes.map((b) => Buffer.from(b).toString("base64")),
    subtype: fc.constantFrom("octet-stream", "pdf"),
    encoder: fc.constantFrom("base64", "quopri", "7or8bit", "noop"),
    headers,
  }),
  fc.record({
    kind: fc.constant("image" as const),
    data: fc
      .tuple(fc.constantFrom(...MAGIC), bytes)
      .map(([m, b]) => Buffer.concat([Buffer.from(m, "latin1"), b]).toString("base64")),
    headers,
  }),
  fc.record({
    kind: fc.constant("audio" as const),
    data: fc
      .tuple(fc.constantFrom(...AUDIO), bytes)
      .map(([m, b]) => Buffer.concat([Buffer.from(m, "latin1"), b]).toString("base64")),
    headers,
  }),
);

const tree = fc.letrec<{ node: Node }>((tie) => ({
  node: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    leaf,
    fc.record({ kind: fc.constant("message" as const), child: tie("node"), headers }),
    fc.record({
      kind: fc.constant("multipart" as const),
      subtype: fc.constantFrom("mixed", "alternative", "related", "signed"),
      boundary: fc.constantFrom("BOUNDARY", "===b==", "x y"),
      parts: fc.array(tie("node"), { maxLength: 3 }),
      preamble: fc.option(text, { nil: null }),
      epilogue: fc.option(text, { nil: null }),
      headers,
    }),
  ),
})).node;

test("the MIME classes serialise to python3's bytes under compat32 and its variants (fast-check corpus)", async () => {
  const corpus = fc.sample(tree, { numRuns: 300, seed: SEED });
  const expected = await python<string[][]>(PY_BUILD, corpus, 120_000);
  for (const [i, n] of corpus.entries()) {
    assert.deepEqual(out(n), expected[i], `message ${JSON.stringify(n)}`);
  }
});

test("whatImage() and whatAudio() find the types python3 finds for CPython's test images and sounds", async () => {
  const files = await python<Record<string, [string, string | null]>>(
    `import json, os, base64, test.test_email as t
from email.mime.image import _what as wi
from email.mime.audio import _what as wa
d = os.path.join(os.path.dirname(t.__file__), 'data')
out = {}
for n in sorted(os.listdir(d)):
    if n.startswith(('python.', 'sndhdr.')):
        b = open(os.path.join(d, n), 'rb').read()
        out[n] = [base64.b64encode(b).decode(), wi(b) if n.startswith('python.') else wa(b)]
print(json.dumps(out))`,
  );
  assert.ok(Object.keys(files).length >= 15);
  for (const [name, [data, type]] of Object.entries(files)) {
    const b = Buffer.from(data, "base64");
    assert.equal(name.startsWith("python.") ? whatImage(b) : whatAudio(b), type, name);
  }
});

test("MIMENonMultipart.attach() throws MultipartConversionError; MIMEImage() without a known type throws TypeError", () => {
  assert.throws(() => new MIMEText("x").attach(new MIMEText("y")), MultipartConversionError);
  assert.throws(() => new MIMEImage(Buffer.from("not an image")), TypeError);
  assert.throws(() => new MIMEAudio(Buffer.from("not a sound")), TypeError);
});

test("encodeQuopri() and encodeBase64() agree with python3 on generated bytes (long lines, CRLF, trailing blanks, dots)", async () => {
  const pieces = fc.constantFrom("a", " ", "\t", ".", "\n", "\r\n", "=", "\xe9", "\0", "x".repeat(70), "_");
  const corpus = fc.sample(
    fc.oneof(
      fc.array(pieces, { maxLength: 40 }).map((a) => Buffer.from(a.join(""), "latin1")),
      fc.uint8Array({ maxLength: 400 }).map((b) => Buffer.from(b)),
    ),
    { numRuns: 400, seed: SEED },
  );
  const expected = await python<string[][]>(
    `import sys, json, base64
from email.mime.application import MIMEApplication
from email import encoders
print(json.dumps([[MIMEApplication(base64.b64decode(d), _encoder=e).get_payload() for e in (encoders.encode_quopri, encoders.encode_base64)] for d in json.load(sys.stdin)]))`,
    corpus.map((b) => b.toString("base64")),
  );
  for (const [i, b] of corpus.entries()) {
    assert.deepEqual(
      [
        new MIMEApplication(b, "octet-stream", encodeQuopri).getPayload(),
        new MIMEApplication(b).getPayload(),
      ],
      expected[i],
      `bytes ${JSON.stringify(b.toString("latin1"))}`,
    );
  }
});
