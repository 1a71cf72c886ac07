/**
 * urllib.parse throughput: netkit against python3's `urllib.parse` and against
 * the nearest Node built-ins, on one fixed corpus of realistic URLs and
 * strings generated here from a seeded PRNG (so every run measures the same work).
 *
 *   npx tsx bench/urllib-parse.bench.ts
 *
 * | netkit      | python3          | Node built-in                      |
 * | ----------- | ---------------- | ---------------------------------- |
 * | quote       | quote            | encodeURIComponent                 |
 * | quotePlus   | quote_plus       | encodeURIComponent                 |
 * | unquote     | unquote          | decodeURIComponent                 |
 * | urlencode   | urlencode        | new URLSearchParams(obj).toString  |
 * | urlsplit    | urlsplit         | new URL(x)                         |
 * | urljoin     | urljoin          | new URL(ref, base).href            |
 *
 * The built-ins do less (no `safe`, no `+`, WHATWG rather than Python
 * semantics); they are the floor netkit is measured against. Python's
 * `urlsplit` has an LRU cache; the python side clears it before each pass so
 * both sides parse every URL (netkit keeps no cache). Each measurement runs
 * for about 0.6 s after a warm-up; the whole script takes well under 60 s.
 * Results go to .bench-out/urllib-parse.json.
 */
import { spawnSync } from "node:child_process";
import { quote, quotePlus, unquote, urlencode, urljoin, urlsplit } from "../src/urllib/parse.js";
import { machine, prng, type Row, record } from "./_lib.js";

// ---------------------------------------------------------------------------
// The corpus

const rand = prng(0x5eed);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));

const WORDS = [
  "index",
  "docs",
  "api",
  "v2",
  "users",
  "search",
  "products",
  "blog",
  "2024",
  "images",
  "static",
  "css",
  "about",
  "contact",
  "news",
  "article",
  "item",
  "cart",
  "checkout",
  "login",
  "report",
  "data",
  "files",
  "résumé",
  "café",
  "naïve",
  "東京",
  "données",
  "straße",
  "my file",
  "Q&A",
  "a+b",
  "50%",
  "tag#1",
];
const HOSTS = [
  "example.com",
  "www.example.org",
  "api.service.io",
  "sub.domain.co.uk",
  "localhost",
  "127.0.0.1",
  "[::1]",
  "[2001:db8::7]",
  "cdn.static-assets.net",
  "user:pw@host.example",
  "mail.example.com",
];
const SCHEMES = ["http", "https", "https", "https", "ftp", "ws"];

function segment(): string {
  return pick(WORDS);
}

function pathText(): string {
  const n = int(0, 4);
  const parts: string[] = [];
  for (let i = 0; i < n; i++) parts.push(segment());
  return `/${parts.join("/")}${rand() < 0.3 ? "/" : rand() < 0.3 ? ".html" : ""}`;
}

function queryPairs(): Array<[string, string]> {
  const n = int(1, 5);
  const pairs: Array<[string, string]> = [];
  for (let i = 0; i < n; i++)
    pairs.push([pick(["q", "page", "sort", "id", "lang", "filter", "utm_source", "x"]), segment()]);
  return pairs;
}

function url(): string {
  const port = rand() < 0.2 ? `:${int(1, 65535)}` : "";
  const q =
    rand() < 0.6
      ? `?${queryPairs()
          .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
          .join("&")}`
      : "";
  const frag = rand() < 0.2 ? `#${pick(["top", "section-2", "comments"])}` : "";
  return `${pick(SCHEMES)}://${pick(HOSTS)}${port}${encodeURI(pathText())}${q}${frag}`;
}

const N = 1000;
/** Text to quote: paths and values, some plain ASCII, some with spaces, reserved and non-ASCII characters. */
const TEXTS = Array.from({ length: N }, () => (rand() < 0.5 ? pathText() : `${segment()} ${segment()}`));
/** Text to unquote: the same, percent-encoded, plus form-style `+`. */
const QUOTED = TEXTS.map((t) => encodeURIComponent(t));
const URLS = Array.from({ length: N }, url);
const QUERIES = Array.from({ length: N }, () => Object.fromEntries(queryPairs()));
const REFS = [
  "../g",
  "./x/y",
  "/abs/path",
  "?q=1",
  "#frag",
  "//other.host/p",
  "g;x?y#s",
  "a/b/../c",
  "",
  ".",
];
const JOINS: Array<[string, string]> = Array.from({ length: N }, (_, i) => [
  URLS[i]!.replace(/^ws/, "http"),
  pick(REFS) || "x",
]);

// ---------------------------------------------------------------------------
// Timing

const PASS_SECONDS = 0.6;

/** Calls `fn` on every corpus item repeatedly for about PASS_SECONDS; returns calls per second. */
function measure<T>(items: readonly T[], fn: (item: T) => unknown): number {
  let sink = 0;
  for (let r = 0; r < 3; r++) for (const x of items) sink ^= (fn(x) as { length?: number })?.length ?? 1; // warm-up
  let calls = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0;
  while (elapsed < PASS_SECONDS) {
    for (const x of items) sink ^= (fn(x) as { length?: number })?.length ?? 1;
    calls += items.length;
    elapsed = Number(process.hrtime.bigint() - start) / 1e9;
  }
  if (sink === 0.5) console.log("unreachable"); // keeps the results alive
  return calls / elapsed;
}

const PY_BENCH = `
import json, sys, time, urllib.parse as P
c = json.load(sys.stdin)
def measure(items, fn, clear=False):
    for x in items: fn(x)
    calls = 0
    start = time.perf_counter()
    while True:
        if clear: P.urlsplit.cache_clear()
        for x in items: fn(x)
        calls += len(items)
        el = time.perf_counter() - start
        if el >= 0.6: return calls / el
joins = [tuple(j) for j in c["joins"]]
print(json.dumps({
    "quote": measure(c["texts"], P.quote),
    "quotePlus": measure(c["texts"], P.quote_plus),
    "unquote": measure(c["quoted"], P.unquote),
    "urlencode": measure(c["queries"], P.urlencode),
    "urlsplit": measure(c["urls"], P.urlsplit, clear=True),
    "urljoin": measure(joins, lambda j: P.urljoin(j[0], j[1]), clear=True),
}))
`;

function pythonRates(): Record<string, number> {
  const run = spawnSync("python3", ["-c", PY_BENCH], {
    input: JSON.stringify({ texts: TEXTS, quoted: QUOTED, urls: URLS, queries: QUERIES, joins: JOINS }),
    encoding: "utf8",
    timeout: 60_000,
  });
  if (run.status !== 0) throw new Error(`python3 failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as Record<string, number>;
}

// ---------------------------------------------------------------------------
// Run

interface Op {
  name: string;
  builtin: string;
  netkit: () => number;
  node: () => number;
}

const OPS: Op[] = [
  {
    name: "quote",
    builtin: "encodeURIComponent",
    netkit: () => measure(TEXTS, (s) => quote(s)),
    node: () => measure(TEXTS, encodeURIComponent),
  },
  {
    name: "quotePlus",
    builtin: "encodeURIComponent",
    netkit: () => measure(TEXTS, (s) => quotePlus(s)),
    node: () => measure(TEXTS, encodeURIComponent),
  },
  {
    name: "unquote",
    builtin: "decodeURIComponent",
    netkit: () => measure(QUOTED, (s) => unquote(s)),
    node: () => measure(QUOTED, decodeURIComponent),
  },
  {
    name: "urlencode",
    builtin: "URLSearchParams.toString",
    netkit: () => measure(QUERIES, (q) => urlencode(q)),
    node: () => measure(QUERIES, (q) => new URLSearchParams(q).toString()),
  },
  {
    name: "urlsplit",
    builtin: "new URL(x)",
    netkit: () => measure(URLS, (u) => urlsplit(u)),
    node: () => measure(URLS, (u) => new URL(u)),
  },
  {
    name: "urljoin",
    builtin: "new URL(ref, base)",
    netkit: () => measure(JOINS, ([b, r]) => urljoin(b, r)),
    node: () => measure(JOINS, ([b, r]) => new URL(r, b).href),
  },
];

const started = Date.now();
const py = pythonRates();
const rows: Row[] = [];
const notes: string[] = [];
const summary: Record<
  string,
  { netkit: number; python3: number; builtin: number; vsPython: number; vsBuiltin: number }
> = {};
console.log(`corpus: ${N} texts, ${N} URLs, ${N} queries, ${N} joins`);
console.log(
  `${"op".padEnd(10)} ${"netkit".padStart(12)} ${"python3".padStart(12)} ${"built-in".padStart(12)}  netkit/py  netkit/builtin`,
);
for (const op of OPS) {
  const mine = op.netkit();
  const builtin = op.node();
  const theirs = py[op.name]!;
  summary[op.name] = {
    netkit: mine,
    python3: theirs,
    builtin,
    vsPython: mine / theirs,
    vsBuiltin: mine / builtin,
  };
  rows.push(
    { name: `netkit ${op.name}`, value: mine, unit: "ops/s", netkit: true },
    { name: `python3 ${op.name}`, value: theirs, unit: "ops/s", netkit: false },
    { name: `node ${op.builtin}`, value: builtin, unit: "ops/s", netkit: false },
  );
  notes.push(
    `${op.name}: ${(mine / theirs).toFixed(1)}x python3, ${(mine / builtin).toFixed(2)}x ${op.builtin}`,
  );
  const f = (n: number) => Math.round(n).toLocaleString("en-US").padStart(12);
  console.log(
    `${op.name.padEnd(10)} ${f(mine)} ${f(theirs)} ${f(builtin)}  ${(mine / theirs).toFixed(1).padStart(8)}x  ${(mine / builtin).toFixed(2).padStart(8)}x (${op.builtin})`,
  );
}

const metPython = Object.values(summary).every((s) => s.vsPython >= 5);
const metBuiltin = Object.values(summary).every((s) => s.vsBuiltin >= 0.5);
record({
  bench: "urllib-parse",
  title: "urllib.parse on 1,000 realistic URLs and strings (ops/s, higher is better)",
  better: "higher",
  command: "npm run bench -- urllib-parse",
  date: new Date().toISOString().slice(0, 10),
  machine: machine(),
  rows,
  goal: {
    text: "netkit at least 5x python3 and at least 0.5x the Node built-in on every operation",
    met: metPython && metBuiltin,
  },
  notes,
});
console.log(`(${((Date.now() - started) / 1000).toFixed(1)} s)`);
