/**
 * Netloc checks `urlsplit` runs (internal to `netkit/urllib/parse`): the
 * bracket checks of later CPython security releases (`_check_bracketed_netloc`
 * of 3.12.9 / 3.13.2, gh-105704, CVE-2025-0938, around the
 * `_check_bracketed_host` of 3.11.4, gh-103848, which calls
 * `ipaddress.ip_address`) and the NFKC check `_checknetloc` (CVE-2019-9636).
 *
 * The address grammar is `ipaddress`'s, not `inet_pton`'s: IPv4 octets
 * reject leading zeros (bpo-36384), IPv6 allows a `%scope` suffix (RFC 4007)
 * and an embedded dotted quad (RFC 4291 section 2.2).
 *
 * @module
 */
import { reprStr } from "../../_pyrepr.js";
import { ValueError } from "../../errors/index.js";

/** `ipaddress._BaseV4._ip_int_from_string` without the integer: is `text` a dotted quad? */
export function isIPv4(text: string): boolean {
  if (text.includes("/")) return false;
  const octets = text.split(".");
  if (octets.length !== 4) return false;
  for (const octet of octets) {
    if (octet.length === 0 || octet.length > 3) return false;
    for (let i = 0; i < octet.length; i++) {
      const c = octet.charCodeAt(i);
      if (c < 0x30 || c > 0x39) return false;
    }
    if (octet.length > 1 && octet.charCodeAt(0) === 0x30) return false;
    if (Number(octet) > 255) return false;
  }
  return true;
}

function isHextet(part: string): boolean {
  if (part.length === 0 || part.length > 4) return false;
  for (let i = 0; i < part.length; i++) {
    const c = part.charCodeAt(i);
    const hex = (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);
    if (!hex) return false;
  }
  return true;
}

/** `ipaddress.IPv6Address(text)` succeeds. */
export function isIPv6(text: string): boolean {
  if (text.includes("/")) return false;
  let addr = text;
  const pct = text.indexOf("%");
  if (pct >= 0) {
    const scope = text.slice(pct + 1);
    if (scope.length === 0 || scope.includes("%")) return false;
    addr = text.slice(0, pct);
  }
  if (addr.length === 0) return false;
  const parts = addr.split(":");
  if (parts.length < 3) return false;
  if (parts[parts.length - 1]!.includes(".")) {
    if (!isIPv4(parts.pop()!)) return false;
    parts.push("0", "0"); // two hextets stand in for the dotted quad
  }
  if (parts.length > 9) return false;
  let skip = -1;
  for (let i = 1; i < parts.length - 1; i++) {
    if (parts[i] === "") {
      if (skip >= 0) return false; // at most one "::"
      skip = i;
    }
  }
  let hi: number;
  let lo: number;
  if (skip >= 0) {
    hi = skip;
    lo = parts.length - skip - 1;
    if (parts[0] === "" && --hi !== 0) return false;
    if (parts[parts.length - 1] === "" && --lo !== 0) return false;
    if (8 - (hi + lo) < 1) return false;
  } else {
    if (parts.length !== 8) return false;
    hi = 8;
    lo = 0;
  }
  for (let i = 0; i < hi; i++) if (!isHextet(parts[i]!)) return false;
  for (let i = parts.length - lo; i < parts.length; i++) if (!isHextet(parts[i]!)) return false;
  return true;
}

const IPV_FUTURE = /^v[a-fA-F0-9]+\.[^\n]+$/;

/**
 * CPython's `_check_bracketed_host`: what sits between `[` and `]` must be an
 * IPv6 address or an IPvFuture literal (RFC 3986 section 3.2.2).
 *
 * @throws {ValueError} with CPython's message otherwise.
 */
export function checkBracketedHost(hostname: string): void {
  if (hostname.startsWith("v")) {
    if (!IPV_FUTURE.test(hostname)) throw new ValueError("IPvFuture address is invalid");
    return;
  }
  if (isIPv4(hostname)) throw new ValueError("An IPv4 address cannot be in brackets");
  if (!isIPv6(hostname)) {
    throw new ValueError(`${reprStr(hostname)} does not appear to be an IPv4 or IPv6 address`);
  }
}

/**
 * CPython's `_check_bracketed_netloc` (3.12.9, 3.13.2; gh-105704,
 * CVE-2025-0938), for a netloc holding both `[` and `]`: brackets may only
 * enclose the whole host, so nothing may stand before `[` (after the
 * userinfo) and only `:port` after `]`; then the host must pass
 * {@link checkBracketedHost}. Python 3.11.7 checks only what sits between the
 * first `[` and `]`, so `http://x.[v1.y]/` and `http://[::1]x/` pass there
 * with a host other parsers read differently.
 *
 * @throws {ValueError} "Invalid IPv6 URL", or the host check's message.
 */
export function checkBracketedNetloc(netloc: string): void {
  // The same split as the results' hostname (CPython's `_hostinfo`): after the last "@".
  const hostAndPort = netloc.slice(netloc.lastIndexOf("@") + 1);
  const open = hostAndPort.indexOf("[");
  let hostname: string;
  if (open >= 0) {
    if (open > 0) throw new ValueError("Invalid IPv6 URL");
    const close = hostAndPort.indexOf("]");
    hostname = close < 0 ? hostAndPort.slice(1) : hostAndPort.slice(1, close);
    const after = close < 0 ? "" : hostAndPort.slice(close + 1);
    if (after !== "" && after.charCodeAt(0) !== 0x3a) throw new ValueError("Invalid IPv6 URL");
  } else {
    // Both brackets sit in the userinfo: the host proper must still be an address.
    const colon = hostAndPort.indexOf(":");
    hostname = colon < 0 ? hostAndPort : hostAndPort.slice(0, colon);
  }
  checkBracketedHost(hostname);
}

/**
 * CPython's `_checknetloc` (CVE-2019-9636): a netloc whose NFKC form gains one
 * of `/?#@:` would split differently after IDNA encoding, so it is refused.
 *
 * @throws {ValueError} naming the netloc.
 */
export function checkNetloc(netloc: string): void {
  let ascii = true;
  for (let i = 0; i < netloc.length; i++) {
    if (netloc.charCodeAt(i) >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) return;
  // Characters already in the netloc are ignored; only what NFKC adds counts.
  const n = netloc.replace(/[@:#?]/g, "");
  const normalized = n.normalize("NFKC");
  if (n === normalized) return;
  if (/[/?#@:]/.test(normalized)) {
    throw new ValueError(`netloc '${netloc}' contains invalid characters under NFKC normalization`);
  }
}
