/**
 * Adversarial multipart bodies for the property tests: byte strings built
 * from the pieces that stress a boundary search (runs of CR, LF, CRLF, `-`
 * and whitespace, boundary prefixes, near-boundaries, boundary lines with
 * padding, header-like lines), with boundaries from one byte to 70, and a
 * reference reader: the rules of `MultipartReader`'s documentation applied
 * the plain way (whole input in memory, line by line, as Python's cgi reads),
 * written independently of the streaming reader.
 */
import fc from "fast-check";

export interface ModelPart {
  rawHeaders: string;
  body: string;
}

export interface ModelResult {
  parts: ModelPart[];
  /** "end", "eof", or the error code the reader must throw (after the parts before it). */
  state: string;
}

export interface Limits {
  maxLineLength: number;
  maxHeaderBytes: number;
}

const isSpace = (c: string) => c === " " || (c >= "\t" && c <= "\r");
const isPadding = (c: string) => c === " " || c === "\t" || c === "\v" || c === "\f" || c === "\r";

function strip(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && isSpace(s[a]!)) a++;
  while (b > a && isSpace(s[b - 1]!)) b--;
  return s.slice(a, b);
}

/** The line starting at `at` (LF included), or the rest of the text. */
function lineAt(text: string, at: number): string {
  const lf = text.indexOf("\n", at);
  return lf < 0 ? text.slice(at) : text.slice(at, lf + 1);
}

/**
 * Reads `text` (one char per byte, latin1) as the reader must: the
 * preamble up to a line (at most maxLineLength bytes) that strips to the
 * dash-boundary, then parts: header lines to a blank line (limits checked
 * line by line), the body up to a delimiter line.
 */
export function modelRead(text: string, boundary: string, limits: Limits): ModelResult {
  const d = `--${boundary}`;
  const parts: ModelPart[] = [];
  let pos = 0;
  // Preamble.
  for (;;) {
    if (pos >= text.length) return { parts, state: "eof" };
    const line = lineAt(text, pos);
    pos += line.length;
    if (line.length <= limits.maxLineLength && strip(line) === d) break;
  }
  for (;;) {
    // Headers.
    const start = pos;
    let size = 0;
    for (;;) {
      const line = lineAt(text, pos);
      if (line.length > limits.maxLineLength) return { parts, state: "ERR_MULTIPART_HEADER_LINE_TOO_LONG" };
      size += line.length;
      if (size > limits.maxHeaderBytes) return { parts, state: "ERR_MULTIPART_HEADERS_TOO_LARGE" };
      pos += line.length;
      if (strip(line) === "") break;
    }
    if (pos === start) return { parts, state: "eof" };
    const rawHeaders = text.slice(start, pos);
    // Body: the first delimiter line at the start of the body or of a line.
    let found = -1;
    let next = -1;
    let close = false;
    for (let i = pos; i <= text.length - d.length && found < 0; i++) {
      if (i > pos && text[i - 1] !== "\n") continue;
      if (!text.startsWith(d, i)) continue;
      let j = i + d.length;
      let isClose = false;
      if (text.startsWith("--", j)) {
        isClose = true;
        j += 2;
      }
      while (j < text.length && isPadding(text[j]!) && j - i <= limits.maxLineLength) j++;
      if (j - i > limits.maxLineLength) continue;
      if (j === text.length || text[j] === "\n") {
        found = i;
        next = j === text.length ? j : j + 1;
        close = isClose;
      }
    }
    if (found < 0) {
      let end = text.length;
      if (end > pos && text[end - 1] === "\n") end--;
      if (end > pos && text[end - 1] === "\r") end--;
      parts.push({ rawHeaders, body: text.slice(pos, end) });
      return { parts, state: "eof" };
    }
    let end = found;
    if (found > pos) {
      end = found - 1;
      if (end > pos && text[end - 1] === "\r") end--;
    }
    parts.push({ rawHeaders, body: text.slice(pos, end) });
    pos = next;
    if (close) return { parts, state: "end" };
  }
}

/** Boundaries from one byte to RFC 2046's 70: dashes, spaces, a prefix of another. */
export const adversarialBoundary = fc.oneof(
  fc.constantFrom("B", "-", "--", "a b", "=_", "----WebKitFormBoundary7MA4YWxkTrZu0gW", "x".repeat(70)),
  fc.constantFrom("-".repeat(70), `${"-".repeat(68)}zz`),
  fc.stringMatching(/^[0-9A-Za-z'()+_,./:=?-]{1,70}$/),
);

/** Pieces that stress the search for `boundary`, each a latin1 string. */
export function adversarialPiece(boundary: string): fc.Arbitrary<string> {
  const d = `--${boundary}`;
  const run = (unit: string) => fc.integer({ min: 1, max: 200 }).map((n) => unit.repeat(n));
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom("\r", "\n", "\r\n", "-", " ", "\t", "x") },
    { weight: 3, arbitrary: fc.oneof(run("\r"), run("\n"), run("\r\n"), run("-"), run(" "), run("\t ")) },
    {
      weight: 4,
      arbitrary: fc
        .integer({ min: 0, max: d.length })
        .chain((k) =>
          fc.constantFrom(
            d.slice(0, k),
            `\r\n${d.slice(0, k)}`,
            `\n${d.slice(0, k)}`,
            `\r\n${d.slice(0, Math.max(0, k - 1))}x`,
          ),
        ),
    },
    {
      weight: 4,
      arbitrary: fc.constantFrom(
        `\r\n${d}\r\n`,
        `\n${d}\n`,
        `\r\n${d}--\r\n`,
        `\r\n${d}-`,
        `\r\n${d}-x`,
        `\r\n${d}x\r\n`,
        `\r\n${d}  \t \r\n`,
        ` ${d} \n`,
        `x${d}\n`,
        `\r\n${d}--`,
        `${d}\r\n`,
      ),
    },
    { weight: 2, arbitrary: fc.integer({ min: 1, max: 300 }).map((n) => `\r\n${d}${" ".repeat(n)}x`) },
    {
      weight: 3,
      arbitrary: fc.constantFrom(
        "a: b\r\n",
        'Content-Disposition: form-data; name="f"\r\n',
        "\r\n\r\n",
        " \r\n",
        `X-Long: ${"v".repeat(90)}\r\n`,
      ),
    },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 16 }).map((u) => Buffer.from(u).toString("latin1")) },
  );
}

export interface AdversarialCase {
  boundary: string;
  text: string;
  limits: Limits;
  sizes: readonly number[];
}

/** A body made of adversarial pieces, often starting like a form, with limits small enough to be reached. */
export const adversarialCase: fc.Arbitrary<AdversarialCase> = adversarialBoundary.chain((boundary) =>
  fc.record({
    boundary: fc.constant(boundary),
    text: fc
      .tuple(
        fc.constantFrom("", "", `--${boundary}\r\n`, `--${boundary}\r\n\r\n`, "preamble\r\n"),
        fc.array(adversarialPiece(boundary), { maxLength: 30 }),
      )
      .map(([head, pieces]) => head + pieces.join("")),
    limits: fc.record({
      maxLineLength: fc.constantFrom(16, 80, 300, 65536),
      maxHeaderBytes: fc.constantFrom(40, 400, 65536),
    }),
    sizes: fc.oneof(
      fc.constant([1]),
      fc.array(fc.integer({ min: 1, max: 80 }), { minLength: 1, maxLength: 5 }),
      fc.constant([65536]),
    ),
  }),
);
