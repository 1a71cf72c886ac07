/**
 * `netkit/email`: Python's `email` package, the top level: parse a message
 * from text or bytes, and the classes every program uses. The submodules
 * mirror Python's: `netkit/email/message`, `.../parser`, `.../feedparser`,
 * `.../generator`, `.../policy`, `.../header`, `.../charset`, `.../utils`,
 * `.../base64mime`, `.../quoprimime`, `.../encoders`, `.../errors`,
 * `.../iterators`, and the MIME classes under `netkit/email/mime/...`.
 *
 * ```ts
 * import { messageFromBytes } from "netkit/email";
 * const msg = messageFromBytes(Buffer.from("Subject: hi\r\n\r\nHello\r\n"));
 * msg.get("subject"); // "hi"
 * ```
 *
 * Parsing and generating are pure (no I/O). Where netkit differs from
 * Python: parts nest at most `MAX_NESTING_DEPTH` (100) deep, and
 * `Message.get()` returns text where Python's compat32 returns a `Header`
 * for 8-bit values (see `netkit/email/message`).
 *
 * @module
 */
import type { Policy } from "./_policybase.js";
import type { MessageFactory } from "./feedparser.js";
import type { Message } from "./message.js";
import { BytesParser, Parser } from "./parser.js";

export { Compat32, compat32, type HeaderValue, Policy, type PolicyOptions } from "./_policybase.js";
export { Charset } from "./charset.js";
export { ContentManager, rawDataManager } from "./contentmanager.js";
export * from "./errors.js";
export {
  BytesFeedParser,
  FeedParser,
  MAX_NESTING_DEPTH,
  type MessageFactory,
  type ParserOptions,
} from "./feedparser.js";
export { BytesGenerator, DecodedGenerator, Generator } from "./generator.js";
export { decodeHeader, Header, makeHeader } from "./header.js";
export { Message, type Payload } from "./message.js";
export { type ContentOptions, EmailMessage, MIMEPart } from "./mimepart.js";
export { BytesHeaderParser, BytesParser, HeaderParser, Parser } from "./parser.js";

/** Options of the `messageFrom*` functions. */
export interface MessageFromOptions {
  /** The message class. @default the policy's `messageFactory`, else `Message` */
  factory?: MessageFactory | null;
  /** The policy. @default compat32 */
  policy?: Policy;
}

/**
 * Python's `email.message_from_string`: parses a message from text.
 * @param text the message
 * @param options message class and policy
 * @returns the root message (defects recorded on the parts)
 */
export function messageFromString(text: string, options: MessageFromOptions = {}): Message {
  return new Parser(options.factory ?? null, options.policy ? { policy: options.policy } : {}).parsestr(text);
}

/**
 * Python's `email.message_from_bytes`: parses a message from bytes; 8-bit
 * bytes are kept, so `asBytes()` writes them back unchanged.
 * @param bytes the message
 * @param options message class and policy
 * @returns the root message
 */
export function messageFromBytes(bytes: Uint8Array, options: MessageFromOptions = {}): Message {
  return new BytesParser(
    options.factory ?? null,
    options.policy ? { policy: options.policy } : {},
  ).parsebytes(bytes);
}
