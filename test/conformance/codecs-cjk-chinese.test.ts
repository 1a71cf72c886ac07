/**
 * Differential: netkit's Chinese codecs for mail (src/_codec_cjk.ts) against
 * python3's, exhaustively, as codecs-cjk.test.ts does for the Japanese and
 * Korean ones (the tests are in test/_support/cjk-codecs.ts).
 */
import { describeCjkCodecs } from "../_support/cjk-codecs.js";

describeCjkCodecs(
  "Chinese codecs against python3",
  ["gb2312", "gbk", "gb18030", "big5", "cp950"],
  [
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
  ],
);
