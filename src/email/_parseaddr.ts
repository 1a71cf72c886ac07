/**
 * Python's `email._parseaddr` (internal; `netkit/email/utils` exports what
 * programs use): the RFC 2822 address-list parser inherited from the old
 * `rfc822` module, and the lenient date parser.
 *
 * @module
 */
import { strip } from "./_bytes.js";

const MONTHNAMES = [
  "jan",
  "feb",
  "mar",
  "apr",
  "may",
  "jun",
  "jul",
  "aug",
  "sep",
  "oct",
  "nov",
  "dec",
  "january",
  "february",
  "march",
  "april",
  "may",
  "june",
  "july",
  "august",
  "september",
  "october",
  "november",
  "december",
];
const DAYNAMES = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
const TIMEZONES: Record<string, number> = {
  UT: 0,
  UTC: 0,
  GMT: 0,
  Z: 0,
  AST: -400,
  ADT: -300,
  EST: -500,
  EDT: -400,
  CST: -600,
  CDT: -500,
  MST: -700,
  MDT: -600,
  PST: -800,
  PDT: -700,
};

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

/** Python's `int(s)`: optional blanks and sign, digits (underscores between them); `null` when it is not a number. */
function pyInt(s: string | number): number | null {
  if (typeof s === "number") return s;
  const m = /^\s*([+-]?)(\d+(?:_\d+)*)\s*$/u.exec(s);
  if (!m) return null;
  return Number.parseInt(m[1]! + m[2]!.replaceAll("_", ""), 10);
}

/** Python's `_parsedate_tz`: an RFC 2822 date (and many near misses), or `null`. */
export function parsedateTzRaw(input: string | null | undefined): DateTuple | null {
  if (!input) return null;
  let data = input.split(/\s+/u).filter((s) => s !== "");
  if (data.length === 0) return null;
  if (data[0]!.endsWith(",") || DAYNAMES.includes(data[0]!.toLowerCase())) data.shift();
  else {
    const i = data[0]!.lastIndexOf(",");
    if (i >= 0) data[0] = data[0]!.slice(i + 1);
  }
  if (data.length === 3) {
    const stuff = data[0]!.split("-");
    if (stuff.length === 3) data = [...stuff, ...data.slice(1)];
  }
  if (data.length === 4) {
    const s = data[3]!;
    let i = s.indexOf("+");
    if (i === -1) i = s.indexOf("-");
    if (i > 0) data.splice(3, 1, s.slice(0, i), s.slice(i));
    else data.push("");
  }
  if (data.length < 5) return null;
  let [dd, mm, yy, tm, tz] = data.slice(0, 5) as [string, string, string, string, string];
  if (!(dd && mm && yy)) return null;
  mm = mm.toLowerCase();
  if (!MONTHNAMES.includes(mm)) {
    [dd, mm] = [mm, dd.toLowerCase()];
    if (!MONTHNAMES.includes(mm)) return null;
  }
  let month = MONTHNAMES.indexOf(mm) + 1;
  if (month > 12) month -= 12;
  if (dd.endsWith(",")) dd = dd.slice(0, -1);
  if (yy.indexOf(":") > 0) [yy, tm] = [tm, yy];
  if (yy.endsWith(",")) {
    yy = yy.slice(0, -1);
    if (!yy) return null;
  }
  if (!/^\d/u.test(yy)) [yy, tz] = [tz, yy];
  if (tm.endsWith(",")) tm = tm.slice(0, -1);
  let parts = tm.split(":");
  let thh: string;
  let tmm: string;
  let tss: string | number;
  if (parts.length === 2) [thh, tmm, tss] = [parts[0]!, parts[1]!, "0"];
  else if (parts.length === 3) [thh, tmm, tss] = parts as [string, string, string];
  else if (parts.length === 1 && parts[0]!.includes(".")) {
    parts = parts[0]!.split(".");
    if (parts.length === 2) [thh, tmm, tss] = [parts[0]!, parts[1]!, 0];
    else if (parts.length === 3) [thh, tmm, tss] = parts as [string, string, string];
    else return null;
  } else return null;
  let year = pyInt(yy);
  const day = pyInt(dd);
  const hh = pyInt(thh);
  const mi = pyInt(tmm);
  const ss = pyInt(tss);
  if (year === null || day === null || hh === null || mi === null || ss === null) return null;
  if (year < 100) year += year > 68 ? 1900 : 2000;
  let tzoffset: number | null = null;
  const tzu = tz.toUpperCase();
  if (tzu in TIMEZONES) tzoffset = TIMEZONES[tzu]!;
  else {
    tzoffset = pyInt(tzu);
    if (tzoffset === 0 && tzu.startsWith("-")) tzoffset = null;
  }
  if (tzoffset) {
    const sign = tzoffset < 0 ? -1 : 1;
    const t = Math.abs(tzoffset);
    tzoffset = sign * (Math.floor(t / 100) * 3600 + (t % 100) * 60);
  }
  return [year, month, day, hh, mi, ss, 0, 1, -1, tzoffset];
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
