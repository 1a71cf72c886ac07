/**
 * `LineRequestHandler`: the command loop of a line-protocol server (SMTP,
 * and later Gopher, FTP or POP3 test servers), on `StreamRequestHandler`.
 * Not in Python, whose `smtpd` builds the same loop on `asynchat`
 * (`collect_incoming_data` / `found_terminator`) and whose other servers
 * each write their own; Twisted's `LineReceiver` is the nearest model.
 *
 * ```text
 * handle ─► greet()
 *        ─► handleOneCommand() while !closeConnection
 *             ├─ flush replies unless a whole line is already buffered   (pipelining: one write per batch)
 *             ├─ wait for the first byte            idleTimeout   ─► timeoutReply, close
 *             ├─ rfile.readline(limit + 3)          commandTimeout ─► timeoutReply, close
 *             │    too long ─► rest of the line skipped, lineTooLongReply (closeOnLineTooLong: close)
 *             │    end of stream (or a line cut by it) ─► the loop ends, nothing dispatched
 *             └─ handleCommandLine(line)
 *                  ├─ parseCommand(text)          "VERB arg" ─► { verb: "VERB", arg: "arg" }
 *                  ├─ emptyLine()                 a line with no verb
 *                  ├─ <commandPrefix><VERB>(arg)  found by findCommand(verb), case-insensitive
 *                  └─ unknownCommand(verb, arg)   none found
 * data mode: readDotLines() / readDotBytes() / dotBlock() read a dot-terminated block with textproto's Reader,
 *            under dataTimeout, and the loop goes on with the next command.
 * ```
 *
 * Methods for subclasses: `reply`, `readDotLines`, `readDotBytes`, `dotBlock`, `reader`,
 * `closeConnection`. Methods to override: `greet`, `parseCommand`,
 * `findCommand`, `emptyLine`, `unknownCommand`, `commandSizeLimitFor`,
 * `handleCommandLine`, `decodeCommand`. Attributes to override (class
 * fields): `commandPrefix`, `commandSizeLimit`, `lineTooLongReply`,
 * `closeOnLineTooLong`, `idleTimeout`, `commandTimeout`, `dataTimeout`,
 * `timeoutReply`, `replyEncoding`.
 *
 * @module
 */
import { CR, LF } from "../_ascii.js";
import { OSError, TimeoutError } from "../errors/index.js";
import { type DotBlockOptions, ProtocolError, Reader } from "../textproto/index.js";
import type { AnyServer } from "./base.js";
import { StreamRequestHandler } from "./handlers.js";
import { type IdleClosable, trackHandler } from "./registry.js";

/** A command line split into its verb and argument. */
export interface LineCommand {
  /** The verb, upper-cased (`"HELO"`); empty for a line with no verb. */
  verb: string;
  /** What follows the first space, stripped; `null` when the line has no space. */
  arg: string | null;
}

/** A command method: called with the argument (`null` when the line had none). */
export type CommandMethod = (arg: string | null) => unknown;

const UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** A verb `findCommand` will look up a method for: letters and digits, starting with a letter. */
const VERB = /^[A-Z][A-Z0-9]*$/;

/**
 * The command loop of a line-protocol server: see the module doc.
 * Subclass it, set `commandPrefix`, and add one method per verb:
 *
 * @example A toy protocol
 * ```ts
 * import { createConnection } from "netkit/socket";
 * import { LineRequestHandler, ThreadingTCPServer } from "netkit/socketserver";
 * class Toy extends LineRequestHandler {
 *   override commandPrefix = "toy";
 *   override async greet() { await this.reply("200 toy ready"); }
 *   async toyECHO(arg: string | null) { await this.reply(`200 ${arg ?? ""}`); }
 *   async toyQUIT() { await this.reply("221 bye"); this.closeConnection = true; }
 * }
 * await using server = new ThreadingTCPServer(["127.0.0.1", 0], Toy);
 * await server.ready;
 * const serving = server.serveForever(0.05);
 * const [host, port] = server.serverAddress;
 * const sock = await createConnection([host, port], { timeout: 10 });
 * await sock.sendall(Buffer.from("echo hello\r\nQUIT\r\n"));
 * let answer = "";
 * for (let chunk = await sock.recv(1024); chunk.length > 0; chunk = await sock.recv(1024)) answer += chunk;
 * sock.close();
 * console.log(answer); // "200 toy ready\r\n200 hello\r\n221 bye\r\n"
 * await server.shutdown();
 * await serving;
 * ```
 */
export class LineRequestHandler<Server extends AnyServer = AnyServer>
  extends StreamRequestHandler<Server>
  implements IdleClosable
{
  /**
   * Command methods are named this prefix plus the upper-case verb
   * (`"smtp"` finds `smtpHELO`, as Python's smtpd finds `smtp_HELO`).
   * @default "cmd"
   */
  commandPrefix = "cmd";
  /**
   * Longest command line in bytes, its line end not counted (Python
   * smtpd's `command_size_limit`). `commandSizeLimitFor(verb)` may allow
   * some verbs more; the line is read up to the largest of them.
   * @default 512
   */
  commandSizeLimit = 512;
  /** What an over-long command line is answered with (`null`: nothing). @default "500 Line too long" */
  lineTooLongReply: string | null = "500 Line too long";
  /**
   * Close the connection after answering an over-long line (Twisted's
   * `LineReceiver`). `false` skips the rest of the line and reads the next
   * command (Python's smtpd). Either way the line is never held in memory
   * beyond the limit.
   * @default true
   */
  closeOnLineTooLong = true;
  /**
   * Longest line in a data block, line end included: the `maxLine` of
   * `reader`. RFC 5321 section 4.5.3.1.6 asks for 1000; Python's smtpd has
   * no limit, and real mail breaks the RFC's, so the default is generous.
   * @default 65536
   */
  maxDataLine = 65536;
  /** Seconds to wait for the first byte of the next command (`null`: no limit). @default 300 */
  idleTimeout: number | null = 300;
  /** Seconds one command line may take from its first byte to its line end (`null`: no limit). @default 60 */
  commandTimeout: number | null = 60;
  /** Seconds one data block (`readDotLines`, `readDotBytes`, `dotBlock`) may take in all (`null`: no limit). @default 600 */
  dataTimeout: number | null = 600;
  /** Sent before closing a connection that ran out of time (`null`: close silently). @default null */
  timeoutReply: string | null = null;
  /** How replies are encoded. @default "utf-8" */
  replyEncoding: BufferEncoding = "utf-8";
  /** Replies are gathered and sent when the handler waits for input, so pipelined commands get one write. @default 65536 */
  override wbufsize = 65536;
  /** Set by a command to end the loop after it (Python http.server's `close_connection`). */
  closeConnection = false;
  /** textproto's reader over `rfile`: for data blocks and protocol-specific reads. */
  reader!: Reader;

  #untrack: (() => void) | undefined;
  #waiting = false;
  #lastOne = false;
  #timer: NodeJS.Timeout | undefined;
  #timedOut = false;

  override async setup(): Promise<void> {
    await super.setup();
    this.reader = this.makeReader();
    this.#untrack = trackHandler(this.server, this);
  }

  /** Makes `reader` over `rfile` (again after the connection changes, as after STARTTLS). */
  makeReader(): Reader {
    return new Reader(this.rfile, { maxLine: Math.max(this.maxDataLine, this.#readLimit() + 2) });
  }

  override async finish(): Promise<void> {
    this.#untrack?.();
    this.#disarm();
    await super.finish();
  }

  /** `IdleClosable`: a closing server drops the connection now if it waits for a command, else after it. */
  closeWhenIdle(): void {
    this.#lastOne = true;
    if (this.#waiting) this.connection.close();
  }

  /** True once a deadline (`idleTimeout`, `commandTimeout`, `dataTimeout`) ran out and closed the connection. */
  get timedOut(): boolean {
    return this.#timedOut;
  }

  /**
   * Runs the loop: `greet()`, then one command at a time until
   * `closeConnection`, the end of the stream, or a deadline. A read that
   * fails because the connection went away or ran out of time ends the
   * loop quietly; any other error reaches the server's `handleError`.
   */
  override async handle(): Promise<void> {
    try {
      await this.greet();
      while (!this.closeConnection && !this.#lastOne) await this.handleOneCommand();
      await this.wfile.flush();
    } catch (err) {
      if (this.#timedOut || this.#lastOne || isGone(err)) return;
      throw err;
    }
  }

  /** Sends the greeting, if the protocol has one (SMTP's 220). @default nothing */
  async greet(): Promise<void> {}

  /** Reads one command line and handles it; at the end of the stream sets `closeConnection`. */
  async handleOneCommand(): Promise<void> {
    const line = await this.#readCommandLine();
    if (line === null) {
      this.closeConnection = true;
      return;
    }
    if (line !== undefined) await this.handleCommandLine(line);
  }

  /**
   * One command line (without its line end): decodes it, splits it, and
   * dispatches it. Override to add checks before dispatch.
   * @param line the raw line
   */
  async handleCommandLine(line: Buffer): Promise<void> {
    const text = this.decodeCommand(line);
    if (text === null) {
      await this.undecodableLine(line);
      return;
    }
    const command = this.parseCommand(text);
    if (command.verb === "") {
      await this.emptyLine(text);
      return;
    }
    const limit = this.commandSizeLimitFor(command.verb);
    if (line.length > limit) {
      await this.#lineTooLong();
      return;
    }
    const method = this.findCommand(command.verb);
    if (method === undefined) await this.unknownCommand(command.verb, command.arg);
    else await method.call(this, command.arg);
  }

  /**
   * Decodes a command line.
   * @param line the raw line, without its line end
   * @returns the text, or `null` when the line is not UTF-8 (it goes to `undecodableLine`)
   */
  decodeCommand(line: Buffer): string | null {
    try {
      return UTF8.decode(line);
    } catch {
      return null;
    }
  }

  /** A line `decodeCommand` could not decode. @default answers `500 Error: command line is not UTF-8` */
  async undecodableLine(_line: Buffer): Promise<void> {
    await this.reply("500 Error: command line is not UTF-8");
  }

  /**
   * Splits a command line as Python's smtpd does: the verb is what comes
   * before the first space, upper-cased; the argument is the rest, stripped
   * of white space (JavaScript's `trim()`), or `null` when there is no space.
   * @param text the decoded line
   * @returns the verb and the argument
   */
  parseCommand(text: string): LineCommand {
    const space = text.indexOf(" ");
    if (space < 0) return { verb: text.toUpperCase(), arg: null };
    return { verb: text.slice(0, space).toUpperCase(), arg: text.slice(space + 1).trim() };
  }

  /**
   * The method for `verb`: `this[commandPrefix + verb]` if it is a function.
   * Override to dispatch from a map instead. Only verbs made of letters and
   * digits are looked up, so a line can never reach another method.
   * @param verb the upper-cased verb
   * @returns the method, or `undefined`
   */
  findCommand(verb: string): CommandMethod | undefined {
    if (!VERB.test(verb)) return undefined;
    const method = (this as unknown as Record<string, unknown>)[this.commandPrefix + verb];
    return typeof method === "function" ? (method as CommandMethod) : undefined;
  }

  /** A line with no verb. @default answers `500 Error: bad syntax` */
  async emptyLine(_text: string): Promise<void> {
    await this.reply("500 Error: bad syntax");
  }

  /** A verb with no method. @default answers `500 Error: command "VERB" not recognized` */
  async unknownCommand(verb: string, _arg: string | null): Promise<void> {
    await this.reply(`500 Error: command "${verb}" not recognized`);
  }

  /**
   * The longest line `verb` may come on (line end not counted).
   * @param verb the upper-cased verb
   * @returns bytes @default `commandSizeLimit` for every verb
   */
  commandSizeLimitFor(verb: string): number {
    void verb;
    return this.commandSizeLimit;
  }

  /** The longest any command may be: what a line is read up to. Override with `commandSizeLimitFor`. */
  maxCommandSizeLimit(): number {
    return this.commandSizeLimit;
  }

  #readLimit(): number {
    return Math.max(this.commandSizeLimit, this.maxCommandSizeLimit());
  }

  /**
   * Queues one reply line; `\r\n` is added. Replies go out when the handler
   * next waits for input (or at the end), so a pipelined batch is answered
   * in one write, in order.
   * @param text the reply without its line end
   */
  async reply(text: string): Promise<void> {
    await this.wfile.write(Buffer.from(`${text}\r\n`, this.replyEncoding));
  }

  /**
   * Reads one line that answers a prompt of the server (SASL's `334`),
   * flushing the replies first and within `commandTimeout`.
   * @param limit most bytes, line end not counted
   * @returns the line without its end, or `null` at the end of the stream
   * @throws ProtocolError `ERR_TEXTPROTO_LINE_TOO_LONG` past `limit`
   */
  async readClientLine(limit: number = this.commandSizeLimit): Promise<Buffer | null> {
    await this.wfile.flush();
    this.#arm(this.commandTimeout);
    try {
      const line = await this.reader.readLine(limit + 2);
      return this.reader.lastLineEnded ? line : null;
    } catch (err) {
      if (err instanceof ProtocolError && err.code === "ERR_TEXTPROTO_EOF") return null;
      throw err;
    } finally {
      this.#disarm();
    }
  }

  /**
   * Reads a dot-terminated block as lines (textproto's `readDotLines`),
   * flushing the replies first and within `dataTimeout`.
   * @param options textproto's: the byte limit, draining past it, strict line ends
   * @returns the lines, unstuffed, without their line ends
   * @throws ProtocolError `ERR_TEXTPROTO_EOF` when the client closed first,
   *   `ERR_TEXTPROTO_TOO_LARGE` past `maxBytes`
   */
  readDotLines(options: DotBlockOptions = {}): Promise<Buffer[]> {
    return this.#inDataMode(() => this.reader.readDotLines(options));
  }

  /**
   * Reads a dot-terminated block as one Buffer whose lines end in LF
   * (textproto's `readDotBytes`), flushing the replies first and within
   * `dataTimeout`.
   * @param options textproto's: the byte limit, draining past it, strict line ends
   * @returns the unstuffed bytes, LF line ends
   * @throws as `readDotLines`
   */
  readDotBytes(options: DotBlockOptions = {}): Promise<Buffer> {
    return this.#inDataMode(() => this.reader.readDotBytes(options));
  }

  /** Runs a data-mode read: the replies flushed first, the whole read within `dataTimeout`. */
  async #inDataMode<T>(read: () => Promise<T>): Promise<T> {
    await this.wfile.flush();
    this.#arm(this.dataTimeout);
    try {
      return await read();
    } finally {
      this.#disarm();
    }
  }

  /**
   * Reads a dot-terminated block as a stream (textproto's `dotBlock`),
   * flushing the replies first and within `dataTimeout`.
   * @param options textproto's: the byte limit, draining past it, strict line ends
   * @returns the unstuffed bytes, CRLF line ends
   */
  async *dotBlock(options: DotBlockOptions = {}): AsyncGenerator<Buffer> {
    await this.wfile.flush();
    this.#arm(this.dataTimeout);
    try {
      for await (const chunk of this.reader.dotBlock(options)) yield chunk;
    } finally {
      this.#disarm();
    }
  }

  /**
   * The next command line: `null` at the end of the stream (a line cut by
   * it is dropped, never run), `undefined` when the line was too long and
   * has been answered.
   */
  async #readCommandLine(): Promise<Buffer | null | undefined> {
    if (!(await this.#lineBuffered())) await this.wfile.flush();
    this.#waiting = true;
    this.#arm(this.idleTimeout);
    let first: Buffer;
    try {
      first = await this.rfile.peek(1);
    } finally {
      this.#waiting = false;
      this.#disarm();
    }
    if (first.length === 0) return null;
    const limit = this.#readLimit();
    this.#arm(this.commandTimeout);
    try {
      // io's readline under textproto's Reader, not Reader.readLine: past its limit that
      // throws with bytes consumed that may or may not hold the line end, and the rest of
      // an over-long line must be skipped exactly. Up to limit + CRLF, and one byte more.
      const raw = await this.rfile.readline(limit + 3);
      if (raw[raw.length - 1] === LF) {
        const end = raw.length >= 2 && raw[raw.length - 2] === CR ? 2 : 1;
        if (raw.length - end <= limit) return raw.subarray(0, raw.length - end);
        await this.#lineTooLong();
        return undefined;
      }
      if (raw.length <= limit + 2) return null; // the end of the stream, inside the line
      if (!(await this.#skipLine(limit))) return null;
      await this.#lineTooLong();
      return undefined;
    } finally {
      this.#disarm();
    }
  }

  /** Reads and drops the rest of an over-long line, `limit` bytes at a time; false at end of stream. */
  async #skipLine(limit: number): Promise<boolean> {
    for (;;) {
      const part = await this.rfile.readline(limit + 2);
      if (part.length === 0) return false;
      if (part[part.length - 1] === LF) return true;
    }
  }

  async #lineTooLong(): Promise<void> {
    if (this.lineTooLongReply !== null) await this.reply(this.lineTooLongReply);
    if (this.closeOnLineTooLong) this.closeConnection = true;
  }

  /** True when a whole line is already buffered (a pipelined command): its reply can wait. */
  async #lineBuffered(): Promise<boolean> {
    if (this.rfile.buffered === 0) return false;
    return (await this.rfile.peek(this.rfile.buffered)).includes(LF);
  }

  #arm(seconds: number | null): void {
    this.#disarm();
    if (seconds === null) return;
    this.#timer = setTimeout(this.#onDeadline, seconds * 1000);
  }

  #disarm(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  readonly #onDeadline = (): void => {
    this.#timer = undefined;
    this.#timedOut = true;
    const conn = this.connection;
    if (this.timeoutReply === null) {
      conn.close();
      return;
    }
    // Best effort: the client may not be reading; it gets a second, then the connection goes.
    const bye = conn.sendall(Buffer.from(`${this.timeoutReply}\r\n`, this.replyEncoding)).catch(() => {});
    const cap = new Promise<void>((resolve) => setTimeout(resolve, 1000).unref());
    void Promise.race([bye, cap]).then(() => conn.close());
  };
}

/**
 * True for the errors a read or write meets when the client went away or
 * the connection was closed: the end of the stream inside a data block too.
 */
function isGone(err: unknown): boolean {
  if (err instanceof ProtocolError) return err.code === "ERR_TEXTPROTO_EOF";
  return err instanceof OSError || err instanceof TimeoutError;
}
