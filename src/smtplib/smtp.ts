/**
 * Python's `smtplib.SMTP`: an SMTP (RFC 5321) and ESMTP client, each command
 * a few lines over `putcmd` / `getreply`, which are built on
 * `netkit/textproto` (replies read by its `Reader`, commands formatted by
 * `formatCommand`, bodies dot-stuffed by `dotStuff`).
 *
 * ```text
 *   connect ─▶ 220 ─▶ ehlo / helo ─┬─▶ starttls ─▶ ehlo (again: features are forgotten)
 *                                  ├─▶ login / auth
 *                                  └─▶ sendmail: MAIL, RCPT..., DATA, body ─▶ ... ─▶ quit
 *   PIPELINING offered: MAIL, RCPT... and DATA leave in one write, the replies are read after.
 * ```
 *
 * Methods for the caller: `connect`, `helo`, `ehlo`, `ehloOrHeloIfNeeded`,
 * `hasExtn`, `starttls`, `login`, `auth`, `sendmail`, `sendMessage`, `mail`,
 * `rcpt`, `data`, `verify`, `expn`, `help`, `rset`, `noop`, `docmd`, `quit`,
 * `close`, `setDebuglevel`. Methods for subclasses: `putcmd`, `send`,
 * `getreply`, `getSocket` (`SMTP_SSL` wraps it in TLS; `LMTP` connects to a
 * UNIX socket path).
 *
 * Where netkit differs from Python 3.11, on purpose:
 * - A command argument holding CR, LF or NUL raises `CommandError` (a
 *   `ValueError`, as Python's CR/LF check raises) before anything is sent.
 * - Every bare CR and bare LF in a message is made CRLF before dot-stuffing,
 *   for bytes as for text (Python sends bytes as they are), so no message
 *   can hold `\r.\r\n`-like sequences that end DATA early at a lenient
 *   server (SMTP smuggling).
 * - `starttls()` and `SMTP_SSL` verify the server's certificate and host
 *   name by default (Python's default context verifies nothing); bytes the
 *   server sent after its 220 to STARTTLS are dropped, never read as if they
 *   came over TLS.
 * - With PIPELINING offered (RFC 2920), `sendmail` sends MAIL, the RCPTs and
 *   DATA in one write; the results and errors are those of Python's
 *   one-at-a-time `sendmail`.
 * - A reply that does not stop (more than 1000 lines) raises
 *   `SMTPResponseException(500, "Too many reply lines.")`; a timeout raises
 *   `SMTPTimeoutError`, a `SMTPServerDisconnected`.
 * - `connect(host)` also sets the host name `starttls()` checks (Python
 *   keeps the one given to the constructor).
 * - The constructor never connects: `await SMTP.open(host)` is Python's
 *   `SMTP(host)`.
 *
 * @module
 */

import { asBuffer } from "../_buffer.js";
import { ASCII_CODEC } from "../_codecs.js";
import { reprBytes, reprStr } from "../_pyrepr.js";
import { BytesGenerator } from "../email/generator.js";
import { Message } from "../email/message.js";
import { getaddresses } from "../email/utils.js";
import { OSError, TimeoutError, ValueError } from "../errors/index.js";
import type { INET6Address, INETAddress } from "../socket/address.js";
import { createConnection } from "../socket/create.js";
import { getfqdn, gethostbyname, gethostname } from "../socket/names.js";
import type { Socket } from "../socket/socket.js";
import { createDefaultContext, type SSLContext } from "../socket/tls.js";
import {
  checkArgument,
  dotStuff,
  formatCommand,
  LINE_LIMITS,
  ProtocolError,
  Reader,
} from "../textproto/index.js";
import {
  cramMd5Response,
  decodeChallenge,
  encodeResponse,
  MAX_CHALLENGE,
  PREFERRED_AUTHS,
  plainResponse,
} from "./auth.js";
import {
  SMTPAuthenticationError,
  SMTPConnectError,
  SMTPDataError,
  SMTPException,
  SMTPHeloError,
  SMTPNotSupportedError,
  SMTPRecipientsRefused,
  type SMTPReply,
  SMTPResponseException,
  SMTPSenderRefused,
  SMTPServerDisconnected,
  SMTPTimeoutError,
} from "./errors.js";
import { addrOnly, parseEhloFeatures, quoteaddr } from "./parse.js";

/** Python's `smtplib.SMTP_PORT`. */
export const SMTP_PORT = 25;
/** Python's `smtplib.SMTP_SSL_PORT`. */
export const SMTP_SSL_PORT = 465;
/** Python's `smtplib.LMTP_PORT`. */
export const LMTP_PORT = 2003;
/** Python's `smtplib.CRLF`. */
export const CRLF = "\r\n";

/** Options for `SMTP`, Python's keyword arguments. */
export interface SMTPOptions {
  /**
   * The name sent with HELO/EHLO (Python's `local_hostname`).
   * @default the host's fully qualified name, else `[its IPv4 address]`, as Python finds it
   */
  localHostname?: string;
  /**
   * Seconds for connecting and for every read and write after (`null`: no limit).
   * @default getdefaulttimeout() (Python's global default)
   */
  timeout?: number | null;
  /** Local `[host, port]` to connect from (Python's `source_address`). @default none */
  sourceAddress?: INETAddress | INET6Address;
}

/** Options for `auth()` and `login()`. */
export interface AuthOptions {
  /**
   * Send the RFC 4954 initial response with the AUTH command when the
   * mechanism has one (Python's `initial_response_ok`).
   * @default true
   */
  initialResponseOk?: boolean;
}

/**
 * What `auth()` calls for each response (Python's `authobject`): first with
 * `null` (the initial response; return `null` when the mechanism has none),
 * then with each decoded 334 challenge. The returned text is sent in base64.
 */
export type AuthObject = (challenge: Buffer | null) => string | null | Promise<string | null>;

/** Options for `sendmail()` (Python's `mail_options`, `rcpt_options`). */
export interface SendmailOptions {
  /** ESMTP options for MAIL FROM (`"SMTPUTF8"`, `"BODY=8BITMIME"`, ...). @default [] */
  mailOptions?: readonly string[];
  /** ESMTP options for every RCPT TO (DSN's `NOTIFY=...`, ...). @default [] */
  rcptOptions?: readonly string[];
}

/** Options for `sendMessage()`: the envelope, read from the message's headers when not given. */
export interface SendMessageOptions extends SendmailOptions {
  /** The envelope sender. @default the address in (Resent-)Sender, else (Resent-)From */
  fromAddr?: string;
  /** The envelope recipients. @default the addresses in (Resent-)To, Bcc and Cc */
  toAddrs?: string | readonly string[];
}

/**
 * The envelope of `send_message`: sender and recipients from the headers
 * (the `Resent-` block when there is one `Resent-Date`), and a copy of the
 * message without `Bcc` and `Resent-Bcc`.
 * @throws ValueError for more than one `Resent-Date`
 */
function envelopeOf(
  msg: Message,
  fromAddr: string | undefined,
  toAddrs: string | readonly string[] | undefined,
): { from: string; to: string[]; copy: Message } {
  const resent = msg.getAll("Resent-Date");
  if (resent !== undefined && resent.length > 1)
    throw new ValueError("message has more than one 'Resent-' header block");
  const prefix = resent === undefined ? "" : "Resent-";
  // RFC 5322 §3.6.2: Sender, when there is one, is who sent it.
  const from =
    fromAddr ?? getaddresses([msg.get(`${prefix}Sender`) ?? msg.get(`${prefix}From`) ?? "None"])[0]![1];
  let to: string[];
  if (toAddrs === undefined) {
    const fields = [msg.get(`${prefix}To`), msg.get(`${prefix}Bcc`), msg.get(`${prefix}Cc`)].filter(
      (f) => f !== undefined,
    );
    to = getaddresses(fields).map(([, addr]) => addr);
  } else to = typeof toAddrs === "string" ? [toAddrs] : [...toAddrs];
  // Python's copy.copy: the parts are shared, the header list is not.
  const copy = Object.assign(Object.create(Object.getPrototypeOf(msg)) as Message, msg);
  copy._headers = msg._headers.filter(([k]) => {
    const l = k.toLowerCase();
    return l !== "bcc" && l !== "resent-bcc";
  });
  return { from, to, copy };
}

/** Whether the text is ASCII (Python's `.encode('ascii')` succeeds). */
function isAscii(text: string): boolean {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the whole ASCII range
  return /^[\x00-\x7f]*$/.test(text);
}

/** The message `sendmail` and `data` take: text (ASCII, as Python) or bytes. */
export type MessageData = string | Uint8Array;

/** Recipients a server refused, as `sendmail` returns them: address → `[code, text]`. */
export type RefusedRecipients = Map<string, SMTPReply>;

const TOO_LONG = "Line too long.";

/**
 * Python's `smtplib.SMTP`: a connection to an SMTP server.
 *
 * The module documentation (`netkit/smtplib`) shows a whole session.
 */
export class SMTP {
  /** The port `connect()` uses when none is given. @default 25 */
  static defaultPort = SMTP_PORT;
  /** The greeting command: `"ehlo"`, or `"lhlo"` for LMTP (Python's `ehlo_msg`). */
  ehloMsg = "ehlo";
  /** Debug output to stderr: 0 none, 1 commands and replies, 2 with timestamps. */
  debuglevel = 0;
  /** The connection, or `null` when closed. */
  sock: Socket | null = null;
  /** The last HELO reply's text (Python's `helo_resp`). */
  heloResp: Buffer | null = null;
  /** The last EHLO reply's text (Python's `ehlo_resp`). */
  ehloResp: Buffer | null = null;
  /** Whether the server answered EHLO (Python's `does_esmtp`). */
  doesEsmtp = false;
  /** The service extensions from EHLO: lower-case keyword → parameters (Python's `esmtp_features`). */
  esmtpFeatures = new Map<string, string>();
  /** How commands are encoded: `"ascii"`, or `"utf-8"` after MAIL with SMTPUTF8 (Python's `command_encoding`). */
  commandEncoding: "ascii" | "utf-8" = "ascii";
  /** The name sent with HELO/EHLO; found on first use when not given (Python's `local_hostname`). */
  localHostname: string | null;
  /** Seconds for every network call (`null`: none). */
  timeout: number | null | undefined;
  /** Local address to connect from. */
  sourceAddress: INETAddress | INET6Address | undefined;
  /** The user name `login()` authenticates as (Python's `user`). */
  user = "";
  /** The password `login()` uses (Python's `password`). */
  password = "";
  /** The host name `starttls()` checks the certificate against (Python's `_host`). */
  protected host: string;
  #port: number;
  #reader: Reader | null = null;
  #challenges = 0;

  /**
   * Python's `SMTP(host, port, local_hostname, timeout, source_address)`,
   * without connecting: `connect()` or `SMTP.open()` does.
   * @param host the server `connect()` uses by default
   * @param port its port (0: `defaultPort`, or a `:port` suffix of `host`)
   */
  constructor(host = "", port = 0, options: SMTPOptions = {}) {
    this.host = host;
    this.#port = port;
    this.localHostname = options.localHostname ?? null;
    this.timeout = options.timeout;
    this.sourceAddress = options.sourceAddress;
  }

  /**
   * Python's `SMTP(host, port, ...)` with a host: makes the client (of the
   * class it is called on: `SMTP_SSL.open`, `LMTP.open`), connects, and
   * checks the greeting.
   * @param host the server, a `host:port` string, or for LMTP a UNIX socket path
   * @param port its port (0: the class's `defaultPort`)
   * @param options the constructor's options
   * @throws SMTPConnectError when the greeting is not 220 (the connection is closed);
   *   what `connect()` throws
   */
  static async open<T extends SMTP, O extends SMTPOptions>(
    this: new (
      host: string,
      port: number,
      options: O,
    ) => T,
    host: string,
    port = 0,
    options: O = {} as O,
  ): Promise<T> {
    const smtp = new this(host, port, options);
    const [code, msg] = await smtp.connect(host, port);
    if (code !== 220) {
      smtp.close();
      throw new SMTPConnectError(code, msg);
    }
    return smtp;
  }

  /** Python's `set_debuglevel(level)`: 1 prints commands and replies to stderr, 2 adds timestamps. */
  setDebuglevel(debuglevel: number): void {
    this.debuglevel = debuglevel;
  }

  /** Python's `_print_debug`: to stderr, with the time at level 2. */
  protected printDebug(...args: unknown[]): void {
    const text = args.map((a) => (a instanceof Uint8Array ? reprBytes(a) : String(a))).join(" ");
    const time = this.debuglevel > 1 ? `${new Date().toISOString().slice(11, 23)} ` : "";
    process.stderr.write(`${time}${text}\n`);
  }

  /**
   * Python's `_get_socket`: opens the connection (`SMTP_SSL` adds TLS).
   * @throws ValueError for `timeout: 0`; OSError when the connection fails
   */
  protected async getSocket(host: string, port: number, timeout: number | null | undefined): Promise<Socket> {
    if (timeout === 0) throw new ValueError("Non-blocking socket (timeout=0) is not supported");
    if (this.debuglevel > 0)
      this.printDebug("connect: to", `('${host}', ${port})`, this.sourceAddress ?? "None");
    return createConnection([host, port], {
      ...(timeout !== undefined ? { timeout } : {}),
      ...(this.sourceAddress ? { sourceAddress: this.sourceAddress } : {}),
    });
  }

  /**
   * Python's `connect(host, port, source_address)`: connects and reads the
   * greeting. `"host:port"` is split when no port is given.
   * @returns the greeting's `[code, text]`
   * @throws OSError ("nonnumeric port", ConnectionRefusedError, TimeoutError, gaierror), SMTPServerDisconnected
   */
  async connect(
    host: string = this.host || "localhost",
    port = this.#port,
    sourceAddress?: INETAddress | INET6Address,
  ): Promise<SMTPReply> {
    if (sourceAddress) this.sourceAddress = sourceAddress;
    if (!port && host.indexOf(":") === host.lastIndexOf(":")) {
      const i = host.lastIndexOf(":");
      if (i >= 0) {
        const text = host.slice(i + 1);
        host = host.slice(0, i);
        if (!/^\s*[+-]?\d+\s*$/.test(text)) throw new OSError(undefined, "nonnumeric port");
        port = Number.parseInt(text, 10);
      }
    }
    if (!port) port = (this.constructor as typeof SMTP).defaultPort;
    this.host = host;
    this.close();
    this.sock = await this.getSocket(host, port, this.timeout);
    return this.readGreeting();
  }

  /** Reads the greeting after the socket is set (shared by `connect` and `LMTP`'s UNIX socket). */
  protected async readGreeting(): Promise<SMTPReply> {
    const reply = await this.getreply();
    if (this.debuglevel > 0) this.printDebug("connect:", reply[1]);
    return reply;
  }

  /**
   * Python's `send(s)`: sends a command line or data as they are (text in
   * `commandEncoding`).
   * @throws SMTPServerDisconnected when not connected or the write fails (the connection is closed)
   */
  async send(s: string | Uint8Array): Promise<void> {
    if (this.debuglevel > 0) this.printDebug("send:", typeof s === "string" ? reprStr(s) : s);
    const sock = this.sock;
    if (!sock) throw new SMTPServerDisconnected("please run connect() first");
    const bytes = typeof s === "string" ? this.#encode(s) : s;
    try {
      await sock.sendall(bytes);
    } catch (err) {
      if (!(err instanceof OSError)) throw err;
      this.close();
      if (err instanceof TimeoutError)
        throw new SMTPTimeoutError("Server not connected: timed out", { cause: err });
      throw new SMTPServerDisconnected("Server not connected", { cause: err });
    }
  }

  /** Encodes command text as `commandEncoding` does, failing as Python's `str.encode('ascii')` fails. */
  #encode(text: string): Buffer {
    return this.commandEncoding === "ascii" ? ASCII_CODEC.encode(text, "strict") : Buffer.from(text, "utf8");
  }

  /** The command line for `cmd` and `args` (Python's `putcmd` text), checked for CR, LF and NUL. */
  #commandLine(cmd: string, args = ""): Buffer {
    checkArgument(cmd, "command");
    if (args === "") return formatCommand(this.#encode(cmd));
    checkArgument(args, "command argument");
    return formatCommand(this.#encode(cmd), this.#encode(args));
  }

  /**
   * Python's `putcmd(cmd, args)`: sends `cmd args` and CRLF.
   * @throws CommandError (a ValueError) when either holds CR, LF or NUL, before sending;
   *   UnicodeEncodeError for non-ASCII text outside SMTPUTF8; SMTPServerDisconnected
   */
  async putcmd(cmd: string, args = ""): Promise<void> {
    const line = this.#commandLine(cmd, args);
    // Sent as text, as Python's putcmd does (its debug output shows a str).
    await this.send(line.toString(this.commandEncoding === "ascii" ? "latin1" : "utf8"));
  }

  /**
   * Python's `getreply()`: reads one reply (all its lines).
   * @returns `[code, text]`, the lines' texts joined by `\n`; code `-1` for a line with no code (as Python)
   * @throws SMTPServerDisconnected when the server closed or the socket failed, SMTPTimeoutError after
   *   `timeout` seconds of silence, SMTPResponseException(500, "Line too long.") for a line past 8192
   *   bytes; each closes the connection first
   */
  async getreply(): Promise<SMTPReply> {
    const sock = this.sock;
    if (!sock) throw new SMTPServerDisconnected("please run connect() first");
    this.#reader ??= new Reader(sock.makefile("rb"), { maxLine: LINE_LIMITS.smtplib });
    let code: number;
    let lines: Buffer[];
    try {
      const reply = await this.#reader.readResponse();
      code = reply.code;
      lines = reply.lines;
    } catch (err) {
      const reply = this.#replyFailure(err);
      if (reply) return reply;
      throw err;
    }
    const text = Buffer.from(lines.map((l) => stripReplyText(l)).join("\n"), "latin1");
    if (this.debuglevel > 0) {
      for (const [i, l] of lines.entries()) {
        const head = Buffer.from(`${code}${i < lines.length - 1 ? "-" : " "}`);
        this.printDebug("reply:", Buffer.concat([head, l, Buffer.from(CRLF)]));
      }
      this.printDebug(`reply: retcode (${code}); Msg: ${reprBytes(text)}`);
    }
    return [code, text];
  }

  /**
   * What a failed reply read becomes: a `[-1, text]` reply for a line with
   * no code (Python's answer), otherwise the connection is closed and the
   * Python exception thrown.
   */
  #replyFailure(err: unknown): SMTPReply | undefined {
    if (err instanceof ProtocolError && err.code === "ERR_TEXTPROTO_BAD_REPLY") {
      // Python: int(line[:3]) fails → errcode -1 and the line's text from its 5th byte.
      const line = err.line ?? Buffer.alloc(0);
      return [-1, Buffer.from(stripReplyText(line.subarray(4)), "latin1")];
    }
    this.close();
    if (err instanceof ProtocolError) {
      if (err.code === "ERR_TEXTPROTO_LINE_TOO_LONG") throw new SMTPResponseException(500, TOO_LONG);
      if (err.code === "ERR_TEXTPROTO_TOO_MANY_LINES")
        throw new SMTPResponseException(500, "Too many reply lines.");
      throw new SMTPServerDisconnected("Connection unexpectedly closed", { cause: err });
    }
    if (err instanceof TimeoutError)
      throw new SMTPTimeoutError("Connection unexpectedly closed: timed out", { cause: err });
    if (err instanceof OSError)
      throw new SMTPServerDisconnected(`Connection unexpectedly closed: ${err.message}`, { cause: err });
    return undefined;
  }

  /**
   * Python's `docmd(cmd, args)`: `putcmd` then `getreply`.
   * @returns the reply's `[code, text]`
   * @throws what `putcmd` and `getreply` throw
   */
  async docmd(cmd: string, args = ""): Promise<SMTPReply> {
    await this.putcmd(cmd, args);
    return this.getreply();
  }

  /** The name for HELO/EHLO: `localHostname`, found as Python finds it the first time. */
  async #localName(): Promise<string> {
    if (this.localHostname !== null) return this.localHostname;
    const fqdn = await getfqdn();
    if (fqdn.includes(".")) this.localHostname = fqdn;
    else {
      let addr = "127.0.0.1";
      try {
        addr = await gethostbyname(gethostname());
      } catch {
        // Python falls back to 127.0.0.1 when the host's own name does not resolve.
      }
      this.localHostname = `[${addr}]`;
    }
    return this.localHostname;
  }

  /**
   * Python's `helo(name)`: HELO with `name` (default `localHostname`); sets `heloResp`.
   * @returns the reply
   */
  async helo(name = ""): Promise<SMTPReply> {
    await this.putcmd("helo", name || (await this.#localName()));
    const reply = await this.getreply();
    this.heloResp = reply[1];
    return reply;
  }

  /**
   * Python's `ehlo(name)`: EHLO (LHLO for LMTP); on 250 sets `doesEsmtp` and
   * `esmtpFeatures` from the reply.
   * @returns the reply (a refusal is returned, not thrown)
   * @throws SMTPServerDisconnected when the reply is empty with no code
   */
  async ehlo(name = ""): Promise<SMTPReply> {
    this.esmtpFeatures = new Map();
    await this.putcmd(this.ehloMsg, name || (await this.#localName()));
    const [code, msg] = await this.getreply();
    if (code === -1 && msg.length === 0) {
      this.close();
      throw new SMTPServerDisconnected("Server not connected");
    }
    this.ehloResp = msg;
    if (code !== 250) return [code, msg];
    this.doesEsmtp = true;
    this.esmtpFeatures = parseEhloFeatures(msg);
    return [code, msg];
  }

  /** Python's `has_extn(opt)`: whether EHLO listed the extension (any case). */
  hasExtn(opt: string): boolean {
    return this.esmtpFeatures.has(opt.toLowerCase());
  }

  /**
   * Python's `ehlo_or_helo_if_needed()`: EHLO, then HELO if EHLO was refused,
   * unless either was already done.
   * @throws SMTPHeloError when HELO is refused too
   */
  async ehloOrHeloIfNeeded(): Promise<void> {
    if (this.heloResp !== null || this.ehloResp !== null) return;
    const [ehloCode] = await this.ehlo();
    if (ehloCode >= 200 && ehloCode <= 299) return;
    const [code, resp] = await this.helo();
    if (!(code >= 200 && code <= 299)) throw new SMTPHeloError(code, resp);
  }

  /** Python's `help(args)`: HELP; @returns the reply's text */
  async help(args = ""): Promise<Buffer> {
    await this.putcmd("help", args);
    return (await this.getreply())[1];
  }

  /** Python's `rset()`: RSET (and back to ASCII commands). @returns the reply */
  async rset(): Promise<SMTPReply> {
    this.commandEncoding = "ascii";
    return this.docmd("rset");
  }

  /** Python's `_rset`: RSET after a refusal, where a dropped connection shows at the next command instead. */
  protected async rsetQuietly(): Promise<void> {
    try {
      await this.rset();
    } catch (err) {
      if (!(err instanceof SMTPServerDisconnected)) throw err;
    }
  }

  /** Python's `noop()`: NOOP. @returns the reply */
  noop(): Promise<SMTPReply> {
    return this.docmd("noop");
  }

  /** The MAIL FROM argument for `sender` and `options`, switching to UTF-8 for SMTPUTF8 (Python's `mail()` checks). */
  #mailArgs(sender: string, options: readonly string[]): string {
    checkAddress(sender, "sender address", options);
    let optionlist = "";
    if (options.length > 0 && this.doesEsmtp) {
      if (options.some((x) => x.toLowerCase() === "smtputf8")) {
        if (!this.hasExtn("smtputf8")) throw new SMTPNotSupportedError("SMTPUTF8 not supported by server");
        this.commandEncoding = "utf-8";
      }
      optionlist = ` ${options.join(" ")}`;
    }
    return `FROM:${quoteaddr(sender)}${optionlist}`;
  }

  /** The RCPT TO argument for `recip` and `options` (options only after EHLO, as Python). */
  #rcptArgs(recip: string, options: readonly string[]): string {
    checkAddress(recip, "recipient address", options);
    const optionlist = options.length > 0 && this.doesEsmtp ? ` ${options.join(" ")}` : "";
    return `TO:${quoteaddr(recip)}${optionlist}`;
  }

  /**
   * Python's `mail(sender, options)`: MAIL FROM:<sender> (options sent only after EHLO).
   * @returns the reply
   * @throws SMTPNotSupportedError for SMTPUTF8 the server does not offer
   */
  async mail(sender: string, options: readonly string[] = []): Promise<SMTPReply> {
    return this.docmd("mail", this.#mailArgs(sender, options));
  }

  /** Python's `rcpt(recip, options)`: RCPT TO:<recip>. @returns the reply */
  async rcpt(recip: string, options: readonly string[] = []): Promise<SMTPReply> {
    return this.docmd("rcpt", this.#rcptArgs(recip, options));
  }

  /**
   * Python's `data(msg)`: DATA, then the message dot-stuffed and ended with
   * `.` (every line end made CRLF first, for bytes too).
   * @returns the reply to the message
   * @throws SMTPDataError when DATA is not answered 354; UnicodeEncodeError for non-ASCII text (pass bytes)
   */
  async data(msg: MessageData): Promise<SMTPReply> {
    const body = messageBytes(msg);
    await this.putcmd("data");
    const [code, repl] = await this.getreply();
    if (this.debuglevel > 0) this.printDebug("data:", `(${code}, ${reprBytes(repl)})`);
    if (code !== 354) throw new SMTPDataError(code, repl);
    return this.#sendBody(body);
  }

  /** Sends the message after a 354 and reads the reply to it. */
  async #sendBody(body: Buffer): Promise<SMTPReply> {
    await this.send(dotStuff(body));
    const reply = await this.getreply();
    if (this.debuglevel > 0) this.printDebug("data:", `(${reply[0]}, ${reprBytes(reply[1])})`);
    return reply;
  }

  /** Python's `verify(address)` (`vrfy`): VRFY with the bare address. @returns the reply */
  async verify(address: string): Promise<SMTPReply> {
    checkArgument(address, "address");
    return this.docmd("vrfy", addrOnly(address));
  }

  /** Python's `vrfy`, the same as `verify`. @returns the reply */
  vrfy(address: string): Promise<SMTPReply> {
    return this.verify(address);
  }

  /** Python's `expn(address)`: EXPN with the bare address. @returns the reply */
  async expn(address: string): Promise<SMTPReply> {
    checkArgument(address, "address");
    return this.docmd("expn", addrOnly(address));
  }

  /**
   * Python's `auth(mechanism, authobject, initial_response_ok)`: AUTH with
   * the mechanism, answering each 334 challenge with `authobject`.
   * @returns the final reply (235, or 503 "already authenticated")
   * @throws SMTPAuthenticationError for any other final reply; SMTPException after more than 5 challenges
   */
  async auth(mechanism: string, authobject: AuthObject, options: AuthOptions = {}): Promise<SMTPReply> {
    const mech = mechanism.toUpperCase();
    const initial = (options.initialResponseOk ?? true) ? await authobject(null) : null;
    let code: number;
    let resp: Buffer;
    if (initial !== null) {
      [code, resp] = await this.docmd("AUTH", `${mech} ${encodeResponse(initial)}`);
      this.#challenges = 1;
    } else {
      [code, resp] = await this.docmd("AUTH", mech);
      this.#challenges = 0;
    }
    while (code === 334) {
      this.#challenges++;
      const answer = (await authobject(decodeChallenge(resp))) ?? "";
      [code, resp] = await this.docmd(encodeResponse(answer));
      if (this.#challenges > MAX_CHALLENGE)
        throw new SMTPException(
          `Server AUTH mechanism infinite loop. Last response: (${code}, ${reprBytes(resp)})`,
        );
    }
    if (code === 235 || code === 503) return [code, resp];
    throw new SMTPAuthenticationError(code, resp);
  }

  /** Python's `auth_cram_md5`: the CRAM-MD5 authobject (no initial response), for `user` and `password`. */
  authCramMd5 = (challenge: Buffer | null = null): string | null =>
    challenge === null ? null : cramMd5Response(this.user, this.password, challenge);

  /** Python's `auth_plain`: the PLAIN authobject, for `user` and `password`. */
  authPlain = (_challenge: Buffer | null = null): string => plainResponse(this.user, this.password);

  /** Python's `auth_login`: the LOGIN authobject: the user name first, then the password. */
  authLogin = (challenge: Buffer | null = null): string =>
    challenge === null || this.#challenges < 2 ? this.user : this.password;

  /**
   * Python's `login(user, password)`: EHLO if needed, then AUTH with the
   * mechanisms the server offers, in the order CRAM-MD5, PLAIN, LOGIN, until
   * one succeeds.
   * @returns the successful reply
   * @throws SMTPNotSupportedError without AUTH; SMTPException when no mechanism fits;
   *   SMTPAuthenticationError (the last) when every mechanism was refused; SMTPHeloError
   */
  async login(user: string, password: string, options: AuthOptions = {}): Promise<SMTPReply> {
    await this.ehloOrHeloIfNeeded();
    if (!this.hasExtn("auth"))
      throw new SMTPNotSupportedError("SMTP AUTH extension not supported by server.");
    const advertised = (this.esmtpFeatures.get("auth") ?? "").split(/\s+/);
    const authlist = PREFERRED_AUTHS.filter((a) => advertised.includes(a));
    if (authlist.length === 0) throw new SMTPException("No suitable authentication method found.");
    this.user = user;
    this.password = password;
    const objects = { "CRAM-MD5": this.authCramMd5, PLAIN: this.authPlain, LOGIN: this.authLogin };
    let last: SMTPAuthenticationError | undefined;
    for (const method of authlist) {
      try {
        const [code, resp] = await this.auth(method, objects[method], options);
        if (code === 235 || code === 503) return [code, resp];
      } catch (err) {
        if (!(err instanceof SMTPAuthenticationError)) throw err;
        last = err;
      }
    }
    throw last!;
  }

  /**
   * Python's `starttls(context)`: STARTTLS, then the TLS handshake on the
   * same connection. Features are forgotten: call `ehlo()` again (sendmail
   * and login do it for you). Anything the server sent after its 220 before
   * the handshake is dropped.
   * @param options.context the TLS settings @default createDefaultContext() (verifies the certificate and host name)
   * @returns the reply to STARTTLS
   * @throws SMTPNotSupportedError when the server does not offer STARTTLS; SMTPResponseException when it
   *   refuses it; SSLCertVerificationError and the other SSLErrors from the handshake (the connection is closed)
   */
  async starttls(options: { context?: SSLContext } = {}): Promise<SMTPReply> {
    await this.ehloOrHeloIfNeeded();
    if (!this.hasExtn("starttls"))
      throw new SMTPNotSupportedError("STARTTLS extension not supported by server.");
    const [resp, reply] = await this.docmd("STARTTLS");
    if (resp !== 220) throw new SMTPResponseException(resp, reply);
    const context = options.context ?? createDefaultContext();
    const raw = this.sock!;
    // The reader holds whatever came after the 220; dropping it discards
    // those bytes (a man in the middle's plaintext "replies", CVE-2011-1575's class).
    this.#reader = null;
    try {
      this.sock = await context.wrapSocket(raw, { serverHostname: this.host });
    } catch (err) {
      this.sock = raw;
      this.close();
      throw err;
    }
    this.heloResp = null;
    this.ehloResp = null;
    this.esmtpFeatures = new Map();
    this.doesEsmtp = false;
    return [resp, reply];
  }

  /**
   * Python's `sendmail(from_addr, to_addrs, msg, mail_options, rcpt_options)`:
   * one whole mail transaction. With PIPELINING offered, MAIL, RCPT... and
   * DATA go in one write (RFC 2920) and the replies are read after; the
   * outcome is the same as one command at a time.
   * @param toAddrs the recipients (a string is one recipient)
   * @param msg the message: text (ASCII; line ends made CRLF) or bytes
   * @returns the refused recipients (empty when all were accepted)
   * @throws SMTPHeloError, SMTPSenderRefused, SMTPRecipientsRefused (every recipient refused, or 421),
   *   SMTPDataError, SMTPNotSupportedError (SMTPUTF8), SMTPServerDisconnected, CommandError
   */
  async sendmail(
    fromAddr: string,
    toAddrs: string | readonly string[],
    msg: MessageData,
    options: SendmailOptions = {},
  ): Promise<RefusedRecipients> {
    await this.ehloOrHeloIfNeeded();
    const body = messageBytes(msg);
    const esmtpOpts: string[] = [];
    if (this.doesEsmtp) {
      if (this.hasExtn("size")) esmtpOpts.push(`size=${body.length}`);
      esmtpOpts.push(...(options.mailOptions ?? []));
    }
    const recipients = typeof toAddrs === "string" ? [toAddrs] : [...toAddrs];
    const rcptOptions = options.rcptOptions ?? [];
    if (this.doesEsmtp && this.hasExtn("pipelining")) {
      return this.#sendmailPipelined(fromAddr, recipients, body, esmtpOpts, rcptOptions);
    }
    await this.#checkSender(fromAddr, await this.mail(fromAddr, esmtpOpts));
    const senderrs: RefusedRecipients = new Map();
    for (const each of recipients)
      await this.#checkRecipient(senderrs, each, await this.rcpt(each, rcptOptions));
    if (senderrs.size === recipients.length) {
      await this.rsetQuietly();
      throw new SMTPRecipientsRefused(senderrs);
    }
    await this.checkDelivery(await this.data(body), accepted(recipients, senderrs), senderrs);
    return senderrs;
  }

  /**
   * What the server said after the message: SMTP's one reply for the whole
   * transaction, checked as Python does (250, else SMTPDataError). `LMTP`
   * overrides it to read one reply per accepted recipient (RFC 2033).
   * @param first the first reply after the message
   * @param _recipients the recipients RCPT accepted, in the order they were sent
   * @param _refused where recipients that were not delivered to go
   * @throws SMTPDataError when the message was not taken
   */
  protected async checkDelivery(
    first: SMTPReply,
    _recipients: readonly string[],
    _refused: RefusedRecipients,
  ): Promise<void> {
    await this.#checkData(first);
  }

  /** Python's reaction to a MAIL reply that is not 250: close on 421, else RSET; SMTPSenderRefused. */
  async #checkSender(fromAddr: string, [code, resp]: SMTPReply): Promise<void> {
    if (code === 250) return;
    if (code === 421) this.close();
    else await this.rsetQuietly();
    throw new SMTPSenderRefused(code, resp, fromAddr);
  }

  /** Records a refused recipient; on 421 closes and throws SMTPRecipientsRefused, as Python. */
  async #checkRecipient(senderrs: RefusedRecipients, each: string, [code, resp]: SMTPReply): Promise<void> {
    if (code !== 250 && code !== 251) senderrs.set(each, [code, resp]);
    if (code === 421) {
      this.close();
      throw new SMTPRecipientsRefused(senderrs);
    }
  }

  /** Python's reaction to the reply after the message: close on 421, else RSET; SMTPDataError. */
  async #checkData([code, resp]: SMTPReply): Promise<void> {
    if (code === 250) return;
    if (code === 421) this.close();
    else await this.rsetQuietly();
    throw new SMTPDataError(code, resp);
  }

  /**
   * `sendmail` with PIPELINING: one write for the envelope and DATA, then the
   * replies in order. When MAIL or every RCPT failed, a server that still
   * answers DATA with 354 gets an empty message ended at once (RFC 2920
   * section 3.1), then RSET.
   */
  async #sendmailPipelined(
    fromAddr: string,
    recipients: string[],
    body: Buffer,
    mailOptions: string[],
    rcptOptions: readonly string[],
  ): Promise<RefusedRecipients> {
    const lines = [
      this.#commandLine("mail", this.#mailArgs(fromAddr, mailOptions)),
      ...recipients.map((r) => this.#commandLine("rcpt", this.#rcptArgs(r, rcptOptions))),
      this.#commandLine("data"),
    ];
    await this.send(Buffer.concat(lines));
    const mailReply = await this.getreply();
    if (mailReply[0] !== 250) {
      if (mailReply[0] !== 421) await this.#drainRefused(recipients.length);
      await this.#checkSender(fromAddr, mailReply);
    }
    const senderrs: RefusedRecipients = new Map();
    for (const each of recipients) await this.#checkRecipient(senderrs, each, await this.getreply());
    const [code, repl] = await this.getreply();
    if (this.debuglevel > 0) this.printDebug("data:", `(${code}, ${reprBytes(repl)})`);
    if (senderrs.size === recipients.length) {
      if (code === 354) await this.#sendBody(Buffer.alloc(0));
      await this.rsetQuietly();
      throw new SMTPRecipientsRefused(senderrs);
    }
    if (code !== 354) throw new SMTPDataError(code, repl);
    await this.checkDelivery(await this.#sendBody(body), accepted(recipients, senderrs), senderrs);
    return senderrs;
  }

  /**
   * After a refused MAIL, reads the replies to the RCPTs and DATA already
   * sent, ending an accepted DATA at once, so the connection stays in step.
   * A connection lost meanwhile shows at the next command.
   */
  async #drainRefused(rcpts: number): Promise<void> {
    try {
      for (let i = 0; i < rcpts; i++) await this.getreply();
      if ((await this.getreply())[0] === 354) await this.#sendBody(Buffer.alloc(0));
    } catch (err) {
      if (!(err instanceof SMTPServerDisconnected)) throw err;
    }
  }

  /**
   * Python's `send_message(msg, from_addr, to_addrs, mail_options,
   * rcpt_options)`: sends a netkit/email `Message` with `sendmail`.
   *
   * The envelope comes from the headers unless given: with one `Resent-Date`
   * header the `Resent-` block is read, else the plain one; the sender is
   * `Sender`, else `From`; the recipients are `To`, `Bcc` and `Cc`. The
   * message is written by a `BytesGenerator` with CRLF line ends and
   * without `Bcc` and `Resent-Bcc` (the message given keeps them). When an
   * address is not ASCII the server must offer SMTPUTF8: the message is
   * then written with the policy's `utf8` set, and MAIL carries `SMTPUTF8`
   * and `BODY=8BITMIME`.
   *
   * netkit also takes a message already serialised (text or bytes), which
   * Python's does not: it is sent as it is, so `fromAddr` and `toAddrs` are
   * required and a `Bcc:` in it is sent (remove it first).
   * @returns the refused recipients, as `sendmail`
   * @throws ValueError for more than one `Resent-` block, or raw data without `fromAddr` and `toAddrs`
   * @throws SMTPNotSupportedError for a non-ASCII address the server cannot take (no SMTPUTF8)
   * @throws what `sendmail` throws
   */
  async sendMessage(
    msg: MessageData | Message,
    options: SendMessageOptions = {},
  ): Promise<RefusedRecipients> {
    const { fromAddr, toAddrs, ...rest } = options;
    if (!(msg instanceof Message)) {
      if (fromAddr === undefined || toAddrs === undefined)
        throw new ValueError(
          "Cannot send a serialised message without fromAddr and toAddrs: pass a netkit/email Message to read them from its headers",
        );
      return this.sendmail(fromAddr, toAddrs, msg, rest);
    }
    await this.ehloOrHeloIfNeeded();
    const { from, to, copy } = envelopeOf(msg, fromAddr, toAddrs);
    let mailOptions = rest.mailOptions ?? [];
    let policy = msg.policy;
    if (!isAscii([from, ...to].join(""))) {
      if (!this.hasExtn("smtputf8"))
        throw new SMTPNotSupportedError(
          "One or more source or delivery addresses require internationalized email support, but the server does not advertise the required SMTPUTF8 capability",
        );
      // As Python: a policy without utf8 (compat32) throws TypeError here.
      policy = policy.clone({ utf8: true });
      mailOptions = [...mailOptions, "SMTPUTF8", "BODY=8BITMIME"];
    }
    const chunks: Buffer[] = [];
    new BytesGenerator({ write: (b: Buffer) => chunks.push(b) }, null, null, { policy }).flatten(
      copy,
      false,
      "\r\n",
    );
    return this.sendmail(from, to, Buffer.concat(chunks), { ...rest, mailOptions });
  }

  /** Python's `close()`: closes the connection (no QUIT). */
  close(): void {
    this.#reader = null;
    const sock = this.sock;
    this.sock = null;
    sock?.close();
  }

  /**
   * Python's `quit()`: QUIT, forget the session, close.
   * @returns the reply to QUIT
   */
  async quit(): Promise<SMTPReply> {
    const res = await this.docmd("quit");
    this.ehloResp = null;
    this.heloResp = null;
    this.esmtpFeatures = new Map();
    this.doesEsmtp = false;
    this.close();
    return res;
  }

  /**
   * Python's `__exit__`: QUIT (a server already gone is fine) and close.
   * @throws SMTPResponseException when QUIT is answered with anything but 221
   */
  async [Symbol.asyncDispose](): Promise<void> {
    try {
      const [code, message] = await this.docmd("QUIT");
      if (code !== 221) throw new SMTPResponseException(code, message);
    } catch (err) {
      if (!(err instanceof SMTPServerDisconnected)) throw err;
    } finally {
      this.close();
    }
  }
}

/**
 * Refuses CR, LF and NUL in an address and its options as the caller gave
 * them: the address parser drops line breaks as white space, which would
 * hide an injection attempt instead of refusing it.
 */
function checkAddress(address: string, what: string, options: readonly string[]): void {
  checkArgument(address, what);
  for (const option of options) checkArgument(option, "ESMTP option");
}

/** Python's reply-line strip: `line[4:].strip(b' \t\r\n')`. */
function stripReplyText(text: Uint8Array): string {
  return Buffer.from(text)
    .toString("latin1")
    .replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, "");
}

/** The message as bytes: text must be ASCII (Python's `msg.encode('ascii')`); line ends are fixed by `dotStuff`. */
function messageBytes(msg: MessageData): Buffer {
  if (typeof msg !== "string") return asBuffer(msg);
  return ASCII_CODEC.encode(fixEols(msg), "strict");
}

/** Python's `_fix_eols`, for SIZE: every line end as CRLF (dotStuff does the same to what is sent). */
function fixEols(text: string): string {
  return text.replace(/\r\n|\n|\r(?!\n)/g, CRLF);
}

/** The recipients RCPT accepted, in the order they were sent. */
function accepted(recipients: readonly string[], refused: RefusedRecipients): string[] {
  return recipients.filter((r) => !refused.has(r));
}
