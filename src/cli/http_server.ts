/**
 * `netkit http.server [port] [-b ADDRESS] [-d DIRECTORY] [-p VERSION] [--cgi]`:
 * Python's `python -m http.server` (its `test()` function and argument
 * parser), printing the same "Serving HTTP on ..." line and logging each
 * request to stderr as Python does.
 *
 * Where the command differs from Python's, on purpose:
 * - It speaks HTTP/1.1 by default (connections kept alive, as every Node
 *   static server does); `-p HTTP/1.0` is Python's default, a connection
 *   per request. The handler class keeps Python's default.
 * - Ctrl-C stops accepting and closes idle connections at once, lets
 *   requests in flight finish for 3 seconds, then closes them; a second
 *   Ctrl-C ends the process at once (`serveUntilInterrupted`).
 * - Links that lead outside the directory are neither served nor listed
 *   (SimpleHTTPRequestHandler's `followSymlinks` is off).
 * - The listen queue is Node's default (511), not Python's 5, so a burst of
 *   clients is not turned away.
 *
 * @module
 */
import { OSError, withCode } from "../errors/index.js";
import { CGIHTTPRequestHandler, SimpleHTTPRequestHandler, ThreadingHTTPServer } from "../http/server.js";
// The files, not the index modules: a command loads only what it runs, so it starts faster.
import { AF_INET6, AI_PASSIVE, IPPROTO_IPV6, IPV6_V6ONLY, SOCK_STREAM } from "../socket/constants.js";
import { getaddrinfo } from "../socket/names.js";
import type { RequestHandlerClass } from "../socketserver/base.js";
import { serveUntilInterrupted } from "../socketserver/interrupt.js";
import { parseCommandLine } from "./args.js";
import { spec } from "./specs.js";

/** Options for `serve` beyond the command line (for embedding and tests). */
export interface ServeOptions {
  /** Stops the server when aborted (besides SIGINT). */
  signal?: AbortSignal;
  /** Where the "Serving HTTP on ..." line goes. @default process.stdout */
  out?: { write(text: string): unknown };
  /** Called with the server once it listens. */
  onListening?: (server: ThreadingHTTPServer) => void;
  /** Seconds requests in flight may take after Ctrl-C before they are cut off. @default 3 */
  grace?: number;
}

/** Node's listen backlog (`net.Server.listen`'s default), for a command that may meet a burst of clients. */
const LISTEN_BACKLOG = 511;

/**
 * Python's `http.server` main: serves `-d DIRECTORY` (default: the current
 * one) on `[port]` (8000) at `-b ADDRESS` (all interfaces, IPv6 and IPv4
 * where the system allows), speaking `-p VERSION` (HTTP/1.1), with
 * `ThreadingHTTPServer` and `SimpleHTTPRequestHandler` (`--cgi`:
 * `CGIHTTPRequestHandler`). Resolves after SIGINT (or `options.signal`) once
 * the server has stopped (see the module comment).
 * @param argv the arguments after the command name
 * @throws UsageError for bad arguments, OSError when the port cannot be bound
 */
export async function serve(argv: string[], options: ServeOptions = {}): Promise<void> {
  const out = options.out ?? process.stdout;
  const args = parseCommandLine(spec("http.server"), argv);
  const port = args.number("port")!;
  const bind = args.string("bind") ?? null;
  const directory = args.string("directory") ?? process.cwd();
  const protocol = args.string("protocol")!;
  const Base = args.flag("cgi")
    ? (CGIHTTPRequestHandler as unknown as typeof SimpleHTTPRequestHandler)
    : SimpleHTTPRequestHandler;
  const Handler = class extends Base {
    override protocolVersion = protocol;
  }.withOptions({ directory });

  // Python's _get_best_family(bind, port): the first passive address.
  const [first] = await getaddrinfo(bind, port, { type: SOCK_STREAM, flags: AI_PASSIVE });
  if (!first)
    throw withCode(
      new Error(`Cannot resolve ${bind ?? "the wildcard address"}: no address`),
      "ERR_CLI_NO_ADDRESS",
    );
  const [family, , , , sockaddr] = first;

  class DualStackServer extends ThreadingHTTPServer {
    override addressFamily = family;
    override requestQueueSize = LISTEN_BACKLOG;
    override async serverBind(): Promise<void> {
      // ensure dual-stack is not disabled (Python's bpo-38907)
      if (this.addressFamily === AF_INET6) {
        try {
          this.socket.setsockopt(IPPROTO_IPV6, IPV6_V6ONLY, 0);
        } catch (err) {
          if (!(err instanceof OSError)) throw err; // IPv4 only: nothing to do
        }
      }
      await super.serverBind();
    }
  }
  const httpd = new DualStackServer(
    [sockaddr[0], sockaddr[1]] as [string, number],
    Handler as RequestHandlerClass,
  );
  await httpd.ready; // on failure the server has closed itself
  const [host, boundPort] = httpd.socket.getsockname() as [string, number];
  const urlHost = host.includes(":") ? `[${host}]` : host;
  try {
    await serveUntilInterrupted(httpd, {
      out,
      signal: options.signal,
      ...(options.grace !== undefined ? { grace: options.grace } : {}),
      onServing: () => {
        out.write(`Serving HTTP on ${host} port ${boundPort} (http://${urlHost}:${boundPort}/) ...\n`);
        options.onListening?.(httpd);
      },
    });
  } finally {
    await httpd.serverClose();
  }
}
