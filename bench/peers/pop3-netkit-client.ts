// netkit's poplib retrieving COUNT messages (RETR, one at a time, as
// Python's loop does) from the mailbox of USER at 127.0.0.1:PORT over one
// connection, after a warm-up over the first 50. Every message's size is
// checked (octets). The session ends with RSET and QUIT, so nothing is
// deleted. Prints {messages, seconds, rps}.
//   node pop3-netkit-client.js PORT USER PASSWORD COUNT SIZE
import { POP3 } from "../../src/poplib/index.js";

const [port, user, password, countText, sizeText] = process.argv.slice(2);
const count = Number(countText);
const size = Number(sizeText);
const M = await POP3.open("127.0.0.1", Number(port), { timeout: 60 });
await M.user(user!);
await M.pass(password!);

async function check(i: number): Promise<void> {
  const [, , octets] = await M.retr(i);
  if (octets !== size) throw new Error(`message ${i}: ${octets} octets`);
}

for (let i = 1; i <= 50; i++) await check(i);
const start = performance.now();
for (let i = 1; i <= count; i++) await check(i);
const seconds = (performance.now() - start) / 1000;
await M.rset();
await M.quit();
console.log(JSON.stringify({ messages: count, seconds, rps: count / seconds }));
