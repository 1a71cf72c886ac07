/**
 * Email parse and generate throughput on a corpus of real-shaped messages
 * (a seeded PRNG builds the same corpus every run): a Received chain and
 * the usual headers (RFC 2047 encoded subjects and names), multipart/mixed
 * holding multipart/alternative (text/plain and text/html,
 * quoted-printable, UTF-8) and base64 attachments (PDF-like and image
 * bytes, 2 KB to 300 KB), some messages forwarded as message/rfc822:
 *
 * - netkit `messageFromBytes` (parse), then `getPayload({ decode: true })`
 *   of every leaf (parse + decode), and `asBytes()` of the parsed messages
 *   (generate);
 * - python3's `email.message_from_bytes`, `get_payload(decode=True)` and
 *   `as_bytes()` under compat32, timed inside python3 (bench/peers/email_parse.py);
 * - the npm `mailparser` (`simpleParser`) and `postal-mime` (`PostalMime.parse`)
 *   packages, which always decode every part (texts to strings, attachments
 *   to bytes): compared with netkit's parse + decode.
 *
 * Before timing, each does the real work: netkit and python3 count the
 * same parts and decoded payload bytes and write back the same number of
 * bytes; each npm parser finds every attachment.
 * Goal (the mail formats issue): at least 5x python3 and ahead of both npm parsers.
 *
 *   npm run bench -- email-parse     (2 s per measurement, best of 3 rounds)
 *
 * MB here is 10^6 bytes of message source.
 */
import { strictEqual } from "node:assert";
import { spawnSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { simpleParser } from "mailparser";
import PostalMime from "postal-mime";
import { messageFromBytes } from "../src/email/index.js";
import type { Message } from "../src/email/message.js";
import { bestRate, bestRateAsync, machine, OUT_DIR, PEERS, prng, type Row, record } from "./_lib.js";

const seconds = Number(process.argv[2] ?? 2);
const rounds = Number(process.argv[3] ?? 3);

// ---------------------------------------------------------------------------
// The corpus

const rand = prng(0xe4a11);
const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
const WORDS = [
  "meeting",
  "invoice",
  "report",
  "quarterly",
  "café",
  "naïve",
  "données",
  "straße",
  "東京",
  "the",
  "and",
  "of",
  "budget",
  "review",
  "please",
  "find",
  "attached",
];
const words = (n: number) => Array.from({ length: n }, () => pick(WORDS)).join(" ");

function qp(text: string): string {
  const bytes = Buffer.from(text, "utf8");
  let out = "";
  let line = 0;
  for (const b of bytes) {
    const piece =
      b === 0x0a
        ? "\n"
        : b > 126 || b === 0x3d
          ? `=${b.toString(16).toUpperCase().padStart(2, "0")}`
          : String.fromCharCode(b);
    if (piece === "\n") line = 0;
    else if (line + piece.length > 75) {
      out += "=\n";
      line = 0;
    }
    out += piece;
    if (piece !== "\n") line += piece.length;
  }
  return out;
}

const b64 = (b: Buffer) => b.toString("base64").replace(/.{76}/g, "$&\n");
const encWord = (s: string) => `=?utf-8?b?${Buffer.from(s).toString("base64")}?=`;

function randomBytes(n: number): Buffer {
  const b = Buffer.allocUnsafe(n);
  for (let i = 0; i < n; i++) b[i] = int(0, 255);
  return b;
}

function body(id: number, attachments: number): string {
  const text = Array.from({ length: int(5, 40) }, () => words(int(4, 14))).join("\n");
  const html = `<html><body>${text
    .split("\n")
    .map((l) => `<p>${l}</p>`)
    .join("\n")}</body></html>`;
  let out = `Content-Type: multipart/mixed; boundary="mixed-${id}"\n\nThis is a multi-part message in MIME format.\n\n`;
  out += `--mixed-${id}\nContent-Type: multipart/alternative; boundary="alt-${id}"\n\n`;
  out += `--alt-${id}\nContent-Type: text/plain; charset="utf-8"\nContent-Transfer-Encoding: quoted-printable\n\n${qp(text)}\n`;
  out += `--alt-${id}\nContent-Type: text/html; charset="utf-8"\nContent-Transfer-Encoding: quoted-printable\n\n${qp(html)}\n--alt-${id}--\n`;
  for (let a = 0; a < attachments; a++) {
    const kind = pick(["application/pdf", "image/png", "image/jpeg", "application/octet-stream"]);
    const name = `${pick(WORDS)}-${a}.${kind.split("/")[1]}`;
    out += `\n--mixed-${id}\nContent-Type: ${kind}; name="${name}"\nContent-Disposition: attachment; filename="${name}"\nContent-Transfer-Encoding: base64\n\n${b64(randomBytes(int(2_000, 300_000)))}\n`;
  }
  return `${out}--mixed-${id}--\n`;
}

function headers(id: number): string {
  let h = "";
  for (let i = 0; i < int(2, 6); i++) {
    h += `Received: from mx${i}.example.net (mx${i}.example.net [192.0.2.${i}])\n\tby mail.example.org (Postfix) with ESMTPS id ${id}X${i}\n\tfor <user@example.org>; Mon, 7 Dec 2026 10:${String(i).padStart(2, "0")}:00 +0000\n`;
  }
  h += `From: ${encWord(words(2))} <sender${id}@example.com>\nTo: user@example.org, "Team List" <team@example.org>\n`;
  h += `Subject: ${encWord(words(int(3, 8)))}\nDate: Mon, 7 Dec 2026 10:00:00 +0000\nMessage-ID: <${id}.${int(1, 1e9)}@example.com>\nMIME-Version: 1.0\n`;
  return h;
}

const corpus: Buffer[] = [];
for (let id = 0; id < 60; id++) {
  let msg = headers(id) + body(id, int(0, 3));
  if (id % 10 === 9) {
    msg = `${headers(id + 1000)}Content-Type: multipart/mixed; boundary="fwd-${id}"\n\n--fwd-${id}\nContent-Type: text/plain\n\nForwarded.\n\n--fwd-${id}\nContent-Type: message/rfc822\n\n${msg}\n--fwd-${id}--\n`;
  }
  corpus.push(Buffer.from(msg.replace(/\n/g, "\r\n"), "utf8"));
}
const total = corpus.reduce((n, b) => n + b.length, 0);
const MB = total / 1e6;

// ---------------------------------------------------------------------------
// Checks

function parseDecode(): [number, number] {
  let parts = 0;
  let decoded = 0;
  for (const b of corpus) {
    for (const part of messageFromBytes(b).walk()) {
      parts++;
      if (!part.isMultipart()) decoded += part.getPayload({ decode: true })?.length ?? 0;
    }
  }
  return [parts, decoded];
}
const parsed: Message[] = corpus.map((b) => messageFromBytes(b));
const [parts, decoded] = parseDecode();
const generated = parsed.reduce((n, m) => n + m.asBytes().length, 0);

const dir = join(OUT_DIR, "email-corpus");
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
for (const [i, b] of corpus.entries()) writeFileSync(join(dir, `${i}.eml`), b);

// Each npm parser finds every attachment of the messages that are not forwarded
// (they differ on what a forwarded message/rfc822 part counts as).
let attachments = 0;
let direct = 0;
let mpAttachments = 0;
let pmAttachments = 0;
for (const [i, b] of corpus.entries()) {
  const n = (b.toString("latin1").match(/Content-Disposition: attachment/g) ?? []).length;
  attachments += n;
  if (i % 10 === 9) continue;
  direct += n;
  mpAttachments += (await simpleParser(b)).attachments.length;
  pmAttachments += (await PostalMime.parse(b)).attachments.length;
}
strictEqual(mpAttachments, direct, "mailparser found a different number of attachments");
strictEqual(pmAttachments, direct, "postal-mime found a different number of attachments");

// ---------------------------------------------------------------------------
// Timing

const rate = (fn: () => unknown) => bestRate(fn, { seconds, rounds, warmup: 2 });
const rateAsync = (fn: () => Promise<unknown>) => bestRateAsync(fn, { seconds, rounds, warmup: 2 });

const started = Date.now();
const loadAtStart = loadavg()[0]!;
const py = spawnSync("python3", [join(PEERS, "email_parse.py"), dir, String(seconds), String(rounds)], {
  encoding: "utf8",
  timeout: 600_000,
});
if (py.status !== 0) throw new Error(`python3 failed: ${py.stderr}`);
const pyRates = JSON.parse(py.stdout.trim().split("\n").pop()!) as {
  parts: number;
  decoded: number;
  bytes: number;
  generated: number;
  parse: number;
  parse_decode: number;
  generate: number;
};
strictEqual(pyRates.bytes, total, "python3 read a different corpus");
strictEqual(pyRates.parts, parts, "python3 found a different number of parts");
strictEqual(pyRates.decoded, decoded, "python3 decoded a different number of bytes");
strictEqual(pyRates.generated, generated, "python3 wrote back a different number of bytes");

const netkitParse = rate(() => corpus.map((b) => messageFromBytes(b)));
const netkitParseDecode = rate(parseDecode);
const netkitGenerate = rate(() => parsed.map((m) => m.asBytes()));
const mailparser = await rateAsync(async () => {
  for (const b of corpus) await simpleParser(b);
});
const postalMime = await rateAsync(async () => {
  for (const b of corpus) await PostalMime.parse(b);
});

const rows: Row[] = [
  {
    name: "netkit messageFromBytes + decode every part",
    value: netkitParseDecode * MB,
    unit: "MB/s",
    netkit: true,
  },
  { name: "python3 message_from_bytes + decode", value: pyRates.parse_decode * MB, unit: "MB/s" },
  { name: "npm mailparser simpleParser", value: mailparser * MB, unit: "MB/s" },
  { name: "npm postal-mime PostalMime.parse", value: postalMime * MB, unit: "MB/s" },
  { name: "netkit messageFromBytes (parse only)", value: netkitParse * MB, unit: "MB/s", netkit: true },
  { name: "python3 message_from_bytes (parse only)", value: pyRates.parse * MB, unit: "MB/s" },
  { name: "netkit asBytes (generate)", value: netkitGenerate * MB, unit: "MB/s", netkit: true },
  { name: "python3 as_bytes (generate)", value: pyRates.generate * MB, unit: "MB/s" },
];
const decodeRatio = netkitParseDecode / pyRates.parse_decode;
const parseRatio = netkitParse / pyRates.parse;
const generateRatio = netkitGenerate / pyRates.generate;
const aheadOfNpm = netkitParseDecode > mailparser && netkitParseDecode > postalMime;
record({
  bench: "email-parse",
  title: `Email parse and generate of ${corpus.length} real-shaped messages, ${MB.toFixed(1)} MB (MB/s, higher is better)`,
  better: "higher",
  command: "npm run bench -- email-parse",
  date: new Date().toISOString().slice(0, 10),
  machine: machine(),
  rows,
  goal: {
    text: `at least 5x python3 and ahead of both npm parsers (parse + decode ${decodeRatio.toFixed(1)}x python3, parse only ${parseRatio.toFixed(1)}x, generate ${generateRatio.toFixed(1)}x; ${(netkitParseDecode / mailparser).toFixed(1)}x mailparser, ${(netkitParseDecode / postalMime).toFixed(1)}x postal-mime)`,
    met: decodeRatio >= 5 && parseRatio >= 5 && aheadOfNpm,
  },
  notes: [
    `The corpus: ${corpus.length} messages, ${total.toLocaleString("en-US")} bytes, ${parts} parts, ${attachments} base64 attachments (2 KB to 300 KB), ${decoded.toLocaleString("en-US")} payload bytes decoded; CRLF line ends.`,
    "mailparser and postal-mime always decode every part (texts to strings, attachments to bytes), so they are compared with netkit's parse + decode; python3 and netkit also show parse alone and generate.",
    `Load average (1 min) at the start and end of the run: ${loadAtStart.toFixed(2)}, ${loadavg()[0]!.toFixed(2)} (2 cores; other work on the machine makes the numbers noisier).`,
  ],
});
console.log(`(${((Date.now() - started) / 1000).toFixed(1)} s)`);
