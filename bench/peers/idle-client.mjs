// Opens N connections to an echo server, sends one line on each and waits for
// its echo (so the server's handler is running), then holds them all idle
// until told to stop on stdin. Prints {open} once all are established.
//   node idle-client.mjs PORT [connections=10000]
import net from "node:net";

const [port, n = "10000"] = process.argv.slice(2);
const total = Number(n);
const sockets = [];
const BATCH = 250;
for (let i = 0; i < total; i += BATCH) {
  await Promise.all(
    Array.from(
      { length: Math.min(BATCH, total - i) },
      () =>
        new Promise((resolve, reject) => {
          const socket = net.connect(Number(port), "127.0.0.1");
          const timer = setTimeout(() => reject(new Error("connection timed out")), 30_000);
          socket.once("error", reject);
          socket.once("data", () => {
            clearTimeout(timer);
            resolve();
          });
          socket.write("hello\n");
          sockets.push(socket);
        }),
    ),
  );
}
console.log(JSON.stringify({ open: sockets.length }));
process.stdin.once("data", () => {
  for (const s of sockets) s.destroy();
  process.exit(0);
});
