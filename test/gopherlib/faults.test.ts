/**
 * The client against broken servers (node:net servers scripted here): a
 * menu line with missing fields, a menu that never ends, a 1 MB line, a
 * server that never answers, a binary past its limit, a text with no "."
 * line. Each ends in a defect or a typed error, in bounded memory, and
 * nothing hangs.
 */
import assert from "node:assert/strict";
import { createServer, type Server, type Socket } from "node:net";
import { test } from "node:test";
import { sendSelector } from "../../src/gopherlib/client.js";

/** A server that runs `script` on each connection once the selector line came; resolves with its port and a closer. */
async function fakeServer(
  script: (sock: Socket, selector: string) => void,
): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer({ allowHalfOpen: true }, (sock) => {
    sockets.add(sock);
    sock.on("error", () => {});
    sock.on("close", () => sockets.delete(sock));
    let got = "";
    sock.on("data", function onData(chunk) {
      got += chunk.toString("latin1");
      const end = got.indexOf("\r\n");
      if (end >= 0) {
        sock.off("data", onData);
        script(sock, got.slice(0, end));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Writes `line` forever (until the client goes), respecting backpressure; counts what went out. */
function flood(sock: Socket, line: Buffer, sent: { bytes: number }): void {
  const pump = () => {
    while (!sock.destroyed && sent.bytes < 512 * 1024 * 1024) {
      sent.bytes += line.length;
      if (!sock.write(line)) return void sock.once("drain", pump);
    }
  };
  pump();
}

test("readMenu() keeps a menu whose lines lack fields, with defects", async () => {
  const peer = await fakeServer((sock) =>
    sock.end("iWelcome\r\n1Broken link\t/x\r\n0Good\t/good\th\t70\r\n\r\n.\r\n"),
  );
  try {
    await using reply = await sendSelector("", "127.0.0.1", peer.port, { timeout: 10 });
    const menu = await reply.readMenu();
    assert.deepEqual(
      menu.items.map((i) => [i.type, i.display]),
      [
        ["i", "Welcome"],
        ["0", "Good"],
      ],
    );
    assert.deepEqual(
      menu.defects.map((d) => [d.line, d.kind]),
      [
        [1, "missing-fields"],
        [2, "missing-fields"],
        [4, "empty-line"],
      ],
    );
    assert.equal(menu.terminated, true);
  } finally {
    await peer.close();
  }
});

test("readMenu() stops a menu that never ends at its byte limit (ERR_TEXTPROTO_TOO_LARGE)", async () => {
  const sent = { bytes: 0 };
  const peer = await fakeServer((sock) => flood(sock, Buffer.from("0item\t/x\th\t70\r\n".repeat(100)), sent));
  try {
    await using reply = await sendSelector("", "127.0.0.1", peer.port, { timeout: 10 });
    await assert.rejects(reply.readMenu({ maxBytes: 1024 * 1024 }), {
      name: "ProtocolError",
      code: "ERR_TEXTPROTO_TOO_LARGE",
    });
  } finally {
    await peer.close();
  }
  assert.ok(sent.bytes < 64 * 1024 * 1024, `the server sent ${sent.bytes} bytes`);
});

test("readMenu() refuses a 1 MB line at the line limit (ERR_TEXTPROTO_LINE_TOO_LONG)", async () => {
  const peer = await fakeServer((sock) =>
    sock.end(
      Buffer.concat([Buffer.from("0"), Buffer.alloc(1024 * 1024, "x"), Buffer.from("\t/x\th\t70\r\n.\r\n")]),
    ),
  );
  try {
    await using reply = await sendSelector("", "127.0.0.1", peer.port, { timeout: 10 });
    await assert.rejects(reply.readMenu(), (err: Error & { code?: string; line?: Buffer }) => {
      assert.equal(err.code, "ERR_TEXTPROTO_LINE_TOO_LONG");
      assert.ok(err.line !== undefined && err.line.length <= 256);
      return true;
    });
  } finally {
    await peer.close();
  }
});

test("readMenu() times out on a server that never answers", async () => {
  const peer = await fakeServer(() => {});
  try {
    await using reply = await sendSelector("", "127.0.0.1", peer.port, { timeout: 0.3 });
    await assert.rejects(reply.readMenu(), { name: "TimeoutError" });
  } finally {
    await peer.close();
  }
});

test("readBinary() stops at maxBytes with GopherTooLargeError", async () => {
  const sent = { bytes: 0 };
  const peer = await fakeServer((sock) => flood(sock, Buffer.alloc(64 * 1024, 7), sent));
  try {
    const reply = await sendSelector("/big", "127.0.0.1", peer.port, { timeout: 10 });
    await assert.rejects(reply.readBinary({ maxBytes: 1024 * 1024 }), {
      name: "GopherTooLargeError",
      code: "ERR_GOPHER_TOO_LARGE",
    });
  } finally {
    await peer.close();
  }
  assert.ok(sent.bytes < 64 * 1024 * 1024, `the server sent ${sent.bytes} bytes`);
});

test("readText() takes a text with no . line as unterminated, or refuses it when asked", async () => {
  const peer = await fakeServer((sock) => sock.end("line one\r\n..stuffed\r\nno line end"));
  try {
    {
      await using reply = await sendSelector("/t", "127.0.0.1", peer.port, { timeout: 10 });
      const text = await reply.readText();
      assert.deepEqual(text.lines.map(String), ["line one", ".stuffed", "no line end"]);
      assert.equal(text.terminated, false);
    }
    await using reply = await sendSelector("/t", "127.0.0.1", peer.port, { timeout: 10 });
    await assert.rejects(reply.readText({ requireTerminator: true }), { code: "ERR_GOPHER_UNTERMINATED" });
  } finally {
    await peer.close();
  }
});

test("sendSelector() sends the selector, CRLF, and shuts down writing, as Python 2", async () => {
  let received = "";
  const peer = await fakeServer((sock, selector) => {
    received = selector;
    sock.on("end", () => sock.end("ok"));
    sock.resume();
  });
  try {
    await using reply = await sendSelector("/a b\tq", "127.0.0.1", peer.port, { timeout: 10 });
    assert.equal(String(await reply.readBinary()), "ok");
    assert.equal(received, "/a b\tq");
  } finally {
    await peer.close();
  }
});
