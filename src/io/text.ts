/**
 * `TextIOWrapper`: Python's text layer over the buffered streams, for
 * `makefile("r")`-style code that wants strings instead of bytes.
 *
 * Lines are found in bytes (by the `BufferedReader`, so its line limit holds)
 * and each whole line is decoded, so a character split across chunks decodes
 * whole. Hence the encoding must be ASCII-compatible and keep no state from
 * line to line (a `\n` byte is always a newline): UTF-8, Latin-1, ASCII, the
 * Windows, ISO 8859 and DOS code pages, Shift_JIS, EUC-JP, GBK, GB18030,
 * Big5, EUC-KR and the others of netkit's codec module, reading and
 * writing, with Python's tables (the codecs email and urllib use, not WHATWG's). UTF-8-SIG
 * drops a byte-order mark at the start of the stream and writes one before
 * the first text. UTF-16, UTF-32, UTF-7, the ISO-2022 family, HZ and EBCDIC
 * are refused. Errors are Python's: `UnicodeDecodeError` /
 * `UnicodeEncodeError` with the codec name, positions (within the line) and
 * reason, and every error handler of Python's.
 *
 * Newlines: Python's default (`newline=None`) translates `\r\n` and `\r` to
 * `\n` when reading. netkit's default is `"\n"`: lines end at `\n` and are
 * returned as they are (`"250 OK\r\n"`), which is what line protocols want.
 * `"\r\n"` ends lines only at `\r\n` and writes `\n` as `\r\n`, as in Python.
 *
 * @module
 */
import { type Codec, lookupCodec, UTF8_CODEC } from "../_codecs.js";
import { ValueError } from "../errors/index.js";
import { IncompleteReadError, LimitOverrunError, LineTooLongError } from "./errors.js";
import { BufferedReader } from "./reader.js";
import { BufferedWriter } from "./writer.js";

/** Options for `TextIOWrapper`, Python's keyword arguments. */
export interface TextIOWrapperOptions {
  /**
   * Text encoding, under any of Python's names: an ASCII-compatible codec of
   * netkit's codec module (see the module doc).
   * @default "utf-8"
   */
  encoding?: string;
  /**
   * Python's error handler: `"strict"` throws `UnicodeDecodeError` /
   * `UnicodeEncodeError` on bad input; `"replace"` puts U+FFFD when
   * decoding and `?` when encoding; `"ignore"`, `"surrogateescape"`,
   * `"backslashreplace"`, `"xmlcharrefreplace"` and `"surrogatepass"` as in
   * Python. An unknown name is a `LookupError` at the first bad byte or
   * character, as in Python.
   * @default "strict"
   */
  errors?: string;
  /**
   * What ends a line: `"\n"` (lines returned untranslated) or `"\r\n"`
   * (lines end only at `\r\n`; `\n` is written as `\r\n`).
   * @default "\n"
   */
  newline?: "\n" | "\r\n";
  /**
   * Python's `line_buffering`: `write()` flushes when the text holds a newline.
   * @default false
   */
  lineBuffering?: boolean;
}

const BOM = "\ufeff";

/** Counts code points, as Python's `len(str)` does. */
function codePoints(text: string): number {
  let n = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

/**
 * Python's `io.TextIOWrapper` over a `BufferedReader`, a `BufferedWriter`,
 * or both (what `makefile("rw")` gives): strings in, strings out.
 *
 * Methods for the caller: `readline`, `readlines`, `read` (to the end),
 * `write`, `flush`, `close`, and `for await` over lines.
 *
 * @example
 * ```ts world
 * import type { Socket } from "netkit/socket";
 * declare const sock: Socket; // connected to an SMTP server
 * const text = new TextIOWrapper(sock.makefile("rwb"), undefined, { newline: "\r\n" });
 * await text.write("EHLO example.org\n"); // sent as "EHLO example.org\r\n"
 * await text.flush();
 * console.log(await text.readline()); // "250 mail.example.org\r\n"
 * ```
 */
export class TextIOWrapper implements AsyncIterable<string> {
  readonly #reader: BufferedReader | undefined;
  readonly #writer: BufferedWriter | undefined;
  readonly #name: string;
  readonly #codec: Codec;
  readonly #errors: string;
  /** UTF-8-SIG: a mark still to drop (reading) and to write (writing). */
  #markToRead = false;
  #markToWrite = false;
  readonly #crlf: boolean;
  readonly #lineBuffering: boolean;
  #closed = false;

  /**
   * @param buffer the byte stream: a reader, a writer, or a `[reader, writer]` pair
   * @param writer a writer, when `buffer` is a reader
   * @param options encoding, errors, newline, line buffering
   * @throws LookupError for an unknown encoding; ValueError for one that is
   *   not ASCII-compatible or keeps state from line to line
   */
  constructor(
    buffer: BufferedReader | BufferedWriter | readonly [BufferedReader, BufferedWriter] | undefined,
    writer?: BufferedWriter,
    options: TextIOWrapperOptions = {},
  ) {
    if (buffer instanceof BufferedWriter) {
      this.#writer = buffer;
    } else if (buffer instanceof BufferedReader || buffer === undefined) {
      this.#reader = buffer;
      this.#writer = writer;
    } else {
      [this.#reader, this.#writer] = buffer;
    }
    this.#name = options.encoding ?? "utf-8";
    this.#errors = options.errors ?? "strict";
    const newline = options.newline ?? "\n";
    if (newline !== "\n" && newline !== "\r\n") throw new ValueError(`illegal newline value: ${newline}`);
    this.#crlf = newline === "\r\n";
    this.#lineBuffering = options.lineBuffering ?? false;
    const codec = lookupCodec(this.#name);
    if (codec.module === "utf_8_sig") {
      this.#codec = UTF8_CODEC;
      this.#markToRead = this.#markToWrite = true;
    } else if (codec.asciiCompatible) {
      this.#codec = codec;
    } else {
      throw new ValueError(
        `Cannot use encoding '${this.#name}' in TextIOWrapper: lines are found in bytes, so it must be ASCII-compatible and keep no state from line to line`,
      );
    }
  }

  /** The encoding name, as given. */
  get encoding(): string {
    return this.#name;
  }

  /** The error handler's name, as given. */
  get errors(): string {
    return this.#errors;
  }

  /** True after `close()`. */
  get closed(): boolean {
    return this.#closed;
  }

  #decode(bytes: Buffer): string {
    const text = this.#codec.decode(bytes, this.#errors);
    if (!this.#markToRead || bytes.length === 0) return text;
    this.#markToRead = false;
    return text.startsWith(BOM) ? text.slice(1) : text;
  }

  #encode(text: string): Buffer {
    if (this.#crlf) text = text.replaceAll("\n", "\r\n");
    if (this.#markToWrite) {
      // Python's encoder writes the mark at its first call, even for "".
      this.#markToWrite = false;
      text = BOM + text;
    }
    return this.#codec.encode(text, this.#errors);
  }

  #needReader(): BufferedReader {
    if (this.#closed) throw new ValueError("I/O operation on closed file.");
    if (!this.#reader) throw new ValueError("not readable");
    return this.#reader;
  }

  /** The next line's bytes: up to `\n`, or up to `\r\n` in `"\r\n"` mode. */
  async #readLineBytes(reader: BufferedReader): Promise<Buffer> {
    if (!this.#crlf) return reader.readline();
    // The whole line, "\r\n" included, stays within maxLineLength.
    const limit = reader.maxLineLength - 2;
    try {
      return await reader.readuntil("\r\n", Math.max(0, limit));
    } catch (err) {
      if (err instanceof IncompleteReadError) return err.partial;
      if (err instanceof LimitOverrunError) throw new LineTooLongError(reader.maxLineLength);
      throw err;
    }
  }

  /**
   * Python's `readline()`: the next line as a string, line end included;
   * `""` at end of stream.
   * @throws UnicodeDecodeError (strict), LineTooLongError, ValueError when closed or not readable
   */
  async readline(): Promise<string> {
    return this.#decode(await this.#readLineBytes(this.#needReader()));
  }

  /** Python's `readlines()`: every line left, as strings. */
  async readlines(): Promise<string[]> {
    const lines: string[] = [];
    for (let line = await this.readline(); line !== ""; line = await this.readline()) lines.push(line);
    return lines;
  }

  /**
   * Python's `read()`: the rest of the stream as one string. (Reading a
   * number of characters is not supported.)
   */
  async read(): Promise<string> {
    return this.#decode(await this.#needReader().read());
  }

  /**
   * Python's `write(s)`: encodes and writes `text`; resolves with the number
   * of characters (code points, as Python counts).
   * @throws UnicodeEncodeError (strict), ValueError when closed or not writable, the sink's error
   */
  async write(text: string): Promise<number> {
    if (this.#closed) throw new ValueError("I/O operation on closed file.");
    if (!this.#writer) throw new ValueError("not writable");
    await this.#writer.write(this.#encode(text));
    if (this.#lineBuffering && (text.includes("\n") || text.includes("\r"))) await this.#writer.flush();
    return codePoints(text);
  }

  /** Python's `flush()`: flushes the writer. */
  async flush(): Promise<void> {
    if (this.#closed) throw new ValueError("I/O operation on closed file.");
    await this.#writer?.flush();
  }

  /** Python's `close()`: flushes and closes the underlying streams. Closing twice is harmless. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    try {
      await this.#writer?.close();
    } finally {
      this.#reader?.close();
    }
  }

  /** `await using text = ...` closes it. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /** Lines as strings until end of stream (`for await (const line of text)`). */
  [Symbol.asyncIterator](): AsyncIterator<string> {
    const done: IteratorResult<string> = { done: true, value: undefined };
    return {
      next: () =>
        this.readline().then(
          (line): IteratorResult<string> => (line === "" ? done : { done: false, value: line }),
        ),
      return: () => Promise.resolve(done),
    };
  }
}
