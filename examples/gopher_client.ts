/**
 * A Gopher client: the client half of the tutorial's "client/server model"
 * for Gopher. It asks the server for its root menu (Python 2's
 * `gopherlib.send_selector("", host)` and `get_directory`), shows it as a
 * terminal client would, then follows the first text link and the first
 * search, as a person browsing would. Run it against
 * examples/gopher_server.ts, gophernicus, or any Gopher server:
 *
 *     npx tsx examples/gopher_client.ts --host 127.0.0.1 --port 7070
 */
import { describeItem, formatGopherUrl, sendQuery, sendSelector } from "../src/gopherlib/index.js";
import { isMain, parseEndpoint } from "./_args.js";

/** Browses the server at `host`:`port`; resolves with the lines the program prints. */
export async function gopherClient(host: string, port: number): Promise<string[]> {
  const lines: string[] = [];
  let menu: Awaited<ReturnType<Awaited<ReturnType<typeof sendSelector>>["readMenu"]>>;
  {
    await using reply = await sendSelector("", host, port, { timeout: 30 });
    menu = await reply.readMenu();
  }
  lines.push(`Menu of gopher://${host}:${port}/ (${menu.items.length} items):`);
  for (const item of menu.items)
    lines.push(`  ${describeItem(item, item.type === "i" ? undefined : formatGopherUrl(item))}`);
  const text = menu.items.find((item) => item.type === "0");
  if (text) {
    await using reply = await sendSelector(text.selector, text.host, text.port, { timeout: 30 });
    lines.push(`Text "${text.display}":`);
    for (const line of (await reply.readText()).lines) lines.push(`  | ${line.toString()}`);
  }
  const search = menu.items.find((item) => item.type === "7");
  if (search) {
    await using reply = await sendQuery(search.selector, "gopher", search.host, search.port, { timeout: 30 });
    lines.push(`Search "${search.display}" for "gopher":`);
    for (const item of (await reply.readMenu()).items) lines.push(`  ${describeItem(item)}`);
  }
  return lines;
}

/** Command-line entry: `gopher_client [--host HOST] [--port PORT]`. */
export async function main(argv: string[]): Promise<void> {
  const { host, port } = parseEndpoint(argv, { host: "127.0.0.1", port: 7070 });
  for (const line of await gopherClient(host, port)) console.log(line);
}

if (isMain(import.meta.url)) await main(process.argv.slice(2));
