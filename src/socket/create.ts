/**
 * Python's convenience constructors: `create_connection`, `create_server`
 * and `socketpair`, built on `Socket`.
 *
 * @module
 */
import { randomBytes } from "node:crypto";
import { isIPv4 } from "node:net";
import { OSError, ValueError } from "../errors/index.js";
import type { Address, INET6Address, INETAddress } from "./address.js";
import {
  AF_INET,
  AF_INET6,
  AF_UNIX,
  IPPROTO_IPV6,
  IPPROTO_TCP,
  IPV6_V6ONLY,
  SO_REUSEPORT,
  SOCK_DGRAM,
  SOCK_STREAM,
  SOL_SOCKET,
} from "./constants.js";
import { formatAddressBytes, parseIPv6 } from "./inet.js";
import { type AddrInfo, getaddrinfo } from "./names.js";
import { getdefaulttimeout, Socket } from "./socket.js";

/** Options for `createConnection`, Python's keyword arguments. */
export interface CreateConnectionOptions {
  /**
   * Seconds for the connection attempt and for the returned socket
   * (`null`: no limit).
   * @default getdefaulttimeout()
   */
  timeout?: number | null;
  /** Local `[host, port]` to connect from. @default none (the kernel chooses) */
  sourceAddress?: INETAddress | INET6Address;
  /**
   * When every address fails, throw an `AggregateError` of all failures
   * instead of the last one (Python 3.11's `all_errors`, which raises an ExceptionGroup).
   * @default false
   */
  allErrors?: boolean;
}

/**
 * Python's `socket.create_connection((host, port))`: resolves `host`, tries
 * each address it has in turn (IPv6 and IPv4) and resolves with the first
 * socket that connects.
 * @throws the last connection error (all of them with `allErrors`), `gaierror` when the name does not resolve
 * @example
 * ```ts world
 * const sock = await createConnection(["localhost", 8000], { timeout: 5 });
 * ```
 */
export async function createConnection(
  address: [host: string, port: number | string],
  options: CreateConnectionOptions = {},
): Promise<Socket> {
  const [host, port] = address;
  const timeout = options.timeout === undefined ? getdefaulttimeout() : options.timeout;
  const errors: unknown[] = [];
  for (const [family, type, proto, , sockaddr] of literalAddress(host, port) ??
    (await getaddrinfo(host, port, 0, SOCK_STREAM))) {
    const sock = new Socket(family, type, proto);
    try {
      sock.settimeout(timeout);
      if (options.sourceAddress) await sock.bind(options.sourceAddress);
      await sock.connect(sockaddr);
      return sock;
    } catch (err) {
      sock.close();
      errors.push(err);
    }
  }
  if (errors.length === 0) throw new OSError(undefined, "getaddrinfo returns an empty list");
  if (options.allErrors) throw new AggregateError(errors, "create_connection failed");
  throw errors[errors.length - 1];
}

/**
 * @internal What `getaddrinfo(host, port, 0, SOCK_STREAM)` answers for an
 * address literal (an IPv4 dotted quad, or an IPv6 address without a scope)
 * and a port number, worked out without it: a client opening a connection
 * per request to `127.0.0.1` spent more time in netkit's resolver front end
 * than in connect(2). `undefined` for anything else (names, `127.1`, a
 * scope, a service name), which takes the resolver's path.
 */
export function literalAddress(host: string, port: number | string): AddrInfo[] | undefined {
  if (typeof port !== "number" || !Number.isInteger(port) || port < 0 || port > 0xffff) return undefined;
  // isIPv4 accepts only the canonical dotted quad, the form getaddrinfo answers with.
  if (isIPv4(host)) return [[AF_INET, SOCK_STREAM, IPPROTO_TCP, "", [host, port]]];
  // parseIPv6 refuses a scope (`%eth0`), which needs the resolver's interface look-up.
  const bytes = host.includes(":") ? parseIPv6(host) : undefined;
  if (!bytes) return undefined;
  return [[AF_INET6, SOCK_STREAM, IPPROTO_TCP, "", [formatAddressBytes(bytes), port, 0, 0]]];
}

/** Options for `createServer`. */
export interface CreateServerOptions {
  /** `AF_INET` or `AF_INET6`. @default AF_INET */
  family?: number;
  /** Listen backlog. @default the system default */
  backlog?: number;
  /** Set SO_REUSEPORT (Node 22.12+). @default false */
  reusePort?: boolean;
  /** With AF_INET6, accept IPv4 connections too. @default false */
  dualstackIpv6?: boolean;
}

/**
 * Python's `socket.create_server(address)`: a stream socket bound to
 * `address` and listening.
 * @throws ValueError for `dualstackIpv6` without AF_INET6, OSError EADDRINUSE
 */
export async function createServer(address: Address, options: CreateServerOptions = {}): Promise<Socket> {
  const family = options.family ?? AF_INET;
  if (options.dualstackIpv6 && family !== AF_INET6)
    throw new ValueError("dualstack_ipv6 requires AF_INET6 family");
  const sock = new Socket(family, SOCK_STREAM);
  try {
    if (options.reusePort) sock.setsockopt(SOL_SOCKET, SO_REUSEPORT, 1);
    // Python sets IPV6_V6ONLY unless dual stack was asked for.
    if (family === AF_INET6) sock.setsockopt(IPPROTO_IPV6, IPV6_V6ONLY, options.dualstackIpv6 ? 0 : 1);
    await sock.bind(address);
    await sock.listen(options.backlog);
    return sock;
  } catch (err) {
    sock.close();
    throw err;
  }
}

/** Python's `socket.has_dualstack_ipv6()`: Linux supports IPv4 on IPv6 sockets. */
export function has_dualstack_ipv6(): boolean {
  return true;
}

/**
 * Python's `socket.socketpair(family, type)`: two sockets connected to each
 * other. AF_UNIX (the default) uses Linux abstract names, so nothing is left
 * on disk; AF_INET and AF_INET6 use loopback.
 */
export async function socketpair(family = AF_UNIX, type = SOCK_STREAM): Promise<[Socket, Socket]> {
  if (type === SOCK_DGRAM) {
    if (family !== AF_UNIX) throw new ValueError("socketpair() of datagram sockets needs AF_UNIX");
    const a = new Socket(AF_UNIX, SOCK_DGRAM);
    const b = new Socket(AF_UNIX, SOCK_DGRAM);
    const nameA = abstractName();
    const nameB = abstractName();
    await a.bind(nameA);
    await b.bind(nameB);
    await a.connect(nameB);
    await b.connect(nameA);
    return [a, b];
  }
  const listener = new Socket(family, SOCK_STREAM);
  try {
    await listener.bind(
      family === AF_UNIX ? abstractName() : family === AF_INET6 ? ["::1", 0] : ["127.0.0.1", 0],
    );
    await listener.listen(1);
    const a = new Socket(family, SOCK_STREAM);
    const [, [b]] = await Promise.all([a.connect(listener.getsockname()), listener.accept()]);
    return [a, b];
  } finally {
    listener.close();
  }
}

function abstractName(): string {
  return `\0netkit-pair-${process.pid}-${randomBytes(8).toString("hex")}`;
}
