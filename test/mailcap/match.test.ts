/**
 * Unit tests of netkit/mailcap's use of the database: `subst` (and the
 * refusal of unsafe values, with its warning), `findparam`, `lookup`,
 * `findmatch` (test= commands through the shell, with a timeout, or a
 * runner of the caller's), and the file side: `listmailcapfiles` and
 * `getcaps` (Python's order, lineno across files, the files it skips).
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, afterEach, beforeEach, describe, test } from "node:test";
import fc from "fast-check";
import {
  findmatch,
  findparam,
  getcaps,
  isUnsafe,
  listmailcapfiles,
  lookup,
  MAX_MAILCAP_FILE,
  readmailcapfile,
  runTestCommand,
  subst,
  UnsafeMailcapInput,
} from "../../src/mailcap/index.js";

const dir = mkdtempSync(join(tmpdir(), "netkit-mailcap-unit-"));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Collects the process warnings emitted while `fn` runs (Node emits them on the next tick). */
async function warningsOf(fn: () => unknown): Promise<Error[]> {
  const seen: Error[] = [];
  const listeners = process.listeners("warning");
  process.removeAllListeners("warning"); // keep them off stderr
  const collect = (w: Error) => seen.push(w);
  process.on("warning", collect);
  try {
    await fn();
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    process.off("warning", collect);
    for (const l of listeners) process.on("warning", l);
  }
  return seen;
}

describe("subst()", () => {
  test("subst() fills in %s, %t, %{param} and %%, and unquotes backslashes", () => {
    assert.equal(
      subst("cmd %t %s %{Charset} %{missing} 100%% \\%s %q", "text/plain", "/tmp/a.txt", ["charset=utf-8"]),
      "cmd text/plain /tmp/a.txt utf-8  100% %s %q",
    );
    assert.equal(subst("a %{x", "t/t", "f", ["X=1"]), "a 1");
  });

  test("subst() keeps a % that ends the field (Python raises IndexError)", () => {
    assert.equal(subst("echo 100%", "t/t", "f"), "echo 100%");
  });

  for (const [what, args] of [
    ["a file name with a semicolon", ["less %s", "text/plain", "a;rm -rf ~"]],
    ["a file name with $(...)", ["less %s", "text/plain", "$(id)"]],
    ["a file name with a space", ["less %s", "text/plain", "a b"]],
    ["a file name starting with -", ["less %s", "text/plain", "-rf"]],
    ["a file name with a lone surrogate", ["less %s", "text/plain", "a\ud800"]],
    ["a MIME type with a backquote", ["show %t", "text/`id`", "f"]],
    ["a parameter with a pipe", ["iconv -f %{charset}", "text/plain", "f", ["charset=x|y"]]],
    ["a parameter starting with -", ["iconv -f %{charset}", "text/plain", "f", ["charset=-c"]]],
  ] as const) {
    test(`subst() refuses ${what}, with an UnsafeMailcapInput warning`, async () => {
      let result: string | null = "";
      const warnings = await warningsOf(() => {
        result = subst(args[0], args[1], args[2], "3" in args ? args[3] : []);
      });
      assert.equal(result, null);
      assert.equal(warnings.length, 1);
      assert.ok(warnings[0] instanceof UnsafeMailcapInput);
      assert.equal(warnings[0]!.name, "UnsafeMailcapInput");
      assert.equal((warnings[0] as UnsafeMailcapInput).code, "ERR_MAILCAP_UNSAFE_INPUT");
      assert.match(warnings[0]!.message, /^Refusing to/);
    });
  }

  test("subst() does not check a value the field does not use", () => {
    assert.equal(subst("cat", "text/`x`", "a;b", ["p=;"]), "cat");
  });

  test("isUnsafe() accepts CPython's safe characters and refuses all of ASCII's others", () => {
    const safe = new Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_@+=:,./-");
    for (let c = 0; c < 0xa1; c++) {
      const ch = String.fromCharCode(c);
      assert.equal(isUnsafe(`a${ch}`), !safe.has(ch), `U+${c.toString(16)}`);
    }
    assert.equal(isUnsafe("naïve-😀"), false);
    assert.equal(isUnsafe(""), false);
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (s) => {
        // Refused: any character below U+00A1 outside the safe set, a surrogate alone, or a leading "-".
        const bad = [...s].some((ch) => {
          const cp = ch.codePointAt(0)!;
          return (cp < 0xa1 && !safe.has(ch)) || (cp >= 0xd800 && cp <= 0xdfff);
        });
        assert.equal(isUnsafe(s), bad || s.startsWith("-"));
      }),
      { numRuns: 2000, seed: 68966 },
    );
  });

  test("findparam() matches the name case-insensitively and takes the first match", () => {
    assert.equal(findparam("CharSet", ["name=x", "charset=a", "CHARSET=b"]), "a");
    assert.equal(findparam("charset", ["charset"]), "");
    assert.equal(findparam("x", []), "");
  });
});

describe("lookup()", () => {
  const caps = new Map([
    [
      "text/plain",
      [
        { view: "a", lineno: 3 },
        { view: "b", edit: "e" },
      ],
    ],
    [
      "text/*",
      [
        { view: "c", lineno: 1 },
        { view: "d", lineno: 5 },
      ],
    ],
  ]);
  test("lookup() sorts the type's and its wildcard's entries by lineno, unnumbered ones last", () => {
    assert.deepEqual(
      lookup(caps, "text/plain").map((e) => e.view),
      ["c", "a", "d", "b"],
    );
  });
  test("lookup() keeps only entries with the key, and uses the type as given", () => {
    assert.deepEqual(
      lookup(caps, "text/plain", "edit").map((e) => e.view),
      ["b"],
    );
    assert.deepEqual(
      lookup(caps, "Text/Plain").map((e) => e.view),
      [],
    );
    assert.deepEqual(
      lookup(caps, "text/html").map((e) => e.view),
      ["c", "d"],
    );
  });
});

describe("findmatch()", () => {
  test("findmatch() returns the first entry whose test passes, with its command", async () => {
    const caps = readmailcapfile("a/b; one %s; test=false\na/b; two %s; test=true\na/b; three\n");
    const [command, entry] = await findmatch(caps, "a/b", { filename: "/tmp/x" });
    assert.equal(command, "two /tmp/x");
    assert.equal(entry?.view, "two %s");
  });

  test("findmatch() substitutes the test command as the command itself (Python shifts the arguments)", async () => {
    const seen: string[] = [];
    const caps = readmailcapfile("a/b; v %s; test=check %t %s %{p}\n");
    const [command] = await findmatch(caps, "a/b", {
      filename: "/tmp/x",
      plist: ["p=1"],
      runTest: (c) => {
        seen.push(c);
        return true;
      },
    });
    assert.equal(command, "v /tmp/x");
    assert.deepEqual(seen, ["check a/b /tmp/x 1"]);
  });

  test("findmatch() skips an entry whose test or command needs an unsafe value, and tries the next", async () => {
    const caps = readmailcapfile("a/b; v1 %{p}\na/b; v2; test=t %{p}\na/b; v3 %s\n");
    let result: unknown;
    const warnings = await warningsOf(async () => {
      result = await findmatch(caps, "a/b", { filename: "/tmp/x", plist: ["p=$(id)"], runTest: () => true });
    });
    assert.equal((result as [string])[0], "v3 /tmp/x");
    assert.equal(warnings.length, 2);
  });

  test("findmatch() refuses an unsafe file name before looking, as Python does", async () => {
    const caps = readmailcapfile("a/b; cat\n");
    let result: unknown;
    const warnings = await warningsOf(async () => {
      result = await findmatch(caps, "a/b", { filename: "x y" });
    });
    assert.deepEqual(result, [null, null]);
    assert.equal(warnings.length, 1);
  });

  test("findmatch() runs an empty test as passed and gives [null, null] when nothing matches", async () => {
    const caps = readmailcapfile("a/b; v; test=\n");
    assert.equal((await findmatch(caps, "a/b", { runTest: () => false }))[0], "v");
    assert.deepEqual(await findmatch(caps, "c/d"), [null, null]);
    assert.deepEqual(await findmatch(caps, "a/b", { key: "edit" }), [null, null]);
  });

  test("findmatch() runs test= commands with /bin/sh and their exit status decides", async () => {
    const marker = join(dir, "ran");
    const caps = readmailcapfile(`a/b; no; test=exit 3\na/b; yes; test=touch ${marker} && [ -n "$HOME" ]\n`);
    assert.equal((await findmatch(caps, "a/b"))[0], "yes");
    execFileSync("test", ["-e", marker]);
  });

  test("findmatch() kills a test command that outlives the timeout and counts it as failed", async () => {
    const caps = readmailcapfile("a/b; slow; test=sleep 600; sleep 600\na/b; fast\n");
    const started = Date.now();
    const [command] = await findmatch(caps, "a/b", { timeout: 0.5 });
    assert.equal(command, "fast");
    assert.ok(Date.now() - started < 60_000);
  });

  test("runTestCommand() takes Infinity as no deadline and refuses a timeout that is no number of seconds", async () => {
    assert.equal(await runTestCommand("exit 0", Number.POSITIVE_INFINITY), true);
    await assert.rejects(runTestCommand("exit 0", Number.NaN), { code: "ERR_VALUE" });
    await assert.rejects(runTestCommand("exit 0", -1), { code: "ERR_VALUE" });
  });

  test("runTestCommand() fails a command the shell cannot run, or one holding a NUL", async () => {
    assert.equal(await runTestCommand("exit 0"), true);
    assert.equal(await runTestCommand("/nonexistent/netkit-cmd"), false);
    assert.equal(await runTestCommand("true\0; true"), false);
  });
});

describe("listmailcapfiles() and getcaps()", () => {
  let saved: { MAILCAPS?: string | undefined; HOME?: string | undefined };
  beforeEach(() => {
    saved = { MAILCAPS: process.env.MAILCAPS, HOME: process.env.HOME };
  });
  afterEach(() => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  test("listmailcapfiles() lists Python's files, under $HOME or '.'", () => {
    delete process.env.MAILCAPS;
    process.env.HOME = "/home/u";
    assert.deepEqual(listmailcapfiles(), [
      "/home/u/.mailcap",
      "/etc/mailcap",
      "/usr/etc/mailcap",
      "/usr/local/etc/mailcap",
    ]);
    delete process.env.HOME;
    assert.equal(listmailcapfiles()[0], "./.mailcap");
  });

  test("listmailcapfiles() splits MAILCAPS on ':', keeping empty parts", () => {
    process.env.MAILCAPS = "/a::/b";
    assert.deepEqual(listmailcapfiles(), ["/a", "", "/b"]);
    process.env.MAILCAPS = "";
    assert.deepEqual(listmailcapfiles(), [""]);
  });

  test("getcaps() reads the files in order, numbering entries across them, and skips what it cannot read", () => {
    const one = join(dir, "one");
    const two = join(dir, "two");
    writeFileSync(one, "text/plain; first\n# c\ntext/*; wild\n");
    writeFileSync(two, "text/plain; second\nimage/png; img\n");
    process.env.MAILCAPS = [one, join(dir, "missing"), dir, two].join(":");
    const caps = getcaps();
    assert.deepEqual(
      lookup(caps, "text/plain").map((e) => [e.view, e.lineno]),
      [
        ["first", 0],
        ["wild", 1],
        ["second", 2],
      ],
    );
    assert.equal(caps.get("image/png")?.[0]?.lineno, 3);
  });

  test("getcaps() skips a FIFO without waiting for a writer", () => {
    const fifo = join(dir, "fifo");
    execFileSync("mkfifo", [fifo]);
    const ok = join(dir, "ok");
    writeFileSync(ok, "a/b; v\n");
    process.env.MAILCAPS = `${fifo}:${ok}`;
    assert.equal(getcaps().get("a/b")?.[0]?.view, "v");
  });

  test("getcaps() skips a file larger than MAX_MAILCAP_FILE", () => {
    const big = join(dir, "big");
    writeFileSync(big, `a/b; big\n${"#".repeat(MAX_MAILCAP_FILE)}\n`);
    const ok = join(dir, "ok2");
    writeFileSync(ok, "a/b; small\n");
    process.env.MAILCAPS = `${big}:${ok}`;
    assert.deepEqual(
      getcaps()
        .get("a/b")
        ?.map((e) => e.view),
      ["small"],
    );
  });
});
