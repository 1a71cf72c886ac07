/**
 * `netkit/urllib/parse`: split URLs into components, put them back together,
 * resolve relative references, and percent-encode or decode text — Python
 * 3.11's `urllib.parse`, with the same outputs.
 *
 * ```text
 *  urlsplit ──► SplitResult(scheme, netloc, path, query, fragment) ──► urlunsplit
 *  urlparse ──► ParseResult(... path, params, query, fragment)     ──► urlunparse
 *  urljoin(base, ref)          urldefrag(url) ──► DefragResult      unwrap("<URL:x>")
 *  quote / quotePlus / quoteFromBytes  ◄──►  unquote / unquotePlus / unquoteToBytes
 *  urlencode(pairs)  ◄──►  parseQsl(query) / parseQs(query)
 * ```
 *
 * As in Python, every function takes text (`string`) or bytes (`Buffer` or
 * any `Uint8Array`): bytes in, bytes out (results with `Buffer` fields), with
 * bytes decoded and re-encoded as strict ASCII; mixing the two is a
 * `TypeError`. Keyword arguments become one options object, last:
 * `quote(s, { safe: "", encoding: "latin-1" })`,
 * `urlsplit(url, { scheme: "https", allowFragments: false })`.
 *
 * Python 3.11.7's security behaviour is kept: leading C0 controls and spaces
 * are stripped and `\t\r\n` removed anywhere (WHATWG URL, bpo-43882,
 * CVE-2023-24329); a netloc whose NFKC form adds `/?#@:` is refused
 * (CVE-2019-9636); brackets in a netloc must hold a valid IPv6 or IPvFuture
 * literal (gh-103848); `parseQsl` can cap the number of fields
 * (`maxNumFields`, bpo-42967 also made `&` the only default separator).
 *
 * Where a later CPython security release closed a parsing hole, netkit
 * follows it rather than 3.11.7:
 * - brackets may only enclose the whole host, with only `:port` after them:
 *   `http://[::1]x/`, `http://x.[v1.y]/` are `ValueError` (gh-105704,
 *   CVE-2025-0938; 3.12.9, 3.13.2);
 * - `urlunsplit`/`urlunparse` put an empty authority before a path that
 *   starts with `//` (`("", "", "//h/x")` gives `////h/x`, not `//h/x`), so
 *   the path is never read back as a host (gh-67693; 3.11.10, 3.12.4).
 *
 * Unlike CPython, `urlsplit` keeps no cache, so results never depend on
 * earlier calls.
 *
 * Encodings: UTF-8, UTF-16, UTF-32, Latin-1, ASCII and Python's single-byte
 * charsets (ISO 8859, Windows, DOS, KOI8, Mac, ...), with Python's names and
 * aliases and its error handlers `strict`, `replace`, `ignore`,
 * `backslashreplace`, `xmlcharrefreplace`, `surrogateescape`,
 * `surrogatepass`. Any other encoding (Python's East Asian codecs among them)
 * raises `LookupError`.
 *
 * Arguments of the wrong type (null, a number, an array) are a TypeError
 * that names the function and the argument, where Python would read `None`
 * as empty bytes or fail deep inside.
 *
 * @module
 */

import { lookupCodec, UTF8_CODEC } from "../_codecs.js";
import { isPlainObject, pyStr, reprStr } from "../_pyrepr.js";
import { pyStrip, pyTypeName } from "../_pystr.js";
import { ValueError, withCode } from "../errors/index.js";
import { argTypeError, checkCodecOptions, checkOptionalStrOrBytes, checkStrOrBytes } from "./_parse/args.js";
import { asBuffer, coerceArgs, decodeAscii, encodeAscii, type StrOrBytes } from "./_parse/coerce.js";
import {
  PLUS_TABLE,
  QUOTE_TABLE,
  type QuoteTable,
  quoteBytes,
  quoteUtf8,
  tableFor,
  unquoteBuffer,
  unquoteText,
} from "./_parse/quoting.js";
import {
  DefragResult,
  DefragResultBytes,
  ParseResult,
  ParseResultBytes,
  SplitResult,
  SplitResultBytes,
  USES_NETLOC,
  USES_PARAMS,
  USES_RELATIVE,
  unpackComponents,
  unparseStrings,
  unsplitStrings,
} from "./_parse/results.js";
import { joinText, type Parts5, type Parts6, parseText, SCHEME_CHARS, splitText } from "./_parse/split.js";

export { LookupError, UnicodeDecodeError, UnicodeEncodeError } from "../_codecs.js";
export type { StrOrBytes } from "./_parse/coerce.js";
export type { CodecOptions, ParseField, SplitField } from "./_parse/results.js";
export { DefragResult, DefragResultBytes, ParseResult, ParseResultBytes, SplitResult, SplitResultBytes };

/** Python's `uses_relative`: schemes `urljoin` resolves relative references for (read-only here). */
export const usesRelative: readonly string[] = Object.freeze([...USES_RELATIVE]);
/** Python's `uses_netloc`: schemes with a `//netloc` part (read-only here). */
export const usesNetloc: readonly string[] = Object.freeze([...USES_NETLOC]);
/** Python's `uses_params`: schemes whose last path segment takes `;params` (read-only here). */
export const usesParams: readonly string[] = Object.freeze([...USES_PARAMS]);
/** Python's `scheme_chars`: the characters a scheme may contain. */
export const schemeChars: string = SCHEME_CHARS;

// ---------------------------------------------------------------------------
// Quoting

/** Options of {@link quote} and {@link quotePlus}: Python's keyword arguments. */
export interface QuoteOptions {
  /**
   * Characters (ASCII only; others are ignored) left unescaped besides the
   * unreserved `A-Z a-z 0-9 _ . - ~`.
   * @default "/" for quote, "" for quotePlus
   */
  safe?: string | Uint8Array | undefined;
  /**
   * How a string is turned into bytes before quoting. Not allowed with bytes input.
   * @default "utf-8"
   */
  encoding?: string | undefined;
  /**
   * Python error handler for characters the encoding cannot represent. Not allowed with bytes input.
   * @default "strict"
   */
  errors?: string | undefined;
}

/** Options of {@link quoteFromBytes}. */
export interface QuoteFromBytesOptions {
  /**
   * ASCII characters left unescaped besides the unreserved ones.
   * @default "/"
   */
  safe?: string | Uint8Array | undefined;
}

/** Quotes text with a resolved table: UTF-8 straight from the string, other codecs through bytes. */
function quoteText(
  input: string,
  table: QuoteTable,
  encoding: string | undefined,
  errors: string | undefined,
): string {
  if (encoding === undefined || encoding === "utf-8") {
    const quoted = quoteUtf8(input, table);
    if (quoted !== undefined) return quoted;
    return quoteBytes(UTF8_CODEC.encode(input, errors ?? "strict"), table);
  }
  const codec = lookupCodec(encoding);
  if (codec === UTF8_CODEC) {
    const quoted = quoteUtf8(input, table);
    if (quoted !== undefined) return quoted;
  }
  return quoteBytes(codec.encode(input, errors ?? "strict"), table);
}

function quoteImpl(input: StrOrBytes, options: QuoteOptions, table: QuoteTable): string {
  if (typeof input === "string") {
    checkCodecOptions("encode", options.encoding, options.errors);
    if (input.length === 0) return input;
    return quoteText(input, table, options.encoding, options.errors);
  }
  if (!(input instanceof Uint8Array))
    throw withCode(new TypeError("quote_from_bytes() expected bytes"), "ERR_INVALID_ARG_TYPE");
  // quote_plus passes its arguments on to quote, so both name "quote" here, as in CPython.
  if (options.encoding !== undefined)
    throw withCode(new TypeError("quote() doesn't support 'encoding' for bytes"), "ERR_INVALID_ARG_VALUE");
  if (options.errors !== undefined)
    throw withCode(new TypeError("quote() doesn't support 'errors' for bytes"), "ERR_INVALID_ARG_VALUE");
  if (input.length === 0) return "";
  return quoteBytes(input, table);
}

/**
 * Percent-encodes a path or any URL part: every character except the
 * unreserved ones (RFC 3986 section 2.3) and those in `safe` becomes `%XX`
 * of its encoded bytes. Python's `urllib.parse.quote`.
 *
 * @param input text (encoded with `encoding` first) or bytes
 * @returns the quoted text, always ASCII
 * @throws {UnicodeEncodeError} when the text cannot be encoded (a lone surrogate in UTF-8, `é` in ASCII) and `errors` is `"strict"`
 * @throws {TypeError} when `encoding` or `errors` is given with bytes input
 * @throws {LookupError} for an unsupported encoding
 * @example
 * ```ts
 * quote("/a b/ü");               // "/a%20b/%C3%BC"
 * quote("a/b", { safe: "" });    // "a%2Fb"
 * quote(Buffer.from([0xff]));    // "%FF"
 * ```
 */
export function quote(input: StrOrBytes, options: QuoteOptions = {}): string {
  return quoteImpl(input, options, safeTable("quote", options.safe, false));
}

/**
 * The quoting table for a `safe` option: the default when not given.
 * @throws {TypeError} for a `safe` that is neither str nor bytes
 */
function safeTable(fn: string, safe: unknown, plus: boolean): QuoteTable {
  if (safe === undefined) return plus ? PLUS_TABLE : QUOTE_TABLE;
  checkStrOrBytes(fn, "safe", safe);
  return tableFor(safe, plus);
}

/**
 * Like {@link quote}, but a space becomes `+` and `safe` defaults to `""`,
 * as HTML forms encode values. Python's `urllib.parse.quote_plus`.
 *
 * @example
 * ```ts
 * quotePlus("a b&c/d"); // "a+b%26c%2Fd"
 * ```
 */
export function quotePlus(input: StrOrBytes, options: QuoteOptions = {}): string {
  return quoteImpl(input, options, safeTable("quote_plus", options.safe, true));
}

/**
 * Percent-encodes bytes (no text encoding step). Python's
 * `urllib.parse.quote_from_bytes`.
 *
 * @throws {TypeError} "quote_from_bytes() expected bytes" for anything but a `Uint8Array`
 * @example
 * ```ts
 * quoteFromBytes(Buffer.from("abc def?")); // "abc%20def%3F"
 * ```
 */
export function quoteFromBytes(bytes: Uint8Array, options: QuoteFromBytesOptions = {}): string {
  if (!(bytes instanceof Uint8Array))
    throw withCode(new TypeError("quote_from_bytes() expected bytes"), "ERR_INVALID_ARG_TYPE");
  const table = safeTable("quote_from_bytes", options.safe, false);
  if (bytes.length === 0) return "";
  return quoteBytes(bytes, table);
}

/** Options of {@link unquote}, {@link unquotePlus}. */
export interface UnquoteOptions {
  /**
   * How the decoded bytes of each `%XX` run are read as text.
   * @default "utf-8"
   */
  encoding?: string | undefined;
  /**
   * Python error handler for bytes invalid in `encoding`; `"replace"` puts U+FFFD.
   * @default "replace"
   */
  errors?: string | undefined;
}

/**
 * Replaces `%XX` escapes by the characters they encode. Broken escapes (`%`,
 * `%4`, `%zz`) stay as they are; invalid UTF-8 becomes U+FFFD (by default).
 * Bytes input is unquoted to bytes, then decoded. Python's `urllib.parse.unquote`.
 *
 * @throws {UnicodeDecodeError} only with `errors: "strict"`
 * @throws {LookupError} for an unsupported encoding (when there is something to decode)
 * @example
 * ```ts
 * unquote("abc%20def");  // "abc def"
 * unquote("%E2%82");     // "\ufffd"
 * unquote("%zz");        // "%zz"
 * ```
 */
export function unquote(input: StrOrBytes, options: UnquoteOptions = {}): string {
  checkStrOrBytes("unquote", "string", input);
  checkCodecOptions("decode", options.encoding, options.errors);
  const errors = options.errors ?? "replace";
  if (typeof input !== "string") {
    return lookupCodec(options.encoding ?? "utf-8").decode(unquoteToBytes(input), errors);
  }
  if (input.indexOf("%") < 0) return input;
  const encoding = options.encoding ?? "utf-8";
  const codec = encoding === "utf-8" ? UTF8_CODEC : lookupCodec(encoding);
  return unquoteText(input, codec, errors);
}

/**
 * Like {@link unquote}, but `+` becomes a space first, as in HTML form
 * values. Python's `urllib.parse.unquote_plus`.
 *
 * @throws {TypeError} for bytes input, as Python's `bytes.replace('+', ' ')` does
 * @example
 * ```ts
 * unquotePlus("%7e/abc+def"); // "~/abc def"
 * ```
 */
export function unquotePlus(input: string, options: UnquoteOptions = {}): string {
  if (typeof input !== "string") {
    // Python's `bytes.replace('+', ' ')` refuses the str arguments; anything else is no string at all.
    if ((input as unknown) instanceof Uint8Array)
      throw withCode(new TypeError("a bytes-like object is required, not 'str'"), "ERR_INVALID_ARG_TYPE");
    throw argTypeError("unquote_plus", "string", "str", input);
  }
  return unquote(input.indexOf("+") < 0 ? input : input.replaceAll("+", " "), options);
}

/**
 * Replaces `%XX` escapes by the bytes they stand for; text is encoded as
 * UTF-8 first. Python's `urllib.parse.unquote_to_bytes`.
 *
 * @throws {UnicodeEncodeError} for text holding a lone surrogate
 * @example
 * ```ts
 * unquoteToBytes("abc%20def%ff"); // <Buffer 61 62 63 20 64 65 66 ff>
 * ```
 */
export function unquoteToBytes(input: StrOrBytes): Buffer {
  checkStrOrBytes("unquote_to_bytes", "string", input);
  if (input.length === 0) return Buffer.alloc(0);
  const bytes = typeof input === "string" ? UTF8_CODEC.encode(input, "strict") : asBuffer(input);
  return unquoteBuffer(bytes);
}

// ---------------------------------------------------------------------------
// Query strings

/** A function with the shape of {@link quote} / {@link quotePlus}, for `urlencode`'s `quoteVia`. */
export type QuoteFunction = (input: StrOrBytes, options: QuoteOptions) => string;

/** Options of {@link urlencode}: Python's keyword arguments. */
export interface UrlencodeOptions {
  /**
   * Expand a sequence value (array, `Set`, or a mapping's keys) into one `key=item` pair per item.
   * @default false
   */
  doseq?: boolean | undefined;
  /**
   * Passed to `quoteVia` as its `safe`.
   * @default ""
   */
  safe?: string | Uint8Array | undefined;
  /**
   * Passed to `quoteVia` for text keys and values.
   * @default undefined (quoteVia's default, UTF-8)
   */
  encoding?: string | undefined;
  /**
   * Passed to `quoteVia` for text keys and values.
   * @default undefined (quoteVia's default, "strict")
   */
  errors?: string | undefined;
  /**
   * The quoting function (Python's `quote_via`).
   * @default quotePlus
   */
  quoteVia?: QuoteFunction | undefined;
}

/** What {@link urlencode} accepts: a mapping, or a sequence of `[key, value]` pairs. */
export type UrlencodeQuery =
  | Readonly<Record<string, unknown>>
  | ReadonlyMap<unknown, unknown>
  | ReadonlyArray<readonly [unknown, unknown]>;

function pairsOf(query: unknown): Iterable<readonly [unknown, unknown]> {
  if (query instanceof Map) return query;
  if (typeof query === "string" || query instanceof Uint8Array || Array.isArray(query)) {
    const seq = query as ArrayLike<unknown>;
    // CPython only checks the first item; later ones fail when unpacked.
    if (seq.length && !Array.isArray(seq[0])) {
      throw withCode(
        new TypeError("not a valid non-string sequence or mapping object"),
        "ERR_INVALID_ARG_TYPE",
      );
    }
    return Array.from(seq as ArrayLike<unknown>, (item) => unpackPair(item));
  }
  // A plain object stands for a dict; other objects (class instances, ArrayBuffer, Date) for no mapping.
  if (query !== null && typeof query === "object" && isPlainObject(query)) return Object.entries(query);
  throw withCode(new TypeError("not a valid non-string sequence or mapping object"), "ERR_INVALID_ARG_TYPE");
}

function unpackPair(item: unknown): readonly [unknown, unknown] {
  const items = typeof item === "string" ? [...item] : Array.isArray(item) ? item : undefined;
  if (items === undefined)
    throw withCode(
      new TypeError(`cannot unpack non-iterable ${pyTypeName(item)} object`),
      "ERR_INVALID_ARG_TYPE",
    );
  if (items.length < 2) throw new ValueError(`not enough values to unpack (expected 2, got ${items.length})`);
  if (items.length > 2) throw new ValueError("too many values to unpack (expected 2)");
  return items as [unknown, unknown];
}

/** The items of a doseq value Python would iterate (it has a `len()`), or `undefined`. */
function sequenceItems(value: unknown): Iterable<unknown> | undefined {
  if (Array.isArray(value) || value instanceof Set) return value;
  if (value instanceof Map) return value.keys();
  if (value !== null && typeof value === "object" && isPlainObject(value)) return Object.keys(value);
  return undefined;
}

/**
 * Encodes a mapping or a sequence of pairs as an
 * `application/x-www-form-urlencoded` query string. Non-string values are
 * converted as Python's `str()` would (`1`, `2.5`, `True`, `None`, `1e+16`);
 * bytes are quoted without an encoding step. Python's `urllib.parse.urlencode`.
 *
 * @param query a plain object, a `Map`, or an array of `[key, value]` pairs
 * @throws {TypeError} "not a valid non-string sequence or mapping object" for a string or a sequence of non-pairs
 * @example
 * ```ts
 * urlencode({ q: "a b", n: 1 });                    // "q=a+b&n=1"
 * urlencode([["k", ["x", "y"]]], { doseq: true });  // "k=x&k=y"
 * urlencode({ p: "/x" }, { quoteVia: quote, safe: "/" }); // "p=/x"
 * ```
 */
export function urlencode(query: UrlencodeQuery, options: UrlencodeOptions = {}): string {
  const quoteVia = options.quoteVia === undefined ? quotePlus : options.quoteVia;
  if (typeof quoteVia !== "function") throw argTypeError("urlencode", "quote_via", "callable", quoteVia);
  const safe = options.safe === undefined ? "" : options.safe;
  checkStrOrBytes("urlencode", "safe", safe);
  checkCodecOptions("encode", options.encoding, options.errors);
  const standard = quoteVia === quotePlus || quoteVia === quote;
  const quoter: PairQuoter = {
    // The two standard quoters run inline, their table resolved once.
    table: standard ? tableFor(safe, quoteVia === quotePlus) : undefined,
    quoteVia,
    encoding: options.encoding,
    errors: options.errors,
    textOptions: { safe, encoding: options.encoding, errors: options.errors },
    bytesOptions: { safe },
  };
  const doseq = Boolean(options.doseq);
  const parts: string[] = [];
  if (query !== null && typeof query === "object" && !Array.isArray(query) && isPlainObject(query)) {
    // A plain object: walk its keys without building entry pairs.
    const record = query as Record<string, unknown>;
    for (const key of Object.keys(record)) addPair(parts, quoter, doseq, key, record[key]);
  } else {
    for (const [key, value] of pairsOf(query)) addPair(parts, quoter, doseq, key, value);
  }
  return parts.join("&");
}

/** What `urlencode` quotes keys and values with. (Hot-path state is passed, not closed over.) */
interface PairQuoter {
  table: QuoteTable | undefined;
  quoteVia: QuoteFunction;
  encoding: string | undefined;
  errors: string | undefined;
  textOptions: QuoteOptions;
  bytesOptions: QuoteOptions;
}

/** CPython's `quote_via(k, safe)` for bytes, `quote_via(str(k), safe, encoding, errors)` otherwise. */
function quotePart(q: PairQuoter, value: unknown): string {
  const table = q.table;
  if (table === undefined) {
    return value instanceof Uint8Array
      ? q.quoteVia(value, q.bytesOptions)
      : q.quoteVia(pyStr(value), q.textOptions);
  }
  if (value instanceof Uint8Array) return value.length === 0 ? "" : quoteBytes(value, table);
  const text = typeof value === "string" ? value : pyStr(value);
  return text.length === 0 ? text : quoteText(text, table, q.encoding, q.errors);
}

function addPair(parts: string[], q: PairQuoter, doseq: boolean, key: unknown, value: unknown): void {
  const k = quotePart(q, key);
  if (!doseq || typeof value === "string" || value instanceof Uint8Array) {
    parts.push(`${k}=${quotePart(q, value)}`);
    return;
  }
  const items = sequenceItems(value);
  if (items === undefined) parts.push(`${k}=${quotePart(q, value)}`);
  else for (const item of items) parts.push(`${k}=${quotePart(q, item)}`);
}

/** Options of {@link parseQs} and {@link parseQsl}: Python's keyword arguments. */
export interface ParseQsOptions {
  /**
   * Keep fields with empty values (`a=` and a bare `a`) as empty strings.
   * @default false
   */
  keepBlankValues?: boolean | undefined;
  /**
   * Raise `ValueError` for an empty field or a field without `=`.
   * @default false
   */
  strictParsing?: boolean | undefined;
  /**
   * How percent-decoded bytes are read as text.
   * @default "utf-8"
   */
  encoding?: string | undefined;
  /**
   * Python error handler for invalid bytes.
   * @default "replace"
   */
  errors?: string | undefined;
  /**
   * Raise `ValueError` when the query has more fields than this (a guard against memory exhaustion).
   * @default null (no limit)
   */
  maxNumFields?: number | null | undefined;
  /**
   * What separates fields.
   * @default "&"
   */
  separator?: string | Uint8Array | undefined;
}

function parseQslText<T>(
  qs: string,
  separator: string,
  options: ParseQsOptions,
  coerce: (text: string) => T,
): Array<[T, T]> {
  const max = options.maxNumFields;
  if (max !== undefined && max !== null) {
    let fields = 0;
    if (qs) {
      fields = 1;
      for (let i = qs.indexOf(separator); i >= 0; i = qs.indexOf(separator, i + separator.length)) fields++;
    }
    if (max < fields) throw new ValueError("Max number of fields exceeded");
  }
  const keepBlank = Boolean(options.keepBlankValues);
  const strict = Boolean(options.strictParsing);
  const unquoteOptions: UnquoteOptions = {
    encoding: options.encoding ?? "utf-8",
    errors: options.errors ?? "replace",
  };
  const out: Array<[T, T]> = [];
  if (!qs) return out;
  for (const field of qs.split(separator)) {
    if (!field && !strict) continue;
    const eq = field.indexOf("=");
    let name: string;
    let value: string;
    if (eq < 0) {
      if (strict) throw new ValueError(`bad query field: ${reprStr(field)}`);
      if (!keepBlank) continue;
      name = field;
      value = "";
    } else {
      name = field.slice(0, eq);
      value = field.slice(eq + 1);
    }
    if (value.length || keepBlank) {
      // Each part is coerced as soon as it is decoded, so errors come in CPython's order.
      const n = coerce(unquotePlus(name, unquoteOptions));
      out.push([n, coerce(unquotePlus(value, unquoteOptions))]);
    }
  }
  return out;
}

const same = (text: string) => text;

/**
 * The argument checks `parse_qs` and `parse_qsl` share (the separator's own
 * check is Python's ValueError, in `parseQsl`).
 * @throws {TypeError} for a query that is neither str nor bytes, a non-numeric `maxNumFields`, a non-str encoding or errors
 */
function checkQsArgs(fn: string, qs: unknown, options: ParseQsOptions): void {
  checkStrOrBytes(fn, "qs", qs);
  const max = options.maxNumFields;
  if (max !== undefined && max !== null && typeof max !== "number" && typeof max !== "bigint") {
    throw argTypeError(fn, "max_num_fields", "int or None", max);
  }
  checkCodecOptions("decode", options.encoding, options.errors);
}

/**
 * Parses a query string into `[name, value]` pairs, in order, decoding `+`
 * and `%XX`. Bytes in, `Buffer` pairs out (strict ASCII, as in Python).
 * Python's `urllib.parse.parse_qsl`.
 *
 * @throws {ValueError} "Separator must be of type string or bytes." for an empty separator
 * @throws {ValueError} "Max number of fields exceeded" past `maxNumFields`
 * @throws {ValueError} "bad query field: '…'" with `strictParsing`
 * @example
 * ```ts
 * parseQsl("a=1&b=x+y&a=%C3%A9"); // [["a","1"],["b","x y"],["a","é"]]
 * parseQsl("a=&b", { keepBlankValues: true }); // [["a",""],["b",""]]
 * ```
 */
export function parseQsl(qs: string, options?: ParseQsOptions): Array<[string, string]>;
export function parseQsl(qs: Uint8Array, options?: ParseQsOptions): Array<[Buffer, Buffer]>;
export function parseQsl(
  qs: StrOrBytes,
  options?: ParseQsOptions,
): Array<[string, string]> | Array<[Buffer, Buffer]>;
export function parseQsl(
  qs: StrOrBytes,
  options: ParseQsOptions = {},
): Array<[string, string]> | Array<[Buffer, Buffer]> {
  checkQsArgs("parse_qsl", qs, options);
  const [[text], bytes] = coerceArgs([qs]) as [[string], boolean];
  // Only a missing separator means "&": null is Python's None, which it refuses.
  const sepArg = options.separator === undefined ? "&" : options.separator;
  const separator =
    typeof sepArg === "string"
      ? sepArg
      : sepArg instanceof Uint8Array && sepArg.length
        ? decodeAscii(sepArg)
        : "";
  if (!separator) throw new ValueError("Separator must be of type string or bytes.");
  return bytes
    ? parseQslText(text, separator, options, encodeAscii)
    : parseQslText(text, separator, options, same);
}

/**
 * Parses a query string into an object mapping each name to the list of its
 * values, in order. The object has a null prototype, so names such as
 * `__proto__` or `constructor` are ordinary keys. For bytes input the values
 * are `Buffer`s and the keys their (ASCII) text. Python's `urllib.parse.parse_qs`.
 *
 * @throws {ValueError} as {@link parseQsl}
 * @example
 * ```ts
 * parseQs("a=1&b=2&a=3"); // { a: ["1", "3"], b: ["2"] }
 * ```
 */
export function parseQs(qs: string, options?: ParseQsOptions): Record<string, string[]>;
export function parseQs(qs: Uint8Array, options?: ParseQsOptions): Record<string, Buffer[]>;
export function parseQs(
  qs: StrOrBytes,
  options?: ParseQsOptions,
): Record<string, string[]> | Record<string, Buffer[]>;
export function parseQs(
  qs: StrOrBytes,
  options: ParseQsOptions = {},
): Record<string, string[]> | Record<string, Buffer[]> {
  checkQsArgs("parse_qs", qs, options);
  const out: Record<string, Array<string | Buffer>> = Object.create(null);
  for (const [name, value] of parseQsl(qs, options)) {
    const key = typeof name === "string" ? name : name.toString("latin1");
    const list = out[key];
    if (list) list.push(value);
    else out[key] = [value];
  }
  return out as Record<string, string[]> | Record<string, Buffer[]>;
}

// ---------------------------------------------------------------------------
// Splitting and joining URLs

/** Options of {@link urlsplit} and {@link urlparse}. */
export interface UrlsplitOptions {
  /**
   * The scheme to report when the URL has none.
   * @default ""
   */
  scheme?: StrOrBytes | undefined;
  /**
   * Split off `#fragment`; when false the fragment stays in the path or query.
   * @default true
   */
  allowFragments?: boolean | undefined;
}

function coerceUrl(fn: string, url: StrOrBytes, scheme: StrOrBytes | undefined): [string, string, boolean] {
  checkStrOrBytes(fn, "url", url);
  checkOptionalStrOrBytes(fn, "scheme", scheme);
  if (typeof url === "string" && (scheme === undefined || typeof scheme === "string")) {
    return [url, scheme ?? "", false];
  }
  const [[u, s], bytes] = coerceArgs([url, scheme ?? ""]) as [[string, string], boolean];
  return [u, s, bytes];
}

/**
 * Splits a URL into `scheme://netloc/path?query#fragment`, leaving `%`
 * escapes as they are. Python's `urllib.parse.urlsplit`.
 *
 * @returns a {@link SplitResult} for text, a {@link SplitResultBytes} for bytes
 * @throws {ValueError} "Invalid IPv6 URL" for an unmatched bracket, CPython's
 *   `ipaddress` message for a bracketed host that is no IPv6 address, and
 *   "netloc '…' contains invalid characters under NFKC normalization"
 * @throws {TypeError} when `url` and `scheme` mix text and bytes
 * @example
 * ```ts
 * const r = urlsplit("https://user@[::1]:8080/p?q=1#top");
 * r.netloc;   // "user@[::1]:8080"
 * r.hostname; // "::1"
 * r.port;     // 8080
 * ```
 */
export function urlsplit(url: string, options?: UrlsplitOptions): SplitResult;
export function urlsplit(url: Uint8Array, options?: UrlsplitOptions): SplitResultBytes;
export function urlsplit(url: StrOrBytes, options?: UrlsplitOptions): SplitResult | SplitResultBytes;
export function urlsplit(url: StrOrBytes, options: UrlsplitOptions = {}): SplitResult | SplitResultBytes {
  const [u, s, bytes] = coerceUrl("urlsplit", url, options.scheme);
  const parts = splitText(u, s, options.allowFragments ?? true);
  if (!bytes) return new SplitResult(...parts);
  const [a, b, c, d, e] = parts.map(encodeAscii) as [Buffer, Buffer, Buffer, Buffer, Buffer];
  return new SplitResultBytes(a, b, c, d, e);
}

/**
 * Splits a URL into six parts: as {@link urlsplit}, plus the `;params` of the
 * last path segment for schemes that use them. Python's `urllib.parse.urlparse`.
 *
 * @returns a {@link ParseResult} for text, a {@link ParseResultBytes} for bytes
 * @throws {ValueError} as {@link urlsplit}
 * @example
 * ```ts
 * urlparse("http://a/b/c;p?q").params; // "p"
 * ```
 */
export function urlparse(url: string, options?: UrlsplitOptions): ParseResult;
export function urlparse(url: Uint8Array, options?: UrlsplitOptions): ParseResultBytes;
export function urlparse(url: StrOrBytes, options?: UrlsplitOptions): ParseResult | ParseResultBytes;
export function urlparse(url: StrOrBytes, options: UrlsplitOptions = {}): ParseResult | ParseResultBytes {
  const [u, s, bytes] = coerceUrl("urlparse", url, options.scheme);
  const parts = parseText(u, s, options.allowFragments ?? true);
  if (!bytes) return new ParseResult(...parts);
  const [a, b, c, d, e, f] = parts.map(encodeAscii) as [Buffer, Buffer, Buffer, Buffer, Buffer, Buffer];
  return new ParseResultBytes(a, b, c, d, e, f);
}

/**
 * Puts five components back into a URL; the inverse of {@link urlsplit}, up
 * to redundant delimiters (an empty `?` is dropped). Python's `urllib.parse.urlunsplit`.
 *
 * @param components a {@link SplitResult} or any five strings, or five byte arrays
 * @returns text, or a `Buffer` when the components are bytes
 * @throws {ValueError} Python's unpacking message when there are not exactly five components
 * @example
 * ```ts
 * urlunsplit(["http", "a", "/b", "q", ""]); // "http://a/b?q"
 * ```
 */
export function urlunsplit(components: Iterable<string>): string;
export function urlunsplit(components: Iterable<Uint8Array>): Buffer;
export function urlunsplit(components: Iterable<StrOrBytes>): string | Buffer;
export function urlunsplit(components: Iterable<StrOrBytes>): string | Buffer {
  const [[s, n, p, q, f], bytes] = unpackComponents("urlunsplit", components, 5) as [Parts5, boolean];
  const url = unsplitStrings(s, n, p, q, f);
  return bytes ? encodeAscii(url) : url;
}

/**
 * Puts six components back into a URL; the inverse of {@link urlparse}.
 * Python's `urllib.parse.urlunparse`.
 *
 * @param components a {@link ParseResult} or any six strings, or six byte arrays
 * @throws {ValueError} Python's unpacking message when there are not exactly six components
 * @example
 * ```ts
 * urlunparse(["http", "a", "/b", "p", "q", "f"]); // "http://a/b;p?q#f"
 * ```
 */
export function urlunparse(components: Iterable<string>): string;
export function urlunparse(components: Iterable<Uint8Array>): Buffer;
export function urlunparse(components: Iterable<StrOrBytes>): string | Buffer;
export function urlunparse(components: Iterable<StrOrBytes>): string | Buffer {
  const [[s, n, p, a, q, f], bytes] = unpackComponents("urlunparse", components, 6) as [Parts6, boolean];
  const url = unparseStrings(s, n, p, a, q, f);
  return bytes ? encodeAscii(url) : url;
}

/** Options of {@link urljoin}. */
export interface UrljoinOptions {
  /**
   * Treat `#` as starting a fragment in both URLs.
   * @default true
   */
  allowFragments?: boolean | undefined;
}

/**
 * Resolves a URL reference against a base URL (RFC 3986 section 5, with
 * CPython's behaviour for schemes outside `usesRelative`). Python's
 * `urllib.parse.urljoin`.
 *
 * @throws {ValueError} as {@link urlsplit}
 * @throws {TypeError} when `base` and `url` mix text and bytes (both non-empty)
 * @example
 * ```ts
 * urljoin("http://a/b/c/d;p?q", "../g");  // "http://a/b/g"
 * urljoin("http://a/b/c/d;p?q", "//g");   // "http://g"
 * ```
 */
export function urljoin(base: string, url: string, options?: UrljoinOptions): string;
export function urljoin(base: Uint8Array, url: Uint8Array, options?: UrljoinOptions): Buffer;
export function urljoin(base: StrOrBytes, url: StrOrBytes, options?: UrljoinOptions): string | Buffer;
export function urljoin(base: StrOrBytes, url: StrOrBytes, options: UrljoinOptions = {}): string | Buffer {
  checkStrOrBytes("urljoin", "base", base);
  checkStrOrBytes("urljoin", "url", url);
  if (base.length === 0) return typeof url === "string" ? url : asBuffer(url);
  if (url.length === 0) return typeof base === "string" ? base : asBuffer(base);
  const allowFragments = options.allowFragments ?? true;
  if (typeof base === "string" && typeof url === "string") return joinText(base, url, allowFragments);
  const [[b, u], bytes] = coerceArgs([base, url]) as [[string, string], boolean];
  const joined = joinText(b, u, allowFragments);
  return bytes ? encodeAscii(joined) : joined;
}

/**
 * Splits off the fragment of a URL. Python's `urllib.parse.urldefrag`.
 *
 * @returns a {@link DefragResult} (or {@link DefragResultBytes}); the fragment is empty when there was none
 * @throws {ValueError} as {@link urlsplit}, when the URL has a `#`
 * @example
 * ```ts
 * urldefrag("http://a/b?q#frag"); // DefragResult(url='http://a/b?q', fragment='frag')
 * ```
 */
export function urldefrag(url: string): DefragResult;
export function urldefrag(url: Uint8Array): DefragResultBytes;
export function urldefrag(url: StrOrBytes): DefragResult | DefragResultBytes;
export function urldefrag(url: StrOrBytes): DefragResult | DefragResultBytes {
  checkStrOrBytes("urldefrag", "url", url);
  const [[text], bytes] = coerceArgs([url]) as [[string], boolean];
  let defrag = text;
  let frag = "";
  if (text.includes("#")) {
    const [s, n, p, a, q, f] = parseText(text, "", true);
    defrag = unparseStrings(s, n, p, a, q, "");
    frag = f;
  }
  return bytes
    ? new DefragResultBytes(encodeAscii(defrag), encodeAscii(frag))
    : new DefragResult(defrag, frag);
}

/**
 * Unwraps `<URL:scheme://host/path>` (RFC 1738 appendix) into
 * `scheme://host/path`; other text is returned stripped of surrounding
 * whitespace. Python's `urllib.parse.unwrap`.
 *
 * @example
 * ```ts
 * unwrap("<URL:http://a/b>"); // "http://a/b"
 * ```
 */
export function unwrap(url: string): string {
  // Python runs str() on anything; netkit refuses what is not text (String(null) would be "null").
  if (typeof url !== "string") throw argTypeError("unwrap", "url", "str", url);
  let text = pyStrip(url);
  if (text.startsWith("<") && text.endsWith(">")) text = pyStrip(text.slice(1, -1));
  if (text.startsWith("URL:")) text = pyStrip(text.slice(4));
  return text;
}
