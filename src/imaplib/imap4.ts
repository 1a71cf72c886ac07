/**
 * Python's `imaplib.IMAP4`: an IMAP4rev1 client (RFC 3501) with Python
 * 3.11's commands, results and exceptions, plus IDLE (RFC 2177), which
 * Python 3.11 lacks. Lines are read by `netkit/textproto`'s `Reader`,
 * literals by length from the buffered reader beneath it; `parse.ts` says
 * what each line is.
 *
 * ```text
 *   open ─▶ greeting (OK: NONAUTH, PREAUTH: AUTH) ─▶ CAPABILITY
 *     NONAUTH ── login / authenticate / login_cram_md5 ──▶ AUTH
 *     AUTH ── select / examine ──▶ SELECTED ── close / unselect ──▶ AUTH
 *     any ── logout ──▶ LOGOUT
 *
 *   one command:  TAG NAME args [{n}] ─▶ (+ ─▶ literal)* ─▶ untagged* ─▶ TAG OK|NO|BAD text
 *   untagged responses pile up in untaggedResponses by type until a method
 *   (or response()) takes them.
 * ```
 *
 * Every command returns Python's `[typ, data]`: `typ` is `"OK"` or `"NO"`
 * (BAD throws `IMAP4.error`), `data` a list whose items are the response's
 * bytes, or `[header, literal]` pairs for responses that carried a literal,
 * or `null` when the response asked for did not come.
 *
 * Methods for the caller: one per IMAP command (Python's names, camelCase:
 * `loginCramMd5`, `getquotaroot`), `uid`, `xatom`, `simpleCommand` (Python's
 * `_simple_command`, for MOVE and other extensions), `response`, `recent`,
 * `idle`, `socket`, `setDebuglevel`-like `debug`. Methods for subclasses
 * (Python's overridable ones): `open`, `read`, `readline`, `send`,
 * `shutdown` (`IMAP4_SSL` and `IMAP4_stream` override them).
 *
 * Where netkit differs from Python 3.11, on purpose:
 * - Limits: a literal past `maxLiteral` (64 MiB by default) and a command's
 *   untagged responses past `maxResponseBytes` (256 MiB) raise
 *   `IMAP4.abort` before the memory is spent; Python reads any literal the
 *   server announces (`{1099511627776}`) and keeps every untagged response.
 *   A line past 1,000,000 bytes (Python's `_MAXLINE`) raises `IMAP4.abort`
 *   (Python: `IMAP4.error`), since the rest of the line is still unread.
 * - A socket error or timeout while reading raises `IMAP4.abort` with a
 *   code (`ERR_IMAP_TIMEOUT`, `ERR_IMAP_SOCKET`) and the socket error as
 *   `cause` (Python lets a read's `OSError` through; a send's it wraps).
 * - A command argument holding CR, LF or NUL raises `CommandError` (a
 *   ValueError) before anything is sent (Python sends it, so an argument
 *   can smuggle a second command).
 * - `starttls()` and `IMAP4_SSL` verify the server's certificate and host
 *   name by default (Python's default context verifies nothing); bytes the
 *   server sent before the handshake are dropped.
 * - `append()` also takes text (sent as UTF-8); Python takes bytes only.
 * - `xatom(name)` allows an unknown command in the current state for this
 *   connection only (Python adds it to the module's `Commands` for all).
 * - One command at a time: a command started before the last one finished
 *   throws `IMAP4.error` with code `ERR_IMAP_BUSY` (Python is synchronous,
 *   so it never meets this).
 * - The constructor never connects: `await IMAP4.open(host)` is Python's
 *   `IMAP4(host)`.
 *
 * @module
 */

import { asBuffer } from "../_buffer.js";
import { ASCII_CODEC } from "../_codecs.js";
import { pyRepr, reprBytes } from "../_pyrepr.js";
import { OSError, TimeoutError, ValueError } from "../errors/index.js";
import { IncompleteReadError } from "../io/errors.js";
import type { BufferedReader } from "../io/reader.js";
import { createConnection } from "../socket/create.js";
import type { Socket } from "../socket/socket.js";
import { createDefaultContext, type SSLContext } from "../socket/tls.js";
import { checkArgument, ProtocolError, Reader } from "../textproto/index.js";
import { type Authenticator, authenticatorStep, cramMd5 } from "./auth.js";
import { IMAP4Abort, IMAP4Error, IMAP4Readonly } from "./errors.js";
import { Int2AP, type InternalDateInput, Time2Internaldate } from "./helpers.js";
import { IMAP_LIMITS, RESPONSE_OVERHEAD } from "./limits.js";
import { literalSize, parseResponseCode, parseResponseLine } from "./parse.js";

/** Python's `imaplib.IMAP4_PORT`. */
export const IMAP4_PORT = 143;
/** Python's `imaplib.IMAP4_SSL_PORT`. */
export const IMAP4_SSL_PORT = 993;
/** Python's `imaplib.CRLF`. */
export const CRLF = Buffer.from("\r\n");
/** Python's `AllowedVersions`: the CAPABILITY names of a server imaplib talks to, newest first. */
export const AllowedVersions = ["IMAP4REV1", "IMAP4"] as const;

/** A connection state: Python's `state`. */
export type IMAP4State = "LOGOUT" | "NONAUTH" | "AUTH" | "SELECTED";

/**
 * Python's `Commands`: each command and the states it is allowed in. A
 * command is refused (`IMAP4.error`) before sending in any other state.
 */
export const Commands: Readonly<Record<string, readonly IMAP4State[]>> = Object.freeze({
  APPEND: ["AUTH", "SELECTED"],
  AUTHENTICATE: ["NONAUTH"],
  CAPABILITY: ["NONAUTH", "AUTH", "SELECTED", "LOGOUT"],
  CHECK: ["SELECTED"],
  CLOSE: ["SELECTED"],
  COPY: ["SELECTED"],
  CREATE: ["AUTH", "SELECTED"],
  DELETE: ["AUTH", "SELECTED"],
  DELETEACL: ["AUTH", "SELECTED"],
  ENABLE: ["AUTH"],
  EXAMINE: ["AUTH", "SELECTED"],
  EXPUNGE: ["SELECTED"],
  FETCH: ["SELECTED"],
  GETACL: ["AUTH", "SELECTED"],
  GETANNOTATION: ["AUTH", "SELECTED"],
  GETQUOTA: ["AUTH", "SELECTED"],
  GETQUOTAROOT: ["AUTH", "SELECTED"],
  MYRIGHTS: ["AUTH", "SELECTED"],
  LIST: ["AUTH", "SELECTED"],
  LOGIN: ["NONAUTH"],
  LOGOUT: ["NONAUTH", "AUTH", "SELECTED", "LOGOUT"],
  LSUB: ["AUTH", "SELECTED"],
  MOVE: ["SELECTED"],
  NAMESPACE: ["AUTH", "SELECTED"],
  NOOP: ["NONAUTH", "AUTH", "SELECTED", "LOGOUT"],
  PARTIAL: ["SELECTED"],
  PROXYAUTH: ["AUTH"],
  RENAME: ["AUTH", "SELECTED"],
  SEARCH: ["SELECTED"],
  SELECT: ["AUTH", "SELECTED"],
  SETACL: ["AUTH", "SELECTED"],
  SETANNOTATION: ["AUTH", "SELECTED"],
  SETQUOTA: ["AUTH", "SELECTED"],
  SORT: ["SELECTED"],
  STARTTLS: ["NONAUTH"],
  STATUS: ["AUTH", "SELECTED"],
  STORE: ["SELECTED"],
  SUBSCRIBE: ["AUTH", "SELECTED"],
  THREAD: ["SELECTED"],
  UID: ["SELECTED"],
  UNSUBSCRIBE: ["AUTH", "SELECTED"],
  UNSELECT: ["SELECTED"],
});

/** The states IDLE is allowed in (Python 3.14's `Commands['IDLE']`). */
const IDLE_STATES: readonly IMAP4State[] = ["AUTH", "SELECTED"];

/**
 * One item of a result's data: a response's bytes, a `[header, literal]`
 * pair for a response that carried a literal (Python's tuple), or `null`
 * when the response asked for never came.
 */
export type IMAPDatum = Buffer | [header: Buffer, literal: Buffer] | null;

/** Python's `(typ, [data, ...])`. */
export type IMAPResult = [typ: string, data: IMAPDatum[]];

/** A command argument: text (ASCII, or UTF-8 after `enable("UTF8=ACCEPT")`) or bytes; `null` is left out. */
export type IMAPArg = string | Uint8Array | null | undefined;

/** Options for `IMAP4` (Python's keyword arguments, and netkit's limits). */
export interface IMAP4Options {
  /**
   * Seconds for connecting and for every read and write after (`null`: no limit).
   * @default getdefaulttimeout() (Python's global default)
   */
  timeout?: number | null;
  /** Longest response line, CRLF included. @default 1000000 (Python's `_MAXLINE`) */
  maxLine?: number;
  /** Largest literal. @default 67108864 (64 MiB) */
  maxLiteral?: number;
  /** Most bytes of one command's untagged responses (64 bytes added per response). @default 268435456 (256 MiB) */
  maxResponseBytes?: number;
}

/** Options for `idle()`. */
export interface IdleOptions {
  /**
   * Seconds to stay in IDLE before sending DONE; the iteration then ends
   * with the server's answer. `null`: until the loop stops (a `break`
   * sends DONE). RFC 2177 asks clients to re-issue IDLE at least every
   * 29 minutes.
   * @default null
   */
  duration?: number | null;
}

/** The literal of the next command: bytes to upload, or AUTHENTICATE's exchange. */
type Literal = Buffer | ((continuation: Buffer | null) => Promise<Buffer>);

/** Where `#getResponse` files untagged responses: the connection's map, or IDLE's per-response one. */
type UntaggedSink = Map<string, IMAPDatum[]>;

const MAP_CRLF_CR = 0x0d;
const MAP_CRLF_LF = 0x0a;

/** Python's `MapCRLF.sub(CRLF, message)`: every CR, LF and CRLF becomes CRLF (no copy when there is nothing to change). */
export function mapCRLF(message: Uint8Array): Buffer {
  const src = asBuffer(message);
  let bare = false;
  for (let i = src.indexOf(MAP_CRLF_LF); i !== -1; i = src.indexOf(MAP_CRLF_LF, i + 1)) {
    if (i === 0 || src[i - 1] !== MAP_CRLF_CR) {
      bare = true;
      break;
    }
  }
  if (!bare) {
    for (let i = src.indexOf(MAP_CRLF_CR); i !== -1; i = src.indexOf(MAP_CRLF_CR, i + 1)) {
      if (src[i + 1] !== MAP_CRLF_LF) {
        bare = true;
        break;
      }
    }
  }
  if (!bare) return src;
  const out: number[] = [];
  for (let i = 0; i < src.length; i++) {
    const b = src[i] as number;
    if (b === MAP_CRLF_CR) {
      out.push(MAP_CRLF_CR, MAP_CRLF_LF);
      if (src[i + 1] === MAP_CRLF_LF) i++;
    } else if (b === MAP_CRLF_LF) out.push(MAP_CRLF_CR, MAP_CRLF_LF);
    else out.push(b);
  }
  return Buffer.from(out);
}

/**
 * Python's `imaplib.IMAP4`: a connection to an IMAP4rev1 server.
 *
 * The module documentation (`netkit/imaplib`) shows a whole session.
 */
export class IMAP4 {
  /** Python's `IMAP4.error`. */
  static readonly error = IMAP4Error;
  /** Python's `IMAP4.abort`. */
  static readonly abort = IMAP4Abort;
  /** Python's `IMAP4.readonly`. */
  static readonly readonly = IMAP4Readonly;
  /** The port `open()` uses when none is given. @default 143 */
  static defaultPort = IMAP4_PORT;

  /** Debug output to stderr (Python's `debug`): 1 errors and NO/BAD/BYE, 4 every line, 5 every match. */
  debug = 0;
  /** Python's `state`. */
  state: IMAP4State = "LOGOUT";
  /** Python's `untagged_responses`: untagged data by response type, oldest first. */
  untaggedResponses = new Map<string, IMAPDatum[]>();
  /** Python's `tagged_commands`: the commands awaiting their completion, by tag. */
  taggedCommands = new Map<string, IMAPResult | null>();
  /** Python's `continuation_response`: the text of the last `+` (`null` for a bare `+`). */
  continuationResponse: Buffer | null = Buffer.alloc(0);
  /** Python's `is_readonly`: whether the selected mailbox was asked for read-only. */
  isReadonly = false;
  /** Python's `tagnum`: the next tag's number. */
  tagnum = 0;
  /** Python's `tagpre`: this session's tag prefix (four letters A-P). */
  tagpre = "";
  /** Python's `capabilities`: the server's capability names, upper case. */
  capabilities: string[] = [];
  /** Python's `welcome`: the greeting line. */
  welcome: Buffer = Buffer.alloc(0);
  /** Python's `PROTOCOL_VERSION`: `"IMAP4REV1"` or `"IMAP4"`. */
  PROTOCOL_VERSION = "";
  /** Python's `utf8_enabled`: after `enable("UTF8=ACCEPT")`, commands are UTF-8. */
  utf8Enabled = false;
  /** The host `open()` connected to (and `starttls()` checks the certificate against). */
  host: string;
  /** The port `open()` connected to. */
  port: number;
  /** The connection, or `null` (closed, or `IMAP4_stream`). */
  sock: Socket | null = null;
  /** Python's `user`, set by `loginCramMd5`. */
  user = "";
  /** Python's `password`, set by `loginCramMd5`. */
  password = "";
  /** Seconds for every network call (`null`: none; `undefined`: the global default). */
  timeout: number | null | undefined;
  /** The longest response line in force, CRLF included. */
  readonly maxLine: number;
  /** The largest literal in force. */
  readonly maxLiteral: number;
  /** The bound on one command's untagged responses in force. */
  readonly maxResponseBytes: number;

  /** Lines are read through this (`open()` sets it). */
  protected reader: Reader | null = null;
  #literal: Literal | null = null;
  #tlsEstablished = false;
  #busy = false;
  #responseBytes = 0;
  #extraCommands = new Map<string, readonly IMAP4State[]>();
  /** The last lines sent (`>`) and received (`<`), formatted only when printed. */
  #log: [dir: string, line: Buffer, secs: number][] = [];

  /**
   * Python's `IMAP4(host, port, timeout)`, without connecting: `open()`
   * and the greeting are `IMAP4.open()`'s job.
   * @param host the server (empty: localhost)
   * @param port its port (0: the class's `defaultPort`)
   */
  constructor(host = "", port = 0, options: IMAP4Options = {}) {
    this.host = host;
    this.port = port;
    this.timeout = options.timeout;
    this.maxLine = options.maxLine ?? IMAP_LIMITS.maxLine;
    this.maxLiteral = options.maxLiteral ?? IMAP_LIMITS.maxLiteral;
    this.maxResponseBytes = options.maxResponseBytes ?? IMAP_LIMITS.maxResponseBytes;
    for (const [name, value] of [
      ["maxLine", this.maxLine],
      ["maxLiteral", this.maxLiteral],
      ["maxResponseBytes", this.maxResponseBytes],
    ] as const) {
      if (!(value >= 1))
        throw new ValueError(`Cannot create IMAP4 with ${name} ${value}: must be at least 1`);
    }
  }

  /**
   * Python's `IMAP4(host, port, timeout=...)`: connects, reads the greeting
   * and the capabilities. Called on a subclass (`IMAP4_SSL.open`), makes one of it.
   * @param host the server (empty: localhost)
   * @param port its port (0: the class's `defaultPort`)
   * @param options timeout and limits
   * @returns the connected client, in state NONAUTH (or AUTH after PREAUTH)
   * @throws IMAP4.error when the greeting is neither OK nor PREAUTH, or the
   *   server is not IMAP4rev1; IMAP4.abort; OSError when the connection fails
   */
  static async open<T extends IMAP4, O extends IMAP4Options>(
    this: new (
      ...args: never[]
    ) => T,
    host = "",
    port = 0,
    options: O = {} as O,
  ): Promise<T> {
    // Made as the class it is called on (IMAP4_SSL.open makes an IMAP4_SSL, a user's subclass itself).
    const Client = this as unknown as new (host: string, port: number, options: O) => T;
    const imap = new Client(host, port, options);
    await imap.start();
    return imap;
  }

  /**
   * Python's `__init__` after the fields: `open()`, then the greeting and
   * CAPABILITY (Python's `_connect`); the connection is shut if either fails.
   */
  async start(): Promise<void> {
    const port = this.port || (this.constructor as typeof IMAP4).defaultPort;
    await this.open(this.host, port, this.timeout);
    try {
      await this.#connect();
    } catch (err) {
      try {
        await this.shutdown();
      } catch {
        // Python ignores an OSError from shutdown here; the first error is the one to see.
      }
      throw err;
    }
  }

  async #connect(): Promise<void> {
    this.tagpre = Int2AP(4096 + Math.floor(Math.random() * (65535 - 4096 + 1))).toString("latin1");
    if (this.debug >= 1) this.#mesg(`new IMAP4 connection, tag=${this.tagpre}`);
    this.welcome = (await this.#getResponse()) ?? Buffer.alloc(0);
    if (this.untaggedResponses.has("PREAUTH")) this.state = "AUTH";
    else if (this.untaggedResponses.has("OK")) this.state = "NONAUTH";
    else throw new IMAP4Error(reprBytes(this.welcome));
    await this.#getCapabilities();
    if (this.debug >= 3) this.#mesg(`CAPABILITIES: ${pyRepr(this.capabilities)}`);
    for (const version of AllowedVersions) {
      if (this.capabilities.includes(version)) {
        this.PROTOCOL_VERSION = version;
        return;
      }
    }
    throw new IMAP4Error("server not IMAP4 compliant");
  }

  //     Overridable transport (Python's open, read, readline, send, shutdown, socket)

  /**
   * Python's `open(host, port, timeout)`: makes the connection that `read`,
   * `readline`, `send` and `shutdown` use.
   * @throws ValueError for `timeout: 0`; OSError when the connection fails
   */
  async open(host: string, port: number, timeout: number | null | undefined): Promise<void> {
    if (timeout === 0) throw new ValueError("Non-blocking socket (timeout=0) is not supported");
    this.host = host;
    this.port = port;
    this.sock = await this.createSocket(timeout);
    this.reader = new Reader(this.sock.makefile("rb"), { maxLine: this.maxLine });
  }

  /** Python's `_create_socket(timeout)`: the TCP connection (`IMAP4_SSL` adds TLS). */
  protected createSocket(timeout: number | null | undefined): Promise<Socket> {
    return createConnection([this.host || "localhost", this.port], timeout === undefined ? {} : { timeout });
  }

  /**
   * Python's `read(size)`: exactly `size` bytes (a literal).
   * @throws IMAP4.abort `ERR_IMAP_EOF` when the connection ends first; others as `readline`
   */
  async read(size: number): Promise<Buffer> {
    const buffered = this.#buffered();
    try {
      return await buffered.readexactly(size);
    } catch (err) {
      if (err instanceof IncompleteReadError) {
        throw new IMAP4Abort("socket error: EOF", { code: "ERR_IMAP_EOF", cause: err });
      }
      throw this.#ioError(err);
    }
  }

  /**
   * Python's `readline()`: the next line, CRLF included (empty at the end of the stream).
   * @throws IMAP4.abort `ERR_IMAP_LINE_TOO_LONG` past `maxLine` bytes,
   *   `ERR_IMAP_TIMEOUT`, `ERR_IMAP_SOCKET`
   */
  async readline(): Promise<Buffer> {
    const reader = this.reader;
    if (reader === null) throw new IMAP4Abort("socket error: not connected", { code: "ERR_IMAP_SOCKET" });
    try {
      return await reader.readLineRaw(this.maxLine);
    } catch (err) {
      throw this.#readlineError(err);
    }
  }

  /** What `readline` throws for what the reader threw. */
  #readlineError(err: unknown): unknown {
    if (err instanceof ProtocolError && err.code === "ERR_TEXTPROTO_LINE_TOO_LONG") {
      return new IMAP4Abort(`got more than ${this.maxLine} bytes`, {
        code: "ERR_IMAP_LINE_TOO_LONG",
        cause: err,
      });
    }
    return this.#ioError(err);
  }

  /**
   * `readline()` without waiting, when the line is already buffered:
   * `undefined` when it is not, or when a subclass reads its own way (it
   * overrides `readline`), and the caller awaits `readline()`. A response
   * that came in one read (a FETCH: its line, literal, tail and completion)
   * is then read without a promise per line.
   */
  #readlineNow(): Buffer | undefined {
    const reader = this.reader;
    if (reader === null || this.readline !== IMAP4.prototype.readline) return undefined;
    try {
      return reader.readLineRawNow(this.maxLine);
    } catch (err) {
      throw this.#readlineError(err);
    }
  }

  /**
   * Python's `send(data)`: writes the bytes.
   * @throws IMAP4.abort `ERR_IMAP_SOCKET`/`ERR_IMAP_TIMEOUT` when the write fails
   */
  async send(data: Uint8Array): Promise<void> {
    const sock = this.sock;
    if (sock === null) throw new IMAP4Abort("socket error: not connected", { code: "ERR_IMAP_SOCKET" });
    try {
      await sock.sendall(data);
    } catch (err) {
      throw this.#ioError(err);
    }
  }

  /** Python's `shutdown()`: closes the connection. */
  async shutdown(): Promise<void> {
    this.reader = null;
    const sock = this.sock;
    if (sock === null) return;
    this.sock = null;
    sock.close();
  }

  /** Python's `socket()`: the connection's socket. */
  socket(): Socket | null {
    return this.sock;
  }

  #buffered(): BufferedReader {
    if (this.reader === null)
      throw new IMAP4Abort("socket error: not connected", { code: "ERR_IMAP_SOCKET" });
    return this.reader.buffered;
  }

  /** A transport error as Python's `abort('socket error: ...')`, with a code. */
  #ioError(err: unknown): unknown {
    if (err instanceof IMAP4Error) return err;
    if (err instanceof TimeoutError) {
      return new IMAP4Abort("socket error: timed out", { code: "ERR_IMAP_TIMEOUT", cause: err });
    }
    if (err instanceof OSError) {
      return new IMAP4Abort(`socket error: ${err.message}`, { code: "ERR_IMAP_SOCKET", cause: err });
    }
    return err;
  }

  //     Utility methods

  /**
   * Python's `recent()`: the RECENT responses received, else a NOOP and its RECENT responses.
   * @returns `[typ, data]`; data `[null]` when there are none
   */
  async recent(): Promise<IMAPResult> {
    const name = "RECENT";
    const [typ, dat] = this.#untaggedResponse("OK", [null], name);
    if (dat.at(-1)) return [typ, dat];
    const [typ2, dat2] = await this.noop();
    return this.#untaggedResponse(typ2, dat2, name);
  }

  /**
   * Python's `response(code)`: the data of the untagged responses of type
   * `code` received so far (taken: they are forgotten).
   * @returns `[code, data]`; data `[null]` when none came
   */
  response(code: string): IMAPResult {
    return this.#untaggedResponse(code, [null], code.toUpperCase());
  }

  //     IMAP4 commands

  /**
   * Python's `append(mailbox, flags, date_time, message)`: uploads a message
   * (as a literal, every line end made CRLF).
   * @param mailbox the mailbox (empty or null: INBOX)
   * @param flags flags, with or without their parentheses (`"\\Seen"`), or null
   * @param dateTime the INTERNALDATE to give it (see `Time2Internaldate`), or null
   * @param message the message: bytes, or text sent as UTF-8
   */
  append(
    mailbox: string | null,
    flags: string | null,
    dateTime: InternalDateInput | null,
    message: Uint8Array | string,
  ): Promise<IMAPResult> {
    let f: string | null = null;
    if (flags) f = flags[0] === "(" && flags.at(-1) === ")" ? flags : `(${flags})`;
    const date = dateTime ? Time2Internaldate(dateTime) : null;
    let literal = mapCRLF(typeof message === "string" ? Buffer.from(message, "utf8") : message);
    if (this.utf8Enabled) literal = Buffer.concat([Buffer.from("UTF8 ("), literal, Buffer.from(")")]);
    this.#literal = literal;
    return this.simpleCommand("APPEND", mailbox || "INBOX", f, date);
  }

  /**
   * Python's `authenticate(mechanism, authobject)`: AUTHENTICATE, the
   * exchange driven by `authobject` (called with each decoded challenge).
   * @throws IMAP4.error when the server refuses (its text as the message)
   */
  async authenticate(mechanism: string, authobject: Authenticator): Promise<IMAPResult> {
    const mech = mechanism.toUpperCase();
    this.#literal = (continuation) => authenticatorStep(authobject, continuation);
    const [typ, dat] = await this.simpleCommand("AUTHENTICATE", mech);
    if (typ !== "OK") throw new IMAP4Error(datumText(dat.at(-1)));
    this.state = "AUTH";
    return [typ, dat];
  }

  /** Python's `capability()`: CAPABILITY. @returns `[typ, [capabilities]]` */
  async capability(): Promise<IMAPResult> {
    const name = "CAPABILITY";
    const [typ, dat] = await this.simpleCommand(name);
    return this.#untaggedResponse(typ, dat, name);
  }

  /** Python's `check()`: CHECK. */
  check(): Promise<IMAPResult> {
    return this.simpleCommand("CHECK");
  }

  /** Python's `close()`: CLOSE (expunges and leaves the mailbox); the state is AUTH afterwards, even on error. */
  async close(): Promise<IMAPResult> {
    try {
      return await this.simpleCommand("CLOSE");
    } finally {
      this.state = "AUTH";
    }
  }

  /** Python's `copy(message_set, new_mailbox)`: COPY. */
  copy(messageSet: string, newMailbox: string): Promise<IMAPResult> {
    return this.simpleCommand("COPY", messageSet, newMailbox);
  }

  /** Python's `create(mailbox)`: CREATE. */
  create(mailbox: string): Promise<IMAPResult> {
    return this.simpleCommand("CREATE", mailbox);
  }

  /** Python's `delete(mailbox)`: DELETE. */
  delete(mailbox: string): Promise<IMAPResult> {
    return this.simpleCommand("DELETE", mailbox);
  }

  /** Python's `deleteacl(mailbox, who)`: DELETEACL (RFC 4314). */
  deleteacl(mailbox: string, who: string): Promise<IMAPResult> {
    return this.simpleCommand("DELETEACL", mailbox, who);
  }

  /**
   * Python's `enable(capability)`: ENABLE (RFC 5161); after an OK for
   * `UTF8=ACCEPT` commands and APPEND go as UTF-8 (RFC 6855).
   * @throws IMAP4.error when the server does not offer ENABLE
   */
  async enable(capability: string): Promise<IMAPResult> {
    if (!this.capabilities.includes("ENABLE")) throw new IMAP4Error("Server does not support ENABLE");
    const [typ, data] = await this.simpleCommand("ENABLE", capability);
    if (typ === "OK" && capability.toUpperCase().includes("UTF8=ACCEPT")) this.utf8Enabled = true;
    return [typ, data];
  }

  /** Python's `expunge()`: EXPUNGE. @returns the expunged message numbers */
  async expunge(): Promise<IMAPResult> {
    const name = "EXPUNGE";
    const [typ, dat] = await this.simpleCommand(name);
    return this.#untaggedResponse(typ, dat, name);
  }

  /**
   * Python's `fetch(message_set, message_parts)`: FETCH.
   * @param messageParts the items, in parentheses: `"(UID BODY[TEXT])"`
   * @returns the FETCH responses; one with a literal as `[header, literal]`
   *   followed by the text after it (`b")"`)
   */
  async fetch(messageSet: string, messageParts: string): Promise<IMAPResult> {
    const name = "FETCH";
    const [typ, dat] = await this.simpleCommand(name, messageSet, messageParts);
    return this.#untaggedResponse(typ, dat, name);
  }

  /** Python's `getacl(mailbox)`: GETACL. @returns the ACL responses */
  async getacl(mailbox: string): Promise<IMAPResult> {
    const [typ, dat] = await this.simpleCommand("GETACL", mailbox);
    return this.#untaggedResponse(typ, dat, "ACL");
  }

  /** Python's `getannotation(mailbox, entry, attribute)`: GETANNOTATION (the ANNOTATEMORE draft). */
  async getannotation(mailbox: string, entry: string, attribute: string): Promise<IMAPResult> {
    const [typ, dat] = await this.simpleCommand("GETANNOTATION", mailbox, entry, attribute);
    return this.#untaggedResponse(typ, dat, "ANNOTATION");
  }

  /** Python's `getquota(root)`: GETQUOTA (RFC 2087). @returns the QUOTA responses */
  async getquota(root: string): Promise<IMAPResult> {
    const [typ, dat] = await this.simpleCommand("GETQUOTA", root);
    return this.#untaggedResponse(typ, dat, "QUOTA");
  }

  /**
   * Python's `getquotaroot(mailbox)`: GETQUOTAROOT.
   * @returns `[typ, [quotaroot responses, quota responses]]`
   */
  async getquotaroot(mailbox: string): Promise<[typ: string, data: [IMAPDatum[], IMAPDatum[]]]> {
    const [typ0, dat] = await this.simpleCommand("GETQUOTAROOT", mailbox);
    const [typ1, quota] = this.#untaggedResponse(typ0, dat, "QUOTA");
    const [typ, quotaroot] = this.#untaggedResponse(typ1, dat, "QUOTAROOT");
    return [typ, [quotaroot, quota]];
  }

  /** Python's `list(directory='""', pattern='*')`: LIST. @returns the LIST responses */
  async list(directory = '""', pattern = "*"): Promise<IMAPResult> {
    const name = "LIST";
    const [typ, dat] = await this.simpleCommand(name, directory, pattern);
    return this.#untaggedResponse(typ, dat, name);
  }

  /**
   * Python's `login(user, password)`: LOGIN (the password is quoted, the user is not).
   * @throws IMAP4.error when refused (the server's text, as Python shows bytes)
   */
  async login(user: string, password: string): Promise<IMAPResult> {
    const [typ, dat] = await this.simpleCommand("LOGIN", user, quote(password));
    if (typ !== "OK") throw new IMAP4Error(datumRepr(dat.at(-1)));
    this.state = "AUTH";
    return [typ, dat];
  }

  /** Python's `login_cram_md5(user, password)`: AUTHENTICATE CRAM-MD5. */
  loginCramMd5(user: string, password: string): Promise<IMAPResult> {
    this.user = user;
    this.password = password;
    return this.authenticate("CRAM-MD5", (challenge) => cramMd5(this.user, this.password, challenge));
  }

  /**
   * Python's `logout()`: LOGOUT, then the connection is shut.
   * @returns the server's BYE: `["BYE", [text]]` (or the tagged result if no BYE came)
   */
  async logout(): Promise<IMAPResult> {
    this.state = "LOGOUT";
    const result = await this.simpleCommand("LOGOUT");
    await this.shutdown();
    return result;
  }

  /** Python's `lsub(directory='""', pattern='*')`: LSUB. */
  async lsub(directory = '""', pattern = "*"): Promise<IMAPResult> {
    const name = "LSUB";
    const [typ, dat] = await this.simpleCommand(name, directory, pattern);
    return this.#untaggedResponse(typ, dat, name);
  }

  /** Python's `myrights(mailbox)`: MYRIGHTS. */
  async myrights(mailbox: string): Promise<IMAPResult> {
    const [typ, dat] = await this.simpleCommand("MYRIGHTS", mailbox);
    return this.#untaggedResponse(typ, dat, "MYRIGHTS");
  }

  /** Python's `namespace()`: NAMESPACE (RFC 2342). */
  async namespace(): Promise<IMAPResult> {
    const name = "NAMESPACE";
    const [typ, dat] = await this.simpleCommand(name);
    return this.#untaggedResponse(typ, dat, name);
  }

  /** Python's `noop()`: NOOP (untagged news, such as EXISTS, lands in `untaggedResponses`). */
  noop(): Promise<IMAPResult> {
    if (this.debug >= 3) this.#dumpUntagged();
    return this.simpleCommand("NOOP");
  }

  /** Python's `partial(message_num, message_part, start, length)`: PARTIAL (obsolete IMAP4). */
  async partial(messageNum: string, messagePart: string, start: string, length: string): Promise<IMAPResult> {
    const [typ, dat] = await this.simpleCommand("PARTIAL", messageNum, messagePart, start, length);
    return this.#untaggedResponse(typ, dat, "FETCH");
  }

  /** Python's `proxyauth(user)`: PROXYAUTH. */
  proxyauth(user: string): Promise<IMAPResult> {
    return this.simpleCommand("PROXYAUTH", user);
  }

  /** Python's `rename(oldmailbox, newmailbox)`: RENAME. */
  rename(oldmailbox: string, newmailbox: string): Promise<IMAPResult> {
    return this.simpleCommand("RENAME", oldmailbox, newmailbox);
  }

  /**
   * Python's `search(charset, *criteria)`: SEARCH.
   * @param charset `CHARSET` to send, or null (must be null after `enable("UTF8=ACCEPT")`)
   * @returns `[typ, [b"1 2 3"]]`
   * @throws IMAP4.error for a charset in UTF-8 mode
   */
  async search(charset: string | null, ...criteria: IMAPArg[]): Promise<IMAPResult> {
    const name = "SEARCH";
    let result: IMAPResult;
    if (charset) {
      if (this.utf8Enabled) throw new IMAP4Error("Non-None charset not valid in UTF8 mode");
      result = await this.simpleCommand(name, "CHARSET", charset, ...criteria);
    } else result = await this.simpleCommand(name, ...criteria);
    return this.#untaggedResponse(result[0], result[1], name);
  }

  /**
   * Python's `select(mailbox='INBOX', readonly=False)`: SELECT, or EXAMINE
   * when `readonly`. Forgets all untagged responses first.
   * @returns `[typ, [message count]]` (the EXISTS data); other responses via `response("FLAGS")`
   * @throws IMAP4.readonly when the server opened it read-only but `readonly` was false
   */
  async select(mailbox = "INBOX", readonly = false): Promise<IMAPResult> {
    this.untaggedResponses = new Map();
    this.isReadonly = readonly;
    const name = readonly ? "EXAMINE" : "SELECT";
    const [typ, dat] = await this.simpleCommand(name, mailbox);
    if (typ !== "OK") {
      this.state = "AUTH";
      return [typ, dat];
    }
    this.state = "SELECTED";
    if (this.untaggedResponses.has("READ-ONLY") && !readonly) {
      if (this.debug >= 1) this.#dumpUntagged();
      throw new IMAP4Readonly(`${mailbox} is not writable`);
    }
    return [typ, this.untaggedResponses.get("EXISTS") ?? [null]];
  }

  /**
   * EXAMINE: `select(mailbox, true)` (Python has the command but no method for it).
   * @returns `[typ, [message count]]`
   */
  examine(mailbox = "INBOX"): Promise<IMAPResult> {
    return this.select(mailbox, true);
  }

  /** Python's `setacl(mailbox, who, what)`: SETACL. */
  setacl(mailbox: string, who: string, what: string): Promise<IMAPResult> {
    return this.simpleCommand("SETACL", mailbox, who, what);
  }

  /** Python's `setannotation(mailbox, entry, attribute, ...)`: SETANNOTATION. */
  async setannotation(...args: IMAPArg[]): Promise<IMAPResult> {
    const [typ, dat] = await this.simpleCommand("SETANNOTATION", ...args);
    return this.#untaggedResponse(typ, dat, "ANNOTATION");
  }

  /** Python's `setquota(root, limits)`: SETQUOTA. */
  async setquota(root: string, limits: string): Promise<IMAPResult> {
    const [typ, dat] = await this.simpleCommand("SETQUOTA", root, limits);
    return this.#untaggedResponse(typ, dat, "QUOTA");
  }

  /** Python's `sort(sort_criteria, charset, *search_criteria)`: SORT (RFC 5256). */
  async sort(sortCriteria: string, charset: string, ...searchCriteria: IMAPArg[]): Promise<IMAPResult> {
    const name = "SORT";
    const criteria =
      sortCriteria[0] === "(" && sortCriteria.at(-1) === ")" ? sortCriteria : `(${sortCriteria})`;
    const [typ, dat] = await this.simpleCommand(name, criteria, charset, ...searchCriteria);
    return this.#untaggedResponse(typ, dat, name);
  }

  /**
   * Python's `starttls(ssl_context)`: STARTTLS, the TLS handshake, and
   * CAPABILITY again.
   * @param sslContext the TLS settings @default createDefaultContext() (verifies the certificate and host name)
   * @throws IMAP4.abort when TLS is already on or the server does not offer
   *   STARTTLS; IMAP4.error when it refuses; SSLError when the handshake fails
   */
  async starttls(sslContext?: SSLContext): Promise<IMAPResult> {
    const name = "STARTTLS";
    if (this.#tlsEstablished) throw new IMAP4Abort("TLS session already established");
    if (!this.capabilities.includes(name)) throw new IMAP4Abort("TLS not supported by server");
    const context = sslContext ?? createDefaultContext();
    const [typ, dat] = await this.simpleCommand(name);
    if (typ !== "OK") throw new IMAP4Error("Couldn't establish TLS session");
    const raw = this.sock;
    if (raw === null) throw new IMAP4Abort("socket error: not connected", { code: "ERR_IMAP_SOCKET" });
    // Bytes buffered after the OK came before the handshake: a man in the
    // middle's injected responses (CVE-2011-0411's class). Drop them.
    this.reader = null;
    try {
      this.sock = await context.wrapSocket(raw, { serverHostname: this.host || "localhost" });
    } catch (err) {
      raw.close();
      this.sock = null;
      throw err;
    }
    this.reader = new Reader(this.sock.makefile("rb"), { maxLine: this.maxLine });
    this.#tlsEstablished = true;
    await this.#getCapabilities();
    return this.#untaggedResponse(typ, dat, name);
  }

  /** Python's `status(mailbox, names)`: STATUS. */
  async status(mailbox: string, names: string): Promise<IMAPResult> {
    const name = "STATUS";
    const [typ, dat] = await this.simpleCommand(name, mailbox, names);
    return this.#untaggedResponse(typ, dat, name);
  }

  /**
   * Python's `store(message_set, command, flags)`: STORE.
   * @param command `"+FLAGS"`, `"-FLAGS"`, `"FLAGS"` (and `.SILENT`)
   * @param flags with or without parentheses
   */
  async store(messageSet: string, command: string, flags: string): Promise<IMAPResult> {
    const f = flags[0] === "(" && flags.at(-1) === ")" ? flags : `(${flags})`;
    const [typ, dat] = await this.simpleCommand("STORE", messageSet, command, f);
    return this.#untaggedResponse(typ, dat, "FETCH");
  }

  /** Python's `subscribe(mailbox)`: SUBSCRIBE. */
  subscribe(mailbox: string): Promise<IMAPResult> {
    return this.simpleCommand("SUBSCRIBE", mailbox);
  }

  /** Python's `thread(threading_algorithm, charset, *search_criteria)`: THREAD (RFC 5256). */
  async thread(
    threadingAlgorithm: string,
    charset: string,
    ...searchCriteria: IMAPArg[]
  ): Promise<IMAPResult> {
    const name = "THREAD";
    const [typ, dat] = await this.simpleCommand(name, threadingAlgorithm, charset, ...searchCriteria);
    return this.#untaggedResponse(typ, dat, name);
  }

  /**
   * Python's `uid(command, *args)`: the command with UIDs for message
   * numbers (`uid("FETCH", ...)`, `uid("MOVE", set, mailbox)`).
   * @returns SEARCH, SORT and THREAD's own responses; FETCH responses for the others
   * @throws IMAP4.error for an unknown command, or one not allowed in this state
   */
  async uid(command: string, ...args: IMAPArg[]): Promise<IMAPResult> {
    const cmd = command.toUpperCase();
    const states = this.#states(cmd);
    if (states === undefined) throw new IMAP4Error(`Unknown IMAP4 UID command: ${cmd}`);
    if (!states.includes(this.state)) {
      throw new IMAP4Error(
        `command ${cmd} illegal in state ${this.state}, only allowed in states ${states.join(", ")}`,
      );
    }
    const [typ, dat] = await this.simpleCommand("UID", cmd, ...args);
    const name = cmd === "SEARCH" || cmd === "SORT" || cmd === "THREAD" ? cmd : "FETCH";
    return this.#untaggedResponse(typ, dat, name);
  }

  /** Python's `unsubscribe(mailbox)`: UNSUBSCRIBE. */
  unsubscribe(mailbox: string): Promise<IMAPResult> {
    return this.simpleCommand("UNSUBSCRIBE", mailbox);
  }

  /** Python's `unselect()`: UNSELECT (RFC 3691: leaves the mailbox without expunging); the state is AUTH afterwards. */
  async unselect(): Promise<IMAPResult> {
    try {
      return await this.simpleCommand("UNSELECT");
    } finally {
      this.state = "AUTH";
    }
  }

  /**
   * Python's `xatom(name, *args)`: an extension command the server named in
   * CAPABILITY. An unknown one is allowed in the current state (for this
   * connection; Python changes the module's table).
   */
  xatom(name: string, ...args: IMAPArg[]): Promise<IMAPResult> {
    const cmd = name.toUpperCase();
    if (this.#states(cmd) === undefined) this.#extraCommands.set(cmd, [this.state]);
    return this.simpleCommand(cmd, ...args);
  }

  /**
   * IDLE (RFC 2177; Python 3.14's `idle()`, absent from 3.11): waits for the
   * server's news, yielding each untagged response as it comes, as
   * `[typ, data]` (`["EXISTS", [b"4"]]`). The loop ends after `duration`
   * seconds, when the server ends IDLE, or at `break` (DONE is sent and the
   * server's answer read; what came meanwhile goes to `untaggedResponses`).
   * While idling, `timeout` does not apply (waiting is the point); it does
   * to the server's answer to DONE.
   * @throws IMAP4.error when the server lacks IDLE, refuses it, or the state
   *   is not AUTH or SELECTED; IMAP4.abort as any command
   *
   * A loop over it: `for await (const [typ, data] of imap.idle({ duration: 60 })) { if (typ === "EXISTS") break; }`
   * (docs/imaplib.md has a whole session).
   */
  async *idle(options: IdleOptions = {}): AsyncGenerator<IMAPResult, void, undefined> {
    const name = "IDLE";
    if (!this.capabilities.includes(name)) throw new IMAP4Error("Server does not support IMAP4 IDLE");
    if (!IDLE_STATES.includes(this.state)) {
      throw new IMAP4Error(
        `command ${name} illegal in state ${this.state}, only allowed in states ${IDLE_STATES.join(", ")}`,
      );
    }
    this.#enter(name);
    const saved = this.sock?.gettimeout() ?? null;
    /** The next response, filed in a map of its own. */
    const next = (): Promise<UntaggedSink | null> => {
      const sink: UntaggedSink = new Map();
      this.#responseBytes = 0;
      return this.#getResponse(sink).then((resp) => (resp === null ? null : sink));
    };
    let tag = "";
    let state: "starting" | "idling" | "done" | "ended" | "failed" = "starting";
    let pending: Promise<UntaggedSink | null> | null = null;
    try {
      tag = await this.#sendCommand(name, []);
      // Up to "+ idling"; a tagged NO/BAD instead ends it at once. News
      // the server sends first (changes since the last command) is yielded too.
      for (;;) {
        const sink = await this.#withTimeout(next());
        if (sink === null) break;
        if (this.taggedCommands.get(tag)) {
          this.#fileUntagged(sink);
          state = "ended";
          break;
        }
        for (const [typ, data] of sink) yield [typ, data];
      }
      if (state === "starting") {
        state = "idling";
        this.sock?.settimeout(null);
        const deadline = options.duration == null ? null : Date.now() + options.duration * 1000;
        while (state !== "ended") {
          pending = next();
          let got: UntaggedSink | null | "time" =
            state === "done" ? await this.#withTimeout(pending) : await raceDeadline(pending, deadline);
          if (got === "time") {
            await this.#sendDone(saved);
            state = "done";
            got = await this.#withTimeout(pending);
          }
          pending = null;
          const sink = got ?? new Map<string, IMAPDatum[]>();
          if (this.taggedCommands.get(tag)) {
            this.#fileUntagged(sink);
            state = "ended";
          } else {
            for (const [typ, data] of sink) yield [typ, data];
          }
        }
      }
      const result = this.taggedCommands.get(tag);
      if (result && result[0] !== "OK") {
        throw new IMAP4Error(`${name} command error: ${result[0]} ${pyRepr(result[1])}`);
      }
    } catch (err) {
      state = "failed";
      throw err;
    } finally {
      try {
        if (state !== "ended" && state !== "failed" && this.reader !== null) {
          // The loop stopped early (a break, or an error in its body): end IDLE and read the answer.
          while (state === "starting") {
            const sink = await this.#withTimeout(next());
            if (sink === null) state = "idling";
            else {
              this.#fileUntagged(sink);
              if (this.taggedCommands.get(tag)) state = "ended";
            }
          }
          if (state === "idling") await this.#sendDone(saved);
          if (pending !== null) this.#fileUntagged((await this.#withTimeout(pending)) ?? new Map());
          while (!this.taggedCommands.get(tag))
            this.#fileUntagged((await this.#withTimeout(next())) ?? new Map());
        }
      } finally {
        if (tag !== "") this.taggedCommands.delete(tag);
        this.sock?.settimeout(saved);
        this.#busy = false;
      }
    }
  }

  /** Ends IDLE: DONE, and the connection's timeout back for the server's answer. */
  async #sendDone(timeout: number | null): Promise<void> {
    await this.send(Buffer.from("DONE\r\n"));
    this.sock?.settimeout(timeout);
  }

  /** Files the responses IDLE read into `untaggedResponses`. */
  #fileUntagged(sink: UntaggedSink): void {
    for (const [typ, data] of sink) for (const d of data) this.#appendUntagged(typ, d);
  }

  /** `promise`, or `IMAP4.abort` `ERR_IMAP_TIMEOUT` after `timeout` seconds (the connection is shut). */
  async #withTimeout<T>(promise: Promise<T>): Promise<T> {
    const seconds = this.timeout;
    if (seconds == null) return promise;
    const got = await raceDeadline(promise, Date.now() + seconds * 1000);
    if (got === "time") {
      await this.shutdown();
      throw new IMAP4Abort("socket error: timed out", { code: "ERR_IMAP_TIMEOUT" });
    }
    return got;
  }

  //     Private methods (Python's _command, _get_response, ...)

  /** The states `name` is allowed in, from `Commands` or `xatom`'s additions. */
  #states(name: string): readonly IMAP4State[] | undefined {
    if (Object.hasOwn(Commands, name)) return Commands[name];
    return name === "IDLE" ? IDLE_STATES : this.#extraCommands.get(name);
  }

  #appendUntagged(typ: string, dat: IMAPDatum, sink: UntaggedSink = this.untaggedResponses): void {
    const datum = dat ?? Buffer.alloc(0);
    this.#responseBytes +=
      RESPONSE_OVERHEAD + (Array.isArray(datum) ? datum[0].length + datum[1].length : datum.length);
    if (this.#responseBytes > this.maxResponseBytes) throw this.#responseTooLarge();
    if (this.debug >= 5)
      this.#mesg(`untagged_responses[${typ}] ${sink.get(typ)?.length ?? 0} += ["${pyRepr(datum)}"]`);
    const list = sink.get(typ);
    if (list === undefined) sink.set(typ, [datum]);
    else list.push(datum);
  }

  #responseTooLarge(): IMAP4Abort {
    return new IMAP4Abort(`Cannot keep the untagged responses: more than ${this.maxResponseBytes} bytes`, {
      code: "ERR_IMAP_RESPONSE_TOO_LARGE",
    });
  }

  #checkBye(): void {
    const bye = this.untaggedResponses.get("BYE");
    if (bye && bye.length > 0) {
      throw new IMAP4Abort(datumText(bye.at(-1)), { code: "ERR_IMAP_BYE" });
    }
  }

  /** Throws unless no other command runs; marks this one running. */
  #enter(name: string): void {
    if (this.#busy) {
      throw new IMAP4Error(`Cannot run ${name}: another command has not finished (await each command)`, {
        code: "ERR_IMAP_BUSY",
      });
    }
    this.#busy = true;
  }

  /**
   * Python's `_simple_command(name, *args)`: sends a command and waits for
   * its completion. For extensions Python has no method for:
   * `simpleCommand("MOVE", "1:3", "Archive")` (allowed in SELECTED).
   * @returns `[typ, [text]]` of the tagged response (untagged ones stay in `untaggedResponses`)
   * @throws IMAP4.error for a BAD, or a command not allowed in this state;
   *   IMAP4.abort when the connection breaks or the server says BYE
   */
  async simpleCommand(name: string, ...args: IMAPArg[]): Promise<IMAPResult> {
    try {
      this.#enter(name);
    } catch (err) {
      this.#literal = null;
      throw err;
    }
    try {
      return await this.#commandComplete(name, await this.#command(name, args));
    } finally {
      this.#busy = false;
    }
  }

  /** Python's `_command`: sends the command (and its literal); returns its tag. */
  async #command(name: string, args: IMAPArg[]): Promise<string> {
    const literal = this.#literal;
    this.#literal = null;
    const tag = await this.#sendCommand(name, args, literal);
    if (literal === null) return tag;
    for (;;) {
      // Wait for a continuation; a tagged NO/BAD instead ends the command.
      while ((await this.#getResponse()) !== null) {
        if (this.taggedCommands.get(tag)) return tag;
      }
      const data = typeof literal === "function" ? await literal(this.continuationResponse) : literal;
      if (this.debug >= 4) this.#mesg(`write literal size ${data.length}`);
      await this.send(data);
      await this.send(CRLF);
      if (typeof literal !== "function") break;
    }
    return tag;
  }

  /** The first half of Python's `_command`: state check, a new tag, the command line sent. */
  async #sendCommand(name: string, args: IMAPArg[], literal: Literal | null = null): Promise<string> {
    const states = this.#states(name);
    if (states === undefined || !states.includes(this.state)) {
      const allowed = states?.join(", ") ?? "";
      throw new IMAP4Error(
        `command ${name} illegal in state ${this.state}, only allowed in states ${allowed}`,
      );
    }
    for (const typ of ["OK", "NO", "BAD"]) this.untaggedResponses.delete(typ);
    if (this.untaggedResponses.has("READ-ONLY") && !this.isReadonly) {
      throw new IMAP4Readonly("mailbox status changed to READ-ONLY");
    }
    const parts: Buffer[] = [];
    checkArgument(name, "command");
    parts.push(this.#encode(name));
    for (const arg of args) {
      if (arg === null || arg === undefined) continue;
      checkArgument(arg, "command argument");
      parts.push(typeof arg === "string" ? this.#encode(arg) : Buffer.from(arg));
    }
    if (literal !== null && typeof literal !== "function") parts.push(Buffer.from(`{${literal.length}}`));
    const tag = this.#newTag();
    const line = Buffer.concat([Buffer.from(tag), ...parts.flatMap((p) => [SP, p]), CRLF]);
    this.#responseBytes = 0;
    if (this.debug >= 4) this.#mesg(`> ${reprBytes(line.subarray(0, -2))}`);
    else this.#logLine(">", line.subarray(0, -2));
    try {
      await this.send(line);
    } catch (err) {
      this.taggedCommands.delete(tag);
      throw err;
    }
    return tag;
  }

  #encode(text: string): Buffer {
    return this.utf8Enabled ? Buffer.from(text, "utf8") : ASCII_CODEC.encode(text, "strict");
  }

  /** Python's `_command_complete`: waits for the tagged response; BYE and BAD become errors. */
  async #commandComplete(name: string, tag: string): Promise<IMAPResult> {
    const logout = name === "LOGOUT";
    if (!logout) this.#checkBye();
    let result: IMAPResult;
    try {
      result = await this.#getTaggedResponse(tag, logout);
    } catch (err) {
      if (err instanceof IMAP4Abort) {
        throw new IMAP4Abort(`command: ${name} => ${err.message}`, {
          code: err.code,
          cause: err.cause ?? err,
        });
      }
      if (err instanceof IMAP4Error) {
        throw new IMAP4Error(`command: ${name} => ${err.message}`, {
          code: err.code,
          cause: err.cause ?? err,
        });
      }
      throw err;
    }
    if (!logout) this.#checkBye();
    const [typ, data] = result;
    if (typ === "BAD") throw new IMAP4Error(`${name} command error: ${typ} ${pyRepr(data)}`);
    return result;
  }

  async #getCapabilities(): Promise<void> {
    const [, dat] = await this.capability();
    if (dat.length === 1 && dat[0] === null) throw new IMAP4Error("no CAPABILITY response from server");
    const last = dat.at(-1);
    const text = Buffer.isBuffer(last)
      ? this.utf8Enabled
        ? last.toString("utf8")
        : ASCII_CODEC.decode(last, "strict")
      : "";
    this.capabilities = text
      .toUpperCase()
      .split(/\s+/)
      .filter((c) => c !== "");
  }

  /**
   * Python's `_get_response`: reads one response (with its literals), files
   * it, and returns its first line; `null` for a continuation request.
   */
  async #getResponse(sink: UntaggedSink = this.untaggedResponses): Promise<Buffer | null> {
    const line = this.#getLine();
    const resp = line instanceof Promise ? await line : line;
    const parsed = parseResponseLine(resp, this.tagpre);
    let typ: string;
    let dat: Buffer;
    if (parsed === undefined) {
      throw new IMAP4Abort(`unexpected response: ${reprBytes(resp)}`, {
        code: "ERR_IMAP_UNEXPECTED_RESPONSE",
      });
    }
    if (parsed.kind === "continuation") {
      this.continuationResponse = parsed.data;
      return null;
    }
    if (parsed.kind === "tagged") {
      if (!this.taggedCommands.has(parsed.tag)) {
        throw new IMAP4Abort(`unexpected tagged response: ${reprBytes(resp)}`, {
          code: "ERR_IMAP_UNEXPECTED_RESPONSE",
        });
      }
      typ = parsed.type;
      dat = parsed.data;
      this.taggedCommands.set(parsed.tag, [typ, [dat]]);
    } else {
      typ = parsed.type;
      dat = parsed.data;
      // A literal to come: read it by length, then the rest of the response
      // (which may announce another).
      for (let size = literalSize(dat); size !== undefined; size = literalSize(dat)) {
        if (size > this.maxLiteral) {
          throw new IMAP4Abort(`Cannot read a literal of ${size} bytes: more than ${this.maxLiteral}`, {
            code: "ERR_IMAP_LITERAL_TOO_LARGE",
          });
        }
        if (this.debug >= 4) this.#mesg(`read literal size ${size}`);
        if (this.#responseBytes + size > this.maxResponseBytes) throw this.#responseTooLarge();
        const data = await this.read(size);
        this.#appendUntagged(typ, [dat, data], sink);
        const rest = this.#getLine();
        dat = rest instanceof Promise ? await rest : rest;
      }
      this.#appendUntagged(typ, dat, sink);
    }
    if (typ === "OK" || typ === "NO" || typ === "BAD") {
      const code = parseResponseCode(dat);
      if (code !== undefined) this.#appendUntagged(code.type, code.data, sink);
    }
    if (this.debug >= 1 && (typ === "NO" || typ === "BAD" || typ === "BYE")) {
      this.#mesg(`${typ} response: ${reprBytes(dat)}`);
    }
    return resp;
  }

  /** Python's `_get_tagged_response`: responses until the one for `tag` (or BYE after LOGOUT). */
  async #getTaggedResponse(tag: string, expectBye: boolean): Promise<IMAPResult> {
    for (;;) {
      const result = this.taggedCommands.get(tag);
      if (result) {
        this.taggedCommands.delete(tag);
        return result;
      }
      if (expectBye) {
        const bye = this.untaggedResponses.get("BYE");
        if (bye !== undefined) {
          this.untaggedResponses.delete("BYE");
          return ["BYE", bye];
        }
      }
      this.#checkBye();
      try {
        await this.#getResponse();
      } catch (err) {
        if (err instanceof IMAP4Abort && this.debug >= 1) this.printLog();
        throw err;
      }
    }
  }

  /**
   * Python's `_get_line`: a line that ends in CRLF, without it; at once
   * (no promise) when the line is already buffered.
   */
  #getLine(): Buffer | Promise<Buffer> {
    const now = this.#readlineNow();
    if (now !== undefined) return this.#lineOf(now);
    return this.readline().then((line) => this.#lineOf(line));
  }

  /** The rest of `_get_line`: `line` (from `readline`) checked, logged, without its CRLF. */
  #lineOf(line: Buffer): Buffer {
    if (line.length === 0) throw new IMAP4Abort("socket error: EOF", { code: "ERR_IMAP_EOF" });
    const n = line.length;
    if (n < 2 || line[n - 2] !== 0x0d || line[n - 1] !== 0x0a) {
      throw new IMAP4Abort(`socket error: unterminated line: ${reprBytes(line)}`, { code: "ERR_IMAP_EOF" });
    }
    const out = line.subarray(0, n - 2);
    if (this.debug >= 4) this.#mesg(`< ${reprBytes(out)}`);
    else this.#logLine("<", out);
    return out;
  }

  #newTag(): string {
    const tag = `${this.tagpre}${this.tagnum}`;
    this.tagnum += 1;
    this.taggedCommands.set(tag, null);
    return tag;
  }

  /** Python's `_untagged_response`: takes the `name` responses (unless `typ` is NO). */
  #untaggedResponse(typ: string, dat: IMAPDatum[], name: string): IMAPResult {
    if (typ === "NO") return [typ, dat];
    const data = this.untaggedResponses.get(name);
    if (data === undefined) return [typ, [null]];
    this.untaggedResponses.delete(name);
    if (this.debug >= 5) this.#mesg(`untagged_responses[${name}] => ${pyRepr(data)}`);
    return [typ, data];
  }

  /** Python's `_mesg`: `  MM:SS.cc text` to stderr. */
  #mesg(text: string, secs = Date.now() / 1000): void {
    const d = new Date(secs * 1000);
    const stamp = `${String(d.getMinutes()).padStart(2, "0")}:${String(d.getSeconds()).padStart(2, "0")}`;
    process.stderr.write(`  ${stamp}.${String(Math.floor((secs * 100) % 100)).padStart(2, "0")} ${text}\n`);
  }

  #dumpUntagged(): void {
    if (this.untaggedResponses.size === 0) return;
    const items = [...this.untaggedResponses].map(([k, v]) => `${k}: ${pyRepr(v)}`);
    this.#mesg(`untagged responses dump:${items.join("\n\t\t")}`);
  }

  /** Python's `_log`: the last 10 lines sent and received, for `printLog`. */
  #logLine(dir: string, line: Buffer): void {
    // A view, not a copy: ten of them keep at most ten read chunks alive.
    this.#log.push([dir, line, Date.now() / 1000]);
    if (this.#log.length > 10) this.#log.shift();
  }

  /** Python's `print_log()`: the last 10 lines sent and received, to stderr. */
  printLog(): void {
    this.#mesg(`last ${this.#log.length} IMAP4 interactions:`);
    for (const [dir, line, secs] of this.#log) this.#mesg(`${dir} ${reprBytes(line)}`, secs);
  }

  /** Python's `__exit__`: LOGOUT unless already logged out (a socket error is ignored). */
  async [Symbol.asyncDispose](): Promise<void> {
    if (this.state === "LOGOUT") {
      await this.shutdown();
      return;
    }
    try {
      await this.logout();
    } catch (err) {
      if (!(err instanceof OSError || err instanceof IMAP4Abort)) throw err;
      await this.shutdown();
    }
  }
}

const SP = Buffer.from(" ");

/** Python's `_quote`: `"` ... `"` with `\` and `"` escaped. */
function quote(arg: string): string {
  return `"${arg.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

/** A datum's text as Python's `dat[-1].decode(..., 'replace')`. */
function datumText(d: IMAPDatum | undefined): string {
  if (d === null || d === undefined) return "None";
  return (Array.isArray(d) ? d[0] : d).toString("utf8");
}

/** A datum as Python's `str(dat[-1])` of bytes: `b'...'`. */
function datumRepr(d: IMAPDatum | undefined): string {
  return d === undefined ? "None" : pyRepr(d);
}

/** `promise`'s value, or `"time"` when `deadline` (ms since the epoch) comes first. */
function raceDeadline<T>(promise: Promise<T>, deadline: number | null): Promise<T | "time"> {
  if (deadline === null) return promise;
  let timer: NodeJS.Timeout | undefined;
  const time = new Promise<"time">((resolve) => {
    timer = setTimeout(() => resolve("time"), Math.max(0, deadline - Date.now()));
  });
  return Promise.race([promise, time]).finally(() => clearTimeout(timer));
}
