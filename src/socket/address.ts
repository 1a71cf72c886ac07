/**
 * Socket addresses as Python spells them, and their validation
 * (CPython's `getsockaddrarg`): a `[host, port]` pair for AF_INET, a
 * `[host, port, flowinfo, scopeId]` tuple for AF_INET6, a path for AF_UNIX.
 *
 * @module
 */
import { OverflowError, ValueError, withCode } from "../errors/index.js";
import { AF_INET, AF_INET6, AF_UNIX } from "./constants.js";

/** An AF_INET address: `[host, port]`, Python's `(host, port)`. */
export type INETAddress = [host: string, port: number];
/** An AF_INET6 address: Python's `(host, port, flowinfo, scope_id)`; the last two may be left out. */
export type INET6Address = [host: string, port: number, flowinfo?: number, scopeId?: number];
/** An AF_UNIX address: a filesystem path, or a Linux abstract name starting with `"\0"`. */
export type UNIXAddress = string;
/** Any socket address. `null` is what Python returns for an unnamed AF_UNIX peer. */
export type Address = INETAddress | INET6Address | UNIXAddress;

/** An address checked and normalised for Node: host and port, or a path. */
export type NodeAddress =
  | { kind: "inet"; host: string; port: number; flowinfo: number; scopeId: number }
  | { kind: "unix"; path: string };

/** Python's `TypeError`s for a badly shaped address keep JS's TypeError class. */
function typeError(message: string): TypeError {
  return withCode(new TypeError(message), "ERR_INVALID_ARG_TYPE");
}

function pyTypeName(value: unknown): string {
  if (value === null || value === undefined) return "NoneType";
  if (Array.isArray(value)) return "tuple";
  if (typeof value === "string") return "str";
  if (typeof value === "number") return Number.isInteger(value) ? "int" : "float";
  if (value instanceof Uint8Array) return "bytes";
  return typeof value;
}

/**
 * Checks `address` for `family` the way CPython's `getsockaddrarg` does and
 * returns it normalised. `caller` names the method in messages (`"bind()"`).
 *
 * The empty host means INADDR_ANY (`0.0.0.0` or `::`) and `"<broadcast>"`
 * means INADDR_BROADCAST, as in Python.
 *
 * @throws TypeError for a wrong shape, OverflowError for a port outside 0-65535
 */
export function checkAddress(family: number, address: unknown, caller: string): NodeAddress {
  if (family === AF_UNIX) {
    if (typeof address === "string") return { kind: "unix", path: address };
    if (address instanceof Uint8Array) return { kind: "unix", path: Buffer.from(address).toString("latin1") };
    throw typeError(`${caller}: a bytes-like object is required, not '${pyTypeName(address)}'`);
  }
  const familyLabel = family === AF_INET6 ? "AF_INET6" : "AF_INET";
  if (!Array.isArray(address)) {
    throw typeError(`${caller}: ${familyLabel} address must be tuple, not ${pyTypeName(address)}`);
  }
  const maxLength = family === AF_INET6 ? 4 : 2;
  if (address.length < 2 || address.length > maxLength) {
    throw typeError(
      family === AF_INET6
        ? `${caller}: AF_INET6 address must be a tuple (host, port[, flowinfo[, scopeid]])`
        : `${caller}: AF_INET address must be a pair (host, port)`,
    );
  }
  const [host, port, flowinfo = 0, scopeId = 0] = address as unknown[];
  if (typeof host !== "string") {
    throw typeError(`${caller}: str, bytes or bytearray expected, not ${pyTypeName(host)}`);
  }
  if (typeof port !== "number" || !Number.isInteger(port)) {
    throw typeError(`'${pyTypeName(port)}' object cannot be interpreted as an integer`);
  }
  if (port < 0 || port > 0xffff) throw new OverflowError(`${caller}: port must be 0-65535.`);
  if (typeof flowinfo !== "number" || flowinfo < 0 || flowinfo > 0xfffff) {
    throw new OverflowError(`${caller}: flowinfo must be 0-1048575.`);
  }
  if (typeof scopeId !== "number" || !Number.isInteger(scopeId) || scopeId < 0) {
    throw new ValueError(`${caller}: scope id must be a non-negative integer`);
  }
  let nodeHost = host;
  if (host === "") nodeHost = family === AF_INET6 ? "::" : "0.0.0.0";
  else if (host === "<broadcast>") nodeHost = family === AF_INET6 ? "ff02::1" : "255.255.255.255";
  else if (family === AF_INET6 && host.startsWith("[") && host.endsWith("]")) nodeHost = host.slice(1, -1);
  if (family !== AF_INET && family !== AF_INET6) throw new ValueError(`Cannot use address family ${family}`);
  return { kind: "inet", host: nodeHost, port, flowinfo, scopeId: scopeId as number };
}

/**
 * Formats a Node-reported endpoint as Python does: `[host, port]` for
 * AF_INET, `[host, port, 0, 0]` for AF_INET6, the path for AF_UNIX.
 */
export function toPythonAddress(family: number, host: string | undefined, port: number | undefined): Address {
  if (family === AF_UNIX) return host ?? "";
  if (family === AF_INET6) return [host ?? "::", port ?? 0, 0, 0];
  return [host ?? "0.0.0.0", port ?? 0];
}

/** Python's `repr()` of an address, for messages: `('127.0.0.1', 80)`. */
export function formatAddress(address: Address | null): string {
  if (address === null) return "None";
  if (typeof address === "string") return `'${address}'`;
  return `(${address.map((part) => (typeof part === "string" ? `'${part}'` : String(part))).join(", ")})`;
}
