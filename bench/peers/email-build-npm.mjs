// nodemailer's MailComposer building the email-build corpus (same content:
// text, HTML alternative, attachments), timed here, as python3's peer is.
//
//   node email-build-npm.mjs SPEC_DIR [seconds=2] [rounds=3]
//
// Prints one JSON line: {"rate"} (corpus passes per second, each message
// compiled and built to a Buffer). It times with bench/_lib.ts's
// bestRateAsync, importing the compiled copy
// (.bench-out/build/bench/_lib.js), which `npm run bench` builds before any
// benchmark runs.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import MailComposer from "nodemailer/lib/mail-composer";
import { bestRateAsync } from "../../.bench-out/build/bench/_lib.js";

const [dir, secondsArg, roundsArg] = process.argv.slice(2);
const seconds = Number(secondsArg ?? 2);
const rounds = Number(roundsArg ?? 3);
const spec = JSON.parse(readFileSync(join(dir, "spec.json"), "utf8"));
const files = new Map();
for (const m of spec) for (const [f] of m.attachments) files.set(f, readFileSync(join(dir, f)));

async function run() {
  for (const m of spec) {
    const composer = new MailComposer({
      from: m.from,
      to: m.to,
      subject: m.subject,
      text: m.text,
      html: m.html,
      attachments: m.attachments.map(([f, maintype, subtype, filename]) => ({
        filename,
        content: files.get(f),
        contentType: `${maintype}/${subtype}`,
      })),
    });
    await composer.compile().build();
  }
}

const best = await bestRateAsync(run, { seconds, rounds, warmup: 1 });
console.log(JSON.stringify({ rate: best }));
