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

describe("cookie file loaders skip a malformed line", () => {
  let dir: string;
  let n = 0;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "netkit-cookiejunk-"));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const file = async (text: string) => {
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
  }
});
