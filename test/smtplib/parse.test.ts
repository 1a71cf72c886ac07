/**
 * The pure parts of netkit/smtplib: quoteaddr, addrOnly and the EHLO
 * feature parser, differentially against python3's smtplib; the SASL
 * responses against python3's and RFC 2195's example.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { cramMd5Response, decodeChallenge, encodeResponse, plainResponse } from "../../src/smtplib/auth.js";
import { addrOnly, parseEhloFeatures, quoteaddr } from "../../src/smtplib/parse.js";
import { python } from "../_support/python.js";

/** Addresses as users write them, and the corners smtplib meets. */
const ADDRESSES = [
  "a@b.c",
  "<a@b.c>",
  "Name <a@b.c>",
  '"Q, N" <a@b.c>',
  "a@b.c (Comment)",
  "(c) a@b.c",
  "a(x)@b.c",
  "<>",
  "",
  " a@b.c ",
  "a @ b.c",
  "<a @ b . c>",
  "x",
  "postmaster",
  "a@b.c, d@e.f",
  "<a@b.c>, <d@e>",
  "a@b.c,",
  "a@b.c;",
  "g: a@b.c;",
  "Name <a@b.c",
  "<a@b.c",
  "a@b.c>",
  "<a@b.c> trailing",
  "@route:a@b.c",
  "<@r1,@r2:a@b.c>",
  '"quoted local"@b.c',
  '"a\\"b"@c',
  '""@x',
  "José <j@ex.ámple>",
  "ü@ex.ample",
  "a.b.c@d",
  "a..b@c",
  "a.@b",
  "[1.2.3.4]",
  "a@[127.0.0.1]",
  "John Smith",
  "Name <>",
  "\t",
  "Jane Doe <jane.doe+tag@example.org>",
];

test("quoteaddr() and addrOnly() answer as python3's smtplib", async () => {
  const expected = await python<[string, string][]>(
    "import json, sys, smtplib\n" +
      "print(json.dumps([[smtplib.quoteaddr(a), smtplib._addr_only(a)] for a in json.load(sys.stdin)]))",
    ADDRESSES,
  );
  const failures: string[] = [];
  ADDRESSES.forEach((a, i) => {
    const got = [quoteaddr(a), addrOnly(a)];
    if (JSON.stringify(got) !== JSON.stringify(expected[i]))
      failures.push(
        `quoteaddr/addrOnly(${JSON.stringify(a)})\n  python: ${JSON.stringify(expected[i])}\n  netkit: ${JSON.stringify(got)}`,
      );
  });
  assert.deepEqual(failures, []);
});

/** EHLO reply texts (lines joined by \n, as getreply joins them). */
const EHLO_TEXTS = [
  "mx.example\nPIPELINING\nSIZE 10240000\n8BITMIME\nSMTPUTF8",
  "mx\nAUTH PLAIN LOGIN\nAUTH=CRAM-MD5 DIGEST-MD5",
  "mx\nAUTH=LOGIN\nauth cram-md5",
  "mx\nSTARTTLS\nENHANCEDSTATUSCODES\nDSN\nX-EXTENSION   with  params  ",
  "mx\n-bad\n\nHELP",
  "only a greeting",
  "mx\nsize\nSIZE 100",
  "mx\nX_UNDERSCORE\nÿFEATURE",
];

test("parseEhloFeatures() gives python3's esmtp_features", async () => {
  const expected = await python<[string, string][][]>(
    "import json, sys, smtplib\n" +
      "out = []\n" +
      "for text in json.load(sys.stdin):\n" +
      "    s = smtplib.SMTP()\n" +
      "    s.putcmd = lambda *a: None\n" +
      "    s.getreply = lambda t=text: (250, t.encode('latin-1'))\n" +
      "    s.ehlo('x')\n" +
      "    out.append(list(s.esmtp_features.items()))\n" +
      "print(json.dumps(out))",
    EHLO_TEXTS,
  );
  EHLO_TEXTS.forEach((text, i) => {
    const got = [...parseEhloFeatures(Buffer.from(text, "latin1"))];
    assert.deepEqual(got, expected[i], `parseEhloFeatures(${JSON.stringify(text)})`);
  });
});

test("cramMd5Response() answers RFC 2195's example", () => {
  const challenge = Buffer.from("<1896.697170952@postoffice.reston.mci.net>");
  assert.equal(cramMd5Response("tim", "tanstaaftanstaaf", challenge), "tim b913a602c7eda7a495b4e6e7334d3890");
});

test("plainResponse() and encodeResponse() send what python3's auth_plain sends", async () => {
  const cases: [string, string][] = [
    ["user", "pass"],
    ["user@example.org", "p a:s\\s"],
  ];
  const expected = await python<string[]>(
    "import json, sys, smtplib\n" +
      "from email.base64mime import body_encode\n" +
      "out = []\n" +
      "for u, p in json.load(sys.stdin):\n" +
      "    s = smtplib.SMTP(); s.user, s.password = u, p\n" +
      "    out.append(body_encode(s.auth_plain().encode('ascii'), eol=''))\n" +
      "print(json.dumps(out))",
    cases,
  );
  for (const [i, [u, p]] of cases.entries()) assert.equal(encodeResponse(plainResponse(u, p)), expected[i]);
});

test("decodeChallenge() skips characters outside base64, as base64.decodebytes does", () => {
  assert.equal(decodeChallenge(Buffer.from("VXNl\r\ncm5hbWU6 ")).toString(), "Username:");
  assert.equal(decodeChallenge(Buffer.from("")).length, 0);
});
