/**
 * Python's `xmlrpc.client.ServerProxy`: a logical connection to an XML-RPC
 * server whose remote methods read as local async ones, through an ES
 * `Proxy` (Python's `__getattr__` magic):
 *
 * ```ts
 * const proxy = new ServerProxy("http://localhost:8000");
 * await proxy.examples.getStateName(41);         // dotted names, as Python
 * await proxy.call("examples.getStateName", 41);  // by name, for any name
 * ```
 *
 * Give an interface for types: `new ServerProxy<MyApi>(uri)` turns each
 * method of `MyApi` into one returning a `Promise` of its result, nested
 * objects into dotted names.
 *
 * Names that stay local: the proxy's own members (`call`, `close`,
 * `transport`, `toString`, and Object's), symbols, and `then` (so that
 * `await proxy` does not call the server). Call a remote method with such
 * a name through `call("then")`.
 *
 * @module
 */
import { inspect } from "node:util";
import { checkOptions, checkString, urlString } from "../_args.js";
import { argTypeError, OSError } from "../errors/index.js";
import type { SSLContext, SSLContextOptions } from "../http/client.js";
import { urlsplit, urlunsplit } from "../urllib/parse.js";
import { encodeText } from "./_codec.js";
import { dumps } from "./_marshal.js";
import { SafeTransport } from "./_safetransport.js";
import { type HeaderList, Transport } from "./_transport.js";

/** Options for `ServerProxy`, Python's keyword arguments. */
export interface ServerProxyOptions {
  /** The transport; by default a `Transport` (or `SafeTransport` for https) built from these options. @default none */
  transport?: Transport;
  /** The request encoding, any of netkit's codecs under Python's names. @default "utf-8" */
  encoding?: string | null;
  /** Print response bodies. @default false */
  verbose?: boolean;
  /** Allow `null` / `undefined` (`<nil/>`) in requests. @default false */
  allowNone?: boolean;
  /** Return times as `Date`. @default false */
  useDatetime?: boolean;
  /** Return times as `Date` and base64 as `Buffer`. @default false */
  useBuiltinTypes?: boolean;
  /** Extra HTTP headers for every request. @default none */
  headers?: HeaderList;
  /** TLS settings for https (Python's `context`, passed to `SafeTransport`). @default the default context */
  context?: SSLContext | SSLContextOptions;
  /** Seconds per connect, read or write (netkit's; Python has none). @default 60 */
  timeout?: number | null;
  /** Largest response body, in bytes (netkit's). @default 20 MiB */
  maxResponseSize?: number;
}

/** The names of `ServerProxyOptions`, for the TypeError a wrong options argument gets. */
const SERVER_PROXY_OPTIONS =
  "{ transport, encoding, verbose, allowNone, useDatetime, useBuiltinTypes, headers, context, timeout, maxResponseSize }";

/** An untyped remote method: callable, and every property is a dotted sub-method. */
export interface RemoteMethod {
  (...params: unknown[]): Promise<unknown>;
  readonly [name: string]: RemoteMethod;
}

/** The remote side of an interface: each method returns a Promise of its result; nested objects give dotted names. */
export type Remote<T> = {
  readonly [K in keyof T]: T[K] extends (...args: infer A) => infer R
    ? (...args: A) => Promise<Awaited<R>>
    : T[K] extends object
      ? Remote<T[K]>
      : never;
};

/**
 * What the untyped proxy offers: any name is a remote method (typed `any`,
 * as in Python; give an interface to `ServerProxy<T>` for checked types —
 * an index signature of `RemoteMethod` would read as possibly undefined
 * under `noUncheckedIndexedAccess`).
 */
// biome-ignore lint/suspicious/noExplicitAny: untyped remote names, see above
export type UntypedRemote = { readonly [name: string]: any };

function methodProxy(
  send: (name: string, params: unknown[]) => Promise<unknown>,
  name: string,
): RemoteMethod {
  const fn = (...params: unknown[]) => send(name, params);
  return new Proxy(fn, {
    get(target, prop) {
      if (typeof prop === "symbol") return Reflect.get(target, prop);
      if (prop === "then") return undefined;
      return methodProxy(send, `${name}.${prop}`);
    },
  }) as unknown as RemoteMethod;
}

/** The members every `ServerProxy` has, whatever its interface. */
export class ServerProxyBase {
  readonly #host: string;
  readonly #handler: string;
  readonly #transport: Transport;
  readonly #encoding: string;
  readonly #verbose: boolean;
  readonly #allowNone: boolean;

  /**
   * @param uri `http://[user:password@]host[:port][/path]` (or https), a string or a WHATWG `URL`;
   *   the path defaults to `/RPC2` (a `URL` always has one, `/` at least, so its path is used as it is)
   * @throws OSError `unsupported XML-RPC protocol` for another scheme;
   *   TypeError (`ERR_INVALID_ARG_TYPE`) for an argument or option of the wrong type
   */
  constructor(uri: string | URL, options: ServerProxyOptions = {}) {
    const p = urlsplit(urlString("ServerProxy", "uri", uri));
    checkOptions("ServerProxy", options, SERVER_PROXY_OPTIONS);
    const given = options.transport as { request?: unknown } | undefined;
    if (given !== undefined && typeof given?.request !== "function") {
      throw argTypeError("ServerProxy", "transport", "a Transport", given);
    }
    if (p.scheme !== "http" && p.scheme !== "https")
      throw new OSError(undefined, "unsupported XML-RPC protocol");
    this.#host = p.netloc;
    this.#handler = urlunsplit(["", "", p.path, p.query, p.fragment]) || "/RPC2";
    let transport = options.transport;
    if (!transport) {
      const common = {
        ...(options.useDatetime !== undefined ? { useDatetime: options.useDatetime } : {}),
        ...(options.useBuiltinTypes !== undefined ? { useBuiltinTypes: options.useBuiltinTypes } : {}),
        ...(options.headers !== undefined ? { headers: options.headers } : {}),
        ...(options.timeout !== undefined ? { timeout: options.timeout } : {}),
        ...(options.maxResponseSize !== undefined ? { maxResponseSize: options.maxResponseSize } : {}),
      };
      transport =
        p.scheme === "https"
          ? new SafeTransport({
              ...common,
              ...(options.context !== undefined ? { context: options.context } : {}),
            })
          : new Transport(common);
    }
    this.#transport = transport;
    this.#encoding = options.encoding || "utf-8";
    this.#verbose = options.verbose ?? false;
    this.#allowNone = options.allowNone ?? false;
    const send = (name: string, params: unknown[]) => this.call(name, ...params);
    const self = this;
    // biome-ignore lint/correctness/noConstructorReturn: the Proxy is the point (Python's __getattr__)
    return new Proxy(this, {
      get(target, prop) {
        if (typeof prop === "symbol" || prop in target) {
          const v = Reflect.get(target, prop, target);
          return typeof v === "function" && prop !== "constructor" ? v.bind(self) : v;
        }
        if (prop === "then") return undefined;
        return methodProxy(send, prop);
      },
    });
  }

  /**
   * Calls the remote method `name` (any name, dotted or not) with `params`;
   * resolves to its result (an array when the server sent several values).
   * Python's `getattr(proxy, name)(*params)`.
   * @throws Fault when the server answers with a fault; ProtocolError for an HTTP error; ResponseError for a broken reply;
   *   TypeError (`ERR_INVALID_ARG_TYPE`) for a name that is not a string
   */
  async call(name: string, ...params: unknown[]): Promise<unknown> {
    checkString("call", "name", name);
    const request = encodeText(
      dumps(params, { methodname: name, encoding: this.#encoding, allowNone: this.#allowNone }),
      this.#encoding,
    );
    const response = await this.#transport.request(this.#host, this.#handler, request, this.#verbose);
    return response.length === 1 ? response[0] : response;
  }

  /** Python's `proxy("close")()`: closes the transport's connection. */
  close(): void {
    this.#transport.close();
  }

  /** Python's `proxy("transport")`: the transport. */
  get transport(): Transport {
    return this.#transport;
  }

  /** Python's repr: `<ServerProxy for host/RPC2>` (without credentials, unlike Python). */
  toString(): string {
    const at = this.#host.lastIndexOf("@");
    return `<ServerProxy for ${this.#host.slice(at + 1)}${this.#handler}>`;
  }

  /** What `console.log` and `util.inspect` show: the same as `toString()`. */
  [inspect.custom](): string {
    return this.toString();
  }

  /** `await using proxy = new ServerProxy(...)` closes it (Python's `with`). */
  async [Symbol.asyncDispose](): Promise<void> {
    this.close();
  }
}

/** A `ServerProxy`: its own members plus the remote methods (typed by `T`, or any name when `T` is omitted). */
export type ServerProxy<T = unknown> = ServerProxyBase & (unknown extends T ? UntypedRemote : Remote<T>);

/** The `ServerProxy` constructor: `new ServerProxy<MyApi>(uri, options)`. */
export interface ServerProxyConstructor {
  new <T = unknown>(uri: string | URL, options?: ServerProxyOptions): ServerProxy<T>;
  readonly prototype: ServerProxyBase;
}

/**
 * Python's `xmlrpc.client.ServerProxy(uri, ...)`: see the module doc.
 *
 * @example
 * ```ts world
 * interface Api { examples: { getStateName(n: number): string } }
 * await using proxy = new ServerProxy<Api>("http://localhost:8000/RPC2");
 * const name = await proxy.examples.getStateName(41); // string
 * ```
 */
export const ServerProxy: ServerProxyConstructor = ServerProxyBase as unknown as ServerProxyConstructor;

/** Python's `Server`, the old name of `ServerProxy`. */
export const Server: ServerProxyConstructor = ServerProxy;
