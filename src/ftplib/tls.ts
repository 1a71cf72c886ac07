/**
 * Python's `ftplib.FTP_TLS`: FTP with explicit TLS (RFC 4217): `AUTH TLS`
 * on the control connection (before login, by default), then `PBSZ 0` and
 * `PROT P` for private data connections (`protP()`), `PROT C` to go back
 * to clear ones (`protC()`).
 *
 * Where netkit differs from Python 3.11, on purpose:
 * - The certificate and host name are verified by default
 *   (`createDefaultContext()`); Python's default context verifies nothing.
 * - A private data connection offers the control connection's TLS session
 *   for resumption, which servers that require it (vsftpd's
 *   `require_ssl_reuse`) insist on; Python offers none.
 * - Bytes the server sent after its 234 to AUTH, before the handshake, are
 *   dropped, never read as if they came over TLS.
 * - `ccc()` cannot return the control connection to clear text: Node's TLS
 *   sockets cannot be unwrapped. It throws `Error` (`ERR_FTP_CCC_UNSUPPORTED`)
 *   before sending CCC, so the session goes on over TLS (pure-ftpd accepts
 *   CCC after login, and Python's ftplib then talks in clear text).
 *
 * @module
 */
import { ValueError } from "../errors/index.js";
import type { Socket } from "../socket/socket.js";
import { createDefaultContext, type SSLContext, SSLSocket } from "../socket/tls.js";
import { FTPError } from "./errors.js";
import { FTP, type FTPOptions } from "./ftp.js";

/** Options for `FTP_TLS`: `FTP`'s and the TLS context. */
export interface FTP_TLSOptions extends FTPOptions {
  /**
   * The TLS settings for the control and data connections (Python's
   * `context`; its deprecated `keyfile` and `certfile` are
   * `context.loadCertChain`).
   * @default createDefaultContext() (verifies the certificate and host name)
   */
  context?: SSLContext;
}

/**
 * Python's `ftplib.FTP_TLS`: an `FTP` whose control connection is secured
 * with `AUTH TLS` (done by `login()` unless `secure` is false), and whose
 * data connections are secured after `protP()`.
 *
 * A session (it needs a server, so it is not an `@example` the docs test runs):
 *
 * ```ts
 * import { FTP_TLS } from "netkit/ftplib";
 * await using ftps = await FTP_TLS.open("ftp.example.org", { user: "alice", passwd: "s3cret" });
 * await ftps.protP();
 * await ftps.retrlines("LIST", (line) => console.log(line));
 * ```
 */
export class FTP_TLS extends FTP {
  /** The TLS settings the connections use. */
  readonly context: SSLContext;
  #protP = false;

  /**
   * Python's `FTP_TLS(context=..., timeout=..., ...)`, without connecting.
   * @throws LookupError for an unknown encoding
   */
  constructor(options: FTP_TLSOptions = {}) {
    const { context, ...rest } = options;
    super(rest);
    this.context = context ?? createDefaultContext();
  }

  /** Whether data connections are private (after `protP()`, until `protC()`). */
  get dataProtected(): boolean {
    return this.#protP;
  }

  /**
   * Python's `login(user, passwd, acct, secure)`: `auth()` first unless the
   * control connection is already TLS or `secure` is false.
   * @returns the final reply
   */
  override async login(user = "", passwd = "", acct = "", secure = true): Promise<string> {
    if (secure && !(this.sock instanceof SSLSocket)) await this.auth();
    return super.login(user, passwd, acct);
  }

  /**
   * Python's `auth()`: `AUTH TLS`, then the TLS handshake on the control
   * connection, checking the certificate against `host`.
   * @returns the reply to AUTH
   * @throws ValueError when already on TLS; error_perm when the server
   *   refuses; SSLCertVerificationError and the other SSLErrors (the
   *   connection is closed)
   */
  async auth(): Promise<string> {
    if (this.sock instanceof SSLSocket) throw new ValueError("Already using TLS");
    const resp = await this.voidcmd("AUTH TLS");
    const raw = this.sock!;
    let secure: Socket;
    try {
      secure = await this.context.wrapSocket(raw, { serverHostname: this.host });
    } catch (err) {
      raw.close();
      this.close();
      throw err;
    }
    // A fresh reader: whatever the old one buffered after the 234 is dropped.
    this.setControl(secure);
    return resp;
  }

  /**
   * Python's `ccc()`: CCC, back to a clear-text control connection. Node
   * cannot unwrap a TLS socket (end TLS and go on in clear text on the same
   * connection), so netkit refuses before sending anything: the session
   * stays usable, on TLS.
   * @throws ValueError when not on TLS (as Python); otherwise always Error
   *   with code `ERR_FTP_CCC_UNSUPPORTED`
   */
  async ccc(): Promise<string> {
    if (!(this.sock instanceof SSLSocket)) throw new ValueError("not using TLS");
    throw new FTPError(
      "Cannot send CCC: netkit's TLS sockets cannot be unwrapped to clear text; the control connection stays on TLS",
      "ERR_FTP_CCC_UNSUPPORTED",
    );
  }

  /**
   * Python's `prot_p()`: `PBSZ 0` and `PROT P`: data connections use TLS from now on.
   * @returns the reply to PROT
   */
  async protP(): Promise<string> {
    await this.voidcmd("PBSZ 0");
    const resp = await this.voidcmd("PROT P");
    this.#protP = true;
    return resp;
  }

  /**
   * Python's `prot_c()`: `PROT C`: data connections in clear text from now on.
   * @returns the reply
   */
  async protC(): Promise<string> {
    const resp = await this.voidcmd("PROT C");
    this.#protP = false;
    return resp;
  }

  /**
   * Python's `ntransfercmd`, with the data connection wrapped in TLS after
   * `protP()` (offering the control connection's session for resumption).
   */
  override async ntransfercmd(
    cmd: string,
    rest?: number | string | null,
  ): Promise<[conn: Socket, size: number | null]> {
    const [conn, size] = await super.ntransfercmd(cmd, rest);
    if (!this.#protP) return [conn, size];
    const control = this.sock;
    const session = control instanceof SSLSocket ? control.session : null;
    try {
      const secure = await this.context.wrapSocket(conn, {
        serverHostname: this.host,
        ...(session ? { session } : {}),
      });
      return [secure, size];
    } catch (err) {
      conn.close();
      throw err;
    }
  }
}
