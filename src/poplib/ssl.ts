/**
 * Python's `poplib.POP3_SSL`: POP3 over TLS from the first byte (port 995,
 * RFC 8314's "implicit TLS"), with the certificate and host name verified
 * by default (Python's default context verifies neither).
 *
 * @module
 */
import type { Socket } from "../socket/socket.js";
import { createDefaultContext, type SSLContext } from "../socket/tls.js";
import { error_proto } from "./errors.js";
import { POP3, POP3_SSL_PORT, type POP3Options } from "./pop3.js";

/** Options for `POP3_SSL`: `POP3`'s and the TLS context. */
export interface POP3_SSLOptions extends POP3Options {
  /**
   * The TLS settings (Python's `context`; its deprecated `keyfile` and
   * `certfile` are `context.loadCertChain`).
   * @default createDefaultContext() (verifies the certificate and host name)
   */
  context?: SSLContext;
}

/**
 * Python's `poplib.POP3_SSL`: a `POP3` whose connection is TLS from the start.
 *
 * `await POP3_SSL.open("pop.example.org")` connects to port 995 and
 * verifies the server's certificate; docs/poplib.md shows a session.
 */
export class POP3_SSL extends POP3 {
  /** @default 995 */
  static override defaultPort = POP3_SSL_PORT;
  /** The TLS settings the connection uses. */
  readonly context: SSLContext;

  /**
   * Python's `POP3_SSL(host, port, timeout=..., context=...)`, without connecting.
   * @param host the server, and the name its certificate must hold
   * @param port its port (0: 995)
   */
  constructor(host: string, port = 0, options: POP3_SSLOptions = {}) {
    const { context, ...rest } = options;
    super(host, port, rest);
    this.context = context ?? createDefaultContext();
  }

  /**
   * Python's `POP3_SSL._create_socket`: the TCP connection, then the TLS handshake.
   * @throws SSLCertVerificationError and the other SSLErrors; what `POP3.createSocket` throws
   */
  protected override async createSocket(timeout: number | null | undefined): Promise<Socket> {
    const raw = await super.createSocket(timeout);
    try {
      return await this.context.wrapSocket(raw, { serverHostname: this.host });
    } catch (err) {
      raw.close();
      throw err;
    }
  }

  /**
   * Python's `POP3_SSL.stls()`: always refused, the connection is already TLS.
   * @throws error_proto `ERR_POP3_TLS_ACTIVE` (`-ERR TLS session already established`)
   */
  override stls(_options: { context?: SSLContext } = {}): Promise<Buffer> {
    return Promise.reject(new error_proto("-ERR TLS session already established", "ERR_POP3_TLS_ACTIVE"));
  }
}
