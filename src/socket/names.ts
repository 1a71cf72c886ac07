/**
 * Python's host, address and service look-ups: `gethostname`,
 * `gethostbyname(_ex)`, `gethostbyaddr`, `getfqdn`, `getaddrinfo`,
 * `getnameinfo`, `getservbyname`/`getservbyport`, `getprotobyname`.
 *
 * Node's `dns.lookup` and `dns.lookupService` call the C library's
 * `getaddrinfo`/`getnameinfo`, as Python does, so /etc/hosts, nsswitch and the
 * resolver answer the same; services and protocols come from /etc/services
 * and /etc/protocols (Debian's `netbase`), read on each call as libc does.
 * Every look-up is bounded: one that takes longer than `RESOLVE_TIMEOUT`
 * seconds fails with `gaierror` EAI_AGAIN instead of hanging.
 *
 * @module
 */
import { lookup, lookupService } from "node:dns/promises";
import { readFileSync } from "node:fs";
import { isIP } from "node:net";
import { hostname } from "node:os";
import { OSError, OverflowError } from "../errors/index.js";
import type { Address } from "./address.js";
import {
  AF_INET,
  AF_INET6,
  AF_UNSPEC,
  AI_CANONNAME,
  AI_NUMERICHOST,
  AI_NUMERICSERV,
  AI_PASSIVE,
  IPPROTO_TCP,
  IPPROTO_UDP,
  NI_DGRAM,
  NI_NAMEREQD,
  NI_NUMERICHOST,
  NI_NUMERICSERV,
  SOCK_DGRAM,
  SOCK_RAW,
  SOCK_STREAM,
} from "./constants.js";
import { gaierror, gaierrorFromNode, herror } from "./errors.js";
import { inet_aton } from "./inet.js";

/** Seconds a name look-up may take before it fails with EAI_AGAIN. */
export const RESOLVE_TIMEOUT = 30;

/** One `getaddrinfo` result: `[family, type, proto, canonname, sockaddr]`, as in Python. */
export type AddrInfo = [family: number, type: number, proto: number, canonname: string, sockaddr: Address];

function withTimeout<T>(promise: Promise<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new gaierror(-3)), RESOLVE_TIMEOUT * 1000);
    timer.unref();
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}

/** Python's `gethostname()`: this machine's host name. */
export function gethostname(): string {
  return hostname();
}

/** Resolves `host` to addresses of `family` (0: both) in the C library's order. */
async function resolve(host: string, family: number): Promise<Array<{ address: string; family: number }>> {
  try {
    const found = await withTimeout(
      lookup(host, {
        all: true,
        family: family === AF_INET ? 4 : family === AF_INET6 ? 6 : 0,
        verbatim: true,
      }),
    );
    return found.map((a) => ({ address: a.address, family: a.family === 6 ? AF_INET6 : AF_INET }));
  } catch (err) {
    if (err instanceof gaierror) throw err;
    throw gaierrorFromNode(err);
  }
}

/**
 * Python's `gethostbyname(host)`: the IPv4 address of `host` as a string
 * (`""` is `0.0.0.0`, `"<broadcast>"` is `255.255.255.255`, `127.1` is `127.0.0.1`).
 * @throws gaierror (EAI_NONAME for unknown names, EAI_ADDRFAMILY for an IPv6 literal)
 */
export async function gethostbyname(host: string): Promise<string> {
  if (host === "") return "0.0.0.0";
  if (host === "<broadcast>") return "255.255.255.255";
  if (isIP(host) === 6) throw new gaierror(-9);
  const numeric = tryAton(host);
  if (numeric) return numeric;
  const [first] = await resolve(host, AF_INET);
  if (!first) throw new gaierror(-2);
  return first.address;
}

function tryAton(host: string): string | undefined {
  if (!/^[0-9a-fA-FxX.]+$/.test(host)) return undefined;
  try {
    return [...inet_aton(host)].join(".");
  } catch {
    return undefined;
  }
}

/**
 * Python's `gethostbyname_ex(host)`: `[hostname, aliaslist, ipaddrlist]` for
 * the IPv4 addresses of `host`.
 * @throws gaierror
 */
export async function gethostbyname_ex(host: string): Promise<[string, string[], string[]]> {
  if (isIP(host) === 6) throw new gaierror(-9);
  // Python turns these into INADDR_ANY / INADDR_BROADCAST, then finds no host entry for them.
  if (host === "" || host === "<broadcast>") throw new herror(3, "Unknown server error");
  const numeric = tryAton(host);
  if (numeric) return [host, [], [numeric]];
  const found = await resolve(host, AF_INET);
  if (found.length === 0) throw new gaierror(-2);
  return [host, [], [...new Set(found.map((a) => a.address))]];
}

/**
 * Python's `gethostbyaddr(ip)`: `[hostname, aliaslist, ipaddrlist]` for an
 * address (or a host name, resolved first).
 * @throws herror "Unknown host" when the address has no name, gaierror when a name does not resolve
 */
export async function gethostbyaddr(ip: string): Promise<[string, string[], string[]]> {
  let address = ip;
  if (!isIP(ip)) {
    const [first] = await resolve(ip, AF_UNSPEC);
    if (!first) throw new gaierror(-2);
    address = first.address;
  }
  try {
    const { hostname: name } = await withTimeout(lookupService(address, 0));
    if (!name || name === address) throw new Error("no name");
    return [name, [], [address]];
  } catch {
    throw new herror(1, "Unknown host");
  }
}

/**
 * Python's `getfqdn(name)`: the fully qualified name for `name` (default:
 * this host): the first of its names that contains a dot, else its primary name.
 */
export async function getfqdn(name = ""): Promise<string> {
  let result = name.trim();
  if (!result || result === "0.0.0.0" || result === "::") result = gethostname();
  try {
    const [primary, aliases] = await gethostbyaddr(result);
    return [primary, ...aliases].find((n) => n.includes(".")) ?? primary;
  } catch {
    return result;
  }
}

/** The protocol a socket type uses by default. */
function protoFor(type: number): number {
  return type === SOCK_STREAM ? IPPROTO_TCP : type === SOCK_DGRAM ? IPPROTO_UDP : 0;
}

/**
 * Python's `getaddrinfo(host, port, family, type, proto, flags)`: every
 * `[family, type, proto, canonname, sockaddr]` to reach `host:port`, in the C
 * library's order, one per socket type when `type` is 0 (STREAM, DGRAM, RAW),
 * as glibc returns them. `port` may be a number, a numeric string, a service
 * name (`"http"`) or `null`. `host` `null` means the wildcard address with
 * `AI_PASSIVE`, else loopback.
 * @throws gaierror (EAI_NONAME, EAI_SERVICE, EAI_ADDRFAMILY, EAI_AGAIN)
 */
export async function getaddrinfo(
  host: string | null | undefined,
  port: number | string | null | undefined,
  family = 0,
  type = 0,
  proto = 0,
  flags = 0,
): Promise<AddrInfo[]> {
  // Service: which socket types can use it, and its number.
  const types = type === 0 ? [SOCK_STREAM, SOCK_DGRAM, SOCK_RAW] : [type];
  const portFor = new Map<number, number>();
  if (port === null || port === undefined) {
    for (const t of types) portFor.set(t, 0);
  } else if (typeof port === "number" || /^\d+$/.test(port)) {
    const n = Number(port);
    if (n > 0xffff) throw new OverflowError("getaddrinfo(): port must be 0-65535.");
    for (const t of types) portFor.set(t, n);
  } else {
    if (flags & AI_NUMERICSERV) throw new gaierror(-2);
    for (const t of types) {
      if (t === SOCK_RAW) continue;
      const found = findService(port, t === SOCK_DGRAM ? "udp" : "tcp");
      if (found) portFor.set(t, found.port);
    }
    if (portFor.size === 0) throw new gaierror(-8);
  }

  let addresses: Array<{ address: string; family: number }>;
  if (host === null || host === undefined || host === "") {
    const passive = (flags & AI_PASSIVE) !== 0;
    const v6 = { address: passive ? "::" : "::1", family: AF_INET6 };
    const v4 = { address: passive ? "0.0.0.0" : "127.0.0.1", family: AF_INET };
    // glibc lists the wildcard IPv4 first, loopback IPv6 first.
    addresses = passive ? [v4, v6] : [v6, v4];
  } else if (isIP(host)) {
    addresses = [{ address: host, family: isIP(host) === 6 ? AF_INET6 : AF_INET }];
  } else {
    if (flags & AI_NUMERICHOST) throw new gaierror(-2);
    addresses = await resolve(host, family);
  }
  if (family !== AF_UNSPEC) {
    const wanted = addresses.filter((a) => a.family === family);
    if (wanted.length === 0 && addresses.length > 0) throw new gaierror(-9);
    addresses = wanted;
  }
  if (addresses.length === 0) throw new gaierror(-2);

  const out: AddrInfo[] = [];
  for (const a of addresses) {
    for (const t of types) {
      const p = portFor.get(t);
      if (p === undefined) continue;
      const sockaddr: Address = a.family === AF_INET6 ? [a.address, p, 0, 0] : [a.address, p];
      const canonname = out.length === 0 && flags & AI_CANONNAME ? (host ?? "") : "";
      out.push([a.family, t, proto || protoFor(t), canonname, sockaddr]);
    }
  }
  return out;
}

/**
 * Python's `getnameinfo(sockaddr, flags)`: `[host, port]` as names (or
 * numbers, with NI_NUMERICHOST / NI_NUMERICSERV).
 * @throws gaierror EAI_NONAME when `sockaddr`'s host is not numeric, or has no name under NI_NAMEREQD
 */
export async function getnameinfo(sockaddr: Address, flags: number): Promise<[string, string]> {
  if (!Array.isArray(sockaddr)) throw new TypeError("getnameinfo() argument 1 must be a tuple");
  const [host, port] = sockaddr;
  if (!isIP(host)) throw new gaierror(-2);
  let name = host;
  if (!(flags & NI_NUMERICHOST)) {
    try {
      const found = await withTimeout(lookupService(host, 0));
      if (found.hostname && found.hostname !== host) name = found.hostname;
      else if (flags & NI_NAMEREQD) throw new gaierror(-2);
    } catch (err) {
      if (flags & NI_NAMEREQD) throw err instanceof gaierror ? err : new gaierror(-2);
    }
  }
  let service = String(port);
  if (!(flags & NI_NUMERICSERV))
    service = findServiceByPort(port, flags & NI_DGRAM ? "udp" : "tcp")?.name ?? service;
  return [name, service];
}

interface ServiceEntry {
  name: string;
  port: number;
  proto: string;
  aliases: string[];
}

function readTable(path: string): string[][] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return [];
  }
  return text
    .split("\n")
    .map((line) => line.replace(/#.*/, "").trim())
    .filter((line) => line !== "")
    .map((line) => line.split(/\s+/));
}

function services(): ServiceEntry[] {
  const out: ServiceEntry[] = [];
  for (const [name, portProto, ...aliases] of readTable("/etc/services")) {
    const match = /^(\d+)\/(\w+)$/.exec(portProto ?? "");
    if (name && match) out.push({ name, port: Number(match[1]), proto: match[2]!, aliases });
  }
  return out;
}

function findService(name: string, proto?: string): ServiceEntry | undefined {
  return services().find(
    (s) => (s.name === name || s.aliases.includes(name)) && (proto === undefined || s.proto === proto),
  );
}

function findServiceByPort(port: number, proto?: string): ServiceEntry | undefined {
  return services().find((s) => s.port === port && (proto === undefined || s.proto === proto));
}

/**
 * Python's `getservbyname(name, proto)`: the port of a service (`"http"` → 80).
 * @throws OSError "service/proto not found"
 */
export function getservbyname(servicename: string, protocolname?: string): number {
  const found = findService(servicename, protocolname);
  if (!found) throw new OSError(undefined, "service/proto not found");
  return found.port;
}

/**
 * Python's `getservbyport(port, proto)`: the name of the service on a port (80 → `"http"`).
 * @throws OverflowError for a port outside 0-65535, OSError "port/proto not found"
 */
export function getservbyport(port: number, protocolname?: string): string {
  if (port < 0 || port > 0xffff) throw new OverflowError("getservbyport: port must be 0-65535.");
  const found = findServiceByPort(port, protocolname);
  if (!found) throw new OSError(undefined, "port/proto not found");
  return found.name;
}

/**
 * Python's `getprotobyname(name)`: the protocol number (`"tcp"` → 6).
 * @throws OSError "protocol not found"
 */
export function getprotobyname(protocolname: string): number {
  for (const [name, number, ...aliases] of readTable("/etc/protocols")) {
    if (name === protocolname || aliases.includes(protocolname)) return Number(number);
  }
  throw new OSError(undefined, "protocol not found");
}

/** Python's `socket.has_ipv6`: the platform supports IPv6 (Node always builds with it). */
export const has_ipv6 = true;
