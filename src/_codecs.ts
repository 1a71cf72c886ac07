/**
 * Python's text codecs for netkit, with Python's encoding names, error
 * handlers and exceptions: one place for `urllib.parse`, `cgi`,
 * `io.TextIOWrapper`, XML-RPC, and the mail and news protocols to come
 * (internal).
 *
 * Mirrors the parts of CPython's `codecs` machinery that `str.encode` and
 * `bytes.decode` use: encoding-name normalisation (`encodings.normalize_encoding`
 * and the alias table of `encodings.aliases`), the codecs, and the error
 * handlers `strict`, `replace`, `ignore`, `backslashreplace`,
 * `xmlcharrefreplace`, `surrogateescape` and `surrogatepass`
 * (`_codec_handlers.ts`). Positions in `UnicodeEncodeError` count code
 * points, as Python's do, not UTF-16 units.
 *
 * The codecs:
 * - UTF-8, Latin-1 and ASCII, here: Node's `Buffer` does the work on the
 *   fast path (well-formed input); the slow path walks the input to find each
 *   error range exactly where CPython's codecs find it (maximal subparts for
 *   UTF-8, runs of unencodable characters for encoders);
 * - UTF-16 and UTF-32 with and without a byte order mark (`_codec_utf16.ts`);
 * - UTF-7 (`_codec_utf7.ts`);
 * - every one of Python's single-byte charsets (ISO 8859, Windows, DOS, KOI8,
 *   Mac, EBCDIC, KZ-1048, PTCP154, ...), their tables read from iconv-lite
 *   and checked against Python's, or generated from Python's where
 *   iconv-lite lacks them (`_codec_charmap.ts`);
 * - the East Asian multi-byte charsets mail uses (Shift_JIS, CP932, EUC-JP,
 *   GB2312, GBK, GB18030, Big5, Big5-HKSCS, CP950, EUC-KR, CP949, Johab, and
 *   JIS X 0213's Shift_JIS-2004, Shift_JISX0213, EUC-JIS-2004 and
 *   EUC-JISX0213), with tables generated from Python's own (`_codec_cjk.ts`;
 *   iconv-lite's are the WHATWG ones, which differ from Python's),
 *   ISO-2022-JP, -JP-1, -JP-2, -JP-EXT, -JP-3, -JP-2004 and -KR
 *   (`_codec_cjk_iso2022.ts`) and HZ (`_codec_cjk_hz.ts`).
 *
 * Every text codec of Python 3.11's with a table is here. Its others
 * (unicode_escape, raw_unicode_escape, idna, punycode, charmap without a
 * map, undefined) are a `LookupError` that says netkit lacks them: netkit
 * never encodes or decodes differently from Python.
 *
 * @module
 */
import { isUtf8 } from "node:buffer";
import { CHARMAP_MODULES, charmapCodec } from "./_codec_charmap.js";
import { CJK_MODULES, cjkCodec } from "./_codec_cjk.js";
import { HZ_CODEC } from "./_codec_cjk_hz.js";
import { ISO2022_MODULES, iso2022Codec } from "./_codec_cjk_iso2022.js";
import {
  asRegistryError,
  type Codec,
  type DecodeError,
  decodeErrorRange,
  type EncodeTarget,
  encodeSlow,
  isSurrogate,
  isWellFormed,
} from "./_codec_handlers.js";
import { UTF7_CODEC } from "./_codec_utf7.js";
import { UTF16_CODECS } from "./_codec_utf16.js";
import { LookupError, UnicodeDecodeError, UnicodeEncodeError } from "./errors/index.js";

export type { Codec, DecodeError };
export { LookupError, UnicodeDecodeError, UnicodeEncodeError };

function utf8Good(cp: number, out: number[]): void {
  if (cp < 0x80) out.push(cp);
  else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f));
  else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
  else out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
}

/** True when every UTF-16 unit of `text` is below `limit` (128 or 256). */
function allBelow(text: string, limit: number): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) >= limit) return false;
  return true;
}

// ---------------------------------------------------------------------------
// Decoding

const isCont = (b: number | undefined) => b !== undefined && b >= 0x80 && b <= 0xbf;

/**
 * The UTF-8 error at `i` (whose byte is not ASCII), or the length of the valid
 * sequence there as a negative number. Ranges are Unicode's maximal subparts,
 * which is what CPython's decoder reports.
 */
function utf8ErrorAt(bytes: Buffer, i: number): DecodeError | number {
  const n = bytes.length;
  const b = bytes[i]!;
  let need: number;
  let lo = 0x80;
  let hi = 0xbf;
  if (b >= 0xc2 && b <= 0xdf) need = 1;
  else if (b >= 0xe0 && b <= 0xef) {
    need = 2;
    if (b === 0xe0) lo = 0xa0;
    else if (b === 0xed) hi = 0x9f;
  } else if (b >= 0xf0 && b <= 0xf4) {
    need = 3;
    if (b === 0xf0) lo = 0x90;
    else if (b === 0xf4) hi = 0x8f;
  } else return { start: i, end: i + 1, reason: "invalid start byte" };
  for (let k = 1; k <= need; k++) {
    const c = bytes[i + k];
    if (i + k >= n) return { start: i, end: n, reason: "unexpected end of data" };
    const ok = k === 1 ? c !== undefined && c >= lo && c <= hi : isCont(c);
    if (!ok) return { start: i, end: i + k, reason: "invalid continuation byte" };
  }
  return -(need + 1);
}

/**
 * The first place strict UTF-8 decoding of `bytes` fails, as CPython reports
 * it (the maximal invalid subpart and the reason), or `undefined` when the
 * bytes are valid UTF-8.
 */
export function firstUtf8Error(bytes: Buffer): DecodeError | undefined {
  let i = 0;
  while (i < bytes.length) {
    if (bytes[i]! < 0x80) {
      i++;
      continue;
    }
    const at = utf8ErrorAt(bytes, i);
    if (typeof at !== "number") return at;
    i -= at;
  }
  return undefined;
}

function decodeUtf8Slow(bytes: Buffer, errors: string): string {
  let out = "";
  let runStart = 0;
  let i = 0;
  const n = bytes.length;
  while (i < n) {
    if (bytes[i]! < 0x80) {
      i++;
      continue;
    }
    const r = utf8ErrorAt(bytes, i);
    if (typeof r === "number") {
      i -= r;
      continue;
    }
    out += bytes.toString("utf8", runStart, i);
    const [text, next] = decodeErrorRange("utf-8", bytes, errors, r, utf8Surrogate);
    out += text;
    i = runStart = next;
  }
  return out + bytes.toString("utf8", runStart, n);
}

// ---------------------------------------------------------------------------
// The codecs

/** UTF-8's `surrogatepass`: an encoded surrogate (ED A0..BF 80..BF) at `start`. */
function utf8Surrogate(bytes: Buffer, start: number): [string, number] | undefined {
  const b1 = bytes[start + 1];
  const b2 = bytes[start + 2];
  if (bytes[start] !== 0xed || b1 === undefined || b1 < 0xa0 || b1 > 0xbf || !isCont(b2)) return undefined;
  return [String.fromCharCode(0xd000 | ((b1 & 0x3f) << 6) | (b2! & 0x3f)), start + 3];
}

const UTF8_TARGET: EncodeTarget = {
  codec: "utf-8",
  reason: "surrogates not allowed",
  isBad: isSurrogate,
  good: utf8Good,
  surrogate(cp, out) {
    out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
  },
  rawBytes: true,
  escapesInline: true,
};

const UTF8: Codec = {
  name: "utf-8",
  module: "utf_8",
  asciiCompatible: true,
  encode(text, errors) {
    if (isWellFormed(text)) return Buffer.from(text, "utf8");
    return encodeSlow(UTF8_TARGET, text, errors);
  },
  decode(bytes, errors) {
    // Node's decoder substitutes U+FFFD per maximal subpart, exactly as CPython's "replace".
    if (errors === "replace" || isUtf8(bytes)) return bytes.toString("utf8");
    return decodeUtf8Slow(bytes, errors);
  },
};

const BOM_UTF8 = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * Python's `utf_8_sig`: UTF-8 after a byte-order mark, which decoding drops
 * (one, when the bytes start with it: errors count from after it, as
 * Python's do) and encoding writes first.
 */
const UTF8_SIG: Codec = {
  name: "utf-8-sig",
  module: "utf_8_sig",
  // Every text encodes with the mark first, so ASCII is not its own bytes.
  asciiCompatible: false,
  encode: (text, errors) => Buffer.concat([BOM_UTF8, UTF8.encode(text, errors)]),
  decode(bytes, errors) {
    try {
      return UTF8.decode(bytes.subarray(0, 3).equals(BOM_UTF8) ? bytes.subarray(3) : bytes, errors);
    } catch (e) {
      // UTF-8-SIG is a registry codec in Python (UTF-8 is not): a handler's TypeError names it.
      throw asRegistryError(e, "utf_8_sig");
    }
  },
};

function singleByteCodec(name: string, module: string, limit: number): Codec {
  const reason = `ordinal not in range(${limit})`;
  const target: EncodeTarget = {
    codec: name,
    reason,
    isBad: (cp) => cp >= limit,
    good: (cp, out) => out.push(cp),
    rawBytes: true,
    escapesInline: true,
  };
  return {
    name,
    module,
    asciiCompatible: true,
    encode(text, errors) {
      if (allBelow(text, limit)) return Buffer.from(text, "latin1");
      return encodeSlow(target, text, errors);
    },
    decode(bytes, errors) {
      if (limit === 256) return bytes.toString("latin1");
      let out = "";
      let runStart = 0;
      for (let i = 0; i < bytes.length; i++) {
        if (bytes[i]! < 0x80) continue;
        out += bytes.toString("latin1", runStart, i);
        const [text, next] = decodeErrorRange(name, bytes, errors, { start: i, end: i + 1, reason });
        out += text;
        runStart = next;
        i = next - 1;
      }
      return out + bytes.toString("latin1", runStart);
    },
  };
}

const LATIN1 = singleByteCodec("latin-1", "latin_1", 256);
const ASCII = singleByteCodec("ascii", "ascii", 128);

/** netkit's codecs by CPython's module name; the charmap ones are built on first use. */
const MODULES = new Map<string, Codec | (() => Codec)>([
  ["utf_8", UTF8],
  ["utf_8_sig", UTF8_SIG],
  ["latin_1", LATIN1],
  ["ascii", ASCII],
  ...UTF16_CODECS.map((c): [string, Codec] => [c.module, c]),
  ["utf_7", UTF7_CODEC],
  ...CHARMAP_MODULES.map((m): [string, () => Codec] => [m, () => charmapCodec(m)]),
  ...CJK_MODULES.map((m): [string, () => Codec] => [m, () => cjkCodec(m)]),
  ...ISO2022_MODULES.map((m): [string, () => Codec] => [m, () => iso2022Codec(m)]),
  ["hz", HZ_CODEC],
]);

/**
 * Python's `encodings.aliases` for netkit's codecs (Python 3.11), by module.
 * Python's other codecs are in {@link PYTHON_ONLY}.
 */
const ALIAS_LIST: Record<string, readonly string[]> = {
  utf_8: ["cp65001", "u8", "utf", "utf8", "utf8_ucs2", "utf8_ucs4"],
  latin_1: [
    "8859",
    "cp819",
    "csisolatin1",
    "ibm819",
    "iso8859",
    "iso8859_1",
    "iso_8859_1",
    "iso_8859_1_1987",
    "iso_ir_100",
    "l1",
    "latin",
    "latin1",
  ],
  ascii: [
    "646",
    "ansi_x3.4_1968",
    "ansi_x3.4_1986",
    "ansi_x3_4_1968",
    "cp367",
    "csascii",
    "ibm367",
    "iso646_us",
    "iso_646.irv_1991",
    "iso_ir_6",
    "us",
    "us_ascii",
  ],
  utf_7: ["u7", "unicode_1_1_utf_7", "utf7"],
  utf_16: ["u16", "utf16"],
  utf_16_be: ["unicodebigunmarked", "utf_16be"],
  utf_16_le: ["unicodelittleunmarked", "utf_16le"],
  utf_32: ["u32", "utf32"],
  utf_32_be: ["utf_32be"],
  utf_32_le: ["utf_32le"],
  cp1125: ["1125", "cp866u", "ibm1125", "ruscii"],
  cp1250: ["1250", "windows_1250"],
  cp1251: ["1251", "windows_1251"],
  cp1252: ["1252", "windows_1252"],
  cp1253: ["1253", "windows_1253"],
  cp1254: ["1254", "windows_1254"],
  cp1255: ["1255", "windows_1255"],
  cp1256: ["1256", "windows_1256"],
  cp1257: ["1257", "windows_1257"],
  cp1258: ["1258", "windows_1258"],
  cp437: ["437", "cspc8codepage437", "ibm437"],
  cp775: ["775", "cspc775baltic", "ibm775"],
  cp850: ["850", "cspc850multilingual", "ibm850"],
  cp852: ["852", "cspcp852", "ibm852"],
  cp855: ["855", "csibm855", "ibm855"],
  cp857: ["857", "csibm857", "ibm857"],
  cp858: ["858", "csibm858", "ibm858"],
  cp860: ["860", "csibm860", "ibm860"],
  cp861: ["861", "cp_is", "csibm861", "ibm861"],
  cp862: ["862", "cspc862latinhebrew", "ibm862"],
  cp863: ["863", "csibm863", "ibm863"],
  cp864: ["864", "csibm864", "ibm864"],
  cp865: ["865", "csibm865", "ibm865"],
  cp866: ["866", "csibm866", "ibm866"],
  cp869: ["869", "cp_gr", "csibm869", "ibm869"],
  hp_roman8: ["cp1051", "ibm1051", "r8", "roman8"],
  iso8859_2: ["csisolatin2", "iso_8859_2", "iso_8859_2_1987", "iso_ir_101", "l2", "latin2"],
  iso8859_3: ["csisolatin3", "iso_8859_3", "iso_8859_3_1988", "iso_ir_109", "l3", "latin3"],
  iso8859_4: ["csisolatin4", "iso_8859_4", "iso_8859_4_1988", "iso_ir_110", "l4", "latin4"],
  iso8859_5: ["csisolatincyrillic", "cyrillic", "iso_8859_5", "iso_8859_5_1988", "iso_ir_144"],
  iso8859_6: [
    "arabic",
    "asmo_708",
    "csisolatinarabic",
    "ecma_114",
    "iso_8859_6",
    "iso_8859_6_1987",
    "iso_ir_127",
  ],
  iso8859_7: [
    "csisolatingreek",
    "ecma_118",
    "elot_928",
    "greek",
    "greek8",
    "iso_8859_7",
    "iso_8859_7_1987",
    "iso_ir_126",
  ],
  iso8859_8: ["csisolatinhebrew", "hebrew", "iso_8859_8", "iso_8859_8_1988", "iso_ir_138"],
  iso8859_9: ["csisolatin5", "iso_8859_9", "iso_8859_9_1989", "iso_ir_148", "l5", "latin5"],
  iso8859_10: ["csisolatin6", "iso_8859_10", "iso_8859_10_1992", "iso_ir_157", "l6", "latin6"],
  iso8859_11: ["iso_8859_11", "iso_8859_11_2001", "thai"],
  iso8859_13: ["iso_8859_13", "l7", "latin7"],
  iso8859_14: ["iso_8859_14", "iso_8859_14_1998", "iso_celtic", "iso_ir_199", "l8", "latin8"],
  iso8859_15: ["iso_8859_15", "l9", "latin9"],
  iso8859_16: ["iso_8859_16", "iso_8859_16_2001", "iso_ir_226", "l10", "latin10"],
  koi8_r: ["cskoi8r"],
  mac_cyrillic: ["maccyrillic"],
  mac_greek: ["macgreek"],
  mac_iceland: ["maciceland"],
  mac_roman: ["macintosh", "macroman"],
  mac_turkish: ["macturkish"],
  tis_620: ["iso_ir_166", "tis620", "tis_620_0", "tis_620_2529_0", "tis_620_2529_1"],
  cp037: [
    "037",
    "csibm037",
    "ebcdic_cp_ca",
    "ebcdic_cp_nl",
    "ebcdic_cp_us",
    "ebcdic_cp_wt",
    "ibm037",
    "ibm039",
  ],
  cp1026: ["1026", "csibm1026", "ibm1026"],
  cp1140: ["1140", "ibm1140"],
  cp273: ["273", "csibm273", "ibm273"],
  cp424: ["424", "csibm424", "ebcdic_cp_he", "ibm424"],
  cp500: ["500", "csibm500", "ebcdic_cp_be", "ebcdic_cp_ch", "ibm500"],
  kz1048: ["kz_1048", "rk1048", "strk1048_2002"],
  mac_latin2: ["mac_centeuro", "maccentraleurope", "maclatin2"],
  ptcp154: ["cp154", "csptcp154", "cyrillic_asian", "pt154"],
  shift_jis: ["csshiftjis", "s_jis", "shiftjis", "sjis", "x_mac_japanese"],
  cp932: ["932", "ms932", "ms_kanji", "mskanji"],
  euc_jp: ["eucjp", "u_jis", "ujis"],
  gb2312: [
    "chinese",
    "csiso58gb231280",
    "euc_cn",
    "euccn",
    "eucgb2312_cn",
    "gb2312_1980",
    "gb2312_80",
    "iso_ir_58",
    "x_mac_simp_chinese",
  ],
  gbk: ["936", "cp936", "ms936"],
  gb18030: ["gb18030_2000"],
  big5: ["big5_tw", "csbig5", "x_mac_trad_chinese"],
  cp950: ["950", "ms950"],
  euc_kr: [
    "euckr",
    "korean",
    "ks_c_5601",
    "ks_c_5601_1987",
    "ks_x_1001",
    "ksc5601",
    "ksx1001",
    "x_mac_korean",
  ],
  cp949: ["949", "ms949", "uhc"],
  iso2022_jp: ["csiso2022jp", "iso2022jp", "iso_2022_jp"],
  iso2022_jp_1: ["iso2022jp_1", "iso_2022_jp_1"],
  iso2022_jp_2: ["iso2022jp_2", "iso_2022_jp_2"],
  iso2022_jp_ext: ["iso2022jp_ext", "iso_2022_jp_ext"],
  iso2022_kr: ["csiso2022kr", "iso2022kr", "iso_2022_kr"],
  hz: ["hz_gb", "hz_gb_2312", "hzgb"],
  johab: ["cp1361", "ms1361"],
  big5hkscs: ["big5_hkscs", "hkscs"],
  shift_jis_2004: ["s_jis_2004", "shiftjis2004", "sjis_2004"],
  shift_jisx0213: ["s_jisx0213", "shiftjisx0213", "sjisx0213"],
  euc_jis_2004: ["euc_jis2004", "eucjis2004", "jisx0213"],
  euc_jisx0213: ["eucjisx0213"],
  iso2022_jp_2004: ["iso2022jp_2004", "iso_2022_jp_2004"],
  iso2022_jp_3: ["iso2022jp_3", "iso_2022_jp_3"],
};

/** Entries of `encodings.aliases` for netkit's codecs: alias → module. */
const ALIASES = new Map<string, string>();
for (const [module, names] of Object.entries(ALIAS_LIST)) for (const name of names) ALIASES.set(name, module);

/**
 * Python 3.11's other text codecs, with their aliases: `LookupError` names
 * them as Python's codecs netkit lacks, rather than as unknown encodings.
 */
const PYTHON_ONLY: Record<string, readonly string[]> = {
  charmap: [],
  idna: [],
  punycode: [],
  raw_unicode_escape: [],
  undefined: [],
  unicode_escape: [],
};
/** Python's multi-byte codecs (netkit's and the others): Python's XML parser refuses them. */
const PYTHON_MULTIBYTE = new Set([
  ...CJK_MODULES,
  "big5",
  "big5hkscs",
  "cp932",
  "cp949",
  "cp950",
  "euc_jis_2004",
  "euc_jisx0213",
  "euc_jp",
  "euc_kr",
  "gb18030",
  "gb2312",
  "gbk",
  "iso2022_kr",
  "johab",
  "shift_jis",
  "shift_jis_2004",
  "shift_jisx0213",
  "utf_7",
]);
const PYTHON_ONLY_NAMES = new Map<string, string>();
for (const [module, names] of Object.entries(PYTHON_ONLY)) {
  PYTHON_ONLY_NAMES.set(module, module);
  for (const name of names) PYTHON_ONLY_NAMES.set(name, module);
}

/** Python's `encodings.normalize_encoding` after lower-casing: runs of punctuation become one `_`. */
function normalizeEncoding(encoding: string): string {
  let out = "";
  let punct = false;
  for (const ch of encoding.toLowerCase()) {
    if (/^[\p{L}\p{N}.]$/u.test(ch)) {
      if (punct && out) out += "_";
      if (ch < "\x80") out += ch;
      punct = false;
    } else {
      punct = true;
    }
  }
  return out;
}

/** True for a multi-byte codec of Python's (the East Asian ones, UTF-7), which Python's XML parser refuses. */
export function isMultibyteCodec(codec: Codec): boolean {
  return PYTHON_MULTIBYTE.has(codec.module);
}

/** The names every call passes most often, looked up without normalising. */
const FAST_NAMES = new Map<string, Codec>([
  ["utf-8", UTF8],
  ["utf8", UTF8],
  ["latin-1", LATIN1],
  ["ascii", ASCII],
]);

/** The module `encodings.search_function` finds for a normalised name, in `table` (alias, then module name). */
function moduleOf(norm: string, aliases: ReadonlyMap<string, string>, isModule: (m: string) => boolean) {
  // An alias, with "." read as "_", else a module name, which cannot contain ".".
  const alias = aliases.get(norm) ?? aliases.get(norm.replaceAll(".", "_"));
  if (alias !== undefined) return alias;
  return !norm.includes(".") && isModule(norm) ? norm : undefined;
}

function codecOf(module: string): Codec {
  const entry = MODULES.get(module)!;
  if (typeof entry !== "function") return entry;
  const codec = entry();
  MODULES.set(module, codec);
  return codec;
}

/**
 * The codec for a Python encoding name (`"utf-8"`, `"UTF8"`, `"latin-1"`,
 * `"iso-8859-15"`, `"windows-1252"`, `"utf-16-le"`, ...), found as Python's
 * `encodings` package finds it; `undefined` for an encoding netkit lacks.
 */
export function findCodec(encoding: string): Codec | undefined {
  const fast = FAST_NAMES.get(encoding);
  if (fast) return fast;
  const module = moduleOf(normalizeEncoding(encoding), ALIASES, (m) => MODULES.has(m));
  return module === undefined ? undefined : codecOf(module);
}

/**
 * The Python codec netkit lacks that `encoding` names (`"shift_jis"` for
 * `"Shift-JIS"`), and whether it is a multi-byte one; `undefined` when
 * netkit has the codec or Python does not know the name either.
 */
export function missingPythonCodec(encoding: string): { module: string; multibyte: boolean } | undefined {
  if (findCodec(encoding)) return undefined;
  const module = moduleOf(normalizeEncoding(encoding), PYTHON_ONLY_NAMES, (m) => PYTHON_ONLY_NAMES.has(m));
  return module === undefined ? undefined : { module, multibyte: PYTHON_MULTIBYTE.has(module) };
}

/**
 * `findCodec`, for a name that must be found.
 * @throws {LookupError} Python's "unknown encoding: NAME", saying so when
 *   Python has the codec and netkit does not
 */
export function lookupCodec(encoding: string): Codec {
  const codec = findCodec(encoding);
  if (codec) return codec;
  const missing = missingPythonCodec(encoding);
  if (missing !== undefined) {
    throw new LookupError(
      `unknown encoding: ${encoding} (Python's codec ${missing.module}: netkit lacks it)`,
    );
  }
  throw new LookupError(`unknown encoding: ${encoding}`);
}

/** The UTF-8 codec, for callers that skip the name lookup. */
export const UTF8_CODEC: Codec = UTF8;
/** The Latin-1 codec. */
export const LATIN1_CODEC: Codec = LATIN1;
/** The ASCII codec (Python's implicit codec for bytes arguments in `urllib.parse`). */
export const ASCII_CODEC: Codec = ASCII;
