/**
 * Python's `http.server.BaseHTTPRequestHandler`: reads requests off the
 * connection, parses them strictly, and dispatches each to a `do<METHOD>`
 * method; it writes responses through `sendResponse`/`sendHeader`/`endHeaders`.
 *
 * ```text
 * handle ─► handleOneRequest (again while !closeConnection)
 *            ├─ rfile.readline(65537)           414 past 65536 bytes; up to 8 empty lines before it skipped
 *            ├─ parseRequest                    request line, headers (431), RFC 9112's grammar (400, 501, 505),
 *            │                                  Connection, Expect ─► handleExpect100
 *            └─ do<COMMAND>()                   501 when there is none; 500 when it throws before a reply
 * ```
 *
 * @module
 */

import { CR, LF } from "../../_ascii.js";
import { htmlEscape } from "../../_html.js";
import { fieldValueFaultAt, isToken } from "../../_http_grammar.js";
import { pyFormat, reprOf } from "../../_pyformat.js";
import { MONTH_ABBRS, WEEKDAY_ABBRS } from "../../_time.js";
import { ConnectionError, OSError, TimeoutError, ValueError } from "../../errors/index.js";
import { formatAddress } from "../../socket/address.js";
import { AF_INET, AF_INET6 } from "../../socket/constants.js";
import type { AnyServer } from "../../socketserver/base.js";
import { StreamRequestHandler } from "../../socketserver/handlers.js";
import { type IdleClosable, trackHandler } from "../../socketserver/registry.js";
import { HeadersTooLarge, HTTPException, LineTooLong, TooManyHeaders } from "../errors.js";
import { HTTPStatus } from "../index.js";
import { HTTPMessage, parseHeaderBlock, readHeaders } from "../message.js";
import { formatHttpDate, formatLogDate } from "./dates.js";
import { DEFAULT_ERROR_CONTENT_TYPE, DEFAULT_ERROR_MESSAGE, escapeLogControls } from "./format.js";
import {
  DEFAULT_HEADER_TIMEOUT,
  MAX_EMPTY_LINES_BEFORE_REQUEST,
  MAX_HEADER_BYTES,
  MAX_HEADER_COUNT,
  MAX_HEADER_LINE,
  MAX_REQUEST_LINE,
} from "./limits.js";
import { checkFraming, type Framing, parseHeaderLines, parseRequestLine } from "./request.js";

/** Python's `BaseHTTPRequestHandler.responses`: code → [short message, long explanation]. */
export const RESPONSES: Readonly<Record<number, readonly [string, string]>> = Object.freeze(
  Object.fromEntries(
    HTTPStatus.members().map((m) => [m.value, Object.freeze([m.phrase, m.description] as const)]),
  ),
) as Readonly<Record<number, readonly [string, string]>>;

const MONTHNAMES = [null, ...MONTH_ABBRS];
const WEEKDAYNAMES = WEEKDAY_ABBRS;

/** Header names and values may not hold these: they would end the line and start another (header injection). */
const LINE_BREAK = /[\r\n]/;

/**
 * Python's `BaseHTTPRequestHandler`. Subclass it and add `doGET`,
 * `doPOST`, ... (Python's `do_GET`): each reads what it needs from
 * `command`, `path`, `headers` and `rfile`, and answers with
 * `sendResponse(code)`, `sendHeader(name, value)`, `await endHeaders()`,
 * then writes the body to `wfile`.
 *
 * Attributes to override (class fields): `serverVersion`, `sysVersion`,
 * `protocolVersion` (`"HTTP/1.1"` keeps connections alive), `errorMessageFormat`,
 * `errorContentType`, `defaultRequestVersion`, `timeout` (seconds per read or
 * write, Python's), `headerTimeout` (netkit's, see below), `responses`.
 * Methods to override: `do<METHOD>`, `handleExpect100`, `logMessage`,
 * `versionString`, `addressString`.
 *
 * Where netkit differs from Python 3.11, on purpose:
 * - Requests are held to RFC 9112's grammar (request smuggling): a request
 *   line that is not `method SP target SP HTTP/d.d` (a method that is not a
 *   token, whitespace other than one SP, a control character or a byte past
 *   ASCII in the target, `HTTP/1.1000`), obs-fold, a malformed header line,
 *   control characters in a header value, both Content-Length and
 *   Transfer-Encoding, a bad or conflicting Content-Length, a
 *   Transfer-Encoding not ending in chunked (or in an HTTP/1.0 request), and
 *   two Host headers are refused with 400; a transfer coding other than
 *   chunked with 501; a major version other than 1 with 505 (`HTTP/0.9`
 *   written out too). Python accepts nearly all of them.
 * - Up to 8 empty lines before a request line are skipped (RFC 9112 2.2);
 *   Python closes the connection at the first.
 * - `headerTimeout` (default 60 s): a client must send the whole request head
 *   within it, and may idle at most that long between kept-alive requests.
 *   `timeout`, when set and smaller, bounds the whole head too (besides each
 *   read and write, as in Python). Python has only the per-read `timeout`,
 *   which a slowloris client sending a byte now and then never trips.
 * - A `do<METHOD>` that throws before the response started gets a 500 sent for
 *   it (Python just drops the connection); the error still reaches the
 *   server's `handleError`. A client that goes away mid-response
 *   (`ConnectionError`) is logged in one line, not as a traceback.
 * - `sendHeader` refuses (ValueError) CR, LF or another control character in
 *   a name or value, and a name that is not a token, so a value taken from a
 *   request cannot inject headers; `sendResponse` refuses a status outside
 *   100-999 and a control character in the reason phrase.
 * - `sysVersion` names Node.js, not Python.
 * - `disableNagleAlgorithm` is true (Python: false), so a head and a body
 *   written one after the other do not wait out the client's delayed ACK.
 * - Responses and logging are async: `endHeaders`, `flushHeaders`,
 *   `sendError` and the `do<METHOD>`s return promises.
 *
 * @example
 * ```ts serves=http:8000
 * import { BaseHTTPRequestHandler, HTTPServer } from "netkit/http/server";
 * class Hello extends BaseHTTPRequestHandler {
 *   async doGET() {
 *     const body = Buffer.from(`hello ${this.path}\n`);
 *     this.sendResponse(200);
 *     this.sendHeader("Content-Type", "text/plain");
 *     this.sendHeader("Content-Length", String(body.length));
 *     await this.endHeaders();
 *     await this.wfile.write(body);
 *   }
 * }
 * const server = new HTTPServer(["127.0.0.1", 8000], Hello);
 * await server.serveForever();
 * ```
 */
export class BaseHTTPRequestHandler<Server extends AnyServer = AnyServer>
  extends StreamRequestHandler<Server>
  implements IdleClosable
{
  /** Python's `sys_version`: the runtime, second word of the `Server` header. */
  sysVersion = `Node.js/${process.versions.node}`;
  /** Python's `server_version`: the first word of the `Server` header. @default "BaseHTTP/0.6" */
  serverVersion = "BaseHTTP/0.6";
  /** Python's `error_message_format`: `%(code)d`, `%(message)s`, `%(explain)s` are filled in (HTML-escaped). */
  errorMessageFormat = DEFAULT_ERROR_MESSAGE;
  /** Python's `error_content_type`. @default "text/html;charset=utf-8" */
  errorContentType = DEFAULT_ERROR_CONTENT_TYPE;
  /** Python's `default_request_version`: assumed until the request line names one. @default "HTTP/0.9" */
  defaultRequestVersion = "HTTP/0.9";
  /**
   * Python's `protocol_version`: `"HTTP/1.0"` closes the connection after
   * each response, `"HTTP/1.1"` keeps it open (send Content-Length!).
   * @default "HTTP/1.0"
   */
  protocolVersion = "HTTP/1.0";
  /** Python's `responses`: code → [phrase, explanation], for status lines and error pages. */
  responses: Readonly<Record<number, readonly [string, string]>> = RESPONSES;
  /** Python's `monthname` (index 1 is January). */
  monthname: ReadonlyArray<string | null> = MONTHNAMES;
  /** Python's `weekdayname` (Monday first). */
  weekdayname: readonly string[] = WEEKDAYNAMES;
  /**
   * Seconds the client has to send a whole request head, and the longest a
   * kept-alive connection may wait for the next request; `null` for no limit
   * (Python's behaviour). `timeout`, when smaller, takes its place. Not in Python.
   * @default 60
   */
  headerTimeout: number | null = DEFAULT_HEADER_TIMEOUT;
  /**
   * Sets TCP_NODELAY on each TCP connection (Python's
   * `disable_nagle_algorithm`, false there; Unix sockets have no Nagle to
   * disable). On here: a response whose head and body are written separately
   * (`endHeaders()`, then `wfile.write(body)`) would otherwise wait for the
   * client's delayed ACK, about 40 ms per kept-alive request. Node's own HTTP
   * server does the same. Set it to false for Python's behaviour.
   * @default true
   */
  override disableNagleAlgorithm = true;

  /** The request method (`"GET"`), or `null` when the request line could not be parsed. */
  command: string | null = null;
  /** The request target as sent (a leading `//` cut to `/`). */
  path = "";
  /** The request line's version, e.g. `"HTTP/1.1"`. */
  requestVersion = "";
  /** The request line, without its line end. */
  requestline = "";
  /** The request line's bytes, as read. */
  rawRequestline: Buffer = Buffer.alloc(0);
  /**
   * The request headers. For a head refused for its header lines, what
   * Python's lenient parser makes of them (as Python sets `headers` before
   * netkit's checks would run), parsed when first read: a refusal costs no
   * second parse unless something looks.
   */
  get headers(): HTTPMessage {
    if (this.#refusedHeaderText !== null) {
      this.#headers = parseHeaderBlock(this.#refusedHeaderText);
      this.#refusedHeaderText = null;
    }
    return this.#headers!;
  }
  /** Replaces the parsed headers. */
  set headers(value: HTTPMessage) {
    this.#headers = value;
    this.#refusedHeaderText = null;
  }
  #headers: HTTPMessage | undefined;
  #refusedHeaderText: string | null = null;
  /** Python's `close_connection`: true ends `handle()` after this request. */
  closeConnection = true;
  /**
   * How the request's body is framed, as the headers declared it (checked):
   * `none`, `length` with the byte count, or `chunked`. Not in Python.
   */
  framing: Framing = { kind: "none" };

  /** The queued head, as latin-1 text (checked as it is queued): one Buffer is made when it is sent. */
  #headersBuffer = "";
  #headersFlushed = false;
  /** True while waiting for the first byte of a request (the connection is idle). */
  #idle = false;
  #closeAfterRequest = false;
  #headDeadline: NodeJS.Timeout | undefined;
  #deadlineMs = 0;
  #deadlineArmed = false;
  #headTimedOut = false;
  #closedIdle = false;
  #untrack: (() => void) | undefined;

  override async setup(): Promise<void> {
    const noDelay = this.disableNagleAlgorithm;
    // Nagle's algorithm is TCP's: a Unix stream socket has none to disable (and refuses TCP_NODELAY).
    const family = this.request.family;
    if (noDelay && family !== AF_INET && family !== AF_INET6) this.disableNagleAlgorithm = false;
    try {
      await super.setup();
    } finally {
      this.disableNagleAlgorithm = noDelay;
    }
    this.#untrack = trackHandler(this.server, this);
  }

  override async finish(): Promise<void> {
    this.#untrack?.();
    this.#dropDeadline();
    await super.finish();
  }

  /** @internal The server is closing: drop the connection if it waits for a request, else close after this one. */
  closeWhenIdle(): void {
    this.#closeAfterRequest = true;
    if (this.#idle && this.rfile && this.rfile.buffered === 0) {
      this.#closedIdle = true;
      this.connection.close();
    }
  }

  /** Python's `handle()`: serves requests until `closeConnection`. */
  override async handle(): Promise<void> {
    this.closeConnection = true;
    await this.handleOneRequest();
    while (!this.closeConnection) await this.handleOneRequest();
  }

  /** Seconds the request head may take: the smaller of `headerTimeout` and `timeout`, or `null`. */
  #headLimit(): number | null {
    const header = this.headerTimeout;
    const timeout = this.timeout;
    if (header === null) return timeout;
    return timeout === null ? header : Math.min(header, timeout);
  }

  /**
   * Arms the head deadline. One timer per connection, re-armed with
   * `refresh()` for each request (no timer or closure made per request);
   * between heads it is disarmed, and a disarmed timer that fires does nothing.
   */
  #startDeadline(): void {
    this.#headTimedOut = false;
    const limit = this.#headLimit();
    if (limit === null) {
      this.#deadlineArmed = false;
      return;
    }
    const ms = limit * 1000;
    if (this.#headDeadline !== undefined && this.#deadlineMs === ms) {
      this.#headDeadline.refresh();
    } else {
      if (this.#headDeadline !== undefined) clearTimeout(this.#headDeadline);
      this.#headDeadline = setTimeout(this.#onHeadDeadline, ms);
      this.#deadlineMs = ms;
    }
    this.#deadlineArmed = true;
  }

  readonly #onHeadDeadline = (): void => {
    if (!this.#deadlineArmed) return;
    this.#deadlineArmed = false;
    this.#headTimedOut = true;
    this.connection.close();
  };

  #clearDeadline(): void {
    this.#deadlineArmed = false;
  }

  /** Stops the deadline timer for good (the connection is done). */
  #dropDeadline(): void {
    this.#deadlineArmed = false;
    if (this.#headDeadline !== undefined) clearTimeout(this.#headDeadline);
    this.#headDeadline = undefined;
  }

  /**
   * Python's `handle_one_request()`: reads one request and dispatches it.
   * A read or write that times out (`timeout`, `headerTimeout`) ends the
   * connection with a log line.
   */
  async handleOneRequest(): Promise<void> {
    this.#headersBuffer = "";
    this.#headersFlushed = false;
    this.framing = { kind: "none" };
    if (this.#closeAfterRequest) {
      this.closeConnection = true;
      return;
    }
    this.#startDeadline();
    try {
      this.#idle = true;
      let raw: Buffer;
      try {
        raw = await this.rfile.readline(MAX_REQUEST_LINE + 1);
        for (let skipped = 0; skipped < MAX_EMPTY_LINES_BEFORE_REQUEST && isEmptyLine(raw); skipped++) {
          raw = await this.rfile.readline(MAX_REQUEST_LINE + 1);
        }
      } finally {
        this.#idle = false;
      }
      this.rawRequestline = raw;
      if (raw.length > MAX_REQUEST_LINE) {
        this.requestline = "";
        this.requestVersion = "";
        this.command = "";
        await this.sendError(414);
        return;
      }
      if (raw.length === 0) {
        this.closeConnection = true;
        return;
      }
      if (!(await this.parseRequest())) return;
      this.#clearDeadline();
      const mname = `do${this.command}`;
      const method = (this as unknown as Record<string, unknown>)[mname];
      if (typeof method !== "function") {
        await this.sendError(501, `Unsupported method (${reprOf(this.command)})`);
        return;
      }
      try {
        await method.call(this);
      } catch (err) {
        if (err instanceof TimeoutError) throw err;
        this.closeConnection = true;
        if (err instanceof ConnectionError) {
          this.logError("Connection lost: %r", err);
          return;
        }
        if (!this.#headersFlushed && !this.wfile.closed) {
          this.#headersBuffer = "";
          try {
            await this.sendError(500);
          } catch (sendErr) {
            // the client is gone too (an OSError); the original error is what matters
            if (!(sendErr instanceof OSError)) throw sendErr;
          }
        }
        throw err;
      }
      if (this.#closeAfterRequest) this.closeConnection = true;
      await this.flushHeaders(); // a head a do-method queued and left
      await this.wfile.flush(); // actually send the response if not already done
    } catch (err) {
      if (err instanceof TimeoutError || this.#headTimedOut) {
        // a read or a write timed out: discard this connection
        this.logError("Request timed out: %r", err instanceof TimeoutError ? err : new TimeoutError());
        this.closeConnection = true;
        return;
      }
      if (this.#closedIdle) {
        this.closeConnection = true;
        return;
      }
      throw err;
    } finally {
      this.#clearDeadline();
    }
  }

  /**
   * Python's `parse_request()`: parses `rawRequestline` and the headers that
   * follow into `command`, `path`, `requestVersion`, `headers`. Returns
   * false when the request cannot be served; the error response (if any)
   * has been sent.
   */
  async parseRequest(): Promise<boolean> {
    this.command = null;
    this.requestVersion = this.defaultRequestVersion;
    this.closeConnection = true;
    const rawText = this.rawRequestline.toString("latin1");
    const parsed = parseRequestLine(rawText, this.protocolVersion, this.defaultRequestVersion);
    this.requestline = stripLineEnds(rawText);
    if (parsed === null) return false;
    if ("error" in parsed) {
      this.requestVersion = parsed.requestVersion;
      await this.sendError(parsed.error.code, parsed.error.message);
      return false;
    }
    const line = parsed.ok;
    this.command = line.command;
    this.path = line.path;
    this.requestVersion = line.requestVersion;
    this.closeConnection = line.closeConnection;

    let text: string;
    try {
      text =
        (await this.#takeBufferedHeaders()) ??
        Buffer.concat(
          await readHeaders(this.rfile, {
            maxLineLength: MAX_HEADER_LINE,
            maxHeaders: MAX_HEADER_COUNT,
            maxBytes: MAX_HEADER_BYTES,
          }),
        ).toString("latin1");
    } catch (err) {
      if (err instanceof LineTooLong) {
        await this.sendError(431, "Line too long", err.message);
        return false;
      }
      if (err instanceof HeadersTooLarge) {
        await this.sendError(431, "Request header fields too large", err.message);
        return false;
      }
      if (err instanceof HTTPException) {
        await this.sendError(431, "Too many headers", err.message);
        return false;
      }
      throw err;
    }
    const fields = parseHeaderLines(text);
    if (!(fields instanceof HTTPMessage)) {
      this.#refusedHeaderText = text; // `headers` makes of it what Python's parser makes
      await this.sendError(fields.code, fields.message);
      return false;
    }
    this.headers = fields;
    const framing = checkFraming(this.headers, this.requestVersion);
    if ("code" in framing) {
      await this.sendError(framing.code, framing.message, framing.explain);
      return false;
    }
    this.framing = framing;

    const conntype = this.headers.get("Connection", "").toLowerCase();
    if (conntype === "close") this.closeConnection = true;
    else if (conntype === "keep-alive" && this.protocolVersion >= "HTTP/1.1") this.closeConnection = false;
    const expect = this.headers.get("Expect", "");
    if (
      expect.toLowerCase() === "100-continue" &&
      this.protocolVersion >= "HTTP/1.1" &&
      this.requestVersion >= "HTTP/1.1"
    ) {
      if (!(await this.handleExpect100())) return false;
    }
    return true;
  }

  /**
   * The header block, taken in one read and decoded once, when all of it
   * is in the first chunk the reader holds (then line by line `readHeaders`
   * would find the same lines); else `null`, and nothing is taken. One scan
   * instead of a read, a Buffer and a string per line: many small header
   * lines cost no more per byte than a few long ones.
   * @throws TooManyHeaders past MAX_HEADER_COUNT lines, as `readHeaders` would
   */
  async #takeBufferedHeaders(): Promise<string | null> {
    const rfile = this.rfile;
    if (rfile.buffered === 0) return null;
    let view = await rfile.peek(1); // the first buffered chunk, not copied
    if (view.length > MAX_HEADER_LINE + 3) view = view.subarray(0, MAX_HEADER_LINE + 3);
    // The block ends at its first empty line: an LF followed by CRLF or LF (or at once).
    let end: number;
    if (view[0] === LF) end = 1;
    else if (view[0] === CR && view[1] === LF) end = 2;
    else {
      const crlf = view.indexOf(LF_CRLF);
      const lf = view.indexOf(LF_LF);
      end = crlf >= 0 && (lf < 0 || crlf < lf) ? crlf + 3 : lf >= 0 ? lf + 2 : -1;
    }
    // No line of a block this short passes MAX_HEADER_LINE; the lines are counted here.
    if (end < 0 || end > MAX_HEADER_LINE) return null;
    const text = view.toString("latin1", 0, end);
    let lines = 0;
    for (let at = text.indexOf("\n"); at >= 0 && lines <= MAX_HEADER_COUNT; at = text.indexOf("\n", at + 1))
      lines++;
    if (lines > MAX_HEADER_COUNT) throw new TooManyHeaders(MAX_HEADER_COUNT);
    await rfile.read(end);
    return text;
  }

  /**
   * Python's `handle_expect_100()`: answers `Expect: 100-continue` with
   * `100 Continue`. Override to refuse (send an error, return false).
   */
  async handleExpect100(): Promise<boolean> {
    this.sendResponseOnly(100);
    await this.endHeaders();
    return true;
  }

  /**
   * Python's `send_error(code, message, explain)`: sends an error response
   * with Python's HTML page (message and explanation HTML-escaped; no body
   * for 1xx, 204, 205, 304 or HEAD) and `Connection: close`, and logs it.
   */
  async sendError(code: number, message?: string, explain?: string): Promise<void> {
    const [shortmsg, longmsg] = this.responses[code] ?? ["???", "???"];
    const msg = message ?? shortmsg;
    const exp = explain ?? longmsg;
    this.logError("code %d, message %s", code, msg);
    this.sendResponse(code, msg);
    this.sendHeader("Connection", "close");
    // No body for 1xx, 204, 304 (RFC 9110 15.2, 15.3.5, 15.4.5) and 205 (15.3.6).
    let body: Buffer | undefined;
    if (code >= 200 && code !== 204 && code !== 205 && code !== 304) {
      const content = pyFormat(this.errorMessageFormat, {
        code,
        message: htmlEscape(msg, false),
        explain: htmlEscape(exp, false),
      });
      body = Buffer.from(content, "utf8");
      this.sendHeader("Content-Type", this.errorContentType);
      this.sendHeader("Content-Length", String(body.length));
    }
    await this.endHeaders();
    if (this.command !== "HEAD" && body && body.length > 0) await this.wfile.write(body);
  }

  /**
   * Python's `send_response(code, message)`: queues the status line (see
   * `sendResponseOnly`) with `Server` and `Date` headers, and logs the request.
   */
  sendResponse(code: number, message?: string): void {
    this.logRequest(code);
    this.sendResponseOnly(code, message);
    this.sendHeader("Server", this.versionString());
    this.sendHeader("Date", this.dateTimeString());
  }

  /**
   * Python's `send_response_only(code, message)`: queues the status line only (nothing for HTTP/0.9).
   * @throws ValueError for a status outside 100-999 or a reason phrase with a control character
   *   (RFC 9112 4: a status line is `HTTP-version SP 3DIGIT SP reason`) or a character beyond latin-1
   */
  sendResponseOnly(code: number, message?: string): void {
    if (this.requestVersion === "HTTP/0.9") return;
    const status = Math.trunc(code);
    if (!(status >= 100 && status <= 999)) {
      throw new ValueError(`Cannot send status ${reprOf(code)}: a status is three digits, 100 to 999`);
    }
    const phrase = message ?? this.responses[code]?.[0] ?? "";
    if (fieldValueFaultAt(phrase) >= 0) {
      throw new ValueError(`Cannot send reason phrase ${reprOf(phrase)}: it holds a control character`);
    }
    this.#headersBuffer += latin1(`${this.protocolVersion} ${status} ${phrase}\r\n`, "status line");
  }

  /**
   * Python's `send_header(keyword, value)`: queues a header (nothing for
   * HTTP/0.9). `Connection: close` / `keep-alive` also sets `closeConnection`.
   * @throws ValueError when the name or value holds CR, LF or another control character but HTAB
   *   (header injection; RFC 9110 5.5), the name is not a token (RFC 9110 5.1), or either holds a
   *   character beyond latin-1
   */
  sendHeader(keyword: string, value: string | number): void {
    const text = String(value);
    if (this.requestVersion !== "HTTP/0.9") {
      const line = `${keyword}: ${text}`;
      // One scan for every refusal on the common path; the rare hit finds out which.
      if (UNSAFE_IN_HEADER.test(line)) {
        if (LINE_BREAK.test(line)) {
          throw new ValueError(`Cannot send header ${reprOf(keyword)}: CR or LF in its name or value`);
        }
        latin1(line, "header");
        throw new ValueError(
          `Cannot send header ${reprOf(keyword)}: a control character in its name or value`,
        );
      }
      if (!isToken(keyword))
        throw new ValueError(`Cannot send header ${reprOf(keyword)}: the name is not a token`);
      this.#headersBuffer += `${line}\r\n`;
    }
    if (keyword.length === 10 && keyword.toLowerCase() === "connection") {
      const v = text.toLowerCase();
      if (v === "close") this.closeConnection = true;
      else if (v === "keep-alive") this.closeConnection = false;
    }
  }

  /** Python's `end_headers()`: queues the blank line and sends the queued head. */
  async endHeaders(): Promise<void> {
    if (this.requestVersion === "HTTP/0.9") return;
    this.#headersBuffer += "\r\n";
    await this.flushHeaders();
  }

  /**
   * `endHeaders()` without the flush: the blank line is queued and the head
   * waits for `flushHeaders()` (or a body written with it in one write).
   */
  protected endHeadersQueued(): void {
    if (this.requestVersion === "HTTP/0.9") return;
    this.#headersBuffer += "\r\n";
  }

  /** Python's `flush_headers()`: writes what `sendResponse`/`sendHeader` queued, in one write. */
  async flushHeaders(): Promise<void> {
    if (this.#headersBuffer.length === 0) return;
    const head = Buffer.from(this.#headersBuffer, "latin1");
    this.#headersBuffer = "";
    this.#headersFlushed = true;
    await this.wfile.write(head);
  }

  /** True once any of this response's head went out (a handler error then cannot become a 500). */
  get headersSent(): boolean {
    return this.#headersFlushed;
  }

  /** @internal Takes the queued head without sending it (to send it together with a small body). */
  protected takeHeadersBuffer(): Buffer {
    const head = this.#headersBuffer.length === 0 ? EMPTY : Buffer.from(this.#headersBuffer, "latin1");
    this.#headersBuffer = "";
    this.#headersFlushed = true;
    return head;
  }

  /** Python's `log_request(code, size)`: logs the request line with the status. */
  logRequest(code: number | string = "-", size: number | string = "-"): void {
    this.logMessage('"%s" %s %s', this.requestline, String(code), String(size));
  }

  /** Python's `log_error(format, ...args)`: an error line, through `logMessage`. */
  logError(format: string, ...args: unknown[]): void {
    this.logMessage(format, ...args);
  }

  /**
   * Python's `log_message(format, ...args)`: writes
   * `client - - [date] message` to stderr, control characters escaped.
   * `format` takes Python's `%s`, `%d` and `%r`.
   */
  logMessage(format: string, ...args: unknown[]): void {
    const message = pyFormat(format, ...args);
    process.stderr.write(
      `${this.addressString()} - - [${this.logDateTimeString()}] ${escapeLogControls(message)}\n`,
    );
  }

  /** Python's `version_string()`: `serverVersion sysVersion`, the `Server` header. */
  versionString(): string {
    return `${this.serverVersion} ${this.sysVersion}`;
  }

  /** Python's `date_time_string(timestamp)`: an HTTP date (`Sun, 06 Nov 1994 08:49:37 GMT`); now by default. */
  dateTimeString(timestamp?: number): string {
    if (timestamp !== undefined) return formatHttpDate(timestamp);
    // now: formatted once a second (the Date header of every response)
    const second = Math.floor(Date.now() / 1000);
    if (second !== nowSecond) {
      nowText = formatHttpDate(second);
      nowSecond = second;
    }
    return nowText;
  }

  /** Python's `log_date_time_string()`: now, for log lines (`06/Nov/1994 08:49:37`, local time). */
  logDateTimeString(): string {
    return formatLogDate(Date.now() / 1000);
  }

  /** Python's `address_string()`: the client's host (a Unix client's path, `-` for none). */
  addressString(): string {
    const addr = this.clientAddress;
    if (Array.isArray(addr)) return String(addr[0]);
    if (addr === null) return "-";
    return typeof addr === "string" ? addr : formatAddress(addr);
  }
}

const LF_CRLF = Buffer.from("\n\r\n");
const LF_LF = Buffer.from("\n\n");
let nowSecond = Number.NaN;
let nowText = "";
const EMPTY = Buffer.alloc(0);
/** Controls but HTAB, DEL, or a character beyond latin-1: what a header line may not hold. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this finds
const UNSAFE_IN_HEADER = /[\x00-\x08\x0a-\x1f\x7f\u0100-\uffff]/;
/** A character Python's 'latin-1' codec cannot encode. */
const BEYOND_LATIN1 = /[\u0100-\uffff]/;

/** `text` when every character fits latin-1 (Python encodes the head with 'latin-1', 'strict'). */
function latin1(text: string, what: string): string {
  const beyond = BEYOND_LATIN1.exec(text);
  if (beyond !== null) {
    throw new ValueError(
      `Cannot encode ${what} ${reprOf(text.trimEnd())}: character beyond latin-1 at ${beyond.index}`,
    );
  }
  return text;
}

/** True for a line that is only its line end: CRLF or LF. */
function isEmptyLine(line: Buffer): boolean {
  return (line.length === 2 && line[0] === CR && line[1] === LF) || (line.length === 1 && line[0] === LF);
}

/**
 * Python's `text.rstrip("\r\n")`, in one backward scan: `/[\r\n]+$/` costs
 * the square of a long run of CRs that does not end the text.
 */
function stripLineEnds(text: string): string {
  let end = text.length;
  for (let c = text.charCodeAt(end - 1); c === CR || c === LF; c = text.charCodeAt(--end - 1));
  return end === text.length ? text : text.slice(0, end);
}
