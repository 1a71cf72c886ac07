/**
 * Differential: netkit's East Asian codecs for mail (src/_codec_cjk.ts,
 * src/_codec_cjk_iso2022.ts) against python3's, exhaustively (the tests and
 * what they compare are in test/_support/cjk-codecs.ts, shared with
 * codecs-cjk-more.test.ts).
 */
import { describeCjkCodecs } from "../_support/cjk-codecs.js";

describeCjkCodecs(
  "East Asian codecs against python3",
  [
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
    "iso2022_jp",
    "iso2022_jp_1",
  ],
  [
    "Shift_JIS",
    "SJIS",
    "csShiftJIS",
    "ms_kanji",
    "MS932",
    "EUC-JP",
    "ujis",
    "GB2312",
    "EUC-CN",
    "chinese",
    "GBK",
    "CP936",
    "936",
    "GB18030",
    "gb18030-2000",
    "Big5",
    "csBig5",
    "big5-tw",
    "CP950",
    "ms950",
    "EUC-KR",
    "ks_c_5601-1987",
    "korean",
    "UHC",
    "cp949",
    "ISO-2022-JP",
    "csISO2022JP",
    "iso2022jp_1",
  ],
);
