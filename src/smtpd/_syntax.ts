/**
 * The pure parts of smtpd's command parsing, mirroring `SMTPChannel`'s
 * `_strip_command_keyword`, `_getaddr` and `_getparams` in Python 3.11's
 * `Lib/smtpd.py`. Python's `_getaddr` leans on `email._header_value_parser`
 * (`get_angle_addr`, `get_addr_spec`); this is a small reader of the same
 * RFC 5322 shapes (angle address with an optional source route, dot-atom or
 * quoted local part, dot-atom domain or domain literal, comments and folding
 * white space around tokens). Where Python's parser throws (a trailing dot
 * in the domain, say) and the connection dies with a traceback, this returns
 * no address and the command gets its 501.
 *
 * @module
 */
import { PY_WS, pyStrip } from "../_pystr.js";

/** RFC 5322 `atext`, plus every non-ASCII character (RFC 6532). */
const ATEXT = /[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~\u0080-\u{10FFFF}]/u;
/** Python's `str.split()` separators. */
const PY_SPLIT = new RegExp(`[${PY_WS}]+`);

/**
 * Python's `_strip_command_keyword`: `arg` without a leading `keyword`
 * (compared upper-cased), stripped; `""` when it does not start with it.
 * @param keyword `"FROM:"` or `"TO:"`
 * @param arg the command's argument
 * @returns the rest
 */
export function stripCommandKeyword(keyword: string, arg: string): string {
  if (arg.slice(0, keyword.length).toUpperCase() === keyword) return pyStrip(arg.slice(keyword.length));
  return "";
}

/**
 * Python's `str.upper().split()` of the parameters after an address.
 * @param params what follows the address
 * @returns the parameters, upper-cased
 */
export function splitOptions(params: string): string[] {
  return params
    .toUpperCase()
    .split(PY_SPLIT)
    .filter((p) => p !== "");
}

/**
 * Python's `_getparams`: `NAME=value` or `NAME` parameters as a map, or
 * `null` when one is not syntactically valid (RFC 1869: the name is letters
 * and digits; a `=` must be followed by a value).
 * @param params the parameters, as `splitOptions` returns them
 * @returns name → value (`true` for a name alone), or `null`
 */
export function getParams(params: readonly string[]): Map<string, string | true> | null {
  const result = new Map<string, string | true>();
  for (const param of params) {
    const eq = param.indexOf("=");
    const name = eq < 0 ? param : param.slice(0, eq);
    const value = eq < 0 ? "" : param.slice(eq + 1);
    if (!/^[\p{L}\p{N}]+$/u.test(name) || (eq >= 0 && value === "")) return null;
    result.set(name, eq < 0 ? true : value);
  }
  return result;
}

/** A cursor over the argument being parsed. */
class Cursor {
  pos = 0;
  constructor(readonly text: string) {}

  /** The character at the cursor (`""` at the end). */
  peek(): string {
    return this.text[this.pos] ?? "";
  }

  /** What is left. */
  rest(): string {
    return this.text.slice(this.pos);
  }

  /** Skips RFC 5322 CFWS: white space and (nested) comments. False on an unclosed comment. */
  skipCFWS(): boolean {
    for (;;) {
      const c = this.peek();
      if (c === " " || c === "\t") {
        this.pos++;
      } else if (c === "(") {
        let depth = 0;
        do {
          const d = this.text[this.pos++];
          if (d === undefined) return false;
          if (d === "\\") this.pos++;
          else if (d === "(") depth++;
          else if (d === ")") depth--;
        } while (depth > 0);
      } else {
        return true;
      }
    }
  }
}

/** An atom (RFC 5322 `atext` run), or `""`. */
function atom(p: Cursor): string {
  const start = p.pos;
  while (p.peek() !== "" && ATEXT.test(p.peek())) p.pos += p.peek().length;
  return p.text.slice(start, p.pos);
}

/** A quoted string, kept quoted (as Python's `addr_spec` keeps it), or `null`. */
function quotedString(p: Cursor): string | null {
  const start = p.pos;
  p.pos++;
  for (;;) {
    const c = p.text[p.pos++];
    if (c === undefined) return null;
    if (c === "\\") p.pos++;
    else if (c === '"') return p.text.slice(start, p.pos);
  }
}

/**
 * A local part: atoms and quoted strings joined by dots; RFC 5322's obsolete
 * forms (`a..b`, `.a`, `a.`) are accepted, as Python accepts them.
 */
function localPart(p: Cursor): string | null {
  let out = "";
  let any = false;
  for (;;) {
    if (!p.skipCFWS()) return null;
    if (p.peek() === '"') {
      const q = quotedString(p);
      if (q === null) return null;
      out += q;
      any = true;
    } else {
      const a = atom(p);
      if (a !== "") any = true;
      out += a;
    }
    if (!p.skipCFWS()) return null;
    if (p.peek() !== ".") break;
    p.pos++;
    out += ".";
    any = true;
  }
  return any ? out : null;
}

/** A domain: a dot-atom (no empty label) or a `[...]` literal; `null` if neither. */
function domain(p: Cursor): string | null {
  if (!p.skipCFWS()) return null;
  if (p.peek() === "[") {
    const end = p.text.indexOf("]", p.pos);
    if (end < 0) return null;
    const literal = p.text.slice(p.pos, end + 1);
    if (/[[\\\s]/.test(literal.slice(1, -1))) return null;
    p.pos = end + 1;
    return literal;
  }
  const labels = [atom(p)];
  while (p.peek() === ".") {
    p.pos++;
    labels.push(atom(p));
  }
  if (labels.some((l) => l === "")) return null;
  return labels.join(".");
}

/** An addr-spec (`local@domain`, or a local part alone as Python allows), or `null`. */
function addrSpec(p: Cursor): string | null {
  const local = localPart(p);
  if (local === null) return null;
  if (p.peek() !== "@") return local;
  p.pos++;
  const dom = domain(p);
  return dom === null ? null : `${local}@${dom}`;
}

/** RFC 5321's obsolete source route (`@a,@b:`), which Python reads and drops. */
function skipRoute(p: Cursor): boolean {
  for (;;) {
    if (p.peek() !== "@") return false;
    p.pos++;
    if (domain(p) === null) return false;
    if (!p.skipCFWS()) return false;
    if (p.peek() === ":") {
      p.pos++;
      return true;
    }
    if (p.peek() !== ",") return false;
    p.pos++;
    if (!p.skipCFWS()) return false;
  }
}

/**
 * Python's `SMTPChannel._getaddr`: the address at the start of `arg` and
 * the rest (the parameters). `<>` (the null reverse-path) comes back as
 * `"<>"`. A missing `>` is forgiven, as Python forgives it.
 * @param arg what follows `FROM:` / `TO:` (or VRFY's argument)
 * @returns `[address, rest]`; the address is `""` when there is none
 */
export function getAddr(arg: string): [string, string] {
  if (!arg) return ["", ""];
  const p = new Cursor(arg);
  if (!p.skipCFWS()) return ["", arg];
  if (p.peek() === "<") {
    p.pos++;
    if (!p.skipCFWS()) return ["", arg];
    if (p.peek() === ">") {
      p.pos++;
      p.skipCFWS();
      return ["<>", p.rest()];
    }
    if (p.peek() === "@" && !skipRoute(p)) return ["", arg];
    const spec = addrSpec(p);
    if (spec === null) return ["", arg];
    if (!p.skipCFWS()) return ["", arg];
    if (p.peek() === ">") p.pos++;
    p.skipCFWS();
    return [spec, p.rest()];
  }
  const spec = addrSpec(p);
  if (spec === null) return ["", arg];
  p.skipCFWS();
  return [spec, p.rest()];
}
