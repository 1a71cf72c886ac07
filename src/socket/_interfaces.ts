/**
 * This host's network interfaces, as getaddrinfo and getnameinfo need
 * them: interface names and indexes (IPv6 scope ids), and which families
 * are configured (AI_ADDRCONFIG) or have a loopback address.
 *
 * @module
 */

import { readdirSync } from "node:fs";
import { networkInterfaces } from "node:os";
import { isSystemError } from "../errors/index.js";
import { isLinkLocal6, isMulticastLinkLocal6, isMulticastNodeLocal6 } from "./_ip6.js";
import { readSystemFile } from "./_sysfile.js";
import { cStrtoul } from "./inet.js";

/** Interface name → index, from /sys/class/net (Linux), else what os.networkInterfaces() reveals. */
function interfaceIndexes(): Map<string, number> {
  const out = new Map<string, number>();
  try {
    for (const name of readdirSync("/sys/class/net")) {
      const index = Number(readSystemFile(`/sys/class/net/${name}/ifindex`)?.trim());
      if (Number.isInteger(index) && index > 0) out.set(name, index);
    }
  } catch (err) {
    if (!isSystemError(err)) throw err;
    // Not Linux, or no sysfs: link-local addresses carry their interface index.
  }
  if (out.size === 0) {
    for (const [name, addresses] of Object.entries(networkInterfaces())) {
      for (const a of addresses ?? []) if (a.family === "IPv6" && a.scopeid) out.set(name, a.scopeid);
    }
  }
  return out;
}

export function ifIndexToName(index: number): string | undefined {
  for (const [name, i] of interfaceIndexes()) if (i === index) return name;
  return undefined;
}

/** Which families have a non-loopback address, as glibc's `__check_pf` decides for AI_ADDRCONFIG. */
export function configuredFamilies(): { v4: boolean; v6: boolean } {
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
export function hasIPv6Loopback(): boolean {
  return Object.values(networkInterfaces()).some((addresses) =>
    (addresses ?? []).some((a) => a.family === "IPv6" && a.address === "::1"),
  );
}

/** glibc's `__inet6_scopeid_pton`: an interface name (link-local scopes only) or a decimal number. */
export function scopeIdFromText(address: Uint8Array, scope: string): number | undefined {
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
