/**
 * Cookies across requests, as Python's `http.cookiejar` +
 * `urllib.request.HTTPCookieProcessor` do it: a loopback server sets a
 * session cookie at /login and shows the Cookie header it gets at /whoami;
 * the client's MozillaCookieJar keeps the cookie between the two requests
 * and saves it to a cookies.txt file that curl can use (`curl -b FILE`).
 *
 * Python:
 * ```python
 * jar = http.cookiejar.MozillaCookieJar("cookies.txt")
 * opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
 * opener.open(base + "/login"); print(opener.open(base + "/whoami").read())
 * jar.save(ignore_discard=True)
 * ```
 *
 * Run: `npx tsx examples/cookies.ts [cookies.txt]`
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MozillaCookieJar } from "../src/http/cookiejar.js";
import { buildOpener, HTTPCookieProcessor } from "../src/urllib/request.js";
import { isMain } from "./_args.js";

/** Logs in, asks who we are, saves the jar to `file`; resolves with what /whoami said and the cookies kept. */
export async function cookiesDemo(file: string): Promise<{ whoami: string; cookies: string[] }> {
  const server = createServer((req, res) => {
    if (req.url === "/login") res.setHeader("Set-Cookie", "session=abc123; Path=/; HttpOnly");
    res.end(req.url === "/whoami" ? `you sent: ${req.headers.cookie ?? "(no cookie)"}` : "welcome\n");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const jar = new MozillaCookieJar(file);
    const opener = buildOpener(new HTTPCookieProcessor(jar));
    await (await opener.open(`${base}/login`, { timeout: 10 })).close();
    const reply = await opener.open(`${base}/whoami`, { timeout: 10 });
    const whoami = (await reply.read()).toString();
    await reply.close();
    await jar.save(undefined, { ignoreDiscard: true, curlSessionExpiry: true });
    return { whoami, cookies: [...jar].map(String) };
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

/** Command-line entry: `cookies [FILE]`. */
export async function main(argv: string[]): Promise<void> {
  const file = argv[0] ?? join(tmpdir(), "netkit-cookies.txt");
  const { whoami, cookies } = await cookiesDemo(file);
  console.log(whoami);
  console.log(`kept ${cookies.join(", ")}; saved to ${file}`);
}

if (isMain(import.meta.url)) await main(process.argv.slice(2));
