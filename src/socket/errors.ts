/**
 * The socket module's own errors, mirroring Python's `socket.gaierror`
 * (`getaddrinfo`/`getnameinfo` failed) and `socket.herror` (a
 * `gethostbyname_ex`/`gethostbyaddr` look-up failed), both `OSError`s, and
 * the `OSError` family re-exported so `import { timeout } from
 * "netkit/socket"` works as `socket.timeout` does in Python.
 *
 * ```text
 * OSError
 *  ├── gaierror   errno: glibc's EAI_* (negative), code "EAI_NONAME", ...
 *  ├── herror     errno: h_errno (1-4), code "HOST_NOT_FOUND", ...
 *  ├── ConnectionError, BlockingIOError, ... (from netkit/errors)
 *  └── TimeoutError (= timeout)
 * ```
 *
 * The class names stay lower-case, as in Python.
 *
 * @module
 */
import { nameErrors, OSError, TimeoutError } from "../errors/index.js";
import { H_ERRNO } from "./_herrno.js";
import {
  EAI_ADDRFAMILY,
  EAI_AGAIN,
  EAI_ALLDONE,
  EAI_BADFLAGS,
  EAI_CANCELED,
  EAI_FAIL,
  EAI_FAMILY,
  EAI_IDN_ENCODE,
  EAI_INPROGRESS,
  EAI_INTR,
  EAI_MEMORY,
  EAI_NODATA,
  EAI_NONAME,
  EAI_NOTCANCELED,
  EAI_OVERFLOW,
  EAI_SERVICE,
  EAI_SOCKTYPE,
  EAI_SYSTEM,
} from "./constants.js";

export {
  BlockingIOError,
  BrokenPipeError,
  ConnectionAbortedError,
  ConnectionError,
  ConnectionRefusedError,
  ConnectionResetError,
  OSError,
  TimeoutError,
} from "../errors/index.js";

/**
 * Python's `socket.timeout`: since Python 3.10 an alias of `TimeoutError`.
 * @example
 * ```ts
 * import { socketpair } from "netkit/socket";
 * const [sock, peer] = await socketpair();
 * sock.settimeout(0.1);
 * try { await sock.recv(10); } catch (e) { if (e instanceof timeout) console.log("timed out"); }
 * sock.close();
 * peer.close();
 * ```
 */
export const timeout = TimeoutError;

/** glibc's EAI_* codes: name and `gai_strerror` text. */
const EAI: ReadonlyMap<number, readonly [name: string, message: string]> = new Map([
  [EAI_BADFLAGS, ["EAI_BADFLAGS", "Bad value for ai_flags"]],
  [EAI_NONAME, ["EAI_NONAME", "Name or service not known"]],
  [EAI_AGAIN, ["EAI_AGAIN", "Temporary failure in name resolution"]],
  [EAI_FAIL, ["EAI_FAIL", "Non-recoverable failure in name resolution"]],
  [EAI_NODATA, ["EAI_NODATA", "No address associated with hostname"]],
  [EAI_FAMILY, ["EAI_FAMILY", "ai_family not supported"]],
  [EAI_SOCKTYPE, ["EAI_SOCKTYPE", "ai_socktype not supported"]],
  [EAI_SERVICE, ["EAI_SERVICE", "Servname not supported for ai_socktype"]],
  [EAI_ADDRFAMILY, ["EAI_ADDRFAMILY", "Address family for hostname not supported"]],
  [EAI_MEMORY, ["EAI_MEMORY", "Memory allocation failure"]],
  [EAI_SYSTEM, ["EAI_SYSTEM", "System error"]],
  [EAI_OVERFLOW, ["EAI_OVERFLOW", "Argument buffer too small"]],
  [EAI_INPROGRESS, ["EAI_INPROGRESS", "Processing request in progress"]],
  [EAI_CANCELED, ["EAI_CANCELED", "Request canceled"]],
  [EAI_NOTCANCELED, ["EAI_NOTCANCELED", "Request not canceled"]],
  [EAI_ALLDONE, ["EAI_ALLDONE", "All requests done"]],
  [EAI_INTR, ["EAI_INTR", "Interrupted by a signal"]],
  [EAI_IDN_ENCODE, ["EAI_IDN_ENCODE", "Parameter string not correctly encoded"]],
] as const);

/**
 * Python's `socket.gaierror`: `getaddrinfo()` or `getnameinfo()` failed.
 * `errno` is glibc's negative EAI code, `strerror` its `gai_strerror` text,
 * `code` the code's name, and the message reads as Python's `str(err)`.
 *
 * @example
 * ```ts
 * const e = new gaierror(-2);
 * e.message; // "[Errno -2] Name or service not known"
 * e.code;    // "EAI_NONAME"
 * ```
 */
export class gaierror extends OSError {
  /**
   * @param errno an EAI code (`EAI_NONAME`, ...)
   * @param message defaults to glibc's `gai_strerror(errno)`
   */
  constructor(errno?: number, message?: string, filename?: string, options?: { cause?: unknown }) {
    super(
      errno,
      message ?? (errno === undefined ? undefined : (EAI.get(errno)?.[1] ?? "Unknown error")),
      filename,
      options,
    );
  }
  /** The `code` of a `gaierror` built without an errno. */
  static override defaultCode = "ERR_GAIERROR";
  /** The EAI name for an EAI code (`-2` → `"EAI_NONAME"`). */
  static override codeFor(errno: number | undefined): string {
    return errno === undefined ? this.defaultCode : (EAI.get(errno)?.[0] ?? this.defaultCode);
  }
}

/**
 * Python's `socket.herror`: a `gethostbyname_ex()` or `gethostbyaddr()`
 * look-up found no host. `errno` is the C library's `h_errno` (`1`, `2`,
 * ...), the message its `hstrerror` text: `[Errno 1] Unknown host`.
 *
 * @example
 * ```ts
 * const e = new herror(1);
 * e.message; // "[Errno 1] Unknown host"
 * e.code;    // "HOST_NOT_FOUND"
 * ```
 */
export class herror extends OSError {
  /**
   * @param errno an `h_errno` value (`HOST_NOT_FOUND`, `TRY_AGAIN`, ...)
   * @param message defaults to glibc's `hstrerror(errno)`
   */
  constructor(errno?: number, message?: string, filename?: string, options?: { cause?: unknown }) {
    super(
      errno,
      message ?? (errno === undefined ? undefined : (H_ERRNO.get(errno)?.[1] ?? "Unknown resolver error")),
      filename,
      options,
    );
  }
  /** The `code` of an `herror` built without an errno. */
  static override defaultCode = "ERR_HERROR";
  /** The `h_errno` name (`1` → `"HOST_NOT_FOUND"`). */
  static override codeFor(errno: number | undefined): string {
    return errno === undefined ? this.defaultCode : (H_ERRNO.get(errno)?.[0] ?? this.defaultCode);
  }
}

/** Node's names for getaddrinfo failures (libuv's `EAI_*`) → glibc's EAI codes. */
const NODE_EAI: Readonly<Record<string, number>> = {
  // Node reports EAI_NONAME and EAI_NODATA (and EAI_MEMORY) all as ENOTFOUND;
  // EAI_NONAME is what glibc returns for a name that does not exist.
  ENOTFOUND: EAI_NONAME,
  EAI_NONAME: EAI_NONAME,
  EAI_BADFLAGS: EAI_BADFLAGS,
  EAI_AGAIN: EAI_AGAIN,
  EAI_FAIL: EAI_FAIL,
  EAI_NODATA: EAI_NODATA,
  EAI_FAMILY: EAI_FAMILY,
  EAI_SOCKTYPE: EAI_SOCKTYPE,
  EAI_SERVICE: EAI_SERVICE,
  EAI_ADDRFAMILY: EAI_ADDRFAMILY,
  EAI_MEMORY: EAI_MEMORY,
  EAI_OVERFLOW: EAI_OVERFLOW,
  EAI_CANCELED: EAI_CANCELED,
  // c-ares (dns.Resolver) codes, mapped as glibc's resolver maps the DNS outcomes.
  ENODATA: EAI_NODATA,
  EBADNAME: EAI_NONAME,
  ETIMEOUT: EAI_AGAIN,
  ECONNREFUSED: EAI_AGAIN,
  ESERVFAIL: EAI_AGAIN,
  ECANCELLED: EAI_AGAIN,
  EREFUSED: EAI_FAIL,
  EFORMERR: EAI_FAIL,
  ENOTIMP: EAI_FAIL,
  EBADRESP: EAI_FAIL,
  EBADFAMILY: EAI_FAMILY,
  ENOMEM: EAI_MEMORY,
};

/**
 * The error Python would raise for a failed Node name look-up
 * (`dns.lookup`, `dns.lookupService`, a `dns.Resolver` query): a `gaierror`
 * with glibc's EAI code (`ENOTFOUND` → `EAI_NONAME`, `EAI_AGAIN` →
 * `EAI_AGAIN`, `ENODATA` → `EAI_NODATA`, a DNS timeout → `EAI_AGAIN`), or,
 * for glibc's `EAI_SYSTEM` (Node reports the errno itself, `EMFILE`), the
 * plain `OSError` Python raises then. Errors that are already `OSError`s
 * pass through unchanged.
 *
 * @param err what Node threw
 * @example
 * ```ts
 * import dns from "node:dns";
 * try { await dns.promises.lookup("nonexistent.invalid"); }
 * catch (e) { console.log(String(gaierrorFromNode(e))); } // gaierror: [Errno -2] Name or service not known
 * ```
 */
export function gaierrorFromNode(err: unknown): OSError {
  if (err instanceof OSError) return err;
  const code = (err as { code?: unknown } | null | undefined)?.code;
  if (typeof code === "string") {
    const eai = NODE_EAI[code];
    if (eai !== undefined) return new gaierror(eai, undefined, undefined, { cause: err });
    const fromErrno = OSError.fromNodeError(err);
    if (fromErrno instanceof OSError) return fromErrno;
  }
  return new gaierror(EAI_FAIL, undefined, undefined, { cause: err });
}

/**
 * The error a socket call (`bind`, `connect`, `sendto`) throws for what Node
 * reported: when the host name in the address did not resolve (Node looks it
 * up inside the call: `syscall` "getaddrinfo"), Python's `gaierror`
 * (`[Errno -2] Name or service not known`), as Python's socket module raises
 * it; any other failure as `OSError.fromNodeError` gives it.
 *
 * @param err what Node reported
 * @param filename the path the call was about (AF_UNIX), for the OSError
 */
export function socketCallError(err: unknown, filename?: string): Error {
  if ((err as { syscall?: unknown } | null | undefined)?.syscall === "getaddrinfo")
    return gaierrorFromNode(err);
  return OSError.fromNodeError(err, filename);
}

// Each class's `name`, written out: a minifier renames the classes themselves.
nameErrors({ gaierror, herror });
