/**
 * `gopher:` URLs (RFC 4266) and the selector helpers of Python 2.5's
 * urllib and gopherlib (`splitgophertype`, `path_to_selector`,
 * `path_to_datatype_name`). Pure.
 *
 * ```text
 * gopher://host[:port]/<type><selector>[%09<search>[%09<gopher+ string>]]
 * ```
 *
 * The type is the path's first character (`1`, a menu, when the path is
 * empty); the rest, percent-decoded, is the selector; a TAB (`%09`) in it
 * starts the search string of a type 7 item, a second TAB the gopher+
 * string. Python 2's urllib and urllib2 took a search from `?query`
 * instead; netkit does that only for type 7 URLs without a `%09`, as lynx
 * does, and otherwise keeps `?...` in the selector, as curl does (a
 * selector may hold a `?`).
 *
 * @module
 */
import { ValueError } from "../errors/index.js";
import { quote, unquote, urlsplit } from "../urllib/parse.js";
import { GopherURLError } from "./errors.js";
import { A_INDEX, A_MENU, typeToName } from "./types.js";

/** The default Gopher port (Python's `DEF_PORT`). */
export const DEF_PORT = 70;

/** What a `gopher:` URL names. */
export interface GopherURL {
  /** The server's host name or address (IPv6 without brackets). */
  host: string;
  /** The port. @default 70 */
  port: number;
  /** The item type, one character. @default "1" */
  type: string;
  /** The selector, percent-decoded (UTF-8). */
  selector: string;
  /** The search string of a type 7 item; `null` when the URL has none. */
  search: string | null;
  /** The gopher+ string after a second TAB; `null` when the URL has none. */
  gopherPlus: string | null;
}

/** What `formatGopherUrl` takes: a `GopherURL` whose `port`, `type`, `search` and `gopherPlus` may be left out. */
export type GopherURLParts = Pick<GopherURL, "host" | "selector"> &
  Partial<Omit<GopherURL, "host" | "selector">>;

/** Characters left as they are in a formatted URL's path: RFC 3986 pchar and `/`, less `%`. */
const SAFE = "/:@!$&'()*+,;=~";

/**
 * Parses a `gopher:` URL (RFC 4266 2).
 * @param url the URL
 * @returns its parts
 * @throws GopherURLError (`ERR_GOPHER_BAD_URL`) when it is not a `gopher:`
 *   URL, has no host, or has a port that is not a number from 0 to 65535
 * @example
 * ```ts
 * parseGopherUrl("gopher://example.test/7/search%09cats");
 * // { host: "example.test", port: 70, type: "7", selector: "/search", search: "cats", gopherPlus: null }
 * ```
 */
export function parseGopherUrl(url: string): GopherURL {
  const parts = urlsplit(url);
  if (parts.scheme !== "gopher")
    throw new GopherURLError(`Cannot open ${JSON.stringify(url)}: not a gopher: URL`);
  const host = parts.hostname;
  if (!host) throw new GopherURLError(`Cannot open ${JSON.stringify(url)}: no host given`);
  let port: number | null;
  try {
    port = parts.port;
  } catch (err) {
    if (!(err instanceof ValueError)) throw err;
    throw new GopherURLError(`Cannot open ${JSON.stringify(url)}: ${err.message}`);
  }
  const [type, rest] = splitTypeAndRest(parts.path);
  const decoded = unquote(rest);
  const tab = decoded.indexOf("\t");
  let selector = tab < 0 ? decoded : decoded.slice(0, tab);
  let search: string | null = null;
  let gopherPlus: string | null = null;
  if (tab >= 0) {
    const after = decoded.slice(tab + 1);
    const second = after.indexOf("\t");
    search = second < 0 ? after : after.slice(0, second);
    if (second >= 0) gopherPlus = after.slice(second + 1);
  }
  if (parts.query !== "" || url.split("#", 1)[0]!.includes("?")) {
    // urlsplit took "?..." off the path: for a type 7 item without a TAB it is the search (lynx,
    // Python 2's urllib); otherwise it is part of the selector (curl), put back as it came.
    if (type === A_INDEX && search === null) search = unquote(parts.query);
    else if (tab < 0) selector += `?${unquote(parts.query)}`;
    else search = `${search}?${unquote(parts.query)}`;
  }
  return { host, port: port ?? DEF_PORT, type, selector, search, gopherPlus };
}

/** A URL path's type (decoded: `%3C` is `<`) and the rest, still encoded. */
function splitTypeAndRest(path: string): [string, string] {
  if (path === "" || path === "/") return [A_MENU, ""];
  const body = path.startsWith("/") ? path.slice(1) : path;
  if (/^%[0-9A-Fa-f]{2}/.test(body)) return [unquote(body.slice(0, 3)), body.slice(3)];
  const type = String.fromCodePoint(body.codePointAt(0)!);
  return [type, body.slice(type.length)];
}

/**
 * Formats a `gopher:` URL: the inverse of `parseGopherUrl`.
 * @param parts host, port (70 is left out), type (`1`), selector, search, gopher+ string
 * @returns the URL
 * @example
 * ```ts
 * formatGopherUrl({ host: "example.test", type: "0", selector: "/a b.txt" }); // "gopher://example.test/0/a%20b.txt"
 * ```
 */
export function formatGopherUrl(parts: GopherURLParts): string {
  const host = parts.host.includes(":") ? `[${parts.host}]` : parts.host;
  const port = parts.port === undefined || parts.port === DEF_PORT ? "" : `:${parts.port}`;
  const type = quote(parts.type ?? A_MENU, { safe: SAFE.replace("/", "") });
  let path = quote(parts.selector, { safe: SAFE });
  if (parts.search !== undefined && parts.search !== null)
    path += `%09${quote(parts.search, { safe: SAFE })}`;
  if (parts.gopherPlus !== undefined && parts.gopherPlus !== null) {
    if (parts.search === undefined || parts.search === null) path += "%09";
    path += `%09${quote(parts.gopherPlus, { safe: SAFE })}`;
  }
  return `gopher://${host}${port}/${type}${path}`;
}

/**
 * Python 2 urllib's `splitgophertype(selector)`: `"/1/docs"` is `["1", "/docs"]`;
 * a selector without `/X` is `[null, selector]`.
 * @param selector a URL's selector (its path)
 * @returns the type and the rest
 */
export function splitgophertype(selector: string): [string | null, string] {
  if (selector.startsWith("/") && selector.length > 1) {
    const type = String.fromCodePoint(selector.codePointAt(1)!);
    return [type, selector.slice(1 + type.length)];
  }
  return [null, selector];
}

/**
 * Python 2 gopherlib's `path_to_selector(path)`: the selector of a URL
 * path, `"/"` for the root.
 * @param path a URL path (`"/0/about.txt"`)
 * @returns the selector (`"/about.txt"`)
 */
export function pathToSelector(path: string): string {
  if (path === "/") return "/";
  return path.slice(2);
}

/**
 * Python 2 gopherlib's `path_to_datatype_name(path)`: the type name of a
 * URL path, `"TYPE='unknown'"` for the root.
 * @param path a URL path
 * @returns the name (`"TEXT"` for `"/0/about.txt"`)
 */
export function pathToDatatypeName(path: string): string {
  if (path === "/") return "TYPE='unknown'";
  return typeToName(path[1] ?? "");
}
