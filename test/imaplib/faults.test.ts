/**
 * imaplib against a scripted server that misbehaves: it closes inside a
 * literal, announces a 2^40-byte literal, floods untagged responses, stalls,
 * answers with another command's tag, sends an endless line or BYE. Each
 * must end in a typed error with a stable code, quickly, without the memory
 * the server asks for. Plus the bytes netkit sends (transcripts) and the
 * caller's mistakes caught before sending.
 */
import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { IMAP4, type IMAP4Abort } from "../../src/imaplib/index.js";
import { CommandError } from "../../src/textproto/index.js";
import { type Conn, type FakeIMAP, fakeIMAP, type Handler } from "./_server.js";

const servers: FakeIMAP[] = [];
after(async () => {
  for (const s of servers) await s.close();
});

async function connect(
  handler: Handler,
  options: { timeout?: number; maxResponseBytes?: number; maxLiteral?: number; maxLine?: number } = {},
) {
  const srv = await fakeIMAP(handler);
  servers.push(srv);
  const M = await IMAP4.open("127.0.0.1", srv.port, { timeout: 30, ...options });
  return { M, srv };
}

/** Asserts `promise` rejects with IMAP4.abort carrying `code`, and returns the error. */
async function rejectsAbort(promise: Promise<unknown>, code: string): Promise<IMAP4Abort> {
  let caught: unknown;
  await assert.rejects(promise, (e: unknown) => {
    caught = e;
    return true;
  });
  assert.ok(caught instanceof IMAP4.abort, `expected IMAP4.abort, got ${String(caught)}`);
  assert.equal((caught as IMAP4Abort).code, code, String(caught));
  return caught as IMAP4Abort;
}

/** Writes `* 1 EXISTS` lines until the client goes away (bounded: 10^7 lines). */
async function flood(conn: Conn, line: string): Promise<void> {
  const chunk = line.repeat(4096);
  for (let i = 0; i < 2500 && !conn.socket.destroyed; i++) {
    if (!conn.write(chunk)) await new Promise((r) => conn.socket.once("drain", r).once("close", r));
  }
}

describe("imaplib faults", () => {
  test("fetch() throws IMAP4.abort ERR_IMAP_EOF when the server closes inside a literal", async () => {
    const { M } = await connect((cmd, conn) => {
      if (cmd.name !== "FETCH") return false;
      conn.write(`* 1 FETCH (RFC822 {100}\r\n${"x".repeat(10)}`);
      conn.socket.end();
      return true;
    });
    await M.login("u", "p");
    await M.select();
    const err = await rejectsAbort(M.fetch("1", "(RFC822)"), "ERR_IMAP_EOF");
    assert.match(err.message, /^command: FETCH => socket error: EOF/);
  });

  test("fetch() refuses a literal of 2^40 bytes before reading it (ERR_IMAP_LITERAL_TOO_LARGE)", async () => {
    const { M } = await connect((cmd, conn) => {
      if (cmd.name !== "FETCH") return false;
      conn.write(`* 1 FETCH (RFC822 {${2 ** 40}}\r\nabc`);
      return true;
    });
    await M.login("u", "p");
    await M.select();
    const before = process.memoryUsage().rss;
    await rejectsAbort(M.fetch("1", "(RFC822)"), "ERR_IMAP_LITERAL_TOO_LARGE");
    assert.ok(process.memoryUsage().rss - before < 100 * 1024 * 1024);
  });

  test("a literal just within maxLiteral is read; one byte more is refused", async () => {
    const handler: Handler = (cmd, conn) => {
      if (cmd.name !== "FETCH") return false;
      const n = Number(cmd.args.split(" ")[0]);
      conn.write(`* 1 FETCH (RFC822 {${n}}\r\n${"y".repeat(n)})\r\n${cmd.tag} OK done\r\n`);
      return true;
    };
    const { M } = await connect(handler, { maxLiteral: 1000 });
    await M.login("u", "p");
    await M.select();
    const [typ, data] = await M.fetch("1000", "(RFC822)");
    assert.equal(typ, "OK");
    assert.equal((data[0] as [Buffer, Buffer])[1].length, 1000);
    await rejectsAbort(M.fetch("1001", "(RFC822)"), "ERR_IMAP_LITERAL_TOO_LARGE");
  });

  test("an untagged flood ends in IMAP4.abort ERR_IMAP_RESPONSE_TOO_LARGE, not unbounded memory", async () => {
    const { M } = await connect(
      (cmd, conn) => {
        if (cmd.name !== "NOOP") return false;
        void flood(conn, "* 1 EXISTS\r\n");
        return true;
      },
      { maxResponseBytes: 1024 * 1024 },
    );
    await rejectsAbort(M.noop(), "ERR_IMAP_RESPONSE_TOO_LARGE");
    // Each response counts its bookkeeping: 1 MiB is far fewer than 1 MiB of 12-byte lines.
    const kept = M.untaggedResponses.get("EXISTS")?.length ?? 0;
    assert.ok(kept > 1000 && kept < (1024 * 1024) / 64, `kept ${kept}`);
  });

  test("a flood of literals inside one response is bounded the same way", async () => {
    const { M } = await connect(
      (cmd, conn) => {
        if (cmd.name !== "FETCH") return false;
        conn.write("* 1 FETCH (BODY[1] {4}\r\n");
        void flood(conn, "abcd BODY[2] {4}\r\n");
        return true;
      },
      { maxResponseBytes: 256 * 1024 },
    );
    await M.login("u", "p");
    await M.select();
    await rejectsAbort(M.fetch("1", "(BODY[1])"), "ERR_IMAP_RESPONSE_TOO_LARGE");
  });

  test("a stalled server ends in IMAP4.abort ERR_IMAP_TIMEOUT after timeout seconds", async () => {
    const { M } = await connect((cmd) => cmd.name === "NOOP", { timeout: 0.3 });
    const t0 = Date.now();
    const err = await rejectsAbort(M.noop(), "ERR_IMAP_TIMEOUT");
    assert.ok(Date.now() - t0 < 20_000);
    assert.match(err.message, /timed out/);
  });

  test("a server stalling inside a literal ends in ERR_IMAP_TIMEOUT", async () => {
    const { M } = await connect(
      (cmd, conn) => {
        if (cmd.name !== "FETCH") return false;
        conn.write("* 1 FETCH (RFC822 {50}\r\nonly part");
        return true;
      },
      { timeout: 0.3 },
    );
    await M.login("u", "p");
    await M.select();
    await rejectsAbort(M.fetch("1", "(RFC822)"), "ERR_IMAP_TIMEOUT");
  });

  test("a tagged response for another command is IMAP4.abort ERR_IMAP_UNEXPECTED_RESPONSE", async () => {
    const { M } = await connect((cmd, conn) => {
      if (cmd.name !== "NOOP") return false;
      // The client's own prefix, a number it never sent.
      conn.write(`${cmd.tag.replace(/\d+$/, "")}999 OK not yours\r\n`);
      return true;
    });
    const err = await rejectsAbort(M.noop(), "ERR_IMAP_UNEXPECTED_RESPONSE");
    assert.match(err.message, /^command: NOOP => unexpected tagged response: b'[A-P]{4}999 OK not yours'$/);
  });

  test("a tagged response for an earlier, finished command is refused too", async () => {
    let first = "";
    const { M } = await connect((cmd, conn) => {
      if (cmd.name !== "NOOP") return false;
      if (first === "") {
        first = cmd.tag;
        return false;
      }
      conn.write(`${first} OK again\r\n`);
      return true;
    });
    assert.equal((await M.noop())[0], "OK");
    await rejectsAbort(M.noop(), "ERR_IMAP_UNEXPECTED_RESPONSE");
  });

  test("a line that is no IMAP response, and one that never ends, are aborts", async () => {
    const { M } = await connect((cmd, conn) => {
      if (cmd.name === "NOOP") conn.write("HTTP/1.1 400 Bad Request\r\n");
      else if (cmd.name === "CHECK") void flood(conn, "x".repeat(100));
      else return false;
      return true;
    });
    const err = await rejectsAbort(M.noop(), "ERR_IMAP_UNEXPECTED_RESPONSE");
    assert.match(err.message, /unexpected response: b'HTTP\/1.1 400 Bad Request'/);
    const { M: N } = await connect((cmd, conn) => {
      if (cmd.name !== "CHECK") return false;
      void flood(conn, "x".repeat(100));
      return true;
    });
    await N.login("u", "p");
    await N.select();
    const long = await rejectsAbort(N.check(), "ERR_IMAP_LINE_TOO_LONG");
    assert.match(long.message, /got more than 1000000 bytes/);
  });

  test("BYE in the middle of a command is IMAP4.abort ERR_IMAP_BYE with the server's text", async () => {
    const { M } = await connect((cmd, conn) => {
      if (cmd.name !== "NOOP") return false;
      conn.write("* BYE shutting down for maintenance\r\n");
      conn.socket.end();
      return true;
    });
    const err = await rejectsAbort(M.noop(), "ERR_IMAP_BYE");
    assert.equal(err.message, "command: NOOP => shutting down for maintenance");
  });

  test("a greeting that is neither OK nor PREAUTH is IMAP4.error; PREAUTH starts in AUTH", async () => {
    for (const [greeting, expected] of [
      ["* BYE go away\r\n", "error"],
      ["* PREAUTH welcome\r\n", "AUTH"],
    ] as const) {
      const srv = await fakeIMAP(() => false, { greeting });
      servers.push(srv);
      if (expected === "error") {
        await assert.rejects(IMAP4.open("127.0.0.1", srv.port, { timeout: 30 }), (e: Error) => {
          return e instanceof IMAP4.error && !(e instanceof IMAP4.abort) && e.message === "b'* BYE go away'";
        });
      } else {
        const M = await IMAP4.open("127.0.0.1", srv.port, { timeout: 30 });
        assert.equal(M.state, expected);
      }
    }
  });

  test("open() called on a subclass makes that subclass (regression: it made a plain IMAP4)", async () => {
    class Logged extends IMAP4 {
      readonly seen: string[] = [];
      override async readline(): Promise<Buffer> {
        const line = await super.readline();
        this.seen.push(line.toString("latin1").trimEnd());
        return line;
      }
    }
    const srv = await fakeIMAP(() => false);
    servers.push(srv);
    const M = await Logged.open("127.0.0.1", srv.port, { timeout: 30 });
    assert.ok(M instanceof Logged);
    assert.match(M.seen[0] ?? "", /^\* OK/);
    await M.logout();
  });

  test("a second command before the first finished is IMAP4.error ERR_IMAP_BUSY", async () => {
    const { M } = await connect(() => false);
    const first = M.noop();
    await assert.rejects(
      M.noop(),
      (e: Error & { code?: string }) => e instanceof IMAP4.error && e.code === "ERR_IMAP_BUSY",
    );
    assert.equal((await first)[0], "OK");
  });

  test("an argument with CR, LF or NUL is refused before anything is sent", async () => {
    const { M, srv } = await connect(() => false);
    await M.login("u", "p");
    const before = srv.received().length;
    for (const bad of ["INBOX\r\nA1 DELETE INBOX", "a\nb", "a\0b"]) {
      await assert.rejects(M.create(bad), (e: Error) => e instanceof CommandError);
    }
    assert.equal((await M.noop())[0], "OK", "the connection is still usable");
    assert.doesNotMatch(srv.received().subarray(before).toString(), /DELETE|CREATE/);
  });
});

describe("imaplib transcripts", () => {
  test("login() quotes the password only; append() waits for '+' before its literal", async () => {
    let appended: Buffer = Buffer.alloc(0);
    const { M, srv } = await connect(async (cmd, conn) => {
      if (cmd.name !== "APPEND") return false;
      const n = Number(/\{(\d+)\}$/.exec(cmd.args)?.[1]);
      conn.write("+ go ahead\r\n");
      appended = await conn.readBytes(n + 2);
      conn.write(`${cmd.tag} OK [APPENDUID 1 7] appended\r\n`);
      return true;
    });
    await M.login('us"er', 'pa"ss\\word');
    const result = await M.append(
      "Sent",
      "\\Seen",
      '"02-Jan-1970 00:00:00 +0000"',
      Buffer.from("a\nb\rc\r\n"),
    );
    assert.deepEqual(result, ["OK", [Buffer.from("[APPENDUID 1 7] appended")]]);
    assert.deepEqual(M.response("APPENDUID"), ["APPENDUID", [Buffer.from("1 7")]]);
    assert.equal(appended.toString(), "a\r\nb\r\nc\r\n\r\n");
    const sent = srv
      .received()
      .toString("latin1")
      .replace(/[A-P]{4}(\d+)/g, "T$1");
    assert.equal(
      sent,
      [
        "T0 CAPABILITY",
        'T1 LOGIN us"er "pa\\"ss\\\\word"',
        `T2 APPEND Sent (\\Seen) "02-Jan-1970 00:00:00 +0000" {9}`,
        "a\r\nb\r\nc\r\n\r\n",
      ].join("\r\n"),
    );
  });

  test("authenticate() sends each answer in base64 and '*' to cancel", async () => {
    const lines: string[] = [];
    const { M } = await connect(async (cmd, conn) => {
      if (cmd.name !== "AUTHENTICATE") return false;
      conn.write(`+ ${Buffer.from("first").toString("base64")}\r\n`);
      lines.push(await conn.readLine());
      conn.write("+\r\n");
      lines.push(await conn.readLine());
      conn.write(`${cmd.tag} NO [AUTHENTICATIONFAILED] no\r\n`);
      return true;
    });
    const challenges: string[] = [];
    await assert.rejects(
      M.authenticate("x-test", (c) => {
        challenges.push(c.toString());
        return challenges.length === 1 ? "answer" : null;
      }),
      (e: Error) => e instanceof IMAP4.error && e.message === "[AUTHENTICATIONFAILED] no",
    );
    assert.deepEqual(challenges, ["first", ""]);
    assert.deepEqual(lines, [Buffer.from("answer").toString("base64"), "*"]);
  });
});

describe("imaplib reads lines already buffered without waiting", () => {
  const RESPONSE = "* 1 FETCH (RFC822 {5}\r\nhe\r\no UID 7)\r\n* 2 FETCH (FLAGS (\\Seen))\r\n* 3 EXISTS\r\n";

  /** A server answering FETCH with RESPONSE in one write, or a byte a write (each after the last left). */
  function fetchServer(byteAtATime: boolean): Handler {
    return async (cmd, conn) => {
      if (cmd.name !== "FETCH") return false;
      const whole = `${RESPONSE}${cmd.tag} OK FETCH done\r\n`;
      if (!byteAtATime) conn.write(whole);
      else {
        conn.socket.setNoDelay(true);
        for (const ch of whole) {
          await new Promise<void>((resolve) => conn.socket.write(ch, () => resolve()));
          await new Promise((resolve) => setTimeout(resolve, 1));
        }
      }
      return true;
    };
  }

  test("fetch() gives the same data whether the response comes in one write or a byte at a time", async () => {
    const results: unknown[] = [];
    for (const byteAtATime of [false, true]) {
      const { M } = await connect(fetchServer(byteAtATime));
      await M.login("u", "p");
      await M.select();
      const [typ, data] = await M.fetch("1:2", "(RFC822)");
      results.push({
        typ,
        data: data.map((d) =>
          Array.isArray(d) ? d.map((b) => b.toString("latin1")) : d?.toString("latin1"),
        ),
        exists: M.untaggedResponses.get("EXISTS")?.map((b) => String(b)),
      });
      await M.logout();
    }
    assert.deepEqual(results[0], {
      typ: "OK",
      data: [["1 (RFC822 {5}", "he\r\no"], " UID 7)", "2 (FLAGS (\\Seen))"],
      exists: ["2", "3"],
    });
    assert.deepEqual(results[1], results[0]);
  });

  test("a subclass that overrides readline() still reads every line through it", async () => {
    const seen: string[] = [];
    class Counting extends IMAP4 {
      override async readline(): Promise<Buffer> {
        const line = await super.readline();
        seen.push(line.toString("latin1"));
        return line;
      }
    }
    const srv = await fakeIMAP(fetchServer(false));
    servers.push(srv);
    const M = new Counting("127.0.0.1", srv.port, { timeout: 30 });
    await M.start();
    await M.login("u", "p");
    await M.select();
    seen.length = 0;
    await M.fetch("1:2", "(RFC822)");
    assert.deepEqual(seen, [
      "* 1 FETCH (RFC822 {5}\r\n",
      " UID 7)\r\n",
      "* 2 FETCH (FLAGS (\\Seen))\r\n",
      "* 3 EXISTS\r\n",
      `${M.tagpre}${M.tagnum - 1} OK FETCH done\r\n`,
    ]);
    await M.logout();
  });

  test("a line past maxLine that came with the line before it is IMAP4.abort ERR_IMAP_LINE_TOO_LONG, as one that trickles in", async () => {
    const { M } = await connect(
      (cmd, conn) => {
        if (cmd.name !== "NOOP") return false;
        conn.write(`* OK first\r\n* OK ${"x".repeat(150)}\r\n${cmd.tag} OK done\r\n`);
        return true;
      },
      { maxLine: 100 },
    );
    const err = await rejectsAbort(M.noop(), "ERR_IMAP_LINE_TOO_LONG");
    assert.match(err.message, /got more than 100 bytes/);
  });
});
