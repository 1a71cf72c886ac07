/**
 * The fast path of `loads`: a reader for the XML-RPC documents servers
 * and clients actually send (Python's layout, and any other whitespace
 * between elements), which builds the values straight from the text with
 * sticky regular expressions and `indexOf` — no events, no value stack.
 *
 * It reads a strict subset and gives up (`null`) on anything else: other
 * elements, attributes, comments, CDATA, self-closing forms other than
 * `<nil/>`, a DOCTYPE, bad values (a number `int()` refuses, a boolean that
 * is not 0 or 1), nesting near the depth limit — even a stack overflow.
 * The caller then runs the general path (the tokenizer and `Unmarshaller`)
 * on the same text, which gives the result or the exact error. So the fast
 * path only ever returns what the general path returns for the same
 * document: each rule here mirrors the event the general path would see.
 *
 * @module
 */
import { withCode } from "../errors/index.js";
import { decodebytes } from "./_base64.js";
import { pyFloat, pyInt, pyStrip } from "./_pynum.js";
import { Binary, DateTime, parseIso8601 } from "./_types.js";
import { isXmlChar, PREDEFINED } from "./_xml.js";

/** What the general path's `Unmarshaller` would hold at the end of the document. */
export interface FastResult {
  /** The `Unmarshaller`'s type after the last dispatched end tag. */
  type: "params" | "fault" | "methodName";
  /** Its value stack: the parameters, or the fault struct. */
  values: unknown[];
  /** The `<methodName>` text, or `null`. */
  methodname: string | null;
}

/** Options of the fast reader: the `Unmarshaller`'s and the depth limit. */
export interface FastOptions {
  useDatetime: boolean;
  useBytes: boolean;
  maxDepth: number;
}

/** Thrown inside the reader when the document leaves the subset (made once: no stack trace per bail). */
const BAIL = withCode(new Error("not in the fast subset"), "ERR_XMLRPC_NOT_FAST");

/** The XML declarations the reader takes (the tokenizer accepts these exactly so). */
const DECL = /<\?xml version=(["'])1\.[0-9]+\1(?: encoding=(["'])[A-Za-z][A-Za-z0-9._-]*\2)?\?>/y;
/**
 * Member names read lately (up to 64 characters each), by length and first
 * character: shared by every document, as the names recur across calls.
 */
const KEYS: Array<string | undefined> = Array.from({ length: 256 }, () => undefined);

/** The markup the reader matches, as sticky regular expressions: V8 tests these
 * several times faster than `startsWith` tests the same text. */
const M = {
  C_array: /<\/array>/y,
  C_arrayC_value: /<\/array><\/value>/y,
  C_base64: /<\/base64>/y,
  C_base64C_value: /<\/base64><\/value>/y,
  C_biginteger: /<\/biginteger>/y,
  C_boolean: /<\/boolean>/y,
  C_booleanC_value: /<\/boolean><\/value>/y,
  C_data: /<\/data>/y,
  C_dateTime_iso8601: /<\/dateTime\.iso8601>/y,
  C_dateTime_iso8601C_value: /<\/dateTime\.iso8601><\/value>/y,
  C_double: /<\/double>/y,
  C_doubleC_value: /<\/double><\/value>/y,
  C_fault: /<\/fault>/y,
  C_float: /<\/float>/y,
  C_i1: /<\/i1>/y,
  C_i2: /<\/i2>/y,
  C_i4: /<\/i4>/y,
  C_i8: /<\/i8>/y,
  C_int: /<\/int>/y,
  C_intC_value: /<\/int><\/value>/y,
  C_member: /<\/member>/y,
  C_methodCall: /<\/methodCall>/y,
  C_methodName: /<\/methodName>/y,
  C_methodResponse: /<\/methodResponse>/y,
  C_name: /<\/name>/y,
  C_nameNL_O_value: /<\/name>\n<value>/y,
  C_param: /<\/param>/y,
  C_params: /<\/params>/y,
  C_string: /<\/string>/y,
  C_stringC_value: /<\/string><\/value>/y,
  C_struct: /<\/struct>/y,
  C_structC_value: /<\/struct><\/value>/y,
  C_value: /<\/value>/y,
  NL_C_member: /\n<\/member>/y,
  NL_O_memberNL_O_name: /\n<member>\n<name>/y,
  O_array: /<array>/y,
  O_base64: /<base64>/y,
  O_biginteger: /<biginteger>/y,
  O_boolean: /<boolean>/y,
  O_data: /<data>/y,
  O_dateTime_iso8601: /<dateTime\.iso8601>/y,
  O_double: /<double>/y,
  O_ex_nil_SC: /<ex:nil\/>/y,
  O_fault: /<fault>/y,
  O_float: /<float>/y,
  O_i1: /<i1>/y,
  O_i2: /<i2>/y,
  O_i4: /<i4>/y,
  O_i8: /<i8>/y,
  O_int: /<int>/y,
  O_member: /<member>/y,
  O_methodCall: /<methodCall>/y,
  O_methodName: /<methodName>/y,
  O_methodResponse: /<methodResponse>/y,
  O_name: /<name>/y,
  O_nil_SC: /<nil\/>/y,
  O_param: /<param>/y,
  O_params: /<params>/y,
  O_string: /<string>/y,
  O_struct: /<struct>/y,
  O_value: /<value>/y,
};

/** The other integer elements, start and end tag. */
const SHORT_INTS: ReadonlyArray<readonly [RegExp, RegExp]> = [
  [M.O_i4, M.C_i4],
  [M.O_i8, M.C_i8],
  [M.O_i1, M.C_i1],
  [M.O_i2, M.C_i2],
];

/** True when `markup` matches `s` at `i` (then `markup.lastIndex` is where it ends). */
function at(s: string, markup: RegExp, i: number): boolean {
  markup.lastIndex = i;
  return markup.test(s);
}
const REF = /&(?:#([0-9]+)|#x([0-9a-fA-F]+)|([^\s&;<>"']+));/y;

/**
 * Reads a prepared document (whole, no forbidden characters, its encoding
 * declaration right) in the fast subset; `null` when it is not.
 */
export function readFast(text: string, options: FastOptions): FastResult | null {
  // Room for the deepest fixed part (methodResponse, params, param) and a value's own elements.
  if (options.maxDepth < 8) return null;
  try {
    return new FastReader(text, options).document();
  } catch {
    // BAIL, and anything else (a stack overflow on deep nesting, a value the
    // fast reader cannot convert): the general path reads the document again
    // and gives the answer, or the error, Python's parser gives.
    return null;
  }
}

class FastReader {
  readonly s: string;
  readonly len: number;
  readonly useDatetime: boolean;
  readonly useBytes: boolean;
  readonly maxDepth: number;
  i = 0;
  // The next `&`, `\r` and `]]>` at or after the position they were looked for from (len: none).
  nextAmp = -1;
  nextCr = -1;
  nextCdataEnd = -1;

  constructor(s: string, o: FastOptions) {
    this.s = s;
    this.len = s.length;
    this.useDatetime = o.useDatetime;
    this.useBytes = o.useBytes;
    this.maxDepth = o.maxDepth;
  }

  document(): FastResult {
    DECL.lastIndex = 0;
    if (DECL.test(this.s)) this.i = DECL.lastIndex;
    this.ws();
    let result: FastResult;
    if (this.eat(M.O_methodResponse)) {
      this.ws();
      if (this.eat(M.O_params)) result = { type: "params", values: this.params(), methodname: null };
      else {
        this.expect(M.O_fault);
        this.ws();
        const fault = this.value(3);
        this.ws();
        this.expect(M.C_fault);
        this.ws();
        result = { type: "fault", values: [fault], methodname: null };
      }
      this.expect(M.C_methodResponse);
    } else {
      this.expect(M.O_methodCall);
      this.ws();
      this.expect(M.O_methodName);
      const methodname = this.text();
      this.expect(M.C_methodName);
      this.ws();
      result = this.eat(M.O_params)
        ? { type: "params", values: this.params(), methodname }
        : { type: "methodName", values: [], methodname };
      this.expect(M.C_methodCall);
    }
    this.ws();
    if (this.i !== this.len) throw BAIL;
    return result;
  }

  /** After `<params>`: the `<param>` values, through `</params>` and the whitespace after it. */
  params(): unknown[] {
    const values: unknown[] = [];
    for (;;) {
      this.ws();
      if (!this.eat(M.O_param)) break;
      this.ws();
      values.push(this.value(4));
      this.ws();
      this.expect(M.C_param);
    }
    this.expect(M.C_params);
    this.ws();
    return values;
  }

  /** A `<value>` element, itself at element depth `depth`. */
  value(depth: number): unknown {
    this.expect(M.O_value);
    return this.valueBody(depth);
  }

  /**
   * The rest of a `<value>` at element depth `depth`, after its start tag,
   * through its end tag.
   */
  valueBody(depth: number): unknown {
    // Its own elements reach depth + 3 (struct, member, name); nested values check for themselves.
    if (depth + 3 > this.maxDepth) throw BAIL;
    const s = this.s;
    const start = this.i;
    let i = start;
    let c = s.charCodeAt(i);
    if (c !== 0x3c) {
      this.ws();
      i = this.i;
      c = s.charCodeAt(i);
    }
    if (c === 0x3c && s.charCodeAt(i + 1) !== 0x2f) {
      // A typed value: whitespace before and after it is data the general path drops.
      return this.typed(depth, i);
    }
    // Text only: a string, whitespace and all.
    this.i = start;
    const t = this.text();
    this.expect(M.C_value);
    return t;
  }

  /**
   * The end of a typed value: `close` and `</value>` (as `closeValue`, the
   * two together, when nothing stands between them).
   */
  close(closeValue: RegExp, close: RegExp): void {
    if (at(this.s, closeValue, this.i)) this.i = closeValue.lastIndex;
    else {
      this.expect(close);
      this.ws();
      this.expect(M.C_value);
    }
  }

  /** The typed element at `i` inside a `<value>` at `depth`, through the value's end tag. */
  typed(depth: number, i: number): unknown {
    const s = this.s;
    let v: unknown;
    switch (s.charCodeAt(i + 1)) {
      case 0x73: // s
        if (at(s, M.O_string, i)) {
          this.i = i + 8;
          v = this.text();
          this.close(M.C_stringC_value, M.C_string);
          return v;
        }
        if (at(s, M.O_struct, i)) {
          this.i = i + 8;
          v = this.struct(depth);
          this.close(M.C_structC_value, M.C_struct);
          return v;
        }
        break;
      case 0x69: // i
        if (at(s, M.O_int, i)) {
          this.i = i + 5;
          v = pyInt(this.text());
          this.close(M.C_intC_value, M.C_int);
          return v;
        }
        for (const [open, close] of SHORT_INTS) {
          if (at(s, open, i)) {
            this.i = i + 4;
            return this.closed(pyInt(this.text()), close);
          }
        }
        break;
      case 0x64: // d
        if (at(s, M.O_double, i)) {
          this.i = i + 8;
          v = pyFloat(this.text());
          this.close(M.C_doubleC_value, M.C_double);
          return v;
        }
        if (at(s, M.O_dateTime_iso8601, i)) {
          this.i = i + 18;
          const t = this.text();
          // Python's `DateTime(); decode(data)`: the text, stripped.
          v = this.useDatetime ? parseIso8601(t) : new DateTime(pyStrip(t));
          this.close(M.C_dateTime_iso8601C_value, M.C_dateTime_iso8601);
          return v;
        }
        break;
      case 0x62: // b
        if (at(s, M.O_boolean, i)) {
          this.i = i + 9;
          const t = this.text();
          if (t === "1") v = true;
          else if (t === "0") v = false;
          else throw BAIL;
          this.close(M.C_booleanC_value, M.C_boolean);
          return v;
        }
        if (at(s, M.O_base64, i)) {
          this.i = i + 8;
          const bytes = decodebytes(this.text());
          v = this.useBytes ? bytes : new Binary(bytes);
          this.close(M.C_base64C_value, M.C_base64);
          return v;
        }
        if (at(s, M.O_biginteger, i)) {
          this.i = i + 12;
          return this.closed(pyInt(this.text()), M.C_biginteger);
        }
        break;
      case 0x61: // a
        if (at(s, M.O_array, i)) {
          this.i = i + 7;
          v = this.array(depth);
          this.close(M.C_arrayC_value, M.C_array);
          return v;
        }
        break;
      case 0x6e: // n
        if (at(s, M.O_nil_SC, i)) {
          this.i = i + 6;
          return this.closed(null, null);
        }
        break;
      case 0x65: // e
        if (at(s, M.O_ex_nil_SC, i)) {
          this.i = i + 9;
          return this.closed(null, null);
        }
        break;
      case 0x66: // f
        if (at(s, M.O_float, i)) {
          this.i = i + 7;
          return this.closed(pyFloat(this.text()), M.C_float);
        }
        break;
      default:
    }
    throw BAIL;
  }

  /** `v`, after `close`, whitespace and `</value>` (the less common types' way). */
  closed(v: unknown, close: RegExp | null): unknown {
    if (close !== null) this.expect(close);
    this.ws();
    this.expect(M.C_value);
    return v;
  }

  /** After `<array>`: whitespace, `<data>`, the values, `</data>`, whitespace (not `</array>`). */
  array(depth: number): unknown[] {
    this.ws();
    this.expect(M.O_data);
    const items: unknown[] = [];
    const s = this.s;
    for (;;) {
      this.ws();
      if (!at(s, M.O_value, this.i)) break;
      this.i = M.O_value.lastIndex;
      items.push(this.valueBody(depth + 3));
    }
    this.expect(M.C_data);
    this.ws();
    return items;
  }

  /**
   * After `<struct>`: the members (a name, then a value) and the
   * whitespace after them (not `</struct>`); assigned in order as the
   * general path does. Python's layout (`<member>\n<name>`,
   * `</name>\n<value>`, `\n</member>\n`) is matched in one step each.
   */
  struct(depth: number): Record<string, unknown> {
    const obj: Record<string, unknown> = {};
    const s = this.s;
    for (;;) {
      if (at(s, M.NL_O_memberNL_O_name, this.i)) this.i = M.NL_O_memberNL_O_name.lastIndex;
      else {
        this.ws();
        if (!this.eat(M.O_member)) break;
        this.ws();
        this.expect(M.O_name);
      }
      const key = this.key();
      if (at(s, M.C_nameNL_O_value, this.i)) this.i = M.C_nameNL_O_value.lastIndex;
      else {
        this.expect(M.C_name);
        this.ws();
        this.expect(M.O_value);
      }
      const v = this.valueBody(depth + 3);
      if (at(s, M.NL_C_member, this.i)) this.i = M.NL_C_member.lastIndex;
      else {
        this.ws();
        this.expect(M.C_member);
      }
      if (key === "__proto__")
        Object.defineProperty(obj, key, { value: v, enumerable: true, writable: true, configurable: true });
      else obj[key] = v;
    }
    return obj;
  }

  /**
   * A member name: `text()`, answered from `KEYS` when the same name was
   * read before (records and calls repeat their names), which spares a new
   * string that the property store would then look up in V8's string table.
   */
  key(): string {
    const s = this.s;
    const i = this.i;
    const j = s.indexOf("<", i);
    const slot = ((j - i) * 31 + s.charCodeAt(i)) & 255;
    const known = KEYS[slot];
    if (
      known !== undefined &&
      known.length === j - i &&
      this.nextAmp >= j &&
      this.nextCr >= j &&
      this.nextCdataEnd >= j &&
      s.startsWith(known, i)
    ) {
      this.i = j;
      return known;
    }
    const t = this.text();
    if (t.length <= 64) KEYS[slot] = t;
    return t;
  }

  /** Character data up to the next `<`: references replaced, line ends read as `\n`. */
  text(): string {
    const s = this.s;
    const i = this.i;
    const j = s.indexOf("<", i);
    if (j < 0) throw BAIL;
    // `]]>` holds neither `<` nor `&`: one starting before `j` lies wholly in this text.
    if (this.nextCdataEnd < i) {
      const k = s.indexOf("]]>", i);
      this.nextCdataEnd = k < 0 ? this.len : k;
    }
    if (this.nextCdataEnd < j) throw BAIL;
    if (this.nextAmp < i) {
      const k = s.indexOf("&", i);
      this.nextAmp = k < 0 ? this.len : k;
    }
    if (this.nextCr < i) {
      const k = s.indexOf("\r", i);
      this.nextCr = k < 0 ? this.len : k;
    }
    this.i = j;
    if (this.nextAmp >= j && this.nextCr >= j) return s.slice(i, j);
    return this.decode(i, j);
  }

  /** Text from `i` to `j` with references and `\r`. */
  decode(i: number, j: number): string {
    const s = this.s;
    let out = "";
    let p = i;
    while (p < j) {
      let amp = s.indexOf("&", p);
      if (amp < 0 || amp > j) amp = j;
      if (amp > p) {
        const raw = s.slice(p, amp);
        out += raw.includes("\r") ? raw.replace(/\r\n?/g, "\n") : raw;
      }
      if (amp === j) break;
      REF.lastIndex = amp;
      const m = REF.exec(s);
      if (m === null) throw BAIL;
      if (m[3] !== undefined) {
        if (!Object.hasOwn(PREDEFINED, m[3])) throw BAIL;
        out += PREDEFINED[m[3]];
      } else {
        const digits = m[1] ?? m[2]!;
        if (digits.length > 8) throw BAIL;
        const cp = Number.parseInt(digits, m[1] !== undefined ? 10 : 16);
        if (!isXmlChar(cp)) throw BAIL;
        out += String.fromCodePoint(cp);
      }
      p = REF.lastIndex;
    }
    return out;
  }

  /** Skips XML whitespace (the data the general path drops between elements). */
  ws(): void {
    const s = this.s;
    let i = this.i;
    for (;;) {
      const c = s.charCodeAt(i);
      if (c === 0x0a || c === 0x20 || c === 0x09 || c === 0x0d) i++;
      else break;
    }
    this.i = i;
  }

  eat(markup: RegExp): boolean {
    if (!at(this.s, markup, this.i)) return false;
    this.i = markup.lastIndex;
    return true;
  }

  expect(markup: RegExp): void {
    if (!at(this.s, markup, this.i)) throw BAIL;
    this.i = markup.lastIndex;
  }
}
