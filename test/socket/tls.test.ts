/**
 * Unit tests of netkit/ssl (src/socket/tls.ts) over loopback, with
 * certificates made at test time (test/_support/tls.ts). Python's `ssl` is
 * the reference: each handshake scenario runs twice, netkit against netkit
 * and python3 against python3, and both sides' outcomes (success with the
 * peer certificate, version, ALPN, first read; or the error's class, reason,
 * verify code and text) must agree. Cross tests put netkit against a python3
 * peer where the wire is the point (SNI, cipher(), close_notify), and
 * against raw TCP peers that never answer or close mid-handshake.
 *
 * The server-side client-certificate scenarios run on both paths of
 * src/socket/_node_internals.ts: Node's `verifyError()` and the tls.Server
 * fallback.
 */
import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { TimeoutError, ValueError } from "../../src/errors/index.js";
import { _disableNodeInternals, nodeInternals } from "../../src/socket/_node_internals.js";
import { SHUT_WR } from "../../src/socket/constants.js";
import { Socket } from "../../src/socket/socket.js";
import {
  CERT_NONE,
  CERT_OPTIONAL,
  CERT_REQUIRED,
  createDefaultContext,
  PEMCertToDERCert,
  PROTOCOL_TLS_CLIENT,
  PROTOCOL_TLS_SERVER,
  SSLCertVerificationError,
  SSLContext,
  SSLError,
  type SSLSocket,
  TLSVersion,
} from "../../src/socket/tls.js";
import { hasCommand, peerSkip } from "../_support/peers.js";
import { python, startPython } from "../_support/python.js";
import { HAS_OPENSSL, makePKI, type TestPKI } from "../_support/tls.js";

const skip = peerSkip("python3", hasCommand("python3")) || peerSkip("openssl", HAS_OPENSSL);

let pki: TestPKI;
before(() => {
  if (!skip) pki = makePKI();
});

/** Certificate names of the test PKI, as files `<name>.pem` / `<name>.key` in `pki.dir`. */
type CertName = "server" | "self" | "wronghost" | "expired" | "unknownca" | "client";

/** One handshake: how each side is set up (Python's names, camel-cased). */
interface Scenario {
  name: string;
  server: {
    cert: CertName;
    verifyMode?: number;
    /** Trust the test CA for client certificates. */
    clientCA?: boolean;
    alpn?: string[];
    maxVersion?: "TLSv1_2" | "TLSv1_3";
  };
  client: {
    /** `ca` (the test CA), `otherca` (a CA that signed nothing here), or none loaded. */
    cafile?: "ca" | "otherca";
    /** Load the default CAs instead (createDefaultContext / create_default_context). */
    defaults?: boolean;
    verifyMode?: number;
    checkHostname?: boolean;
    serverHostname: string | null;
    cert?: CertName;
    alpn?: string[];
  };
}

/** A handshake that succeeded: what the connection tells. */
interface Succeeded {
  ok: true;
  version: string | null;
  alpn: string | null;
  peercert: unknown;
  peercertDER: boolean;
  /** The client's first read: what the server sent, or the error it met. */
  read?: string | Outcome;
}

/** A handshake (or read) that failed: the error as Python shows it. */
interface Failed {
  ok: false;
  error: string;
  message: string;
  reason?: string | null;
  errno?: number | null;
  verifyCode?: number;
  verifyMessage?: string;
}

/** What one side saw. */
type Outcome = Succeeded | Failed;

const CERT_FILES = (dir: string, name: string) => [`${dir}/${name}.pem`, `${dir}/${name}.key`];

/** The scenarios run in python3: each on a fresh loopback listener, the server in a thread. */
const PY_SCENARIOS = `
import json, re, socket, ssl, sys, threading
a = json.load(sys.stdin); d = a["dir"]
def strip(s):
    return re.sub(r" \\(_ssl\\.c:\\d+\\)$", "", re.sub(r"^_ssl\\.c:\\d+: ", "", s))
def failed(e):
    o = {"ok": False, "error": type(e).__name__, "message": strip(str(e))}
    if isinstance(e, ssl.SSLError):
        o["reason"] = e.reason; o["errno"] = e.errno
    if isinstance(e, ssl.SSLCertVerificationError):
        o["verifyCode"] = e.verify_code; o["verifyMessage"] = e.verify_message
    return o
def ok(s):
    return {"ok": True, "version": s.version(), "alpn": s.selected_alpn_protocol(),
            "peercert": s.getpeercert(), "peercertDER": s.getpeercert(True) is not None}
def run(case):
    sv, cl = case["server"], case["client"]
    sctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    sctx.load_cert_chain(f"{d}/{sv['cert']}.pem", f"{d}/{sv['cert']}.key")
    if sv.get("clientCA"): sctx.load_verify_locations(f"{d}/ca.pem")
    if sv.get("verifyMode") is not None: sctx.verify_mode = sv["verifyMode"]
    if sv.get("alpn"): sctx.set_alpn_protocols(sv["alpn"])
    if sv.get("maxVersion"): sctx.maximum_version = getattr(ssl.TLSVersion, sv["maxVersion"])
    if cl.get("defaults"):
        cctx = ssl.create_default_context()
    else:
        cctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    if cl.get("checkHostname") is not None: cctx.check_hostname = cl["checkHostname"]
    if cl.get("verifyMode") is not None: cctx.verify_mode = cl["verifyMode"]
    if cl.get("cafile"): cctx.load_verify_locations(f"{d}/{cl['cafile']}.pem")
    if cl.get("cert"): cctx.load_cert_chain(f"{d}/{cl['cert']}.pem", f"{d}/{cl['cert']}.key")
    if cl.get("alpn"): cctx.set_alpn_protocols(cl["alpn"])
    lsock = socket.socket(); lsock.bind(("127.0.0.1", 0)); lsock.listen()
    result = {}
    def server():
        conn, _ = lsock.accept(); conn.settimeout(10)
        try:
            s = sctx.wrap_socket(conn, server_side=True)
        except Exception as e:
            result["server"] = failed(e); conn.close(); return
        result["server"] = ok(s)
        try:
            s.sendall(b"hi")
        except Exception:
            pass
        s.close()
    t = threading.Thread(target=server); t.start()
    raw = socket.create_connection(lsock.getsockname(), timeout=10)
    try:
        c = cctx.wrap_socket(raw, server_hostname=cl.get("serverHostname"))
    except Exception as e:
        result["client"] = failed(e); raw.close()
    else:
        out = ok(c)
        try:
            out["read"] = c.recv(2).decode()
        except Exception as e:
            out["read"] = failed(e)
        result["client"] = out; c.close()
    t.join(); lsock.close()
    return result
print(json.dumps([run(c) for c in a["cases"]]))
`;

/** Python's outcome of an error netkit threw. */
function failedOutcome(err: unknown): Failed {
  const e = err as Error & { reason?: string | null; errno?: number | null };
  const o: Failed = { ok: false, error: e.constructor.name, message: e.message };
  if (e instanceof SSLError) {
    o.reason = e.reason;
    o.errno = e.errno ?? null;
  }
  if (e instanceof SSLCertVerificationError) {
    o.verifyCode = e.verifyCode;
    o.verifyMessage = e.verifyMessage;
  }
  return o;
}

function okOutcome(s: SSLSocket): Succeeded {
  return {
    ok: true,
    version: s.version(),
    alpn: s.selectedAlpnProtocol(),
    peercert: s.getpeercert(),
    peercertDER: s.getpeercert(true) !== null,
  };
}

/** A listening netkit socket on 127.0.0.1 port 0. */
async function listener(): Promise<Socket> {
  const srv = new Socket();
  await srv.bind(["127.0.0.1", 0]);
  await srv.listen(5);
  return srv;
}

/** A TLS connection over loopback, netkit on both sides (the client checks the name "localhost"), with its listener. */
async function handshake(
  sctx: SSLContext,
  cctx: SSLContext,
): Promise<{ srv: Socket; server: SSLSocket; client: SSLSocket }> {
  const srv = await listener();
  const raw = new Socket();
  raw.settimeout(10);
  await raw.connect(srv.getsockname());
  const [conn] = await srv.accept();
  conn.settimeout(10);
  const [server, client] = await Promise.all([
    sctx.wrapSocket(conn, { serverSide: true }),
    cctx.wrapSocket(raw, { serverHostname: "localhost" }),
  ]);
  return { srv, server, client };
}

/** Runs one scenario with netkit on both sides. */
async function runNetkit(s: Scenario): Promise<{ server: Outcome; client: Outcome }> {
  const sctx = new SSLContext(PROTOCOL_TLS_SERVER);
  sctx.loadCertChain(...(CERT_FILES(pki.dir, s.server.cert) as [string, string]));
  if (s.server.clientCA) sctx.loadVerifyLocations({ cafile: pki.caFile });
  if (s.server.verifyMode !== undefined) sctx.verifyMode = s.server.verifyMode;
  if (s.server.alpn) sctx.setAlpnProtocols(s.server.alpn);
  if (s.server.maxVersion) sctx.maximumVersion = TLSVersion[s.server.maxVersion];
  const cctx = s.client.defaults ? createDefaultContext() : new SSLContext(PROTOCOL_TLS_CLIENT);
  if (s.client.checkHostname !== undefined) cctx.checkHostname = s.client.checkHostname;
  if (s.client.verifyMode !== undefined) cctx.verifyMode = s.client.verifyMode;
  if (s.client.cafile) cctx.loadVerifyLocations({ cafile: join(pki.dir, `${s.client.cafile}.pem`) });
  if (s.client.cert) cctx.loadCertChain(...(CERT_FILES(pki.dir, s.client.cert) as [string, string]));
  if (s.client.alpn) cctx.setAlpnProtocols(s.client.alpn);
  const srv = await listener();
  const served = (async (): Promise<Outcome> => {
    const [conn] = await srv.accept();
    conn.settimeout(10);
    let tlsConn: SSLSocket;
    try {
      tlsConn = await sctx.wrapSocket(conn, { serverSide: true });
    } catch (err) {
      conn.close();
      return failedOutcome(err);
    }
    const out = okOutcome(tlsConn);
    await tlsConn.sendall(Buffer.from("hi")).catch(() => {});
    tlsConn.close();
    return out;
  })();
  const raw = new Socket();
  raw.settimeout(10);
  let client: Outcome;
  try {
    await raw.connect(srv.getsockname());
    const c = await cctx.wrapSocket(raw, { serverHostname: s.client.serverHostname });
    const succeeded = okOutcome(c);
    try {
      succeeded.read = (await c.recv(2)).toString();
    } catch (err) {
      succeeded.read = failedOutcome(err);
    }
    c.close();
    client = succeeded;
  } catch (err) {
    raw.close();
    client = failedOutcome(err);
  }
  const server = await served;
  srv.close();
  return { server, client };
}

/** Runs `scenarios` in python3 (one process) and in netkit, and compares the sides `compare` names. */
async function differential(
  scenarios: Array<Scenario & { compare?: Array<"server" | "client" | "clientRead"> }>,
): Promise<void> {
  const py = await python<Array<{ server: Outcome; client: Outcome }>>(PY_SCENARIOS, {
    dir: pki.dir,
    cases: scenarios,
  });
  for (const [i, s] of scenarios.entries()) {
    const mine = await runNetkit(s);
    const ref = py[i]!;
    const compare = s.compare ?? ["server", "client", "clientRead"];
    const shown = (o: Outcome) => {
      if (!o.ok) return o;
      const { read: _read, ...rest } = o;
      return rest;
    };
    const where = (side: string) =>
      `${s.name} (${side})\npython: ${JSON.stringify(ref)}\nnetkit: ${JSON.stringify(mine)}`;
    if (!ref.client.ok && ref.client.error === "SSLCertVerificationError") {
      // Node's client closes without the alert OpenSSL sends Python's server
      // (module notes of tls.ts): netkit's server sees the end of the stream.
      assert.equal(mine.server.ok ? "ok" : mine.server.error, "SSLEOFError", where("server"));
    } else if (compare.includes("server")) {
      assert.deepEqual(shown(mine.server), shown(ref.server), where("server"));
    }
    if (compare.includes("client")) assert.deepEqual(shown(mine.client), shown(ref.client), where("client"));
    if (compare.includes("clientRead") && mine.client.ok && ref.client.ok)
      assert.deepEqual(mine.client.read, ref.client.read, where("client's first read"));
  }
}

describe("SSLContext.wrapSocket() handshakes, against python3's ssl", { skip }, () => {
  test("wrapSocket() verifies by default and refuses what does not verify, with Python's errors", async () => {
    await differential([
      {
        name: "trusted CA, name matches",
        server: { cert: "server" },
        client: { cafile: "ca", serverHostname: "localhost" },
      },
      {
        name: "trusted CA, by address",
        server: { cert: "server" },
        client: { cafile: "ca", serverHostname: "127.0.0.1" },
      },
      { name: "no CA loaded", server: { cert: "server" }, client: { serverHostname: "localhost" } },
      {
        name: "self-signed",
        server: { cert: "self" },
        client: { cafile: "ca", serverHostname: "localhost" },
      },
      {
        name: "self-signed, default CAs",
        server: { cert: "self" },
        client: { defaults: true, serverHostname: "localhost" },
      },
      {
        name: "unknown CA",
        server: { cert: "unknownca" },
        client: { cafile: "ca", serverHostname: "localhost" },
      },
      {
        name: "wrong CA loaded",
        server: { cert: "server" },
        client: { cafile: "otherca", serverHostname: "localhost" },
      },
      { name: "expired", server: { cert: "expired" }, client: { cafile: "ca", serverHostname: "localhost" } },
      {
        name: "host name mismatch",
        server: { cert: "wronghost" },
        client: { cafile: "ca", serverHostname: "localhost" },
      },
      {
        name: "IP address mismatch",
        server: { cert: "wronghost" },
        client: { cafile: "ca", serverHostname: "127.0.0.1" },
      },
    ]);
  });

  test("wrapSocket() with checkHostname off still verifies the chain; CERT_NONE verifies nothing", async () => {
    await differential([
      {
        name: "checkHostname off, wrong host",
        server: { cert: "wronghost" },
        client: { cafile: "ca", checkHostname: false, serverHostname: "localhost" },
      },
      {
        name: "checkHostname off, self-signed",
        server: { cert: "self" },
        client: { cafile: "ca", checkHostname: false, serverHostname: "localhost" },
      },
      {
        name: "CERT_NONE, self-signed",
        server: { cert: "self" },
        client: { checkHostname: false, verifyMode: CERT_NONE, serverHostname: "localhost" },
      },
      {
        name: "CERT_NONE, expired and no name",
        server: { cert: "expired" },
        client: { checkHostname: false, verifyMode: CERT_NONE, serverHostname: null },
      },
    ]);
  });

  test("wrapSocket() negotiates ALPN and the TLS version as Python does", async () => {
    await differential([
      {
        name: "ALPN overlap",
        server: { cert: "server", alpn: ["http/1.1"] },
        client: { cafile: "ca", serverHostname: "localhost", alpn: ["h2", "http/1.1"] },
      },
      {
        name: "ALPN offered, server has none",
        server: { cert: "server" },
        client: { cafile: "ca", serverHostname: "localhost", alpn: ["h2"] },
      },
      {
        name: "TLS 1.2 at most",
        server: { cert: "server", maxVersion: "TLSv1_2" },
        client: { cafile: "ca", serverHostname: "localhost" },
      },
    ]);
  });
});

/**
 * A server that asks for a client certificate (`verifyMode`), and a client
 * that sends `cert` (or none). When the server refuses the certificate only
 * its side is compared: the client's handshake ends before the server has
 * checked it (TLS 1.3), and then OpenSSL sends Python's client an alert where
 * Node, which accepts every certificate during the handshake, closes.
 */
function clientCertScenario(name: string, verifyMode: number, cert: CertName | undefined, refused: boolean) {
  return {
    name,
    server: { cert: "server" as const, clientCA: true, verifyMode },
    client: { cafile: "ca" as const, serverHostname: "localhost", ...(cert ? { cert } : {}) },
    compare: refused ? ["server" as const] : ["server" as const, "client" as const, "clientRead" as const],
  };
}

const CLIENT_CERT_SCENARIOS = [
  clientCertScenario("CERT_REQUIRED, a certificate the CA signed", CERT_REQUIRED, "client", false),
  clientCertScenario("CERT_REQUIRED, a self-signed certificate", CERT_REQUIRED, "self", true),
  clientCertScenario("CERT_REQUIRED, a certificate from another CA", CERT_REQUIRED, "unknownca", true),
  clientCertScenario("CERT_REQUIRED, a certificate for servers only", CERT_REQUIRED, "server", true),
  clientCertScenario("CERT_REQUIRED, no certificate", CERT_REQUIRED, undefined, true),
  clientCertScenario("CERT_OPTIONAL, no certificate", CERT_OPTIONAL, undefined, false),
  clientCertScenario("CERT_OPTIONAL, a certificate the CA signed", CERT_OPTIONAL, "client", false),
  clientCertScenario("CERT_OPTIONAL, a self-signed certificate", CERT_OPTIONAL, "self", true),
];

describe("a server that asks for client certificates, against python3's ssl", { skip }, () => {
  after(() => _disableNodeInternals());
  test("wrapSocket({ serverSide }) checks client certificates as Python does (Node's verifyError)", async (t) => {
    _disableNodeInternals();
    if (!nodeInternals().tlsVerifyError) {
      t.skip("this run has Node's internals off: the tls.Server test below covers it");
      return;
    }
    await differential(CLIENT_CERT_SCENARIOS);
  });
  test("wrapSocket({ serverSide }) checks client certificates as Python does (the tls.Server fallback)", async () => {
    _disableNodeInternals(["tlsVerifyError"]);
    assert.equal(nodeInternals().tlsVerifyError, false);
    await differential(CLIENT_CERT_SCENARIOS);
  });
});

/** Python's outcome of a client handshake against `port`, for each case, run in one python3. */
const PY_CLIENTS = `
import json, re, socket, ssl, sys
a = json.load(sys.stdin)
def strip(s):
    return re.sub(r" \\(_ssl\\.c:\\d+\\)$", "", re.sub(r"^_ssl\\.c:\\d+: ", "", s))
out = []
for case in a["cases"]:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
    raw = socket.create_connection(("127.0.0.1", case["port"]), timeout=case["timeout"])
    try:
        ctx.wrap_socket(raw, server_hostname="localhost").close()
        out.append({"ok": True})
    except Exception as e:
        o = {"ok": False, "error": type(e).__name__, "message": strip(str(e))}
        if isinstance(e, ssl.SSLError): o["reason"] = e.reason; o["errno"] = e.errno
        out.append(o)
    raw.close()
print(json.dumps(out))
`;

/** A netkit client handshake (CERT_NONE) against `port`, as `failedOutcome` shows its error. */
async function netkitClient(port: number, timeout: number): Promise<Outcome> {
  const ctx = new SSLContext(PROTOCOL_TLS_CLIENT);
  ctx.checkHostname = false;
  ctx.verifyMode = CERT_NONE;
  const raw = new Socket();
  raw.settimeout(timeout);
  await raw.connect(["127.0.0.1", port]);
  try {
    (await ctx.wrapSocket(raw, { serverHostname: "localhost" })).close();
    return { ok: true } as Outcome;
  } catch (err) {
    return failedOutcome(err);
  } finally {
    raw.close();
  }
}

/**
 * A TCP listener whose every connection `behave` handles (no TLS): a peer
 * that never answers, or closes mid-handshake. The connections it got are
 * counted, and each is closed by `close()`.
 */
async function rawPeer(behave: (conn: Socket) => Promise<void>) {
  const srv = await listener();
  const conns: Socket[] = [];
  const ended: Array<Promise<string>> = [];
  let open = true;
  void (async () => {
    while (open) {
      let conn: Socket;
      try {
        [conn] = await srv.accept();
      } catch {
        return;
      }
      conns.push(conn);
      conn.settimeout(30);
      ended.push(
        behave(conn).then(
          () => "done",
          (err: unknown) => String(err),
        ),
      );
    }
  })();
  return {
    port: (srv.getsockname() as [string, number])[1],
    conns,
    ended,
    close() {
      open = false;
      srv.close();
      for (const c of conns) c.close();
    },
  };
}

describe("SSLSocket handshakes that fail without a certificate error", { skip }, () => {
  test("wrapSocket() times out against a server that never answers, as Python, and closes the connection", async () => {
    // The peer waits for the end of the stream: the client must close what it opened.
    const peer = await rawPeer(async (conn) => {
      for (;;) if ((await conn.recv(65536)).length === 0) return;
    });
    try {
      const started = Date.now();
      const mine = await netkitClient(peer.port, 0.3);
      assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`);
      const [ref] = await python<Outcome[]>(PY_CLIENTS, { cases: [{ port: peer.port, timeout: 0.3 }] });
      assert.deepEqual(mine, ref, `python: ${JSON.stringify(ref)} / netkit: ${JSON.stringify(mine)}`);
      assert.equal(mine.ok ? "ok" : mine.error, "TimeoutError");
      assert.equal(await peer.ended[0], "done"); // netkit's connection was closed, not left open
    } finally {
      peer.close();
    }
  });

  test("wrapSocket() meets a server that closes mid-handshake with Python's SSLEOFError, at once", async () => {
    const peer = await rawPeer(async (conn) => {
      await conn.recv(65536); // the ClientHello
      conn.close();
    });
    try {
      const mine = await netkitClient(peer.port, 10);
      const [ref] = await python<Outcome[]>(PY_CLIENTS, { cases: [{ port: peer.port, timeout: 10 }] });
      assert.deepEqual(mine, ref, `python: ${JSON.stringify(ref)} / netkit: ${JSON.stringify(mine)}`);
      assert.equal(mine.ok ? "ok" : mine.error, "SSLEOFError");
    } finally {
      peer.close();
    }
  });

  test("wrapSocket({ serverSide }) meets a client that closes mid-handshake with Python's SSLEOFError, at once", async () => {
    // The client sends nothing, or the first bytes of a record, then ends the stream;
    // the server asks for no certificate, or requires one (on both paths of a verifying server).
    const sends = ["", "16030100"];
    const py = await python<Outcome[][]>(
      `
import json, re, socket, ssl, sys, threading
a = json.load(sys.stdin); d = a["dir"]
def strip(s):
    return re.sub(r" \\(_ssl\\.c:\\d+\\)$", "", s)
def run(hexbytes, verify):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER); ctx.load_cert_chain(f"{d}/server.pem", f"{d}/server.key")
    if verify: ctx.load_verify_locations(f"{d}/ca.pem"); ctx.verify_mode = ssl.CERT_REQUIRED
    lsock = socket.socket(); lsock.bind(("127.0.0.1", 0)); lsock.listen()
    c = socket.create_connection(lsock.getsockname()); c.sendall(bytes.fromhex(hexbytes)); c.shutdown(socket.SHUT_WR)
    conn, _ = lsock.accept(); conn.settimeout(10)
    try:
        ctx.wrap_socket(conn, server_side=True); o = {"ok": True}
    except Exception as e:
        o = {"ok": False, "error": type(e).__name__, "message": strip(str(e)), "reason": getattr(e, "reason", None), "errno": e.errno}
    c.close(); conn.close(); lsock.close()
    return o
print(json.dumps([[run(h, False) for h in a["sends"]], [run(h, True) for h in a["sends"]]]))
`,
      { dir: pki.dir, sends },
    );
    const paths = [
      { verify: false, disable: [] },
      { verify: true, disable: [] },
      { verify: true, disable: ["tlsVerifyError"] },
    ] as const;
    try {
      for (const path of paths) {
        _disableNodeInternals(path.disable);
        const ctx = new SSLContext(PROTOCOL_TLS_SERVER);
        ctx.loadCertChain(pki.server.certFile, pki.server.keyFile);
        if (path.verify) {
          ctx.loadVerifyLocations({ cafile: pki.caFile });
          ctx.verifyMode = CERT_REQUIRED;
        }
        for (const [i, hex] of sends.entries()) {
          const srv = await listener();
          const client = new Socket();
          await client.connect(srv.getsockname());
          await client.sendall(Buffer.from(hex, "hex"));
          client.shutdown(SHUT_WR);
          const [conn] = await srv.accept();
          conn.settimeout(10); // a hang would end as TimeoutError, which the comparison refuses
          let mine: Outcome;
          try {
            (await ctx.wrapSocket(conn, { serverSide: true })).close();
            mine = { ok: true } as Outcome;
          } catch (err) {
            mine = failedOutcome(err);
          }
          client.close();
          srv.close();
          const ref = py[path.verify ? 1 : 0]![i];
          const what = `sent ${hex || "nothing"}, ${JSON.stringify(path)}`;
          assert.deepEqual(
            mine,
            ref,
            `${what}\npython: ${JSON.stringify(ref)}\nnetkit: ${JSON.stringify(mine)}`,
          );
        }
      }
    } finally {
      _disableNodeInternals();
    }
  });

  test("wrapSocket({ serverSide }) keeps the connection half-open after the handshake, on both paths", async () => {
    const ctx = new SSLContext(PROTOCOL_TLS_SERVER);
    ctx.loadCertChain(pki.server.certFile, pki.server.keyFile);
    ctx.loadVerifyLocations({ cafile: pki.caFile });
    ctx.verifyMode = CERT_REQUIRED;
    const cctx = new SSLContext(PROTOCOL_TLS_CLIENT);
    cctx.loadVerifyLocations({ cafile: pki.caFile });
    cctx.loadCertChain(pki.client.certFile, pki.client.keyFile);
    try {
      for (const disable of [[], ["tlsVerifyError"]] as const) {
        _disableNodeInternals(disable);
        const { srv, server, client } = await handshake(ctx, cctx);
        client.shutdown(SHUT_WR);
        assert.equal((await server.recv(10)).length, 0, "the client's end of stream");
        await server.sendall(Buffer.from("after"));
        server.close();
        assert.equal((await client.makefile("rb").read()).toString(), "after", JSON.stringify(disable));
        client.close();
        srv.close();
      }
    } finally {
      _disableNodeInternals();
    }
  });

  test("wrapSocket({ serverSide }) times out against a client that never sends its hello", async () => {
    const ctx = new SSLContext(PROTOCOL_TLS_SERVER);
    ctx.loadCertChain(pki.server.certFile, pki.server.keyFile);
    const srv = await listener();
    const client = new Socket();
    client.settimeout(10);
    await client.connect(srv.getsockname());
    const [conn] = await srv.accept();
    conn.settimeout(0.3); // the socket's timeout bounds the handshake when none is given
    const started = Date.now();
    await assert.rejects(ctx.wrapSocket(conn, { serverSide: true }), (err: unknown) => {
      assert.ok(err instanceof TimeoutError, String(err));
      assert.equal(err.message, "The handshake operation timed out");
      return true;
    });
    assert.ok(Date.now() - started < 5000);
    // The server closed the connection it gave up on.
    assert.equal((await client.recv(10)).length, 0);
    client.close();
    srv.close();
  });
});

/**
 * A python3 TLS server with listeners for TLS 1.3 and TLS 1.2 that tells,
 * for each connection, the SNI it got, cipher(), version() and ALPN (as a
 * JSON line to the client), then reads until the client's close_notify and
 * answers it with its own (`unwrap()`), and prints to stdout whether that
 * worked.
 */
const PY_OBSERVER = `
import json, re, socket, ssl, sys, threading
d = sys.argv[1]
local = threading.local()
def listener(name, maxv):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER); ctx.load_cert_chain(f"{d}/server.pem", f"{d}/server.key")
    ctx.set_alpn_protocols(["h2", "http/1.1"])
    if maxv: ctx.maximum_version = maxv
    def sni(sslobj, name, c): local.sni = name
    ctx.sni_callback = sni
    lsock = socket.socket(); lsock.bind(("127.0.0.1", 0)); lsock.listen()
    def serve():
        while True:
            conn, _ = lsock.accept()
            threading.Thread(target=handle, args=(conn, ctx), daemon=True).start()
    threading.Thread(target=serve, daemon=True).start()
    return lsock.getsockname()[1]
def handle(conn, ctx):
    conn.settimeout(10); local.sni = None
    try:
        s = ctx.wrap_socket(conn, server_side=True)
    except Exception as e:
        print(json.dumps({"error": str(e)}), flush=True); return
    info = {"sni": local.sni, "cipher": list(s.cipher()), "version": s.version(), "alpn": s.selected_alpn_protocol()}
    s.sendall((json.dumps(info) + "\\n").encode())
    got = b""
    try:
        while True:
            chunk = s.recv(100)
            if not chunk: break
            got += chunk
        s.unwrap(); closed = "close_notify"
    except Exception as e:
        closed = type(e).__name__
    print(json.dumps({"got": got.decode(), "closed": closed}), flush=True)
    conn.close()
print(json.dumps({"tls13": listener("tls13", None), "tls12": listener("tls12", ssl.TLSVersion.TLSv1_2)}), flush=True)
threading.Event().wait()
`;

describe("SSLSocket against a python3 server", { skip }, () => {
  let child: ChildProcess | undefined;
  let ports: { tls13: number; tls12: number };
  const lines: string[] = [];
  let lineArrived: (() => void) | undefined;
  before(async () => {
    if (skip) return;
    const started = await startPython(PY_OBSERVER, [pki.dir]);
    child = started.child;
    ports = JSON.parse(started.firstLine) as typeof ports;
    let partial = "";
    child.stdout!.on("data", (b: Buffer) => {
      partial += b.toString();
      const parts = partial.split("\n");
      partial = parts.pop()!;
      lines.push(...parts);
      lineArrived?.();
    });
  });
  after(() => child?.kill("SIGKILL"));

  /** The next line the python3 server prints (event-driven; bounded by the test timeout). */
  async function nextLine(): Promise<Record<string, unknown>> {
    while (lines.length === 0) await new Promise<void>((resolve) => (lineArrived = resolve));
    return JSON.parse(lines.shift()!) as Record<string, unknown>;
  }

  async function connect(port: number, serverHostname: string, alpn?: string[]): Promise<SSLSocket> {
    const ctx = new SSLContext(PROTOCOL_TLS_CLIENT);
    ctx.loadVerifyLocations({ cafile: pki.caFile });
    if (alpn) ctx.setAlpnProtocols(alpn);
    const raw = new Socket();
    raw.settimeout(10);
    await raw.connect(["127.0.0.1", port]);
    return ctx.wrapSocket(raw, { serverHostname });
  }

  /** Reads the server's JSON line, ends the TLS stream, and returns the line and what the server printed. */
  async function talk(sock: SSLSocket, send: string) {
    const reader = sock.makefile("rb");
    const seen = JSON.parse((await reader.readline()).toString()) as Record<string, unknown>;
    await sock.sendall(Buffer.from(send));
    sock.shutdown(SHUT_WR);
    const rest = await reader.read();
    sock.close();
    return { seen, rest: rest.toString(), server: await nextLine() };
  }

  test("wrapSocket() sends serverHostname as SNI, but never an IP address (Python's rule)", async () => {
    const byName = await talk(await connect(ports.tls13, "localhost"), "a");
    assert.equal(byName.seen.sni, "localhost");
    const byAddress = await talk(await connect(ports.tls13, "127.0.0.1"), "b");
    assert.equal(byAddress.seen.sni, null);
  });

  test("cipher(), version() and selectedAlpnProtocol() tell what python3's server agreed to", async () => {
    for (const port of [ports.tls13, ports.tls12]) {
      const sock = await connect(port, "localhost", ["spdy/1", "http/1.1"]);
      const mine = { cipher: sock.cipher(), version: sock.version(), alpn: sock.selectedAlpnProtocol() };
      const { seen } = await talk(sock, "x");
      const { sni: _sni, ...agreed } = seen;
      assert.deepEqual(mine, agreed, `python: ${JSON.stringify(agreed)} / netkit: ${JSON.stringify(mine)}`);
    }
  });

  test("shutdown(SHUT_WR) ends the TLS stream with close_notify: python3's unwrap() completes", async () => {
    const { rest, server } = await talk(await connect(ports.tls13, "localhost"), "last words");
    assert.deepEqual(server, { got: "last words", closed: "close_notify" });
    assert.equal(rest, ""); // the server's own close_notify reads as the end of the stream
  });
});

describe("SSLContext rules and CA loading", { skip }, () => {
  test("SSLContext refuses CERT_NONE while checkHostname is on, and a missing serverHostname, with Python's words", async () => {
    const py = await python<string[]>(`
import json, socket, ssl
out = []
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
try:
    ctx.verify_mode = ssl.CERT_NONE
except ValueError as e:
    out.append(str(e))
s = socket.socket()
try:
    ctx.wrap_socket(s)
except ValueError as e:
    out.append(str(e))
s.close()
print(json.dumps(out))
`);
    const ctx = new SSLContext(PROTOCOL_TLS_CLIENT);
    assert.throws(() => {
      ctx.verifyMode = CERT_NONE;
    }, new ValueError(py[0]));
    const sock = new Socket();
    await assert.rejects(ctx.wrapSocket(sock), new ValueError(py[1]));
    sock.close();
  });

  test("loadVerifyLocations() trusts a CA given as cafile, capath, PEM cadata or DER cadata", async () => {
    const dir = mkdtempSync(join(tmpdir(), "netkit-capath-"));
    try {
      writeFileSync(join(dir, "ca.pem"), pki.ca);
      writeFileSync(join(dir, "notes.txt"), "not a certificate");
      const sources = [
        { cafile: pki.caFile },
        { capath: dir },
        { cadata: readFileSync(pki.caFile, "latin1") },
        { cadata: PEMCertToDERCert(pki.ca) },
      ];
      for (const source of sources) {
        const sctx = new SSLContext(PROTOCOL_TLS_SERVER);
        sctx.loadCertChain(pki.server.certFile, pki.server.keyFile);
        const cctx = new SSLContext(PROTOCOL_TLS_CLIENT);
        cctx.loadVerifyLocations(source);
        const { srv, server, client } = await handshake(sctx, cctx);
        assert.equal(client.version(), "TLSv1.3", Object.keys(source)[0]);
        client.close();
        server.close();
        srv.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
