/**
 * The options every tutorial program shares (`netkit simple-server`, ...,
 * and the examples): where to listen or connect. Defaults to loopback so a
 * program never listens on a public interface by accident;
 * `--use-hostname` binds to `gethostname()` as the tutorial does. Read by
 * the one parser of every command (src/cli/args.ts).
 *
 * @module
 */

import { hostname as gethostname } from "node:os";
import {
  type ArgumentSpec,
  type CommandSpec,
  formatHelp,
  type ParsedArgs,
  parseCommandLine,
} from "../args.js";
import { endpointOptions } from "../specs.js";

export interface Endpoint {
  host: string;
  port: number;
}

/** The endpoint parsed arguments name: `gethostname()` with `--use-hostname`, else `--host`; and `--port`. */
export function endpointOf(args: ParsedArgs): Endpoint {
  return {
    host: args.flag("use-hostname") ? gethostname() : args.string("host")!,
    port: args.number("port")!,
  };
}

/**
 * For the examples: reads `--host`, `--port`, `--use-hostname` and any
 * `extra` options (parseArgs-style: `{ directory: { type: "string", short: "d" } }`)
 * from `argv`, with the command line's usage errors.
 * @throws UsageError for an unknown option or a bad value
 */
export function parseEndpoint(
  argv: string[],
  defaults: Endpoint = { host: "127.0.0.1", port: 1234 },
  extra: Record<string, { type: "string" | "boolean"; short?: string }> = {},
): Endpoint & { values: Record<string, string | boolean | undefined> } {
  const extraSpecs: ArgumentSpec[] = Object.entries(extra).map(([name, o]) => ({
    name,
    ...(o.short ? { short: o.short } : {}),
    ...(o.type === "string" ? { metavar: name.toUpperCase() } : {}),
    help: name,
  }));
  const options = endpointOptions(defaults.port, "listen on").map((o) =>
    o.name === "host" ? { ...o, default: defaults.host } : o,
  );
  const spec: CommandSpec = {
    prog: `tsx ${process.argv[1] ?? "example"}`,
    summary: "A netkit example.",
    options: [...options, ...extraSpecs],
    positionals: [],
  };
  const args = parseCommandLine(spec, argv);
  if (args.help || args.version) {
    process.stdout.write(formatHelp(spec));
    process.exit(0);
  }
  const values: Record<string, string | boolean | undefined> = {};
  for (const o of extraSpecs) values[o.name] = o.metavar ? args.string(o.name) : args.flag(o.name);
  return { ...endpointOf(args), values };
}
