/**
 * Python's `email.mime.image`: `MIMEImage`, with the image type found from
 * the bytes as Python 3.11 finds it (its own rules, formerly `imghdr`).
 *
 * @module
 */

import { asBuffer } from "../../_buffer.js";
import { withCode } from "../../errors/index.js";
import { encodeBase64 } from "../encoders.js";
import type { Message } from "../message.js";
import type { MIMEOptions } from "./base.js";
import { MIMENonMultipart } from "./nonmultipart.js";

const starts = (h: Buffer, s: string | number[], at = 0) => {
  const b = typeof s === "string" ? Buffer.from(s, "latin1") : Buffer.from(s);
  return h.length >= at + b.length && h.subarray(at, at + b.length).equals(b);
};
const pnm = (h: Buffer, kinds: string) =>
  h.length >= 3 &&
  h[0] === 0x50 &&
  kinds.includes(String.fromCharCode(h[1]!)) &&
  " \t\n\r".includes(String.fromCharCode(h[2]!));

/** Python's `_what`: the image subtype the bytes start with, or `null`. */
export function whatImage(data: Uint8Array): string | null {
  const h = asBuffer(data);
  if (starts(h, "JFIF", 6) || starts(h, "Exif", 6) || starts(h, [0xff, 0xd8, 0xff, 0xdb])) return "jpeg";
  if (starts(h, "\x89PNG\r\n\x1a\n")) return "png";
  if (starts(h, "GIF87a") || starts(h, "GIF89a")) return "gif";
  if (starts(h, "MM") || starts(h, "II")) return "tiff";
  if (starts(h, [0x01, 0xda])) return "rgb";
  if (pnm(h, "14")) return "pbm";
  if (pnm(h, "25")) return "pgm";
  if (pnm(h, "36")) return "ppm";
  if (starts(h, [0x59, 0xa6, 0x6a, 0x95])) return "rast";
  if (starts(h, "#define ")) return "xbm";
  if (starts(h, "BM")) return "bmp";
  if (starts(h, "RIFF") && starts(h, "WEBP", 8)) return "webp";
  if (starts(h, [0x76, 0x2f, 0x31, 0x01])) return "exr";
  return null;
}

/**
 * Python's `email.mime.image.MIMEImage`: an `image/<subtype>` part, the
 * subtype found from the bytes when not given, encoded by `encoder` (base64).
 */
export class MIMEImage extends MIMENonMultipart {
  /**
   * @param imagedata the image's bytes
   * @param subtype the subtype (default: found from the bytes)
   * @param encoder sets the transfer encoding
   * @param options the policy and Content-Type parameters
   * @throws {TypeError} when the subtype is not given and cannot be found
   */
  constructor(
    imagedata: Uint8Array,
    subtype: string | null = null,
    encoder: (msg: Message) => void = encodeBase64,
    options: MIMEOptions = {},
  ) {
    const type = subtype ?? whatImage(imagedata);
    if (type === null)
      throw withCode(new TypeError("Could not guess image MIME subtype"), "ERR_INVALID_ARG_TYPE");
    super("image", type, options);
    this.setPayload(imagedata);
    encoder(this);
  }
}
