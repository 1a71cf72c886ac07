/**
 * Node's private internals (src/socket/_node_internals.ts): which path the
 * start-up probe chose on this Node, that each feature really works when it
 * is on, and that no other file of src/ reaches into Node's internals.
 *
 * CI runs the suite on Node 20 and on the newest LTS (.ci/run), and once
 * more with NETKIT_NODE_INTERNALS=off, where every feature must be off and
 * every other test passes on the fallbacks.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import * as net from "node:net";
import { join, relative } from "node:path";
import { describe, test } from "node:test";
import {
  _disableNodeInternals,
  NODE_INTERNALS_ENV,
  type NodeInternalFeatures,
  nodeInternals,
} from "../../src/socket/_node_internals.js";
import { StreamConnection } from "../../src/socket/_stream.js";
import { Socket } from "../../src/socket/socket.js";

const ALL_ON: NodeInternalFeatures = {
  sharedReads: true,
  repointReads: true,
  fd: true,
  tlsVerifyError: true,
};

/**
 * The features expected on each Node major CI runs, checked by hand when a
 * major is added (20: .ci/run's own Node; 24: the newest LTS when this was
 * written). A major not listed is expected to keep them all: a Node that
 * moves a key fails here, in CI, before a user meets the fallback.
 */
const EXPECTED_BY_MAJOR: Record<number, NodeInternalFeatures> = {
  20: ALL_ON,
  22: ALL_ON,
  24: ALL_ON,
};

const major = Number(process.versions.node.split(".")[0]);
const forcedOff = process.env[NODE_INTERNALS_ENV] === "off";

describe("nodeInternals()", () => {
  test(`nodeInternals() takes the fast path on Node ${major}, the fallback when ${NODE_INTERNALS_ENV}=off`, () => {
    const found = nodeInternals();
    if (forcedOff) {
      assert.deepEqual(found, {
        sharedReads: false,
        repointReads: false,
        fd: false,
        tlsVerifyError: false,
        path: "fallback",
        forcedOff: true,
      });
      return;
    }
    const expected = EXPECTED_BY_MAJOR[major] ?? ALL_ON;
    const { path, forcedOff: off, ...features } = found;
    assert.deepEqual(features, expected, `Node ${process.versions.node}`);
    assert.equal(off, false);
    assert.equal(path, Object.values(expected).every(Boolean) ? "fast" : "partial");
  });

  test("_disableNodeInternals() turns named features off and back to what the probe found", () => {
    const before = nodeInternals();
    try {
      _disableNodeInternals(["fd", "sharedReads"]);
      const now = nodeInternals();
      assert.equal(now.fd, false);
      assert.equal(now.sharedReads, false);
      assert.equal(now.repointReads, before.repointReads);
      assert.equal(now.path, before.path === "fallback" ? "fallback" : "partial");
    } finally {
      _disableNodeInternals();
    }
    assert.deepEqual(nodeInternals(), before);
  });
});

/** A connected pair of Node sockets on loopback: [accepted, connecting]. */
async function nodePair(): Promise<[net.Socket, net.Socket, () => void]> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const accepted = new Promise<net.Socket>((resolve) => server.once("connection", resolve));
  const client = net.connect((server.address() as net.AddressInfo).port, "127.0.0.1");
  const conn = await accepted;
  const close = () => {
    client.destroy();
    conn.destroy();
    server.close();
  };
  return [conn, client, close];
}

describe("each feature, on and off", () => {
  for (const on of [true, false]) {
    const state = on ? "on" : "off";
    test(`sharedReads ${state}: an accepted socket reads ${on ? "through onread (no 'data' events)" : "through 'data' events"}, the same bytes`, async (t) => {
      if (on && !nodeInternals().sharedReads) return t.skip("off in this run");
      _disableNodeInternals(on ? [] : ["sharedReads"]);
      const [conn, client, close] = await nodePair();
      try {
        let dataEvents = 0;
        conn.on("data", () => dataEvents++);
        const stream = new StreamConnection(conn, undefined, true);
        const sent = Buffer.from(Array.from({ length: 300_000 }, (_, i) => i % 251));
        client.write(sent);
        const got: Buffer[] = [];
        let n = 0;
        while (n < sent.length) {
          const chunk = await stream.nextChunk(10, () => new Error("timed out"));
          got.push(Buffer.from(chunk));
          n += chunk.length;
        }
        assert.deepEqual(Buffer.concat(got), sent);
        assert.equal(dataEvents === 0, on, `${dataEvents} 'data' events`);
      } finally {
        _disableNodeInternals();
        close();
      }
    });

    test(`fd ${state}: fileno() names the socket's descriptor (${on ? "its handle" : "Node's diagnostic report"})`, async (t) => {
      if (on && !nodeInternals().fd) return t.skip("off in this run");
      _disableNodeInternals(on ? [] : ["fd"]);
      const server = new Socket();
      const client = new Socket();
      try {
        await server.bind(["127.0.0.1", 0]);
        await server.listen(1);
        await client.connect(server.getsockname());
        const [conn] = await server.accept();
        const fds = [server.fileno(), client.fileno(), conn.fileno()];
        try {
          for (const fd of fds) assert.ok(fd > 2, `fileno() ${fd}`);
          assert.equal(new Set(fds).size, 3, `three sockets, three descriptors: ${fds}`);
          // Each is a socket's descriptor: /proc says so on Linux.
          if (process.platform === "linux")
            for (const fd of fds) assert.match(readlinkSync(`/proc/self/fd/${fd}`), /^socket:\[\d+\]$/);
        } finally {
          conn.close();
        }
      } finally {
        _disableNodeInternals();
        client.close();
        server.close();
      }
    });
  }
});

/**
 * What counts as reaching into Node's internals, each with why. The test
 * greps every file of src/ but _node_internals.ts for them; each pattern
 * also has an example it must match, so a pattern that stops matching
 * anything is caught too.
 */
const PRIVATE_PATTERNS: Array<{ pattern: RegExp; why: string; example: string }> = [
  {
    pattern: /\b_handle\b/,
    why: "the native handle of a net/tls/dgram socket or server (fd, useUserBuffer, verifyError, ...)",
    example: "socket._handle.fd",
  },
  {
    pattern: /getOwnPropertySymbols|Symbol\.for\(\s*["']nodejs\./,
    why: "finding Node's symbol-keyed private state (kBuffer, ...)",
    example: "Object.getOwnPropertySymbols(socket)",
  },
  {
    pattern: /\bk(?:Buffer|BufferCb|BufferGen|Handle|State|Socket|Session)\b/,
    why: "the names of Node's internal symbols",
    example: 'key.description === "kBufferGen"',
  },
  {
    pattern: /useUserBuffer|verifyError\s*\(/,
    why: "methods of Node's native handles",
    example: "h.verifyError()",
  },
  {
    pattern: /\.emit\s*=(?!=)/,
    why: "patching an emitter's emit (events should be listened to, not rewritten)",
    example: "tlsSocket.emit = function () {}",
  },
  {
    pattern: /\b_(?:readableState|writableState|events|eventsCount|maxListeners)\b/,
    why: "the private state of streams and event emitters",
    example: "stream._readableState.flowing",
  },
  {
    pattern:
      /\.\s*_(?:parent|parentWrap|server|host|peername|sockname|tlsOptions|secureEstablished|controlReleased|sharedCreds|pendingData|connecting|httpMessage)\b/,
    why: "underscored fields of Node's net, tls and http objects",
    example: "tlsSocket._parent",
  },
  {
    pattern: /process\s*\.\s*binding|internalBinding|expose[-_]internals|["']internal\//,
    why: "Node's internal modules and bindings",
    example: "process.binding('tcp_wrap')",
  },
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? sourceFiles(path) : /\.(ts|mts|js|mjs)$/.test(entry.name) ? [path] : [];
  });
}

describe("Node's internals stay in one file", () => {
  test("every pattern of the check matches its example", () => {
    for (const { pattern, example } of PRIVATE_PATTERNS) assert.match(example, pattern);
  });

  test("no file of src/ but socket/_node_internals.ts uses Node's private internals", () => {
    const root = join(import.meta.dirname, "../../src");
    const allowed = join(root, "socket", "_node_internals.ts");
    const found: string[] = [];
    for (const file of sourceFiles(root)) {
      if (file === allowed) continue;
      const lines = readFileSync(file, "utf8").split("\n");
      for (const [i, line] of lines.entries()) {
        for (const { pattern, why } of PRIVATE_PATTERNS) {
          if (pattern.test(line)) found.push(`${relative(root, file)}:${i + 1}: ${line.trim()}  (${why})`);
        }
      }
    }
    assert.deepEqual(found, [], `move these into src/socket/_node_internals.ts:\n${found.join("\n")}`);
  });
});
