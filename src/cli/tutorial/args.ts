/**
 * The options every tutorial program shares (`netkit simple-server`, ...,
 * and the examples): where to listen or connect. Defaults to loopback so a
 * program never listens on a public interface by accident;
 * `--use-hostname` binds to `gethostname()` as the tutorial does.
 *
 * @module
 */

import { hostname as gethostname } from "node:os";
import { parseArgs } from "node:util";

export interface Endpoint {
  host: string;
  port: number;
}

/** Parses `--host`, `--port`, `--use-hostname` (and any extra options) from `argv`. */
export function parseEndpoint(
  argv: string[],
  defaults: Endpoint = { host: "127.0.0.1", port: 1234 },
  extra: Record<string, { type: "string" | "boolean"; short?: string }> = {},
): Endpoint & { values: Record<string, string | boolean | undefined> } {
  const { values } = parseArgs({
    args: argv,
    options: {
      host: { type: "string" },
      port: { type: "string", short: "p" },
      "use-hostname": { type: "boolean" },
      ...extra,
    },
    allowPositionals: false,
  });
  const host = values["use-hostname"]
    ? gethostname()
    : ((values.host as string | undefined) ?? defaults.host);
  const port = values.port === undefined ? defaults.port : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`Invalid port "${values.port}": must be 0-65535`);
  return { host, port, values: values as Record<string, string | boolean | undefined> };
}
