/**
 * Generated Content-Type-like values for the `parseHeader` tests (the
 * reference model in test/cgi/header.test.ts, python3 in
 * test/conformance/cgi-helpers.test.ts): runs on either side of the
 * one-pass parser's window of 32 characters (where it hands over to a
 * native search) of quotes, escapes, `;` and `=`, mixed with pieces of
 * structure, and characters whose case or whitespace-ness a naive port
 * gets wrong: Python's extra whitespace (`\x1c`, `\x85`, `\u3000`),
 * `\u0130` (lower-cased to two characters), characters outside Latin-1, a
 * lone surrogate.
 */
import fc from "fast-check";

const unit = fc.constantFrom(
  ";",
  '"',
  "\\",
  "=",
  " ",
  "\t",
  "a",
  "B",
  "name",
  "\u00e9",
  "\u0130",
  "\u65e5",
  "\u{1f600}",
  "\ud800",
  "\x1c",
  "\x85",
  "\u3000",
  '\\"',
  "\\\\",
);
/** A unit repeated across the window: 1 to 80 times. */
const run = fc.tuple(unit, fc.integer({ min: 1, max: 80 })).map(([u, k]) => u.repeat(k));

/** A header value of up to 12 units, runs and pieces of structure. */
export const headerValue = fc
  .array(fc.oneof(unit, run, fc.constantFrom('; a="', '"; ', "; n=v", 'x="y;z"', '; Name = "v" ')), {
    maxLength: 12,
  })
  .map((p) => p.join(""));
