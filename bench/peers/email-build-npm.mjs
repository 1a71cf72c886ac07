// nodemailer's MailComposer building the email-build corpus (same content:
// text, HTML alternative, attachments), timed here, as python3's peer is.
//
//   node email-build-npm.mjs SPEC_DIR [seconds=2] [rounds=3]
//
// Prints one JSON line: {"rate"} (corpus passes per second, each message
// compiled and built to a Buffer).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import MailComposer from "nodemailer/lib/mail-composer";

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

await run();
let best = 0;
for (let r = 0; r < rounds; r++) {
  let n = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < seconds * 1000) {
    await run();
    n++;
    elapsed = performance.now() - start;
  }
  best = Math.max(best, (n * 1000) / elapsed);
}
console.log(JSON.stringify({ rate: best }));
