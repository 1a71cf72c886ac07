/**
 * `netkit/mailcap`: Python 3.11's `mailcap` module (removed from Python in
 * 3.13): the mailcap files of RFC 1524, which say what program views, edits,
 * composes or prints each MIME type.
 *
 * ```text
 * listmailcapfiles()   $MAILCAPS, or ~/.mailcap /etc/mailcap /usr/etc/mailcap /usr/local/etc/mailcap
 * getcaps()            all of them read: Map type → entries (view, test, flags, lineno)
 * readmailcapfile(t)   one file's text, parsed (deprecated, as in Python)
 * lookup(caps, type)   entries of type and type/*, in file order
 * findmatch(caps, type, { filename })   first entry whose test passes ─► [command, entry]
 * subst(field, type, filename, plist)  %s %t %{param} %% filled in
 * ```
 *
 * Where netkit differs from Python 3.11, on purpose (details on each name):
 * - A file name, MIME type or parameter with shell metacharacters is refused
 *   (`null` and an `UnsafeMailcapInput` warning), as in CPython's later
 *   fix, and also one starting with `-` or holding a lone surrogate, and
 *   `subst` checks the file name itself.
 * - `findmatch` is async: a `test=` command runs with a timeout
 *   (`DEFAULT_TEST_TIMEOUT`, 5 s), its output discarded; it is substituted
 *   correctly (Python shifts the arguments).
 * - Limits: files over `MAX_MAILCAP_FILE` and entries over
 *   `MAX_MAILCAP_LINE` are skipped, as are lines that are not UTF-8 and
 *   paths that are not regular files; a trailing `%` is kept (Python raises
 *   IndexError).
 * - The database is a `Map`; entries are objects with no prototype.
 *
 * @example
 * ```ts
 * import { findmatch, readmailcapfile } from "netkit/mailcap";
 * const caps = readmailcapfile("image/*; display %s; test=true\n");
 * const [command, entry] = await findmatch(caps, "image/png", { filename: "/tmp/cat.png" });
 * // command "display /tmp/cat.png"
 * ```
 *
 * @module
 */
export { getcaps, listmailcapfiles } from "./files.js";
export { DEFAULT_TEST_TIMEOUT, MAX_MAILCAP_FILE, MAX_MAILCAP_LINE } from "./limits.js";
export { type FindmatchOptions, findmatch, lookup, runTestCommand } from "./match.js";
export { type MailcapCaps, type MailcapEntry, readmailcapfile } from "./parse.js";
export { findparam, isUnsafe, subst, UnsafeMailcapInput } from "./subst.js";
