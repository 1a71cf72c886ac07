/**
 * netkit/mailbox against Debian's mail readers: s-nail's header summary and
 * mutt's index (in script(1)'s pseudo-terminal) list a netkit-written mbox
 * and Maildir with the right subjects and new/read states; nmh's `scan` and
 * `mark` read a netkit MH folder and its sequences; netkit reads a folder
 * that nmh's `inc`, `refile` and `mark` wrote.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { Maildir, MaildirMessage, MH, MHMessage, mbox, mboxMessage } from "../../src/mailbox/index.js";
import { hasCommand, peerSkip } from "../_support/peers.js";

const work = mkdtempSync(join(tmpdir(), "netkit-mailbox-tools-"));
after(() => rmSync(work, { recursive: true, force: true }));
const NMH = "/usr/bin/mh";
const TIMEOUT = 60_000;

/** Runs a tool with HOME (and MH) in the work folder; returns its stdout, failing on a non-zero exit. */
function tool(cmd: string, args: string[], env: Record<string, string> = {}): string {
  const r = spawnSync(cmd, args, {
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: work, TERM: "vt100", ...env },
    timeout: TIMEOUT,
    encoding: "latin1",
    stdio: ["ignore", "pipe", "pipe"],
  });
  assert.equal(r.status, 0, `${cmd} ${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}

/** Writes the test mailboxes: an mbox and a Maildir, with new and read messages and From lines in bodies. */
async function writeMailboxes(): Promise<{ mboxPath: string; maildirPath: string }> {
  const mboxPath = join(work, "mbox");
  const box = await mbox.open(mboxPath);
  await box.add(
    "From: a@example.org\nSubject: first mbox\n\nFrom someone@example.org Sat Jan  3 01:05:34 1996\nnot a new message\n",
  );
  const read = new mboxMessage("From: b@example.org\nSubject: read mbox\n\nbody\n");
  read.setFlags("RO");
  read.setFrom("b@example.org Sat Jan  3 01:05:34 1996");
  await box.add(read);
  await box.add("From: c@example.org\nSubject: third mbox\n\nFrom again\n\n");
  await box.close();
  const maildirPath = join(work, "Maildir");
  const md = await Maildir.open(maildirPath);
  await md.add("From: a@example.org\nSubject: new maildir\n\nbody\n");
  const seen = new MaildirMessage("From: b@example.org\nSubject: seen maildir\n\nbody\n");
  seen.setSubdir("cur");
  seen.setFlags("S");
  await md.add(seen);
  return { mboxPath, maildirPath };
}

const mailboxes = writeMailboxes();

test("s-nail -H lists a netkit mbox and Maildir with their subjects and states", {
  skip: peerSkip("s-nail", hasCommand("s-nail", ["-V"])),
}, async () => {
  const { mboxPath, maildirPath } = await mailboxes;
  const lines = (path: string) =>
    tool("s-nail", ["-:/", "-R", "-H", "-S", "headline=%a|%s", "-f", path])
      .split("\n")
      .filter(Boolean)
      .map((l) => l.replace(/\s+/g, " ").trim());
  const box = lines(mboxPath);
  assert.deepEqual(
    box.map((l) => l.replace(/^.*\| ?/, "")),
    ["first mbox", "read mbox", "third mbox"],
  );
  assert.match(box[0]!, /^N/);
  assert.doesNotMatch(box[1]!, /^N/);
  assert.match(box[2]!, /^N/);
  const md = lines(maildirPath).sort();
  assert.deepEqual(md.map((l) => l.replace(/^.*\| ?/, "")).sort(), ["new maildir", "seen maildir"]);
  assert.match(md.find((l) => l.endsWith("new maildir"))!, /^N/);
  assert.doesNotMatch(md.find((l) => l.endsWith("seen maildir"))!, /^N/);
});

/** What mutt's index screen shows for a mailbox: the visible text of its pseudo-terminal output. */
function muttScreen(path: string): string {
  const rc = join(work, "muttrc");
  // folder: else mutt asks (and waits) whether to create ~/Mail.
  writeFileSync(
    rc,
    `set folder=${work}\nset spoolfile=${path}\nset header_cache=""\nset move=no\nset quit=yes\nset wait_key=no\nset sort=mailbox-order\n`,
  );
  const cmd = `mutt -n -R -F ${rc} -f ${path} -e 'push <quit>'`;
  const raw = tool("script", ["-qec", cmd, "/dev/null"]);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: terminal escapes are what is stripped
  return raw.replace(/\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][0-9A-B]|\x1b[=>]|[\x0e\x0f]/g, "\n");
}

test("mutt's index shows a netkit mbox and Maildir with their subjects and new counts", {
  skip: peerSkip("mutt", hasCommand("mutt", ["-v"]) && hasCommand("script", ["--version"])),
}, async () => {
  const { mboxPath, maildirPath } = await mailboxes;
  const m = muttScreen(mboxPath);
  assert.match(m, /Msgs:3 New:2/, m);
  for (const s of ["first mbox", "read mbox", "third mbox"]) assert.ok(m.includes(s), `${s} missing: ${m}`);
  const d = muttScreen(maildirPath);
  assert.match(d, /Msgs:2 New:1/, d);
  for (const s of ["new maildir", "seen maildir"]) assert.ok(d.includes(s), `${s} missing: ${d}`);
});

const nmhSkip = peerSkip("nmh", existsSync(join(NMH, "scan")));

/** An MH profile in the work folder, its mail under `Mail/`. */
function mhEnv(): Record<string, string> {
  const profile = join(work, ".mh_profile");
  writeFileSync(profile, "Path: Mail\nUnseen-Sequence: unseen\n");
  mkdirSync(join(work, "Mail"), { recursive: true });
  return { MH: profile };
}

test("nmh's scan and mark read a netkit MH folder and its sequences", { skip: nmhSkip }, async () => {
  const env = mhEnv();
  const box = await MH.open(join(work, "Mail", "nk"));
  for (let i = 1; i <= 4; i++) {
    const m = new MHMessage(`From: a@example.org\nSubject: mh ${i}\n\nbody\n`);
    if (i !== 2) m.addSequence("unseen");
    if (i >= 3) m.addSequence("flagged");
    await box.add(m);
  }
  await box.remove(2);
  await box.pack();
  const scan = tool(join(NMH, "scan"), ["+nk", "-width", "200", "-format", "%(msg)|%{subject}"], env);
  assert.deepEqual(scan.trim().split("\n"), ["1|mh 1", "2|mh 3", "3|mh 4"]);
  const marks = tool(join(NMH, "mark"), ["+nk", "-list"], env);
  assert.match(marks, /^unseen: 1-3$/m);
  assert.match(marks, /^flagged: 2-3$/m);
});

test("MH reads the folders nmh's inc, refile and mark wrote", { skip: nmhSkip }, async () => {
  const env = mhEnv();
  const { mboxPath } = await mailboxes;
  mkdirSync(join(work, "Mail", "in"));
  mkdirSync(join(work, "Mail", "out"));
  tool(join(NMH, "inc"), ["-file", mboxPath, "-silent", "-notruncate", "+in"], env);
  tool(join(NMH, "refile"), ["2", "-src", "+in", "+out"], env);
  tool(join(NMH, "mark"), ["+in", "3", "-sequence", "flagged", "-add"], env);
  const inbox = await MH.open(join(work, "Mail", "in"), { create: false });
  assert.deepEqual(await inbox.keys(), [1, 3]);
  const seqs = await inbox.getSequences();
  assert.deepEqual(seqs.flagged, [3]);
  assert.deepEqual(seqs.unseen, [1, 3]);
  const subjects = [];
  for await (const [, m] of inbox) subjects.push(m.get("subject"));
  assert.deepEqual(subjects, ["first mbox", "third mbox"]);
  assert.deepEqual((await inbox.getMessage(3)).getSequences().sort(), ["flagged", "unseen"]);
  const outbox = await MH.open(join(work, "Mail", "out"), { create: false });
  assert.deepEqual(await outbox.keys(), [1]);
  // refile made no .mh_sequences there, and getMessage (as Python's) reads it: take the bytes.
  assert.equal(new MHMessage(await outbox.getBytes(1)).get("subject"), "read mbox");
});
