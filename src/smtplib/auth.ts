/**
 * The SASL mechanisms Python's `SMTP.login()` knows (RFC 4954 over SMTP),
 * as pure functions: CRAM-MD5 (RFC 2195), PLAIN (RFC 4616) and LOGIN
 * (draft-murchison-sasl-login), in Python's order of preference, and the
 * base64 framing `SMTP.auth()` wraps around every response.
 *
 * Where it differs from Python: user names and passwords are encoded as
 * UTF-8 (RFC 4616 says PLAIN is UTF-8); Python 3.11 accepts ASCII only and
 * raises `UnicodeEncodeError` for anything else.
 *
 * @module
 */
import { createHmac } from "node:crypto";

/**
 * Python's `preferred_auths` in `login()`: the first of these the server
 * advertises is tried first, then the next on `SMTPAuthenticationError`.
 */
export const PREFERRED_AUTHS = ["CRAM-MD5", "PLAIN", "LOGIN"] as const;

/** Python's `_MAXCHALLENGE`: more 334 challenges than this in one AUTH is a loop. */
export const MAX_CHALLENGE = 5;

/**
 * CRAM-MD5's answer to `challenge`: `user`, a space, and the lower-case hex
 * HMAC-MD5 of the challenge keyed with `password` (Python's `auth_cram_md5`).
 */
export function cramMd5Response(user: string, password: string, challenge: Uint8Array): string {
  return `${user} ${createHmac("md5", Buffer.from(password, "utf8")).update(challenge).digest("hex")}`;
}

/** PLAIN's one message: NUL, user, NUL, password (no authorization identity), Python's `auth_plain`. */
export function plainResponse(user: string, password: string): string {
  return `\0${user}\0${password}`;
}

/** What `SMTP.auth()` sends for one response: its UTF-8 bytes in base64, no line breaks (Python's `encode_base64(..., eol='')`). */
export function encodeResponse(response: string): string {
  return Buffer.from(response, "utf8").toString("base64");
}

/**
 * A 334 challenge's text decoded from base64, as Python's
 * `base64.decodebytes` does: characters outside the alphabet are skipped.
 */
export function decodeChallenge(text: Uint8Array): Buffer {
  return Buffer.from(
    Buffer.from(text)
      .toString("latin1")
      .replace(/[^A-Za-z0-9+/=]/g, ""),
    "base64",
  );
}
