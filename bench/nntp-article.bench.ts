/**
 * NNTP articles per second: ARTICLE for each of 1,000 articles (4 KiB
 * each, a tenth of their lines starting with a dot, so unstuffing is done),
 * one after another over one reader connection to a real news server,
 * Debian's INN (a private innd on loopback, test/_support/inn.ts; nnrpd
 * answers the reader). An article counts once its whole block is read.
 *
 * | client | server |
 * | --- | --- |
 * | netkit `NNTP.article` | INN (innd + nnrpd) |
 * | python3 `nntplib.NNTP.article` | INN (innd + nnrpd) |
 *
 * Clients run in their own process pinned to a core, and take turns over
 * several rounds (each keeps its best), so a burst of load from elsewhere
 * hits both alike. Each client checks it read every article and the bytes
 * it counted are the same as the other's.
 *
 *   npm run bench -- nntp-article     (3 rounds)
 *
 * What bounds it is INN, not the clients: nnrpd writes ARTICLE's reply line
 * and the article in two writes, and Nagle's algorithm holds the second
 * until the client acknowledges the first, which Linux delays by 40 ms (the
 * delayed ACK). Measured here with python3 on a raw socket: the article
 * arrives 43 to 49 ms after the command; with TCP_QUICKACK set after each
 * read, 0.06 ms. Node offers no TCP_QUICKACK, and Python's nntplib sets
 * none, so both clients read about 21 articles a second and the figure
 * shows INN's stall: a guard against a client that adds round trips, not a
 * measure of the clients' own cost.
 *
 * Needs inn2 and root (innd runs as the news user); without them it says so
 * and records nothing.
 */
import { loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { NNTP } from "../src/nntplib/index.js";
import { INN_AVAILABLE, startInn } from "../test/_support/inn.js";
import { machine, PYTHON, type Row, record, runCommandJson } from "./_lib.js";

const ARTICLES = 1000;
const GROUP = "bench.nntp";
const rounds = Number(process.argv[2] ?? 3);

/** What a client prints. */
interface ClientResult {
  articles: number;
  bytes: number;
  seconds: number;
  rps: number;
}

/** The 4 KiB article number `i`: headers, 72-byte lines, every tenth starting with a dot. */
function article(i: number): Buffer {
  let text =
    `From: Bench <bench@example.test>\r\nNewsgroups: ${GROUP}\r\nSubject: article ${i}\r\n` +
    `Message-ID: <bench${i}@netkit.test>\r\nPath: bench!not-for-mail\r\nDate: ${new Date().toUTCString()}\r\n\r\n`;
  for (let n = 0; text.length < 4096 - 80; n++) {
    text += `${n % 10 === 9 ? "." : ""}${`${String(n).padStart(4, "0")} The quick brown fox jumps over the lazy dog. `.repeat(2).slice(0, 72)}\r\n`;
  }
  return Buffer.from(text, "latin1");
}

/** The netkit client, run as `node nntp-article.bench.js client PORT`: ARTICLE 1..N, timed. */
async function netkitClient(port: number): Promise<ClientResult> {
  await using s = await NNTP.open("127.0.0.1", port, { readermode: true, timeout: 60 });
  const [, count, first, last] = await s.group(GROUP);
  if (count !== ARTICLES) throw new Error(`expected ${ARTICLES} articles, the group has ${count}`);
  let bytes = 0;
  const start = performance.now();
  for (let n = first; n <= last; n++) {
    const [, info] = await s.article(n);
    for (const line of info.lines) bytes += line.length + 2;
  }
  const seconds = (performance.now() - start) / 1000;
  return { articles: last - first + 1, bytes, seconds, rps: (last - first + 1) / seconds };
}

const PY_CLIENT = `
import json, sys, time, warnings
warnings.simplefilter("ignore")
import nntplib
s = nntplib.NNTP("127.0.0.1", int(sys.argv[1]), readermode=True, timeout=60)
resp, count, first, last, name = s.group("${GROUP}")
assert count == ${ARTICLES}, count
nbytes = 0
start = time.perf_counter()
for n in range(first, last + 1):
    resp, info = s.article(n)
    for line in info.lines:
        nbytes += len(line) + 2
seconds = time.perf_counter() - start
s.quit()
print(json.dumps({"articles": last - first + 1, "bytes": nbytes, "seconds": seconds, "rps": (last - first + 1) / seconds}))
`;

if (process.argv[2] === "client") {
  console.log(JSON.stringify(await netkitClient(Number(process.argv[3]))));
} else if (!INN_AVAILABLE) {
  console.log("nntp-article: inn2 is not installed (or not root): skipped");
} else {
  const started = Date.now();
  const loadAtStart = loadavg()[0]!;
  const inn = await startInn({ groups: [[GROUP, "y", "benchmark articles"]] });
  try {
    {
      // IHAVE on a feed connection: innd stores each article itself (no nnrpd, no posting checks).
      await using feed = await NNTP.open("127.0.0.1", inn.port, { timeout: 60 });
      for (let i = 1; i <= ARTICLES; i++) await feed.ihave(`<bench${i}@netkit.test>`, article(i));
    }
    const self = fileURLToPath(import.meta.url);
    const clients: Record<string, [string, string[]]> = {
      "netkit nntplib": [process.execPath, [self, "client", String(inn.port)]],
      "python3 nntplib": [PYTHON, ["-c", PY_CLIENT, String(inn.port)]],
    };
    const rows: Row[] = Object.keys(clients).map((name) => ({
      name: `${name} → INN`,
      value: 0,
      unit: "art/s",
      netkit: name.startsWith("netkit"),
    }));
    const bytes = new Set<number>();
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? Object.keys(clients) : Object.keys(clients).reverse();
      for (const name of order) {
        const [cmd, args] = clients[name]!;
        const r = await runCommandJson<ClientResult>(cmd, args, 1, 300_000);
        if (r.articles !== ARTICLES) throw new Error(`${name} read ${r.articles} articles`);
        bytes.add(r.bytes);
        const row = rows.find((x) => x.name === `${name} → INN`)!;
        console.log(`  round ${round + 1}: ${row.name}: ${Math.round(r.rps)} art/s`);
        row.value = Math.max(row.value, r.rps);
      }
    }
    if (bytes.size !== 1) throw new Error(`the clients counted different bytes: ${[...bytes].join(", ")}`);
    const [ours, python] = [rows[0]!.value, rows[1]!.value];
    record({
      bench: "nntp-article",
      title: "NNTP: ARTICLE of 1,000 × 4 KiB articles over one connection from INN (higher is better)",
      better: "higher",
      command: "npm run bench -- nntp-article",
      date: new Date().toISOString().slice(0, 10),
      machine: machine(),
      rows,
      notes: [
        `netkit nntplib: ${(ours / python).toFixed(2)}x python3's nntplib against the same INN.`,
        "Both are held to about 21 articles a second by INN itself: nnrpd writes the reply line and the article apart, and Nagle holds the article until the client's delayed ACK (40 ms on Linux); with TCP_QUICKACK (which Node cannot set) an article takes 0.06 ms.",
        `${[...bytes][0]} bytes of article lines per run; best of ${rounds} rounds, clients alternating.`,
        `Load average (1 min) at the start and end of the run: ${loadAtStart.toFixed(2)}, ${loadavg()[0]!.toFixed(2)} (2 cores; INN's nnrpd shares them).`,
      ],
    });
  } finally {
    await inn.stop();
  }
  console.log(`(${((Date.now() - started) / 1000).toFixed(1)} s)`);
}
