/**
 * Python's host, address and service look-ups from the `socket` module:
 * `gethostname`, `gethostbyname`, `gethostbyname_ex`, `gethostbyaddr`,
 * `getfqdn`, `getaddrinfo`, `getnameinfo`, `getservbyname`,
 * `getservbyport`, `getprotobyname`, `has_ipv6`, and the address types
 * the `Socket` class uses.
 *
 * Python hands these to the C library, so on Linux their behaviour is
 * glibc's. netkit reproduces it in three parts:
 *
 * ```text
 *  getaddrinfo / gethostbyname / getnameinfo's address parsing
 *     └─ glibc's getaddrinfo front end, ported: flags, service and
 *        socket-type table (one result per type: STREAM, DGRAM, RAW),
 *        numeric hosts, scope ids, the wildcard and loopback addresses;
 *        names go to the C library itself through node:dns `lookup`,
 *        so /etc/hosts, nsswitch, DNS and the RFC 3484 order are libc's.
 *  gethostbyname_ex / gethostbyaddr / getnameinfo's names / canonname
 *     └─ glibc's "hosts" database, emulated: the sources named in
 *        /etc/nsswitch.conf, of which `files` (/etc/hosts, parsed as
 *        nss_files does, with host.conf's `multi`) and `dns` (node:dns
 *        Resolver, with resolv.conf's search list) are consulted.
 *  getservby* / getprotobyname
 *     └─ /etc/services and /etc/protocols, parsed as nss_files does
 *        (Debian's `netbase` package installs both).
 * ```
 *
 * Nothing is cached: each call reads the files and asks the resolver
 * again, as Python does. Every call that may touch the network is bounded:
 * past `timeout` seconds (default `RESOLVE_TIMEOUT`) it fails the way the C
 * library fails when name servers do not answer: `gaierror` EAI_AGAIN, or
 * `herror` TRY_AGAIN for `gethostbyname_ex`/`gethostbyaddr`.
 *
 * Naming: Python's names are kept (`gethostbyname_ex`, not
 * `gethostbynameEx`): they are the C library's names in Python too.
 *
 * Known differences: NSS sources other than `files` and `dns` (`myhostname`,
 * `mdns`, `ldap`, ...) are not consulted by the hostent-style functions;
 * non-ASCII host names are encoded with an approximation of IDNA 2003's
 * nameprep; where Python reports a stale `h_errno` (`gethostbyname_ex`
 * of `"<broadcast>"`), netkit reports HOST_NOT_FOUND.
 *
 * This file holds the public functions; the parts above live in private
 * modules: `_gai.ts` (getaddrinfo's front end), `_nss.ts` (the hosts and
 * services databases), `_nss_files.ts` (the /etc tables' parsers),
 * `_nss_conf.ts` (nsswitch.conf, host.conf, resolv.conf), `_nss_dns.ts`
 * (the dns source), `_interfaces.ts` (scope ids, AI_ADDRCONFIG), `_ip6.ts`,
 * `_idna.ts`, `_deadline.ts` (the timeout), `_sysfile.ts`, and
 * `_socketmodule.ts` (CPython's argument handling, `setipaddr`).
 *
 * @module
 */
import { hostname } from "node:os";
import { OSError, OverflowError, withCode } from "../errors/index.js";
import { Deadline, type ResolveOptions } from "./_deadline.js";
import { addressOf, type GaiHints, gaiCore } from "./_gai.js";
import { TRY_AGAIN } from "./_herrno.js";
import { idnaEncode, idnaToUnicode } from "./_idna.js";
import { ifIndexToName } from "./_interfaces.js";
import { isLinkLocal6, isMulticastLinkLocal6 } from "./_ip6.js";
import { hostentLookup, nssGethostbyaddr, nssGethostbyname, serviceByName, serviceByPort } from "./_nss.js";
import { _parseProtocols } from "./_nss_files.js";
import { cString, encodedHostArg, gethostCommon, setipaddr, strArg } from "./_socketmodule.js";
import { readSystemFile } from "./_sysfile.js";
import type { INET6Address, INETAddress } from "./address.js";
import {
  AF_INET,
  AF_INET6,
  AF_UNSPEC,
  AI_NUMERICHOST,
  EAI_AGAIN,
  EAI_BADFLAGS,
  EAI_NONAME,
  NI_DGRAM,
  NI_NAMEREQD,
  NI_NOFQDN,
  NI_NUMERICHOST,
  NI_NUMERICSERV,
  SOCK_DGRAM,
} from "./constants.js";
import { gaierror } from "./errors.js";
import { asCInt, asCUIntMask, formatAddressBytes } from "./inet.js";

export { RESOLVE_TIMEOUT, type ResolveOptions } from "./_deadline.js";
/** @internal re-exported for tests. */
export { _hostsByAddr, _hostsByName, _parseProtocols, _parseServices } from "./_nss_files.js";
export type { Address, INET6Address, INETAddress, UNIXAddress } from "./address.js";

/** Python's `str.isspace()` characters, for `getfqdn`'s `strip()`. */
const PY_WHITESPACE =
  "[\\t\\n\\v\\f\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]";
const PY_STRIP = new RegExp(`^${PY_WHITESPACE}+|${PY_WHITESPACE}+$`, "g");

// ---------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------

/**
 * One `getaddrinfo` result: `[family, type, proto, canonname, sockaddr]`,
 * Python's 5-tuple. `sockaddr` is `[host, port]` for AF_INET and
 * `[host, port, flowinfo, scopeId]` for AF_INET6.
 */
export type AddrInfo = [
  family: number,
  type: number,
  proto: number,
  canonname: string,
  sockaddr: INETAddress | INET6Address,
];

/** `getaddrinfo`'s keyword arguments, for callers who prefer names to positions. */
export interface GetaddrinfoOptions extends ResolveOptions {
  /**
   * `AF_INET`, `AF_INET6`, or `AF_UNSPEC` for both.
   * @default 0 (AF_UNSPEC)
   */
  family?: number;
  /**
   * `SOCK_STREAM`, `SOCK_DGRAM`, `SOCK_RAW`, or 0 for one result per type.
   * @default 0
   */
  type?: number;
  /**
   * A protocol number (`IPPROTO_TCP`), or 0 for the type's default.
   * @default 0
   */
  proto?: number;
  /**
   * `AI_*` flags: `AI_PASSIVE`, `AI_CANONNAME`, `AI_NUMERICHOST`, `AI_NUMERICSERV`, `AI_V4MAPPED`, ...
   * @default 0
   */
  flags?: number;
}

/**
 * Python's `socket.gethostname()`: this machine's host name.
 * @example
 * ```ts
 * gethostname(); // "vm"
 * ```
 */
export function gethostname(): string {
  return hostname();
}

/**
 * Python's `socket.getaddrinfo(host, port, family=0, type=0, proto=0, flags=0)`:
 * every `[family, type, proto, canonname, sockaddr]` for reaching `host` at
 * `port`, in the C library's order and with its repetitions. With `type`
 * 0 each address comes once per socket type glibc knows (STREAM/6,
 * DGRAM/17, RAW/0), as Python shows on Linux.
 *
 * - `host`: a name, a numeric address (`127.1`, `::1`, `fe80::1%eth0`),
 *   `"*"`, or `null`: the wildcard addresses with `AI_PASSIVE`, else loopback.
 * - `port`: a number, a numeric string, a service name from /etc/services
 *   (`"http"`), or `null`.
 *
 * The keyword arguments may also be given as one options object:
 * `getaddrinfo(host, port, { type: SOCK_STREAM })`.
 *
 * @throws gaierror EAI_NONAME (unknown name, or a name with AI_NUMERICHOST),
 *   EAI_SERVICE (unknown service for the type), EAI_ADDRFAMILY (literal of
 *   another family), EAI_FAMILY, EAI_SOCKTYPE, EAI_BADFLAGS, EAI_AGAIN
 *   (name servers did not answer in time); UnicodeError for a host the
 *   `idna` codec refuses; OSError "Int or String expected" for a bad port
 * @example
 * ```ts
 * await getaddrinfo("localhost", 80, AF_INET, SOCK_STREAM);
 * // [[2, 1, 6, "", ["127.0.0.1", 80]]]
 * ```
 */
export function getaddrinfo(
  host: string | null | undefined,
  port: number | string | null | undefined,
  options?: GetaddrinfoOptions,
): Promise<AddrInfo[]>;
export function getaddrinfo(
  host: string | null | undefined,
  port: number | string | null | undefined,
  family?: number,
  type?: number,
  proto?: number,
  flags?: number,
  options?: ResolveOptions,
): Promise<AddrInfo[]>;
export async function getaddrinfo(
  host: string | null | undefined,
  port: number | string | null | undefined,
  familyOrOptions: number | GetaddrinfoOptions = 0,
  type = 0,
  proto = 0,
  flags = 0,
  options?: ResolveOptions,
): Promise<AddrInfo[]> {
  let hints: GaiHints;
  let resolveOptions = options;
  if (typeof familyOrOptions === "object" && familyOrOptions !== null) {
    hints = {
      family: asCInt(familyOrOptions.family ?? 0),
      socktype: asCInt(familyOrOptions.type ?? 0),
      protocol: asCInt(familyOrOptions.proto ?? 0),
      flags: asCInt(familyOrOptions.flags ?? 0),
    };
    resolveOptions = familyOrOptions;
  } else {
    hints = {
      family: asCInt(familyOrOptions),
      socktype: asCInt(type),
      protocol: asCInt(proto),
      flags: asCInt(flags),
    };
  }
  const deadline = new Deadline(resolveOptions);
  let nodeName: string | null;
  if (host === null || host === undefined) nodeName = null;
  else if (typeof host === "string") nodeName = cString(idnaEncode(host));
  else
    throw withCode(new TypeError("getaddrinfo() argument 1 must be string or None"), "ERR_INVALID_ARG_TYPE");
  let serviceName: string | null;
  if (port === null || port === undefined) {
    serviceName = null;
  } else if (typeof port === "number" && Number.isInteger(port)) {
    // Python formats an int port with "%ld" and hands the text to getaddrinfo(3).
    if (port >= 2 ** 63 || port < -(2 ** 63))
      throw new OverflowError("Python int too large to convert to C long");
    serviceName = BigInt(port).toString();
  } else if (typeof port === "string") {
    serviceName = cString(port);
  } else {
    throw new OSError(undefined, "Int or String expected");
  }
  const results = await gaiCore(nodeName, serviceName, hints, deadline);
  return results.map(
    (r): AddrInfo => [
      r.family,
      r.socktype,
      r.protocol,
      r.canonname,
      r.family === AF_INET6 ? [r.address, r.port, 0, r.scopeId] : [r.address, r.port],
    ],
  );
}

/**
 * Python's `socket.gethostbyname(hostname)`: the IPv4 address of a host as
 * text. `""` is `0.0.0.0`, `"<broadcast>"` is `255.255.255.255`, numeric
 * forms are read as getaddrinfo reads them (`127.1` → `127.0.0.1`).
 *
 * @throws gaierror (EAI_NONAME for an unknown name, EAI_ADDRFAMILY for an
 *   IPv6 literal, EAI_AGAIN on timeout); TypeError for a NUL character;
 *   UnicodeError for a name the `idna` codec refuses
 * @example
 * ```ts
 * await gethostbyname("localhost"); // "127.0.0.1"
 * ```
 */
export async function gethostbyname(hostname: string, options?: ResolveOptions): Promise<string> {
  const name = encodedHostArg("gethostbyname", hostname);
  const deadline = new Deadline(options);
  const { bytes } = await setipaddr(name, AF_INET, deadline);
  return formatAddressBytes(bytes);
}

/**
 * Python's `socket.gethostbyname_ex(hostname)`: `[hostname, aliaslist,
 * ipaddrlist]`, the host's primary name, its other names and its IPv4
 * addresses, as the hosts database (/etc/hosts, then DNS, per
 * nsswitch.conf) describes it.
 *
 * @throws gaierror when the name does not resolve; herror when it resolves
 *   but has no host entry (`[Errno 1] Unknown host`; TRY_AGAIN on timeout)
 * @example
 * ```ts
 * await gethostbyname_ex("localhost"); // ["localhost", [], ["127.0.0.1"]]
 * ```
 */
export async function gethostbyname_ex(
  hostname: string,
  options?: ResolveOptions,
): Promise<[hostname: string, aliaslist: string[], ipaddrlist: string[]]> {
  const name = encodedHostArg("gethostbyname_ex", hostname);
  const deadline = new Deadline(options);
  const { family } = await setipaddr(name, AF_INET, deadline);
  const result = await hostentLookup(() => nssGethostbyname(name, deadline));
  return gethostCommon(result, family);
}

/**
 * Python's `socket.gethostbyaddr(ip_address)`: `[hostname, aliaslist,
 * ipaddrlist]` for an address (a host name is resolved first), from
 * /etc/hosts and reverse DNS, per nsswitch.conf.
 *
 * @throws herror `[Errno 1] Unknown host` when the address has no name;
 *   gaierror when a name does not resolve; OSError "wildcard resolved to
 *   multiple address" for `""`
 * @example
 * ```ts
 * await gethostbyaddr("127.0.0.1"); // ["localhost", [], ["127.0.0.1"]]
 * ```
 */
export async function gethostbyaddr(
  ip_address: string,
  options?: ResolveOptions,
): Promise<[hostname: string, aliaslist: string[], ipaddrlist: string[]]> {
  const name = encodedHostArg("gethostbyaddr", ip_address);
  const deadline = new Deadline(options);
  const { family, bytes } = await setipaddr(name, AF_UNSPEC, deadline);
  const result = await hostentLookup(() => nssGethostbyaddr(bytes, family, deadline));
  return gethostCommon(result, family);
}

/**
 * Python's `socket.getfqdn(name='')`: a fully qualified name for `name`
 * (default: this host). As Python does: `""`, `0.0.0.0` and `::` mean this
 * host; `gethostbyaddr` gives the primary name and aliases, and the first
 * of them containing a dot wins, else the primary name; when the look-up
 * fails with an `OSError`, `name` itself is returned.
 *
 * @example
 * ```ts
 * await getfqdn("localhost"); // "localhost"
 * ```
 */
export async function getfqdn(name = "", options?: ResolveOptions): Promise<string> {
  let result = name.replace(PY_STRIP, "");
  if (!result || result === "0.0.0.0" || result === "::") result = gethostname();
  let found: [string, string[], string[]];
  try {
    found = await gethostbyaddr(result, options);
  } catch (err) {
    if (err instanceof OSError) return result;
    throw err;
  }
  const [primary, aliases] = found;
  return [primary, ...aliases].find((n) => n.includes(".")) ?? primary;
}

/** glibc's `nrl_domainname`: this host's domain, for NI_NOFQDN. */
async function localDomain(deadline: Deadline): Promise<string | undefined> {
  const own = gethostname();
  const dot = own.indexOf(".");
  if (dot !== -1) return own.slice(dot + 1);
  const byName = await hostentLookup(() => nssGethostbyname(own, deadline));
  if (byName.status === "success" && byName.host.name.includes(".")) {
    return byName.host.name.slice(byName.host.name.indexOf(".") + 1);
  }
  const byLoopback = await hostentLookup(() =>
    nssGethostbyaddr(Buffer.from([127, 0, 0, 1]), AF_INET, deadline),
  );
  if (byLoopback.status === "success" && byLoopback.host.name.includes(".")) {
    return byLoopback.host.name.slice(byLoopback.host.name.indexOf(".") + 1);
  }
  return undefined;
}

/**
 * Python's `socket.getnameinfo(sockaddr, flags)`: `[host, port]` for a
 * numeric socket address, as names from /etc/hosts, reverse DNS and
 * /etc/services, or as numbers with `NI_NUMERICHOST` / `NI_NUMERICSERV`.
 * `NI_NAMEREQD` makes a nameless address an error, `NI_DGRAM` looks the
 * port up as UDP, `NI_NOFQDN` drops this host's domain. An IPv6 scope id
 * is written as `%ifname` for link-local addresses and `%N` otherwise.
 *
 * @throws gaierror EAI_NONAME (host not numeric, or nameless under
 *   NI_NAMEREQD), EAI_BADFLAGS; OSError "IPv4 sockaddr must be 2 tuple";
 *   TypeError "getnameinfo() argument 1 must be a tuple"; OverflowError for a flowinfo past 20 bits
 * @example
 * ```ts
 * await getnameinfo(["127.0.0.1", 80], 0); // ["localhost", "http"]
 * await getnameinfo(["127.0.0.1", 80], NI_NUMERICHOST | NI_NUMERICSERV); // ["127.0.0.1", "80"]
 * ```
 */
export async function getnameinfo(
  sockaddr: INETAddress | INET6Address,
  flags: number,
  options?: ResolveOptions,
): Promise<[host: string, port: string]> {
  const niFlags = asCInt(flags);
  if (!Array.isArray(sockaddr))
    throw withCode(new TypeError("getnameinfo() argument 1 must be a tuple"), "ERR_INVALID_ARG_TYPE");
  if (sockaddr.length < 2 || sockaddr.length > 4 || typeof sockaddr[0] !== "string") {
    throw withCode(new TypeError("getnameinfo(): illegal sockaddr argument"), "ERR_INVALID_ARG_TYPE");
  }
  const host = strArg("getnameinfo", sockaddr[0], 1);
  const port = asCInt(sockaddr[1]);
  const flowinfo = sockaddr.length > 2 ? asCUIntMask(sockaddr[2]) : 0;
  const scopeId = sockaddr.length > 3 ? asCUIntMask(sockaddr[3]) : 0;
  if (flowinfo > 0xfffff) throw new OverflowError("getnameinfo(): flowinfo must be 0-1048575.");
  const deadline = new Deadline(options);
  const results = await gaiCore(
    host,
    String(port),
    { family: AF_UNSPEC, socktype: SOCK_DGRAM, protocol: 0, flags: AI_NUMERICHOST },
    deadline,
  );
  if (results.length > 1) throw new OSError(undefined, "sockaddr resolved to multiple addresses");
  const target = results[0]!;
  if (target.family === AF_INET && sockaddr.length !== 2) {
    throw new OSError(undefined, "IPv4 sockaddr must be 2 tuple");
  }
  // Python puts the tuple's flowinfo and scope id into the sockaddr (replacing a "%scope" in the text).
  const scope = target.family === AF_INET6 ? scopeId : 0;
  const bytes = addressOf(target).bytes;

  // glibc's getnameinfo(3).
  if (niFlags & ~0xff) throw new gaierror(EAI_BADFLAGS);
  let name: string | undefined;
  if (!(niFlags & NI_NUMERICHOST)) {
    const result = await hostentLookup(() => nssGethostbyaddr(bytes, target.family, deadline));
    if (result.status === "success") {
      name = result.host.name;
      if (niFlags & NI_NOFQDN) {
        const domain = await localDomain(deadline);
        const at = domain ? name.indexOf(domain) : -1;
        if (at > 0 && name[at - 1] === ".") name = name.slice(0, at - 1);
      }
      if (niFlags & 0x20 /* NI_IDN */) name = idnaToUnicode(name);
    } else if (result.herrno === TRY_AGAIN) {
      throw new gaierror(EAI_AGAIN);
    }
  }
  if (name === undefined) {
    if (niFlags & NI_NAMEREQD) throw new gaierror(EAI_NONAME);
    name = formatAddressBytes(bytes);
    if (scope !== 0) {
      const linkScoped = isLinkLocal6(bytes) || isMulticastLinkLocal6(bytes);
      const ifname = linkScoped ? ifIndexToName(scope) : undefined;
      name += `%${ifname ?? scope}`;
    }
  }
  let service = String(target.port);
  if (!(niFlags & NI_NUMERICSERV)) {
    service = serviceByPort(target.port, niFlags & NI_DGRAM ? "udp" : "tcp")?.name ?? service;
  }
  return [name, service];
}

/**
 * Python's `socket.getservbyname(servicename, protocolname=None)`: the port
 * of a service in /etc/services (`"http"` → 80); a protocol (`"tcp"`,
 * `"udp"`) narrows the search. Names and aliases match case-sensitively.
 *
 * @throws OSError "service/proto not found"
 * @example
 * ```ts
 * getservbyname("domain", "udp"); // 53
 * ```
 */
export function getservbyname(servicename: string, protocolname?: string): number {
  const name = strArg("getservbyname", servicename, 1);
  const proto = protocolname === undefined ? undefined : strArg("getservbyname", protocolname, 2);
  const found = serviceByName(name, proto);
  if (!found) throw new OSError(undefined, "service/proto not found");
  return found.port;
}

/**
 * Python's `socket.getservbyport(port, protocolname=None)`: the name of
 * the first service in /etc/services on a port (80 → `"http"`).
 *
 * @throws OverflowError "getservbyport: port must be 0-65535."; OSError "port/proto not found"
 * @example
 * ```ts
 * getservbyport(22); // "ssh"
 * ```
 */
export function getservbyport(port: number, protocolname?: string): string {
  const value = asCInt(port);
  const proto = protocolname === undefined ? undefined : strArg("getservbyport", protocolname, 2);
  if (value < 0 || value > 0xffff) throw new OverflowError("getservbyport: port must be 0-65535.");
  const found = serviceByPort(value, proto);
  if (!found) throw new OSError(undefined, "port/proto not found");
  return found.name;
}

/**
 * Python's `socket.getprotobyname(protocolname)`: a protocol's number from
 * /etc/protocols (`"tcp"` → 6); names and aliases match case-sensitively.
 *
 * @throws OSError "protocol not found"
 * @example
 * ```ts
 * getprotobyname("udp"); // 17
 * ```
 */
export function getprotobyname(protocolname: string): number {
  const name = strArg("getprotobyname", protocolname, 1);
  const found = _parseProtocols(readSystemFile("/etc/protocols") ?? "").find(
    (p) => p.name === name || p.aliases.includes(name),
  );
  if (!found) throw new OSError(undefined, "protocol not found");
  return found.number;
}

/**
 * Python's `socket.has_ipv6`: whether IPv6 is supported. Like Python's, it
 * says how the runtime was built (Node always has IPv6), not whether this
 * host has an IPv6 address.
 */
export const has_ipv6 = true;
