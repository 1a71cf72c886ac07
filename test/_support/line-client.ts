/**
 * A client for line-protocol server tests (the LineRequestHandler and smtpd
 * tests): send raw bytes, read one line or one `DDD-`/`DDD ` reply at a time,
 * and see the server close. Every read has a generous per-read timeout, so
 * a hang fails the test instead of stalling it.
 */
import type { Address } from "../../src/socket/address.js";
import { AF_INET, SHUT_WR, SOCK_STREAM } from "../../src/socket/constants.js";
import { Socket } from "../../src/socket/socket.js";

export class LineClient {
  #buf = Buffer.alloc(0);
  #eof = false;

  private constructor(readonly sock: Socket) {}

  /** Connects to `address`; `timeout` seconds per read. */
  static async open(address: Address, timeout = 60): Promise<LineClient> {
    const sock = new Socket(AF_INET, SOCK_STREAM);
    sock.settimeout(timeout);
    await sock.connect(address);
    return new LineClient(sock);
  }

  /** Sends bytes as they are. */
  async send(data: string | Uint8Array): Promise<void> {
    await this.sock.sendall(typeof data === "string" ? Buffer.from(data) : data);
  }

  /** Ends the client's side (SHUT_WR). */
  shutWrite(): void {
    this.sock.shutdown(SHUT_WR);
  }

  async #more(): Promise<boolean> {
    if (this.#eof) return false;
    const chunk = await this.sock.recv(65536);
    if (chunk.length === 0) {
      this.#eof = true;
      return false;
    }
    this.#buf = Buffer.concat([this.#buf, chunk]);
    return true;
  }

  /** The next line without its CRLF; `null` when the server closed first. */
  async line(): Promise<string | null> {
    for (;;) {
      const i = this.#buf.indexOf("\n");
      if (i >= 0) {
        const line = this.#buf.subarray(0, i).toString("utf-8").replace(/\r$/, "");
        this.#buf = this.#buf.subarray(i + 1);
        return line;
      }
      if (!(await this.#more())) return null;
    }
  }

  /** One whole reply (`250-a`, `250 b`), its lines joined by `\n`; `null` when the server closed first. */
  async reply(): Promise<string | null> {
    const lines: string[] = [];
    for (;;) {
      const line = await this.line();
      if (line === null) return lines.length ? lines.join("\n") : null;
      lines.push(line);
      if (line[3] !== "-") return lines.join("\n");
    }
  }

  /** Sends `command` + CRLF and reads its reply. */
  async cmd(command: string): Promise<string | null> {
    await this.send(`${command}\r\n`);
    return this.reply();
  }

  /** Reads until the server closes; resolves with whatever came. */
  async rest(): Promise<string> {
    while (await this.#more());
    const text = this.#buf.toString("utf-8");
    this.#buf = Buffer.alloc(0);
    return text;
  }

  close(): void {
    this.sock.close();
  }
}
