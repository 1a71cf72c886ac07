/**
 * `TextIOWrapper`: Python's text layer over the buffered streams, for
 * `makefile("r")`-style code that wants strings instead of bytes.
 *
 * Lines are found in bytes (by the `BufferedReader`, so its line limit holds)
 * and each whole line is decoded, so a character split across chunks decodes
 * whole. Hence the encoding must be ASCII-compatible (a `\n` byte is always a
 * newline): UTF-8, Latin-1, ASCII, and for reading any WHATWG encoding of
 * that kind (windows-1252, Shift_JIS, GBK, ...); UTF-16 and UTF-32 are
 * refused. Errors are Python's: `UnicodeDecodeError` / `UnicodeEncodeError`
 * with the codec name, positions and reason.
 *
 * Newlines: Python's default (`newline=None`) translates `\r\n` and `\r` to
 * `\n` when reading. netkit's default is `"\n"`: lines end at `\n` and are
 * returned as they are (`"250 OK\r\n"`), which is what line protocols want.
 * `"\r\n"` ends lines only at `\r\n` and writes `\n` as `\r\n`, as in Python.
 *
 * @module
 */
import { isAscii, isUtf8 } from "node:buffer";
import { TextDecoder } from "node:util";
import { findCodec, firstUtf8Error } from "../_codecs.js";
import { hasCode, LookupError, UnicodeDecodeError, UnicodeEncodeError, ValueError } from "../errors/index.js";
import { IncompleteReadError, LimitOverrunError, LineTooLongError } from "./errors.js";
import { BufferedReader } from "./reader.js";
import { BufferedWriter } from "./writer.js";

/** Options for `TextIOWrapper`, Python's keyword arguments. */
export interface TextIOWrapperOptions {
  /**
   * Text encoding. UTF-8, Latin-1 and ASCII (under any of Python's names for
   * them) read and write; other ASCII-compatible WHATWG encodings read only.
   * @default "utf-8"
   */
  encoding?: string;
  /**
   * `"strict"` throws `UnicodeDecodeError` / `UnicodeEncodeError` on bad
   * input; `"replace"` puts U+FFFD when decoding and `?` when encoding.
   * @default "strict"
   */
  errors?: "strict" | "replace";
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

type Codec = "utf-8" | "latin-1" | "ascii" | TextDecoder;

const LONE_SURROGATES = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const HAS_LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Finds the first run of code points `bad` rejects, as CPython's encoders
 * report it (code-point positions).
 */
function encodeError(
  codec: string,
  text: string,
  bad: (cp: number) => boolean,
  reason: string,
): UnicodeEncodeError {
  let index = 0;
  let start = -1;
  for (const ch of text) {
    const isBad = bad(ch.codePointAt(0)!);
    if (start < 0 && isBad) start = index;
    else if (start >= 0 && !isBad) break;
    index++;
  }
  return new UnicodeEncodeError(codec, text, start, index, reason);
}

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
  readonly #strict: boolean;
  readonly #crlf: boolean;
  readonly #lineBuffering: boolean;
  #closed = false;

  /**
   * @param buffer the byte stream: a reader, a writer, or a `[reader, writer]` pair
   * @param writer a writer, when `buffer` is a reader
   * @param options encoding, errors, newline, line buffering
   * @throws LookupError for an unknown encoding; ValueError for one that is
   *   not ASCII-compatible, or that netkit cannot encode when writing
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
    this.#strict = (options.errors ?? "strict") === "strict";
    const newline = options.newline ?? "\n";
    if (newline !== "\n" && newline !== "\r\n") throw new ValueError(`illegal newline value: ${newline}`);
    this.#crlf = newline === "\r\n";
    this.#lineBuffering = options.lineBuffering ?? false;
    // Python's names for the codecs netkit has (WHATWG's TextDecoder would read
    // "latin1" and "ascii" as windows-1252); other encodings decode through TextDecoder.
    const own = findCodec(this.#name)?.name;
    if (own === "utf-8" || own === "latin-1" || own === "ascii") {
      this.#codec = own;
      return;
    }
    let decoder: TextDecoder;
    try {
      decoder = new TextDecoder(this.#name, { fatal: this.#strict });
    } catch (err) {
      if (!hasCode(err, "ERR_ENCODING_NOT_SUPPORTED")) throw err;
      throw new LookupError(`unknown encoding: ${this.#name}`);
    }
    if (decoder.encoding.startsWith("utf-16")) {
      throw new ValueError(
        `Cannot use encoding '${this.#name}' in TextIOWrapper: lines are found in bytes, so it must be ASCII-compatible`,
      );
    }
    if (this.#writer) {
      throw new ValueError(
        `Cannot write encoding '${this.#name}': netkit encodes UTF-8, Latin-1 and ASCII only`,
      );
    }
    this.#codec = decoder;
  }

  /** The encoding name, as given. */
  get encoding(): string {
    return this.#name;
  }

  /** The error handler, `"strict"` or `"replace"`. */
  get errors(): "strict" | "replace" {
    return this.#strict ? "strict" : "replace";
  }

  /** True after `close()`. */
  get closed(): boolean {
    return this.#closed;
  }

  #decode(bytes: Buffer): string {
    const codec = this.#codec;
    if (codec === "latin-1") return bytes.toString("latin1");
    if (codec === "utf-8") {
      if (!this.#strict || isAscii(bytes) || isUtf8(bytes)) return bytes.toString("utf8");
      const { start, end, reason } = firstUtf8Error(bytes) ?? {
        start: 0,
        end: bytes.length,
        reason: "invalid data",
      };
      throw new UnicodeDecodeError("utf-8", bytes, start, end, reason);
    }
    if (codec === "ascii") {
      const bad = bytes.findIndex((b) => b > 0x7f);
      if (bad < 0) return bytes.toString("latin1");
      if (this.#strict)
        throw new UnicodeDecodeError("ascii", bytes, bad, bad + 1, "ordinal not in range(128)");
      return bytes.toString("latin1").replace(/[\x80-\xff]/g, "\ufffd");
    }
    try {
      return codec.decode(bytes);
    } catch (err) {
      if (!hasCode(err, "ERR_ENCODING_INVALID_ENCODED_DATA")) throw err;
      throw new UnicodeDecodeError(this.#name, bytes, 0, bytes.length, "invalid data");
    }
  }

  #encode(text: string): Buffer {
    if (this.#crlf) text = text.replaceAll("\n", "\r\n");
    const codec = this.#codec;
    if (codec === "utf-8") {
      if (HAS_LONE_SURROGATE.test(text)) {
        if (this.#strict) {
          throw encodeError("utf-8", text, (cp) => cp >= 0xd800 && cp <= 0xdfff, "surrogates not allowed");
        }
        text = text.replace(LONE_SURROGATES, "?");
      }
      return Buffer.from(text, "utf8");
    }
    if (typeof codec !== "string") throw new ValueError(`Cannot encode to '${this.#name}'`);
    const limit = codec === "latin-1" ? 0xff : 0x7f;
    // Fast check: no code unit above the limit.
    let fine = true;
    for (let i = 0; i < text.length && fine; i++) fine = text.charCodeAt(i) <= limit;
    if (!fine) {
      if (this.#strict) {
        throw encodeError(codec, text, (cp) => cp > limit, `ordinal not in range(${limit + 1})`);
      }
      let out = "";
      for (const ch of text) out += ch.codePointAt(0)! > limit ? "?" : ch;
      text = out;
    }
    return Buffer.from(text, "latin1");
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
