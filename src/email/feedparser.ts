/**
 * Python's `email.feedparser`: the push parser every email parser runs on.
 *
 * `feed(text)` as the text arrives (any chunking: a line may be cut
 * anywhere), `close()` for the root `Message`. Like Python's, it never
 * throws on malformed input (unless the policy's `raiseOnDefect`): it
 * records a defect on the part and goes on.
 *
 * ```text
 * feed(data) -> BufferedSubFile (complete lines, a stack of "EOF" matchers)
 *            -> parsegen(): headers, then by content type:
 *                 message/delivery-status  header blocks, one part each
 *                 message/*                one enclosed message
 *                 multipart/*              preamble, parts between boundaries, epilogue
 *                 anything else            the body as text
 * ```
 *
 * A multipart pushes a matcher for its boundary on the line buffer, so a
 * part nested inside it sees "end of input" at the boundary: each part is
 * parsed by the same code as a whole message. The parse is a JavaScript
 * generator that yields when it needs more lines, as Python's is.
 *
 * Headers are read here, not with `netkit/textproto`'s header reader: that
 * reader refuses malformed headers, as an HTTP or SMTP reader must, where
 * Python's email parser keeps going and records a defect
 * (`FirstHeaderLineIsContinuationDefect`, `MissingHeaderBodySeparatorDefect`,
 * `MisplacedEnvelopeHeaderDefect`), keeps raw 8-bit bytes, and must accept a
 * line cut at any byte across `feed()` calls.
 *
 * Limits (netkit's; Python has none): parts nest at most
 * {@link MAX_NESTING_DEPTH} deep. A multipart or message/* part deeper than
 * that keeps its body as text with a `NestingTooDeepDefect`, so a hostile
 * message cannot exhaust the stack; everything else costs memory in
 * proportion to the input.
 *
 * @module
 */
import { decodeSurrogateEscape, escapeLatin1 } from "./_bytes.js";
import { compat32, type Policy } from "./_policybase.js";
import {
  CloseBoundaryNotFoundDefect,
  FirstHeaderLineIsContinuationDefect,
  InvalidHeaderDefect,
  InvalidMultipartContentTransferEncodingDefect,
  MisplacedEnvelopeHeaderDefect,
  MissingHeaderBodySeparatorDefect,
  MultipartInvariantViolationDefect,
  NestingTooDeepDefect,
  NoBoundaryInMultipartDefect,
  StartBoundaryNotFoundDefect,
} from "./errors.js";
import { Message } from "./message.js";

/**
 * How deep parts may nest (a multipart in a multipart in ...), as Postfix's
 * `mime_nesting_limit` (100). Python has no limit of its own and fails with
 * a `RecursionError` somewhere below a thousand levels.
 */
export const MAX_NESTING_DEPTH = 100;

const NEED_MORE_DATA = Symbol("NeedMoreData");
type Step = typeof NEED_MORE_DATA;

const NLCRE_BOL = /^(\r\n|\r|\n)/;
const HEADER_RE = /^(From |[\x21-\x39\x3b-\x7e]*:|[\t ])/;
const startsWithNewline = (line: string) => {
  const c = line.charCodeAt(0);
  return c === 10 || c === 13;
};

/**
 * A line matcher that ends the current part ("EOF" for it). `separator` is
 * set for a boundary matcher, which can only match a line starting with it.
 */
type EofMatcher = ((line: string) => boolean) & { separator?: string };

/** Python's `NLCRE_eol.search(s)` and strip: `s` without one final `\r\n`, `\r` or `\n`. */
function stripEol(s: string): string {
  const n = s.length;
  if (n === 0) return s;
  const last = s.charCodeAt(n - 1);
  if (last === 10) return s.charCodeAt(n - 2) === 13 ? s.slice(0, n - 2) : s.slice(0, n - 1);
  if (last === 13) return s.slice(0, n - 1);
  return s;
}

const LINE_END = /\r\n?|\n/g;

/**
 * Python's `BufferedSubFile`: complete lines from pushed text, with a stack
 * of matchers; a line that matches one reads as end of input (`""`) and
 * stays in the buffer for the enclosing part.
 *
 * The text is kept as one string with a read position (lines are cut from
 * it as they are read), and a body is taken in one slice up to the next
 * line that starts a boundary: the same lines Python reads one at a time.
 */
class BufferedSubFile {
  /** Complete lines, read up to `#pos`. */
  #buf = "";
  #pos = 0;
  /** The last line, not yet ended (or ended by a CR that may be half a CRLF). */
  #partial = "";
  /** Lines given back with `unreadline`, the next one last. */
  #pushback: string[] = [];
  #eofstack: EofMatcher[] = [];
  /** How many matchers on the stack are not boundary matchers. */
  #otherMatchers = 0;
  #closed = false;

  pushEofMatcher(pred: EofMatcher): void {
    this.#eofstack.push(pred);
    if (pred.separator === undefined) this.#otherMatchers++;
  }

  popEofMatcher(): void {
    const pred = this.#eofstack.pop();
    if (pred && pred.separator === undefined) this.#otherMatchers--;
  }

  close(): void {
    if (this.#partial) this.#append(this.#partial);
    this.#partial = "";
    this.#closed = true;
  }

  #append(complete: string): void {
    if (this.#pos >= this.#buf.length) this.#buf = complete;
    else this.#buf = this.#buf.slice(this.#pos) + complete;
    this.#pos = 0;
  }

  /** True when `line` matches a matcher on the stack (only boundary and blank lines can). */
  #atEof(line: string): boolean {
    const c = line.charCodeAt(0);
    if ((c === 45 || c === 10 || c === 13) && this.#eofstack.length > 0) {
      for (let i = this.#eofstack.length - 1; i >= 0; i--) if (this.#eofstack[i]!(line)) return true;
    }
    return false;
  }

  readline(): string | Step {
    if (this.#pushback.length > 0) {
      const line = this.#pushback[this.#pushback.length - 1]!;
      if (this.#atEof(line)) return "";
      this.#pushback.pop();
      return line;
    }
    const buf = this.#buf;
    if (this.#pos >= buf.length) return this.#closed ? "" : NEED_MORE_DATA;
    LINE_END.lastIndex = this.#pos;
    const m = LINE_END.exec(buf);
    const end = m ? m.index + m[0].length : buf.length;
    const line = buf.slice(this.#pos, end);
    if (this.#atEof(line)) return "";
    this.#pos = end;
    return line;
  }

  unreadline(line: string): void {
    this.#pushback.push(line);
  }

  push(data: string): void {
    if (!data) return;
    if (!data.includes("\n") && !data.includes("\r")) {
      this.#partial += data;
      return;
    }
    const text = this.#partial + data;
    // Complete lines end at the last line end, unless that is a CR at the
    // very end, which may be half of a CRLF: that line waits (as Python's).
    let i = Math.max(text.lastIndexOf("\n"), text.lastIndexOf("\r"));
    if (i === text.length - 1 && text.charCodeAt(i) === 13) {
      // (lastIndexOf treats a negative start as 0, so i = 0 needs its own case.)
      i = i === 0 ? -1 : Math.max(text.lastIndexOf("\n", i - 1), text.lastIndexOf("\r", i - 1));
    }
    this.#partial = text.slice(i + 1);
    if (i >= 0) this.#append(text.slice(0, i + 1));
  }

  /**
   * Every remaining line up to end of input (or a matcher), joined into
   * `into`, yielding `NEED_MORE_DATA` while the input is not closed.
   */
  *readAll(into: string[]): Generator<Step, void, undefined> {
    for (;;) {
      while (this.#pushback.length > 0) {
        const line = this.readline();
        if (line === "") return;
        into.push(line as string);
      }
      const buf = this.#buf;
      if (this.#pos >= buf.length) {
        if (this.#closed) return;
        yield NEED_MORE_DATA;
        continue;
      }
      if (this.#otherMatchers > 0) {
        // A blank-line matcher (message/delivery-status): line by line.
        const line = this.readline();
        if (line === "") return;
        into.push(line as string);
        continue;
      }
      // Only boundary matchers: the body runs to the first line that starts
      // with "--" and matches one of them.
      let k = this.#eofstack.length === 0 ? -1 : buf.indexOf("--", this.#pos);
      while (k >= 0) {
        const before = k === this.#pos ? 10 : buf.charCodeAt(k - 1);
        if (before === 10 || before === 13) {
          LINE_END.lastIndex = k;
          const m = LINE_END.exec(buf);
          const line = buf.slice(k, m ? m.index + m[0].length : buf.length);
          if (this.#atEof(line)) {
            if (k > this.#pos) into.push(buf.slice(this.#pos, k));
            this.#pos = k;
            return;
          }
        }
        k = buf.indexOf("--", k + 1);
      }
      into.push(buf.slice(this.#pos));
      this.#pos = buf.length;
    }
  }
}

/** Options of the parsers. */
export interface ParserOptions {
  /** The policy (default `compat32`). */
  policy?: Policy;
}

/**
 * Makes a new `FeedParser` read its text as bytes in latin-1 (one character
 * per byte): the byte parsers' way in, set by `BytesParser` (internal).
 */
export let readingLatin1: (fp: FeedParser) => FeedParser;

/** A message class the parser can make: `new factory(policy)`. */
export type MessageFactory = new (policy?: Policy) => Message;

/**
 * Python's `email.feedparser.FeedParser`: push text in with `feed()`, get
 * the message from `close()`. Defects are recorded, not thrown (unless the
 * policy raises on them).
 */
export class FeedParser {
  /** The policy in force. */
  readonly policy: Policy;
  readonly #factory: MessageFactory;
  readonly #input = new BufferedSubFile();
  readonly #msgstack: Message[] = [];
  #parse: Generator<Step, void, undefined>;
  #cur: Message | null = null;
  #last: Message | null = null;
  #headersonly = false;
  /**
   * The text is bytes in latin-1 (`BytesParser`'s): the parse reads it as
   * it is (lines, boundaries and header names are ASCII) and only the text
   * a message keeps is made `surrogateescape` text (bytes 0x80..0xFF as
   * U+DC80..U+DCFF), so a message with one 8-bit byte is not a two-byte
   * string throughout.
   */
  #latin1 = false;

  static {
    readingLatin1 = (fp) => {
      fp.#latin1 = true;
      return fp;
    };
  }

  /**
   * @param factory the message class (default: the policy's `messageFactory`, else `Message`)
   * @param options the policy
   */
  constructor(factory: MessageFactory | null = null, options: ParserOptions = {}) {
    this.policy = options.policy ?? compat32;
    this.#factory = factory ?? this.policy.messageFactory ?? Message;
    this.#parse = this.#parsegen(0);
  }

  /** Python's `_set_headersonly`: parse the headers only, keeping the body as text. */
  setHeadersonly(): void {
    this.#headersonly = true;
  }

  /** Python's `feed`: pushes more text in. */
  feed(data: string): void {
    this.#input.push(data);
    this.#parse.next();
  }

  /**
   * Python's `close`: parses what is left and returns the root message.
   * @throws {MessageDefect} only when the policy raises on defects
   */
  close(): Message {
    this.#input.close();
    this.#parse.next();
    const root = this.#popMessage();
    if (root.getContentMaintype() === "multipart" && !root.isMultipart() && !this.#headersonly) {
      this.policy.handleDefect(root, new MultipartInvariantViolationDefect());
    }
    return root;
  }

  /** Text the message keeps: escaped when the input is latin-1 bytes. */
  #keep(text: string): string {
    return this.#latin1 ? escapeLatin1(text) : text;
  }

  #newMessage(): void {
    const msg = new this.#factory(this.policy);
    if (this.#cur && this.#cur.getContentType() === "multipart/digest") msg.setDefaultType("message/rfc822");
    if (this.#msgstack.length > 0) this.#msgstack[this.#msgstack.length - 1]!.attach(msg);
    this.#msgstack.push(msg);
    this.#cur = msg;
    this.#last = msg;
  }

  #popMessage(): Message {
    const msg = this.#msgstack.pop()!;
    this.#cur = this.#msgstack.length > 0 ? this.#msgstack[this.#msgstack.length - 1]! : null;
    return msg;
  }

  /** Reads one line, yielding until there is one. */
  *#readline(): Generator<Step, string, undefined> {
    for (;;) {
      const line = this.#input.readline();
      if (line !== NEED_MORE_DATA) return line;
      yield NEED_MORE_DATA;
    }
  }

  *#parsegen(depth: number): Generator<Step, void, undefined> {
    this.#newMessage();
    const cur = this.#cur!;
    const headers: string[] = [];
    // Collect the header lines: up to a blank line, or a line that is not a header.
    for (;;) {
      const line = yield* this.#readline();
      if (line === "") break;
      if (!HEADER_RE.test(line)) {
        if (!startsWithNewline(line)) {
          this.policy.handleDefect(cur, new MissingHeaderBodySeparatorDefect());
          this.#input.unreadline(line);
        }
        break;
      }
      headers.push(line);
    }
    this.#parseHeaders(headers);

    if (this.#headersonly) {
      const lines: string[] = [];
      yield* this.#input.readAll(lines);
      cur.setPayload(this.#keep(lines.join("")));
      return;
    }
    const ctype = cur.getContentType();
    const maintype = ctype.slice(0, ctype.indexOf("/"));
    const nests = maintype === "message" || maintype === "multipart";
    if (nests && depth >= MAX_NESTING_DEPTH) {
      this.policy.handleDefect(cur, new NestingTooDeepDefect(`parts nest deeper than ${MAX_NESTING_DEPTH}`));
      const lines: string[] = [];
      yield* this.#input.readAll(lines);
      cur.setPayload(this.#keep(lines.join("")));
      return;
    }
    if (ctype === "message/delivery-status") {
      // Blocks of headers separated by blank lines, each a message of its own.
      for (;;) {
        this.#input.pushEofMatcher(startsWithNewline);
        yield* this.#parsegen(depth + 1);
        this.#popMessage();
        this.#input.popEofMatcher();
        // The blank line that ended the block, then the next block's first line.
        yield* this.#readline();
        const line = yield* this.#readline();
        if (line === "") break;
        this.#input.unreadline(line);
      }
      return;
    }
    if (maintype === "message") {
      yield* this.#parsegen(depth + 1);
      this.#popMessage();
      return;
    }
    if (maintype === "multipart") {
      yield* this.#parseMultipart(cur, depth);
      return;
    }
    const lines: string[] = [];
    yield* this.#input.readAll(lines);
    cur.setPayload(this.#keep(lines.join("")));
  }

  *#parseMultipart(cur: Message, depth: number): Generator<Step, void, undefined> {
    const boundary = cur.getBoundary(null);
    if (boundary === null) {
      // RFC 2046 section 5.1.1: a multipart needs a boundary; keep the body as text.
      this.policy.handleDefect(cur, new NoBoundaryInMultipartDefect());
      const lines: string[] = [];
      yield* this.#input.readAll(lines);
      cur.setPayload(this.#keep(lines.join("")));
      return;
    }
    const cte = cur.get("content-transfer-encoding", "8bit").toLowerCase();
    if (cte !== "7bit" && cte !== "8bit" && cte !== "binary") {
      this.policy.handleDefect(cur, new InvalidMultipartContentTransferEncodingDefect());
    }
    // Read as latin-1, a line holds an escaped byte as the byte itself.
    const separator = this.#latin1 ? unescapeToLatin1(`--${boundary}`) : `--${boundary}`;
    const boundaryRe = new RegExp(`^${escapeRegExp(separator)}(--)?[ \\t]*(\\r\\n|\\r|\\n)?$`);
    const matcher: EofMatcher = (line) => line.startsWith(separator) && boundaryRe.test(line);
    matcher.separator = separator;
    let capturingPreamble = true;
    const preamble: string[] = [];
    let linesep: string | undefined;
    let closeBoundarySeen = false;
    for (;;) {
      let line = yield* this.#readline();
      if (line === "") break;
      const mo = line.startsWith(separator) ? boundaryRe.exec(line) : null;
      if (!mo) {
        preamble.push(line);
        continue;
      }
      if (mo[1]) {
        closeBoundarySeen = true;
        linesep = mo[2];
        break;
      }
      if (capturingPreamble) {
        if (preamble.length > 0) {
          preamble[preamble.length - 1] = stripEol(preamble[preamble.length - 1]!);
          cur.preamble = this.#keep(preamble.join(""));
        }
        capturingPreamble = false;
        this.#input.unreadline(line);
        continue;
      }
      // Skip repeated separator lines: an empty part is not a part.
      for (;;) {
        line = yield* this.#readline();
        if (!(line.startsWith(separator) && boundaryRe.test(line))) {
          this.#input.unreadline(line);
          break;
        }
      }
      this.#input.pushEofMatcher(matcher);
      yield* this.#parsegen(depth + 1);
      // The line end before a boundary belongs to the boundary (RFC 2046 section 5.1.1).
      const last = this.#last!;
      if (last.getContentMaintype() === "multipart") {
        const epilogue = last.epilogue;
        if (epilogue === "") last.epilogue = null;
        else if (epilogue !== null) last.epilogue = stripEol(epilogue);
      } else if (typeof last._payload === "string") {
        last._payload = stripEol(last._payload);
      }
      this.#input.popEofMatcher();
      this.#popMessage();
      this.#last = this.#cur;
    }
    if (capturingPreamble) {
      this.policy.handleDefect(cur, new StartBoundaryNotFoundDefect());
      cur.setPayload(this.#keep(preamble.join("")));
      const rest: string[] = [];
      yield* this.#input.readAll(rest);
      cur.epilogue = "";
      return;
    }
    if (!closeBoundarySeen) {
      this.policy.handleDefect(cur, new CloseBoundaryNotFoundDefect());
      return;
    }
    const epilogue: string[] = linesep ? [""] : [];
    yield* this.#input.readAll(epilogue);
    if (epilogue.length > 0) epilogue[0] = epilogue[0]!.replace(NLCRE_BOL, "");
    cur.epilogue = this.#keep(epilogue.join(""));
  }

  #parseHeaders(lines: string[]): void {
    const cur = this.#cur!;
    let lastheader = "";
    let lastvalue: string[] = [];
    for (let lineno = 0; lineno < lines.length; lineno++) {
      const line = lines[lineno]!;
      const c = line[0];
      if (c === " " || c === "\t") {
        if (!lastheader) {
          // RFC 5322 section 2.2.3: a continuation needs a header before it.
          this.policy.handleDefect(cur, new FirstHeaderLineIsContinuationDefect(this.#keep(line)));
          continue;
        }
        lastvalue.push(this.#keep(line));
        continue;
      }
      if (lastheader) {
        const [name, value] = this.policy.headerSourceParse(lastvalue);
        cur.setRaw(name, value);
        lastheader = "";
        lastvalue = [];
      }
      if (line.startsWith("From ")) {
        if (lineno === 0) {
          cur.setUnixfrom(this.#keep(stripEol(line)));
          continue;
        }
        if (lineno === lines.length - 1) {
          // Probably the first line of the body: give it back.
          this.#input.unreadline(line);
          return;
        }
        cur.defects.push(new MisplacedEnvelopeHeaderDefect(this.#keep(line)));
        continue;
      }
      const i = line.indexOf(":");
      if (i === 0) {
        cur.defects.push(new InvalidHeaderDefect("Missing header name."));
        continue;
      }
      lastheader = line.slice(0, i);
      lastvalue = [this.#keep(line)];
    }
    if (lastheader) {
      const [name, value] = this.policy.headerSourceParse(lastvalue);
      cur.setRaw(name, value);
    }
  }
}

/**
 * `surrogateescape` text as the latin-1 text of its bytes (U+DC80..U+DCFF
 * as 0x80..0xFF), for matching against latin-1 lines. Any other character
 * beyond ASCII never occurs in text decoded from bytes, so it becomes
 * U+0100, which never occurs in latin-1 text either.
 */
function unescapeToLatin1(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ASCII is defined by its control range too
  if (!/[^\x00-\x7f]/.test(text)) return text;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ASCII is defined by its control range too
  return text.replace(/[^\x00-\x7f]/g, (c) => {
    const u = c.charCodeAt(0);
    return u >= 0xdc80 && u <= 0xdcff ? String.fromCharCode(u - 0xdc00) : "\u0100";
  });
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
}

/**
 * Python's `BytesFeedParser`: a `FeedParser` fed bytes; bytes 0x80..0xFF are
 * kept as escapes (`surrogateescape`), so the generator writes them back.
 */
export class BytesFeedParser extends FeedParser {
  /** Pushes more bytes in. */
  override feed(data: Uint8Array | string): void {
    super.feed(typeof data === "string" ? data : decodeSurrogateEscape(data));
  }
}
