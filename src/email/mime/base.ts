/**
 * Python's `email.mime.base`: `MIMEBase`, the base of the MIME classes: a
 * `Message` with a Content-Type and MIME-Version set.
 *
 * @module
 */
import { compat32, type Policy } from "../_policybase.js";
import { Message } from "../message.js";
import type { ParamValue } from "../utils.js";

/** Options of the MIME classes: Python's `policy=` and `**_params` keywords. */
export interface MIMEOptions {
  /** The policy. @default compat32 */
  policy?: Policy | null;
  /** Content-Type parameters (`_` in a name becomes `-`; `null` writes the bare name). */
  params?: Record<string, ParamValue | null>;
}

/**
 * Python's `email.mime.base.MIMEBase`: a message of type
 * `maintype/subtype` with the given Content-Type parameters and
 * `MIME-Version: 1.0`.
 */
export class MIMEBase extends Message {
  /**
   * @param maintype the main type (`image`)
   * @param subtype the subtype (`png`)
   * @param options the policy and the Content-Type parameters
   */
  constructor(maintype: string, subtype: string, options: MIMEOptions = {}) {
    super(options.policy ?? compat32);
    this.addHeader("Content-Type", `${maintype}/${subtype}`, options.params ?? {});
    this.set("MIME-Version", "1.0");
  }
}
