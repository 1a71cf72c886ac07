/**
 * Differential: netkit/mailcap against python3's mailcap (3.11, the last one
 * with the module), one python3 run per property:
 *
 * 1. this machine's /etc/mailcap (Debian's `mailcap` package): `getcaps`
 *    with MAILCAPS pointing at it, the same table (types, fields, lineno);
 *    `lookup` and `findmatch` for every type in it, plus wildcard and
 *    unknown types, with the same answers (python3 runs the same test=
 *    commands through os.system);
 * 2. 400 generated files (fast-check, fixed seed; lines built from a pool of
 *    pieces: odd spacing and casing in types, `\;`, continuation lines,
 *    CR / CRLF / LF ends, comments, flags, repeated fields, Unicode spaces
 *    Python strips, letters whose case changes), read singly with
 *    `readmailcapfile` and together with `getcaps` (MAILCAPS a list of
 *    three, one missing): the same tables;
 * 3. 3,000 generated `subst` calls and `findparam` look-ups: the same result,
 *    except where netkit refuses what Python substitutes (a file name Python
 *    itself calls unsafe, which only its findmatch checks; a value starting
 *    with `-`), and where Python raises IndexError (a trailing `%`);
 * 4. the safe-character rule against CPython's `_find_unsafe` on generated
 *    strings: netkit refuses everything Python refuses.
 */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import fc from "fast-check";
import {
  findmatch,
  findparam,
  getcaps,
  isUnsafe,
  lookup,
  type MailcapCaps,
  readmailcapfile,
  subst,
} from "../../src/mailcap/index.js";
import { hasCommand, peerSkip } from "../_support/peers.js";
import { python } from "../_support/python.js";

const skip = peerSkip("python3", hasCommand("python3"));
const debSkip = skip || peerSkip("mailcap (/etc/mailcap)", existsSync("/etc/mailcap"));
const SEED = 20261207;
// Python reads mailcap files in the locale's encoding: make that UTF-8 whatever the locale.
process.env.PYTHONUTF8 = "1";

const dir = mkdtempSync(join(tmpdir(), "netkit-mailcap-"));
after(() => rmSync(dir, { recursive: true, force: true }));

// The Python side: a table as [[type, [[field, value], ...sorted]], ...] in insertion order.
const PY_PRELUDE = `
import json, os, sys, warnings
warnings.simplefilter("ignore")
import mailcap
def table(caps):
    return [[t, [sorted([k, v] for k, v in e.items()) for e in es]] for t, es in caps.items()]
`;

type Table = Array<[string, Array<Array<[string, string | number]>>]>;
function table(caps: MailcapCaps): Table {
  return [...caps].map(([t, es]) => [
    t,
    es.map((e) =>
      Object.entries(e)
        .map(([k, v]): [string, string | number] => [k, v!])
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    ),
  ]);
}

/** Runs `fn` with Node's warning printer off: netkit warns for each value it refuses, here on purpose. */
async function quietly<T>(fn: () => T | Promise<T>): Promise<T> {
  const listeners = process.listeners("warning");
  process.removeAllListeners("warning");
  try {
    return await fn();
  } finally {
    await new Promise((resolve) => setImmediate(resolve)); // warnings are emitted on the next tick
    for (const l of listeners) process.on("warning", l);
  }
}

/** Runs `fn` with MAILCAPS set to `value`, then restores it. */
function withMailcaps<T>(value: string, fn: () => T): T {
  const old = process.env.MAILCAPS;
  process.env.MAILCAPS = value;
  try {
    return fn();
  } finally {
    if (old === undefined) delete process.env.MAILCAPS;
    else process.env.MAILCAPS = old;
  }
}

describe("mailcap against python3: Debian's /etc/mailcap", { skip: debSkip }, () => {
  test("getcaps() reads /etc/mailcap into the same table", async () => {
    const ours = withMailcaps("/etc/mailcap", getcaps);
    const theirs = await python<Table>(
      `${PY_PRELUDE}
os.environ["MAILCAPS"] = "/etc/mailcap"
print(json.dumps(table(mailcap.getcaps())))`,
    );
    assert.ok(ours.size > 0, "/etc/mailcap has entries");
    assert.deepEqual(table(ours), theirs);
  });

  test("lookup() and findmatch() answer as python3 for every type in /etc/mailcap", async () => {
    const caps = withMailcaps("/etc/mailcap", getcaps);
    const majors = new Set([...caps.keys()].map((t) => t.split("/")[0]!));
    const types = [
      ...caps.keys(),
      ...[...majors].map((m) => `${m}/x-netkit-unknown`),
      "application/x-netkit-none",
      "Text/Plain",
    ];
    const keys = ["view", "edit", "print", "compose"];
    const filename = "/tmp/netkit-file.dat";
    const ours: Array<[string, string[] | null, string | null]> = [];
    for (const type of types) {
      for (const key of keys) {
        const [command] = await findmatch(caps, type, { key, filename });
        ours.push([type, lookup(caps, type, key).map((e) => e.view), command]);
      }
    }
    const theirs = await python<Array<[string, string[] | null, string | null]>>(
      `${PY_PRELUDE}
cfg = json.load(sys.stdin)
os.environ["MAILCAPS"] = "/etc/mailcap"
caps = mailcap.getcaps()
out = []
for t in cfg["types"]:
    for k in cfg["keys"]:
        out.append([t, [e["view"] for e in mailcap.lookup(caps, t, k)],
                    mailcap.findmatch(caps, t, k, cfg["filename"])[0]])
print(json.dumps(out))`,
      { types, keys, filename },
    );
    assert.deepEqual(ours, theirs);
  });
});

// Pieces of mailcap lines, chosen for the places Python's parser branches.
const PIECES = [
  "text/plain",
  "Text / HTML ",
  "image/*",
  " a/b",
  "application/X-Foo",
  "ΣΑΣ/ǅ",
  "İx/y",
  ";",
  "; ",
  "\\;",
  "\\",
  "\\\n",
  "\\\r\n",
  "\n",
  "\r\n",
  "\r",
  "#",
  "# comment\n",
  " ",
  "\t",
  "\x1c",
  "\x85",
  "\u00a0",
  "\u2028",
  "\ufeff",
  "less %s",
  "cat",
  "test=true",
  "test = false ",
  "copiousoutput",
  "needsterminal",
  "print=lpr %s",
  "edit=vi %s",
  "nametemplate=%s.html",
  "description=A \\; B",
  "view=other",
  "=",
  "x=",
  "=y",
  "%",
  "%{charset}",
  "é",
  "😀",
];
const fileArb = fc.array(fc.constantFrom(...PIECES), { maxLength: 40 }).map((p) => p.join(""));

describe("mailcap against python3: generated files", { skip }, () => {
  test("readmailcapfile() and getcaps() build python3's tables from generated files", async () => {
    const files = fc.sample(fileArb, { numRuns: 400, seed: SEED });
    const paths = files.map((text, i) => {
      const path = join(dir, `gen-${i}.mailcap`);
      writeFileSync(path, text);
      return path;
    });
    // getcaps over three files at a time, one of them missing (skipped, as in Python).
    const groups: string[][] = [];
    for (let i = 0; i + 2 < paths.length; i += 3)
      groups.push([paths[i]!, join(dir, "missing"), paths[i + 1]!, paths[i + 2]!]);
    const ours = {
      single: files.map((text) => table(readmailcapfile(text))),
      bytes: files.map((text) => table(readmailcapfile(Buffer.from(text)))),
      groups: groups.map((g) => withMailcaps(g.join(":"), () => table(getcaps()))),
    };
    const theirs = await python<{ single: Table[]; groups: Table[] }>(
      `${PY_PRELUDE}
cfg = json.load(sys.stdin)
single = []
for p in cfg["paths"]:
    with open(p, encoding="utf-8") as fp:
        single.append(table(mailcap.readmailcapfile(fp)))
groups = []
for g in cfg["groups"]:
    os.environ["MAILCAPS"] = ":".join(g)
    groups.append(table(mailcap.getcaps()))
print(json.dumps({"single": single, "groups": groups}))`,
      { paths, groups },
    );
    for (let i = 0; i < files.length; i++) {
      assert.deepEqual(ours.single[i], theirs.single[i], `readmailcapfile(${JSON.stringify(files[i])})`);
      assert.deepEqual(
        ours.bytes[i],
        theirs.single[i],
        `readmailcapfile(bytes of ${JSON.stringify(files[i])})`,
      );
    }
    for (let i = 0; i < groups.length; i++) {
      assert.deepEqual(
        ours.groups[i],
        theirs.groups[i],
        `getcaps() of ${groups[i]!.map((p) => JSON.stringify(files[paths.indexOf(p)] ?? null)).join(", ")}`,
      );
    }
  });

  test("findmatch() picks python3's entry in generated files, running the same tests", async () => {
    // Tests without %: Python 3.11 substitutes tests with its arguments shifted (see match.ts).
    const line = fc.record({
      type: fc.constantFrom("text/plain", "text/*", "image/png", "image/*", "Text/Plain"),
      view: fc.constantFrom("less %s", "cat %s; copiousoutput", "show %t %{name}", "x \\%s %%", ""),
      test: fc.constantFrom(null, "true", "false", "exit 3", 'test -n "$HOME"', ""),
      edit: fc.boolean(),
    });
    const cases = fc.sample(
      fc.record({
        lines: fc.array(line, { minLength: 1, maxLength: 6 }),
        type: fc.constantFrom("text/plain", "image/png", "text/html", "image/*"),
        key: fc.constantFrom("view", "edit"),
        plist: fc.constantFrom([], ["name=a.b"], ["NAME=x y"], ["name=-x"]),
      }),
      { numRuns: 150, seed: SEED + 1 },
    );
    const texts = cases.map((c) =>
      c.lines
        .map(
          (l) =>
            `${l.type}; ${l.view}${l.test === null ? "" : `; test=${l.test}`}${l.edit ? "; edit=ed %s" : ""}\n`,
        )
        .join(""),
    );
    const ours: Array<string | null> = [];
    await quietly(async () => {
      for (let i = 0; i < cases.length; i++) {
        const c = cases[i]!;
        const [command] = await findmatch(readmailcapfile(texts[i]!), c.type, {
          key: c.key,
          filename: "/tmp/f.txt",
          plist: c.plist,
        });
        ours.push(command);
      }
    });
    const theirs = await python<Array<string | null>>(
      `${PY_PRELUDE}
import io
out = []
for text, c in zip(*json.load(sys.stdin)):
    caps = mailcap.readmailcapfile(io.StringIO(text))
    out.append(mailcap.findmatch(caps, c["type"], c["key"], "/tmp/f.txt", c["plist"])[0])
print(json.dumps(out))`,
      [texts, cases],
    );
    for (let i = 0; i < cases.length; i++) {
      const c = cases[i]!;
      // netkit refuses a parameter starting with "-" where Python substitutes it.
      const expected = c.plist[0] === "name=-x" && theirs[i]?.includes("-x") ? "refused" : theirs[i];
      if (expected === "refused") continue;
      assert.equal(ours[i], expected, `findmatch(${JSON.stringify(texts[i])}, ${JSON.stringify(c)})`);
    }
  });
});

describe("mailcap against python3: subst", { skip }, () => {
  test("subst() and findparam() give python3's results on generated input", async () => {
    const value = fc.oneof(
      fc.constantFrom(
        "/tmp/a.txt",
        "a b",
        "a;b",
        "$(id)",
        "`id`",
        "-rf",
        "x-y",
        "naïve",
        "\u00a0",
        "ü/ß",
        "",
        "a\nb",
        "é😀",
      ),
      fc.string({ maxLength: 6, unit: "binary" }),
    );
    const field = fc
      .array(
        fc.constantFrom(
          "%s",
          "%t",
          "%{charset}",
          "%{Name}",
          "%{",
          "%%",
          "%x",
          "%",
          "\\",
          "\\%s",
          "cmd ",
          " ",
          "'",
          "}",
        ),
        { maxLength: 8 },
      )
      .map((p) => p.join(""));
    const cases = fc.sample(
      fc.record({
        field,
        type: fc.oneof(fc.constantFrom("text/plain", "text/x;y", "-t/x"), value),
        filename: value,
        plist: fc.array(
          fc.oneof(
            value.map((v) => `charset=${v}`),
            value.map((v) => `NAME=${v}`),
            value,
          ),
          { maxLength: 3 },
        ),
      }),
      { numRuns: 3000, seed: SEED + 2 },
    );
    const theirs = await python<
      Array<{ subst?: string | null; error?: string; unsafe: boolean[]; param: string }>
    >(
      `${PY_PRELUDE}
out = []
for c in json.load(sys.stdin):
    r = {"unsafe": [bool(mailcap._find_unsafe(v)) for v in [c["filename"], c["type"]] + c["plist"]],
         "param": mailcap.findparam("charset", c["plist"])}
    try:
        r["subst"] = mailcap.subst(c["field"], c["type"], c["filename"], c["plist"])
    except IndexError as e:
        r["error"] = "IndexError"
    out.append(r)
print(json.dumps(out))`,
      cases,
    );
    const ourSubst = await quietly(() => cases.map((c) => subst(c.field, c.type, c.filename, c.plist)));
    let compared = 0;
    for (let i = 0; i < cases.length; i++) {
      const c = cases[i]!;
      const py = theirs[i]!;
      const show = `subst(${JSON.stringify(c)})\n  python: ${JSON.stringify(py)}`;
      assert.equal(findparam("charset", c.plist), py.param, `findparam: ${show}`);
      // netkit refuses everything Python's _find_unsafe refuses.
      const values = [c.filename, c.type, ...c.plist];
      values.forEach((v, k) => {
        if (py.unsafe[k]) assert.ok(isUnsafe(v), `isUnsafe(${JSON.stringify(v)}) python says unsafe`);
      });
      const ours = ourSubst[i]!;
      if (py.error !== undefined) {
        assert.ok(c.field.endsWith("%"), show);
        continue;
      }
      if (ours !== null) {
        assert.equal(ours, py.subst, `${show}\n  netkit: ${JSON.stringify(ours)}`);
        compared++;
      } else if (py.subst !== null) {
        // Refused by netkit only: a file name (Python's subst never checks it) or a leading "-".
        const params = c.plist.map((p) => p.slice(p.indexOf("=") + 1));
        const stricter =
          (c.field.includes("%s") && isUnsafe(c.filename)) ||
          [c.type, ...params].some((v) => v.startsWith("-")) ||
          values.some((v) => /[\ud800-\udfff]/.test(v));
        assert.ok(stricter, `${show}\n  netkit: null`);
      }
    }
    assert.ok(compared > 1000, `compared ${compared} substitutions`);
  });
});
