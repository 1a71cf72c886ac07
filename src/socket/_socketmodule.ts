/**
 * CPython's socketmodule.c glue between Python's arguments and the C
 * library: the `"et"` (idna) and `"s"` argument formats, `setipaddr()`
 * (one address for a host) and `gethost_common()` (a hostent as a tuple).
 *
 * @module
 */
import { EAFNOSUPPORT, OSError, ValueError, withCode } from "../errors/index.js";
import type { Deadline } from "./_deadline.js";
import { addressOf, gaiCore } from "./_gai.js";
import { idnaEncode } from "./_idna.js";
import type { NssResult } from "./_nss_dns.js";
import { AF_INET, AF_INET6, AF_UNSPEC, AI_PASSIVE, SOCK_DGRAM } from "./constants.js";
import { herror } from "./errors.js";
import { formatAddressBytes, parseIPv4, parseIPv6, pyTypeName } from "./inet.js";

/** C sees a string only up to its first NUL. */
export function cString(text: string): string {
  const nul = text.indexOf("\0");
  return nul === -1 ? text : text.slice(0, nul);
}

/** Python's `"et"` argument with the `idna` encoding, as `gethostbyname` and friends parse a host. */
export function encodedHostArg(fn: string, value: unknown): string {
  if (typeof value !== "string") {
    throw withCode(
      new TypeError(`${fn}() argument 1 must be str, bytes or bytearray, not ${pyTypeName(value)}`),
      "ERR_INVALID_ARG_TYPE",
    );
  }
  const encoded = idnaEncode(value);
  if (encoded.includes("\0")) {
    throw withCode(
      new TypeError(`${fn}() argument 1 must be encoded string without null bytes, not str`),
      "ERR_INVALID_ARG_VALUE",
    );
  }
  return encoded;
}

/** Python's `"s"` argument: a str without NUL characters. */
export function strArg(fn: string, value: unknown, position: number): string {
  if (typeof value !== "string") {
    throw withCode(
      new TypeError(`${fn}() argument ${position} must be str, not ${pyTypeName(value)}`),
      "ERR_INVALID_ARG_TYPE",
    );
  }
  if (value.includes("\0")) throw new ValueError("embedded null character");
  return value;
}

/** Python's `setipaddr()`: one address for a host, the way `gethostbyname` and `gethostbyaddr` find it. */
export async function setipaddr(
  name: string,
  af: number,
  deadline: Deadline,
): Promise<{ family: number; bytes: Buffer }> {
  if (name === "") {
    const results = await gaiCore(
      null,
      "0",
      { family: af, socktype: SOCK_DGRAM, protocol: 0, flags: AI_PASSIVE },
      deadline,
    );
    if (results.length > 1) throw new OSError(undefined, "wildcard resolved to multiple address");
    return addressOf(results[0]!);
  }
  if (name === "255.255.255.255" || name === "<broadcast>") {
    if (af !== AF_INET && af !== AF_UNSPEC) throw new OSError(undefined, "address family mismatched");
    return { family: AF_INET, bytes: Buffer.from([255, 255, 255, 255]) };
  }
  if (af === AF_INET || af === AF_UNSPEC) {
    const v4 = parseIPv4(name);
    if (v4) return { family: AF_INET, bytes: v4 };
  }
  if ((af === AF_INET6 || af === AF_UNSPEC) && !name.includes("%")) {
    const v6 = parseIPv6(name);
    if (v6) return { family: AF_INET6, bytes: v6 };
  }
  const results = await gaiCore(name, null, { family: af, socktype: 0, protocol: 0, flags: 0 }, deadline);
  return addressOf(results[0]!);
}

/** Python's `gethost_common()`: a hostent as `[name, aliases, addresses]`, or the herror. */
export function gethostCommon(result: NssResult, af: number): [string, string[], string[]] {
  if (result.status !== "success") throw new herror(result.herrno);
  const { host } = result;
  // Python: "Let's get real error message to return" (EAFNOSUPPORT).
  if (host.family !== af) throw new OSError(EAFNOSUPPORT);
  return [host.name, [...host.aliases], host.addresses.map(formatAddressBytes)];
}
