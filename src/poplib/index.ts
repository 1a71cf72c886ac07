/**
 * `netkit/poplib`: Python's `poplib`, a POP3 client (RFC 1939, RFC 2449
 * CAPA, RFC 2595 STLS, RFC 6856 UTF8), on `netkit/textproto`.
 *
 * - `POP3`, `POP3_SSL`: the client classes (`await POP3.open(host)` is
 *   Python's `POP3(host)`), every command Python has (`pass` is Python's
 *   `pass_`), with Python's results: a status line as a Buffer, a
 *   multi-line response as `[response, lines, octets]`.
 * - `error_proto`, the one exception, with a stable `code` for each way a
 *   session fails (a `-ERR` answer, a line past 2048 bytes, the end of the
 *   stream, a response past its bound).
 * - `POP3_LIMITS`, the ports `POP3_PORT` and `POP3_SSL_PORT`.
 *
 * Safer than Python 3.11: CR, LF and NUL in an argument are refused before
 * sending; TLS verifies the server by default and drops bytes sent before
 * the STLS handshake; a multi-line response is bounded (64 MiB by
 * default); every read and write honours `timeout`; `await using` closes
 * without QUIT, so an exception never commits a deletion. The details are
 * on `POP3`.
 *
 * A session (it needs a mail server, so it is not an `@example` the docs
 * test runs; docs/poplib.md holds the same, type-checked):
 *
 * ```ts
 * import { POP3 } from "netkit/poplib";
 * await using pop = await POP3.open("localhost", 110, { timeout: 30 });
 * await pop.user("alice");
 * await pop.pass("secret");
 * const [response, lines, octets] = await pop.retr(1);
 * await pop.quit();
 * ```
 *
 * @module
 */
export { error_proto, type POP3ErrorCode } from "./errors.js";
export { POP3_LIMITS } from "./limits.js";
export type { LongResponse } from "./parse.js";
export { POP3, POP3_PORT, POP3_SSL_PORT, type POP3Options, type Which } from "./pop3.js";
export { POP3_SSL, type POP3_SSLOptions } from "./ssl.js";
