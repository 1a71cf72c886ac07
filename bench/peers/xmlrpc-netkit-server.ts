// netkit's SimpleXMLRPCServer serving add(a, b), as a user runs it (compiled
// JavaScript), set up as the python3 peer is: logRequests off, and a
// request handler that keeps connections open (netkit's handler speaks
// HTTP/1.1, but on this one-client-at-a-time server it closes idle
// connections unless keepAliveAllowed() says otherwise, as Python's
// HTTP/1.0 handler does; the python3 peer's handler speaks HTTP/1.1 too).
// Prints "PORT <n>"; on SIGTERM prints "CONNECTIONS <n>" (connections
// accepted) and exits.
//   node xmlrpc-netkit-server.js
import { SimpleXMLRPCRequestHandler, SimpleXMLRPCServer } from "../../src/xmlrpc/server.js";

class Handler extends SimpleXMLRPCRequestHandler {
  override keepAliveAllowed(): boolean {
    return true;
  }
}

let connections = 0;
class Server extends SimpleXMLRPCServer {
  override async getRequest() {
    const request = await super.getRequest();
    connections++;
    return request;
  }
}
const server = new Server(["127.0.0.1", 0], { logRequests: false, requestHandler: Handler });
server.registerFunction((a: number, b: number) => a + b, "add");
await server.ready;
console.log(`PORT ${server.serverAddress[1]}`);
process.on("SIGTERM", () => {
  console.log(`CONNECTIONS ${connections}`);
  process.exit(0);
});
await server.serveForever();
