/**
 * An XML-RPC server, as the example in Python's `xmlrpc.server` docs:
 * functions registered by name, a decorator-style registration, an
 * instance's methods, introspection and multicall, served on /RPC2 only.
 *
 * Python:
 * ```python
 * class RequestHandler(SimpleXMLRPCRequestHandler):
 *     rpc_paths = ('/RPC2',)
 * with SimpleXMLRPCServer(('localhost', 8000), requestHandler=RequestHandler) as server:
 *     server.register_introspection_functions()
 *     server.register_function(pow)
 *     @server.register_function(name='add')
 *     def adder_function(x, y): return x + y
 *     class MyFuncs:
 *         def mul(self, x, y): return x * y
 *     server.register_instance(MyFuncs())
 *     server.register_multicall_functions()
 *     server.serve_forever()
 * ```
 *
 * Run: `npx tsx examples/xmlrpc_server.ts [--host 127.0.0.1] [--port 8000]`,
 * then from Python: `xmlrpc.client.ServerProxy("http://127.0.0.1:8000/RPC2").add(2, 3)`
 * or `npx tsx examples/xmlrpc_client.ts --url http://127.0.0.1:8000/RPC2` (it
 * expects Python's demo methods; `system.listMethods` works everywhere).
 */
import { SimpleXMLRPCRequestHandler, ThreadingXMLRPCServer } from "../src/xmlrpc/server.js";
import { isMain, parseEndpoint } from "./_args.js";

/** Serves /RPC2 only, as the Python example's handler. */
class RequestHandler extends SimpleXMLRPCRequestHandler {
  override rpcPaths = ["/RPC2"];
}

/** The example's methods on a server (concurrent clients: `ThreadingXMLRPCServer`). */
export function buildServer(
  host: string,
  port: number,
  options: { logRequests?: boolean } = {},
): ThreadingXMLRPCServer {
  const server = new ThreadingXMLRPCServer([host, port], {
    requestHandler: RequestHandler,
    logRequests: options.logRequests ?? true,
  });
  server.registerIntrospectionFunctions();
  server.registerFunction(
    Object.assign((base: number, exp: number) => base ** exp, { __doc__: "Return base to the power exp." }),
    "pow",
  );
  // Python's @server.register_function(name='add')
  server.registerFunction({ name: "add" })(
    Object.assign(
      function adderFunction(x: number, y: number) {
        return x + y;
      },
      { __doc__: "Add two numbers." },
    ),
  );
  class MyFuncs {
    mul(x: number, y: number): number {
      return x * y;
    }
  }
  Object.assign(MyFuncs.prototype.mul, { __doc__: "Multiply two numbers." });
  server.registerInstance(new MyFuncs());
  server.registerMulticallFunctions();
  return server;
}

/** Command-line entry: serves until Ctrl-C. */
export async function main(argv: string[]): Promise<void> {
  const { host, port } = parseEndpoint(argv, { host: "127.0.0.1", port: 8000 });
  await using server = buildServer(host, port);
  await server.ready;
  const [boundHost, boundPort] = server.serverAddress;
  console.log(`Serving XML-RPC on http://${boundHost}:${boundPort}/RPC2 (Ctrl-C to stop)`);
  process.once("SIGINT", () => void server.shutdown());
  await server.serveForever();
}

if (isMain(import.meta.url)) await main(process.argv.slice(2));
