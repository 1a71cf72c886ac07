/**
 * The mailcap parser (RFC 1524), pure: text in, a table of entries out. It
 * mirrors Python 3.11's `mailcap._readmailcapfile`, `parseline` and
 * `parsefield` step by step, so a file means the same to both:
 *
 * ```text
 * # comment                         a line starting with "#" (first column only)
 * text/plain; less %s; needsterminal
 * │           │        └─ flag: a field with no "=", value ""
 * │           └─ the view command (field 2), stored as "view"
 * └─ the type, lower-cased, spaces around "/" removed
 * image/*; xv %s; test=test -n "$DISPLAY"; \
 *     description=Images            a line ending in backslash-newline continues
 * ```
 *
 * Python's details, kept: a backslash hides the character after it from the
 * field splitter (`\;` does not end a field) and stays in the value; a field
 * named twice keeps its first value (`view` can't be replaced); an entry
 * needs a type and a second field, and a line ending just after `;` has an
 * empty second field only when a newline follows it; lines end at LF, CRLF
 * or a lone CR (text-mode `readline`). Where netkit differs: an entry longer
 * than {@link MAX_MAILCAP_LINE} or holding bytes that are not UTF-8 is
 * skipped (Python reads any length, and fails the whole file on bad UTF-8);
 * a field named `lineno` in the file is dropped, since `lineno` is the key
 * `getcaps` numbers entries with.
 *
 * @module
 */
import { isPySpace, pyStrip } from "../_pystr.js";
import { decodeUtf8Lines } from "../_utf8_lines.js";
import { MAX_MAILCAP_LINE } from "./limits.js";

/**
 * One mailcap entry, as Python's dict: `view` holds the view command (the
 * second field), every other field its value (`test`, `print`, `edit`,
 * `compose`, `nametemplate`, `description`, ...), a flag such as
 * `copiousoutput` or `needsterminal` the empty string. `getcaps` adds
 * `lineno`, the entry's position across all files read, which orders
 * `lookup`'s answer. The object has no prototype, so a field named
 * `constructor` or `__proto__` is a field like any other.
 */
export interface MailcapEntry {
  /** The view command: the entry's second field, unsubstituted. */
  view: string;
  /** The entry's number across the files `getcaps` read (absent from `readmailcapfile`'s entries). */
  lineno?: number;
  /** Every other field by name; a flag's value is `""`. */
  [field: string]: string | number | undefined;
}

/** MIME type (lower case) → its entries in file order: Python's caps dict. */
export type MailcapCaps = Map<string, MailcapEntry[]>;

/** The lines of a mailcap file: each ends in `\n` (the last one may not), as text-mode `readline` gives them. */
export interface MailcapLines {
  /** The lines, line ends translated to `\n`. */
  readonly lines: readonly string[];
  /** Indexes of lines whose bytes were not UTF-8: an entry touching one is skipped. */
  readonly bad?: ReadonlySet<number>;
}

/** Text-mode `readline()` with universal newlines: a line ends at LF, CRLF or a lone CR. */
const TEXT_LINES = /[^\r\n]*(?:\r\n|\r|\n|$)/g;

/** Splits text into lines as Python's text-mode `readline` does, each end translated to `\n`. */
export function splitLines(text: string): string[] {
  const lines: string[] = [];
  for (const m of text.matchAll(TEXT_LINES)) {
    const line = m[0];
    if (line === "") continue; // the empty match at the end
    const last = line.charCodeAt(line.length - 1);
    if (last === 0x0a) lines.push(line.endsWith("\r\n") ? `${line.slice(0, -2)}\n` : line);
    else if (last === 0x0d) lines.push(`${line.slice(0, -1)}\n`);
    else lines.push(line);
  }
  return lines;
}

/**
 * The lines of a mailcap file's bytes, decoded as UTF-8. A line that is not
 * UTF-8 is marked bad rather than failing the file, as Python does: the
 * entry it belongs to is skipped.
 */
export function decodeLines(bytes: Uint8Array): MailcapLines {
  const { text, bad } = decodeUtf8Lines(bytes);
  return bad.length === 0 ? { lines: splitLines(text) } : { lines: splitLines(text), bad: new Set(bad) };
}

/**
 * Python's `parsefield`: the field starting at `i`, stripped, and the index
 * of the `;` (or the end) that ends it. A backslash skips the character
 * after it, so `\;` stays inside the field.
 */
function parseField(line: string, i: number): [string, number] {
  const start = i;
  const n = line.length;
  while (i < n) {
    const c = line.charCodeAt(i);
    if (c === 0x3b /* ; */) break;
    i += c === 0x5c /* \ */ ? 2 : 1;
  }
  return [pyStrip(line.slice(start, i)), i];
}

/** Python's `parseline`: `[type, fields]` of one (joined) entry line, or null when it has fewer than two fields. */
export function parseLine(line: string): [string, MailcapEntry] | null {
  const fields: string[] = [];
  let i = 0;
  while (i < line.length) {
    const [field, end] = parseField(line, i);
    fields.push(field);
    i = end + 1; // past the semicolon
  }
  if (fields.length < 2) return null;
  const entry = Object.create(null) as MailcapEntry;
  entry.view = fields[1]!;
  for (let k = 2; k < fields.length; k++) {
    const field = fields[k]!;
    const eq = field.indexOf("=");
    const name = eq < 0 ? field : pyStrip(field.slice(0, eq));
    // The first value of a field wins, as in Python; `lineno` is getcaps's own key.
    if (name in entry || name === "lineno") continue;
    entry[name] = eq < 0 ? "" : pyStrip(field.slice(eq + 1));
  }
  return [fields[0]!, entry];
}

/** Python's key normalisation: each `/`-separated part stripped, then the whole lower-cased. */
function normalizeType(key: string): string {
  // The common key ("text/plain") has no white space to strip: skip the split.
  let i = 0;
  while (i < key.length && !isPySpace(key.charCodeAt(i))) i++;
  if (i === key.length) return key.toLowerCase();
  return key.split("/").map(pyStrip).join("/").toLowerCase();
}

/**
 * Python's `_readmailcapfile(fp, lineno)`: the entries of one file by type,
 * numbered from `lineno` on when it is a number (getcaps numbers entries
 * across files; `readmailcapfile` passes null and numbers none).
 *
 * @returns the table and the next number (null when not numbering)
 */
export function parseMailcap(file: MailcapLines, lineno: number | null): [MailcapCaps, number | null] {
  const caps: MailcapCaps = new Map();
  const { lines, bad } = file;
  let next = lineno;
  let at = 0;
  while (at < lines.length) {
    const first = at;
    let line = lines[at++]!;
    // Comments and blank lines.
    if (line[0] === "#" || pyStrip(line) === "") continue;
    // Continuation lines: "\\\n" at the end joins the next line (or "\n" at the end of the file).
    let skip = bad?.has(first) ?? false;
    if (line.endsWith("\\\n")) {
      const parts = [line.slice(0, -2)];
      let length = parts[0]!.length;
      let nextLine = line;
      while (nextLine.endsWith("\\\n")) {
        if (bad?.has(at)) skip = true;
        nextLine = at < lines.length ? lines[at++]! : "\n";
        const part = nextLine.endsWith("\\\n") ? nextLine.slice(0, -2) : nextLine;
        length += part.length;
        // Past the limit the parts are dropped but the lines still consumed, so the entry ends where Python's does.
        if (length <= MAX_MAILCAP_LINE) parts.push(part);
      }
      if (length > MAX_MAILCAP_LINE) continue;
      line = parts.join("");
    }
    if (skip || line.length > MAX_MAILCAP_LINE) continue;
    const parsed = parseLine(line);
    if (parsed === null || parsed[0] === "") continue;
    const [key, entry] = parsed;
    if (next !== null) entry.lineno = next++;
    const type = normalizeType(key);
    const list = caps.get(type);
    if (list) list.push(entry);
    else caps.set(type, [entry]);
  }
  return [caps, next];
}

/**
 * Python's `mailcap.readmailcapfile(fp)`: the entries of one mailcap file,
 * by MIME type (lower case), in file order, without `lineno`.
 *
 * @deprecated As in Python (deprecated there since 3.11 and gone in 3.13 with
 * the module): use {@link getcaps}, which numbers entries so `lookup` keeps
 * their file order across types and files.
 * @param text the file's text, or its bytes (UTF-8; a line that is not is skipped with its entry)
 * @returns MIME type → entries
 * @example
 * ```ts
 * const caps = readmailcapfile("text/plain; less %s; needsterminal\n");
 * caps.get("text/plain")?.[0]?.view; // "less %s"
 * ```
 */
export function readmailcapfile(text: string | Uint8Array): MailcapCaps {
  const lines = typeof text === "string" ? { lines: splitLines(text) } : decodeLines(text);
  return parseMailcap(lines, null)[0];
}
