/**
 * The nss_files databases, parsed as glibc's nss_files does: /etc/hosts
 * (look-ups by name and by address), /etc/services and /etc/protocols.
 * Pure: each function takes the file's text; reading it is the caller's.
 *
 * @module
 */
import { isV4Mapped, LOOPBACK6 } from "./_ip6.js";
import { AF_INET, AF_INET6, AF_UNSPEC } from "./constants.js";
import { cIsSpace, cStrtoul, parseIPv4, parseIPv6 } from "./inet.js";

/**
 * The entry lines of an nss_files database: leading blanks skipped, empty
 * and comment lines dropped, each line cut at its first `#`.
 */
function databaseLines(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.split("\n")) {
    let start = 0;
    while (cIsSpace(raw[start])) start++;
    if (start === raw.length || raw[start] === "#") continue;
    const hash = raw.indexOf("#", start);
    out.push(raw.slice(start, hash === -1 ? undefined : hash));
  }
  return out;
}

/** Splits on runs of C white space, as nss_files' `STRING_FIELD` and list parsers do. */
export function splitFields(line: string): string[] {
  return line.split(/[ \t\n\v\f\r]+/).filter((field) => field !== "");
}

/** One /etc/hosts entry as nss_files parses it for a family. */
interface HostsEntry {
  name: string;
  aliases: string[];
  family: number;
  address: Buffer;
}

/**
 * nss_files' hosts line parser: the address is read for the family asked
 * (`AF_UNSPEC`: IPv4, else IPv6); an IPv4 query also takes IPv4-mapped
 * lines and reads `::1` as `127.0.0.1`; any other line is skipped.
 */
function parseHostsLine(line: string, af: number): HostsEntry | undefined {
  const [addressText = "", name = "", ...aliases] = splitFields(line);
  let family = af === AF_UNSPEC ? AF_INET : af;
  let address = family === AF_INET ? parseIPv4(addressText) : parseIPv6(addressText);
  if (!address) {
    const v6 = parseIPv6(addressText);
    if (af === AF_INET && v6) {
      if (isV4Mapped(v6)) address = v6.subarray(12);
      else if (v6.equals(LOOPBACK6)) address = Buffer.from([127, 0, 0, 1]);
      else return undefined;
    } else if (af === AF_UNSPEC && v6) {
      family = AF_INET6;
      address = v6;
    } else {
      return undefined;
    }
  }
  return { name, aliases, family, address: Buffer.from(address) };
}

/** ASCII case-insensitive equality, as C's `strcasecmp`. */
function equalsIgnoringCase(a: string, b: string): boolean {
  return (
    a.length === b.length &&
    a.replace(/[A-Z]/g, (c) => c.toLowerCase()) === b.replace(/[A-Z]/g, (c) => c.toLowerCase())
  );
}

function hostsEntryMatches(entry: HostsEntry, name: string): boolean {
  return (
    equalsIgnoringCase(entry.name, name) || entry.aliases.some((alias) => equalsIgnoringCase(alias, name))
  );
}

/** A `struct hostent`. */
export interface HostEnt {
  name: string;
  aliases: string[];
  family: number;
  addresses: Buffer[];
}

/**
 * nss_files `gethostbyname3_r` over the text of an /etc/hosts: the first
 * entry whose name or alias matches `name` (ASCII case-insensitively);
 * with host.conf's `multi`, the addresses and aliases of every later
 * matching entry are appended, and their names too when they differ.
 *
 * @internal exported for tests.
 */
export function _hostsByName(text: string, name: string, af: number, multi: boolean): HostEnt | undefined {
  let found: HostEnt | undefined;
  for (const line of databaseLines(text)) {
    const entry = parseHostsLine(line, af);
    if (!entry || !hostsEntryMatches(entry, name)) continue;
    if (!found) {
      found = {
        name: entry.name,
        aliases: [...entry.aliases],
        family: entry.family,
        addresses: [entry.address],
      };
      if (!multi) return found;
      continue;
    }
    found.addresses.push(entry.address);
    found.aliases.push(...entry.aliases);
    // glibc: "If the real name is different add it also to the aliases."
    if (entry.name !== found.name) found.aliases.push(entry.name);
  }
  return found;
}

/**
 * nss_files `gethostbyaddr2_r` over the text of an /etc/hosts: the first
 * entry, read for `af`, whose address is `address`.
 *
 * @internal exported for tests.
 */
export function _hostsByAddr(text: string, address: Uint8Array, af: number): HostEnt | undefined {
  for (const line of databaseLines(text)) {
    const entry = parseHostsLine(line, af);
    if (entry?.address.equals(address)) {
      return { name: entry.name, aliases: entry.aliases, family: entry.family, addresses: [entry.address] };
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------
// Services and protocols (nss_files)
// ---------------------------------------------------------------------------

export interface ServiceEntry {
  name: string;
  port: number;
  proto: string;
  aliases: string[];
}

/**
 * Parses an /etc/services as nss_files does: `name port/proto aliases...`,
 * the port read as a 32-bit number (C syntax: `0x50`, `010`) and cut to 16
 * bits; malformed lines skipped.
 *
 * @internal exported for tests.
 */
export function _parseServices(text: string): ServiceEntry[] {
  const out: ServiceEntry[] = [];
  for (const line of databaseLines(text)) {
    const [name = "", portProto = "", ...aliases] = splitFields(line);
    const { value, end, overflow } = cStrtoul(portProto, 0, 0);
    // glibc reads a 32-bit number (so "-1" is refused), then keeps 16 bits.
    if (end === 0 || overflow || value > 0xffffffffn || portProto[end] !== "/") continue;
    let protoStart = end;
    while (portProto[protoStart] === "/") protoStart++;
    out.push({ name, port: Number(value & 0xffffn), proto: portProto.slice(protoStart), aliases });
  }
  return out;
}

/**
 * Parses an /etc/protocols as nss_files does: `name number aliases...`.
 *
 * @internal exported for tests.
 */
export function _parseProtocols(text: string): Array<{ name: string; number: number; aliases: string[] }> {
  const out: Array<{ name: string; number: number; aliases: string[] }> = [];
  for (const line of databaseLines(text)) {
    const [name = "", numberText = "", ...aliases] = splitFields(line);
    const { value, end, overflow } = cStrtoul(numberText, 0, 10);
    // A 32-bit unsigned number, stored in an int: "-1" is refused, "4294967295" is -1.
    if (end === 0 || end !== numberText.length || overflow || value > 0xffffffffn) continue;
    out.push({ name, number: Number(BigInt.asIntN(32, value)), aliases });
  }
  return out;
}
