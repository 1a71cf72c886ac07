/**
 * XML-RPC marshalling throughput: `loads` and `dumps` on one generated,
 * struct-heavy ~1 MB `<methodResponse>` (an array of records: structs of
 * strings with escapes and non-ASCII text, ints, doubles, booleans,
 * `dateTime.iso8601`, `base64`, nested structs and arrays), the same
 * document for every implementation (a seeded PRNG builds it):
 *
 * - netkit `loads(bytes)` / `dumps([value], { methodresponse: true })`;
 * - python3 `xmlrpc.client.loads(bytes)` / `dumps((value,), methodresponse=True)`,
 *   timed inside python3 (bench/peers/xmlrpc_marshal.py);
 * - every `dumps` is timed to UTF-8 bytes, as a document goes on the wire
 *   (netkit's text is built by appending, and V8 joins it when it is read);
 * - the npm `xmlrpc` package's Deserializer (sax, fed as a stream, which is
 *   its only interface) and `serializeMethodResponse` (xmlbuilder), on the
 *   same value in its own types (Date, Buffer); its document is its own
 *   rendering of that value, so its MB/s use its own document's size.
 *
 * Before timing, every implementation's work is checked: netkit's `loads`
 * result deep-equals the source value and its `dumps` output is the
 * document; python3's `dumps(loads(doc))` is the document byte for byte and
 * its item count matches; the npm package's round trip deep-equals its value.
 * Goal (the XML-RPC issue): netkit `loads` at least 5x python3's.
 *
 *   npm run bench -- xmlrpc-marshal     (2 s per measurement, best of 3 rounds)
 *
 * MB here is 10^6 bytes of the UTF-8 document.
 */
import { deepStrictEqual, strictEqual } from "node:assert";
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { loadavg } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { Binary, DateTime, dumps, loads } from "../src/xmlrpc/client.js";
import { bestRate, bestRateAsync, machine, OUT_DIR, PEERS, prng, type Row, record } from "./_lib.js";

// The npm package writes and reads dateTime as local time: make that UTC so its round trip is exact.
process.env.TZ = "UTC";

const seconds = Number(process.argv[2] ?? 2);
const rounds = Number(process.argv[3] ?? 3);

// ---------------------------------------------------------------------------
// The document

const rand = prng(0x0c0ffee);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));

const WORDS = [
  "alpha",
  "beta",
  "gamma",
  "delta",
  "report",
  "invoice",
  "order",
  "customer",
  "shipping",
  "pending",
  "Q&A",
  "a<b",
  "x>y",
  "café",
  "naïve",
  "東京",
  "données",
  "straße",
  "😀",
  "R&D <draft>",
];
const CITIES = ["Berlin", "São Paulo", "Zürich", "New York", "Kraków", "大阪", "Lyon", "Austin"];

function words(n: number): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(pick(WORDS));
  return out.join(" ");
}

function time(): DateTime {
  const d = new Date(Date.UTC(int(2000, 2030), int(0, 11), int(1, 28), int(0, 23), int(0, 59), int(0, 59)));
  return new DateTime(d);
}

function bytes(n: number): Binary {
  const b = Buffer.allocUnsafe(n);
  for (let i = 0; i < n; i++) b[i] = int(0, 255);
  return new Binary(b);
}

function recordValue(id: number): Record<string, unknown> {
  return {
    id,
    name: words(int(1, 4)),
    email: `${pick(WORDS.slice(0, 9))}.${id}@example.com`,
    score: int(0, 99_999) / 100 + 0.001,
    ratio: rand() * 1e-3,
    active: rand() < 0.5,
    created: time(),
    avatar: bytes(int(12, 60)),
    tags: Array.from({ length: int(0, 4) }, () => pick(WORDS)),
    address: {
      street: `${int(1, 999)} ${words(2)} Street`,
      city: pick(CITIES),
      zip: int(10_000, 99_999),
      geo: { lat: rand() * 180 - 90, lon: rand() * 360 - 180 },
    },
    history: Array.from({ length: int(0, 3) }, () => ({
      at: time(),
      amount: int(-500_000, 500_000) / 100 + 0.005,
      ok: rand() < 0.8,
      note: words(int(0, 3)),
    })),
  };
}

const ITEMS = 475;
const value = {
  total: ITEMS,
  generated: new DateTime(new Date(Date.UTC(2024, 0, 31, 12, 30, 0))),
  items: Array.from({ length: ITEMS }, (_, i) => recordValue(i + 1)),
};
const text = dumps([value], { methodresponse: true });
const doc = Buffer.from(text, "utf8");
const MB = doc.length / 1e6;

// ---------------------------------------------------------------------------
// Checks: every implementation does the real work before it is timed

deepStrictEqual(loads(doc), [[value], null], "netkit loads(doc) does not give back the value");
strictEqual(dumps([value], { methodresponse: true }), text, "netkit dumps is not deterministic");

mkdirSync(OUT_DIR, { recursive: true });
const docPath = join(OUT_DIR, "xmlrpc-marshal-document.xml");
writeFileSync(docPath, doc);

// The npm `xmlrpc` package, in its own types: Buffer for base64, Date for dateTime.
const require = createRequire(import.meta.url);
const npmSerializer = require("xmlrpc/lib/serializer.js") as { serializeMethodResponse(v: unknown): string };
const NpmDeserializer = require("xmlrpc/lib/deserializer.js") as new () => {
  deserializeMethodResponse(stream: Readable, cb: (err: unknown, result: unknown) => void): void;
};

function npmTypes(v: unknown): unknown {
  if (v instanceof Binary) return Buffer.from(v.data);
  if (v instanceof DateTime) {
    const m = /^(\d{4})(\d\d)(\d\d)T(\d\d):(\d\d):(\d\d)$/.exec(v.value)!;
    return new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!));
  }
  if (Array.isArray(v)) return v.map(npmTypes);
  if (typeof v === "object" && v !== null)
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, npmTypes(x)]));
  return v;
}

const npmValue = npmTypes(value);
const npmDoc = Buffer.from(npmSerializer.serializeMethodResponse(npmValue), "utf8");
const npmMB = npmDoc.length / 1e6;

function npmLoads(data: Buffer): Promise<unknown> {
  return new Promise((resolve, reject) => {
    new NpmDeserializer().deserializeMethodResponse(Readable.from([data]), (err, result) =>
      err ? reject(err) : resolve(result),
    );
  });
}
deepStrictEqual(await npmLoads(npmDoc), npmValue, "the npm xmlrpc round trip does not give back the value");

// ---------------------------------------------------------------------------
// Timing

const rate = (fn: () => unknown) => bestRate(fn, { seconds, rounds, warmup: 5 });
const rateAsync = (fn: () => Promise<unknown>) => bestRateAsync(fn, { seconds, rounds, warmup: 3 });

const started = Date.now();
const loadAtStart = loadavg()[0]!;
const py = spawnSync(
  "python3",
  [join(PEERS, "xmlrpc_marshal.py"), docPath, String(seconds), String(rounds)],
  {
    encoding: "utf8",
    timeout: 300_000,
  },
);
if (py.status !== 0) throw new Error(`python3 failed: ${py.stderr}`);
const pyRates = JSON.parse(py.stdout.trim().split("\n").pop()!) as {
  items: number;
  bytes: number;
  loads: number;
  dumps: number;
};
strictEqual(pyRates.items, ITEMS, "python3 read a different number of items");
strictEqual(pyRates.bytes, doc.length, "python3 read a different document");

const netkitLoads = rate(() => loads(doc));
const netkitDumps = rate(() => Buffer.from(dumps([value], { methodresponse: true }), "utf8"));
const npmLoadsRate = await rateAsync(() => npmLoads(npmDoc));
const npmDumps = rate(() => Buffer.from(npmSerializer.serializeMethodResponse(npmValue), "utf8"));

const rows: Row[] = [
  { name: "netkit loads", value: netkitLoads * MB, unit: "MB/s", netkit: true },
  { name: "python3 xmlrpc.client.loads", value: pyRates.loads * MB, unit: "MB/s" },
  { name: "npm xmlrpc Deserializer (sax)", value: npmLoadsRate * npmMB, unit: "MB/s" },
  { name: "netkit dumps (to UTF-8 bytes)", value: netkitDumps * MB, unit: "MB/s", netkit: true },
  { name: "python3 xmlrpc.client.dumps (to UTF-8 bytes)", value: pyRates.dumps * MB, unit: "MB/s" },
  { name: "npm xmlrpc serializeMethodResponse (to bytes)", value: npmDumps * npmMB, unit: "MB/s" },
];
const loadsRatio = netkitLoads / pyRates.loads;
const dumpsRatio = netkitDumps / pyRates.dumps;
const perDoc = (n: number) => `${n.toFixed(1)} documents/s`;
record({
  bench: "xmlrpc-marshal",
  title: `XML-RPC loads and dumps of a ${MB.toFixed(2)} MB struct-heavy document (MB/s, higher is better)`,
  better: "higher",
  command: "npm run bench -- xmlrpc-marshal",
  date: new Date().toISOString().slice(0, 10),
  machine: machine(),
  rows,
  goal: {
    text: `netkit loads at least 5x python3's (measured ${loadsRatio.toFixed(1)}x; dumps ${dumpsRatio.toFixed(1)}x)`,
    met: loadsRatio >= 5,
  },
  notes: [
    `The document: ${ITEMS} records (structs of strings with escapes and non-ASCII text, ints, doubles, booleans, dateTime.iso8601, base64, nested structs and arrays), ${doc.length.toLocaleString("en-US")} bytes; the npm package writes the same value as ${npmDoc.length.toLocaleString("en-US")} bytes.`,
    `loads: netkit ${perDoc(netkitLoads)}, python3 ${perDoc(pyRates.loads)}, npm xmlrpc ${perDoc(npmLoadsRate)}; dumps: netkit ${perDoc(netkitDumps)}, python3 ${perDoc(pyRates.dumps)}, npm xmlrpc ${perDoc(npmDumps)}.`,
    `netkit vs python3: loads ${loadsRatio.toFixed(1)}x, dumps ${dumpsRatio.toFixed(1)}x. Each result was checked before timing (netkit's loads deep-equals the value, python3's dumps(loads(doc)) is the document byte for byte, the npm round trip deep-equals its value).`,
    `Load average (1 min) at the start and end of the run: ${loadAtStart.toFixed(2)}, ${loadavg()[0]!.toFixed(2)} (2 cores; other work on the machine makes the numbers noisier).`,
  ],
});
console.log(`(${((Date.now() - started) / 1000).toFixed(1)} s)`);
