/**
 * Python's `email.message.MIMEPart` and `EmailMessage`: the modern message
 * API over `Message` (find the body, walk the attachments, get and set
 * content through a content manager, turn a part into a multipart).
 *
 * ```text
 * Message                    compat32: email 5.1's API (netkit/email/message)
 *  └── MIMEPart              getBody, iterAttachments, iterParts, getContent, setContent,
 *       │                    makeMixed/Alternative/Related, addAttachment/Alternative/Related
 *       └── EmailMessage     adds MIME-Version when content is set
 * ```
 *
 * `makeX()` moves the part's `Content-*` headers and payload into a first
 * subpart and makes the part `multipart/X`; the order mixed > alternative >
 * related may only go outwards (a `multipart/mixed` cannot become
 * `related`). `addX()` makes the part `multipart/X` first when it is not.
 *
 * Python's classes live in `email.message`; here they are in
 * `netkit/email/mimepart` (and `netkit/email`), because `netkit/email/message`
 * is imported by what they import.
 *
 * The default policy is `defaultPolicy` (Python's `email.policy.default`),
 * whose `contentManager` is `rawDataManager`. Under a policy without one
 * (compat32, where Python raises `AttributeError`) `rawDataManager` serves.
 *
 * @module
 */
import { ValueError } from "../errors/index.js";
import type { Policy } from "./_policybase.js";
import { type ContentManager, clearContent, rawDataManager } from "./contentmanager.js";
import { type AsStringOptions, Message } from "./message.js";
import { defaultPolicy } from "./policy.js";

/** Options of `getContent` / `setContent`: the manager, and what its handler takes. */
export interface ContentOptions extends Record<string, unknown> {
  /** The content manager. @default the policy's `contentManager`, else `rawDataManager` */
  contentManager?: ContentManager | null;
}

/** The subtypes a part may not be turned into, per `makeX`. */
type MultipartSubtype = "related" | "alternative" | "mixed";

/** The policy's content manager (`EmailPolicy.contentManager`), else `rawDataManager`. */
function managerOf(policy: Policy, given: ContentManager | null | undefined): ContentManager {
  if (given) return given;
  const own = (policy as { contentManager?: ContentManager | null }).contentManager;
  return own ?? rawDataManager;
}

const BODY_TYPES = new Set(["text/plain", "text/html", "multipart/related", "multipart/alternative"]);

/**
 * Python's `email.message.MIMEPart`: a `Message` with the modern API. Its
 * default policy is `defaultPolicy` (Python's `default`).
 */
export class MIMEPart extends Message {
  /** @param policy the policy (default `defaultPolicy`, Python's `default`) */
  constructor(policy: Policy = defaultPolicy) {
    super(policy);
  }

  /**
   * Python's `as_string`: as `Message.asString`, but headers are folded at
   * the policy's `maxLineLength` unless `maxheaderlen` says otherwise.
   */
  override asString(options: AsStringOptions = {}): string {
    const policy = options.policy ?? this.policy;
    return super.asString({
      ...options,
      policy,
      maxheaderlen: options.maxheaderlen ?? policy.maxLineLength,
    });
  }

  /** Python's `__str__`: `asString()` with the policy's `utf8` set, when the policy has it. */
  override toString(): string {
    const policy = "utf8" in this.policy ? this.policy.clone({ utf8: true }) : this.policy;
    return this.asString({ policy });
  }

  /** Python's `is_attachment`: Content-Disposition is `attachment` (any case). */
  isAttachment(): boolean {
    return this.getContentDisposition() === "attachment";
  }

  /** Python's `_find_body`: `[priority, part]` candidates, depth first. */
  *#findBody(part: MIMEPart, preferencelist: readonly string[]): Generator<[number, MIMEPart]> {
    if (part.isAttachment()) return;
    const [maintype, subtype] = part.getContentType().split("/") as [string, string];
    if (maintype === "text") {
      const prio = preferencelist.indexOf(subtype);
      if (prio >= 0) yield [prio, part];
      return;
    }
    // As Python: `self.is_multipart()`, the root's, not the part's.
    if (maintype !== "multipart" || !this.isMultipart()) return;
    if (subtype !== "related") {
      for (const sub of part.iterParts()) yield* this.#findBody(sub, preferencelist);
      return;
    }
    const related = preferencelist.indexOf("related");
    if (related >= 0) yield [related, part];
    let candidate: MIMEPart | null = null;
    const start = part.getParam("start");
    if (start) {
      for (const sub of part.iterParts()) {
        if (sub.get("content-id") === start) {
          candidate = sub;
          break;
        }
      }
    }
    if (candidate === null) {
      const subparts = part.getPayload();
      candidate = Array.isArray(subparts) && subparts.length > 0 ? (subparts[0] as MIMEPart) : null;
    }
    if (candidate !== null) yield* this.#findBody(candidate, preferencelist);
  }

  /**
   * Python's `get_body`: the part best shown as the body: depth first, the
   * first part matching the earliest entry of `preferencelist` (`"related"`,
   * `"html"`, `"plain"`), attachments skipped.
   * @param preferencelist subtypes in order of preference
   * @returns the part, or `null`
   */
  getBody(preferencelist: readonly string[] = ["related", "html", "plain"]): MIMEPart | null {
    let best = preferencelist.length;
    let body: MIMEPart | null = null;
    for (const [prio, part] of this.#findBody(this, preferencelist)) {
      if (prio < best) {
        best = prio;
        body = part;
        if (prio === 0) break;
      }
    }
    return body;
  }

  /**
   * Python's `iter_attachments`: the parts of a multipart that are not its
   * body: all but the root of a `multipart/related`; else all but the first
   * `text/plain`, `text/html`, `multipart/related` and `multipart/alternative`
   * that is not an attachment. Nothing for `multipart/alternative` or a leaf.
   */
  *iterAttachments(): Generator<MIMEPart, void, undefined> {
    const [maintype, subtype] = this.getContentType().split("/") as [string, string];
    if (maintype !== "multipart" || subtype === "alternative") return;
    const payload = this.getPayload();
    // A `multipart/*` with a text body (malformed) has no parts.
    if (!Array.isArray(payload)) return;
    const parts = [...payload] as MIMEPart[];
    if (subtype === "related") {
      // The root is `start` when it names a part, else the first part.
      const start = this.getParam("start");
      if (start) {
        let found = false;
        const attachments: MIMEPart[] = [];
        for (const part of parts) {
          if (part.get("content-id") === start) found = true;
          else attachments.push(part);
        }
        if (found) {
          yield* attachments;
          return;
        }
      }
      parts.shift();
      yield* parts;
      return;
    }
    const seen: string[] = [];
    for (const part of parts) {
      const [, sub] = part.getContentType().split("/") as [string, string];
      if (BODY_TYPES.has(part.getContentType()) && !part.isAttachment() && !seen.includes(sub)) {
        seen.push(sub);
        continue;
      }
      yield part;
    }
  }

  /** Python's `iter_parts`: the immediate subparts of a multipart; nothing for a leaf. */
  *iterParts(): Generator<MIMEPart, void, undefined> {
    if (Array.isArray(this._payload)) yield* this._payload as MIMEPart[];
  }

  /**
   * Python's `get_content`: the content through the content manager (text
   * for `text/*`, bytes for `image/*` and the like, the message for
   * `message/rfc822`).
   * @param options `contentManager`, and the handler's options (`errors` for text)
   * @throws {KeyError} when the manager has no handler for the type
   */
  getContent(options: ContentOptions = {}): unknown {
    const { contentManager, ...rest } = options;
    return managerOf(this.policy, contentManager).getContent(this, rest);
  }

  /**
   * Python's `set_content`: replaces the content (the `Content-*` headers
   * and the payload) with `obj` through the content manager: a string is
   * text (`subtype`, `charset`, `cte`), bytes need `maintype` and
   * `subtype`, a `Message` makes a `message/rfc822` part; each takes
   * `disposition`, `filename`, `cid`, `params` and `headers`.
   * @throws {TypeError} on a multipart part
   * @throws {KeyError} when the manager has no handler for `obj`
   */
  setContent(obj: unknown, options: ContentOptions = {}): void {
    const { contentManager, ...rest } = options;
    managerOf(this.policy, contentManager).setContent(this, obj, rest);
  }

  /** Python's `_make_multipart`. */
  #makeMultipart(subtype: MultipartSubtype, disallowed: readonly string[], boundary: string | null): void {
    if (this.getContentMaintype() === "multipart") {
      const existing = this.getContentSubtype();
      if (existing === subtype || disallowed.includes(existing))
        throw new ValueError(`Cannot convert ${existing} to ${subtype}`);
    }
    const keep: typeof this._headers = [];
    const partHeaders: typeof this._headers = [];
    for (const h of this._headers) (h[0].toLowerCase().startsWith("content-") ? partHeaders : keep).push(h);
    if (partHeaders.length > 0) {
      // There is content: it moves to the first subpart.
      const part = new (this.constructor as typeof MIMEPart)(this.policy);
      part._headers = partHeaders;
      part._payload = this._payload;
      this._payload = [part];
    } else this._payload = [];
    this._headers = keep;
    this.set("Content-Type", `multipart/${subtype}`);
    if (boundary !== null) this.setParam("boundary", boundary);
  }

  /**
   * Python's `make_related`: makes the part `multipart/related`, its content (if any) the first subpart.
   * @throws {ValueError} when it is already `multipart/related`, `alternative` or `mixed`
   */
  makeRelated(boundary: string | null = null): void {
    this.#makeMultipart("related", ["alternative", "mixed"], boundary);
  }

  /**
   * Python's `make_alternative`: as `makeRelated`, for `multipart/alternative`.
   * @throws {ValueError} when it is already `multipart/alternative` or `mixed`
   */
  makeAlternative(boundary: string | null = null): void {
    this.#makeMultipart("alternative", ["mixed"], boundary);
  }

  /**
   * Python's `make_mixed`: as `makeRelated`, for `multipart/mixed`.
   * @throws {ValueError} when it is already `multipart/mixed`
   */
  makeMixed(boundary: string | null = null): void {
    this.#makeMultipart("mixed", [], boundary);
  }

  /** Python's `_add_multipart`: a new part of this class with `obj` as content, attached. */
  #addMultipart(subtype: MultipartSubtype, obj: unknown, options: ContentOptions, disp: string | null): void {
    if (this.getContentMaintype() !== "multipart" || this.getContentSubtype() !== subtype) {
      if (subtype === "related") this.makeRelated();
      else if (subtype === "alternative") this.makeAlternative();
      else this.makeMixed();
    }
    const part = new (this.constructor as typeof MIMEPart)(this.policy);
    part.setContent(obj, options);
    if (disp !== null && !part.has("content-disposition")) part.set("Content-Disposition", disp);
    this.attach(part);
  }

  /** Python's `add_related`: `makeRelated()` when needed, then a part with `obj` (inline unless said otherwise). */
  addRelated(obj: unknown, options: ContentOptions = {}): void {
    this.#addMultipart("related", obj, options, "inline");
  }

  /** Python's `add_alternative`: `makeAlternative()` when needed, then a part with `obj`. */
  addAlternative(obj: unknown, options: ContentOptions = {}): void {
    this.#addMultipart("alternative", obj, options, null);
  }

  /** Python's `add_attachment`: `makeMixed()` when needed, then a part with `obj` (an attachment unless said otherwise). */
  addAttachment(obj: unknown, options: ContentOptions = {}): void {
    this.#addMultipart("mixed", obj, options, "attachment");
  }

  /** Python's `clear`: no headers, no payload. */
  clear(): void {
    this._headers = [];
    this._payload = null;
  }

  /** Python's `clear_content`: drops the `Content-*` headers and the payload. */
  clearContent(): void {
    clearContent(this);
  }
}

/** Python's `email.message.EmailMessage`: a `MIMEPart` that adds `MIME-Version: 1.0` when content is set. */
export class EmailMessage extends MIMEPart {
  /** Python's `set_content`, then `MIME-Version: 1.0` unless there is one. */
  override setContent(obj: unknown, options: ContentOptions = {}): void {
    super.setContent(obj, options);
    if (!this.has("MIME-Version")) this.set("MIME-Version", "1.0");
  }
}
