/**
 * The pure parts of ftplib: reading the replies that carry values (150's
 * size, 227's PASV address, 229's EPSV port, 257's directory name), the
 * facts of an MLSD line (RFC 3659 7), and formatting PORT and EPRT
 * arguments. Python's `parse150`, `parse227`, `parse229`, `parse257` and
 * the line handling of `mlsd`, `sendport` and `sendeprt`, with Python's
 * results; no I/O, so they are fuzzed without sockets.
 *
 * @module
 */
import { reprStr } from "../_pyrepr.js";
import { pyInt } from "../_pystr.js";
import { error_proto, error_reply } from "./errors.js";

/**
 * Python's `ftplib.parse150(resp)`: the size a 150 reply announces as
 * `(N bytes)`, or `null` when it does not say.
 * @throws error_reply when the reply is not a 150
 * @example
 * ```ts
 * parse150("150 Opening BINARY mode data connection for a.bin (1024 bytes)"); // 1024
 * parse150("150 Accepted data connection"); // null
 * ```
 */
export function parse150(resp: string): number | null {
  if (resp.slice(0, 3) !== "150") throw new error_reply(resp);
  // Python: re.match(r"150 .* \((\d+) bytes\)", re.IGNORECASE | re.ASCII); "." stops only at "\n".
  const m = /^150 [^\n]* \(([0-9]+) bytes\)/i.exec(resp);
  return m ? Number(m[1]) : null;
}

/**
 * Python's `ftplib.parse227(resp)`: the address of a PASV reply's
 * `h1,h2,h3,h4,p1,p2`, as `[host, port]`. The numbers are not checked
 * (Python's are not either): the caller refuses a port past 65535, and
 * `FTP` ignores the host unless `trustServerPasvIpv4Address` is set.
 * @throws error_reply when the reply is not a 227; error_proto when it holds no address
 * @example
 * ```ts
 * parse227("227 Entering Passive Mode (127,0,0,1,195,80)."); // ["127.0.0.1", 50000]
 * ```
 */
export function parse227(resp: string): [host: string, port: number] {
  if (resp.slice(0, 3) !== "227") throw new error_reply(resp);
  const m = /([0-9]+),([0-9]+),([0-9]+),([0-9]+),([0-9]+),([0-9]+)/.exec(resp);
  if (!m) throw new error_proto(resp);
  const host = m.slice(1, 5).join(".");
  const port = Number(m[5]) * 256 + Number(m[6]);
  return [host, port];
}

/**
 * Python's `ftplib.parse229(resp, peer)`: the port of an EPSV reply's
 * `(|||port|)` (RFC 2428 3), with the host taken from `peer`, the control
 * connection's peer address (an EPSV reply never names a host).
 * @param resp the reply
 * @param peer the control connection's peer address (`[host, port, ...]`)
 * @throws error_reply when the reply is not a 229; error_proto when the
 *   `(|||port|)` part is missing or malformed, or (netkit) when the port is
 *   not a number, where Python raises ValueError
 * @example
 * ```ts
 * parse229("229 Extended Passive Mode Entered (|||50000|)", ["::1", 21]); // ["::1", 50000]
 * ```
 */
export function parse229(resp: string, peer: readonly [string, ...unknown[]]): [host: string, port: number] {
  if (resp.slice(0, 3) !== "229") throw new error_reply(resp);
  const left = resp.indexOf("(");
  if (left < 0) throw new error_proto(resp);
  const right = resp.indexOf(")", left + 1);
  if (right < 0) throw new error_proto(resp);
  const delim = resp[left + 1];
  if (delim !== resp[right - 1]) throw new error_proto(resp);
  const parts = resp.slice(left + 1, right).split(delim!);
  if (parts.length !== 5) throw new error_proto(resp);
  const port = pyInt(parts[3]!);
  if (port === undefined) throw new error_proto(resp);
  return [peer[0], port];
}

/**
 * Python's `ftplib.parse257(resp)`: the directory name of a 257 reply
 * (MKD, PWD), with RFC 959's doubled quotes undone; `""` when the reply
 * does not quote it.
 * @throws error_reply when the reply is not a 257
 * @example
 * ```ts
 * parse257('257 "/home/a ""quoted"" dir" is current'); // '/home/a "quoted" dir'
 * ```
 */
export function parse257(resp: string): string {
  if (resp.slice(0, 3) !== "257") throw new error_reply(resp);
  if (resp.slice(3, 5) !== ' "') return "";
  let dirname = "";
  let i = 5;
  const n = resp.length;
  while (i < n) {
    const c = resp[i++]!;
    if (c === '"') {
      if (i >= n || resp[i] !== '"') break;
      i++;
    }
    dirname += c;
  }
  return dirname;
}

/** One entry of an MLSD listing: its name, and its facts by lower-case name (RFC 3659 7.5). */
export type MlsdEntry = [name: string, facts: Record<string, string>];

/**
 * One line of an MLSD listing taken apart as Python's `mlsd` does:
 * `fact=value;fact=value; name`. Fact names are lower-cased; the name is
 * everything after the first space (it may hold spaces).
 * @example
 * ```ts
 * parseMlsdLine("type=file;size=1024;modify=20261207120000; a b.txt");
 * // ["a b.txt", { type: "file", size: "1024", modify: "20261207120000" }]
 * ```
 */
export function parseMlsdLine(line: string): MlsdEntry {
  const stripped = line.replace(/[\r\n]+$/, "");
  const space = stripped.indexOf(" ");
  const factsFound = space < 0 ? stripped : stripped.slice(0, space);
  const name = space < 0 ? "" : stripped.slice(space + 1);
  // A null-prototype object: a fact named "__proto__" is a fact, nothing more.
  const entry: Record<string, string> = Object.create(null);
  for (const fact of factsFound.slice(0, -1).split(";")) {
    const eq = fact.indexOf("=");
    const key = eq < 0 ? fact : fact.slice(0, eq);
    entry[key.toLowerCase()] = eq < 0 ? "" : fact.slice(eq + 1);
  }
  return [name, entry];
}

/**
 * The argument of `PORT` for an IPv4 address and port (Python's
 * `sendport`): `h1,h2,h3,h4,p1,p2`.
 * @example
 * ```ts
 * formatPort("127.0.0.1", 50000); // "127,0,0,1,195,80"
 * ```
 */
export function formatPort(host: string, port: number): string {
  return [...host.split("."), String(Math.floor(port / 256)), String(port % 256)].join(",");
}

/**
 * The argument of `EPRT` (RFC 2428 2, Python's `sendeprt`):
 * `|1|host|port|` for IPv4, `|2|host|port|` for IPv6.
 * @param af 1 (IPv4) or 2 (IPv6)
 * @example
 * ```ts
 * formatEprt(2, "::1", 50000); // "|2|::1|50000|"
 * ```
 */
export function formatEprt(af: 1 | 2, host: string, port: number): string {
  return `|${af}|${host}|${port}|`;
}

/**
 * Python's `FTP.sanitize(s)`: the line as `repr()` shows it, with the
 * password of a `PASS` command starred out, for debug output.
 */
export function sanitize(s: string): string {
  const head = s.slice(0, 5);
  if (head === "pass " || head === "PASS ") {
    const i = s.replace(/[\r\n]+$/, "").length;
    s = head + "*".repeat(Math.max(0, i - 5)) + s.slice(i);
  }
  return reprStr(s);
}
