/**
 * `netkit/urllib/error`: the errors `urlopen` and `urlretrieve` raise,
 * Python's `urllib.error`:
 *
 * ```text
 * OSError
 *  └── URLError              (reason: a string or the OSError underneath)
 *       ├── HTTPError        (an answer with a status urllib does not accept;
 *       │                     also a response: code, headers, read())
 *       └── ContentTooShortError (urlretrieve got less than Content-Length)
 * ```
 *
 * @module
 */
import { nameErrors, OSError } from "../errors/index.js";
import { HTTPMessage } from "../textproto/header.js";
import type { addinfourl } from "./response.js";

/** Text of a reason as Python's `str()` shows it. */
function reasonText(reason: unknown): string {
  return reason instanceof Error ? reason.message : String(reason);
}

/**
 * Python's `urllib.error.URLError`: the URL could not be opened. `reason`
 * is a message or the error underneath (a `ConnectionRefusedError`, a
 * `TimeoutError`, a `gaierror`, ...), also kept as `cause`.
 *
 * @example
 * ```ts
 * try {
 *   await urlopen("http://127.0.0.1:1/");
 * } catch (err) {
 *   if (err instanceof URLError) console.log(err.reason); // ConnectionRefusedError
 * }
 * ```
 */
export class URLError extends OSError {
  static override defaultCode = "ERR_URL";
  readonly #reason: unknown;

  /** @param reason a message, or the error that stopped the request */
  constructor(reason: unknown) {
    super(
      undefined,
      `<urlopen error ${reasonText(reason)}>`,
      undefined,
      reason instanceof Error ? { cause: reason } : {},
    );
    this.#reason = reason;
  }

  /** Why: a message, or the error underneath. */
  get reason(): unknown {
    return this.#reason;
  }
}

/**
 * Python's `urllib.error.HTTPError`: the server answered with a status
 * urllib does not accept (4xx, 5xx, or a redirect it will not follow). It is
 * also the response: `status`, `headers`, and the error page through `read()`.
 *
 * Python's `err.code` (the status number) is `err.status` here: `code` is the
 * stable string every netkit error carries (`"ERR_HTTP_STATUS"`), and
 * TypeScript flags `err.code === 404` as a comparison that cannot be true.
 *
 * @example
 * ```ts
 * try {
 *   await urlopen("http://127.0.0.1:8000/missing");
 * } catch (err) {
 *   if (err instanceof HTTPError) console.log(err.status, (await err.read()).toString());
 * }
 * ```
 */
export class HTTPError extends URLError {
  static override defaultCode = "ERR_HTTP_STATUS";
  /** The URL that answered. */
  readonly url: string;
  /** The status code (404; Python's `code`). */
  readonly status: number;
  /** The reason phrase ("Not Found"; Python's `msg`). */
  readonly msg: string;
  /** The response headers (Python's `hdrs` and `headers`). */
  readonly headers: HTTPMessage;
  /** The error response's body, or `null` when there is none. */
  readonly fp: addinfourl | null;

  /**
   * @param url the URL that answered
   * @param code the status code
   * @param msg the reason phrase
   * @param hdrs the response headers
   * @param fp the response, to read the error page from
   */
  constructor(url: string, code: number, msg: string, hdrs: HTTPMessage | null, fp: addinfourl | null) {
    super(msg);
    this.message = `HTTP Error ${code}: ${msg}`;
    this.url = url;
    this.status = code;
    this.msg = msg;
    this.headers = hdrs ?? new HTTPMessage();
    this.fp = fp;
  }

  /** Python's `reason`: the reason phrase. */
  override get reason(): string {
    return this.msg;
  }

  /** Python's `hdrs`. */
  get hdrs(): HTTPMessage {
    return this.headers;
  }

  /** Python's `info()`: the headers. */
  info(): HTTPMessage {
    return this.headers;
  }

  /** Python's `geturl()`. */
  geturl(): string {
    return this.url;
  }

  /** Python's `getcode()`: the status code. */
  getcode(): number {
    return this.status;
  }

  /** Reads the error page (all of it without `n`); empty when there is no body. */
  async read(n?: number): Promise<Buffer> {
    return this.fp ? this.fp.read(n) : Buffer.alloc(0);
  }

  /** One line of the error page. */
  async readline(limit?: number): Promise<Buffer> {
    return this.fp ? this.fp.readline(limit) : Buffer.alloc(0);
  }

  /** Frees the error response's connection. */
  async close(): Promise<void> {
    await this.fp?.close();
  }

  /** `await using` support. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

/**
 * Python's `urllib.error.ContentTooShortError`: `urlretrieve` got fewer
 * bytes than the Content-Length header promised. netkit removes the partial
 * file before throwing; `content` is the headers of the response.
 */
export class ContentTooShortError extends URLError {
  static override defaultCode = "ERR_CONTENT_TOO_SHORT";
  /** What Python keeps in `content`: the `[filename, headers]` of the short download. */
  readonly content: unknown;

  /**
   * @param message what was short ("retrieval incomplete: got only 10 out of 100 bytes")
   * @param content the download's `[filename, headers]`
   */
  constructor(message: string, content: unknown) {
    super(message);
    this.content = content;
  }
}

// Each class's `name`, written out: a minifier renames the classes themselves.
nameErrors({ URLError, HTTPError, ContentTooShortError });
