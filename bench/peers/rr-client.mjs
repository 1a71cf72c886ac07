// Request/response load: N connections, each sends a 64-byte line and waits
// for the whole echo before sending the next. Prints {requests, seconds, rps}.
//   node rr-client.mjs PORT [connections=50] [seconds=5] [warmup=1]
import net from "node:net";

const [port, connections = "50", seconds = "5", warmup = "1"] = process.argv.slice(2);
const LINE = Buffer.from(`${"x".repeat(63)}\n`);
let counting = false;
let count = 0;
let stop = false;
const sockets = [];

function run(socket) {
  let got = 0;
  socket.on("data", (d) => {
    got += d.length;
    if (got >= LINE.length) {
      got -= LINE.length;
      if (counting) count++;
      if (!stop) socket.write(LINE);
    }
  });
  socket.write(LINE);
}

await Promise.all(
  Array.from(
    { length: Number(connections) },
    () =>
      new Promise((resolve, reject) => {
        const socket = net.connect(Number(port), "127.0.0.1", () => resolve());
        socket.setNoDelay(true);
        socket.on("error", reject);
        sockets.push(socket);
      }),
  ),
);
for (const s of sockets) run(s);
await new Promise((r) => setTimeout(r, Number(warmup) * 1000));
counting = true;
const started = performance.now();
await new Promise((r) => setTimeout(r, Number(seconds) * 1000));
counting = false;
const elapsed = (performance.now() - started) / 1000;
stop = true;
for (const s of sockets) s.destroy();
console.log(JSON.stringify({ requests: count, seconds: elapsed, rps: count / elapsed }));
