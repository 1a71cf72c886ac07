/**
 * Python's `telnetlib` constants: the port, the Telnet commands of RFC 854
 * and the option codes of `arpa/telnet.h` and the IANA registry, each a
 * one-byte `Buffer` as Python's are one-byte `bytes` (`IAC + WONT + opt`
 * reads as `Buffer.concat([IAC, WONT, opt])`).
 *
 * @module
 */

const byte = (n: number): Buffer => Buffer.from([n]);

/** Python's `DEBUGLEVEL`: the debug level of a new `Telnet`. */
export const DEBUGLEVEL = 0;
/** Python's `TELNET_PORT`: the port `open()` uses when given none. */
export const TELNET_PORT = 23;

// Commands (RFC 854).
/** 255: Interpret As Command. */
export const IAC = byte(255);
/** 254: refuse, or ask the peer to stop, performing an option. */
export const DONT = byte(254);
/** 253: ask the peer to perform an option, or confirm it may. */
export const DO = byte(253);
/** 252: refuse, or stop, performing an option. */
export const WONT = byte(252);
/** 251: offer, or confirm, performing an option. */
export const WILL = byte(251);
/** 0: NUL (Python's `theNULL`), dropped from received data. */
export const theNULL = byte(0);
/** 240: Subnegotiation End. */
export const SE = byte(240);
/** 241: No Operation. */
export const NOP = byte(241);
/** 242: Data Mark (the data stream part of a Synch). */
export const DM = byte(242);
/** 243: Break. */
export const BRK = byte(243);
/** 244: Interrupt Process. */
export const IP = byte(244);
/** 245: Abort Output. */
export const AO = byte(245);
/** 246: Are You There. */
export const AYT = byte(246);
/** 247: Erase Character. */
export const EC = byte(247);
/** 248: Erase Line. */
export const EL = byte(248);
/** 249: Go Ahead. */
export const GA = byte(249);
/** 250: Subnegotiation Begin. */
export const SB = byte(250);

// Options (arpa/telnet.h).
/** 0: 8-bit data path (RFC 856). */
export const BINARY = byte(0);
/** 1: echo (RFC 857). */
export const ECHO = byte(1);
/** 2: prepare to reconnect. */
export const RCP = byte(2);
/** 3: suppress go ahead (RFC 858). */
export const SGA = byte(3);
/** 4: approximate message size. */
export const NAMS = byte(4);
/** 5: give status (RFC 859). */
export const STATUS = byte(5);
/** 6: timing mark (RFC 860). */
export const TM = byte(6);
/** 7: remote controlled transmission and echo. */
export const RCTE = byte(7);
/** 8: negotiate about output line width. */
export const NAOL = byte(8);
/** 9: negotiate about output page size. */
export const NAOP = byte(9);
/** 10: negotiate about CR disposition. */
export const NAOCRD = byte(10);
/** 11: negotiate about horizontal tabstops. */
export const NAOHTS = byte(11);
/** 12: negotiate about horizontal tab disposition. */
export const NAOHTD = byte(12);
/** 13: negotiate about formfeed disposition. */
export const NAOFFD = byte(13);
/** 14: negotiate about vertical tab stops. */
export const NAOVTS = byte(14);
/** 15: negotiate about vertical tab disposition. */
export const NAOVTD = byte(15);
/** 16: negotiate about output LF disposition. */
export const NAOLFD = byte(16);
/** 17: extended ASCII character set. */
export const XASCII = byte(17);
/** 18: force logout. */
export const LOGOUT = byte(18);
/** 19: byte macro. */
export const BM = byte(19);
/** 20: data entry terminal. */
export const DET = byte(20);
/** 21: SUPDUP protocol. */
export const SUPDUP = byte(21);
/** 22: SUPDUP output. */
export const SUPDUPOUTPUT = byte(22);
/** 23: send location. */
export const SNDLOC = byte(23);
/** 24: terminal type (RFC 1091). */
export const TTYPE = byte(24);
/** 25: end of record (RFC 885). */
export const EOR = byte(25);
/** 26: TACACS user identification. */
export const TUID = byte(26);
/** 27: output marking. */
export const OUTMRK = byte(27);
/** 28: terminal location number. */
export const TTYLOC = byte(28);
/** 29: 3270 regime. */
export const VT3270REGIME = byte(29);
/** 30: X.3 PAD. */
export const X3PAD = byte(30);
/** 31: window size (RFC 1073). */
export const NAWS = byte(31);
/** 32: terminal speed (RFC 1079). */
export const TSPEED = byte(32);
/** 33: remote flow control (RFC 1372). */
export const LFLOW = byte(33);
/** 34: line mode (RFC 1184). */
export const LINEMODE = byte(34);
/** 35: X display location (RFC 1096). */
export const XDISPLOC = byte(35);
/** 36: old environment variables (RFC 1408). */
export const OLD_ENVIRON = byte(36);
/** 37: authentication (RFC 2941). */
export const AUTHENTICATION = byte(37);
/** 38: encryption (RFC 2946). */
export const ENCRYPT = byte(38);
/** 39: new environment variables (RFC 1572). */
export const NEW_ENVIRON = byte(39);

// Options from the IANA registry (names made up by Python where IANA gives none).
/** 40: TN3270E. */
export const TN3270E = byte(40);
/** 41: XAUTH. */
export const XAUTH = byte(41);
/** 42: CHARSET (RFC 2066). */
export const CHARSET = byte(42);
/** 43: Telnet Remote Serial Port. */
export const RSP = byte(43);
/** 44: Com Port Control Option (RFC 2217). */
export const COM_PORT_OPTION = byte(44);
/** 45: Telnet Suppress Local Echo. */
export const SUPPRESS_LOCAL_ECHO = byte(45);
/** 46: Telnet Start TLS. */
export const TLS = byte(46);
/** 47: KERMIT (RFC 2840). */
export const KERMIT = byte(47);
/** 48: SEND-URL. */
export const SEND_URL = byte(48);
/** 49: FORWARD_X. */
export const FORWARD_X = byte(49);
/** 138: TELOPT PRAGMA LOGON. */
export const PRAGMA_LOGON = byte(138);
/** 139: TELOPT SSPI LOGON. */
export const SSPI_LOGON = byte(139);
/** 140: TELOPT PRAGMA HEARTBEAT. */
export const PRAGMA_HEARTBEAT = byte(140);
/** 255: Extended-Options-List (RFC 861). */
export const EXOPL = byte(255);
/** 0: what the option callback gets as `opt` for a command without an option. */
export const NOOPT = byte(0);
