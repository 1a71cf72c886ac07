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
 * Run: `npx tsx examples/simple_server.ts [--host H] [--port P] [--use-hostname] [--count N]`
 * or `netkit simple-server`.
 */
import { formatAddress } from "../../socket/address.js";
import { Socket } from "../../socket/socket.js";
import { parseEndpoint } from "./args.js";

export interface SimpleServerOptions {
  host: string;
  port: number;
  /** Stop after this many connections (the tour uses it); forever when absent. */
  count?: number;
  /** Called with the real address once listening (port 0 picks one). */
  onListening?: (address: [string, number]) => void;
  /** Where lines are printed. @default console.log */
  print?: (line: string) => void;
}

/** Runs the tutorial's server loop. */
export async function simpleServer(options: SimpleServerOptions): Promise<void> {
  const print = options.print ?? console.log;
  await using s = new Socket();
  await s.bind([options.host, options.port]);
  await s.listen(5);
  options.onListening?.(s.getsockname() as [string, number]);
  for (let served = 0; options.count === undefined || served < options.count; served++) {
    const [c, addr] = await s.accept();
    print(`Got connection from ${formatAddress(addr)}`);
    await c.send(Buffer.from("Thank you for connecting"));
    c.close();
  }
}

/** Command-line entry: `simple-server [--host H] [--port P] [--use-hostname] [--count N]`. */
export async function main(argv: string[]): Promise<void> {
  const { host, port, values } = parseEndpoint(argv, undefined, { count: { type: "string" } });
  const count = values.count === undefined ? undefined : Number(values.count);
  await simpleServer({
    host,
    port,
    ...(count !== undefined ? { count } : {}),
    onListening: ([h, p]) => console.error(`simple_server listening on ${h} port ${p}`),
  });
}
