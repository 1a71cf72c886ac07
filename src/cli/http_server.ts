/**
 * `netkit http.server [port] [-b ADDRESS] [-d DIRECTORY] [-p VERSION] [--cgi]`:
 * Python's `python -m http.server` (its `test()` function and argument
 * parser), printing the same "Serving HTTP on ..." line.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { CGIHTTPRequestHandler, SimpleHTTPRequestHandler, ThreadingHTTPServer } from "../http/server.js";
// The files, not the index modules: a command loads only what it runs, so it starts faster.
import { AF_INET6, AI_PASSIVE, IPPROTO_IPV6, IPV6_V6ONLY, SOCK_STREAM } from "../socket/constants.js";
import { getaddrinfo } from "../socket/names.js";
import type { RequestHandlerClass } from "../socketserver/base.js";
import { serveUntilInterrupted } from "../socketserver/interrupt.js";

/** Options for `serve` beyond the command line (for embedding and tests). */
export interface ServeOptions {
  /** Stops the server when aborted (besides SIGINT). */
  signal?: AbortSignal;
  /** Where the "Serving HTTP on ..." line goes. @default process.stdout */
  out?: { write(text: string): unknown };
  /** Called with the server once it listens. */
  onListening?: (server: ThreadingHTTPServer) => void;
}

const USAGE = "usage: netkit http.server [-h] [--cgi] [-b ADDRESS] [-d DIRECTORY] [-p VERSION] [port]";

/**
 * Python's `http.server` main: serves `-d DIRECTORY` (default: the current
 * one) on `[port]` (8000) at `-b ADDRESS` (all interfaces, IPv6 and IPv4
 * where the system allows), speaking `-p VERSION` (HTTP/1.0), with
 * `ThreadingHTTPServer` and `SimpleHTTPRequestHandler` (`--cgi`:
 * `CGIHTTPRequestHandler`). Resolves after SIGINT (or `options.signal`) once
 * the server has stopped: requests in flight finish first.
 * @param argv the arguments after the command name
 * @throws Error for bad arguments (the message starts with the usage line), OSError when the port cannot be bound
 */
export async function serve(argv: string[], options: ServeOptions = {}): Promise<void> {
  const out = options.out ?? process.stdout;
  let parsed: ReturnType<
    typeof parseArgs<{
      options: {
        cgi: { type: "boolean" };
        bind: { type: "string"; short: "b" };
        directory: { type: "string"; short: "d" };
        protocol: { type: "string"; short: "p" };
      };
      allowPositionals: true;
    }>
  >;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        cgi: { type: "boolean" },
        bind: { type: "string", short: "b" },
        directory: { type: "string", short: "d" },
        protocol: { type: "string", short: "p" },
      },
      allowPositionals: true,
    });
  } catch (err) {
    throw new Error(`${USAGE}\nerror: ${err instanceof Error ? err.message : String(err)}`);
  }
  const { values, positionals } = parsed;
  if (positionals.length > 1)
    throw new Error(`${USAGE}\nerror: unrecognized arguments: ${positionals.slice(1).join(" ")}`);
  let port = 8000;
  if (positionals.length === 1) {
    const text = positionals[0]!;
    if (!/^\s*[+-]?\d+\s*$/.test(text))
      throw new Error(`${USAGE}\nerror: argument port: invalid int value: '${text}'`);
    port = Number(text);
  }
  const directory = values.directory ?? process.cwd();
  const protocol = values.protocol ?? "HTTP/1.0";
  const Base = values.cgi
    ? (CGIHTTPRequestHandler as unknown as typeof SimpleHTTPRequestHandler)
    : SimpleHTTPRequestHandler;
  const Handler = class extends Base {
    override protocolVersion = protocol;
  }.withOptions({ directory });

  // Python's _get_best_family(bind, port): the first passive address.
  const [first] = await getaddrinfo(values.bind ?? null, port, { type: SOCK_STREAM, flags: AI_PASSIVE });
  if (!first) throw new Error(`cannot resolve ${values.bind ?? "the wildcard address"}`);
  const [family, , , , sockaddr] = first;

  class DualStackServer extends ThreadingHTTPServer {
    override addressFamily = family;
    override async serverBind(): Promise<void> {
      // ensure dual-stack is not disabled (Python's bpo-38907)
      if (this.addressFamily === AF_INET6) {
        try {
          this.socket.setsockopt(IPPROTO_IPV6, IPV6_V6ONLY, 0);
        } catch {
          // IPv4 only: nothing to do
        }
      }
      await super.serverBind();
    }
  }
  const httpd = new DualStackServer(
    [sockaddr[0], sockaddr[1]] as [string, number],
    Handler as RequestHandlerClass,
  );
  await httpd.ready;
  const [host, boundPort] = httpd.socket.getsockname() as [string, number];
  const urlHost = host.includes(":") ? `[${host}]` : host;
  try {
    await serveUntilInterrupted(httpd, {
      out,
      signal: options.signal,
      onServing: () => {
        out.write(`Serving HTTP on ${host} port ${boundPort} (http://${urlHost}:${boundPort}/) ...\n`);
        options.onListening?.(httpd);
      },
    });
  } finally {
    await httpd.serverClose();
  }
}
