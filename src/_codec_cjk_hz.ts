/**
 * Python's `hz` codec (CPython's `_codecs_cn`): HZ, RFC 1843, the 7-bit
 * GB 2312 of Chinese Usenet and mail (internal to `src/_codecs.ts`).
 *
 * Text is ASCII until `~{`, GB 2312 (its EUC bytes with the high bit clear,
 * two per character) until `~}`. In ASCII, `~~` is a tilde and `~` before a
 * line feed is a line continuation (both bytes vanish). The encoder writes
 * `~{` before the first GB 2312 character of a run, `~}` before the next
 * ASCII one and at the end, and doubles every tilde, as CPython's does.
 *
 * Errors are CPython's, each one byte wide: a `~` followed by anything else
 * (or by `~{` or `~~` inside GB 2312, `~}` outside it), a byte with the high
 * bit set, a pair that is not in GB 2312; input that ends after a `~` or
 * inside a pair is incomplete.
 *
 * @module
 */
import { ByteOut, tableChar, tableCode } from "./_codec_cjk.js";
import { encodeStateful } from "./_codec_cjk_iso2022.js";
import { type Codec, registryDecodeError } from "./_codec_handlers.js";

const TILDE = 0x7e;
const LF = 0x0a;
const ILLEGAL = "illegal multibyte sequence";
const INCOMPLETE = "incomplete multibyte sequence";

const inGL = (b: number) => b >= 0x21 && b <= 0x7e;

/** The `hz` codec. */
export const HZ_CODEC: Codec = {
  name: "hz",
  module: "hz",
  asciiCompatible: false,
  decode(bytes, errors) {
    const n = bytes.length;
    let out = "";
    let gb = false;
    let i = 0;
    while (i < n) {
      const c = bytes[i]!;
      let err: { end: number; reason: string };
      if (c === TILDE) {
        const c2 = bytes[i + 1];
        if (c2 === undefined) err = { end: n, reason: INCOMPLETE };
        else if (!gb && (c2 === TILDE || c2 === 0x7b || c2 === LF)) {
          if (c2 === TILDE) out += "~";
          else if (c2 === 0x7b) gb = true;
          i += 2;
          continue;
        } else if (gb && c2 === 0x7d) {
          gb = false;
          i += 2;
          continue;
        } else err = { end: i + 1, reason: ILLEGAL };
      } else if (c >= 0x80) {
        err = { end: i + 1, reason: ILLEGAL };
      } else if (!gb) {
        out += String.fromCharCode(c);
        i++;
        continue;
      } else if (i + 2 > n) {
        err = { end: n, reason: INCOMPLETE };
      } else {
        const c2 = bytes[i + 1]!;
        const cp = inGL(c) && inGL(c2) ? tableChar("gb2312", [c | 0x80, c2 | 0x80]) : -1;
        if (cp >= 0) {
          out += String.fromCharCode(cp);
          i += 2;
          continue;
        }
        err = { end: i + 1, reason: ILLEGAL };
      }
      const [text, resume] = registryDecodeError("hz", "hz", bytes, errors, { start: i, ...err });
      out += text;
      i = resume;
    }
    return out;
  },
  encode(text, errors) {
    const out = new ByteOut(text.length * 2 + 16);
    let gb = false;
    const put = (cp: number): boolean => {
      if (cp < 0x80) {
        if (gb) {
          out.push(TILDE, 0x7d);
          gb = false;
        }
        out.push(cp);
        if (cp === TILDE) out.push(TILDE);
        return true;
      }
      const coded = tableCode("gb2312", cp, 2);
      if (coded < 0) return false;
      if (!gb) {
        out.push(TILDE, 0x7b);
        gb = true;
      }
      out.push((coded >> 8) & 0x7f, coded & 0x7f);
      return true;
    };
    encodeStateful("hz", text, errors, put, out);
    if (gb) out.push(TILDE, 0x7d);
    return out.result();
  },
};
