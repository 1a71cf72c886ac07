/**
 * Python's `http.cookiejar.CookiePolicy` and `DefaultCookiePolicy` (internal;
 * re-exported by `netkit/http/cookiejar`), with one addition: a cookie whose
 * Domain attribute is a public suffix (`co.uk`, `github.io`, from the Public
 * Suffix List through the `tldts` package) is refused unless the request host
 * is that very name, as RFC 6265 section 5.3 step 5 asks. Python only refuses
 * a few two-letter country domains, and only with `strictDomain`.
 *
 * @module
 */
import { createRequire } from "node:module";
import type * as Tldts from "tldts";
import { pyInt, pyLen } from "../../_pystr.js";
import type { Cookie } from "./cookie.js";
import {
  type CookieRequest,
  domainMatch,
  effRequestHost,
  isHDN,
  isThirdParty,
  looksLikeIPv4,
  requestPath,
  requestPort,
  userDomainMatch,
} from "./hosts.js";

/**
 * Python's `CookiePolicy`: decides which cookies are accepted from a server
 * and returned to it. Subclass it and implement `setOk` and `returnOk`; the
 * two quick pre-checks `domainReturnOk` and `pathReturnOk` accept everything
 * here.
 *
 * The jar reads `netscape`, `rfc2965` and `hideCookie2` from any policy (as
 * Python's jar does), and sets `now` before each check.
 */
export abstract class CookiePolicy {
  /** Accept Netscape (version 0) cookies. @default true */
  netscape = true;
  /** Accept RFC 2965 (`Set-Cookie2`, version 1) cookies. @default false */
  rfc2965 = false;
  /** Do not send the `Cookie2: $Version="1"` advertisement. @default false */
  hideCookie2 = false;
  /**
   * The time of the check in whole seconds since the epoch; the jar sets it
   * before asking (Python's private `_now`).
   */
  now: number = Math.floor(Date.now() / 1000);

  /** Python's `set_ok(cookie, request)`: true if the cookie may be stored. */
  abstract setOk(cookie: Cookie, request: CookieRequest): boolean;
  /** Python's `return_ok(cookie, request)`: true if the cookie may be sent. */
  abstract returnOk(cookie: Cookie, request: CookieRequest): boolean;
  /** Python's `domain_return_ok(domain, request)`: false to skip a whole domain early. */
  domainReturnOk(_domain: string, _request: CookieRequest): boolean {
    return true;
  }
  /** Python's `path_return_ok(path, request)`: false to skip a whole path early. */
  pathReturnOk(_path: string, _request: CookieRequest): boolean {
    return true;
  }
}

/** Options of {@link DefaultCookiePolicy}: Python's keyword arguments, camelCased. */
export interface DefaultCookiePolicyOptions {
  /** Domains never to accept cookies from or return them to (`.example.com` covers subdomains). @default none */
  blockedDomains?: Iterable<string> | null | undefined;
  /** When set, the only domains cookies are accepted from and returned to. @default null (all) */
  allowedDomains?: Iterable<string> | null | undefined;
  /** Accept Netscape cookies. @default true */
  netscape?: boolean | undefined;
  /** Accept RFC 2965 cookies. @default false */
  rfc2965?: boolean | undefined;
  /** Treat RFC 2109 cookies as Netscape ones; `null` means "when rfc2965 is off". @default null */
  rfc2109AsNetscape?: boolean | null | undefined;
  /** Never advertise RFC 2965 with `Cookie2`. @default false */
  hideCookie2?: boolean | undefined;
  /** Refuse `.co.uk`-like two-level country domains (Python's small list). @default false */
  strictDomain?: boolean | undefined;
  /** Refuse third-party RFC 2965 cookies in unverifiable transactions. @default true */
  strictRfc2965Unverifiable?: boolean | undefined;
  /** Apply the same rule to Netscape cookies. @default false */
  strictNsUnverifiable?: boolean | undefined;
  /** Flags from DomainStrictNoDots, DomainStrictNonDomain, DomainRFC2965Match. @default DomainLiberal (0) */
  strictNsDomain?: number | undefined;
  /** Refuse Netscape cookies whose name starts with `$`. @default false */
  strictNsSetInitialDollar?: boolean | undefined;
  /** Refuse Netscape cookies whose path does not path-match the request. @default false */
  strictNsSetPath?: boolean | undefined;
  /** URL schemes that count as secure for `Secure` cookies. @default ["https", "wss"] */
  secureProtocols?: Iterable<string> | undefined;
  /**
   * netkit's addition: refuse a cookie whose Domain attribute names a public
   * suffix (Public Suffix List, ICANN and private sections), unless the
   * request host is that name itself. Python has no such check.
   * @default true
   */
  publicSuffixes?: boolean | undefined;
}

/**
 * True when `domain` (no leading dot) is itself a public suffix: `co.uk`,
 * `com`, `github.io`, or any single unlisted label (the list's `*` rule).
 */
export function isPublicSuffix(domain: string): boolean {
  if (domain === "" || !isHDN(domain)) return false;
  const suffix = publicSuffixList().getPublicSuffix(domain, {
    allowPrivateDomains: true,
    extractHostname: false,
    validateHostname: false,
  });
  return suffix === domain;
}

/**
 * tldts, loaded at the first public-suffix check: it holds the whole Public
 * Suffix List (some 11 MB of memory), which a program that imports
 * urllib.request only to download files should not carry.
 */
let tldts: typeof Tldts | undefined;
function publicSuffixList(): typeof Tldts {
  tldts ??= createRequire(import.meta.url)("tldts") as typeof Tldts;
  return tldts;
}

/**
 * Python's `DefaultCookiePolicy`: the standard rules for Netscape and
 * RFC 2965 cookies, with Python's switches, plus the public-suffix check
 * (`publicSuffixes`, on by default).
 *
 * Overridable steps, as in Python: `setOk` calls `setOkVersion`,
 * `setOkVerifiability`, `setOkName`, `setOkPath`, `setOkDomain`, `setOkPort`;
 * `returnOk` calls `returnOkVersion`, `returnOkVerifiability`,
 * `returnOkSecure`, `returnOkExpires`, `returnOkPort`, `returnOkDomain`.
 *
 * @example
 * ```ts
 * const policy = new DefaultCookiePolicy({ blockedDomains: [".ads.example"], strictNsDomain: DefaultCookiePolicy.DomainStrict });
 * ```
 */
export class DefaultCookiePolicy extends CookiePolicy {
  /** Refuse a Domain attribute when the request host has dots before it. */
  static readonly DomainStrictNoDots = 1;
  /** Return a cookie set without Domain only to the exact host that set it. */
  static readonly DomainStrictNonDomain = 2;
  /** Apply RFC 2965 domain-matching to Netscape cookies. */
  static readonly DomainRFC2965Match = 4;
  /** No strict Netscape domain rules. */
  static readonly DomainLiberal = 0;
  /** DomainStrictNoDots | DomainStrictNonDomain. */
  static readonly DomainStrict = 3;

  /** Python's `rfc2109_as_netscape`. */
  rfc2109AsNetscape: boolean | null;
  /** Python's `strict_domain`. */
  strictDomain: boolean;
  /** Python's `strict_rfc2965_unverifiable`. */
  strictRfc2965Unverifiable: boolean;
  /** Python's `strict_ns_unverifiable`. */
  strictNsUnverifiable: boolean;
  /** Python's `strict_ns_domain`. */
  strictNsDomain: number;
  /** Python's `strict_ns_set_initial_dollar`. */
  strictNsSetInitialDollar: boolean;
  /** Python's `strict_ns_set_path`. */
  strictNsSetPath: boolean;
  /** Python's `secure_protocols`. */
  secureProtocols: readonly string[];
  /** netkit's public-suffix check (see {@link DefaultCookiePolicyOptions.publicSuffixes}). */
  publicSuffixes: boolean;
  #blockedDomains: readonly string[];
  #allowedDomains: readonly string[] | null;

  constructor(options: DefaultCookiePolicyOptions = {}) {
    super();
    this.netscape = options.netscape ?? true;
    this.rfc2965 = options.rfc2965 ?? false;
    this.rfc2109AsNetscape = options.rfc2109AsNetscape ?? null;
    this.hideCookie2 = options.hideCookie2 ?? false;
    this.strictDomain = options.strictDomain ?? false;
    this.strictRfc2965Unverifiable = options.strictRfc2965Unverifiable ?? true;
    this.strictNsUnverifiable = options.strictNsUnverifiable ?? false;
    this.strictNsDomain = options.strictNsDomain ?? DefaultCookiePolicy.DomainLiberal;
    this.strictNsSetInitialDollar = options.strictNsSetInitialDollar ?? false;
    this.strictNsSetPath = options.strictNsSetPath ?? false;
    this.secureProtocols = [...(options.secureProtocols ?? ["https", "wss"])];
    this.publicSuffixes = options.publicSuffixes ?? true;
    this.#blockedDomains = options.blockedDomains ? [...options.blockedDomains] : [];
    this.#allowedDomains = options.allowedDomains ? [...options.allowedDomains] : null;
  }

  /** Python's `blocked_domains()`. */
  blockedDomains(): readonly string[] {
    return this.#blockedDomains;
  }
  /** Python's `set_blocked_domains(domains)`. */
  setBlockedDomains(blockedDomains: Iterable<string>): void {
    this.#blockedDomains = [...blockedDomains];
  }
  /** Python's `is_blocked(domain)`. */
  isBlocked(domain: string): boolean {
    return this.#blockedDomains.some((blocked) => userDomainMatch(domain, blocked));
  }
  /** Python's `allowed_domains()`: `null` when every domain is allowed. */
  allowedDomains(): readonly string[] | null {
    return this.#allowedDomains;
  }
  /** Python's `set_allowed_domains(domains)`; `null` allows every domain. */
  setAllowedDomains(allowedDomains: Iterable<string> | null): void {
    this.#allowedDomains = allowedDomains ? [...allowedDomains] : null;
  }
  /** Python's `is_not_allowed(domain)`. */
  isNotAllowed(domain: string): boolean {
    if (this.#allowedDomains === null) return false;
    return !this.#allowedDomains.some((allowed) => userDomainMatch(domain, allowed));
  }

  /** Python's `set_ok`: every `setOk*` step must agree. Call it from an override. */
  setOk(cookie: Cookie, request: CookieRequest): boolean {
    return (
      this.setOkVersion(cookie, request) &&
      this.setOkVerifiability(cookie, request) &&
      this.setOkName(cookie, request) &&
      this.setOkPath(cookie, request) &&
      this.setOkDomain(cookie, request) &&
      this.setOkPort(cookie, request)
    );
  }

  /** Python's `set_ok_version`. */
  setOkVersion(cookie: Cookie, _request: CookieRequest): boolean {
    // Netscape cookies always get version 0 from the parser, so null is a broken Set-Cookie2.
    if (cookie.version === null) return false;
    if (cookie.version > 0 && !this.rfc2965) return false;
    return !(cookie.version === 0 && !this.netscape);
  }

  /** Python's `set_ok_verifiability` (RFC 2965 section 3.3.6). */
  setOkVerifiability(cookie: Cookie, request: CookieRequest): boolean {
    return this.#verifiable(cookie, request);
  }

  #verifiable(cookie: Cookie, request: CookieRequest): boolean {
    if (request.unverifiable && isThirdParty(request)) {
      const version = cookie.version ?? 0;
      if (version > 0 && this.strictRfc2965Unverifiable) return false;
      if (version === 0 && this.strictNsUnverifiable) return false;
    }
    return true;
  }

  /** Python's `set_ok_name`: optionally refuses `$`-names from Netscape cookies. */
  setOkName(cookie: Cookie, _request: CookieRequest): boolean {
    return !(cookie.version === 0 && this.strictNsSetInitialDollar && cookie.name.startsWith("$"));
  }

  /** Python's `set_ok_path`. */
  setOkPath(cookie: Cookie, request: CookieRequest): boolean {
    if (cookie.pathSpecified) {
      requestPath(request);
      const version = cookie.version ?? 0;
      if (
        (version > 0 || (version === 0 && this.strictNsSetPath)) &&
        !this.pathReturnOk(cookie.path, request)
      ) {
        return false;
      }
    }
    return true;
  }

  /** Python's `set_ok_domain`, plus the public-suffix check. */
  setOkDomain(cookie: Cookie, request: CookieRequest): boolean {
    if (this.isBlocked(cookie.domain)) return false;
    if (this.isNotAllowed(cookie.domain)) return false;
    if (!cookie.domainSpecified) return true;
    const [reqHost, erhn] = effRequestHost(request);
    const domain = cookie.domain;
    const version = cookie.version ?? 0;
    if (this.strictDomain && domain.split(".").length - 1 >= 2) {
      const i = domain.lastIndexOf(".");
      const j = domain.lastIndexOf(".", i - 1);
      if (j === 0) {
        // domain like .foo.bar
        const tld = domain.slice(i + 1);
        const sld = domain.slice(j + 1, i);
        if (STRICT_SLDS.has(sld.toLowerCase()) && pyLen(tld) === 2) return false;
      }
    }
    const undotted = domain.startsWith(".") ? domain.slice(1) : domain;
    if (this.publicSuffixes && undotted !== reqHost && isPublicSuffix(undotted)) return false;
    const embeddedDots = undotted.includes(".");
    if (!embeddedDots && !erhn.endsWith(".local")) return false;
    if (version === 0) {
      if (
        !(erhn.endsWith(domain) || erhn.endsWith(`${undotted}.local`)) &&
        !erhn.startsWith(".") &&
        !`.${erhn}`.endsWith(domain)
      ) {
        return false;
      }
    }
    if (version > 0 || this.strictNsDomain & DefaultCookiePolicy.DomainRFC2965Match) {
      if (!domainMatch(erhn, domain)) return false;
    }
    if (version > 0 || this.strictNsDomain & DefaultCookiePolicy.DomainStrictNoDots) {
      const hostPrefix = sliceFromEnd(reqHost, domain);
      if (hostPrefix.includes(".") && !looksLikeIPv4(reqHost)) return false;
    }
    return true;
  }

  /** Python's `set_ok_port`: a Port attribute must list the request port. */
  setOkPort(cookie: Cookie, request: CookieRequest): boolean {
    if (!cookie.portSpecified) return true;
    const reqPort = requestPort(request) ?? "80";
    for (const p of (cookie.port ?? "").split(",")) {
      if (pyInt(p) === undefined) return false;
      if (p === reqPort) return true;
    }
    return false;
  }

  /** Python's `return_ok`: every `returnOk*` step must agree. Call it from an override. */
  returnOk(cookie: Cookie, request: CookieRequest): boolean {
    return (
      this.returnOkVersion(cookie, request) &&
      this.returnOkVerifiability(cookie, request) &&
      this.returnOkSecure(cookie, request) &&
      this.returnOkExpires(cookie, request) &&
      this.returnOkPort(cookie, request) &&
      this.returnOkDomain(cookie, request)
    );
  }

  /** Python's `return_ok_version`. */
  returnOkVersion(cookie: Cookie, _request: CookieRequest): boolean {
    const version = cookie.version ?? 0;
    if (version > 0 && !this.rfc2965) return false;
    return !(version === 0 && !this.netscape);
  }

  /** Python's `return_ok_verifiability`. */
  returnOkVerifiability(cookie: Cookie, request: CookieRequest): boolean {
    return this.#verifiable(cookie, request);
  }

  /** Python's `return_ok_secure`: `Secure` cookies only over `secureProtocols`. */
  returnOkSecure(cookie: Cookie, request: CookieRequest): boolean {
    return !(cookie.secure && !this.secureProtocols.includes(request.type));
  }

  /** Python's `return_ok_expires`. */
  returnOkExpires(cookie: Cookie, _request: CookieRequest): boolean {
    return !cookie.isExpired(this.now);
  }

  /** Python's `return_ok_port`. */
  returnOkPort(cookie: Cookie, request: CookieRequest): boolean {
    if (!cookie.port) return true;
    const reqPort = requestPort(request) ?? "80";
    return cookie.port.split(",").includes(reqPort);
  }

  /** Python's `return_ok_domain`. */
  returnOkDomain(cookie: Cookie, request: CookieRequest): boolean {
    const [, erhn] = effRequestHost(request);
    const domain = cookie.domain;
    const dotdomain = domain && !domain.startsWith(".") ? `.${domain}` : domain;
    const version = cookie.version ?? 0;
    // strict check of non-domain cookies: Mozilla does this, MSIE5 doesn't
    if (
      version === 0 &&
      this.strictNsDomain & DefaultCookiePolicy.DomainStrictNonDomain &&
      !cookie.domainSpecified &&
      domain !== erhn
    ) {
      return false;
    }
    if (version > 0 && !domainMatch(erhn, domain)) return false;
    return !(version === 0 && !`.${erhn}`.endsWith(dotdomain));
  }

  /** Python's `domain_return_ok`: a liberal early check on the cookie's domain and the block/allow lists. */
  override domainReturnOk(domain: string, request: CookieRequest): boolean {
    let [reqHost, erhn] = effRequestHost(request);
    if (!reqHost.startsWith(".")) reqHost = `.${reqHost}`;
    if (!erhn.startsWith(".")) erhn = `.${erhn}`;
    const dotdomain = domain && !domain.startsWith(".") ? `.${domain}` : domain;
    if (!(reqHost.endsWith(dotdomain) || erhn.endsWith(dotdomain))) return false;
    if (this.isBlocked(domain)) return false;
    return !this.isNotAllowed(domain);
  }

  /** Python's `path_return_ok`: the request path equals the cookie path or continues it at a `/`. */
  override pathReturnOk(path: string, request: CookieRequest): boolean {
    const reqPath = requestPath(request);
    if (reqPath === path) return true;
    return (
      reqPath.startsWith(path) && (path.endsWith("/") || reqPath.slice(path.length, path.length + 1) === "/")
    );
  }
}

const STRICT_SLDS = new Set([
  "co",
  "ac",
  "com",
  "edu",
  "org",
  "net",
  "gov",
  "mil",
  "int",
  "aero",
  "biz",
  "cat",
  "coop",
  "info",
  "jobs",
  "mobi",
  "museum",
  "name",
  "pro",
  "travel",
  "eu",
]);

/** Python's `text[:-len(suffix)]` (empty when `suffix` is empty or longer). */
function sliceFromEnd(text: string, suffix: string): string {
  const n = pyLen(suffix);
  if (n === 0) return "";
  const chars = [...text];
  return chars.slice(0, Math.max(0, chars.length - n)).join("");
}
