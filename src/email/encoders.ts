/**
 * Python's `email.encoders`: set a part's Content-Transfer-Encoding and
 * encode its payload to match (for the MIME classes, and `_encoder`
 * arguments).
 *
 * @module
 */
import { isAscii } from "./_bytes.js";
import type { Message } from "./message.js";

/** `base64.encodebytes`: base64 in lines of 76 characters, each ending in `\n`. */
function encodebytes(data: Buffer): string {
  const b64 = data.toString("base64");
  let out = "";
  for (let i = 0; i < b64.length; i += 76) out += `${b64.slice(i, i + 76)}\n`;
  return out;
}

const SAFE_QP = /[!-<>-~]/;

/** `quopri.encodestring(data, quotetabs=True)` with spaces as `=20`: Python's `_qencode`. */
function qencode(data: Buffer): string {
  const hex = (c: number) => `=${c.toString(16).toUpperCase().padStart(2, "0")}`;
  const lines: string[] = [];
  let start = 0;
  const raw: [Buffer, boolean][] = [];
  for (let i = 0; i < data.length; i++) {
    if (data[i] === 0x0a) {
      raw.push([data.subarray(start, i), true]);
      start = i + 1;
    }
  }
  if (start < data.length) raw.push([data.subarray(start), false]);
  const out: string[] = [];
  for (const [lineBytes, hasNl] of raw) {
    let line = lineBytes;
    let stripped = "";
    if (line.length > 0 && line[line.length - 1] === 0x0d) {
      line = line.subarray(0, -1);
      stripped = "\r";
    }
    let enc = "";
    for (const c of line) {
      const ch = String.fromCharCode(c);
      enc +=
        c === 0x3d || c === 0x20 || c === 0x09 || c === 0x5f || !SAFE_QP.test(ch) || c > 0x7e ? hex(c) : ch;
    }
    // quopri splits lines longer than 76 with soft breaks.
    const parts: string[] = [];
    while (enc.length > 76) {
      let cut = 75;
      // Do not cut inside an =XX escape.
      if (enc[cut - 1] === "=") cut -= 1;
      else if (enc[cut - 2] === "=") cut -= 2;
      parts.push(`${enc.slice(0, cut)}=`);
      enc = enc.slice(cut);
    }
    parts.push(enc + (stripped ? hex(0x0d).replace("=0D", "\r") : ""));
    out.push(parts.join("\n") + (hasNl ? "\n" : ""));
  }
  lines.push(out.join(""));
  return lines.join("");
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
