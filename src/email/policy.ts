/**
 * Python's `email.policy`: the policies that say how messages are parsed
 * and written. Each is an immutable object whose `clone({ ... })` makes a
 * changed copy.
 *
 * - `compat32`: Python 3.2's email package, the default of `Message` and
 *   the parsers; headers are text.
 * - `EmailPolicy` and its instances: the modern API; headers are objects
 *   from a `HeaderRegistry` (`netkit/email/headerregistry`), folded with
 *   RFC 5322/2047/2231 rules:
 *
 * | netkit | Python | what differs from `defaultPolicy` |
 * | --- | --- | --- |
 * | `defaultPolicy` | `email.policy.default` | (`default` is a reserved word in an export list) |
 * | `SMTP` | `SMTP` | `linesep: "\r\n"` |
 * | `SMTPUTF8` | `SMTPUTF8` | `linesep: "\r\n"`, `utf8: true` |
 * | `HTTP` | `HTTP` | `linesep: "\r\n"`, `maxLineLength: null` |
 * | `strict` | `strict` | `raiseOnDefect: true` |
 *
 * As in Python, the parsers make `EmailMessage`s under these policies (their
 * `messageFactory`), and `getContent`/`setContent` use `rawDataManager`
 * (their `contentManager`).
 *
 * @module
 */
import { ValueError } from "../errors/index.js";
import { encodeSurrogateEscape, hasSurrogates, splitlines } from "./_bytes.js";
import {
  type HeaderObject,
  type HeaderValue,
  Policy,
  type PolicyOptions,
  splitSourceHeader,
} from "./_policybase.js";
import { rawDataManager } from "./contentmanager.js";
import { Header } from "./header.js";
import { type BaseHeader, HeaderRegistry } from "./headerregistry.js";
import type { Message } from "./message.js";
// A cycle (mimepart.ts makes its parts with defaultPolicy): EmailMessage is read only when a parser asks for it.
import { EmailMessage } from "./mimepart.js";

export {
  Compat32,
  compat32,
  type HeaderObject,
  type HeaderValue,
  Policy,
  type PolicyOptions,
} from "./_policybase.js";

/**
 * What a policy's `contentManager` is (Python's `ContentManager` protocol):
 * `msg.getContent(...)` and `msg.setContent(...)` call it with the message first.
 */
export interface ContentManagerLike {
  /** Returns the message's content (text, bytes, a message, ...). */
  getContent(msg: Message, ...args: unknown[]): unknown;
  /** Sets the message's content and the headers that describe it. */
  setContent(msg: Message, obj: unknown, ...args: unknown[]): void;
}

/** The header factory an `EmailPolicy` uses: a `HeaderRegistry`, or anything with its `get`/`create`. */
export type HeaderFactory = Pick<HeaderRegistry, "get" | "create">;

/** The options of `EmailPolicy`, beyond every policy's. */
export interface EmailPolicyOptions extends PolicyOptions {
  /** Write headers as UTF-8 (RFC 6532) instead of encoded words (Python's `utf8`). @default false */
  utf8?: boolean;
  /**
   * When the generator refolds a header parsed from a source (Python's
   * `refold_source`): `"none"` never, `"long"` when a line is longer than
   * `maxLineLength`, `"all"` always. @default "long"
   */
  refoldSource?: "none" | "long" | "all";
  /** Makes header objects from names and values (Python's `header_factory`). @default a new HeaderRegistry */
  headerFactory?: HeaderFactory;
  /** What `getContent`/`setContent` use (Python's `content_manager`). @default null */
  contentManager?: ContentManagerLike | null;
}

const LINESEP_SPLIT = /\n|\r/;

/** True when `value` is a header object (Python: it has a `name` attribute). */
const isHeaderObject = (
  value: unknown,
): value is HeaderObject & { fold(o: { policy: EmailPolicy }): string } =>
  typeof value === "object" &&
  value !== null &&
  !(value instanceof Header) &&
  typeof (value as { name?: unknown }).name === "string";

/**
 * Python's `email.policy.EmailPolicy`: headers become objects from
 * `headerFactory` (`msg.get()` gives their text; the stored value is the
 * object), values a program sets may not hold CR or LF, and the generator
 * folds with the RFC 5322 folder (encoded words for non-ASCII unless
 * `utf8`).
 */
export class EmailPolicy extends Policy {
  /** Write headers as UTF-8 instead of encoded words. */
  readonly utf8: boolean = false;
  /** When source headers are refolded: `"none"`, `"long"` or `"all"`. */
  readonly refoldSource: "none" | "long" | "all" = "long";
  /** Makes header objects. */
  readonly headerFactory: HeaderFactory;
  /** What `getContent`/`setContent` use (Python's `content_manager`). @default rawDataManager */
  readonly contentManager: ContentManagerLike | null = rawDataManager;

  /**
   * @param options the options to change from the defaults
   * @throws {TypeError} for an option the policy does not have
   */
  constructor(options: EmailPolicyOptions = {}) {
    super();
    this.headerFactory = options.headerFactory ?? new HeaderRegistry();
    // Python's EmailPolicy.message_factory is EmailMessage. Read at use, not here: when
    // mimepart.ts is loaded first, the policies below are made before EmailMessage exists.
    Object.defineProperty(this, "messageFactory", {
      get: () => EmailMessage,
      enumerable: true,
      configurable: true,
    });
    this.init(options);
  }

  /** Python's `header_max_count`: the header class's `maxCount` (1 for Subject, To, ...). */
  override headerMaxCount(name: string): number | null {
    return this.headerFactory.get(name).maxCount;
  }

  /** The name up to the first `:`; the value with leading blanks and the final line end removed (as compat32). */
  headerSourceParse(lines: string[]): [string, string] {
    return splitSourceHeader(lines);
  }

  /**
   * Python's `header_store_parse`: a header object of the same name is kept;
   * anything else becomes one through `headerFactory`.
   * @throws {ValueError} for text holding a line break (header injection)
   */
  headerStoreParse(name: string, value: unknown): [string, HeaderValue] {
    if (isHeaderObject(value) && value.name.toLowerCase() === name.toLowerCase()) return [name, value];
    if (typeof value === "string" && splitlines(value).length > 1) {
      throw new ValueError("Header values may not contain linefeed or carriage return characters");
    }
    return [name, this.headerFactory.create(name, value instanceof Header ? String(value) : value)];
  }

  /** Python's `header_fetch_parse`: the header object (made from the source text, line breaks removed). */
  headerFetchParse(name: string, value: HeaderValue): BaseHeader | HeaderObject {
    if (isHeaderObject(value)) return value;
    return this.headerFactory.create(name, String(value).split(LINESEP_SPLIT).join(""));
  }

  /**
   * Python's `fold`: a header object folds itself; source text is kept as
   * it is (its line ends made `linesep`) unless `refoldSource` says to
   * refold it or it holds 8-bit bytes, which become `unknown-8bit` encoded words.
   * @throws {HeaderParseError} when `maxLineLength` is too small for an encoded word
   */
  fold(name: string, value: HeaderValue): string {
    return this.foldSource(name, value, true);
  }

  /**
   * Python's `fold_binary`: as `fold`, but with `cteType` `"8bit"` 8-bit
   * bytes are written back as they were; UTF-8 when `utf8`, else ASCII.
   */
  foldBinary(name: string, value: HeaderValue): Buffer {
    const folded = this.foldSource(name, value, this.cteType === "7bit");
    if (this.utf8) return encodeUtf8Escaped(folded);
    return encodeSurrogateEscape(folded);
  }

  /** Python's `_fold`: the header's lines, source text refolded when the policy says so. */
  protected foldSource(name: string, value: HeaderValue, refoldBinary: boolean): string {
    if (isHeaderObject(value)) return value.fold({ policy: this });
    const text = String(value);
    const maxlen = this.maxLineLength || Number.MAX_SAFE_INTEGER;
    const lines = splitlines(text);
    const refold =
      this.refoldSource === "all" ||
      (this.refoldSource === "long" &&
        ((lines.length > 0 && lines[0]!.length + name.length + 2 > maxlen) ||
          lines.slice(1).some((x) => x.length > maxlen)));
    if (refold || (refoldBinary && hasSurrogates(text))) {
      return (this.headerFactory.create(name, lines.join("")) as BaseHeader).fold({ policy: this });
    }
    return `${name}: ${lines.join(this.linesep)}${this.linesep}`;
  }
}

/** `text.encode('utf-8', 'surrogateescape')`. */
function encodeUtf8Escaped(text: string): Buffer {
  if (!hasSurrogates(text)) return Buffer.from(text, "utf8");
  const out: Buffer[] = [];
  let run = "";
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp >= 0xdc80 && cp <= 0xdcff) {
      out.push(Buffer.from(run, "utf8"), Buffer.from([cp - 0xdc00]));
      run = "";
    } else run += ch;
  }
  out.push(Buffer.from(run, "utf8"));
  return Buffer.concat(out);
}

/** Python's `email.policy.default` (exported under this name: `default` is reserved in an export list). */
export const defaultPolicy = new EmailPolicy();
/** Python's `email.policy.strict`: defects are thrown. */
export const strict = defaultPolicy.clone({ raiseOnDefect: true });
/** Python's `email.policy.SMTP`: CRLF line ends. */
export const SMTP = defaultPolicy.clone({ linesep: "\r\n" });
/** Python's `email.policy.HTTP`: CRLF line ends, no folding. */
export const HTTP = defaultPolicy.clone({ linesep: "\r\n", maxLineLength: null });
/** Python's `email.policy.SMTPUTF8`: CRLF and UTF-8 headers. */
export const SMTPUTF8 = SMTP.clone({ utf8: true });
