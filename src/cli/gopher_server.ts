/**
 * `netkit gopher.server [port] [-b ADDRESS] [-d DIR] [--hostname NAME]`:
 * netkit/gopherlib's `GopherServer` serving a folder, shaped like
 * `python -m http.server` (a port, `-b`, `-d`, a "Serving" line, Ctrl-C
 * stops it: `serveUntilInterrupted`). Menus name the server by
 * `--hostname`, else the bound address (`localhost` when bound to every
 * interface), so clients' links come back to it.
 *
 * @module
 */
import { GopherServer } from "../gopherlib/server.js";
import { serveUntilInterrupted } from "../socketserver/interrupt.js";
import { parseCommandLine } from "./args.js";
import { spec } from "./specs.js";

/** Options for `serve` beyond the command line (for embedding and tests). */
export interface ServeOptions {
  /** Stops the server when aborted (besides SIGINT). */
  signal?: AbortSignal;
  /** Where the "Serving Gopher on ..." line goes. @default process.stdout */
  out?: { write(text: string): unknown };
  /** Called with the server once it listens. */
  onListening?: (server: GopherServer) => void;
}

/**
 * Serves `-d DIR` (the current folder) on `[port]` (7070) at `-b ADDRESS`
 * (every interface) until SIGINT or `options.signal`.
 * @param argv the arguments after the command name
 * @throws UsageError for bad arguments, OSError when the port cannot be bound
 */
export async function serve(argv: string[], options: ServeOptions = {}): Promise<void> {
  const out = options.out ?? process.stdout;
  const args = parseCommandLine(spec("gopher.server"), argv);
  const bind = args.string("bind") ?? "0.0.0.0";
  const wildcard = bind === "0.0.0.0" || bind === "::";
  const hostname = args.string("hostname") ?? (wildcard ? "localhost" : bind);
  const server = new GopherServer([bind, args.number("port")!], {
    directory: args.string("directory") ?? process.cwd(),
    hostname,
  });
  await server.ready; // on failure the server has closed itself
  const [host, port] = server.socket.getsockname() as [string, number];
  const urlHost = hostname.includes(":") ? `[${hostname}]` : hostname;
  try {
    await serveUntilInterrupted(server, {
      out,
      signal: options.signal,
      onServing: () => {
        out.write(`Serving Gopher on ${host} port ${port} (gopher://${urlHost}:${port}/) ...\n`);
        options.onListening?.(server);
      },
    });
  } finally {
    await server.serverClose();
  }
}
