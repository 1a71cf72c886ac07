/**
 * netkit/email/headerregistry and netkit/email/policy: parse a message with
 * the modern policy, read its headers as objects (addresses, dates, content
 * type parameters), then build headers from objects and fold them for SMTP,
 * with encoded words for non-ASCII text, as a mail client does.
 *
 * Python:
 * ```python
 * from email import message_from_bytes, policy
 * from email.headerregistry import Address
 * msg = message_from_bytes(raw, policy=policy.default)
 * for a in msg["to"].addresses: print(a.display_name, a.addr_spec)
 * print(policy.SMTP.fold("To", policy.SMTP.header_factory("To", [Address("Jörg", "joerg", "example.de")])))
 * ```
 *
 * Run: `npx tsx examples/email_headers.ts`
 */

import { Address, AddressHeader, ContentTypeHeader, DateHeader, Group } from "../src/email/headerregistry.js";
import { messageFromBytes } from "../src/email/index.js";
import { defaultPolicy, SMTP } from "../src/email/policy.js";
import { isMain } from "./_args.js";

/** A message as it arrives: an encoded-word display name, a group, a dated header, RFC 2231 parameters. */
export const RAW = Buffer.from(
  [
    "From: =?utf-8?q?J=C3=B6rg_M=C3=BCller?= <joerg@example.de>",
    'To: "Doe, Jane" <jane@example.com>, Team: bob@example.com, eve@example.com;',
    "Date: Mon, 07 Dec 2026 21:56:31 +0100",
    "Subject: =?utf-8?q?Gr=C3=BC=C3=9Fe?= from the team",
    "Content-Type: text/plain; charset=utf-8; name*=utf-8''%E2%82%AC-rates.txt",
    "",
    "Hello",
    "",
  ].join("\r\n"),
);

/** Parses `raw` with the modern policy and describes its headers, one line each. */
export function describeHeaders(raw: Buffer): string[] {
  const msg = messageFromBytes(raw, { policy: defaultPolicy });
  const lines: string[] = [];
  // getAllHeaders gives the header objects (Python's msg.get_all under policy.default).
  for (const name of new Set(msg.keys()))
    for (const h of msg.getAllHeaders(name)) {
      if (h instanceof AddressHeader) {
        for (const g of h.groups) {
          const who = g.addresses.map((a) => `${a.displayName || "-"} <${a.addrSpec}>`).join(", ");
          lines.push(`${name}: ${g.displayName === null ? "" : `group ${g.displayName}: `}${who}`);
        }
      } else if (h instanceof DateHeader) {
        lines.push(`${name}: ${h.datetime?.date.toISOString()} (offset ${h.datetime?.utcoffset}s)`);
      } else if (h instanceof ContentTypeHeader) {
        lines.push(`${name}: ${h.contentType} ${JSON.stringify(h.params)}`);
      } else lines.push(`${name}: ${h}`);
    }
  return lines;
}

/** Builds To and Subject headers from objects and folds them as they go on the wire (CRLF, encoded words). */
export function foldForSmtp(): string {
  const to = SMTP.headerFactory.create("To", [
    new Address({ displayName: "Jörg Müller", username: "joerg", domain: "example.de" }),
    new Group("Team", [new Address({ addrSpec: "bob@example.com" })]),
  ]);
  const subject = SMTP.headerFactory.create(
    "Subject",
    "Grüße aus Köln: the quarterly report is attached, please read it",
  );
  return SMTP.fold("To", to) + SMTP.fold("Subject", subject);
}

if (isMain(import.meta.url)) {
  for (const line of describeHeaders(RAW)) console.log(line);
  process.stdout.write(foldForSmtp());
}
