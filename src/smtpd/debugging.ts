/**
 * Python's `smtpd.DebuggingServer`: prints each message it receives, in
 * Python's layout (bytes lines as Python's `repr()`, text lines as they are,
 * an `X-Peer:` header added after the headers).
 *
 * @module
 */
import { pyRepr, reprBytes } from "../_pyrepr.js";
import type { Address } from "../socket/address.js";
import { type MessageData, type ProcessMessageOptions, SMTPServer } from "./server.js";

/** Python's `str.splitlines()` line breaks (besides `\r\n`, which counts as one). */
const TEXT_BREAKS = new Set(["\n", "\r", "\v", "\f", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]);
/** Python's `bytes.splitlines()` line breaks. */
const BYTES_BREAK = 0x0a;
const CR_BYTE = 0x0d;

/** Python's `bytes.splitlines()`: split at `\n`, `\r` and `\r\n`, ends dropped. */
function splitBytesLines(data: Buffer): Buffer[] {
  const lines: Buffer[] = [];
  let start = 0;
  for (let i = 0; i < data.length; i++) {
    const c = data[i];
    if (c !== BYTES_BREAK && c !== CR_BYTE) continue;
    lines.push(data.subarray(start, i));
    if (c === CR_BYTE && data[i + 1] === BYTES_BREAK) i++;
    start = i + 1;
  }
  if (start < data.length) lines.push(data.subarray(start));
  return lines;
}

/** Python's `str.splitlines()`. */
function splitTextLines(data: string): string[] {
  const lines: string[] = [];
  let start = 0;
  for (let i = 0; i < data.length; i++) {
    const c = data[i]!;
    if (!TEXT_BREAKS.has(c)) continue;
    lines.push(data.slice(start, i));
    if (c === "\r" && data[i + 1] === "\n") i++;
    start = i + 1;
  }
  if (start < data.length) lines.push(data.slice(start));
  return lines;
}

/** The host part of an address (`peer[0]`). */
function peerHost(peer: Address | null): string {
  if (Array.isArray(peer)) return String(peer[0]);
  return String(peer ?? "");
}

/**
 * Python's `smtpd.DebuggingServer`: prints every message to `out`
 * (standard output), between `---------- MESSAGE FOLLOWS ----------` and
 * `------------ END MESSAGE ------------`, and accepts it.
 *
 * @example
 * ```ts
 * import { DebuggingServer } from "netkit/smtpd";
 * await using server = new DebuggingServer(["127.0.0.1", 0], null);
 * await server.ready; // then: await server.serveForever(), and send it mail
 * ```
 */
export class DebuggingServer extends SMTPServer {
  /** Where messages are printed. @default process.stdout */
  out: { write(text: string): unknown } = process.stdout;

  /** Python's `_print_message_content`: the lines, with `X-Peer:` after the headers. */
  printMessageContent(peer: Address | null, data: MessageData): void {
    const peerheader = `X-Peer: ${peerHost(peer)}`;
    let inheaders = true;
    const print = (line: string) => this.out.write(`${line}\n`);
    if (typeof data === "string") {
      for (const line of splitTextLines(data)) {
        if (inheaders && line === "") {
          print(peerheader);
          inheaders = false;
        }
        print(line);
      }
      return;
    }
    for (const line of splitBytesLines(data)) {
      if (inheaders && line.length === 0) {
        print(reprBytes(Buffer.from(peerheader, "utf-8")));
        inheaders = false;
      }
      print(reprBytes(line));
    }
  }

  /** Prints the message as Python's does; returns nothing (`250 OK`). */
  override processMessage(
    peer: Address | null,
    _mailfrom: string,
    _rcpttos: string[],
    data: MessageData,
    options: ProcessMessageOptions,
  ): void {
    this.out.write("---------- MESSAGE FOLLOWS ----------\n");
    if (options.mailOptions?.length) this.out.write(`mail options: ${pyRepr(options.mailOptions)}\n`);
    if (options.rcptOptions?.length) this.out.write(`rcpt options: ${pyRepr(options.rcptOptions)}\n\n`);
    this.printMessageContent(peer, data);
    this.out.write("------------ END MESSAGE ------------\n");
  }
}
