/**
 * Python's `OpenerDirector` and `BaseHandler`: the opener passes a request
 * through a chain of handlers, each found by the names of its methods.
 *
 * A handler method's name says what it does, Python's names in camelCase
 * (the protocol part stays lower case):
 *
 * | Python                  | netkit                  | called                                    |
 * | ----------------------- | ----------------------- | ----------------------------------------- |
 * | `http_request(req)`     | `httpRequest(req)`      | before opening: returns the request       |
 * | `http_open(req)`        | `httpOpen(req)`         | to open: a response, or null to pass      |
 * | `http_response(req, r)` | `httpResponse(req, r)`  | after opening: returns the response       |
 * | `http_error_404(...)`   | `httpError404(...)`     | for an HTTP status: a response, or null   |
 * | `http_error_default`    | `httpErrorDefault(...)` | when no status handler answered           |
 * | `default_open(req)`     | `defaultOpen(req)`      | before any protocol's `Open`              |
 * | `unknown_open(req)`     | `unknownOpen(req)`      | when no protocol's `Open` answered        |
 *
 * Handlers run in `handlerOrder` (lower first; equal ones in the order added).
 *
 * @module
 */
import { checkOptions, urlString } from "../../_args.js";
import { argTypeError, pyTypeName, withCode } from "../../errors/index.js";
import type { HTTPMessage } from "../../textproto/header.js";
import { VERSION } from "../../version.js";
import type { addinfourl } from "../response.js";
import { Request, type RequestData } from "./request.js";

/** What an `Open` or `Error` method may return: a response, or nothing to let the next handler try. */
export type MaybeResponse = addinfourl | null | undefined;

/** The arguments an HTTP error method gets: Python's `(req, fp, code, msg, hdrs)`. */
export type HTTPErrorArgs = [req: Request, fp: addinfourl, code: number, msg: string, hdrs: HTTPMessage];

/**
 * Python's `urllib.request.BaseHandler`: the base of every handler. Subclass
 * it and add methods named as the module comment shows.
 *
 * @example
 * ```ts
 * class LogRequests extends BaseHandler {
 *   httpRequest(req: Request) {
 *     console.error(req.getMethod(), req.fullUrl);
 *     return req;
 *   }
 * }
 * const opener = buildOpener(new LogRequests());
 * ```
 */
export class BaseHandler {
  /** Where the handler runs in each chain: lower first. @default 500 */
  handlerOrder = 500;
  /** The opener this handler was added to. */
  parent: OpenerDirector | undefined;

  /** Python's `add_parent(parent)`. */
  addParent(parent: OpenerDirector): void {
    this.parent = parent;
  }

  /** Python's `close()`: forgets the parent. */
  close(): void {
    this.parent = undefined;
  }

  /** The opener, for a handler that must have been added to one. */
  protected get opener(): OpenerDirector {
    if (!this.parent)
      throw withCode(
        new Error(`${pyTypeName(this)} is not added to an opener`),
        "ERR_URLLIB_HANDLER_NOT_ADDED",
      );
    return this.parent;
  }
}

/** Options of `OpenerDirector.open` (Python's `data` and `timeout`, plus an AbortSignal). */
export interface OpenOptions {
  /** The body, replacing the request's. @default the request's own */
  data?: RequestData | null;
  /**
   * Seconds each network step may take (`null`: no limit).
   * @default getdefaulttimeout(), else 60 seconds
   */
  timeout?: number | null;
  /** Aborts the request and the reading of its response. */
  signal?: AbortSignal;
}

/** The names of `OpenOptions`, for the TypeError a wrong options argument gets. */
export const OPEN_OPTIONS = "{ data, timeout, signal }";

/**
 * Checks `open`'s arguments (and `urlopen`'s, `urlretrieve`'s) and makes the
 * `Request`: a string or `URL` becomes one; a `Request` is used as it is.
 * @throws TypeError (`ERR_INVALID_ARG_TYPE`) naming `fn` and the argument
 */
export function toRequest(fn: string, url: unknown, options: unknown, fields = OPEN_OPTIONS): Request {
  const req = url instanceof Request ? url : new Request(urlString(fn, "url", url, "str, URL or Request"));
  checkOptions(fn, options, fields);
  const { timeout, signal } = (options ?? {}) as OpenOptions;
  if (timeout !== undefined && timeout !== null && (typeof timeout !== "number" || Number.isNaN(timeout))) {
    throw argTypeError(fn, "timeout", "a number of seconds or null", timeout);
  }
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw argTypeError(fn, "signal", "an AbortSignal", signal);
  }
  return req;
}

/** Method names the name rules would misread (Python skips the same ones). */
const NOT_HANDLER_METHODS = new Set(["redirectRequest", "doOpen", "proxyOpen"]);
const HANDLER_METHOD = /^([a-z][a-z0-9]*)(Open|Request|Response|Error(\d{3}|Default))$/;

type AnyMethod = (...args: unknown[]) => unknown;

/** Every method name on `object` and its prototypes, own properties included. */
function methodNames(object: object): Set<string> {
  const names = new Set<string>();
  for (let o: object | null = object; o && o !== Object.prototype; o = Object.getPrototypeOf(o)) {
    for (const name of Object.getOwnPropertyNames(o)) {
      const descriptor = Object.getOwnPropertyDescriptor(o, name);
      if (typeof descriptor?.value === "function") names.add(name);
    }
  }
  return names;
}

/** Adds `handler` to `list`, after every handler with the same or a lower order. */
function insortByOrder(list: BaseHandler[], handler: BaseHandler): void {
  let i = list.length;
  while (i > 0 && list[i - 1]!.handlerOrder > handler.handlerOrder) i--;
  if (!list.includes(handler)) list.splice(i, 0, handler);
}

/** The list for `key` in `map`, made on first use. */
function listFor<K>(map: Map<K, BaseHandler[]>, key: K): BaseHandler[] {
  let list = map.get(key);
  if (!list) map.set(key, (list = []));
  return list;
}

/** Calls `name` on `handler`. */
function call(handler: BaseHandler, name: string, args: unknown[]): unknown {
  return ((handler as unknown as Record<string, AnyMethod>)[name] as AnyMethod).apply(handler, args);
}

/**
 * Python's `urllib.request.OpenerDirector`: opens a URL by passing the
 * request through its handlers. `buildOpener()` makes one with the default
 * handlers.
 *
 * @example
 * ```ts world
 * const opener = buildOpener(new HTTPCookieProcessor());
 * opener.addheaders = [["User-agent", "my-crawler/1.0"]];
 * await using res = await opener.open("http://127.0.0.1:8000/");
 * ```
 */
export class OpenerDirector {
  /** Headers added to every request that lacks them (Python's `addheaders`). */
  addheaders: Array<[string, string]> = [["User-agent", `netkit-urllib/${VERSION}`]];
  /** Every handler added, in order. */
  readonly handlers: BaseHandler[] = [];
  readonly #open = new Map<string, BaseHandler[]>();
  readonly #request = new Map<string, BaseHandler[]>();
  readonly #response = new Map<string, BaseHandler[]>();
  /** protocol → ("404" | "default") → handlers */
  readonly #error = new Map<string, Map<string, BaseHandler[]>>();

  /**
   * Python's `add_handler(handler)`: registers each of its handler methods.
   * @throws TypeError (`ERR_INVALID_ARG_TYPE`) for anything but a `BaseHandler`
   */
  addHandler(handler: BaseHandler): void {
    if (!(handler instanceof BaseHandler))
      throw argTypeError("addHandler", "handler", "a BaseHandler", handler);
    let added = false;
    for (const name of methodNames(handler)) {
      if (NOT_HANDLER_METHODS.has(name)) continue;
      const match = HANDLER_METHOD.exec(name);
      if (!match) continue;
      const [, protocol, condition, errorKind] = match as unknown as [
        string,
        string,
        string,
        string | undefined,
      ];
      if (condition === "Open") insortByOrder(listFor(this.#open, protocol), handler);
      else if (condition === "Request") insortByOrder(listFor(this.#request, protocol), handler);
      else if (condition === "Response") insortByOrder(listFor(this.#response, protocol), handler);
      else {
        let kinds = this.#error.get(protocol);
        if (!kinds) this.#error.set(protocol, (kinds = new Map()));
        insortByOrder(listFor(kinds, errorKind === "Default" ? "default" : errorKind!), handler);
      }
      added = true;
    }
    if (added) {
      insortByOrder(this.handlers, handler);
      handler.addParent(this);
    }
  }

  /**
   * Python's `open(fullurl, data, timeout)`: runs the request through the
   * `Request` processors, the `Open` handlers and the `Response` processors.
   *
   * @param url a URL (a string or a WHATWG `URL`) or a `Request`
   * @param options body, timeout, abort signal
   * @returns the response (close it, or read it to the end)
   * @throws URLError, HTTPError, ValueError ("unknown url type"), and the errors of the handlers;
   *   TypeError (`ERR_INVALID_ARG_TYPE`) for an argument of the wrong type
   */
  async open(url: string | URL | Request, options: OpenOptions = {}): Promise<addinfourl> {
    let req = toRequest("open", url, options);
    if (options.data !== undefined) req.data = options.data;
    req.timeout = options.timeout === undefined ? req.timeout : options.timeout;
    if (options.signal) req.signal = options.signal;
    req.signal?.throwIfAborted();
    const protocol = req.type;
    for (const processor of this.#request.get(protocol) ?? []) {
      req = (await call(processor, `${protocol}Request`, [req])) as Request;
    }
    let response = await this.#openChain(req);
    for (const processor of this.#response.get(protocol) ?? []) {
      response = (await call(processor, `${protocol}Response`, [req, response])) as addinfourl;
    }
    return response;
  }

  async #openChain(req: Request): Promise<addinfourl> {
    const found =
      (await this.#callChain(this.#open, "default", "defaultOpen", [req])) ??
      (await this.#callChain(this.#open, req.type, `${req.type}Open`, [req])) ??
      (await this.#callChain(this.#open, "unknown", "unknownOpen", [req]));
    if (!found) throw withCode(new Error(`no handler opened ${req.fullUrl}`), "ERR_URLLIB_NO_HANDLER");
    return found;
  }

  /**
   * Python's `error(proto, *args)`: asks the `Error` handlers about an HTTP
   * status (`httpError404`, then `httpErrorDefault`). https shares http's
   * handlers, as in Python.
   * @returns a response a handler produced (after a redirect or a retry with credentials), or null
   */
  async error(proto: string, ...args: HTTPErrorArgs): Promise<MaybeResponse> {
    const protocol = proto === "https" ? "http" : proto;
    const kinds = this.#error.get(protocol) ?? new Map<string, BaseHandler[]>();
    const code = String(args[2]);
    return (
      (await this.#callChain(kinds, code, `${protocol}Error${code}`, args)) ??
      (await this.#callChain(kinds, "default", `${protocol}ErrorDefault`, args))
    );
  }

  /** Python's `close()`: closes every handler. */
  close(): void {
    for (const handler of this.handlers) handler.close();
    this.handlers.length = 0;
  }

  async #callChain(
    chain: Map<string, BaseHandler[]>,
    kind: string,
    name: string,
    args: unknown[],
  ): Promise<addinfourl | null> {
    for (const handler of chain.get(kind) ?? []) {
      const result = (await call(handler, name, args)) as MaybeResponse;
      if (result) return result;
    }
    return null;
  }
}
