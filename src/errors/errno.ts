/**
 * The one errno table netkit uses, Python's `errno` module in small: each
 * name's number comes from Node's `os.constants.errno` (the platform's own
 * numbers); a name Node does not list (`ESHUTDOWN`, `ESOCKTNOSUPPORT`, ...)
 * falls back to its Linux number. Code names errnos by these constants, never
 * by number, and `errnoName()` answers what Python's `errno.errorcode` does.
 *
 * @module
 */
import { constants } from "node:os";

/** Linux numbers for the names Python's `errno` has and Node's `os.constants.errno` lacks. */
const LINUX_FALLBACK = {
  ENOTBLK: 15,
  EDEADLOCK: 35,
  ECHRNG: 44,
  EL2NSYNC: 45,
  EL3HLT: 46,
  EL3RST: 47,
  ELNRNG: 48,
  EUNATCH: 49,
  ENOCSI: 50,
  EL2HLT: 51,
  EBADE: 52,
  EBADR: 53,
  EXFULL: 54,
  ENOANO: 55,
  EBADRQC: 56,
  EBADSLT: 57,
  EBFONT: 59,
  ENONET: 64,
  ENOPKG: 65,
  EREMOTE: 66,
  EADV: 68,
  ESRMNT: 69,
  ECOMM: 70,
  EDOTDOT: 73,
  ENOTUNIQ: 76,
  EBADFD: 77,
  EREMCHG: 78,
  ELIBACC: 79,
  ELIBBAD: 80,
  ELIBSCN: 81,
  ELIBMAX: 82,
  ELIBEXEC: 83,
  ERESTART: 85,
  ESTRPIPE: 86,
  EUSERS: 87,
  ESOCKTNOSUPPORT: 94,
  EPFNOSUPPORT: 96,
  ESHUTDOWN: 108,
  ETOOMANYREFS: 109,
  EHOSTDOWN: 112,
  EUCLEAN: 117,
  ENOTNAM: 118,
  ENAVAIL: 119,
  EISNAM: 120,
  EREMOTEIO: 121,
  ENOMEDIUM: 123,
  EMEDIUMTYPE: 124,
  ENOKEY: 126,
  EKEYEXPIRED: 127,
  EKEYREVOKED: 128,
  EKEYREJECTED: 129,
  EOWNERDEAD: 130,
  ENOTRECOVERABLE: 131,
  ERFKILL: 132,
} as const;

/** Every errno name netkit knows → its number on this platform. */
const NUMBERS: Readonly<Record<string, number>> = { ...LINUX_FALLBACK, ...constants.errno };

/**
 * Names that share a number with another, and which Python's
 * `errno.errorcode` does not pick for it (it picks EAGAIN, ENOTSUP, EDEADLOCK).
 */
const ALIASES = new Set(["EWOULDBLOCK", "EOPNOTSUPP", "EDEADLK"]);

const NAMES = new Map<number, string>(
  Object.entries(NUMBERS)
    .filter(([name]) => !ALIASES.has(name))
    .map(([name, value]) => [value, name] as [number, string]),
);

/** The number of a name the table is known to hold (the type checks it). */
function errnoNumberOf(name: keyof typeof constants.errno | keyof typeof LINUX_FALLBACK): number {
  return NUMBERS[name]!;
}

/**
 * glibc's `strerror` text for each Linux errno (index = errno; "" where glibc
 * has none), which is what Python shows (`os.strerror`, `str(OSError)`).
 * libuv's own messages differ in wording for about a third of them ("File
 * already exists", "Illegal operation on a directory", "Socket is not
 * connected"), so they are not used.
 */
const GLIBC_STRERROR: readonly string[] = [
  "",
  "Operation not permitted",
  "No such file or directory",
  "No such process",
  "Interrupted system call",
  "Input/output error",
  "No such device or address",
  "Argument list too long",
  "Exec format error",
  "Bad file descriptor",
  "No child processes",
  "Resource temporarily unavailable",
  "Cannot allocate memory",
  "Permission denied",
  "Bad address",
  "Block device required",
  "Device or resource busy",
  "File exists",
  "Invalid cross-device link",
  "No such device",
  "Not a directory",
  "Is a directory",
  "Invalid argument",
  "Too many open files in system",
  "Too many open files",
  "Inappropriate ioctl for device",
  "Text file busy",
  "File too large",
  "No space left on device",
  "Illegal seek",
  "Read-only file system",
  "Too many links",
  "Broken pipe",
  "Numerical argument out of domain",
  "Numerical result out of range",
  "Resource deadlock avoided",
  "File name too long",
  "No locks available",
  "Function not implemented",
  "Directory not empty",
  "Too many levels of symbolic links",
  "",
  "No message of desired type",
  "Identifier removed",
  "Channel number out of range",
  "Level 2 not synchronized",
  "Level 3 halted",
  "Level 3 reset",
  "Link number out of range",
  "Protocol driver not attached",
  "No CSI structure available",
  "Level 2 halted",
  "Invalid exchange",
  "Invalid request descriptor",
  "Exchange full",
  "No anode",
  "Invalid request code",
  "Invalid slot",
  "",
  "Bad font file format",
  "Device not a stream",
  "No data available",
  "Timer expired",
  "Out of streams resources",
  "Machine is not on the network",
  "Package not installed",
  "Object is remote",
  "Link has been severed",
  "Advertise error",
  "Srmount error",
  "Communication error on send",
  "Protocol error",
  "Multihop attempted",
  "RFS specific error",
  "Bad message",
  "Value too large for defined data type",
  "Name not unique on network",
  "File descriptor in bad state",
  "Remote address changed",
  "Can not access a needed shared library",
  "Accessing a corrupted shared library",
  ".lib section in a.out corrupted",
  "Attempting to link in too many shared libraries",
  "Cannot exec a shared library directly",
  "Invalid or incomplete multibyte or wide character",
  "Interrupted system call should be restarted",
  "Streams pipe error",
  "Too many users",
  "Socket operation on non-socket",
  "Destination address required",
  "Message too long",
  "Protocol wrong type for socket",
  "Protocol not available",
  "Protocol not supported",
  "Socket type not supported",
  "Operation not supported",
  "Protocol family not supported",
  "Address family not supported by protocol",
  "Address already in use",
  "Cannot assign requested address",
  "Network is down",
  "Network is unreachable",
  "Network dropped connection on reset",
  "Software caused connection abort",
  "Connection reset by peer",
  "No buffer space available",
  "Transport endpoint is already connected",
  "Transport endpoint is not connected",
  "Cannot send after transport endpoint shutdown",
  "Too many references: cannot splice",
  "Connection timed out",
  "Connection refused",
  "Host is down",
  "No route to host",
  "Operation already in progress",
  "Operation now in progress",
  "Stale file handle",
  "Structure needs cleaning",
  "Not a XENIX named type file",
  "No XENIX semaphores available",
  "Is a named type file",
  "Remote I/O error",
  "Disk quota exceeded",
  "No medium found",
  "Wrong medium type",
  "Operation canceled",
  "Required key not available",
  "Key has expired",
  "Key has been revoked",
  "Key was rejected by service",
  "Owner died",
  "State not recoverable",
  "Operation not possible due to RF-kill",
  "Memory page has hardware error",
];

/** The errno name for a number (`111` → `"ECONNREFUSED"`), as Python's `errno.errorcode`, or `undefined`. */
export function errnoName(errno: number): string | undefined {
  return NAMES.get(Math.abs(errno));
}

/** The errno number for a name (`"ECONNREFUSED"` → `111`), or `undefined`. */
export function errnoNumber(name: string): number | undefined {
  return Object.hasOwn(NUMBERS, name) ? NUMBERS[name] : undefined;
}

/**
 * The C library's message for an errno, as Python's `os.strerror` gives it
 * on Linux (`111` → `"Connection refused"`, an unknown one → `"Unknown error 999"`).
 */
export function strerror(errno: number): string {
  return GLIBC_STRERROR[Math.abs(errno)] || `Unknown error ${errno}`;
}

/* The errnos netkit raises or checks, by name (Python's `errno.EBADF`, ...). */
/** `EPERM`: Operation not permitted. */
export const EPERM = errnoNumberOf("EPERM");
/** `ENOENT`: No such file or directory. */
export const ENOENT = errnoNumberOf("ENOENT");
/** `EINTR`: Interrupted system call. */
export const EINTR = errnoNumberOf("EINTR");
/** `EIO`: Input/output error. */
export const EIO = errnoNumberOf("EIO");
/** `EBADF`: Bad file descriptor. */
export const EBADF = errnoNumberOf("EBADF");
/** `EAGAIN`: Resource temporarily unavailable. */
export const EAGAIN = errnoNumberOf("EAGAIN");
/** `EACCES`: Permission denied. */
export const EACCES = errnoNumberOf("EACCES");
/** `EEXIST`: File exists. */
export const EEXIST = errnoNumberOf("EEXIST");
/** `ENOTDIR`: Not a directory. */
export const ENOTDIR = errnoNumberOf("ENOTDIR");
/** `EISDIR`: Is a directory. */
export const EISDIR = errnoNumberOf("EISDIR");
/** `EINVAL`: Invalid argument. */
export const EINVAL = errnoNumberOf("EINVAL");
/** `EPIPE`: Broken pipe. */
export const EPIPE = errnoNumberOf("EPIPE");
/** `EOVERFLOW`: Value too large for defined data type. */
export const EOVERFLOW = errnoNumberOf("EOVERFLOW");
/** `ENOTSOCK`: Socket operation on non-socket. */
export const ENOTSOCK = errnoNumberOf("ENOTSOCK");
/** `EDESTADDRREQ`: Destination address required. */
export const EDESTADDRREQ = errnoNumberOf("EDESTADDRREQ");
/** `EMSGSIZE`: Message too long. */
export const EMSGSIZE = errnoNumberOf("EMSGSIZE");
/** `ENOPROTOOPT`: Protocol not available. */
export const ENOPROTOOPT = errnoNumberOf("ENOPROTOOPT");
/** `ESOCKTNOSUPPORT`: Socket type not supported. */
export const ESOCKTNOSUPPORT = errnoNumberOf("ESOCKTNOSUPPORT");
/** `EOPNOTSUPP`: Operation not supported. */
export const EOPNOTSUPP = errnoNumberOf("EOPNOTSUPP");
/** `EAFNOSUPPORT`: Address family not supported by protocol. */
export const EAFNOSUPPORT = errnoNumberOf("EAFNOSUPPORT");
/** `EADDRINUSE`: Address already in use. */
export const EADDRINUSE = errnoNumberOf("EADDRINUSE");
/** `EADDRNOTAVAIL`: Cannot assign requested address. */
export const EADDRNOTAVAIL = errnoNumberOf("EADDRNOTAVAIL");
/** `ECONNABORTED`: Software caused connection abort. */
export const ECONNABORTED = errnoNumberOf("ECONNABORTED");
/** `ECONNRESET`: Connection reset by peer. */
export const ECONNRESET = errnoNumberOf("ECONNRESET");
/** `EISCONN`: Transport endpoint is already connected. */
export const EISCONN = errnoNumberOf("EISCONN");
/** `ENOTCONN`: Transport endpoint is not connected. */
export const ENOTCONN = errnoNumberOf("ENOTCONN");
/** `ESHUTDOWN`: Cannot send after transport endpoint shutdown. */
export const ESHUTDOWN = errnoNumberOf("ESHUTDOWN");
/** `ETIMEDOUT`: Connection timed out. */
export const ETIMEDOUT = errnoNumberOf("ETIMEDOUT");
/** `ECONNREFUSED`: Connection refused. */
export const ECONNREFUSED = errnoNumberOf("ECONNREFUSED");
/** `EHOSTUNREACH`: No route to host. */
export const EHOSTUNREACH = errnoNumberOf("EHOSTUNREACH");
/** `EALREADY`: Operation already in progress. */
export const EALREADY = errnoNumberOf("EALREADY");
/** `EINPROGRESS`: Operation now in progress. */
export const EINPROGRESS = errnoNumberOf("EINPROGRESS");
