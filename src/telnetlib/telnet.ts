/**
 * Python's `telnetlib.Telnet`: a Telnet client (RFC 854) with Python's
 * reading API over two queues, as Python keeps them:
 *
 * ```text
 *   socket ──recv(50)──▶ raw queue ──TelnetParser──▶ cooked queue ──▶ readUntil, expect, readSome, ...
 *     fillRawq()                     processRawq()  └─▶ SB queue ──▶ readSbData()
 *                                     │ DO/DONT x ─▶ IAC WONT x    (no callback set: every option
 *                                     │ WILL/WONT x ─▶ IAC DONT x   is refused, as Python refuses it)
 *                                     └ or the option callback, for every command
 * ```
 *
 * Which read does what, as in Python:
 *
 * | method | reads the socket | returns |
 * | --- | --- | --- |
 * | `readUntil(match, timeout)` | until `match` or the timeout | up to and with `match`, else what there is |
 * | `expect(list, timeout)` | until a pattern matches or the timeout | `[index, match, text]`, or `[-1, null, text]` |
 * | `readAll()` | until EOF | everything |
 * | `readSome()` | until one cooked byte or EOF | at least one byte, empty at EOF |
 * | `readVeryEager()` | while data is waiting | all that was waiting |
 * | `readEager()` | while data is waiting and nothing is cooked | what is cooked |
 * | `readLazy()` | never (processes the raw queue) | what is cooked |
 * | `readVeryLazy()` | never | what is cooked |
 * | `readSbData()` | never | the subnegotiation data |
 *
 * `readVeryEager`, `readEager`, `readLazy` and `readVeryLazy` throw
 * `EOFError` when the connection is closed and nothing is left; `readUntil`
 * and `expect` too when they found nothing at EOF.
 *
 * Methods for the caller: `open`, `close`, `write`, the reads, `expect`,
 * `setOptionNegotiationCallback`, `setDebuglevel`, `interact`,
 * `mtInteract`, `getSocket`, `fileno`, `waitReadable`. Methods for
 * subclasses: `fillRawq`, `processRawq`, `sockAvail`, `msg`.
 *
 * Where netkit differs from Python 3.11, on purpose:
 * - Bounded (`TELNET_LIMITS`, each changeable in `TelnetOptions`): a
 *   subnegotiation past `maxSbData` bytes (no SE) and more than
 *   `maxCommands` commands in a row without data close the connection with
 *   a `TelnetLimitError`; a cooked queue of `maxQueue` bytes stops reading
 *   with `TelnetQueueFullError` (nothing is lost). Python grows or loops
 *   without end.
 * - Every method that may touch the socket is `async`; `readVeryLazy` and
 *   `readSbData` stay synchronous. The constructor never connects:
 *   `await Telnet.open(host, port)` is Python's `Telnet(host, port)`.
 * - The option callback may return a promise; it is awaited after the
 *   received bytes are processed, in order (Python's callback blocks).
 * - `expect` takes JavaScript regular expressions (a string or bytes is
 *   compiled as one), matched against the cooked bytes read as latin1, one
 *   character per byte; the match is a `RegExpExecArray`.
 * - The cooked queue grows by doubling instead of by concatenation, so
 *   `readAll` is linear (Python's is quadratic in the data's size).
 *
 * @module
 */

import { asBuffer } from "../_buffer.js";
import { reprBytes } from "../_pyrepr.js";
import { EBADF, EOFError, OSError } from "../errors/index.js";
import { createConnection } from "../socket/create.js";
import type { Socket } from "../socket/socket.js";
import { ByteQueue } from "./_queue.js";
import { DEBUGLEVEL, TELNET_PORT } from "./constants.js";
import { TelnetLimitError, TelnetQueueFullError } from "./errors.js";
import { type InteractOptions, interactLoop } from "./interact.js";
import { RECV_SIZE, TELNET_LIMITS } from "./limits.js";
import { TelnetParser } from "./parser.js";

const IAC = 255;
const DONT = 254;
const DO = 253;
const WONT = 252;
const WILL = 251;
const EMPTY = Buffer.alloc(0);

/**
 * Python's option negotiation callback: called for every command received,
 * with the socket, the command (`DO`, `DONT`, `WILL`, `WONT`, `SB`, `SE`,
 * `NOP`, ...) and the option (`NOOPT` for commands without one), each a
 * one-byte Buffer. At `SE` the subnegotiation's data is ready for
 * `readSbData()`. With a callback set, telnetlib answers nothing itself.
 */
export type OptionNegotiationCallback = (
  sock: Socket | null,
  cmd: Buffer,
  opt: Buffer,
) => void | Promise<void>;

/** Options for `Telnet`: Python's `timeout`, and netkit's limits. */
export interface TelnetOptions {
  /**
   * Seconds for connecting and for every receive and send after (`null`: no
   * limit). `readUntil` and `expect` take their own timeout besides.
   * @default getdefaulttimeout() (Python's global default)
   */
  timeout?: number | null;
  /** Bytes of subnegotiation data held (`null`: no limit). @default TELNET_LIMITS.maxSbData (64 KiB) */
  maxSbData?: number | null;
  /** Commands in a row with no data between (`null`: no limit). @default TELNET_LIMITS.maxCommands (4096) */
  maxCommands?: number | null;
  /** Bytes of the cooked queue before reads stop reading (`null`: no limit). @default TELNET_LIMITS.maxQueue (64 MiB) */
  maxQueue?: number | null;
}

/** A pattern for `expect`: a regular expression, or its source as text or bytes (latin1). */
export type ExpectPattern = RegExp | string | Uint8Array;

/** What `expect` returns: the index of the pattern that matched, its match, and the text read up to its end. */
export type ExpectResult = [index: number, match: RegExpExecArray | null, text: Buffer];

/** Seconds now, on a clock that does not jump (Python's `time.monotonic`). */
const monotonic = (): number => performance.now() / 1000;

/** The pattern as a regular expression that searches from the start every time (no `g`, no `y`). */
function compilePattern(pattern: ExpectPattern): RegExp {
  if (typeof pattern === "string") return new RegExp(pattern);
  if (!(pattern instanceof RegExp)) return new RegExp(Buffer.from(pattern).toString("latin1"));
  return new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, ""));
}

/** `data` with every IAC byte doubled (RFC 854: a data byte 255 is sent as IAC IAC). */
export function escapeIAC(data: Uint8Array): Buffer {
  let count = 0;
  for (const b of data) if (b === IAC) count++;
  const bytes = asBuffer(data);
  if (count === 0) return bytes;
  const out = Buffer.allocUnsafe(data.length + count);
  let j = 0;
  for (const b of bytes) {
    out[j++] = b;
    if (b === IAC) out[j++] = IAC;
  }
  return out;
}

/**
 * Python's `telnetlib.Telnet`: a connection to a Telnet server.
 *
 * @example Read up to a prompt (a stand-in server offers ECHO, which is refused, then prompts)
 * ```ts
 * import { createServer } from "node:net";
 * import { Telnet } from "netkit/telnetlib";
 * const server = createServer((s) => s.on("error", () => {}).write(Buffer.from("\xff\xfb\x01login: ", "latin1")));
 * await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
 * const { port } = server.address() as { port: number };
 * await using tn = await Telnet.open("127.0.0.1", port, { timeout: 10 });
 * console.log((await tn.readUntil(Buffer.from("login: "), 10)).toString()); // "login: "
 * server.close();
 * ```
 */
export class Telnet implements AsyncDisposable {
  /** Debug output on stdout when above 0 (Python's `debuglevel`). */
  debuglevel = DEBUGLEVEL;
  /** The host last opened (Python's `host`). */
  host: string | null;
  /** The port last opened (Python's `port`). */
  port: number;
  /** Seconds for connecting, receiving and sending (Python's `timeout`). */
  timeout: number | null | undefined;
  /** The connection, or `null` before `open` and after `close` (Python's `sock`). */
  sock: Socket | null = null;
  /** True once the server closed the connection, or after `close()` (Python's `eof`). */
  eof = false;
  /** The callback for commands received, or `null` to refuse every option (Python's `option_callback`). */
  optionCallback: OptionNegotiationCallback | null = null;
  /** Bytes received and not yet processed (Python's `rawq`). */
  #rawq: Buffer = EMPTY;
  /** Data processed and not yet read (Python's `cookedq`). */
  readonly #cookedq = new ByteQueue();
  readonly #parser: TelnetParser;
  readonly #maxQueue: number | null;

  /**
   * Python's `Telnet()`: an unconnected instance (`open()` connects;
   * `Telnet.open(host)` makes one connected).
   * @param host the host `open()` will be given (kept as `host`)
   * @param port its port
   * @param options the timeout and limits
   */
  constructor(host: string | null = null, port = 0, options: TelnetOptions = {}) {
    this.host = host;
    this.port = port;
    this.timeout = options.timeout;
    this.#parser = new TelnetParser({
      ...(options.maxSbData !== undefined ? { maxSbData: options.maxSbData } : {}),
      ...(options.maxCommands !== undefined ? { maxCommands: options.maxCommands } : {}),
    });
    this.#maxQueue = options.maxQueue === undefined ? TELNET_LIMITS.maxQueue : options.maxQueue;
  }

  /**
   * Python's `Telnet(host, port, timeout)`: makes the client (of the class
   * it is called on) and connects.
   * @param host the server
   * @param port its port (0: 23)
   * @param options the timeout and limits
   * @throws OSError (ConnectionRefusedError, TimeoutError, gaierror) when connecting fails
   */
  static async open<T extends Telnet>(
    this: new (
      host: string | null,
      port: number,
      options: TelnetOptions,
    ) => T,
    host: string,
    port = 0,
    options: TelnetOptions = {},
  ): Promise<T> {
    const tn = new this(host, port, options);
    await tn.open(host, port, options.timeout === undefined ? {} : { timeout: options.timeout });
    return tn;
  }

  /**
   * Python's `open(host, port, timeout)`: connects. Do not open an instance
   * that is already connected.
   * @param host the server
   * @param port its port (0: 23, Python's `TELNET_PORT`)
   * @param options.timeout seconds for connecting and for every receive and send @default getdefaulttimeout()
   * @throws OSError (ConnectionRefusedError, TimeoutError, gaierror) when connecting fails
   */
  async open(host: string, port = 0, options: { timeout?: number | null } = {}): Promise<void> {
    this.eof = false;
    if (!port) port = TELNET_PORT;
    this.host = host;
    this.port = port;
    if (options.timeout !== undefined) this.timeout = options.timeout;
    this.sock = await createConnection(
      [host, port],
      this.timeout === undefined ? {} : { timeout: this.timeout },
    );
  }

  /**
   * Python's `msg(msg, *args)`: prints `Telnet(host,port): msg` on stdout
   * when `debuglevel` is above 0. `%r` shows bytes as Python does.
   */
  msg(message: string, ...args: unknown[]): void {
    if (this.debuglevel <= 0) return;
    let next = 0;
    const text = args.length
      ? message.replace(/%([sdr%])/g, (_, conv: string) => {
          if (conv === "%") return "%";
          const value = args[next++];
          if (conv === "r" && value instanceof Uint8Array) return reprBytes(value);
          return String(value);
        })
      : message;
    process.stdout.write(`Telnet(${this.host},${this.port}): ${text}\n`);
  }

  /** Python's `set_debuglevel(debuglevel)`: above 0, what is sent, received and negotiated is printed on stdout. */
  setDebuglevel(debuglevel: number): void {
    this.debuglevel = debuglevel;
  }

  /** Python's `close()`: closes the connection; reads then find EOF. Closing twice is harmless. */
  close(): void {
    const sock = this.sock;
    this.sock = null;
    this.eof = true;
    this.#parser.reset();
    sock?.close();
  }

  /** `await using tn = ...` closes it at the end of the block (Python's `with`). */
  async [Symbol.asyncDispose](): Promise<void> {
    this.close();
  }

  /** Python's `get_socket()`: the connection, or `null`. */
  getSocket(): Socket | null {
    return this.sock;
  }

  /** Python's `fileno()`: the socket's file descriptor (-1 when closed or when Node hides it). */
  fileno(): number {
    return this.sock?.fileno() ?? -1;
  }

  /**
   * What Python does by passing a `Telnet` to a selector: waits until a read
   * would find something (data, end of stream, an error), for at most
   * `timeout` seconds (`null`: no limit). Like Python's, readable does not
   * mean a read returns data: negotiation may have eaten it.
   * @returns false after the timeout or when `signal` aborts
   */
  waitReadable(timeout: number | null, signal?: AbortSignal): Promise<boolean> {
    return this.#socket().waitReadable(timeout === null ? null : Math.max(0, timeout), signal);
  }

  #socket(): Socket {
    if (!this.sock) throw new OSError(EBADF, "Bad file descriptor: the Telnet connection is closed");
    return this.sock;
  }

  /**
   * Python's `write(buffer)`: sends `buffer` with every IAC (255) doubled.
   * @throws OSError when closed or the connection fails (BrokenPipeError, TimeoutError)
   */
  async write(buffer: Uint8Array): Promise<void> {
    const data = escapeIAC(buffer);
    this.msg("send %r", data);
    await this.#socket().sendall(data);
  }

  /**
   * Python's `read_until(expected, timeout)`: reads until `match` has been
   * seen, or `timeout` seconds have passed (`null`: no limit).
   * @returns the data up to and with `match`; at the timeout or EOF, what is cooked (maybe empty)
   * @throws EOFError when the connection is closed and nothing is cooked;
   *   TelnetLimitError; OSError from the socket
   */
  async readUntil(match: Uint8Array, timeout: number | null = null): Promise<Buffer> {
    const n = match.length;
    await this.processRawq();
    let i = this.#cookedq.view().indexOf(match);
    if (i >= 0) return this.#cookedq.take(i + n);
    const deadline = timeout === null ? 0 : monotonic() + timeout;
    while (!this.eof) {
      if (await this.waitReadable(timeout)) {
        i = Math.max(0, this.#cookedq.length - n);
        await this.fillRawq();
        await this.processRawq();
        i = this.#cookedq.view().indexOf(match, i);
        if (i >= 0) return this.#cookedq.take(i + n);
      }
      if (timeout !== null) {
        timeout = deadline - monotonic();
        if (timeout < 0) break;
      }
    }
    return this.readVeryLazy();
  }

  /**
   * Python's `read_all()`: reads until the server closes the connection.
   * @returns everything cooked
   * @throws TelnetQueueFullError past `maxQueue` bytes; OSError (TimeoutError after `timeout` of silence)
   */
  async readAll(): Promise<Buffer> {
    await this.processRawq();
    while (!this.eof) {
      await this.fillRawq();
      await this.processRawq();
    }
    return this.#cookedq.take();
  }

  /**
   * Python's `read_some()`: reads until at least one byte is cooked, or EOF.
   * @returns the cooked bytes; empty only at EOF
   */
  async readSome(): Promise<Buffer> {
    await this.processRawq();
    while (this.#cookedq.length === 0 && !this.eof) {
      await this.fillRawq();
      await this.processRawq();
    }
    return this.#cookedq.take();
  }

  /**
   * Python's `read_very_eager()`: reads everything that has arrived, without
   * waiting for more.
   * @returns the cooked bytes (maybe empty)
   * @throws EOFError when the connection is closed and nothing is cooked
   */
  async readVeryEager(): Promise<Buffer> {
    await this.processRawq();
    while (!this.eof && (await this.sockAvail())) {
      await this.fillRawq();
      await this.processRawq();
    }
    return this.readVeryLazy();
  }

  /**
   * Python's `read_eager()`: reads what has arrived until something is
   * cooked, without waiting for more.
   * @returns the cooked bytes (maybe empty)
   * @throws EOFError when the connection is closed and nothing is cooked
   */
  async readEager(): Promise<Buffer> {
    await this.processRawq();
    while (this.#cookedq.length === 0 && !this.eof && (await this.sockAvail())) {
      await this.fillRawq();
      await this.processRawq();
    }
    return this.readVeryLazy();
  }

  /**
   * Python's `read_lazy()`: processes what was received, reads nothing more.
   * Async because refusing an option sends a reply.
   * @returns the cooked bytes (maybe empty)
   * @throws EOFError when the connection is closed and nothing is left
   */
  async readLazy(): Promise<Buffer> {
    await this.processRawq();
    return this.readVeryLazy();
  }

  /**
   * Python's `read_very_lazy()`: takes the cooked queue; no I/O.
   * @returns the cooked bytes (maybe empty)
   * @throws EOFError ("telnet connection closed") when the connection is closed and nothing is left
   */
  readVeryLazy(): Buffer {
    const buf = this.#cookedq.take();
    if (buf.length === 0 && this.eof && this.#rawq.length === 0)
      throw new EOFError("telnet connection closed");
    return buf;
  }

  /**
   * Python's `read_sb_data()`: takes the data of the subnegotiations seen
   * (between SB and SE; a new SB drops what was not taken); no I/O. Call it
   * from the option callback at SE.
   * @returns the bytes (maybe empty)
   */
  readSbData(): Buffer {
    return this.#parser.takeSbData();
  }

  /**
   * Python's `set_option_negotiation_callback(callback)`: `callback` is
   * called for every command received, and telnetlib answers nothing
   * itself; `null` goes back to refusing every option.
   */
  setOptionNegotiationCallback(callback: OptionNegotiationCallback | null): void {
    this.optionCallback = callback;
  }

  /**
   * Python's `process_rawq()`: moves the raw queue through the Telnet state
   * machine into the cooked and SB queues, answering options (or calling
   * the option callback). Reads nothing.
   * @throws TelnetSubnegotiationError, TelnetCommandFloodError past a limit (the connection is closed first);
   *   what the option callback throws; OSError when a refusal cannot be sent
   */
  async processRawq(): Promise<void> {
    const raw = this.#rawq;
    if (raw.length === 0) return;
    this.#rawq = EMPTY;
    const replies: number[] = [];
    const pending: Promise<void>[] = [];
    let cooked: Buffer;
    try {
      cooked = this.#parser.process(raw, (cmd, opt) => this.#onCommand(cmd, opt, replies, pending));
    } catch (err) {
      if (err instanceof TelnetLimitError) this.close();
      throw err;
    }
    this.#cookedq.append(cooked);
    await Promise.all(pending);
    // Python sends each refusal as it meets it; one write sends the same bytes.
    if (replies.length > 0 && this.sock) await this.sock.sendall(Buffer.from(replies));
  }

  /** Python's handling of one command: the debug line, then the callback or a refusal. */
  #onCommand(cmd: number, opt: number, replies: number[], pending: Promise<void>[]): void {
    const callback = this.optionCallback;
    const negotiation = cmd === DO || cmd === DONT || cmd === WILL || cmd === WONT;
    if (negotiation) {
      const name = cmd === DO ? "DO" : cmd === DONT ? "DONT" : cmd === WILL ? "WILL" : "WONT";
      this.msg("IAC %s %d", name, opt);
    }
    if (callback) {
      const result = callback(this.sock, Buffer.from([cmd]), Buffer.from([negotiation ? opt : 0]));
      if (result instanceof Promise) pending.push(result);
    } else if (cmd === DO || cmd === DONT) replies.push(IAC, WONT, opt);
    else if (cmd === WILL || cmd === WONT) replies.push(IAC, DONT, opt);
    else this.msg(`IAC ${cmd} not recognized`);
  }

  /**
   * Python's `fill_rawq()`: one `recv(50)` into the raw queue; sets `eof`
   * when the server has closed.
   * @throws TelnetQueueFullError when the cooked queue already holds `maxQueue` bytes (nothing is read);
   *   OSError (TimeoutError after `timeout` of silence, ConnectionResetError)
   */
  async fillRawq(): Promise<void> {
    if (this.#maxQueue !== null && this.#cookedq.length >= this.#maxQueue)
      throw new TelnetQueueFullError(
        `Refuse to read past ${this.#maxQueue} bytes of unread data: read the queue first`,
        this.#maxQueue,
      );
    const buf = await this.#socket().recv(RECV_SIZE);
    this.msg("recv %r", buf);
    this.eof = buf.length === 0;
    this.#rawq = this.#rawq.length === 0 ? buf : Buffer.concat([this.#rawq, buf]);
  }

  /** Python's `sock_avail()`: whether a receive would not wait. */
  async sockAvail(): Promise<boolean> {
    return this.waitReadable(0);
  }

  /**
   * Python's `expect(list, timeout)`: reads until one of the patterns
   * matches the cooked data (the first in `list` order that matches), or
   * `timeout` seconds have passed (`null`: no limit).
   * @param list regular expressions (text or bytes are compiled; `g` and `y` are dropped)
   * @returns `[index, match, text]`, `text` being the data up to the match's end;
   *   `[-1, null, text]` at the timeout or EOF, `text` what is cooked
   * @throws EOFError when the connection is closed and nothing is cooked;
   *   TelnetLimitError; OSError from the socket
   */
  async expect(list: readonly ExpectPattern[], timeout: number | null = null): Promise<ExpectResult> {
    const patterns = list.map(compilePattern);
    const deadline = timeout === null ? 0 : monotonic() + timeout;
    while (!this.eof) {
      await this.processRawq();
      const text = this.#cookedq.view().toString("latin1");
      for (const [i, re] of patterns.entries()) {
        const m = re.exec(text);
        if (m) return [i, m, this.#cookedq.take(m.index + m[0].length)];
      }
      if (timeout !== null) {
        const ready = await this.waitReadable(timeout);
        timeout = deadline - monotonic();
        if (!ready) {
          if (timeout < 0) break;
          continue;
        }
      }
      await this.fillRawq();
    }
    const text = this.readVeryLazy();
    if (text.length === 0 && this.eof) throw new EOFError();
    return [-1, null, text];
  }

  /**
   * Python's `interact()`: a very dumb Telnet client. What the server sends
   * goes to `stdout`, each line typed on `stdin` goes to the server, until
   * the server closes (`*** Connection closed by remote host ***`), stdin
   * ends, or `signal` aborts. Bytes go as they are (Python decodes and
   * encodes ASCII, and fails on anything else).
   * @param options where to read and write (default the process's stdin and stdout), and a signal to stop
   */
  async interact(options: InteractOptions = {}): Promise<void> {
    await interactLoop(this, options);
  }

  /**
   * Python's `mt_interact()`: Python's interact with a thread reading the
   * connection. On Node's event loop it is `interact()`.
   */
  async mtInteract(options: InteractOptions = {}): Promise<void> {
    await interactLoop(this, options);
  }
}
