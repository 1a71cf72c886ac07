/**
 * Mail in the East Asian charsets against python3: messages in iso-2022-jp,
 * shift_jis, euc-jp, gb2312, gbk, gb18030, big5, euc-kr, ks_c_5601-1987
 * (Python's name for cp949), iso-2022-kr, hz-gb-2312 and johab, with 7bit, 8bit, base64 and quoted-printable
 * bodies (some with bytes the charset cannot decode) and RFC 2047 subjects in
 * "B" and "Q" words, are written by python3 and read by both: the parsed
 * payload (`getPayload()`, which decodes 8-bit text with the part's charset,
 * replacing what it cannot), the decoded payload bytes, the subject through
 * `decodeHeader` and `makeHeader`, and a text re-encoded through
 * `Header(text, charset)` must all match.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { lookupCodec } from "../../src/_codecs.js";
import { decodeHeader, Header, makeHeader } from "../../src/email/header.js";
import { messageFromBytes } from "../../src/email/index.js";
import { hasCommand, peerSkip } from "../_support/peers.js";
import { python } from "../_support/python.js";

const skip = peerSkip("python3", hasCommand("python3"));
const SEED = 20261207;

/** A charset as mail names it, and the texts its writers use. */
const CHARSETS = [
  "iso-2022-jp",
  "shift_jis",
  "euc-jp",
  "gb2312",
  "gbk",
  "gb18030",
  "big5",
  "euc-kr",
  "ks_c_5601-1987",
  "iso-2022-kr",
  "hz-gb-2312",
  "johab",
];
const ENCODINGS = ["8bit", "base64", "quoted-printable", "7bit"];

interface Case {
  charset: string;
  cte: string;
  text: string;
  subject: string;
  /** Bytes (hex) appended to the encoded body: what the charset cannot decode. */
  junk: string;
}

interface Outcome {
  raw: string;
  payload: string;
  decoded: string;
  subject: [string, string | null][];
  made: string;
  encoded: string | null;
}

const PY = `
import base64, json, quopri, sys
from email import message_from_bytes
from email.header import Header, decode_header, make_header
def run(c):
    body = c['text'].encode(c['charset'], 'replace') + bytes.fromhex(c['junk'])
    if c['cte'] == 'base64':
        wire = base64.encodebytes(body)
    elif c['cte'] == 'quoted-printable':
        wire = quopri.encodestring(body)
    else:
        wire = body
    sb = c['subject'].encode(c['charset'], 'replace')
    subject = '=?%s?B?%s?= =?%s?Q?%s?=' % (c['charset'], base64.b64encode(sb).decode(), c['charset'],
        ''.join(chr(b) if 48 <= b < 58 or 65 <= b < 91 or 97 <= b < 123 else '=%02X' % b for b in sb))
    raw = (b'From: a@example.com\\nSubject: ' + subject.encode() + b'\\nMIME-Version: 1.0\\n'
           b'Content-Type: text/plain; charset="' + c['charset'].encode() + b'"\\n'
           b'Content-Transfer-Encoding: ' + c['cte'].encode() + b'\\n\\n' + wire)
    m = message_from_bytes(raw)
    chunks = decode_header(m['Subject'])
    try:
        encoded = Header(c['subject'], c['charset']).encode()
    except Exception as e:
        encoded = None
    return {'raw': raw.hex(), 'payload': m.get_payload(), 'decoded': m.get_payload(decode=True).hex(),
            'subject': [[s.hex() if isinstance(s, bytes) else s, cs] for s, cs in chunks],
            'made': made(chunks), 'encoded': encoded}
def made(chunks):
    try:
        return str(make_header(chunks))
    except Exception as e:
        return '%s: %s' % (type(e).__name__, e)
print(json.dumps([run(c) for c in json.load(sys.stdin)]))
`;

function netkit(c: Case, raw: Buffer): Outcome {
  const m = messageFromBytes(raw);
  const chunks = decodeHeader(m.get("Subject")!);
  let encoded: string | null;
  try {
    encoded = new Header(c.subject, c.charset).encode();
  } catch {
    encoded = null;
  }
  return {
    raw: raw.toString("hex"),
    payload: m.getPayload() as string,
    decoded: (m.getPayload({ decode: true }) as Buffer).toString("hex"),
    subject: chunks.map(([s, cs]) => [typeof s === "string" ? s : Buffer.from(s).toString("hex"), cs]),
    made: made(chunks),
    encoded,
  };
}

/** The header `makeHeader` builds, as text, or the error it throws. */
function made(chunks: ReturnType<typeof decodeHeader>): string {
  try {
    return String(makeHeader(chunks));
  } catch (e) {
    return `${(e as Error).name}: ${(e as Error).message}`;
  }
}

const range = (lo: number, hi: number) => fc.integer({ min: lo, max: hi }).map((c) => String.fromCharCode(c));
/** Text as the writers of these charsets write it: kana, ideographs, Hangul, full-width forms, ASCII. */
const TEXT = fc
  .array(
    fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom("a", "Z", " ", "\n", "=", "?", "-", "1") },
      { weight: 3, arbitrary: range(0x3041, 0x30f6) },
      { weight: 4, arbitrary: range(0x4e00, 0x9fa5) },
      { weight: 3, arbitrary: range(0xac00, 0xd7a3) },
      { weight: 1, arbitrary: range(0xff01, 0xff5e) },
      { weight: 1, arbitrary: fc.constantFrom("。", "、", "「", "」", "〒", "©", "é") },
    ),
    { minLength: 1, maxLength: 24 },
  )
  .map((a) => a.join(""));
const JUNK = fc.oneof(
  { weight: 4, arbitrary: fc.constant("") },
  {
    weight: 1,
    arbitrary: fc
      .array(fc.integer({ min: 0x80, max: 0xff }), { minLength: 1, maxLength: 3 })
      .map((b) => Buffer.from(b).toString("hex")),
  },
);

test("mail in the East Asian charsets reads as python3 reads it", { skip, timeout: 600_000 }, async () => {
  const samples = fc.sample(fc.tuple(TEXT, TEXT, JUNK), { numRuns: 180, seed: SEED });
  const cases: Case[] = [
    // Plain greetings, one per language.
    {
      charset: "iso-2022-jp",
      cte: "7bit",
      text: "こんにちは、世界。\n日本語のメール",
      subject: "件名のテスト",
      junk: "",
    },
    { charset: "shift_jis", cte: "8bit", text: "ｶﾀｶﾅと漢字～", subject: "お知らせ", junk: "" },
    { charset: "gb2312", cte: "base64", text: "你好，世界", subject: "中文邮件", junk: "" },
    { charset: "big5", cte: "quoted-printable", text: "繁體中文郵件", subject: "測試", junk: "" },
    { charset: "euc-kr", cte: "8bit", text: "안녕하세요 세계", subject: "한국어 제목", junk: "" },
    { charset: "iso-2022-kr", cte: "7bit", text: "안녕하세요, 세계\n한국어 메일", subject: "제목", junk: "" },
    { charset: "hz-gb-2312", cte: "7bit", text: "你好，世界~\n中文邮件", subject: "中文", junk: "" },
  ];
  samples.forEach(([text, subject, junk], i) => {
    const charset = CHARSETS[i % CHARSETS.length]!;
    const cte = ENCODINGS[Math.floor(i / CHARSETS.length) % ENCODINGS.length]!;
    cases.push({ charset, cte, text, subject, junk: cte === "7bit" ? "" : junk });
  });
  const expected = await python<Outcome[]>(PY, cases, 300_000);
  const report: string[] = [];
  cases.forEach((c, i) => {
    const want = expected[i]!;
    const got = netkit(c, Buffer.from(want.raw, "hex"));
    try {
      assert.deepStrictEqual(got, want);
    } catch {
      if (report.length < 5) {
        report.push(
          `${JSON.stringify(c)}\n   python: ${JSON.stringify(want)}\n   netkit: ${JSON.stringify(got)}`,
        );
      }
    }
  });
  assert.deepEqual(report, []);
  // The cases reach what they are for: replaced bytes in payloads, and non-ASCII subjects.
  assert.ok(
    expected.filter((e) => e.payload.includes("\ufffd")).length > 5,
    "payloads with undecodable bytes",
  );
  assert.ok(expected.filter((e) => [...e.made].some((ch) => ch > "\x7f")).length > 100, "decoded subjects");
});

test("a message in iso-2022-kr, hz-gb-2312 or johab gives its text through its charset", () => {
  const cases: [string, string, string][] = [
    [
      "iso-2022-kr",
      "1b242943 0e3e483367474f3c3c3f640f 2c20 0e3c3c30680f 0a 0e475131393e6e0f 20 0e385e404f0f",
      "안녕하세요, 세계\n한국어 메일",
    ],
    [
      "hz-gb-2312",
      "7e7b44633a4323 2c4a403d677e7d 7e7e 0a 7e7b56504e4453 4a3c7e7e7d",
      "你好，世界~\n中文邮件",
    ],
    ["johab", "d065 20 61", "한 a"],
  ];
  for (const [charset, hex, text] of cases) {
    const raw = Buffer.concat([
      Buffer.from(`Content-Type: text/plain; charset="${charset}"\nContent-Transfer-Encoding: 8bit\n\n`),
      Buffer.from(hex.replaceAll(" ", ""), "hex"),
    ]);
    const m = messageFromBytes(raw);
    assert.equal(m.getContentCharset(), charset);
    const body = m.getPayload({ decode: true }) as Buffer;
    assert.equal(lookupCodec(m.getContentCharset()!).decode(body, "strict"), text, charset);
  }
});
