/**
 * Which program opens a file? The question mail readers ask of the mailcap
 * files (RFC 1524), as Python's `mailcap` answers it: guess the file's MIME
 * type from its name (netkit/mimetypes), read the system's mailcap files,
 * and find the first entry whose `test=` passes. It prints the command and
 * what the entry's flags ask of the caller; it never runs the command.
 *
 * Python:
 * ```python
 * caps = mailcap.getcaps()
 * command, entry = mailcap.findmatch(caps, mimetypes.guess_type(name)[0], filename=name)
 * ```
 *
 * Run: `npx tsx examples/mailcap_view.ts FILE [ACTION]` (ACTION: view, edit, print, compose)
 */
import { findmatch, getcaps, type MailcapCaps } from "../src/mailcap/index.js";
import { guessType } from "../src/mimetypes.js";
import { isMain } from "./_args.js";

/** What `mailcapView` found for one file. */
export interface MailcapAnswer {
  /** The guessed MIME type, or null when the name says nothing. */
  type: string | null;
  /** The command line, or null when no entry fits (or the name is unsafe to put in one). */
  command: string | null;
  /** The entry's flags that ask something of the caller. */
  flags: string[];
}

/** Finds the command for `file` and `action` in `caps` (by default, the system's mailcap files). */
export async function mailcapView(
  file: string,
  action = "view",
  caps: MailcapCaps = getcaps(),
): Promise<MailcapAnswer> {
  const [type] = guessType(file);
  if (type === null) return { type, command: null, flags: [] };
  const [command, entry] = await findmatch(caps, type, { key: action, filename: file });
  const flags = entry === null ? [] : ["needsterminal", "copiousoutput"].filter((flag) => flag in entry);
  return { type, command, flags };
}

/** Command-line entry: `mailcap_view FILE [ACTION]`. */
export async function main(argv: string[]): Promise<number> {
  const [file, action = "view"] = argv;
  if (file === undefined) {
    console.error("usage: mailcap_view FILE [view|edit|print|compose]");
    return 2;
  }
  const { type, command, flags } = await mailcapView(file, action);
  if (type === null) {
    console.log(`${file}: no MIME type known for this name`);
    return 1;
  }
  if (command === null) {
    console.log(`${file} (${type}): no ${action} command in the mailcap files`);
    return 1;
  }
  console.log(`${file} (${type}): ${command}`);
  if (flags.includes("needsterminal")) console.log("  needs a terminal");
  if (flags.includes("copiousoutput")) console.log("  prints a lot: pipe it to a pager");
  return 0;
}

if (isMain(import.meta.url)) process.exitCode = await main(process.argv.slice(2));
