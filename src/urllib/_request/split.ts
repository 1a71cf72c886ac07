/**
 * The old URL splitters urllib.request is built on (Python's private
 * `urllib.parse._splittype`, `_splithost`, `_splitport`, `_splituser`,
 * `_splitpasswd`, `_splittag`): looser than `urlsplit`, and kept because
 * `Request` and the handlers depend on exactly how loose they are.
 *
 * @module
 */

/** `"HTTP://h/p"` → `["http", "//h/p"]`; no scheme → `[null, url]`. */
export function splittype(url: string): [string | null, string] {
  const match = /^([^/:]+):([\s\S]*)$/.exec(url);
  return match ? [match[1]!.toLowerCase(), match[2]!] : [null, url];
}

/** `"//h:80/p"` → `["h:80", "/p"]`; a path that does not start with `/` gets one. */
export function splithost(url: string): [string | null, string] {
  const match = /^\/\/([^/#?]*)([\s\S]*)$/.exec(url);
  if (!match) return [null, url];
  let path = match[2]!;
  if (path && !path.startsWith("/")) path = `/${path}`;
  return [match[1]!, path];
}

/** `"user:pw@host"` → `["user:pw", "host"]` (split at the last `@`). */
export function splituser(host: string): [string | null, string] {
  const at = host.lastIndexOf("@");
  return at < 0 ? [null, host] : [host.slice(0, at), host.slice(at + 1)];
}

/** `"user:pw"` → `["user", "pw"]` (split at the first `:`). */
export function splitpasswd(user: string): [string, string | null] {
  const colon = user.indexOf(":");
  return colon < 0 ? [user, null] : [user.slice(0, colon), user.slice(colon + 1)];
}

/** `"host:80"` → `["host", "80"]`; no digits after the last `:` → `[host, null]`. */
export function splitport(host: string): [string, string | null] {
  const match = /^([\s\S]*):([0-9]*)$/.exec(host);
  if (match?.[2]) return [match[1]!, match[2]];
  return [host, null];
}

/** `"url#frag"` → `["url", "frag"]` (split at the last `#`). */
export function splittag(url: string): [string, string | null] {
  const hash = url.lastIndexOf("#");
  return hash < 0 ? [url, null] : [url.slice(0, hash), url.slice(hash + 1)];
}
