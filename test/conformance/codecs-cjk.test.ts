/**
 * Differential: netkit's Japanese and Korean codecs for mail
 * (src/_codec_cjk.ts, src/_codec_cjk_iso2022.ts) against python3's,
 * exhaustively (the tests and what they compare are in
 * test/_support/cjk-codecs.ts; the Chinese ones are in
 * codecs-cjk-chinese.test.ts, the others in codecs-cjk-more.test.ts: a file
 * each keeps each file's run time far under CI's per-file limit on a busy
 * 2-core machine).
 */
import { describeCjkCodecs } from "../_support/cjk-codecs.js";

describeCjkCodecs(
  "Japanese and Korean codecs against python3",
  ["shift_jis", "cp932", "euc_jp", "iso2022_jp", "iso2022_jp_1", "euc_kr", "cp949"],
  [
    "Shift_JIS",
    "SJIS",
    "csShiftJIS",
    "ms_kanji",
    "MS932",
    "EUC-JP",
    "ujis",
    "ISO-2022-JP",
    "csISO2022JP",
    "iso2022jp_1",
    "EUC-KR",
    "ks_c_5601-1987",
    "korean",
    "UHC",
    "cp949",
  ],
);
