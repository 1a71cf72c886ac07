/**
 * Python's `email.mime.multipart`: `MIMEMultipart`.
 *
 * @module
 */
import type { Message } from "../message.js";
import { MIMEBase, type MIMEOptions } from "./base.js";

/**
 * Python's `email.mime.multipart.MIMEMultipart`: a `multipart/<subtype>`
 * message, with its parts (`attach` more) and, optionally, its boundary
 * (the generator makes one up when it has none).
 */
export class MIMEMultipart extends MIMEBase {
  /**
   * @param subtype the subtype (`mixed`, `alternative`, `related`, ...)
   * @param boundary the boundary, or `null` to let the generator choose
   * @param subparts the first parts
   * @param options the policy and Content-Type parameters
   */
  constructor(
    subtype = "mixed",
    boundary: string | null = null,
    subparts: Iterable<Message> | null = null,
    options: MIMEOptions = {},
  ) {
    super("multipart", subtype, options);
    this._payload = [];
    if (subparts) for (const p of subparts) this.attach(p);
    if (boundary) this.setBoundary(boundary);
  }
}
