/**
 * `netkit/telnetlib`: Python 3.11's `telnetlib` (removed from Python in
 * 3.13), a Telnet client (RFC 854).
 *
 * - `Telnet`: the client, with Python's reads (`readUntil`, `expect`,
 *   `readAll`, `readSome`, `readVeryEager`, `readEager`, `readLazy`,
 *   `readVeryLazy`, `readSbData`), `write` (IAC doubled), option
 *   negotiation (every option refused unless a callback is set), and
 *   `interact` (`netkit telnet HOST [PORT]` runs it).
 * - `TelnetParser`: the receive state machine alone, with no I/O.
 * - Every command and option constant Python exports, as one-byte Buffers
 *   (`IAC`, `DO`, `WILL`, `SB`, `SE`, `ECHO`, `TTYPE`, `NAWS`, ...).
 * - `TELNET_LIMITS` and the `TelnetLimitError` classes: the bounds Python
 *   lacks (a subnegotiation without SE, a flood of commands, an unread queue).
 *
 * A session (it needs a Telnet server, so it is not an `@example` the
 * docs test runs; docs/telnetlib.md holds the same, type-checked):
 *
 * ```ts
 * import { Telnet } from "netkit/telnetlib";
 * await using tn = await Telnet.open("localhost", 23, { timeout: 10 });
 * await tn.readUntil(Buffer.from("login: "));
 * await tn.write(Buffer.from("guest\r\n"));
 * ```
 *
 * @module
 */
export {
  AO,
  AUTHENTICATION,
  AYT,
  BINARY,
  BM,
  BRK,
  CHARSET,
  COM_PORT_OPTION,
  DEBUGLEVEL,
  DET,
  DM,
  DO,
  DONT,
  EC,
  ECHO,
  EL,
  ENCRYPT,
  EOR,
  EXOPL,
  FORWARD_X,
  GA,
  IAC,
  IP,
  KERMIT,
  LFLOW,
  LINEMODE,
  LOGOUT,
  NAMS,
  NAOCRD,
  NAOFFD,
  NAOHTD,
  NAOHTS,
  NAOL,
  NAOLFD,
  NAOP,
  NAOVTD,
  NAOVTS,
  NAWS,
  NEW_ENVIRON,
  NOOPT,
  NOP,
  OLD_ENVIRON,
  OUTMRK,
  PRAGMA_HEARTBEAT,
  PRAGMA_LOGON,
  RCP,
  RCTE,
  RSP,
  SB,
  SE,
  SEND_URL,
  SGA,
  SNDLOC,
  SSPI_LOGON,
  STATUS,
  SUPDUP,
  SUPDUPOUTPUT,
  SUPPRESS_LOCAL_ECHO,
  TELNET_PORT,
  TLS,
  TM,
  TN3270E,
  TSPEED,
  TTYLOC,
  TTYPE,
  TUID,
  theNULL,
  VT3270REGIME,
  WILL,
  WONT,
  X3PAD,
  XASCII,
  XAUTH,
  XDISPLOC,
} from "./constants.js";
export {
  TelnetCommandFloodError,
  TelnetLimitError,
  TelnetQueueFullError,
  TelnetSubnegotiationError,
} from "./errors.js";
export { CONNECTION_CLOSED, type InteractOptions } from "./interact.js";
export { RECV_SIZE, TELNET_LIMITS } from "./limits.js";
export { type CommandHandler, type ParserLimits, TelnetParser } from "./parser.js";
export {
  type ExpectPattern,
  type ExpectResult,
  escapeIAC,
  type OptionNegotiationCallback,
  Telnet,
  type TelnetOptions,
} from "./telnet.js";
