/**
 * `netkit urlopen [-i] [--timeout S] URL`: the command-line face of
 * netkit/urllib/request's `urlopen` (Python has no `-m` for it; it behaves
 * like `curl URL`). `netkit urlretrieve` is in src/cli/download.ts.
 *
 * @module
 */
import { HTTPError, urlopen } from "../urllib/request.js";
import { parseCommandLine } from "./args.js";
import { spec } from "./specs.js";

/** Where `urlopenCommand` writes the body: a stream with Node's backpressure (`process.stdout`). */
export interface BodySink {
  write(data: Uint8Array | string): boolean;
  once(event: "drain", listener: () => void): unknown;
}

/**
 * `netkit urlopen [-i] [--timeout S] URL`: writes the body to stdout; with
 * `-i`, the status line and headers first (as `curl -i`). An HTTP error
 * status still prints its body, and the command fails. A stdout that closes
 * early ends the process quietly (src/cli/exit.ts).
 * @throws UsageError for bad arguments; URLError, HTTPError, ValueError (`unknown url type`) as urlopen throws them
 */
export async function urlopenCommand(argv: string[], stdout: BodySink = process.stdout): Promise<void> {
  const args = parseCommandLine(spec("urlopen"), argv);
  let failed: HTTPError | undefined;
  const res = await urlopen(args.string("URL")!, { timeout: args.number("timeout")! }).catch(
    (err: unknown) => {
      if (!(err instanceof HTTPError) || err.fp === null) throw err;
      failed = err;
      return err.fp;
    },
  );
  const write = async (data: Uint8Array | string) => {
    if (!stdout.write(data)) await new Promise<void>((resolve) => stdout.once("drain", resolve));
  };
  try {
    if (args.flag("include")) {
      const status = res.status !== null ? `${res.status} ${res.reason}` : "";
      let head = status ? `${status}\r\n` : "";
      for (const [k, v] of res.headers.items()) head += `${k}: ${v}\r\n`;
      await write(`${head}\r\n`);
    }
    for (;;) {
      const block = await res.read(65536);
      if (block.length === 0) break;
      await write(block);
    }
  } finally {
    await res.close();
  }
  if (failed) throw failed;
}
