/**
 * examples/mailbox_sort.ts: an mbox filed into Maildir folders by List-Id,
 * flags converted, checked here and by python3's mailbox reading the
 * result; and the program run as a user runs it.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { folderName, sortMailbox } from "../../examples/mailbox_sort.js";
import { Maildir, mbox, mboxMessage } from "../../src/mailbox/index.js";
import { python } from "../_support/python.js";

const root = join(import.meta.dirname, "..", "..");
const work = mkdtempSync(join(tmpdir(), "netkit-example-mailbox-"));
after(() => rmSync(work, { recursive: true, force: true }));

async function makeInbox(path: string): Promise<void> {
  const box = await mbox.open(path);
  const read = new mboxMessage("List-Id: Dev talk <dev.lists.example.org>\nSubject: read one\n\nbody\n");
  read.setFlags("ROA");
  await box.add(read);
  await box.add("List-Id: <dev.lists.example.org>\nSubject: new one\n\nFrom a body line\n");
  await box.add("List-Id: <../../etc>\nSubject: sneaky\n\nx\n");
  await box.add("Subject: no list\n\nx\n");
  await box.close();
}

test("folderName() makes a safe folder name from a List-Id", () => {
  assert.equal(folderName("Dev talk <dev.lists.example.org>"), "dev.lists.example.org");
  assert.equal(folderName("<../../etc>"), "_.._etc");
  assert.equal(folderName(undefined), "unsorted");
});

test("sortMailbox() files each message by List-Id with its flags converted, as python3 reads it", async () => {
  const inbox = join(work, "inbox");
  const maildir = join(work, "Maildir");
  await makeInbox(inbox);
  const counts = await sortMailbox(inbox, maildir);
  assert.deepEqual([...counts].sort(), [
    ["_.._etc", 1],
    ["dev.lists.example.org", 2],
    ["unsorted", 1],
  ]);
  const dev = await (await Maildir.open(maildir)).getFolder("dev.lists.example.org");
  const states = [];
  for await (const [, m] of dev) states.push([m.get("subject"), m.getSubdir(), m.getFlags()]);
  assert.deepEqual(states.sort(), [
    ["new one", "new", ""],
    ["read one", "cur", "RS"],
  ]);
  const py = await python<string[][]>(
    `import mailbox, json
box = mailbox.Maildir(${JSON.stringify(maildir)}).get_folder("dev.lists.example.org")
print(json.dumps(sorted([m["subject"], m.get_subdir(), m.get_flags()] for m in box)))`,
  );
  assert.deepEqual(py, states.sort());
  assert.equal(await (await mbox.open(inbox)).length(), 4);
});

test("mailbox_sort runs as a program and prints the folder counts", () => {
  const inbox = join(work, "inbox");
  const run = spawnSync(
    process.execPath,
    ["--import", "tsx", join(root, "examples/mailbox_sort.ts"), inbox, join(work, "Maildir2"), "Subject"],
    { encoding: "utf8", timeout: 120_000 },
  );
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout, "new_one: 1\nno_list: 1\nread_one: 1\nsneaky: 1\n");
});
