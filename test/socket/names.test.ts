/**
 * Unit tests for netkit/socket's look-ups and errors (src/socket/names.ts,
 * src/socket/errors.ts): argument and flag checks, getaddrinfo's service
 * and socket-type table on numeric hosts, the nss_files parsers on
 * synthetic tables, and the DNS source against a scripted name server in a
 * private mount namespace (skipped where `unshare -rm` is not allowed).
 * Expected values are python3's on Debian 12 (glibc 2.36).
 */
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { createSocket, type Socket as UdpSocket } from "node:dgram";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { OSError, OverflowError, TimeoutError, UnicodeError, ValueError } from "../../src/errors/index.js";
import {
  AF_INET,
  AF_INET6,
  AF_UNIX,
  AF_UNSPEC,
  AI_CANONNAME,
  AI_NUMERICHOST,
  AI_NUMERICSERV,
  AI_PASSIVE,
  AI_V4MAPPED,
  NI_DGRAM,
  NI_NAMEREQD,
  NI_NUMERICHOST,
  NI_NUMERICSERV,
  SOCK_DGRAM,
  SOCK_RAW,
  SOCK_STREAM,
} from "../../src/socket/constants.js";
import { gaierror, gaierrorFromNode, herror, timeout } from "../../src/socket/errors.js";
import {
  _hostsByAddr,
  _hostsByName,
  _parseProtocols,
  _parseServices,
  getaddrinfo,
  getfqdn,
  gethostbyaddr,
  gethostbyname,
  gethostname,
  getnameinfo,
  getprotobyname,
  getservbyname,
  getservbyport,
  has_ipv6,
} from "../../src/socket/names.js";

/** Asserts that `promise` rejects with `Class` and exactly `message`. */
async function rejectsWith(
  promise: Promise<unknown>,
  Class: new (...args: never[]) => Error,
  message: string,
): Promise<void> {
  await assert.rejects(promise, (e: unknown) => {
    assert.ok(e instanceof Class, `expected ${Class.name}, got ${String(e)}`);
    assert.equal((e as Error).message, message);
    return true;
  });
}

const gai = (errno: number, text: string) => [gaierror, `[Errno ${errno}] ${text}`] as const;
const EAI_BADFLAGS = gai(-1, "Bad value for ai_flags");
const EAI_NONAME = gai(-2, "Name or service not known");
const EAI_FAMILY = gai(-6, "ai_family not supported");
const EAI_SOCKTYPE = gai(-7, "ai_socktype not supported");
const EAI_SERVICE = gai(-8, "Servname not supported for ai_socktype");
const EAI_ADDRFAMILY = gai(-9, "Address family for hostname not supported");

describe("errors", () => {
  test("gaierror() carries glibc's EAI code, text and name", () => {
    const e = new gaierror(-2);
    assert.ok(e instanceof OSError);
    assert.equal(e.errno, -2);
    assert.equal(e.strerror, "Name or service not known");
    assert.equal(e.code, "EAI_NONAME");
    assert.equal(e.name, "gaierror");
    assert.equal(String(e), "gaierror: [Errno -2] Name or service not known");
    assert.equal(new gaierror(-11).message, "[Errno -11] System error");
    assert.equal(new gaierror(-11).code, "EAI_SYSTEM");
    assert.equal(new gaierror(-105).code, "EAI_IDN_ENCODE");
    assert.equal(new gaierror(-99).message, "[Errno -99] Unknown error");
    assert.equal(new gaierror(-99).code, "ERR_GAIERROR");
    assert.equal(new gaierror(-3, "custom").message, "[Errno -3] custom");
  });

  test("herror() carries h_errno, hstrerror's text and the h_errno name", () => {
    const table: Array<[number, string, string]> = [
      [1, "Unknown host", "HOST_NOT_FOUND"],
      [2, "Host name lookup failure", "TRY_AGAIN"],
      [3, "Unknown server error", "NO_RECOVERY"],
      [4, "No address associated with name", "NO_DATA"],
      [0, "Resolver Error 0 (no error)", "NETDB_SUCCESS"],
    ];
    for (const [errno, text, code] of table) {
      const e = new herror(errno);
      assert.ok(e instanceof OSError);
      assert.equal(e.message, `[Errno ${errno}] ${text}`);
      assert.equal(e.code, code);
    }
    assert.equal(new herror(7).message, "[Errno 7] Unknown resolver error");
  });

  test("timeout is TimeoutError, as socket.timeout is in Python 3.10+", () => {
    assert.equal(timeout, TimeoutError);
  });

  test("gaierrorFromNode() maps Node's dns codes to the EAI code glibc returns", () => {
    const table: Array<[string, number]> = [
      ["ENOTFOUND", -2],
      ["EAI_AGAIN", -3],
      ["EAI_FAIL", -4],
      ["ENODATA", -5],
      ["EAI_ADDRFAMILY", -9],
      ["ETIMEOUT", -3],
      ["ESERVFAIL", -3],
      ["EREFUSED", -4],
      ["EBADNAME", -2],
      ["EAI_MEMORY", -10],
    ];
    for (const [code, errno] of table) {
      const e = gaierrorFromNode(Object.assign(new Error(code), { code }));
      assert.ok(e instanceof gaierror, code);
      assert.equal(e.errno, errno, code);
      assert.ok((e as Error).cause instanceof Error);
    }
  });

  test("gaierrorFromNode() turns an errno (glibc's EAI_SYSTEM) into the plain OSError Python raises", () => {
    const e = gaierrorFromNode(Object.assign(new Error("x"), { code: "EMFILE", errno: -24 }));
    assert.ok(!(e instanceof gaierror));
    assert.equal(e.errno, 24);
    const already = new herror(1);
    assert.equal(gaierrorFromNode(already), already);
    assert.equal(gaierrorFromNode("weird").errno, -4);
  });
});

describe("getaddrinfo() arguments and flags", () => {
  const cases: Array<[string, () => Promise<unknown>, readonly [new (...a: never[]) => Error, string]]> = [
    ["no host and no port", () => getaddrinfo(null, null), EAI_NONAME],
    ["an unknown flag", () => getaddrinfo("127.0.0.1", 80, 0, 0, 0, 0x800), EAI_BADFLAGS],
    ["a negative flag", () => getaddrinfo("127.0.0.1", 80, 0, 0, 0, -1), EAI_BADFLAGS],
    ["AI_CANONNAME without a host", () => getaddrinfo(null, 80, 0, 0, 0, AI_CANONNAME), EAI_BADFLAGS],
    ["AF_UNIX", () => getaddrinfo("127.0.0.1", 80, AF_UNIX), EAI_FAMILY],
    ["family -1", () => getaddrinfo("127.0.0.1", 80, -1), EAI_FAMILY],
    ["type 99", () => getaddrinfo("127.0.0.1", 80, 0, 99), EAI_SOCKTYPE],
    ["STREAM with UDP", () => getaddrinfo("127.0.0.1", 80, 0, SOCK_STREAM, 17), EAI_SOCKTYPE],
    ["a port for SOCK_RAW", () => getaddrinfo("127.0.0.1", 0, 0, SOCK_RAW), EAI_SERVICE],
    ["an unknown protocol with a port", () => getaddrinfo("127.0.0.1", 80, 0, 0, 99), EAI_SERVICE],
    ["an unknown service", () => getaddrinfo("127.0.0.1", "nosuchservice"), EAI_SERVICE],
    ["a service name that is case-sensitive", () => getaddrinfo("127.0.0.1", "HTTP"), EAI_SERVICE],
    ["http over UDP", () => getaddrinfo("127.0.0.1", "http", 0, SOCK_DGRAM), EAI_SERVICE],
    ["a port that reads negative as a C int", () => getaddrinfo("127.0.0.1", 2 ** 31), EAI_SERVICE],
    ["a hex port", () => getaddrinfo("127.0.0.1", "0x50"), EAI_SERVICE],
    ["trailing space after the port", () => getaddrinfo("127.0.0.1", "80 "), EAI_SERVICE],
    [
      "a name under AI_NUMERICSERV",
      () => getaddrinfo("127.0.0.1", "http", 0, 0, 0, AI_NUMERICSERV),
      EAI_NONAME,
    ],
    ["a name under AI_NUMERICHOST", () => getaddrinfo("localhost", 80, 0, 0, 0, AI_NUMERICHOST), EAI_NONAME],
    ["the empty host", () => getaddrinfo("", 80), EAI_NONAME],
    ["[::1] in brackets", () => getaddrinfo("[::1]", 80, 0, 0, 0, AI_NUMERICHOST), EAI_NONAME],
    ["an IPv6 literal for AF_INET", () => getaddrinfo("::1", 80, AF_INET), EAI_ADDRFAMILY],
    ["an IPv4 literal for AF_INET6", () => getaddrinfo("127.0.0.1", 80, AF_INET6), EAI_ADDRFAMILY],
    ["an unknown scope name", () => getaddrinfo("fe80::1%nosuchif", 80), EAI_NONAME],
    ["a scope name on a global address", () => getaddrinfo("::1%lo", 80), EAI_NONAME],
    ["a scope id past 32 bits", () => getaddrinfo("fe80::1%4294967296", 80), EAI_NONAME],
    ["an empty scope", () => getaddrinfo("fe80::1%", 80), EAI_NONAME],
    ["a scope on an IPv4 address", () => getaddrinfo("1.2.3.4%lo", 80, 0, 0, 0, AI_NUMERICHOST), EAI_NONAME],
    ["a non-integer port", () => getaddrinfo("127.0.0.1", 1.5), [OSError, "Int or String expected"]],
    [
      "a port past C long",
      () => getaddrinfo("127.0.0.1", 2 ** 63),
      [OverflowError, "Python int too large to convert to C long"],
    ],
    [
      "a family past C int",
      () => getaddrinfo("127.0.0.1", 80, 2 ** 31),
      [OverflowError, "signed integer is greater than maximum"],
    ],
    [
      "a non-integer type",
      () => getaddrinfo("127.0.0.1", 80, 0, 1.5),
      [TypeError, "'float' object cannot be interpreted as an integer"],
    ],
    [
      "a non-string host",
      () => getaddrinfo(5 as unknown as string, 80),
      [TypeError, "getaddrinfo() argument 1 must be string or None"],
    ],
    [
      "an empty label",
      () => getaddrinfo("a..b", 80),
      [UnicodeError, "encoding with 'idna' codec failed (UnicodeError: label empty or too long)"],
    ],
    [
      "a 64-character last label",
      () => getaddrinfo("a".repeat(64), 80),
      [UnicodeError, "encoding with 'idna' codec failed (UnicodeError: label too long)"],
    ],
    [
      "a bad timeout",
      () => getaddrinfo("127.0.0.1", 80, { timeout: 0 }),
      [ValueError, "Cannot resolve with timeout 0: it must be a positive number"],
    ],
  ];
  for (const [what, call, [Class, message]] of cases) {
    test(`getaddrinfo() refuses ${what} as glibc and Python do`, async () => {
      await rejectsWith(call(), Class, message);
    });
  }
});

describe("getaddrinfo() results for numeric and absent hosts", () => {
  const v4 = (type: number, proto: number, port: number, canon = "") => [
    AF_INET,
    type,
    proto,
    canon,
    ["127.0.0.1", port],
  ];
  const cases: Array<[string, () => Promise<unknown>, unknown[]]> = [
    [
      "one result per socket type when type is 0",
      () => getaddrinfo("127.0.0.1", 80),
      [v4(SOCK_STREAM, 6, 80), v4(SOCK_DGRAM, 17, 80), v4(SOCK_RAW, 0, 80)],
    ],
    ["a service name where it exists", () => getaddrinfo("127.0.0.1", "http"), [v4(SOCK_STREAM, 6, 80)]],
    ["a service alias", () => getaddrinfo("127.0.0.1", "www"), [v4(SOCK_STREAM, 6, 80)]],
    [
      "a service on TCP and UDP",
      () => getaddrinfo("127.0.0.1", "domain"),
      [v4(SOCK_STREAM, 6, 53), v4(SOCK_DGRAM, 17, 53)],
    ],
    [
      "the protocol choosing the type",
      () => getaddrinfo("127.0.0.1", 80, 0, 0, 17),
      [v4(SOCK_DGRAM, 17, 80)],
    ],
    [
      "SCTP from its protocol number",
      () => getaddrinfo("127.0.0.1", 80, 0, 0, 132),
      [v4(SOCK_STREAM, 132, 80)],
    ],
    ["SOCK_SEQPACKET as SCTP", () => getaddrinfo("127.0.0.1", 80, 0, 5), [v4(5, 132, 80)]],
    ["SOCK_DCCP", () => getaddrinfo("127.0.0.1", null, 0, 6), [v4(6, 33, 0)]],
    [
      "SOCK_RAW with any protocol and no port",
      () => getaddrinfo("127.0.0.1", null, 0, SOCK_RAW, 99),
      [v4(SOCK_RAW, 99, 0)],
    ],
    [
      "a port modulo 2**16",
      () => getaddrinfo("127.0.0.1", 70000, 0, SOCK_STREAM),
      [v4(SOCK_STREAM, 6, 4464)],
    ],
    [
      "a long numeric string cut to an int, then 16 bits",
      () => getaddrinfo("127.0.0.1", "99999999999", 0, SOCK_STREAM),
      [v4(SOCK_STREAM, 6, 59391)],
    ],
    [
      "a negative port wrapping to 1",
      () => getaddrinfo("127.0.0.1", -4294967295, 0, SOCK_STREAM),
      [v4(SOCK_STREAM, 6, 1)],
    ],
    [
      "leading blanks and a sign in the port",
      () => getaddrinfo("127.0.0.1", " +80", 0, SOCK_STREAM),
      [v4(SOCK_STREAM, 6, 80)],
    ],
    ["the empty port as 0", () => getaddrinfo("127.0.0.1", "", 0, SOCK_STREAM), [v4(SOCK_STREAM, 6, 0)]],
    ["the port '*' as none", () => getaddrinfo("127.0.0.1", "*", 0, SOCK_STREAM), [v4(SOCK_STREAM, 6, 0)]],
    [
      "text after a NUL ignored, as C reads it",
      () => getaddrinfo("127.0.0.1", "http\0x"),
      [v4(SOCK_STREAM, 6, 80)],
    ],
    ["the inet_aton forms", () => getaddrinfo("0x7f.1", 80, 0, SOCK_STREAM), [v4(SOCK_STREAM, 6, 80)]],
    [
      "AI_CANONNAME on a literal: the literal, first result only",
      () => getaddrinfo("127.0.0.1", 80, 0, 0, 0, AI_CANONNAME),
      [v4(SOCK_STREAM, 6, 80, "127.0.0.1"), v4(SOCK_DGRAM, 17, 80), v4(SOCK_RAW, 0, 80)],
    ],
    [
      "AI_V4MAPPED for AF_INET6",
      () => getaddrinfo("127.0.0.1", 80, AF_INET6, SOCK_STREAM, 0, AI_V4MAPPED),
      [[AF_INET6, SOCK_STREAM, 6, "", ["::ffff:127.0.0.1", 80, 0, 0]]],
    ],
    [
      "an IPv4-mapped literal for AF_INET",
      () => getaddrinfo("::ffff:1.2.3.4", 80, AF_INET, SOCK_STREAM),
      [[AF_INET, SOCK_STREAM, 6, "", ["1.2.3.4", 80]]],
    ],
    [
      "IPv6 as [host, port, flowinfo, scopeId]",
      () => getaddrinfo("::1", 22, 0, SOCK_STREAM),
      [[AF_INET6, SOCK_STREAM, 6, "", ["::1", 22, 0, 0]]],
    ],
    [
      "a numeric scope id",
      () => getaddrinfo("::1%5", 80, 0, SOCK_STREAM),
      [[AF_INET6, SOCK_STREAM, 6, "", ["::1", 80, 0, 5]]],
    ],
    [
      "the widest scope id",
      () => getaddrinfo("fe80::1%4294967295", 80, 0, SOCK_STREAM),
      [[AF_INET6, SOCK_STREAM, 6, "", ["fe80::1", 80, 0, 4294967295]]],
    ],
    [
      "the wildcard pair under AI_PASSIVE, IPv4 first",
      () => getaddrinfo(null, 80, 0, SOCK_STREAM, 0, AI_PASSIVE),
      [
        [AF_INET, SOCK_STREAM, 6, "", ["0.0.0.0", 80]],
        [AF_INET6, SOCK_STREAM, 6, "", ["::", 80, 0, 0]],
      ],
    ],
    [
      "the host '*' as none",
      () => getaddrinfo("*", 80, AF_INET, SOCK_STREAM, 0, AI_PASSIVE),
      [[AF_INET, SOCK_STREAM, 6, "", ["0.0.0.0", 80]]],
    ],
    [
      "loopback for AF_INET6 without AI_PASSIVE",
      () => getaddrinfo(null, 80, AF_INET6, SOCK_STREAM),
      [[AF_INET6, SOCK_STREAM, 6, "", ["::1", 80, 0, 0]]],
    ],
    [
      "keyword arguments as an options object",
      () => getaddrinfo("127.0.0.1", 80, { type: SOCK_DGRAM }),
      [v4(SOCK_DGRAM, 17, 80)],
    ],
  ];
  for (const [what, call, expected] of cases) {
    test(`getaddrinfo() gives ${what}`, async () => {
      assert.deepEqual(await call(), expected);
    });
  }

  test("getaddrinfo() without a host gives the loopback pair (the order is compared with python3 in test/conformance)", async () => {
    const all = await getaddrinfo(null, 80, AF_UNSPEC, SOCK_STREAM);
    assert.equal(all.length, 2);
    assert.deepEqual(new Set(all.map((r) => r[4][0])), new Set(["::1", "127.0.0.1"]));
  });

  test("getaddrinfo() resolves localhost to loopback addresses through the C library", async () => {
    const all = await getaddrinfo("localhost", 80, 0, SOCK_STREAM);
    assert.ok(all.length >= 1);
    for (const [family, , , , sockaddr] of all) {
      assert.ok(family === AF_INET ? sockaddr[0].startsWith("127.") : sockaddr[0] === "::1");
    }
  });

  test("getaddrinfo() reports an unknown name as gaierror (EAI_NONAME; EAI_AGAIN when no name server answers)", async () => {
    await assert.rejects(getaddrinfo("nonexistent.invalid", 80, { timeout: 20 }), (e: unknown) => {
      assert.ok(e instanceof gaierror);
      assert.ok(e.errno === -2 || e.errno === -3, String(e.errno));
      return true;
    });
  });
});

describe("getnameinfo()", () => {
  test("getnameinfo() gives numbers under NI_NUMERICHOST | NI_NUMERICSERV", async () => {
    const numeric = NI_NUMERICHOST | NI_NUMERICSERV;
    assert.deepEqual(await getnameinfo(["127.0.0.1", 80], numeric), ["127.0.0.1", "80"]);
    assert.deepEqual(await getnameinfo(["0x7f.1", 80], numeric), ["127.0.0.1", "80"]);
    assert.deepEqual(await getnameinfo(["127.0.0.1", 70000], numeric), ["127.0.0.1", "4464"]);
    assert.deepEqual(await getnameinfo(["::1", 80, 0, 0], numeric), ["::1", "80"]);
    // The tuple's scope id replaces a "%scope" written in the host text.
    assert.deepEqual(await getnameinfo(["fe80::1%5", 80], numeric), ["fe80::1", "80"]);
    assert.deepEqual(await getnameinfo(["::1", 80, 0, 7], numeric), ["::1%7", "80"]);
    assert.deepEqual(await getnameinfo(["::1", 80, 0, -1], numeric), ["::1%4294967295", "80"]);
    assert.deepEqual(await getnameinfo(["::1", 80, 0, 2 ** 32], numeric), ["::1", "80"]);
  });

  test("getnameinfo() names a link-local scope by its interface", {
    skip: !existsSync("/sys/class/net/lo/ifindex"),
  }, async () => {
    const lo = Number(readFileSync("/sys/class/net/lo/ifindex", "utf8"));
    assert.deepEqual(await getnameinfo(["fe80::1", 80, 0, lo], NI_NUMERICHOST), ["fe80::1%lo", "http"]);
    assert.deepEqual(await getnameinfo(["ff02::1", 80, 0, lo], NI_NUMERICHOST), ["ff02::1%lo", "http"]);
    assert.deepEqual(await getnameinfo(["2001:db8::1", 80, 0, lo], NI_NUMERICHOST), [
      `2001:db8::1%${lo}`,
      "http",
    ]);
    assert.deepEqual(await getnameinfo(["fe80::1", 80, 0, 4242], NI_NUMERICHOST), ["fe80::1%4242", "http"]);
  });

  test("getnameinfo() names the port from /etc/services, by TCP or with NI_DGRAM by UDP", async () => {
    assert.deepEqual(await getnameinfo(["127.0.0.1", 53], NI_NUMERICHOST), ["127.0.0.1", "domain"]);
    assert.deepEqual(await getnameinfo(["127.0.0.1", 53], NI_NUMERICHOST | NI_DGRAM), [
      "127.0.0.1",
      "domain",
    ]);
    assert.deepEqual(await getnameinfo(["127.0.0.1", 80], NI_NUMERICHOST | NI_DGRAM), ["127.0.0.1", "80"]);
    assert.deepEqual(await getnameinfo(["127.0.0.1", 0], NI_NUMERICHOST), ["127.0.0.1", "0"]);
  });

  const errors: Array<[string, () => Promise<unknown>, readonly [new (...a: never[]) => Error, string]]> = [
    [
      "a non-tuple",
      () => getnameinfo("127.0.0.1" as never, 0),
      [TypeError, "getnameinfo() argument 1 must be a tuple"],
    ],
    [
      "a 1-tuple",
      () => getnameinfo(["127.0.0.1"] as never, 0),
      [TypeError, "getnameinfo(): illegal sockaddr argument"],
    ],
    [
      "a 5-tuple",
      () => getnameinfo(["127.0.0.1", 80, 0, 0, 0] as never, 0),
      [TypeError, "getnameinfo(): illegal sockaddr argument"],
    ],
    [
      "a non-string host",
      () => getnameinfo([1, 80] as never, 0),
      [TypeError, "getnameinfo(): illegal sockaddr argument"],
    ],
    [
      "a string port",
      () => getnameinfo(["127.0.0.1", "80"] as never, 0),
      [TypeError, "'str' object cannot be interpreted as an integer"],
    ],
    [
      "a port past C int",
      () => getnameinfo(["127.0.0.1", 2 ** 31], 0),
      [OverflowError, "signed integer is greater than maximum"],
    ],
    [
      "flowinfo past 20 bits",
      () => getnameinfo(["::1", 80, 2 ** 20, 0], 0),
      [OverflowError, "getnameinfo(): flowinfo must be 0-1048575."],
    ],
    [
      "negative flowinfo",
      () => getnameinfo(["::1", 80, -1, 0], 0),
      [OverflowError, "getnameinfo(): flowinfo must be 0-1048575."],
    ],
    ["a name", () => getnameinfo(["localhost", 80], 0), EAI_NONAME],
    ["the empty host", () => getnameinfo(["", 80], NI_NUMERICHOST), EAI_NONAME],
    [
      "'*' (both wildcards)",
      () => getnameinfo(["*", 80], NI_NUMERICHOST),
      [OSError, "sockaddr resolved to multiple addresses"],
    ],
    [
      "an IPv4 4-tuple",
      () => getnameinfo(["127.0.0.1", 80, 0, 0], 0),
      [OSError, "IPv4 sockaddr must be 2 tuple"],
    ],
    ["a negative port", () => getnameinfo(["127.0.0.1", -1], NI_NUMERICSERV), EAI_SERVICE],
    ["an unknown flag", () => getnameinfo(["127.0.0.1", 80], 256), EAI_BADFLAGS],
    ["a nameless address under NI_NAMEREQD", () => getnameinfo(["::", 80], NI_NAMEREQD), EAI_NONAME],
    [
      "a non-integer flag",
      () => getnameinfo(["127.0.0.1", 80], 1.5),
      [TypeError, "'float' object cannot be interpreted as an integer"],
    ],
  ];
  for (const [what, call, [Class, message]] of errors) {
    test(`getnameinfo() refuses ${what} as Python does`, async () => {
      await rejectsWith(call(), Class, message);
    });
  }
});

describe("host names", () => {
  test("gethostname() is the kernel's host name", () => {
    assert.equal(gethostname(), hostname());
  });

  test("gethostbyname() reads numbers without a look-up and maps '' and '<broadcast>'", async () => {
    assert.equal(await gethostbyname(""), "0.0.0.0");
    assert.equal(await gethostbyname("<broadcast>"), "255.255.255.255");
    assert.equal(await gethostbyname("127.1"), "127.0.0.1");
    assert.equal(await gethostbyname("017.0.0.1"), "15.0.0.1");
    assert.equal(await gethostbyname("::ffff:10.1.2.3"), "10.1.2.3");
  });

  test("gethostbyname() refuses IPv6, NUL and bad labels as Python does", async () => {
    await rejectsWith(gethostbyname("::1"), ...EAI_ADDRFAMILY);
    await rejectsWith(
      gethostbyname("localhost\0x"),
      TypeError,
      "gethostbyname() argument 1 must be encoded string without null bytes, not str",
    );
    await rejectsWith(
      gethostbyname(5 as unknown as string),
      TypeError,
      "gethostbyname() argument 1 must be str, bytes or bytearray, not int",
    );
    await rejectsWith(
      gethostbyname(".leading"),
      UnicodeError,
      "encoding with 'idna' codec failed (UnicodeError: label empty or too long)",
    );
  });

  test("gethostbyaddr() refuses the ambiguous wildcard and reports unnamed addresses", async () => {
    await rejectsWith(gethostbyaddr(""), OSError, "wildcard resolved to multiple address");
    await rejectsWith(gethostbyaddr("::", { timeout: 20 }), herror, "[Errno 1] Unknown host");
  });

  test("getfqdn() strips Python's white space and keeps a name it cannot look up", async () => {
    assert.equal(await getfqdn(" \x1c nonexistent.invalid\x85\t", { timeout: 20 }), "nonexistent.invalid");
    await rejectsWith(
      getfqdn("a..b"),
      UnicodeError,
      "encoding with 'idna' codec failed (UnicodeError: label empty or too long)",
    );
  });

  test("has_ipv6 is true, as Python's is on Linux", () => {
    assert.equal(has_ipv6, true);
  });
});

describe("services and protocols", () => {
  test("getservbyname() finds names and aliases, case-sensitively, optionally by protocol", () => {
    assert.equal(getservbyname("http"), 80);
    assert.equal(getservbyname("www"), 80);
    assert.equal(getservbyname("domain", "udp"), 53);
    assert.throws(() => getservbyname("HTTP"), /service\/proto not found/);
    assert.throws(
      () => getservbyname("http", "udp"),
      (e: unknown) => e instanceof OSError && e.message === "service/proto not found",
    );
    assert.throws(() => getservbyname("http", ""), /service\/proto not found/);
    assert.throws(
      () => getservbyname("http\0"),
      (e: unknown) => e instanceof ValueError && e.message === "embedded null character",
    );
    assert.throws(
      () => getservbyname(80 as unknown as string),
      (e: unknown) =>
        e instanceof TypeError && e.message === "getservbyname() argument 1 must be str, not int",
    );
  });

  test("getservbyport() gives the first name on a port, with Python's range errors", () => {
    assert.equal(getservbyport(22), "ssh");
    assert.equal(getservbyport(53, "udp"), "domain");
    assert.throws(
      () => getservbyport(80, "udp"),
      (e: unknown) => e instanceof OSError && e.message === "port/proto not found",
    );
    for (const port of [-1, 65536]) {
      assert.throws(
        () => getservbyport(port),
        (e: unknown) => e instanceof OverflowError && e.message === "getservbyport: port must be 0-65535.",
      );
    }
    assert.throws(() => getservbyport(2 ** 31), /signed integer is greater than maximum/);
    assert.throws(() => getservbyport(1.5), TypeError);
  });

  test("getprotobyname() finds names and aliases case-sensitively", () => {
    assert.equal(getprotobyname("tcp"), 6);
    assert.equal(getprotobyname("TCP"), 6);
    assert.equal(getprotobyname("udp"), 17);
    assert.throws(
      () => getprotobyname("Tcp"),
      (e: unknown) => e instanceof OSError && e.message === "protocol not found",
    );
  });

  test("_parseServices() reads lines as nss_files does", () => {
    const text = [
      "# comment",
      "   ",
      "http\t80/tcp   www   # World Wide Web",
      "hex 0x50/udp",
      "oct 010/tcp",
      "slashes 7//tcp alias",
      "big 65617/tcp",
      "noproto 9/",
      "negative -5/tcp",
      "wide 4294967295/tcp",
      "huge 4294967296/tcp",
      "noslash 10 tcp",
      "nonumber /tcp",
      "lonely",
      "  indented 11/tcp",
      "hash#tag 12/tcp",
    ].join("\n");
    assert.deepEqual(_parseServices(text), [
      { name: "http", port: 80, proto: "tcp", aliases: ["www"] },
      { name: "hex", port: 80, proto: "udp", aliases: [] },
      { name: "oct", port: 8, proto: "tcp", aliases: [] },
      { name: "slashes", port: 7, proto: "tcp", aliases: ["alias"] },
      { name: "big", port: 81, proto: "tcp", aliases: [] },
      { name: "noproto", port: 9, proto: "", aliases: [] },
      { name: "wide", port: 65535, proto: "tcp", aliases: [] },
      { name: "indented", port: 11, proto: "tcp", aliases: [] },
    ]);
  });

  test("_parseProtocols() reads lines as nss_files does", () => {
    const text = [
      "ip 0 IP # internet",
      "tcp\t6\tTCP",
      "bad x BAD",
      "hexy 0x6",
      "neg -1 NEG",
      "plus +6",
      "wrap 4294967295",
      "huge 99999999999",
      "",
      "#",
    ].join("\n");
    assert.deepEqual(_parseProtocols(text), [
      { name: "ip", number: 0, aliases: ["IP"] },
      { name: "tcp", number: 6, aliases: ["TCP"] },
      { name: "plus", number: 6, aliases: [] },
      { name: "wrap", number: -1, aliases: [] },
    ]);
  });

  test("the nss_files parsers never throw on adversarial lines, and keep every entry of the valid ones", () => {
    const valid = fc.constantFrom(
      "http 80/tcp www",
      "smtp 25/tcp mail",
      "tcp 6 TCP",
      "udp 17 UDP",
      "127.0.0.1 localhost lo",
      "::1 ip6-localhost",
      "10.0.0.1 foo.example foo",
    );
    // Random bytes read as Latin-1 and as UTF-8 (lone surrogates, NUL), huge fields, bad numbers, broken addresses.
    const junk = fc
      .oneof(
        fc.uint8Array({ maxLength: 30 }).map((b) => Buffer.from(b).toString("latin1")),
        fc.string({ unit: "binary", maxLength: 30 }),
        fc.constantFrom(
          "\0\0 \0/tcp",
          "\ud800 1/tcp \udfff",
          `x ${"9".repeat(400)}/tcp`,
          `${"a".repeat(100_000)} 1/tcp`,
          "y 1e9/udp",
          "z -0x10/tcp",
          "999.1.1.1 bad",
          "1.2.3 short",
          "::ffff:1.2.3.4.5 bad6",
          "[::1] brackets",
        ),
      )
      .map((t) => t.replace(/\n/g, " "));
    const isSubsequence = <T>(part: T[], whole: T[]) => {
      let i = 0;
      for (const x of whole) if (i < part.length && JSON.stringify(x) === JSON.stringify(part[i])) i++;
      return i === part.length;
    };
    fc.assert(
      fc.property(
        fc.array(valid, { maxLength: 6 }),
        fc.array(fc.tuple(fc.nat(), junk), { maxLength: 6 }),
        (lines, inserts) => {
          const mixed: string[] = [...lines];
          for (const [at, line] of inserts) mixed.splice(at % (mixed.length + 1), 0, line);
          const clean = lines.join("\n");
          const dirty = mixed.join("\n");
          assert.ok(isSubsequence(_parseServices(clean), _parseServices(dirty)), JSON.stringify(mixed));
          assert.ok(isSubsequence(_parseProtocols(clean), _parseProtocols(dirty)), JSON.stringify(mixed));
          for (const af of [AF_INET, AF_INET6, AF_UNSPEC]) _hostsByName(dirty, "foo", af, true);
          _hostsByAddr(dirty, Buffer.from([10, 0, 0, 1]), AF_INET);
        },
      ),
      { numRuns: 500, seed: 20261207 },
    );
  });
});

describe("/etc/hosts as nss_files reads it", () => {
  const HOSTS = [
    "127.0.0.1 localhost",
    "10.0.0.5 Foo.example.com foo FOO2 # comment",
    "::1 ip6-localhost ip6-loopback",
    "10.0.0.6 foo.example.com other",
    "::ffff:10.0.0.7 mapped",
    "fe80::1%eth0 scoped",
    "  10.0.0.8\tbar   baz",
    "#10.0.0.9 commented",
    "bad line",
    "10.0.0.10",
  ].join("\n");
  const ip = (text: string) => Buffer.from(text.split(".").map(Number));
  const fmt = (h: ReturnType<typeof _hostsByName>) =>
    h && [
      h.name,
      h.aliases,
      h.family,
      h.addresses.map((a) => (a.length === 4 ? [...a].join(".") : a.toString("hex"))),
    ];

  test("_hostsByName() takes the first matching entry, ASCII case-insensitively", () => {
    assert.deepEqual(fmt(_hostsByName(HOSTS, "FOO", AF_INET, false)), [
      "Foo.example.com",
      ["foo", "FOO2"],
      AF_INET,
      ["10.0.0.5"],
    ]);
    assert.deepEqual(fmt(_hostsByName(HOSTS, "baz", AF_INET, false)), [
      "bar",
      ["baz"],
      AF_INET,
      ["10.0.0.8"],
    ]);
    assert.equal(_hostsByName(HOSTS, "commented", AF_INET, false), undefined);
    assert.equal(_hostsByName(HOSTS, "scoped", AF_INET6, false), undefined);
    assert.equal(_hostsByName(HOSTS, "line", AF_INET, false), undefined);
  });

  test("_hostsByName() with multi appends later entries' addresses, aliases and differing names", () => {
    assert.deepEqual(fmt(_hostsByName(HOSTS, "foo.example.com", AF_INET, true)), [
      "Foo.example.com",
      ["foo", "FOO2", "other", "foo.example.com"],
      AF_INET,
      ["10.0.0.5", "10.0.0.6"],
    ]);
    assert.deepEqual(fmt(_hostsByName(HOSTS, "foo.example.com", AF_INET, false)), [
      "Foo.example.com",
      ["foo", "FOO2"],
      AF_INET,
      ["10.0.0.5"],
    ]);
  });

  test("_hostsByName() for IPv4 reads ::1 as 127.0.0.1 and IPv4-mapped lines as IPv4", () => {
    assert.deepEqual(fmt(_hostsByName(HOSTS, "ip6-loopback", AF_INET, false)), [
      "ip6-localhost",
      ["ip6-loopback"],
      AF_INET,
      ["127.0.0.1"],
    ]);
    assert.deepEqual(fmt(_hostsByName(HOSTS, "mapped", AF_INET, false)), [
      "mapped",
      [],
      AF_INET,
      ["10.0.0.7"],
    ]);
  });

  test("_hostsByName() for IPv6 skips IPv4 lines; for AF_UNSPEC each line keeps its family", () => {
    assert.equal(_hostsByName(HOSTS, "localhost", AF_INET6, false), undefined);
    assert.deepEqual(fmt(_hostsByName(HOSTS, "ip6-localhost", AF_INET6, false))?.[3], [
      "00000000000000000000000000000001",
    ]);
    assert.equal(_hostsByName(HOSTS, "ip6-localhost", AF_UNSPEC, false)?.family, AF_INET6);
    assert.equal(_hostsByName(HOSTS, "localhost", AF_UNSPEC, false)?.family, AF_INET);
  });

  test("_hostsByAddr() takes the first entry with the address, read for the family asked", () => {
    assert.deepEqual(fmt(_hostsByAddr(HOSTS, ip("10.0.0.6"), AF_INET)), [
      "foo.example.com",
      ["other"],
      AF_INET,
      ["10.0.0.6"],
    ]);
    assert.deepEqual(fmt(_hostsByAddr(HOSTS, ip("10.0.0.7"), AF_INET))?.[0], "mapped");
    assert.equal(_hostsByAddr(HOSTS, ip("127.0.0.1"), AF_INET)?.name, "localhost");
    const mapped = Buffer.from("00000000000000000000ffff0a000007", "hex");
    assert.equal(_hostsByAddr(HOSTS, mapped, AF_INET6)?.name, "mapped");
    assert.equal(_hostsByAddr(HOSTS, ip("10.0.0.10"), AF_INET)?.name, "");
    assert.equal(_hostsByAddr(HOSTS, ip("10.0.0.9"), AF_INET), undefined);
  });
});

// ---------------------------------------------------------------------------
// The DNS source, against a scripted name server, in a private mount namespace
// ---------------------------------------------------------------------------

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const NAMES = fileURLToPath(new URL("../../src/socket/names.ts", import.meta.url));
const CAN_UNSHARE = spawnSync("unshare", ["-rm", "true"], { stdio: "ignore", timeout: 60_000 }).status === 0;
const NEEDED = ["/etc/hosts", "/etc/resolv.conf", "/etc/nsswitch.conf"];
const isolationSkip = !CAN_UNSHARE
  ? "user namespaces (unshare -rm) are not available"
  : NEEDED.every(existsSync)
    ? false
    : `one of ${NEEDED.join(", ")} is missing`;

type Rr = { type: number; data: string };
const A = 1;
const CNAME = 5;
const PTR = 12;

/** A minimal authoritative DNS server over UDP: answers from `zone`, stays silent for `silent`. */
function startDns(
  zone: Map<string, Rr[]>,
  silent: Set<string>,
): Promise<{ socket: UdpSocket; port: number }> {
  const encodeName = (name: string) =>
    Buffer.concat([
      ...name
        .split(".")
        .filter((l) => l !== "")
        .map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l)])),
      Buffer.from([0]),
    ]);
  const socket = createSocket("udp4");
  socket.on("message", (msg, peer) => {
    let i = 12;
    const labels: string[] = [];
    while (msg[i]) {
      labels.push(msg.subarray(i + 1, i + 1 + msg[i]!).toString());
      i += msg[i]! + 1;
    }
    i++;
    const qtype = msg.readUInt16BE(i);
    const question = msg.subarray(12, i + 4);
    const qname = labels.join(".").toLowerCase();
    if (silent.has(qname)) return;
    const answers: Array<{ name: string } & Rr> = [];
    let current = qname;
    for (let hop = 0; hop < 8 && qtype !== CNAME; hop++) {
      const alias = zone.get(current)?.find((r) => r.type === CNAME);
      if (!alias) break;
      answers.push({ name: current, ...alias });
      current = alias.data;
    }
    for (const r of zone.get(current) ?? []) if (r.type === qtype) answers.push({ name: current, ...r });
    const rcode = zone.has(qname) ? 0 : 3;
    const header = Buffer.alloc(12);
    header.writeUInt16BE(msg.readUInt16BE(0), 0);
    header.writeUInt16BE(0x8580 | rcode, 2);
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(answers.length, 6);
    const records = answers.map((r) => {
      const rdata = r.type === A ? Buffer.from(r.data.split(".").map(Number)) : encodeName(r.data);
      const fixed = Buffer.alloc(10);
      fixed.writeUInt16BE(r.type, 0);
      fixed.writeUInt16BE(1, 2);
      fixed.writeUInt32BE(60, 4);
      fixed.writeUInt16BE(rdata.length, 8);
      return Buffer.concat([encodeName(r.name), fixed, rdata]);
    });
    socket.send(Buffer.concat([header, question, ...records]), peer.port, peer.address);
  });
  return new Promise((resolve) =>
    socket.bind(0, "127.0.0.1", () => resolve({ socket, port: socket.address().port })),
  );
}

/**
 * Runs `calls` (names.ts functions and arguments) in a child node with
 * /etc files replaced by bind mounts, and returns each result or error.
 */
function runIsolated(files: Record<string, string>, calls: Array<[string, unknown[]]>): Promise<unknown[]> {
  const dir = mkdtempSync(join(tmpdir(), "netkit-names-"));
  const mounts: string[] = [];
  for (const [index, [target, content]] of Object.entries(files).entries()) {
    const source = join(dir, `file${index}`);
    writeFileSync(source, content);
    mounts.push(`mount --bind '${source}' '${target}'`);
  }
  const script = join(dir, "run.mts");
  writeFileSync(
    script,
    `import * as names from ${JSON.stringify(NAMES)};
const calls = ${JSON.stringify(calls)};
const out = [];
for (const [fn, args] of calls) {
  const started = Date.now();
  try { out.push(["ok", await names[fn](...args)]); }
  catch (e) { out.push(["err", e.name, e.message, Date.now() - started]); }
}
console.log(JSON.stringify(out));`,
  );
  return new Promise((resolve, reject) => {
    const child = spawn(
      "unshare",
      [
        "-rm",
        "sh",
        "-c",
        `${mounts.join(" && ")} && exec "$@"`,
        "sh",
        process.execPath,
        "--import",
        "tsx",
        script,
      ],
      { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (b: Buffer) => (stdout += b));
    child.stderr.on("data", (b: Buffer) => (stderr += b));
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.on("close", (code) => {
      clearTimeout(timer);
      rmSync(dir, { recursive: true, force: true });
      if (code !== 0) reject(new Error(`isolated run exited ${code}: ${stderr}`));
      else resolve(JSON.parse(stdout) as unknown[]);
    });
  });
}

describe("the dns source, against a scripted name server", { skip: isolationSkip }, () => {
  let server: { socket: UdpSocket; port: number };
  before(async () => {
    const zone = new Map<string, Rr[]>([
      ["55.2.0.192.in-addr.arpa", [{ type: PTR, data: "ptr.example.test" }]],
      ["alias.example.test", [{ type: CNAME, data: "real.example.test" }]],
      ["real.example.test", [{ type: A, data: "10.9.9.9" }]],
    ]);
    server = await startDns(zone, new Set(["66.2.0.192.in-addr.arpa"]));
  });
  after(() => server.socket.close());

  const resolvConf = () =>
    // c-ares reads the port; glibc skips the line (so the C library finds no server, quickly).
    `nameserver 127.0.0.1:${server.port}\nsearch example.test\noptions ndots:1\n`;

  test("gethostbyaddr(), getnameinfo() and getfqdn() use PTR records, bounded by the timeout", async () => {
    const files = {
      "/etc/hosts": "127.0.0.1 localhost\n",
      "/etc/resolv.conf": resolvConf(),
      "/etc/nsswitch.conf": "hosts: files dns\n",
    };
    const [ptr, nxdomain, silent, nameinfo, nameinfoSilent, fqdn] = await runIsolated(files, [
      ["gethostbyaddr", ["192.0.2.55"]],
      ["gethostbyaddr", ["192.0.2.77"]],
      ["gethostbyaddr", ["192.0.2.66", { timeout: 0.5 }]],
      ["getnameinfo", [["192.0.2.55", 80], NI_NAMEREQD]],
      ["getnameinfo", [["192.0.2.66", 80], 0, { timeout: 0.5 }]],
      ["getfqdn", ["192.0.2.55"]],
    ]);
    assert.deepEqual(ptr, ["ok", ["ptr.example.test", [], ["192.0.2.55"]]]);
    assert.deepEqual((nxdomain as unknown[]).slice(0, 3), ["err", "herror", "[Errno 1] Unknown host"]);
    const [, silentName, silentMessage, silentMs] = silent as [string, string, string, number];
    assert.deepEqual([silentName, silentMessage], ["herror", "[Errno 2] Host name lookup failure"]);
    assert.ok(silentMs >= 400 && silentMs < 5000, `timed out after ${silentMs} ms`);
    assert.deepEqual(nameinfo, ["ok", ["ptr.example.test", "http"]]);
    assert.deepEqual((nameinfoSilent as unknown[]).slice(0, 3), [
      "err",
      "gaierror",
      "[Errno -3] Temporary failure in name resolution",
    ]);
    assert.deepEqual(fqdn, ["ok", "ptr.example.test"]);
  });

  test("gethostbyname_ex() and AI_CANONNAME follow the search list and CNAMEs when dns comes first", async () => {
    const files = {
      // The C library (which cannot reach the scripted server) finds the address here.
      "/etc/hosts": "127.0.0.1 localhost\n10.9.9.9 alias real.example.test\n",
      "/etc/resolv.conf": resolvConf(),
      "/etc/nsswitch.conf": "hosts: dns files\n",
    };
    const [ex, canon, dotted] = await runIsolated(files, [
      ["gethostbyname_ex", ["alias"]],
      ["getaddrinfo", ["alias", 80, AF_INET, SOCK_STREAM, 0, AI_CANONNAME]],
      ["gethostbyname_ex", ["real.example.test"]],
    ]);
    // "alias" becomes alias.example.test, a CNAME for the canonical name.
    assert.deepEqual(ex, ["ok", ["real.example.test", ["alias.example.test"], ["10.9.9.9"]]]);
    assert.deepEqual(canon, ["ok", [[AF_INET, SOCK_STREAM, 6, "real.example.test", ["10.9.9.9", 80]]]]);
    // A name with ndots dots is asked as it is before the search list.
    assert.deepEqual(dotted, ["ok", ["real.example.test", [], ["10.9.9.9"]]]);
  });
});
