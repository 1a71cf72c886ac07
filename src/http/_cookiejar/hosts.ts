/**
 * Host, path and port rules of Python's `http.cookiejar` (RFC 2965 section 1
 * and 3.3), internal to `netkit/http/cookiejar`, which re-exports them:
 * `domainMatch`, `userDomainMatch`, `isHDN`, `reach`, `requestHost`,
 * `effRequestHost`, `requestPath`, `requestPort`, `escapePath`, `isThirdParty`.
 *
 * @module
 */

import { PY_END, pyInt } from "../../_pystr.js";
import { quote, urlparse, urlsplit } from "../../urllib/parse.js";

/**
 * What the cookie rules read from a request: the structural shape of netkit's
 * `urllib.request.Request` (Python's `urllib.request.Request`, camelCased).
 */
export interface CookieRequest {
  /** Python's `get_full_url()` / `full_url`. */
  readonly fullUrl: string;
  /** Python's `host`: the URL's `host[:port]` (unquoted), as `Request` sets it; `null` when there is none. */
  readonly host: string | null;
  /** Python's `type`: the URL scheme (`"http"`, `"https"`). */
  readonly type: string;
  /** Python's `unverifiable`: true when the user did not ask for this request (an image, a redirect). */
  readonly unverifiable: boolean;
  /** Python's `origin_req_host`: the request-host of the origin transaction (RFC 2965). */
  readonly originReqHost: string;
  /** Python's `has_header(name)`: in the ordinary or the unredirected headers. */
  hasHeader(name: string): boolean;
  /** Python's `get_header(name, default)`. */
  getHeader(name: string, defaultValue?: string): string | null | undefined;
  /** Python's `header_items()` (not read by the cookie rules; listed for the shape). */
  headerItems?(): Array<[string, string]>;
  /** Python's `add_unredirected_header(key, value)`. */
  addUnredirectedHeader(key: string, value: string): void;
}

const IPV4_RE = new RegExp(`\\.[0-9]+${PY_END}`);
const CUT_PORT_RE = new RegExp(`:[0-9]+${PY_END}`);

/** True when `text` ends like an IPv4 address (Python's `IPV4_RE.search`). */
export function looksLikeIPv4(text: string): boolean {
  return IPV4_RE.test(text);
}

/**
 * Python's `is_HDN(text)`: true for a host domain name, false for an IPv4
 * address, the empty string, or a name starting or ending with a dot.
 */
export function isHDN(text: string): boolean {
  if (IPV4_RE.test(text)) return false;
  if (text === "") return false;
  return !(text.startsWith(".") || text.endsWith("."));
}

/**
 * Python's `domain_match(A, B)` (RFC 2965 section 1): A domain-matches B when
 * they are equal (ignoring case), or A is a host domain name of the form NB
 * where B starts with a dot and the rest of B is a host domain name.
 *
 * @example
 * ```ts
 * domainMatch("x.y.com", ".Y.com"); // true
 * domainMatch("x.y.com", "Y.com");  // false
 * ```
 */
export function domainMatch(a: string, b: string): boolean {
  const A = a.toLowerCase();
  const B = b.toLowerCase();
  if (A === B) return true;
  if (!isHDN(A)) return false;
  const i = A.lastIndexOf(B);
  if (i === -1 || i === 0) return false;
  if (!B.startsWith(".")) return false;
  return isHDN(B.slice(1));
}

/**
 * Python's `user_domain_match(A, B)`, used for the block and allow lists:
 * B with a leading dot matches every A ending with it; otherwise A must equal B.
 */
export function userDomainMatch(a: string, b: string): boolean {
  const A = a.toLowerCase();
  const B = b.toLowerCase();
  if (IPV4_RE.test(A) || IPV4_RE.test(B)) return A === B;
  const initialDot = B.startsWith(".");
  if (initialDot && A.endsWith(B)) return true;
  return !initialDot && A === B;
}

/**
 * Python's `request_host(request)` (RFC 2965): the URL's host (else the Host
 * header), without a port, lower-cased.
 */
export function requestHost(request: Pick<CookieRequest, "fullUrl" | "getHeader">): string {
  let host = urlparse(request.fullUrl).netloc;
  if (host === "") host = request.getHeader("Host", "") ?? "";
  return host.replace(CUT_PORT_RE, "").toLowerCase();
}

/**
 * Python's `eff_request_host(request)`: `[requestHost, effectiveHost]`, where
 * a host name without a dot (and not an IPv4 address) gets `.local` appended.
 */
export function effRequestHost(request: Pick<CookieRequest, "fullUrl" | "getHeader">): [string, string] {
  const reqHost = requestHost(request);
  const erhn = !reqHost.includes(".") && !IPV4_RE.test(reqHost) ? `${reqHost}.local` : reqHost;
  return [reqHost, erhn];
}

/** Python's `HTTP_PATH_SAFE`: characters besides the unreserved ones left as they are in a path. */
const HTTP_PATH_SAFE = "%/;:@&=+$,!~*'()";

/**
 * Python's `escape_path(path)`: percent-encodes what may not stand in an HTTP
 * path (as UTF-8) and upper-cases every `%xx` escape.
 *
 * @throws {UnicodeEncodeError} for a lone surrogate, as Python
 */
export function escapePath(path: string): string {
  return quote(path, { safe: HTTP_PATH_SAFE }).replace(
    /%([0-9a-fA-F][0-9a-fA-F])/g,
    (_m, hex: string) => `%${hex.toUpperCase()}`,
  );
}

/** Python's `request_path(request)`: the escaped path of the request URL, starting with `/`. */
export function requestPath(request: Pick<CookieRequest, "fullUrl">): string {
  const path = escapePath(urlsplit(request.fullUrl).path);
  return path.startsWith("/") ? path : `/${path}`;
}

/**
 * Python's `request_port(request)`: the port text after the first `:` of
 * `request.host`, `"80"` when there is none, `null` when it is not a number.
 * A request without a host counts as one without a port (Python fails on it).
 */
export function requestPort(request: Pick<CookieRequest, "host">): string | null {
  const host = request.host ?? "";
  const i = host.indexOf(":");
  if (i < 0) return "80";
  const port = host.slice(i + 1);
  return pyInt(port) === undefined ? null : port;
}

/**
 * Python's `reach(h)` (RFC 2965 section 1): `.B` for a host `A.B` where B has
 * an embedded dot or is `local`; otherwise `h` itself.
 *
 * @example
 * ```ts
 * reach("www.acme.com"); // ".acme.com"
 * reach("acme.com");     // "acme.com"
 * ```
 */
export function reach(h: string): string {
  const i = h.indexOf(".");
  if (i >= 0) {
    const b = h.slice(i + 1);
    if (isHDN(h) && (b.includes(".") || b === "local")) return `.${b}`;
  }
  return h;
}

/**
 * Python's `is_third_party(request)` (RFC 2965 section 3.3.6): the request
 * host does not domain-match the reach of the origin request host.
 */
export function isThirdParty(
  request: Pick<CookieRequest, "fullUrl" | "getHeader" | "originReqHost">,
): boolean {
  return !domainMatch(requestHost(request), reach(request.originReqHost));
}
