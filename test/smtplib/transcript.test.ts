/**
 * netkit/smtplib against scripted peers: the exact bytes both ways. Where
 * Python 3.11 sends the same thing, python3's smtplib plays the same script
 * and must send byte for byte what netkit sent. Then what Python does not
 * do: PIPELINING, the SMTP smuggling bodies, CR/LF/NUL in arguments.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  SMTP,
  SMTPAuthenticationError,
  SMTPConnectError,
  SMTPDataError,
  SMTPNotSupportedError,
  SMTPRecipientsRefused,
  SMTPSenderRefused,
} from "../../src/smtplib/index.js";
import { CommandError } from "../../src/textproto/index.js";
import { python } from "../_support/python.js";
import { type PeerResult, type Step, scriptedPeer } from "./_peer.js";

const OPTS = { localHostname: "me", timeout: 20 };

/** Runs `client` against a peer playing `steps`; resolves with what the peer saw and what the client returned. */
async function run<T>(steps: Step[], client: (port: number) => Promise<T>): Promise<[PeerResult, T]> {
  const peer = await scriptedPeer(steps);
  let value: T;
  try {
    value = await client(peer.port);
  } finally {
    peer.server.close();
  }
  const result = await peer.done;
  assert.deepEqual(result.errors, []);
  return [result, value];
}

/** The ops python3's smtplib runs in `pythonReceived`: method name and arguments. */
type PyOp = [string, ...unknown[]];

/** Runs python3's smtplib (`local_hostname="me"`) through `ops` against a peer playing `steps`. */
async function pythonReceived(steps: Step[], ops: PyOp[]): Promise<Buffer> {
  const peer = await scriptedPeer(steps);
  await python(
    "import json, sys, smtplib\n" +
      "cfg = json.load(sys.stdin)\n" +
      "s = smtplib.SMTP('127.0.0.1', cfg['port'], local_hostname='me', timeout=20)\n" +
      "for name, *args in cfg['ops']:\n" +
      "    try:\n" +
      "        getattr(s, name)(*args)\n" +
      "    except smtplib.SMTPException:\n" +
      "        pass\n" +
      "s.close()\n" +
      "print('null')",
    { port: peer.port, ops },
  );
  const result = await peer.done;
  assert.deepEqual(result.errors, [], "python3 did not follow the script");
  return result.received;
}

const EHLO_PLAIN = "250-mx.example\r\n250-SIZE 100000\r\n250 8BITMIME\r\n";
const EHLO_PIPE = "250-mx.example\r\n250-PIPELINING\r\n250-SIZE 100000\r\n250 8BITMIME\r\n";
const MSG = "Subject: hi\r\n\r\n.leading dot\r\nbare lf\nend";
const MSG_WIRE = "Subject: hi\r\n\r\n..leading dot\r\nbare lf\r\nend\r\n.\r\n";
const MSG_SIZE = Buffer.byteLength("Subject: hi\r\n\r\n.leading dot\r\nbare lf\r\nend");

describe("transcripts equal to python3's", () => {
  test("sendmail() sends python3's bytes without PIPELINING and returns the refused recipients", async () => {
    const steps: Step[] = [
      { send: "220 mx.example ESMTP\r\n" },
      { expect: "ehlo me\r\n" },
      { send: EHLO_PLAIN },
      { expect: `mail FROM:<a@example.org> size=${MSG_SIZE} BODY=8BITMIME\r\n` },
      { send: "250 ok\r\n" },
      { expect: "rcpt TO:<b@example.org> NOTIFY=NEVER\r\n" },
      { send: "250 ok\r\n" },
      { expect: "rcpt TO:<c@example.org> NOTIFY=NEVER\r\n" },
      { send: "550 5.1.1 no such user\r\n" },
      { expect: "data\r\n" },
      { send: "354 go ahead\r\n" },
      { expect: MSG_WIRE },
      { send: "250 queued\r\n" },
      { expect: "quit\r\n" },
      { send: "221 bye\r\n" },
    ];
    const [result, refused] = await run(steps, async (port) => {
      const smtp = await SMTP.open("127.0.0.1", port, OPTS);
      const r = await smtp.sendmail("Alice <a@example.org>", ["b@example.org", "c@example.org"], MSG, {
        mailOptions: ["BODY=8BITMIME"],
        rcptOptions: ["NOTIFY=NEVER"],
      });
      assert.deepEqual(await smtp.quit(), [221, Buffer.from("bye")]);
      return r;
    });
    assert.deepEqual(refused, new Map([["c@example.org", [550, Buffer.from("5.1.1 no such user")]]]));
    const py = await pythonReceived(steps, [
      [
        "sendmail",
        "Alice <a@example.org>",
        ["b@example.org", "c@example.org"],
        MSG,
        ["BODY=8BITMIME"],
        ["NOTIFY=NEVER"],
      ],
      ["quit"],
    ]);
    assert.equal(result.received.toString("latin1"), py.toString("latin1"));
  });

  test("sendmail() falls back to HELO, sends no options, and refuses a sender as python3 does", async () => {
    const steps: Step[] = [
      { send: "220 old.example\r\n" },
      { expect: "ehlo me\r\n" },
      { send: "502 what?\r\n" },
      { expect: "helo me\r\n" },
      { send: "250 old.example\r\n" },
      { expect: "mail FROM:<a@example.org>\r\n" },
      { send: "553 sender refused\r\n" },
      { expect: "rset\r\n" },
      { send: "250 reset\r\n" },
      { expect: "noop\r\n" },
      { send: "250 ok\r\n" },
    ];
    const [result] = await run(steps, async (port) => {
      const smtp = await SMTP.open("127.0.0.1", port, OPTS);
      const err = await smtp
        .sendmail("a@example.org", "b@example.org", "x", { mailOptions: ["SMTPUTF8"] })
        .catch((e: unknown) => e);
      assert.ok(err instanceof SMTPSenderRefused);
      assert.equal(err.code, "ERR_SMTP_SENDER_REFUSED");
      assert.equal(err.smtpCode, 553);
      assert.equal(err.sender, "a@example.org");
      assert.equal(err.message, "(553, b'sender refused', 'a@example.org')");
      assert.deepEqual(await smtp.noop(), [250, Buffer.from("ok")]);
      smtp.close();
    });
    const py = await pythonReceived(steps, [
      ["sendmail", "a@example.org", "b@example.org", "x", ["SMTPUTF8"]],
      ["noop"],
    ]);
    assert.equal(result.received.toString("latin1"), py.toString("latin1"));
  });

  test("verify(), expn(), help(), rset(), docmd() and a multi-line reply read as python3's", async () => {
    const steps: Step[] = [
      { send: "220 mx\r\n" },
      { expect: "vrfy a@b.example\r\n" },
      { send: "252-cannot verify\r\n252 but will try  \r\n" },
      { expect: "expn list\r\n" },
      { send: "250 <a@b>\r\n" },
      { expect: "help\r\n" },
      { send: "214 see RFC 5321\r\n" },
      { expect: "rset\r\n" },
      { send: "250 ok\r\n" },
      { expect: "XCMD arg\r\n" },
      { send: "250\r\n" },
    ];
    const [result] = await run(steps, async (port) => {
      const smtp = await SMTP.open("127.0.0.1", port, OPTS);
      assert.deepEqual(await smtp.verify("Name <a@b.example>"), [
        252,
        Buffer.from("cannot verify\nbut will try"),
      ]);
      assert.deepEqual(await smtp.expn("list"), [250, Buffer.from("<a@b>")]);
      assert.deepEqual(await smtp.help(), Buffer.from("see RFC 5321"));
      assert.deepEqual(await smtp.rset(), [250, Buffer.from("ok")]);
      assert.deepEqual(await smtp.docmd("XCMD", "arg"), [250, Buffer.alloc(0)]);
      smtp.close();
    });
    const py = await pythonReceived(steps, [
      ["verify", "Name <a@b.example>"],
      ["expn", "list"],
      ["help"],
      ["rset"],
      ["docmd", "XCMD", "arg"],
    ]);
    assert.equal(result.received.toString("latin1"), py.toString("latin1"));
  });

  test("login() tries CRAM-MD5, then PLAIN, as python3 does", async () => {
    const challenge = Buffer.from("<1896.697170952@postoffice.reston.mci.net>").toString("base64");
    const steps: Step[] = [
      { send: "220 mx\r\n" },
      { expect: "ehlo me\r\n" },
      { send: "250-mx\r\n250-AUTH LOGIN PLAIN\r\n250 AUTH=CRAM-MD5\r\n" },
      { expect: "AUTH CRAM-MD5\r\n" },
      { send: `334 ${challenge}\r\n` },
      { expect: `${Buffer.from("tim b913a602c7eda7a495b4e6e7334d3890").toString("base64")}\r\n` },
      { send: "535 no\r\n" },
      { expect: `AUTH PLAIN ${Buffer.from("\0tim\0tanstaaftanstaaf").toString("base64")}\r\n` },
      { send: "235 welcome\r\n" },
    ];
    const [result] = await run(steps, async (port) => {
      const smtp = await SMTP.open("127.0.0.1", port, OPTS);
      assert.deepEqual(await smtp.login("tim", "tanstaaftanstaaf"), [235, Buffer.from("welcome")]);
      smtp.close();
    });
    const py = await pythonReceived(steps, [["login", "tim", "tanstaaftanstaaf"]]);
    assert.equal(result.received.toString("latin1"), py.toString("latin1"));
  });

  test("login() with LOGIN answers the user name, then the password, as python3 does", async () => {
    const steps: Step[] = [
      { send: "220 mx\r\n" },
      { expect: "ehlo me\r\n" },
      { send: "250-mx\r\n250 AUTH LOGIN\r\n" },
      { expect: `AUTH LOGIN ${Buffer.from("user").toString("base64")}\r\n` },
      { send: `334 ${Buffer.from("Password:").toString("base64")}\r\n` },
      { expect: `${Buffer.from("secret").toString("base64")}\r\n` },
      { send: "535 5.7.8 bad credentials\r\n" },
    ];
    const [result] = await run(steps, async (port) => {
      const smtp = await SMTP.open("127.0.0.1", port, OPTS);
      const err = await smtp.login("user", "secret").catch((e: unknown) => e);
      assert.ok(err instanceof SMTPAuthenticationError);
      assert.equal(err.smtpCode, 535);
      smtp.close();
    });
    const py = await pythonReceived(steps, [["login", "user", "secret"]]);
    assert.equal(result.received.toString("latin1"), py.toString("latin1"));
  });
});

describe("PIPELINING (RFC 2920)", () => {
  const greet: Step[] = [{ send: "220 mx\r\n" }, { expect: "ehlo me\r\n" }, { send: EHLO_PIPE }];

  test("sendmail() sends MAIL, every RCPT and DATA in one write, then reads the replies", async () => {
    const envelope = `mail FROM:<a@x> size=${MSG_SIZE}\r\nrcpt TO:<b@x>\r\nrcpt TO:<c@x>\r\ndata\r\n`;
    // The peer answers nothing until the whole envelope is in: a client that
    // waited for MAIL's reply would time out here.
    const steps: Step[] = [
      ...greet,
      { expect: envelope },
      { send: "250 ok\r\n250 ok\r\n550 unknown\r\n354 go\r\n" },
      { expect: MSG_WIRE },
      { send: "250 queued\r\n" },
    ];
    const [result, refused] = await run(steps, async (port) => {
      const smtp = await SMTP.open("127.0.0.1", port, { ...OPTS, timeout: 10 });
      const r = await smtp.sendmail("a@x", ["b@x", "c@x"], MSG);
      smtp.close();
      return r;
    });
    assert.deepEqual(refused, new Map([["c@x", [550, Buffer.from("unknown")]]]));
    assert.equal(result.received.toString("latin1"), `ehlo me\r\n${envelope}${MSG_WIRE}`);
  });

  test("sendmail() reads every reply after a refused MAIL, then RSET, and throws SMTPSenderRefused", async () => {
    const steps: Step[] = [
      ...greet,
      { expect: "mail FROM:<a@x> size=1\r\nrcpt TO:<b@x>\r\ndata\r\n" },
      { send: "550 sender refused\r\n503 no sender\r\n503 no recipients\r\n" },
      { expect: "rset\r\n" },
      { send: "250 reset\r\n" },
      { expect: "noop\r\n" },
      { send: "250 still in step\r\n" },
    ];
    await run(steps, async (port) => {
      const smtp = await SMTP.open("127.0.0.1", port, OPTS);
      const err = await smtp.sendmail("a@x", ["b@x"], "x").catch((e: unknown) => e);
      assert.ok(err instanceof SMTPSenderRefused);
      assert.equal(err.smtpCode, 550);
      assert.deepEqual(await smtp.noop(), [250, Buffer.from("still in step")]);
      smtp.close();
    });
  });

  test("sendmail() throws SMTPRecipientsRefused with each reply when every RCPT is refused", async () => {
    const steps: Step[] = [
      ...greet,
      { expect: "mail FROM:<a@x> size=1\r\nrcpt TO:<b@x>\r\nrcpt TO:<c@x>\r\ndata\r\n" },
      { send: "250 ok\r\n550 no b\r\n551 no c\r\n554 no valid recipients\r\n" },
      { expect: "rset\r\n" },
      { send: "250 reset\r\n" },
    ];
    await run(steps, async (port) => {
      const smtp = await SMTP.open("127.0.0.1", port, OPTS);
      const err = await smtp.sendmail("a@x", ["b@x", "c@x"], "x").catch((e: unknown) => e);
      assert.ok(err instanceof SMTPRecipientsRefused);
      assert.equal(err.code, "ERR_SMTP_RECIPIENTS_REFUSED");
      assert.deepEqual(
        err.recipients,
        new Map([
          ["b@x", [550, Buffer.from("no b")]],
          ["c@x", [551, Buffer.from("no c")]],
        ]),
      );
      smtp.close();
    });
  });

  test("sendmail() ends at once a DATA the server accepted with no recipient left", async () => {
    const steps: Step[] = [
      ...greet,
      { expect: "mail FROM:<a@x> size=1\r\nrcpt TO:<b@x>\r\ndata\r\n" },
      { send: "250 ok\r\n550 no b\r\n354 go anyway\r\n" },
      { expect: "\r\n.\r\n" },
      { send: "554 no valid recipients\r\n" },
      { expect: "rset\r\n" },
      { send: "250 reset\r\n" },
    ];
    await run(steps, async (port) => {
      const smtp = await SMTP.open("127.0.0.1", port, OPTS);
      const err = await smtp.sendmail("a@x", ["b@x"], "x").catch((e: unknown) => e);
      assert.ok(err instanceof SMTPRecipientsRefused);
      smtp.close();
    });
  });

  test("sendmail() throws SMTPDataError when DATA is refused, and after a refused message sends RSET", async () => {
    const steps: Step[] = [
      ...greet,
      { expect: "mail FROM:<a@x> size=1\r\nrcpt TO:<b@x>\r\ndata\r\n" },
      { send: "250 ok\r\n250 ok\r\n451 try later\r\n" },
      { expect: "mail FROM:<a@x> size=1\r\nrcpt TO:<b@x>\r\ndata\r\n" },
      { send: "250 ok\r\n250 ok\r\n354 go\r\n" },
      { expect: "x\r\n.\r\n" },
      { send: "552 too big\r\n" },
      { expect: "rset\r\n" },
      { send: "250 reset\r\n" },
    ];
    await run(steps, async (port) => {
      const smtp = await SMTP.open("127.0.0.1", port, OPTS);
      const first = await smtp.sendmail("a@x", ["b@x"], "x").catch((e: unknown) => e);
      assert.ok(first instanceof SMTPDataError);
      assert.equal(first.smtpCode, 451);
      const second = await smtp.sendmail("a@x", ["b@x"], "x").catch((e: unknown) => e);
      assert.ok(second instanceof SMTPDataError);
      assert.equal(second.smtpCode, 552);
      assert.equal(second.code, "ERR_SMTP_DATA");
      smtp.close();
    });
  });
});

describe("safe where Python 3.11 is not", () => {
  // SMTP smuggling: a lone CR or LF around a dot that a lenient server takes
  // for the end of DATA. Each must reach the wire as a stuffed dot line.
  const SMUGGLING: [string, string][] = [
    ["\\r.\\r\\n", "a\r.\r\nMAIL FROM:<evil@x>\r\nb"],
    ["\\n.\\n", "a\n.\nMAIL FROM:<evil@x>\nb"],
    ["\\n.\\r\\n", "a\n.\r\nMAIL FROM:<evil@x>\r\nb"],
    ["\\r.\\n", "a\r.\nMAIL FROM:<evil@x>\nb"],
  ];
  for (const [name, body] of SMUGGLING) {
    for (const kind of ["text", "bytes"] as const) {
      test(`data() never ends DATA early on ${name} in ${kind}`, async () => {
        const wire = "a\r\n..\r\nMAIL FROM:<evil@x>\r\nb\r\n.\r\n";
        const steps: Step[] = [
          { send: "220 mx\r\n" },
          { expect: "data\r\n" },
          { send: "354 go\r\n" },
          { expect: wire },
          { send: "250 ok\r\n" },
        ];
        const [result] = await run(steps, async (port) => {
          const smtp = await SMTP.open("127.0.0.1", port, OPTS);
          await smtp.data(kind === "text" ? body : Buffer.from(body));
          smtp.close();
        });
        assert.equal(result.received.toString("latin1"), `data\r\n${wire}`);
      });
    }
  }

  const INJECTIONS: [string, (s: SMTP) => Promise<unknown>][] = [
    ["sendmail() sender", (s) => s.sendmail("a@x>\r\nRCPT TO:<evil@x", "b@x", "x")],
    ["sendmail() recipient", (s) => s.sendmail("a@x", ["b@x", "c@x\nDATA"], "x")],
    ["mail() option", (s) => s.mail("a@x", ["BODY=8BITMIME\r\nRSET"])],
    ["rcpt()", (s) => s.rcpt("b@x\0")],
    ["helo()", (s) => s.helo("me\r\nQUIT")],
    ["ehlo()", (s) => s.ehlo("me\rQUIT")],
    ["verify()", (s) => s.verify("a\r\nb")],
    ["expn()", (s) => s.expn("a\nb")],
    ["docmd() command", (s) => s.docmd("NOOP\r\nQUIT")],
    ["putcmd() argument", (s) => s.putcmd("NOOP", "x\0y")],
  ];
  for (const [name, call] of INJECTIONS) {
    test(`${name} refuses CR, LF or NUL before sending anything`, async () => {
      const steps: Step[] = [{ send: "220 mx\r\n" }, { expect: "ehlo me\r\n" }, { send: EHLO_PIPE }];
      const [result] = await run(steps, async (port) => {
        const smtp = await SMTP.open("127.0.0.1", port, OPTS);
        await smtp.ehlo();
        const err = await call(smtp).catch((e: unknown) => e);
        assert.ok(err instanceof CommandError, String(err));
        assert.equal(err.code, "ERR_TEXTPROTO_ILLEGAL_CHAR");
        smtp.close();
      });
      assert.equal(result.received.toString("latin1"), "ehlo me\r\n");
    });
  }

  test("mail() with SMTPUTF8 the server does not offer throws before sending", async () => {
    const steps: Step[] = [{ send: "220 mx\r\n" }, { expect: "ehlo me\r\n" }, { send: EHLO_PLAIN }];
    const [result] = await run(steps, async (port) => {
      const smtp = await SMTP.open("127.0.0.1", port, OPTS);
      await smtp.ehlo();
      const err = await smtp.mail("ü@x", ["SMTPUTF8"]).catch((e: unknown) => e);
      assert.ok(err instanceof SMTPNotSupportedError);
      assert.equal(err.code, "ERR_SMTP_NOT_SUPPORTED");
      smtp.close();
    });
    assert.equal(result.received.toString("latin1"), "ehlo me\r\n");
  });

  test("sendmail() with SMTPUTF8 sends UTF-8 commands, and rset() goes back to ASCII", async () => {
    const steps: Step[] = [
      { send: "220 mx\r\n" },
      { expect: "ehlo me\r\n" },
      { send: "250-mx\r\n250 SMTPUTF8\r\n" },
      { expect: Buffer.from("mail FROM:<ü@x> SMTPUTF8\r\n") },
      { send: "250 ok\r\n" },
      { expect: Buffer.from("rcpt TO:<ö@x>\r\n") },
      { send: "250 ok\r\n" },
      { expect: "data\r\n" },
      { send: "354 go\r\n" },
      { expect: "x\r\n.\r\n" },
      { send: "250 ok\r\n" },
      { expect: "rset\r\n" },
      { send: "250 ok\r\n" },
    ];
    await run(steps, async (port) => {
      const smtp = await SMTP.open("127.0.0.1", port, OPTS);
      assert.deepEqual(await smtp.sendmail("ü@x", ["ö@x"], "x", { mailOptions: ["SMTPUTF8"] }), new Map());
      assert.equal(smtp.commandEncoding, "utf-8");
      await smtp.rset();
      assert.equal(smtp.commandEncoding, "ascii");
      const err = await smtp.verify("ü@x").catch((e: unknown) => e);
      assert.equal((err as { code?: string }).code, "ERR_UNICODE_ENCODE");
      smtp.close();
    });
  });
});

test("SMTP.open() throws SMTPConnectError for a greeting that is not 220", async () => {
  await run([{ send: "554 go away\r\n" }], async (port) => {
    const err = await SMTP.open("127.0.0.1", port, OPTS).catch((e: unknown) => e);
    assert.ok(err instanceof SMTPConnectError);
    assert.equal(err.smtpCode, 554);
    assert.equal(err.code, "ERR_SMTP_CONNECT");
  });
});

test("SMTP[Symbol.asyncDispose]() sends QUIT and closes", async () => {
  const steps: Step[] = [{ send: "220 mx\r\n" }, { expect: "QUIT\r\n" }, { send: "221 bye\r\n" }];
  const [result] = await run(steps, async (port) => {
    await using smtp = await SMTP.open("127.0.0.1", port, OPTS);
    return smtp;
  });
  assert.equal(result.received.toString("latin1"), "QUIT\r\n");
});
