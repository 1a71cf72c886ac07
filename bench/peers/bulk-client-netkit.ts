// Streams TOTAL bytes through an echo server with netkit's Socket
// (sendall in one task, recv in another) and times the round trip.
//   tsx bulk-client-netkit.ts PORT [mebibytes=256]
import { Socket } from "../../src/socket/socket.js";

const [port, mib = "256"] = process.argv.slice(2);
const total = Number(mib) * 1024 * 1024;
const chunk = Buffer.alloc(256 * 1024, 7);
const sock = new Socket();
await sock.connect(["127.0.0.1", Number(port)]);
const started = performance.now();
const sending = (async () => {
  for (let sent = 0; sent < total; sent += chunk.length) await sock.sendall(chunk);
})();
let received = 0;
while (received < total) {
  const data = await sock.recv(1024 * 1024);
  if (data.length === 0) break;
  received += data.length;
}
await sending;
const seconds = (performance.now() - started) / 1000;
sock.close();
console.log(JSON.stringify({ bytes: received, seconds, mbps: received / 1e6 / seconds }));
