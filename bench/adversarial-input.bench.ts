/**
 * Adversarial input against ordinary input, parser by parser (issue 12,
 * section 5: "every input shape at no less than a third of the ordinary
 * rate"). For each parser, an ordinary input and every adversarial shape
 * of the same size, each timed over bounded rounds (shapes interleaved; the
 * best round of each counts), in MB/s: 10^6 bytes of input per second of
 * CPU time (user and system, all of the process's threads), which is what
 * an attacker costs a server and which other load on a shared machine
 * changes little. Each rate is compared with the ordinary input of the same
 * parser; a shape is "met" at 1/3 or more. python3 reads the same inputs as
 * a reference (not a goal; its CPU time too, of its one thread: with a CPU
 * timer armed, Linux counts a process's CPU time only at clock ticks), each
 * run stopped after a few seconds of CPU.
 *
 * Sections (bench names `adversarial-input-*`, so they sit together in
 * docs/benchmarks.md):
 *
 * - `adversarial-input-multipart`: `FieldStorage.read` (how netkit/cgi and
 *   http.server read a form: a BufferedReader, 64 KiB reads, the default
 *   limits of 100 MiB and 1000 fields, parts over 64 KiB spilled to a
 *   temporary file) on 4 MiB bodies: runs of CR, LF, CRLF, `-` and
 *   whitespace before the first boundary, inside a part and after the close
 *   delimiter; near-boundaries (the boundary less a byte, followed by `x`,
 *   by `-`, by long padding; not at a line start); boundaries of 1 and 70
 *   bytes; 64 KiB part header blocks (one long line, many lines, many
 *   parameters, escapes, `;` inside quotes); 1000 parts (the field limit)
 *   sharing the body; tiny parts past the limit. python3: `cgi.FieldStorage`.
 * - `adversarial-input-multipart-chunks`: `MultipartReader` alone, fed in
 *   chunks of 1 KiB and of 7 bytes (a boundary prefix at every chunk edge),
 *   256 KiB bodies: the ordinary form and the shapes where a search cut off
 *   by a chunk's end could start again.
 * - `adversarial-input-cookies`: `SimpleCookie.load` on 65,000-character
 *   strings (the load limit is 65,536). python3: `http.cookies.SimpleCookie`.
 * - `adversarial-input-cookiejar`: `parseNsHeaders` and `splitHeaderWords`
 *   (with `http2time` for `expires`) on 65,000-character header values.
 *   python3: `http.cookiejar.parse_ns_headers` and `split_header_words`.
 * - The HTTP request parser's rows: written by another benchmark,
 *   bench/http-parser-adversarial.bench.ts, as its own section (this file
 *   leaves that slot to it and writes none of those rows).
 *
 *   npm run bench -- adversarial-input
 *   npx tsx bench/adversarial-input.bench.ts [rounds=5] [--no-python] [--only=multipart,chunks,cookies,cookiejar]
 *
 * Results go to .bench-out/adversarial-input-*.json; the bodies python3
 * reads are written to .bench-out/adversarial/ and removed at the end.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { FieldStorage } from "../src/cgi/index.js";
import { parseNsHeaders, splitHeaderWords } from "../src/http/cookiejar.js";
import { SimpleCookie } from "../src/http/cookies.js";
import { BytesSource } from "../src/io/memory.js";
import { BufferedReader } from "../src/io/reader.js";
import { MultipartReader } from "../src/multipart/reader.js";
import { machine, OUT_DIR, PYTHON, type Row, record } from "./_lib.js";

const ROUNDS = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 5);
const WITH_PYTHON = !process.argv.includes("--no-python");
/** The cookie parsers take a millisecond a run: more rounds, so that a best round is likelier on a busy machine. */
const CHEAP_ROUNDS = 6 * ROUNDS;
/** Each parser's shapes stop being re-run once this much time has gone by (after 2 rounds at least). */
const BUDGET_MS = 40_000;
/** python3 gets this much CPU time for one run of one shape. */
const PYTHON_TIMEOUT_S = 3;
const GOAL = 1 / 3;
const loads: number[] = [];

// ---------------------------------------------------------------------------
// Timing

interface Shape {
  /** What the input is, as the tables show it. */
  name: string;
  /** Bytes (or characters) of input. */
  size: number;
  /** Parses the input once; returns a summary that is checked before timing. */
  run(): Promise<string> | string;
  /** The summary `run` must return (what the parser made of the input). */
  expect: string | RegExp;
}

/**
 * Runs every shape once (checking what it made of its input), then up to
 * `rounds` rounds over all of them in turn; returns the best MB/s of each.
 */
async function measure(shapes: Shape[], rounds = ROUNDS): Promise<Map<string, number>> {
  loads.push(loadavg()[0]!);
  for (const s of shapes) {
    const got = await s.run();
    const ok = typeof s.expect === "string" ? got === s.expect : s.expect.test(got);
    if (!ok) throw new Error(`${s.name}: the parser gave ${JSON.stringify(got)}, expected ${s.expect}`);
  }
  const best = new Map<string, number>();
  const started = performance.now();
  for (let round = 0; round < rounds; round++) {
    if (round >= 2 && performance.now() - started > BUDGET_MS) break;
    for (const s of shapes) {
      const t = process.cpuUsage();
      await s.run();
      const used = process.cpuUsage(t);
      const rate = s.size / (used.user + used.system);
      best.set(s.name, Math.max(best.get(s.name) ?? 0, rate));
    }
  }
  loads.push(loadavg()[0]!);
  return best;
}

/** The rows, the goal and the table of ratios for one parser. */
function report(
  what: string,
  shapes: Shape[],
  rates: Map<string, number>,
  python: Map<string, PythonRate> | undefined,
): { rows: Row[]; goal: { text: string; met: boolean }; table: string; missed: string[] } {
  const ordinary = rates.get(shapes[0]!.name)!;
  const rows: Row[] = shapes.map((s) => ({
    name: `${what}: ${s.name}`,
    value: rates.get(s.name)!,
    unit: "MB/s",
    netkit: true,
  }));
  const missed: string[] = [];
  const lines = [
    "| input | netkit MB/s | x ordinary | at least 1/3 | python3 MB/s |",
    "| --- | --- | --- | --- | --- |",
  ];
  let worst = Number.POSITIVE_INFINITY;
  for (const [i, s] of shapes.entries()) {
    const rate = rates.get(s.name)!;
    const ratio = rate / ordinary;
    if (i > 0) worst = Math.min(worst, ratio);
    if (ratio < GOAL) missed.push(s.name);
    const py = python?.get(s.name);
    lines.push(
      `| ${s.name} | ${fmtRate(rate)} | ${i === 0 ? "1" : ratio.toFixed(2)} | ${i === 0 ? "" : ratio >= GOAL ? "met" : "**no**"} | ${py === undefined ? "" : fmtPython(py, s.size)} |`,
    );
  }
  return {
    rows,
    goal: {
      text: `every input at least 1/3 of the ordinary input's rate (worst measured: ${worst.toFixed(2)}x${missed.length > 0 ? `; under 1/3: ${missed.join(", ")}` : ""})`,
      met: missed.length === 0,
    },
    table: lines.join("\n"),
    missed,
  };
}

/** The note on how a section was measured. */
function howMeasured(rounds: number): string {
  return `Best of ${rounds} rounds, shapes interleaved; load average (1 min) during the runs: ${Math.min(...loads).toFixed(2)} to ${Math.max(...loads).toFixed(2)}.`;
}

/** Records one section: rows, goal and notes, with what every section shares. */
function save(
  bench: string,
  title: string,
  rows: Row[],
  goal: { text: string; met: boolean },
  notes: string[],
): void {
  record({
    bench,
    title,
    better: "higher",
    command: "npm run bench -- adversarial-input",
    date: new Date().toISOString().slice(0, 10),
    machine: machine(),
    rows,
    goal,
    notes,
  });
}

function fmtRate(n: number): string {
  return n >= 100 ? Math.round(n).toLocaleString("en-US") : n >= 1 ? n.toFixed(1) : n.toFixed(3);
}

function fmtPython(py: PythonRate, size: number): string {
  if (py.seconds === null)
    return `under ${fmtRate(size / 1e6 / PYTHON_TIMEOUT_S)} (stopped after ${PYTHON_TIMEOUT_S} s)`;
  return `${fmtRate(size / 1e6 / py.seconds)}${py.error ? ` (${py.error})` : ""}`;
}

/** Repeats `unit` to exactly `size` bytes (latin1). */
function fill(unit: string, size: number): string {
  return unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
}

/** mulberry32: the same "random" file bytes on every run. */
function randomBytes(n: number, seed: number): Buffer {
  let a = seed >>> 0;
  const out = Buffer.allocUnsafe(n);
  for (let i = 0; i < n; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = (t ^ (t >>> 14)) & 0xff;
  }
  return out;
}

// ---------------------------------------------------------------------------
// python3

interface PythonRate {
  /** Best seconds for one run, or null when it was stopped. */
  seconds: number | null;
  error: string | null;
}

const PY_HARNESS = `
import json, signal, sys, time, warnings
warnings.simplefilter("ignore")
class Stopped(Exception): pass
def stop(*_): raise Stopped()
signal.signal(signal.SIGPROF, stop)
def measure(cases, prepare, run, timeout, rounds=2, budget=2.0):
    out = {}
    for c in cases:
        best, err, spent = None, None, 0.0
        x = prepare(c)
        for _ in range(rounds):
            signal.setitimer(signal.ITIMER_PROF, timeout)
            t = time.thread_time()
            try:
                run(c, x)
            except Stopped:
                best, err = None, None
                break
            except Exception as e:
                err = type(e).__name__
            finally:
                signal.setitimer(signal.ITIMER_PROF, 0)
            dt = time.thread_time() - t
            best = dt if best is None else min(best, dt)
            spent += dt
            if spent > budget: break
        out[c["name"]] = {"seconds": best, "error": err}
    return out
`;

function runPython(script: string, input: unknown): Map<string, PythonRate> | undefined {
  if (!WITH_PYTHON) return undefined;
  const run = spawnSync(PYTHON, ["-c", PY_HARNESS + script], {
    input: JSON.stringify(input),
    encoding: "utf8",
    maxBuffer: 1 << 24,
    timeout: 30 * 60_000,
  });
  if (run.status !== 0) throw new Error(`python3 failed: ${run.stderr}`);
  return new Map(Object.entries(JSON.parse(run.stdout) as Record<string, PythonRate>));
}

// ---------------------------------------------------------------------------
// Multipart: FieldStorage.read on 4 MiB bodies

const SIZE = 4 * 1024 * 1024;
const WEBKIT = "----WebKitFormBoundary7MA4YWxkTrZu0gW";
const SHORT = "B";
const LONG = `${"-".repeat(68)}zz`; // 70 bytes, RFC 2046's most

interface Body {
  name: string;
  boundary: string;
  bytes: Buffer;
  /** What FieldStorage makes of it: `fields N` or the error it throws. */
  expect: string | RegExp;
}

function part(boundary: string, headers: string, body: string | Buffer): Buffer {
  return Buffer.concat([
    Buffer.from(`--${boundary}\r\n${headers}\r\n`, "latin1"),
    Buffer.from(body),
    Buffer.from("\r\n"),
  ]);
}

const TEXT_FIELDS = (b: string) =>
  Buffer.concat([
    part(b, 'Content-Disposition: form-data; name="name"\r\n', "Ada Lovelace"),
    part(b, 'Content-Disposition: form-data; name="email"\r\n', "ada@example.com"),
    part(
      b,
      'Content-Disposition: form-data; name="message"\r\n',
      "Notes on the Analytical Engine, with a few corrections.\r\n".repeat(18),
    ),
  ]);

/** The ordinary form: three text fields and a photo filling the rest of `size`. */
function ordinaryForm(b: string, size: number): Buffer {
  const head = TEXT_FIELDS(b);
  const fileHead = Buffer.from(
    `--${b}\r\nContent-Disposition: form-data; name="photo"; filename="IMG_0042.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${b}--\r\n`);
  const n = size - head.length - fileHead.length - tail.length;
  return Buffer.concat([head, fileHead, randomBytes(n, 0x5eed), tail]);
}

/** A form whose file part's content is `run` (to the body's size). */
function inBody(name: string, b: string, run: string): Body {
  const head = Buffer.from(
    `--${b}\r\nContent-Disposition: form-data; name="upload"; filename="a.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${b}--\r\n`);
  // An `x` last, so that no unit cut short by the size turns into a delimiter line.
  const content = Buffer.from(`${fill(run, SIZE - head.length - tail.length - 1)}x`, "latin1");
  return { name, boundary: b, bytes: Buffer.concat([head, content, tail]), expect: "fields 1" };
}

/** `run` before the first boundary line, then a one-field form. */
function inPreamble(name: string, b: string, run: string): Body {
  const form = Buffer.from(`\n--${b}\r\nContent-Disposition: form-data; name="a"\r\n\r\nx\r\n--${b}--\r\n`);
  return {
    name,
    boundary: b,
    bytes: Buffer.concat([Buffer.from(`${fill(run, SIZE - form.length - 1)}x`, "latin1"), form]),
    expect: "fields 1",
  };
}

/** A one-field form, then `run` after the close delimiter (the rest of the Content-Length is read and dropped). */
function inEpilogue(name: string, b: string, run: string): Body {
  const form = Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="a"\r\n\r\nx\r\n--${b}--\r\n`);
  return {
    name,
    boundary: b,
    bytes: Buffer.concat([form, Buffer.from(fill(run, SIZE - form.length), "latin1")]),
    expect: "fields 1",
  };
}

/** Parts whose header blocks are `headers` (just under the 64 KiB limit), filling the body. */
function headerParts(name: string, b: string, headers: string): Body {
  const one = part(b, headers, "x");
  const count = Math.floor((SIZE - b.length - 8) / one.length);
  return {
    name,
    boundary: b,
    bytes: Buffer.concat([...Array.from({ length: count }, () => one), Buffer.from(`--${b}--\r\n`)]),
    expect: `fields ${count}`,
  };
}

const HEADER_BLOCK = 65_000;

/** Like `headerParts`, for blocks past the limit of 100 lines a part: the first part is refused. */
function refusedHeaderParts(name: string, b: string, headers: string): Body {
  return {
    ...headerParts(`${name} (refused past 100 lines)`, b, headers),
    expect: "MultipartError: Cannot read multipart part headers: more than 100 lines",
  };
}

/** 1000 parts (the field limit) with header blocks `headers`, their bodies filling the rest of the body. */
function headerPartsAtLimit(name: string, b: string, headers: string): Body {
  const count = 1000;
  const each = Math.floor((SIZE - b.length - 8) / count) - part(b, headers, "").length;
  const one = part(b, headers, "v".repeat(each));
  return {
    name,
    boundary: b,
    bytes: Buffer.concat([...Array.from({ length: count }, () => one), Buffer.from(`--${b}--\r\n`)]),
    expect: `fields ${count}`,
  };
}

function multipartBodies(): Body[] {
  const b = WEBKIT;
  const d = `--${b}`;
  const fields = (n: number, each: number): Body => {
    const parts = Array.from({ length: n }, (_, i) =>
      part(b, `Content-Disposition: form-data; name="f${i}"\r\n`, "v".repeat(each)),
    );
    return {
      name: `${n} fields of ${each.toLocaleString("en-US")} bytes (the field limit is 1000)`,
      boundary: b,
      bytes: Buffer.concat([...parts, Buffer.from(`--${b}--\r\n`)]),
      expect: `fields ${n}`,
    };
  };
  const per = Math.floor(SIZE / 1000) - 60 - b.length;
  const tiny = part(b, 'Content-Disposition: form-data; name="t"\r\n', "x");
  return [
    {
      name: "ordinary form (3 text fields, a 4 MiB photo)",
      boundary: b,
      bytes: ordinaryForm(b, SIZE),
      expect: "fields 4",
    },
    // Before the first boundary.
    inPreamble("preamble: CRLF run", b, "\r\n"),
    inPreamble("preamble: CR run", b, "\r"),
    inPreamble("preamble: LF run", b, "\n"),
    inPreamble("preamble: '-' run", b, "-"),
    inPreamble("preamble: space and tab run", b, " \t"),
    inPreamble("preamble: boundary less its last byte, on every line", b, `\r\n${d.slice(0, -1)}`),
    inPreamble("preamble: boundary then 'x', on every line", b, `\r\n${d}x`),
    inPreamble("preamble: close delimiter on every line", b, `\r\n${d}--`),
    inPreamble("preamble: boundary after 3000 spaces, then 'x'", b, `${" ".repeat(3000)}${d}x\n`),
    inPreamble("preamble: boundaries after a space, one line", b, ` ${d}`),
    inPreamble("preamble: near-boundaries, 1-byte boundary", SHORT, "\r\n--\r\n-B"),
    inPreamble("preamble: boundary then 'x', 70-byte boundary", LONG, `\r\n--${LONG}x`),
    // Inside a part.
    inBody("part: CRLF run", b, "\r\n"),
    inBody("part: CR run", b, "\r"),
    inBody("part: LF run", b, "\n"),
    inBody("part: '-' run", b, "-"),
    inBody("part: boundary less its last byte, on every line", b, `\r\n${d.slice(0, -1)}`),
    inBody("part: boundary then 'x', on every line", b, `\r\n${d}x`),
    inBody("part: boundary then '-', on every line", b, `\r\n${d}-`),
    inBody("part: boundary then 60,000 spaces, then 'x'", b, `\r\n${d}${" ".repeat(60_000)}x`),
    inBody("part: boundary not at a line start", b, `x${d}`),
    inBody("part: boundary then 'x', 1-byte boundary", SHORT, "\r\n--Bx"),
    inBody("part: boundary less its last byte, 1-byte boundary", SHORT, "\n--\n-"),
    inBody("part: boundary then 'x', 70-byte boundary", LONG, `\r\n--${LONG}x`),
    // After the close delimiter.
    inEpilogue("epilogue: CRLF run", b, "\r\n"),
    inEpilogue("epilogue: boundary then 'x', on every line", b, `\r\n${d}x`),
    // Part headers: 64 parts with header blocks just under the 64 KiB limit.
    headerParts(
      "headers: one 65,000-byte line",
      b,
      `Content-Disposition: form-data; name="h"\r\nX-Junk: ${"v".repeat(HEADER_BLOCK - 60)}\r\n`,
    ),
    refusedHeaderParts(
      "headers: 16,000 lines 'a:'",
      b,
      `Content-Disposition: form-data; name="h"\r\n${"a:\r\n".repeat(HEADER_BLOCK / 4 - 20)}`,
    ),
    refusedHeaderParts(
      "headers: 21,000 lines 'a:' ending in a lone CR",
      b,
      `Content-Disposition: form-data; name="h"\r\n${"a:\r".repeat(HEADER_BLOCK / 3 - 20)}\n`,
    ),
    refusedHeaderParts(
      "headers: 16,000 continuation lines",
      b,
      // Not blank: a line of whitespace ends the block (Python's `if not data.strip()`).
      `Content-Disposition: form-data; name="h"\r\nX: a\r\n${" a\r\n".repeat(HEADER_BLOCK / 4 - 20)}`,
    ),
    refusedHeaderParts(
      "headers: 9,000 lines 'From '",
      b,
      `Content-Disposition: form-data; name="h"\r\n${"From \r\n".repeat(HEADER_BLOCK / 7 - 20)}`,
    ),
    headerPartsAtLimit(
      "headers: 100 lines 'a:' a part (the line limit), 1000 parts",
      b,
      `Content-Disposition: form-data; name="h"\r\n${"a:\r\n".repeat(99)}`,
    ),
    headerPartsAtLimit(
      "headers: 100 lines 'From ' a part, 1000 parts",
      b,
      `Content-Disposition: form-data; name="h"\r\n${"From \r\n".repeat(99)}`,
    ),
    headerParts(
      "headers: Content-Disposition folded over 32 lines",
      b,
      `Content-Disposition: form-data; name="h"${`\r\n\t; a="${"v".repeat(2000)}"`.repeat(31)}\r\n`,
    ),
    headerParts(
      "headers: a name of 65,000 bytes",
      b,
      `Content-Disposition: form-data; name="h"\r\n${"X".repeat(HEADER_BLOCK - 60)}: a\r\n`,
    ),
    headerParts(
      "headers: a value of 65,000 spaces and tabs",
      b,
      `Content-Disposition: form-data; name="h"\r\nX:${" \t".repeat(HEADER_BLOCK / 2 - 40)}a\r\n`,
    ),
    headerParts(
      "headers: a continuation line of 65,000 spaces",
      b,
      `Content-Disposition: form-data; name="h"\r\nX: a\r\n${" ".repeat(HEADER_BLOCK - 60)}a\r\n`,
    ),
    headerParts(
      "headers: a value, then 65,000 CR",
      b,
      `Content-Disposition: form-data; name="h"\r\nX: a${"\r".repeat(HEADER_BLOCK - 60)}\n`,
    ),
    headerParts(
      "headers: a line of 65,000 bytes that are not UTF-8",
      b,
      `Content-Disposition: form-data; name="h"\r\nX-Junk: ${fill(Buffer.from(Array.from({ length: 128 }, (_, i) => 0x80 + i)).toString("latin1"), HEADER_BLOCK - 60)}\r\n`,
    ),
    headerParts(
      "headers: a filename of 21,000 '\u65e5' (UTF-8)",
      b,
      `Content-Disposition: form-data; name="h"; filename="${Buffer.from("\u65e5".repeat(HEADER_BLOCK / 3 - 30)).toString("latin1")}"\r\n`,
    ),
    {
      ...headerParts(
        "headers: 13,000 parameters '; a=b' (refused past 32)",
        b,
        `Content-Disposition: form-data${"; a=b".repeat(HEADER_BLOCK / 5 - 20)}; name="h"\r\n`,
      ),
      expect:
        'MultipartError: Cannot split multipart part header "Content-Disposition": more than 32 parameters',
    },
    headerPartsAtLimit(
      "headers: 32 parameters in Content-Disposition and in Content-Type (the limit), 1000 parts",
      b,
      `Content-Disposition: form-data${"; a=b".repeat(31)}; name="h"\r\nContent-Type: text/plain${"; a=b".repeat(32)}\r\n`,
    ),
    headerParts(
      "headers: a name of 32,000 escaped quotes",
      b,
      `Content-Disposition: form-data; name="${'\\"'.repeat(HEADER_BLOCK / 2 - 40)}"\r\n`,
    ),
    headerParts(
      "headers: a name of 21,000 '\\\";'",
      b,
      `Content-Disposition: form-data; name="${'\\";'.repeat(HEADER_BLOCK / 3 - 30)}"\r\n`,
    ),
    headerParts(
      "headers: a name of 64,000 ';'",
      b,
      `Content-Disposition: form-data; name="${";".repeat(HEADER_BLOCK - 80)}"\r\n`,
    ),
    headerParts(
      "headers: a name of 64,000 '\"'",
      b,
      `Content-Disposition: form-data; name="${'"'.repeat(HEADER_BLOCK - 80)}"\r\n`,
    ),
    // Many parts.
    fields(1000, per),
    {
      name: "tiny parts, refused at the 1001st",
      boundary: b,
      bytes: Buffer.concat([
        ...Array.from({ length: Math.floor((SIZE - 50) / tiny.length) }, () => tiny),
        Buffer.from(`--${b}--\r\n`),
      ]),
      expect: "ValueError: Max number of fields exceeded",
    },
  ];
}

async function readForm(body: Body): Promise<string> {
  try {
    const form = await FieldStorage.read({
      fp: new BufferedReader(new BytesSource(body.bytes, 65536)),
      environ: {
        REQUEST_METHOD: "POST",
        CONTENT_TYPE: `multipart/form-data; boundary="${body.boundary}"`,
        CONTENT_LENGTH: String(body.bytes.length),
      },
    });
    const n = form.list?.length ?? 0;
    await form.close();
    return `fields ${n}`;
  } catch (err) {
    return `${(err as Error).name}: ${(err as Error).message}`;
  }
}

const PY_MULTIPART = `
import cgi, io
cases = json.load(sys.stdin)
def prepare(c):
    return open(c["path"], "rb").read()
def run(c, body):
    env = {"REQUEST_METHOD": "POST", "CONTENT_TYPE": c["ctype"], "CONTENT_LENGTH": str(len(body))}
    fs = cgi.FieldStorage(fp=io.BytesIO(body), environ=env)
    for f in fs.list or []:
        if f.file: f.file.close()
print(json.dumps(measure(cases, prepare, run, ${PYTHON_TIMEOUT_S})))
`;

async function multipart(): Promise<void> {
  const bodies = multipartBodies();
  const shapes: Shape[] = bodies.map((body) => ({
    name: body.name,
    size: body.bytes.length,
    run: () => readForm(body),
    expect: body.expect,
  }));
  const rates = await measure(shapes);
  let python: Map<string, PythonRate> | undefined;
  if (WITH_PYTHON) {
    const dir = join(OUT_DIR, "adversarial");
    mkdirSync(dir, { recursive: true });
    try {
      const cases = bodies.map((body, i) => {
        const path = join(dir, `${i}.bin`);
        writeFileSync(path, body.bytes);
        return { name: body.name, path, ctype: `multipart/form-data; boundary="${body.boundary}"` };
      });
      python = runPython(PY_MULTIPART, cases);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const r = report("multipart", shapes, rates, python);
  save(
    "adversarial-input-multipart",
    "Adversarial input: multipart/form-data read by FieldStorage, 4 MiB bodies (MB/s, higher is better)",
    r.rows,
    r.goal,
    [
      r.table,
      "Read as netkit/cgi reads a request: `FieldStorage.read` over a BufferedReader of 64 KiB chunks, with Content-Length and the default limits (100 MiB, 1000 fields, 64 KiB and 100 lines of headers a part, 32 parameters in a part's Content-Disposition or Content-Type); file parts over 64 KiB go to a temporary file, as the ordinary form's photo does. The tiny parts are refused at the 1001st field, header blocks of more lines or parameters than the limits at the first part: their rate is the body's size over the time to refuse it. python3 (`cgi.FieldStorage`, no limits) reads every part.",
      "Part headers cost more a byte than part bodies whatever their shape: every header byte is decoded and parsed into strings (`parseHeaderBlock` of netkit/http, then `parseHeader` of netkit/cgi for Content-Disposition and Content-Type), where body bytes are searched natively and copied. Both parse in one pass, each character read a bounded number of times. The shapes at the limits (1000 parts of 100 header lines, or of 32 parameters twice) pay the per-part cost of the 1000 fields row and a hundred header strings a part that the form keeps, as Python's does. Header bytes that are not ASCII go through Node's UTF-8 decoder (`Buffer.toString`, as fast as `TextDecoder` here), which alone is slower a byte than the ordinary form's whole read.",
      howMeasured(ROUNDS),
    ],
  );
}

// ---------------------------------------------------------------------------
// Multipart: MultipartReader alone, small chunks

async function readerChunks(): Promise<void> {
  const n = 256 * 1024;
  const b = WEBKIT;
  const d = `--${b}`;
  const inputs: Array<[string, Buffer]> = [
    ["ordinary form", ordinaryForm(b, n)],
    ["preamble: CRLF run", Buffer.from(`${fill("\r\n", n)}\n${d}\r\n\r\nx\r\n${d}--`, "latin1")],
    ["preamble: CR run", Buffer.from(`${fill("\r", n)}\n${d}\r\n\r\nx\r\n${d}--`, "latin1")],
    [
      "part: boundary less its last byte, on every line",
      Buffer.from(`${d}\r\n\r\n${fill(`\r\n${d.slice(0, -1)}`, n)}\r\n${d}--`, "latin1"),
    ],
    [
      "part: boundary then 'x', on every line",
      Buffer.from(`${d}\r\n\r\n${fill(`\r\n${d}x`, n)}\r\n${d}--`, "latin1"),
    ],
    [
      "part: boundary then 60,000 spaces, then 'x'",
      Buffer.from(`${d}\r\n\r\n${fill(`\r\n${d}${" ".repeat(60_000)}x`, n)}\r\n${d}--`, "latin1"),
    ],
    [
      "headers: one 65,000-byte line",
      Buffer.from(`${fill(`${d}\r\nX: ${"v".repeat(64_900)}\r\n\r\nx\r\n`, n)}\r\n${d}--`, "latin1"),
    ],
  ];
  const shapes: Shape[] = [];
  for (const size of [1024, 7]) {
    for (const [name, bytes] of inputs) {
      shapes.push({
        name: `${name}, chunks of ${size === 1024 ? "1 KiB" : `${size} bytes`}`,
        size: bytes.length,
        async run() {
          const reader = new MultipartReader(new BufferedReader(new BytesSource(bytes, size)), b);
          let parts = 0;
          let total = 0;
          for await (const p of reader) {
            parts++;
            total += await p.skip();
          }
          return `${parts} parts, ${reader.state}, ${total > 0 ? "bytes" : "empty"}`;
        },
        expect: /^\d+ parts, (end|eof), /,
      });
    }
  }
  const rates = await measure(shapes);
  // Two tables: each chunk size against the ordinary form at that size.
  const half = inputs.length;
  const kib = report("reader, 1 KiB chunks", shapes.slice(0, half), rates, undefined);
  const seven = report("reader, 7-byte chunks", shapes.slice(half), rates, undefined);
  save(
    "adversarial-input-multipart-chunks",
    "Adversarial input: MultipartReader fed in small chunks, 256 KiB bodies (MB/s, higher is better)",
    [...kib.rows, ...seven.rows],
    {
      text: `every input at least 1/3 of the ordinary form's rate at the same chunk size (1 KiB: ${kib.goal.text}; 7 bytes: ${seven.goal.text})`,
      met: kib.goal.met && seven.goal.met,
    },
    [
      kib.table,
      seven.table,
      "The reader alone over a BufferedReader whose source delivers chunks of the given size, every part skipped. A search cut off by a chunk's end goes on from where it stopped, so long runs and long padding cost the same per byte at any chunk size; at 7 bytes a chunk, the cost of a chunk is all there is.",
      howMeasured(ROUNDS),
    ],
  );
}

// ---------------------------------------------------------------------------
// Cookies: SimpleCookie.load

const COOKIE_SIZE = 65_000;

function cookieInputs(): Array<[string, string]> {
  const n = COOKIE_SIZE;
  const ordinary = fill(
    "_ga=GA1.2.1234567890.1234567890; sessionid=38afes7a8b9c0d1e2f3a4b5c; csrftoken=Xy7Kp2mQ9vLr4TnW8sZc; theme=dark; lang=en-US; ",
    n,
  ).replace(/; [^;]*$/, ";");
  return [
    ["ordinary Cookie header (5 cookies, repeated)", ordinary],
    ["';' run", fill(";", n)],
    ["'=' run", fill("=", n)],
    ["'=' run then '\"' (quadratic in Python's regex)", `${fill("=", n - 1)}"`],
    ["space run", fill(" ", n)],
    ["'\"' run", fill('"', n)],
    ["backslash run", fill("\\", n)],
    ["tiny cookies 'a=b;'", fill("a=b;", n)],
    ["one cookie, one 65,000-byte value", `a=${fill("x", n - 2)}`],
    ["a quoted value of escaped quotes", `a="${fill('\\"', n - 4)}"`],
    ["a quoted value of octal escapes", `a="${fill("\\012", n - 4)}"`],
    ["an unterminated quoted value", `a="${fill("\\012", n - 3)}`],
    ["a 65,000-byte name, then '='", `${fill("a", n - 2)}=b`],
    ["a cookie, then 8,000 attributes 'Path=/;'", `a=b; ${fill("Path=/; ", n - 5)}`],
    ["a cookie, then 8,000 '$' attributes", `a=b; ${fill("$Path=/; ", n - 5)}`],
    ["expires dates", `a=b; ${fill("expires=Wed, 09 Jun 2021 10:18:14 GMT; ", n - 5)}`],
    ["one name, set 13,000 times", fill("a=1; ", n)],
  ];
}

const PY_COOKIES = `
from http.cookies import SimpleCookie
cases = json.load(sys.stdin)
def run(c, text):
    SimpleCookie().load(text)
print(json.dumps(measure(cases, lambda c: c["text"], run, ${PYTHON_TIMEOUT_S})))
`;

async function cookies(): Promise<void> {
  const inputs = cookieInputs();
  const shapes: Shape[] = inputs.map(([name, text]) => ({
    name,
    size: text.length,
    run() {
      const c = new SimpleCookie();
      try {
        c.load(text);
      } catch (err) {
        return (err as Error).name;
      }
      return `${c.size} cookies`;
    },
    expect: /^(\d+ cookies|CookieError)$/,
  }));
  const rates = await measure(shapes, CHEAP_ROUNDS);
  const python = runPython(
    PY_COOKIES,
    inputs.map(([name, text]) => ({ name, text })),
  );
  const r = report("SimpleCookie.load", shapes, rates, python);
  save(
    "adversarial-input-cookies",
    "Adversarial input: SimpleCookie.load on 65,000-character strings (MB/s, higher is better)",
    r.rows,
    r.goal,
    [
      r.table,
      "MB/s here is 10^6 characters a second. Strings stay under `load`'s limit of 65,536 characters.",
      howMeasured(CHEAP_ROUNDS),
    ],
  );
}

// ---------------------------------------------------------------------------
// Cookie jar: parseNsHeaders and splitHeaderWords

function jarInputs(): { ns: Array<[string, string]>; split: Array<[string, string]> } {
  const n = COOKIE_SIZE;
  const runs: Array<[string, string]> = [
    ["',' run", fill(",", n - 4)],
    ["';' run", fill(";", n - 4)],
    ["space run", fill(" ", n - 4)],
    ["'\"' run", fill('"', n - 4)],
    ["'=' run", fill("=", n - 4)],
    ["tiny pairs 'a=b;'", fill("a=b;", n - 4)],
    ["lone tokens 'a,'", fill("a,", n - 4)],
    ["lone tokens 'abc '", fill("abc ", n - 4)],
    ["a quoted value of escaped quotes", `a="${fill('\\"', n - 8)}"`],
    ["an unterminated quoted value", `a="${fill("\\x", n - 7)}`],
    ["a 65,000-byte token", fill("t", n - 4)],
    ["expires: 65,000 digits", `expires=1 a ${fill("1", n - 16)}`],
    ["expires: spaces, then junk", `expires=1 a 1${fill(" ", n - 19)}x!`],
    ["many expires dates", fill("expires=Wed, 09 Jun 2021 10:18:14 GMT; ", n - 4)],
  ];
  const nsOrdinary = fill(
    "sessionid=38afes7a8b9c0d1e2f3a; Domain=.example.com; Path=/; Expires=Wed, 09 Jun 2021 10:18:14 GMT; Secure; HttpOnly; SameSite=Lax; ",
    n,
  );
  const splitOrdinary = fill(
    'foo="bar baz"; Version="1"; Path="/acme"; Domain=".example.com"; Port="80,8080"; Max-Age=3600, ',
    n,
  );
  return {
    // A cookie first, so parse_ns_headers reads on past the first piece.
    ns: [
      ["ordinary Set-Cookie text (repeated)", nsOrdinary],
      ...runs.map(([k, v]): [string, string] => [k, `a=b;${v}`]),
    ],
    split: [
      ["ordinary Set-Cookie2 text (repeated)", splitOrdinary],
      ...runs.map(([k, v]): [string, string] => [k, `a=b;${v}`]),
    ],
  };
}

const PY_JAR = `
import http.cookiejar as cj
cases = json.load(sys.stdin)
def run(c, text):
    if c["fn"] == "ns": cj.parse_ns_headers([text])
    else: cj.split_header_words([text])
print(json.dumps(measure(cases, lambda c: c["text"], run, ${PYTHON_TIMEOUT_S})))
`;

async function cookiejar(): Promise<void> {
  const { ns, split } = jarInputs();
  const nsShapes: Shape[] = ns.map(([name, text]) => ({
    name: `parseNsHeaders: ${name}`,
    size: text.length,
    run: () => `${parseNsHeaders([text]).length} cookies`,
    expect: /^\d+ cookies$/,
  }));
  const splitShapes: Shape[] = split.map(([name, text]) => ({
    name: `splitHeaderWords: ${name}`,
    size: text.length,
    run: () => `${splitHeaderWords([text]).length} words`,
    expect: /^\d+ words$/,
  }));
  const rates = await measure([...nsShapes, ...splitShapes], CHEAP_ROUNDS);
  const python = runPython(PY_JAR, [
    ...ns.map(([name, text]) => ({ name: `parseNsHeaders: ${name}`, fn: "ns", text })),
    ...split.map(([name, text]) => ({ name: `splitHeaderWords: ${name}`, fn: "split", text })),
  ]);
  const a = report("cookiejar", nsShapes, rates, python);
  const b = report("cookiejar", splitShapes, rates, python);
  save(
    "adversarial-input-cookiejar",
    "Adversarial input: http.cookiejar header parsers on 65,000-character values (MB/s, higher is better)",
    [...a.rows, ...b.rows],
    {
      text: `every input at least 1/3 of the ordinary text's rate, for each parser (parseNsHeaders: ${a.goal.text}; splitHeaderWords: ${b.goal.text})`,
      met: a.goal.met && b.goal.met,
    },
    [
      a.table,
      b.table,
      "MB/s here is 10^6 characters a second. Each input is one header value (a line holds at most 65,536 bytes); the adversarial ones start with `a=b;` so that `parseNsHeaders` reads on past the first piece. `expires` values go through `http2time`. Lone tokens `a,` make one word (a list and a pair) for every two characters, where the ordinary text makes one pair for every 12.",
      howMeasured(CHEAP_ROUNDS),
    ],
  );
}

// ---------------------------------------------------------------------------

const only = process.argv
  .find((a) => a.startsWith("--only="))
  ?.slice(7)
  .split(",");
const sections: Array<[string, () => Promise<void>]> = [
  ["multipart", multipart],
  ["chunks", readerChunks],
  ["cookies", cookies],
  ["cookiejar", cookiejar],
];
const started = Date.now();
for (const [name, run] of sections) if (!only || only.includes(name)) await run();
console.log(`(${((Date.now() - started) / 1000).toFixed(0)} s)`);
