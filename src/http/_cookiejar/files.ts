/**
 * Python's `FileCookieJar`, `MozillaCookieJar` (cookies.txt, as curl and
 * wget write it) and `LWPCookieJar` (libwww-perl's Set-Cookie3 lines), and
 * `LoadError` (internal; re-exported by `netkit/http/cookiejar`).
 *
 * Loading and saving are async (node:fs/promises). Saving writes a temporary
 * file beside the target (mode 0600), flushes it and renames it over the
 * target, so a crash leaves either the old file or the new one, never half of
 * one. Loading refuses files over {@link MAX_COOKIE_FILE_BYTES} and a file
 * without its format's first line (`LoadError`, the latter as in Python).
 *
 * A malformed cookie line is skipped and the rest of the file loads (curl
 * does the same), and so is a line over {@link MAX_COOKIE_FILE_LINE} or one
 * that is not UTF-8. Python raises `LoadError` at the first malformed line
 * (UnicodeDecodeError at bad UTF-8), after loading the cookies above it and
 * none below: what a file yields would then depend on where one bad line
 * stands.
 *
 * @module
 */
import { randomBytes } from "node:crypto";
import { open, rename, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { compareCodePoints, pyIntOrThrow, pyStrip } from "../../_pystr.js";
import { decodeUtf8Lines } from "../../_utf8_lines.js";
import { nameClasses, nameErrors, OSError, OverflowError, pyRepr, ValueError } from "../../errors/index.js";
import { Cookie } from "./cookie.js";
import { iso2time, time2isoz } from "./dates.js";
import { type HeaderPair, joinHeaderWords, splitHeaderWords } from "./headers.js";
import { CookieJar } from "./jar.js";
import type { CookiePolicy } from "./policy.js";

/** Largest cookie file `load()` reads: 16 MiB (browsers keep about 3,000 cookies of at most 4 KiB). */
export const MAX_COOKIE_FILE_BYTES = 16 * 1024 * 1024;
/** Longest line `load()` accepts: 64 KiB, netkit's header line limit. */
export const MAX_COOKIE_FILE_LINE = 65536;

const MISSING_FILENAME_TEXT =
  "a filename was not supplied (nor was the CookieJar instance initialised with one)";
const HTTPONLY_ATTR = "HTTPOnly";
const HTTPONLY_PREFIX = "#HttpOnly_";
const NETSCAPE_MAGIC_RE = /^#( Netscape)? HTTP Cookie File/;
const NETSCAPE_HEADER_TEXT =
  "# Netscape HTTP Cookie File\n# http://curl.haxx.se/rfc/cookie_spec.html\n# This is a generated file!  Do not edit.\n\n";
const LWP_MAGIC_RE = /^#LWP-Cookies-([0-9]+\.[0-9]+)/;

/**
 * Python's `http.cookiejar.LoadError`: a cookie file is not in the expected
 * format (a subclass of OSError, as in Python).
 */
export class LoadError extends OSError {
  static override defaultCode = "ERR_COOKIE_LOAD";
  constructor(message: string, options?: { cause?: unknown }) {
    super(undefined, message, undefined, options);
  }
}

/** Options of {@link FileCookieJar.load} and {@link FileCookieJar.revert}. */
export interface LoadOptions {
  /** Load session cookies too. @default false */
  ignoreDiscard?: boolean | undefined;
  /** Load expired cookies too. @default false */
  ignoreExpires?: boolean | undefined;
  /** Refuse a larger file (LoadError). @default MAX_COOKIE_FILE_BYTES */
  maxBytes?: number | undefined;
  /** Skip a longer line, as a line that is no cookie. @default MAX_COOKIE_FILE_LINE */
  maxLineLength?: number | undefined;
}

/** Options of {@link FileCookieJar.save}. */
export interface SaveOptions {
  /** Save session cookies too. @default false */
  ignoreDiscard?: boolean | undefined;
  /** Save expired cookies too. @default false */
  ignoreExpires?: boolean | undefined;
  /**
   * MozillaCookieJar only: write a session cookie's expiry as `0`, as curl
   * does, instead of Python's empty field. curl skips a line with an empty
   * field, so use this for files curl reads; Python 3.11 reads `0` as expired
   * (netkit reads it as a session cookie).
   * @default false
   */
  curlSessionExpiry?: boolean | undefined;
}

/** Options of the {@link FileCookieJar} constructors. */
export interface FileCookieJarOptions {
  /** Python's `delayload` (kept for the shape; every load is explicit). @default false */
  delayload?: boolean | undefined;
  /** The policy. @default a new DefaultCookiePolicy */
  policy?: CookiePolicy | null | undefined;
}

/**
 * Python's `readline()` over a text file in universal-newline mode: lines
 * with their `\n` (CR and CRLF read as LF), the last one possibly without.
 */
function readLines(text: string): string[] {
  const normal = text.replace(/\r\n?/g, "\n");
  const lines: string[] = [];
  let at = 0;
  while (at < normal.length) {
    const nl = normal.indexOf("\n", at);
    const end = nl < 0 ? normal.length : nl + 1;
    lines.push(normal.slice(at, end));
    at = end;
  }
  return lines;
}

/**
 * `text` with each line longer than `maxLineLength` characters emptied (its
 * line break kept), so the loader skips it as it skips any line that is no
 * cookie; an over-long first line is then no magic line (LoadError).
 */
function emptyLongLines(text: string, maxLineLength: number): string {
  const lines = readLines(text);
  if (!lines.some((line) => line.length > maxLineLength + 1)) return text;
  return lines
    .map((line) => (line.length <= maxLineLength + 1 ? line : line.endsWith("\n") ? "\n" : ""))
    .join("");
}

/**
 * A cookie file's bytes as UTF-8 text; a line that is not UTF-8 is emptied
 * (its line break kept), so the loader skips it as it skips any line that is
 * no cookie. Python raises UnicodeDecodeError and loads nothing after it.
 */
function decodeCookieFile(bytes: Buffer): string {
  return decodeUtf8Lines(bytes).text;
}

/**
 * Python's `FileCookieJar`: a {@link CookieJar} that loads from and saves to
 * a file. Subclasses implement the format: `reallyLoad(text, ...)` (Python's
 * `_really_load`) and `dumps(...)` (the text `save` writes).
 *
 * Differs from Python: `load`, `save` and `revert` are async; `save` is
 * atomic (temporary file + rename, mode 0600, so a link at the target is
 * replaced, not followed); `load` has a size limit; `load` skips a malformed
 * cookie line, an over-long one and one that is not UTF-8 instead of raising
 * LoadError (or UnicodeDecodeError) after loading part of the file.
 */
export abstract class FileCookieJar extends CookieJar {
  /** The default file of `load`, `save` and `revert`. */
  filename: string | null;
  /** Python's `delayload` flag (no effect here, as in Python's own classes). */
  delayload: boolean;

  /** Python's `FileCookieJar(filename=None, delayload=False, policy=None)`. */
  constructor(filename?: string | null, options: FileCookieJarOptions = {}) {
    super(options.policy ?? null);
    this.filename = filename ?? null;
    this.delayload = options.delayload ?? false;
  }

  #file(filename: string | null | undefined): string {
    const f = filename ?? this.filename;
    if (f === null) throw new ValueError(MISSING_FILENAME_TEXT);
    return f;
  }

  /** Parses `text` (the file's contents) and stores its cookies. Python's `_really_load`. */
  protected abstract reallyLoad(
    text: string,
    filename: string,
    ignoreDiscard: boolean,
    ignoreExpires: boolean,
  ): void;

  /** The file's text for {@link save}. */
  abstract dumps(options?: SaveOptions): string;

  async #read(filename: string, options: LoadOptions): Promise<string> {
    const maxBytes = options.maxBytes ?? MAX_COOKIE_FILE_BYTES;
    let data: Buffer;
    try {
      const fh = await open(filename, "r");
      try {
        const buf = Buffer.alloc(Math.min(maxBytes + 1, (await fh.stat()).size + 1));
        let n = 0;
        while (n < buf.length) {
          const { bytesRead } = await fh.read(buf, n, buf.length - n, null);
          if (bytesRead === 0) break;
          n += bytesRead;
        }
        data = buf.subarray(0, n);
      } finally {
        await fh.close();
      }
    } catch (err) {
      throw OSError.fromNodeError(err, filename);
    }
    if (data.length > maxBytes) {
      throw new LoadError(`cookie file ${pyRepr(filename)} is larger than ${maxBytes} bytes`);
    }
    return decodeCookieFile(data);
  }

  /** Empties the lines over the line limit, then runs {@link reallyLoad}. */
  #parse(text: string, filename: string, options: LoadOptions): void {
    const kept = emptyLongLines(text, options.maxLineLength ?? MAX_COOKIE_FILE_LINE);
    this.reallyLoad(kept, filename, options.ignoreDiscard ?? false, options.ignoreExpires ?? false);
  }

  /**
   * Python's `load(filename=None, ignore_discard=False, ignore_expires=False)`:
   * adds the file's cookies to the jar.
   *
   * @throws {LoadError} for a file not in the format (no magic first line) or too large
   * @throws {OSError} (FileNotFoundError, PermissionError, ...) when it cannot be read
   * @throws {ValueError} when there is no file name
   */
  async load(filename?: string | null, options: LoadOptions = {}): Promise<void> {
    const file = this.#file(filename);
    const text = await this.#read(file, options);
    this.#parse(text, file, options);
  }

  /**
   * Python's `revert(filename=None, ...)`: clears the jar and loads the file;
   * when that fails the jar keeps what it had (the swap happens after the read,
   * in one synchronous step).
   */
  async revert(filename?: string | null, options: LoadOptions = {}): Promise<void> {
    const file = this.#file(filename);
    const text = await this.#read(file, options);
    const old = this.takeState();
    try {
      this.#parse(text, file, options);
    } catch (err) {
      this.restoreState(old);
      throw err;
    }
  }

  /**
   * Python's `save(filename=None, ignore_discard=False, ignore_expires=False)`:
   * writes the cookies, atomically (temporary file, flush, rename), mode 0600.
   *
   * @throws {OSError} when the file cannot be written
   * @throws {ValueError} when there is no file name
   */
  async save(filename?: string | null, options: SaveOptions = {}): Promise<void> {
    const file = this.#file(filename);
    const text = this.dumps(options);
    const tmp = join(
      dirname(file),
      `.${basename(file)}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`,
    );
    try {
      const fh = await open(tmp, "wx", 0o600);
      try {
        await fh.writeFile(text, "utf8");
        await fh.sync();
      } finally {
        await fh.close();
      }
      await rename(tmp, file);
    } catch (err) {
      await unlink(tmp).catch(() => undefined);
      throw OSError.fromNodeError(err, file);
    }
  }
}

/**
 * Python's `lwp_cookie_str(cookie)`: one cookie as the value of a
 * `Set-Cookie3:` line.
 */
export function lwpCookieStr(cookie: Cookie): string {
  const h: Array<[string, string | null]> = [
    [cookie.name, cookie.value],
    ["path", cookie.path],
    ["domain", cookie.domain],
  ];
  if (cookie.port !== null) h.push(["port", cookie.port]);
  if (cookie.pathSpecified) h.push(["path_spec", null]);
  if (cookie.portSpecified) h.push(["port_spec", null]);
  if (cookie.domainInitialDot) h.push(["domain_dot", null]);
  if (cookie.secure) h.push(["secure", null]);
  if (cookie.expires) h.push(["expires", time2isoz(cookie.expires)]);
  if (cookie.discard) h.push(["discard", null]);
  if (cookie.comment) h.push(["comment", cookie.comment]);
  if (cookie.commentUrl) h.push(["commenturl", cookie.commentUrl]);
  const rest = cookie.nonstandardAttrs().sort(([a], [b]) => compareCodePoints(a, b));
  for (const [k, v] of rest) h.push([k, v === null ? "None" : v]);
  h.push(["version", cookie.version === null ? "None" : String(cookie.version)]);
  return joinHeaderWords([h]);
}

/**
 * What a line builds, or `undefined` when its content is malformed (a
 * `ValueError` or `OverflowError` from the parse: a missing field, a number
 * that is none, a date out of range). Any other error is a bug and goes up.
 */
function cookieOrSkip<T>(build: () => T): T | undefined {
  try {
    return build();
  } catch (err) {
    if (err instanceof ValueError || err instanceof OverflowError) return undefined;
    throw err;
  }
}

/** Python's truth value of what a Set-Cookie3 line gave a flag: `True`, or its text. */
function flag(v: string | true | undefined | null): boolean {
  return v === true || (typeof v === "string" && v !== "");
}

/**
 * Python's `LWPCookieJar`: the `#LWP-Cookies-2.0` file of `Set-Cookie3:`
 * lines that libwww-perl reads and writes; keeps every RFC 2965 detail.
 *
 * @example
 * ```ts world
 * const jar = new LWPCookieJar("cookies.lwp");
 * await jar.load(undefined, { ignoreDiscard: true });
 * ```
 */
export class LWPCookieJar extends FileCookieJar {
  /** Python's `as_lwp_str(ignore_discard=True, ignore_expires=True)`: the `Set-Cookie3:` lines. */
  asLwpStr(options: SaveOptions = {}): string {
    const ignoreDiscard = options.ignoreDiscard ?? true;
    const ignoreExpires = options.ignoreExpires ?? true;
    const now = Date.now() / 1000;
    const r: string[] = [];
    for (const cookie of this) {
      if (!ignoreDiscard && cookie.discard) continue;
      if (!ignoreExpires && cookie.isExpired(now)) continue;
      const line = lwpCookieStr(cookie);
      // A line break would end the line early and let the rest pass for a line of its own.
      if (/[\n\r]/.test(line)) continue;
      r.push(`Set-Cookie3: ${line}`);
    }
    return [...r, ""].join("\n");
  }

  /** What `save()` writes: the magic line, then {@link asLwpStr}. */
  override dumps(options: SaveOptions = {}): string {
    return `#LWP-Cookies-2.0\n${this.asLwpStr({
      ignoreDiscard: options.ignoreDiscard ?? false,
      ignoreExpires: options.ignoreExpires ?? false,
    })}`;
  }

  /**
   * Python's `_really_load`: the cookies of every `Set-Cookie3:` line. A
   * line holding a cookie it cannot make (no domain or path, a version that
   * is no number) is skipped whole; Python raises LoadError there and loads
   * no more.
   */
  protected override reallyLoad(
    text: string,
    filename: string,
    ignoreDiscard: boolean,
    ignoreExpires: boolean,
  ): void {
    const lines = readLines(text);
    if (!LWP_MAGIC_RE.test(lines[0] ?? "")) {
      throw new LoadError(`${pyRepr(filename)} does not look like a Set-Cookie3 (LWP) format file`);
    }
    const now = Date.now() / 1000;
    for (const line of lines.slice(1)) {
      if (!line.startsWith(LWP_HEADER)) continue;
      // A line is taken whole or not at all: one bad word (`a,b=c` splits in two) spoils all of it.
      const words = splitHeaderWords([pyStrip(line.slice(LWP_HEADER.length))]);
      const cookies = cookieOrSkip(() => words.map(lwpCookie));
      for (const c of cookies ?? []) {
        if (!ignoreDiscard && c.discard) continue;
        if (!ignoreExpires && c.isExpired(now)) continue;
        this.setCookie(c);
      }
    }
  }
}

const LWP_HEADER = "Set-Cookie3:";
const LWP_BOOLEAN_ATTRS = new Set(["port_spec", "path_spec", "domain_dot", "secure", "discard"]);
const LWP_VALUE_ATTRS = new Set(["version", "port", "path", "domain", "expires", "comment", "commenturl"]);

/**
 * One cookie of a `Set-Cookie3:` line, from its header words (the body of
 * Python's `LWPCookieJar._really_load` loop).
 * @throws {ValueError} for a cookie without a domain or a path, or a version that is no integer
 */
function lwpCookie(data: HeaderPair[]): Cookie {
  const [name, value] = data[0]!;
  const standard = new Map<string, string | true | null>();
  const rest: Array<[string, string | null]> = [];
  for (const k of LWP_BOOLEAN_ATTRS) standard.set(k, null);
  for (const [k0, v] of data.slice(1)) {
    const lc = k0.toLowerCase();
    // don't lose case distinction for unknown fields
    const k = LWP_VALUE_ATTRS.has(lc) || LWP_BOOLEAN_ATTRS.has(lc) ? lc : k0;
    if (LWP_BOOLEAN_ATTRS.has(k)) standard.set(k, v === null ? true : v);
    else if (LWP_VALUE_ATTRS.has(k)) standard.set(k, v);
    else rest.push([k, v]);
  }
  const h = (k: string) => standard.get(k) ?? null;
  const text = (k: string) => {
    const v = h(k);
    return v === true ? null : v;
  };
  const expiresText = text("expires");
  let expires = expiresText === null ? null : iso2time(expiresText);
  let discard = flag(h("discard"));
  if (expires === null) discard = true;
  const domain = text("domain");
  const path = text("path");
  if (domain === null) throw new ValueError("a Set-Cookie3 line without a domain");
  if (path === null) throw new ValueError("a Set-Cookie3 line without a path");
  const versionText = text("version");
  const version = versionText === null ? null : pyIntOrThrow(versionText);
  if (expires !== null) expires = Math.trunc(expires);
  const portSpec = h("port_spec");
  return new Cookie({
    version,
    name,
    value,
    port: text("port"),
    // Python raises only for `port_spec` given as a bare flag (True) without a port.
    portSpecified: portSpec === true ? true : flag(portSpec) && text("port") !== null,
    domain,
    domainSpecified: domain.startsWith("."),
    domainInitialDot: flag(h("domain_dot")),
    path,
    pathSpecified: flag(h("path_spec")),
    secure: flag(h("secure")),
    expires,
    discard,
    comment: text("comment"),
    commentUrl: text("commenturl"),
    rest,
  });
}

/**
 * Python's `MozillaCookieJar`: the Netscape `cookies.txt` format that curl
 * (`-c`/`-b`), wget and browsers' export tools use. Seven tab-separated
 * fields a line: domain, include-subdomains flag, path, secure, expiry,
 * name, value; `#HttpOnly_` before the domain marks an HttpOnly cookie.
 *
 * Differs from Python: an expiry of `0` (how curl writes a session cookie)
 * loads as a session cookie; Python 3.11 reads it as expired in 1970 and
 * drops it.
 *
 * @example
 * ```ts world
 * const jar = new MozillaCookieJar("cookies.txt");
 * await jar.load();                       // a file curl -c wrote
 * await jar.save(undefined, { ignoreDiscard: true });
 * ```
 */
export class MozillaCookieJar extends FileCookieJar {
  /** What `save()` writes: the Netscape header, then one line per cookie. */
  override dumps(options: SaveOptions = {}): string {
    const ignoreDiscard = options.ignoreDiscard ?? false;
    const ignoreExpires = options.ignoreExpires ?? false;
    const now = Date.now() / 1000;
    let out = NETSCAPE_HEADER_TEXT;
    for (const cookie of this) {
      let domain = cookie.domain;
      if (!ignoreDiscard && cookie.discard) continue;
      if (!ignoreExpires && cookie.isExpired(now)) continue;
      const secure = cookie.secure ? "TRUE" : "FALSE";
      const initialDot = domain.startsWith(".") ? "TRUE" : "FALSE";
      const expires = cookie.expires !== null ? String(cookie.expires) : options.curlSessionExpiry ? "0" : "";
      // cookies.txt reads `Set-Cookie: foo` as a cookie with no name; Python as one with no value.
      const [name, value] = cookie.value === null ? ["", cookie.name] : [cookie.name, cookie.value];
      if (cookie.hasNonstandardAttr(HTTPONLY_ATTR)) domain = HTTPONLY_PREFIX + domain;
      const fields = [domain, initialDot, cookie.path, secure, expires, name, value];
      // The format cannot hold a tab or line break: such a cookie would corrupt the file (or forge lines).
      if (fields.some((f) => /[\t\n\r]/.test(f))) continue;
      out += `${fields.join("\t")}\n`;
    }
    return out;
  }

  /**
   * Python's `_really_load`: one cookie per line. A line that is no cookie
   * (not seven fields, a domain flag that contradicts the domain's dot, an
   * expiry that is no number) is skipped; Python raises LoadError there and
   * loads no more.
   */
  protected override reallyLoad(
    text: string,
    filename: string,
    ignoreDiscard: boolean,
    ignoreExpires: boolean,
  ): void {
    const lines = readLines(text);
    const now = Date.now() / 1000;
    if (!NETSCAPE_MAGIC_RE.test(lines[0] ?? "")) {
      throw new LoadError(`${pyRepr(filename)} does not look like a Netscape format cookies file`);
    }
    for (const line of lines.slice(1)) {
      const c = cookieOrSkip(() => netscapeCookie(line));
      if (!c) continue;
      if (!ignoreDiscard && c.discard) continue;
      if (!ignoreExpires && c.isExpired(now)) continue;
      this.setCookie(c);
    }
  }
}

/**
 * The cookie of one cookies.txt line, or `null` for a comment or blank line
 * (the body of Python's `MozillaCookieJar._really_load` loop).
 * @throws {ValueError} for a line that is not seven fields, a domain flag the domain contradicts, an expiry that is no number
 */
function netscapeCookie(raw: string): Cookie | null {
  let line = raw;
  const rest: Array<[string, string | null]> = [];
  // httponly is a cookie flag as defined in rfc6265; a cookies.txt line marks it with "#HttpOnly_"
  if (line.startsWith(HTTPONLY_PREFIX)) {
    rest.push([HTTPONLY_ATTR, ""]);
    line = line.slice(HTTPONLY_PREFIX.length);
  }
  // the last field may be empty, so keep any trailing tab
  if (line.endsWith("\n")) line = line.slice(0, -1);
  const stripped = pyStrip(line);
  if (stripped.startsWith("#") || stripped.startsWith("$") || stripped === "") return null;
  const fields = line.split("\t");
  if (fields.length !== 7) {
    throw new ValueError(`expected 7 tab-separated fields, got ${fields.length}`);
  }
  let [domain, domainSpecifiedText, path, secureText, expiresText, name, value] = fields as [
    string,
    string,
    string,
    string,
    string,
    string,
    string | null,
  ];
  const secure = secureText === "TRUE";
  const domainSpecified = domainSpecifiedText === "TRUE";
  if (name === "") {
    // cookies.txt reads `Set-Cookie: foo` as a cookie with no name; Python as one with no value.
    name = value as string;
    value = null;
  }
  const initialDot = domain.startsWith(".");
  if (domainSpecified !== initialDot) throw new ValueError("the domain flag disagrees with the domain's dot");
  let discard = false;
  let expires: number | null = null;
  // "" is Python's session cookie; "0" is curl's (netkit reads both as one).
  if (expiresText === "" || expiresText === "0") {
    discard = true;
  } else {
    const e = pyFloat(expiresText);
    if (e === undefined) throw new ValueError(`could not convert string to float: ${pyRepr(expiresText)}`);
    expires = Math.trunc(e);
  }
  return new Cookie({
    version: 0,
    name,
    value,
    domain,
    domainSpecified,
    domainInitialDot: initialDot,
    path,
    pathSpecified: false,
    secure,
    expires,
    discard,
    rest,
  });
}

/** Python's `float(text)` for decimal text (no `inf`/`nan`, which `int()` would refuse anyway). */
function pyFloat(text: string): number | undefined {
  const t = pyStrip(text).replaceAll("_", "");
  if (!/^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/.test(t)) return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : undefined;
}

// Each class's `name`, written out: a minifier renames the classes themselves.
nameErrors({ LoadError });

nameClasses({ FileCookieJar, LWPCookieJar, MozillaCookieJar });
