/**
 * The HTTP handlers of urllib.request: opening (`HTTPHandler`,
 * `HTTPSHandler` over netkit/http/client), status handling
 * (`HTTPErrorProcessor`, `HTTPDefaultErrorHandler`), redirects
 * (`HTTPRedirectHandler`) and cookies (`HTTPCookieProcessor`).
 *
 * @module
 */
import { OSError, ValueError } from "../../errors/index.js";
import { HTTPConnection, type HTTPConnectionOptions, HTTPSConnection } from "../../http/client.js";
import { CookieJar } from "../../http/cookiejar.js";
import { getdefaulttimeout } from "../../socket/socket.js";
import type { SSLContext, SSLContextOptions } from "../../socket/tls.js";
import { HTTPError, URLError } from "../error.js";
import { quote, urljoin, urlparse, urlunparse } from "../parse.js";
import { addinfourl, type ResponseBody } from "../response.js";
import { BaseHandler, type HTTPErrorArgs, type MaybeResponse } from "./opener.js";
import { Request } from "./request.js";

/** Seconds a request's network steps may take when neither the call nor `setdefaulttimeout` says. */
export const DEFAULT_TIMEOUT = 60;

/** Python's `str.title()` for a header name: `"content-type"` → `"Content-Type"`. */
function title(name: string): string {
  return name.replace(/[A-Za-z]+/g, (word) => word.charAt(0).toUpperCase() + word.slice(1).toLowerCase());
}

/** Python's `string.punctuation`: what `quote` leaves alone in a redirect's Location. */
const PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

/** The connection `doOpen` uses: `HTTPConnection` or a subclass such as `HTTPSConnection`. */
export type ConnectionFactory = (host: string, options: HTTPConnectionOptions) => HTTPConnection;

/**
 * Python's `AbstractHTTPHandler`: completes a request's headers
 * (`doRequest_`) and sends it on a fresh connection (`doOpen`).
 */
export class AbstractHTTPHandler extends BaseHandler {
  /** Python's `_debuglevel`, passed to each connection's `setDebuglevel`. */
  debuglevel: number;

  /** @param debuglevel 1 prints the exchange to stderr, as Python does @default 0 */
  constructor(debuglevel = 0) {
    super();
    this.debuglevel = debuglevel;
  }

  /** Python's `set_http_debuglevel(level)`. */
  setHttpDebuglevel(level: number): void {
    this.debuglevel = level;
  }

  /**
   * Python's `do_request_`: adds Content-type and Content-length (or
   * Transfer-encoding: chunked) for a body, Host, and the opener's
   * `addheaders`, each only where the request lacks it.
   * @throws URLError when the URL has no host (a string body is refused earlier, by `Request`)
   */
  doRequest_(request: Request): Request {
    const host = request.host;
    if (!host) throw new URLError("no host given");
    const data = request.data;
    if (data !== null) {
      if (!request.hasHeader("Content-type")) {
        request.addUnredirectedHeader("Content-type", "application/x-www-form-urlencoded");
      }
      if (!request.hasHeader("Content-length") && !request.hasHeader("Transfer-encoding")) {
        if (data instanceof Uint8Array) request.addUnredirectedHeader("Content-length", String(data.length));
        else request.addUnredirectedHeader("Transfer-encoding", "chunked");
      }
    }
    let selHost = host;
    if (request.hasProxy()) {
      const match = /^[^/:]+:\/\/([^/#?]*)/.exec(request.selector);
      if (match) selHost = match[1]!;
    }
    if (!request.hasHeader("Host")) request.addUnredirectedHeader("Host", selHost);
    for (const [name, value] of this.opener.addheaders) {
      const key = name.charAt(0).toUpperCase() + name.slice(1).toLowerCase();
      if (!request.hasHeader(key)) request.addUnredirectedHeader(key, value);
    }
    return request;
  }

  /**
   * Python's `do_open(http_class, req)`: sends `req` on a new connection
   * (with `Connection: close`, as Python sends) and returns the response,
   * whatever its status. The response owns the connection from then on.
   * @throws URLError when sending fails (refused, unreachable, timed out)
   */
  async doOpen(connect: ConnectionFactory, req: Request): Promise<addinfourl> {
    if (!req.host) throw new URLError("no host given");
    const timeout = req.timeout === undefined ? (getdefaulttimeout() ?? DEFAULT_TIMEOUT) : req.timeout;
    const conn = connect(req.host, { timeout });
    conn.setDebuglevel(this.debuglevel);

    const headers = new Map(req.unredirectedHdrs);
    for (const [k, v] of req.headers) if (!headers.has(k)) headers.set(k, v);
    headers.set("Connection", "close");
    const titled = new Map([...headers].map(([k, v]) => [title(k), v]));
    if (req.tunnelHost) {
      const tunnelHeaders: Record<string, string> = {};
      const proxyAuth = titled.get("Proxy-Authorization");
      if (proxyAuth !== undefined) {
        tunnelHeaders["Proxy-Authorization"] = proxyAuth;
        titled.delete("Proxy-Authorization");
      }
      conn.setTunnel(req.tunnelHost, null, tunnelHeaders);
    }

    const signal = req.signal;
    const onAbort = () => conn.close();
    signal?.addEventListener("abort", onAbort, { once: true });
    const aborted = (err: unknown): unknown => (signal?.aborted ? signal.reason : err);
    let response: Awaited<ReturnType<HTTPConnection["getresponse"]>>;
    try {
      try {
        await conn.request(req.getMethod(), req.selector, {
          body: req.data,
          headers: [...titled],
          encodeChunked: req.hasHeader("Transfer-encoding"),
        });
      } catch (err) {
        throw err instanceof OSError ? new URLError(err) : err;
      }
      response = await conn.getresponse();
    } catch (err) {
      signal?.removeEventListener("abort", onAbort);
      conn.close();
      throw aborted(err);
    }
    // The response keeps the socket; the connection object is done.
    conn.close();
    const body: ResponseBody = {
      read: async (n) => {
        try {
          return await response.read(n);
        } catch (err) {
          throw aborted(err);
        }
      },
      read1: async (n) => {
        try {
          return await response.read1(n);
        } catch (err) {
          throw aborted(err);
        }
      },
      readinto: async (b) => {
        try {
          return await response.readinto(b);
        } catch (err) {
          throw aborted(err);
        }
      },
      readline: async (limit) => {
        try {
          return await response.readline(limit);
        } catch (err) {
          throw aborted(err);
        }
      },
      close: () => response.close(),
    };
    return new addinfourl(body, response.headers, req.fullUrl, {
      code: response.status,
      reason: response.reason,
      onClose: () => signal?.removeEventListener("abort", onAbort),
    });
  }
}

/**
 * Python's `urllib.request.HTTPHandler`: opens `http:` URLs.
 *
 * @example
 * ```ts
 * const opener = buildOpener(new HTTPHandler(1)); // prints the exchange
 * ```
 */
export class HTTPHandler extends AbstractHTTPHandler {
  /** Opens an `http:` request. */
  httpOpen(req: Request): Promise<addinfourl> {
    return this.doOpen((host, options) => new HTTPConnection(host, null, options), req);
  }

  /** Completes an `http:` request's headers. */
  httpRequest(req: Request): Request {
    return this.doRequest_(req);
  }
}

/** Options of `HTTPSHandler`: Python's `debuglevel`, `context` and `check_hostname`. */
export interface HTTPSHandlerOptions {
  /** 1 prints the exchange to stderr, as Python does. @default 0 */
  debuglevel?: number;
  /**
   * The TLS settings for every connection: an `SSLContext`, or Node TLS
   * options to make one from (`ca`, `cert`, `key`, ...).
   * @default netkit/http/client's default: certificates and host names verified
   */
  context?: SSLContext | SSLContextOptions;
  /** `false` verifies the certificate chain but not the host name. @default the context's */
  checkHostname?: boolean;
}

/**
 * Python's `urllib.request.HTTPSHandler`: opens `https:` URLs with
 * netkit/http/client's `HTTPSConnection`, so the certificate and the host
 * name are verified unless the context says otherwise.
 *
 * @example A server with a private CA
 * ```ts world
 * import { readFileSync } from "node:fs";
 * const opener = buildOpener(new HTTPSHandler({ context: { ca: readFileSync("ca.pem") } }));
 * await using res = await opener.open("https://localhost:8443/");
 * ```
 */
export class HTTPSHandler extends AbstractHTTPHandler {
  /** The TLS settings given (Python's `_context`); `undefined` means the default context. */
  readonly context: SSLContext | SSLContextOptions | undefined;
  /** Python's `_check_hostname`; `undefined` means the context decides. */
  readonly checkHostname: boolean | undefined;

  constructor(options: HTTPSHandlerOptions = {}) {
    super(options.debuglevel ?? 0);
    this.context = options.context;
    this.checkHostname = options.checkHostname;
  }

  /** Opens an `https:` request. */
  httpsOpen(req: Request): Promise<addinfourl> {
    const tls = { context: this.context, checkHostname: this.checkHostname };
    return this.doOpen((host, options) => new HTTPSConnection(host, null, { ...options, ...tls }), req);
  }

  /** Completes an `https:` request's headers. */
  httpsRequest(req: Request): Request {
    return this.doRequest_(req);
  }
}

/**
 * Python's `urllib.request.HTTPErrorProcessor`: hands every answer outside
 * 200-299 to the opener's error handlers (redirects, authentication, and
 * finally `HTTPDefaultErrorHandler`, which throws `HTTPError`).
 */
export class HTTPErrorProcessor extends BaseHandler {
  override handlerOrder = 1000;

  /** Passes a 2xx response on; asks the error handlers about any other. */
  async httpResponse(request: Request, response: addinfourl): Promise<addinfourl> {
    const code = response.status ?? 0;
    if (code >= 200 && code < 300) return response;
    const handled = await this.opener.error(
      "http",
      request,
      response,
      code,
      response.reason,
      response.headers,
    );
    if (!handled) throw new HTTPError(request.fullUrl, code, response.reason, response.headers, response);
    return handled;
  }

  /** Same as `httpResponse`. */
  httpsResponse(request: Request, response: addinfourl): Promise<addinfourl> {
    return this.httpResponse(request, response);
  }
}

/** Python's `urllib.request.HTTPDefaultErrorHandler`: turns any status no handler took into `HTTPError`. */
export class HTTPDefaultErrorHandler extends BaseHandler {
  /** Throws `HTTPError` for the response (its body stays readable from the error). */
  httpErrorDefault(...[req, fp, code, msg, hdrs]: HTTPErrorArgs): MaybeResponse {
    throw new HTTPError(req.fullUrl, code, msg, hdrs, fp);
  }
}

/** Headers that carry credentials: dropped when a redirect leaves the origin. */
const CREDENTIAL_HEADERS = new Set(["authorization", "proxy-authorization", "cookie"]);

/** `scheme://host:port` of a URL, with the scheme's default port filled in. */
function origin(url: string): string {
  const parts = urlparse(url);
  const scheme = parts.scheme.toLowerCase();
  let port: number | null = null;
  try {
    port = parts.port;
  } catch (err) {
    if (!(err instanceof ValueError)) throw err;
    port = null;
  }
  port ??= scheme === "https" ? 443 : scheme === "http" ? 80 : null;
  return `${scheme}://${parts.hostname ?? ""}:${port ?? ""}`;
}

/**
 * Python's `urllib.request.HTTPRedirectHandler`: follows 301, 302, 303, 307
 * and 308 for GET and HEAD, and 301/302/303 for POST (as GET, without the
 * body), up to `maxRedirections` in all and `maxRepeats` times to one URL.
 *
 * Safer than Python: headers that carry credentials (Authorization,
 * Proxy-Authorization, Cookie) are not sent on to another origin (scheme,
 * host or port), as curl and browsers do; Python 3.11 forwards them.
 */
export class HTTPRedirectHandler extends BaseHandler {
  /** Times one URL may be visited in a chain of redirects. @default 4 */
  maxRepeats = 4;
  /** Redirects in one chain. @default 10 */
  maxRedirections = 10;
  /** Python's `inf_msg`, the start of the loop error's message. */
  static infMsg =
    "The HTTP server returned a redirect error that would lead to an infinite loop.\nThe last 30x error message was:\n";

  /**
   * Python's `redirect_request(req, fp, code, msg, headers, newurl)`: the
   * request to send to `newurl`, or null to not follow.
   * @throws HTTPError for a method and status that must not be redirected
   */
  redirectRequest(
    req: Request,
    fp: addinfourl,
    code: number,
    msg: string,
    headers: HTTPErrorArgs[4],
    newurl: string,
  ): Request | null {
    const method = req.getMethod();
    const followable =
      ([301, 302, 303, 307, 308].includes(code) && (method === "GET" || method === "HEAD")) ||
      ([301, 302, 303].includes(code) && method === "POST");
    if (!followable) throw new HTTPError(req.fullUrl, code, msg, headers, fp);
    const target = newurl.replaceAll(" ", "%20");
    const crossOrigin = origin(target) !== origin(req.fullUrl);
    const newHeaders: Array<[string, string]> = [];
    for (const [k, v] of req.headers) {
      const lower = k.toLowerCase();
      if (lower === "content-length" || lower === "content-type") continue;
      if (crossOrigin && CREDENTIAL_HEADERS.has(lower)) continue;
      newHeaders.push([k, v]);
    }
    return new Request(target, { headers: newHeaders, originReqHost: req.originReqHost, unverifiable: true });
  }

  /** Follows a 302 (and 301, 303, 307, 308) to its Location (or URI) header. */
  async httpError302(...[req, fp, code, msg, headers]: HTTPErrorArgs): Promise<MaybeResponse> {
    let newurl = headers.get("location") ?? headers.get("uri");
    if (newurl === undefined) return null;
    const parts = urlparse(newurl);
    if (!parts.path && parts.netloc) {
      newurl = urlunparse([parts.scheme, parts.netloc, "/", parts.params, parts.query, parts.fragment]);
    } else newurl = urlunparse(parts);
    newurl = quote(newurl, { encoding: "iso-8859-1", safe: PUNCTUATION });
    newurl = urljoin(req.fullUrl, newurl);
    const scheme = urlparse(newurl).scheme;
    if (!["http", "https", "ftp", ""].includes(scheme)) {
      throw new HTTPError(
        newurl,
        code,
        `${msg} - Redirection to url '${newurl}' is not allowed`,
        headers,
        fp,
      );
    }
    const next = this.redirectRequest(req, fp, code, msg, headers, newurl);
    if (!next) return null;
    let visited = req.redirectDict;
    if (visited) {
      if ((visited.get(newurl) ?? 0) >= this.maxRepeats || visited.size >= this.maxRedirections) {
        throw new HTTPError(req.fullUrl, code, HTTPRedirectHandler.infMsg + msg, headers, fp);
      }
    } else {
      visited = new Map();
      req.redirectDict = visited;
    }
    next.redirectDict = visited;
    visited.set(newurl, (visited.get(newurl) ?? 0) + 1);
    // Python reads the body to free the connection; it was sent with
    // Connection: close, so closing frees it without reading a byte.
    await fp.close();
    return this.opener.open(next, {
      timeout: req.timeout ?? null,
      ...(req.signal ? { signal: req.signal } : {}),
    });
  }

  /** Same as `httpError302`. */
  httpError301(...args: HTTPErrorArgs): Promise<MaybeResponse> {
    return this.httpError302(...args);
  }

  /** Same as `httpError302`. */
  httpError303(...args: HTTPErrorArgs): Promise<MaybeResponse> {
    return this.httpError302(...args);
  }

  /** Same as `httpError302`. */
  httpError307(...args: HTTPErrorArgs): Promise<MaybeResponse> {
    return this.httpError302(...args);
  }

  /** Same as `httpError302`. */
  httpError308(...args: HTTPErrorArgs): Promise<MaybeResponse> {
    return this.httpError302(...args);
  }
}

/** What `HTTPCookieProcessor` needs of a cookie jar (netkit/http/cookiejar's `CookieJar` has it). */
export interface CookieJarLike {
  /** Adds a Cookie header for the request. */
  addCookieHeader(request: Request): void;
  /** Stores the cookies a response sets. */
  extractCookies(response: addinfourl, request: Request): void;
}

/**
 * Python's `urllib.request.HTTPCookieProcessor`: sends the jar's cookies
 * with each request and keeps the cookies each response sets.
 *
 * @example
 * ```ts
 * import { CookieJar } from "netkit/http/cookiejar";
 * const jar = new CookieJar();
 * const opener = buildOpener(new HTTPCookieProcessor(jar));
 * ```
 */
export class HTTPCookieProcessor extends BaseHandler {
  /** The jar. */
  readonly cookiejar: CookieJarLike;

  /** @param cookiejar the jar to use @default a new netkit/http/cookiejar `CookieJar` */
  constructor(cookiejar: CookieJarLike = new CookieJar()) {
    super();
    this.cookiejar = cookiejar;
  }

  /** Adds the Cookie header. */
  httpRequest(request: Request): Request {
    this.cookiejar.addCookieHeader(request);
    return request;
  }

  /** Stores the response's cookies. */
  httpResponse(request: Request, response: addinfourl): addinfourl {
    this.cookiejar.extractCookies(response, request);
    return response;
  }

  /** Same as `httpRequest`. */
  httpsRequest(request: Request): Request {
    return this.httpRequest(request);
  }

  /** Same as `httpResponse`. */
  httpsResponse(request: Request, response: addinfourl): addinfourl {
    return this.httpResponse(request, response);
  }
}
