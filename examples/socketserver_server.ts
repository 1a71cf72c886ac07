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
 * Run: `npx tsx examples/socketserver_server.ts [--host H] [--port P] [--count N]` or `netkit socketserver-server`.
 *
 * The program is src/cli/tutorial/socketserver_server.ts: it lives there so that
 * `netkit socketserver-server` runs it from the published package, which never loads
 * the examples; this file runs it from the repository.
 */
import { main } from "../src/cli/tutorial/socketserver_server.js";
import { isMain } from "./_args.js";

export * from "../src/cli/tutorial/socketserver_server.js";

if (isMain(import.meta.url)) await main(process.argv.slice(2));
