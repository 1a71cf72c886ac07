/**
 * Python's `email.generator`: writes a message tree out as text or bytes.
 *
 * - `Generator`: text; 8-bit bytes in headers become `unknown-8bit` encoded
 *   words and 8-bit bodies are re-encoded with their charset.
 * - `BytesGenerator`: bytes; 8-bit bytes go out as they came (unless the
 *   policy's `cteType` is `"7bit"`).
 * - `DecodedGenerator`: the text parts' payloads, a line in place of each
 *   other part.
 *
 * Each part is written as its headers (folded by the policy), a blank line
 * and its body; a multipart's parts go between boundary lines, a boundary
 * is made up (and set on the message) when it has none. Line ends in bodies
 * become the policy's `linesep`. Generating is pure: the output goes to a
 * `write()` callback and nothing else is touched.
 *
 * @module
 */
import { randomBytes } from "node:crypto";
import { asctime } from "../_time.js";
import { withCode } from "../errors/index.js";
import { holdsBoundaryLine, searchable } from "./_boundary.js";
import {
  decodeSurrogateEscape,
  encodeLinesLf,
  encodeSurrogateEscape,
  encodeSurrogateEscapeAll,
  hasSurrogates,
  toLinesep,
} from "./_bytes.js";
import type { Policy } from "./_policybase.js";
import { HeaderWriteError } from "./errors.js";
import { deepcopyMessage, type Message } from "./message.js";

/** Where a `Generator` writes text. */
export interface TextSink {
  /** Receives the next piece of output. */
  write(text: string): unknown;
}

/** Where a `BytesGenerator` writes bytes. */
export interface BytesSink {
  /** Receives the next piece of output. */
  write(bytes: Buffer): unknown;
}

/** A piece of a generator's output: text, or bytes a `BytesGenerator` has encoded already. */
export type OutputPiece = string | Buffer;

/** The pieces as one text (bytes as escaped text). */
function joinPieces(pieces: readonly OutputPiece[]): string {
  if (pieces.every((piece) => typeof piece === "string")) return pieces.join("");
  return pieces.map((piece) => (typeof piece === "string" ? piece : decodeSurrogateEscape(piece))).join("");
}

/** Options of the generators. */
export interface GeneratorOptions {
  /** The policy to write with. @default the message's */
  policy?: Policy | null;
}

/** Python's `fcre` with `re.MULTILINE`: `^` after `\n` only, not after a lone `\r` as in JavaScript. */
function mangleFrom(text: string): string {
  if (!text.includes("From ")) return text;
  return text.replace(/(^|\n)From /g, "$1>From ");
}

/** `'%019d' % random.randrange(sys.maxsize)`: 19 digits. */
function randomToken(): string {
  const n = randomBytes(8).readBigUInt64BE() & 0x7fffffffffffffffn;
  return n.toString().padStart(19, "0");
}

/**
 * Python's `email.generator.Generator`: writes a message as text.
 *
 * Methods to override (as in Python): `write` (where output goes),
 * `clone`, and the handlers `handleText`, `handleMultipart`,
 * `handleMultipartSigned`, `handleMessageDeliveryStatus`, `handleMessage`
 * that `dispatch` picks by content type.
 */
export class Generator {
  /** The policy in force (the message's when `null`). */
  policy: Policy | null;
  /** Python's `maxheaderlen`: overrides the policy's `maxLineLength` when not `null`. */
  maxheaderlen: number | null;
  /** Python's `_mangle_from_`: escape body lines starting with `From `. */
  protected readonly mangleFrom: boolean;
  /** Python's `_fp`: where the output goes. */
  protected readonly outfp: TextSink | BytesSink;
  /** The output of the part being written: text, or bytes a `BytesGenerator` has encoded already. */
  protected buf: OutputPiece[] = [];
  /** The policy's line end, while flattening. */
  protected NL = "\n";
  #mungeCte: [string, string] | null = null;

  /**
   * @param outfp where output goes
   * @param mangleFrom write `>From ` for body lines starting with `From `
   *   (default: the policy's `mangleFrom`, true without a policy)
   * @param maxheaderlen the longest header line (default: the policy's)
   * @param options the policy
   */
  constructor(
    outfp: TextSink,
    mangleFrom: boolean | null = null,
    maxheaderlen: number | null = null,
    options: GeneratorOptions = {},
  ) {
    const policy = options.policy ?? null;
    this.outfp = outfp;
    this.mangleFrom = mangleFrom ?? (policy === null ? true : policy.mangleFrom);
    this.maxheaderlen = maxheaderlen;
    this.policy = policy;
  }

  /** Writes text to the output. */
  write(s: string): void {
    (this.outfp as TextSink).write(s);
  }

  /**
   * Python's `flatten`: writes `msg` and everything below it.
   * @param msg the message
   * @param unixfrom write the envelope "From " line first (a made-up one when the message has none)
   * @param linesep the line end (default: the policy's)
   */
  flatten(msg: Message, unixfrom = false, linesep: string | null = null): void {
    this.emitPieces(this.render(msg, unixfrom, linesep));
  }

  /** Hands the finished text, in pieces, to the output. */
  protected emitPieces(pieces: OutputPiece[]): void {
    this.emit(joinPieces(pieces));
  }

  /** Hands the finished text to the output. */
  protected emit(text: string): void {
    this.write(text);
  }

  /** The whole of `msg` as (escaped) text, in pieces. */
  protected render(msg: Message, unixfrom: boolean, linesep: string | null): OutputPiece[] {
    let policy = this.policy ?? msg.policy;
    if (linesep !== null) policy = policy.clone({ linesep });
    if (this.maxheaderlen !== null) policy = policy.clone({ maxLineLength: this.maxheaderlen });
    const oldGenPolicy = this.policy;
    const oldMsgPolicy = msg.policy;
    const oldNL = this.NL;
    const oldBuf = this.buf;
    this.buf = [];
    this.NL = policy.linesep;
    try {
      this.policy = policy;
      msg.policy = policy;
      if (unixfrom) {
        let ufrom = msg.getUnixfrom();
        if (!ufrom) ufrom = `From nobody ${ctime(new Date())}`;
        this.buf.push(ufrom + this.NL);
      }
      this.writeMessage(msg);
      return this.buf;
    } finally {
      this.policy = oldGenPolicy;
      msg.policy = oldMsgPolicy;
      this.NL = oldNL;
      this.buf = oldBuf;
    }
  }

  /** Python's `clone`: a generator of the same class and options writing to `fp`. */
  clone(fp: TextSink | BytesSink): Generator {
    return new (this.constructor as typeof Generator)(fp as TextSink, this.mangleFrom, null, {
      policy: this.policy,
    });
  }

  /** A sub-part, written by this generator's class with the same options: Python's clone-and-flatten. */
  protected renderPart(part: Message): OutputPiece[] {
    const savedMax = this.maxheaderlen;
    this.maxheaderlen = null;
    try {
      return this.render(part, false, this.NL);
    } finally {
      this.maxheaderlen = savedMax;
    }
  }

  /** Python's `_write_lines`: text with every line end made the policy's. */
  protected writeLines(lines: string): void {
    if (!lines) return;
    // Splitting at each line end and writing NL after every piece but the last
    // is the same as replacing each line end with NL.
    this.buf.push(toLinesep(lines, this.NL));
  }

  /** Python's `_write`: the body first (it may change headers), then headers and body. */
  protected writeMessage(msg: Message): void {
    const outer = this.buf;
    this.buf = [];
    this.#mungeCte = null;
    let body: OutputPiece[];
    let munge: [string, string] | null;
    try {
      this.dispatch(msg);
    } finally {
      body = this.buf;
      this.buf = outer;
      munge = this.#mungeCte;
      this.#mungeCte = null;
    }
    let m = msg;
    if (munge) {
      m = deepcopyMessage(msg);
      if (m.get("content-transfer-encoding") === undefined) m.set("Content-Transfer-Encoding", munge[0]);
      else m.replaceHeader("content-transfer-encoding", munge[0]);
      m.replaceHeader("content-type", munge[1]);
    }
    this.writeHeaders(m);
    for (const piece of body) this.buf.push(piece);
  }

  /** Python's `_dispatch`: picks the handler by content type. */
  protected dispatch(msg: Message): void {
    const main = msg.getContentMaintype();
    const sub = msg.getContentSubtype();
    if (main === "multipart" && sub === "signed") this.handleMultipartSigned(msg);
    else if (main === "message" && sub.replaceAll("-", "_") === "delivery_status")
      this.handleMessageDeliveryStatus(msg);
    else if (main === "text") this.handleText(msg);
    else if (main === "multipart") this.handleMultipart(msg);
    else if (main === "message") this.handleMessage(msg);
    else this.writeBody(msg);
  }

  /** Python's `_write_headers`: each header folded by the policy, then the blank line. */
  protected writeHeaders(msg: Message): void {
    const policy = this.policy!;
    for (const [h, v] of msg.rawItems()) this.buf.push(verifiedHeader(policy, policy.fold(h, v)));
    this.buf.push(this.NL);
  }

  /**
   * Python's `_handle_text`: the payload's lines. A payload holding 8-bit
   * bytes is re-encoded with its charset (the headers follow).
   * @throws {TypeError} when the payload is not text
   */
  protected handleText(msg: Message): void {
    let payload = msg.getPayload();
    if (payload === null) return;
    if (typeof payload !== "string")
      throw withCode(new TypeError("string payload expected: <class 'list'>"), "ERR_INVALID_ARG_TYPE");
    if (typeof msg._payload === "string" && hasSurrogates(msg._payload)) {
      const charset = msg.getParam("charset");
      if (charset !== undefined) {
        const copy = deepcopyMessage(msg);
        copy.delete("content-transfer-encoding");
        copy.setPayload(payload, String(charset));
        payload = copy.getPayload() as string;
        this.#mungeCte = [copy.get("content-transfer-encoding")!, copy.get("content-type")!];
      }
    }
    if (this.mangleFrom) payload = mangleFrom(payload);
    this.writeLines(payload);
  }

  /** Python's `_writeBody`: the handler for types with none of their own. */
  protected writeBody(msg: Message): void {
    this.handleText(msg);
  }

  /** Python's `_handle_multipart`: preamble, the parts between boundaries, epilogue. */
  protected handleMultipart(msg: Message): void {
    let subparts = msg.getPayload() as Message[] | string | null;
    if (subparts === null) subparts = [];
    else if (typeof subparts === "string") {
      this.buf.push(subparts);
      return;
    }
    const texts = subparts.map((part) => this.renderPart(part));
    let boundary = msg.getBoundary();
    if (!boundary) {
      boundary = makeBoundary(searchable(texts, this.NL));
      msg.setBoundary(boundary);
    }
    if (msg.preamble !== null) {
      this.writeLines(this.mangleFrom ? mangleFrom(msg.preamble) : msg.preamble);
      this.buf.push(this.NL);
    }
    this.buf.push(`--${boundary}${this.NL}`);
    for (const [i, text] of texts.entries()) {
      if (i > 0) this.buf.push(`${this.NL}--${boundary}${this.NL}`);
      for (const piece of text) this.buf.push(piece);
    }
    this.buf.push(`${this.NL}--${boundary}--${this.NL}`);
    if (msg.epilogue !== null) this.writeLines(this.mangleFrom ? mangleFrom(msg.epilogue) : msg.epilogue);
  }

  /** Python's `_handle_multipart_signed`: as multipart, never refolding headers (the signature covers them). */
  protected handleMultipartSigned(msg: Message): void {
    const p = this.policy!;
    this.policy = p.clone({ maxLineLength: 0 });
    try {
      this.handleMultipart(msg);
    } finally {
      this.policy = p;
    }
  }

  /** Python's `_handle_message_delivery_status`: the header blocks, one blank line between each. */
  protected handleMessageDeliveryStatus(msg: Message): void {
    const blocks: string[] = [];
    for (const part of (msg.getPayload() as Message[] | null) ?? []) {
      const text = joinPieces(this.renderPart(part));
      const lines = text.split(this.NL);
      if (lines.length > 0 && lines[lines.length - 1] === "") blocks.push(lines.slice(0, -1).join(this.NL));
      else blocks.push(text);
    }
    this.buf.push(blocks.join(this.NL));
  }

  /** Python's `_handle_message`: the enclosed message (or the payload text as it is). */
  protected handleMessage(msg: Message): void {
    const payload = msg._payload;
    if (Array.isArray(payload)) for (const piece of this.renderPart(msg.getPayload(0))) this.buf.push(piece);
    else if (payload !== null) this.buf.push(this.encodeText(payload));
  }

  /** Python's `_encode`: text written verbatim (bytes generators check it is ASCII). */
  protected encodeText(s: string): string {
    return s;
  }
}

/** A line break not followed by a blank: where a folded header would end and another start. */
const NEWLINE_WITHOUT_FWSP = /\r\n[^ \t]|\r[^ \n\t]|\n[^ \t]/;

/**
 * Python's check in `_write_headers` (gh-121650): a folded header must end
 * with `linesep` and hold no other line break that is not followed by a
 * blank, so that no value can add a header or start the body.
 * @returns `folded`
 * @throws {HeaderWriteError} when the policy verifies headers and `folded` fails the check
 */
function verifiedHeader(policy: Policy, folded: string): string {
  if (!policy.verifyGeneratedHeaders) return folded;
  const linesep = policy.linesep;
  if (!folded.endsWith(linesep)) {
    throw new HeaderWriteError(
      `Cannot write header ${JSON.stringify(folded)}: it does not end with ${JSON.stringify(linesep)}`,
    );
  }
  if (NEWLINE_WITHOUT_FWSP.test(folded.slice(0, folded.length - linesep.length))) {
    throw new HeaderWriteError(`Cannot write header ${JSON.stringify(folded)}: it contains a line break`);
  }
  return folded;
}

/**
 * Python's `_make_boundary`: `===============` and 19 random digits and
 * `==`, with `.0`, `.1`, ... added until no line of `text` is the boundary.
 * `text` may be bytes (see `searchable`): lines are found the same way.
 */
export function makeBoundary(text: string | Buffer | null = null): string {
  const boundary = `===============${randomToken()}==`;
  if (text === null) return boundary;
  let b = boundary;
  for (let counter = 0; holdsBoundaryLine(text, b); counter++) b = `${boundary}.${counter}`;
  return b;
}

/** `time.ctime()` of a local time: `Mon Dec  7 18:27:02 2026`. */
function ctime(d: Date): string {
  return asctime(d, false);
}

/**
 * Python's `email.generator.BytesGenerator`: writes a message as bytes.
 * 8-bit bytes parsed by `BytesParser` go out unchanged (headers and
 * bodies), unless the policy's `cteType` is `"7bit"`.
 */
export class BytesGenerator extends Generator {
  /**
   * @param outfp where the bytes go
   * @param mangleFrom as `Generator`'s
   * @param maxheaderlen as `Generator`'s
   * @param options the policy
   */
  constructor(
    outfp: BytesSink,
    mangleFrom: boolean | null = null,
    maxheaderlen: number | null = null,
    options: GeneratorOptions = {},
  ) {
    super(outfp as unknown as TextSink, mangleFrom, maxheaderlen, options);
  }

  /** Writes text as ASCII bytes, escaped bytes as themselves. */
  override write(s: string): void {
    (this.outfp as BytesSink).write(encodeSurrogateEscape(s));
  }

  protected override emitPieces(pieces: OutputPiece[]): void {
    // Encoded piece by piece, not joined first (unless a subclass writes its own way).
    if (this.write === BytesGenerator.prototype.write && this.emit === BytesGenerator.prototype.emit) {
      (this.outfp as BytesSink).write(encodeSurrogateEscapeAll(pieces));
    } else super.emitPieces(pieces);
  }

  /** Python's `_write_lines`, encoded right away when the line end is `\n` (the usual case): see `encodeLinesLf`. */
  protected override writeLines(lines: string): void {
    if (lines && this.NL === "\n") this.buf.push(encodeLinesLf(lines));
    else super.writeLines(lines);
  }

  protected override writeHeaders(msg: Message): void {
    const policy = this.policy! as Policy & { foldEscaped?: (name: string, value: unknown) => string };
    for (const [h, v] of msg.rawItems()) {
      this.buf.push(
        verifiedHeader(
          policy,
          policy.foldEscaped ? policy.foldEscaped(h, v) : decodeSurrogateEscape(policy.foldBinary(h, v)),
        ),
      );
    }
    this.buf.push(this.NL);
  }

  protected override handleText(msg: Message): void {
    const payload = msg._payload;
    if (payload === null) return;
    if (typeof payload === "string" && this.policy!.cteType !== "7bit") {
      // Escaped bytes or not, the payload goes out as it is (Python's two
      // branches write the same text; only the escaped one keeps the mangling).
      if (this.mangleFrom && payload.includes("From ")) {
        const mangled = mangleFrom(payload);
        if (hasSurrogates(payload)) msg._payload = mangled;
        this.writeLines(mangled);
      } else this.writeLines(payload);
    } else super.handleText(msg);
  }

  protected override writeBody(msg: Message): void {
    this.handleText(msg);
  }

  protected override encodeText(s: string): string {
    // Python's s.encode('ascii'): escaped bytes are an error here.
    if (hasSurrogates(s)) encodeSurrogateEscape(s.replace(/[\udc80-\udcff]/g, "\u0100"));
    return s;
  }
}

const DEFAULT_FMT = "[Non-text (%(type)s) part of message omitted, filename %(filename)s]";

/**
 * Python's `email.generator.DecodedGenerator`: each text part's payload
 * (decoded from its charset), and for each other non-multipart part a line
 * from `fmt`, whose `%(type)s`, `%(maintype)s`, `%(subtype)s`,
 * `%(filename)s`, `%(description)s` and `%(encoding)s` are filled in.
 */
export class DecodedGenerator extends Generator {
  readonly #fmt: string;

  /**
   * @param outfp where the text goes
   * @param mangleFrom as `Generator`'s
   * @param maxheaderlen as `Generator`'s
   * @param fmt the line for a non-text part
   * @param options the policy
   */
  constructor(
    outfp: TextSink,
    mangleFrom: boolean | null = null,
    maxheaderlen: number | null = null,
    fmt: string | null = null,
    options: GeneratorOptions = {},
  ) {
    super(outfp, mangleFrom, maxheaderlen, options);
    this.#fmt = fmt ?? DEFAULT_FMT;
  }

  protected override dispatch(msg: Message): void {
    for (const part of msg.walk()) {
      const maintype = part.getContentMaintype();
      if (maintype === "text") this.buf.push(`${part.getPayload() as string}\n`);
      else if (maintype !== "multipart") {
        const fields: Record<string, string> = {
          type: part.getContentType(),
          maintype: part.getContentMaintype(),
          subtype: part.getContentSubtype(),
          filename: part.getFilename("[no filename]"),
          description: part.get("Content-Description", "[no description]"),
          encoding: part.get("Content-Transfer-Encoding", "[no encoding]"),
        };
        this.buf.push(`${this.#fmt.replace(/%\((\w+)\)s/g, (m, k: string) => fields[k] ?? m)}\n`);
      }
    }
  }
}
