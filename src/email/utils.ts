/**
 * Python's `email.utils`: quoting, RFC 2231 parameter values, addresses
 * and dates for mail headers.
 *
 * @module
 */
import { lookupCodec } from "../_codecs.js";
import { LookupError } from "../errors/index.js";
import { quote as urlQuote, unquote as urlUnquote } from "../urllib/parse.js";
import { encodeRawUnicodeEscape } from "./_bytes.js";

/** An RFC 2231 parameter value: `[charset, language, text]` (Python's 3-tuple). */
export type Rfc2231Value = [charset: string | null, language: string | null, value: string];
/** A MIME parameter value: plain text, or an RFC 2231 value. */
export type ParamValue = string | Rfc2231Value;

/**
 * Python's `email.utils.quote`: backslash-escapes `\` and `"` for a quoted string.
 * @param str the text
 * @returns the escaped text (without the surrounding quotes)
 */
export function quote(str: string): string {
  return str.replaceAll("\\", "\\\\").replaceAll('"', '\\"');
}

/**
 * Python's `email.utils.unquote`: removes one pair of surrounding double
 * quotes (undoing `\\` and `\"`) or angle brackets.
 */
export function unquote(str: string): string {
  if (str.length > 1) {
    if (str.startsWith('"') && str.endsWith('"')) {
      return str.slice(1, -1).replaceAll("\\\\", "\\").replaceAll('\\"', '"');
    }
    if (str.startsWith("<") && str.endsWith(">")) return str.slice(1, -1);
  }
  return str;
}

/**
 * Python's `decode_rfc2231`: splits `charset'language'text`.
 * @returns the three parts, or `[null, null, s]` when `s` has fewer than two `'`
 */
export function decodeRfc2231(s: string): Rfc2231Value {
  const first = s.indexOf("'");
  const second = first < 0 ? -1 : s.indexOf("'", first + 1);
  if (second < 0) return [null, null, s];
  return [s.slice(0, first), s.slice(first + 1, second), s.slice(second + 1)];
}

/**
 * Python's `encode_rfc2231`: percent-encodes `s` in `charset` and, when a
 * charset or language is given, prefixes `charset'language'`.
 * @throws {UnicodeEncodeError} when `s` does not fit the charset (ASCII by default)
 */
export function encodeRfc2231(
  s: string,
  charset: string | null = null,
  language: string | null = null,
): string {
  const encoded = urlQuote(s, { safe: "", encoding: charset || "ascii" });
  if (charset === null && language === null) return encoded;
  return `${charset}'${language ?? ""}'${encoded}`;
}

const RFC2231_CONTINUATION = /^(?<name>[A-Za-z0-9_]+)\*((?<num>[0-9]+)\*?)?$/;

/**
 * Python's `decode_params`: joins RFC 2231 continuations (`name*0`,
 * `name*1*`, ...) and decodes extended values into `[charset, language,
 * "quoted text"]`. The first parameter (the content type) is kept as it is.
 * @param params `[name, value]` pairs as parsed
 */
export function decodeParams(params: [string, string][]): [string, ParamValue][] {
  const out: [string, ParamValue][] = [params[0]!];
  const rfc2231 = new Map<string, [number | null, string, boolean][]>();
  for (const [rawName, rawValue] of params.slice(1)) {
    const encoded = rawName.endsWith("*");
    const value = unquote(rawValue);
    const mo = RFC2231_CONTINUATION.exec(rawName);
    if (mo) {
      const name = mo.groups!.name!;
      const num = mo.groups!.num === undefined ? null : Number.parseInt(mo.groups!.num, 10);
      let list = rfc2231.get(name);
      if (!list) rfc2231.set(name, (list = []));
      list.push([num, value, encoded]);
    } else {
      out.push([rawName, `"${quote(value)}"`]);
    }
  }
  for (const [name, continuations] of rfc2231) {
    const parts: string[] = [];
    let extended = false;
    continuations.sort(compareContinuations);
    for (const [, s, encoded] of continuations) {
      if (encoded) {
        parts.push(urlUnquote(s, { encoding: "latin-1" }));
        extended = true;
      } else parts.push(s);
    }
    const value = quote(parts.join(""));
    if (extended) {
      const [charset, language, text] = decodeRfc2231(value);
      out.push([name, [charset, language, `"${text}"`]]);
    } else out.push([name, `"${value}"`]);
  }
  return out;
}

/** Python sorts `(num, value, encoded)` tuples: `None` before numbers is a TypeError there, here it sorts first. */
function compareContinuations(
  a: [number | null, string, boolean],
  b: [number | null, string, boolean],
): number {
  const an = a[0] ?? -1;
  const bn = b[0] ?? -1;
  if (an !== bn) return an - bn;
  if (a[1] !== b[1]) return a[1] < b[1] ? -1 : 1;
  return Number(a[2]) - Number(b[2]);
}

/**
 * Python's `collapse_rfc2231_value`: a parameter value as text. An RFC 2231
 * value is decoded from its charset (with `errors`; `fallbackCharset` when
 * it names none); a plain one is unquoted.
 */
export function collapseRfc2231Value(
  value: ParamValue,
  errors = "replace",
  fallbackCharset = "us-ascii",
): string {
  if (typeof value === "string") return unquote(value);
  const [charset, , text] = value;
  const raw = encodeRawUnicodeEscape(text);
  try {
    return lookupCodec(charset ?? fallbackCharset).decode(raw, errors);
  } catch (e) {
    if (e instanceof LookupError) return unquote(text);
    throw e;
  }
}
