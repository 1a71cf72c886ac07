/**
 * Python's `xmlrpc.client.Marshaller` and `dumps`: JS values to XML-RPC
 * text, byte for byte as Python 3.11 writes the matching Python values.
 *
 * How JS values map (Python has separate int and float types; JS does not):
 *
 * | JS | XML-RPC | Python equivalent |
 * | --- | --- | --- |
 * | `boolean` | `<boolean>` | `bool` |
 * | `number`, a whole number | `<int>`, `OverflowError` outside i4 | `int` |
 * | `number`, otherwise (and -0, ±Infinity, NaN) | `<double>` with Python's `repr` | `float` |
 * | `Double` | `<double>` | `float` (for whole values such as `2.0`) |
 * | `bigint` | `<int>`, `OverflowError` outside i4 | `int` |
 * | `string` | `<string>`, escaped | `str` |
 * | `null`, `undefined` | `<nil/>` with `allowNone`, else `TypeError` | `None` |
 * | `Buffer`, `Uint8Array`, `Binary` | `<base64>` | `bytes`, `Binary` |
 * | `Date` (UTC fields), `DateTime` | `<dateTime.iso8601>` | `datetime`, `DateTime` |
 * | `Array` | `<array>` | `list`, `tuple` |
 * | plain object, `Map` with string keys, other objects' own enumerable fields | `<struct>` | `dict`, an instance's `__dict__` |
 * | `Fault` inside params | `<struct>` of `faultCode`, `faultString` | a `Fault`'s `__dict__` |
 * | another `Error` | `<struct>` of its own fields but `code` (see `exceptionFields`) | an exception's `__dict__` |
 *
 * Differences from Python, both for safety: the method name and a
 * `DateTime`'s text are escaped (Python writes them raw, so `<` in a
 * method name breaks the document); nesting deeper than 1000 levels is a
 * `ValueError` (Python's is a `RecursionError` near there).
 *
 * @module
 */
import { checkOptions } from "../_args.js";
import {
  argTypeError,
  KeyError,
  OSError,
  OverflowError,
  pyTypeName,
  UnicodeDecodeError,
  UnicodeEncodeError,
  ValueError,
  withCode,
} from "../errors/index.js";
import { encodebytes } from "./_base64.js";
import { ExpatError, Fault } from "./_errors.js";
import { escape as xmlEscape } from "./_escape.js";
import { MAX_DUMP_DEPTH } from "./_limits.js";
import { floatRepr } from "./_pynum.js";
import { Binary, DateTime, Double, isoFormatUTC } from "./_types.js";

/** Python's `xmlrpc.client.MAXINT`: 2**31 - 1. */
export const MAXINT = 2 ** 31 - 1;
/** Python's `xmlrpc.client.MININT`: -2**31. */
export const MININT = -(2 ** 31);

/** Options for `dumps`, Python's keyword arguments. */
export interface DumpsOptions {
  /** Write a `<methodCall>` for this method. @default none */
  methodname?: string | null;
  /** Write a `<methodResponse>` (a one-element params array, or a `Fault`). @default false */
  methodresponse?: boolean;
  /** The encoding named in the XML declaration (`"utf-8"` writes none). @default "utf-8" */
  encoding?: string | null;
  /** Marshal `null` / `undefined` as `<nil/>`. @default false */
  allowNone?: boolean;
}

/**
 * Python's `Marshaller`: `dumps(values)` gives the `<params>` block (or the
 * `<fault>` block for a `Fault`).
 */
export class Marshaller {
  /** The encoding named in the XML declaration. */
  readonly encoding: string | null;
  /** Whether `null` and `undefined` are written as `<nil/>`. */
  readonly allowNone: boolean;
  readonly #memo = new Set<object>();
  #depth = 0;
  /** The text so far: appended to (V8 joins the pieces once, when the text is used). */
  #out = "";
  /** What `Binary` / `DateTime` `encode()` write to. */
  readonly #writer = {
    write: (s: string) => {
      this.#out += s;
    },
  };

  constructor(encoding: string | null = null, allowNone = false) {
    this.encoding = encoding;
    this.allowNone = allowNone;
  }

  /**
   * Python's `Marshaller.dumps(values)`.
   * @throws TypeError for a value XML-RPC cannot carry; OverflowError for an int outside i4
   */
  dumps(values: readonly unknown[] | Fault): string {
    this.#out = "";
    try {
      if (values instanceof Fault) {
        this.#out += "<fault>\n";
        this.#dump(
          new Map<string, unknown>([
            ["faultCode", values.faultCode],
            ["faultString", values.faultString],
          ]),
        );
        this.#out += "</fault>\n";
      } else {
        this.#out += "<params>\n";
        for (const v of values) {
          this.#out += "<param>\n";
          this.#dump(v);
          this.#out += "</param>\n";
        }
        this.#out += "</params>\n";
      }
      return this.#out;
    } finally {
      this.#out = "";
    }
  }

  #dump(value: unknown): void {
    switch (typeof value) {
      case "boolean":
        this.#out += value
          ? "<value><boolean>1</boolean></value>\n"
          : "<value><boolean>0</boolean></value>\n";
        return;
      case "number":
        // -0 is whole, but no int is negative zero: it goes as Python's float -0.0.
        if (Number.isInteger(value) && !Object.is(value, -0)) this.#dumpInt(value);
        else this.#out += `<value><double>${floatRepr(value)}</double></value>\n`;
        return;
      case "bigint":
        this.#dumpInt(value);
        return;
      case "string":
        this.#out += `<value><string>${xmlEscape(value)}</string></value>\n`;
        return;
      case "undefined":
        this.#dumpNil();
        return;
      case "function":
        throw withCode(
          new TypeError("cannot marshal <class 'function'> objects"),
          "ERR_XMLRPC_CANNOT_MARSHAL",
        );
      case "symbol":
        throw withCode(new TypeError("cannot marshal <class 'symbol'> objects"), "ERR_XMLRPC_CANNOT_MARSHAL");
      default:
    }
    if (value === null) {
      this.#dumpNil();
      return;
    }
    if (value instanceof Double) {
      this.#out += `<value><double>${floatRepr(value.value)}</double></value>\n`;
    } else if (value instanceof Uint8Array) {
      this.#out += `<value><base64>\n${encodebytes(value)}</base64></value>\n`;
    } else if (value instanceof Binary || value instanceof DateTime) {
      value.encode(this.#writer);
    } else if (value instanceof Date) {
      this.#out += `<value><dateTime.iso8601>${isoFormatUTC(value)}</dateTime.iso8601></value>\n`;
    } else if (Array.isArray(value)) {
      this.#enter(value, "cannot marshal recursive sequences");
      this.#out += "<value><array><data>\n";
      for (const v of value) this.#dump(v);
      this.#out += "</data></array></value>\n";
      this.#leave(value);
    } else if (value instanceof Map) {
      this.#enter(value, "cannot marshal recursive dictionaries");
      this.#out += "<value><struct>\n";
      for (const [k, v] of value) this.#member(k, v);
      this.#out += "</struct></value>\n";
      this.#leave(value);
    } else if (value instanceof globalThis.Error) {
      this.#enter(value, "cannot marshal recursive dictionaries");
      this.#out += "<value><struct>\n";
      for (const k of exceptionFields(value))
        this.#member(k, (value as unknown as Record<string, unknown>)[k]);
      this.#out += "</struct></value>\n";
      this.#leave(value);
    } else if (
      ArrayBuffer.isView(value) ||
      value instanceof ArrayBuffer ||
      value instanceof Set ||
      value instanceof Promise
    ) {
      throw withCode(
        new TypeError(`cannot marshal <class '${pyTypeName(value)}'> objects`),
        "ERR_XMLRPC_CANNOT_MARSHAL",
      );
    } else {
      // An object's own enumerable string-keyed fields, in order (what Object.entries lists).
      const obj = value as Record<string, unknown>;
      this.#enter(obj, "cannot marshal recursive dictionaries");
      this.#out += "<value><struct>\n";
      for (const k of Object.keys(obj)) this.#member(k, obj[k]);
      this.#out += "</struct></value>\n";
      this.#leave(obj);
    }
  }

  #member(k: unknown, v: unknown): void {
    this.#out += "<member>\n";
    if (typeof k !== "string")
      throw withCode(new TypeError("dictionary key must be string"), "ERR_XMLRPC_CANNOT_MARSHAL");
    this.#out += `<name>${xmlEscape(k)}</name>\n`;
    this.#dump(v);
    this.#out += "</member>\n";
  }

  #dumpNil(): void {
    if (!this.allowNone)
      throw withCode(
        new TypeError("cannot marshal None unless allow_none is enabled"),
        "ERR_XMLRPC_CANNOT_MARSHAL",
      );
    this.#out += "<value><nil/></value>";
  }

  #dumpInt(value: number | bigint): void {
    if (value > MAXINT || value < MININT) throw new OverflowError("int exceeds XML-RPC limits");
    this.#out += `<value><int>${String(value)}</int></value>\n`;
  }

  #enter(value: object, recursive: string): void {
    if (this.#memo.has(value)) throw withCode(new TypeError(recursive), "ERR_XMLRPC_RECURSIVE");
    if (++this.#depth > MAX_DUMP_DEPTH)
      throw new ValueError(`cannot marshal values nested deeper than ${MAX_DUMP_DEPTH} levels`);
    this.#memo.add(value);
  }

  #leave(value: object): void {
    this.#depth--;
    this.#memo.delete(value);
  }
}

/**
 * The fields of an error that go on the wire, as Python marshals an
 * exception: its `__dict__`, the attributes its `__init__` set. A `Fault`
 * gives `faultCode` and `faultString`, in that order. netkit's own fields
 * never go: the stable `code` every netkit (and Node) error carries, and the
 * fields of the errors standing for Python's built-in exceptions, which
 * Python keeps outside `__dict__` (`errno`, `strerror`, `filename` of an
 * OSError; `encoding`, `object`, `start`, `end`, `reason` of a Unicode
 * error; a KeyError's `key`; an ExpatError's `reason`). Fields a program
 * sets on its own error classes go, as they would from Python.
 */
function exceptionFields(err: globalThis.Error): string[] {
  if (err instanceof Fault) return ["faultCode", "faultString"];
  const builtin = BUILTIN_FIELDS.find(([cls]) => err instanceof cls)?.[1];
  return Object.keys(err).filter((k) => k !== "code" && !builtin?.has(k));
}

/** Python's built-in exceptions netkit models, and the fields Python keeps outside their `__dict__`. */
const BUILTIN_FIELDS: ReadonlyArray<
  readonly [abstract new (...args: never[]) => object, ReadonlySet<string>]
> = [
  [OSError, new Set(["errno", "strerror", "filename", "filename2"])],
  [UnicodeEncodeError, new Set(["encoding", "object", "start", "end", "reason"])],
  [UnicodeDecodeError, new Set(["encoding", "object", "start", "end", "reason"])],
  [KeyError, new Set(["key"])],
  [ExpatError, new Set(["reason"])],
];

/**
 * Python's `xmlrpc.client.dumps(params, ...)`: a parameter array (or a
 * `Fault`) as an XML-RPC request (`methodname`), response
 * (`methodresponse`, or any `Fault`) or bare `<params>` block.
 *
 * @example
 * ```ts
 * dumps([41], { methodname: "examples.getStateName" });
 * // "<?xml version='1.0'?>\n<methodCall>\n<methodName>examples.getStateName</methodName>\n<params>\n..."
 * ```
 * @throws TypeError when `params` is neither an array nor a Fault (code
 *   `ERR_INVALID_ARG_TYPE`, as for an option of the wrong type), or a value cannot be marshalled;
 *   ValueError for a response that is not one value; OverflowError for an int outside i4
 */
export function dumps(params: readonly unknown[] | Fault, options: DumpsOptions = {}): string {
  checkOptions("dumps", options, "{ methodname, methodresponse, encoding, allowNone }");
  const { methodname } = options;
  if (methodname !== undefined && methodname !== null && typeof methodname !== "string") {
    throw argTypeError("dumps", "methodname", "str or null", methodname);
  }
  let methodresponse = options.methodresponse ?? false;
  if (params instanceof Fault) methodresponse = true;
  else if (!Array.isArray(params)) throw argTypeError("dumps", "params", "an array or a Fault", params);
  else if (methodresponse && params.length !== 1) throw new ValueError("response tuple must be a singleton");
  const encoding = options.encoding || "utf-8";
  const data = new Marshaller(encoding, options.allowNone ?? false).dumps(params);
  const xmlheader =
    encoding !== "utf-8" ? `<?xml version='1.0' encoding='${encoding}'?>\n` : "<?xml version='1.0'?>\n";
  if (options.methodname) {
    return `${xmlheader}<methodCall>\n<methodName>${xmlEscape(options.methodname)}</methodName>\n${data}</methodCall>\n`;
  }
  if (methodresponse) return `${xmlheader}<methodResponse>\n${data}</methodResponse>\n`;
  return data;
}
