/**
 * Python's ISO-2022 codecs (CPython's `_codecs_iso2022`): `iso2022_jp`
 * (RFC 1468, the charset of Japanese mail), `iso2022_jp_1` (RFC 2237, adding
 * JIS X 0212), `iso2022_jp_2` (RFC 1554, adding KS X 1001, GB 2312 and the
 * ISO-8859-1 and -7 upper halves through G2), `iso2022_jp_ext` (adding
 * JIS X 0201 Katakana), `iso2022_jp_3` and `iso2022_jp_2004` (JIS X 0208 and
 * JIS X 0213 as of 2000 or 2004) and `iso2022_kr` (RFC 1557, Korean mail)
 * (internal to `src/_codecs.ts`).
 *
 * Stateful 7-bit codecs: escape sequences designate the character set of G0
 * (`ESC ( B` ASCII, `ESC ( J` JIS X 0201 Roman, `ESC ( I` JIS X 0201
 * Katakana, `ESC $ @` and `ESC $ B` JIS X 0208, `ESC $ ( D` JIS X 0212,
 * `ESC & @ ESC $ B` JIS X 0208:1990, `ESC $ A` or `ESC $ ( A` GB 2312,
 * `ESC $ ( C` KS X 1001, `ESC $ ( O` and `ESC $ ( Q` JIS X 0213 plane 1 as of
 * 2000 and 2004, `ESC $ ( P` its plane 2), of G1 (`ESC $ ) C` KS X 1001, shifted to with SO
 * and back with SI, and back at each line feed) and of G2 (`ESC . A`
 * ISO-8859-1, `ESC . F` ISO-8859-7, one character at a time after the single
 * shift `ESC N`). The encoder designates the first set in its codec's list
 * that has a character, and returns to ASCII (SI, `ESC ( B`) at the end; it
 * never writes G2, as CPython's does not. The JIS X 0213 codecs write a
 * character and a combining mark that plane 1 has as one character there
 * first, whatever set could take the character alone. The two-byte tables
 * are euc_jp's, euc_kr's, gb2312's, euc_jis_2004's and euc_jisx0213's
 * (`_codec_cjk.ts`), as in CPython, where the codecs share one map; the
 * 7-bit bytes are the EUC ones with the high bit clear.
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
import { ByteOut, PLANE2_ROWS, tableChar, tableCode, tablePair, tablePairCode } from "./_codec_cjk.js";
import { type Codec, checkHandler, registryDecodeError } from "./_codec_handlers.js";
import { escapeCodePoint, UnicodeEncodeError } from "./errors/index.js";

const ESC = 0x1b;
const SO = 0x0e;
const SI = 0x0f;
const LF = 0x0a;
const DBCS = 0x80;
/** Character sets by their final byte in the escape sequence (| DBCS for two-byte ones), as in ISO 2022. */
const ISO8859_1 = 0x41;
const ASCII = 0x42;
const ISO8859_7 = 0x46;
const JISX0201_K = 0x49;
const JISX0201_R = 0x4a;
const GB2312 = 0x41 | DBCS;
const JISX0208 = 0x42 | DBCS;
const KSX1001 = 0x43 | DBCS;
const JISX0212 = 0x44 | DBCS;
const JISX0208_O = 0x40 | DBCS;
/** JIS X 0213 plane 1 as of 2000 (`ESC $ ( O`) and of 2004 (`ESC $ ( Q`), and plane 2 (`ESC $ ( P`). */
const JISX0213_1_2000 = 0x4f | DBCS;
const JISX0213_1_2004 = 0x51 | DBCS;
const JISX0213_2 = 0x50 | DBCS;

const ILLEGAL = "illegal multibyte sequence";
const INCOMPLETE = "incomplete multibyte sequence";

/** A codec's sets, in the order its encoder tries them, each with the register it goes to (0: G0, 1: G1, 2: G2). */
type Designations = ReadonlyArray<readonly [set: number, plane: 0 | 1 | 2]>;

/** One ISO-2022 codec, as CPython's `iso2022_config`. */
interface Config {
  readonly designations: Designations;
  /** SO and SI shift to G1 and back (CPython: not `NO_SHIFT`). */
  readonly shift: boolean;
  /** `ESC . F` designates G2 and `ESC N` shifts to it for one character (`USE_G2`). */
  readonly g2: boolean;
  /** `ESC & @` may stand before `ESC $ B` (`USE_JISX0208_EXT`). */
  readonly ext: boolean;
  /**
   * The stateless codec whose tables are the JIS X 0213 sets' (euc_jis_2004's
   * or euc_jisx0213's, as in CPython, where they share one map), when the
   * codec has them (plane 2 decodes as euc_jis_2004's for both); its plane 1
   * also comes first, before every other set, for a character and a
   * combining mark that it has as one.
   */
  readonly jisx0213?: string;
}

const jp = (...sets: number[]): Designations => sets.map((set) => [set, 0] as const);

/** The ISO-2022 codecs here, as CPython configures them. */
const CONFIGS: Readonly<Record<string, Config>> = {
  iso2022_jp: { designations: jp(JISX0208, JISX0201_R, JISX0208_O), shift: false, g2: false, ext: true },
  iso2022_jp_1: {
    designations: jp(JISX0208, JISX0212, JISX0201_R, JISX0208_O),
    shift: false,
    g2: false,
    ext: true,
  },
  iso2022_jp_2: {
    designations: [
      ...jp(JISX0208, JISX0212, KSX1001, GB2312, JISX0201_R, JISX0208_O),
      [ISO8859_1, 2],
      [ISO8859_7, 2],
    ],
    shift: false,
    g2: true,
    ext: true,
  },
  iso2022_jp_ext: {
    designations: jp(JISX0208, JISX0212, JISX0201_R, JISX0201_K, JISX0208_O),
    shift: false,
    g2: false,
    ext: true,
  },
  iso2022_kr: { designations: [[KSX1001, 1]], shift: true, g2: false, ext: false },
  iso2022_jp_2004: {
    designations: jp(JISX0208, JISX0213_1_2004, JISX0213_2),
    shift: false,
    g2: false,
    ext: true,
    jisx0213: "euc_jis_2004",
  },
  iso2022_jp_3: {
    designations: jp(JISX0208, JISX0213_1_2000, JISX0213_2),
    shift: false,
    g2: false,
    ext: true,
    jisx0213: "euc_jisx0213",
  },
};

/** The ISO-2022 codec modules netkit has. */
export const ISO2022_MODULES: readonly string[] = Object.keys(CONFIGS);

const inGL = (b: number | undefined) => b !== undefined && b >= 0x21 && b <= 0x7e;

/**
 * A set's character for the byte at `i` (and the next for a two-byte set), or
 * -1; `jisx0213` is the codec's JIS X 0213 table ({@link Config}).
 */
function decodeIn(set: number, bytes: Buffer, i: number, jisx0213: string | undefined): number {
  const c1 = bytes[i]!;
  switch (set) {
    case JISX0201_R:
      return decodeRoman(c1);
    case JISX0201_K:
      return c1 >= 0x21 && c1 <= 0x5f ? c1 + 0xff40 : -1;
    case ISO8859_1:
    case ISO8859_7:
      return -1; // G2 sets: CPython decodes them after ESC N only
  }
  const c2 = bytes[i + 1]!;
  if (!inGL(c1) || !inGL(c2)) return -1;
  switch (set) {
    case JISX0212:
      return tableChar("euc_jp", [0x8f, c1 | 0x80, c2 | 0x80]);
    case KSX1001:
      // euc_kr reads 0xA4D4 as the start of its make-up sequence; KS X 1001 has the filler there.
      return c1 === 0x24 && c2 === 0x54 ? 0x3164 : tableChar("euc_kr", [c1 | 0x80, c2 | 0x80]);
    case GB2312:
      return tableChar("gb2312", [c1 | 0x80, c2 | 0x80]);
    case JISX0213_1_2000:
    case JISX0213_1_2004:
      // The EUC decoders read 0x2232 as the full-width tilde; CPython's ISO-2022 ones, as the tilde.
      return c1 === 0x22 && c2 === 0x32 ? 0x7e : tableChar(jisx0213!, [c1 | 0x80, c2 | 0x80]);
    case JISX0213_2:
      // Plane 2 as of 2004 for both codecs: euc_jisx0213 reads 0x7D3B as U+9B1D, CPython's iso2022_jp_3 as U+9B1C
      // (which its encoder, like euc_jisx0213's, refuses).
      return PLANE2_ROWS.has(c1 - 0x20) ? tableChar("euc_jis_2004", [0x8f, c1 | 0x80, c2 | 0x80]) : -1;
    default:
      return tableChar("euc_jp", [c1 | 0x80, c2 | 0x80]);
  }
}

/** JIS X 0201 Roman: ASCII with the yen sign and the overline. */
const decodeRoman = (c: number) => (c === 0x5c ? 0xa5 : c === 0x7e ? 0x203e : c);

/**
 * The character after `ESC N` in G2's set (the byte as it is, a few of
 * ISO-8859-7's), or -1: CPython's `iso2022processg2`.
 */
function decodeG2(g2: number, c: number): number {
  if (g2 === ISO8859_1) return c < 0x80 ? c + 0x80 : -1;
  if (g2 === ISO8859_7) {
    const b = c ^ 0x80;
    if (b < 0xa0) return b;
    if (b < 0xc0 && (0x288f3bc9 & (1 << (b - 0xa0))) !== 0) return b;
    if (b >= 0xb4 && b <= 0xfe && (b >= 0xd4 || (0xbffffd77 & (1 << (b - 0xb4))) !== 0)) return 0x2d0 + b;
    return b === 0xa1 ? 0x2018 : b === 0xa2 ? 0x2019 : b === 0xaf ? 0x2015 : -1;
  }
  return c & 0x80 ? -1 : c;
}

/** Two bytes of a two-byte set's EUC table, 7-bit, or -1. */
function eucPair(module: string, cp: number): number {
  const bytes = tableCode(module, cp, 2);
  return bytes >= 0xa1a1 ? bytes & 0x7f7f : -1;
}

/** The bytes of `cp` (not ASCII) in `set` (two bytes as one number), or -1; `jisx0213` as for {@link decodeIn}. */
function encodeIn(set: number, cp: number, jisx0213: string | undefined): number {
  switch (set) {
    case JISX0201_R:
      return cp === 0xa5 ? 0x5c : cp === 0x203e ? 0x7e : -1;
    case JISX0201_K:
      return cp >= 0xff61 && cp <= 0xff9f ? cp - 0xff40 : -1;
    case ISO8859_1:
    case ISO8859_7:
      return -1; // CPython's encoder never writes G2
    case KSX1001:
      return eucPair("euc_kr", cp);
    case GB2312:
      return eucPair("gb2312", cp);
    case JISX0212: {
      const bytes = tableCode("euc_jp", cp, 3);
      return bytes >= 0 && bytes >> 16 === 0x8f ? bytes & 0x7f7f : -1;
    }
    case JISX0213_1_2000:
    case JISX0213_1_2004:
      // The EUC encoders' full-width tilde (see decodeIn) is not JIS X 0213's.
      return cp === 0xff5e ? -1 : eucPair(jisx0213!, cp);
    case JISX0213_2: {
      const bytes = tableCode(jisx0213!, cp, 3);
      return bytes >= 0 && bytes >> 16 === 0x8f && PLANE2_ROWS.has(((bytes >> 8) & 0x7f) - 0x20)
        ? bytes & 0x7f7f
        : -1;
    }
    default:
      return eucPair("euc_jp", cp);
  }
}

/** The escape sequence that designates `set` to G0 or G1, as CPython's encoder writes it. */
function designation(set: number, plane: number): number[] {
  const register = plane === 0 ? 0x28 : 0x29;
  if (set < DBCS) return [ESC, register, set];
  if (set === JISX0208 && plane === 0) return [ESC, 0x24, 0x42];
  return [ESC, 0x24, register, set & 0x7f];
}

const isEscEnd = (c: number) => (c >= 0x41 && c <= 0x5a) || c === 0x40;

/** The codec for one of {@link ISO2022_MODULES}. */
export function iso2022Codec(module: string): Codec {
  const config = CONFIGS[module]!;
  // The encoder's sets in the order it tries them, and their escape sequences, made once.
  const sets = config.designations.map(([set]) => set);
  const planes = config.designations.map(([, plane]) => plane);
  const escapes = new Map<number, number[]>();
  /** Writes the escape sequence that designates `set` to G0 or G1 (three or four bytes). */
  const designate = (out: ByteOut, set: number, plane: number): void => {
    const key = set * 4 + plane;
    let bytes = escapes.get(key);
    if (bytes === undefined) escapes.set(key, (bytes = designation(set, plane)));
    out.push(bytes[0]!, bytes[1]!, bytes[2]!, bytes[3] ?? -1);
  };
  const marks = new Set(config.designations.map(([set]) => set));

  /**
   * An escape sequence at `i` (an ISO-2022 one: `ESC` then `(`, `)`, `$`,
   * `.` or `&`): the register it designates, the set and its length, or an
   * error's end and reason (CPython's `iso2022processesc`).
   */
  function escapeSequence(
    bytes: Buffer,
    i: number,
  ): { register: number; set: number; length: number } | { end: number; reason: string } {
    const n = bytes.length;
    let length = 0;
    for (let k = 1; k < 16; k++) {
      if (i + k >= n) return { end: n, reason: INCOMPLETE };
      if (isEscEnd(bytes[i + k]!)) {
        length = k + 1;
        break;
      }
      // JIS X 0208:1990's announcer, ESC & @, before ESC $ B.
      if (config.ext && i + k + 1 < n && bytes[i + k] === 0x26 && bytes[i + k + 1] === 0x40) k += 2;
    }
    if (length === 0) return { end: i + 1, reason: ILLEGAL };
    const b1 = bytes[i + 1];
    const b2 = bytes[i + 2];
    const b3 = bytes[i + 3]!;
    const bad = { end: i + length, reason: ILLEGAL };
    let set: number;
    let register = 0;
    if (length === 3) {
      if (b1 === 0x24) set = b2! | DBCS;
      else {
        set = b2!;
        if (b1 === 0x29) register = 1;
        else if (b1 === 0x2e && config.g2) register = 2;
        else if (b1 !== 0x28) return bad;
      }
    } else if (length === 4) {
      if (b1 !== 0x24 || (b2 !== 0x28 && b2 !== 0x29)) return bad;
      set = b3 | DBCS;
      register = b2 === 0x28 ? 0 : 1;
    } else if (
      length === 6 &&
      config.ext &&
      bytes[i + 3] === ESC &&
      bytes[i + 4] === 0x24 &&
      bytes[i + 5] === 0x42
    ) {
      set = JISX0208;
    } else return bad;
    if (set !== ASCII && !marks.has(set)) return bad;
    return { register, set, length };
  }

  return {
    name: module,
    module,
    asciiCompatible: false,
    decode(bytes, errors) {
      const n = bytes.length;
      let out = "";
      // UTF-16 units, turned into text a chunk at a time (a string per character cost more in
      // garbage collection than the decoding).
      const units = new Uint16Array(Math.min(n, 4096) + 2);
      let u = 0;
      const flush = () => {
        out += String.fromCharCode.apply(null, units.subarray(0, u) as unknown as number[]);
        u = 0;
      };
      const push = (cp: number) => {
        if (u >= 4096) flush();
        if (cp >= 0x10000) {
          units[u++] = 0xd800 + ((cp - 0x10000) >> 10);
          units[u++] = 0xdc00 + ((cp - 0x10000) & 0x3ff);
        } else units[u++] = cp;
      };
      const g = [ASCII, ASCII, ASCII];
      let shifted = false;
      let escThroughout = false;
      let i = 0;
      while (i < n) {
        const c = bytes[i]!;
        if (escThroughout) {
          // An escape sequence that is not ISO-2022's passes through as Latin-1, to its final byte.
          push(c);
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
              g[e.register] = e.set;
              i += e.length;
              continue;
            }
          } else if (config.g2 && b1 === 0x4e) {
            // SS2: one character from G2.
            if (i + 3 > n) err = { end: n, reason: INCOMPLETE };
            else {
              const cp = decodeG2(g[2]!, bytes[i + 2]!);
              if (cp >= 0) {
                push(cp);
                i += 3;
                continue;
              }
              err = { end: i + 3, reason: ILLEGAL };
            }
          } else {
            push(0x1b);
            escThroughout = true;
            i++;
            continue;
          }
        } else if (config.shift && (c === SO || c === SI)) {
          shifted = c === SO;
          i++;
          continue;
        } else if (c === LF) {
          shifted = false;
          push(0x0a);
          i++;
          continue;
        } else if (c >= 0x80) {
          err = { end: i + 1, reason: ILLEGAL };
        } else {
          const set = shifted ? g[1]! : g[0]!;
          if (c < 0x20 || set === ASCII) {
            push(c);
            i++;
            continue;
          }
          const width = set & DBCS ? 2 : 1;
          if (i + width > n) err = { end: n, reason: INCOMPLETE };
          else {
            const cp = decodeIn(set, bytes, i, config.jisx0213);
            if (cp >= 0) {
              push(cp);
              i += width;
              continue;
            }
            const pair =
              (set === JISX0213_1_2000 || set === JISX0213_1_2004) && inGL(c) && inGL(bytes[i + 1])
                ? tablePair(config.jisx0213!, [c | 0x80, bytes[i + 1]! | 0x80])
                : undefined;
            if (pair) {
              push(pair[0]);
              push(pair[1]);
              i += 2;
              continue;
            }
            err = { end: i + width, reason: ILLEGAL };
          }
        }
        flush();
        const [text, resume] = registryDecodeError(module, module, bytes, errors, { start: i, ...err });
        out += text;
        i = resume;
      }
      flush();
      return out;
    },
    encode(text, errors) {
      const out = new ByteOut(text.length * 2 + 16);
      let g0 = ASCII;
      let g1 = ASCII;
      let shifted = false;
      /** Writes `coded` in `set`, designating and shifting first. */
      const emit = (set: number, plane: 0 | 1 | 2, coded: number) => {
        if (plane === 0) {
          if (shifted) {
            out.push(SI);
            shifted = false;
          }
          if (g0 !== set) designate(out, (g0 = set), 0);
        } else {
          if (g1 !== set) designate(out, (g1 = set), 1);
          if (!shifted) {
            out.push(SO);
            shifted = true;
          }
        }
        if (set & DBCS) out.push(coded >> 8, coded & 0xff);
        else out.push(coded);
      };
      /** Writes `cp` in the first set that has it, designating and shifting first; false when none has. */
      const put = (cp: number): boolean => {
        if (cp < 0x80) {
          if (g0 !== ASCII) designate(out, (g0 = ASCII), 0);
          if (shifted) {
            out.push(SI);
            shifted = false;
          }
          out.push(cp);
          return true;
        }
        for (let k = 0; k < sets.length; k++) {
          const coded = encodeIn(sets[k]!, cp, config.jisx0213);
          if (coded < 0) continue;
          emit(sets[k]!, planes[k]!, coded);
          return true;
        }
        return false;
      };
      // JIS X 0213's plane 1 before every other set for a character and a combining mark it has as one.
      const jisx0213 = config.jisx0213;
      const plane1 = jisx0213 === "euc_jis_2004" ? JISX0213_1_2004 : JISX0213_1_2000;
      const putPair =
        jisx0213 === undefined
          ? undefined
          : (cp: number, next: number): boolean => {
              // As in the EUC encoders (`_codec_cjk.ts`): the next code point's low 16 bits, and
              // 0 there is the base alone, in plane 1 too.
              const coded = tablePairCode(jisx0213, cp, next & 0xffff);
              if (coded < 0) return false;
              emit(plane1, 0, coded & 0x7f7f);
              return true;
            };
      encodeStateful(module, text, errors, put, out, putPair);
      if (shifted) out.push(SI);
      if (g0 !== ASCII) designate(out, ASCII, 0);
      return out.result();
    },
  };
}

/**
 * The loop of a stateful CJK encoder (CPython's `_multibytecodec`): each code
 * point through `put`; one that fails is an error of its own, and a
 * handler's replacement text goes through `put` too, in the same state.
 * `putPair`, when given, is offered each code point with the next one first,
 * and takes both when it writes them as one character.
 */
export function encodeStateful(
  module: string,
  text: string,
  errors: string,
  put: (cp: number) => boolean,
  out: ByteOut,
  putPair?: (cp: number, next: number) => boolean,
): void {
  let index = 0;
  const n = text.length;
  // By code point (a lone surrogate is one), without an array of them: this runs per character.
  for (let i = 0; i < n; ) {
    const cp = text.codePointAt(i)!;
    const width = cp > 0xffff ? 2 : 1;
    if (putPair && i + width < n) {
      const next = text.codePointAt(i + width)!;
      if (putPair(cp, next)) {
        i += width + (next > 0xffff ? 2 : 1);
        index += 2;
        continue;
      }
    }
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
    i += width;
    index++;
  }
}
