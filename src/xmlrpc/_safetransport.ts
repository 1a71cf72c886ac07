/**
 * Python's `xmlrpc.client.SafeTransport`: the XML-RPC transport over HTTPS,
 * on netkit's `HTTPSConnection` (certificate and host name verified by
 * default, as in Python 3.11).
 *
 * @module
 */
import { HTTPSConnection, type SSLContext, type SSLContextOptions } from "../http/client.js";
import { Transport, type TransportOptions } from "./_transport.js";

/** Options for `SafeTransport`: `Transport`'s plus Python's `context`. */
export interface SafeTransportOptions extends TransportOptions {
  /**
   * Python's `context`: an `SSLContext`, or Node TLS options to make one
   * (`{ ca }` for a private CA).
   * @default the default context (system CAs, host name checked)
   */
  context?: SSLContext | SSLContextOptions;
}

/**
 * Python's `xmlrpc.client.SafeTransport`: like `Transport`, over TLS.
 *
 * @example
 * ```ts world
 * import { readFileSync } from "node:fs";
 * const transport = new SafeTransport({ context: { ca: readFileSync("ca.pem") } });
 * const proxy = new ServerProxy("https://localhost:8443/RPC2", { transport });
 * ```
 */
export class SafeTransport extends Transport {
  /** The TLS settings (Python's `context`). */
  readonly context: SSLContext | SSLContextOptions | undefined;

  constructor(options: SafeTransportOptions = {}) {
    super(options);
    this.context = options.context;
  }

  /** Python's `make_connection`'s HTTPS half: an `HTTPSConnection` with this transport's context. */
  protected override newConnection(chost: string): HTTPSConnection {
    return new HTTPSConnection(chost, null, {
      timeout: this.timeout,
      ...(this.context !== undefined ? { context: this.context } : {}),
    });
  }
}
