/**
 * A host name that does not resolve is Python's `socket.gaierror`
 * (`[Errno -2] Name or service not known`) wherever a socket call resolves
 * it: a server's `ready` (TCP, UDP, threading), and under it `bind`,
 * `connect` and `sendto` on stream and datagram sockets. Node reports these
 * as a raw `getaddrinfo ENOTFOUND` error; python3 is asked for its answer.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { OSError } from "../../src/errors/index.js";
import { AF_INET, AF_INET6, SOCK_DGRAM, SOCK_STREAM } from "../../src/socket/constants.js";
import { gaierror } from "../../src/socket/errors.js";
import { Socket } from "../../src/socket/socket.js";
import { BaseRequestHandler } from "../../src/socketserver/handlers.js";
import { TCPServer, UDPServer } from "../../src/socketserver/servers.js";
import { ThreadingTCPServer } from "../../src/socketserver/threading.js";
import { hasCommand, peerSkip } from "../_support/peers.js";
import { python } from "../_support/python.js";

const NOWHERE = "nonexistent.invalid";

/** What `run` rejects with, as [class, errno, code, message]. */
async function failure(run: () => Promise<unknown>): Promise<[string, unknown, unknown, string]> {
  try {
    await run();
  } catch (err) {
    assert.ok(err instanceof gaierror && err instanceof OSError, `not a gaierror: ${String(err)}`);
    return [err.name, err.errno, err.code, err.message];
  }
  throw new Error("did not fail");
}

const GAIERROR: [string, number, string, string] = [
  "gaierror",
  -2,
  "EAI_NONAME",
  "[Errno -2] Name or service not known",
];

test("a server bound to a name that does not resolve rejects ready with gaierror", async () => {
  for (const Server of [TCPServer, UDPServer, ThreadingTCPServer]) {
    const server = new Server([NOWHERE, 0], BaseRequestHandler);
    assert.deepEqual(await failure(() => server.ready), GAIERROR, Server.name);
    await server.serverClose();
  }
});

test("bind, connect and sendto to a name that does not resolve are gaierror, stream and datagram", async () => {
  const calls: Array<[string, (s: Socket) => Promise<unknown>, number, number]> = [
    ["TCP bind", (s) => s.bind([NOWHERE, 0]), AF_INET, SOCK_STREAM],
    ["TCP/IPv6 bind", (s) => s.bind([NOWHERE, 0]), AF_INET6, SOCK_STREAM],
    ["TCP connect", (s) => s.connect([NOWHERE, 80]), AF_INET, SOCK_STREAM],
    ["UDP bind", (s) => s.bind([NOWHERE, 0]), AF_INET, SOCK_DGRAM],
    ["UDP connect", (s) => s.connect([NOWHERE, 80]), AF_INET, SOCK_DGRAM],
    ["UDP sendto", (s) => s.sendto(Buffer.from("x"), [NOWHERE, 80]), AF_INET, SOCK_DGRAM],
  ];
  for (const [name, call, family, type] of calls) {
    const sock = new Socket(family, type);
    try {
      assert.deepEqual(await failure(() => call(sock)), GAIERROR, name);
    } finally {
      sock.close();
    }
  }
});

test("python3 raises the same gaierror for these calls", {
  skip: peerSkip("python3", hasCommand("python3")),
}, async () => {
  const answers = await python<Array<[string, number, string]>>(
    `
import json, socket, sys
host = json.load(sys.stdin)
out = []
for family, kind, op in [(socket.AF_INET, socket.SOCK_STREAM, "bind"), (socket.AF_INET, socket.SOCK_STREAM, "connect"),
                         (socket.AF_INET, socket.SOCK_DGRAM, "bind"), (socket.AF_INET, socket.SOCK_DGRAM, "sendto")]:
    s = socket.socket(family, kind)
    try:
        if op == "sendto": s.sendto(b"x", (host, 80))
        else: getattr(s, op)((host, 80 if op == "connect" else 0))
        out.append(None)
    except OSError as e:
        out.append([type(e).__name__, e.errno, str(e)])
    finally:
        s.close()
print(json.dumps(out))
`,
    NOWHERE,
  );
  for (const answer of answers) assert.deepEqual(answer, [GAIERROR[0], GAIERROR[1], GAIERROR[3]]);
});
