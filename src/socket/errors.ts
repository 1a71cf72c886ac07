/**
 * The socket module's own errors, `gaierror` (name resolution failed) and
 * `herror` (address lookup failed), both `OSError`s as in Python, and the
 * OSError family re-exported so `import { timeout } from "netkit/socket"` works.
 *
 * @module
 */
import { OSError, TimeoutError } from "../errors/index.js";

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

/** Python's `socket.timeout`: since Python 3.10 an alias of `TimeoutError`. */
export const timeout = TimeoutError;

const EAI: Record<number, [name: string, message: string]> = {
  [-1]: ["EAI_BADFLAGS", "Bad value for ai_flags"],
  [-2]: ["EAI_NONAME", "Name or service not known"],
  [-3]: ["EAI_AGAIN", "Temporary failure in name resolution"],
  [-4]: ["EAI_FAIL", "Non-recoverable failure in name resolution"],
  [-5]: ["EAI_NODATA", "No address associated with hostname"],
  [-6]: ["EAI_FAMILY", "ai_family not supported"],
  [-7]: ["EAI_SOCKTYPE", "ai_socktype not supported"],
  [-8]: ["EAI_SERVICE", "Servname not supported for ai_socktype"],
  [-9]: ["EAI_ADDRFAMILY", "Address family for hostname not supported"],
};

/**
 * Python's `socket.gaierror`: `getaddrinfo`/`getnameinfo` failed. `errno` is
 * glibc's negative EAI code (`-2`), `code` its name (`"EAI_NONAME"`), and the
 * message reads `[Errno -2] Name or service not known`.
 */
export class gaierror extends OSError {
  constructor(errno?: number, message?: string, filename?: string, options?: { cause?: unknown }) {
    super(
      errno,
      message ?? (errno === undefined ? undefined : (EAI[errno]?.[1] ?? `Unknown error ${errno}`)),
      filename,
      options,
    );
  }
  static override defaultCode = "EAI_FAIL";
  static override codeFor(errno: number | undefined): string {
    return errno === undefined ? this.defaultCode : (EAI[errno]?.[0] ?? this.defaultCode);
  }
}

/** Python's `socket.herror`: an address has no host name (`[Errno 1] Unknown host`). */
export class herror extends OSError {
  static override defaultCode = "HOST_NOT_FOUND";
  static override codeFor(errno: number | undefined): string {
    return errno === 1 ? "HOST_NOT_FOUND" : this.defaultCode;
  }
}

/** The gaierror Python would raise for a Node dns error (`ENOTFOUND`, `EAI_AGAIN`, ...). */
export function gaierrorFromNode(err: unknown): gaierror {
  const code = (err as { code?: string } | undefined)?.code ?? "";
  const errno =
    code === "EAI_AGAIN" || code === "ETIMEOUT"
      ? -3
      : code === "EAI_FAIL"
        ? -4
        : code === "ENODATA"
          ? -5
          : code === "EAI_FAMILY" || code === "EADDRFAMILY"
            ? -9
            : -2;
  return new gaierror(errno, undefined, undefined, { cause: err });
}
