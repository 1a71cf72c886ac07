/**
 * Python's `http.client` exception tree (`netkit/http/client` re-exports it;
 * the header parser, the client and the server share it):
 *
 * ```text
 * HTTPException
 *  ├── NotConnected, InvalidURL, UnknownProtocol, UnknownTransferEncoding,
 *  │   UnimplementedFileMode, BadStatusLine, LineTooLong
 *  ├── IncompleteRead
 *  │    └── InvalidChunk (netkit's)
 *  ├── ImproperConnectionState
 *  │    ├── CannotSendRequest, CannotSendHeader, ResponseNotReady
 *  ├── RemoteDisconnected (also a ConnectionResetError in Python; here a BadStatusLine
 *  │   with `code` "ECONNRESET")
 *  └── netkit's: InvalidHeader, InvalidContentLength, TooManyHeaders,
 *      HeadersTooLarge, TooManyInterimResponses
 * ```
 *
 * Every class has a stable `code` (`"ERR_HTTP_LINE_TOO_LONG"`, ...). netkit's
 * own classes name what RFC 9110 and RFC 9112 refuse and Python reads
 * anyway; each extends the class Python raises nearest to it, so code
 * written for Python's tree still catches them.
 *
 * @module
 */

import { nameErrors, pyRepr } from "../errors/index.js";

/** Python's `http.client.HTTPException`: the base of the HTTP errors. */
export class HTTPException extends Error {
  /** A stable code for matching without `instanceof`. */
  readonly code: string = "ERR_HTTP";
}

/** The client is not connected (`auto_open` off). */
export class NotConnected extends HTTPException {
  /** The stable code for matching without `instanceof`: `"ERR_HTTP_NOT_CONNECTED"`. */
  override readonly code: string = "ERR_HTTP_NOT_CONNECTED";
}
/** A URL or host:port could not be used (`nonnumeric port: 'x'`, control characters). */
export class InvalidURL extends HTTPException {
  /** The stable code for matching without `instanceof`: `"ERR_HTTP_INVALID_URL"`. */
  override readonly code: string = "ERR_HTTP_INVALID_URL";
}
/** The status line names a protocol other than HTTP/1.x. */
export class UnknownProtocol extends HTTPException {
  /** The stable code for matching without `instanceof`: `"ERR_HTTP_UNKNOWN_PROTOCOL"`. */
  override readonly code: string = "ERR_HTTP_UNKNOWN_PROTOCOL";
}
/** A Transfer-Encoding netkit cannot decode. */
export class UnknownTransferEncoding extends HTTPException {
  /** The stable code for matching without `instanceof`: `"ERR_HTTP_UNKNOWN_TRANSFER_ENCODING"`. */
  override readonly code: string = "ERR_HTTP_UNKNOWN_TRANSFER_ENCODING";
}
/** A file mode the response cannot be opened in. */
export class UnimplementedFileMode extends HTTPException {
  /** The stable code for matching without `instanceof`: `"ERR_HTTP_UNIMPLEMENTED_FILE_MODE"`. */
  override readonly code: string = "ERR_HTTP_UNIMPLEMENTED_FILE_MODE";
}

/**
 * The body ended before its framing said it would. `partial` holds what
 * arrived; `expected` how many more bytes were due, when known.
 * The message reads as Python's: `IncompleteRead(5 bytes read, 10 more expected)`.
 */
export class IncompleteRead extends HTTPException {
  /** The stable code for matching without `instanceof`: `"ERR_HTTP_INCOMPLETE_READ"`. */
  override readonly code: string = "ERR_HTTP_INCOMPLETE_READ";
  /** The bytes that arrived. */
  readonly partial: Buffer;
  /** How many more bytes were due, or `null` when not known. */
  readonly expected: number | null;
  constructor(partial: Buffer, expected: number | null = null) {
    super(
      `IncompleteRead(${partial.length} bytes read${expected === null ? "" : `, ${expected} more expected`})`,
    );
    this.partial = partial;
    this.expected = expected;
  }
}

/** A request or response method was called in the wrong state. */
export class ImproperConnectionState extends HTTPException {
  /** The stable code for matching without `instanceof`: `"ERR_HTTP_IMPROPER_STATE"`. */
  override readonly code: string = "ERR_HTTP_IMPROPER_STATE";
}
/** `request()`/`putrequest()` while a response is still unread. */
export class CannotSendRequest extends ImproperConnectionState {
  /** The stable code for matching without `instanceof`: `"ERR_HTTP_CANNOT_SEND_REQUEST"`. */
  override readonly code: string = "ERR_HTTP_CANNOT_SEND_REQUEST";
}
/** `putheader()` after `endheaders()`. */
export class CannotSendHeader extends ImproperConnectionState {
  /** The stable code for matching without `instanceof`: `"ERR_HTTP_CANNOT_SEND_HEADER"`. */
  override readonly code: string = "ERR_HTTP_CANNOT_SEND_HEADER";
}
/** `getresponse()` before a request was sent. */
export class ResponseNotReady extends ImproperConnectionState {
  /** The stable code for matching without `instanceof`: `"ERR_HTTP_RESPONSE_NOT_READY"`. */
  override readonly code: string = "ERR_HTTP_RESPONSE_NOT_READY";
}

/** The status line could not be parsed. `line` is what came (Python's repr in the message). */
export class BadStatusLine extends HTTPException {
  /** The stable code for matching without `instanceof`: `"ERR_HTTP_BAD_STATUS_LINE"`. */
  override readonly code: string = "ERR_HTTP_BAD_STATUS_LINE";
  /** The line as it came. */
  readonly line: string;
  constructor(line: string, message?: string) {
    super(message ?? (line === "" ? "''" : line));
    this.line = line;
  }
}

/**
 * A status or header line, or a chunk-size line, was longer than the limit
 * (65536 bytes, Python's `_MAXLINE`). `lineType` says which: `"header line"`,
 * `"status line"`, `"chunk size"`, `"trailer line"`.
 */
export class LineTooLong extends HTTPException {
  /** The stable code for matching without `instanceof`: `"ERR_HTTP_LINE_TOO_LONG"`. */
  override readonly code: string = "ERR_HTTP_LINE_TOO_LONG";
  /** Which line was too long: `"header line"`, `"status line"`, `"chunk size"` or `"trailer line"`. */
  readonly lineType: string;
  constructor(lineType: string) {
    super(`got more than 65536 bytes when reading ${lineType}`);
    this.lineType = lineType;
  }
}

/**
 * The server closed the connection without sending a status line (Python's
 * `RemoteDisconnected`, which is also a `ConnectionResetError` there).
 */
export class RemoteDisconnected extends BadStatusLine {
  /** The stable code for matching without `instanceof`: `"ECONNRESET"`. */
  override readonly code: string = "ECONNRESET";
  constructor(message = "Remote end closed connection without response") {
    super("", message);
  }
}

/**
 * A chunked body broke RFC 9112 7.1: a chunk-size line that is not
 * `1*HEXDIG [chunk-ext]` (a sign, a `0x` prefix, spaces, an overflow, a
 * malformed extension), or chunk data not followed by its line end (the
 * chunk was longer than its size). An `IncompleteRead`, as Python raises
 * for a size it cannot read; `partial` holds the body read so far.
 */
export class InvalidChunk extends IncompleteRead {
  /** The stable code for matching without `instanceof`: `"ERR_HTTP_INVALID_CHUNK"`. */
  override readonly code: string = "ERR_HTTP_INVALID_CHUNK";
  /** What was wrong, e.g. `invalid chunk size line '0x10'`. */
  readonly detail: string;
  constructor(partial: Buffer, detail: string) {
    super(partial);
    this.message = `Cannot read the chunked body: ${detail}`;
    this.detail = detail;
  }
}

/**
 * A header (or trailer) line of a response broke RFC 9112 5: no colon,
 * whitespace before the colon, a name that is not a token, or a control
 * character (NUL, a bare CR, ...) in the value. Python stops parsing headers
 * there and reads the rest as body; netkit refuses the response.
 */
export class InvalidHeader extends HTTPException {
  /** The stable code for matching without `instanceof`: `"ERR_HTTP_INVALID_HEADER"`. */
  override readonly code: string = "ERR_HTTP_INVALID_HEADER";
  /** The offending line (at most its first 100 characters), line end excluded. */
  readonly line: string;
  constructor(line: string, detail: string) {
    super(`Cannot parse header line ${pyRepr(line)}: ${detail}`);
    this.line = line;
  }
}

/**
 * A response's Content-Length is not `1*DIGIT` (RFC 9110 8.6): a sign,
 * spaces inside, a non-number, values that differ, or more digits than
 * netkit counts (15). Python ignores such a value and reads until the
 * connection closes; netkit refuses the response.
 */
export class InvalidContentLength extends HTTPException {
  /** The stable code for matching without `instanceof`: `"ERR_HTTP_INVALID_CONTENT_LENGTH"`. */
  override readonly code: string = "ERR_HTTP_INVALID_CONTENT_LENGTH";
  /** The Content-Length field values, joined by ", ". */
  readonly value: string;
  constructor(value: string) {
    super(`Cannot use Content-Length ${pyRepr(value)}: not one decimal number`);
    this.value = value;
  }
}

/**
 * A header block larger than its limit in bytes: netkit's HTTP server reads
 * at most 1 MiB of request headers (Go's `DefaultMaxHeaderBytes`) and
 * answers 431. Not in Python, whose only bound is 100 lines of 64 KiB.
 */
export class HeadersTooLarge extends HTTPException {
  /** The stable code for matching without `instanceof`: `"ERR_HTTP_HEADERS_TOO_LARGE"`. */
  override readonly code: string = "ERR_HTTP_HEADERS_TOO_LARGE";
  /** The limit that was passed, in bytes. */
  readonly limit: number;
  /** `"header line"` or `"trailer line"`. */
  readonly lineType: string;
  constructor(limit: number, lineType = "header line") {
    super(`got more than ${limit} bytes of ${lineType}s`);
    this.limit = limit;
    this.lineType = lineType;
  }
}

/**
 * More header lines than the limit (100, Python's `_MAXHEADERS`), or more
 * trailer lines after a chunked body. Python raises a plain
 * `HTTPException` with the same message for the headers and reads trailers
 * without end.
 */
export class TooManyHeaders extends HTTPException {
  /** The stable code for matching without `instanceof`: `"ERR_HTTP_TOO_MANY_HEADERS"`. */
  override readonly code: string = "ERR_HTTP_TOO_MANY_HEADERS";
  /** The limit that was passed. */
  readonly limit: number;
  /** `"header line"` or `"trailer line"`. */
  readonly lineType: string;
  constructor(limit: number, lineType = "header line") {
    super(
      lineType === "header line" ? `got more than ${limit} headers` : `got more than ${limit} ${lineType}s`,
    );
    this.limit = limit;
    this.lineType = lineType;
  }
}

/**
 * More interim (1xx) responses before the final one than the limit. Python
 * reads `100 Continue` responses without end.
 */
export class TooManyInterimResponses extends HTTPException {
  /** The stable code for matching without `instanceof`: `"ERR_HTTP_TOO_MANY_INTERIM_RESPONSES"`. */
  override readonly code: string = "ERR_HTTP_TOO_MANY_INTERIM_RESPONSES";
  /** The limit that was passed. */
  readonly limit: number;
  constructor(limit: number) {
    super(`got more than ${limit} interim (1xx) responses`);
    this.limit = limit;
  }
}

// Each class's `name`, written out: a minifier renames the classes themselves.
nameErrors({
  HTTPException,
  NotConnected,
  InvalidURL,
  UnknownProtocol,
  UnknownTransferEncoding,
  UnimplementedFileMode,
  IncompleteRead,
  ImproperConnectionState,
  CannotSendRequest,
  CannotSendHeader,
  ResponseNotReady,
  BadStatusLine,
  LineTooLong,
  RemoteDisconnected,
  InvalidChunk,
  InvalidHeader,
  InvalidContentLength,
  TooManyHeaders,
  HeadersTooLarge,
  TooManyInterimResponses,
});
