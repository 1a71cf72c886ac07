/**
 * The pure half of imaplib: one response line taken apart, the literal a
 * line announces, a bracketed response code. No I/O; `IMAP4` reads lines and
 * literals with `netkit/textproto` and asks these what they are.
 *
 * The patterns are Python 3.11 imaplib's (`tagre`, `Untagged_response`,
 * `Untagged_status`, `Continuation`, `Literal`, `Response_code`), matched as
 * Python's `re.match` does: anchored at the start only, so text after what a
 * pattern needs is ignored, and `.` stops at LF (a line never holds one: the
 * reader ends lines there).
 *
 * @module
 */

/** `TAG TYPE text`: the end of the command `tag`. */
export interface TaggedLine {
  /** Always `"tagged"`. */
  kind: "tagged";
  /** The tag (`ABCD12`). */
  tag: string;
  /** `OK`, `NO` or `BAD` (any upper-case word, as Python reads it). */
  type: string;
  /** The text after the type. */
  data: Buffer;
}

/** `* TYPE text` or `* N TYPE text` (then `data` is `N text`, as Python joins them). */
export interface UntaggedLine {
  /** Always `"untagged"`. */
  kind: "untagged";
  /** The response type (`EXISTS`, `FETCH`, `OK`, `CAPABILITY`). */
  type: string;
  /** The data (empty when there is none). */
  data: Buffer;
}

/** `+ text`: the server waits for more. */
export interface ContinuationLine {
  /** Always `"continuation"`. */
  kind: "continuation";
  /** The text after `+ `; `null` for a bare `+`. */
  data: Buffer | null;
}

/** What `parseResponseLine` makes of one line (CRLF removed). */
export type ResponseLine = TaggedLine | UntaggedLine | ContinuationLine;

/** A bracketed response code: `[UIDVALIDITY 42]`. */
export interface ResponseCode {
  /** The code (`READ-ONLY`, `UIDVALIDITY`, `APPENDUID`). */
  type: string;
  /** Its data; `null` when it has none. */
  data: Buffer | null;
}

/** `* TYPE[ data]`: Python's `Untagged_response`. */
const UNTAGGED = /^\* ([A-Z-]+)(?: ([^\n]*))?/;
/** `* N TYPE[ data2]`: Python's `Untagged_status`. */
const UNTAGGED_STATUS = /^\* ([0-9]+) ([A-Z-]+)(?: ([^\n]*))?/;
/** `+[ data]`: Python's `Continuation`. */
const CONTINUATION = /^\+(?: ([^\n]*))?/;
/** `...{N}` at the end: Python's `Literal` (`.*{(?P<size>\d+)}$`). */
const LITERAL = /\{([0-9]+)\}$/;
/** `[TYPE[ data]]` at the start: Python's `Response_code` (data runs to the last `]`). */
const RESPONSE_CODE = /^\[([A-Z-]+)(?: ([^\n]*))?\]/;

const tagPatterns = new Map<string, RegExp>();

/** Python's `tagre` for a tag prefix: `PREFIX\d+ [A-Z]+ data`. */
function tagPattern(prefix: string): RegExp {
  let re = tagPatterns.get(prefix);
  if (re === undefined) {
    re = new RegExp(`^(${prefix.replace(/[^A-Za-z0-9]/g, "\\$&")}[0-9]+) ([A-Z]+) ([^\\n]*)`);
    if (tagPatterns.size > 64) tagPatterns.clear();
    tagPatterns.set(prefix, re);
  }
  return re;
}

/**
 * Takes one response line apart as Python's `_get_response` does: a tagged
 * completion (for a tag starting with `tagPrefix`), an untagged response, or
 * a continuation request.
 * @param line the line without its CRLF
 * @param tagPrefix the client's tag prefix (Python's `tagpre`)
 * @returns what the line is; `undefined` when it is none of them (Python's
 *   "unexpected response")
 * @example
 * ```ts
 * parseResponseLine(Buffer.from("* 3 EXISTS"), "ABCD"); // { kind: "untagged", type: "EXISTS", data: <"3"> }
 * parseResponseLine(Buffer.from("ABCD7 OK done"), "ABCD"); // { kind: "tagged", tag: "ABCD7", type: "OK", ... }
 * ```
 */
export function parseResponseLine(line: Buffer, tagPrefix: string): ResponseLine | undefined {
  // latin1: one character per byte, so offsets in the text are offsets in the line.
  const text = line.toString("latin1", 0, line.length);
  let m = tagPattern(tagPrefix).exec(text);
  if (m !== null) {
    const tag = m[1] as string;
    const type = m[2] as string;
    return { kind: "tagged", tag, type, data: line.subarray(tag.length + type.length + 2, m[0].length) };
  }
  m = UNTAGGED.exec(text);
  if (m !== null) {
    const type = m[1] as string;
    const data = m[2] === undefined ? EMPTY : line.subarray(type.length + 3, m[0].length);
    return { kind: "untagged", type, data };
  }
  m = UNTAGGED_STATUS.exec(text);
  if (m !== null) {
    const num = m[1] as string;
    const type = m[2] as string;
    const data2 = m[3];
    // Python: `if dat2: dat = dat + b' ' + dat2` (an empty data2 adds nothing).
    const data =
      data2 === undefined || data2 === ""
        ? line.subarray(2, 2 + num.length)
        : Buffer.concat([
            line.subarray(2, 2 + num.length),
            SPACE,
            line.subarray(4 + num.length + type.length, m[0].length),
          ]);
    return { kind: "untagged", type, data };
  }
  m = CONTINUATION.exec(text);
  if (m !== null)
    return { kind: "continuation", data: m[1] === undefined ? null : line.subarray(2, m[0].length) };
  return undefined;
}

const EMPTY = Buffer.alloc(0);
const SPACE = Buffer.from(" ");

/**
 * The size of the literal `data` announces (`... {N}` at its end), as
 * Python's `Literal` pattern finds it.
 * @returns the size (a huge one as a number past `Number.MAX_SAFE_INTEGER`,
 *   never less than the digits say); `undefined` when no literal follows
 */
export function literalSize(data: Buffer): number | undefined {
  const n = data.length;
  if (n < 3 || data[n - 1] !== 0x7d) return undefined; // fast path: no "}" at the end
  const m = LITERAL.exec(data.toString("latin1", Math.max(0, n - 40), n));
  if (m === null) {
    // More than 38 digits: still a literal to Python; far past any limit.
    return /\{[0-9]+\}$/.test(data.toString("latin1", 0, n)) ? Number.POSITIVE_INFINITY : undefined;
  }
  const digits = m[1] as string;
  return digits.length > 15 ? Number.POSITIVE_INFINITY : Number(digits);
}

/**
 * A bracketed response code at the start of an OK, NO or BAD text
 * (`[READ-ONLY] ...`, `[UIDVALIDITY 42] ...`), as Python's `Response_code`
 * reads it: the data runs to the last `]` of the text.
 * @returns the code's type and its data (`null` when it has none); `undefined` when the text has no code
 */
export function parseResponseCode(data: Buffer): ResponseCode | undefined {
  if (data[0] !== 0x5b) return undefined; // "["
  const m = RESPONSE_CODE.exec(data.toString("latin1", 0, data.length));
  if (m === null) return undefined;
  const type = m[1] as string;
  return { type, data: m[2] === undefined ? null : data.subarray(type.length + 2, m[0].length - 1) };
}
