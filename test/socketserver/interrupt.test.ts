/**
 * `serveUntilInterrupted` (src/socketserver/interrupt.ts): Ctrl-C (a SIGINT
 * event, emitted in-process) and an AbortSignal stop a real server; the
 * listener is there only while serving. The commands built on it are tested
 * with a real SIGINT in test/cli/.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { StreamRequestHandler, serveUntilInterrupted, TCPServer } from "../../src/socketserver/index.js";

class Quiet extends StreamRequestHandler {
  override async handle(): Promise<void> {}
}

/** A bound server, and a sink for what serveUntilInterrupted prints. */
async function setup() {
  const server = new TCPServer(["127.0.0.1", 0], Quiet);
  await server.ready;
  const written: string[] = [];
  return { server, written, out: { write: (text: string) => written.push(text) } };
}

test("serveUntilInterrupted() stops on SIGINT with Python's message, then stops listening for it", async () => {
  const { server, written, out } = await setup();
  const before = process.listenerCount("SIGINT");
  let during = -1;
  try {
    await serveUntilInterrupted(server, {
      out,
      onServing: () => {
        during = process.listenerCount("SIGINT");
        // serveForever has not started yet: the interrupt lands as soon as it does.
        setImmediate(() => process.emit("SIGINT", "SIGINT"));
      },
    });
  } finally {
    await server.serverClose();
  }
  assert.equal(during, before + 1, "onServing runs with the SIGINT listener in place");
  assert.equal(process.listenerCount("SIGINT"), before, "a second Ctrl-C meets what listened before");
  assert.deepEqual(written, ["\nKeyboard interrupt received, exiting.\n"]);
});

test("serveUntilInterrupted() stops when the signal aborts, silently", async () => {
  const { server, written, out } = await setup();
  const before = process.listenerCount("SIGINT");
  const stop = new AbortController();
  try {
    await serveUntilInterrupted(server, {
      out,
      signal: stop.signal,
      onServing: () => setImmediate(() => stop.abort()),
    });
  } finally {
    await server.serverClose();
  }
  assert.equal(process.listenerCount("SIGINT"), before);
  assert.deepEqual(written, []);
});

test("serveUntilInterrupted() with a signal already aborted announces and returns without serving", async () => {
  const { server, out } = await setup();
  let announced = false;
  let served = false;
  const original = server.serveForever.bind(server);
  server.serveForever = () => {
    served = true;
    return original();
  };
  try {
    await serveUntilInterrupted(server, {
      out,
      signal: AbortSignal.abort(),
      onServing: () => (announced = true),
    });
  } finally {
    await server.serverClose();
  }
  assert.deepEqual([announced, served], [true, false]);
});

test("serveUntilInterrupted() passes serveForever's error on and still removes its listener", async () => {
  const before = process.listenerCount("SIGINT");
  const failing = {
    serveForever: () => Promise.reject(new Error("cannot serve")),
    shutdown: () => Promise.resolve(),
  };
  await assert.rejects(serveUntilInterrupted(failing, { out: { write: () => true } }), /cannot serve/);
  assert.equal(process.listenerCount("SIGINT"), before);
});
