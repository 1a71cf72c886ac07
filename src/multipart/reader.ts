/**
 * A streaming reader for MIME multipart bodies (RFC 2046 section 5.1, RFC
 * 7578 `multipart/form-data`): boundary scanning over a `BufferedReader` or
 * any async byte iterable (a Node stream, a part of an outer multipart body),
 * part headers parsed by `netkit/http`'s header parser, part bodies streamed
 * in chunks. `netkit/cgi`'s `FieldStorage` is built on it; the email package
 * reuses it. It knows nothing about forms.
 *
 * ```text
 *   preamble             ignored, up to the first "--boundary" line
 *   --boundary           ┐
 *   Header: value        │ a part: headers, a blank line,
 *                        │ then the body, streamed
 *   body bytes...        ┘ (the line break before the next boundary is not part of it)
 *   --boundary           next part
 *   ...
 *   --boundary--         close delimiter; the epilogue after it is not read
 * ```
 *
 * The rules are the ones Python's `cgi.FieldStorage` applies (so both agree
 * on every body, including broken ones):
 *
 * - A boundary line is recognised only at the start of a line: `--` and the
 *   boundary, optionally `--` (the close delimiter), then only whitespace
 *   (space, tab, CR, VT, FF) up to LF or the end of the stream. Lines may end
 *   in CRLF or a bare LF.
 * - The line break before a boundary line (CRLF or LF) belongs to the
 *   delimiter, not to the body; so does the last line break of a body cut
 *   off by the end of the stream.
 * - The first boundary line may have whitespace around it (Python strips
 *   the preamble's lines before comparing). Before it, a close delimiter is
 *   just preamble.
 * - A part's headers end at a line holding only whitespace, or at the end of
 *   the stream; they are parsed as Python's email parser does
 *   (`parseHeaderBlock`).
 *
 * Limits (Python's cgi has none here): a header line longer than
 * `maxLineLength`, a header block larger than `maxHeaderBytes`, or one of
 * more than `maxHeaderCount` lines throws `MultipartError`; a preamble line
 * or a delimiter line (from the boundary to its line break) longer than
 * `maxLineLength` is not a boundary line. The
 * body is streamed: whatever its size, the reader holds at most one source
 * chunk plus a few bytes of a possible delimiter (a preamble line or a
 * delimiter's padding cut off by a chunk's end: at most `maxLineLength`).
 *
 * Cost: the searches (`_scan.ts`) look at each byte a bounded number of
 * times whatever the input (runs of CR or LF, near-boundaries, long padding,
 * boundary prefixes at every chunk edge), and go on where they stopped when
 * a chunk ends, so input in small chunks is not searched again; the
 * `@internal` `scanned` count lets tests check it.
 *
 * One part at a time: asking for the next part skips what is left of the
 * current one.
 *
 * @module
 */

import { CR, LF } from "../_ascii.js";
import { iterableSource } from "../io/memory.js";
import { BufferedReader } from "../io/reader.js";
import type { ByteSource } from "../io/source.js";
import { ProtocolError } from "../textproto/errors.js";
import { type HTTPMessage, MAX_HEADERS, parseHeaderBlock } from "../textproto/header.js";
import { DelimiterScanner, FOUND, HeaderScanner, MORE, PreambleScanner } from "./_scan.js";
import { MultipartError } from "./errors.js";

export { MultipartError };

/** Where a multipart body comes from: a `BufferedReader`, or any async iterable of bytes (Node streams are). */
export type MultipartSource = BufferedReader | AsyncIterable<Uint8Array>;

/** Options of `MultipartReader`. */
export interface MultipartReaderOptions {
  /**
   * Longest header line, in bytes, line break included.
   * @default 65536 (Python's http.client `_MAXLINE`)
   */
  maxLineLength?: number;
  /**
   * Most bytes in one part's header block (all its lines and the blank line).
   * @default 65536
   */
  maxHeaderBytes?: number;
  /**
   * Most lines in one part's header block, as the header parser splits them
   * (at CRLF, LF or a lone CR; continuation lines count, the blank line that
   * ends the block does not). Each line costs the parser a few strings
   * however short it is, so a block of `maxHeaderBytes` one-byte lines would
   * cost many times the bytes it holds; a form's part has two or three.
   * @default 100 (Python's http.client `_MAXHEADERS`, `MAX_HEADERS` of netkit/http)
   */
  maxHeaderCount?: number;
  /**
   * Turns a header block's bytes into text for the header parser. Python's
   * cgi decodes with the form's encoding (UTF-8, errors replaced).
   * @default UTF-8, invalid bytes replaced by U+FFFD
   */
  decodeHeaders?: (raw: Buffer) => string;
}

/**
 * Where the reader stands: before the first boundary, in a part's headers
 * or body, after the close delimiter (`"end"`, Python's `done = 1`), or at
 * the end of the stream without one (`"eof"`, Python's `done = -1`).
 */
export type MultipartState = "preamble" | "headers" | "body" | "end" | "eof";

const EMPTY = Buffer.alloc(0);
const UTF8 = new TextDecoder("utf-8");

/**
 * Bytes read but not yet given out. Bytes already given out are never
 * written over (growing allocates a new buffer), so views returned by
 * `take` stay valid.
 */
class Pending {
  buf: Buffer = EMPTY;
  start = 0;
  end = 0;

  get length(): number {
    return this.end - this.start;
  }

  view(): Buffer {
    return this.buf.subarray(this.start, this.end);
  }

  append(chunk: Buffer): void {
    if (this.start === this.end) {
      // Nothing held: adopt the chunk, no copy.
      this.buf = chunk;
      this.start = 0;
      this.end = chunk.length;
      return;
    }
    if (this.buf.length - this.end >= chunk.length && this.#owned) {
      chunk.copy(this.buf, this.end);
      this.end += chunk.length;
      return;
    }
    const live = this.end - this.start;
    const next = Buffer.allocUnsafe(Math.max(live + chunk.length, 2 * live, 256));
    this.buf.copy(next, 0, this.start, this.end);
    chunk.copy(next, live);
    this.buf = next;
    this.#owned = true;
    this.start = 0;
    this.end = live + chunk.length;
  }

  /** True when `buf` was allocated here (an adopted chunk belongs to the source: never write into it). */
  #owned = false;

  /** Removes and returns the first `n` bytes, as a view. */
  take(n: number): Buffer {
    const out = this.buf.subarray(this.start, this.start + n);
    this.start += n;
    if (this.start === this.end) {
      // Views given out point into `buf`; start afresh rather than reuse it.
      this.buf = EMPTY;
      this.#owned = false;
      this.start = this.end = 0;
    }
    return out;
  }
}

/**
 * One part of a multipart body: its headers, and its body as a stream.
 * Read the body with `read()`, `for await`, or `bytes()`; it ends at the
 * next boundary. Once the reader has moved to the next part, this one reads
 * as empty.
 */
export class MultipartPart implements AsyncIterable<Buffer> {
  /** The part's headers, parsed as Python's email parser does. */
  readonly headers: HTTPMessage;
  /** The header block as it came, blank line included. */
  readonly rawHeaders: Buffer;
  readonly #reader: MultipartReader;
  readonly #index: number;

  /** @internal Made by `MultipartReader.nextPart()`. */
  constructor(reader: MultipartReader, index: number, headers: HTTPMessage, rawHeaders: Buffer) {
    this.#reader = reader;
    this.#index = index;
    this.headers = headers;
    this.rawHeaders = rawHeaders;
  }

  /** True once the body has been read to its end (or the reader has moved on). */
  get ended(): boolean {
    return this.#reader.bodyEnded(this.#index);
  }

  /**
   * The next piece of the body: at most `n` bytes (any amount for -1), or
   * an empty Buffer at its end.
   * @param n most bytes to return; -1 for whatever is ready @default -1
   */
  read(n = -1): Promise<Buffer> {
    return this.#reader.readBody(this.#index, n);
  }

  /**
   * The whole (rest of the) body.
   * @param limit most bytes accepted @default Infinity
   * @throws MultipartError (`ERR_MULTIPART_BODY_TOO_LARGE`) past `limit`
   */
  async bytes(limit = Number.POSITIVE_INFINITY): Promise<Buffer> {
    const parts: Buffer[] = [];
    let size = 0;
    for (let chunk = await this.read(); chunk.length > 0; chunk = await this.read()) {
      size += chunk.length;
      if (size > limit) {
        throw new MultipartError(
          `Cannot read part body: longer than ${limit} bytes`,
          "ERR_MULTIPART_BODY_TOO_LARGE",
        );
      }
      parts.push(chunk);
    }
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  }

  /** Reads and drops the rest of the body; resolves with how many bytes that was. */
  async skip(): Promise<number> {
    let size = 0;
    for (let chunk = await this.read(); chunk.length > 0; chunk = await this.read()) size += chunk.length;
    return size;
  }

  /** The body in chunks, as they arrive. */
  async *[Symbol.asyncIterator](): AsyncIterator<Buffer> {
    for (let chunk = await this.read(); chunk.length > 0; chunk = await this.read()) yield chunk;
  }
}

/**
 * Reads a multipart body part by part.
 *
 * Methods for the caller: `nextPart()` (or `for await (const part of reader)`),
 * then each part's `read()`/`bytes()`/`skip()`; `state` tells how the body
 * ended (`"end"` after the close delimiter, `"eof"` when the stream ended
 * first), `bytesRead` how many bytes were taken from the source.
 *
 * No Python class has this role: it is the loop inside Python's
 * `cgi.FieldStorage.read_multi` and `read_lines_to_outerboundary`, made a
 * stream of its own.
 *
 * @example
 * ```ts
 * import { MultipartReader } from "netkit/multipart";
 * import { Readable } from "node:stream";
 * const body = "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nhello\r\n--XyZ--\r\n";
 * const reader = new MultipartReader(Readable.from([Buffer.from(body)]), "XyZ");
 * for await (const part of reader) {
 *   console.log(part.headers.get("content-disposition"), (await part.bytes()).toString()); // ... "hello"
 * }
 * ```
 */
export class MultipartReader implements AsyncIterable<MultipartPart> {
  readonly #source: BufferedReader | ByteSource;
  readonly #decode: (raw: Buffer) => string;
  readonly #maxHeaderCount: number;
  readonly #pending = new Pending();
  readonly #preamble: PreambleScanner;
  readonly #headers: HeaderScanner;
  readonly #delimiter: DelimiterScanner;
  #eof = false;
  #state: MultipartState = "preamble";
  #bytesRead = 0;
  /** Index of the current part (the one whose body is being read), -1 before the first. */
  #index = -1;

  /**
   * @param source the body: a `BufferedReader` (read with `read1`), or any
   *   async iterable of bytes (a Node `Readable`, another part)
   * @param boundary the boundary parameter of the Content-Type (without the leading `--`)
   * @param options limits and the header decoder
   * @throws MultipartError (`ERR_MULTIPART_BOUNDARY`) for an empty boundary or one with CR or LF
   */
  constructor(source: MultipartSource, boundary: string | Uint8Array, options: MultipartReaderOptions = {}) {
    const b = typeof boundary === "string" ? Buffer.from(boundary, "utf8") : Buffer.from(boundary);
    if (b.length === 0 || b.includes(CR) || b.includes(LF)) {
      throw new MultipartError(
        `Cannot use multipart boundary ${JSON.stringify(b.toString("latin1"))}`,
        "ERR_MULTIPART_BOUNDARY",
      );
    }
    const dashBoundary = Buffer.concat([Buffer.from("--"), b]);
    const maxLine = options.maxLineLength ?? 65536;
    this.#source = source instanceof BufferedReader ? source : iterableSource(source);
    this.#decode = options.decodeHeaders ?? ((raw) => UTF8.decode(raw));
    this.#maxHeaderCount = options.maxHeaderCount ?? MAX_HEADERS;
    this.#preamble = new PreambleScanner(dashBoundary, maxLine);
    this.#headers = new HeaderScanner(maxLine, options.maxHeaderBytes ?? 65536);
    this.#delimiter = new DelimiterScanner(dashBoundary, maxLine);
  }

  /** Where the reader stands. */
  get state(): MultipartState {
    return this.#state;
  }

  /** Bytes taken from the source so far. */
  get bytesRead(): number {
    return this.#bytesRead;
  }

  /**
   * @internal Bytes the searches have examined so far (a byte examined twice
   * counts twice), for tests that check the cost stays linear in the input.
   */
  get scanned(): number {
    return this.#preamble.work + this.#headers.work + this.#delimiter.work;
  }

  /** Reads one more chunk into `#pending`; false at the end of the source. */
  async #fill(): Promise<boolean> {
    if (this.#eof) return false;
    const src = this.#source;
    const chunk = src instanceof BufferedReader ? await src.read1() : await src.readChunk();
    if (chunk.length === 0) {
      this.#eof = true;
      return false;
    }
    this.#bytesRead += chunk.length;
    this.#pending.append(chunk);
    return true;
  }

  /** Skips the preamble: lines up to one that is the boundary once stripped. */
  async #skipPreamble(): Promise<void> {
    for (;;) {
      const found = this.#preamble.find(this.#pending.view(), this.#eof);
      if (found === FOUND) {
        this.#pending.take(this.#preamble.next);
        this.#state = "headers";
        return;
      }
      this.#pending.take(this.#preamble.drop);
      if (found !== MORE) {
        this.#pending.take(this.#pending.length);
        this.#state = "eof";
        return;
      }
      await this.#fill(); // at the end of the stream, the next search decides with what is here
    }
  }

  /**
   * The next part, its headers read; `null` when there are no more (after
   * the close delimiter, or at the end of the stream). What is left of the
   * current part's body is skipped first.
   * @throws MultipartError past `maxLineLength`, `maxHeaderBytes` or `maxHeaderCount`
   */
  async nextPart(): Promise<MultipartPart | null> {
    if (this.#state === "body") {
      while ((await this.readBody(this.#index, -1)).length > 0) {}
    }
    if (this.#state === "preamble") await this.#skipPreamble();
    if (this.#state !== "headers") return null;
    const scanner = this.#headers;
    scanner.reset();
    while (scanner.find(this.#pending.view(), this.#eof) === MORE) await this.#fill();
    if (scanner.end === 0) {
      // The stream ended right after a boundary line: no part there.
      this.#state = "eof";
      return null;
    }
    const raw = Buffer.from(this.#pending.take(scanner.end));
    const headers = this.#parseHeaders(raw);
    this.#index++;
    this.#state = "body";
    this.#delimiter.reset();
    return new MultipartPart(this, this.#index, headers, raw);
  }

  /** A part's header block, decoded and parsed, its lines counted against `maxHeaderCount`. */
  #parseHeaders(raw: Buffer): HTTPMessage {
    try {
      return parseHeaderBlock(this.#decode(raw), { maxHeaders: this.#maxHeaderCount });
    } catch (err) {
      if (!(err instanceof ProtocolError && err.code === "ERR_TEXTPROTO_TOO_MANY_HEADERS")) throw err;
      throw new MultipartError(
        `Cannot read multipart part headers: more than ${this.#maxHeaderCount} lines`,
        "ERR_MULTIPART_TOO_MANY_HEADERS",
      );
    }
  }

  /** @internal `MultipartPart.ended`. */
  bodyEnded(index: number): boolean {
    return index !== this.#index || this.#state !== "body";
  }

  /**
   * @internal `MultipartPart.read()`: the next piece of the current body, or
   * an empty Buffer at its end (and for a part that is no longer current).
   */
  async readBody(index: number, n: number): Promise<Buffer> {
    if (index !== this.#index || this.#state !== "body") return EMPTY;
    const want = n < 0 ? Number.POSITIVE_INFINITY : n;
    if (want === 0) return EMPTY;
    const scanner = this.#delimiter;
    for (;;) {
      const view = this.#pending.view();
      const found = scanner.find(view, this.#eof);
      if (found === FOUND) {
        if (scanner.end > 0) return this.#give(Math.min(scanner.end, want));
        this.#pending.take(scanner.next);
        this.#state = scanner.close ? "end" : "headers";
        return EMPTY;
      }
      if (found !== MORE) {
        // Cut off by the end of the stream: the last line break is dropped
        // (CRLF, LF, or a lone CR), as Python's cgi drops it.
        let end = view.length;
        if (end > 0 && view[end - 1] === LF) end--;
        if (end > 0 && view[end - 1] === CR) end--;
        if (end > 0) return this.#give(Math.min(end, want));
        this.#pending.take(view.length);
        this.#state = "eof";
        return EMPTY;
      }
      // No delimiter yet. Bytes that no later delimiter can claim (it takes
      // up to two bytes of line break before it) can go out now.
      const safe = scanner.limit - 2;
      if (safe > 0) return this.#give(Math.min(safe, want));
      await this.#fill(); // at the end of the stream, the next search decides with what is here
    }
  }

  /** Gives out `n` body bytes from the front of what is pending. */
  #give(n: number): Buffer {
    this.#delimiter.shift(n);
    return this.#pending.take(n);
  }

  /** Iterates the parts (each must be read, or is skipped, before the next comes). */
  async *[Symbol.asyncIterator](): AsyncIterator<MultipartPart> {
    for (let part = await this.nextPart(); part !== null; part = await this.nextPart()) yield part;
  }
}
