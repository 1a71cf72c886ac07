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
import type { SMTPReply } from "./errors.js";
import { LMTP_PORT, SMTP, type SMTPOptions } from "./smtp.js";

/**
 * Python's `smtplib.LMTP`: LHLO instead of EHLO; a host starting with `/`
 * is a UNIX socket path.
 *
 * Like Python 3.11, `data()` and `sendmail()` read one reply after the
 * message, where RFC 2033 sends one per accepted recipient: send to one
 * recipient per transaction, or read the others with `getreply()`.
 *
 * @example
 * ```ts no-run
 * import { LMTP } from "netkit/smtplib";
 * await using lmtp = await LMTP.open("/run/dovecot/lmtp");
 * await lmtp.sendmail("a@example.org", "user@example.org", "Subject: x\r\n\r\nbody\r\n");
 * ```
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
}
