/**
 * Python's `email.mime.text`: `MIMEText`.
 *
 * @module
 */
import { isAscii } from "../_bytes.js";
import type { Policy } from "../_policybase.js";
import type { Charset } from "../charset.js";
import { MIMENonMultipart } from "./nonmultipart.js";

/**
 * Python's `email.mime.text.MIMEText`: a `text/<subtype>` part. The charset
 * defaults to `us-ascii` for ASCII text and `utf-8` otherwise; the body is
 * encoded as the charset says (base64 for UTF-8, quoted-printable for the
 * ISO 8859 family, none for ASCII).
 */
export class MIMEText extends MIMENonMultipart {
  /**
   * @param text the text
   * @param subtype the subtype (`plain`, `html`)
   * @param charset the charset
   * @param options the policy
   * @throws {UnicodeEncodeError} when the text does not fit the charset
   */
  constructor(
    text: string,
    subtype = "plain",
    charset: string | Charset | null = null,
    options: { policy?: Policy | null } = {},
  ) {
    const cs = charset ?? (isAscii(text) ? "us-ascii" : "utf-8");
    super("text", subtype, { policy: options.policy ?? null, params: { charset: String(cs) } });
    this.setPayload(text, cs);
  }
}
