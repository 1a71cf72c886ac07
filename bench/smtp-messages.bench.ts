/**
 * SMTP messages per second: the same 10 KiB message (a tenth of its lines
 * start with a dot, so dot-stuffing is done) sent again and again, one at a
 * time, over one SMTP session; a send counts when the server's 250 for DATA
 * is in. Client and server in separate processes pinned to separate cores:
 *
 * | client | server |
 * | --- | --- |
 * | netkit `SMTP.sendmail` | netkit `SMTPServer` |
 * | python3 `smtplib.SMTP.sendmail` | python3 `smtpd.SMTPServer` |
 * | nodemailer (one pooled connection, raw message) | npm `smtp-server` |
 * | python3 smtplib | netkit `SMTPServer`, python3 smtpd, npm smtp-server (the servers fed by one client) |
 * | netkit smtplib | python3 smtpd (the client alone) |
 *
 * Two floors, raw node:net with no SMTP at all, over one connection: the
 * same message sent and a one-line answer read back (what one message's
 * bytes and one reply cost the transport), and 64-byte round trips through
 * an echo server (one round trip between two Node processes here). A message without PIPELINING costs four round trips (MAIL,
 * RCPT, DATA, the message); with it, two. Each server counts the messages
 * it took in, and the run checks it took in at least as many as its client
 * counted. Goals (the mail transport issue): netkit + netkit at least 3x the
 * faster of python3 + python3 and nodemailer + smtp-server; netkit's server
 * fed by python3's client ahead of every other server fed by it.
 *
 *   npm run bench -- smtp-messages     (4 s per pair after 1 s of warm-up, best of 3 rounds)
 */
import { writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import {
  BUILT_PEERS,
  machine,
  OUT_DIR,
  PEERS,
  PYTHON,
  type Row,
  record,
  runCommandJson,
  startPeer,
  stopAndReadCounts,
} from "./_lib.js";

const seconds = Number(process.argv[2] ?? 4);
const rounds = Number(process.argv[3] ?? 3);

/** The 10 KiB message every client sends: headers, 72-byte lines, every tenth starting with a dot. */
function message(size = 10 * 1024): Buffer {
  let text =
    "From: Sender <sender@example.test>\r\nTo: Rcpt <rcpt@example.test>\r\n" +
    "Subject: benchmark message\r\nMessage-ID: <bench@example.test>\r\n\r\n";
  for (let i = 0; text.length < size - 80; i++) {
    const line =
      `${String(i).padStart(4, "0")} ${"The quick brown fox jumps over the lazy dog. ".repeat(2)}`.slice(
        0,
        72,
      );
    text += `${i % 10 === 9 ? "." : ""}${line}\r\n`;
  }
  text += `${"x".repeat(size - text.length - 2)}\r\n`;
  return Buffer.from(text, "latin1");
}
const MESSAGE_FILE = join(OUT_DIR, "smtp-message.eml");
writeFileSync(MESSAGE_FILE, message());

type Command = [string, string[]];
const SERVERS: Record<string, Command> = {
  netkit: [process.execPath, [join(BUILT_PEERS, "smtp-netkit-server.js")]],
  python3: [PYTHON, [join(PEERS, "smtp_server.py")]],
  npm: [process.execPath, [join(PEERS, "smtp-npm-server.mjs")]],
  tcp: [process.execPath, [join(PEERS, "raw-echo.mjs")]],
  raw: [process.execPath, [join(PEERS, "raw-message-sink.mjs")]],
};
const CLIENTS: Record<string, Command> = {
  netkit: [process.execPath, [join(BUILT_PEERS, "smtp-netkit-client.js")]],
  python3: [PYTHON, [join(PEERS, "smtp_client.py")]],
  npm: [process.execPath, [join(PEERS, "smtp-npm-client.mjs")]],
  tcp: [process.execPath, [join(PEERS, "rr-client.mjs")]],
  raw: [process.execPath, [join(PEERS, "raw-message-client.mjs")]],
};
const CLIENT_LABEL: Record<string, string> = {
  netkit: "netkit smtplib",
  python3: "python3 smtplib",
  npm: "nodemailer",
};
const SERVER_LABEL: Record<string, string> = {
  netkit: "netkit smtpd",
  python3: "python3 smtpd",
  npm: "smtp-server",
};
const PAIRS: Array<[client: string, server: string]> = [
  ["netkit", "netkit"],
  ["python3", "python3"],
  ["npm", "npm"],
  ["python3", "netkit"],
  ["python3", "npm"],
  ["netkit", "python3"],
  ["raw", "raw"],
  ["tcp", "tcp"],
];

/** A client's arguments after its script. */
function clientArgs(name: string, port: number): string[] {
  if (name === "tcp") return [String(port), "1", String(seconds)];
  return [String(port), MESSAGE_FILE, String(seconds)];
}

const started = Date.now();
const loadAtStart = loadavg()[0]!;
const rows: Row[] = PAIRS.map(([c, s]) => ({
  name:
    c === "tcp"
      ? "floor: node:net 64-byte round trips, one connection"
      : c === "raw"
        ? "floor: node:net 10 KiB up, one line back (no SMTP)"
        : `${CLIENT_LABEL[c]} → ${SERVER_LABEL[s]}`,
  value: 0,
  unit: "msg/s",
  netkit: c === "netkit" || s === "netkit",
}));
rows[rows.length - 1]!.unit = "rt/s";
const connections: number[] = PAIRS.map(() => 0);
// Pairs take turns over several rounds and each keeps its best: a burst of
// load from elsewhere then hits every pair alike instead of one.
for (let round = 0; round < rounds; round++) {
  for (const [i, [c, s]] of PAIRS.entries()) {
    const [cmd, args] = SERVERS[s]!;
    const peer = await startPeer(`${s} server`, cmd, args, 0);
    let r: { rps: number; messages?: number };
    let received = Number.NaN;
    try {
      const [ccmd, cargs] = CLIENTS[c]!;
      r = await runCommandJson(ccmd, [...cargs, ...clientArgs(c, peer.port)], 1, (seconds + 60) * 1000);
    } finally {
      if (s === "tcp") await peer.stop();
      else {
        const counts = await stopAndReadCounts(peer);
        received = counts.MESSAGES ?? Number.NaN;
        connections[i] = Math.max(connections[i]!, counts.CONNECTIONS ?? 0);
      }
    }
    if (r.messages !== undefined && !(received >= r.messages)) {
      throw new Error(
        `${rows[i]!.name}: the client counted ${r.messages} messages, the server took in ${received}`,
      );
    }
    console.log(`  round ${round + 1}: ${rows[i]!.name}: ${Math.round(r.rps)} ${rows[i]!.unit}`);
    rows[i]!.value = Math.max(rows[i]!.value, r.rps);
  }
}

const value = (c: string, s: string) => rows[PAIRS.findIndex(([pc, ps]) => pc === c && ps === s)]!.value;
const ours = value("netkit", "netkit");
const python = value("python3", "python3");
const npm = value("npm", "npm");
const reference = Math.max(python, npm);
const ratio = ours / reference;
const fedNetkit = value("python3", "netkit");
const fedOthers = Math.max(value("python3", "python3"), value("python3", "npm"));
const floor = value("tcp", "tcp");
record({
  bench: "smtp-messages",
  title: "SMTP: sequential 10 KiB messages over one session (higher is better)",
  better: "higher",
  command: "npm run bench -- smtp-messages",
  date: new Date().toISOString().slice(0, 10),
  machine: machine(),
  rows,
  goal: {
    text:
      `netkit smtplib + smtpd at least 3x the faster of python3 + python3 and nodemailer + smtp-server ` +
      `(measured ${ratio.toFixed(2)}x ${python >= npm ? "python3" : "nodemailer + smtp-server"}); ` +
      `netkit's server fed by python3's smtplib ahead of every other server fed by it (measured ${(fedNetkit / fedOthers).toFixed(2)}x the best other)`,
    met: ratio >= 3 && fedNetkit > fedOthers,
  },
  notes: [
    `netkit + netkit: ${(ours / python).toFixed(2)}x python3 + python3, ${(ours / npm).toFixed(2)}x nodemailer + smtp-server.`,
    `Fed by python3's smtplib: netkit smtpd ${fedNetkit.toFixed(0)} msg/s, python3 smtpd ${value("python3", "python3").toFixed(0)}, smtp-server ${value("python3", "npm").toFixed(0)}.`,
    `The floor: ${floor.toFixed(0)} bare round trips a second between two Node processes; a message costs at least two (with PIPELINING) or four (without), so ${(floor / 2).toFixed(0)} and ${(floor / 4).toFixed(0)} msg/s are the ceilings before any SMTP work.`,
    `The message floor: raw node:net sending the same message and reading a one-line answer, ${value("raw", "raw").toFixed(0)} a second, is what one message's bytes and one reply cost the transport, before SMTP's other round trip (MAIL, RCPT and DATA, pipelined).`,
    `Sessions each server accepted per run (1 = one session for every message): ${PAIRS.filter(
      ([c]) => c !== "tcp" && c !== "raw",
    )
      .map(([c, s], i) => `${CLIENT_LABEL[c]} → ${SERVER_LABEL[s]} ${connections[i]}`)
      .join(", ")}.`,
    `${seconds} s per pair after 1 s of warm-up, best of ${rounds} rounds; every server counts what it took in.`,
    `Load average (1 min) at the start and end of the run: ${loadAtStart.toFixed(2)}, ${loadavg()[0]!.toFixed(2)} (2 cores; other work on the machine makes the numbers noisier).`,
  ],
});
console.log(`(${((Date.now() - started) / 1000).toFixed(1)} s)`);
