/**
 * East Asian codec throughput: netkit's codecs (src/_codec_cjk.ts,
 * src/_codec_cjk_iso2022.ts) against python3's and iconv-lite's on the same
 * text, in one run: decode and encode of about 1 MB of mail-shaped text
 * (kana and kanji, hanzi, hangul, with ASCII lines) in shift_jis, gbk,
 * big5, euc_kr and iso2022_jp, in MB of encoded bytes per second.
 * iconv-lite's tables are the WHATWG ones, not Python's: it is here for
 * speed only (for iso2022_jp it has no codec).
 *
 *   npx tsx bench/cjk-codecs.bench.ts
 *
 * Each measurement runs about half a second after a warm-up; the script
 * takes under a minute. Results go to .bench-out/cjk-codecs.json.
 */
import { spawnSync } from "node:child_process";
import iconv from "iconv-lite";
import { lookupCodec } from "../src/_codecs.js";
import { bestRate, machine, type Row, record } from "./_lib.js";

/** A line of each language, as mail writes it. */
const LINES: Record<string, string> = {
  shift_jis: "お世話になっております。来週の会議の資料を添付いたします。ご確認ください。",
  iso2022_jp: "お世話になっております。来週の会議の資料を添付いたします。ご確認ください。",
  gbk: "您好，附件是下周会议的资料，请查收。如有问题请随时联系我们。",
  big5: "您好，附件是下週會議的資料，請查收。如有問題請隨時聯繫我們。",
  euc_kr: "안녕하세요. 다음 주 회의 자료를 첨부합니다. 확인 부탁드립니다.",
};
const ICONV: Record<string, string | undefined> = {
  shift_jis: "shift_jis",
  gbk: "gbk",
  big5: "big5",
  euc_kr: "euc-kr",
};

/** About 1 MB of encoded text: language lines with ASCII lines between them. */
function corpus(codec: string): string {
  const lines: string[] = [];
  let size = 0;
  for (let i = 0; size < 1_000_000; i++) {
    const line = i % 3 === 2 ? `> Line ${i}: see https://example.com/docs/${i} for details.` : LINES[codec]!;
    lines.push(line);
    size += line.length * 2;
  }
  return `${lines.join("\n")}\n`;
}

const rate = (fn: () => unknown) => bestRate(fn, { seconds: 0.5, rounds: 1, warmup: 2 });

const PY = `
import json, sys, time
c = json.load(sys.stdin)
def rate(fn, seconds=0.5):
    for _ in range(2): fn()
    calls, start = 0, time.perf_counter()
    while True:
        fn(); calls += 1
        el = time.perf_counter() - start
        if el >= seconds: return calls / el
out = {}
for codec, text in c.items():
    data = text.encode(codec)
    out[codec] = [rate(lambda: data.decode(codec)), rate(lambda: text.encode(codec)), len(data)]
print(json.dumps(out))
`;

const texts = Object.fromEntries(Object.keys(LINES).map((c) => [c, corpus(c)]));
const py = spawnSync("python3", ["-c", PY], {
  input: JSON.stringify(texts),
  encoding: "utf8",
  timeout: 300_000,
});
if (py.status !== 0) throw new Error(`python3 failed: ${py.stderr}`);
const theirs = JSON.parse(py.stdout) as Record<string, [number, number, number]>;

const rows: Row[] = [];
const notes: string[] = [];
for (const [codec, text] of Object.entries(texts)) {
  const c = lookupCodec(codec);
  const data = c.encode(text, "strict");
  const mb = data.length / 1e6;
  const [pyDecode, pyEncode, pyLength] = theirs[codec]!;
  if (pyLength !== data.length)
    throw new Error(`${codec}: python3 wrote ${pyLength} bytes, netkit ${data.length}`);
  const decode = rate(() => c.decode(data, "strict")) * mb;
  const encode = rate(() => c.encode(text, "strict")) * mb;
  rows.push({ name: `netkit ${codec} decode`, value: decode, unit: "MB/s", netkit: true });
  rows.push({ name: `python3 ${codec} decode`, value: pyDecode * mb, unit: "MB/s" });
  const name = ICONV[codec];
  if (name)
    rows.push({
      name: `iconv-lite ${codec} decode`,
      value: rate(() => iconv.decode(data, name)) * mb,
      unit: "MB/s",
    });
  notes.push(
    `${codec} encode: netkit ${encode.toFixed(1)} MB/s, python3 ${(pyEncode * mb).toFixed(1)} MB/s${name ? `, iconv-lite ${(rate(() => iconv.encode(text, name)) * mb).toFixed(1)} MB/s` : ""}`,
  );
}
record({
  bench: "cjk-codecs",
  title: "East Asian codecs: decode of about 1 MB of mail-shaped text per codec",
  better: "higher",
  command: "npx tsx bench/cjk-codecs.bench.ts",
  date: new Date().toISOString(),
  machine: machine(),
  rows,
  notes,
});
for (const n of notes) console.log(`  ${n}`);
