/**
 * `netkit urlopen URL` and `netkit urlretrieve URL [FILE]`: the command-line
 * faces of netkit/urllib/request (Python has no `-m` for these; they behave
 * like `curl URL` and `curl -o FILE URL`).
 *
 * @module
 */
import { stat } from "node:fs/promises";
import { basename } from "node:path";
import { parseArgs } from "node:util";
import { HTTPError, urlopen, urlretrieve } from "../urllib/request.js";
import { progressReporter } from "./progress.js";

/**
 * `netkit urlopen [-i] [--timeout S] URL`: writes the body to stdout; with
 * `-i`, the status line and headers first (as `curl -i`). An HTTP error
 * status still prints its body, and the command fails.
 */
export async function urlopenCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { include: { type: "boolean", short: "i" }, timeout: { type: "string" } },
    allowPositionals: true,
  });
  const url = positionals[0];
  if (!url) throw new Error("usage: netkit urlopen [-i] [--timeout S] URL");
  const timeout = values.timeout === undefined ? undefined : Number(values.timeout);
  let failed: HTTPError | undefined;
  const res = await urlopen(url, timeout === undefined ? {} : { timeout }).catch((err: unknown) => {
    if (!(err instanceof HTTPError)) throw err;
    failed = err;
    return err;
  });
  try {
    if (values.include) {
      const status = "status" in res && res.status !== null ? `${res.status} ${res.reason}` : "";
      if (status) process.stdout.write(`${status}\r\n`);
      for (const [k, v] of res.headers.items()) process.stdout.write(`${k}: ${v}\r\n`);
      process.stdout.write("\r\n");
    }
    for (;;) {
      const block = await res.read(65536);
      if (block.length === 0) break;
      if (!process.stdout.write(block)) await new Promise((resolve) => process.stdout.once("drain", resolve));
    }
  } finally {
    await res.close();
  }
  if (failed) throw failed;
}

/**
 * `netkit urlretrieve [--timeout S] [-q] URL [FILE]`: saves the body to FILE
 * (default: the URL's last path segment, else `index.html`) with a progress
 * report on stderr, and prints where it went.
 */
export async function urlretrieveCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { timeout: { type: "string" }, quiet: { type: "boolean", short: "q" } },
    allowPositionals: true,
  });
  const [url, given] = positionals;
  if (!url) throw new Error("usage: netkit urlretrieve [--timeout S] [-q] URL [FILE]");
  const fromUrl = basename(new URL(url).pathname);
  const file = given ?? (fromUrl && fromUrl !== "/" ? fromUrl : "index.html");
  const progress = values.quiet ? undefined : progressReporter();
  const [path] = await urlretrieve(url, file, {
    ...(values.timeout === undefined ? {} : { timeout: Number(values.timeout) }),
    ...(progress ? { reporthook: progress.hook } : {}),
  });
  progress?.finish((await stat(path)).size);
  console.log(path);
}
