/**
 * An SMTP server that files each message it receives in a folder, one
 * `.eml` file per message, the way Python's `smtpd` documentation suggests
 * subclassing `SMTPServer`:
 *
 * Python:
 * ```python
 * class Filer(smtpd.SMTPServer):
 *     def process_message(self, peer, mailfrom, rcpttos, data, **kwargs):
 *         path = os.path.join(folder, "%d.eml" % time.time_ns())
 *         with open(path, "wb") as f:
 *             f.write(data)
 *         print("%s -> %s: %s" % (mailfrom, ", ".join(rcpttos), path))
 * server = Filer(("127.0.0.1", 8025), None)
 * asyncore.loop()
 * ```
 *
 * Run: `npx tsx examples/smtp_server.ts [--host 127.0.0.1] [--port 8025] [--dir mail]`,
 * then send it a message: `swaks --server 127.0.0.1:8025 --to you@example.org`, or
 * from Python: `smtplib.SMTP("127.0.0.1", 8025).sendmail("me@x", ["you@x"], "Subject: hi\r\n\r\nhello")`.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type MessageData, SMTPServer } from "../src/smtpd/index.js";
import type { Address } from "../src/socket/address.js";
import { serveUntilInterrupted } from "../src/socketserver/index.js";
import { isMain, parseEndpoint } from "./_args.js";

const CRLF = Buffer.from("\r\n");

/** Files every message under `folder` and logs one line for it. */
export class Filer extends SMTPServer {
  folder = "mail";
  log: (line: string) => void = (line) => console.log(line);
  #count = 0;

  override processMessage(_peer: Address | null, mailfrom: string, rcpttos: string[], data: MessageData) {
    mkdirSync(this.folder, { recursive: true });
    const path = join(this.folder, `${Date.now()}-${++this.#count}.eml`);
    // Lines reach processMessage joined by LF, as Python's; files on disk use CRLF as mail
    // does. Split as bytes, so a message in any charset is filed as it came.
    const bytes = typeof data === "string" ? Buffer.from(data) : data;
    const lines: Buffer[] = [];
    for (let start = 0; start <= bytes.length; ) {
      const lf = bytes.indexOf(0x0a, start);
      const end = lf < 0 ? bytes.length : lf;
      lines.push(bytes.subarray(start, end), CRLF);
      start = end + 1;
    }
    writeFileSync(path, Buffer.concat(lines));
    this.log(`${mailfrom} -> ${rcpttos.join(", ")}: ${path}`);
  }
}

/** Command-line entry: serves until Ctrl-C. */
export async function main(argv: string[]): Promise<void> {
  const { host, port, values } = parseEndpoint(
    argv,
    { host: "127.0.0.1", port: 8025 },
    { dir: { type: "string" } },
  );
  const folder = typeof values.dir === "string" ? values.dir : "mail";
  const server = new Filer([host, port], null);
  server.folder = folder;
  try {
    await server.ready;
    await serveUntilInterrupted(server, {
      onServing: () =>
        console.log(
          `SMTP on ${server.serverAddress[0]}:${server.serverAddress[1]}, filing to ${folder}/ (Ctrl-C to stop)`,
        ),
    });
  } finally {
    await server.serverClose();
  }
}

if (isMain(import.meta.url)) await main(process.argv.slice(2));
