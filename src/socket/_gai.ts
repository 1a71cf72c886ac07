/**
 * glibc's getaddrinfo front end, ported: flag and family checks, the
 * service and socket-type table (one result per type), numeric hosts and
 * scope ids, the wildcard and loopback addresses; names go to the C
 * library itself through node:dns `lookup`.
 *
 * @module
 */
import { ALL as NODE_ALL, V4MAPPED as NODE_V4MAPPED } from "node:dns";
import { lookup } from "node:dns/promises";
import { type Deadline, Expired } from "./_deadline.js";
import { idnaToUnicode } from "./_idna.js";
import { configuredFamilies, hasIPv6Loopback, scopeIdFromText } from "./_interfaces.js";
import { ANY6, isV4Mapped, LOOPBACK6 } from "./_ip6.js";
import { canonicalName, serviceByName } from "./_nss.js";
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
  EAI_ADDRFAMILY,
  EAI_AGAIN,
  EAI_BADFLAGS,
  EAI_FAMILY,
  EAI_NONAME,
  EAI_SERVICE,
  EAI_SOCKTYPE,
  IPPROTO_TCP,
  IPPROTO_UDP,
  SOCK_DGRAM,
  SOCK_RAW,
  SOCK_STREAM,
} from "./constants.js";
import { gaierror, gaierrorFromNode } from "./errors.js";
import { cStrtoul, formatAddressBytes, inetAtonExact, parseIPv4, parseIPv6 } from "./inet.js";

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

export interface GaiHints {
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

export interface GaiResult {
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
    if (!tp) throw new gaierror(socktype !== 0 ? EAI_SOCKTYPE : EAI_SERVICE);
  }
  if (service && tp?.noService) throw new gaierror(EAI_SERVICE);
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
    if (!found) throw new gaierror(EAI_SERVICE);
    return [{ socktype: tp.socktype, protocol: tp.protoAny ? protocol : tp.protocol, port: found.port }];
  }
  const out: ServTuple[] = [];
  for (const t of TYPEPROTO) {
    if (t.noService) continue;
    const found = serviceByName(service.name, t.name);
    if (found) out.push({ socktype: t.socktype, protocol: t.protocol, port: found.port });
  }
  if (out.length === 0) throw new gaierror(EAI_SERVICE);
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
    throw new gaierror(EAI_ADDRFAMILY);
  }
  const percent = name.indexOf("%");
  const v6 = parseIPv6(name, percent === -1 ? name.length : percent);
  if (!v6) {
    if (hints.flags & AI_NUMERICHOST) throw new gaierror(EAI_NONAME);
    return undefined;
  }
  let address: GaiAddress;
  if (hints.family === AF_UNSPEC || hints.family === AF_INET6) {
    address = { family: AF_INET6, bytes: v6, scopeId: 0 };
  } else if (hints.family === AF_INET && isV4Mapped(v6)) {
    address = { family: AF_INET, bytes: v6.subarray(12), scopeId: 0 };
  } else {
    throw new gaierror(EAI_ADDRFAMILY);
  }
  if (percent !== -1) {
    const scopeId = scopeIdFromText(v6, name.slice(percent + 1));
    if (scopeId === undefined) throw new gaierror(EAI_NONAME);
    address.scopeId = scopeId;
  }
  return { address };
}

/** Asks the C library (node:dns `lookup`, i.e. getaddrinfo(3)) for a name's addresses. */
async function libcAddresses(name: string, hints: GaiHints, deadline: Deadline): Promise<GaiAddress[]> {
  // Node answers "" itself with nothing; getaddrinfo(3) says EAI_NONAME.
  if (name === "") throw new gaierror(EAI_NONAME);
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
    if (err instanceof Expired) throw new gaierror(EAI_AGAIN);
    throw gaierrorFromNode(err);
  }
  const out: GaiAddress[] = [];
  for (const a of found) {
    const bytes = a.family === 6 ? parseIPv6(a.address) : parseIPv4(a.address);
    if (bytes) out.push({ family: a.family === 6 ? AF_INET6 : AF_INET, bytes, scopeId: 0 });
  }
  if (out.length === 0) throw new gaierror(EAI_NONAME);
  return out;
}

/**
 * glibc's `getaddrinfo(name, service, hints)`, on C strings (already
 * IDNA-encoded and cut at NUL), with its checks in its order.
 */
export async function gaiCore(
  nodeName: string | null,
  serviceName: string | null,
  requested: GaiHints,
  deadline: Deadline,
): Promise<GaiResult[]> {
  const name = nodeName === "*" ? null : nodeName;
  const service = serviceName === "*" ? null : serviceName;
  const hints = { ...requested };
  if (name === null && service === null) throw new gaierror(EAI_NONAME);
  // AI_PASSIVE ... AI_NUMERICSERV, plus AI_IDN, AI_CANONIDN and the deprecated IDN bits (0x7ff).
  if (hints.flags & ~0x7ff) throw new gaierror(EAI_BADFLAGS);
  if (hints.flags & AI_CANONNAME && name === null) throw new gaierror(EAI_BADFLAGS);
  if (hints.family !== AF_UNSPEC && hints.family !== AF_INET && hints.family !== AF_INET6) {
    throw new gaierror(EAI_FAMILY);
  }
  if (hints.flags & AI_ADDRCONFIG) {
    const { v4, v6 } = configuredFamilies();
    if (hints.family === AF_UNSPEC && (v4 || v6)) {
      if (v4 !== v6) hints.family = v4 ? AF_INET : AF_INET6;
    } else if ((hints.family === AF_INET && !v4) || (hints.family === AF_INET6 && !v6)) {
      throw new gaierror(EAI_NONAME);
    }
  }
  let parsedService: { name: string; num: number } | null = null;
  if (service !== null && service !== "") {
    // The port is strtoul(service, 10) stored in an int: a number that
    // reads negative there is looked up as a name (and not found).
    const { value, end } = cStrtoul(service, 0, 10);
    let num = Number(BigInt.asIntN(32, value));
    if (end !== service.length) {
      if (hints.flags & AI_NUMERICSERV) throw new gaierror(EAI_NONAME);
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

export function addressOf(result: GaiResult): { family: number; bytes: Buffer } {
  const bytes = result.family === AF_INET6 ? parseIPv6(result.address) : parseIPv4(result.address);
  return { family: result.family, bytes: bytes! };
}
