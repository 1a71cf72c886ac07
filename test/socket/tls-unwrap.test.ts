/**
 * `SSLSocket.unwrap()` (Python's `SSLSocket.unwrap`, what FTP's CCC needs):
 * the TLS shutdown handshake on a connection that then goes on in clear
 * text. The peer is python3's ssl module with memory BIOs, so it can put its
 * close_notify and the clear text after it in one write (no byte may be lost
 * or read twice at the switch), and play the faults: clear text before
 * close_notify, a stall, a close without close_notify.
 */
import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import { after, before, describe, test } from "node:test";
import { TimeoutError } from "../../src/errors/index.js";
import { Socket } from "../../src/socket/socket.js";
import { createDefaultContext, SSLEOFError, SSLError, type SSLSocket } from "../../src/socket/tls.js";
import { peerSkip } from "../_support/peers.js";
import { startPython } from "../_support/python.js";
import { HAS_OPENSSL, makePKI } from "../_support/tls.js";

// One connection at a time: the first line (in clear) names the mode.
const SERVER = String.raw`
import socket, ssl, sys
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(sys.argv[1], sys.argv[2])
ls = socket.create_server(("127.0.0.1", 0))
print(ls.getsockname()[1], flush=True)

def line(c):
    out = b""
    while not out.endswith(b"\n"):
        b = c.recv(1)
        if not b: break
        out += b
    return out

def exactly(c, n):
    out = b""
    while len(out) < n:
        b = c.recv(n - len(out))
        if not b: raise EOFError
        out += b
    return out

def record(c):
    head = exactly(c, 5)
    return head + exactly(c, int.from_bytes(head[3:5], "big"))

while True:
    c, _ = ls.accept()
    try:
        mode = line(c).strip().decode()
        inc, out = ssl.MemoryBIO(), ssl.MemoryBIO()
        tls = ctx.wrap_bio(inc, out, server_side=True)
        while True:
            try:
                tls.do_handshake(); break
            except ssl.SSLWantReadError:
                c.sendall(out.read()); inc.write(record(c))
        c.sendall(out.read())
        tls.write(b"secret\n")
        if mode == "burst":
            c.sendall(out.read())
            inc.write(record(c)); tls.read()  # the client's request
            try: tls.unwrap()
            except ssl.SSLWantReadError: pass
            # close_notify and clear text in one write
            c.sendall(out.read() + b"plain after\n")
        elif mode == "peer-first":
            try: tls.unwrap()
            except ssl.SSLWantReadError: pass
            c.sendall(out.read())
        elif mode == "plain-first":
            c.sendall(out.read() + b"200 plain too soon\r\n")
        elif mode == "close":
            c.sendall(out.read()); c.shutdown(socket.SHUT_WR)
        else:  # stall
            c.sendall(out.read())
        if mode in ("burst", "peer-first"):
            while True:  # the client's close_notify ends TLS
                inc.write(record(c))
                try: tls.unwrap(); break
                except ssl.SSLWantReadError: pass
            if mode == "peer-first": c.sendall(b"plain after\n")
            c.sendall(line(c))  # echo one clear line
        while c.recv(65536): pass
    except Exception as e:
        print("server:", repr(e), file=sys.stderr, flush=True)
    finally:
        c.close()
`;

/** Reads from `sock` up to and including the first LF. */
async function readLine(sock: Socket): Promise<string> {
  let out = "";
  while (!out.endsWith("\n")) {
    const b = await sock.recv(1);
    if (b.length === 0) break;
    out += b.toString("latin1");
  }
  return out;
}

describe("SSLSocket.unwrap() against python3's ssl", { skip: peerSkip("openssl", HAS_OPENSSL) }, () => {
  let child: ChildProcess;
  let port = 0;
  before(async () => {
    const pki = makePKI();
    const started = await startPython(SERVER, [`${pki.dir}/server.pem`, `${pki.dir}/server.key`]);
    child = started.child;
    child.stderr?.on("data", (b: Buffer) => process.stderr.write(b));
    port = Number(started.firstLine);
  });
  after(() => {
    child?.kill();
  });

  /** A connection in `mode`, read from in clear text first (the adapter path), then on TLS with "secret\n" read. */
  async function open(mode: string, timeout = 30): Promise<SSLSocket> {
    const raw = new Socket();
    raw.settimeout(timeout);
    await raw.connect(["127.0.0.1", port]);
    await raw.sendall(Buffer.from(`${mode}\n`));
    const ctx = createDefaultContext();
    ctx.loadVerifyLocations({ cafile: makePKI().caFile });
    // Read from first (nothing there: a zero-timeout peek), as a protocol that negotiated TLS in clear would.
    raw.setblocking(false);
    await raw.recv(1).catch(() => undefined);
    raw.settimeout(timeout);
    const tls = await ctx.wrapSocket(raw, { serverHostname: "localhost" });
    assert.equal(await readLine(tls), "secret\n");
    return tls;
  }

  test("unwrap() goes on in clear text with the bytes the peer sent right after its close_notify", async () => {
    const tls = await open("burst");
    await tls.sendall(Buffer.from("x")); // the server waits for a record before its close_notify
    const clear = await tls.unwrap();
    assert.ok(tls.closed);
    assert.equal(clear.constructor, Socket);
    assert.equal(clear.gettimeout(), 30);
    assert.equal(await readLine(clear), "plain after\n");
    await clear.sendall(Buffer.from("bye\n"));
    assert.equal(await readLine(clear), "bye\n");
    clear.close();
  });

  test("unwrap() after the peer's close_notify came first sends its own and goes on", async () => {
    const tls = await open("peer-first");
    assert.equal((await tls.recv(100)).length, 0, "TLS ended");
    const clear = await tls.unwrap();
    assert.equal(await readLine(clear), "plain after\n");
    await clear.sendall(Buffer.from("bye\n"));
    assert.equal(await readLine(clear), "bye\n");
    clear.close();
  });

  test("unwrap() fails with SSLError when clear text comes before close_notify", async () => {
    const tls = await open("plain-first");
    await assert.rejects(
      tls.unwrap(),
      (err: unknown) => err instanceof SSLError && !(err instanceof SSLEOFError),
    );
    assert.ok(tls.closed);
  });

  test("unwrap() fails with SSLEOFError when the connection ends without close_notify", async () => {
    const tls = await open("close");
    await assert.rejects(tls.unwrap(), SSLEOFError);
    assert.ok(tls.closed);
  });

  test("unwrap() times out when close_notify never comes", async () => {
    const tls = await open("stall");
    tls.settimeout(1); // only now: the handshake keeps a generous one on a busy machine
    await assert.rejects(tls.unwrap(), TimeoutError);
    assert.ok(tls.closed);
  });

  test("unwrap() refuses a TLS session started on a fresh socket, sending nothing", async () => {
    const raw = new Socket();
    raw.settimeout(30);
    await raw.connect(["127.0.0.1", port]);
    await raw.sendall(Buffer.from("burst\n"));
    const ctx = createDefaultContext();
    ctx.loadVerifyLocations({ cafile: makePKI().caFile });
    const tls = await ctx.wrapSocket(raw, { serverHostname: "localhost" });
    await assert.rejects(tls.unwrap(), { name: "ValueError", code: "ERR_SSL_UNWRAP_UNSUPPORTED" });
    assert.equal(await readLine(tls), "secret\n", "the session goes on over TLS");
    tls.close();
  });
});
