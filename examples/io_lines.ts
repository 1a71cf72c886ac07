/**
 * netkit/io outside sockets: number the lines of a file (or of stdin) with
 * the same `BufferedReader` every protocol uses for `rfile`. A line longer
 * than `--max` bytes stops the program with a clear error instead of eating
 * memory.
 *
 * Python: `for n, line in enumerate(open(path, "rb"), 1): print(n, line)`
 *
 * Run: `npx tsx examples/io_lines.ts [FILE] [--max BYTES]`
 */
import { createReadStream } from "node:fs";
import { parseArgs } from "node:util";
import { readableSource } from "../src/io/memory.js";
import { BufferedReader } from "../src/io/reader.js";
import { isMain } from "./_args.js";

/** Numbers each line read from `stream`, printing through `print`; resolves with the count. */
export async function numberLines(
  stream: NodeJS.ReadableStream,
  maxLineLength = 65536,
  print: (line: string) => void = console.log,
): Promise<number> {
  const reader = new BufferedReader(readableSource(stream as import("node:stream").Readable), {
    maxLineLength,
  });
  let count = 0;
  for await (const line of reader)
    print(`${String(++count).padStart(6)}  ${line.toString().replace(/\r?\n$/, "")}`);
  return count;
}

/** Command-line entry. */
export async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { max: { type: "string" } },
    allowPositionals: true,
  });
  const stream = positionals[0] ? createReadStream(positionals[0]) : process.stdin;
  await numberLines(stream, values.max ? Number(values.max) : 65536);
}

if (isMain(import.meta.url)) await main(process.argv.slice(2));
