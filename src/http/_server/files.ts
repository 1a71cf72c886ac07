/**
 * The pieces of `SimpleHTTPRequestHandler` that need no socket: Python's
 * `translate_path`, the directory listing page, and what netkit adds:
 * `Range` and entity-tag parsing, and the containment check every path that
 * opens something goes through (`servablePath`; the decision itself,
 * `containedPath`, is pure).
 *
 * @module
 */

import { posix } from "node:path";
import { htmlEscape } from "../../_html.js";
import { UnicodeDecodeError } from "../../errors/index.js";
import { quote, unquote } from "../../urllib/parse.js";
import { MAX_RANGES } from "./limits.js";

/** Python's `urllib.parse.unquote(s, errors='surrogatepass')`, falling back to the default handler as Python does. */
export function unquotePath(path: string): string {
  try {
    return unquote(path, { errors: "surrogatepass" });
  } catch (err) {
    if (!(err instanceof UnicodeDecodeError)) throw err;
    return unquote(path);
  }
}

/**
 * Python's `SimpleHTTPRequestHandler.translate_path`: the file `path` (a URL
 * path) names under `directory`. Lexical only: query and fragment dropped,
 * `%XX` decoded, `.` and `..` resolved, any component that is not a plain
 * name skipped, a trailing slash kept. Symbolic links are checked later, by
 * the handler, on the real file system.
 */
export function translatePath(path: string, directory: string): string {
  let p = path.split("?", 1)[0]!;
  p = p.split("#", 1)[0]!;
  const trailingSlash = p.trimEnd().endsWith("/");
  p = posix.normalize(unquotePath(p));
  let out = directory;
  for (const word of p.split("/")) {
    if (word === "" || word === "." || word === ".." || posix.dirname(word) !== ".") continue;
    out = posix.join(out, word);
  }
  if (trailingSlash) out += "/";
  return out;
}

// The containment check is shared with the Gopher server (src/_contain.ts): one check, not two.
export {
  closeFile,
  containedPath,
  isInside,
  type OpenFile,
  openRegularFile,
  openRegularFileSync,
  readFileAt,
  servablePath,
  servablePathSync,
} from "../../_contain.js";

/** Python's `sorted(names, key=str.lower)`: by lower-cased code points, stable. */
export function sortNames(names: string[]): string[] {
  const keyed = names.map((name, i) => ({
    name,
    i,
    key: [...name.toLowerCase()].map((c) => c.codePointAt(0)!),
  }));
  keyed.sort((a, b) => {
    const n = Math.min(a.key.length, b.key.length);
    for (let j = 0; j < n; j++) if (a.key[j] !== b.key[j]) return a.key[j]! - b.key[j]!;
    return a.key.length - b.key.length || a.i - b.i;
  });
  return keyed.map((k) => k.name);
}

/** One entry of a directory listing: its name, and whether it is a directory or a symbolic link. */
export interface ListingEntry {
  name: string;
  isDir: boolean;
  isLink: boolean;
}

/**
 * Python's `list_directory` page, byte for byte: entries sorted by lower-cased
 * name, directories shown with `/`, links with `@`, names HTML-escaped and
 * links percent-encoded, so a file name cannot inject markup.
 * @param urlPath the request path, as the title shows it (decoded, escaped)
 */
export function listingPage(urlPath: string, entries: ListingEntry[]): Buffer {
  const displaypath = htmlEscape(unquotePath(urlPath), false);
  const enc = "utf-8";
  const title = `Directory listing for ${displaypath}`;
  const r = [
    "<!DOCTYPE HTML>",
    '<html lang="en">',
    "<head>",
    `<meta charset="${enc}">`,
    `<title>${title}</title>\n</head>`,
    `<body>\n<h1>${title}</h1>`,
    "<hr>\n<ul>",
  ];
  const byName = new Map(entries.map((e) => [e.name, e]));
  for (const name of sortNames(entries.map((e) => e.name))) {
    const entry = byName.get(name)!;
    let displayname = name;
    let linkname = name;
    if (entry.isDir) {
      displayname = `${name}/`;
      linkname = `${name}/`;
    }
    if (entry.isLink) displayname = `${name}@`; // a link to a directory shows @ and links with /
    r.push(
      `<li><a href="${quote(linkname, { errors: "surrogatepass" })}">${htmlEscape(displayname, false)}</a></li>`,
    );
  }
  r.push("</ul>\n<hr>\n</body>\n</html>\n");
  return Buffer.from(r.join("\n"), "utf8");
}

/** A byte range of a file, both ends included (RFC 9110 14.1.2). */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * Reads a `Range` header against a representation of `size` bytes
 * (RFC 9110 14.2): `"ignore"` for a header that is not a well-formed
 * `bytes=` list (or lists more than MAX_RANGES), `"unsatisfiable"` (416)
 * when no range overlaps the content, else the satisfiable ranges, clipped
 * to the content.
 */
export function parseRange(header: string, size: number): ByteRange[] | "ignore" | "unsatisfiable" {
  const m = /^[\t ]*bytes[\t ]*=[\t ]*(.*)$/is.exec(header);
  if (!m) return "ignore";
  const specs = m[1]!
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  if (specs.length === 0 || specs.length > MAX_RANGES) return "ignore";
  const out: ByteRange[] = [];
  for (const spec of specs) {
    const r = /^(\d{0,15})-(\d{0,15})$/.exec(spec);
    if (!r || (r[1] === "" && r[2] === "")) return "ignore";
    if (r[1] === "") {
      const suffix = Number(r[2]);
      if (suffix > 0 && size > 0) out.push({ start: Math.max(0, size - suffix), end: size - 1 });
      continue;
    }
    const start = Number(r[1]);
    if (r[2] !== "" && Number(r[2]) < start) return "ignore"; // RFC 9110 14.1.1: invalid, the whole field is ignored
    const end = r[2] === "" ? size - 1 : Math.min(Number(r[2]), size - 1);
    if (start < size) out.push({ start, end });
  }
  return out.length === 0 ? "unsatisfiable" : out;
}

/** The entity tags of an `If-None-Match` / `If-Match` list, or `"*"` (RFC 9110 13.1.2). */
export function parseETagList(header: string): string[] | "*" {
  if (header.trim() === "*") return "*";
  return header.match(/(?:W\/)?"[^"]*"/g) ?? [];
}

/** RFC 9110 8.8.3.2 weak comparison: the opaque tags are equal, W/ or not. */
export function weakMatch(a: string, b: string): boolean {
  return a.replace(/^W\//, "") === b.replace(/^W\//, "");
}

/** A strong validator for a file: inode, size and modification time (ms), in hex. */
export function fileETag(ino: number | bigint, size: number, mtimeMs: number): string {
  return `"${ino.toString(16)}-${size.toString(16)}-${Math.floor(mtimeMs).toString(16)}"`;
}
