/**
 * Python's `http.client` exception tree (`netkit/http/client` re-exports it;
 * the header parser, the client and the server share it):
 *
 * ```text
 * HTTPException
 *  ├── NotConnected, InvalidURL, UnknownProtocol, UnknownTransferEncoding,
 *  │   UnimplementedFileMode, IncompleteRead, BadStatusLine, LineTooLong
 *  ├── ImproperConnectionState
 *  │    ├── CannotSendRequest, CannotSendHeader, ResponseNotReady
 *  └── RemoteDisconnected (also a ConnectionResetError in Python; here a BadStatusLine
 *      with `code` "ECONNRESET")
 * ```
 *
 * Every class has a stable `code` (`"ERR_HTTP_LINE_TOO_LONG"`, ...).
 *
 * @module
 */

/** Python's `http.client.HTTPException`: the base of the HTTP errors. */
export class HTTPException extends Error {
  /** A stable code for matching without `instanceof`. */
  readonly code: string = "ERR_HTTP";
  override get name(): string {
    return this.constructor.name;
  }
}

/** The client is not connected (`auto_open` off). */
export class NotConnected extends HTTPException {
  override readonly code: string = "ERR_HTTP_NOT_CONNECTED";
}
/** A URL or host:port could not be used (`nonnumeric port: 'x'`, control characters). */
export class InvalidURL extends HTTPException {
  override readonly code: string = "ERR_HTTP_INVALID_URL";
}
/** The status line names a protocol other than HTTP/1.x. */
export class UnknownProtocol extends HTTPException {
  override readonly code: string = "ERR_HTTP_UNKNOWN_PROTOCOL";
}
/** A Transfer-Encoding netkit cannot decode. */
export class UnknownTransferEncoding extends HTTPException {
  override readonly code: string = "ERR_HTTP_UNKNOWN_TRANSFER_ENCODING";
}
/** A file mode the response cannot be opened in. */
export class UnimplementedFileMode extends HTTPException {
  override readonly code: string = "ERR_HTTP_UNIMPLEMENTED_FILE_MODE";
}

/**
 * The body ended before its framing said it would. `partial` holds what
 * arrived; `expected` how many more bytes were due, when known.
 * The message reads as Python's: `IncompleteRead(5 bytes read, 10 more expected)`.
 */
export class IncompleteRead extends HTTPException {
  override readonly code: string = "ERR_HTTP_INCOMPLETE_READ";
  readonly partial: Buffer;
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
  override readonly code: string = "ERR_HTTP_IMPROPER_STATE";
}
/** `request()`/`putrequest()` while a response is still unread. */
export class CannotSendRequest extends ImproperConnectionState {
  override readonly code: string = "ERR_HTTP_CANNOT_SEND_REQUEST";
}
/** `putheader()` after `endheaders()`. */
export class CannotSendHeader extends ImproperConnectionState {
  override readonly code: string = "ERR_HTTP_CANNOT_SEND_HEADER";
}
/** `getresponse()` before a request was sent. */
export class ResponseNotReady extends ImproperConnectionState {
  override readonly code: string = "ERR_HTTP_RESPONSE_NOT_READY";
}

/** The status line could not be parsed. `line` is what came (Python's repr in the message). */
export class BadStatusLine extends HTTPException {
  override readonly code: string = "ERR_HTTP_BAD_STATUS_LINE";
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
  override readonly code: string = "ERR_HTTP_LINE_TOO_LONG";
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
  override readonly code: string = "ECONNRESET";
  constructor(message = "Remote end closed connection without response") {
    super("", message);
  }
}
