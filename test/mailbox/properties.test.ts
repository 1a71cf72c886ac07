/**
 * Property tests for the mailbox parsers (fast-check, fixed seed): mbox
 * From_ splitting and mangling, MMDF separators, MH sequences, Maildir
 * info; random (corrupt) single-file mailboxes read as python3 reads them,
 * or with `FormatError`, never a crash or a hang; the limits.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import fc from "fast-check";
import { Babyl, FormatError, Maildir, MaildirMessage, MH, MMDF, mbox } from "../../src/mailbox/index.js";
import { formatSequences, parseSequences } from "../../src/mailbox/mh.js";
import { python } from "../_support/python.js";

const work = mkdtempSync(join(tmpdir(), "netkit-mailbox-prop-"));
after(() => rmSync(work, { recursive: true, force: true }));
const SEED = 20261207;
let n = 0;
const fresh = (name: string) => join(work, `${name}-${n++}`);

/** Body lines that stress the formats: From lines, quoted ones, empty lines, 8-bit bytes. */
const LINE = fc.constantFrom(
  "From x",
  "From ",
  ">From y",
  "",
  "x",
  "From:",
  " From z",
  "\xff\xfe",
  "a b c",
  ">>From",
);
const BODY = fc.array(LINE, { maxLength: 8 }).map((lines) => lines.join("\n"));

test("mbox stores any body with From lines mangled and reads each message back whole", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(BODY, { minLength: 1, maxLength: 6 }),
      fc.boolean(),
      async (bodies, trailing) => {
        const path = fresh("mbox");
        const box = await mbox.open(path);
        const sent = bodies.map((b) => Buffer.from(`Subject: s\n\n${b}${trailing ? "\n" : ""}`, "latin1"));
        for (const s of sent) await box.add(s);
        await box.close();
        const again = await mbox.open(path);
        assert.equal(await again.length(), sent.length);
        for (const [i, s] of sent.entries()) {
          let want = s.toString("latin1").replaceAll("\nFrom ", "\n>From ");
          if (!want.endsWith("\n")) want += "\n";
          assert.equal((await again.getBytes(i)).toString("latin1"), want);
        }
        await again.close();
      },
    ),
    { numRuns: 60, seed: SEED },
  );
});

test("MMDF reads back any body that holds no separator line", async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(BODY, { minLength: 1, maxLength: 5 }), async (bodies) => {
      const path = fresh("mmdf");
      const box = await MMDF.open(path);
      for (const b of bodies) await box.add(Buffer.from(`Subject: s\n\n${b}\n`, "latin1"));
      await box.close();
      const again = await MMDF.open(path);
      assert.equal(await again.length(), bodies.length);
      for (const [i, b] of bodies.entries())
        assert.equal(
          (await again.getBytes(i)).toString("latin1"),
          `Subject: s\n\n${b}\n`.replaceAll("\nFrom ", "\n>From "),
        );
      await again.close();
    }),
    { numRuns: 40, seed: SEED },
  );
});

const SEQUENCES = fc.dictionary(
  fc.stringMatching(/^[a-z][a-z0-9]{0,7}$/),
  fc.array(fc.integer({ min: 1, max: 40 }), { maxLength: 12 }),
  { maxKeys: 5 },
);

test("formatSequences() and parseSequences() round-trip, and format as python3's MH.set_sequences", async () => {
  const samples = fc.sample(SEQUENCES, { numRuns: 150, seed: SEED });
  const all = new Set(Array.from({ length: 40 }, (_, i) => i + 1));
  for (const s of samples) {
    const want = Object.fromEntries(
      Object.entries(s)
        .filter(([, v]) => v.length > 0)
        .map(([k, v]) => [k, [...new Set(v)].sort((a, b) => a - b)]),
    );
    assert.deepEqual(parseSequences(formatSequences(s), all), want, JSON.stringify(s));
  }
  const dir = fresh("mh-seq");
  const py = await python<string[]>(
    `import json, sys, mailbox, os
box = mailbox.MH(${JSON.stringify(dir)})
out = []
for s in json.load(sys.stdin):
    box.set_sequences(s)
    out.append(open(os.path.join(${JSON.stringify(dir)}, ".mh_sequences")).read())
print(json.dumps(out))`,
    samples,
  );
  for (const [i, s] of samples.entries()) assert.equal(formatSequences(s), py[i], JSON.stringify(s));
});

test("parseSequences() throws FormatError on a bad line, as python3's get_sequences does", async () => {
  const bad = ["nocolon\n", "a: 1-\n", "a: x\n", "a:b: 1\n", "a: 1-2-3\n", "\n", "a: -3\n"];
  const py = await python<boolean[]>(
    `import json, sys, mailbox, os
d = ${JSON.stringify(fresh("mh-bad"))}
box = mailbox.MH(d); box.add(b"x")
out = []
for text in json.load(sys.stdin):
    open(os.path.join(d, ".mh_sequences"), "w").write(text)
    try: box.get_sequences(); out.append(False)
    except mailbox.FormatError: out.append(True)
print(json.dumps(out))`,
    bad,
  );
  for (const [i, text] of bad.entries()) {
    let threw = false;
    try {
      parseSequences(text, new Set([1]));
    } catch (err) {
      assert.ok(err instanceof FormatError);
      assert.equal((err as FormatError).code, "ERR_MAILBOX_FORMAT");
      threw = true;
    }
    assert.equal(threw, py[i], `${JSON.stringify(text)}: python ${py[i]}, netkit ${threw}`);
  }
});

test("MH.getSequences() takes a huge range in time bounded by the messages, not the range", async () => {
  const box = await MH.open(fresh("mh-huge"));
  await box.add("Subject: 1\n\n");
  await box.add("Subject: 2\n\n");
  writeFileSync(join(box._path, ".mh_sequences"), "big: 1-999999999999\n");
  const started = Date.now();
  assert.deepEqual(await box.getSequences(), { big: [1, 2] });
  assert.ok(Date.now() - started < 10_000);
});

test("Maildir keeps any set of flags in the file name's info, with either colon", async () => {
  for (const colon of [":", "!"]) {
    const box = await Maildir.open(fresh("maildir"), { colon });
    await fc.assert(
      fc.asyncProperty(fc.subarray([..."DFPRST"]), fc.constantFrom("new", "cur"), async (flags, subdir) => {
        const m = new MaildirMessage("Subject: f\n\n");
        m.setFlags(flags.join(""));
        m.setSubdir(subdir);
        const key = await box.add(m);
        const got = await box.getMessage(key);
        assert.equal(got.getFlags(), [...flags].sort().join(""));
        assert.equal(got.getSubdir(), subdir);
        assert.ok(!key.includes(colon));
      }),
      { numRuns: 40, seed: SEED },
    );
  }
});

/** Pieces of single-file mailboxes, so random files hit the separators. */
const PIECE = fc.constantFrom(
  "From a Sat Jan  3 01:05:34 1996\n",
  "From ",
  "\n",
  "\x01\x01\x01\x01\n",
  "\x1f\x0c\n",
  "\x1f",
  "\x1f\n",
  "*** EOOH ***\n",
  "1, unseen,, x,\n",
  "Subject: s\n",
  "body",
  "\xff",
  "\r\n",
);
const FILE = fc.array(PIECE, { maxLength: 30 }).map((p) => p.join(""));

test("mbox and MMDF read any file as python3 does (same messages, same bytes)", async () => {
  const files = fc.sample(FILE, { numRuns: 150, seed: SEED });
  const paths = files.map((f, i) => {
    const p = join(work, `rand-${i}`);
    writeFileSync(p, f, "latin1");
    return p;
  });
  const py = await python<Record<string, string[]>[]>(
    `import json, sys, mailbox, base64
out = []
for p in json.load(sys.stdin):
    r = {}
    for fmt in ("mbox", "MMDF"):
        box = getattr(mailbox, fmt)(p, create=False)
        r[fmt] = [base64.b64encode(box.get_bytes(k, True)).decode() for k in box.keys()]
    out.append(r)
print(json.dumps(out))`,
    paths,
  );
  for (const [i, p] of paths.entries()) {
    for (const fmt of ["mbox", "MMDF"] as const) {
      const box =
        fmt === "mbox" ? await mbox.open(p, { create: false }) : await MMDF.open(p, { create: false });
      const got = [];
      for (const k of await box.keys()) got.push((await box.getBytes(k, true)).toString("base64"));
      for (const k of await box.keys()) await box.getMessage(k);
      await box.close();
      assert.deepEqual(got, py[i]![fmt], `${fmt} ${JSON.stringify(files[i])}`);
    }
  }
});

test("Babyl reads any file to messages or FormatError, never a crash or a hang", async () => {
  await fc.assert(
    fc.asyncProperty(FILE, async (text) => {
      const p = fresh("babyl");
      writeFileSync(p, text, "latin1");
      const box = await Babyl.open(p, { create: false });
      for (const k of await box.keys()) {
        const m = await box.getMessage(k);
        assert.ok(Array.isArray(m.getLabels()));
      }
      await box.close();
    }),
    { numRuns: 150, seed: SEED },
  );
});

test("mbox.getMessage() throws FormatError for a From line past the envelope-line limit", async () => {
  const p = fresh("longfrom");
  writeFileSync(p, `From ${"x".repeat(70_000)}\nSubject: s\n\nbody\n`);
  const box = await mbox.open(p);
  assert.equal(await box.length(), 1);
  await assert.rejects(box.getMessage(0), { name: "FormatError", code: "ERR_MAILBOX_FORMAT" });
  await box.close();
});

test("Babyl throws FormatError for a label line past the envelope-line limit", async () => {
  const p = fresh("longlabel");
  writeFileSync(
    p,
    `BABYL OPTIONS:\n\x1f\x0c\n1,, ${"l,".repeat(40_000)}\nSubject: s\n\n*** EOOH ***\n\nb\n\x1f`,
  );
  const box = await Babyl.open(p);
  await assert.rejects(box.length(), FormatError);
  await box.close();
});
