/**
 * `FTP_TLS.ccc()` against a scripted python3 server (ssl module): the clear
 * control connection after a good CCC, and the faults around the TLS
 * shutdown (clear text before close_notify, a close without it, a stall),
 * each a typed error with the connection closed, never a hang.
 */
import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import { after, before, describe, test } from "node:test";
import { TimeoutError } from "../../src/errors/index.js";
import { FTP_TLS } from "../../src/ftplib/index.js";
import { createDefaultContext, SSLEOFError, SSLError, SSLSocket } from "../../src/socket/tls.js";
import { peerSkip } from "../_support/peers.js";
import { startPython } from "../_support/python.js";
import { HAS_OPENSSL, makePKI } from "../_support/tls.js";

// The user name picks what follows CCC's reply.
const SERVER = String.raw`
import os, socket, ssl, sys, threading
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(sys.argv[1], sys.argv[2])
ls = socket.create_server(("127.0.0.1", 0))
print(ls.getsockname()[1], flush=True)

def line(s):
    out = b""
    while not out.endswith(b"\n"):
        b = s.recv(1)
        if not b: raise EOFError
        out += b
    return out.decode().strip()

def serve(c):
    try:
        c.sendall(b"220 scripted\r\n")
        assert line(c) == "AUTH TLS"
        c.sendall(b"234 go\r\n")
        s = ctx.wrap_socket(c, server_side=True)
        mode = "ok"
        while True:
            cmd = line(s)
            if cmd.startswith("USER "):
                mode = cmd[5:]; s.sendall(b"331 pass?\r\n")
            elif cmd.startswith("PASS "):
                s.sendall(b"230 in\r\n")
            elif cmd == "CCC":
                s.sendall(b"200 Clear\r\n")
                break
            else:
                s.sendall(b"500 what\r\n")
        if mode == "ok":
            c = s.unwrap()
            while True:
                cmd = line(c)
                if cmd == "PWD": c.sendall(b'257 "/clear" is here\r\n')
                elif cmd == "QUIT": c.sendall(b"221 bye\r\n"); break
                else: c.sendall(b"500 what\r\n")
        else:
            # past the TLS layer, on the connection itself
            fd = s.fileno()
            if mode == "plain-first": os.write(fd, b"200 too soon\r\n")
            elif mode == "close": socket.socket.shutdown(s, socket.SHUT_WR)
            while os.read(fd, 65536): pass
            s.close()
    except Exception as e:
        print("server:", repr(e), file=sys.stderr, flush=True)
    finally:
        c.close()

while True:
    c, _ = ls.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()
`;

describe("FTP_TLS.ccc() against a scripted server", { skip: peerSkip("openssl", HAS_OPENSSL) }, () => {
  let child: ChildProcess;
  let port = 0;
  before(async () => {
    const pki = makePKI();
    const started = await startPython(SERVER, [`${pki.dir}/server.pem`, `${pki.dir}/server.key`]);
    child = started.child;
    port = Number(started.firstLine);
  });
  after(() => {
    child?.kill();
  });

  async function login(mode: string): Promise<FTP_TLS> {
    const context = createDefaultContext();
    context.loadVerifyLocations({ cafile: makePKI().caFile });
    const ftps = new FTP_TLS({ context, timeout: 30 });
    await ftps.connect("localhost", port);
    await ftps.login(mode, "pw");
    return ftps;
  }

  test("FTP_TLS.ccc() goes on in clear text after the TLS shutdown", async () => {
    const ftps = await login("ok");
    assert.equal(await ftps.ccc(), "200 Clear");
    assert.ok(ftps.sock && !(ftps.sock instanceof SSLSocket));
    assert.equal(await ftps.pwd(), "/clear");
    assert.equal(await ftps.quit(), "221 bye");
  });

  const faults: Array<[string, string, (err: unknown) => boolean]> = [
    [
      "plain-first",
      "clear text before close_notify is an SSLError",
      (e) => e instanceof SSLError && !(e instanceof SSLEOFError),
    ],
    ["close", "a close without close_notify is an SSLEOFError", (e) => e instanceof SSLEOFError],
    ["stall", "no close_notify within the timeout is a TimeoutError", (e) => e instanceof TimeoutError],
  ];
  for (const [mode, what, check] of faults) {
    test(`FTP_TLS.ccc(): ${what}, and the connection is closed`, async () => {
      const ftps = await login(mode);
      // Short only now (login keeps a generous one on a busy machine); CCC's reply comes at once.
      if (mode === "stall") ftps.sock!.settimeout(2);
      await assert.rejects(ftps.ccc(), check);
      assert.equal(ftps.sock, null);
    });
  }
});
