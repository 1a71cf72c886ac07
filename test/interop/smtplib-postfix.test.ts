/**
 * netkit's smtplib sending to a real MTA: Debian's Postfix, run as a private
 * instance (its own main.cf/master.cf, queue and maildir in a temporary
 * folder, listening on 127.0.0.1 only, in the foreground with `start-fg`,
 * logging to stdout). Every address at netkit.test is delivered by
 * Postfix's `virtual` agent to one maildir the test reads back; any other
 * domain is refused as a relay. Postfix offers PIPELINING, so `sendmail`
 * pipelines here. Needs root (Postfix's daemons change user).
 */
import assert from "node:assert/strict";
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import {
  chmodSync,
  chownSync,
  existsSync,
  type FSWatcher,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  watch,
  writeFileSync,
} from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { SMTP } from "../../src/smtplib/index.js";
import { peerSkip } from "../_support/peers.js";

const POSTFIX = "/usr/sbin/postfix";
const AVAILABLE = existsSync(POSTFIX) && process.getuid?.() === 0;
const NOBODY = 65534;

/** A free loopback port (the kernel's pick, released for Postfix to take). */
async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, "127.0.0.1", resolve));
  const { port } = srv.address() as { port: number };
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

/** master.cf from Debian's, with smtpd on 127.0.0.1:port and no chroot. */
function masterCf(port: number): string {
  return readFileSync("/etc/postfix/master.cf", "utf8")
    .split("\n")
    .map((line) => {
      if (line.startsWith("#") || /^\s/.test(line)) return line;
      const f = line.split(/\s+/);
      if (f.length < 8) return line;
      if (f[0] === "smtp" && f[1] === "inet") f[0] = `127.0.0.1:${port}`;
      f[4] = "n"; // no chroot: the private queue has no copy of /etc
      return f.join("\t");
    })
    .join("\n");
}

/**
 * The Postfix log, a file Postfix's postlogd writes (it does not write to a
 * pipe), read again on every change the kernel reports.
 */
class Log {
  #text = "";
  #waiters: (() => void)[] = [];
  #watcher: FSWatcher;
  constructor(readonly file: string) {
    writeFileSync(file, "");
    this.#watcher = watch(file, () => {
      this.#text = readFileSync(file, "utf8");
      for (const w of this.#waiters.splice(0)) w();
    });
  }
  close(): void {
    this.#watcher.close();
  }
  /** Resolves when the log has a line matching `re` (fails after `ms`, with the log). */
  waitFor(re: RegExp, ms = 60_000): Promise<string> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`Postfix never logged ${re}:\n${this.#text}`)), ms);
      const check = () => {
        const m = re.exec(this.#text);
        if (m) {
          clearTimeout(timer);
          resolve(m[0]);
        } else this.#waiters.push(check);
      };
      check();
    });
  }
}

describe("Postfix (a real MTA, loopback only)", { skip: peerSkip("postfix (as root)", AVAILABLE) }, () => {
  let dir: string;
  let conf: string;
  let port: number;
  let child: ChildProcess;
  let log: Log;

  before(async () => {
    dir = mkdtempSync("/tmp/netkit-postfix-");
    chmodSync(dir, 0o755); // Postfix's daemons (user postfix) walk into it
    conf = join(dir, "etc");
    for (const d of ["etc", "spool", "data", "mail"]) mkdirSync(join(dir, d));
    chownSync(join(dir, "mail"), NOBODY, NOBODY);
    const postfixUid = Number(spawnSync("id", ["-u", "postfix"]).stdout.toString().trim());
    chownSync(join(dir, "data"), postfixUid, 0);
    port = await freePort();
    writeFileSync(join(conf, "master.cf"), masterCf(port));
    writeFileSync(
      join(conf, "main.cf"),
      [
        "compatibility_level = 3.6",
        `queue_directory = ${dir}/spool`,
        `data_directory = ${dir}/data`,
        "inet_interfaces = 127.0.0.1",
        "inet_protocols = ipv4",
        "myhostname = mx.netkit.test",
        "mydestination =",
        "mynetworks = 127.0.0.2/32", // not the test: other domains are refused, never relayed
        "alias_maps =",
        "alias_database =",
        "local_transport = error:5.1.1 no local delivery",
        "virtual_mailbox_domains = netkit.test",
        `virtual_mailbox_base = ${dir}/mail`,
        "virtual_mailbox_maps = static:box/",
        `virtual_uid_maps = static:${NOBODY}`,
        `virtual_gid_maps = static:${NOBODY}`,
        `maillog_file = ${dir}/maillog`,
        `maillog_file_prefixes = ${dir}`, // Postfix logs only under listed folders
        "smtputf8_enable = yes",
      ].join("\n"),
    );
    log = new Log(join(dir, "maillog"));
    const check = spawnSync(POSTFIX, ["-c", conf, "check"], { encoding: "utf8", timeout: 60_000 });
    assert.equal(check.status, 0, `${check.stderr}${readFileSync(join(dir, "maillog"), "utf8")}`);
    child = spawn(POSTFIX, ["-c", conf, "start-fg"], { stdio: "ignore" });
    await log.waitFor(/daemon started/);
  });

  after(() => {
    log?.close();
    if (child) {
      spawnSync(POSTFIX, ["-c", conf, "stop"], { timeout: 60_000 });
      child.kill();
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** The maildir message delivered to `rcpt` (waits for Postfix's "status=sent" for it). */
  async function delivered(rcpt: string): Promise<string> {
    await log.waitFor(new RegExp(`to=<${rcpt.replace(/[.+]/g, "\\$&")}>.*status=sent`));
    const box = join(dir, "mail", "box", "new");
    const texts = readdirSync(box).map((f) => readFileSync(join(box, f), "utf8"));
    const found = texts.find((t) => t.includes(`Delivered-To: ${rcpt}\n`));
    assert.ok(found, `no message for ${rcpt} in the maildir`);
    return found;
  }

  test("a pipelined sendmail() is delivered to the mailbox, dots and line ends intact, a relay refused", async () => {
    await using smtp = await SMTP.open("127.0.0.1", port, { localHostname: "client.test", timeout: 60 });
    await smtp.ehlo();
    assert.ok(smtp.hasExtn("pipelining") && smtp.hasExtn("size") && smtp.hasExtn("smtputf8"));
    const body =
      "From: a@example.org\r\nSubject: netkit to postfix\r\n\r\n.one dot\r\n..two dots\nbare lf\r.\r\nnot the end\r\nlast";
    const refused = await smtp.sendmail(
      "a@example.org",
      ["one@netkit.test", "someone@elsewhere.example", "two@netkit.test"],
      body,
    );
    assert.deepEqual([...refused.keys()], ["someone@elsewhere.example"]);
    assert.equal(refused.get("someone@elsewhere.example")![0], 454);
    for (const rcpt of ["one@netkit.test", "two@netkit.test"]) {
      const mail = await delivered(rcpt);
      const text = mail.slice(mail.indexOf("\n\n") + 2);
      assert.equal(text, ".one dot\n..two dots\nbare lf\n.\nnot the end\nlast\n");
      assert.match(mail, /^Subject: netkit to postfix$/m);
      assert.match(mail, /^Return-Path: <a@example\.org>$/m);
    }
  });

  test("sendmail() with SMTPUTF8 delivers to a UTF-8 address", async () => {
    await using smtp = await SMTP.open("127.0.0.1", port, { localHostname: "client.test", timeout: 60 });
    await smtp.sendmail(
      "jösé@example.org",
      ["ünï@netkit.test"],
      Buffer.from("Subject: Grüße\r\n\r\nhallo\r\n"),
      {
        mailOptions: ["SMTPUTF8", "BODY=8BITMIME"],
      },
    );
    const mail = await delivered("ünï@netkit.test");
    assert.match(mail, /^Return-Path: <jösé@example\.org>$/m);
    assert.match(mail, /^Subject: Grüße$/m);
  });
});
