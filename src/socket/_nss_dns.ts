/**
 * The "hosts" database's `dns` source, as glibc's nss_dns answers it:
 * A/AAAA and PTR queries through a node:dns `Resolver`, resolv.conf's
 * search list, CNAME chains, and the `h_errno` each failure sets.
 *
 * @module
 */
import { Resolver } from "node:dns/promises";
import { type Deadline, Expired } from "./_deadline.js";
import { HOST_NOT_FOUND, NO_DATA, NO_RECOVERY, TRY_AGAIN } from "./_herrno.js";
import { ANY6, isV4Mapped, LOOPBACK6 } from "./_ip6.js";
import { type NssStatus, resolvConf } from "./_nss_conf.js";
import type { HostEnt } from "./_nss_files.js";
import { AF_INET6 } from "./constants.js";
import { parseIPv4, parseIPv6 } from "./inet.js";

export type NssResult =
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
    } catch (err) {
      // The chain ends at a name with no CNAME (a DNS error code) or at the deadline.
      if (!(err instanceof Expired || typeof (err as { code?: unknown } | null)?.code === "string"))
        throw err;
      break;
    }
  }
  return chain;
}

/** The dns source's `gethostbyname2_r`: A or AAAA records, the canonical name after CNAMEs. */
export async function dnsByName(name: string, af: number, deadline: Deadline): Promise<NssResult> {
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
export async function dnsByAddr(address: Buffer, af: number, deadline: Deadline): Promise<NssResult> {
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
