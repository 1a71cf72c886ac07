/**
 * Differential: netkit's other East Asian codecs (iso2022_kr, hz, johab,
 * iso2022_jp_2, iso2022_jp_ext, big5hkscs) against python3's, as codecs-cjk.test.ts
 * does for the mail ones (the tests are in test/_support/cjk-codecs.ts; a
 * file of their own keeps each file's run time under CI's limit).
 */
import { describeCjkCodecs } from "../_support/cjk-codecs.js";

describeCjkCodecs(
  "More East Asian codecs against python3",
  ["iso2022_kr", "hz", "johab", "iso2022_jp_2", "iso2022_jp_ext", "big5hkscs"],
  [
    "ISO-2022-KR",
    "csISO2022KR",
    "HZ-GB-2312",
    "hzgb",
    "Johab",
    "cp1361",
    "ISO-2022-JP-2",
    "iso2022jp_ext",
    "Big5-HKSCS",
    "hkscs",
  ],
);
