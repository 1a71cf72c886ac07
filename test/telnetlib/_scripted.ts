/**
 * A scripted Telnet server and two clients that play the same operations
 * against it: python3's telnetlib and netkit's. Each connection names its
 * case first (`#k\n`); the server sends the case's first step at once and
 * each later step when the client writes `<<NEXT>>`; it records every byte
 * the client sent (option refusals included), so both clients' bytes can be
 * compared too. Every step is one write, so after a wait for readable a
 * step (under 64 KiB, on loopback) is there whole.
 */
import { createServer, type Socket as NetSocket, type Server } from "node:net";
import { EOFError } from "../../src/errors/index.js";
import { Telnet } from "../../src/telnetlib/index.js";
import { python } from "../_support/python.js";

/** One server step: bytes (hex) to send, then maybe close; or nothing (a stall). */
export interface Step {
  send?: string;
  close?: boolean;
}

/** One client operation, as JSON both clients read. */
export type Op =
  | ["next"]
  | ["wait"]
  | ["write", string]
  | ["read_until", string, number | null]
  | ["expect", string[], number | null]
  | [
      | "read_all"
      | "read_some"
      | "read_very_eager"
      | "read_eager"
      | "read_lazy"
      | "read_very_lazy"
      | "read_sb_data",
    ];

/** A case: the server's steps, the client's operations, and whether the client sets an option callback. */
export interface Case {
  name: string;
  steps: Step[];
  ops: Op[];
  callback?: boolean;
}

/** Per operation: its result (hex; `[index, hex]` for expect), or the exception's name. */
export type OpResult = { ok: string | [number, string] | null } | { err: string };

/** What a client run gives: the results, the callback's log, and what the server received. */
export interface RunResult {
  ops: OpResult[];
  log: (number[] | string)[];
  received: string;
}

export const NEXT = "<<NEXT>>";

/** Starts the scripted server for `cases`; `received[k]` collects what case k's client sent after `#k\n`. */
export async function scriptedServer(cases: Case[]): Promise<ScriptedServer> {
  const received: Buffer[] = cases.map(() => Buffer.alloc(0));
  const sockets = new Set<NetSocket>();
  let closed = 0;
  const waiters: (() => void)[] = [];
  const server = createServer((sock) => {
    sockets.add(sock);
    sock.on("close", () => {
      sockets.delete(sock);
      closed++;
      for (const w of waiters.splice(0)) w();
    });
    sock.on("error", () => {});
    let head = Buffer.alloc(0);
    let k = -1;
    let sent = 0;
    const play = () => {
      const c = cases[k]!;
      const tokens = received[k]!.toString("latin1").split(NEXT).length - 1;
      while (sent < c.steps.length && sent <= tokens) {
        const step = c.steps[sent++]!;
        const data = Buffer.from(step.send ?? "", "hex");
        if (step.close) sock.end(data);
        else if (data.length > 0) sock.write(data);
      }
    };
    sock.on("data", (chunk: Buffer) => {
      if (k < 0) {
        head = Buffer.concat([head, chunk]);
        const nl = head.indexOf(10);
        if (nl < 0) return;
        k = Number(head.subarray(1, nl).toString());
        received[k] = head.subarray(nl + 1);
      } else received[k] = Buffer.concat([received[k]!, chunk]);
      play();
    });
  });
  server.on("close", () => {
    for (const s of sockets) s.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const closedAll = (n: number): Promise<void> =>
    new Promise((resolve) => {
      const check = () => (closed >= n ? resolve() : waiters.push(check));
      check();
    });
  return { server, port: (server.address() as { port: number }).port, received, closedAll };
}

/** The running scripted server. */
export interface ScriptedServer {
  server: Server;
  port: number;
  /** What each case's client sent after its `#k` line. */
  received: Buffer[];
  /** Resolves once `n` connections have closed (so `received` is complete). */
  closedAll(n: number): Promise<void>;
}

const PY_CLIENT = String.raw`
import json, re, select, sys, warnings
warnings.simplefilter("ignore")
import telnetlib
inp = json.load(sys.stdin)
results = []
for k, case in enumerate(inp["cases"]):
    tn = telnetlib.Telnet("127.0.0.1", inp["port"], 30)
    tn.write(b"#%d\n" % k)
    log = []
    if case.get("callback"):
        def cb(sock, cmd, opt, tn=tn, log=log):
            log.append([cmd[0], opt[0]])
            if cmd == telnetlib.SE:
                log.append(tn.read_sb_data().hex())
        tn.set_option_negotiation_callback(cb)
    out = []
    for op in case["ops"]:
        name = op[0]
        try:
            r = None
            if name == "next":
                tn.write(b"<<NEXT>>")
                select.select([tn], [], [], 30)
            elif name == "wait":
                select.select([tn], [], [], 30)
            elif name == "write":
                tn.write(bytes.fromhex(op[1]))
            elif name == "read_until":
                r = tn.read_until(bytes.fromhex(op[1]), op[2]).hex()
            elif name == "expect":
                i, m, text = tn.expect([re.compile(p.encode("latin1")) for p in op[1]], op[2])
                r = [i, text.hex()]
            else:
                r = getattr(tn, name)().hex()
            out.append({"ok": r})
        except EOFError:
            out.append({"err": "EOFError"})
    tn.close()
    results.append({"ops": out, "log": log})
print(json.dumps(results))
`;

/** Plays every case with python3's telnetlib against the server on `port`. */
export function runPython(port: number, cases: Case[]): Promise<Omit<RunResult, "received">[]> {
  return python(PY_CLIENT, { port, cases }, 120_000);
}

/** Plays one operation with netkit's Telnet. */
async function runOp(tn: Telnet, op: Op): Promise<OpResult> {
  try {
    switch (op[0]) {
      case "next":
        await tn.write(Buffer.from(NEXT));
        await tn.waitReadable(30);
        return { ok: null };
      case "wait":
        await tn.waitReadable(30);
        return { ok: null };
      case "write":
        await tn.write(Buffer.from(op[1], "hex"));
        return { ok: null };
      case "read_until":
        return { ok: (await tn.readUntil(Buffer.from(op[1], "hex"), op[2])).toString("hex") };
      case "expect": {
        const patterns = op[1].map((p) => new RegExp(p));
        const [i, , text] = await tn.expect(patterns, op[2]);
        return { ok: [i, text.toString("hex")] };
      }
      case "read_all":
        return { ok: (await tn.readAll()).toString("hex") };
      case "read_some":
        return { ok: (await tn.readSome()).toString("hex") };
      case "read_very_eager":
        return { ok: (await tn.readVeryEager()).toString("hex") };
      case "read_eager":
        return { ok: (await tn.readEager()).toString("hex") };
      case "read_lazy":
        return { ok: (await tn.readLazy()).toString("hex") };
      case "read_very_lazy":
        return { ok: tn.readVeryLazy().toString("hex") };
      case "read_sb_data":
        return { ok: tn.readSbData().toString("hex") };
    }
  } catch (err) {
    if (err instanceof EOFError) return { err: "EOFError" };
    throw err;
  }
}

/** Plays every case with netkit's Telnet against the server on `port`, one after the other. */
export async function runNetkit(port: number, cases: Case[]): Promise<Omit<RunResult, "received">[]> {
  const results: Omit<RunResult, "received">[] = [];
  for (const [k, c] of cases.entries()) {
    await using tn = await Telnet.open("127.0.0.1", port, { timeout: 30 });
    await tn.write(Buffer.from(`#${k}\n`));
    const log: (number[] | string)[] = [];
    if (c.callback)
      tn.setOptionNegotiationCallback((_sock, cmd, opt) => {
        log.push([cmd[0]!, opt[0]!]);
        if (cmd[0] === 240) log.push(tn.readSbData().toString("hex"));
      });
    const ops: OpResult[] = [];
    for (const op of c.ops) ops.push(await runOp(tn, op));
    results.push({ ops, log });
  }
  return results;
}
