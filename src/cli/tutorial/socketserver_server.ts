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
import { TCPServer } from "../../socketserver/servers.js";
import { parseEndpoint } from "./args.js";

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
 * Serves `Handler` with `Server` on `host:port`, forever (until SIGINT/SIGTERM
 * or `shutdown()`) or for `count` requests, then closes the server.
 */
export async function serve(
  Server: ServerClass,
  host: string,
  port: number,
  options: { count?: number; onListening?: (address: [string, number]) => void } = {},
): Promise<void> {
  const server = new Server([host, port], Handler);
  const stop = () => void server.shutdown();
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  try {
    await server.ready;
    const [boundHost, boundPort] = server.serverAddress;
    options.onListening?.([boundHost, boundPort]);
    if (options.count === undefined) await server.serveForever();
    else for (let i = 0; i < options.count; i++) await server.handleRequest();
  } finally {
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
    await server.serverClose();
  }
}

/** Command-line entry shared by the three socketserver examples. */
export async function runServer(Server: ServerClass, name: string, argv: string[]): Promise<void> {
  const { host, port, values } = parseEndpoint(argv, undefined, { count: { type: "string" } });
  await serve(Server, host, port, {
    ...(values.count !== undefined ? { count: Number(values.count) } : {}),
    onListening: ([h, p]) => console.error(`${name} listening on ${h} port ${p}`),
  });
}
/** Command-line entry: `socketserver-server [--host H] [--port P] [--count N]`. */
export function main(argv: string[]): Promise<void> {
  return runServer(TCPServer, "socketserver_server", argv);
}
