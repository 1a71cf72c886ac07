/**
 * The mailbox message classes' conversions (Python's `_explain_to`), every
 * pair of classes over many flag/sequence/label states, differentially
 * against python3's `mailbox`; and the flag setters' own rules.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  BabylMessage,
  MaildirMessage,
  MboxMMDFMessage,
  Message,
  MHMessage,
  MMDFMessage,
  mboxMessage,
} from "../../src/mailbox/index.js";
import { python } from "../_support/python.js";

const KINDS = [
  "Message",
  "MaildirMessage",
  "mboxMessage",
  "MMDFMessage",
  "MHMessage",
  "BabylMessage",
] as const;
type Kind = (typeof KINDS)[number];
const CLASSES: Record<Kind, new (m?: Message | Buffer | string | null) => Message> = {
  Message,
  MaildirMessage,
  mboxMessage,
  MMDFMessage,
  MHMessage,
  BabylMessage,
};

/** A source message's state: which class, and its format-specific settings. */
interface Case {
  kind: Kind;
  flags?: string;
  subdir?: string;
  info?: string;
  from?: string;
  seqs?: string[];
  labels?: string[];
  status?: string;
}

/** Every subset of `items`. */
function subsets<T>(items: T[]): T[][] {
  return items.reduce<T[][]>((acc, x) => acc.concat(acc.map((s) => [...s, x])), [[]]);
}

const CASES: Case[] = [{ kind: "Message" }];
for (const flags of subsets([..."DFPRST"]))
  for (const subdir of ["new", "cur"]) CASES.push({ kind: "MaildirMessage", flags: flags.join(""), subdir });
CASES.push({ kind: "MaildirMessage", info: "1,experimental" });
for (const kind of ["mboxMessage", "MMDFMessage"] as const) {
  for (const flags of subsets([..."ROAFD"]))
    CASES.push({ kind, flags: flags.join(""), from: "a@b Sat Jan  3 01:05:34 1996" });
  CASES.push({ kind, flags: "RX", from: "MAILER-DAEMON not a date at all" });
  CASES.push({ kind, status: "RO", from: "x Mon Feb 30 00:00:00 2020" });
}
for (const seqs of subsets(["unseen", "replied", "flagged", "mine"])) CASES.push({ kind: "MHMessage", seqs });
for (const labels of subsets(["unseen", "deleted", "answered", "forwarded", "resent", "edited", "foo"]))
  CASES.push({ kind: "BabylMessage", labels });

const TEXT =
  "From: a@example.org\nTo: b@example.org\nSubject: s\nDate: Thu, 1 Jan 2015 00:00:00 +0000\n\nbody\n";

/** Builds a case's source message in netkit. */
function build(c: Case): Message {
  const m = new CLASSES[c.kind](TEXT);
  if (m instanceof MaildirMessage) {
    if (c.info !== undefined) m.setInfo(c.info);
    else m.setFlags(c.flags ?? "");
    m.setSubdir(c.subdir ?? "new");
    m.setDate(1_000_000_000.5);
  } else if (m instanceof MboxMMDFMessage) {
    m.setFrom(c.from ?? "x");
    if (c.status !== undefined) m.set("Status", c.status);
    else m.setFlags(c.flags ?? "");
  } else if (m instanceof MHMessage) m.setSequences(c.seqs ?? []);
  else if (m instanceof BabylMessage) {
    m.setLabels(c.labels ?? []);
    m.setVisible("Subject: visible\nX-V: 1\n\n");
  }
  return m;
}

/** What a converted message holds, as python's `describe` reports it. */
function describe(m: Message): Record<string, unknown> {
  const d: Record<string, unknown> = { cls: m.constructor.name, headers: m.items() };
  if (m instanceof MaildirMessage)
    Object.assign(d, { subdir: m.getSubdir(), info: m.getInfo(), date: m.getDate() });
  if (m instanceof MboxMMDFMessage) Object.assign(d, { from: m.getFrom(), flags: m.getFlags() });
  if (m instanceof MHMessage) d.seqs = m.getSequences();
  if (m instanceof BabylMessage) Object.assign(d, { labels: m.getLabels(), visible: m.getVisible().items() });
  return d;
}

const PY = String.raw`
import json, sys, mailbox
TEXT = ${JSON.stringify(TEXT)}
def build(c):
    m = getattr(mailbox, c["kind"])(TEXT)
    if isinstance(m, mailbox.MaildirMessage):
        if "info" in c: m.set_info(c["info"])
        else: m.set_flags(c.get("flags", ""))
        m.set_subdir(c.get("subdir", "new")); m.set_date(1000000000.5)
    elif isinstance(m, mailbox._mboxMMDFMessage):
        m.set_from(c.get("from", "x"))
        if "status" in c: m["Status"] = c["status"]
        else: m.set_flags(c.get("flags", ""))
    elif isinstance(m, mailbox.MHMessage): m.set_sequences(c.get("seqs", []))
    elif isinstance(m, mailbox.BabylMessage):
        m.set_labels(c.get("labels", [])); m.set_visible("Subject: visible\nX-V: 1\n\n")
    return m
def describe(m):
    d = {"cls": type(m).__name__, "headers": [list(x) for x in m.items()]}
    if isinstance(m, mailbox.MaildirMessage): d.update(subdir=m.get_subdir(), info=m.get_info(), date=m.get_date())
    if isinstance(m, mailbox._mboxMMDFMessage): d.update({"from": m.get_from(), "flags": m.get_flags()})
    if isinstance(m, mailbox.MHMessage): d["seqs"] = m.get_sequences()
    if isinstance(m, mailbox.BabylMessage): d.update(labels=m.get_labels(), visible=[list(x) for x in m.get_visible().items()])
    return d
cases, kinds = json.load(sys.stdin)
out = []
for c in cases:
    for k in kinds:
        out.append(describe(getattr(mailbox, k)(build(c))))
print(json.dumps(out))
`;

/** Order-free where Python's order comes from a set (flags built by set union). */
function normal(d: Record<string, unknown>): Record<string, unknown> {
  const sortChars = (s: unknown) => [...String(s)].sort().join("");
  const n = { ...d };
  // "Now" (a new message's default date and From line) differs by the run time: compare it as "now".
  if (typeof n.date === "number" && Math.abs(n.date - Date.now() / 1000) < 600) n.date = "now";
  if (typeof n.from === "string" && Math.abs(Date.parse(`${n.from.slice(14)} UTC`) - Date.now()) < 600_000)
    n.from = "MAILER-DAEMON now";
  if ("flags" in n) n.flags = sortChars(n.flags);
  if ("seqs" in n) n.seqs = [...(n.seqs as string[])].sort();
  if ("labels" in n) n.labels = [...(n.labels as string[])].sort();
  n.headers = (n.headers as [string, string][]).map(([k, v]) =>
    /^(x-)?status$/i.test(k) ? [k, sortChars(v)] : [k, v],
  );
  return n;
}

test("Message subclasses convert flags, sequences and labels between every pair as python3 does", async () => {
  const expected = await python<Record<string, unknown>[]>(PY, [CASES, KINDS]);
  assert.equal(expected.length, CASES.length * KINDS.length);
  let i = 0;
  let compared = 0;
  for (const c of CASES) {
    for (const k of KINDS) {
      const got = normal(describe(new CLASSES[k](build(c))));
      const want = normal(expected[i++]!);
      assert.deepEqual(
        got,
        want,
        `${JSON.stringify(c)} -> ${k}\npython: ${JSON.stringify(want)}\nnetkit: ${JSON.stringify(got)}`,
      );
      compared++;
    }
  }
  assert.ok(compared > 1000);
});

test("MaildirMessage.setSubdir() refuses anything but new and cur", () => {
  const m = new MaildirMessage();
  assert.throws(() => m.setSubdir("tmp"), { code: "ERR_VALUE" });
  m.setSubdir("cur");
  assert.equal(m.getSubdir(), "cur");
});

test("mboxMessage.setFlags() puts R and O in Status, the rest in X-Status", () => {
  const m = new mboxMessage("Subject: x\n\n");
  m.setFlags("AFRODZ");
  assert.equal(m.get("Status"), "RO");
  assert.equal(m.get("X-Status"), "DFAZ");
  m.removeFlag("RZ");
  assert.equal(m.getFlags(), "ODFA");
});

test("mboxMessage() takes the From line of a parsed message's envelope", () => {
  const src = new Message("Subject: x\n\n");
  src.setUnixfrom("From someone@example.org Sat Jan  3 01:05:34 1996");
  assert.equal(new mboxMessage(src).getFrom(), "someone@example.org Sat Jan  3 01:05:34 1996");
});

test("Message() refuses a value that is not a message, bytes or text", () => {
  assert.throws(() => new Message(42 as unknown as string), { code: "ERR_INVALID_ARG_TYPE" });
});
