/**
 * Sending a mail with netkit's smtplib, as Python's `smtplib` documentation
 * does it:
 *
 * ```python
 * with smtplib.SMTP("localhost", 8025) as server:
 *     server.set_debuglevel(1)
 *     server.sendmail("alice@example.org", ["bob@example.org"], msg)
 * ```
 *
 * Start a server that prints what it receives, then run the example:
 * `python3 -m smtpd -n -c DebuggingServer 127.0.0.1:8025` (Python 3.11),
 * then `npx tsx examples/smtp_client.ts --port 8025` (`--host` for another
 * machine, `--debug` to see the SMTP dialogue). Any SMTP server will do:
 * the example uses STARTTLS when the server offers it.
 */
import { SMTP } from "../src/smtplib/index.js";
import { isMain, parseEndpoint } from "./_args.js";

/** The message: headers, a blank line, the body (a leading dot is stuffed for you). */
export const MESSAGE = [
  "From: Alice <alice@example.org>",
  "To: Bob <bob@example.org>",
  "Subject: Hello from netkit",
  "",
  "Hello Bob,",
  ".this line starts with a dot",
  "Alice",
  "",
].join("\r\n");

/**
 * Sends MESSAGE to bob@example.org through the server at `host`:`port`;
 * resolves with the lines the program prints.
 */
export async function smtpClient(host: string, port: number, debug = false): Promise<string[]> {
  const lines: string[] = [];
  await using smtp = await SMTP.open(host, port, { timeout: 30 });
  if (debug) smtp.setDebuglevel(1);
  const [code, greeting] = await smtp.ehlo();
  lines.push(`EHLO: ${code} ${greeting.toString("latin1").split("\n")[0]}`);
  if (smtp.hasExtn("starttls")) {
    await smtp.starttls(); // verifies the server's certificate
    await smtp.ehlo();
    lines.push("STARTTLS: the rest of the session is encrypted");
  }
  const refused = await smtp.sendmail("alice@example.org", ["bob@example.org"], MESSAGE);
  lines.push(refused.size === 0 ? "Sent to every recipient." : `Refused: ${[...refused.keys()].join(", ")}`);
  return lines;
}

/** Command-line entry: `smtp_client [--host HOST] [--port PORT] [--debug]`. */
export async function main(argv: string[]): Promise<void> {
  const { host, port, values } = parseEndpoint(
    argv,
    { host: "127.0.0.1", port: 8025 },
    { debug: { type: "boolean" } },
  );
  for (const line of await smtpClient(host, port, values.debug === true)) console.log(line);
}

if (isMain(import.meta.url)) await main(process.argv.slice(2));
