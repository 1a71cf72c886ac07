/**
 * Python's `email.mime.nonmultipart`: `MIMENonMultipart`, a MIME part that
 * is not a multipart.
 *
 * @module
 */
import { MultipartConversionError } from "../errors.js";
import type { Message } from "../message.js";
import { MIMEBase } from "./base.js";

/** Python's `MIMENonMultipart`: a `MIMEBase` that refuses `attach`. */
export class MIMENonMultipart extends MIMEBase {
  /**
   * Always throws: a non-multipart part has no subparts.
   * @throws {MultipartConversionError} always
   */
  override attach(_payload: Message): void {
    throw new MultipartConversionError("Cannot attach additional subparts to non-multipart/*");
  }
}
