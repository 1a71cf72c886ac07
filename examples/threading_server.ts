/**
 * The socketserver example with `ThreadingMixIn`: each client is served
 * concurrently (tasks on the event loop), so a slow client does not hold up
 * the next.
 *
 * Python: `class Server(ThreadingMixIn, TCPServer): pass`
 *
 * Run: `npx tsx examples/threading_server.ts [--host H] [--port P]` or `netkit threading-server`.
 *
 * The program is src/cli/tutorial/threading_server.ts: it lives there so that
 * `netkit threading-server` runs it from the published package, which never loads
 * the examples; this file runs it from the repository.
 */
import { main } from "../src/cli/tutorial/threading_server.js";
import { isMain } from "./_args.js";

export * from "../src/cli/tutorial/threading_server.js";

if (isMain(import.meta.url)) await main(process.argv.slice(2));
