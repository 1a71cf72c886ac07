/**
 * Interop with python3 (the reference): python3's socket clients against each
 * netkit server class, and netkit's Socket against python3's socketserver
 * servers of each kind.
 */
import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import type { Address } from "../../src/socket/address.js";
import { AF_INET, AF_UNIX, SOCK_DGRAM } from "../../src/socket/constants.js";
import { Socket } from "../../src/socket/socket.js";
import { DatagramRequestHandler, StreamRequestHandler } from "../../src/socketserver/handlers.js";
import { UnixDatagramServer, UnixStreamServer } from "../../src/socketserver/servers.js";
import { ThreadingTCPServer, ThreadingUDPServer } from "../../src/socketserver/threading.js";
import { exchange } from "../_support/net.js";
import { hasCommand, peerSkip } from "../_support/peers.js";
import { python, startPython } from "../_support/python.js";

const skip = peerSkip("python3", hasCommand("python3"));
const dir = mkdtempSync(join(tmpdir(), "netkit-interop-ss-"));
const children: ChildProcess[] = [];
after(() => {
  for (const child of children) child.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
});

class Upper extends StreamRequestHandler {
  override async handle(): Promise<void> {
    for await (const line of this.rfile) await this.wfile.write(Buffer.from(line.toString().toUpperCase()));
  }
}
class UpperDatagram extends DatagramRequestHandler {
  override async handle(): Promise<void> {
    await this.wfile.write(Buffer.from((await this.rfile.read()).toString().toUpperCase()));
  }
}

const PY_CLIENTS = `
import json, socket, sys, os
cfg = json.load(sys.stdin)
out = {}
def stream(family, addr):
    s = socket.socket(family, socket.SOCK_STREAM); s.settimeout(5)
    s.connect(addr); s.sendall(b"hello from python\\nsecond line\\n"); s.shutdown(socket.SHUT_WR)
    data = b""
    while True:
        chunk = s.recv(4096)
        if not chunk: break
        data += chunk
    s.close(); return data.decode()
def dgram(family, addr, bind=None):
    s = socket.socket(family, socket.SOCK_DGRAM); s.settimeout(5)
    if bind: s.bind(bind)
    s.sendto(b"datagram from python", addr)
    data, frm = s.recvfrom(1024); s.close(); return data.decode()
out["tcp"] = stream(socket.AF_INET, tuple(cfg["tcp"]))
out["udp"] = dgram(socket.AF_INET, tuple(cfg["udp"]))
out["unix_stream"] = stream(socket.AF_UNIX, cfg["unix_stream"])
out["unix_dgram"] = dgram(socket.AF_UNIX, cfg["unix_dgram"], cfg["unix_dgram"] + ".client")
print(json.dumps(out))
`;

describe("python3 clients against netkit servers", { skip }, () => {
  test("TCP, UDP, Unix stream and Unix datagram servers answer python3's socket clients", async () => {
    const tcp = new ThreadingTCPServer(["127.0.0.1", 0], Upper);
    const udp = new ThreadingUDPServer(["127.0.0.1", 0], UpperDatagram);
    const unixStream = new UnixStreamServer(join(dir, "us.sock"), Upper);
    const unixDgram = new UnixDatagramServer(join(dir, "ud.sock"), UpperDatagram);
    const servers = [tcp, udp, unixStream, unixDgram];
    await Promise.all(servers.map((s) => s.ready));
    const serving = servers.map((s) => s.serveForever(0.05));
    try {
      const out = await python<Record<string, string>>(PY_CLIENTS, {
        tcp: tcp.serverAddress,
        udp: udp.serverAddress,
        unix_stream: unixStream.serverAddress,
        unix_dgram: unixDgram.serverAddress,
      });
      assert.deepEqual(out, {
        tcp: "HELLO FROM PYTHON\nSECOND LINE\n",
        udp: "DATAGRAM FROM PYTHON",
        unix_stream: "HELLO FROM PYTHON\nSECOND LINE\n",
        unix_dgram: "DATAGRAM FROM PYTHON",
      });
    } finally {
      await Promise.all(servers.map((s) => s.shutdown()));
      await Promise.all(serving);
      await Promise.all(servers.map((s) => s.serverClose()));
    }
  });
});

const PY_SERVERS = `
import json, socketserver, sys, threading, os
d = sys.argv[1]
class Upper(socketserver.StreamRequestHandler):
    def handle(self):
        for line in self.rfile:
            self.wfile.write(line.upper())
class UpperD(socketserver.DatagramRequestHandler):
    def handle(self):
        self.wfile.write(self.rfile.read().upper())
servers = {
  "tcp": socketserver.ThreadingTCPServer(("127.0.0.1", 0), Upper),
  "udp": socketserver.ThreadingUDPServer(("127.0.0.1", 0), UpperD),
  "unix_stream": socketserver.ThreadingUnixStreamServer(os.path.join(d, "py-us.sock"), Upper),
  "unix_dgram": socketserver.ThreadingUnixDatagramServer(os.path.join(d, "py-ud.sock"), UpperD),
}
for s in servers.values():
    threading.Thread(target=s.serve_forever, args=(0.05,), daemon=True).start()
print(json.dumps({k: s.server_address for k, s in servers.items()}), flush=True)
sys.stdin.read()
`;

const streamTalk = (family: number, address: Address) =>
  exchange(address, "hello from netkit\nagain\n", family);

describe("netkit clients against python3's socketserver servers", { skip }, () => {
  test("TCP, UDP, Unix stream and Unix datagram", async () => {
    const { child, firstLine } = await startPython(PY_SERVERS, [dir]);
    children.push(child);
    const addresses = JSON.parse(firstLine) as Record<string, Address>;
    assert.equal(await streamTalk(AF_INET, addresses.tcp!), "HELLO FROM NETKIT\nAGAIN\n");
    assert.equal(await streamTalk(AF_UNIX, addresses.unix_stream!), "HELLO FROM NETKIT\nAGAIN\n");

    const udp = new Socket(AF_INET, SOCK_DGRAM);
    udp.settimeout(5);
    await udp.sendto(Buffer.from("udp from netkit"), addresses.udp!);
    assert.equal((await udp.recv(1024)).toString(), "UDP FROM NETKIT");
    udp.close();

    const unixDgram = new Socket(AF_UNIX, SOCK_DGRAM);
    unixDgram.settimeout(5);
    await unixDgram.bind(join(dir, "netkit-client.sock"));
    await unixDgram.sendto(Buffer.from("unix dgram from netkit"), addresses.unix_dgram!);
    assert.equal((await unixDgram.recv(1024)).toString(), "UNIX DGRAM FROM NETKIT");
    unixDgram.close();
    child.stdin?.end();
  });
});
