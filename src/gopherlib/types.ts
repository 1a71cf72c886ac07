/**
 * Gopher item types: Python 2.5's `gopherlib` constants (`A_TEXT`,
 * `A_MENU`, ... and `type_to_name`), completed with the rest of RFC 1436
 * and the common extensions (`i` info, `h` HTML, `d` document, `;` video,
 * gopher+'s `:` `<`), and what netkit adds to act on a type: how its
 * content is read (`itemKind`) and which type a file has (`typeForFile`).
 *
 * RFC 1436 3.8 types: 0 1 2 3 4 5 6 7 8 9 + T g I. Gopher+ (1993) adds
 * `:` image, `;` movie, `<` sound. The rest are de facto: `i` and `h`
 * are everywhere, the others appear in gophernicus's gophermap README.
 *
 * @module
 */
import { extname } from "node:path";
import { guessType } from "../mimetypes.js";

/** Python's `A_TEXT`: a text file (RFC 1436 `0`). */
export const A_TEXT = "0";
/** Python's `A_MENU`: a menu, also called a directory (RFC 1436 `1`). */
export const A_MENU = "1";
/** Python's `A_CSO`: a CSO phone-book server (RFC 1436 `2`). */
export const A_CSO = "2";
/** Python's `A_ERROR`: an error (RFC 1436 `3`). */
export const A_ERROR = "3";
/** Python's `A_MACBINHEX`: a BinHexed Macintosh file (RFC 1436 `4`). */
export const A_MACBINHEX = "4";
/** Python's `A_PCBINHEX`: a DOS binary archive (RFC 1436 `5`). */
export const A_PCBINHEX = "5";
/** Python's `A_UUENCODED`: a UNIX uuencoded file (RFC 1436 `6`). */
export const A_UUENCODED = "6";
/** Python's `A_INDEX`: an index-search server (RFC 1436 `7`). */
export const A_INDEX = "7";
/** Python's `A_TELNET`: a text-based telnet session (RFC 1436 `8`). */
export const A_TELNET = "8";
/** Python's `A_BINARY`: a binary file (RFC 1436 `9`). */
export const A_BINARY = "9";
/** Python's `A_DUPLICATE`: a redundant server for the item before it (RFC 1436 `+`). */
export const A_DUPLICATE = "+";
/** Python's `A_SOUND`: a sound file (`s`). */
export const A_SOUND = "s";
/** Python's `A_EVENT` (`e`). */
export const A_EVENT = "e";
/** Python's `A_CALENDAR` (`c`). */
export const A_CALENDAR = "c";
/** Python's `A_HTML`: an HTML file or a `URL:` link (`h`). */
export const A_HTML = "h";
/** Python's `A_TN3270`: a tn3270 session (RFC 1436 `T`). */
export const A_TN3270 = "T";
/** Python's `A_MIME`: a MIME file, a mailbox (`M`). */
export const A_MIME = "M";
/** Python's `A_IMAGE`: an image file (RFC 1436 `I`). */
export const A_IMAGE = "I";
/** Python's `A_WHOIS` (`w`). */
export const A_WHOIS = "w";
/** Python's `A_QUERY` (`q`). */
export const A_QUERY = "q";
/** Python's `A_GIF`: a GIF image (RFC 1436 `g`). */
export const A_GIF = "g";
/** Python's `A_PLUS_IMAGE`: a gopher+ image (`:`). */
export const A_PLUS_IMAGE = ":";
/** Python's `A_PLUS_MOVIE`: a gopher+ movie (`;`; gophernicus's video type too). */
export const A_PLUS_MOVIE = ";";
/** Python's `A_PLUS_SOUND`: a gopher+ sound (`<`). */
export const A_PLUS_SOUND = "<";
/** netkit's: an informational line, not a link (`i`, de facto). */
export const A_INFO = "i";
/** netkit's: a document (PDF, PostScript, Word; `d`, gophernicus). */
export const A_DOCUMENT = "d";

/** Every named type with its Python name (without `A_`): `type_to_name`'s table. */
const NAMES: ReadonlyMap<string, string> = new Map([
  [A_TEXT, "TEXT"],
  [A_MENU, "MENU"],
  [A_CSO, "CSO"],
  [A_ERROR, "ERROR"],
  [A_MACBINHEX, "MACBINHEX"],
  [A_PCBINHEX, "PCBINHEX"],
  [A_UUENCODED, "UUENCODED"],
  [A_INDEX, "INDEX"],
  [A_TELNET, "TELNET"],
  [A_BINARY, "BINARY"],
  [A_DUPLICATE, "DUPLICATE"],
  [A_SOUND, "SOUND"],
  [A_EVENT, "EVENT"],
  [A_CALENDAR, "CALENDAR"],
  [A_HTML, "HTML"],
  [A_TN3270, "TN3270"],
  [A_MIME, "MIME"],
  [A_IMAGE, "IMAGE"],
  [A_WHOIS, "WHOIS"],
  [A_QUERY, "QUERY"],
  [A_GIF, "GIF"],
  [A_PLUS_IMAGE, "PLUS_IMAGE"],
  [A_PLUS_MOVIE, "PLUS_MOVIE"],
  [A_PLUS_SOUND, "PLUS_SOUND"],
  [A_INFO, "INFO"],
  [A_DOCUMENT, "DOCUMENT"],
]);

/**
 * Python's `type_to_name(gtype)`: the constant's name without `A_`, or
 * `TYPE='x'` for a type it does not know. (Python 2.5 maps `w` to `WWW` or
 * `WHOIS` depending on dictionary order; netkit says `WHOIS`.)
 * @param gtype the one-character type
 * @returns the name
 * @example
 * ```ts
 * typeToName("1"); // "MENU"
 * typeToName("x"); // "TYPE='x'"
 * ```
 */
export function typeToName(gtype: string): string {
  return NAMES.get(gtype) ?? `TYPE='${gtype}'`;
}

/**
 * How a client reads what a selector of a type returns, and how it shows it:
 * - `"menu"`: a menu, ending in a `.` line (`1`, and `7` search results);
 * - `"text"`: a text file, dot-terminated and dot-stuffed (`0`, `4`, `6`);
 * - `"binary"`: bytes until the server closes (`5`, `9`, `g`, `I`, `s`, `h`, ...);
 * - `"info"`, `"error"`: menu lines that are not links (`i`, `3`);
 * - `"session"`: not a file: a telnet, tn3270 or CSO session (`8`, `T`, `2`).
 */
export type ItemKind = "menu" | "text" | "binary" | "info" | "error" | "session";

/**
 * The kind of a type (see `ItemKind`). Unknown types are `"binary"`, read
 * as they come, which loses nothing. `h` is binary: HTML files are sent as
 * they are by every server seen (gophernicus included), with no `.` line.
 * @param gtype the one-character type
 * @returns the kind
 */
export function itemKind(gtype: string): ItemKind {
  switch (gtype) {
    case A_MENU:
    case A_INDEX:
      return "menu";
    case A_TEXT:
    case A_MACBINHEX:
    case A_UUENCODED:
      return "text";
    case A_INFO:
      return "info";
    case A_ERROR:
      return "error";
    case A_TELNET:
    case A_TN3270:
    case A_CSO:
      return "session";
    default:
      return "binary";
  }
}

/**
 * The type a file is served as, from its name (mimetypes' guess), as
 * gophernicus chooses: text `0`, HTML `h`, GIF `g`, other images `I`,
 * sound `s`, video `;`, PDF and PostScript `d`, BinHex `4`, archives `5`,
 * anything else binary `9`.
 * @param name the file's name
 * @returns the type
 */
export function typeForFile(name: string): string {
  const ext = extname(name).toLowerCase();
  if (ext === ".hqx") return A_MACBINHEX;
  if (ext === ".uu" || ext === ".uue") return A_UUENCODED;
  if ([".zip", ".gz", ".tgz", ".bz2", ".xz", ".tar", ".7z", ".z"].includes(ext)) return A_PCBINHEX;
  const [type] = guessType(name, false);
  if (type === null) return ext === "" || ext === ".md" ? A_TEXT : A_BINARY;
  if (type === "text/html") return A_HTML;
  if (type.startsWith("text/")) return A_TEXT;
  if (type === "image/gif") return A_GIF;
  if (type.startsWith("image/")) return A_IMAGE;
  if (type.startsWith("audio/")) return A_SOUND;
  if (type.startsWith("video/")) return A_PLUS_MOVIE;
  if (type === "application/pdf" || type === "application/postscript") return A_DOCUMENT;
  return A_BINARY;
}
