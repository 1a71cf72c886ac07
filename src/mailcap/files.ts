/**
 * Reading the mailcap files: Python 3.11's `mailcap.listmailcapfiles` and
 * `getcaps`, the only part of `netkit/mailcap` that touches the file system.
 *
 * The files, in Python's order: the `MAILCAPS` environment variable (a
 * `:`-separated list) when it is set, else `~/.mailcap` (`$HOME`, or `.`
 * without it), `/etc/mailcap`, `/usr/etc/mailcap`, `/usr/local/etc/mailcap`.
 * A file that cannot be read is skipped, as in Python. Where netkit differs:
 * a path that is not a regular file (a FIFO, a device) is skipped (Python
 * would wait on a FIFO for a writer, forever); a file larger than
 * {@link MAX_MAILCAP_FILE} is skipped; a line that is not UTF-8 is skipped
 * with its entry (Python's `getcaps` raises UnicodeDecodeError).
 *
 * @module
 */
import { closeSync, constants, fstatSync, openSync, readSync } from "node:fs";
import { isSystemError } from "../errors/index.js";
import { MAX_MAILCAP_FILE } from "./limits.js";
import { decodeLines, type MailcapCaps, type MailcapLines, parseMailcap } from "./parse.js";

/**
 * Python's `mailcap.listmailcapfiles()`: the mailcap files `getcaps` reads,
 * in order, whether or not they exist.
 * @returns the paths, from `MAILCAPS` when it is set
 * @example
 * ```ts
 * listmailcapfiles(); // ["/root/.mailcap", "/etc/mailcap", "/usr/etc/mailcap", "/usr/local/etc/mailcap"]
 * ```
 */
export function listmailcapfiles(): string[] {
  const paths = process.env.MAILCAPS;
  if (paths !== undefined) return paths.split(":");
  const home = process.env.HOME ?? "."; // Python's last resort: it does not ask getpwuid()
  return [`${home}/.mailcap`, "/etc/mailcap", "/usr/etc/mailcap", "/usr/local/etc/mailcap"];
}

/**
 * The lines of one mailcap file, or null when it is not there to read: missing,
 * unreadable, not a regular file, or over {@link MAX_MAILCAP_FILE}.
 */
function readLines(path: string): MailcapLines | null {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO would otherwise wait for a writer; fstat below then skips it.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    if (!isSystemError(err)) throw err;
    return null;
  }
  try {
    // fstat on the open file, not stat then open, so what was checked is what is read.
    const stat = fstatSync(fd);
    if (!stat.isFile() || stat.size > MAX_MAILCAP_FILE) return null;
    const bytes = Buffer.alloc(stat.size);
    let got = 0;
    while (got < bytes.length) {
      const n = readSync(fd, bytes, got, bytes.length - got, null);
      if (n === 0) break; // the file shrank while we read it
      got += n;
    }
    return decodeLines(bytes.subarray(0, got));
  } catch (err) {
    if (!isSystemError(err)) throw err;
    return null;
  } finally {
    closeSync(fd);
  }
}

/**
 * Python's `mailcap.getcaps()`: the mailcap database, from every file
 * {@link listmailcapfiles} names, in that order. Each MIME type (lower case)
 * maps to its entries from all the files; each entry has `view` and its
 * other fields, plus `lineno`, its number across all files, which keeps
 * `lookup` and `findmatch` in file order (so an entry in `~/.mailcap` comes
 * before one in `/etc/mailcap`).
 *
 * @returns MIME type → entries
 * @example
 * ```ts
 * const caps = getcaps();
 * const [command] = await findmatch(caps, "text/plain", { filename: "/tmp/notes.txt" });
 * ```
 */
export function getcaps(): MailcapCaps {
  const caps: MailcapCaps = new Map();
  let lineno = 0;
  for (const path of listmailcapfiles()) {
    const lines = readLines(path);
    if (lines === null) continue;
    const [more, next] = parseMailcap(lines, lineno);
    lineno = next!;
    for (const [type, entries] of more) {
      const have = caps.get(type);
      caps.set(type, have ? [...have, ...entries] : entries);
    }
  }
  return caps;
}
