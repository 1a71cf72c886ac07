// The floor of one FETCH per message: raw node:net, no IMAP parsing beyond
// finding the tagged OK line with a regular expression: LOGIN, EXAMINE,
// then COUNT times `FETCH n (RFC822)` and wait for its completion, after a
// warm-up over the first 50. Prints {messages, seconds, rps}.
//   node imap-raw-client.mjs PORT USER PASSWORD COUNT
import net from "node:net";

const [port, user, pass, count] = process.argv.slice(2);
const s = net.connect(Number(port), "127.0.0.1");
let buf = "";
let waiter = null;
s.on("data", (d) => {
  buf += d.toString("latin1");
  if (waiter) waiter();
});
const until = (re) =>
  new Promise((res) => {
    const check = () => {
      const m = re.exec(buf);
      if (m) {
        buf = buf.slice(m.index + m[0].length);
        waiter = null;
        res();
      } else waiter = check;
    };
    check();
  });
await until(/\r\n/);
let tag = 0;
const cmd = async (c) => {
  const t = `A${tag++}`;
  s.write(`${t} ${c}\r\n`);
  await until(new RegExp(`${t} OK[^\\r]*\\r\\n`));
};
await cmd(`LOGIN ${user} ${pass}`);
await cmd("EXAMINE INBOX");
for (let i = 1; i <= 50; i++) await cmd(`FETCH ${i} (RFC822)`);
const t0 = performance.now();
for (let i = 1; i <= Number(count); i++) await cmd(`FETCH ${i} (RFC822)`);
const seconds = (performance.now() - t0) / 1000;
console.log(JSON.stringify({ messages: Number(count), seconds, rps: Number(count) / seconds }));
s.end();
