// The floor of the SMTP benchmark, server side: raw node:net, no SMTP. Reads
// messages that each end in CRLF "." CRLF and answers each with one line,
// "250 OK" (what a server must at least do per message: take the bytes in,
// find the end, answer). Prints "PORT <n>"; on SIGTERM "MESSAGES <n>".
//   node raw-message-sink.mjs
import net from "node:net";

const END = Buffer.from("\r\n.\r\n");
const OK = Buffer.from("250 OK\r\n");
let messages = 0;
const server = net.createServer((socket) => {
  let pending = Buffer.alloc(0);
  socket.on("data", (chunk) => {
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    for (let at = pending.indexOf(END); at >= 0; at = pending.indexOf(END)) {
      messages++;
      socket.write(OK);
      pending = pending.subarray(at + END.length);
    }
  });
  socket.on("error", () => {});
});
server.listen({ port: 0, host: "127.0.0.1" }, () => console.log(`PORT ${server.address().port}`));
process.on("SIGTERM", () => {
  console.log(`MESSAGES ${messages}`);
  process.exit(0);
});
