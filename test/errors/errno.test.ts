/**
 * netkit/errors' errno table (src/errors/errno.ts): names and numbers as
 * Node's `os.constants.errno` and Python's `errno` module give them, the
 * name chosen for a shared number as Python's `errno.errorcode` chooses it,
 * and the OSError subclass picked by number as python3 picks it.
 */
import assert from "node:assert/strict";
import { constants } from "node:os";
import { test } from "node:test";
import {
  BlockingIOError,
  BrokenPipeError,
  EAGAIN,
  EBADF,
  ESHUTDOWN,
  ESOCKTNOSUPPORT,
  errnoName,
  errnoNumber,
  OSError,
} from "../../src/errors/index.js";
import { hasCommand, peerSkip } from "../_support/peers.js";
import { python } from "../_support/python.js";

test("errno constants are Node's numbers, with Linux's where Node has none", () => {
  assert.equal(EBADF, constants.errno.EBADF);
  assert.equal(EAGAIN, constants.errno.EAGAIN);
  assert.equal(errnoNumber("EBADF"), EBADF);
  assert.equal(errnoNumber("toString"), undefined);
  if (process.platform === "linux") {
    assert.equal(ESOCKTNOSUPPORT, 94);
    assert.equal(ESHUTDOWN, 108);
  }
});

test("OSError.fromErrno() picks python3's subclass for EAGAIN and ESHUTDOWN, with Python's code", () => {
  const again = OSError.fromErrno(EAGAIN);
  assert.ok(again instanceof BlockingIOError);
  assert.equal(again.code, "EAGAIN");
  const shutdown = OSError.fromErrno(ESHUTDOWN);
  assert.ok(shutdown instanceof BrokenPipeError);
  assert.equal(shutdown.code, "ESHUTDOWN");
  assert.equal(new OSError(ESOCKTNOSUPPORT).code, "ESOCKTNOSUPPORT");
});

test("errnoName() and errnoNumber() agree with python3's errno module for every Linux errno", {
  skip: process.platform !== "linux" ? "Linux numbering" : peerSkip("python3", hasCommand("python3")),
}, async () => {
  const theirs = await python<{ codes: Record<string, string>; names: Record<string, number> }>(
    "import errno, json\nprint(json.dumps({'codes': errno.errorcode, " +
      "'names': {n: getattr(errno, n) for n in dir(errno) if n.startswith('E')}}))",
  );
  for (const [n, name] of Object.entries(theirs.codes)) {
    assert.equal(
      errnoName(Number(n)),
      name,
      `errno.errorcode[${n}]\npython: ${name}\nnetkit: ${errnoName(Number(n))}`,
    );
  }
  for (const [name, n] of Object.entries(theirs.names)) {
    assert.equal(errnoNumber(name), n, `errno.${name}\npython: ${n}\nnetkit: ${errnoNumber(name)}`);
  }
});
