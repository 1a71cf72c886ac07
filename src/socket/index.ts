/**
 * `netkit/socket`: Python's `socket` module, awaitable.
 *
 * - `Socket`: the socket object (AF_INET, AF_INET6, AF_UNIX × SOCK_STREAM, SOCK_DGRAM).
 * - `createConnection`, `createServer`, `socketpair`: Python's convenience constructors.
 * - Look-ups: `gethostname`, `gethostbyname`, `getaddrinfo`, `getnameinfo`, `getservbyname`, ...
 * - Conversions: `inet_aton`, `inet_pton`, `htons`, ... (C names, as in Python).
 * - Errors: `OSError` and its subclasses, `timeout`, `gaierror`, `herror`.
 * - Constants: `AF_INET`, `SOCK_STREAM`, `SOL_SOCKET`, `SO_REUSEADDR`, ...
 *
 * @example
 * ```ts world
 * import { createConnection } from "netkit/socket";
 * await using sock = await createConnection(["localhost", 8000], { timeout: 5 });
 * await sock.sendall(Buffer.from("GET / HTTP/1.0\r\n\r\n"));
 * console.log((await sock.recv(4096)).toString());
 * ```
 *
 * @module
 */
export { UnixDatagramUnavailableError } from "./_datagram.js";
export type { Address, INET6Address, INETAddress, UNIXAddress } from "./address.js";
export * from "./constants.js";
export {
  type CreateConnectionOptions,
  type CreateServerOptions,
  createConnection,
  createServer,
  has_dualstack_ipv6,
  socketpair,
} from "./create.js";
export * from "./errors.js";
export { htonl, htons, inet_aton, inet_ntoa, inet_ntop, inet_pton, ntohl, ntohs } from "./inet.js";
export {
  type AddrInfo,
  type GetaddrinfoOptions,
  getaddrinfo,
  getfqdn,
  gethostbyaddr,
  gethostbyname,
  gethostbyname_ex,
  gethostname,
  getnameinfo,
  getprotobyname,
  getservbyname,
  getservbyport,
  has_ipv6,
  RESOLVE_TIMEOUT,
  type ResolveOptions,
} from "./names.js";
export { getdefaulttimeout, type MakefileOptions, Socket, setdefaulttimeout } from "./socket.js";
