/**
 * Python's `email.encoders`: set a part's Content-Transfer-Encoding and
 * encode its payload to match (for the MIME classes, and `_encoder`
 * arguments).
 *
 * @module
 */
import { b2aQp, isAscii } from "./_bytes.js";
import type { Message } from "./message.js";

/** `base64.encodebytes`: base64 in lines of 76 characters, each ending in `\n`. */
function encodebytes(data: Buffer): string {
  const b64 = data.toString("base64");
  let out = "";
  for (let i = 0; i < b64.length; i += 76) out += `${b64.slice(i, i + 76)}\n`;
  return out;
}

/** Python's `_qencode`: `quopri.encodestring(data, quotetabs=True)` with spaces as `=20`. */
function qencode(data: Buffer): string {
  return b2aQp(data, true).toString("latin1").replaceAll(" ", "=20");
}

/** Python's `encode_base64`: the payload's bytes as base64, Content-Transfer-Encoding: base64. */
export function encodeBase64(msg: Message): void {
  const orig = msg.getPayload({ decode: true }) ?? Buffer.alloc(0);
  msg.setPayload(encodebytes(orig));
  msg.set("Content-Transfer-Encoding", "base64");
}

/** Python's `encode_quopri`: the payload's bytes as quoted-printable (tabs and spaces too). */
export function encodeQuopri(msg: Message): void {
  const orig = msg.getPayload({ decode: true }) ?? Buffer.alloc(0);
  msg.setPayload(qencode(orig));
  msg.set("Content-Transfer-Encoding", "quoted-printable");
}

/** Python's `encode_7or8bit`: Content-Transfer-Encoding 7bit or 8bit, as the payload is ASCII or not. */
export function encode7or8bit(msg: Message): void {
  const orig = msg.getPayload({ decode: true });
  if (orig === null) {
    msg.set("Content-Transfer-Encoding", "7bit");
    return;
  }
  msg.set("Content-Transfer-Encoding", isAscii(orig.toString("latin1")) ? "7bit" : "8bit");
}

/** Python's `encode_noop`: nothing. */
export function encodeNoop(_msg: Message): void {}
