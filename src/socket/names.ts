/**
 * Python's host, address and service look-ups from the `socket` module:
 * `gethostname`, `gethostbyname`, `gethostbyname_ex`, `gethostbyaddr`,
 * `getfqdn`, `getaddrinfo`, `getnameinfo`, `getservbyname`,
 * `getservbyport`, `getprotobyname`, `has_ipv6`, and the address types
 * the `Socket` class uses.
 *
 * Python hands these to the C library, so on Linux their behaviour is
 * glibc's. netkit reproduces it in three parts:
 *
 * ```text
 *  getaddrinfo / gethostbyname / getnameinfo's address parsing
 *     └─ glibc's getaddrinfo front end, ported: flags, service and
 *        socket-type table (one result per type: STREAM, DGRAM, RAW),
 *        numeric hosts, scope ids, the wildcard and loopback addresses;
 *        names go to the C library itself through node:dns `lookup`,
 *        so /etc/hosts, nsswitch, DNS and the RFC 3484 order are libc's.
 *  gethostbyname_ex / gethostbyaddr / getnameinfo's names / canonname
 *     └─ glibc's "hosts" database, emulated: the sources named in
 *        /etc/nsswitch.conf, of which `files` (/etc/hosts, parsed as
 *        nss_files does, with host.conf's `multi`) and `dns` (node:dns
 *        Resolver, with resolv.conf's search list) are consulted.
 *  getservby* / getprotobyname
 *     └─ /etc/services and /etc/protocols, parsed as nss_files does
 *        (Debian's `netbase` package installs both).
 * ```
 *
 * Nothing is cached: each call reads the files and asks the resolver
 * again, as Python does. Every call that may touch the network is bounded:
 * past `timeout` seconds (default `RESOLVE_TIMEOUT`) it fails the way the C
 * library fails when name servers do not answer: `gaierror` EAI_AGAIN, or
 * `herror` TRY_AGAIN for `gethostbyname_ex`/`gethostbyaddr`.
 *
 * Naming: Python's names are kept (`gethostbyname_ex`, not
 * `gethostbynameEx`): they are the C library's names in Python too.
 *
 * Known differences: NSS sources other than `files` and `dns` (`myhostname`,
 * `mdns`, `ldap`, ...) are not consulted by the hostent-style functions;
 * non-ASCII host names are encoded with an approximation of IDNA 2003's
 * nameprep; where Python reports a stale `h_errno` (`gethostbyname_ex`
 * of `"<broadcast>"`), netkit reports HOST_NOT_FOUND.
 *
 * @module
 */
import { ALL as NODE_ALL, V4MAPPED as NODE_V4MAPPED } from "node:dns";
import { lookup, Resolver } from "node:dns/promises";
import { readdirSync, readFileSync } from "node:fs";
import { hostname, networkInterfaces } from "node:os";
import { domainToUnicode } from "node:url";
import { OSError, OverflowError, UnicodeError, ValueError } from "../errors/index.js";
import type { INET6Address, INETAddress } from "./address.js";
import {
  AF_INET,
  AF_INET6,
  AF_UNSPEC,
  AI_ADDRCONFIG,
  AI_ALL,
  AI_CANONNAME,
  AI_NUMERICHOST,
  AI_NUMERICSERV,
  AI_PASSIVE,
  AI_V4MAPPED,
  IPPROTO_TCP,
  IPPROTO_UDP,
  NI_DGRAM,
  NI_NAMEREQD,
  NI_NOFQDN,
  NI_NUMERICHOST,
  NI_NUMERICSERV,
  SOCK_DGRAM,
  SOCK_RAW,
  SOCK_STREAM,
} from "./constants.js";
import { gaierror, gaierrorFromNode, herror } from "./errors.js";
import {
  asCInt,
  asCUIntMask,
  cIsSpace,
  cStrtoul,
  formatAddressBytes,
  inetAtonExact,
  parseIPv4,
  parseIPv6,
  pyTypeName,
} from "./inet.js";

export type { Address, INET6Address, INETAddress, UNIXAddress } from "./address.js";

// ---------------------------------------------------------------------------
// Time limits
// ---------------------------------------------------------------------------

/**
 * Seconds a name look-up may take by default before it fails as an
 * unanswered DNS query does (`gaierror` EAI_AGAIN): well above glibc's own
 * limit for one query with the default resolv.conf (5 s × 2 attempts), so a
 * slow but answering server still answers.
 */
export const RESOLVE_TIMEOUT = 30;

/** Options of the look-ups that may wait on the network. */
export interface ResolveOptions {
  /**
   * Seconds the whole call may take. Past it the call fails as the C
   * library fails when name servers do not answer: `gaierror` EAI_AGAIN
   * (`herror` TRY_AGAIN for `gethostbyname_ex` and `gethostbyaddr`). A
   * `dns.lookup` already handed to the C library finishes in the
   * background; its answer is dropped.
   * @default RESOLVE_TIMEOUT (30)
   */
  timeout?: number;
}

/** Raised inside a look-up when its deadline passes. */
class Expired extends Error {}

/** One call's time budget, shared by all the queries it makes. */
class Deadline {
  readonly #end: number;

  constructor(options: ResolveOptions | undefined) {
    const seconds = options?.timeout ?? RESOLVE_TIMEOUT;
    if (typeof seconds !== "number" || !Number.isFinite(seconds) || !(seconds > 0)) {
      throw new ValueError(`Cannot resolve with timeout ${String(seconds)}: it must be a positive number`);
    }
    this.#end = Date.now() + seconds * 1000;
  }

  /** Settles as `promise` does, or rejects with `Expired` (after `onExpire`) when time runs out first. */
  race<T>(promise: Promise<T>, onExpire?: () => void): Promise<T> {
    // The loser's rejection must not surface as an unhandled rejection.
    promise.catch(() => {});
    const left = this.#end - Date.now();
    if (left <= 0) {
      onExpire?.();
      return Promise.reject(new Expired());
    }
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(
        () => {
          onExpire?.();
          reject(new Expired());
        },
        Math.min(left, 2 ** 31 - 1),
      );
      promise.then(
        (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        (error: unknown) => {
          clearTimeout(timer);
          reject(error);
        },
      );
    });
  }
}

// ---------------------------------------------------------------------------
// Python's argument handling
// ---------------------------------------------------------------------------

/** Python's `str.isspace()` characters, for `getfqdn`'s `strip()`. */
const PY_WHITESPACE =
  "[\\t\\n\\v\\f\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]";
const PY_STRIP = new RegExp(`^${PY_WHITESPACE}+|${PY_WHITESPACE}+$`, "g");

function idnaFailed(reason: string): UnicodeError {
  return new UnicodeError(`encoding with 'idna' codec failed (UnicodeError: ${reason})`);
}

/** RFC 3492 Punycode encoding of one label. */
function punycode(label: string): string {
  const BASE = 36;
  const T_MIN = 1;
  const T_MAX = 26;
  const codePoints = Array.from(label, (ch) => ch.codePointAt(0)!);
  let output = codePoints
    .filter((c) => c < 0x80)
    .map((c) => String.fromCharCode(c))
    .join("");
  const basic = output.length;
  if (basic > 0) output += "-";
  const digit = (d: number) => String.fromCharCode(d < 26 ? 0x61 + d : 0x30 + d - 26);
  const adapt = (delta: number, points: number, first: boolean): number => {
    let d = first ? Math.floor(delta / 700) : Math.floor(delta / 2);
    d += Math.floor(d / points);
    let k = 0;
    while (d > ((BASE - T_MIN) * T_MAX) >> 1) {
      d = Math.floor(d / (BASE - T_MIN));
      k += BASE;
    }
    return k + Math.floor(((BASE - T_MIN + 1) * d) / (d + 38));
  };
  let n = 0x80;
  let delta = 0;
  let bias = 72;
  let handled = basic;
  while (handled < codePoints.length) {
    const m = Math.min(...codePoints.filter((c) => c >= n));
    delta += (m - n) * (handled + 1);
    n = m;
    for (const c of codePoints) {
      if (c < n) delta++;
      if (c !== n) continue;
      let q = delta;
      for (let k = BASE; ; k += BASE) {
        const t = k <= bias ? T_MIN : k >= bias + T_MAX ? T_MAX : k - bias;
        if (q < t) break;
        output += digit(t + ((q - t) % (BASE - t)));
        q = Math.floor((q - t) / (BASE - t));
      }
      output += digit(q);
      bias = adapt(delta, handled + 1, handled === basic);
      delta = 0;
      handled++;
    }
    delta++;
    n++;
  }
  return output;
}

const ASCII = /^\p{ASCII}*$/u;

/** RFC 3454 table B.1: characters nameprep maps to nothing. */
const MAPPED_TO_NOTHING = new Set([
  0xad, 0x34f, 0x1806, 0x180b, 0x180c, 0x180d, 0x200b, 0x200c, 0x200d, 0x2060, 0xfe00, 0xfe01, 0xfe02, 0xfe03,
  0xfe04, 0xfe05, 0xfe06, 0xfe07, 0xfe08, 0xfe09, 0xfe0a, 0xfe0b, 0xfe0c, 0xfe0d, 0xfe0e, 0xfe0f, 0xfeff,
]);

/**
 * IDNA 2003 ToASCII of one non-ASCII label, as Python's `idna` codec does
 * it. Nameprep (RFC 3491) is approximated: characters mapped to nothing
 * are dropped, case is folded, NFKC applied; its prohibited-character and
 * bidi checks are not made.
 */
function labelToASCII(label: string): string {
  if (ASCII.test(label)) {
    if (label.length > 0 && label.length < 64) return label;
    throw idnaFailed("label empty or too long");
  }
  const prepared = label
    .split("")
    .filter((ch) => !MAPPED_TO_NOTHING.has(ch.charCodeAt(0)))
    .join("")
    .toLowerCase()
    .replace(/\u00df/g, "ss")
    .replace(/\u03c2/g, "\u03c3")
    .normalize("NFKC");
  if (ASCII.test(prepared)) {
    if (prepared.length > 0 && prepared.length < 64) return prepared;
    throw idnaFailed("label empty or too long");
  }
  if (prepared.toLowerCase().startsWith("xn--")) throw idnaFailed("Label starts with ACE prefix");
  const encoded = `xn--${punycode(prepared)}`;
  if (encoded.length < 64) return encoded;
  throw idnaFailed("label empty or too long");
}

/**
 * Python's `idna` codec on a host name (what `getaddrinfo`,
 * `gethostbyname` and friends do to a `str` host): ASCII names pass
 * unchanged after a label-length check; other labels become `xn--` ACE.
 */
function idnaEncode(host: string): string {
  if (host === "") return "";
  if (ASCII.test(host)) {
    const labels = host.split(".");
    for (const label of labels.slice(0, -1)) {
      if (!(label.length > 0 && label.length < 64)) throw idnaFailed("label empty or too long");
    }
    if (labels.at(-1)!.length >= 64) throw idnaFailed("label too long");
    return host;
  }
  const labels = host.split(/[.\u3002\uff0e\uff61]/);
  let trailingDot = "";
  if (labels.length > 0 && labels.at(-1) === "") {
    trailingDot = ".";
    labels.pop();
  }
  return labels.map(labelToASCII).join(".") + trailingDot;
}

/** C sees a string only up to its first NUL. */
function cString(text: string): string {
  const nul = text.indexOf("\0");
  return nul === -1 ? text : text.slice(0, nul);
}

/** Python's `"et"` argument with the `idna` encoding, as `gethostbyname` and friends parse a host. */
function encodedHostArg(fn: string, value: unknown): string {
  if (typeof value !== "string") {
    throw new TypeError(`${fn}() argument 1 must be str, bytes or bytearray, not ${pyTypeName(value)}`);
  }
  const encoded = idnaEncode(value);
  if (encoded.includes("\0")) {
    throw new TypeError(`${fn}() argument 1 must be encoded string without null bytes, not str`);
  }
  return encoded;
}

/** Python's `"s"` argument: a str without NUL characters. */
function strArg(fn: string, value: unknown, position: number): string {
  if (typeof value !== "string") {
    throw new TypeError(`${fn}() argument ${position} must be str, not ${pyTypeName(value)}`);
  }
  if (value.includes("\0")) throw new ValueError("embedded null character");
  return value;
}

// ---------------------------------------------------------------------------
// System files, read afresh on every call as the C library does
// ---------------------------------------------------------------------------

function readSystemFile(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}

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
function splitFields(line: string): string[] {
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
interface HostEnt {
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

/** host.conf's `multi` (overridden by `RESOLV_MULTI`), read as glibc's res_hconf does. */
function hostsMulti(): boolean {
  const fromEnv = process.env.RESOLV_MULTI;
  let multi = false;
  for (const line of (readSystemFile("/etc/host.conf") ?? "").split("\n")) {
    const [keyword, value] = splitFields(line.replace(/#.*/, ""));
    if (keyword?.toLowerCase() === "multi" && value !== undefined) multi = value.toLowerCase() === "on";
  }
  if (fromEnv !== undefined) multi = fromEnv.trim().toLowerCase() === "on";
  return multi;
}

type NssStatus = "success" | "notfound" | "unavail" | "tryagain";

interface NssSource {
  name: string;
  actions: Partial<Record<NssStatus, "return" | "continue">>;
}

/**
 * The `hosts:` line of /etc/nsswitch.conf: sources in order, each with its
 * `[STATUS=ACTION]` overrides. glibc's default when there is none:
 * `dns [!UNAVAIL=return] files`.
 */
function hostsSources(): NssSource[] {
  let spec = "dns [!UNAVAIL=return] files";
  for (const line of (readSystemFile("/etc/nsswitch.conf") ?? "").split("\n")) {
    const match = /^\s*hosts\s*:(.*)$/.exec(line.replace(/#.*/, ""));
    if (match) {
      spec = match[1]!;
      break;
    }
  }
  const sources: NssSource[] = [];
  const statuses: NssStatus[] = ["success", "notfound", "unavail", "tryagain"];
  for (const token of spec.match(/\[[^\]]*\]|[^\s[]+/g) ?? []) {
    if (!token.startsWith("[")) {
      sources.push({ name: token.toLowerCase(), actions: {} });
      continue;
    }
    const last = sources.at(-1);
    if (!last) continue;
    for (const item of splitFields(token.slice(1, -1))) {
      const m = /^(!?)(\w+)=(\w+)$/.exec(item);
      if (!m) continue;
      const status = m[2]!.toLowerCase() as NssStatus;
      const action = m[3]!.toLowerCase() === "return" ? "return" : "continue";
      if (!statuses.includes(status)) continue;
      for (const s of m[1] ? statuses.filter((x) => x !== status) : [status]) last.actions[s] = action;
    }
  }
  return sources;
}

interface ResolvConf {
  search: string[];
  ndots: number;
}

/** The search list and `ndots` of /etc/resolv.conf, as glibc's res_init reads them. */
function resolvConf(): ResolvConf {
  let search: string[] | undefined;
  let ndots = 1;
  for (const line of (readSystemFile("/etc/resolv.conf") ?? "").split("\n")) {
    const [keyword, ...args] = splitFields(line.replace(/[#;].*/, ""));
    if (keyword === "domain" && args[0]) search = [args[0]];
    else if (keyword === "search") search = args;
    else if (keyword === "options") {
      for (const option of args) {
        const m = /^ndots:(\d+)$/.exec(option);
        if (m) ndots = Math.min(Number(m[1]), 15);
      }
    }
  }
  const local = process.env.LOCALDOMAIN;
  if (local !== undefined) search = splitFields(local);
  if (search === undefined) {
    // Without domain/search, glibc takes the domain part of the host name.
    const dot = hostname().indexOf(".");
    search = dot === -1 ? [] : [hostname().slice(dot + 1)];
  }
  return { search: search.filter((domain) => domain !== "" && domain !== "."), ndots };
}

// ---------------------------------------------------------------------------
// Network interfaces (scope ids, AI_ADDRCONFIG)
// ---------------------------------------------------------------------------

/** Interface name → index, from /sys/class/net (Linux), else what os.networkInterfaces() reveals. */
function interfaceIndexes(): Map<string, number> {
  const out = new Map<string, number>();
  try {
    for (const name of readdirSync("/sys/class/net")) {
      const index = Number(readSystemFile(`/sys/class/net/${name}/ifindex`)?.trim());
      if (Number.isInteger(index) && index > 0) out.set(name, index);
    }
  } catch {
    // Not Linux, or no sysfs: link-local addresses carry their interface index.
  }
  if (out.size === 0) {
    for (const [name, addresses] of Object.entries(networkInterfaces())) {
      for (const a of addresses ?? []) if (a.family === "IPv6" && a.scopeid) out.set(name, a.scopeid);
    }
  }
  return out;
}

function ifIndexToName(index: number): string | undefined {
  for (const [name, i] of interfaceIndexes()) if (i === index) return name;
  return undefined;
}

/** Which families have a non-loopback address, as glibc's `__check_pf` decides for AI_ADDRCONFIG. */
function configuredFamilies(): { v4: boolean; v6: boolean } {
  let v4 = false;
  let v6 = false;
  for (const addresses of Object.values(networkInterfaces())) {
    for (const a of addresses ?? []) {
      if (a.family === "IPv4" && a.address !== "127.0.0.1") v4 = true;
      if (a.family === "IPv6" && a.address !== "::1") v6 = true;
    }
  }
  return { v4, v6 };
}

/** Whether ::1 is usable, which decides glibc's RFC 3484 order of the loopback pair. */
function hasIPv6Loopback(): boolean {
  return Object.values(networkInterfaces()).some((addresses) =>
    (addresses ?? []).some((a) => a.family === "IPv6" && a.address === "::1"),
  );
}

// ---------------------------------------------------------------------------
// Addresses
// ---------------------------------------------------------------------------

const LOOPBACK6 = Buffer.from("00000000000000000000000000000001", "hex");
const ANY6 = Buffer.alloc(16);

function isV4Mapped(a: Uint8Array): boolean {
  return a.length === 16 && a.subarray(0, 10).every((b) => b === 0) && a[10] === 0xff && a[11] === 0xff;
}

function isLinkLocal6(a: Uint8Array): boolean {
  return a[0] === 0xfe && (a[1]! & 0xc0) === 0x80;
}

function isMulticastLinkLocal6(a: Uint8Array): boolean {
  return a[0] === 0xff && (a[1]! & 0x0f) === 0x02;
}

function isMulticastNodeLocal6(a: Uint8Array): boolean {
  return a[0] === 0xff && (a[1]! & 0x0f) === 0x01;
}

/** glibc's `__inet6_scopeid_pton`: an interface name (link-local scopes only) or a decimal number. */
function scopeIdFromText(address: Uint8Array, scope: string): number | undefined {
  if (isLinkLocal6(address) || isMulticastNodeLocal6(address) || isMulticastLinkLocal6(address)) {
    const index = interfaceIndexes().get(scope);
    if (index) return index;
  }
  if (scope[0] !== undefined && scope[0] >= "0" && scope[0] <= "9") {
    const { value, end, overflow } = cStrtoul(scope, 0, 10);
    if (end === scope.length && !overflow && value <= 0xffffffffn) return Number(value);
  }
  return undefined;
}

// ---------------------------------------------------------------------------
// The "hosts" database: files and dns sources
// ---------------------------------------------------------------------------

const HOST_NOT_FOUND = 1;
const TRY_AGAIN = 2;
const NO_RECOVERY = 3;
const NO_DATA = 4;

type NssResult =
  | { status: "success"; host: HostEnt }
  | { status: Exclude<NssStatus, "success">; herrno: number };

/** The `h_errno` glibc's resolver sets for a c-ares error code. */
function herrnoForDnsError(err: unknown): number {
  if (err instanceof Expired) return TRY_AGAIN;
  switch ((err as { code?: unknown } | null)?.code) {
    case "ENODATA":
      return NO_DATA;
    case "ESERVFAIL":
    case "ETIMEOUT":
    case "ECONNREFUSED":
    case "ECANCELLED":
      return TRY_AGAIN;
    case "EREFUSED":
    case "EFORMERR":
    case "ENOTIMP":
      return NO_RECOVERY;
    default:
      return HOST_NOT_FOUND;
  }
}

function failure(herrno: number): NssResult {
  return { status: herrno === TRY_AGAIN ? "tryagain" : "notfound", herrno };
}

/** The names glibc's `res_search` tries for `name`, in order, with the search list. */
function searchCandidates(name: string): string[] {
  if (name.endsWith(".")) return [name.slice(0, -1)];
  const { search, ndots } = resolvConf();
  const dots = name.split(".").length - 1;
  const out: string[] = [];
  if (dots >= ndots) out.push(name);
  for (const domain of search) out.push(`${name}.${domain}`);
  if (dots < ndots) out.push(name);
  return out;
}

/** Runs `query` on each search candidate until one answers; glibc's choice of `h_errno` otherwise. */
async function dnsSearch<T>(
  name: string,
  query: (qname: string) => Promise<T>,
): Promise<{ qname: string; answer: T } | { herrno: number }> {
  const errors: number[] = [];
  for (const qname of searchCandidates(name)) {
    try {
      return { qname, answer: await query(qname) };
    } catch (err) {
      const herrno = herrnoForDnsError(err);
      if (err instanceof Expired || herrno === NO_RECOVERY) return { herrno };
      errors.push(herrno);
    }
  }
  const herrno = errors.includes(NO_DATA)
    ? NO_DATA
    : errors.includes(TRY_AGAIN)
      ? TRY_AGAIN
      : (errors[0] ?? HOST_NOT_FOUND);
  return { herrno };
}

/** Follows CNAME records from `qname` (at most 8), returning the chain of names. */
async function cnameChain(resolver: Resolver, qname: string, deadline: Deadline): Promise<string[]> {
  const chain = [qname];
  for (let hop = 0; hop < 8; hop++) {
    try {
      const [target] = await deadline.race(resolver.resolveCname(chain.at(-1)!), () => resolver.cancel());
      if (!target || chain.includes(target)) break;
      chain.push(target);
    } catch {
      break;
    }
  }
  return chain;
}

/** The dns source's `gethostbyname2_r`: A or AAAA records, the canonical name after CNAMEs. */
async function dnsByName(name: string, af: number, deadline: Deadline): Promise<NssResult> {
  const resolver = new Resolver();
  const found = await dnsSearch(name, (qname) =>
    deadline.race(af === AF_INET6 ? resolver.resolve6(qname) : resolver.resolve4(qname), () =>
      resolver.cancel(),
    ),
  );
  if ("herrno" in found) return failure(found.herrno);
  const addresses = found.answer
    .map((a) => (af === AF_INET6 ? parseIPv6(a) : parseIPv4(a)))
    .filter((a): a is Buffer => a !== undefined);
  if (addresses.length === 0) return failure(NO_DATA);
  const chain = await cnameChain(resolver, found.qname, deadline);
  return {
    status: "success",
    host: { name: chain.at(-1)!, aliases: chain.slice(0, -1), family: af, addresses },
  };
}

/** The DNS name a PTR query asks for `address` (RFC 1035 section 3.5, RFC 3596 section 2.5). */
function reverseName(address: Uint8Array): string {
  if (address.length === 4) return `${[...address].reverse().join(".")}.in-addr.arpa`;
  const nibbles: string[] = [];
  for (const byte of [...address].reverse())
    nibbles.push((byte & 0xf).toString(16), (byte >> 4).toString(16));
  return `${nibbles.join(".")}.ip6.arpa`;
}

/** The dns source's `gethostbyaddr2_r`: the first PTR record. */
async function dnsByAddr(address: Buffer, af: number, deadline: Deadline): Promise<NssResult> {
  let query = address;
  // glibc asks in-addr.arpa for IPv4-mapped and IPv4-compatible (not ::, ::1) addresses.
  const compatible =
    address.length === 16 &&
    address.subarray(0, 12).every((b) => b === 0) &&
    !address.equals(LOOPBACK6) &&
    !address.equals(ANY6);
  if (isV4Mapped(address) || compatible) query = address.subarray(12);
  const resolver = new Resolver();
  try {
    const names = await deadline.race(resolver.resolvePtr(reverseName(query)), () => resolver.cancel());
    if (names.length === 0) return failure(NO_DATA);
    return { status: "success", host: { name: names[0]!, aliases: [], family: af, addresses: [address] } };
  } catch (err) {
    return failure(herrnoForDnsError(err));
  }
}

/** Runs the hosts database's sources in nsswitch order until one's action says return. */
async function nssHosts(files: () => HostEnt | undefined, dns: () => Promise<NssResult>): Promise<NssResult> {
  let result: NssResult = { status: "unavail", herrno: HOST_NOT_FOUND };
  for (const source of hostsSources()) {
    if (source.name === "files") {
      const host = files();
      result = host ? { status: "success", host } : { status: "notfound", herrno: HOST_NOT_FOUND };
    } else if (source.name === "dns" || source.name === "resolve") {
      result = await dns();
    } else {
      continue;
    }
    const action = source.actions[result.status] ?? (result.status === "success" ? "return" : "continue");
    if (action === "return") break;
  }
  return result;
}

/**
 * glibc's `gethostbyname_r` (IPv4): a numeric name answers itself
 * (`__nss_hostname_digits_dots`), anything else goes to the hosts database.
 */
async function nssGethostbyname(name: string, deadline: Deadline): Promise<NssResult> {
  if (name === "") return { status: "unavail", herrno: NO_RECOVERY };
  const first = name[0]!;
  if (/[0-9]/.test(first) && /^[0-9.]*$/.test(name) && !name.endsWith(".")) {
    const address = inetAtonExact(name);
    if (!address) return { status: "notfound", herrno: HOST_NOT_FOUND };
    return { status: "success", host: { name, aliases: [], family: AF_INET, addresses: [address] } };
  }
  // An IPv6 literal cannot be an IPv4 host entry.
  if ((/[0-9a-fA-F]/.test(first) && name.includes(":")) || first === ":") {
    return { status: "notfound", herrno: HOST_NOT_FOUND };
  }
  const multi = hostsMulti();
  return nssHosts(
    () => _hostsByName(readSystemFile("/etc/hosts") ?? "", name, AF_INET, multi),
    () => dnsByName(name, AF_INET, deadline),
  );
}

/** glibc's `gethostbyaddr_r`: the hosts database, `::` excepted. */
async function nssGethostbyaddr(address: Buffer, af: number, deadline: Deadline): Promise<NssResult> {
  if (af === AF_INET6 && address.equals(ANY6)) return { status: "notfound", herrno: HOST_NOT_FOUND };
  return nssHosts(
    () => _hostsByAddr(readSystemFile("/etc/hosts") ?? "", address, af),
    () => dnsByAddr(address, af, deadline),
  );
}

/** The canonical name glibc's getaddrinfo reports for a name the NSS answered (AI_CANONNAME). */
async function canonicalName(
  name: string,
  family: number,
  flags: number,
  deadline: Deadline,
): Promise<string> {
  const hosts = readSystemFile("/etc/hosts") ?? "";
  const families =
    family === AF_INET6 && flags & AI_V4MAPPED
      ? [AF_INET6, AF_INET]
      : [family === AF_UNSPEC ? AF_UNSPEC : family];
  const result = await nssHosts(
    () => {
      for (const af of families) {
        const host = _hostsByName(hosts, name, af, false);
        if (host) return host;
      }
      return undefined;
    },
    () => dnsByName(name, family === AF_INET6 ? AF_INET6 : AF_INET, deadline),
  ).catch(() => undefined);
  return result?.status === "success" ? result.host.name : name;
}

/** Decodes the `xn--` labels of a name (AI_CANONIDN, NI_IDN). */
function idnaToUnicode(name: string): string {
  return name
    .split(".")
    .map((label) => {
      if (!label.toLowerCase().startsWith("xn--")) return label;
      const decoded = domainToUnicode(label);
      return decoded === "" ? label : decoded;
    })
    .join(".");
}

// ---------------------------------------------------------------------------
// Services and protocols (nss_files)
// ---------------------------------------------------------------------------

interface ServiceEntry {
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

function services(): ServiceEntry[] {
  return _parseServices(readSystemFile("/etc/services") ?? "");
}

/** nss_files `getservbyname_r`: name or alias (case-sensitive) and, when given, protocol. */
function serviceByName(name: string, proto: string | undefined): ServiceEntry | undefined {
  return services().find(
    (s) => (proto === undefined || s.proto === proto) && (s.name === name || s.aliases.includes(name)),
  );
}

/** nss_files `getservbyport_r`: port and, when given, protocol. */
function serviceByPort(port: number, proto: string | undefined): ServiceEntry | undefined {
  return services().find((s) => s.port === port && (proto === undefined || s.proto === proto));
}

// ---------------------------------------------------------------------------
// getaddrinfo: glibc's front end
// ---------------------------------------------------------------------------

const SOCK_SEQPACKET = 5;
const SOCK_DCCP = 6;
const IPPROTO_DCCP = 33;
const IPPROTO_SCTP = 132;
const IPPROTO_UDPLITE = 136;

/** glibc's `gaih_inet_typeproto`: the socket types getaddrinfo knows, in result order. */
const TYPEPROTO = [
  {
    socktype: SOCK_STREAM,
    protocol: IPPROTO_TCP,
    protoAny: false,
    noService: false,
    byDefault: true,
    name: "tcp",
  },
  {
    socktype: SOCK_DGRAM,
    protocol: IPPROTO_UDP,
    protoAny: false,
    noService: false,
    byDefault: true,
    name: "udp",
  },
  {
    socktype: SOCK_DCCP,
    protocol: IPPROTO_DCCP,
    protoAny: false,
    noService: false,
    byDefault: false,
    name: "dccp",
  },
  {
    socktype: SOCK_DGRAM,
    protocol: IPPROTO_UDPLITE,
    protoAny: false,
    noService: false,
    byDefault: false,
    name: "udplite",
  },
  {
    socktype: SOCK_STREAM,
    protocol: IPPROTO_SCTP,
    protoAny: false,
    noService: false,
    byDefault: false,
    name: "sctp",
  },
  {
    socktype: SOCK_SEQPACKET,
    protocol: IPPROTO_SCTP,
    protoAny: false,
    noService: false,
    byDefault: false,
    name: "sctp",
  },
  { socktype: SOCK_RAW, protocol: 0, protoAny: true, noService: true, byDefault: true, name: "raw" },
] as const;

interface GaiHints {
  family: number;
  socktype: number;
  protocol: number;
  flags: number;
}

interface ServTuple {
  socktype: number;
  protocol: number;
  port: number;
}

interface GaiResult {
  family: number;
  socktype: number;
  protocol: number;
  canonname: string;
  address: string;
  port: number;
  scopeId: number;
}

/** glibc's `get_servtuples`: the (type, protocol, port) triples each address is returned with. */
function servTuples(service: { name: string; num: number } | null, hints: GaiHints): ServTuple[] {
  const { socktype, protocol } = hints;
  let tp: (typeof TYPEPROTO)[number] | undefined;
  if (socktype !== 0 || protocol !== 0) {
    tp = TYPEPROTO.find(
      (t) =>
        !(
          (socktype !== 0 && socktype !== t.socktype) ||
          (protocol !== 0 && !t.protoAny && protocol !== t.protocol)
        ),
    );
    if (!tp) throw new gaierror(socktype !== 0 ? -7 : -8);
  }
  if (service && tp?.noService) throw new gaierror(-8);
  if (!service || service.num >= 0) {
    const port = service ? service.num & 0xffff : 0;
    if (tp) return [{ socktype: tp.socktype, protocol: tp.protoAny ? protocol : tp.protocol, port }];
    return TYPEPROTO.filter((t) => t.byDefault).map((t) => ({
      socktype: t.socktype,
      protocol: t.protocol,
      port,
    }));
  }
  if (tp) {
    const found = serviceByName(service.name, tp.name);
    if (!found) throw new gaierror(-8);
    return [{ socktype: tp.socktype, protocol: tp.protoAny ? protocol : tp.protocol, port: found.port }];
  }
  const out: ServTuple[] = [];
  for (const t of TYPEPROTO) {
    if (t.noService) continue;
    const found = serviceByName(service.name, t.name);
    if (found) out.push({ socktype: t.socktype, protocol: t.protocol, port: found.port });
  }
  if (out.length === 0) throw new gaierror(-8);
  return out;
}

interface GaiAddress {
  family: number;
  bytes: Buffer;
  scopeId: number;
}

/** glibc's `text_to_binary_address`: a numeric host, or `undefined` for a name. */
function numericHost(name: string, hints: GaiHints): { address: GaiAddress } | undefined {
  const v4 = inetAtonExact(name);
  if (v4) {
    if (hints.family === AF_UNSPEC || hints.family === AF_INET) {
      return { address: { family: AF_INET, bytes: v4, scopeId: 0 } };
    }
    if (hints.family === AF_INET6 && hints.flags & AI_V4MAPPED) {
      const mapped = Buffer.alloc(16);
      mapped[10] = mapped[11] = 0xff;
      v4.copy(mapped, 12);
      return { address: { family: AF_INET6, bytes: mapped, scopeId: 0 } };
    }
    throw new gaierror(-9);
  }
  const percent = name.indexOf("%");
  const v6 = parseIPv6(name, percent === -1 ? name.length : percent);
  if (!v6) {
    if (hints.flags & AI_NUMERICHOST) throw new gaierror(-2);
    return undefined;
  }
  let address: GaiAddress;
  if (hints.family === AF_UNSPEC || hints.family === AF_INET6) {
    address = { family: AF_INET6, bytes: v6, scopeId: 0 };
  } else if (hints.family === AF_INET && isV4Mapped(v6)) {
    address = { family: AF_INET, bytes: v6.subarray(12), scopeId: 0 };
  } else {
    throw new gaierror(-9);
  }
  if (percent !== -1) {
    const scopeId = scopeIdFromText(v6, name.slice(percent + 1));
    if (scopeId === undefined) throw new gaierror(-2);
    address.scopeId = scopeId;
  }
  return { address };
}

/** Asks the C library (node:dns `lookup`, i.e. getaddrinfo(3)) for a name's addresses. */
async function libcAddresses(name: string, hints: GaiHints, deadline: Deadline): Promise<GaiAddress[]> {
  // Node answers "" itself with nothing; getaddrinfo(3) says EAI_NONAME.
  if (name === "") throw new gaierror(-2);
  let found: Array<{ address: string; family: number }>;
  try {
    found = await deadline.race(
      lookup(name, {
        all: true,
        verbatim: true,
        family: hints.family === AF_INET ? 4 : hints.family === AF_INET6 ? 6 : 0,
        hints: (hints.flags & AI_V4MAPPED ? NODE_V4MAPPED : 0) | (hints.flags & AI_ALL ? NODE_ALL : 0),
      }),
    );
  } catch (err) {
    if (err instanceof Expired) throw new gaierror(-3);
    throw gaierrorFromNode(err);
  }
  const out: GaiAddress[] = [];
  for (const a of found) {
    const bytes = a.family === 6 ? parseIPv6(a.address) : parseIPv4(a.address);
    if (bytes) out.push({ family: a.family === 6 ? AF_INET6 : AF_INET, bytes, scopeId: 0 });
  }
  if (out.length === 0) throw new gaierror(-2);
  return out;
}

/**
 * glibc's `getaddrinfo(name, service, hints)`, on C strings (already
 * IDNA-encoded and cut at NUL), with its checks in its order.
 */
async function gaiCore(
  nodeName: string | null,
  serviceName: string | null,
  requested: GaiHints,
  deadline: Deadline,
): Promise<GaiResult[]> {
  const name = nodeName === "*" ? null : nodeName;
  const service = serviceName === "*" ? null : serviceName;
  const hints = { ...requested };
  if (name === null && service === null) throw new gaierror(-2);
  // AI_PASSIVE ... AI_NUMERICSERV, plus AI_IDN, AI_CANONIDN and the deprecated IDN bits (0x7ff).
  if (hints.flags & ~0x7ff) throw new gaierror(-1);
  if (hints.flags & AI_CANONNAME && name === null) throw new gaierror(-1);
  if (hints.family !== AF_UNSPEC && hints.family !== AF_INET && hints.family !== AF_INET6) {
    throw new gaierror(-6);
  }
  if (hints.flags & AI_ADDRCONFIG) {
    const { v4, v6 } = configuredFamilies();
    if (hints.family === AF_UNSPEC && (v4 || v6)) {
      if (v4 !== v6) hints.family = v4 ? AF_INET : AF_INET6;
    } else if ((hints.family === AF_INET && !v4) || (hints.family === AF_INET6 && !v6)) {
      throw new gaierror(-2);
    }
  }
  let parsedService: { name: string; num: number } | null = null;
  if (service !== null && service !== "") {
    // The port is strtoul(service, 10) stored in an int: a number that
    // reads negative there is looked up as a name (and not found).
    const { value, end } = cStrtoul(service, 0, 10);
    let num = Number(BigInt.asIntN(32, value));
    if (end !== service.length) {
      if (hints.flags & AI_NUMERICSERV) throw new gaierror(-2);
      num = -1;
    }
    parsedService = { name: service, num };
  }
  const tuples = servTuples(parsedService, hints);

  let addresses: GaiAddress[];
  let canonname = "";
  if (name === null) {
    const passive = (hints.flags & AI_PASSIVE) !== 0;
    const v6 = { family: AF_INET6, bytes: passive ? ANY6 : LOOPBACK6, scopeId: 0 };
    const v4 = { family: AF_INET, bytes: Buffer.from(passive ? [0, 0, 0, 0] : [127, 0, 0, 1]), scopeId: 0 };
    if (hints.family === AF_INET6) addresses = [v6];
    else if (hints.family === AF_INET) addresses = [v4];
    // glibc's RFC 3484 sort puts 0.0.0.0 before ::, and ::1 before 127.0.0.1 when ::1 is usable.
    else addresses = passive || !hasIPv6Loopback() ? [v4, v6] : [v6, v4];
  } else {
    const numeric = numericHost(name, hints);
    if (numeric) {
      addresses = [numeric.address];
      if (hints.flags & AI_CANONNAME) canonname = name;
    } else {
      addresses = await libcAddresses(name, hints, deadline);
      if (hints.flags & AI_CANONNAME)
        canonname = await canonicalName(name, hints.family, hints.flags, deadline);
    }
    if (hints.flags & AI_CANONNAME && hints.flags & 0x80 /* AI_CANONIDN */)
      canonname = idnaToUnicode(canonname);
  }

  const out: GaiResult[] = [];
  for (const a of addresses) {
    for (const t of tuples) {
      out.push({
        family: a.family,
        socktype: t.socktype,
        protocol: t.protocol,
        // glibc sets the canonical name on the first result only.
        canonname: out.length === 0 ? canonname : "",
        address: formatAddressBytes(a.bytes),
        port: t.port,
        scopeId: a.scopeId,
      });
    }
  }
  return out;
}

/** Python's `setipaddr()`: one address for a host, the way `gethostbyname` and `gethostbyaddr` find it. */
async function setipaddr(
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

function addressOf(result: GaiResult): { family: number; bytes: Buffer } {
  const bytes = result.family === AF_INET6 ? parseIPv6(result.address) : parseIPv4(result.address);
  return { family: result.family, bytes: bytes! };
}

/** Python's `gethost_common()`: a hostent as `[name, aliases, addresses]`, or the herror. */
function gethostCommon(result: NssResult, af: number): [string, string[], string[]] {
  if (result.status !== "success") throw new herror(result.herrno);
  const { host } = result;
  // Python: "Let's get real error message to return" (EAFNOSUPPORT).
  if (host.family !== af) throw new OSError(97, "Address family not supported by protocol");
  return [host.name, [...host.aliases], host.addresses.map(formatAddressBytes)];
}

/** Runs a hostent look-up; the deadline passing reads as the resolver's TRY_AGAIN. */
async function hostentLookup(run: () => Promise<NssResult>): Promise<NssResult> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof Expired) return { status: "tryagain", herrno: TRY_AGAIN };
    throw err;
  }
}

// ---------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------

/**
 * One `getaddrinfo` result: `[family, type, proto, canonname, sockaddr]`,
 * Python's 5-tuple. `sockaddr` is `[host, port]` for AF_INET and
 * `[host, port, flowinfo, scopeId]` for AF_INET6.
 */
export type AddrInfo = [
  family: number,
  type: number,
  proto: number,
  canonname: string,
  sockaddr: INETAddress | INET6Address,
];

/** `getaddrinfo`'s keyword arguments, for callers who prefer names to positions. */
export interface GetaddrinfoOptions extends ResolveOptions {
  /**
   * `AF_INET`, `AF_INET6`, or `AF_UNSPEC` for both.
   * @default 0 (AF_UNSPEC)
   */
  family?: number;
  /**
   * `SOCK_STREAM`, `SOCK_DGRAM`, `SOCK_RAW`, or 0 for one result per type.
   * @default 0
   */
  type?: number;
  /**
   * A protocol number (`IPPROTO_TCP`), or 0 for the type's default.
   * @default 0
   */
  proto?: number;
  /**
   * `AI_*` flags: `AI_PASSIVE`, `AI_CANONNAME`, `AI_NUMERICHOST`, `AI_NUMERICSERV`, `AI_V4MAPPED`, ...
   * @default 0
   */
  flags?: number;
}

/**
 * Python's `socket.gethostname()`: this machine's host name.
 * @example
 * ```ts
 * gethostname(); // "vm"
 * ```
 */
export function gethostname(): string {
  return hostname();
}

/**
 * Python's `socket.getaddrinfo(host, port, family=0, type=0, proto=0, flags=0)`:
 * every `[family, type, proto, canonname, sockaddr]` for reaching `host` at
 * `port`, in the C library's order and with its repetitions. With `type`
 * 0 each address comes once per socket type glibc knows (STREAM/6,
 * DGRAM/17, RAW/0), as Python shows on Linux.
 *
 * - `host`: a name, a numeric address (`127.1`, `::1`, `fe80::1%eth0`),
 *   `"*"`, or `null`: the wildcard addresses with `AI_PASSIVE`, else loopback.
 * - `port`: a number, a numeric string, a service name from /etc/services
 *   (`"http"`), or `null`.
 *
 * The keyword arguments may also be given as one options object:
 * `getaddrinfo(host, port, { type: SOCK_STREAM })`.
 *
 * @throws gaierror EAI_NONAME (unknown name, or a name with AI_NUMERICHOST),
 *   EAI_SERVICE (unknown service for the type), EAI_ADDRFAMILY (literal of
 *   another family), EAI_FAMILY, EAI_SOCKTYPE, EAI_BADFLAGS, EAI_AGAIN
 *   (name servers did not answer in time); UnicodeError for a host the
 *   `idna` codec refuses; OSError "Int or String expected" for a bad port
 * @example
 * ```ts
 * await getaddrinfo("localhost", 80, AF_INET, SOCK_STREAM);
 * // [[2, 1, 6, "", ["127.0.0.1", 80]]]
 * ```
 */
export function getaddrinfo(
  host: string | null | undefined,
  port: number | string | null | undefined,
  options?: GetaddrinfoOptions,
): Promise<AddrInfo[]>;
export function getaddrinfo(
  host: string | null | undefined,
  port: number | string | null | undefined,
  family?: number,
  type?: number,
  proto?: number,
  flags?: number,
  options?: ResolveOptions,
): Promise<AddrInfo[]>;
export async function getaddrinfo(
  host: string | null | undefined,
  port: number | string | null | undefined,
  familyOrOptions: number | GetaddrinfoOptions = 0,
  type = 0,
  proto = 0,
  flags = 0,
  options?: ResolveOptions,
): Promise<AddrInfo[]> {
  let hints: GaiHints;
  let resolveOptions = options;
  if (typeof familyOrOptions === "object" && familyOrOptions !== null) {
    hints = {
      family: asCInt(familyOrOptions.family ?? 0),
      socktype: asCInt(familyOrOptions.type ?? 0),
      protocol: asCInt(familyOrOptions.proto ?? 0),
      flags: asCInt(familyOrOptions.flags ?? 0),
    };
    resolveOptions = familyOrOptions;
  } else {
    hints = {
      family: asCInt(familyOrOptions),
      socktype: asCInt(type),
      protocol: asCInt(proto),
      flags: asCInt(flags),
    };
  }
  const deadline = new Deadline(resolveOptions);
  let nodeName: string | null;
  if (host === null || host === undefined) nodeName = null;
  else if (typeof host === "string") nodeName = cString(idnaEncode(host));
  else throw new TypeError("getaddrinfo() argument 1 must be string or None");
  let serviceName: string | null;
  if (port === null || port === undefined) {
    serviceName = null;
  } else if (typeof port === "number" && Number.isInteger(port)) {
    // Python formats an int port with "%ld" and hands the text to getaddrinfo(3).
    if (port >= 2 ** 63 || port < -(2 ** 63))
      throw new OverflowError("Python int too large to convert to C long");
    serviceName = BigInt(port).toString();
  } else if (typeof port === "string") {
    serviceName = cString(port);
  } else {
    throw new OSError(undefined, "Int or String expected");
  }
  const results = await gaiCore(nodeName, serviceName, hints, deadline);
  return results.map(
    (r): AddrInfo => [
      r.family,
      r.socktype,
      r.protocol,
      r.canonname,
      r.family === AF_INET6 ? [r.address, r.port, 0, r.scopeId] : [r.address, r.port],
    ],
  );
}

/**
 * Python's `socket.gethostbyname(hostname)`: the IPv4 address of a host as
 * text. `""` is `0.0.0.0`, `"<broadcast>"` is `255.255.255.255`, numeric
 * forms are read as getaddrinfo reads them (`127.1` → `127.0.0.1`).
 *
 * @throws gaierror (EAI_NONAME for an unknown name, EAI_ADDRFAMILY for an
 *   IPv6 literal, EAI_AGAIN on timeout); TypeError for a NUL character;
 *   UnicodeError for a name the `idna` codec refuses
 * @example
 * ```ts
 * await gethostbyname("localhost"); // "127.0.0.1"
 * ```
 */
export async function gethostbyname(hostname: string, options?: ResolveOptions): Promise<string> {
  const name = encodedHostArg("gethostbyname", hostname);
  const deadline = new Deadline(options);
  const { bytes } = await setipaddr(name, AF_INET, deadline);
  return formatAddressBytes(bytes);
}

/**
 * Python's `socket.gethostbyname_ex(hostname)`: `[hostname, aliaslist,
 * ipaddrlist]`, the host's primary name, its other names and its IPv4
 * addresses, as the hosts database (/etc/hosts, then DNS, per
 * nsswitch.conf) describes it.
 *
 * @throws gaierror when the name does not resolve; herror when it resolves
 *   but has no host entry (`[Errno 1] Unknown host`; TRY_AGAIN on timeout)
 * @example
 * ```ts
 * await gethostbyname_ex("localhost"); // ["localhost", [], ["127.0.0.1"]]
 * ```
 */
export async function gethostbyname_ex(
  hostname: string,
  options?: ResolveOptions,
): Promise<[hostname: string, aliaslist: string[], ipaddrlist: string[]]> {
  const name = encodedHostArg("gethostbyname_ex", hostname);
  const deadline = new Deadline(options);
  const { family } = await setipaddr(name, AF_INET, deadline);
  const result = await hostentLookup(() => nssGethostbyname(name, deadline));
  return gethostCommon(result, family);
}

/**
 * Python's `socket.gethostbyaddr(ip_address)`: `[hostname, aliaslist,
 * ipaddrlist]` for an address (a host name is resolved first), from
 * /etc/hosts and reverse DNS, per nsswitch.conf.
 *
 * @throws herror `[Errno 1] Unknown host` when the address has no name;
 *   gaierror when a name does not resolve; OSError "wildcard resolved to
 *   multiple address" for `""`
 * @example
 * ```ts
 * await gethostbyaddr("127.0.0.1"); // ["localhost", [], ["127.0.0.1"]]
 * ```
 */
export async function gethostbyaddr(
  ip_address: string,
  options?: ResolveOptions,
): Promise<[hostname: string, aliaslist: string[], ipaddrlist: string[]]> {
  const name = encodedHostArg("gethostbyaddr", ip_address);
  const deadline = new Deadline(options);
  const { family, bytes } = await setipaddr(name, AF_UNSPEC, deadline);
  const result = await hostentLookup(() => nssGethostbyaddr(bytes, family, deadline));
  return gethostCommon(result, family);
}

/**
 * Python's `socket.getfqdn(name='')`: a fully qualified name for `name`
 * (default: this host). As Python does: `""`, `0.0.0.0` and `::` mean this
 * host; `gethostbyaddr` gives the primary name and aliases, and the first
 * of them containing a dot wins, else the primary name; when the look-up
 * fails with an `OSError`, `name` itself is returned.
 *
 * @example
 * ```ts
 * await getfqdn("localhost"); // "localhost"
 * ```
 */
export async function getfqdn(name = "", options?: ResolveOptions): Promise<string> {
  let result = name.replace(PY_STRIP, "");
  if (!result || result === "0.0.0.0" || result === "::") result = gethostname();
  let found: [string, string[], string[]];
  try {
    found = await gethostbyaddr(result, options);
  } catch (err) {
    if (err instanceof OSError) return result;
    throw err;
  }
  const [primary, aliases] = found;
  return [primary, ...aliases].find((n) => n.includes(".")) ?? primary;
}

/** glibc's `nrl_domainname`: this host's domain, for NI_NOFQDN. */
async function localDomain(deadline: Deadline): Promise<string | undefined> {
  const own = gethostname();
  const dot = own.indexOf(".");
  if (dot !== -1) return own.slice(dot + 1);
  const byName = await hostentLookup(() => nssGethostbyname(own, deadline));
  if (byName.status === "success" && byName.host.name.includes(".")) {
    return byName.host.name.slice(byName.host.name.indexOf(".") + 1);
  }
  const byLoopback = await hostentLookup(() =>
    nssGethostbyaddr(Buffer.from([127, 0, 0, 1]), AF_INET, deadline),
  );
  if (byLoopback.status === "success" && byLoopback.host.name.includes(".")) {
    return byLoopback.host.name.slice(byLoopback.host.name.indexOf(".") + 1);
  }
  return undefined;
}

/**
 * Python's `socket.getnameinfo(sockaddr, flags)`: `[host, port]` for a
 * numeric socket address, as names from /etc/hosts, reverse DNS and
 * /etc/services, or as numbers with `NI_NUMERICHOST` / `NI_NUMERICSERV`.
 * `NI_NAMEREQD` makes a nameless address an error, `NI_DGRAM` looks the
 * port up as UDP, `NI_NOFQDN` drops this host's domain. An IPv6 scope id
 * is written as `%ifname` for link-local addresses and `%N` otherwise.
 *
 * @throws gaierror EAI_NONAME (host not numeric, or nameless under
 *   NI_NAMEREQD), EAI_BADFLAGS; OSError "IPv4 sockaddr must be 2 tuple";
 *   TypeError "getnameinfo() argument 1 must be a tuple"; OverflowError for a flowinfo past 20 bits
 * @example
 * ```ts
 * await getnameinfo(["127.0.0.1", 80], 0); // ["localhost", "http"]
 * await getnameinfo(["127.0.0.1", 80], NI_NUMERICHOST | NI_NUMERICSERV); // ["127.0.0.1", "80"]
 * ```
 */
export async function getnameinfo(
  sockaddr: INETAddress | INET6Address,
  flags: number,
  options?: ResolveOptions,
): Promise<[host: string, port: string]> {
  const niFlags = asCInt(flags);
  if (!Array.isArray(sockaddr)) throw new TypeError("getnameinfo() argument 1 must be a tuple");
  if (sockaddr.length < 2 || sockaddr.length > 4 || typeof sockaddr[0] !== "string") {
    throw new TypeError("getnameinfo(): illegal sockaddr argument");
  }
  const host = strArg("getnameinfo", sockaddr[0], 1);
  const port = asCInt(sockaddr[1]);
  const flowinfo = sockaddr.length > 2 ? asCUIntMask(sockaddr[2]) : 0;
  const scopeId = sockaddr.length > 3 ? asCUIntMask(sockaddr[3]) : 0;
  if (flowinfo > 0xfffff) throw new OverflowError("getnameinfo(): flowinfo must be 0-1048575.");
  const deadline = new Deadline(options);
  const results = await gaiCore(
    host,
    String(port),
    { family: AF_UNSPEC, socktype: SOCK_DGRAM, protocol: 0, flags: AI_NUMERICHOST },
    deadline,
  );
  if (results.length > 1) throw new OSError(undefined, "sockaddr resolved to multiple addresses");
  const target = results[0]!;
  if (target.family === AF_INET && sockaddr.length !== 2) {
    throw new OSError(undefined, "IPv4 sockaddr must be 2 tuple");
  }
  // Python puts the tuple's flowinfo and scope id into the sockaddr (replacing a "%scope" in the text).
  const scope = target.family === AF_INET6 ? scopeId : 0;
  const bytes = addressOf(target).bytes;

  // glibc's getnameinfo(3).
  if (niFlags & ~0xff) throw new gaierror(-1);
  let name: string | undefined;
  if (!(niFlags & NI_NUMERICHOST)) {
    const result = await hostentLookup(() => nssGethostbyaddr(bytes, target.family, deadline));
    if (result.status === "success") {
      name = result.host.name;
      if (niFlags & NI_NOFQDN) {
        const domain = await localDomain(deadline);
        const at = domain ? name.indexOf(domain) : -1;
        if (at > 0 && name[at - 1] === ".") name = name.slice(0, at - 1);
      }
      if (niFlags & 0x20 /* NI_IDN */) name = idnaToUnicode(name);
    } else if (result.herrno === TRY_AGAIN) {
      throw new gaierror(-3);
    }
  }
  if (name === undefined) {
    if (niFlags & NI_NAMEREQD) throw new gaierror(-2);
    name = formatAddressBytes(bytes);
    if (scope !== 0) {
      const linkScoped = isLinkLocal6(bytes) || isMulticastLinkLocal6(bytes);
      const ifname = linkScoped ? ifIndexToName(scope) : undefined;
      name += `%${ifname ?? scope}`;
    }
  }
  let service = String(target.port);
  if (!(niFlags & NI_NUMERICSERV)) {
    service = serviceByPort(target.port, niFlags & NI_DGRAM ? "udp" : "tcp")?.name ?? service;
  }
  return [name, service];
}

/**
 * Python's `socket.getservbyname(servicename, protocolname=None)`: the port
 * of a service in /etc/services (`"http"` → 80); a protocol (`"tcp"`,
 * `"udp"`) narrows the search. Names and aliases match case-sensitively.
 *
 * @throws OSError "service/proto not found"
 * @example
 * ```ts
 * getservbyname("domain", "udp"); // 53
 * ```
 */
export function getservbyname(servicename: string, protocolname?: string): number {
  const name = strArg("getservbyname", servicename, 1);
  const proto = protocolname === undefined ? undefined : strArg("getservbyname", protocolname, 2);
  const found = serviceByName(name, proto);
  if (!found) throw new OSError(undefined, "service/proto not found");
  return found.port;
}

/**
 * Python's `socket.getservbyport(port, protocolname=None)`: the name of
 * the first service in /etc/services on a port (80 → `"http"`).
 *
 * @throws OverflowError "getservbyport: port must be 0-65535."; OSError "port/proto not found"
 * @example
 * ```ts
 * getservbyport(22); // "ssh"
 * ```
 */
export function getservbyport(port: number, protocolname?: string): string {
  const value = asCInt(port);
  const proto = protocolname === undefined ? undefined : strArg("getservbyport", protocolname, 2);
  if (value < 0 || value > 0xffff) throw new OverflowError("getservbyport: port must be 0-65535.");
  const found = serviceByPort(value, proto);
  if (!found) throw new OSError(undefined, "port/proto not found");
  return found.name;
}

/**
 * Python's `socket.getprotobyname(protocolname)`: a protocol's number from
 * /etc/protocols (`"tcp"` → 6); names and aliases match case-sensitively.
 *
 * @throws OSError "protocol not found"
 * @example
 * ```ts
 * getprotobyname("udp"); // 17
 * ```
 */
export function getprotobyname(protocolname: string): number {
  const name = strArg("getprotobyname", protocolname, 1);
  const found = _parseProtocols(readSystemFile("/etc/protocols") ?? "").find(
    (p) => p.name === name || p.aliases.includes(name),
  );
  if (!found) throw new OSError(undefined, "protocol not found");
  return found.number;
}

/**
 * Python's `socket.has_ipv6`: whether IPv6 is supported. Like Python's, it
 * says how the runtime was built (Node always has IPv6), not whether this
 * host has an IPv6 address.
 */
export const has_ipv6 = true;
