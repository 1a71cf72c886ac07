/**
 * Proxies for urllib.request: `getproxies()` and `proxyBypass()` from the
 * environment (`http_proxy`, `https_proxy`, `no_proxy`, ...), and
 * `ProxyHandler`, which sends requests through them. Python on Linux reads
 * the same variables the same way.
 *
 * @module
 */
import { urlString } from "../../_args.js";
import { argTypeError, pyRepr, ValueError } from "../../errors/index.js";
import { unquote } from "../parse.js";
import type { addinfourl } from "../response.js";
import { BaseHandler, type MaybeResponse } from "./opener.js";
import type { Request } from "./request.js";
import { splitpasswd, splitport, splittype, splituser } from "./split.js";

/** Proxy URLs by scheme: `{ http: "http://proxy:3128", no: "localhost,.internal" }`. */
export type Proxies = Record<string, string>;

/**
 * Python's `getproxies()` (`getproxies_environment`): every `<scheme>_proxy`
 * variable, lower-case spelling first, upper-case winning; an empty value
 * removes the scheme. When `REQUEST_METHOD` is set (the program runs as a
 * CGI script) upper-case `HTTP_PROXY` is ignored: a client can set it
 * through a `Proxy:` header (httpoxy, CVE-2016-1000110).
 */
export function getproxies(env: NodeJS.ProcessEnv = process.env): Proxies {
  const proxies: Proxies = {};
  for (const [name, value] of Object.entries(env)) {
    const lower = name.toLowerCase();
    if (value && lower.endsWith("_proxy")) proxies[lower.slice(0, -6)] = value;
  }
  if ("REQUEST_METHOD" in env) delete proxies.http;
  for (const [name, value] of Object.entries(env)) {
    if (!name.endsWith("_proxy")) continue;
    const scheme = name.toLowerCase().slice(0, -6);
    if (value) proxies[scheme] = value;
    else delete proxies[scheme];
  }
  return proxies;
}

/**
 * Python's `proxy_bypass(host)` (`proxy_bypass_environment`): true when
 * `no_proxy` says `host` (with or without its port) is reached directly:
 * `*`, the name itself, or a domain it ends in.
 */
export function proxyBypass(host: string, proxies: Proxies = getproxies()): boolean {
  const noProxy = proxies.no;
  if (noProxy === undefined) return false;
  if (noProxy === "*") return true;
  const lowered = host.toLowerCase();
  const [hostonly] = splitport(lowered);
  for (const entry of noProxy.split(",")) {
    let name = entry.trim();
    if (!name) continue;
    name = name.replace(/^\.+/, "").toLowerCase();
    if (hostonly === name || lowered === name) return true;
    name = `.${name}`;
    if (hostonly.endsWith(name) || lowered.endsWith(name)) return true;
  }
  return false;
}

/**
 * Python's `_parse_proxy(proxy)`: `[scheme, user, password, hostport]` of a
 * proxy given as `http://user:pw@host:port/` or just `host:port`. The
 * authority ends at the first `/` after the first `@`, so credentials may
 * hold a `/` (`http://user/name:pw@host:22`), as in Python.
 * @throws ValueError for `scheme:/x` (a proxy URL with no authority)
 */
export function parseProxy(proxy: string): [string | null, string | null, string | null, string] {
  let [scheme, rest] = splittype(proxy);
  let authority: string;
  if (!rest.startsWith("/")) {
    scheme = null;
    authority = proxy;
  } else {
    if (!rest.startsWith("//")) throw new ValueError(`proxy URL with no authority: ${pyRepr(proxy)}`);
    const at = rest.indexOf("@");
    const end = rest.indexOf("/", at < 0 ? 2 : at);
    authority = rest.slice(2, end < 0 ? undefined : end);
  }
  const [userinfo, hostport] = splituser(authority);
  const [user, password] = userinfo !== null ? splitpasswd(userinfo) : [null, null];
  return [scheme, user, password, hostport];
}

/**
 * Python's `urllib.request.ProxyHandler`: sends each request for a scheme
 * in `proxies` through that proxy (`https` by a CONNECT tunnel), except for
 * hosts `no_proxy` (or a `no` entry in `proxies`) bypasses. Credentials in the proxy URL go in a
 * Proxy-Authorization header.
 *
 * @example
 * ```ts
 * const opener = buildOpener(new ProxyHandler({ http: "http://127.0.0.1:3128" }));
 * const direct = buildOpener(new ProxyHandler({})); // ignore *_proxy variables
 * ```
 */
export class ProxyHandler extends BaseHandler {
  override handlerOrder = 100;
  /** The proxies by scheme. */
  readonly proxies: Proxies;

  /**
   * @param proxies proxy URLs (strings or WHATWG `URL`s) by scheme @default getproxies()
   * @throws TypeError (`ERR_INVALID_ARG_TYPE`) for anything but an object of URLs
   */
  constructor(proxies: Record<string, string | URL> = getproxies()) {
    super();
    if (typeof proxies !== "object" || proxies === null || Array.isArray(proxies)) {
      throw argTypeError("ProxyHandler", "proxies", "an object of proxy URLs by scheme", proxies);
    }
    this.proxies = Object.fromEntries(
      Object.entries(proxies).map(([type, url]) => [type, urlString("ProxyHandler", `proxies.${type}`, url)]),
    );
    // One `<scheme>Open` method per proxied scheme, as Python adds them.
    for (const [type, url] of Object.entries(this.proxies)) {
      const scheme = type.toLowerCase();
      Object.defineProperty(this, `${scheme}Open`, {
        value: (req: Request) => this.proxyOpen(req, url, scheme),
        enumerable: false,
      });
    }
  }

  /**
   * Python's `proxy_open(req, proxy, type)`: points `req` at the proxy.
   * Returns null to let the scheme's own handler send it (to the proxy now),
   * or the response when the proxy speaks another scheme.
   */
  async proxyOpen(req: Request, proxy: string, _type: string): Promise<MaybeResponse> {
    const origType = req.type;
    const [parsedType, user, password, hostport] = parseProxy(proxy);
    const proxyType = parsedType ?? origType;
    // Python consults only the environment's no_proxy; a `no` entry given here counts too.
    const noProxy = this.proxies.no ?? getproxies().no;
    if (req.host && noProxy !== undefined && proxyBypass(req.host, { no: noProxy })) return null;
    if (user && password) {
      const credentials = Buffer.from(`${unquote(user)}:${unquote(password)}`).toString("base64");
      req.addHeader("Proxy-authorization", `Basic ${credentials}`);
    }
    req.setProxy(unquote(hostport), proxyType);
    if (origType === proxyType || origType === "https") return null;
    return this.opener.open(req, { timeout: req.timeout ?? null }) as Promise<addinfourl>;
  }
}
