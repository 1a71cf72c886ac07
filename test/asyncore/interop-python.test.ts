/**
 * netkit/asyncore and netkit/asynchat against python3's own modules, both
 * ways, exact bytes compared: a python3 asynchat client against a netkit
 * async_chat server, and netkit clients (async_chat, dispatcher_with_send)
 * against python3 asynchat and asyncore servers.
 */
import assert from "node:assert/strict";
import { after, test } from "node:test";
import { async_chat } from "../../src/asynchat/index.js";
import { dispatcher, dispatcher_with_send, loop, type SocketMap } from "../../src/asyncore/index.js";
import type { Socket } from "../../src/socket/index.js";
import { hasCommand, peerSkip } from "../_support/peers.js";
import { python, startPython } from "../_support/python.js";

const skip = peerSkip("python3", hasCommand("python3"));
const children: import("node:child_process").ChildProcess[] = [];
after(() => {
  for (const child of children) child.kill();
});

/**
 * The protocol both sides speak: CRLF lines; `echo: LINE` back for each;
 * `bin` switches to a 4-byte record answered reversed; `quit` answers `bye`
 * and closes once it is sent.
 */
class LineSession extends async_chat {
  #line: Buffer[] = [];
  #binary = false;
  constructor(
    sock: Socket,
    map: SocketMap,
    readonly onClose: () => void,
  ) {
    super(sock, map);
    this.setTerminator(Buffer.from("\r\n"));
  }
  override collectIncomingData(data: Buffer): void {
    this.#line.push(data);
  }
  override foundTerminator(): void {
    const data = Buffer.concat(this.#line.splice(0));
    if (this.#binary) {
      this.push(Buffer.concat([Buffer.from("bin: "), Buffer.from(data).reverse(), Buffer.from("\r\n")]));
      this.#binary = false;
      this.setTerminator(Buffer.from("\r\n"));
    } else if (data.toString() === "bin") {
      this.#binary = true;
      this.setTerminator(4);
    } else if (data.toString() === "quit") {
      this.push(Buffer.from("bye\r\n"));
      this.closeWhenDone();
    } else {
      this.push(Buffer.concat([Buffer.from("echo: "), data, Buffer.from("\r\n")]));
    }
  }
  override handleClose(): void {
    this.close();
    this.onClose();
  }
}

class LineServer extends dispatcher {
  constructor(readonly map: SocketMap) {
    super(null, map);
    this.createSocket();
    this.setReuseAddr();
    void this.bind(["127.0.0.1", 0]);
    void this.listen(5);
  }
  override handleAccepted(sock: Socket): void {
    new LineSession(sock, this.map, () => this.close());
  }
}

const CLIENT_SENDS = ["hello", "wörld", "a\r", "", "bin", "\r\n\0\xff", "split", "quit"];
// After the 4-byte record the line's own CRLF is an empty line of its own.
const EXPECTED =
  "echo: hello\r\necho: wörld\r\necho: a\r\r\necho: \r\nbin: \xff\0\n\r\r\necho: \r\necho: split\r\nbye\r\n";

test("a python3 asynchat client gets the exact bytes from a netkit async_chat server", { skip }, async () => {
  const map: SocketMap = new Map();
  const server = new LineServer(map);
  await server.ready;
  const port = (server.socket!.getsockname() as [string, number])[1];
  const client = python<{ received: string }>(
    `
import json, sys, warnings, socket
warnings.simplefilter("ignore")
import asyncore, asynchat
port, sends = json.load(sys.stdin)
class Client(asynchat.async_chat):
    def __init__(self):
        asynchat.async_chat.__init__(self)
        self.create_socket(socket.AF_INET, socket.SOCK_STREAM)
        self.connect(("127.0.0.1", port))
        self.set_terminator(None)
        self.received = []
        # Lines pushed in awkward pieces: the terminator split over pushes.
        for line in sends:
            data = line.encode("latin-1") if line != "wörld" else line.encode("utf-8")
            data += b"\\r\\n"
            self.push(data[:1])
            if len(data) > 1:
                self.push(data[1:-1])
                self.push(data[-1:])
    def handle_connect(self):
        pass
    def collect_incoming_data(self, data):
        self.received.append(data)
    def found_terminator(self):
        pass
    def handle_close(self):
        self.close()
c = Client()
asyncore.loop(timeout=5, count=2000)
print(json.dumps({"received": b"".join(c.received).decode("latin-1")}))
`,
    [port, CLIENT_SENDS],
  );
  const [result] = await Promise.all([client, loop({ timeout: 5, map, count: 5000 })]);
  assert.equal(map.size, 0);
  assert.equal(Buffer.from(result.received, "latin1").toString("latin1"), utf8(EXPECTED));
});

/** EXPECTED with "wörld" as UTF-8 bytes read as latin-1 (as the client sends it). */
function utf8(text: string): string {
  return text.replace("wörld", Buffer.from("wörld").toString("latin1"));
}

const PYTHON_SERVER = `
import sys, warnings, socket
warnings.simplefilter("ignore")
import asyncore, asynchat

class Session(asynchat.async_chat):
    def __init__(self, sock, server):
        asynchat.async_chat.__init__(self, sock)
        self.server = server
        self.set_terminator(b"\\r\\n")
        self.line = []
        self.binary = False
    def collect_incoming_data(self, data):
        self.line.append(data)
    def found_terminator(self):
        data = b"".join(self.line)
        self.line = []
        if self.binary:
            self.push(b"bin: " + data[::-1] + b"\\r\\n")
            self.binary = False
            self.set_terminator(b"\\r\\n")
        elif data == b"bin":
            self.binary = True
            self.set_terminator(4)
        elif data == b"quit":
            self.push(b"bye\\r\\n")
            self.close_when_done()
        else:
            self.push(b"echo: " + data + b"\\r\\n")

class Echo(asyncore.dispatcher_with_send):
    def handle_read(self):
        data = self.recv(8192)
        if data:
            self.send(data)

class Server(asyncore.dispatcher):
    def __init__(self, kind):
        asyncore.dispatcher.__init__(self)
        self.kind = kind
        self.create_socket(socket.AF_INET, socket.SOCK_STREAM)
        self.set_reuse_addr()
        self.bind(("127.0.0.1", 0))
        self.listen(5)
    def handle_accepted(self, sock, addr):
        Session(sock, self) if self.kind == "chat" else Echo(sock)

server = Server(sys.argv[1])
print(server.socket.getsockname()[1], flush=True)
asyncore.loop(timeout=1)
`;

test("a netkit async_chat client gets the exact bytes from a python3 asynchat server", { skip }, async () => {
  const { child, firstLine } = await startPython(PYTHON_SERVER, ["chat"]);
  children.push(child);
  const map: SocketMap = new Map();
  const received: Buffer[] = [];
  class Client extends async_chat {
    constructor() {
      super(null, map);
      this.createSocket();
      void this.connect(["127.0.0.1", Number(firstLine)]);
      this.setTerminator(null);
      for (const line of CLIENT_SENDS) {
        const data = Buffer.from(`${line}\r\n`, line === "wörld" ? "utf8" : "latin1");
        // The terminator split over pushes, as the python client does it.
        this.push(data.subarray(0, 1));
        if (data.length > 1) {
          this.push(data.subarray(1, -1));
          this.push(data.subarray(-1));
        }
      }
    }
    override handleConnect(): void {}
    override collectIncomingData(data: Buffer): void {
      received.push(data);
    }
    override foundTerminator(): void {}
  }
  new Client();
  await loop({ timeout: 5, map, count: 5000 });
  assert.equal(Buffer.concat(received).toString("latin1"), utf8(EXPECTED));
});

test("a netkit dispatcher_with_send client gets its bytes back from a python3 asyncore echo server", {
  skip,
}, async () => {
  const { child, firstLine } = await startPython(PYTHON_SERVER, ["echo"]);
  children.push(child);
  const map: SocketMap = new Map();
  const payload = Buffer.alloc(300_000);
  for (let i = 0; i < payload.length; i++) payload[i] = (i * 13 + 5) & 0xff;
  const received: Buffer[] = [];
  let got = 0;
  class Client extends dispatcher_with_send {
    constructor() {
      super(null, map);
      this.createSocket();
      void this.connect(["127.0.0.1", Number(firstLine)]);
      this.send(payload);
    }
    override handleConnect(): void {}
    override handleRead(): void {
      const data = this.recv(8192);
      received.push(data);
      got += data.length;
      if (got >= payload.length) this.close();
    }
  }
  new Client();
  await loop({ timeout: 5, map, count: 10_000 });
  assert.ok(Buffer.concat(received).equals(payload));
});
