/**
 * netkit/http/cookies: read a browser's `Cookie:` header and answer with
 * `Set-Cookie:` headers, as a server does (the tutorial's `Cookie` module).
 *
 * Python:
 * ```python
 * c = http.cookies.SimpleCookie(); c.load(header)
 * c["visits"] = int(c["visits"].value) + 1; c["visits"]["path"] = "/"
 * print(c.output())
 * ```
 *
 * Run: `npx tsx examples/cookie_header.ts ['visits=3; theme="dark blue"']`
 */
import { SimpleCookie } from "../src/http/cookies.js";
import { isMain } from "./_args.js";

/**
 * Counts one more visit in the `Cookie:` header `header` and returns the
 * `Set-Cookie:` lines to send back (the count, a one-hour session marker,
 * and any other cookie unchanged).
 */
export function nextVisit(header: string): string {
  const jar = new SimpleCookie();
  jar.load(header);
  const visits = Number(jar.get("visits")?.value ?? 0) + 1;
  jar.set("visits", String(visits));
  jar.get("visits")?.setAttribute("Path", "/").setAttribute("HttpOnly", true);
  jar.set("session", "active");
  jar.get("session")?.setAttribute("Max-Age", 3600).setAttribute("SameSite", "Lax");
  return jar.output();
}

if (isMain(import.meta.url)) console.log(nextVisit(process.argv[2] ?? 'visits=3; theme="dark blue"'));
