/**
 * The pure half of request parsing: the request line, the header lines and
 * the body's framing, held to RFC 9112's grammar (`../_grammar.ts`) where
 * Python's `BaseHTTPRequestHandler.parse_request` is lenient (request
 * smuggling and header injection defences), with Python's answers where
 * Python refuses too. No I/O: fuzzed without sockets.
 *
 * @module
 */

import {
  isToken,
  parseContentLength,
  parseFieldBlock,
  parseHttpVersion,
  stripLineEnd,
  transferCodings,
} from "../../_http_grammar.js";
import { pyRepr } from "../../errors/index.js";
import { HTTPMessage } from "../message.js";

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

/** Python's comparison of version strings (`"HTTP/1.1" >= "HTTP/1.0"`): by code units. */
function versionAtLeast(a: string, b: string): boolean {
  return a >= b;
}

/**
 * The request line nearly every client sends: `METHOD SP target SP HTTP/1.0`
 * or `HTTP/1.1`, one line end, a token for the method and visible ASCII for
 * the target: what the general path below accepts, found in one match.
 * Group 4 is the minor version.
 */
const COMMON_LINE = /^([!#$%&'*+\-.^_`|~0-9A-Za-z]+) ([!-~]+) (HTTP\/1\.([01]))\r?\n$/;

/**
 * What a request target may not hold: controls, SP, DEL, and bytes past
 * ASCII. RFC 9112 3.2 builds targets from URI characters (RFC 3986), all
 * visible ASCII; Python takes any byte that its `str.split()` does not
 * count as whitespace, which includes \x85 and \xa0 on some paths and not others.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this finds
const NOT_TARGET_CHAR = /[\x00-\x20\x7f-\uffff]/;

/** Control characters (HTAB and a bare CR among them) and DEL: no part of a request line holds one. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this finds
const LINE_CONTROL = /[\x00-\x1f\x7f]/;

/**
 * Parses a request line (latin-1 text, line end included or not) by RFC
 * 9112 3: `method SP request-target SP HTTP-version`, one SP between the
 * parts; the method a token; the target visible ASCII; the version
 * `HTTP/` DIGIT `.` DIGIT. Returns the command, path and version, the error
 * to send (Python's wording where Python refuses too), or `null` for an
 * empty line (Python returns False and closes without a reply).
 *
 * Python splits on any run of whitespace (tabs, \x0b, \x1c-\x1f, \x85,
 * \xa0), takes any version whose numbers are digits (`HTTP/1.1000`,
 * `HTTP/01.01`), and any method; netkit refuses these with 400. A major
 * version other than 1 gets 505 (`HTTP/2.0`, as in Python, and `HTTP/0.9`
 * written out, which Python answers in HTTP/0.9). The two-word HTTP/0.9
 * line `GET /path` is still served as Python serves it.
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
  // One line end comes off (a bare CR before it stays, and is refused below).
  const requestline = stripLineEnd(raw) ?? raw;
  if (requestline === "") return null;
  // The version as the last word, as Python takes it: an error page for a
  // line that names a good version goes out in that version.
  const lastSpace = requestline.lastIndexOf(" ");
  const lastWord = requestline.slice(lastSpace + 1);
  const named = lastSpace > 0 ? parseHttpVersion(lastWord) : null;
  const requestVersion = named !== null && named[0] === 1 ? lastWord : defaultRequestVersion;
  const fail = (code: number, message: string) => ({ error: { code, message }, requestVersion, requestline });
  if (LINE_CONTROL.test(requestline)) {
    return fail(400, `Bad request: control character in request line (${pyRepr(requestline)})`);
  }
  // The spaces found by position, not by splitting: a line of 64 KiB of spaces makes no array.
  const sp1 = requestline.indexOf(" ");
  const sp2 = sp1 < 0 ? -1 : requestline.indexOf(" ", sp1 + 1);
  let closeConnection = true;
  if (sp2 >= 0) {
    // Three words or more: the last is the version, judged first (Python's order).
    const numbers = parseHttpVersion(lastWord);
    if (numbers === null) return fail(400, `Bad request version (${pyRepr(lastWord)})`);
    if (numbers[0] !== 1) return fail(505, `Invalid HTTP version (${lastWord.slice(5)})`);
    closeConnection = !(numbers[1] >= 1 && versionAtLeast(protocolVersion, "HTTP/1.1"));
  }
  // Exactly two or three words, each one SP from the next: no empty word anywhere.
  if (
    sp1 <= 0 ||
    sp2 === sp1 + 1 ||
    (sp2 >= 0 && sp2 !== lastSpace) ||
    lastSpace === requestline.length - 1
  ) {
    return fail(400, `Bad request syntax (${pyRepr(requestline)})`);
  }
  const command = requestline.slice(0, sp1);
  const target = sp2 < 0 ? requestline.slice(sp1 + 1) : requestline.slice(sp1 + 1, sp2);
  const version = sp2 < 0 ? undefined : lastWord;
  if (version === undefined && command !== "GET") {
    return fail(400, `Bad HTTP/0.9 request type (${pyRepr(command)})`);
  }
  if (!isToken(command)) return fail(400, `Bad request method (${pyRepr(command)})`);
  if (NOT_TARGET_CHAR.test(target)) return fail(400, `Bad request target (${pyRepr(target)})`);
  return {
    ok: {
      command,
      path: collapseLeadingSlashes(target),
      requestVersion: version ?? defaultRequestVersion,
      closeConnection,
    },
  };
}

/**
 * gh-87389: a path starting with `//` is cut to one `/`, so a redirect built
 * from it cannot point at another host (`//evil.com` is a scheme-relative URL).
 */
export function collapseLeadingSlashes(path: string): string {
  return path.startsWith("//") ? `/${path.replace(/^\/+/, "")}` : path;
}

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
export function checkHeaderLines(lines: readonly string[] | string): RequestError | null {
  const parsed = parseHeaderLines(lines);
  return parsed instanceof HTTPMessage ? null : parsed;
}

/**
 * `checkHeaderLines` and, when the lines pass, the `HTTPMessage` Python's
 * parser (`parseHeaderBlock`) makes of them, in one pass: for `name: value`
 * lines without folding or control characters, the email parser's rules
 * come down to splitting at the first colon and dropping the value's
 * leading blanks and its line end.
 * @param lines the lines, each with its line end, or the whole block as one text
 */
export function parseHeaderLines(lines: readonly string[] | string): RequestError | HTTPMessage {
  const parsed = parseFieldBlock(typeof lines === "string" ? lines : lines.join(""), "reject");
  if (parsed instanceof HTTPMessage) return parsed;
  switch (parsed.fault) {
    case "obs-fold":
      return { code: 400, message: "Bad request: obsolete line folding in headers" };
    case "malformed":
      return {
        code: 400,
        message: `Bad request: malformed header line (${pyRepr(parsed.line.slice(0, 100))})`,
      };
    case "control":
      return { code: 400, message: "Bad request: control character in header value" };
  }
}

/** The request body's framing, once the headers passed `checkFraming`. */
export type Framing = { kind: "none" } | { kind: "length"; length: number } | { kind: "chunked" };

/**
 * Checks what says where the body ends (RFC 9112 6), refusing what request
 * smuggling feeds on:
 *
 * - both `Content-Length` and `Transfer-Encoding` (6.1: "ought to be handled as an error"): 400;
 * - a `Content-Length` that is not `1*DIGIT`, or a list of values that differ (6.3 item 5): 400;
 * - a `Transfer-Encoding` whose last coding is not `chunked`, that applies
 *   `chunked` twice, or that breaks the list grammar (6.3 item 4, 7): 400;
 *   one in an HTTP/1.0 request (6.1): 400;
 * - a transfer coding other than `chunked`, which netkit does not decode (6.1): 501;
 * - more than one `Host` (3.2): 400.
 */
export function checkFraming(headers: HTTPMessage, requestVersion: string): RequestError | Framing {
  const bad = (message: string): RequestError => ({ code: 400, message: `Bad request: ${message}` });
  const hosts = headers.getAll("Host");
  if (hosts && hosts.length > 1) return bad("more than one Host header");
  const lengths = headers.getAll("Content-Length");
  const te = headers.getAll("Transfer-Encoding");
  if (lengths && te) return bad("both Content-Length and Transfer-Encoding");
  if (te) {
    if (requestVersion !== "HTTP/1.1" && !/^HTTP\/1\.[1-9]/.test(requestVersion)) {
      return bad("Transfer-Encoding in a request older than HTTP/1.1");
    }
    const codings = transferCodings(te);
    if (codings === null || codings.length === 0 || codings[codings.length - 1] !== "chunked") {
      return bad(`Transfer-Encoding does not end with chunked (${pyRepr(te.join(", ").slice(0, 100))})`);
    }
    if (codings.indexOf("chunked") !== codings.length - 1) {
      return bad(`Transfer-Encoding applies chunked twice (${pyRepr(te.join(", ").slice(0, 100))})`);
    }
    if (codings.length > 1) {
      return {
        code: 501,
        message: `Unsupported transfer coding (${pyRepr(codings[0]!.slice(0, 100))})`,
        explain: "Only the chunked transfer coding is implemented.",
      };
    }
    return { kind: "chunked" };
  }
  if (lengths) {
    const length = parseContentLength(lengths);
    if (length === null) return bad(`invalid Content-Length (${pyRepr(lengths.join(", ").slice(0, 100))})`);
    return { kind: "length", length };
  }
  return { kind: "none" };
}
