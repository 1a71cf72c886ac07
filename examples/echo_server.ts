/**
 * An echo server on socketserver, over TCP, UDP or a Unix socket: every line
 * (TCP, Unix stream) or datagram (UDP, Unix datagram) comes back unchanged.
 * The benchmarks use it; so can you, to try a client.
 *
 * Run: `npx tsx examples/echo_server.ts [--udp] [--unix PATH] [--host H] [--port P]` or `netkit echo-server`.
 *
 * The program is src/cli/tutorial/echo_server.ts: it lives there so that
 * `netkit echo-server` runs it from the published package, which never loads
 * the examples; this file runs it from the repository.
 */
import { main } from "../src/cli/tutorial/echo_server.js";
import { isMain } from "./_args.js";

export * from "../src/cli/tutorial/echo_server.js";

if (isMain(import.meta.url)) await main(process.argv.slice(2));
