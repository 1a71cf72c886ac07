/**
 * Python's `urllib.request.Request`: a URL plus what to send to it (body,
 * headers, method), as the opener and its handlers see it.
 *
 * @module
 */
import { checkOptions, checkString, urlString } from "../../_args.js";
import { argTypeError, pyRepr, ValueError } from "../../errors/index.js";
import { unquote, unwrap, urlparse } from "../parse.js";
import { splithost, splittag, splittype } from "./split.js";

/** A request body: bytes, or chunks (sent with Transfer-Encoding: chunked when the length is unknown). */
export type RequestData = Uint8Array | Iterable<Uint8Array> | AsyncIterable<Uint8Array>;

/** Headers given to `Request`: an object or `[name, value]` pairs. */
export type HeadersInit = Record<string, string> | Iterable<[string, string]>;

/** Options of `new Request(url, options)`: Python's keyword arguments. */
export interface RequestOptions {
  /** The body; with one the default method is POST. @default null */
  data?: RequestData | null;
  /** Headers to send (names are stored `Capitalized`, as Python stores them). @default {} */
  headers?: HeadersInit;
  /** The host of the page the user started from (RFC 2965). @default the request's own host */
  originReqHost?: string;
  /** The user did not ask for this URL directly (an image in a page, a redirect). @default false */
  unverifiable?: boolean;
  /** The HTTP method. @default "POST" with `data`, else "GET" */
  method?: string;
}

/** The options' names, for the TypeError a wrong options argument gets. */
const REQUEST_OPTIONS = "{ data, headers, originReqHost, unverifiable, method }";

/** A body `Request` takes: bytes, or a (sync or async) iterable of chunks. */
function isRequestData(value: unknown): value is RequestData {
  if (value instanceof Uint8Array) return true;
  if (typeof value !== "object" || value === null) return false;
  return Symbol.iterator in value || Symbol.asyncIterator in value;
}

/**
 * `headers` as pairs, each name and value checked.
 * @throws TypeError `ERR_INVALID_ARG_TYPE` for anything but an object of strings or `[name, value]` pairs
 */
function headerPairs(fn: string, headers: unknown): Array<[string, string]> {
  if (typeof headers !== "object" || headers === null || typeof headers === "string") {
    throw argTypeError(fn, "headers", "an object or [name, value] pairs", headers);
  }
  const pairs = Symbol.iterator in headers ? [...(headers as Iterable<unknown>)] : Object.entries(headers);
  return pairs.map((pair) => {
    if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== "string") {
      throw argTypeError(fn, "headers", "an object or [name, value] pairs", pair);
    }
    const [name, value] = pair as [string, unknown];
    if (typeof value !== "string") throw argTypeError(fn, `headers[${pyRepr(name)}]`, "str", value);
    return [name, value];
  });
}

/** Python's `str.capitalize()` for a header name: `"content-TYPE"` → `"Content-type"`. */
export function capitalize(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1).toLowerCase();
}

/**
 * Python's `urllib.request.Request`.
 *
 * Header names are stored as Python stores them (`"Content-type"`), so
 * `hasHeader` and `getHeader` take that spelling. Headers added with
 * `addHeader` follow redirects; those from `addUnredirectedHeader` do not.
 *
 * @example
 * ```ts
 * const req = new Request("http://127.0.0.1:8000/api", {
 *   data: Buffer.from(JSON.stringify({ q: 1 })),
 *   headers: { "Content-Type": "application/json" },
 * });
 * req.getMethod(); // "POST"
 * req.getHeader("Content-type"); // "application/json"
 * ```
 */
export class Request {
  /** The headers that follow redirects, by capitalized name. */
  readonly headers = new Map<string, string>();
  /** Headers for this URL only (Host, Authorization, Cookie, ...), by capitalized name. */
  readonly unredirectedHdrs = new Map<string, string>();
  /** The scheme: `"http"`, `"https"`, `"file"`, ... (lower case). */
  type = "";
  /** The host (`"example.com:8080"`), percent-decoded; `null` when the URL has no `//` part. */
  host: string | null = null;
  /** What goes in the request line: the path and query, or the full URL through a proxy. */
  selector = "";
  /** The fragment, sent to no server. */
  fragment: string | null = null;
  /** Host of the page the user started from (RFC 2965's request-host). */
  originReqHost: string;
  /** The user did not ask for this URL directly. */
  unverifiable: boolean;
  /** The method given to the constructor, if any (see `getMethod`). */
  method: string | undefined;
  /** Seconds for each network step (`null`: no limit; `undefined`: the default); set by `OpenerDirector.open`. */
  timeout: number | null | undefined;
  /** Aborts the request; set by `OpenerDirector.open`. */
  signal: AbortSignal | undefined;
  /** Redirects followed so far, by URL (set by `HTTPRedirectHandler`). */
  redirectDict: Map<string, number> | undefined;
  /** The host an `https` request tunnels to through a proxy (CONNECT). */
  tunnelHost: string | null = null;
  #fullUrl = "";
  #data: RequestData | null = null;

  /**
   * @param url an absolute URL, as a string (`<URL:...>` wrappers and a fragment are allowed) or a WHATWG `URL`
   * @param options body, headers, method, origin
   * @throws ValueError for a URL without a scheme ("unknown url type");
   *   TypeError (`ERR_INVALID_ARG_TYPE`) for an argument or option of the wrong type
   */
  constructor(url: string | URL, options: RequestOptions = {}) {
    this.fullUrl = urlString("Request", "url", url);
    checkOptions("Request", options, REQUEST_OPTIONS);
    this.data = options.data ?? null;
    for (const [key, value] of headerPairs("Request", options.headers ?? {})) this.addHeader(key, value);
    if (options.originReqHost !== undefined) checkString("Request", "originReqHost", options.originReqHost);
    if (options.unverifiable !== undefined && typeof options.unverifiable !== "boolean") {
      throw argTypeError("Request", "unverifiable", "bool", options.unverifiable);
    }
    if (options.method !== undefined) checkString("Request", "method", options.method);
    this.originReqHost = options.originReqHost ?? requestHost(this);
    this.unverifiable = options.unverifiable ?? false;
    this.method = options.method || undefined;
  }

  /** The URL, with its fragment (Python's `full_url`). Setting it (a string or a `URL`) parses it again. */
  get fullUrl(): string {
    return this.fragment ? `${this.#fullUrl}#${this.fragment}` : this.#fullUrl;
  }

  /** Parses the new URL into `type`, `host`, `selector` and `fragment`. */
  set fullUrl(value: string | URL) {
    const url = urlString("Request.fullUrl", "url", value);
    [this.#fullUrl, this.fragment] = splittag(unwrap(url));
    const [type, rest] = splittype(this.#fullUrl);
    if (type === null) throw new ValueError(`unknown url type: ${pyRepr(this.fullUrl)}`);
    this.type = type;
    const [host, selector] = splithost(rest);
    this.host = host ? unquote(host) : host;
    this.selector = selector;
  }

  /**
   * The body. Changing it drops a Content-length header set for the old one.
   * Differs from Python: text is refused here, when it is set (Python
   * refuses it only when the request is sent).
   * @throws TypeError (`ERR_INVALID_ARG_TYPE`) for anything but bytes, an iterable or async iterable of chunks, or null
   */
  get data(): RequestData | null {
    return this.#data;
  }

  /** Sets the body; refused unless bytes, an iterable of chunks or null. */
  set data(data: RequestData | null) {
    if (data !== null && !isRequestData(data)) {
      throw argTypeError(
        "Request",
        "data",
        "bytes, an iterable of bytes or an async iterable of bytes",
        data,
      );
    }
    if (data !== this.#data) {
      this.#data = data;
      if (this.hasHeader("Content-length")) this.removeHeader("Content-length");
    }
  }

  /** Python's `get_full_url()`. */
  getFullUrl(): string {
    return this.fullUrl;
  }

  /** Python's `get_method()`: the given method, else POST with a body and GET without. */
  getMethod(): string {
    return this.method ?? (this.data !== null ? "POST" : "GET");
  }

  /**
   * Python's `set_proxy(host, type)`: send this request through the proxy at
   * `host`. An `https` request tunnels (CONNECT) instead of asking the proxy
   * for the full URL.
   */
  setProxy(host: string, type: string): void {
    if (this.type === "https" && !this.tunnelHost) this.tunnelHost = this.host;
    else {
      this.type = type;
      this.selector = this.fullUrl;
    }
    this.host = host;
  }

  /** Python's `has_proxy()`: the request goes to a proxy that fetches the full URL. */
  hasProxy(): boolean {
    return this.selector === this.fullUrl;
  }

  /**
   * Python's `add_header(key, val)`: a header that follows redirects.
   * @throws TypeError (`ERR_INVALID_ARG_TYPE`) when the name or value is not a string
   */
  addHeader(key: string, value: string): void {
    checkString("addHeader", "key", key);
    checkString("addHeader", "val", value);
    this.headers.set(capitalize(key), value);
  }

  /**
   * Python's `add_unredirected_header(key, val)`: a header for this URL only.
   * @throws TypeError (`ERR_INVALID_ARG_TYPE`) when the name or value is not a string
   */
  addUnredirectedHeader(key: string, value: string): void {
    checkString("addUnredirectedHeader", "key", key);
    checkString("addUnredirectedHeader", "val", value);
    this.unredirectedHdrs.set(capitalize(key), value);
  }

  /** Python's `has_header(name)`, with the capitalized spelling (`"Content-type"`). */
  hasHeader(name: string): boolean {
    return this.headers.has(name) || this.unredirectedHdrs.has(name);
  }

  /** Python's `get_header(name, default)`, with the capitalized spelling. */
  getHeader(name: string): string | undefined;
  getHeader<T>(name: string, defaultValue: T): string | T;
  getHeader<T>(name: string, defaultValue?: T): string | T | undefined {
    return this.headers.get(name) ?? this.unredirectedHdrs.get(name) ?? defaultValue;
  }

  /** Python's `remove_header(name)`: from both kinds. */
  removeHeader(name: string): void {
    this.headers.delete(name);
    this.unredirectedHdrs.delete(name);
  }

  /** Python's `header_items()`: every header, the redirected ones winning a clash. */
  headerItems(): Array<[string, string]> {
    const all = new Map(this.unredirectedHdrs);
    for (const [k, v] of this.headers) all.set(k, v);
    return [...all];
  }
}

/**
 * Python's `urllib.request.request_host`: the request's host, lower case,
 * without a port (from the URL, else from a Host header).
 */
export function requestHost(request: Request): string {
  let host = urlparse(request.fullUrl).netloc;
  if (host === "") host = request.getHeader("Host", "");
  return host.replace(/:\d+$/, "").toLowerCase();
}
