/**
 * `netkit/urllib/robotparser`: Python's `urllib.robotparser`, with Python
 * 3.11's behaviour: the same groups, the same first-match rules, the same
 * answers from `canFetch`, `crawlDelay`, `requestRate` and `siteMaps`.
 *
 * ```text
 * RobotFileParser   one robots.txt: setUrl / read / parse / canFetch
 *  ├── Entry        a group: user-agent lines, then rule lines
 *  │    └── RuleLine   Allow: / Disallow: path (first match wins)
 *  └── default entry   the first `User-agent: *` group, asked last
 * RequestRate       { requests, seconds } (Python's named tuple)
 * ```
 *
 * Python's rules, kept: a group is the user-agent lines before its rules; a
 * blank line ends a group; rules before any user-agent are ignored; values
 * are percent-decoded; an agent matches when its name (lower case) occurs in
 * the product token of the crawler's user agent (the part before `/`); the
 * first rule whose path is a prefix of the URL's path decides, so order
 * matters and `*` / `$` are not wildcards (only a rule path of exactly `*`
 * matches everything); `Disallow:` with no path allows everything; a
 * `Sitemap:` line counts wherever it stands. Before `read()` or `parse()`
 * `canFetch` answers false.
 *
 * Where netkit differs from Python 3.11, on purpose:
 * - `read()` reads at most {@link MAX_ROBOTS_BYTES} (512 KiB, Google's limit)
 *   and parses up to the last line break before it; it skips a UTF-8 byte
 *   order mark and reads invalid UTF-8 as U+FFFD (Python raises
 *   UnicodeDecodeError, and keeps the BOM, so its first line never matches).
 * - `read()` has a timeout ({@link RobotFileParserOptions.timeout}, 30 s).
 * - `parse()` cuts lines longer than {@link MAX_ROBOTS_LINE} characters.
 * - `parse()` never throws on one bad line: an `Allow:`/`Disallow:` line
 *   whose path is no URL `urlparse` can split (`Disallow: //[x`, a lone
 *   surrogate) is skipped as if it were not there, and a `Crawl-delay` or
 *   `Request-rate` number `int()` refuses (`²`) counts as a number that is
 *   not one. Python raises ValueError and loses the whole file.
 * - `read()` treats HTTP 5xx like Python (nothing read, `canFetch` false) and
 *   rethrows network errors, as Python does.
 *
 * @example
 * ```ts
 * import { RobotFileParser } from "netkit/urllib/robotparser";
 * const rp = new RobotFileParser();
 * rp.parse(["User-agent: *", "Disallow: /private/"]);
 * rp.canFetch("mybot/1.0", "http://example.com/private/x"); // false
 * ```
 *
 * @module
 */

import { checkOptions, checkString, urlString } from "../_args.js";
import { PY_WS, pyInt, pyIsdigit, pyStrip } from "../_pystr.js";
import { ValueError } from "../errors/index.js";
import { HTTPError } from "./error.js";
import { quote, unquote, urlparse, urlunparse } from "./parse.js";
import { urlopen } from "./request.js";

/** Most bytes of robots.txt `read()` parses: 512 KiB, as Google does (RFC 9309 asks for at least 500 KiB). */
export const MAX_ROBOTS_BYTES = 512 * 1024;
/** Longest line `parse()` reads; longer lines are cut (Google's robotstxt cuts at 16,664). */
export const MAX_ROBOTS_LINE = 16_664;

/** Python's `urllib.robotparser.RequestRate`: `requests` per `seconds`. */
export class RequestRate {
  constructor(
    /** How many requests... */
    readonly requests: number,
    /** ...per this many seconds. */
    readonly seconds: number,
  ) {}

  /** Yields `requests`, `seconds`, so `const [n, s] = rate` works as Python's tuple unpacking. */
  *[Symbol.iterator](): Iterator<number> {
    yield this.requests;
    yield this.seconds;
  }

  /** Python's repr: `RequestRate(requests=3, seconds=15)`. */
  toString(): string {
    return `RequestRate(requests=${this.requests}, seconds=${this.seconds})`;
  }
}

/**
 * Python's `int(text)` where `text.strip().isdigit()`, or `undefined` where
 * `int()` would raise (a digit that is not a decimal digit, such as `²`):
 * Python's parse lets that ValueError out, netkit reads the value as no number.
 */
function numberOf(text: string): number | undefined {
  return pyIsdigit(pyStrip(text)) ? pyInt(text) : undefined;
}

/**
 * A rule line for `path`, or `undefined` when `RuleLine` cannot normalise
 * the path (`urlparse` refuses it, or `quote` cannot encode it): the line is
 * then skipped instead of ending the parse, as Python's does.
 */
function ruleLineOrSkip(path: string, allowance: boolean): RuleLine | undefined {
  try {
    return new RuleLine(path, allowance);
  } catch (err) {
    // ValueError covers UnicodeEncodeError too; anything else is a bug and goes up.
    if (err instanceof ValueError) return undefined;
    throw err;
  }
}

/** Python's `RuleLine`: one `Allow:` (allowance true) or `Disallow:` (false) path. */
export class RuleLine {
  /** The path, normalised and quoted as Python does. */
  readonly path: string;
  /** True for Allow. */
  readonly allowance: boolean;

  constructor(path: string, allowance: boolean) {
    // an empty Disallow means allow all
    this.allowance = path === "" && !allowance ? true : allowance;
    this.path = quote(urlunparse(urlparse(path)));
  }

  /** Python's `applies_to(filename)`: `*`, or a prefix of the (quoted) path. */
  appliesTo(filename: string): boolean {
    return this.path === "*" || filename.startsWith(this.path);
  }

  /** Python's `str()`: `Allow: /path` or `Disallow: /path`. */
  toString(): string {
    return `${this.allowance ? "Allow" : "Disallow"}: ${this.path}`;
  }
}

/** Python's `Entry`: a group of user agents and their rules. */
export class Entry {
  /** The `User-agent:` values, as written. */
  readonly useragents: string[] = [];
  /** The rules, in file order (the first match decides). */
  readonly rulelines: RuleLine[] = [];
  /** `Crawl-delay`, or null. */
  delay: number | null = null;
  /** `Request-rate`, or null. */
  reqRate: RequestRate | null = null;

  /** Python's `applies_to(useragent)`: `*`, or a listed agent inside the crawler's product token. */
  appliesTo(useragent: string): boolean {
    const ua = useragent.split("/")[0]!.toLowerCase();
    for (const agent of this.useragents) {
      if (agent === "*") return true; // the catch-all agent
      if (ua.includes(agent.toLowerCase())) return true;
    }
    return false;
  }

  /** Python's `allowance(filename)`: the first matching rule's verdict, else allowed. */
  allowance(filename: string): boolean {
    for (const line of this.rulelines) if (line.appliesTo(filename)) return line.allowance;
    return true;
  }

  /** Python's `str()`: the group as robots.txt lines. */
  toString(): string {
    const ret = this.useragents.map((agent) => `User-agent: ${agent}`);
    if (this.delay !== null) ret.push(`Crawl-delay: ${this.delay}`);
    if (this.reqRate !== null) ret.push(`Request-rate: ${this.reqRate.requests}/${this.reqRate.seconds}`);
    ret.push(...this.rulelines.map(String));
    return ret.join("\n");
  }
}

/** Options of {@link RobotFileParser.read}. */
export interface RobotFileParserReadOptions {
  /** Seconds to wait for the fetch. @default the parser's `timeout` */
  timeout?: number | undefined;
}

/** Options of the {@link RobotFileParser} constructor (netkit's additions). */
export interface RobotFileParserOptions {
  /** Seconds `read()` waits for the server. @default 30 */
  timeout?: number | undefined;
  /** Most bytes `read()` parses. @default MAX_ROBOTS_BYTES (512 KiB) */
  maxBytes?: number | undefined;
}

/** What `read()` needs of `urlopen`'s response. */
interface RobotsResponse {
  read(n?: number): Promise<Buffer>;
  close(): void | Promise<void>;
}

/** Python's `str.splitlines()` boundaries: CRLF, LF, CR, VT, FF, FS, GS, RS, NEL, LS, PS. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: FS, GS and RS end lines in Python.
const SPLITLINES_RE = /\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/;

/** Python's `str.splitlines()` (no trailing empty line). */
export function splitlines(text: string): string[] {
  if (text === "") return [];
  const lines = text.split(SPLITLINES_RE);
  if (SPLITLINES_RE.test(text.slice(-1))) lines.pop();
  return lines;
}

const STRIP_LOWER_KEY = new RegExp(`^[${PY_WS}]+|[${PY_WS}]+$`, "g");

/**
 * Python's `urllib.robotparser.RobotFileParser`: reads one robots.txt and
 * answers whether a crawler may fetch a URL.
 *
 * @example
 * ```ts world
 * const rp = new RobotFileParser("http://127.0.0.1:8000/robots.txt");
 * await rp.read();
 * if (rp.canFetch("mybot", "http://127.0.0.1:8000/page")) console.log("allowed");
 * rp.crawlDelay("mybot"); // number | null
 * ```
 */
export class RobotFileParser {
  /** The groups other than the default, in file order. */
  entries: Entry[] = [];
  /** `Sitemap:` URLs, in file order. */
  sitemaps: string[] = [];
  /** The first `User-agent: *` group, asked after the others. */
  defaultEntry: Entry | null = null;
  /** Set by `read()` on 401/403: nothing may be fetched. */
  disallowAll = false;
  /** Set by `read()` on other 4xx: everything may be fetched. */
  allowAll = false;
  /** The robots.txt URL. */
  url = "";
  /** Its host (`urlparse(url).netloc`). */
  host = "";
  /** Its path. */
  path = "";
  /** When robots.txt was last fetched or parsed, in seconds since the epoch; 0 for never. */
  lastChecked = 0;
  /** Seconds `read()` waits. */
  timeout: number;
  /** Most bytes `read()` parses. */
  maxBytes: number;

  /**
   * Python's `RobotFileParser(url='')`.
   * @param url robots.txt's URL, a string or a WHATWG `URL`
   * @throws TypeError (`ERR_INVALID_ARG_TYPE`) for an argument of the wrong type
   */
  constructor(url: string | URL = "", options: RobotFileParserOptions = {}) {
    this.setUrl(urlString("RobotFileParser", "url", url));
    checkOptions("RobotFileParser", options, "{ timeout, maxBytes }");
    this.timeout = options.timeout ?? 30;
    this.maxBytes = options.maxBytes ?? MAX_ROBOTS_BYTES;
  }

  /** Python's `mtime()`: when robots.txt was last fetched (seconds; 0 for never). */
  mtime(): number {
    return this.lastChecked;
  }

  /** Python's `modified()`: records now as the time robots.txt was fetched. */
  modified(): void {
    this.lastChecked = Date.now() / 1000;
  }

  /**
   * Python's `set_url(url)`: a string or a WHATWG `URL`.
   * @throws TypeError (`ERR_INVALID_ARG_TYPE`) for anything else
   */
  setUrl(value: string | URL): void {
    const url = urlString("setUrl", "url", value);
    this.url = url;
    const parsed = urlparse(url);
    this.host = parsed.netloc;
    this.path = parsed.path;
  }

  /**
   * Python's `read()`: fetches the URL with `urlopen` and parses it. On HTTP
   * 401 or 403 nothing may be fetched; on any other 4xx everything may; on
   * 5xx nothing is read (so `canFetch` stays false).
   *
   * @throws {URLError} and the network errors of `urlopen` (as Python)
   */
  async read(options: RobotFileParserReadOptions = {}): Promise<void> {
    let response: RobotsResponse;
    try {
      response = await urlopen(this.url, { timeout: options.timeout ?? this.timeout });
    } catch (err) {
      if (err instanceof HTTPError) {
        const status = httpStatus(err);
        if (status === 401 || status === 403) this.disallowAll = true;
        else if (status >= 400 && status < 500) this.allowAll = true;
        return;
      }
      throw err;
    }
    let raw: Buffer;
    try {
      raw = await response.read(this.maxBytes + 1);
    } finally {
      await response.close();
    }
    this.parse(splitlines(decodeRobots(raw, this.maxBytes)));
  }

  #addEntry(entry: Entry): void {
    if (entry.useragents.includes("*")) {
      // the default entry is considered last; the first one wins
      this.defaultEntry ??= entry;
    } else {
      this.entries.push(entry);
    }
  }

  /**
   * Python's `parse(lines)`: reads robots.txt lines (without line breaks).
   * A `User-agent:` line need not follow a blank line. It never throws for
   * a line's content: a rule line whose path cannot be normalised is skipped
   * (Python raises ValueError), a number `int()` refuses is no number.
   */
  parse(lines: Iterable<string>): void {
    // states: 0 start, 1 saw user-agent line, 2 saw an allow or disallow line
    let state = 0;
    let entry = new Entry();
    this.modified();
    for (const full of lines) {
      let line = full.length > MAX_ROBOTS_LINE ? full.slice(0, MAX_ROBOTS_LINE) : full;
      if (!line) {
        if (state === 1) {
          entry = new Entry();
          state = 0;
        } else if (state === 2) {
          this.#addEntry(entry);
          entry = new Entry();
          state = 0;
        }
      }
      // remove optional comment and strip line
      const hash = line.indexOf("#");
      if (hash >= 0) line = line.slice(0, hash);
      line = pyStrip(line);
      if (!line) continue;
      const colon = line.indexOf(":");
      if (colon < 0) continue;
      const key = line.slice(0, colon).replace(STRIP_LOWER_KEY, "").toLowerCase();
      const value = unquote(pyStrip(line.slice(colon + 1)));
      if (key === "user-agent") {
        if (state === 2) {
          this.#addEntry(entry);
          entry = new Entry();
        }
        entry.useragents.push(value);
        state = 1;
      } else if (key === "disallow" || key === "allow") {
        if (state !== 0) {
          // A path netkit cannot normalise leaves the line out, and the state as it was.
          const rule = ruleLineOrSkip(value, key === "allow");
          if (rule) {
            entry.rulelines.push(rule);
            state = 2;
          }
        }
      } else if (key === "crawl-delay") {
        if (state !== 0) {
          // only a well-formed number counts
          const delay = numberOf(value);
          if (delay !== undefined) entry.delay = delay;
          state = 2;
        }
      } else if (key === "request-rate") {
        if (state !== 0) {
          const numbers = value.split("/");
          if (numbers.length === 2) {
            const requests = numberOf(numbers[0]!);
            const seconds = numberOf(numbers[1]!);
            if (requests !== undefined && seconds !== undefined) {
              entry.reqRate = new RequestRate(requests, seconds);
            }
          }
          state = 2;
        }
      } else if (key === "sitemap") {
        // sitemaps.org: independent of the user-agent line, so the state does not change
        this.sitemaps.push(value);
      }
    }
    if (state === 2) this.#addEntry(entry);
  }

  /**
   * Python's `can_fetch(useragent, url)`: may `useragent` fetch `url` (a string or a WHATWG `URL`)?
   * @throws TypeError (`ERR_INVALID_ARG_TYPE`) for an argument of the wrong type
   */
  canFetch(useragent: string, value: string | URL): boolean {
    checkString("canFetch", "useragent", useragent);
    const url = urlString("canFetch", "url", value);
    if (this.disallowAll) return false;
    if (this.allowAll) return true;
    // Until robots.txt has been read or found not to exist, nothing is allowed.
    if (!this.lastChecked) return false;
    const parsed = urlparse(unquote(url));
    let target = quote(urlunparse(["", "", parsed.path, parsed.params, parsed.query, parsed.fragment]));
    if (!target) target = "/";
    for (const entry of this.entries) if (entry.appliesTo(useragent)) return entry.allowance(target);
    if (this.defaultEntry) return this.defaultEntry.allowance(target);
    return true; // agent not found: access granted
  }

  /** Python's `crawl_delay(useragent)`: the group's Crawl-delay, or null. */
  crawlDelay(useragent: string): number | null {
    if (!this.mtime()) return null;
    for (const entry of this.entries) if (entry.appliesTo(useragent)) return entry.delay;
    return this.defaultEntry ? this.defaultEntry.delay : null;
  }

  /** Python's `request_rate(useragent)`: the group's Request-rate, or null. */
  requestRate(useragent: string): RequestRate | null {
    if (!this.mtime()) return null;
    for (const entry of this.entries) if (entry.appliesTo(useragent)) return entry.reqRate;
    return this.defaultEntry ? this.defaultEntry.reqRate : null;
  }

  /** Python's `site_maps()`: the Sitemap URLs, or null when there are none. */
  siteMaps(): string[] | null {
    return this.sitemaps.length > 0 ? [...this.sitemaps] : null;
  }

  /** Python's `str()`: the groups, default last, separated by blank lines. */
  toString(): string {
    const entries = this.defaultEntry ? [...this.entries, this.defaultEntry] : this.entries;
    return entries.map(String).join("\n\n");
  }
}

/** The status of an HTTPError: netkit's `status`, or a numeric `code`. */
function httpStatus(err: HTTPError): number {
  const e = err as unknown as { status?: unknown; code?: unknown };
  if (typeof e.status === "number") return e.status;
  return typeof e.code === "number" ? e.code : 0;
}

/**
 * The text of a fetched robots.txt: at most `maxBytes`, cut after the last
 * line break when longer, without a UTF-8 BOM, invalid UTF-8 as U+FFFD.
 */
function decodeRobots(raw: Buffer, maxBytes: number): string {
  let bytes = raw;
  if (bytes.length > maxBytes) {
    bytes = bytes.subarray(0, maxBytes);
    const cut = Math.max(bytes.lastIndexOf(0x0a), bytes.lastIndexOf(0x0d));
    if (cut >= 0) bytes = bytes.subarray(0, cut + 1);
  }
  return new TextDecoder("utf-8", { fatal: false, ignoreBOM: false }).decode(bytes);
}
