// Raw node:net echo server (pipe: Node's own backpressure): the baseline
// every netkit server is measured against.
import net from "node:net";

const server = net.createServer((socket) => {
  socket.pipe(socket);
  socket.on("error", () => {});
});
server.listen({ port: 0, host: "127.0.0.1", backlog: 4096 }, () =>
  console.log(`PORT ${server.address().port}`),
);
process.on("SIGTERM", () => process.exit(0));
