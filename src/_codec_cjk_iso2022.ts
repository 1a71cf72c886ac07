/**
 * Python's ISO-2022-JP codecs (CPython's `_codecs_iso2022`): `iso2022_jp`
 * (RFC 1468, the charset of Japanese mail) and `iso2022_jp_1` (RFC 2237,
 * adding JIS X 0212) (internal to `src/_codecs.ts`).
 *
 * Stateful 7-bit codecs: escape sequences designate the character set of G0
 * (`ESC ( B` ASCII, `ESC ( J` JIS X 0201 Roman, `ESC $ @` and `ESC $ B`
 * JIS X 0208, `ESC $ ( D` JIS X 0212, `ESC & @ ESC $ B` JIS X 0208:1990),
 * and the encoder returns to ASCII at the end. The JIS X 0208 and 0212
 * tables are euc_jp's (`_codec_cjk.ts`), as in CPython, where both codecs
 * share one map; the 7-bit bytes are EUC-JP's with the high bit clear.
 *
 * Errors are CPython's: a byte with the high bit set is illegal; a
 * two-byte character that is not in the set is illegal over both bytes; an
 * escape sequence that designates a set the codec lacks is illegal over the
 * whole sequence; input that ends inside a character or an escape sequence
 * is incomplete. An `ESC` that starts no ISO-2022 sequence passes through,
 * with what follows up to a final byte (`@`, `A`..`Z`), as Latin-1, as in
 * CPython. netkit's codec API has no incremental decoder, so the state lives
 * for one call, as in `bytes.decode`.
 *
 * @module
 */
import { tableBytes, tableChar } from "./_codec_cjk.js";
import { type Codec, checkHandler, registryDecodeError } from "./_codec_handlers.js";
import { escapeCodePoint, UnicodeEncodeError } from "./errors/index.js";

const ESC = 0x1b;
const DBCS = 0x80;
/** Character sets by their final byte in the escape sequence (| DBCS for two-byte ones), as in ISO 2022. */
const ASCII = 0x42;
const JISX0201_R = 0x4a;
const JISX0208 = 0x42 | DBCS;
const JISX0208_O = 0x40 | DBCS;
const JISX0212 = 0x44 | DBCS;

const ILLEGAL = "illegal multibyte sequence";
const INCOMPLETE = "incomplete multibyte sequence";

/** The ISO-2022 codecs here: the sets each designates, in the order its encoder tries them. */
const CONFIGS: Readonly<Record<string, readonly number[]>> = {
  iso2022_jp: [JISX0208, JISX0201_R, JISX0208_O],
  iso2022_jp_1: [JISX0208, JISX0212, JISX0201_R, JISX0208_O],
};

/** The ISO-2022 codec modules netkit has. */
export const ISO2022_MODULES: readonly string[] = Object.keys(CONFIGS);

const inGL = (b: number | undefined) => b !== undefined && b >= 0x21 && b <= 0x7e;

/** A two-byte set's character for (c1, c2), or -1. */
function decodeDouble(set: number, c1: number, c2: number): number {
  if (!inGL(c1) || !inGL(c2)) return -1;
  return set === JISX0212
    ? tableChar("euc_jp", [0x8f, c1 | 0x80, c2 | 0x80])
    : tableChar("euc_jp", [c1 | 0x80, c2 | 0x80]);
}

/** JIS X 0201 Roman: ASCII with the yen sign and the overline. */
const decodeRoman = (c: number) => (c === 0x5c ? 0xa5 : c === 0x7e ? 0x203e : c);

/** The bytes of `cp` in `set` (two bytes as one number), or -1. */
function encodeIn(set: number, cp: number): number {
  if (set === JISX0201_R) return cp === 0xa5 ? 0x5c : cp === 0x203e ? 0x7e : cp < 0x80 ? cp : -1;
  const [bytes, length] = tableBytes("euc_jp", cp);
  if (set === JISX0212) return length === 3 && bytes >> 16 === 0x8f ? bytes & 0x7f7f : -1;
  return length === 2 && bytes >= 0xa1a1 ? bytes & 0x7f7f : -1;
}

/** The escape sequence that designates `set` to G0. */
function designation(set: number): number[] {
  if (set === ASCII || set === JISX0201_R) return [ESC, 0x28, set];
  if (set === JISX0208) return [ESC, 0x24, 0x42];
  return [ESC, 0x24, 0x28, set & 0x7f];
}

const isEscEnd = (c: number) => (c >= 0x41 && c <= 0x5a) || c === 0x40;

/** The codec for one of {@link ISO2022_MODULES}. */
export function iso2022Codec(module: string): Codec {
  const sets = CONFIGS[module]!;

  /**
   * An escape sequence at `i` (an ISO-2022 one: `ESC` then `(`, `)`, `$`,
   * `.` or `&`): the set it designates to G0 (or `undefined` for G1, which
   * these codecs never shift to) and its length, or an error's end and reason.
   */
  function escapeSequence(
    bytes: Buffer,
    i: number,
  ): { set?: number; length: number } | { end: number; reason: string } {
    const n = bytes.length;
    let length = 0;
    for (let k = 1; k < 16; k++) {
      if (i + k >= n) return { end: n, reason: INCOMPLETE };
      if (isEscEnd(bytes[i + k]!)) {
        length = k + 1;
        break;
      }
      // JIS X 0208:1990's announcer, ESC & @, before ESC $ B.
      if (i + k + 1 < n && bytes[i + k] === 0x26 && bytes[i + k + 1] === 0x40) k += 2;
    }
    if (length === 0) return { end: i + 1, reason: ILLEGAL };
    const b1 = bytes[i + 1];
    const b2 = bytes[i + 2];
    const b3 = bytes[i + 3]!;
    const bad = { end: i + length, reason: ILLEGAL };
    let set: number;
    let g0 = true;
    if (length === 3) {
      if (b1 === 0x24) set = b2! | DBCS;
      else if (b1 === 0x28 || b1 === 0x29) {
        set = b2!;
        g0 = b1 === 0x28;
      } else return bad;
    } else if (length === 4) {
      if (b1 !== 0x24 || (b2 !== 0x28 && b2 !== 0x29)) return bad;
      set = b3 | DBCS;
      g0 = b2 === 0x28;
    } else if (length === 6 && bytes[i + 3] === ESC && bytes[i + 4] === 0x24 && bytes[i + 5] === 0x42) {
      set = JISX0208;
    } else return bad;
    if (set !== ASCII && !sets.includes(set)) return bad;
    return g0 ? { set, length } : { length };
  }

  return {
    name: module,
    module,
    asciiCompatible: false,
    decode(bytes, errors) {
      const n = bytes.length;
      let out = "";
      let g0 = ASCII;
      let escThroughout = false;
      let i = 0;
      while (i < n) {
        const c = bytes[i]!;
        if (escThroughout) {
          // An escape sequence that is not ISO-2022's passes through as Latin-1, to its final byte.
          out += String.fromCharCode(c);
          i++;
          if (isEscEnd(c)) escThroughout = false;
          continue;
        }
        let err: { end: number; reason: string } | undefined;
        if (c === ESC) {
          const b1 = bytes[i + 1];
          if (b1 === undefined) err = { end: n, reason: INCOMPLETE };
          else if (b1 === 0x28 || b1 === 0x29 || b1 === 0x24 || b1 === 0x2e || b1 === 0x26) {
            const e = escapeSequence(bytes, i);
            if ("reason" in e) err = e;
            else {
              if (e.set !== undefined) g0 = e.set;
              i += e.length;
              continue;
            }
          } else {
            out += "\x1b";
            escThroughout = true;
            i++;
            continue;
          }
        } else if (c < 0x20 || g0 === ASCII) {
          if (c >= 0x80) err = { end: i + 1, reason: ILLEGAL };
          else {
            out += String.fromCharCode(c);
            i++;
            continue;
          }
        } else if (c >= 0x80) {
          err = { end: i + 1, reason: ILLEGAL };
        } else if (g0 === JISX0201_R) {
          out += String.fromCharCode(decodeRoman(c));
          i++;
          continue;
        } else if (i + 2 > n) {
          err = { end: n, reason: INCOMPLETE };
        } else {
          const cp = decodeDouble(g0, c, bytes[i + 1]!);
          if (cp >= 0) {
            out += String.fromCodePoint(cp);
            i += 2;
            continue;
          }
          err = { end: i + 2, reason: ILLEGAL };
        }
        const [text, resume] = registryDecodeError(module, module, bytes, errors, { start: i, ...err });
        out += text;
        i = resume;
      }
      return out;
    },
    encode(text, errors) {
      const out: number[] = [];
      let g0 = ASCII;
      /** Writes `cp` in the first set that has it, designating it first; false when none has. */
      const put = (cp: number): boolean => {
        if (cp < 0x80) {
          if (g0 !== ASCII) out.push(...designation((g0 = ASCII)));
          out.push(cp);
          return true;
        }
        for (const set of sets) {
          const coded = encodeIn(set, cp);
          if (coded < 0) continue;
          if (g0 !== set) out.push(...designation((g0 = set)));
          if (set === JISX0201_R) out.push(coded);
          else out.push(coded >> 8, coded & 0xff);
          return true;
        }
        return false;
      };
      let index = 0;
      for (const ch of text) {
        const cp = ch.codePointAt(0)!;
        if (!put(cp)) {
          const fail = () => new UnicodeEncodeError(module, text, index, index + 1, ILLEGAL);
          if (errors === "strict") throw fail();
          checkHandler(errors);
          let replacement = "";
          if (errors === "replace") replacement = "?";
          else if (errors === "backslashreplace") replacement = escapeCodePoint(cp);
          else if (errors === "xmlcharrefreplace") replacement = `&#${cp};`;
          else if (errors === "surrogateescape" && cp >= 0xdc80 && cp <= 0xdcff) out.push(cp - 0xdc00);
          else if (errors !== "ignore") throw fail();
          for (const r of replacement) put(r.charCodeAt(0));
        }
        index++;
      }
      if (g0 !== ASCII) out.push(...designation(ASCII));
      return Buffer.from(out);
    },
  };
}
