/**
 * Each mailbox format, differentially against python3's `mailbox`: python3
 * writes a mailbox and netkit reads the same keys, bytes, flags, sequences,
 * labels and folders; netkit writes one and python3 reads it the same; and
 * for the single-file formats both write the same file, byte for byte
 * (apart from the "now" in made-up From lines).
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import {
  Babyl,
  BabylMessage,
  type Mailbox,
  Maildir,
  MaildirMessage,
  MboxMMDFMessage,
  type Message,
  MH,
  MHMessage,
  MMDF,
  MMDFMessage,
  mbox,
  mboxMessage,
} from "../../src/mailbox/index.js";
import { python } from "../_support/python.js";

const work = mkdtempSync(join(tmpdir(), "netkit-mailbox-py-"));
after(() => rmSync(work, { recursive: true, force: true }));

const FORMATS = ["Maildir", "mbox", "MMDF", "MH", "Babyl"] as const;
type Format = (typeof FORMATS)[number];

/** One message to add: its bytes (latin1 text), and the class and state to add it as (else raw bytes). */
interface Spec {
  text: string;
  cls?: string;
  flags?: string;
  subdir?: string;
  from?: string;
  seqs?: string[];
  labels?: string[];
}

const BODIES = [
  "From: a@example.org\nSubject: one\n\nbody\n",
  "Subject: two\n\nFrom the start\n>From quoted\nline\nFrom end",
  "Subject: caf\xe9\nContent-Type: text/plain; charset=latin-1\n\nna\xefve\n",
  "Subject: empty\n\n",
  'Subject: multi\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="XX"\n\npre\n--XX\nContent-Type: text/plain\n\nFrom part one\n--XX\nContent-Type: text/plain\n\ntwo\n--XX--\nepi\n',
  "Subject: no body separator",
];

/** The messages each format gets: raw ones, and ones of the format's class with state. */
function specs(format: Format): Spec[] {
  const out: Spec[] = BODIES.map((text) => ({ text }));
  const cls = `${format === "Maildir" ? "Maildir" : format === "MH" ? "MH" : format}Message`;
  BODIES.forEach((text, i) => {
    const s: Spec = { text, cls };
    if (format === "Maildir")
      Object.assign(s, { flags: ["", "S", "RS", "FPT"][i % 4], subdir: i % 2 ? "cur" : "new" });
    if (format === "mbox" || format === "MMDF")
      Object.assign(s, {
        flags: ["", "RO", "ROAF", "D"][i % 4],
        from: `sender${i}@example.org Sat Jan  3 01:05:34 1996`,
      });
    if (format === "MH") s.seqs = [[], ["unseen"], ["unseen", "flagged"], ["replied", "mine"]][i % 4]!;
    if (format === "Babyl")
      s.labels = [[], ["unseen"], ["answered", "work"], ["deleted", "forwarded", "home"]][i % 4]!;
    out.push(s);
  });
  if (format === "mbox" || format === "MMDF")
    out.push({ text: "From raw@example.org Mon Dec  1 10:00:00 2025\nSubject: raw from\n\nx\n" });
  return out;
}

/** The indexes (in add order) each format's writer removes, then flushes. */
const REMOVE = [2, 7];

const PY = String.raw`
import json, sys, os, base64, mailbox, inspect, textwrap, re
# Python 3.11's Babyl writes no visible headers for a BabylMessage (it reads
# its buffer without seeking back: gh-issue "Babyl visible headers"), so the
# body is then read as visible headers. netkit writes them; python3 here gets
# the missing seek(0), the fix netkit follows.
src = textwrap.dedent(inspect.getsource(mailbox.Babyl._install_message))
fixed = re.sub(r"( *)(vis_generator\.flatten\(message\.get_visible\(\)\)\n)", r"\1\2\1vis_buffer.seek(0)\n", src)
assert fixed != src
ns = {}
exec(fixed, vars(mailbox), ns)
mailbox.Babyl._install_message = ns["_install_message"]
def b(s): return s.encode("latin-1")
def build(spec):
    data = b(spec["text"])
    if "cls" not in spec: return data
    m = getattr(mailbox, spec["cls"])(data)
    if isinstance(m, mailbox.MaildirMessage):
        m.set_flags(spec["flags"]); m.set_subdir(spec["subdir"]); m.set_date(1000000000)
    elif isinstance(m, mailbox._mboxMMDFMessage):
        m.set_flags(spec["flags"]); m.set_from(spec["from"])
    elif isinstance(m, mailbox.MHMessage): m.set_sequences(spec["seqs"])
    elif isinstance(m, mailbox.BabylMessage):
        m.set_labels(spec["labels"])
        if spec["labels"]: m.update_visible()
    return m
def open_box(fmt, path): return getattr(mailbox, fmt)(path)
def write(fmt, path, specs, remove):
    box = open_box(fmt, path)
    box.lock()
    keys = [box.add(build(s)) for s in specs]
    for i in remove: box.remove(keys[i])
    if fmt in ("Maildir", "MH"):
        sub = box.add_folder("sub")
        sub.add(b("Subject: in folder\n\nx\n"))
    box.flush(); box.unlock(); box.close()
def txt(x): return x.decode() if isinstance(x, bytes) else x
def describe(fmt, path):
    box = open_box(fmt, path)
    out = {}
    for key in box.keys():
        m = box.get_message(key)
        d = {"bytes": base64.b64encode(box.get_bytes(key)).decode(), "string": box.get_string(key),
             "headers": [[k, str(v)] for k, v in m.items()]}
        if isinstance(m, mailbox.MaildirMessage): d.update(subdir=m.get_subdir(), info=m.get_info(), date=int(m.get_date()))
        if isinstance(m, mailbox._mboxMMDFMessage): d.update({"from": m.get_from(), "flags": m.get_flags(), "withFrom": base64.b64encode(box.get_bytes(key, True)).decode()})
        if isinstance(m, mailbox.MHMessage): d["seqs"] = sorted(m.get_sequences())
        if isinstance(m, mailbox.BabylMessage): d.update(labels=sorted(txt(l) for l in m.get_labels()), visible=[[k, str(v)] for k, v in m.get_visible().items()])
        out[str(key)] = d
    res = {"messages": out, "length": len(box)}
    if fmt in ("Maildir", "MH"):
        res["folders"] = sorted(box.list_folders())
        res["folderSizes"] = [len(box.get_folder(f)) for f in res["folders"]]
    if fmt == "MH": res["sequences"] = box.get_sequences()
    box.close()
    return res
jobs = json.load(sys.stdin)
out = []
for job in jobs:
    if job["op"] == "write": write(job["fmt"], job["path"], job["specs"], job["remove"]); out.append(None)
    else: out.append(describe(job["fmt"], job["path"]))
print(json.dumps(out))
`;

async function openBox(format: Format, path: string): Promise<Mailbox<string | number, Message>> {
  const opener = { Maildir, mbox, MMDF, MH, Babyl }[format] as unknown as {
    open(p: string): Promise<Mailbox<string | number, Message>>;
  };
  return opener.open(path);
}

function build(spec: Spec): Buffer | Message {
  const data = Buffer.from(spec.text, "latin1");
  if (spec.cls === undefined) return data;
  const Cls = { MaildirMessage, mboxMessage, MMDFMessage, MHMessage, BabylMessage }[spec.cls]!;
  const m = new Cls(data);
  if (m instanceof MaildirMessage) {
    m.setFlags(spec.flags!);
    m.setSubdir(spec.subdir!);
    m.setDate(1_000_000_000);
  } else if (m instanceof MboxMMDFMessage) {
    m.setFlags(spec.flags!);
    m.setFrom(spec.from!);
  } else if (m instanceof MHMessage) m.setSequences(spec.seqs!);
  else if (m instanceof BabylMessage) {
    m.setLabels(spec.labels!);
    if (spec.labels!.length > 0) m.updateVisible();
  }
  return m;
}

async function write(format: Format, path: string): Promise<void> {
  const box = await openBox(format, path);
  await box.lock();
  const keys = [];
  for (const s of specs(format)) keys.push(await box.add(build(s)));
  for (const i of REMOVE) await box.remove(keys[i]!);
  if (box instanceof Maildir || box instanceof MH) {
    const sub = await box.addFolder("sub");
    await sub.add(Buffer.from("Subject: in folder\n\nx\n"));
  }
  await box.flush();
  await box.unlock();
  await box.close();
}

async function describe(format: Format, path: string): Promise<unknown> {
  const box = await openBox(format, path);
  const messages: Record<string, unknown> = {};
  for await (const [key, m] of box) {
    const d: Record<string, unknown> = {
      bytes: (await box.getBytes(key)).toString("base64"),
      string: await box.getString(key),
      headers: m.items(),
    };
    if (m instanceof MaildirMessage)
      Object.assign(d, {
        subdir: m.getSubdir(),
        info: m.getInfo(),
        date: Math.trunc(m.getDate()),
      });
    if (m instanceof MboxMMDFMessage)
      Object.assign(d, {
        from: m.getFrom(),
        flags: m.getFlags(),
        withFrom: (await (box as mbox).getBytes(key as number, true)).toString("base64"),
      });
    if (m instanceof MHMessage) d.seqs = m.getSequences().sort();
    if (m instanceof BabylMessage)
      Object.assign(d, { labels: m.getLabels().sort(), visible: m.getVisible().items() });
    messages[String(key)] = d;
  }
  const res: Record<string, unknown> = { messages, length: await box.length() };
  if (box instanceof Maildir || box instanceof MH) {
    const folders = (await box.listFolders()).sort();
    res.folders = folders;
    res.folderSizes = await Promise.all(folders.map(async (f) => (await box.getFolder(f)).length()));
  }
  if (box instanceof MH) res.sequences = await box.getSequences();
  await box.close();
  return res;
}

/** A single-file mailbox's bytes with the "now" of made-up From lines blanked. */
/**
 * A written mailbox file, with what legitimately varies between two writers
 * made equal: the date on a made-up From line, and the order of Babyl's
 * `Labels:` list (Python writes it from a set, in hash order, which changes
 * from run to run).
 */
function fileText(path: string): string {
  return readFileSync(path, "latin1")
    .replace(/^From MAILER-DAEMON .*$/gm, "From MAILER-DAEMON <now>")
    .replace(/^Labels:(.*)$/m, (_, labels: string) => `Labels:${labels.split(",").sort().join(",")}`);
}

test("mailbox formats: python3 writes, netkit reads the same; netkit writes, python3 reads the same", async () => {
  const jobs: { op: string; fmt: Format; path: string; specs?: Spec[]; remove?: number[] }[] = [];
  for (const fmt of FORMATS) {
    jobs.push({ op: "write", fmt, path: join(work, `py-${fmt}`), specs: specs(fmt), remove: REMOVE });
    jobs.push({ op: "describe", fmt, path: join(work, `py-${fmt}`) });
  }
  const fromPython = await python<unknown[]>(PY, jobs.slice());
  for (const fmt of FORMATS) await write(fmt, join(work, `nk-${fmt}`));
  const pyReadsNetkit = await python<unknown[]>(
    PY,
    FORMATS.map((fmt) => ({ op: "describe", fmt, path: join(work, `nk-${fmt}`) })),
  );
  for (const [i, fmt] of FORMATS.entries()) {
    const pyWrote = fromPython[i * 2 + 1];
    const nkReadsPy = await describe(fmt, join(work, `py-${fmt}`));
    assert.deepEqual(
      nkReadsPy,
      pyWrote,
      `${fmt} written by python3\npython: ${JSON.stringify(pyWrote)}\nnetkit: ${JSON.stringify(nkReadsPy)}`,
    );
    const nkWrote = await describe(fmt, join(work, `nk-${fmt}`));
    assert.deepEqual(
      nkWrote,
      pyReadsNetkit[i],
      `${fmt} written by netkit\npython: ${JSON.stringify(pyReadsNetkit[i])}\nnetkit: ${JSON.stringify(nkWrote)}`,
    );
    if (fmt === "mbox" || fmt === "MMDF" || fmt === "Babyl")
      assert.equal(
        fileText(join(work, `nk-${fmt}`)),
        fileText(join(work, `py-${fmt}`)),
        `${fmt} files differ`,
      );
  }
});
