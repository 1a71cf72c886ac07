/**
 * netkit/asynchat: the terminator splitter against python3's asynchat (same
 * chunks in, same collect/found events out), a property test over any
 * chunking, the bound on a terminator never found, and the output queue.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import {
  async_chat,
  find_prefix_at_end,
  type Producer,
  simple_producer,
  type Terminator,
  TerminatorNotFoundError,
} from "../../src/asynchat/index.js";
import { loop, type SocketMap } from "../../src/asyncore/index.js";
import { ValueError } from "../../src/errors/index.js";
import { python } from "../_support/python.js";
import { socketPair } from "./_pair.js";

/** A terminator as JSON: `{ bytes: hex }`, `{ int: n }` or null. */
type TermJson = { bytes: string } | { int: number } | null;
type Event = ["c", string] | ["f"];
interface Case {
  chunks: string[];
  /** The first terminator, then one for each foundTerminator (while they last). */
  plan: TermJson[];
}
interface Outcome {
  events: Event[];
  terminator: TermJson;
  buffer: string;
}

function toTerm(t: TermJson): Buffer | number | null {
  if (t === null) return null;
  return "bytes" in t ? Buffer.from(t.bytes, "hex") : t.int;
}

function fromTerm(t: Terminator): TermJson {
  if (t === null) return null;
  return typeof t === "number" ? { int: t } : { bytes: t.toString("hex") };
}

/** An async_chat with no socket: `recv` hands out the case's chunks, events are recorded. */
class Recorder extends async_chat {
  readonly events: Event[] = [];
  readonly #chunks: Buffer[];
  readonly #plan: TermJson[];
  constructor(c: Case) {
    super();
    this.#chunks = c.chunks.map((h) => Buffer.from(h, "hex"));
    this.#plan = [...c.plan];
    this.setTerminator(toTerm(this.#plan.shift() ?? null));
  }
  override recv(_size: number): Buffer {
    return this.#chunks.shift()!;
  }
  override collectIncomingData(data: Buffer): void {
    this.events.push(["c", data.toString("hex")]);
  }
  override foundTerminator(): void {
    this.events.push(["f"]);
    if (this.#plan.length > 0) this.setTerminator(toTerm(this.#plan.shift()!));
  }
}

function runNetkit(c: Case): Outcome {
  const chat = new Recorder(c);
  for (let i = 0; i < c.chunks.length; i++) chat.handleRead();
  return {
    events: chat.events,
    terminator: fromTerm(chat.getTerminator()),
    buffer: chat.acInBuffer.toString("hex"),
  };
}

const PYTHON_CHAT = `
import json, sys, warnings
warnings.simplefilter("ignore")
import asynchat

def term(t):
    if t is None: return None
    return bytes.fromhex(t["bytes"]) if "bytes" in t else t["int"]

def unterm(t):
    if t is None: return None
    return {"int": t} if isinstance(t, int) else {"bytes": t.hex()}

class Recorder(asynchat.async_chat):
    def __init__(self, case):
        asynchat.async_chat.__init__(self)
        self.chunks = [bytes.fromhex(h) for h in case["chunks"]]
        self.plan = list(case["plan"])
        self.events = []
        self.set_terminator(term(self.plan.pop(0) if self.plan else None))
    def recv(self, n):
        return self.chunks.pop(0)
    def collect_incoming_data(self, data):
        self.events.append(["c", data.hex()])
    def found_terminator(self):
        self.events.append(["f"])
        if self.plan:
            self.set_terminator(term(self.plan.pop(0)))

data = json.load(sys.stdin)
out = {"cases": [], "prefix": []}
for case in data["cases"]:
    r = Recorder(case)
    for _ in range(len(case["chunks"])):
        r.handle_read()
    out["cases"].append({"events": r.events, "terminator": unterm(r.get_terminator()), "buffer": r.ac_in_buffer.hex()})
for hay, needle in data["prefix"]:
    out["prefix"].append(asynchat.find_prefix_at_end(bytes.fromhex(hay), bytes.fromhex(needle)))
print(json.dumps(out))
`;

const hex = (s: string): string => Buffer.from(s, "latin1").toString("hex");
const CRLF = { bytes: hex("\r\n") };

/** The cases named in the issue, then random ones. */
const NAMED: [string, Case][] = [
  ["terminator split across reads", { chunks: [hex("hello\r"), hex("\nworld\r\n")], plan: [CRLF] }],
  [
    "terminator split over three reads",
    { chunks: [hex("ab\r"), hex("\n"), hex("\r"), hex("\ncd")], plan: [CRLF] },
  ],
  ["several records in one read", { chunks: [hex("a\r\nbb\r\n\r\nccc")], plan: [CRLF] }],
  [
    "numeric terminator across reads",
    { chunks: [hex("abc"), hex("defgh"), hex("ij")], plan: [{ int: 5 }, { int: 2 }] },
  ],
  ["numeric terminator then line mode", { chunks: [hex("12345line\r\nrest")], plan: [{ int: 5 }, CRLF] }],
  [
    "numeric terminator left at 0 collects everything after",
    { chunks: [hex("abcdef"), hex("gh")], plan: [{ int: 3 }] },
  ],
  ["null terminator collects everything", { chunks: [hex("abc\r\n"), hex("def")], plan: [null] }],
  ["empty bytes terminator collects everything", { chunks: [hex("abc\r\n")], plan: [{ bytes: "" }] }],
  [
    "prefix at end waits for more",
    { chunks: [hex("data\r\n."), hex("\r"), hex("\n")], plan: [{ bytes: hex("\r\n.\r\n") }] },
  ],
  ["only a prefix in the buffer", { chunks: [hex("\r"), hex("\r"), hex("\n")], plan: [CRLF] }],
  ["terminator at the start of a read", { chunks: [hex("\r\nx\r\n")], plan: [CRLF] }],
  [
    "terminator switched inside foundTerminator",
    { chunks: [hex("HEAD\r\n\r\nbody!")], plan: [CRLF, CRLF, { int: 5 }] },
  ],
  [
    "long terminator",
    {
      chunks: [hex("xx--bou"), hex("ndary--yy--boundary-"), hex("-")],
      plan: [{ bytes: hex("--boundary--") }],
    },
  ],
];

const termArb: fc.Arbitrary<TermJson> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.constantFrom("\r\n", "\n", "ab", "aab", "\r\n.\r\n", "a").map((s) => ({ bytes: hex(s) })),
  },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 9 }).map((n) => ({ int: n })) },
  { weight: 1, arbitrary: fc.constant(null) },
);
const caseArb: fc.Arbitrary<Case> = fc.record({
  chunks: fc.array(
    fc
      .array(fc.constantFrom("a", "b", "\r", "\n", ".", "x"), { minLength: 1, maxLength: 12 })
      .map((cs) => hex(cs.join(""))),
    { minLength: 1, maxLength: 8 },
  ),
  plan: fc.array(termArb, { minLength: 1, maxLength: 5 }),
});

test("async_chat.handleRead() splits like python3's asynchat: named cases, 400 random ones, find_prefix_at_end", async () => {
  const random = fc.sample(caseArb, { numRuns: 400, seed: 20261207 });
  const cases = [...NAMED.map(([, c]) => c), ...random];
  const prefix: [string, string][] = [
    [hex("qwerty\r"), hex("\r\n")],
    [hex("qwertydkjf"), hex("\r\n")],
    [hex("abc\r\n."), hex("\r\n.\r\n")],
    [hex("x"), hex("xyz")],
    [hex(""), hex("ab")],
    [hex("ab"), hex("")],
    [hex("aaa"), hex("aab")],
  ];
  const py = await python<{ cases: Outcome[]; prefix: number[] }>(PYTHON_CHAT, { cases, prefix });
  for (const [i, c] of cases.entries()) {
    const name = i < NAMED.length ? NAMED[i]![0] : `random case ${i - NAMED.length}`;
    const ours = runNetkit(c);
    assert.deepEqual(
      ours,
      py.cases[i],
      `${name}: ${JSON.stringify(c)}\npython: ${JSON.stringify(py.cases[i])}\nnetkit: ${JSON.stringify(ours)}`,
    );
  }
  for (const [i, [hay, needle]] of prefix.entries()) {
    const ours = find_prefix_at_end(Buffer.from(hay, "hex"), Buffer.from(needle, "hex"));
    assert.equal(
      ours,
      py.prefix[i],
      `find_prefix_at_end(${hay}, ${needle}) / python: ${py.prefix[i]} / netkit: ${ours}`,
    );
  }
});

test("async_chat splits any chunking of a stream into the records a whole-stream split gives", () => {
  fc.assert(
    fc.property(
      fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a.map((b) => b % 4))),
      fc.uint8Array({ minLength: 1, maxLength: 3 }).map((a) => Buffer.from(a.map((b) => b % 4))),
      fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 10 }),
      (input, term, sizes) => {
        const expected: string[] = [];
        let from = 0;
        // Bounded: each turn moves `from` past a terminator.
        for (let at = input.indexOf(term, from); at !== -1; at = input.indexOf(term, from)) {
          expected.push(input.subarray(from, at).toString("hex"));
          from = at + term.length;
        }
        const chunks: string[] = [];
        for (let i = 0, k = 0; i < input.length; k++) {
          const n = sizes[k % sizes.length]!;
          chunks.push(input.subarray(i, i + n).toString("hex"));
          i += n;
        }
        const { events, buffer } = runNetkit({ chunks, plan: [{ bytes: term.toString("hex") }] });
        const records: string[] = [];
        let current = "";
        for (const e of events) {
          if (e[0] === "f") {
            records.push(current);
            current = "";
          } else current += e[1];
        }
        assert.deepEqual(records, expected);
        assert.equal(current + buffer, input.subarray(from).toString("hex"));
      },
    ),
    { numRuns: 500, seed: 20261208 },
  );
});

test("async_chat.setTerminator() refuses a negative count and a string without useEncoding; encodes one with it", () => {
  const chat = new async_chat();
  assert.throws(() => chat.setTerminator(-1), ValueError);
  assert.throws(() => chat.setTerminator("\r\n"), { name: "TypeError", code: "ERR_INVALID_ARG_TYPE" });
  chat.useEncoding = true;
  chat.setTerminator("é\n");
  assert.deepEqual(chat.getTerminator(), Buffer.from([0xe9, 0x0a]));
  assert.throws(() => chat.push("text" as unknown as Buffer), { name: "TypeError" });
});

test("async_chat.handleRead() throws TerminatorNotFoundError past acMaxTerminatorSearch", () => {
  const chat = new Recorder({ chunks: [hex("x".repeat(60)), hex("x".repeat(60))], plan: [CRLF] });
  chat.acMaxTerminatorSearch = 100;
  chat.handleRead();
  assert.throws(
    () => chat.handleRead(),
    (err: unknown) => {
      assert.ok(err instanceof TerminatorNotFoundError);
      assert.equal(err.code, "ERR_TERMINATOR_NOT_FOUND");
      assert.equal(err.limit, 100);
      return true;
    },
  );
});

test("async_chat.handleRead() resets the search bound at each terminator found", () => {
  const line = `${"x".repeat(90)}\r\n`;
  const chat = new Recorder({ chunks: [hex(line), hex(line), hex(line)], plan: [CRLF] });
  chat.acMaxTerminatorSearch = 100;
  for (let i = 0; i < 3; i++) chat.handleRead();
  assert.equal(chat.events.filter((e) => e[0] === "f").length, 3);
});

test("simple_producer.more() gives pieces of bufferSize, then empty bytes", () => {
  const p = new simple_producer(Buffer.from("abcdefghij"), 4);
  assert.deepEqual([p.more(), p.more(), p.more(), p.more()].map(String), ["abcd", "efgh", "ij", ""]);
});

test("async_chat sends pushes and producers in order, in acOutBufferSize pieces, and closeWhenDone closes after them", async () => {
  const map: SocketMap = new Map();
  const [conn, peer] = await socketPair();
  const sizes: number[] = [];
  class Sender extends async_chat {
    override acOutBufferSize = 10;
    override send(data: Uint8Array): number {
      sizes.push(data.length);
      return super.send(data);
    }
  }
  const chat = new Sender(conn, map);
  chat.push(Buffer.from("0123456789abcdefghijklmnopqrstuvwxyz"));
  let calls = 0;
  const producer: Producer = {
    more: () => (++calls <= 3 ? Buffer.from(`<${calls}>`) : Buffer.alloc(0)),
  };
  chat.pushWithProducer(producer);
  chat.pushWithProducer(new simple_producer(Buffer.from("tail"), 2));
  chat.closeWhenDone();
  const received: Buffer[] = [];
  const reading = (async () => {
    // Bounded: the peer closes after the last byte.
    for (let i = 0; i < 1000; i++) {
      const data = await peer.recv(1000);
      if (data.length === 0) return;
      received.push(data);
    }
  })();
  await loop({ timeout: 5, map, count: 1000 });
  await reading;
  peer.close();
  assert.equal(Buffer.concat(received).toString(), "0123456789abcdefghijklmnopqrstuvwxyz<1><2><3>tail");
  assert.ok(
    sizes.every((n) => n <= 10),
    String(sizes),
  );
  assert.equal(map.size, 0);
});

test("async_chat closes the channel when the peer sends more than acMaxTerminatorSearch without a terminator", async () => {
  const map: SocketMap = new Map();
  const [conn, peer] = await socketPair();
  const logs: string[] = [];
  class Lines extends async_chat {
    override acMaxTerminatorSearch = 10_000;
    override collectIncomingData(data: Buffer): void {
      this._collectIncomingData(data);
    }
    override foundTerminator(): void {}
    override logInfo(message: string, type?: string): void {
      logs.push(`${type}: ${message}`);
    }
  }
  const chat = new Lines(conn, map);
  chat.setTerminator(Buffer.from("\n"));
  await peer.sendall(Buffer.alloc(50_000, 0x78));
  await loop({ timeout: 5, map, count: 1000 });
  assert.equal(map.size, 0);
  assert.match(
    logs[0] ?? "",
    /TerminatorNotFoundError:Cannot find terminator "\\n": more than 10000 bytes came without it/,
  );
  assert.ok(Buffer.concat(chat.incoming).length <= 10_000 + 65536);
  assert.equal((await peer.recv(10)).length, 0, "the channel closed the connection");
  peer.close();
});

test("async_chat.initiateSend() encodes a producer's strings with encoding when useEncoding is on, and refuses them when off", async () => {
  const map: SocketMap = new Map();
  const [conn, peer] = await socketPair();
  const chat = new async_chat(conn, map);
  chat.useEncoding = true;
  chat.encoding = "utf-8";
  let n = 0;
  chat.pushWithProducer({ more: () => (n++ === 0 ? "é€" : "") });
  chat.closeWhenDone();
  await loop({ timeout: 5, map, count: 100 });
  assert.deepEqual(await peer.recv(100), Buffer.from("é€"));
  peer.close();
  const off = new async_chat();
  off.connected = true;
  off.producerFifo.push("text");
  assert.throws(() => off.initiateSend(), { name: "TypeError", code: "ERR_INVALID_ARG_TYPE" });
});
