/**
 * Address conversions from Python's `socket` module, pure and synchronous:
 * `inet_aton`/`inet_ntoa`, `inet_pton`/`inet_ntop` and the byte-order
 * functions `htons`/`ntohs`/`htonl`/`ntohl`.
 *
 * Python calls the C library for these, so on Linux they behave as glibc's
 * do, and so do these ports of glibc's parsers:
 *
 * - `inet_aton` takes the classic BSD forms: `1.2.3.4`, `127.1` (the last
 *   part fills the remaining bytes), `0x7f.1` (hex), `010.0.0.1` (octal), a
 *   single 32-bit number, and ignores anything after white space.
 * - `inet_pton` takes only the standard forms: four decimal parts without
 *   leading zeros for IPv4; RFC 4291 section 2.2 text for IPv6.
 * - `inet_ntop` writes RFC 5952-like text as glibc does: lower-case hex,
 *   the longest run of two or more zero groups (the first on a tie) as `::`,
 *   and `::ffff:1.2.3.4` / `::1.2.3.4` for IPv4-mapped and -compatible
 *   addresses.
 *
 * Naming: these keep Python's snake_case (`inet_aton`, not `inetAton`).
 * They are the C library's names, which Python kept too; netkit camelCases
 * only Python-level names.
 *
 * Bytes come out as `Buffer`; any `Uint8Array` is accepted as input.
 *
 * The module also holds small C-semantics helpers (`cStrtoul`, the
 * `inet_aton` core, Python's integer conversions) that `names.ts` shares.
 *
 * @module
 */
import { EAFNOSUPPORT, OSError, OverflowError, ValueError, withCode } from "../errors/index.js";
import { AF_INET, AF_INET6 } from "./constants.js";

/** C's `isspace` in the C locale. */
export function cIsSpace(ch: string | undefined): boolean {
  return ch === " " || ch === "\t" || ch === "\n" || ch === "\v" || ch === "\f" || ch === "\r";
}

function digitValue(ch: string | undefined): number {
  if (ch === undefined) return 99;
  const c = ch.charCodeAt(0);
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x7a) return c - 0x61 + 10;
  if (c >= 0x41 && c <= 0x5a) return c - 0x41 + 10;
  return 99;
}

const ULONG_MAX = (1n << 64n) - 1n;

/**
 * C's `strtoul(text + start, &end, base)` as glibc implements it, on a
 * 64-bit `unsigned long`: leading white space and one sign are skipped,
 * base 0 picks hex (`0x`), octal (`0`) or decimal; `value` saturates at
 * `ULONG_MAX` with `overflow` set; a minus sign negates modulo 2^64; `end`
 * is the index after the number, or `start` when there was none.
 *
 * @internal shared by `inet_aton`, the service and protocol file parsers and `getaddrinfo`.
 * @example
 * ```ts
 * cStrtoul("0x1fz", 0, 0); // { value: 31n, end: 4, overflow: false }
 * ```
 */
export function cStrtoul(
  text: string,
  start: number,
  base: 0 | 8 | 10 | 16,
): { value: bigint; end: number; overflow: boolean } {
  let i = start;
  while (cIsSpace(text[i])) i++;
  let negative = false;
  if (text[i] === "-" || text[i] === "+") {
    negative = text[i] === "-";
    i++;
  }
  let radix: number = base;
  if ((base === 0 || base === 16) && text[i] === "0" && (text[i + 1] === "x" || text[i + 1] === "X")) {
    // glibc: "0x" with no hex digit after it converts the "0" and ends at the "x".
    if (digitValue(text[i + 2]) < 16) {
      i += 2;
      radix = 16;
    } else {
      return { value: 0n, end: i + 1, overflow: false };
    }
  } else if (base === 0) {
    radix = text[i] === "0" ? 8 : 10;
  }
  const first = i;
  let value = 0n;
  let overflow = false;
  const bigRadix = BigInt(radix);
  while (digitValue(text[i]) < radix) {
    if (!overflow) {
      value = value * bigRadix + BigInt(digitValue(text[i]));
      if (value > ULONG_MAX) overflow = true;
    }
    i++;
  }
  if (i === first) return { value: 0n, end: start, overflow: false };
  if (overflow) return { value: ULONG_MAX, end: i, overflow: true };
  if (negative) value = -value & ULONG_MAX;
  return { value, end: i, overflow: false };
}

/**
 * glibc's `inet_aton_end`: parses the classic dotted forms at the start of
 * `text` and returns the address as a 32-bit number and where parsing
 * stopped (the end, or the white space that ends the address); `undefined`
 * when `text` is not an address.
 *
 * @internal shared with `names.ts` (`getaddrinfo` uses the exact variant).
 */
export function inetAtonEnd(text: string): { address: number; end: number } | undefined {
  const bytes: number[] = [];
  let i = 0;
  let value: bigint;
  for (;;) {
    // Each part must start with a digit: no sign, no space (C's isdigit check).
    if (digitValue(text[i]) > 9) return undefined;
    const part = cStrtoul(text, i, 0);
    if (part.overflow || part.value > 0xffffffffn) return undefined;
    value = part.value;
    i = part.end;
    if (text[i] !== ".") break;
    if (bytes.length > 2 || value > 0xffn) return undefined;
    bytes.push(Number(value));
    i++;
  }
  // Trailing characters: only the end of the string or ASCII white space.
  if (i < text.length && !cIsSpace(text[i])) return undefined;
  const max = [0xffffffffn, 0xffffffn, 0xffffn, 0xffn][bytes.length]!;
  if (value > max) return undefined;
  let address = Number(value);
  for (const [index, byte] of bytes.entries()) address += byte * 2 ** (8 * (3 - index));
  return { address, end: i };
}

/**
 * glibc's `__inet_aton_exact`: the `inet_aton` forms with nothing after
 * them; what `getaddrinfo` and `gethostbyname` accept as a numeric IPv4 host.
 *
 * @internal
 */
export function inetAtonExact(text: string): Buffer | undefined {
  const parsed = inetAtonEnd(text);
  if (!parsed || parsed.end !== text.length) return undefined;
  const out = Buffer.alloc(4);
  out.writeUInt32BE(parsed.address);
  return out;
}

function illegal(fn: string): OSError {
  return new OSError(undefined, `illegal IP address string passed to ${fn}`);
}

/** Python's `"s"` argument format refuses strings with NUL characters. */
function rejectNul(text: string): void {
  if (text.includes("\0")) throw new ValueError("embedded null character");
}

/**
 * Python's `socket.inet_aton(ip_string)`: the 4-byte packed form of an IPv4
 * address in any of the forms glibc's `inet_aton` accepts (`127.1`,
 * `0x7f.0.0.1`, `017.0.0.1`, `2130706433`); text after white space is ignored.
 *
 * @param ip the address text
 * @returns 4 bytes in network order
 * @throws OSError "illegal IP address string passed to inet_aton"; ValueError for a NUL character
 * @example
 * ```ts
 * inet_aton("127.1"); // <Buffer 7f 00 00 01>
 * ```
 */
export function inet_aton(ip: string): Buffer {
  rejectNul(ip);
  const parsed = inetAtonEnd(ip);
  if (!parsed) throw illegal("inet_aton");
  const out = Buffer.alloc(4);
  out.writeUInt32BE(parsed.address);
  return out;
}

/**
 * Python's `socket.inet_ntoa(packed_ip)`: the dotted-quad text of 4 packed bytes.
 *
 * @param packed exactly 4 bytes
 * @throws OSError "packed IP wrong length for inet_ntoa"
 * @example
 * ```ts
 * inet_ntoa(Buffer.from([127, 0, 0, 1])); // "127.0.0.1"
 * ```
 */
export function inet_ntoa(packed: Uint8Array): string {
  if (packed.length !== 4) throw new OSError(undefined, "packed IP wrong length for inet_ntoa");
  return `${packed[0]}.${packed[1]}.${packed[2]}.${packed[3]}`;
}

/** glibc's `inet_pton4` on `text[start:end]`: four decimal parts, no leading zeros. */
function ptonV4(text: string, start = 0, end = text.length): Buffer | undefined {
  const out = Buffer.alloc(4);
  let octets = 0;
  let sawDigit = false;
  let index = 0;
  for (let i = start; i < end; i++) {
    const ch = text[i]!;
    if (ch >= "0" && ch <= "9") {
      const next = out[index]! * 10 + (ch.charCodeAt(0) - 0x30);
      if (sawDigit && out[index] === 0) return undefined;
      if (next > 255) return undefined;
      out[index] = next;
      if (!sawDigit) {
        if (++octets > 4) return undefined;
        sawDigit = true;
      }
    } else if (ch === "." && sawDigit) {
      if (octets === 4) return undefined;
      index++;
      sawDigit = false;
    } else {
      return undefined;
    }
  }
  return octets < 4 ? undefined : out;
}

/**
 * glibc's `inet_pton6` on `text[0:end]`: groups of 1-4 hex digits, one `::`,
 * an optional dotted IPv4 tail (RFC 4291 section 2.2).
 */
function ptonV6(text: string, end = text.length): Buffer | undefined {
  const out = Buffer.alloc(16);
  let tp = 0;
  let colonp = -1;
  let i = 0;
  if (end === 0) return undefined;
  // A leading "::" needs special handling: a single leading ':' is an error.
  if (text[0] === ":") {
    i++;
    if (i === end || text[i] !== ":") return undefined;
  }
  let curtok = i;
  let xdigitsSeen = 0;
  let value = 0;
  while (i < end) {
    const ch = text[i++]!;
    const digit = digitValue(ch);
    if (digit < 16) {
      if (xdigitsSeen === 4) return undefined;
      value = (value << 4) | digit;
      xdigitsSeen++;
      continue;
    }
    if (ch === ":") {
      curtok = i;
      if (xdigitsSeen === 0) {
        if (colonp !== -1) return undefined;
        colonp = tp;
        continue;
      }
      if (i === end) return undefined;
      if (tp + 2 > 16) return undefined;
      out[tp++] = (value >> 8) & 0xff;
      out[tp++] = value & 0xff;
      xdigitsSeen = 0;
      value = 0;
      continue;
    }
    if (ch === "." && tp + 4 <= 16) {
      const v4 = ptonV4(text, curtok, end);
      if (v4) {
        v4.copy(out, tp);
        tp += 4;
        xdigitsSeen = 0;
        break;
      }
    }
    return undefined;
  }
  if (xdigitsSeen > 0) {
    if (tp + 2 > 16) return undefined;
    out[tp++] = (value >> 8) & 0xff;
    out[tp++] = value & 0xff;
  }
  if (colonp !== -1) {
    // "::" must stand for at least one zero group.
    if (tp === 16) return undefined;
    const n = tp - colonp;
    out.copy(out, 16 - n, colonp, tp);
    out.fill(0, colonp, 16 - n);
    tp = 16;
  }
  return tp === 16 ? out : undefined;
}

/**
 * The packed IPv4 address of `text` in strict dotted-quad form, or `undefined`.
 * @internal
 */
export function parseIPv4(text: string): Buffer | undefined {
  return ptonV4(text);
}

/**
 * The packed IPv6 address of `text[0:end]` in RFC 4291 text form, or `undefined`.
 * @internal
 */
export function parseIPv6(text: string, end = text.length): Buffer | undefined {
  return ptonV6(text, end);
}

/**
 * Python's `int` argument conversion to a C `int` (`"i"` format), with
 * Python's errors for what does not fit.
 *
 * @internal shared with `names.ts`.
 */
export function asCInt(value: unknown): number {
  if (typeof value !== "number" || !Number.isInteger(value)) {
    throw withCode(
      new TypeError(`'${pyTypeName(value)}' object cannot be interpreted as an integer`),
      "ERR_INVALID_ARG_TYPE",
    );
  }
  if (value >= 2 ** 63 || value < -(2 ** 63))
    throw new OverflowError("Python int too large to convert to C long");
  if (value > 0x7fffffff) throw new OverflowError("signed integer is greater than maximum");
  if (value < -0x80000000) throw new OverflowError("signed integer is less than minimum");
  return value;
}

/**
 * Python's `"I"` format: an integer taken modulo 2^32, no range check.
 * @internal
 */
export function asCUIntMask(value: unknown): number {
  if (typeof value !== "number" || !Number.isInteger(value)) {
    throw withCode(
      new TypeError(`'${pyTypeName(value)}' object cannot be interpreted as an integer`),
      "ERR_INVALID_ARG_TYPE",
    );
  }
  return Number(BigInt(value) & 0xffffffffn);
}

/** The Python type name of a JS value, for messages. @internal */
export function pyTypeName(value: unknown): string {
  if (value === null || value === undefined) return "NoneType";
  if (typeof value === "number") return Number.isInteger(value) ? "int" : "float";
  if (typeof value === "string") return "str";
  if (typeof value === "boolean") return "bool";
  if (Array.isArray(value)) return "tuple";
  if (value instanceof Uint8Array) return "bytes";
  return typeof value;
}

/**
 * Python's `socket.inet_pton(address_family, ip_string)`: the packed bytes
 * of an address in standard text form, 4 bytes for `AF_INET`, 16 for `AF_INET6`.
 *
 * @param family `AF_INET` or `AF_INET6`
 * @param ip the address text
 * @throws OSError "illegal IP address string passed to inet_pton"; OSError EAFNOSUPPORT (errno 97) for another family
 * @example
 * ```ts
 * inet_pton(AF_INET6, "::1").toString("hex"); // "00000000000000000000000000000001"
 * ```
 */
export function inet_pton(family: number, ip: string): Buffer {
  const af = asCInt(family);
  rejectNul(ip);
  let out: Buffer | undefined;
  if (af === AF_INET) out = ptonV4(ip);
  else if (af === AF_INET6) out = ptonV6(ip);
  else throw new OSError(EAFNOSUPPORT);
  if (!out) throw illegal("inet_pton");
  return out;
}

/** glibc's `inet_ntop6`. */
function ntopV6(packed: Uint8Array): string {
  const words = Array.from({ length: 8 }, (_, i) => (packed[i * 2]! << 8) | packed[i * 2 + 1]!);
  // The longest run of zero words; the first one wins a tie (glibc's rule).
  let best = { base: -1, len: 0 };
  let cur = { base: -1, len: 0 };
  for (let i = 0; i < 8; i++) {
    if (words[i] === 0) {
      if (cur.base === -1) cur = { base: i, len: 1 };
      else cur.len++;
    } else if (cur.base !== -1) {
      if (best.base === -1 || cur.len > best.len) best = cur;
      cur = { base: -1, len: 0 };
    }
  }
  if (cur.base !== -1 && (best.base === -1 || cur.len > best.len)) best = cur;
  // A single zero group is written out, not compressed.
  if (best.base !== -1 && best.len < 2) best = { base: -1, len: 0 };
  let text = "";
  for (let i = 0; i < 8; i++) {
    if (best.base !== -1 && i >= best.base && i < best.base + best.len) {
      if (i === best.base) text += ":";
      continue;
    }
    if (i !== 0) text += ":";
    // IPv4-compatible (::a.b.c.d) and IPv4-mapped (::ffff:a.b.c.d) tails.
    if (i === 6 && best.base === 0 && (best.len === 6 || (best.len === 5 && words[5] === 0xffff))) {
      text += inet_ntoa(packed.subarray(12, 16));
      return text;
    }
    text += words[i]!.toString(16);
  }
  if (best.base !== -1 && best.base + best.len === 8) text += ":";
  return text;
}

/**
 * The text form of a packed address (4 or 16 bytes), as glibc's `inet_ntop` writes it.
 * @internal
 */
export function formatAddressBytes(packed: Uint8Array): string {
  return packed.length === 4 ? inet_ntoa(packed) : ntopV6(packed);
}

/**
 * Python's `socket.inet_ntop(address_family, packed_ip)`: the standard text
 * form of a packed address, as glibc writes it (lower-case hex, `::` for the
 * longest run of two or more zero groups, `::ffff:1.2.3.4` for IPv4-mapped).
 *
 * @param family `AF_INET` or `AF_INET6`
 * @param packed 4 or 16 bytes
 * @throws ValueError "invalid length of packed IP address string"; ValueError "unknown address family N"
 * @example
 * ```ts
 * inet_ntop(AF_INET6, Buffer.from("20010db8000000000000000000000001", "hex")); // "2001:db8::1"
 * ```
 */
export function inet_ntop(family: number, packed: Uint8Array): string {
  const af = asCInt(family);
  if (af === AF_INET) {
    if (packed.length !== 4) throw new ValueError("invalid length of packed IP address string");
    return inet_ntoa(packed);
  }
  if (af === AF_INET6) {
    if (packed.length !== 16) throw new ValueError("invalid length of packed IP address string");
    return ntopV6(packed);
  }
  throw new ValueError(`unknown address family ${af}`);
}

/** The 16-bit conversions: Python's `"i"` parsing, then its range messages. */
function check16(x: unknown, name: string): number {
  const value = asCInt(x);
  if (value < 0) {
    throw new OverflowError(`${name}: can't convert negative Python int to C 16-bit unsigned integer`);
  }
  if (value > 0xffff) {
    throw new OverflowError(`${name}: Python int too large to convert to C 16-bit unsigned integer`);
  }
  return value;
}

/** The 32-bit conversions: Python's `PyLong_AsUnsignedLong` and its 32-bit check. */
function check32(x: unknown): number {
  if (typeof x !== "number" || !Number.isInteger(x)) {
    throw withCode(new TypeError(`expected int, ${pyTypeName(x)} found`), "ERR_INVALID_ARG_TYPE");
  }
  if (x < 0) throw new OverflowError("can't convert negative value to unsigned int");
  if (x >= 2 ** 64) throw new OverflowError("Python int too large to convert to C unsigned long");
  if (x > 0xffffffff) throw new OverflowError("int larger than 32 bits");
  return x;
}

// Linux runs little-endian everywhere Node runs, so host and network order differ.
const swap16 = (v: number) => ((v & 0xff) << 8) | ((v >> 8) & 0xff);
const swap32 = (v: number) =>
  (((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24)) >>> 0;

/**
 * Python's `socket.htons(x)`: a 16-bit integer from host to network byte order.
 * @throws OverflowError outside 0-65535; TypeError for a non-integer
 * @example
 * ```ts
 * htons(1); // 256
 * ```
 */
export function htons(x: number): number {
  return swap16(check16(x, "htons"));
}

/**
 * Python's `socket.ntohs(x)`: a 16-bit integer from network to host byte order.
 * @throws OverflowError outside 0-65535; TypeError for a non-integer
 * @example
 * ```ts
 * ntohs(256); // 1
 * ```
 */
export function ntohs(x: number): number {
  return swap16(check16(x, "ntohs"));
}

/**
 * Python's `socket.htonl(x)`: a 32-bit integer from host to network byte order.
 * @throws OverflowError "int larger than 32 bits" and for negatives; TypeError for a non-integer
 * @example
 * ```ts
 * htonl(0x12345678).toString(16); // "78563412"
 * ```
 */
export function htonl(x: number): number {
  return swap32(check32(x));
}

/**
 * Python's `socket.ntohl(x)`: a 32-bit integer from network to host byte order.
 * @throws OverflowError "int larger than 32 bits" and for negatives; TypeError for a non-integer
 * @example
 * ```ts
 * ntohl(0x78563412).toString(16); // "12345678"
 * ```
 */
export function ntohl(x: number): number {
  return swap32(check32(x));
}
