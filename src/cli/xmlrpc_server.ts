/**
 * `netkit xmlrpc.server [port]`: the demo server of Python's
 * `python -m xmlrpc.server` (the `__main__` block of `xmlrpc/server.py`):
 * `pow`, `add`, an `ExampleService` instance (`getData`,
 * `currentTime.getCurrentTime`, dotted names allowed) and `system.multicall`,
 * on localhost, until Ctrl-C.
 *
 * @module
 */
import { OverflowError, ValueError, withCode } from "../errors/index.js";
import { serveUntilInterrupted } from "../socketserver/interrupt.js";
import { DateTime } from "../xmlrpc/client.js";
import { SimpleXMLRPCServer } from "../xmlrpc/server.js";
import { parseCommandLine } from "./args.js";
import { spec } from "./specs.js";

/** Options for `serve` beyond the command line (for embedding and tests). */
export interface ServeOptions {
  /** Stops the server when aborted (besides SIGINT). */
  signal?: AbortSignal;
  /** Where the banner goes. @default process.stdout */
  out?: { write(text: string): unknown };
  /** Called with the server once it listens. */
  onListening?: (server: SimpleXMLRPCServer) => void;
  /** The host to bind. @default "localhost" (Python's demo) */
  host?: string;
  /** Seconds a call in flight may take after Ctrl-C before it is cut off. @default 3 */
  grace?: number;
}

/** Python's `pow(base, exp[, mod])` on XML-RPC's numbers: exact for integers, as Python's. */
export function pyPow(base: number, exp: number, mod?: number | null): number {
  if (typeof base !== "number" || typeof exp !== "number") {
    throw withCode(
      new TypeError(`unsupported operand type(s) for ** or pow(): '${typeof base}' and '${typeof exp}'`),
      "ERR_INVALID_ARG_TYPE",
    );
  }
  const ints = Number.isInteger(base) && Number.isInteger(exp);
  if (mod !== undefined && mod !== null) {
    if (!ints || !Number.isInteger(mod)) {
      throw withCode(
        new TypeError("pow() 3rd argument not allowed unless all arguments are integers"),
        "ERR_INVALID_ARG_TYPE",
      );
    }
    if (mod === 0) throw new ValueError("pow() 3rd argument cannot be 0");
    if (exp < 0) throw new ValueError("pow() negative exponent with a modulus is not supported here");
    const m = BigInt(Math.abs(mod));
    let result = 1n;
    let b = ((BigInt(base) % m) + m) % m;
    for (let e = BigInt(exp); e > 0n; e >>= 1n) {
      if (e & 1n) result = (result * b) % m;
      b = (b * b) % m;
    }
    if (result !== 0n && mod < 0) result -= m; // Python's result takes the modulus's sign
    return Number(result);
  }
  if (ints && exp >= 0) {
    // Past 64 bits the result cannot be an XML-RPC int anyway: say so without computing it.
    if (Math.abs(base) > 1 && exp * Math.log2(Math.abs(base)) > 64)
      throw new OverflowError("int exceeds XML-RPC limits");
    const r = BigInt(base) ** BigInt(exp);
    return Number(r);
  }
  return base ** exp;
}

/** Python's demo `ExampleService`. */
class ExampleService {
  getData(): string {
    return "42";
  }
  currentTime = {
    getCurrentTime(): DateTime {
      return new DateTime(new Date());
    },
  };
}

/**
 * Python's `python -m xmlrpc.server`: serves the demo methods on
 * `localhost` port `[port]` (8000) with `SimpleXMLRPCServer`, printing
 * Python's two banner lines; resolves after SIGINT (or `options.signal`)
 * once the server has stopped.
 * @param argv the arguments after the command name
 * @throws UsageError for bad arguments, OSError when the port cannot be bound
 */
export async function serve(argv: string[], options: ServeOptions = {}): Promise<void> {
  const out = options.out ?? process.stdout;
  const port = parseCommandLine(spec("xmlrpc.server"), argv).number("port")!;
  const host = options.host ?? "localhost";
  const server = new SimpleXMLRPCServer([host, port]);
  try {
    await server.ready;
    server.registerFunction(
      Object.assign(pyPow, {
        __doc__: "Equivalent to base**exp with 2 arguments or base**exp % mod with 3 arguments",
      }),
      "pow",
    );
    server.registerFunction((x: number, y: number) => x + y, "add");
    server.registerInstance(new ExampleService(), { allowDottedNames: true });
    server.registerMulticallFunctions();
    await serveUntilInterrupted(server, {
      out,
      signal: options.signal,
      ...(options.grace !== undefined ? { grace: options.grace } : {}),
      onServing: () => {
        const boundPort = server.serverAddress[1];
        out.write(`Serving XML-RPC on ${host} port ${boundPort}\n`);
        out.write("It is advisable to run this example server within a secure, closed network.\n");
        options.onListening?.(server);
      },
    });
  } finally {
    await server.serverClose();
  }
}
