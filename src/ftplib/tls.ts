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
 * - After `ccc()` the control socket is a plain `Socket`, so a second
 *   `ccc()` throws ValueError before sending anything (Python keeps an
 *   unwrapped `SSLSocket`, sends CCC again in clear text and then fails).
 *
 * @module
 */
import { ValueError } from "../errors/index.js";
import type { Socket } from "../socket/socket.js";
import { createDefaultContext, type SSLContext, SSLSocket } from "../socket/tls.js";
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
  /** The control connection's TLS session, kept after `ccc()` for the data connections. */
  #session: Buffer | null = null;

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
   * Python's `ccc()`: CCC ("Clear Command Channel", RFC 4217 §6), then the
   * TLS shutdown handshake on the control connection (close_notify both
   * ways, `SSLSocket.unwrap()`), which goes on in clear text. Data
   * connections keep their protection: after `protP()` they still use TLS,
   * offering the session the control connection had.
   * @returns the reply to CCC
   * @throws ValueError when not on TLS (as Python; here also after a
   *   `ccc()`, where Python sends CCC again); error_perm when the server
   *   refuses (the session stays on TLS); SSLEOFError, TimeoutError or the
   *   SSLError the server's bytes cause when the shutdown fails (the
   *   connection is closed)
   */
  async ccc(): Promise<string> {
    const sock = this.sock;
    if (!(sock instanceof SSLSocket)) throw new ValueError("not using TLS");
    const resp = await this.voidcmd("CCC");
    this.#session = sock.session;
    let clear: Socket;
    try {
      clear = await sock.unwrap();
    } catch (err) {
      this.close();
      throw err;
    }
    this.setControl(clear);
    return resp;
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
    const session = control instanceof SSLSocket ? control.session : this.#session;
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
