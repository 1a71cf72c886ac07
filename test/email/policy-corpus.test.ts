/**
 * The modern policy on CPython 3.11's own email test messages
 * (Lib/test/test_email/data/msg_*.txt): each parsed with `policy.default`
 * gives, part by part, the same header text (str() of each header object)
 * and header defects as python3, and `as_bytes()` writes the same bytes;
 * the same again written with SMTP (CRLF) and SMTPUTF8; and a few
 * synthetic messages with 8-bit header bytes, long and broken headers.
 */
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { messageFromBytes } from "../../src/email/index.js";
import { defaultPolicy, SMTP, SMTPUTF8 } from "../../src/email/policy.js";
import { python } from "../_support/python.js";
import { PY_NEWER_FOLDER } from "./_py_newer.js";

const DATA = "/root/.pyenv/versions/3.11.7/lib/python3.11/test/test_email/data";
const dataDir = existsSync(DATA)
  ? DATA
  : await python<string>(
      "import test.test_email, os, json; print(json.dumps(os.path.join(os.path.dirname(test.test_email.__file__), 'data')))",
    );

const PY = `${PY_NEWER_FOLDER}
import sys, json, base64, email
from email import policy as P
out = {}
for case in json.load(sys.stdin):
    data = base64.b64decode(case['data'])
    try:
        m = email.message_from_bytes(data, policy=P.default)
        parts = [[[k, str(v), [type(d).__name__ for d in v.defects]] for k, v in p.items()] for p in m.walk()]
        res = {'parts': parts}
        for name, pol in (('default', P.default), ('SMTP', P.SMTP), ('SMTPUTF8', P.SMTPUTF8)):
            try:
                res[name] = base64.b64encode(m.as_bytes(policy=pol)).decode()
            except Exception as e:
                res[name] = 'ERROR ' + type(e).__name__
    except Exception as e:
        res = {'error': type(e).__name__}
    out[case['name']] = res
print(json.dumps(out))
`;

/** Messages (as Latin-1 byte strings) with what the test data lacks: 8-bit header bytes, long and broken headers. */
const SYNTHETIC: [string, string][] = [
  ["8bit-utf8", `From: J\xc3\xb6rg <j@example.com>\nTo: a@b.c\nSubject: caf\xc3\xa9 au lait\n\nbody\n`],
  [
    "8bit-latin1",
    `From: Andr\xe9 <a@example.com>\nSubject: \xe9t\xe9 et hiver, une tr\xe8s longue ligne de sujet qui doit \xeatre repli\xe9e\n\nbody\n`,
  ],
  [
    "long-headers",
    `To: ${Array.from({ length: 12 }, (_, i) => `Person Number ${i} <person.${i}@example.com>`).join(", ")}\nSubject: ${"word ".repeat(30)}\nX-Long: ${"x".repeat(120)}\n\nbody\n`,
  ],
  [
    "encoded-words",
    `Subject: =?utf-8?q?caf=C3=A9?= =?iso-8859-1?b?6XTp?= =?bogus?q?x?= =?utf-8?b?!!?=\nFrom: =?utf-8?q?J=C3=B6rg?= <j@x.y>\n\nbody\n`,
  ],
  [
    "mime-params",
    `MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8; name*=utf-8''%E2%82%AC%20${"long".repeat(20)}.txt\nContent-Disposition: attachment; filename*0*=utf-8''a%C3%A9; filename*1=b.txt\nContent-Transfer-Encoding: 8bit\n\nbody\n`,
  ],
  [
    "broken",
    `To: <broken, @@@, "unclosed\nDate: not a date\nMessage-ID: nope\nMIME-Version: x\nContent-Type: /\n\nbody\n`,
  ],
];

test("messageFromBytes(policy: defaultPolicy) agrees with python3 on every msg_*.txt: header text, header defects, asBytes() under default/SMTP/SMTPUTF8", async () => {
  const names = readdirSync(dataDir)
    .filter((n) => /^msg_.*\.txt$/.test(n))
    .sort();
  assert.ok(names.length >= 40, `found only ${names.length} test messages in ${dataDir}`);
  const cases = names.map((name) => ({ name, data: readFileSync(join(dataDir, name)).toString("base64") }));
  for (const [name, text] of SYNTHETIC)
    cases.push({ name, data: Buffer.from(text, "latin1").toString("base64") });
  const expected = await python<Record<string, Record<string, unknown>>>(PY, cases);
  const failures: string[] = [];
  for (const { name, data } of cases) {
    const want = expected[name]!;
    if (want.error) {
      failures.push(`${name}: python3 failed with ${want.error}`);
      continue;
    }
    const msg = messageFromBytes(Buffer.from(data, "base64"), { policy: defaultPolicy });
    const got: Record<string, unknown> = {
      parts: [...msg.walk()].map((p) =>
        p.rawItems().map(([k, v]) => {
          const h = defaultPolicy.headerFetchParse(k, v) as { defects?: readonly Error[] };
          return [k, String(h), (h.defects ?? []).map((d) => d.constructor.name)];
        }),
      ),
    };
    for (const [pname, pol] of [
      ["default", defaultPolicy],
      ["SMTP", SMTP],
      ["SMTPUTF8", SMTPUTF8],
    ] as const) {
      try {
        got[pname] = msg.asBytes({ policy: pol }).toString("base64");
      } catch (e) {
        got[pname] = `ERROR ${(e as Error).constructor.name}`;
      }
    }
    try {
      assert.deepEqual(got, want);
    } catch (e) {
      failures.push(`${name}: ${(e as Error).message.slice(0, 2500)}`);
    }
  }
  assert.deepEqual(failures, []);
});
