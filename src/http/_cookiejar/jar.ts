/**
 * Python's `http.cookiejar.CookieJar` (internal; re-exported by
 * `netkit/http/cookiejar`).
 *
 * @module
 */

import { PY_WS, pyInt, pyLen } from "../../_pystr.js";
import { KeyError, nameClasses, nameErrors, pyTypeName, ValueError } from "../../errors/index.js";
import { Cookie } from "./cookie.js";
import { type HeaderPair, type NsValue, parseNsHeaders, splitHeaderWords } from "./headers.js";
import { type CookieRequest, effRequestHost, escapePath, requestPath, requestPort } from "./hosts.js";
import { type CookiePolicy, DefaultCookiePolicy } from "./policy.js";

/**
 * What the jar reads from a response: Python's `response.info()`, an
 * `HTTPMessage` (netkit's `http/message` one fits) with `getAll(name)`.
 */
export interface CookieResponse {
  /** Python's `info()`: the response headers. */
  info(): { getAll(name: string): string[] | null | undefined };
}

type AttrValue = string | number | boolean | null;

interface CookieTuple {
  name: string;
  value: string | null;
  standard: Map<string, AttrValue>;
  rest: Map<string, AttrValue>;
}

/** Python's behaviour of a whole batch of cookies being dropped by `make_cookies`' catch-all. */
class BatchError extends Error {}

const BOOLEAN_ATTRS = new Set(["discard", "secure"]);
const VALUE_ATTRS = new Set([
  "version",
  "expires",
  "max-age",
  "domain",
  "path",
  "port",
  "comment",
  "commenturl",
]);
const MAY_BE_EMPTY = new Set(["port", "comment", "commenturl"]);
const NON_WORD_RE = /[^\p{L}\p{N}_]/u;
const WS_RUN_RE = new RegExp(`[${PY_WS}]+`, "g");

/** Python's truth value of an attribute value (`"yes"` and `True` are true, `""` is false). */
function truthy(v: AttrValue | undefined): boolean {
  return v !== undefined && v !== null && v !== false && v !== "" && v !== 0;
}

/** Python's `str()` of a non-standard attribute value. */
function restText(v: AttrValue): string | null {
  if (v === null || typeof v === "string") return v;
  if (typeof v === "boolean") return v ? "True" : "False";
  return String(v);
}

/**
 * Python's `http.cookiejar.CookieJar`: holds cookies, takes them from
 * responses (`extractCookies`) and puts them on requests
 * (`addCookieHeader`), as its {@link CookiePolicy} allows.
 *
 * Cookies are kept as Python keeps them, domain → path → name, and iterate
 * in that insertion order. The jar is not shared between threads here, so
 * Python's lock has no counterpart; every method runs to completion on the
 * event loop.
 *
 * @example
 * ```ts
 * import { Request } from "netkit/urllib/request";
 * const request = new Request("http://example.com/");
 * // What urlopen's response answers: its Set-Cookie headers
 * const response = { info: () => ({ getAll: (name: string) => (name === "Set-Cookie" ? ["sid=1; Path=/"] : []) }) };
 * const nextRequest = new Request("http://example.com/next");
 * const jar = new CookieJar();
 * jar.extractCookies(response, request);   // after urlopen
 * jar.addCookieHeader(nextRequest);        // before the next one
 * for (const cookie of jar) console.log(String(cookie));
 * ```
 */
export class CookieJar implements Iterable<Cookie> {
  #policy: CookiePolicy;
  #cookies = new Map<string, Map<string, Map<string, Cookie>>>();
  #now = 0;

  /** Python's `CookieJar(policy=None)`: a {@link DefaultCookiePolicy} when none is given. */
  constructor(policy?: CookiePolicy | null) {
    this.#policy = policy ?? new DefaultCookiePolicy();
  }

  /** The policy in force (Python's `_policy`). */
  get policy(): CookiePolicy {
    return this.#policy;
  }

  /** Python's `set_policy(policy)`. */
  setPolicy(policy: CookiePolicy): void {
    this.#policy = policy;
  }

  #tick(): number {
    this.#now = Math.floor(Date.now() / 1000);
    this.#policy.now = this.#now;
    return this.#now;
  }

  #cookiesForDomain(domain: string, request: CookieRequest): Cookie[] {
    if (!this.#policy.domainReturnOk(domain, request)) return [];
    const cookies: Cookie[] = [];
    for (const [path, byName] of this.#cookies.get(domain) ?? []) {
      if (!this.#policy.pathReturnOk(path, request)) continue;
      for (const cookie of byName.values()) {
        if (this.#policy.returnOk(cookie, request)) cookies.push(cookie);
      }
    }
    return cookies;
  }

  #cookiesForRequest(request: CookieRequest): Cookie[] {
    const cookies: Cookie[] = [];
    for (const domain of [...this.#cookies.keys()]) cookies.push(...this.#cookiesForDomain(domain, request));
    return cookies;
  }

  /** Python's `_cookie_attrs`: the `Cookie:` pieces, longest path first, `$Version` once. */
  #cookieAttrs(cookies: Cookie[]): string[] {
    // Most specific (longest) path first; a stable sort keeps the jar's order among equals.
    cookies.sort((a, b) => pyLen(b.path) - pyLen(a.path));
    let versionSet = false;
    const attrs: string[] = [];
    for (const cookie of cookies) {
      const version = cookie.version ?? 0;
      if (!versionSet) {
        versionSet = true;
        if (version > 0) attrs.push(`$Version=${version}`);
      }
      // Python escapes `"` and `\` of an RFC 2965 value without quoting it; kept as is.
      let value = cookie.value;
      if (value !== null && NON_WORD_RE.test(value) && version > 0) value = value.replace(/(["\\])/g, "\\$1");
      attrs.push(cookie.value === null ? cookie.name : `${cookie.name}=${value}`);
      if (version > 0) {
        if (cookie.pathSpecified) attrs.push(`$Path="${cookie.path}"`);
        if (cookie.domain.startsWith(".")) {
          const domain = cookie.domainInitialDot ? cookie.domain : cookie.domain.slice(1);
          attrs.push(`$Domain="${domain}"`);
        }
        if (cookie.port !== null) attrs.push(cookie.portSpecified ? `$Port="${cookie.port}"` : "$Port");
      }
    }
    return attrs;
  }

  /**
   * Python's `add_cookie_header(request)`: adds the `Cookie` header (unless
   * the request already has one) and, for RFC 2965, `Cookie2`, as unredirected
   * headers. Then drops expired cookies.
   */
  addCookieHeader(request: CookieRequest): void {
    this.#tick();
    const cookies = this.#cookiesForRequest(request);
    const attrs = this.#cookieAttrs(cookies);
    if (attrs.length > 0 && !request.hasHeader("Cookie"))
      request.addUnredirectedHeader("Cookie", attrs.join("; "));
    // if necessary, advertise that we know RFC 2965
    if (this.#policy.rfc2965 && !this.#policy.hideCookie2 && !request.hasHeader("Cookie2")) {
      if (cookies.some((c) => c.version !== 1)) request.addUnredirectedHeader("Cookie2", '$Version="1"');
    }
    this.clearExpiredCookies();
  }

  /** Python's `_normalized_cookie_tuples`. */
  #normalizedCookieTuples(attrsSet: Array<Array<[string, NsValue]>> | HeaderPair[][]): CookieTuple[] {
    const tuples: CookieTuple[] = [];
    for (const cookieAttrs of attrsSet) {
      const [name, value] = cookieAttrs[0]! as [string, string | null];
      let maxAgeSet = false;
      let bad = false;
      const standard = new Map<string, AttrValue>();
      const rest = new Map<string, AttrValue>();
      for (const [k0, v0] of cookieAttrs.slice(1)) {
        let k = k0;
        let v: AttrValue = v0;
        const lc = k.toLowerCase();
        // don't lose case distinction for unknown fields
        if (VALUE_ATTRS.has(lc) || BOOLEAN_ATTRS.has(lc)) k = lc;
        // a boolean attribute present without a value ("discard", not "port=80")
        if (BOOLEAN_ATTRS.has(k) && v === null) v = true;
        if (standard.has(k)) continue; // only the first value counts
        if (k === "domain") {
          if (v === null) {
            bad = true;
            break;
          }
          v = String(v).toLowerCase(); // RFC 2965 section 3.3.3
        }
        if (k === "expires") {
          if (maxAgeSet) continue; // Max-Age wins over Expires, as in Mozilla
          if (v === null) continue; // missing or invalid: a session cookie
        }
        if (k === "max-age") {
          maxAgeSet = true;
          // Python's int(None) raises TypeError, which drops the whole batch.
          if (v === null || typeof v !== "string") throw new BatchError("max-age without a value");
          const seconds = pyInt(v);
          if (seconds === undefined) {
            bad = true;
            break;
          }
          k = "expires";
          v = this.#now + seconds;
        }
        if (VALUE_ATTRS.has(k) || BOOLEAN_ATTRS.has(k)) {
          if (v === null && !MAY_BE_EMPTY.has(k)) {
            bad = true;
            break;
          }
          standard.set(k, v);
        } else {
          rest.set(k, v);
        }
      }
      if (!bad) tuples.push({ name, value, standard, rest });
    }
    return tuples;
  }

  /** Python's `_cookie_from_cookie_tuple`: defaults filled in; `null` for an invalid or deleting cookie. */
  #cookieFromCookieTuple(tup: CookieTuple, request: CookieRequest): Cookie | null {
    const { name, value, standard } = tup;
    let version: number | null = null;
    const versionValue = standard.get("version");
    if (versionValue !== undefined && versionValue !== null) {
      const v = pyInt(String(versionValue));
      if (v === undefined) return null; // invalid version, ignore cookie
      version = v;
    }
    const secure = truthy(standard.get("secure"));
    let discard = truthy(standard.get("discard"));
    const comment = (standard.get("comment") ?? null) as string | null;
    const commentUrl = (standard.get("commenturl") ?? null) as string | null;

    const pathValue = standard.get("path");
    let path: string;
    let pathSpecified: boolean;
    if (pathValue !== undefined && pathValue !== "") {
      pathSpecified = true;
      path = escapePath(String(pathValue));
    } else {
      pathSpecified = false;
      path = requestPath(request);
      const i = path.lastIndexOf("/");
      // Netscape spec parts company from reality here
      if (i !== -1) path = version === 0 ? path.slice(0, i) : path.slice(0, i + 1);
      if (path.length === 0) path = "/";
    }

    const domainValue = standard.get("domain");
    const domainSpecified = domainValue !== undefined;
    let domain: string;
    let domainInitialDot = false;
    if (domainValue === undefined) {
      domain = effRequestHost(request)[1];
    } else {
      domain = String(domainValue);
      domainInitialDot = domain.startsWith(".");
      if (!domainInitialDot) domain = `.${domain}`;
    }

    let port: string | null = null;
    let portSpecified = false;
    if (standard.has("port")) {
      const portValue = standard.get("port");
      if (portValue === null || portValue === undefined) {
        // Port present without a value: the request port, and only that one.
        port = requestPort(request);
      } else {
        portSpecified = true;
        port = String(portValue).replace(WS_RUN_RE, "");
      }
    }

    let expires: number | null = null;
    if (!standard.has("expires")) {
      discard = true;
    } else {
      const e = standard.get("expires");
      // Set-Cookie2's Expires stays text, which Python then compares with a number: TypeError.
      if (typeof e !== "number") throw new BatchError("expires is not a number");
      if (e <= this.#now) {
        // An expiry date in the past asks to delete the cookie.
        try {
          this.clear(domain, path, name);
        } catch (err) {
          if (!(err instanceof KeyError)) throw err;
        }
        return null;
      }
      if (!Number.isFinite(e)) throw new BatchError("expires overflows a float");
      expires = e;
    }

    return new Cookie({
      version,
      name,
      value,
      port,
      portSpecified,
      domain,
      domainSpecified,
      domainInitialDot,
      path,
      pathSpecified,
      secure,
      expires,
      discard,
      comment,
      commentUrl,
      rest: [...tup.rest].map(([k, v]) => [k, restText(v)] as const),
    });
  }

  #cookiesFromAttrsSet(
    attrsSet: Array<Array<[string, NsValue]>> | HeaderPair[][],
    request: CookieRequest,
  ): Cookie[] {
    const cookies: Cookie[] = [];
    for (const tup of this.#normalizedCookieTuples(attrsSet)) {
      const cookie = this.#cookieFromCookieTuple(tup, request);
      if (cookie) cookies.push(cookie);
    }
    return cookies;
  }

  #processRfc2109Cookies(cookies: Cookie[]): void {
    const asNs =
      (this.#policy as { rfc2109AsNetscape?: boolean | null }).rfc2109AsNetscape ?? !this.#policy.rfc2965;
    for (const cookie of cookies) {
      if (cookie.version === 1) {
        cookie.rfc2109 = true;
        // treat RFC 2109 cookies as Netscape cookies rather than as RFC 2965 cookies
        if (asNs) cookie.version = 0;
      }
    }
  }

  /**
   * Python's `make_cookies(response, request)`: the cookies the response's
   * `Set-Cookie2` and `Set-Cookie` headers describe, before the policy's
   * say. An expired cookie is not returned: it deletes the stored one.
   *
   * Like Python, a header set that breaks the parser in an unexpected way
   * (`Max-Age` without a value, an `Expires` in `Set-Cookie2`) drops all the
   * cookies of its kind in this response, silently (Python warns).
   */
  makeCookies(response: CookieResponse, request: CookieRequest): Cookie[] {
    const headers = response.info();
    const rfc2965Hdrs = headers.getAll("Set-Cookie2") ?? [];
    const nsHdrs = headers.getAll("Set-Cookie") ?? [];
    this.#tick();
    const { rfc2965, netscape } = this.#policy;
    if (
      (rfc2965Hdrs.length === 0 && nsHdrs.length === 0) ||
      (nsHdrs.length === 0 && !rfc2965) ||
      (rfc2965Hdrs.length === 0 && !netscape) ||
      (!netscape && !rfc2965)
    ) {
      return []; // no relevant cookie headers: quick exit
    }
    let cookies: Cookie[];
    try {
      cookies = this.#cookiesFromAttrsSet(splitHeaderWords(rfc2965Hdrs), request);
    } catch {
      // Python's make_cookies catches every Exception here (and logs it):
      // a header that breaks the parser or the policy yields no cookie.
      cookies = [];
    }
    if (nsHdrs.length > 0 && netscape) {
      let nsCookies: Cookie[];
      try {
        nsCookies = this.#cookiesFromAttrsSet(parseNsHeaders(nsHdrs), request);
      } catch {
        // as above: every Exception, as in Python
        nsCookies = [];
      }
      this.#processRfc2109Cookies(nsCookies);
      // RFC 2965 section 9.1: a Set-Cookie2 cookie beats the Set-Cookie one for the same domain, path and name.
      if (rfc2965) {
        const lookup = new Set(cookies.map((c) => JSON.stringify([c.domain, c.path, c.name])));
        nsCookies = nsCookies.filter((c) => !lookup.has(JSON.stringify([c.domain, c.path, c.name])));
      }
      cookies.push(...nsCookies);
    }
    return cookies;
  }

  /** Python's `set_cookie_if_ok(cookie, request)`: stores the cookie if the policy agrees. */
  setCookieIfOk(cookie: Cookie, request: CookieRequest): void {
    this.#tick();
    if (this.#policy.setOk(cookie, request)) this.setCookie(cookie);
  }

  /** Python's `set_cookie(cookie)`: stores the cookie without asking the policy. */
  setCookie(cookie: Cookie): void {
    let byPath = this.#cookies.get(cookie.domain);
    if (!byPath) this.#cookies.set(cookie.domain, (byPath = new Map()));
    let byName = byPath.get(cookie.path);
    if (!byName) byPath.set(cookie.path, (byName = new Map()));
    byName.set(cookie.name, cookie);
  }

  /** Python's `extract_cookies(response, request)`: stores the response's cookies the policy allows. */
  extractCookies(response: CookieResponse, request: CookieRequest): void {
    for (const cookie of this.makeCookies(response, request)) {
      if (this.#policy.setOk(cookie, request)) this.setCookie(cookie);
    }
  }

  /**
   * Python's `clear(domain, path, name)`: with no argument every cookie; with
   * a domain, that domain's; with a path too, that path's; with all three, one cookie.
   *
   * @throws {ValueError} for a name without domain and path, or a path without a domain
   * @throws {KeyError} when there is no such domain, path or name
   */
  clear(domain?: string | null, path?: string | null, name?: string | null): void {
    const take = <T>(map: Map<string, T>, key: string): T => {
      const v = map.get(key);
      if (v === undefined) throw new KeyError(key);
      return v;
    };
    if (name !== undefined && name !== null) {
      if (domain === undefined || domain === null || path === undefined || path === null) {
        throw new ValueError("domain and path must be given to remove a cookie by name");
      }
      const byName = take(take(this.#cookies, domain), path);
      take(byName, name);
      byName.delete(name);
    } else if (path !== undefined && path !== null) {
      if (domain === undefined || domain === null)
        throw new ValueError("domain must be given to remove cookies by path");
      const byPath = take(this.#cookies, domain);
      take(byPath, path);
      byPath.delete(path);
    } else if (domain !== undefined && domain !== null) {
      take(this.#cookies, domain);
      this.#cookies.delete(domain);
    } else {
      this.#cookies = new Map();
    }
  }

  /** Python's `clear_session_cookies()`: drops every cookie marked `discard`. */
  clearSessionCookies(): void {
    for (const cookie of this) if (cookie.discard) this.clear(cookie.domain, cookie.path, cookie.name);
  }

  /** Python's `clear_expired_cookies()`: drops every cookie past its expiry. */
  clearExpiredCookies(): void {
    const now = Date.now() / 1000;
    for (const cookie of this) if (cookie.isExpired(now)) this.clear(cookie.domain, cookie.path, cookie.name);
  }

  /** Python's `iter(jar)`: domain by domain, path by path, in insertion order. */
  *[Symbol.iterator](): Iterator<Cookie> {
    for (const byPath of [...this.#cookies.values()]) {
      for (const byName of [...byPath.values()]) yield* [...byName.values()];
    }
  }

  /** Python's `len(jar)`: how many cookies the jar holds. */
  get size(): number {
    let n = 0;
    for (const _ of this) n++;
    return n;
  }

  /** Python's `str(jar)`: `<CookieJar[<Cookie a=1 for example.com/>, ...]>`. */
  toString(): string {
    return `<${pyTypeName(this)}[${[...this].map(String).join(", ")}]>`;
  }

  /** Python's `repr(jar)`. */
  repr(): string {
    return `<${pyTypeName(this)}[${[...this].map((c) => c.repr()).join(", ")}]>`;
  }

  /** The jar's storage for {@link FileCookieJar.revert}: swapped out and back as a whole. */
  protected takeState(): Map<string, Map<string, Map<string, Cookie>>> {
    const old = this.#cookies;
    this.#cookies = new Map();
    return old;
  }

  /** Puts back what {@link takeState} took. */
  protected restoreState(state: Map<string, Map<string, Map<string, Cookie>>>): void {
    this.#cookies = state;
  }
}

// Each class's `name`, written out: a minifier renames the classes themselves.
nameErrors({ BatchError });

nameClasses({ CookieJar });
