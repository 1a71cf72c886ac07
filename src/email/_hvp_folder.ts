/**
 * Python's header folder (`_refold_parse_tree`, `_fold_as_ew`,
 * `_fold_mime_parameters` in `email._header_value_parser`): writes a parse
 * tree back as header lines no longer than the policy's `maxLineLength`
 * where the grammar allows a break, non-ASCII text as RFC 2047 encoded
 * words (unless the policy is `utf8`) and MIME parameters with RFC 2231
 * when they need it. Internal: the header classes' `fold()` uses it.
 *
 * Lengths are counted in code points, as Python's `len()`. Where Python
 * loops forever (an encoded word or an RFC 2231 section that cannot fit a
 * single character in the line length), netkit writes the character on a
 * line of its own, over the limit: the output stays valid and bounded.
 *
 * @module
 */
import { hasSurrogates, isAscii } from "./_bytes.js";
import { bLength, encodeBytes, encode as ewEncode, qByteLength } from "./_encoded_words.js";
import { getUnstructured } from "./_header_value_parser.js";
import {
  type MimeParameters,
  type MsgID,
  quoteString,
  SPECIALS,
  Terminal,
  type Token,
  TokenList,
} from "./_hvp_tokens.js";
import { HeaderParseError, UndecodableBytesDefect } from "./errors.js";

/** What the folder needs of a policy. */
export interface FoldPolicy {
  readonly maxLineLength: number | null;
  readonly linesep: string;
  readonly utf8: boolean;
}

const SPECIALSNL = `${SPECIALS}\n\r`;
const ASTRAL = /[\ud800-\udbff][\udc00-\udfff]/;

/** Python's `len()`: code points, a surrogate pair counting once. */
function cpLen(s: string): number {
  if (!ASTRAL.test(s)) return s.length;
  let n = 0;
  for (const _ of s) n++;
  return n;
}

const isWsp = (c: string | undefined): boolean => c === " " || c === "\t";

/** Python's `_steal_trailing_WSP_if_exists`: removes and returns the last line's final blank. */
function stealTrailingWsp(lines: string[]): string {
  const last = lines.at(-1)!;
  if (last && isWsp(last.at(-1))) {
    lines[lines.length - 1] = last.slice(0, -1);
    return last.at(-1)!;
  }
  return "";
}

/** Marks where a run of tokens that may not be encoded ends (Python's `end_ew_not_allowed`). */
const END_EW_NOT_ALLOWED = new Terminal("", "wrap_as_ew_blocked");

/** Python's `part.fold(policy=...)`: a token list's own folding (a msg-id is never folded). */
export function foldTokens(tree: TokenList, policy: FoldPolicy): string {
  if (tree.tokenType === "msg-id" || tree.tokenType.endsWith("message-id")) {
    return (tree as MsgID).toString() + policy.linesep;
  }
  return refoldParseTree(tree, policy);
}

/** Python's `_refold_parse_tree`: the tree as folded lines, each ending in `linesep`. */
export function refoldParseTree(parseTree: TokenList, policy: FoldPolicy): string {
  const maxlen = policy.maxLineLength || Number.MAX_SAFE_INTEGER;
  const encoding = policy.utf8 ? "utf-8" : "us-ascii";
  const lines = [""];
  let lastEw: number | null = null;
  let wrapAsEwBlocked = 0;
  let wantEncoding = false;
  // A stack: the next part is the last element (Python pops from the front of a list).
  const parts: Token[] = [...parseTree.parts].reverse();
  const pushFront = (tokens: Token[]) => {
    for (let i = tokens.length - 1; i >= 0; i--) parts.push(tokens[i]!);
  };
  while (parts.length > 0) {
    const part = parts.pop()!;
    if (part === END_EW_NOT_ALLOWED) {
      wrapAsEwBlocked -= 1;
      continue;
    }
    const tstr = part.toString();
    if (!wantEncoding) {
      wantEncoding = part.tokenType === "ptext" ? anyOf(tstr, SPECIALSNL) : anyOf(tstr, "\n\r");
    }
    let charset: string;
    if (encoding === "us-ascii" ? isAscii(tstr) : !hasSurrogates(tstr)) charset = encoding;
    else {
      charset = part.allDefects.some((d) => d instanceof UndecodableBytesDefect) ? "unknown-8bit" : "utf-8";
      wantEncoding = true;
    }
    if (part.tokenType === "mime-parameters") {
      foldMimeParameters(part as MimeParameters, lines, maxlen, encoding);
      continue;
    }
    if (wantEncoding && !wrapAsEwBlocked) {
      if (!part.asEwAllowed) {
        wantEncoding = false;
        lastEw = null;
        if (part.syntacticBreak && part instanceof TokenList) {
          const folded = foldTokens(part, policy);
          const encodedPart = folded.slice(0, folded.length - policy.linesep.length);
          if (!encodedPart.includes(policy.linesep)) {
            if (cpLen(encodedPart) > maxlen - cpLen(lines.at(-1)!)) {
              const newline = stealTrailingWsp(lines);
              lines.push(newline);
            }
            lines[lines.length - 1] += encodedPart;
            continue;
          }
        }
      }
      if (part instanceof TokenList) {
        pushFront(part.parts);
        wantEncoding = false;
        continue;
      }
      if (part.asEwAllowed) {
        lastEw = foldAsEw(tstr, lines, maxlen, lastEw, part.ewCombineAllowed, charset);
        wantEncoding = false;
        continue;
      }
      lastEw = null;
      wantEncoding = false;
    }
    const tlen = cpLen(tstr);
    if (tlen <= maxlen - cpLen(lines.at(-1)!)) {
      lines[lines.length - 1] += tstr;
      continue;
    }
    if (part.syntacticBreak && tlen + 1 <= maxlen) {
      const newline = stealTrailingWsp(lines);
      if (newline || part.startswithFws()) {
        lines.push(newline + tstr);
        lastEw = null;
        continue;
      }
    }
    // An empty list that still prints (an empty comment "()") cannot be split: Python fails with an
    // IndexError there; netkit writes it as a unit, as it does an unsplittable terminal.
    if (part instanceof TokenList && part.parts.length > 0) {
      const newparts: Token[] = [...part.parts];
      if (!part.asEwAllowed) {
        wrapAsEwBlocked += 1;
        newparts.push(END_EW_NOT_ALLOWED);
      }
      pushFront(newparts);
      continue;
    }
    if (part.asEwAllowed && !wrapAsEwBlocked && !(part instanceof TokenList)) {
      parts.push(part);
      wantEncoding = true;
      continue;
    }
    const newline = stealTrailingWsp(lines);
    if (newline || part.startswithFws()) lines.push(newline + tstr);
    else lines[lines.length - 1] += tstr;
  }
  return lines.join(policy.linesep) + policy.linesep;
}

function anyOf(text: string, set: string): boolean {
  for (let i = 0; i < text.length; i++) if (set.includes(text[i]!)) return true;
  return false;
}

/**
 * Python's `_fold_as_ew`: `toEncode` as encoded words on the lines, joined
 * with the encoded word already ending the last line when allowed.
 * @returns the new position of the last encoded word, or `null`
 * @throws {HeaderParseError} when the line length cannot hold an encoded word
 */
function foldAsEw(
  text: string,
  lines: string[],
  maxlen: number,
  lastEw: number | null,
  ewCombineAllowed: boolean,
  charset: string,
): number | null {
  let toEncode = text;
  if (lastEw !== null && ewCombineAllowed) {
    const last = lines.at(-1)!;
    const cps = Array.from(last);
    toEncode = getUnstructured(cps.slice(lastEw).join("") + toEncode).toString();
    lines[lines.length - 1] = cps.slice(0, lastEw).join("");
  }
  if (!toEncode) return ewCombineAllowed ? lastEw : null;
  if (isWsp(toEncode[0])) {
    const leading = toEncode[0]!;
    toEncode = toEncode.slice(1);
    if (cpLen(lines.at(-1)!) === maxlen) lines.push(stealTrailingWsp(lines));
    lines[lines.length - 1] += leading;
  }
  let trailing = "";
  if (isWsp(toEncode.at(-1))) {
    trailing = toEncode.at(-1)!;
    toEncode = toEncode.slice(0, -1);
  }
  let newLastEw = lastEw === null ? cpLen(lines.at(-1)!) : lastEw;
  const encodeAs = charset === "us-ascii" ? "utf-8" : charset;
  const chromeLen = encodeAs.length + 7;
  if (chromeLen + 1 >= maxlen)
    throw new HeaderParseError("max_line_length is too small to fit an encoded word");
  const chars = Array.from(toEncode);
  // Per code point: its q length and byte count, so a prefix's encoded length costs O(1).
  const qPrefix = [0];
  const bytePrefix = [0];
  for (const ch of chars) {
    const bytes = encodeBytes(ch, encodeAs);
    let q = 0;
    for (const b of bytes) q += qByteLength(b);
    qPrefix.push(qPrefix.at(-1)! + q);
    bytePrefix.push(bytePrefix.at(-1)! + bytes.length);
  }
  let start = 0;
  const encodedLength = (end: number): number => {
    const q = qPrefix[end]! - qPrefix[start]!;
    const b = bLength(bytePrefix[end]! - bytePrefix[start]!);
    return chromeLen + (q - b < 5 ? q : b);
  };
  while (start < chars.length) {
    const remainingSpace = maxlen - cpLen(lines.at(-1)!);
    const textSpace = remainingSpace - chromeLen;
    if (textSpace <= 0) {
      lines.push(" ");
      continue;
    }
    let end = Math.min(chars.length, start + textSpace);
    while (end > start && encodedLength(end) > remainingSpace) end--;
    // Python loops forever when not one character fits on a fresh line; netkit writes it over the limit.
    if (end === start && lines.at(-1) === " ") end = start + 1;
    lines[lines.length - 1] += ewEncode(chars.slice(start, end).join(""), encodeAs);
    start = end;
    if (start < chars.length) {
      lines.push(" ");
      newLastEw = 1;
    }
  }
  lines[lines.length - 1] += trailing;
  return ewCombineAllowed ? newLastEw : null;
}

/** `urllib.parse.quote(value, safe='', errors=...)`: UTF-8 (escaped bytes as themselves) percent-encoded. */
function percentEncode(value: string): string {
  let out = "";
  for (const ch of value) {
    const cp = ch.codePointAt(0)!;
    if (/[A-Za-z0-9_.~-]/.test(ch)) out += ch;
    else if (cp >= 0xdc80 && cp <= 0xdcff) out += `%${(cp - 0xdc00).toString(16).toUpperCase()}`;
    else for (const b of Buffer.from(ch, "utf8")) out += `%${b.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

/**
 * Python's `_fold_mime_parameters`: each parameter as `name="value"`, or
 * RFC 2231 `name*=charset''%XX` when it needs encoding, split into
 * `name*N*=` sections when it does not fit on a line.
 */
function foldMimeParameters(part: MimeParameters, lines: string[], maxlen: number, encoding: string): void {
  for (const [name, rawValue] of part.params) {
    const value = rawValue;
    if (!lines.at(-1)!.trimEnd().endsWith(";")) lines[lines.length - 1] += ";";
    let charset = encoding;
    const encodingRequired = encoding === "us-ascii" ? !isAscii(value) : hasSurrogates(value);
    if (encodingRequired) charset = hasSurrogates(value) ? "unknown-8bit" : "utf-8";
    const tstr = encodingRequired
      ? `${name}*=${charset}''${percentEncode(value)}`
      : `${name}=${quoteString(value)}`;
    const last = cpLen(lines.at(-1)!);
    if (last + cpLen(tstr) + 1 < maxlen) {
      lines[lines.length - 1] += ` ${tstr}`;
      continue;
    }
    if (cpLen(tstr) + 2 <= maxlen) {
      lines.push(` ${tstr}`);
      continue;
    }
    let section = 0;
    let extraChrome = `${charset}''`;
    let limit = maxlen;
    // Each character's escape once, then sections by index: linear in the value's length.
    const escapes = Array.from(value, percentEncode);
    let at = 0;
    while (at < escapes.length) {
      const chromeLen = name.length + String(section).length + 3 + extraChrome.length;
      if (limit <= chromeLen + 3) limit = 78;
      const maxchars = limit - chromeLen - 2;
      // The longest run of at most maxchars characters whose escapes fit in maxchars.
      let end = at;
      let width = 0;
      while (end < escapes.length && end - at < maxchars && width + escapes[end]!.length <= maxchars) {
        width += escapes[end]!.length;
        end++;
      }
      // Python loops forever when not one character fits; netkit writes it over the limit.
      if (end === at) end = at + 1;
      lines.push(` ${name}*${section}*=${extraChrome}${escapes.slice(at, end).join("")}`);
      extraChrome = "";
      section += 1;
      at = end;
      if (at < escapes.length) lines[lines.length - 1] += ";";
    }
  }
}
