/**
 * `data:` URLs with `;base64` (Python's `DataHandler`, which decodes with
 * `base64.decodebytes`: binascii's lenient `a2b_base64`). The answers are
 * python3 3.11's; test/conformance/urllib-request.test.ts compares
 * generated URLs with python3 itself.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { BinasciiError } from "../../src/_binascii.js";
import { ValueError } from "../../src/errors/index.js";
import { urlopen } from "../../src/urllib/request.js";

const read = async (url: string) => (await urlopen(url)).read();

test("urlopen() decodes data: base64 leniently, as python3: junk skipped, a pad ends the data only where it completes a group", async () => {
  const cases: Array<[string, string]> = [
    ["data:;base64,aGVsbG8=", "hello"],
    ["data:;base64,aGVs%0AbG8%3D", "hello"],
    ["data:;base64,a G!V*s bG8=", "hello"],
    // A pad where no group is open, or before a group is complete, is skipped ...
    ["data:;base64,=QUJD", "ABC"],
    ["data:;base64,QUJD=QUJD", "ABCABC"],
    ["data:;base64,Q=QQQ", "A\x04\x10"],
    ["data:;base64,QQ=A=", "A\x00"],
    // ... and one that completes a group ends the data.
    ["data:;base64,QUI=QUJD", "AB"],
  ];
  for (const [url, bytes] of cases) assert.deepEqual(await read(url), Buffer.from(bytes, "latin1"), url);
});

test("urlopen() fails on data: base64 cut short as python3 does, with binascii.Error (a ValueError)", async () => {
  for (const [url, message] of [
    ["data:;base64,QQ", "Incorrect padding"],
    ["data:;base64,QQ=", "Incorrect padding"],
    [
      "data:;base64,Q",
      "Invalid base64-encoded string: number of data characters (1) cannot be 1 more than a multiple of 4",
    ],
    [
      "data:;base64,QUJDQ===",
      "Invalid base64-encoded string: number of data characters (5) cannot be 1 more than a multiple of 4",
    ],
  ] as const) {
    await assert.rejects(read(url), (err: unknown) => {
      assert.ok(err instanceof BinasciiError && err instanceof ValueError, url);
      assert.equal(err.message, message, url);
      return true;
    });
  }
});
