/**
 * POP3 RETR: 1,000 messages of 10 KiB each (a tenth of their lines start
 * with a dot, so the server stuffs and the client unstuffs), retrieved one
 * RETR at a time over one connection from a private Debian Dovecot
 * (test/_support/dovecot.ts). Each session ends with RSET and QUIT, so
 * every run sees the same mailbox.
 *
 * | client | how |
 * | --- | --- |
 * | netkit | `POP3.retr(n)`, each message's octets checked |
 * | python3 | `poplib.POP3.retr(n)`, each message's octets checked |
 * | curl | one run over `pop3://host/[1-1000]` (one connection), less a run over one message |
 *
 * Clients run pinned to one core (Dovecot's processes run where the kernel
 * puts them); the order of the clients alternates between rounds, and each
 * keeps its best round. Goal (the mail access issue): netkit ahead of every
 * peer. Needs root and Dovecot (scripts/install-peers.sh); without them the
 * benchmark records nothing and says why.
 *
 *   npm run bench -- pop3-retr     (3 rounds)
 */
import { loadavg } from "node:os";
import { join } from "node:path";
import { HAS_DOVECOT, startDovecot } from "../test/_support/dovecot.js";
import { hasCommand } from "../test/_support/peers.js";
import {
  BUILT_PEERS,
  machine,
  mailMessage,
  PEERS,
  PYTHON,
  type Row,
  record,
  runCommandJson,
} from "./_lib.js";

const rounds = Number(process.argv[2] ?? 3);
const COUNT = 1000;
const SIZE = 10 * 1024;

type Command = [string, string[]];
const CLIENTS: Record<string, Command> = {
  netkit: [process.execPath, [join(BUILT_PEERS, "pop3-netkit-client.js")]],
  python3: [PYTHON, [join(PEERS, "pop3_client.py")]],
  curl: [process.execPath, [join(PEERS, "pop3-curl-client.mjs")]],
};
const LABEL: Record<string, string> = {
  netkit: "netkit poplib",
  python3: "python3 poplib",
  curl: "curl (pop3://)",
};

if (!HAS_DOVECOT) {
  console.log("  pop3-retr: skipped (needs root and Dovecot: bash scripts/install-peers.sh)");
} else {
  const started = Date.now();
  const loadAtStart = loadavg()[0]!;
  await using dc = await startDovecot();
  for (let i = 1; i <= COUNT; i++) dc.deliver("alice", mailMessage(i, SIZE, true));
  const clients = Object.keys(CLIENTS).filter((c) => c !== "curl" || hasCommand("curl"));
  const rows: Row[] = clients.map((client) => ({
    name: `${LABEL[client]}: one RETR per message`,
    value: 0,
    unit: "msg/s",
    netkit: client === "netkit",
  }));
  for (let round = 0; round < rounds; round++) {
    const order = clients.map((_, i) => i);
    if (round % 2 === 1) order.reverse();
    for (const i of order) {
      const client = clients[i]!;
      const [cmd, args] = CLIENTS[client]!;
      const r = await runCommandJson<{ rps: number; bytes?: number }>(
        cmd,
        [...args, String(dc.ports.pop3), "alice", dc.password("alice"), String(COUNT), String(SIZE)],
        1,
        300_000,
      );
      // curl writes each message as it came: check it wrote them all.
      if (r.bytes !== undefined && r.bytes < COUNT * SIZE) {
        throw new Error(`curl wrote ${r.bytes} bytes for ${COUNT} messages of ${SIZE}`);
      }
      console.log(`  round ${round + 1}: ${rows[i]!.name}: ${Math.round(r.rps)} msg/s`);
      rows[i]!.value = Math.max(rows[i]!.value, r.rps);
    }
  }
  const value = (client: string) => rows[clients.indexOf(client)]?.value ?? Number.NaN;
  const ours = value("netkit");
  const peers = clients.filter((c) => c !== "netkit");
  const ratios = peers.map((c) => `${(ours / value(c)).toFixed(2)}x ${LABEL[c]}`).join(", ");
  record({
    bench: "pop3-retr",
    title: "POP3: RETR of 1,000 × 10 KiB messages from Dovecot over one connection (higher is better)",
    better: "higher",
    command: "npm run bench -- pop3-retr",
    date: new Date().toISOString().slice(0, 10),
    machine: machine(),
    rows,
    goal: {
      text: `netkit ahead of every peer (measured ${ratios})`,
      met: peers.every((c) => ours > value(c)),
    },
    notes: [
      "The server is the same private Dovecot for every client (Maildir; each session ends with RSET and QUIT); its work is in every figure.",
      "curl's figure is one run over the 1,000 URLs (one connection) less a run over one URL, so its start and login are left out as the others' are.",
      `Best of ${rounds} rounds, the clients' order alternating between rounds; netkit and python3 check every message's octets.`,
      `Load average (1 min) at the start and end of the run: ${loadAtStart.toFixed(2)}, ${loadavg()[0]!.toFixed(2)} (2 cores; other work on the machine makes the numbers noisier).`,
    ],
  });
  console.log(`(${((Date.now() - started) / 1000).toFixed(1)} s)`);
}
