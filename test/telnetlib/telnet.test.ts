/**
 * netkit's Telnet on loopback against scripted peers: its limits and faults
 * (a subnegotiation without SE, a stream full of IAC sequences, a queue
 * nobody reads, a peer that stalls or closes mid-command), the constants
 * against python3's module, the debug output against python3's, and the
 * Node-side conveniences (fileno, waitReadable, await using).
 */
import assert from "node:assert/strict";
import { createServer, type Socket as NetSocket, type Server } from "node:net";
import { PassThrough } from "node:stream";
import { describe, test } from "node:test";
import { EOFError, OSError, TimeoutError } from "../../src/errors/index.js";
import * as telnetlib from "../../src/telnetlib/index.js";
import {
  escapeIAC,
  Telnet,
  TelnetCommandFloodError,
  TelnetQueueFullError,
  TelnetSubnegotiationError,
} from "../../src/telnetlib/index.js";
import { python } from "../_support/python.js";
import { type Case, runNetkit, scriptedServer } from "./_scripted.js";

const IAC = 255;
const [DO, SB, NOP] = [253, 250, 241];

/** A server that runs `onConnection` for its one client; closed at the end of `body`. */
async function withPeer<T>(
  onConnection: (sock: NetSocket) => void,
  body: (port: number) => Promise<T>,
): Promise<T> {
  const sockets: NetSocket[] = [];
  const server: Server = createServer((sock) => {
    sockets.push(sock);
    sock.on("error", () => {});
    onConnection(sock);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    return await body((server.address() as { port: number }).port);
  } finally {
    for (const s of sockets) s.destroy();
    server.close();
  }
}

/** Writes `chunk` to `sock` over and over while the client reads, up to `max` bytes in all. */
function flood(sock: NetSocket, chunk: Buffer, max: number): void {
  let sent = 0;
  const more = () => {
    while (sent < max && !sock.destroyed) {
      sent += chunk.length;
      if (!sock.write(chunk)) return void sock.once("drain", more);
    }
  };
  more();
}

describe("Telnet limits and faults", () => {
  test("readUntil() throws TelnetSubnegotiationError for a subnegotiation without SE, and closes", async () => {
    await withPeer(
      (sock) => {
        sock.write(Buffer.from([IAC, SB, 24]));
        flood(sock, Buffer.alloc(4096, 0x41), 1 << 20);
      },
      async (port) => {
        const tn = await Telnet.open("127.0.0.1", port, { timeout: 30, maxSbData: 10_000 });
        const err = await tn.readUntil(Buffer.from("$ ")).catch((e: unknown) => e);
        assert.ok(err instanceof TelnetSubnegotiationError, String(err));
        assert.equal(err.code, "ERR_TELNET_SB_TOO_LONG");
        assert.ok(err instanceof OSError, "an OSError, as socket errors are");
        assert.equal(tn.sock, null, "the connection is closed");
        assert.equal(tn.eof, true);
      },
    );
  });

  test("readAll() throws TelnetCommandFloodError for a stream full of IAC sequences, and closes", async () => {
    await withPeer(
      (sock) =>
        flood(sock, Buffer.from(Array.from({ length: 1000 }, (_, i) => [IAC, DO, i % 50]).flat()), 1 << 20),
      async (port) => {
        const tn = await Telnet.open("127.0.0.1", port, { timeout: 30 });
        const err = await tn.readAll().catch((e: unknown) => e);
        assert.ok(err instanceof TelnetCommandFloodError, String(err));
        assert.equal(err.code, "ERR_TELNET_TOO_MANY_COMMANDS");
        assert.equal(err.limit, telnetlib.TELNET_LIMITS.maxCommands);
        assert.equal(tn.sock, null);
      },
    );
  });

  test("readUntil() throws TelnetQueueFullError at maxQueue, keeps the data, and reads on after readVeryLazy()", async () => {
    await withPeer(
      (sock) => sock.write(Buffer.concat([Buffer.alloc(3000, 0x61), Buffer.from("$ ")])),
      async (port) => {
        const tn = await Telnet.open("127.0.0.1", port, { timeout: 30, maxQueue: 1000 });
        const err = await tn.readUntil(Buffer.from("$ ")).catch((e: unknown) => e);
        assert.ok(err instanceof TelnetQueueFullError, String(err));
        assert.equal(err.code, "ERR_TELNET_QUEUE_FULL");
        assert.notEqual(tn.sock, null, "the connection stays open");
        let total = tn.readVeryLazy().length;
        assert.ok(total >= 1000 && total < 1000 + telnetlib.RECV_SIZE, String(total));
        for (let i = 0; i < 10; i++) {
          const got = await tn.readUntil(Buffer.from("$ ")).catch(() => tn.readVeryLazy());
          total += got.length;
          if (got.toString().endsWith("$ ")) break;
        }
        assert.equal(total, 3002, "nothing was lost");
        tn.close();
      },
    );
  });

  test("readAll() throws TimeoutError when the peer stalls past the connection's timeout, as Python's socket.timeout", async () => {
    await withPeer(
      (sock) => sock.write("hello"),
      async (port) => {
        // Connect with time to spare on a loaded machine, then stall-test with Python's socket timeout.
        const tn = await Telnet.open("127.0.0.1", port, { timeout: 30 });
        tn.sock!.settimeout(0.3);
        const err = await tn.readAll().catch((e: unknown) => e);
        assert.ok(err instanceof TimeoutError, String(err));
        assert.equal(tn.readVeryLazy().toString(), "hello", "what came before stays queued");
        tn.close();
      },
    );
  });

  test("readSome() returns empty and readVeryEager() throws EOFError when the peer closes mid-command", async () => {
    await withPeer(
      (sock) => sock.end(Buffer.from([0x61, IAC, DO])),
      async (port) => {
        const tn = await Telnet.open("127.0.0.1", port, { timeout: 30 });
        assert.equal((await tn.readSome()).toString(), "a");
        assert.equal((await tn.readSome()).length, 0);
        assert.equal(tn.eof, true);
        await assert.rejects(
          tn.readVeryEager(),
          (err: unknown) => err instanceof EOFError && err.code === "ERR_EOF",
        );
        assert.throws(() => tn.readVeryLazy(), { message: "telnet connection closed" });
        tn.close();
      },
    );
  });

  test("write() after close() throws OSError EBADF; reads find EOF", async () => {
    const tn = new Telnet();
    tn.close();
    await assert.rejects(
      tn.write(Buffer.from("x")),
      (err: unknown) => err instanceof OSError && err.code === "EBADF",
    );
    assert.equal((await tn.readAll()).length, 0);
    assert.throws(() => tn.readVeryLazy(), EOFError);
    assert.equal(tn.fileno(), -1);
  });

  test("await using closes the connection; fileno() and waitReadable() reach the socket", async () => {
    let closed!: Promise<void>;
    await withPeer(
      (sock) => {
        closed = new Promise((resolve) => sock.on("end", () => resolve()));
        sock.write("x");
      },
      async (port) => {
        {
          await using tn = await Telnet.open("127.0.0.1", port);
          assert.equal(tn.port, port);
          assert.equal(await tn.waitReadable(30), true);
          assert.equal(tn.getSocket(), tn.sock);
          assert.ok(tn.fileno() >= -1);
        }
        await closed;
      },
    );
  });

  test("a stream of escaped IACs is data: read in full with no limit hit", async () => {
    const data = Buffer.alloc(20_000, IAC);
    await withPeer(
      (sock) => sock.end(escapeIAC(data)),
      async (port) => {
        await using tn = await Telnet.open("127.0.0.1", port, { timeout: 30 });
        assert.deepEqual(await tn.readAll(), data);
      },
    );
  });

  test("escapeIAC() doubles every IAC and leaves other bytes", () => {
    assert.deepEqual(
      escapeIAC(Buffer.from([1, IAC, 2, IAC, IAC])),
      Buffer.from([1, IAC, IAC, 2, IAC, IAC, IAC, IAC]),
    );
    const plain = Buffer.from("plain");
    assert.equal(escapeIAC(plain), plain, "no copy when there is no IAC");
  });

  test("a NOP flood under maxCommands is read through (inetutils-style keepalives)", async () => {
    const nops = Buffer.from(Array.from({ length: 100 }, () => [IAC, NOP]).flat());
    await withPeer(
      (sock) => sock.end(Buffer.concat([nops, Buffer.from("x"), nops, Buffer.from("y")])),
      async (port) => {
        await using tn = await Telnet.open("127.0.0.1", port, { timeout: 30, maxCommands: 100 });
        assert.equal((await tn.readAll()).toString(), "xy");
      },
    );
  });
});

describe("Telnet.interact()", () => {
  /** Collects what interact writes. */
  const sink = () => {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on("data", (b: Buffer) => chunks.push(b));
    return { out, text: () => Buffer.concat(chunks).toString("latin1") };
  };

  test("interact() passes lines both ways and stops with Python's words when the server closes", async () => {
    let got = "";
    await withPeer(
      (sock) => {
        sock.write(Buffer.concat([Buffer.from([IAC, DO, 1]), Buffer.from("hello\xff\xff!\r\n", "latin1")]));
        sock.on("data", (b: Buffer) => {
          got += b.toString("latin1");
          if (got.includes("\xff\xfc\x01") && got.replace("\xff\xfc\x01", "").endsWith("bye\n"))
            sock.end("ok\r\n");
        });
      },
      async (port) => {
        await using tn = await Telnet.open("127.0.0.1", port, { timeout: 30 });
        const stdin = new PassThrough();
        const { out, text } = sink();
        const done = tn.interact({ stdin, stdout: out });
        stdin.write("first li");
        stdin.write("ne\nbye\n");
        await done;
        assert.equal(text(), `hello\xff!\r\nok\r\n${telnetlib.CONNECTION_CLOSED}`);
        // The refusal goes when the greeting arrives, which may be after the lines were typed.
        assert.ok(got.includes("\xff\xfc\x01"), JSON.stringify(got));
        assert.equal(got.replace("\xff\xfc\x01", ""), "first line\nbye\n", "each line as typed");
      },
    );
  });

  test("mtInteract() returns when stdin ends, after sending the last partial line", async () => {
    let got = "";
    let gotAll!: () => void;
    const all = new Promise<void>((resolve) => {
      gotAll = resolve;
    });
    await withPeer(
      (sock) =>
        sock.on("data", (b: Buffer) => {
          got += b.toString("latin1");
          if (got === "a\nb") gotAll();
        }),
      async (port) => {
        await using tn = await Telnet.open("127.0.0.1", port, { timeout: 30 });
        const stdin = new PassThrough();
        const { out } = sink();
        const done = tn.mtInteract({ stdin, stdout: out });
        stdin.end("a\nb");
        await done;
        await all;
        assert.notEqual(tn.sock, null, "the connection stays open");
      },
    );
  });

  test("interact() stops when its signal aborts", async () => {
    await withPeer(
      () => {},
      async (port) => {
        await using tn = await Telnet.open("127.0.0.1", port, { timeout: 30 });
        const controller = new AbortController();
        const done = tn.interact({ stdin: new PassThrough(), stdout: sink().out, signal: controller.signal });
        controller.abort();
        await done;
      },
    );
  });
});

describe("Telnet and python3's telnetlib module", () => {
  test("telnetlib exports every constant python3's telnetlib has, with the same bytes", async () => {
    const py = await python<Record<string, number[] | number>>(
      `
import json, warnings
warnings.simplefilter("ignore")
import telnetlib
out = {}
for name, value in vars(telnetlib).items():
    if name.startswith("_") or not (name.isupper() or name == "theNULL"):
        continue
    if isinstance(value, bytes):
        out[name] = list(value)
    elif isinstance(value, int):
        out[name] = value
print(json.dumps(out))
`,
    );
    const ours = telnetlib as unknown as Record<string, unknown>;
    for (const [name, value] of Object.entries(py)) {
      const mine = ours[name];
      if (typeof value === "number") assert.equal(mine, value, name);
      else assert.deepEqual(mine instanceof Buffer ? [...mine] : mine, value, name);
    }
    assert.ok(Object.keys(py).length >= 70, "python3 listed its constants");
  });

  test("setDebuglevel(1) prints python3's debug lines", async () => {
    const c: Case = {
      name: "debug",
      steps: [{ send: Buffer.from([IAC, DO, 1, IAC, NOP, 0x68, 0x69]).toString("hex") }],
      ops: [
        ["read_until", Buffer.from("hi").toString("hex"), null],
        ["write", "ff41"],
      ],
    };
    const server = await scriptedServer([c]);
    try {
      const lines: string[] = [];
      const write = process.stdout.write;
      process.stdout.write = ((chunk: string) => {
        lines.push(String(chunk));
        return true;
      }) as typeof process.stdout.write;
      try {
        const tn = await Telnet.open("127.0.0.1", server.port, { timeout: 30 });
        tn.setDebuglevel(1);
        await tn.write(Buffer.from("#0\n"));
        await tn.readUntil(Buffer.from("hi"));
        await tn.write(Buffer.from([IAC, 0x41]));
        tn.close();
      } finally {
        process.stdout.write = write;
      }
      const py = await python<string>(
        String.raw`
import contextlib, io, json, sys, warnings
warnings.simplefilter("ignore")
import telnetlib
port = json.load(sys.stdin)
out = io.StringIO()
with contextlib.redirect_stdout(out):
    tn = telnetlib.Telnet("127.0.0.1", port, 30)
    tn.set_debuglevel(1)
    tn.write(b"#0\n")
    tn.read_until(b"hi")
    tn.write(b"\xffA")
    tn.close()
print(json.dumps(out.getvalue()))
`,
        server.port,
      );
      // Only the Telnet lines: the test runner may write its own report meanwhile, even mid-line.
      const ours = lines.join("").match(/Telnet\([^\n]*/g) ?? [];
      assert.deepEqual(
        ours,
        py.split("\n").filter((l) => l.length > 0),
      );
    } finally {
      server.server.close();
    }
  });

  test("runNetkit plays a case (the scripted-peer harness itself works)", async () => {
    const c: Case = { name: "x", steps: [{ send: "6869", close: true }], ops: [["read_all"]] };
    const server = await scriptedServer([c]);
    try {
      assert.deepEqual(await runNetkit(server.port, [c]), [{ ops: [{ ok: "6869" }], log: [] }]);
    } finally {
      server.server.close();
    }
  });
});
