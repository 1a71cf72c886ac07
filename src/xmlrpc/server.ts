/**
 * `netkit/xmlrpc/server`: Python 3.11's `xmlrpc.server`.
 *
 * ```text
 * XMLRPCDispatcherMixIn ─┬─ SimpleXMLRPCDispatcher        registry, introspection, multicall, _marshaledDispatch
 *                        ├─ SimpleXMLRPCServer (TCPServer) ─┬─ MultiPathXMLRPCServer   a dispatcher per path
 *                        │                                 ├─ ThreadingXMLRPCServer    concurrent clients
 *                        │                                 └─ DocXMLRPCServer (+ XMLRPCDocGenerator) ─ ThreadingDocXMLRPCServer
 *                        └─ CGIXMLRPCRequestHandler ─ DocCGIXMLRPCRequestHandler (+ XMLRPCDocGenerator)
 * BaseHTTPRequestHandler ─ SimpleXMLRPCRequestHandler ─ DocXMLRPCRequestHandler (GET: the HTML page)
 * ```
 *
 * | Python | netkit |
 * | --- | --- |
 * | `SimpleXMLRPCServer(("localhost", 8000), allow_none=True)` | `new SimpleXMLRPCServer(["localhost", 8000], { allowNone: true })` |
 * | `server.register_function(pow)` | `server.registerFunction(pow)` |
 * | `@server.register_function(name="add")` | `server.registerFunction({ name: "add" })(fn)` |
 * | `server.register_instance(obj, allow_dotted_names=True)` | `server.registerInstance(obj, { allowDottedNames: true })` |
 * | `class T(ThreadingMixIn, SimpleXMLRPCServer)` | `ThreadingXMLRPCServer` |
 * | a function's docstring | its `__doc__` string property (`__signature__` for the page) |
 * | `server.serve_forever()` | `await server.serveForever()` |
 *
 * Safer than Python: requests are parsed without DTDs (no billion laughs,
 * no external entities) within size and depth limits; bodies are bounded in
 * size (413) and time (408), gzip bodies in decoded size; an instance
 * exposes only its own methods; the documentation page escapes everything
 * it shows. Each class says where it differs.
 *
 * @module
 */
export {
  CGIXMLRPCRequestHandler,
  type CGIXMLRPCRequestHandlerOptions,
  DocCGIXMLRPCRequestHandler,
} from "./_cgi.js";
export {
  type DispatcherOptions,
  type DispatchInstance,
  listPublicMethods,
  type RpcFunction,
  resolveDottedAttribute,
  SimpleXMLRPCDispatcher,
  type XMLRPCDispatcherMembers,
  XMLRPCDispatcherMixIn,
} from "./_dispatcher.js";
export {
  DocXMLRPCRequestHandler,
  DocXMLRPCServer,
  type DocXMLRPCServerOptions,
  PYDOC_CSS,
  ServerHTMLDoc,
  ThreadingDocXMLRPCServer,
  XMLRPCDocGenerator,
} from "./_doc.js";
export { Fault } from "./_errors.js";
export {
  MultiPathXMLRPCServer,
  type PathDispatcher,
  SimpleXMLRPCRequestHandler,
  SimpleXMLRPCServer,
  type SimpleXMLRPCServerOptions,
  ThreadingXMLRPCServer,
  type XMLRPCHandlerServer,
} from "./_server.js";
export {
  DEFAULT_BODY_TIMEOUT,
  MAX_DECODED_SIZE,
  MAX_REQUEST_SIZE,
} from "./_serverLimits.js";
