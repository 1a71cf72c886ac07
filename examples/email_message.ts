/**
 * netkit/email: build a message with the MIME classes (a text and an HTML
 * version of the body, a PNG attachment), write it as bytes, then parse
 * those bytes back and list the parts, as a mail client or a server that
 * files messages does.
 *
 * Python:
 * ```python
 * msg = MIMEMultipart("mixed"); body = MIMEMultipart("alternative")
 * body.attach(MIMEText(text)); body.attach(MIMEText(html, "html")); msg.attach(body)
 * msg.attach(MIMEImage(png_bytes, name="dot.png"))
 * parsed = email.message_from_bytes(msg.as_bytes())
 * for part in parsed.walk(): print(part.get_content_type(), part.get_filename())
 * ```
 *
 * Run: `npx tsx examples/email_message.ts`
 */
import { messageFromBytes } from "../src/email/index.js";
import { MIMEImage, MIMEMultipart, MIMEText } from "../src/email/mime/index.js";
import { formataddr, formatdate, makeMsgid } from "../src/email/utils.js";
import { isMain } from "./_args.js";

/** A 1x1 PNG: its first bytes tell MIMEImage the type. */
export const DOT_PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
  "base64",
);

/** Builds the message and returns its bytes (CRLF line ends, as it goes on the wire). */
export function buildMessage(): Buffer {
  const msg = new MIMEMultipart("mixed");
  msg.set("From", formataddr(["Jörg Müller", "joerg@example.org"]));
  msg.set("To", "team@example.org");
  msg.set("Subject", "Quarterly report");
  msg.set("Date", formatdate(1_700_000_000));
  msg.set("Message-ID", makeMsgid(null, "example.org"));
  const body = new MIMEMultipart("alternative");
  body.attach(new MIMEText("Hello team,\nthe report is attached.\n"));
  body.attach(new MIMEText("<p>Hello team,<br>the report is <b>attached</b>. Grüße!</p>\n", "html"));
  msg.attach(body);
  const image = new MIMEImage(DOT_PNG);
  image.addHeader("Content-Disposition", "attachment", { filename: "dot.png" });
  msg.attach(image);
  return msg.asBytes({ policy: msg.policy.clone({ linesep: "\r\n" }) });
}

/** Parses message bytes and describes each part: its type, filename and decoded size. */
export function describe(bytes: Buffer): string[] {
  const msg = messageFromBytes(bytes);
  const lines = [`${msg.get("subject")} from ${msg.get("from")}`];
  for (const part of msg.walk()) {
    const size = part.isMultipart() ? "" : ` ${part.getPayload({ decode: true })?.length ?? 0} bytes`;
    const name = part.getFilename();
    lines.push(`${part.getContentType()}${name ? ` (${name})` : ""}${size}`);
  }
  return lines;
}

if (isMain(import.meta.url)) {
  const bytes = buildMessage();
  console.log(bytes.toString("latin1"));
  for (const line of describe(bytes)) console.log(line);
}
