/**
 * Differential: netkit's socket conversion and look-up functions against
 * python3's on the same generated inputs. Outputs must be equal, and an input
 * that raises in one must raise the same class in the other.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import {
  AF_INET,
  AF_INET6,
  AI_CANONNAME,
  AI_NUMERICHOST,
  AI_PASSIVE,
  NI_NUMERICHOST,
  NI_NUMERICSERV,
  SOCK_DGRAM,
  SOCK_STREAM,
} from "../../src/socket/constants.js";
import { inet_aton, inet_ntop, inet_pton } from "../../src/socket/inet.js";
import {
  getaddrinfo,
  getfqdn,
  gethostbyaddr,
  gethostbyname,
  gethostbyname_ex,
  gethostname,
  getnameinfo,
  getservbyname,
  getservbyport,
} from "../../src/socket/names.js";
import { hasCommand, peerSkip } from "../_support/peers.js";
import { python } from "../_support/python.js";

const skip = peerSkip("python3", hasCommand("python3"));
const SEED = 20261125;

/** Runs one socket function over many inputs in python3: each result or the exception class. */
const PY_MAP = `
import json, socket, sys, base64
req = json.load(sys.stdin)
fn = req["fn"]
out = []
for arg in req["args"]:
    try:
        if fn == "inet_ntop6": r = socket.inet_ntop(socket.AF_INET6, bytes.fromhex(arg))
        elif fn == "inet_pton6": r = socket.inet_pton(socket.AF_INET6, arg).hex()
        elif fn == "inet_pton4": r = socket.inet_pton(socket.AF_INET, arg).hex()
        elif fn == "inet_aton": r = socket.inet_aton(arg).hex()
        out.append(["ok", r])
    except Exception as e:
        out.append(["err", type(e).__name__])
print(json.dumps(out))
`;

function local(fn: (arg: string) => string, args: string[]): Array<[string, string]> {
  return args.map((arg) => {
    try {
      return ["ok", fn(arg)];
    } catch (e) {
      return ["err", (e as Error).name];
    }
  });
}

async function compare(name: string, fn: (arg: string) => string, args: string[]): Promise<void> {
  const expected = await python<Array<[string, string]>>(PY_MAP, { fn: name, args });
  const got = local(fn, args);
  for (let i = 0; i < args.length; i++)
    assert.deepEqual(got[i], expected[i], `${name}(${JSON.stringify(args[i])})`);
}

describe("socket conversions agree with python3", { skip }, () => {
  test("inet_ntop(AF_INET6) on 3,000 addresses biased toward zero groups", async () => {
    const word = fc.oneof(
      { weight: 3, arbitrary: fc.constant(0) },
      { weight: 1, arbitrary: fc.constant(0xffff) },
      { weight: 2, arbitrary: fc.integer({ min: 0, max: 0xffff }) },
    );
    const args = fc
      .sample(fc.array(word, { minLength: 8, maxLength: 8 }), { numRuns: 3000, seed: SEED })
      .map((words) => {
        const b = Buffer.alloc(16);
        for (const [i, w] of words.entries()) b.writeUInt16BE(w, i * 2);
        return b.toString("hex");
      });
    await compare("inet_ntop6", (hex) => inet_ntop(AF_INET6, Buffer.from(hex, "hex")), args);
  });

  test("inet_pton(AF_INET6) on 3,000 valid and broken strings", async () => {
    const group = fc.oneof(
      fc.constant(""),
      fc.constant("0"),
      fc.constant("ffff"),
      fc.constant("1.2.3.4"),
      fc.constant("00000"),
      fc.constant("g"),
      fc.stringMatching(/^[0-9a-fA-F]{1,4}$/),
    );
    const args = fc.sample(
      fc.array(group, { minLength: 1, maxLength: 10 }).map((gs) => gs.join(":")),
      { numRuns: 3000, seed: SEED },
    );
    await compare("inet_pton6", (s) => inet_pton(AF_INET6, s).toString("hex"), args);
  });

  test("inet_pton(AF_INET) and inet_aton on 3,000 strings each (decimal, hex, octal, junk)", async () => {
    const part = fc.oneof(
      fc.nat({ max: 300 }).map(String),
      fc.constant("0x1f"),
      fc.constant("017"),
      fc.constant("08"),
      fc.constant("0x"),
      fc.constant(""),
      fc.constant("4294967295"),
      fc.constant("65536"),
      fc.constant("a"),
    );
    const args = fc.sample(
      fc
        .tuple(fc.array(part, { minLength: 1, maxLength: 5 }), fc.constantFrom("", " ", " junk", "\t1"))
        .map(([ps, tail]) => ps.join(".") + tail),
      { numRuns: 3000, seed: SEED },
    );
    await compare("inet_pton4", (s) => inet_pton(AF_INET, s).toString("hex"), args);
    await compare("inet_aton", (s) => inet_aton(s).toString("hex"), args);
  });
});

const PY_LOOKUPS = `
import json, socket, sys
def run(f):
    try:
        r = f()
        return ["ok", json.loads(json.dumps(r))]
    except Exception as e:
        return ["err", type(e).__name__]
cases = json.load(sys.stdin)
out = {}
out["gai"] = [run(lambda c=c: [[int(f), int(t), p, cn, list(sa)] for f, t, p, cn, sa in socket.getaddrinfo(*c)]) for c in cases["gai"]]
out["servbyname"] = [run(lambda c=c: socket.getservbyname(*c)) for c in cases["servbyname"]]
out["servbyport"] = [run(lambda c=c: socket.getservbyport(*c)) for c in cases["servbyport"]]
out["nameinfo"] = [run(lambda c=c: list(socket.getnameinfo(tuple(c[0]), c[1]))) for c in cases["nameinfo"]]
out["byname"] = [run(lambda h=h: socket.gethostbyname(h)) for h in cases["hosts"]]
out["byname_ex"] = [run(lambda h=h: list(socket.gethostbyname_ex(h))) for h in cases["hosts"]]
out["byaddr"] = [run(lambda h=h: list(socket.gethostbyaddr(h))) for h in cases["addrs"]]
out["fqdn"] = socket.getfqdn()
out["hostname"] = socket.gethostname()
print(json.dumps(out))
`;

async function run<T>(f: () => Promise<T> | T): Promise<[string, unknown]> {
  try {
    return ["ok", JSON.parse(JSON.stringify(await f()))];
  } catch (e) {
    return ["err", (e as Error).name];
  }
}

test("look-ups agree with python3: getaddrinfo, getnameinfo, services, host names", { skip }, async () => {
  const gai: Array<[string | null, number | string | null, number?, number?, number?, number?]> = [
    ["localhost", 80],
    ["127.0.0.1", "http", AF_INET, SOCK_STREAM],
    [null, 0, 0, 0, 0, AI_PASSIVE],
    [null, 80],
    ["::1", 22],
    ["localhost", "domain"],
    ["localhost", "nosuchservice"],
    ["localhost", null],
    ["localhost", 1, 0, 0, 0, AI_NUMERICHOST],
    ["localhost", 1, 0, 0, 0, AI_CANONNAME],
    ["::1", 1, AF_INET],
    ["127.0.0.1", 53, 0, SOCK_DGRAM],
    ["nonexistent.invalid", 80],
  ];
  const serviceLines = (await import("node:fs"))
    .readFileSync("/etc/services", "utf8")
    .split("\n")
    .filter((l) => /^\w/.test(l))
    .slice(0, 50);
  const servbyname: Array<[string, string?]> = serviceLines.map((l) => [l.split(/\s+/)[0]!]);
  servbyname.push(["nope"], ["http", "udp"], ["domain", "udp"]);
  const servbyport: Array<[number, string?]> = serviceLines.map((l) => [Number(/(\d+)\//.exec(l)![1])]);
  servbyport.push([1], [65000], [53, "udp"]);
  const nameinfo: Array<[[string, number] | [string, number, number, number], number]> = [
    [["127.0.0.1", 80], 0],
    [["127.0.0.1", 80], NI_NUMERICHOST | NI_NUMERICSERV],
    [["::1", 22, 0, 0], 0],
    [["127.0.0.1", 12345], 0],
    [["localhost", 80], 0],
  ];
  const hosts = [
    "localhost",
    "127.0.0.1",
    "127.1",
    "",
    "<broadcast>",
    "::1",
    gethostname(),
    "nonexistent.invalid",
  ];
  const addrs = ["127.0.0.1", "::1", "localhost"];
  const expected = await python<Record<string, unknown>>(PY_LOOKUPS, {
    gai,
    servbyname,
    servbyport,
    nameinfo,
    hosts,
    addrs,
  });

  assert.deepEqual(await Promise.all(gai.map((c) => run(() => getaddrinfo(...c)))), expected.gai);
  assert.deepEqual(
    await Promise.all(servbyname.map((c) => run(() => getservbyname(...c)))),
    expected.servbyname,
  );
  assert.deepEqual(
    await Promise.all(servbyport.map((c) => run(() => getservbyport(...c)))),
    expected.servbyport,
  );
  assert.deepEqual(
    await Promise.all(nameinfo.map(([sa, f]) => run(() => getnameinfo(sa, f)))),
    expected.nameinfo,
  );
  assert.deepEqual(await Promise.all(hosts.map((h) => run(() => gethostbyname(h)))), expected.byname);
  assert.deepEqual(await Promise.all(hosts.map((h) => run(() => gethostbyname_ex(h)))), expected.byname_ex);
  assert.deepEqual(await Promise.all(addrs.map((h) => run(() => gethostbyaddr(h)))), expected.byaddr);
  assert.equal(await getfqdn(), expected.fqdn);
  assert.equal(gethostname(), expected.hostname);
});
