/**
 * Files the messages of an mbox into Maildir folders by a header (List-Id
 * by default, the way a mailing-list reader sorts its inbox), keeping each
 * message's read/answered/flagged state: mbox's Status flags become Maildir's
 * `:2,` flags through `MaildirMessage`'s conversion. The mbox is locked while
 * it is read, and left as it was.
 *
 * Python:
 * ```python
 * inbox = mailbox.mbox(path); inbox.lock()
 * for msg in inbox:
 *     folder = maildir.add_folder(name_of(msg))
 *     folder.add(mailbox.MaildirMessage(msg))
 * ```
 *
 * Run: `npx tsx examples/mailbox_sort.ts MBOX MAILDIR [HEADER]`
 */
import { Maildir, MaildirMessage, mbox } from "../src/mailbox/index.js";
import { isMain } from "./_args.js";

/** A folder name from a header value: `<dev.lists.example.org>` becomes `dev.lists.example.org`. */
export function folderName(value: string | undefined): string {
  const name = (value ?? "").replace(/^.*</, "").replace(/>.*$/, "").trim().toLowerCase();
  const safe = name.replace(/[^a-z0-9.@_-]/g, "_").replace(/^\.+/, "");
  return safe === "" ? "unsorted" : safe;
}

/**
 * Files every message of the mbox at `mboxPath` into a folder of the
 * Maildir at `maildirPath` named after its `header`.
 * @returns how many messages went into each folder
 */
export async function sortMailbox(
  mboxPath: string,
  maildirPath: string,
  header = "List-Id",
): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  await using inbox = await mbox.open(mboxPath, { create: false });
  const maildir = await Maildir.open(maildirPath);
  await inbox.lock();
  try {
    for await (const [, msg] of inbox) {
      const name = folderName(msg.get(header));
      const folder = await maildir.addFolder(name);
      await folder.add(new MaildirMessage(msg));
      counts.set(name, (counts.get(name) ?? 0) + 1);
    }
  } finally {
    await inbox.unlock();
  }
  return counts;
}

/** Command-line entry: `mailbox_sort MBOX MAILDIR [HEADER]`. */
export async function main(argv: string[]): Promise<number> {
  const [mboxPath, maildirPath, header = "List-Id"] = argv;
  if (mboxPath === undefined || maildirPath === undefined) {
    console.error("usage: mailbox_sort MBOX MAILDIR [HEADER]");
    return 2;
  }
  const counts = await sortMailbox(mboxPath, maildirPath, header);
  for (const [name, count] of [...counts].sort()) console.log(`${name}: ${count}`);
  return 0;
}

if (isMain(import.meta.url)) process.exitCode = await main(process.argv.slice(2));
