/**
 * Where a failure in each overridable step of a request ends up, as in
 * CPython's `socketserver` (`_handle_request_noblock`, `process_request`,
 * `StreamRequestHandler.finish`): an `OSError` from `getRequest()` (the client
 * went away) is ignored, anything else from it propagates; whatever
 * `verifyRequest()`, `processRequest()`, `setup()`, `handle()` or `finish()`
 * throws, a `TypeError` included, reaches `handleError()` and the request is
 * shut down; `StreamRequestHandler.finish()` ignores only an `OSError` from
 * its final flush. Python's own behaviour for getRequest is checked against python3.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ConnectionAbortedError, OSError } from "../../src/errors/index.js";
import type { Address } from "../../src/socket/address.js";
import { AF_INET } from "../../src/socket/constants.js";
import { Socket } from "../../src/socket/socket.js";
import { StreamRequestHandler } from "../../src/socketserver/handlers.js";
import { TCPServer } from "../../src/socketserver/servers.js";
import { exchange } from "../_support/net.js";
import { hasCommand, peerSkip } from "../_support/peers.js";
import { python } from "../_support/python.js";

class Echo extends StreamRequestHandler {
  override async handle(): Promise<void> {
    await this.wfile.write(await this.rfile.readline());
  }
}

/** A server whose handleError records what it is given instead of printing it. */
function recordingServer(Handler: new (...args: never[]) => StreamRequestHandler, Server = TCPServer) {
  const errors: unknown[] = [];
  const shutdowns: unknown[] = [];
  class Recording extends Server {
    override async handleError(_request: Socket, _address: Address | null, error: unknown): Promise<void> {
      errors.push(error);
    }
    override async shutdownRequest(request: Socket): Promise<void> {
      shutdowns.push(request);
      await super.shutdownRequest(request);
    }
  }
  return { server: new Recording(["127.0.0.1", 0], Handler as typeof Echo), errors, shutdowns };
}

/** Connects, sends a line, and handles exactly that one request; returns what came back. */
async function oneRequest(server: TCPServer): Promise<string> {
  await server.ready;
  const reply = exchange(server.serverAddress, "ping\n", AF_INET);
  await server.handleRequest();
  return reply;
}

describe("a TypeError thrown by a user's override reaches handleError()", () => {
  const broken = {
    setup: class extends Echo {
      override async setup(): Promise<void> {
        await super.setup();
        throw new TypeError("bug in setup");
      }
    },
    handle: class extends Echo {
      override async handle(): Promise<void> {
        await super.handle();
        throw new TypeError("bug in handle");
      }
    },
    finish: class extends Echo {
      override async finish(): Promise<void> {
        await super.finish();
        throw new TypeError("bug in finish");
      }
    },
  };
  for (const [step, Broken] of Object.entries(broken)) {
    test(`BaseServer.handleRequest() passes a TypeError from ${step}() to handleError() and shuts the request down`, async () => {
      const { server, errors, shutdowns } = recordingServer(Broken);
      try {
        await oneRequest(server);
        assert.equal(errors.length, 1);
        assert.ok(errors[0] instanceof TypeError);
        assert.equal((errors[0] as Error).message, `bug in ${step}`);
        assert.equal(shutdowns.length, 1);
      } finally {
        await server.serverClose();
      }
    });
  }

  const brokenServers = {
    verifyRequest: class extends TCPServer {
      override async verifyRequest(): Promise<boolean> {
        throw new TypeError("bug in verifyRequest");
      }
    },
    processRequest: class extends TCPServer {
      override async processRequest(): Promise<void> {
        throw new TypeError("bug in processRequest");
      }
    },
  };
  for (const [step, BrokenServer] of Object.entries(brokenServers)) {
    test(`BaseServer.handleRequest() passes a TypeError from ${step}() to handleError()`, async () => {
      const { server, errors, shutdowns } = recordingServer(Echo, BrokenServer as typeof TCPServer);
      try {
        assert.equal(await oneRequest(server), "");
        assert.equal(errors.length, 1);
        assert.ok(errors[0] instanceof TypeError);
        assert.equal(shutdowns.length, 1);
      } finally {
        await server.serverClose();
      }
    });
  }

  test("StreamRequestHandler.finish() passes a TypeError from the final flush on, and ignores an OSError", async () => {
    for (const [error, reported] of [
      [new TypeError("flush bug"), true],
      [new ConnectionAbortedError(103), false],
    ] as const) {
      class FlushFails extends Echo {
        override async handle(): Promise<void> {
          await super.handle();
          this.wfile.flush = async () => {
            throw error;
          };
        }
      }
      const { server, errors } = recordingServer(FlushFails);
      try {
        await oneRequest(server);
        assert.deepEqual(errors, reported ? [error] : [], String(error));
      } finally {
        await server.serverClose();
      }
    }
  });
});

describe("getRequest() failures, as Python's _handle_request_noblock treats them", () => {
  test("BaseServer.handleRequest() ignores an OSError from getRequest() and lets a TypeError propagate", async () => {
    for (const [error, propagates] of [
      [new OSError(103, "Software caused connection abort"), false],
      [new TypeError("getRequest bug"), true],
    ] as const) {
      class Failing extends TCPServer {
        override async getRequest(): Promise<[Socket, Address | null]> {
          const [conn] = await super.getRequest();
          conn.close();
          throw error;
        }
      }
      const { server, errors } = recordingServer(Echo, Failing as typeof TCPServer);
      try {
        await server.ready;
        const client = new Socket(AF_INET);
        await client.connect(server.serverAddress);
        const handled = server.handleRequest();
        if (propagates) await assert.rejects(handled, (e) => e === error);
        else await handled;
        assert.deepEqual(errors, []);
        client.close();
      } finally {
        await server.serverClose();
      }
    }
  });

  test("python3's socketserver also ignores OSError from get_request and propagates TypeError", {
    skip: peerSkip("python3", hasCommand("python3")),
  }, async () => {
    const outcome = await python<Record<string, string>>(
      `import json, socket, socketserver
out = {}
for name, exc in (("OSError", OSError(103, "x")), ("TypeError", TypeError("bug"))):
    class S(socketserver.TCPServer):
        def get_request(self):
            conn, addr = super().get_request()
            conn.close()
            raise exc
        def handle_error(self, request, address):
            out[name] = "handle_error"
    with S(("127.0.0.1", 0), socketserver.StreamRequestHandler) as s:
        c = socket.create_connection(s.server_address)
        try:
            s.handle_request()
            out.setdefault(name, "ignored")
        except TypeError:
            out[name] = "propagated"
        c.close()
print(json.dumps(out))`,
    );
    assert.deepEqual(outcome, { OSError: "ignored", TypeError: "propagated" });
  });
});
