/**
 * Python's `smtpd.SMTPServer`, and its `DebuggingServer`: an SMTP server
 * that hands each message it receives to `processMessage`. Python's is an
 * `asyncore.dispatcher`; this is a `ThreadingTCPServer` (each connection its
 * own task on the event loop) whose handler is `SMTPChannel`.
 *
 * Methods for the caller: those of `socketserver` (`serveForever`,
 * `shutdown`, `serverClose`, `await using`). Methods to override:
 * `processMessage` (Python's `process_message`), `authenticate`.
 * Attributes to override (class fields): `channelClass`, `maxConnections`,
 * `maxRecipients`, `idleTimeout`, `commandTimeout`, `dataTimeout`,
 * `authMechanisms`, `authRequireTLS`, `requireAuth`, `version`.
 *
 * @module
 */
import { ValueError, withCode } from "../errors/index.js";
import type { Address } from "../socket/address.js";
import { AF_INET6 } from "../socket/constants.js";
import { getfqdn } from "../socket/names.js";
import type { Socket } from "../socket/socket.js";
import type { SSLContext } from "../socket/tls.js";
import type { RequestHandlerClass } from "../socketserver/base.js";
import { closeIdleHandlers } from "../socketserver/registry.js";
import { ThreadingTCPServer } from "../socketserver/threading.js";
import { VERSION } from "../version.js";
import { SMTPChannel } from "./channel.js";

/** Python's `DATA_SIZE_DEFAULT`: 32 MiB, the default `dataSizeLimit`. */
export const DATA_SIZE_DEFAULT = 33554432;

/** What a message reaches `processMessage` as: bytes, or text with `decodeData`. */
export type MessageData = Buffer | string;

/** Python's `process_message` keyword arguments (none with `decodeData`, as in Python). */
export interface ProcessMessageOptions {
  /** MAIL's parameters, upper-cased (`["BODY=8BITMIME", "SMTPUTF8"]`). */
  mailOptions?: string[];
  /** The last RCPT's parameters, upper-cased. */
  rcptOptions?: string[];
}

/** What `processMessage` returns: nothing for `250 OK`, else the reply line to send. */
// biome-ignore lint/suspicious/noConfusingVoidType: an override that returns nothing (Python's None) must fit
export type ProcessMessageResult = string | undefined | void;

/** How AUTH credentials are checked: true to accept. */
export type AuthenticateHook = (
  mechanism: string,
  username: string,
  password: string,
  peer: Address | null,
) => boolean | Promise<boolean>;

/** Options of `SMTPServer` (Python's keyword arguments, and netkit's). */
export interface SMTPServerOptions {
  /** Python's `data_size_limit`: most bytes in one message (0 or `null`: no limit). @default DATA_SIZE_DEFAULT */
  dataSizeLimit?: number | null;
  /** Python's `enable_SMTPUTF8`: offer SMTPUTF8 (RFC 6531). @default false */
  enableSMTPUTF8?: boolean;
  /** Python's `decode_data`: hand `processMessage` text (UTF-8) instead of bytes, and offer no 8BITMIME. @default false */
  decodeData?: boolean;
  /** A server-side `SSLContext` (certificate loaded): STARTTLS is offered with it. @default none */
  tlsContext?: SSLContext | null;
  /** Checks AUTH credentials; AUTH PLAIN and LOGIN are offered when given. @default none (no AUTH) */
  authenticate?: AuthenticateHook;
  /** Offer AUTH only after STARTTLS (passwords never cross in the clear). @default true */
  authRequireTLS?: boolean;
  /** Refuse MAIL until the client authenticated (`530`). @default false */
  requireAuth?: boolean;
  /** Most sessions at once; past it a new connection gets `421` and is closed. @default 100 */
  maxConnections?: number;
  /** Most recipients in one transaction; past it RCPT gets `452`. @default 1000 */
  maxRecipients?: number;
  /** Seconds a session may wait between commands. @default 300 (RFC 5321 section 4.5.3.2.7) */
  idleTimeout?: number | null;
}

/**
 * Python's `smtpd.SMTPServer`: listens on `localaddr` and runs an
 * `SMTPChannel` per connection. Subclass it and override `processMessage`.
 *
 * Python's constructor is `SMTPServer(localaddr, remoteaddr,
 * data_size_limit=DATA_SIZE_DEFAULT, map=None, enable_SMTPUTF8=False,
 * decode_data=False)`; here the keyword arguments are an options object
 * (there is no asyncore `map`). Binding starts at once; `ready` settles when
 * the server listens.
 *
 * @example
 * ```ts
 * import type { Address } from "netkit/socket";
 * import { type MessageData, SMTPServer } from "netkit/smtpd";
 * class Refuser extends SMTPServer {
 *   override processMessage(peer: Address | null, mailfrom: string, rcpttos: string[], data: MessageData) {
 *     return rcpttos.includes("nobody@example.org") ? "550 No such user here" : undefined;
 *   }
 * }
 * await using server = new Refuser(["127.0.0.1", 0], null, { dataSizeLimit: 1 << 20 });
 * await server.ready; // then: await server.serveForever();
 * ```
 */
export class SMTPServer extends ThreadingTCPServer {
  /** Python's `channel_class`: the handler made for each connection. @default SMTPChannel */
  channelClass: typeof SMTPChannel = SMTPChannel;
  /** Python's `_localaddr`. */
  readonly localaddr: [string, number];
  /** Python's `_remoteaddr`: where `PureProxy` relays to (`null`: nowhere). */
  readonly remoteaddr: [string, number] | null;
  /** Python's `data_size_limit` (0: no limit). */
  dataSizeLimit: number;
  /** Python's `enable_SMTPUTF8`. */
  enableSMTPUTF8: boolean;
  /** Python's `_decode_data`. */
  decodeData: boolean;
  /** The context STARTTLS uses (`null`: no STARTTLS). */
  tlsContext: SSLContext | null;
  /** The SASL mechanisms AUTH offers (empty: no AUTH). */
  authMechanisms: string[];
  /** Offer AUTH only after STARTTLS. @default true */
  authRequireTLS: boolean;
  /** Refuse MAIL until the client authenticated. @default false */
  requireAuth: boolean;
  /** Most sessions at once. @default 100 */
  maxConnections: number;
  /** Most recipients in one transaction. @default 1000 */
  maxRecipients: number;
  /** Seconds a session may wait between commands (`null`: no limit). @default 300 */
  idleTimeout: number | null;
  /** Seconds one command line may take once started. @default 60 */
  commandTimeout: number | null = 60;
  /** Seconds one message (DATA block) may take. @default 600 (RFC 5321 section 4.5.3.2.6's 10 minutes) */
  dataTimeout: number | null = 600;
  /** The greeting's second part (Python's `__version__`, "Python SMTP proxy version 0.3"). */
  version = `netkit SMTP proxy version ${VERSION}`;
  /** Python's `SMTPChannel.fqdn` (`socket.getfqdn()`), looked up once per server. */
  readonly fqdn: Promise<string>;
  override allowReuseAddress = true;
  readonly #authenticate: AuthenticateHook | undefined;

  /**
   * @param localaddr where to listen: `[host, port]`
   * @param remoteaddr the upstream server (`PureProxy`), or `null`
   * @param options Python's keyword arguments, and netkit's limits, TLS and AUTH
   * @throws ValueError when both `enableSMTPUTF8` and `decodeData` are set (as Python)
   */
  constructor(
    localaddr: [string, number],
    remoteaddr: [string, number] | null = null,
    options: SMTPServerOptions = {},
  ) {
    super(localaddr, SMTPChannel as unknown as RequestHandlerClass);
    if (options.enableSMTPUTF8 && options.decodeData)
      throw new ValueError("decode_data and enable_SMTPUTF8 cannot be set to True at the same time");
    if (localaddr[0].includes(":")) this.addressFamily = AF_INET6;
    this.localaddr = localaddr;
    this.remoteaddr = remoteaddr;
    this.dataSizeLimit =
      options.dataSizeLimit === undefined ? DATA_SIZE_DEFAULT : (options.dataSizeLimit ?? 0);
    this.enableSMTPUTF8 = options.enableSMTPUTF8 ?? false;
    this.decodeData = options.decodeData ?? false;
    this.tlsContext = options.tlsContext ?? null;
    this.#authenticate = options.authenticate;
    this.authMechanisms = options.authenticate ? ["PLAIN", "LOGIN"] : [];
    this.authRequireTLS = options.authRequireTLS ?? true;
    this.requireAuth = options.requireAuth ?? false;
    this.maxConnections = options.maxConnections ?? 100;
    this.maxRecipients = options.maxRecipients ?? 1000;
    this.idleTimeout = options.idleTimeout === undefined ? 300 : options.idleTimeout;
    this.fqdn = getfqdn();
    this.fqdn.catch(() => {});
  }

  /**
   * Python's `process_message`: called with each message received. Return
   * nothing for `250 OK`, or the reply line to send (`"550 No such user"`).
   * A throw is logged (`handleError`) and answered `451`.
   * @param peer the client's address
   * @param mailfrom MAIL's address (`"<>"` for the null reverse-path)
   * @param rcpttos RCPT's addresses
   * @param data the message, dot-unstuffed, lines joined by `\n` (bytes; text with `decodeData`)
   * @param options MAIL's and RCPT's parameters (none with `decodeData`)
   * @returns nothing, or an SMTP reply line
   * @throws Error (Python's `NotImplementedError`) unless overridden
   */
  processMessage(
    peer: Address | null,
    mailfrom: string,
    rcpttos: string[],
    data: MessageData,
    options: ProcessMessageOptions,
  ): ProcessMessageResult | Promise<ProcessMessageResult> {
    void [peer, mailfrom, rcpttos, data, options];
    throw withCode(
      new Error("Cannot process a message: SMTPServer.processMessage is not overridden"),
      "ERR_NOT_IMPLEMENTED",
    );
  }

  /**
   * Checks AUTH credentials (netkit's; Python's smtpd has no AUTH). The
   * default asks the `authenticate` option.
   * @param mechanism `"PLAIN"` or `"LOGIN"`
   * @param username the user name the client gave
   * @param password the password the client gave
   * @param peer the client's address
   * @returns true to accept
   */
  authenticate(
    mechanism: string,
    username: string,
    password: string,
    peer: Address | null,
  ): boolean | Promise<boolean> {
    return this.#authenticate?.(mechanism, username, password, peer) ?? false;
  }

  /** Past `maxConnections` sessions, a new connection gets `421` and is closed. */
  override async verifyRequest(request: unknown, clientAddress: Address | null): Promise<boolean> {
    if (this.activeRequests < this.maxConnections) return super.verifyRequest(request, clientAddress);
    const sock = request as Socket;
    const bye = Buffer.from(`421 ${await this.fqdn} Error: too many connections, try again later\r\n`);
    await Promise.race([
      sock.sendall(bye).catch(() => {}),
      new Promise<void>((resolve) => setTimeout(resolve, 1000).unref()),
    ]);
    return false;
  }

  /** Python's `handle_accepted` makes `channel_class`: so does this. */
  override finishRequest(request: unknown, clientAddress: Address | null): Promise<void> {
    return new this.channelClass(request as Socket, clientAddress, this).run();
  }

  /** Closes the sessions waiting for a command at once, then the listening socket. */
  override async serverClose(): Promise<void> {
    closeIdleHandlers(this);
    await super.serverClose();
  }
}
