/**
 * Python's `xmlrpc.client.MultiCall` and `MultiCallIterator`: several calls
 * boxcarred into one `system.multicall` request.
 *
 * ```ts
 * const multi = new MultiCall(proxy);
 * multi.add(2, 3);            // recorded, not sent
 * multi.examples.pow(2, 9);   // dotted names too
 * for (const result of await multi()) console.log(result); // a Fault item throws
 * ```
 *
 * As in Python the MultiCall object is itself called to send the calls;
 * every property is a method name (except `then` and symbols).
 *
 * @module
 */
import { ValueError, withCode } from "../errors/index.js";
import { Fault } from "./_errors.js";
import type { ServerProxyBase } from "./_proxy.js";

/**
 * Python's `MultiCallIterator`: the results of a multicall; reading a
 * result that was a fault throws that `Fault`.
 */
export class MultiCallIterator implements Iterable<unknown> {
  /** The raw results: `[value]` for a success, a fault struct for a failure. */
  readonly results: unknown[];

  constructor(results: unknown) {
    if (!Array.isArray(results)) throw new ValueError("unexpected type in multicall result");
    this.results = results;
  }

  /** How many results there are. */
  get length(): number {
    return this.results.length;
  }

  /**
   * Python's `iterator[i]`: the `i`th result.
   * @throws Fault when that call failed; ValueError for a malformed item; RangeError past the end
   */
  get(i: number): unknown {
    if (i < 0 || i >= this.results.length)
      throw withCode(new RangeError(`multicall result index ${i} out of range`), "ERR_OUT_OF_RANGE");
    const item = this.results[i];
    if (Array.isArray(item)) return item[0];
    if (typeof item === "object" && item !== null) {
      const f = item as { faultCode?: unknown; faultString?: unknown };
      throw new Fault(f.faultCode, f.faultString);
    }
    throw new ValueError("unexpected type in multicall result");
  }

  /** Yields each result in turn, throwing at the first fault (Python's iteration). */
  *[Symbol.iterator](): Iterator<unknown> {
    for (let i = 0; i < this.results.length; i++) yield this.get(i);
  }
}

/** An untyped recorder: any property is a method name; calling it records the call. */
export interface RecordedMethod {
  (...params: unknown[]): void;
  readonly [name: string]: RecordedMethod;
}

/** The recording side of an interface: methods record calls (returning nothing). */
export type Recorder<T> = {
  readonly [K in keyof T]: T[K] extends (...args: infer A) => unknown
    ? (...args: A) => void
    : T[K] extends object
      ? Recorder<T[K]>
      : never;
};

/** A `MultiCall`: call it to send the recorded calls. */
export type MultiCall<T = unknown> = (() => Promise<MultiCallIterator>) &
  // biome-ignore lint/suspicious/noExplicitAny: untyped method names, as ServerProxy's UntypedRemote
  (unknown extends T ? { readonly [name: string]: any } : Recorder<T>);

/** The `MultiCall` constructor. */
export interface MultiCallConstructor {
  new <T = unknown>(server: ServerProxyBase): MultiCall<T>;
  readonly prototype: object;
}

function recorder(calls: Array<[string, unknown[]]>, name: string): RecordedMethod {
  const fn = (...params: unknown[]) => {
    calls.push([name, params]);
  };
  return new Proxy(fn, {
    get(target, prop) {
      if (typeof prop === "symbol") return Reflect.get(target, prop);
      if (prop === "then") return undefined;
      return recorder(calls, `${name}.${prop}`);
    },
  }) as unknown as RecordedMethod;
}

class MultiCallImpl {
  constructor(server: ServerProxyBase) {
    const calls: Array<[string, unknown[]]> = [];
    const run = async (): Promise<MultiCallIterator> => {
      const list = calls.map(([methodName, params]) => ({ methodName, params }));
      return new MultiCallIterator(await server.call("system.multicall", list));
    };
    // biome-ignore lint/correctness/noConstructorReturn: the object is the callable itself, as Python's __call__
    return new Proxy(run, {
      get(target, prop) {
        if (typeof prop === "symbol") return Reflect.get(target, prop);
        if (prop === "then") return undefined;
        return recorder(calls, prop);
      },
      getPrototypeOf() {
        return MultiCallImpl.prototype;
      },
    }) as unknown as MultiCallImpl;
  }
}

/**
 * Python's `xmlrpc.client.MultiCall(server)`: records calls made on it and
 * sends them as one `system.multicall` when called (see the module doc).
 */
export const MultiCall: MultiCallConstructor = MultiCallImpl as unknown as MultiCallConstructor;
