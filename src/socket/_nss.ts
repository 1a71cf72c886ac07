/**
 * glibc's NSS look-ups: the "hosts" database over the sources its
 * nsswitch.conf line names (`files` and `dns`), as `gethostbyname_r`,
 * `gethostbyaddr_r` and getaddrinfo's canonical name use it, and the
 * "services" database from /etc/services.
 *
 * @module
 */
import { type Deadline, Expired } from "./_deadline.js";
import { HOST_NOT_FOUND, NO_RECOVERY, TRY_AGAIN } from "./_herrno.js";
import { ANY6 } from "./_ip6.js";
import { hostsMulti, hostsSources } from "./_nss_conf.js";
import { dnsByAddr, dnsByName, type NssResult } from "./_nss_dns.js";
import { _hostsByAddr, _hostsByName, _parseServices, type HostEnt, type ServiceEntry } from "./_nss_files.js";
import { readSystemFile } from "./_sysfile.js";
import { AF_INET, AF_INET6, AF_UNSPEC, AI_V4MAPPED } from "./constants.js";
import { inetAtonExact } from "./inet.js";

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
export async function nssGethostbyname(name: string, deadline: Deadline): Promise<NssResult> {
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
export async function nssGethostbyaddr(address: Buffer, af: number, deadline: Deadline): Promise<NssResult> {
  if (af === AF_INET6 && address.equals(ANY6)) return { status: "notfound", herrno: HOST_NOT_FOUND };
  return nssHosts(
    () => _hostsByAddr(readSystemFile("/etc/hosts") ?? "", address, af),
    () => dnsByAddr(address, af, deadline),
  );
}

/** The canonical name glibc's getaddrinfo reports for a name the NSS answered (AI_CANONNAME). */
export async function canonicalName(
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

/** Runs a hostent look-up; the deadline passing reads as the resolver's TRY_AGAIN. */
export async function hostentLookup(run: () => Promise<NssResult>): Promise<NssResult> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof Expired) return { status: "tryagain", herrno: TRY_AGAIN };
    throw err;
  }
}

// ---------------------------------------------------------------------------
// The "services" database (nss_files)
// ---------------------------------------------------------------------------

function services(): ServiceEntry[] {
  return _parseServices(readSystemFile("/etc/services") ?? "");
}

/** nss_files `getservbyname_r`: name or alias (case-sensitive) and, when given, protocol. */
export function serviceByName(name: string, proto: string | undefined): ServiceEntry | undefined {
  return services().find(
    (s) => (proto === undefined || s.proto === proto) && (s.name === name || s.aliases.includes(name)),
  );
}

/** nss_files `getservbyport_r`: port and, when given, protocol. */
export function serviceByPort(port: number, proto: string | undefined): ServiceEntry | undefined {
  return services().find((s) => s.port === port && (proto === undefined || s.proto === proto));
}
