/**
 * Python's `cgi.parse_header` and `cgi.valid_boundary`: the two small
 * parsers `FieldStorage` uses on Content-Type and Content-Disposition
 * values. Pure functions, ported rule for rule (quirks included) so
 * netkit and Python split the same header the same way.
 *
 * @module
 */
import { isPySpace } from "../_pystr.js";

const SEMI = 0x3b;
const EQUALS = 0x3d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * CPython's `cgi._parseparam(';' + line)`: the `;`-separated pieces of
 * `line`, a `;` inside quotes kept, each stripped; as pairs of indexes,
 * start and end, in `out` (no `';' + line` is built: a joined string is
 * slower to index). Python moves `end` from one `;` to the
 * next while `s.count('"', 0, end) - s.count('\\"', 0, end)` is odd,
 * counting from the piece's start each time (quadratic on `"\\";\\";...`);
 * here the two counts are carried along as `end` moves, so each character is
 * counted once.
 */
function paramBounds(line: string, out: number[]): void {
  const n = line.length;
  let at = -1; // the `;` that starts the current piece (-1: the one Python puts in front)
  while (at === -1 || (at < n && line.charCodeAt(at) === SEMI)) {
    const start = at + 1;
    let quotes = 0; // `"` in line[start, p)
    let escaped = 0; // `\"` in line[start, p): each is a `"` after a `\`
    let p = start;
    for (;;) {
      // On to the next `;`, counting quotes; one pass, however many `;` are quoted.
      while (p < n) {
        const c = line.charCodeAt(p);
        if (c === SEMI) break;
        if (c === QUOTE) {
          quotes++;
          // line[start - 1] is a `;` (or nothing), so a `\"` never reaches before the piece.
          if (line.charCodeAt(p - 1) === BACKSLASH) escaped++;
        }
        p++;
      }
      // Python stops at a `;` outside quotes (its `end > 0` adds nothing: no quotes before the first place).
      if (p >= n || (quotes - escaped) % 2 === 0) break;
      p++;
    }
    let a = start;
    let b = p;
    while (a < b && isPySpace(line.charCodeAt(a))) a++;
    while (b > a && isPySpace(line.charCodeAt(b - 1))) b--;
    out.push(a, b);
    at = p;
  }
}

/**
 * Python's `value.replace('\\\\', '\\').replace('\\"', '"')` on `text[a, b)`,
 * in one pass: each `\\\\` becomes `\\`, then each `\\` that is followed by
 * `"` in that result goes. Built in a buffer of UTF-16 units, not string by
 * string, so a value of 30,000 escapes makes no 30,000 pieces to collect.
 */
function unescapeQuoted(text: string, a: number, b: number): string {
  let first = a;
  while (first < b && text.charCodeAt(first) !== BACKSLASH) first++;
  if (first === b) return text.slice(a, b);
  const out = new Uint16Array(b - a);
  let n = 0;
  let pending = false; // a `\\` of the first replace's result, not yet written: the second drops it before `"`
  for (let i = a; i < b; i++) {
    let c = text.charCodeAt(i);
    if (c === BACKSLASH && i + 1 < b && text.charCodeAt(i + 1) === BACKSLASH)
      i++; // `\\\\` -> `\\`
    else if (c !== BACKSLASH) {
      if (pending && c !== QUOTE) out[n++] = BACKSLASH;
      pending = false;
      out[n++] = c;
      continue;
    }
    c = BACKSLASH;
    if (pending) out[n++] = BACKSLASH;
    pending = true;
  }
  if (pending) out[n++] = BACKSLASH;
  let result = "";
  for (let i = 0; i < n; i += 8192) {
    result += String.fromCharCode.apply(null, out.subarray(i, Math.min(n, i + 8192)) as unknown as number[]);
  }
  return result;
}

/** `text.slice(a, b).toLowerCase()`, without the call when nothing is upper case (most names). */
function lower(text: string, a: number, b: number): string {
  const name = text.slice(a, b);
  for (let i = a; i < b; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 0x41 && c <= 0x5a) || c >= 0x80) return name.toLowerCase();
  }
  return name;
}

/**
 * Python's `cgi.parse_header(line)`: splits a Content-Type-like value into
 * the main value and its parameters. Parameter names are lower-cased; a
 * quoted value loses its quotes and its `\\` and `\"` escapes. The main
 * value is kept as written (not lower-cased), as in Python.
 *
 * The parameters are a null-prototype object, so a parameter called
 * `__proto__` is an ordinary key.
 *
 * @param line the header value, e.g. `form-data; name="file"; filename="a.txt"`
 * @returns `[value, params]`
 * @example
 * ```ts
 * parseHeader('multipart/form-data; boundary="AaB03x"'); // ["multipart/form-data", { boundary: "AaB03x" }]
 * ```
 */
export function parseHeader(line: string): [string, Record<string, string>] {
  // Pieces as indexes into one string, so a header of many parameters makes
  // no array of pieces and no stripped copies.
  const text = line;
  const bounds: number[] = [];
  paramBounds(text, bounds);
  const key = text.slice(bounds[0], bounds[1]);
  const pdict: Record<string, string> = Object.create(null);
  for (let k = 2; k < bounds.length; k += 2) {
    const a = bounds[k]!;
    const b = bounds[k + 1]!;
    let eq = a;
    while (eq < b && text.charCodeAt(eq) !== EQUALS) eq++;
    if (eq === b) continue;
    let nameEnd = eq;
    while (nameEnd > a && isPySpace(text.charCodeAt(nameEnd - 1))) nameEnd--;
    let va = eq + 1;
    while (va < b && isPySpace(text.charCodeAt(va))) va++;
    const name = lower(text, a, nameEnd);
    let value: string;
    if (b - va >= 2 && text.charCodeAt(va) === QUOTE && text.charCodeAt(b - 1) === QUOTE) {
      value = unescapeQuoted(text, va + 1, b - 1);
    } else {
      value = text.slice(va, b);
    }
    pdict[name] = value;
  }
  return [key, pdict];
}

const VALID_BOUNDARY = /^[ -~]{0,200}[!-~]\n?$/;

/**
 * Python's `cgi.valid_boundary(s)`: 1 to 201 printable ASCII characters,
 * the last not a space (RFC 2046 allows 70; Python is laxer and netkit
 * agrees with Python). Like Python's `re.match(... $)`, one trailing
 * newline is tolerated.
 *
 * @param s the boundary, as text or bytes
 * @returns true when `FieldStorage` accepts it
 * @example
 * ```ts
 * validBoundary("----WebKitFormBoundary7MA4YWxkTrZu0gW"); // true
 * validBoundary(""); // false
 * ```
 */
export function validBoundary(s: string | Uint8Array): boolean {
  const text = typeof s === "string" ? s : Buffer.from(s).toString("latin1");
  return VALID_BOUNDARY.test(text);
}
