/**
 * The result types of `urlsplit`, `urlparse` and `urldefrag` (internal module
 * of `netkit/urllib/parse`, re-exported there).
 *
 * Mirrors CPython's named tuples `SplitResult`, `ParseResult`, `DefragResult`
 * and their `...Bytes` twins. Each is a small class with named fields (own
 * properties, so reading `r.netloc` is a plain property load), tuple access
 * through prototype getters (`r[1]`, `r.length`, `[...r]`, destructuring),
 * the netloc properties of `_NetlocResultMixinBase` (`username`, `password`,
 * `hostname`, `port`), `geturl()`, `encode()`/`decode()` between the str and
 * bytes twins, and `replace()` for Python's `_replace()`.
 *
 * ```text
 * TupleResult<T>                      fields, length, iteration, repr
 *  ├── DefragResult / DefragResultBytes          (url, fragment)
 *  ├── SplitResult  / SplitResultBytes  + netloc (scheme, netloc, path, query, fragment)
 *  └── ParseResult  / ParseResultBytes  + netloc (... path, params, query, fragment)
 * ```
 *
 * @module
 */
import { inspect } from "node:util";
import { lookupCodec } from "../../_codecs.js";
import { reprBytes, reprStr } from "../../_pyrepr.js";
import { nameClasses, pyTypeName, ValueError, withCode } from "../../errors/index.js";
import { argTypeError, checkCodecOptions } from "./args.js";
import { asBuffer, coerceArgs, encodeAscii, type StrOrBytes } from "./coerce.js";

// ---------------------------------------------------------------------------
// Scheme classification (CPython's module-level lists)

/** Schemes whose URLs resolve relative references (`urljoin`). */
export const USES_RELATIVE: ReadonlySet<string> = new Set([
  "",
  "ftp",
  "http",
  "gopher",
  "nntp",
  "imap",
  "wais",
  "file",
  "https",
  "shttp",
  "mms",
  "prospero",
  "rtsp",
  "rtsps",
  "rtspu",
  "sftp",
  "svn",
  "svn+ssh",
  "ws",
  "wss",
]);

/** Schemes that have a `//netloc` part. */
export const USES_NETLOC: ReadonlySet<string> = new Set([
  "",
  "ftp",
  "http",
  "gopher",
  "nntp",
  "telnet",
  "imap",
  "wais",
  "file",
  "mms",
  "https",
  "shttp",
  "snews",
  "prospero",
  "rtsp",
  "rtsps",
  "rtspu",
  "rsync",
  "svn",
  "svn+ssh",
  "sftp",
  "nfs",
  "git",
  "git+ssh",
  "ws",
  "wss",
]);

/** Schemes whose last path segment may carry `;params` (`urlparse`). */
export const USES_PARAMS: ReadonlySet<string> = new Set([
  "",
  "ftp",
  "hdl",
  "prospero",
  "http",
  "imap",
  "https",
  "shttp",
  "rtsp",
  "rtsps",
  "rtspu",
  "sip",
  "sips",
  "mms",
  "sftp",
  "tel",
]);

// ---------------------------------------------------------------------------
// Joining components back (urlunsplit / urlunparse on strings)

/**
 * CPython's `urlunsplit` body on already-coerced strings, as the 3.11
 * security release 3.11.10 has it (gh-67693): a path starting with `//` gets
 * an empty authority `//` before it, so it cannot be read back as a host
 * (3.11.7 turns `("", "", "//evil.example/x")` into `//evil.example/x`, and
 * `("http", "", "//evil.example")` into `http://evil.example`).
 */
export function unsplitStrings(
  scheme: string,
  netloc: string,
  url: string,
  query: string,
  fragment: string,
): string {
  if (netloc || (scheme && USES_NETLOC.has(scheme)) || url.startsWith("//")) {
    if (url && url.charCodeAt(0) !== 0x2f) url = `/${url}`;
    url = `//${netloc}${url}`;
  }
  if (scheme) url = `${scheme}:${url}`;
  if (query) url = `${url}?${query}`;
  if (fragment) url = `${url}#${fragment}`;
  return url;
}

/** CPython's `urlunparse` body on already-coerced strings. */
export function unparseStrings(
  scheme: string,
  netloc: string,
  url: string,
  params: string,
  query: string,
  fragment: string,
): string {
  if (params) url = `${url};${params}`;
  return unsplitStrings(scheme, netloc, url, query, fragment);
}

/**
 * Python's tuple unpacking of `_coerce_args(*components)` into `count + 1`
 * names: the messages say "expected count + 1", as CPython's do. A missing
 * component may be `null` or `undefined` (Python's `None`), read as empty.
 *
 * @param fn the public function's Python name, for the TypeErrors
 * @throws {TypeError} for components that are not iterable, or an item that is not str or bytes
 */
export function unpackComponents(
  fn: string,
  components: Iterable<StrOrBytes>,
  count: number,
): [string[], boolean] {
  const iterable =
    components !== null &&
    components !== undefined &&
    typeof (components as { [Symbol.iterator]?: unknown })[Symbol.iterator] === "function";
  if (!iterable) throw argTypeError(fn, "components", "an iterable of str or bytes", components);
  const items = Array.isArray(components) ? components : [...components];
  for (const item of items as unknown[]) {
    if (item !== null && item !== undefined && typeof item !== "string" && !(item instanceof Uint8Array)) {
      throw withCode(
        new TypeError(`${fn}() components must be str or bytes, not ${pyTypeName(item)}`),
        "ERR_INVALID_ARG_TYPE",
      );
    }
  }
  if (items.length === 0) throw new ValueError("Cannot unpack an empty sequence of URL components");
  if (items.length < count) {
    throw new ValueError(`not enough values to unpack (expected ${count + 1}, got ${items.length + 1})`);
  }
  if (items.length > count) throw new ValueError(`too many values to unpack (expected ${count + 1})`);
  return coerceArgs(items);
}

// ---------------------------------------------------------------------------
// Netloc parts (CPython's _NetlocResultMixinStr._userinfo / _hostinfo)

/** `[username, password]` of a netloc: text before the last `@`, split at its first `:`. */
function userinfo(netloc: string): [string | null, string | null] {
  const at = netloc.lastIndexOf("@");
  if (at < 0) return [null, null];
  const info = netloc.slice(0, at);
  const colon = info.indexOf(":");
  return colon < 0 ? [info, null] : [info.slice(0, colon), info.slice(colon + 1)];
}

/** `[hostname, port]` of a netloc, brackets removed; an empty port is `null`. */
function hostinfo(netloc: string): [string, string | null] {
  const hostinfo = netloc.slice(netloc.lastIndexOf("@") + 1);
  let hostname: string;
  let port: string;
  const open = hostinfo.indexOf("[");
  if (open >= 0) {
    const bracketed = hostinfo.slice(open + 1);
    const close = bracketed.indexOf("]");
    if (close < 0) {
      hostname = bracketed;
      port = "";
    } else {
      hostname = bracketed.slice(0, close);
      const rest = bracketed.slice(close + 1);
      const colon = rest.indexOf(":");
      port = colon < 0 ? "" : rest.slice(colon + 1);
    }
  } else {
    const colon = hostinfo.indexOf(":");
    hostname = colon < 0 ? hostinfo : hostinfo.slice(0, colon);
    port = colon < 0 ? "" : hostinfo.slice(colon + 1);
  }
  return [hostname, port === "" ? null : port];
}

/** Lower-cases the host but not an IPv6 zone after `%` (`[fe80::1%tESt]` keeps `tESt`). */
function lowerHost(hostname: string, bytes: boolean): string {
  const pct = hostname.indexOf("%");
  const host = pct < 0 ? hostname : hostname.slice(0, pct);
  // bytes.lower() changes ASCII letters only; str.lower() is Unicode-aware.
  const lower = bytes ? asciiLower(host) : host.toLowerCase();
  return pct < 0 ? lower : lower + hostname.slice(pct);
}

function asciiLower(s: string): string {
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out += c >= 0x41 && c <= 0x5a ? String.fromCharCode(c + 0x20) : s[i];
  }
  return out;
}

/**
 * CPython's `port` property: ASCII digits only, 0..65535.
 *
 * @throws {ValueError} "Port could not be cast to integer value as '…'" or "Port out of range 0-65535".
 */
function portNumber(port: string | null, bytes: boolean): number | null {
  if (port === null) return null;
  if (!/^[0-9]+$/.test(port)) {
    const repr = bytes ? reprBytes(fromLatin1(port)) : reprStr(port);
    throw new ValueError(`Port could not be cast to integer value as ${repr}`);
  }
  const digits = port.replace(/^0+(?=.)/, "");
  if (digits.length > 5 || Number(digits) > 65535) throw new ValueError("Port out of range 0-65535");
  return Number(digits);
}

const latin1 = (b: Buffer) => b.toString("latin1");
const fromLatin1 = (s: string) => Buffer.from(s, "latin1");

// ---------------------------------------------------------------------------
// The classes

/** What `replace()` receives: some fields of a result, by name. */
type Changes<F extends string, T> = { readonly [K in F]?: T };

/**
 * The shared tuple behaviour of the result types: `length`, iteration,
 * index access (installed on each prototype), Python's `repr` for
 * `util.inspect` and `toString()`.
 */
abstract class TupleResult<T extends string | Buffer> implements Iterable<T> {
  /** The field names, in tuple order (Python's `_fields`). */
  declare readonly _fields: readonly string[];

  /** The number of fields, as Python's `len(result)`. */
  get length(): number {
    return this._fields.length;
  }

  /** Yields the fields in order, so `const [scheme, netloc] = result` works. */
  *[Symbol.iterator](): Iterator<T> {
    for (const field of this._fields) yield (this as unknown as Record<string, T>)[field]!;
  }

  /** The fields as a plain array (Python's `tuple(result)`). */
  toArray(): T[] {
    return [...this];
  }

  /** The fields as a plain object (Python's `_asdict()`). */
  asDict(): Record<string, T> {
    const out: Record<string, T> = {};
    for (const field of this._fields) out[field] = (this as unknown as Record<string, T>)[field]!;
    return out;
  }

  /** Python's `repr()`: `SplitResult(scheme='http', netloc='a', ...)`. */
  toString(): string {
    const parts = this._fields.map((f) => {
      const v = (this as unknown as Record<string, T>)[f]!;
      return `${f}=${typeof v === "string" ? reprStr(v) : reprBytes(v)}`;
    });
    return `${pyTypeName(this)}(${parts.join(", ")})`;
  }

  /** What `console.log` and `util.inspect` show: the same repr as {@link toString}. */
  [inspect.custom](): string {
    return this.toString();
  }

  /** Builds the same class with some fields changed (the engine of `replace()`). */
  protected _replaced(changes: Record<string, unknown>): unknown[] {
    const unknown = Object.keys(changes).filter((k) => !this._fields.includes(k));
    if (unknown.length > 0) {
      throw new ValueError(`Got unexpected field names: [${unknown.map((k) => reprStr(k)).join(", ")}]`);
    }
    return this._fields.map((f) =>
      Object.hasOwn(changes, f) && changes[f] !== undefined
        ? changes[f]
        : (this as unknown as Record<string, unknown>)[f],
    );
  }
}

function installTuple(proto: object, fields: readonly string[]): void {
  Object.defineProperty(proto, "_fields", { value: Object.freeze([...fields]) });
  fields.forEach((field, i) => {
    Object.defineProperty(proto, i, {
      get(this: Record<string, unknown>) {
        return this[field];
      },
      enumerable: false,
    });
  });
}

/** Options of the results' `encode()` and `decode()`: Python's `encoding` and `errors` arguments. */
export interface CodecOptions {
  /**
   * A Python encoding name (`"utf-8"`, `"latin-1"`, `"ascii"` and their aliases).
   * @default "ascii"
   */
  encoding?: string | undefined;
  /**
   * A Python error handler name.
   * @default "strict"
   */
  errors?: string | undefined;
}

function encodeAll(values: string[], options: CodecOptions): Buffer[] {
  checkCodecOptions("encode", options.encoding, options.errors);
  const codec = lookupCodec(options.encoding ?? "ascii");
  const errors = options.errors ?? "strict";
  return values.map((v) => codec.encode(v, errors));
}

function decodeAll(values: Buffer[], options: CodecOptions): string[] {
  checkCodecOptions("decode", options.encoding, options.errors);
  const codec = lookupCodec(options.encoding ?? "ascii");
  const errors = options.errors ?? "strict";
  return values.map((v) => codec.decode(v, errors));
}

/**
 * Python's `DefragResult(url, fragment)`: what `urldefrag` returns for a string.
 *
 * @example
 * ```ts
 * const r = urldefrag("http://a/b#c");
 * r.url;      // "http://a/b"
 * r.fragment; // "c"
 * r.geturl(); // "http://a/b#c"
 * ```
 */
export class DefragResult extends TupleResult<string> {
  /** The URL without its fragment. */
  readonly url: string;
  /** The fragment, without `#` (empty when there was none). */
  readonly fragment: string;
  /** The same as `url`, by index, as in Python's tuple. */
  declare readonly 0: string;
  /** The same as `fragment`, by index, as in Python's tuple. */
  declare readonly 1: string;
  /** The field names, as Python's `DefragResult._fields`. */
  static readonly fields = ["url", "fragment"] as const;

  constructor(url: string, fragment: string) {
    super();
    this.url = url;
    this.fragment = fragment;
  }

  /** The URL with its fragment put back (`#` only when the fragment is non-empty). */
  geturl(): string {
    return this.fragment ? `${this.url}#${this.fragment}` : this.url;
  }

  /**
   * Python's `encode()`: the `DefragResultBytes` of the encoded fields.
   * @throws {UnicodeEncodeError} or {UnicodeDecodeError} when a field does not fit the encoding
   */
  encode(options: CodecOptions = {}): DefragResultBytes {
    const [u, f] = encodeAll([this.url, this.fragment], options) as [Buffer, Buffer];
    return new DefragResultBytes(u, f);
  }

  /** A copy with some fields changed (Python's `_replace()`). @throws {ValueError} for an unknown field. */
  replace(changes: Changes<"url" | "fragment", string>): DefragResult {
    const [u, f] = this._replaced(changes) as [string, string];
    return new DefragResult(u, f);
  }
}

/** Python's `DefragResultBytes`: {@link DefragResult} with `Buffer` fields. */
export class DefragResultBytes extends TupleResult<Buffer> {
  /** The URL without its fragment. */
  readonly url: Buffer;
  /** The fragment, without `#`. */
  readonly fragment: Buffer;
  /** The same as `url`, by index, as in Python's tuple. */
  declare readonly 0: Buffer;
  /** The same as `fragment`, by index, as in Python's tuple. */
  declare readonly 1: Buffer;
  /** The field names. */
  static readonly fields = ["url", "fragment"] as const;

  constructor(url: Uint8Array, fragment: Uint8Array) {
    super();
    this.url = asBuffer(url);
    this.fragment = asBuffer(fragment);
  }

  /** The URL with its fragment put back. */
  geturl(): Buffer {
    return this.fragment.length ? Buffer.concat([this.url, Buffer.from("#"), this.fragment]) : this.url;
  }

  /**
   * Python's `decode()`: the `DefragResult` of the decoded fields.
   * @throws {UnicodeEncodeError} or {UnicodeDecodeError} when a field does not fit the encoding
   */
  decode(options: CodecOptions = {}): DefragResult {
    const [u, f] = decodeAll([this.url, this.fragment], options) as [string, string];
    return new DefragResult(u, f);
  }

  /** A copy with some fields changed. */
  replace(changes: Changes<"url" | "fragment", Uint8Array>): DefragResultBytes {
    const [u, f] = this._replaced(changes) as [Buffer, Buffer];
    return new DefragResultBytes(u, f);
  }
}

/**
 * The netloc properties shared by split and parse results on strings
 * (CPython's `_NetlocResultMixinStr`).
 */
abstract class NetlocResult extends TupleResult<string> {
  abstract readonly netloc: string;

  /** The user name before the last `@` of the netloc, or `null`. */
  get username(): string | null {
    return userinfo(this.netloc)[0];
  }

  /** The password after the first `:` of the userinfo, or `null`. */
  get password(): string | null {
    return userinfo(this.netloc)[1];
  }

  /**
   * The host, lower-cased (an IPv6 zone keeps its case), without brackets;
   * `null` when empty.
   */
  get hostname(): string | null {
    const [host] = hostinfo(this.netloc);
    return host ? lowerHost(host, false) : null;
  }

  /**
   * The port as a number, or `null` when there is none.
   * @throws {ValueError} when the port is not ASCII digits or is above 65535.
   */
  get port(): number | null {
    return portNumber(hostinfo(this.netloc)[1], false);
  }
}

/** The netloc properties of bytes results (CPython's `_NetlocResultMixinBytes`). */
abstract class NetlocResultBytes extends TupleResult<Buffer> {
  abstract readonly netloc: Buffer;

  /** The user name, or `null`. */
  get username(): Buffer | null {
    const u = userinfo(latin1(this.netloc))[0];
    return u === null ? null : fromLatin1(u);
  }

  /** The password, or `null`. */
  get password(): Buffer | null {
    const p = userinfo(latin1(this.netloc))[1];
    return p === null ? null : fromLatin1(p);
  }

  /** The host, ASCII-lower-cased, without brackets; `null` when empty. */
  get hostname(): Buffer | null {
    const [host] = hostinfo(latin1(this.netloc));
    return host ? fromLatin1(lowerHost(host, true)) : null;
  }

  /**
   * The port as a number, or `null`.
   * @throws {ValueError} when the port is not ASCII digits or is above 65535.
   */
  get port(): number | null {
    return portNumber(hostinfo(latin1(this.netloc))[1], true);
  }
}

/** The fields of a split result. */
export type SplitField = "scheme" | "netloc" | "path" | "query" | "fragment";
/** The fields of a parse result. */
export type ParseField = SplitField | "params";

/**
 * Python's `SplitResult(scheme, netloc, path, query, fragment)`: what
 * `urlsplit` returns for a string.
 *
 * @example
 * ```ts
 * const r = urlsplit("http://user@Example.com:8080/p?q#f");
 * r.hostname; // "example.com"
 * r.port;     // 8080
 * r[2];       // "/p"
 * const [scheme, netloc] = r;
 * ```
 */
export class SplitResult extends NetlocResult {
  /** The scheme, lower-cased, without `:`. */
  readonly scheme: string;
  /** The network location (`user:pass@host:port`), without `//`. */
  readonly netloc: string;
  /** The path. */
  readonly path: string;
  /** The query, without `?`. */
  readonly query: string;
  /** The fragment, without `#`. */
  readonly fragment: string;
  /** The same as `scheme`, by index, as in Python's tuple. */
  declare readonly 0: string;
  /** The same as `netloc`, by index, as in Python's tuple. */
  declare readonly 1: string;
  /** The same as `path`, by index, as in Python's tuple. */
  declare readonly 2: string;
  /** The same as `query`, by index, as in Python's tuple. */
  declare readonly 3: string;
  /** The same as `fragment`, by index, as in Python's tuple. */
  declare readonly 4: string;
  /** The field names, as Python's `SplitResult._fields`. */
  static readonly fields = ["scheme", "netloc", "path", "query", "fragment"] as const;

  constructor(scheme: string, netloc: string, path: string, query: string, fragment: string) {
    super();
    this.scheme = scheme;
    this.netloc = netloc;
    this.path = path;
    this.query = query;
    this.fragment = fragment;
  }

  /** The URL put back together (Python's `geturl()`, i.e. `urlunsplit(self)`). */
  geturl(): string {
    return unsplitStrings(this.scheme, this.netloc, this.path, this.query, this.fragment);
  }

  /** Python's `encode()`: the `SplitResultBytes` of the encoded fields. */
  encode(options: CodecOptions = {}): SplitResultBytes {
    const f = encodeAll([...this], options) as [Buffer, Buffer, Buffer, Buffer, Buffer];
    return new SplitResultBytes(...f);
  }

  /** A copy with some fields changed (Python's `_replace()`). @throws {ValueError} for an unknown field. */
  replace(changes: Changes<SplitField, string>): SplitResult {
    const f = this._replaced(changes) as [string, string, string, string, string];
    return new SplitResult(...f);
  }
}

/** Python's `SplitResultBytes`: {@link SplitResult} with `Buffer` fields. */
export class SplitResultBytes extends NetlocResultBytes {
  /** The scheme. */
  readonly scheme: Buffer;
  /** The network location. */
  readonly netloc: Buffer;
  /** The path. */
  readonly path: Buffer;
  /** The query. */
  readonly query: Buffer;
  /** The fragment. */
  readonly fragment: Buffer;
  /** The same as `scheme`, by index, as in Python's tuple. */
  declare readonly 0: Buffer;
  /** The same as `netloc`, by index, as in Python's tuple. */
  declare readonly 1: Buffer;
  /** The same as `path`, by index, as in Python's tuple. */
  declare readonly 2: Buffer;
  /** The same as `query`, by index, as in Python's tuple. */
  declare readonly 3: Buffer;
  /** The same as `fragment`, by index, as in Python's tuple. */
  declare readonly 4: Buffer;
  /** The field names. */
  static readonly fields = SplitResult.fields;

  constructor(
    scheme: Uint8Array,
    netloc: Uint8Array,
    path: Uint8Array,
    query: Uint8Array,
    fragment: Uint8Array,
  ) {
    super();
    this.scheme = asBuffer(scheme);
    this.netloc = asBuffer(netloc);
    this.path = asBuffer(path);
    this.query = asBuffer(query);
    this.fragment = asBuffer(fragment);
  }

  /** The URL put back together. @throws {UnicodeDecodeError} when a field is not ASCII. */
  geturl(): Buffer {
    const [[s, n, p, q, f]] = unpackComponents("urlunsplit", this, 5) as [
      [string, string, string, string, string],
      boolean,
    ];
    return encodeAscii(unsplitStrings(s, n, p, q, f));
  }

  /** Python's `decode()`: the `SplitResult` of the decoded fields. */
  decode(options: CodecOptions = {}): SplitResult {
    const f = decodeAll([...this], options) as [string, string, string, string, string];
    return new SplitResult(...f);
  }

  /** A copy with some fields changed. */
  replace(changes: Changes<SplitField, Uint8Array>): SplitResultBytes {
    const f = this._replaced(changes) as [Buffer, Buffer, Buffer, Buffer, Buffer];
    return new SplitResultBytes(...f);
  }
}

/**
 * Python's `ParseResult(scheme, netloc, path, params, query, fragment)`:
 * what `urlparse` returns for a string.
 *
 * @example
 * ```ts
 * const r = urlparse("http://a/b;type=d?q");
 * r.params; // "type=d"
 * r.geturl(); // "http://a/b;type=d?q"
 * ```
 */
export class ParseResult extends NetlocResult {
  /** The scheme, lower-cased. */
  readonly scheme: string;
  /** The network location. */
  readonly netloc: string;
  /** The path, without `;params`. */
  readonly path: string;
  /** The parameters of the last path segment, without `;`. */
  readonly params: string;
  /** The query. */
  readonly query: string;
  /** The fragment. */
  readonly fragment: string;
  /** The same as `scheme`, by index, as in Python's tuple. */
  declare readonly 0: string;
  /** The same as `netloc`, by index, as in Python's tuple. */
  declare readonly 1: string;
  /** The same as `path`, by index, as in Python's tuple. */
  declare readonly 2: string;
  /** The same as `params`, by index, as in Python's tuple. */
  declare readonly 3: string;
  /** The same as `query`, by index, as in Python's tuple. */
  declare readonly 4: string;
  /** The same as `fragment`, by index, as in Python's tuple. */
  declare readonly 5: string;
  /** The field names, as Python's `ParseResult._fields`. */
  static readonly fields = ["scheme", "netloc", "path", "params", "query", "fragment"] as const;

  constructor(scheme: string, netloc: string, path: string, params: string, query: string, fragment: string) {
    super();
    this.scheme = scheme;
    this.netloc = netloc;
    this.path = path;
    this.params = params;
    this.query = query;
    this.fragment = fragment;
  }

  /** The URL put back together (`urlunparse(self)`). */
  geturl(): string {
    return unparseStrings(this.scheme, this.netloc, this.path, this.params, this.query, this.fragment);
  }

  /** Python's `encode()`: the `ParseResultBytes` of the encoded fields. */
  encode(options: CodecOptions = {}): ParseResultBytes {
    const f = encodeAll([...this], options) as [Buffer, Buffer, Buffer, Buffer, Buffer, Buffer];
    return new ParseResultBytes(...f);
  }

  /** A copy with some fields changed. @throws {ValueError} for an unknown field. */
  replace(changes: Changes<ParseField, string>): ParseResult {
    const f = this._replaced(changes) as [string, string, string, string, string, string];
    return new ParseResult(...f);
  }
}

/** Python's `ParseResultBytes`: {@link ParseResult} with `Buffer` fields. */
export class ParseResultBytes extends NetlocResultBytes {
  /** The scheme. */
  readonly scheme: Buffer;
  /** The network location. */
  readonly netloc: Buffer;
  /** The path. */
  readonly path: Buffer;
  /** The parameters. */
  readonly params: Buffer;
  /** The query. */
  readonly query: Buffer;
  /** The fragment. */
  readonly fragment: Buffer;
  /** The same as `scheme`, by index, as in Python's tuple. */
  declare readonly 0: Buffer;
  /** The same as `netloc`, by index, as in Python's tuple. */
  declare readonly 1: Buffer;
  /** The same as `path`, by index, as in Python's tuple. */
  declare readonly 2: Buffer;
  /** The same as `params`, by index, as in Python's tuple. */
  declare readonly 3: Buffer;
  /** The same as `query`, by index, as in Python's tuple. */
  declare readonly 4: Buffer;
  /** The same as `fragment`, by index, as in Python's tuple. */
  declare readonly 5: Buffer;
  /** The field names. */
  static readonly fields = ParseResult.fields;

  constructor(
    scheme: Uint8Array,
    netloc: Uint8Array,
    path: Uint8Array,
    params: Uint8Array,
    query: Uint8Array,
    fragment: Uint8Array,
  ) {
    super();
    this.scheme = asBuffer(scheme);
    this.netloc = asBuffer(netloc);
    this.path = asBuffer(path);
    this.params = asBuffer(params);
    this.query = asBuffer(query);
    this.fragment = asBuffer(fragment);
  }

  /** The URL put back together. @throws {UnicodeDecodeError} when a field is not ASCII. */
  geturl(): Buffer {
    const [[s, n, p, a, q, f]] = unpackComponents("urlunparse", this, 6) as [
      [string, string, string, string, string, string],
      boolean,
    ];
    return encodeAscii(unparseStrings(s, n, p, a, q, f));
  }

  /** Python's `decode()`: the `ParseResult` of the decoded fields. */
  decode(options: CodecOptions = {}): ParseResult {
    const f = decodeAll([...this], options) as [string, string, string, string, string, string];
    return new ParseResult(...f);
  }

  /** A copy with some fields changed. */
  replace(changes: Changes<ParseField, Uint8Array>): ParseResultBytes {
    const f = this._replaced(changes) as [Buffer, Buffer, Buffer, Buffer, Buffer, Buffer];
    return new ParseResultBytes(...f);
  }
}

installTuple(DefragResult.prototype, DefragResult.fields);
installTuple(DefragResultBytes.prototype, DefragResultBytes.fields);
installTuple(SplitResult.prototype, SplitResult.fields);
installTuple(SplitResultBytes.prototype, SplitResultBytes.fields);
installTuple(ParseResult.prototype, ParseResult.fields);
installTuple(ParseResultBytes.prototype, ParseResultBytes.fields);

nameClasses({
  DefragResult,
  DefragResultBytes,
  SplitResult,
  SplitResultBytes,
  ParseResult,
  ParseResultBytes,
});
