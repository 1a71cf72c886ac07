/**
 * The constants of Python's `socket` module, with Linux's values (what
 * Python shows on Linux), so numbers read from or passed to python3 agree.
 *
 * @module
 */

/** Address families (`socket.AddressFamily`). */
export const AF_UNSPEC = 0;
export const AF_UNIX = 1;
export const AF_INET = 2;
export const AF_INET6 = 10;

/** Socket types (`socket.SocketKind`). */
export const SOCK_STREAM = 1;
export const SOCK_DGRAM = 2;
export const SOCK_RAW = 3;

/** `shutdown()` directions. */
export const SHUT_RD = 0;
export const SHUT_WR = 1;
export const SHUT_RDWR = 2;

/** Protocol numbers. */
export const IPPROTO_IP = 0;
export const IPPROTO_TCP = 6;
export const IPPROTO_UDP = 17;
export const IPPROTO_IPV6 = 41;

/** Option levels and options for `setsockopt`/`getsockopt`. */
export const SOL_SOCKET = 1;
export const SO_REUSEADDR = 2;
export const SO_TYPE = 3;
export const SO_ERROR = 4;
export const SO_BROADCAST = 6;
export const SO_SNDBUF = 7;
export const SO_RCVBUF = 8;
export const SO_KEEPALIVE = 9;
export const SO_REUSEPORT = 15;
export const TCP_NODELAY = 1;
export const IPV6_V6ONLY = 26;

/** The kernel's largest listen backlog as Python reports it on Linux. */
export const SOMAXCONN = 4096;

/** Addresses as strings, as Python has them. */
export const INADDR_ANY = 0;
export const INADDR_LOOPBACK = 0x7f000001;
export const INADDR_BROADCAST = 0xffffffff;

/** Message flags for `recv`/`send`. Only `MSG_PEEK` is honoured by `recv`. */
export const MSG_PEEK = 2;
export const MSG_WAITALL = 0x100;
export const MSG_DONTWAIT = 0x40;

/** Family names for messages and `repr`. */
export function familyName(family: number): string {
  return family === AF_INET
    ? "AF_INET"
    : family === AF_INET6
      ? "AF_INET6"
      : family === AF_UNIX
        ? "AF_UNIX"
        : `${family}`;
}

/** Type names for messages and `repr`. */
export function typeName(type: number): string {
  return type === SOCK_STREAM ? "SOCK_STREAM" : type === SOCK_DGRAM ? "SOCK_DGRAM" : `${type}`;
}

/** `getaddrinfo` flags (glibc's values). */
export const AI_PASSIVE = 1;
export const AI_CANONNAME = 2;
export const AI_NUMERICHOST = 4;
export const AI_V4MAPPED = 8;
export const AI_ALL = 16;
export const AI_ADDRCONFIG = 32;
export const AI_NUMERICSERV = 1024;

/** `getnameinfo` flags. */
export const NI_NUMERICHOST = 1;
export const NI_NUMERICSERV = 2;
export const NI_NOFQDN = 4;
export const NI_NAMEREQD = 8;
export const NI_DGRAM = 16;

/** `gaierror` codes (glibc's negative values, as Python shows them). */
export const EAI_BADFLAGS = -1;
export const EAI_NONAME = -2;
export const EAI_AGAIN = -3;
export const EAI_FAIL = -4;
export const EAI_NODATA = -5;
export const EAI_FAMILY = -6;
export const EAI_SOCKTYPE = -7;
export const EAI_SERVICE = -8;
export const EAI_ADDRFAMILY = -9;
export const EAI_MEMORY = -10;
export const EAI_SYSTEM = -11;
export const EAI_OVERFLOW = -12;
/** glibc's GNU extensions for asynchronous look-ups (`getaddrinfo_a`); Python does not export them. */
export const EAI_INPROGRESS = -100;
export const EAI_CANCELED = -101;
export const EAI_NOTCANCELED = -102;
export const EAI_ALLDONE = -103;
export const EAI_INTR = -104;
export const EAI_IDN_ENCODE = -105;

/** `getnameinfo` buffer sizes, as Python exposes them. */
export const NI_MAXHOST = 1025;
export const NI_MAXSERV = 32;
