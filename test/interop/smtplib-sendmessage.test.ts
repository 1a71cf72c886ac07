/**
 * `SMTP.sendMessage(Message)` against python3's `smtplib.send_message` on
 * the same messages: both send to Debian's aiosmtpd, which prints the
 * envelope (sender, recipients, MAIL options) and the bytes it received;
 * the two must be the same. The messages are parsed from the same bytes by
 * both sides (compat32), or built the same way as EmailMessage: the
 * envelope from Sender/From and To/Bcc/Cc, the Resent- block, Bcc removed,
 * CRLF line ends, an 8-bit body, SMTPUTF8 for a non-ASCII address.
 */
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import { compat32 } from "../../src/email/_policybase.js";
import { messageFromBytes } from "../../src/email/index.js";
import type { Message } from "../../src/email/message.js";
import { EmailMessage } from "../../src/email/mimepart.js";
import { defaultPolicy } from "../../src/email/policy.js";
import { SMTP } from "../../src/smtplib/index.js";
import { hasCommand, peerSkip } from "../_support/peers.js";
import { PYTHON, python } from "../_support/python.js";

const DEBIAN_PYTHON = "/usr/bin/python3";
const HAS_AIOSMTPD = existsSync(DEBIAN_PYTHON) && hasCommand(DEBIAN_PYTHON, ["-c", "import aiosmtpd.smtp"]);

/** aiosmtpd printing one JSON line per message; argv[1] "1" offers SMTPUTF8. */
const SERVER = `
import asyncio, json, sys
from aiosmtpd.smtp import SMTP
class Handler:
    async def handle_DATA(self, server, session, envelope):
        print(json.dumps({'from': envelope.mail_from, 'to': envelope.rcpt_tos,
                          'data': envelope.original_content.decode('latin-1'),
                          'mail_options': envelope.mail_options}), flush=True)
        return '250 2.0.0 queued'
loop = asyncio.new_event_loop()
asyncio.set_event_loop(loop)
factory = lambda: SMTP(Handler(), hostname='mx.test', enable_SMTPUTF8=sys.argv[1] == '1', loop=loop)
srv = loop.run_until_complete(loop.create_server(factory, '127.0.0.1', 0))
print(json.dumps({'port': srv.sockets[0].getsockname()[1]}), flush=True)
loop.run_forever()
`;

/** A case: a message's bytes (or `built`: the EmailMessage both sides build), and the envelope given, if any. */
interface Case {
  name: string;
  data?: string;
  /** python3 throws (and so must netkit) instead of sending. */
  fails?: boolean;
  /** Parse with policy default (EmailMessage) instead of compat32. */
  modern?: boolean;
  built?: boolean;
  fromAddr?: string;
  toAddrs?: string[];
}

/** The python3 client: sends each case with smtplib.send_message; the error's class name, or null. */
const CLIENT = `
import sys, json, smtplib, email
from email import policy
from email.message import EmailMessage
def built():
    m = EmailMessage()
    m['From'] = 'Ann <ann@example.org>'
    m['To'] = 'bob@example.org'
    m['Bcc'] = 'hidden@example.org'
    m['Subject'] = 'built'
    m.set_content('Grüße aus netkit\\n')
    m.add_attachment(b'\\x00\\x01data', maintype='application', subtype='octet-stream', filename='d.bin')
    m.set_boundary('==b==')
    return m
req = json.load(sys.stdin)
out = []
for c in req['cases']:
    if c.get('built'): msg = built()
    elif c.get('modern'): msg = email.message_from_bytes(c['data'].encode('utf-8'), policy=policy.default)
    else: msg = email.message_from_bytes(c['data'].encode('latin-1'))
    try:
        with smtplib.SMTP('127.0.0.1', req['port'], local_hostname='client.test', timeout=30) as s:
            s.send_message(msg, c.get('fromAddr'), c.get('toAddrs'))
        out.append(None)
    except Exception as e:
        out.append(type(e).__name__)
print(json.dumps(out))
`;

function built(): Message {
  const m = new EmailMessage();
  m.set("From", "Ann <ann@example.org>");
  m.set("To", "bob@example.org");
  m.set("Bcc", "hidden@example.org");
  m.set("Subject", "built");
  m.setContent("Grüße aus netkit\n");
  m.addAttachment(Buffer.from("\x00\x01data", "latin1"), {
    maintype: "application",
    subtype: "octet-stream",
    filename: "d.bin",
  });
  m.setBoundary("==b==");
  return m;
}

const CASES: Case[] = [
  {
    name: "From, To, Cc and Bcc: Bcc is a recipient and is not sent",
    data: "From: Ann <ann@example.org>\nTo: bob@example.org, Carl <carl@example.org>\nCc: dee@example.org\nBcc: eve@example.org\nSubject: hello\n\nbody line\n.dot line\n",
  },
  {
    name: "Sender is the envelope sender when there is one",
    data: "From: Ann <ann@example.org>\nSender: list-owner@example.org\nTo: bob@example.org\nSubject: s\n\nx\n",
  },
  {
    name: "one Resent- block: its Sender/From, To, Bcc and Cc; both Bcc headers go",
    data: "Resent-Date: Mon, 7 Dec 2026 10:00:00 +0000\nResent-From: fwd@example.org\nResent-To: new@example.org\nResent-Cc: cc2@example.org\nResent-Bcc: secret@example.org\nFrom: ann@example.org\nTo: bob@example.org\nBcc: old@example.org\nSubject: resent\n\nx\n",
  },
  {
    name: "two Resent- blocks are refused",
    fails: true,
    data: "Resent-Date: Mon, 7 Dec 2026 10:00:00 +0000\nResent-Date: Tue, 8 Dec 2026 10:00:00 +0000\nResent-To: a@example.org\nFrom: ann@example.org\n\nx\n",
  },
  {
    name: "the envelope given wins over the headers",
    data: "From: ann@example.org\nTo: bob@example.org\nBcc: eve@example.org\n\nx\n",
    fromAddr: "bounce@example.org",
    toAddrs: ["x@example.org", "y@example.org"],
  },
  {
    name: "an 8-bit body with ASCII addresses goes without SMTPUTF8",
    data: "From: ann@example.org\nTo: bob@example.org\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\nGrüße\n",
  },
  {
    name: "CRLF and long headers",
    data: `From: ann@example.org\r\nTo: bob@example.org\r\nSubject: ${"long ".repeat(30)}\r\nX-Folded: one\r\n two\r\n\r\nbody\r\n`,
  },
  {
    name: "a non-ASCII address on a compat32 message: TypeError on both (compat32 has no utf8)",
    fails: true,
    data: "From: jösé@example.org\nTo: bob@example.org\n\nx\n",
  },
  { name: "an EmailMessage built with setContent and addAttachment", built: true },
  {
    name: "a non-ASCII address on a policy default message: SMTPUTF8, BODY=8BITMIME, headers in UTF-8",
    data: "From: Jösé <jösé@example.org>\nTo: ünï@example.org, bob@example.org\nSubject: Grüße\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\nGrüße\n",
    modern: true,
  },
  {
    name: "a policy default message with encoded words and a Bcc group",
    data: "From: =?utf-8?q?J=C3=B6rg?= <joerg@example.org>\nTo: Team: a@example.org, b@example.org;\nBcc: hidden@example.org\nSubject: =?utf-8?q?Gr=C3=BC=C3=9Fe?=\n\nx\n",
    modern: true,
  },
];

/** aiosmtpd as a child process that prints JSON lines. */
class Server {
  readonly child: ChildProcess;
  #lines: string[] = [];
  #waiters: ((line: string) => void)[] = [];
  #stderr = "";
  constructor(utf8: boolean) {
    this.child = spawn(DEBIAN_PYTHON, ["-u", "-c", SERVER, utf8 ? "1" : "0"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let buffered = "";
    this.child.stdout!.on("data", (b: Buffer) => {
      buffered += b.toString("latin1");
      for (let nl = buffered.indexOf("\n"); nl >= 0; nl = buffered.indexOf("\n")) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        const waiter = this.#waiters.shift();
        if (waiter) waiter(line);
        else this.#lines.push(line);
      }
    });
    this.child.stderr!.on("data", (b: Buffer) => {
      this.#stderr += b.toString();
    });
  }
  /** The next JSON line (fails after `ms` with the server's stderr). */
  next<T>(ms = 60_000): Promise<T> {
    const ready = this.#lines.shift();
    if (ready !== undefined) return Promise.resolve(JSON.parse(ready) as T);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no line from aiosmtpd in ${ms} ms: ${this.#stderr}`)),
        ms,
      );
      this.#waiters.push((line) => {
        clearTimeout(timer);
        resolve(JSON.parse(line) as T);
      });
    });
  }
  stop(): void {
    this.child.kill();
  }
}

const OPTS = { localHostname: "client.test", timeout: 30 };

/** netkit's send of one case: the error's name, or null. */
async function netkitSend(port: number, c: Case): Promise<string | null> {
  const msg = c.built
    ? built()
    : c.modern
      ? messageFromBytes(Buffer.from(c.data!, "utf8"), { policy: defaultPolicy, factory: EmailMessage })
      : messageFromBytes(Buffer.from(c.data!, "latin1"), { policy: compat32 });
  try {
    await using smtp = await SMTP.open("127.0.0.1", port, OPTS);
    const envelope: { fromAddr?: string; toAddrs?: string[] } = {};
    if (c.fromAddr !== undefined) envelope.fromAddr = c.fromAddr;
    if (c.toAddrs !== undefined) envelope.toAddrs = c.toAddrs;
    await smtp.sendMessage(msg, envelope);
    return null;
  } catch (e) {
    return (e as Error).name;
  }
}

describe("sendMessage() against python3's send_message, both to aiosmtpd", {
  skip: peerSkip("python3-aiosmtpd", HAS_AIOSMTPD) || peerSkip("python3", hasCommand(PYTHON)),
}, () => {
  let utf8: Server;
  let plain: Server;
  let utf8Port: number;
  let plainPort: number;
  before(async () => {
    utf8 = new Server(true);
    plain = new Server(false);
    utf8Port = (await utf8.next<{ port: number }>()).port;
    plainPort = (await plain.next<{ port: number }>()).port;
  });
  after(() => {
    utf8?.stop();
    plain?.stop();
  });

  for (const c of CASES) {
    test(`sendMessage() sends what python3 sends: ${c.name}`, async () => {
      const [pyError] = await python<(string | null)[]>(CLIENT, { port: utf8Port, cases: [c] });
      assert.equal(pyError !== null, c.fails === true, `python3: ${pyError}`);
      const pyGot = pyError === null ? await utf8.next<unknown>() : null;
      const nkError = await netkitSend(utf8Port, c);
      const nkGot = nkError === null ? await utf8.next<unknown>() : null;
      assert.deepEqual({ error: nkError, received: nkGot }, { error: pyError, received: pyGot });
    });
  }

  test("sendMessage() refuses a non-ASCII address when the server lacks SMTPUTF8, as python3", async () => {
    const c: Case = {
      name: "utf8",
      data: "From: ann@example.org\nTo: bob@example.org\n\nx\n",
      toAddrs: ["jösé@example.org"],
    };
    const [pyError] = await python<(string | null)[]>(CLIENT, { port: plainPort, cases: [c] });
    assert.equal(pyError, "SMTPNotSupportedError");
    assert.equal(await netkitSend(plainPort, c), "SMTPNotSupportedError");
  });

  test("sendMessage() leaves the Bcc header on the message it was given", async () => {
    const msg = messageFromBytes(Buffer.from("From: a@example.org\nBcc: b@example.org\n\nx\n"));
    await using smtp = await SMTP.open("127.0.0.1", utf8Port, OPTS);
    await smtp.sendMessage(msg);
    const got = await utf8.next<{ to: string[]; data: string }>();
    assert.deepEqual(got.to, ["b@example.org"]);
    assert.equal(got.data.includes("Bcc"), false);
    assert.equal(msg.get("bcc"), "b@example.org");
  });
});
