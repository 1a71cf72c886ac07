/**
 * Python's `email.message`: the message model.
 *
 * A `Message` is an ordered list of headers (names keep their case, look-ups
 * ignore it, a name may repeat) and a payload: text for a leaf part, a list
 * of `Message`s for a multipart or a `message/rfc822` part, or `null`.
 * Bytes parsed by `BytesParser` live in the text as Python keeps them:
 * each byte 0x80..0xFF as the lone surrogate U+DC80..U+DCFF
 * (`surrogateescape`), so `asBytes()` writes them back unchanged.
 *
 * ```text
 * Message                    compat32: email 5.1's API
 *  └── MIMEPart              the modern API (getBody, iterParts, setContent, ...)
 *       └── EmailMessage     adds MIME-Version when content is set
 * ```
 *
 * For subclasses (mailbox's `MaildirMessage` and friends): `_headers`,
 * `_payload`, `_charset`, `_unixfrom` and `_defaultType` are Python's fields
 * of the same names; the parser calls `setRaw`, `attach`, `setPayload`,
 * `setUnixfrom` and `setDefaultType` only.
 *
 * Where netkit differs: `get()`, `getAll()`, `values()` and `items()` return
 * text. Python's compat32 returns a `Header` for a value holding 8-bit bytes;
 * here that value comes back as `String(header)` (the bytes as U+FFFD), and
 * `rawItems()` gives the stored value for anyone who needs the bytes.
 *
 * @module
 */
import { decodeBase64Lines } from "../_binascii.js";
import { lookupCodec } from "../_codecs.js";
import { KeyError, LookupError, pyTypeName, ValueError, withCode } from "../errors/index.js";
import {
  a2bQp,
  a2bUu,
  BinasciiError,
  b64decode,
  decodeSurrogateEscape,
  encodeRawUnicodeEscape,
  encodeSurrogateEscape,
  hasSurrogates,
  isAscii,
  rstrip,
  splitBytesLines,
  strip,
} from "./_bytes.js";
import { compat32, type HeaderValue, type Policy } from "./_policybase.js";
import { Charset } from "./charset.js";
import {
  HeaderParseError,
  InvalidBase64CharactersDefect,
  InvalidBase64LengthDefect,
  InvalidBase64PaddingDefect,
  type MessageDefect,
} from "./errors.js";
import { BytesGenerator, Generator as TextGenerator } from "./generator.js";
import { Header } from "./header.js";
import {
  collapseRfc2231Value,
  decodeParams,
  encodeRfc2231,
  type ParamValue,
  quote,
  unquote,
} from "./utils.js";

const SEMISPACE = "; ";
const TSPECIALS = /[ ()<>@,;:\\"/[\]?=]/;

/** A payload: text, a list of parts, or nothing. */
export type Payload = string | Message[] | null;

/** Python's `_splitparam`: `"text/plain; charset=x"` to `["text/plain", "charset=x"]`. */
function splitparam(param: string): [string, string | null] {
  const i = param.indexOf(";");
  if (i < 0) return [strip(param), null];
  return [strip(param.slice(0, i)), strip(param.slice(i + 1))];
}

/**
 * Python's `_formatparam`: `name="value"`, RFC 2231 for a non-ASCII or
 * `[charset, language, value]` value, the bare name for an empty one.
 */
export function formatParam(param: string, value: ParamValue | null = null, requote = true): string {
  if (value !== null && value.length > 0) {
    if (typeof value !== "string") {
      return `${param}*=${encodeRfc2231(value[2], value[0], value[1])}`;
    }
    if (!isAscii(value)) return `${param}*=${encodeRfc2231(value, "utf-8", "")}`;
    if (requote || TSPECIALS.test(value)) return `${param}="${quote(value)}"`;
    return `${param}=${value}`;
  }
  return param;
}

/** Python's `_parseparam`: splits a header value at the `;`s outside quoted strings. */
function parseparam(value: string): string[] {
  let s = `;${value}`;
  const out: string[] = [];
  while (s[0] === ";") {
    s = s.slice(1);
    let end = s.indexOf(";");
    while (end > 0 && countQuotes(s, end) % 2 !== 0) end = s.indexOf(";", end + 1);
    if (end < 0) end = s.length;
    let f = s.slice(0, end);
    const eq = f.indexOf("=");
    if (eq >= 0) f = `${strip(f.slice(0, eq)).toLowerCase()}=${strip(f.slice(eq + 1))}`;
    out.push(strip(f));
    s = s.slice(end);
  }
  return out;
}

/** `s.count('"', 0, end) - s.count('\\"', 0, end)`. */
function countQuotes(s: string, end: number): number {
  let quotes = 0;
  let escaped = 0;
  for (let i = 0; i < end; i++) {
    if (s[i] === '"') {
      quotes++;
      if (i > 0 && s[i - 1] === "\\") escaped++;
    }
  }
  return quotes - escaped;
}

function unquoteValue(value: ParamValue): ParamValue {
  return typeof value === "string" ? unquote(value) : [value[0], value[1], unquote(value[2])];
}

/** Python's `_decode_uu`: the bytes of a uuencoded body, from its `begin` line to `end`. */
function decodeUu(encoded: Buffer): Buffer {
  const lines = splitBytesLines(encoded);
  let i = 0;
  for (; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.subarray(0, 6).toString("latin1") === "begin ") {
      const rest = line.subarray(6).toString("latin1");
      const sp = rest.indexOf(" ");
      const mode = sp < 0 ? rest : rest.slice(0, sp);
      if (/^\s*[+-]?(0[oO])?[0-7]+(_[0-7]+)*\s*$/.test(mode) || /^\s*[+-]?[0-7]+\s*$/.test(mode)) break;
    }
  }
  if (i >= lines.length) throw new ValueError("`begin` line not found");
  const out: Buffer[] = [];
  for (i++; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.length === 0) throw new ValueError("Truncated input");
    if (line.toString("latin1").replace(/^[ \t\r\n\f]+|[ \t\r\n\f]+$/g, "") === "end") break;
    try {
      out.push(a2bUu(line));
    } catch (e) {
      if (!(e instanceof BinasciiError)) throw e;
      // Workaround for broken uuencoders (Python's /Fredrik Lundh).
      const nbytes = Math.floor((((line[0]! - 32) & 63) * 4 + 5) / 3);
      out.push(a2bUu(line.subarray(0, nbytes)));
    }
  }
  return Buffer.concat(out);
}

/**
 * Python's `email._encoded_words.decode_b`: base64 decoded as leniently as
 * Python, with the defects it finds.
 */
export function decodeB(encoded: Buffer): [Buffer, MessageDefect[]] {
  const padErr = encoded.length % 4;
  const padded = padErr ? Buffer.concat([encoded, Buffer.from("===".slice(0, 4 - padErr))]) : encoded;
  try {
    return [b64decode(padded, true), padErr ? [new InvalidBase64PaddingDefect()] : []];
  } catch {
    try {
      return [b64decode(encoded, false), [new InvalidBase64CharactersDefect()]];
    } catch {
      try {
        return [
          b64decode(Buffer.concat([encoded, Buffer.from("==")]), false),
          [new InvalidBase64CharactersDefect(), new InvalidBase64PaddingDefect()],
        ];
      } catch {
        return [encoded, [new InvalidBase64LengthDefect()]];
      }
    }
  }
}

/** Options of the parameter methods: which header, and whether to unquote. */
export interface ParamOptions {
  /** The header holding the parameters. @default "content-type" */
  header?: string;
  /** Remove the quotes around values. @default true */
  unquote?: boolean;
}

/** Options of `setParam`. */
export interface SetParamOptions {
  /** The header holding the parameters. @default "Content-Type" */
  header?: string;
  /** Quote the value. @default true */
  requote?: boolean;
  /** Write the value as RFC 2231 in this charset. */
  charset?: string | null;
  /** The RFC 2231 language. @default "" */
  language?: string;
  /** Replace the header in place instead of moving it to the end. @default false */
  replace?: boolean;
}

/** Options of `asString`. */
export interface AsStringOptions {
  /** Write the envelope's "From " line first. @default false */
  unixfrom?: boolean;
  /** The longest header line (Python's `maxheaderlen`; 0: no folding). @default 0 */
  maxheaderlen?: number | null;
  /** The policy to write with. @default the message's */
  policy?: Policy | null;
}

/** A fetched header, checked against the class a caller expects (when one is given). */
function expectHeader<H>(
  value: unknown,
  name: string,
  type: (abstract new (...args: never[]) => H) | undefined,
): HeaderValue | H {
  if (type === undefined) return value as HeaderValue;
  if (value instanceof type) return value;
  const got = typeof value === "string" ? "text (the policy makes no header objects)" : pyTypeName(value);
  throw withCode(
    new TypeError(`header ${name} is ${got}, not ${pyTypeName(type.prototype)}`),
    "ERR_INVALID_ARG_TYPE",
  );
}

/**
 * Python's `email.message.Message`: headers and a payload, with the compat32
 * API. `String(msg)` is `msg.asString()`. Iterating yields the header names.
 */
export class Message {
  /** The policy that parsed or built the message. */
  policy: Policy;
  /** Python's `_headers`: `[name, value]` pairs, in order, as the policy stored them. */
  _headers: [string, HeaderValue][] = [];
  /** Python's `_unixfrom`: the envelope's "From " line, without its line end. */
  _unixfrom: string | null = null;
  /** Python's `_payload`. */
  _payload: Payload = null;
  /** Python's `_charset`: set by `setCharset`. */
  _charset: Charset | null = null;
  /** The text before the first boundary of a multipart, or `null`. */
  preamble: string | null = null;
  /** The text after the last boundary of a multipart, or `null`. */
  epilogue: string | null = null;
  /** The defects the parser found in this part. */
  defects: MessageDefect[] = [];
  /** Python's `_default_type`: the type when there is no Content-Type. */
  _defaultType = "text/plain";

  /** @param policy the policy (default `compat32`) */
  constructor(policy: Policy = compat32) {
    this.policy = policy;
  }

  /** Python's `__str__`: `asString()`. */
  toString(): string {
    return this.asString();
  }

  /**
   * Python's `as_string`: the whole message as text, with the policy's line
   * ends. 8-bit bytes become `unknown-8bit` encoded words (headers) or are
   * re-encoded with the part's charset (bodies).
   */
  asString(options: AsStringOptions = {}): string {
    const policy = options.policy ?? this.policy;
    const out: string[] = [];
    const g = new TextGenerator({ write: (s: string) => out.push(s) }, false, options.maxheaderlen ?? 0, {
      policy,
    });
    g.flatten(this, options.unixfrom ?? false);
    return out.join("");
  }

  /** Python's `as_bytes`: the whole message as bytes, 8-bit bytes kept. */
  asBytes(options: { unixfrom?: boolean; policy?: Policy | null } = {}): Buffer {
    const policy = options.policy ?? this.policy;
    const out: Buffer[] = [];
    const g = new BytesGenerator({ write: (b: Buffer) => out.push(b) }, false, null, { policy });
    g.flatten(this, options.unixfrom ?? false);
    return out.length === 1 ? out[0]! : Buffer.concat(out);
  }

  /** Python's `is_multipart`: the payload is a list of parts. */
  isMultipart(): boolean {
    return Array.isArray(this._payload);
  }

  /** Python's `set_unixfrom`. */
  setUnixfrom(unixfrom: string | null): void {
    this._unixfrom = unixfrom;
  }

  /** Python's `get_unixfrom`. */
  getUnixfrom(): string | null {
    return this._unixfrom;
  }

  /**
   * Python's `attach`: adds a part to a multipart payload.
   * @throws {TypeError} when the payload is text
   */
  attach(payload: Message): void {
    if (this._payload === null) this._payload = [payload];
    else if (Array.isArray(this._payload)) this._payload.push(payload);
    else
      throw withCode(
        new TypeError("Attach is not valid on a message with a non-multipart payload"),
        "ERR_INVALID_ARG_TYPE",
      );
  }

  /**
   * Python's `get_payload`. Without arguments: the text or the list of parts.
   * With a number: that part. With `{ decode: true }`: the body's bytes,
   * decoded from its Content-Transfer-Encoding (quoted-printable, base64,
   * uuencode; base64 defects are recorded), `null` for a multipart.
   * Text holding 8-bit bytes comes back decoded with the part's charset
   * (U+FFFD for what does not decode).
   * @throws {TypeError} for a number on a message that is not multipart
   */
  getPayload(): Payload;
  getPayload(i: number): Message;
  getPayload(options: { decode: true }): Buffer | null;
  getPayload(options: { i?: number; decode?: boolean }): Payload | Message | Buffer;
  getPayload(arg?: number | { i?: number; decode?: boolean }): Payload | Message | Buffer {
    const i = typeof arg === "number" ? arg : arg?.i;
    const decode = typeof arg === "object" && arg.decode === true;
    if (Array.isArray(this._payload)) {
      if (decode) return null;
      if (i === undefined) return this._payload;
      const part = this._payload[i < 0 ? this._payload.length + i : i];
      if (!part) throw withCode(new RangeError("list index out of range"), "ERR_OUT_OF_RANGE");
      return part;
    }
    if (i !== undefined)
      throw withCode(
        new TypeError(
          `Expected list, got ${this._payload === null ? "<class 'NoneType'>" : "<class 'str'>"}`,
        ),
        "ERR_INVALID_ARG_TYPE",
      );
    let payload = this._payload;
    const cte = this._getText("content-transfer-encoding", "").toLowerCase();
    if (decode && cte === "base64" && typeof payload === "string") {
      // Well-formed base64 (the usual case): no defects, Node's decoder.
      const bytes = decodeBase64Lines(payload);
      if (bytes !== null) return bytes;
    }
    let bpayload: Buffer | null = null;
    if (typeof payload === "string") {
      if (hasSurrogates(payload)) {
        bpayload = encodeSurrogateEscape(payload);
        if (!decode) {
          const charset = this.getParam("charset", "ascii");
          try {
            payload = lookupCodec(typeof charset === "string" ? charset : String(charset)).decode(
              bpayload,
              "replace",
            );
          } catch (e) {
            if (!(e instanceof LookupError)) throw e;
            payload = lookupCodec("ascii").decode(bpayload, "replace");
          }
        }
      } else if (decode) {
        bpayload = isAscii(payload) ? Buffer.from(payload, "latin1") : encodeRawUnicodeEscape(payload);
      }
    }
    if (!decode) return payload;
    if (bpayload === null) return payload;
    if (cte === "quoted-printable") return a2bQp(bpayload);
    if (cte === "base64") {
      const [value, defects] = decodeB(Buffer.concat(splitBytesLines(bpayload)));
      for (const defect of defects) this.policy.handleDefect(this, defect);
      return value;
    }
    if (cte === "x-uuencode" || cte === "uuencode" || cte === "uue" || cte === "x-uue") {
      try {
        return decodeUu(bpayload);
      } catch (e) {
        if (e instanceof ValueError || e instanceof BinasciiError) return bpayload;
        throw e;
      }
    }
    return bpayload;
  }

  /**
   * Python's `set_payload`: sets the payload; bytes are kept as escaped
   * text. With a charset, text is encoded in it and the charset set
   * (`setCharset`).
   */
  setPayload(payload: string | Uint8Array | Message[] | null, charset: Charset | string | null = null): void {
    let p: string | Uint8Array | Message[] | null = payload;
    let cs: Charset | null = null;
    if (typeof p === "string") {
      if (charset === null) {
        this._payload = p;
        return;
      }
      cs = charset instanceof Charset ? charset : new Charset(charset);
      p = lookupCodec(cs.outputCharset).encode(p, "strict");
    }
    if (p instanceof Uint8Array) this._payload = decodeSurrogateEscape(p);
    else this._payload = p;
    if (charset !== null)
      this.setCharset(cs ?? (charset instanceof Charset ? charset : new Charset(charset)));
  }

  /**
   * Python's `set_charset`: sets the charset parameter, adds MIME-Version,
   * Content-Type and Content-Transfer-Encoding as needed, and encodes the
   * payload for the charset. `null` removes the charset parameter.
   */
  setCharset(charset: Charset | string | null): void {
    if (charset === null) {
      this.delParam("charset");
      this._charset = null;
      return;
    }
    const cs = charset instanceof Charset ? charset : new Charset(charset);
    this._charset = cs;
    if (!this.has("MIME-Version")) this.addHeader("MIME-Version", "1.0");
    if (!this.has("Content-Type"))
      this.addHeader("Content-Type", "text/plain", { charset: cs.getOutputCharset() });
    else this.setParam("charset", cs.getOutputCharset());
    if (!cs.equals(cs.getOutputCharset()))
      this._payload = bodyText(cs.bodyEncode(this._payload as string | null));
    if (!this.has("Content-Transfer-Encoding")) {
      const cte = cs.getBodyEncoding();
      if (typeof cte === "function") cte(this);
      else {
        let payload: string | Uint8Array | null = this._payload as string | null;
        if (payload) {
          try {
            payload = encodeSurrogateEscape(payload);
          } catch {
            payload = lookupCodec(cs.outputCharset).encode(payload as string, "strict");
          }
        }
        this._payload = bodyText(cs.bodyEncode(payload));
        this.addHeader("Content-Transfer-Encoding", cte);
      }
    }
  }

  /** Python's `get_charset`: the charset `setCharset` set, or `null`. */
  getCharset(): Charset | null {
    return this._charset;
  }

  /** Python's `len(msg)`: the number of headers. */
  get length(): number {
    return this._headers.length;
  }

  /**
   * Python's `msg[name]` and `get`: the first header named `name` (any
   * case), or `failobj`.
   */
  get(name: string): string | undefined;
  get<F>(name: string, failobj: F): string | F;
  get<F>(name: string, failobj?: F): string | F | undefined {
    const lname = name.toLowerCase();
    for (const [k, v] of this._headers) {
      if (k.toLowerCase() === lname) return String(this.policy.headerFetchParse(k, v));
    }
    return failobj;
  }

  /**
   * Python's `msg[name]` as the policy gives it: the first header named
   * `name` (any case), or `undefined`. Under the modern policies
   * (`defaultPolicy`, `SMTP`, `SMTPUTF8`, `HTTP`, `strict`) it is a header
   * object from `netkit/email/headerregistry`: an `AddressHeader` with
   * `addresses` and `groups`, a `DateHeader` with `datetime`, a
   * `ContentTypeHeader` with `contentType` and `params`, ... Under `compat32`
   * it is the stored text or `Header`. ({@link get} gives the text under
   * every policy: a JavaScript string cannot carry Python's attributes.)
   *
   * Pass the class you expect to have the result typed as it:
   * `msg.getHeader("To", AddressHeader)?.addresses`.
   * @throws {TypeError} when the header is there but not an instance of `type`
   */
  getHeader(name: string): HeaderValue | undefined;
  getHeader<H>(name: string, type: abstract new (...args: never[]) => H): H | undefined;
  getHeader<H>(name: string, type?: abstract new (...args: never[]) => H): HeaderValue | H | undefined {
    const lname = name.toLowerCase();
    for (const [k, v] of this._headers) {
      if (k.toLowerCase() === lname) return expectHeader(this.policy.headerFetchParse(k, v), name, type);
    }
    return undefined;
  }

  /**
   * Python's `get_all` as the policy gives it: every header named `name`
   * (any case), as {@link getHeader} gives each; empty when there is none.
   * @throws {TypeError} when one of them is not an instance of `type`
   */
  getAllHeaders(name: string): HeaderValue[];
  getAllHeaders<H>(name: string, type: abstract new (...args: never[]) => H): H[];
  getAllHeaders<H>(name: string, type?: abstract new (...args: never[]) => H): (HeaderValue | H)[] {
    const lname = name.toLowerCase();
    const values: (HeaderValue | H)[] = [];
    for (const [k, v] of this._headers) {
      if (k.toLowerCase() === lname)
        values.push(expectHeader(this.policy.headerFetchParse(k, v), name, type));
    }
    return values;
  }

  /** The first header named `name` as text, or `failobj` (internal). @internal */
  _getText(name: string, failobj: string): string;
  _getText(name: string, failobj: null): string | null;
  _getText(name: string, failobj: string | null): string | null {
    const lname = name.toLowerCase();
    for (const [k, v] of this._headers) {
      if (k.toLowerCase() === lname) return String(this.policy.headerFetchParse(k, v));
    }
    return failobj;
  }

  /**
   * Python's `msg[name] = value`: APPENDS a header (it never replaces one;
   * use `replaceHeader`, or `delete` first).
   * @throws {ValueError} when the policy limits how many headers of `name` there may be
   */
  set(name: string, value: unknown): void {
    const max = this.policy.headerMaxCount(name);
    if (max) {
      const lname = name.toLowerCase();
      let found = 0;
      for (const [k] of this._headers) {
        if (k.toLowerCase() === lname && ++found >= max) {
          throw new ValueError(`There may be at most ${max} ${name} headers in a message`);
        }
      }
    }
    this._headers.push(this.policy.headerStoreParse(name, value));
  }

  /** Python's `del msg[name]`: removes every header named `name`; no error when there is none. */
  delete(name: string): void {
    const lname = name.toLowerCase();
    this._headers = this._headers.filter(([k]) => k.toLowerCase() !== lname);
  }

  /** Python's `name in msg`. */
  has(name: string): boolean {
    const lname = name.toLowerCase();
    return this._headers.some(([k]) => k.toLowerCase() === lname);
  }

  /** The header names, in order (Python's `iter(msg)`). */
  *[Symbol.iterator](): IterableIterator<string> {
    for (const [k] of this._headers) yield k;
  }

  /** Python's `keys`: the header names, in order, repeats included. */
  keys(): string[] {
    return this._headers.map(([k]) => k);
  }

  /** Python's `values`. */
  values(): string[] {
    return this._headers.map(([k, v]) => String(this.policy.headerFetchParse(k, v)));
  }

  /** Python's `items`. */
  items(): [string, string][] {
    return this._headers.map(([k, v]) => [k, String(this.policy.headerFetchParse(k, v))]);
  }

  /** Python's `set_raw`: appends a header as the parser does, bypassing the policy. */
  setRaw(name: string, value: HeaderValue): void {
    this._headers.push([name, value]);
  }

  /** Python's `raw_items`: the headers as stored (a copy). */
  rawItems(): [string, HeaderValue][] {
    return this._headers.map(([k, v]) => [k, v]);
  }

  /** Python's `get_all`: every value of `name`, or `failobj` when there is none. */
  getAll(name: string): string[] | undefined;
  getAll<F>(name: string, failobj: F): string[] | F;
  getAll<F>(name: string, failobj?: F): string[] | F | undefined {
    const lname = name.toLowerCase();
    const values: string[] = [];
    for (const [k, v] of this._headers) {
      if (k.toLowerCase() === lname) values.push(String(this.policy.headerFetchParse(k, v)));
    }
    return values.length > 0 ? values : failobj;
  }

  /**
   * Python's `add_header`: appends `name: value; param=...`. Parameter names
   * have `_` turned into `-`; a `null` value writes the bare name; a
   * non-ASCII or `[charset, language, value]` value is written as RFC 2231.
   */
  addHeader(name: string, value: string | null, params: Record<string, ParamValue | null> = {}): void {
    const parts: string[] = [];
    for (const [k, v] of Object.entries(params)) {
      const pname = k.replaceAll("_", "-");
      parts.push(v === null ? pname : formatParam(pname, v));
    }
    if (value !== null) parts.unshift(value);
    this.set(name, parts.join(SEMISPACE));
  }

  /**
   * Python's `replace_header`: replaces the first header named `name`, in place, keeping its name.
   * @throws {KeyError} when there is none
   */
  replaceHeader(name: string, value: unknown): void {
    const lname = name.toLowerCase();
    for (let i = 0; i < this._headers.length; i++) {
      const k = this._headers[i]![0];
      if (k.toLowerCase() === lname) {
        this._headers[i] = this.policy.headerStoreParse(k, value);
        return;
      }
    }
    throw new KeyError(lname);
  }

  /**
   * Python's `get_content_type`: the lower-cased `maintype/subtype`, the
   * default type when there is no Content-Type, `text/plain` when it is invalid.
   */
  getContentType(): string {
    const value = this._getText("content-type", null);
    if (value === null) return this.getDefaultType();
    const ctype = splitparam(value)[0].toLowerCase();
    if (ctype.split("/").length !== 2) return "text/plain";
    return ctype;
  }

  /** Python's `get_content_maintype`. */
  getContentMaintype(): string {
    return this.getContentType().split("/")[0]!;
  }

  /** Python's `get_content_subtype`. */
  getContentSubtype(): string {
    return this.getContentType().split("/")[1]!;
  }

  /** Python's `get_default_type`. */
  getDefaultType(): string {
    return this._defaultType;
  }

  /** Python's `set_default_type` (`message/rfc822` inside `multipart/digest`). */
  setDefaultType(ctype: string): void {
    this._defaultType = ctype;
  }

  /** Python's `_get_params_preserve`: the parameters with their quotes, or `null` without the header. @internal */
  _getParamsPreserve(header: string): [string, ParamValue][] | null {
    const value = this._getText(header, null);
    if (value === null) return null;
    const params: [string, string][] = [];
    for (const p of parseparam(value)) {
      const eq = p.indexOf("=");
      if (eq < 0) params.push([strip(p), ""]);
      else params.push([strip(p.slice(0, eq)), strip(p.slice(eq + 1))]);
    }
    return decodeParams(params);
  }

  /**
   * Python's `get_params`: the header's `[name, value]` pairs, the first
   * being the value before the first `;` (with an empty value), or
   * `failobj` when there is no such header.
   */
  getParams<F = undefined>(failobj?: F, options: ParamOptions = {}): [string, ParamValue][] | F {
    const params = this._getParamsPreserve(options.header ?? "content-type");
    if (params === null) return failobj as F;
    if (options.unquote ?? true) return params.map(([k, v]) => [k, unquoteValue(v)]);
    return params;
  }

  /**
   * Python's `get_param`: one parameter's value (`[charset, language,
   * text]` for an RFC 2231 value: `collapseRfc2231Value` makes it text), or `failobj`.
   */
  getParam<F = undefined>(param: string, failobj?: F, options: ParamOptions = {}): ParamValue | F {
    const header = options.header ?? "content-type";
    if (!this.has(header)) return failobj as F;
    const lparam = param.toLowerCase();
    for (const [k, v] of this._getParamsPreserve(header) ?? []) {
      if (k.toLowerCase() === lparam) return (options.unquote ?? true) ? unquoteValue(v) : v;
    }
    return failobj as F;
  }

  /**
   * Python's `set_param`: sets (or adds) a parameter of the header,
   * rewriting the header (moved to the end unless `replace`).
   */
  setParam(param: string, value: ParamValue, options: SetParamOptions = {}): void {
    const header = options.header ?? "Content-Type";
    const requote = options.requote ?? true;
    let v = value;
    if (typeof v === "string" && options.charset) v = [options.charset, options.language ?? "", v];
    let ctype: string | null;
    if (!this.has(header) && header.toLowerCase() === "content-type") ctype = "text/plain";
    else ctype = this._getText(header, null);
    if (!this.getParam(param, undefined, { header })) {
      if (!ctype) ctype = formatParam(param, v, requote);
      else ctype = [ctype, formatParam(param, v, requote)].join(SEMISPACE);
    } else {
      ctype = "";
      for (const [oldParam, oldValue] of this.getParams([], { header, unquote: requote })) {
        const append =
          oldParam.toLowerCase() === param.toLowerCase()
            ? formatParam(param, v, requote)
            : formatParam(oldParam, oldValue, requote);
        ctype = ctype ? [ctype, append].join(SEMISPACE) : append;
      }
    }
    if (ctype !== this._getText(header, null)) {
      if (options.replace) this.replaceHeader(header, ctype);
      else {
        this.delete(header);
        this.set(header, ctype);
      }
    }
  }

  /** Python's `del_param`: removes a parameter, rewriting the header at the end. */
  delParam(param: string, options: { header?: string; requote?: boolean } = {}): void {
    const header = options.header ?? "content-type";
    const requote = options.requote ?? true;
    if (!this.has(header)) return;
    let newCtype = "";
    for (const [p, v] of this.getParams([], { header, unquote: requote })) {
      if (p.toLowerCase() !== param.toLowerCase()) {
        const f = formatParam(p, v, requote);
        newCtype = newCtype ? [newCtype, f].join(SEMISPACE) : f;
      }
    }
    if (newCtype !== this._getText(header, null)) {
      this.delete(header);
      this.set(header, newCtype);
    }
  }

  /**
   * Python's `set_type`: sets `maintype/subtype`, keeping the parameters
   * (and setting MIME-Version for Content-Type).
   * @throws {ValueError} when `type` is not `maintype/subtype`
   */
  setType(type: string, options: { header?: string; requote?: boolean } = {}): void {
    const header = options.header ?? "Content-Type";
    const requote = options.requote ?? true;
    if (type.split("/").length !== 2) throw new ValueError(type);
    if (header.toLowerCase() === "content-type") {
      this.delete("mime-version");
      this.set("MIME-Version", "1.0");
    }
    if (!this.has(header)) {
      this.set(header, type);
      return;
    }
    const params = this.getParams([], { header, unquote: requote });
    this.delete(header);
    this.set(header, type);
    for (const [p, v] of params.slice(1)) this.setParam(p, v, { header, requote });
  }

  /**
   * Python's `get_filename`: the Content-Disposition `filename` (or the
   * Content-Type `name`), RFC 2231 decoded and stripped, or `failobj`.
   */
  getFilename<F = undefined>(failobj?: F): string | F {
    const missing = Symbol();
    let filename = this.getParam("filename", missing, { header: "content-disposition" });
    if (filename === missing) filename = this.getParam("name", missing, { header: "content-type" });
    if (filename === missing) return failobj as F;
    return strip(collapseRfc2231Value(filename as ParamValue));
  }

  /** Python's `get_boundary`: the `boundary` parameter, RFC 2231 decoded and right-stripped, or `failobj`. */
  getBoundary<F = undefined>(failobj?: F): string | F {
    const missing = Symbol();
    const boundary = this.getParam("boundary", missing);
    if (boundary === missing) return failobj as F;
    return rstrip(collapseRfc2231Value(boundary as ParamValue));
  }

  /**
   * Python's `set_boundary`: sets the boundary parameter in place, keeping
   * the header's position and its other parameters as they were.
   * @throws {HeaderParseError} when there is no Content-Type
   */
  setBoundary(boundary: string): void {
    const params = this._getParamsPreserve("content-type");
    if (params === null) throw new HeaderParseError("No Content-Type header found");
    const newparams: [string, ParamValue][] = [];
    let found = false;
    for (const [pk, pv] of params) {
      if (pk.toLowerCase() === "boundary") {
        newparams.push(["boundary", `"${boundary}"`]);
        found = true;
      } else newparams.push([pk, pv]);
    }
    if (!found) newparams.push(["boundary", `"${boundary}"`]);
    this._headers = this._headers.map(([h, v]) => {
      if (h.toLowerCase() !== "content-type") return [h, v];
      const parts = newparams.map(([k, pv]) => (pv === "" ? k : `${k}=${paramText(pv)}`));
      return this.policy.headerStoreParse(h, parts.join(SEMISPACE));
    });
  }

  /**
   * Python's `get_content_charset`: the lower-cased `charset` parameter, or
   * `failobj` (also when it is not ASCII).
   */
  getContentCharset<F = undefined>(failobj?: F): string | F {
    const missing = Symbol();
    const raw = this.getParam("charset", missing);
    if (raw === missing) return failobj as F;
    let charset: string;
    if (typeof raw !== "string") {
      const value = raw as [string | null, string | null, string];
      const pcharset = value[0] || "us-ascii";
      try {
        charset = lookupCodec(pcharset).decode(encodeRawUnicodeEscape(value[2]), "strict");
      } catch {
        charset = value[2];
      }
    } else charset = raw;
    if (!isAscii(charset)) return failobj as F;
    return charset.toLowerCase();
  }

  /** Python's `get_charsets`: `getContentCharset(failobj)` of every part, in walk order. */
  getCharsets<F = undefined>(failobj?: F): (string | F)[] {
    return [...this.walk()].map((part) => part.getContentCharset(failobj));
  }

  /** Python's `get_content_disposition`: the lower-cased disposition (`inline`, `attachment`), or `null`. */
  getContentDisposition(): string | null {
    const value = this._getText("content-disposition", null);
    if (value === null) return null;
    return splitparam(value)[0].toLowerCase();
  }

  /** Python's `walk`: this part, then every part below it, depth first. */
  *walk(): Generator<this, void, undefined> {
    yield this;
    if (Array.isArray(this._payload)) {
      for (const sub of this._payload) yield* sub.walk() as Generator<this, void, undefined>;
    }
  }
}

/** A parameter value as Python's `'%s=%s' % (k, v)` writes it (a tuple shows as its repr). */
function paramText(v: ParamValue): string {
  if (typeof v === "string") return v;
  const r = (x: string | null) => (x === null ? "None" : `'${x}'`);
  return `(${r(v[0])}, ${r(v[1])}, ${r(v[2])})`;
}

/** The body a charset's `bodyEncode` returns, as payload text. */
function bodyText(v: string | Uint8Array | null): string | null {
  if (v === null || typeof v === "string") return v;
  return decodeSurrogateEscape(v);
}

/**
 * Python's `copy.deepcopy(msg)` for messages: a copy of the headers, the
 * payload (parts copied in turn), preamble, epilogue and defects, of the
 * same class.
 */
export function deepcopyMessage<M extends Message>(msg: M): M {
  const copy = Object.create(Object.getPrototypeOf(msg)) as M;
  for (const key of Object.keys(msg) as (keyof M)[]) {
    (copy as Record<keyof M, unknown>)[key] = msg[key];
  }
  copy._headers = msg._headers.map(([k, v]) => [k, v instanceof Header ? v : v]);
  copy._payload = Array.isArray(msg._payload) ? msg._payload.map((p) => deepcopyMessage(p)) : msg._payload;
  copy.defects = [...msg.defects];
  return copy;
}
