/**
 * SMTPChannel and SMTPServer (src/smtpd) on loopback: a whole transaction,
 * what netkit adds to Python (EHLO's PIPELINING, the recipient cap, the
 * connection cap), the SMTP smuggling cases, and the faults the server must
 * survive while it keeps serving others. Python's own replies are checked
 * word for word by test/conformance/smtpd-differential.test.ts.
 */
import assert from "node:assert/strict";
import { after, test } from "node:test";
import { DebuggingServer, SMTPServer } from "../../src/smtpd/index.js";
import { LineClient } from "../_support/line-client.js";
import { startRecorder, stopAll } from "./_server.js";

after(stopAll);

/** Opens a session and says EHLO; returns the client and the EHLO reply. */
async function session(address: import("../../src/socket/address.js").Address) {
  const c = await LineClient.open(address);
  const greeting = await c.reply();
  assert.match(greeting ?? "", /^220 \S+ netkit SMTP proxy version /);
  const ehlo = await c.cmd("EHLO client.example");
  return { c, ehlo: ehlo ?? "" };
}

/** Sends MAIL, RCPT and DATA in one write and reads their three replies; returns DATA's. */
async function openData(c: LineClient): Promise<string | null> {
  await c.send("MAIL FROM:<a@x>\r\nRCPT TO:<b@x>\r\nDATA\r\n");
  await c.reply();
  await c.reply();
  return c.reply();
}

test("SMTPServer receives a message: unstuffed, lines joined by LF, with MAIL's and RCPT's options", async () => {
  const server = await startRecorder();
  const { c, ehlo } = await session(server.serverAddress);
  try {
    assert.match(ehlo, /^250-\S+\n250-SIZE 33554432\n250-8BITMIME\n250-PIPELINING\n250 HELP$/);
    assert.equal(await c.cmd("MAIL FROM:<a@example.org> BODY=8BITMIME SIZE=100"), "250 OK");
    assert.equal(await c.cmd("RCPT TO:<b@example.org>"), "250 OK");
    assert.equal(await c.cmd("RCPT TO:<c@example.org>"), "250 OK");
    assert.equal(await c.cmd("DATA"), "354 End data with <CR><LF>.<CR><LF>");
    await c.send("Subject: hi\r\n\r\n..dotted\r\nlast\r\n.\r\n");
    assert.equal(await c.reply(), "250 OK");
    const [m] = server.received;
    assert.equal(m?.mailfrom, "a@example.org");
    assert.deepEqual(m?.rcpttos, ["b@example.org", "c@example.org"]);
    assert.deepEqual(m?.data, Buffer.from("Subject: hi\n\n.dotted\nlast"));
    assert.deepEqual(m?.options, { mailOptions: ["BODY=8BITMIME", "SIZE=100"], rcptOptions: [] });
    assert.deepEqual(m?.peer, c.sock.getsockname());
    // The transaction is over: a new one starts clean.
    assert.equal(await c.cmd("RCPT TO:<b@example.org>"), "503 Error: need MAIL command");
    assert.equal(await c.cmd("QUIT"), "221 Bye");
    assert.equal(await c.rest(), "");
  } finally {
    c.close();
  }
});

test("SMTPServer sends processMessage's reply, and text with decodeData", async () => {
  const server = await startRecorder({ decodeData: true });
  server.answer = (m) => `550 No thanks, ${m.rcpttos[0]}`;
  const { c, ehlo } = await session(server.serverAddress);
  try {
    assert.ok(!ehlo.includes("8BITMIME"));
    await c.send("MAIL FROM:<a@x>\r\nRCPT TO:<ü@x>\r\nDATA\r\n");
    assert.equal(await c.reply(), "250 OK");
    assert.equal(await c.reply(), "250 OK");
    assert.equal(await c.reply(), "354 End data with <CR><LF>.<CR><LF>");
    await c.send("h\u00e9llo\r\n.\r\n");
    assert.equal(await c.reply(), "550 No thanks, ?@x"); // replies are ASCII without SMTPUTF8, as Python's
    assert.equal(server.received[0]?.data, "h\u00e9llo");
    assert.deepEqual(server.received[0]?.options, {});
  } finally {
    c.close();
  }
});

for (const [name, body] of [
  ["\\r.\\r\\n", "a\r.\r\nMAIL FROM:<evil@x>\r\n"],
  ["\\n.\\n", "a\n.\nMAIL FROM:<evil@x>\r\n"],
  ["\\n.\\r\\n", "a\n.\r\nMAIL FROM:<evil@x>\r\n"],
  ["\\r.\\n", "a\r.\nMAIL FROM:<evil@x>\r\n"],
] as const) {
  test(`SMTPChannel never ends DATA at ${name} and refuses the message with a 5xx`, async () => {
    const server = await startRecorder();
    const { c } = await session(server.serverAddress);
    try {
      assert.equal(await openData(c), "354 End data with <CR><LF>.<CR><LF>");
      await c.send(`${body}more\r\n.\r\n`);
      // One reply, after the real CRLF.CRLF: the smuggled MAIL was data, not a command.
      assert.equal(await c.reply(), "550 5.6.11 Error: bare CR or LF in message data");
      assert.equal(server.received.length, 0);
      assert.equal(await c.cmd("MAIL FROM:<good@x>"), "250 OK");
      assert.equal(await c.cmd("NOOP"), "250 OK");
    } finally {
      c.close();
    }
  });
}

test("SMTPChannel caps recipients: 10,000 RCPTs get 250 up to maxRecipients, then 452, and the server serves on", async () => {
  const server = await startRecorder({ maxRecipients: 1000 });
  const { c } = await session(server.serverAddress);
  try {
    assert.equal(await c.cmd("MAIL FROM:<a@x>"), "250 OK");
    let batch = "";
    for (let i = 0; i < 10_000; i++) batch += `RCPT TO:<r${i}@x>\r\n`;
    await c.send(batch);
    const counts = new Map<string, number>();
    for (let i = 0; i < 10_000; i++) {
      const r = (await c.reply()) ?? "closed";
      counts.set(r, (counts.get(r) ?? 0) + 1);
    }
    assert.deepEqual(
      counts,
      new Map([
        ["250 OK", 1000],
        ["452 4.5.3 Error: too many recipients", 9000],
      ]),
    );
    const other = await session(server.serverAddress);
    other.c.close();
    assert.equal(await c.cmd("DATA"), "354 End data with <CR><LF>.<CR><LF>");
    await c.send("x\r\n.\r\n");
    assert.equal(await c.reply(), "250 OK");
    assert.equal(server.received[0]?.rcpttos.length, 1000);
  } finally {
    c.close();
  }
});

test("SMTPChannel answers 552 to 100 MB of DATA over dataSizeLimit, streaming it in bounded memory, and serves on", async () => {
  const server = await startRecorder({ dataSizeLimit: 1 << 20 });
  const { c } = await session(server.serverAddress);
  try {
    assert.equal(await openData(c), "354 End data with <CR><LF>.<CR><LF>");
    const line = Buffer.from(`${"x".repeat(998)}\r\n`);
    const chunk = Buffer.concat(Array.from({ length: 1024 }, () => line)); // 1 MB
    const before = process.memoryUsage();
    let peak = 0;
    for (let i = 0; i < 100; i++) {
      await c.send(chunk);
      const now = process.memoryUsage();
      peak = Math.max(peak, now.heapUsed + now.arrayBuffers - before.heapUsed - before.arrayBuffers);
    }
    await c.send(".\r\n");
    assert.equal(await c.reply(), "552 Error: Too much mail data");
    assert.ok(peak < 64 * 2 ** 20, `memory grew by ${peak} bytes while 100 MB streamed in`);
    assert.equal(server.received.length, 0);
    // Back in command mode, the transaction reset (Python stays in DATA mode here).
    assert.equal(await c.cmd("RCPT TO:<b@x>"), "503 Error: need MAIL command");
    assert.equal(await c.cmd("MAIL FROM:<a@x>"), "250 OK");
  } finally {
    c.close();
  }
});

test("SMTPChannel answers a 1 MB command line with Python's 500 and reads the next command", async () => {
  const server = await startRecorder();
  const { c } = await session(server.serverAddress);
  try {
    await c.send(`NOOP ${"x".repeat(1 << 20)}\r\n`);
    assert.equal(await c.reply(), "500 Error: line too long");
    assert.equal(await c.cmd("NOOP"), "250 OK");
  } finally {
    c.close();
  }
});

test("SMTPChannel drops a client that stalls mid-command with 421, while serving others", async () => {
  const server = await startRecorder();
  server.commandTimeout = 0.5;
  const { c } = await session(server.serverAddress);
  try {
    await c.send("MAIL FROM:<a@");
    const other = await session(server.serverAddress);
    assert.equal(await other.c.cmd("NOOP"), "250 OK");
    other.c.close();
    assert.equal(await c.rest(), "421 Error: timeout exceeded\r\n");
  } finally {
    c.close();
  }
});

test("SMTPChannel never calls processMessage for a client that disconnects mid-DATA, and logs nothing", async () => {
  const server = await startRecorder();
  const errors: unknown[] = [];
  server.handleError = async (_r, _a, err) => {
    errors.push(err);
  };
  const { c } = await session(server.serverAddress);
  try {
    await openData(c);
    await c.send("Subject: half\r\n\r\nbody\r\n");
    c.shutWrite();
    assert.equal(await c.rest(), "");
  } finally {
    c.close();
  }
  const next = await session(server.serverAddress);
  assert.equal(await next.c.cmd("NOOP"), "250 OK");
  next.c.close();
  assert.equal(server.received.length, 0);
  assert.deepEqual(errors, []);
});

test("SMTPChannel refuses a DATA line over maxDataLine with 500 once the block ends, and serves on", async () => {
  const server = await startRecorder();
  const { c } = await session(server.serverAddress);
  try {
    await openData(c);
    await c.send(`short\r\n${"x".repeat(100_000)}\r\nafter\r\n.\r\n`);
    assert.equal(await c.reply(), "500 Error: line too long");
    assert.equal(server.received.length, 0);
    assert.equal(await c.cmd("MAIL FROM:<a@x>"), "250 OK");
  } finally {
    c.close();
  }
});

test("SMTPServer refuses connections past maxConnections with 421", async () => {
  const server = await startRecorder({ maxConnections: 1 });
  const { c } = await session(server.serverAddress);
  try {
    const second = await LineClient.open(server.serverAddress);
    assert.match(await second.rest(), /^421 \S+ Error: too many connections, try again later\r\n$/);
    second.close();
    assert.equal(await c.cmd("NOOP"), "250 OK");
  } finally {
    c.close();
  }
});

test("SMTPChannel offers no AUTH in the clear, and AUTH works there when authRequireTLS is off", async () => {
  const hook = (_m: string, user: string, pass: string) => user === "u" && pass === "p";
  const strict = await startRecorder({ authenticate: hook });
  const a = await session(strict.serverAddress);
  try {
    assert.ok(!a.ehlo.includes("AUTH"));
    assert.equal(
      await a.c.cmd("AUTH PLAIN AHUAcA=="),
      "538 5.7.11 Encryption required for requested authentication mechanism",
    );
  } finally {
    a.c.close();
  }
  const lax = await startRecorder({ authenticate: hook, authRequireTLS: false, requireAuth: true });
  const b = await session(lax.serverAddress);
  try {
    assert.match(b.ehlo, /\n250-AUTH PLAIN LOGIN\n/);
    assert.equal(await b.c.cmd("MAIL FROM:<a@x>"), "530 5.7.0 Authentication required");
    assert.equal(await b.c.cmd("AUTH PLAIN AHUAeA=="), "535 5.7.8 Error: authentication failed");
    assert.equal(await b.c.cmd("AUTH PLAIN !!"), "501 5.5.2 Error: cannot decode response");
    assert.equal(await b.c.cmd("AUTH CRAM-MD5"), "504 5.5.4 Unrecognized authentication type");
    assert.equal(await b.c.cmd("AUTH LOGIN"), "334 VXNlcm5hbWU6");
    assert.equal(await b.c.cmd("*"), "501 5.7.0 Authentication aborted");
    assert.equal(await b.c.cmd("AUTH LOGIN dQ=="), "334 UGFzc3dvcmQ6");
    assert.equal(await b.c.cmd("cA=="), "235 2.7.0 Authentication successful");
    assert.equal(await b.c.cmd("AUTH PLAIN AHUAcA=="), "503 Error: already authenticated");
    assert.equal(await b.c.cmd("MAIL FROM:<a@x>"), "250 OK");
  } finally {
    b.c.close();
  }
});

test("DebuggingServer prints each message as Python's does", async () => {
  const server = new DebuggingServer(["127.0.0.1", 0], null);
  let printed = "";
  server.out = { write: (t: string) => (printed += t) };
  await server.ready;
  void server.serveForever(0.05);
  try {
    const { c } = await session(server.serverAddress);
    await c.send("MAIL FROM:<a@x> BODY=8BITMIME\r\nRCPT TO:<b@x>\r\nDATA\r\n");
    await c.reply();
    await c.reply();
    await c.reply();
    await c.send("Subject: hi\r\n\r\nbody 'q'\r\n.\r\n");
    assert.equal(await c.reply(), "250 OK");
    c.close();
    assert.equal(
      printed,
      "---------- MESSAGE FOLLOWS ----------\nmail options: ['BODY=8BITMIME']\n" +
        "b'Subject: hi'\nb'X-Peer: 127.0.0.1'\nb''\nb\"body 'q'\"\n------------ END MESSAGE ------------\n",
    );
  } finally {
    await server.shutdown();
    await server.serverClose();
  }
});

test("SMTPServer.processMessage not overridden: 451, logged with ERR_NOT_IMPLEMENTED, and the session goes on", async () => {
  const server = new SMTPServer(["127.0.0.1", 0], null);
  const errors: unknown[] = [];
  server.handleError = async (_r, _a, err) => {
    errors.push(err);
  };
  await server.ready;
  void server.serveForever(0.05);
  try {
    const { c } = await session(server.serverAddress);
    try {
      await openData(c);
      assert.equal(await c.cmd("x\r\n."), "451 Error: local error in processing");
      assert.equal(await c.cmd("NOOP"), "250 OK");
    } finally {
      c.close();
    }
    assert.equal((errors[0] as { code?: string }).code, "ERR_NOT_IMPLEMENTED");
  } finally {
    await server.shutdown();
    await server.serverClose();
  }
});
