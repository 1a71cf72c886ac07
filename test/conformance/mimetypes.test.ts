/**
 * Differential: netkit/mimetypes against python3's mimetypes, both reading
 * this machine's /etc/mime.types, on generated file names and URLs (fast-check)
 * and on every type both databases know.
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { describe, test } from "node:test";
import fc from "fast-check";
import {
  guessAllExtensions,
  guessExtension,
  guessType,
  knownfiles,
  MimeTypes,
  typesMap,
} from "../../src/mimetypes.js";
import { hasCommand, peerSkip } from "../_support/peers.js";
import { python } from "../_support/python.js";

const skip = peerSkip("python3", hasCommand("python3"));
const dbSkip = skip || peerSkip("media-types (/etc/mime.types)", existsSync("/etc/mime.types"));

const PY_GUESS = `
import json, sys, mimetypes
cfg = json.load(sys.stdin)
out = {"strict": [], "lenient": [], "ext": [], "all": [], "allLenient": [], "fresh": []}
fresh = mimetypes.MimeTypes()
for name in cfg["names"]:
    out["strict"].append(list(mimetypes.guess_type(name)))
    out["lenient"].append(list(mimetypes.guess_type(name, strict=False)))
    out["fresh"].append(list(fresh.guess_type(name, strict=False)))
for t in cfg["types"]:
    out["ext"].append(mimetypes.guess_extension(t))
    out["all"].append(mimetypes.guess_all_extensions(t))
    out["allLenient"].append(mimetypes.guess_all_extensions(t, strict=False))
print(json.dumps(out))
`;

interface PyOut {
  strict: Array<[string | null, string | null]>;
  lenient: Array<[string | null, string | null]>;
  fresh: Array<[string | null, string | null]>;
  ext: Array<string | null>;
  all: string[][];
  allLenient: string[][];
}

/** Every extension and type the shared database knows, plus the suffix and encoding tables' keys. */
function vocabulary(): { exts: string[]; types: string[] } {
  guessType("x"); // initialises the database
  const exts = new Set<string>([
    ".tgz",
    ".taz",
    ".tz",
    ".tbz2",
    ".txz",
    ".svgz",
    ".gz",
    ".Z",
    ".bz2",
    ".xz",
    ".br",
  ]);
  const types = new Set<string>();
  for (const [ext, type] of typesMap) {
    exts.add(ext);
    types.add(type);
  }
  for (const ext of [".rtf", ".midi", ".jpg", ".webp", ".xul", ".pict"]) exts.add(ext);
  return { exts: [...exts], types: [...types] };
}

describe("mimetypes against python3", { skip: dbSkip }, () => {
  test("guessType/guessExtension/guessAllExtensions agree on 1500 generated names and every known type", async () => {
    const { exts, types } = vocabulary();
    assert.ok(exts.length > 500, `expected the system database to add extensions, got ${exts.length}`);
    const ext = fc.oneof(
      fc.constantFrom(...exts),
      fc.constantFrom(...exts).map((e) => e.toUpperCase()),
      fc.constantFrom(...exts).map((e) => e[0] + e.slice(1, 2).toUpperCase() + e.slice(2)),
      fc.string({ maxLength: 6 }).map((s) => `.${s}`),
      fc.constant(""),
    );
    const base = fc.oneof(
      fc.constantFrom("file", "a/b/c", ".hidden", "..", "dir.d/x", "", "/abs/p", "C:\\x", "ü", "x y"),
      fc.string({ maxLength: 8 }),
      fc.string({ unit: "grapheme", maxLength: 4 }),
    );
    const prefix = fc.constantFrom(
      "",
      "",
      "",
      "http://h/",
      "file:",
      "HTTP:",
      "data:",
      "DATA:",
      "x:/",
      "a/b:",
    );
    const dataUrl = fc
      .tuple(
        fc.constantFrom("", "image/png", "text/html", "a=b", "noslash", "Text/Plain;charset=x"),
        fc.constantFrom("", ";base64", ";x=y"),
        fc.constantFrom(",", ",abc", ""),
      )
      .map(([t, p, d]) => `data:${t}${p}${d}`);
    const name = fc.oneof(
      { weight: 6, arbitrary: fc.tuple(prefix, base, ext, ext).map(([p, b, e1, e2]) => p + b + e1 + e2) },
      { weight: 1, arbitrary: dataUrl },
    );
    const names = fc.sample(name, { numRuns: 1500, seed: 20240611 });
    const typeArb = fc.oneof(
      fc.constantFrom(...types),
      fc.constantFrom(...types).map((t) => t.toUpperCase()),
      fc.string({ maxLength: 10 }),
    );
    const sampled = [...types, ...fc.sample(typeArb, { numRuns: 300, seed: 7 })];
    const py = await python<PyOut>(PY_GUESS, { names, types: sampled });
    const fresh = new MimeTypes();
    names.forEach((n, i) => {
      assert.deepEqual(guessType(n), py.strict[i], `guessType(${JSON.stringify(n)})`);
      assert.deepEqual(guessType(n, false), py.lenient[i], `guessType(${JSON.stringify(n)}, false)`);
      assert.deepEqual(
        fresh.guessType(n, false),
        py.fresh[i],
        `new MimeTypes().guessType(${JSON.stringify(n)})`,
      );
    });
    sampled.forEach((t, i) => {
      assert.equal(guessExtension(t), py.ext[i], `guessExtension(${JSON.stringify(t)})`);
      assert.deepEqual(guessAllExtensions(t), py.all[i], `guessAllExtensions(${JSON.stringify(t)})`);
      assert.deepEqual(
        guessAllExtensions(t, false),
        py.allLenient[i],
        `guessAllExtensions(${JSON.stringify(t)}, false)`,
      );
    });
  });

  test("knownfiles is Python's list", async () => {
    const py = await python<string[]>("import json, mimetypes; print(json.dumps(mimetypes.knownfiles))");
    assert.deepEqual(knownfiles, py);
  });
});
