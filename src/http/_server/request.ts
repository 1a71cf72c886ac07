/**
 * The pure half of request parsing: the request line as Python's
 * `BaseHTTPRequestHandler.parse_request` splits and judges it, and the
 * strict checks netkit adds to the header block (request smuggling and
 * header injection defences). No I/O: fuzzed without sockets.
 *
 * @module
 */
import { pyRepr } from "../../errors/index.js";
import { HTTPMessage } from "../message.js";
import { MAX_CONTENT_LENGTH_DIGITS } from "./limits.js";

/** A refusal: the status and reason phrase to send, and the explanation for the error page. */
export interface RequestError {
  code: number;
  message: string;
  explain?: string;
}

/** What the request line says, when it can be used. */
export interface RequestLine {
  command: string;
  path: string;
  requestVersion: string;
  /** Whether the connection closes after this request, as far as the request line decides. */
  closeConnection: boolean;
}

/** Python's `str.split()` on latin-1 text: runs of its whitespace, which includes \x1c-\x1f, \x85 and \xa0. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this checks
const PY_LATIN1_SPACE = /[\t\n\v\f\r \x1c-\x1f\x85\xa0]+/;

/** Python's `str.split()` with no argument, for text decoded as latin-1. */
export function pySplit(text: string): string[] {
  return text.split(PY_LATIN1_SPACE).filter((w) => w !== "");
}

/** Python's comparison of version strings (`"HTTP/1.1" >= "HTTP/1.0"`): by code units. */
function versionAtLeast(a: string, b: string): boolean {
  return a >= b;
}

/**
 * The request line nearly every client sends: `METHOD SP target SP HTTP/1.0`
 * or `HTTP/1.1`, one line end, visible ASCII only (so no word splits further,
 * and no control character is present). Group 4 is the minor version.
 */
const COMMON_LINE = /^([!-~]+) ([!-~]+) (HTTP\/1\.([01]))\r?\n$/;

/** Control characters Python leaves in a request target (the others split words). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this checks
const TARGET_CONTROL = /[\x00-\x08\x0e-\x1b\x7f]/;

/**
 * Python's `parse_request` for the request line (latin-1 text, line end
 * included or not): the command, path and version, or the error Python sends,
 * or `null` for a blank line (Python returns False without a reply).
 *
 * netkit adds one check Python lacks: control characters in the command or
 * path (NUL, DEL, ...) are refused with 400.
 *
 * @param protocolVersion the handler's `protocolVersion` (decides keep-alive)
 * @param defaultRequestVersion the version assumed until the line names one
 */
export function parseRequestLine(
  raw: string,
  protocolVersion: string,
  defaultRequestVersion = "HTTP/0.9",
): { ok: RequestLine } | { error: RequestError; requestVersion: string; requestline: string } | null {
  const common = COMMON_LINE.exec(raw);
  if (common !== null) {
    // What the general path below concludes for such a line, without splitting it.
    const path = common[2]!;
    return {
      ok: {
        command: common[1]!,
        path: path.startsWith("//") ? collapseLeadingSlashes(path) : path,
        requestVersion: common[3]!,
        closeConnection: !(common[4] === "1" && versionAtLeast(protocolVersion, "HTTP/1.1")),
      },
    };
  }
  const requestline = raw.replace(/[\r\n]+$/, "");
  let requestVersion = defaultRequestVersion;
  let closeConnection = true;
  const words = pySplit(requestline);
  if (words.length === 0) return null;
  const fail = (code: number, message: string) => ({ error: { code, message }, requestVersion, requestline });
  if (words.length >= 3) {
    const version = words[words.length - 1]!;
    const base = version.startsWith("HTTP/") ? version.slice(5) : undefined;
    const numbers = base?.split(".");
    if (
      base === undefined ||
      numbers!.length !== 2 ||
      numbers!.some((c) => !/^\d+$/.test(c) || c.length > 10)
    ) {
      return fail(400, `Bad request version (${pyRepr(version)})`);
    }
    const major = Number(numbers![0]);
    const minor = Number(numbers![1]);
    if ((major > 1 || (major === 1 && minor >= 1)) && versionAtLeast(protocolVersion, "HTTP/1.1")) {
      closeConnection = false;
    }
    if (major >= 2) return fail(505, `Invalid HTTP version (${base})`);
    requestVersion = version;
  }
  if (words.length < 2 || words.length > 3) return fail(400, `Bad request syntax (${pyRepr(requestline)})`);
  const [command, path] = words as [string, string];
  if (words.length === 2) {
    closeConnection = true;
    if (command !== "GET") return fail(400, `Bad HTTP/0.9 request type (${pyRepr(command)})`);
  }
  if (TARGET_CONTROL.test(command) || TARGET_CONTROL.test(path)) {
    return fail(400, `Bad request: control character in request line (${pyRepr(requestline)})`);
  }
  return { ok: { command, path: collapseLeadingSlashes(path), requestVersion, closeConnection } };
}

/**
 * gh-87389: a path starting with `//` is cut to one `/`, so a redirect built
 * from it cannot point at another host (`//evil.com` is a scheme-relative URL).
 */
export function collapseLeadingSlashes(path: string): string {
  return path.startsWith("//") ? `/${path.replace(/^\/+/, "")}` : path;
}

/** RFC 9110 5.1 token characters: a field name. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Field-value bytes RFC 9110 5.5 forbids: controls other than HTAB (a bare CR included). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this checks
const VALUE_CONTROL = /[\x00-\x08\x0a-\x1f\x7f]/;

/**
 * The strict checks netkit runs on the raw header lines (latin-1 text, line
 * ends included) before Python's lenient parser sees them. Each guards
 * against a way two HTTP parsers (a proxy and this server) could disagree on
 * where a request ends or what it says:
 *
 * - obs-fold (a line starting with SP or HTAB): RFC 9112 5.2 lets a server
 *   refuse it with 400; Python joins it to the previous header.
 * - a line that is not `name: value` (space before the colon, no colon, a
 *   name with non-token characters): RFC 9112 5.1 says 400; Python stops
 *   reading headers there and treats the rest as body.
 * - control characters in a value (NUL, a bare CR, which Python's parser
 *   takes as a line end): RFC 9110 5.5.
 */
export function checkHeaderLines(lines: string[]): RequestError | null {
  const parsed = parseHeaderLines(lines);
  return parsed instanceof HTTPMessage ? null : parsed;
}

/**
 * `checkHeaderLines` and, when the lines pass, the `HTTPMessage` Python's
 * parser (`parseHeaderBlock`) makes of them, in one pass: for `name: value`
 * lines without folding or control characters, the email parser's rules
 * come down to splitting at the first colon and dropping the value's
 * leading blanks and its line end.
 */
export function parseHeaderLines(lines: string[]): RequestError | HTTPMessage {
  const msg = new HTTPMessage();
  for (const line of lines) {
    let end = line.length;
    if (line.charCodeAt(end - 1) === 0x0a) end -= line.charCodeAt(end - 2) === 0x0d ? 2 : 1;
    if (end === 0) continue;
    const first = line.charCodeAt(0);
    if (first === 0x20 || first === 0x09) {
      return { code: 400, message: "Bad request: obsolete line folding in headers" };
    }
    const colon = line.indexOf(":");
    const name = colon > 0 && colon < end ? line.slice(0, colon) : "";
    if (name === "" || !TOKEN.test(name)) {
      return {
        code: 400,
        message: `Bad request: malformed header line (${pyRepr(line.slice(0, Math.min(end, 100)))})`,
      };
    }
    const value = line.slice(colon + 1, end);
    if (VALUE_CONTROL.test(value)) {
      return { code: 400, message: "Bad request: control character in header value" };
    }
    msg.add(name, value.replace(LEADING_BLANKS, ""));
  }
  return msg;
}

const LEADING_BLANKS = /^[ \t]+/;

/** The request body's framing, once the headers passed `checkFraming`. */
export type Framing = { kind: "none" } | { kind: "length"; length: number } | { kind: "chunked" };

const OWS = /^[\t ]+|[\t ]+$/g;

/**
 * Checks what says where the body ends (RFC 9112 6), refusing with 400 what
 * request smuggling feeds on:
 *
 * - both `Content-Length` and `Transfer-Encoding` (6.1: "ought to be handled as an error");
 * - a `Content-Length` that is not digits, or several that disagree (6.3 item 5);
 * - a `Transfer-Encoding` whose last coding is not `chunked` (6.3 item 4), or in an HTTP/1.0 request (6.1);
 * - more than one `Host` (3.2).
 */
export function checkFraming(headers: HTTPMessage, requestVersion: string): RequestError | Framing {
  const bad = (message: string): RequestError => ({ code: 400, message: `Bad request: ${message}` });
  const hosts = headers.getAll("Host");
  if (hosts && hosts.length > 1) return bad("more than one Host header");
  const lengths = headers.getAll("Content-Length");
  const codings = headers.getAll("Transfer-Encoding");
  if (lengths && codings) return bad("both Content-Length and Transfer-Encoding");
  if (codings) {
    if (requestVersion !== "HTTP/1.1" && !/^HTTP\/1\.[1-9]/.test(requestVersion)) {
      return bad("Transfer-Encoding in a request older than HTTP/1.1");
    }
    const list = codings
      .join(",")
      .split(",")
      .map((c) => c.replace(OWS, "").toLowerCase())
      .filter((c) => c !== "");
    if (list.length === 0 || list[list.length - 1] !== "chunked") {
      return bad("Transfer-Encoding does not end with chunked");
    }
    return { kind: "chunked" };
  }
  if (lengths) {
    const values = lengths
      .join(",")
      .split(",")
      .map((v) => v.replace(OWS, ""));
    const first = values[0]!;
    if (values.some((v) => v !== first) || !/^\d+$/.test(first) || first.length > MAX_CONTENT_LENGTH_DIGITS) {
      return bad(`invalid Content-Length (${pyRepr(lengths.join(", "))})`);
    }
    return { kind: "length", length: Number(first) };
  }
  return { kind: "none" };
}
