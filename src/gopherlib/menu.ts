/**
 * Gopher menus as data: parsing a menu into typed items and formatting one
 * back (RFC 1436 3.8: `Type Display TAB Selector TAB Host TAB Port CRLF`,
 * the menu ending in a line holding only `.`). Python 2.5's
 * `gopherlib.get_directory` read lines into lists
 * `[type, display, selector, host, port, plus]`; netkit gives each item
 * named fields, and its port as a number. Pure: no I/O, so the parser is
 * fuzzed without sockets; the client reads a menu's lines with textproto
 * and hands each one to `parseMenuLine`.
 *
 * What a broken menu gives (Python printed a note and went on; netkit
 * records a defect and goes on, so one bad line never loses the menu):
 * - an empty line: skipped (`"empty-line"`);
 * - a line with fewer than three TABs: skipped (`"missing-fields"`),
 *   except an `i` or `3` line, kept with the missing fields empty, as
 *   clients show them (many servers send `iText` alone);
 * - a port that is not a number from 0 to 65535: the item kept, port 0 (`"bad-port"`);
 * - fields past the gopher+ `+`: kept in `extra` (`"extra-fields"`, Python's "Extra info from server");
 * - a line past `maxLine` bytes: skipped without being decoded (`"line-too-long"`);
 * - no `.` line: `terminated` is false.
 *
 * @module
 */

import { asBuffer } from "../_buffer.js";
import { ValueError } from "../errors/index.js";
import { A_ERROR, A_INFO, typeToName } from "./types.js";

/** One line of a menu: Python 2's `[type, display, selector, host, port, plus]`, by name. */
export interface MenuItem {
  /** The one-character item type (`"0"`, `"1"`, `"i"`, ...; see the `A_` constants). */
  type: string;
  /** What a client shows (Python's "user display string"). */
  display: string;
  /** What to send to fetch the item. */
  selector: string;
  /** The server holding the item. */
  host: string;
  /** Its port; 0 when the line had none or a bad one. */
  port: number;
  /** The fifth field: `"+"` on a gopher+ server, else `""`. */
  plus: string;
  /** Fields past the fifth (Python kept them in the list). */
  extra: string[];
}

/** What was wrong with a menu line (see the module doc). */
export type MenuDefectKind = "empty-line" | "missing-fields" | "bad-port" | "extra-fields" | "line-too-long";

/** A defect of one menu line. */
export interface MenuDefect {
  /** The line's number, from 1. */
  line: number;
  /** What was wrong. */
  kind: MenuDefectKind;
  /** The line (its first 200 characters). */
  text: string;
}

/** A parsed menu. */
export interface Menu {
  /** The items, in order (info and error lines included). */
  items: MenuItem[];
  /** What was wrong with lines, in order. */
  defects: MenuDefect[];
  /** True when the menu ended with its `.` line; false when the data (or the connection) ended first. */
  terminated: boolean;
}

/** What `parseMenuLine` makes of one line. */
export interface MenuLineResult {
  /** The item, unless the line was skipped. */
  item?: MenuItem;
  /** What was wrong, if anything. */
  defect?: MenuDefectKind;
}

/** Options of `parseMenu`. */
export interface ParseMenuOptions {
  /** How bytes are decoded (`"latin1"` keeps every byte of a selector). @default "utf-8" */
  encoding?: BufferEncoding;
  /** Longest line in bytes, line end included; longer ones are skipped with a defect. @default no limit */
  maxLine?: number;
}

const PORT = /^[0-9]{1,5}$/;
const SAMPLE = 200;

/**
 * Parses one menu line, without its line end (and not the `.` line).
 * @param line the line
 * @returns the item and what was wrong, if anything (see the module doc)
 * @example
 * ```ts
 * parseMenuLine("0About\t/about.txt\texample.test\t70").item?.selector; // "/about.txt"
 * parseMenuLine("1No tabs here").defect; // "missing-fields"
 * ```
 */
export function parseMenuLine(line: string): MenuLineResult {
  if (line.length === 0) return { defect: "empty-line" };
  const type = String.fromCodePoint(line.codePointAt(0)!);
  const parts = line.slice(type.length).split("\t");
  let defect: MenuDefectKind | undefined;
  if (parts.length < 4) {
    if (type !== A_INFO && type !== A_ERROR) return { defect: "missing-fields" };
    defect = "missing-fields";
    while (parts.length < 4) parts.push("");
  }
  const [display, selector, host, portText, plus = "", ...extra] = parts as [string, string, string, string];
  let port = 0;
  const trimmed = portText.trim();
  if (PORT.test(trimmed) && Number(trimmed) <= 65535) port = Number(trimmed);
  else if (defect === undefined && !(trimmed === "" && (type === A_INFO || type === A_ERROR)))
    defect = "bad-port";
  if (defect === undefined && (extra.length > 0 || (plus !== "" && plus !== "+"))) defect = "extra-fields";
  const item: MenuItem = { type, display, selector, host, port, plus, extra };
  return defect === undefined ? { item } : { item, defect };
}

/**
 * Parses a whole menu, up to its `.` line (Python's `get_directory`, on
 * data already read). Lines end in CRLF or LF.
 * @param data the menu's bytes, or text
 * @param options the encoding of bytes and a line limit
 * @returns the items, the defects, and whether the `.` line came
 * @example
 * ```ts
 * const menu = parseMenu("iWelcome\t\terror.host\t1\r\n0About\t/about.txt\texample.test\t70\r\n.\r\n");
 * menu.items.map((item) => item.type); // ["i", "0"]
 * menu.terminated; // true
 * ```
 */
export function parseMenu(data: string | Uint8Array, options: ParseMenuOptions = {}): Menu {
  const encoding = options.encoding ?? "utf-8";
  const maxLine = options.maxLine ?? Number.POSITIVE_INFINITY;
  const bytes = typeof data === "string" ? Buffer.from(data, encoding) : asBuffer(data);
  const menu: Menu = { items: [], defects: [], terminated: false };
  let lineNumber = 0;
  for (let start = 0; start < bytes.length; ) {
    const lf = bytes.indexOf(0x0a, start);
    const end = lf < 0 ? bytes.length : lf + 1;
    lineNumber++;
    if (end - start > maxLine) {
      const text = bytes.toString(encoding, start, Math.min(end, start + SAMPLE));
      menu.defects.push({ line: lineNumber, kind: "line-too-long", text });
      start = end;
      continue;
    }
    let stop = lf < 0 ? end : lf;
    if (stop > start && bytes[stop - 1] === 0x0d) stop--;
    const line = bytes.toString(encoding, start, stop);
    start = end;
    if (line === ".") {
      menu.terminated = true;
      break;
    }
    addLine(menu, line, lineNumber);
  }
  return menu;
}

/** Adds one line's item and defect to `menu` (the step `parseMenu` and the client share). */
export function addLine(menu: Menu, line: string, lineNumber: number): void {
  const { item, defect } = parseMenuLine(line);
  if (item !== undefined) menu.items.push(item);
  if (defect !== undefined)
    menu.defects.push({ line: lineNumber, kind: defect, text: line.slice(0, SAMPLE) });
}

/** Throws unless `value` can stand in a menu field: no TAB, CR, LF or NUL. */
function checkField(value: string, what: string): void {
  if (/[\t\r\n\0]/.test(value)) {
    throw new ValueError(
      `Cannot format menu ${what} ${JSON.stringify(value.slice(0, 80))}: it holds TAB, CR, LF or NUL`,
    );
  }
}

/**
 * Formats one menu line, without its line end: the inverse of
 * `parseMenuLine` for an item without defects.
 * @param item the item (`plus` and `extra` optional)
 * @returns the line
 * @throws ValueError for a type that is not one character, a field holding
 *   TAB, CR, LF or NUL, or a port that is not an integer from 0 to 65535
 * @example
 * ```ts
 * formatMenuLine({ type: "1", display: "Docs", selector: "/docs/", host: "example.test", port: 70 });
 * // "1Docs\t/docs/\texample.test\t70"
 * ```
 */
export function formatMenuLine(
  item: Pick<MenuItem, "type" | "display" | "selector" | "host" | "port"> &
    Partial<Pick<MenuItem, "plus" | "extra">>,
): string {
  if ([...item.type].length !== 1 || /[\t\r\n\0.]/.test(item.type)) {
    throw new ValueError(
      `Cannot format menu type ${JSON.stringify(item.type)}: must be one character, not TAB, CR, LF, NUL or "."`,
    );
  }
  checkField(item.display, "display string");
  checkField(item.selector, "selector");
  checkField(item.host, "host");
  if (!(Number.isInteger(item.port) && item.port >= 0 && item.port <= 65535)) {
    throw new ValueError(`Cannot format menu port ${item.port}: must be an integer from 0 to 65535`);
  }
  const fields = [item.display, item.selector, item.host, String(item.port)];
  const tail = [item.plus ?? "", ...(item.extra ?? [])];
  for (const field of tail) checkField(field, "field");
  while (tail.length > 0 && tail[tail.length - 1] === "") tail.pop();
  return item.type + [...fields, ...tail].join("\t");
}

/**
 * Formats a whole menu: each item's line with CRLF, then the `.` line.
 * @param items the items
 * @returns the menu as sent on the wire
 * @throws ValueError as `formatMenuLine`
 */
export function formatMenu(items: Iterable<Parameters<typeof formatMenuLine>[0]>): string {
  let out = "";
  for (const item of items) out += `${formatMenuLine(item)}\r\n`;
  return `${out}.\r\n`;
}

/**
 * An info line (`i`), as servers send them: the text, an empty selector,
 * `error.host` and port 1 (the convention of gophernicus and Bucktooth).
 * @param text the text (TAB, CR and LF become spaces)
 * @returns the item
 */
export function infoItem(text: string): MenuItem {
  return {
    type: A_INFO,
    display: text.replace(/[\t\r\n\0]/g, " "),
    selector: "",
    host: "error.host",
    port: 1,
    plus: "",
    extra: [],
  };
}

/**
 * An error line (`3`): what a server answers for a selector it cannot serve.
 * @param text the message (TAB, CR and LF become spaces)
 * @returns the item
 */
export function errorItem(text: string): MenuItem {
  return { ...infoItem(text), type: A_ERROR };
}

/**
 * Python 2's list form of an item, `[type, display, selector, host, port, plus, ...extra]`,
 * with the port as text, as `get_directory` returned each line.
 * @param item the item
 * @returns the list
 */
export function itemToList(item: MenuItem): string[] {
  return [item.type, item.display, item.selector, item.host, String(item.port), item.plus, ...item.extra];
}

/**
 * A readable line for a menu item, as a terminal client lists it:
 * `(MENU)  Docs  gopher://example.test:70/1/docs/`, info lines as their text.
 * @param item the item
 * @param url the item's URL (for links), when the caller has one
 * @returns the line
 */
export function describeItem(item: MenuItem, url?: string): string {
  if (item.type === A_INFO) return `        ${item.display}`;
  const tag = `(${typeToName(item.type)})`;
  return url === undefined ? `${tag.padEnd(8)}${item.display}` : `${tag.padEnd(8)}${item.display}  ${url}`;
}
