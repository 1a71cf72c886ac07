/**
 * Address conversions from Python's `socket` module, pure and synchronous:
 * `inet_aton`/`inet_ntoa`, `inet_pton`/`inet_ntop` and the byte-order
 * functions. They behave as glibc's, which is what Python calls on Linux
 * (`inet_aton("127.1")` is `127.0.0.1`; `inet_ntop` compresses the longest
 * run of zero groups and prints IPv4-mapped addresses dotted).
 *
 * These keep Python's C-style names (`inet_aton`, not `inetAton`): they are
 * the C library's names in Python too.
 *
 * @module
 */
import { OSError, OverflowError, ValueError } from "../errors/index.js";
import { AF_INET, AF_INET6 } from "./constants.js";

const EAFNOSUPPORT = 97;

function illegal(fn: string): OSError {
  return new OSError(undefined, `illegal IP address string passed to ${fn}`);
}

/** Parses one inet_aton part: decimal, 0x hex or 0-leading octal; NaN when malformed. */
function atonPart(text: string): number {
  if (/^0[xX][0-9a-fA-F]*$/.test(text))
    return text.length === 2 ? Number.NaN : Number.parseInt(text.slice(2), 16);
  if (/^0[0-7]*$/.test(text)) return Number.parseInt(text, 8);
  if (/^[1-9][0-9]*$/.test(text)) return Number(text);
  return Number.NaN;
}

/**
 * Python's `inet_aton(ip)`: the 4-byte address for the dotted string, with
 * glibc's forms (`127.1`, `0x7f.1`, `017.0.0.1`, a single 32-bit number);
 * anything after white space is ignored, as glibc does.
 * @throws OSError "illegal IP address string passed to inet_aton"
 */
export function inet_aton(ip: string): Buffer {
  const text = ip.split(/[ \t\n\v\f\r]/, 1)[0]!;
  const parts = text.split(".");
  if (text === "" || parts.length > 4) throw illegal("inet_aton");
  const values = parts.map(atonPart);
  if (values.some((v) => Number.isNaN(v))) throw illegal("inet_aton");
  const last = values.pop()!;
  if (values.some((v) => v > 0xff)) throw illegal("inet_aton");
  const lastMax = 2 ** (8 * (4 - values.length)) - 1;
  if (last > lastMax) throw illegal("inet_aton");
  const out = Buffer.alloc(4);
  values.forEach((v, i) => {
    out[i] = v;
  });
  for (let i = 3, rest = last; i >= values.length; i--, rest = Math.floor(rest / 256)) out[i] = rest % 256;
  return out;
}

/**
 * Python's `inet_ntoa(packed)`: the dotted string for 4 bytes.
 * @throws OSError "packed IP wrong length for inet_ntoa"
 */
export function inet_ntoa(packed: Uint8Array): string {
  if (packed.length !== 4) throw new OSError(undefined, "packed IP wrong length for inet_ntoa");
  return `${packed[0]}.${packed[1]}.${packed[2]}.${packed[3]}`;
}

function ptonV4(text: string): Buffer | undefined {
  const parts = text.split(".");
  if (parts.length !== 4) return undefined;
  const out = Buffer.alloc(4);
  for (const [i, part] of parts.entries()) {
    // glibc's inet_pton takes plain decimal only: no leading zeros, no hex.
    if (!/^(0|[1-9][0-9]{0,2})$/.test(part)) return undefined;
    const value = Number(part);
    if (value > 255) return undefined;
    out[i] = value;
  }
  return out;
}

function ptonV6(text: string): Buffer | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(text)) return undefined;
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const groups = (half: string): number[] | undefined => {
    if (half === "") return [];
    const out: number[] = [];
    const pieces = half.split(":");
    for (const [i, piece] of pieces.entries()) {
      if (piece.includes(".")) {
        if (i !== pieces.length - 1) return undefined;
        const v4 = ptonV4(piece);
        if (!v4) return undefined;
        out.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(piece)) return undefined;
        out.push(Number.parseInt(piece, 16));
      }
    }
    return out;
  };
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  if (!head || !tail) return undefined;
  // An embedded IPv4 address may only end the address.
  if (halves.length === 2 && halves[0]!.includes(".")) return undefined;
  let words: number[];
  if (halves.length === 2) {
    const missing = 8 - head.length - tail.length;
    if (missing < 1) return undefined;
    words = [...head, ...Array<number>(missing).fill(0), ...tail];
  } else {
    if (head.length !== 8) return undefined;
    words = head;
  }
  const out = Buffer.alloc(16);
  for (const [i, w] of words.entries()) out.writeUInt16BE(w, i * 2);
  return out;
}

/**
 * Python's `inet_pton(family, ip)`: the packed bytes of an IPv4 (4 bytes) or
 * IPv6 (16 bytes) address in its standard text form.
 * @throws OSError "illegal IP address string passed to inet_pton", OSError EAFNOSUPPORT
 */
export function inet_pton(family: number, ip: string): Buffer {
  let out: Buffer | undefined;
  if (family === AF_INET) out = ptonV4(ip);
  else if (family === AF_INET6) out = ptonV6(ip);
  else throw new OSError(EAFNOSUPPORT);
  if (!out) throw illegal("inet_pton");
  return out;
}

/**
 * Python's `inet_ntop(family, packed)`: the standard text form, as glibc
 * writes it (lower-case hex, the longest run of two or more zero groups as
 * `::`, `::ffff:1.2.3.4` for IPv4-mapped addresses).
 * @throws ValueError "invalid length of packed IP address string", OSError EAFNOSUPPORT
 */
export function inet_ntop(family: number, packed: Uint8Array): string {
  if (family === AF_INET) {
    if (packed.length !== 4) throw new ValueError("invalid length of packed IP address string");
    return inet_ntoa(packed);
  }
  if (family !== AF_INET6) throw new OSError(EAFNOSUPPORT);
  if (packed.length !== 16) throw new ValueError("invalid length of packed IP address string");
  const words = Array.from({ length: 8 }, (_, i) => (packed[i * 2]! << 8) | packed[i * 2 + 1]!);
  // glibc inet_ntop6: find the longest run of zero words (the first on a tie).
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
  if (best.base !== -1 && best.len < 2) best = { base: -1, len: 0 };
  let text = "";
  for (let i = 0; i < 8; i++) {
    if (best.base !== -1 && i >= best.base && i < best.base + best.len) {
      if (i === best.base) text += ":";
      continue;
    }
    if (i !== 0) text += ":";
    // IPv4-compatible (::a.b.c.d) and IPv4-mapped (::ffff:a.b.c.d) endings.
    if (i === 6 && best.base === 0 && (best.len === 6 || (best.len === 5 && words[5] === 0xffff))) {
      text += inet_ntoa(packed.subarray(12));
      break;
    }
    text += words[i]!.toString(16);
  }
  if (best.base !== -1 && best.base + best.len === 8) text += ":";
  return text;
}

function checkUnsigned(value: number, bits: 16 | 32, name: string): void {
  if (!Number.isInteger(value)) throw new TypeError(`'float' object cannot be interpreted as an integer`);
  if (bits === 16) {
    if (value < 0)
      throw new OverflowError(`${name}: can't convert negative Python int to C 16-bit unsigned integer`);
    if (value > 0xffff)
      throw new OverflowError(`${name}: Python int too large to convert to C 16-bit unsigned integer`);
  } else {
    if (value < 0) throw new OverflowError("can't convert negative value to unsigned int");
    if (value > 0xffffffff) throw new OverflowError("int larger than 32 bits");
  }
}

const swap16 = (v: number) => ((v & 0xff) << 8) | ((v >> 8) & 0xff);
const swap32 = (v: number) =>
  (((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24)) >>> 0;

/** Python's `htons(x)`: 16-bit host to network byte order (a swap on little-endian Linux). */
export function htons(x: number): number {
  checkUnsigned(x, 16, "htons");
  return swap16(x);
}
/** Python's `ntohs(x)`: 16-bit network to host byte order. */
export function ntohs(x: number): number {
  checkUnsigned(x, 16, "ntohs");
  return swap16(x);
}
/** Python's `htonl(x)`: 32-bit host to network byte order. */
export function htonl(x: number): number {
  checkUnsigned(x, 32, "htonl");
  return swap32(x);
}
/** Python's `ntohl(x)`: 32-bit network to host byte order. */
export function ntohl(x: number): number {
  checkUnsigned(x, 32, "ntohl");
  return swap32(x);
}
