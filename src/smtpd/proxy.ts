/**
 * Python's `smtpd.PureProxy`: an SMTP server that relays each message to
 * the upstream server (`remoteaddr`) with `smtplib`, adding an `X-Peer:`
 * header after the message's headers.
 *
 * Where it differs from Python 3.11's, on purpose:
 * - It works with bytes (Python's `process_message` takes no `**kwargs` and
 *   splits `data` as text, so it fails on every message unless `decode_data`
 *   is set; `python -m smtpd` runs it without).
 * - When the upstream server takes none of the recipients (it refused them,
 *   or could not be reached), the client is told: `451` for a temporary
 *   failure, `554` when every refusal was permanent. Python answers `250 OK`
 *   and the message is lost. When some recipients were taken, the answer is
 *   `250 OK` as in Python, and `refused` holds the others.
 *
 * @module
 */
import { OSError, ValueError } from "../errors/index.js";
import { SMTPException, SMTPRecipientsRefused, type SMTPReply } from "../smtplib/errors.js";
import { SMTP } from "../smtplib/smtp.js";
import type { Address } from "../socket/address.js";
import { type MessageData, type ProcessMessageResult, SMTPServer, type SMTPServerOptions } from "./server.js";

const LF = 0x0a;

/** The host part of an address (`peer[0]`). */
function peerHost(peer: Address | null): string {
  return Array.isArray(peer) ? String(peer[0]) : String(peer ?? "");
}

/**
 * Python's `PureProxy.process_message` text step: `X-Peer: host` inserted
 * before the first empty line (after the headers), or at the end.
 * @param data the message, lines joined by `\n`
 * @param host the client's address
 * @returns the message with the header
 */
export function addPeerHeader(data: MessageData, host: string): Buffer {
  const bytes = typeof data === "string" ? Buffer.from(data, "utf-8") : data;
  let at = 0;
  // The first line that is empty ends the headers (Python: `if not line: break`).
  while (at < bytes.length && bytes[at] !== LF) {
    const next = bytes.indexOf(LF, at);
    if (next < 0) {
      at = bytes.length;
      break;
    }
    at = next + 1;
  }
  const header = Buffer.from(`X-Peer: ${host}`, "utf-8");
  if (at >= bytes.length) {
    return bytes.length === 0 ? header : Buffer.concat([bytes, Buffer.from("\n"), header]);
  }
  return Buffer.concat([bytes.subarray(0, at), header, Buffer.from("\n"), bytes.subarray(at)]);
}

/**
 * Python's `smtpd.PureProxy`: relays each message to `remoteaddr` (see the
 * module doc for how it answers when the upstream server refuses).
 *
 * @example
 * ```ts
 * import { PureProxy } from "netkit/smtpd";
 * await using proxy = new PureProxy(["127.0.0.1", 0], ["mail.example.org", 25]);
 * await proxy.ready; // then: await proxy.serveForever();
 * ```
 */
export class PureProxy extends SMTPServer {
  /** Seconds each step of the relay (connect, each command) may take. @default 60 */
  relayTimeout = 60;
  /** The recipients the upstream server refused in the last relay (Python's `refused`). */
  refused: Map<string, SMTPReply> = new Map();

  /**
   * @param localaddr where to listen
   * @param remoteaddr the upstream server
   * @param options as `SMTPServer`'s
   * @throws ValueError with `enableSMTPUTF8` (as Python)
   */
  constructor(
    localaddr: [string, number],
    remoteaddr: [string, number] | null,
    options: SMTPServerOptions = {},
  ) {
    if (options.enableSMTPUTF8) throw new ValueError("PureProxy does not support SMTPUTF8.");
    super(localaddr, remoteaddr, options);
  }

  /** Adds `X-Peer:` and relays the message; answers as the module doc says. */
  override async processMessage(
    peer: Address | null,
    mailfrom: string,
    rcpttos: string[],
    data: MessageData,
  ): Promise<ProcessMessageResult> {
    const refused = await this.deliver(mailfrom, rcpttos, addPeerHeader(data, peerHost(peer)));
    this.refused = refused;
    if (refused.size < rcpttos.length) return undefined;
    const temporary = [...refused.values()].some(([code]) => code < 500);
    return temporary
      ? "451 Error: could not relay the message, try again later"
      : "554 Error: the upstream server refused every recipient";
  }

  /**
   * Python's `_deliver`: one smtplib session to `remoteaddr`.
   * @returns the refused recipients; every one of them (code -1 when there
   *   was no reply) when the relay failed
   */
  async deliver(mailfrom: string, rcpttos: string[], data: Buffer): Promise<Map<string, SMTPReply>> {
    const [host, port] = this.remoteaddr ?? ["localhost", 25];
    try {
      const smtp = await SMTP.open(host, port, { timeout: this.relayTimeout });
      try {
        return await smtp.sendmail(mailfrom === "<>" ? "" : mailfrom, rcpttos, data);
      } finally {
        await smtp.quit().catch(() => smtp.close());
      }
    } catch (err) {
      if (err instanceof SMTPRecipientsRefused) return err.recipients;
      if (!(err instanceof SMTPException || err instanceof OSError)) throw err;
      const code = (err as { smtpCode?: number }).smtpCode ?? -1;
      const text = (err as { smtpError?: Buffer }).smtpError ?? Buffer.from("ignore");
      return new Map(rcpttos.map((r) => [r, [code, text] as SMTPReply]));
    }
  }
}
