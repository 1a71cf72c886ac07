/**
 * `Reader`: what every line protocol reads, written once (Go's
 * `net/textproto.Reader` is the model; CPython repeats it in smtplib,
 * ftplib, nntplib and poplib). Over an `io.BufferedReader`:
 *
 * - lines, bounded, with CRLF or bare LF as the line end (`readLine`);
 * - numeric replies: one line (`readCodeLine`) or a whole multi-line reply
 *   in SMTP's `250-a` / `250 b` form or RFC 959's `123-First` ... `123 Last`
 *   form (`readResponse`), with an expected code prefix;
 * - dot-terminated blocks (NNTP articles, POP3 messages, SMTP DATA), as lines
 *   (`readDotLines`) or as a stream (`dotBlock`), unstuffed;
 * - folded lines (`readContinuedLine`).
 *
 * Every read is bounded: line length (`maxLine`), lines per reply
 * (`maxReplyLines`), bytes per block (`maxBytes`). Past a bound, or when the
 * peer breaks the protocol, the reader throws `ProtocolError` with a stable
 * code; a well-formed reply with the wrong code throws `ReplyError` after
 * the whole reply is read.
 *
 * @module
 */
import { CR, HTAB, LF, SP } from "../_ascii.js";
import { ValueError } from "../errors/index.js";
import { IncompleteReadError, LimitOverrunError } from "../io/errors.js";
import { BytesSource } from "../io/memory.js";
import { BufferedReader } from "../io/reader.js";
import { ProtocolError, quoteBytes, ReplyError } from "./errors.js";
import { LINE_LIMITS } from "./limits.js";

const DOT = 0x2e;
/** What `#dotLine` returns for a piece of a block that is read and dropped. */
const SKIP = Symbol("skip");
const DASH = 0x2d;
const EMPTY = Buffer.alloc(0);
const NL = Buffer.from("\n");
const CRLF = Buffer.from("\r\n");
/** The end of a block whose lines end in CRLF: CRLF, the `.` line. */
const TERMINATOR = Buffer.from("\r\n.\r\n");
/**
 * Largest block `readDotLines` reads in one search for its end (strict mode);
 * a larger one, or one with a line the search cannot vouch for, is read a
 * line at a time. Memory stays bounded by this while searching.
 */
const FAST_BLOCK_MAX = 1024 * 1024;
/** `dotBlock` yields at least this much when more is already buffered (fewer, larger chunks). */
const BLOCK_CHUNK = 64 * 1024;

/** Options for {@link Reader}. */
export interface ReaderOptions {
  /**
   * Longest line, in bytes, its line end included. Pick the protocol's from
   * `LINE_LIMITS`.
   * @default 8192 (`LINE_LIMITS.smtplib`)
   */
  maxLine?: number;
  /**
   * Most lines in one multi-line reply.
   * @default 1000 (`LINE_LIMITS.maxReplyLines`)
   */
  maxReplyLines?: number;
}

/** Options for {@link Reader.readDotLines} and {@link Reader.dotBlock}. */
export interface DotBlockOptions {
  /**
   * Most bytes of the block (as they came on the wire, line ends included,
   * the `.` line not counted). Past it: `ProtocolError`
   * `"ERR_TEXTPROTO_TOO_LARGE"`.
   * @default no limit (as in Python; each line is still bounded by `maxLine`)
   */
  maxBytes?: number;
  /**
   * On `maxBytes` (or an over-long line), read the rest of the block up to
   * its `.` line and drop it before throwing, so the connection is still in
   * step and the server can answer (smtpd's 552). Without it the reader
   * throws at once and the connection must be closed.
   * @default false
   */
  drain?: boolean;
  /**
   * Only CRLF ends a line: a bare LF or bare CR is data, never a line end, so
   * `\n.\n`, `\n.\r\n`, `\r.\r\n` and `\r.\n` inside the block cannot end it
   * (SMTP smuggling). A block holding a bare CR or LF is read to its
   * `\r\n.\r\n` and then refused with `ProtocolError`
   * `"ERR_TEXTPROTO_BARE_LINE_END"` (the connection stays in step). For
   * servers; Python's clients accept a bare LF, and so does the default.
   * @default false
   */
  strictLineEnds?: boolean;
  /**
   * Drop the leading `.` of every line that starts with one, as RFC 5321
   * 4.5.2 tells a receiving SMTP server to (Python's smtpd does, Go's
   * `DotReader` too): `.c` becomes `c`. Without it only `..` is unstuffed
   * to `.`, as Python's clients (nntplib, poplib) read; the two differ only
   * for a line a conforming sender never makes.
   * @default false
   */
  dropLeadingDot?: boolean;
}

/**
 * A numeric reply: its code and text. For SMTP, `lines` hold what follows
 * `DDD-` or `DDD ` on each line (a bare `DDD` line gives an empty one); for
 * RFC 959's middle lines, the whole line. Lines are as they came, without
 * their line ends (smtplib also strips spaces and tabs from both ends of
 * each; callers that want Python's exact text do that).
 */
export interface Reply {
  /** The three-digit code, 100 to 999. */
  code: number;
  /** The text of each line, without its line end. */
  lines: Buffer[];
  /** `lines` joined by `\n`, as smtplib joins them. */
  text: Buffer;
  /**
   * Each line whole, as it came (code and separator included), without its
   * line end: what ftplib's `getmultiline` joins, where `lines` cannot tell
   * a `DDD-text` middle line from an RFC 959 free line.
   */
  rawLines: Buffer[];
}

/** One reply line taken apart by {@link parseCodeLine}. */
export interface CodeLine {
  /** The three-digit code. */
  code: number;
  /** True for `DDD-text`: more lines follow. */
  more: boolean;
  /** What follows `DDD-` or `DDD `; empty for a bare `DDD`. */
  text: Buffer;
}

function isDigit(b: number | undefined): boolean {
  return b !== undefined && b >= 0x30 && b <= 0x39;
}

/**
 * Takes a reply line apart: `DDD`, `DDD text` or `DDD-text` (RFC 5321 4.2,
 * RFC 959 4.2), where DDD is three ASCII digits from 100 to 999. Pure.
 *
 * Stricter than smtplib, which reads any `int()` of the first three bytes
 * (`" 25"`, `"+25"`, `"2_5"`) and treats any fourth byte but `-` as the end:
 * here a line that is not one of the three forms is not a reply line.
 *
 * @param line one line, without its line end
 * @returns the code, whether more lines follow, and the text; `undefined`
 *   when the line is not a reply line
 * @example
 * ```ts
 * parseCodeLine(Buffer.from("250-SIZE 1000")); // { code: 250, more: true, text: <Buffer "SIZE 1000"> }
 * parseCodeLine(Buffer.from("25O ok")); // undefined
 * ```
 */
export function parseCodeLine(line: Buffer): CodeLine | undefined {
  const a = line[0];
  const b = line[1];
  const c = line[2];
  if (!isDigit(a) || !isDigit(b) || !isDigit(c) || a === 0x30) return undefined;
  const code = (a! - 0x30) * 100 + (b! - 0x30) * 10 + (c! - 0x30);
  if (line.length === 3) return { code, more: false, text: EMPTY };
  const sep = line[3];
  if (sep !== SP && sep !== DASH) return undefined;
  return { code, more: sep === DASH, text: line.subarray(4) };
}

/** Throws unless `expect` is a code prefix: an integer from 1 to 999. */
function checkExpect(expect: number | undefined): void {
  if (expect !== undefined && !(Number.isInteger(expect) && expect >= 1 && expect <= 999)) {
    throw new ValueError(`Cannot expect reply code ${expect}: must be an integer from 1 to 999`);
  }
}

/** True when `code` starts with the digits of `expect` (2 = any 2xx, 25 = 250..259). */
function matches(code: number, expect: number | undefined): boolean {
  if (expect === undefined) return true;
  const scale = expect < 10 ? 100 : expect < 100 ? 10 : 1;
  return Math.floor(code / scale) === expect;
}

/** The lines, each followed by LF, as one Buffer. */
function endLinesWithLF(lines: Buffer[]): Buffer {
  return Buffer.concat(lines.flatMap((line) => [line, NL]));
}

function joinLines(lines: Buffer[]): Buffer {
  if (lines.length === 1) return lines[0]!;
  const parts: Buffer[] = [];
  for (const [i, line] of lines.entries()) {
    if (i > 0) parts.push(NL);
    parts.push(line);
  }
  return Buffer.concat(parts);
}

/** What `#nextDotLine` carries from one line of a block to the next. */
interface DotState {
  readonly maxBytes: number;
  readonly drain: boolean;
  readonly strict: boolean;
  readonly dropLeadingDot: boolean;
  /** Wire bytes of the block so far. */
  total: number;
  /** The error to throw at the `.` line, once the rest is drained. */
  deferred: ProtocolError | undefined;
  /** The next piece continues a line (after a bare LF in strict mode, or an over-long line's first part). */
  midLine: boolean;
  /** The last piece, a dropped part of an over-long line, ended in CR (its LF may come next). */
  crAtEnd: boolean;
}

/**
 * Reads a line protocol off a `BufferedReader` (Go's `textproto.Reader`).
 *
 * Methods for the caller: `readLine`, `readLineRaw`, `readLineRawNow`, `readCodeLine`,
 * `readResponse`, `readDotLines`, `dotBlock`, `readContinuedLine`; and
 * `buffered`, the reader underneath, for what a protocol reads its own way
 * (a literal by length, a TLS upgrade).
 *
 * Differences from Python's clients, on purpose: every read is bounded
 * (lines per reply and bytes per block too, which Python leaves unbounded);
 * a reply line that is not `DDD`, `DDD text` or `DDD-text` is an error,
 * where smtplib returns code -1; a reply line or a block's `.` line cut by
 * the end of the stream is an error, never a reply or block that looks
 * complete.
 *
 * @example
 * ```ts
 * import { BufferedReader, BytesSource } from "netkit/io";
 * import { Reader } from "netkit/textproto";
 * const reader = new Reader(new BufferedReader(new BytesSource(
 *   "250-mail.example.com\r\n250-SIZE 1000\r\n250 HELP\r\n" +
 *   "222 0 <a@b> article\r\nline one\r\n..dotted\r\n.\r\n",
 * )));
 * const reply = await reader.readResponse(2); // any 2xx
 * reply.code; // 250
 * reply.text.toString(); // "mail.example.com\nSIZE 1000\nHELP"
 * await reader.readCodeLine(22);
 * const lines = await reader.readDotLines(); // [<Buffer "line one">, <Buffer ".dotted">]
 * ```
 */
export class Reader {
  /** The reader underneath: for STARTTLS and protocol-specific reads. */
  readonly buffered: BufferedReader;
  readonly #maxLine: number;
  readonly #maxReplyLines: number;
  #lastLineEnded = true;

  /**
   * @param source the buffered reader to read from
   * @param options the line and reply limits
   * @throws ValueError for a limit below 1
   */
  constructor(source: BufferedReader, options: ReaderOptions = {}) {
    const maxLine = options.maxLine ?? LINE_LIMITS.smtplib;
    const maxReplyLines = options.maxReplyLines ?? LINE_LIMITS.maxReplyLines;
    if (!(maxLine >= 1))
      throw new ValueError(`Cannot create Reader with maxLine ${maxLine}: must be at least 1`);
    if (!(maxReplyLines >= 1)) {
      throw new ValueError(`Cannot create Reader with maxReplyLines ${maxReplyLines}: must be at least 1`);
    }
    this.buffered = source;
    this.#maxLine = maxLine;
    this.#maxReplyLines = maxReplyLines;
  }

  /** The line limit in force, in bytes (line end included). */
  get maxLine(): number {
    return this.#maxLine;
  }

  /** The bound on lines per reply in force. */
  get maxReplyLines(): number {
    return this.#maxReplyLines;
  }

  /** False when the last line `readLine` returned was cut by the end of the stream (had no LF). */
  get lastLineEnded(): boolean {
    return this.#lastLineEnded;
  }

  /**
   * The next line with its line end, as Python's `file.readline(limit + 1)`
   * returns it, or an empty Buffer at the end of the stream.
   * @param limit most bytes, line end included @default maxLine
   * @returns the line, LF (or CRLF) included when it had one
   * @throws ProtocolError `"ERR_TEXTPROTO_LINE_TOO_LONG"` past `limit` bytes
   *   without a line end (`limit + 1` bytes are consumed)
   * @throws ValueError for a negative `limit`
   */
  async readLineRaw(limit: number = this.#maxLine): Promise<Buffer> {
    // A negative size would make readline() read a whole line unbounded.
    if (!(limit >= 0))
      throw new ValueError(`Cannot read a line of at most ${limit} bytes: must be at least 0`);
    const line = await this.buffered.readline(limit + 1);
    if (line.length > limit) throw lineTooLong(line, limit);
    return line;
  }

  /**
   * `readLineRaw(limit)` without waiting: the line when all of it is
   * buffered (or the stream has ended), else `undefined` with nothing
   * consumed (call `readLineRaw` to wait). For a protocol that reads several
   * lines per response and would otherwise pay a promise for each.
   * @param limit most bytes, line end included @default maxLine
   * @returns the line as `readLineRaw` would resolve with it, or `undefined`
   * @throws as `readLineRaw`
   */
  readLineRawNow(limit: number = this.#maxLine): Buffer | undefined {
    if (!(limit >= 0))
      throw new ValueError(`Cannot read a line of at most ${limit} bytes: must be at least 0`);
    const line = this.buffered.readlineNow(limit + 1);
    if (line !== undefined && line.length > limit) throw lineTooLong(line, limit);
    return line;
  }

  /**
   * The next line without its line end (CRLF or a bare LF; a CR not followed
   * by LF stays in the line). A last line cut by the end of the stream comes
   * back as it is, as Python's clients take it; `lastLineEnded` tells.
   * @param limit most bytes, line end included @default maxLine
   * @returns the line
   * @throws ProtocolError `"ERR_TEXTPROTO_LINE_TOO_LONG"` past `limit`;
   *   `"ERR_TEXTPROTO_EOF"` at the end of the stream
   */
  async readLine(limit: number = this.#maxLine): Promise<Buffer> {
    const raw = await this.readLineRaw(limit);
    if (raw.length === 0) {
      throw new ProtocolError("Cannot read line: the peer closed the connection", "ERR_TEXTPROTO_EOF");
    }
    return this.#strip(raw);
  }

  /** `raw` without its line end; notes whether it had one. */
  #strip(raw: Buffer): Buffer {
    const n = raw.length;
    if (raw[n - 1] !== LF) {
      this.#lastLineEnded = false;
      return raw;
    }
    this.#lastLineEnded = true;
    return raw.subarray(0, n >= 2 && raw[n - 2] === CR ? n - 2 : n - 1);
  }

  /** The next line of a reply: ended, or the reply is incomplete. */
  async #replyLine(): Promise<Buffer> {
    const line = await this.readLine();
    if (!this.#lastLineEnded) {
      throw new ProtocolError(
        `Cannot read reply line ${quoteBytes(line)}: the peer closed the connection before its end`,
        "ERR_TEXTPROTO_EOF",
        line,
      );
    }
    return line;
  }

  /** The first line of a reply, taken apart (`raw`: the line whole). */
  async #firstReplyLine(): Promise<CodeLine & { raw: Buffer }> {
    const line = await this.#replyLine();
    const parsed = parseCodeLine(line);
    if (parsed === undefined) {
      throw new ProtocolError(
        `Cannot parse reply line ${quoteBytes(line)}: expected "DDD text" with a three-digit code`,
        "ERR_TEXTPROTO_BAD_REPLY",
        line,
      );
    }
    return { ...parsed, raw: line };
  }

  /**
   * One reply line, `DDD text` (Go's `ReadCodeLine`): for protocols whose
   * replies are one line.
   * @param expect the code's leading digits: 2 = any 2xx, 25 = 250..259,
   *   250 = exactly 250 @default any code
   * @returns the reply
   * @throws ReplyError when the code does not start with `expect`
   * @throws ProtocolError `"ERR_TEXTPROTO_BAD_REPLY"` for a line that is not
   *   a reply line, or a `DDD-` line (a multi-line reply); others as `readLine`
   * @throws ValueError when `expect` is not an integer from 1 to 999
   */
  async readCodeLine(expect?: number): Promise<Reply> {
    checkExpect(expect);
    const first = await this.#firstReplyLine();
    if (first.more) {
      throw new ProtocolError(
        `Cannot read one-line reply ${first.code}: the peer sent a multi-line reply`,
        "ERR_TEXTPROTO_BAD_REPLY",
        first.text,
      );
    }
    return this.#finish(first.code, [first.text], [first.raw], expect);
  }

  /**
   * A whole reply (Go's `ReadResponse`, smtplib's `getreply`, ftplib's
   * `getmultiline`): SMTP's and NNTP's form, where every line but the last
   * is `DDD-text` and the last is `DDD text`; and RFC 959 4.2's, where after
   * `DDD-text` any lines may follow until one starting `DDD ` (the same
   * code). A middle line that is not `DDD-` with the first line's code is
   * one of RFC 959's free lines and is kept whole.
   * @param expect the code's leading digits: 2 = any 2xx, 25 = 250..259,
   *   250 = exactly 250 @default any code
   * @returns the reply
   * @throws ReplyError when the code does not start with `expect` (after the
   *   whole reply is read, so the connection stays in step)
   * @throws ProtocolError `"ERR_TEXTPROTO_BAD_REPLY"` when the first line is
   *   not a reply line; `"ERR_TEXTPROTO_TOO_MANY_LINES"` past `maxReplyLines`;
   *   `"ERR_TEXTPROTO_EOF"` when the stream ends inside the reply; others as `readLine`
   * @throws ValueError when `expect` is not an integer from 1 to 999
   */
  async readResponse(expect?: number): Promise<Reply> {
    checkExpect(expect);
    const first = await this.#firstReplyLine();
    const lines = [first.text];
    const rawLines = [first.raw];
    let more = first.more;
    while (more) {
      if (lines.length >= this.#maxReplyLines) {
        throw new ProtocolError(
          `Cannot read reply ${first.code}: more than ${this.#maxReplyLines} lines`,
          "ERR_TEXTPROTO_TOO_MANY_LINES",
        );
      }
      const line = await this.#replyLine();
      rawLines.push(line);
      const next = parseCodeLine(line);
      if (next !== undefined && next.code === first.code) {
        lines.push(next.text);
        more = next.more;
      } else {
        lines.push(line);
      }
    }
    return this.#finish(first.code, lines, rawLines, expect);
  }

  #finish(code: number, lines: Buffer[], rawLines: Buffer[], expect: number | undefined): Reply {
    const reply: Reply = { code, lines, text: joinLines(lines), rawLines };
    if (!matches(code, expect)) throw new ReplyError(reply, expect);
    return reply;
  }

  /**
   * A dot-terminated block (RFC 5321 4.5.2, RFC 3977 3.1.1, RFC 1939 3):
   * the lines up to one that is exactly `.`, each without its line end, a
   * leading `..` unstuffed to `.` (nntplib's and poplib's `_getlongresp`).
   * @param options a byte limit, draining, strict line ends
   * @returns the lines
   * @throws ProtocolError `"ERR_TEXTPROTO_EOF"` when the stream ends before
   *   the `.` line (or cuts it); `"ERR_TEXTPROTO_TOO_LARGE"` past
   *   `maxBytes`; `"ERR_TEXTPROTO_LINE_TOO_LONG"` for a line past `maxLine`;
   *   `"ERR_TEXTPROTO_BARE_LINE_END"` with `strictLineEnds`
   */
  async readDotLines(options: DotBlockOptions = {}): Promise<Buffer[]> {
    const state = dotState(options);
    const taken = state.strict ? await this.#takeStrictBlock(state) : undefined;
    if (taken === undefined) return this.#dotLines(state);
    const { bytes, complete } = taken;
    const lines: Buffer[] = [];
    const ok =
      complete && scanStrictBlock(bytes, this.#maxLine, state, (s, e) => lines.push(bytes.subarray(s, e)));
    return ok ? lines : this.#replayDotLines(bytes, options);
  }

  /**
   * The same block as `readDotLines`, as one Buffer in which every line
   * ends in LF (Go's `ReadDotBytes`; Python's smtpd joins the same lines by
   * LF). Same options and errors. For a server's strict block, the common
   * case is read with one search and copied once.
   * @param options a byte limit, draining, strict line ends, dropping a leading dot
   * @returns the unstuffed bytes, LF line ends
   */
  async readDotBytes(options: DotBlockOptions = {}): Promise<Buffer> {
    const state = dotState(options);
    const taken = state.strict ? await this.#takeStrictBlock(state) : undefined;
    if (taken === undefined) return endLinesWithLF(await this.#dotLines(state));
    const { bytes, complete } = taken;
    if (complete) {
      const out = Buffer.allocUnsafe(bytes.length);
      let n = 0;
      const ok = scanStrictBlock(bytes, this.#maxLine, state, (start, end) => {
        n += bytes.copy(out, n, start, end);
        out[n++] = LF;
      });
      if (ok) return out.subarray(0, n);
    }
    return endLinesWithLF(await this.#replayDotLines(bytes, options));
  }

  /** `readDotLines` a line at a time: the general path. */
  async #dotLines(state: DotState): Promise<Buffer[]> {
    const lines: Buffer[] = [];
    for (;;) {
      // A line already buffered costs no promise: a block that came in a
      // few reads is read with as few awaits.
      let line = this.#nextDotLineNow(state);
      if (line === undefined) line = await this.#nextDotLine(state);
      if (line === null) return lines;
      lines.push(line);
    }
  }

  /**
   * A strict block taken in one search: with CRLF the only line end, the
   * block ends at the first CRLF `.` CRLF, so one native search finds it;
   * then one scan (`scanStrictBlock`) checks its lines (each CRLF ended,
   * within `maxLine`, the whole within `maxBytes`) and unstuffs them. A
   * block the scan cannot vouch for, or one cut by the end of the stream, is
   * read again from the bytes taken by the line-at-a-time path
   * (`#replayDotLines`), so both paths give the same lines and errors.
   * @returns the bytes taken (through the `.` line when `complete`);
   *   `undefined` when nothing was taken and the line-at-a-time path must
   *   read the block (it starts with a dot, or is larger than one search may hold)
   */
  async #takeStrictBlock(state: DotState): Promise<{ bytes: Buffer; complete: boolean } | undefined> {
    const head = await this.buffered.peek(1);
    if (head.length === 0 || head[0] === DOT) return undefined;
    try {
      const bytes = await this.buffered.readuntil(TERMINATOR, Math.min(state.maxBytes, FAST_BLOCK_MAX));
      return { bytes, complete: true };
    } catch (err) {
      if (err instanceof LimitOverrunError) return undefined; // nothing taken
      if (err instanceof IncompleteReadError) return { bytes: err.partial, complete: false };
      throw err;
    }
  }

  /** The line-at-a-time path over bytes already taken off the stream, for its lines or its error. */
  #replayDotLines(bytes: Buffer, options: DotBlockOptions): Promise<Buffer[]> {
    const replay = new Reader(new BufferedReader(new BytesSource(bytes)), {
      maxLine: this.#maxLine,
      maxReplyLines: this.#maxReplyLines,
    });
    return replay.#dotLines(dotState(options));
  }

  /**
   * The same block as `readDotLines`, as a stream of unstuffed bytes with
   * CRLF line ends (a bare LF end becomes CRLF), for bodies too large to
   * hold as lines. Chunks hold whole lines. Same errors, thrown from the
   * iteration. Stop iterating early and the rest of the block stays unread.
   * @param options a byte limit, draining, strict line ends
   * @returns the block's bytes, chunk by chunk
   */
  async *dotBlock(options: DotBlockOptions = {}): AsyncGenerator<Buffer, void, undefined> {
    const state = dotState(options);
    let parts: Buffer[] = [];
    let size = 0;
    for (;;) {
      let line = this.#nextDotLineNow(state);
      if (line === undefined) line = await this.#nextDotLine(state);
      if (line === null) break;
      parts.push(line, CRLF);
      size += line.length + 2;
      // Yield when nothing more is waiting (so a slow peer's lines flow
      // through), or when enough has gathered.
      if (size >= BLOCK_CHUNK || this.buffered.buffered === 0) {
        yield Buffer.concat(parts, size);
        parts = [];
        size = 0;
      }
    }
    if (size > 0) yield Buffer.concat(parts, size);
  }

  /**
   * The next line of a block, unstuffed, without its line end; `null` at the
   * `.` line. Lines that are dropped (drained past a limit, or after a bare
   * line end in strict mode) are read and skipped here.
   */
  async #nextDotLine(state: DotState): Promise<Buffer | null> {
    for (;;) {
      const line = this.#dotLine(await this.buffered.readline(this.#maxLine + 1), state);
      if (line !== SKIP) return line;
    }
  }

  /**
   * `#nextDotLine` from what is already buffered, without a promise:
   * `undefined` when the next line has not all come yet (nothing of it is
   * consumed; `#nextDotLine` waits for it).
   */
  #nextDotLineNow(state: DotState): Buffer | null | undefined {
    for (;;) {
      const raw = this.buffered.readlineNow(this.#maxLine + 1);
      if (raw === undefined) return undefined;
      const line = this.#dotLine(raw, state);
      if (line !== SKIP) return line;
    }
  }

  /**
   * What one piece read for a block (`readline(maxLine + 1)`, line end
   * included) is: the line unstuffed, `null` for the `.` line, or `SKIP`
   * when it is dropped. Throws as `readDotLines` does.
   */
  #dotLine(raw: Buffer, state: DotState): Buffer | null | typeof SKIP {
    const n = raw.length;
    if (n > this.#maxLine) {
      const err = lineTooLong(raw, this.#maxLine);
      if (!state.drain) throw err;
      // Drain: an over-long line is read in pieces and dropped; the next
      // piece goes on with it unless this one reached its LF.
      state.deferred ??= err;
      state.midLine = raw[n - 1] !== LF;
      state.crAtEnd = raw[n - 1] === CR;
      return SKIP;
    }
    if (n === 0) {
      throw new ProtocolError(
        'Cannot read dot-terminated block: the peer closed the connection before the "." line',
        "ERR_TEXTPROTO_EOF",
      );
    }
    if (raw[n - 1] !== LF) {
      throw new ProtocolError(
        `Cannot read dot-terminated block: the peer closed the connection inside line ${quoteBytes(raw)}`,
        "ERR_TEXTPROTO_EOF",
        raw,
      );
    }
    if (state.crAtEnd) {
      // A dropped piece ended in CR and this one is its LF: the over-long line ended in CRLF.
      state.crAtEnd = false;
      if (n === 1) {
        state.midLine = false;
        return SKIP;
      }
    }
    const crlf = n >= 2 && raw[n - 2] === CR;
    const line = raw.subarray(0, crlf ? n - 2 : n - 1);
    const lineStart = !state.midLine;
    state.midLine = false;
    if (state.strict) {
      // Only CRLF ends a line: after a bare LF the next piece is the same line.
      if (!crlf) {
        state.midLine = true;
        state.deferred ??= bareLineEnd(raw);
      } else if (line.includes(CR)) {
        state.deferred ??= bareLineEnd(raw);
      }
    }
    if (lineStart && line.length === 1 && line[0] === DOT && (crlf || !state.strict)) {
      if (state.deferred !== undefined) throw state.deferred;
      return null;
    }
    state.total += n;
    if (state.total > state.maxBytes && state.deferred === undefined) {
      const err = new ProtocolError(
        `Cannot read dot-terminated block: larger than ${state.maxBytes} bytes`,
        "ERR_TEXTPROTO_TOO_LARGE",
      );
      if (!state.drain) throw err;
      state.deferred = err;
    }
    if (state.deferred !== undefined) return SKIP;
    if (!lineStart || line[0] !== DOT) return line;
    return state.dropLeadingDot || line[1] === DOT ? line.subarray(1) : line;
  }

  /**
   * A line and the lines after it that start with SP or HT (folded header
   * lines, RFC 5322 2.2.3), joined without their line ends (Go's
   * `ReadContinuedLineBytes`, which also trims; this keeps the whitespace).
   * An empty first line (the end of a header block) is returned at once.
   * @param limit most bytes of all the lines, line ends included @default maxLine
   * @returns the unfolded line
   * @throws ProtocolError `"ERR_TEXTPROTO_LINE_TOO_LONG"` past `limit`;
   *   `"ERR_TEXTPROTO_EOF"` at the end of the stream
   */
  async readContinuedLine(limit: number = this.#maxLine): Promise<Buffer> {
    let raw = await this.readLineRaw(limit);
    if (raw.length === 0) {
      throw new ProtocolError("Cannot read line: the peer closed the connection", "ERR_TEXTPROTO_EOF");
    }
    let total = raw.length;
    const first = this.#strip(raw);
    if (first.length === 0) return first;
    const parts = [first];
    while (this.#lastLineEnded) {
      const next = await this.buffered.peek(1);
      if (next[0] !== SP && next[0] !== HTAB) break;
      raw = await this.readLineRaw(limit - total).catch((err: unknown) => {
        if (err instanceof ProtocolError) {
          throw new ProtocolError(`Cannot read folded line: longer than ${limit} bytes`, err.code, first);
        }
        throw err;
      });
      total += raw.length;
      parts.push(this.#strip(raw));
    }
    return parts.length === 1 ? first : Buffer.concat(parts);
  }
}

function dotState(options: DotBlockOptions): DotState {
  const maxBytes = options.maxBytes ?? Number.POSITIVE_INFINITY;
  if (!(maxBytes >= 0))
    throw new ValueError(`Cannot read a block of at most ${maxBytes} bytes: must be at least 0`);
  return {
    maxBytes,
    drain: options.drain ?? false,
    strict: options.strictLineEnds ?? false,
    dropLeadingDot: options.dropLeadingDot ?? false,
    total: 0,
    deferred: undefined,
    midLine: false,
    crAtEnd: false,
  };
}

/**
 * Walks the lines of a strict block that ends in CRLF `.` CRLF, calling
 * `onLine(start, end)` for each, unstuffed (`block[start, end)`), when every
 * line ends in CRLF with no other CR or LF in it, none is longer than
 * `maxLine` (line end included), and the whole is within `state.maxBytes`.
 * @returns false when any of that fails (the caller drops what `onLine`
 *   was given, and the line-at-a-time path says how)
 */
function scanStrictBlock(
  block: Buffer,
  maxLine: number,
  state: DotState,
  onLine: (start: number, end: number) => void,
): boolean {
  const end = block.length - 3; // after the CRLF that ends the last line
  if (end > state.maxBytes) return false;
  for (let start = 0; start < end; ) {
    const lf = block.indexOf(LF, start);
    if (lf - start + 1 > maxLine || block.indexOf(CR, start) !== lf - 1) return false;
    const stuffed = block[start] === DOT && (state.dropLeadingDot || block[start + 1] === DOT);
    onLine(stuffed ? start + 1 : start, lf - 1);
    start = lf + 1;
  }
  return true;
}

function lineTooLong(line: Buffer, limit: number): ProtocolError {
  return new ProtocolError(
    `Cannot read line ${quoteBytes(line.subarray(0, 40))}: longer than ${limit} bytes`,
    "ERR_TEXTPROTO_LINE_TOO_LONG",
    line,
  );
}

function bareLineEnd(raw: Buffer): ProtocolError {
  return new ProtocolError(
    `Cannot accept line ${quoteBytes(raw)}: a bare CR or LF where only CRLF may end a line`,
    "ERR_TEXTPROTO_BARE_LINE_END",
    raw,
  );
}
