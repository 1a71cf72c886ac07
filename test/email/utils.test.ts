/**
 * email.utils, email.header, quoprimime and base64mime against python3:
 * tables of hand-picked cases and fast-check corpora, each batched into one
 * python3 run. parseaddr/getaddresses are compared with the strict parsing
 * of Python's later 3.11 security releases (gh-102988), which python3
 * 3.11.7 lacks: the python side runs that release's wrapper code over
 * 3.11.7's own address parser.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import * as base64mime from "../../src/email/base64mime.js";
import { decodeHeader, Header } from "../../src/email/header.js";
import * as quoprimime from "../../src/email/quoprimime.js";
import * as utils from "../../src/email/utils.js";
import { python } from "../_support/python.js";

const SEED = 20261207;

const PY_STRICT = `
import sys, json, base64, email.utils as U
from email._parseaddr import AddressList as _AddressList
def _iter_escaped_chars(addr):
    pos = 0
    escape = False
    for pos, ch in enumerate(addr):
        if escape:
            yield (pos, '\\\\' + ch)
            escape = False
        elif ch == '\\\\':
            escape = True
        else:
            yield (pos, ch)
    if escape:
        yield (pos, '\\\\')
def _strip_quoted_realnames(addr):
    if '"' not in addr:
        return addr
    start = 0
    open_pos = None
    result = []
    for pos, ch in _iter_escaped_chars(addr):
        if ch == '"':
            if open_pos is None:
                open_pos = pos
            else:
                if start != open_pos:
                    result.append(addr[start:open_pos])
                start = pos + 1
                open_pos = None
    if start < len(addr):
        result.append(addr[start:])
    return ''.join(result)
def _check_parenthesis(addr):
    addr = _strip_quoted_realnames(addr)
    opens = 0
    for pos, ch in _iter_escaped_chars(addr):
        if ch == '(':
            opens += 1
        elif ch == ')':
            opens -= 1
            if opens < 0:
                return False
    return (opens == 0)
def _pre(fields):
    return [v if _check_parenthesis(v) else "('', '')" for v in fields]
def _post(tuples):
    return [('', '') if '[' in v[1] else v for v in tuples]
def getaddresses(fieldvalues):
    fieldvalues = _pre([str(v) for v in fieldvalues])
    result = _post(_AddressList(', '.join(fieldvalues)).addresslist)
    n = 0
    for v in fieldvalues:
        n += 1 + _strip_quoted_realnames(v).count(',')
    if len(result) != n:
        return [('', '')]
    return result
def parseaddr(addr):
    addr = _pre([addr])[0]
    addrs = _post(_AddressList(addr).addresslist)
    if not addrs or len(addrs) > 1:
        return ('', '')
    return addrs[0]
`;

test("parseaddr() and getaddresses() agree with python3's strict parsing on a table and a generated corpus", async () => {
  const table = [
    "alice@example.com",
    "Alice <alice@example.com>",
    '"Smith, John" <john@example.com>',
    "alice@example.com <bob@example.com>",
    "John (comment) Doe <jd@example.com>",
    "(((a)) <x@y>",
    "a@b, c@d",
    "Group: a@b, c@d;",
    "<@route,@route2:user@host>",
    "user@[127.0.0.1]",
    "user@[127.0.0.1",
    '"quoted\\"name" <q@x>',
    "",
    "   ",
    "no at sign",
    "a@b (c) , d",
    "=?utf-8?q?J=C3=B6rg?= <j@x>",
    "a\\",
    '"unterminated <a@b>',
  ];
  const atoms = fc.constantFrom(
    "a",
    "b@c",
    "<",
    ">",
    "@",
    ",",
    "(",
    ")",
    '"',
    "\\",
    " ",
    ":",
    ";",
    ".",
    "[",
    "]",
    "x.y",
    "Name",
  );
  const corpus = fc.sample(
    fc.array(atoms, { maxLength: 12 }).map((a) => a.join("")),
    { numRuns: 600, seed: SEED },
  );
  const inputs = [...table, ...corpus];
  const expected = await python<{ p: [string, string][]; g: [string, string][][] }>(
    `${PY_STRICT}
cases = json.load(sys.stdin)
print(json.dumps({'p': [parseaddr(c) for c in cases], 'g': [getaddresses([c, 'x@y']) for c in cases]}))`,
    inputs,
  );
  for (const [i, input] of inputs.entries()) {
    assert.deepEqual(utils.parseaddr(input), expected.p[i], `parseaddr(${JSON.stringify(input)})`);
    assert.deepEqual(
      utils.getaddresses([input, "x@y"]),
      expected.g[i],
      `getaddresses([${JSON.stringify(input)}, 'x@y'])`,
    );
  }
});

test("formataddr(), quote(), unquote(), decodeRfc2231(), encodeRfc2231(), collapseRfc2231Value() agree with python3", async () => {
  const pairs: [string, string][] = [
    ["", "a@b"],
    ["Alice", "a@b"],
    ["Smith, John", "j@x"],
    ['Say "hi"', "s@x"],
    ["Jörg Müller", "j@x"],
    ["back\\slash", "b@x"],
    ["日本語の名前", "n@x"],
  ];
  const strings = ['"a\\"b"', "<x>", "plain", '"', "us-ascii'en'a%20b", "a'b", "''x", "%E2%82%AC"];
  const expected = await python<Record<string, unknown>>(
    `import sys, json, email.utils as U
d = json.load(sys.stdin)
print(json.dumps({
  'formataddr': [U.formataddr(tuple(p)) for p in d['pairs']],
  'quote': [U.quote(s) for s in d['strings']],
  'unquote': [U.unquote(s) for s in d['strings']],
  'decode': [list(U.decode_rfc2231(s)) for s in d['strings']],
  'encode': [U.encode_rfc2231(s, 'utf-8', 'en') for s in d['strings']] + [U.encode_rfc2231('a b')],
  'collapse': [U.collapse_rfc2231_value(('utf-8', '', '\\u00e2\\u0082\\u00ac')), U.collapse_rfc2231_value(('bogus-cs', '', '"x"')), U.collapse_rfc2231_value('"q"')],
}))`,
    { pairs, strings },
  );
  assert.deepEqual(
    pairs.map((p) => utils.formataddr(p)),
    expected.formataddr,
  );
  assert.deepEqual(strings.map(utils.quote), expected.quote);
  assert.deepEqual(strings.map(utils.unquote), expected.unquote);
  assert.deepEqual(strings.map(utils.decodeRfc2231), expected.decode);
  assert.deepEqual(
    [...strings.map((s) => utils.encodeRfc2231(s, "utf-8", "en")), utils.encodeRfc2231("a b")],
    expected.encode,
  );
  assert.deepEqual(
    [
      utils.collapseRfc2231Value(["utf-8", "", "\u00e2\u0082\u00ac"]),
      utils.collapseRfc2231Value(["bogus-cs", "", '"x"']),
      utils.collapseRfc2231Value('"q"'),
    ],
    expected.collapse,
  );
});

test("parsedateTz(), formatdate() and formatDatetime() agree with python3", async () => {
  const dates = [
    "Fri, 09 Nov 2001 01:08:47 -0000",
    "Thu, 01 Jan 1970 00:00:00 +0000",
    "Mon, 20 Nov 1995 19:12:08 -0500",
    "20 Nov 1995 19:12:08 EST",
    "Wed, 3 Mar 99 1:2:3 PDT",
    "Sunday, 06-Nov-94 08:49:37 GMT",
    "5 May 2001 12.30",
    "1 Feb 2001 12:30:45+0130",
    "garbage",
    "",
    "Tue, 31 Feb 2001 10:00:00 +0000",
    "Nov 5 2001 10:00 +0000",
    "5 Nov 2001, 10:00:00 +0000",
    "5 Nov 2001 10:00:00 XYZ",
  ];
  const times = [0, 1e9, 1234567890.5, 4102444800];
  const expected = await python<{ tz: unknown[]; fd: string[][]; dt: unknown[] }>(
    `import sys, json, email.utils as U, datetime
d = json.load(sys.stdin)
def to_dt(s):
    try:
        x = U.parsedate_to_datetime(s)
    except (ValueError, TypeError, IndexError, OverflowError):
        return None
    off = None if x.tzinfo is None else int(x.utcoffset().total_seconds())
    return [x.replace(tzinfo=datetime.timezone.utc).timestamp() - (off or 0), off]
print(json.dumps({
  'tz': [U.parsedate_tz(s) for s in d['dates']],
  'fd': [[U.formatdate(t), U.formatdate(t, usegmt=True)] for t in d['times']],
  'dt': [to_dt(s) for s in d['dates']],
}))`,
    { dates, times },
  );
  assert.deepEqual(
    dates.map((s) => utils.parsedateTz(s)),
    expected.tz,
  );
  assert.deepEqual(
    times.map((t) => [utils.formatdate(t), utils.formatdate(t, false, true)]),
    expected.fd,
  );
  for (const [i, s] of dates.entries()) {
    let got: unknown = null;
    try {
      const r = utils.parsedateToDatetime(s);
      got = [r.date.getTime() / 1000, r.utcoffset];
    } catch {}
    assert.deepEqual(got, expected.dt[i], `parsedateToDatetime(${JSON.stringify(s)})`);
  }
  assert.equal(utils.formatDatetime(new Date(0), { utcoffset: 3600 }), "Thu, 01 Jan 1970 01:00:00 +0100");
  assert.match(utils.makeMsgid("x", "example.org"), /^<\d+\.\d+\.\d+\.x@example\.org>$/);
});

test("decodeHeader() and Header.encode() agree with python3 on a table and a generated corpus", async () => {
  const raw = [
    "=?iso-8859-1?q?p=F6stal?=",
    "=?utf-8?b?SGVsbG8gV29ybGQ=?= =?utf-8?q?_again?=",
    "plain text",
    "a =?utf-8?q?b?= c",
    "=?UTF-8?B?w6k?=",
    "=?us-ascii?q?x?=\n =?us-ascii?q?y?=",
  ];
  const words = fc.constantFrom(
    "hello",
    "wörld",
    "日本",
    " ",
    "  ",
    ",",
    ";",
    "a-very-long-word-without-any-break-in-it-at-all",
    "x",
    "\t",
    "(",
    ")",
  );
  const texts = fc.sample(
    fc.array(words, { minLength: 1, maxLength: 25 }).map((a) => a.join("")),
    { numRuns: 300, seed: SEED },
  );
  const charsets = ["utf-8", "iso-8859-1", "us-ascii"];
  const expected = await python<{ dec: unknown[]; enc: string[] }>(
    `import sys, json
from email.header import decode_header, Header
d = json.load(sys.stdin)
def dec(s):
    return [[w if isinstance(w, str) else w.decode('latin-1'), c] for w, c in decode_header(s)]
def enc(t, cs, n):
    try:
        return Header(t, cs, header_name='Subject', maxlinelen=n).encode()
    except Exception as e:
        return 'ERROR ' + type(e).__name__
print(json.dumps({'dec': [dec(s) for s in d['raw']], 'enc': [enc(t, cs, n) for t in d['texts'] for cs in d['cs'] for n in (78, 40)]}))`,
    { raw, texts, cs: charsets },
  );
  assert.deepEqual(
    raw.map((s) => decodeHeader(s).map(([w, c]) => [typeof w === "string" ? w : w.toString("latin1"), c])),
    expected.dec,
  );
  let k = 0;
  for (const t of texts) {
    for (const cs of charsets) {
      for (const n of [78, 40]) {
        let got: string;
        try {
          got = new Header(t, cs, { headerName: "Subject", maxlinelen: n }).encode();
        } catch (e) {
          got = `ERROR ${(e as Error).name}`;
        }
        assert.equal(got, expected.enc[k], `Header(${JSON.stringify(t)}, ${cs}, maxlinelen=${n}).encode()`);
        k++;
      }
    }
  }
});

test("quoprimime and base64mime agree with python3 on generated bytes", async () => {
  const bodies = fc.sample(
    fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString("latin1")),
    { numRuns: 200, seed: SEED },
  );
  bodies.push("line one\nline two  \nx\t\n", "=".repeat(200), `${"a".repeat(75)} `, "trailing\r\n");
  const expected = await python<{ qp: string[]; qpd: string[]; b64: string[]; hq: string[] }>(
    `import sys, json, email.quoprimime as Q, email.base64mime as B
bodies = json.load(sys.stdin)
print(json.dumps({
  'qp': [Q.body_encode(b) for b in bodies] + [Q.body_encode(b, maxlinelen=10, eol='\\r\\n') for b in bodies],
  'qpd': [Q.decode(Q.body_encode(b)) for b in bodies] + [Q.decode(b) for b in bodies],
  'b64': [B.body_encode(b.encode('latin-1')) for b in bodies],
  'hq': [Q.header_encode(b.encode('latin-1'), 'iso-8859-1') + Q.header_decode(b) for b in bodies],
}))`,
    bodies,
  );
  assert.deepEqual(
    [
      ...bodies.map((b) => quoprimime.bodyEncode(b)),
      ...bodies.map((b) => quoprimime.bodyEncode(b, 10, "\r\n")),
    ],
    expected.qp,
  );
  assert.deepEqual(
    [
      ...bodies.map((b) => quoprimime.decode(quoprimime.bodyEncode(b))),
      ...bodies.map((b) => quoprimime.decode(b)),
    ],
    expected.qpd,
  );
  assert.deepEqual(
    bodies.map((b) => base64mime.bodyEncode(Buffer.from(b, "latin1"))),
    expected.b64,
  );
  assert.deepEqual(
    bodies.map(
      (b) => quoprimime.headerEncode(Buffer.from(b, "latin1"), "iso-8859-1") + quoprimime.headerDecode(b),
    ),
    expected.hq,
  );
});
