// netkit's imaplib fetching COUNT messages (RFC822) from the INBOX of USER
// at 127.0.0.1:PORT, EXAMINEd (read-only: no \Seen set), over one
// connection, after a warm-up over the first 50. MODE "each": one FETCH
// per message (Python's usual loop); "all": one FETCH 1:COUNT. Every
// message's size is checked. Prints {messages, seconds, rps}.
//   node imap-netkit-client.js PORT USER PASSWORD COUNT SIZE MODE
import { IMAP4 } from "../../src/imaplib/index.js";

const [port, user, password, countText, sizeText, mode] = process.argv.slice(2);
const count = Number(countText);
const size = Number(sizeText);
const M = await IMAP4.open("127.0.0.1", Number(port), { timeout: 60 });
await M.login(user!, password!);
await M.select("INBOX", true);

function check(data: unknown[], expected: number): void {
  let n = 0;
  for (const d of data) {
    if (!Array.isArray(d)) continue;
    if ((d[1] as Buffer).length !== size) throw new Error(`a message of ${(d[1] as Buffer).length} bytes`);
    n++;
  }
  if (n !== expected) throw new Error(`fetched ${n} messages, expected ${expected}`);
}

for (let i = 1; i <= 50; i++) check((await M.fetch(String(i), "(RFC822)"))[1], 1);
const start = performance.now();
if (mode === "all") check((await M.fetch(`1:${count}`, "(RFC822)"))[1], count);
else for (let i = 1; i <= count; i++) check((await M.fetch(String(i), "(RFC822)"))[1], 1);
const seconds = (performance.now() - start) / 1000;
await M.logout();
console.log(JSON.stringify({ messages: count, seconds, rps: count / seconds }));
