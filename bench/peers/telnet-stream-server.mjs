// A Telnet server that sends SIZE bytes of session text on each connection,
// then closes: 80-byte lines with an escaped IAC (IAC IAC, a data byte 255)
// in every line and a command (IAC NOP) every fourth line, as a busy
// session's output looks to a client. Prints PORT <n>.
//   node telnet-stream-server.mjs [size=8388608]
import { createServer } from "node:net";

const size = Number(process.argv[2] ?? 8 * 1024 * 1024);
const lines = [];
for (let i = 0; i < 64; i++) {
  const text = Buffer.from(`${String(i).padStart(4, "0")} ${"x".repeat(70)}\r\n`);
  const parts = [text.subarray(0, 10), Buffer.from([255, 255]), text.subarray(10)];
  if (i % 4 === 0) parts.push(Buffer.from([255, 241]));
  lines.push(Buffer.concat(parts));
}
const block = Buffer.concat(lines);
const server = createServer((sock) => {
  sock.on("error", () => {});
  let sent = 0;
  const more = () => {
    while (sent < size) {
      const chunk = block.subarray(0, Math.min(block.length, size - sent));
      sent += chunk.length;
      if (!sock.write(chunk)) return void sock.once("drain", more);
    }
    sock.end();
  };
  more();
});
server.listen(0, "127.0.0.1", () => console.log(`PORT ${server.address().port}`));
process.on("SIGTERM", () => process.exit(0));
