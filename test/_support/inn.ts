/**
 * A private INN (Debian's inn2) for the nntplib tests and benchmark: its
 * own inn.conf (found through the INNCONF environment variable, which innd,
 * nnrpd, ctlinnd and makedbz all honour), config copied from /etc/news,
 * and its own database, spool, logs and control sockets in a temporary
 * folder; innd listens on 127.0.0.1 only, on a free port. So test files
 * run in parallel, each with its own server, and the system's INN (if any)
 * is never touched.
 *
 * Facts this relies on (also in the report for the shared notes):
 * - innd must run as the news user and group; on a port above 1023 it
 *   binds itself (no innbind). `-f` keeps it in the foreground.
 * - `bindaddress6: none` makes innd print "invalid IPv6 address none" and
 *   crash (SIGSEGV) on `ctlinnd shutdown`; with `bindaddress: 127.0.0.1`
 *   and no bindaddress6 it listens on 127.0.0.1 only and shuts down cleanly.
 * - 127.0.0.1 is a feed in Debian's incoming.conf: readers send MODE READER
 *   (innd then hands the connection to nnrpd); without it, innd itself
 *   answers (IHAVE works there).
 * - nnrpd posts to innd through the Unix socket in pathrun; NEWNEWS needs
 *   `N` and IHAVE through nnrpd needs `I` in readers.conf's access string.
 * - innd ignores SIGTERM for minutes: `ctlinnd shutdown` stops it.
 */
import { type ChildProcess, execFileSync, spawn, spawnSync } from "node:child_process";
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { connect, createServer } from "node:net";
import { join } from "node:path";

const BIN = "/usr/lib/news/bin";
export const INND = `${BIN}/innd`;
const CTLINND = `${BIN}/ctlinnd`;
const MAKEDBZ = `${BIN}/makedbz`;
const NNRPD = `${BIN}/nnrpd`;

function newsIds(): { uid: number; gid: number } | undefined {
  const r = spawnSync("id", ["news"], { encoding: "utf8" });
  const uid = /uid=(\d+)/.exec(r.stdout ?? "");
  const gid = /gid=(\d+)/.exec(r.stdout ?? "");
  return uid && gid ? { uid: Number(uid[1]), gid: Number(gid[1]) } : undefined;
}

/** True when inn2 is installed and this process can run it (root, a news user). */
export const INN_AVAILABLE = existsSync(INND) && process.getuid?.() === 0 && newsIds() !== undefined;

/** A newsgroup to create: its name, its active-file flag (`y` to post), its description. */
export type GroupSpec = [name: string, flag: string, description: string];

/** What `startInn` takes. */
export interface InnOptions {
  /** Groups created with `ctlinnd newgroup`, their descriptions in the newsgroups file. */
  groups?: GroupSpec[];
  /**
   * A certificate and key (PEM) for nnrpd's STARTTLS; with them a second
   * nnrpd runs as a daemon (`-D -f -S`) speaking TLS from the first byte on
   * `tlsPort` (NNTPS, for `NNTP_SSL`).
   */
  tls?: { cert: string; key: string };
}

/** A running private INN. */
export interface Inn {
  /** The port innd listens on (127.0.0.1). */
  port: number;
  /** The port of the TLS-from-the-start nnrpd (with `tls`), else 0. */
  tlsPort: number;
  /** The temporary folder holding everything. */
  dir: string;
  /** Runs `ctlinnd ARGS` against this innd; returns its output. */
  ctlinnd(...args: string[]): string;
  /** Shuts innd down (`ctlinnd shutdown`, SIGKILL if it lingers) and removes the folder. */
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, "127.0.0.1", resolve));
  const { port } = srv.address() as { port: number };
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

/** Resolves when 127.0.0.1:port accepts a connection; rejects when innd exits or `ms` pass. */
function waitListening(port: number, child: ChildProcess, ms: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + ms;
    let done = false;
    const onExit = (code: number | null) => {
      done = true;
      reject(new Error(`innd exited with ${code} before listening`));
    };
    child.once("exit", onExit);
    const attempt = () => {
      if (done) return;
      const sock = connect(port, "127.0.0.1");
      sock.once("connect", () => {
        sock.destroy();
        done = true;
        child.off("exit", onExit);
        resolve();
      });
      sock.once("error", () => {
        sock.destroy();
        if (Date.now() > deadline) {
          done = true;
          child.off("exit", onExit);
          reject(new Error(`innd did not listen on ${port} within ${ms} ms`));
        } else setTimeout(attempt, 50); // innd binds a moment after it starts: retry, bounded by the deadline
      });
    };
    attempt();
  });
}

function innConf(dir: string, port: number, tls: boolean): string {
  const system = readFileSync("/etc/news/inn.conf", "utf8")
    .split("\n")
    .filter(
      (line) =>
        !/^\s*(port|bindaddress6?|path\w*|nnrpdpostport|pathhost|domain|nnrpdloadlimit|tls\w*):/.test(line),
    );
  return [
    ...system,
    `port: ${port}`,
    "bindaddress: 127.0.0.1",
    `nnrpdpostport: ${port}`,
    "pathhost: netkit.test",
    "domain: netkit.test",
    "nnrpdloadlimit: 0", // nnrpd refuses readers ("400 load at 17.78, try later") past a load of 16: a busy CI machine reaches it
    "pathnews: /usr/lib/news",
    "pathbin: /usr/lib/news/bin",
    "pathcontrol: /usr/lib/news/bin/control",
    "pathfilter: /etc/news/filter",
    `pathetc: ${dir}/etc`,
    `pathdb: ${dir}/db`,
    `pathrun: ${dir}/run`,
    `pathlog: ${dir}/log`,
    `pathhttp: ${dir}/http`,
    `pathspool: ${dir}/spool`,
    `patharticles: ${dir}/spool/articles`,
    `pathoverview: ${dir}/spool/overview`,
    `pathincoming: ${dir}/spool/incoming`,
    `pathtmp: ${dir}/spool/incoming/tmp`,
    `pathoutgoing: ${dir}/spool/outgoing`,
    `patharchive: ${dir}/spool/archive`,
    ...(tls ? [`tlscertfile: ${dir}/etc/cert.pem`, `tlskeyfile: ${dir}/etc/key.pem`] : []),
    "",
  ].join("\n");
}

/** The reader `joe`, password `secret` (SHA-512 crypt, for ckpasswd). */
export const INN_USER = { user: "joe", password: "secret" };
const PASSWD =
  "joe:$6$netkitsalt$5Qg/F5wGElR53CXBwiO1NfQyN8kz3yjp9hp0q8T5GfzE5L14aMVckzncP090RoNDFXJAkfkyb3AfQdyOjuAQ3.\n";

/** Everyone on loopback reads and posts; AUTHINFO USER/PASS checks joe with ckpasswd. */
function readersConf(dir: string): string {
  return `auth "localhost" {
    hosts: "localhost, 127.0.0.1, ::1, stdin"
    auth: "ckpasswd -f ${dir}/etc/passwd.nntp"
    default: "<localhost>"
}
access "localhost" {
    users: "<localhost>"
    newsgroups: "*"
    access: RPAIN
}
access "joe" {
    users: "joe"
    newsgroups: "*"
    access: RPAIN
}
`;
}

const BASE_ACTIVE = [
  "control 0000000000 0000000001 n",
  "control.cancel 0000000000 0000000001 n",
  "junk 0000000000 0000000001 n",
];

async function startOnce(options: InnOptions): Promise<Inn> {
  const ids = newsIds()!;
  const dir = mkdtempSync("/tmp/netkit-inn-");
  chmodSync(dir, 0o755);
  for (const d of [
    "db",
    "run",
    "log",
    "http",
    "spool/articles",
    "spool/overview",
    "spool/incoming/tmp",
    "spool/outgoing",
    "spool/archive",
  ]) {
    mkdirSync(join(dir, d), { recursive: true });
  }
  cpSync("/etc/news", join(dir, "etc"), { recursive: true });
  const port = await freePort();
  const env = { ...process.env, INNCONF: join(dir, "etc", "inn.conf") };
  writeFileSync(join(dir, "etc", "inn.conf"), innConf(dir, port, options.tls !== undefined));
  writeFileSync(join(dir, "etc", "readers.conf"), readersConf(dir));
  writeFileSync(join(dir, "etc", "passwd.nntp"), PASSWD, { mode: 0o640 });
  if (options.tls) {
    writeFileSync(join(dir, "etc", "cert.pem"), options.tls.cert);
    writeFileSync(join(dir, "etc", "key.pem"), options.tls.key, { mode: 0o600 });
  }
  const groups = options.groups ?? [];
  writeFileSync(join(dir, "db", "active"), `${BASE_ACTIVE.join("\n")}\n`);
  writeFileSync(join(dir, "db", "active.times"), "");
  writeFileSync(join(dir, "db", "newsgroups"), groups.map(([name, , desc]) => `${name}\t${desc}\n`).join(""));
  writeFileSync(join(dir, "db", "history"), "");
  execFileSync("chown", ["-R", `${ids.uid}:${ids.gid}`, dir]);
  chownSync(dir, ids.uid, ids.gid);
  execFileSync(MAKEDBZ, ["-i", "-o"], { env, uid: ids.uid, gid: ids.gid, stdio: "pipe", timeout: 60_000 });
  const child = spawn(INND, ["-f", "-P", String(port)], { env, uid: ids.uid, gid: ids.gid, stdio: "ignore" });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const ctlinnd = (...args: string[]) =>
    execFileSync(CTLINND, ["-t", "60", ...args], { env, encoding: "utf8", timeout: 90_000 });
  let nnrpd: ChildProcess | undefined;
  const stop = async () => {
    if (nnrpd && nnrpd.exitCode === null && nnrpd.signalCode === null) {
      const gone = new Promise<void>((resolve) => nnrpd!.once("exit", () => resolve()));
      nnrpd.kill("SIGTERM");
      const timer = setTimeout(() => nnrpd!.kill("SIGKILL"), 30_000);
      await gone;
      clearTimeout(timer);
    }
    if (child.exitCode === null && child.signalCode === null) {
      spawnSync(CTLINND, ["-t", "30", "shutdown", "netkit test done"], { env, timeout: 60_000 });
      const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  let tlsPort = 0;
  try {
    await waitListening(port, child, 60_000);
    for (const [name, flag] of groups) ctlinnd("newgroup", name, flag, "netkit");
    if (options.tls) {
      tlsPort = await freePort();
      nnrpd = spawn(NNRPD, ["-D", "-f", "-S", "-4", "127.0.0.1", "-p", String(tlsPort)], {
        env,
        uid: ids.uid,
        gid: ids.gid,
        stdio: "ignore",
      });
      await waitListening(tlsPort, nnrpd, 60_000);
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return { port, tlsPort, dir, ctlinnd, stop };
}

/**
 * Starts a private innd on 127.0.0.1 and creates `groups` (a free port is
 * picked; if another process takes it first, innd exits and a new port is tried).
 */
export async function startInn(options: InnOptions = {}): Promise<Inn> {
  let last: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await startOnce(options);
    } catch (err) {
      last = err;
    }
  }
  throw last;
}
