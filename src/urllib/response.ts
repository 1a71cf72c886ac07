/**
 * `netkit/urllib/response`: what `urlopen` returns, Python's
 * `urllib.response.addinfourl` (with `addclosehook` folded in): a body you
 * read like a file, plus the URL it came from, its status and its headers.
 *
 * One class serves every scheme: over an HTTP response it reads the body
 * with http.client's framing; over a `file:` or `data:` URL it reads a
 * buffered stream. Python's `urlopen` hands back `http.client.HTTPResponse`
 * itself for HTTP; netkit wraps it so `file:`, `data:` and `http:` answers
 * have one type, and keeps the HTTP object as `fp`.
 *
 * @module
 */
import { ValueError } from "../errors/index.js";
import type { HTTPMessage } from "../textproto/header.js";

/** What `read1()` without a size asks of a body that has no `read1` of its own. */
const READ1_DEFAULT = 64 * 1024;

/** The body under a response: an `HTTPResponse`, a `BufferedReader`, or anything that reads alike. */
export interface ResponseBody {
  /** Up to `n` bytes, or all that is left without `n`; an empty Buffer at the end. */
  read(n?: number): Promise<Buffer>;
  /** At most `n` bytes from one read of what is under it (whatever arrived); empty at the end. */
  read1?(n?: number): Promise<Buffer>;
  /** Fills `b` (fewer bytes only at the end) and resolves with how many. Optional. */
  readinto?(b: Uint8Array): Promise<number>;
  /** One line, newline included; at most `limit` bytes when given; empty at the end. */
  readline(limit?: number): Promise<Buffer>;
  /** Releases the body (its connection or file). */
  close(): void | Promise<void>;
}

/** Options of an `addinfourl`. */
export interface AddinfourlOptions {
  /** The status code (HTTP only; Python's `code`). @default null */
  code?: number | null;
  /** The reason phrase (HTTP only). @default "" */
  reason?: string;
  /** Runs once when the response is closed (Python's `addclosehook`). */
  onClose?: () => void;
}

/**
 * Python's `urllib.response.addinfourl`: a readable body with `url`,
 * `headers` and `status`. Reads are async; `for await (const line of res)`
 * gives lines. Close it (or use `await using`) to free the connection or
 * file before the body is read to the end.
 *
 * @example
 * ```ts world
 * await using res = await urlopen("http://127.0.0.1:8000/");
 * console.log(res.status, res.headers.get("content-type"));
 * for await (const line of res) process.stdout.write(line);
 * ```
 */
export class addinfourl implements AsyncIterable<Buffer> {
  /** The body this reads from (Python's `fp`). */
  readonly fp: ResponseBody;
  /** The response headers (Python's `headers`; `info()` returns them too). */
  readonly headers: HTTPMessage;
  /** The URL the body came from, after any redirects (Python's `url`). */
  url: string;
  /** The status code for HTTP, `null` for other schemes (Python's `status`/`code`). */
  readonly status: number | null;
  /** The reason phrase for HTTP ("OK"), `""` otherwise (Python's `reason`, also `msg`). */
  readonly reason: string;
  #closed = false;
  readonly #onClose: (() => void) | undefined;

  /**
   * @param fp the body
   * @param headers the headers
   * @param url the final URL
   * @param options status, reason and a close hook
   */
  constructor(fp: ResponseBody, headers: HTTPMessage, url: string, options: AddinfourlOptions = {}) {
    this.fp = fp;
    this.headers = headers;
    this.url = url;
    this.status = options.code ?? null;
    this.reason = options.reason ?? "";
    this.#onClose = options.onClose;
  }

  /** Python's `code` (same as `status`). */
  get code(): number | null {
    return this.status;
  }

  /** Python's `msg`: the reason phrase, as urllib sets it. */
  get msg(): string {
    return this.reason;
  }

  /** True once `close()` has run. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Python's `info()`: the headers. */
  info(): HTTPMessage {
    return this.headers;
  }

  /** Python's `geturl()`: the final URL. */
  geturl(): string {
    return this.url;
  }

  /** Python's `getcode()`: the status, or `null`. */
  getcode(): number | null {
    return this.status;
  }

  /**
   * Python's `read(n)`: up to `n` bytes, or the rest of the body without `n`
   * (or with a negative `n`); an empty Buffer at the end.
   * @throws ValueError after close; the body's own errors (`IncompleteRead`, timeouts)
   */
  read(n?: number): Promise<Buffer> {
    this.#checkOpen();
    return this.fp.read(n === undefined || n < 0 ? undefined : n);
  }

  /**
   * Python's `read1(n)`: at most `n` bytes (-1: any number) from one read of
   * the connection, without waiting for more to arrive; empty at the end.
   * What a copy loop wants: no bytes are gathered or copied to fill `n`.
   */
  read1(n = -1): Promise<Buffer> {
    this.#checkOpen();
    const want = n < 0 ? undefined : n;
    return this.fp.read1 ? this.fp.read1(want) : this.fp.read(want ?? READ1_DEFAULT);
  }

  /**
   * Python's `readinto(b)`: fills `b` with the next bytes of the body (fewer
   * only at its end) and resolves with how many; 0 at the end. Over HTTP the
   * bytes go from the socket straight into `b`.
   */
  async readinto(b: Uint8Array): Promise<number> {
    this.#checkOpen();
    if (this.fp.readinto) return this.fp.readinto(b);
    const data = await this.fp.read(b.length);
    b.set(data);
    return data.length;
  }

  /** Python's `readline(limit)`: one line with its newline, empty at the end. */
  readline(limit?: number): Promise<Buffer> {
    this.#checkOpen();
    return this.fp.readline(limit === undefined || limit < 0 ? undefined : limit);
  }

  /**
   * Python's `readlines(hint)`: the remaining lines; with a positive `hint`,
   * stops once the lines read total more than `hint` bytes.
   */
  async readlines(hint = -1): Promise<Buffer[]> {
    const lines: Buffer[] = [];
    let total = 0;
    for (;;) {
      const line = await this.readline();
      if (line.length === 0) break;
      lines.push(line);
      total += line.length;
      if (hint > 0 && total >= hint) break;
    }
    return lines;
  }

  /** Lines of the body, each with its newline. */
  async *[Symbol.asyncIterator](): AsyncIterator<Buffer> {
    for (;;) {
      const line = await this.readline();
      if (line.length === 0) return;
      yield line;
    }
  }

  /** Closes the body and runs the close hook once. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    try {
      await this.fp.close();
    } finally {
      this.#onClose?.();
    }
  }

  /** `await using res = await urlopen(...)` closes it. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #checkOpen(): void {
    if (this.#closed) throw new ValueError("I/O operation on closed file.");
  }
}
