/**
 * Python's `nntplib.NNTP`: a news reading and posting client (RFC 3977,
 * RFC 977, RFC 2980's extensions, RFC 4642 STARTTLS, RFC 4643 AUTHINFO
 * USER/PASS), each command a few lines over `#shortcmd` (one reply line)
 * and `#longcmd` (a reply line and a dot-terminated block), both built on
 * `netkit/textproto` (lines read by its `Reader` within nntplib's 2048-byte
 * limit, blocks unstuffed by `readDotLines` / `dotBlock`, commands checked
 * by `formatCommand`, articles dot-stuffed by `Writer.writeDotBlock`).
 *
 * ```text
 *   open ─▶ welcome (200/201) ─▶ CAPABILITIES ─▶ [MODE READER] ─┬─▶ [STARTTLS ─▶ CAPABILITIES]
 *                                                               ├─▶ [AUTHINFO USER/PASS ─▶ CAPABILITIES]
 *                                                               └─▶ GROUP, OVER, ARTICLE, POST, ... ─▶ QUIT
 * ```
 *
 * Methods for the caller: `getwelcome`, `getcapabilities`, `capabilities`,
 * `login`, `starttls`, `group`, `list`, `newgroups`, `newnews`,
 * `description`, `descriptions`, `help`, `over`, `xover`, `xhdr`, `stat`,
 * `next`, `last`, `head`, `body`, `article`, `post`, `ihave`, `date`,
 * `slave`, `quit`, `close`, `setDebuglevel`. For subclasses:
 * `createSocket` (`NNTP_SSL` wraps it in TLS).
 *
 * Where netkit differs from Python 3.11, on purpose:
 * - A command argument holding CR, LF or NUL raises `CommandError` (a
 *   `ValueError`) before anything is sent (Python sends it, and the rest of
 *   the line runs as a second command).
 * - An article to post is dot-stuffed after every bare CR and LF is made
 *   CRLF, for each line given and within a line (Python doubles a leading
 *   dot only at the start of each item it is given).
 * - A block held in memory is bounded by `maxBlockBytes` (64 MiB by
 *   default; Python has no bound): past it, `NNTPDataError`. A block sent
 *   to a `file` is streamed, in bounded memory, without a bound.
 * - Broken server data (an overview line whose number is not a number, a
 *   DATE reply out of range, a short article reply) is `NNTPDataError`
 *   where Python lets `ValueError` or `IndexError` escape.
 * - A reply or block the connection cannot finish (the server closed it:
 *   `EOFError`; a timeout: `TimeoutError`; a line past 2048 bytes or a
 *   block past its bound: `NNTPDataError`) closes the connection, which is
 *   out of step after it.
 * - `starttls()` and `NNTP_SSL` verify the server's certificate and host
 *   name by default (Python's default context verifies neither); bytes the
 *   server sent after its 382 are dropped, never read as if they came over TLS.
 * - `login()` marks the session authenticated, so `starttls()` after it is
 *   refused as RFC 4642 2.2.2 says (Python 3.11 never sets the flag).
 * - `~/.netrc` is not read: `usenetrc` finds no credentials.
 * - Written to a `file`, a block's line ends are CRLF (Python writes each
 *   line's end as it came; servers send CRLF).
 * - The constructor never connects: `await NNTP.open(host)` is Python's `NNTP(host)`.
 *
 * @module
 */
import { open as openFile } from "node:fs/promises";
import { UTF8_CODEC } from "../_codecs.js";
import { reprBytes, reprStr } from "../_pyrepr.js";
import { pyInt, pyStrip } from "../_pystr.js";
import { argTypeError, EOFError, OSError, ValueError } from "../errors/index.js";
import { createConnection } from "../socket/create.js";
import type { Socket } from "../socket/socket.js";
import { createDefaultContext, type SSLContext } from "../socket/tls.js";
import {
  checkArgument,
  formatCommand,
  LINE_LIMITS,
  ProtocolError,
  Reader,
  Writer,
} from "../textproto/index.js";
import {
  NNTPDataError,
  NNTPError,
  NNTPPermanentError,
  NNTPProtocolError,
  NNTPReplyError,
  NNTPTemporaryError,
} from "./errors.js";
import {
  ArticleInfo,
  DEFAULT_OVERVIEW_FMT,
  type GroupInfo,
  LONGRESP,
  type Overview,
  parseCapabilities,
  parseDatetime,
  parseGroupList,
  parseOverview,
  parseOverviewFmt,
  parseStatReply,
  pySplit,
  unparseDatetime,
} from "./parse.js";

/** Python's `nntplib.NNTP_PORT`. */
export const NNTP_PORT = 119;
/** Python's `nntplib.NNTP_SSL_PORT`. */
export const NNTP_SSL_PORT = 563;

/** netkit's bound on a block held in memory (Python has none): 64 MiB. */
export const MAX_BLOCK_BYTES = 64 * 1024 * 1024;

/** Options for `NNTP.open`, Python's keyword arguments. */
export interface NNTPOptions {
  /** Log in with AUTHINFO USER/PASS after connecting (Python's `user`). @default none */
  user?: string;
  /** The password for `user`. @default none */
  password?: string;
  /**
   * Send MODE READER after connecting unless the server already says READER
   * (needed with INN when the client is listed as a feed).
   * @default false
   */
  readermode?: boolean;
  /** Python's `usenetrc`: accepted, but netkit reads no `~/.netrc`, so it finds nothing. @default false */
  usenetrc?: boolean;
  /**
   * Seconds for connecting and for every read and write after (`null`: no limit).
   * @default getdefaulttimeout() (Python's global default)
   */
  timeout?: number | null;
  /**
   * Most bytes of one dot-terminated block held in memory (an article, a
   * LIST, an OVER range); past it `NNTPDataError` and the connection is
   * closed. Blocks sent to a `file` are not bounded.
   * @default 67108864 (64 MiB)
   */
  maxBlockBytes?: number;
}

/**
 * Where `head`, `body`, `article` and the listing commands can send their
 * block instead of returning it (Python's `file`): a path (created or
 * truncated, closed after), or anything with `write(chunk)`: a Node
 * `Writable` (its back-pressure is honoured), netkit's `BufferedWriter` or
 * `BytesSink`, or your own object (a returned promise is awaited).
 */
export type FileTarget = string | ByteWritable;

/** Anything `FileTarget` can write to: Node's `Writable`, netkit's `BufferedWriter` and `BytesSink`, your own. */
export interface ByteWritable {
  /**
   * Takes the next chunk of the block.
   * @param chunk bytes, whole lines
   * @returns anything; a promise is awaited, and `false` from an object with
   *   `once` (a Node `Writable`) waits for its `"drain"`
   */
  write(chunk: Buffer): unknown;
}

/** An article for `post` and `ihave`: bytes, lines (each one line; a missing line end is added), or a stream of bytes. */
export type ArticleData = Uint8Array | Iterable<Uint8Array> | AsyncIterable<Uint8Array>;

/** What `over()` takes: a message-id, `[start, end]` (`end` null: to the newest), or nothing for the current article. */
export type MessageSpec = string | readonly [start: number | string, end: number | string | null] | null;

/** Options of the commands that return a block. */
export interface FileOption {
  /** Send the block there instead of returning it (Python's `file`); the returned lines are then empty. */
  file?: FileTarget;
}

const CRLF = Buffer.from("\r\n");

/** Writes to a sink as Python's `file.write`, waiting where the sink asks to (a promise, or a Writable's `false`). */
async function writeTo(sink: ByteWritable, chunk: Buffer): Promise<void> {
  const result = sink.write(chunk);
  if (result && typeof (result as PromiseLike<unknown>).then === "function") {
    await result;
  } else if (result === false) {
    const emitter = sink as { once?: (event: string, fn: () => void) => unknown };
    if (typeof emitter.once === "function")
      await new Promise<void>((resolve) => emitter.once!("drain", resolve));
  }
}

/** The lines of an article as one stream of bytes: each line of a sync iterable gets a line end if it has none. */
async function* articleChunks(
  data: Iterable<Uint8Array> | AsyncIterable<Uint8Array>,
): AsyncGenerator<Uint8Array> {
  if (Symbol.asyncIterator in data) {
    yield* data;
    return;
  }
  for (const line of data) {
    yield line;
    const last = line[line.length - 1];
    if (last !== 0x0a && last !== 0x0d) yield CRLF;
  }
}

/**
 * Python's `nntplib.NNTP`: a connection to a news server.
 *
 * The module documentation (`netkit/nntplib`) and docs/nntplib.md show a
 * whole session.
 */
export class NNTP {
  /** The port `open()` uses when none is given. @default 119 */
  static defaultPort = NNTP_PORT;
  /** How commands and replies are encoded (Python's `encoding`). */
  readonly encoding = "utf-8";
  /** The error handler for both (Python's `errors`): bytes that are not UTF-8 round-trip. */
  readonly errors = "surrogateescape";
  /** The server's host name (TLS checks its certificate against it). */
  readonly host: string;
  /** The server's port. */
  readonly port: number;
  /** Seconds for every network call (`null`: none). */
  readonly timeout: number | null | undefined;
  /** The bound on a block held in memory. */
  readonly maxBlockBytes: number;
  /** The connection, or `null` when closed. */
  sock: Socket | null = null;
  /** The greeting (or MODE READER's reply), Python's `welcome`. */
  welcome = "";
  /** Debug output to stdout: 0 none, 1 commands and replies, 2 raw lines too (Python's `debugging`). */
  debugging = 0;
  /** The highest NNTP version the server names in CAPABILITIES (1 without it). */
  nntpVersion = 1;
  /** The server's IMPLEMENTATION capability, or `null`. */
  nntpImplementation: string | null = null;
  /** MODE READER was refused with 480: `login()` sends it after authenticating. */
  readermodeAfterauth = false;
  /** `starttls()` succeeded (false for `NNTP_SSL`, as in Python). */
  tlsOn = false;
  /** `login()` succeeded. */
  authenticated = false;
  #caps: Map<string, string[]> | null = null;
  #overviewFmt: string[] | undefined;
  #reader: Reader | null = null;
  #writer: Writer | null = null;

  /**
   * Python's `NNTP(host, port, ...)` without connecting: `NNTP.open()` does.
   * @param host the server
   * @param port its port (0: the class's `defaultPort`)
   * @throws ValueError for `timeout: 0` (Python: "Non-blocking socket (timeout=0) is not supported")
   */
  constructor(host: string, port = 0, options: NNTPOptions = {}) {
    if (options.timeout === 0) throw new ValueError("Non-blocking socket (timeout=0) is not supported");
    const maxBlockBytes = options.maxBlockBytes ?? MAX_BLOCK_BYTES;
    if (!(maxBlockBytes >= 0)) {
      throw new ValueError(`Cannot create NNTP with maxBlockBytes ${maxBlockBytes}: must be at least 0`);
    }
    this.host = host;
    this.port = port || (this.constructor as typeof NNTP).defaultPort;
    this.timeout = options.timeout;
    this.maxBlockBytes = maxBlockBytes;
  }

  /**
   * Python's `NNTP(host, port, user, password, readermode, usenetrc,
   * timeout)`: connects (over TLS for `NNTP_SSL.open`), reads the greeting
   * and the capabilities, sends MODE READER if asked, and logs in if `user`
   * is given. On any failure the connection is closed.
   * @param host the server
   * @param port its port (0: 119, or 563 for `NNTP_SSL`)
   * @param options credentials, reader mode, timeout, block bound (and the TLS context for `NNTP_SSL`)
   * @returns the connected client
   * @throws NNTPTemporaryError / NNTPPermanentError when the greeting is 4xx / 5xx;
   *   OSError (ConnectionRefusedError, TimeoutError, gaierror) when the connection fails; what `login` throws
   */
  static async open<T extends NNTP, O extends NNTPOptions>(
    this: new (
      host: string,
      port: number,
      options: O,
    ) => T,
    host: string,
    port = 0,
    options: O = {} as O,
  ): Promise<T> {
    const nntp = new this(host, port, options);
    nntp.sock = await nntp.createSocket(nntp.timeout);
    try {
      await nntp.#baseInit(options.readermode ?? false);
      if (options.user || options.usenetrc)
        await nntp.login(options.user, options.password, options.usenetrc);
    } catch (err) {
      nntp.close();
      throw err;
    }
    return nntp;
  }

  /**
   * Python's `_create_socket`: the TCP connection (`NNTP_SSL` adds TLS).
   * @throws OSError when the connection fails
   */
  protected async createSocket(timeout: number | null | undefined): Promise<Socket> {
    return createConnection([this.host, this.port], timeout === undefined ? {} : { timeout });
  }

  /** Python's `_base_init`: the greeting, the capabilities, MODE READER. */
  async #baseInit(readermode: boolean): Promise<void> {
    this.welcome = await this.#getresp();
    this.#caps = null;
    const caps = await this.getcapabilities();
    this.readermodeAfterauth = false;
    if (readermode && !caps.has("READER")) {
      await this.#setreadermode();
      if (!this.readermodeAfterauth) {
        // Capabilities may change after MODE READER.
        this.#caps = null;
        await this.getcapabilities();
      }
    }
    // RFC 4642 2.2.2: both sides must know whether TLS is on (Python sets it here, NNTP_SSL included).
    this.tlsOn = false;
    this.authenticated = false;
  }

  /** Python's `getwelcome()`: the greeting (200: posting allowed; 201: not), or MODE READER's reply. */
  getwelcome(): string {
    if (this.debugging) this.#print("*welcome*", reprStr(this.welcome));
    return this.welcome;
  }

  /**
   * Python's `getcapabilities()`: the capabilities read at connect (and
   * again after MODE READER, STARTTLS and login), asked for if forgotten;
   * empty when the server has no CAPABILITIES command.
   * @returns capability name → its arguments (`"LIST"` → `["ACTIVE", "NEWSGROUPS", ...]`)
   */
  async getcapabilities(): Promise<Map<string, string[]>> {
    if (this.#caps === null) {
      this.nntpVersion = 1;
      this.nntpImplementation = null;
      let caps: Map<string, string[]>;
      try {
        [, caps] = await this.capabilities();
      } catch (err) {
        if (!(err instanceof NNTPPermanentError || err instanceof NNTPTemporaryError)) throw err;
        caps = new Map();
      }
      this.#caps = caps;
      const versions = caps.get("VERSION");
      if (versions !== undefined && versions.length > 0) {
        // The server may name several versions: the highest counts.
        this.nntpVersion = Math.max(
          ...versions.map((v) => {
            const n = pyInt(v);
            if (n === undefined)
              throw new NNTPDataError(`Cannot parse VERSION capability ${JSON.stringify(v)}`);
            return n;
          }),
        );
      }
      const impl = caps.get("IMPLEMENTATION");
      if (impl !== undefined) this.nntpImplementation = impl.join(" ");
    }
    return this.#caps;
  }

  /** Python's `set_debuglevel(level)` (and `debug`): 1 prints commands and replies, 2 raw lines too, to stdout. */
  setDebuglevel(level: number): void {
    this.debugging = level;
  }

  /** Python's `debug`, the same as `setDebuglevel`. */
  debug(level: number): void {
    this.setDebuglevel(level);
  }

  #print(...parts: string[]): void {
    process.stdout.write(`${parts.join(" ")}\n`);
  }

  #io(): [Reader, Writer] {
    const sock = this.sock;
    if (!sock) throw new OSError(undefined, "Cannot talk to the server: the connection is closed");
    if (this.#reader === null || this.#writer === null) {
      const [r, w] = sock.makefile("rwb");
      this.#reader = new Reader(r, { maxLine: LINE_LIMITS.nntplib });
      this.#writer = new Writer(w);
    }
    return [this.#reader, this.#writer];
  }

  /** Runs a write, closing the connection when it fails (its state is unknown after). */
  async #guard<T>(step: () => Promise<T>): Promise<T> {
    try {
      return await step();
    } catch (err) {
      throw this.#failure(err);
    }
  }

  /**
   * What a failed read or write becomes, after the connection is closed:
   * a line past 2048 bytes or a block past its bound is `NNTPDataError`
   * (Python's "line too long"), the end of the stream is `EOFError` (as
   * Python), anything else (TimeoutError, OSError) as it is.
   */
  #failure(err: unknown): unknown {
    if (err instanceof ProtocolError) {
      this.close();
      if (err.code === "ERR_TEXTPROTO_LINE_TOO_LONG")
        return new NNTPDataError("line too long", { cause: err });
      if (err.code === "ERR_TEXTPROTO_TOO_LARGE") return new NNTPDataError(err.message, { cause: err });
      if (err.code === "ERR_TEXTPROTO_EOF") return new EOFError(err.message, { cause: err });
      return new NNTPDataError(err.message, { cause: err });
    }
    if (err instanceof OSError) this.close();
    return err;
  }

  /** Python's `_putcmd`: one command line, UTF-8 (surrogateescape), refused if it holds CR, LF or NUL. */
  async #putcmd(line: string): Promise<void> {
    checkArgument(line, "command");
    if (this.debugging) this.#print("*cmd*", reprStr(line));
    const bytes = formatCommand(UTF8_CODEC.encode(line, this.errors));
    if (this.debugging > 1) this.#print("*put*", reprBytes(bytes));
    const [, writer] = this.#io();
    await this.#guard(async () => {
      await writer.buffered.write(bytes);
      await writer.buffered.flush();
    });
  }

  /**
   * Python's `_getresp`: one reply line, decoded, checked by its first digit.
   * @throws NNTPTemporaryError (4xx), NNTPPermanentError (5xx), NNTPProtocolError (not 1 to 5)
   */
  async #getresp(): Promise<string> {
    const [reader] = this.#io();
    const line = await this.#guard(() => reader.readLine());
    if (this.debugging > 1) this.#print("*get*", reprBytes(line));
    const resp = UTF8_CODEC.decode(line, this.errors);
    if (this.debugging) this.#print("*resp*", reprStr(resp));
    const c = resp.slice(0, 1);
    if (c === "4") throw new NNTPTemporaryError(resp);
    if (c === "5") throw new NNTPPermanentError(resp);
    // Python's `c not in '123'` lets an empty line through: "" is in every string.
    if (c !== "" && !"123".includes(c)) throw new NNTPProtocolError(resp);
    return resp;
  }

  /**
   * Python's `_getlongresp`: a reply line and its block, unstuffed. With
   * `file`, the block goes there (streamed) and no lines are returned.
   * @throws NNTPReplyError when the reply is not one a block follows
   */
  async #getlongresp(file?: FileTarget): Promise<[string, Buffer[]]> {
    const resp = await this.#getresp();
    if (!LONGRESP.has(resp.slice(0, 3))) throw new NNTPReplyError(resp);
    const [reader] = this.#io();
    if (file === undefined) {
      const lines = await this.#guard(() => reader.readDotLines({ maxBytes: this.maxBlockBytes }));
      return [resp, lines];
    }
    await this.#guard(async () => {
      if (typeof file !== "string") {
        for await (const chunk of reader.dotBlock()) await writeTo(file, chunk);
        return;
      }
      const handle = await openFile(file, "w");
      try {
        for await (const chunk of reader.dotBlock()) await handle.write(chunk);
      } finally {
        await handle.close();
      }
    }).catch((err: unknown) => {
      // A sink that failed leaves the rest of the block unread: the connection is out of step.
      this.close();
      throw err;
    });
    return [resp, []];
  }

  /** Python's `_shortcmd`: a command and its one reply line. */
  async #shortcmd(line: string): Promise<string> {
    await this.#putcmd(line);
    return this.#getresp();
  }

  /** Python's `_longcmd`: a command, its reply line and block (bytes). */
  async #longcmd(line: string, file?: FileTarget): Promise<[string, Buffer[]]> {
    await this.#putcmd(line);
    return this.#getlongresp(file);
  }

  /** Python's `_longcmdstring`: `#longcmd` with the lines decoded. */
  async #longcmdstring(line: string, file?: FileTarget): Promise<[string, string[]]> {
    const [resp, lines] = await this.#longcmd(line, file);
    return [resp, lines.map((l) => UTF8_CODEC.decode(l, this.errors))];
  }

  /** Python's `_getoverviewfmt`: LIST OVERVIEW.FMT once per connection, the default when the server has none. */
  async #getoverviewfmt(): Promise<string[]> {
    if (this.#overviewFmt !== undefined) return this.#overviewFmt;
    let fmt: string[];
    try {
      const [, lines] = await this.#longcmdstring("LIST OVERVIEW.FMT");
      fmt = parseOverviewFmt(lines);
    } catch (err) {
      if (!(err instanceof NNTPPermanentError)) throw err;
      fmt = [...DEFAULT_OVERVIEW_FMT];
    }
    this.#overviewFmt = fmt;
    return fmt;
  }

  /**
   * Python's `capabilities()`: CAPABILITIES (RFC 3977 5.2).
   * @returns `[response, capabilities]`
   * @throws NNTPPermanentError when the server has no such command
   */
  async capabilities(): Promise<[string, Map<string, string[]>]> {
    const [resp, lines] = await this.#longcmdstring("CAPABILITIES");
    return [resp, parseCapabilities(lines)];
  }

  /**
   * Python's `newgroups(date)`: NEWGROUPS, the groups created since `date`
   * (its UTC fields; a two-digit year for servers older than RFC 3977).
   * @returns `[response, groups]`
   */
  async newgroups(date: Date, options: FileOption = {}): Promise<[string, GroupInfo[]]> {
    const [dateStr, timeStr] = unparseDatetime(checkDate("NEWGROUPS", date), this.nntpVersion < 2);
    const [resp, lines] = await this.#longcmdstring(`NEWGROUPS ${dateStr} ${timeStr}`, options.file);
    return [resp, parseGroupList(lines)];
  }

  /**
   * Python's `newnews(group, date)`: NEWNEWS, the message-ids of articles
   * in `group` (a wildmat, `*` for all) since `date` (its UTC fields).
   * @returns `[response, messageIds]`
   */
  async newnews(group: string, date: Date, options: FileOption = {}): Promise<[string, string[]]> {
    const [dateStr, timeStr] = unparseDatetime(checkDate("NEWNEWS", date), this.nntpVersion < 2);
    return this.#longcmdstring(`NEWNEWS ${group} ${dateStr} ${timeStr}`, options.file);
  }

  /**
   * Python's `list(group_pattern)`: LIST (or LIST ACTIVE with a wildmat).
   * @returns `[response, groups]`
   */
  async list(groupPattern?: string | null, options: FileOption = {}): Promise<[string, GroupInfo[]]> {
    const command = groupPattern == null ? "LIST" : `LIST ACTIVE ${groupPattern}`;
    const [resp, lines] = await this.#longcmdstring(command, options.file);
    return [resp, parseGroupList(lines)];
  }

  /** Python's `_getdescriptions`: LIST NEWSGROUPS (XGTITLE if the reply is another block). */
  async #getdescriptions(
    groupPattern: string,
    all: boolean,
  ): Promise<[string, Map<string, string>] | string> {
    let [resp, lines] = await this.#longcmdstring(`LIST NEWSGROUPS ${groupPattern}`);
    if (!resp.startsWith("215")) [resp, lines] = await this.#longcmdstring(`XGTITLE ${groupPattern}`);
    const groups = new Map<string, string>();
    for (const raw of lines) {
      const m = DESCRIPTION_LINE.exec(pyStrip(raw));
      if (m) {
        if (!all) return m[2]!;
        groups.set(m[1]!, m[2]!);
      }
    }
    return all ? [resp, groups] : "";
  }

  /**
   * Python's `description(group)`: the first description LIST NEWSGROUPS
   * gives for `group` (a wildmat), or `""`.
   */
  async description(group: string): Promise<string> {
    return (await this.#getdescriptions(group, false)) as string;
  }

  /**
   * Python's `descriptions(group_pattern)`: LIST NEWSGROUPS.
   * @returns `[response, group → description]`
   */
  async descriptions(groupPattern: string): Promise<[string, Map<string, string>]> {
    return (await this.#getdescriptions(groupPattern, true)) as [string, Map<string, string>];
  }

  /**
   * Python's `group(name)`: GROUP, selecting the group.
   * @returns `[response, count, first, last, name]` (the name as the server gives it, lower-cased)
   * @throws NNTPTemporaryError (411) for a group that does not exist; NNTPReplyError for a reply other than 211
   */
  async group(name: string): Promise<[string, number, number, number, string]> {
    const resp = await this.#shortcmd(`GROUP ${name}`);
    if (!resp.startsWith("211")) throw new NNTPReplyError(resp);
    const words = pySplit(resp);
    const num = (i: number) => {
      const word = words[i];
      if (word === undefined) return 0;
      const n = pyInt(word);
      if (n === undefined) {
        throw new NNTPDataError(
          `Cannot parse group reply ${JSON.stringify(resp)}: ${JSON.stringify(word)} is not a number`,
        );
      }
      return n;
    };
    const groupName = words.length > 4 ? words[4]!.toLowerCase() : name;
    return [resp, num(1), num(2), num(3), groupName];
  }

  /**
   * Python's `help()`: HELP.
   * @returns `[response, lines]`
   */
  async help(options: FileOption = {}): Promise<[string, string[]]> {
    return this.#longcmdstring("HELP", options.file);
  }

  async #statcmd(line: string): Promise<[string, number, string]> {
    const resp = await this.#shortcmd(line);
    return [resp, ...parseStatReply(resp)];
  }

  /**
   * Python's `stat(message_spec)`: STAT, selecting an article by number or
   * message-id without fetching it (the current one when none is given).
   * @returns `[response, number, messageId]`
   * @throws NNTPTemporaryError (423, 430) when there is no such article
   */
  async stat(messageSpec?: string | number | null): Promise<[string, number, string]> {
    return this.#statcmd(messageSpec ? `STAT ${messageSpec}` : "STAT");
  }

  /** Python's `next()`: NEXT. @returns as `stat` @throws NNTPTemporaryError (421) after the last article */
  async next(): Promise<[string, number, string]> {
    return this.#statcmd("NEXT");
  }

  /** Python's `last()`: LAST. @returns as `stat` @throws NNTPTemporaryError (422) before the first article */
  async last(): Promise<[string, number, string]> {
    return this.#statcmd("LAST");
  }

  async #artcmd(line: string, file?: FileTarget): Promise<[string, ArticleInfo]> {
    const [resp, lines] = await this.#longcmd(line, file);
    const [number, messageId] = parseStatReply(resp);
    return [resp, new ArticleInfo(number, messageId, lines)];
  }

  /**
   * Python's `head(message_spec, file=...)`: HEAD.
   * @param messageSpec an article number or message-id @default the current article
   * @returns `[response, ArticleInfo]` with the header lines (bytes)
   */
  async head(messageSpec?: string | number | null, options: FileOption = {}): Promise<[string, ArticleInfo]> {
    return this.#artcmd(messageSpec == null ? "HEAD" : `HEAD ${messageSpec}`, options.file);
  }

  /**
   * Python's `body(message_spec, file=...)`: BODY.
   * @returns `[response, ArticleInfo]` with the body lines (bytes)
   */
  async body(messageSpec?: string | number | null, options: FileOption = {}): Promise<[string, ArticleInfo]> {
    return this.#artcmd(messageSpec == null ? "BODY" : `BODY ${messageSpec}`, options.file);
  }

  /**
   * Python's `article(message_spec, file=...)`: ARTICLE.
   * @returns `[response, ArticleInfo]` with every line (bytes)
   */
  async article(
    messageSpec?: string | number | null,
    options: FileOption = {},
  ): Promise<[string, ArticleInfo]> {
    return this.#artcmd(messageSpec == null ? "ARTICLE" : `ARTICLE ${messageSpec}`, options.file);
  }

  /** Python's `slave()`: SLAVE (RFC 977). @returns the response */
  async slave(): Promise<string> {
    return this.#shortcmd("SLAVE");
  }

  /**
   * Python's `xhdr(hdr, str)`: XHDR, one header of a range of articles.
   * @returns `[response, [number, value] pairs]` (a line that does not start with a number stays a string)
   */
  async xhdr(
    hdr: string,
    str: string,
    options: FileOption = {},
  ): Promise<[string, ([string, string] | string)[]]> {
    const [resp, lines] = await this.#longcmdstring(`XHDR ${hdr} ${str}`, options.file);
    return [
      resp,
      lines.map((line) => {
        const m = XHDR_LINE.exec(line);
        return m ? [m[1]!, m[2]!] : line;
      }),
    ];
  }

  /**
   * Python's `xover(start, end)`: XOVER start-end.
   * @returns `[response, overviews]`
   * @throws NNTPDataError for lines that do not parse
   */
  async xover(
    start: number | string,
    end: number | string,
    options: FileOption = {},
  ): Promise<[string, Overview[]]> {
    const [resp, lines] = await this.#longcmdstring(`XOVER ${start}-${end}`, options.file);
    const fmt = await this.#getoverviewfmt();
    return [resp, parseOverview(lines, fmt)];
  }

  /**
   * Python's `over(message_spec)`: OVER (XOVER when the server does not
   * list OVER), for a range `[start, end]` (`end` null: to the newest), a
   * message-id, or the current article.
   * @returns `[response, [number, fields][]]`, fields by lower-case name
   *   (`subject`, `from`, `date`, `message-id`, `references`, `:bytes`,
   *   `:lines`, then the server's extra fields such as `xref`)
   * @throws NNTPDataError for lines that do not parse
   */
  async over(messageSpec: MessageSpec, options: FileOption = {}): Promise<[string, Overview[]]> {
    let cmd = this.#caps?.has("OVER") ? "OVER" : "XOVER";
    if (Array.isArray(messageSpec)) {
      const [start, end] = messageSpec as readonly [number | string, number | string | null];
      cmd += ` ${start}-${end || ""}`;
    } else if (messageSpec != null) {
      cmd += ` ${messageSpec as string}`;
    }
    const [resp, lines] = await this.#longcmdstring(cmd, options.file);
    const fmt = await this.#getoverviewfmt();
    return [resp, parseOverview(lines, fmt)];
  }

  /**
   * Python's `date()`: DATE, the server's time (UTC, RFC 3977 7.1).
   * @returns `[response, date]`
   * @throws NNTPReplyError for a reply other than 111; NNTPDataError for a time that does not parse
   */
  async date(): Promise<[string, Date]> {
    const resp = await this.#shortcmd("DATE");
    if (!resp.startsWith("111")) throw new NNTPReplyError(resp);
    const elem = pySplit(resp);
    if (elem.length !== 2) throw new NNTPDataError(resp);
    const date = elem[1]!;
    if ([...date].length !== 14) throw new NNTPDataError(resp);
    return [resp, parseDatetime(date)];
  }

  async #post(command: string, data: ArticleData): Promise<string> {
    const resp = await this.#shortcmd(command);
    // A 4xx/5xx (posting not allowed, article not wanted) was thrown by #shortcmd.
    if (!resp.startsWith("3")) throw new NNTPReplyError(resp);
    const [, writer] = this.#io();
    const body = data instanceof Uint8Array ? data : articleChunks(data);
    await this.#guard(() => writer.writeDotBlock(body));
    return this.#getresp();
  }

  /**
   * Python's `post(data)`: POST, then the article (headers, a blank line,
   * the body), dot-stuffed with every line end made CRLF.
   * @param data the article: bytes, lines, or a stream of bytes
   * @returns the response (240)
   * @throws NNTPTemporaryError (440 posting not allowed, 441 posting failed)
   */
  async post(data: ArticleData): Promise<string> {
    return this.#post("POST", data);
  }

  /**
   * Python's `ihave(message_id, data)`: IHAVE (a feed's transfer command).
   * @returns the response (235)
   * @throws NNTPTemporaryError (435 not wanted, 436 try later, 437 rejected)
   */
  async ihave(messageId: string, data: ArticleData): Promise<string> {
    return this.#post(`IHAVE ${messageId}`, data);
  }

  /** Python's `_close`: closes the connection (no QUIT). Safe to call twice. */
  close(): void {
    this.#reader = null;
    this.#writer = null;
    const sock = this.sock;
    this.sock = null;
    sock?.close();
  }

  /**
   * Python's `quit()`: QUIT, then close (even when QUIT fails).
   * @returns the response (205)
   */
  async quit(): Promise<string> {
    try {
      return await this.#shortcmd("QUIT");
    } finally {
      this.close();
    }
  }

  /**
   * Python's `login(user, password, usenetrc)`: AUTHINFO USER, and AUTHINFO
   * PASS when asked for (RFC 4643); then the capabilities again, and MODE
   * READER if the server wanted authentication first.
   * @throws ValueError when already logged in, or with neither `user` nor `usenetrc`;
   *   NNTPReplyError when a password is asked for and none is given;
   *   NNTPTemporaryError (481, as for every 4xx) for refused credentials;
   *   NNTPPermanentError when AUTHINFO PASS is answered with anything but 281 that is not an error
   */
  async login(user?: string | null, password?: string | null, usenetrc = true): Promise<void> {
    if (this.authenticated) throw new ValueError("Already logged in.");
    if (!user && !usenetrc) throw new ValueError("At least one of `user` and `usenetrc` must be specified");
    // Python looks in ~/.netrc here when no user is given; netkit reads no netrc.
    if (!user) return;
    let resp = await this.#shortcmd(`authinfo user ${user}`);
    if (resp.startsWith("381")) {
      if (!password) throw new NNTPReplyError(resp);
      resp = await this.#shortcmd(`authinfo pass ${password}`);
      if (!resp.startsWith("281")) throw new NNTPPermanentError(resp);
    }
    this.authenticated = true;
    this.#caps = null;
    await this.getcapabilities();
    if (this.readermodeAfterauth && !this.#caps!.has("READER")) {
      await this.#setreadermode();
      this.#caps = null;
      await this.getcapabilities();
    }
  }

  /** Python's `_setreadermode`: MODE READER; a 5xx is ignored, a 480 defers it until after login. */
  async #setreadermode(): Promise<void> {
    try {
      this.welcome = await this.#shortcmd("mode reader");
    } catch (err) {
      if (err instanceof NNTPPermanentError) return;
      if (err instanceof NNTPTemporaryError && err.response.startsWith("480")) {
        this.readermodeAfterauth = true;
        return;
      }
      throw err;
    }
  }

  /**
   * Python's `starttls(context)`: STARTTLS (RFC 4642), the TLS handshake on
   * the same connection, then the capabilities again. Whatever the server
   * sent after its 382 is dropped.
   * @param context the TLS settings @default createDefaultContext() (verifies the certificate and host name)
   * @throws ValueError when TLS is already on or after login; NNTPError when
   *   the reply is not 382; SSLCertVerificationError and the other SSLErrors
   *   (the connection is closed)
   */
  async starttls(context?: SSLContext): Promise<void> {
    if (this.tlsOn) throw new ValueError("TLS is already enabled.");
    if (this.authenticated) throw new ValueError("TLS cannot be started after authentication.");
    const resp = await this.#shortcmd("STARTTLS");
    if (!resp.startsWith("382")) throw new NNTPError("TLS failed to start.");
    const raw = this.sock!;
    // Dropping the reader discards bytes that came after the 382 (a man in
    // the middle's plaintext replies; CVE-2011-1575's class of attack).
    this.#reader = null;
    this.#writer = null;
    try {
      this.sock = await (context ?? createDefaultContext()).wrapSocket(raw, { serverHostname: this.host });
    } catch (err) {
      this.sock = raw;
      this.close();
      throw err;
    }
    this.tlsOn = true;
    this.#caps = null;
    await this.getcapabilities();
  }

  /**
   * Python's `__exit__`: QUIT (a connection already gone is fine, as Python
   * ignores OSError and EOFError there), then close.
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

/** Python's description line: a group name, white space, the description. */
const DESCRIPTION_LINE = /^([^ \t]+)[ \t]+([^\n]*)$/;
/** Python's XHDR line: a number, an optional space, the value. */
const XHDR_LINE = /^([0-9]+) ?([^\n]*)/;

/** Python's check that `date` is a date: here a valid `Date` (TypeError `ERR_INVALID_ARG_TYPE`, or ValueError for an invalid one). */
function checkDate(fn: string, date: Date): Date {
  if (!(date instanceof Date)) throw argTypeError(fn, "date", "Date", date);
  if (Number.isNaN(date.getTime())) throw new ValueError(`Cannot send ${fn} for an invalid Date`);
  return date;
}
