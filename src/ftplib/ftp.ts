/**
 * Python's `ftplib.FTP`: an FTP client (RFC 959, RFC 2428's EPSV and EPRT,
 * RFC 3659's SIZE and MLSD). Replies are read by `netkit/textproto`'s
 * `Reader` (RFC 959's multi-line form, bounded), commands are checked for
 * CR, LF and NUL by its `checkArgument`.
 *
 * ```text
 *   connect ─▶ welcome ─▶ login (USER, PASS, ACCT) ─▶ commands (sendcmd / voidcmd)
 *                                                   └▶ transfers:
 *     TYPE ─▶ PASV / EPSV (passive, the default)  ─┬─▶ [REST] ─▶ RETR/STOR/LIST ─▶ 1xx
 *          └▶ PORT / EPRT (active: setPasv(false)) ─┘   data connection ─▶ bytes ─▶ close ─▶ 226
 * ```
 *
 * Methods for the caller: `connect`, `login`, `getwelcome`, `sendcmd`,
 * `voidcmd`, `retrbinary`, `retrlines`, `storbinary`, `storlines`, `nlst`,
 * `dir`, `mlsd`, `rename`, `delete`, `cwd`, `size`, `mkd`, `rmd`, `pwd`,
 * `acct`, `abort`, `quit`, `close`, `setPasv`, `setDebuglevel`,
 * `transfercmd`, `ntransfercmd`. Methods for subclasses (Python's
 * "internal" ones, public there too): `putline`, `putcmd`, `getline`,
 * `getmultiline`, `getresp`, `voidresp`, `sendport`, `sendeprt`,
 * `makeport`, `makepasv`; `FTP_TLS` overrides `ntransfercmd`.
 *
 * Where netkit differs from Python 3.11, on purpose:
 * - The constructor never connects: `await FTP.open(host, { user, passwd })`
 *   is Python's `FTP(host, user, passwd)`.
 * - Every network call has a timeout: `timeout`, else `setdefaulttimeout()`,
 *   else 60 seconds (Python waits forever by default); `null` waits forever.
 *   A data connection that goes silent fails with `TimeoutError`.
 * - A command holding CR, LF or NUL throws `CommandError` (a `ValueError`,
 *   as Python's newline check throws) before anything is sent.
 * - The host in a PASV reply is ignored: the data connection goes to the
 *   control connection's peer (Python's default since 3.10, kept).
 *   A PASV or EPSV port outside 1-65535 is `error_proto`, where Python fails
 *   in `connect`.
 * - In active mode the data port listens on the control connection's local
 *   address only (Python listens on every interface) and takes a data
 *   connection only from the control connection's peer host (no data theft
 *   by a third host).
 * - A reply line that is not `DDD text` throws `error_proto` (Python passes
 *   some through); a reply of more than 1000 lines throws `error_proto`
 *   (Python reads on forever). An EPSV reply with a port that is not a number
 *   throws `error_proto` (Python: ValueError).
 * - `abort()` sends ABOR in-band: Node cannot send TCP urgent data (Python's
 *   FTP_TLS does the same).
 *
 * @module
 */

import { asBuffer } from "../_buffer.js";
import { type Codec, lookupCodec } from "../_codecs.js";
import { reprBytes } from "../_pyrepr.js";
import { pyIntOrThrow, pyStrip } from "../_pystr.js";
import { EOFError, OSError, ValueError } from "../errors/index.js";
import { BytesSource, iterableSource } from "../io/memory.js";
import { BufferedReader } from "../io/reader.js";
import type { INET6Address, INETAddress } from "../socket/address.js";
import { AF_INET, AF_INET6, SHUT_WR } from "../socket/constants.js";
import { createConnection, createServer } from "../socket/create.js";
import { getdefaulttimeout, type Socket } from "../socket/socket.js";
import { SSLSocket } from "../socket/tls.js";
import { CommandError, checkArgument, ProtocolError, Reader } from "../textproto/index.js";
import { error_perm, error_proto, error_reply, error_temp, FTPError } from "./errors.js";
import {
  formatEprt,
  formatPort,
  type MlsdEntry,
  parse150,
  parse227,
  parse229,
  parse257,
  parseMlsdLine,
  sanitize,
} from "./parse.js";

/** Python's `ftplib.FTP_PORT`: the standard control port. */
export const FTP_PORT = 21;
/** Python's `ftplib.MAXLINE`: the longest control or listing line, in characters (bytes here). */
export const MAXLINE = 8192;
/** Python's `ftplib.CRLF`. */
export const CRLF = "\r\n";
/** Python's `ftplib.B_CRLF`. */
export const B_CRLF = Buffer.from(CRLF);
/** Seconds every network call may take when neither `timeout` nor `setdefaulttimeout()` says (netkit's). */
export const DEFAULT_TIMEOUT = 60;
/** Data connections from a host other than the server's that active mode turns away before giving up. */
const MAX_FOREIGN_CONNECTIONS = 16;

/** Options for `FTP`: Python's keyword arguments. */
export interface FTPOptions {
  /**
   * Seconds for connecting and for every read and write after, on the
   * control and the data connections (`null`: no limit).
   * @default getdefaulttimeout(), else 60 (Python: no limit)
   */
  timeout?: number | null;
  /** Local `[host, port]` to connect from (Python's `source_address`). @default none */
  sourceAddress?: INETAddress | INET6Address;
  /** The encoding of commands, replies and listings (file names). @default "utf-8" */
  encoding?: string;
}

/** Options for `FTP.open`: the constructor's, plus where to connect and whom to log in as. */
export interface FTPOpenOptions extends FTPOptions {
  /** The control port (netkit's; Python's constructor always uses 21). @default 21 */
  port?: number;
  /** Log in as this user after connecting (Python's `user`); empty: do not log in. @default "" */
  user?: string;
  /** The password (Python's `passwd`). @default "" */
  passwd?: string;
  /** The account (Python's `acct`). @default "" */
  acct?: string;
}

/** What `retrbinary` calls with each block read; it may return a Promise, which is awaited. */
export type DataCallback = (data: Buffer) => unknown;
/** What `retrlines` calls with each line (line end removed); it may return a Promise, which is awaited. */
export type LineCallback = (line: string) => unknown;

/**
 * A file to upload: bytes, an (async) iterable of byte chunks (a Node
 * stream, `fs.createReadStream`), or an object with Python's `read(n)` (and
 * `readline(limit)` for `storlines`), such as a netkit `BufferedReader`.
 */
export type UploadSource =
  | Uint8Array
  | AsyncIterable<Uint8Array>
  | Iterable<Uint8Array>
  | {
      /** Up to `n` bytes; empty at the end (Python's `fp.read(n)`). */
      read(n: number): Uint8Array | Promise<Uint8Array>;
      /** One line, at most `limit` bytes, LF included; empty at the end (Python's `fp.readline(limit)`). */
      readline?(limit?: number): Uint8Array | Promise<Uint8Array>;
    };

/** Options for `retrbinary` (Python's `blocksize` and `rest`). */
export interface RetrbinaryOptions {
  /** Most bytes per callback. @default 8192 */
  blocksize?: number;
  /** Sent as `REST rest` before the command: where the server starts. @default none */
  rest?: number | string | null;
}

/** Options for `storbinary` (Python's `blocksize`, `callback` and `rest`). */
export interface StorbinaryOptions extends RetrbinaryOptions {
  /** Called with each block after it is sent. @default none */
  callback?: DataCallback;
}

/** Options for `storlines` (Python's `callback`). */
export interface StorlinesOptions {
  /** Called with each line (CRLF ended) after it is sent. @default none */
  callback?: DataCallback;
}

/** Python's `ftplib.print_line(line)`: the default `retrlines` callback, printing to stdout. */
export function print_line(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** Something to read an upload from: Python's file-like `read` and `readline`. */
interface UploadReader {
  read(n: number): Promise<Uint8Array>;
  readline(limit: number): Promise<Uint8Array>;
}

async function* fromSync(chunks: Iterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  yield* chunks;
}

/** The upload `fp` as something with `read(n)` and `readline(limit)`. */
function uploadReader(fp: UploadSource): UploadReader {
  if (fp instanceof BufferedReader) return fp;
  if (fp instanceof Uint8Array) return new BufferedReader(new BytesSource(Buffer.from(fp)));
  if (typeof fp === "object" && fp !== null) {
    if (Symbol.asyncIterator in fp) return new BufferedReader(iterableSource(fp));
    if (Symbol.iterator in fp) return new BufferedReader(iterableSource(fromSync(fp)));
    if ("read" in fp && typeof fp.read === "function") {
      return {
        read: async (n) => fp.read(n),
        readline: async (limit) => {
          if (typeof fp.readline !== "function")
            throw new ValueError("Cannot read lines from the upload: it has no readline()");
          return fp.readline(limit);
        },
      };
    }
  }
  throw new ValueError("Cannot upload: fp must be bytes, an iterable of bytes, or have read(n)");
}

/** `cb(x)`, awaited only when it returned a Promise (a plain callback costs no microtask per block). */
function callMaybeAsync<T>(cb: (x: T) => unknown, x: T): Promise<unknown> | undefined {
  const r = cb(x);
  return r instanceof Promise ? r : undefined;
}

/**
 * Python's `ftplib.FTP`: a connection to an FTP server.
 *
 * A session (it needs a server, so it is not an `@example` the docs test runs):
 *
 * ```ts
 * import { FTP } from "netkit/ftplib";
 * await using ftp = await FTP.open("ftp.example.org", { user: "anonymous", timeout: 30 });
 * console.log(await ftp.nlst());
 * const chunks: Buffer[] = [];
 * await ftp.retrbinary("RETR README", (b) => chunks.push(b));
 * ```
 */
export class FTP {
  /** Debug output (stdout, as Python): 0 none, 1 commands and replies, 2 also raw lines, 3 also listing lines. */
  debugging = 0;
  /** The server `connect()` uses when given none. */
  host = "";
  /** The control port `connect()` uses when given none. @default 21 */
  port = FTP_PORT;
  /** The longest control or listing line (Python's `maxline`). @default 8192 */
  maxline = MAXLINE;
  /** The control connection, or `null` when closed. */
  sock: Socket | null = null;
  /** The server's greeting, read by `connect()`. */
  welcome: string | null = null;
  /** Passive mode (the default): the client opens the data connections (Python's `passiveserver`). */
  passiveserver = true;
  /**
   * Use the host a PASV reply names (Python's `trust_server_pasv_ipv4_address`).
   * Off: the data connection goes to the control connection's peer, so a
   * server cannot point the client at a third host.
   * @default false
   */
  trustServerPasvIpv4Address = false;
  /** The encoding of commands, replies and listings. @default "utf-8" */
  readonly encoding: string;
  /** Seconds for every network call (`null`: none; `undefined`: `getdefaulttimeout()`, else 60). */
  timeout: number | null | undefined;
  /** Local address to connect from. */
  sourceAddress: INETAddress | INET6Address | undefined;
  /** The control connection's address family: `AF_INET` or `AF_INET6`. */
  af = AF_INET;
  /** The first three characters of the last reply (Python's `lastresp`). */
  lastresp = "";
  #codec: Codec;
  #reader: Reader | null = null;

  /**
   * Python's `FTP(timeout=..., source_address=..., encoding=...)`, without
   * connecting: `connect()` or `FTP.open()` does.
   * @throws LookupError for an unknown encoding
   */
  constructor(options: FTPOptions = {}) {
    this.encoding = options.encoding ?? "utf-8";
    this.#codec = lookupCodec(this.encoding);
    this.timeout = options.timeout;
    this.sourceAddress = options.sourceAddress;
  }

  /**
   * Python's `FTP(host, user, passwd, acct, ...)` with a host: makes the
   * client (of the class it is called on: `FTP_TLS.open` too), connects,
   * and logs in when `user` is given.
   * @throws what `connect()` and `login()` throw (the connection is closed first)
   */
  static async open<C extends new (options: never) => FTP>(
    this: C,
    host: string,
    options: NonNullable<ConstructorParameters<C>[0]> & FTPOpenOptions = {} as never,
  ): Promise<InstanceType<C>> {
    const { port, user, passwd, acct, ...rest } = options as FTPOpenOptions;
    const ftp = new this(rest as never) as InstanceType<C>;
    try {
      await ftp.connect(host, port ?? 0);
      if (user) await ftp.login(user, passwd, acct);
    } catch (err) {
      ftp.close();
      throw err;
    }
    return ftp;
  }

  /** The timeout in force: `timeout`, else `getdefaulttimeout()`, else 60 seconds. */
  protected get effectiveTimeout(): number | null {
    return this.timeout !== undefined ? this.timeout : (getdefaulttimeout() ?? DEFAULT_TIMEOUT);
  }

  /**
   * Python's `connect(host, port, timeout, source_address)`: opens the
   * control connection and reads the greeting.
   * @param host the server @default the last one
   * @param port its port (0: the last one, 21 at first)
   * @returns the greeting (also `getwelcome()`)
   * @throws ValueError for `timeout: 0`; OSError (ConnectionRefusedError, TimeoutError, gaierror);
   *   error_temp / error_perm for a refusing greeting (421, ...)
   */
  async connect(
    host = "",
    port = 0,
    options: { timeout?: number | null; sourceAddress?: INETAddress | INET6Address } = {},
  ): Promise<string> {
    if (host !== "") this.host = host;
    if (port > 0) this.port = port;
    if (options.timeout !== undefined) this.timeout = options.timeout;
    const timeout = this.effectiveTimeout;
    if (timeout === 0) throw new ValueError("Non-blocking socket (timeout=0) is not supported");
    if (options.sourceAddress) this.sourceAddress = options.sourceAddress;
    this.close();
    const sock = await createConnection([this.host, this.port], {
      timeout,
      ...(this.sourceAddress ? { sourceAddress: this.sourceAddress } : {}),
    });
    this.setControl(sock);
    this.af = sock.family;
    this.welcome = await this.getresp();
    return this.welcome;
  }

  /** Makes `sock` the control connection, reading it afresh (after connect, and after TLS starts). */
  protected setControl(sock: Socket): void {
    this.sock = sock;
    this.#reader = new Reader(sock.makefile("rb"), { maxLine: this.maxline + 1 });
  }

  /** Python's `getwelcome()`: the greeting `connect()` read. */
  getwelcome(): string | null {
    if (this.debugging) this.printDebug("*welcome*", sanitize(this.welcome ?? ""));
    return this.welcome;
  }

  /**
   * Python's `set_debuglevel(level)` (also `debug`): 0 none, 1 commands and
   * replies, 2 also every raw line sent and read. Passwords are starred out.
   */
  setDebuglevel(level: number): void {
    this.debugging = level;
  }

  /** Python's `debug(level)`, the same as `setDebuglevel`. */
  debug(level: number): void {
    this.setDebuglevel(level);
  }

  /** Python's `set_pasv(val)`: passive (true, the default) or active (false) data connections. */
  setPasv(val: boolean): void {
    this.passiveserver = val;
  }

  /** Python's `sanitize(s)`: `repr(s)` with a PASS argument starred out. */
  sanitize(s: string): string {
    return sanitize(s);
  }

  /** Prints debug output to stdout, as Python's ftplib does. */
  protected printDebug(...parts: string[]): void {
    process.stdout.write(`${parts.join(" ")}\n`);
  }

  /** The control connection, or `OSError` when there is none (Python: AttributeError on None). */
  #control(): Socket {
    if (!this.sock)
      throw new OSError(undefined, "Cannot talk to the server: not connected (call connect() first)");
    return this.sock;
  }

  /**
   * Python's `putline(line)`: sends one line and CRLF.
   * @throws CommandError (a ValueError) when the line holds CR, LF or NUL, before sending;
   *   UnicodeEncodeError for text the encoding cannot hold; OSError
   */
  async putline(line: string): Promise<void> {
    if (line.includes("\r") || line.includes("\n")) {
      throw new CommandError("an illegal newline character should not be contained"); // Python's words
    }
    checkArgument(line, "command"); // and NUL
    const wire = `${line}${CRLF}`;
    if (this.debugging > 1) this.printDebug("*put*", sanitize(wire));
    const bytes = this.#codec.encode(wire, "strict");
    await this.#control().sendall(bytes);
  }

  /** Python's `putcmd(line)`: `putline`, shown at debug level 1. */
  async putcmd(line: string): Promise<void> {
    if (this.debugging) this.printDebug("*cmd*", sanitize(line));
    await this.putline(line);
  }

  #decode(bytes: Buffer): string {
    return this.#codec.decode(bytes, "strict");
  }

  #reading(): Reader {
    this.#control();
    return this.#reader!;
  }

  /**
   * The reader's errors as Python's: a line past `maxline` is
   * `Error("got more than N bytes")`, the end of the stream `EOFError`, a
   * line that is not a reply `error_proto`.
   */
  #replyError(err: unknown): unknown {
    if (!(err instanceof ProtocolError)) return err;
    switch (err.code) {
      case "ERR_TEXTPROTO_LINE_TOO_LONG":
        return new FTPError(`got more than ${this.maxline} bytes`, "ERR_FTP_LINE_TOO_LONG", { cause: err });
      case "ERR_TEXTPROTO_EOF":
        return Object.assign(new EOFError("Cannot read reply: the server closed the connection"), {
          cause: err,
        });
      case "ERR_TEXTPROTO_BAD_REPLY":
        return new error_proto(this.#decode(err.line ?? Buffer.alloc(0)), undefined, { cause: err });
      default:
        return new error_proto(err.message, undefined, { cause: err });
    }
  }

  /**
   * Python's `getline()`: one control line without its line end.
   * @throws Error (line past `maxline`), EOFError, OSError
   */
  async getline(): Promise<string> {
    let line: Buffer;
    try {
      line = await this.#reading().readLine();
    } catch (err) {
      throw this.#replyError(err);
    }
    if (this.debugging > 1) this.printDebug("*get*", sanitize(`${this.#decode(line)}${CRLF}`));
    return this.#decode(line);
  }

  /**
   * Python's `getmultiline()`: one whole reply, its lines joined by `\n`
   * (RFC 959 4.2's multi-line form: `123-First` ... `123 Last`), with no
   * check of its code.
   * @throws Error (line past `maxline`), EOFError, error_proto (not a reply, more than 1000 lines), OSError
   */
  async getmultiline(): Promise<string> {
    let rawLines: Buffer[];
    try {
      rawLines = (await this.#reading().readResponse()).rawLines;
    } catch (err) {
      throw this.#replyError(err);
    }
    const lines = rawLines.map((l) => this.#decode(l));
    if (this.debugging > 1) for (const l of lines) this.printDebug("*get*", sanitize(`${l}${CRLF}`));
    return lines.join("\n");
  }

  /**
   * Python's `getresp()`: one reply, returned when it is 1xx, 2xx or 3xx.
   * @throws error_temp (4xx), error_perm (5xx), error_proto (anything else); what `getmultiline` throws
   */
  async getresp(): Promise<string> {
    const resp = await this.getmultiline();
    if (this.debugging) this.printDebug("*resp*", sanitize(resp));
    this.lastresp = resp.slice(0, 3);
    const c = resp[0];
    if (c === "1" || c === "2" || c === "3") return resp;
    if (c === "4") throw new error_temp(resp);
    if (c === "5") throw new error_perm(resp);
    throw new error_proto(resp);
  }

  /** Python's `voidresp()`: a reply that must be 2xx. @throws error_reply for 1xx or 3xx; what `getresp` throws */
  async voidresp(): Promise<string> {
    const resp = await this.getresp();
    if (resp[0] !== "2") throw new error_reply(resp);
    return resp;
  }

  /**
   * Python's `abort()`: ABOR, for a transfer in progress. Sent in-band
   * (Node cannot send TCP urgent data, Python's MSG_OOB).
   * @returns the reply (426, 225 or 226)
   * @throws error_proto for any other reply
   */
  async abort(): Promise<string> {
    const line = `ABOR${CRLF}`;
    if (this.debugging > 1) this.printDebug("*put urgent*", sanitize(line));
    await this.#control().sendall(Buffer.from(line, "latin1"));
    const resp = await this.getmultiline();
    if (!["426", "225", "226"].includes(resp.slice(0, 3))) throw new error_proto(resp);
    return resp;
  }

  /**
   * Python's `sendcmd(cmd)`: sends a command and returns the reply.
   * @throws CommandError for CR, LF or NUL in `cmd`; what `getresp` throws
   */
  async sendcmd(cmd: string): Promise<string> {
    await this.putcmd(cmd);
    return this.getresp();
  }

  /** Python's `voidcmd(cmd)`: a command whose reply must be 2xx. @throws error_reply otherwise */
  async voidcmd(cmd: string): Promise<string> {
    await this.putcmd(cmd);
    return this.voidresp();
  }

  /** Python's `sendport(host, port)`: PORT for an IPv4 address and port. @returns the reply */
  sendport(host: string, port: number): Promise<string> {
    return this.voidcmd(`PORT ${formatPort(host, port)}`);
  }

  /**
   * Python's `sendeprt(host, port)`: EPRT (RFC 2428) for the control
   * connection's address family.
   * @throws error_proto for a family other than IPv4 and IPv6
   */
  sendeprt(host: string, port: number): Promise<string> {
    const af = this.af === AF_INET ? 1 : this.af === AF_INET6 ? 2 : 0;
    if (af === 0) throw new error_proto("unsupported address family");
    return this.voidcmd(`EPRT ${formatEprt(af, host, port)}`);
  }

  /**
   * Python's `makeport()`: a listening socket for an active-mode data
   * connection, announced with PORT (IPv4) or EPRT (IPv6). It listens on the
   * control connection's local address (Python: every interface).
   * @returns the listening socket (its `accept` honours the timeout)
   */
  async makeport(): Promise<Socket> {
    const local = String(this.#control().getsockname()[0]);
    const listener = await createServer([local, 0], { family: this.af, backlog: 1 });
    try {
      listener.settimeout(this.effectiveTimeout);
      const port = Number(listener.getsockname()[1]);
      if (this.af === AF_INET) await this.sendport(local, port);
      else await this.sendeprt(local, port);
      return listener;
    } catch (err) {
      listener.close();
      throw err;
    }
  }

  /**
   * Python's `makepasv()`: PASV (IPv4) or EPSV (IPv6), returning where to
   * open the data connection. The host a PASV reply names is ignored unless
   * `trustServerPasvIpv4Address` is set: the control connection's peer is used.
   * @returns `[host, port]`
   * @throws error_proto for a reply without an address or with a port outside 1-65535
   */
  async makepasv(): Promise<[host: string, port: number]> {
    const peer = this.#control().getpeername() as [string, number];
    let host: string;
    let port: number;
    let resp: string;
    if (this.af === AF_INET) {
      resp = await this.sendcmd("PASV");
      const [untrusted, p] = parse227(resp);
      host = this.trustServerPasvIpv4Address ? untrusted : peer[0];
      port = p;
    } else {
      resp = await this.sendcmd("EPSV");
      [host, port] = parse229(resp, peer);
    }
    if (!(Number.isInteger(port) && port >= 1 && port <= 65535)) throw new error_proto(resp);
    return [host, port];
  }

  /** Sends REST (when asked) and the transfer command; the reply must be 1xx (a 2xx before it is skipped). */
  async #startTransfer(cmd: string, rest: number | string | null | undefined): Promise<string> {
    if (rest !== undefined && rest !== null) await this.sendcmd(`REST ${rest}`);
    let resp = await this.sendcmd(cmd);
    // Some servers send a 2xx before the 1xx of LIST or STOR (Python skips it too).
    if (resp[0] === "2") resp = await this.getresp();
    if (resp[0] !== "1") throw new error_reply(resp);
    return resp;
  }

  /**
   * Takes the active-mode data connection: only from the server's host;
   * another host's connection is closed and the wait goes on (a few times).
   */
  async #acceptData(listener: Socket): Promise<Socket> {
    const serverHost = String(this.#control().getpeername()[0]);
    for (let i = 0; i < MAX_FOREIGN_CONNECTIONS; i++) {
      const [conn, addr] = await listener.accept();
      if (String((addr as [string, number])[0]) === serverHost) {
        conn.settimeout(this.effectiveTimeout);
        return conn;
      }
      conn.close();
    }
    throw new error_proto(
      `Cannot open the data connection: only connections from ${serverHost} were expected`,
    );
  }

  /**
   * Python's `ntransfercmd(cmd, rest)`: opens the data connection (passive:
   * PASV/EPSV then connect; active: PORT/EPRT then accept) and sends the
   * transfer command.
   * @param cmd the transfer command (`RETR name`, `STOR name`, `LIST`, ...)
   * @param rest sent as `REST rest` first, when given
   * @returns the data connection (close it, then read the final reply with
   *   `voidresp()`) and the size a 150 reply announced, or null
   * @throws error_reply when the command is not answered 1xx; error_temp / error_perm; OSError
   */
  async ntransfercmd(
    cmd: string,
    rest?: number | string | null,
  ): Promise<[conn: Socket, size: number | null]> {
    if (typeof rest === "string") checkArgument(rest, "REST argument");
    checkArgument(cmd, "command");
    let conn: Socket;
    let resp: string;
    if (this.passiveserver) {
      const [host, port] = await this.makepasv();
      conn = await createConnection([host, port], {
        timeout: this.effectiveTimeout,
        ...(this.sourceAddress ? { sourceAddress: this.sourceAddress } : {}),
      });
      try {
        resp = await this.#startTransfer(cmd, rest);
      } catch (err) {
        conn.close();
        throw err;
      }
    } else {
      const listener = await this.makeport();
      try {
        resp = await this.#startTransfer(cmd, rest);
        conn = await this.#acceptData(listener);
      } finally {
        listener.close();
      }
    }
    const size = resp.startsWith("150") ? parse150(resp) : null;
    return [conn, size];
  }

  /** Python's `transfercmd(cmd, rest)`: `ntransfercmd` without the size. @returns the data connection */
  async transfercmd(cmd: string, rest?: number | string | null): Promise<Socket> {
    return (await this.ntransfercmd(cmd, rest))[0];
  }

  /**
   * Ends a data connection: a TLS one is shut down both ways first, as
   * Python's `unwrap()` does (close_notify sent, the server's awaited), so an
   * upload's end is a clean TLS end and not a cut connection.
   */
  protected async finishData(conn: Socket): Promise<void> {
    if (!(conn instanceof SSLSocket)) return;
    conn.shutdown(SHUT_WR);
    // Wait for the server's close_notify (its end of the stream), within the timeout.
    while ((await conn.recv(65536)).length > 0) {
      // Bytes after a download's end are not expected; they are dropped.
    }
  }

  /**
   * Python's `login(user, passwd, acct)`: USER, then PASS and ACCT as the
   * server asks. With no user (or `anonymous` and no password) it logs in
   * as `anonymous` with the password `anonymous@`.
   * @returns the final reply
   * @throws error_reply when the final reply is not 2xx; error_perm for a refused login
   */
  async login(user = "", passwd = "", acct = ""): Promise<string> {
    if (!user) user = "anonymous";
    if (user === "anonymous" && (passwd === "" || passwd === "-")) {
      // Python sends only "anonymous@": nothing that names the user or the host.
      passwd = `${passwd}anonymous@`;
    }
    let resp = await this.sendcmd(`USER ${user}`);
    if (resp[0] === "3") resp = await this.sendcmd(`PASS ${passwd}`);
    if (resp[0] === "3") resp = await this.sendcmd(`ACCT ${acct}`);
    if (resp[0] !== "2") throw new error_reply(resp);
    return resp;
  }

  /**
   * Python's `retrbinary(cmd, callback, blocksize, rest)`: TYPE I, then the
   * command (`RETR name`), calling `callback` with each block read.
   * @returns the final reply (226)
   * @throws TimeoutError when the data connection is silent for `timeout`
   *   seconds; error_perm (550 no such file, ...); what `ntransfercmd` throws
   */
  async retrbinary(cmd: string, callback: DataCallback, options: RetrbinaryOptions = {}): Promise<string> {
    const blocksize = checkBlocksize(options.blocksize ?? 8192);
    await this.voidcmd("TYPE I");
    const conn = await this.transfercmd(cmd, options.rest);
    try {
      for (;;) {
        const data = await conn.recv(blocksize);
        if (data.length === 0) break;
        const pending = callMaybeAsync(callback, data);
        if (pending) await pending;
      }
      await this.finishData(conn);
    } finally {
      conn.close();
    }
    return this.voidresp();
  }

  /**
   * Python's `retrlines(cmd, callback)`: TYPE A, then the command (`RETR
   * name`, `LIST`, `NLST`), calling `callback` with each line without its
   * line end (CRLF, LF or CR, as Python's text mode reads them).
   * @param callback @default print_line (stdout)
   * @returns the final reply
   * @throws Error ("got more than 8192 bytes") for a line past `maxline`,
   *   read no further (memory stays bounded); TimeoutError; UnicodeDecodeError
   *   for a line the encoding cannot decode; what `ntransfercmd` throws
   */
  async retrlines(cmd: string, callback: LineCallback = print_line): Promise<string> {
    await this.sendcmd("TYPE A");
    const conn = await this.transfercmd(cmd);
    try {
      const reader = new Reader(conn.makefile("rb"), { maxLine: this.maxline + 1 });
      for (;;) {
        let raw: Buffer;
        try {
          raw = await reader.readLineRaw();
        } catch (err) {
          throw this.#replyError(err);
        }
        if (raw.length === 0) break;
        if (this.debugging > 2) this.printDebug("*retr*", reprBytes(raw));
        for (const line of splitTextLines(raw)) {
          const pending = callMaybeAsync(callback, this.#decode(line));
          if (pending) await pending;
        }
      }
      await this.finishData(conn);
    } finally {
      conn.close();
    }
    return this.voidresp();
  }

  /**
   * Python's `storbinary(cmd, fp, blocksize, callback, rest)`: TYPE I, then
   * the command (`STOR name`), sending `fp` block by block.
   * @param fp the file: bytes, an (async) iterable of chunks, or `read(n)`
   * @returns the final reply
   * @throws ValueError for an `fp` it cannot read; what `ntransfercmd` throws
   */
  async storbinary(cmd: string, fp: UploadSource, options: StorbinaryOptions = {}): Promise<string> {
    const blocksize = checkBlocksize(options.blocksize ?? 8192);
    const source = uploadReader(fp);
    await this.voidcmd("TYPE I");
    const conn = await this.transfercmd(cmd, options.rest);
    try {
      for (;;) {
        const buf = asBuffer(await source.read(blocksize));
        if (buf.length === 0) break;
        await conn.sendall(buf);
        if (options.callback) await options.callback(buf);
      }
      await this.finishData(conn);
    } finally {
      conn.close();
    }
    return this.voidresp();
  }

  /**
   * Python's `storlines(cmd, fp, callback)`: TYPE A, then the command,
   * sending `fp` line by line, each ended with CRLF.
   * @param fp the file: bytes, an (async) iterable of chunks, or `readline(limit)`
   * @returns the final reply
   * @throws Error ("got more than 8192 bytes") for a line past `maxline`; what `ntransfercmd` throws
   */
  async storlines(cmd: string, fp: UploadSource, options: StorlinesOptions = {}): Promise<string> {
    const source = uploadReader(fp);
    await this.voidcmd("TYPE A");
    const conn = await this.transfercmd(cmd);
    try {
      for (;;) {
        let buf = asBuffer(await source.readline(this.maxline + 1));
        if (buf.length > this.maxline)
          throw new FTPError(`got more than ${this.maxline} bytes`, "ERR_FTP_LINE_TOO_LONG");
        if (buf.length === 0) break;
        const n = buf.length;
        if (!(n >= 2 && buf[n - 2] === 0x0d && buf[n - 1] === 0x0a)) {
          if (buf[n - 1] === 0x0d || buf[n - 1] === 0x0a) buf = buf.subarray(0, n - 1);
          buf = Buffer.concat([buf, B_CRLF]);
        }
        await conn.sendall(buf);
        if (options.callback) await options.callback(buf);
      }
      await this.finishData(conn);
    } finally {
      conn.close();
    }
    return this.voidresp();
  }

  /** Python's `acct(password)`: ACCT. @returns the reply */
  acct(password: string): Promise<string> {
    return this.voidcmd(`ACCT ${password}`);
  }

  /**
   * Python's `nlst(*args)`: NLST, the names in a directory.
   * @param args the directory (and any options the server takes) @default the current directory
   * @returns the names, one per line of the listing
   */
  async nlst(...args: string[]): Promise<string[]> {
    const files: string[] = [];
    await this.retrlines(["NLST", ...args].join(" "), (line) => {
      files.push(line);
    });
    return files;
  }

  /**
   * Python's `dir(*args)`: LIST, a directory in long form. A function as
   * the last argument gets each line; without one the lines are printed.
   * Empty arguments are skipped.
   * @returns the final reply (Python returns None)
   */
  async dir(...args: Array<string | LineCallback>): Promise<string> {
    let callback: LineCallback | undefined;
    const last = args[args.length - 1];
    if (typeof last === "function") {
      callback = last;
      args = args.slice(0, -1);
    }
    const words = ["LIST", ...(args as string[]).filter((a) => a)];
    return this.retrlines(words.join(" "), callback);
  }

  /**
   * Python's `mlsd(path, facts)`: MLSD (RFC 3659 7), a directory in a
   * standard machine-readable form. With `facts`, asks for those first (`OPTS MLST`).
   * @param path the directory @default the current one
   * @param facts the facts wanted (`["type", "size", "modify"]`) @default the server's choice
   * @returns `[name, facts]` for each entry, fact names lower case (Python yields them)
   */
  async mlsd(path = "", facts: readonly string[] = []): Promise<MlsdEntry[]> {
    if (facts.length > 0) await this.sendcmd(`OPTS MLST ${facts.join(";")};`);
    const lines: string[] = [];
    await this.retrlines(path ? `MLSD ${path}` : "MLSD", (line) => {
      lines.push(line);
    });
    return lines.map(parseMlsdLine);
  }

  /** Python's `rename(fromname, toname)`: RNFR, RNTO. @returns the reply @throws error_reply unless RNFR gets 3xx */
  async rename(fromname: string, toname: string): Promise<string> {
    const resp = await this.sendcmd(`RNFR ${fromname}`);
    if (resp[0] !== "3") throw new error_reply(resp);
    return this.voidcmd(`RNTO ${toname}`);
  }

  /** Python's `delete(filename)`: DELE. @returns the reply @throws error_reply unless 250 or 200 */
  async delete(filename: string): Promise<string> {
    const resp = await this.sendcmd(`DELE ${filename}`);
    const code = resp.slice(0, 3);
    if (code === "250" || code === "200") return resp;
    throw new error_reply(resp);
  }

  /**
   * Python's `cwd(dirname)`: CWD (`..` tries CDUP first; `""` is `.`).
   * @returns the reply
   */
  async cwd(dirname: string): Promise<string> {
    if (dirname === "..") {
      try {
        return await this.voidcmd("CDUP");
      } catch (err) {
        if (!(err instanceof error_perm) || err.resp.slice(0, 3) !== "500") throw err;
      }
    } else if (dirname === "") {
      dirname = ".";
    }
    return this.voidcmd(`CWD ${dirname}`);
  }

  /**
   * Python's `size(filename)`: SIZE (RFC 3659 4).
   * @returns the size, or null when the reply is not 213
   * @throws ValueError when the 213 reply holds no number
   */
  async size(filename: string): Promise<number | null> {
    const resp = await this.sendcmd(`SIZE ${filename}`);
    if (resp.slice(0, 3) !== "213") return null;
    return pyIntOrThrow(pyStrip(resp.slice(3)));
  }

  /** Python's `mkd(dirname)`: MKD. @returns the new directory's path ("" when the server does not say) */
  async mkd(dirname: string): Promise<string> {
    const resp = await this.voidcmd(`MKD ${dirname}`);
    return resp.startsWith("257") ? parse257(resp) : "";
  }

  /** Python's `rmd(dirname)`: RMD. @returns the reply */
  rmd(dirname: string): Promise<string> {
    return this.voidcmd(`RMD ${dirname}`);
  }

  /** Python's `pwd()`: PWD. @returns the current directory ("" when the server does not say) */
  async pwd(): Promise<string> {
    const resp = await this.voidcmd("PWD");
    return resp.startsWith("257") ? parse257(resp) : "";
  }

  /** Python's `quit()`: QUIT, then close. @returns the reply */
  async quit(): Promise<string> {
    const resp = await this.voidcmd("QUIT");
    this.close();
    return resp;
  }

  /** Python's `close()`: closes the control connection, sending nothing. Closing twice is harmless. */
  close(): void {
    this.#reader = null;
    const sock = this.sock;
    this.sock = null;
    sock?.close();
  }

  /**
   * Python's `__exit__`: QUIT (a connection already gone is fine) and close.
   * @throws error_temp / error_perm / error_reply when QUIT is refused (after closing)
   */
  async [Symbol.asyncDispose](): Promise<void> {
    if (this.sock === null) return;
    try {
      await this.quit();
    } catch (err) {
      if (!(err instanceof OSError || err instanceof EOFError)) throw err;
    } finally {
      this.close();
    }
  }
}

/** Checks a block size: a positive integer. */
function checkBlocksize(blocksize: number): number {
  if (!(Number.isSafeInteger(blocksize) && blocksize > 0)) {
    throw new ValueError(`Cannot use blocksize ${blocksize}: must be a positive integer`);
  }
  return blocksize;
}

/**
 * The lines of one raw listing line as Python's text mode reads them
 * (universal newlines): the line end (CRLF, LF, or a CR at the end of the
 * stream) removed, and every bare CR inside ending a line too.
 */
export function splitTextLines(raw: Buffer): Buffer[] {
  let end = raw.length;
  if (end > 0 && raw[end - 1] === 0x0a) end--;
  if (end > 0 && raw[end - 1] === 0x0d) end--;
  const body = raw.subarray(0, end);
  if (!body.includes(0x0d)) return [body];
  const lines: Buffer[] = [];
  let start = 0;
  for (let i = body.indexOf(0x0d); i >= 0; i = body.indexOf(0x0d, start)) {
    lines.push(body.subarray(start, i));
    start = i + 1;
  }
  lines.push(body.subarray(start));
  return lines;
}
