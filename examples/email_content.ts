/**
 * netkit/email's modern API: build an EmailMessage from content (a text
 * body, an HTML alternative, a PDF attachment), write it as bytes, parse
 * those back and find the body and the attachments, as a mail client does.
 *
 * Python:
 * ```python
 * msg = EmailMessage(); msg['Subject'] = 'Report'
 * msg.set_content(text); msg.add_alternative(html, subtype='html')
 * msg.add_attachment(pdf, maintype='application', subtype='pdf', filename='report.pdf')
 * got = email.message_from_bytes(msg.as_bytes(), policy=email.policy.default)
 * got.get_body(('html', 'plain')).get_content(); [a.get_filename() for a in got.iter_attachments()]
 * ```
 *
 * Run: `npx tsx examples/email_content.ts`
 */
import { EmailMessage, messageFromBytes } from "../src/email/index.js";
import { isMain } from "./_args.js";

/** A tiny PDF-looking attachment. */
export const REPORT = Buffer.from("%PDF-1.4\n% netkit example\n%%EOF\n");

/** Builds the message and returns its bytes. */
export function buildReport(): Buffer {
  const msg = new EmailMessage();
  msg.set("From", "Ann <ann@example.org>");
  msg.set("To", "team@example.org");
  msg.set("Subject", "Quarterly report");
  msg.setContent("Hello team,\nthe report is attached. Grüße!\n");
  msg.addAlternative("<p>Hello team,<br>the report is <b>attached</b>. Grüße!</p>\n", { subtype: "html" });
  msg.addAttachment(REPORT, { maintype: "application", subtype: "pdf", filename: "report.pdf" });
  return msg.asBytes();
}

/** Parses message bytes: the preferred body's type and text, then each attachment's name, type and size. */
export function readReport(bytes: Buffer): string[] {
  const msg = messageFromBytes(bytes, { factory: EmailMessage }) as EmailMessage;
  const body = msg.getBody(["html", "plain"]);
  const lines = [`body: ${body?.getContentType()}: ${String(body?.getContent()).trim()}`];
  for (const part of msg.iterAttachments()) {
    const data = part.getContent() as Buffer;
    lines.push(`attachment: ${part.getFilename()} ${part.getContentType()} ${data.length} bytes`);
  }
  return lines;
}

if (isMain(import.meta.url)) {
  const bytes = buildReport();
  console.log(bytes.toString("utf8"));
  for (const line of readReport(bytes)) console.log(line);
}
