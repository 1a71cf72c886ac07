/**
 * Python's `imaplib.IMAP4_SSL`: IMAP over TLS from the first byte (port
 * 993, RFC 8314's implicit TLS), with the certificate and host name
 * verified by default (Python's default context verifies neither).
 *
 * @module
 */
import type { Socket } from "../socket/socket.js";
import { createDefaultContext, type SSLContext } from "../socket/tls.js";
import { IMAP4, IMAP4_SSL_PORT, type IMAP4Options } from "./imap4.js";

/** Options for `IMAP4_SSL`: `IMAP4`'s and the TLS context. */
export interface IMAP4_SSLOptions extends IMAP4Options {
  /**
   * The TLS settings (Python's `ssl_context`; its deprecated `keyfile` and
   * `certfile` are `sslContext.loadCertChain`).
   * @default createDefaultContext() (verifies the certificate and host name)
   */
  sslContext?: SSLContext;
}

/** Python's `imaplib.IMAP4_SSL`: an `IMAP4` whose connection is TLS from the start. */
export class IMAP4_SSL extends IMAP4 {
  /** @default 993 */
  static override defaultPort = IMAP4_SSL_PORT;
  /** Python's `ssl_context`: the TLS settings the connection uses. */
  readonly sslContext: SSLContext;

  /**
   * Python's `IMAP4_SSL(host, port, ssl_context=..., timeout=...)`, without connecting.
   * @param host the server, and the name its certificate must hold
   * @param port its port (0: 993)
   */
  constructor(host = "", port = 0, options: IMAP4_SSLOptions = {}) {
    const { sslContext, ...rest } = options;
    super(host, port, rest);
    this.sslContext = sslContext ?? createDefaultContext();
  }

  /** Python's `IMAP4_SSL._create_socket`: the TCP connection, then the TLS handshake. */
  protected override async createSocket(timeout: number | null | undefined): Promise<Socket> {
    const raw = await super.createSocket(timeout);
    try {
      return await this.sslContext.wrapSocket(raw, { serverHostname: this.host || "localhost" });
    } catch (err) {
      raw.close();
      throw err;
    }
  }
}
