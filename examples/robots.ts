/**
 * A polite crawler's first step, as Python's `urllib.robotparser` does it: a
 * loopback server publishes a robots.txt; the crawler reads it and asks which
 * pages it may fetch, how long to wait between requests, and where the
 * sitemaps are.
 *
 * Python:
 * ```python
 * rp = urllib.robotparser.RobotFileParser(base + "/robots.txt")
 * rp.read()
 * rp.can_fetch("mybot", base + "/private/x"); rp.crawl_delay("mybot")
 * ```
 *
 * Run: `npx tsx examples/robots.ts [AGENT]`
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { RobotFileParser } from "../src/urllib/robotparser.js";
import { isMain } from "./_args.js";

const ROBOTS_TXT = `User-agent: *
Disallow: /private/
Crawl-delay: 2

User-agent: badbot
Disallow: /

Sitemap: /sitemap.xml
`;

/** Reads the loopback robots.txt and answers for `agent` about a few paths. */
export async function robotsDemo(
  agent: string,
): Promise<{ answers: Array<[string, boolean]>; delay: number | null }> {
  const server = createServer((req, res) => {
    if (req.url === "/robots.txt") res.end(ROBOTS_TXT);
    else res.end("page\n");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const rp = new RobotFileParser(`${base}/robots.txt`, { timeout: 10 });
    await rp.read();
    const answers = ["/", "/about", "/private/data"].map((path): [string, boolean] => [
      path,
      rp.canFetch(agent, `${base}${path}`),
    ]);
    return { answers, delay: rp.crawlDelay(agent) };
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

/** Command-line entry: `robots [AGENT]`. */
export async function main(argv: string[]): Promise<void> {
  const agent = argv[0] ?? "mybot/1.0";
  const { answers, delay } = await robotsDemo(agent);
  for (const [path, ok] of answers) console.log(`${ok ? "may fetch" : "must skip"} ${path}`);
  console.log(`crawl delay: ${delay ?? "none"}`);
}

if (isMain(import.meta.url)) await main(process.argv.slice(2));
