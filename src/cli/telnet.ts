/**
 * `netkit telnet [-d] [--timeout S] [HOST [PORT]]`: Python's
 * `python -m telnetlib` (the `test()` function of `Lib/telnetlib.py`): a
 * very dumb Telnet client. It connects to HOST (localhost) on PORT (23, or
 * a service name from /etc/services), refuses every option the server
 * offers, and runs `Telnet.interact()`: what the server sends goes to
 * stdout, each line typed goes to the server, until the server closes
 * (`*** Connection closed by remote host ***`) or stdin ends.
 *
 * Where the command differs: `-d` sets debug level 1 (Python counts
 * repeated `-d`s, and no level above 1 prints more); bytes pass as they are
 * (Python fails on anything but ASCII); Ctrl-C ends it with status 130
 * (Python prints a KeyboardInterrupt traceback); connecting and sending
 * may take 10 seconds (`--timeout`), not Python's fixed 0.5, which a busy
 * machine or a distant server can pass.
 *
 * @module
 */
import { getservbyname } from "../socket/names.js";
import { Telnet } from "../telnetlib/telnet.js";
import { parseCommandLine, UsageError } from "./args.js";
import { interruptible } from "./exit.js";
import { spec } from "./specs.js";

/** Where the session reads and writes (the process's own by default; tests pass their own). */
export interface TelnetCommandIO {
  stdin?: NodeJS.ReadableStream;
  stdout?: NodeJS.WritableStream;
}

/** PORT as Python reads it: a number, else a TCP service name. */
function parsePort(text: string | undefined): number {
  if (text === undefined) return 0;
  if (/^\s*[+-]?\d+\s*$/.test(text)) {
    const port = Number(text);
    if (port < 0 || port > 65535) throw new UsageError(`argument PORT: port out of range: '${text}'`);
    return port;
  }
  try {
    return getservbyname(text, "tcp");
  } catch {
    throw new UsageError(`argument PORT: unknown service: '${text}'`);
  }
}

/**
 * `netkit telnet`: connects and runs `interact()` until the server closes,
 * stdin ends, or Ctrl-C.
 * @param argv the arguments after the command name
 * @throws UsageError for bad arguments; OSError when connecting fails; Interrupted after Ctrl-C
 */
export async function telnetCommand(argv: string[], io: TelnetCommandIO = {}): Promise<void> {
  const args = parseCommandLine(spec("telnet"), argv);
  const host = args.string("HOST")!;
  const port = parsePort(args.string("PORT"));
  const tn = new Telnet();
  try {
    tn.setDebuglevel(args.flag("debug") ? 1 : 0);
    await tn.open(host, port, { timeout: args.number("timeout")! });
    await interruptible((signal) => tn.interact({ ...io, signal }));
  } finally {
    tn.close();
  }
}
