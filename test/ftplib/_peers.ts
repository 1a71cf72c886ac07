/**
 * FTP servers for the ftplib and urllib tests, started on loopback in a
 * temporary folder and stopped by the caller:
 *
 * - `startPureFtpd()`: Debian's pure-ftpd, self-contained (flags, not
 *   Debian's wrapper), one virtual user `alice` / `s3cret` from a
 *   SHA-512 crypt line and `pure-pw mkdb` (pure-pw's own argon2id hashing
 *   makes every login slow), chrooted to its home, with its own passive
 *   port range (concurrent instances otherwise share one), and explicit
 *   FTPS (AUTH TLS) on the same port with a certificate from the test CA.
 *   Needs root (privilege separation).
 * - `startPyftpdlib(mode)`: Debian's python3-pyftpdlib (run with
 *   /usr/bin/python3: pyenv's python3 does not see Debian's packages), the
 *   same user plus anonymous read access, scriptable for fault cases.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createConnection, createServer } from "node:net";
import { join } from "node:path";
import { hasCommand } from "../_support/peers.js";
import { HAS_OPENSSL, makePKI } from "../_support/tls.js";

export const USER = "alice";
export const PASSWORD = "s3cret";
const NOBODY = 65534;
const PURE_FTPD = "/usr/sbin/pure-ftpd";
export const DEBIAN_PYTHON = "/usr/bin/python3";

/** pure-ftpd can run here: installed, root, openssl for its certificate. */
export const HAS_PURE_FTPD = existsSync(PURE_FTPD) && process.getuid?.() === 0 && HAS_OPENSSL;

/** pyftpdlib (with pyOpenSSL for FTPS) under Debian's python3. */
export const HAS_PYFTPDLIB =
  existsSync(DEBIAN_PYTHON) && hasCommand(DEBIAN_PYTHON, ["-c", "import pyftpdlib.handlers, OpenSSL"]);

/** A free loopback port (the kernel's pick, released for the daemon to take). */
export async function freePort(host = "127.0.0.1"): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve, reject) => {
    srv.once("error", reject);
    srv.listen(0, host, resolve);
  });
  const { port } = srv.address() as { port: number };
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

/** Resolves once `port` accepts a connection (tries every 50 ms, fails after `ms`). */
async function waitListening(port: number, ms: number, why: () => string): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const c = createConnection({ host: "127.0.0.1", port }, () => {
        c.destroy();
        resolve(true);
      });
      c.once("error", () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`FTP server never listened on ${port}: ${why()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A running server: where it listens, its user's home (files go there), how to stop it. */
export interface FtpServer {
  host: string;
  port: number;
  /** The user's home directory (the root the client sees). */
  home: string;
  /** The CA that signed the server's certificate (for FTPS). */
  caFile: string;
  stop(): Promise<void>;
}

/** Writes a file into the server's home, owned by the server's user. */
export function putFile(server: FtpServer, name: string, data: string | Buffer): string {
  const path = join(server.home, name);
  writeFileSync(path, data);
  chownSync(path, NOBODY, NOBODY);
  return path;
}

/** Makes a directory in the server's home, owned by the server's user. */
export function putDir(server: FtpServer, name: string): string {
  const path = join(server.home, name);
  mkdirSync(path, { recursive: true });
  chownSync(path, NOBODY, NOBODY);
  return path;
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

let rangeTurn = 0;

/** A passive port range of 100 ports of this instance's own (pure-ftpd instances otherwise share one). */
function passiveRange(): string {
  const base = 20_000 + ((process.pid * 7 + rangeTurn++ * 131) % 300) * 100;
  return `${base}:${base + 99}`;
}

/** Starts pure-ftpd on 127.0.0.1 (plain and explicit FTPS on one port). */
export async function startPureFtpd(): Promise<FtpServer> {
  const dir = mkdtempSync("/tmp/netkit-pureftpd-");
  chmodSync(dir, 0o755);
  const home = join(dir, "home");
  mkdirSync(home);
  chownSync(home, NOBODY, NOBODY);
  const pki = makePKI();
  const pem = join(dir, "pure-ftpd.pem");
  writeFileSync(pem, `${pki.server.key}${pki.server.cert}`, { mode: 0o600 });
  const hash = execFileSync("openssl", ["passwd", "-6", "-salt", "netkitftp", PASSWORD], {
    encoding: "utf8",
  }).trim();
  writeFileSync(
    join(dir, "pureftpd.passwd"),
    `${USER}:${hash}:${NOBODY}:${NOBODY}::${home}/./::::::::::::\n`,
  );
  execFileSync("pure-pw", ["mkdb", join(dir, "pureftpd.pdb"), "-f", join(dir, "pureftpd.passwd")], {
    stdio: "ignore",
  });
  const port = await freePort();
  let stderr = "";
  const child = spawn(
    PURE_FTPD,
    [
      "-S",
      `127.0.0.1,${port}`,
      "-l",
      `puredb:${join(dir, "pureftpd.pdb")}`,
      "-E", // no anonymous login
      "-A", // chroot everyone
      "-H", // no DNS look-ups
      "-u",
      "1",
      "-p",
      passiveRange(),
      "-c",
      "50",
      "-C",
      "50",
      "-Y",
      "1", // TLS allowed, not required
      "-2",
      pem,
    ],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  child.stderr!.on("data", (b: Buffer) => {
    stderr += b.toString();
  });
  try {
    await waitListening(port, 30_000, () => stderr);
  } catch (err) {
    await stopChild(child);
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    host: "127.0.0.1",
    port,
    home,
    caFile: pki.caFile,
    stop: async () => {
      await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The pyftpdlib server: alice (full rights) and anonymous (read only) on
 * `host`, port 0; `mode` picks a fault:
 * - `"normal"`;
 * - `"pasv-elsewhere"`: PASV replies name 10.255.255.1 (masquerade_address),
 *   an address no data connection can reach;
 * - `"hang"`: RETR of a file named `hang*` answers 150 and then sends nothing,
 *   keeping the data connection open;
 * - `"huge-line"`: LIST and MLSD send one line of `hugeLine` bytes.
 * With `tls`, explicit FTPS (TLS_FTPHandler) with the test CA's certificate.
 */
export async function startPyftpdlib(
  mode: "normal" | "pasv-elsewhere" | "hang" | "huge-line" = "normal",
  options: { host?: string; tls?: boolean; hugeLine?: number } = {},
): Promise<FtpServer> {
  const dir = mkdtempSync("/tmp/netkit-pyftpdlib-");
  chmodSync(dir, 0o755);
  const home = join(dir, "home");
  mkdirSync(home);
  chownSync(home, NOBODY, NOBODY);
  const pki = makePKI();
  const config = {
    host: options.host ?? "127.0.0.1",
    home,
    mode,
    tls: options.tls ?? false,
    certfile: pki.server.certFile,
    keyfile: pki.server.keyFile,
    hugeLine: options.hugeLine ?? 1024 * 1024,
  };
  const child = spawn(DEBIAN_PYTHON, ["-u", "-c", PYFTPDLIB_SERVER, JSON.stringify(config)], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr!.on("data", (b: Buffer) => {
    stderr += b.toString();
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`pyftpdlib did not start: ${stderr}`)), 60_000);
    child.stdout!.on("data", (b: Buffer) => {
      out += b.toString();
      const nl = out.indexOf("\n");
      if (nl >= 0) {
        clearTimeout(timer);
        resolve(Number(JSON.parse(out.slice(0, nl)).port));
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`pyftpdlib exited with ${code}: ${stderr}`));
    });
  });
  return {
    host: config.host,
    port,
    home,
    caFile: pki.caFile,
    stop: async () => {
      await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const PYFTPDLIB_SERVER = `
import json, sys, logging
logging.disable(logging.CRITICAL)
from pyftpdlib.authorizers import DummyAuthorizer
from pyftpdlib.handlers import FTPHandler, TLS_FTPHandler
from pyftpdlib.servers import FTPServer
cfg = json.loads(sys.argv[1])
auth = DummyAuthorizer()
auth.add_user('${USER}', '${PASSWORD}', cfg['home'], perm='elradfmwMT')
auth.add_anonymous(cfg['home'])
base = TLS_FTPHandler if cfg['tls'] else FTPHandler
class Handler(base):
    def ftp_RETR(self, file):
        if cfg['mode'] == 'hang' and file.rsplit('/', 1)[-1].startswith('hang'):
            self.respond('150 File status okay. About to open data connection.')
            return
        return super().ftp_RETR(file)
    def _huge(self, cmd):
        self.push_dtp_data(b'x' * cfg['hugeLine'] + b'\\r\\n', isproducer=False, cmd=cmd)
    def ftp_LIST(self, path):
        if cfg['mode'] == 'huge-line':
            return self._huge('LIST')
        return super().ftp_LIST(path)
    def ftp_MLSD(self, path):
        if cfg['mode'] == 'huge-line':
            return self._huge('MLSD')
        return super().ftp_MLSD(path)
Handler.authorizer = auth
if cfg['mode'] == 'pasv-elsewhere':
    Handler.masquerade_address = '10.255.255.1'
if cfg['tls']:
    Handler.certfile = cfg['certfile']
    Handler.keyfile = cfg['keyfile']
server = FTPServer((cfg['host'], 0), Handler)
print(json.dumps({'port': server.socket.getsockname()[1]}))
server.serve_forever(handle_exit=False)
`;
