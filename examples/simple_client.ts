/**
 * The tutorial's simple_client: connect, print what the server sends.
 *
 * Python (the tutorial):
 * ```python
 * s = socket.socket()
 * s.connect((host, port))
 * print(s.recv(1024))
 * ```
 *
 * Run: `npx tsx examples/simple_client.ts [--host H] [--port P] [--use-hostname]` or `netkit simple-client`.
 *
 * The program is src/cli/tutorial/simple_client.ts: it lives there so that
 * `netkit simple-client` runs it from the published package, which never loads
 * the examples; this file runs it from the repository.
 */
import { main } from "../src/cli/tutorial/simple_client.js";
import { isMain } from "./_args.js";

export * from "../src/cli/tutorial/simple_client.js";

if (isMain(import.meta.url)) await main(process.argv.slice(2));
