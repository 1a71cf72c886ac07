/**
 * netkit/errors' non-OS classes: Python's tree, stable codes, and the text
 * of `str(KeyError(key))`, compared with python3's.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  KeyError,
  LookupError,
  OSError,
  RuntimeError,
  strerror,
  ValueError,
} from "../../src/errors/index.js";
import { hasCommand, peerSkip } from "../_support/peers.js";
import { python } from "../_support/python.js";

test("KeyError is a LookupError with the key and code ERR_KEY", () => {
  const err = new KeyError("name");
  assert.ok(err instanceof LookupError && err instanceof Error);
  assert.equal(err.key, "name");
  assert.equal(err.code, "ERR_KEY");
  assert.equal(err.name, "KeyError");
  assert.equal(String(err), "KeyError: 'name'");
  assert.equal(new KeyError(null).message, "None");
});

test("RuntimeError has its own code and is not a ValueError", () => {
  const err = new RuntimeError("Can't set up tunnel for established connection");
  assert.equal(err.code, "ERR_RUNTIME");
  assert.equal(err.name, "RuntimeError");
  assert.ok(!(err instanceof ValueError));
});

test("str(KeyError(key)) equals python3's for quotes, controls and non-ASCII", {
  skip: peerSkip("python3", hasCommand("python3")),
}, async () => {
  const keys = ["plain", "it's", `both ' and "`, "tab\there", "nl\n", "é", "\u0000", "\u200b", "😀"];
  const expected = await python<string[]>(
    "import sys, json; print(json.dumps([str(KeyError(k)) for k in json.load(sys.stdin)]))",
    keys,
  );
  assert.deepEqual(
    keys.map((k) => new KeyError(k).message),
    expected,
  );
});

test("strerror() and OSError messages are glibc's, as python3's os.strerror gives them, for every errno", {
  skip: peerSkip("python3", hasCommand("python3")),
}, async () => {
  const errnos = Array.from({ length: 140 }, (_, i) => i + 1);
  const theirs = await python<string[]>(
    "import json, os, sys\nprint(json.dumps([os.strerror(n) for n in json.load(sys.stdin)]))",
    errnos,
  );
  for (const [i, n] of errnos.entries()) {
    assert.equal(strerror(n), theirs[i], `strerror(${n})\npython: ${theirs[i]}\nnetkit: ${strerror(n)}`);
  }
  assert.equal(new OSError(21, undefined, "d").message, "[Errno 21] Is a directory: 'd'");
});
