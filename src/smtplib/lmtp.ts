/**
 * Python's `smtplib.LMTP` (RFC 2033): SMTP's commands with LHLO for EHLO,
 * to a local delivery agent over TCP (port 2003) or, as LMTP servers
 * usually listen, a UNIX socket given as an absolute path.
 *
 * @module
 */
import { ValueError } from "../errors/index.js";
import { AF_UNIX, SOCK_STREAM } from "../socket/constants.js";
import { getdefaulttimeout, Socket } from "../socket/socket.js";
import { SMTPRecipientsRefused, type SMTPReply } from "./errors.js";
import { LMTP_PORT, type RefusedRecipients, SMTP, type SMTPOptions } from "./smtp.js";

/**
 * Python's `smtplib.LMTP`: LHLO instead of EHLO; a host starting with `/`
 * is a UNIX socket path.
 *
 * After the message an LMTP server answers once per recipient it accepted
 * (RFC 2033 section 4.2): each was delivered to, or not, on its own.
 * `sendmail()` reads every one of those replies, where Python 3.11 reads
 * the first only and leaves the rest to be taken for the answers to the
 * next commands. A recipient not delivered to is in the map `sendmail()`
 * returns, as a refused RCPT is; when none was delivered to, it throws
 * `SMTPRecipientsRefused` with each recipient's reply. `data()` alone
 * returns the first reply, as Python's: read the others with `getreply()`.
 */
export class LMTP extends SMTP {
  /** @default 2003 */
  static override defaultPort = LMTP_PORT;
  override ehloMsg = "lhlo";

  /**
   * Python's `LMTP(host, port, ...)`, without connecting.
   * @param host a host name, or a UNIX socket's absolute path
   * @param port the TCP port @default 2003
   */
  constructor(host = "", port: number = LMTP_PORT, options: SMTPOptions = {}) {
    super(host, port, options);
  }

  /**
   * Python's `LMTP.connect(host, port)`: a path starting with `/` is a UNIX
   * socket, anything else a TCP host as `SMTP.connect`.
   * @returns the greeting
   * @throws ValueError for `timeout: 0`; OSError (FileNotFoundError, ConnectionRefusedError, TimeoutError)
   */
  override async connect(
    host: string = this.host || "localhost",
    port?: number,
    sourceAddress?: Parameters<SMTP["connect"]>[2],
  ): Promise<SMTPReply> {
    if (!host.startsWith("/")) return super.connect(host, port, sourceAddress);
    if (this.timeout === 0) throw new ValueError("Non-blocking socket (timeout=0) is not supported");
    this.close();
    this.host = host;
    const sock = new Socket(AF_UNIX, SOCK_STREAM);
    sock.settimeout(this.timeout === undefined ? getdefaulttimeout() : this.timeout);
    try {
      await sock.connect(host);
    } catch (err) {
      if (this.debuglevel > 0) this.printDebug("connect fail:", host);
      sock.close();
      throw err;
    }
    this.sock = sock;
    return this.readGreeting();
  }

  /**
   * Reads one reply per recipient RCPT accepted, the first already read
   * (RFC 2033 section 4.2). Not in Python 3.11 (see the class comment).
   * @param first the reply for `recipients[0]`
   * @param recipients the recipients RCPT accepted, in the order they were sent
   * @param refused gets each recipient whose reply is not 250
   * @throws SMTPRecipientsRefused when no recipient was delivered to (`refused` as its `recipients`)
   * @throws SMTPServerDisconnected when the server closes before every reply came
   */
  protected override async checkDelivery(
    first: SMTPReply,
    recipients: readonly string[],
    refused: RefusedRecipients,
  ): Promise<void> {
    let failed = 0;
    let reply = first;
    for (const [i, rcpt] of recipients.entries()) {
      if (i > 0 && reply[0] !== 421) reply = await this.getreply();
      // 421: the server is closing; the recipients after it get no reply and no delivery.
      if (reply[0] === 250) continue;
      refused.set(rcpt, reply);
      failed++;
    }
    if (reply[0] === 421) this.close();
    if (failed === recipients.length) throw new SMTPRecipientsRefused(refused);
  }
}
