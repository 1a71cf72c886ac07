/**
 * The socketserver example with `ForkingMixIn`: connections are spread over a
 * pool of worker processes. This script runs once as the primary, which
 * listens, and once in each worker, which serves; `server.isWorker` tells them apart.
 *
 * Python: `class Server(ForkingMixIn, TCPServer): pass`
 *
 * Run: `npx tsx examples/forking_server.ts [--host H] [--port P]` or `netkit forking-server`.
 */
import { ForkingMixIn } from "../../socketserver/forking.js";
import { TCPServer } from "../../socketserver/servers.js";
import { runServer } from "./socketserver_server.js";

/** `ForkingMixIn(TCPServer)`, as the tutorial builds it. */
export class Server extends ForkingMixIn(TCPServer) {}

/** Command-line entry: `forking-server [--host H] [--port P]`. */
export function main(argv: string[]): Promise<void> {
  return runServer(Server, "forking-server", argv);
}
