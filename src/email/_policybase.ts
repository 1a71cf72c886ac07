/**
 * Python's `email._policybase`: the `Policy` framework and the `compat32`
 * policy (internal; `netkit/email/policy` exports them).
 *
 * A policy is an immutable set of options (`linesep`, `maxLineLength`,
 * `cteType`, `raiseOnDefect`, `mangleFrom`, `messageFactory`) and the
 * hooks the parser and the generator call for each header:
 *
 * ```text
 * parser:    headerSourceParse(lines) -> [name, value] stored on the message
 * program:   msg.set(name, v) -> headerStoreParse(name, v) -> stored
 *            msg.get(name)    -> headerFetchParse(name, stored)
 * generator: fold(name, stored) / foldBinary(name, stored) -> the header's lines
 * ```
 *
 * `clone({ ... })` makes a changed copy, as Python's `policy.clone(...)`.
 *
 * @module
 */
import { withCode } from "../errors/index.js";
import { encodeSurrogateEscape, hasSurrogates } from "./_bytes.js";
import { UNKNOWN8BIT } from "./charset.js";
import type { MessageDefect } from "./errors.js";
import { Header } from "./header.js";
import type { Message } from "./message.js";

/**
 * A header object of the modern policies (`netkit/email/headerregistry`'s
 * `BaseHeader`): Python's header objects are strings with a `name`.
 */
export interface HeaderObject {
  /** The header's name. */
  readonly name: string;
  /** The header's text. */
  toString(): string;
}

/** A stored header value: text, a `Header` a program set, or a modern policy's header object. */
export type HeaderValue = string | Header | HeaderObject;

/** Python's `isinstance(value, str)` for a stored value: text and header objects are strings there. */
const asCompatValue = (value: HeaderValue): string | Header =>
  value instanceof Header ? value : String(value);

/** The options every policy has; each is Python's attribute of the same meaning. */
export interface PolicyOptions {
  /** Throw defects instead of recording them (Python's `raise_on_defect`). @default false */
  raiseOnDefect?: boolean;
  /** The line end the generator writes. @default "\n" */
  linesep?: string;
  /** `"7bit"` (encode anything non-ASCII) or `"8bit"` (Python's `cte_type`). @default "8bit" */
  cteType?: "7bit" | "8bit";
  /** The longest header line when folding; 0 or `null`: no folding (Python's `max_line_length`). @default 78 */
  maxLineLength?: number | null;
  /** Write `>From ` for body lines starting with `From ` (Python's `mangle_from_`). @default true for compat32 */
  mangleFrom?: boolean;
  /** The class the parser makes messages of; `null`: `Message` (Python's `message_factory`). @default null */
  messageFactory?: (new (policy?: Policy) => Message) | null;
  /**
   * The generator refuses a folded header holding a line break not followed
   * by a blank (Python's `verify_generated_headers`, gh-121650). @default true
   */
  verifyGeneratedHeaders?: boolean;
}

/**
 * Python's `email._policybase.Policy`: the options and hooks above. A
 * subclass overrides the hooks; `clone()` keeps the subclass.
 */
export abstract class Policy {
  /** Throw defects instead of recording them. */
  readonly raiseOnDefect: boolean = false;
  /** The line end the generator writes. */
  readonly linesep: string = "\n";
  /** `"7bit"` or `"8bit"`. */
  readonly cteType: "7bit" | "8bit" = "8bit";
  /** The longest header line when folding (0 or `null`: no folding). */
  readonly maxLineLength: number | null = 78;
  /** Escape body lines starting with `From `. */
  readonly mangleFrom: boolean = false;
  /** The class the parser makes messages of (`null`: `Message`). */
  readonly messageFactory: (new (policy?: Policy) => Message) | null = null;
  /** The generator refuses a folded header that would start another header. */
  readonly verifyGeneratedHeaders: boolean = true;

  /** Applies `options` over the defaults; subclasses call it after their own field initialisers. */
  protected init(options: object): void {
    for (const [k, v] of Object.entries(options)) {
      if (v === undefined) continue;
      if (!(k in this))
        throw withCode(
          new TypeError(`Policy.__init__() got an unexpected keyword argument '${k}'`),
          "ERR_INVALID_ARG_VALUE",
        );
      Object.defineProperty(this, k, { value: v, enumerable: true, writable: false, configurable: true });
    }
  }

  /**
   * Python's `clone`: a copy with `options` changed.
   * @throws {TypeError} for an option the policy does not have
   */
  clone(options: object): this {
    const copy = Object.create(Object.getPrototypeOf(this)) as this;
    for (const k of Object.keys(this)) {
      // An option a subclass resolves at use (EmailPolicy's messageFactory) stays resolved at use.
      const own = Object.getOwnPropertyDescriptor(this, k)!;
      Object.defineProperty(
        copy,
        k,
        own.get
          ? { get: own.get, enumerable: true, configurable: true }
          : { value: own.value, enumerable: true, writable: false, configurable: true },
      );
    }
    (copy as Policy).init(options);
    return copy;
  }

  /**
   * Python's `handle_defect`: throws `defect` when `raiseOnDefect`, else records it.
   * @throws {MessageDefect} when the policy raises on defects
   */
  handleDefect(obj: Message, defect: MessageDefect): void {
    if (this.raiseOnDefect) throw defect;
    this.registerDefect(obj, defect);
  }

  /** Python's `register_defect`: appends `defect` to `obj.defects`. */
  registerDefect(obj: Message, defect: MessageDefect): void {
    obj.defects.push(defect);
  }

  /** Python's `header_max_count`: how many headers of `name` a program may add (`null`: any number). */
  headerMaxCount(_name: string): number | null {
    return null;
  }

  /** Python's `header_source_parse`: a header's source lines to the stored `[name, value]`. */
  abstract headerSourceParse(lines: string[]): [string, string];
  /** Python's `header_store_parse`: a program's value to the stored `[name, value]`. */
  abstract headerStoreParse(name: string, value: unknown): [string, HeaderValue];
  /** Python's `header_fetch_parse`: the stored value to what `msg.get()` returns. */
  abstract headerFetchParse(name: string, value: HeaderValue): unknown;
  /** Python's `fold`: the header's lines as text, each ending in `linesep`. */
  abstract fold(name: string, value: HeaderValue): string;
  /** Python's `fold_binary`: the header's lines as bytes. */
  abstract foldBinary(name: string, value: HeaderValue): Buffer;
}

/**
 * Python's `header_source_parse` of compat32 and the modern policies: the
 * name up to the first `:`, the value with leading blanks and the final
 * line end removed, continuation lines kept.
 */
export function splitSourceHeader(lines: string[]): [string, string] {
  const first = lines[0]!;
  const colon = first.indexOf(":");
  const value = first.slice(colon + 1).replace(/^[ \t]+/, "") + lines.slice(1).join("");
  return [first.slice(0, colon), value.replace(/[\r\n]+$/, "")];
}

/**
 * Python's `Compat32` policy: the email package of Python 3.2 (version
 * 5.1). Values are stored as parsed, and folded with `Header`'s algorithm,
 * which keeps existing line breaks; 8-bit bytes in a header become
 * `unknown-8bit` encoded words where text is required.
 */
export class Compat32 extends Policy {
  override readonly mangleFrom: boolean = true;

  /** @param options the options to change from the defaults */
  constructor(options: PolicyOptions = {}) {
    super();
    this.init(options);
  }

  /** Python's `_sanitize_header`: a `Header` in `unknown-8bit` for a value holding 8-bit bytes. */
  protected sanitizeHeader(name: string, stored: HeaderValue): HeaderValue {
    const value = asCompatValue(stored);
    if (typeof value !== "string") return value;
    if (hasSurrogates(value)) return new Header(value, UNKNOWN8BIT, { headerName: name });
    return value;
  }

  /** The name up to the first `:`; the value with leading blanks and the final line end removed. */
  headerSourceParse(lines: string[]): [string, string] {
    return splitSourceHeader(lines);
  }

  /** The name and value as they are. */
  headerStoreParse(name: string, value: unknown): [string, HeaderValue] {
    return [name, value instanceof Header ? value : String(value)];
  }

  /** The value, or a `Header` in `unknown-8bit` when it holds 8-bit bytes. */
  headerFetchParse(name: string, value: HeaderValue): HeaderValue {
    return this.sanitizeHeader(name, value);
  }

  /** Folded with `Header`; 8-bit bytes become `unknown-8bit` encoded words. */
  fold(name: string, value: HeaderValue): string {
    return this.foldWith(name, value, true);
  }

  /** Folded with `Header`; 8-bit bytes are kept as they are unless `cteType` is `"7bit"`. */
  foldBinary(name: string, value: HeaderValue): Buffer {
    return encodeSurrogateEscape(this.foldWith(name, value, this.cteType === "7bit"));
  }

  /** The text form of `foldBinary` (8-bit bytes as escapes): what the byte generator writes. */
  foldEscaped(name: string, value: HeaderValue): string {
    return this.foldWith(name, value, this.cteType === "7bit");
  }

  /** Python's `_fold`: the header's lines, 8-bit bytes as encoded words when `sanitize`. */
  protected foldWith(name: string, stored: HeaderValue, sanitize: boolean): string {
    const value = asCompatValue(stored);
    const parts = [`${name}: `];
    let h: Header | null;
    if (typeof value === "string") {
      if (hasSurrogates(value)) {
        if (sanitize) h = new Header(value, UNKNOWN8BIT, { headerName: name });
        else {
          parts.push(value);
          h = null;
        }
      } else {
        const plain = plainFold(name, value, this.maxLineLength ?? 0, this.linesep);
        if (plain !== null) return plain;
        h = new Header(value, null, { headerName: name });
      }
    } else h = value;
    if (h !== null) parts.push(h.encode(undefined, this.maxLineLength ?? 0, this.linesep));
    parts.push(this.linesep);
    return parts.join("");
  }
}

/** Characters Python's `str.splitlines()` splits at besides CR and LF, and anything not ASCII. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters that need the full algorithm
const NEEDS_HEADER = /[^\x00-\x7f]|[\v\f\x1c-\x1e]/;
const LINE_ENDS = /\r\n|\r|\n/;
const NON_BLANK = /[^ \t]/;

/**
 * `Header(value, header_name=name).encode(maxlinelen, linesep)` for the
 * common case, without running the folding algorithm: ASCII text whose
 * lines all fit and whose continuation lines start with a blank and hold
 * more than blanks comes out as it went in, its line ends made `linesep`.
 * `null` when the value needs the algorithm.
 */
function plainFold(name: string, value: string, maxLineLength: number, linesep: string): string | null {
  if (NEEDS_HEADER.test(value)) return null;
  const max = maxLineLength === 0 ? 1000000 : maxLineLength;
  if (!LINE_ENDS.test(value)) {
    return name.length + 2 + value.length <= max ? `${name}: ${value}${linesep}` : null;
  }
  const lines = value.split(LINE_ENDS);
  if (name.length + 2 + lines[0]!.length > max) return null;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.length > max || (line[0] !== " " && line[0] !== "\t") || !NON_BLANK.test(line)) return null;
  }
  return `${name}: ${lines.join(linesep)}${linesep}`;
}

/** Python's `email.policy.compat32`: the default policy of `Message` and the parsers. */
export const compat32 = new Compat32();
