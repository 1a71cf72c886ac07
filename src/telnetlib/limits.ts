/**
 * telnetlib's limits, in one table, each with its reason. Python 3.11 has
 * none: a subnegotiation without SE grows its SB queue until memory runs
 * out, a peer sending option commands forever keeps `read_until` busy
 * answering them forever, and `read_until` for a string that never comes
 * keeps every byte. Each limit here ends that with a typed error
 * (`TelnetLimitError`); each can be changed per connection
 * (`TelnetOptions`), `null` lifting it.
 *
 * @module
 */

/** The limits `Telnet` applies when its options name none. */
export const TELNET_LIMITS = {
  /**
   * Bytes of subnegotiation data held (Python's `sbdataq` plus an SB not yet
   * ended by SE). Real subnegotiations are short: a terminal type, a window
   * size, an environment of a few variables (RFC 1572), a few hundred bytes.
   */
  maxSbData: 65536,
  /**
   * Telnet commands in a row with no data byte between them. A session
   * opens with a few dozen (inetutils-telnetd sends 18 before its login
   * prompt); only a broken or hostile peer sends thousands.
   */
  maxCommands: 4096,
  /**
   * Bytes of the cooked queue before a read stops reading more: what
   * `readAll` gathers, and what `readUntil` and `expect` hold while the
   * match has not come.
   */
  maxQueue: 64 * 1024 * 1024,
} as const;

/**
 * Bytes asked of each `recv`, as Python's `fill_rawq` asks (`recv(50)`).
 * Kept so that `readSome` and `readEager` return the same bytes Python's
 * return: what one receive gives decides where they stop.
 */
export const RECV_SIZE = 50;
