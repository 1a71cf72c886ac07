/**
 * Python's `http.cookiejar.Cookie` (internal; re-exported by
 * `netkit/http/cookiejar`).
 *
 * @module
 */
import { pyRepr, ValueError } from "../../errors/index.js";

/** The fields of a {@link Cookie}; Python's constructor arguments, camelCased, in one object. */
export interface CookieInit {
  /** 0 for Netscape cookies, 1 for RFC 2965 / RFC 2109 ones; `null` when a Set-Cookie2 had none. @default 0 */
  version?: number | null | undefined;
  /** The cookie's name. */
  name: string;
  /** The cookie's value; `null` for `Set-Cookie: foo` (a name with no `=`). */
  value: string | null;
  /** The Port attribute (`"80,8080"`), or `null` when there was none. @default null */
  port?: string | null | undefined;
  /** True when the Port attribute had a value. @default false */
  portSpecified?: boolean | undefined;
  /** The domain, lower-cased on construction (RFC 2965 section 3.3.3). */
  domain: string;
  /** True when the server gave a Domain attribute. @default false */
  domainSpecified?: boolean | undefined;
  /** True when that Domain attribute started with a dot. @default false */
  domainInitialDot?: boolean | undefined;
  /** The path. */
  path: string;
  /** True when the server gave a Path attribute. @default false */
  pathSpecified?: boolean | undefined;
  /** Send only over secure protocols. @default false */
  secure?: boolean | undefined;
  /** Expiry in seconds since the epoch (truncated to an integer), `null` for a session cookie. @default null */
  expires?: number | null | undefined;
  /** Drop at the end of the session. @default false */
  discard?: boolean | undefined;
  /** The Comment attribute. @default null */
  comment?: string | null | undefined;
  /** The CommentURL attribute. @default null */
  commentUrl?: string | null | undefined;
  /** Other attributes (`HttpOnly`, `SameSite`), as given; a flag has the value `null`. @default none */
  rest?: Iterable<readonly [string, string | null]> | Record<string, string | null> | undefined;
  /** True for an RFC 2109 cookie (a Set-Cookie with Version=1). @default false */
  rfc2109?: boolean | undefined;
}

/**
 * Python's `http.cookiejar.Cookie`: one HTTP cookie, Netscape or RFC 2965.
 * A plain holder of attributes; `CookieJar.makeCookies` builds them from
 * responses and a `CookiePolicy` decides where they go.
 *
 * Differs from Python: the constructor takes one object (fields default as
 * documented in {@link CookieInit}), and `expires` is truncated with
 * `Math.trunc` (Python: `int(float(expires))`).
 *
 * @example
 * ```ts
 * const c = new Cookie({ name: "sid", value: "1", domain: "example.com", path: "/" });
 * String(c); // "<Cookie sid=1 for example.com/>"
 * ```
 */
export class Cookie {
  /** 0 for Netscape cookies, 1 for RFC 2965 / RFC 2109 ones; `null` when a Set-Cookie2 had none. */
  version: number | null;
  /** The cookie's name. */
  name: string;
  /** The cookie's value; `null` for `Set-Cookie: foo` (a name with no `=`). */
  value: string | null;
  /** The Port attribute (`"80,8080"`), or `null` when there was none. */
  port: string | null;
  /** True when the Port attribute had a value. */
  portSpecified: boolean;
  /** The domain, lower-cased on construction (RFC 2965 section 3.3.3). */
  domain: string;
  /** True when the server gave a Domain attribute. */
  domainSpecified: boolean;
  /** True when that Domain attribute started with a dot. */
  domainInitialDot: boolean;
  /** The path. */
  path: string;
  /** True when the server gave a Path attribute. */
  pathSpecified: boolean;
  /** Send only over secure protocols. */
  secure: boolean;
  /** Expiry in seconds since the epoch (truncated to an integer), `null` for a session cookie. */
  expires: number | null;
  /** Drop at the end of the session. */
  discard: boolean;
  /** The Comment attribute. */
  comment: string | null;
  /** The CommentURL attribute. */
  commentUrl: string | null;
  /** True for an RFC 2109 cookie (a Set-Cookie with Version=1). */
  rfc2109: boolean;
  #rest: Map<string, string | null>;

  /** @throws {ValueError} when `portSpecified` is true but `port` is `null` (as Python) */
  constructor(init: CookieInit) {
    const version = init.version === undefined ? 0 : init.version;
    const port = init.port ?? null;
    const portSpecified = init.portSpecified ?? false;
    if (port === null && portSpecified) throw new ValueError("if port is None, port_specified must be false");
    this.version = version === null ? null : Math.trunc(version);
    this.name = init.name;
    this.value = init.value;
    this.port = port;
    this.portSpecified = portSpecified;
    this.domain = init.domain.toLowerCase();
    this.domainSpecified = init.domainSpecified ?? false;
    this.domainInitialDot = init.domainInitialDot ?? false;
    this.path = init.path;
    this.pathSpecified = init.pathSpecified ?? false;
    this.secure = init.secure ?? false;
    this.expires = init.expires === undefined || init.expires === null ? null : Math.trunc(init.expires);
    this.discard = init.discard ?? false;
    this.comment = init.comment ?? null;
    this.commentUrl = init.commentUrl ?? null;
    this.rfc2109 = init.rfc2109 ?? false;
    const rest = init.rest ?? [];
    this.#rest = new Map(
      Symbol.iterator in rest
        ? (rest as Iterable<readonly [string, string | null]>)
        : Object.entries(rest as Record<string, string | null>),
    );
  }

  /** Python's `has_nonstandard_attr(name)`. */
  hasNonstandardAttr(name: string): boolean {
    return this.#rest.has(name);
  }
  /** Python's `get_nonstandard_attr(name, default)`. */
  getNonstandardAttr<T = null>(name: string, defaultValue?: T): string | null | T {
    return this.#rest.has(name) ? this.#rest.get(name)! : ((defaultValue ?? null) as T);
  }
  /** Python's `set_nonstandard_attr(name, value)`. */
  setNonstandardAttr(name: string, value: string | null): void {
    this.#rest.set(name, value);
  }
  /** The non-standard attributes in the order they were set (Python's `_rest`). */
  nonstandardAttrs(): Array<[string, string | null]> {
    return [...this.#rest];
  }

  /** Python's `is_expired(now)`: `now` in seconds, the current time by default. */
  isExpired(now: number = Date.now() / 1000): boolean {
    return this.expires !== null && this.expires <= now;
  }

  /** Python's `str(cookie)`: `<Cookie name=value for domain:port/path>`. */
  toString(): string {
    const p = this.port === null ? "" : `:${this.port}`;
    const limit = this.domain + p + this.path;
    const namevalue = this.value !== null ? `${this.name}=${this.value}` : this.name;
    return `<Cookie ${namevalue} for ${limit}>`;
  }

  /** Python's `repr(cookie)`. */
  repr(): string {
    const r = (v: unknown): string =>
      v === null
        ? "None"
        : typeof v === "boolean"
          ? v
            ? "True"
            : "False"
          : typeof v === "string"
            ? pyRepr(v)
            : String(v);
    const fields: Array<[string, unknown]> = [
      ["version", this.version],
      ["name", this.name],
      ["value", this.value],
      ["port", this.port],
      ["port_specified", this.portSpecified],
      ["domain", this.domain],
      ["domain_specified", this.domainSpecified],
      ["domain_initial_dot", this.domainInitialDot],
      ["path", this.path],
      ["path_specified", this.pathSpecified],
      ["secure", this.secure],
      ["expires", this.expires],
      ["discard", this.discard],
      ["comment", this.comment],
      ["comment_url", this.commentUrl],
    ];
    const args = fields.map(([k, v]) => `${k}=${r(v)}`);
    args.push(`rest={${[...this.#rest].map(([k, v]) => `${r(k)}: ${r(v)}`).join(", ")}}`);
    args.push(`rfc2109=${r(this.rfc2109)}`);
    return `Cookie(${args.join(", ")})`;
  }

  /** A copy (Python's `copy.deepcopy(cookie)`). */
  clone(): Cookie {
    return new Cookie({ ...this.#fields(), rest: this.#rest });
  }

  #fields(): CookieInit {
    return {
      version: this.version,
      name: this.name,
      value: this.value,
      port: this.port,
      portSpecified: this.portSpecified,
      domain: this.domain,
      domainSpecified: this.domainSpecified,
      domainInitialDot: this.domainInitialDot,
      path: this.path,
      pathSpecified: this.pathSpecified,
      secure: this.secure,
      expires: this.expires,
      discard: this.discard,
      comment: this.comment,
      commentUrl: this.commentUrl,
      rfc2109: this.rfc2109,
    };
  }
}
