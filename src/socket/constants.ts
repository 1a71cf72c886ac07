/**
 * The constants of Python's `socket` module, with Linux's values (what
 * Python shows on Linux), so numbers read from or passed to python3 agree.
 *
 * @module
 */

// Address families (`socket.AddressFamily`).
/** Any address family (`getaddrinfo`'s default). */
export const AF_UNSPEC = 0;
/** Unix domain sockets: a path in the file system. */
export const AF_UNIX = 1;
/** IPv4: addresses are `[host, port]`. */
export const AF_INET = 2;
/** IPv6: addresses are `[host, port, flowinfo, scopeid]`. */
export const AF_INET6 = 10;

// Socket types (`socket.SocketKind`).
/** A reliable byte stream (TCP). */
export const SOCK_STREAM = 1;
/** Datagrams (UDP). */
export const SOCK_DGRAM = 2;
/** Raw sockets (listed by `getaddrinfo`; Node cannot open them). */
export const SOCK_RAW = 3;

// `shutdown()` directions.
/** Stop reading. */
export const SHUT_RD = 0;
/** Stop writing: the peer reads end of file. */
export const SHUT_WR = 1;
/** Stop reading and writing. */
export const SHUT_RDWR = 2;

// Protocol numbers.
/** The IP protocol level (and `getaddrinfo`'s any protocol). */
export const IPPROTO_IP = 0;
/** TCP, the protocol and option level. */
export const IPPROTO_TCP = 6;
/** UDP. */
export const IPPROTO_UDP = 17;
/** The IPv6 option level. */
export const IPPROTO_IPV6 = 41;

// Option levels and options for `setsockopt`/`getsockopt`.
/** The socket option level. */
export const SOL_SOCKET = 1;
/** Rebind a port that has connections in TIME_WAIT. */
export const SO_REUSEADDR = 2;
/** The socket's type (read only). */
export const SO_TYPE = 3;
/** The socket's pending error (read only). */
export const SO_ERROR = 4;
/** Allow sending datagrams to a broadcast address. */
export const SO_BROADCAST = 6;
/** The send buffer's size in bytes. */
export const SO_SNDBUF = 7;
/** The receive buffer's size in bytes; netkit also bounds unread data by it. */
export const SO_RCVBUF = 8;
/** Send TCP keep-alive probes on an idle connection. */
export const SO_KEEPALIVE = 9;
/** Let several sockets bind the same port. */
export const SO_REUSEPORT = 15;
/** Turn Nagle's algorithm off (send small writes at once). */
export const TCP_NODELAY = 1;
/** An IPv6 socket accepts IPv6 only, not IPv4-mapped addresses. */
export const IPV6_V6ONLY = 26;

/** The kernel's largest listen backlog as Python reports it on Linux. */
export const SOMAXCONN = 4096;

// Addresses as strings, as Python has them.
/** 0.0.0.0, every IPv4 interface, as a number. */
export const INADDR_ANY = 0;
/** 127.0.0.1 as a number. */
export const INADDR_LOOPBACK = 0x7f000001;
/** 255.255.255.255 as a number. */
export const INADDR_BROADCAST = 0xffffffff;

// Message flags for `recv`/`send`. Only `MSG_PEEK` is honoured by `recv`.
/** Read data without removing it from the queue. */
export const MSG_PEEK = 2;
/** Wait for the full amount (accepted, not honoured). */
export const MSG_WAITALL = 0x100;
/** Do not block (accepted, not honoured). */
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

// `getaddrinfo` flags (glibc's values).
/** A null host means the wildcard address (for `bind`). */
export const AI_PASSIVE = 1;
/** Fill in the canonical name of the first result. */
export const AI_CANONNAME = 2;
/** The host must be a numeric address: no look-up. */
export const AI_NUMERICHOST = 4;
/** With AF_INET6, give IPv4 results as IPv4-mapped IPv6 addresses. */
export const AI_V4MAPPED = 8;
/** With AI_V4MAPPED, give IPv6 and IPv4-mapped results. */
export const AI_ALL = 16;
/** Only families this host has an address of. */
export const AI_ADDRCONFIG = 32;
/** The port must be numeric: no service look-up. */
export const AI_NUMERICSERV = 1024;

// `getnameinfo` flags.
/** Give the host as a numeric address. */
export const NI_NUMERICHOST = 1;
/** Give the port as a number. */
export const NI_NUMERICSERV = 2;
/** Give only the host part of a local name. */
export const NI_NOFQDN = 4;
/** Fail if the address has no name. */
export const NI_NAMEREQD = 8;
/** Look the port up as a UDP service. */
export const NI_DGRAM = 16;

// `gaierror` codes (glibc's negative values, as Python shows them).
/** Invalid flags. */
export const EAI_BADFLAGS = -1;
/** Name or service not known. */
export const EAI_NONAME = -2;
/** Temporary failure in name resolution. */
export const EAI_AGAIN = -3;
/** Non-recoverable failure in name resolution. */
export const EAI_FAIL = -4;
/** No address associated with the host name. */
export const EAI_NODATA = -5;
/** Address family not supported. */
export const EAI_FAMILY = -6;
/** Socket type not supported. */
export const EAI_SOCKTYPE = -7;
/** Service not supported for the socket type. */
export const EAI_SERVICE = -8;
/** Address family for the host name not supported. */
export const EAI_ADDRFAMILY = -9;
/** Memory allocation failure. */
export const EAI_MEMORY = -10;
/** System error (see errno). */
export const EAI_SYSTEM = -11;
/** Argument buffer overflow. */
export const EAI_OVERFLOW = -12;
/** glibc's GNU extensions for asynchronous look-ups (`getaddrinfo_a`); Python does not export them. */
export const EAI_INPROGRESS = -100;
/** The request was canceled (`gai_cancel`). */
export const EAI_CANCELED = -101;
/** The request could not be canceled. */
export const EAI_NOTCANCELED = -102;
/** All requests are done (`gai_suspend`). */
export const EAI_ALLDONE = -103;
/** Interrupted by a signal (`gai_suspend`). */
export const EAI_INTR = -104;
/** An IDN host name could not be encoded. */
export const EAI_IDN_ENCODE = -105;

// `getnameinfo` buffer sizes, as Python exposes them.
/** The longest host name `getnameinfo` gives, with its NUL. */
export const NI_MAXHOST = 1025;
/** The longest service name `getnameinfo` gives, with its NUL. */
export const NI_MAXSERV = 32;
