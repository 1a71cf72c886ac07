/**
 * examples/xmlrpc_server.ts: the Python docs' example server, called with
 * netkit's ServerProxy (introspection, the three ways of registering,
 * multicall, /RPC2 only) and with python3's xmlrpc.client.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { buildServer } from "../../examples/xmlrpc_server.js";
import { MultiCall, ServerProxy } from "../../src/xmlrpc/client.js";
import { hasCommand, peerSkip } from "../_support/peers.js";
import { PYTHON, python } from "../_support/python.js";
import { serve } from "./server-support.js";

interface Api {
  add(x: number, y: number): number;
  mul(x: number, y: number): number;
  pow(x: number, y: number): number;
}

test("xmlrpc_server example: introspection, functions, instance, multicall on /RPC2", async () => {
  const srv = await serve(buildServer("127.0.0.1", 0, { logRequests: false }));
  try {
    await using proxy = new ServerProxy<Api>(srv.url, { timeout: 5 });
    assert.deepEqual(await proxy.call("system.listMethods"), [
      "add",
      "mul",
      "pow",
      "system.listMethods",
      "system.methodHelp",
      "system.methodSignature",
      "system.multicall",
    ]);
    assert.equal(await proxy.add(2, 3), 5);
    assert.equal(await proxy.mul(6, 7), 42);
    assert.equal(await proxy.pow(2, 10), 1024);
    assert.equal(await proxy.call("system.methodHelp", "add"), "Add two numbers.");
    assert.equal(await proxy.call("system.methodHelp", "mul"), "Multiply two numbers.");
    const multi = new MultiCall<Api>(proxy);
    multi.add(1, 1);
    multi.mul(2, 3);
    assert.deepEqual([...(await multi())], [2, 6]);
    await using elsewhere = new ServerProxy(`http://127.0.0.1:${srv.port}/`, { timeout: 5 });
    await assert.rejects(elsewhere.call("add", 1, 1), { name: "ProtocolError", errcode: 404 });
  } finally {
    await srv.close();
  }
});

test("xmlrpc_server example: python3's xmlrpc.client calls it", {
  skip: peerSkip("python3", hasCommand(PYTHON)),
}, async () => {
  const srv = await serve(buildServer("127.0.0.1", 0, { logRequests: false }));
  try {
    const got = await python<unknown[]>(
      `
import json, sys, xmlrpc.client as xc
s = xc.ServerProxy(json.load(sys.stdin))
m = xc.MultiCall(s); m.pow(2, 3); m.add(2, 3); m.mul(5, 2)
print(json.dumps([s.pow(2, 3), s.add(2, 3), s.mul(5, 2), list(m()), s.system.methodHelp("pow")]))
`,
      srv.url,
    );
    assert.deepEqual(got, [8, 5, 10, [8, 5, 10], "Return base to the power exp."]);
  } finally {
    await srv.close();
  }
});
