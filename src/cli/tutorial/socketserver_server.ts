/**
 * The tutorial's server rewritten on socketserver: the loop, accept and close
 * move into `TCPServer`; what is left is the handler.
 *
 * Python (the tutorial):
 * ```python
 * class Handler(StreamRequestHandler):
 *     def handle(self):
 *         addr = self.request.getpeername()
 *         print('Got connection from', addr)
 *         self.wfile.write(b'Thank you for connecting')
 * server = TCPServer(('', 1234), Handler)
 * server.serve_forever()
 * ```
 *
 * Run: `npx tsx examples/socketserver_server.ts [--host H] [--port P] [--count N]`
 * or `netkit socketserver-server`.
 */
import { formatAddress } from "../../socket/address.js";
import { StreamRequestHandler } from "../../socketserver/handlers.js";
import { serveUntilInterrupted } from "../../socketserver/interrupt.js";
import { TCPServer } from "../../socketserver/servers.js";
import { parseCommandLine } from "../args.js";
import { spec } from "../specs.js";
import { endpointOf } from "./args.js";

/** Where the handlers print; the tour points it elsewhere. */
export const output = { print: (line: string) => console.log(line) };

/** The tutorial's handler: greet, thank, done. */
export class Handler extends StreamRequestHandler {
  override async handle(): Promise<void> {
    const addr = this.request.getpeername();
    output.print(`Got connection from ${formatAddress(addr)}`);
    await this.wfile.write(Buffer.from("Thank you for connecting"));
  }
}

/** Any of the tutorial's server classes: TCPServer, ThreadingTCPServer, ForkingTCPServer. */
export type ServerClass = new (address: [string, number], handler: typeof Handler) => TCPServer;

/**
 * Serves `Handler` with `Server` on `host:port`, until Ctrl-C
 * (`serveUntilInterrupted`: Python's message, requests in flight given a
 * few seconds) or `shutdown()`, or for `count` requests; then closes the server.
 */
export async function serve(
  Server: ServerClass,
  host: string,
  port: number,
  options: { count?: number; onListening?: (address: [string, number]) => void } = {},
): Promise<void> {
  const server = new Server([host, port], Handler);
  try {
    await server.ready;
    const listening = () => {
      const [boundHost, boundPort] = server.serverAddress;
      options.onListening?.([boundHost, boundPort]);
    };
    // The banner goes out once Ctrl-C is handled: whoever reads it may press it at once.
    if (options.count === undefined) await serveUntilInterrupted(server, { onServing: listening });
    else {
      listening();
      for (let i = 0; i < options.count; i++) await server.handleRequest();
    }
  } finally {
    await server.serverClose();
  }
}

/** Command-line entry shared by the three socketserver examples (`name`: the command, e.g. `"threading-server"`). */
export async function runServer(Server: ServerClass, name: string, argv: string[]): Promise<void> {
  const args = parseCommandLine(spec(name), argv);
  const { host, port } = endpointOf(args);
  const count = args.number("count");
  await serve(Server, host, port, {
    ...(count !== undefined ? { count } : {}),
    onListening: ([h, p]) => console.error(`${name.replace("-", "_")} listening on ${h} port ${p}`),
  });
}
/** Command-line entry: `socketserver-server [--host H] [--port P] [--count N]`. */
export function main(argv: string[]): Promise<void> {
  return runServer(TCPServer, "socketserver-server", argv);
}
