/**
 * The pure parts of Python's `smtplib`: `quoteaddr` and `_addr_only` (the
 * address in `MAIL FROM:<...>`, `RCPT TO:<...>`, `VRFY`, `EXPN`)
 * and the EHLO reply's service extensions (`SMTP.ehlo()`'s parsing into
 * `esmtp_features`). No I/O here: tested with tables and against python3.
 *
 * The address parser is the part of Python's `email.utils.parseaddr` that
 * smtplib relies on, for one address: comments dropped, the angle address
 * taken when there is one, a group's name skipped, quoted local parts and
 * domain literals kept as written. Python's parser has further corners
 * (several addresses run together without a comma) where netkit takes the
 * first address; netkit/email will hold the whole parser.
 *
 * @module
 */

interface Token {
  kind: "word" | "special";
  text: string;
}

const SPECIALS = new Set(["<", ">", "@", ",", ":", ";", ".", "[", "]"]);
const WHITESPACE = new Set([" ", "\t", "\r", "\n"]);

/** Skips a comment starting at `i` (an open parenthesis); nested comments and `\` escapes count. */
function skipComment(s: string, i: number): number {
  let depth = 0;
  for (; i < s.length; i++) {
    const ch = s[i];
    if (ch === "\\") i++;
    else if (ch === "(") depth++;
    else if (ch === ")" && --depth === 0) return i + 1;
  }
  return i;
}

/** Reads a quoted string or domain literal starting at `i`, up to its `close` (or the end); kept as written. */
function readDelimited(s: string, i: number, close: string): number {
  for (i++; i < s.length; i++) {
    if (s[i] === "\\") i++;
    else if (s[i] === close) return i + 1;
  }
  return i;
}

/** RFC 5322's lexical tokens of `s`, with whitespace and comments dropped (Python's `AddrlistClass`). */
function tokenize(s: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < s.length) {
    const ch = s[i]!;
    if (WHITESPACE.has(ch)) i++;
    else if (ch === "(") i = skipComment(s, i);
    else if (ch === '"' || ch === "[") {
      const end = readDelimited(s, i, ch === '"' ? '"' : "]");
      tokens.push({ kind: "word", text: s.slice(i, end) });
      i = end;
    } else if (SPECIALS.has(ch)) {
      tokens.push({ kind: "special", text: ch });
      i++;
    } else {
      let end = i;
      while (
        end < s.length &&
        !WHITESPACE.has(s[end]!) &&
        !SPECIALS.has(s[end]!) &&
        s[end] !== "(" &&
        s[end] !== '"'
      )
        end++;
      tokens.push({ kind: "word", text: s.slice(i, end) });
      i = end;
    }
  }
  return tokens;
}

/** The addr-spec at the start of `tokens`: words, dots and `@` joined, up to the first other special or a second word in a row. */
function addrSpec(tokens: Token[]): string {
  let out = "";
  let lastWord = false;
  for (const t of tokens) {
    if (t.kind === "special" && t.text !== "." && t.text !== "@") break;
    if (t.kind === "word" && lastWord) break;
    out += t.text;
    lastWord = t.kind === "word";
  }
  return out;
}

/**
 * The first address in `s` as `[displayName, address]`, or `null` where
 * Python's `email.utils.parseaddr` returns `('', '')`.
 */
export function parseAddress(s: string): [string, string] | null {
  let tokens = tokenize(s);
  const comma = tokens.findIndex((t) => t.text === "," && t.kind === "special");
  const lt = tokens.findIndex((t) => t.text === "<" && t.kind === "special");
  if (lt >= 0 && (comma < 0 || lt < comma)) {
    const name = tokens
      .slice(0, lt)
      .filter((t) => t.kind === "word")
      .map((t) => t.text)
      .join(" ");
    const inner = tokens.slice(lt + 1);
    // A source route (`<@a,@b:user@host>`) is obsolete; Python's parser gives up on it.
    if (inner[0]?.text === "@") return null;
    const addr = addrSpec(inner);
    return name === "" && addr === "" ? null : [name, addr];
  }
  const colon = tokens.findIndex((t) => t.text === ":" && t.kind === "special");
  const at = tokens.findIndex((t) => t.text === "@" && t.kind === "special");
  if (colon >= 0 && (at < 0 || colon < at)) tokens = tokens.slice(colon + 1); // "group: a@b;"
  const addr = addrSpec(tokens);
  return addr === "" ? null : ["", addr];
}

/**
 * Python's `smtplib.quoteaddr`: the address in angle brackets, as `MAIL FROM:`
 * and `RCPT TO:` carry it (`"Name <a@b>"` → `"<a@b>"`); a string the parser
 * cannot read is sent as it is, in angle brackets unless it starts with one.
 * @param addrstring an address, with or without a display name
 * @returns the address in angle brackets
 * @example
 * ```ts
 * quoteaddr("Jane <jane@example.org>"); // "<jane@example.org>"
 * quoteaddr("");                        // "<>", the null sender
 * ```
 */
export function quoteaddr(addrstring: string): string {
  const parsed = parseAddress(addrstring);
  if (parsed === null) return addrstring.trim().startsWith("<") ? addrstring : `<${addrstring}>`;
  return `<${parsed[1]}>`;
}

/** Python's `smtplib._addr_only`: the bare address (`VRFY` and `EXPN` send it), or the string as it is. */
export function addrOnly(addrstring: string): string {
  const parsed = parseAddress(addrstring);
  return parsed === null ? addrstring : parsed[1];
}

const OLDSTYLE_AUTH = /^auth=(.*)/i;
const FEATURE = /^([A-Za-z0-9][A-Za-z0-9-]*) ?/;

/**
 * Python's EHLO parsing: the service extensions in a 250 reply's text (its
 * lines joined by `\n`, the first being the greeting), as lower-case keyword →
 * parameters. Every `AUTH` line (also the old `AUTH=` form) adds its
 * mechanisms to `auth`, each after a space, as Python does.
 * @param text the EHLO reply's text
 */
export function parseEhloFeatures(text: Uint8Array): Map<string, string> {
  const features = new Map<string, string>();
  const lines = Buffer.from(text).toString("latin1").split("\n").slice(1);
  for (const line of lines) {
    const old = OLDSTYLE_AUTH.exec(line);
    if (old) {
      features.set("auth", `${features.get("auth") ?? ""} ${old[1]}`);
      continue;
    }
    const m = FEATURE.exec(line);
    if (!m) continue;
    const feature = m[1]!.toLowerCase();
    const params = line.slice(m[1]!.length).trim();
    if (feature === "auth") features.set(feature, `${features.get(feature) ?? ""} ${params}`);
    else features.set(feature, params);
  }
  return features;
}
