#!/usr/bin/env python3
"""Generates src/_codec_cjk_data.ts: Python 3.11's East Asian codec tables, compact.

    python3 scripts/gen-cjk-codecs.py > src/_codec_cjk_data.ts

Run it at development time with the reference python3; the output is checked
in, so netkit never runs python3. The source of every entry is CPython's own
codec (its CJK codecs' mappings come from the Unicode Consortium's and the
vendors' tables: JIS X 0208/0212/0213, GB 2312, GBK, GB 18030, Big5,
CP950, HKSCS, KS X 1001, CP949, CP932, Johab): the script asks python3 how it decodes every
byte sequence and encodes every BMP code point, and writes down the answers.

Per codec, two streams, each zlib-deflated and base64'd:

decode: the codec's decoding trie. Node 0 is the first byte; each node has
  256 entries, one per next byte, each one of
    CHAR cp     the sequence so far decodes to this code point;
    ERR k       "illegal multibyte sequence" over the first k bytes;
    NODE n      "incomplete multibyte sequence": read one more byte in node n;
    FOUR        gb18030's four-byte form (algorithmic, see GB18030_RANGES);
    MAKEUP      euc_kr's eight-byte Hangul make-up sequence (KS X 1001:1998
                annex 3: A4 D4 A4 cho A4 jung A4 jong, see EUC_KR_MAKEUP);
    PAIR k      two code points, CJK_PAIRS[k] (big5hkscs's four, JIS X 0213's
                kana, letters and tone marks with a combining mark).
  Written as unsigned LEB128 varints, node after node: a CHAR as
  zigzag(cp - previous cp - 1) << 1, any other entry as (code << 1) | 1 with
  code k for ERR k, 8 for FOUR, 9 for MAKEUP, 10 + k for PAIR k, 64 + n
  for NODE n.
  A codec in DERIVED writes only the entries where its trie differs from
  its base's (same nodes): varint index - previous index, then the entry,
  a CHAR as cp << 1.

encode: where Python's encoder differs from the inverse of the decoding trie
  (the trie walked in byte order, the first sequence found for a code point
  winning), for BMP code points (and plane 2's for big5hkscs and the
  JIS X 0213 codecs): varint cp - previous cp, varint length
  (0: Python cannot encode it), then the bytes.

EUC_KR_MAKEUP: per byte 0xA1..0xFE in the cho, jung and jong places of the
  make-up sequence, the index in the Hangul syllable formula, or -1.

GB18030_RANGES: gb18030's four-byte BMP mapping as (linear index, code point)
  starts of runs where both grow together.
"""
import base64
import json
import sys
import zlib

CODECS = [
    "shift_jis",
    "cp932",
    "euc_jp",
    "gb2312",
    "gbk",
    "gb18030",
    "big5",
    "cp950",
    "euc_kr",
    "cp949",
    "johab",
    "big5hkscs",
    "shift_jis_2004",
    "shift_jisx0213",
    "euc_jis_2004",
    "euc_jisx0213",
]
# Codecs whose trie is another's with a few entries changed (JIS X 0213 as of
# 2000: the ten characters 2004 added are missing, one differs): written as
# those entries only.
DERIVED = {"shift_jisx0213": "shift_jis_2004", "euc_jisx0213": "euc_jis_2004"}
# The EUC JIS X 0213 codecs: their inverse walks plane 1, then plane 2's rows
# of the 0x8F sequences, then the rest, which they decode as JIS X 0212.
EUC_JISX0213 = {"euc_jis_2004", "euc_jisx0213"}
PLANE2_ROWS = [1, 3, 4, 5, 8, 12, 13, 14, 15, *range(78, 95)]
# The codecs whose encoder takes plane 2 (CJK Extension B and beyond) as well.
PLANE2 = {"big5hkscs", "shift_jis_2004", "shift_jisx0213", "euc_jis_2004", "euc_jisx0213"}
# Trie code of the first node (codes below it: errors, FOUR, MAKEUP, PAIRs).
NODE_BASE = 64
FOUR = "four"
MAKEUP = "makeup"
# Two-character decodings (big5hkscs's four, JIS X 0213's kana, letters and
# accents with a combining mark), in the order first met.
PAIRS = []


def explore(codec):
    nodes = []

    def node(prefix):
        index = len(nodes)
        entries = [None] * 256
        nodes.append(entries)
        for b in range(256):
            seq = prefix + bytes([b])
            if codec == "gb18030" and len(prefix) == 1 and 0x30 <= b <= 0x39:
                entries[b] = (FOUR,)
                continue
            if codec == "euc_kr" and prefix == b"\xa4" and b == 0xD4:
                entries[b] = (MAKEUP,)
                continue
            try:
                text = seq.decode(codec)
            except UnicodeDecodeError as e:
                assert e.start == 0, (codec, seq, e)
                if e.reason == "incomplete multibyte sequence":
                    entries[b] = ("node", node(seq))
                else:
                    assert e.reason == "illegal multibyte sequence", (codec, seq, e)
                    entries[b] = ("err", e.end)
                continue
            if len(text) == 2:
                if text not in PAIRS:
                    PAIRS.append(text)
                entries[b] = ("pair", PAIRS.index(text))
                continue
            assert len(text) == 1, (codec, seq, text)
            entries[b] = ("char", ord(text))
        return index

    node(b"")
    return nodes


def varint(n, out):
    assert n >= 0
    while True:
        byte = n & 0x7F
        n >>= 7
        if n:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return


def zigzag(n):
    return n * 2 if n >= 0 else -n * 2 - 1


def gb18030_ranges():
    """(linear index, code point) at each start of a run of gb18030's four-byte BMP mapping."""
    runs = []
    for lseq in range(39420):
        a, r = divmod(lseq, 12600)
        b, r = divmod(r, 1260)
        c, d = divmod(r, 10)
        cp = ord(bytes([0x81 + a, 0x30 + b, 0x81 + c, 0x30 + d]).decode("gb18030"))
        if not runs or cp - lseq != runs[-1][1] - runs[-1][0]:
            runs.append((lseq, cp))
    return runs


def four_byte_bmp(ranges):
    """gb18030's four-byte BMP mapping: code point -> bytes."""
    out = {}
    for k, (base, first) in enumerate(ranges):
        end = ranges[k + 1][0] if k + 1 < len(ranges) else 39420
        for lseq in range(base, end):
            a, r = divmod(lseq, 12600)
            b, r = divmod(r, 1260)
            c, d = divmod(r, 10)
            out.setdefault(first + lseq - base, bytes([0x81 + a, 0x30 + b, 0x81 + c, 0x30 + d]))
    return out


def walk_order(codec, prefix):
    """The order the inverse walks a node's bytes in: byte order, but for EUC_JISX0213."""
    if codec in EUC_JISX0213 and prefix == b"":
        return [*range(0x8F), *range(0x90, 0x100), 0x8F]
    if codec in EUC_JISX0213 and prefix == b"\x8f":
        first = [0xA0 + row for row in PLANE2_ROWS]
        return [*first, *(b for b in range(256) if b not in first)]
    return range(256)


def inverse(codec, nodes, ranges, makeup):
    """
    The trie's inverse as the TypeScript side builds it: byte order (see
    walk_order), first sequence wins; then gb18030's four-byte BMP forms, and
    euc_kr's make-up sequences for the Hangul syllables KS X 1001 lacks.
    """
    inv = {}

    def walk(index, prefix):
        for b in walk_order(codec, prefix):
            entry = nodes[index][b]
            if entry[0] == "char":
                inv.setdefault(entry[1], prefix + bytes([b]))
            elif entry[0] == "node":
                walk(entry[1], prefix + bytes([b]))

    walk(0, b"")
    if ranges is not None:
        for cp, seq in four_byte_bmp(ranges).items():
            inv.setdefault(cp, seq)
    if makeup is not None:
        firsts = [{}, {}, {}]
        for place, row in enumerate(makeup):
            for k, index in enumerate(row):
                if index >= 0:
                    firsts[place].setdefault(index, 0xA1 + k)
        for cp in range(0xAC00, 0xD7A4):
            s = cp - 0xAC00
            cho, jung, jong = firsts[0].get(s // 588), firsts[1].get((s // 28) % 21), firsts[2].get(s % 28)
            if None not in (cho, jung, jong):
                inv.setdefault(cp, bytes([0xA4, 0xD4, 0xA4, cho, 0xA4, jung, 0xA4, jong]))
    return inv


def euc_kr_makeup():
    """The index each byte stands for in the three places of euc_kr's make-up sequence (-1: none)."""
    tables = []
    for place in range(3):
        row = []
        for c in range(0xA1, 0xFF):
            parts = [0xA1, 0xBF, 0xD4]
            parts[place] = c
            seq = bytes([0xA4, 0xD4, 0xA4, parts[0], 0xA4, parts[1], 0xA4, parts[2]])
            try:
                text = seq.decode("euc_kr")
            except UnicodeDecodeError:
                row.append(-1)
                continue
            assert len(text) == 1
            s = ord(text) - 0xAC00
            row.append([s // 588, (s // 28) % 21, s % 28][place])
        tables.append(row)
    return tables


def entry_code(entry, last=-1, absolute=False):
    """A trie entry's varint: a CHAR as zigzag(cp - last - 1) << 1 (cp << 1 when absolute), any other as (code << 1) | 1."""
    if entry[0] == "char":
        return entry[1] << 1 if absolute else zigzag(entry[1] - last - 1) << 1
    if entry[0] == "err":
        code = entry[1]
    elif entry[0] == FOUR:
        code = 8
    elif entry[0] == MAKEUP:
        code = 9
    elif entry[0] == "pair":
        code = 10 + entry[1]
    else:
        code = NODE_BASE + entry[1]
    return (code << 1) | 1


def check_pairs(codec, nodes):
    """
    The TypeScript side encodes a pair of code points as the first sequence
    (in byte order) that decodes to it, when both come in a row: check that
    python3 does the same, and that it does so before any character.
    """
    first = {}

    def walk(index, prefix):
        for b, entry in enumerate(nodes[index]):
            if entry[0] == "pair":
                first.setdefault(PAIRS[entry[1]], prefix + bytes([b]))
            elif entry[0] == "node":
                walk(entry[1], prefix + bytes([b]))

    walk(0, b"")
    for pair, seq in first.items():
        assert pair.encode(codec) == seq, (codec, pair, seq)
        assert (pair + "x").encode(codec) == seq + "x".encode(codec), (codec, pair)
        # CPython looks a pair up with the next code point's low 16 bits: U+1xxxx pairs as U+xxxx.
        assert (pair[0] + chr(0x10000 + ord(pair[1]))).encode(codec) == seq, (codec, pair)
        if codec != "big5hkscs":
            # JIS X 0213 lists each base alone as the base and 0: a base and U+10000 is the base alone.
            assert (pair[0] + "\U00010000").encode(codec) == pair[0].encode(codec), (codec, pair)


def pack(data):
    return base64.b64encode(zlib.compress(bytes(data), 9)).decode("ascii")


def main():
    ranges = gb18030_ranges()
    makeup = euc_kr_makeup()
    tables = {}
    explored = {}
    for codec in CODECS:
        nodes = explore(codec)
        explored[codec] = nodes
        dec = []
        if codec in DERIVED:
            base = explored[DERIVED[codec]]
            assert len(base) == len(nodes), codec
            index = 0
            for k, (a, b) in enumerate(zip([e for n in base for e in n], [e for n in nodes for e in n])):
                if a != b:
                    varint(k - index, dec)
                    index = k
                    varint(entry_code(b, absolute=True), dec)
        else:
            last = -1
            for entries in nodes:
                for entry in entries:
                    varint(entry_code(entry, last), dec)
                    if entry[0] == "char":
                        last = entry[1]
        inv = inverse(codec, nodes, ranges if codec == "gb18030" else None, makeup if codec == "euc_kr" else None)
        enc = []
        prev = 0
        planes = [*range(0x10000), *range(0x20000, 0x30000)] if codec in PLANE2 else range(0x10000)
        for cp in planes:
            if 0xD800 <= cp <= 0xDFFF:
                continue
            try:
                want = chr(cp).encode(codec)
            except UnicodeEncodeError:
                want = None
            if inv.get(cp) == want:
                continue
            varint(cp - prev, enc)
            prev = cp
            if want is None:
                varint(0, enc)
            else:
                varint(len(want), enc)
                enc.extend(want)
        check_pairs(codec, nodes)
        tables[codec] = (len(nodes), pack(dec), pack(enc))
    w = sys.stdout.write
    w("/**\n")
    w(" * Python 3.11's East Asian codec tables, generated by scripts/gen-cjk-codecs.py\n")
    w(" * from python3's own codecs (do not edit: run the script). The format is in\n")
    w(" * the script's docstring; `src/_codec_cjk.ts` reads it on first use.\n")
    w(" *\n")
    w(" * @module\n")
    w(" */\n")
    w("/* biome-ignore-all format: generated */\n\n")
    w("/** Per codec: the trie's node count, the deflated decode trie and encode deltas, base64. */\n")
    w("export const CJK_TABLES: Readonly<Record<string, readonly [number, string, string]>> = {\n")
    for codec, (count, dec, enc) in tables.items():
        w(f"  {codec}: [{count}, {json.dumps(dec)}, {json.dumps(enc)}],\n")
    w("};\n\n")
    w("/** The codecs whose decode stream patches another's trie: codec -> that codec. */\n")
    w("export const CJK_DERIVED: Readonly<Record<string, string>> = {")
    w(", ".join(f"{k}: {json.dumps(v)}" for k, v in DERIVED.items()))
    w("};\n\n")
    w("/** euc_kr's make-up sequence: per byte 0xA1..0xFE, its cho, jung and jong index (-1: none). */\n")
    w("export const EUC_KR_MAKEUP: readonly (readonly number[])[] = [\n")
    for row in makeup:
        w("  [" + ", ".join(map(str, row)) + "],\n")
    w("];\n\n")
    assert len(PAIRS) <= NODE_BASE - 10
    w("/** The two-character decodings (trie code 10 + k for pair k), as code points. */\n")
    w("export const CJK_PAIRS: readonly (readonly [number, number])[] = [")
    w(", ".join(f"[{ord(a)}, {ord(b)}]" for a, b in PAIRS))
    w("];\n\n")
    w("/** gb18030's four-byte BMP mapping: (linear index, code point) at each run start, flattened. */\n")
    w("export const GB18030_RANGES: readonly number[] = [")
    w(", ".join(f"{a}, {b}" for a, b in ranges))
    w("];\n")


main()
