/**
 * AUTHENTICATE's exchange (RFC 3501 6.2.2), as Python's `_Authenticator`
 * does it: each continuation's text is base64-decoded for the caller's
 * authenticator, whose answer goes back base64-encoded; `null` from it
 * cancels with `*`. And CRAM-MD5 (RFC 2195), for `login_cram_md5`.
 *
 * @module
 */
import { createHmac } from "node:crypto";

/**
 * Python's `authobject`: called with each server challenge (decoded; empty
 * for an empty one); returns the answer (text is sent as UTF-8), or `null`
 * to cancel the exchange.
 */
export type Authenticator = (
  challenge: Buffer,
) => string | Uint8Array | null | Promise<string | Uint8Array | null>;

/** Python's `_Authenticator.process`: the line to send for the continuation `data`. */
export async function authenticatorStep(mech: Authenticator, data: Buffer | null): Promise<Buffer> {
  // binascii.a2b_base64 skips what is not base64, as Buffer's decoder does.
  const challenge =
    data === null || data.length === 0 ? Buffer.alloc(0) : Buffer.from(data.toString("latin1"), "base64");
  const answer = await mech(challenge);
  if (answer === null) return Buffer.from("*");
  const bytes = typeof answer === "string" ? Buffer.from(answer, "utf8") : Buffer.from(answer);
  return Buffer.from(bytes.toString("base64"), "latin1");
}

/** Python's `_CRAM_MD5_AUTH`: `user` and the HMAC-MD5 of the challenge, in hex. */
export function cramMd5(user: string, password: string | Uint8Array, challenge: Buffer): string {
  const key = typeof password === "string" ? Buffer.from(password, "utf8") : password;
  return `${user} ${createHmac("md5", key).update(challenge).digest("hex")}`;
}
