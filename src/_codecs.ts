/**
 * The text codecs netkit implements itself (UTF-8, Latin-1, ASCII), with
 * Python's encoding names, error handlers and exceptions: one place for
 * `urllib.parse`, `cgi`, `io.TextIOWrapper` and XML-RPC (internal).
 *
 * Mirrors the parts of CPython's `codecs` machinery that `str.encode` and
 * `bytes.decode` use: encoding-name normalisation (`encodings.normalize_encoding`
 * and the alias table), the UTF-8, Latin-1 and ASCII codecs, and the error
 * handlers `strict`, `replace`, `ignore`, `backslashreplace`,
 * `xmlcharrefreplace`, `surrogateescape` and `surrogatepass`. Positions in
 * `UnicodeEncodeError` count code points, as Python's do, not UTF-16 units.
 *
 * Node's `Buffer` does the work on the fast path (well-formed input); the
 * slow path walks the input to find each error range exactly where CPython's
 * codecs find it (maximal subparts for UTF-8, runs of unencodable characters
 * for encoders), because the error handler output depends on those ranges.
 *
 * @module
 */
import { isUtf8 } from "node:buffer";
import { escapeCodePoint, LookupError, UnicodeDecodeError, UnicodeEncodeError } from "./errors/index.js";

export { LookupError, UnicodeDecodeError, UnicodeEncodeError };

/** A codec: Python's `str.encode(name, errors)` and `bytes.decode(name, errors)`. */
export interface Codec {
  /** The name Python's codec reports in its errors (`"utf-8"`, `"latin-1"`, `"ascii"`). */
  readonly name: string;
  /** Encodes `text`; `errors` is a Python error handler name. */
  encode(text: string, errors: string): Buffer;
  /** Decodes `bytes`; `errors` is a Python error handler name. */
  decode(bytes: Buffer, errors: string): string;
  /** True when every ASCII character encodes to its own byte and back (all three codecs here). */
  readonly asciiCompatible: boolean;
}

const KNOWN_HANDLERS = new Set([
  "strict",
  "ignore",
  "replace",
  "backslashreplace",
  "xmlcharrefreplace",
  "namereplace",
  "surrogateescape",
  "surrogatepass",
]);

/** Python looks an error handler up only when an error happens; so do we. */
function checkHandler(errors: string): void {
  if (!KNOWN_HANDLERS.has(errors)) throw new LookupError(`unknown error handler name '${errors}'`);
  if (errors === "namereplace") {
    // CPython's namereplace needs the Unicode character name database, which Node lacks.
    throw new LookupError("Cannot use error handler 'namereplace': netkit has no Unicode name table");
  }
}

// ---------------------------------------------------------------------------
// Encoding

/**
 * Handles one run of unencodable code points `[start, end)` (code-point
 * indices; `cps` are the code points) the way CPython's error handlers do,
 * pushing replacement bytes onto `out`.
 */
function encodeErrorRun(
  codec: string,
  reason: string,
  text: string,
  errors: string,
  cps: number[],
  start: number,
  out: number[],
): void {
  const end = start + cps.length;
  const fail = (from = start) => new UnicodeEncodeError(codec, text, from, end, reason);
  if (errors === "strict") throw fail();
  checkHandler(errors);
  switch (errors) {
    case "ignore":
      return;
    case "replace":
      for (let i = 0; i < cps.length; i++) out.push(0x3f);
      return;
    case "xmlcharrefreplace":
      for (const cp of cps) pushAscii(out, `&#${cp};`);
      return;
    case "backslashreplace":
      for (const cp of cps) pushAscii(out, escapeCodePoint(cp));
      return;
    case "surrogateescape":
      for (let i = 0; i < cps.length; i++) {
        const cp = cps[i]!;
        // CPython's encoders escape what they can themselves, then hand the
        // rest of the run to the handler, which raises for it.
        if (cp < 0xdc80 || cp > 0xdcff) throw fail(start + i);
        out.push(cp - 0xdc00);
      }
      return;
    case "surrogatepass":
      if (codec !== "utf-8") throw fail();
      for (const cp of cps) {
        if (cp < 0xd800 || cp > 0xdfff) throw fail();
        out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
      }
      return;
  }
}

function pushAscii(out: number[], s: string): void {
  for (let i = 0; i < s.length; i++) out.push(s.charCodeAt(i));
}

/**
 * Slow encoder shared by the three codecs: walks code points, encodes the good
 * ones with `good`, and passes each maximal run of bad ones to the handler.
 */
function encodeSlow(
  codec: string,
  reason: string,
  text: string,
  errors: string,
  isBad: (cp: number) => boolean,
  good: (cp: number, out: number[]) => void,
): Buffer {
  const out: number[] = [];
  let index = 0;
  let run: number[] = [];
  let runStart = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (isBad(cp)) {
      if (run.length === 0) runStart = index;
      run.push(cp);
    } else {
      if (run.length > 0) {
        encodeErrorRun(codec, reason, text, errors, run, runStart, out);
        run = [];
      }
      good(cp, out);
    }
    index++;
  }
  if (run.length > 0) encodeErrorRun(codec, reason, text, errors, run, runStart, out);
  return Buffer.from(out);
}

function utf8Good(cp: number, out: number[]): void {
  if (cp < 0x80) out.push(cp);
  else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f));
  else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
  else out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
}

/** `String.prototype.isWellFormed` (Node 20; not yet in TypeScript's ES2023 lib): no lone surrogates. */
const isWellFormed = (text: string): boolean =>
  (text as unknown as { isWellFormed(): boolean }).isWellFormed();

const isSurrogate = (cp: number) => cp >= 0xd800 && cp <= 0xdfff;

/** True when every UTF-16 unit of `text` is below `limit` (128 or 256). */
function allBelow(text: string, limit: number): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) >= limit) return false;
  return true;
}

// ---------------------------------------------------------------------------
// Decoding

/** A decode error range and its reason, as CPython's UTF-8 decoder reports it. */
export interface DecodeError {
  start: number;
  end: number;
  reason: string;
}

const isCont = (b: number | undefined) => b !== undefined && b >= 0x80 && b <= 0xbf;

/**
 * The UTF-8 error at `i` (whose byte is not ASCII), or the length of the valid
 * sequence there as a negative number. Ranges are Unicode's maximal subparts,
 * which is what CPython's decoder reports.
 */
function utf8ErrorAt(bytes: Buffer, i: number): DecodeError | number {
  const n = bytes.length;
  const b = bytes[i]!;
  let need: number;
  let lo = 0x80;
  let hi = 0xbf;
  if (b >= 0xc2 && b <= 0xdf) need = 1;
  else if (b >= 0xe0 && b <= 0xef) {
    need = 2;
    if (b === 0xe0) lo = 0xa0;
    else if (b === 0xed) hi = 0x9f;
  } else if (b >= 0xf0 && b <= 0xf4) {
    need = 3;
    if (b === 0xf0) lo = 0x90;
    else if (b === 0xf4) hi = 0x8f;
  } else return { start: i, end: i + 1, reason: "invalid start byte" };
  for (let k = 1; k <= need; k++) {
    const c = bytes[i + k];
    if (i + k >= n) return { start: i, end: n, reason: "unexpected end of data" };
    const ok = k === 1 ? c !== undefined && c >= lo && c <= hi : isCont(c);
    if (!ok) return { start: i, end: i + k, reason: "invalid continuation byte" };
  }
  return -(need + 1);
}

/**
 * The first place strict UTF-8 decoding of `bytes` fails, as CPython reports
 * it (the maximal invalid subpart and the reason), or `undefined` when the
 * bytes are valid UTF-8.
 */
export function firstUtf8Error(bytes: Buffer): DecodeError | undefined {
  let i = 0;
  while (i < bytes.length) {
    if (bytes[i]! < 0x80) {
      i++;
      continue;
    }
    const at = utf8ErrorAt(bytes, i);
    if (typeof at !== "number") return at;
    i -= at;
  }
  return undefined;
}

/**
 * Applies a decode error handler to `[start, end)`; returns the replacement
 * text and where decoding resumes.
 */
function decodeErrorRange(codec: string, bytes: Buffer, errors: string, err: DecodeError): [string, number] {
  const { start, end } = err;
  const fail = () => new UnicodeDecodeError(codec, bytes, start, end, err.reason);
  if (errors === "strict") throw fail();
  checkHandler(errors);
  switch (errors) {
    case "ignore":
      return ["", end];
    case "replace":
      return ["\ufffd", end];
    case "backslashreplace": {
      let s = "";
      for (let k = start; k < end; k++) s += `\\x${bytes[k]!.toString(16).padStart(2, "0")}`;
      return [s, end];
    }
    case "surrogateescape": {
      let s = "";
      for (let k = start; k < end; k++) {
        const b = bytes[k]!;
        if (b < 0x80) throw fail();
        s += String.fromCharCode(0xdc00 + b);
      }
      return [s, end];
    }
    case "surrogatepass": {
      // Only an encoded surrogate (ED A0..BF 80..BF) at `start` is let through.
      const b1 = bytes[start + 1];
      const b2 = bytes[start + 2];
      if (
        codec === "utf-8" &&
        bytes[start] === 0xed &&
        b1 !== undefined &&
        b1 >= 0xa0 &&
        b1 <= 0xbf &&
        isCont(b2)
      ) {
        return [String.fromCharCode(0xd000 | ((b1 & 0x3f) << 6) | (b2! & 0x3f)), start + 3];
      }
      throw fail();
    }
    default:
      // xmlcharrefreplace and namereplace only know how to encode.
      throw new TypeError("don't know how to handle UnicodeDecodeError in error callback");
  }
}

function decodeUtf8Slow(bytes: Buffer, errors: string): string {
  let out = "";
  let runStart = 0;
  let i = 0;
  const n = bytes.length;
  while (i < n) {
    if (bytes[i]! < 0x80) {
      i++;
      continue;
    }
    const r = utf8ErrorAt(bytes, i);
    if (typeof r === "number") {
      i -= r;
      continue;
    }
    out += bytes.toString("utf8", runStart, i);
    const [text, next] = decodeErrorRange("utf-8", bytes, errors, r);
    out += text;
    i = runStart = next;
  }
  return out + bytes.toString("utf8", runStart, n);
}

// ---------------------------------------------------------------------------
// The codecs

const UTF8: Codec = {
  name: "utf-8",
  asciiCompatible: true,
  encode(text, errors) {
    if (isWellFormed(text)) return Buffer.from(text, "utf8");
    return encodeSlow("utf-8", "surrogates not allowed", text, errors, isSurrogate, utf8Good);
  },
  decode(bytes, errors) {
    // Node's decoder substitutes U+FFFD per maximal subpart, exactly as CPython's "replace".
    if (errors === "replace" || isUtf8(bytes)) return bytes.toString("utf8");
    return decodeUtf8Slow(bytes, errors);
  },
};

function singleByteCodec(name: string, limit: number): Codec {
  const reason = `ordinal not in range(${limit})`;
  return {
    name,
    asciiCompatible: true,
    encode(text, errors) {
      if (allBelow(text, limit)) return Buffer.from(text, "latin1");
      return encodeSlow(
        name,
        reason,
        text,
        errors,
        (cp) => cp >= limit,
        (cp, out) => out.push(cp),
      );
    },
    decode(bytes, errors) {
      if (limit === 256) return bytes.toString("latin1");
      let out = "";
      let runStart = 0;
      for (let i = 0; i < bytes.length; i++) {
        if (bytes[i]! < 0x80) continue;
        out += bytes.toString("latin1", runStart, i);
        const [text, next] = decodeErrorRange(name, bytes, errors, { start: i, end: i + 1, reason });
        out += text;
        runStart = next;
        i = next - 1;
      }
      return out + bytes.toString("latin1", runStart);
    },
  };
}

const LATIN1 = singleByteCodec("latin-1", 256);
const ASCII = singleByteCodec("ascii", 128);

/** CPython's codec modules, found by their own (normalised) name. */
const MODULES = new Map<string, Codec>([
  ["utf_8", UTF8],
  ["latin_1", LATIN1],
  ["ascii", ASCII],
]);
/** Entries of `encodings.aliases` for those modules. */
const ALIASES = new Map<string, Codec>();
for (const [codec, names] of [
  [UTF8, ["utf8", "u8", "utf", "cp65001", "utf8_ucs2", "utf8_ucs4"]],
  [
    LATIN1,
    [
      "latin1",
      "latin",
      "l1",
      "8859",
      "cp819",
      "csisolatin1",
      "ibm819",
      "iso8859",
      "iso8859_1",
      "iso_8859_1",
      "iso_8859_1_1987",
      "iso_ir_100",
    ],
  ],
  [
    ASCII,
    [
      "646",
      "ansi_x3.4_1968",
      "ansi_x3.4_1986",
      "ansi_x3_4_1968",
      "cp367",
      "csascii",
      "ibm367",
      "iso646_us",
      "iso_646.irv_1991",
      "iso_ir_6",
      "us",
      "us_ascii",
    ],
  ],
] as const) {
  for (const name of names) ALIASES.set(name, codec);
}

/** Python's `encodings.normalize_encoding` after lower-casing: runs of punctuation become one `_`. */
function normalizeEncoding(encoding: string): string {
  let out = "";
  let punct = false;
  for (const ch of encoding.toLowerCase()) {
    if (/^[\p{L}\p{N}.]$/u.test(ch)) {
      if (punct && out) out += "_";
      if (ch < "\x80") out += ch;
      punct = false;
    } else {
      punct = true;
    }
  }
  return out;
}

/** The three names every call passes most often, looked up without normalising. */
const FAST_NAMES = new Map<string, Codec>([
  ["utf-8", UTF8],
  ["utf8", UTF8],
  ["latin-1", LATIN1],
  ["ascii", ASCII],
]);

/**
 * The codec for a Python encoding name (`"utf-8"`, `"UTF8"`, `"latin-1"`,
 * `"iso-8859-1"`, `"us-ascii"`, ...), found as Python's `encodings` package
 * finds it; `undefined` for any other encoding.
 */
export function findCodec(encoding: string): Codec | undefined {
  const fast = FAST_NAMES.get(encoding);
  if (fast) return fast;
  const norm = normalizeEncoding(encoding);
  // As encodings.search_function: an alias, with "." read as "_", else a module
  // name, which cannot contain ".".
  return (
    ALIASES.get(norm) ??
    ALIASES.get(norm.replaceAll(".", "_")) ??
    (norm.includes(".") ? undefined : MODULES.get(norm))
  );
}

/**
 * `findCodec`, for a name that must be found.
 * @throws {LookupError} for any other encoding: netkit implements UTF-8, Latin-1 and ASCII only.
 */
export function lookupCodec(encoding: string): Codec {
  const codec = findCodec(encoding);
  if (!codec)
    throw new LookupError(`unknown encoding: ${encoding} (netkit supports utf-8, latin-1 and ascii)`);
  return codec;
}

/** The UTF-8 codec, for callers that skip the name lookup. */
export const UTF8_CODEC: Codec = UTF8;
/** The ASCII codec (Python's implicit codec for bytes arguments in `urllib.parse`). */
export const ASCII_CODEC: Codec = ASCII;
