// netkit's ThreadingTCPServer + StreamRequestHandler echo (readline/write), as in src/cli/tutorial/echo_server.ts (netkit echo-server).
import { EchoHandler } from "../../src/cli/tutorial/echo_server.js";
import { ThreadingTCPServer } from "../../src/socketserver/threading.js";

class Server extends ThreadingTCPServer {
  override requestQueueSize = 4096;
}
const server = new Server(["127.0.0.1", 0], EchoHandler);
await server.ready;
console.log(`PORT ${server.serverAddress[1]}`);
process.on("SIGTERM", () => process.exit(0));
await server.serveForever();
