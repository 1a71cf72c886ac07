/**
 * Python's `email.parser`: whole-message parsers over the `FeedParser`.
 *
 * - `Parser`, `HeaderParser`: text; `BytesParser`, `BytesHeaderParser`:
 *   bytes (0x80..0xFF kept as escapes, so `asBytes()` writes them back).
 * - The header parsers stop after the headers and keep the body as text.
 *
 * `parsestr`/`parsebytes` take the whole input; `parse` takes the input in
 * pieces (any iterable of strings or bytes: a file read in chunks).
 *
 * @module
 */

import { asBuffer } from "../_buffer.js";
import { decodeSurrogateEscape } from "./_bytes.js";
import type { Policy } from "./_policybase.js";
import {
  BytesFeedParser,
  FeedParser,
  type MessageFactory,
  type ParserOptions,
  readingLatin1,
} from "./feedparser.js";
import type { Message } from "./message.js";

export { BytesFeedParser, FeedParser };

/** A parser's `FeedParser` (internal: for `BytesParser`). */
let feedparserOf: (parser: Parser, headersonly: boolean) => FeedParser;

/**
 * Python's `email.parser.Parser`: text to a `Message` (of the class given,
 * else the policy's `messageFactory`, else `Message`).
 */
export class Parser {
  /** The policy the messages get. */
  readonly policy: Policy | undefined;
  readonly #factory: MessageFactory | null;

  /**
   * @param factory the message class
   * @param options the policy (default `compat32`)
   */
  constructor(factory: MessageFactory | null = null, options: ParserOptions = {}) {
    this.#factory = factory;
    this.policy = options.policy;
  }

  static {
    feedparserOf = (parser, headersonly) => parser.#feedparser(headersonly);
  }

  #feedparser(headersonly: boolean): FeedParser {
    const fp = new FeedParser(this.#factory, this.policy ? { policy: this.policy } : {});
    if (headersonly) fp.setHeadersonly();
    return fp;
  }

  /**
   * Python's `parse`: the message from pieces of text (Python reads a file in 8192-character chunks).
   * @param source the text, whole or in pieces
   * @param headersonly stop after the headers
   */
  parse(source: string | Iterable<string>, headersonly = false): Message {
    const fp = this.#feedparser(headersonly);
    if (typeof source === "string") fp.feed(source);
    else for (const chunk of source) fp.feed(chunk);
    return fp.close();
  }

  /** Python's `parsestr`: the message from text. */
  parsestr(text: string, headersonly = false): Message {
    const fp = this.#feedparser(headersonly);
    fp.feed(text);
    return fp.close();
  }
}

/** Python's `HeaderParser`: a `Parser` that always stops after the headers. */
export class HeaderParser extends Parser {
  /** The headers, the body kept as text. */
  override parse(source: string | Iterable<string>): Message {
    return super.parse(source, true);
  }

  /** The headers, the body kept as text. */
  override parsestr(text: string): Message {
    return super.parsestr(text, true);
  }
}

/**
 * Python's `email.parser.BytesParser`: bytes to a `Message`. Python's
 * `parse(fp)` reads the file through a text wrapper that turns `\r\n` and
 * `\r` into `\n`; `parse` here does the same, `parsebytes` keeps line ends.
 */
export class BytesParser {
  /** The text parser underneath. */
  readonly parser: Parser;

  /**
   * @param factory the message class
   * @param options the policy (default `compat32`)
   */
  constructor(factory: MessageFactory | null = null, options: ParserOptions = {}) {
    this.parser = new Parser(factory, options);
  }

  /** Python's `parse`: the message from pieces of bytes, line ends made `\n`. */
  parse(source: Uint8Array | Iterable<Uint8Array>, headersonly = false): Message {
    const chunks = source instanceof Uint8Array ? [source] : source;
    if (this.parser.parse !== Parser.prototype.parse) {
      // A parser of the caller's own: Python hands it the text.
      return this.parser.parse(universalNewlines(chunks, decodeSurrogateEscape), headersonly);
    }
    const fp = readingLatin1(feedparserOf(this.parser, headersonly));
    for (const text of universalNewlines(chunks, latin1Text)) fp.feed(text);
    return fp.close();
  }

  /** Python's `parsebytes`: the message from bytes. */
  parsebytes(bytes: Uint8Array, headersonly = false): Message {
    if (this.parser.parsestr !== Parser.prototype.parsestr) {
      return this.parser.parsestr(decodeSurrogateEscape(bytes), headersonly);
    }
    // The bytes as latin-1 text, which the parse reads as they are (see FeedParser).
    const fp = readingLatin1(feedparserOf(this.parser, headersonly));
    fp.feed(latin1Text(bytes));
    return fp.close();
  }
}

/** `io.TextIOWrapper(newline=None)` reading: `\r\n` and `\r` become `\n`, a CR at a chunk's end waiting for the next. */
function* universalNewlines(
  chunks: Iterable<Uint8Array>,
  decode: (bytes: Uint8Array) => string,
): Generator<string> {
  let pendingCr = false;
  for (const chunk of chunks) {
    let text = decode(chunk);
    if (pendingCr) text = `\r${text}`;
    pendingCr = text.endsWith("\r");
    if (pendingCr) text = text.slice(0, -1);
    yield text.replace(/\r\n?/g, "\n");
  }
  if (pendingCr) yield "\n";
}

/** `bytes.decode('latin-1')`: one character per byte. */
function latin1Text(bytes: Uint8Array): string {
  return asBuffer(bytes).toString("latin1");
}

/** Python's `BytesHeaderParser`: a `BytesParser` that always stops after the headers. */
export class BytesHeaderParser extends BytesParser {
  /** The headers, the body kept as text. */
  override parse(source: Uint8Array | Iterable<Uint8Array>): Message {
    return super.parse(source, true);
  }

  /** The headers, the body kept as text. */
  override parsebytes(bytes: Uint8Array): Message {
    return super.parsebytes(bytes, true);
  }
}
