/**
 * Python's `cgi.parse_header` and `cgi.valid_boundary`: the two small
 * parsers `FieldStorage` uses on Content-Type and Content-Disposition
 * values. Pure functions, ported rule for rule (quirks included) so
 * netkit and Python split the same header the same way.
 *
 * @module
 */

import { BACKSLASH, DQUOTE, EQUALS, SEMICOLON } from "../_ascii.js";
import { isPySpace } from "../_pystr.js";

/** Characters read one at a time with nothing found before a native search takes over (a call costs about that many). */
const WINDOW = 32;
/**
 * Outside quotes: the next `;`, or quote that is not escaped; inside: the
 * next quote that is not escaped. Each ends just past what it finds; a
 * search starts a character early, for the character before a quote (a
 * lookbehind instead costs three times as much on a run of escaped quotes).
 */
const OPEN = /;|[^\\]"/g;
const CLOSE = /[^\\]"/g;

/** Whether a Uint16Array's bytes are UTF-16LE (Node's `utf16le`) here. */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
/**
 * Values up to this many UTF-16 units are read through one reused array,
 * grown as needed (parsing is synchronous): a part's header block at
 * FieldStorage's default limit of 64 KiB fits. A fresh array for each long
 * value cost more than the parse: each is a new ArrayBuffer, and their
 * memory outside the heap makes V8 collect garbage early and often.
 */
const MAX_SCRATCH_UNITS = 65536;
let scratch = new Uint16Array(256);

/**
 * The UTF-16 units of `text`, copied natively into an array (the reused one
 * when the text fits: read it before the next call). The loops below
 * read them from there: an array read costs a third of `charCodeAt` on a
 * string that is a slice of a header block.
 */
function unitsOf(text: string): Uint16Array {
  const n = text.length;
  if (n > scratch.length && n <= MAX_SCRATCH_UNITS) {
    scratch = new Uint16Array(Math.min(MAX_SCRATCH_UNITS, Math.max(n, 2 * scratch.length)));
  }
  let units = scratch;
  if (n > scratch.length) {
    // Not zeroed first: every unit is written. (A buffer this large is not
    // cut from Node's pool: it starts its own ArrayBuffer, so it is aligned.)
    const fresh = Buffer.allocUnsafe(2 * n);
    units = new Uint16Array(fresh.buffer, fresh.byteOffset, n);
  }
  const bytes = Buffer.from(units.buffer, units.byteOffset, 2 * n);
  bytes.write(text, "utf16le");
  if (!LITTLE_ENDIAN) bytes.swap16();
  return units;
}

/** The text of `units[a, b)` (the array is changed on a big-endian machine: it is not read again). */
function textOf(units: Uint16Array, a: number, b: number): string {
  const bytes = Buffer.from(units.buffer, units.byteOffset + 2 * a, 2 * (b - a));
  if (!LITTLE_ENDIAN) bytes.swap16();
  return bytes.toString("utf16le");
}

/**
 * The `;`-separated pieces of a header value, as CPython's
 * `cgi._parseparam(';' + line)` cuts them: a piece ends at the next `;`
 * outside quotes, or at the end of the line.
 *
 * Python moves `end` from one `;` to the next while
 * `s.count('"', 0, end) - s.count('\\"', 0, end)` is odd, counting from the
 * piece's start each time (quadratic on `"\";\";...`). That difference is
 * the number of quotes not preceded by a backslash (the character before a
 * piece is a `;`, or nothing, so a quote that starts one is never escaped),
 * so here its parity is carried along: each character is read once, one at
 * a time while something happens (a quote opens or closes, the piece ends)
 * and by a native search through a stretch of `WINDOW` characters or more
 * where nothing does (a long quoted value, a run of `;` inside quotes).
 */
class Pieces {
  readonly #line: string;
  readonly #units: Uint16Array;
  /** After `next`: where the piece ends (at its `;`, or the end of the line). */
  end = 0;
  /** After `next`: the piece's first `=`; -1 when it has none, -2 when not known (a stretch the native search passed over). */
  equals = -1;

  constructor(line: string, units: Uint16Array) {
    this.#line = line;
    this.#units = units;
  }

  /** Finds the piece that starts at `start`. */
  next(start: number): void {
    const u = this.#units;
    const n = this.#line.length;
    let quoted = false;
    let equals = -1;
    let p = start;
    let event = start; // where something last happened
    for (;;) {
      const stop = Math.min(n, p + WINDOW);
      for (; p < stop; p++) {
        const c = u[p]!;
        if (c === SEMICOLON) {
          if (quoted) continue;
          this.end = p;
          this.equals = equals;
          return;
        }
        if (c === DQUOTE) {
          if (p > 0 && u[p - 1] === BACKSLASH) continue;
          quoted = !quoted;
          event = p;
        } else if (c === EQUALS && equals === -1) {
          equals = p;
        }
      }
      if (p === n) break;
      if (p - event < WINDOW) continue; // busy: on a character at a time
      // A stretch where nothing happens: on to the next character that can end it.
      if (equals === -1) equals = -2;
      const re = quoted ? CLOSE : OPEN;
      re.lastIndex = p - 1; // not a `;` outside quotes: the loop read it
      if (!re.test(this.#line)) break;
      p = event = re.lastIndex - 1; // read by the loop: a `;`, or a quote to count
    }
    this.end = n;
    this.equals = equals;
  }
}

/**
 * Python's `value.replace('\\\\', '\\').replace('\\"', '"')` on `units[a, b)`,
 * in place, in one pass: `\\\\` and a lone `\\` each leave one backslash,
 * which goes if a `"` follows it (so `\\"` and `\\\\"` both give `"`).
 * `first` is the first backslash. Returns where the result ends.
 */
function unescapeUnits(u: Uint16Array, first: number, b: number): number {
  let n = first;
  for (let i = first; i < b; i++) {
    let c = u[i]!;
    if (c === BACKSLASH) {
      if (i + 1 < b && u[i + 1] === BACKSLASH) i++; // `\\\\` leaves one, as `\\` does
      if (i + 1 < b && u[i + 1] === DQUOTE) {
        i++; // and that one goes before a `"`
        c = DQUOTE;
      }
    }
    u[n++] = c;
  }
  return n;
}

/** Python's `str.strip()` bounds of `u[a, b)`. */
function stripStart(u: Uint16Array, a: number, b: number): number {
  while (a < b && isPySpace(u[a]!)) a++;
  return a;
}
function stripEnd(u: Uint16Array, a: number, b: number): number {
  while (b > a && isPySpace(u[b - 1]!)) b--;
  return b;
}

/** `line.slice(a, b).toLowerCase()`, without the call when nothing is upper case (most names). */
function lower(line: string, u: Uint16Array, a: number, b: number): string {
  const name = line.slice(a, b);
  for (let i = a; i < b; i++) {
    const c = u[i]!;
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
 * One pass over `line`: pieces are found as indexes and only what is kept
 * is copied. The cost is linear in the length whatever the value holds
 * (quotes, escapes, `;` inside quotes, pieces without `=`).
 *
 * @param line the header value, e.g. `form-data; name="file"; filename="a.txt"`
 * @returns `[value, params]`
 * @example
 * ```ts
 * parseHeader('multipart/form-data; boundary="AaB03x"'); // ["multipart/form-data", { boundary: "AaB03x" }]
 * ```
 */
export function parseHeader(line: string): [string, Record<string, string>] {
  return splitHeader(line, Number.POSITIVE_INFINITY)!;
}

/**
 * `parseHeader` that gives up past `maxParams` pieces after the main value
 * (each `;`, whether or not a `name=value` follows it), before it has read
 * further: null then.
 *
 * @param line the header value
 * @param maxParams most pieces after the main value
 * @returns `[value, params]`, or null past `maxParams`
 */
export function splitHeader(line: string, maxParams: number): [string, Record<string, string>] | null {
  const n = line.length;
  const u = unitsOf(line);
  const pieces = new Pieces(line, u);
  const pdict: Record<string, string> = Object.create(null);
  let key = "";
  // The next `=` and `\` at or after the current piece (n: none), kept until a piece passes them.
  let nextEquals = -1;
  let nextEscape = -1;
  for (let start = 0, count = 0; ; count++) {
    if (count > maxParams) return null;
    pieces.next(start);
    const end = pieces.end;
    // Python's `f.strip()` of the piece.
    const a = stripStart(u, start, end);
    const b = stripEnd(u, a, end);
    if (count === 0) key = line.slice(a, b);
    else {
      // `name=value`, else nothing: `p[:i].strip().lower()`, `p[i+1:].strip()`, unquoted.
      let eq = pieces.equals;
      if (eq === -2) {
        if (nextEquals < a) nextEquals = indexOrEnd(line, "=", a);
        eq = nextEquals < b ? nextEquals : -1;
      }
      if (eq >= 0) {
        const va = stripStart(u, eq + 1, b);
        let value: string;
        if (b - va >= 2 && u[va] === DQUOTE && u[b - 1] === DQUOTE) {
          if (nextEscape <= va) nextEscape = indexOrEnd(line, "\\", va + 1);
          if (nextEscape < b - 1) {
            const to = unescapeUnits(u, nextEscape, b - 1);
            value = line.slice(va + 1, nextEscape) + textOf(u, nextEscape, to);
          } else {
            value = line.slice(va + 1, b - 1);
          }
        } else {
          value = line.slice(va, b);
        }
        pdict[lower(line, u, a, stripEnd(u, a, eq))] = value;
      }
    }
    if (end === n) break;
    start = end + 1;
  }
  return [key, pdict];
}

/** `text.indexOf(search, from)`, or the text's length when it is not there. */
function indexOrEnd(text: string, search: string, from: number): number {
  const i = text.indexOf(search, from);
  return i < 0 ? text.length : i;
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
