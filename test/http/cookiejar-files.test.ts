/**
 * Unit tests of the cookie file loaders' leniency: a malformed cookie line
 * is skipped and every other line loads (Python raises LoadError at the
 * first one, after loading the lines above it). A property test mixes
 * generated junk lines between valid ones; python3's agreement on the valid
 * lines is in test/conformance/http-cookiejar-files.test.ts.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import fc from "fast-check";
import { type FileCookieJar, LoadError, LWPCookieJar, MozillaCookieJar } from "../../src/http/cookiejar.js";

const FAR = 4_000_000_000; // 2096: never expired

/** What a jar holds, field by field, in its order. */
function contents(jar: FileCookieJar): string[] {
  return [...jar].map((c) =>
    JSON.stringify([c.domain, c.path, c.name, c.value, c.expires, c.secure, c.nonstandardAttrs()]),
  );
}

const NETSCAPE_VALID = fc
  .record({
    host: fc.constantFrom("example.com", ".example.com", "a.example.org", "#HttpOnly_.example.net"),
    path: fc.constantFrom("/", "/a", "/a/b"),
    secure: fc.constantFrom("TRUE", "FALSE"),
    name: fc.constantFrom("sid", "a", "b", "x_y"),
    value: fc.constantFrom("1", "v", "", "a b", "é"),
  })
  .map(({ host, path, secure, name, value }) => {
    const domain = host.replace("#HttpOnly_", "");
    return [host, domain.startsWith(".") ? "TRUE" : "FALSE", path, secure, String(FAR), name, value].join(
      "\t",
    );
  });

/** Lines Python refuses (LoadError) and netkit skips, plus comments and blank lines both skip. */
const NETSCAPE_JUNK = fc.oneof(
  fc.constantFrom(
    "example.com\tFALSE\t/",
    "example.com\tTRUE\t/\tFALSE\t4000000000\ta\tb",
    ".example.com\tFALSE\t/\tFALSE\t4000000000\ta\tb",
    "example.com\tFALSE\t/\tFALSE\tsoon\ta\tb",
    "example.com\tFALSE\t/\tFALSE\t1e999\ta\tb",
    "example.com\tFALSE\t/\tFALSE\t4000000000\ta\tb\textra",
    "\t\t\t\t\t\t\t\t",
    "#HttpOnly_",
    "# a comment",
    "$ what is this",
    "   ",
  ),
  fc.string({ maxLength: 30 }).filter((t) => !/[\t\n\r]/.test(t)),
);

const LWP_VALID = fc
  .record({
    name: fc.constantFrom("sid", "a", "b"),
    value: fc.constantFrom("1", "v", '"a b"'),
    path: fc.constantFrom("/", "/a"),
    domain: fc.constantFrom("example.com", ".example.com"),
  })
  .map(
    ({ name, value, path, domain }) =>
      `Set-Cookie3: ${name}=${value}; path="${path}"; domain="${domain}"; expires="2096-10-02 07:06:40Z"; version=0`,
  );

/** Set-Cookie3 lines with no cookie to make, and lines that are no Set-Cookie3 line at all. */
const LWP_JUNK = fc.oneof(
  fc.constantFrom(
    "Set-Cookie3: a=b",
    "Set-Cookie3: a=b; path=/",
    "Set-Cookie3: a=b; domain=example.com",
    "Set-Cookie3: a=b; path=/; domain=example.com; version=x",
    "Set-Cookie3: a=b; path=/; domain=example.com; version=1.5",
    'Set-Cookie3: a=b; path=/; domain=example.com; expires="1993-02-03 00:00:00.5Z"',
    "Set-Cookie3:",
    "Set-Cookie3: ;;;",
    "# comment",
    "",
  ),
  fc.string({ maxLength: 30 }).map((t) => `Set-Cookie3: ${t.replace(/[=\n\r]/g, "")}`),
  fc.string({ maxLength: 30 }).filter((t) => !t.startsWith("Set-Cookie3:") && !/[\n\r]/.test(t)),
);

/**
 * Adversarial lines as bytes (issue 12 section 2): random bytes (often not
 * UTF-8), a lone surrogate as WTF-8 bytes, NUL, a field past the line limit,
 * bad numbers; each with the format's prefix or without. None holds CR or LF.
 */
const ADVERSARIAL = fc
  .tuple(
    fc.constantFrom(
      "",
      "example.com\tFALSE\t/\tFALSE\t",
      "Set-Cookie3: a=",
      ".example.com\tTRUE\t/\tFALSE\t1e999\t",
    ),
    fc.oneof(
      fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.from(b.filter((x) => x !== 0x0a && x !== 0x0d))),
      fc.constantFrom(
        Buffer.from([0xed, 0xa0, 0x80]), // a lone surrogate, as WTF-8
        Buffer.from([0xff, 0xfe, 0x00]),
        Buffer.from("\0\t\0\t\0"),
        Buffer.from(`x\t${"v".repeat(70_000)}`), // past MAX_COOKIE_FILE_LINE
        Buffer.from(`${"9".repeat(400)}\tname\tvalue`),
        Buffer.from("\u00e9\t\u00b2\tNaN\tInfinity\t-0"),
      ),
    ),
  )
  .map(([prefix, rest]) => Buffer.concat([Buffer.from(prefix), rest]));

describe("cookie file loaders skip a malformed line", () => {
  let dir: string;
  let n = 0;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "netkit-cookiejunk-"));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const file = async (text: string | Buffer) => {
    const f = join(dir, `jar${n++}.txt`);
    await writeFile(f, text);
    return f;
  };

  test("MozillaCookieJar.load() skips a line that is no cookie and loads the lines after it", async () => {
    const jar = new MozillaCookieJar();
    await jar.load(
      await file(
        `# Netscape HTTP Cookie File\nexample.com\tFALSE\t/\nexample.com\tTRUE\t/\tFALSE\t${FAR}\tbad\tdot\n` +
          `example.com\tFALSE\t/\tFALSE\tsoon\tbad\texpiry\nexample.com\tFALSE\t/\tFALSE\t${FAR}\tgood\t1\n`,
      ),
    );
    assert.deepEqual(
      [...jar].map((c) => c.name),
      ["good"],
    );
  });

  test("LWPCookieJar.load() skips a Set-Cookie3 cookie without a domain, a path or a numeric version", async () => {
    const jar = new LWPCookieJar();
    await jar.load(
      await file(
        '#LWP-Cookies-2.0\nSet-Cookie3: a=1; path="/"\nSet-Cookie3: b=2; path="/"; domain="x.org"; version=x\n' +
          'Set-Cookie3: c=3; path="/"; domain="x.org"; expires="2096-10-02 07:06:40Z"; version=0\n',
      ),
    );
    assert.deepEqual(
      [...jar].map((c) => c.name),
      ["c"],
    );
  });

  test("load() still raises LoadError for a file without its format's first line", async () => {
    await assert.rejects(
      new MozillaCookieJar().load(await file("example.com\tFALSE\t/\tFALSE\t0\ta\tb\n")),
      LoadError,
    );
    await assert.rejects(new LWPCookieJar().load(await file("Set-Cookie3: a=b\n")), LoadError);
  });

  for (const [kind, magic, valid, junk, make] of [
    [
      "MozillaCookieJar",
      "# Netscape HTTP Cookie File",
      NETSCAPE_VALID,
      NETSCAPE_JUNK,
      () => new MozillaCookieJar(),
    ],
    ["LWPCookieJar", "#LWP-Cookies-2.0", LWP_VALID, LWP_JUNK, () => new LWPCookieJar()],
  ] as const) {
    test(`${kind}.load() never throws on junk lines between valid ones, and loses none of the valid ones`, async () => {
      const cases = fc.sample(
        fc.tuple(fc.array(valid, { maxLength: 8 }), fc.array(fc.tuple(fc.nat(), junk), { maxLength: 6 })),
        { numRuns: 300, seed: 20250721 },
      );
      for (const [lines, inserts] of cases) {
        const mixed = [...lines];
        for (const [at, line] of inserts) mixed.splice(at % (mixed.length + 1), 0, line);
        const clean = make();
        await clean.load(await file(`${magic}\n${lines.join("\n")}\n`), { ignoreDiscard: true });
        const dirty = make();
        await dirty.load(await file(`${magic}\n${mixed.join("\n")}\n`), { ignoreDiscard: true });
        assert.deepStrictEqual(contents(dirty), contents(clean), JSON.stringify(mixed));
      }
    });

    test(`${kind}.load() skips adversarial lines (bytes that are not UTF-8, NUL, over-long, bad numbers) and loads the rest`, async () => {
      const cases = fc.sample(
        fc.tuple(
          fc.array(valid, { maxLength: 6 }),
          fc.array(fc.tuple(fc.nat(), ADVERSARIAL), { maxLength: 5 }),
        ),
        { numRuns: 200, seed: 20261207 },
      );
      for (const [lines, inserts] of cases) {
        const mixed: Buffer[] = lines.map((l) => Buffer.from(l));
        for (const [at, line] of inserts) mixed.splice(at % (mixed.length + 1), 0, line);
        const clean = make();
        await clean.load(await file(`${magic}\n${lines.join("\n")}\n`), { ignoreDiscard: true });
        const dirty = make();
        const lf = Buffer.from("\n");
        const bytes = Buffer.concat([Buffer.from(magic), lf, ...mixed.flatMap((l) => [l, lf])]);
        await dirty.load(await file(bytes), { ignoreDiscard: true });
        assert.deepStrictEqual(
          contents(dirty),
          contents(clean),
          JSON.stringify(mixed.map((b) => b.toString("latin1").slice(0, 80))),
        );
      }
    });
  }

  test("load() skips a line over maxLineLength and a line that is not UTF-8, and loads the others", async () => {
    const good = `example.com\tFALSE\t/\tFALSE\t${FAR}\tgood\t1`;
    const bytes = Buffer.concat([
      Buffer.from(
        `# Netscape HTTP Cookie File\nexample.com\tFALSE\t/\tFALSE\t${FAR}\tlong\t${"v".repeat(2000)}\n`,
      ),
      Buffer.from(`example.com\tFALSE\t/\tFALSE\t${FAR}\tlatin1\t`),
      Buffer.from([0xe9, 0x0a]),
      Buffer.from(`${good}\r\n`),
    ]);
    const jar = new MozillaCookieJar();
    await jar.load(await file(bytes), { maxLineLength: 1000 });
    assert.deepEqual(
      [...jar].map((c) => c.name),
      ["good"],
    );
    // Without the limit the long line loads; the Latin-1 line never does.
    const all = new MozillaCookieJar();
    await all.load(await file(bytes));
    assert.deepEqual([...all].map((c) => c.name).sort(), ["good", "long"]);
    // An over-long or non-UTF-8 first line is no magic line: LoadError, as in Python.
    await assert.rejects(
      new LWPCookieJar().load(await file(`#LWP-Cookies-2.0${" ".repeat(2000)}\n`), { maxLineLength: 1000 }),
      LoadError,
    );
    await assert.rejects(new LWPCookieJar().load(await file(Buffer.from([0x23, 0xe9, 0x0a]))), LoadError);
  });
});
