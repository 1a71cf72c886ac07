/**
 * netkit's ftplib against a real FTP server, Debian's pure-ftpd (plain and
 * explicit FTPS, see test/ftplib/_peers.ts), and against python3's ftplib
 * on the same server: the same session played by both must give the same
 * values and the same errors, step by step (replies compared with their
 * numbers masked: pure-ftpd's carry the time and the transfer rate).
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { FTP, FTP_TLS } from "../../src/ftplib/index.js";
import type { Socket } from "../../src/socket/socket.js";
import { SSLCertVerificationError, SSLSocket } from "../../src/socket/tls.js";
import { createDefaultContext } from "../../src/ssl.js";
import { peerSkip } from "../_support/peers.js";
import {
  type FtpServer,
  HAS_PURE_FTPD,
  PASSWORD,
  putDir,
  putFile,
  startPureFtpd,
  USER,
} from "../ftplib/_peers.js";
import { differential, type Step } from "../ftplib/_script.js";

/** A session touching every command, leaving the server as it found it. */
function session(binary: string): Step[] {
  return [
    ["welcome"],
    ["login", USER, "wrong"],
    ["login", USER, PASSWORD],
    ["pwd"],
    ["nlst", "pub"],
    ["dir", "pub"],
    ["mlsd", "pub", []],
    ["mlsd", "pub", ["type", "size"]],
    ["size", "pub/data.bin"],
    ["size", "pub/missing.bin"],
    ["retrbinary", "RETR pub/data.bin", 8192, null],
    ["retrbinary", "RETR pub/data.bin", 1000, 70000],
    ["retrlines", "RETR pub/text.txt"],
    ["retrbinary", "RETR pub/missing.bin", 8192, null],
    ["storbinary", "STOR up.bin", binary, null],
    ["size", "up.bin"],
    ["retrbinary", "RETR up.bin", 65536, null],
    ["storlines", "STOR lines.txt", "one\ntwo\r\nthree"],
    ["retrbinary", "RETR lines.txt", 8192, null],
    ["rename", "up.bin", "moved.bin"],
    ["rename", "nothere.bin", "x.bin"],
    ["delete", "moved.bin"],
    ["delete", "lines.txt"],
    ["delete", "moved.bin"],
    ["mkd", "sub dir"],
    ["cwd", "sub dir"],
    ["pwd"],
    ["cwd", ".."],
    ["rmd", "sub dir"],
    ["cwd", "nowhere"],
    ["set_pasv", false],
    ["nlst", "pub"],
    ["retrbinary", "RETR pub/data.bin", 8192, null],
    ["set_pasv", true],
    ["sendcmd", "NOOP"],
    ["voidcmd", "STAT"],
    ["sendcmd", "BOGUS"],
    ["sendcmd", "NOOP\r\nDELE pub/data.bin"],
    ["quit"],
  ];
}

describe("pure-ftpd (a real FTP server, loopback only)", {
  skip: peerSkip("pure-ftpd (as root)", HAS_PURE_FTPD),
}, () => {
  let server: FtpServer;
  const data = Buffer.alloc(150_000);
  for (let i = 0; i < data.length; i++) data[i] = (i * 31 + (i >> 8)) & 0xff;

  before(async () => {
    server = await startPureFtpd();
    putDir(server, "pub");
    putFile(server, "pub/data.bin", data);
    putFile(server, "pub/text.txt", "first line\nsecond\nthird\n\nlast without end");
    putFile(server, "pub/other.txt", "x");
  });
  after(async () => {
    await server?.stop();
  });

  for (const mode of ["FTP", "FTP_TLS", "FTP_TLS after ccc()"] as const) {
    test(`ftplib ${mode} gives python3's values and errors for the same session`, async () => {
      const tls = mode !== "FTP";
      const steps = session(data.subarray(0, 40_000).toString("latin1"));
      if (tls) steps.splice(3, 0, ["prot_p"]);
      // CCC after login and PROT P: the rest runs with a clear control connection and private data.
      if (mode === "FTP_TLS after ccc()") steps.splice(4, 0, ["ccc"]);
      const config = { host: server.host, port: server.port, tls, caFile: server.caFile };
      const all = await differential(config, steps);
      for (const [step, py, nk] of all) {
        assert.deepEqual(
          nk,
          py,
          `${JSON.stringify(step).slice(0, 200)}\npython: ${JSON.stringify(py).slice(0, 400)}\nnetkit: ${JSON.stringify(nk).slice(0, 400)}`,
        );
      }
      // And the values are right, not only equal.
      const byStep = new Map(all.map(([step, , nk]) => [JSON.stringify(step), nk]));
      const retr = byStep.get(JSON.stringify(["retrbinary", "RETR pub/data.bin", 8192, null])) as {
        ok: [string, string];
      };
      assert.equal(Buffer.from(retr.ok[1], "latin1").compare(data), 0);
      const rest = byStep.get(JSON.stringify(["retrbinary", "RETR pub/data.bin", 1000, 70000])) as {
        ok: [string, string];
      };
      assert.equal(Buffer.from(rest.ok[1], "latin1").compare(data.subarray(70000)), 0);
      const lines = byStep.get(JSON.stringify(["retrlines", "RETR pub/text.txt"])) as { ok: string[] };
      assert.deepEqual(lines.ok.slice(1), ["first line", "second", "third", "", "last without end"]);
      const injected = byStep.get(JSON.stringify(["sendcmd", "NOOP\r\nDELE pub/data.bin"])) as {
        err: string[];
      };
      assert.equal(injected.err[0], "ValueError");
      assert.equal(
        readFileSync(join(server.home, "pub/data.bin")).length,
        data.length,
        "the injected DELE never ran",
      );
    });
  }

  test("FTP.getwelcome() returns pure-ftpd's whole multi-line greeting, codes included", async () => {
    await using ftp = await FTP.open(server.host, { port: server.port, timeout: 30 });
    const welcome = ftp.getwelcome()!;
    const lines = welcome.split("\n");
    assert.ok(lines.length > 1, welcome);
    assert.match(lines[0]!, /^220-/);
    assert.match(lines[lines.length - 1]!, /^220 /);
  });

  test("FTP_TLS verifies pure-ftpd's certificate by default and refuses it without the CA", async () => {
    const ftps = new FTP_TLS({ timeout: 30 });
    await ftps.connect(server.host, server.port);
    await assert.rejects(ftps.login(USER, PASSWORD), SSLCertVerificationError);
    ftps.close();
  });

  test("FTP_TLS.ccc() leaves the control connection in clear text and the data connections on TLS", async () => {
    const context = createDefaultContext();
    context.loadVerifyLocations({ cafile: server.caFile });
    await using ftps = await FTP_TLS.open(server.host, {
      port: server.port,
      timeout: 30,
      context,
      user: USER,
      passwd: PASSWORD,
    });
    await ftps.protP();
    assert.ok(ftps.sock instanceof SSLSocket);
    assert.equal(await ftps.ccc(), "200 Control connection unencrypted");
    const control = ftps.sock as Socket | null;
    assert.ok(control && !(control instanceof SSLSocket), "the control socket is plain");
    // The server reads clear text now: a command written straight to the socket is answered.
    await control.sendall(Buffer.from("NOOP\r\n"));
    assert.equal(await ftps.getresp(), "200 Zzz...");
    await ftps.voidcmd("TYPE I");
    const [conn] = await ftps.ntransfercmd("RETR pub/data.bin");
    assert.ok(conn instanceof SSLSocket, "the data connection is still private");
    const got: Buffer[] = [];
    for (let chunk = await conn.recv(65536); chunk.length > 0; chunk = await conn.recv(65536))
      got.push(chunk);
    conn.close();
    assert.equal(Buffer.concat(got).compare(data), 0);
    assert.match(await ftps.voidresp(), /^226/);
    assert.equal(await ftps.pwd(), "/");
    await assert.rejects(ftps.ccc(), { name: "ValueError", message: "not using TLS" });
    const clear = new FTP_TLS({ timeout: 30, context });
    await clear.connect(server.host, server.port);
    await assert.rejects(clear.ccc(), { name: "ValueError", message: "not using TLS" });
    clear.close();
  });
});
