/**
 * examples/xmlrpc_client.ts against its in-process netkit SimpleXMLRPCServer and against
 * python3's own demo server (`xmlrpc.server`'s ExampleService, on port 0).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { demoServer, xmlrpcClient } from "../../examples/xmlrpc_client.js";
import { hasCommand, peerSkip } from "../_support/peers.js";
import { startPython } from "../_support/python.js";

test("xmlrpc_client example: against its in-process netkit SimpleXMLRPCServer", async () => {
  const server = await demoServer();
  try {
    const [time, ...rest] = await xmlrpcClient(server.url);
    assert.match(time ?? "", /^\d{8}T\d\d:\d\d:\d\d$/);
    assert.deepEqual(rest, ["42", "512", "3"]);
  } finally {
    await server.close();
  }
});

test("xmlrpc_client example: against python3's demo service", {
  skip: peerSkip("python3", hasCommand("python3")),
}, async () => {
  const { child, firstLine } = await startPython(`
from xmlrpc.server import SimpleXMLRPCServer, SimpleXMLRPCRequestHandler
import datetime
class ExampleService:
    def getData(self): return '42'
    class currentTime:
        @staticmethod
        def getCurrentTime(): return datetime.datetime.now()
srv = SimpleXMLRPCServer(('127.0.0.1', 0), allow_none=True, logRequests=False)
srv.register_function(pow)
srv.register_function(lambda x, y: x + y, 'add')
srv.register_instance(ExampleService(), allow_dotted_names=True)
srv.register_multicall_functions()
print(srv.server_address[1], flush=True)
srv.serve_forever()
`);
  try {
    const [time, ...rest] = await xmlrpcClient(`http://127.0.0.1:${firstLine}`);
    assert.match(time ?? "", /^\d{8}T\d\d:\d\d:\d\d$/);
    assert.deepEqual(rest, ["42", "512", "3"]);
  } finally {
    child.kill("SIGKILL");
  }
});
