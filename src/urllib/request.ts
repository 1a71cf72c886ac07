/**
 * `netkit/urllib/request`: open a URL as if it were a local file. Python's
 * `urllib.request` (the tutorial's urllib and urllib2), async.
 *
 * ```text
 * urlopen(url) ─► OpenerDirector.open(Request)
 *                   ├─ xxxRequest processors  (Host, Content-length, cookies, prior auth)
 *                   ├─ xxxOpen handlers       (proxy → http/https/file/data → unknown)
 *                   └─ xxxResponse processors (cookies; HTTPErrorProcessor: non-2xx →
 *                        httpError302 redirect, httpError401 auth, ... → HTTPError)
 * ```
 *
 * `buildOpener(...handlers)` makes an opener with the default handlers plus
 * yours (a handler you give replaces the default of its class);
 * `installOpener` makes `urlopen` use it. Handlers are found by method name
 * (see `BaseHandler`).
 *
 * Differences from Python, on purpose:
 * - every request has a timeout: `timeout`, else `setdefaulttimeout()`, else
 *   60 seconds (Python waits forever by default);
 * - a redirect to another origin drops Authorization, Proxy-Authorization
 *   and Cookie headers (Python forwards them);
 * - `urlretrieve` writes to a temporary name and renames when complete, so a
 *   short or failed download leaves no file behind;
 * - `HTTPError`'s status is `status` (`code` is netkit's stable error code).
 *
 * @example
 * ```ts world
 * import { urlopen } from "netkit/urllib/request";
 * await using res = await urlopen("http://127.0.0.1:8000/", { timeout: 10 });
 * console.log(res.status, res.headers.get("content-type"));
 * console.log((await res.read()).toString());
 * ```
 *
 * @module
 */
import { argTypeError } from "../errors/index.js";
import type { SSLContext, SSLContextOptions } from "../socket/tls.js";
import type { HTTPMessage } from "../textproto/header.js";
import {
  AbstractBasicAuthHandler,
  AbstractDigestAuthHandler,
  HTTPBasicAuthHandler,
  HTTPDigestAuthHandler,
  HTTPPasswordMgr,
  HTTPPasswordMgrWithDefaultRealm,
  HTTPPasswordMgrWithPriorAuth,
  ProxyBasicAuthHandler,
  ProxyDigestAuthHandler,
  parseHttpList,
  parseKeqvList,
} from "./_request/auth.js";
import { CacheFTPHandler, FTPHandler, ftpwrapper } from "./_request/ftp.js";
import { GopherHandler } from "./_request/gopher.js";
import {
  AbstractHTTPHandler,
  DEFAULT_TIMEOUT,
  HTTPCookieProcessor,
  HTTPDefaultErrorHandler,
  HTTPErrorProcessor,
  HTTPHandler,
  HTTPRedirectHandler,
  HTTPSHandler,
} from "./_request/http.js";
import { DataHandler, FileHandler, pathname2url, UnknownHandler, url2pathname } from "./_request/local.js";
import { BaseHandler, OpenerDirector, type OpenOptions, toRequest } from "./_request/opener.js";
import { getproxies, ProxyHandler, parseProxy, proxyBypass } from "./_request/proxy.js";
import { Request } from "./_request/request.js";
import { retrieve, type UrlretrieveOptions, urlcleanup } from "./_request/retrieve.js";
import type { addinfourl } from "./response.js";

export type { SSLContext, SSLContextOptions } from "../socket/tls.js";
export type { CookieJarLike, HTTPSHandlerOptions } from "./_request/http.js";
export type { HTTPErrorArgs, MaybeResponse, OpenOptions } from "./_request/opener.js";
export type { Proxies } from "./_request/proxy.js";
export type { HeadersInit, RequestData, RequestOptions } from "./_request/request.js";
export type { ReportHook, UrlretrieveOptions } from "./_request/retrieve.js";
export { ContentTooShortError, HTTPError, URLError } from "./error.js";
export { addinfourl, type ResponseBody } from "./response.js";
export {
  AbstractBasicAuthHandler,
  AbstractDigestAuthHandler,
  AbstractHTTPHandler,
  BaseHandler,
  CacheFTPHandler,
  DataHandler,
  DEFAULT_TIMEOUT,
  FileHandler,
  FTPHandler,
  ftpwrapper,
  GopherHandler,
  getproxies,
  HTTPBasicAuthHandler,
  HTTPCookieProcessor,
  HTTPDefaultErrorHandler,
  HTTPDigestAuthHandler,
  HTTPErrorProcessor,
  HTTPHandler,
  HTTPPasswordMgr,
  HTTPPasswordMgrWithDefaultRealm,
  HTTPPasswordMgrWithPriorAuth,
  HTTPRedirectHandler,
  HTTPSHandler,
  OpenerDirector,
  ProxyBasicAuthHandler,
  ProxyDigestAuthHandler,
  ProxyHandler,
  parseHttpList,
  parseKeqvList,
  parseProxy,
  pathname2url,
  proxyBypass,
  Request,
  UnknownHandler,
  url2pathname,
  urlcleanup,
};

/** A handler class `buildOpener` can make with no arguments. */
export type HandlerClass = new () => BaseHandler;

/** The handler classes every opener starts with, in Python's order. */
const DEFAULT_HANDLERS: HandlerClass[] = [
  ProxyHandler,
  UnknownHandler,
  HTTPHandler,
  HTTPSHandler,
  HTTPDefaultErrorHandler,
  HTTPRedirectHandler,
  FTPHandler,
  FileHandler,
  HTTPErrorProcessor,
  DataHandler,
  GopherHandler,
];

/**
 * Python's `build_opener(*handlers)`: an opener with the default handlers
 * (proxy, unknown, http, https, default error, redirect, file, error
 * processor, data; and ftp and gopher) and `handlers`, each an instance or a class. A default
 * is left out when a handler you give is of its class or a subclass.
 *
 * @throws TypeError (`ERR_INVALID_ARG_TYPE`) for a handler that is neither a `BaseHandler` nor a subclass of it
 *
 * @example
 * ```ts world
 * const auth = new HTTPBasicAuthHandler();
 * auth.addPassword("realm", "http://127.0.0.1:8000/", "alice", "s3cret");
 * const opener = buildOpener(auth, new ProxyHandler({}));
 * await using res = await opener.open("http://127.0.0.1:8000/private");
 * ```
 */
export function buildOpener(...handlers: Array<BaseHandler | HandlerClass>): OpenerDirector {
  handlers.forEach((h, i) => {
    const isClass = typeof h === "function" && (h === BaseHandler || h.prototype instanceof BaseHandler);
    if (!isClass && !(h instanceof BaseHandler)) {
      throw argTypeError("buildOpener", `handlers[${i}]`, "a BaseHandler or a BaseHandler subclass", h);
    }
  });
  const opener = new OpenerDirector();
  const replaced = (klass: HandlerClass) =>
    handlers.some((h) =>
      typeof h === "function" ? h === klass || h.prototype instanceof klass : h instanceof klass,
    );
  for (const klass of DEFAULT_HANDLERS) {
    if (!replaced(klass)) opener.addHandler(new klass());
  }
  for (const h of handlers) opener.addHandler(typeof h === "function" ? new h() : h);
  return opener;
}

let installed: OpenerDirector | null = null;
let defaultOpener: OpenerDirector | null = null;

/**
 * Python's `install_opener(opener)`: `urlopen` uses `opener` from now on (`null`: the default again).
 * @throws TypeError (`ERR_INVALID_ARG_TYPE`) for anything but an `OpenerDirector` or null
 */
export function installOpener(opener: OpenerDirector | null): void {
  if (opener !== null && !(opener instanceof OpenerDirector)) {
    throw argTypeError("installOpener", "opener", "an OpenerDirector or null", opener);
  }
  installed = opener;
}

/** Options of `urlopen`: Python's `data`, `timeout` and `context`, plus an AbortSignal. */
export interface UrlopenOptions extends OpenOptions {
  /**
   * TLS settings for `https:`: an `SSLContext`, or Node TLS options to make
   * one from (`ca`, `cert`, `key`, ...). With it, `urlopen` builds an opener
   * of its own around `new HTTPSHandler({ context })`, as Python does.
   */
  context?: SSLContext | SSLContextOptions;
}

/** The names of `UrlopenOptions`, for the TypeError a wrong options argument gets. */
const URLOPEN_OPTIONS = "{ data, timeout, context, signal }";

/**
 * Python's `urlopen(url, data, timeout, context)`: opens `url` (a string, a
 * WHATWG `URL` or a `Request`) and resolves with the response once its
 * headers are in. Any status outside 200-299 that no handler resolves
 * (redirects are followed) rejects with `HTTPError`; a network failure with
 * `URLError`.
 *
 * @throws TypeError (`ERR_INVALID_ARG_TYPE`) for an argument of the wrong
 *   type, Python's positional `data` among them: it goes in the options
 *
 * @example
 * ```ts world
 * import { urlencode } from "netkit/urllib/parse";
 * const res = await urlopen("http://127.0.0.1:8000/form", {
 *   data: Buffer.from(urlencode({ q: "netkit" })),
 *   timeout: 10,
 * });
 * for await (const line of res) process.stdout.write(line);
 * ```
 */
export async function urlopen(
  url: string | URL | Request,
  options: UrlopenOptions = {},
): Promise<addinfourl> {
  const req = toRequest("urlopen", url, options, URLOPEN_OPTIONS);
  const { context, ...openOptions } = options;
  const opener =
    context !== undefined
      ? buildOpener(new HTTPSHandler({ context }))
      : (installed ?? (defaultOpener ??= buildOpener()));
  return opener.open(req, openOptions);
}

/**
 * Python's `urlretrieve(url, filename, reporthook, data)`: copies the body
 * of `url` (a string, a WHATWG `URL` or a `Request`) to `filename` (a new
 * temporary file without one; `urlcleanup()` removes those) and resolves
 * with `[filename, headers]`. A `file:` URL without `filename` resolves with
 * the file's own path.
 *
 * @throws ContentTooShortError when the body is shorter than its
 *   Content-Length (no file is left behind); OSError naming `filename` when
 *   it cannot be written (`FileNotFoundError` for a folder that does not
 *   exist), as Python; the errors of `urlopen`
 *
 * @example
 * ```ts world
 * const [path, headers] = await urlretrieve("http://127.0.0.1:8000/big.iso", "big.iso", {
 *   reporthook: (blocks, size, total) => console.error(blocks * size, "of", total),
 * });
 * ```
 */
export function urlretrieve(
  url: string | URL | Request,
  filename?: string | null,
  options: UrlretrieveOptions = {},
): Promise<[string, HTTPMessage]> {
  return retrieve(installed ?? (defaultOpener ??= buildOpener()), url, filename, options);
}
