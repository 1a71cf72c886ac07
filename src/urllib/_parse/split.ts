/**
 * URL splitting and joining on text (internal to `netkit/urllib/parse`):
 * the bodies of CPython's `urlsplit`, `urlparse`, `_splitparams` and
 * `urljoin` once `str`/`bytes` coercion is done. Parts travel as plain
 * arrays; the public functions wrap them in result objects.
 *
 * Scanning uses `indexOf` and `charCodeAt` loops, never a backtracking
 * regular expression, so the cost is linear in the URL's length.
 *
 * @module
 */
import { ValueError } from "../../errors/index.js";
import { checkBracketedNetloc, checkNetloc } from "./hosts.js";
import { USES_NETLOC, USES_PARAMS, USES_RELATIVE, unparseStrings } from "./results.js";

/** Python's `scheme_chars`: the characters a scheme may contain. */
export const SCHEME_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-.";

/** The characters of `scheme_chars`, as a lookup table. */
const SCHEME_CHAR = new Uint8Array(128);
for (let i = 0; i < SCHEME_CHARS.length; i++) SCHEME_CHAR[SCHEME_CHARS.charCodeAt(i)] = 1;

/** The five parts of a split URL. */
export type Parts5 = [string, string, string, string, string];
/** The six parts of a parsed URL. */
export type Parts6 = [string, string, string, string, string, string];

/** Index of the first C0 control or space not to strip (WHATWG "C0 control or space"). */
function c0End(text: string): number {
  let i = 0;
  while (i < text.length && text.charCodeAt(i) <= 0x20) i++;
  return i;
}

const TAB_OR_NEWLINE = /[\t\n\r]/;
const TAB_OR_NEWLINE_ALL = /[\t\n\r]/g;

/** CPython's `urlsplit` on text. */
export function splitText(url: string, scheme: string, allowFragments: boolean): Parts5 {
  // WHATWG URL: strip leading C0 control or space; only leading, since some
  // applications rely on trailing spaces (CPython gh-102153).
  const lead = c0End(url);
  if (lead > 0) url = url.slice(lead);
  if (scheme) {
    let end = scheme.length;
    while (end > 0 && scheme.charCodeAt(end - 1) <= 0x20) end--;
    scheme = scheme.slice(c0End(scheme), end);
  }
  // WHATWG URL: tab and newline are removed anywhere (bpo-43882).
  if (TAB_OR_NEWLINE.test(url)) url = url.replace(TAB_OR_NEWLINE_ALL, "");
  if (scheme && TAB_OR_NEWLINE.test(scheme)) scheme = scheme.replace(TAB_OR_NEWLINE_ALL, "");

  let netloc = "";
  let query = "";
  let fragment = "";
  const colon = url.indexOf(":");
  if (colon > 0) {
    const c0 = url.charCodeAt(0) | 0x20;
    if (c0 >= 0x61 && c0 <= 0x7a) {
      let i = 1;
      while (i < colon) {
        const c = url.charCodeAt(i);
        if (c >= 0x80 || SCHEME_CHAR[c] === 0) break;
        i++;
      }
      if (i === colon) {
        scheme = url.slice(0, colon).toLowerCase();
        url = url.slice(colon + 1);
      }
    }
  }
  if (url.charCodeAt(0) === 0x2f && url.charCodeAt(1) === 0x2f) {
    // The authority ends at the first "/", "?" or "#" (RFC 3986 section 3.2).
    const n = url.length;
    let delim = 2;
    while (delim < n) {
      const c = url.charCodeAt(delim);
      if (c === 0x2f || c === 0x3f || c === 0x23) break;
      delim++;
    }
    netloc = url.slice(2, delim);
    url = url.slice(delim);
    const open = netloc.indexOf("[");
    const close = netloc.indexOf("]");
    if (open >= 0 !== close >= 0) throw new ValueError("Invalid IPv6 URL");
    if (open >= 0) checkBracketedNetloc(netloc);
  }
  if (allowFragments) {
    const hash = url.indexOf("#");
    if (hash >= 0) {
      fragment = url.slice(hash + 1);
      url = url.slice(0, hash);
    }
  }
  const qmark = url.indexOf("?");
  if (qmark >= 0) {
    query = url.slice(qmark + 1);
    url = url.slice(0, qmark);
  }
  checkNetloc(netloc);
  return [scheme, netloc, url, query, fragment];
}

/** CPython's `_splitparams`: `;params` of the last path segment. */
function splitParams(url: string): [string, string] {
  let i: number;
  const slash = url.lastIndexOf("/");
  if (slash >= 0) {
    i = url.indexOf(";", slash);
    if (i < 0) return [url, ""];
  } else {
    i = url.indexOf(";");
  }
  return [url.slice(0, i), url.slice(i + 1)];
}

/** CPython's `urlparse` on text. */
export function parseText(url: string, scheme: string, allowFragments: boolean): Parts6 {
  const [s, netloc, path, query, fragment] = splitText(url, scheme, allowFragments);
  if (USES_PARAMS.has(s) && path.includes(";")) {
    const [p, params] = splitParams(path);
    return [s, netloc, p, params, query, fragment];
  }
  return [s, netloc, path, "", query, fragment];
}

/** CPython's `urljoin` on text (RFC 3986 section 5.2, with CPython's quirks). */
export function joinText(base: string, url: string, allowFragments: boolean): string {
  const [bscheme, bnetloc, bpath, bparams, bquery] = parseText(base, "", allowFragments);
  let [scheme, netloc, path, params, query, fragment] = parseText(url, bscheme, allowFragments);
  if (scheme !== bscheme || !USES_RELATIVE.has(scheme)) return url;
  if (USES_NETLOC.has(scheme)) {
    if (netloc) return unparseStrings(scheme, netloc, path, params, query, fragment);
    netloc = bnetloc;
  }
  if (!path && !params) {
    return unparseStrings(scheme, netloc, bpath, bparams, query || bquery, fragment);
  }
  let segments: string[];
  if (path.charCodeAt(0) === 0x2f) {
    // RFC 3986 section 5.2.2: an absolute path ignores the base path.
    segments = path.split("/");
  } else {
    const baseParts = bpath.split("/");
    // The last base segment is a file name, not a directory: it is dropped.
    if (baseParts[baseParts.length - 1] !== "") baseParts.pop();
    const all = baseParts.concat(path.split("/"));
    // Drop empty inner segments so re-joining does not produce "//".
    segments = all.length < 2 ? all : [all[0]!, ...all.slice(1, -1).filter(Boolean), all[all.length - 1]!];
  }
  const resolved: string[] = [];
  for (const seg of segments) {
    if (seg === "..") resolved.pop();
    else if (seg !== ".") resolved.push(seg);
  }
  const last = segments[segments.length - 1];
  // A trailing "." or ".." names a directory: keep the trailing slash (RFC 3986 section 5.4.1).
  if (last === "." || last === "..") resolved.push("");
  return unparseStrings(scheme, netloc, resolved.join("/") || "/", params, query, fragment);
}
