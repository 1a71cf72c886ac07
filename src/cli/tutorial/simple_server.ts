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
import { type Address, formatAddress } from "../../socket/address.js";
import { Socket } from "../../socket/socket.js";
import { serveUntilInterrupted } from "../../socketserver/interrupt.js";
import { parseCommandLine } from "../args.js";
import { spec } from "../specs.js";
import { endpointOf } from "./args.js";

export interface SimpleServerOptions {
  host: string;
  port: number;
  /** Stop after this many connections (the tour uses it); forever when absent. */
  count?: number;
  /** Called with the real address once listening (port 0 picks one). */
  onListening?: (address: [string, number]) => void;
  /** Where lines are printed. @default console.log */
  print?: (line: string) => void;
  /** Stops the loop (closing the listening socket) when aborted. */
  signal?: AbortSignal;
}

/** Runs the tutorial's server loop; resolves after `count` connections or when `signal` aborts. */
export async function simpleServer(options: SimpleServerOptions): Promise<void> {
  const print = options.print ?? console.log;
  await using s = new Socket();
  await s.bind([options.host, options.port]);
  await s.listen(5);
  const { signal } = options;
  const stop = () => s.close();
  signal?.addEventListener("abort", stop, { once: true });
  try {
    options.onListening?.(s.getsockname() as [string, number]);
    for (let served = 0; options.count === undefined || served < options.count; served++) {
      if (signal?.aborted) return;
      let c: Socket;
      let addr: Address;
      try {
        [c, addr] = await s.accept();
      } catch (err) {
        if (signal?.aborted) return; // closed under accept(): stopped
        throw err;
      }
      print(`Got connection from ${formatAddress(addr)}`);
      await c.send(Buffer.from("Thank you for connecting"));
      c.close();
    }
  } finally {
    signal?.removeEventListener("abort", stop);
  }
}

/** Command-line entry: `simple-server [--host H] [--port P] [--use-hostname] [--count N]`; Ctrl-C stops it. */
export async function main(argv: string[]): Promise<void> {
  const args = parseCommandLine(spec("simple-server"), argv);
  const { host, port } = endpointOf(args);
  const count = args.number("count");
  const stop = new AbortController();
  const server = {
    serveForever: () =>
      simpleServer({
        host,
        port,
        signal: stop.signal,
        ...(count !== undefined ? { count } : {}),
        onListening: ([h, p]) => console.error(`simple_server listening on ${h} port ${p}`),
      }),
    shutdown: async () => stop.abort(),
  };
  await serveUntilInterrupted(server);
}
