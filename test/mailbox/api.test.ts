/**
 * The Mailbox interface on each format: the dict-like methods (`get`,
 * `pop`, `popitem`, `update`, `clear`, `discard`, iteration), folders
 * (Maildir, MH), `Maildir.next` and `clean`, `MH.pack`, opening with
 * `create: false`, and the error classes' names and codes.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { KeyError } from "../../src/errors/index.js";
import {
  Babyl,
  ExternalClashError,
  FormatError,
  type Mailbox,
  Error as MailboxError,
  Maildir,
  MaildirMessage,
  type Message,
  MH,
  MHMessage,
  MMDF,
  mbox,
  NoSuchMailboxError,
  NotEmptyError,
} from "../../src/mailbox/index.js";

const work = mkdtempSync(join(tmpdir(), "netkit-mailbox-api-"));
after(() => rmSync(work, { recursive: true, force: true }));
let n = 0;
const fresh = (name: string) => join(work, `${name}-${n++}`);

const OPENERS = {
  Maildir: (p: string) => Maildir.open(p),
  mbox: (p: string) => mbox.open(p),
  MMDF: (p: string) => MMDF.open(p),
  MH: (p: string) => MH.open(p),
  Babyl: (p: string) => Babyl.open(p),
} as unknown as Record<string, (p: string) => Promise<Mailbox<string | number, Message>>>;

const msg = (s: string) => `From: a@example.org\nSubject: ${s}\n\nbody ${s}\n`;

for (const [name, open] of Object.entries(OPENERS)) {
  describe(`${name}`, () => {
    test(`${name}: add(), getItem(), get(), contains(), length() and iteration agree`, async () => {
      await using box = await open(fresh(name));
      const keys = [await box.add(msg("a")), await box.add(Buffer.from(msg("b"))), await box.add(msg("c"))];
      assert.equal(await box.length(), 3);
      assert.equal((await box.getItem(keys[1]!)).get("subject"), "b");
      assert.equal(await box.get(typeof keys[0] === "string" ? "nope" : 999), undefined);
      assert.equal(await box.get(typeof keys[0] === "string" ? "nope" : 999, "dflt"), "dflt");
      assert.ok(await box.contains(keys[2]!));
      const seen: string[] = [];
      for await (const [key, m] of box) {
        assert.ok(keys.includes(key));
        seen.push(String(m.get("subject")));
      }
      assert.deepEqual(seen.sort(), ["a", "b", "c"]);
      assert.equal((await box.values()).length, 3);
      assert.equal((await box.items()).length, 3);
      assert.match(await box.getString(keys[0]!), /^From: a@example.org\nSubject: a\n\nbody a\n/);
    });

    test(`${name}: remove() throws KeyError for a missing key; discard() does not`, async () => {
      await using box = await open(fresh(name));
      const key = await box.add(msg("a"));
      await box.remove(key);
      await assert.rejects(box.remove(key), KeyError);
      await assert.rejects(box.getMessage(key), { code: "ERR_KEY" });
      await assert.rejects(box.getBytes(key), { code: "ERR_KEY", message: `'No message with key: ${key}'` });
      await box.discard(key);
      assert.equal(await box.length(), 0);
    });

    test(`${name}: pop(), popitem(), replace(), update() and clear() behave as Python's`, async () => {
      await using box = await open(fresh(name));
      const a = await box.add(msg("a"));
      const b = await box.add(msg("b"));
      assert.equal(String((await box.pop(a))!.get("subject")), "a");
      assert.equal(await box.pop(a, null), null);
      await box.replace(b, msg("b2"));
      assert.equal((await box.getMessage(b)).get("subject"), "b2");
      await box.update(new Map([[b, msg("b3")]]));
      assert.equal((await box.getMessage(b)).get("subject"), "b3");
      await assert.rejects(box.update([[a, msg("x")]]), KeyError);
      const [k, m] = await box.popitem();
      assert.equal(k, b);
      assert.equal(m.get("subject"), "b3");
      await assert.rejects(box.popitem(), KeyError);
      await box.add(msg("c"));
      await box.clear();
      assert.equal(await box.length(), 0);
      await box.flush();
    });

    test(`${name}: add() refuses non-ASCII text (ValueError), as Python's, and writes nothing`, async () => {
      await using box = await open(fresh(name));
      // Latin-1, a lone surrogate, and a character whose low byte is ASCII ("A").
      for (const text of ["Subject: caf\u00e9\n\n", "Subject: a\n\n\ud800\n", "Subject: a\n\n\u0141\n"]) {
        await assert.rejects(box.add(text), {
          code: "ERR_VALUE",
          message: "String input must be ASCII-only; use bytes or a Message instead",
        });
      }
      await box.add("Subject: a\n\n\x7f\n");
      assert.equal(await box.length(), 1);
    });
  });
}

test("open() with create: false throws NoSuchMailboxError for a missing mailbox", async () => {
  for (const Cls of [Maildir, mbox, MMDF, MH, Babyl]) {
    await assert.rejects((Cls as typeof mbox).open(fresh("missing"), { create: false }), (err: unknown) => {
      assert.ok(err instanceof NoSuchMailboxError);
      assert.ok(err instanceof MailboxError);
      assert.equal((err as NoSuchMailboxError).code, "ERR_MAILBOX_NO_SUCH_MAILBOX");
      assert.equal((err as Error).name, "NoSuchMailboxError");
      return true;
    });
  }
});

test("mailbox errors carry Python's names and stable codes", () => {
  const cases: [Error & { code: string }, string, string][] = [
    [new MailboxError("x"), "Error", "ERR_MAILBOX"],
    [new NoSuchMailboxError("x"), "NoSuchMailboxError", "ERR_MAILBOX_NO_SUCH_MAILBOX"],
    [new NotEmptyError("x"), "NotEmptyError", "ERR_MAILBOX_NOT_EMPTY"],
    [new ExternalClashError("x"), "ExternalClashError", "ERR_MAILBOX_EXTERNAL_CLASH"],
    [new FormatError("x"), "FormatError", "ERR_MAILBOX_FORMAT"],
  ];
  for (const [err, name, code] of cases) {
    assert.equal(err.name, name);
    assert.equal(err.code, code);
    assert.ok(err instanceof MailboxError);
  }
});

test("Maildir folders: addFolder(), listFolders(), getFolder(), removeFolder() with NotEmptyError", async () => {
  const box = await Maildir.open(fresh("md-folders"));
  const sub = await box.addFolder("work");
  assert.ok(readdirSync(sub._path).includes("maildirfolder"));
  assert.deepEqual(await box.listFolders(), ["work"]);
  const key = await sub.add(msg("in work"));
  assert.equal((await (await box.getFolder("work")).getMessage(key)).get("subject"), "in work");
  await assert.rejects(box.removeFolder("work"), NotEmptyError);
  await sub.remove(key);
  await box.removeFolder("work");
  assert.deepEqual(await box.listFolders(), []);
  await assert.rejects(box.getFolder("work"), NoSuchMailboxError);
});

test("Maildir.next() walks the messages once, then returns null", async () => {
  const box = await Maildir.open(fresh("md-next"));
  await box.add(msg("a"));
  await box.add(msg("b"));
  const got = [];
  for (let m = await box.next(); m !== null && got.length < 5; m = await box.next())
    got.push(m.get("subject"));
  assert.deepEqual(got.sort(), ["a", "b"]);
  assert.equal(await box.next(), null);
});

test("Maildir.clean() removes tmp/ files not accessed for 36 hours, and keeps newer ones", async () => {
  const box = await Maildir.open(fresh("md-clean"));
  const old = join(box._path, "tmp", "old");
  const recent = join(box._path, "tmp", "recent");
  writeFileSync(old, "x");
  writeFileSync(recent, "x");
  const t = Date.now() / 1000 - 37 * 3600;
  utimesSync(old, t, t);
  await box.clean();
  assert.deepEqual(readdirSync(join(box._path, "tmp")), ["recent"]);
});

test("Maildir.add() of a MaildirMessage keeps subdir, flags and date; replace() keeps the key", async () => {
  const box = await Maildir.open(fresh("md-msg"));
  const m = new MaildirMessage(msg("m"));
  m.setSubdir("cur");
  m.setFlags("RS");
  m.setDate(1_000_000_000);
  const key = await box.add(m);
  assert.deepEqual(readdirSync(join(box._path, "cur")), [`${key}:2,RS`]);
  const got = await box.getMessage(key);
  assert.equal(got.getDate(), 1_000_000_000);
  await box.replace(key, msg("plain"));
  assert.deepEqual(readdirSync(join(box._path, "cur")), [`${key}:2,RS`]);
  assert.equal((await box.getMessage(key)).get("subject"), "plain");
});

test("MH folders, sequences and pack() renumber messages with their sequences", async () => {
  const box = await MH.open(fresh("mh"));
  for (let i = 1; i <= 5; i++) {
    const m = new MHMessage(msg(String(i)));
    if (i % 2) m.addSequence("odd");
    await box.add(m);
  }
  await box.remove(2);
  await box.remove(3);
  assert.deepEqual(await box.getSequences(), { odd: [1, 5] });
  await box.pack();
  assert.deepEqual(await box.keys(), [1, 2, 3]);
  assert.deepEqual(await box.getSequences(), { odd: [1, 3] });
  assert.equal((await box.getMessage(3)).get("subject"), "5");
  assert.deepEqual((await box.getMessage(3)).getSequences(), ["odd"]);
  const sub = await box.addFolder("sub");
  assert.deepEqual(await box.listFolders(), ["sub"]);
  await sub.add(msg("x"));
  await assert.rejects(box.removeFolder("sub"), NotEmptyError);
  await sub.remove(1);
  await box.removeFolder("sub");
  assert.deepEqual(await box.listFolders(), []);
  await box.lock();
  await assert.rejects((await MH.open(box._path)).lock(), ExternalClashError);
  await box.close();
});

test("mbox.flush() throws ExternalClashError when another program changed the file", async () => {
  const path = fresh("mbox-clash");
  const box = await mbox.open(path);
  await box.add(msg("a"));
  await box.add(msg("b"));
  await box.flush();
  const other = await mbox.open(path);
  await other.add(msg("c"));
  await other.close();
  await box.remove(0);
  await assert.rejects(box.flush(), ExternalClashError);
});

test("mbox refuses a From line text holding a line end (it would forge a second message)", async () => {
  const { mboxMessage } = await import("../../src/mailbox/index.js");
  const box = await mbox.open(fresh("mbox-forge"));
  const m = new mboxMessage(msg("a"));
  m.setFrom("x\nFrom evil Sat Jan  3 01:05:34 1996");
  await assert.rejects(box.add(m), { code: "ERR_VALUE" });
  assert.equal(await box.length(), 0);
  await box.close();
});

test("add() refuses a value that is not a message, bytes or text (TypeError)", async () => {
  const box = await mbox.open(fresh("mbox-type"));
  await assert.rejects(box.add(42 as unknown as string), { name: "TypeError", code: "ERR_INVALID_ARG_TYPE" });
  await box.close();
});
