/**
 * The C library's look-up configuration, read afresh on every call as
 * glibc does: host.conf's `multi`, the `hosts:` sources of nsswitch.conf,
 * and resolv.conf's search list and `ndots`.
 *
 * @module
 */
import { hostname } from "node:os";
import { splitFields } from "./_nss_files.js";
import { readSystemFile } from "./_sysfile.js";

/** host.conf's `multi` (overridden by `RESOLV_MULTI`), read as glibc's res_hconf does. */
export function hostsMulti(): boolean {
  const fromEnv = process.env.RESOLV_MULTI;
  let multi = false;
  for (const line of (readSystemFile("/etc/host.conf") ?? "").split("\n")) {
    const [keyword, value] = splitFields(line.replace(/#.*/, ""));
    if (keyword?.toLowerCase() === "multi" && value !== undefined) multi = value.toLowerCase() === "on";
  }
  if (fromEnv !== undefined) multi = fromEnv.trim().toLowerCase() === "on";
  return multi;
}

export type NssStatus = "success" | "notfound" | "unavail" | "tryagain";

interface NssSource {
  name: string;
  actions: Partial<Record<NssStatus, "return" | "continue">>;
}

/**
 * The `hosts:` line of /etc/nsswitch.conf: sources in order, each with its
 * `[STATUS=ACTION]` overrides. glibc's default when there is none:
 * `dns [!UNAVAIL=return] files`.
 */
export function hostsSources(): NssSource[] {
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
export function resolvConf(): ResolvConf {
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
