/**
 * The pure parts of poplib (no I/O): what a status line means, STAT's
 * numbers, CAPA's capabilities, APOP's digest, a multi-line response's
 * octet count, and the command line. Each returns what Python 3.11's
 * `poplib` computes from the same bytes.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { ASCII_CODEC } from "../_codecs.js";
import { checkArgument } from "../textproto/index.js";
import { error_proto } from "./errors.js";

const PLUS = 0x2b;
const SPACE = Buffer.from(" ");
const CRLF = Buffer.from("\r\n");

/**
 * A multi-line response as Python returns it: `(response, lines, octets)`.
 * `lines` are unstuffed and without their line ends; `octets` is their
 * size on the wire with the line ends and without the stuffed dots.
 */
export type LongResponse = [response: Buffer, lines: Buffer[], octets: number];

/**
 * Whether a status line is a positive answer: Python's `_getresp` takes any
 * line starting with `+` (RFC 1939's `+OK`, and RFC 5034's `+ ` challenge).
 * @param line the status line, without its line end
 */
export function isPositive(line: Uint8Array): boolean {
  return line[0] === PLUS;
}

/** Python's `bytes.split()` with no argument: runs of ASCII white space separate, none kept. */
export function splitBytes(line: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let start = -1;
  for (let i = 0; i <= line.length; i++) {
    const b = line[i];
    const space = b === undefined || b === 0x20 || (b >= 0x09 && b <= 0x0d);
    if (space) {
      if (start >= 0) out.push(line.subarray(start, i));
      start = -1;
    } else if (start < 0) start = i;
  }
  return out;
}

const BYTES_INT = /^[+-]?[0-9]+(?:_[0-9]+)*$/;

/**
 * Python's `int(b)` for one token of `bytes.split()` (no white space in it):
 * ASCII digits, a sign, single underscores between digits.
 * @returns the number, or `undefined` where Python raises ValueError
 */
function bytesInt(token: Buffer): number | undefined {
  const text = token.toString("latin1");
  return BYTES_INT.test(text) ? Number(text.replaceAll("_", "")) : undefined;
}

/**
 * Python's `stat()` reading of `+OK count size`: the second and third
 * words as integers.
 * @param resp the status line
 * @returns `[message count, mailbox size]`
 * @throws error_proto `"ERR_POP3_BAD_RESPONSE"` where Python raises
 *   IndexError (fewer than three words) or ValueError (not integers)
 * @example
 * ```ts
 * parseStat(Buffer.from("+OK 2 320")); // [2, 320]
 * ```
 */
export function parseStat(resp: Buffer): [count: number, size: number] {
  const words = splitBytes(resp);
  const count = words[1] === undefined ? undefined : bytesInt(words[1]);
  const size = words[2] === undefined ? undefined : bytesInt(words[2]);
  if (count === undefined || size === undefined) {
    throw new error_proto(resp, "ERR_POP3_BAD_RESPONSE");
  }
  return [count, size];
}

/** Python's `str.split()` white space within ASCII (it includes the separators \x1c to \x1f). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: Python counts these separators as white space
const ASCII_STR_SPACE = /[\t\n\v\f\r\x1c-\x1f ]+/;

/**
 * Python's `capa()` reading of the CAPA lines (RFC 2449): each line, as
 * ASCII, split on white space into a name and its arguments. A later line
 * with the same name replaces the earlier, as in Python's dict. An empty
 * line is skipped (Python raises IndexError).
 * @param lines the lines of the CAPA response
 * @returns capability name → its arguments, in the server's order
 * @throws UnicodeDecodeError for a byte outside ASCII, as Python
 * @example
 * ```ts
 * parseCapa([Buffer.from("TOP"), Buffer.from("SASL PLAIN LOGIN")]);
 * // Map { "TOP" => [], "SASL" => ["PLAIN", "LOGIN"] }
 * ```
 */
export function parseCapa(lines: readonly Buffer[]): Map<string, string[]> {
  const caps = new Map<string, string[]>();
  for (const line of lines) {
    const words = ASCII_CODEC.decode(line, "strict")
      .split(ASCII_STR_SPACE)
      .filter((w) => w !== "");
    const [name, ...args] = words;
    if (name !== undefined) caps.set(name, args);
  }
  return caps;
}

/**
 * Python's `POP3.timestamp`, `\+OK.[^<]*(<.*>)` matched at the start of
 * the greeting, on its bytes as Latin-1 text (`.` does not match LF, as in
 * Python; JavaScript's `.` would also stop at CR).
 */
const TIMESTAMP = /^\+OK[^\n][^<]*(<[^\n]*>)/;

/**
 * The APOP timestamp of a greeting (RFC 1939 7): the text from its first
 * `<` to its last `>`, as Python's regular expression finds it.
 * @param welcome the server's greeting line
 * @returns the timestamp with its angle brackets, or `undefined` when the
 *   greeting has none (the server does not offer APOP)
 */
export function apopTimestamp(welcome: Buffer): Buffer | undefined {
  const m = TIMESTAMP.exec(welcome.toString("latin1"));
  return m ? Buffer.from(m[1]!, "latin1") : undefined;
}

/**
 * APOP's digest (RFC 1939 7): MD5 of the timestamp then the password
 * (UTF-8, Python's `POP3.encoding`), in lower-case hex.
 * @param welcome the server's greeting line
 * @param password the shared secret
 * @returns the digest
 * @throws error_proto `"ERR_POP3_NOT_SUPPORTED"` (`-ERR APOP not supported
 *   by server`) when the greeting has no timestamp
 * @example
 * ```ts
 * // RFC 1939's example
 * apopDigest(Buffer.from("+OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>"), "tanstaaf");
 * // "c4c9334bac560ecc979e58001b3e22fb"
 * ```
 */
export function apopDigest(welcome: Buffer, password: string): string {
  const stamp = apopTimestamp(welcome);
  if (stamp === undefined)
    throw new error_proto("-ERR APOP not supported by server", "ERR_POP3_NOT_SUPPORTED");
  return createHash("md5").update(stamp).update(password, "utf8").digest("hex");
}

/**
 * Python's `octets` of a multi-line response: every line's size on the
 * wire, its line end included, the stuffed dot not. netkit counts two bytes
 * for every line end, as RFC 1939 sends them (CRLF); Python counts one for
 * a line a broken server ended with a bare LF.
 * @param lines the unstuffed lines
 */
export function octetsOf(lines: readonly Buffer[]): number {
  let n = 0;
  for (const line of lines) n += line.length + 2;
  return n;
}

/**
 * One command line: the verb and its arguments joined by spaces (Python's
 * `'RETR %s' % which`), UTF-8 (Python's `POP3.encoding`), CRLF at the end.
 * @param parts the verb and its arguments (numbers as Python's `%s` shows them)
 * @returns the bytes to send
 * @throws CommandError (a ValueError) when a part holds CR, LF or NUL (Python sends them)
 */
export function commandLine(...parts: (string | number)[]): Buffer {
  const pieces: Buffer[] = [];
  for (const part of parts) {
    const text = String(part);
    checkArgument(text, pieces.length === 0 ? "command" : "command argument");
    if (pieces.length > 0) pieces.push(SPACE);
    pieces.push(Buffer.from(text, "utf8"));
  }
  pieces.push(CRLF);
  return Buffer.concat(pieces);
}
