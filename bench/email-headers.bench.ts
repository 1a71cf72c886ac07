/**
 * Modern email header throughput: netkit/email/headerregistry against
 * python3's `email.headerregistry` (3.11) and the npm parsers, in one run,
 * over the same corpus of real-shaped headers (address lists with display
 * names, groups and encoded words, subjects with encoded words and
 * non-ASCII, dates, Content-Type/Disposition with RFC 2231 parameters,
 * Message-ID, MIME-Version):
 *
 * | row | what one call does |
 * | --- | --- |
 * | netkit `HeaderRegistry.create` | parse to a header object with fields and defects |
 * | python3 `policy.default.header_factory` | the same |
 * | npm postal-mime + libmime | `addressParser`, `decodeWords`, `parseHeaderValue` (fields only: no defects, no folding) |
 *
 * and in the notes, folding the parsed headers with `SMTP.fold` (netkit and
 * python3; the npm packages have no RFC 5322 folder). Headers per second.
 *
 *   npx tsx bench/email-headers.bench.ts
 *
 * Each measurement runs about 1 s after a warm-up; the script takes under
 * 30 s. Results go to .bench-out/email-headers.json.
 */
import { spawnSync } from "node:child_process";
import libmime from "libmime";
import { addressParser, decodeWords } from "postal-mime";
import { HeaderRegistry } from "../src/email/headerregistry.js";
import { SMTP } from "../src/email/policy.js";
import { bestRate, machine, PYTHON, type Row, record } from "./_lib.js";

/** The corpus: 400 headers in the proportions of a mailbox's header blocks. */
function corpus(): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i < 40; i++) {
    out.push(["From", `=?utf-8?q?J=C3=B6rg_M=C3=BCller_${i}?= <joerg.${i}@example.de>`]);
    out.push([
      "To",
      `"Doe, Jane" <jane${i}@example.com>, Bob Smith <bob@example.org>, Team ${i}: a@b.example, c@d.example;`,
    ]);
    out.push(["Cc", `list-${i}@lists.example.net (Mailing list), <carol@example.com>`]);
    out.push(["Subject", `Re: [list-${i}] =?utf-8?b?R3LDvMOfZSBhdXMgS8O2bG4=?= and the quarterly report`]);
    out.push(["Subject", `Meeting notes for week ${i}: budget, hiring and the roadmap for the next quarter`]);
    out.push(["Date", `Mon, ${String((i % 28) + 1).padStart(2, "0")} Dec 2026 21:56:31 +0100`]);
    out.push(["Message-ID", `<CA+${i}abcdefghij.${i * 7919}@mail.example.com>`]);
    out.push(["MIME-Version", "1.0"]);
    out.push(["Content-Type", `multipart/mixed; boundary="----=_Part_${i}_123456789.987654321"`]);
    out.push([
      "Content-Disposition",
      `attachment; filename*=utf-8''%E2%82%AC%20rates%20${i}.pdf; size=12345`,
    ]);
  }
  return out;
}

const HEADERS = corpus();
const registry = new HeaderRegistry();
const rate = (fn: () => unknown) => bestRate(fn, { seconds: 1, rounds: 1, warmup: 3 }) * HEADERS.length;

const PY = `
import json, sys, time
from email import policy
headers = json.load(sys.stdin)
def rate(fn, seconds=1.0):
    for _ in range(3): fn()
    calls, start = 0, time.perf_counter()
    while True:
        fn(); calls += 1
        el = time.perf_counter() - start
        if el >= seconds: return calls / el
f = policy.default.header_factory
objs = [f(n, v) for n, v in headers]
def parse():
    for n, v in headers: f(n, v)
def fold():
    for h in objs: policy.SMTP.fold(h.name, h)
print(json.dumps({"parse": rate(parse) * len(headers), "fold": rate(fold) * len(headers)}))
`;

const py = spawnSync(PYTHON, ["-c", PY], {
  input: JSON.stringify(HEADERS),
  encoding: "utf8",
  timeout: 120_000,
});
if (py.status !== 0) throw new Error(`python3 failed: ${py.stderr}`);
const theirs = JSON.parse(py.stdout) as { parse: number; fold: number };

const parseRate = rate(() => {
  for (const [n, v] of HEADERS) registry.create(n, v);
});
const objects = HEADERS.map(([n, v]) => registry.create(n, v));
const foldRate = rate(() => {
  for (const h of objects) SMTP.fold(h.name, h);
});
const ADDRESS = new Set(["From", "To", "Cc"]);
const npmRate = rate(() => {
  for (const [n, v] of HEADERS) {
    if (ADDRESS.has(n)) addressParser(v);
    else if (n.startsWith("Content-")) libmime.parseHeaderValue(v);
    else decodeWords(v);
  }
});

const rows: Row[] = [
  { name: "netkit HeaderRegistry.create", value: parseRate, unit: "hdr/s", netkit: true },
  { name: "python3 policy.default.header_factory", value: theirs.parse, unit: "hdr/s" },
  { name: "npm postal-mime + libmime (fields only)", value: npmRate, unit: "hdr/s" },
];
record({
  bench: "email-headers",
  title: `email headers: parse ${HEADERS.length} real-shaped headers to objects (addresses, dates, RFC 2231 params)`,
  better: "higher",
  command: "npx tsx bench/email-headers.bench.ts",
  date: new Date().toISOString(),
  machine: machine(),
  rows,
  notes: [
    `fold (SMTP.fold of each parsed header): netkit ${Math.round(foldRate).toLocaleString("en")} hdr/s, python3 ${Math.round(theirs.fold).toLocaleString("en")} hdr/s (${(foldRate / theirs.fold).toFixed(2)}x)`,
  ],
});
console.log(
  `  fold: netkit ${Math.round(foldRate)} hdr/s, python3 ${Math.round(theirs.fold)} hdr/s, ${(foldRate / theirs.fold).toFixed(2)}x`,
);
