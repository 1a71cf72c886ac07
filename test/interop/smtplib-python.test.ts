/**
 * netkit's smtplib sending to servers netkit did not write: python3's
 * `smtpd` (a recording `SMTPServer` subclass, and `DebuggingServer`) and
 * Debian's `aiosmtpd` (python3-aiosmtpd, run with Debian's /usr/bin/python3:
 * pyenv's python3 does not see Debian's packages) with STARTTLS, AUTH and
 * PIPELINING. Each server prints one JSON line per message it received; the
 * test compares it with what was sent.
 */
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import { smtpClient } from "../../examples/smtp_client.js";
import {
  SMTP,
  SMTPAuthenticationError,
  SMTPDataError,
  SMTPNotSupportedError,
  SMTPRecipientsRefused,
} from "../../src/smtplib/index.js";
import { createDefaultContext } from "../../src/ssl.js";
import { hasCommand, peerSkip } from "../_support/peers.js";
import { PYTHON } from "../_support/python.js";
import { HAS_OPENSSL, makePKI } from "../_support/tls.js";

const DEBIAN_PYTHON = "/usr/bin/python3";
const HAS_AIOSMTPD = existsSync(DEBIAN_PYTHON) && hasCommand(DEBIAN_PYTHON, ["-c", "import aiosmtpd.smtp"]);

/** A server process that prints JSON lines: the first `{ "port": N }`, then one per message. */
class JsonLines {
  readonly child: ChildProcess;
  #lines: string[] = [];
  #waiters: ((line: string) => void)[] = [];
  #stderr = "";
  constructor(command: string, script: string, args: string[] = []) {
    this.child = spawn(command, ["-u", "-c", script, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let buffered = "";
    this.child.stdout!.on("data", (b: Buffer) => {
      buffered += b.toString("latin1");
      let nl = buffered.indexOf("\n");
      while (nl >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        const waiter = this.#waiters.shift();
        if (waiter) waiter(line);
        else this.#lines.push(line);
        nl = buffered.indexOf("\n");
      }
    });
    this.child.stderr!.on("data", (b: Buffer) => {
      this.#stderr += b.toString();
    });
  }
  /** The next line (waits for it; fails after `ms`, with the server's stderr). */
  next(ms = 60_000): Promise<string> {
    const ready = this.#lines.shift();
    if (ready !== undefined) return Promise.resolve(ready);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no line from the server in ${ms} ms: ${this.#stderr}`)),
        ms,
      );
      this.#waiters.push((line) => {
        clearTimeout(timer);
        resolve(line);
      });
    });
  }
  async json<T>(): Promise<T> {
    return JSON.parse(await this.next()) as T;
  }
  stop(): void {
    this.child.kill();
  }
}

interface Received {
  from: string;
  to: string[];
  data: string;
  mail_options: string[];
  rcpt_options?: string[];
  tls?: boolean;
  auth?: string | null;
}

const SMTPD = `
import warnings
warnings.simplefilter('ignore', DeprecationWarning)
import asyncore, json, smtpd
class Recorder(smtpd.SMTPServer):
    def process_message(self, peer, mailfrom, rcpttos, data, **kw):
        print(json.dumps({'from': mailfrom, 'to': rcpttos, 'data': data.decode('latin-1'),
                          'mail_options': kw.get('mail_options', []), 'rcpt_options': kw.get('rcpt_options', [])}))
        if mailfrom == 'reject@example.org':
            return '554 5.6.0 rejected by the test'
s = Recorder(('127.0.0.1', 0), None, enable_SMTPUTF8=True)
print(json.dumps({'port': s.socket.getsockname()[1]}))
asyncore.loop()
`;

const DEBUGGING = `
import warnings
warnings.simplefilter('ignore', DeprecationWarning)
import asyncore, json, smtpd
s = smtpd.DebuggingServer(('127.0.0.1', 0), None)
print(json.dumps({'port': s.socket.getsockname()[1]}))
asyncore.loop()
`;

const OPTS = { localHostname: "client.test", timeout: 30 };
const BODY = "From: a@example.org\r\nSubject: interop\r\n\r\n.a dot line\r\n..two dots\r\nbare lf\nend";
const BODY_RECEIVED =
  "From: a@example.org\r\nSubject: interop\r\n\r\n.a dot line\r\n..two dots\r\nbare lf\r\nend";

describe("python3 smtpd", { skip: peerSkip("python3", hasCommand(PYTHON)) }, () => {
  let server: JsonLines;
  let port: number;
  before(async () => {
    server = new JsonLines(PYTHON, SMTPD);
    port = (await server.json<{ port: number }>()).port;
  });
  after(() => server?.stop());

  test("sendmail() delivers a message with dot lines and bare LFs intact, to every recipient", async () => {
    await using smtp = await SMTP.open("127.0.0.1", port, OPTS);
    const refused = await smtp.sendmail("a@example.org", ["b@example.org", "Carl <c@example.org>"], BODY);
    assert.deepEqual(refused, new Map());
    const got = await server.json<Received>();
    assert.equal(got.from, "a@example.org");
    assert.deepEqual(got.to, ["b@example.org", "c@example.org"]);
    assert.equal(got.data, BODY_RECEIVED.replaceAll("\r\n", "\n"), "smtpd joins the lines with LF");
    assert.deepEqual(got.mail_options, [`SIZE=${Buffer.byteLength(BODY_RECEIVED)}`]);
  });

  test("sendmail() sends SMTPUTF8 and BODY=8BITMIME with UTF-8 addresses and an 8-bit body", async () => {
    await using smtp = await SMTP.open("127.0.0.1", port, OPTS);
    const body = Buffer.from("Subject: ünïcode\r\n\r\nGrüße\r\n");
    await smtp.sendmail("jösé@example.org", ["ünï@example.org"], body, {
      mailOptions: ["SMTPUTF8", "BODY=8BITMIME"],
    });
    const got = await server.json<Received>();
    assert.equal(got.from, "jösé@example.org");
    assert.deepEqual(got.to, ["ünï@example.org"]);
    assert.equal(Buffer.from(got.data, "latin1").toString("utf8"), "Subject: ünïcode\n\nGrüße");
    assert.deepEqual(got.mail_options.map((o) => o.toUpperCase()).slice(1), ["SMTPUTF8", "BODY=8BITMIME"]);
  });

  test("sendmail() throws SMTPDataError with the server's reply when the message is refused", async () => {
    await using smtp = await SMTP.open("127.0.0.1", port, OPTS);
    const err = await smtp.sendmail("reject@example.org", "b@example.org", "x").catch((e: unknown) => e);
    await server.next();
    assert.ok(err instanceof SMTPDataError, String(err));
    assert.equal(err.smtpCode, 554);
    assert.equal(err.smtpError.toString(), "5.6.0 rejected by the test");
    assert.deepEqual(await smtp.noop(), [250, Buffer.from("OK")], "the connection goes on after RSET");
  });

  test("ehlo(), verify(), help() and login() read smtpd's replies", async () => {
    await using smtp = await SMTP.open("127.0.0.1", port, OPTS);
    const [code] = await smtp.ehlo();
    assert.equal(code, 250);
    assert.ok(smtp.hasExtn("SIZE") && smtp.hasExtn("8bitmime") && smtp.hasExtn("smtputf8"));
    assert.equal((await smtp.verify("a@example.org"))[0], 252);
    assert.match((await smtp.help()).toString(), /Supported commands/);
    const err = await smtp.login("u", "p").catch((e: unknown) => e);
    assert.ok(err instanceof SMTPNotSupportedError);
  });

  test("DebuggingServer prints the message netkit sent", async () => {
    const debug = new JsonLines(PYTHON, DEBUGGING);
    try {
      const { port: dport } = await debug.json<{ port: number }>();
      await using smtp = await SMTP.open("127.0.0.1", dport, OPTS);
      await smtp.sendMessage("Subject: printed\r\n\r\n.hello from netkit\r\n", {
        fromAddr: "a@example.org",
        toAddrs: ["b@example.org"],
      });
      const lines: string[] = [];
      for (let i = 0; i < 20; i++) {
        const line = await debug.next();
        if (line.startsWith("------------ END MESSAGE")) break;
        lines.push(line);
      }
      assert.deepEqual(lines, [
        "---------- MESSAGE FOLLOWS ----------",
        "mail options: ['SIZE=40']",
        "b'Subject: printed'",
        "b'X-Peer: 127.0.0.1'",
        "b''",
        "b'.hello from netkit'",
      ]);
    } finally {
      debug.stop();
    }
  });
});

test("examples/smtp_client.ts sends its message to python3's DebuggingServer", {
  skip: peerSkip("python3", hasCommand(PYTHON)),
}, async () => {
  const debug = new JsonLines(PYTHON, DEBUGGING);
  try {
    const { port } = await debug.json<{ port: number }>();
    const lines = await smtpClient("127.0.0.1", port);
    assert.deepEqual(lines.slice(1), ["Sent to every recipient."]);
    const printed: string[] = [];
    for (let i = 0; i < 20; i++) {
      const line = await debug.next();
      if (line.startsWith("------------ END MESSAGE")) break;
      printed.push(line);
    }
    assert.ok(printed.includes("b'Subject: Hello from netkit'"), printed.join("\n"));
    assert.ok(printed.includes("b'.this line starts with a dot'"), printed.join("\n"));
  } finally {
    debug.stop();
  }
});

const AIOSMTPD = `
import asyncio, json, ssl, sys
from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword
ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
ctx.load_cert_chain(sys.argv[1], sys.argv[2])
class Handler:
    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname
        return responses[:1] + ['250-PIPELINING'] + responses[1:]
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith('nobody@'):
            return '550 5.1.1 no such user'
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(rcpt_options)
        return '250 OK'
    async def handle_DATA(self, server, session, envelope):
        print(json.dumps({'from': envelope.mail_from, 'to': envelope.rcpt_tos,
                          'data': envelope.original_content.decode('latin-1'),
                          'mail_options': envelope.mail_options,
                          'tls': session.ssl is not None,
                          'auth': session.auth_data.decode() if isinstance(session.auth_data, bytes) else None}))
        return '250 2.0.0 queued'
def authenticator(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and auth_data.login == b'user' and auth_data.password == b'secret'
    # handled=False: aiosmtpd sends the 535 itself.
    return AuthResult(success=ok, handled=False, auth_data=auth_data.login if ok else None)
loop = asyncio.new_event_loop()
asyncio.set_event_loop(loop)
factory = lambda: SMTP(Handler(), hostname='mx.test', tls_context=ctx, require_starttls=True,
                       authenticator=authenticator, auth_required=True, loop=loop)
srv = loop.run_until_complete(loop.create_server(factory, '127.0.0.1', 0))
print(json.dumps({'port': srv.sockets[0].getsockname()[1]}))
loop.run_forever()
`;

describe("aiosmtpd (Debian's python3-aiosmtpd)", {
  skip: peerSkip("python3-aiosmtpd", HAS_AIOSMTPD) || peerSkip("openssl", HAS_OPENSSL),
}, () => {
  let server: JsonLines;
  let port: number;
  before(async () => {
    const pki = makePKI();
    server = new JsonLines(DEBIAN_PYTHON, AIOSMTPD, [pki.server.certFile, pki.server.keyFile]);
    port = (await server.json<{ port: number }>()).port;
  });
  after(() => server?.stop());

  const context = () => createDefaultContext(undefined, { cafile: makePKI().caFile });

  test("starttls(), login() and a pipelined sendmail() deliver over TLS as the authenticated user", async () => {
    await using smtp = await SMTP.open("127.0.0.1", port, OPTS);
    await smtp.ehlo();
    assert.ok(smtp.hasExtn("starttls"));
    assert.equal(smtp.hasExtn("auth"), false, "AUTH is offered only over TLS");
    await smtp.starttls({ context: context() });
    await smtp.ehlo();
    assert.ok(smtp.hasExtn("pipelining") && smtp.hasExtn("auth"));
    assert.equal((await smtp.login("user", "secret"))[0], 235);
    const refused = await smtp.sendmail(
      "a@example.org",
      ["b@example.org", "nobody@example.org", "c@example.org"],
      BODY,
    );
    assert.deepEqual(refused, new Map([["nobody@example.org", [550, Buffer.from("5.1.1 no such user")]]]));
    const got = await server.json<Received>();
    assert.deepEqual(got.to, ["b@example.org", "c@example.org"]);
    assert.equal(got.data, `${BODY_RECEIVED}\r\n`);
    assert.equal(got.tls, true);
    assert.equal(got.auth, "user");
  });

  test("login() with a wrong password throws SMTPAuthenticationError after trying PLAIN and LOGIN", async () => {
    await using smtp = await SMTP.open("127.0.0.1", port, OPTS);
    await smtp.starttls({ context: context() });
    const err = await smtp.login("user", "wrong").catch((e: unknown) => e);
    assert.ok(err instanceof SMTPAuthenticationError, String(err));
    assert.equal(err.smtpCode, 535);
  });

  test("a pipelined sendmail() with every recipient refused throws SMTPRecipientsRefused and the session goes on", async () => {
    await using smtp = await SMTP.open("127.0.0.1", port, OPTS);
    await smtp.starttls({ context: context() });
    await smtp.login("user", "secret");
    const err = await smtp.sendmail("a@example.org", ["nobody@example.org"], "x").catch((e: unknown) => e);
    assert.ok(err instanceof SMTPRecipientsRefused, String(err));
    assert.deepEqual([...err.recipients.keys()], ["nobody@example.org"]);
    assert.deepEqual(await smtp.sendmail("a@example.org", ["b@example.org"], "second"), new Map());
    assert.equal((await server.json<Received>()).data, "second\r\n");
  });

  test("sendmail() without STARTTLS is refused by a server that requires it", async () => {
    await using smtp = await SMTP.open("127.0.0.1", port, OPTS);
    const err = await smtp.sendmail("a@example.org", ["b@example.org"], "x").catch((e: unknown) => e);
    assert.equal((err as { smtpCode?: number }).smtpCode, 530);
  });
});
