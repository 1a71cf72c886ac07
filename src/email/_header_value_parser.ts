/**
 * Python's `email._header_value_parser`: the RFC 5322 / RFC 2045 / RFC 2231
 * parser behind the modern policies' header classes (internal; the public
 * face is `netkit/email/headerregistry`).
 *
 * Each `getX(value)` reads one grammar rule from the start of an unfolded
 * header value and returns `[token, rest]`, or throws `HeaderParseError`
 * when the rule does not start there; the `parseX(value)` functions read a
 * whole value and never throw: what does not follow the grammar is kept as
 * text and recorded as a defect on the token that holds it, as Python's
 * parser does (the same defect classes, at the same places). The tree
 * classes are in `_hvp_tokens.ts`; `str(tree)` is the canonical form,
 * `tree.value` the meaning, and the folder (`_hvp_folder.ts`) writes a tree
 * back as lines.
 *
 * Work is linear in the input (no rule re-reads what it has read, except
 * the bounded retries of Python's grammar), so a 100 KB header parses in
 * milliseconds.
 *
 * @module
 */
import { findCodec } from "../_codecs.js";
import { decodeSurrogateEscape, hasSurrogates } from "./_bytes.js";
import { decode as ewDecode, InvalidEncodedWord } from "./_encoded_words.js";
import {
  Address,
  AddressList,
  AddrSpec,
  AngleAddr,
  ATOM_ENDS,
  ATTRIBUTE_ENDS,
  Attribute,
  BareQuotedString,
  CFWS_LEADER,
  CFWSList,
  Comment,
  ContentDisposition,
  ContentTransferEncoding,
  ContentType,
  DisplayName,
  DOT,
  Domain,
  DomainLiteral,
  DotAtom,
  DotAtomText,
  EncodedWord,
  EWWhiteSpaceTerminal,
  EXTENDED_ATTRIBUTE_ENDS,
  Group,
  GroupList,
  InvalidMailbox,
  InvalidMessageID,
  InvalidParameter,
  invalid,
  ListSeparator,
  LocalPart,
  leadingWsLength,
  Mailbox,
  MailboxList,
  MessageID,
  MIMEVersion,
  MimeParameters,
  MsgID,
  NameAddr,
  NoFoldLiteral,
  ObsLocalPart,
  ObsRoute,
  Parameter,
  PHRASE_ENDS,
  Phrase,
  pySplit,
  QuotedString,
  RouteComponentMarker,
  Section,
  SPECIALS,
  setParamDecoder,
  TOKEN_ENDS,
  type Token,
  TokenList,
  Value,
  ValueTerminal,
  validateXtext,
  WhiteSpaceTerminal,
} from "./_hvp_tokens.js";
import {
  HeaderMissingRequiredValue,
  HeaderParseError,
  InvalidHeaderDefect,
  NonASCIILocalPartDefect,
  ObsoleteHeaderDefect,
  UndecodableBytesDefect,
} from "./errors.js";

export * from "./_hvp_tokens.js";

/** A rule's result: the token read and the text after it. */
type Got<T extends Token = Token> = [T, string];

/** Python's `_InvalidEwError`: text that starts like an encoded word but is not one. */
export class InvalidEwError extends HeaderParseError {}

/**
 * A `HeaderParseError` without a stack trace. The grammar is tried rule by
 * rule and a failed rule throws, as Python's parser does, so one address
 * list throws dozens of times; V8's stack capture made that the parser's
 * main cost (Python's exceptions are cheap). The message says what failed.
 */
function fail(message: string, Class: typeof HeaderParseError = HeaderParseError): HeaderParseError {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return new Class(message);
  } finally {
    Error.stackTraceLimit = limit;
  }
}

const isWsp = (c: string | undefined): boolean => c === " " || c === "\t";
const isIn = (c: string | undefined, set: string): boolean => c !== undefined && set.includes(c);
const HEXDIGITS = "0123456789abcdefABCDEF";
/** Python's `rfc2047_matcher`. */
const RFC2047 = /=\?[^?]*\?[qQbB]\?.*?\?=/m;
const NON_ATOM_END = /^[^()<>@,:;."[\]\\ \t]+/;
const NON_TOKEN_END = /^[^()<>@,:;"[\]\\/?= \t]+/;
const NON_ATTRIBUTE_END = /^[^()<>@,:;"[\]\\/?=*'% \t]+/;
const NON_EXTENDED_ATTRIBUTE_END = /^[^()<>@,:;"[\]\\/?=*' \t]+/;
const DIGIT = /^\p{Nd}$/u;
const DIGITS = /^\p{Nd}+$/u;

/** Python's `int()` of a string of Unicode decimal digits. */
function pyInt(digits: string): number {
  let n = 0;
  for (const c of digits) {
    const cp = c.codePointAt(0)!;
    let d = cp - 0x30;
    if (d < 0 || d > 9) {
      // Every Unicode Nd block is ten code points from a zero whose value is 0.
      d = Number.parseInt(c.normalize("NFKD"), 10);
      if (Number.isNaN(d)) d = 0;
    }
    n = n * 10 + d;
  }
  return n;
}

/** `value` split at its first run of blanks: `[first, rest]` with the rest keeping the blanks (Python's `_wsp_splitter(value, 1)` rejoined). */
function splitAtWsp(value: string): [string, string] {
  const m = /[ \t]/.exec(value);
  return m ? [value.slice(0, m.index), value.slice(m.index)] : [value, ""];
}

/**
 * Python's `_get_ptext_to_endchars`: the text up to one of `endchars` or a
 * blank, quoted pairs unquoted.
 * @returns the text, the rest, and whether a quoted pair was seen
 */
function getPtextToEndchars(value: string, endchars: string): [string, string, boolean] {
  const [fragment, remainder] = splitAtWsp(value);
  let vchars = "";
  let escaped = false;
  let hadQp = false;
  let pos = 0;
  for (; pos < fragment.length; pos++) {
    const c = fragment[pos]!;
    if (c === "\\") {
      if (escaped) {
        escaped = false;
        hadQp = true;
      } else {
        escaped = true;
        continue;
      }
    }
    if (escaped) escaped = false;
    else if (endchars.includes(c)) break;
    vchars += c;
  }
  return [vchars, fragment.slice(pos) + remainder, hadQp];
}

/** Python's `get_fws`: the leading white space (any Python white space after the first blank). */
export function getFws(value: string): Got<WhiteSpaceTerminal> {
  const n = leadingWsLength(value);
  return [new WhiteSpaceTerminal(value.slice(0, n), "fws"), value.slice(n)];
}

/**
 * Python's `get_encoded_word`: one RFC 2047 encoded word.
 * @throws {HeaderParseError} when `value` does not start with one ({@link InvalidEwError} when it looks like one but is not)
 */
export function getEncodedWord(value: string): Got<EncodedWord> {
  const ew = new EncodedWord();
  if (!value.startsWith("=?")) throw fail(`expected encoded word but found ${value}`);
  const body = value.slice(2);
  const end = body.indexOf("?=");
  if (end < 0) throw fail(`expected encoded word but found ${value}`);
  let tok = body.slice(0, end);
  let rest = body.slice(end + 2);
  let remainder = rest;
  // "?=" followed by two hex digits is a q-encoded "=XX" inside the word, not its end.
  if (rest.length > 1 && isIn(rest[0], HEXDIGITS) && isIn(rest[1], HEXDIGITS) && countOf(tok, "?") < 2) {
    const e2 = rest.indexOf("?=");
    if (e2 < 0) {
      tok = `${tok}?=${rest}`;
      remainder = "";
    } else {
      tok = `${tok}?=${rest.slice(0, e2)}`;
      remainder = rest.slice(e2 + 2);
    }
  }
  rest = remainder;
  if (pySplit(tok).length > 1) ew.defects.push(invalid("whitespace inside encoded word"));
  ew.cte = value;
  value = rest;
  let decoded: ReturnType<typeof ewDecode>;
  try {
    decoded = ewDecode(`=?${tok}?=`);
  } catch (e) {
    if (e instanceof InvalidEncodedWord)
      throw fail(`encoded word format invalid: '${ew.cte}'`, InvalidEwError);
    throw e;
  }
  ew.charset = decoded.charset;
  ew.lang = decoded.lang;
  ew.defects.push(...decoded.defects);
  let text = decoded.text;
  while (text) {
    if (isWsp(text[0])) {
      const [t, r] = getFws(text);
      ew.parts.push(t);
      text = r;
      continue;
    }
    const [chars, r] = splitAtWsp(text);
    const vtext = new ValueTerminal(chars, "vtext");
    validateXtext(vtext);
    ew.parts.push(vtext);
    text = r;
  }
  if (value && !isWsp(value[0])) ew.defects.push(invalid("missing trailing whitespace after encoded-word"));
  return [ew, value];
}

function countOf(s: string, c: string): number {
  let n = 0;
  for (let i = s.indexOf(c); i >= 0; i = s.indexOf(c, i + 1)) n++;
  return n;
}

/**
 * Python's `get_unstructured`: the whole value as text and white space,
 * encoded words decoded (RFC 5322 `unstructured` and its obsolete form).
 * Never throws.
 */
export function getUnstructured(value: string): TokenList {
  const unstructured = new TokenList([], "unstructured");
  const parts = unstructured.parts;
  while (value) {
    if (isWsp(value[0])) {
      const [t, r] = getFws(value);
      parts.push(t);
      value = r;
      continue;
    }
    let validEw = true;
    if (value.startsWith("=?")) {
      let got: Got<EncodedWord> | null = null;
      try {
        got = getEncodedWord(value);
      } catch (e) {
        if (e instanceof InvalidEwError) validEw = false;
        else if (!(e instanceof HeaderParseError)) throw e;
      }
      if (got !== null) {
        let haveWs = true;
        if (parts.length > 0 && parts.at(-1)!.tokenType !== "fws") {
          unstructured.defects.push(invalid("missing whitespace before encoded word"));
          haveWs = false;
        }
        if (haveWs && parts.length > 1 && parts.at(-2)!.tokenType === "encoded-word") {
          parts[parts.length - 1] = new EWWhiteSpaceTerminal(
            (parts.at(-1) as WhiteSpaceTerminal).text,
            "fws",
          );
        }
        parts.push(got[0]);
        value = got[1];
        continue;
      }
    }
    let [tok, rest] = splitAtWsp(value);
    if (validEw && RFC2047.test(tok)) {
      const i = value.indexOf("=?");
      tok = value.slice(0, i);
      rest = value.slice(i);
    }
    const vtext = new ValueTerminal(tok, "vtext");
    validateXtext(vtext);
    parts.push(vtext);
    value = rest;
  }
  return unstructured;
}

/** Python's `get_qp_ctext`: comment text. */
export function getQpCtext(value: string): Got<WhiteSpaceTerminal> {
  const [ptext, rest] = getPtextToEndchars(value, "()");
  const t = new WhiteSpaceTerminal(ptext, "ptext");
  validateXtext(t);
  return [t, rest];
}

/** Python's `get_qcontent`: quoted-string text. */
export function getQcontent(value: string): Got<ValueTerminal> {
  const [ptext, rest] = getPtextToEndchars(value, '"');
  const t = new ValueTerminal(ptext, "ptext");
  validateXtext(t);
  return [t, rest];
}

/**
 * Python's `get_atext`.
 * @throws {HeaderParseError} when `value` does not start with atext
 */
export function getAtext(value: string): Got<ValueTerminal> {
  const m = NON_ATOM_END.exec(value);
  if (!m) throw fail(`expected atext but found '${value}'`);
  const t = new ValueTerminal(m[0], "atext");
  validateXtext(t);
  return [t, value.slice(m[0].length)];
}

/**
 * Python's `get_bare_quoted_string`: `"..."`, its text unquoted.
 * @throws {HeaderParseError} when `value` does not start with `"`
 */
export function getBareQuotedString(value: string): Got<BareQuotedString> {
  if (value[0] !== '"') throw fail(`expected '"' but found '${value}'`);
  const bqs = new BareQuotedString();
  const parts = bqs.parts;
  value = value.slice(1);
  if (value && value[0] === '"') {
    const [t, r] = getQcontent(value);
    parts.push(t);
    value = r;
  }
  while (value && value[0] !== '"') {
    let token: Token;
    if (isWsp(value[0])) [token, value] = getFws(value);
    else if (value.startsWith("=?")) {
      let validEw = false;
      try {
        [token, value] = getEncodedWord(value);
        bqs.defects.push(invalid("encoded word inside quoted string"));
        validEw = true;
      } catch (e) {
        if (!(e instanceof HeaderParseError)) throw e;
        [token, value] = getQcontent(value);
      }
      if (validEw && parts.length > 1) {
        if (parts.at(-1)!.tokenType === "fws" && parts.at(-2)!.tokenType === "encoded-word") {
          parts[parts.length - 1] = new EWWhiteSpaceTerminal(
            (parts.at(-1) as WhiteSpaceTerminal).text,
            "fws",
          );
        }
      }
    } else [token, value] = getQcontent(value);
    parts.push(token);
  }
  if (!value) {
    bqs.defects.push(invalid("end of header inside quoted string"));
    return [bqs, value];
  }
  return [bqs, value.slice(1)];
}

/**
 * Python's `get_comment`: `( ... )`, nested comments included. Nesting is
 * followed with an explicit stack, so a deep nest cannot overflow the call
 * stack (Python recurses and fails near a thousand levels).
 * @throws {HeaderParseError} when `value` does not start with `(`
 */
export function getComment(value: string): Got<Comment> {
  if (value && value[0] !== "(") throw fail(`expected '(' but found '${value}'`);
  const root = new Comment();
  const stack: Comment[] = [root];
  value = value.slice(1);
  while (stack.length > 0) {
    const comment = stack.at(-1)!;
    if (!value) {
      // Python records the defect on each unclosed comment, innermost first.
      for (let i = stack.length - 1; i >= 0; i--)
        stack[i]!.defects.push(invalid("end of header inside comment"));
      return [root, value];
    }
    if (value[0] === ")") {
      value = value.slice(1);
      stack.pop();
      continue;
    }
    let token: Token;
    if (isWsp(value[0])) [token, value] = getFws(value);
    else if (value[0] === "(") {
      const inner = new Comment();
      comment.parts.push(inner);
      stack.push(inner);
      value = value.slice(1);
      continue;
    } else [token, value] = getQpCtext(value);
    comment.parts.push(token);
  }
  return [root, value];
}

/** Python's `get_cfws`: comments and folding white space. */
export function getCfws(value: string): Got<CFWSList> {
  const cfws = new CFWSList();
  while (value && isIn(value[0], CFWS_LEADER)) {
    let token: Token;
    if (isWsp(value[0])) [token, value] = getFws(value);
    else [token, value] = getComment(value);
    cfws.parts.push(token);
  }
  return [cfws, value];
}

/** Reads the CFWS at the start of `value`, if any, into `list` (the grammar's `[CFWS]`); returns the rest. */
function optionalCfws(list: TokenList, value: string): string {
  if (!isIn(value[0], CFWS_LEADER)) return value;
  const [cfws, rest] = getCfws(value);
  list.parts.push(cfws);
  return rest;
}

/**
 * Python's `get_quoted_string`: `[CFWS] "..." [CFWS]`.
 * @throws {HeaderParseError} when there is no quoted string
 */
export function getQuotedString(value: string): Got<QuotedString> {
  const qs = new QuotedString();
  let token: Token;
  value = optionalCfws(qs, value);
  [token, value] = getBareQuotedString(value);
  qs.parts.push(token);
  value = optionalCfws(qs, value);
  return [qs, value];
}

/** Tries `first`, then `second` when `first` throws `HeaderParseError`. */
function either<T>(first: () => T, second: () => T): T {
  try {
    return first();
  } catch (e) {
    if (!(e instanceof HeaderParseError)) throw e;
    return second();
  }
}

/**
 * Python's `get_atom`: `[CFWS] 1*atext [CFWS]`, or an encoded word.
 * @throws {HeaderParseError} when there is no atom
 */
export function getAtom(value: string): Got<TokenList> {
  const atom = new TokenList([], "atom");
  let token: Token;
  value = optionalCfws(atom, value);
  if (value && isIn(value[0], ATOM_ENDS)) throw fail(`expected atom but found '${value}'`);
  const v = value;
  if (v.startsWith("=?"))
    [token, value] = either<Got>(
      () => getEncodedWord(v),
      () => getAtext(v),
    );
  else [token, value] = getAtext(v);
  atom.parts.push(token);
  value = optionalCfws(atom, value);
  return [atom, value];
}

/**
 * Python's `get_dot_atom_text`: `1*atext *("." 1*atext)`.
 * @throws {HeaderParseError} when there is none, or it ends with a dot
 */
export function getDotAtomText(value: string): Got<DotAtomText> {
  const dat = new DotAtomText();
  if (!value || isIn(value[0], ATOM_ENDS)) {
    throw fail(`expected atom at a start of dot-atom-text but found '${value}'`);
  }
  while (value && !isIn(value[0], ATOM_ENDS)) {
    const [t, r] = getAtext(value);
    dat.parts.push(t);
    value = r;
    if (value && value[0] === ".") {
      dat.parts.push(DOT);
      value = value.slice(1);
    }
  }
  if (dat.parts.at(-1) === DOT) {
    throw fail(`expected atom at end of dot-atom-text but found '.${value}'`);
  }
  return [dat, value];
}

/**
 * Python's `get_dot_atom`: `[CFWS] dot-atom-text [CFWS]`, or an encoded word.
 * @throws {HeaderParseError} when there is none
 */
export function getDotAtom(value: string): Got<DotAtom> {
  const da = new DotAtom();
  let token: Token;
  value = optionalCfws(da, value);
  const v = value;
  if (v.startsWith("=?"))
    [token, value] = either<Got>(
      () => getEncodedWord(v),
      () => getDotAtomText(v),
    );
  else [token, value] = getDotAtomText(v);
  da.parts.push(token);
  value = optionalCfws(da, value);
  return [da, value];
}

/**
 * Python's `get_word`: an atom or a quoted string, leading CFWS spliced in.
 * @throws {HeaderParseError} when there is neither
 */
export function getWord(value: string): Got<TokenList> {
  let leader: CFWSList | null = null;
  if (isIn(value[0], CFWS_LEADER)) [leader, value] = getCfws(value);
  if (!value) throw fail("Expected 'atom' or 'quoted-string' but found nothing.");
  let token: TokenList;
  if (value[0] === '"') [token, value] = getQuotedString(value);
  else if (isIn(value[0], SPECIALS)) {
    throw fail(`Expected 'atom' or 'quoted-string' but found '${value}'`);
  } else [token, value] = getAtom(value);
  if (leader !== null) token.parts.unshift(leader);
  return [token, value];
}

/** Python's `get_phrase`: words, and in the obsolete form dots and comments. Never throws on a bad start (records a defect). */
export function getPhrase(value: string): Got<Phrase> {
  const phrase = new Phrase();
  try {
    const [t, r] = getWord(value);
    phrase.parts.push(t);
    value = r;
  } catch (e) {
    if (!(e instanceof HeaderParseError)) throw e;
    phrase.defects.push(invalid("phrase does not start with word"));
  }
  while (value && !isIn(value[0], PHRASE_ENDS)) {
    if (value[0] === ".") {
      phrase.parts.push(DOT);
      phrase.defects.push(new ObsoleteHeaderDefect("period in 'phrase'"));
      value = value.slice(1);
    } else {
      let token: Token;
      try {
        [token, value] = getWord(value);
      } catch (e) {
        if (!(e instanceof HeaderParseError)) throw e;
        if (!isIn(value[0], CFWS_LEADER)) throw e;
        [token, value] = getCfws(value);
        phrase.defects.push(new ObsoleteHeaderDefect("comment found without atom"));
      }
      phrase.parts.push(token);
    }
  }
  return [phrase, value];
}

/**
 * Python's `get_local_part`: dot-atom, quoted string or obsolete local part.
 * @throws {HeaderParseError} when there is none
 */
export function getLocalPart(value: string): Got<LocalPart> {
  const lp = new LocalPart();
  let leader: CFWSList | null = null;
  if (isIn(value[0], CFWS_LEADER)) [leader, value] = getCfws(value);
  if (!value) throw fail(`expected local-part but found '${value}'`);
  let token: TokenList;
  const v = value;
  try {
    [token, value] = getDotAtom(v);
  } catch (e) {
    if (!(e instanceof HeaderParseError)) throw e;
    try {
      [token, value] = getWord(v);
    } catch (e2) {
      if (!(e2 instanceof HeaderParseError)) throw e2;
      if (v[0] !== "\\" && isIn(v[0], PHRASE_ENDS)) throw e2;
      token = new TokenList();
      value = v;
    }
  }
  if (leader !== null) token.parts.unshift(leader);
  lp.parts.push(token);
  if (value && (value[0] === "\\" || !isIn(value[0], PHRASE_ENDS))) {
    const [obs, r] = getObsLocalPart(lp.toString() + value);
    value = r;
    if (obs.tokenType === "invalid-obs-local-part") {
      lp.defects.push(invalid("local-part is not dot-atom, quoted-string, or obs-local-part"));
    } else {
      lp.defects.push(new ObsoleteHeaderDefect("local-part is not a dot-atom (contains CFWS)"));
    }
    lp.parts[0] = obs;
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ASCII is what the check is about
  if (/[^\x00-\x7f]/.test(lp.value)) {
    lp.defects.push(new NonASCIILocalPartDefect("local-part contains non-ASCII characters)"));
  }
  return [lp, value];
}

/** Python's `get_obs_local_part`: `word *("." word)`, with defects for what even that lacks. */
export function getObsLocalPart(value: string): Got<ObsLocalPart> {
  const obs = new ObsLocalPart();
  const parts = obs.parts;
  let lastNonWsWasDot = false;
  while (value && (value[0] === "\\" || !isIn(value[0], PHRASE_ENDS))) {
    if (value[0] === ".") {
      if (lastNonWsWasDot) obs.defects.push(invalid("invalid repeated '.'"));
      parts.push(DOT);
      lastNonWsWasDot = true;
      value = value.slice(1);
      continue;
    }
    if (value[0] === "\\") {
      parts.push(new ValueTerminal(value[0], "misplaced-special"));
      value = value.slice(1);
      obs.defects.push(invalid("'\\' character outside of quoted-string/ccontent"));
      lastNonWsWasDot = false;
      continue;
    }
    if (parts.length > 0 && parts.at(-1)!.tokenType !== "dot")
      obs.defects.push(invalid("missing '.' between words"));
    let token: Token;
    try {
      [token, value] = getWord(value);
      lastNonWsWasDot = false;
    } catch (e) {
      if (!(e instanceof HeaderParseError)) throw e;
      if (!isIn(value[0], CFWS_LEADER)) throw e;
      [token, value] = getCfws(value);
    }
    parts.push(token);
  }
  // Python indexes [0] and [1] here: an empty result is an IndexError there, a HeaderParseError here.
  if (parts.length === 0) throw fail(`expected obs-local-part but found '${value}'`);
  if (parts[0]!.tokenType === "dot" || (parts[0]!.tokenType === "cfws" && parts[1]?.tokenType === "dot")) {
    obs.defects.push(invalid("Invalid leading '.' in local part"));
  }
  if (
    parts.at(-1)!.tokenType === "dot" ||
    (parts.at(-1)!.tokenType === "cfws" && parts.at(-2)?.tokenType === "dot")
  ) {
    obs.defects.push(invalid("Invalid trailing '.' in local part"));
  }
  if (obs.defects.length > 0) obs.tokenType = "invalid-obs-local-part";
  return [obs, value];
}

/** Python's `get_dtext`: domain-literal text. */
export function getDtext(value: string): Got<ValueTerminal> {
  const [ptext, rest, hadQp] = getPtextToEndchars(value, "[]");
  const t = new ValueTerminal(ptext, "ptext");
  if (hadQp) t.defects.push(new ObsoleteHeaderDefect("quoted printable found in domain-literal"));
  validateXtext(t);
  return [t, rest];
}

function checkForEarlyDlEnd(value: string, dl: DomainLiteral): boolean {
  if (value) return false;
  // Python appends the defect to the token list itself (not to .defects); it shows in str() as nothing.
  dl.defects.push(invalid("end of input inside domain-literal"));
  dl.parts.push(new ValueTerminal("]", "domain-literal-end"));
  return true;
}

/**
 * Python's `get_domain_literal`: `[CFWS] "[" dtext "]" [CFWS]`.
 * @throws {HeaderParseError} when there is none
 */
export function getDomainLiteral(value: string): Got<DomainLiteral> {
  const dl = new DomainLiteral();
  let token: Token;
  value = optionalCfws(dl, value);
  if (!value) throw fail("expected domain-literal");
  if (value[0] !== "[") throw fail(`expected '[' at start of domain-literal but found '${value}'`);
  value = value.slice(1);
  if (checkForEarlyDlEnd(value, dl)) return [dl, value];
  dl.parts.push(new ValueTerminal("[", "domain-literal-start"));
  if (isWsp(value[0])) {
    [token, value] = getFws(value);
    dl.parts.push(token);
  }
  [token, value] = getDtext(value);
  dl.parts.push(token);
  if (checkForEarlyDlEnd(value, dl)) return [dl, value];
  if (isWsp(value[0])) {
    [token, value] = getFws(value);
    dl.parts.push(token);
  }
  if (checkForEarlyDlEnd(value, dl)) return [dl, value];
  if (value[0] !== "]") throw fail(`expected ']' at end of domain-literal but found '${value}'`);
  dl.parts.push(new ValueTerminal("]", "domain-literal-end"));
  value = value.slice(1);
  value = optionalCfws(dl, value);
  return [dl, value];
}

/**
 * Python's `get_domain`: dot-atom, domain literal or obsolete domain.
 * @throws {HeaderParseError} when there is none
 */
export function getDomain(value: string): Got<Domain> {
  const domain = new Domain();
  let leader: CFWSList | null = null;
  if (isIn(value[0], CFWS_LEADER)) [leader, value] = getCfws(value);
  if (!value) throw fail(`expected domain but found '${value}'`);
  if (value[0] === "[") {
    const [token, r] = getDomainLiteral(value);
    if (leader !== null) token.parts.unshift(leader);
    domain.parts.push(token);
    return [domain, r];
  }
  const v = value;
  let token: TokenList;
  [token, value] = either<Got<TokenList>>(
    () => getDotAtom(v),
    () => getAtom(v),
  );
  if (value && value[0] === "@") throw fail("Invalid Domain");
  if (leader !== null) token.parts.unshift(leader);
  domain.parts.push(token);
  if (value && value[0] === ".") {
    domain.defects.push(new ObsoleteHeaderDefect("domain is not a dot-atom (contains CFWS)"));
    if (domain.parts[0]!.tokenType === "dot-atom") domain.parts = [...(domain.parts[0] as TokenList).parts];
    while (value && value[0] === ".") {
      domain.parts.push(DOT);
      [token, value] = getAtom(value.slice(1));
      domain.parts.push(token);
    }
  }
  return [domain, value];
}

/**
 * Python's `get_addr_spec`: `local-part "@" domain`.
 * @throws {HeaderParseError} when there is no local part
 */
export function getAddrSpec(value: string): Got<AddrSpec> {
  const as = new AddrSpec();
  let token: Token;
  [token, value] = getLocalPart(value);
  as.parts.push(token);
  if (value?.[0] !== "@") {
    as.defects.push(invalid("addr-spec local part with no domain"));
    return [as, value];
  }
  as.parts.push(new ValueTerminal("@", "address-at-symbol"));
  [token, value] = getDomain(value.slice(1));
  as.parts.push(token);
  return [as, value];
}

/**
 * Python's `get_obs_route`: `@a,@b:` (RFC 5322 section 4.4).
 * @throws {HeaderParseError} when there is none
 */
export function getObsRoute(value: string): Got<ObsRoute> {
  const route = new ObsRoute();
  let token: Token;
  while (value && (value[0] === "," || isIn(value[0], CFWS_LEADER))) {
    if (isIn(value[0], CFWS_LEADER)) {
      [token, value] = getCfws(value);
      route.parts.push(token);
    } else {
      route.parts.push(ListSeparator);
      value = value.slice(1);
    }
  }
  if (value?.[0] !== "@") throw fail(`expected obs-route domain but found '${value}'`);
  route.parts.push(RouteComponentMarker);
  [token, value] = getDomain(value.slice(1));
  route.parts.push(token);
  while (value && value[0] === ",") {
    route.parts.push(ListSeparator);
    value = value.slice(1);
    if (!value) break;
    value = optionalCfws(route, value);
    if (value[0] === "@") {
      route.parts.push(RouteComponentMarker);
      [token, value] = getDomain(value.slice(1));
      route.parts.push(token);
    }
  }
  if (!value) throw fail("end of header while parsing obs-route");
  if (value[0] !== ":") throw fail(`expected ':' marking end of obs-route but found '${value}'`);
  route.parts.push(new ValueTerminal(":", "end-of-obs-route-marker"));
  return [route, value.slice(1)];
}

/**
 * Python's `get_angle_addr`: `[CFWS] "<" [obs-route] addr-spec ">" [CFWS]`.
 * @throws {HeaderParseError} when there is none
 */
export function getAngleAddr(value: string): Got<AngleAddr> {
  const aa = new AngleAddr();
  let token: Token;
  value = optionalCfws(aa, value);
  if (value?.[0] !== "<") throw fail(`expected angle-addr but found '${value}'`);
  aa.parts.push(new ValueTerminal("<", "angle-addr-start"));
  value = value.slice(1);
  // Python indexes value[0] here: "<" at the end is an IndexError there, a HeaderParseError here.
  if (!value) throw fail("expected addr-spec or obs-route but found ''");
  if (value[0] === ">") {
    aa.parts.push(new ValueTerminal(">", "angle-addr-end"));
    aa.defects.push(invalid("null addr-spec in angle-addr"));
    return [aa, value.slice(1)];
  }
  try {
    [token, value] = getAddrSpec(value);
  } catch (e) {
    if (!(e instanceof HeaderParseError)) throw e;
    try {
      [token, value] = getObsRoute(value);
      aa.defects.push(new ObsoleteHeaderDefect("obsolete route specification in angle-addr"));
    } catch (e2) {
      if (!(e2 instanceof HeaderParseError)) throw e2;
      throw fail(`expected addr-spec or obs-route but found '${value}'`);
    }
    aa.parts.push(token);
    [token, value] = getAddrSpec(value);
  }
  aa.parts.push(token);
  if (value && value[0] === ">") value = value.slice(1);
  else aa.defects.push(invalid("missing trailing '>' on angle-addr"));
  aa.parts.push(new ValueTerminal(">", "angle-addr-end"));
  value = optionalCfws(aa, value);
  return [aa, value];
}

/** Python's `get_display_name`: a phrase, as a display-name token. */
export function getDisplayName(value: string): Got<DisplayName> {
  const dn = new DisplayName();
  const [token, r] = getPhrase(value);
  dn.parts.push(...token.parts);
  dn.defects = [...token.defects];
  return [dn, r];
}

/**
 * Python's `get_name_addr`: `[display-name] angle-addr`.
 * @throws {HeaderParseError} when there is none
 */
export function getNameAddr(value: string): Got<NameAddr> {
  const na = new NameAddr();
  let leader: CFWSList | null = null;
  if (isIn(value[0], CFWS_LEADER)) {
    [leader, value] = getCfws(value);
    if (!value) throw fail(`expected name-addr but found '${leader}'`);
  }
  if (value[0] !== "<") {
    if (isIn(value[0], PHRASE_ENDS)) throw fail(`expected name-addr but found '${value}'`);
    let token: DisplayName;
    [token, value] = getDisplayName(value);
    if (!value) throw fail(`expected name-addr but found '${token}'`);
    if (leader !== null) {
      const first = token.parts[0];
      if (first instanceof TokenList) first.parts.unshift(leader);
      else token.parts.unshift(leader);
      leader = null;
    }
    na.parts.push(token);
  }
  let token: AngleAddr;
  [token, value] = getAngleAddr(value);
  if (leader !== null) token.parts.unshift(leader);
  na.parts.push(token);
  return [na, value];
}

/**
 * Python's `get_mailbox`: a name-addr or an addr-spec; `invalid-mailbox`
 * when it holds an `InvalidHeaderDefect`.
 * @throws {HeaderParseError} when there is neither
 */
export function getMailbox(value: string): Got<Mailbox> {
  const mb = new Mailbox();
  let token: TokenList;
  const v = value;
  try {
    [token, value] = getNameAddr(v);
  } catch (e) {
    if (!(e instanceof HeaderParseError)) throw e;
    try {
      [token, value] = getAddrSpec(v);
    } catch (e2) {
      if (!(e2 instanceof HeaderParseError)) throw e2;
      throw fail(`expected mailbox but found '${v}'`);
    }
  }
  if (token.allDefects.some((d) => d instanceof InvalidHeaderDefect)) mb.tokenType = "invalid-mailbox";
  mb.parts.push(token);
  return [mb, value];
}

/** Python's `get_invalid_mailbox`: everything up to one of `endchars`, as an invalid mailbox. */
export function getInvalidMailbox(value: string, endchars: string): Got<InvalidMailbox> {
  const im = new InvalidMailbox();
  while (value && !isIn(value[0], endchars)) {
    if (isIn(value[0], PHRASE_ENDS)) {
      im.parts.push(new ValueTerminal(value[0]!, "misplaced-special"));
      value = value.slice(1);
    } else {
      const [t, r] = getPhrase(value);
      im.parts.push(t);
      value = r;
    }
  }
  return [im, value];
}

/** Python's `get_mailbox_list`: mailboxes up to `;` or the end, invalid ones kept. */
export function getMailboxList(value: string): Got<MailboxList> {
  const ml = new MailboxList();
  while (value && value[0] !== ";") {
    try {
      const [t, r] = getMailbox(value);
      ml.parts.push(t);
      value = r;
    } catch (e) {
      if (!(e instanceof HeaderParseError)) throw e;
      if (isIn(value[0], CFWS_LEADER)) {
        let leader: CFWSList;
        [leader, value] = getCfws(value);
        if (!value || isIn(value[0], ",;")) {
          ml.parts.push(leader);
          ml.defects.push(new ObsoleteHeaderDefect("empty element in mailbox-list"));
        } else {
          let token: InvalidMailbox;
          [token, value] = getInvalidMailbox(value, ",;");
          token.parts.unshift(leader);
          ml.parts.push(token);
          ml.defects.push(invalid("invalid mailbox in mailbox-list"));
        }
      } else if (value[0] === ",") {
        ml.defects.push(new ObsoleteHeaderDefect("empty element in mailbox-list"));
      } else {
        let token: InvalidMailbox;
        [token, value] = getInvalidMailbox(value, ",;");
        ml.parts.push(token);
        ml.defects.push(invalid("invalid mailbox in mailbox-list"));
      }
    }
    if (value && !isIn(value[0], ",;")) {
      const mailbox = ml.parts.at(-1) as TokenList;
      mailbox.tokenType = "invalid-mailbox";
      let token: InvalidMailbox;
      [token, value] = getInvalidMailbox(value, ",;");
      mailbox.parts.push(...token.parts);
      ml.defects.push(invalid("invalid mailbox in mailbox-list"));
    }
    if (value && value[0] === ",") {
      ml.parts.push(ListSeparator);
      value = value.slice(1);
    }
  }
  return [ml, value];
}

/** Python's `get_group_list`: the mailboxes of a group, or only CFWS. */
export function getGroupList(value: string): Got<GroupList> {
  const gl = new GroupList();
  if (!value) {
    gl.defects.push(invalid("end of header before group-list"));
    return [gl, value];
  }
  let leader: CFWSList | null = null;
  if (value && isIn(value[0], CFWS_LEADER)) {
    [leader, value] = getCfws(value);
    if (!value) {
      gl.defects.push(invalid("end of header in group-list"));
      gl.parts.push(leader);
      return [gl, value];
    }
    if (value[0] === ";") {
      gl.parts.push(leader);
      return [gl, value];
    }
  }
  let token: MailboxList;
  [token, value] = getMailboxList(value);
  if (token.allMailboxes.length === 0) {
    if (leader !== null) gl.parts.push(leader);
    gl.parts.push(...token.parts);
    gl.defects.push(new ObsoleteHeaderDefect("group-list with empty entries"));
    return [gl, value];
  }
  if (leader !== null) token.parts.unshift(leader);
  gl.parts.push(token);
  return [gl, value];
}

/**
 * Python's `get_group`: `display-name ":" [group-list] ";" [CFWS]`.
 * @throws {HeaderParseError} when there is none
 */
export function getGroup(value: string): Got<Group> {
  const group = new Group();
  let token: Token;
  [token, value] = getDisplayName(value);
  if (value?.[0] !== ":") {
    throw fail(`expected ':' at end of group display name but found '${value}'`);
  }
  group.parts.push(token);
  group.parts.push(new ValueTerminal(":", "group-display-name-terminator"));
  value = value.slice(1);
  if (value && value[0] === ";") {
    group.parts.push(new ValueTerminal(";", "group-terminator"));
    return [group, value.slice(1)];
  }
  [token, value] = getGroupList(value);
  group.parts.push(token);
  if (!value) group.defects.push(invalid("end of header in group"));
  else if (value[0] !== ";") throw fail(`expected ';' at end of group but found ${value}`);
  group.parts.push(new ValueTerminal(";", "group-terminator"));
  value = value.slice(1);
  value = optionalCfws(group, value);
  return [group, value];
}

/**
 * Python's `get_address`: a group or a mailbox.
 * @throws {HeaderParseError} when there is neither
 */
export function getAddress(value: string): Got<Address> {
  const address = new Address();
  const v = value;
  let token: Token;
  try {
    [token, value] = getGroup(v);
  } catch (e) {
    if (!(e instanceof HeaderParseError)) throw e;
    try {
      [token, value] = getMailbox(v);
    } catch (e2) {
      if (!(e2 instanceof HeaderParseError)) throw e2;
      throw fail(`expected address but found '${v}'`);
    }
  }
  address.parts.push(token);
  return [address, value];
}

/**
 * Python's `get_address_list`: the whole value as addresses; what is not an
 * address becomes an invalid mailbox with a defect. Never throws.
 */
export function getAddressList(value: string): Got<AddressList> {
  const al = new AddressList();
  while (value) {
    try {
      const [t, r] = getAddress(value);
      al.parts.push(t);
      value = r;
    } catch (e) {
      if (!(e instanceof HeaderParseError)) throw e;
      if (isIn(value[0], CFWS_LEADER)) {
        let leader: CFWSList;
        [leader, value] = getCfws(value);
        if (!value || value[0] === ",") {
          al.parts.push(leader);
          al.defects.push(new ObsoleteHeaderDefect("address-list entry with no content"));
        } else {
          let token: InvalidMailbox;
          [token, value] = getInvalidMailbox(value, ",");
          token.parts.unshift(leader);
          al.parts.push(new Address([token]));
          al.defects.push(invalid("invalid address in address-list"));
        }
      } else if (value[0] === ",") {
        al.defects.push(new ObsoleteHeaderDefect("empty element in address-list"));
      } else {
        let token: InvalidMailbox;
        [token, value] = getInvalidMailbox(value, ",");
        al.parts.push(new Address([token]));
        al.defects.push(invalid("invalid address in address-list"));
      }
    }
    if (value && value[0] !== ",") {
      // Python takes address_list[-1][0]: the mailbox (or the CFWS's first token) just read.
      const last = al.parts.at(-1) as TokenList;
      const mailbox = last.parts[0] as TokenList;
      mailbox.tokenType = "invalid-mailbox";
      let token: InvalidMailbox;
      [token, value] = getInvalidMailbox(value, ",");
      if (mailbox instanceof TokenList) mailbox.parts.push(...token.parts);
      al.defects.push(invalid("invalid address in address-list"));
    }
    if (value) {
      al.parts.push(ListSeparator);
      value = value.slice(1);
    }
  }
  return [al, value];
}

/**
 * Python's `get_no_fold_literal`: `"[" *dtext "]"`.
 * @throws {HeaderParseError} when there is none
 */
export function getNoFoldLiteral(value: string): Got<NoFoldLiteral> {
  const nfl = new NoFoldLiteral();
  if (!value) throw fail(`expected no-fold-literal but found '${value}'`);
  if (value[0] !== "[") throw fail(`expected '[' at the start of no-fold-literal but found '${value}'`);
  nfl.parts.push(new ValueTerminal("[", "no-fold-literal-start"));
  let token: Token;
  [token, value] = getDtext(value.slice(1));
  nfl.parts.push(token);
  if (value?.[0] !== "]") {
    throw fail(`expected ']' at the end of no-fold-literal but found '${value}'`);
  }
  nfl.parts.push(new ValueTerminal("]", "no-fold-literal-end"));
  return [nfl, value.slice(1)];
}

/**
 * Python's `get_msg_id`: `[CFWS] "<" id-left "@" id-right ">" [CFWS]`.
 * @throws {HeaderParseError} when there is none
 */
export function getMsgId(value: string): Got<MsgID> {
  const mid = new MsgID();
  let token: Token;
  value = optionalCfws(mid, value);
  if (value?.[0] !== "<") throw fail(`expected msg-id but found '${value}'`);
  mid.parts.push(new ValueTerminal("<", "msg-id-start"));
  value = value.slice(1);
  const v = value;
  try {
    [token, value] = getDotAtomText(v);
  } catch (e) {
    if (!(e instanceof HeaderParseError)) throw e;
    try {
      [token, value] = getObsLocalPart(v);
      mid.defects.push(new ObsoleteHeaderDefect("obsolete id-left in msg-id"));
    } catch (e2) {
      if (!(e2 instanceof HeaderParseError)) throw e2;
      throw fail(`expected dot-atom-text or obs-id-left but found '${v}'`);
    }
  }
  mid.parts.push(token);
  if (value?.[0] !== "@") {
    mid.defects.push(invalid("msg-id with no id-right"));
    if (value && value[0] === ">") {
      mid.parts.push(new ValueTerminal(">", "msg-id-end"));
      value = value.slice(1);
    }
    return [mid, value];
  }
  mid.parts.push(new ValueTerminal("@", "address-at-symbol"));
  const w = value.slice(1);
  try {
    [token, value] = getDotAtomText(w);
  } catch (e) {
    if (!(e instanceof HeaderParseError)) throw e;
    try {
      [token, value] = getNoFoldLiteral(w);
    } catch (e2) {
      if (!(e2 instanceof HeaderParseError)) throw e2;
      try {
        // Python indexes value[0] in get_domain: nothing after "@" is an IndexError there.
        if (!w) throw fail("expected domain but found ''");
        [token, value] = getDomain(w);
        mid.defects.push(new ObsoleteHeaderDefect("obsolete id-right in msg-id"));
      } catch (e3) {
        if (!(e3 instanceof HeaderParseError)) throw e3;
        throw fail(`expected dot-atom-text, no-fold-literal or obs-id-right but found '${w}'`);
      }
    }
  }
  mid.parts.push(token);
  if (value && value[0] === ">") value = value.slice(1);
  else mid.defects.push(invalid("missing trailing '>' on msg-id"));
  mid.parts.push(new ValueTerminal(">", "msg-id-end"));
  value = optionalCfws(mid, value);
  return [mid, value];
}

/** Python's `repr()` of a string, for defect messages. */
function pyReprStr(s: string): string {
  const q = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = "";
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === "\\") out += "\\\\";
    else if (ch === q) out += `\\${q}`;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (cp < 0x20 || cp === 0x7f) out += `\\x${cp.toString(16).padStart(2, "0")}`;
    else out += ch;
  }
  return q + out + q;
}

/** Python's `parse_message_id`: a Message-ID value; never throws. */
export function parseMessageId(value: string): MessageID {
  let mid = new MessageID();
  try {
    const [token, rest] = getMsgId(value);
    mid.parts.push(token);
    if (rest) mid.defects.push(invalid(`Unexpected ${pyReprStr(rest)}`));
  } catch (e) {
    if (!(e instanceof HeaderParseError)) throw e;
    mid = new InvalidMessageID(getUnstructured(value).parts);
    mid.defects.push(invalid(`Invalid msg-id: HeaderParseError(${pyReprStr(e.message)})`));
  }
  return mid;
}

/** Python's `parse_mime_version`: `1*digit "." 1*digit` with CFWS; never throws. */
export function parseMimeVersion(value: string): MIMEVersion {
  const mv = new MIMEVersion();
  let token: Token;
  if (!value) {
    mv.defects.push(new HeaderMissingRequiredValue("Missing MIME version number (eg: 1.0)"));
    return mv;
  }
  if (isIn(value[0], CFWS_LEADER)) {
    [token, value] = getCfws(value);
    mv.parts.push(token);
    if (!value)
      mv.defects.push(new HeaderMissingRequiredValue("Expected MIME version number but found only CFWS"));
  }
  let digits = "";
  while (value && value[0] !== "." && !isIn(value[0], CFWS_LEADER)) {
    digits += value[0];
    value = value.slice(1);
  }
  if (!DIGITS.test(digits)) {
    mv.defects.push(invalid(`Expected MIME major version number but found ${pyReprStr(digits)}`));
    mv.parts.push(new ValueTerminal(digits, "xtext"));
  } else {
    mv.major = pyInt(digits);
    mv.parts.push(new ValueTerminal(digits, "digits"));
  }
  value = optionalCfws(mv, value);
  if (value?.[0] !== ".") {
    if (mv.major !== null) mv.defects.push(invalid("Incomplete MIME version; found only major number"));
    if (value) mv.parts.push(new ValueTerminal(value, "xtext"));
    return mv;
  }
  mv.parts.push(new ValueTerminal(".", "version-separator"));
  value = value.slice(1);
  value = optionalCfws(mv, value);
  if (!value) {
    if (mv.major !== null) mv.defects.push(invalid("Incomplete MIME version; found only major number"));
    return mv;
  }
  digits = "";
  while (value && !isIn(value[0], CFWS_LEADER)) {
    digits += value[0];
    value = value.slice(1);
  }
  if (!DIGITS.test(digits)) {
    mv.defects.push(invalid(`Expected MIME minor version number but found ${pyReprStr(digits)}`));
    mv.parts.push(new ValueTerminal(digits, "xtext"));
  } else {
    mv.minor = pyInt(digits);
    mv.parts.push(new ValueTerminal(digits, "digits"));
  }
  value = optionalCfws(mv, value);
  if (value) {
    mv.defects.push(invalid("Excess non-CFWS text after MIME version"));
    mv.parts.push(new ValueTerminal(value, "xtext"));
  }
  return mv;
}

/** Python's `get_invalid_parameter`: everything up to the next `;`. */
export function getInvalidParameter(value: string): Got<InvalidParameter> {
  const ip = new InvalidParameter();
  while (value && value[0] !== ";") {
    if (isIn(value[0], PHRASE_ENDS)) {
      ip.parts.push(new ValueTerminal(value[0]!, "misplaced-special"));
      value = value.slice(1);
    } else {
      const [t, r] = getPhrase(value);
      ip.parts.push(t);
      value = r;
    }
  }
  return [ip, value];
}

function matchTerminal(
  value: string,
  re: RegExp,
  type: string,
  what: string,
  repr: boolean,
): Got<ValueTerminal> {
  const m = re.exec(value);
  if (!m) throw fail(`expected ${what} but found ${repr ? pyReprStr(value) : `'${value}'`}`);
  const t = new ValueTerminal(m[0], type);
  validateXtext(t);
  return [t, value.slice(m[0].length)];
}

/** Python's `get_ttext`. @throws {HeaderParseError} when there is none */
export const getTtext = (value: string): Got<ValueTerminal> =>
  matchTerminal(value, NON_TOKEN_END, "ttext", "ttext", false);
/** Python's `get_attrtext`. @throws {HeaderParseError} when there is none */
export const getAttrtext = (value: string): Got<ValueTerminal> =>
  matchTerminal(value, NON_ATTRIBUTE_END, "attrtext", "attrtext", true);
/** Python's `get_extended_attrtext`. @throws {HeaderParseError} when there is none */
export const getExtendedAttrtext = (value: string): Got<ValueTerminal> =>
  matchTerminal(value, NON_EXTENDED_ATTRIBUTE_END, "extended-attrtext", "extended attrtext", true);

/** `[CFWS] inner [CFWS]` as one token list, refusing a start in `ends`. */
function wrapped<T extends TokenList>(
  value: string,
  list: T,
  ends: string,
  inner: (v: string) => Got<ValueTerminal>,
): Got<T> {
  let token: Token;
  value = optionalCfws(list, value);
  if (value && isIn(value[0], ends)) throw fail(`expected token but found '${value}'`);
  [token, value] = inner(value);
  list.parts.push(token);
  value = optionalCfws(list, value);
  return [list, value];
}

/** Python's `get_token`: `[CFWS] 1*ttext [CFWS]`. @throws {HeaderParseError} when there is none */
export const getToken = (value: string): Got<TokenList> =>
  wrapped(value, new TokenList([], "token"), TOKEN_ENDS, getTtext);
/** Python's `get_attribute`. @throws {HeaderParseError} when there is none */
export const getAttribute = (value: string): Got<Attribute> =>
  wrapped(value, new Attribute(), ATTRIBUTE_ENDS, getAttrtext);
/** Python's `get_extended_attribute`. @throws {HeaderParseError} when there is none */
export const getExtendedAttribute = (value: string): Got<Attribute> =>
  wrapped(value, new Attribute(), EXTENDED_ATTRIBUTE_ENDS, getExtendedAttrtext);

/**
 * Python's `get_section`: `"*" digits`.
 * @throws {HeaderParseError} when there is none
 */
export function getSection(value: string): Got<Section> {
  const section = new Section();
  if (value?.[0] !== "*") throw fail(`Expected section but found ${value}`);
  section.parts.push(new ValueTerminal("*", "section-marker"));
  value = value.slice(1);
  if (!value || !DIGIT.test(value[0]!)) throw fail(`Expected section number but found ${value}`);
  let digits = "";
  while (value && DIGIT.test(value[0]!)) {
    digits += value[0];
    value = value.slice(1);
  }
  if (digits[0] === "0" && digits !== "0")
    section.defects.push(invalid("section number has an invalid leading 0"));
  section.number = pyInt(digits);
  section.parts.push(new ValueTerminal(digits, "digits"));
  return [section, value];
}

/**
 * Python's `get_value`: a quoted string or an extended attribute.
 * @throws {HeaderParseError} when there is none
 */
export function getValue(value: string): Got<Value> {
  const v = new Value();
  if (!value) throw fail("Expected value but found end of string");
  let leader: CFWSList | null = null;
  if (isIn(value[0], CFWS_LEADER)) [leader, value] = getCfws(value);
  if (!value) throw fail(`Expected value but found only ${leader}`);
  let token: TokenList;
  if (value[0] === '"') [token, value] = getQuotedString(value);
  else [token, value] = getExtendedAttribute(value);
  if (leader !== null) token.parts.unshift(leader);
  v.parts.push(token);
  return [v, value];
}

/**
 * Python's `get_parameter`: `attribute [section] ["*"] "=" value`, with
 * RFC 2231 charset and language.
 * @throws {HeaderParseError} when there is none
 */
export function getParameter(value: string): Got<Parameter> {
  const param = new Parameter();
  let token: Token | null;
  [token, value] = getAttribute(value);
  param.parts.push(token);
  if (!value || value[0] === ";") {
    param.defects.push(invalid(`Parameter contains name (${token}) but no value`));
    return [param, value];
  }
  if (value[0] === "*") {
    try {
      [token, value] = getSection(value);
      param.sectioned = true;
      param.parts.push(token);
    } catch (e) {
      if (!(e instanceof HeaderParseError)) throw e;
    }
    if (!value) throw fail("Incomplete parameter");
    if (value[0] === "*") {
      param.parts.push(new ValueTerminal("*", "extended-parameter-marker"));
      value = value.slice(1);
      param.extended = true;
    }
  }
  if (value[0] !== "=") throw fail("Parameter not followed by '='");
  param.parts.push(new ValueTerminal("=", "parameter-separator"));
  value = value.slice(1);
  value = optionalCfws(param, value);
  let remainder: string | null = null;
  let appendto: TokenList = param;
  if (param.extended && value && value[0] === '"') {
    // RFC 2231 values may not be quoted, but some mailers quote them: accept it with a defect.
    const [qstring, rem] = getQuotedString(value);
    remainder = rem;
    const innerValue = qstring.strippedValue ?? "";
    let semiValid = false;
    if (param.sectionNumber === 0) {
      if (innerValue && innerValue[0] === "'") semiValid = true;
      else {
        const [, rest] = getAttrtext(innerValue);
        if (rest && rest[0] === "'") semiValid = true;
      }
    } else {
      try {
        const [, rest] = getExtendedAttrtext(innerValue);
        if (!rest) semiValid = true;
      } catch {
        // Python's bare except: an unreadable value is not semi-valid.
      }
    }
    if (semiValid) {
      param.defects.push(invalid("Quoted string value for extended parameter is invalid"));
      param.parts.push(qstring);
      for (const t of qstring.parts) {
        if (t.tokenType === "bare-quoted-string") {
          (t as TokenList).parts = [];
          appendto = t as TokenList;
          break;
        }
      }
      value = innerValue;
    } else {
      remainder = null;
      param.defects.push(
        invalid("Parameter marked as extended but appears to have a quoted string value that is non-encoded"),
      );
    }
  }
  if (value && value[0] === "'") token = null;
  else [token, value] = getValue(value);
  if (!param.extended || param.sectionNumber > 0) {
    if (value?.[0] !== "'") {
      appendto.parts.push(token!);
      if (remainder !== null) value = remainder;
      return [param, value];
    }
    param.defects.push(
      invalid(
        "Apparent initial-extended-value but attribute was not marked as extended or was not initial section",
      ),
    );
  }
  if (!value) {
    param.defects.push(invalid("Missing required charset/lang delimiters"));
    appendto.parts.push(token!);
    if (remainder === null) return [param, value];
  } else {
    if (token !== null) {
      // Python keeps the loop variable: the last child when none is extended-attrtext.
      let t: Token | undefined;
      for (t of (token as TokenList).parts) if (t.tokenType === "extended-attrtext") break;
      appendto.parts.push(t!);
      param.charset = t!.value;
    }
    if (value[0] !== "'") {
      throw fail(`Expected RFC2231 char/lang encoding delimiter, but found ${pyReprStr(value)}`);
    }
    appendto.parts.push(new ValueTerminal("'", "RFC2231-delimiter"));
    value = value.slice(1);
    if (value && value[0] !== "'") {
      [token, value] = getAttrtext(value);
      appendto.parts.push(token);
      param.lang = token.value;
      if (value?.[0] !== "'") {
        throw fail(`Expected RFC2231 char/lang encoding delimiter, but found ${value}`);
      }
    }
    appendto.parts.push(new ValueTerminal("'", "RFC2231-delimiter"));
    value = value.slice(1);
  }
  if (remainder !== null) {
    const v = new Value();
    while (value) {
      let t: Token;
      if (isWsp(value[0])) [t, value] = getFws(value);
      else if (value[0] === '"') {
        t = new ValueTerminal('"', "DQUOTE");
        value = value.slice(1);
      } else [t, value] = getQcontent(value);
      v.parts.push(t);
    }
    token = v;
  } else [token, value] = getValue(value);
  appendto.parts.push(token);
  if (remainder !== null) value = remainder;
  return [param, value];
}

/** Python's `parse_mime_parameters`: `parameter *(";" parameter)`, bad ones kept as invalid parameters. */
export function parseMimeParameters(value: string): MimeParameters {
  const mp = new MimeParameters();
  while (value) {
    try {
      const [t, r] = getParameter(value);
      mp.parts.push(t);
      value = r;
    } catch (e) {
      if (!(e instanceof HeaderParseError)) throw e;
      let leader: CFWSList | null = null;
      if (isIn(value[0], CFWS_LEADER)) [leader, value] = getCfws(value);
      if (!value) {
        mp.parts.push(leader!);
        return mp;
      }
      if (value[0] === ";") {
        if (leader !== null) mp.parts.push(leader);
        mp.defects.push(invalid("parameter entry with no content"));
      } else {
        let token: InvalidParameter;
        [token, value] = getInvalidParameter(value);
        if (leader !== null && leader.parts.length > 0) token.parts.unshift(leader);
        mp.parts.push(token);
        mp.defects.push(invalid(`invalid parameter ${reprTokens(token)}`));
      }
    }
    if (value && value[0] !== ";") {
      // Python takes mime_parameters[-1]: the parameter just read.
      const param = mp.parts.at(-1) as TokenList;
      param.tokenType = "invalid-parameter";
      let token: InvalidParameter;
      [token, value] = getInvalidParameter(value);
      param.parts.push(...token.parts);
      mp.defects.push(invalid(`parameter with invalid trailing text ${reprTokens(token)}`));
    }
    if (value) {
      mp.parts.push(new ValueTerminal(";", "parameter-separator"));
      value = value.slice(1);
    }
  }
  return mp;
}

/** Python's `repr()` of a token (`InvalidParameter([...])`), as its defect messages show it. */
function reprTokens(tok: Token): string {
  const name = tokenClassName(tok);
  if (tok instanceof TokenList) return `${name}([${tok.parts.map(reprTokens).join(", ")}])`;
  return `${name}(${pyReprStr(tok.toString() === "" && tok instanceof WhiteSpaceTerminal ? (tok as WhiteSpaceTerminal).text : tok.toString())})`;
}

/** Python's token class of each token type, for `repr()` in defect messages. */
const PY_CLASS: Record<string, string> = {
  unstructured: "UnstructuredTokenList",
  atom: "Atom",
  token: "Token",
  word: "Word",
  phrase: "Phrase",
  "display-name": "DisplayName",
  cfws: "CFWSList",
  comment: "Comment",
  "encoded-word": "EncodedWord",
  "quoted-string": "QuotedString",
  "bare-quoted-string": "BareQuotedString",
  "dot-atom": "DotAtom",
  "dot-atom-text": "DotAtomText",
  "local-part": "LocalPart",
  "obs-local-part": "ObsLocalPart",
  "invalid-obs-local-part": "ObsLocalPart",
  domain: "Domain",
  "domain-literal": "DomainLiteral",
  "addr-spec": "AddrSpec",
  "angle-addr": "AngleAddr",
  "name-addr": "NameAddr",
  mailbox: "Mailbox",
  "invalid-mailbox": "InvalidMailbox",
  parameter: "Parameter",
  "invalid-parameter": "InvalidParameter",
  attribute: "Attribute",
  section: "Section",
  value: "Value",
};

/** Python's class name of a token, for `repr()` (a terminal by its kind, a list by its type). */
function tokenClassName(tok: Token): string {
  if (tok instanceof EWWhiteSpaceTerminal) return "EWWhiteSpaceTerminal";
  if (tok instanceof WhiteSpaceTerminal) return "WhiteSpaceTerminal";
  if (tok instanceof ValueTerminal) return "ValueTerminal";
  return PY_CLASS[tok.tokenType] ?? "TokenList";
}

/** Python's `_find_mime_parameters`: skips to the first `;` and parses the parameters after it. */
function findMimeParameters(list: TokenList, value: string): void {
  while (value && value[0] !== ";") {
    if (isIn(value[0], PHRASE_ENDS)) {
      list.parts.push(new ValueTerminal(value[0]!, "misplaced-special"));
      value = value.slice(1);
    } else {
      const [t, r] = getPhrase(value);
      list.parts.push(t);
      value = r;
    }
  }
  if (!value) return;
  list.parts.push(new ValueTerminal(";", "parameter-separator"));
  list.parts.push(parseMimeParameters(value.slice(1)));
}

/** Python's `parse_content_type_header`: `maintype "/" subtype *(";" parameter)`; never throws. */
export function parseContentTypeHeader(value: string): ContentType {
  const ctype = new ContentType();
  if (!value) {
    ctype.defects.push(new HeaderMissingRequiredValue("Missing content type specification"));
    return ctype;
  }
  let token: TokenList;
  try {
    [token, value] = getToken(value);
  } catch (e) {
    if (!(e instanceof HeaderParseError)) throw e;
    ctype.defects.push(invalid(`Expected content maintype but found ${pyReprStr(value)}`));
    findMimeParameters(ctype, value);
    return ctype;
  }
  ctype.parts.push(token);
  if (value?.[0] !== "/") {
    ctype.defects.push(invalid("Invalid content type"));
    if (value) findMimeParameters(ctype, value);
    return ctype;
  }
  ctype.maintype = token.value.trim().toLowerCase();
  ctype.parts.push(new ValueTerminal("/", "content-type-separator"));
  value = value.slice(1);
  try {
    [token, value] = getToken(value);
  } catch (e) {
    if (!(e instanceof HeaderParseError)) throw e;
    ctype.defects.push(invalid(`Expected content subtype but found ${pyReprStr(value)}`));
    findMimeParameters(ctype, value);
    return ctype;
  }
  ctype.parts.push(token);
  ctype.subtype = token.value.trim().toLowerCase();
  if (!value) return ctype;
  if (value[0] !== ";") {
    ctype.defects.push(
      invalid(`Only parameters are valid after content type, but found ${pyReprStr(value)}`),
    );
    // Python deletes the instance attributes: the class defaults (text/plain) show through.
    ctype.maintype = "text";
    ctype.subtype = "plain";
    findMimeParameters(ctype, value);
    return ctype;
  }
  ctype.parts.push(new ValueTerminal(";", "parameter-separator"));
  ctype.parts.push(parseMimeParameters(value.slice(1)));
  return ctype;
}

/** Python's `parse_content_disposition_header`: `disposition-type *(";" parameter)`; never throws. */
export function parseContentDispositionHeader(value: string): ContentDisposition {
  const disp = new ContentDisposition();
  if (!value) {
    disp.defects.push(new HeaderMissingRequiredValue("Missing content disposition"));
    return disp;
  }
  let token: TokenList;
  try {
    [token, value] = getToken(value);
  } catch (e) {
    if (!(e instanceof HeaderParseError)) throw e;
    disp.defects.push(invalid(`Expected content disposition but found ${pyReprStr(value)}`));
    findMimeParameters(disp, value);
    return disp;
  }
  disp.parts.push(token);
  disp.contentDisposition = token.value.trim().toLowerCase();
  if (!value) return disp;
  if (value[0] !== ";") {
    disp.defects.push(
      invalid(`Only parameters are valid after content disposition, but found ${pyReprStr(value)}`),
    );
    findMimeParameters(disp, value);
    return disp;
  }
  disp.parts.push(new ValueTerminal(";", "parameter-separator"));
  disp.parts.push(parseMimeParameters(value.slice(1)));
  return disp;
}

/** Python's `parse_content_transfer_encoding_header`: one token; never throws. */
export function parseContentTransferEncodingHeader(value: string): ContentTransferEncoding {
  const cte = new ContentTransferEncoding();
  if (!value) {
    cte.defects.push(new HeaderMissingRequiredValue("Missing content transfer encoding"));
    return cte;
  }
  try {
    const [token, r] = getToken(value);
    cte.parts.push(token);
    cte.cte = token.value.trim().toLowerCase();
    value = r;
  } catch (e) {
    if (!(e instanceof HeaderParseError)) throw e;
    cte.defects.push(invalid(`Expected content transfer encoding but found ${pyReprStr(value)}`));
  }
  while (value) {
    cte.defects.push(invalid("Extra text after content transfer encoding"));
    if (isIn(value[0], PHRASE_ENDS)) {
      cte.parts.push(new ValueTerminal(value[0]!, "misplaced-special"));
      value = value.slice(1);
    } else {
      const [t, r] = getPhrase(value);
      cte.parts.push(t);
      value = r;
    }
  }
  return cte;
}

/** `urllib.parse.unquote_to_bytes` of ASCII-or-escaped text. */
function unquoteToBytes(s: string): Buffer {
  const out: number[] = [];
  const raw = Buffer.from(s, "utf8");
  for (let i = 0; i < raw.length; i++) {
    const b = raw[i]!;
    if (b === 0x25 && i + 2 < raw.length && isHexByte(raw[i + 1]) && isHexByte(raw[i + 2])) {
      out.push(Number.parseInt(String.fromCharCode(raw[i + 1]!, raw[i + 2]!), 16));
      i += 2;
    } else out.push(b);
  }
  return Buffer.from(out);
}
const isHexByte = (b: number | undefined): boolean =>
  b !== undefined && ((b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66));

/** `urllib.parse.unquote(s, encoding='latin-1')`: %XX runs decoded as Latin-1. */
function unquoteLatin1(s: string): string {
  return s.replace(/(?:%[0-9a-fA-F]{2})+/g, (run) => unquoteToBytes(run).toString("latin1"));
}

/**
 * Python's `MimeParameters.params`: RFC 2231 sections sorted and joined,
 * `%XX` escapes decoded in the parameter's charset (escaped bytes and an
 * `UndecodableBytesDefect` when they do not decode), duplicates dropped
 * with a defect.
 */
function mimeParams(mp: MimeParameters): [string, string][] {
  const params = new Map<string, [number, Parameter][]>();
  for (const token of mp.parts) {
    if (!token.tokenType.endsWith("parameter")) continue;
    const param = token as Parameter;
    if (param.parts[0]?.tokenType !== "attribute") continue;
    const name = param.parts[0].value.trim();
    let list = params.get(name);
    if (!list) params.set(name, (list = []));
    list.push([param.sectionNumber, param]);
  }
  const out: [string, string][] = [];
  for (const [name, unsorted] of params) {
    let parts = [...unsorted].sort((a, b) => a[0] - b[0]);
    const firstParam = parts[0]![1];
    const charset = firstParam.charset;
    if (!firstParam.extended && parts.length > 1 && parts[1]![0] === 0) {
      parts[1]![1].defects.push(invalid("duplicate parameter name; duplicate(s) ignored"));
      parts = parts.slice(0, 1);
    }
    const valueParts: string[] = [];
    let i = 0;
    for (const [sectionNumber, param] of parts) {
      if (sectionNumber !== i) {
        if (!param.extended) {
          param.defects.push(invalid("duplicate parameter name; duplicate ignored"));
          continue;
        }
        param.defects.push(invalid("inconsistent RFC2231 parameter numbering"));
      }
      i += 1;
      let value = param.paramValue;
      if (param.extended) {
        // unquote_to_bytes encodes the text as UTF-8 first: escaped bytes fail there, and Python falls back to Latin-1.
        if (hasSurrogates(value)) value = unquoteLatin1(value);
        else {
          const bytes = unquoteToBytes(value);
          const codec = findCodec(charset);
          let decoded: string;
          if (codec === undefined) decoded = decodeSurrogateEscape(bytes);
          else {
            try {
              decoded = codec.decode(bytes, "surrogateescape");
            } catch {
              decoded = decodeSurrogateEscape(bytes);
            }
          }
          value = decoded;
          if (hasSurrogates(value)) param.defects.push(new UndecodableBytesDefect());
        }
      }
      valueParts.push(value);
    }
    out.push([name, valueParts.join("")]);
  }
  return out;
}
setParamDecoder(mimeParams);
