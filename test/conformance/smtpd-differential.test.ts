/**
 * Differential: the same command transcripts sent to python3's
 * smtpd.SMTPServer (a recording subclass, on asyncore in a thread) and to
 * netkit's SMTPServer give the same replies, word for word, and
 * processMessage sees the same arguments (each server answers with them).
 * Masked: the host name and version in the greeting and after 250 of
 * HELO/EHLO, and EHLO's PIPELINING line (netkit's addition). What netkit
 * does differently on purpose is tested in test/smtpd/channel.test.ts.
 */
import assert from "node:assert/strict";
import { after, test } from "node:test";
import { pyRepr } from "../../src/_pyrepr.js";
import {
  type MessageData,
  type ProcessMessageOptions,
  SMTPServer,
  type SMTPServerOptions,
} from "../../src/smtpd/index.js";
import type { Address } from "../../src/socket/address.js";
import { hasCommand, peerSkip } from "../_support/peers.js";
import { python } from "../_support/python.js";

const skip = peerSkip("python3", hasCommand("python3"));

/** Answers with what it received, as the Python side does. */
class Echoing extends SMTPServer {
  override processMessage(
    _peer: Address | null,
    mailfrom: string,
    rcpttos: string[],
    data: MessageData,
    options: ProcessMessageOptions,
  ): string {
    const hex = Buffer.isBuffer(data) ? data.toString("hex") : Buffer.from(data, "utf-8").toString("hex");
    const kwargs = options.mailOptions
      ? pyRepr({ mail_options: options.mailOptions, rcpt_options: options.rcptOptions })
      : "{}";
    const hx = (t: string) => Buffer.from(t, "utf-8").toString("hex");
    return `250 got ${hx(mailfrom)}|${rcpttos.map(hx).join(",")}|${hex}|${kwargs}`;
  }
}

const servers: SMTPServer[] = [];
after(async () => {
  for (const s of servers) {
    await s.shutdown();
    await s.serverClose();
  }
});

const HELO = "HELO client.example";
const EHLO = "EHLO client.example";
const MSG = ["MAIL FROM:<a@b.example>", "RCPT TO:<c@d.example>", "DATA"];

/** Each transcript: the bytes to send, one reply read after each (`\r\n` added unless the step ends with it). */
const TRANSCRIPTS: { config: "default" | "smtputf8" | "decode"; steps: string[] }[] = [
  {
    config: "default",
    steps: ["HELO", HELO, "HELO again", "EHLO again", "NOOP", "NOOP x", "RSET", "RSET x", "QUIT"],
  },
  { config: "default", steps: ["EHLO", EHLO, EHLO, "QUIT"] },
  { config: "default", steps: ["MAIL FROM:<a@b>", "RCPT TO:<a@b>", "DATA", "VRFY a@b", "EXPN x", "NOOP"] },
  {
    config: "default",
    steps: [
      HELO,
      "MAIL",
      "MAIL FROM:",
      "MAIL TO:<a@b>",
      "MAIL FROM:<a@b> SIZE=10",
      "MAIL from:<a@b>",
      "MAIL FROM:<a@b>",
      "RSET",
      "MAIL FROM:<>",
      "RSET",
      "MAIL FROM: a@b",
      "RSET",
      "MAIL FROM:<@r1,@r2:a@b.c>",
      "RSET",
      'MAIL FROM:<"x y"@b.c>',
      "RSET",
      "MAIL FROM:<a@[10.0.0.1]>",
    ],
  },
  {
    config: "default",
    steps: [
      EHLO,
      "MAIL FROM:<a@b> SIZE=10",
      "RSET",
      "MAIL FROM:<a@b> SIZE=abc",
      "MAIL FROM:<a@b> SIZE=99999999999",
      "MAIL FROM:<a@b> BODY=8BITMIME",
      "RSET",
      "MAIL FROM:<a@b> BODY=7BIT",
      "RSET",
      "MAIL FROM:<a@b> body=binarymime",
      "MAIL FROM:<a@b> SMTPUTF8",
      "MAIL FROM:<a@b> FOO=bar",
      "MAIL FROM:<a@b> FOO=",
      "MAIL FROM:<a@b> =x",
      "MAIL FROM:<a@b>  BODY=8BITMIME   SIZE=5 ",
      "MAIL FROM:<c@d>",
    ],
  },
  {
    config: "default",
    steps: [
      EHLO,
      "RCPT TO:<a@b>",
      "MAIL FROM:<a@b>",
      "RCPT",
      "RCPT TO:",
      "RCPT FROM:<a@b>",
      "RCPT TO:<c@d> NOTIFY=NEVER",
      "RCPT TO:<c@d> X=",
      "RCPT TO: c@d",
      "DATA x",
      "RCPT TO:<e@f>",
      "DATA",
      "Subject: t\r\n\r\nline one\r\n..dotted\r\n.single dot\r\n.\r\n..\r\n\r\n.\r\n",
      "DATA",
      ...MSG,
      "\r\n.\r\n",
    ],
  },
  {
    config: "default",
    steps: [HELO, "MAIL FROM:<a@b> SIZE=1", "RCPT TO:<a@b> X=Y", ...MSG.slice(1), "x\r\n.\r\n"],
  },
  {
    config: "default",
    steps: [
      "HELP",
      "HELP mail",
      "HELP RCPT",
      EHLO,
      "HELP mail",
      "HELP rcpt",
      "HELP data",
      "HELP EHLO",
      "HELP helo",
      "HELP rset",
      "HELP noop",
      "HELP quit",
      "HELP vrfy",
      "HELP foo",
    ],
  },
  {
    config: "default",
    steps: [
      "VRFY",
      "VRFY <a@b>",
      "VRFY someone",
      "VRFY <>",
      "EXPN",
      "FOO",
      "foo bar",
      "",
      `NOOP ${"x".repeat(600)}`,
      `NOOP ${"x".repeat(507)}`,
      `NOOP ${"x".repeat(508)}`,
      EHLO,
      `MAIL FROM:<${"a".repeat(520)}@b>`,
      "RSET",
      `NOOP ${"x".repeat(520)}`,
      `MAIL FROM:<${"a".repeat(540)}@b>`,
    ],
  },
  {
    config: "smtputf8",
    steps: [
      EHLO,
      "MAIL FROM:<a@b> SMTPUTF8=x",
      "MAIL FROM:<a@b> SMTPUTF8",
      "RCPT TO:<ü@b>",
      "DATA",
      "h\u00e9\r\n.\r\n",
      "MAIL FROM:<a@b> BODY=8BITMIME",
      `NOOP ${"x".repeat(530)}`,
    ],
  },
  {
    config: "decode",
    steps: [EHLO, "MAIL FROM:<a@b> BODY=8BITMIME", ...MSG, "Subject: d\r\n\r\nt\u00e9xt\r\n.\r\n"],
  },
];

const CONFIGS: Record<string, SMTPServerOptions> = {
  default: {},
  smtputf8: { enableSMTPUTF8: true },
  decode: { decodeData: true },
};

const SCRIPT = String.raw`
import asyncore, json, smtpd, socket, sys, threading, warnings
warnings.simplefilter("ignore")
cfg = json.load(sys.stdin)
out = sys.stdout
sys.stdout = sys.stderr  # asyncore prints its tracebacks to stdout

class Echoing(smtpd.SMTPServer):
    def process_message(self, peer, mailfrom, rcpttos, data, **kwargs):
        raw = data.encode("utf-8") if isinstance(data, str) else data
        hx = lambda t: t.encode("utf-8").hex()
        return "250 got %s|%s|%s|%s" % (hx(mailfrom), ",".join(map(hx, rcpttos)), raw.hex(), kwargs)

configs = {"default": {}, "smtputf8": {"enable_SMTPUTF8": True}, "decode": {"decode_data": True}}
py_ports = {}
for name, kw in configs.items():
    s = Echoing(("127.0.0.1", 0), None, **kw)
    py_ports[name] = s.socket.getsockname()[1]
threading.Thread(target=asyncore.loop, kwargs={"timeout": 0.05}, daemon=True).start()

def read_reply(f):
    lines = []
    while True:
        line = f.readline()
        if not line:
            lines.append("<closed>")
            return "\n".join(lines)
        line = line.decode("utf-8", "replace").rstrip("\r\n")
        lines.append(line)
        if line[3:4] != "-":
            return "\n".join(lines)

def run(port, steps):
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    f = sock.makefile("rb")
    out = [read_reply(f)]
    for step in steps:
        data = step if step.endswith("\r\n") else step + "\r\n"
        try:
            sock.sendall(data.encode("utf-8"))
            out.append(read_reply(f))
        except OSError as e:
            out.append("<%s>" % type(e).__name__)
            break
    sock.close()
    return out

results = []
for t in cfg["transcripts"]:
    results.append({"python": run(py_ports[t["config"]], t["steps"]),
                     "netkit": run(cfg["ports"][t["config"]], t["steps"])})
out.write(json.dumps({"results": results, "fqdn": socket.getfqdn()}))
`;

/** The reply with the host name, the greeting's version and EHLO's PIPELINING masked. */
function mask(reply: string, fqdn: string, first: boolean): string {
  let r = reply.split(fqdn).join("<fqdn>");
  if (first) r = r.replace(/^220 <fqdn> .*$/, "220 <fqdn> <version>");
  return r
    .split("\n")
    .filter((l) => l.slice(4) !== "PIPELINING")
    .join("\n");
}

test("SMTPServer answers every transcript as python3's smtpd.SMTPServer does", { skip }, async () => {
  const ports: Record<string, number> = {};
  for (const [name, options] of Object.entries(CONFIGS)) {
    const server = new Echoing(["127.0.0.1", 0], null, options);
    servers.push(server);
    await server.ready;
    void server.serveForever(0.05);
    ports[name] = server.serverAddress[1];
  }
  const netkitFqdn = await servers[0]!.fqdn;
  const out = await python<{ results: { python: string[]; netkit: string[] }[]; fqdn: string }>(SCRIPT, {
    transcripts: TRANSCRIPTS,
    ports,
  });
  const failures: string[] = [];
  out.results.forEach((r, i) => {
    const t = TRANSCRIPTS[i]!;
    const py = r.python.map((x, j) => mask(x, out.fqdn, j === 0));
    const nk = r.netkit.map((x, j) => mask(x, netkitFqdn, j === 0));
    for (let j = 0; j < Math.max(py.length, nk.length); j++) {
      if (py[j] !== nk[j]) {
        const sent = j === 0 ? "(greeting)" : JSON.stringify(t.steps[j - 1]).slice(0, 120);
        failures.push(
          `[${t.config}] ${sent}\n  python: ${JSON.stringify(py[j])}\n  netkit: ${JSON.stringify(nk[j])}`,
        );
      }
    }
  });
  assert.deepEqual(failures, []);
});
