/**
 * `TextIOWrapper`: Python's text layer over the buffered streams, for
 * `makefile("r")`-style code that wants strings. Decoding is streaming, so a
 * character split across chunks or lines decodes whole.
 *
 * @module
 */
import { TextDecoder } from "node:util";
import { UnicodeError, ValueError } from "../errors/index.js";
import type { BufferedReader } from "./reader.js";
import type { BufferedWriter } from "./writer.js";

/** Options for `TextIOWrapper`. */
export interface TextIOWrapperOptions {
  /** Text encoding: `"utf-8"`, `"latin-1"`, `"ascii"`, or another WHATWG label for reading. @default "utf-8" */
  encoding?: string;
  /** `"strict"` throws `UnicodeError` on bad bytes; `"replace"` puts U+FFFD. @default "strict" */
  errors?: "strict" | "replace";
}

const ALIASES: Record<string, string> = {
  "latin-1": "latin1",
  "iso-8859-1": "latin1",
  latin1: "latin1",
  ascii: "ascii",
  "us-ascii": "ascii",
  utf8: "utf-8",
  "utf-8": "utf-8",
};

/**
 * Python's `io.TextIOWrapper` over a `BufferedReader`, a `BufferedWriter`, or both.
 *
 * @example
 * ```ts
 * const [rfile, wfile] = sock.makefile("rwb");
 * const text = new TextIOWrapper(rfile, wfile);
 * await text.write("HELO example.org\r\n");
 * console.log(await text.readline());
 * ```
 */
export class TextIOWrapper implements AsyncIterable<string> {
  readonly #reader: BufferedReader | undefined;
  readonly #writer: BufferedWriter | undefined;
  readonly #encoding: string;
  readonly #decoder: TextDecoder | undefined;
  readonly #strict: boolean;

  constructor(reader?: BufferedReader, writer?: BufferedWriter, options: TextIOWrapperOptions = {}) {
    this.#reader = reader;
    this.#writer = writer;
    const label = (options.encoding ?? "utf-8").toLowerCase();
    this.#encoding = ALIASES[label] ?? label;
    this.#strict = (options.errors ?? "strict") === "strict";
    if (this.#encoding !== "latin1" && this.#encoding !== "ascii") {
      try {
        this.#decoder = new TextDecoder(this.#encoding, { fatal: this.#strict });
      } catch {
        throw new ValueError(`unknown encoding: ${options.encoding}`);
      }
    }
  }

  /** The encoding in use. */
  get encoding(): string {
    return this.#encoding;
  }

  #decode(bytes: Buffer, final: boolean): string {
    if (this.#encoding === "latin1") return bytes.toString("latin1");
    if (this.#encoding === "ascii") {
      const bad = bytes.findIndex((b) => b > 0x7f);
      if (bad >= 0 && this.#strict) {
        throw new UnicodeError(
          `'ascii' codec can't decode byte 0x${bytes[bad]!.toString(16)} in position ${bad}: ordinal not in range(128)`,
        );
      }
      return bytes.toString("latin1").replace(/[\x80-\xff]/g, "\ufffd");
    }
    try {
      return this.#decoder!.decode(bytes, { stream: !final });
    } catch (err) {
      throw new UnicodeError(`'${this.#encoding}' codec can't decode bytes: ${(err as Error).message}`);
    }
  }

  #encode(text: string): Buffer {
    if (this.#encoding === "latin1" || this.#encoding === "ascii") {
      const limit = this.#encoding === "latin1" ? 0xff : 0x7f;
      for (let i = 0; i < text.length; i++) {
        if (text.charCodeAt(i) > limit) {
          if (this.#strict) {
            throw new UnicodeError(
              `'${this.#encoding}' codec can't encode character '\\u${text.charCodeAt(i).toString(16).padStart(4, "0")}' in position ${i}`,
            );
          }
          text = `${text.slice(0, i)}?${text.slice(i + 1)}`;
        }
      }
      return Buffer.from(text, "latin1");
    }
    if (this.#encoding !== "utf-8") throw new ValueError(`encoding to ${this.#encoding} is not supported`);
    return Buffer.from(text, "utf8");
  }

  #needReader(): BufferedReader {
    if (!this.#reader) throw new ValueError("not readable");
    return this.#reader;
  }

  /** Python's `readline()`: the next line as a string, `""` at the end. */
  async readline(): Promise<string> {
    const line = await this.#needReader().readline();
    return this.#decode(line, line.length === 0);
  }

  /** Python's `read()`: the rest of the stream as a string. */
  async read(): Promise<string> {
    return this.#decode(await this.#needReader().read(), true);
  }

  /** Python's `write(s)`: resolves with the number of characters written. */
  async write(text: string): Promise<number> {
    if (!this.#writer) throw new ValueError("not writable");
    await this.#writer.write(this.#encode(text));
    return text.length;
  }

  /** Python's `flush()`. */
  async flush(): Promise<void> {
    await this.#writer?.flush();
  }

  /** Python's `close()`: flushes and closes the underlying streams. */
  async close(): Promise<void> {
    await this.#writer?.close();
    this.#reader?.close();
  }

  /** Yields lines as strings until the end of the stream. */
  async *[Symbol.asyncIterator](): AsyncIterator<string> {
    for (;;) {
      const line = await this.readline();
      if (line === "") return;
      yield line;
    }
  }
}
