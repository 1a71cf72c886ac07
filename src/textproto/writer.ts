/**
 * What every line protocol writes, written once: commands that cannot carry
 * a second command inside them (`formatCommand`, `checkArgument`), and
 * dot-stuffed blocks (`DotStuffer`, `dotStuff`) whose line ends are
 * normalised first, so no body can end a block early. `Writer` puts both on
 * a `BufferedWriter`. Mirrors Go's `textproto.Writer` (`PrintfLine`,
 * `DotWriter`) and the pieces CPython repeats in smtplib (`putcmd`,
 * `_fix_eols`, `_quote_periods`), nntplib and poplib.
 *
 * Safe where CPython was not: smtplib normalises line ends (`_fix_eols`)
 * only when the message is a `str`; a `bytes` message goes out with its
 * bare CR and LF as they are, and `_quote_periods` doubles a dot only after
 * an LF, so a body holding `\r.\r\n` is sent unstuffed and ends DATA early
 * at a server that takes a bare CR as a line end (SMTP smuggling). Here
 * every bare CR and bare LF becomes CRLF before the dots are doubled, in
 * every protocol.
 *
 * @module
 */
import { CR, LF } from "../_ascii.js";
import { asBuffer } from "../_buffer.js";
import type { BufferedWriter } from "../io/writer.js";
import { CommandError, quoteBytes } from "./errors.js";

const DOT = 0x2e;
const NUL = 0x00;
const SPACE = Buffer.from(" ");
const CRLF = Buffer.from("\r\n");
const END = Buffer.from(".\r\n");

/**
 * Throws `CommandError` when a command argument holds CR, LF or NUL: the
 * check `formatCommand` makes, for callers that build their own lines.
 * @param part the argument
 * @param what what it is, for the message @default "command argument"
 * @throws CommandError (`code` `"ERR_TEXTPROTO_ILLEGAL_CHAR"`)
 * @example
 * ```ts
 * checkArgument("<a@example.com>", "recipient"); // fine
 * try {
 *   checkArgument("a\r\nRCPT TO:<b@example.com>", "recipient");
 * } catch (err) {
 *   if (err instanceof CommandError) console.log(err.message); // Cannot send recipient "a\r\nRCPT...": it holds CR, LF or NUL
 * }
 * ```
 */
export function checkArgument(part: string | Uint8Array, what = "command argument"): void {
  let bad: boolean;
  if (typeof part === "string") {
    bad = part.includes("\r") || part.includes("\n") || part.includes("\0");
  } else {
    bad = part.includes(CR) || part.includes(LF) || part.includes(NUL);
  }
  if (bad) {
    const shown =
      typeof part === "string"
        ? JSON.stringify(part.length > 80 ? `${part.slice(0, 80)}...` : part)
        : quoteBytes(part);
    throw new CommandError(`Cannot send ${what} ${shown}: it holds CR, LF or NUL`);
  }
}

/**
 * One command line: the parts joined by one space, CRLF appended (smtplib's
 * `putcmd`, Go's `PrintfLine`). Strings are UTF-8; pass a Buffer for another
 * encoding. Pure.
 * @param parts the verb and its arguments
 * @returns the line, ready to send
 * @throws CommandError when any part holds CR, LF or NUL (nothing is formatted)
 * @example
 * ```ts
 * formatCommand("MAIL", "FROM:<a@example.com>").toString(); // "MAIL FROM:<a@example.com>\r\n"
 * ```
 */
export function formatCommand(...parts: (string | Uint8Array)[]): Buffer {
  const pieces: Buffer[] = [];
  for (const part of parts) {
    checkArgument(part);
    if (pieces.length > 0) pieces.push(SPACE);
    pieces.push(asBuffer(part));
  }
  pieces.push(CRLF);
  return Buffer.concat(pieces);
}

/**
 * Dot-stuffs a stream of bytes for a dot-terminated block (RFC 5321 4.5.2,
 * RFC 3977 3.1.1), chunk by chunk (Go's `DotWriter`; smtplib's `_fix_eols`
 * then `_quote_periods`, streaming). Pure: bytes in, bytes out.
 *
 * Every bare CR, bare LF and CRLF becomes CRLF; a `.` that starts a line is
 * doubled. A CR at the end of one chunk and an LF at the start of the next
 * are one line end: the output is the same however the input is cut.
 * `end()` finishes the line if the data did not end with a line end (an
 * empty body becomes one empty line, as smtplib and Go send it) and adds the
 * `.` line; the stuffer is then ready for a new block.
 *
 * @example
 * ```ts
 * const stuffer = new DotStuffer();
 * const out = Buffer.concat([stuffer.push(Buffer.from(".hidden\r")), stuffer.push(Buffer.from("\nlast")), stuffer.end()]);
 * out.toString(); // "..hidden\r\nlast\r\n.\r\n"
 * ```
 */
export class DotStuffer {
  /** The next byte starts a line. */
  #lineStart = true;
  /** The last chunk ended with a CR whose LF may come next. */
  #cr = false;
  /** Bytes pushed since the last `end()` (to tell an empty block). */
  #any = false;

  /**
   * Stuffs the next chunk.
   * @param chunk the next bytes of the body
   * @returns the stuffed bytes (a CR at the chunk's end is held back until
   *   the next byte shows whether an LF follows)
   */
  push(chunk: Uint8Array): Buffer {
    const n = chunk.length;
    if (n === 0) return Buffer.alloc(0);
    this.#any = true;
    // Worst case: every byte a line end (2 bytes out), a held CR (2), a dot.
    const out = Buffer.allocUnsafe(2 * n + 3);
    let o = 0;
    let i = 0;
    while (i < n) {
      const b = chunk[i]!;
      if (this.#cr) {
        this.#cr = false;
        out[o++] = CR;
        out[o++] = LF;
        this.#lineStart = true;
        if (b === LF) {
          i++;
          continue;
        }
      }
      if (b === CR) {
        this.#cr = true;
        i++;
        continue;
      }
      if (b === LF) {
        out[o++] = CR;
        out[o++] = LF;
        this.#lineStart = true;
        i++;
        continue;
      }
      if (this.#lineStart) {
        if (b === DOT) out[o++] = DOT;
        this.#lineStart = false;
      }
      // Copy the run of ordinary bytes up to the next CR or LF in one go.
      let j = i + 1;
      while (j < n) {
        const c = chunk[j]!;
        if (c === CR || c === LF) break;
        j++;
      }
      out.set(chunk.subarray(i, j), o);
      o += j - i;
      i = j;
    }
    return out.subarray(0, o);
  }

  /**
   * Ends the block: a held CR as CRLF, CRLF if the last line had no end (or
   * nothing was pushed), then `.` CRLF. Resets the stuffer.
   * @returns the last bytes of the block
   */
  end(): Buffer {
    const parts: Buffer[] = [];
    if (this.#cr || !this.#lineStart || !this.#any) parts.push(CRLF);
    parts.push(END);
    this.#lineStart = true;
    this.#cr = false;
    this.#any = false;
    return Buffer.concat(parts);
  }
}

/**
 * A whole body dot-stuffed and terminated in one call (`DotStuffer`'s
 * `push` then `end`): what smtplib's `data()` sends after `DATA`, with bare
 * CR and LF normalised to CRLF. Pure.
 * @param data the body; a string is UTF-8 encoded
 * @returns the stuffed block, ending in `.` CRLF
 * @example
 * ```ts
 * import { dotStuff } from "netkit/textproto";
 * dotStuff("Subject: hi\n\n.hello\r.\r\n").toString();
 * // "Subject: hi\r\n\r\n..hello\r\n..\r\n.\r\n"
 * ```
 */
export function dotStuff(data: string | Uint8Array): Buffer {
  const stuffer = new DotStuffer();
  const body = stuffer.push(asBuffer(data));
  return Buffer.concat([body, stuffer.end()]);
}

/**
 * Writes a line protocol onto a `BufferedWriter` (Go's `textproto.Writer`):
 * commands, flushed one by one, and dot-stuffed blocks.
 *
 * @example
 * ```ts
 * import { BufferedWriter, BytesSink } from "netkit/io";
 * const sink = new BytesSink();
 * const writer = new Writer(new BufferedWriter(sink));
 * await writer.cmd("DATA");
 * await writer.writeDotBlock(Buffer.from("Subject: hi\n\n.body"));
 * sink.getvalue().toString(); // "DATA\r\nSubject: hi\r\n\r\n..body\r\n.\r\n"
 * ```
 */
export class Writer {
  /** The writer underneath: for bytes a protocol writes its own way. */
  readonly buffered: BufferedWriter;

  /** @param sink the buffered writer to write to */
  constructor(sink: BufferedWriter) {
    this.buffered = sink;
  }

  /**
   * Sends one command line and flushes it.
   * @param parts the verb and its arguments, joined by spaces
   * @throws CommandError when any part holds CR, LF or NUL (nothing is sent);
   *   the writer's errors (`BrokenPipeError`, a timeout)
   */
  async cmd(...parts: (string | Uint8Array)[]): Promise<void> {
    await this.buffered.write(formatCommand(...parts));
    await this.buffered.flush();
  }

  /**
   * Sends a body as a dot-terminated block and flushes it: line ends
   * normalised to CRLF, leading dots doubled, `.` CRLF at the end.
   * @param data the body, whole or as chunks
   * @throws the writer's errors, or the iterable's
   */
  async writeDotBlock(data: Uint8Array | AsyncIterable<Uint8Array>): Promise<void> {
    if (data instanceof Uint8Array) {
      await this.buffered.write(dotStuff(data));
    } else {
      const stuffer = new DotStuffer();
      for await (const chunk of data) {
        const out = stuffer.push(chunk);
        if (out.length > 0) await this.buffered.write(out);
      }
      await this.buffered.write(stuffer.end());
    }
    await this.buffered.flush();
  }
}
