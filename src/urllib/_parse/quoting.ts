/**
 * Percent-encoding and decoding for `netkit/urllib/parse` (internal): the
 * engines behind `quote`, `quotePlus`, `quoteFromBytes`, `unquote` and
 * `unquoteToBytes`.
 *
 * Mirrors CPython's `_Quoter`, `quote_from_bytes`, `unquote_to_bytes` and
 * `unquote`. Where CPython caches one `_Quoter` per `safe` value, we keep one
 * 128-entry "is safe" table per `safe` value (a small bounded cache) and a
 * shared 256-entry table of `%XX` strings. The hot paths avoid building
 * strings one character at a time: safe runs are copied with `slice`, and
 * `unquote` hands well-formed input to V8's `decodeURIComponent`, whose
 * result is provably the same as CPython's whenever it does not throw.
 *
 * @module
 */
import { type Codec, UTF8_CODEC } from "../../_codecs.js";
import { asBuffer } from "./coerce.js";

/** `%00` .. `%FF`, upper-case hex as CPython writes it. */
export const ESCAPES: readonly string[] = Array.from(
  { length: 256 },
  (_, b) => `%${b.toString(16).toUpperCase().padStart(2, "0")}`,
);

/** RFC 3986 section 2.3 unreserved characters: CPython's `_ALWAYS_SAFE`. */
const ALWAYS_SAFE = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~";

/** What one `safe` value allows: `safe[c]` is 1 for an ASCII byte left as it is. */
export interface QuoteTable {
  /** 1 where the ASCII character stays unescaped. */
  readonly safe: Uint8Array;
  /** The replacement for each byte: the character itself when safe, `+` for space in plus mode, else `%XX`. */
  readonly map: readonly string[];
}

/** Programs use a handful of `safe` values; the bound only stops a pathological caller. */
const MAX_TABLES = 256;
const quoteTables = new Map<string, QuoteTable>();
const plusTables = new Map<string, QuoteTable>();

/** Builds the table for a `safe` value already reduced to ASCII. */
function buildTable(asciiSafe: string, plus: boolean): QuoteTable {
  const safe = new Uint8Array(128);
  for (const s of [ALWAYS_SAFE, asciiSafe]) for (let i = 0; i < s.length; i++) safe[s.charCodeAt(i)] = 1;
  const map = ESCAPES.slice();
  for (let c = 0; c < 128; c++) if (safe[c]) map[c] = String.fromCharCode(c);
  if (plus) {
    // quote_plus quotes with " " safe, then turns every space into "+".
    safe[0x20] = 0;
    map[0x20] = "+";
  }
  return { safe, map };
}

/** `quote`'s default table (`safe="/"`). */
export const QUOTE_TABLE: QuoteTable = buildTable("/", false);
/** `quote_plus`'s default table (`safe=""`). */
export const PLUS_TABLE: QuoteTable = buildTable("", true);

/**
 * The table for a `safe` value (text or bytes). In plus mode a space becomes
 * `+` (`quote_plus`). The defaults are constants; other values are cached.
 */
export function tableFor(safe: string | Uint8Array, plus: boolean): QuoteTable {
  if (typeof safe === "string") {
    if (plus ? safe === "" : safe === "/") return plus ? PLUS_TABLE : QUOTE_TABLE;
  } else {
    safe = asciiSafe(safe);
  }
  const cache = plus ? plusTables : quoteTables;
  let table = cache.get(safe);
  if (table) return table;
  table = buildTable(asciiSafe(safe), plus);
  if (cache.size >= MAX_TABLES) cache.clear();
  cache.set(safe, table);
  return table;
}

/**
 * CPython's normalisation of `safe`: a string keeps its ASCII characters
 * (`encode('ascii', 'ignore')`), bytes keep those below 128.
 */
function asciiSafe(safe: string | Uint8Array): string {
  if (typeof safe === "string") {
    for (let i = 0; i < safe.length; i++) {
      if (safe.charCodeAt(i) >= 0x80) return safe.replace(/[\u0080-\uffff]/g, "");
    }
    return safe;
  }
  let out = "";
  for (const b of safe) if (b < 0x80) out += String.fromCharCode(b);
  return out;
}

/**
 * Quotes a string as UTF-8 with `table`; returns `undefined` when the string
 * holds a lone surrogate (the caller then runs the codec and its error handler).
 */
export function quoteUtf8(text: string, table: QuoteTable): string | undefined {
  const n = text.length;
  const safe = table.safe;
  let i = 0;
  // Fast path: most strings are already safe and are returned as they are.
  for (; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x80 || safe[c] === 0) break;
  }
  if (i === n) return text;
  const map = table.map;
  let out = text.slice(0, i);
  let start = i;
  for (; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) {
      if (safe[c] === 1) continue;
      if (start < i) out += text.slice(start, i);
      out += map[c]!;
      start = i + 1;
      continue;
    }
    if (start < i) out += text.slice(start, i);
    if (c < 0x800) {
      out += map[0xc0 | (c >> 6)]! + map[0x80 | (c & 0x3f)]!;
    } else if (c < 0xd800 || c > 0xdfff) {
      out += map[0xe0 | (c >> 12)]! + map[0x80 | ((c >> 6) & 0x3f)]! + map[0x80 | (c & 0x3f)]!;
    } else {
      const d = text.charCodeAt(i + 1);
      if (c > 0xdbff || !(d >= 0xdc00 && d <= 0xdfff)) return undefined;
      const cp = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
      out +=
        map[0xf0 | (cp >> 18)]! +
        map[0x80 | ((cp >> 12) & 0x3f)]! +
        map[0x80 | ((cp >> 6) & 0x3f)]! +
        map[0x80 | (cp & 0x3f)]!;
      i++;
    }
    start = i + 1;
  }
  if (start < n) out += text.slice(start);
  return out;
}

/** CPython's `quote_from_bytes` loop: every byte through `table`. */
export function quoteBytes(bytes: Uint8Array, table: QuoteTable): string {
  const buf = asBuffer(bytes);
  const n = buf.length;
  const safe = table.safe;
  let i = 0;
  for (; i < n; i++) {
    const b = buf[i]!;
    if (b >= 0x80 || safe[b] === 0) break;
  }
  if (i === n) return buf.toString("latin1");
  const map = table.map;
  let out = buf.toString("latin1", 0, i);
  let start = i;
  for (; i < n; i++) {
    const b = buf[i]!;
    if (b < 0x80 && safe[b] === 1) continue;
    if (start < i) out += buf.toString("latin1", start, i);
    out += map[b]!;
    start = i + 1;
  }
  if (start < n) out += buf.toString("latin1", start);
  return out;
}

/** Hex digit values for ASCII, -1 elsewhere. */
const HEX = new Int8Array(128).fill(-1);
for (let i = 0; i < 10; i++) HEX[0x30 + i] = i;
for (let i = 0; i < 6; i++) HEX[0x41 + i] = HEX[0x61 + i] = 10 + i;

function hexValue(c: number | undefined): number {
  return c !== undefined && c < 0x80 ? HEX[c]! : -1;
}

/**
 * CPython's `unquote_to_bytes` on bytes: `%XX` (either case) becomes the byte,
 * anything else (`%`, `%4`, `%zz`) stays as it is.
 */
export function unquoteBuffer(bytes: Buffer): Buffer {
  const first = bytes.indexOf(0x25);
  if (first < 0) return Buffer.from(bytes);
  const n = bytes.length;
  const out = Buffer.allocUnsafe(n);
  bytes.copy(out, 0, 0, first);
  let o = first;
  for (let i = first; i < n; i++) {
    const b = bytes[i]!;
    if (b === 0x25 && i + 2 < n) {
      const hi = hexValue(bytes[i + 1]);
      const lo = hexValue(bytes[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out[o++] = (hi << 4) | lo;
        i += 2;
        continue;
      }
    }
    out[o++] = b;
  }
  return out.subarray(0, o);
}

/** `unquote_to_bytes` of an all-ASCII string, without encoding it first. */
function unquoteAsciiRun(run: string): Buffer {
  const n = run.length;
  const out = Buffer.allocUnsafe(n);
  let o = 0;
  for (let i = 0; i < n; i++) {
    const c = run.charCodeAt(i);
    if (c === 0x25 && i + 2 < n) {
      const hi = hexValue(run.charCodeAt(i + 1));
      const lo = hexValue(run.charCodeAt(i + 2));
      if (hi >= 0 && lo >= 0) {
        out[o++] = (hi << 4) | lo;
        i += 2;
        continue;
      }
    }
    out[o++] = c;
  }
  return out.subarray(0, o);
}

/**
 * CPython's `unquote` on a string that contains `%`: each maximal run of
 * ASCII characters is unquoted to bytes and decoded on its own; other
 * characters pass through. (A multi-byte sequence split by a non-ASCII
 * character therefore decodes as two broken halves, as in CPython.)
 */
export function unquoteText(text: string, codec: Codec, errors: string): string {
  if (codec === UTF8_CODEC) {
    // When V8 accepts the input, every %XX run is complete, valid UTF-8 and
    // decodes the same per ASCII run as in one piece, so its answer is CPython's.
    try {
      return decodeURIComponent(text);
    } catch (err) {
      if (!(err instanceof URIError)) throw err;
      // Broken escapes or invalid UTF-8: take the general path below.
    }
  }
  const n = text.length;
  let out = "";
  let i = 0;
  while (i < n) {
    let j = i;
    while (j < n && text.charCodeAt(j) >= 0x80) j++;
    if (j > i) out += text.slice(i, j);
    if (j >= n) break;
    let k = j;
    let pct = false;
    while (k < n) {
      const c = text.charCodeAt(k);
      if (c >= 0x80) break;
      if (c === 0x25) pct = true;
      k++;
    }
    // A run without "%" decodes to itself in every ASCII-compatible codec.
    out +=
      pct || !codec.asciiCompatible
        ? codec.decode(unquoteAsciiRun(text.slice(j, k)), errors)
        : text.slice(j, k);
    i = k;
  }
  return out;
}
