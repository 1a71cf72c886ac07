/**
 * Python's `xmlrpc.client.Unmarshaller`, `getparser` and `loads`: XML-RPC
 * data to JS values, event by event, with Python's tolerance (unknown tags
 * outside `<value>` are ignored; a `<value>` with bare text is a string).
 *
 * Types read:
 *
 * | XML-RPC | JS |
 * | --- | --- |
 * | `int`, `i1`, `i2`, `i4`, `i8`, `biginteger` | `number`; `bigint` past `Number.MAX_SAFE_INTEGER` |
 * | `double`, `float` | `number` |
 * | `bigdecimal` | `string` (the decimal text, checked; JS has no decimal type) |
 * | `boolean` | `boolean` |
 * | `string`, bare `value` | `string` |
 * | `nil`, `ex:nil` | `null` |
 * | `base64` | `Binary`, or `Buffer` with `useBuiltinTypes` |
 * | `dateTime.iso8601` | `DateTime`, or `Date` (UTC fields) with `useDatetime` / `useBuiltinTypes` |
 * | `array` | `Array` |
 * | `struct` | plain object |
 *
 * @module
 */
import { checkOptions } from "../_args.js";
import { argTypeError, pyRepr, ValueError, withCode } from "../errors/index.js";
import { decodebytes } from "./_base64.js";
import { Fault, ResponseError } from "./_errors.js";
import { readFast } from "./_fastread.js";
import { MAX_DEPTH } from "./_limits.js";
import { pyFloat, pyInt, pyStrip } from "./_pynum.js";
import { Binary, DateTime, parseIso8601 } from "./_types.js";
import { prepareXml, tokenizeXml, type XmlHandler, type XmlLimits } from "./_xml.js";

/** Options for `loads` and `getparser`. */
export interface LoadsOptions extends XmlLimits {
  /** Return `dateTime.iso8601` values as `Date`. @default false */
  useDatetime?: boolean;
  /** Return `Date` for times and `Buffer` for `base64`. @default false */
  useBuiltinTypes?: boolean;
}

const DECIMAL =
  /^[+-]?(?:(?:[0-9]+(?:_[0-9]+)*)?\.?[0-9]+(?:_[0-9]+)*(?:[eE][+-]?[0-9]+(?:_[0-9]+)*)?|[0-9]+(?:_[0-9]+)*\.|inf|infinity|s?nan[0-9]*)$/i;

type Decoder = (u: Unmarshaller, data: string) => void;

/**
 * Parses `input` into `u`: through the fast reader (src/xmlrpc/_fastread.ts)
 * when `u` is a plain, unused `Unmarshaller` and the document is in the
 * reader's subset (the same values, with no events: what `loads` and a
 * `Transport` meet almost always), else through the tokenizer's events.
 * The limits, the encoding and the forbidden characters are checked first either way.
 */
let parseInto: (input: Uint8Array | string, u: Unmarshaller, limits: XmlLimits) => void;

/**
 * Python's `Unmarshaller`: receives `start` / `data` / `end` events and
 * builds the values; `close()` returns the parameters or throws the `Fault`.
 */
export class Unmarshaller implements XmlHandler {
  #type: "params" | "fault" | "methodName" | null = null;
  readonly #stack: unknown[] = [];
  readonly #marks: number[] = [];
  /** The character data since the last start tag (Python keeps a list and joins it; one string is the same text). */
  #data = "";
  #value = false;
  #methodname: string | null = null;
  readonly #useDatetime: boolean;
  readonly #useBytes: boolean;

  static {
    parseInto = (input, u, limits) => {
      const doc = prepareXml(input, limits);
      if (
        doc.cut === null &&
        !doc.declEncodingWrong &&
        // A subclass, or handlers set on the instance, get their events.
        Object.getPrototypeOf(u) === Unmarshaller.prototype &&
        Object.keys(u).length === 0 &&
        u.#type === null &&
        u.#stack.length === 0 &&
        u.#marks.length === 0 &&
        u.#methodname === null
      ) {
        const fast = readFast(doc.text, {
          useDatetime: u.#useDatetime,
          useBytes: u.#useBytes,
          maxDepth: limits.maxDepth ?? MAX_DEPTH,
        });
        if (fast !== null) {
          u.#type = fast.type;
          for (const v of fast.values) u.#stack.push(v);
          u.#methodname = fast.methodname;
          return;
        }
      }
      tokenizeXml(doc, u, limits);
    };
  }

  constructor(options: { useDatetime?: boolean; useBuiltinTypes?: boolean } = {}) {
    this.#useDatetime = Boolean(options.useBuiltinTypes || options.useDatetime);
    this.#useBytes = Boolean(options.useBuiltinTypes);
  }

  /**
   * Python's `close()`: the parameters.
   * @throws Fault for a fault response; ResponseError when no `<params>`, `<fault>` or `<methodName>` ended, or an array / struct is still open
   */
  close(): unknown[] {
    if (this.#type === null || this.#marks.length > 0) throw new ResponseError();
    if (this.#type === "fault") {
      const f = this.#stack[0];
      if (typeof f !== "object" || f === null || !("faultCode" in f) || !("faultString" in f)) {
        throw new ResponseError("fault without a faultCode and faultString struct");
      }
      const { faultCode, faultString } = f as { faultCode: unknown; faultString: unknown };
      throw new Fault(faultCode, faultString);
    }
    return [...this.#stack];
  }

  /** Python's `getmethodname()`: the `<methodName>`, or `null`. */
  getmethodname(): string | null {
    return this.#methodname;
  }

  start(name: string): void {
    const colon = name.lastIndexOf(":");
    const tag = colon >= 0 ? name.slice(colon + 1) : name;
    if (tag === "array" || tag === "struct") this.#marks.push(this.#stack.length);
    this.#data = "";
    if (this.#value && !DISPATCH.has(tag)) throw new ResponseError(`unknown tag ${pyRepr(tag)}`);
    this.#value = tag === "value";
  }

  data(text: string): void {
    this.#data += text;
  }

  end(name: string): void {
    let f = DISPATCH.get(name);
    if (f === undefined) {
      const colon = name.lastIndexOf(":");
      if (colon < 0) return;
      f = DISPATCH.get(name.slice(colon + 1));
      if (f === undefined) return;
    }
    f(this, this.#data);
  }

  /** @internal */ static decoders(): Map<string, Decoder> {
    const push = (u: Unmarshaller, v: unknown) => {
      u.#stack.push(v);
      u.#value = false;
    };
    const string = (u: Unmarshaller, data: string) => push(u, data);
    const int = (u: Unmarshaller, data: string) => push(u, pyInt(data));
    const double = (u: Unmarshaller, data: string) => push(u, pyFloat(data));
    return new Map(
      Object.entries({
        nil: (u) => push(u, null),
        boolean: (u, data) => {
          if (data === "0") push(u, false);
          else if (data === "1") push(u, true);
          else throw withCode(new TypeError("bad boolean value"), "ERR_XMLRPC_BAD_BOOLEAN");
        },
        i1: int,
        i2: int,
        i4: int,
        i8: int,
        int,
        biginteger: int,
        double,
        float: double,
        bigdecimal: (u, data) => {
          if (!DECIMAL.test(data.trim())) throw new ValueError(`invalid decimal literal ${pyRepr(data)}`);
          push(u, data.trim());
        },
        string,
        name: string,
        array: (u) => {
          const mark = u.#marks.pop()!;
          const items = u.#stack.splice(mark);
          push(u, items);
        },
        struct: (u) => {
          const mark = u.#marks.pop()!;
          const stack = u.#stack;
          const end = stack.length;
          if ((end - mark) % 2 !== 0) {
            stack.length = mark;
            throw new ResponseError("struct member without a value");
          }
          const obj: Record<string, unknown> = {};
          for (let i = mark; i < end; i += 2) {
            const key = stack[i];
            if (typeof key !== "string") {
              stack.length = mark;
              throw new ResponseError("struct member name is not a string");
            }
            if (key === "__proto__")
              Object.defineProperty(obj, key, {
                value: stack[i + 1],
                enumerable: true,
                writable: true,
                configurable: true,
              });
            else obj[key] = stack[i + 1];
          }
          stack.length = mark;
          push(u, obj);
        },
        base64: (u, data) => {
          const bytes = decodebytes(data);
          push(u, u.#useBytes ? bytes : new Binary(bytes));
        },
        "dateTime.iso8601": (u, data) => {
          // Python's `DateTime(); decode(data)`: the text stripped (without computing "now" first).
          u.#stack.push(u.#useDatetime ? parseIso8601(data) : new DateTime(pyStrip(data)));
        },
        value: (u, data) => {
          if (u.#value) string(u, data);
        },
        params: (u) => {
          u.#type = "params";
        },
        fault: (u) => {
          u.#type = "fault";
        },
        methodName: (u, data) => {
          u.#methodname = data;
          u.#type = "methodName";
        },
      } satisfies Record<string, Decoder>),
    );
  }
}

const DISPATCH: Map<string, Decoder> = Unmarshaller.decoders();

/**
 * Python's `ExpatParser` in the shape `getparser` returns: `feed` bytes
 * (kept until `close`, within the size limit), `close` to parse them.
 */
export class XmlParser {
  readonly #target: Unmarshaller;
  readonly #limits: XmlLimits;
  readonly #chunks: Uint8Array[] = [];
  #size = 0;

  constructor(target: Unmarshaller, limits: XmlLimits = {}) {
    this.#target = target;
    this.#limits = limits;
  }

  /**
   * Python's `feed(data)`: adds data.
   * @throws ResponseError once the data passes the size limit
   */
  feed(data: Uint8Array | string): void {
    const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
    this.#size += bytes.length;
    const max = this.#limits.maxSize ?? Number.POSITIVE_INFINITY;
    if (this.#size > max) throw new ResponseError(`XML-RPC document exceeds the limit of ${max} bytes`);
    this.#chunks.push(bytes);
  }

  /** Python's `close()`: parses what was fed, sending events to the unmarshaller. */
  close(): void {
    const chunks = this.#chunks;
    parseInto(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks), this.#target, this.#limits);
  }
}

/**
 * Python's `getparser()`: a `[parser, unmarshaller]` pair; feed the parser,
 * close it, then `unmarshaller.close()` gives the values.
 */
export function getparser(options: LoadsOptions = {}): [XmlParser, Unmarshaller] {
  const target = new Unmarshaller(options);
  return [new XmlParser(target, options), target];
}

/**
 * Python's `xmlrpc.client.loads(data)`: an XML-RPC request or response to
 * `[params, methodName]` (`methodName` is `null` for a response).
 *
 * @example
 * ```ts
 * const [params, method] = loads(dumps([1, "two"], { methodname: "f" }));
 * // params = [1, "two"], method = "f"
 * ```
 * @throws Fault for a fault response; ExpatError for XML that is not
 *   well-formed; ResponseError for broken XML-RPC, a DOCTYPE or a limit;
 *   ValueError / TypeError for a bad `int`, `double` or `boolean`, as Python;
 *   TypeError (`ERR_INVALID_ARG_TYPE`) for data that is neither text nor bytes, or options of the wrong type
 */
export function loads(data: Uint8Array | string, options: LoadsOptions = {}): [unknown[], string | null] {
  if (typeof data !== "string" && !(data instanceof Uint8Array))
    throw argTypeError("loads", "data", "str or bytes", data);
  checkOptions("loads", options, "{ useDatetime, useBuiltinTypes, maxSize, maxDepth }");
  const u = new Unmarshaller(options);
  parseInto(data, u, options);
  return [u.close(), u.getmethodname()];
}
