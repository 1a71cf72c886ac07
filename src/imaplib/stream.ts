/**
 * Python's `imaplib.IMAP4_stream`: IMAP over a command's standard input and
 * output (`ssh host imapd`, `/usr/lib/dovecot/imap` run directly), the
 * command run by the shell as Python's `subprocess.Popen(command, shell=True)`.
 *
 * @module
 */
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { readableSource } from "../io/memory.js";
import { BufferedReader } from "../io/reader.js";
import { Reader } from "../textproto/index.js";
import { IMAP4Abort } from "./errors.js";
import { IMAP4, type IMAP4Options } from "./imap4.js";

/** Options for `IMAP4_stream`: `IMAP4`'s limits (`timeout` does not apply to a pipe). */
export type IMAP4_streamOptions = Omit<IMAP4Options, "timeout">;

/** Python's `imaplib.IMAP4_stream`: an `IMAP4` talking to a command through its stdin and stdout. */
export class IMAP4_stream extends IMAP4 {
  /** Python's `command`: the shell command line. */
  readonly command: string;
  /** Python's `process`: the running command, after `open()`. */
  process: ChildProcessWithoutNullStreams | null = null;

  /**
   * Python's `IMAP4_stream(command)`, without starting it.
   * @param command a shell command line that speaks IMAP on stdin/stdout
   */
  constructor(command: string, options: IMAP4_streamOptions = {}) {
    super("", 0, options);
    this.command = command;
  }

  /**
   * Python's `IMAP4_stream(command)`: starts the command, reads the greeting
   * and the capabilities.
   * @throws what `IMAP4.open` throws (IMAP4.abort `ERR_IMAP_EOF` when the command exits at once)
   */
  static override async open<T extends IMAP4, O extends IMAP4Options>(
    this: new (
      ...args: never[]
    ) => T,
    command: string,
    _port?: number,
    options: O = {} as O,
  ): Promise<T> {
    // A subclass of IMAP4_stream is made as itself; its constructor takes (command, options).
    const Stream = this as unknown as new (command: string, options: O) => T;
    const imap = new Stream(command, options);
    await imap.start();
    return imap;
  }

  /** Python's `open()`: starts the command; its stdout is read, its stdin written. */
  override async open(): Promise<void> {
    this.host = "";
    this.port = 0;
    this.sock = null;
    const child = spawn(this.command, {
      shell: true,
      stdio: ["pipe", "pipe", "inherit"],
    }) as unknown as ChildProcessWithoutNullStreams;
    // A command that cannot start shows as the end of its output; the error is kept for the cause.
    child.on("error", () => {});
    child.stdin.on("error", () => {});
    this.process = child;
    this.reader = new Reader(new BufferedReader(readableSource(child.stdout)), { maxLine: this.maxLine });
  }

  /** Python's `send(data)`: writes to the command's stdin. */
  override async send(data: Uint8Array): Promise<void> {
    const child = this.process;
    if (child === null || child.stdin.destroyed) {
      throw new IMAP4Abort("socket error: the command's input is closed", { code: "ERR_IMAP_SOCKET" });
    }
    await new Promise<void>((resolve, reject) => {
      child.stdin.write(data, (err) => {
        if (err)
          reject(new IMAP4Abort(`socket error: ${err.message}`, { code: "ERR_IMAP_SOCKET", cause: err }));
        else resolve();
      });
    });
  }

  /** Python's `shutdown()`: closes the pipes and waits for the command to exit. */
  override async shutdown(): Promise<void> {
    this.reader = null;
    const child = this.process;
    if (child === null) return;
    this.process = null;
    const exited =
      child.exitCode !== null || child.signalCode !== null
        ? Promise.resolve()
        : new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.stdin.end();
    child.stdout.destroy();
    await exited;
  }
}
