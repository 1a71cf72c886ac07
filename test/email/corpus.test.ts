/**
 * Agreement with python3 on CPython 3.11's own email test messages
 * (Lib/test/test_email/data/msg_*.txt): each parses to the same tree
 * (types, parameters, decoded payload bytes, defects) and is written back
 * to the same bytes and text under compat32; the same again with every
 * line end made CRLF.
 */
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { messageFromBytes } from "../../src/email/index.js";
import { python } from "../_support/python.js";
import { dumpMessage, PY_DUMP } from "./_dump.js";

const DATA = "/root/.pyenv/versions/3.11.7/lib/python3.11/test/test_email/data";
const dataDir = existsSync(DATA)
  ? DATA
  : await python<string>(
      "import test.test_email, os, json; print(json.dumps(os.path.join(os.path.dirname(test.test_email.__file__), 'data')))",
    );

test("messageFromBytes() agrees with python3 on every msg_*.txt of CPython's test data (LF and CRLF)", async () => {
  const names = readdirSync(dataDir)
    .filter((n) => /^msg_.*\.txt$/.test(n))
    .sort();
  assert.ok(names.length >= 40, `found only ${names.length} test messages in ${dataDir}`);
  const cases: { name: string; data: string }[] = [];
  for (const name of names) {
    const bytes = readFileSync(join(dataDir, name));
    cases.push({ name, data: bytes.toString("base64") });
    const crlf = Buffer.from(bytes.toString("latin1").replace(/\r?\n/g, "\r\n"), "latin1");
    cases.push({ name: `${name} (CRLF)`, data: crlf.toString("base64") });
  }
  const expected = await python<Record<string, unknown>>(PY_DUMP, cases);
  const failures: string[] = [];
  for (const { name, data } of cases) {
    const bytes = Buffer.from(data, "base64");
    const got = dumpMessage(() => messageFromBytes(bytes));
    try {
      assert.deepEqual(got, expected[name]);
    } catch (e) {
      failures.push(`${name}: ${(e as Error).message.slice(0, 3000)}`);
    }
  }
  assert.deepEqual(failures, []);
});
