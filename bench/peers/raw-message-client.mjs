// The floor of the SMTP benchmark, client side: raw node:net, no SMTP. Sends
// the message in FILE followed by "." CRLF, waits for the one-line answer,
// and again, over one connection, for SECONDS after 1 s of warm-up: one
// message's bytes up and one line back, the least any SMTP pair must do per
// message. Prints {messages, seconds, rps}.
//   node raw-message-client.mjs PORT FILE [seconds=4]
import { readFileSync } from "node:fs";
import net from "node:net";
// Built by `npm run bench` before it runs anything (see message-measure.ts).
import { measureMessages } from "../../.bench-out/build/bench/peers/message-measure.js";

const [port, path, seconds = "4"] = process.argv.slice(2);
const body = readFileSync(path);
const message = Buffer.concat([
  body,
  Buffer.from(body.subarray(-2).equals(Buffer.from("\r\n")) ? ".\r\n" : "\r\n.\r\n"),
]);
const socket = net.connect({ port: Number(port), host: "127.0.0.1" });
socket.setNoDelay(true);
await new Promise((resolve, reject) => socket.once("connect", resolve).once("error", reject));

let wake;
let lines = 0;
socket.on("data", (chunk) => {
  for (const byte of chunk) if (byte === 0x0a) lines++;
  if (wake) wake();
});
async function send() {
  const want = lines + 1;
  socket.write(message);
  while (lines < want) await new Promise((resolve) => (wake = resolve));
}

const result = await measureMessages(send, Number(seconds));
socket.destroy();
console.log(JSON.stringify(result));
