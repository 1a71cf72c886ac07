// An echo server written the way Python's tutorial writes one: accept, then
// recv/sendall in a loop, on netkit's Socket.
import { Socket } from "../../src/socket/socket.js";

const server = new Socket();
await server.bind(["127.0.0.1", 0]);
await server.listen(128);
console.log(`PORT ${(server.getsockname() as [string, number])[1]}`);
process.on("SIGTERM", () => process.exit(0));
for (;;) {
  const [conn] = await server.accept();
  void (async () => {
    for (;;) {
      const data = await conn.recv(256 * 1024);
      if (data.length === 0) break;
      await conn.sendall(data);
    }
    conn.close();
  })().catch(() => conn.close());
}
