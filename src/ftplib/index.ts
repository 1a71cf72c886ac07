/**
 * `netkit/ftplib`: Python's `ftplib`, an FTP client (RFC 959, RFC 2428's
 * EPSV and EPRT, RFC 3659's SIZE and MLSD, RFC 4217's explicit TLS), on
 * `netkit/textproto`.
 *
 * - `FTP`, `FTP_TLS`: the client classes (`await FTP.open(host, { user })`
 *   is Python's `FTP(host, user)`).
 * - The exception tree: `Error` (also exported as `FTPError`),
 *   `error_reply`, `error_temp`, `error_perm`, `error_proto`, with stable
 *   codes, and `all_errors` (`isFtpError(err)` checks against it).
 * - The reply parsers `parse150`, `parse227`, `parse229`, `parse257` and
 *   `parseMlsdLine`, pure; `print_line`, `ftpcp`; `FTP_PORT`, `MAXLINE`.
 *
 * Safer than Python 3.11: CR, LF and NUL in a command are refused before
 * sending; the host in a PASV reply is ignored (the control connection's
 * peer is used); an active-mode data connection is taken only from the
 * server's host; every network call has a timeout (60 seconds unless told),
 * so a data connection that hangs fails with `TimeoutError`; control and
 * listing lines are bounded (8192 bytes, 1000 lines per reply); `FTP_TLS`
 * verifies the server's certificate by default. The details are on `FTP`
 * and `FTP_TLS`.
 *
 * A session (it needs an FTP server, so it is not an `@example` the docs
 * test runs; docs/ftplib.md holds the same, type-checked):
 *
 * ```ts
 * import { FTP } from "netkit/ftplib";
 * await using ftp = await FTP.open("ftp.example.org", { user: "anonymous", timeout: 30 });
 * for (const [name, facts] of await ftp.mlsd("/pub")) console.log(name, facts.type, facts.size);
 * ```
 *
 * @module
 */
export {
  all_errors,
  type ErrorClass,
  error_perm,
  error_proto,
  error_reply,
  error_temp,
  FTPError as Error,
  FTPError,
  isFtpError,
} from "./errors.js";
export {
  B_CRLF,
  CRLF,
  type DataCallback,
  DEFAULT_TIMEOUT,
  FTP,
  FTP_PORT,
  type FTPOpenOptions,
  type FTPOptions,
  type LineCallback,
  MAXLINE,
  print_line,
  type RetrbinaryOptions,
  type StorbinaryOptions,
  type StorlinesOptions,
  type UploadSource,
} from "./ftp.js";
export { ftpcp } from "./ftpcp.js";
export {
  formatEprt,
  formatPort,
  type MlsdEntry,
  parse150,
  parse227,
  parse229,
  parse257,
  parseMlsdLine,
} from "./parse.js";
export { FTP_TLS, type FTP_TLSOptions } from "./tls.js";
