/**
 * Python's `email.mime.message`: `MIMEMessage`.
 *
 * @module
 */
import { withCode } from "../../errors/index.js";
import type { Policy } from "../_policybase.js";
import { Message } from "../message.js";
import { MIMENonMultipart } from "./nonmultipart.js";

/** Python's `email.mime.message.MIMEMessage`: a `message/<subtype>` part enclosing a message. */
export class MIMEMessage extends MIMENonMultipart {
  /**
   * @param msg the enclosed message
   * @param subtype the subtype
   * @param options the policy
   * @throws {TypeError} when `msg` is not a `Message`
   */
  constructor(msg: Message, subtype = "rfc822", options: { policy?: Policy | null } = {}) {
    super("message", subtype, { policy: options.policy ?? null });
    if (!(msg instanceof Message))
      throw withCode(new TypeError("Argument is not an instance of Message"), "ERR_INVALID_ARG_TYPE");
    Message.prototype.attach.call(this, msg);
    this.setDefaultType("message/rfc822");
  }
}
