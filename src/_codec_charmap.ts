/**
 * Python's single-byte charsets (CPython's `charmap` codecs: ISO 8859, the
 * Windows and DOS code pages, KOI8, the Mac ones, TIS-620, HP Roman-8, the
 * EBCDIC code pages, KZ-1048, PTCP154, Palm OS), internal to `src/_codecs.ts`.
 * Every Python 3.11 charmap codec is here.
 *
 * The tables come from two places; the codec built on them is one:
 * - iconv-lite, for the charsets it has with Python's table. Its tables were
 *   checked byte by byte against Python 3.11's (the differential test
 *   test/conformance/codecs.test.ts keeps checking them). They agree but for
 *   a few bytes, fixed here to Python's tables: Apple's later Mac tables (€,
 *   Ω as U+03A9, the Apple logo U+F8FF), cp1255's undefined 0xCA, and
 *   TIS-620's C1 controls.
 * - `_codec_charmap_data.ts`, generated from python3 by
 *   scripts/gen-charmap-codecs.py, for the ones iconv-lite lacks or has with
 *   another table (the EBCDIC ones cp037, cp273, cp424, cp500, cp875, cp1026,
 *   cp1140; cp1006, kz1048, ptcp154, mac_arabic, mac_farsi, mac_latin2,
 *   mac_romanian, palmos); test/conformance/codecs-charmap-more.test.ts
 *   checks them.
 *
 * Encoding is the decoding table inverted, the last byte winning where two
 * bytes decode to one character (mac_arabic's and mac_farsi's right-to-left
 * duplicates of ASCII's space and punctuation), as Python's encoding maps are.
 *
 * Errors are Python's: the codec is named `charmap`, the reason is
 * "character maps to <undefined>", a decode error is one byte, an encode
 * error a run of unencodable characters.
 *
 * @module
 */
import iconv from "iconv-lite";
import { PYTHON_TABLES } from "./_codec_charmap_data.js";
import { type Codec, type EncodeTarget, encodeSlow, registryDecodeError } from "./_codec_handlers.js";

/** Python's charmap codec modules netkit has, each with the name iconv-lite knows it by. */
const ICONV_NAMES: Readonly<Record<string, string>> = {
  cp1125: "cp1125",
  cp1250: "cp1250",
  cp1251: "cp1251",
  cp1252: "cp1252",
  cp1253: "cp1253",
  cp1254: "cp1254",
  cp1255: "cp1255",
  cp1256: "cp1256",
  cp1257: "cp1257",
  cp1258: "cp1258",
  cp437: "cp437",
  cp720: "cp720",
  cp737: "cp737",
  cp775: "cp775",
  cp850: "cp850",
  cp852: "cp852",
  cp855: "cp855",
  cp856: "cp856",
  cp857: "cp857",
  cp858: "cp858",
  cp860: "cp860",
  cp861: "cp861",
  cp862: "cp862",
  cp863: "cp863",
  cp864: "cp864",
  cp865: "cp865",
  cp866: "cp866",
  cp869: "cp869",
  cp874: "cp874",
  hp_roman8: "hproman8",
  iso8859_2: "iso88592",
  iso8859_3: "iso88593",
  iso8859_4: "iso88594",
  iso8859_5: "iso88595",
  iso8859_6: "iso88596",
  iso8859_7: "iso88597",
  iso8859_8: "iso88598",
  iso8859_9: "iso88599",
  iso8859_10: "iso885910",
  iso8859_11: "iso885911",
  iso8859_13: "iso885913",
  iso8859_14: "iso885914",
  iso8859_15: "iso885915",
  iso8859_16: "iso885916",
  koi8_r: "koi8r",
  koi8_t: "koi8t",
  koi8_u: "koi8u",
  mac_croatian: "maccroatian",
  mac_cyrillic: "maccyrillic",
  mac_greek: "macgreek",
  mac_iceland: "maciceland",
  mac_roman: "macroman",
  mac_turkish: "macturkish",
  tis_620: "tis620",
};

/** The charmap modules netkit has: iconv-lite's, then those whose tables are generated from Python's. */
export const CHARMAP_MODULES: readonly string[] = [
  ...Object.keys(ICONV_NAMES),
  ...Object.keys(PYTHON_TABLES),
];

/** No character: the byte is undefined in the charset. */
const UNDEFINED = -1;

/**
 * Where iconv-lite's table differs from Python's: byte → Python's code point
 * (or UNDEFINED). Python's Mac tables are Apple's of 1998 and later
 * (unicode.org's VENDORS/APPLE), iconv-lite's the older ones; Python's cp1255
 * leaves 0xCA undefined, as the unicode.org table it was built from does.
 */
const PYTHON_FIXES: Readonly<Record<string, ReadonlyArray<readonly [number, number]>>> = {
  cp1255: [[0xca, UNDEFINED]],
  mac_croatian: [
    [0xbd, 0x03a9],
    [0xd8, 0xf8ff],
    [0xdb, 0x20ac],
  ],
  mac_cyrillic: [
    [0xa2, 0x0490],
    [0xb6, 0x0491],
    [0xff, 0x20ac],
  ],
  mac_greek: [
    [0x9c, 0x20ac],
    [0xaf, 0x00b7],
    [0xff, 0x00ad],
  ],
  mac_iceland: [
    [0xbd, 0x03a9],
    [0xdb, 0x20ac],
    [0xf0, 0xf8ff],
  ],
  mac_roman: [
    [0xbd, 0x03a9],
    [0xdb, 0x20ac],
    [0xf0, 0xf8ff],
  ],
  mac_turkish: [
    [0xbd, 0x03a9],
    [0xf0, 0xf8ff],
    [0xf5, 0xf8a0],
  ],
  // Python maps TIS-620's 0x80..0x9F to the C1 controls; iconv-lite leaves them undefined.
  tis_620: Array.from({ length: 32 }, (_, i): [number, number] => [0x80 + i, 0x80 + i]),
};

const REASON = "character maps to <undefined>";

/** The generated tables' mark of an undefined byte (Python's own tables use it too). */
const GENERATED_UNDEFINED = 0xfffe;

/** The decoding table of a charmap module: byte → code point, or UNDEFINED. */
function decodingTable(module: string): Int32Array {
  const generated = PYTHON_TABLES[module];
  if (generated) {
    const all = generated.join("");
    const table = new Int32Array(256);
    for (let b = 0; b < 256; b++) {
      const cp = all.charCodeAt(b);
      table[b] = cp === GENERATED_UNDEFINED ? UNDEFINED : cp;
    }
    return table;
  }
  const all = iconv.decode(Buffer.from(Array.from({ length: 256 }, (_, b) => b)), ICONV_NAMES[module]!);
  const table = new Int32Array(256);
  for (let b = 0; b < 256; b++) table[b] = all[b] === "\ufffd" ? UNDEFINED : all.charCodeAt(b);
  for (const [b, cp] of PYTHON_FIXES[module] ?? []) table[b] = cp;
  return table;
}

/**
 * The codec of one of Python's charmap modules (one of {@link CHARMAP_MODULES}).
 */
export function charmapCodec(module: string): Codec {
  const table = decodingTable(module);
  // Python's encoding map is the decoding table inverted (charmap_build).
  const encoding = new Map<number, number>();
  for (let b = 0; b < 256; b++) if (table[b] !== UNDEFINED) encoding.set(table[b]!, b);
  // Both ways: mac_arabic decodes ASCII as ASCII but encodes " " as 0xA0 (its right-to-left space).
  let asciiCompatible = true;
  for (let b = 0; b < 0x80; b++) if (table[b] !== b || encoding.get(b) !== b) asciiCompatible = false;
  const target: EncodeTarget = {
    codec: "charmap",
    reason: REASON,
    isBad: (cp) => !encoding.has(cp),
    good: (cp, out) => out.push(encoding.get(cp)!),
    // The handlers' replacement text goes through the table too (as in CPython).
    ascii(text, out) {
      for (let i = 0; i < text.length; i++) out.push(encoding.get(text.charCodeAt(i)) ?? 0x3f);
    },
    rawBytes: true,
  };
  return {
    name: "charmap",
    module,
    asciiCompatible,
    encode(text, errors) {
      const out = Buffer.allocUnsafe(text.length);
      for (let i = 0; i < text.length; i++) {
        const b = encoding.get(text.charCodeAt(i));
        if (b === undefined) return encodeSlow(target, text, errors);
        out[i] = b;
      }
      return out;
    },
    decode(bytes, errors) {
      const units = new Uint16Array(bytes.length);
      let out = "";
      let n = 0;
      for (let i = 0; i < bytes.length; i++) {
        const cp = table[bytes[i]!]!;
        if (cp !== UNDEFINED) {
          units[n++] = cp;
          continue;
        }
        out += unitsToString(units, n);
        n = 0;
        // Python reaches these codecs through its registry, so a handler's TypeError names the codec.
        const [text, next] = registryDecodeError("charmap", module, bytes, errors, {
          start: i,
          end: i + 1,
          reason: REASON,
        });
        out += text;
        i = next - 1;
      }
      return out + unitsToString(units, n);
    },
  };
}

/** The first `n` UTF-16 units as a string, built in chunks (an argument list has a length limit). */
function unitsToString(units: Uint16Array, n: number): string {
  let out = "";
  for (let at = 0; at < n; at += 8192) {
    out += String.fromCharCode.apply(null, units.subarray(at, Math.min(n, at + 8192)) as unknown as number[]);
  }
  return out;
}
