/**
 * LineRequestHandler (src/socketserver/line.ts) on its own, with a toy
 * protocol: verbs dispatched to methods, the line limit (answer and drop, or
 * answer and go on), data mode and back, pipelining, the idle and command
 * timeouts, and a clean end at end of stream.
 */
import assert from "node:assert/strict";
import { after, test } from "node:test";
import type { Address } from "../../src/socket/address.js";
import { LineRequestHandler, ThreadingTCPServer } from "../../src/socketserver/index.js";
import { LineClient } from "../_support/line-client.js";

/** What the toy handlers saw, for the tests to check. */
const seen: string[] = [];

class Toy extends LineRequestHandler {
  override commandPrefix = "toy";
  override commandSizeLimit = 64;
  override timeoutReply = "421 too slow";

  override async greet() {
    await this.reply("200 toy ready");
  }
  async toyECHO(arg: string | null) {
    seen.push(`ECHO ${arg}`);
    await this.reply(`200 ${arg ?? "(none)"}`);
  }
  async toyDATA() {
    await this.reply("354 go ahead");
    const lines = await this.readDotLines({ maxBytes: 1000 });
    await this.reply(`250 ${lines.length} lines: ${lines.map(String).join("|")}`);
  }
  async toyQUIT() {
    await this.reply("221 bye");
    this.closeConnection = true;
  }
}

/** The same protocol, forgiving over-long lines. */
class Forgiving extends Toy {
  override closeOnLineTooLong = false;
}

/** The same protocol with short deadlines. */
class Hasty extends Toy {
  override idleTimeout = 0.3;
  override commandTimeout = 0.3;
}

const servers: ThreadingTCPServer[] = [];
async function start(Handler: typeof Toy): Promise<Address> {
  const server = new ThreadingTCPServer(["127.0.0.1", 0], Handler);
  servers.push(server);
  await server.ready;
  void server.serveForever(0.05);
  return server.serverAddress;
}
after(async () => {
  for (const s of servers) {
    await s.shutdown();
    await s.serverClose();
  }
});

test("LineRequestHandler dispatches verbs case-insensitively to <prefix><VERB> methods", async () => {
  const c = await LineClient.open(await start(Toy));
  try {
    assert.equal(await c.reply(), "200 toy ready");
    assert.equal(await c.cmd("echo  hello world  "), "200 hello world");
    assert.equal(await c.cmd("Echo"), "200 (none)");
    assert.equal(await c.cmd("FROB x"), '500 Error: command "FROB" not recognized');
    assert.equal(await c.cmd(""), "500 Error: bad syntax");
    // Only letters and digits reach the method lookup: no way to another method.
    assert.equal(await c.cmd("CONSTRUCTOR"), '500 Error: command "CONSTRUCTOR" not recognized');
    assert.equal(await c.cmd("_ECHO x"), '500 Error: command "_ECHO" not recognized');
    assert.equal(await c.cmd("QUIT"), "221 bye");
    assert.equal(await c.rest(), "");
  } finally {
    c.close();
  }
});

test("LineRequestHandler answers an over-long line and drops the connection by default", async () => {
  const c = await LineClient.open(await start(Toy));
  try {
    await c.reply();
    await c.send(`ECHO ${"x".repeat(100)}\r\nECHO after\r\n`);
    assert.equal(await c.reply(), "500 Line too long");
    assert.equal(await c.rest(), "");
    assert.ok(!seen.includes("ECHO after"));
  } finally {
    c.close();
  }
});

test("LineRequestHandler skips a 1 MB line and goes on when closeOnLineTooLong is off", async () => {
  const c = await LineClient.open(await start(Forgiving));
  try {
    await c.reply();
    await c.send(`ECHO ${"y".repeat(1 << 20)}\r\n`);
    assert.equal(await c.reply(), "500 Line too long");
    assert.equal(await c.cmd("ECHO still here"), "200 still here");
    // The limit counts the line without its end: 64 bytes pass, 65 do not.
    assert.equal(await c.cmd(`ECHO ${"z".repeat(59)}`), `200 ${"z".repeat(59)}`);
    assert.equal(await c.cmd(`ECHO ${"z".repeat(60)}`), "500 Line too long");
  } finally {
    c.close();
  }
});

test("LineRequestHandler switches to data mode and back", async () => {
  const c = await LineClient.open(await start(Toy));
  try {
    await c.reply();
    assert.equal(await c.cmd("DATA"), "354 go ahead");
    await c.send("one\r\n..two\r\n\r\n.\r\n");
    assert.equal(await c.reply(), "250 3 lines: one|.two|");
    assert.equal(await c.cmd("ECHO back"), "200 back");
  } finally {
    c.close();
  }
});

test("LineRequestHandler answers pipelined commands in order", async () => {
  const c = await LineClient.open(await start(Toy));
  try {
    await c.reply();
    await c.send("ECHO 1\r\nECHO 2\r\nBAD\r\nECHO 3\r\nQUIT\r\n");
    assert.equal(
      await c.rest(),
      '200 1\r\n200 2\r\n500 Error: command "BAD" not recognized\r\n200 3\r\n221 bye\r\n',
    );
  } finally {
    c.close();
  }
});

test("LineRequestHandler closes an idle connection after idleTimeout, with timeoutReply", async () => {
  const c = await LineClient.open(await start(Hasty));
  try {
    assert.equal(await c.reply(), "200 toy ready");
    assert.equal(await c.rest(), "421 too slow\r\n");
  } finally {
    c.close();
  }
});

test("LineRequestHandler closes a connection that stalls mid-command after commandTimeout", async () => {
  const c = await LineClient.open(await start(Hasty));
  try {
    await c.reply();
    await c.send("ECHO stal");
    assert.equal(await c.rest(), "421 too slow\r\n");
    assert.ok(!seen.includes("ECHO stal"));
  } finally {
    c.close();
  }
});

test("LineRequestHandler ends cleanly at end of stream and never runs a line cut by it", async () => {
  const c = await LineClient.open(await start(Toy));
  try {
    await c.reply();
    await c.send("ECHO whole\r\nECHO cut");
    c.shutWrite();
    assert.equal(await c.rest(), "200 whole\r\n");
    assert.ok(seen.includes("ECHO whole"));
    assert.ok(!seen.includes("ECHO cut"));
  } finally {
    c.close();
  }
});
