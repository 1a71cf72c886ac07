/**
 * netkit's ftplib against python3-pyftpdlib (Debian's, scripted in
 * test/ftplib/_peers.ts): the same session as python3's ftplib over IPv4
 * and IPv6 (EPSV, EPRT), passive and active, plain and FTPS; and the
 * faults: a PASV reply naming another host (ignored: the data connection
 * goes to the control connection's peer), a data connection that hangs
 * (TimeoutError, no hang), a listing line of megabytes (ftplib's Error,
 * memory bounded).
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { TimeoutError } from "../../src/errors/index.js";
import { error_perm, FTP, FTPError } from "../../src/ftplib/index.js";
import { hasCommand, peerSkip } from "../_support/peers.js";
import { PYTHON, python } from "../_support/python.js";
import {
  type FtpServer,
  HAS_PYFTPDLIB,
  PASSWORD,
  putDir,
  putFile,
  startPyftpdlib,
  USER,
} from "../ftplib/_peers.js";
import { differential, type Step } from "../ftplib/_script.js";

const SKIP = peerSkip("python3-pyftpdlib", HAS_PYFTPDLIB && hasCommand(PYTHON));

const SESSION: Step[] = [
  ["welcome"],
  ["login", USER, PASSWORD],
  ["pwd"],
  ["nlst", "pub"],
  ["mlsd", "pub", []],
  ["mlsd", "pub", ["type", "size", "perm"]],
  ["size", "pub/data.bin"],
  ["retrbinary", "RETR pub/data.bin", 4096, null],
  ["retrbinary", "RETR pub/data.bin", 4096, 1000],
  ["retrlines", "RETR pub/text.txt"],
  ["storbinary", "STOR up.bin", "uploaded \u00ff bytes", null],
  ["storbinary", "STOR up.bin", "APPENDED", 9],
  ["retrbinary", "RETR up.bin", 8192, null],
  ["storlines", "STOR lines.txt", "a\nb\r\nc\rd"],
  ["retrbinary", "RETR lines.txt", 8192, null],
  ["rename", "up.bin", "moved.bin"],
  ["delete", "moved.bin"],
  ["delete", "lines.txt"],
  ["mkd", 'q"uote'],
  ["cwd", 'q"uote'],
  ["pwd"],
  ["cwd", ".."],
  ["rmd", 'q"uote'],
  ["retrbinary", "RETR pub/missing", 8192, null],
  ["cwd", "missing"],
  ["sendcmd", "SITE BOGUS"],
  ["set_pasv", false],
  ["nlst", "pub"],
  ["retrbinary", "RETR pub/data.bin", 8192, null],
  ["storbinary", "STOR active.bin", "via PORT", null],
  ["delete", "active.bin"],
  ["quit"],
];

function fill(server: FtpServer): void {
  putDir(server, "pub");
  const data = Buffer.alloc(50_000);
  for (let i = 0; i < data.length; i++) data[i] = (i * 7) & 0xff;
  putFile(server, "pub/data.bin", data);
  putFile(server, "pub/text.txt", "one\r\ntwo\nthree\r\n");
}

function assertSame(all: Awaited<ReturnType<typeof differential>>): void {
  for (const [step, py, nk] of all) {
    assert.deepEqual(
      nk,
      py,
      `${JSON.stringify(step)}\npython: ${JSON.stringify(py).slice(0, 400)}\nnetkit: ${JSON.stringify(nk).slice(0, 400)}`,
    );
  }
}

describe("pyftpdlib: the same session as python3's ftplib", { skip: SKIP }, () => {
  for (const host of ["127.0.0.1", "::1"]) {
    for (const tls of [false, true]) {
      test(`FTP${tls ? "_TLS" : ""} over ${host} (${host === "::1" ? "EPSV, EPRT" : "PASV, PORT"}) matches python3`, async () => {
        const server = await startPyftpdlib("normal", { host, tls });
        try {
          fill(server);
          const steps = [...SESSION];
          // pyftpdlib has no CCC: ccc() is refused with error_perm and the session stays on TLS.
          if (tls) steps.splice(2, 0, ["prot_p"], ["ccc"]);
          assertSame(await differential({ host, port: server.port, tls, caFile: server.caFile }, steps));
        } finally {
          await server.stop();
        }
      });
    }
  }
});

describe("pyftpdlib faults", { skip: SKIP }, () => {
  let server: FtpServer;
  after(async () => {
    await server?.stop();
  });

  test("FTP ignores the host of a PASV reply and connects to the control connection's peer", async () => {
    server = await startPyftpdlib("pasv-elsewhere");
    putFile(server, "file.txt", "through the control peer");
    await using ftp = await FTP.open(server.host, {
      port: server.port,
      user: USER,
      passwd: PASSWORD,
      timeout: 10,
    });
    const resp = await ftp.sendcmd("PASV");
    assert.match(resp, /\(10,255,255,1,/, "the server does point elsewhere");
    const [host] = await ftp.makepasv();
    assert.equal(host, "127.0.0.1");
    await ftp.voidcmd("TYPE I");
    const [conn] = await ftp.ntransfercmd("RETR file.txt");
    assert.equal(conn.getpeername()[0], "127.0.0.1");
    const got = await conn.recv(1000);
    conn.close();
    await ftp.voidresp();
    assert.equal(got.toString(), "through the control peer");
    // python3 behaves the same (trust_server_pasv_ipv4_address is False there too).
    const py = await python<string>(
      `import ftplib, json, sys
c = json.load(sys.stdin)
f = ftplib.FTP(timeout=10); f.connect('127.0.0.1', c['port']); f.login('${USER}', '${PASSWORD}')
out = []
f.retrbinary('RETR file.txt', out.append)
print(json.dumps(b''.join(out).decode()))`,
      { port: server.port },
    );
    assert.equal(py, "through the control peer");
    await server.stop();
  });

  test("FTP.retrbinary() on a data connection that hangs fails with TimeoutError, and the session goes on", async () => {
    server = await startPyftpdlib("hang");
    putFile(server, "hang.bin", "never sent");
    putFile(server, "ok.bin", "sent");
    await using ftp = await FTP.open(server.host, {
      port: server.port,
      user: USER,
      passwd: PASSWORD,
      timeout: 1,
    });
    const started = Date.now();
    await assert.rejects(
      ftp.retrbinary("RETR hang.bin", () => {}),
      (err: unknown) => err instanceof TimeoutError && (err as TimeoutError).code === "ETIMEDOUT",
    );
    assert.ok(Date.now() - started < 30_000, "no hang");
    // The same with retrlines, in active mode too.
    ftp.setPasv(false);
    await assert.rejects(
      ftp.retrlines("RETR hang.bin", () => {}),
      TimeoutError,
    );
    await server.stop();
  });

  test("FTP.dir() and mlsd() refuse a listing line of a megabyte with Error, memory bounded", async () => {
    server = await startPyftpdlib("huge-line", { hugeLine: 32 * 1024 * 1024 });
    // Not \`await using\`: the server's 426 for the dropped listing is still to be read, and QUIT would get it.
    const ftp = await FTP.open(server.host, {
      port: server.port,
      user: USER,
      passwd: PASSWORD,
      timeout: 30,
    });
    const before = process.memoryUsage().arrayBuffers;
    await assert.rejects(
      ftp.dir(() => {}),
      (err: unknown) => {
        assert.ok(err instanceof FTPError && !(err instanceof error_perm));
        assert.equal((err as FTPError).code, "ERR_FTP_LINE_TOO_LONG");
        assert.equal((err as FTPError).message, "got more than 8192 bytes"); // Python's words
        return true;
      },
    );
    assert.ok(process.memoryUsage().arrayBuffers - before < 16 * 1024 * 1024, "the 32 MB line was not held");
    ftp.close();
    // python3 raises the same error for the same line.
    const py = await python<[string, string]>(
      `import ftplib, json, sys
c = json.load(sys.stdin)
f = ftplib.FTP(timeout=30); f.connect('127.0.0.1', c['port']); f.login('${USER}', '${PASSWORD}')
try:
    list(f.mlsd())
except ftplib.Error as e:
    print(json.dumps([type(e).__name__, str(e)]))`,
      { port: server.port },
    );
    assert.deepEqual(py, ["Error", "got more than 8192 bytes"]);
  });
});

describe("pyftpdlib anonymous", { skip: SKIP }, () => {
  let server: FtpServer;
  before(async () => {
    server = await startPyftpdlib("normal");
    putFile(server, "readme.txt", "anonymous can read");
  });
  after(async () => {
    await server?.stop();
  });

  test("FTP.login() without a user logs in as anonymous (password anonymous@) and can read, not write", async () => {
    await using ftp = new FTP({ timeout: 10 });
    await ftp.connect(server.host, server.port);
    assert.match(await ftp.login(), /^230 /);
    const lines: string[] = [];
    await ftp.retrlines("RETR readme.txt", (l) => {
      lines.push(l);
    });
    assert.deepEqual(lines, ["anonymous can read"]);
    await assert.rejects(ftp.storbinary("STOR x.bin", Buffer.from("x")), error_perm);
  });
});
