/**
 * Python's `email.headerregistry`: the header objects of the modern
 * policies (`netkit/email/policy`'s `defaultPolicy`, `SMTP`, ...), made by a
 * `HeaderRegistry` from a header's name and value.
 *
 * ```text
 * BaseHeader                      name, defects, toString(), fold({ policy })
 *  ├── UnstructuredHeader          Subject (UniqueUnstructuredHeader), any unknown name
 *  ├── DateHeader                  Date, Resent-Date: datetime
 *  ├── AddressHeader               To, Cc, From, ...: addresses, groups
 *  │    └── SingleAddressHeader    Sender: address
 *  ├── MIMEVersionHeader           version, major, minor
 *  ├── ContentTypeHeader           contentType, maintype, subtype, params
 *  ├── ContentDispositionHeader    contentDisposition, params
 *  ├── ContentTransferEncodingHeader  cte
 *  └── MessageIDHeader
 * ```
 *
 * Where netkit differs from Python: a Python header object IS a `str`; a
 * netkit header is an object whose `toString()` is that string (so
 * `String(h)`, template literals and `==` comparisons with text work, and
 * `h.toString() === "..."` is the exact test). Python builds each header's
 * class at run time from a `base_class` and the specialised class; netkit's
 * specialised classes extend `BaseHeader` directly, and `HeaderRegistry`
 * maps names to them. An `Address` refuses CR and LF in any part, as
 * Python's later 3.11 releases do.
 *
 * @module
 */
import { nameClasses, ValueError, withCode } from "../errors/index.js";
import { hasSurrogates } from "./_bytes.js";
import * as parser from "./_header_value_parser.js";
import { foldTokens } from "./_hvp_folder.js";
import { anyIn, DOT_ATOM_ENDS, quoteString, SPECIALS, type TokenList } from "./_hvp_tokens.js";
import * as errors from "./errors.js";
import { type HeaderMissingRequiredValue, InvalidDateDefect, type MessageDefect } from "./errors.js";
import { formatDatetime, type ParsedDate, parsedateToDatetime } from "./utils.js";

/** What a header's `fold()` needs of a policy. */
export interface HeaderFoldPolicy {
  /** The longest line (0 or `null`: no limit). */
  readonly maxLineLength: number | null;
  /** The line end. */
  readonly linesep: string;
  /** Write non-ASCII as it is (RFC 6532) instead of encoded words. */
  readonly utf8: boolean;
}

/** A defect a header can carry (Python also records `CharsetError` there). */
export type HeaderDefectLike = MessageDefect | errors.CharsetError;

/** Python's `utils._sanitize`: escaped bytes decoded as UTF-8, what does not decode as U+FFFD. */
export function sanitize(text: string): string {
  if (!hasSurrogates(text)) return text;
  const bytes: number[] = [];
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp >= 0xdc80 && cp <= 0xdcff) bytes.push(cp - 0xdc00);
    else if (cp >= 0xd800 && cp <= 0xdfff) bytes.push(0xef, 0xbf, 0xbd);
    else for (const b of Buffer.from(ch, "utf8")) bytes.push(b);
  }
  return Buffer.from(bytes).toString("utf8");
}

/** Options of `new Address(...)`. */
export interface AddressOptions {
  /** The display name. @default "" */
  displayName?: string;
  /** The local part. @default "" */
  username?: string;
  /** The domain. @default "" */
  domain?: string;
  /** The whole `local@domain` instead of `username` and `domain` (must be valid RFC 5322). */
  addrSpec?: string | null;
}

/**
 * Python's `headerregistry.Address`: one mailbox, read-only.
 * `toString()` quotes the display name when it holds specials (RFC 5322).
 */
export class Address {
  readonly #displayName: string;
  readonly #username: string;
  readonly #domain: string;

  /**
   * @param options the parts, or `addrSpec` instead of `username` and `domain`
   * @throws {ValueError} for a part holding CR or LF, or an `addrSpec` that is not one address
   * @throws {TypeError} for `addrSpec` together with `username` or `domain`
   * @throws {MessageDefect} the first defect of an `addrSpec` that does not follow the grammar
   */
  constructor(options: AddressOptions = {}) {
    let { displayName = "", username = "", domain = "" } = options;
    const addrSpec = options.addrSpec ?? null;
    const inputs = [displayName, username, domain, addrSpec ?? ""].join("");
    if (inputs.includes("\r") || inputs.includes("\n")) {
      throw new ValueError("invalid arguments; address parts cannot contain CR or LF");
    }
    if (addrSpec !== null) {
      if (username || domain) {
        throw withCode(
          new TypeError("addrspec specified when username and/or domain also specified"),
          "ERR_INVALID_ARG_VALUE",
        );
      }
      const [as, rest] = parser.getAddrSpec(addrSpec);
      if (rest) throw new ValueError(`Invalid addr_spec; only '${as}' could be parsed from '${addrSpec}'`);
      const defects = as.allDefects;
      if (defects.length > 0) throw defects[0];
      username = as.localPart;
      domain = as.domain ?? "";
    }
    this.#displayName = displayName;
    this.#username = username;
    this.#domain = domain;
  }
  /** The display name (`""` when none). */
  get displayName(): string {
    return this.#displayName;
  }
  /** The local part. */
  get username(): string {
    return this.#username;
  }
  /** The domain. */
  get domain(): string {
    return this.#domain;
  }
  /** Python's `addr_spec`: `local@domain`, the local part quoted when needed; `<>` when empty. */
  get addrSpec(): string {
    let lp = this.#username;
    if (anyIn(lp, DOT_ATOM_ENDS)) lp = quoteString(lp);
    if (this.#domain) return `${lp}@${this.#domain}`;
    if (!lp) return "<>";
    return lp;
  }
  /** Python's `str(address)`: `Name <local@domain>`, or the addr-spec alone. */
  toString(): string {
    let disp = this.#displayName;
    if (anyIn(disp, SPECIALS)) disp = quoteString(disp);
    if (disp) {
      const spec = this.addrSpec === "<>" ? "" : this.addrSpec;
      return `${disp} <${spec}>`;
    }
    return this.addrSpec;
  }
  /** Python's `==`: same display name, username and domain. */
  equals(other: unknown): boolean {
    return (
      other instanceof Address &&
      other.displayName === this.displayName &&
      other.username === this.username &&
      other.domain === this.domain
    );
  }
}

/** Python's `headerregistry.Group`: a display name and addresses; `null` name: plain addresses. */
export class Group {
  readonly #displayName: string | null;
  readonly #addresses: readonly Address[];
  /**
   * @param displayName the group's name, `null` for addresses not in a group
   * @param addresses its addresses
   */
  constructor(displayName: string | null = null, addresses: readonly Address[] | null = null) {
    this.#displayName = displayName;
    this.#addresses = Object.freeze([...(addresses ?? [])]);
  }
  /** The group's name, or `null`. */
  get displayName(): string | null {
    return this.#displayName;
  }
  /** The addresses (read-only). */
  get addresses(): readonly Address[] {
    return this.#addresses;
  }
  /** Python's `str(group)`: `Name: a, b;`, or the one address when the name is `null`. */
  toString(): string {
    if (this.#displayName === null && this.#addresses.length === 1) return this.#addresses[0]!.toString();
    let disp = this.#displayName;
    if (disp !== null && anyIn(disp, SPECIALS)) disp = quoteString(disp);
    const adrstr = this.#addresses.map(String).join(", ");
    return `${disp}:${adrstr ? ` ${adrstr}` : ""};`;
  }
  /** Python's `==`: same name and equal addresses in order. */
  equals(other: unknown): boolean {
    return (
      other instanceof Group &&
      other.displayName === this.displayName &&
      other.addresses.length === this.addresses.length &&
      other.addresses.every((a, i) => a.equals(this.addresses[i]))
    );
  }
}

/** What a header class's `parse` fills in (Python's `kwds` dictionary). */
export interface HeaderParseResult {
  /** The defects found. */
  defects: HeaderDefectLike[];
  /** The parse tree. */
  parseTree?: TokenList;
  /** The header's text value (`str(header)`). */
  decoded?: string;
  /** Extra fields a class's `init` takes. */
  [key: string]: unknown;
}

/** A header class: what `HeaderRegistry` maps a name to. */
export interface HeaderClass {
  /** How many headers of the name a message may have (`null`: any number). */
  readonly maxCount: number | null;
  /** Python's classmethod `parse`: fills `kwds` from `value`. */
  parse(value: unknown, kwds: HeaderParseResult): void;
  new (name: string, value: unknown): BaseHeader;
}

/**
 * Python's `headerregistry.BaseHeader`: a header's name, its parsed value
 * and the defects found. Python's is a `str` subclass; this is an object
 * whose `toString()` is the header's text (see the module notes).
 *
 * Subclasses override the static `parse(value, kwds)` (fill `parseTree`,
 * `decoded`, `defects` and their own fields) and read their fields from
 * `this.fields`, as Python's `parse`/`init` pair.
 */
export class BaseHeader {
  /** Python's `max_count`. */
  static readonly maxCount: number | null = null;
  readonly #name: string;
  readonly #text: string;
  readonly #defects: readonly HeaderDefectLike[];
  /** The parse tree (Python's `_parse_tree`). */
  protected readonly parseTree: TokenList;
  /** What `parse` filled in: subclasses read their fields here (Python's `init` keywords). */
  protected readonly fields: HeaderParseResult;

  /** Python's classmethod `parse`: the base class reads the value as unstructured text. */
  static parse(value: unknown, kwds: HeaderParseResult): void {
    kwds.parseTree = parser.getUnstructured(String(value));
    kwds.decoded = kwds.parseTree.toString();
  }

  /**
   * Python's `BaseHeader(name, value)`: parses `value` with the class's `parse`.
   * @param name the header's name
   * @param value its unfolded value (or, for some classes, an object: a date, addresses)
   */
  constructor(name: string, value: unknown) {
    const kwds: HeaderParseResult = { defects: [] };
    (this.constructor as unknown as HeaderClass).parse(value, kwds);
    let decoded = kwds.decoded ?? "";
    if (hasSurrogates(decoded)) decoded = sanitize(decoded);
    this.#name = name;
    this.#text = decoded;
    this.#defects = Object.freeze([...kwds.defects]);
    this.parseTree = kwds.parseTree ?? new parser.TokenList();
    this.fields = kwds;
  }

  /** The header's name, as given. */
  get name(): string {
    return this.#name;
  }
  /** The defects found while parsing (read-only). */
  get defects(): readonly HeaderDefectLike[] {
    return this.#defects;
  }
  /** Python's `str(header)`: the value, encoded words decoded. */
  toString(): string {
    return this.#text;
  }
  /** The value as a primitive (so `==` with a string compares the text). */
  valueOf(): string {
    return this.#text;
  }
  /** Python's `max_count` of this header's class. */
  get maxCount(): number | null {
    return (this.constructor as unknown as HeaderClass).maxCount;
  }

  /**
   * Python's `fold`: `Name: value` folded to the policy's line length, with
   * encoded words for non-ASCII (unless `utf8`), ending in `linesep`.
   * @param options the policy to fold for
   * @throws {HeaderParseError} when `maxLineLength` is too small for an encoded word
   */
  fold(options: { policy: HeaderFoldPolicy }): string {
    const header = new parser.TokenList(
      [
        new parser.HeaderLabel([
          new parser.ValueTerminal(this.#name, "header-name"),
          new parser.ValueTerminal(":", "header-sep"),
        ]),
      ],
      "header",
    );
    if (this.parseTree.parts.length > 0) {
      header.parts.push(new parser.CFWSList([new parser.WhiteSpaceTerminal(" ", "fws")]));
    }
    header.parts.push(this.parseTree);
    return foldTokens(header, options.policy);
  }
}

/** Stores a parse tree in `kwds` with its text and its defects (what most classes' `parse` does); returns it. */
function takeTree<T extends TokenList>(kwds: HeaderParseResult, tree: T): T {
  kwds.parseTree = tree;
  kwds.decoded = tree.toString();
  kwds.defects.push(...tree.allDefects);
  return tree;
}

/** Python's `UnstructuredHeader`: any text, encoded words decoded. */
export class UnstructuredHeader extends BaseHeader {}

/** Python's `UniqueUnstructuredHeader`: at most one (Subject). */
export class UniqueUnstructuredHeader extends UnstructuredHeader {
  static override readonly maxCount: number | null = 1;
}

/** A date value a program gives: a `Date` (written in UTC) or what `parsedateToDatetime` returns. */
export type DateValue = Date | ParsedDate;

/**
 * Python's `DateHeader`: `datetime` is the instant and the offset the text
 * gave (`utcoffset` `null` for `-0000`), or `null` when the value is not a
 * date (an `InvalidDateDefect`). The text of a parsed date is the source;
 * of a given date, `formatDatetime`'s.
 */
export class DateHeader extends BaseHeader {
  static override parse(value: unknown, kwds: HeaderParseResult): void {
    if (!value) {
      kwds.defects.push(new errors.HeaderMissingRequiredValue() as HeaderMissingRequiredValue);
      kwds.datetime = null;
      kwds.decoded = "";
      kwds.parseTree = new parser.TokenList();
      return;
    }
    let dt: ParsedDate;
    if (typeof value === "string") {
      kwds.decoded = value;
      try {
        dt = parsedateToDatetime(value);
      } catch {
        kwds.defects.push(new InvalidDateDefect("Invalid date value or format"));
        kwds.datetime = null;
        kwds.parseTree = new parser.TokenList();
        return;
      }
    } else if (value instanceof Date) dt = { date: value, utcoffset: 0 };
    else dt = value as ParsedDate;
    kwds.datetime = dt;
    kwds.decoded = formatDatetime(dt.date, { utcoffset: dt.utcoffset });
    kwds.parseTree = parser.getUnstructured(kwds.decoded);
  }
  /** The date, or `null` when the value is not one. */
  get datetime(): ParsedDate | null {
    return (this.fields.datetime as ParsedDate | null) ?? null;
  }
}

/** Python's `UniqueDateHeader`: at most one (Date, Orig-Date). */
export class UniqueDateHeader extends DateHeader {
  static override readonly maxCount: number | null = 1;
}

/** What an address header accepts from a program: text, addresses and groups. */
export type AddressValue = string | Address | Group | readonly (Address | Group)[];

/**
 * Python's `AddressHeader`: `groups` (every entry as a `Group`, plain
 * addresses in a group named `null`) and `addresses` (all of them, flat).
 */
export class AddressHeader extends BaseHeader {
  /** Python's `value_parser`: the address list. */
  static valueParser(value: string): TokenList {
    return parser.getAddressList(value)[0];
  }

  static override parse(value: unknown, kwds: HeaderParseResult): void {
    let groups: Group[];
    if (typeof value === "string") {
      const addressList = AddressHeader.valueParser(value) as parser.AddressList;
      kwds.parseTree = addressList;
      groups = addressList.addresses.map(
        (addr) =>
          new Group(
            addr.displayName,
            addr.allMailboxes.map(
              (mb) =>
                new Address({
                  displayName: mb.displayName ?? "",
                  username: mb.localPart ?? "",
                  domain: mb.domain ?? "",
                }),
            ),
          ),
      );
      kwds.defects = [...addressList.allDefects];
    } else {
      const items = (Array.isArray(value) ? value : [value]) as (Address | Group)[];
      groups = items.map((item) => (item instanceof Group ? item : new Group(null, [item])));
      kwds.defects = [];
    }
    kwds.groups = Object.freeze(groups);
    kwds.addresses = Object.freeze(groups.flatMap((g) => g.addresses));
    kwds.decoded = groups.map(String).join(", ");
    if (kwds.parseTree === undefined) kwds.parseTree = AddressHeader.valueParser(kwds.decoded);
  }
  /** The entries, each a `Group`. */
  get groups(): readonly Group[] {
    return this.fields.groups as readonly Group[];
  }
  /** Every address, groups flattened. */
  get addresses(): readonly Address[] {
    return this.fields.addresses as readonly Address[];
  }
}

/** Python's `UniqueAddressHeader`: at most one (To, Cc, From, ...). */
export class UniqueAddressHeader extends AddressHeader {
  static override readonly maxCount: number | null = 1;
}

/** Python's `SingleAddressHeader`: `address`, the one address. */
export class SingleAddressHeader extends AddressHeader {
  /**
   * The header's one address.
   * @throws {ValueError} when there is not exactly one
   */
  get address(): Address {
    if (this.addresses.length !== 1) {
      throw new ValueError(`value of single address header ${this.name} is not a single address`);
    }
    return this.addresses[0]!;
  }
}

/** Python's `UniqueSingleAddressHeader`: at most one (Sender). */
export class UniqueSingleAddressHeader extends SingleAddressHeader {
  static override readonly maxCount: number | null = 1;
}

/** Python's `MIMEVersionHeader`: `version` (`"1.0"`), `major`, `minor`; `null` when not valid. */
export class MIMEVersionHeader extends BaseHeader {
  static override readonly maxCount: number | null = 1;
  static override parse(value: unknown, kwds: HeaderParseResult): void {
    const tree = takeTree(kwds, parser.parseMimeVersion(String(value)));
    kwds.major = tree.minor === null ? null : tree.major;
    kwds.minor = tree.minor;
    kwds.version = tree.minor !== null ? `${kwds.major}.${kwds.minor}` : null;
  }
  /** `"major.minor"`, or `null`. */
  get version(): string | null {
    return this.fields.version as string | null;
  }
  /** The major number, or `null`. */
  get major(): number | null {
    return this.fields.major as number | null;
  }
  /** The minor number, or `null`. */
  get minor(): number | null {
    return this.fields.minor as number | null;
  }
}

/** Python's `ParameterizedMIMEHeader`: `params`, names lower-cased, RFC 2231 decoded. */
export class ParameterizedMIMEHeader extends BaseHeader {
  static override readonly maxCount: number | null = 1;
  /** Python's `value_parser`. */
  static valueParser(_value: string): parser.ParameterizedHeaderValue {
    throw withCode(
      new TypeError("ParameterizedMIMEHeader is abstract: use ContentTypeHeader or ContentDispositionHeader"),
      "ERR_INVALID_ARG_VALUE",
    );
  }
  static override parse(value: unknown, kwds: HeaderParseResult): void {
    const tree = takeTree(
      kwds,
      (this as unknown as typeof ParameterizedMIMEHeader).valueParser(String(value)),
    );
    const params: Record<string, string> = Object.create(null);
    for (const [name, v] of tree.params) params[sanitize(name).toLowerCase()] = sanitize(v);
    kwds.params = Object.freeze(params);
  }
  /** The parameters (read-only), as Python's `MappingProxyType`. */
  get params(): Readonly<Record<string, string>> {
    return this.fields.params as Readonly<Record<string, string>>;
  }
}

/** Python's `ContentTypeHeader`: `contentType`, `maintype`, `subtype` (lower case), `params`. */
export class ContentTypeHeader extends ParameterizedMIMEHeader {
  static override valueParser(value: string): parser.ContentType {
    return parser.parseContentTypeHeader(value);
  }
  /** The main type (`text` when the value is not valid). */
  get maintype(): string {
    return sanitize((this.parseTree as parser.ContentType).maintype);
  }
  /** The subtype (`plain` when the value is not valid). */
  get subtype(): string {
    return sanitize((this.parseTree as parser.ContentType).subtype);
  }
  /** `maintype/subtype`. */
  get contentType(): string {
    return `${this.maintype}/${this.subtype}`;
  }
}

/** Python's `ContentDispositionHeader`: `contentDisposition` (lower case, or `null`), `params`. */
export class ContentDispositionHeader extends ParameterizedMIMEHeader {
  static override valueParser(value: string): parser.ContentDisposition {
    return parser.parseContentDispositionHeader(value);
  }
  /** `inline`, `attachment`, ..., or `null`. */
  get contentDisposition(): string | null {
    const cd = (this.parseTree as parser.ContentDisposition).contentDisposition;
    return cd === null ? null : sanitize(cd);
  }
}

/** Python's `ContentTransferEncodingHeader`: `cte`, lower case (`7bit` when missing). */
export class ContentTransferEncodingHeader extends BaseHeader {
  static override readonly maxCount: number | null = 1;
  static override parse(value: unknown, kwds: HeaderParseResult): void {
    takeTree(kwds, parser.parseContentTransferEncodingHeader(String(value)));
  }
  /** The transfer encoding. */
  get cte(): string {
    return sanitize((this.parseTree as parser.ContentTransferEncoding).cte);
  }
}

/** Python's `MessageIDHeader`: a msg-id, never folded. */
export class MessageIDHeader extends BaseHeader {
  static override readonly maxCount: number | null = 1;
  static override parse(value: unknown, kwds: HeaderParseResult): void {
    takeTree(kwds, parser.parseMessageId(String(value)));
  }
}

/** Python's `_default_header_map`. */
const DEFAULT_HEADER_MAP: Record<string, HeaderClass> = {
  subject: UniqueUnstructuredHeader,
  date: UniqueDateHeader,
  "resent-date": DateHeader,
  "orig-date": UniqueDateHeader,
  sender: UniqueSingleAddressHeader,
  "resent-sender": SingleAddressHeader,
  to: UniqueAddressHeader,
  "resent-to": AddressHeader,
  cc: UniqueAddressHeader,
  "resent-cc": AddressHeader,
  bcc: UniqueAddressHeader,
  "resent-bcc": AddressHeader,
  from: UniqueAddressHeader,
  "resent-from": AddressHeader,
  "reply-to": UniqueAddressHeader,
  "mime-version": MIMEVersionHeader,
  "content-type": ContentTypeHeader,
  "content-disposition": ContentDispositionHeader,
  "content-transfer-encoding": ContentTransferEncodingHeader,
  "message-id": MessageIDHeader,
};

/** Options of `new HeaderRegistry(...)`. */
export interface HeaderRegistryOptions {
  /** The class for names not in the registry. @default UnstructuredHeader */
  defaultClass?: HeaderClass;
  /** Start from Python's default map of names to classes. @default true */
  useDefaultMap?: boolean;
}

/**
 * Python's `HeaderRegistry`: a header factory. `registry.create(name, value)`
 * (Python's `registry(name, value)`) makes the header object of the class
 * mapped to `name` (any case), `UnstructuredHeader` by default.
 */
export class HeaderRegistry {
  /** The map of lower-cased names to classes. */
  readonly registry = new Map<string, HeaderClass>();
  /** The class for names not in the map. */
  readonly defaultClass: HeaderClass;
  /** @param options default class and whether to start from the default map */
  constructor(options: HeaderRegistryOptions = {}) {
    this.defaultClass = options.defaultClass ?? UnstructuredHeader;
    if (options.useDefaultMap ?? true)
      for (const [k, v] of Object.entries(DEFAULT_HEADER_MAP)) this.registry.set(k, v);
  }
  /** Python's `map_to_type`: headers named `name` (any case) use `cls`. */
  mapToType(name: string, cls: HeaderClass): void {
    this.registry.set(name.toLowerCase(), cls);
  }
  /** Python's `registry[name]`: the class for `name`. */
  get(name: string): HeaderClass {
    return this.registry.get(name.toLowerCase()) ?? this.defaultClass;
  }
  /** Python's `registry(name, value)`: the header object. */
  create(name: string, value: unknown): BaseHeader {
    return new (this.get(name))(name, value);
  }
}

// The names Python's reprs and messages show, kept through minification.
nameClasses({
  BaseHeader,
  UnstructuredHeader,
  UniqueUnstructuredHeader,
  DateHeader,
  UniqueDateHeader,
  AddressHeader,
  UniqueAddressHeader,
  SingleAddressHeader,
  UniqueSingleAddressHeader,
  MIMEVersionHeader,
  ParameterizedMIMEHeader,
  ContentTypeHeader,
  ContentDispositionHeader,
  ContentTransferEncodingHeader,
  MessageIDHeader,
  Address,
  Group,
  HeaderRegistry,
});
