/**
 * `netkit/xmlrpc/server`: Python 3.11's `xmlrpc.server`. For now the
 * transport-independent half: `SimpleXMLRPCDispatcher` (register functions
 * or an instance, introspection, multicall, `_marshaledDispatch` from a
 * request body to a response body). The HTTP server classes
 * (`SimpleXMLRPCServer`, `SimpleXMLRPCRequestHandler`, ...) come with
 * `netkit/http/server`.
 *
 * @module
 */
export {
  type DispatcherOptions,
  type DispatchInstance,
  listPublicMethods,
  type RpcFunction,
  resolveDottedAttribute,
  SimpleXMLRPCDispatcher,
} from "./_dispatcher.js";
export { Fault } from "./_errors.js";
