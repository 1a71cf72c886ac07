/**
 * The socketserver example with `ThreadingMixIn`: each client is served
 * concurrently (tasks on the event loop), so a slow client does not hold up
 * the next.
 *
 * Python: `class Server(ThreadingMixIn, TCPServer): pass`
 *
 * Run: `npx tsx examples/threading_server.ts [--host H] [--port P]` or `netkit threading-server`.
 */
import { TCPServer } from "../../socketserver/servers.js";
import { ThreadingMixIn } from "../../socketserver/threading.js";
import { runServer } from "./socketserver_server.js";

/** `ThreadingMixIn(TCPServer)`, as the tutorial builds it. */
export class Server extends ThreadingMixIn(TCPServer) {}

/** Command-line entry: `threading-server [--host H] [--port P] [--count N]`. */
export function main(argv: string[]): Promise<void> {
  return runServer(Server, "threading-server", argv);
}
