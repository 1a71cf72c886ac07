/**
 * The idle-connection registry (src/socketserver/registry.ts): which
 * handlers a closing server tells to finish, and a line-protocol server
 * built on it whose `serverClose()` drops an idle session at once while a
 * busy one finishes its command.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { Socket } from "../../src/socket/socket.js";
import {
  closeIdleHandlers,
  type IdleClosable,
  StreamRequestHandler,
  ThreadingTCPServer,
  trackHandler,
} from "../../src/socketserver/index.js";

/** A handler stand-in that counts the calls. */
function counter(): IdleClosable & { calls: number } {
  return {
    calls: 0,
    closeWhenIdle() {
      this.calls++;
    },
  };
}

test("closeIdleHandlers() tells each handler tracked on that server, and no other server's", () => {
  const server = {};
  const other = {};
  const [a, b, c] = [counter(), counter(), counter()];
  trackHandler(server, a);
  trackHandler(server, b);
  trackHandler(other, c);
  closeIdleHandlers(server);
  assert.deepEqual([a.calls, b.calls, c.calls], [1, 1, 0]);
});

test("trackHandler() returns the function that forgets the handler", () => {
  const server = {};
  const [kept, forgotten] = [counter(), counter()];
  trackHandler(server, kept);
  const untrack = trackHandler(server, forgotten);
  untrack();
  closeIdleHandlers(server);
  assert.deepEqual([kept.calls, forgotten.calls], [1, 0]);
});

test("trackHandler() on a server already closing tells the handler at once", () => {
  const server = {};
  closeIdleHandlers(server);
  const late = counter();
  trackHandler(server, late);
  assert.equal(late.calls, 1);
});

/**
 * A line protocol in the shape smtpd will have: "SLOW" answers after a
 * while, anything else at once; between commands the session is idle.
 */
class Session extends StreamRequestHandler implements IdleClosable {
  static started: (() => void) | undefined;
  #untrack = () => {};
  #idle = false;
  #lastOne = false;

  override async setup(): Promise<void> {
    await super.setup();
    this.#untrack = trackHandler(this.server, this);
  }

  override async finish(): Promise<void> {
    this.#untrack();
    await super.finish();
  }

  closeWhenIdle(): void {
    this.#lastOne = true;
    if (this.#idle) this.connection.close();
  }

  override async handle(): Promise<void> {
    while (!this.#lastOne) {
      this.#idle = true;
      let line: Buffer;
      try {
        line = await this.rfile.readline();
      } catch {
        return; // closed while idle
      } finally {
        this.#idle = false;
      }
      if (line.length === 0) return;
      if (line.toString().trim() === "SLOW") {
        Session.started?.();
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      await this.wfile.write(Buffer.from(`250 ${line.toString().trim()}\r\n`));
    }
  }
}

class SessionServer extends ThreadingTCPServer {
  override async serverClose(): Promise<void> {
    closeIdleHandlers(this);
    await super.serverClose();
  }
}

/** Reads until the peer closes; resolves with all it sent. */
async function readAll(sock: Socket): Promise<string> {
  let text = "";
  for (;;) {
    const chunk = await sock.recv(4096);
    if (chunk.length === 0) return text;
    text += chunk.toString();
  }
}

test("closeIdleHandlers() in serverClose(): an idle session closes at once, a busy one answers first", async () => {
  const server = new SessionServer(["127.0.0.1", 0], Session);
  await server.ready;
  const serving = server.serveForever();
  const idle = new Socket();
  const busy = new Socket();
  try {
    idle.settimeout(10);
    busy.settimeout(10);
    await idle.connect(server.serverAddress);
    await busy.connect(server.serverAddress);
    await idle.sendall(Buffer.from("HELO\r\n"));
    assert.equal((await idle.recv(100)).toString(), "250 HELO\r\n");
    const started = new Promise<void>((resolve) => (Session.started = resolve));
    await busy.sendall(Buffer.from("SLOW\r\n"));
    await started;

    await server.shutdown();
    await serving;
    const closing = server.serverClose();
    assert.equal(await readAll(idle), "", "the idle session is closed without an answer");
    assert.equal(await readAll(busy), "250 SLOW\r\n", "the busy one answers, then closes");
    await closing;
  } finally {
    Session.started = undefined;
    idle.close();
    busy.close();
    await server.serverClose();
  }
});
