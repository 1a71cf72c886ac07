/**
 * `netkit/xmlrpc/client`: Python 3.11's `xmlrpc.client` — call XML-RPC
 * servers, and turn values into XML-RPC and back, byte for byte as Python.
 *
 * ```text
 *  ServerProxy ──call()/proxy.a.b()──► dumps ──► Transport ──HTTP POST──► server
 *       ▲                                         (HTTPConnection, kept alive,
 *       └──── result / Fault ◄── loads ◄── gzip ◄──  retried once when closed)
 *  MultiCall(proxy): calls recorded, sent as one system.multicall
 * ```
 *
 * | Python | netkit |
 * | --- | --- |
 * | `ServerProxy(uri, allow_none=True)` | `new ServerProxy(uri, { allowNone: true })` |
 * | `proxy.examples.getStateName(41)` | `await proxy.examples.getStateName(41)` |
 * | `getattr(proxy, "x-y")(1)` | `await proxy.call("x-y", 1)` or `proxy["x-y"](1)` |
 * | `MultiCall(proxy)()` | `await new MultiCall(proxy)()` |
 * | `dumps((1,), methodname="f")` | `dumps([1], { methodname: "f" })` |
 * | `loads(data)` → `(params, method)` | `loads(data)` → `[params, method]` |
 * | `Transport`, `SafeTransport` | the same classes, async |
 *
 * How JS values map to XML-RPC types is in `dumps`'s and `loads`'s docs:
 * whole numbers are `<int>` (range-checked: `OverflowError`), other numbers
 * `<double>` written as Python's `repr`, `bigint` is `<int>`; `<int>` and
 * `<i8>` read back as `number`, or `bigint` beyond 2**53.
 *
 * Safer than Python: the XML reader refuses DTDs (no billion laughs, no
 * XXE), and limits document size (20 MiB) and nesting (1000 elements);
 * the transport has a timeout and a response size limit; credentials stay
 * out of error messages; method names are escaped. Each is overridable.
 *
 * @module
 */

export { Error, ExpatError, Fault, ProtocolError, ResponseError } from "./_errors.js";
export { escape } from "./_escape.js";
export { gzipDecode, gzipEncode } from "./_gzip.js";
export { MAX_DEPTH, MAX_DOCUMENT_SIZE, MAX_GZIP_DECODE } from "./_limits.js";
export { type DumpsOptions, dumps, MAXINT, Marshaller, MININT } from "./_marshal.js";
export {
  MultiCall,
  type MultiCallConstructor,
  MultiCallIterator,
  type RecordedMethod,
  type Recorder,
} from "./_multicall.js";
export {
  type Remote,
  type RemoteMethod,
  Server,
  ServerProxy,
  ServerProxyBase,
  type ServerProxyConstructor,
  type ServerProxyOptions,
  type UntypedRemote,
} from "./_proxy.js";
export { SafeTransport, type SafeTransportOptions } from "./_safetransport.js";
export { type HeaderList, Transport, type TransportOptions, USER_AGENT } from "./_transport.js";
export { Binary, DateTime, Double, type TimeTuple } from "./_types.js";
export { getparser, type LoadsOptions, loads, Unmarshaller, XmlParser } from "./_unmarshal.js";

/** Python's `xmlrpc.client.boolean` (and `Boolean`): `bool`, here `Boolean`. */
export const boolean: (value?: unknown) => boolean = Boolean;

// Error codes from Dan Libby's specification (Python's constants).
/** Python's `PARSE_ERROR` range start: -32700. */
export const PARSE_ERROR = -32700;
/** Python's `SERVER_ERROR`: -32600. */
export const SERVER_ERROR = -32600;
/** Python's `APPLICATION_ERROR`: -32500. */
export const APPLICATION_ERROR = -32500;
/** Python's `SYSTEM_ERROR`: -32400. */
export const SYSTEM_ERROR = -32400;
/** Python's `TRANSPORT_ERROR`: -32300. */
export const TRANSPORT_ERROR = -32300;
/** Python's `NOT_WELLFORMED_ERROR`: -32700. */
export const NOT_WELLFORMED_ERROR = -32700;
/** Python's `UNSUPPORTED_ENCODING`: -32701. */
export const UNSUPPORTED_ENCODING = -32701;
/** Python's `INVALID_ENCODING_CHAR`: -32702. */
export const INVALID_ENCODING_CHAR = -32702;
/** Python's `INVALID_XMLRPC`: -32600. */
export const INVALID_XMLRPC = -32600;
/** Python's `METHOD_NOT_FOUND`: -32601. */
export const METHOD_NOT_FOUND = -32601;
/** Python's `INVALID_METHOD_PARAMS`: -32602. */
export const INVALID_METHOD_PARAMS = -32602;
/** Python's `INTERNAL_ERROR`: -32603. */
export const INTERNAL_ERROR = -32603;
