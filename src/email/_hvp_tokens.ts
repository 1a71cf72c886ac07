/**
 * The parse tree of Python's `email._header_value_parser`: the token
 * classes its `get_*` functions build (internal; see
 * `_header_value_parser.ts`).
 *
 * ```text
 * Token
 *  ├── Terminal            a run of text (Python's str subclass): ValueTerminal,
 *  │                       WhiteSpaceTerminal (value " "), EWWhiteSpaceTerminal (value "")
 *  └── TokenList           a list of tokens: Phrase, Word, Atom, QuotedString, Comment,
 *                          AddressList, Address, Mailbox, NameAddr, AngleAddr, AddrSpec,
 *                          Group, ContentType, MimeParameters, Parameter, MsgID, ...
 * ```
 *
 * Every token has Python's `token_type` (`tokenType`), `defects`,
 * `allDefects` (its own and its children's), `value` (the semantic value:
 * whitespace collapsed, quoting removed) and `toString()` (Python's
 * `str()`: the canonical RFC form). A Python `TokenList` is a list; here its
 * items are `parts`.
 *
 * @module
 */
import { hasSurrogates } from "./_bytes.js";
import type { EwDefect } from "./_encoded_words.js";
import { InvalidHeaderDefect, NonPrintableDefect as NonPrintable, UndecodableBytesDefect } from "./errors.js";

/** A defect in a parse tree (Python also records `CharsetError` there). */
export type Defect = EwDefect;

/** Python's `WSP`. */
export const WSP = " \t";
/** Python's `CFWS_LEADER`. */
export const CFWS_LEADER = " \t(";
/** Python's `SPECIALS`. */
export const SPECIALS = '()<>@,:;."[]\\';
/** Python's `ATOM_ENDS`. */
export const ATOM_ENDS = SPECIALS + WSP;
/** Python's `DOT_ATOM_ENDS`. */
export const DOT_ATOM_ENDS = ATOM_ENDS.replace(".", "");
/** Python's `PHRASE_ENDS`. */
export const PHRASE_ENDS = SPECIALS.replace(".", "").replace('"', "").replace("(", "");
/** Python's `TSPECIALS`. */
export const TSPECIALS = `${SPECIALS.replace(".", "")}/?=`;
/** Python's `TOKEN_ENDS`. */
export const TOKEN_ENDS = TSPECIALS + WSP;
/** Python's `ASPECIALS`. */
export const ASPECIALS = `${TSPECIALS}*'%`;
/** Python's `ATTRIBUTE_ENDS`. */
export const ATTRIBUTE_ENDS = ASPECIALS + WSP;
/** Python's `EXTENDED_ATTRIBUTE_ENDS`. */
export const EXTENDED_ATTRIBUTE_ENDS = ATTRIBUTE_ENDS.replace("%", "");

/** True when some character of `text` is in `set`. */
export function anyIn(text: string, set: string): boolean {
  for (const c of text) if (set.includes(c)) return true;
  return false;
}

/** Python's `quote_string`: `"value"` with `\` and `"` escaped. */
export function quoteString(value: string): string {
  return `"${value.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`;
}

/** The base of every token. */
export abstract class Token {
  /** Python's `token_type`: the RFC grammar rule the token stands for. */
  declare tokenType: string;
  /** The defects found in this token (not its children). */
  declare defects: Defect[];
  /** A fixed answer for {@link asEwAllowed} (`null`: the default rule of the class). */
  declare ewFixed: boolean | null;
  /** May the folder join this token's encoded word with the one before. */
  declare ewCombineAllowed: boolean;
  /** May the folder break a line before this token. */
  declare syntacticBreak: boolean;
  constructor(tokenType: string) {
    // Plain assignments, not class fields: a parse makes a token per word, and defining
    // fields (ES2022 semantics) costs several times more on V8.
    this.tokenType = tokenType;
    this.defects = [];
    this.ewFixed = null;
    this.ewCombineAllowed = true;
    this.syntacticBreak = true;
  }
  /** Python's `str(token)`: the canonical form. */
  abstract toString(): string;
  /** The semantic value. */
  abstract get value(): string;
  /** This token's defects and its children's, in tree order. */
  abstract get allDefects(): Defect[];
  /** Does the token start with folding white space. */
  abstract startswithFws(): boolean;
  /** The comments inside the token. */
  abstract get comments(): string[];
  /** May the folder write this token as an encoded word. */
  get asEwAllowed(): boolean {
    return this.ewFixed ?? true;
  }
}

/** Python's `Terminal`: a run of text. */
export class Terminal extends Token {
  /** The text. */
  declare readonly text: string;
  constructor(text: string, tokenType: string) {
    super(tokenType);
    this.text = text;
  }
  toString(): string {
    return this.text;
  }
  get value(): string {
    return this.text;
  }
  get allDefects(): Defect[] {
    return [...this.defects];
  }
  startswithFws(): boolean {
    return false;
  }
  get comments(): string[] {
    return [];
  }
}

/** Python's `ValueTerminal`: text whose value is itself. */
export class ValueTerminal extends Terminal {}

/** Python's `WhiteSpaceTerminal`: white space, whose value is one space. */
export class WhiteSpaceTerminal extends Terminal {
  override get value(): string {
    return " ";
  }
  override startswithFws(): boolean {
    return true;
  }
}

/** Python's `EWWhiteSpaceTerminal`: white space between encoded words, which disappears. */
export class EWWhiteSpaceTerminal extends WhiteSpaceTerminal {
  override get value(): string {
    return "";
  }
  override toString(): string {
    return "";
  }
}

/** Python's `TokenList`: a list of tokens. */
export class TokenList extends Token {
  /** The child tokens (Python's list items). */
  declare parts: Token[];
  constructor(parts: Token[] = [], tokenType = "token-list") {
    super(tokenType);
    this.parts = parts;
  }
  /** The number of children. */
  get length(): number {
    return this.parts.length;
  }
  /** The child at `i` (negative counts from the end). */
  at(i: number): Token | undefined {
    return this.parts.at(i);
  }
  toString(): string {
    let s = "";
    for (const p of this.parts) s += p.toString();
    return s;
  }
  get value(): string {
    let s = "";
    for (const p of this.parts) s += p.value;
    return s;
  }
  get allDefects(): Defect[] {
    const out: Defect[] = [];
    collectDefects(this, out);
    return out;
  }
  startswithFws(): boolean {
    return this.parts.length > 0 && this.parts[0]!.startswithFws();
  }
  override get asEwAllowed(): boolean {
    return this.ewFixed ?? this.parts.every((p) => p.asEwAllowed);
  }
  get comments(): string[] {
    return this.parts.flatMap((p) => p.comments);
  }
}

/** Appends the defects of `tok` and its subtree to `out` without making a list per node. */
function collectDefects(tok: Token, out: Defect[]): void {
  out.push(...tok.defects);
  if (tok instanceof TokenList) for (const p of tok.parts) collectDefects(p, out);
}

/** A token list whose `asEwAllowed` is fixed, not its children's. */
class FixedEwList extends TokenList {
  constructor(parts: Token[], tokenType: string, ew: boolean) {
    super(parts, tokenType);
    this.ewFixed = ew;
  }
}

/** Python's `WhiteSpaceTokenList`: value one space. */
export class WhiteSpaceTokenList extends TokenList {
  override get value(): string {
    return " ";
  }
  override get comments(): string[] {
    return this.parts.filter((p): p is Comment => p instanceof Comment).map((c) => c.content);
  }
}

/** Python's `CFWSList`. */
export class CFWSList extends WhiteSpaceTokenList {
  constructor(parts: Token[] = []) {
    super(parts, "cfws");
  }
}

/** Python's `Comment`: `(...)`, its text escaped. */
export class Comment extends WhiteSpaceTokenList {
  constructor() {
    super([], "comment");
  }
  override toString(): string {
    let s = "(";
    for (const p of this.parts) {
      s +=
        p.tokenType === "comment"
          ? p.toString()
          : p.toString().replaceAll("\\", "\\\\").replaceAll("(", "\\(").replaceAll(")", "\\)");
    }
    return `${s})`;
  }
  /** The text between the parentheses. */
  get content(): string {
    return this.parts.map((p) => p.toString()).join("");
  }
  override get comments(): string[] {
    return [this.content];
  }
}

/** Python's `EncodedWord`. */
export class EncodedWord extends TokenList {
  /** The source text of the word. */
  cte: string | null = null;
  /** Its charset. */
  charset: string | null = null;
  /** Its RFC 2231 language. */
  lang: string | null = null;
  constructor() {
    super([], "encoded-word");
  }
}

/** Python's `QuotedString`: `[CFWS] "..." [CFWS]`. */
export class QuotedString extends TokenList {
  constructor(parts: Token[] = [], tokenType = "quoted-string") {
    super(parts, tokenType);
  }
  /** The text between the quotes. */
  get content(): string | undefined {
    for (const x of this.parts) if (x.tokenType === "bare-quoted-string") return x.value;
    return undefined;
  }
  /** The value with the quoted part kept quoted. */
  get quotedValue(): string {
    return this.parts.map((x) => (x.tokenType === "bare-quoted-string" ? x.toString() : x.value)).join("");
  }
  /** The text between the quotes. */
  get strippedValue(): string | undefined {
    return this.content;
  }
}

/** Python's `BareQuotedString`: `"..."` alone. */
export class BareQuotedString extends QuotedString {
  constructor() {
    super([], "bare-quoted-string");
  }
  override toString(): string {
    return quoteString(this.parts.map((p) => p.toString()).join(""));
  }
  override get value(): string {
    return this.parts.map((p) => p.toString()).join("");
  }
}

/** Python's `AddressList`. */
export class AddressList extends TokenList {
  constructor() {
    super([], "address-list");
  }
  /** The addresses (mailboxes or groups). */
  get addresses(): Address[] {
    return this.parts.filter((p): p is Address => p.tokenType === "address");
  }
  /** The valid mailboxes. */
  get mailboxes(): Mailbox[] {
    return this.addresses.flatMap((a) => a.mailboxes);
  }
  /** The mailboxes, invalid ones included. */
  get allMailboxes(): Mailbox[] {
    return this.addresses.flatMap((a) => a.allMailboxes);
  }
}

/** Python's `Address`: a mailbox or a group. */
export class Address extends TokenList {
  constructor(parts: Token[] = []) {
    super(parts, "address");
  }
  /** The group's display name (a mailbox has none here). */
  get displayName(): string | null {
    const first = this.parts[0]!;
    return first.tokenType === "group" ? (first as Group).displayName : null;
  }
  get mailboxes(): Mailbox[] {
    const first = this.parts[0]!;
    if (first.tokenType === "mailbox") return [first as Mailbox];
    if (first.tokenType === "invalid-mailbox") return [];
    return (first as Group).mailboxes;
  }
  get allMailboxes(): Mailbox[] {
    const first = this.parts[0]!;
    if (first.tokenType === "mailbox" || first.tokenType === "invalid-mailbox") return [first as Mailbox];
    return (first as Group).allMailboxes;
  }
}

/** Python's `MailboxList`. */
export class MailboxList extends TokenList {
  constructor() {
    super([], "mailbox-list");
  }
  get mailboxes(): Mailbox[] {
    return this.parts.filter((p): p is Mailbox => p.tokenType === "mailbox");
  }
  get allMailboxes(): Mailbox[] {
    return this.parts.filter(
      (p): p is Mailbox => p.tokenType === "mailbox" || p.tokenType === "invalid-mailbox",
    );
  }
}

/** Python's `GroupList`. */
export class GroupList extends TokenList {
  constructor() {
    super([], "group-list");
  }
  get mailboxes(): Mailbox[] {
    const first = this.parts[0];
    return first?.tokenType === "mailbox-list" ? (first as MailboxList).mailboxes : [];
  }
  get allMailboxes(): Mailbox[] {
    const first = this.parts[0];
    return first?.tokenType === "mailbox-list" ? (first as MailboxList).allMailboxes : [];
  }
}

/** Python's `Group`: `display-name ":" [group-list] ";"`. */
export class Group extends TokenList {
  constructor() {
    super([], "group");
  }
  get mailboxes(): Mailbox[] {
    const list = this.parts[2];
    return list?.tokenType === "group-list" ? (list as GroupList).mailboxes : [];
  }
  get allMailboxes(): Mailbox[] {
    const list = this.parts[2];
    return list?.tokenType === "group-list" ? (list as GroupList).allMailboxes : [];
  }
  get displayName(): string {
    return (this.parts[0] as DisplayName).displayName;
  }
}

/** What a mailbox-like token answers (Python's duck typing over NameAddr, AngleAddr, AddrSpec). */
interface AddrLike {
  readonly localPart: string | null;
  readonly domain: string | null;
  readonly route: string[] | null;
  readonly addrSpec: string | null;
}

/** Python's `NameAddr`: `[display-name] angle-addr`. */
export class NameAddr extends TokenList implements AddrLike {
  constructor() {
    super([], "name-addr");
  }
  get displayName(): string | null {
    return this.parts.length === 1 ? null : (this.parts[0] as DisplayName).displayName;
  }
  get localPart(): string | null {
    return (this.parts.at(-1) as AngleAddr).localPart;
  }
  get domain(): string | null {
    return (this.parts.at(-1) as AngleAddr).domain;
  }
  get route(): string[] | null {
    return (this.parts.at(-1) as AngleAddr).route;
  }
  get addrSpec(): string | null {
    return (this.parts.at(-1) as AngleAddr).addrSpec;
  }
}

/** Python's `AngleAddr`: `<addr-spec>`. */
export class AngleAddr extends TokenList implements AddrLike {
  constructor() {
    super([], "angle-addr");
  }
  #spec(): AddrSpec | undefined {
    return this.parts.find((p): p is AddrSpec => p.tokenType === "addr-spec");
  }
  get localPart(): string | null {
    return this.#spec()?.localPart ?? null;
  }
  get domain(): string | null {
    return this.#spec()?.domain ?? null;
  }
  get route(): string[] | null {
    const r = this.parts.find((p) => p.tokenType === "obs-route") as ObsRoute | undefined;
    return r ? r.domains : null;
  }
  get addrSpec(): string {
    const x = this.#spec();
    if (x === undefined) return "<>";
    return x.localPart ? x.addrSpec : quoteString(x.localPart ?? "") + x.addrSpec;
  }
}

/** Python's `ObsRoute`: `@a,@b:` before an address. */
export class ObsRoute extends TokenList {
  constructor() {
    super([], "obs-route");
  }
  get domains(): string[] {
    return this.parts.filter((p): p is Domain => p.tokenType === "domain").map((d) => d.domain);
  }
}

/** Python's `Mailbox` (also `invalid-mailbox` after recovery). */
export class Mailbox extends TokenList implements AddrLike {
  constructor(parts: Token[] = [], tokenType = "mailbox") {
    super(parts, tokenType);
  }
  #first(): AddrLike & Token {
    return this.parts[0] as AddrLike & Token;
  }
  get displayName(): string | null {
    const f = this.parts[0];
    return f?.tokenType === "name-addr" ? (f as NameAddr).displayName : null;
  }
  get localPart(): string | null {
    return this.#first()?.localPart ?? null;
  }
  get domain(): string | null {
    return this.#first()?.domain ?? null;
  }
  get route(): string[] | null {
    const f = this.parts[0];
    return f?.tokenType === "name-addr" ? (f as NameAddr).route : null;
  }
  get addrSpec(): string | null {
    return this.#first()?.addrSpec ?? null;
  }
}

/** Python's `InvalidMailbox`: text that is not a mailbox; its fields are null. */
export class InvalidMailbox extends Mailbox {
  constructor() {
    super([], "invalid-mailbox");
  }
  override get displayName(): null {
    return null;
  }
  override get localPart(): null {
    return null;
  }
  override get domain(): null {
    return null;
  }
  override get route(): null {
    return null;
  }
  override get addrSpec(): null {
    return null;
  }
}

/** Python's `Domain`. */
export class Domain extends FixedEwList {
  constructor() {
    super([], "domain", false);
  }
  /** The domain with white space removed. */
  get domain(): string {
    return pySplit(super.value).join("");
  }
}

/** Python's `DotAtom`. */
export class DotAtom extends TokenList {
  constructor() {
    super([], "dot-atom");
  }
}

/** Python's `DotAtomText`. */
export class DotAtomText extends FixedEwList {
  constructor() {
    super([], "dot-atom-text", true);
  }
}

/** Python's `NoFoldLiteral`. */
export class NoFoldLiteral extends FixedEwList {
  constructor() {
    super([], "no-fold-literal", false);
  }
}

/** Python's `AddrSpec`: `local-part "@" domain`. */
export class AddrSpec extends FixedEwList {
  constructor() {
    super([], "addr-spec", false);
  }
  get localPart(): string {
    return (this.parts[0] as LocalPart).localPart;
  }
  get domain(): string | null {
    if (this.parts.length < 3) return null;
    return (this.parts.at(-1) as Domain).domain;
  }
  override get value(): string {
    if (this.parts.length < 3) return this.parts[0]!.value;
    return pyRstrip(this.parts[0]!.value) + this.parts[1]!.value + pyLstrip(this.parts[2]!.value);
  }
  get addrSpec(): string {
    const lp = anyIn(this.localPart, DOT_ATOM_ENDS) ? quoteString(this.localPart) : this.localPart;
    const domain = this.domain;
    return domain !== null ? `${lp}@${domain}` : lp;
  }
}

/** Python's `ObsLocalPart`. */
export class ObsLocalPart extends FixedEwList {
  constructor() {
    super([], "obs-local-part", false);
  }
}

/** Python's `Phrase`. */
export class Phrase extends TokenList {
  constructor(parts: Token[] = [], tokenType = "phrase") {
    super(parts, tokenType);
  }
}

/** Python's `DisplayName`: a phrase whose value is quoted when it needs to be. */
export class DisplayName extends Phrase {
  constructor() {
    super([], "display-name");
    this.ewCombineAllowed = false;
  }
  /** The name with surrounding comments and white space removed. */
  get displayName(): string {
    const res = [...this.parts];
    if (res.length === 0) return "";
    if (res[0]!.tokenType === "cfws") res.shift();
    else {
      const first = res[0] as TokenList;
      if (first.parts[0]?.tokenType === "cfws") res[0] = new TokenList(first.parts.slice(1));
    }
    if (res.length > 0) {
      if (res.at(-1)!.tokenType === "cfws") res.pop();
      else {
        const last = res.at(-1) as TokenList;
        if (last.parts.at(-1)?.tokenType === "cfws")
          res[res.length - 1] = new TokenList(last.parts.slice(0, -1));
      }
    }
    return new TokenList(res).value;
  }
  override get value(): string {
    const quote = this.defects.length > 0 || this.parts.some((x) => x.tokenType === "quoted-string");
    if (this.parts.length !== 0 && quote) {
      const first = this.parts[0]!;
      const last = this.parts.at(-1)!;
      const pre =
        first.tokenType === "cfws" || (first as TokenList).parts?.[0]?.tokenType === "cfws" ? " " : "";
      const post =
        last.tokenType === "cfws" || (last as TokenList).parts?.at(-1)?.tokenType === "cfws" ? " " : "";
      return pre + quoteString(this.displayName) + post;
    }
    return super.value;
  }
}

/** Python's `LocalPart`. */
export class LocalPart extends FixedEwList {
  constructor() {
    super([], "local-part", false);
  }
  override get value(): string {
    const first = this.parts[0]!;
    return first.tokenType === "quoted-string" ? (first as QuotedString).quotedValue : first.value;
  }
  /** The local part with the white space around its dots removed. */
  get localPart(): string {
    const res: Token[] = [DOT];
    let last: Token = DOT;
    let lastIsTl = false;
    for (const tok of [...(this.parts[0] as TokenList).parts, DOT]) {
      if (tok.tokenType === "cfws") continue;
      if (lastIsTl && tok.tokenType === "dot" && (last as TokenList).parts.at(-1)?.tokenType === "cfws") {
        res[res.length - 1] = new TokenList((last as TokenList).parts.slice(0, -1));
      }
      const isTl = tok instanceof TokenList;
      if (isTl && last.tokenType === "dot" && tok.parts[0]?.tokenType === "cfws") {
        res.push(new TokenList(tok.parts.slice(1)));
      } else res.push(tok);
      last = res.at(-1)!;
      lastIsTl = isTl;
    }
    return new TokenList(res.slice(1, -1)).value;
  }
}

/** Python's `DomainLiteral`: `[...]`. */
export class DomainLiteral extends FixedEwList {
  constructor() {
    super([], "domain-literal", false);
  }
  get domain(): string {
    return pySplit(super.value).join("");
  }
  get ip(): string | undefined {
    for (const x of this.parts) if (x.tokenType === "ptext") return x.value;
    return undefined;
  }
}

/** Python's `MIMEVersion`. */
export class MIMEVersion extends TokenList {
  major: number | null = null;
  minor: number | null = null;
  constructor() {
    super([], "mime-version");
  }
}

/** Python's `Parameter`: `attribute [section] ["*"] "=" value`. */
export class Parameter extends TokenList {
  sectioned = false;
  extended = false;
  charset = "us-ascii";
  lang: string | null = null;
  constructor(tokenType = "parameter") {
    super([], tokenType);
  }
  get sectionNumber(): number {
    return this.sectioned ? ((this.parts[1] as Section).number ?? 0) : 0;
  }
  get paramValue(): string {
    for (const token of this.parts) {
      if (token.tokenType === "value") return (token as Value).strippedValue;
      if (token.tokenType === "quoted-string") {
        for (const t of (token as TokenList).parts) {
          if (t.tokenType === "bare-quoted-string") {
            for (const u of (t as TokenList).parts) {
              if (u.tokenType === "value") return (u as Value).strippedValue;
            }
          }
        }
      }
    }
    return "";
  }
}

/** Python's `InvalidParameter`. */
export class InvalidParameter extends Parameter {
  constructor() {
    super("invalid-parameter");
  }
}

/** Python's `Attribute`. */
export class Attribute extends TokenList {
  constructor() {
    super([], "attribute");
  }
  get strippedValue(): string | undefined {
    for (const t of this.parts) if (t.tokenType.endsWith("attrtext")) return t.value;
    return undefined;
  }
}

/** Python's `Section`: `*N`. */
export class Section extends TokenList {
  number: number | null = null;
  constructor() {
    super([], "section");
  }
}

/** Python's `Value`. */
export class Value extends TokenList {
  constructor() {
    super([], "value");
  }
  get strippedValue(): string {
    let token = this.parts[0]!;
    if (token.tokenType === "cfws") token = this.parts[1]!;
    if (
      token.tokenType.endsWith("quoted-string") ||
      token.tokenType.endsWith("attribute") ||
      token.tokenType.endsWith("extended-attribute")
    ) {
      return (token as QuotedString | Attribute).strippedValue ?? "";
    }
    return this.value;
  }
}

/** Python's `MimeParameters`: the `; name=value` list, decoded with RFC 2231. */
export class MimeParameters extends TokenList {
  constructor() {
    super([], "mime-parameters");
    this.syntacticBreak = false;
  }
  /** The decoded parameters, in order: RFC 2231 sections joined and decoded. */
  get params(): [string, string][] {
    return decodeParams(this);
  }
  override toString(): string {
    const params = this.params.map(([n, v]) => (v ? `${n}=${quoteString(v)}` : n)).join("; ");
    return params ? ` ${params}` : "";
  }
}

/** Set by the parser module: the RFC 2231 decoding of {@link MimeParameters.params}. */
let decodeParams: (p: MimeParameters) => [string, string][] = () => [];
/** @internal */
export function setParamDecoder(fn: (p: MimeParameters) => [string, string][]): void {
  decodeParams = fn;
}

/** Python's `ParameterizedHeaderValue`. */
export class ParameterizedHeaderValue extends FixedEwList {
  constructor(tokenType: string) {
    super([], tokenType, false);
    this.syntacticBreak = false;
  }
  get params(): [string, string][] {
    for (let i = this.parts.length - 1; i >= 0; i--) {
      const t = this.parts[i]!;
      if (t.tokenType === "mime-parameters") return (t as MimeParameters).params;
    }
    return [];
  }
}

/** Python's `ContentType`. */
export class ContentType extends ParameterizedHeaderValue {
  maintype = "text";
  subtype = "plain";
  constructor() {
    super("content-type");
  }
}

/** Python's `ContentDisposition`. */
export class ContentDisposition extends ParameterizedHeaderValue {
  contentDisposition: string | null = null;
  constructor() {
    super("content-disposition");
  }
}

/** Python's `ContentTransferEncoding`. */
export class ContentTransferEncoding extends FixedEwList {
  cte = "7bit";
  constructor() {
    super([], "content-transfer-encoding", false);
  }
}

/** Python's `HeaderLabel`: `Name:`. */
export class HeaderLabel extends FixedEwList {
  constructor(parts: Token[]) {
    super(parts, "header-label", false);
  }
}

/** Python's `MsgID`: never folded. */
export class MsgID extends FixedEwList {
  constructor(parts: Token[] = [], tokenType = "msg-id") {
    super(parts, tokenType, false);
  }
}

/** Python's `MessageID`. */
export class MessageID extends MsgID {
  constructor(parts: Token[] = [], tokenType = "message-id") {
    super(parts, tokenType);
  }
}

/** Python's `InvalidMessageID`. */
export class InvalidMessageID extends MessageID {
  constructor(parts: Token[]) {
    super(parts, "invalid-message-id");
  }
}

/** Python's `DOT`. */
export const DOT = new ValueTerminal(".", "dot");
/** Python's `ListSeparator`. */
export const ListSeparator = new ValueTerminal(",", "list-separator");
ListSeparator.ewFixed = false;
ListSeparator.syntacticBreak = false;
/** Python's `RouteComponentMarker`. */
export const RouteComponentMarker = new ValueTerminal("@", "route-component-marker");

// biome-ignore lint/suspicious/noControlCharactersInRegex: Python's character class
const NON_PRINTABLE = /[\x00-\x20\x7f]/g;

/** Python's `_validate_xtext`: records non-printables and escaped bytes on the terminal. */
export function validateXtext(xtext: Terminal): void {
  const found = xtext.text.match(NON_PRINTABLE);
  if (found) xtext.defects.push(new NonPrintable(found));
  if (hasSurrogates(xtext.text)) {
    xtext.defects.push(new UndecodableBytesDefect("Non-ASCII characters found in header token"));
  }
}

/** Python's whitespace, for `str.split()`, `strip()`. */
const PY_WS =
  "\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
const WS_RUN = new RegExp(`[${PY_WS}]+`);
const LEAD = new RegExp(`^[${PY_WS}]+`);
const TRAIL = new RegExp(`[${PY_WS}]+$`);
/** Python's `str.split()` (no argument). */
export const pySplit = (s: string): string[] => s.split(WS_RUN).filter((x) => x !== "");
/** Python's `str.lstrip()`. */
export const pyLstrip = (s: string): string => s.replace(LEAD, "");
/** Python's `str.rstrip()`. */
export const pyRstrip = (s: string): string => s.replace(TRAIL, "");
/** The length of the leading Python white space of `s`. */
export const leadingWsLength = (s: string): number => LEAD.exec(s)?.[0].length ?? 0;

/** A defect the parser records that is always an `InvalidHeaderDefect`. */
export const invalid = (msg: string): InvalidHeaderDefect => new InvalidHeaderDefect(msg);
