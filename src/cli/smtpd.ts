/**
 * `netkit smtpd [-n] [-c CLASS] [-s LIMIT] [-u] [localaddr [remoteaddr]]`:
 * Python's `python -m smtpd` (the `__main__` block and `parseargs()` of
 * `Lib/smtpd.py`): runs `DebuggingServer` or `PureProxy` on
 * `localhost:8025` (or `localaddr`), relaying to `localhost:25` (or
 * `remoteaddr`), until Ctrl-C.
 *
 * As in Python, the server tries to become the user `nobody` unless `-n`
 * is given, and fails if it cannot (run as another user: pass `-n`).
 * Where the command differs: a bad address is a usage error (status 2, not
 * 1); `-c` takes only the two classes by name (Python imports any dotted
 * name); Ctrl-C stops accepting, closes idle sessions, and gives messages in
 * flight 3 seconds (`serveUntilInterrupted`).
 *
 * @module
 */
import { withCode } from "../errors/index.js";
import { DebuggingServer } from "../smtpd/debugging.js";
import type { SMTPServer } from "../smtpd/server.js";
import { serveUntilInterrupted } from "../socketserver/interrupt.js";
import { parseCommandLine, UsageError } from "./args.js";
import { spec } from "./specs.js";

/** Options for `serve` beyond the command line (for embedding and tests). */
export interface ServeOptions {
  /** Stops the server when aborted (besides SIGINT). */
  signal?: AbortSignal;
  /** Where DebuggingServer prints messages. @default process.stdout */
  out?: { write(text: string): unknown };
  /** Called with the server once it listens. */
  onListening?: (server: SMTPServer) => void;
  /** Seconds messages in flight may take after Ctrl-C before they are cut off. @default 3 */
  grace?: number;
}

/** Python's `parseargs()` reading of `host:port`. */
function parseSpec(text: string, which: "local" | "remote"): [string, number] {
  const i = text.indexOf(":");
  if (i < 0) throw new UsageError(`Bad ${which} spec: ${text}`);
  const port = text.slice(i + 1);
  if (!/^\s*[+-]?\d+\s*$/.test(port) || Number(port) < 0 || Number(port) > 65535)
    throw new UsageError(`Bad ${which} port: ${text}`);
  return [text.slice(0, i), Number(port)];
}

/** Becomes `nobody`, as Python's smtpd does unless `-n`. */
function dropPrivileges(): void {
  const fail = () =>
    withCode(new Error('Cannot setuid "nobody"; try running with -n option.'), "ERR_SMTPD_SETUID");
  if (typeof process.setuid !== "function") throw fail();
  try {
    process.setuid("nobody");
  } catch {
    throw fail();
  }
}

/** The server classes `-c` may name. */
async function serverClass(name: string): Promise<typeof DebuggingServer | typeof SMTPServer> {
  if (name === "DebuggingServer") return DebuggingServer;
  // Loaded only when asked for: it brings smtplib.
  return (await import("../smtpd/proxy.js")).PureProxy;
}

/**
 * Python's `python -m smtpd`: the server class from `-c` (PureProxy), on
 * `localaddr`, relaying to `remoteaddr`, with `-s` as the size limit and
 * `-u` for SMTPUTF8; resolves after SIGINT (or `options.signal`) once the
 * server has stopped.
 * @param argv the arguments after the command name
 * @throws UsageError for bad arguments, OSError when the port cannot be bound,
 *   Error `ERR_SMTPD_SETUID` without `-n` when the process cannot become `nobody`
 */
export async function serve(argv: string[], options: ServeOptions = {}): Promise<void> {
  const args = parseCommandLine(spec("smtpd"), argv);
  const local = parseSpec(args.string("localaddr")!, "local");
  const remote = parseSpec(args.string("remoteaddr")!, "remote");
  const Server = await serverClass(args.string("class")!);
  const size = args.number("size");
  const server = new Server(local, remote, {
    ...(size !== undefined ? { dataSizeLimit: size } : {}),
    enableSMTPUTF8: args.flag("smtputf8"),
  });
  if (server instanceof DebuggingServer && options.out) server.out = options.out;
  try {
    await server.ready;
    if (!args.flag("nosetuid")) dropPrivileges();
    await serveUntilInterrupted(server, {
      out: { write: () => {} }, // Python's smtpd ends silently on Ctrl-C
      signal: options.signal,
      ...(options.grace !== undefined ? { grace: options.grace } : {}),
      onServing: () => options.onListening?.(server),
    });
  } finally {
    await server.serverClose();
  }
}
