/**
 * Source checks that keep netkit's errors truthful (issue 12 §9): errnos are
 * named from the one table in src/errors/errno.ts, never written as
 * numbers; every `new Error(`/`new TypeError(`/`new RangeError(` in src/
 * gets a stable `code`; error names never come from `constructor.name`.
 * Each check reads src/ as text, line by line, and reports file:line.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { test } from "node:test";

const root = join(import.meta.dirname, "..", "..");
const SRC = join(root, "src");

/** Every .ts file under src/, with its lines. */
function sources(): { file: string; lines: string[] }[] {
  return readdirSync(SRC, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith(".ts"))
    .map((e) => {
      const path = join(e.parentPath, e.name);
      return { file: relative(root, path), lines: readFileSync(path, "utf8").split("\n") };
    });
}

/** The `file:line: text` of each line matching `pattern`, comment lines left out. */
function offenders(pattern: RegExp, allow: (file: string, line: string) => boolean = () => false): string[] {
  const found: string[] = [];
  for (const { file, lines } of sources()) {
    for (const [i, line] of lines.entries()) {
      const code = line.trim();
      if (code.startsWith("*") || code.startsWith("//") || code.startsWith("/*")) continue;
      if (pattern.test(line) && !allow(file, line)) found.push(`${file}:${i + 1}: ${code}`);
    }
  }
  return found;
}

test("src/ names every errno from the errno table, never by number", () => {
  const raw = offenders(
    /\b(?:OSError|gaierror|[A-Z]\w*Error)(?:\.fromErrno)?\(\s*-?\d|\berrno\s*[!=]==?\s*-?\d|\bconst E[A-Z]{3,}\s*=\s*-?[1-9]\d*;/,
    (file) => file === join("src", "errors", "errno.ts"),
  );
  assert.deepEqual(raw, [], `raw errno numbers:\n${raw.join("\n")}`);
});

test("src/ never takes a name from constructor.name, except pyTypeName() for a class nobody named", () => {
  const found = offenders(
    /constructor\??\.name\b/,
    (file, line) => file === join("src", "errors", "index.ts") && line.includes("Class?.name"),
  );
  assert.deepEqual(found, [], `names from constructor.name:\n${found.join("\n")}`);
});

test("src/ gives every Error, TypeError, RangeError and SyntaxError it builds a stable code (withCode)", () => {
  const found: string[] = [];
  // `withCode(` may sit on the line before, when the formatter breaks a long call.
  const bare = /(?<!withCode\(\s*)\bnew (?:Error|TypeError|RangeError|SyntaxError)\(/g;
  for (const { file, lines } of sources()) {
    const text = lines.map((line) => (/^\s*(\*|\/\/|\/\*)/.test(line) ? "" : line)).join("\n");
    for (const match of text.matchAll(bare)) {
      const line = text.slice(0, match.index).split("\n").length;
      found.push(`${file}:${line}: ${lines[line - 1]!.trim()}`);
    }
  }
  assert.deepEqual(found, [], `errors built without a code:\n${found.join("\n")}`);
});
