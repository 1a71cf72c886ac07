// Streams TOTAL bytes through an echo server with node:net and times the round trip.
//   node bulk-client-raw.mjs PORT [mebibytes=256]
import net from "node:net";

const [port, mib = "256"] = process.argv.slice(2);
const total = Number(mib) * 1024 * 1024;
const chunk = Buffer.alloc(256 * 1024, 7);
const socket = net.connect(Number(port), "127.0.0.1");
await new Promise((r) => socket.once("connect", r));
const started = performance.now();
let received = 0;
const done = new Promise((resolve) => {
  socket.on("data", (d) => {
    received += d.length;
    if (received >= total) resolve();
  });
});
let sent = 0;
while (sent < total) {
  sent += chunk.length;
  if (!socket.write(chunk)) await new Promise((r) => socket.once("drain", r));
}
await done;
const seconds = (performance.now() - started) / 1000;
socket.destroy();
console.log(JSON.stringify({ bytes: received, seconds, mbps: received / 1e6 / seconds }));
