/**
 * A sample of the stable codes netkit's errors carry (issue 12 §9), one per
 * family: Python's TypeErrors given a code with withCode(), the errno names
 * OSErrors take from the errno table, netkit's own state errors, and
 * toError() for a thrown non-Error. test/package/errors.test.ts checks that
 * no error in src/ is built without one.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { EBADF, hasCode, isSystemError, OSError, toError, withCode } from "../../src/errors/index.js";
import { BufferedReader } from "../../src/io/reader.js";
import { AF_INET } from "../../src/socket/constants.js";
import { inet_pton } from "../../src/socket/inet.js";
import { Socket } from "../../src/socket/socket.js";
import { StreamRequestHandler } from "../../src/socketserver/handlers.js";
import { TCPServer } from "../../src/socketserver/servers.js";
import { quoteFromBytes } from "../../src/urllib/parse.js";
import { dumps } from "../../src/xmlrpc/client.js";

/** Asserts `fn` throws an error of `Class` with `code` (and `message` when given). */
function throwsCode(
  fn: () => unknown,
  Class: new (...args: never[]) => Error,
  code: string,
  message?: string,
): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof Class, `${String(err)} is not a ${Class.name}`);
    assert.equal((err as { code?: unknown }).code, code);
    if (message !== undefined) assert.equal(err.message, message);
    return true;
  });
}

test("withCode() gives a built-in error a read-only, enumerable code", () => {
  const err = withCode(new RangeError("r"), "ERR_TEST");
  assert.equal(err.code, "ERR_TEST");
  assert.ok(Object.getOwnPropertyDescriptor(err, "code")?.enumerable);
  assert.throws(() => {
    (err as { code: string }).code = "other";
  }, TypeError);
});

test("toError() passes an Error through and wraps anything else with code ERR_NON_ERROR_THROWN", () => {
  const e = new Error("x");
  assert.equal(toError(e), e);
  const wrapped = toError("plain string");
  assert.equal(wrapped.message, "plain string");
  assert.equal((wrapped as { code?: string }).code, "ERR_NON_ERROR_THROWN");
  assert.equal(wrapped.cause, "plain string");
});

test("dumps() refuses what XML-RPC cannot carry with Python's TypeError text and code ERR_XMLRPC_CANNOT_MARSHAL", () => {
  throwsCode(
    () => dumps([new Set([1])]),
    TypeError,
    "ERR_XMLRPC_CANNOT_MARSHAL",
    "cannot marshal <class 'set'> objects",
  );
  throwsCode(() => dumps([() => 1]), TypeError, "ERR_XMLRPC_CANNOT_MARSHAL");
  throwsCode(() => dumps([null]), TypeError, "ERR_XMLRPC_CANNOT_MARSHAL");
  const loop: unknown[] = [];
  loop.push(loop);
  throwsCode(() => dumps([loop]), TypeError, "ERR_XMLRPC_RECURSIVE");
});

test("quoteFromBytes() and settimeout() refuse a wrong type with code ERR_INVALID_ARG_TYPE", () => {
  throwsCode(
    () => quoteFromBytes("text" as never),
    TypeError,
    "ERR_INVALID_ARG_TYPE",
    "quote_from_bytes() expected bytes",
  );
  const sock = new Socket(AF_INET);
  try {
    throwsCode(() => sock.settimeout("1" as never), TypeError, "ERR_INVALID_ARG_TYPE");
  } finally {
    sock.close();
  }
});

test("OSErrors built from the errno table carry the errno's name as code", () => {
  throwsCode(
    () => inet_pton(12345, "1.2.3.4"),
    OSError,
    "EAFNOSUPPORT",
    "[Errno 97] Address family not supported by protocol",
  );
  throwsCode(
    () => new Socket(AF_INET, 12345),
    OSError,
    "ESOCKTNOSUPPORT",
    "[Errno 94] Socket type not supported",
  );
});

test("BufferedReader.read() refuses a second concurrent read with code ERR_READ_IN_PROGRESS", async () => {
  const reader = new BufferedReader({ readChunk: () => new Promise<Buffer>(() => {}) });
  void reader.read(1);
  await assert.rejects(
    reader.read(1),
    (err: unknown) => (err as { code?: string }).code === "ERR_READ_IN_PROGRESS",
  );
});

test("serveForever() called twice rejects with code ERR_SERVER_ALREADY_SERVING", async () => {
  const server = new TCPServer(["127.0.0.1", 0], StreamRequestHandler);
  await server.ready;
  const serving = server.serveForever(0.05);
  try {
    await assert.rejects(server.serveForever(0.05), (err: unknown) => {
      return (err as { code?: string }).code === "ERR_SERVER_ALREADY_SERVING";
    });
  } finally {
    await server.shutdown();
    await serving;
    await server.serverClose();
  }
});

test("isSystemError() accepts OSErrors and Node system errors, nothing else; hasCode() matches a code", async () => {
  const { readFile } = await import("node:fs/promises");
  const enoent = await readFile("/nonexistent/netkit-probe").catch((e: unknown) => e);
  assert.ok(isSystemError(enoent));
  assert.ok(isSystemError(new OSError(EBADF)));
  assert.ok(!isSystemError(new TypeError("bug")));
  assert.ok(!isSystemError(withCode(new Error("x"), "ERR_SOMETHING")));
  assert.ok(!isSystemError("ENOENT"));
  assert.ok(hasCode(enoent, "ENOENT"));
  assert.ok(!hasCode({ code: "ENOENT" }, "ENOENT"));
});
