/**
 * The latest articles of a newsgroup, read with netkit's nntplib: Python's
 * own nntplib demo (`python3 -m nntplib -g GROUP -n 10`), which does
 *
 * ```python
 * s = NNTP(host=server, port=port)
 * resp, count, first, last, name = s.group(group)
 * resp, overviews = s.xover(first, last)
 * for artnum, over in overviews:
 *     author = decode_header(over['from']).split('<', 1)[0]
 *     subject = decode_header(over['subject'])
 *     print("{:7} {:20} {:42} ({})".format(artnum, cut(author, 20), cut(subject, 42), lines))
 * ```
 *
 * Run it against any news server: `npx tsx examples/nntplib_reader.ts
 * --host news.example.org --group comp.lang.python -n 10` (`--port` for
 * another port; `--tls` to send STARTTLS when the server offers it, as
 * Python's demo always does, with the certificate verified). It sends MODE
 * READER, which INN needs from a client it lists as a feed.
 */
import { decodeHeader, NNTP } from "../src/nntplib/index.js";
import { isMain, parseEndpoint } from "./_args.js";

/** Python's `cut(s, lim)`: `s`, shortened to `lim` characters with "..." when longer. */
function cut(s: string, lim: number): string {
  return [...s].length > lim ? `${[...s].slice(0, lim - 4).join("")}...` : s;
}

/** Python's `format` padding: `{:N}` pads text on the right and numbers on the left, by characters. */
function pad(s: string, width: number, left = false): string {
  const fill = " ".repeat(Math.max(0, width - [...s].length));
  return left ? fill + s : s + fill;
}

/**
 * The lines Python's demo prints for the newest `count` articles of
 * `group` on the server at `host`:`port`: a heading, then one line per article.
 */
export async function latestArticles(
  host: string,
  port: number,
  group: string,
  count = 10,
  tls = false,
): Promise<string[]> {
  await using s = await NNTP.open(host, port, { readermode: true, timeout: 30 });
  if (tls && (await s.getcapabilities()).has("STARTTLS")) await s.starttls();
  const [, total, first, last, name] = await s.group(group);
  const lines = [`Group ${name} has ${total} articles, range ${first} to ${last}`];
  const [, overviews] = await s.xover(Math.max(first, last - count + 1), last); // Python asks from last - count + 1, which a server refuses below 1
  for (const [artnum, over] of overviews) {
    const author = decodeHeader(over.get("from") ?? "").split("<", 1)[0]!;
    const subject = decodeHeader(over.get("subject") ?? "");
    const n = Number(over.get(":lines") ?? 0);
    lines.push(
      `${pad(String(artnum), 7, true)} ${pad(cut(author, 20), 20)} ${pad(cut(subject, 42), 42)} (${n})`,
    );
  }
  return lines;
}

/** Command-line entry: `nntplib_reader [--host HOST] [--port PORT] [--group GROUP] [-n COUNT] [--tls]`. */
export async function main(argv: string[]): Promise<void> {
  const { host, port, values } = parseEndpoint(
    argv,
    { host: "127.0.0.1", port: 119 },
    {
      group: { type: "string", short: "g" },
      "nb-articles": { type: "string", short: "n" },
      tls: { type: "boolean" },
    },
  );
  const group = typeof values.group === "string" ? values.group : "local.test";
  const count = Number(values["nb-articles"] ?? 10);
  for (const line of await latestArticles(host, port, group, count, values.tls === true)) console.log(line);
}

if (isMain(import.meta.url)) await main(process.argv.slice(2));
