/**
 * netkit/io readline throughput: 200,000 lines of 64 bytes from memory in
 * 64 KiB chunks, read with BufferedReader.readline (and its neighbours)
 * against node:readline over a Readable and a plain synchronous indexOf
 * loop (the upper bound: no async at all). Best of 3 rounds each; bounded
 * to a few seconds.
 *
 *   npx tsx bench/io-readline.bench.ts [lines=200000]
 */
import { createInterface } from "node:readline";
import { Readable } from "node:stream";
import { BytesSource } from "../src/io/memory.js";
import { BufferedReader } from "../src/io/reader.js";
import { machine, type Row, record } from "./_lib.js";

const LINES = Number(process.argv[2] ?? 200_000);
const LINE = 64;
const CHUNK = 64 * 1024;
const ROUNDS = 3;
const DEADLINE = performance.now() + 9_000;

const data = Buffer.alloc(LINES * LINE, 0x61);
for (let i = LINE - 1; i < data.length; i += LINE) data[i] = 0x0a;
const chunks: Buffer[] = [];
for (let i = 0; i < data.length; i += CHUNK) chunks.push(data.subarray(i, i + CHUNK));

type Reader = () => Promise<number>;

const readers: Array<[string, boolean, Reader]> = [
  [
    "netkit BufferedReader.readline()",
    true,
    async () => {
      const r = new BufferedReader(new BytesSource(chunks));
      let n = 0;
      while ((await r.readline()).length > 0) n++;
      return n;
    },
  ],
  [
    "netkit for await (line of BufferedReader)",
    true,
    async () => {
      let n = 0;
      for await (const _ of new BufferedReader(new BytesSource(chunks))) n++;
      return n;
    },
  ],
  [
    'netkit BufferedReader.readuntil("\\n")',
    true,
    async () => {
      const r = new BufferedReader(new BytesSource(chunks));
      let n = 0;
      try {
        for (;;) {
          await r.readuntil("\n");
          n++;
        }
      } catch {
        return n;
      }
    },
  ],
  [
    "node:readline over Readable.from(chunks)",
    false,
    async () => {
      let n = 0;
      const rl = createInterface({ input: Readable.from(chunks), crlfDelay: Number.POSITIVE_INFINITY });
      for await (const _ of rl) n++;
      return n;
    },
  ],
  [
    "sync indexOf loop over chunks (upper bound)",
    false,
    async () => {
      let n = 0;
      let carry: Buffer | undefined;
      for (const chunk of chunks) {
        let start = 0;
        for (let at = chunk.indexOf(10); at >= 0; at = chunk.indexOf(10, start)) {
          if (carry) {
            Buffer.concat([carry, chunk.subarray(0, at + 1)]);
            carry = undefined;
          } else chunk.subarray(start, at + 1);
          n++;
          start = at + 1;
        }
        if (start < chunk.length)
          carry = carry ? Buffer.concat([carry, chunk.subarray(start)]) : chunk.subarray(start);
      }
      return n;
    },
  ],
];

const rows: Row[] = [];
for (const [name, netkit, read] of readers) {
  let best = 0;
  for (let round = 0; round < ROUNDS && performance.now() < DEADLINE; round++) {
    const started = performance.now();
    const n = await read();
    const seconds = (performance.now() - started) / 1000;
    if (n !== LINES) throw new Error(`${name} read ${n} lines, expected ${LINES}`);
    best = Math.max(best, n / seconds);
  }
  rows.push({ name, value: best, unit: "lines/s", netkit });
}

record({
  bench: "io-readline",
  title: `readline: ${LINES.toLocaleString("en-US")} lines of ${LINE} bytes from memory in ${CHUNK / 1024} KiB chunks`,
  better: "higher",
  command: "npx tsx bench/io-readline.bench.ts",
  date: new Date().toISOString().slice(0, 10),
  machine: machine(),
  rows,
});
