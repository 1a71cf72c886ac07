/**
 * Python's `xmlrpc.server.SimpleXMLRPCDispatcher`: the transport-free half
 * of an XML-RPC server — registered functions and an instance, dispatch by
 * method name, introspection (`system.listMethods`, `system.methodHelp`,
 * `system.methodSignature`) and `system.multicall`. `_marshaledDispatch`
 * takes a request body and returns the response body; an HTTP server
 * (`SimpleXMLRPCServer`) wraps it.
 *
 * Faults are Python's: a thrown `Fault` is sent as it is; any other error
 * becomes `Fault(1, "<class 'X'>:message")` (a plain `Error` reads as
 * Python's `Exception`, netkit's errors keep their Python names); an unknown
 * method is `Fault(1, "<class 'Exception'>:method \"x\" is not supported")`.
 * Registered functions may be async; the dispatcher awaits them.
 *
 * Safer than Python: with an instance, only its own properties and its
 * classes' methods are reachable — never `constructor`, `__proto__` or what
 * `Object.prototype` / `Function.prototype` provide — and, as in Python, no
 * name segment starting with `_`; dotted names stay off unless
 * `allowDottedNames` (Python's security warning applies). Requests are
 * parsed within netkit's limits (size, nesting, no DTD).
 *
 * @module
 */

import { compareCodePoints } from "../_pystr.js";
import { KeyError, nameErrors, pyTypeName, withCode } from "../errors/index.js";
import { encodeText } from "./_codec.js";
import { Fault, pyClassRepr, pyExceptionStr } from "./_errors.js";
import { type DumpsOptions, dumps } from "./_marshal.js";
import { loads } from "./_unmarshal.js";
import type { XmlLimits } from "./_xml.js";

/** A function the dispatcher can call: takes the request's params, returns (or resolves to) the result. */
// biome-ignore lint/suspicious/noExplicitAny: registered functions take whatever their parameters are
export type RpcFunction = (...params: any[]) => unknown;

/** Options for `SimpleXMLRPCDispatcher`, Python's keyword arguments plus netkit's limits. */
export interface DispatcherOptions {
  /** Allow `null` / `undefined` (`<nil/>`) in responses. @default false */
  allowNone?: boolean;
  /** The response encoding. @default "utf-8" */
  encoding?: string | null;
  /** Pass `Date` and `Buffer` to functions instead of `DateTime` and `Binary`. @default false */
  useBuiltinTypes?: boolean;
  /** Parser limits for requests. @default 20 MiB, 1000 levels */
  limits?: XmlLimits;
}

/** An error that is Python's `Exception(...)`: its class prints as `<class 'Exception'>`. */
class PyException extends Error {
  static pythonName = "Exception";
}

/** Python's `AttributeError`: a name the instance does not offer. */
export class AttributeError extends Error {}

/** Python's `inspect.cleandoc` as `pydoc.getdoc` applies it. */
export function cleandoc(doc: string): string {
  const lines = doc.replaceAll("\t", "        ").split("\n");
  let margin = Number.POSITIVE_INFINITY;
  for (const line of lines.slice(1)) {
    const content = line.trimStart();
    if (content) margin = Math.min(margin, line.length - content.length);
  }
  const out = [
    lines[0]!.trimStart(),
    ...lines.slice(1).map((l) => (margin < Number.POSITIVE_INFINITY ? l.slice(margin) : l)),
  ];
  while (out.length && !out[0]!.trim()) out.shift();
  while (out.length && !out[out.length - 1]!.trim()) out.pop();
  return out.join("\n").trimEnd();
}

/** The objects whose properties an instance exposes: itself and its prototypes, up to (not including) the built-in ones. */
function exposedOwners(obj: object): object[] {
  const owners: object[] = [];
  for (
    let o: object | null = obj;
    o && o !== Object.prototype && o !== Function.prototype;
    o = Object.getPrototypeOf(o)
  ) {
    owners.push(o);
  }
  return owners;
}

/** One attribute of `obj`, when `obj` (or one of its classes) defines it. */
function safeGetattr(obj: unknown, name: string): [unknown, object] {
  if (name.startsWith("_")) throw new AttributeError(`attempt to access private attribute "${name}"`);
  if ((typeof obj === "object" || typeof obj === "function") && obj !== null && name !== "constructor") {
    for (const owner of exposedOwners(obj)) {
      if (Object.hasOwn(owner, name)) return [Reflect.get(obj, name), obj];
    }
  }
  throw new AttributeError(name);
}

/**
 * Python's `resolve_dotted_attribute(obj, "a.b.c", allow_dotted_names)`:
 * the value and the object it was read from (for `this`).
 * @throws AttributeError for a missing name or one starting with `_`
 */
export function resolveDottedAttribute(
  obj: unknown,
  attr: string,
  allowDottedNames: boolean,
): [unknown, unknown] {
  let owner: unknown = obj;
  let value: unknown = obj;
  for (const part of allowDottedNames ? attr.split(".") : [attr]) {
    owner = value;
    [value] = safeGetattr(value, part);
  }
  return [value, owner];
}

/** Python's `list_public_methods(obj)`: callable attributes whose names do not start with `_`. */
export function listPublicMethods(obj: object): string[] {
  const names = new Set<string>();
  for (const owner of exposedOwners(obj)) {
    for (const name of Object.getOwnPropertyNames(owner)) {
      if (name.startsWith("_") || name === "constructor") continue;
      try {
        if (typeof Reflect.get(obj, name) === "function") names.add(name);
      } catch {
        // a getter that throws is not a method
      }
    }
  }
  return [...names].sort();
}

/** An instance given to `registerInstance`, with Python's optional hooks. */
export interface DispatchInstance {
  /** Called for every method the functions do not cover: `_dispatch(method, params)`. */
  _dispatch?(method: string, params: unknown[]): unknown;
  /** The names for `system.listMethods`. */
  _listMethods?(): Iterable<string>;
  /** The help text for `system.methodHelp`. */
  _methodHelp?(method: string): unknown;
}

/** Python's docstrings of the introspection and multicall functions (what `system.methodHelp` and the HTML page show). */
const SYSTEM_DOCS: Record<string, [signature: string, doc: string]> = {
  "system.listMethods": [
    "()",
    "system.listMethods() => ['add', 'subtract', 'multiple']\n\nReturns a list of the methods supported by the server.",
  ],
  "system.methodSignature": [
    "(method_name)",
    "system.methodSignature('add') => [double, int, int]\n\nReturns a list describing the signature of the method. In the\nabove example, the add method takes two integers as arguments\nand returns a double result.\n\nThis server does NOT support system.methodSignature.",
  ],
  "system.methodHelp": [
    "(method_name)",
    "system.methodHelp('add') => \"Adds two integers together\"\n\nReturns a string containing documentation for the specified method.",
  ],
  "system.multicall": [
    "(call_list)",
    "system.multicall([{'methodName': 'add', 'params': [2, 2]}, ...]) => [[4], ...]\n\nAllows the caller to package multiple XML-RPC calls into a single\nrequest.\n\nSee http://www.xmlrpc.com/discuss/msgReader$1208",
  ],
};

/** Gives a bound system function Python's docstring and signature (`__doc__`, `__signature__`). */
function documented<F extends RpcFunction>(name: string, fn: F): F {
  const [signature, doc] = SYSTEM_DOCS[name]!;
  return Object.assign(fn, { __doc__: doc, __signature__: signature });
}

/** Every object made by a class from `XMLRPCDispatcherMixIn` (for `instanceof SimpleXMLRPCDispatcher`). */
const dispatchers = new WeakSet<object>();

// biome-ignore lint/suspicious/noExplicitAny: mixin constructors take any arguments
type AnyConstructor = abstract new (...args: any[]) => object;

/** What `XMLRPCDispatcherMixIn` adds to a class: `SimpleXMLRPCDispatcher`'s members. */
export type XMLRPCDispatcherMembers = InstanceType<ReturnType<typeof XMLRPCDispatcherMixIn>>;

/**
 * Python's `SimpleXMLRPCDispatcher` as a mixin (Python mixes the class into
 * `SimpleXMLRPCServer` and `CGIXMLRPCRequestHandler` by multiple
 * inheritance): `class S extends XMLRPCDispatcherMixIn(TCPServer) {}` gives
 * `S` every member of the dispatcher, so a subclass overriding `_dispatch`
 * changes what `system.multicall` calls too, as in Python. The options are
 * plain fields (`allowNone`, `encoding`, `useBuiltinTypes`, `limits`); the
 * class using the mixin sets them (see `initDispatcher`).
 */
export function XMLRPCDispatcherMixIn<T extends AnyConstructor>(Base: T) {
  abstract class Dispatcher extends Base {
    /** The registered functions by name (Python's `funcs`). */
    readonly funcs = new Map<string, RpcFunction | null>();
    /** The registered instance (Python's `instance`). */
    instance: (object & DispatchInstance) | null = null;
    /** Resolve dotted names on the instance (Python's `allow_dotted_names`). @default false */
    allowDottedNames = false;
    /** Allow `null` / `undefined` (`<nil/>`) in responses (Python's `allow_none`). @default false */
    allowNone = false;
    /** The response encoding (Python's `encoding`). @default "utf-8" */
    encoding = "utf-8";
    /** Pass `Date` and `Buffer` to functions (Python's `use_builtin_types`). @default false */
    useBuiltinTypes = false;
    /** Parser limits for requests (netkit's). @default 20 MiB, 1000 levels */
    limits: XmlLimits = {};

    /** Python's `SimpleXMLRPCDispatcher.__init__(allow_none, encoding, use_builtin_types)`: sets the options. */
    initDispatcher(options: DispatcherOptions = {}): void {
      dispatchers.add(this);
      this.allowNone = options.allowNone ?? false;
      this.encoding = options.encoding || "utf-8";
      this.useBuiltinTypes = options.useBuiltinTypes ?? false;
      this.limits = options.limits ?? {};
    }

    /**
     * Python's `register_instance(instance, allow_dotted_names=False)`: the
     * instance answers methods no registered function covers — through its
     * `_dispatch(method, params)` when it has one, else by its public methods.
     * Only one instance at a time.
     *
     * **Security:** `allowDottedNames` lets callers walk the instance's
     * attributes (`a.b.c`); only use it on a closed network, as Python warns.
     */
    registerInstance(instance: object, options: { allowDottedNames?: boolean } = {}): void {
      this.instance = instance as object & DispatchInstance;
      this.allowDottedNames = options.allowDottedNames ?? false;
    }

    /**
     * Python's `register_function(function, name=None)`: registers `fn` under
     * `name` (by default its own name) and returns it. With only a name
     * (`registerFunction({ name })`) it returns a decorator-like registrar.
     * @throws TypeError when no name is given and the function has none
     */
    registerFunction<F extends RpcFunction>(fn: F, name?: string): F;
    registerFunction(options: { name?: string }): <F extends RpcFunction>(fn: F) => F;
    registerFunction<F extends RpcFunction>(
      fn: F | { name?: string },
      name?: string,
    ): F | (<G extends RpcFunction>(g: G) => G) {
      if (typeof fn !== "function") {
        const given = fn.name;
        return <G extends RpcFunction>(g: G): G =>
          given === undefined ? this.registerFunction(g) : this.registerFunction(g, given);
      }
      const func = fn as F;
      const key = name ?? func.name;
      if (!key)
        throw withCode(
          new TypeError("registerFunction() needs a name for an anonymous function"),
          "ERR_XMLRPC_ANONYMOUS_FUNCTION",
        );
      this.funcs.set(key, func);
      return func;
    }

    /** Python's `register_introspection_functions()`: `system.listMethods`, `system.methodSignature`, `system.methodHelp`. */
    registerIntrospectionFunctions(): void {
      this.funcs.set(
        "system.listMethods",
        documented("system.listMethods", this.systemListMethods.bind(this)),
      );
      this.funcs.set(
        "system.methodSignature",
        documented("system.methodSignature", this.systemMethodSignature.bind(this)),
      );
      this.funcs.set("system.methodHelp", documented("system.methodHelp", this.systemMethodHelp.bind(this)));
    }

    /** Python's `register_multicall_functions()`: `system.multicall`. */
    registerMulticallFunctions(): void {
      this.funcs.set("system.multicall", documented("system.multicall", this.systemMulticall.bind(this)));
    }

    /**
     * Python's `_marshaled_dispatch(data, dispatch_method=None, path=None)`:
     * a request body in, the response body out (a result, or a fault for any
     * error). `dispatchMethod(method, params)` replaces `_dispatch` when given.
     */
    async _marshaledDispatch(
      data: Uint8Array | string,
      dispatchMethod?: ((method: string | null, params: unknown[]) => unknown) | null,
      _path?: string | null,
    ): Promise<Buffer> {
      const opts: DumpsOptions = { allowNone: this.allowNone, encoding: this.encoding };
      let response: string;
      try {
        const [params, method] = loads(data, { useBuiltinTypes: this.useBuiltinTypes, ...this.limits });
        const result = dispatchMethod
          ? await dispatchMethod(method, params)
          : await this._dispatch(method, params);
        response = dumps([result], { ...opts, methodresponse: true });
      } catch (err) {
        response = dumps(faultFor(err), opts);
      }
      return encodeText(response, this.encoding);
    }

    /** Python's `system_listMethods()`: the registered names, sorted. */
    systemListMethods(): string[] {
      const methods = new Set(this.funcs.keys());
      const inst = this.instance;
      if (inst !== null) {
        if (typeof inst._listMethods === "function") for (const m of inst._listMethods()) methods.add(m);
        else if (typeof inst._dispatch !== "function")
          for (const m of listPublicMethods(inst)) methods.add(m);
      }
      return [...methods].sort(compareCodePoints);
    }

    /** Python's `system_methodSignature(name)`: always `"signatures not supported"`. */
    systemMethodSignature(_methodName: string): string {
      return "signatures not supported";
    }

    /**
     * Python's `system_methodHelp(name)`: the method's documentation — a
     * function's `__doc__` string property (cleaned as `pydoc.getdoc` does),
     * or the instance's `_methodHelp(name)`; `""` when there is none.
     */
    systemMethodHelp(methodName: string): unknown {
      let method: unknown = null;
      const inst = this.instance;
      if (this.funcs.has(methodName)) method = this.funcs.get(methodName);
      else if (inst !== null) {
        if (typeof inst._methodHelp === "function") return inst._methodHelp(methodName);
        if (typeof inst._dispatch !== "function") {
          try {
            [method] = resolveDottedAttribute(inst, methodName, this.allowDottedNames);
          } catch (err) {
            if (!(err instanceof AttributeError)) throw err;
          }
        }
      }
      if (method === null || method === undefined) return "";
      const doc = (method as { __doc__?: unknown }).__doc__;
      return typeof doc === "string" ? cleandoc(doc) : "";
    }

    /**
     * Python's `system_multicall(calls)`: runs each `{methodName, params}` in
     * turn; a success is `[result]`, a failure a fault struct.
     */
    async systemMulticall(callList: unknown[]): Promise<unknown[]> {
      const results: unknown[] = [];
      for (const call of callList) {
        try {
          if (typeof call !== "object" || call === null || Array.isArray(call)) {
            throw withCode(
              new TypeError(
                `${Array.isArray(call) ? "list" : typeof call} indices must be integers or slices, not str`,
              ),
              "ERR_INVALID_ARG_TYPE",
            );
          }
          if (!Object.hasOwn(call, "methodName")) throw new KeyError("methodName");
          if (!Object.hasOwn(call, "params")) throw new KeyError("params");
          const { methodName, params } = call as { methodName: unknown; params: unknown };
          results.push([await this._dispatch(methodName, params)]);
        } catch (err) {
          const fault = faultFor(err);
          results.push({ faultCode: fault.faultCode, faultString: fault.faultString });
        }
      }
      return results;
    }

    /**
     * Python's `_dispatch(method, params)`: a registered function by that
     * name, else the instance's `_dispatch`, else the instance's method.
     * @throws Error `method "x" is not supported` (Python's `Exception`) when nothing matches
     */
    async _dispatch(method: unknown, params: unknown): Promise<unknown> {
      const name = method as string;
      if (typeof method === "string" && this.funcs.has(method)) {
        const func = this.funcs.get(method);
        if (func) return func(...spread(params));
        throw new PyException(`method "${name}" is not supported`);
      }
      const inst = this.instance;
      if (inst !== null) {
        if (typeof inst._dispatch === "function") return inst._dispatch(name, params as unknown[]);
        let found: [unknown, unknown] | null = null;
        if (typeof method === "string") {
          try {
            found = resolveDottedAttribute(inst, method, this.allowDottedNames);
          } catch (err) {
            if (!(err instanceof AttributeError)) throw err;
          }
        }
        if (found && found[0] !== null && found[0] !== undefined) {
          const [func, owner] = found;
          if (typeof func !== "function")
            throw withCode(
              new TypeError(`'${pyTypeName(func)}' object is not callable`),
              "ERR_XMLRPC_NOT_CALLABLE",
            );
          return Reflect.apply(func, owner, spread(params));
        }
      }
      throw new PyException(`method "${pyStrOf(method)}" is not supported`);
    }
  }
  return Dispatcher;
}

/**
 * Python's `xmlrpc.server.SimpleXMLRPCDispatcher`: `XMLRPCDispatcherMixIn`
 * on a plain class, constructed with Python's keyword arguments.
 *
 * @example
 * ```ts
 * import { dumps } from "netkit/xmlrpc/client";
 * const requestBody = dumps([2, 3], { methodname: "add" });
 * const d = new SimpleXMLRPCDispatcher({ allowNone: true });
 * d.registerFunction((a: number, b: number) => a + b, "add");
 * d.registerIntrospectionFunctions();
 * const reply = await d._marshaledDispatch(requestBody); // a Buffer
 * ```
 */
export class SimpleXMLRPCDispatcher extends XMLRPCDispatcherMixIn(Object) {
  constructor(options: DispatcherOptions = {}) {
    super();
    this.initDispatcher(options);
  }

  /** `x instanceof SimpleXMLRPCDispatcher` holds for every class made with `XMLRPCDispatcherMixIn` (Python's isinstance). */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (this === SimpleXMLRPCDispatcher)
      return typeof value === "object" && value !== null && dispatchers.has(value);
    return Function.prototype[Symbol.hasInstance].call(this, value);
  }
}

function spread(params: unknown): unknown[] {
  if (Array.isArray(params)) return params;
  throw withCode(
    new TypeError(`argument after * must be an iterable, not ${pyTypeName(params)}`),
    "ERR_INVALID_ARG_TYPE",
  );
}

function pyStrOf(v: unknown): string {
  return v === null || v === undefined ? "None" : String(v);
}

/** The Fault Python's dispatcher sends for an error. */
function faultFor(err: unknown): Fault {
  if (err instanceof Fault) return err;
  return new Fault(1, `${pyClassRepr(err)}:${pyExceptionStr(err)}`);
}

// Each class's `name`, written out: a minifier renames the classes themselves.
nameErrors({ PyException, AttributeError });
