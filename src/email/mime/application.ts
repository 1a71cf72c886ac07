/**
 * Python's `email.mime.application`: `MIMEApplication`.
 *
 * @module
 */
import { encodeBase64 } from "../encoders.js";
import type { Message } from "../message.js";
import type { MIMEOptions } from "./base.js";
import { MIMENonMultipart } from "./nonmultipart.js";

/**
 * Python's `email.mime.application.MIMEApplication`: an
 * `application/<subtype>` part holding `data`, encoded by `encoder`
 * (base64 by default).
 */
export class MIMEApplication extends MIMENonMultipart {
  /**
   * @param data the bytes
   * @param subtype the subtype
   * @param encoder sets the transfer encoding (`encoders.encodeBase64`, ...)
   * @param options the policy and Content-Type parameters
   */
  constructor(
    data: Uint8Array | string,
    subtype = "octet-stream",
    encoder: (msg: Message) => void = encodeBase64,
    options: MIMEOptions = {},
  ) {
    super("application", subtype, options);
    this.setPayload(data);
    encoder(this);
  }
}
