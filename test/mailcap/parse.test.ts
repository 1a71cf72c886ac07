/**
 * Unit and property tests of the mailcap parser (`readmailcapfile`,
 * `parseMailcap`): Python 3.11's rules as tables, the limits, and
 * fast-check properties (never throws on any text or bytes; generated
 * entries read back as written).
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { MAX_MAILCAP_LINE, readmailcapfile } from "../../src/mailcap/index.js";
import { parseMailcap, splitLines } from "../../src/mailcap/parse.js";

/** The table as plain data: [type, entries as plain objects] pairs. */
function plain(text: string | Uint8Array): Array<[string, Array<Record<string, unknown>>]> {
  return [...readmailcapfile(text)].map(([t, es]) => [t, es.map((e) => ({ ...e }))]);
}

describe("readmailcapfile()", () => {
  test("readmailcapfile() reads the view command, fields and flags of an entry", () => {
    assert.deepEqual(
      plain('text/plain; less %s; needsterminal; test=test -n "$X"; description = Plain text\n'),
      [
        [
          "text/plain",
          [{ view: "less %s", needsterminal: "", test: 'test -n "$X"', description: "Plain text" }],
        ],
      ],
    );
  });

  test("readmailcapfile() lower-cases the type and strips the spaces around its slash", () => {
    assert.deepEqual(plain(" Text / HTML ; lynx %s\n"), [["text/html", [{ view: "lynx %s" }]]]);
  });

  test("readmailcapfile() skips comments and blank lines, but a comment only in the first column", () => {
    assert.deepEqual(plain("# a comment\n\n   \n #x; y\n"), [["#x", [{ view: "y" }]]]);
  });

  test("readmailcapfile() joins continuation lines, keeping a continued comment line whole", () => {
    assert.deepEqual(plain("image/*; xv \\\n  %s; \\\ncopiousoutput\n"), [
      ["image/*", [{ view: "xv   %s", copiousoutput: "" }]],
    ]);
    // The last line continues into the end of the file: Python joins "\n".
    assert.deepEqual(plain("a/b; c\\\n"), [["a/b", [{ view: "c" }]]]);
    assert.deepEqual(plain("a/b; c; \\\n# not a comment here\n"), [
      ["a/b", [{ view: "c", "# not a comment here": "" }]],
    ]);
  });

  test("readmailcapfile() keeps a backslash-escaped semicolon inside its field", () => {
    assert.deepEqual(plain("a/b; echo 1\\; echo 2; x=y\\;z\n"), [
      ["a/b", [{ view: "echo 1\\; echo 2", x: "y\\;z" }]],
    ]);
  });

  test("readmailcapfile() keeps the first value of a field named twice, and never replaces view", () => {
    assert.deepEqual(plain("a/b; v; x=1; x=2; view=other\n"), [["a/b", [{ view: "v", x: "1" }]]]);
  });

  test("readmailcapfile() skips a line with one field, and an empty view unless a newline follows", () => {
    assert.deepEqual(plain("a/b\nc/d;\n"), [["c/d", [{ view: "" }]]]);
    assert.deepEqual(plain("c/d;"), []);
    assert.deepEqual(plain("; v\n"), []);
  });

  test("readmailcapfile() ends lines at LF, CRLF and a lone CR", () => {
    assert.deepEqual(plain("a/b; x\r\nc/d; y\re/f; z"), [
      ["a/b", [{ view: "x" }]],
      ["c/d", [{ view: "y" }]],
      ["e/f", [{ view: "z" }]],
    ]);
    assert.deepEqual(splitLines("a\r\nb\rc\n\nd"), ["a\n", "b\n", "c\n", "\n", "d"]);
  });

  test("readmailcapfile() keeps entries of one type in file order, numbering none", () => {
    const caps = readmailcapfile("a/b; one\nc/d; x\na/b; two\n");
    assert.deepEqual(
      caps.get("a/b")?.map((e) => e.view),
      ["one", "two"],
    );
    assert.equal(caps.get("a/b")?.[0]?.lineno, undefined);
  });

  test("readmailcapfile() gives entries with no prototype, so any field name is a field", () => {
    const [entry] = readmailcapfile("a/b; v; constructor=c; __proto__=p; toString\n").get("a/b")!;
    assert.equal(Object.getPrototypeOf(entry), null);
    assert.equal(entry!.constructor, "c");
    assert.equal(Object.getOwnPropertyDescriptor(entry, "__proto__")?.value, "p");
    assert.equal(entry!.toString, "");
  });

  test("readmailcapfile() drops a field named lineno, getcaps's own key", () => {
    assert.deepEqual(plain("a/b; v; lineno=7\n"), [["a/b", [{ view: "v" }]]]);
    const [caps] = parseMailcap({ lines: splitLines("a/b; v; lineno=7\n") }, 3);
    assert.equal(caps.get("a/b")?.[0]?.lineno, 3);
  });

  test("readmailcapfile() skips the entry of a line that is not UTF-8 and reads the rest", () => {
    const bytes = Buffer.concat([
      Buffer.from("a/b; one\nc/d; bad \\\n"),
      Buffer.from([0xff, 0xfe, 0x0a]), // continues the c/d entry: the whole entry goes
      Buffer.from("e/f; \u00e9t\u00e9\r\n"),
    ]);
    assert.deepEqual(plain(bytes), [
      ["a/b", [{ view: "one" }]],
      ["e/f", [{ view: "été" }]],
    ]);
  });

  test("readmailcapfile() skips an entry longer than MAX_MAILCAP_LINE, also when made of continuation lines", () => {
    const long = "x".repeat(MAX_MAILCAP_LINE);
    assert.deepEqual(plain(`a/b; ${long}\nc/d; ok\n`), [["c/d", [{ view: "ok" }]]]);
    const parts = Array.from({ length: 40 }, () => "y".repeat(2000)).join("\\\n");
    assert.deepEqual(plain(`a/b; ${parts}\nc/d; ok\n`), [["c/d", [{ view: "ok" }]]]);
    // An entry just under the limit is kept.
    const fits = "z".repeat(MAX_MAILCAP_LINE - 10);
    assert.equal(readmailcapfile(`a/b; ${fits}\n`).get("a/b")?.[0]?.view, fits);
  });

  test("readmailcapfile() reads a file of a million continuation lines in linear time", () => {
    const text = `a/b; v\\\n${"\\\n".repeat(1_000_000)}; flag\n`;
    const started = process.hrtime.bigint();
    assert.deepEqual(plain(text), [["a/b", [{ view: "v", flag: "" }]]]);
    assert.ok(process.hrtime.bigint() - started < 10_000_000_000n, "under 10 s");
  });
});

describe("readmailcapfile() properties", () => {
  test("readmailcapfile() never throws, on any text or bytes", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: "binary" }),
          fc.string({ unit: fc.constantFrom(";", "\\", "\n", "\r", "#", "=", " ", "a", "/", "%") }),
        ),
        (text) => {
          const caps = readmailcapfile(text);
          for (const [type, entries] of caps) {
            assert.equal(type, type.toLowerCase());
            for (const e of entries) assert.equal(typeof e.view, "string");
          }
        },
      ),
      { numRuns: 2000, seed: 1524 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        readmailcapfile(bytes);
      }),
      { numRuns: 2000, seed: 1525 },
    );
  });

  test("readmailcapfile() reads generated entries back as they were written", () => {
    const token = fc.stringMatching(/^[a-z0-9][a-z0-9.+-]{0,8}$/);
    const value = fc.stringMatching(/^[a-z0-9%/ "$.-]{0,12}$/).map((v) => v.trim());
    const entry = fc.record({
      type: fc.tuple(token, fc.oneof(token, fc.constant("*"))).map(([a, b]) => `${a}/${b}`),
      view: value,
      fields: fc.uniqueArray(fc.tuple(token, fc.option(value)), { selector: ([k]) => k, maxLength: 4 }),
    });
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 8 }), fc.constantFrom("\n", "\r\n", "\r"), (entries, eol) => {
        const text = entries
          .map(
            (e) =>
              [e.type, e.view, ...e.fields.map(([k, v]) => (v === null ? k : `${k}=${v}`))].join("; ") + eol,
          )
          .join("");
        const caps = readmailcapfile(text);
        const expected = new Map<string, Array<Record<string, string>>>();
        for (const e of entries) {
          const fields: Record<string, string> = { view: e.view };
          for (const [k, v] of e.fields) if (!(k in fields) && k !== "lineno") fields[k] = v ?? "";
          expected.set(e.type, [...(expected.get(e.type) ?? []), fields]);
        }
        assert.deepEqual(
          [...caps].map(([t, es]) => [t, es.map((e) => ({ ...e }))]),
          [...expected],
        );
      }),
      { numRuns: 500, seed: 1526 },
    );
  });
});
