/**
 * The tutorial's simple_server: bind, listen(5), and in a loop accept a
 * client, print "Got connection from <address>", send "Thank you for
 * connecting", close.
 *
 * Python (the tutorial):
 * ```python
 * s = socket.socket()
 * s.bind((host, port))
 * s.listen(5)
 * while True:
 *     c, addr = s.accept()
 *     print('Got connection from', addr)
 *     c.send(b'Thank you for connecting')
 *     c.close()
 * ```
 *
 * Run: `npx tsx examples/simple_server.ts [--host H] [--port P] [--use-hostname] [--count N]` or `netkit simple-server`.
 *
 * The program is src/cli/tutorial/simple_server.ts: it lives there so that
 * `netkit simple-server` runs it from the published package, which never loads
 * the examples; this file runs it from the repository.
 */
import { main } from "../src/cli/tutorial/simple_server.js";
import { isMain } from "./_args.js";

export * from "../src/cli/tutorial/simple_server.js";

if (isMain(import.meta.url)) await main(process.argv.slice(2));
