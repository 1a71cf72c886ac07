/**
 * Python's `email.mime.audio`: `MIMEAudio`, with the audio type found from
 * the bytes as Python 3.11 finds it (AIFF, AU, WAV).
 *
 * @module
 */
import { withCode } from "../../errors/index.js";
import { encodeBase64 } from "../encoders.js";
import type { Message } from "../message.js";
import type { MIMEOptions } from "./base.js";
import { MIMENonMultipart } from "./nonmultipart.js";

/** Python's `_what`: the audio subtype the bytes start with, or `null`. */
export function whatAudio(data: Uint8Array): string | null {
  const h = Buffer.from(data.buffer, data.byteOffset, Math.min(data.byteLength, 512)).toString("latin1");
  if (h.startsWith("FORM") && (h.slice(8, 12) === "AIFC" || h.slice(8, 12) === "AIFF")) return "x-aiff";
  if (h.startsWith(".snd")) return "basic";
  if (h.startsWith("RIFF") && h.slice(8, 12) === "WAVE" && h.slice(12, 16) === "fmt ") return "x-wav";
  return null;
}

/**
 * Python's `email.mime.audio.MIMEAudio`: an `audio/<subtype>` part, the
 * subtype found from the bytes when not given, encoded by `encoder` (base64).
 */
export class MIMEAudio extends MIMENonMultipart {
  /**
   * @param audiodata the sound's bytes
   * @param subtype the subtype (default: found from the bytes)
   * @param encoder sets the transfer encoding
   * @param options the policy and Content-Type parameters
   * @throws {TypeError} when the subtype is not given and cannot be found
   */
  constructor(
    audiodata: Uint8Array,
    subtype: string | null = null,
    encoder: (msg: Message) => void = encodeBase64,
    options: MIMEOptions = {},
  ) {
    const type = subtype ?? whatAudio(audiodata);
    if (type === null)
      throw withCode(new TypeError("Could not find audio MIME subtype"), "ERR_INVALID_ARG_TYPE");
    super("audio", type, options);
    this.setPayload(audiodata);
    encoder(this);
  }
}
