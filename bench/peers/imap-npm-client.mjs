// The npm imapflow package fetching COUNT messages (source, the RFC822
// bytes) from the INBOX of USER at 127.0.0.1:PORT, opened read-only, over
// one connection, after a warm-up over the first 50. MODE "each":
// fetchOne() per message; "all": one fetch("1:COUNT") iterated. Every
// message's size is checked. Prints {messages, seconds, rps}.
//   node imap-npm-client.mjs PORT USER PASSWORD COUNT SIZE MODE
import { ImapFlow } from "imapflow";

const [port, user, pass, countText, sizeText, mode] = process.argv.slice(2);
const count = Number(countText);
const size = Number(sizeText);
const client = new ImapFlow({
  host: "127.0.0.1",
  port: Number(port),
  secure: false,
  doSTARTTLS: false,
  auth: { user, pass },
  logger: false,
});
await client.connect();
await client.mailboxOpen("INBOX", { readOnly: true });

function check(msg) {
  if (msg.source.length !== size) throw new Error(`a message of ${msg.source.length} bytes`);
}

for (let i = 1; i <= 50; i++) check(await client.fetchOne(String(i), { source: true }));
const start = performance.now();
let n = 0;
if (mode === "all") {
  for await (const msg of client.fetch(`1:${count}`, { source: true })) {
    check(msg);
    n++;
  }
} else {
  for (let i = 1; i <= count; i++) {
    check(await client.fetchOne(String(i), { source: true }));
    n++;
  }
}
const seconds = (performance.now() - start) / 1000;
if (n !== count) throw new Error(`fetched ${n} messages, expected ${count}`);
await client.logout();
console.log(JSON.stringify({ messages: count, seconds, rps: count / seconds }));
