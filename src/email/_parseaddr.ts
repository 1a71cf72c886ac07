/**
 * Python's `email._parseaddr` (internal; `netkit/email/utils` exports what
 * programs use): the RFC 2822 address-list parser inherited from the old
 * `rfc822` module, and the lenient date parser.
 *
 * @module
 */
import { parsedateTz } from "../_parsedate.js";
import { strip } from "./_bytes.js";

/** A parsed date: Python's 10-tuple (year, month, day, hour, minute, second, 0, 1, -1, UTC offset in seconds or `null`). */
export type DateTuple = [
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number | null,
];

/** Python's `_parsedate_tz`: an RFC 2822 date (and many near misses) as its 10-tuple, or `null`. */
export function parsedateTzRaw(input: string | null | undefined): DateTuple | null {
  const d = input ? parsedateTz(input) : null;
  if (d === null) return null;
  return [d.year, d.month, d.day, d.hour, d.minute, d.second, 0, 1, -1, d.tzoffset];
}

/** One parsed address: `[realname, email]`. */
export type AddressPair = [string, string];

const SPECIALS = '()<>@,:;."[]';
const LWS = " \t";
const CR = "\r\n";
const FWS = LWS + CR;
const ATOMENDS = SPECIALS + LWS + CR;
const PHRASEENDS = ATOMENDS.replace(".", "");

/**
 * How deep comments nest before a `(` inside one is read as text (netkit's
 * limit; Python recurses until its `RecursionError`): each level is a call.
 */
export const MAX_COMMENT_DEPTH = 200;

/** Python's `quote` of this module: escapes `\` and `"`. */
const quote = (s: string) => s.replaceAll("\\", "\\\\").replaceAll('"', '\\"');

/** Python's `AddrlistClass`/`AddressList`: the lenient RFC 2822 address-list parser. */
export class AddressList {
  #pos = 0;
  #depth = 0;
  #field: string;
  #commentlist: string[] = [];
  /** The addresses parsed. */
  readonly addresslist: AddressPair[];

  /** @param field the header value */
  constructor(field: string | null) {
    this.#field = field ?? "";
    this.addresslist = field ? this.#getaddrlist() : [];
  }

  #gotonext(): string {
    let ws = "";
    const f = this.#field;
    while (this.#pos < f.length) {
      const c = f[this.#pos]!;
      if (" \t\n\r".includes(c)) {
        if (c !== "\n" && c !== "\r") ws += c;
        this.#pos++;
      } else if (c === "(") this.#commentlist.push(this.#getcomment());
      else break;
    }
    return ws;
  }

  #getaddrlist(): AddressPair[] {
    const result: AddressPair[] = [];
    while (this.#pos < this.#field.length) {
      const ad = this.#getaddress();
      if (ad.length > 0) result.push(...ad);
      else result.push(["", ""]);
    }
    return result;
  }

  #getaddress(): AddressPair[] {
    const f = this.#field;
    this.#commentlist = [];
    this.#gotonext();
    const oldpos = this.#pos;
    const oldcl = this.#commentlist;
    const plist = this.#getphraselist();
    this.#gotonext();
    let returnlist: AddressPair[] = [];
    if (this.#pos >= f.length) {
      if (plist.length > 0) returnlist = [[this.#commentlist.join(" "), plist[0]!]];
    } else if (".@".includes(f[this.#pos]!)) {
      // An address without a display name: start again, as an addr-spec.
      this.#pos = oldpos;
      this.#commentlist = oldcl;
      const addrspec = this.#getaddrspec();
      returnlist = [[this.#commentlist.join(" "), addrspec]];
    } else if (f[this.#pos] === ":") {
      // A group (RFC 2822 section 3.4): its members, up to ';'.
      returnlist = [];
      const fieldlen = f.length;
      this.#pos++;
      while (this.#pos < f.length) {
        this.#gotonext();
        if (this.#pos < fieldlen && f[this.#pos] === ";") {
          this.#pos++;
          break;
        }
        returnlist = returnlist.concat(this.#getaddress());
      }
    } else if (f[this.#pos] === "<") {
      const routeaddr = this.#getrouteaddr();
      if (this.#commentlist.length > 0) {
        returnlist = [[`${plist.join(" ")} (${this.#commentlist.join(" ")})`, routeaddr]];
      } else returnlist = [[plist.join(" "), routeaddr]];
    } else if (plist.length > 0) {
      returnlist = [[this.#commentlist.join(" "), plist[0]!]];
    } else if (SPECIALS.includes(f[this.#pos]!)) {
      this.#pos++;
    }
    this.#gotonext();
    if (this.#pos < f.length && f[this.#pos] === ",") this.#pos++;
    return returnlist;
  }

  #getrouteaddr(): string {
    const f = this.#field;
    if (f[this.#pos] !== "<") return "";
    let expectroute = false;
    this.#pos++;
    this.#gotonext();
    let adlist = "";
    while (this.#pos < f.length) {
      if (expectroute) {
        this.#getdomain();
        expectroute = false;
      } else if (f[this.#pos] === ">") {
        this.#pos++;
        break;
      } else if (f[this.#pos] === "@") {
        this.#pos++;
        expectroute = true;
      } else if (f[this.#pos] === ":") {
        this.#pos++;
      } else {
        adlist = this.#getaddrspec();
        this.#pos++;
        break;
      }
      this.#gotonext();
    }
    return adlist;
  }

  #getaddrspec(): string {
    const f = this.#field;
    const aslist: string[] = [];
    this.#gotonext();
    while (this.#pos < f.length) {
      let preserveWs = true;
      const c = f[this.#pos]!;
      if (c === ".") {
        if (aslist.length > 0 && !strip(aslist[aslist.length - 1]!)) aslist.pop();
        aslist.push(".");
        this.#pos++;
        preserveWs = false;
      } else if (c === '"') {
        aslist.push(`"${quote(this.#getquote())}"`);
      } else if (ATOMENDS.includes(c)) {
        if (aslist.length > 0 && !strip(aslist[aslist.length - 1]!)) aslist.pop();
        break;
      } else aslist.push(this.#getatom());
      const ws = this.#gotonext();
      if (preserveWs && ws) aslist.push(ws);
    }
    if (this.#pos >= f.length || f[this.#pos] !== "@") return aslist.join("");
    aslist.push("@");
    this.#pos++;
    this.#gotonext();
    const domain = this.#getdomain();
    if (!domain) return "";
    return aslist.join("") + domain;
  }

  #getdomain(): string {
    const f = this.#field;
    const sdlist: string[] = [];
    while (this.#pos < f.length) {
      const c = f[this.#pos]!;
      if (LWS.includes(c)) this.#pos++;
      else if (c === "(") this.#commentlist.push(this.#getcomment());
      else if (c === "[") sdlist.push(this.#getdomainliteral());
      else if (c === ".") {
        this.#pos++;
        sdlist.push(".");
      } else if (c === "@") return "";
      else if (ATOMENDS.includes(c)) break;
      else sdlist.push(this.#getatom());
    }
    return sdlist.join("");
  }

  #getdelimited(beginchar: string, endchars: string, allowcomments: boolean): string {
    const f = this.#field;
    if (f[this.#pos] !== beginchar) return "";
    const slist: string[] = [""];
    let quoted = false;
    this.#pos++;
    while (this.#pos < f.length) {
      const c = f[this.#pos]!;
      if (quoted) {
        slist.push(c);
        quoted = false;
      } else if (endchars.includes(c)) {
        this.#pos++;
        break;
      } else if (allowcomments && c === "(" && this.#depth < MAX_COMMENT_DEPTH) {
        this.#depth++;
        slist.push(this.#getcomment());
        this.#depth--;
        continue;
      } else if (c === "\\") quoted = true;
      else slist.push(c);
      this.#pos++;
    }
    return slist.join("");
  }

  #getquote(): string {
    return this.#getdelimited('"', '"\r', false);
  }

  #getcomment(): string {
    return this.#getdelimited("(", ")\r", true);
  }

  #getdomainliteral(): string {
    return `[${this.#getdelimited("[", "]\r", false)}]`;
  }

  #getatom(atomends = ATOMENDS): string {
    const f = this.#field;
    let atom = "";
    while (this.#pos < f.length && !atomends.includes(f[this.#pos]!)) atom += f[this.#pos++];
    return atom;
  }

  #getphraselist(): string[] {
    const f = this.#field;
    const plist: string[] = [];
    while (this.#pos < f.length) {
      const c = f[this.#pos]!;
      if (FWS.includes(c)) this.#pos++;
      else if (c === '"') plist.push(this.#getquote());
      else if (c === "(") this.#commentlist.push(this.#getcomment());
      else if (PHRASEENDS.includes(c)) break;
      else plist.push(this.#getatom(PHRASEENDS));
    }
    return plist;
  }
}
