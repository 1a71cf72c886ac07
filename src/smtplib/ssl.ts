/**
 * Python's `smtplib.SMTP_SSL`: SMTP over TLS from the first byte (port 465,
 * RFC 8314's "implicit TLS"), with the certificate and host name verified
 * by default (Python's default context verifies neither).
 *
 * @module
 */
import type { Socket } from "../socket/socket.js";
import { createDefaultContext, type SSLContext } from "../socket/tls.js";
import { SMTP, SMTP_SSL_PORT, type SMTPOptions } from "./smtp.js";

/** Options for `SMTP_SSL`: `SMTP`'s and the TLS context. */
export interface SMTP_SSLOptions extends SMTPOptions {
  /**
   * The TLS settings (Python's `context`; its deprecated `keyfile` and
   * `certfile` are `context.loadCertChain`).
   * @default createDefaultContext() (verifies the certificate and host name)
   */
  context?: SSLContext;
}

/**
 * Python's `smtplib.SMTP_SSL`: an `SMTP` whose connection is TLS from the start.
 *
 * @example
 * ```ts no-run
 * import { SMTP_SSL } from "netkit/smtplib";
 * await using smtp = await SMTP_SSL.open("smtp.example.org", 465, { timeout: 30 });
 * await smtp.login("me", "secret");
 * ```
 */
export class SMTP_SSL extends SMTP {
  /** @default 465 */
  static override defaultPort = SMTP_SSL_PORT;
  /** The TLS settings the connection uses. */
  readonly context: SSLContext;

  /**
   * Python's `SMTP_SSL(host, port, ..., context=...)`, without connecting.
   * @param host the server `connect()` uses by default, and the name its certificate must hold
   * @param port its port (0: 465)
   */
  constructor(host = "", port = 0, options: SMTP_SSLOptions = {}) {
    const { context, ...rest } = options;
    super(host, port, rest);
    this.context = context ?? createDefaultContext();
  }

  /**
   * Python's `SMTP_SSL._get_socket`: the TCP connection, then the TLS handshake.
   * @throws SSLCertVerificationError and the other SSLErrors; what `SMTP.getSocket` throws
   */
  protected override async getSocket(
    host: string,
    port: number,
    timeout: number | null | undefined,
  ): Promise<Socket> {
    const raw = await super.getSocket(host, port, timeout);
    try {
      return await this.context.wrapSocket(raw, { serverHostname: this.host || host });
    } catch (err) {
      raw.close();
      throw err;
    }
  }
}
