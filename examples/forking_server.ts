/**
 * The socketserver example with `ForkingMixIn`: connections are spread over a
 * pool of worker processes. This script runs once as the primary, which
 * listens, and once in each worker, which serves; `server.isWorker` tells them apart.
 *
 * Python: `class Server(ForkingMixIn, TCPServer): pass`
 *
 * Run: `npx tsx examples/forking_server.ts [--host H] [--port P]` or `netkit forking-server`.
 *
 * The program is src/cli/tutorial/forking_server.ts: it lives there so that
 * `netkit forking-server` runs it from the published package, which never loads
 * the examples; this file runs it from the repository.
 */
import { main } from "../src/cli/tutorial/forking_server.js";
import { isMain } from "./_args.js";

export * from "../src/cli/tutorial/forking_server.js";

if (isMain(import.meta.url)) await main(process.argv.slice(2));
