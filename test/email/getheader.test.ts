/**
 * `Message.getHeader` / `getAllHeaders`: Python's `msg[name]` and `get_all`
 * under the modern policy give header objects. Differential on CPython
 * 3.11's own email test messages (Lib/test/test_email/data/msg_*.txt) and a
 * few with address, date and MIME headers: for every header of every part,
 * the class, the text and each class's fields (addresses and groups, the
 * date and its offset, the content type and its parameters, the transfer
 * encoding, the MIME version) are python3's.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import {
  AddressHeader,
  type BaseHeader,
  ContentDispositionHeader,
  ContentTransferEncodingHeader,
  ContentTypeHeader,
  DateHeader,
  MIMEVersionHeader,
  ParameterizedMIMEHeader,
} from "../../src/email/headerregistry.js";
import { Header, Message, messageFromBytes, messageFromString } from "../../src/email/index.js";
import { compat32, defaultPolicy } from "../../src/email/policy.js";
import { pyTypeName } from "../../src/errors/index.js";
import { python } from "../_support/python.js";
import { PY_NEWER_FOLDER } from "./_py_newer.js";

const dataDir = await python<string>(
  "import test.test_email, os, json; print(json.dumps(os.path.join(os.path.dirname(test.test_email.__file__), 'data')))",
);

/** Messages (Latin-1 byte strings) with the header classes the test data has few of. */
const EXTRA: [string, string][] = [
  [
    "addresses",
    'From: "Doe, Jane" <jane@example.com>\nTo: Team: bob@example.com, =?utf-8?q?J=C3=B6rg?= <j@x.y>;, carol@example.org\nCc: undisclosed-recipients:;\nSender: <s@example.com>\nReply-To: broken <@@>\nTo: second@example.com\n\nbody\n',
  ],
  [
    "dates",
    "Date: Tue, 08 Dec 2026 01:02:03 +0530\nResent-Date: Mon, 7 Dec 2026 23:00:00 -0000\nResent-Date: not a date\nX-Date: Tue, 08 Dec 2026 01:02:03 +0000\n\nbody\n",
  ],
  [
    "mime",
    "MIME-Version: 1.0 (produced by x)\nContent-Type: multipart/mixed; boundary=\"b\"; charset*=utf-8''%E2%82%AC\nContent-Disposition: attachment; filename*0*=utf-8''a%C3%A9; filename*1=b.txt\nContent-Transfer-Encoding: Quoted-Printable\nMessage-ID: <a@b>\n\n--b\nContent-Type: text/plain\n\nx\n--b--\n",
  ],
];

const PY = `${PY_NEWER_FOLDER}
import sys, json, base64, email, calendar
from email import policy as P
def describe(h):
    d = {'cls': type(h).__name__.lstrip('_'), 'str': str(h)}
    if hasattr(h, 'addresses'):
        d['addresses'] = [[a.display_name, a.username, a.domain] for a in h.addresses]
        d['groups'] = [[g.display_name, len(g.addresses)] for g in h.groups]
    if hasattr(h, 'datetime'):
        dt = h.datetime
        if dt is None:
            d['datetime'] = None
        else:
            off = dt.utcoffset()
            ms = calendar.timegm(dt.utctimetuple()) * 1000 + dt.microsecond // 1000
            d['datetime'] = [ms, None if off is None else int(off.total_seconds())]
    if hasattr(h, 'params'):
        d['params'] = dict(h.params)
    if hasattr(h, 'content_type'):
        d['content_type'] = h.content_type
    if hasattr(h, 'content_disposition'):
        d['content_disposition'] = h.content_disposition
    if hasattr(h, 'cte'):
        d['cte'] = h.cte
    if hasattr(h, 'version'):
        d['version'] = [h.version, h.major, h.minor]
    return d
out = {}
for case in json.load(sys.stdin):
    m = email.message_from_bytes(base64.b64decode(case['data']), policy=P.default)
    parts = []
    for p in m.walk():
        names = list(dict.fromkeys(k.lower() for k in p.keys()))
        parts.append([[n, describe(p[n]), [describe(h) for h in p.get_all(n)]] for n in names])
    out[case['name']] = parts
print(json.dumps(out))
`;

/** What the Python side writes for one header object. */
function describe(h: BaseHeader): Record<string, unknown> {
  const d: Record<string, unknown> = { cls: pyTypeName(h), str: String(h) };
  if (h instanceof AddressHeader) {
    d.addresses = h.addresses.map((a) => [a.displayName, a.username, a.domain]);
    d.groups = h.groups.map((g) => [g.displayName, g.addresses.length]);
  }
  if (h instanceof DateHeader) {
    const dt = h.datetime;
    d.datetime = dt === null ? null : [dt.date.getTime(), dt.utcoffset];
  }
  if (h instanceof ParameterizedMIMEHeader) d.params = { ...h.params };
  if (h instanceof ContentTypeHeader) d.content_type = h.contentType;
  if (h instanceof ContentDispositionHeader) d.content_disposition = h.contentDisposition;
  if (h instanceof ContentTransferEncodingHeader) d.cte = h.cte;
  if (h instanceof MIMEVersionHeader) d.version = [h.version, h.major, h.minor];
  return d;
}

test("getHeader and getAllHeaders give python3's header objects under defaultPolicy, on every msg_*.txt", async () => {
  const names = readdirSync(dataDir)
    .filter((n) => /^msg_.*\.txt$/.test(n))
    .sort();
  assert.ok(names.length >= 40, `found only ${names.length} test messages in ${dataDir}`);
  const cases = names.map((name) => ({ name, data: readFileSync(join(dataDir, name)).toString("base64") }));
  for (const [name, text] of EXTRA)
    cases.push({ name, data: Buffer.from(text, "latin1").toString("base64") });
  const expected = await python<Record<string, unknown>>(PY, cases);
  const failures: string[] = [];
  let compared = 0;
  for (const { name, data } of cases) {
    const msg = messageFromBytes(Buffer.from(data, "base64"), { policy: defaultPolicy });
    const got = [...msg.walk()].map((part) =>
      [...new Set(part.keys().map((k) => k.toLowerCase()))].map((n) => {
        compared++;
        const first = part.getHeader(n) as BaseHeader;
        assert.equal(part.get(n), String(first), `${name}: get(${n}) is the object's text`);
        return [n, describe(first), part.getAllHeaders(n).map((h) => describe(h as BaseHeader))];
      }),
    );
    try {
      assert.deepEqual(got, expected[name]);
    } catch (e) {
      failures.push(`${name}: ${(e as Error).message.slice(0, 2000)}`);
    }
  }
  assert.deepEqual(failures, []);
  assert.ok(compared > 500, `${compared} headers compared`);
});

test("getHeader with a class types the result, and refuses a header of another class", () => {
  const msg = messageFromString(
    "To: a@example.com, B <b@example.com>\nSubject: hi\nDate: Tue, 08 Dec 2026 01:02:03 +0000\n\n",
    { policy: defaultPolicy },
  );
  assert.deepEqual(
    msg.getHeader("to", AddressHeader)?.addresses.map((a) => a.addrSpec),
    ["a@example.com", "b@example.com"],
  );
  assert.equal(msg.getHeader("Date", DateHeader)?.datetime?.date.toISOString(), "2026-12-08T01:02:03.000Z");
  assert.equal(msg.getHeader("X-Missing", AddressHeader), undefined);
  assert.deepEqual(msg.getAllHeaders("X-Missing"), []);
  assert.throws(
    () => msg.getHeader("Subject", AddressHeader),
    (e: Error & { code?: string }) =>
      e instanceof TypeError &&
      e.code === "ERR_INVALID_ARG_TYPE" &&
      /header Subject is UniqueUnstructuredHeader, not AddressHeader/.test(e.message),
  );
  assert.throws(() => msg.getAllHeaders("Subject", DateHeader), TypeError);
});

test("under compat32, getHeader gives the stored text or Header, as Python's msg[name] does", () => {
  const msg = messageFromString("To: a@example.com\nSubject: =?utf-8?q?caf=C3=A9?=\n\n", {
    policy: compat32,
  });
  assert.equal(msg.getHeader("subject"), "=?utf-8?q?caf=C3=A9?=");
  const built = new Message();
  built.set("Subject", new Header("café", "utf-8"));
  assert.ok(built.getHeader("Subject") instanceof Header);
  assert.deepEqual(msg.getAllHeaders("TO"), ["a@example.com"]);
  assert.throws(
    () => msg.getHeader("To", AddressHeader),
    (e: Error) => e instanceof TypeError && /text \(the policy makes no header objects\)/.test(e.message),
  );
});
