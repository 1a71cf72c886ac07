/**
 * A private Dovecot (Debian's dovecot-imapd and dovecot-pop3d) for the mail
 * access tests: one instance per call, in the foreground, on 127.0.0.1 only,
 * with a throwaway config, users and Maildirs in a temporary folder.
 *
 * ```ts
 * const dc = await startDovecot();          // IMAP, IMAPS, POP3, POP3S (and LMTP) on free ports
 * after(() => dc.stop());                   // always; also runs at process exit
 * dc.deliver("alice", "Subject: hi\r\n\r\nbody\r\n"); // into alice's INBOX, any time
 * const M = new IMAP4(dc.host, dc.ports.imap);
 * await M.login("alice", dc.password("alice"));
 * ```
 *
 * Each instance has its own `base_dir` (sockets, pid file) and `state_dir`,
 * so several test files may each run one at once. The listening ports are
 * picked free by the kernel and released for Dovecot to take; if another
 * process takes one first, Dovecot fails to listen and the start is retried
 * with new ports. STARTTLS/STLS and the implicit-TLS ports use a server
 * certificate for localhost/127.0.0.1/::1 signed by the test CA of `tls.ts`
 * (`caFile`). Users are in a passwd-file with plaintext passwords (so
 * CRAM-MD5 works) and own their mail as `nobody`: Dovecot refuses to give
 * mail to UID 0. The ACL (vfile) and quota (maildir, 1 GiB) plugins are on,
 * so GETACL/MYRIGHTS/GETQUOTA(ROOT) answer. Loopback counts as secure to
 * Dovecot, so plaintext LOGIN is allowed on every port (no LOGINDISABLED).
 *
 * Needs root (Dovecot changes user) and the `dovecot` binary: check
 * `HAS_DOVECOT` and skip with `peerSkip("dovecot", HAS_DOVECOT)`.
 */
import { type ChildProcess, spawn } from "node:child_process";
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { makePKI } from "./tls.js";

const DOVECOT = "/usr/sbin/dovecot";
/** Dovecot's LMTP server (Debian's dovecot-lmtpd): when present, each instance listens for LMTP too. */
const LMTP_BINARY = "/usr/lib/dovecot/lmtp";
/** `nobody`/`nogroup` on Debian: the owner of every mail file. */
const NOBODY = 65534;

/** True when Dovecot is installed and this process is root (Dovecot needs it). */
export const HAS_DOVECOT = existsSync(DOVECOT) && process.getuid?.() === 0;

/** True when Dovecot's LMTP server is installed too: `ports.lmtp` is then set. */
export const HAS_DOVECOT_LMTP = HAS_DOVECOT && existsSync(LMTP_BINARY);

/** A mail user of the instance. */
export interface DovecotUser {
  name: string;
  password: string;
  /** A storage quota for this user only, as Dovecot writes it (`"1K"`, `"10M"`). @default 1G */
  quota?: string;
}

/** Options for `startDovecot`. */
export interface DovecotOptions {
  /** The users. @default alice/alice-secret and bob/bob-secret */
  users?: DovecotUser[];
  /** Extra dovecot.conf lines, appended last (they override earlier settings). */
  config?: string;
  /** How long to wait for Dovecot to start, in ms. @default 60000 */
  startTimeoutMs?: number;
}

/** Where a delivered message goes and how it looks. */
export interface DeliverOptions {
  /** The mailbox: "INBOX" or a folder name (Maildir++ `.Name`, made if missing). @default "INBOX" */
  mailbox?: string;
  /** Maildir flag letters (`S` seen, `F` flagged, `R` answered, `T` deleted, `D` draft); given flags file the message under cur/. */
  flags?: string;
  /** The file's modification time, which Dovecot reports as INTERNALDATE. */
  date?: Date;
}

/** The ports of one instance (all on 127.0.0.1). */
export interface DovecotPorts {
  imap: number;
  imaps: number;
  pop3: number;
  pop3s: number;
  /** LMTP (RFC 2033), delivering into the users' INBOX; only with `HAS_DOVECOT_LMTP`. */
  lmtp?: number;
}

/** A running private Dovecot. */
export interface Dovecot {
  /** "127.0.0.1". */
  readonly host: string;
  readonly ports: DovecotPorts;
  /** The test CA's certificate file (trust it for IMAPS, POP3S, STARTTLS, STLS). */
  readonly caFile: string;
  /** The same certificate as PEM text. */
  readonly ca: string;
  readonly users: readonly DovecotUser[];
  /** The instance's folder (config, homes, runtime files); removed by `stop()`. */
  readonly dir: string;
  /** The Dovecot master's pid. */
  readonly pid: number;
  /** Dovecot's `instance_name`: every process of the instance is titled `dovecot-NAME/...`. */
  readonly name: string;
  /** The password of `user`. */
  password(user: string): string;
  /** The Maildir folder of `user`'s `mailbox` (INBOX is the Maildir itself). */
  maildir(user: string, mailbox?: string): string;
  /**
   * Files `message` into `user`'s mailbox as Dovecot's own delivery would
   * (written under tmp/, renamed into new/ or cur/), so a connected client
   * in IDLE or NOOP sees it. Returns the file's path.
   */
  deliver(user: string, message: string | Uint8Array, options?: DeliverOptions): string;
  /** Dovecot's log so far (its stderr), for assertion messages. */
  log(): string;
  /** Stops Dovecot and its children and removes `dir`. Safe to call twice. */
  stop(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

const DEFAULT_USERS: DovecotUser[] = [
  { name: "alice", password: "alice-secret" },
  { name: "bob", password: "bob-secret" },
];

/**
 * `count` distinct free loopback ports (the kernel's picks, released for
 * Dovecot to take). All are held open until the last is picked: a port
 * released at once may be handed out again, and Dovecot refuses a config
 * that names one port twice ("duplicate listener").
 */
async function freePorts(count: number): Promise<number[]> {
  const servers = Array.from({ length: count }, () => createServer());
  try {
    for (const srv of servers) {
      await new Promise<void>((resolve, reject) => {
        srv.once("error", reject);
        srv.listen(0, "127.0.0.1", resolve);
      });
    }
    return servers.map((srv) => (srv.address() as { port: number }).port);
  } finally {
    await Promise.all(servers.map((srv) => new Promise<void>((resolve) => srv.close(() => resolve()))));
  }
}

function listener(name: string, port: number, ssl: boolean): string {
  return `  inet_listener ${name} {\n    address = 127.0.0.1\n    port = ${port}\n${ssl ? "    ssl = yes\n" : ""}  }\n`;
}

function config(dir: string, name: string, ports: DovecotPorts, extra: string): string {
  return [
    "# A throwaway private instance made by test/_support/dovecot.ts.",
    `instance_name = ${name}`,
    `base_dir = ${dir}/run`,
    `state_dir = ${dir}/state`,
    "log_path = /dev/stderr", // with -F, logs vanish otherwise
    `protocols = imap pop3${ports.lmtp ? " lmtp" : ""}`,
    "listen = 127.0.0.1",
    "ssl = yes",
    `ssl_cert = <${dir}/tls/server.pem`,
    `ssl_key = <${dir}/tls/server.key`,
    "auth_mechanisms = plain login cram-md5",
    "auth_failure_delay = 0", // a refused login answers at once (Dovecot waits 2 s by default)
    "mail_location = maildir:~/Maildir",
    "mail_fsync = never", // a test's mail need not survive a power cut
    "mailbox_idle_check_interval = 1 secs", // IDLE's fallback when inotify says nothing
    "mail_max_userip_connections = 200",
    "mail_plugins = acl quota",
    "passdb {",
    "  driver = passwd-file",
    `  args = scheme=PLAIN ${dir}/passwd`,
    "}",
    "userdb {",
    "  driver = passwd-file",
    `  args = ${dir}/passwd`,
    "}",
    "service imap-login {",
    listener("imap", ports.imap, false) + listener("imaps", ports.imaps, true),
    "}",
    "service pop3-login {",
    listener("pop3", ports.pop3, false) + listener("pop3s", ports.pop3s, true),
    "}",
    ...(ports.lmtp ? ["service lmtp {", listener("lmtp", ports.lmtp, false), "}"] : []),
    "protocol imap {",
    "  mail_plugins = $mail_plugins imap_acl imap_quota",
    "}",
    "plugin {",
    "  acl = vfile",
    "  quota = maildir:User quota",
    "  quota_rule = *:storage=1G",
    "}",
    extra,
    "",
  ].join("\n");
}

let instances = 0;
let deliveries = 0;

/** Lays out the instance's folder: config, passwd-file, TLS files, homes with empty Maildirs. */
function layout(dir: string, users: DovecotUser[]): void {
  chmodSync(dir, 0o755); // mkdtemp's 0700 keeps Dovecot's users out
  for (const d of ["run", "state", "tls", "home"]) mkdirSync(join(dir, d));
  const pki = makePKI();
  writeFileSync(join(dir, "tls", "server.pem"), pki.server.cert);
  writeFileSync(join(dir, "tls", "server.key"), pki.server.key, { mode: 0o600 });
  const lines: string[] = [];
  for (const u of users) {
    if (!/^[A-Za-z0-9._-]+$/.test(u.name) || /[:\r\n]/.test(u.password)) {
      throw new Error(`Cannot add Dovecot user "${u.name}": name or password unfit for a passwd-file`);
    }
    const home = join(dir, "home", u.name);
    mkdirSync(home);
    for (const sub of ["", "cur", "new", "tmp"]) mkdirSync(join(home, "Maildir", sub));
    chownR(home);
    const quota = u.quota ? ` userdb_quota_rule=*:storage=${u.quota}` : "";
    lines.push(`${u.name}:{PLAIN}${u.password}:${NOBODY}:${NOBODY}::${home}::nopenalty${quota}`);
  }
  writeFileSync(join(dir, "passwd"), `${lines.join("\n")}\n`, { mode: 0o644 }); // read by user dovecot
}

function chownR(home: string): void {
  chownSync(home, NOBODY, NOBODY);
  for (const sub of ["Maildir", "Maildir/cur", "Maildir/new", "Maildir/tmp"]) {
    chownSync(join(home, sub), NOBODY, NOBODY);
  }
}

/** Spawns Dovecot; resolves when it says it started, rejects on a fatal error or exit (with the log). */
function launch(conf: string, timeoutMs: number, logs: string[]): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    // In the test's process group (not detached), so a runner that stops the
    // group, or Ctrl-C at a terminal, stops Dovecot too.
    // login or imap child outlives the test even if the master dies first.
    const child = spawn(DOVECOT, ["-F", "-c", conf], { stdio: ["ignore", "ignore", "pipe"] });
    let settled = false;
    const finish = (err?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (err) {
        child.kill("SIGKILL");
        reject(err);
        return;
      }
      // An instance a test forgot to stop must not keep the test process alive
      // (it would never exit, and never run the exit hook that stops Dovecot).
      child.unref();
      (child.stderr as (typeof child.stderr & { unref?: () => void }) | null)?.unref?.();
      resolve(child);
    };
    const timer = setTimeout(
      () => finish(new Error(`Dovecot did not start within ${timeoutMs} ms:\n${logs.join("")}`)),
      timeoutMs,
    );
    child.stderr?.setEncoding("utf8");
    child.stderr?.on("data", (s: string) => {
      logs.push(s);
      if (logs.length > 2000) logs.splice(0, 1000); // a long test's log stays bounded
      const text = logs.join("");
      if (/Fatal:|Error: .*listen/.test(text)) finish(new Error(`Dovecot failed to start:\n${text}`));
      else if (/master: Info: Dovecot .* starting up/.test(text)) finish();
    });
    child.on("error", (e) => finish(e));
    child.on("exit", (code, signal) =>
      finish(new Error(`Dovecot exited (${signal ?? code}) while starting:\n${logs.join("")}`)),
    );
  });
}

/**
 * The pids of the instance's processes (the master, found by its config
 * file under `dir`, and what it forked), found by their titles: Dovecot names each `dovecot-NAME/service`. A child
 * whose master died (SIGKILL) lives on (log, stats, imap), so the cleanup
 * looks for them by name.
 */
export function instanceProcesses(name: string, dir?: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let cmdline: string;
    try {
      cmdline = readFileSync(`/proc/${entry}/cmdline`, "latin1");
    } catch {
      continue; // gone meanwhile
    }
    const master =
      dir !== undefined && cmdline.startsWith(`${DOVECOT}\0`) && cmdline.includes(`${dir}/dovecot.conf`);
    if (master || cmdline.startsWith(`dovecot-${name}/`)) {
      pids.push(Number(entry));
    }
  }
  return pids;
}

/** SIGKILLs every process of the instance `name` (whose folder is `dir`). */
function killInstance(name: string, dir: string): void {
  for (const pid of instanceProcesses(name, dir)) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
}

/**
 * Starts a private Dovecot as described in the module notes.
 * @throws when Dovecot fails to start (three tries with fresh ports), with its log
 */
export async function startDovecot(options: DovecotOptions = {}): Promise<Dovecot> {
  const users = options.users ?? DEFAULT_USERS;
  const dir = mkdtempSync(join(tmpdir(), "netkit-dovecot-"));
  const name = `netkit-${process.pid}-${++instances}`;
  const pki = makePKI();
  let child: ChildProcess | undefined;
  const logs: string[] = [];
  const onExit = () => {
    child?.kill("SIGKILL");
    killInstance(name, dir);
    rmSync(dir, { recursive: true, force: true });
  };
  process.once("exit", onExit);
  let ports: DovecotPorts | undefined;
  try {
    layout(dir, users);
    for (let attempt = 1; ; attempt++) {
      const [imap, imaps, pop3, pop3s, lmtp] = await freePorts(HAS_DOVECOT_LMTP ? 5 : 4);
      ports = { imap: imap!, imaps: imaps!, pop3: pop3!, pop3s: pop3s!, ...(lmtp ? { lmtp } : {}) };
      const conf = join(dir, "dovecot.conf");
      writeFileSync(conf, config(dir, name, ports, options.config ?? ""));
      logs.length = 0;
      try {
        child = await launch(conf, options.startTimeoutMs ?? 60_000, logs);
        break;
      } catch (e) {
        // Another process took a port between freePorts() and Dovecot's bind: try new ones.
        if (attempt >= 3 || !/Address already in use/.test(String(e))) throw e;
      }
    }
  } catch (e) {
    process.removeListener("exit", onExit);
    onExit();
    throw e;
  }
  const running = child;
  const exited = new Promise<void>((resolve) => {
    if (running.exitCode !== null || running.signalCode !== null) resolve();
    else running.once("exit", () => resolve());
  });
  const passwords = new Map(users.map((u) => [u.name, u.password]));
  const home = (user: string) => {
    if (!passwords.has(user)) throw new Error(`Cannot find Dovecot user "${user}"`);
    return join(dir, "home", user);
  };
  const maildir = (user: string, mailbox = "INBOX") =>
    mailbox.toUpperCase() === "INBOX"
      ? join(home(user), "Maildir")
      : join(home(user), "Maildir", `.${mailbox}`);
  let stopped: Promise<void> | undefined;

  const dc: Dovecot = {
    host: "127.0.0.1",
    ports: ports as DovecotPorts,
    caFile: pki.caFile,
    ca: pki.ca,
    users,
    dir,
    pid: running.pid as number,
    name,
    password(user) {
      home(user);
      return passwords.get(user) as string;
    },
    maildir,
    deliver(user, message, opts = {}) {
      const box = maildir(user, opts.mailbox);
      for (const sub of ["", "cur", "new", "tmp"]) {
        const d = join(box, sub);
        if (!existsSync(d)) {
          mkdirSync(d);
          chownSync(d, NOBODY, NOBODY);
        }
      }
      const unique = `${Date.now()}.M${++deliveries}P${process.pid}.netkit`;
      const tmp = join(box, "tmp", unique);
      writeFileSync(tmp, message);
      chownSync(tmp, NOBODY, NOBODY);
      if (opts.date) utimesSync(tmp, opts.date, opts.date);
      const final =
        opts.flags === undefined
          ? join(box, "new", unique)
          : join(box, "cur", `${unique}:2,${[...opts.flags].sort().join("")}`);
      renameSync(tmp, final);
      return final;
    },
    log: () => logs.join(""),
    stop() {
      stopped ??= (async () => {
        running.ref(); // held from here until it has exited (launch unrefs it)
        running.kill("SIGTERM"); // the master stops its children, then itself
        const timer = setTimeout(() => running.kill("SIGKILL"), 10_000);
        await exited;
        clearTimeout(timer);
        killInstance(name, dir); // children that outlived the master, if any
        process.removeListener("exit", onExit);
        rmSync(dir, { recursive: true, force: true });
      })();
      return stopped;
    },
    [Symbol.asyncDispose]() {
      return this.stop();
    },
  };
  return dc;
}
