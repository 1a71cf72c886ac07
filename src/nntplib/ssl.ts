/**
 * Python's `nntplib.NNTP_SSL`: NNTP over TLS from the first byte (port 563,
 * RFC 4642's "NNTPS"), with the certificate and host name verified by
 * default (Python's default context verifies neither).
 *
 * @module
 */
import type { Socket } from "../socket/socket.js";
import { createDefaultContext, type SSLContext } from "../socket/tls.js";
import { NNTP, NNTP_SSL_PORT, type NNTPOptions } from "./nntp.js";

/** Options for `NNTP_SSL`: `NNTP`'s and the TLS context. */
export interface NNTP_SSLOptions extends NNTPOptions {
  /**
   * The TLS settings (Python's `ssl_context`).
   * @default createDefaultContext() (verifies the certificate and host name)
   */
  sslContext?: SSLContext;
}

/**
 * Python's `nntplib.NNTP_SSL`: an `NNTP` whose connection is TLS from the
 * start: `await NNTP_SSL.open("news.example.org", 563, { timeout: 30 })`.
 */
export class NNTP_SSL extends NNTP {
  /** @default 563 */
  static override defaultPort = NNTP_SSL_PORT;
  /** The TLS settings the connection uses. */
  readonly sslContext: SSLContext;

  /**
   * Python's `NNTP_SSL(host, port, ..., ssl_context=...)`, without connecting.
   * @param host the server, and the name its certificate must hold
   * @param port its port (0: 563)
   */
  constructor(host: string, port = 0, options: NNTP_SSLOptions = {}) {
    const { sslContext, ...rest } = options;
    super(host, port, rest);
    this.sslContext = sslContext ?? createDefaultContext();
  }

  /**
   * Python's `NNTP_SSL._create_socket`: the TCP connection, then the TLS handshake.
   * @throws SSLCertVerificationError and the other SSLErrors; what `NNTP.createSocket` throws
   */
  protected override async createSocket(timeout: number | null | undefined): Promise<Socket> {
    const raw = await super.createSocket(timeout);
    try {
      return await this.sslContext.wrapSocket(raw, { serverHostname: this.host });
    } catch (err) {
      raw.close();
      throw err;
    }
  }
}
