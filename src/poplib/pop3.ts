/**
 * Python's `poplib.POP3`: a POP3 client (RFC 1939), with RFC 2449's CAPA,
 * RFC 2595's STLS and RFC 6856's UTF8. Every command is one line over
 * `#shortcmd` or `#longcmd`; responses are read by `./response.ts` on
 * `netkit/textproto`'s `Reader` (dot-terminated blocks unstuffed by
 * `readDotLines`).
 *
 * ```text
 *   open ─▶ +OK greeting ─▶ [stls] ─▶ user + pass | apop | rpop   (AUTHORIZATION)
 *        ─▶ stat, list, uidl, retr, top, dele, rset, noop        (TRANSACTION)
 *        ─▶ quit: the server deletes what dele marked, and closes  (UPDATE)
 * ```
 *
 * Methods for the caller: `getwelcome`, `setDebuglevel`, `user`, `pass`,
 * `apop`, `rpop`, `stat`, `list`, `retr`, `dele`, `rset`, `noop`, `quit`,
 * `top`, `uidl`, `capa`, `utf8`, `stls`, `close`. Methods for subclasses:
 * `createSocket` (`POP3_SSL` wraps it in TLS).
 *
 * Where netkit differs from Python 3.11, on purpose:
 * - The constructor does not connect: `await POP3.open(host)` is Python's
 *   `POP3(host)` (or `new POP3(host)` then `await pop.connect()`).
 * - A command argument holding CR, LF or NUL throws `CommandError` (a
 *   `ValueError`) before anything is sent; Python sends it, and the rest
 *   of the line runs as a second command.
 * - `stls()` and `POP3_SSL` verify the server's certificate and host name
 *   by default (Python's default context verifies neither); bytes the
 *   server sent after its `+OK` to STLS are dropped, never read as if they
 *   came over TLS.
 * - A multi-line response larger than `maxResponseBytes` (64 MiB) throws
 *   `error_proto` `ERR_POP3_TOO_LARGE`; Python reads on without bound.
 * - A line cut by the end of the stream is `error_proto('-ERR EOF')`;
 *   Python returns it less its last byte. A line ended by LF CR (the CR
 *   leading the next line) keeps its CR inside a multi-line response, so
 *   such a server's `\r.\n` does not end it (Python reads every CRLF, LF and
 *   LFCR end; RFC 1939 allows only CRLF); `octets` counts two bytes for
 *   every line end, where Python counts one for a bare LF.
 * - After a failure that leaves the connection out of step (a line too
 *   long, the end of the stream, a timeout, a socket error) the connection
 *   is closed; Python leaves it open. A `-ERR` answer keeps it open.
 * - A STAT answer that is not `+OK count size` throws `error_proto`
 *   `ERR_POP3_BAD_RESPONSE` (Python: IndexError or ValueError).
 * - `capa()` returns a `Map`; `await using` closes without QUIT (Python's
 *   POP3 has no `with`): only `quit()` commits the messages `dele()` marked,
 *   so an exception inside the block never deletes mail.
 *
 * @module
 */
import { reprBytes, reprStr } from "../_pyrepr.js";
import { ValueError } from "../errors/index.js";
import { createConnection } from "../socket/create.js";
import type { Socket } from "../socket/socket.js";
import { createDefaultContext, type SSLContext } from "../socket/tls.js";
import { Reader } from "../textproto/index.js";
import { error_proto } from "./errors.js";
import { POP3_LIMITS } from "./limits.js";
import { apopDigest, commandLine, type LongResponse, parseCapa, parseStat, splitBytes } from "./parse.js";
import { type DebugHook, readLongResponse, readStatus } from "./response.js";

/** Python's `poplib.POP3_PORT`. */
export const POP3_PORT = 110;
/** Python's `poplib.POP3_SSL_PORT`. */
export const POP3_SSL_PORT = 995;

/** Options for `POP3`, Python's keyword arguments and netkit's bounds. */
export interface POP3Options {
  /**
   * Seconds for connecting and for every read and write after (`null`: no
   * limit). Past it the call throws `TimeoutError` and the connection is closed.
   * @default getdefaulttimeout() (Python's global default)
   */
  timeout?: number | null;
  /**
   * Most bytes of one multi-line response on the wire (`Infinity`: no bound, as Python).
   * @default 67108864 (`POP3_LIMITS.maxResponseBytes`, 64 MiB)
   */
  maxResponseBytes?: number;
}

/** What a message number or count may be: Python formats either with `%s`. */
export type Which = number | string;

/**
 * Python's `poplib.POP3`: a connection to a POP3 server.
 *
 * The module documentation (`netkit/poplib`) and docs/poplib.md show a
 * whole session (it needs a mail server, so it is not an `@example` the
 * docs test runs).
 */
export class POP3 {
  /** The port `POP3.open` uses when none is given. @default 110 */
  static defaultPort = POP3_PORT;
  /** How commands are encoded (Python's `encoding`, always UTF-8). */
  readonly encoding = "UTF-8";
  /** The server's host name (and the name `stls()` checks the certificate for). */
  readonly host: string;
  /** The server's port. */
  readonly port: number;
  /** Seconds for every network call (`null`: none; `undefined`: the global default). */
  readonly timeout: number | null | undefined;
  /** The connection, or `null` when closed. */
  sock: Socket | null = null;
  /** The server's greeting (Python's `welcome`), once connected. */
  welcome: Buffer = Buffer.alloc(0);
  #reader: Reader | null = null;
  #debugging = 0;
  #tlsEstablished = false;
  readonly #maxResponseBytes: number;
  readonly #debugHook: DebugHook = (label, value) => {
    if (this.#debugging > 1) this.#print(label, reprBytes(value));
  };

  /**
   * Python's `POP3(host, port, timeout)`, without connecting: `connect()` or
   * `POP3.open()` does.
   * @param host the server
   * @param port its port (0: the class's `defaultPort`)
   * @throws ValueError for `timeout: 0` (Python: non-blocking is not supported)
   *   or a `maxResponseBytes` below 0
   */
  constructor(host: string, port = 0, options: POP3Options = {}) {
    if (options.timeout === 0) throw new ValueError("Non-blocking socket (timeout=0) is not supported");
    const max = options.maxResponseBytes ?? POP3_LIMITS.maxResponseBytes;
    if (!(max >= 0)) throw new ValueError(`Cannot use maxResponseBytes ${max}: must be at least 0`);
    this.host = host;
    this.port = port || (this.constructor as typeof POP3).defaultPort;
    this.timeout = options.timeout;
    this.#maxResponseBytes = max;
  }

  /**
   * Python's `POP3(host, port, timeout)`: makes the client (of the class it
   * is called on: `POP3_SSL.open` too), connects, and reads the greeting.
   * @param host the server
   * @param port its port (0: the class's `defaultPort`)
   * @param options the constructor's options
   * @returns the connected client
   * @throws error_proto when the greeting is not `+OK` (the connection is
   *   closed); what `connect()` throws
   */
  static async open<T extends POP3, O extends POP3Options>(
    this: new (
      host: string,
      port: number,
      options: O,
    ) => T,
    host: string,
    port = 0,
    options: O = {} as O,
  ): Promise<T> {
    const pop = new this(host, port, options);
    try {
      await pop.connect();
    } catch (err) {
      pop.close();
      throw err;
    }
    return pop;
  }

  /**
   * What Python's constructor does after keeping its arguments: connects
   * and reads the greeting into `welcome`.
   * @returns the greeting
   * @throws OSError (ConnectionRefusedError, TimeoutError, gaierror); error_proto for a `-ERR` greeting
   */
  async connect(): Promise<Buffer> {
    this.close();
    this.sock = await this.createSocket(this.timeout);
    this.#tlsEstablished = false;
    this.welcome = await this.#getresp();
    return this.welcome;
  }

  /**
   * Python's `_create_socket(timeout)`: the TCP connection (`POP3_SSL` adds TLS).
   * @throws OSError when the connection fails
   */
  protected async createSocket(timeout: number | null | undefined): Promise<Socket> {
    return createConnection([this.host, this.port], timeout !== undefined ? { timeout } : {});
  }

  /** Python's `getwelcome()`: the server's greeting line. */
  getwelcome(): Buffer {
    return this.welcome;
  }

  /**
   * Python's `set_debuglevel(level)`: 1 prints each command, 2 also the
   * lines sent and read (to stdout, as Python prints them; PASS shows the
   * password, as in Python).
   */
  setDebuglevel(level: number): void {
    this.#debugging = level;
  }

  #print(...args: string[]): void {
    process.stdout.write(`${args.join(" ")}\n`);
  }

  /** The reader over the current socket. */
  #readerOf(sock: Socket): Reader {
    this.#reader ??= new Reader(sock.makefile("rb"), { maxLine: POP3_LIMITS.maxLine });
    return this.#reader;
  }

  /** The socket, or `error_proto` `ERR_POP3_NOT_CONNECTED`. */
  #connected(): Socket {
    if (this.sock === null) {
      throw new error_proto("Cannot send command: not connected", "ERR_POP3_NOT_CONNECTED");
    }
    return this.sock;
  }

  /**
   * Runs one read or write; a failure that leaves the connection out of step
   * (anything but a `-ERR` answer) closes it before it is thrown.
   */
  async #io<T>(step: () => Promise<T>): Promise<T> {
    try {
      return await step();
    } catch (err) {
      if (!(err instanceof error_proto && err.code === "ERR_POP3_RESPONSE")) this.close();
      throw err;
    }
  }

  /** Python's `_putcmd`: sends one command line. */
  async #putcmd(...parts: (string | number)[]): Promise<void> {
    const line = commandLine(...parts);
    const sock = this.#connected();
    if (this.#debugging) this.#print("*cmd*", reprStr(line.subarray(0, -2).toString("utf8")));
    if (this.#debugging > 1) this.#print("*put*", reprBytes(line.subarray(0, -2)));
    await this.#io(() => sock.sendall(line));
  }

  /** Python's `_getresp`. */
  #getresp(): Promise<Buffer> {
    const reader = this.#readerOf(this.#connected());
    return this.#io(() => readStatus(reader, this.#debugHook));
  }

  /** Python's `_shortcmd`: a command and its status line. */
  async #shortcmd(...parts: (string | number)[]): Promise<Buffer> {
    await this.#putcmd(...parts);
    return this.#getresp();
  }

  /** Python's `_longcmd`: a command and its multi-line response. */
  async #longcmd(...parts: (string | number)[]): Promise<LongResponse> {
    await this.#putcmd(...parts);
    const reader = this.#readerOf(this.#connected());
    return this.#io(() => readLongResponse(reader, this.#maxResponseBytes, this.#debugHook));
  }

  /**
   * Python's `user(user)`: USER.
   * @returns the status line (it should ask for the password)
   * @throws error_proto for `-ERR`; CommandError for CR, LF or NUL in `user`
   */
  user(user: string): Promise<Buffer> {
    return this.#shortcmd("USER", user);
  }

  /**
   * Python's `pass_(pswd)`: PASS. The server locks the mailbox from here to `quit()`.
   * @returns the status line (often with the message count and size)
   * @throws error_proto for `-ERR` (a wrong password)
   */
  pass(pswd: string): Promise<Buffer> {
    return this.#shortcmd("PASS", pswd);
  }

  /**
   * Python's `apop(user, password)`: APOP with the MD5 digest of the
   * greeting's timestamp and the password (RFC 1939 7).
   * @returns the status line
   * @throws error_proto `ERR_POP3_NOT_SUPPORTED` (`-ERR APOP not supported by
   *   server`) when the greeting has no timestamp; error_proto for `-ERR`
   */
  apop(user: string, password: string): Promise<Buffer> {
    const digest = apopDigest(this.welcome, password);
    return this.#shortcmd("APOP", user, digest);
  }

  /** Python's `rpop(user)`: RPOP (RFC 1081). @returns the status line */
  rpop(user: string): Promise<Buffer> {
    return this.#shortcmd("RPOP", user);
  }

  /**
   * Python's `stat()`: STAT.
   * @returns `[message count, mailbox size in octets]`
   * @throws error_proto `ERR_POP3_BAD_RESPONSE` when the answer is not `+OK count size`
   */
  async stat(): Promise<[count: number, size: number]> {
    const retval = await this.#shortcmd("STAT");
    if (this.#debugging) this.#print("*stat*", `[${splitBytes(retval).map(reprBytes).join(", ")}]`);
    return parseStat(retval);
  }

  /**
   * Python's `list(which)`: LIST. Without a message number, the scan
   * listing of every message (`"num octets"` lines); with one, its status line.
   * @returns `[response, lines, octets]`, or the status line for one message
   */
  list(): Promise<LongResponse>;
  list(which: Which): Promise<Buffer>;
  list(which?: Which | null): Promise<LongResponse | Buffer>;
  list(which?: Which | null): Promise<LongResponse | Buffer> {
    if (which !== undefined && which !== null) return this.#shortcmd("LIST", which);
    return this.#longcmd("LIST");
  }

  /**
   * Python's `retr(which)`: RETR, the whole message.
   * @returns `[response, lines, octets]`: the lines unstuffed, without line ends
   * @throws error_proto for `-ERR` (no such message); `ERR_POP3_TOO_LARGE`
   *   past `maxResponseBytes`; `ERR_POP3_LINE_TOO_LONG`; `ERR_POP3_EOF`
   */
  retr(which: Which): Promise<LongResponse> {
    return this.#longcmd("RETR", which);
  }

  /** Python's `dele(which)`: DELE, marks a message to delete at `quit()`. @returns the status line */
  dele(which: Which): Promise<Buffer> {
    return this.#shortcmd("DELE", which);
  }

  /** Python's `noop()`: NOOP. @returns the status line */
  noop(): Promise<Buffer> {
    return this.#shortcmd("NOOP");
  }

  /** Python's `rset()`: RSET, unmarks every message `dele` marked. @returns the status line */
  rset(): Promise<Buffer> {
    return this.#shortcmd("RSET");
  }

  /**
   * Python's `quit()`: QUIT (the server deletes the marked messages), then close.
   * @returns the status line
   * @throws error_proto for `-ERR` (the connection stays open, as in Python)
   */
  async quit(): Promise<Buffer> {
    const resp = await this.#shortcmd("QUIT");
    this.close();
    return resp;
  }

  /** Python's `close()`: closes the connection without QUIT (marked messages stay). */
  close(): void {
    this.#reader = null;
    const sock = this.sock;
    this.sock = null;
    sock?.close();
  }

  /**
   * Python's `top(which, howmuch)`: TOP, the headers and the first
   * `howmuch` lines of the body.
   * @returns `[response, lines, octets]`
   */
  top(which: Which, howmuch: Which): Promise<LongResponse> {
    return this.#longcmd("TOP", which, howmuch);
  }

  /**
   * Python's `uidl(which)`: UIDL. Without a message number, every
   * message's unique id (`"num uid"` lines); with one, its status line.
   * @returns `[response, lines, octets]`, or the status line for one message
   */
  uidl(): Promise<LongResponse>;
  uidl(which: Which): Promise<Buffer>;
  uidl(which?: Which | null): Promise<LongResponse | Buffer>;
  uidl(which?: Which | null): Promise<LongResponse | Buffer> {
    if (which !== undefined && which !== null) return this.#shortcmd("UIDL", which);
    return this.#longcmd("UIDL");
  }

  /** Python's `utf8()`: UTF8 (RFC 6856). @returns the status line */
  utf8(): Promise<Buffer> {
    return this.#shortcmd("UTF8");
  }

  /**
   * Python's `capa()`: CAPA (RFC 2449).
   * @returns capability → its arguments (`"SASL" → ["PLAIN"]`), in the server's order
   * @throws error_proto `ERR_POP3_NOT_SUPPORTED` (`-ERR CAPA not supported by
   *   server`) when the server refuses CAPA or breaks off its answer (as
   *   Python, which turns any `error_proto` into that one); UnicodeDecodeError
   *   for a non-ASCII line
   */
  async capa(): Promise<Map<string, string[]>> {
    let lines: Buffer[];
    try {
      [, lines] = await this.#longcmd("CAPA");
    } catch (err) {
      if (!(err instanceof error_proto) || err.code === "ERR_POP3_NOT_CONNECTED") throw err;
      throw new error_proto("-ERR CAPA not supported by server", "ERR_POP3_NOT_SUPPORTED", { cause: err });
    }
    return parseCapa(lines);
  }

  /**
   * Python's `stls(context)`: CAPA, then STLS (RFC 2595) and the TLS
   * handshake on the same connection. Whatever the server sent after its
   * `+OK` before the handshake is dropped.
   * @param options.context the TLS settings @default createDefaultContext()
   *   (verifies the certificate and the host name; Python's verifies neither)
   * @returns the status line answering STLS
   * @throws error_proto `ERR_POP3_TLS_ACTIVE` on a TLS connection;
   *   `ERR_POP3_NOT_SUPPORTED` when CAPA does not list STLS; error_proto for
   *   `-ERR`; SSLCertVerificationError and the other SSLErrors from the
   *   handshake (the connection is closed)
   */
  async stls(options: { context?: SSLContext } = {}): Promise<Buffer> {
    if (this.#tlsEstablished) {
      throw new error_proto("-ERR TLS session already established", "ERR_POP3_TLS_ACTIVE");
    }
    const caps = await this.capa();
    if (!caps.has("STLS"))
      throw new error_proto("-ERR STLS not supported by server", "ERR_POP3_NOT_SUPPORTED");
    const context = options.context ?? createDefaultContext();
    const resp = await this.#shortcmd("STLS");
    const raw = this.#connected();
    // The reader holds whatever came after the +OK; dropping it discards
    // those bytes (a man in the middle's plaintext answers, CVE-2011-1575's class).
    this.#reader = null;
    try {
      this.sock = await context.wrapSocket(raw, { serverHostname: this.host });
    } catch (err) {
      this.sock = raw;
      this.close();
      throw err;
    }
    this.#tlsEstablished = true;
    return resp;
  }

  /**
   * Closes the connection without QUIT, so messages `dele()` marked are not
   * deleted (RFC 1939 6: no UPDATE state without QUIT). Call `quit()` to
   * commit them. Python's POP3 has no `with`.
   */
  [Symbol.asyncDispose](): Promise<void> {
    this.close();
    return Promise.resolve();
  }
}
