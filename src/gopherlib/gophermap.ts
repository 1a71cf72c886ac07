/**
 * Gophermaps, the menu files of a Gopher directory, in the subset of
 * gophernicus's syntax that netkit's `GopherServer` understands. Pure:
 * text in, entries out; the server resolves includes and listings.
 *
 * | line                              | meaning                                              |
 * | --------------------------------- | ---------------------------------------------------- |
 * | `Xname TAB selector TAB host TAB port` | a link of type X; fields after `name` may be left out |
 * | a line without a TAB              | an info line (`i`) showing the line                  |
 * | `#...`                            | a comment                                            |
 * | `!title`                          | the menu's title, shown as an info line              |
 * | `-name`                           | hide `name` from the generated listing              |
 * | `:ext=X`                          | list files ending in `.ext` as type X (this directory) |
 * | `=file`                           | include another gophermap (a file under the root; never run) |
 * | `*`                               | stop, and append the directory's generated listing   |
 * | `.`                               | stop (the end of the file does too)                  |
 *
 * In a link: no selector means the name is the selector; a selector not
 * starting with `/` (nor `URL:`) on this server is relative to the
 * directory; no host means this server; no port means this server's.
 *
 * Not supported, on purpose: executable gophermaps and `=command` (a
 * server never runs what it serves), `~` (users' gopherspaces) and `%`
 * (virtual hosts); such lines are skipped.
 *
 * @module
 */
import { infoItem, type MenuItem } from "./menu.js";

/** Where a gophermap is: what its links are relative to. */
export interface GophermapContext {
  /** The directory's selector, ending in `/` (`"/"`, `"/docs/"`). */
  directory: string;
  /** This server's host name, for links without one. */
  host: string;
  /** This server's port, for links without one. */
  port: number;
}

/** A menu line of a gophermap. */
export interface GophermapItem {
  /** What it is. */
  kind: "item";
  /** The line as a menu item, its selector, host and port filled in. */
  item: MenuItem;
}

/** A `=file` line: another gophermap to include. */
export interface GophermapInclude {
  /** What it is. */
  kind: "include";
  /** The file, relative to the directory, or from the root when it starts with `/`. */
  file: string;
}

/** A `*` line: the generated listing goes here. */
export interface GophermapListing {
  /** What it is. */
  kind: "listing";
}

/** One thing a gophermap says, in order. */
export type GophermapEntry = GophermapItem | GophermapInclude | GophermapListing;

/** A parsed gophermap. */
export interface Gophermap {
  /** The items, includes and the listing, in order. */
  entries: GophermapEntry[];
  /** Names hidden from the generated listing (`-name`). */
  hidden: Set<string>;
  /** Types by lower-case extension, without the dot (`:png=I`). */
  types: Map<string, string>;
}

/**
 * Parses a gophermap (see the module doc).
 * @param text the file's text (lines end in LF or CRLF)
 * @param context the directory's selector and this server's host and port
 * @returns the entries, hidden names and type overrides
 * @example
 * ```ts
 * const map = parseGophermap("!Welcome\n0About\tabout.txt\n*\n", { directory: "/", host: "127.0.0.1", port: 7070 });
 * map.entries.length; // 3: the title, the link, the listing
 * ```
 */
export function parseGophermap(text: string, context: GophermapContext): Gophermap {
  const map: Gophermap = { entries: [], hidden: new Set(), types: new Map() };
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop(); // the end of the last line, not an empty line
  for (const raw of lines) {
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (line === ".") break;
    if (line === "*") {
      map.entries.push({ kind: "listing" });
      break;
    }
    if (!line.includes("\t")) {
      const rest = line.slice(1);
      switch (line[0]) {
        case "#":
        case "~":
        case "%":
          continue;
        case "!":
          map.entries.push({ kind: "item", item: infoItem(rest) });
          continue;
        case "-":
          if (rest !== "") map.hidden.add(rest);
          continue;
        case ":": {
          const eq = rest.indexOf("=");
          if (eq > 0 && rest.length === eq + 2) map.types.set(rest.slice(0, eq).toLowerCase(), rest[eq + 1]!);
          continue;
        }
        case "=":
          if (rest !== "") map.entries.push({ kind: "include", file: rest });
          continue;
        default:
          map.entries.push({ kind: "item", item: infoItem(line) });
          continue;
      }
    }
    const item = linkItem(line, context);
    if (item !== undefined) map.entries.push({ kind: "item", item });
  }
  return map;
}

/** A link line as an item, its selector, host and port filled in; `undefined` for a line with no name. */
function linkItem(line: string, context: GophermapContext): MenuItem | undefined {
  const type = String.fromCodePoint(line.codePointAt(0)!);
  const [name = "", selectorField = "", hostField = "", portField = ""] = line.slice(type.length).split("\t");
  let selector = selectorField === "" ? name : selectorField;
  const host = hostField === "" ? context.host : hostField;
  const local = hostField === "";
  if (local && !selector.startsWith("/") && !selector.startsWith("URL:"))
    selector = context.directory + selector;
  const portText = portField.trim();
  const port = /^[0-9]{1,5}$/.test(portText) && Number(portText) <= 65535 ? Number(portText) : context.port;
  const clean = (s: string) => s.replace(/[\r\0]/g, "");
  return {
    type,
    display: clean(name),
    selector: clean(selector),
    host: clean(host),
    port,
    plus: "",
    extra: [],
  };
}
