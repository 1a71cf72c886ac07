/**
 * `netkit/smtpd`: Python's `smtpd` module, an SMTP server (RFC 5321) that
 * hands each message it receives to a method you write.
 *
 * ```text
 * ThreadingTCPServer ─── SMTPServer ─┬─ DebuggingServer   prints each message
 *   (socketserver)      processMessage └─ PureProxy         relays it with smtplib
 *
 * LineRequestHandler ─── SMTPChannel   one session: HELO/EHLO, MAIL, RCPT, DATA, RSET,
 *   (socketserver)                     NOOP, QUIT, VRFY, HELP, EXPN; STARTTLS, AUTH
 * ```
 *
 * Python's replies, word for word; beyond Python: STARTTLS, AUTH PLAIN and
 * LOGIN, PIPELINING, timeouts, a cap on connections and on recipients, and
 * DATA that only CRLF can end (SMTP smuggling). Python deprecated smtpd in
 * 3.6 and removed it in 3.12 (aiosmtpd took its place); netkit keeps its
 * shape, which is small and well known.
 *
 * @example Print every message
 * ```ts
 * import type { Address } from "netkit/socket";
 * import { type MessageData, SMTPServer } from "netkit/smtpd";
 * class Printer extends SMTPServer {
 *   override processMessage(peer: Address | null, mailfrom: string, rcpttos: string[], data: MessageData) {
 *     console.log(`From ${mailfrom} to ${rcpttos.join(", ")}:\n${data}`);
 *   }
 * }
 * await using server = new Printer(["127.0.0.1", 0]);
 * await server.ready; // then: await server.serveForever();
 * console.log(`SMTP on port ${server.serverAddress[1]}`);
 * ```
 *
 * @module
 */
export { COMMAND, DATA, SMTPChannel } from "./channel.js";
export { DebuggingServer } from "./debugging.js";
export { addPeerHeader, PureProxy } from "./proxy.js";
export {
  type AuthenticateHook,
  DATA_SIZE_DEFAULT,
  type MessageData,
  type ProcessMessageOptions,
  type ProcessMessageResult,
  SMTPServer,
  type SMTPServerOptions,
} from "./server.js";
