/**
 * imaplib's module functions against python3's: Int2AP, ParseFlags,
 * Internaldate2tuple and Time2Internaldate, batched into one python3 run
 * per table, with the time zone fixed for both (TZ is set for python3 and
 * for this process's dates alike).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { ValueError } from "../../src/errors/index.js";
import { Int2AP, Internaldate2tuple, ParseFlags, Time2Internaldate } from "../../src/imaplib/index.js";
import { python } from "../_support/python.js";

const PY = `
import imaplib, json, sys, time
a = json.load(sys.stdin)
out = {
  "int2ap": [imaplib.Int2AP(n).decode() for n in a["ints"]],
  "flags": [[f.decode("latin-1") for f in imaplib.ParseFlags(s.encode("latin-1"))] for s in a["flags"]],
  "dates": [None if (t := imaplib.Internaldate2tuple(s.encode())) is None else list(t) for s in a["dates"]],
  "t2i": [imaplib.Time2Internaldate(x) for x in a["stamps"]],
  "tuples": [imaplib.Time2Internaldate(tuple(x)) for x in a["tuples"]],
}
print(json.dumps(out))
`;

test("Int2AP(), ParseFlags(), Internaldate2tuple() and Time2Internaldate() answer as python3's", async () => {
  const ints = [
    0,
    1,
    15,
    16,
    4096,
    65535,
    -300,
    ...fc.sample(fc.integer({ min: 0, max: 2 ** 40 }), { seed: 7, numRuns: 50 }),
  ];
  const flags = [
    "1 (FLAGS (\\Seen \\Flagged))",
    "FLAGS ()",
    "1 (UID 3 FLAGS (\\Seen\t$Junk  x))",
    "no flags here",
    "FLAGS (a) FLAGS (b)",
    "1 (FLAGS (\\Seen)",
  ];
  const dates = [
    '1 (INTERNALDATE "17-Jul-1996 02:44:25 -0700")',
    'INTERNALDATE " 1-Jan-2000 00:00:00 +0000"',
    'x INTERNALDATE "29-Feb-2024 23:59:59 +1345"',
    'INTERNALDATE "31-Dec-1999 23:59:59 -1200" more',
    'INTERNALDATE "1-Jan-2000 00:00:00 +0000"',
    "no date",
  ];
  const stamps = [0, 1, 86_400 * 365.25 * 30, 1_700_000_000, 1_700_000_000.75, 951_782_400];
  const tuples = [
    [2024, 3, 1, 12, 0, 0, 4, 61, -1],
    [1999, 12, 31, 23, 59, 59, 4, 365, 0],
  ];
  for (const tz of ["UTC", "Europe/Berlin", "America/St_Johns"]) {
    const saved = process.env.TZ;
    process.env.TZ = tz;
    try {
      const py = await (async () => {
        const env = process.env.TZ;
        return python<Record<string, unknown[]>>(
          `import os; os.environ["TZ"] = ${JSON.stringify(env)}; import time; time.tzset()\n${PY}`,
          {
            ints,
            flags,
            dates,
            stamps,
            tuples,
          },
        );
      })();
      assert.deepEqual(
        ints.map((n) => Int2AP(n).toString()),
        py.int2ap,
      );
      assert.deepEqual(
        flags.map((f) => ParseFlags(f).map((x) => x.toString("latin1"))),
        py.flags,
      );
      assert.deepEqual(
        dates.map((d) => Internaldate2tuple(d)),
        py.dates,
        `TZ=${tz}`,
      );
      assert.deepEqual(
        stamps.map((s) => Time2Internaldate(s)),
        py.t2i,
        `TZ=${tz}`,
      );
      assert.deepEqual(
        tuples.map((t) => Time2Internaldate(t)),
        py.tuples,
        `TZ=${tz}`,
      );
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  }
});

test("Time2Internaldate() passes a quoted string through and refuses what it does not know", () => {
  assert.equal(Time2Internaldate('"01-Jan-2020 10:00:00 +0000"'), '"01-Jan-2020 10:00:00 +0000"');
  assert.throws(() => Time2Internaldate("01-Jan-2020"), ValueError);
  assert.throws(() => Time2Internaldate(Number.NaN), ValueError);
  assert.equal(Time2Internaldate(new Date(0)), Time2Internaldate(0));
});
