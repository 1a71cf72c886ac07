/**
 * The options every tutorial program shares: where to listen or connect.
 * Defaults to loopback so an example never listens on a public interface by
 * accident; `--use-hostname` binds to `gethostname()` as the tutorial does.
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

/** True when the module at `url` is the program node was started with. */
export function isMain(url: string): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  const path = new URL(url).pathname;
  return path === entry || path.replace(/\.ts$/, "") === entry.replace(/\.(ts|js)$/, "");
}
