/**
 * Python's `smtpd.SMTPChannel`: one SMTP session, the RFC 5321 state
 * machine, as a `LineRequestHandler` (Python builds it on `asynchat`).
 *
 * ```text
 *   220 greeting
 *      │
 *   HELO/EHLO ──► (STARTTLS ─► 220, TLS handshake, back to no greeting)
 *      │          (AUTH PLAIN / LOGIN ─► 235)
 *   MAIL FROM ──► RCPT TO (1..maxRecipients) ──► DATA ─► 354 ─► block ─► processMessage ─► 250
 *      ▲                                                                        │
 *      └──────────────── RSET, or the end of a message ◄────────────────────────┘
 *   NOOP, VRFY, HELP, EXPN anywhere; QUIT ─► 221, close
 * ```
 *
 * Every reply Python 3.11 gives is given here with the same text. Where
 * netkit differs on purpose (see the README's "Where netkit differs"):
 * - DATA lines end with CRLF only: a bare CR or bare LF in the block is
 *   answered `550 5.6.11 Error: bare CR or LF in message data` once the block
 *   ends at its real `CRLF.CRLF`, and the message is dropped (SMTP
 *   smuggling). Python takes `\n` as part of a line, and joins lines with it.
 * - After `552 Error: Too much mail data` the session is back in command
 *   mode with the transaction reset (Python stays in DATA mode and swallows
 *   the next commands as data). The block is read and dropped as it
 *   streams in, so memory stays bounded.
 * - A transaction takes at most `maxRecipients` recipients; past it RCPT
 *   gets `452 4.5.3 Error: too many recipients` (RFC 5321 section 4.5.3.1.10).
 * - A line that is not UTF-8, an address Python's parser would throw on, a
 *   `processMessage` that throws: a 5xx or 4xx reply and the session goes
 *   on (Python logs a traceback and drops the connection).
 * - Commands end at LF as well as CRLF (Python waits for CRLF), and a
 *   command line cut by the end of the stream is never run.
 * - STARTTLS (RFC 3207), AUTH PLAIN and LOGIN (RFC 4954), PIPELINING
 *   (RFC 2920) and the idle, command and data timeouts are netkit's.
 *
 * @module
 */
import { pyIsdigit, pyStrip } from "../_pystr.js";
import type { Address } from "../socket/address.js";
import type { SSLSocket } from "../socket/tls.js";
import { type LineCommand, LineRequestHandler } from "../socketserver/line.js";
import { ProtocolError } from "../textproto/index.js";
import { getAddr, getParams, splitOptions, stripCommandKeyword } from "./_syntax.js";
import type { ProcessMessageOptions, ProcessMessageResult, SMTPServer } from "./server.js";

/** Python's `SMTPChannel.COMMAND` state: reading commands. */
export const COMMAND = 0;
/** Python's `SMTPChannel.DATA` state: reading a message. */
export const DATA = 1;

const AUTH_LINE_LIMIT = 12288; // RFC 4954 section 4: an AUTH command line may be this long
const EXTENDED = " [SP <mail-parameters>]";
const HELP_ALL = "Supported commands: EHLO HELO MAIL RCPT DATA RSET NOOP QUIT VRFY";
const HELP: Record<string, string> = {
  EHLO: "250 Syntax: EHLO hostname",
  HELO: "250 Syntax: HELO hostname",
  DATA: "250 Syntax: DATA",
  RSET: "250 Syntax: RSET",
  NOOP: "250 Syntax: NOOP",
  QUIT: "250 Syntax: QUIT",
  VRFY: "250 Syntax: VRFY <address>",
};

/**
 * Python's `smtpd.SMTPChannel`: the per-connection SMTP state machine (see
 * the module doc). The server makes one per connection; subclass it and set
 * the server's `channelClass` to change a command (`smtpVRFY`, Python's
 * `smtp_VRFY`) or add one.
 *
 * Fields as Python names them: `smtpServer`, `conn`, `addr`, `peer`,
 * `fqdn`, `seenGreeting`, `extendedSmtp`, `smtpState`, `mailfrom`,
 * `rcpttos`, `mailOptions`, `rcptOptions`, `requireSMTPUTF8`,
 * `receivedData`, `dataSizeLimit`, `enableSMTPUTF8`. netkit's: `tlsActive`,
 * `authenticated`.
 */
export class SMTPChannel extends LineRequestHandler<SMTPServer> {
  /** Python's `command_size_limit`. @default 512 */
  override commandSizeLimit = 512;
  override commandPrefix = "smtp";
  /** As Python: an over-long line is answered and the session goes on. */
  override closeOnLineTooLong = false;
  override lineTooLongReply = "500 Error: line too long";
  override timeoutReply = "421 Error: timeout exceeded";
  /** Python's `smtp_state`: `COMMAND` or `DATA`. */
  smtpState = COMMAND;
  /** Python's `seen_greeting`: the HELO/EHLO argument, `""` before it. */
  seenGreeting = "";
  /** Python's `extended_smtp`: the client said EHLO. */
  extendedSmtp = false;
  /** Python's `mailfrom`: the reverse-path of the transaction (`"<>"` for the null one). */
  mailfrom: string | null = null;
  /** Python's `rcpttos`. */
  rcpttos: string[] = [];
  /** Python's `mail_options`: MAIL's parameters, upper-cased. */
  mailOptions: string[] = [];
  /** Python's `rcpt_options`: the last RCPT's parameters, upper-cased. */
  rcptOptions: string[] = [];
  /** Python's `require_SMTPUTF8`: MAIL had SMTPUTF8, so replies may be UTF-8. */
  requireSMTPUTF8 = false;
  /** Python's `received_data`: the last message. */
  receivedData: Buffer | string = "";
  /** Python's `fqdn`: the name in the greeting. */
  fqdn = "";
  /** Python's `peer`: the client's address. */
  peer: Address | null = null;
  /** True once STARTTLS succeeded. */
  tlsActive = false;
  /** The user AUTH accepted, or `null`. */
  authenticated: string | null = null;

  /** Python's `smtp_server`. */
  get smtpServer(): SMTPServer {
    return this.server;
  }
  /** Python's `conn`. */
  get conn() {
    return this.connection;
  }
  /** Python's `addr`. */
  get addr(): Address | null {
    return this.clientAddress;
  }
  /** Python's `data_size_limit` (0: none). */
  get dataSizeLimit(): number {
    return this.server.dataSizeLimit;
  }
  /** Python's `enable_SMTPUTF8`. */
  get enableSMTPUTF8(): boolean {
    return this.server.enableSMTPUTF8;
  }

  override async setup(): Promise<void> {
    const server = this.server;
    this.idleTimeout = server.idleTimeout;
    this.commandTimeout = server.commandTimeout;
    this.dataTimeout = server.dataTimeout;
    await super.setup();
  }

  override async greet(): Promise<void> {
    this.fqdn = await this.server.fqdn;
    this.peer = this.clientAddress;
    await this.reply(`220 ${this.fqdn} ${this.server.version}`);
  }

  /** Replies are ASCII unless the transaction asked for SMTPUTF8 (Python's `push`): other characters become `?`. */
  override async reply(text: string): Promise<void> {
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the ASCII range itself
    await super.reply(this.requireSMTPUTF8 ? text : text.replace(/[^\x00-\x7f]/gu, "?"));
  }

  /** Python's split: the argument stripped of what Python's `str.strip()` strips. */
  override parseCommand(text: string): LineCommand {
    const space = text.indexOf(" ");
    if (space < 0) return { verb: text.toUpperCase(), arg: null };
    return { verb: text.slice(0, space).toUpperCase(), arg: pyStrip(text.slice(space + 1)) };
  }

  override commandSizeLimitFor(verb: string): number {
    if (!this.extendedSmtp) return this.commandSizeLimit;
    if (verb === "MAIL") {
      return this.commandSizeLimit + (this.dataSizeLimit ? 26 : 0) + (this.enableSMTPUTF8 ? 10 : 0);
    }
    if (verb === "AUTH" && this.#authOffered()) return AUTH_LINE_LIMIT;
    return this.commandSizeLimit;
  }

  override maxCommandSizeLimit(): number {
    return Math.max(this.commandSizeLimitFor("MAIL"), this.commandSizeLimitFor("AUTH"));
  }

  /** Python's `_set_post_data_state`: back to commands, transaction forgotten. */
  setPostDataState(): void {
    this.smtpState = COMMAND;
    this.mailfrom = null;
    this.rcpttos = [];
    this.requireSMTPUTF8 = false;
  }

  /** Python's `_set_rset_state`: as after a message, and the last message forgotten. */
  setRsetState(): void {
    this.setPostDataState();
    this.receivedData = "";
  }

  // ---- SMTP and ESMTP commands (Python's smtp_* methods) -------------------

  /** HELO hostname. */
  async smtpHELO(arg: string | null): Promise<void> {
    if (!arg) return this.reply("501 Syntax: HELO hostname");
    // See CPython issue #21783 for a discussion of this behaviour.
    if (this.seenGreeting) return this.reply("503 Duplicate HELO/EHLO");
    this.setRsetState();
    this.seenGreeting = arg;
    await this.reply(`250 ${this.fqdn}`);
  }

  /** EHLO hostname: the greeting and the extensions. */
  async smtpEHLO(arg: string | null): Promise<void> {
    if (!arg) return this.reply("501 Syntax: EHLO hostname");
    if (this.seenGreeting) return this.reply("503 Duplicate HELO/EHLO");
    this.setRsetState();
    this.seenGreeting = arg;
    this.extendedSmtp = true;
    const lines = [this.fqdn];
    if (this.dataSizeLimit) lines.push(`SIZE ${this.dataSizeLimit}`);
    if (!this.server.decodeData) lines.push("8BITMIME");
    if (this.enableSMTPUTF8) lines.push("SMTPUTF8");
    lines.push("PIPELINING");
    if (this.server.tlsContext && !this.tlsActive) lines.push("STARTTLS");
    if (this.#authOffered()) lines.push(`AUTH ${this.server.authMechanisms.join(" ")}`);
    lines.push("HELP");
    for (let i = 0; i < lines.length; i++)
      await this.reply(`250${i === lines.length - 1 ? " " : "-"}${lines[i]}`);
  }

  /** NOOP. */
  async smtpNOOP(arg: string | null): Promise<void> {
    await this.reply(arg ? "501 Syntax: NOOP" : "250 OK");
  }

  /** QUIT: 221, then the connection closes. */
  async smtpQUIT(_arg: string | null): Promise<void> {
    await this.reply("221 Bye");
    this.closeConnection = true;
  }

  /** HELP [command]. */
  async smtpHELP(arg: string | null): Promise<void> {
    if (!arg) return this.reply(`250 ${HELP_ALL}`);
    const word = arg.toUpperCase();
    if (word === "MAIL" || word === "RCPT") {
      const what = word === "MAIL" ? "MAIL FROM" : "RCPT TO";
      return this.reply(`250 Syntax: ${what}: <address>${this.extendedSmtp ? EXTENDED : ""}`);
    }
    await this.reply(HELP[word] ?? `501 ${HELP_ALL}`);
  }

  /** VRFY address: 252, as Python (nothing is verified). */
  async smtpVRFY(arg: string | null): Promise<void> {
    if (!arg) return this.reply("501 Syntax: VRFY <address>");
    const [address] = getAddr(arg);
    await this.reply(
      address
        ? "252 Cannot VRFY user, but will accept message and attempt delivery"
        : `502 Could not VRFY ${arg}`,
    );
  }

  /** EXPN: not implemented, as in Python. */
  async smtpEXPN(_arg: string | null): Promise<void> {
    await this.reply("502 EXPN not implemented");
  }

  /** MAIL FROM:<address> [SIZE=n] [BODY=7BIT|8BITMIME] [SMTPUTF8]. */
  async smtpMAIL(arg: string | null): Promise<void> {
    if (!this.seenGreeting) return this.reply("503 Error: send HELO first");
    if (this.server.requireAuth && this.authenticated === null)
      return this.reply("530 5.7.0 Authentication required");
    let syntaxerr = "501 Syntax: MAIL FROM: <address>";
    if (this.extendedSmtp) syntaxerr += EXTENDED;
    if (arg === null) return this.reply(syntaxerr);
    const [address, rest] = getAddr(stripCommandKeyword("FROM:", arg));
    if (!address) return this.reply(syntaxerr);
    if (!this.extendedSmtp && rest) return this.reply(syntaxerr);
    if (this.mailfrom) return this.reply("503 Error: nested MAIL command");
    this.mailOptions = splitOptions(rest);
    const params = getParams(this.mailOptions);
    if (params === null) return this.reply(syntaxerr);
    if (!this.server.decodeData) {
      const body = params.get("BODY") ?? "7BIT";
      params.delete("BODY");
      if (body !== "7BIT" && body !== "8BITMIME")
        return this.reply("501 Error: BODY can only be one of 7BIT, 8BITMIME");
    }
    if (this.enableSMTPUTF8) {
      const smtputf8 = params.get("SMTPUTF8");
      params.delete("SMTPUTF8");
      if (smtputf8 === true) this.requireSMTPUTF8 = true;
      else if (smtputf8 !== undefined) return this.reply("501 Error: SMTPUTF8 takes no arguments");
    }
    const size = params.get("SIZE");
    params.delete("SIZE");
    if (size !== undefined) {
      // Python crashes on a bare SIZE (True.isdigit()); here it is a syntax error.
      if (size === true || !pyIsdigit(size)) return this.reply(syntaxerr);
      if (this.dataSizeLimit && Number(size) > this.dataSizeLimit)
        return this.reply("552 Error: message size exceeds fixed maximum message size");
    }
    if (params.size > 0) return this.reply("555 MAIL FROM parameters not recognized or not implemented");
    this.mailfrom = address;
    await this.reply("250 OK");
  }

  /** RCPT TO:<address>. */
  async smtpRCPT(arg: string | null): Promise<void> {
    if (!this.seenGreeting) return this.reply("503 Error: send HELO first");
    if (!this.mailfrom) return this.reply("503 Error: need MAIL command");
    let syntaxerr = "501 Syntax: RCPT TO: <address>";
    if (this.extendedSmtp) syntaxerr += EXTENDED;
    if (arg === null) return this.reply(syntaxerr);
    const [address, rest] = getAddr(stripCommandKeyword("TO:", arg));
    if (!address) return this.reply(syntaxerr);
    if (!this.extendedSmtp && rest) return this.reply(syntaxerr);
    this.rcptOptions = splitOptions(rest);
    const params = getParams(this.rcptOptions);
    if (params === null) return this.reply(syntaxerr);
    if (params.size > 0) return this.reply("555 RCPT TO parameters not recognized or not implemented");
    // RFC 5321 section 4.5.3.1.10: past the server's limit, 452 and the client sends the rest later.
    if (this.rcpttos.length >= this.server.maxRecipients)
      return this.reply("452 4.5.3 Error: too many recipients");
    this.rcpttos.push(address);
    await this.reply("250 OK");
  }

  /** RSET. */
  async smtpRSET(arg: string | null): Promise<void> {
    if (arg) return this.reply("501 Syntax: RSET");
    this.setRsetState();
    await this.reply("250 OK");
  }

  /**
   * DATA: 354, then the message up to the line `.`, handed to the server's
   * `processMessage` (never when the client goes away first).
   */
  async smtpDATA(arg: string | null): Promise<void> {
    if (!this.seenGreeting) return this.reply("503 Error: send HELO first");
    if (this.rcpttos.length === 0) return this.reply("503 Error: need RCPT command");
    if (arg) return this.reply("501 Syntax: DATA");
    this.smtpState = DATA;
    await this.reply("354 End data with <CR><LF>.<CR><LF>");
    let data: Buffer;
    try {
      data = await this.readDotBytes({
        ...(this.dataSizeLimit ? { maxBytes: this.dataSizeLimit } : {}),
        drain: true,
        strictLineEnds: true,
        // RFC 5321 4.5.2, as Python's smtpd: a leading dot is dropped from every line.
        dropLeadingDot: true,
      });
    } catch (err) {
      if (err instanceof ProtocolError && err.code === "ERR_TEXTPROTO_TOO_LARGE") {
        this.setPostDataState();
        return this.reply("552 Error: Too much mail data");
      }
      if (err instanceof ProtocolError && err.code === "ERR_TEXTPROTO_LINE_TOO_LONG") {
        this.setPostDataState();
        return this.reply("500 Error: line too long");
      }
      if (err instanceof ProtocolError && err.code === "ERR_TEXTPROTO_BARE_LINE_END") {
        this.setPostDataState();
        return this.reply("550 5.6.11 Error: bare CR or LF in message data");
      }
      throw err;
    }
    // Python joins the lines by LF, with none after the last.
    const joined = data.length > 0 ? data.subarray(0, data.length - 1) : data;
    this.receivedData = this.server.decodeData ? joined.toString("utf-8") : joined;
    const options: ProcessMessageOptions = this.server.decodeData
      ? {}
      : { mailOptions: this.mailOptions, rcptOptions: this.rcptOptions };
    let status: ProcessMessageResult;
    try {
      status = await this.server.processMessage(
        this.peer,
        this.mailfrom ?? "",
        this.rcpttos,
        this.receivedData,
        options,
      );
    } catch (err) {
      await this.server.handleError(this.request, this.clientAddress, err);
      status = "451 Error: local error in processing";
    }
    this.setPostDataState();
    await this.reply(status || "250 OK");
  }

  /** STARTTLS (RFC 3207), when the server has a `tlsContext`. */
  async smtpSTARTTLS(arg: string | null): Promise<void> {
    const context = this.server.tlsContext;
    if (!context) return this.unknownCommand("STARTTLS", arg);
    if (arg) return this.reply("501 Syntax: STARTTLS");
    if (this.tlsActive) return this.reply("503 Error: TLS already active");
    // RFC 3207 section 6 (and CVE-2011-0411): whatever the client sent after
    // STARTTLS in the clear must not be taken as commands after the handshake.
    await this.rfile.read(this.rfile.buffered);
    while (await this.connection.waitReadable(0)) {
      if ((await this.connection.recv(65536)).length === 0) break;
    }
    await this.reply("220 Ready to start TLS");
    await this.wfile.flush();
    let secure: SSLSocket;
    try {
      secure = await context.wrapSocket(this.connection, {
        serverSide: true,
        handshakeTimeout: this.commandTimeout,
      });
    } catch {
      // A failed handshake leaves nothing to talk over: the session ends.
      this.closeConnection = true;
      return;
    }
    this.connection = secure;
    this.rfile = secure.makefile("rb", { buffering: this.rbufsize, maxLineLength: this.maxLineLength });
    this.wfile = secure.makefile("wb", { buffering: this.wbufsize });
    this.reader = this.makeReader();
    this.tlsActive = true;
    // RFC 3207 section 4.2: the client starts over with EHLO.
    this.seenGreeting = "";
    this.extendedSmtp = false;
    this.authenticated = null;
    this.setRsetState();
  }

  override async finish(): Promise<void> {
    try {
      await super.finish();
    } finally {
      if (this.tlsActive) this.connection.close();
    }
  }

  /** AUTH mechanism [initial-response] (RFC 4954), PLAIN and LOGIN, checked by the server's `authenticate`. */
  async smtpAUTH(arg: string | null): Promise<void> {
    const server = this.server;
    if (server.authMechanisms.length === 0) return this.unknownCommand("AUTH", arg);
    if (!this.#authOffered())
      return this.reply("538 5.7.11 Encryption required for requested authentication mechanism");
    if (!this.extendedSmtp) return this.reply("503 Error: send EHLO first");
    if (this.authenticated !== null) return this.reply("503 Error: already authenticated");
    if (this.mailfrom) return this.reply("503 Error: AUTH not allowed during a mail transaction");
    if (!arg) return this.reply("501 Syntax: AUTH mechanism [initial-response]");
    const [mechanism = "", initial, ...extra] = arg.split(" ");
    const mech = mechanism.toUpperCase();
    if (extra.length > 0) return this.reply("501 Syntax: AUTH mechanism [initial-response]");
    if (!server.authMechanisms.includes(mech))
      return this.reply("504 5.5.4 Unrecognized authentication type");
    let username: string;
    let password: string;
    if (mech === "PLAIN") {
      const response = initial === undefined ? await this.#challenge("") : await this.#initial(initial);
      if (response === null) return;
      const parts = response.split("\0");
      if (parts.length !== 3) return this.reply("501 5.5.2 Error: malformed PLAIN response");
      [, username = "", password = ""] = parts;
    } else {
      const user =
        initial === undefined ? await this.#challenge("VXNlcm5hbWU6") : await this.#initial(initial);
      if (user === null) return;
      const pass = await this.#challenge("UGFzc3dvcmQ6");
      if (pass === null) return;
      username = user;
      password = pass;
    }
    if (await server.authenticate(mech, username, password, this.peer)) {
      this.authenticated = username;
      return this.reply("235 2.7.0 Authentication successful");
    }
    await this.reply("535 5.7.8 Error: authentication failed");
  }

  /** AUTH is offered: the server has mechanisms, and TLS is up unless the server allows AUTH in the clear. */
  #authOffered(): boolean {
    const server = this.server;
    return server.authMechanisms.length > 0 && (this.tlsActive || !server.authRequireTLS);
  }

  /** Decodes an initial response (RFC 4954 section 4); `null` (answered) when it is not base64. */
  async #initial(text: string): Promise<string | null> {
    const decoded = decodeSasl(text);
    if (decoded === null) await this.reply("501 5.5.2 Error: cannot decode response");
    return decoded;
  }

  /** Sends a 334 challenge and reads the decoded answer; `null` (answered) when it is `*` or not base64. */
  async #challenge(prompt: string): Promise<string | null> {
    await this.reply(`334 ${prompt}`);
    const line = await this.readClientLine(AUTH_LINE_LIMIT);
    if (line === null) {
      this.closeConnection = true;
      return null;
    }
    const text = line.toString("latin1");
    if (text === "*") {
      await this.reply("501 5.7.0 Authentication aborted");
      return null;
    }
    const decoded = decodeSasl(text);
    if (decoded === null) await this.reply("501 5.5.2 Error: cannot decode response");
    return decoded;
  }
}

/** Strict base64 (RFC 4648, as RFC 4954 requires) to UTF-8 text; `null` when it is not base64. */
function decodeSasl(text: string): string | null {
  if (text === "=") return "";
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(text)) return null;
  return Buffer.from(text, "base64").toString("utf-8");
}
