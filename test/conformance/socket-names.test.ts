/**
 * Differential: netkit/socket's conversion and look-up functions against
 * python3's `socket` module (3.11, glibc) on the same inputs, one batched
 * python3 call per group. Results must be equal; where python3 raises,
 * netkit must raise the same class with the same message.
 *
 * The last group replaces /etc/hosts, /etc/services, /etc/protocols and
 * /etc/nsswitch.conf with scripted contents in a private mount namespace
 * (`unshare -rm`) and runs both sides there, so nss_files' parsing and
 * host.conf's `multi` are compared on tables this machine does not have.
 * It is skipped where user namespaces are not allowed.
 *
 * These tests read /etc/services and /etc/protocols (Debian package
 * `netbase`) and /etc/hosts.
 */
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import {
  AF_INET,
  AF_INET6,
  AF_UNSPEC,
  AI_ADDRCONFIG,
  AI_ALL,
  AI_CANONNAME,
  AI_NUMERICHOST,
  AI_NUMERICSERV,
  AI_PASSIVE,
  AI_V4MAPPED,
  NI_DGRAM,
  NI_NAMEREQD,
  NI_NOFQDN,
  NI_NUMERICHOST,
  NI_NUMERICSERV,
  SOCK_DGRAM,
  SOCK_RAW,
  SOCK_STREAM,
} from "../../src/socket/constants.js";
import { inet_aton, inet_ntop, inet_pton } from "../../src/socket/inet.js";
import * as names from "../../src/socket/names.js";
import { hasCommand, peerSkip } from "../_support/peers.js";
import { PYTHON, python } from "../_support/python.js";

const skip = peerSkip("python3", hasCommand("python3"));
const SEED = 20261125;

type Outcome = ["ok", unknown] | ["err", string, string];

/** Runs one conversion over many inputs in python3: each result, or the exception's class and text. */
const PY_CONVERT = `
import json, socket, sys
req = json.load(sys.stdin)
fn = req["fn"]
out = []
for arg in req["args"]:
    try:
        if fn == "inet_ntop6": r = socket.inet_ntop(socket.AF_INET6, bytes.fromhex(arg))
        elif fn == "inet_ntop4": r = socket.inet_ntop(socket.AF_INET, bytes.fromhex(arg))
        elif fn == "inet_pton6": r = socket.inet_pton(socket.AF_INET6, arg).hex()
        elif fn == "inet_pton4": r = socket.inet_pton(socket.AF_INET, arg).hex()
        elif fn == "inet_aton": r = socket.inet_aton(arg).hex()
        out.append(["ok", r])
    except Exception as e:
        out.append(["err", type(e).__name__, str(e)])
print(json.dumps(out))
`;

function outcome(fn: () => unknown): Outcome {
  try {
    return ["ok", fn()];
  } catch (e) {
    return ["err", (e as Error).name, (e as Error).message];
  }
}

async function compareConversion(name: string, fn: (arg: string) => string, args: string[]): Promise<void> {
  const expected = await python<Outcome[]>(PY_CONVERT, { fn: name, args });
  assert.equal(expected.length, args.length);
  for (const [i, arg] of args.entries()) {
    assert.deepEqual(
      outcome(() => fn(arg)),
      expected[i],
      `${name}(${JSON.stringify(arg)})`,
    );
  }
}

/** 16-bit words biased toward 0 (and 0xffff), so every `::` rule and the IPv4 forms come up. */
const word = fc.oneof(
  { weight: 5, arbitrary: fc.constant(0) },
  { weight: 1, arbitrary: fc.constant(0xffff) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 0xff }) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 0xffff }) },
);
const words8 = fc.array(word, { minLength: 8, maxLength: 8 });
const packWords = (words: number[]) => {
  const b = Buffer.alloc(16);
  for (const [i, w] of words.entries()) b.writeUInt16BE(w, i * 2);
  return b;
};

/** IPv6 text, valid or broken: groups with random padding and case, any zero run as "::", maybe a dotted tail, maybe damaged. */
const ipv6Text = fc
  .record({
    words: words8,
    // Zero padding to 1-4 digits is valid; 5 digits is not.
    pad: fc.array(fc.oneof({ weight: 19, arbitrary: fc.integer({ min: 0, max: 4 }) }, fc.constant(5)), {
      minLength: 8,
      maxLength: 8,
    }),
    upper: fc.boolean(),
    compress: fc.option(fc.tuple(fc.nat({ max: 7 }), fc.integer({ min: 1, max: 8 }))),
    dotted: fc.boolean(),
    // Damaged text one time in four.
    damage: fc.oneof(
      { weight: 3, arbitrary: fc.constant(null) },
      {
        weight: 1,
        arbitrary: fc.tuple(
          fc.nat({ max: 40 }),
          fc.constantFrom("delete", "double", ":", ".", "0", "g", "%", " ", "::"),
        ),
      },
    ),
  })
  .map(({ words, pad, upper, compress, dotted, damage }) => {
    let groups = words.map((w, i) => w.toString(16).padStart(Math.min(pad[i]!, 5), "0"));
    if (dotted) {
      const b = packWords(words);
      groups = [...groups.slice(0, 6), `${b[12]}.${b[13]}.${b[14]}.${b[15]}`];
    }
    let text = groups.join(":");
    if (compress) {
      const [start, length] = compress;
      const end = Math.min(start + length, groups.length);
      text = `${groups.slice(0, start).join(":")}::${groups.slice(end).join(":")}`;
    }
    if (upper) text = text.toUpperCase();
    if (damage) {
      const [at, how] = damage;
      const i = at % (text.length + 1);
      if (how === "delete") text = text.slice(0, i) + text.slice(i + 1);
      else if (how === "double") text = text.slice(0, i) + text.slice(i, i + 1) + text.slice(i);
      else text = text.slice(0, i) + how + text.slice(i);
    }
    return text;
  });

/** Dotted IPv4 text in the classic and broken forms: decimal, hex, octal, wide parts, junk, tails. */
const part = fc.oneof(
  { weight: 6, arbitrary: fc.nat({ max: 300 }).map(String) },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      "0x1f",
      "0X7F",
      "0x",
      "0xg",
      "0xffffffff",
      "0x100000000",
      "017",
      "0377",
      "0400",
      "08",
      "00",
      "4294967295",
      "4294967296",
      "65535",
      "65536",
      "16777215",
      "16777216",
      "99999999999999999999",
    ),
  },
  { weight: 1, arbitrary: fc.constantFrom("", "a", "-1", "+1", " 1", "1 ", "٣") },
);
const ipv4Text = fc
  .tuple(
    fc.array(part, { minLength: 1, maxLength: 5 }),
    fc.constantFrom("", "", "", " ", " junk", "\t1", "x", "\n", "é", "."),
  )
  .map(([parts, tail]) => parts.join(".") + tail);

describe("conversions agree with python3", { skip }, () => {
  test("inet_ntop(AF_INET6) on 3,000 addresses biased toward zero groups", async () => {
    const args = fc.sample(words8, { numRuns: 3000, seed: SEED }).map((w) => packWords(w).toString("hex"));
    await compareConversion("inet_ntop6", (hex) => inet_ntop(AF_INET6, Buffer.from(hex, "hex")), args);
  });

  test("inet_ntop(AF_INET) on 500 addresses", async () => {
    const args = fc
      .sample(fc.uint8Array({ minLength: 4, maxLength: 4 }), { numRuns: 500, seed: SEED })
      .map((b) => Buffer.from(b).toString("hex"));
    await compareConversion("inet_ntop4", (hex) => inet_ntop(AF_INET, Buffer.from(hex, "hex")), args);
  });

  test("inet_pton(AF_INET6) on 4,000 valid and broken strings", async () => {
    const loose = fc
      .array(
        fc.oneof(
          fc.constantFrom(
            "",
            "0",
            "00000",
            "ffff",
            "FFFF",
            "1.2.3.4",
            "01.2.3.4",
            "256.1.1.1",
            "g",
            "%lo",
            " ",
          ),
          fc.stringMatching(/^[0-9a-fA-F]{1,4}$/),
        ),
        { minLength: 1, maxLength: 10 },
      )
      .map((groups) => groups.join(":"));
    const args = [
      ...fc.sample(ipv6Text, { numRuns: 3000, seed: SEED }),
      ...fc.sample(loose, { numRuns: 1000, seed: SEED }),
    ];
    const valid = args.filter((a) => outcome(() => inet_pton(AF_INET6, a))[0] === "ok").length;
    // Both kinds must be well represented for the comparison to mean something.
    assert.ok(valid > 1000 && valid < 3000, `valid: ${valid}`);
    await compareConversion("inet_pton6", (s) => inet_pton(AF_INET6, s).toString("hex"), args);
  });

  test("inet_pton(AF_INET) and inet_aton() on 3,000 strings each (numbers, dots, hex, octal, junk)", async () => {
    const args = [
      ...fc.sample(ipv4Text, { numRuns: 2500, seed: SEED }),
      ...fc
        .sample(fc.integer({ min: 0, max: 2 ** 33 }), { numRuns: 500, seed: SEED })
        .map((n) => (n % 3 === 0 ? String(n) : n % 3 === 1 ? `0x${n.toString(16)}` : `0${n.toString(8)}`)),
    ];
    await compareConversion("inet_pton4", (s) => inet_pton(AF_INET, s).toString("hex"), args);
    await compareConversion("inet_aton", (s) => inet_aton(s).toString("hex"), args);
  });
});

/** Runs socket functions in python3: each call's result as JSON, or the exception's class and text. */
const PY_CALLS = `
import json, socket, sys
def plain(x):
    if isinstance(x, (list, tuple)): return [plain(v) for v in x]
    if isinstance(x, bool) or x is None or isinstance(x, str): return x
    if isinstance(x, int): return int(x)
    return x
out = []
for fn, args in json.load(sys.stdin):
    if fn == "getnameinfo": args = [tuple(args[0])] + args[1:]
    try:
        out.append(["ok", plain(getattr(socket, fn)(*args))])
    except Exception as e:
        out.append(["err", type(e).__name__, str(e)])
print(json.dumps(out))
`;

type Call = [fn: string, args: unknown[]];

/** The same calls on netkit's side; arguments are copied so both sides see equal values. */
async function runCalls(calls: Call[]): Promise<Outcome[]> {
  const out: Outcome[] = [];
  for (const [fn, args] of calls) {
    try {
      const f = (names as unknown as Record<string, (...a: unknown[]) => unknown>)[fn]!;
      out.push(["ok", JSON.parse(JSON.stringify(await f(...structuredClone(args))))]);
    } catch (e) {
      out.push(["err", (e as Error).name, (e as Error).message]);
    }
  }
  return out;
}

function assertSame(calls: Call[], got: Outcome[], expected: Outcome[]): void {
  assert.equal(expected.length, calls.length);
  for (const [i, call] of calls.entries()) assert.deepEqual(got[i], expected[i], JSON.stringify(call));
}

/** The services listed in /etc/services, evenly picked. */
function someServices(count: number): Array<{ name: string; port: number; proto: string }> {
  const all = names
    ._parseServices(existsSync("/etc/services") ? readFileSync("/etc/services", "utf8") : "")
    .filter((s) => s.proto === "tcp" || s.proto === "udp");
  const step = Math.max(1, Math.floor(all.length / count));
  return all.filter((_, i) => i % step === 0).slice(0, count);
}

describe("look-ups agree with python3", { skip }, () => {
  test("getaddrinfo() on the four base cases with every family and type, and on flags, protocols and services", async () => {
    const calls: Call[] = [];
    const bases: Array<[string | null, number | string, number]> = [
      ["localhost", 80, 0],
      ["127.0.0.1", "http", 0],
      [null, 0, AI_PASSIVE],
      [null, 0, 0],
      ["::1", 22, 0],
    ];
    for (const [host, port, flags] of bases) {
      for (const family of [AF_UNSPEC, AF_INET, AF_INET6]) {
        for (const type of [0, SOCK_STREAM, SOCK_DGRAM, SOCK_RAW]) {
          calls.push(["getaddrinfo", [host, port, family, type, 0, flags]]);
        }
      }
    }
    const hosts = [
      "localhost",
      "LOCALHOST",
      names.gethostname(),
      "127.1",
      "0x7f.1",
      "017700000001",
      "4294967295",
      "1.2.3.4 ",
      "::ffff:127.0.0.1",
      "fe80::1%lo",
      "fe80::1%1",
      "::1%5",
      "::1%lo",
      "[::1]",
      "*",
      "",
      "localhost.",
      "a..b",
      "a".repeat(63),
      "bücher.invalid",
      "nonexistent.invalid",
    ];
    for (const host of hosts) calls.push(["getaddrinfo", [host, 80, 0, SOCK_STREAM]]);
    for (const flags of [
      AI_CANONNAME,
      AI_NUMERICHOST,
      AI_NUMERICSERV,
      AI_ADDRCONFIG,
      AI_V4MAPPED,
      AI_V4MAPPED | AI_ALL,
      AI_PASSIVE | AI_CANONNAME,
      0x40,
      0x80 | AI_CANONNAME,
      0x300,
      0x800,
      -1,
    ]) {
      for (const host of ["localhost", "127.0.0.1", "::1", null]) {
        for (const family of [AF_UNSPEC, AF_INET6])
          calls.push(["getaddrinfo", [host, "80", family, 0, 0, flags]]);
      }
    }
    for (const [type, proto] of [
      [0, 6],
      [0, 17],
      [0, 132],
      [0, 136],
      [0, 33],
      [0, 99],
      [SOCK_STREAM, 17],
      [SOCK_DGRAM, 6],
      [SOCK_RAW, 99],
      [5, 0],
      [6, 0],
      [99, 0],
      [0, -1],
    ]) {
      for (const port of [80, null, "http", "domain"])
        calls.push(["getaddrinfo", ["127.0.0.1", port, 0, type, proto]]);
    }
    for (const port of [
      "domain",
      "www",
      "HTTP",
      "echo",
      "amqp",
      "nosuchservice",
      "",
      "*",
      " 80",
      "+80",
      "-80",
      "80 ",
      "0x50",
      "65536",
      "99999999999",
      "4294967295",
      "http\0x",
      -1,
      70000,
      2 ** 31,
      2 ** 32 + 1,
      -(2 ** 32) + 1,
      1.5,
    ]) {
      calls.push(["getaddrinfo", ["127.0.0.1", port]]);
    }
    calls.push(
      ["getaddrinfo", [null, null]],
      ["getaddrinfo", [null, ""]],
      ["getaddrinfo", ["127.0.0.1", 80, 99]],
    );
    const expected = await python<Outcome[]>(PY_CALLS, calls);
    assertSame(calls, await runCalls(calls), expected);
  });

  test("getnameinfo() on addresses, ports, scopes and flags", async () => {
    const calls: Call[] = [];
    const sockaddrs: unknown[] = [
      ["127.0.0.1", 80],
      ["127.0.0.1", 53],
      ["127.0.0.1", 12345],
      ["127.0.0.1", 0],
      ["127.0.0.1", 70000],
      ["127.0.0.1", -1],
      ["127.1", 22],
      ["0x7f.1", 22],
      ["10.9.8.7", 80],
      ["::1", 80],
      ["::1", 80, 0, 0],
      ["::1", 80, 1, 2],
      ["fe80::1", 80, 0, 1],
      ["fe80::1", 80, 0, 99],
      ["ff02::1", 80, 0, 1],
      ["2001:db8::1", 80, 0, 1],
      ["fe80::1%lo", 80],
      ["::ffff:127.0.0.1", 80],
      ["::", 80],
      ["::1", 80, 2 ** 20],
      ["::1", 80, 2 ** 20 - 1],
      ["127.0.0.1", 80, 0, 0],
      ["localhost", 80],
      ["", 80],
      ["*", 80],
      ["127.0.0.1"],
    ];
    for (const sockaddr of sockaddrs) {
      for (const flags of [
        0,
        NI_NUMERICHOST,
        NI_NUMERICSERV,
        NI_NUMERICHOST | NI_NUMERICSERV,
        NI_NAMEREQD,
        NI_DGRAM,
        NI_NOFQDN,
        0x20,
        0x100,
      ]) {
        calls.push(["getnameinfo", [sockaddr, flags]]);
      }
    }
    const expected = await python<Outcome[]>(PY_CALLS, calls);
    assertSame(calls, await runCalls(calls), expected);
  });

  test("getservbyname(), getservbyport() and getprotobyname() on 50 services from /etc/services and unknown ones", async () => {
    const services = someServices(50);
    assert.ok(services.length >= 50, "/etc/services lists fewer than 50 services");
    const calls: Call[] = [];
    for (const s of services) {
      calls.push(
        ["getservbyname", [s.name]],
        ["getservbyname", [s.name, s.proto]],
        ["getservbyname", [s.name, s.proto === "tcp" ? "udp" : "tcp"]],
        ["getservbyport", [s.port]],
        ["getservbyport", [s.port, s.proto]],
      );
    }
    for (const args of [
      ["nosuchservice"],
      ["HTTP"],
      ["www"],
      ["http", ""],
      ["http", "sctp"],
      ["amqp", "sctp"],
      ["http\0"],
    ]) {
      calls.push(["getservbyname", args]);
    }
    for (const args of [
      [1],
      [65000],
      [0],
      [-1],
      [65536],
      [2 ** 31],
      [1.5],
      [53, "udp"],
      [80, "udp"],
      [4, "ddp"],
    ]) {
      calls.push(["getservbyport", args]);
    }
    const protocols = names._parseProtocols(
      existsSync("/etc/protocols") ? readFileSync("/etc/protocols", "utf8") : "",
    );
    for (const p of protocols)
      calls.push(["getprotobyname", [p.name]], ...p.aliases.map((a): Call => ["getprotobyname", [a]]));
    for (const name of ["nope", "Tcp", "", "tcp\0"]) calls.push(["getprotobyname", [name]]);
    const expected = await python<Outcome[]>(PY_CALLS, calls);
    assertSame(calls, await runCalls(calls), expected);
  });

  test("gethostbyname(), gethostbyname_ex(), gethostbyaddr(), getfqdn() and gethostname() on this host", async () => {
    const own = names.gethostname();
    const hosts = [
      "localhost",
      "LOCALHOST",
      own,
      "127.0.0.1",
      "127.1",
      "017.0.0.1",
      "0x7f.1",
      "0.0.0.0",
      "255.255.255.255",
      "",
      "::1",
      "localhost.",
      "127.0.0.1.",
      "nonexistent.invalid",
      "a b",
      "a..b",
      "localhost\0x",
      "bücher",
    ];
    const calls: Call[] = [
      ["gethostname", []],
      ["getfqdn", []],
    ];
    for (const host of hosts) {
      calls.push(["gethostbyname", [host]], ["gethostbyname_ex", [host]], ["getfqdn", [host]]);
    }
    // gethostbyaddr("") and of unnamed literals: Python's herror there depends on a stale h_errno, so not compared.
    for (const host of [
      "127.0.0.1",
      "localhost",
      own,
      "127.1",
      "0x7f.1",
      "nonexistent.invalid",
      "",
      "a..b",
    ]) {
      calls.push(["gethostbyaddr", [host]]);
    }
    calls.push(["getfqdn", ["  localhost\t"]], ["getfqdn", ["\ufefflocalhost"]], ["getfqdn", ["::"]]);
    const expected = await python<Outcome[]>(PY_CALLS, calls);
    assertSame(calls, await runCalls(calls), expected);
  });
});

// ---------------------------------------------------------------------------
// Scripted /etc tables in a private mount namespace
// ---------------------------------------------------------------------------

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const NAMES = fileURLToPath(new URL("../../src/socket/names.ts", import.meta.url));
const TABLES = ["/etc/hosts", "/etc/services", "/etc/protocols", "/etc/nsswitch.conf", "/etc/resolv.conf"];
const isolationSkip =
  skip ||
  (spawnSync("unshare", ["-rm", "true"], { stdio: "ignore", timeout: 60_000 }).status !== 0
    ? "user namespaces (unshare -rm) are not available"
    : TABLES.every(existsSync)
      ? false
      : `one of ${TABLES.join(", ")} is missing`);

/** Runs `argv` with /etc files replaced by bind mounts; JSON in on stdin, JSON out. */
function isolated(
  files: Record<string, string>,
  env: Record<string, string>,
  argv: string[],
  input: unknown,
): Promise<Outcome[]> {
  const dir = mkdtempSync(join(tmpdir(), "netkit-conformance-"));
  const mounts = Object.entries(files).map(([target, content], i) => {
    writeFileSync(join(dir, `file${i}`), content);
    return `mount --bind '${join(dir, `file${i}`)}' '${target}'`;
  });
  writeFileSync(
    join(dir, "run.mts"),
    `import * as names from ${JSON.stringify(NAMES)};
import { readFileSync } from "node:fs";
const out = [];
for (const [fn, args] of JSON.parse(readFileSync(0, "utf8"))) {
  try { out.push(["ok", JSON.parse(JSON.stringify(await names[fn](...args)))]); }
  catch (e) { out.push(["err", e.name, e.message]); }
}
console.log(JSON.stringify(out));`,
  );
  const command = argv.map((a) => (a === "{script}" ? join(dir, "run.mts") : a));
  return new Promise((resolve, reject) => {
    const child = spawn(
      "unshare",
      ["-rm", "sh", "-c", `${mounts.join(" && ")} && exec "$@"`, "sh", ...command],
      {
        cwd: ROOT,
        env: { ...process.env, ...env },
        stdio: ["pipe", "pipe", "pipe"],
      },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (b: Buffer) => (stdout += b));
    child.stderr.on("data", (b: Buffer) => (stderr += b));
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.on("close", (code) => {
      clearTimeout(timer);
      rmSync(dir, { recursive: true, force: true });
      if (code !== 0) reject(new Error(`${command[0]} exited ${code}: ${stderr}`));
      else resolve(JSON.parse(stdout) as Outcome[]);
    });
    child.stdin.end(JSON.stringify(input));
  });
}

const SCRIPTED_HOSTS = `# scripted hosts table
127.0.0.1 localhost
10.0.0.5 Foo.example.com foo FOO2 # trailing comment
::1 ip6-localhost ip6-loopback
10.0.0.6 foo.example.com other
::ffff:10.0.0.7 mapped
fe80::1%eth0 scoped
  10.0.0.8\tbar   baz
#10.0.0.9 commented
bad line
10.0.0.10
10.0.0.11 dup dup
10.0.0.12 dup
fd00::12 dup v6only
10.0.0.13 xn--bcher-kva
10.0.0.14 host.sub.example.org host
`;

const SCRIPTED_SERVICES = `# scripted services
http\t80/tcp   www   # web
http 80/udp
hex 0x50/udp
oct 010/tcp
slashes 7//tcp alias
big 65617/tcp
noproto 9/
noslash 10 tcp
lonely
  indented 11/tcp
dup 12/tcp
dup 13/tcp
Mixed 14/tcp mixed
sctponly 15/sctp
negative -5/tcp
plus +16/tcp
wide 4294967295/tcp
huge 99999999999/tcp
spaced  18 /tcp
`;

const SCRIPTED_PROTOCOLS = `ip 0 IP # internet
tcp\t6\tTCP
udp 17 UDP
bad x BAD
hexy 0x6
neg -1 NEG
plus +6 PLUS
wrap 4294967295
over 2147483648
huge 99999999999
`;

describe("nss_files tables agree with python3 in a private namespace", { skip: isolationSkip }, () => {
  const files = {
    "/etc/hosts": SCRIPTED_HOSTS,
    "/etc/services": SCRIPTED_SERVICES,
    "/etc/protocols": SCRIPTED_PROTOCOLS,
    // Only the files: no name server is asked, so both sides answer from the tables alone.
    "/etc/nsswitch.conf": "hosts: files\nservices: files\nprotocols: files\n",
    "/etc/resolv.conf": "nameserver 127.0.0.1\n",
  };
  const hostNames = [
    "localhost",
    "foo",
    "FOO",
    "foo2",
    "Foo.example.com",
    "foo.example.com",
    "other",
    "ip6-localhost",
    "ip6-loopback",
    "mapped",
    "scoped",
    "bar",
    "baz",
    "commented",
    "dup",
    "v6only",
    "bücher",
    "host",
    "nothere",
  ];
  const calls: Call[] = [];
  for (const host of hostNames) {
    calls.push(["gethostbyname", [host]], ["gethostbyname_ex", [host]], ["getfqdn", [host]]);
    for (const [family, flags] of [
      [AF_UNSPEC, AI_CANONNAME],
      [AF_INET, AI_CANONNAME],
      [AF_INET6, AI_CANONNAME],
      [AF_INET6, AI_CANONNAME | AI_V4MAPPED],
      [AF_INET6, AI_CANONNAME | AI_V4MAPPED | AI_ALL],
    ]) {
      calls.push(["getaddrinfo", [host, 80, family, SOCK_STREAM, 0, flags]]);
    }
  }
  for (const address of [
    "10.0.0.5",
    "10.0.0.6",
    "127.0.0.1",
    "::1",
    "10.0.0.7",
    "::ffff:10.0.0.7",
    "10.0.0.8",
    "10.0.0.10",
    "10.0.0.11",
    "fd00::12",
    "fe80::1",
    "10.0.0.99",
    "foo",
    "dup",
  ]) {
    calls.push(["gethostbyaddr", [address]]);
    calls.push(["getnameinfo", [[address, 80], 0]], ["getnameinfo", [[address, 80], NI_NAMEREQD]]);
  }
  calls.push(["getnameinfo", [["10.0.0.14", 80], NI_NOFQDN]]);
  for (const name of [
    "http",
    "www",
    "hex",
    "oct",
    "slashes",
    "alias",
    "big",
    "noproto",
    "noslash",
    "lonely",
    "indented",
    "dup",
    "Mixed",
    "mixed",
    "MIXED",
    "sctponly",
  ]) {
    calls.push(["getservbyname", [name]], ["getservbyname", [name, "tcp"]], ["getservbyname", [name, "udp"]]);
    calls.push(["getaddrinfo", ["127.0.0.1", name]]);
  }
  for (const port of [80, 8, 7, 81, 9, 11, 12, 13, 14, 15, 10, 16, 65535, 65531, 18]) {
    calls.push(["getservbyport", [port]], ["getservbyport", [port, "tcp"]], ["getservbyport", [port, "udp"]]);
  }
  for (const name of [
    "ip",
    "IP",
    "tcp",
    "TCP",
    "udp",
    "bad",
    "BAD",
    "hexy",
    "neg",
    "NEG",
    "plus",
    "wrap",
    "over",
    "huge",
    "nope",
  ]) {
    calls.push(["getprotobyname", [name]]);
  }

  for (const multi of ["on", "off"]) {
    test(`hosts, services and protocols tables with host.conf multi ${multi}`, async () => {
      const env = { RESOLV_MULTI: multi };
      const [expected, got] = await Promise.all([
        isolated(files, env, [PYTHON, "-c", PY_CALLS], calls),
        isolated(files, env, [process.execPath, "--import", "tsx", "{script}"], calls),
      ]);
      assertSame(calls, got, expected);
    });
  }
});
