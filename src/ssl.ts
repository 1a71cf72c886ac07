/**
 * `netkit/ssl`: Python's `ssl` module — `SSLContext`, `createDefaultContext`,
 * `SSLSocket` (a netkit `Socket` over TLS), the `SSLError` family and the
 * constants (`CERT_REQUIRED`, `PROTOCOL_TLS_CLIENT`, `TLSVersion`, ...).
 * The code lives in the socket layer (`src/socket/tls.ts`) so protocol
 * modules reach TLS without node:tls; this module is its public name.
 *
 * @example A verified client connection
 * ```ts no-run
 * import { createConnection } from "netkit/socket";
 * import { createDefaultContext } from "netkit/ssl";
 * const ctx = createDefaultContext();
 * const raw = await createConnection(["example.org", 443], { timeout: 10 });
 * const sock = await ctx.wrapSocket(raw, { serverHostname: "example.org" });
 * console.log(sock.version(), sock.getpeercert()?.subject);
 * ```
 *
 * @module
 */
export * from "./socket/tls.js";
