/**
 * `netkit gopher [--raw] [--timeout S] URL`: a one-shot Gopher client over
 * netkit/gopherlib, as Python 2's `gopherlib.test()` was. A menu (type 1
 * or 7) is listed readably, one item a line with its type and its URL; a
 * text (type 0) is written unstuffed, one line each; anything else is
 * written as the bytes that came. `--raw` writes the reply as it came,
 * whatever its type. A file answered by a one-line type 3 error menu is a
 * failure (exit status 1, the server's message on stderr).
 *
 * @module
 */
import { type GopherReply, sendSelector } from "../gopherlib/client.js";
import { GopherError } from "../gopherlib/errors.js";
import { describeItem, type MenuItem, parseMenu } from "../gopherlib/menu.js";
import { itemKind } from "../gopherlib/types.js";
import { formatGopherUrl, parseGopherUrl } from "../gopherlib/url.js";
import { parseCommandLine } from "./args.js";
import { spec } from "./specs.js";
import type { BodySink } from "./urllib.js";

/** A menu item's URL: a `URL:` selector's own, a link's `gopher:` one; none for info and error lines. */
function itemUrl(item: MenuItem): string | undefined {
  if (item.type === "i" || item.type === "3") return undefined;
  if (item.selector.startsWith("URL:")) return item.selector.slice(4);
  return formatGopherUrl(item);
}

/**
 * Throws when `bytes` are a whole one-line menu of type 3: what servers
 * answer instead of a file they cannot serve (netkit's, Bucktooth).
 */
function refuseErrorReply(bytes: Buffer): void {
  if (bytes.length > 2048 || bytes[0] !== 0x33) return;
  const menu = parseMenu(bytes);
  const [item] = menu.items;
  if (menu.terminated && menu.items.length === 1 && item?.type === "3" && menu.defects.length === 0) {
    throw new GopherError(`The server answered with an error: ${item.display}`);
  }
}

/**
 * Runs `netkit gopher`.
 * @param argv the arguments after the command name
 * @param stdout where the reply goes
 * @throws UsageError for bad arguments; GopherURLError for a URL it cannot
 *   use; the client's errors (OSError, TimeoutError, ProtocolError past a limit)
 */
export async function gopherCommand(argv: string[], stdout: BodySink = process.stdout): Promise<void> {
  const args = parseCommandLine(spec("gopher"), argv);
  const url = parseGopherUrl(args.string("URL")!);
  const fields = [
    url.selector,
    ...(url.search !== null ? [url.search] : []),
    ...(url.gopherPlus !== null ? [url.gopherPlus] : []),
  ];
  const write = async (data: Uint8Array | string) => {
    if (!stdout.write(data)) await new Promise<void>((resolve) => stdout.once("drain", resolve));
  };
  const reply: GopherReply = await sendSelector(fields.join("\t"), url.host, url.port, {
    timeout: args.number("timeout")!,
  });
  try {
    const kind = args.flag("raw") ? "binary" : itemKind(url.type);
    if (kind === "menu") {
      const menu = await reply.readMenu();
      let out = "";
      for (const item of menu.items) out += `${describeItem(item, itemUrl(item))}\n`;
      await write(out);
    } else if (kind === "text") {
      const { lines } = await reply.readText();
      if (lines.length === 1) refuseErrorReply(Buffer.concat([lines[0]!, Buffer.from("\r\n.\r\n")]));
      for (const line of lines) await write(Buffer.concat([line, Buffer.from("\n")]));
    } else {
      let first = !args.flag("raw");
      for await (const chunk of reply.chunks()) {
        if (first) refuseErrorReply(chunk);
        first = false;
        await write(chunk);
      }
    }
  } finally {
    reply.close();
  }
}
