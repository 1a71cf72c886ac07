/**
 * Python's `cgi.parse_header` and `cgi.valid_boundary`: the two small
 * parsers `FieldStorage` uses on Content-Type and Content-Disposition
 * values. Pure functions, ported rule for rule (quirks included) so
 * netkit and Python split the same header the same way.
 *
 * @module
 */
import { pyStrip } from "../_pystr.js";

const SEMI = 0x3b;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * CPython's `cgi._parseparam`: the `;`-separated pieces, a `;` inside quotes
 * kept. Python moves `end` from one `;` to the next while
 * `s.count('"', 0, end) - s.count('\\"', 0, end)` is odd, counting from the
 * piece's start each time (quadratic on `"\\";\\";...`); here the two counts
 * are carried along as `end` moves, so each character is counted once.
 */
function parseParams(line: string): string[] {
  const out: string[] = [];
  const n = line.length;
  let at = 0; // the `;` that starts the current piece
  while (at < n && line.charCodeAt(at) === SEMI) {
    const start = at + 1;
    let end = line.indexOf(";", start);
    let quotes = 0; // `"` in line[start, counted)
    let escaped = 0; // `\"` in line[start, counted): each is a `"` after a `\`
    let counted = start;
    while (end > start) {
      for (; counted < end; counted++) {
        if (line.charCodeAt(counted) !== QUOTE) continue;
        quotes++;
        // line[start - 1] is the `;`, so a `\"` never reaches before the piece.
        if (line.charCodeAt(counted - 1) === BACKSLASH) escaped++;
      }
      if ((quotes - escaped) % 2 === 0) break;
      end = line.indexOf(";", end + 1);
    }
    if (end < 0) end = n;
    out.push(pyStrip(line.slice(start, end)));
    at = end;
  }
  return out;
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
  const parts = parseParams(`;${line}`);
  const key = parts[0] ?? "";
  const pdict: Record<string, string> = Object.create(null);
  for (const p of parts.slice(1)) {
    const i = p.indexOf("=");
    if (i < 0) continue;
    const name = pyStrip(p.slice(0, i)).toLowerCase();
    let value = pyStrip(p.slice(i + 1));
    if (value.length >= 2 && value[0] === '"' && value[value.length - 1] === '"') {
      value = value.slice(1, -1).split("\\\\").join("\\").split('\\"').join('"');
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
