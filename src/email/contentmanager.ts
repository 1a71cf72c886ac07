/**
 * Python's `email.contentmanager`: what `MIMEPart.getContent()` and
 * `setContent()` do, chosen by content type (get) or by the kind of object
 * given (set).
 *
 * ```text
 * getContent(msg)        "maintype/subtype" handler, else "maintype", else "" ─▶ value
 * setContent(msg, obj)   handler for obj's class (or a parent class) ─▶ msg.clearContent()
 *                        ─▶ handler(msg, obj, options): headers and payload
 * ```
 *
 * `rawDataManager` holds Python's handlers: text parts get and set as
 * strings (the transfer encoding picked as Python picks it), `audio`,
 * `image`, `video` and `application` parts get as bytes, bytes set with a
 * type of your choice, and `message/rfc822` / `message/external-body`
 * parts get and set as a `Message`.
 *
 * Where netkit differs: Python looks a set handler up by the object's class,
 * its module-qualified name, its qualified name and its name, along its MRO;
 * here by the class and its name along the prototype chain (a string is a
 * `String`, bytes are a `Uint8Array`). The `headers` option also takes
 * `[name, value]` pairs besides Python's `"Name: value"` lines and header
 * objects.
 *
 * @module
 */

import { asBuffer } from "../_buffer.js";
import { lookupCodec } from "../_codecs.js";
import { KeyError, ValueError, withCode } from "../errors/index.js";
import { b2aBase64, b2aQp, decodeSurrogateEscape, splitBytesLines } from "./_bytes.js";
import type { HeaderObject, Policy } from "./_policybase.js";
import { resolveAlias } from "./charset.js";
import { Message } from "./message.js";
import { bodyEncode } from "./quoprimime.js";
import { collapseRfc2231Value, type ParamValue } from "./utils.js";

/** A get handler: the content of `msg` in the form its type calls for. */
export type GetHandler = (msg: Message, options?: Record<string, unknown>) => unknown;
/** A set handler: makes `msg`'s headers and payload hold `obj`. */
export type SetHandler = (msg: Message, obj: unknown, options?: Record<string, unknown>) => void;
/** What a set handler is registered for: a class, a class name, or `null` (anything). */
export type SetHandlerKey = string | (abstract new (...args: never[]) => unknown) | null;

/**
 * Python's `ContentManager`: two handler tables, one keyed by content type
 * (get), one by the class of the object given (set).
 */
export class ContentManager {
  /** Python's `get_handlers`: `"maintype/subtype"`, `"maintype"` or `""` to handler. */
  readonly getHandlers = new Map<string, GetHandler>();
  /** Python's `set_handlers`: class, class name or `null` to handler. */
  readonly setHandlers = new Map<SetHandlerKey, SetHandler>();

  /** Python's `add_get_handler`: `key` is `"maintype/subtype"`, `"maintype"` or `""` (any type). */
  addGetHandler(key: string, handler: GetHandler): void {
    this.getHandlers.set(key, handler);
  }

  /**
   * Python's `get_content`: runs the handler for the part's full type, else
   * its main type, else the `""` handler.
   * @throws {KeyError} when no handler matches (the content type as the key)
   */
  getContent(msg: Message, options: Record<string, unknown> = {}): unknown {
    const contentType = msg.getContentType();
    const handler =
      this.getHandlers.get(contentType) ??
      this.getHandlers.get(msg.getContentMaintype()) ??
      this.getHandlers.get("");
    if (handler === undefined) throw new KeyError(contentType);
    return handler(msg, options);
  }

  /** Python's `add_set_handler`: `typekey` is a class, a class name, or `null` (any object). */
  addSetHandler(typekey: SetHandlerKey, handler: SetHandler): void {
    this.setHandlers.set(typekey, handler);
  }

  /**
   * Python's `set_content`: clears the part's content headers and payload,
   * then runs the handler for `obj`'s class.
   * @throws {TypeError} on a multipart part (`"set_content not valid on multipart"`)
   * @throws {KeyError} when no handler takes `obj` (its class name as the key)
   */
  setContent(msg: Message, obj: unknown, options: Record<string, unknown> = {}): void {
    if (msg.getContentMaintype() === "multipart")
      throw withCode(new TypeError("set_content not valid on multipart"), "ERR_INVALID_STATE");
    const handler = this.#findSetHandler(obj);
    clearContent(msg);
    handler(msg, obj, options);
  }

  /** Python's `_find_set_handler`: along the prototype chain, the class, then its name; then `null`'s. */
  #findSetHandler(obj: unknown): SetHandler {
    let firstName: string | null = null;
    let proto: unknown = obj === null || obj === undefined ? null : Object.getPrototypeOf(Object(obj));
    while (proto !== null) {
      const ctor = (proto as { constructor?: unknown }).constructor;
      if (typeof ctor === "function") {
        const byClass = this.setHandlers.get(ctor as SetHandlerKey);
        if (byClass) return byClass;
        const name = (ctor as { name: string }).name;
        firstName ??= name;
        const byName = this.setHandlers.get(name);
        if (byName) return byName;
      }
      proto = Object.getPrototypeOf(proto);
    }
    const fallback = this.setHandlers.get(null);
    if (fallback) return fallback;
    throw new KeyError(firstName ?? String(obj));
  }
}

/** Python's `MIMEPart.clear_content`: drops the `Content-*` headers and the payload. */
export function clearContent(msg: Message): void {
  msg._headers = msg._headers.filter(([n]) => !n.toLowerCase().startsWith("content-"));
  msg._payload = null;
}

/** Options every set handler of `rawDataManager` takes. */
export interface SetContentOptions {
  /** The Content-Transfer-Encoding; the text handler picks one when `null`. */
  cte?: string | null;
  /** Content-Disposition (`"inline"`, `"attachment"`); `"attachment"` when only `filename` is given. */
  disposition?: string | null;
  /** The Content-Disposition `filename` parameter (RFC 2231 when not ASCII). */
  filename?: string | null;
  /** The Content-ID header. */
  cid?: string | null;
  /** More Content-Type parameters, set in order. */
  params?: Record<string, ParamValue> | null;
  /** More headers: `"Name: value"` lines, `[name, value]` pairs or header objects. */
  headers?: readonly (string | readonly [string, string] | HeaderObject)[] | null;
}

/** Options of the text set handler (Python's `set_text_content`). */
export interface SetTextOptions extends SetContentOptions {
  /** The text subtype. @default "plain" */
  subtype?: string;
  /** The charset the text is encoded in. @default "utf-8" */
  charset?: string;
}

/** Options of the bytes set handler (Python's `set_bytes_content`): the type is required. */
export interface SetBytesOptions extends SetContentOptions {
  /** The main type (`"image"`, `"application"`, ...). */
  maintype: string;
  /** The subtype (`"png"`, `"octet-stream"`, ...). */
  subtype: string;
}

/** Options of the message set handler (Python's `set_message_content`). */
export interface SetMessageOptions extends SetContentOptions {
  /** `"rfc822"`, `"external-body"` or another `message/` subtype. @default "rfc822" */
  subtype?: string;
}

/**
 * Python's `get_text_content`: the decoded payload as text in its charset (ASCII when none).
 * @throws {TypeError} when the part has no payload (Python's AttributeError on `None.decode`)
 */
function getTextContent(msg: Message, options: Record<string, unknown> = {}): string {
  const content = msg.getPayload({ decode: true });
  if (content === null)
    throw withCode(new TypeError("Cannot get the text of a part with no payload"), "ERR_INVALID_STATE");
  // An RFC 2231 charset (charset*=...) is its text, as the default policy's header object gives it.
  const charset = collapseRfc2231Value(msg.getParam("charset", "ASCII"));
  const errors = typeof options.errors === "string" ? options.errors : "replace";
  return lookupCodec(charset).decode(content, errors);
}

/** Python's `get_non_text_content`: the decoded payload bytes. */
function getNonTextContent(msg: Message): Buffer | null {
  return msg.getPayload({ decode: true });
}

/** Python's `get_message_content`: the enclosed message. */
function getMessageContent(msg: Message): Message {
  return msg.getPayload(0);
}

/** Python's `get_and_fixup_unknown_message_content`: another `message/` subtype as bytes (RFC 2046 §5.2.4). */
function getUnknownMessageContent(msg: Message): Buffer {
  return msg.getPayload(0).asBytes();
}

/** What a modern policy's `headerFactory.create` returns: a header object with its defects. */
interface FactoryHeader extends HeaderObject {
  readonly defects: readonly unknown[];
  fold(options: { policy: never }): string;
}

/**
 * Python's `_prepare_set`: the Content-Type, then the extra headers. With a
 * policy that has a `headerFactory` (the modern ones), each header is made
 * into a header object first, and one with defects is refused.
 * @throws {ValueError} for a header with no colon, or one whose value has defects (`"Invalid header: ..."`)
 */
function prepareSet(
  msg: Message,
  maintype: string,
  subtype: string,
  headers: SetContentOptions["headers"],
): void {
  msg.set("Content-Type", `${maintype}/${subtype}`);
  if (!headers) return;
  const factory = (msg.policy as { headerFactory?: { create(name: string, value: unknown): unknown } })
    .headerFactory;
  for (const header of headers) {
    let name: string;
    let value: unknown;
    if (typeof header === "string") {
      if (!header.includes(":")) throw new ValueError(`Cannot set header "${header}": it has no colon`);
      [name, value] = msg.policy.headerSourceParse([header]);
    } else if (Array.isArray(header)) [name, value] = header as [string, string];
    else [name, value] = [(header as HeaderObject).name, header];
    if (factory && typeof value === "string") {
      const h = factory.create(name, value) as FactoryHeader;
      if (h.defects.length > 0)
        throw new ValueError(`Invalid header: ${h.fold({ policy: msg.policy as never })}`, {
          cause: h.defects[0],
        });
      msg.set(h.name, h);
    } else msg.set(name, value);
  }
}

/** Python's `_finalize_set`: disposition, filename, Content-ID and parameters. */
function finalizeSet(msg: Message, o: SetContentOptions): void {
  let disposition = o.disposition ?? null;
  const filename = o.filename ?? null;
  if (disposition === null && filename !== null) disposition = "attachment";
  if (disposition !== null) msg.set("Content-Disposition", disposition);
  if (filename !== null) msg.setParam("filename", filename, { header: "Content-Disposition", replace: true });
  if (o.cid != null) msg.set("Content-ID", o.cid);
  if (o.params != null) for (const [k, v] of Object.entries(o.params)) msg.setParam(k, v);
}

/**
 * Python's `contentmanager._encode_base64`: base64 lines of whole groups of
 * four characters, at most `maxLineLength` long (a fixed
 * `base64mime.body_encode`).
 */
export function encodeBase64(data: Uint8Array, maxLineLength: number): string {
  const perLine = Math.floor(maxLineLength / 4) * 3;
  if (perLine <= 0) throw new ValueError(`Cannot encode base64 in lines of ${maxLineLength}: too short`);
  // Whole groups of three bytes per line: the lines of one base64 text cut every `perLine / 3 * 4` characters.
  const text = asBuffer(data).toString("base64");
  const lineLen = (perLine / 3) * 4;
  let out = "";
  for (let i = 0; i < text.length; i += lineLen) out += `${text.slice(i, i + lineLen)}\n`;
  return out;
}

const LF = Buffer.from("\n");

/** `sep.join(lines) + sep` (so no lines is one line end, as in Python). */
function joinLines(lines: Buffer[], sep: Buffer): Buffer {
  const parts: Buffer[] = [];
  lines.forEach((line, i) => {
    if (i > 0) parts.push(sep);
    parts.push(line);
  });
  parts.push(sep);
  return Buffer.concat(parts);
}

/** Bytes as ASCII text, or `null` when a byte is not ASCII. */
function asciiOrNull(bytes: Buffer): string | null {
  for (const b of bytes) if (b > 0x7f) return null;
  return bytes.toString("latin1");
}

/** The line length limit of a policy (`null` or 0: none). */
function maxLength(policy: Policy): number {
  return policy.maxLineLength ? policy.maxLineLength : Number.POSITIVE_INFINITY;
}

/**
 * Python's `_encode_text`: the text encoded in `charset`, its lines ended
 * with `\n`, and the transfer encoding: the one asked for, else `7bit` or
 * `8bit` when every line fits the policy's line length, else the shorter of
 * quoted-printable and base64 over the first ten lines.
 * @returns `[cte, payload]`
 * @throws {UnicodeEncodeError} when the text does not encode in `charset`
 * @throws {ValueError} for an unknown `cte`
 */
export function encodeText(
  text: string,
  charset: string,
  cte: string | null,
  policy: Policy,
): [string, string] {
  const lines = splitBytesLines(lookupCodec(charset).encode(text, "strict"));
  const linesep = Buffer.from(policy.linesep, "latin1");
  const max = maxLength(policy);
  let chosen = cte;
  if (chosen === null) {
    if (lines.every((l) => l.length <= max)) {
      const body = joinLines(lines, LF);
      const ascii = asciiOrNull(body);
      if (ascii !== null) return ["7bit", ascii];
      if (policy.cteType === "8bit") return ["8bit", decodeSurrogateEscape(body)];
    }
    const sniff = joinLines(lines.slice(0, 10), linesep);
    const sniffQp = bodyEncode(sniff.toString("latin1"), policy.maxLineLength || 76);
    const sniffBase64 = b2aBase64(sniff);
    // As Python: a little unfair to quoted-printable, whose count has the line ends.
    if (sniffQp.length > sniffBase64.length) chosen = "base64";
    else {
      chosen = "quoted-printable";
      if (lines.length <= 10) return [chosen, sniffQp];
    }
  }
  switch (chosen) {
    case "7bit": {
      const body = joinLines(lines, LF);
      return [chosen, lookupCodec("ascii").decode(body, "strict")];
    }
    case "8bit":
      return [chosen, decodeSurrogateEscape(joinLines(lines, LF))];
    case "quoted-printable":
      return [chosen, bodyEncode(joinLines(lines, LF).toString("latin1"), policy.maxLineLength || 76)];
    case "base64":
      return [chosen, encodeBase64(joinLines(lines, linesep), policy.maxLineLength || 76)];
    default:
      throw new ValueError(`Unknown content transfer encoding ${chosen}`);
  }
}

/** Python's `set_text_content`: a `text/SUBTYPE` part holding `text` in `charset`. */
function setTextContent(msg: Message, text: unknown, options: Record<string, unknown> = {}): void {
  const o = options as SetTextOptions;
  const charset = o.charset ?? "utf-8";
  prepareSet(msg, "text", o.subtype ?? "plain", o.headers);
  const [cte, payload] = encodeText(text as string, charset, o.cte ?? null, msg.policy);
  msg.setPayload(payload);
  msg.setParam("charset", resolveAlias(charset), { replace: true });
  msg.set("Content-Transfer-Encoding", cte);
  finalizeSet(msg, o);
}

/** Python's `set_message_content`: a `message/SUBTYPE` part enclosing `message`. */
function setMessageContent(msg: Message, message: unknown, options: Record<string, unknown> = {}): void {
  const o = options as SetMessageOptions;
  const subtype = o.subtype ?? "rfc822";
  let cte = o.cte ?? null;
  if (subtype === "partial") throw new ValueError("message/partial is not supported for Message objects");
  if (subtype === "rfc822") {
    // RFC 2046 §5.2.1: 7bit, 8bit or binary only.
    if (cte !== null && cte !== "7bit" && cte !== "8bit" && cte !== "binary")
      throw new ValueError(`message/rfc822 parts do not support cte=${cte}`);
    cte ??= "8bit";
  } else if (subtype === "external-body") {
    // RFC 2046 §5.2.3: 7bit only.
    if (cte !== null && cte !== "7bit")
      throw new ValueError(`message/external-body parts do not support cte=${cte}`);
    cte = "7bit";
  } else cte ??= "7bit"; // RFC 2046 §5.2.4: future subtypes are 7bit.
  prepareSet(msg, "message", subtype, o.headers);
  msg.setPayload([message as Message]);
  msg.set("Content-Transfer-Encoding", cte);
  finalizeSet(msg, o);
}

/** Python's `set_bytes_content`: a `maintype/subtype` part holding `data`, base64 unless told otherwise. */
function setBytesContent(msg: Message, data: unknown, options: Record<string, unknown> = {}): void {
  const o = options as Partial<SetBytesOptions>;
  if (typeof o.maintype !== "string" || typeof o.subtype !== "string")
    throw withCode(
      new TypeError("Cannot set bytes content without a type: maintype and subtype are required"),
      "ERR_MISSING_ARGS",
    );
  const bytes = Buffer.from(data as Uint8Array);
  const cte = o.cte ?? "base64";
  prepareSet(msg, o.maintype, o.subtype, o.headers);
  let payload: string;
  if (cte === "base64") payload = encodeBase64(bytes, msg.policy.maxLineLength || 76);
  else if (cte === "quoted-printable") {
    // As Python: binascii's encoder with line ends as data, so the line length is not kept.
    payload = b2aQp(bytes, true, false, false).toString("latin1");
  } else if (cte === "7bit") payload = lookupCodec("ascii").decode(bytes, "strict");
  else payload = decodeSurrogateEscape(bytes);
  msg.setPayload(payload);
  msg.set("Content-Transfer-Encoding", cte);
  finalizeSet(msg, o);
}

/** Python's `raw_data_manager`: the content manager of the `default` policy. */
export const rawDataManager = new ContentManager();
rawDataManager.addGetHandler("text", getTextContent as GetHandler);
for (const maintype of ["audio", "image", "video", "application"]) {
  rawDataManager.addGetHandler(maintype, getNonTextContent);
}
for (const subtype of ["rfc822", "external-body"]) {
  rawDataManager.addGetHandler(`message/${subtype}`, getMessageContent);
}
rawDataManager.addGetHandler("message", getUnknownMessageContent);
rawDataManager.addSetHandler(String, setTextContent);
rawDataManager.addSetHandler(Message, setMessageContent);
rawDataManager.addSetHandler(Uint8Array, setBytesContent);
