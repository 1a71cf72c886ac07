/**
 * Python's East Asian multi-byte codecs (CPython's `_codecs_jp`, `_codecs_cn`,
 * `_codecs_tw`, `_codecs_kr`, `_codecs_hk` under `_multibytecodec`): shift_jis, cp932,
 * euc_jp, gb2312, gbk, gb18030, big5, big5hkscs, cp950, euc_kr, cp949, johab,
 * and JIS X 0213's shift_jis_2004, shift_jisx0213, euc_jis_2004 and
 * euc_jisx0213 (internal to `src/_codecs.ts`).
 *
 * The tables are Python's own, generated from python3 by
 * `scripts/gen-cjk-codecs.py` into `_codec_cjk_data.ts` (about 290 kB of
 * deflated, base64'd data) and inflated on a codec's first use. iconv-lite's
 * multi-byte tables are not used: they are the WHATWG ones, which differ from
 * Python's (big5 is Big5-HKSCS there, gb2312 is GBK, ...).
 *
 * Decoding walks a trie: each node maps the next byte to a character (or
 * two: big5hkscs has four sequences that stand for a letter and a combining
 * mark, JIS X 0213 twenty-five for a kana, letter or tone mark and a mark), to an error over the first k bytes ("illegal multibyte sequence"), or to the node
 * for one more byte; input that ends inside a node is an "incomplete
 * multibyte sequence" over the rest of the input. That reproduces CPython's
 * error ranges, which its decoders choose per sequence. Two forms are
 * algorithmic, as in CPython: gb18030's four-byte form (a run table for the
 * BMP, arithmetic beyond it) and euc_kr's eight-byte Hangul make-up sequence
 * (KS X 1001:1998 annex 3).
 *
 * Encoding is a table per BMP code point (the trie's inverse, corrected by
 * the generator's list of where Python's encoder differs) plus gb18030's
 * arithmetic for the other planes, plane 2 for big5hkscs and JIS X 0213 (a
 * map, built the same way) and the letter-and-mark pairs, which they encode as
 * one character when both come in a row, as CPython's encoders do. The
 * JIS X 0213 codecs as of 2000 (shift_jisx0213, euc_jisx0213) have the 2004
 * ones' tries with eleven entries changed, and their data says only those. As in CPython's `_multibytecodec`, each
 * unencodable character is an error of its own (one code point wide), and a
 * handler's replacement text is encoded by the codec itself.
 *
 * @module
 */
import { inflateSync } from "node:zlib";
import { CJK_DERIVED, CJK_PAIRS, CJK_TABLES, EUC_KR_MAKEUP, GB18030_RANGES } from "./_codec_cjk_data.js";
import { type Codec, checkHandler, registryDecodeError } from "./_codec_handlers.js";
import { escapeCodePoint, UnicodeEncodeError } from "./errors/index.js";

/** The codecs here, under CPython's module names (which are also the names their errors report). */
export const CJK_MODULES: readonly string[] = Object.keys(CJK_TABLES);

/** The JIS X 0213 codecs here (their pairs take a second of 0 as well: see the encoder). */
const JISX0213_MODULES = new Set(["shift_jis_2004", "shift_jisx0213", "euc_jis_2004", "euc_jisx0213"]);

// Trie entries below zero: -k is an error over k bytes (k < 8), the rest are these.
const FOUR = -8;
const MAKEUP = -9;
/** -10 - k: two code points, CJK_PAIRS[k] (k < 54). */
const PAIR = -10;
/** NODE - n: node n. */
const NODE = -64;

const ILLEGAL = "illegal multibyte sequence";
const INCOMPLETE = "incomplete multibyte sequence";

/** A codec's tables, built from the generated data. */
interface Tables {
  /** The trie: node n's entry for byte b is at n * 256 + b. */
  readonly trie: Int32Array;
  /** A BMP code point's bytes, big-endian in the low `length` bytes. */
  readonly encBytes: Uint32Array;
  /** How many bytes a BMP code point encodes to; 0: it cannot be encoded, 8: euc_kr's make-up sequence. */
  readonly encLength: Uint8Array;
  /**
   * The bytes of a code point past the BMP (big5hkscs's and JIS X 0213's
   * plane 2), big-endian, plus their count times 0x1000000.
   */
  readonly encOther: Map<number, number>;
  /**
   * The two bytes of a pair of code points (big5hkscs's, JIS X 0213's), by
   * first * 0x10000 + second; for JIS X 0213's, first * 0x10000 (second 0)
   * is the first's own code (see the encoder).
   */
  readonly encPairs: Map<number, number>;
}

/** Reads unsigned LEB128 varints (and raw bytes between them). */
class Varints {
  #pos = 0;
  constructor(readonly bytes: Buffer) {}
  /** One raw byte. */
  byte(): number {
    return this.bytes[this.#pos++]!;
  }
  get done(): boolean {
    return this.#pos >= this.bytes.length;
  }
  next(): number {
    let n = 0;
    let scale = 1;
    for (;;) {
      const b = this.bytes[this.#pos++]!;
      n += (b & 0x7f) * scale;
      if (b < 0x80) return n;
      scale *= 128;
    }
  }
}

/** A trie entry other than a character, from its code (the format is in the generator's docstring). */
// 64: the generator's NODE_BASE, the code of node 0.
const entryOf = (code: number) => (code >= 64 ? NODE - (code - 64) : -code);

/** A codec's trie from its varint stream; a derived codec's is its base's with the stream's entries changed. */
function readTrie(module: string): Int32Array {
  const [count, data] = CJK_TABLES[module]!;
  const input = new Varints(inflateSync(Buffer.from(data, "base64")));
  const base = CJK_DERIVED[module];
  if (base !== undefined) {
    const trie = readTrie(base);
    let i = 0;
    while (!input.done) {
      i += input.next();
      const v = input.next();
      trie[i] = v % 2 === 0 ? v / 2 : entryOf((v - 1) / 2);
    }
    return trie;
  }
  const trie = new Int32Array(count * 256);
  let last = -1;
  for (let i = 0; i < trie.length; i++) {
    const v = input.next();
    if (v % 2 === 0) {
      const z = v / 2;
      last += 1 + (z % 2 === 0 ? z / 2 : -(z + 1) / 2);
      trie[i] = last;
    } else trie[i] = entryOf((v - 1) / 2);
  }
  return trie;
}

/** JIS X 0213 plane 2's rows (EUC's 0x8F sequences in the other rows are JIS X 0212's). */
export const PLANE2_ROWS: ReadonlySet<number> = new Set([
  1,
  3,
  4,
  5,
  8,
  12,
  13,
  14,
  15,
  ...Array.from({ length: 17 }, (_, k) => 78 + k),
]);

const BYTE_ORDER = Array.from({ length: 256 }, (_, b) => b);
/** The EUC JIS X 0213 codecs' first level: 0x8F (plane 2, JIS X 0212) after plane 1. */
const EUC_JISX0213_FIRST = [...BYTE_ORDER.filter((b) => b !== 0x8f), 0x8f];
/** Their 0x8F node: plane 2's rows before JIS X 0212's, as their encoders choose. */
const EUC_JISX0213_8F = [
  ...[...PLANE2_ROWS].map((row) => 0xa0 + row),
  ...BYTE_ORDER.filter((b) => !PLANE2_ROWS.has(b - 0xa0)),
];

/** The index of each byte 0xA1..0xFE in the cho, jung and jong places of euc_kr's make-up sequence: inverted. */
function makeupBytes(): Map<number, number>[] {
  return EUC_KR_MAKEUP.map((row) => {
    const first = new Map<number, number>();
    row.forEach((index, k) => {
      if (index >= 0 && !first.has(index)) first.set(index, 0xa1 + k);
    });
    return first;
  });
}

/** gb18030's four-byte BMP form for linear index `lseq` (0..39419), as a big-endian number. */
function fourBytes(lseq: number): number {
  const a = Math.floor(lseq / 12600);
  const b = Math.floor(lseq / 1260) % 10;
  const c = Math.floor(lseq / 10) % 126;
  return ((0x81 + a) * 0x1000000 + (0x30 + b) * 0x10000 + (0x81 + c) * 0x100 + 0x30 + (lseq % 10)) >>> 0;
}

function buildTables(module: string): Tables {
  const enc = CJK_TABLES[module]![2];
  const trie = readTrie(module);
  const eucJisx0213 = module === "euc_jis_2004" || module === "euc_jisx0213";
  const encBytes = new Uint32Array(0x10000);
  const encLength = new Uint8Array(0x10000);
  const encOther = new Map<number, number>();
  const encPairs = new Map<number, number>();
  const set = (cp: number, bytes: number, length: number) => {
    if (cp < 0x10000) {
      if (encLength[cp] === 0) {
        encBytes[cp] = bytes;
        encLength[cp] = length;
      }
    } else if (!encOther.has(cp)) encOther.set(cp, length * 0x1000000 + bytes);
  };
  // The inverse: byte order (but for the EUC JIS X 0213 codecs' 0x8F sequences, as the generator's
  // walk_order), the first sequence found for a code point wins.
  const walk = (node: number, prefix: number, depth: number) => {
    const order = !eucJisx0213
      ? BYTE_ORDER
      : depth === 0
        ? EUC_JISX0213_FIRST
        : prefix === 0x8f
          ? EUC_JISX0213_8F
          : BYTE_ORDER;
    for (const b of order) {
      const v = trie[node * 256 + b]!;
      const bytes = (prefix * 256 + b) >>> 0;
      if (v >= 0) set(v, bytes, depth + 1);
      else if (v <= NODE) walk(NODE - v, bytes, depth + 1);
      else if (v <= PAIR && v > NODE) {
        const [a, b] = CJK_PAIRS[PAIR - v]!;
        if (!encPairs.has(a! * 0x10000 + b!)) encPairs.set(a! * 0x10000 + b!, bytes);
      }
    }
  };
  walk(0, 0, 0);
  if (JISX0213_MODULES.has(module)) {
    for (const key of [...encPairs.keys()]) {
      const first = Math.floor(key / 0x10000);
      encPairs.set(first * 0x10000, encBytes[first]!);
    }
  }
  if (module === "gb18030") {
    for (let k = 0; k < GB18030_RANGES.length; k += 2) {
      const base = GB18030_RANGES[k]!;
      const end = GB18030_RANGES[k + 2] ?? 39420;
      const first = GB18030_RANGES[k + 1]!;
      for (let lseq = base; lseq < end; lseq++) set(first + lseq - base, fourBytes(lseq), 4);
    }
  }
  if (module === "euc_kr") {
    const [cho, jung, jong] = makeupBytes();
    for (let cp = 0xac00; cp < 0xd7a4; cp++) {
      const s = cp - 0xac00;
      if (cho!.has(Math.floor(s / 588)) && jung!.has(Math.floor(s / 28) % 21) && jong!.has(s % 28)) {
        set(cp, 0, 8);
      }
    }
  }
  // Where Python's encoder differs from the inverse.
  const deltas = new Varints(inflateSync(Buffer.from(enc, "base64")));
  let cp = 0;
  while (!deltas.done) {
    cp += deltas.next();
    const length = deltas.next();
    let bytes = 0;
    for (let k = 0; k < length; k++) bytes = bytes * 256 + deltas.byte();
    if (cp >= 0x10000) {
      if (length === 0) encOther.delete(cp);
      else encOther.set(cp, length * 0x1000000 + bytes);
      continue;
    }
    encBytes[cp] = bytes >>> 0;
    encLength[cp] = length;
  }
  return { trie, encBytes, encLength, encOther, encPairs };
}

/** gb18030's four-byte form at `i` (the first two bytes checked); the code point, or -1 for an error over one byte. */
function gb18030Four(bytes: Buffer, i: number): number {
  const c3 = bytes[i + 2]!;
  const c4 = bytes[i + 3]!;
  if (c3 < 0x81 || c3 > 0xfe || c4 < 0x30 || c4 > 0x39) return -1;
  const c = bytes[i]! - 0x81;
  const tail = (bytes[i + 1]! - 0x30) * 1260 + (c3 - 0x81) * 10 + (c4 - 0x30);
  if (c < 4) {
    const lseq = c * 12600 + tail;
    if (lseq >= 39420) return -1;
    let k = 0;
    while (k + 2 < GB18030_RANGES.length && lseq >= GB18030_RANGES[k + 2]!) k += 2;
    return GB18030_RANGES[k + 1]! + lseq - GB18030_RANGES[k]!;
  }
  if (c >= 15) {
    const cp = 0x10000 + (c - 15) * 12600 + tail;
    return cp <= 0x10ffff ? cp : -1;
  }
  return -1;
}

/** euc_kr's make-up sequence at `i` (eight bytes there, the first two checked); the syllable, or -1. */
function eucKrMakeup(bytes: Buffer, i: number): number {
  if (bytes[i + 2] !== 0xa4 || bytes[i + 4] !== 0xa4 || bytes[i + 6] !== 0xa4) return -1;
  const part = (place: number, b: number) => (b >= 0xa1 && b <= 0xfe ? EUC_KR_MAKEUP[place]![b - 0xa1]! : -1);
  const cho = part(0, bytes[i + 3]!);
  const jung = part(1, bytes[i + 5]!);
  const jong = part(2, bytes[i + 7]!);
  if (cho < 0 || jung < 0 || jong < 0) return -1;
  return 0xac00 + cho * 588 + jung * 28 + jong;
}

/**
 * What the sequence at `i` is: a code point and its length, or an error.
 * Returns `[cp, length]` with `cp >= 0` (`[cp, length, undefined, cp2]` for
 * a pair of code points), or `[-1, end, reason]`.
 */
function step(trie: Int32Array, bytes: Buffer, i: number): [number, number, (string | undefined)?, number?] {
  const n = bytes.length;
  let node = 0;
  let j = i;
  for (;;) {
    const v = trie[node * 256 + bytes[j]!]!;
    if (v >= 0) return [v, j + 1 - i];
    if (v <= PAIR && v > NODE) {
      const [a, b] = CJK_PAIRS[PAIR - v]!;
      return [a!, j + 1 - i, undefined, b];
    }
    if (v <= NODE) {
      if (++j >= n) return [-1, n, INCOMPLETE];
      node = NODE - v;
      continue;
    }
    if (v === FOUR || v === MAKEUP) {
      const need = v === FOUR ? 4 : 8;
      if (i + need > n) return [-1, n, INCOMPLETE];
      const cp = v === FOUR ? gb18030Four(bytes, i) : eucKrMakeup(bytes, i);
      return cp >= 0 ? [cp, need] : [-1, i + 1, ILLEGAL];
    }
    return [-1, i - v, ILLEGAL];
  }
}

/** The encoders' output: a growable buffer (the stateful encoders share it). */
export class ByteOut {
  #buf: Buffer;
  #pos = 0;
  constructor(size: number) {
    this.#buf = Buffer.allocUnsafe(Math.max(16, size));
  }
  #reserve(n: number): void {
    if (this.#pos + n <= this.#buf.length) return;
    const grown = Buffer.allocUnsafe(this.#buf.length * 2 + n);
    this.#buf.copy(grown, 0, 0, this.#pos);
    this.#buf = grown;
  }
  /** Appends one to four bytes: the ones left out stay -1. (No rest array: this runs per character.) */
  push(a: number, b = -1, c = -1, d = -1): void {
    this.#reserve(4);
    const buf = this.#buf;
    buf[this.#pos++] = a;
    if (b < 0) return;
    buf[this.#pos++] = b;
    if (c < 0) return;
    buf[this.#pos++] = c;
    if (d >= 0) buf[this.#pos++] = d;
  }
  /** Appends any number of bytes. */
  pushAll(bytes: readonly number[]): void {
    this.#reserve(bytes.length);
    for (const byte of bytes) this.#buf[this.#pos++] = byte;
  }
  /** The bytes written, in a buffer of their own size. */
  result(): Buffer {
    return Buffer.from(this.#buf.subarray(0, this.#pos));
  }
}

const TABLES = new Map<string, Tables>();

let lastModule = "";
let lastTables: Tables | undefined;

/** A codec's tables, built on first use. The last one asked for is kept at hand: the ISO-2022 encoders ask per character. */
function tablesOf(module: string): Tables {
  if (module === lastModule) return lastTables!;
  let t = TABLES.get(module);
  if (!t) {
    t = buildTables(module);
    TABLES.set(module, t);
  }
  lastModule = module;
  lastTables = t;
  return t;
}

/**
 * The character a two- or three-byte sequence stands for in `module`'s table
 * (euc_jp's for the JIS X 0208 and 0212 sets of ISO-2022-JP), or -1.
 */
export function tableChar(module: string, bytes: readonly number[]): number {
  const { trie } = tablesOf(module);
  let node = 0;
  for (let k = 0; k < bytes.length; k++) {
    const v = trie[node * 256 + bytes[k]!]!;
    if (k === bytes.length - 1) return v >= 0 ? v : -1;
    if (v > NODE) return -1; // a character or an error before the last byte
    node = NODE - v;
  }
  return -1;
}

/**
 * What a two- or three-byte sequence stands for in `module`'s table when it
 * is two code points (JIS X 0213's kana and letters with a combining mark),
 * as `[first, second]`; else undefined.
 */
export function tablePair(module: string, bytes: readonly number[]): readonly [number, number] | undefined {
  const { trie } = tablesOf(module);
  let node = 0;
  for (let k = 0; k < bytes.length; k++) {
    const v = trie[node * 256 + bytes[k]!]!;
    if (k === bytes.length - 1) return v <= PAIR && v > NODE ? CJK_PAIRS[PAIR - v] : undefined;
    if (v > NODE) return undefined;
    node = NODE - v;
  }
  return undefined;
}

/**
 * The bytes `module`'s encoder writes for a code point, as a big-endian
 * number, when there are `length` of them; else -1.
 */
export function tableCode(module: string, cp: number, length: number): number {
  const t = tablesOf(module);
  if (cp >= 0x10000) {
    const coded = t.encOther.get(cp);
    return coded !== undefined && Math.floor(coded / 0x1000000) === length ? coded % 0x1000000 : -1;
  }
  return t.encLength[cp] === length ? t.encBytes[cp]! : -1;
}

/**
 * The two bytes `module`'s encoder writes for `first` followed by `second`
 * when it writes the pair as one character (a kana and a combining mark in
 * JIS X 0213), as a big-endian number; else -1.
 */
export function tablePairCode(module: string, first: number, second: number): number {
  return tablesOf(module).encPairs.get(first * 0x10000 + second) ?? -1;
}

/** The codec for one of {@link CJK_MODULES}; its tables are built on its first encode or decode. */
export function cjkCodec(module: string): Codec {
  const load = () => tablesOf(module);

  /** Pushes the bytes of `cp`; false when the codec cannot encode it. */
  function encodeOne(t: Tables, cp: number, out: ByteOut): boolean {
    if (cp >= 0x10000) {
      if (module !== "gb18030") {
        const coded = t.encOther.get(cp);
        if (coded === undefined) return false;
        const bytes = coded % 0x1000000;
        if (coded >= 0x3000000) out.push(bytes >>> 16, (bytes >>> 8) & 0xff, bytes & 0xff);
        else out.push(bytes >>> 8, bytes & 0xff);
        return true;
      }
      const lseq = cp - 0x10000;
      out.push(
        0x90 + Math.floor(lseq / 12600),
        0x30 + (Math.floor(lseq / 1260) % 10),
        0x81 + (Math.floor(lseq / 10) % 126),
        0x30 + (lseq % 10),
      );
      return true;
    }
    const length = t.encLength[cp]!;
    if (length === 0) return false;
    if (length === 8) return pushMakeup(cp, out);
    const bytes = t.encBytes[cp]!;
    if (length === 1) out.push(bytes);
    else if (length === 2) out.push(bytes >>> 8, bytes & 0xff);
    else if (length === 3) out.push(bytes >>> 16, (bytes >>> 8) & 0xff, bytes & 0xff);
    else out.push(bytes >>> 24, (bytes >>> 16) & 0xff, (bytes >>> 8) & 0xff, bytes & 0xff);
    return true;
  }

  /** Encodes a handler's ASCII replacement text with the codec. */
  function encodeReplacement(t: Tables, text: string, original: string, at: number, out: ByteOut): void {
    for (const ch of text) {
      if (!encodeOne(t, ch.codePointAt(0)!, out))
        throw new UnicodeEncodeError(module, original, at, at + 1, ILLEGAL);
    }
  }

  return {
    name: module,
    module,
    asciiCompatible: true,
    encode(text, errors) {
      const t = load();
      const n = text.length;
      const out = new ByteOut(n * 2);
      let index = 0;
      for (let i = 0; i < n; i++) {
        let cp = text.charCodeAt(i);
        if (cp < 0x80 && t.encLength[cp] === 1 && t.encBytes[cp] === cp) {
          out.push(cp);
          index++;
          continue;
        }
        if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < n) {
          const low = text.charCodeAt(i + 1);
          if (low >= 0xdc00 && low <= 0xdfff) {
            cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
            i++;
          }
        }
        if (t.encPairs.size > 0 && i + 1 < n) {
          // A letter and a combining mark that are one character in HKSCS or JIS X 0213. CPython
          // looks the pair up with the next code point's low 16 bits (its UCS-2 value), so U+1309A
          // pairs as U+309A does; and in JIS X 0213, where the table lists a base alone as the base
          // and 0, a base followed by U+10000, U+20000, ... is the base alone, and both are taken.
          const next = text.codePointAt(i + 1)!;
          const pair = t.encPairs.get(cp * 0x10000 + (next & 0xffff));
          if (pair !== undefined) {
            out.push(pair >>> 8, pair & 0xff);
            i += next >= 0x10000 ? 2 : 1;
            index += 2;
            continue;
          }
        }
        if (!encodeOne(t, cp, out)) {
          // CPython's multibytecodec: every unencodable character is an error of its own.
          const fail = () => new UnicodeEncodeError(module, text, index, index + 1, ILLEGAL);
          if (errors === "strict") throw fail();
          checkHandler(errors);
          if (errors === "replace") encodeReplacement(t, "?", text, index, out);
          else if (errors === "backslashreplace") encodeReplacement(t, escapeCodePoint(cp), text, index, out);
          else if (errors === "xmlcharrefreplace") encodeReplacement(t, `&#${cp};`, text, index, out);
          else if (errors === "surrogateescape" && cp >= 0xdc80 && cp <= 0xdcff) out.push(cp - 0xdc00);
          else if (errors !== "ignore") throw fail();
        }
        index++;
      }
      return out.result();
    },
    decode(bytes, errors) {
      const { trie } = load();
      const n = bytes.length;
      let out = "";
      // UTF-16 units, turned into text a chunk at a time; sized to the input,
      // so a short string (an encoded word) does not pay for a full chunk.
      const units = new Uint16Array(Math.min(n, 4096) + 2);
      let u = 0;
      const flush = () => {
        out += String.fromCharCode.apply(null, units.subarray(0, u) as unknown as number[]);
        u = 0;
      };
      let i = 0;
      while (i < n) {
        if (u >= 4096) flush();
        // The common cases inline: a one-byte character, a two-byte one.
        const v = trie[bytes[i]!]!;
        if (v >= 0 && v < 0x10000) {
          units[u++] = v;
          i++;
          continue;
        }
        if (v <= NODE && i + 1 < n) {
          const w = trie[(NODE - v) * 256 + bytes[i + 1]!]!;
          if (w >= 0 && w < 0x10000) {
            units[u++] = w;
            i += 2;
            continue;
          }
        }
        const [cp, next, reason, cp2] = step(trie, bytes, i);
        if (cp >= 0) {
          if (cp >= 0x10000) {
            units[u++] = 0xd800 + ((cp - 0x10000) >> 10);
            units[u++] = 0xdc00 + ((cp - 0x10000) & 0x3ff);
          } else units[u++] = cp;
          if (cp2 !== undefined) units[u++] = cp2;
          i += next;
          continue;
        }
        flush();
        const [text, resume] = registryDecodeError(module, module, bytes, errors, {
          start: i,
          end: next,
          reason: reason!,
        });
        out += text;
        i = resume;
      }
      flush();
      return out;
    },
  };
}

let makeupFirst: Map<number, number>[] | undefined;

/** euc_kr's make-up sequence for a Hangul syllable KS X 1001 lacks. */
function pushMakeup(cp: number, out: ByteOut): boolean {
  makeupFirst ??= makeupBytes();
  const [cho, jung, jong] = makeupFirst;
  const s = cp - 0xac00;
  out.pushAll([
    0xa4,
    0xd4,
    0xa4,
    cho!.get(Math.floor(s / 588))!,
    0xa4,
    jung!.get(Math.floor(s / 28) % 21)!,
    0xa4,
    jong!.get(s % 28)!,
  ]);
  return true;
}
