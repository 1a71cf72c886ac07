/**
 * Reading POP3 responses (RFC 1939 3) off a `textproto.Reader`: a status
 * line (`+OK ...` or `-ERR ...`), and a multi-line response, whose lines
 * `Reader.readDotLines` reads and unstuffs. No I/O of its own beyond the
 * reader, so tests feed it bytes (`BytesSource`) as readily as a socket.
 *
 * What textproto throws becomes Python's `error_proto`: a line past 2048
 * bytes is `'line too long'`, an end of stream `'-ERR EOF'`; socket errors
 * (a `TimeoutError` after the socket's timeout) pass through unchanged, as
 * in Python.
 *
 * @module
 */
import { CR, LF } from "../_ascii.js";
import { ProtocolError, type Reader } from "../textproto/index.js";
import { error_proto } from "./errors.js";
import { isPositive, type LongResponse, octetsOf } from "./parse.js";

/** Where the reader reports what it read, for `setDebuglevel` (Python's `*get*`, `*resp*`). */
export type DebugHook = (label: "*get*" | "*resp*", value: Buffer) => void;

/** Python's `_getline` strip: CRLF, or LF; a line starting with CR and ending in a bare LF loses the CR (LFCR line ends). */
function stripLine(raw: Buffer): Buffer {
  const n = raw.length;
  if (n >= 2 && raw[n - 2] === CR) return raw.subarray(0, n - 2);
  if (raw[0] === CR) return raw.subarray(1, n - 1);
  return raw.subarray(0, n - 1);
}

/**
 * The `error_proto` a textproto failure is in Python's poplib; anything
 * else (a socket error, a timeout) is returned as it is.
 * @param err what the reader threw
 * @param maxBytes the response bound in force, for the message
 */
export function toPOP3Error(err: unknown, maxBytes = 0): unknown {
  if (!(err instanceof ProtocolError)) return err;
  switch (err.code) {
    case "ERR_TEXTPROTO_LINE_TOO_LONG":
      return new error_proto("line too long", "ERR_POP3_LINE_TOO_LONG", { cause: err });
    case "ERR_TEXTPROTO_TOO_LARGE":
      return new error_proto(
        `Cannot read multi-line response: larger than ${maxBytes} bytes`,
        "ERR_POP3_TOO_LARGE",
        { cause: err },
      );
    default:
      return new error_proto("-ERR EOF", "ERR_POP3_EOF", { cause: err });
  }
}

/**
 * Python's `_getresp`: one status line, without its line end.
 * @param reader the connection's reader (its `maxLine` is Python's 2048)
 * @param debug called with the raw line (`*get*`) and the status (`*resp*`)
 * @returns the status line when it starts with `+`
 * @throws error_proto with the line (`ERR_POP3_RESPONSE`) when it does not;
 *   `ERR_POP3_LINE_TOO_LONG`; `ERR_POP3_EOF` when the stream ends before
 *   the line does (Python returns a line cut by the end of the stream, less
 *   its last byte); the socket's errors as they are
 */
export async function readStatus(reader: Reader, debug?: DebugHook): Promise<Buffer> {
  let raw: Buffer;
  try {
    raw = await reader.readLineRaw();
  } catch (err) {
    throw toPOP3Error(err);
  }
  debug?.("*get*", raw);
  if (raw.length === 0 || raw[raw.length - 1] !== LF) {
    throw new error_proto("-ERR EOF", "ERR_POP3_EOF");
  }
  const resp = stripLine(raw);
  debug?.("*resp*", resp);
  if (!isPositive(resp)) throw new error_proto(resp);
  return resp;
}

/**
 * Python's `_getlongresp`: a status line, then (when positive) the lines up
 * to the `.` line, unstuffed by `Reader.readDotLines`.
 * @param reader the connection's reader
 * @param maxBytes most bytes of the lines on the wire
 * @param debug as for `readStatus`; each line is shown as a conforming server sent it
 * @returns `[response, lines, octets]`
 * @throws error_proto as `readStatus`, and `ERR_POP3_TOO_LARGE` past
 *   `maxBytes`; a refusal (`-ERR`) has no lines to read, as in Python
 */
export async function readLongResponse(
  reader: Reader,
  maxBytes: number,
  debug?: DebugHook,
): Promise<LongResponse> {
  const resp = await readStatus(reader, debug);
  let lines: Buffer[];
  try {
    lines = await reader.readDotLines({ maxBytes });
  } catch (err) {
    throw toPOP3Error(err, maxBytes);
  }
  if (debug) {
    for (const line of lines)
      debug(
        "*get*",
        Buffer.concat([line[0] === 0x2e ? Buffer.from(".") : Buffer.alloc(0), line, Buffer.from("\r\n")]),
      );
    debug("*get*", Buffer.from(".\r\n"));
  }
  return [resp, lines, octetsOf(lines)];
}
