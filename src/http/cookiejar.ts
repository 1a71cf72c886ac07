/**
 * `netkit/http/cookiejar`: Python's `http.cookiejar`, with Python 3.11's
 * behaviour: the cookies a response sets, the `Cookie:` header a request
 * gets, and the cookies.txt / LWP files, as python3 makes them.
 *
 * ```text
 *                 CookieJar                 CookiePolicy
 *                /         \                     |
 *        (in memory)    FileCookieJar      DefaultCookiePolicy
 *                        /         \
 *             MozillaCookieJar   LWPCookieJar
 *             (cookies.txt)      (Set-Cookie3)
 * Cookie     one cookie, Netscape or RFC 2965
 * LoadError  a cookie file in the wrong format (an OSError)
 * ```
 *
 * The extension contract, as in Python:
 * - for the caller: `jar.extractCookies(response, request)` after a response,
 *   `jar.addCookieHeader(request)` before a request; `setCookie`,
 *   `setCookieIfOk`, `makeCookies`, `clear`, `clearSessionCookies`,
 *   `clearExpiredCookies`, iteration and `size`; `load`/`save`/`revert` on
 *   file jars;
 * - to override in a policy: `setOk`/`returnOk` (or the single steps of
 *   {@link DefaultCookiePolicy}: `setOkDomain`, `returnOkSecure`, ...),
 *   `domainReturnOk`, `pathReturnOk`;
 * - to override in a file jar: `reallyLoad(text, filename, ignoreDiscard,
 *   ignoreExpires)` and `dumps(options)`.
 *
 * Requests and responses are structural ({@link CookieRequest},
 * {@link CookieResponse}): netkit's `urllib.request.Request` and the
 * `HTTPMessage` of `http/message` fit, and so does a small object of that shape.
 *
 * Where netkit differs from Python 3.11, on purpose:
 * - Public suffixes: a cookie whose Domain attribute is a public suffix
 *   (`co.uk`, `com`, `github.io`; the Public Suffix List through the `tldts`
 *   package, ICANN and private sections) is refused unless the request host
 *   is that very name (RFC 6265 section 5.3 step 5). Python only refuses
 *   `.co.uk`-like names, and only with `strictDomain`. Turn it off with
 *   `new DefaultCookiePolicy({ publicSuffixes: false })`.
 * - Files: `load`, `save`, `revert` are async; `save` writes a temporary file
 *   and renames it over the target (mode 0600), so a crash never leaves half
 *   a file; `load` refuses files over 16 MiB, lines over 64 KiB and text that
 *   is not UTF-8 (LoadError). A cookie whose fields hold a tab or line break
 *   is left out of a saved file instead of corrupting it.
 * - `MozillaCookieJar` reads an expiry of `0` (curl's session cookies) as a
 *   session cookie; Python drops them as expired in 1970.
 * - `LWPCookieJar` refuses a `Set-Cookie3` line without a path (Python makes
 *   a cookie whose path is None).
 * - `FileCookieJar` is abstract: Python's raises NotImplementedError from `save`.
 * - The constructors take one options object; `Cookie`'s fields have defaults.
 *
 * @example
 * ```ts
 * import { CookieJar } from "netkit/http/cookiejar";
 * import { Request } from "netkit/urllib/request";
 * const request = new Request("http://example.com/");
 * // What urlopen's response answers: its Set-Cookie headers
 * const response = { info: () => ({ getAll: (name: string) => (name === "Set-Cookie" ? ["sid=1; Path=/"] : []) }) };
 * const nextRequest = new Request("http://example.com/next");
 * const jar = new CookieJar();
 * jar.extractCookies(response, request);     // response.info().getAll("Set-Cookie")
 * jar.addCookieHeader(nextRequest);          // nextRequest gets "Cookie: sid=1"
 * console.log(jar.size, [...jar].map(String));
 * ```
 *
 * @module
 */

export { KeyError } from "../errors/index.js";
export { Cookie, type CookieInit } from "./_cookiejar/cookie.js";
export { http2time, iso2time, time2isoz, time2netscape } from "./_cookiejar/dates.js";
export {
  FileCookieJar,
  type FileCookieJarOptions,
  LoadError,
  type LoadOptions,
  LWPCookieJar,
  lwpCookieStr,
  MAX_COOKIE_FILE_BYTES,
  MAX_COOKIE_FILE_LINE,
  MozillaCookieJar,
  type SaveOptions,
} from "./_cookiejar/files.js";
export {
  type HeaderPair,
  joinHeaderWords,
  type NsValue,
  parseNsHeaders,
  splitHeaderWords,
} from "./_cookiejar/headers.js";
export {
  type CookieRequest,
  domainMatch,
  effRequestHost,
  escapePath,
  isHDN,
  isThirdParty,
  reach,
  requestHost,
  requestPath,
  requestPort,
  userDomainMatch,
} from "./_cookiejar/hosts.js";
export { CookieJar, type CookieResponse } from "./_cookiejar/jar.js";
export {
  CookiePolicy,
  DefaultCookiePolicy,
  type DefaultCookiePolicyOptions,
  isPublicSuffix,
} from "./_cookiejar/policy.js";
